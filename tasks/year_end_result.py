"""What training builds on: the year-end result, required in the database, reused from the process cache."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from contract.files import stage_checksums
from kinerja.errors import StageRefused
from models import stage_runs
from penilaian.ruleset import Ruleset
from penilaian.year_end import year_end_key
from stages.context import StageContext
from tasks.retries import DB_RETRIES


@task(name="periksa-hasil-akhir-tahun", cache_policy=NO_CACHE, **DB_RETRIES)
def require_year_end(ctx: StageContext, year_end: str) -> int:
    """Refuse to run before the year-end stage `year_end` scored this year, or when its inputs have
    changed since; the id of the year-end stage run otherwise."""
    row = stage_runs.latest_successful_run(ctx.engine, ctx.tahun, year_end)
    # the command to run instead: this call's year, folders and database (password hidden)
    command = f"`{ctx.command(year_end)}`{ctx.password_note()}"
    if row is None:
        raise StageRefused(
            f"{ctx.tahap} {ctx.tahun}: belum ada hasil penilaian akhir tahun / no {year_end} results yet — "
            f"jalankan dulu, lalu ulangi perintah ini / run this first, then this command again: {command}"
        )
    year_end_run, recorded = row
    scored = stage_checksums(recorded, year_end)
    now = stage_checksums(ctx.checksums, year_end)
    changed = sorted(n for n in scored.keys() | now.keys() if scored.get(n) != now.get(n))
    if changed:
        raise StageRefused(
            f"{ctx.tahap} {ctx.tahun}: input berubah sejak penilaian akhir tahun ({', '.join(changed)}) / "
            f"inputs changed since {year_end} scoring — jalankan ulang {year_end}, lalu ulangi perintah "
            f"ini / re-run {year_end}, then this command again: {command}"
        )
    return year_end_run


def remember_year_end(ctx: StageContext, rules: Ruleset, result) -> None:
    """Keep a copy of the year-end result in the process cache, under what it was scored from."""
    ctx.cache.remember_year_end(year_end_key(ctx.tahun, rules.checksum, ctx.checksums), result.shallow_copy())


def recall_year_end(ctx: StageContext, rules: Ruleset):
    """A copy of the year-end result this process scored from the same inputs and ruleset, or None."""
    found = ctx.cache.recall_year_end(year_end_key(ctx.tahun, rules.checksum, ctx.checksums))
    return None if found is None else found.shallow_copy()
