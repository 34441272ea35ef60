"""The head-of-unit rule on hand-made pegawai rows."""

from __future__ import annotations

import pandas as pd

from contract.hierarchy import kepala_unit
from tests.penilaian.input_frames import frame
from tests.penilaian.year_end_inputs import peg


def test_kepala_unit_detection():
    pegawai = frame(
        "pegawai",
        [
            peg(1, "U0"),  # no supervisor -> head
            peg(2, "U1", atasan=1),  # supervisor in U0, employee in U1 -> head of U1
            peg(3, "U1", atasan=2),  # supervisor in the same unit -> not head
            peg(4, "U2", atasan=99),  # supervisor not in pegawai -> head
        ],
    )
    assert kepala_unit(pegawai).tolist() == [True, True, False, True]


def test_kepala_unit_when_the_supervisor_has_no_unit_or_appears_twice():
    pegawai = frame("pegawai", [peg(1, "U1"), peg(2, "U1", atasan=1), peg(3, "U2", atasan=1)])
    pegawai.loc[0, "kode_unit"] = None  # 1's unit is unknown: 2 is then head of U1 (and 1 of nothing)
    assert kepala_unit(pegawai).tolist() == [True, True, True]
    # A repeated nip: the first row's unit counts (1 in U1), so 2 is staff of U1 and 3 heads U2.
    twice = frame("pegawai", [peg(1, "U1"), peg(1, "U2"), peg(2, "U1", atasan=1), peg(3, "U2", atasan=1)])
    assert kepala_unit(twice).tolist() == [True, True, False, True]


def test_an_empty_nip_is_nobody_s_supervisor():
    # Row 2 has no supervisor; an empty nip (row 1) must not be matched to that empty nip_atasan.
    rows = pd.DataFrame({"nip": [None, "2"], "nip_atasan": ["9", None], "kode_unit": ["U1", "U1"]})
    assert kepala_unit(rows).tolist() == [True, True]
