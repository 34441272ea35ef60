"""The follow-up sections of the unit summary: the unit's decided objections (and whether its curve still
holds) and its functional officials' angka kredit."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from penilaian.angka_kredit import ANGKA_KREDIT_COLUMNS, ANGKA_KREDIT_EXTRA_COLUMNS
from reports.common import (
    JENJANG_LABEL,
    KEPUTUSAN_LABEL,
    PerKey,
    count_per_unit,
    format_numbers,
    frame_or_empty,
    label_column,
    langkah_column,
    lookup,
    map_codes,
    per_unit,
    sort_positions,
    text_column,
)


def keberatan_unit(keberatan: Any, hasil: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Per unit: its decided objections by nip, their counts, and whether its curve still holds.

    A unit is flagged only where keberatan.kurva says memenuhi is False; the curve is not applied
    again (DOMAIN.md "Keberatan"), so the flag is the whole of the consequence here.
    """
    kep = frame_or_empty(
        keberatan,
        "keputusan",
        ("nip", "nama", "kode_unit", "keputusan", "tanggal_pengajuan", "predikat_lama",
         "predikat_ditetapkan"),
    )
    kep = kep.iloc[sort_positions(text_column(kep["nip"]))]
    nip = text_column(kep["nip"])
    kode = text_column(kep["kode_unit"])
    kode = kode.where(kode != "", map_codes(nip, lookup(hasil, "nip", "kode_unit", hanya=nip)))
    nama = text_column(kep["nama"])
    nama = nama.where(nama != "", map_codes(nip, lookup(hasil, "nip", "nama", hanya=nip)))
    keputusan = text_column(kep["keputusan"])
    lama, tetap = text_column(kep["predikat_lama"]), text_column(kep["predikat_ditetapkan"])
    daftar = per_unit(
        {
            "nip": nip,
            "nama": nama,
            "tanggal_pengajuan": text_column(kep["tanggal_pengajuan"]),
            "keputusan": label_column(keputusan, KEPUTUSAN_LABEL),
            "diterima": keputusan == "diterima",
            "predikat_lama": lama,
            "predikat_ditetapkan": tetap,
            "berubah": lama != tetap,
        },
        kode,
    )
    kurva = frame_or_empty(keberatan, "kurva", ("kode_unit", "memenuhi", "pelanggaran"))
    memenuhi = kurva["memenuhi"].astype("boolean")
    kode_kurva = text_column(kurva["kode_unit"]).tolist()
    memenuhi = memenuhi.astype(object).where(memenuhi.notna(), None)
    status = dict(zip(kode_kurva, memenuhi.tolist(), strict=True))
    pelanggaran = dict(zip(kode_kurva, text_column(kurva["pelanggaran"]).tolist(), strict=True))
    out = {}
    for unit in sorted(set(daftar) | set(status)):
        baris = daftar.get(unit, [])
        out[unit] = {
            "daftar": baris,
            "diterima": sum(r["diterima"] for r in baris),
            "ditolak": sum(not r["diterima"] for r in baris),
            "berubah": sum(r["berubah"] for r in baris),
            "memenuhi": status.get(unit),  # None: the curve was not checked for this unit
            "melanggar": status.get(unit) is False,
            "pelanggaran": pelanggaran.get(unit, ""),
        }
    return out


def keberatan_kosong() -> dict[str, Any]:
    return {"daftar": [], "diterima": 0, "ditolak": 0, "berubah": 0, "memenuhi": None, "melanggar": False,
            "pelanggaran": ""}


# An official's class in the unit's angka kredit counts: reaches the next pangkat, reaches the next
# jenjang (uji kompetensi still to pass), at the top of the jenjang, below the threshold.
KELAS_AK = ("naik_pangkat", "naik_jenjang", "puncak", "belum")


def angka_kredit_unit(angka_kredit: Any, pegawai: pd.DataFrame) -> PerKey:
    """Per unit (built when asked for): how many of its functional officials with angka kredit reach the
    threshold of their next pangkat or jenjang, or are at the top, and the list of those reaching one
    (by nip).

    The unit and name come with the result; where missing they are looked up in pegawai.
    """
    ak = frame_or_empty(angka_kredit, "hasil", (*ANGKA_KREDIT_COLUMNS, *ANGKA_KREDIT_EXTRA_COLUMNS))
    ak = ak.iloc[sort_positions(text_column(ak["nip"]))]
    nip = text_column(ak["nip"])
    kode = text_column(ak["kode_unit"])
    kode = kode.where(kode != "", map_codes(nip, lookup(pegawai, "nip", "kode_unit", hanya=nip)))
    nama = text_column(ak["nama"])
    nama = nama.where(nama != "", map_codes(nip, lookup(pegawai, "nip", "nama", hanya=nip)))
    langkah = text_column(ak["langkah_berikutnya"])
    memenuhi = (text_column(ak["memenuhi"]) == "ya") & (langkah != "puncak")
    kelas = np.select(
        [memenuhi & (langkah == "pangkat"), memenuhi & (langkah == "jenjang"), langkah == "puncak"],
        [0, 1, 2],
        3,
    )
    jumlah = count_per_unit(kode, kelas, len(KELAS_AK))
    naik = kelas < 2
    daftar = per_unit(
        {
            "nip": nip[naik],
            "nama": nama[naik],
            "jenjang": label_column(ak["jenjang"][naik], JENJANG_LABEL),
            "golongan": text_column(ak["golongan"][naik]),
            "ak_kumulatif": format_numbers(ak["ak_kumulatif"][naik]),
            "ambang": format_numbers(ak["ambang"][naik]),
            "langkah": langkah_column(langkah[naik], ak["jenjang"][naik], ak["golongan"][naik]),
        },
        kode[naik],
    )
    return PerKey(jumlah, lambda unit: {**dict(zip(KELAS_AK, jumlah[unit], strict=True)),
                                        "jumlah": sum(jumlah[unit]), "daftar": daftar.get(unit, [])})


def angka_kredit_kosong() -> dict[str, Any]:
    return {**dict.fromkeys(KELAS_AK, 0), "jumlah": 0, "daftar": []}
