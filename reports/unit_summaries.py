"""The unit summary ringkasan_<kode_unit>.html: curve, capaian spread, calibration moves, objections,
bias, training, functional officials' angka kredit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from contract.schema import PREDIKAT
from penilaian.kurva import KUNCI_PREDIKAT, PESERTA_KURVA_COLUMNS, URUTAN_PERINGKAT
from penilaian.numbers import clean
from reports.charts import bar_chart, grouped_bar_chart
from reports.common import (
    POLA_LABEL,
    Frames,
    GroupedRecords,
    PerKey,
    count_per_unit,
    format_numbers,
    frame_or_empty,
    group_records,
    label_column,
    lookup,
    map_codes,
    per_unit,
    report_year,
    sort_positions,
    template,
    text_column,
    unit_rows,
    year_text,
)
from reports.processes import write_unit_pages
from reports.unit_followup import angka_kredit_kosong, angka_kredit_unit, keberatan_kosong, keberatan_unit

BATAS_CAPAIAN = (70.0, 90.0, 110.0)
LABEL_CAPAIAN = ("< 70", "70 – < 90", "90 – < 110", "≥ 110")
POLA_DILAPORKAN = ("lunak", "keras", "terpusat")


def _counts(df: pd.DataFrame, kolom: str) -> np.ndarray:
    """A count column as ints; a missing column or a missing count is 0."""
    if kolom not in df:
        return np.zeros(len(df), dtype=int)
    return pd.to_numeric(df[kolom]).fillna(0).astype(int).to_numpy()


def _shares(tabel: np.ndarray, n: np.ndarray) -> list[list[str]]:
    """Each count as a share of its row's n, formatted; no share where n is 0."""
    bagian = np.divide(tabel * 100, n[:, None], out=np.full(tabel.shape, np.nan), where=n[:, None] != 0)
    return format_numbers(pd.Series(bagian.ravel())).to_numpy().reshape(tabel.shape).tolist()


def _kurva_unit(
    kurva: pd.DataFrame, ditetapkan: dict[str, list[int]] | None = None
) -> dict[str, dict[str, Any]]:
    """Per unit: predikat counts before/after calibration, shares, the grouped bar chart.

    ditetapkan (after the objection stage): per unit, the count of each predikat that stands
    (predikat_ditetapkan), shown as a third column and series. Counts and shares are formatted
    column-wise for all units at once; a unit listed twice keeps its last row.
    """
    if kurva.empty:
        return {}
    n = _counts(kurva, "n")
    jumlah, persen = {}, {}
    for tahap in ("sebelum", "sesudah"):
        tabel = np.column_stack([_counts(kurva, f"{tahap}_{KUNCI_PREDIKAT[p]}") for p in PREDIKAT])
        jumlah[tahap], persen[tahap] = tabel.tolist(), _shares(tabel, n)
    kode_kurva = text_column(kurva["kode_unit"]).tolist()
    if ditetapkan is not None:
        tabel = np.array([ditetapkan.get(k, [0] * len(PREDIKAT)) for k in kode_kurva], dtype=int)
        tabel = tabel.reshape(len(kode_kurva), len(PREDIKAT))
        n_tetap = tabel.sum(axis=1)
        jumlah["ditetapkan"], persen["ditetapkan"] = tabel.tolist(), _shares(tabel, n_tetap)
    n_unit = n.tolist()
    dikalibrasi = kurva["dikalibrasi"].astype(object).fillna(False).astype(bool).tolist()
    catatan = text_column(kurva["catatan"]).tolist()
    out: dict[str, dict[str, Any]] = {}
    for i, kode in enumerate(kode_kurva):
        sebelum, sesudah = jumlah["sebelum"][i], jumlah["sesudah"][i]
        seri = [("Sebelum kalibrasi", sebelum), ("Sesudah kalibrasi (kurva)", sesudah)]
        baris = [
            {
                "predikat": p,
                "sebelum": sebelum[j],
                "sesudah": sesudah[j],
                "sebelum_persen": persen["sebelum"][i][j],
                "sesudah_persen": persen["sesudah"][i][j],
            }
            for j, p in enumerate(PREDIKAT)
        ]
        if ditetapkan is not None:
            tetap = jumlah["ditetapkan"][i]
            seri.append(("Ditetapkan (keberatan)", tetap))
            for j, r in enumerate(baris):
                r["ditetapkan"], r["ditetapkan_persen"] = tetap[j], persen["ditetapkan"][i][j]
        out[kode] = {
            "n": n_unit[i],
            "n_ditetapkan": sum(jumlah["ditetapkan"][i]) if ditetapkan is not None else None,
            "dikalibrasi": dikalibrasi[i],
            "catatan": catatan[i],
            "baris": baris,
            "grafik": grouped_bar_chart(PREDIKAT, seri, judul="Jumlah pegawai per predikat"),
        }
    return out


