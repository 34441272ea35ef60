"""Who heads a unit, as the input files say it: the one rule every stage and check uses."""

from __future__ import annotations

import pandas as pd


def kepala_unit(pegawai: pd.DataFrame) -> pd.Series:
    """Head of unit: no supervisor, a supervisor not in pegawai, or a supervisor in another unit.

    `pegawai` needs the columns nip, nip_atasan and kode_unit; a supervisor is the first row with
    that nip (empty nips are nobody's).
    """
    known = pegawai[pegawai["nip"].notna()].drop_duplicates("nip")
    unit = known.set_index("nip")["kode_unit"]
    unit_atasan = pegawai["nip_atasan"].map(unit)
    kepala = unit_atasan.isna().to_numpy() | (
        unit_atasan.astype("str").to_numpy() != pegawai["kode_unit"].astype("str").to_numpy()
    )
    return pd.Series(kepala, index=pegawai.index, name="kepala_unit", dtype="bool")
