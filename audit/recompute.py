"""Recomputing the year-end result from the archive: input frames rebuilt from the snapshot tables,
and the stored results compared with the recomputed ones, column by column (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from audit.findings import Temuan
from contract.schema import FILES

# Snapshot tables the year-end result is recomputed from, with the input sheet each one archives.
SNAPSHOTS = {"unit_kerja": "unit_kerja", "pegawai": "pegawai", "indikator_skp": "skp",
             "realisasi": "realisasi", "perilaku": "perilaku", "rating_atasan": "rating_atasan"}
# Stored year-end results compared with the recomputation: table -> (key, compared columns).
RECOMPUTED = {
    "hasil_penilaian": ("nip", (
        "nama", "kode_unit", "kode_instansi", "capaian_hasil_kerja", "rating_hasil_kerja_hitung",
        "rating_hasil_kerja", "nilai_perilaku", "rating_perilaku_hitung", "rating_perilaku",
        "alasan_override", "predikat", "predikat_final", "alasan_kalibrasi", "ruleset_label")),
    "capaian_indikator": ("id_indikator", ("nip", "jenis", "target", "realisasi", "capaian", "level")),
    "bias_penilai": ("nip_penilai", ("kode_instansi", "jumlah_dinilai", "rata_rata", "selisih_z", "pola")),
}


def rebuild_frames(snapshots: Mapping[str, pd.DataFrame], tahun: int) -> dict[str, pd.DataFrame]:
    """Clean input frames, shaped as the reader hands them over, from the stored snapshot tables."""
    frames: dict[str, pd.DataFrame] = {}
    for table_name, sheet in SNAPSHOTS.items():
        spec = FILES[sheet]
        stored = snapshots.get(table_name, pd.DataFrame())
        if sheet == "skp":
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
        data["_baris"] = np.arange(2, len(data) + 2, dtype="int64")
        if sheet == "realisasi":
            data["bulan"] = data["periode"].str.slice(5, 7).astype("int64")
        if sheet == "perilaku":
            data["semester"] = data["periode"].str.slice(6, 7).astype("int64")
        frames[sheet] = data
    return frames


def _same(stored: pd.Series, recomputed: pd.Series) -> np.ndarray:
    """Element-wise equality: numbers within float noise, text with NULL and '' alike."""
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


def _show(value: object) -> str:
    """A value as a finding quotes it: NULL, a float's repr, or quoted text."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "NULL"
    if isinstance(value, float | np.floating):
        return repr(float(value))
    return repr(str(value))


def compare_results(
    tabel: str, stored: pd.DataFrame, recomputed: pd.DataFrame, key: str, columns: Iterable[str],
    limit: int = 20,
) -> list[Temuan]:
    """Column-by-column differences between stored and recomputed rows, naming key and stage run."""
    both = stored.merge(recomputed, on=key, how="outer", suffixes=("", "__hitung"), indicator=True)
    both = both.sort_values(key, kind="stable")
    temuan: list[Temuan] = []

    def _add(rows: pd.DataFrame, make) -> None:
        for row in rows.head(limit).to_dict("records"):
            temuan.append(make(row))
        if len(rows) > limit:
            temuan.append(Temuan("hitung_ulang", tabel, "…", None, f"dan {len(rows) - limit} baris lainnya"))

    def _run(row: dict) -> int | None:
        value = row.get("stage_run_id")
        return None if value is None or pd.isna(value) else int(value)

    _add(both.loc[both["_merge"] == "right_only"], lambda r: Temuan(
        "hitung_ulang", tabel, f"{key}={r[key]}", None,
        "baris hasil hitung ulang tidak ada di basis data: baris dihapus"))
    _add(both.loc[both["_merge"] == "left_only"], lambda r: Temuan(
        "hitung_ulang", tabel, f"{key}={r[key]}", _run(r),
        "baris tersimpan tidak dihasilkan oleh hitung ulang: baris disisipkan"))
    matched = both.loc[both["_merge"] == "both"].reset_index(drop=True)
    for column in columns:
        differs = matched.loc[~_same(matched[column], matched[f"{column}__hitung"])]
        _add(differs.rename(columns={column: "_tersimpan", f"{column}__hitung": "_hitung"}),
             lambda r, column=column: Temuan(
                 "hitung_ulang", tabel, f"{key}={r[key]}", _run(r),
                 f"{column}: tersimpan {_show(r['_tersimpan'])}, hitung ulang {_show(r['_hitung'])}"))
    return temuan


def ruleset_name(label: str | None) -> str | None:
    """'permenpan-6-2022 v1.0.0' -> 'permenpan-6-2022' (the label is `<nama> v<versi>`)."""
    if not label:
        return None
    return label.rsplit(" v", 1)[0]
