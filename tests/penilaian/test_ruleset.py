"""Ruleset loading: the default file, instansi overrides merged over it, and clear errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pydantic
import pytest

from penilaian.ruleset import Ruleset, load_ruleset


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_default_ruleset_has_domain_numbers():
    rs = load_ruleset()
    assert isinstance(rs, Ruleset)
    assert rs.label == "permenpan-6-2022 v1.3.0"
    assert (rs.capaian.batas_atas, rs.capaian.di_atas_min, rs.capaian.sesuai_min) == (120, 110, 90)
    assert (rs.perilaku.di_atas_min, rs.perilaku.sesuai_min, rs.perilaku.nilai_minimum_per_nilai) == (
        4.0,
        3.0,
        2.0,
    )
    assert rs.kepala_unit.aktif is True
    assert rs.kepala_unit.peta == {
        "Istimewa": "di_atas",
        "Baik": "sesuai",
        "Butuh Perbaikan": "di_bawah",
        "Kurang": "di_bawah",
        "Sangat Kurang": "di_bawah",
    }
    assert rs.kurva.min_pegawai == 5
    assert (rs.bias.min_dinilai, rs.bias.z_lunak, rs.bias.z_keras, rs.bias.rasio_terpusat) == (
        5,
        1.0,
        -1.0,
        0.25,
    )
    assert (rs.pemantauan.bulan_batas, rs.pemantauan.sesuai_jalur_min, rs.pemantauan.berisiko_min) == (
        6,
        90,
        70,
    )
    assert [(m.mutu, m.min, m.maks) for m in rs.ikm.mutu] == [
        ("A", 88.31, 100.0),
        ("B", 76.61, 88.30),
        ("C", 65.00, 76.60),
        ("D", 25.00, 64.99),
    ]
    assert (
        rs.pelatihan.jp_minimum,
        rs.pelatihan.nilai_lemah_di_bawah,
        rs.pelatihan.capaian_lemah_di_bawah,
    ) == (20, 3.0, 90)
    assert rs.keberatan.batas_hari == 14
    ak = rs.angka_kredit
    assert ak.persentase == {"Sangat Baik": 150, "Baik": 100, "Butuh Perbaikan": 75, "Kurang": 50,
                             "Sangat Kurang": 25}
    tangga = {j: (s.golongan, s.koefisien, s.pangkat_setiap, s.jenjang_pada) for j, s in ak.jenjang.items()}
    assert tangga == {
        "pemula": (("II/a",), 3.75, 15, 15),
        "terampil": (("II/b", "II/c", "II/d"), 5, 20, 60),
        "mahir": (("III/a", "III/b"), 12.5, 50, 100),
        "penyelia": (("III/c", "III/d"), 25, 100, None),
        "ahli_pertama": (("III/a", "III/b"), 12.5, 50, 100),
        "ahli_muda": (("III/c", "III/d"), 25, 100, 200),
        "ahli_madya": (("IV/a", "IV/b", "IV/c"), 37.5, 150, 450),
        "ahli_utama": (("IV/d", "IV/e"), 50, 200, None),
    }
    assert (
        rs.gerbang.maks_karantina_persen,
        rs.gerbang.maks_tidak_dinilai_persen,
        rs.gerbang.min_cakupan_realisasi_persen,
    ) == (20, 10, 50)
    assert rs.penilaian.bulan_batas == 12


def test_default_curve_table_rows_in_order():
    aturan = load_ruleset().kurva.aturan
    teks = {org: [b.teks for b in batasan] for org, batasan in aturan.items()}
    assert teks == {
        "Istimewa": ["Sangat Baik maks. 70%"],
        "Baik": ["Baik maks. 70%", "Butuh Perbaikan + Kurang min. 1 pegawai"],
        "Butuh Perbaikan": ["Sangat Baik maks. 10%", "Butuh Perbaikan min. 60%"],
        "Kurang": ["Sangat Baik maks. 10%", "Kurang min. 60%", "Butuh Perbaikan min. 10%"],
        "Sangat Kurang": [
            "Sangat Baik maks. 0%",
            "Sangat Kurang min. 60%",
            "Kurang + Butuh Perbaikan min. 10%",
        ],
    }


def test_name_and_path_load_the_same_and_checksum_is_stable():
    by_name = load_ruleset("permenpan-6-2022")
    by_path = load_ruleset(Path(__file__).parents[2] / "kinerja" / "rulesets" / "permenpan-6-2022.toml")
    assert by_name == by_path
    assert by_name.checksum == by_path.checksum
    assert len(by_name.checksum) == 64


def test_ruleset_is_frozen():
    rs = load_ruleset()
    with pytest.raises(pydantic.ValidationError):
        rs.capaian.batas_atas = 150.0


def test_instansi_override_is_deep_merged(tmp_path):
    path = write(
        tmp_path,
        "pemda-x.toml",
        """
