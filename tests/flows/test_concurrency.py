"""Two triggers of the same stage and year never run at once and never write twice."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from flows.year_end import year_end
from kinerja.demo.generator import generate
from kinerja.errors import StageRefused
from models.db import get_engine
from models.locks import stage_lock

pytestmark = pytest.mark.slow

TAHUN = 2026


@pytest.fixture(scope="module")
def small_input(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("lock") / "input"
    generate(folder, pegawai=150, tahun=TAHUN, seed=21, bad_rows=False)
    return folder


def test_a_stage_refuses_while_the_same_stage_and_year_runs(
    prefect_harness: None, small_input: Path, tmp_path: Path, db_url: str
) -> None:
    with stage_lock("year-end", TAHUN, db_url), pytest.raises(StageRefused, match="sedang dijalankan"):
        year_end(tahun=TAHUN, input_dir=str(small_input), output_dir=str(tmp_path / "o"), db_url=db_url,
                 dokumen="tidak")
    # another year, or another stage, is not blocked
    with stage_lock("year-end", TAHUN + 1, db_url):
        result = year_end(tahun=TAHUN, input_dir=str(small_input), output_dir=str(tmp_path / "o"),
                          db_url=db_url, dokumen="tidak")
    assert result["outcome"] == "berhasil"


def test_two_simultaneous_runs_write_once(prefect_harness: None, small_input: Path, tmp_path: Path) -> None:
    from prefect.settings import PREFECT_API_URL

    db = f"sqlite:///{tmp_path / 'k.db'}"
    env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value()), "KINERJA_DATA_DIR": str(tmp_path)}
    args = [str(Path(sys.executable).with_name("kinerja")), "run", "year-end", "--tahun", str(TAHUN),
            "--input", str(small_input), "--output", str(tmp_path / "out"), "--db", db, "--dokumen", "tidak"]
    procs = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for _ in range(2)]
    results = [(p.wait(timeout=300), *p.communicate()) for p in procs]
    codes = sorted(code for code, _, _ in results)
    assert codes in ([0, 0], [0, 1]), results
    for code, out, err in results:
        assert "Traceback" not in out + err
        if code == 1:
            assert "sedang dijalankan" in err
    with get_engine(db).connect() as conn:
        stored = conn.execute(text("select count(*) from hasil_penilaian")).scalar()
        distinct = conn.execute(text("select count(distinct nip) from hasil_penilaian")).scalar()
        runs = conn.execute(text("select outcome from stage_run order by id")).scalars().all()
    assert stored == distinct > 0
    assert runs.count("berhasil") == 2 - codes.count(1)
