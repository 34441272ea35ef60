"""The input contract as a document, docs/kontrak-masukan.md: Indonesian first, English beside it.

Written from the code, never by hand (`make docs`, i.e. `python -m contract.docs`): the files, sheets
and columns from contract/schema.py, the stages that read them from the stage registry, the rule codes
and reasons from contract/aturan.py, and which rule applies to which column by running the file rules
of contract/values.py on empty files and recording what they check. tests/contract/test_docs.py fails
when the committed document differs from what the code says now.
"""

from __future__ import annotations

import re
import string
import sys
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from contract.aturan import ATURAN, ATURAN_ANGKA_KREDIT, ATURAN_TINJAUAN_KEBERATAN
from contract.checked_file import CheckedFile
from contract.files import WORKBOOK
from contract.karantina import KARANTINA_ARTI
from contract.raw_frame import empty_raw
from contract.schema import FILES, TEXTS
from contract.values import check_files
from kinerja.settings import PROJECT_DIR
from stages import registry

DOC = Path("docs") / "kontrak-masukan.md"  # relative to the project folder

_H_FILES = "1. Berkas dan tahap · Files and stages"
_H_FORM = f"2. Bentuk berkas: CSV atau {WORKBOOK} · File form: CSV or {WORKBOOK}"
_H_COLUMNS = "3. Kolom per berkas · Columns per file"
_H_RULES = "4. Aturan nilai · Value rules"
_H_KARANTINA = "5. Karantina: `karantina.csv` · Quarantine: `karantina.csv`"

Place = tuple[str, str]  # (file name, column; several joined by ',' for a key; '*' for the whole row)

# Rules raised outside contract/file_rules.py, so the recording run does not see them:
# code -> (where it applies, note in Indonesian, note in English).
_ELSEWHERE: dict[str, tuple[tuple[Place, ...], str, str]] = {
    "JUMLAH_KOLOM": (
        tuple((spec.name, "*") for spec in FILES.values()),
        "diperiksa saat berkas dibaca", "checked while the file is read",
    ),
    "REALISASI_TURUN": (
        (("realisasi.csv", "realisasi"),),
        "peringatan: baris tetap dipakai (indikator arah naik)",
        "warning: the row is kept (indicators with arah naik)",
    ),
    "TEKS_RUMUS": (
        tuple((spec.name, kolom) for spec in FILES.values() for kolom in spec.columns if kolom in TEXTS),
        "peringatan: baris tetap dipakai; kolom teks bebas yang diawali =, +, -, @, tab atau CR",
        "warning: the row is kept; free-text columns that start with =, +, -, @, tab or CR",
    ),
    **{
        kode: (
            ((FILES["keberatan"].name, kolom),),
            "diperiksa saat peninjauan keberatan (penilaian/keberatan.py), terhadap pegawai.csv, hasil"
            " penilaian tahun itu dan baris keberatan lainnya",
            "checked by the objection review (penilaian/keberatan.py), against pegawai.csv, the"
            " year's results and the other objection rows",
        )
        for kode, kolom in ATURAN_TINJAUAN_KEBERATAN.items()
    },
    **{
        kode: (
            ((FILES["angka_kredit"].name, kolom),),
            "diperiksa saat konversi angka kredit (penilaian/angka_kredit.py), terhadap ruleset"
            " (rentang golongan tiap jenjang) dan predikat yang ditetapkan tahun itu",
            "checked by the credit conversion (penilaian/angka_kredit.py), against the ruleset (each"
            " jenjang's golongan range) and the year's standing predikat",
        )
        for kode, kolom in ATURAN_ANGKA_KREDIT.items()
    },
}

