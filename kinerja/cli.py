"""The `kinerja` command: stages as Prefect flow runs, clear messages, never a traceback for data problems."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kinerja.cli_audit import audit_app, db_app
from kinerja.cli_options import (
    DaskAddress,
    DbUrl,
    Dokumen,
    Executor,
    InputDir,
    OutputDir,
    Ruleset,
    Tahun,
    console,
    err,
)
from kinerja.settings import get_settings
from stages import registry

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

app = typer.Typer(
    add_completion=False, no_args_is_help=True, rich_markup_mode="rich", pretty_exceptions_enable=False,
    help="Kinerja — penilaian kinerja ASN (PermenPAN-RB 6/2022) sebagai alur Prefect.",
)
app.add_typer(audit_app, name="audit")
app.add_typer(db_app, name="db")


def _show_version(value: bool) -> None:
    if not value:
        return
    from importlib.metadata import version

    from penilaian.ruleset import load_ruleset
    from stages.context import code_version

    rules = load_ruleset(None)
    console.print(f"kinerja {version('kinerja')} (kode {code_version()}; aturan {rules.label}; "
                  f"prefect {version('prefect')}; python {sys.version.split()[0]})",
                  highlight=False, soft_wrap=True)
    raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[bool, typer.Option("--version", callback=_show_version, is_eager=True,
                                          help="Versi Kinerja, kode, aturan dan pustaka / version")] = False,
) -> None:
    """Kinerja — penilaian kinerja ASN (PermenPAN-RB 6/2022) sebagai alur Prefect."""


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
        from kinerja.prefect_server import project_server_url

        url = project_server_url()  # never another checkout's server on the port
        if url:
            os.environ["PREFECT_API_URL"] = url


def _check_dokumen(mode: str) -> str:
    if mode in ("semua", "tidak") or (mode.startswith(("unit:", "nip:")) and len(mode.split(":", 1)[1]) > 0):
        return mode
    from kinerja.errors import UsageError

    raise UsageError(f"--dokumen {mode!r} tidak dikenal / unknown: pakai semua | unit:KODE | nip:NIP | tidak")


class ProgressLines:
    """The stage observer of a command: a line per stage, a spinner while it runs, then ✓ or ✗."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.lines: dict[str, TaskID] = {}

    def started(self, tahap: str, tahun: int) -> None:
        self.lines[tahap] = self.progress.add_task(f"[bold]{tahap}[/] {tahun}", total=1)

    def finished(self, tahap: str, tahun: int, result: dict) -> None:
        self.progress.update(self.lines[tahap], description=f"[green]✓ {tahap}[/] {tahun}", completed=1)

    def failed(self, tahap: str, tahun: int, error: BaseException) -> None:
        self.progress.update(self.lines[tahap], description=f"[red]✗ {tahap}[/] {tahun}", completed=1)


def _run_flows(stage: str | None, tahun: int, input_dir: Path, output_dir: Path, db: str | None,
               dokumen: str, ruleset: str | None, executor: str = "lokal",
               dask_address: str | None = None) -> list[dict]:
    """Run one stage's flow, or the `cycle` flow when `stage` is None, with a progress line per stage."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from flows.cycle import cycle as cycle_flow
    from flows.executor import check_executor, dask_cluster
    from flows.progress import observing, run_stage
    from kinerja.errors import InputUnreadable
    from kinerja.prefect_server import foreground_runs

    _check_dokumen(dokumen)
    check_executor(executor)
    if not input_dir.is_dir():
        raise InputUnreadable(f"{input_dir}: folder input tidak ada / input folder does not exist")
    if db:
        # The URL may carry a password: hand it over through the environment, never as a flow
        # parameter (parameters are stored and shown in the run history).
        os.environ["KINERJA_DATABASE_URL"] = db
        get_settings.cache_clear()
    parameters = dict(tahun=tahun, input_dir=str(input_dir.resolve()), output_dir=str(output_dir.resolve()),
                      db_url=None, ruleset=ruleset, pemicu=os.environ.get("KINERJA_PEMICU", "manual"))
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=console, transient=False) as progress, \
            observing(ProgressLines(progress)), foreground_runs():
        if stage is None:
            results = cycle_flow(**parameters, dokumen=dokumen, executor=executor, dask_address=dask_address)
        else:
            with dask_cluster(executor, dask_address) as address:
                results = [run_stage(stage, parameters, dokumen=dokumen, executor=executor,
                                     dask_address=address)]
    _print_summary(results)
    return results


def _print_summary(results: list[dict]) -> None:
    """One line per stage with the numbers HR looks at; every count is in the run's artifact."""
    if not results:
        return
    console.print("[bold]Ringkasan tahap[/] (semua hitungan di artefak flow run Prefect / "
                  "every count in the Prefect flow run's artifact)", highlight=False)
    width = max(len(r["tahap"]) for r in results)
    for r in results:
        console.print(f"  {r['tahap']:<{width}}  {r['outcome']:<15} run {r['stage_run_id']:<4} "
                      f"{summary_line(r['tahap'], r['counts'])}", highlight=False, soft_wrap=True)
    console.print(f"Hasil ditulis di [bold]{results[-1]['output_dir']}[/]")


