"""The `kinerja` command as HR uses it: exit statuses and one-line messages, never a traceback."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from contract.schema import PREDIKAT
from kinerja.demo.generator import generate
from stages import registry

pytestmark = pytest.mark.slow

KINERJA = Path(sys.executable).with_name("kinerja")


@pytest.fixture(scope="module")
def plan_input(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli") / "input"
    generate(folder, pegawai=120, tahun=2026, seed=5, bad_rows=True)
    return folder


@pytest.fixture
def api_env(prefect_harness: None, tmp_path: Path) -> dict[str, str]:
    """Environment for a subprocess that reports to the test harness's Prefect server."""
    from prefect.settings import PREFECT_API_URL

    return {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value()),
            "KINERJA_DATA_DIR": str(tmp_path / "data")}


def kinerja(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(KINERJA), *args], capture_output=True, text=True, env=env, timeout=300)


def _stage(folder: Path, out: Path, db: str, stage: str = "plan-collection") -> list[str]:
    return ["run", stage, "--tahun", "2026", "--input", str(folder), "--output", str(out), "--db", db]


def assert_clean_failure(proc: subprocess.CompletedProcess[str], status: int) -> str:
    assert proc.returncode == status, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    return proc.stderr


def test_plan_collection_with_bad_rows_passes_and_explains_them(
    api_env: dict[str, str], plan_input: Path, tmp_path: Path
) -> None:
    proc = kinerja(*_stage(plan_input, tmp_path / "out", f"sqlite:///{tmp_path / 'k.db'}"), env=api_env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    karantina = pd.read_csv(tmp_path / "out" / "2026" / "karantina.csv", dtype=str)
    assert {"NIP_TANGGAL_LAHIR", "UNIT_TIDAK_ADA", "TARGET"} <= set(karantina["kode_aturan"])
    assert karantina["baris"].astype(int).min() >= 2


def test_missing_required_column_is_exit_2_with_one_line(
    api_env: dict[str, str], plan_input: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    shutil.copytree(plan_input, folder)
    pegawai = pd.read_csv(folder / "pegawai.csv", dtype=str).drop(columns=["jabatan"])
    pegawai.to_csv(folder / "pegawai.csv", index=False)
    err = assert_clean_failure(kinerja(*_stage(folder, tmp_path / "out", f"sqlite:///{tmp_path / 'k.db'}"),
                                       env=api_env), 2)
    assert "pegawai.csv" in err and "jabatan" in err
    assert len(err.strip().splitlines()) == 1


def test_not_utf8_is_exit_2_naming_the_file(
    api_env: dict[str, str], plan_input: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    shutil.copytree(plan_input, folder)
    skp = (folder / "skp.csv").read_bytes()
    (folder / "skp.csv").write_bytes(skp.replace(b"Jumlah", "Jümlah".encode("cp1252")))
    err = assert_clean_failure(kinerja(*_stage(folder, tmp_path / "out", f"sqlite:///{tmp_path / 'k.db'}"),
                                       env=api_env), 2)
    assert "skp.csv" in err and "UTF-8" in err


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"nip,nama\n198001012005011001,Budi\n", "bukan workbook Excel (.xlsx) / not an Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le") + bytes(512),
         "encrypted (password-protected): save it again without a password"),
        (None, "KINERJA_XLSX_MAKS_RASIO"),
    ],
    ids=["text", "encrypted", "zip-bomb"],
)
def test_a_hostile_workbook_is_exit_2_with_one_line(
    api_env: dict[str, str], tmp_path: Path, body: bytes | None, problem: str
) -> None:
    import zipfile

    folder = tmp_path / "in"
    folder.mkdir()
    if body is None:  # 20 MiB of zeros deflate to ~20 KiB
        with zipfile.ZipFile(folder / "kinerja.xlsx", "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", b"<Types/>")
            archive.writestr("xl/sharedStrings.xml", bytes(20 * 2**20))
    else:
        (folder / "kinerja.xlsx").write_bytes(body)
    err = assert_clean_failure(kinerja(*_stage(folder, tmp_path / "out", f"sqlite:///{tmp_path / 'k.db'}"),
                                       env=api_env), 2)
    assert len(err.strip().splitlines()) == 1
    assert "kinerja.xlsx: " in err and problem in err


