"""Render every HTML output: gate reports, evaluation documents, unit summaries, mid-year monitoring."""

from __future__ import annotations

import csv
import os
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from contract.schema import BERAKHLAK, PREDIKAT
from penilaian.numbers import clean, format_2
from reports.charts import bar_chart, grouped_bar_chart, line_chart
from reports.common import (
    JENIS_INDIKATOR_LABEL,
    JENIS_UMPAN_BALIK_LABEL,
    POLA_LABEL,
    PREDIKAT_KEY,
    RATING_LABEL,
    STATUS_LABEL,
    angka_kolom,
    check_safe_names,
    frame_or_empty,
    group_records,
    label_kolom,
    records,
    resolve_tahun,
    safe_name,
    teks_kolom,
    template,
    write_text,
)

Frames = Mapping[str, pd.DataFrame]

UNIT_KOLOM = ("kode_unit", "nama_unit", "kode_instansi", "nama_instansi", "predikat_organisasi")
BATAS_CAPAIAN = (70.0, 90.0, 110.0)
LABEL_CAPAIAN = ("< 70", "70 – < 90", "90 – < 110", "≥ 110")
POLA_DILAPORKAN = ("lunak", "keras", "terpusat")
STATUS_URUT = ("sesuai_jalur", "berisiko", "tertinggal")
BATCH_DOKUMEN = 20_000  # employees formatted at a time, so 1,000,000 employees fit in memory


# ---------------------------------------------------------------- shared lookups


def _lookup(df: pd.DataFrame, key: str, value: str, hanya: pd.Series | None = None) -> pd.Series:
    """value by key as a Series for .map (first row wins if a key repeats).

    hanya: the keys that will be looked up, when they are few; a big frame (e.g. every SKP
    indicator) is then cut down to their rows before anything else is done with it.
    """
    if df.empty or key not in df or value not in df:
        return pd.Series(dtype=object)
    keys = teks_kolom(df[key]).reset_index(drop=True)  # index = row position
    if hanya is not None:
        keys = keys[keys.isin(hanya).to_numpy()]
    keys = keys[~keys.duplicated().to_numpy()]
    vals = teks_kolom(df[value].iloc[keys.index.to_numpy()])
    return pd.Series(vals.to_numpy(), index=keys.to_numpy())


def _peta(values: pd.Series, lookup: pd.Series) -> pd.Series:
    """Map codes through a lookup, '' where unknown."""
    return values.map(lookup).astype(object).where(lambda s: s.notna(), "")


def _units(frames: Frames) -> pd.DataFrame:
    """unit_kerja as text, one row per kode_unit, sorted, every kode checked as a file name."""
    unit = frame_or_empty(frames, "unit_kerja", UNIT_KOLOM)
    out = pd.DataFrame({k: teks_kolom(unit[k]) for k in UNIT_KOLOM})
    out = out.drop_duplicates("kode_unit").sort_values("kode_unit", kind="stable")
    check_safe_names(out["kode_unit"])
    return out.reset_index(drop=True)


def _urutan(*kunci: pd.Series | np.ndarray) -> np.ndarray:
    """Positions that sort rows by several keys, first key first, ties kept in input order."""
    if not len(kunci[0]):
        return np.arange(0)
    return np.lexsort([pd.factorize(np.asarray(k), sort=True)[0] for k in reversed(kunci)])


def _tahun_teks(tahun: int | None) -> str:
    return "" if tahun is None else str(tahun)


def _tulis_html(out_dir: Path, nama: str, html: str) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    return write_text(out_dir / nama, html)


# ---------------------------------------------------------------- gate report


def _sel(value: Any) -> str:
    """A raw cell of an example row: shown as it was, NA as empty."""
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, float) and value != value:
        return ""
    return str(value)


def _contoh(check: Any) -> dict[str, Any]:
    """The worst rows of one check as a header + rows table (keys in first-seen order)."""
    rows = list(getattr(check, "contoh", None) or [])
    kolom: list[str] = []
    for row in rows:
        for k in row:
            if k not in kolom:
                kolom.append(k)
    return {
        "kode": check.kode,
        "berkas": check.berkas,
        "deskripsi": check.deskripsi,
        "lulus": bool(check.lulus),
        "kolom": kolom,
        "baris": [[_sel(row.get(k)) for k in kolom] for row in rows],
    }


