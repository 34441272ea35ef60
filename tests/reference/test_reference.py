"""Kinerja's domain functions against the independent reference (tests/reference/domain_reference.py).

Datasets (pegawai=250, clean, tahun 2026), each in the ',' dialect and in the ';' + decimal-comma
dialect:
- ``demo``: kinerja.demo.generator as generated;
- ``stress``: the same, mutated to reach the rules the demo data rarely reaches: every
  predikat_organisasi, indicators without realisasi or with no value after June, realisasi on
  band edges / far beyond the target, value means below 2.0, employees without a supervisor
  rating (some rescued by a rating_perilaku override, the rest unscorable), extra overrides,
  and trainings attended in the previous year.

Kinerja is called the way tasks/inputs.py load_inputs and the flows call it (read_inputs +
check_values per stage, then score_year_end / monitor_mid_year / recommend_trainings and the
to_*_csv converters); no Prefect.

The reference is run with Kinerja's documented reading of the points where DOMAIN.md can be
read two ways (``domain_reference.KINERJA_CHOICES``: population or sample standard deviation,
"already attended" in any year or this year); the reference's own reading agrees on both, and a
test shows that the sd reading matters. Rule 3 (20 JP) covering every employee in pegawai.csv,
scored or not, is DOMAIN.md's own rule, checked on the stress data (which has unscored employees).
"""
from __future__ import annotations

import csv
import io
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reference import domain_reference as ref
from tests.reference.compare import compare_rows
from tests.reference.to_semicolon import convert

pytestmark = pytest.mark.slow