def summary_line(tahap: str, counts: dict[str, int]) -> str:
    """`pegawai 1427 sah, 76 dikarantina · karantina 78 masalah · <the stage's headline counts>`."""
    from contract.schema import PREDIKAT

    sah, dikarantina = counts.get("pegawai.sah", 0), counts.get("pegawai.dikarantina", 0)
    parts = [f"pegawai {sah} sah, {dikarantina} dikarantina",
             f"karantina {counts.get('dikarantina', 0)} masalah"]
    for key in registry.get(tahap).headline:
        if key.endswith(".*"):
            prefix = key[:-1]
            parts += [f"{p} {counts[prefix + p]}" for p in PREDIKAT if prefix + p in counts]
        elif key in counts:
            parts.append(f"{key.replace('.', ' ').replace('_', ' ')} {counts[key]}")
    return " · ".join(parts)


@app.command()
def run(
    stage: Annotated[str, typer.Argument(help=" | ".join(registry.names()), show_default=False)],
    tahun: Tahun, input: InputDir, output: OutputDir, db: DbUrl = None,
    dokumen: Dokumen = "semua", ruleset: Ruleset = None, executor: Executor = "lokal",
    dask_address: DaskAddress = None,
) -> None:
    """Jalankan satu tahap sebagai flow run Prefect."""
    if stage not in registry.names():
        from kinerja.errors import UsageError

        raise UsageError(f"tahap {stage!r} tidak dikenal / unknown stage: {' | '.join(registry.names())}")
    _run_flows(stage, tahun, input, output, db, dokumen, ruleset, executor, dask_address)


@app.command()
def cycle(tahun: Tahun, input: InputDir, output: OutputDir, db: DbUrl = None,
          dokumen: Dokumen = "semua", ruleset: Ruleset = None, executor: Executor = "lokal",
          dask_address: DaskAddress = None) -> None:
    """Jalankan seluruh siklus (enam tahap berurutan) sebagai flow run Prefect `cycle`."""
    _run_flows(None, tahun, input, output, db, dokumen, ruleset, executor, dask_address)


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
    _run_flows(None, tahun, input_dir, output_dir, db, dokumen, None)
    year_dir = output_dir / str(tahun)
    console.print("\n[bold green]Demo selesai.[/] Mulai dari / start here:")
    console.print(f"  [bold]{year_dir / 'index.html'}[/]", soft_wrap=True, highlight=False)
    console.print(f"Semua berkas tahun ini / every file of the year, in {year_dir}:", soft_wrap=True)
    for name in _single_outputs(tahun):
        console.print(f"  • {year_dir / name}", soft_wrap=True, highlight=False)


def _single_outputs(tahun: int) -> list[str]:
    """The files every stage writes once per year: the year view first, then in cycle order (per-unit
    pages left out, the per-employee documents as their folder)."""
    names = [name.replace("<tahun>", str(tahun)) for name in registry.YEAR_VIEW]
    for stage in registry.STAGES:
        for output in stage.outputs:
            name = output.split("/")[0] + "/" if "/" in output else output
            if "*" not in name and name not in names:
                names.append(name)
    return names


def _log_crash(exc: BaseException) -> Path:
    """Keep the traceback for engineers in a file; users get one line."""
    folder = get_settings().data_dir / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"kinerja-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}.log"
    path.write_text("".join(traceback.format_exception(exc)), encoding="utf-8")
    return path


def _print_fixes(result: object, most: int = 3) -> None:
    """What to do about each of the first failing checks of a gate, Indonesian then English."""
    from rich.markup import escape

    for check in list(getattr(result, "gagal", None) or [])[:most]:
        if check.perbaikan or check.fix:
            err.print(f"  → {escape(check.kode)}: {escape(check.perbaikan)} / {escape(check.fix)}",
                      highlight=False, soft_wrap=True)


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
        message = escape(str(exc))
        if isinstance(exc, GateFailed):  # "Gerbang gagal — <tahap> <tahun>: … / Gate failed — …"
            head, sep, rest = message.partition(" — ")
            err.print(f"[bold red]{head}[/]{sep}{rest}", highlight=False, soft_wrap=True)
            _print_fixes(exc.result)
        else:
            err.print(f"[bold red]Galat / error:[/] {message}", highlight=False, soft_wrap=True)
        report = getattr(exc, "report_path", None)
        if report:
            err.print(f"Laporan gerbang (baris terburuk, cara memperbaiki) / gate report (worst rows, how to "
                      f"fix): {report}", highlight=False, soft_wrap=True)
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
