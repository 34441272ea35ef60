"""Properties that must hold for every input, checked with hypothesis (derandomized: CI is deterministic).

(a) any bytes as pegawai.csv / skp.csv end in InputUnreadable or a result, never another exception;
(b) capaian is monotonic in realisasi (up for naik, down for turun) and stays in [0, cap];
(c) calibration only moves predikat down, satisfies every "<=" rule in units of >= 5, and every ">="
    rule unless nobody better than the group is left;
(d) year-end scoring does not depend on the order of the input rows.
"""

from __future__ import annotations

import math
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contract.karantina import KARANTINA_COLUMNS
from contract.reader import read_inputs
from contract.schema import BERAKHLAK, PREDIKAT, PREDIKAT_ORGANISASI
from contract.values import check_values
from kinerja.errors import InputUnreadable
from penilaian.capaian import capaian
from penilaian.kurva import kalibrasi_kurva, peringkat_unit
from penilaian.ruleset import load_ruleset
from penilaian.year_end import score_year_end
from tests.penilaian.input_frames import frame
from tests.support.console import quiet_prefect_console

BASE = Path(__file__).resolve().parents[1] / "data" / "bad" / "_base"
TAHUN = 2026
RULESET = load_ruleset()
FAST = settings(derandomize=True, max_examples=60, deadline=None, database=None)
pytestmark = pytest.mark.slow  # hundreds of generated inputs through the reader and the scoring

# ---------------------------------------------------------------- (a) hostile bytes

_CSV_ALPHABET = st.sampled_from(
    [",", ";", '"', "\n", "\r\n", " ", "\t", "0", "1", "9", "2026", "-", ".", "é", "\ufeff", "\x00",
     "198001012005011001", "U01", "nip", "kode_unit", "utama", "naik", "IK01U", "1.234,5"]
)
_HEADERS = {
    "pegawai.csv": "nip,nama,kode_unit,jabatan,jenis_jabatan,nip_atasan,email",
    "skp.csv": "id_indikator,nip,tahun,rencana_hasil_kerja,indikator,aspek,target,satuan,arah,jenis,"
               "id_indikator_atasan,kompetensi",
}


@st.composite
def csv_like(draw: st.DrawFn, berkas: str) -> bytes:
    """A real header (sometimes in the ';' dialect) followed by random CSV-ish text."""
    header = _HEADERS[berkas]
    if draw(st.booleans()):
        header = header.replace(",", ";")
    body = "".join(draw(st.lists(_CSV_ALPHABET, max_size=80)))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-8", "cp1252", "utf-16"]))
    return (header + "\n" + body).encode(encoding, errors="replace")


def _hostile(berkas: str) -> st.SearchStrategy[bytes]:
    return st.one_of(st.binary(max_size=600), csv_like(berkas))


def _read_and_check(folder: Path) -> None:
    """Reader + value rules on a folder; a result must be self-consistent when there is one."""
    try:
        raw, read_q = read_inputs(folder, ("unit_kerja", "pegawai", "skp"))
    except InputUnreadable as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    frames, karantina, peringatan = check_values(raw, TAHUN, "plan-collection")
    assert list(karantina.columns) == KARANTINA_COLUMNS
    assert list(read_q.columns) == KARANTINA_COLUMNS
    for sheet, clean in frames.items():
        quarantined = set(karantina.loc[karantina["berkas"] == f"{sheet}.csv", "baris"])
        assert not quarantined & set(clean["_baris"])
        assert len(clean) + len(quarantined) == len(raw[sheet])


@pytest.mark.parametrize("berkas", ["pegawai.csv", "skp.csv"])
def test_any_bytes_are_read_or_refused(berkas: str) -> None:
    @FAST
    @given(data=_hostile(berkas))
    def check(data: bytes) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            for name in ("unit_kerja.csv", "pegawai.csv", "skp.csv"):
                shutil.copyfile(BASE / name, folder / name)
            (folder / berkas).write_bytes(data)
            _read_and_check(folder)

    check()