TAHUN = 2026
PEGAWAI = 250
FILES = list(ref.COLUMNS)
ORG = ["Istimewa", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang"]


# ------------------------------------------------------------------------------ datasets
def _read(folder: Path, name: str):
    with open(folder / f"{name}.csv", encoding="utf-8-sig", newline="") as fh:
        r = csv.DictReader(fh)
        return list(r.fieldnames), list(r)


def _write(folder: Path, name: str, cols, rows) -> None:
    with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, cols, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def _stress(src: Path, dst: Path, seed: int = 3) -> None:
    rnd = random.Random(seed)
    shutil.copytree(src, dst)
    uc, units = _read(dst, "unit_kerja")
    for i, u in enumerate(units):
        u["predikat_organisasi"] = ORG[i % 5]
    _write(dst, "unit_kerja", uc, units)
    _, peg = _read(dst, "pegawai")
    _, skp = _read(dst, "skp")
    byid = {s["id_indikator"]: s for s in skp}
    rc, real = _read(dst, "realisasi")
    ids = sorted(byid)
    drop_all = set(rnd.sample(ids, len(ids) // 30))
    drop_late = set(rnd.sample(ids, len(ids) // 30))
    real = [r for r in real if r["id_indikator"] not in drop_all
            and not (r["id_indikator"] in drop_late and int(r["periode"][5:]) >= 7)]
    for r in real:
        s = byid[r["id_indikator"]]
        t = float(s["target"])
        if s["arah"] == "turun" and rnd.random() < 0.05:
            r["realisasi"] = repr(t * 3)
        if rnd.random() < 0.03:
            f = rnd.choice([0.9, 1.1, 0.7, 1.2, 0.8999, 1.0999])
            r["realisasi"] = repr(round(t * f if s["arah"] == "naik" else t * (2 - f), 6))
    _write(dst, "realisasi", rc, real)
    sup = {p["nip"]: p["nip_atasan"] for p in peg}
    prc, pr = _read(dst, "perilaku")
    victims = sorted(rnd.sample(sorted(n for n, a in sup.items() if a), len(peg) // 50))
    pr = [r for r in pr if not (r["nip"] in victims and r["nip_penilai"] == sup[r["nip"]])]
    for r in pr:
        if r["nip_penilai"] == sup.get(r["nip"]) and rnd.random() < 0.04:
            r[rnd.choice(["akuntabel", "loyal", "kompeten"])] = "1"
    _write(dst, "perilaku", prc, pr)
    oc, ov = _read(dst, "rating_atasan")
    have = {o["nip"] for o in ov}
    for p in rnd.sample(peg, 15):
        if p["nip"] not in have:
            ov.append({"nip": p["nip"], "alasan": "uji",
                       "rating_hasil_kerja": rnd.choice(["di_atas", "sesuai", "di_bawah", ""]),
                       "rating_perilaku": rnd.choice(["di_atas", "sesuai", "di_bawah"])})
    for n in victims[: len(victims) // 2]:
        if n not in have:
            ov.append({"nip": n, "rating_hasil_kerja": "", "rating_perilaku": "sesuai",
                       "alasan": "tanpa rating atasan"})
    _write(dst, "rating_atasan", oc, ov)
    # previous-year attendance of a training the reference would recommend for a gap
    recs = ref.run(str(dst), TAHUN)["rekomendasi_pelatihan.csv"]
    hc, hist = _read(dst, "riwayat_pelatihan")
    taken = set()
    for r in recs:
        if r["prioritas"] != "rendah" and r["nip"] not in taken and len(taken) < 6:
            taken.add(r["nip"])
            hist.append({"nip": r["nip"], "nama_pelatihan": r["nama_pelatihan"],
                         "kompetensi": r["kompetensi"], "tanggal": f"{TAHUN - 1}-06-15",
                         "jp": r["jp"].removesuffix(".00")})
    _write(dst, "riwayat_pelatihan", hc, hist)


@pytest.fixture(scope="module")
def datasets(tmp_path_factory) -> dict[tuple[str, str], Path]:
    root = tmp_path_factory.mktemp("reference")
    demo = root / "demo_koma"
    subprocess.run([sys.executable, "-m", "kinerja.demo.generator", str(demo), "--pegawai",
                    str(PEGAWAI), "--tahun", str(TAHUN), "--tanpa-baris-rusak"],
                   check=True, capture_output=True)
    stress = root / "stress_koma"
    _stress(demo, stress)
    out = {}
    for name, folder in (("demo", demo), ("stress", stress)):
        sc = root / f"{name}_titikkoma"
        convert(folder, sc)
        out[(name, "koma")] = folder
        out[(name, "titikkoma")] = sc
    return out


# ------------------------------------------------------------------------------ Kinerja
def _csv_text(frame) -> str:
    buf = io.StringIO()
    frame.to_csv(buf, index=False, lineterminator="\n", na_rep="")  # as contract.output.write_csv
    return buf.getvalue()


def kinerja_csvs(input_dir: Path) -> dict[str, str]:
    """The four contract CSVs as Kinerja's stages produce them (no Prefect, no database)."""
    from contract.reader import read_inputs
    from contract.values import check_values
    from penilaian.monitoring import monitor_mid_year, to_pemantauan_csv
    from penilaian.ruleset import load_ruleset
    from penilaian.training import recommend_trainings, to_rekomendasi_csv
    from penilaian.year_end import score_year_end, to_bias_penilai_csv, to_hasil_penilaian_csv
    from stages import registry

    rules = load_ruleset(None)

    def frames(tahap):
        required, optional = registry.get(tahap).required, registry.get(tahap).optional
        raw, read_q = read_inputs(input_dir, required, optional)
        fr, karantina, _warn = check_values(raw, TAHUN, tahap)
        assert read_q.empty and karantina.empty, f"clean data quarantined in {tahap}"
        return fr

    mid = monitor_mid_year(frames("mid-year"), rules, TAHUN)
    ye = score_year_end(frames("year-end"), rules, TAHUN)
    fr_tr = frames("training")
    tr = recommend_trainings(score_year_end(fr_tr, rules, TAHUN), fr_tr, rules, TAHUN)
    return {
        "hasil_penilaian.csv": _csv_text(to_hasil_penilaian_csv(ye)),
        "bias_penilai.csv": _csv_text(to_bias_penilai_csv(ye)),
        "pemantauan_tengah_tahun.csv": _csv_text(to_pemantauan_csv(mid)),
        "rekomendasi_pelatihan.csv": _csv_text(to_rekomendasi_csv(tr)),
    }


@pytest.fixture(scope="module")
def kinerja(datasets) -> dict[tuple[str, str], dict[str, str]]:
    return {key: kinerja_csvs(folder) for key, folder in datasets.items()}


def _rows(text: str):
    return list(csv.DictReader(io.StringIO(text)))


def _differences(name: str, reference_rows, kinerja_text: str):
    lines: list[str] = []
    counts = compare_rows(name, reference_rows, _rows(kinerja_text), out=lines.append)
    return counts, lines


KEYS = [(d, v) for d in ("demo", "stress") for v in ("koma", "titikkoma")]


# ------------------------------------------------------------------------------ tests
@pytest.mark.parametrize("dataset", ["demo", "stress"])
def test_kinerja_same_output_for_both_dialects(kinerja, dataset):
    a, b = kinerja[(dataset, "koma")], kinerja[(dataset, "titikkoma")]
    for name in FILES:
        assert a[name] == b[name], f"{name} differs between ',' and ';' inputs"


@pytest.mark.parametrize("dataset", ["demo", "stress"])
def test_reference_same_output_for_both_dialects(datasets, dataset):
    a = ref.run(str(datasets[(dataset, "koma")]), TAHUN)
    b = ref.run(str(datasets[(dataset, "titikkoma")]), TAHUN)
    for name in FILES:
        assert a[name] == b[name]


@pytest.mark.parametrize("key", KEYS, ids=lambda k: "-".join(k))
@pytest.mark.parametrize("name", FILES)
def test_matches_reference(datasets, kinerja, key, name):
    """Identical CSV content, with Kinerja's reading of the listed ambiguities.

    Free-text reasons (alasan_kalibrasi, alasan) are compared as empty / non-empty; row order
    is compared for hasil_penilaian.csv only (FORMATS.md fixes only that order).
    """
    outputs = ref.run(str(datasets[key]), TAHUN, **ref.KINERJA_CHOICES)
    counts, lines = _differences(name, outputs[name], kinerja[key][name])
    assert not counts, "\n".join(lines[:40])
    if name == "hasil_penilaian.csv":
        # everything but the free-text column is byte-identical
        strip = [{k: v for k, v in r.items() if k != "alasan_kalibrasi"}
                 for r in _rows(kinerja[key][name])]
        assert strip == [{k: v for k, v in r.items() if k != "alasan_kalibrasi"}
                         for r in outputs[name]]
        assert kinerja[key][name].splitlines()[0] == ",".join(ref.COLUMNS[name])


def _own_reading_differs(datasets, kinerja, key, name, **option):
    opts = dict(ref.KINERJA_CHOICES, **option)
    outputs = ref.run(str(datasets[key]), TAHUN, **opts)
    counts, lines = _differences(name, outputs[name], kinerja[key][name])
    assert not counts, "\n".join(lines[:20])


def test_sample_sd_reading_gives_different_bias(datasets, kinerja):
    """The sd reading matters (so the ruleset makes it explicit): sample sd would change results."""
    with pytest.raises(AssertionError):
        _own_reading_differs(datasets, kinerja, ("demo", "koma"), "bias_penilai.csv", sd="sample")


def test_training_brings_every_employee_to_20_jp_scored_or_not(datasets, kinerja):
    """DOMAIN.md rule 3 covers every employee in pegawai.csv (Pasal 203 binds every PNS); rules 1-2
    need a score, so an unscored employee gets only `rendah` (20 JP) recommendations."""
    key = ("stress", "koma")
    outputs = ref.run(str(datasets[key]), TAHUN, **ref.OWN)
    unscored = set(outputs["_unscorable"])
    assert unscored, "the stress data must hold employees that cannot be scored"
    rows = _rows(kinerja[key]["rekomendasi_pelatihan.csv"])
    for_unscored = [r for r in rows if r["nip"] in unscored]
    assert {r["nip"] for r in for_unscored} == {r["nip"] for r in outputs["rekomendasi_pelatihan.csv"]
                                               if r["nip"] in unscored} != set()
    assert {r["prioritas"] for r in for_unscored} == {"rendah"}
    counts, lines = _differences("rekomendasi_pelatihan.csv", outputs["rekomendasi_pelatihan.csv"],
                                 kinerja[key]["rekomendasi_pelatihan.csv"])
    assert not counts, "\n".join(lines[:20])
