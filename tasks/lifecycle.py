"""A stage run's frame: begin (lock, record, checksums), close however it ends, finish with a summary."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from fnmatch import fnmatch
from pathlib import Path

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from kinerja.errors import GateFailed, InputUnreadable, one_line_in_run_logs
from kinerja.settings import get_settings
from penilaian.ruleset import Ruleset, load_ruleset
from reports.retired import remove_left_behind
from stages import registry
from stages.context import StageContext, ensure_schema, resolve_db_url, resolve_tahun
from stages.records import close_interrupted_runs, close_stage_run, open_stage_run
from tasks.retries import DB_RETRIES
from tasks.year_view import LATER, year_view

# Files of one per-unit or per-employee output linked one by one in a run's summary; more are one line.
LINKS_PER_OUTPUT = 50


@contextmanager
def stage_run(
    tahap: str, tahun: int | None, input_dir: str | None, output_dir: str | None, db_url: str | None,
    ruleset: str | None = None, pemicu: str = "manual",
) -> Iterator[tuple[StageContext, Ruleset]]:
    """The frame of every stage: hold the (stage, year) lock, open the run record, close it."""
    from models.locks import stage_lock

    one_line_in_run_logs()
    with stage_lock(tahap, resolve_tahun(tahap, tahun), resolve_db_url(db_url)):
        ctx, rules = begin(tahap, tahun, input_dir, output_dir, db_url, ruleset, pemicu)
        with recorded(ctx):
            yield ctx, rules


@task(name="mulai-tahap", cache_policy=NO_CACHE, **DB_RETRIES)
def begin(
    tahap: str, tahun: int | None, input_dir: str | None, output_dir: str | None, db_url: str | None,
    ruleset: str | None = None, pemicu: str = "manual",
) -> tuple[StageContext, Ruleset]:
    """Open the stage-run record: flow run, input checksums, ruleset, code version."""
    from prefect.runtime import flow_run

    from contract.files import sha256_of_inputs
    from stages.cache import release_unused_memory

    release_unused_memory()  # what the previous stage of this process freed
    rules = load_ruleset(ruleset)
    ctx = StageContext(
        tahap=tahap, tahun=resolve_tahun(tahap, tahun),
        input_dir=Path(input_dir or get_settings().data_dir / "input"),
        output_root=Path(output_dir or get_settings().data_dir / "output"),
        db_url=resolve_db_url(db_url), ruleset_name=ruleset or rules.nama,
        flow_run_id=str(flow_run.id) if flow_run.id else None, flow_run_name=flow_run.name,
        pemicu=trigger(pemicu),
    )
    if not ctx.input_dir.is_dir():
        raise InputUnreadable(f"{ctx.input_dir}: folder input tidak ada / input folder does not exist")
    remove_left_behind(ctx.output_root)  # replaced files a killed process did not delete (reports.retired)
    ctx.checksums = sha256_of_inputs(ctx.input_dir, registry.get(tahap).inputs)
    ensure_schema(ctx.db_url, ctx.cache)
    interrupted = close_interrupted_runs(ctx)
    open_stage_run(ctx, rules.label, rules.checksum)
    logger = get_run_logger()
    if interrupted:
        logger.warning("Stage run terputus ditutup: %s", interrupted)
    logger.info("Tahap %s %s dimulai (stage run %s, %s)", tahap, ctx.tahun, ctx.stage_run_id, rules.label)
    return ctx, rules


def trigger(pemicu: str) -> str:
    """'jadwal' only for runs the scheduler created; a deployment run started by hand says so."""
    from prefect.context import FlowRunContext

    context = FlowRunContext.get()
    flow_run = context.flow_run if context else None
    if flow_run is None or flow_run.deployment_id is None:
        return pemicu
    return "jadwal" if flow_run.auto_scheduled else "deployment-manual"


@contextmanager
def recorded(ctx: StageContext) -> Iterator[None]:
    """Close the stage-run record with the right outcome however the stage ends; a stage its gate stopped
    still refreshes the year view (the index shows the failed gate and links its report)."""
    try:
        yield
    except GateFailed as exc:
        close_stage_run(ctx, "gerbang_gagal", {}, str(exc))
        view, problem = year_view(ctx)
        publish_summary(ctx, {}, [Path(ctx.gerbang["laporan"])] if ctx.gerbang.get("laporan") else [],
                        "gerbang_gagal", view, problem)
        raise
    except InputUnreadable as exc:
        close_stage_run(ctx, "input_tidak_terbaca", {}, str(exc))
        raise
    except BaseException as exc:
        close_stage_run(ctx, "gagal", {}, f"{type(exc).__name__}: {exc}")
        raise


@task(name="selesai", cache_policy=NO_CACHE, **DB_RETRIES)
def close_run(ctx: StageContext, counts: dict, outcome: str) -> None:
    """Close and seal the stage-run record with its counts."""
    close_stage_run(ctx, outcome, counts)


def finish(ctx: StageContext, counts: dict, reports: list[Path], outcome: str = "berhasil") -> dict:
    """Close the stage run, refresh the year view (unless a later stage of the same command will:
    tasks.year_view.one_year_view) and publish the run's summary to the run history."""
    close_run(ctx, counts, outcome)
    view, problem = year_view(ctx, may_wait=True)
    publish_summary(ctx, counts, reports, outcome, view, problem)
    get_run_logger().info("Tahap %s %s selesai: %s", ctx.tahap, ctx.tahun, outcome)
    return {"tahap": ctx.tahap, "tahun": ctx.tahun, "stage_run_id": ctx.stage_run_id,
            "outcome": outcome, "counts": counts, "output_dir": str(ctx.output_dir),
            "reports": [str(p) for p in reports]}


