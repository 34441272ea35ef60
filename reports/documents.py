"""The Dokumen Evaluasi Kinerja: one HTML page per scored employee, dokumen/<nip>.html."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from contract.schema import BERAKHLAK
from models.db import one_chunk
from penilaian.angka_kredit import ANGKA_KREDIT_COLUMNS, ANGKA_KREDIT_EXTRA_COLUMNS
from penilaian.keberatan import KEPUTUSAN_COLUMNS, KEPUTUSAN_EXTRA_COLUMNS
from reports.common import (
    JENIS_INDIKATOR_LABEL,
    JENIS_UMPAN_BALIK_LABEL,
    JENJANG_LABEL,
    KEPUTUSAN_LABEL,
    PANGKAT_LABEL,
    RATING_LABEL,
    UNIT_COLUMNS,
    Frames,
    GroupedRecords,
    check_safe_names,
    format_numbers,
    frame_or_empty,
    group_records,
    label_column,
    langkah_column,
    lookup,
    map_codes,
    records,
    report_year,
    sort_positions,
    template,
    text_column,
    year_text,
)
from reports.processes import render_shared, report_processes

DOCUMENT_BATCH = 20_000  # employees formatted at a time, so 1,000,000 employees fit in memory
DOCUMENT_BATCH_MIN = 500


def _apply_choice(hasil: pd.DataFrame, pilihan: str) -> pd.DataFrame:
    """Apply the --dokumen choice: semua | unit:KODE | nip:NIP | tidak."""
    mode, sep, nilai = pilihan.strip().partition(":")
    nilai = nilai.strip()
    if mode == "semua" and not sep:
        return hasil
    if mode == "tidak" and not sep:
        return hasil.iloc[0:0]
    if mode in {"unit", "nip"} and nilai:
        kolom = "kode_unit" if mode == "unit" else "nip"
        return hasil[(text_column(hasil[kolom]) == nilai).to_numpy()]
    raise ValueError(f"pilihan dokumen tidak dikenal: {pilihan!r} (semua | unit:KODE_UNIT | nip:NIP | tidak)")


@dataclass(frozen=True)
class _DetailRows:
    """Detail rows (indicators, notes) ordered by their employee's position in the selection."""

    frame: pd.DataFrame
    urut: np.ndarray  # row positions into frame, in document order
    posisi: np.ndarray  # employee position of each ordered row (non-decreasing)

    def rows_of(self, awal: int, akhir: int) -> pd.DataFrame:
        """The rows of employees awal..akhir-1, found by binary search, not by a scan."""
        i0, i1 = np.searchsorted(self.posisi, [awal, akhir])
        return self.frame.iloc[self.urut[i0:i1]]


def _detail_rows(frame: pd.DataFrame, posisi: np.ndarray, *kunci: pd.Series) -> _DetailRows:
    """Order a detail frame once by (employee position, *kunci); rows of other employees drop out."""
    pilih = np.flatnonzero(posisi >= 0)
    urut = pilih[sort_positions(posisi[pilih], *(np.asarray(k)[pilih] for k in kunci))]
    return _DetailRows(one_chunk(frame), urut, posisi[urut])  # rows taken a batch at a time


def _umpan_balik_rekan(
    hasil: pd.DataFrame, indeks: pd.Index, frames: Frames, tahun: int | None
) -> pd.DataFrame:
    """Per employee position: the mean of each BerAKHLAK value from raters other than the supervisor."""
    perilaku = frame_or_empty(frames, "perilaku", ("nip", "nip_penilai", "periode", *BERAKHLAK))
    posisi = indeks.get_indexer(text_column(perilaku["nip"]))
    if tahun is not None:
        posisi[~text_column(perilaku["periode"]).str.startswith(f"{tahun}-").to_numpy(dtype=bool)] = -1
    penilai = text_column(perilaku["nip_penilai"]).to_numpy()
    atasan = text_column(hasil["nip_atasan"]).to_numpy()
    rekan = posisi >= 0
    rekan[rekan] = penilai[rekan] != atasan[posisi[rekan]]
    semua = pd.RangeIndex(len(hasil))
    nilai = perilaku.loc[rekan, list(BERAKHLAK)].astype("float64").set_axis(posisi[rekan])
    out = nilai.groupby(level=0).mean().reindex(semua)
    out["rerata"] = out[list(BERAKHLAK)].mean(axis=1)
    jumlah = pd.Series(penilai[rekan], index=posisi[rekan], dtype=object)
    out["jumlah"] = jumlah.groupby(level=0).nunique().reindex(semua, fill_value=0).astype(int)
    return out


