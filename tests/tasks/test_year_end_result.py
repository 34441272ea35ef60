"""Objection builds on year-end, training on objection: refused without a successful run of the stage it
builds on, when its inputs changed since, or (training) when year-end ran after the objection review;
the result scored earlier in the same process is reused only for the same inputs and ruleset."""

from __future__ import annotations

import shlex
import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from kinerja.errors import StageRefused
from penilaian.ruleset import load_ruleset
from stages.cache import ProcessCache
from stages.context import StageContext
from stages.records import close_stage_run
from tasks.year_end_result import recall_year_end, remember_year_end, require_year_end

YEAR_END = "year-end"


def test_training_is_refused_before_any_year_end_run(
    in_flow: Callable, demo_input: Path, open_run: Callable[..., StageContext]
) -> None:
    ctx = open_run("training", demo_input)
    with pytest.raises(StageRefused) as refused:
        in_flow(lambda: require_year_end(ctx, YEAR_END))
    # the whole command of this call: year, folders and database, shell-quoted
    command = shlex.join(["kinerja", "run", "year-end", "--tahun", "2026", "--input", str(demo_input),
                          "--output", str(ctx.output_root), "--db", ctx.db_url])
    assert str(refused.value).endswith(f"then this command again: `{command}`")
    assert "belum ada hasil penilaian akhir tahun / no year-end results yet" in str(refused.value)


def test_training_builds_on_the_latest_successful_year_end_run_of_the_same_inputs(
    in_flow: Callable, demo_input: Path, tmp_path: Path, open_run: Callable[..., StageContext]
) -> None:
    folder = tmp_path / "input"
    shutil.copytree(demo_input, folder)
    failed = open_run(YEAR_END, folder)
    close_stage_run(failed, "gerbang_gagal", {})
    scored = open_run(YEAR_END, folder)
    close_stage_run(scored, "berhasil", {})
    # a file year-end does not read may change
    katalog = folder / "katalog_pelatihan.csv"
    katalog.write_text(katalog.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    ctx = open_run("training", folder)
    assert in_flow(lambda: require_year_end(ctx, YEAR_END)) == scored.stage_run_id

    perilaku = folder / "perilaku.csv"
    perilaku.write_text(perilaku.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    changed = open_run("training", folder)
    with pytest.raises(StageRefused, match=r"input berubah .*\(perilaku\.csv\).*re-run year-end") as refused:
        in_flow(lambda: require_year_end(changed, YEAR_END))
    assert str(refused.value).endswith(f"`{changed.command(YEAR_END)}`")
    assert f"--input {folder} --output {changed.output_root}" in str(refused.value)


@dataclass
class Scored:
    """Stands in for a year-end result: what the cache glue uses of it is its shallow copy."""

    predikat: dict

    def shallow_copy(self) -> Scored:
        return Scored(dict(self.predikat))


def test_the_year_end_result_is_recalled_as_a_copy_for_the_same_inputs_only(tmp_path: Path) -> None:
    rules = load_ruleset(None)
    ctx = StageContext(tahap=YEAR_END, tahun=2026, input_dir=tmp_path, output_root=tmp_path, db_url="sqlite://",
                       ruleset_name=rules.nama, checksums={"perilaku.csv": "a" * 64},
                       cache=ProcessCache(read_budget_bytes=0))
    result = Scored({"198001012005011001": "Baik"})
    remember_year_end(ctx, rules, result)
    result.predikat["198001012005011001"] = "diubah setelah disimpan"

    training = replace(ctx, tahap="training")
    recalled = recall_year_end(training, rules)
    assert recalled == Scored({"198001012005011001": "Baik"})
    assert recall_year_end(training, rules) is not recalled
    assert recall_year_end(replace(training, checksums={"perilaku.csv": "b" * 64}), rules) is None
    assert recall_year_end(replace(training, tahun=2025), rules) is None

    remember_year_end(replace(ctx, tahun=2025), rules, Scored({}))
    assert recall_year_end(training, rules) is None  # only the latest result is kept


def test_training_builds_on_the_objection_review_and_refuses_it_missing_changed_or_stale(
    in_flow: Callable, demo_input: Path, tmp_path: Path, open_run: Callable[..., StageContext]
) -> None:
    folder = tmp_path / "input"
    shutil.copytree(demo_input, folder)
    close_stage_run(open_run(YEAR_END, folder), "berhasil", {})
    training = open_run("training", folder)
    with pytest.raises(StageRefused) as missing:
        in_flow(lambda: require_year_end(training, "objection"))
    assert "belum ada hasil peninjauan keberatan / no objection results yet" in str(missing.value)
    assert str(missing.value).endswith(f"`{training.command('objection')}`")
    assert "kinerja run objection --tahun 2026" in str(missing.value)

    reviewed = open_run("objection", folder)
    close_stage_run(reviewed, "berhasil", {})
    ready = open_run("training", folder)
    assert in_flow(lambda: require_year_end(ready, "objection")) == reviewed.stage_run_id

    keberatan = folder / "keberatan.csv"  # objection reads it, year-end does not
    keberatan.write_text(keberatan.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with pytest.raises(StageRefused, match=r"input berubah .*\(keberatan\.csv\).*re-run objection"):
        in_flow(lambda: require_year_end(open_run("training", folder), "objection"))

    close_stage_run(open_run("objection", folder), "berhasil", {})
    close_stage_run(open_run(YEAR_END, folder), "berhasil", {})  # year-end again, after the review
    stale = open_run("training", folder)
    with pytest.raises(StageRefused) as refused:
        in_flow(lambda: require_year_end(stale, "objection"))
    message = str(refused.value)
    assert "year-end ran after the latest objection run" in message and "\n" not in message
    assert message.endswith(f"re-run objection, then this command again: `{stale.command('objection')}`")