# What the placeholders of the reason templates stand for; any other one is a column of the row.
_PLACEHOLDERS: dict[str, tuple[str, str]] = {
    "kolom": ("kolom yang melanggar", "the offending column"),
    "nilai": ("nilai sel (atau nilai kunci ganda)", "the cell's value (or the duplicated key)"),
    "tahun": ("tahun penilaian (`--tahun`)", "the appraisal year (`--tahun`)"),
    "induk": ("berkas induk yang dirujuk", "the parent file referred to"),
    "sebelumnya": ("realisasi bulan sebelumnya", "the previous month's realisation"),
    "awal": ("karakter pertama sel (tab ditulis \\t, CR ditulis \\r)",
             "the cell's first character (a tab written \\t, CR written \\r)"),
    "pertama_tanggal": ("tanggal_pengajuan keberatan pertama pegawai itu",
                        "tanggal_pengajuan of the employee's first objection"),
    "pertama_baris": ("baris keberatan pertama pegawai itu", "line of the employee's first objection"),
    "selisih_hari": ("hari kalender dari tanggal_terima sampai tanggal_pengajuan",
                     "calendar days from tanggal_terima to tanggal_pengajuan"),
    "batas_hari": ("batas hari pengajuan keberatan (ruleset: keberatan.batas_hari)",
                   "the objection window in days (ruleset: keberatan.batas_hari)"),
    "seharusnya": ("siapa yang seharusnya memutus", "who should decide"),
    "should_be": ("siapa yang seharusnya memutus (bahasa Inggris)", "who should decide (in English)"),
    "nip_atasan": ("nip_atasan pegawai di pegawai.csv", "the employee's nip_atasan in pegawai.csv"),
    "baris_pertama": ("baris pertama nip itu di angka_kredit.csv",
                      "the nip's first line in angka_kredit.csv"),
    "jenjang": ("jenjang di baris itu", "the row's jenjang"),
    "rentang": ("rentang golongan jenjang itu (ruleset: angka_kredit.jenjang)",
                "the jenjang's golongan range (ruleset: angka_kredit.jenjang)"),
}


class _Recording(CheckedFile):
    """An empty file under check that notes every rule its file rules apply, and to which column."""

    def __init__(self, sheet: str, seen: dict[tuple[str, Place], None]) -> None:
        super().__init__(sheet, empty_raw(sheet), tahun=2000, tahap="validation")
        self.seen = seen

    def flag(
        self, mask: np.ndarray, kode: str, kolom: str, nilai: pd.Series | None = None,
        drop: bool = True, **fields: object,
    ) -> None:
        self.seen[(kode, (self.spec.name, kolom))] = None
        super().flag(mask, kode, kolom, nilai, drop, **fields)

    def duplicates(self, columns: list[str], kode: str) -> None:
        # on rows without duplicates the generic rule returns before flagging: note it here
        self.seen[(kode, (self.spec.name, ",".join(columns)))] = None
        super().duplicates(columns, kode)


def rule_places() -> dict[str, list[Place]]:
    """Each rule code of ATURAN -> the (file, column) places it applies to, in file and rule order.

    The file rules run on empty files with every parent present, so every rule they could apply is
    recorded (whatever the rows would be); a code found nowhere maps to an empty list.
    """
    seen: dict[tuple[str, Place], None] = {}
    check_files({sheet: _Recording(sheet, seen) for sheet in FILES}, needs_predikat=True)
    places: dict[str, list[Place]] = {kode: [] for kode in ATURAN}
    for kode, place in seen:
        places.setdefault(kode, []).append(place)
    for kode, (where, _, _) in _ELSEWHERE.items():
        places.setdefault(kode, []).extend(where)
    return places


def render() -> str:
    """The whole document, as docs/kontrak-masukan.md holds it."""
    places = rule_places()
    parts = [
        _intro(),
        _files_and_stages(),
        _form(),
        *(_file_section(spec.sheet, places) for spec in FILES.values()),
        _rules(places),
        _karantina(),
    ]
    return "\n".join(parts).rstrip("\n") + "\n"


def write(path: Path | None = None) -> Path:
    """Write the document (by default to the project's docs/kontrak-masukan.md)."""
    target = path or PROJECT_DIR / DOC
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(), encoding="utf-8", newline="\n")
    return target


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    print(f"ditulis / written: {write(Path(args[0]) if args else None)}")
    return 0


# ----------------------------------------------------------------------------------- sections