def _tabel_umum(df: pd.DataFrame) -> dict[str, Any]:
    """Any small frame as a formatted table: numbers Indonesian-style, text as text."""
    kolom, isi = [], []
    for col in df.columns:
        s = df[col]
        label = str(col).replace("_", " ").capitalize()
        if pd.api.types.is_bool_dtype(s):
            kolom.append((label, False))
            isi.append(s.map({True: "ya", False: "tidak"}).astype(object).fillna(""))
        elif pd.api.types.is_integer_dtype(s):
            kolom.append((label, True))
            isi.append(s.map(lambda v: "" if pd.isna(v) else f"{int(v):,}".replace(",", ".")))
        elif pd.api.types.is_float_dtype(s):
            kolom.append((label, True))
            isi.append(angka_kolom(s))
        else:
            kolom.append((label, False))
            isi.append(teks_kolom(s))
    baris = [list(r) for r in zip(*(c.tolist() for c in isi), strict=True)] if isi else []
    return {"kolom": kolom, "baris": baris}


def render_gate_report(result: Any, out_dir: Path) -> Path:
    """Write gerbang_<tahap>.html so a stopped stage always says which check failed and why."""
    tahap = safe_name(result.tahap)
    checks = list(result.checks)
    lulus = getattr(result, "lulus", None)
    if lulus is None:
        lulus = all(bool(c.lulus) for c in checks)
    jumlah_lulus = sum(1 for c in checks if c.lulus)
    ringkasan_unit = getattr(result, "ringkasan_unit", None)
    html = template("gerbang.html.j2").render(
        tahap=tahap,
        tahun=_tahun_teks(getattr(result, "tahun", None)),
        lulus=bool(lulus),
        checks=checks,
        jumlah_lulus=jumlah_lulus,
        jumlah_gagal=len(checks) - jumlah_lulus,
        contoh=[_contoh(c) for c in checks if not c.lulus or getattr(c, "contoh", None)],
        ringkasan=(
            _tabel_umum(ringkasan_unit) if ringkasan_unit is not None and len(ringkasan_unit) else None
        ),
    )
    return _tulis_html(out_dir, f"gerbang_{tahap}.html", html)


# ---------------------------------------------------------------- evaluation documents


def _pilih_hasil(hasil: pd.DataFrame, pilihan: str) -> pd.DataFrame:
    """Apply the --dokumen choice: semua | unit:KODE | nip:NIP | tidak."""
    mode, sep, nilai = pilihan.strip().partition(":")
    nilai = nilai.strip()
    if mode == "semua" and not sep:
        return hasil
    if mode == "tidak" and not sep:
        return hasil.iloc[0:0]
    if mode in {"unit", "nip"} and nilai:
        kolom = "kode_unit" if mode == "unit" else "nip"
        return hasil[(teks_kolom(hasil[kolom]) == nilai).to_numpy()]
    raise ValueError(f"pilihan dokumen tidak dikenal: {pilihan!r} (semua | unit:KODE_UNIT | nip:NIP | tidak)")


@dataclass(frozen=True)
class _Rincian:
    """Detail rows (indicators, notes) ordered by their employee's position in the selection."""

    frame: pd.DataFrame
    urut: np.ndarray  # row positions into frame, in document order
    posisi: np.ndarray  # employee position of each ordered row (non-decreasing)

    def bagian(self, awal: int, akhir: int) -> pd.DataFrame:
        """The rows of employees awal..akhir-1, found by binary search, not by a scan."""
        i0, i1 = np.searchsorted(self.posisi, [awal, akhir])
        return self.frame.iloc[self.urut[i0:i1]]


def _rincian(frame: pd.DataFrame, posisi: np.ndarray, *kunci: pd.Series) -> _Rincian:
    """Order a detail frame once by (employee position, *kunci); rows of other employees drop out."""
    pilih = np.flatnonzero(posisi >= 0)
    urut = pilih[_urutan(posisi[pilih], *(np.asarray(k)[pilih] for k in kunci))]
    return _Rincian(frame, urut, posisi[urut])


def _umpan_balik_rekan(
    hasil: pd.DataFrame, indeks: pd.Index, frames: Frames, tahun: int | None
) -> pd.DataFrame:
    """Per employee position: the mean of each BerAKHLAK value from raters other than the supervisor."""
    perilaku = frame_or_empty(frames, "perilaku", ("nip", "nip_penilai", "periode", *BERAKHLAK))
    posisi = indeks.get_indexer(teks_kolom(perilaku["nip"]))
    if tahun is not None:
        posisi[~teks_kolom(perilaku["periode"]).str.startswith(f"{tahun}-").to_numpy(dtype=bool)] = -1
    penilai = teks_kolom(perilaku["nip_penilai"]).to_numpy()
    atasan = teks_kolom(hasil["nip_atasan"]).to_numpy()
    rekan = posisi >= 0
    rekan[rekan] = penilai[rekan] != atasan[posisi[rekan]]
    semua = pd.RangeIndex(len(hasil))
    nilai = perilaku.loc[rekan, list(BERAKHLAK)].astype("float64").set_axis(posisi[rekan])
    out = nilai.groupby(level=0).mean().reindex(semua)
    out["rerata"] = out[list(BERAKHLAK)].mean(axis=1)
    jumlah = pd.Series(penilai[rekan], index=posisi[rekan], dtype=object)
    out["jumlah"] = jumlah.groupby(level=0).nunique().reindex(semua, fill_value=0).astype(int)
    return out