dasar = "permenpan-6-2022"
nama = "pemda-x"
versi = "2.1.0"

[capaian]
batas_atas = 130.0

[kepala_unit.peta]
Baik = "di_atas"

[kurva.aturan]
Istimewa = [{ predikat = ["Sangat Baik"], op = "<=", persen = 50 }]
""",
    )
    base = load_ruleset()
    rs = load_ruleset(path)
    assert rs.label == "pemda-x v2.1.0"
    assert rs.capaian.batas_atas == 130.0
    # untouched keys of a touched section come from the base
    assert rs.capaian.di_atas_min == 110.0 and rs.capaian.sesuai_min == 90.0
    assert rs.kepala_unit.peta["Baik"] == "di_atas"
    assert rs.kepala_unit.peta["Kurang"] == "di_bawah" and rs.kepala_unit.aktif is True
    # a list of constraints replaces the base list for that predikat_organisasi only
    assert [b.teks for b in rs.kurva.aturan["Istimewa"]] == ["Sangat Baik maks. 50%"]
    assert rs.kurva.aturan["Baik"] == base.kurva.aturan["Baik"]
    assert rs.bias == base.bias and rs.ikm == base.ikm
    assert rs.checksum != base.checksum


def test_override_chain_by_relative_path(tmp_path):
    write(
        tmp_path,
        "provinsi.toml",
        'dasar = "permenpan-6-2022"\nnama = "prov"\nversi = "1"\n[kurva]\nmin_pegawai = 8\n',
    )
    kab = write(
        tmp_path, "kab.toml", 'dasar = "provinsi.toml"\nnama = "kab"\nversi = "1"\n[bias]\nmin_dinilai = 3\n'
    )
    rs = load_ruleset(str(kab))
    assert rs.kurva.min_pegawai == 8 and rs.bias.min_dinilai == 3 and rs.label == "kab v1"


def test_angka_kredit_override_changes_one_jenjang(tmp_path):
    path = write(
        tmp_path,
        "ak.toml",
        'dasar = "permenpan-6-2022"\nnama = "ak"\nversi = "1"\n'
        '[angka_kredit.persentase]\nKurang = 60.0\n'
        '[angka_kredit.jenjang.ahli_madya]\nkoefisien = 40.0\n',
    )
    base, rs = load_ruleset(), load_ruleset(path)
    assert rs.angka_kredit.persentase["Kurang"] == 60 and rs.angka_kredit.persentase["Baik"] == 100
    madya = rs.angka_kredit.jenjang["ahli_madya"]
    assert (madya.koefisien, madya.golongan, madya.jenjang_pada) == (40, ("IV/a", "IV/b", "IV/c"), 450)
    assert rs.angka_kredit.jenjang["ahli_utama"] == base.angka_kredit.jenjang["ahli_utama"]
    assert rs.checksum != base.checksum


@pytest.mark.parametrize(("toml", "pesan"), [
    ('[angka_kredit.jenjang.ahli_muda]\ngolongan = ["III/c", "IV/a"]\n', "rentang berurutan"),
    ('[angka_kredit.jenjang.ahli_muda]\ngolongan = ["III/d", "III/c"]\n', "rentang berurutan"),
    ('[angka_kredit.jenjang.ahli_muda]\ngolongan = ["III/e"]\n', "III/e"),
    ('[angka_kredit.jenjang.ahli_muda]\ngolongan = []\n', "angka_kredit.jenjang.ahli_muda.golongan"),
    ('[angka_kredit.jenjang.ahli_muda]\nkoefisien = 0\n', "angka_kredit.jenjang.ahli_muda.koefisien"),
    ('[angka_kredit.jenjang.ahli_super]\ngolongan = ["IV/e"]\nkoefisien = 1.0\npangkat_setiap = 1.0\n',
     "jenjang harus tepat"),
    ('[angka_kredit.persentase]\nIstimewa = 200.0\n', "persentase harus tepat"),
    ('[angka_kredit.persentase]\nKurang = -1.0\n', "persentase harus >= 0"),
])
def test_bad_angka_kredit_section_is_rejected(tmp_path, toml: str, pesan: str):
    path = write(tmp_path, "ak.toml", 'dasar = "permenpan-6-2022"\n' + toml)
    with pytest.raises(ValueError, match=pesan):
        load_ruleset(path)


def test_unknown_field_is_named(tmp_path):
    path = write(tmp_path, "salah.toml", 'dasar = "permenpan-6-2022"\n[capaian]\nbatas_atass = 130\n')
    with pytest.raises(ValueError, match=r"salah\.toml.*capaian\.batas_atass"):
        load_ruleset(path)


def test_wrong_type_is_named(tmp_path):
    path = write(tmp_path, "tipe.toml", 'dasar = "permenpan-6-2022"\n[penilaian]\nbulan_batas = "Desember"\n')
    with pytest.raises(ValueError, match=r"tipe\.toml.*penilaian\.bulan_batas"):
        load_ruleset(path)


def test_bad_curve_constraint(tmp_path):
    path = write(
        tmp_path,
        "kurva.toml",
        'dasar = "permenpan-6-2022"\n[kurva.aturan]\n'
        'Baik = [{ predikat = ["Luar Biasa"], op = "<=", persen = 70 }]\n',
    )
    with pytest.raises(ValueError, match=r"kurva\.toml.*kurva\.aturan\.Baik\.0.*Luar Biasa"):
        load_ruleset(path)
    both = write(
        tmp_path,
        "dua.toml",
        'dasar = "permenpan-6-2022"\n[kurva.aturan]\n'
        'Baik = [{ predikat = ["Baik"], op = "<=", persen = 70, jumlah = 3 }]\n',
    )
    with pytest.raises(ValueError, match=r"persen atau jumlah"):
        load_ruleset(both)
    op = write(
        tmp_path,
        "op.toml",
        'dasar = "permenpan-6-2022"\n[kurva.aturan]\n'
        'Baik = [{ predikat = ["Baik"], op = "<", persen = 70 }]\n',
    )
    with pytest.raises(ValueError, match=r"kurva\.aturan\.Baik\.0\.op"):
        load_ruleset(op)


def test_inconsistent_bands_rejected(tmp_path):
    path = write(tmp_path, "band.toml", 'dasar = "permenpan-6-2022"\n[capaian]\nsesuai_min = 115\n')
    with pytest.raises(ValueError, match=r"band\.toml.*capaian"):
        load_ruleset(path)


def test_invalid_toml_and_missing_files(tmp_path):
    path = write(tmp_path, "rusak.toml", "nama = \n")
    with pytest.raises(ValueError, match=r"rusak\.toml.*TOML"):
        load_ruleset(path)
    with pytest.raises(ValueError, match=r"tidak-ada\.toml.*tidak ditemukan"):
        load_ruleset(tmp_path / "tidak-ada.toml")
    with pytest.raises(ValueError, match=r"tidak-ada-juga"):
        load_ruleset("tidak-ada-juga")
    missing_base = write(tmp_path, "yatim.toml", 'dasar = "bukan-ruleset"\n')
    with pytest.raises(ValueError, match=r"bukan-ruleset"):
        load_ruleset(missing_base)


def test_base_file_missing_a_section_is_rejected(tmp_path):
    path = write(tmp_path, "kurang.toml", 'nama = "x"\nversi = "1"\n')
    with pytest.raises(ValueError, match=r"kurang\.toml.*field 'capaian'"):
        load_ruleset(path)


def test_cycle_in_dasar_chain(tmp_path):
    write(tmp_path, "a.toml", 'dasar = "b.toml"\n')
    b = write(tmp_path, "b.toml", 'dasar = "a.toml"\n')
    with pytest.raises(ValueError, match="berputar"):
        load_ruleset(b)


def test_curve_persen_rounding_floor_and_ceil(ruleset):
    aturan = ruleset.kurva.aturan
    # Istimewa SB <= 70% of 7 = 4.9 -> floor 4; Kurang BP >= 10% of 7 = 0.7 -> ceil 1;
    # BP >= 60% of 5 = 3.0 exactly -> 3 (no float noise pushing it to 4).
    assert aturan["Istimewa"][0].batas(7) == 4
    assert aturan["Kurang"][2].batas(7) == 1
    assert aturan["Butuh Perbaikan"][1].batas(5) == 3
    assert aturan["Baik"][1].batas(40) == 1
    # The same counts for several units at once (the curve computes every unit of a predikat together).
    assert aturan["Istimewa"][0].batas(np.array([7, 10, 4])).tolist() == [4, 7, 2]
    assert aturan["Butuh Perbaikan"][1].batas(np.array([5, 1, 0])).tolist() == [3, 1, 0]
    assert aturan["Baik"][1].batas(np.array([5, 40])).tolist() == [1, 1]