def _document_lookups(frames: Frames) -> dict[str, pd.Series]:
    """Name/jabatan by nip and unit names by kode_unit, built once for every document."""
    pegawai = frame_or_empty(frames, "pegawai", ("nip", "nama", "jabatan"))
    unit = frame_or_empty(frames, "unit_kerja", UNIT_COLUMNS)
    return {
        "nama": lookup(pegawai, "nip", "nama"),
        "jabatan": lookup(pegawai, "nip", "jabatan"),
        **{k: lookup(unit, "kode_unit", k) for k in ("nama_unit", "nama_instansi", "predikat_organisasi")},
    }


def _dokumen_hasil(
    hasil: pd.DataFrame, rekan: pd.DataFrame, peta: Mapping[str, pd.Series], jumlah_unit: pd.Series
) -> list[dict[str, Any]]:
    """One display-ready dict per scored employee (all formatting done column-wise)."""
    nip = text_column(hasil["nip"])
    atasan = text_column(hasil["nip_atasan"])
    kode_unit = text_column(hasil["kode_unit"])
    t = {
        "nip": nip,
        "nama": text_column(hasil["nama"]),
        "kode_unit": kode_unit,
        "nip_atasan": atasan,
        "jabatan": map_codes(nip, peta["jabatan"]),
        "nama_atasan": map_codes(atasan, peta["nama"]),
        "jabatan_atasan": map_codes(atasan, peta["jabatan"]),
        **{k: map_codes(kode_unit, peta[k]) for k in ("nama_unit", "nama_instansi", "predikat_organisasi")},
        "kepala_unit": hasil["kepala_unit"].astype(object).fillna(False).astype(bool),
        "capaian_hasil_kerja": format_numbers(hasil["capaian_hasil_kerja"]),
        "nilai_perilaku": format_numbers(hasil["nilai_perilaku"]),
        "rekan_rerata": format_numbers(rekan["rerata"]),
        "jumlah_penilai_rekan": rekan["jumlah"],
        "alasan_override": text_column(hasil["alasan_override"]),
        "peringkat": text_column(hasil["peringkat"].astype("Int64")),
        "jumlah_unit": kode_unit.map(jumlah_unit).fillna(0).astype(int),
        "predikat": text_column(hasil["predikat"]),
        "predikat_final": text_column(hasil["predikat_final"]),
        "alasan_kalibrasi": text_column(hasil["alasan_kalibrasi"]),
    }
    for kolom in ("rating_hasil_kerja", "rating_perilaku"):
        t[kolom] = label_column(hasil[kolom], RATING_LABEL)
        t[f"{kolom}_hitung"] = label_column(hasil[f"{kolom}_hitung"], RATING_LABEL)
    for k in BERAKHLAK:
        t[f"atasan_{k}"] = format_numbers(hasil[f"rerata_{k}"])
        t[f"rekan_{k}"] = format_numbers(rekan[k])
    return records(t)


def _dokumen_indikator(ind: pd.DataFrame) -> GroupedRecords:
    """The SKP rows per nip (already in document order), formatted column-wise."""
    t = {
        "nip": text_column(ind["nip"]),
        "indikator": text_column(ind["indikator"]),
        "rencana_hasil_kerja": text_column(ind["rencana_hasil_kerja"]),
        "jenis": label_column(ind["jenis"], JENIS_INDIKATOR_LABEL),
        "target": format_numbers(ind["target"]),
        "satuan": text_column(ind["satuan"]),
        "realisasi": format_numbers(ind["realisasi"]),
        "capaian": format_numbers(ind["capaian"]),
        "level": label_column(ind["level"], RATING_LABEL),
    }
    return group_records(t, "nip")


def _dokumen_umpan_balik(ub: pd.DataFrame, nama_pegawai: pd.Series) -> GroupedRecords:
    """Feedback notes per nip (already by date), with the giver's name, formatted column-wise."""
    dari = text_column(ub["dari_nip"])
    nama = map_codes(dari, nama_pegawai)
    t = {
        "nip": text_column(ub["nip"]),
        "tanggal": text_column(ub["tanggal"]),
        "jenis": label_column(ub["jenis"], JENIS_UMPAN_BALIK_LABEL),
        "dari": dari.where(nama == "", nama + " (" + dari + ")"),
        "catatan": text_column(ub["catatan"]),
    }
    return group_records(t, "nip")