def _intro() -> str:
    toc = "\n".join(f"- [{h}](#{_anchor(h)})" for h in (_H_FILES, _H_FORM, _H_COLUMNS, _H_RULES,
                                                        _H_KARANTINA))
    return f"""<!-- Dibuat oleh `make docs` (contract/docs.py) dari kode; jangan disunting tangan.
     Generated by `make docs` (contract/docs.py) from the code; do not edit by hand. -->

# Kontrak berkas masukan · Input file contract

Dokumen ini menjelaskan berkas masukan Kinerja yang disiapkan kantor kepegawaian (BKD/BKPSDM) untuk
`kinerja run` dan `kinerja cycle` (`--input FOLDER`): setiap berkas dan lembar, kolomnya (wajib atau
opsional), dan setiap aturan nilai dengan kodenya serta alasannya seperti tertulis di `karantina.csv`.
Dokumen ini dibuat dari kode, sehingga selalu sama dengan yang diperiksa program.

*This document describes Kinerja's input files that an HR office prepares for `kinerja run` and
`kinerja cycle` (`--input FOLDER`): every file and sheet, its columns (required or optional), and every
value rule with its code and the reason as `karantina.csv` writes it. It is generated from the code,
so it always says what the program checks.*

Isi · Contents:

{toc}
"""


def _files_and_stages() -> str:
    rows = []
    for spec in FILES.values():
        wajib = [s.name for s in registry.STAGES if spec.sheet in s.required]
        opsional = [s.name for s in registry.STAGES if spec.sheet in s.optional]
        rows.append((
            f"[`{spec.name}`](#{_anchor(spec.name)})", f"`{spec.sheet}`", spec.baris[0], spec.baris[1],
            _codes(wajib) or "—", _codes(opsional) or "—",
        ))
    table = _table(
        ("berkas · file", f"lembar di · sheet in `{WORKBOOK}`", "satu baris per", "one row per",
         "wajib bagi tahap · required by", "opsional bagi tahap · optional for"),
        rows,
    )
    notes = _pairs((
        ("Berkas wajib suatu tahap yang tidak ada (sebagai CSV maupun lembar) menghentikan tahap itu"
         " dengan pesan satu baris (status keluar 2). Berkas opsional yang tidak ada dianggap kosong.",
         "A stage's required file that is missing (as CSV and as sheet) stops that stage with a"
         " one-line message (exit status 2). A missing optional file counts as empty."),
        ("Tahap: " + ", ".join(f"`{s.name}` ({s.label})" for s in registry.STAGES) + ".",
         "Stages: " + ", ".join(f"`{s.name}`" for s in registry.STAGES) + ", in cycle order."),
    ))
    return f"## {_H_FILES}\n\n{table}\n{notes}"


