"""Plan-quality findings across files (FORMATS.md) and the per-unit completeness summary."""

from __future__ import annotations

import pandas as pd

from contract.hierarchy import kepala_unit
from contract.lookup import isin_text
from contract.schema import FILES

# Relational checks that GX cannot express, reported from the quarantine's rule codes.
RELATIONAL_CHECKS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("pegawai.unit.ada", "pegawai.csv", "kode_unit pegawai ada di unit_kerja.csv", ("UNIT_TIDAK_ADA",)),
    ("pegawai.atasan.ada", "pegawai.csv", "nip_atasan adalah pegawai lain di pegawai.csv",
     ("ATASAN_TIDAK_ADA", "ATASAN_KOSONG")),
    ("pegawai.atasan.instansi", "pegawai.csv", "atasan berada di instansi (kode_instansi) yang sama",
     ("ATASAN_INSTANSI_LAIN",)),
    ("pegawai.atasan.siklus", "pegawai.csv", "rantai atasan tanpa siklus", ("ATASAN_SIKLUS",)),
    ("skp.kaskade", "skp.csv",
     "indikator utama pegawai non-kepala diturunkan dari indikator atasannya sendiri",
     ("KASKADE", "KASKADE_WAJIB")),
    ("skp.pegawai.ada", "skp.csv", "nip indikator ada di pegawai.csv", ("PEGAWAI_TIDAK_ADA",)),
)
_ULANGI, _RERUN = "lalu jalankan ulang tahap", "then re-run the stage"
# Each relational check in English, and what HR does when it fails (Indonesian, English).
RELATIONAL_TEXT: dict[str, tuple[str, str, str]] = {
    "pegawai.unit.ada": (
        "the employee's kode_unit is in unit_kerja.csv",
        f"tambahkan unit yang tercantum (kolom nilai) ke unit_kerja.csv, atau perbaiki kode_unit pegawai itu "
        f"di pegawai.csv; {_ULANGI}",
        f"add the listed units (nilai column) to unit_kerja.csv, or correct those employees' kode_unit in "
        f"pegawai.csv; {_RERUN}"),
    "pegawai.atasan.ada": (
        "nip_atasan is another employee in pegawai.csv",
        "isi nip_atasan pegawai yang tercantum dengan NIP atasan langsung yang ada di pegawai.csv "
        f"(kosong hanya untuk pimpinan instansi); {_ULANGI}",
        "set nip_atasan of the listed employees to the NIP of their direct supervisor in pegawai.csv (empty "
        f"only for the head of the instansi); {_RERUN}"),
    "pegawai.atasan.instansi": (
        "the supervisor is in the same instansi (kode_instansi)",
        f"perbaiki nip_atasan pegawai yang tercantum, atau kode_unit atasannya, agar keduanya satu instansi; "
        f"{_ULANGI}",
        f"correct nip_atasan of the listed employees, or their supervisor's kode_unit, so both are in one "
        f"instansi; {_RERUN}"),
    "pegawai.atasan.siklus": (
        "the supervisor chain has no cycle",
        "putuskan lingkaran: perbaiki nip_atasan salah satu pegawai yang tercantum di pegawai.csv; "
        f"{_ULANGI}",
        f"break the cycle: correct nip_atasan of one of the listed employees in pegawai.csv; {_RERUN}"),
    "skp.kaskade": (
        "a main indicator of a non-head employee cascades from their own supervisor's indicator",
        "isi id_indikator_atasan indikator yang tercantum di skp.csv dengan id_indikator milik atasan "
        f"langsung pegawai itu; {_ULANGI}",
        "set id_indikator_atasan of the listed indicators in skp.csv to an id_indikator of the employee's "
        f"own supervisor; {_RERUN}"),
    "skp.pegawai.ada": (
        "the indicator's nip is in pegawai.csv",
        "tambahkan pegawai yang tercantum ke pegawai.csv, atau perbaiki nip indikator itu di skp.csv; "
        f"{_ULANGI}",
        f"add the listed employees to pegawai.csv, or correct the indicators' nip in skp.csv; {_RERUN}"),
}


def employees_without_utama(pegawai: pd.DataFrame, skp: pd.DataFrame) -> pd.DataFrame:
    """Employees (checked rows) that have no `utama` indicator."""
    with_utama = skp.loc[skp["jenis"] == "utama", "nip"].unique()
    return pegawai.loc[~isin_text(pegawai["nip"], with_utama), ["nip", "nama", "kode_unit", "_baris"]]


def completeness_by_unit(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per unit: staff, staff with an utama indicator, indicators, cascaded and realised indicators."""
    units, pegawai, skp = frames["unit_kerja"], frames["pegawai"], frames["skp"]
    peg = pegawai.assign(kepala=kepala_unit(pegawai).to_numpy())
    ind = skp.merge(peg[["nip", "kode_unit", "kepala"]], on="nip", how="inner")
    utama = ind["jenis"] == "utama"
    ind = ind.assign(
        utama=utama,
        perlu_kaskade=utama & ~ind["kepala"],
        kaskade=utama & ~ind["kepala"] & ind["id_indikator_atasan"].notna(),
    )
    if "realisasi" in frames and len(frames["realisasi"]):
        ind = ind.assign(ada_realisasi=isin_text(ind["id_indikator"], frames["realisasi"]["id_indikator"]))
    else:
        ind = ind.assign(ada_realisasi=False)
    with_utama = ind.loc[ind["utama"], "nip"].unique()
    staff = peg.assign(dengan_utama=isin_text(peg["nip"], with_utama)).groupby("kode_unit").agg(
        pegawai=("nip", "size"), pegawai_dengan_utama=("dengan_utama", "sum")
    )
    indicators = ind.groupby("kode_unit").agg(
        indikator=("id_indikator", "size"),
        indikator_perlu_kaskade=("perlu_kaskade", "sum"),
        indikator_kaskade=("kaskade", "sum"),
        indikator_dengan_realisasi=("ada_realisasi", "sum"),
    )
    out = units[["kode_unit", "nama_unit"]].set_index("kode_unit").join(staff).join(indicators)
    out = out.fillna(0).astype({c: "int64" for c in out.columns if c != "nama_unit"})
    need = out["pegawai"] + out["indikator_perlu_kaskade"]
    done = out["pegawai_dengan_utama"] + out["indikator_kaskade"]
    out["persen_lengkap"] = (100.0 * done / need.where(need > 0)).fillna(100.0).round(2)
    return out.reset_index().sort_values("kode_unit", kind="stable").reset_index(drop=True)


def relational_findings(karantina: pd.DataFrame, row_counts: dict[str, int]) -> list[dict]:
    """One finding per relational check: the quarantined rows that broke it and rows checked."""
    findings = []
    for kode, berkas, deskripsi, codes in RELATIONAL_CHECKS:
        sheet = berkas.removesuffix(".csv")
        if sheet not in row_counts or sheet not in FILES:
            continue
        rows = karantina[(karantina["berkas"] == berkas) & karantina["kode_aturan"].isin(codes)]
        description, perbaikan, fix = RELATIONAL_TEXT[kode]
        findings.append({"kode": kode, "berkas": berkas, "deskripsi": deskripsi, "rows": rows,
                         "diperiksa": row_counts[sheet], "description": description,
                         "perbaikan": perbaikan, "fix": fix})
    return findings
