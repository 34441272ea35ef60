"""The file contract as data: column lists and the frame an absent optional file stands for."""

from __future__ import annotations

import pandas as pd

from contract.schema import BERAKHLAK, FILES, input_frame


def test_every_file_is_keyed_by_its_sheet_and_numbers_are_columns() -> None:
    for sheet, spec in FILES.items():
        assert spec.name == f"{sheet}.csv" and spec.sheet == sheet
        assert set(spec.integers + spec.floats) <= set(spec.columns)
        assert len(set(spec.columns)) == len(spec.columns)
    assert FILES["perilaku"].integers == BERAKHLAK


def test_input_frame_gives_the_frame_or_an_empty_typed_one() -> None:
    given = pd.DataFrame({"nip": ["1"]})
    assert input_frame({"perilaku": given}, "perilaku") is given
    perilaku = input_frame({}, "perilaku")
    assert perilaku.empty and perilaku["semester"].dtype == "int64" and "bulan" not in perilaku
    assert perilaku["loyal"].dtype == "int64" and perilaku["catatan"].dtype == "str"
    survei = input_frame({}, "survei_masyarakat")
    assert survei["bulan"].dtype == "int64" and survei["nilai_ikm"].dtype == "float64"
    assert list(input_frame({}, "skp").columns) == [*FILES["skp"].columns, "_baris"]
