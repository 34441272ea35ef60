"""bench/same_outputs.py compares two snapshots byte for byte and names every difference."""

from __future__ import annotations

import shutil
from pathlib import Path

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