@pytest.mark.usefixtures("prefect_harness")
def test_any_bytes_through_the_command_line(monkeypatch: pytest.MonkeyPatch, capfd) -> None:
    """Few examples, the whole stage: exit 0, 1 or 2 with a message, never a traceback."""
    import sys

    from prefect.settings import PREFECT_API_URL

    from kinerja import cli as cli_module

    monkeypatch.setenv("PREFECT_API_URL", str(PREFECT_API_URL.value()))
    quiet_prefect_console(monkeypatch)

    @settings(derandomize=True, max_examples=4, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(data=_hostile("pegawai.csv"))
    def check(data: bytes) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "input"
            folder.mkdir()
            for name in ("unit_kerja.csv", "pegawai.csv", "skp.csv"):
                shutil.copyfile(BASE / name, folder / name)
            (folder / "pegawai.csv").write_bytes(data)
            monkeypatch.setattr(sys, "argv", [
                "kinerja", "run", "plan-collection", "--tahun", str(TAHUN), "--input", str(folder),
                "--output", str(Path(tmp) / "output"), "--db", f"sqlite:///{Path(tmp) / 'k.db'}"])
            capfd.readouterr()
            try:
                cli_module.main()
                status = 0
            except SystemExit as exc:
                status = exc.code
            out, err = capfd.readouterr()
            assert status in (0, 1, 2), err
            assert "Traceback" not in out + err
            if status:
                assert err.strip()

    check()


# ---------------------------------------------------------------- (b) capaian

_ANGKA = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)


@FAST
@given(
    target=st.floats(min_value=1e-3, max_value=1e6, allow_nan=False),
    realisasi=st.lists(_ANGKA, min_size=2, max_size=30),
    arah=st.sampled_from(["naik", "turun"]),
)
def test_capaian_is_monotonic_and_bounded(target: float, realisasi: list[float], arah: str) -> None:
    batas = RULESET.capaian.batas_atas
    r = pd.Series(sorted(realisasi), dtype="float64")
    nilai = capaian(r, pd.Series(target, index=r.index), pd.Series(arah, index=r.index, dtype="str"),
                    batas).to_numpy()
    assert ((nilai >= 0) & (nilai <= batas)).all()
    steps = np.diff(nilai)
    assert (steps >= 0).all() if arah == "naik" else (steps <= 0).all()


def test_capaian_without_realisasi_is_zero() -> None:
    r = pd.Series([np.nan, 5.0])
    nilai = capaian(r, pd.Series([10.0, 10.0]), pd.Series(["turun", "turun"], dtype="str"), 120)
    assert nilai.tolist() == [0.0, 120.0]


# ---------------------------------------------------------------- (c) calibration


@st.composite
def units(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame]:
    """1-3 units, each with a predikat_organisasi and 1-14 scored employees."""
    rows, unit_rows, i = [], [], 0
    for u in range(draw(st.integers(1, 3))):
        kode = f"U{u}"
        unit_rows.append({"kode_unit": kode, "nama_unit": kode, "kode_instansi": "I1", "nama_instansi": "I1",
                          "predikat_organisasi": draw(st.sampled_from(PREDIKAT_ORGANISASI))})
        for _ in range(draw(st.integers(1, 14))):
            i += 1
            rows.append({
                "nip": f"199001012015011{i:03d}", "kode_unit": kode,
                "capaian_hasil_kerja": draw(st.sampled_from([60.0, 85.0, 90.0, 100.0, 110.0, 120.0])),
                "nilai_perilaku": draw(st.sampled_from([2.5, 3.0, 3.5, 4.0, 4.5])),
                "predikat": draw(st.sampled_from(PREDIKAT)),
            })
    return pd.DataFrame(rows), frame("unit_kerja", unit_rows)


@FAST
@given(data=units())
def test_calibration_only_moves_down_and_meets_the_curve(data) -> None:
    hasil, unit_kerja = data
    kurva = RULESET.kurva
    final, _, _ = kalibrasi_kurva(peringkat_unit(hasil), unit_kerja, kurva)
    urutan = {p: i for i, p in enumerate(PREDIKAT)}
    before = final["predikat"].map(urutan)
    after = final["predikat_final"].map(urutan)
    assert (after >= before).all()
    assert ((after > before) == (final["alasan_kalibrasi"] != "")).all()
    org = unit_kerja.set_index("kode_unit")["predikat_organisasi"]
    for kode, staff in final.groupby("kode_unit"):
        n = len(staff)
        if n < kurva.min_pegawai:
            assert (staff["predikat_final"] == staff["predikat"]).all()
            continue
        counts = staff["predikat_final"].value_counts()
        for batasan in kurva.aturan.get(org[kode], ()):
            in_group = int(sum(counts.get(p, 0) for p in batasan.kelompok))
            if batasan.op == "<=":
                allowed = batasan.jumlah if batasan.jumlah is not None else math.floor(
                    round(batasan.persen * n / 100, 9))
                assert in_group <= allowed, (kode, batasan)
            else:
                required = batasan.jumlah if batasan.jumlah is not None else math.ceil(
                    round(batasan.persen * n / 100, 9))
                best = urutan[batasan.kelompok[0]]
                better = int((staff["predikat_final"].map(urutan) < best).sum())
                assert in_group >= required or better == 0, (kode, batasan)


