"""Gate checks that belong to one stage's own data: coverage, unscored share, prerequisites."""

from __future__ import annotations

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


def units_without_predikat(frames: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, int]:
    """Units with staff but no predikat_organisasi (required before year-end scoring)."""
    units = frames["unit_kerja"]
    staffed = units[isin_text(units["kode_unit"], frames["pegawai"]["kode_unit"])]
    missing = staffed[staffed["predikat_organisasi"].isna()]
    return _rows(missing, "kode_unit", "predikat_organisasi kosong"), len(staffed)


def unscored_by_instansi(frames: dict[str, pd.DataFrame], tidak_dinilai: pd.DataFrame
                         ) -> list[tuple[str, pd.DataFrame, int]]:
    """Per instansi: the employees that cannot be scored, and how many employees it has."""
    pegawai = frames["pegawai"].merge(frames["unit_kerja"][["kode_unit", "kode_instansi"]], on="kode_unit")
    out = []
    for kode, group in pegawai.groupby("kode_instansi", sort=True):
        bad = group[isin_text(group["nip"], tidak_dinilai["nip"])]
        reasons = bad.merge(tidak_dinilai[["nip", "alasan"]].drop_duplicates("nip"), on="nip", how="left")
        out.append((str(kode), pd.DataFrame({"baris": reasons["_baris"], "kolom": "nip",
                                             "nilai": reasons["nip"], "alasan": reasons["alasan"]}),
                    len(group)))
    return out


def unscored_quarantine(frames: dict[str, pd.DataFrame], tidak_dinilai: pd.DataFrame) -> pd.DataFrame:
    """Employees that cannot be scored, as quarantine rows pointing at their pegawai.csv line."""
    lines = frames["pegawai"][["nip", "_baris"]]
    rows = tidak_dinilai.merge(lines, on="nip", how="left")
    return pd.DataFrame({
        "berkas": "pegawai.csv", "baris": rows["_baris"], "kolom": "nip", "nilai": rows["nip"],
        "kode_aturan": rows["kode_aturan"], "alasan": rows["alasan"], "reason": rows["reason"],
    })
