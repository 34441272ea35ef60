"""Split by instansi, compute each part, combine: the same result as the whole tables, frame for frame."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pandas as pd
import pytest

from contract.reader import read_inputs
from contract.values import check_values
from kinerja.demo.generator import generate
from penilaian.monitoring import monitor_mid_year
from penilaian.partition import (
    TANPA_INSTANSI,
    combine_mid_year,
    combine_training,
    combine_year_end,
    split_by_instansi,
)
from penilaian.ruleset import load_ruleset
from penilaian.training import recommend_trainings
from penilaian.year_end import score_year_end
from stages import registry

TAHUN = 2026


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("partisi")
    generate(folder, pegawai=300, tahun=TAHUN, seed=5, bad_rows=True)
    return folder


def _frames(folder: Path, tahap: str) -> dict[str, pd.DataFrame]:
    required, optional = registry.get(tahap).required, registry.get(tahap).optional
    raw, _ = read_inputs(folder, required, optional)
    frames, _, _ = check_values(raw, TAHUN, tahap)
    return frames


def _with_stray_rows(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Add an employee of a unit that is not in unit_kerja, with an indicator and its realisation."""
    frames = dict(frames)
    pegawai = frames["pegawai"]
    atasan = pegawai["nip"].iloc[0]
    frames["pegawai"] = pd.concat([pegawai, pegawai.iloc[[1]].assign(
        nip="199912312020121001", kode_unit="TIDAK-ADA", nip_atasan=atasan, _baris=9999)],
        ignore_index=True)
    skp = frames["skp"]
    frames["skp"] = pd.concat([skp, skp.iloc[[0]].assign(
        nip="199912312020121001", id_indikator="IND-LIAR-1", jenis="utama", _baris=9999)],
        ignore_index=True)
    realisasi = frames["realisasi"]
    frames["realisasi"] = pd.concat([realisasi, realisasi.iloc[[0]].assign(
        id_indikator="IND-LIAR-1", _baris=99999)], ignore_index=True)
    return frames


def _assert_same(whole: object, combined: object) -> None:
    for f in fields(whole):
        a, b = getattr(whole, f.name), getattr(combined, f.name)
        if isinstance(a, pd.DataFrame):
            pd.testing.assert_frame_equal(a, b, check_exact=True, obj=f.name)
        else:
            assert a == b, f.name


def test_split_keeps_every_row_once_and_the_catalogue_whole(demo_folder: Path) -> None:
    frames = _with_stray_rows(_frames(demo_folder, "training"))
    parts = split_by_instansi(frames)

    assert list(parts) == sorted(parts)
    assert TANPA_INSTANSI in parts and len(parts) == 4  # three demo instansi + the stray unit
    for nama, frame in frames.items():
        if nama == "katalog_pelatihan":
            assert all(p[nama] is frame for p in parts.values())
            continue
        joined = pd.concat([p[nama] for p in parts.values()]).sort_index()
        kategori = {c: "str" for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)}
        pd.testing.assert_frame_equal(joined.astype(kategori), frame.astype(kategori), obj=nama)
        for part in parts.values():  # each partition carries only its own categories to its worker
            for c in kategori:
                values = part[nama][c]
                assert set(values.cat.categories) == set(values.dropna()), (nama, c)
    for kode, part in parts.items():
        units = set(part["unit_kerja"]["kode_unit"])
        assert set(part["unit_kerja"]["kode_instansi"]) <= {kode}
        assert set(part["pegawai"]["kode_unit"]) <= units or kode == TANPA_INSTANSI
        assert set(part["skp"]["nip"]) <= set(part["pegawai"]["nip"])
        assert set(part["realisasi"]["id_indikator"]) <= set(part["skp"]["id_indikator"])
        assert part["realisasi"]["_baris"].is_monotonic_increasing  # file order kept
    assert list(parts[TANPA_INSTANSI]["pegawai"]["nip"]) == ["199912312020121001"]


def test_year_end_and_training_per_instansi_equal_the_whole_tables(demo_folder: Path) -> None:
    rules = load_ruleset()
    frames = _with_stray_rows(_frames(demo_folder, "training"))
    parts = list(split_by_instansi(frames).values())

    whole = score_year_end(frames, rules, TAHUN)
    each = [score_year_end(part, rules, TAHUN) for part in parts]
    _assert_same(whole, combine_year_end(each, rules))
    assert "IND-LIAR-1" in set(whole.indikator["id_indikator"])
    assert "199912312020121001" in set(whole.tidak_dinilai["nip"])  # no behaviour rating

    _assert_same(
        recommend_trainings(whole, frames, rules, TAHUN),
        combine_training([recommend_trainings(y, part, rules, TAHUN) for y, part in zip(each, parts,
                                                                                        strict=True)]),
    )


def test_mid_year_per_instansi_equals_the_whole_tables(demo_folder: Path) -> None:
    rules = load_ruleset()
    frames = _with_stray_rows(_frames(demo_folder, "mid-year"))
    parts = split_by_instansi(frames).values()

    whole = monitor_mid_year(frames, rules, TAHUN)
    combined = combine_mid_year([monitor_mid_year(p, rules, TAHUN) for p in parts], frames, rules, TAHUN)
    _assert_same(whole, combined)
    assert not whole.ikm.empty and not whole.berisiko.empty
