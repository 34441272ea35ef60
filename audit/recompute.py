"""Recomputing the stages' results from the archive: input frames rebuilt from the snapshot tables, each
stage's rules run on them again, and the stored results compared with the recomputed ones, column by
column (pure: no database here).

What each stage is recomputed from (`ARSIP`) is what the stages archive in the database:

- mid-year: the SKP (plan-collection's `indikator_skp`) and, of realisasi.csv, the row each
  indicator's monitoring used (`realisasi_pemantauan`, written by mid-year itself);
- year-end: units, employees and SKP (plan-collection), the realisasi rows the scores used, behaviour
  ratings and overrides (year-end itself);
- objection: the year-end inputs, recomputing the year-end result first, and the objections as filed
  (`keberatan`, written by the objection stage with each row's line in the file);
- training: the same, plus the training catalogue and history (`katalog_pelatihan`,
  `riwayat_pelatihan`) and the functional officials' rows of angka_kredit.csv (`angka_kredit`, with
  each row's line), written by training itself; the angka kredit is converted from the predikat that
  stands after the recomputed objection review.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from audit.findings import Temuan
from contract.checked_file import helper_dtypes
from contract.schema import FILES

# Snapshot tables the year-end result is recomputed from, with the input sheet each one archives.
SNAPSHOTS = {"unit_kerja": "unit_kerja", "pegawai": "pegawai", "indikator_skp": "skp",
             "realisasi": "realisasi", "perilaku": "perilaku", "rating_atasan": "rating_atasan"}


@dataclass(frozen=True)
class Hitungan:
    """One stage's recomputation: the archive it is recomputed from, the stored results it checks."""

    tahap: str
    arsip: Mapping[str, str]  # snapshot table -> the input sheet it archives
    hasil: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]]  # result table -> (key, compared columns)
    arsip_sendiri: tuple[str, ...] = ()  # archive tables the stage's own run writes
    # archive tables the stage's own run writes since a later version -> the result tables recomputed
    # from them (a run of an earlier version did not write them: those results are not recomputed)
    arsip_baru: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def tables(self) -> tuple[str, ...]:
        return tuple(self.hasil)


_HASIL_PENILAIAN = (
    "nama", "kode_unit", "kode_instansi", "capaian_hasil_kerja", "rating_hasil_kerja_hitung",
    "rating_hasil_kerja", "nilai_perilaku", "rating_perilaku_hitung", "rating_perilaku",
    "alasan_override", "predikat", "predikat_final", "alasan_kalibrasi", "ruleset_label")
_YEAR_END = {
    "hasil_penilaian": (("nip",), _HASIL_PENILAIAN),
    "capaian_indikator": (("id_indikator",), ("nip", "jenis", "target", "realisasi", "capaian", "level")),
    "bias_penilai": (("nip_penilai",), ("kode_instansi", "jumlah_dinilai", "rata_rata", "selisih_z", "pola")),
}
_KEBERATAN = {"keberatan": "keberatan"}
# angka_kredit_hasil.csv's columns after nip (FORMATS.md) as training stores them, unrounded, and the
# unit and competency-test flag stored beside them.
_ANGKA_KREDIT_HASIL = (
    "kode_unit", "jenjang", "golongan", "predikat_ditetapkan", "persentase", "koefisien", "bulan", "ak_tahun",
    "ak_awal", "ak_kumulatif", "langkah_berikutnya", "ambang", "memenuhi", "kekurangan", "uji_kompetensi")

