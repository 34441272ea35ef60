"""The `kinerja` command: stages as Prefect flow runs, clear messages, never a traceback for data problems."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from kinerja.settings import get_settings

app = typer.Typer(
    add_completion=False, no_args_is_help=True, rich_markup_mode="rich", pretty_exceptions_enable=False,
    help="Kinerja — penilaian kinerja ASN (PermenPAN-RB 6/2022) sebagai alur Prefect.",
)
audit_app = typer.Typer(no_args_is_help=True, help="Riwayat dan verifikasi untuk auditor.")
db_app = typer.Typer(no_args_is_help=True, help="Pengelolaan basis data.")
app.add_typer(audit_app, name="audit")
app.add_typer(db_app, name="db")

console = Console(stderr=False)
err = Console(stderr=True)

STAGE_CHOICES = ("plan-collection", "validation", "mid-year", "year-end", "training")

Tahun = Annotated[int, typer.Option("--tahun", help="Tahun penilaian, mis. 2026")]
InputDir = Annotated[Path, typer.Option("--input", help="Folder input (CSV atau kinerja.xlsx)")]
OutputDir = Annotated[Path, typer.Option("--output", help="Folder output; hasil di OUTPUT/<tahun>/")]
DbUrl = Annotated[str | None, typer.Option("--db", help="URL basis data (bawaan: SQLite tertanam)")]
Dokumen = Annotated[str, typer.Option("--dokumen", help="semua | unit:KODE_UNIT | nip:NIP | tidak")]
Ruleset = Annotated[str | None, typer.Option("--ruleset", help="Nama atau berkas ruleset instansi")]
Executor = Annotated[str, typer.Option("--executor", help="lokal | dask (per instansi di klaster Dask)")]
DaskAddress = Annotated[str | None, typer.Option(
    "--dask-address", help="Scheduler Dask, mis. tcp://scheduler:8786 (bawaan: klaster lokal)")]


def _prepare_prefect() -> None:
    """Quiet Prefect's console (the run history still gets every log) and find a local server."""
    # The console is for people: stage errors reach them as one line from main(), not as
    # Prefect's log records with tracebacks (those stay in the run history).
    # KINERJA_DEBUG=1 shows them for engineers.
    if os.environ.get("KINERJA_DEBUG") != "1":
        os.environ["PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL"] = "CRITICAL"
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    if "PREFECT_API_URL" not in os.environ:
        from kinerja.prefect_server import local_server_url

        url = local_server_url()
        if url:
            os.environ["PREFECT_API_URL"] = url


def _check_dokumen(mode: str) -> str:
    if mode in ("semua", "tidak") or (mode.startswith(("unit:", "nip:")) and len(mode.split(":", 1)[1]) > 0):
        return mode
    from kinerja.errors import UsageError

    raise UsageError(f"--dokumen {mode!r} tidak dikenal / unknown: pakai semua | unit:KODE | nip:NIP | tidak")