def publish_summary(ctx: StageContext, counts: dict, reports: list[Path], outcome: str,
                    view: list[Path], problem: str = "") -> None:
    """The run's markdown artifact (key `<tahap>-<tahun>`): what the Prefect UI shows of the run."""
    from prefect.artifacts import create_markdown_artifact

    create_markdown_artifact(
        key=f"{ctx.tahap}-{ctx.tahun}",
        markdown=summary_markdown(ctx, counts, reports, outcome, view=view, problem=problem),
        description=f"Ringkasan {ctx.tahap} {ctx.tahun}: {outcome}",
    )


def _gate_line(gerbang: dict) -> str:
    if not gerbang:
        return "- gerbang mutu data / gate: -"
    verdict = "LULUS / passed" if gerbang["lulus"] else "GAGAL / failed"
    return (f"- gerbang mutu data / gate: **{verdict}** — {gerbang['diperiksa']} pemeriksaan / checks, "
            f"{gerbang['gagal']} tidak lulus / failed")


def summary_markdown(ctx: StageContext, counts: dict, reports: list[Path], outcome: str,
                     view: list[Path] | None = None, problem: str = "") -> str:
    """The run-history summary of a stage run: where to start (index.html), its record, gate, counts
    and links to its reports."""
    index = next((p for p in view or [] if p.name == "index.html"), None)
    if index is not None:
        start = f"- **ringkasan tahun / year view: [{index}]({index.resolve().as_uri()})**"
    elif problem == LATER:
        start = f"- ringkasan tahun / year view: {LATER}"
    else:
        start = f"- ringkasan tahun / year view: tidak diperbarui / not refreshed ({problem or '-'})"
    lines = [
        f"# {ctx.tahap} {ctx.tahun}",
        "",
        start,
        f"- stage run: **{ctx.stage_run_id}**, hasil: **{outcome}**",
        _gate_line(ctx.gerbang),
        f"- input: `{ctx.input_dir}`",
        f"- output: `{ctx.output_dir}`",
        "",
        "| hitungan | nilai |",
        "|---|---|",
        *[f"| {key} | {value} |" for key, value in sorted(counts.items())],
        "",
        "## Laporan",
        *_report_links(ctx, [*reports, *(view or [])]),
    ]
    return "\n".join(lines)


def _report_links(ctx: StageContext, paths: list[Path]) -> list[str]:
    """A link per report; the files of one per-unit or per-employee output (`ringkasan_*.html`,
    `dokumen/*.html`: stages.registry) as one line with their count and folder once there are more than
    LINKS_PER_OUTPUT (at 1,000,000 employees training writes 83,334 unit files, and the summary listed
    every one)."""
    patterns = [p for p in registry.get(ctx.tahap).outputs if "*" in p]
    families: dict[str, list[str]] = {}
    base = f"{ctx.output_dir}{os.sep}"
    for text in map(str, paths):  # as text: pathlib's relative_to took 1.5 s for 83,334 paths
        name = text[len(base):].replace(os.sep, "/") if text.startswith(base) else _relative_name(ctx, text)
        family = next((p for p in patterns if fnmatch(name, p)), name)
        families.setdefault(family, []).append(text)
    links = []
    for family, members in families.items():
        if len(members) > LINKS_PER_OUTPUT:
            folder = Path(members[0]).parent.resolve()
            links.append(f"- {family}: {len(members):,} berkas / files in [{folder}]({folder.as_uri()})")
        else:
            links += [f"- [{path.name}]({uri})" for path, uri in _file_uris(list(map(Path, members)))]
    return links


def _relative_name(ctx: StageContext, text: str) -> str:
    path = Path(text)
    try:
        return path.relative_to(ctx.output_dir).as_posix()
    except ValueError:
        return path.name


def _file_uris(paths: list[Path]) -> list[tuple[Path, str]]:
    """Each path with its file:// URI, resolving each folder once."""
    folders: dict[Path, Path] = {}
    out = []
    for path in paths:
        folder = folders.get(path.parent)
        if folder is None:
            folder = folders[path.parent] = path.parent.resolve()
        out.append((path, (folder / path.name).as_uri()))
    return out
