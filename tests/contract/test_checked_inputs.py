"""Checked files kept for the next stage: a reused file gives exactly what reading and checking it again
gives, a changed file or a changed parent is checked again (with its ancestors), and only files whose
bytes, year, parents and predikat rule are unchanged are taken from the cache."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from contract import reader
from contract.checked_inputs import CheckedInputs, read_checked
from contract.files import sha256_of_inputs
from contract.reader import read_inputs
from contract.values import check_values
from kinerja.demo.generator import generate
from stages import registry
from stages.cache import ProcessCache

TAHUN = 2026


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Demo data of 300 employees with the generator's bad rows (every file present)."""
    folder = tmp_path_factory.mktemp("demo") / "in"
    generate(folder, pegawai=300, tahun=TAHUN)
    return folder


@pytest.fixture
def folder(demo: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(demo, tmp_path / "in"))


@pytest.fixture
def cache() -> ProcessCache:
    return ProcessCache(read_budget_bytes=0, keep_checked=True)


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the CSV parser is called for, in order."""
    calls: list[str] = []
    parse = reader.read_csv_cells

    def counting(path: Path, spec: object) -> object:
        calls.append(path.name.removesuffix(".csv"))
        return parse(path, spec)

    monkeypatch.setattr(reader, "read_csv_cells", counting)
    return calls


def checked(folder: Path, tahap: str, cache: ProcessCache) -> CheckedInputs:
    stage = registry.get(tahap)
    checksums = sha256_of_inputs(folder, stage.inputs)
    return read_checked(folder, TAHUN, tahap, stage.required, stage.optional, checksums, cache)


def assert_as_fresh(found: CheckedInputs, folder: Path, tahap: str) -> None:
    """`found` equals reading every file and checking it with no cache at all."""
    stage = registry.get(tahap)
    raw, read_karantina = read_inputs(folder, stage.required, stage.optional)
    frames, karantina, peringatan = check_values(raw, TAHUN, tahap)
    assert list(found.frames) == list(frames)
    for sheet, frame in frames.items():
        pd.testing.assert_frame_equal(found.frames[sheet], frame, obj=sheet)
    pd.testing.assert_frame_equal(found.read_karantina, read_karantina)
    pd.testing.assert_frame_equal(found.karantina, karantina)
    pd.testing.assert_frame_equal(found.peringatan, peringatan)
    assert {s: found.raw.rows(s) for s in found.raw} == {s: len(f) for s, f in raw.items()}


def edit(path: Path, change) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(change(lines)), encoding="utf-8")


def test_a_first_read_is_reading_and_checking_every_file(folder: Path, cache: ProcessCache) -> None:
    found = checked(folder, "year-end", cache)

    assert found.reused == ()
    assert len(found.karantina) > 0  # the generator's bad rows are there to be found
    assert_as_fresh(found, folder, "year-end")


def test_the_next_stage_takes_every_unchanged_file_from_the_cache_without_parsing(
    folder: Path, cache: ProcessCache, parses: list[str]
) -> None:
    checked(folder, "year-end", cache)
    parses.clear()

    found = checked(folder, "objection", cache)

    stage = registry.get("objection")
    assert set(found.reused) == set(stage.required) | {"umpan_balik", "rating_atasan"}
    assert parses == ["keberatan"]  # the one file year-end did not read
    assert found.raw.parsed() == ["keberatan"]
    assert_as_fresh(found, folder, "objection")


def test_a_reused_file_is_parsed_when_its_text_is_asked_for(folder: Path, cache: ProcessCache) -> None:
    checked(folder, "year-end", cache)
    found = checked(folder, "year-end", cache)
    assert found.raw.parsed() == []

    assert "unit_kerja" in found.raw and "keberatan" not in found.raw
    assert len(found.raw) == len(registry.get("year-end").inputs)
    assert found.raw.parsed() == []  # asking what is there parses nothing

    raw, _ = read_inputs(folder, ["unit_kerja"])
    pd.testing.assert_frame_equal(found.raw["unit_kerja"], raw["unit_kerja"])
    assert found.raw.parsed() == ["unit_kerja"]


def test_a_changed_file_is_checked_again_with_its_ancestors_and_the_rest_reused(
    folder: Path, cache: ProcessCache, parses: list[str]
) -> None:
    checked(folder, "year-end", cache)
    parses.clear()
    # the first realisation made negative: quarantined (REALISASI)
    def negative(lines: list[str]) -> list[str]:
        cells = lines[1].split(",")
        cells[2] = "-" + cells[2]
        return [lines[0], ",".join(cells), *lines[2:]]

    edit(folder / "realisasi.csv", negative)

    found = checked(folder, "year-end", cache)

    assert sorted(parses) == ["realisasi", "skp"]  # skp checked again for its rules; pegawai is kept
    assert "perilaku" in found.reused and "realisasi" not in found.reused
    assert (found.karantina["kode_aturan"] == "REALISASI").sum() >= 1
    assert_as_fresh(found, folder, "year-end")


def test_a_changed_parent_checks_its_children_again(
    folder: Path, cache: ProcessCache, parses: list[str]
) -> None:
    checked(folder, "year-end", cache)
    parses.clear()
    # drop an employee who has SKP rows: their indicators and ratings now point at nobody
    skp = pd.read_csv(folder / "skp.csv", dtype=str)
    nip = skp["nip"].iloc[0]
    edit(folder / "pegawai.csv", lambda lines: [x for x in lines if not x.startswith(nip + ",")])

    found = checked(folder, "year-end", cache)

    assert found.reused == ("unit_kerja",)  # kept with its checked file: pegawai's rules see it as before
    assert {"pegawai", "skp", "realisasi", "perilaku"} <= set(parses)
    assert ((found.karantina["kode_aturan"] == "PEGAWAI_TIDAK_ADA") & (found.karantina["nilai"] == nip)).any()
    assert_as_fresh(found, folder, "year-end")


def test_the_predikat_rule_keys_unit_kerja_and_through_it_every_child(
    folder: Path, cache: ProcessCache, parses: list[str]
) -> None:
    # a staffed unit without predikat_organisasi: fine at mid-year, quarantined at year-end
    unit = pd.read_csv(folder / "pegawai.csv", dtype=str)["kode_unit"].iloc[0]
    edit(folder / "unit_kerja.csv",
         lambda lines: [x if not x.startswith(unit + ",") else x.rsplit(",", 1)[0] + ",\n" for x in lines])
    checked(folder, "mid-year", cache)
    parses.clear()

    found = checked(folder, "year-end", cache)

    assert "pegawai" in parses and "skp" in parses and "realisasi" in parses
    assert "pegawai" not in found.reused
    assert (found.karantina["kode_aturan"] == "PREDIKAT_ORGANISASI").any()
    assert_as_fresh(found, folder, "year-end")


def test_with_every_unit_graded_mid_year_hands_its_files_on_to_year_end(
    folder: Path, cache: ProcessCache, parses: list[str]
) -> None:
    units = pd.read_csv(folder / "unit_kerja.csv", dtype=str)
    if units["predikat_organisasi"].isna().any():
        edit(folder / "unit_kerja.csv", lambda lines: [
            x if i == 0 or not x.rstrip("\n").endswith(",") else x.rstrip("\n") + "Baik\n"
            for i, x in enumerate(lines)])
    checked(folder, "mid-year", cache)
    parses.clear()

    found = checked(folder, "year-end", cache)

    assert {"pegawai", "skp", "realisasi"} <= set(found.reused)
    assert "realisasi" not in parses
    assert_as_fresh(found, folder, "year-end")


def test_warnings_taken_from_the_cache_carry_the_current_stage(folder: Path, cache: ProcessCache) -> None:
    # a name that starts like a formula: TEKS_RUMUS, a warning (the row goes on)
    pegawai = pd.read_csv(folder / "pegawai.csv", dtype=str, keep_default_na=False)
    pegawai.loc[1, "nama"] = "=SUM(A1)"
    pegawai.to_csv(folder / "pegawai.csv", index=False)
    checked(folder, "year-end", cache)

    found = checked(folder, "objection", cache)

    assert "pegawai" in found.reused
    assert (found.peringatan["kode_aturan"] == "TEKS_RUMUS").any()
    assert (found.peringatan["tahap"] == "objection").all()
    assert_as_fresh(found, folder, "objection")


def test_switched_off_nothing_is_kept(folder: Path) -> None:
    cache = ProcessCache(read_budget_bytes=0, keep_checked=False)
    checked(folder, "year-end", cache)
    assert cache.checked == {}
    assert checked(folder, "year-end", cache).reused == ()


def test_only_the_latest_stages_files_stay(folder: Path, cache: ProcessCache) -> None:
    checked(folder, "training", cache)
    kept = {key[0][0] for key in cache.checked}
    assert "katalog_pelatihan" in kept

    checked(folder, "mid-year", cache)

    assert {key[0][0] for key in cache.checked} == set(registry.get("mid-year").inputs)
