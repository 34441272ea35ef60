"""The deliberate bad rows: each function spoils exactly what it says and leaves the rest alone."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from kinerja.demo.bad_rows import (
    INVALID_NIP,
    SkpDefect,
    append_row,
    bad_pegawai,
    bad_perilaku,
    bad_realisasi,
    bad_riwayat,
    bad_skp,
    bad_survei,
    bad_umpan_balik,
    replace_value,
    take_rows,
)
from kinerja.demo.pegawai import Pegawai, build_pegawai, pegawai_columns
from kinerja.demo.reference import Reference, load_reference
from kinerja.demo.skp import Skp, build_skp, skp_columns
from kinerja.demo.unit_kerja import UnitKerja, build_unit_kerja, pegawai_per_instansi


def _world(n: int) -> tuple[Reference, UnitKerja, Pegawai, Skp]:
    ref = load_reference()
    units = build_unit_kerja(2, pegawai_per_instansi(n, ref), ref)
    peg = build_pegawai(2, units, 2026, ref)
    return ref, units, peg, build_skp(2, peg, ref)


@pytest.fixture(scope="module")
def world() -> tuple[Reference, UnitKerja, Pegawai, Skp]:
    return _world(400)


def test_row_helpers() -> None:
    cols = {"a": pa.array(["x", "y"]), "b": np.asarray([1, 2])}
    assert replace_value(cols["a"], 1, "z").to_pylist() == ["x", "z"]
    assert cols["a"].to_pylist() == ["x", "y"]
    taken = take_rows(cols, np.asarray([1, 1, 0]))
    assert taken["a"].to_pylist() == ["y", "y", "x"] and taken["b"].to_pylist() == ["2", "2", "1"]
    grown = append_row(cols, {"a": "w"})
    assert grown["a"].to_pylist() == ["x", "y", "w"] and grown["b"].to_pylist() == ["1", "2", None]


def test_bad_pegawai(world: tuple[Reference, UnitKerja, Pegawai, Skp]) -> None:
    ref, units, peg, skp = world
    clean = pegawai_columns(peg, units)
    cols, defects = bad_pegawai(np.random.default_rng(0), clean, peg, skp, ref)
    n = len(peg.nip)
    nips = cols["nip"].to_pylist()
    assert len(nips) == n + 3
    assert nips.count(INVALID_NIP) == 1
    rows = list(zip(*(cols[k].to_pylist() for k in cols), strict=True))
    assert len(rows) - len(set(rows)) == 1
    assert cols["nama"].to_pylist().count("<b>Budi</b> Santoso") == 1
    units_known = set(units.kode.to_pylist())
    assert sum(k not in units_known for k in cols["kode_unit"].to_pylist()) == 1
    assert len(set(nips) - {INVALID_NIP}) == n + 1  # the unknown unit's pegawai has a new NIP
    assert [d.column for d in defects] == ["target", "aspek"]
    for d in defects:
        assert not skp.utama[d.row]
    sk = bad_skp(skp_columns(skp, peg, 2026), defects)
    assert sk["target"].to_pylist()[defects[0].row] == "0"
    assert sk["aspek"].to_pylist().count("kuantitass") == 1


def test_bad_pegawai_needs_four_staff() -> None:
    ref, units, peg, skp = _world(3)
    clean = pegawai_columns(peg, units)
    cols, defects = bad_pegawai(np.random.default_rng(0), clean, peg, skp, ref)
    assert cols is clean and defects == []


def test_bad_skp_without_defects_is_unchanged(world: tuple[Reference, UnitKerja, Pegawai, Skp]) -> None:
    _, _, peg, skp = world
    cols = skp_columns(skp, peg, 2026)
    assert bad_skp(cols, []) == cols
    moved = bad_skp(cols, [SkpDefect(0, "satuan", "?")])
    assert moved["satuan"].to_pylist()[0] == "?" and cols["satuan"].to_pylist()[0] != "?"


def test_bad_realisasi_is_last_year(world: tuple[Reference, UnitKerja, Pegawai, Skp]) -> None:
    _, _, _, skp = world
    without = np.zeros(len(skp.pegawai), dtype=bool)
    without[: len(without) // 2 + 5] = True
    row = bad_realisasi(skp, without, 2026)
    assert row["periode"].to_pylist() == ["2025-12"]
    assert row["id_indikator"].to_pylist()[0] in set(np.asarray(skp.id_text.to_pylist())[~without])


def test_one_bad_value_per_file() -> None:
    per = {k: pa.array(["3", "3", "3", "3"]) for k in ("nip", "kompeten")}
    spoiled = bad_perilaku(per, np.asarray([False, True, True, False]))
    assert spoiled["kompeten"].to_pylist() == ["3", "3", "6", "3"]
    assert bad_perilaku(per, np.zeros(4, dtype=bool))["kompeten"].to_pylist().count("6") == 1
    no_ratings = {"kompeten": pa.array([], pa.string())}
    assert bad_perilaku(no_ratings, np.zeros(0, bool)) is no_ratings
    ub = bad_umpan_balik({"nip": pa.array(["1"] * 3), "tanggal": pa.array(["2026-01-01"] * 3)}, 2026)
    assert ub["tanggal"].to_pylist() == ["2026-01-01", "12/03/2026", "2026-01-01"]
    sv = bad_survei({"kode_unit": pa.array(["U"] * 2), "nilai_ikm": pa.array(["80", "80"])})
    assert sv["nilai_ikm"].to_pylist() == ["80", "120"]
    rw = bad_riwayat({"nip": pa.array(["1"] * 4), "jp": pa.array(["8"] * 4)})
    assert rw["jp"].to_pylist() == ["8", "0", "8", "8"]
    empty = {"nip": pa.array([], pa.string()), "tanggal": pa.array([], pa.string())}
    assert bad_umpan_balik(empty, 2026) is empty
