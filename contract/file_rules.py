"""The value rules of each input file (FORMATS.md), combined from the generic rules of CheckedFile.

Each function checks one file, given the parent files it refers to (None when the stage did not read
that parent: its cross-file rules are skipped).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from contract.checked_file import CheckedFile
from contract.hierarchy import kepala_unit
from contract.lookup import index_in, text_at, value_at
from contract.parsers import canonical_enum
from contract.schema import (
    ARAH,
    ASPEK,
    BERAKHLAK,
    GOLONGAN,
    JENIS_INDIKATOR,
    JENIS_JABATAN,
    JENIS_UMPAN_BALIK,
    JENJANG,
    KEPUTUSAN,
    PREDIKAT_ORGANISASI,
    RATING,
)

_PERIODE_MONTH = r"^[0-9]{4}-(0[1-9]|1[0-2])$"  # realisasi, survei: YYYY-MM
_PERIODE_SEMESTER = r"^[0-9]{4}-S[12]$"  # perilaku: YYYY-S1 / YYYY-S2


def on_cycle(nip: pd.Series, sup: np.ndarray) -> np.ndarray:
    """Rows whose employee lies on a cycle of the supervisor chain, by pointer doubling (no recursion).

    `sup` is each row's supervisor row (first occurrence of nip_atasan among the nips; -1 if none).
    """
    node = index_in(nip, nip)
    m = len(nip)
    first = node == np.arange(m)
    step = np.full(m + 1, m, dtype=np.int64)
    step[node[first]] = np.where(sup[first] >= 0, sup[first], m)
    jump = step
    for _ in range(int(np.ceil(np.log2(m + 1))) + 1):
        jump = jump[jump]
    cycle = np.zeros(m + 1, dtype=bool)
    cycle[jump] = True
    cycle[m] = False
    return first & cycle[np.where(node >= 0, node, m)]


def check_unit_kerja(f: CheckedFile, needs_predikat: bool) -> None:
    """`needs_predikat`: the stage requires every unit's predikat_organisasi (year-end scoring)."""
    f.required()
    f.safe_code("kode_unit")
    f.duplicates(["kode_unit"], "UNIT_GANDA")
    normal, bad = canonical_enum(*f.factorize("predikat_organisasi"), PREDIKAT_ORGANISASI, f.raw.index)
    if needs_predikat:
        bad = bad | normal.isna().to_numpy()
    f.flag(bad, "PREDIKAT_ORGANISASI", "predikat_organisasi")
    f.parsed["predikat_organisasi"] = normal


def check_pegawai(f: CheckedFile, unit: CheckedFile | None) -> None:
    f.required()
    f.nip("nip")
    atasan_ok = f.nip("nip_atasan")
    f.duplicates(["nip"], "NIP_GANDA")
    f.enum("jenis_jabatan", JENIS_JABATAN, "JENIS_JABATAN")
    nip, atasan = f.col("nip"), f.col("nip_atasan")
    sup = index_in(f.known("nip_atasan"), nip)
    f.atasan_pos = sup
    f.flag(atasan_ok & (sup < 0), "ATASAN_TIDAK_ADA", "nip_atasan")
    f.flag(on_cycle(nip, sup), "ATASAN_SIKLUS", "nip_atasan")
    if unit is not None:
        pos_unit = f.reference("kode_unit", f.filled("kode_unit"), unit, "kode_unit", "UNIT_TIDAK_ADA")
        instansi = text_at(unit.col("kode_instansi"), pos_unit).set_axis(f.raw.index)
        instansi_atasan = text_at(instansi, sup).set_axis(f.raw.index)
        lain = (instansi.notna() & instansi_atasan.notna() & (instansi != instansi_atasan)).to_numpy()
        f.flag(lain, "ATASAN_INSTANSI_LAIN", "nip_atasan")
    else:
        instansi = pd.Series("", index=f.raw.index, dtype="str")
    kosong = atasan.isna().to_numpy()
    group = instansi.fillna("\x00?").where(kosong)
    sendiri = (group.map(group.value_counts()) == 1).to_numpy()
    pimpinan = (f.col("jenis_jabatan") == "pimpinan_tinggi").fillna(False).to_numpy()
    f.flag(kosong & ~pimpinan & ~sendiri, "ATASAN_KOSONG", "nip_atasan")


