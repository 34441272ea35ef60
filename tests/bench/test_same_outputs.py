"""bench/same_outputs.py compares two snapshots byte for byte and names every difference."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from bench import same_outputs


def _snapshot(root: Path) -> Path:
    (root / "output" / "2026" / "dokumen").mkdir(parents=True)
    (root / "tabel").mkdir()
    (root / "output" / "2026" / "hasil_penilaian.csv").write_text("nip,predikat_final\n1,Baik\n")
    (root / "output" / "2026" / "dokumen" / "1.html").write_text("<p>Baik</p>")
    (root / "tabel" / "hasil_penilaian.csv").write_text("nip,predikat_final\n1,Baik\n")
    return root


def test_identical_snapshots_compare_equal(tmp_path: Path, capsys) -> None:
    a = _snapshot(tmp_path / "a")
    b = tmp_path / "b"
    shutil.copytree(a, b)
    assert same_outputs.compare(a, b) == 0
    assert "IDENTICAL" in capsys.readouterr().out


def test_a_changed_byte_and_a_missing_file_are_named(tmp_path: Path, capsys) -> None:
    a = _snapshot(tmp_path / "a")
    b = tmp_path / "b"
    shutil.copytree(a, b)
    (b / "tabel" / "hasil_penilaian.csv").write_text("nip,predikat_final\n1,Kurang\n")
    (b / "output" / "2026" / "dokumen" / "1.html").unlink()
    assert same_outputs.compare(a, b) == 1
    out = capsys.readouterr().out
    assert "tabel/hasil_penilaian.csv: differs" in out
    assert f"output/2026/dokumen/1.html: only in {a}" in out
    assert "2 DIFFERENCES" in out


def test_volatile_columns_are_the_run_identity_not_results() -> None:
    assert {"stage_run_id", "started_at", "record_hash", "code_version"} <= same_outputs.VOLATILE
    assert not {"nip", "predikat_final", "capaian", "kode_aturan", "baris"} & same_outputs.VOLATILE


def test_index_html_is_compared_without_its_run_times(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    for folder, started, took in ((a, "2026-12-02 09:00:01", "3 dtk"),
                                  (b, "2026-12-03 10:11:12", "1 mnt 2 dtk")):
        folder.mkdir()
        (folder / "index.html").write_text(f"<td>{started} WIB</td><td>{took}</td><p>Baik</p>")
    assert same_outputs.differing_files(a, b) == ([], 1)
    (b / "index.html").write_text("<td>2026-12-03 10:11:12 WIB</td><td>3 dtk</td><p>Kurang</p>")
    assert same_outputs.differing_files(a, b) == ([(Path("index.html"), "beda")], 1)


def _hand_made_rows() -> dict[str, pd.DataFrame]:
    """Rows whose text differs by database if read naively: booleans, floats, NULLs, awkward text, and keys
    that sort differently by locale than by code point."""
    gate = pd.DataFrame({
        "kode": ["G2", "G1", "g1"], "berkas": "pegawai.csv", "deskripsi": ["koma, \"kutip\"", "é\nbaris", ""],
        "sumber": "suite", "lulus": [True, False, True], "diperiksa": [10, 10, 3], "gagal": [0, 2, 0],
        "ambang": "0%"})
    bias = pd.DataFrame({
        "tahun": 2026, "nip_penilai": ["b", "B", "Z", "10", "9"], "kode_instansi": "I1",
        "jumlah_dinilai": [3, 4, 5, 6, 7], "rata_rata": [0.1 + 0.2, 1 / 3, -0.0, 1e-7, 2.5],
        "selisih_z": [1.0, -2.25, 0.0, 3.0000000000000004, 1e300],
        "pola": ["tinggi", "rendah", "-", "-", "-"]})
    return {"gate_check": gate, "bias_penilai": bias}


def _written(db_url: str) -> None:
    """The hand-made rows written the way the stages write them (PostgreSQL: COPY), then dumped."""
    from models import stage_runs
    from models.db import get_engine, migrate, replace_rows, transaction

    engine = get_engine(db_url)
    migrate(engine)
    rid = stage_runs.insert_run(engine, tahun=2026, tahap="year-end", input_checksums="{}")
    with transaction(engine) as conn:
        for name, frame in _hand_made_rows().items():  # (a year of bias_penilai: a partition on PostgreSQL)
            where = {"tahun": 2026} if "tahun" in frame else {"stage_run_id": rid}
            replace_rows(conn, name, frame.assign(stage_run_id=rid), **where)


def test_tables_dump_to_the_same_bytes_on_sqlite_and_postgresql(
    tmp_path: Path, sqlite_url: str, postgres_url: str
) -> None:
    for url, folder in ((sqlite_url, tmp_path / "sqlite"), (postgres_url, tmp_path / "postgresql")):
        _written(url)
        names = same_outputs.dump_tables(url, folder)
        assert {"gate_check", "bias_penilai", "stage_run", "alembic_version"} <= set(names)
        assert not [n for n in names if n.startswith("bias_penilai_")], "a partition is dumped as its table"
    assert same_outputs.differing_files(tmp_path / "sqlite", tmp_path / "postgresql")[0] == []
    gate = (tmp_path / "sqlite" / "gate_check.csv").read_text(encoding="utf-8")
    assert gate.splitlines()[0] == "kode,berkas,deskripsi,sumber,lulus,diperiksa,gagal,ambang"  # no ids
    assert "G1,pegawai.csv,\"é\nbaris\",suite,False,10,2,0%" in gate
    bias = (tmp_path / "sqlite" / "bias_penilai.csv").read_text(encoding="utf-8")
    assert "0.30000000000000004" in bias and "1e+300" in bias and "-0.0" not in bias  # SQLite has no -0.0
    assert [line.split(",")[1] for line in bias.splitlines()[1:]] == ["10", "9", "B", "Z", "b"]  # code points


def test_a_dump_shows_nulls_as_backslash_n(tmp_path: Path, sqlite_url: str) -> None:
    _written(sqlite_url)
    same_outputs.dump_tables(sqlite_url, tmp_path / "tabel")
    stage_run = (tmp_path / "tabel" / "stage_run.csv").read_text(encoding="utf-8")
    assert "\\N" in stage_run and "started_at" not in stage_run