def _form() -> str:
    numeric = sorted({c for spec in FILES.values() for c in spec.integers + spec.floats})
    sheets = ", ".join(f"`{spec.sheet}`" for spec in FILES.values())
    csv = _pairs((
        ("Berkas CSV berkode UTF-8 (BOM boleh); baris pertama berisi nama kolom.",
         "CSV files in UTF-8 (a BOM is allowed); the first line holds the column names."),
        ("Dua dialek diterima: pemisah `,` dengan titik desimal `.`, atau pemisah `;` dengan koma"
         " desimal `,` (ekspor Excel berlokal Indonesia). Dialek dikenali dari baris judul: `;` bila"
         " baris itu memuat lebih banyak `;` daripada `,`.",
         "Two dialects are accepted: separator `,` with decimal point `.`, or separator `;` with"
         " decimal comma `,` (exports of Indonesian-locale Excel). The dialect is told from the header"
         " line: `;` when it holds more `;` than `,`."),
        ("Dalam dialek `;`, titik di kolom angka memisahkan ribuan: `1.234,5` dibaca 1234.5 dan `1.234`"
         " dibaca 1234. Kolom angka: " + _codes(numeric) + ".",
         "In the `;` dialect a dot in a numeric column groups thousands: `1.234,5` reads as 1234.5 and"
         " `1.234` as 1234. Numeric columns: " + _codes(numeric) + "."),
        ("Akhir baris LF atau CRLF. Nilai di antara tanda kutip `\"` boleh memuat pemisah dan pindah"
         " baris.",
         "Line ends LF or CRLF. A value in double quotes `\"` may hold the separator and line breaks."),
        ("Nama berkas dicocokkan tanpa membedakan huruf besar/kecil. Nama kolom dicocokkan tanpa"
         " membedakan huruf besar/kecil setelah spasi di tepinya dibuang; urutan kolom bebas; kolom"
         " yang tidak dikenal diabaikan.",
         "File names are matched case-insensitively. Column names are matched case-insensitively"
         " after trimming spaces; columns may come in any order; unknown columns are ignored."),
        ("Setiap kolom wajib harus ada di baris judul; bila tidak, berkas ditolak (status keluar 2)."
         " Kolom opsional boleh tidak ada: nilainya dianggap kosong.",
         "Every required column must be in the header; otherwise the file is refused (exit status"
         " 2). An optional column may be absent: its values count as empty."),
        ("Spasi di tepi setiap sel dibuang; sel kosong berarti tidak ada nilai. Baris yang semua"
         " selnya kosong dilewati.",
         "Spaces around every cell are trimmed; an empty cell means no value. Lines whose every cell"
         " is empty are skipped."),
        ("Baris dengan sel lebih banyak daripada judul dikarantina (`JUMLAH_KOLOM`); pada baris"
         " dengan sel lebih sedikit, sel yang kurang dianggap kosong.",
         "A row with more fields than the header is quarantined (`JUMLAH_KOLOM`); in a row with fewer"
         " fields the missing ones count as empty."),
        ("Berkas kosong, UTF-16, bukan UTF-8, atau biner (mis. workbook Excel bernama `.csv`) ditolak"
         " dengan pesan satu baris (status keluar 2).",
         "An empty file, a UTF-16 file, a file that is not UTF-8 or a binary one (e.g. an Excel"
         " workbook named `.csv`) is refused with a one-line message (exit status 2)."),
        ("`baris` di `karantina.csv` adalah nomor baris fisik di berkas (judul = 1), juga bila nilai"
         " berkutip memuat pindah baris.",
         "`baris` in `karantina.csv` is the physical line in the file (header = 1), also when quoted"
         " values hold line breaks."),
    ))
    workbook = _pairs((
        (f"Sebagai ganti CSV, folder boleh berisi satu workbook `{WORKBOOK}` dengan satu lembar per"
         f" berkas; nama lembar = nama berkas tanpa `.csv` ({sheets}), tanpa membedakan huruf"
         " besar/kecil.",
         f"Instead of CSVs the folder may hold one workbook `{WORKBOOK}` with one sheet per file;"
         f" sheet name = file name without `.csv` ({sheets}), matched case-insensitively."),
        ("Bila CSV suatu berkas ada di folder, CSV itu yang dibaca, bukan lembarnya.",
         "When a file's CSV is in the folder, the CSV is read, not its sheet."),
        ("Baris pertama lembar berisi nama kolom, dengan aturan yang sama seperti CSV. Di"
         f" `karantina.csv`, `berkas` bernilai `{WORKBOOK}:<lembar>` dan `baris` adalah nomor baris"
         " lembar.",
         "The sheet's first row holds the column names, under the same rules as a CSV. In"
         f" `karantina.csv`, `berkas` reads `{WORKBOOK}:<sheet>` and `baris` is the sheet's row"
         " number."),
        ("Sel rumus dibaca nilai tersimpannya; sel tanggal menjadi `YYYY-MM-DD` (di kolom `periode`,"
         " tanggal 1 menjadi `YYYY-MM`); angka dibaca dengan titik desimal.",
         "Formula cells are read as their stored value; date cells become `YYYY-MM-DD` (in a"
         " `periode` column, the 1st of a month becomes `YYYY-MM`); numbers are read with a decimal"
         " point."),
        ("Tulis NIP dan kode sebagai teks (format kolom Teks): Excel menyimpan angka dengan paling"
         " banyak 15 angka bermakna, sehingga NIP 18 angka yang tersimpan sebagai angka kehilangan"
         " angka terakhirnya; sel kode yang tersimpan sebagai angka yang tidak mungkin kode itu"
         " dikarantina (`SEL_ANGKA`).",
         "Write NIPs and codes as text (format the column as Text): Excel keeps at most 15"
         " significant digits of a number, so an 18-digit NIP stored as a number loses its last"
         " digits; a code cell stored as a number that cannot be that code is quarantined"
         " (`SEL_ANGKA`)."),
    ))
    return (f"## {_H_FORM}\n\n"
            f"### CSV\n\n{csv}\n### Workbook `{WORKBOOK}`\n\n{workbook}")


