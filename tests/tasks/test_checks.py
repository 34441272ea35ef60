"""The stages' own gate checks find exactly the rows that break them (demo data, one row broken by hand)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from contract.inputs import Inputs
from penilaian.ruleset import load_ruleset
from stages.context import StageContext
from tasks.checks import completeness, coverage_checks, relational_checks, scoring_checks
from tasks.inputs import load_inputs


@pytest.fixture
def read(
    in_flow: Callable, demo_input: Path, open_run: Callable[..., StageContext]
) -> Callable[[str], Inputs]:
    def read_(tahap: str) -> Inputs:
        ctx = open_run(tahap, demo_input)
        return in_flow(lambda: load_inputs(ctx))

    return read_


def test_an_employee_without_utama_indicator_fails_the_plan_check(
    in_flow: Callable, read: Callable[[str], Inputs]
) -> None:
    inputs, rules = read("validation"), load_ruleset(None)
    nip = inputs.frames["skp"].loc[inputs.frames["skp"]["jenis"] == "utama", "nip"].iloc[0]
    skp = inputs.frames["skp"]
    inputs.frames["skp"] = skp[~((skp["nip"] == nip) & (skp["jenis"] == "utama"))]

    checks = {c.kode: c for c in in_flow(lambda: relational_checks(inputs, rules, rencana=True))}
    utama = checks["pegawai.indikator_utama"]
    assert utama.gagal == 1 and [row["nilai"] for row in utama.contoh] == [nip]
    assert utama.diperiksa == len(inputs.frames["pegawai"])
    without_plan = in_flow(lambda: relational_checks(inputs, rules))
    assert "pegawai.indikator_utama" not in {c.kode for c in without_plan}


def test_an_indicator_without_realisation_by_june_counts_against_coverage(
    in_flow: Callable, read: Callable[[str], Inputs]
) -> None:
    inputs, rules = read("mid-year"), load_ruleset(None)
    before = {c.kode: c.gagal for c in in_flow(lambda: coverage_checks(inputs, rules))}
    realisasi = inputs.frames["realisasi"]
    reported = realisasi["id_indikator"].unique()
    gone = next(i for i in reported if not inputs.frames["skp"].loc[
        inputs.frames["skp"]["id_indikator"] == i].empty)
    inputs.frames["realisasi"] = realisasi[realisasi["id_indikator"] != gone]

    after = {c.kode: c for c in in_flow(lambda: coverage_checks(inputs, rules))}
    assert after["realisasi.cakupan_juni"].gagal == before["realisasi.cakupan_juni"] + 1
    assert after["perilaku.s1_ada"].gagal == before["perilaku.s1_ada"]


def test_scoring_needs_every_staffed_unit_s_predikat_and_reports_the_unscored_per_instansi(
    in_flow: Callable, read: Callable[[str], Inputs]
) -> None:
    inputs, rules = read("year-end"), load_ruleset(None)
    units, pegawai = inputs.frames["unit_kerja"], inputs.frames["pegawai"]
    staffed = units[units["kode_unit"].isin(pegawai["kode_unit"])]
    without = units["kode_unit"] == staffed["kode_unit"].iloc[0]
    inputs.frames["unit_kerja"] = units.assign(predikat_organisasi=units["predikat_organisasi"].mask(without))
    nip = pegawai["nip"].iloc[0]
    instansi = staffed.set_index("kode_unit").loc[pegawai["kode_unit"].iloc[0], "kode_instansi"]
    result = SimpleNamespace(tidak_dinilai=pd.DataFrame({"nip": [nip], "alasan": ["tanpa perilaku"]}))

    checks = {c.kode: c for c in in_flow(lambda: scoring_checks(inputs, result, rules))}
    assert not checks["unit_kerja.predikat_organisasi"].lulus
    assert checks["unit_kerja.predikat_organisasi"].gagal == 1
    unscored = {kode: c.gagal for kode, c in checks.items() if kode.startswith("penilaian.tidak_dinilai.")}
    assert unscored == {f"penilaian.tidak_dinilai.{kode}": int(kode == instansi)
                        for kode in units["kode_instansi"].unique() if kode in set(staffed["kode_instansi"])}


def test_completeness_has_a_row_per_unit(in_flow: Callable, read: Callable[[str], Inputs]) -> None:
    inputs = read("validation")
    summary = in_flow(lambda: completeness(inputs.frames))
    assert len(summary) == len(inputs.frames["unit_kerja"])