def check_skp(f: CheckedFile, pegawai: CheckedFile | None) -> None:
    f.required()
    nip_ok = f.nip("nip")
    f.safe_code("id_indikator")
    f.duplicates(["id_indikator"], "ID_GANDA")
    f.number("tahun", "TAHUN", lambda x: x == f.tahun, integer=True)
    f.enum("aspek", ASPEK, "ASPEK")
    f.enum("arah", ARAH, "ARAH")
    f.enum("jenis", JENIS_INDIKATOR, "JENIS")
    f.number("target", "TARGET", lambda x: x > 0)
    f.kompetensi()
    induk_id = f.col("id_indikator_atasan")
    pos_induk = index_in(induk_id, f.col("id_indikator"))
    f.flag(induk_id.notna().to_numpy() & (pos_induk < 0), "INDIKATOR_TIDAK_ADA",
           "id_indikator_atasan")
    if pegawai is None:
        return
    pos = f.reference("nip", nip_ok, pegawai, "nip", "PEGAWAI_TIDAK_ADA")
    atasan = text_at(pegawai.col("nip_atasan"), pos)
    pemilik = text_at(f.known("nip"), pos_induk)
    salah = pemilik.notna().to_numpy() & (pos >= 0) & (pemilik != atasan).fillna(True).to_numpy()
    salah &= ~value_at(pegawai.lost("nip_atasan"), pos, False)  # not judged on NIPs that lost digits
    f.flag(salah, "KASKADE", "id_indikator_atasan")
    kepala = kepala_unit(pd.DataFrame({c: pegawai.col(c) for c in ("nip", "nip_atasan", "kode_unit")}))
    bawahan = ~value_at(kepala.to_numpy(), pos, True)
    utama = (f.col("jenis") == "utama").fillna(False).to_numpy()
    f.flag(bawahan & utama & induk_id.isna().to_numpy(), "KASKADE_WAJIB", "id_indikator_atasan")


def check_realisasi(f: CheckedFile, skp: CheckedFile | None) -> None:
    f.required()
    f.periode(_PERIODE_MONTH, "PERIODE", slice(5, 7), "bulan")
    f.number("realisasi", "REALISASI", lambda x: x >= 0)
    f.duplicates(["id_indikator", "periode"], "REALISASI_GANDA")
    if skp is not None:
        f.reference("id_indikator", f.filled("id_indikator"), skp, "id_indikator",
                    "INDIKATOR_TIDAK_ADA")


def _pegawai_references(
    f: CheckedFile, pegawai: CheckedFile | None, nip_ok: np.ndarray, other_column: str,
    other_ok: np.ndarray,
) -> None:
    """The rated/trained employee must be clean; the other person (rater) must merely exist."""
    if pegawai is None:
        return
    f.reference("nip", nip_ok, pegawai, "nip", "PEGAWAI_TIDAK_ADA")
    if other_column:
        f.reference(other_column, other_ok, pegawai, "nip", "PEGAWAI_TIDAK_ADA", follow_parent=False)


def check_perilaku(f: CheckedFile, pegawai: CheckedFile | None) -> None:
    f.required()
    nip_ok = f.nip("nip")
    penilai_ok = f.nip("nip_penilai")
    f.periode(_PERIODE_SEMESTER, "SEMESTER", slice(6, 7), "semester")
    for column in BERAKHLAK:
        f.number(column, "NILAI_PERILAKU", lambda x: (x >= 1) & (x <= 5), integer=True)
    f.duplicates(["nip", "nip_penilai", "periode"], "PERILAKU_GANDA")
    _pegawai_references(f, pegawai, nip_ok, "nip_penilai", penilai_ok)


def check_umpan_balik(f: CheckedFile, pegawai: CheckedFile | None) -> None:
    f.required()
    nip_ok = f.nip("nip")
    dari_ok = f.nip("dari_nip")
    f.date()
    f.enum("jenis", JENIS_UMPAN_BALIK, "JENIS_UMPAN_BALIK")
    _pegawai_references(f, pegawai, nip_ok, "dari_nip", dari_ok)