def _sebaran_ditetapkan(akhir: pd.DataFrame) -> dict[str, list[int]]:
    """Per unit: how many scored employees stand at each predikat after the objections."""
    kelas = pd.Index(PREDIKAT).get_indexer(text_column(akhir["predikat_ditetapkan"]))
    return count_per_unit(text_column(akhir["kode_unit"]), kelas, len(PREDIKAT))


def _langkah_kurva(pindah_kurva: pd.DataFrame) -> GroupedRecords:
    """Per moved nip, each curve move: the rule and its count worked out, the rank among the holders."""
    batas = pd.to_numeric(pindah_kurva["batas"]).astype("Int64").astype("str")
    n = pd.to_numeric(pindah_kurva["n"]).astype("Int64").astype("str")
    return group_records(
        {
            "nip": text_column(pindah_kurva["nip"]),
            "aturan": text_column(pindah_kurva["aturan"]) + " (" + batas + " dari " + n + ")",
            "ketentuan": text_column(pindah_kurva["ketentuan"]),
            "hitungan": text_column(pindah_kurva["hitungan"]),
            "posisi": text_column(pindah_kurva["posisi"]),
            "capaian": format_numbers(pindah_kurva["capaian_hasil_kerja"]),
            "perilaku": format_numbers(pindah_kurva["nilai_perilaku"]),
        },
        "nip",
    )


def _sebaran_capaian(hasil: pd.DataFrame) -> dict[str, list[int]]:
    """Per unit: how many scored employees fall in each capaian band."""
    if hasil.empty:
        return {}
    nilai = clean(pd.to_numeric(hasil["capaian_hasil_kerja"]).astype("float64").to_numpy())
    pita = np.digitize(nilai, BATAS_CAPAIAN)
    return count_per_unit(text_column(hasil["kode_unit"]), pita, len(LABEL_CAPAIAN))


def _predikat_berlaku(daftar: pd.DataFrame, ditetapkan: pd.Series | None) -> pd.Series:
    """The predikat a reward or follow-up list shows: the one that stands after the objections.

    From the objection result by nip where given, else the list's own predikat_ditetapkan, else
    its predikat_final (a training result from before the objection stage existed).
    """
    kolom = "predikat_ditetapkan" if "predikat_ditetapkan" in daftar else "predikat_final"
    predikat = text_column(daftar[kolom])
    if ditetapkan is None:
        return predikat
    tetap = map_codes(text_column(daftar["nip"]), ditetapkan)
    return tetap.where(tetap != "", predikat)


