"""The demo generator must write FORMATS.md-conformant, consistent, reproducible input."""

from __future__ import annotations

import calendar
import re
from pathlib import Path

import pandas as pd
import pytest

from contract.schema import BERAKHLAK, FILES
from kinerja.demo.generator import generate, main

N = 300
TAHUN = 2026


def _nip_ok(nip: str, tahun: int = TAHUN) -> bool:
    """Independent check of the 18-digit NIP rule."""
    if not re.fullmatch(r"\d{18}", nip):
        return False
    y, m, d = int(nip[0:4]), int(nip[4:6]), int(nip[6:8])
    ty, tm = int(nip[8:12]), int(nip[12:14])
    sex, seq = nip[14], int(nip[15:18])
    if not (1 <= m <= 12) or not (1 <= d <= calendar.monthrange(y, m)[1]):
        return False
    return 1 <= tm <= 12 and y + 18 <= ty <= tahun and sex in "12" and 1 <= seq <= 999


def _read(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    folder = tmp_path_factory.mktemp("clean")
    return folder, generate(folder, pegawai=N, bad_rows=False)


@pytest.fixture(scope="module")
def dirty(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    folder = tmp_path_factory.mktemp("dirty")
    return folder, generate(folder, pegawai=N, bad_rows=True)


def test_deterministic_byte_identical(tmp_path: Path, dirty: tuple[Path, dict[str, int]]) -> None:
    counts = generate(tmp_path, pegawai=N, bad_rows=True)
    assert counts == dirty[1]
    for name in FILES:
        assert (tmp_path / f"{name}.csv").read_bytes() == (dirty[0] / f"{name}.csv").read_bytes()


def test_main_writes_what_generate_writes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--pegawai", "120", "--tahun", "2025", "--seed", "3", "--tanpa-baris-rusak"]
    assert main([str(tmp_path / "cli"), *args]) == 0
    counts = generate(tmp_path / "api", pegawai=120, tahun=2025, seed=3, bad_rows=False)
    for name in counts:
        assert (tmp_path / "cli" / name).read_bytes() == (tmp_path / "api" / name).read_bytes()
    printed = capsys.readouterr().out
    assert all(name in printed for name in counts)


def test_other_seed_differs(tmp_path: Path, clean: tuple[Path, dict[str, int]]) -> None:
    generate(tmp_path, pegawai=N, seed=7, bad_rows=False)
    assert (tmp_path / "pegawai.csv").read_bytes() != (clean[0] / "pegawai.csv").read_bytes()


def test_files_counts_and_headers(clean: tuple[Path, dict[str, int]]) -> None:
    folder, counts = clean
    assert set(counts) == {spec.name for spec in FILES.values()}
    for sheet, spec in FILES.items():
        raw = (folder / spec.name).read_bytes()
        assert b"\r" not in raw and raw.endswith(b"\n")
        df = _read(folder, sheet)
        assert len(df) == counts[spec.name]
        assert set(spec.required) <= set(df.columns)
        assert set(df.columns) <= set(spec.columns)
    assert counts["pegawai.csv"] == N
    assert counts["katalog_pelatihan.csv"] >= 30


def test_employees_and_hierarchy(clean: tuple[Path, dict[str, int]]) -> None:
    folder, _ = clean
    peg = _read(folder, "pegawai")
    unit = _read(folder, "unit_kerja")
    assert peg["nip"].is_unique
    assert all(_nip_ok(n) for n in peg["nip"])
    assert set(peg["kode_unit"]) <= set(unit["kode_unit"])
    assert set(peg["jenis_jabatan"]) <= {"pimpinan_tinggi", "administrator", "pengawas",
                                         "fungsional", "pelaksana"}
    inst = peg["kode_unit"].map(unit.set_index("kode_unit")["kode_instansi"])
    assert inst.value_counts().to_dict() == {"PEMKOT-PLK": 120, "PEMKOT-SWL": 90,
                                             "PEMKOT-BKT": 90}
    atasan = dict(zip(peg["nip"], peg["nip_atasan"], strict=True))
    inst_of = dict(zip(peg["nip"], inst, strict=True))
    unit_of = dict(zip(peg["nip"], peg["kode_unit"], strict=True))
    heads = [n for n, a in atasan.items() if a == ""]
    assert sorted(inst_of[h] for h in heads) == ["PEMKOT-BKT", "PEMKOT-PLK", "PEMKOT-SWL"]
    for nip, sup in atasan.items():
        if sup:
            assert sup in atasan and inst_of[sup] == inst_of[nip]
        seen, cur = set(), nip
        while cur:
            assert cur not in seen, "supervisor cycle"
            seen.add(cur)
            cur = atasan[cur]
    unit_heads = {unit_of[n] for n, a in atasan.items() if not a or unit_of[a] != unit_of[n]}
    assert unit_heads == set(peg["kode_unit"])
    assert set(unit["predikat_organisasi"]) <= {"Istimewa", "Baik", "Butuh Perbaikan", "Kurang"}
    assert (unit["predikat_organisasi"] == "Kurang").sum() <= 1


def test_skp_cascade_and_values(clean: tuple[Path, dict[str, int]]) -> None:
    folder, _ = clean
    peg = _read(folder, "pegawai")
    skp = _read(folder, "skp")
    assert skp["id_indikator"].is_unique
    assert set(skp["aspek"]) == {"kuantitas", "kualitas", "waktu", "biaya"}
    assert set(skp["arah"]) == {"naik", "turun"}
    assert (skp["arah"] == "naik").mean() > 0.6
    assert (skp["tahun"] == str(TAHUN)).all()
    assert (skp["target"].astype(float) > 0).all()
    per = skp.groupby("nip")
    assert per.size().between(2, 5).all()
    assert set(per["jenis"].agg(lambda s: (s == "utama").any())) == {True}
    assert set(skp["nip"]) == set(peg["nip"])
    owner = dict(zip(skp["id_indikator"], skp["nip"], strict=True))
    atasan = dict(zip(peg["nip"], peg["nip_atasan"], strict=True))
    for _, row in skp.iterrows():
        if row["jenis"] == "utama" and atasan[row["nip"]]:
            assert owner[row["id_indikator_atasan"]] == atasan[row["nip"]]
        if row["jenis"] == "tambahan":
            assert row["id_indikator_atasan"] == ""
    komp = set(skp["kompetensi"]) - {""}
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)*", k) for k in komp)


def test_realisasi_cumulative_and_spread(clean: tuple[Path, dict[str, int]]) -> None:
    folder, _ = clean
    skp = _read(folder, "skp")
    real = _read(folder, "realisasi")
    assert real["periode"].str.fullmatch(rf"{TAHUN}-(0[1-9]|1[0-2])").all()
    assert not real.duplicated(["id_indikator", "periode"]).any()
    real["v"] = real["realisasi"].astype(float)
    assert (real["v"] >= 0).all()
    assert set(real["id_indikator"]) < set(skp["id_indikator"])  # a few have no realisation
    meta = skp.set_index("id_indikator")
    real = real.sort_values(["id_indikator", "periode"])
    cum = real[real["id_indikator"].map(meta["aspek"]).isin(["kuantitas"])
               & (real["id_indikator"].map(meta["arah"]) == "naik")]
    assert (cum.groupby("id_indikator")["v"].diff().dropna() >= 0).all()
    dec = real[real["periode"] == f"{TAHUN}-12"].set_index("id_indikator")["v"]
    t = meta.loc[dec.index, "target"].astype(float)
    capaian = (dec / t * 100).where(meta.loc[dec.index, "arah"] == "naik", (2 - dec / t) * 100)
    assert (capaian > 110).mean() > 0.03
    assert (capaian < 90).mean() > 0.03
    assert capaian.between(90, 110).mean() > 0.5


def test_perilaku_ratings(clean: tuple[Path, dict[str, int]]) -> None:
    folder, _ = clean
    peg = _read(folder, "pegawai")
    per = _read(folder, "perilaku")
    assert set(per["periode"]) == {f"{TAHUN}-S1", f"{TAHUN}-S2"}
    vals = per[list(BERAKHLAK)].astype(int)
    assert vals.isin([1, 2, 3, 4, 5]).all().all()
    assert vals.isin([3, 4]).mean().mean() > 0.5
    atasan = dict(zip(peg["nip"], peg["nip_atasan"], strict=True))
    is_sup = per["nip_penilai"] == per["nip"].map(atasan)
    sup = per[is_sup]
    with_sup = {n for n, a in atasan.items() if a}
    for sem in (f"{TAHUN}-S1", f"{TAHUN}-S2"):
        assert set(sup.loc[sup["periode"] == sem, "nip"]) == with_sup
    unit_of = dict(zip(peg["nip"], peg["kode_unit"], strict=True))
    peers = per[~is_sup]
    assert len(peers) > 0
    assert (peers["nip"].map(unit_of) == peers["nip_penilai"].map(unit_of)).all()
    assert not per.duplicated(["nip", "nip_penilai", "periode"]).any()
    mean_by_rater = sup.assign(m=vals[is_sup].mean(axis=1)).groupby("nip_penilai")["m"].mean()
    assert (mean_by_rater == 5).sum() >= 2  # lenient raters
    assert (mean_by_rater < 2.6).sum() >= 1  # a severe rater
    heads = [n for n, a in atasan.items() if not a]
    ra = _read(folder, "rating_atasan")
    assert set(heads) <= set(ra.loc[ra["rating_perilaku"] != "", "nip"])
    assert set(ra["rating_perilaku"]) <= {"", "di_atas", "sesuai", "di_bawah"}
    assert set(ra["rating_hasil_kerja"]) <= {"", "di_atas", "sesuai", "di_bawah"}


def test_feedback_survey_training(clean: tuple[Path, dict[str, int]]) -> None:
    folder, _ = clean
    peg = _read(folder, "pegawai")
    atasan = dict(zip(peg["nip"], peg["nip_atasan"], strict=True))
    ub = _read(folder, "umpan_balik")
    assert set(ub["jenis"]) == {"coaching", "counseling", "mentoring", "apresiasi"}
    assert (ub["dari_nip"] == ub["nip"].map(atasan)).all()
    assert ub["tanggal"].str.startswith(f"{TAHUN}-").all()
    pd.to_datetime(ub["tanggal"], format="%Y-%m-%d")
    sv = _read(folder, "survei_masyarakat")
    assert sv["jumlah_responden"].astype(int).between(20, 400).all()
    assert sv["nilai_ikm"].astype(float).between(60, 98).all()
    assert sv["periode"].str.startswith(f"{TAHUN}-").all()
    kat = _read(folder, "katalog_pelatihan")
    assert kat["kode_pelatihan"].is_unique
    assert kat["jp"].astype(float).between(2, 40).all()
    counts = kat["kompetensi"].value_counts()
    assert all(counts.get(k, 0) >= 2 for k in BERAKHLAK)
    skp = _read(folder, "skp")
    assert set(skp["kompetensi"]) - {""} <= set(kat["kompetensi"])
    rw = _read(folder, "riwayat_pelatihan")
    assert rw["jp"].astype(float).gt(0).all()
    assert rw["nama_pelatihan"].isin(kat["nama_pelatihan"]).mean() > 0.9
    jp = rw[rw["tanggal"].str.startswith(f"{TAHUN}-")].groupby("nip")["jp"].sum(numeric_only=False)
    jp_year = rw[rw["tanggal"].str.startswith(f"{TAHUN}-")].assign(j=lambda d: d["jp"].astype(float))
    per_emp = jp_year.groupby("nip")["j"].sum().reindex(peg["nip"], fill_value=0)
    assert (per_emp < 20).mean() > 0.2 and (per_emp >= 20).mean() > 0.2
    assert len(jp) > 0


def test_bad_rows_are_few_and_present(dirty: tuple[Path, dict[str, int]],
                                      clean: tuple[Path, dict[str, int]]) -> None:
    folder, counts = dirty
    peg = _read(folder, "pegawai")
    unit = _read(folder, "unit_kerja")
    assert sum(not _nip_ok(n) for n in peg["nip"]) == 1
    assert (~peg["kode_unit"].isin(unit["kode_unit"])).sum() == 1
    assert peg.duplicated().sum() == 1
    assert (peg["nama"] == "<b>Budi</b> Santoso").sum() == 1
    skp = _read(folder, "skp")
    assert (skp["target"].astype(float) == 0).sum() == 1
    assert (skp["aspek"] == "kuantitass").sum() == 1
    real = _read(folder, "realisasi")
    assert (~real["periode"].str.startswith(f"{TAHUN}-")).sum() == 1
    per = _read(folder, "perilaku")
    assert (per[list(BERAKHLAK)].astype(int) == 6).sum().sum() == 1
    ub = _read(folder, "umpan_balik")
    assert (ub["tanggal"] == f"12/03/{TAHUN}").sum() == 1
    sv = _read(folder, "survei_masyarakat")
    assert (sv["nilai_ikm"].astype(float) > 100).sum() == 1
    rw = _read(folder, "riwayat_pelatihan")
    assert (rw["jp"].astype(float) == 0).sum() == 1
    for name, n in counts.items():
        delta = abs(n - clean[1][name])
        assert (delta <= max(3, 0.05 * n) or name == "realisasi.csv" and delta <= 30
                or name == "keberatan.csv" and delta == 9)  # three set-aside objections per instansi


def _objections(folder: Path) -> tuple[pd.DataFrame, pd.Series]:
    """keberatan.csv with each row's line, and each objector's decider (the supervisor's supervisor)."""
    rows = _read(folder, "keberatan").assign(baris=lambda d: d.index + 2)
    atasan = _read(folder, "pegawai").drop_duplicates("nip").set_index("nip")["nip_atasan"]
    return rows, rows["nip"].map(atasan).map(atasan)


def test_objections_per_instansi_are_decided_by_the_right_decider_in_time(
    clean: tuple[Path, dict[str, int]],
) -> None:
    folder, _ = clean
    rows, decider = _objections(folder)
    peg = _read(folder, "pegawai").set_index("nip")
    instansi = peg["kode_unit"].map(_read(folder, "unit_kerja").set_index("kode_unit")["kode_instansi"])
    assert list(rows.columns[:-1]) == list(FILES["keberatan"].required[:5]) + [
        "nip_pemutus", "tanggal_keputusan", "keputusan", "rating_hasil_kerja_baru", "rating_perilaku_baru",
        "catatan_keputusan"]
    assert (rows["tahun"] == str(TAHUN)).all() and rows["nip"].is_unique
    per_instansi = rows.assign(i=rows["nip"].map(instansi)).groupby("i")["keputusan"].value_counts()
    assert per_instansi.to_dict() == {(i, k): n for i in ("PEMKOT-BKT", "PEMKOT-PLK", "PEMKOT-SWL")
                                      for k, n in (("diterima", 2), ("ditolak", 1))}
    terima, aju, putus = (pd.to_datetime(rows[c], format="%Y-%m-%d")
                          for c in ("tanggal_terima", "tanggal_pengajuan", "tanggal_keputusan"))
    assert ((aju - terima).dt.days.between(0, 14)).all() and (putus >= aju).all()
    assert (terima.dt.year == TAHUN + 1).all() and (putus < pd.Timestamp(TAHUN + 1, 2, 10)).all()
    assert (rows["nip_pemutus"] == decider).all() and (decider != "").all()
    diterima = rows[rows["keputusan"] == "diterima"]
    assert ((diterima["rating_hasil_kerja_baru"] != "") | (diterima["rating_perilaku_baru"] != "")).all()
    assert set(diterima["rating_perilaku_baru"]) == {"sesuai", "di_atas"}  # out of Kurang; to Sangat Baik
    ditolak = rows[rows["keputusan"] == "ditolak"]
    assert (ditolak[["rating_hasil_kerja_baru", "rating_perilaku_baru"]] == "").all().all()
    assert not set(rows["nip"]) & set(_read(folder, "rating_atasan")["nip"])  # no override to interfere


def test_bad_objections_are_one_late_one_wrongly_decided_one_second_per_instansi(
    dirty: tuple[Path, dict[str, int]], clean: tuple[Path, dict[str, int]],
) -> None:
    rows, decider = _objections(dirty[0])
    late = (pd.to_datetime(rows["tanggal_pengajuan"]) - pd.to_datetime(rows["tanggal_terima"])).dt.days > 14
    wrong = rows["nip_pemutus"] != decider
    second = rows.sort_values(["tanggal_pengajuan", "baris"])["nip"].duplicated().sort_index()
    assert (late.sum(), wrong.sum(), second.sum()) == (3, 3, 3)
    assert not (late & wrong).any() and not (late & second).any() and not (wrong & second).any()
    good = rows[~(late | wrong | second)]
    assert len(good) == len(_objections(clean[0])[0]) == 9 and good["nip"].is_unique


# DOMAIN.md "Angka kredit": jenjang -> (golongan range, koefisien, next pangkat every, next jenjang at)
LADDER = {
    "pemula": (("II/a",), 3.75, 15, 15), "terampil": (("II/b", "II/c", "II/d"), 5, 20, 60),
    "mahir": (("III/a", "III/b"), 12.5, 50, 100), "penyelia": (("III/c", "III/d"), 25, 100, None),
    "ahli_pertama": (("III/a", "III/b"), 12.5, 50, 100), "ahli_muda": (("III/c", "III/d"), 25, 100, 200),
    "ahli_madya": (("IV/a", "IV/b", "IV/c"), 37.5, 150, 450), "ahli_utama": (("IV/d", "IV/e"), 50, 200, None),
}


def _jenjang_of_title(jabatan: str) -> str:
    for jenjang in sorted(LADDER, key=len, reverse=True):
        if jabatan.lower().endswith(" " + jenjang.replace("_", " ")):
            return jenjang
    return "pemula"


def test_angka_kredit_lists_every_functional_official_once_with_a_plausible_ladder_position(
    clean: tuple[Path, dict[str, int]],
) -> None:
    folder, _ = clean
    rows = _read(folder, "angka_kredit")
    peg = _read(folder, "pegawai").set_index("nip")
    assert list(rows.columns) == ["nip", "jenjang", "golongan", "ak_awal", "bulan"]
    assert rows["nip"].is_unique
    assert set(rows["nip"]) == set(peg.index[peg["jenis_jabatan"] == "fungsional"])
    assert (rows["jenjang"] == rows["nip"].map(peg["jabatan"]).map(_jenjang_of_title)).all()
    ak_awal, bulan = rows["ak_awal"].astype(float), rows["bulan"].astype(int)
    assert rows["ak_awal"].str.fullmatch(r"\d+\.\d\d").all()
    assert bulan.between(1, 12).all() and 0.8 < (bulan == 12).mean() < 1

    kind = []
    for (_, row), awal in zip(rows.iterrows(), ak_awal, strict=True):
        golongan, koef, setiap, jenjang_pada = LADDER[row["jenjang"]]
        assert row["golongan"] in golongan
        k = golongan.index(row["golongan"])
        assert awal >= k * setiap  # credit accumulates within the jenjang from the last pangkat's
        if k == len(golongan) - 1 and jenjang_pada is None:
            kind.append("puncak")
            continue
        threshold = (k + 1) * setiap if k < len(golongan) - 1 else jenjang_pada
        kind.append("sudah" if awal >= threshold else "satu_tahun" if awal >= threshold - 1.5 * koef
                    else "jauh")
    kinds = pd.Series(kind).value_counts()
    # the tops of both ladders (penyelia III/d, ahli_utama IV/e), in every instansi
    instansi = peg["kode_unit"].map(_read(folder, "unit_kerja").set_index("kode_unit")["kode_instansi"])
    puncak = rows.loc[pd.Series(kind).eq("puncak").to_numpy()]
    assert set(puncak["jenjang"]) == {"penyelia", "ahli_utama"}
    assert set(puncak["nip"].map(instansi)) == set(instansi)
    # some a good year away from the next step, some past it, some far below
    assert min(kinds["sudah"], kinds["satu_tahun"], kinds["jauh"]) >= 0.1 * len(rows)


def test_bad_angka_kredit_rows_are_one_outside_the_range_one_negative_one_not_functional(
    dirty: tuple[Path, dict[str, int]], clean: tuple[Path, dict[str, int]],
) -> None:
    rows = _read(dirty[0], "angka_kredit")
    fungsional = _read(dirty[0], "pegawai").drop_duplicates("nip").set_index("nip")["jenis_jabatan"]
    outside = [g not in LADDER[j][0] for j, g in zip(rows["jenjang"], rows["golongan"], strict=True)]
    negative = rows["ak_awal"].astype(float) < 0
    not_functional = rows["nip"].map(fungsional) != "fungsional"
    assert (sum(outside), negative.sum(), not_functional.sum()) == (1, 1, 1)
    assert len(rows) == len(_read(clean[0], "angka_kredit")) + 1
