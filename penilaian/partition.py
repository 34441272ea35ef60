"""Split the clean input frames by instansi, and put per-instansi results back together.

Why this is exact: every rule of mid-year, year-end and training compares an employee only with
others of the same instansi (the curve per unit, rater bias per instansi, the rest per employee or
per unit), and units never span two instansi. So scoring each instansi alone and concatenating
gives the whole-table result row for row, once sorted the way the whole-table functions sort.
A supervisor outside the employee's instansi is necessarily outside the unit too, so "head of
unit" reads the same either way (supervisor absent vs. supervisor in another unit).

Rows whose instansi cannot be found (an employee of an unknown unit, an indicator of an unknown
employee...) form one more partition, ``TANPA_INSTANSI``, so nothing is lost.
Bit for bit: pandas (3.1) sums a group with ``np.add.reduceat`` when the group labels are sorted
and with Kahan summation otherwise, so a statistic over a whole instansi (alone, hence sorted, in
its partition; interleaved with other instansi in the whole table) can differ in the last bit.
The combiners therefore recompute the two cheap statistics over many rows, rater bias and IKM,
once over the combined tables, with the same functions the single-process run uses. Every other
aggregate is per employee over rows sorted by nip (the same path in both runs) or over one value.

No Prefect and no database here: the flows decide where each partition runs.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from contract.lookup import is_category, per_value
from contract.schema import input_frame
from penilaian.bias import bias_penilai
from penilaian.kesenjangan import peringkat_prioritas
from penilaian.monitoring import MidYearResult, indeks_kepuasan
from penilaian.ruleset import Ruleset
from penilaian.training import TrainingResult
from penilaian.year_end import YearEndResult

TANPA_INSTANSI = ""
# Sheet -> (column, what it refers to): how each row finds its instansi.
PARTITION_KEYS: dict[str, tuple[str, str]] = {
    "unit_kerja": ("kode_unit", "unit"),
    "pegawai": ("nip", "pegawai"),
    "skp": ("nip", "pegawai"),
    "realisasi": ("id_indikator", "indikator"),
    "perilaku": ("nip", "pegawai"),
    "umpan_balik": ("nip", "pegawai"),
    "survei_masyarakat": ("kode_unit", "unit"),
    "riwayat_pelatihan": ("nip", "pegawai"),
    "rating_atasan": ("nip", "pegawai"),
    "keberatan": ("nip", "pegawai"),
    "angka_kredit": ("nip", "pegawai"),  # travels with its instansi; converted after combining
}
WHOLE_SHEETS = ("katalog_pelatihan",)  # shared reference data: every partition gets all of it


def _first_by_key(table: pd.DataFrame, key: str, values: pd.Series) -> pd.Series:
    """key -> value, first occurrence wins (as the whole-table functions deduplicate)."""
    mapping = pd.Series(values.to_numpy(), index=table[key].to_numpy())
    return mapping[~mapping.index.duplicated(keep="first")]


def instansi_per_baris(frames: dict[str, pd.DataFrame]) -> dict[str, np.ndarray]:
    """Each partitioned frame's rows labelled with their kode_instansi (TANPA_INSTANSI if unknown)."""
    unit_kerja = frames["unit_kerja"]
    unit = _first_by_key(unit_kerja, "kode_unit", unit_kerja["kode_instansi"])
    pegawai = frames["pegawai"]
    nip = _first_by_key(pegawai, "nip", pegawai["kode_unit"].map(unit))
    skp = frames.get("skp")
    indikator = _first_by_key(skp, "id_indikator", skp["nip"].map(nip)) if skp is not None else pd.Series()
    peta = {"unit": unit, "pegawai": nip, "indikator": indikator}
    label = {}
    for nama, frame in frames.items():
        if nama in WHOLE_SHEETS:
            continue
        if nama not in PARTITION_KEYS:
            raise KeyError(f"{nama}: tidak diketahui cara membaginya per instansi / no partition rule")
        kolom, rujukan = PARTITION_KEYS[nama]
        label[nama] = per_value(frame[kolom], lambda kunci, p=peta[rujukan]: _instansi_of(kunci, p),
                                TANPA_INSTANSI)
    return label


def _instansi_of(kunci: pd.Series, peta: pd.Series) -> np.ndarray:
    """Each key's kode_instansi (TANPA_INSTANSI when the key is unknown)."""
    return kunci.map(peta).fillna(TANPA_INSTANSI).astype("str").to_numpy(dtype=object)


def split_by_instansi(frames: dict[str, pd.DataFrame]) -> dict[str, dict[str, pd.DataFrame]]:
    """kode_instansi -> that instansi's frames (same sheets, rows in file order), sorted by kode."""
    return dict(iter_by_instansi(frames))