# The stages recomputed, in cycle order.
HITUNGAN: tuple[Hitungan, ...] = (
    Hitungan(
        "mid-year",
        arsip={"indikator_skp": "skp", "realisasi_pemantauan": "realisasi", "pegawai": "pegawai"},
        hasil={"pemantauan": (("id_indikator",), (
            "nip", "target", "realisasi", "capaian_persen", "proyeksi_akhir_tahun", "status"))},
        arsip_sendiri=("realisasi_pemantauan",),
    ),
    Hitungan("year-end", arsip=SNAPSHOTS, hasil=_YEAR_END),
    Hitungan(
        "objection",
        arsip={**SNAPSHOTS, **_KEBERATAN},
        hasil={
            "keberatan_hasil": (("nip",), (
                "keputusan", "rating_hasil_kerja_lama", "rating_perilaku_lama", "predikat_lama",
                "rating_hasil_kerja_baru", "rating_perilaku_baru", "predikat_ditetapkan", "nip_pemutus",
                "tanggal_keputusan")),
            "predikat_ditetapkan": (("nip",), (
                "kode_unit", "predikat_final", "keberatan", "predikat_ditetapkan")),
        },
        arsip_sendiri=("keberatan",),
    ),
    Hitungan(
        "training",
        arsip={**SNAPSHOTS, **_KEBERATAN, "katalog_pelatihan": "katalog_pelatihan",
               "riwayat_pelatihan": "riwayat_pelatihan", "angka_kredit": "angka_kredit"},
        hasil={
            "rekomendasi_pelatihan": (("nip", "kode_pelatihan"), (
                "nama_pelatihan", "kompetensi", "alasan", "jp", "prioritas")),
            "tindak_lanjut": (("nip",), ("jenis", "predikat_final", "predikat_ditetapkan", "rencana")),
            "angka_kredit_hasil": (("nip",), _ANGKA_KREDIT_HASIL),
        },
        arsip_sendiri=("katalog_pelatihan", "riwayat_pelatihan"),
        arsip_baru={"angka_kredit": ("angka_kredit_hasil",)},
    ),
)
HITUNGAN_BY_TAHAP = {h.tahap: h for h in HITUNGAN}
# The year-end results (kept under their earlier name).
RECOMPUTED = {name: (key[0], columns) for name, (key, columns) in _YEAR_END.items()}


def rebuild_frames(
    snapshots: Mapping[str, pd.DataFrame], tahun: int, arsip: Mapping[str, str] = SNAPSHOTS
) -> dict[str, pd.DataFrame]:
    """Clean input frames, shaped as the reader hands them over, from the stored snapshot tables.

    A row's line in its file (`_baris`) is the stored `baris` where the archive keeps it (keberatan:
    which of two objections came later may depend on it), else its position in key order.
    """
    frames: dict[str, pd.DataFrame] = {}
    for table_name, sheet in arsip.items():
        spec = FILES[sheet]
        stored = snapshots.get(table_name, pd.DataFrame())
        if sheet in ("skp", "keberatan"):
            stored = stored.assign(tahun=tahun)
        data = pd.DataFrame(index=pd.RangeIndex(len(stored)))
        for column in spec.columns:
            values = stored[column].reset_index(drop=True) if column in stored else pd.Series(
                pd.NA, index=data.index, dtype="object")
            if column in spec.integers:
                data[column] = pd.to_numeric(values).astype("int64")
            elif column in spec.floats:
                data[column] = pd.to_numeric(values).astype("float64")
            else:
                data[column] = values.astype("str")
        if "baris" in stored:
            data["_baris"] = pd.to_numeric(stored["baris"].reset_index(drop=True)).astype("int64")
        else:
            data["_baris"] = np.arange(2, len(data) + 2, dtype="int64")
        if sheet == "realisasi":
            data["bulan"] = data["periode"].str.slice(5, 7).astype("int64")
        if sheet == "perilaku":
            data["semester"] = data["periode"].str.slice(6, 7).astype("int64")
        # typed as a clean frame is: narrow helper columns, FileSpec.kategori as categories
        kategori = {column: "category" for column in spec.kategori}
        frames[sheet] = data.astype(helper_dtypes(data, spec) | kategori)
    return frames


def recompute_stage(
    tahap: str, frames: dict[str, pd.DataFrame], rules, tahun: int, year_end: Callable[[], object]
) -> dict[str, pd.DataFrame]:
    """A stage's result tables as its write task stores them, recomputed by the stage's own rules.

    `year_end()` gives the year-end result the later stages build on (scored once by the caller from
    the archived year-end inputs and this ruleset).
    """
    if tahap == "mid-year":
        from penilaian.monitoring import monitor_mid_year

        return {"pemantauan": monitor_mid_year(frames, rules, tahun).pemantauan}
    result = year_end()
    if tahap == "year-end":
        return {"hasil_penilaian": result.hasil.assign(ruleset_label=result.ruleset_label),
                "capaian_indikator": result.indikator, "bias_penilai": result.bias}
    from penilaian.keberatan import review_objections, tabel_keberatan

    keberatan = review_objections(frames, result, rules, tahun)
    if tahap == "objection":
        return tabel_keberatan(keberatan)
    from penilaian.training import recommend_trainings, tabel_tindak_lanjut

    training = recommend_trainings(result, frames, rules, tahun, keberatan=keberatan)
    from penilaian.angka_kredit import convert_angka_kredit

    angka_kredit = convert_angka_kredit(frames, keberatan.akhir[["nip", "predikat_ditetapkan"]], rules, tahun)
    return {"rekomendasi_pelatihan": training.rekomendasi, "tindak_lanjut": tabel_tindak_lanjut(training),
            "angka_kredit_hasil": angka_kredit.hasil}


