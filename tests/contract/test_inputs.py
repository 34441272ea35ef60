"""A stage's checked inputs: the rows read per file outlive the raw text frames, which are freed once the
gate has seen them while the checked frames and quarantine stay."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pandas as pd
import pytest

from contract.inputs import Inputs
from contract.karantina import KARANTINA_COLUMNS
from contract.reader import read_inputs
from contract.values import check_values
from kinerja.demo.generator import generate
from stages import registry

TAHUN = 2026


@pytest.fixture(scope="module")
def demo_input(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("inputs") / "input"
    generate(folder, pegawai=20, tahun=TAHUN, seed=5, bad_rows=True)
    return folder


def read(input_dir: Path, tahap: str) -> Inputs:
    """The stage's files read and checked as the stages do, without the process cache."""
    stage = registry.get(tahap)
    raw, read_quarantine = read_inputs(input_dir, stage.required, stage.optional)
    frames, karantina, peringatan = check_values(raw, TAHUN, tahap)
    return Inputs(raw=raw, frames=frames, karantina=pd.concat([read_quarantine, karantina]),
                  peringatan=peringatan)


def data_rows(path: Path) -> int:
    return len(pd.read_csv(path, dtype=str))


def test_counts_are_the_rows_read_per_file_and_survive_release_raw(demo_input: Path) -> None:
    inputs = read(demo_input, "year-end")
    read_rows = {name: data_rows(demo_input / f"{name}.csv") for name in registry.get("year-end").inputs}
    assert inputs.counts() == read_rows
    assert len(inputs.karantina), "the demo data carries bad rows: the checked frames are shorter"
    assert len(inputs.frames["pegawai"]) < read_rows["pegawai"]

    inputs.release_raw()

    assert inputs.raw == {}
    assert inputs.counts() == read_rows


def test_release_raw_frees_the_raw_frames_and_keeps_the_checked_ones(demo_input: Path) -> None:
    inputs = read(demo_input, "plan-collection")
    raw_refs = {name: weakref.ref(frame) for name, frame in inputs.raw.items()}
    frames, karantina = dict(inputs.frames), inputs.karantina
    gc.collect()
    assert all(ref() is not None for ref in raw_refs.values())

    inputs.release_raw()
    gc.collect()

    assert {name: ref() for name, ref in raw_refs.items()} == dict.fromkeys(raw_refs)
    assert inputs.frames.keys() == frames.keys()
    assert all(inputs.frames[name] is frame for name, frame in frames.items())
    assert inputs.karantina is karantina


def test_counts_are_a_copy_in_file_order() -> None:
    raw = {"skp": pd.DataFrame({"a": ["1", "2", "3"]}), "pegawai": pd.DataFrame({"a": ["x"]})}
    inputs = Inputs(raw=raw, frames={}, karantina=pd.DataFrame(columns=KARANTINA_COLUMNS))

    counts = inputs.counts()
    counts["skp"] = 0

    assert list(inputs.counts().items()) == [("pegawai", 1), ("skp", 3)]


def test_rows_read_given_explicitly_are_kept() -> None:
    raw = {"skp": pd.DataFrame({"a": ["1", "2"]})}
    inputs = Inputs(raw=raw, frames={}, karantina=pd.DataFrame(columns=KARANTINA_COLUMNS), baris={"skp": 7})
    inputs.release_raw()
    assert inputs.counts() == {"skp": 7}
    assert list(inputs.peringatan.columns) == list(KARANTINA_COLUMNS) and inputs.peringatan.empty


def test_stage_counts_keep_valid_and_quarantined_rows_apart() -> None:
    raw = {"pegawai": pd.DataFrame({"a": ["1", "2", "3", "4"]}), "skp": pd.DataFrame({"a": ["x", "y"]})}
    frames = {"pegawai": pd.DataFrame({"a": ["1", "4"]}), "skp": pd.DataFrame({"a": ["x", "y"]})}
    karantina = pd.DataFrame([["pegawai.csv", 3, "nip", "", "NIP_FORMAT", "", "", "validation"]] * 3,
                             columns=KARANTINA_COLUMNS)
    inputs = Inputs(raw=raw, frames=frames, karantina=karantina)
    inputs.release_raw()

    assert inputs.stage_counts() == {
        "pegawai.dibaca": 4, "pegawai.sah": 2, "pegawai.dikarantina": 2,
        "skp.dibaca": 2, "skp.sah": 2, "skp.dikarantina": 0,
        "dikarantina": 3,
    }
