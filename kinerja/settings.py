"""Process-wide configuration from KINERJA_* environment variables (pydantic-settings)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_DIR = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Everything a deployment may set: database, folders, ruleset."""

    model_config = SettingsConfigDict(env_prefix="KINERJA_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=PROJECT_DIR / "data", description="Embedded database and demo data")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; default SQLite")
    ruleset: str = Field(default="permenpan-6-2022", description="Ruleset name or path")
    sqlite_timeout: float = Field(default=60.0, description="Seconds SQLite waits for a lock")
    cache_baca_maks_mb: float = Field(
        default=1500, ge=0, description="MiB of parsed input files kept for the next stage (0: off); "
        "used when KINERJA_CACHE_PERIKSA is off")
    cache_periksa: bool = Field(
        default=True, description="keep each input file's checked rows for the next stage of the process "
        "(a file with the same bytes and parents is neither parsed nor checked again)")
    xlsx_maks_mb: float = Field(default=100, gt=0, description="MiB kinerja.xlsx may take on disk")
    xlsx_maks_uncompressed_mb: float = Field(
        default=1000, gt=0, description="MiB the members of kinerja.xlsx may take uncompressed")
    xlsx_maks_rasio: float = Field(
        default=100, gt=0, description="Largest compression ratio of kinerja.xlsx (and of a member)")
    dask_partisi_dir: Path | None = Field(
        default=None, description="Folder (seen by the Dask workers) where a stage leaves each instansi's "
        "partition for them; default the system temp folder")
    proses_laporan: int = Field(
        default=0, ge=0, le=64, description="Processes that render the per-unit and per-employee pages "
        "(0: one per CPU core, at most 4; 1: the flow process alone)")
    test_postgres_url: str | None = None
    require_postgres: bool = False

    @property
    def db_url(self) -> str:
        """The configured URL, or the embedded SQLite file under data_dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'kinerja.db'}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