def _pelatihan_unit(training: Any, ditetapkan: pd.Series | None = None) -> PerKey:
    """Per unit (built when asked for): reward candidates, follow-up plans, training-needs plan and the
    20 JP share.

    ditetapkan: predikat_ditetapkan by nip (the objection result's akhir), shown in the lists.
    """
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
    penghargaan = per_unit(
        {
            **{k: text_column(peng[k]) for k in ("nip", "nama")},
            "predikat": _predikat_berlaku(peng, ditetapkan),
        },
        peng["kode_unit"],
    )
    tindak_lanjut = per_unit(
        {
            **{k: text_column(tl[k]) for k in ("nip", "nama")},
            "predikat": _predikat_berlaku(tl, ditetapkan),
            "rencana": text_column(tl["rencana"]),
        },
        tl["kode_unit"],
    )
    rencana = per_unit(
        {
            **{k: text_column(ren[k]) for k in ("kode_pelatihan", "nama_pelatihan", "kompetensi")},
            "jumlah_pegawai": pd.to_numeric(ren["jumlah_pegawai"]).fillna(0).astype(int),
            "total_jp": format_numbers(ren["total_jp"]),
        },
        ren["kode_unit"],
    )
    jp_unit = per_unit(
        {
            "jumlah_pegawai": pd.to_numeric(jp["jumlah_pegawai"]).fillna(0).astype(int),
            "di_bawah_minimum": pd.to_numeric(jp["di_bawah_minimum"]).fillna(0).astype(int),
            "persen_di_bawah_minimum": format_numbers(jp["persen_di_bawah_minimum"]),
        },
        jp["kode_unit"],
    )
    units = sorted(set(penghargaan) | set(tindak_lanjut) | set(rencana) | set(jp_unit))

    def unit(kode: str) -> dict[str, Any]:
        baris = rencana.get(kode, [])
        return {
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

    return PerKey(units, unit)


def _pelatihan_kosong() -> dict[str, Any]:
    return {"penghargaan": [], "tindak_lanjut": [], "rencana": [], "grafik": "", "jp": None}


def _label_predikat(training: Any, keberatan: Any) -> str:
    """The heading of the reward and follow-up lists' predikat column."""
    daftar = (getattr(training, k, None) for k in ("penghargaan", "tindak_lanjut"))
    if keberatan is not None or any(d is not None and "predikat_ditetapkan" in d for d in daftar):
        return "Predikat ditetapkan"
    return "Predikat akhir"


def render_unit_summaries(
    *,
    year_end: Any,
    frames: Frames,
    out_dir: Path,
    training: Any = None,
    tahun: int | None = None,
    keberatan: Any = None,
    angka_kredit: Any = None,
) -> list[Path]:
    """Write ringkasan_<kode_unit>.html: curve, capaian spread, calibration moves, bias, training.

    keberatan: the objection stage's KeberatanResult (objection and training stages). Then every
    summary has a Keberatan section (the unit's decided objections, a flag where the standing
    distribution no longer meets the curve), the distribution shows the predikat that stand, and
    the reward and follow-up lists show predikat_ditetapkan.
    angka_kredit: the training stage's AngkaKreditResult. Then every summary has a section "Angka Kredit
    Jabatan Fungsional": how many of the unit's functional officials with angka kredit reach their next
    pangkat, their next jenjang (with uji kompetensi still to pass) or are at the top, and the list of
    those reaching a threshold.
    """
    units = unit_rows(frames)
    tahun = report_year(tahun, year_end, frames)
    hasil = year_end.hasil
    kode = text_column(hasil["kode_unit"])
    capaian = pd.to_numeric(hasil["capaian_hasil_kerja"]).astype("float64")
    perilaku = pd.to_numeric(hasil["nilai_perilaku"]).astype("float64")
    statistik = pd.DataFrame({"kode": kode.to_numpy(), "c": capaian.to_numpy(), "p": perilaku.to_numpy()})
    statistik = statistik.groupby("kode", sort=True).agg(n=("c", "size"), c=("c", "mean"), p=("p", "mean"))
    jumlah = statistik["n"].to_dict()
    rerata_c = dict(zip(statistik.index, format_numbers(statistik["c"]), strict=True))
    rerata_p = dict(zip(statistik.index, format_numbers(statistik["p"]), strict=True))

    akhir, ditetapkan = None, None
    if keberatan is not None:
        akhir = frame_or_empty(keberatan, "akhir", ("nip", "kode_unit", "predikat_ditetapkan"))
        ditetapkan = lookup(akhir, "nip", "predikat_ditetapkan")
    kurva = _kurva_unit(
        frame_or_empty(year_end, "kurva", ("kode_unit", "n", "dikalibrasi", "catatan")),
        _sebaran_ditetapkan(akhir) if akhir is not None else None,
    )
    per_keberatan = keberatan_unit(keberatan, hasil) if keberatan is not None else {}
    sebaran = _sebaran_capaian(hasil)

    pindah = (text_column(hasil["predikat"]) != text_column(hasil["predikat_final"])) | (
        text_column(hasil["alasan_kalibrasi"]) != ""
    )
    moved = hasil[pindah.to_numpy()]
    langkah = _langkah_kurva(frame_or_empty(year_end, "pindah_kurva", PESERTA_KURVA_COLUMNS))
    kolom = ("nip", "nama", "predikat", "predikat_final", "alasan_kalibrasi")
    dipindah = per_unit({k: text_column(moved[k]) for k in kolom}, moved["kode_unit"])
    kalibrasi = PerKey(dipindah, lambda k: [{**r, "langkah": langkah.get(r["nip"], [])} for r in dipindah[k]])

    pegawai = frame_or_empty(frames, "pegawai", ("nip", "nama", "kode_unit"))
    bias = frame_or_empty(
        year_end, "bias", ("nip_penilai", "jumlah_dinilai", "rata_rata", "selisih_z", "pola")
    )
    bias = bias[text_column(bias["pola"]).isin(POLA_DILAPORKAN).to_numpy()]
    bias = bias.iloc[sort_positions(text_column(bias["nip_penilai"]))]
    penilai = text_column(bias["nip_penilai"])
    bias_unit = per_unit(
        {
            "nip_penilai": penilai,
            "nama": map_codes(penilai, lookup(pegawai, "nip", "nama")),
            "jumlah_dinilai": pd.to_numeric(bias["jumlah_dinilai"]).fillna(0).astype(int),
            "rata_rata": format_numbers(bias["rata_rata"]),
            "selisih_z": format_numbers(bias["selisih_z"]),
            "pola": label_column(bias["pola"], POLA_LABEL),
        },
        map_codes(penilai, lookup(pegawai, "nip", "kode_unit")),
    )

    td = frame_or_empty(year_end, "tidak_dinilai", ("nip", "nama", "kode_unit", "kode_aturan", "alasan"))
    td = td.iloc[sort_positions(text_column(td["nip"]))]
    tidak_dinilai = per_unit(
        {k: text_column(td[k]) for k in ("nip", "nama", "kode_aturan", "alasan")}, td["kode_unit"]
    )
    pelatihan = _pelatihan_unit(training, ditetapkan) if training is not None else {}
    per_angka_kredit = angka_kredit_unit(angka_kredit, pegawai) if angka_kredit is not None else {}

    label_predikat = _label_predikat(training, keberatan)
    tpl = template("ringkasan.html.j2")
    label = str(year_end.ruleset_label)
    out_dir.mkdir(parents=True, exist_ok=True)
    def page(unit: dict) -> str:
        k = unit["kode_unit"]
        return tpl.render(
            unit=unit,
            tahun=year_text(tahun),
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
            urutan_peringkat=URUTAN_PERINGKAT,
            bias=bias_unit.get(k, []),
            tidak_dinilai=tidak_dinilai.get(k, []),
            pelatihan=(pelatihan.get(k) or _pelatihan_kosong()) if training is not None else None,
            label_predikat=label_predikat,
            keberatan=(per_keberatan.get(k) or keberatan_kosong()) if keberatan is not None else None,
            angka_kredit=(per_angka_kredit.get(k) or angka_kredit_kosong()) if angka_kredit is not None
            else None,
        )

    return write_unit_pages(units, out_dir, "ringkasan_", page)
