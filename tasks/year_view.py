"""The year at a glance, refreshed at the end of every stage: index.html, its search data and the workbook.

Both are views of what the year already holds (the database and the output CSVs), written after the stage
run is closed so that they show its outcome. They never decide a stage: the stage's results are stored
and sealed by then, so a view that cannot be written is reported (log and run summary) and left for the
next stage, not turned into a failed stage whose record says it succeeded.
"""

from __future__ import annotations

from pathlib import Path

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from penilaian.ruleset import load_ruleset
from stages.context import StageContext


@task(name="ringkasan-tahun", cache_policy=NO_CACHE)
def refresh_year_view(ctx: StageContext) -> list[Path]:
    """kinerja_<tahun>.xlsx from the year's CSVs, then index.html (which links the workbook)."""
    from reports.index_page import render_index
    from reports.workbook import write_workbook

    workbook = write_workbook(ctx.output_dir, ctx.tahun)
    pages = render_index(ctx.db_url, ctx.tahun, ctx.output_dir, load_ruleset(ctx.ruleset_name))
    get_run_logger().info("Ringkasan tahun: %s", pages[0] if pages else "-")
    return [*pages, *([workbook] if workbook else [])]


def year_view(ctx: StageContext) -> tuple[list[Path], str]:
    """Refresh the year view; (files, "") when written, ([], one-line reason) when it could not be."""
    try:
        return refresh_year_view(ctx), ""
    except Exception as exc:  # noqa: BLE001 - a view never fails a stage whose results are sealed
        reason = f"{type(exc).__name__}: {exc}".splitlines()[0]
        get_run_logger().warning("Ringkasan tahun (index.html, kinerja_%s.xlsx) tidak diperbarui / year view "
                                 "not refreshed: %s", ctx.tahun, reason)
        return [], reason