def _file_section(sheet: str, places: dict[str, list[Place]]) -> str:
    spec = FILES[sheet]
    by_column: dict[str, list[str]] = {c: [] for c in spec.columns}
    for kode, where in places.items():
        for berkas, kolom in where:
            for column in kolom.split(","):
                if berkas == spec.name and column in by_column and kode not in by_column[column]:
                    by_column[column].append(kode)
    rows = []
    for column in spec.columns:
        arti, meaning = spec.arti_of(column)
        wajib = "**wajib** · required" if column in spec.required else "opsional · optional"
        rows.append((f"`{column}`", wajib, _jenis(spec.integers, spec.floats, column), arti, meaning,
                     _codes(by_column[column]) or "—"))
    table = _table(("kolom · column", "wajib? · required?", "jenis · type", "arti", "meaning",
                    "aturan · rules"), rows)
    heading = f"## {_H_COLUMNS}\n\n" if sheet == next(iter(FILES)) else ""
    return (f"{heading}### `{spec.name}`\n\nSatu baris per {spec.baris[0]}; lembar `{spec.sheet}`."
            f" · *One row per {spec.baris[1]}; sheet `{spec.sheet}`.*\n\n{table}")


def _rules(places: dict[str, list[Place]]) -> str:
    needs = [s.name for s in registry.STAGES if s.needs_predikat_organisasi]
    notes = _pairs((
        ("Baris yang melanggar aturan nilai dikarantina: ditulis ke `karantina.csv` dengan kode dan"
         " alasannya, lalu tidak dipakai. Baris yang melanggar beberapa aturan mendapat satu baris"
         " karantina per aturan. Gerbang mutu data lalu memutuskan, menurut ambangnya, apakah tahap"
         " berlanjut (laporan `gerbang_<tahap>.html`).",
         "A row that breaks a value rule is quarantined: written to `karantina.csv` with the rule's"
         " code and reason, and not used. A row that breaks several rules gets one quarantine line per"
         " rule. The data-quality gate then decides by its thresholds whether the stage goes on"
         " (report `gerbang_<tahap>.html`)."),
        ("Pilihan dicocokkan tanpa membedakan huruf besar/kecil, dengan spasi, `-` dan `_` dianggap"
         " sama (`butuh perbaikan` = `Butuh Perbaikan`). Kolom bilangan bulat menerima angka bulat"
         " bertulis desimal (`4.0` = 4).",
         "Choices are matched case-insensitively, with spaces, `-` and `_` alike (`butuh perbaikan` ="
         " `Butuh Perbaikan`). Whole-number columns accept whole numbers written as decimals (`4.0` ="
         " 4)."),
        ("Aturan antarberkas (mis. `UNIT_TIDAK_ADA`) hanya berjalan bila tahap membaca kedua berkas."
         " Baris yang merujuk baris induk yang dikarantina ikut dikarantina (`INDUK_DIKARANTINA`);"
         " rujukan ke atasan, penilai, pemberi umpan balik atau indikator atasan cukup ada di berkas"
         " induk, dikarantina atau tidak.",
         "Cross-file rules (e.g. `UNIT_TIDAK_ADA`) run only when the stage reads both files. A row"
         " that refers to a quarantined parent row is quarantined too (`INDUK_DIKARANTINA`); a"
         " reference to a supervisor, rater, feedback giver or supervisor's indicator only has to"
         " exist in the parent file, quarantined or not."),
        ("Kunci ganda (kode `…_GANDA`) mengkarantina semua baris kunci itu: berkas tidak menunjukkan"
         " mana yang benar.",
         "A duplicated key (codes `…_GANDA`) quarantines every row of that key: the file does not say"
         " which one is right."),
        ("`predikat_organisasi` boleh kosong, kecuali di tahap " + _codes(needs) + ".",
         "`predikat_organisasi` may be empty, except at the stages " + _codes(needs) + "."),
        ("Dalam alasan, " + _placeholders("id") + ".", "In the reasons, " + _placeholders("en") + "."),
    ))
    rows = []
    for kode, aturan in ATURAN.items():
        where = _places_text(places.get(kode, []))
        if kode in _ELSEWHERE:
            where += f" — {_ELSEWHERE[kode][1]} · *{_ELSEWHERE[kode][2]}*"
        rows.append((f"`{kode}`", where or "—", aturan.alasan, aturan.reason))
    table = _table(("kode", "berlaku untuk · applies to", "alasan", "reason"), rows)
    return f"## {_H_RULES}\n\n{notes}\n{table}"


