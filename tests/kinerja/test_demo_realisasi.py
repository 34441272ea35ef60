"""Demo realisation: twelve months per indicator except the ones left without, cumulative months."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from kinerja.demo import realisasi
from kinerja.demo.pegawai import Pegawai, build_pegawai
from kinerja.demo.realisasi import without_realisasi, write_realisasi
from kinerja.demo.reference import load_reference
from kinerja.demo.skp import Skp, build_skp
from kinerja.demo.unit_kerja import build_unit_kerja, pegawai_per_instansi


@pytest.fixture(scope="module")
def world() -> tuple[Pegawai, Skp]:
    ref = load_reference()
    units = build_unit_kerja(8, pegawai_per_instansi(400, ref), ref)
    peg = build_pegawai(8, units, 2026, ref)
    return peg, build_skp(8, peg, ref)


def test_without_realisasi_keeps_the_dropped(world: tuple[Pegawai, Skp]) -> None:
    _, skp = world
    dropped = np.zeros(len(skp.pegawai), dtype=bool)
    dropped[[3, 10]] = True
    out = without_realisasi(1, skp, dropped)
    assert out[[3, 10]].all() and 2 < out.sum() <= 2 + max(2, round(0.004 * len(out)))
    assert dropped.sum() == 2  # the input is not changed


def test_write_realisasi_in_batches(world: tuple[Pegawai, Skp], tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    peg, skp = world
    without = without_realisasi(1, skp, np.zeros(len(skp.pegawai), dtype=bool))
    extra = {"id_indikator": pa.array(["X"]), "periode": pa.array(["2025-12"]),
             "realisasi": pa.array(["5"])}
    whole = write_realisasi(tmp_path, 1, peg, skp, without, 2026, extra)
    assert whole == 12 * int((~without).sum()) + 1
    one_batch = (tmp_path / "realisasi.csv").read_bytes()
    monkeypatch.setattr(realisasi, "CHUNK", 97)
    assert write_realisasi(tmp_path, 1, peg, skp, without, 2026, extra) == whole
    batches = (tmp_path / "realisasi.csv").read_bytes()
    assert batches.count(b"\n") == one_batch.count(b"\n")
    assert batches.splitlines()[-1] == b"X,2025-12,5"

    df = pd.read_csv(tmp_path / "realisasi.csv", dtype={"realisasi": float})
    df = df[df["id_indikator"] != "X"]
    ids = skp.id_text.to_pylist()
    assert set(df["id_indikator"]) == {ids[i] for i in np.nonzero(~without)[0]}
    assert (df["realisasi"] >= 0).all()
    aspek = skp.templates.field("aspek", skp.template)
    arah = skp.templates.field("arah", skp.template)
    rising = {ids[i] for i in np.nonzero(arah == "naik")[0]}
    whole_numbers = {ids[i] for i in np.nonzero(aspek == "kuantitas")[0]}
    up = df[df["id_indikator"].isin(rising)].sort_values(["id_indikator", "periode"])
    assert (up.groupby("id_indikator")["realisasi"].diff().dropna() >= 0).all()
    counted = df[df["id_indikator"].isin(whole_numbers)]["realisasi"]
    assert (counted == counted.round()).all()
