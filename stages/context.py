"""What a stage run knows about itself, and the year a stage works on."""

from __future__ import annotations

import shlex
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine

from kinerja.settings import PROJECT_DIR, get_settings
from models.db import get_engine, migrate
from stages import registry
from stages.cache import ProcessCache, process_cache


@dataclass
class StageContext:
    """Everything a stage run needs to know about itself; small and picklable (the process cache and
    the digests of rows written in this process stay behind when it is pickled)."""

    tahap: str
    tahun: int
    input_dir: Path
    output_root: Path
    db_url: str
    ruleset_name: str
    stage_run_id: int = 0
    flow_run_id: str | None = None
    flow_run_name: str | None = None
    checksums: dict[str, str] = field(default_factory=dict)
    pemicu: str = "manual"
    cache: ProcessCache = field(default_factory=process_cache, repr=False, compare=False)
    # Digests of the rows this run has committed, per table (stages.records): sealing takes them
    # instead of reading the rows back, after a count check.
    written: dict[str, dict] = field(default_factory=dict, repr=False, compare=False)
    # The last gate's outcome (tasks.gates.decide): passed, checks, failed, report path — for the summary.
    gerbang: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def output_dir(self) -> Path:
        return self.output_root / str(self.tahun)

    @property
    def engine(self) -> Engine:
        return get_engine(self.db_url)

    def command(self, tahap: str) -> str:
        """`kinerja run <tahap>` for this run's year, input and output folders, database and (when not
        the default) ruleset, shell-quoted so HR can copy it; the database password shows as ***."""
        from models.db import redact

        args = ["kinerja", "run", tahap, "--tahun", str(self.tahun), "--input", str(self.input_dir),
                "--output", str(self.output_root), "--db", redact(self.db_url)]
        if self.ruleset_name != get_settings().ruleset:
            args += ["--ruleset", self.ruleset_name]
        return shlex.join(args)

    def password_note(self) -> str:
        """What to put for *** in `command`, when the database URL has a password ("" otherwise)."""
        from sqlalchemy.engine import make_url

        try:
            hidden = make_url(self.db_url).password is not None
        except Exception:  # noqa: BLE001 - an unparsable URL is shown as a placeholder by redact
            hidden = False
        if not hidden:
            return ""
        return " (ganti *** dengan kata sandi basis data / replace *** with the database password)"

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("cache", None)
        state["written"] = {}
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.cache = process_cache()


@lru_cache
def code_version() -> str:
    """The git commit of the code (or the package version when not in a checkout)."""
    try:
        out = subprocess.run(
            ["git", "-C", str(PROJECT_DIR), "rev-parse", "--short=12", "HEAD"],
            capture_output=True, text=True, timeout=5, check=True,
        )
        dirty = subprocess.run(
            ["git", "-C", str(PROJECT_DIR), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True, timeout=5, check=True,
        ).stdout.strip()
        return out.stdout.strip() + ("+lokal" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        from importlib.metadata import version

        return f"kinerja {version('kinerja')}"


def resolve_db_url(db_url: str | None) -> str:
    return db_url or get_settings().db_url


def ensure_schema(db_url: str, cache: ProcessCache | None = None) -> Engine:
    """Engine for the URL with the schema migrated once per process."""
    cache = cache or process_cache()
    engine = get_engine(db_url)
    if db_url not in cache.migrated:
        migrate(engine)
        cache.migrated.add(db_url)
    return engine


def resolve_tahun(tahap: str, tahun: int | None, today: datetime | None = None) -> int:
    """The year a stage works on: as given, or derived from the run date in Asia/Jakarta (stages that
    run in January for the year that just ended take the previous year in January–June)."""
    if tahun is not None:
        return int(tahun)
    from zoneinfo import ZoneInfo

    now = (today or datetime.now(UTC)).astimezone(ZoneInfo("Asia/Jakarta"))
    previous_year = tahap != registry.CYCLE and registry.get(tahap).previous_year
    if previous_year and now.month <= 6:
        return now.year - 1
    return now.year
