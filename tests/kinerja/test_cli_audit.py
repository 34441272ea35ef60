"""`kinerja audit log|verify|explain` and `kinerja db upgrade|grant-auditor` as an auditor types them.

The year is archived without Prefect (tests/audit/archive.py); each command runs through the real
entry point `kinerja.cli.main` in this process, so exit statuses and the one-line messages on stderr
are the ones users see. Tables are read back cell by cell from rich's output.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import make_url

from contract.schema import BERAKHLAK
from kinerja import cli_options
from kinerja.cli import main
from kinerja.settings import get_settings
from models import stage_runs
from models.db import MIGRATIONS_DIR, get_engine, migrate, read_year, replace_rows, transaction
from penilaian.ruleset import load_ruleset
from penilaian.training import tabel_tindak_lanjut
from tests.audit.archive import (
    AK_BARIS,
    TAHUN,
    ScoredYear,
    angka_kredit_result,
    archive_curve_unit,
    archive_cycle,
    archive_year,
    objection_result,
    score_demo_year,
    score_jf_year,
    training_result,
)
from tests.penilaian.year_end_inputs import URUTAN_PEMEGANG_16
from tests.penilaian.year_end_inputs import nip as hand_nip

NOT_SCORED = "000000000000000000"


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str


Kinerja = Callable[..., Outcome]


@pytest.fixture
def kinerja(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> Iterator[Kinerja]:
    """`kinerja ARGS…` in this process: its exit status, stdout and stderr."""
    # wide consoles, so tables are not folded (rich reads COLUMNS only when a console is made, and the
    # CLI's consoles may have been made by an earlier test in this process)
    monkeypatch.setenv("COLUMNS", "250")
    for console in (cli_options.console, cli_options.err):
        monkeypatch.setattr(console, "width", 250)
    monkeypatch.setenv("KINERJA_DATA_DIR", str(tmp_path / "data"))  # a crash log would go there
    get_settings.cache_clear()
    # main() sets these for the process; set here so they are restored after the test
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")
    monkeypatch.setenv("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")

    def run(*args: str) -> Outcome:
        capsys.readouterr()
        monkeypatch.setattr(sys, "argv", ["kinerja", *args])
        with pytest.raises(SystemExit) as exit_:
            main()
        out, err = capsys.readouterr()
        return Outcome(exit_.value.code, out, err)

    yield run
    get_settings.cache_clear()


@pytest.fixture(scope="module")
def scored_year(tmp_path_factory: pytest.TempPathFactory) -> ScoredYear:
    return score_demo_year(tmp_path_factory.mktemp("cli-audit") / "input")


@pytest.fixture(scope="module")
def jf_year(tmp_path_factory: pytest.TempPathFactory, scored_year: ScoredYear) -> ScoredYear:
    """The same year with angka_kredit.csv for five functional officials, the last not scored."""
    return score_jf_year(tmp_path_factory.mktemp("cli-audit-jf") / "input", scored_year.folder)


@pytest.fixture
def engine(db_url: str) -> Engine:
    engine = get_engine(db_url)
    migrate(engine)
    return engine


def url_of(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def tables(out: str) -> list[list[list[str]]]:
    """The rich tables in `out`: per table its body rows, each a list of cells (lines joined by \\n)."""
    found: list[list[list[str]]] = []
    rows: list[list[str]] | None = None
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("┏"):
            rows = []
        elif rows is not None and line.startswith("└"):
            found.append(rows)
            rows = None
        elif rows is not None and line.startswith("│"):
            cells = [cell.strip() for cell in line.strip("│").split("│")]
            if cells[0] or not rows:
                rows.append(cells)
            else:
                rows[-1] = [f"{a}\n{b}".strip("\n") for a, b in zip(rows[-1], cells, strict=True)]
    return found


def one_line(err: str) -> str:
    assert err.endswith("\n") and err.count("\n") == 1, err
    return err.rstrip("\n")


def execute(engine: Engine, statement: str, **params: object) -> None:
    with engine.begin() as conn:
        conn.execute(text(statement), params)


def test_log_lists_the_years_sealed_runs(kinerja: Kinerja, engine: Engine, scored_year: ScoredYear):
    plan_id, year_end_id = archive_year(engine, scored_year)
    stage_runs.insert_run(engine, tahun=TAHUN - 1, tahap="validation", input_checksums="{}")
    sealed = {r["id"]: r for r in stage_runs.read_stage_runs(engine, TAHUN)}

    done = kinerja("audit", "log", "--tahun", str(TAHUN), "--db", url_of(engine))
    assert (done.code, done.err) == (0, "")
    assert f"Stage run {TAHUN} (rantai audit)" in done.out
    [rows] = tables(done.out)
    assert [(int(r[0]), r[1].split("\n")[0], r[4]) for r in rows] == [
        (plan_id, "plan-collection", "berhasil"), (year_end_id, "year-end", "berhasil")], \
        "the other year's run is not listed"
    assert [r[2].split("\n")[1] for r in rows] == ["auditor-test", "auditor-test"]
    assert [r[8] for r in rows] == [f"#1\n{sealed[plan_id]['record_hash'][:16]}",
                                    f"#2\n{sealed[year_end_id]['record_hash'][:16]}"]


def test_log_marks_a_run_not_yet_sealed(kinerja: Kinerja, engine: Engine, scored_year: ScoredYear):
    plan_id, year_end_id = archive_year(engine, scored_year)
    open_id = stage_runs.insert_run(engine, tahun=TAHUN, tahap="validation", input_checksums="{}")
    sealed = {r["id"]: r for r in stage_runs.read_stage_runs(engine, TAHUN)}

    done = kinerja("audit", "log", "--tahun", str(TAHUN), "--db", url_of(engine))
    [rows] = tables(done.out)
    assert [(int(r[0]), r[4]) for r in rows] == [
        (plan_id, "berhasil"), (year_end_id, "berhasil"), (open_id, "berjalan")]
    assert [r[8] for r in rows] == [f"#1\n{sealed[plan_id]['record_hash'][:16]}",
                                    f"#2\n{sealed[year_end_id]['record_hash'][:16]}", "belum disegel"]


def test_log_of_a_year_without_runs_says_so(kinerja: Kinerja, engine: Engine, scored_year: ScoredYear):
    archive_year(engine, scored_year)
    done = kinerja("audit", "log", "--tahun", str(TAHUN + 1), "--db", url_of(engine))
    assert (done.code, done.out, done.err) == (0, f"Belum ada stage run untuk tahun {TAHUN + 1}.\n", "")


def test_verify_passes_on_an_intact_archive(kinerja: Kinerja, engine: Engine, scored_year: ScoredYear):
    _, year_end_id = archive_year(engine, scored_year)
    head_hash = stage_runs.read_stage_runs(engine, TAHUN)[-1]["record_hash"]
    done = kinerja("audit", "verify", "--tahun", str(TAHUN), "--db", url_of(engine),
                   "--input", str(scored_year.folder))
    assert (done.code, done.err) == (0, ""), done.out
    [line] = done.out.splitlines()
    assert line.startswith(f"Verifikasi LULUS tahun {TAHUN}: rantai utuh "
                           f"(kepala #2, stage run {year_end_id}, {head_hash}); catatan_rantai=2, ")
    # 7 files: pegawai, skp, unit_kerja (plan-collection) + perilaku, rating_atasan, realisasi, umpan_balik
    assert f"hasil_penilaian_dihitung_ulang={len(scored_year.result.hasil)}" in line
    assert line.endswith("berkas_input=7")


def test_verify_names_the_table_and_key_of_a_changed_result_and_exits_1(
    kinerja: Kinerja, engine: Engine, scored_year: ScoredYear
):
    _, year_end_id = archive_year(engine, scored_year)
    row = scored_year.result.hasil.sort_values("nip").iloc[5]
    other = "Kurang" if row["predikat_final"] != "Kurang" else "Baik"
    execute(engine, "update hasil_penilaian set predikat_final = :p where nip = :n", p=other, n=row["nip"])

    done = kinerja("audit", "verify", "--tahun", str(TAHUN), "--db", url_of(engine))
    assert done.code == 1
    assert one_line(done.err) == (f"Galat / error: Verifikasi GAGAL tahun {TAHUN}: 2 temuan (daftar di atas)"
                                  f" / verification FAILED for {TAHUN}: 2 findings (listed above)")
    found = sorted(line for line in done.out.splitlines() if line.startswith("✗ "))
    assert len(found) == 2
    assert found[0].startswith(
        f"✗ [baris] hasil_penilaian stage_run_id={year_end_id} (stage run {year_end_id}): ")
    assert found[1] == (f"✗ [hitung_ulang] hasil_penilaian nip={row['nip']} (stage run {year_end_id}): "
                        f"predikat_final: tersimpan {other!r}, hitung ulang {row['predikat_final']!r}")
    assert done.out.splitlines()[-1].startswith("Diperiksa: catatan_rantai=2, ")
    assert "LULUS" not in done.out


def _scored_row(year: ScoredYear, kepala_unit: bool) -> pd.Series:
    """A scored employee with a behaviour score, moved by the curve when one such exists."""
    hasil = year.result.hasil.sort_values("nip")
    hasil = hasil[(hasil["kepala_unit"] == kepala_unit) & hasil["nilai_perilaku"].notna()]
    moved = hasil[hasil["predikat"] != hasil["predikat_final"]]
    return (moved if len(moved) else hasil).iloc[0]


@pytest.mark.parametrize("kepala_unit", [False, True], ids=["staf", "kepala-unit"])
def test_explain_walks_from_the_indicators_to_the_final_predikat(
    kinerja: Kinerja, engine: Engine, scored_year: ScoredYear, kepala_unit: bool
):
    plan_id, year_end_id = archive_year(engine, scored_year)
    row = _scored_row(scored_year, kepala_unit)
    nip = row["nip"]
    done = kinerja("audit", "explain", nip, "--tahun", str(TAHUN), "--db", url_of(engine))
    assert (done.code, done.err) == (0, ""), done.err
    lines = [line.strip() for line in done.out.splitlines()]
    assert lines[0] == (f"{row['nama']} — NIP {nip}, unit {row['kode_unit']} ({row['kode_instansi']}), "
                        f"tahun {TAHUN}; atasan {row['nip_atasan'] or '-'}")
    assert lines[1] == f"Ruleset: {scored_year.rules.label}"
    steps = [line for line in lines if line[:2] in {f"{n}." for n in range(1, 9)}]
    assert [s.split(" (")[0] for s in steps] == ["1. Indikator kinerja", "2. Rating hasil kerja",
                                                  "3. Perilaku kerja", "4. Matriks predikat",
                                                  "5. Kurva distribusi", "6. Keberatan",
                                                  f"7. Predikat yang berlaku: {row['predikat_final']}",
                                                  "8. Stage run yang terlibat"]
    indikator_rows, perilaku_rows, run_rows = tables(done.out)

    # 1. every indicator of the employee with its stored capaian and level
    indikator = scored_year.result.indikator.set_index("id_indikator")
    assert sorted(r[0] for r in indikator_rows) == sorted(indikator.index[indikator["nip"] == nip])
    for r in indikator_rows:
        assert float(r[6]) == pytest.approx(indikator.loc[r[0], "capaian"], abs=0.005)
        assert r[7] == indikator.loc[r[0], "level"]

    # 2. the ratings, the head-of-unit mapping only for a head of unit
    capaian = next(line for line in lines if line.startswith("capaian_hasil_kerja"))
    shown = float(capaian.split(" = ")[1].split(";")[0])
    assert shown == pytest.approx(row["capaian_hasil_kerja"], abs=0.005)
    kepala = [line for line in lines if line.startswith("kepala unit:")]
    if kepala_unit:
        organisasi = row["predikat_organisasi"]
        assert kepala == [f"kepala unit: predikat organisasi {organisasi} → "
                          f"{scored_year.rules.kepala_unit.peta[organisasi]}"]
    else:
        assert kepala == []
    assert any(line.startswith(f"dihitung: {row['rating_hasil_kerja_hitung']}; override atasan: ")
               and line.endswith(f"→ {row['rating_hasil_kerja']}") for line in lines)

    # 3. every score given, only the supervisor's counted; their mean per BerAKHLAK value worked out here
    perilaku = scored_year.frames["perilaku"]
    given = perilaku[perilaku["nip"] == nip].sort_values(["periode", "nip_penilai"])
    counted = given[given["nip_penilai"] == row["nip_atasan"]]
    assert [r[:3] for r in perilaku_rows[:-1]] == [
        [p, n, "ya" if n == row["nip_atasan"] else "umpan balik"]
        for p, n in zip(given["periode"], given["nip_penilai"], strict=True)]
    assert perilaku_rows[-1][0] == "rata-rata"
    means = [float(v) for v in perilaku_rows[-1][3:]]
    assert means == pytest.approx([counted[v].astype(float).mean() for v in BERAKHLAK], abs=0.005)
    nilai = next(line for line in lines if line.startswith("nilai_perilaku = "))
    assert float(nilai.split(" = ")[1].split(" ")[0]) == pytest.approx(sum(means) / len(means), abs=0.01)
    assert nilai.endswith(f"→ {row['rating_perilaku']}")

    # 4. and 5. the matrix and the curve
    assert (f"hasil kerja {row['rating_hasil_kerja']} × perilaku {row['rating_perilaku']} → "
            f"{row['predikat']} (tersimpan: {row['predikat']})") in lines
    moved = row["alasan_kalibrasi"] or "tidak dipindah"
    assert (f"unit {row['kode_unit']} (predikat organisasi {row['predikat_organisasi']}): "
            f"{row['predikat']} → {row['predikat_final']}; {moved}") in lines

    # 6. and 7. no objection stored: the curve's result stands, nothing used it yet
    assert lines[lines.index("6. Keberatan") + 1] == "tidak ada keberatan"
    assert lines[lines.index(steps[6]) + 1:lines.index(steps[7])] == [
        "predikat_final akhir tahun: belum ada peninjauan keberatan tersimpan",
        "belum dipakai: belum ada rekomendasi pelatihan dan tindak lanjut tersimpan untuk pegawai ini", ""]

    # 8. the stage runs whose rows were used
    assert [(int(r[0]), r[1]) for r in run_rows] == [(plan_id, "plan-collection"), (year_end_id, "year-end")]


def test_explain_continues_after_the_curve_with_the_objection_and_the_predikat_that_stands(
    kinerja: Kinerja, engine: Engine, scored_year: ScoredYear
):
    ids = archive_cycle(engine, scored_year)
    keputusan = objection_result(scored_year).keputusan
    row = keputusan[(keputusan["keputusan"] == "diterima")
                    & (keputusan["predikat_ditetapkan"] != keputusan["predikat_lama"])].iloc[0]
    nip = row["nip"]
    done = kinerja("audit", "explain", nip, "--tahun", str(TAHUN), "--db", url_of(engine))
    assert (done.code, done.err) == (0, ""), done.err
    lines = [line.strip() for line in done.out.splitlines()]
    filed = read_year(engine, "keberatan", TAHUN, nip=nip).iloc[0]
    start = lines.index("6. Keberatan")
    assert lines[start + 1:start + 5] == [
        f"diajukan {row['tanggal_pengajuan']} (hasil diterima {row['tanggal_terima']}; keberatan.csv baris "
        f"{filed['baris']}): {row['alasan']}",
        f"keputusan {row['tanggal_keputusan']}: diterima oleh {row['nama_pemutus']} "
        f"(NIP {row['nip_pemutus']}); catatan: {row['catatan_keputusan']}",
        f"rating hasil kerja {row['rating_hasil_kerja_lama']} → {row['rating_hasil_kerja_baru']}; "
        f"rating perilaku {row['rating_perilaku_lama']} → {row['rating_perilaku_baru']}",
        f"predikat {row['predikat_lama']} → {row['predikat_ditetapkan']} (matriks dengan rating yang "
        f"berlaku; kurva tidak diterapkan lagi); stage run {ids['objection']} (objection)",
    ]
    stands = lines.index(f"7. Predikat yang berlaku: {row['predikat_ditetapkan']}")
    used = lines[stands + 1:lines.index("8. Stage run yang terlibat") - 1]
    assert used[:2] == [f"ditetapkan setelah peninjauan keberatan: stage run {ids['objection']} (objection)",
                        f"dipakai oleh stage run {ids['training']} (training):"]
    training = training_result(scored_year)
    mine = training.rekomendasi[training.rekomendasi["nip"] == nip]
    follow = tabel_tindak_lanjut(training)
    follow = follow[follow["nip"] == nip]
    credit = angka_kredit_result(scored_year).hasil
    credit = credit[credit["nip"] == nip]
    assert len(mine) and len(used) == 2 + len(mine) + len(follow) + len(credit)
    assert sorted(line.split()[2] for line in used[2:] if line.startswith("rekomendasi pelatihan: ")) == \
        sorted(mine["kode_pelatihan"])
    [*_, run_rows] = tables(done.out)
    assert [(int(r[0]), r[1]) for r in run_rows] == [
        (ids["plan-collection"], "plan-collection"), (ids["year-end"], "year-end"),
        (ids["objection"], "objection"), (ids["training"], "training")]


def test_verify_names_a_changed_objection_decision_and_a_changed_recommendation_and_exits_1(
    kinerja: Kinerja, engine: Engine, scored_year: ScoredYear
):
    ids = archive_cycle(engine, scored_year)
    passed = kinerja("audit", "verify", "--tahun", str(TAHUN), "--db", url_of(engine))
    assert passed.code == 0 and "rekomendasi_pelatihan_dihitung_ulang=" in passed.out
    decision = read_year(engine, "keberatan_hasil", TAHUN).iloc[0]
    flipped = "ditolak" if decision["keputusan"] == "diterima" else "diterima"
    execute(engine, "update keberatan_hasil set keputusan = :k where nip = :n", k=flipped, n=decision["nip"])
    recommendation = read_year(engine, "rekomendasi_pelatihan", TAHUN).iloc[0]
    execute(engine, "update rekomendasi_pelatihan set jp = 99 where nip = :n and kode_pelatihan = :k",
            n=recommendation["nip"], k=recommendation["kode_pelatihan"])

    done = kinerja("audit", "verify", "--tahun", str(TAHUN), "--db", url_of(engine))
    assert done.code == 1 and "LULUS" not in done.out
    found = [line for line in done.out.splitlines() if line.startswith("✗ [hitung_ulang]")]
    assert found == [
        f"✗ [hitung_ulang] keberatan_hasil nip={decision['nip']} (stage run {ids['objection']}): keputusan: "
        f"tersimpan {flipped!r}, hitung ulang {decision['keputusan']!r}",
        f"✗ [hitung_ulang] rekomendasi_pelatihan nip={recommendation['nip']}, kode_pelatihan="
        f"{recommendation['kode_pelatihan']} (stage run {ids['training']}): jp: tersimpan 99.0, hitung ulang "
        f"{float(recommendation['jp'])!r}",
    ]


def test_explain_of_a_curve_move_prints_the_rule_the_count_and_the_holders_ranking(
    kinerja: Kinerja, engine: Engine
):
    archive_curve_unit(engine, load_ruleset())
    done = kinerja("audit", "explain", hand_nip(14), "--tahun", str(TAHUN), "--db", url_of(engine))
    assert (done.code, done.err) == (0, ""), done.err
    lines = [line.strip() for line in done.out.splitlines()]
    kurva = lines[lines.index("5. Kurva distribusi") + 1:lines.index("6. Keberatan")]
    assert kurva[1] == "Kurva Baik: Baik maks. 70% (11 dari 16) — batasan ke-1 untuk predikat organisasi Baik"
    assert kurva[3].startswith("batas = floor(70% × 16) = floor(11.2) = 11 (dibulatkan ke bawah) dari 16")
    assert kurva[5].startswith("pegawai ini: peringkat 13 dari 14 pemegang Baik; bertahan: peringkat 1–11")
    ranking = [line.split() for line in kurva[6:] if line.startswith("#")]
    assert [r[1] for r in ranking] == [hand_nip(i) for i in URUTAN_PEMEGANG_16]
    assert ranking[12][0] == "#13" and kurva[6 + 12].endswith("◀ pegawai ini")


def test_explain_of_a_nip_not_scored_exits_2_with_one_line(
    kinerja: Kinerja, engine: Engine, scored_year: ScoredYear
):
    archive_year(engine, scored_year)
    done = kinerja("audit", "explain", NOT_SCORED, "--tahun", str(TAHUN), "--db", url_of(engine))
    assert (done.code, done.out) == (2, "")
    assert one_line(done.err) == (f"Galat / error: NIP {NOT_SCORED} tidak ada di hasil penilaian {TAHUN} / "
                                  "not found")


def test_explain_of_a_quarantined_nip_lists_its_rules(kinerja: Kinerja, engine: Engine):
    """One line per file and rule with the line numbers, each problem once (its first stage), however
    many stages found it."""
    rows = [("skp.csv", 7, "TANPA_UTAMA", "tidak ada indikator utama", "no main indicator"),
            ("skp.csv", 9, "TANPA_UTAMA", "tidak ada indikator utama", "no main indicator"),
            ("pegawai.csv", 4, "NIP_GANDA", "nip ganda", "duplicated nip")]
    runs = []
    for tahap in ("plan-collection", "validation"):
        rid = stage_runs.insert_run(engine, tahun=TAHUN, tahap=tahap, input_checksums="{}")
        karantina = pd.DataFrame(rows, columns=["berkas", "baris", "kode_aturan", "alasan", "reason"]).assign(
            tahun=TAHUN, tahap=tahap, kolom="nip", nilai=NOT_SCORED, stage_run_id=rid)
        with transaction(engine) as conn:
            replace_rows(conn, "karantina", karantina, stage_run_id=rid)
        runs.append(rid)
    done = kinerja("audit", "explain", NOT_SCORED, "--tahun", str(TAHUN), "--db", url_of(engine))
    assert (done.code, done.err) == (0, "")
    assert done.out == (
        f"{NOT_SCORED} tidak dinilai pada {TAHUN} (karantina):\n"
        f"  • pegawai.csv · NIP_GANDA (baris 4): nip ganda / duplicated nip [plan-collection; stage run "
        f"{runs[0]}]\n"
        f"  • skp.csv · TANPA_UTAMA (baris 7, 9): tidak ada indikator utama / no main indicator "
        f"[plan-collection; stage run {runs[0]}]\n")


def _head_revision() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(config).get_current_head()


def test_db_upgrade_prints_the_revision_and_can_run_again(kinerja: Kinerja, db_url: str):
    shown = make_url(db_url).render_as_string(hide_password=True)
    for _ in range(2):
        done = kinerja("db", "upgrade", "--db", db_url)
        assert (done.code, done.out, done.err) == (0, f"Skema {shown} pada revisi {_head_revision()}\n", "")
    assert inspect(get_engine(db_url)).has_table("rantai_audit")


def test_a_schema_without_the_audit_trail_is_refused_until_upgraded(
    kinerja: Kinerja, sqlite_url: str, tmp_path: Path
):
    from alembic import command
    from alembic.config import Config

    engine = get_engine(sqlite_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")  # the schema before the audit chain

    refused = kinerja("audit", "log", "--tahun", str(TAHUN), "--db", sqlite_url)
    assert (refused.code, refused.out) == (2, "")
    assert one_line(refused.err) == (
        f"Galat / error: skema {sqlite_url} belum memuat jejak audit: jalankan `kinerja db upgrade` / "
        "schema predates the audit trail: run `kinerja db upgrade`")
    with engine.connect() as conn:
        assert conn.execute(text("select version_num from alembic_version")).scalar() == "0001", \
            "auditing never migrates"

    assert kinerja("db", "upgrade", "--db", sqlite_url).out.endswith(f"pada revisi {_head_revision()}\n")
    done = kinerja("audit", "verify", "--tahun", str(TAHUN), "--db", sqlite_url)
    assert done.code == 0
    assert done.out.splitlines()[:2] == [
        f"! tidak ada stage run untuk tahun {TAHUN}",
        f"! tidak ada hasil_penilaian tahun {TAHUN}: tidak ada yang dihitung ulang"]
    assert done.out.splitlines()[2].startswith(f"Verifikasi LULUS tahun {TAHUN}: rantai utuh (kepala #0,")


@pytest.mark.parametrize("command", [["log"], ["verify"], ["explain", NOT_SCORED]],
                         ids=["log", "verify", "explain"])
def test_a_schema_behind_the_code_is_refused_with_one_line_until_upgraded(
    kinerja: Kinerja, sqlite_url: str, command: list[str]
):
    from alembic import command as alembic
    from alembic.config import Config

    engine = get_engine(sqlite_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        alembic.upgrade(config, "0003")  # the audit trail is there, later tables are not

    refused = kinerja("audit", *command, "--tahun", str(TAHUN), "--db", sqlite_url)

    assert (refused.code, refused.out) == (2, "")
    head = _head_revision()
    assert one_line(refused.err) == (
        f"Galat / error: skema {sqlite_url} pada revisi 0003, kode ini memerlukan {head}: jalankan "
        f"`kinerja db upgrade` (pemilik skema) / schema at revision 0003, this code needs {head}: "
        "run `kinerja db upgrade` (as the schema owner)")
    with engine.connect() as conn:
        assert conn.execute(text("select version_num from alembic_version")).scalar() == "0003", \
            "auditing never migrates"


@pytest.mark.parametrize("command", [["log"], ["verify"], ["explain", NOT_SCORED]],
                         ids=["log", "verify", "explain"])
def test_a_missing_database_file_is_refused_and_not_created(
    kinerja: Kinerja, tmp_path: Path, command: list[str]
):
    path = tmp_path / "tidak-ada" / "kinerja.db"
    url = f"sqlite:///{path}"
    done = kinerja("audit", *command, "--tahun", str(TAHUN), "--db", url)
    assert (done.code, done.out) == (2, "")
    assert one_line(done.err) == f"Galat / error: basis data {url} tidak ada / database does not exist"
    assert not path.parent.exists()


def test_grant_auditor_on_sqlite_exits_2_with_its_one_line_message(kinerja: Kinerja, tmp_path: Path):
    path = tmp_path / "kinerja.db"
    done = kinerja("db", "grant-auditor", "auditor", "--db", f"sqlite:///{path}")
    assert (done.code, done.out) == (2, "")
    assert one_line(done.err) == (
        "Galat / error: grant-auditor hanya untuk PostgreSQL; SQLite tidak mengenal role: berikan auditor "
        "salinan berkas basis data / PostgreSQL only, SQLite has no roles")
    assert not path.exists()


def test_grant_auditor_refuses_an_invalid_role_name_with_exit_2(kinerja: Kinerja, postgres_url: str):
    done = kinerja("db", "grant-auditor", "Auditor Baru", "--db", postgres_url)
    assert (done.code, done.out) == (2, "")
    assert one_line(done.err) == (
        "Galat / error: nama role 'Auditor Baru' tidak sah / invalid role name (huruf kecil, angka, _)")


# ---------------------------------------------------------------- angka kredit of functional officials


def _steps(lines: list[str]) -> list[str]:
    return [line.split(" (")[0] for line in lines if line[:2] in {f"{n}." for n in range(1, 10)}]


def test_explain_of_a_functional_official_ends_with_the_conversion_and_its_training_run(
    kinerja: Kinerja, engine: Engine, jf_year: ScoredYear
):
    ids = archive_cycle(engine, jf_year)
    row = read_year(engine, "angka_kredit_hasil", TAHUN, langkah_berikutnya="jenjang").iloc[0]
    nip = row["nip"]
    done = kinerja("audit", "explain", nip, "--tahun", str(TAHUN), "--db", url_of(engine))
    assert (done.code, done.err) == (0, ""), done.err
    lines = [line.strip() for line in done.out.splitlines()]
    predikat = row["predikat_ditetapkan"]
    assert _steps(lines)[6:] == [f"7. Predikat yang berlaku: {predikat}",
                                 "8. Angka kredit jabatan fungsional", "9. Stage run yang terlibat"]
    # 7. what used the predikat that stands: the training run, its angka kredit among its rows
    stands = lines.index(f"7. Predikat yang berlaku: {predikat}")
    used = lines[stands + 1:lines.index(next(x for x in lines if x.startswith("8. Angka kredit")))]
    assert f"dipakai oleh stage run {ids['training']} (training):" in used
    assert used[-2:] == [f"angka kredit: ahli_madya IV/c, ak_tahun {format_2(row['ak_tahun'])}, "
                         f"ak_kumulatif {format_2(row['ak_kumulatif'])} (konversi di bagian 8)", ""]
    # 8. the conversion worked out, with the numbers the ruleset gives: 6 months of 37.5 at the percentage
    persen = jf_year.rules.angka_kredit.persentase[predikat]
    tahun_ini = 6 / 12 * persen / 100 * 37.5
    start = next(i for i, x in enumerate(lines) if x.startswith("8. Angka kredit"))
    assert lines[start] == ("8. Angka kredit jabatan fungsional (konversi predikat kinerja, PermenPAN-RB "
                            "1/2023)")
    section = lines[start + 1:lines.index("9. Stage run yang terlibat") - 1]
    assert section[0] == ("jenjang ahli_madya, golongan IV/c; ak_awal 438 (angka kredit kumulatif PAK "
                          "terakhir), bulan 6 (angka_kredit.csv baris 3)")
    assert section[1] == f"predikat {predikat} → persentase {persen:g}%; koefisien ahli_madya 37.5 per tahun"
    assert section[2].startswith(f"ak_tahun = bulan / 12 × persentase × koefisien = 6 / 12 × {persen:g}% × "
                                 f"37.5 = {exact(tahun_ini)}")
    assert section[3].startswith(f"ak_kumulatif = ak_awal + ak_tahun = 438 + {exact(tahun_ini)} = "
                                 f"{exact(438 + tahun_ini)}")
    assert section[4] == ("langkah berikutnya: kenaikan jenjang — golongan IV/c ke-3 dari 3 dalam "
                          "rentang ahli_madya (IV/a, IV/b, IV/c), golongan terakhir: ambang jenjang 450, "
                          "ditambah uji kompetensi")
    memenuhi = "ya" if 438 + tahun_ini >= 450 else "tidak"
    assert section[5].startswith(f"memenuhi: {memenuhi} (ak_kumulatif {exact(438 + tahun_ini)} ")
    assert section[6:] == [f"disimpan oleh stage run {ids['training']} (training)"]
    [*_, run_rows] = tables(done.out)
    assert (ids["training"], "training") in [(int(r[0]), r[1]) for r in run_rows]


def format_2(value: float) -> str:
    from penilaian.numbers import format_2 as f2

    return f2(pd.Series([float(value)])).iloc[0]


def exact(value: float) -> str:
    """An unrounded figure as the explanation works it out: 9.375, 452.0625, 40."""
    return f"{value:.6f}".rstrip("0").rstrip(".")


def test_explain_of_a_functional_official_whose_row_was_set_aside_names_its_rule(
    kinerja: Kinerja, engine: Engine, jf_year: ScoredYear, tmp_path: Path
):
    year = score_jf_year(tmp_path / "input", jf_year.folder, golongan_lain="IV/a")
    ids = archive_cycle(engine, year)
    nip = read_year(engine, "angka_kredit", TAHUN, baris=5)["nip"].iloc[0]
    done = kinerja("audit", "explain", nip, "--tahun", str(TAHUN), "--db", url_of(engine))
    assert (done.code, done.err) == (0, ""), done.err
    lines = [line.strip() for line in done.out.splitlines()]
    start = next(i for i, x in enumerate(lines) if x.startswith("8. Angka kredit jabatan fungsional"))
    quarantined = angka_kredit_result(year).karantina
    [alasan] = quarantined.loc[quarantined["kode_aturan"] == "GOLONGAN_JENJANG", "alasan"]
    assert lines[start + 1:start + 4] == [
        f"tidak dihitung: angka_kredit.csv baris 5 (jenjang terampil, golongan IV/a) — GOLONGAN_JENJANG: "
        f"{alasan} [stage run {ids['training']} (training)]", "", "9. Stage run yang terlibat"]
    assert not [line for line in lines if line.startswith("angka kredit: ")], "nothing converted to use it"


def test_explain_of_an_employee_who_is_not_a_functional_official_has_no_angka_kredit_section(
    kinerja: Kinerja, engine: Engine, jf_year: ScoredYear
):
    archive_cycle(engine, jf_year)
    pegawai = jf_year.frames["pegawai"]
    hasil = jf_year.result.hasil
    pelaksana = pegawai.loc[pegawai["jenis_jabatan"] == "pelaksana", "nip"]
    nip = hasil.loc[hasil["nip"].isin(pelaksana), "nip"].iloc[0]
    done = kinerja("audit", "explain", nip, "--tahun", str(TAHUN), "--db", url_of(engine))
    assert (done.code, done.err) == (0, ""), done.err
    lines = [line.strip() for line in done.out.splitlines()]
    assert _steps(lines)[6:] == [_steps(lines)[6], "8. Stage run yang terlibat"]
    assert not [line for line in lines if "angka kredit" in line.lower()]


def test_explain_of_a_functional_official_without_a_standing_predikat_says_so(
    kinerja: Kinerja, engine: Engine, jf_year: ScoredYear
):
    ids = archive_cycle(engine, jf_year)
    nip = read_year(engine, "angka_kredit", TAHUN, baris=len(AK_BARIS) + 1)["nip"].iloc[0]
    done = kinerja("audit", "explain", nip, "--tahun", str(TAHUN), "--db", url_of(engine))
    assert (done.code, done.err) == (0, ""), done.err
    [quarantined] = angka_kredit_result(jf_year).karantina.to_dict("records")
    assert done.out.splitlines() == [
        f"{nip} tidak dinilai pada {TAHUN} (karantina):",
        f"  • angka_kredit.csv · AK_TANPA_PREDIKAT (baris {len(AK_BARIS) + 1}): {quarantined['alasan']} / "
        f"{quarantined['reason']} [training; stage run {ids['training']}]",
        f"  angka kredit: tidak dihitung — pejabat fungsional tanpa predikat yang berlaku (angka_kredit.csv "
        f"baris {len(AK_BARIS) + 1}: jenjang ahli_muda, golongan III/c, ak_awal 50.00) — AK_TANPA_PREDIKAT: "
        f"{quarantined['alasan']} [stage run {ids['training']} (training)]",
    ]


def test_verify_names_a_changed_angka_kredit_and_exits_1(
    kinerja: Kinerja, engine: Engine, jf_year: ScoredYear
):
    ids = archive_cycle(engine, jf_year)
    passed = kinerja("audit", "verify", "--tahun", str(TAHUN), "--db", url_of(engine))
    assert passed.code == 0 and f"angka_kredit_hasil_dihitung_ulang={len(AK_BARIS) - 1}" in passed.out
    row = read_year(engine, "angka_kredit_hasil", TAHUN, langkah_berikutnya="jenjang").iloc[0]
    flipped = "ya" if row["memenuhi"] == "tidak" else "tidak"
    execute(engine, "update angka_kredit_hasil set kekurangan = kekurangan + 1, memenuhi = :m where nip = :n",
            m=flipped, n=row["nip"])
    done = kinerja("audit", "verify", "--tahun", str(TAHUN), "--db", url_of(engine))
    assert done.code == 1 and "LULUS" not in done.out
    training = ids["training"]
    key = f"angka_kredit_hasil nip={row['nip']} (stage run {training})"
    assert [line for line in done.out.splitlines() if line.startswith("✗ ")] == [
        f"✗ [baris] angka_kredit_hasil stage_run_id={training} (stage run {training}): isi "
        f"{len(AK_BARIS) - 1} baris berbeda dari yang disegel (digest berbeda): nilai diubah",
        f"✗ [hitung_ulang] {key}: memenuhi: tersimpan {flipped!r}, hitung ulang {row['memenuhi']!r}",
        f"✗ [hitung_ulang] {key}: kekurangan: tersimpan {float(row['kekurangan']) + 1!r}, hitung ulang "
        f"{float(row['kekurangan'])!r}",
    ]