def _dokumen_keberatan(keberatan: Any, frames: Frames) -> dict[str, dict[str, Any]]:
    """The Keberatan section of each objecting nip, formatted column-wise.

    The decider's name comes with the result; where it is missing it is looked up in pegawai. An
    empty nip_pemutus is the Pejabat Pembina Kepegawaian (outside the data).
    """
    kep = frame_or_empty(keberatan, "keputusan", (*KEPUTUSAN_COLUMNS, *KEPUTUSAN_EXTRA_COLUMNS))
    nip = text_column(kep["nip"])
    if nip.duplicated().any():
        raise ValueError("keputusan keberatan memuat NIP yang sama lebih dari sekali")
    keputusan = text_column(kep["keputusan"])
    pemutus = text_column(kep["nip_pemutus"])
    nama = text_column(kep["nama_pemutus"])
    pegawai = frame_or_empty(frames, "pegawai", ("nip", "nama"))
    nama_pegawai = lookup(pegawai, "nip", "nama", hanya=pemutus[nama == ""])
    t = {
        "nip": nip,
        "keputusan": label_column(keputusan, KEPUTUSAN_LABEL),
        "diterima": keputusan == "diterima",
        "nip_pemutus": pemutus,
        "nama_pemutus": nama.where(nama != "", map_codes(pemutus, nama_pegawai)),
        **{k: text_column(kep[k]) for k in (
            "tanggal_terima", "tanggal_pengajuan", "alasan", "tanggal_keputusan", "catatan_keputusan",
            "predikat_lama", "predikat_ditetapkan",
        )},
        **{f"{k}_{umur}": label_column(kep[f"{k}_{umur}"], RATING_LABEL)
           for k in ("rating_hasil_kerja", "rating_perilaku") for umur in ("lama", "baru")},
    }
    return {r["nip"]: r for r in records(t)}


def _dokumen_angka_kredit(angka_kredit: Any) -> dict[str, dict[str, Any]]:
    """The angka kredit section of each functional official in the result, formatted column-wise.

    At the top of a jenjang (langkah puncak) there is no threshold: ambang, memenuhi and kekurangan
    are not shown, whatever the result holds there.
    """
    ak = frame_or_empty(angka_kredit, "hasil", (*ANGKA_KREDIT_COLUMNS, *ANGKA_KREDIT_EXTRA_COLUMNS))
    nip = text_column(ak["nip"])
    if nip.duplicated().any():
        raise ValueError("hasil angka kredit memuat NIP yang sama lebih dari sekali")
    langkah = text_column(ak["langkah_berikutnya"])
    golongan = text_column(ak["golongan"])
    t = {
        "nip": nip,
        "jenjang": label_column(ak["jenjang"], JENJANG_LABEL),
        "golongan": golongan,
        "pangkat": map_codes(golongan, pd.Series(PANGKAT_LABEL, dtype=object)),
        "predikat": text_column(ak["predikat_ditetapkan"]),
        "bulan": text_column(pd.to_numeric(ak["bulan"]).astype("Int64")),
        **{k: format_numbers(ak[k]) for k in (
            "persentase", "koefisien", "ak_tahun", "ak_awal", "ak_kumulatif", "ambang", "kekurangan",
        )},
        "langkah": langkah_column(langkah, ak["jenjang"], golongan),
        "tujuan": langkah.map({"pangkat": "kenaikan pangkat", "jenjang": "kenaikan jenjang"}).fillna(""),
        "puncak": langkah == "puncak",
        "uji_kompetensi": ak["uji_kompetensi"].astype("boolean").fillna(False).astype(bool),
        "memenuhi": text_column(ak["memenuhi"]) == "ya",
    }
    return {r["nip"]: r for r in records(t)}


