"""The input contract in docs/: generated from the code, complete, and never out of date."""

from __future__ import annotations

import html
import re
import tomllib
from pathlib import Path

import pytest

from contract.aturan import ATURAN
from contract.docs import DOC, main, render, rule_places
from contract.karantina import KARANTINA_COLUMNS
from contract.schema import FILES
from kinerja.settings import PROJECT_DIR

BAD_CORPUS = Path(__file__).resolve().parents[1] / "data" / "bad"


@pytest.fixture(scope="module")
def doc() -> str:
    return render()


def _section(doc: str, heading: str) -> str:
    """The text under `heading` (a whole line) up to the next heading of any level."""
    start = doc.index(f"\n{heading}\n") + len(heading) + 2
    end = re.search(r"^#{2,3} ", doc[start:], flags=re.MULTILINE)
    return doc[start:] if end is None else doc[start : start + end.start()]


def _rows(section: str, first_header: str) -> dict[str, list[str]]:
    """The rows of the section's table whose header starts with `first_header`, by their first cell
    (a plain `code` without its backticks): the other cells."""
    lines = section.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {first_header} |"))
    out = {}
    for line in lines[start + 2:]:
        if not line.startswith("| "):
            break
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        out[cells[0].strip("`")] = cells[1:]
    return out


def test_committed_doc_is_what_the_code_says(doc: str) -> None:
    committed = (PROJECT_DIR / DOC).read_text(encoding="utf-8")
    assert committed == doc, f"{DOC} is out of date with the code: run `make docs` and commit it"


def test_every_rule_code_has_a_row_with_its_reasons_and_where_it_applies(doc: str) -> None:
    rows = _rows(_section(doc, "## 4. Aturan nilai · Value rules"), "kode")
    assert list(rows) == list(ATURAN)  # every code, in the catalogue's (karantina.csv's) order
    for kode, aturan in ATURAN.items():
        where, alasan, reason = rows[kode]
        assert where != "—", f"{kode}: the doc does not say where it applies"
        assert (html.unescape(alasan), html.unescape(reason)) == (aturan.alasan, aturan.reason)


def test_every_rule_applies_somewhere_and_only_to_real_columns() -> None:
    places = rule_places()
    columns = {spec.name: set(spec.columns) | {"*"} for spec in FILES.values()}
    for kode in ATURAN:
        assert places[kode], (
            f"{kode} is raised outside contract/file_rules.py: add it to _ELSEWHERE in contract/docs.py"
        )
        for berkas, kolom in places[kode]:
            assert set(kolom.split(",")) <= columns[berkas], (kode, berkas, kolom)


def test_where_a_rule_applies_agrees_with_the_bad_input_corpus() -> None:
    """Every quarantine line the hand-checked corpus expects is a place the doc lists for its rule."""
    places = {kode: set(where) for kode, where in rule_places().items()}
    expected = [
        line
        for path in sorted(BAD_CORPUS.glob("*/expected.toml"))
        for line in tomllib.loads(path.read_text(encoding="utf-8")).get("karantina", [])
        if line["kode_aturan"] in ATURAN and "kolom" in line
    ]
    assert len(expected) > 50  # the corpus is there and read
    def file_of(berkas: str) -> str:  # a workbook sheet (kinerja.xlsx:pegawai) is its file's rules
        return f"{berkas.split(':')[1]}.csv" if ":" in berkas else berkas

    missing = {(e["kode_aturan"], e["berkas"], e["kolom"]) for e in expected
               if (file_of(e["berkas"]), e["kolom"]) not in places[e["kode_aturan"]]}
    assert not missing


def test_known_places_of_rules(doc: str) -> None:
    places = rule_places()
    assert ("pegawai.csv", "nip_atasan") in places["NIP_FORMAT"]
    assert ("perilaku.csv", "nip,nip_penilai,periode") in places["PERILAKU_GANDA"]
    # a rater only has to exist: no INDUK_DIKARANTINA on nip_penilai
    assert ("perilaku.csv", "nip_penilai") not in places["INDUK_DIKARANTINA"]
    assert places["REALISASI_TURUN"] == [("realisasi.csv", "realisasi")]
    assert len(places["JUMLAH_KOLOM"]) == len(FILES)
    columns = _rows(_section(doc, "### `perilaku.csv`"), "kolom · column")
    assert "`PERILAKU_GANDA`" in columns["nip_penilai"][-1]
    assert "`INDUK_DIKARANTINA`" not in columns["nip_penilai"][-1]


def test_every_file_and_column_is_described_with_required_or_optional(doc: str) -> None:
    overview = _rows(_section(doc, "## 1. Berkas dan tahap · Files and stages"), "berkas · file")
    for spec in FILES.values():
        assert overview[f"[`{spec.name}`](#{spec.sheet}csv)"][0] == f"`{spec.sheet}`"
        columns = _rows(_section(doc, f"### `{spec.name}`"), "kolom · column")
        assert list(columns) == list(spec.columns), spec.name
        for column in spec.columns:
            wajib, _jenis, arti, meaning, _rules = columns[column]
            assert wajib.startswith("**wajib**") == (column in spec.required), (spec.name, column)
            assert arti and meaning, f"{spec.name} {column}: no meaning (FileSpec.arti in schema.py)"
            assert (html.unescape(arti), html.unescape(meaning)) == spec.arti_of(column)


def test_every_column_meaning_names_a_real_column() -> None:
    for spec in FILES.values():
        described = [kolom for kolom, _, _ in spec.arti]
        assert sorted(described) == sorted(spec.columns), spec.name
        assert all(row for row in spec.baris), spec.name


def test_types_and_stages_come_from_the_code(doc: str) -> None:
    skp = _rows(_section(doc, "### `skp.csv`"), "kolom · column")
    assert skp["tahun"][1] == "bilangan bulat · whole number"
    assert skp["target"][1] == "angka · number"
    assert skp["satuan"][1] == "teks · text"
    overview = _rows(_section(doc, "## 1. Berkas dan tahap · Files and stages"), "berkas · file")
    katalog = overview["[`katalog_pelatihan.csv`](#katalog_pelatihancsv)"]
    assert katalog[-2:] == ["`training`", "`validation`"]


def test_karantina_columns_are_described(doc: str) -> None:
    rows = _rows(_section(doc, "## 5. Karantina: `karantina.csv` · Quarantine: `karantina.csv`"),
                 "kolom · column")
    assert list(rows) == KARANTINA_COLUMNS
    assert all(arti and meaning for arti, meaning in rows.values())


def test_contents_links_point_at_headings(doc: str) -> None:
    headings = re.findall(r"^## (.+)$", doc, flags=re.MULTILINE)
    links = re.findall(r"^- \[(.+)\]\(#(.+)\)$", doc, flags=re.MULTILINE)
    assert [text for text, _ in links] == headings
    assert ("1. Berkas dan tahap · Files and stages", "1-berkas-dan-tahap--files-and-stages") in links


def test_main_writes_the_doc_where_asked(tmp_path: Path, doc: str) -> None:
    target = tmp_path / "sub" / "kontrak.md"
    assert main([str(target)]) == 0
    assert target.read_text(encoding="utf-8") == doc
    assert doc.endswith("|\n") and not doc.endswith("\n\n")


def test_every_table_row_has_as_many_cells_as_its_header(doc: str) -> None:
    width = 0
    for line in doc.splitlines():
        if not line.startswith("|"):
            width = 0
            continue
        cells = len(re.split(r"(?<!\\)\|", line)) - 2  # `|` inside a cell is escaped
        if width == 0:
            width = cells
        assert cells == width, line
