"""StageContext, the year a stage works on, and the once-per-cache schema migration."""

from __future__ import annotations

import pickle
import shlex
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from kinerja.settings import get_settings
from stages import context as context_module
from stages import registry
from stages.cache import ProcessCache, process_cache
from stages.context import StageContext, ensure_schema, resolve_tahun

JANUARY = datetime(2027, 1, 20, 1, 0, tzinfo=UTC)
JULY = datetime(2026, 7, 10, 1, 0, tzinfo=UTC)


# ---------------------------------------------------------------- resolve_tahun


@pytest.mark.parametrize("stage", registry.STAGES, ids=lambda s: s.name)
def test_year_from_the_run_date(stage: registry.Stage) -> None:
    in_january = 2026 if stage.previous_year else 2027
    assert resolve_tahun(stage.name, None, JANUARY) == in_january
    assert resolve_tahun(stage.name, None, JULY) == 2026


def test_previous_year_ends_with_june_in_jakarta_time() -> None:
    # 2026-06-30 17:30 UTC is already 1 July 00:30 in Jakarta (UTC+7)
    assert resolve_tahun("year-end", None, datetime(2026, 6, 30, 16, 30, tzinfo=UTC)) == 2025
    assert resolve_tahun("year-end", None, datetime(2026, 6, 30, 17, 30, tzinfo=UTC)) == 2026
    # New Year's Eve 20:00 UTC is 1 January in Jakarta: the new year has begun
    new_year = datetime(2026, 12, 31, 20, 0, tzinfo=UTC)
    assert resolve_tahun("plan-collection", None, new_year) == 2027
    assert resolve_tahun("year-end", None, new_year) == 2026


def test_the_cycle_works_on_the_current_year() -> None:
    assert resolve_tahun(registry.CYCLE, None, JANUARY) == 2027
    assert resolve_tahun(registry.CYCLE, None, JULY) == 2026


def test_an_explicit_year_wins() -> None:
    for name in (*registry.names(), registry.CYCLE):
        assert resolve_tahun(name, 2020, JANUARY) == 2020
        assert resolve_tahun(name, 2031, JULY) == 2031


def test_without_a_date_today_is_used() -> None:
    now = datetime.now(UTC)
    assert resolve_tahun("plan-collection", None) in (now.year, now.year + 1)  # Jakarta may be ahead


# ---------------------------------------------------------------- StageContext


def _context(tmp_path: Path, cache: ProcessCache) -> StageContext:
    return StageContext(tahap="year-end", tahun=2026, input_dir=tmp_path / "in", output_root=tmp_path / "out",
                        db_url=f"sqlite:///{tmp_path / 'k.db'}", ruleset_name="bawaan", stage_run_id=7,
                        checksums={"pegawai.csv": "abc"}, cache=cache)


def test_output_dir_is_per_year(tmp_path: Path) -> None:
    assert _context(tmp_path, ProcessCache(0)).output_dir == tmp_path / "out" / "2026"


def test_a_new_context_takes_the_process_cache(tmp_path: Path) -> None:
    ctx = StageContext(tahap="validation", tahun=2026, input_dir=tmp_path, output_root=tmp_path,
                       db_url="sqlite://", ruleset_name="bawaan")
    assert ctx.cache is process_cache()
    assert ctx.written == {}


def test_pickling_leaves_the_cache_and_the_written_digests_behind(tmp_path: Path) -> None:
    own = ProcessCache(read_budget_bytes=1)
    own.readings["pegawai"] = object()
    ctx = _context(tmp_path, own)
    ctx.written["pegawai"] = {"baris": 3, "sha256": "00"}

    state = ctx.__getstate__()
    assert "cache" not in state and state["written"] == {}
    restored = pickle.loads(pickle.dumps(ctx))

    assert restored.cache is process_cache() and restored.cache is not own
    assert restored.written == {}
    assert restored == ctx  # every other field survives
    assert (restored.stage_run_id, restored.checksums) == (7, {"pegawai.csv": "abc"})
    assert ctx.cache is own and ctx.written == {"pegawai": {"baris": 3, "sha256": "00"}}  # original untouched


def test_the_command_of_a_stage_repeats_this_calls_year_folders_and_database(tmp_path: Path) -> None:
    odd = tmp_path / "data HR's" / "input 2026"  # a space and a quote: shell-quoted
    ctx = StageContext(tahap="training", tahun=2026, input_dir=odd, output_root=tmp_path / "keluaran",
                       db_url=f"sqlite:///{tmp_path / 'k.db'}", ruleset_name=get_settings().ruleset)
    command = ctx.command("year-end")
    assert shlex.split(command) == ["kinerja", "run", "year-end", "--tahun", "2026", "--input", str(odd),
                                    "--output", str(tmp_path / "keluaran"), "--db", ctx.db_url]
    assert ctx.password_note() == ""  # nothing hidden: copy as it is
    other = replace(ctx, ruleset_name="rulesets/daerah-x.toml")
    assert shlex.split(other.command("year-end"))[-2:] == ["--ruleset", "rulesets/daerah-x.toml"]


def test_the_command_never_shows_the_database_password(tmp_path: Path) -> None:
    ctx = StageContext(tahap="training", tahun=2026, input_dir=tmp_path, output_root=tmp_path,
                       db_url="postgresql+psycopg://hr:rahasia-9431@db.pemda:5432/kinerja",
                       ruleset_name=get_settings().ruleset)
    command = ctx.command("year-end")
    assert "rahasia-9431" not in command
    assert shlex.split(command)[-1] == "postgresql+psycopg://hr:***@db.pemda:5432/kinerja"
    assert "ganti *** dengan kata sandi" in ctx.password_note() and "replace ***" in ctx.password_note()


# ---------------------------------------------------------------- ensure_schema


@pytest.fixture
def migrations(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The URLs stages.context migrates, in order (the real migration still runs)."""
    calls: list[str] = []
    real = context_module.migrate

    def counting(engine: sa.Engine) -> None:
        calls.append(engine.url.render_as_string(hide_password=False))
        real(engine)

    monkeypatch.setattr(context_module, "migrate", counting)
    yield calls


def test_ensure_schema_migrates_once_per_cache(sqlite_url: str, migrations: list[str]) -> None:
    cache = ProcessCache(read_budget_bytes=0)

    engine = ensure_schema(sqlite_url, cache)
    assert ensure_schema(sqlite_url, cache) is engine
    assert migrations == [sqlite_url]
    assert cache.migrated == {sqlite_url}
    assert {"stage_run", "rantai_audit", "hasil_penilaian"} <= set(sa.inspect(engine).get_table_names())

    other = ProcessCache(read_budget_bytes=0)
    ensure_schema(sqlite_url, other)  # a new cache checks again (migration is idempotent)
    assert migrations == [sqlite_url, sqlite_url]


def test_ensure_schema_migrates_each_database(tmp_path: Path, migrations: list[str]) -> None:
    cache = ProcessCache(read_budget_bytes=0)
    first, second = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    ensure_schema(first, cache)
    ensure_schema(second, cache)
    ensure_schema(first, cache)
    assert migrations == [first, second]
