"""Settings from KINERJA_* variables: the embedded SQLite file by default, each variable overriding it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError

from kinerja.settings import get_settings

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No KINERJA_* variable and no .env file of the developer's: each test sets what it needs."""
    for name in [n for n in os.environ if n.startswith("KINERJA_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_defaults_are_the_embedded_sqlite_file_in_the_projects_data_folder() -> None:
    settings = get_settings()
    assert settings.data_dir == REPO / "data"
    assert settings.db_url == f"sqlite:///{REPO}/data/kinerja.db"
    assert settings.database_url is None
    assert (settings.ruleset, settings.sqlite_timeout, settings.cache_baca_maks_mb) == (
        "permenpan-6-2022", 60.0, 1500)
    assert (settings.test_postgres_url, settings.require_postgres) == (None, False)


def test_data_dir_moves_the_sqlite_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KINERJA_DATA_DIR", str(tmp_path / "data"))
    settings = get_settings()
    assert settings.data_dir == tmp_path / "data"
    assert settings.db_url == f"sqlite:///{tmp_path}/data/kinerja.db"


def test_database_url_wins_over_the_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    url = "postgresql+psycopg://kinerja:rahasia@db.contoh.go.id:5432/kinerja"
    monkeypatch.setenv("KINERJA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KINERJA_DATABASE_URL", url)
    settings = get_settings()
    assert settings.db_url == url
    assert settings.data_dir == tmp_path / "data", "the folder still holds logs and demo data"


@pytest.mark.parametrize(("value", "megabytes"), [("0", 0.0), ("250.5", 250.5), ("4096", 4096.0)])
def test_read_cache_size_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, value: str, megabytes: float
) -> None:
    monkeypatch.setenv("KINERJA_CACHE_BACA_MAKS_MB", value)
    assert get_settings().cache_baca_maks_mb == megabytes


def test_a_negative_read_cache_size_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KINERJA_CACHE_BACA_MAKS_MB", "-1")
    with pytest.raises(ValidationError, match="cache_baca_maks_mb"):
        get_settings()


def test_other_variables_are_read_by_their_prefixed_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KINERJA_RULESET", "instansi-contoh")
    monkeypatch.setenv("KINERJA_SQLITE_TIMEOUT", "2.5")
    monkeypatch.setenv("KINERJA_REQUIRE_POSTGRES", "1")
    monkeypatch.setenv("DATABASE_URL", "postgresql://tanpa-awalan/x")  # unprefixed: not ours
    settings = get_settings()
    assert (settings.ruleset, settings.sqlite_timeout, settings.require_postgres) == (
        "instansi-contoh", 2.5, True)
    assert settings.database_url is None


def test_a_dotenv_file_in_the_working_folder_is_read_and_the_environment_wins(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text(
        f"KINERJA_DATA_DIR={tmp_path / 'dari-env'}\nKINERJA_RULESET=dari-berkas\n"
        "PREFECT_API_URL=http://127.0.0.1:4200/api\nKINERJA_TIDAK_DIKENAL=1\n", encoding="utf-8")
    monkeypatch.setenv("KINERJA_RULESET", "dari-lingkungan")
    settings = get_settings()
    assert settings.db_url == f"sqlite:///{tmp_path}/dari-env/kinerja.db"
    assert settings.ruleset == "dari-lingkungan"


def test_settings_are_read_once_until_the_cache_is_cleared(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    first = get_settings()
    monkeypatch.setenv("KINERJA_DATA_DIR", str(tmp_path))
    assert get_settings() is first and first.data_dir == REPO / "data"
    get_settings.cache_clear()
    assert get_settings().data_dir == tmp_path


def test_workbook_limits_default_to_sane_sizes_and_refuse_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = get_settings()
    assert (settings.xlsx_maks_mb, settings.xlsx_maks_uncompressed_mb, settings.xlsx_maks_rasio) == (
        100, 1000, 100)
    monkeypatch.setenv("KINERJA_XLSX_MAKS_RASIO", "250")
    get_settings.cache_clear()
    assert get_settings().xlsx_maks_rasio == 250
    monkeypatch.setenv("KINERJA_XLSX_MAKS_MB", "0")
    get_settings.cache_clear()
    with pytest.raises(ValidationError, match="xlsx_maks_mb"):
        get_settings()
