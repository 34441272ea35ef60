"""Gate checks that belong to one stage's own data: coverage, unscored share, prerequisites."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from contract.lookup import isin_text


def _rows(frame: pd.DataFrame, kolom: str, alasan: str) -> pd.DataFrame:
    return pd.DataFrame({"baris": frame["_baris"].to_numpy(), "kolom": kolom,
                         "nilai": frame[kolom].to_numpy(), "alasan": alasan})


def realisation_coverage(frames: dict[str, pd.DataFrame], bulan_batas: int) -> tuple[pd.DataFrame, int]:
    """Indicators with no realisation on or before the cut-off month."""
    skp, realisasi = frames["skp"], frames["realisasi"]
    realised = realisasi.loc[realisasi["bulan"] <= bulan_batas, "id_indikator"].unique()
    missing = skp[~isin_text(skp["id_indikator"], realised)]
    return _rows(missing, "id_indikator", f"belum ada realisasi s.d. bulan {bulan_batas}"), len(skp)


def supervisor_rating_coverage(
    frames: dict[str, pd.DataFrame], semester: int | None
) -> tuple[pd.DataFrame, int]:
    """Employees with a supervisor who have no rating from that supervisor (in `semester`, if given)."""
    pegawai = frames["pegawai"]
    perilaku = frames.get("perilaku")
    with_boss = pegawai[pegawai["nip_atasan"].notna()]
    if perilaku is None or perilaku.empty:
        rated = pd.Index([])
    else:
        sel = perilaku if semester is None else perilaku[perilaku["semester"] == semester]
        pairs = with_boss.merge(sel[["nip", "nip_penilai"]], left_on=["nip", "nip_atasan"],
                                right_on=["nip", "nip_penilai"], how="inner")
        rated = pd.Index(pairs["nip"].unique())
    missing = with_boss[~isin_text(with_boss["nip"], rated)]
    label = f"S{semester}" if semester else "tahun ini"
    return _rows(missing, "nip", f"belum ada penilaian perilaku oleh atasan ({label})"), len(with_boss)


HELD_BACK_COLUMNS = ("_baris", "nip", "kode_unit", "kode_instansi", "baris_unit", "tanpa_predikat")


def held_back_staff(raw: Mapping[str, pd.DataFrame], karantina: pd.DataFrame) -> pd.DataFrame:
    """Employees set aside only because their unit's row went to quarantine (INDUK_DIKARANTINA on
    kode_unit), with the unit's line and instansi and whether the unit was quarantined for its
    predikat_organisasi. They cannot be scored, and their unit is still staffed: the year-end gate
    counts them (a check must not pass because the rows it should count were quarantined first).
    Taken from the raw rows, so it is computed before they are released."""
    q = karantina
    lines = q.loc[(q["berkas"] == "pegawai.csv") & (q["kode_aturan"] == "INDUK_DIKARANTINA")
                  & (q["kolom"] == "kode_unit"), "baris"]
    if lines.empty or "pegawai" not in raw or "unit_kerja" not in raw:  # raw text parsed only when needed
        return _nobody_held_back()
    pegawai, units = raw["pegawai"], raw["unit_kerja"]
    staff = pegawai.loc[pegawai["_baris"].isin(lines.astype("int64")), ["_baris", "nip", "kode_unit"]]
    first = units.drop_duplicates("kode_unit")[["kode_unit", "kode_instansi", "_baris"]]
    staff = staff.merge(first.rename(columns={"_baris": "baris_unit"}), on="kode_unit", how="left")
    no_predikat = q.loc[(q["berkas"] == "unit_kerja.csv")
                        & (q["kode_aturan"] == "PREDIKAT_ORGANISASI"), "baris"]
    staff["tanpa_predikat"] = staff["baris_unit"].isin(no_predikat.astype("int64")).to_numpy()
    return staff[list(HELD_BACK_COLUMNS)].reset_index(drop=True)


def _nobody_held_back() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="bool" if c == "tanpa_predikat" else "object")
                         for c in HELD_BACK_COLUMNS})


def units_without_predikat(frames: dict[str, pd.DataFrame], held_back: pd.DataFrame | None = None
                           ) -> tuple[pd.DataFrame, int]:
    """Units with staff but no predikat_organisasi (required before year-end scoring), including units
    quarantined for a missing or invalid one whose staff were set aside with them (`held_back`)."""
    units = frames["unit_kerja"]
    staffed = units[isin_text(units["kode_unit"], frames["pegawai"]["kode_unit"])]
    missing = _rows(staffed[staffed["predikat_organisasi"].isna()], "kode_unit",
                    "predikat_organisasi kosong")
    held = held_back if held_back is not None else _nobody_held_back()
    quarantined = held[held["tanpa_predikat"]]
    per_unit = quarantined.groupby("kode_unit", sort=True).agg(
        _baris=("baris_unit", "first"), pegawai=("nip", "size")).reset_index()
    named = pd.DataFrame({
        "baris": per_unit["_baris"].to_numpy(), "kolom": "kode_unit",
        "nilai": per_unit["kode_unit"].to_numpy(),
        "alasan": [f"predikat_organisasi kosong atau tidak sah: unit dikarantina bersama {n} pegawainya"
                   for n in per_unit["pegawai"]],
    })
    rows = pd.concat([missing, named], ignore_index=True) if len(named) else missing
    return rows, len(staffed) + len(per_unit)


def unscored_by_instansi(frames: dict[str, pd.DataFrame], tidak_dinilai: pd.DataFrame,
                         held_back: pd.DataFrame | None = None) -> list[tuple[str, pd.DataFrame, int]]:
    """Per instansi: the employees that cannot be scored, and how many employees it has — counting
    the staff set aside with their quarantined unit (`held_back`) among both."""
    pegawai = frames["pegawai"].merge(frames["unit_kerja"][["kode_unit", "kode_instansi"]], on="kode_unit")
    held = held_back if held_back is not None else _nobody_held_back()
    held = held[held["kode_instansi"].notna()]
    out = []
    instansi = set(pegawai["kode_instansi"].astype("str")) | set(held["kode_instansi"].astype("str"))
    for kode in sorted(instansi):
        group = pegawai[pegawai["kode_instansi"].astype("str") == kode]
        bad = group[isin_text(group["nip"], tidak_dinilai["nip"])]
        reasons = bad.merge(tidak_dinilai[["nip", "alasan"]].drop_duplicates("nip"), on="nip", how="left")
        rows = pd.DataFrame({"baris": reasons["_baris"], "kolom": "nip", "nilai": reasons["nip"],
                             "alasan": reasons["alasan"]})
        set_aside = held[held["kode_instansi"].astype("str") == kode]
        if len(set_aside):
            rows = pd.concat([rows, pd.DataFrame({
                "baris": set_aside["_baris"].to_numpy(), "kolom": "nip", "nilai": set_aside["nip"].to_numpy(),
                "alasan": [f"unit {u} dikarantina" for u in set_aside["kode_unit"]]})], ignore_index=True)
        out.append((kode, rows, len(group) + len(set_aside)))
    return out


def unscored_quarantine(frames: dict[str, pd.DataFrame], tidak_dinilai: pd.DataFrame) -> pd.DataFrame:
    """Employees that cannot be scored, as quarantine rows pointing at their pegawai.csv line."""
    lines = frames["pegawai"][["nip", "_baris"]]
    rows = tidak_dinilai.merge(lines, on="nip", how="left")
    return pd.DataFrame({
        "berkas": "pegawai.csv", "baris": rows["_baris"], "kolom": "nip", "nilai": rows["nip"],
        "kode_aturan": rows["kode_aturan"], "alasan": rows["alasan"], "reason": rows["reason"],
    })