def _same(stored: pd.Series, recomputed: pd.Series) -> np.ndarray:
    """Element-wise equality: numbers within float noise, text with NULL and '' alike."""
    if pd.api.types.is_bool_dtype(stored) or pd.api.types.is_bool_dtype(recomputed):
        return stored.astype("object").where(stored.notna(), None).map(_flag).to_numpy() == \
            recomputed.astype("object").where(recomputed.notna(), None).map(_flag).to_numpy()
    left_num = pd.to_numeric(stored, errors="coerce")
    right_num = pd.to_numeric(recomputed, errors="coerce")
    numeric = (left_num.notna() | stored.isna()).all() and (right_num.notna() | recomputed.isna()).all()
    if numeric and (left_num.notna().any() or right_num.notna().any()):
        a, b = left_num.astype("float64").to_numpy(), right_num.astype("float64").to_numpy()
        both_na = np.isnan(a) & np.isnan(b)
        return both_na | np.isclose(a, b, rtol=1e-9, atol=1e-9)
    left = stored.astype("object").where(stored.notna(), "").astype("str").to_numpy()
    right = recomputed.astype("object").where(recomputed.notna(), "").astype("str").to_numpy()
    return left == right


def _flag(value: object) -> object:
    """A stored boolean as one value whatever the driver returned (True, 1, 't')."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip().lower() in ("t", "true", "1", "ya")
    return bool(value)


def _show(value: object) -> str:
    """A value as a finding quotes it: NULL, a float's repr, or quoted text."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "NULL"
    if isinstance(value, bool | np.bool_):
        return repr(bool(value))
    if isinstance(value, float | np.floating):
        return repr(float(value))
    return repr(str(value))


def compare_results(
    tabel: str, stored: pd.DataFrame, recomputed: pd.DataFrame, key: str | Sequence[str],
    columns: Iterable[str], limit: int = 20, stage_run_id: int | None = None,
) -> list[Temuan]:
    """Column-by-column differences between stored and recomputed rows, naming key and stage run.

    A row only the recomputation gives (deleted from the database) is named with `stage_run_id`, the
    run whose result it belongs to; the other rows with the run that wrote them.
    """
    keys = [key] if isinstance(key, str) else list(key)
    both = stored.merge(recomputed, on=keys, how="outer", suffixes=("", "__hitung"), indicator=True)
    both = both.sort_values(keys, kind="stable")
    temuan: list[Temuan] = []

    def _key(row: dict) -> str:
        return ", ".join(f"{k}={row[k]}" for k in keys)

    def _add(rows: pd.DataFrame, make) -> None:
        for row in rows.head(limit).to_dict("records"):
            temuan.append(make(row))
        if len(rows) > limit:
            temuan.append(Temuan("hitung_ulang", tabel, "…", stage_run_id,
                                 f"dan {len(rows) - limit} baris lainnya"))

    def _run(row: dict) -> int | None:
        value = row.get("stage_run_id")
        return None if value is None or pd.isna(value) else int(value)

    _add(both.loc[both["_merge"] == "right_only"], lambda r: Temuan(
        "hitung_ulang", tabel, _key(r), stage_run_id,
        "baris hasil hitung ulang tidak ada di basis data: baris dihapus"))
    _add(both.loc[both["_merge"] == "left_only"], lambda r: Temuan(
        "hitung_ulang", tabel, _key(r), _run(r),
        "baris tersimpan tidak dihasilkan oleh hitung ulang: baris disisipkan"))
    matched = both.loc[both["_merge"] == "both"].reset_index(drop=True)
    for column in columns:
        differs = matched.loc[~_same(matched[column], matched[f"{column}__hitung"])]
        _add(differs.rename(columns={column: "_tersimpan", f"{column}__hitung": "_hitung"}),
             lambda r, column=column: Temuan(
                 "hitung_ulang", tabel, _key(r), _run(r),
                 f"{column}: tersimpan {_show(r['_tersimpan'])}, hitung ulang {_show(r['_hitung'])}"))
    return temuan


def ruleset_name(label: str | None) -> str | None:
    """'permenpan-6-2022 v1.0.0' -> 'permenpan-6-2022' (the label is `<nama> v<versi>`)."""
    if not label:
        return None
    return label.rsplit(" v", 1)[0]
