"""The rule catalogue: every rule has both reasons, and its templates ask only for what the rules give."""

from __future__ import annotations

import string

from contract.aturan import ATURAN

# What contract/karantina.py and the rules fill in: the value, the column, the year, the parent file,
# the previous value (warnings), a formula-like text's first character (TEKS_RUMUS), the row's
# indicator (KASKADE_WAJIB), the row's dates (keberatan's date order), what the objection review fills
# in (penilaian/keberatan.py), the first line of a repeated nip (angka_kredit.csv) and what the credit
# conversion fills in (penilaian/angka_kredit.py).
PLACEHOLDERS = {"nilai", "kolom", "tahun", "induk", "sebelumnya", "id_indikator", "tanggal_terima",
                "tanggal_pengajuan", "pertama_tanggal", "pertama_baris", "selisih_hari", "batas_hari",
                "seharusnya", "should_be", "nip_atasan", "baris_pertama", "jenjang", "rentang", "awal"}


def test_every_rule_has_both_reasons() -> None:
    assert all(a.alasan and a.reason for a in ATURAN.values())


def test_templates_ask_only_for_known_placeholders() -> None:
    for aturan in ATURAN.values():
        for template in (aturan.alasan, aturan.reason):
            names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
            assert names <= PLACEHOLDERS, (aturan.kode, names)


def test_codes_are_the_keys_and_unique() -> None:
    assert all(kode == aturan.kode for kode, aturan in ATURAN.items())
    assert len({a.kode for a in ATURAN.values()}) == len(ATURAN)
    assert list(ATURAN)[:2] == ["WAJIB_KOSONG", "JUMLAH_KOLOM"]  # the order sorts a line's problems
