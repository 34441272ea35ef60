"""Rater bias (calibration aid): how each supervisor's nilai_perilaku compares with the instansi.

Interpretations of DOMAIN.md made explicit here: the population is the scored employees with a
supervisor rating (computed nilai_perilaku, overrides ignored); the rater is their nip_atasan; sd is
the population sd by default (ruleset). Thresholds are compared on ``numbers.clean``-ed values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from penilaian.numbers import clean
from penilaian.ruleset import Bias as AturanBias


def _sd_per_group(data: pd.DataFrame, by: list[str], ddof: int) -> np.ndarray:
    """nilai_perilaku's standard deviation per group, in sorted group order, bit for bit what
    `Series.std(ddof)` gives each group (np.std: the same two-pass sum over the group's rows in
    their original order), without a pandas call per group (12,000 raters: 0.75 s → 0.1 s)."""
    codes = data.groupby(by, sort=True).ngroup().to_numpy()
    order = np.argsort(codes, kind="stable")
    values = data["nilai_perilaku"].to_numpy(dtype="float64")[order]
    bounds = np.searchsorted(codes[order], np.arange(int(codes.max(initial=-1)) + 2))
    return np.array([np.std(values[a:b], ddof=ddof) if b - a > ddof else np.nan
                     for a, b in zip(bounds[:-1], bounds[1:], strict=True)], dtype="float64")


def bias_penilai(hasil: pd.DataFrame, aturan: AturanBias) -> pd.DataFrame:
    """Rater bias: z of each supervisor's mean nilai_perilaku against the instansi.

    The population is the scored employees with a supervisor rating (computed nilai_perilaku, not
    the override); the rater is their nip_atasan (the only rater whose ratings count). Both the
    rater's sd and the instansi's sd describe a whole set, so by default they are population
    standard deviations (ddof=0; ruleset bias.simpangan_baku = "sampel" gives ddof=1). An
    instansi sd of 0 gives selisih_z 0 and pola wajar.
    """
    dinilai = hasil.loc[hasil["nilai_perilaku"].notna(), ["kode_instansi", "nip_atasan", "nilai_perilaku"]]
    dinilai = dinilai.assign(nilai_perilaku=dinilai["nilai_perilaku"].astype("float64"))
    instansi = dinilai.groupby("kode_instansi", sort=True)["nilai_perilaku"].agg(rata_rata_instansi="mean")
    instansi["sd_instansi"] = _sd_per_group(dinilai, ["kode_instansi"], aturan.ddof)
    penilai = dinilai.groupby(["kode_instansi", "nip_atasan"], sort=True)["nilai_perilaku"].agg(
        jumlah_dinilai="size", rata_rata="mean")
    penilai["sd_penilai"] = _sd_per_group(dinilai, ["kode_instansi", "nip_atasan"], aturan.ddof)
    penilai = penilai.reset_index().rename(columns={"nip_atasan": "nip_penilai"})
    penilai = penilai.loc[penilai["jumlah_dinilai"] >= aturan.min_dinilai]
    penilai = penilai.merge(instansi, on="kode_instansi", how="left")
    sd_i = penilai["sd_instansi"].astype("float64").fillna(0.0).to_numpy()
    ada_sd = clean(sd_i) > 0
    z = np.where(
        ada_sd,
        (penilai["rata_rata"].to_numpy() - penilai["rata_rata_instansi"].to_numpy())
        / np.where(ada_sd, sd_i, 1.0),
        0.0,
    )
    zc = clean(z)
    terpusat = clean(penilai["sd_penilai"].astype("float64").to_numpy()) < clean(aturan.rasio_terpusat * sd_i)
    pola = np.select(
        [~ada_sd, zc >= aturan.z_lunak, zc <= aturan.z_keras, terpusat],
        ["wajar", "lunak", "keras", "terpusat"],
        "wajar",
    )
    penilai["selisih_z"] = z
    penilai["pola"] = pd.Series(pola, index=penilai.index, dtype="str")
    penilai["jumlah_dinilai"] = penilai["jumlah_dinilai"].astype("int64")
    kolom = [
        "nip_penilai",
        "kode_instansi",
        "jumlah_dinilai",
        "rata_rata",
        "sd_penilai",
        "selisih_z",
        "pola",
        "rata_rata_instansi",
        "sd_instansi",
    ]
    return penilai[kolom].sort_values("nip_penilai", kind="stable").reset_index(drop=True)
