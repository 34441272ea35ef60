"""Rater bias on hand-made populations; every z and sd is worked out by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from penilaian.bias import bias_penilai
from penilaian.year_end import to_bias_penilai_csv
from tests.penilaian.year_end_inputs import (
    nip,
    year_end_result,
)


def _bias_hasil(groups):
    """groups: {(instansi, rater): [nilai, ...]} -> a hasil-like frame."""
    rows = []
    for (instansi, rater), nilai in groups.items():
        for v in nilai:
            rows.append({"kode_instansi": instansi, "nip_atasan": nip(rater), "nilai_perilaku": v})
    return pd.DataFrame(rows)


def test_bias_population_sd_lunak_and_keras(ruleset):
    # I1: rater 1 -> five 4.0, rater 2 -> five 2.0, rater 3 -> four 3.0 (under 5: not reported).
    # Instansi: 14 values, mean (20 + 10 + 12) / 14 = 3.0; squared deviations 5*1 + 5*1 + 0 = 10;
    # population sd = sqrt(10/14) = 0.845154; z(1) = 1/0.845154 = 1.183216 -> lunak;
    # z(2) = -1.183216 -> keras.
    hasil = _bias_hasil({("I1", 1): [4.0] * 5, ("I1", 2): [2.0] * 5, ("I1", 3): [3.0] * 4})
    bias = bias_penilai(hasil, ruleset.bias)
    assert bias["nip_penilai"].tolist() == [nip(1), nip(2)]
    assert bias["selisih_z"].tolist() == pytest.approx([1.183215957, -1.183215957])
    assert bias["pola"].tolist() == ["lunak", "keras"]
    assert bias["jumlah_dinilai"].tolist() == [5, 5]


def test_bias_sample_sd_when_the_ruleset_says_so(ruleset):
    # Same data, sample sd = sqrt(10/13) = 0.877058; z = 1/0.877058 = 1.140175.
    sampel = ruleset.bias.model_copy(update={"simpangan_baku": "sampel"})
    hasil = _bias_hasil({("I1", 1): [4.0] * 5, ("I1", 2): [2.0] * 5, ("I1", 3): [3.0] * 4})
    bias = bias_penilai(hasil, sampel)
    assert bias["selisih_z"].tolist() == pytest.approx([1.140175425, -1.140175425])


def test_bias_terpusat_and_wajar(ruleset):
    # I2: rater 4 -> [3, 3, 3, 3, 3] (sd 0), rater 5 -> [2, 4, 2, 4, 3] (population sd sqrt(4/5)).
    # Instansi mean 3.0, squared deviations 0 + (1+1+1+1+0) = 4, population sd = sqrt(4/10) = 0.6325.
    # Both z = 0. Rater 4: sd 0 < 0.25*0.6325 -> terpusat. Rater 5: sd 0.894 -> wajar.
    hasil = _bias_hasil({("I2", 4): [3.0] * 5, ("I2", 5): [2.0, 4.0, 2.0, 4.0, 3.0]})
    bias = bias_penilai(hasil, ruleset.bias).set_index("nip_penilai")
    assert bias.loc[nip(4), "pola"] == "terpusat" and bias.loc[nip(5), "pola"] == "wajar"
    assert bias.loc[nip(5), "sd_penilai"] == pytest.approx(math.sqrt(4 / 5))
    assert bias.loc[nip(4), "sd_instansi"] == pytest.approx(math.sqrt(4 / 10))


def test_bias_sd_zero_instansi(ruleset):
    # I3: everyone 4.0 -> instansi sd 0 -> selisih_z 0 and pola wajar.
    hasil = _bias_hasil({("I3", 6): [4.0] * 5, ("I3", 7): [4.0] * 6})
    bias = bias_penilai(hasil, ruleset.bias)
    assert bias["selisih_z"].tolist() == [0.0, 0.0]
    assert bias["pola"].tolist() == ["wajar", "wajar"]
    assert to_bias_penilai_csv(year_end_result(bias=bias))["selisih_z"].tolist() == ["0.00", "0.00"]
