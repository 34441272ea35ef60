"""The input gate: GX suites on raw frames, quarantine shares, relational checks, enforcement."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from contract.schema import BERAKHLAK, FILES
from expectations.gate import (
    GateCheck,
    GateResult,
    enforce,
    quarantine_checks,
    relational_check,
    validate_inputs,
)
from expectations.suites import SUITES, ParameterSuite, frame_validasi
from kinerja.errors import GateFailed

TAHUN = 2026
NIP_A = "198001012005011001"
NIP_B = "198502022010012002"
NIP_C = "199003032015031003"


def raw_frame(sheet: str, rows: list[dict]) -> pd.DataFrame:
    """A raw frame as the reader hands it to the gate: every column text (NA when empty)."""
    spec = FILES[sheet]
    data = pd.DataFrame(rows, columns=list(spec.columns)).astype("str")
    data["_baris"] = pd.Series(range(2, len(data) + 2), index=data.index, dtype="int64")
    return data


def pegawai_rows(n: int) -> list[dict]:
    return [
        {
            "nip": f"1980010120050110{i:02d}" if i < 100 else f"19800101200501{i:04d}",
            "nama": f"Pegawai {i}",
            "kode_unit": "U1",
            "jabatan": "Analis",
            "jenis_jabatan": "pelaksana",
            "nip_atasan": None if i == 0 else "198001012005011000",
        }
        for i in range(n)
    ]


def nilai_berakhlak(v: str) -> dict:
    return dict.fromkeys(BERAKHLAK, v)


def raw_bersih() -> dict[str, pd.DataFrame]:
    """One small, clean raw frame per input file."""
    return {
        "unit_kerja": raw_frame(
            "unit_kerja",
            [
                {
                    "kode_unit": "U1",
                    "nama_unit": "Bagian Umum",
                    "kode_instansi": "I1",
                    "nama_instansi": "Pemkab",
                    "predikat_organisasi": "Baik",
                },
                {
                    "kode_unit": "U2",
                    "nama_unit": "Bagian Hukum",
                    "kode_instansi": "I1",
                    "nama_instansi": "Pemkab",
                    "predikat_organisasi": "Istimewa",
                },
            ],
        ),
        "pegawai": raw_frame(
            "pegawai",
            [
                {
                    "nip": NIP_A,
                    "nama": "Ani",
                    "kode_unit": "U1",
                    "jabatan": "Kepala",
                    "jenis_jabatan": "pimpinan_tinggi",
                    "email": "ani@example.go.id",
                },
                {
                    "nip": NIP_B,
                    "nama": "Budi",
                    "kode_unit": "U1",
                    "jabatan": "Analis",
                    "jenis_jabatan": "fungsional",
                    "nip_atasan": NIP_A,
                },
                {
                    "nip": NIP_C,
                    "nama": "Citra",
                    "kode_unit": "U2",
                    "jabatan": "Staf",
                    "jenis_jabatan": "pelaksana",
                    "nip_atasan": NIP_A,
                },
            ],
        ),
        "skp": raw_frame(
            "skp",
            [
                {
                    "id_indikator": "K1",
                    "nip": NIP_A,
                    "tahun": "2026",
                    "rencana_hasil_kerja": "R",
                    "indikator": "Dokumen",
                    "aspek": "kuantitas",
                    "target": "12",
                    "satuan": "dok",
                    "arah": "naik",
                    "jenis": "utama",
                    "kompetensi": "akuntabel",
                },
                {
                    "id_indikator": "K2",
                    "nip": NIP_B,
                    "tahun": "2026",
                    "rencana_hasil_kerja": "R",
                    "indikator": "Hari",
                    "aspek": "waktu",
                    "target": "12,5",
                    "satuan": "hari",
                    "arah": "turun",
                    "jenis": "utama",
                    "id_indikator_atasan": "K1",
                    "kompetensi": "pelayanan_publik",
                },
                {
                    "id_indikator": "K3",
                    "nip": NIP_C,
                    "tahun": "2026",
                    "rencana_hasil_kerja": "R",
                    "indikator": "Mutu",
                    "aspek": "kualitas",
                    "target": "0.5",
                    "satuan": "%",
                    "arah": "naik",
                    "jenis": "tambahan",
                },
            ],
        ),
        "realisasi": raw_frame(
            "realisasi",
            [
                {"id_indikator": "K1", "periode": "2026-01", "realisasi": "0"},
                {"id_indikator": "K1", "periode": "2026-12", "realisasi": "12,5", "bukti": "x"},
            ],
        ),
        "perilaku": raw_frame(
            "perilaku",
            [
                {"nip": NIP_B, "nip_penilai": NIP_A, "periode": "2026-S1", **nilai_berakhlak("3")},
                {"nip": NIP_C, "nip_penilai": NIP_A, "periode": "2026-S2", **nilai_berakhlak("5")},
            ],
        ),
        "umpan_balik": raw_frame(
            "umpan_balik",
            [{"nip": NIP_B, "dari_nip": NIP_A, "tanggal": "2026-03-31", "jenis": "coaching"}],
        ),
        "survei_masyarakat": raw_frame(
            "survei_masyarakat",
            [
                {
                    "kode_unit": "U1",
                    "periode": "2026-02",
                    "layanan": "KTP",
                    "jumlah_responden": "40",
                    "nilai_ikm": "88,31",
                },
                {
                    "kode_unit": "U1",
                    "periode": "2026-03",
                    "layanan": "KTP",
                    "jumlah_responden": "1",
                    "nilai_ikm": "25",
                },
            ],
        ),
        "riwayat_pelatihan": raw_frame(
            "riwayat_pelatihan",
            [
                {
                    "nip": NIP_B,
                    "nama_pelatihan": "Excel",
                    "kompetensi": "analisis_data",
                    "tanggal": "2026-05-04",
                    "jp": "8",
                }
            ],
        ),
        "katalog_pelatihan": raw_frame(
            "katalog_pelatihan",
            [
                {"kode_pelatihan": "P1", "nama_pelatihan": "Excel", "kompetensi": "analisis_data", "jp": "8"},
                {"kode_pelatihan": "P2", "nama_pelatihan": "Etika", "kompetensi": "akuntabel", "jp": "12.5"},
            ],
        ),
        "rating_atasan": raw_frame(
            "rating_atasan",
            [{"nip": NIP_B, "rating_perilaku": "di_atas", "alasan": "Kinerja luar biasa"}],
        ),
    }


def by_kode(checks: list[GateCheck]) -> dict[str, GateCheck]:
    return {c.kode: c for c in checks}


def test_clean_frames_pass_every_suite():
    checks = validate_inputs("year-end", TAHUN, raw_bersih(), maks_karantina_persen=20)
    gagal = [(c.kode, c.gagal, c.contoh) for c in checks if not c.lulus or c.gagal]
    assert gagal == []
    kode = by_kode(checks)
    assert len(kode) == len(checks)  # codes are unique
    for sheet in FILES:
        assert kode[f"{sheet}.baris.ada"].lulus
    assert kode["pegawai.nip.format"].diperiksa == 3
    assert kode["skp.target.format"].sumber == "great_expectations"
    assert kode["survei_masyarakat.nilai_ikm.rentang"].gagal == 0
    assert "unit_kerja.predikat_organisasi.ada" in kode  # required before year-end scoring


def test_half_bad_nips_fail_with_counts_and_line_numbers():
    rows = pegawai_rows(10)
    for i in (1, 3, 5, 7, 9):
        rows[i]["nip"] = f"NIP-{i}"
    checks = validate_inputs(
        "validation", TAHUN, {"pegawai": raw_frame("pegawai", rows)}, maks_karantina_persen=20
    )
    cek = by_kode(checks)["pegawai.nip.format"]
    assert not cek.lulus
    assert (cek.diperiksa, cek.gagal) == (10, 5)
    assert cek.ambang == "maks. 20% baris"
    assert [(c["baris"], c["nilai"]) for c in cek.contoh] == [
        (3, "NIP-1"),
        (5, "NIP-3"),
        (7, "NIP-5"),
        (9, "NIP-7"),
        (11, "NIP-9"),
    ]
    assert all(c["kolom"] == "nip" and c["alasan"] for c in cek.contoh)
    hasil = GateResult("validation", TAHUN, checks)
    assert not hasil.lulus
    assert "pegawai.nip.format (5 dari 10 baris, maks. 20% baris)" in hasil.ringkas()
    assert hasil.ringkas().startswith("GAGAL: ")


def test_one_bad_row_in_100_passes_but_is_counted():
    rows = pegawai_rows(100)
    rows[41]["jenis_jabatan"] = "bos"
    rows[77]["nama"] = None
    checks = by_kode(
        validate_inputs(
            "validation", TAHUN, {"pegawai": raw_frame("pegawai", rows)}, maks_karantina_persen=20
        )
    )
    jenis = checks["pegawai.jenis_jabatan.nilai"]
    assert jenis.lulus and (jenis.diperiksa, jenis.gagal) == (100, 1)
    assert jenis.contoh == [
        {"baris": 43, "kolom": "jenis_jabatan", "nilai": "bos", "alasan": jenis.deskripsi}
    ]
    nama = checks["pegawai.nama.ada"]
    assert nama.lulus and nama.gagal == 1 and nama.contoh[0]["baris"] == 79
    assert nama.contoh[0]["nilai"] is None


def test_duplicate_keys_and_year_and_ranges():
    raw = raw_bersih()
    skp = raw["skp"]
    skp.loc[2, "id_indikator"] = "K1"
    skp.loc[1, "tahun"] = "2025"
    skp.loc[0, "target"] = "0"
    survei = raw["survei_masyarakat"]
    survei.loc[1, "nilai_ikm"] = "100,5"
    survei.loc[0, "periode"] = "2025-02"
    checks = by_kode(validate_inputs("validation", TAHUN, raw, maks_karantina_persen=20))
    assert [c["baris"] for c in checks["skp.id_indikator.unik"].contoh] == [2, 4]
    assert checks["skp.tahun.sesuai"].contoh[0]["nilai"] == "2025"
    assert checks["skp.target.format"].contoh[0]["nilai"] == "0"
    rentang = checks["survei_masyarakat.nilai_ikm.rentang"]
    assert rentang.gagal == 1 and rentang.contoh[0] == {
        "baris": 3,
        "kolom": "nilai_ikm",
        "nilai": "100,5",
        "alasan": rentang.deskripsi,
    }
    assert checks["survei_masyarakat.periode.format"].gagal == 1
    assert not checks["skp.id_indikator.unik"].lulus  # 2 of 3 rows are duplicates


@pytest.mark.parametrize(
    ("target", "sah"),
    [
        ("12", True),
        ("12.5", True),
        ("12,5", True),
        ("0,25", True),
        ("007", True),
        ("0", False),
        ("0.0", False),
        ("-1", False),
        ("1e3", False),
        ("abc", False),
        ("1.234,5", False),
    ],
)
def test_target_positive_number_regex(target: str, sah: bool):
    raw = raw_bersih()
    raw["skp"].loc[0, "target"] = target
    cek = by_kode(validate_inputs("validation", TAHUN, {"skp": raw["skp"]}, maks_karantina_persen=20))[
        "skp.target.format"
    ]
    assert (cek.gagal == 0) is sah


def test_berakhlak_values_and_semester():
    raw = raw_bersih()
    raw["perilaku"].loc[0, "kompeten"] = "6"
    raw["perilaku"].loc[1, "periode"] = "2026-S3"
    checks = by_kode(
        validate_inputs("year-end", TAHUN, {"perilaku": raw["perilaku"]}, maks_karantina_persen=20)
    )
    assert checks["perilaku.kompeten.format"].contoh[0]["baris"] == 2
    assert checks["perilaku.periode.format"].contoh[0]["nilai"] == "2026-S3"
    assert checks["perilaku.akuntabel.format"].gagal == 0


def test_empty_or_missing_required_file_fails_and_empty_optional_passes():
    raw = raw_bersih()
    raw["pegawai"] = raw["pegawai"].iloc[0:0]
    raw["umpan_balik"] = raw["umpan_balik"].iloc[0:0]
    del raw["perilaku"]
    checks = by_kode(validate_inputs("year-end", TAHUN, raw, maks_karantina_persen=20))
    assert not checks["pegawai.baris.ada"].lulus
    assert checks["pegawai.baris.ada"].diperiksa == 0
    assert "pegawai.nip.format" not in checks  # nothing to validate in an empty file
    assert checks["umpan_balik.baris.ada"].lulus
    assert not checks["perilaku.baris.ada"].lulus
    # Not required for plan collection:
    plan = by_kode(
        validate_inputs(
            "plan-collection",
            TAHUN,
            {"perilaku": raw_bersih()["perilaku"].iloc[0:0]},
            maks_karantina_persen=20,
        )
    )
    assert plan["perilaku.baris.ada"].lulus


def test_suites_carry_mostly_codes_and_descriptions():
    p = ParameterSuite(tahun=TAHUN, maks_karantina_persen=20, tahap="year-end")
    semua_kode = []
    for sheet, builder in SUITES.items():
        suite = builder(p)
        assert suite.expectations, sheet
        for e in suite.expectations:
            assert e.mostly == pytest.approx(0.8)
            assert e.meta["kode"].startswith(f"{sheet}.")
            assert e.meta["berkas"] == FILES[sheet].name
            assert e.meta["deskripsi"]
            semua_kode.append(e.meta["kode"])
    assert len(semua_kode) == len(set(semua_kode))


def test_frame_validasi_adds_missing_columns_and_numeric_helper():
    raw = raw_bersih()["survei_masyarakat"].drop(columns=["layanan"])
    raw.index = [10, 20]
    frame = frame_validasi("survei_masyarakat", raw)
    assert list(frame.index) == [0, 1]
    assert frame["layanan"].isna().all()
    assert frame["nilai_ikm__angka"].tolist() == [88.31, 25.0]


def karantina(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(
        rows,
        columns=["berkas", "baris", "kolom", "nilai", "kode_aturan", "alasan", "reason", "tahap"],
    )


def test_quarantine_share_check():
    q = karantina(
        [
            ("pegawai.csv", 5, "nip", "x", "nip.format", "format salah", "bad format", "validation"),
            ("pegawai.csv", 3, "nip", "y", "nip.format", "format salah", "bad format", "validation"),
            ("pegawai.csv", 5, "email", "z", "email.format", "email salah", "bad email", "validation"),
            ("pegawai.csv", 9, "nama", None, "nama.ada", "nama kosong", "name empty", "validation"),
            ("skp.csv", 2, "target", "0", "target.positif", "target 0", "target 0", "validation"),
        ]
    )
    checks = by_kode(
        quarantine_checks(q, {"pegawai": 10, "skp.csv": 10, "realisasi": 4}, maks_karantina_persen=20)
    )
    peg = checks["pegawai.karantina.porsi"]
    assert not peg.lulus and (peg.diperiksa, peg.gagal) == (10, 3)
    assert peg.sumber == "karantina"
    assert [(c["baris"], c["kolom"]) for c in peg.contoh] == [
        (5, "nip"),
        (5, "email"),
        (3, "nip"),
        (9, "nama"),
    ]
    assert set(peg.contoh[0]) == {"baris", "kolom", "nilai", "kode_aturan", "alasan"}
    assert peg.contoh[3]["nilai"] is None
    assert checks["skp.karantina.porsi"].lulus and checks["skp.karantina.porsi"].gagal == 1
    assert checks["realisasi.karantina.porsi"].lulus
    assert list(checks) == ["pegawai.karantina.porsi", "skp.karantina.porsi", "realisasi.karantina.porsi"]
    # Exactly at the threshold passes: 2 of 10 = 20%.
    dua = quarantine_checks(q[q["baris"] != 9], {"pegawai": 10}, maks_karantina_persen=20)
    assert by_kode(dua)["pegawai.karantina.porsi"].lulus


def test_relational_check():
    gagal = pd.DataFrame({"_baris": [4, 7], "nip": [NIP_B, NIP_C], "alasan": ["atasan tidak ada"] * 2})
    cek = relational_check("pegawai.nip_atasan.ada", "atasan terdaftar", gagal, 20, berkas="pegawai.csv")
    assert not cek.lulus and (cek.gagal, cek.diperiksa) == (2, 20)
    assert cek.sumber == "relasional" and cek.ambang == "tidak boleh ada"
    assert cek.contoh[0] == {"baris": 4, "nip": NIP_B, "alasan": "atasan tidak ada"}
    assert relational_check("x", "d", gagal, 20, ambang_persen=10).lulus
    assert not relational_check("x", "d", gagal, 19, ambang_persen=10).lulus
    info = relational_check("x", "d", gagal, 2, ambang_persen=None)
    assert info.lulus and info.ambang == "hanya dilaporkan"
    assert relational_check("x", "d", gagal.iloc[0:0], 0).lulus


def test_result_frame_and_summary():
    cek = relational_check("skp.kaskade", "kaskade", pd.DataFrame({"baris": [2]}), 5)
    ok = relational_check("skp.siklus", "tanpa siklus", pd.DataFrame({"baris": []}), 5)
    hasil = GateResult("year-end", TAHUN, [ok, cek])
    frame = hasil.to_frame()
    assert list(frame["kode"]) == ["skp.siklus", "skp.kaskade"]
    assert frame["lulus"].tolist() == [True, False]
    assert frame["persen_gagal"].tolist() == [0.0, 20.0]
    assert json.loads(frame.loc[1, "contoh"]) == [{"baris": 2}]
    assert (
        hasil.ringkas() == "GAGAL: 1 dari 2 pemeriksaan gagal: skp.kaskade (1 dari 5 baris, tidak boleh ada)"
    )
    assert GateResult("year-end", TAHUN, [ok]).ringkas().startswith("LULUS: 1 pemeriksaan")


def test_enforce_raises_gate_failed(tmp_path: Path):
    laporan = tmp_path / "gerbang_validation.html"
    buruk = GateResult("validation", TAHUN, [relational_check("a", "b", pd.DataFrame({"x": [1]}), 1)])
    with pytest.raises(GateFailed) as info:
        enforce(buruk, laporan)
    assert info.value.result is buruk
    assert info.value.report_path == laporan
    assert info.value.exit_code == 1
    assert "GAGAL" in str(info.value)
    enforce(GateResult("validation", TAHUN, []), laporan)  # a passing gate does not raise


def test_no_progress_bars(capfd):
    validate_inputs("year-end", TAHUN, raw_bersih(), maks_karantina_persen=15)
    out, err = capfd.readouterr()
    assert "Calculating Metrics" not in err + out
    assert "it/s" not in err


def test_context_is_reused_without_stale_results_or_kept_frames():
    import gc
    import weakref

    from expectations import gate

    buruk = pegawai_rows(10)
    buruk[0]["nip"] = "x"
    hasil = [
        by_kode(
            validate_inputs(
                "validation", TAHUN, {"pegawai": raw_frame("pegawai", rows)}, maks_karantina_persen=20
            )
        )["pegawai.nip.format"].gagal
        for rows in (pegawai_rows(10), buruk, pegawai_rows(10))
    ]
    assert hasil == [0, 1, 0]
    assert gate._konteks() is gate._konteks()
    frame = gate.frame_validasi("pegawai", raw_frame("pegawai", pegawai_rows(5)))
    ref = weakref.ref(frame)
    gate._jalankan_suite("pegawai", frame, ParameterSuite(TAHUN, 20, "validation"))
    del frame
    gc.collect()
    assert ref() is None  # GX does not keep the validated frame alive


def test_gx_is_imported_lazily_and_suites_build_without_a_context():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import expectations.gate, expectations.suites as s\n"
        "assert 'great_expectations' not in sys.modules\n"
        "suite = s.pegawai(s.ParameterSuite(2026, 20))\n"
        "print(len(suite.expectations))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert out.stdout.strip() == "9"


def test_identical_file_and_suite_are_validated_once_per_process(monkeypatch: pytest.MonkeyPatch):
    """A cycle validates the same files in several stages: same bytes + same suite -> same result, once."""
    import expectations.gate as gate

    runs: list[str] = []
    real = gate._jalankan_suite
    monkeypatch.setattr(gate, "_jalankan_suite", lambda sheet, frame, p: runs.append(sheet) or real(
        sheet, frame, p))
    monkeypatch.setattr(gate, "_HASIL_SUITE", {})
    rows = pegawai_rows(10)
    rows[3]["nip"] = "NIP-3"
    raw = {"pegawai": raw_frame("pegawai", rows), "unit_kerja": raw_bersih()["unit_kerja"]}
    sums = {"pegawai.csv": "a" * 64, "unit_kerja.csv": "b" * 64}

    first = validate_inputs("mid-year", TAHUN, raw, maks_karantina_persen=20, checksums=sums)
    assert sorted(runs) == ["pegawai", "unit_kerja"]
    by_kode(first)["pegawai.nip.format"].contoh.clear()  # a caller changing its copy changes nothing
    again = validate_inputs("mid-year", TAHUN, raw, maks_karantina_persen=20, checksums=sums)
    assert len(runs) == 2
    fresh = validate_inputs("mid-year", TAHUN, raw, maks_karantina_persen=20)  # no checksums: runs GX
    assert len(runs) == 4 and again == fresh
    assert [(c["baris"], c["nilai"]) for c in by_kode(again)["pegawai.nip.format"].contoh] == [(5, "NIP-3")]

    # another stage with the same pegawai suite reuses it; unit_kerja's year-end suite differs
    runs.clear()
    validate_inputs("validation", TAHUN, raw, maks_karantina_persen=20, checksums=sums)
    assert runs == []
    validate_inputs("year-end", TAHUN, raw, maks_karantina_persen=20, checksums=sums)
    assert runs == ["unit_kerja"]
    # changed bytes (another sha256) or another threshold: validated again
    changed = {**sums, "pegawai.csv": "c" * 64}
    validate_inputs("year-end", TAHUN, raw, maks_karantina_persen=20, checksums=changed)
    validate_inputs("year-end", TAHUN, raw, maks_karantina_persen=10, checksums=sums)
    assert runs == ["unit_kerja", "pegawai", "unit_kerja", "pegawai"]


def test_gx_does_not_fingerprint_the_frames(monkeypatch: pytest.MonkeyPatch):
    """GX's md5 of every frame (batch markers nobody reads) cost more than the suites on big files."""
    from great_expectations.execution_engine import pandas_execution_engine

    def refuse(_frame: object) -> str:
        raise AssertionError("frame fingerprinted")

    monkeypatch.setattr(pandas_execution_engine, "hash_pandas_dataframe", refuse)
    checks = validate_inputs("year-end", TAHUN, raw_bersih(), maks_karantina_persen=20)
    assert checks and all(c.lulus for c in checks)