# ---------------------------------------------------------------- (d) row order


@st.composite
def inputs(draw: st.DrawFn) -> dict[str, pd.DataFrame]:
    """A small instansi: a head, two unit heads under it, staff under them; SKP, realisations, ratings."""
    n = draw(st.integers(3, 12))
    nips = [f"198501012010011{i:03d}" for i in range(1, n + 1)]
    units = [{"kode_unit": k, "nama_unit": k, "kode_instansi": "I1", "nama_instansi": "I1",
              "predikat_organisasi": draw(st.sampled_from(PREDIKAT_ORGANISASI))} for k in ("A", "B")]
    pegawai, skp, realisasi, perilaku = [], [], [], []
    for i, nip in enumerate(nips):
        atasan = None if i == 0 else nips[0] if i in (1, 2) else nips[1 + i % 2]
        unit = "A" if i == 0 else "AB"[i % 2 if i > 2 else i - 1]
        pegawai.append({"nip": nip, "nama": f"P{i}", "kode_unit": unit, "jabatan": "x",
                        "jenis_jabatan": "pimpinan_tinggi" if i == 0 else "pelaksana", "nip_atasan": atasan})
        for j in range(draw(st.integers(0 if i > 2 else 1, 3))):
            ident = f"K{i}_{j}"
            arah = draw(st.sampled_from(["naik", "turun"]))
            skp.append({"id_indikator": ident, "nip": nip, "tahun": TAHUN, "rencana_hasil_kerja": "r",
                        "indikator": "i", "aspek": "kuantitas", "target": float(draw(st.integers(1, 50))),
                        "satuan": "s", "arah": arah, "jenis": draw(st.sampled_from(["utama", "tambahan"]))})
            for bulan in sorted(draw(st.sets(st.integers(1, 12), max_size=3))):
                realisasi.append({"id_indikator": ident, "periode": f"{TAHUN}-{bulan:02d}",
                                  "realisasi": float(draw(st.integers(0, 70)))})
        if atasan is not None:
            for semester in sorted(draw(st.sets(st.integers(1, 2), max_size=2))):
                values = {v: draw(st.integers(1, 5)) for v in BERAKHLAK}
                periode = f"{TAHUN}-S{semester}"
                perilaku.append({"nip": nip, "nip_penilai": atasan, "periode": periode, **values})
    rating = [{"nip": nips[0], "rating_perilaku": "sesuai", "alasan": "PPK"}]
    return {"unit_kerja": frame("unit_kerja", units), "pegawai": frame("pegawai", pegawai),
            "skp": frame("skp", skp), "realisasi": frame("realisasi", realisasi),
            "perilaku": frame("perilaku", perilaku), "rating_atasan": frame("rating_atasan", rating)}


@settings(derandomize=True, max_examples=25, deadline=None, database=None)
@given(frames=inputs(), seed=st.integers(0, 2**32 - 1))
def test_scoring_does_not_depend_on_row_order(frames: dict[str, pd.DataFrame], seed: int) -> None:
    rng = np.random.default_rng(seed)
    shuffled = {k: v.iloc[rng.permutation(len(v))].reset_index(drop=True) for k, v in frames.items()}
    a = score_year_end(frames, RULESET, TAHUN)
    b = score_year_end(shuffled, RULESET, TAHUN)
    for name in ("hasil", "indikator", "tidak_dinilai", "kurva"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), obj=name)
    pd.testing.assert_frame_equal(a.bias.reset_index(drop=True), b.bias.reset_index(drop=True), obj="bias")