def _karantina() -> str:
    rows = [(f"`{kolom}`", arti, meaning) for kolom, (arti, meaning) in KARANTINA_ARTI.items()]
    table = _table(("kolom · column", "arti", "meaning"), rows)
    notes = _pairs((
        ("Setiap tahap menulis `karantina.csv` di folder keluaran per tahun (`--output FOLDER/<tahun>/`),"
         " satu baris per masalah (berkas, baris, kolom, aturan); masalah yang ditemukan lagi oleh"
         " tahap berikutnya tidak diulang. Tahap akhir tahun juga mencatat pegawai yang tidak dapat"
         " dinilai.",
         "Every stage writes `karantina.csv` in the output folder per year (`--output FOLDER/<tahun>/`),"
         " one line per problem (file, line, column, rule); a problem found again by a later stage is"
         " not repeated. The year-end stage also lists employees who cannot be scored."),
    ))
    return f"## {_H_KARANTINA}\n\n{notes}\n{table}"


# ----------------------------------------------------------------------------------- helpers


def _jenis(integers: tuple[str, ...], floats: tuple[str, ...], column: str) -> str:
    if column in integers:
        return "bilangan bulat · whole number"
    if column in floats:
        return "angka · number"
    return "teks · text"


def _places_text(where: list[Place]) -> str:
    """`file`: `col`, `col`<br>… grouped by file; every input file at once reads 'semua berkas'."""
    if {name for name, _ in where} == {spec.name for spec in FILES.values()} and all(
        kolom == "*" for _, kolom in where
    ):
        return "semua berkas · every file: `*`"
    by_file: dict[str, list[str]] = {}
    for name, kolom in where:
        by_file.setdefault(name, []).append(f"`{kolom}`")
    return "<br>".join(f"`{name}`: {', '.join(cols)}" for name, cols in by_file.items())


def _placeholders(lang: str) -> str:
    names = dict.fromkeys(
        name for a in ATURAN.values() for template in (a.alasan, a.reason)
        for _, name, _, _ in string.Formatter().parse(template) if name
    )
    column_words = ("kolom baris itu", "the row's column")
    out = []
    for name in names:
        ind, eng = _PLACEHOLDERS.get(name, (f"{column_words[0]} `{name}`", f"{column_words[1]} `{name}`"))
        out.append(f"`{{{name}}}` = {ind if lang == 'id' else eng}")
    return "; ".join(out)


def _pairs(pairs: Iterable[tuple[str, str]]) -> str:
    return _table(("Bahasa Indonesia", "English"), pairs)


def _codes(names: Iterable[str]) -> str:
    return ", ".join(f"`{name}`" for name in names)


def _table(header: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """A table cell: no line breaks, `|` escaped, and outside `code` a `<` that would open an HTML tag
    (ringkasan_<kode_unit>.html) written as an entity; the line breaks <br> of a cell stay."""
    parts = text.replace("|", "\\|").replace("\n", " ").split("`")
    return "`".join(part if i % 2 else re.sub(r"<(?!br>)", "&lt;", part) for i, part in enumerate(parts))


def _anchor(heading: str) -> str:
    """GitHub's anchor of a `### `name`` heading: lower case, punctuation but '-' and '_' dropped."""
    return "".join(ch for ch in heading.lower() if ch.isalnum() or ch in "-_ ").replace(" ", "-")


if __name__ == "__main__":
    raise SystemExit(main())