def _run_stages(stages: list[str], tahun: int, input_dir: Path, output_dir: Path, db: str | None,
                dokumen: str, ruleset: str | None, executor: str = "lokal",
                dask_address: str | None = None) -> list[dict]:
    """Run stages in order as Prefect flow runs, with a progress display."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from flows.executor import PARTITIONED_STAGES, check_executor, dask_cluster, stage_flow
    from kinerja.errors import InputUnreadable
    from kinerja.prefect_server import foreground_runs

    _check_dokumen(dokumen)
    check_executor(executor)
    if not input_dir.is_dir():
        raise InputUnreadable(f"{input_dir}: folder input tidak ada / input folder does not exist")
    pemicu = os.environ.get("KINERJA_PEMICU", "manual")
    if db:
        # The URL may carry a password: hand it over through the environment, never as a flow
        # parameter (parameters are stored and shown in the run history).
        os.environ["KINERJA_DATABASE_URL"] = db
        get_settings.cache_clear()
    results = []
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=console, transient=False) as progress, \
            dask_cluster(executor, dask_address) as address, foreground_runs():
        for stage in stages:
            bar = progress.add_task(f"[bold]{stage}[/] {tahun}", total=1)
            kwargs = dict(tahun=tahun, input_dir=str(input_dir.resolve()),
                          output_dir=str(output_dir.resolve()), db_url=None, ruleset=ruleset, pemicu=pemicu)
            if stage == "year-end":
                kwargs["dokumen"] = dokumen
            if stage in PARTITIONED_STAGES:
                kwargs["executor"] = executor
            try:
                result = stage_flow(stage, executor, address)(**kwargs)
            except BaseException:
                progress.update(bar, description=f"[red]✗ {stage}[/] {tahun}", completed=1)
                raise
            progress.update(bar, description=f"[green]✓ {stage}[/] {tahun}", completed=1)
            results.append(result)
    _print_summary(results)
    return results


def _print_summary(results: list[dict]) -> None:
    table = Table(title="Ringkasan tahap", show_lines=False)
    for col in ("tahap", "hasil", "stage run", "hitungan"):
        table.add_column(col)
    for r in results:
        counts = ", ".join(f"{k}={v}" for k, v in sorted(r["counts"].items()) if not k.endswith("_ditulis"))
        table.add_row(r["tahap"], r["outcome"], str(r["stage_run_id"]), counts)
    console.print(table)
    if results:
        console.print(f"Hasil ditulis di [bold]{results[-1]['output_dir']}[/]")


@app.command()
def run(
    stage: Annotated[str, typer.Argument(help=" | ".join(STAGE_CHOICES), show_default=False)],
    tahun: Tahun, input: InputDir, output: OutputDir, db: DbUrl = None,
    dokumen: Dokumen = "semua", ruleset: Ruleset = None, executor: Executor = "lokal",
    dask_address: DaskAddress = None,
) -> None:
    """Jalankan satu tahap sebagai flow run Prefect."""
    if stage not in STAGE_CHOICES:
        from kinerja.errors import UsageError

        raise UsageError(f"tahap {stage!r} tidak dikenal / unknown stage: {' | '.join(STAGE_CHOICES)}")
    _run_stages([stage], tahun, input, output, db, dokumen, ruleset, executor, dask_address)


@app.command()
def cycle(tahun: Tahun, input: InputDir, output: OutputDir, db: DbUrl = None,
          dokumen: Dokumen = "semua", ruleset: Ruleset = None, executor: Executor = "lokal",
          dask_address: DaskAddress = None) -> None:
    """Jalankan seluruh siklus (lima tahap berurutan)."""
    _run_stages(list(STAGE_CHOICES), tahun, input, output, db, dokumen, ruleset, executor, dask_address)


@app.command()
def demo(
    output: Annotated[Path | None, typer.Option("--output", help="Folder demo")] = None,
    pegawai: Annotated[int, typer.Option("--pegawai", help="Jumlah pegawai")] = 1500,
    tahun: Annotated[int, typer.Option("--tahun")] = 2026,
    db: DbUrl = None, dokumen: Dokumen = "semua",
) -> None:
    """Buat data demo tiga daerah dan jalankan seluruh siklus pada SQLite tertanam."""
    from kinerja.demo.generator import generate

    base = output or (get_settings().data_dir / "demo")
    input_dir, output_dir = base / "input", base / "output"
    with console.status(f"Membuat data demo ({pegawai} pegawai)…"):
        counts = generate(input_dir, pegawai=pegawai, tahun=tahun)
    console.print(f"Data demo: [bold]{input_dir}[/] ({', '.join(f'{k}={v}' for k, v in counts.items())})")
    _run_stages(list(STAGE_CHOICES), tahun, input_dir, output_dir, db, dokumen, None)
    year_dir = output_dir / str(tahun)
    console.print(f"\n[bold green]Demo selesai.[/] Buka [bold]{year_dir}[/]:")
    for name in ("karantina.csv", "gerbang_validation.html", "pemantauan_tengah_tahun.csv",
                 "hasil_penilaian.csv", "bias_penilai.csv", "rekomendasi_pelatihan.csv", "dokumen/"):
        console.print(f"  • {year_dir / name}")


# ---------------------------------------------------------------- auditors and the database


def _audit_engine(db: str | None):
    """The database to audit, read-only: it must exist and carry the audit schema (no migration here)."""
    from sqlalchemy import inspect
    from sqlalchemy.engine import make_url

    from kinerja.errors import UsageError
    from models.db import get_engine, redact
    from stages.context import resolve_db_url

    url = resolve_db_url(db)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and not Path(parsed.database).exists():
        raise UsageError(f"basis data {redact(url)} tidak ada / database does not exist")
    engine = get_engine(url)
    if not inspect(engine).has_table("rantai_audit"):
        raise UsageError(f"skema {redact(url)} belum memuat jejak audit: jalankan `kinerja db upgrade` / "
                         "schema predates the audit trail: run `kinerja db upgrade`")
    return engine


@audit_app.command("log")
def audit_log(tahun: Tahun, db: DbUrl = None) -> None:
    """Daftar stage run satu tahun: siapa, kapan, input apa, aturan apa, hasilnya."""
    from audit.trail import stage_run_log

    frame = stage_run_log(_audit_engine(db), tahun)
    if frame.empty:
        console.print(f"Belum ada stage run untuk tahun {tahun}.")
        return
    table = Table(title=f"Stage run {tahun} (rantai audit)", show_lines=True)
    for col in ("id", "tahap / flow run", "pemicu / pengguna", "mulai / selesai (UTC)", "hasil",
                "ruleset / kode", "input (sha256 ×baris)", "hitungan", "segel"):
        table.add_column(col, overflow="fold")
    for r in frame.itertuples(index=False):
        table.add_row(str(r.id), f"{r.tahap}\n{r.flow_run}", f"{r.pemicu}\n{r.pengguna}",
                      f"{r.mulai}\n{r.selesai}", r.hasil, f"{r.ruleset}\n{r.kode}",
                      r.input.replace(", ", "\n"), r.hitungan.replace("; ", "\n"),
                      f"#{r.urutan}\n{r.record_hash}" if r.record_hash else "belum disegel")
    console.print(table)


@audit_app.command("verify")
def audit_verify(
    tahun: Tahun, db: DbUrl = None,
    input: Annotated[Path | None, typer.Option("--input", help="Folder input: cocokkan checksum")] = None,
    ruleset: Ruleset = None,
) -> None:
    """Jalur hash, baris hasil, hitung ulang dari arsip input, dan (opsional) berkas input."""
    from rich.markup import escape

    from audit.trail import verify
    from kinerja.errors import AuditFailed

    engine = _audit_engine(db)
    with console.status(f"Memverifikasi tahun {tahun}…"):
        hasil = verify(engine, tahun, input_dir=input, ruleset=ruleset)
    for text in hasil.peringatan:
        console.print(f"[yellow]![/] {escape(text)}", highlight=False, soft_wrap=True)
    checked = ", ".join(f"{k}={v}" for k, v in hasil.diperiksa.items())
    if hasil.lulus:
        head = hasil.kepala or {}
        console.print(
            f"[bold green]Verifikasi LULUS[/] tahun {tahun}: rantai utuh "
            f"(kepala #{head.get('jumlah')}, stage run {head.get('kepala_stage_run_id')}, "
            f"{head.get('kepala_hash')}); {checked}", highlight=False, soft_wrap=True)
        return
    for t in hasil.temuan:
        run = f" (stage run {t.stage_run_id})" if t.stage_run_id is not None else ""
        console.print(f"[red]✗[/] {escape(f'[{t.bagian}] {t.tabel} {t.kunci}{run}: {t.uraian}')}",
                      highlight=False, soft_wrap=True)
    console.print(f"Diperiksa: {checked}", highlight=False, soft_wrap=True)
    raise AuditFailed(f"Verifikasi GAGAL tahun {tahun}: {len(hasil.temuan)} temuan (daftar di atas)",
                      hasil.temuan)


@audit_app.command("explain")
def audit_explain(
    nip: Annotated[str, typer.Argument(help="NIP pegawai (18 digit)", show_default=False)],
    tahun: Tahun, db: DbUrl = None,
) -> None:
    """Langkah demi langkah: dari indikator dan perilaku sampai predikat akhir satu pegawai."""
    import pandas as pd

    from audit.trail import explain
    from kinerja.errors import UsageError
    from penilaian.numbers import format_2

    p = explain(_audit_engine(db), nip, tahun)
    if isinstance(p, pd.DataFrame):
        if p.empty:
            raise UsageError(f"NIP {nip} tidak ada di hasil penilaian {tahun} / not found")
        console.print(f"[bold]{nip}[/] tidak dinilai pada {tahun} (karantina):")
        for r in p.itertuples(index=False):
            console.print(f"  • [{r.tahap}] {r.kode_aturan}: {r.alasan} (stage run {r.stage_run_id})",
                          highlight=False, soft_wrap=True)
        return

    def num(value: object) -> str:
        return "-" if value is None or pd.isna(value) else format_2(pd.Series([float(value)])).iloc[0]

    h, hk, pk = p.hasil, p.hasil_kerja, p.perilaku_ringkas
    console.print(f"[bold]{h['nama']}[/] — NIP {nip}, unit {h['kode_unit']} ({h['kode_instansi']}), "
                  f"tahun {tahun}; atasan {p.pegawai.get('nip_atasan') or '-'}", highlight=False)
    console.print(f"Ruleset: {h['ruleset_label']}", highlight=False)
    for text in p.catatan:
        console.print(f"[yellow]![/] {text}", highlight=False)

    console.print("\n[bold]1. Indikator kinerja[/] (capaian = realisasi / target × 100; arah turun: "
                  "(2 − realisasi / target) × 100)", highlight=False)
    if p.ruleset is not None:
        aturan = p.ruleset.capaian
        console.print(f"  batas atas {aturan.batas_atas}; di_atas ≥ {aturan.di_atas_min}, sesuai ≥ "
                      f"{aturan.sesuai_min}, di_bawah di bawahnya", highlight=False)
    table = Table(show_lines=False)
    for col in ("id", "jenis", "indikator", "arah", "target", "realisasi", "capaian", "level"):
        table.add_column(col, overflow="fold")
    for r in p.indikator.itertuples(index=False):
        table.add_row(r.id_indikator, r.jenis, str(r.indikator), str(r.arah), num(r.target), num(r.realisasi),
                      num(r.capaian), r.level)
    console.print(table)

    console.print("\n[bold]2. Rating hasil kerja[/]")
    console.print(f"  capaian_hasil_kerja (rata-rata indikator utama) = {num(hk['capaian_hasil_kerja'])}; "
                  f"{hk['jumlah_utama']} utama: {hk['jumlah_di_atas']} di_atas, {hk['jumlah_di_bawah']} "
                  f"di_bawah → dari indikator: {hk['rating_dari_indikator']}", highlight=False)
    if hk["kepala_unit"]:
        console.print(f"  kepala unit: predikat organisasi {hk['predikat_organisasi'] or '-'} → "
                      f"{hk['peta_kepala_unit'] or 'tidak dipetakan (dihitung dari indikator)'}"
                      f"{'' if hk['aturan_kepala_unit'] is not False else ' (aturan nonaktif)'}",
                      highlight=False)
    console.print(f"  dihitung: {hk['rating_hitung']}; override atasan: {hk['override'] or '-'}"
                  f"{' (' + str(hk['alasan_override']) + ')' if hk['override'] else ''} → "
                  f"[bold]{hk['rating']}[/]", highlight=False)

    console.print("\n[bold]3. Perilaku kerja (BerAKHLAK; hanya penilaian atasan langsung dihitung)[/]")
    table = Table(show_lines=False)
    for col in ("periode", "penilai", "dihitung", *[v[:6] for v in _berakhlak()]):
        table.add_column(col)
    for r in p.perilaku.sort_values(["periode", "nip_penilai"]).itertuples(index=False):
        table.add_row(r.periode, r.nip_penilai, "ya" if r.dihitung else "umpan balik",
                      *[str(getattr(r, v)) for v in _berakhlak()])
    if p.rerata:
        table.add_row("rata-rata", "", "", *[num(p.rerata[v]) for v in _berakhlak()], style="bold")
    console.print(table)
    console.print(f"  nilai_perilaku = {num(pk['nilai_perilaku'])} → dihitung {pk['rating_hitung'] or '-'}; "
                  f"override atasan: {pk['override'] or '-'}"
                  f"{' (' + str(hk['alasan_override']) + ')' if pk['override'] else ''} → "
                  f"[bold]{pk['rating']}[/]", highlight=False)
    if p.ruleset is not None:
        aturan = p.ruleset.perilaku
        console.print(f"  di_atas ≥ {aturan.di_atas_min}, sesuai ≥ {aturan.sesuai_min}; di_bawah bila satu "
                      f"nilai < {aturan.nilai_minimum_per_nilai}", highlight=False)

    m, k = p.matriks, p.kalibrasi
    console.print("\n[bold]4. Matriks predikat[/]")
    console.print(f"  hasil kerja {m['rating_hasil_kerja']} × perilaku {m['rating_perilaku']} → "
                  f"[bold]{m['predikat']}[/] (tersimpan: {m['predikat_tersimpan']})", highlight=False)
    console.print("\n[bold]5. Kurva distribusi[/]")
    moved = k["alasan_kalibrasi"] or "tidak dipindah"
    console.print(f"  unit {k['kode_unit']} (predikat organisasi {k['predikat_organisasi'] or '-'}): "
                  f"{k['predikat']} → [bold]{k['predikat_final']}[/]; {moved}", highlight=False,
                  soft_wrap=True)

    console.print("\n[bold]6. Stage run yang terlibat[/]")
    table = Table(show_lines=True)
    for col in ("id", "tahap", "flow run", "mulai", "hasil", "ruleset", "input (sha256)", "record_hash"):
        table.add_column(col, overflow="fold")
    for r in p.stage_runs.itertuples(index=False):
        table.add_row(str(r.id), r.tahap, r.flow_run, r.mulai, r.hasil, str(r.ruleset),
                      r.input.replace(", ", "\n"), r.record_hash)
    console.print(table)


def _berakhlak() -> tuple[str, ...]:
    from contract.schema import BERAKHLAK

    return BERAKHLAK


@db_app.command("upgrade")
def db_upgrade(db: DbUrl = None) -> None:
    """Bawa skema basis data ke revisi Alembic terbaru."""
    from sqlalchemy import text

    from models.db import get_engine, migrate, redact
    from stages.context import resolve_db_url

    url = resolve_db_url(db)
    engine = get_engine(url)
    migrate(engine)
    with engine.connect() as conn:
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    console.print(f"Skema {redact(url)} pada revisi [bold]{revision}[/]", highlight=False)


@db_app.command("grant-auditor")
def db_grant_auditor(
    role: Annotated[str, typer.Argument(help="Nama role PostgreSQL untuk auditor", show_default=False)],
    db: DbUrl = None,
    password: Annotated[str | None, typer.Option("--password", help="Kata sandi (bawaan: tanpa)")] = None,
) -> None:
    """Buat role PostgreSQL hanya-baca untuk auditor (SELECT saja pada semua tabel)."""
    from sqlalchemy.engine import make_url

    from audit.trail import grant_auditor
    from kinerja.errors import UsageError
    from stages.context import ensure_schema, resolve_db_url

    url = resolve_db_url(db)
    if make_url(url).get_backend_name() != "postgresql":
        raise UsageError("grant-auditor hanya untuk PostgreSQL; SQLite tidak mengenal role: berikan auditor "
                         "salinan berkas basis data / PostgreSQL only, SQLite has no roles")
    try:
        statements = grant_auditor(ensure_schema(url), role, password)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    for statement in statements:
        console.print(f"  {statement}", highlight=False, soft_wrap=True)
    console.print(f"Role [bold]{role}[/] hanya dapat membaca (SELECT) basis data ini.")


def _log_crash(exc: BaseException) -> Path:
    """Keep the traceback for engineers in a file; users get one line."""
    folder = get_settings().data_dir / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"kinerja-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}.log"
    path.write_text("".join(traceback.format_exception(exc)), encoding="utf-8")
    return path


def main() -> None:
    """Entry point: map project errors to exit codes and one-line messages."""
    _prepare_prefect()
    from rich.markup import escape

    from kinerja.errors import GateFailed, KinerjaError
    from models.db import redact

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    try:
        app(prog_name="kinerja")  # usage errors: typer prints them and exits 2
    except KinerjaError as exc:
        label = "Gerbang gagal" if isinstance(exc, GateFailed) else "Galat"
        err.print(f"[bold red]{label}:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
        report = getattr(exc, "report_path", None)
        if report:
            err.print(f"Laporan gerbang / gate report: {report}", highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err.print("Dibatalkan / interrupted")
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the user must never see a traceback
        path = _log_crash(exc)
        message = redact(str(exc)) if "://" in str(exc) else str(exc)
        err.print(f"[bold red]Kesalahan internal / internal error:[/] {type(exc).__name__}: "
                  f"{escape(message)}", highlight=False, soft_wrap=True)
        err.print(f"Rincian teknis untuk pengembang / details for engineers: {path}", highlight=False,
                  soft_wrap=True)
        sys.exit(2)  # the contract knows 0, 1 and 2 only


if __name__ == "__main__":
    main()
