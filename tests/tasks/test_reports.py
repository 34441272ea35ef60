"""Each stage's report task writes the files the registry lists for that stage (all but the gate's own
report and quarantine file) and returns their paths; the `dokumen` choice selects the documents."""

from __future__ import annotations

from collections.abc import Callable
from fnmatch import fnmatchcase
from pathlib import Path

import pandas as pd
import pytest

from penilaian.monitoring import monitor_mid_year
from penilaian.ruleset import Ruleset, load_ruleset
from penilaian.training import recommend_trainings
from penilaian.year_end import YearEndResult, score_year_end
from stages import registry
from stages.context import StageContext
from tasks.reports import report_mid_year, report_training, report_year_end
from tests.tasks.checked_frames import TAHUN, checked_frames


@pytest.fixture(scope="module")
def rules() -> Ruleset:
    return load_ruleset(None)


@pytest.fixture(scope="module")
def year_end_inputs(demo_input: Path, rules: Ruleset) -> tuple[dict[str, pd.DataFrame], YearEndResult]:
    frames = checked_frames(demo_input, "year-end")
    return frames, score_year_end(frames, rules, TAHUN)


def context(tahap: str, output_root: Path) -> StageContext:
    """What a report task uses of a stage run: its year and output folder."""
    return StageContext(tahap=tahap, tahun=TAHUN, input_dir=output_root / "input", output_root=output_root,
                        db_url="sqlite://", ruleset_name="uji")


def report_patterns(tahap: str) -> list[str]:
    """The stage's outputs in the registry, less the gate's report and quarantine file (the gate's task)."""
    gate_files = {"karantina.csv", f"gerbang_{tahap}.html"}
    return [pattern for pattern in registry.get(tahap).outputs if pattern not in gate_files]


