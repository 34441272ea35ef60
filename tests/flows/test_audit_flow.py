"""The audit trail end to end: real stage flow runs, then tampering that `kinerja audit verify` must name.

Runs on SQLite and PostgreSQL (`db_url`); the auditor role test needs the real PostgreSQL server.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy
from sqlalchemy import text
from sqlalchemy.engine import make_url

from audit.digest import result_digests
from audit.findings import check_chain
from audit.verify import verify
from flows.executor import stage_flow
from kinerja.demo.generator import generate
from models.db import get_engine
from models.stage_runs import read_chain_head, read_stage_runs
from stages import registry
from stages.context import StageContext, ensure_schema
from stages.records import close_stage_run, open_stage_run

pytestmark = pytest.mark.slow

TAHUN = 2026
KINERJA = Path(sys.executable).with_name("kinerja")


@pytest.fixture(scope="module")
def demo_input(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("audit") / "input"
    generate(folder, pegawai=150, tahun=TAHUN, bad_rows=False)
    return folder


@pytest.fixture
def cli_env(prefect_harness: None, tmp_path: Path) -> dict[str, str]:
    """A subprocess environment that talks to the harness's Prefect server (no server of its own)."""
    from prefect.settings import PREFECT_API_URL

    return {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value()),
            "KINERJA_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}


def kinerja(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(KINERJA), *args], capture_output=True, text=True, env=env, timeout=300)


def no_documents(stage: str) -> dict[str, str]:
    """The option that spares a stage writing per-employee documents (where it writes them)."""
    return {"dokumen": "tidak"} if registry.get(stage).documents else {}


def run_stages(input_dir: Path, out: Path, db_url: str) -> dict[str, dict]:
    """plan-collection then year-end, as the flow functions the CLI runs."""
    done = {}
    for stage in ("plan-collection", "year-end"):
        done[stage] = stage_flow(stage)(tahun=TAHUN, input_dir=str(input_dir), output_dir=str(out),
                                        db_url=db_url, **no_documents(stage))
    return done


def sql(db_url: str, statement: str, **params: object) -> list:
    with get_engine(db_url).begin() as conn:
        result = conn.execute(text(statement), params)
        return result.all() if result.returns_rows else []


def findings(db_url: str, input_dir: Path | None = None) -> list[tuple[str, str, str, int | None, str]]:
    hasil = verify(get_engine(db_url), TAHUN, input_dir=input_dir)
    return [(t.bagian, t.tabel, t.kunci, t.stage_run_id, t.uraian) for t in hasil.temuan]