def test_failed_gate_is_exit_1_and_points_to_the_report(
    api_env: dict[str, str], plan_input: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    shutil.copytree(plan_input, folder)
    skp = pd.read_csv(folder / "skp.csv", dtype=str)
    skp["target"] = "banyak"
    skp.to_csv(folder / "skp.csv", index=False)
    err = assert_clean_failure(kinerja(*_stage(folder, tmp_path / "out", f"sqlite:///{tmp_path / 'k.db'}"),
                                       env=api_env), 1)
    assert "gerbang_plan-collection.html" in err
    assert (tmp_path / "out" / "2026" / "gerbang_plan-collection.html").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["run", "tahap-asing", "--tahun", "2026", "--input", ".", "--output", "out"],
        ["run", "plan-collection", "--tahun", "2026", "--input", "/tidak/ada", "--output", "out"],
        ["run", "year-end", "--tahun", "2026", "--input", ".", "--output", "out", "--dokumen", "sebagian"],
        ["run", "plan-collection", "--tahun", "dua-ribu", "--input", ".", "--output", "out"],
        ["run", "plan-collection", "--tahun", "2026", "--input", "."],
    ],
    ids=["unknown-stage", "missing-folder", "bad-dokumen", "bad-year", "missing-output"],
)
def test_wrong_usage_is_exit_2_without_traceback(args: list[str], tmp_path: Path) -> None:
    env = {**os.environ, "KINERJA_DATA_DIR": str(tmp_path)}
    assert_clean_failure(kinerja(*args, env=env), 2)


def test_password_in_database_url_never_shown(tmp_path: Path, plan_input: Path) -> None:
    env = {**os.environ, "KINERJA_DATA_DIR": str(tmp_path), "PREFECT_API_URL": "http://127.0.0.1:9/api"}
    url = "postgresql+psycopg://kinerja:rahasia-sekali@127.0.0.1:1/kinerja"
    proc = kinerja(*_stage(plan_input, tmp_path / "out", url), env=env)
    assert proc.returncode != 0
    assert "rahasia-sekali" not in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr


def test_password_never_reaches_run_history_logs_or_reports(
    api_env: dict[str, str], plan_input: Path, tmp_path: Path, postgres_url: str
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId, LogFilter, LogFilterFlowRunId
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    secret = "rahasia-kinerja-9431"
    url = make_url(postgres_url).set(password=secret).render_as_string(hide_password=False)
    proc = kinerja(*_stage(plan_input, tmp_path / "out", url), env=api_env)
    assert proc.returncode == 0, proc.stderr
    assert secret not in proc.stdout + proc.stderr

    with create_engine(postgres_url).connect() as conn:
        flow_run_id = conn.execute(text("select flow_run_id from stage_run order by id desc")).scalar()
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(flow_run_id)
        logs = client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run.id])))
        artifacts = client.read_artifacts(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run.id])))
    history = " ".join([str(run.parameters), *(log.message for log in logs),
                        *(str(a.data) for a in artifacts)])
    assert logs and artifacts
    assert secret not in history
    for path in (tmp_path / "out").rglob("*"):
        if path.is_file():
            assert secret not in path.read_text(encoding="utf-8", errors="replace"), path



def _cycle_run_of(db_url: str):
    """The flow run whose child flow runs wrote this database's stage runs (read from the run history)."""
    from prefect.client.orchestration import get_client
    from sqlalchemy import create_engine, text

    with create_engine(db_url).connect() as conn:
        ids = conn.execute(text("select flow_run_id from stage_run order by id")).scalars().all()
    with get_client(sync_client=True) as client:
        calls = [client.read_flow_run(flow_run_id).parent_task_run_id for flow_run_id in ids]
        assert None not in calls, "every stage ran inside a parent flow run"
        parents = {client.read_task_run(call).flow_run_id for call in calls}
        assert len(parents) == 1, "the same one"
        return client.read_flow_run(parents.pop())


def _stage_lines(stdout: str) -> list[str]:
    """The progress lines: mark and stage, in the order printed."""
    return [" ".join(line.split()[:2]) for line in stdout.splitlines()
            if line.split()[:1] in (["✓"], ["✗"])]