def _peta_dokumen(frames: Frames) -> dict[str, pd.Series]:
    """Name/jabatan by nip and unit names by kode_unit, built once for every document."""
    pegawai = frame_or_empty(frames, "pegawai", ("nip", "nama", "jabatan"))
    unit = frame_or_empty(frames, "unit_kerja", UNIT_KOLOM)
    return {
        "nama": _lookup(pegawai, "nip", "nama"),
        "jabatan": _lookup(pegawai, "nip", "jabatan"),
        **{k: _lookup(unit, "kode_unit", k) for k in ("nama_unit", "nama_instansi", "predikat_organisasi")},
    }


def _dokumen_hasil(
    hasil: pd.DataFrame, rekan: pd.DataFrame, peta: Mapping[str, pd.Series], jumlah_unit: pd.Series
) -> list[dict[str, Any]]:
    """One display-ready dict per scored employee (all formatting done column-wise)."""
    nip = teks_kolom(hasil["nip"])
    atasan = teks_kolom(hasil["nip_atasan"])
    kode_unit = teks_kolom(hasil["kode_unit"])
    t = {
        "nip": nip,
        "nama": teks_kolom(hasil["nama"]),
        "kode_unit": kode_unit,
        "nip_atasan": atasan,
        "jabatan": _peta(nip, peta["jabatan"]),
        "nama_atasan": _peta(atasan, peta["nama"]),
        "jabatan_atasan": _peta(atasan, peta["jabatan"]),
        **{k: _peta(kode_unit, peta[k]) for k in ("nama_unit", "nama_instansi", "predikat_organisasi")},
        "kepala_unit": hasil["kepala_unit"].astype(object).fillna(False).astype(bool),
        "capaian_hasil_kerja": angka_kolom(hasil["capaian_hasil_kerja"]),
        "nilai_perilaku": angka_kolom(hasil["nilai_perilaku"]),
        "rekan_rerata": angka_kolom(rekan["rerata"]),
        "jumlah_penilai_rekan": rekan["jumlah"],
        "alasan_override": teks_kolom(hasil["alasan_override"]),
        "peringkat": teks_kolom(hasil["peringkat"].astype("Int64")),
        "jumlah_unit": kode_unit.map(jumlah_unit).fillna(0).astype(int),
        "predikat": teks_kolom(hasil["predikat"]),
        "predikat_final": teks_kolom(hasil["predikat_final"]),
        "alasan_kalibrasi": teks_kolom(hasil["alasan_kalibrasi"]),
    }
    for kolom in ("rating_hasil_kerja", "rating_perilaku"):
        t[kolom] = label_kolom(hasil[kolom], RATING_LABEL)
        t[f"{kolom}_hitung"] = label_kolom(hasil[f"{kolom}_hitung"], RATING_LABEL)
    for k in BERAKHLAK:
        t[f"atasan_{k}"] = angka_kolom(hasil[f"rerata_{k}"])
        t[f"rekan_{k}"] = angka_kolom(rekan[k])
    return records(t)


def _dokumen_indikator(ind: pd.DataFrame) -> dict[str, list[dict]]:
    """The SKP rows per nip (already in document order), formatted column-wise."""
    t = {
        "nip": teks_kolom(ind["nip"]),
        "indikator": teks_kolom(ind["indikator"]),
        "rencana_hasil_kerja": teks_kolom(ind["rencana_hasil_kerja"]),
        "jenis": label_kolom(ind["jenis"], JENIS_INDIKATOR_LABEL),
        "target": angka_kolom(ind["target"]),
        "satuan": teks_kolom(ind["satuan"]),
        "realisasi": angka_kolom(ind["realisasi"]),
        "capaian": angka_kolom(ind["capaian"]),
        "level": label_kolom(ind["level"], RATING_LABEL),
    }
    return group_records(t, "nip")


