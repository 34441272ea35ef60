"""The training flow end to end: it builds on an unchanged objection review of the year-end result (refused
otherwise), reuses the result scored earlier in the same process with identical output, and stops at its gate
without a catalogue."""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest

from kinerja.errors import GateFailed, StageRefused
from tests.flows.stage_calls import TAHUN, count, header_only, last_outcome, run

pytestmark = pytest.mark.slow


def test_training_refuses_to_run_before_the_objection_review(
    prefect_harness: None, demo_input: Path, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'k.db'}"
    with pytest.raises(StageRefused, match="no objection results yet") as refused:
        run("training", demo_input, tmp_path / "out", db)
    # the command to run first, complete: this call's year, folders and database
    command = shlex.join(["kinerja", "run", "objection", "--tahun", str(TAHUN), "--input", str(demo_input),
                          "--output", str(tmp_path / "out"), "--db", db])
    assert str(refused.value).endswith(f"`{command}`")


def test_the_refusal_command_hides_the_database_password(
    prefect_harness: None, demo_input: Path, tmp_path: Path, postgres_url: str
) -> None:
    from sqlalchemy.engine import make_url

    secret = "rahasia-pelatihan-5521"
    url = make_url(postgres_url).set(password=secret)
    with pytest.raises(StageRefused) as refused:
        run("training", demo_input, tmp_path / "out", url.render_as_string(hide_password=False))
    message = str(refused.value)
    assert secret not in message
    hidden = shlex.quote(url.render_as_string(hide_password=True))
    assert message.endswith(f"--db {hidden}` (ganti *** dengan kata sandi basis data / replace *** with the "
                            "database password)")


def test_training_refuses_when_year_end_inputs_changed_since_scoring(
    prefect_harness: None, demo_input: Path, tmp_path: Path
) -> None:
    db, input_dir = f"sqlite:///{tmp_path / 'k.db'}", tmp_path / "input"
    shutil.copytree(demo_input, input_dir)
    for stage in ("plan-collection", "year-end", "objection"):
        options = {} if stage == "plan-collection" else {"dokumen": "tidak"}
        run(stage, input_dir, tmp_path / "out", db, **options)
    perilaku = input_dir / "perilaku.csv"
    perilaku.write_text(perilaku.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with pytest.raises(StageRefused, match="perilaku.csv"):
        run("training", input_dir, tmp_path / "out", db)


def test_training_reuses_the_year_end_result_of_the_same_process_with_identical_output(
    prefect_harness: None, demo_input: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import penilaian.year_end
    from stages.cache import process_cache

    db, out = f"sqlite:///{tmp_path / 'k.db'}", tmp_path / "out"
    for stage in ("plan-collection", "year-end", "objection"):
        run(stage, demo_input, out, db, **({} if stage == "plan-collection" else {"dokumen": "tidak"}))
    scored: list[int] = []
    real = penilaian.year_end.score_year_end
    monkeypatch.setattr(penilaian.year_end, "score_year_end", lambda *a: scored.append(1) or real(*a))
    year = out / str(TAHUN)

    run("training", demo_input, out, db)
    assert scored == []  # taken from the year-end stage just run
    reused = {p.name: p.read_bytes() for p in year.glob("*.csv")} | {
        p.name: p.read_bytes() for p in year.glob("ringkasan_*.html")}
    process_cache().year_end.clear()  # as in a new process
    run("training", demo_input, out, db)
    assert scored == [1]
    fresh = {p.name: p.read_bytes() for p in year.glob("*.csv")} | {
        p.name: p.read_bytes() for p in year.glob("ringkasan_*.html")}
    assert "rekomendasi_pelatihan.csv" in fresh and reused == fresh


def test_training_without_a_catalogue_stops_at_its_gate(
    prefect_harness: None, demo_input: Path, tmp_path: Path
) -> None:
    db, folder = f"sqlite:///{tmp_path / 'k.db'}", tmp_path / "input"
    shutil.copytree(demo_input, folder)
    run("year-end", folder, tmp_path / "out", db, dokumen="tidak")
    run("objection", folder, tmp_path / "out", db, dokumen="tidak")
    header_only(folder, "katalog_pelatihan.csv")  # neither reads it: training still builds on them

    with pytest.raises(GateFailed) as failure:
        run("training", folder, tmp_path / "out", db)

    report = tmp_path / "out" / str(TAHUN) / "gerbang_training.html"
    assert failure.value.report_path == report
    assert "GAGAL" in report.read_text(encoding="utf-8")
    assert not (report.parent / "rekomendasi_pelatihan.csv").exists()
    written = {table: count(db, table) for table in ("rekomendasi_pelatihan", "tindak_lanjut")}
    assert written == {"rekomendasi_pelatihan": 0, "tindak_lanjut": 0}, "a failed gate writes nothing"
    assert last_outcome(db) == "gerbang_gagal"
