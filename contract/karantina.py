"""Quarantine rows: their columns (one copy for every producer), how rows are made and ordered, and
the merged karantina.csv."""

from __future__ import annotations

import string
from pathlib import Path

import pandas as pd

from contract.aturan import ATURAN
from contract.files import WORKBOOK, berkas_name, find_file
from contract.output import write_csv
from contract.schema import FILES
from stages import registry

# The columns of karantina.csv and what each means (Indonesian, English), for docs/ (contract/docs.py).
KARANTINA_ARTI: dict[str, tuple[str, str]] = {
    "berkas": ("berkas masukan tempat masalah ditemukan; untuk lembar workbook: kinerja.xlsx:<lembar>",
               "the input file the problem was found in; for a workbook sheet: kinerja.xlsx:<sheet>"),
    "baris": ("nomor baris di berkas (mulai 1, judul = 1); untuk workbook: baris di lembarnya",
              "line in the file (1-based, header = 1); for the workbook: the row of its sheet"),
    "kolom": ("kolom yang melanggar (beberapa kolom dipisah ',' untuk kunci ganda; '*' untuk"
              " kelebihan kolom)",
              "the offending column (several joined by ',' for a duplicated key; '*' for surplus"
              " fields)"),
    "nilai": ("nilai sel seperti dibaca (tanpa spasi di tepi; untuk kunci ganda: nilai-nilai"
              " kuncinya dipisah ', '); kosong bila selnya kosong",
              "the cell's value as read (edges trimmed; for a duplicated key: the key's values"
              " joined by ', '); empty when the cell is empty"),
    "kode_aturan": ("kode aturan yang dilanggar (lihat Aturan nilai)",
                    "code of the broken rule (see Value rules)"),
    "alasan": ("alasan dalam bahasa Indonesia", "the reason in Indonesian"),
    "reason": ("alasan dalam bahasa Inggris", "the reason in English"),
    "tahap": ("tahap pertama yang menemukan masalah ini", "the first stage that found the problem"),
}
KARANTINA_COLUMNS = list(KARANTINA_ARTI)
KARANTINA_KEY = ["berkas", "baris", "kolom", "kode_aturan"]  # one problem: file, line, column, rule
_EMPTY = "(kosong)"  # how an empty cell reads in a reason
_RULE_ORDER = {kode: i for i, kode in enumerate(ATURAN)}
_FILE_ORDER = {spec.name: i for i, spec in enumerate(FILES.values())}


def empty_karantina() -> pd.DataFrame:
    """A quarantine frame with no rows and the contract's columns and types."""
    frame = pd.DataFrame({c: pd.Series(dtype="str") for c in KARANTINA_COLUMNS})
    frame["baris"] = frame["baris"].astype("int64")
    return frame


def render(template: str, rows: pd.DataFrame, nilai: pd.Series, **fields: object) -> pd.Series:
    """Fill a reason template for many rows at once: {nilai}, constants or per-row Series (looked up
    by row label) in `fields`, or columns of `rows`."""
    out = pd.Series("", index=rows.index, dtype="str")
    for literal, name, _spec, _conv in string.Formatter().parse(template):
        out = out + literal
        if name is None:
            continue
        if name in fields:
            value = fields[name]
            out = out + (_text(value.loc[rows.index]) if isinstance(value, pd.Series) else str(value))
        elif name == "nilai":
            out = out + _text(nilai)
        else:
            out = out + _text(rows[name])
    return out


def _text(values: pd.Series) -> pd.Series:
    """Values as text for a message; an empty cell reads as (kosong)."""
    return values.astype("str").fillna(_EMPTY).where(values.notna(), _EMPTY)


def karantina_rows(
    berkas: str, rows: pd.DataFrame, kode: str, kolom: str, nilai: pd.Series,
    tahap: str = "", **fields: object,
) -> pd.DataFrame:
    """Quarantine rows for `rows` (with their `_baris`) of one file that break rule `kode` in column
    `kolom`; `fields` fill the reason templates' other placeholders."""
    aturan = ATURAN[kode]
    fields = {"kolom": kolom, **fields}
    return pd.DataFrame(
        {
            "berkas": berkas,
            "baris": rows["_baris"].to_numpy(dtype="int64"),
            "kolom": kolom,
            "nilai": nilai.astype("str").to_numpy(),
            "kode_aturan": kode,
            "alasan": render(aturan.alasan, rows, nilai, **fields).to_numpy(),
            "reason": render(aturan.reason, rows, nilai, **fields).to_numpy(),
            "tahap": tahap,
        },
        columns=KARANTINA_COLUMNS,
    )


def sort_karantina(frame: pd.DataFrame) -> pd.DataFrame:
    """Deterministic order: file (FORMATS.md order), line, rule (catalogue order), column."""
    if frame.empty:
        return frame.reset_index(drop=True)
    keys = pd.DataFrame(
        {
            "f": frame["berkas"].map(_FILE_ORDER).fillna(len(_FILE_ORDER)).to_numpy(),
            "b": frame["baris"].to_numpy(),
            "a": frame["kode_aturan"].map(_RULE_ORDER).fillna(len(_RULE_ORDER)).to_numpy(),
            "k": frame["kolom"].fillna("").to_numpy(),
        }
    )
    order = keys.sort_values(["f", "b", "a", "k"], kind="stable").index.to_numpy()
    return frame.iloc[order].reset_index(drop=True)


def first_found(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per problem (KARANTINA_KEY): the row of the first stage, in cycle order, that found it
    (within one stage, its first row); rows otherwise keep their order."""
    by_stage = frame["tahap"].map(registry.order).to_numpy().argsort(kind="stable")
    first = ~frame.iloc[by_stage].duplicated(KARANTINA_KEY).to_numpy()
    return frame.iloc[sorted(by_stage[first])]


def write_karantina_csv(output_dir: Path, tahap: str, karantina: pd.DataFrame) -> Path:
    """Merge stage `tahap`'s quarantined rows into OUTPUT/<tahun>/karantina.csv: the stage's own rows are
    replaced, other stages' rows kept, and each problem listed once, under the first stage that found it
    (a later stage's row is taken over by an earlier stage that finds the same problem)."""
    path = output_dir / "karantina.csv"
    output_dir.mkdir(parents=True, exist_ok=True)
    frames = []
    if path.exists():
        old = pd.read_csv(path, dtype=str, keep_default_na=False)
        frames.append(old[old["tahap"] != tahap])
    new = karantina.assign(tahap=tahap)[KARANTINA_COLUMNS].astype(str)
    new = new.replace({"<NA>": "", "nan": "", "None": ""})
    frames.append(new)
    merged = first_found(pd.concat(frames, ignore_index=True)[KARANTINA_COLUMNS])
    merged = merged.assign(
        _t=merged["tahap"].map(registry.order), _b=pd.to_numeric(merged["baris"], errors="coerce")
    ).sort_values(["_t", "berkas", "_b", "kolom", "kode_aturan"], kind="stable")
    write_csv(merged.drop(columns=["_t", "_b"]), path)
    return path


def name_sources(karantina: pd.DataFrame, input_dir: Path) -> pd.DataFrame:
    """The rows as karantina.csv and the database show them: a sheet read from the workbook is named
    `kinerja.xlsx:<sheet>` instead of `<sheet>.csv` (the rules and the gate go by the file names)."""
    if karantina.empty or find_file(Path(input_dir), WORKBOOK) is None:
        return karantina
    names = {spec.name: berkas_name(input_dir, sheet) for sheet, spec in FILES.items()}
    return karantina.assign(berkas=karantina["berkas"].replace(names))