def _dokumen_umpan_balik(ub: pd.DataFrame, nama_pegawai: pd.Series) -> dict[str, list[dict]]:
    """Feedback notes per nip (already by date), with the giver's name, formatted column-wise."""
    dari = teks_kolom(ub["dari_nip"])
    nama = _peta(dari, nama_pegawai)
    t = {
        "nip": teks_kolom(ub["nip"]),
        "tanggal": teks_kolom(ub["tanggal"]),
        "jenis": label_kolom(ub["jenis"], JENIS_UMPAN_BALIK_LABEL),
        "dari": dari.where(nama == "", nama + " (" + dari + ")"),
        "catatan": teks_kolom(ub["catatan"]),
    }
    return group_records(t, "nip")


def render_documents(
    *,
    year_end: Any,
    frames: Frames,
    out_dir: Path,
    pilihan: str = "semua",
    tahun: int | None = None,
) -> int:
    """Write dokumen/<nip>.html, the Dokumen Evaluasi Kinerja, for the chosen employees."""
    hasil = _pilih_hasil(year_end.hasil, pilihan)
    if hasil.empty:
        return 0
    nip = teks_kolom(hasil["nip"])
    check_safe_names(nip)
    urut = _urutan(nip)
    hasil = hasil.iloc[urut]
    indeks = pd.Index(nip.to_numpy()[urut])
    if not indeks.is_unique:
        raise ValueError("hasil memuat NIP yang sama lebih dari sekali")
    tahun = resolve_tahun(tahun, year_end, frames)

    ind = year_end.indikator
    indikator = _rincian(ind, indeks.get_indexer(teks_kolom(ind["nip"])), teks_kolom(ind["jenis"]) != "utama")
    ub = frame_or_empty(frames, "umpan_balik", ("nip", "dari_nip", "tanggal", "jenis", "catatan"))
    posisi_ub = indeks.get_indexer(teks_kolom(ub["nip"]))
    if tahun is not None:
        posisi_ub[~teks_kolom(ub["tanggal"]).str.startswith(f"{tahun}-").to_numpy(dtype=bool)] = -1
    umpan_balik = _rincian(ub, posisi_ub, teks_kolom(ub["tanggal"]), teks_kolom(ub["dari_nip"]))
    rekan = _umpan_balik_rekan(hasil, indeks, frames, tahun)
    peta = _peta_dokumen(frames)
    jumlah_unit = teks_kolom(year_end.hasil["kode_unit"]).value_counts()

    folder = out_dir / "dokumen"
    folder.mkdir(parents=True, exist_ok=True)
    render = template("dokumen.html.j2").render
    tetap = {"tahun": _tahun_teks(tahun), "ruleset_label": str(year_end.ruleset_label)}
    kosong: list[dict] = []
    for awal in range(0, len(hasil), BATCH_DOKUMEN):
        akhir = min(awal + BATCH_DOKUMEN, len(hasil))
        orang = _dokumen_hasil(hasil.iloc[awal:akhir], rekan.iloc[awal:akhir], peta, jumlah_unit)
        per_indikator = _dokumen_indikator(indikator.bagian(awal, akhir))
        per_umpan_balik = _dokumen_umpan_balik(umpan_balik.bagian(awal, akhir), peta["nama"])
        for h in orang:
            nip_h = h["nip"]
            html = render(
                h=h,
                indikator=per_indikator.get(nip_h, kosong),
                umpan_balik=per_umpan_balik.get(nip_h, kosong),
                **tetap,
            )
            with open(os.path.join(folder, nip_h + ".html"), "w", encoding="utf-8", newline="\n") as f:
                f.write(html)
    return len(hasil)


# ---------------------------------------------------------------- unit summaries


def _per_unit(df: pd.DataFrame, kolom: Mapping[str, pd.Series], kode_unit: pd.Series) -> dict:
    """Display columns grouped by kode_unit (rows keep their order inside a unit)."""
    return group_records({"_unit": teks_kolom(kode_unit), **kolom}, "_unit")


def _hitungan(df: pd.DataFrame, kolom: str) -> np.ndarray:
    """A count column as ints; a missing column or a missing count is 0."""
    if kolom not in df:
        return np.zeros(len(df), dtype=int)
    return pd.to_numeric(df[kolom]).fillna(0).astype(int).to_numpy()