def test_cycle_runs_the_cycle_flow_with_a_progress_line_per_stage(
    api_env: dict[str, str], plan_input: Path, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'k.db'}"
    proc = kinerja("cycle", "--tahun", "2026", "--input", str(plan_input), "--output", str(tmp_path / "out"),
                   "--db", db, "--dokumen", "tidak", env={**api_env, "COLUMNS": "250"})

    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert _stage_lines(proc.stdout) == [f"✓ {name}" for name in registry.names()]
    assert all(re.search(rf"✓ {name} 2026 +\d+:\d\d:\d\d$", proc.stdout, re.M) for name in registry.names())
    assert "Ringkasan tahap" in proc.stdout
    pegawai = len(pd.read_csv(plan_input / "pegawai.csv", dtype=str))
    summary = {line.split()[0]: line for line in proc.stdout.splitlines() if re.search(r" run \d+ ", line)}
    assert list(summary) == list(registry.names()), "one summary line per stage"
    for line in summary.values():
        sah, dikarantina = map(int, re.search(r"pegawai (\d+) sah, (\d+) dikarantina", line).groups())
        assert sah + dikarantina == pegawai and dikarantina > 0  # the demo input has bad employees
    scored = pd.read_csv(tmp_path / "out" / "2026" / "hasil_penilaian.csv", dtype=str)
    assert f"dinilai {len(scored)} · tidak dinilai 0 · " in summary["year-end"]
    per_predikat = scored["predikat_final"].value_counts()
    spread = " · ".join(f"{p} {per_predikat[p]}" for p in PREDIKAT if p in per_predikat)
    assert summary["year-end"].endswith(spread)
    assert f"Hasil ditulis di {(tmp_path / 'out' / '2026').resolve()}" in proc.stdout
    run = _cycle_run_of(db)
    assert run.name == "cycle-2026" and run.state.is_completed()
    assert run.parameters["dokumen"] == "tidak" and run.parameters["db_url"] is None  # password-safe


