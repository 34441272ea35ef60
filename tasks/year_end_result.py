"""What objection and training build on: the stage before, required in the database and unchanged since;
the year-end result, reused from the process cache."""

from __future__ import annotations

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from contract.files import stage_checksums
from kinerja.errors import StageRefused
from models import stage_runs
from penilaian.ruleset import Ruleset
from penilaian.year_end import year_end_key
from stages import registry
from stages.context import StageContext
from tasks.retries import DB_RETRIES


@task(name="periksa-hasil-akhir-tahun", cache_policy=NO_CACHE, **DB_RETRIES)
def require_year_end(ctx: StageContext, builds_on: str) -> int:
    """Refuse to run before stage `builds_on` (year-end for objection, objection for training) succeeded
    this year, when its inputs have changed since, or when a stage it builds on in turn (year-end under
    objection) ran after it; the id of its latest successful run otherwise."""
    row = stage_runs.latest_successful_run(ctx.engine, ctx.tahun, builds_on)
    # the command to run instead: this call's year, folders and database (password hidden)
    command = f"`{ctx.command(builds_on)}`{ctx.password_note()}"
    label = registry.get(builds_on).label.lower()
    if row is None:
        raise StageRefused(
            f"{ctx.tahap} {ctx.tahun}: belum ada hasil {label} / no {builds_on} results yet — "
            f"jalankan dulu, lalu ulangi perintah ini / run this first, then this command again: {command}"
        )
    built_on_run, recorded = row
    scored = stage_checksums(recorded, builds_on)
    now = stage_checksums(ctx.checksums, builds_on)
    changed = sorted(n for n in scored.keys() | now.keys() if scored.get(n) != now.get(n))
    if changed:
        raise StageRefused(
            f"{ctx.tahap} {ctx.tahun}: input berubah sejak {label} ({', '.join(changed)}) / "
            f"inputs changed since {builds_on} — jalankan ulang {builds_on}, lalu ulangi perintah "
            f"ini / re-run {builds_on}, then this command again: {command}"
        )
    below = registry.get(builds_on).builds_on
    later = None if below is None else stage_runs.latest_successful_run(ctx.engine, ctx.tahun, below)
    if later is not None and later[0] > built_on_run:
        raise StageRefused(
            f"{ctx.tahap} {ctx.tahun}: {registry.get(below).label.lower()} dijalankan lagi setelah "
            f"{label} terakhir / {below} ran after the latest {builds_on} run — jalankan ulang "
            f"{builds_on}, lalu ulangi perintah ini / re-run {builds_on}, then this command again: {command}"
        )
    return built_on_run


def remember_year_end(ctx: StageContext, rules: Ruleset, result) -> None:
    """Keep a copy of the year-end result in the process cache, under what it was scored from."""
    ctx.cache.remember_year_end(year_end_key(ctx.tahun, rules.checksum, ctx.checksums), result.shallow_copy())


def recall_year_end(ctx: StageContext, rules: Ruleset):
    """A copy of the year-end result this process scored from the same inputs and ruleset, or None."""
    found = ctx.cache.recall_year_end(year_end_key(ctx.tahun, rules.checksum, ctx.checksums))
    if found is None:
        return None
    from prefect.exceptions import MissingContextError

    try:
        get_run_logger().info("Hasil akhir tahun yang sudah dihitung di proses ini dipakai (input dan "
                              "ruleset sama) / the year-end result scored earlier in this process is reused")
    except MissingContextError:
        pass
    return found.shallow_copy()