def without_guard(db_url: str, statements: list[str]) -> None:
    """What only someone with DDL rights can do: bypass the append-only trigger and foreign keys."""
    engine = get_engine(db_url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
            for statement in statements:
                conn.exec_driver_sql(statement)
        return
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA foreign_keys=OFF")
        cursor.execute("DROP TRIGGER IF EXISTS stage_run_hanya_tambah_update")
        cursor.execute("DROP TRIGGER IF EXISTS stage_run_hanya_tambah_delete")
        for statement in statements:
            cursor.execute(statement)
        raw.commit()
    finally:
        raw.close()


def test_verify_passes_and_names_every_kind_of_tampering(
    prefect_harness: None, demo_input: Path, tmp_path: Path, db_url: str, cli_env: dict[str, str]
) -> None:
    input_dir = tmp_path / "input"
    shutil.copytree(demo_input, input_dir)
    runs = run_stages(input_dir, tmp_path / "out", db_url)
    plan_id, year_end_id = runs["plan-collection"]["stage_run_id"], runs["year-end"]["stage_run_id"]

    # every stored result names the run that wrote it, and every closed run is sealed into one chain
    assert {r[0] for r in sql(db_url, "select distinct stage_run_id from hasil_penilaian")} == {year_end_id}
    assert {r[0] for r in sql(db_url, "select distinct stage_run_id from pegawai")} == {plan_id}
    sealed = read_stage_runs(get_engine(db_url))
    assert [r["urutan_rantai"] for r in sealed] == [1, 2] and all(r["record_hash"] for r in sealed)
    assert json.loads(sealed[1]["hasil_digest"])["hasil_penilaian"]["baris"] == 150
    assert findings(db_url, input_dir) == []

    proc = kinerja("audit", "verify", "--tahun", str(TAHUN), "--db", db_url, "--input", str(input_dir),
                   env=cli_env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Verifikasi LULUS" in proc.stdout and "hasil_penilaian_dihitung_ulang=150" in proc.stdout
    log = kinerja("audit", "log", "--tahun", str(TAHUN), "--db", db_url, env=cli_env)
    assert log.returncode == 0 and "year-end" in log.stdout and "plan-collection" in log.stdout

    nip, capaian, final = sql(db_url, "select nip, capaian_hasil_kerja, predikat_final from hasil_penilaian "
                                      "order by nip limit 1 offset 7")[0]
    explain = kinerja("audit", "explain", nip, "--tahun", str(TAHUN), "--db", db_url, env=cli_env)
    assert explain.returncode == 0, explain.stdout + explain.stderr
    for part in ("Indikator", "Rating hasil kerja", "Perilaku", "Matriks", final, f"{year_end_id}"):
        assert part in explain.stdout

    # (1) one stored predikat_final changed -> the row is named by the recomputation and the seal
    other = "Kurang" if final != "Kurang" else "Baik"
    sql(db_url, "update hasil_penilaian set predikat_final = :p where nip = :n", p=other, n=nip)
    found = findings(db_url)
    assert ("hitung_ulang", "hasil_penilaian", f"nip={nip}", year_end_id,
            f"predikat_final: tersimpan {other!r}, hitung ulang {final!r}") in found
    sealed_rows = ("baris", "hasil_penilaian", f"stage_run_id={year_end_id}", year_end_id)
    assert any(f[:4] == sealed_rows for f in found)
    proc = kinerja("audit", "verify", "--tahun", str(TAHUN), "--db", db_url, env=cli_env)
    assert proc.returncode == 1 and "Traceback" not in proc.stdout + proc.stderr
    assert f"nip={nip}" in proc.stdout and "predikat_final" in proc.stdout
    assert "Verifikasi GAGAL" in proc.stderr
    sql(db_url, "update hasil_penilaian set predikat_final = :p where nip = :n", p=final, n=nip)
    assert findings(db_url) == [], "restoring the value restores the seal"

    # (2) capaian_hasil_kerja nudged
    sql(db_url, "update hasil_penilaian set capaian_hasil_kerja = :c where nip = :n", c=capaian + 0.5, n=nip)
    assert any(f[1:4] == ("hasil_penilaian", f"nip={nip}", year_end_id) and "capaian_hasil_kerja" in f[4]
               for f in findings(db_url))
    sql(db_url, "update hasil_penilaian set capaian_hasil_kerja = :c where nip = :n", c=capaian, n=nip)

    # (3) a result row deleted: named with the run whose result it belonged to
    sql(db_url, "delete from hasil_penilaian where nip = :n", n=nip)
    found = findings(db_url)
    assert ("hitung_ulang", "hasil_penilaian", f"nip={nip}", year_end_id,
            "baris hasil hitung ulang tidak ada di basis data: baris dihapus") in found
    assert ("baris", "hasil_penilaian", f"stage_run_id={year_end_id}", year_end_id,
            "150 baris tersegel, 149 sekarang: baris dihapus/disisipkan (digest berbeda)") in found

    # (4) an input file changed after the run
    pegawai = input_dir / "pegawai.csv"
    pegawai.write_text(pegawai.read_text(encoding="utf-8").replace(",", ", ", 1), encoding="utf-8")
    assert [f[1] for f in findings(db_url, input_dir) if f[0] == "input"] == ["pegawai.csv"]
    proc = kinerja("audit", "verify", "--tahun", str(TAHUN), "--db", db_url, "--input", str(input_dir),
                   env=cli_env)
    assert proc.returncode == 1 and "pegawai.csv" in proc.stdout and "berkas berubah" in proc.stdout


def test_seal_digests_taken_at_write_time_equal_the_rows_read_back(
    prefect_harness: None, tmp_path: Path, db_url: str
) -> None:
    """Sealing digests the written rows from memory; the database must hold exactly those rows.

    The whole cycle on data with bad rows (quarantine, warnings, empty optional columns), so every
    kind of table and value the stages write is covered, on SQLite and PostgreSQL.
    """
    input_dir = tmp_path / "input"
    generate(input_dir, pegawai=120, tahun=TAHUN, bad_rows=True)
    for stage in registry.names():
        stage_flow(stage)(tahun=TAHUN, input_dir=str(input_dir), output_dir=str(tmp_path / "out"),
                          db_url=db_url, **no_documents(stage))
    engine = get_engine(db_url)
    runs = read_stage_runs(engine)
    assert [r["tahap"] for r in runs] == list(registry.names())
    for run in runs:
        sealed = json.loads(run["hasil_digest"])
        assert sealed == result_digests(engine, run["id"]), run["tahap"]  # read back from the database
        assert {"gate_check", "karantina"} <= set(sealed)
    year_end = next(r for r in runs if r["tahap"] == "year-end")
    assert json.loads(year_end["hasil_digest"])["realisasi"]["baris"] > 0
    assert findings(db_url, input_dir) == []


def test_stage_run_records_are_append_only_and_edits_or_deletions_break_the_chain(
    prefect_harness: None, demo_input: Path, tmp_path: Path, db_url: str
) -> None:
    runs = run_stages(demo_input, tmp_path / "out", db_url)
    plan_id, year_end_id = runs["plan-collection"]["stage_run_id"], runs["year-end"]["stage_run_id"]
    for statement in ("update stage_run set counts = '{}' where id = :i",
                      "delete from stage_run where id = :i"):
        with pytest.raises(sqlalchemy.exc.DBAPIError, match="hanya-tambah"):
            sql(db_url, statement, i=year_end_id)

    # edited counts (by someone who can switch the trigger off)
    without_guard(db_url, [f"update stage_run set counts = '{{\"dinilai\": 151}}' where id = {year_end_id}"])
    assert [f[:4] for f in findings(db_url)] == [("rantai", "stage_run", f"id={year_end_id}", year_end_id)]

    # the first record deleted (its rows with it): a gap before the next record, and its rows named
    without_guard(db_url, [f"delete from {name} where stage_run_id = {plan_id}"
                           for name in ("gate_check", "karantina")]
                  + [f"delete from stage_run where id = {plan_id}"])
    uraian = " | ".join(f[4] for f in findings(db_url))
    assert f"catatan rantai urutan 1 tidak ada (di awal rantai, sebelum stage run {year_end_id})" in uraian
    assert f"baris milik stage run {plan_id} yang tidak ada lagi" in uraian


def test_runs_closing_at_once_queue_on_the_chain(db_url: str, tmp_path: Path) -> None:
    """Eight stage runs close in parallel threads: eight distinct links, one unbroken chain."""
    ensure_schema(db_url)
    contexts = []
    for i in range(8):
        ctx = StageContext(tahap="validation", tahun=TAHUN, input_dir=tmp_path, output_root=tmp_path,
                           db_url=db_url, ruleset_name="permenpan-6-2022", checksums={"x.csv": str(i)})
        contexts.append(open_stage_run(ctx, "permenpan-6-2022 v1.0.0", "0" * 64))
    barrier = threading.Barrier(len(contexts))
    errors: list[BaseException] = []

    def close(ctx: StageContext) -> None:
        try:
            barrier.wait()
            close_stage_run(ctx, "berhasil", {"n": ctx.stage_run_id, "jam": datetime.now(UTC).isoformat()})
        except BaseException as exc:  # noqa: BLE001 - collected and re-raised in the test thread
            errors.append(exc)

    threads = [threading.Thread(target=close, args=(ctx,)) for ctx in contexts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors
    engine = get_engine(db_url)
    records = read_stage_runs(engine)
    assert sorted(r["urutan_rantai"] for r in records) == list(range(1, 9))
    assert len({r["prev_hash"] for r in records}) == 8
    assert check_chain(records, read_chain_head(engine)) == []
    close_stage_run(contexts[0], "gagal", {})  # a second close leaves the sealed record alone
    assert read_stage_runs(engine)[0]["outcome"] == "berhasil"


def test_auditor_role_reads_everything_and_changes_nothing(
    prefect_harness: None, demo_input: Path, tmp_path: Path, postgres_url: str, cli_env: dict[str, str]
) -> None:
    import psycopg

    run_stages(demo_input, tmp_path / "out", postgres_url)
    role = f"kinerja_auditor_{uuid.uuid4().hex[:10]}"
    proc = kinerja("db", "grant-auditor", role, "--db", postgres_url, env=cli_env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    url = make_url(postgres_url)
    try:
        with psycopg.connect(host=url.host, port=url.port or 5432, dbname=url.database, user=role,
                             autocommit=True) as conn:
            assert conn.execute("select count(*) from stage_run").fetchone()[0] == 2
            assert conn.execute("select count(*) from hasil_penilaian").fetchone()[0] == 150
            for statement in ("update hasil_penilaian set predikat_final = 'Baik'",
                              "delete from stage_run",
                              "insert into rantai_audit (id, jumlah) values (2, 0)",
                              "update stage_run set pesan = 'x'"):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(statement)
        proc = kinerja("audit", "verify", "--tahun", str(TAHUN), "--db",
                       url.set(username=role).render_as_string(hide_password=False), env=cli_env)
        assert proc.returncode == 0 and "Verifikasi LULUS" in proc.stdout, proc.stdout + proc.stderr
    finally:
        get_engine.cache_clear()
        with get_engine(postgres_url).connect() as conn:
            conn.exec_driver_sql(
                "select pg_terminate_backend(pid) from pg_stat_activity where usename = %s", (role,))
            conn.exec_driver_sql(f'DROP OWNED BY "{role}"')
            conn.exec_driver_sql(f'DROP ROLE "{role}"')
            conn.commit()


def test_database_commands_on_sqlite(cli_env: dict[str, str], tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'baru.db'}"
    missing = kinerja("audit", "verify", "--tahun", str(TAHUN), "--db", db, env=cli_env)
    assert missing.returncode == 2 and "tidak ada" in missing.stderr
    upgrade = kinerja("db", "upgrade", "--db", db, env=cli_env)
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from models.db import MIGRATIONS_DIR

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert upgrade.returncode == 0 and upgrade.stdout.rstrip().endswith(f"pada revisi {head}"), \
        upgrade.stdout + upgrade.stderr
    empty = kinerja("audit", "verify", "--tahun", str(TAHUN), "--db", db, env=cli_env)
    assert empty.returncode == 0 and "Verifikasi LULUS" in empty.stdout
    grant = kinerja("db", "grant-auditor", "auditor", "--db", db, env=cli_env)
    assert grant.returncode == 2 and "PostgreSQL" in grant.stderr and "Traceback" not in grant.stderr


def test_verify_recomputes_every_stage_of_a_real_cycle_and_names_tampering_in_each(
    prefect_harness: None, demo_input: Path, tmp_path: Path, db_url: str
) -> None:
    """The whole cycle as flows: audit verify recomputes mid-year, year-end, objection and training from
    what the stages archived and passes; a changed objection decision, a changed training recommendation
    and a changed monitoring status are each named by table, key and the stage run that wrote them."""
    from flows.cycle import cycle

    done = cycle(tahun=TAHUN, input_dir=str(demo_input), output_dir=str(tmp_path / "out"), db_url=db_url,
                 dokumen="tidak")
    ids = {run["tahap"]: run["stage_run_id"] for run in done}
    hasil = verify(get_engine(db_url), TAHUN, input_dir=demo_input)
    assert hasil.temuan == [], hasil.temuan
    for table in ("pemantauan", "hasil_penilaian", "keberatan_hasil", "predikat_ditetapkan",
                  "rekomendasi_pelatihan", "tindak_lanjut", "angka_kredit_hasil"):
        assert hasil.diperiksa[f"{table}_dihitung_ulang"] > 0, table

    nip, keputusan = sql(db_url, "select nip, keputusan from keberatan_hasil order by nip limit 1")[0]
    flipped = "ditolak" if keputusan == "diterima" else "diterima"
    sql(db_url, "update keberatan_hasil set keputusan = :k where nip = :n", k=flipped, n=nip)
    r_nip, kode, prioritas = sql(db_url, "select nip, kode_pelatihan, prioritas from rekomendasi_pelatihan "
                                         "order by nip, kode_pelatihan limit 1")[0]
    other = "rendah" if prioritas != "rendah" else "tinggi"
    sql(db_url, "update rekomendasi_pelatihan set prioritas = :p where nip = :n and kode_pelatihan = :k",
        p=other, n=r_nip, k=kode)
    indikator, status = sql(db_url, "select id_indikator, status from pemantauan order by id_indikator "
                                    "limit 1")[0]
    moved = "tertinggal" if status != "tertinggal" else "sesuai_jalur"
    sql(db_url, "update pemantauan set status = :s where id_indikator = :i", s=moved, i=indikator)
    ak_nip, memenuhi = sql(db_url, "select nip, memenuhi from angka_kredit_hasil order by nip limit 1")[0]
    claimed = "ya" if memenuhi == "tidak" else "tidak"
    sql(db_url, "update angka_kredit_hasil set memenuhi = :m where nip = :n", m=claimed, n=ak_nip)

    recomputed = [f for f in findings(db_url) if f[0] == "hitung_ulang"]
    assert recomputed == [
        ("hitung_ulang", "pemantauan", f"id_indikator={indikator}", ids["mid-year"],
         f"status: tersimpan {moved!r}, hitung ulang {status!r}"),
        ("hitung_ulang", "keberatan_hasil", f"nip={nip}", ids["objection"],
         f"keputusan: tersimpan {flipped!r}, hitung ulang {keputusan!r}"),
        ("hitung_ulang", "rekomendasi_pelatihan", f"nip={r_nip}, kode_pelatihan={kode}", ids["training"],
         f"prioritas: tersimpan {other!r}, hitung ulang {prioritas!r}"),
        ("hitung_ulang", "angka_kredit_hasil", f"nip={ak_nip}", ids["training"],
         f"memenuhi: tersimpan {claimed!r}, hitung ulang {memenuhi!r}"),
    ]