def _kurva_unit(kurva: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Per unit: predikat counts before/after calibration, shares, the grouped bar chart.

    Counts and shares are formatted column-wise for all units at once; a unit listed twice keeps
    its last row.
    """
    if kurva.empty:
        return {}
    n = _hitungan(kurva, "n")
    jumlah, persen = {}, {}
    for tahap in ("sebelum", "sesudah"):
        tabel = np.column_stack([_hitungan(kurva, f"{tahap}_{PREDIKAT_KEY[p]}") for p in PREDIKAT])
        bagian = np.divide(tabel * 100, n[:, None], out=np.full(tabel.shape, np.nan), where=n[:, None] != 0)
        teks = angka_kolom(pd.Series(bagian.ravel())).to_numpy().reshape(tabel.shape)
        jumlah[tahap], persen[tahap] = tabel.tolist(), teks.tolist()
    n_unit = n.tolist()
    dikalibrasi = kurva["dikalibrasi"].astype(object).fillna(False).astype(bool).tolist()
    catatan = teks_kolom(kurva["catatan"]).tolist()
    out: dict[str, dict[str, Any]] = {}
    for i, kode in enumerate(teks_kolom(kurva["kode_unit"]).tolist()):
        sebelum, sesudah = jumlah["sebelum"][i], jumlah["sesudah"][i]
        out[kode] = {
            "n": n_unit[i],
            "dikalibrasi": dikalibrasi[i],
            "catatan": catatan[i],
            "baris": [
                {
                    "predikat": p,
                    "sebelum": sebelum[j],
                    "sesudah": sesudah[j],
                    "sebelum_persen": persen["sebelum"][i][j],
                    "sesudah_persen": persen["sesudah"][i][j],
                }
                for j, p in enumerate(PREDIKAT)
            ],
            "grafik": grouped_bar_chart(
                PREDIKAT,
                [("Sebelum kalibrasi", sebelum), ("Sesudah kalibrasi (kurva)", sesudah)],
                judul="Jumlah pegawai per predikat",
            ),
        }
    return out


def _hitung_per_unit(kode_unit: pd.Series, kelas: np.ndarray, jumlah_kelas: int) -> dict[str, list[int]]:
    """Per unit (a text column): how many rows fall in each class 0..jumlah_kelas-1 (class -1: none)."""
    kode, unik = pd.factorize(kode_unit.to_numpy())
    ada = kelas >= 0
    tabel = np.bincount(kode[ada] * jumlah_kelas + kelas[ada], minlength=len(unik) * jumlah_kelas)
    return dict(zip(unik.tolist(), tabel.reshape(len(unik), jumlah_kelas).tolist(), strict=True))


def _sebaran_capaian(hasil: pd.DataFrame) -> dict[str, list[int]]:
    """Per unit: how many scored employees fall in each capaian band."""
    if hasil.empty:
        return {}
    nilai = clean(pd.to_numeric(hasil["capaian_hasil_kerja"]).astype("float64").to_numpy())
    pita = np.digitize(nilai, BATAS_CAPAIAN)
    return _hitung_per_unit(teks_kolom(hasil["kode_unit"]), pita, len(LABEL_CAPAIAN))


def _pelatihan_unit(training: Any) -> dict[str, dict[str, Any]]:
    """Per unit: reward candidates, follow-up plans, training-needs plan and the 20 JP share."""
    peng = frame_or_empty(training, "penghargaan", ("nip", "nama", "kode_unit", "predikat_final"))
    tl = frame_or_empty(training, "tindak_lanjut", ("nip", "nama", "kode_unit", "predikat_final", "rencana"))
    ren = frame_or_empty(
        training,
        "rencana_unit",
        ("kode_unit", "kode_pelatihan", "nama_pelatihan", "kompetensi", "jumlah_pegawai", "total_jp"),
    )
    jp = frame_or_empty(
        training,
        "jp_unit",
        ("kode_unit", "jumlah_pegawai", "di_bawah_minimum", "persen_di_bawah_minimum"),
    )
    penghargaan = _per_unit(
        peng, {k: teks_kolom(peng[k]) for k in ("nip", "nama", "predikat_final")}, peng["kode_unit"]
    )
    tindak_lanjut = _per_unit(
        tl, {k: teks_kolom(tl[k]) for k in ("nip", "nama", "predikat_final", "rencana")}, tl["kode_unit"]
    )
    rencana = _per_unit(
        ren,
        {
            **{k: teks_kolom(ren[k]) for k in ("kode_pelatihan", "nama_pelatihan", "kompetensi")},
            "jumlah_pegawai": pd.to_numeric(ren["jumlah_pegawai"]).fillna(0).astype(int),
            "total_jp": angka_kolom(ren["total_jp"]),
        },
        ren["kode_unit"],
    )
    jp_unit = _per_unit(
        jp,
        {
            "jumlah_pegawai": pd.to_numeric(jp["jumlah_pegawai"]).fillna(0).astype(int),
            "di_bawah_minimum": pd.to_numeric(jp["di_bawah_minimum"]).fillna(0).astype(int),
            "persen_di_bawah_minimum": angka_kolom(jp["persen_di_bawah_minimum"]),
        },
        jp["kode_unit"],
    )
    units = sorted(set(penghargaan) | set(tindak_lanjut) | set(rencana) | set(jp_unit))
    out = {}
    for kode in units:
        baris = rencana.get(kode, [])
        out[kode] = {
            "penghargaan": penghargaan.get(kode, []),
            "tindak_lanjut": tindak_lanjut.get(kode, []),
            "rencana": baris,
            "grafik": bar_chart(
                [r["nama_pelatihan"] for r in baris],
                [r["jumlah_pegawai"] for r in baris],
                judul="Jumlah pegawai yang membutuhkan pelatihan",
            ),
            "jp": jp_unit.get(kode, [None])[0],
        }
    return out


def _pelatihan_kosong() -> dict[str, Any]:
    return {"penghargaan": [], "tindak_lanjut": [], "rencana": [], "grafik": "", "jp": None}


def render_unit_summaries(
    *,
    year_end: Any,
    frames: Frames,
    out_dir: Path,
    training: Any = None,
    tahun: int | None = None,
) -> list[Path]:
    """Write ringkasan_<kode_unit>.html: curve, capaian spread, calibration moves, bias, training."""
    units = _units(frames)
    tahun = resolve_tahun(tahun, year_end, frames)
    hasil = year_end.hasil
    kode = teks_kolom(hasil["kode_unit"])
    capaian = pd.to_numeric(hasil["capaian_hasil_kerja"]).astype("float64")
    perilaku = pd.to_numeric(hasil["nilai_perilaku"]).astype("float64")
    statistik = pd.DataFrame({"kode": kode.to_numpy(), "c": capaian.to_numpy(), "p": perilaku.to_numpy()})
    statistik = statistik.groupby("kode", sort=True).agg(n=("c", "size"), c=("c", "mean"), p=("p", "mean"))
    jumlah = statistik["n"].to_dict()
    rerata_c = dict(zip(statistik.index, angka_kolom(statistik["c"]), strict=True))
    rerata_p = dict(zip(statistik.index, angka_kolom(statistik["p"]), strict=True))

    kurva = _kurva_unit(frame_or_empty(year_end, "kurva", ("kode_unit", "n", "dikalibrasi", "catatan")))
    sebaran = _sebaran_capaian(hasil)

    pindah = (teks_kolom(hasil["predikat"]) != teks_kolom(hasil["predikat_final"])) | (
        teks_kolom(hasil["alasan_kalibrasi"]) != ""
    )
    moved = hasil[pindah.to_numpy()]
    kalibrasi = _per_unit(
        moved,
        {k: teks_kolom(moved[k]) for k in ("nip", "nama", "predikat", "predikat_final", "alasan_kalibrasi")},
        moved["kode_unit"],
    )

    pegawai = frame_or_empty(frames, "pegawai", ("nip", "nama", "kode_unit"))
    bias = frame_or_empty(
        year_end, "bias", ("nip_penilai", "jumlah_dinilai", "rata_rata", "selisih_z", "pola")
    )
    bias = bias[teks_kolom(bias["pola"]).isin(POLA_DILAPORKAN).to_numpy()]
    bias = bias.iloc[_urutan(teks_kolom(bias["nip_penilai"]))]
    penilai = teks_kolom(bias["nip_penilai"])
    bias_unit = _per_unit(
        bias,
        {
            "nip_penilai": penilai,
            "nama": _peta(penilai, _lookup(pegawai, "nip", "nama")),
            "jumlah_dinilai": pd.to_numeric(bias["jumlah_dinilai"]).fillna(0).astype(int),
            "rata_rata": angka_kolom(bias["rata_rata"]),
            "selisih_z": angka_kolom(bias["selisih_z"]),
            "pola": label_kolom(bias["pola"], POLA_LABEL),
        },
        _peta(penilai, _lookup(pegawai, "nip", "kode_unit")),
    )

    td = frame_or_empty(year_end, "tidak_dinilai", ("nip", "nama", "kode_unit", "kode_aturan", "alasan"))
    td = td.iloc[_urutan(teks_kolom(td["nip"]))]
    tidak_dinilai = _per_unit(
        td, {k: teks_kolom(td[k]) for k in ("nip", "nama", "kode_aturan", "alasan")}, td["kode_unit"]
    )
    pelatihan = _pelatihan_unit(training) if training is not None else {}

    tpl = template("ringkasan.html.j2")
    label = str(year_end.ruleset_label)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for unit in units.to_dict("records"):
        k = unit["kode_unit"]
        html = tpl.render(
            unit=unit,
            tahun=_tahun_teks(tahun),
            ruleset_label=label,
            jumlah_dinilai=int(jumlah.get(k, 0)),
            rerata_capaian=rerata_c.get(k, ""),
            rerata_perilaku=rerata_p.get(k, ""),
            kurva=kurva.get(k),
            grafik_capaian=bar_chart(
                LABEL_CAPAIAN,
                sebaran.get(k, [0] * len(LABEL_CAPAIAN)),
                judul="Jumlah pegawai per rentang capaian hasil kerja (%)",
                arah="vertikal",
            ),
            kalibrasi=kalibrasi.get(k, []),
            bias=bias_unit.get(k, []),
            tidak_dinilai=tidak_dinilai.get(k, []),
            pelatihan=(pelatihan.get(k) or _pelatihan_kosong()) if training is not None else None,
        )
        paths.append(write_text(out_dir / f"ringkasan_{safe_name(k)}.html", html))
    return paths


def write_training_plans(training: Any, out_dir: Path) -> list[Path]:
    """Write rencana_pelatihan_<kode_unit>.csv, the unit's training-needs plan for its budget."""
    ren = frame_or_empty(
        training,
        "rencana_unit",
        ("kode_unit", "kode_pelatihan", "nama_pelatihan", "kompetensi", "jumlah_pegawai", "total_jp"),
    )
    if ren.empty:
        return []
    kode = teks_kolom(ren["kode_unit"])
    check_safe_names(kode)
    kolom = {
        "kode_pelatihan": teks_kolom(ren["kode_pelatihan"]),
        "nama_pelatihan": teks_kolom(ren["nama_pelatihan"]),
        "kompetensi": teks_kolom(ren["kompetensi"]),
        "jumlah_pegawai": pd.to_numeric(ren["jumlah_pegawai"]).fillna(0).astype(int),
        "total_jp": format_2(pd.to_numeric(ren["total_jp"]).astype("float64")),
    }
    # Thousands of units: rows sorted by unit once and cut into slices, each written with the
    # csv module (not a groupby and a DataFrame.to_csv per unit).
    urut = _urutan(kode)
    kode_urut = kode.to_numpy()[urut]
    rows = list(zip(*(k.to_numpy()[urut].tolist() for k in kolom.values()), strict=True))
    awal = np.flatnonzero(np.r_[True, kode_urut[1:] != kode_urut[:-1]]).tolist()
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for mulai, selesai in zip(awal, [*awal[1:], len(rows)], strict=True):
        path = out_dir / f"rencana_pelatihan_{safe_name(kode_urut[mulai])}.csv"
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(list(kolom))
            writer.writerows(rows[mulai:selesai])
        paths.append(path)
    return paths


# ---------------------------------------------------------------- mid-year monitoring


def _per_atasan(staf: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """At-risk staff of one unit grouped under their supervisor (input sorted by nip_atasan)."""
    return [
        {"nip": nip, "nama": rows[0]["nama_atasan"], "staf": rows}
        for nip, grup in groupby(staf, key=lambda r: r["nip_atasan"])
        for rows in [list(grup)]
    ]


def render_mid_year_reports(
    *,
    mid_year: Any,
    frames: Frames,
    out_dir: Path,
    tahun: int | None = None,
) -> list[Path]:
    """Write pemantauan_<kode_unit>.html: indicator status, at-risk staff per supervisor, IKM trend."""
    units = _units(frames)
    tahun = resolve_tahun(tahun, mid_year, frames)
    pegawai = frame_or_empty(frames, "pegawai", ("nip", "nama", "kode_unit"))
    unit_pegawai = _lookup(pegawai, "nip", "kode_unit")
    nama_pegawai = _lookup(pegawai, "nip", "nama")

    pem = frame_or_empty(mid_year, "pemantauan", ("nip", "id_indikator", "status", "kode_unit", "indikator"))
    pem_unit = teks_kolom(pem["kode_unit"])
    tanpa_unit = (pem_unit == "").to_numpy()
    if tanpa_unit.any():  # only those rows need the employee's unit
        pem_unit[tanpa_unit] = _peta(teks_kolom(pem["nip"][tanpa_unit]), unit_pegawai).to_numpy()
    kelas = pd.Index(STATUS_URUT).get_indexer(teks_kolom(pem["status"]))
    status = _hitung_per_unit(pem_unit, kelas, len(STATUS_URUT))

    ber = frame_or_empty(
        mid_year,
        "berisiko",
        (
            "nip_atasan",
            "nip",
            "nama",
            "kode_unit",
            "jumlah_berisiko",
            "jumlah_tertinggal",
            "umpan_balik",
            "jumlah_umpan_balik",
            "ada_umpan_balik",
        ),
    )
    atasan = teks_kolom(ber["nip_atasan"])
    urut = _urutan(atasan, teks_kolom(ber["nip"]))
    ber, atasan = ber.iloc[urut], atasan.iloc[urut]
    berisiko = _per_unit(
        ber,
        {
            "nip_atasan": atasan,
            "nama_atasan": _peta(atasan, nama_pegawai),
            "nip": teks_kolom(ber["nip"]),
            "nama": teks_kolom(ber["nama"]),
            "jumlah_berisiko": pd.to_numeric(ber["jumlah_berisiko"]).fillna(0).astype(int),
            "jumlah_tertinggal": pd.to_numeric(ber["jumlah_tertinggal"]).fillna(0).astype(int),
            "umpan_balik": teks_kolom(ber["umpan_balik"]),
            "jumlah_umpan_balik": pd.to_numeric(ber["jumlah_umpan_balik"]).fillna(0).astype(int),
            "ada_umpan_balik": ber["ada_umpan_balik"].astype(object).fillna(False).astype(bool),
        },
        ber["kode_unit"],
    )

    ikm_df = frame_or_empty(mid_year, "ikm", ("kode_unit", "jumlah_responden", "ikm", "mutu"))
    ikm = _per_unit(
        ikm_df,
        {
            "ikm": angka_kolom(ikm_df["ikm"]),
            "mutu": teks_kolom(ikm_df["mutu"]),
            "jumlah_responden": pd.to_numeric(ikm_df["jumlah_responden"]).fillna(0).astype(int),
        },
        ikm_df["kode_unit"],
    )
    bulanan_df = frame_or_empty(mid_year, "ikm_bulanan", ("kode_unit", "periode", "ikm"))
    bulanan_df = bulanan_df.iloc[_urutan(teks_kolom(bulanan_df["periode"]))]
    bulanan = _per_unit(
        bulanan_df,
        {
            "periode": teks_kolom(bulanan_df["periode"]),
            "ikm": pd.to_numeric(bulanan_df["ikm"]).astype("float64"),
        },
        bulanan_df["kode_unit"],
    )

    tr = frame_or_empty(mid_year, "tanpa_realisasi", ("id_indikator", "nip"))
    tr_nip = teks_kolom(tr["nip"])
    tr_id = teks_kolom(tr["id_indikator"])
    urut = _urutan(tr_nip, tr_id)
    tr, tr_nip, tr_id = tr.iloc[urut], tr_nip.iloc[urut], tr_id.iloc[urut]
    skp = frame_or_empty(frames, "skp", ("id_indikator", "indikator"))
    nama_indikator = _lookup(skp if len(skp) else pem, "id_indikator", "indikator", hanya=tr_id)
    tanpa = _per_unit(
        tr,
        {
            "id_indikator": tr_id,
            "indikator": _peta(tr_id, nama_indikator),
            "nip": tr_nip,
            "nama": _peta(tr_nip, nama_pegawai),
        },
        _peta(tr_nip, unit_pegawai),
    )

    tpl = template("pemantauan.html.j2")
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for unit in units.to_dict("records"):
        k = unit["kode_unit"]
        jumlah = status.get(k, [0] * len(STATUS_URUT))
        tren = bulanan.get(k, [])
        ikm_unit = ikm.get(k)
        html = tpl.render(
            unit=unit,
            tahun=_tahun_teks(tahun),
            status=[(STATUS_LABEL[s], n) for s, n in zip(STATUS_URUT, jumlah, strict=True)],
            grafik_status=bar_chart(
                [STATUS_LABEL[s] for s in STATUS_URUT], jumlah, judul="Jumlah indikator per status"
            ),
            atasan=_per_atasan(berisiko.get(k, [])),
            ikm=ikm_unit[0] if ikm_unit else None,
            grafik_ikm=line_chart(
                [r["periode"] for r in tren],
                [r["ikm"] for r in tren],
                judul="IKM per bulan",
                y_max=100.0,
            ),
            tanpa_realisasi=tanpa.get(k, []),
        )
        paths.append(write_text(out_dir / f"pemantauan_{safe_name(k)}.html", html))
    return paths
