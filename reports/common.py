"""Shared pieces of every report: safe file names, Indonesian number formats, labels, lookups and
per-unit grouping of result frames, the Jinja env."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template

from contract.schema import BERAKHLAK, GOLONGAN, JENJANG, PREDIKAT
from penilaian.numbers import round_half_up
from reports import retired

TEMPLATES = Path(__file__).parent / "templates"
_SAFE = re.compile(r"[A-Za-z0-9._-]+")
_ID_SWAP = str.maketrans({",": ".", ".": ","})

NILAI_LABEL: dict[str, str] = {
    "berorientasi_pelayanan": "Berorientasi Pelayanan",
    "akuntabel": "Akuntabel",
    "kompeten": "Kompeten",
    "harmonis": "Harmonis",
    "loyal": "Loyal",
    "adaptif": "Adaptif",
    "kolaboratif": "Kolaboratif",
}
RATING_LABEL = {
    "di_atas": "Di Atas Ekspektasi",
    "sesuai": "Sesuai Ekspektasi",
    "di_bawah": "Di Bawah Ekspektasi",
}
JENIS_INDIKATOR_LABEL = {"utama": "Utama", "tambahan": "Tambahan"}
JENIS_UMPAN_BALIK_LABEL = {
    "coaching": "Coaching",
    "counseling": "Konseling",
    "mentoring": "Mentoring",
    "apresiasi": "Apresiasi",
}
KEPUTUSAN_LABEL = {"diterima": "Diterima", "ditolak": "Ditolak"}  # an objection's decision
# A functional official's jenjang, each ladder bottom to top (DOMAIN.md "Angka kredit").
JENJANG_LABEL = {
    "pemula": "Pemula",
    "terampil": "Terampil",
    "mahir": "Mahir",
    "penyelia": "Penyelia",
    "ahli_pertama": "Ahli Pertama",
    "ahli_muda": "Ahli Muda",
    "ahli_madya": "Ahli Madya",
    "ahli_utama": "Ahli Utama",
}
# The pangkat of each golongan ruang, lowest first (the PNS pangkat ladder of PP 99/2000).
PANGKAT_LABEL = {
    "II/a": "Pengatur Muda",
    "II/b": "Pengatur Muda Tingkat I",
    "II/c": "Pengatur",
    "II/d": "Pengatur Tingkat I",
    "III/a": "Penata Muda",
    "III/b": "Penata Muda Tingkat I",
    "III/c": "Penata",
    "III/d": "Penata Tingkat I",
    "IV/a": "Pembina",
    "IV/b": "Pembina Tingkat I",
    "IV/c": "Pembina Utama Muda",
    "IV/d": "Pembina Utama Madya",
    "IV/e": "Pembina Utama",
}
STATUS_LABEL = {"sesuai_jalur": "Sesuai jalur", "berisiko": "Berisiko", "tertinggal": "Tertinggal"}
POLA_LABEL = {
    "lunak": "Lunak (cenderung terlalu murah hati)",
    "keras": "Keras (cenderung terlalu ketat)",
    "terpusat": "Terpusat (nilai menumpuk di tengah)",
    "wajar": "Wajar",
}

Frames = Mapping[str, pd.DataFrame]  # input frames by sheet

# unit_kerja columns every unit page shows.
UNIT_COLUMNS = ("kode_unit", "nama_unit", "kode_instansi", "nama_instansi", "predikat_organisasi")


def safe_name(value: object) -> str:
    """Refuse any kode_unit / nip / tahap that could make a file name leave out_dir."""
    text = "" if value is None else str(value)
    if text in {".", ".."} or not _SAFE.fullmatch(text):
        raise ValueError(f"nama berkas tidak aman: {text!r} (hanya A-Z a-z 0-9 . _ - diizinkan)")
    return text


def check_safe_names(values: pd.Series) -> None:
    """Vectorised safe_name over a whole column, so one bad nip stops the batch before any write."""
    text = pd.Series(text_column(values).unique(), dtype=object)  # each distinct name once
    ok = text.str.fullmatch(_SAFE.pattern).astype(bool) & ~text.isin([".", ".."])
    if not ok.all():
        safe_name(text[~ok].iloc[0])


def _rounded_text(value: float) -> str:
    """Format an already half-up rounded float Indonesian-style: 1.234,50."""
    if value != value:  # NaN
        return ""
    return f"{value:,.2f}".translate(_ID_SWAP)


def format_number(value: Any) -> str:
    """One number as Indonesian text with 2 decimals (half-up); empty for NA."""
    if value is None or value is pd.NA or isinstance(value, str):
        return "" if value is None or value is pd.NA else value
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        return str(value)
    return _rounded_text(round_half_up(float(value)))


def format_numbers(values: pd.Series) -> pd.Series:
    """A whole column as Indonesian number text: round once, format each distinct value once."""
    rounded = round_half_up(pd.to_numeric(values, errors="coerce").astype("float64")).to_numpy()
    unik, posisi = np.unique(rounded, return_inverse=True)
    teks = np.array([_rounded_text(v) for v in unik.tolist()], dtype=object)
    return pd.Series(teks[posisi.reshape(-1)], index=values.index, dtype=object)


def format_count(value: Any) -> str:
    """A count as Indonesian text with '.' thousands separator; empty for NA."""
    if type(value) is int:  # the common case in every template, ahead of the slower NA checks
        return f"{value:,}".replace(",", ".")
    if value is None or value is pd.NA:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        return str(value)
    return f"{int(value):,}".replace(",", ".")


def text_column(values: pd.Series) -> pd.Series:
    """A text column as plain Python str (object dtype), NA as '' so templates never print 'nan'."""
    if pd.api.types.is_string_dtype(values.dtype) and values.dtype != object:
        arr = values.to_numpy(dtype=object, na_value="")
    else:
        arr = np.array(
            ["" if v is None or v is pd.NA or v != v else str(v) for v in values.tolist()],
            dtype=object,
        )
    return pd.Series(arr, index=values.index, dtype=object)


def label_column(values: pd.Series, labels: Mapping[str, str]) -> pd.Series:
    """Readable Indonesian labels for code values; unknown codes are shown as they are."""
    text = text_column(values)
    return text.map(lambda v: labels.get(v, v)).astype(object)


class GroupedRecords(Mapping[Any, list[dict[str, Any]]]):
    """Rows grouped by a key: {key: list of row dicts}, rows in their order within a key. A group's dicts
    are built when it is asked for (and again at each ask), from columns kept sorted by key: a report that
    renders one unit or employee at a time holds the columns, not a dict per row of every group (the
    1,000,000-employee unit summaries held 1.6 GiB of them before their first page was rendered)."""

    def __init__(self, names: list[str], arrays: list[np.ndarray],
                 bounds: dict[Any, tuple[int, int]]) -> None:
        self._names, self._arrays, self._bounds = names, arrays, bounds

    def __getitem__(self, key: Any) -> list[dict[str, Any]]:
        start, end = self._bounds[key]
        rows = zip(*(a[start:end].tolist() for a in self._arrays), strict=True)
        return [dict(zip(self._names, row, strict=True)) for row in rows]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._bounds)

    def __len__(self) -> int:
        return len(self._bounds)


class PerKey(Mapping[Any, Any]):
    """{key: build(key)} for the given keys, each value built when it is asked for (and again at each
    ask): a section a report fills per unit, not held for every unit at once."""

    def __init__(self, keys: Iterable[Any], build: Callable[[Any], Any]) -> None:
        self._keys, self._build = dict.fromkeys(keys), build

    def __getitem__(self, key: Any) -> Any:
        if key not in self._keys:
            raise KeyError(key)
        return self._build(key)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


def group_records(kolom: Mapping[str, pd.Series | np.ndarray], key: str) -> GroupedRecords:
    """Split columns into {key: list of row dicts} (built per key when asked for); rows keep their order
    per key."""
    nama = list(kolom)
    arrays = [np.asarray(kolom[k].to_numpy() if isinstance(kolom[k], pd.Series) else kolom[k]) for k in nama]
    if not len(arrays) or not len(arrays[0]):
        return GroupedRecords(nama, [], {})
    # Integer codes sort far faster than text; the mapping is looked up by key, so its order is free.
    kode, unik = pd.factorize(arrays[nama.index(key)].astype(object), use_na_sentinel=False)
    urut = np.argsort(kode, kind="stable")
    kode = kode[urut]
    cuts = np.flatnonzero(kode[1:] != kode[:-1]) + 1
    starts = np.concatenate(([0], cuts)).tolist()
    ends = np.concatenate((cuts, [len(kode)])).tolist()
    bounds = {unik[kode[s]]: (s, e) for s, e in zip(starts, ends, strict=True)}
    return GroupedRecords(nama, [a[urut] for a in arrays], bounds)


def records(kolom: Mapping[str, pd.Series | np.ndarray]) -> list[dict[str, Any]]:
    """Columns to a list of row dicts of plain Python values (much faster than to_dict)."""
    nama = list(kolom)
    lists = [
        (kolom[k].to_numpy() if isinstance(kolom[k], pd.Series) else np.asarray(kolom[k])).tolist()
        for k in nama
    ]
    return [dict(zip(nama, row, strict=True)) for row in zip(*lists, strict=True)]


def lookup(df: pd.DataFrame, key: str, value: str, hanya: pd.Series | None = None) -> pd.Series:
    """value by key as a Series for .map (first row wins if a key repeats).

    hanya: the keys that will be looked up, when they are few; a big frame (e.g. every SKP
    indicator) is then cut down to their rows before anything else is done with it.
    """
    if df.empty or key not in df or value not in df:
        return pd.Series(dtype=object)
    keys = text_column(df[key]).reset_index(drop=True)  # index = row position
    if hanya is not None:
        keys = keys[keys.isin(hanya).to_numpy()]
    keys = keys[~keys.duplicated().to_numpy()]
    vals = text_column(df[value].iloc[keys.index.to_numpy()])
    return pd.Series(vals.to_numpy(), index=keys.to_numpy())


def langkah_column(langkah: pd.Series, jenjang: pd.Series, golongan: pd.Series) -> pd.Series:
    """A functional official's next step in words, with the pangkat (and jenjang) it leads to.

    A step up is always to the next golongan ruang, and a jenjang step to the next jenjang of the
    ladder (the top of a ladder has no step: langkah puncak); a jenjang step also needs the
    competency test (uji kompetensi).
    """
    langkah, golongan = text_column(langkah), text_column(golongan)
    gol = map_codes(golongan, pd.Series(dict(zip(GOLONGAN, GOLONGAN[1:], strict=False)), dtype=object))
    jab = map_codes(text_column(jenjang), pd.Series(dict(zip(JENJANG, JENJANG[1:], strict=False)),
                                                     dtype=object))
    pangkat = label_column(gol, PANGKAT_LABEL) + " (" + gol + ")"
    ada_gol, ada_jab = gol != "", jab != ""
    teks = {
        "pangkat": "Kenaikan pangkat" + (" ke " + pangkat).where(ada_gol, ""),
        "jenjang": "Kenaikan jenjang"
        + (" ke " + label_column(jab, JENJANG_LABEL)).where(ada_jab, "")
        + (", pangkat " + pangkat + ",").where(ada_gol, "")
        + " dan uji kompetensi",
        "puncak": pd.Series("Puncak jenjang: tidak ada kenaikan pangkat atau jenjang berikutnya",
                            index=langkah.index, dtype=object),
    }
    out = langkah.copy()
    for kode, kalimat in teks.items():
        out = out.where(langkah != kode, kalimat)
    return out


def map_codes(values: pd.Series, table: pd.Series) -> pd.Series:
    """Map codes through a lookup, '' where unknown."""
    return values.map(table).astype(object).where(lambda s: s.notna(), "")


def unit_rows(frames: Frames) -> pd.DataFrame:
    """unit_kerja as text, one row per kode_unit, sorted, every kode checked as a file name."""
    unit = frame_or_empty(frames, "unit_kerja", UNIT_COLUMNS)
    out = pd.DataFrame({k: text_column(unit[k]) for k in UNIT_COLUMNS})
    out = out.drop_duplicates("kode_unit").sort_values("kode_unit", kind="stable")
    check_safe_names(out["kode_unit"])
    return out.reset_index(drop=True)


def sort_positions(*keys: pd.Series | np.ndarray) -> np.ndarray:
    """Positions that sort rows by several keys, first key first, ties kept in input order."""
    if not len(keys[0]):
        return np.arange(0)
    return np.lexsort([pd.factorize(np.asarray(k), sort=True)[0] for k in reversed(keys)])


def per_unit(kolom: Mapping[str, pd.Series], kode_unit: pd.Series) -> GroupedRecords:
    """Display columns grouped by kode_unit (rows keep their order inside a unit)."""
    return group_records({"_unit": text_column(kode_unit), **kolom}, "_unit")


def count_per_unit(kode_unit: pd.Series, kelas: np.ndarray, jumlah_kelas: int) -> dict[str, list[int]]:
    """Per unit (a text column): how many rows fall in each class 0..jumlah_kelas-1 (class -1: none)."""
    kode, unik = pd.factorize(kode_unit.to_numpy())
    ada = kelas >= 0
    tabel = np.bincount(kode[ada] * jumlah_kelas + kelas[ada], minlength=len(unik) * jumlah_kelas)
    return dict(zip(unik.tolist(), tabel.reshape(len(unik), jumlah_kelas).tolist(), strict=True))


def year_text(tahun: int | None) -> str:
    return "" if tahun is None else str(tahun)


def report_year(tahun: int | None, result: Any, frames: Mapping[str, pd.DataFrame]) -> int | None:
    """The appraisal year: given, else on the result, else the (single) skp.tahun of the input."""
    if tahun is not None:
        return int(tahun)
    on_result = getattr(result, "tahun", None)
    if on_result is not None:
        return int(on_result)
    skp = frames.get("skp")
    if skp is not None and len(skp) and "tahun" in skp:
        return int(pd.to_numeric(skp["tahun"]).min())
    return None


def frame_or_empty(obj: Any, name: str, columns: Iterable[str]) -> pd.DataFrame:
    """An attribute / frame that may be missing or None, as a frame with at least `columns`."""
    df = obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name, None)
    if df is None:
        df = pd.DataFrame()
    missing = [c for c in columns if c not in df.columns]
    if missing:
        df = df.assign(**{c: pd.Series(pd.NA, index=df.index, dtype=object) for c in missing})
    return df


@lru_cache(maxsize=1)
def environment() -> Environment:
    """One compiled-template cache per process; autoescape on for every template."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        keep_trailing_newline=True,
    )
    env.filters["format_number"] = format_number
    env.filters["format_count"] = format_count
    env.globals.update(
        NILAI=[(k, NILAI_LABEL[k]) for k in BERAKHLAK],
        PERILAKU_KOLOM=[(NILAI_LABEL[k], f"atasan_{k}", f"rekan_{k}") for k in BERAKHLAK],
        PREDIKAT=list(PREDIKAT),
        RATING_LABEL=RATING_LABEL,
        STATUS_LABEL=STATUS_LABEL,
        POLA_LABEL=POLA_LABEL,
    )
    return env


def template(name: str) -> Template:
    """A compiled template from reports/templates (compiled once, then cached)."""
    return environment().get_template(name)


def write_text(path: Path, text: str) -> Path:
    """Write UTF-8 with '\\n' line ends so the same input gives the same bytes on every OS, through a
    temporary name beside `path` renamed over it: a reader (a browser, a copy) never sees half a page."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        retired.replace(tmp, path)  # os.replace (the old file kept for a later delete inside `retiring`)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path