def test_cycle_stops_at_a_failed_gate_with_exit_1_and_a_red_line(
    api_env: dict[str, str], plan_input: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    shutil.copytree(plan_input, folder)
    skp = pd.read_csv(folder / "skp.csv", dtype=str)
    skp["target"] = "banyak"
    skp.to_csv(folder / "skp.csv", index=False)
    db = f"sqlite:///{tmp_path / 'k.db'}"
    proc = kinerja("cycle", "--tahun", "2026", "--input", str(folder), "--output", str(tmp_path / "out"),
                   "--db", db, env=api_env)

    err = assert_clean_failure(proc, 1)
    first = registry.names()[0]
    assert _stage_lines(proc.stdout) == [f"✗ {first}"]
    assert "Gerbang gagal" in err and f"gerbang_{first}.html" in err
    run = _cycle_run_of(db)
    assert run.name == "cycle-2026" and run.state.is_failed()


def test_cycle_refuses_wrong_usage_with_exit_2(
    api_env: dict[str, str], plan_input: Path, tmp_path: Path
) -> None:
    base = ["cycle", "--tahun", "2026", "--input", str(plan_input), "--output", str(tmp_path / "out")]
    for extra in (["--executor", "spark"], ["--dokumen", "sebagian"]):
        err = assert_clean_failure(kinerja(*base, *extra, env=api_env), 2)
        assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_demo_generates_data_runs_the_cycle_and_lists_files_that_exist(
    api_env: dict[str, str], tmp_path: Path
) -> None:
    proc = kinerja("demo", "--pegawai", "60", "--output", str(tmp_path / "demo"),
                   env={**api_env, "COLUMNS": "250"})

    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert _stage_lines(proc.stdout) == [f"✓ {name}" for name in registry.names()]
    year_dir = tmp_path / "demo" / "output" / "2026"
    lines = proc.stdout.splitlines()
    [done] = [i for i, line in enumerate(lines) if "Demo selesai." in line]
    assert lines[done + 1].strip() == str(year_dir / "index.html"), "the page to start from comes first"
    listed = [Path(line.split("•", 1)[1].strip()) for line in proc.stdout.splitlines() if "•" in line]
    assert listed[:2] == [year_dir / "index.html", year_dir / "pencarian_pegawai.js"]
    assert year_dir / "hasil_penilaian.csv" in listed and year_dir / "kinerja_2026.xlsx" in listed
    assert listed and all(path.exists() for path in listed)


def test_version_names_the_package_code_and_ruleset(tmp_path: Path) -> None:
    from importlib.metadata import version

    from penilaian.ruleset import load_ruleset
    from stages.context import code_version

    proc = kinerja("--version", env={**os.environ, "COLUMNS": "250", "KINERJA_DATA_DIR": str(tmp_path)})

    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == (f"kinerja {version('kinerja')} (kode {code_version()}; aturan "
                                   f"{load_ruleset(None).label}; prefect {version('prefect')}; "
                                   f"python {sys.version.split()[0]})")


# ---------------------------------------------------------------- in this process: what HR reads on a stop


@pytest.fixture
def cli(prefect_harness: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        tmp_path: Path):
    """`kinerja ARGS…` through kinerja.cli.main in this process: (exit status, stdout, stderr)."""
    from prefect.settings import PREFECT_API_URL

    from kinerja import cli as cli_module
    from kinerja import cli_options
    from kinerja.settings import get_settings
    from tests.support.console import quiet_prefect_console

    monkeypatch.setenv("PREFECT_API_URL", str(PREFECT_API_URL.value()))
    monkeypatch.setenv("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")  # main() sets it
    monkeypatch.setenv("KINERJA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("KINERJA_DATABASE_URL", raising=False)  # main() sets it from --db: restored after
    for console in (cli_options.console, cli_options.err):
        monkeypatch.setattr(console, "width", 250)
    quiet_prefect_console(monkeypatch)
    get_settings.cache_clear()

    def run(*args: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["kinerja", *args])
        capsys.readouterr()
        try:
            cli_module.main()
            status = 0
        except SystemExit as exc:
            status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        out, err = capsys.readouterr()
        return status, out, err

    yield run
    get_settings.cache_clear()


def test_a_failed_gate_says_in_both_languages_what_failed_and_how_to_fix_it(
    cli, plan_input: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    shutil.copytree(plan_input, folder)
    skp = pd.read_csv(folder / "skp.csv", dtype=str)
    skp["target"] = "banyak"
    skp.to_csv(folder / "skp.csv", index=False)

    status, _, err = cli(*_stage(folder, tmp_path / "out", f"sqlite:///{tmp_path / 'k.db'}"))

    assert status == 1 and "Traceback" not in err
    message, *fixes, report = err.strip().splitlines()
    indonesian, english = message.split(" / Gate failed — ")
    assert indonesian.startswith("Gerbang gagal — plan-collection 2026: ")
    assert re.search(r"skp\.target\.format \(target berupa angka lebih dari 0; \d+ dari \d+ baris, maks\. ",
                     indonesian)
    assert english.startswith("plan-collection 2026: ")
    assert re.search(r"skp\.target\.format \(target is a number greater than 0; \d+ of \d+ rows, at most ",
                     english)
    assert "banyak" in indonesian and "banyak" in english  # the value to fix
    assert fixes and all(line.startswith("  → ") and " / " in line for line in fixes)
    target = next(line for line in fixes if "skp.target.format" in line)
    assert "perbaiki target di skp.csv" in target and "correct target in skp.csv" in target
    assert report.endswith(str(tmp_path / "out" / "2026" / "gerbang_plan-collection.html"))


def test_training_before_year_end_prints_a_command_that_runs_as_printed(cli, tmp_path: Path) -> None:
    """Training before the objection review names the review's command; that one, run as printed, names
    year-end's; run as printed, one after the other, they let training run."""
    folder = tmp_path / "data HR's" / "input 2026"  # a space and a quote: the command must quote them
    generate(folder, pegawai=40, tahun=2026, seed=8)
    out, db = tmp_path / "hasil", f"sqlite:///{tmp_path / 'kinerja.db'}"
    training = ["run", "training", "--tahun", "2026", "--input", str(folder), "--output", str(out),
                "--db", db, "--dokumen", "tidak"]

    def printed(err: str, stage: str) -> list[str]:
        args = shlex.split(re.search(r"`([^`]+)`", err).group(1))
        assert args == ["kinerja", "run", stage, "--tahun", "2026", "--input", str(folder.resolve()),
                        "--output", str(out.resolve()), "--db", db]
        return args[1:]

    status, _, err = cli(*training)
    assert status == 1 and "Traceback" not in err
    assert err.startswith("Galat / error: training 2026: belum ada hasil peninjauan keberatan / no objection")
    objection = printed(err, "objection")
    status, _, err = cli(*objection, "--dokumen", "tidak")  # copied as printed
    assert status == 1 and "no year-end results yet" in err
    status, _, err = cli(*printed(err, "year-end"), "--dokumen", "tidak")
    assert status == 0, err
    status, _, err = cli(*objection, "--dokumen", "tidak")
    assert status == 0, err
    status, _, err = cli(*training)
    assert status == 0, err  # training now builds on it