def check_survei(f: CheckedFile, unit: CheckedFile | None) -> None:
    f.required()
    f.periode(_PERIODE_MONTH, "PERIODE", slice(5, 7), "bulan")
    f.number("jumlah_responden", "RESPONDEN", lambda x: x >= 1, integer=True)
    f.number("nilai_ikm", "IKM", lambda x: (x >= 25) & (x <= 100))
    f.duplicates(["kode_unit", "periode", "layanan"], "SURVEI_GANDA")
    if unit is not None:
        f.reference("kode_unit", f.filled("kode_unit"), unit, "kode_unit", "UNIT_TIDAK_ADA")


def check_riwayat(f: CheckedFile, pegawai: CheckedFile | None) -> None:
    f.required()
    nip_ok = f.nip("nip")
    f.kompetensi()
    f.date()
    f.number("jp", "JP", lambda x: x > 0)
    _pegawai_references(f, pegawai, nip_ok, "", nip_ok)


def check_katalog(f: CheckedFile) -> None:
    f.required()
    f.safe_code("kode_pelatihan")
    f.duplicates(["kode_pelatihan"], "PELATIHAN_GANDA")
    f.kompetensi()
    f.number("jp", "JP", lambda x: x > 0)


def check_rating(f: CheckedFile, pegawai: CheckedFile | None) -> None:
    f.required()
    nip_ok = f.nip("nip")
    f.enum("rating_hasil_kerja", RATING, "RATING")
    f.enum("rating_perilaku", RATING, "RATING")
    f.duplicates(["nip"], "RATING_GANDA")
    _pegawai_references(f, pegawai, nip_ok, "", nip_ok)


def check_keberatan(f: CheckedFile, pegawai: CheckedFile | None) -> None:
    """The rules of one objection row; those needing other rows or the year's results (window,
    decider, once, scored) are the objection review's (penilaian/keberatan.py)."""
    f.required()
    nip_ok = f.nip("nip")
    f.nip("nip_pemutus")
    f.number("tahun", "TAHUN", lambda x: x == f.tahun, integer=True)
    terima = f.date("tanggal_terima")
    pengajuan = f.date("tanggal_pengajuan")
    keputusan = f.date("tanggal_keputusan")
    f.dates_in_order("tanggal_terima", "tanggal_pengajuan", terima, pengajuan, "PENGAJUAN_SEBELUM_TERIMA")
    f.dates_in_order("tanggal_pengajuan", "tanggal_keputusan", pengajuan, keputusan,
                     "KEPUTUSAN_SEBELUM_PENGAJUAN")
    f.enum("keputusan", KEPUTUSAN, "KEPUTUSAN")
    f.enum("rating_hasil_kerja_baru", RATING, "RATING")
    f.enum("rating_perilaku_baru", RATING, "RATING")
    diterima = (f.col("keputusan") == "diterima").fillna(False).to_numpy(dtype=bool)
    # as written: a misspelt rating is a RATING problem, not a missing one
    tanpa_rating = f.raw[["rating_hasil_kerja_baru", "rating_perilaku_baru"]].isna().all(axis=1).to_numpy()
    f.flag(diterima & tanpa_rating, "DITERIMA_TANPA_RATING", "keputusan")
    _pegawai_references(f, pegawai, nip_ok, "", nip_ok)


def check_angka_kredit(f: CheckedFile, pegawai: CheckedFile | None) -> None:
    """The rules of one functional official's row; the golongan range of the jenjang (ruleset) and the
    standing predikat are the credit conversion's (penilaian/angka_kredit.py)."""
    f.required()
    nip_ok = f.nip("nip")
    f.enum("jenjang", JENJANG, "JENJANG")
    f.enum("golongan", GOLONGAN, "GOLONGAN")
    f.number("ak_awal", "AK_AWAL", lambda x: x >= 0)
    f.number("bulan", "AK_BULAN", lambda x: (x >= 1) & (x <= 12), integer=True)
    f.later_duplicates("nip", "AK_GANDA")
    if pegawai is None:
        return
    pos = f.reference("nip", nip_ok, pegawai, "nip", "PEGAWAI_TIDAK_ADA")
    sah = (pos >= 0) & ~value_at(pegawai.broken, pos, True)  # a quarantined parent: INDUK_DIKARANTINA
    fungsional = (text_at(pegawai.col("jenis_jabatan"), pos) == "fungsional").fillna(False).to_numpy()
    f.flag(nip_ok & sah & ~fungsional, "BUKAN_FUNGSIONAL", "nip")