def written_files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def assert_writes_the_registry_outputs(tahap: str, ctx: StageContext, returned: list[Path]) -> set[str]:
    """Every file written is returned and listed by the registry; every listed output is written."""
    files = written_files(ctx.output_dir)
    named = set()
    for path in returned:
        assert path.exists(), path
        assert path.is_relative_to(ctx.output_dir), path
        inside = [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else [path]
        named |= {p.relative_to(ctx.output_dir).as_posix() for p in inside}
    assert named == files
    patterns = report_patterns(tahap)
    assert patterns, f"{tahap} has report outputs"
    for name in files:
        assert any(fnmatchcase(name, pattern) for pattern in patterns), name
    for pattern in patterns:
        assert any(fnmatchcase(name, pattern) for name in files), pattern
    return files


def test_the_mid_year_report_writes_the_monitoring_csv_and_a_page_per_unit(
    in_flow: Callable, demo_input: Path, tmp_path: Path, rules: Ruleset
) -> None:
    frames = checked_frames(demo_input, "mid-year")
    result = monitor_mid_year(frames, rules, TAHUN)
    ctx = context("mid-year", tmp_path)

    returned = in_flow(lambda: report_mid_year(ctx, result, frames))

    files = assert_writes_the_registry_outputs("mid-year", ctx, returned)
    csv = pd.read_csv(ctx.output_dir / "pemantauan_tengah_tahun.csv", dtype=str)
    assert sorted(csv["id_indikator"]) == sorted(result.pemantauan["id_indikator"])
    pages = {name for name in files if name.startswith("pemantauan_") and name.endswith(".html")}
    assert pages == {f"pemantauan_{kode}.html" for kode in frames["unit_kerja"]["kode_unit"]}


def test_the_year_end_report_writes_results_bias_documents_and_unit_summaries(
    in_flow: Callable, tmp_path: Path, year_end_inputs: tuple
) -> None:
    frames, result = year_end_inputs
    ctx = context("year-end", tmp_path)

    returned = in_flow(lambda: report_year_end(ctx, frames, result, "semua"))

    files = assert_writes_the_registry_outputs("year-end", ctx, returned)
    hasil = pd.read_csv(ctx.output_dir / "hasil_penilaian.csv", dtype=str)
    assert sorted(hasil["nip"]) == sorted(result.hasil["nip"])
    assert len(pd.read_csv(ctx.output_dir / "bias_penilai.csv", dtype=str)) == len(result.bias)
    assert {name for name in files if name.startswith("dokumen/")} == {
        f"dokumen/{nip}.html" for nip in result.hasil["nip"]}
    summaries = {name for name in files if name.startswith("ringkasan_")}
    assert summaries == {f"ringkasan_{kode}.html" for kode in result.hasil["kode_unit"]}


@pytest.mark.parametrize("mode", ["semua", "unit", "nip", "tidak"])
def test_the_dokumen_choice_selects_the_documents(
    in_flow: Callable, tmp_path: Path, year_end_inputs: tuple, mode: str
) -> None:
    frames, result = year_end_inputs
    hasil = result.hasil
    unit = hasil["kode_unit"].value_counts().index[0]  # a unit with most employees
    nip = hasil.loc[hasil["kode_unit"] != unit, "nip"].iloc[0]
    pilihan, expected = {
        "semua": ("semua", set(hasil["nip"])),
        "unit": (f"unit:{unit}", set(hasil.loc[hasil["kode_unit"] == unit, "nip"])),
        "nip": (f"nip:{nip}", {nip}),
        "tidak": ("tidak", set()),
    }[mode]
    assert 1 < len(set(hasil.loc[hasil["kode_unit"] == unit, "nip"])) < len(hasil)
    ctx = context("year-end", tmp_path)

    returned = in_flow(lambda: report_year_end(ctx, frames, result, pilihan))

    documents = {p.stem for p in (ctx.output_dir / "dokumen").glob("*.html")}
    assert documents == expected
    assert {ctx.output_dir / "hasil_penilaian.csv", ctx.output_dir / "bias_penilai.csv"} <= set(returned)


def test_with_no_documents_every_returned_path_exists(
    in_flow: Callable, tmp_path: Path, year_end_inputs: tuple
) -> None:
    frames, result = year_end_inputs
    ctx = context("year-end", tmp_path)
    returned = in_flow(lambda: report_year_end(ctx, frames, result, "tidak"))
    assert [path for path in returned if not path.exists()] == []


def test_an_unknown_dokumen_choice_is_refused(
    in_flow: Callable, tmp_path: Path, year_end_inputs: tuple
) -> None:
    frames, result = year_end_inputs
    ctx = context("year-end", tmp_path)
    with pytest.raises(ValueError, match="pilihan dokumen tidak dikenal"):
        in_flow(lambda: report_year_end(ctx, frames, result, "unit:"))
    assert not list((ctx.output_dir / "dokumen").glob("*.html"))


def test_the_training_report_writes_recommendations_unit_plans_and_summaries_with_follow_up(
    in_flow: Callable, demo_input: Path, tmp_path: Path, rules: Ruleset
) -> None:
    from penilaian.angka_kredit import convert_angka_kredit
    from penilaian.keberatan import review_objections

    frames = checked_frames(demo_input, "training")
    year_end = score_year_end(frames, rules, TAHUN)
    keberatan = review_objections(frames, year_end, rules, TAHUN)
    result = recommend_trainings(year_end, frames, rules, TAHUN, keberatan)
    angka_kredit = convert_angka_kredit(frames, keberatan.akhir, rules, TAHUN)
    ctx = context("training", tmp_path)

    returned = in_flow(lambda: report_training(ctx, frames, year_end, result, keberatan, angka_kredit,
                                               "semua"))

    files = assert_writes_the_registry_outputs("training", ctx, returned)
    csv = pd.read_csv(ctx.output_dir / "rekomendasi_pelatihan.csv", dtype=str)
    assert len(csv) == len(result.rekomendasi)
    ak = pd.read_csv(ctx.output_dir / "angka_kredit_hasil.csv", dtype=str)
    assert len(ak) == len(angka_kredit.hasil) > 0 and list(ak["nip"]) == sorted(ak["nip"])
    # the documents of the functional officials converted, and of no one else
    assert {name for name in files if name.startswith("dokumen/")} == {f"dokumen/{n}.html" for n in ak["nip"]}
    plans = {name for name in files if name.startswith("rencana_pelatihan_")}
    assert plans == {f"rencana_pelatihan_{kode}.csv" for kode in result.rencana_unit["kode_unit"]}
    summaries = {name for name in files if name.startswith("ringkasan_")}
    assert summaries == {f"ringkasan_{kode}.html" for kode in year_end.hasil["kode_unit"]}
