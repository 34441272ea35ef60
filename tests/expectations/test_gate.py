"""validate_inputs: every present file's GX suite, row presence per stage, suite results reused
through the process cache."""

from __future__ import annotations

import pytest

from contract.schema import FILES, PREDIKAT_ORGANISASI
from expectations.gate import validate_inputs
from expectations.results import GateResult
from stages import registry
from stages.cache import ProcessCache
from tests.expectations.raw import TAHUN, by_kode, pegawai_rows, raw_bersih, raw_frame


def test_clean_frames_pass_every_suite(cache):
    checks = validate_inputs("year-end", TAHUN, raw_bersih(), maks_karantina_persen=20, cache=cache)
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


def test_half_bad_nips_fail_with_counts_and_line_numbers(cache):
    rows = pegawai_rows(10)
    for i in (1, 3, 5, 7, 9):
        rows[i]["nip"] = f"NIP-{i}"
    checks = validate_inputs(
        "validation", TAHUN, {"pegawai": raw_frame("pegawai", rows)}, maks_karantina_persen=20,
        cache=cache,
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


def test_one_bad_row_in_100_passes_but_is_counted(cache):
    rows = pegawai_rows(100)
    rows[41]["jenis_jabatan"] = "bos"
    rows[77]["nama"] = None
    checks = by_kode(
        validate_inputs(
            "validation", TAHUN, {"pegawai": raw_frame("pegawai", rows)}, maks_karantina_persen=20,
            cache=cache,
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


def test_duplicate_keys_and_year_and_ranges(cache):
    raw = raw_bersih()
    skp = raw["skp"]
    skp.loc[2, "id_indikator"] = "K1"
    skp.loc[1, "tahun"] = "2025"
    skp.loc[0, "target"] = "0"
    survei = raw["survei_masyarakat"]
    survei.loc[1, "nilai_ikm"] = "100,5"
    survei.loc[0, "periode"] = "2025-02"
    checks = by_kode(validate_inputs("validation", TAHUN, raw, maks_karantina_persen=20, cache=cache))
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
def test_target_positive_number_regex(target: str, sah: bool, cache):
    raw = raw_bersih()
    raw["skp"].loc[0, "target"] = target
    checks = validate_inputs("validation", TAHUN, {"skp": raw["skp"]}, maks_karantina_persen=20, cache=cache)
    cek = by_kode(checks)["skp.target.format"]
    assert (cek.gagal == 0) is sah


def test_berakhlak_values_and_semester(cache):
    raw = raw_bersih()
    raw["perilaku"].loc[0, "kompeten"] = "6"
    raw["perilaku"].loc[1, "periode"] = "2026-S3"
    checks = by_kode(
        validate_inputs(
            "year-end", TAHUN, {"perilaku": raw["perilaku"]}, maks_karantina_persen=20, cache=cache
        )
    )
    assert checks["perilaku.kompeten.format"].contoh[0]["baris"] == 2
    assert checks["perilaku.periode.format"].contoh[0]["nilai"] == "2026-S3"
    assert checks["perilaku.akuntabel.format"].gagal == 0


def test_empty_or_missing_required_file_fails_and_empty_optional_passes(cache):
    raw = raw_bersih()
    raw["pegawai"] = raw["pegawai"].iloc[0:0]
    raw["umpan_balik"] = raw["umpan_balik"].iloc[0:0]
    del raw["perilaku"]
    checks = by_kode(validate_inputs("year-end", TAHUN, raw, maks_karantina_persen=20, cache=cache))
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
            cache=cache,
        )
    )
    assert plan["perilaku.baris.ada"].lulus


def test_no_progress_bars(capfd, cache):
    validate_inputs("year-end", TAHUN, raw_bersih(), maks_karantina_persen=15, cache=cache)
    out, err = capfd.readouterr()
    assert "Calculating Metrics" not in err + out
    assert "it/s" not in err


def test_gx_does_not_fingerprint_the_frames(monkeypatch: pytest.MonkeyPatch, cache):
    """GX's md5 of every frame (batch markers nobody reads) cost more than the suites on big files."""
    from great_expectations.execution_engine import pandas_execution_engine

    def refuse(_frame: object) -> str:
        raise AssertionError("frame fingerprinted")

    monkeypatch.setattr(pandas_execution_engine, "hash_pandas_dataframe", refuse)
    checks = validate_inputs("year-end", TAHUN, raw_bersih(), maks_karantina_persen=20, cache=cache)
    assert checks and all(c.lulus for c in checks)


@pytest.mark.parametrize("tahap", registry.names())
def test_files_that_must_hold_rows_are_the_stages_own(tahap: str, cache):
    """An empty file stops a stage exactly when the registry says the stage needs its rows."""
    kosong = {sheet: frame.iloc[0:0] for sheet, frame in raw_bersih().items()}
    checks = by_kode(validate_inputs(tahap, TAHUN, kosong, maks_karantina_persen=20, cache=cache))
    gagal = {kode.removesuffix(".baris.ada") for kode, c in checks.items() if not c.lulus}
    assert gagal == set(registry.get(tahap).must_have_rows)
    assert len(checks) == len(FILES)  # nothing but the row checks on empty files
    with pytest.raises(KeyError):
        validate_inputs("year_end", TAHUN, kosong, maks_karantina_persen=20, cache=cache)


def test_identical_file_and_suite_are_validated_once_per_process(monkeypatch: pytest.MonkeyPatch):
    """A cycle validates the same files in several stages: same bytes + same suite -> same result, once."""
    import expectations.gate as gate

    runs: list[str] = []
    real = gate.run_suite
    monkeypatch.setattr(gate, "run_suite", lambda cache, sheet, frame, p: runs.append(sheet) or real(
        cache, sheet, frame, p))
    cache = ProcessCache(read_budget_bytes=0)
    rows = pegawai_rows(10)
    rows[3]["nip"] = "NIP-3"
    raw = {"pegawai": raw_frame("pegawai", rows), "unit_kerja": raw_bersih()["unit_kerja"]}
    sums = {"pegawai.csv": "a" * 64, "unit_kerja.csv": "b" * 64}

    def validate(tahap: str, checksums: dict | None = sums, maks: float = 20) -> list:
        return validate_inputs(tahap, TAHUN, raw, maks_karantina_persen=maks, cache=cache,
                               checksums=checksums)

    first = validate("mid-year")
    assert sorted(runs) == ["pegawai", "unit_kerja"]
    by_kode(first)["pegawai.nip.format"].contoh.clear()  # a caller changing its copy changes nothing
    again = validate("mid-year")
    assert len(runs) == 2
    fresh = validate("mid-year", checksums=None)  # no checksums: runs GX
    assert len(runs) == 4 and again == fresh
    assert [(c["baris"], c["nilai"]) for c in by_kode(again)["pegawai.nip.format"].contoh] == [(5, "NIP-3")]

    # another stage with the same pegawai suite reuses it; unit_kerja's year-end suite differs
    runs.clear()
    validate("validation")
    assert runs == []
    validate("year-end")
    assert runs == ["unit_kerja"]
    # changed bytes (another sha256) or another threshold: validated again
    validate("year-end", checksums={**sums, "pegawai.csv": "c" * 64})
    validate("year-end", maks=10)
    assert runs == ["unit_kerja", "pegawai", "unit_kerja", "pegawai"]
    # a file read from the workbook is known by the workbook's sha256
    runs.clear()
    validate("year-end", checksums={"KINERJA.xlsx": "d" * 64})
    validate("year-end", checksums={"kinerja.xlsx": "d" * 64})
    assert sorted(runs) == ["pegawai", "unit_kerja"]


def test_suite_results_live_in_the_process_cache(monkeypatch: pytest.MonkeyPatch):
    """The reuse is the cache object's, not the module's: the same cache skips GX, a fresh one runs it."""
    from great_expectations.core.validation_definition import ValidationDefinition

    runs: list[str] = []
    real = ValidationDefinition.run
    monkeypatch.setattr(ValidationDefinition, "run",
                        lambda self, **kw: runs.append(self.name) or real(self, **kw))
    raw = {"pegawai": raw_frame("pegawai", pegawai_rows(5))}
    sums = {"pegawai.csv": "e" * 64}

    def validate(cache: ProcessCache) -> list:
        return validate_inputs("validation", TAHUN, raw, maks_karantina_persen=20, cache=cache,
                               checksums=sums)

    cache = ProcessCache(read_budget_bytes=0)
    first = validate(cache)
    assert len(runs) == 1 and len(cache.suite_results) == 1
    key = next(iter(cache.suite_results))
    assert key[:3] == ("pegawai", "e" * 64, 5) and key[3] in cache.suite_fingerprints.values()
    assert validate(cache) == first and len(runs) == 1  # same cache, same sha256: GX not run again

    other = ProcessCache(read_budget_bytes=0)
    assert validate(other) == first and len(runs) == 2  # a fresh cache knows nothing: GX runs
    assert other.gx["context"] is not cache.gx["context"]
    assert validate(cache) == first and len(runs) == 2  # the first cache still holds its result


@pytest.mark.parametrize("tahap", registry.names())
def test_every_input_check_says_what_it_checks_in_english_and_how_to_fix_it(tahap: str, cache):
    from expectations.checks import quarantine_checks

    checks = validate_inputs(tahap, TAHUN, raw_bersih(), maks_karantina_persen=20, cache=cache)
    checks += quarantine_checks(None, {sheet: 3 for sheet in FILES}, maks_karantina_persen=20)
    for c in checks:
        assert c.description and c.description != c.deskripsi, c.kode
        # the fix names the file to change and ends with running the stage again
        assert c.berkas in c.perbaikan and c.berkas in c.fix, c.kode
        assert "jalankan ulang tahap" in c.perbaikan and "re-run the stage" in c.fix, c.kode


def test_a_missing_predikat_says_which_file_and_values_to_fill_in(cache):
    units = raw_bersih()["unit_kerja"].copy()
    units.loc[0, "predikat_organisasi"] = None
    checks = validate_inputs("year-end", TAHUN, {"unit_kerja": units}, maks_karantina_persen=0, cache=cache)
    cek = by_kode(checks)["unit_kerja.predikat_organisasi.ada"]
    assert not cek.lulus and [c["baris"] for c in cek.contoh] == [2]
    pilihan = ", ".join(PREDIKAT_ORGANISASI)
    assert cek.perbaikan.startswith(f"isi predikat_organisasi ({pilihan}) untuk unit ")
    assert "unit_kerja.csv" in cek.perbaikan
    assert cek.fix.startswith(f"fill in predikat_organisasi ({pilihan}) ")
    assert cek.description == "predikat_organisasi is required"