def render_documents(
    *,
    year_end: Any,
    frames: Frames,
    out_dir: Path,
    pilihan: str = "semua",
    tahun: int | None = None,
    keberatan: Any = None,
    angka_kredit: Any = None,
) -> int:
    """Write dokumen/<nip>.html, the Dokumen Evaluasi Kinerja, for the chosen employees.

    keberatan: the objection stage's KeberatanResult. Then only the chosen employees with a decided
    objection (in keberatan.keputusan) are (re-)written, each with its Keberatan section and the
    decider's signature; every other document would be the same as without it.
    angka_kredit: the training stage's AngkaKreditResult. Then only the chosen functional officials in
    angka_kredit.hasil are (re-)written, each with its section "Konversi Predikat Kinerja ke Angka
    Kredit" — with keberatan too, each also keeps its Keberatan section if it objected (the other
    objectors' documents, written by the objection stage, would not change).
    """
    hasil = _apply_choice(year_end.hasil, pilihan)
    if hasil.empty:  # none chosen (`--dokumen tidak`): nothing to look up either
        return 0
    per_keberatan: dict[str, dict[str, Any]] = {}
    per_angka_kredit: dict[str, dict[str, Any]] = {}
    if keberatan is not None:
        per_keberatan = _dokumen_keberatan(keberatan, frames)
    if angka_kredit is not None:
        per_angka_kredit = _dokumen_angka_kredit(angka_kredit)
    ditulis = per_angka_kredit if angka_kredit is not None else per_keberatan
    if keberatan is not None or angka_kredit is not None:
        hasil = hasil[text_column(hasil["nip"]).isin(ditulis).to_numpy()]
    if hasil.empty:
        return 0
    nip = text_column(hasil["nip"])
    check_safe_names(nip)
    urut = sort_positions(nip)
    hasil = hasil.iloc[urut]
    indeks = pd.Index(nip.to_numpy()[urut])
    if not indeks.is_unique:
        raise ValueError("hasil memuat NIP yang sama lebih dari sekali")
    tahun = report_year(tahun, year_end, frames)

    ind = year_end.indikator
    posisi_ind = indeks.get_indexer(text_column(ind["nip"]))
    indikator = _detail_rows(ind, posisi_ind, text_column(ind["jenis"]) != "utama")
    ub = frame_or_empty(frames, "umpan_balik", ("nip", "dari_nip", "tanggal", "jenis", "catatan"))
    posisi_ub = indeks.get_indexer(text_column(ub["nip"]))
    if tahun is not None:
        posisi_ub[~text_column(ub["tanggal"]).str.startswith(f"{tahun}-").to_numpy(dtype=bool)] = -1
    umpan_balik = _detail_rows(ub, posisi_ub, text_column(ub["tanggal"]), text_column(ub["dari_nip"]))
    rekan = _umpan_balik_rekan(hasil, indeks, frames, tahun)
    peta = _document_lookups(frames)
    jumlah_unit = text_column(year_end.hasil["kode_unit"]).value_counts()

    folder = out_dir / "dokumen"
    folder.mkdir(parents=True, exist_ok=True)
    render = template("dokumen.html.j2").render
    tetap = {"tahun": year_text(tahun), "ruleset_label": str(year_end.ruleset_label)}
    kosong: list[dict] = []
    # Batches small enough that every report process gets several (they take every P-th batch).
    ukuran = max(DOCUMENT_BATCH_MIN, min(DOCUMENT_BATCH, -(-len(hasil) // (4 * report_processes()))))

    def render_batches(batches: Sequence[int]) -> None:
        for batch in batches:
            awal = batch * ukuran
            akhir = min(awal + ukuran, len(hasil))
            orang = _dokumen_hasil(hasil.iloc[awal:akhir], rekan.iloc[awal:akhir], peta, jumlah_unit)
            per_indikator = _dokumen_indikator(indikator.rows_of(awal, akhir))
            per_umpan_balik = _dokumen_umpan_balik(umpan_balik.rows_of(awal, akhir), peta["nama"])
            for h in orang:
                nip_h = h["nip"]
                html = render(
                    h=h,
                    indikator=per_indikator.get(nip_h, kosong),
                    umpan_balik=per_umpan_balik.get(nip_h, kosong),
                    keberatan=per_keberatan.get(nip_h),
                    angka_kredit=per_angka_kredit.get(nip_h),
                    **tetap,
                )
                with open(os.path.join(folder, nip_h + ".html"), "w", encoding="utf-8", newline="\n") as f:
                    f.write(html)

    render_shared(-(-len(hasil) // ukuran), render_batches, minimum=2)
    return len(hasil)