def iter_by_instansi(frames: dict[str, pd.DataFrame]) -> Iterator[tuple[str, dict[str, pd.DataFrame]]]:
    """(kode_instansi, that instansi's frames), one instansi at a time in kode order: a caller that
    ships each part away before taking the next holds one partition beside the whole tables, not all."""
    label = instansi_per_baris(frames)
    kode = sorted(set().union(*(pd.unique(v) for v in label.values())))
    posisi: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # sheet -> (rows grouped by instansi, bounds)
    for nama in list(label):
        nomor = pd.Index(kode).get_indexer(label.pop(nama))
        urutan = np.argsort(nomor, kind="stable")
        posisi[nama] = urutan, np.searchsorted(nomor[urutan], np.arange(len(kode) + 1))
    for i, k in enumerate(kode):
        bagian = {}
        for nama, frame in frames.items():
            if nama in WHOLE_SHEETS:
                bagian[nama] = frame
                continue
            urutan, batas = posisi[nama]
            bagian[nama] = _own_categories(frame.iloc[urutan[batas[i]:batas[i + 1]]])
        yield k, bagian


def _own_categories(frame: pd.DataFrame) -> pd.DataFrame:
    """A partition whose category columns keep only the categories of its own rows: it travels to its
    worker without the whole nation's dictionary (4M indicator ids at 1M employees)."""
    kategori = [c for c in frame.columns if is_category(frame[c])]
    if not kategori:
        return frame
    return frame.assign(**{c: frame[c].cat.remove_unused_categories() for c in kategori})


def _concat_sorted(tables: list[pd.DataFrame], order: list[str]) -> pd.DataFrame:
    """Concatenate partition tables and sort them as the whole-table function does (stable).

    A category column (skp's aspek, satuan, ...) carries in each partition the categories of that
    partition's input rows (`_own_categories`), in the whole table those of every row: the union of
    every partition's (empty ones too), sorted as the reader sorts them, gives the whole table's."""
    kategori = {c for t in tables for c in t.columns if is_category(t[c])}
    if kategori:
        union = {c: pd.CategoricalDtype(pd.Index(sorted({v for t in tables if c in t and is_category(t[c])
                                                        for v in t[c].cat.categories}), dtype="str"))
                 for c in kategori}
        tables = [t.astype({c: union[c] for c in kategori if c in t}) for t in tables]
    filled = [t for t in tables if len(t)] or tables[:1]
    combined = pd.concat(filled, ignore_index=True)
    return combined.sort_values(order, kind="stable").reset_index(drop=True)


def combine_year_end(results: list[YearEndResult], ruleset: Ruleset) -> YearEndResult:
    """One YearEndResult from per-instansi ones, ordered exactly like score_year_end."""
    pertama = results[0]
    hasil = _concat_sorted([r.hasil for r in results], ["nip"])
    return YearEndResult(
        indikator=_concat_sorted([r.indikator for r in results], ["nip", "id_indikator"]),
        hasil=hasil,
        tidak_dinilai=_concat_sorted([r.tidak_dinilai for r in results], ["nip", "kode_aturan"]),
        bias=bias_penilai(hasil, ruleset.bias),
        kurva=_concat_sorted([r.kurva for r in results], ["kode_unit"]),
        ruleset_label=pertama.ruleset_label,
        ruleset_checksum=pertama.ruleset_checksum,
        pindah_kurva=_concat_sorted([r.pindah_kurva for r in results], ["kode_unit", "langkah", "urutan"]),
    )


def combine_mid_year(
    results: list[MidYearResult], frames: dict[str, pd.DataFrame], ruleset: Ruleset, tahun: int
) -> MidYearResult:
    """One MidYearResult from per-instansi ones, ordered exactly like monitor_mid_year."""
    pertama = results[0]
    ikm, ikm_bulanan = indeks_kepuasan(input_frame(frames, "survei_masyarakat"), tahun, ruleset)
    return MidYearResult(
        pemantauan=_concat_sorted([r.pemantauan for r in results], ["nip", "id_indikator"]),
        berisiko=_concat_sorted([r.berisiko for r in results], ["nip_atasan", "nip"]),
        ikm=ikm,
        ikm_bulanan=ikm_bulanan,
        tanpa_realisasi=_concat_sorted([r.tanpa_realisasi for r in results], ["nip", "id_indikator"]),
        ruleset_label=pertama.ruleset_label,
        ruleset_checksum=pertama.ruleset_checksum,
    )


def combine_training(results: list[TrainingResult]) -> TrainingResult:
    """One TrainingResult from per-instansi ones, ordered exactly like recommend_trainings."""
    pertama = results[0]
    rekomendasi = [r.rekomendasi.assign(_prioritas=peringkat_prioritas(r.rekomendasi["prioritas"]))
                   for r in results]
    return TrainingResult(
        rekomendasi=_concat_sorted(rekomendasi, ["nip", "_prioritas", "kode_pelatihan"]).drop(
            columns="_prioritas"),
        penghargaan=_concat_sorted([r.penghargaan for r in results], ["nip"]),
        tindak_lanjut=_concat_sorted([r.tindak_lanjut for r in results], ["nip"]),
        rencana_unit=_concat_sorted([r.rencana_unit for r in results],
                             ["kode_unit", "kode_pelatihan", "nama_pelatihan", "kompetensi"]),
        jp_unit=_concat_sorted([r.jp_unit for r in results], ["kode_unit"]),
        jp_pegawai=_concat_sorted([r.jp_pegawai for r in results], ["nip"]),
        tanpa_pelatihan=_concat_sorted([r.tanpa_pelatihan for r in results], ["nip", "kompetensi"]),
        ruleset_label=pertama.ruleset_label,
        ruleset_checksum=pertama.ruleset_checksum,
    )
