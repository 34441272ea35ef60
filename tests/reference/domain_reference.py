"""Independent reference implementation of the Kinerja domain rules.

Written from /work/shared/DOMAIN.md and /work/shared/FORMATS.md only, deliberately
simple: plain Python, the csv module (openpyxl only to read a kinerja.xlsx input), exact
``Fraction`` arithmetic (``Decimal`` with high precision only where a square root is
needed), row by row.  Clean inputs only (no quarantine of bad rows beyond the "cannot be
scored" rule), except keberatan.csv and angka_kredit.csv, whose rules are the point of the
objection stage and of the angka kredit conversion and are all implemented (see below).

Choices made where the text leaves room (see the report for the full list):
- standard deviations (instansi and rater) are POPULATION sd (ddof = 0): "the
  instansi's mean and standard deviation" describes the whole set of the instansi's
  employees, it is not an estimate from a sample;
- "rated at least 5 employees" counts distinct employees that have a supervisor
  rating from this rater in the year (i.e. employees with a nilai_perilaku given by
  them); the instansi mean/sd are over all employees of the instansi having a
  nilai_perilaku;
- banding and ranking use the exact (unrounded) values; rounding happens only when
  writing CSVs;
- calibration constraints are applied sequentially; each sees the moves made by the
  earlier ones;
- an employee without nilai_perilaku (rating_perilaku from an override) ranks after
  every employee with a nilai_perilaku at equal capaian (treated as -infinity);
- training: rule 3 (20 JP) covers every employee in pegawai.csv, scored or not (DOMAIN.md:
  Pasal 203 binds every PNS); rules 1-2 need a score.  The JP toward 20 = JP attended in
  ``tahun`` + JP of the trainings recommended by rules 1-2; further trainings are the
  shortest first (tie: kode_pelatihan);
  "already attended" = nama_pelatihan appears in the employee's riwayat (any year);
  one row per (nip, kode_pelatihan): first reason wins, priority = highest.

Keberatan (objection), written from DOMAIN.md "Keberatan" and FORMATS.md only:
- keberatan.csv is optional; no file (or no row) = no objection, and then
  predikat_ditetapkan = predikat_final for everyone.  Rows are tracked by their physical
  line (1-based, header = 1) so that the set-aside rows can be compared with karantina.csv.
- rules, each checked on every row (a row is set aside once per rule it breaks, i.e. one
  (line, rule) per broken rule; the comparison uses the set of lines):
  ``tahun`` (tahun is not the run's year), ``tanggal`` (a date that is not YYYY-MM-DD),
  ``keputusan`` (not diterima/ditolak), ``rating`` (a rating_*_baru outside the vocabulary),
  ``pengajuan_sebelum_terima``, ``keputusan_sebelum_pengajuan``,
  ``diterima_tanpa_rating`` (diterima with both rating_*_baru empty),
  ``tidak_dinilai`` (nip not scored that year, including a nip not in pegawai.csv),
  ``tanpa_atasan`` (the employee has no supervisor), ``terlambat``
  (tanggal_pengajuan - tanggal_terima > 14 calendar days; exactly 14 is in time),
  ``pemutus`` (nip_pemutus is not the supervisor's supervisor; where the supervisor has
  no supervisor in pegawai.csv it must be empty);
  then ``kedua`` (second objection) among the rows that passed every rule above: per nip
  the earliest tanggal_pengajuan wins, on the same day the earlier line; every other row of
  that nip is set aside.  A row set aside for another reason does not count as the
  employee's objection (a quarantined row is out of the data), so a valid row after an
  invalid one stands.  A row that is a "second" objection and also breaks another rule is
  set aside for that other rule only.  (Option ``second="checked"``: only the row's own
  value rules take a row out of the count; a first row that is late, unscored, without
  supervisor or with a wrong decider still makes every later row a second objection.)
- the supervisor is pegawai.csv's nip_atasan of the employee (the Pejabat Penilai
  Kinerja), not whoever rated behaviour.
- ditolak: predikat_ditetapkan = predikat_final; rating_*_baru given with ditolak are
  ignored.  keberatan_hasil.csv's rating_hasil_kerja_baru / rating_perilaku_baru show the
  ratings that STAND after the decision: for diterima the new rating where given and the
  old one where not; for ditolak the old ones.
- diterima: the given rating(s) replace the year-end rating(s) (rating_*_lama = the
  year-end ratings after supervisor overrides); predikat_ditetapkan = the matrix of the
  standing ratings, even where it equals the pre-curve predikat of an employee the curve
  had moved (the curve is not applied again; nobody else moves).
- hasil_penilaian_akhir.csv: the year-end columns unchanged (the year-end record), plus
  keberatan = ya for an employee with a decided (not set aside) objection, whether
  diterima or ditolak, else tidak, plus predikat_ditetapkan.
- training after the objection stage uses the STANDING ratings for the rule 1-2
  priorities (rating_perilaku di_bawah / rating_hasil_kerja di_bawah -> tinggi); value
  means and capaian are unchanged (option ``training_ratings="year_end"`` keeps the
  year-end ratings instead).
- unit curve flag: for every unit with at least one decided objection, whether the
  standing distribution (predikat_ditetapkan) still meets every constraint of the unit's
  curve (same counts as calibration: floor for "<=", ceil / 1 for ">="), whatever its size.

Angka kredit (credit points of functional officials), written from DOMAIN.md "Angka kredit"
and FORMATS.md only (function ``angka_kredit``):
- angka_kredit.csv is optional (no file / no row: angka_kredit_hasil.csv has only its
  header); ``bulan`` is optional (column absent or cell empty = 12).  Rows tracked by their
  physical line, as keberatan.csv.  Input from kinerja.xlsx (sheet ``angka_kredit``) when
  there is no CSV (this holds for every file the reference reads; baris = the sheet's row).
- rules, each checked on every row (one (line, rule) per broken rule): ``nip_tidak_ada``
  (nip not in pegawai.csv), ``bukan_fungsional`` (jenis_jabatan is not ``fungsional``),
  ``jenjang`` (outside the eight), ``golongan`` (outside II/a ... IV/e: II/a-d, III/a-d,
  IV/a-e), ``golongan_jenjang`` (a valid golongan outside the jenjang's range; checked only
  when both are valid), ``ak_awal`` (empty, not a number, or < 0; 0 is allowed),
  ``bulan`` (not a whole number 1-12); then ``duplikat`` and ``tanpa_predikat`` (a JF row
  whose nip has no standing predikat, i.e. is not scored: no AK, listed in karantina).
- duplicates (FORMATS.md: one row per functional official; DOMAIN.md is silent): own
  reading ``dup="later_valid"``: among the rows that pass every row rule, the first line of a
  nip stands and every later line is set aside as ``duplikat`` (a quarantined row is out of
  the data, so a corrected row after a bad one stands; a later row that also breaks another
  rule is set aside for that rule only).  Options ``"later"`` (the first line of a nip in the
  file stands whatever became of it) and ``"all"`` (every row of a repeated nip).
- ``ak_tahun = Fraction(bulan, 12) * persentase / 100 * koefisien`` with
  predikat_ditetapkan (the STANDING predikat after objections);
  ``ak_kumulatif = ak_awal + ak_tahun``, all exact (Fractions), nothing rounded before the
  output.
- next step from the golongan's 0-based position k in the jenjang's range: not last ->
  ``pangkat`` at ``(k + 1) * pangkat_every``; last and the jenjang has a next-jenjang-at ->
  ``jenjang`` at that value (the competency test is a note, not a column of the CSV; pemula's
  single golongan II/a is its last: ``jenjang`` at 15); last of penyelia / ahli_utama ->
  ``puncak``.
- ``memenuhi`` = ``ya`` iff ak_kumulatif >= ambang exactly (equality meets it);
  ``kekurangan = max(0, ambang - ak_kumulatif)`` exactly, then rounded (so a kumulatif of
  49.995 against 50 is written 50.00 with memenuhi ``tidak`` and kekurangan 0.01).
- ``puncak``: own reading ``puncak="kosong"``: ambang, memenuhi and kekurangan are empty
  (there is no next step, so nothing to meet and no shortfall); option ``"tidak"`` writes
  memenuhi ``tidak``.
- a row is checked for a standing predikat only when it breaks no other rule (option
  ``tanpa="after_row_rules"``, Kinerja's: the rules of the file alone -- nip, fungsional,
  vocabularies, ak_awal, bulan, and ``duplikat`` for a repeated nip even on a row that breaks
  another rule -- come first, each reported; only a row that passes them all is checked for
  golongan_jenjang and a standing predikat, both reported when both break).
- output: persentase as a percentage (``150.00``; option ``persen="fraksi"``: 1.50),
  koefisien, ak_tahun, ak_awal, ak_kumulatif, ambang, kekurangan half-up to 2 decimals;
  bulan as a whole number; rows sorted by nip.
"""
from __future__ import annotations

import csv
import io
import math
import os
import sys
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, getcontext
from fractions import Fraction

getcontext().prec = 60

NILAI = ["berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal",
         "adaptif", "kolaboratif"]
ORDER = ["Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang"]
MATRIX = {
    ("di_atas", "di_bawah"): "Kurang", ("di_atas", "sesuai"): "Baik",
    ("di_atas", "di_atas"): "Sangat Baik",
    ("sesuai", "di_bawah"): "Kurang", ("sesuai", "sesuai"): "Baik",
    ("sesuai", "di_atas"): "Baik",
    ("di_bawah", "di_bawah"): "Sangat Kurang", ("di_bawah", "sesuai"): "Butuh Perbaikan",
    ("di_bawah", "di_atas"): "Butuh Perbaikan",
}
ORG_TO_RATING = {"Istimewa": "di_atas", "Baik": "sesuai", "Butuh Perbaikan": "di_bawah",
                 "Kurang": "di_bawah", "Sangat Kurang": "di_bawah"}
# (kind, predikat group, percent or None, count or None)
CURVE = {
    "Istimewa": [("le", ["Sangat Baik"], 70)],
    "Baik": [("le", ["Baik"], 70), ("ge1", ["Butuh Perbaikan", "Kurang"], None)],
    "Butuh Perbaikan": [("le", ["Sangat Baik"], 10), ("ge", ["Butuh Perbaikan"], 60)],
    "Kurang": [("le", ["Sangat Baik"], 10), ("ge", ["Kurang"], 60),
               ("ge", ["Butuh Perbaikan"], 10)],
    "Sangat Kurang": [("le", ["Sangat Baik"], 0), ("ge", ["Sangat Kurang"], 60),
                      ("ge", ["Kurang", "Butuh Perbaikan"], 10)],
}
CAP = Fraction(120)
MIN_UNIT = 5
MIN_RATED = 5
JP_MIN = 20

FILES = ["unit_kerja", "pegawai", "skp", "realisasi", "perilaku", "umpan_balik",
         "survei_masyarakat", "riwayat_pelatihan", "katalog_pelatihan", "rating_atasan"]
NUMERIC = {"target", "realisasi", "jp", "nilai_ikm", "jumlah_responden", "ak_awal", "bulan"}


# --------------------------------------------------------------------------- reading
WORKBOOK = "kinerja.xlsx"


def _cell(value) -> str:
    """A workbook cell as the text a CSV would hold (whole numbers without '.0', dates ISO)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _raw_rows(folder, name):
    """[(physical line, [cells])] of FILE.csv, or of the sheet NAME of kinerja.xlsx when there is
    no CSV (FORMATS.md: "Instead of CSVs the folder may hold one Excel workbook"); the header is
    line 1; for a CSV a record's line is where it starts, for a sheet its row.  Also returns whether
    the file uses the decimal-comma dialect.  None when neither exists."""
    path = os.path.join(folder, name + ".csv")
    if os.path.exists(path):
        with open(path, encoding="utf-8-sig", newline="") as fh:
            text = fh.read()
        header = text.splitlines()[0] if text else ""
        semicolon = header.count(";") > header.count(",")
        reader = csv.reader(io.StringIO(text), delimiter=";" if semicolon else ",")
        out, start = [], 1
        for raw in reader:
            out.append((start, raw))
            start = reader.line_num + 1
        return out, semicolon
    book_path = os.path.join(folder, WORKBOOK)
    if not os.path.exists(book_path):
        return None, False
    import openpyxl

    book = openpyxl.load_workbook(book_path, read_only=True, data_only=True)
    try:
        sheets = {n.strip().lower(): n for n in book.sheetnames}
        if name not in sheets:
            return None, False
        rows = [(i, [_cell(v) for v in r]) for i, r in
                enumerate(book[sheets[name]].iter_rows(values_only=True), start=1)]
    finally:
        book.close()
    return rows, False


def read_records(folder, name):
    """Rows of FILE.csv (or its workbook sheet) as dicts with normalised (trimmed, lower-case)
    column names and trimmed values, the physical line under '_baris'; numbers of the
    decimal-comma dialect are converted to '.'; blank rows skipped; [] without the file."""
    rows, semicolon = _raw_rows(folder, name)
    if not rows:
        return []
    names = [h.strip().lower() for h in rows[0][1]]
    out = []
    for line, raw in rows[1:]:
        if not any(c.strip() for c in raw):
            continue
        rec = {n: "" for n in names}
        for n, val in zip(names, raw, strict=False):
            val = val.strip()
            if semicolon and n in NUMERIC and "," in val:
                val = val.replace(".", "").replace(",", ".")
            rec[n] = val
        rec["_baris"] = line
        out.append(rec)
    return out


def read_csv_file(path):
    folder, base = os.path.split(path)
    return read_records(folder, base.removesuffix(".csv"))


def read_folder(folder):
    return {f: read_records(folder, f) for f in FILES}


def num(s) -> Fraction:
    return Fraction(Decimal(s))


# --------------------------------------------------------------------------- helpers
def capaian(realisasi, target, arah):
    """None realisasi -> 0. Cap 120, floor 0."""
    if realisasi is None:
        return Fraction(0)
    if arah == "naik":
        c = realisasi / target * 100
    else:
        c = (2 - realisasi / target) * 100
    if c < 0:
        c = Fraction(0)
    if c > CAP:
        c = CAP
    return c


def level(c):
    if c >= 110:
        return "di_atas"
    if c >= 90:
        return "sesuai"
    return "di_bawah"


def fmt(x) -> str:
    """Half-up (away from zero on ties) to 2 decimals, '.' separator."""
    if x is None:
        return ""
    if isinstance(x, Fraction):
        sign = -1 if x < 0 else 1
        a = abs(x)
        q = math.floor(a * 100 + Fraction(1, 2))
        d = Decimal(q) / Decimal(100) * (sign if q else 1)
        return str(d.quantize(Decimal("0.01")))
    return str(Decimal(x).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def fmt_dec(d: Decimal) -> str:
    """Half-up to 2 decimals; a result that rounds to zero is written '0.00' (no '-0.00')."""
    q = d.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if q == 0:
        q = Decimal("0.00")
    return str(q)


def frac_to_dec(x: Fraction) -> Decimal:
    return Decimal(x.numerator) / Decimal(x.denominator)


def realisasi_at(real_rows, tahun, cutoff_month):
    """id_indikator -> cumulative value at latest month <= cutoff (within tahun)."""
    best = {}
    for r in real_rows:
        per = r["periode"]
        y, m = per.split("-")
        if int(y) != tahun or int(m) > cutoff_month:
            continue
        key = r["id_indikator"]
        if key not in best or int(m) > best[key][0]:
            best[key] = (int(m), num(r["realisasi"]))
    return {k: v[1] for k, v in best.items()}


# --------------------------------------------------------------------------- year-end
def score_year_end(data, tahun):
    units = {u["kode_unit"]: u for u in data["unit_kerja"]}
    peg = {p["nip"]: p for p in data["pegawai"]}
    real = realisasi_at(data["realisasi"], tahun, 12)

    ind_by_nip = {}
    for s in data["skp"]:
        if int(s["tahun"]) != tahun:
            continue
        ind_by_nip.setdefault(s["nip"], []).append(s)

    # supervisor ratings
    sup = {}  # nip -> list of rows
    for r in data["perilaku"]:
        y, _s = r["periode"].split("-")
        if int(y) != tahun:
            continue
        e = peg.get(r["nip"])
        if e is None or not e.get("nip_atasan"):
            continue
        if r["nip_penilai"] != e["nip_atasan"]:
            continue
        sup.setdefault(r["nip"], []).append(r)

    overrides = {}
    for r in data["rating_atasan"]:
        o = overrides.setdefault(r["nip"], {})
        for k in ("rating_hasil_kerja", "rating_perilaku"):
            if r.get(k):
                o[k] = (r[k], r.get("alasan", ""))

    results = {}
    unscorable = {}
    for nip, e in peg.items():
        inds = ind_by_nip.get(nip, [])
        utama = [i for i in inds if i["jenis"] == "utama"]
        ov = overrides.get(nip, {})
        if not utama:
            unscorable[nip] = "tidak ada indikator utama"
            continue
        if nip not in sup and "rating_perilaku" not in ov:
            unscorable[nip] = "tidak ada rating perilaku atasan"
            continue
        caps = {}
        for i in inds:
            caps[i["id_indikator"]] = capaian(real.get(i["id_indikator"]),
                                              num(i["target"]), i["arah"])
        ucaps = [caps[i["id_indikator"]] for i in utama]
        chk = sum(ucaps, Fraction(0)) / len(ucaps)
        levels = [level(c) for c in ucaps]
        n = len(levels)
        if levels.count("di_atas") * 2 > n and "di_bawah" not in levels:
            rhk = "di_atas"
        elif levels.count("di_bawah") * 2 > n:
            rhk = "di_bawah"
        else:
            rhk = "sesuai"
        atasan = e.get("nip_atasan") or ""
        is_head = (not atasan) or (atasan not in peg) or \
            (peg[atasan]["kode_unit"] != e["kode_unit"])
        if is_head:
            org = units[e["kode_unit"]].get("predikat_organisasi", "")
            if org in ORG_TO_RATING:
                rhk = ORG_TO_RATING[org]
        # perilaku
        means = None
        nilai = None
        rp = None
        if nip in sup:
            rows = sup[nip]
            means = {v: Fraction(sum(int(r[v]) for r in rows), len(rows)) for v in NILAI}
            nilai = sum(means.values(), Fraction(0)) / 7
            if nilai >= 4:
                rp = "di_atas"
            elif nilai >= 3:
                rp = "sesuai"
            else:
                rp = "di_bawah"
            if any(m < 2 for m in means.values()):
                rp = "di_bawah"
        if "rating_hasil_kerja" in ov:
            rhk = ov["rating_hasil_kerja"][0]
        if "rating_perilaku" in ov:
            rp = ov["rating_perilaku"][0]
        pred = MATRIX[(rhk, rp)]
        results[nip] = {
            "nip": nip, "nama": e["nama"], "kode_unit": e["kode_unit"],
            "capaian": chk, "rating_hasil_kerja": rhk, "nilai_perilaku": nilai,
            "rating_perilaku": rp, "predikat": pred, "predikat_final": pred,
            "alasan": [], "means": means, "caps": caps, "utama": utama,
            "kode_instansi": units[e["kode_unit"]]["kode_instansi"],
        }
    calibrate(results, units)
    return results, unscorable


def rank_key(r):
    nilai = r["nilai_perilaku"]
    return (-r["capaian"], 0 if nilai is not None else 1,
            -(nilai if nilai is not None else 0), r["nip"])


def calibrate(results, units):
    by_unit = {}
    for r in results.values():
        by_unit.setdefault(r["kode_unit"], []).append(r)
    for kode, members in by_unit.items():
        n = len(members)
        if n < MIN_UNIT:
            continue
        org = units[kode].get("predikat_organisasi", "")
        ranked = sorted(members, key=rank_key)  # best first
        for kind, group, pct in CURVE.get(org, []):
            if kind == "le":
                p = group[0]
                allowed = (pct * n) // 100
                holders = [r for r in ranked if r["predikat_final"] == p]
                surplus = len(holders) - allowed
                if surplus > 0:
                    for r in holders[len(holders) - surplus:]:
                        new = ORDER[ORDER.index(p) + 1]
                        r["alasan"].append(f"{p} <= {pct}%: {p} -> {new}")
                        r["predikat_final"] = new
            else:
                required = 1 if kind == "ge1" else -((-pct * n) // 100)
                best = min(ORDER.index(g) for g in group)
                target = ORDER[best]
                while True:
                    have = sum(1 for r in ranked if r["predikat_final"] in group)
                    if have >= required:
                        break
                    cands = [r for r in ranked if ORDER.index(r["predikat_final"]) < best]
                    if not cands:
                        break
                    r = cands[-1]
                    r["alasan"].append(f"{'+'.join(group)} >= {pct if pct else 1}: "
                                       f"{r['predikat_final']} -> {target}")
                    r["predikat_final"] = target


def hasil_rows(results):
    out = []
    for nip in sorted(results):
        r = results[nip]
        out.append({
            "nip": nip, "nama": r["nama"], "kode_unit": r["kode_unit"],
            "capaian_hasil_kerja": fmt(r["capaian"]),
            "rating_hasil_kerja": r["rating_hasil_kerja"],
            "nilai_perilaku": fmt(r["nilai_perilaku"]),
            "rating_perilaku": r["rating_perilaku"], "predikat": r["predikat"],
            "predikat_final": r["predikat_final"],
            "alasan_kalibrasi": "; ".join(r["alasan"]),
        })
    return out


# --------------------------------------------------------------------------- rater bias
def pop_sd(values):
    m = sum(values, Fraction(0)) / len(values)
    var = sum(((v - m) ** 2 for v in values), Fraction(0)) / len(values)
    return m, frac_to_dec(var).sqrt()


def sample_sd(values):
    m = sum(values, Fraction(0)) / len(values)
    var = sum(((v - m) ** 2 for v in values), Fraction(0)) / (len(values) - 1)
    return m, frac_to_dec(var).sqrt()


def bias_rows(results, data, tahun, sd=pop_sd):
    peg = {p["nip"]: p for p in data["pegawai"]}
    by_inst = {}
    by_rater = {}
    for r in results.values():
        if r["nilai_perilaku"] is None:
            continue
        by_inst.setdefault(r["kode_instansi"], []).append(r["nilai_perilaku"])
        rater = peg[r["nip"]]["nip_atasan"]
        by_rater.setdefault(rater, []).append(r)
    inst_stats = {k: sd(v) for k, v in by_inst.items()}
    out = []
    for rater in sorted(by_rater):
        rs = by_rater[rater]
        if len(rs) < MIN_RATED:
            continue
        vals = [r["nilai_perilaku"] for r in rs]
        mean_r, sd_r = sd(vals)
        mi, sdi = inst_stats[rs[0]["kode_instansi"]]
        z = (frac_to_dec(mean_r) - frac_to_dec(mi)) / sdi
        if z >= 1:
            pola = "lunak"
        elif z <= -1:
            pola = "keras"
        elif sd_r < sdi / 4:
            pola = "terpusat"
        else:
            pola = "wajar"
        out.append({"nip_penilai": rater, "jumlah_dinilai": str(len(rs)),
                    "rata_rata": fmt(mean_r),
                    "selisih_z": fmt_dec(z),
                    "pola": pola})
    return out


# --------------------------------------------------------------------------- mid-year
def monitoring_rows(data, tahun):
    peg = {p["nip"] for p in data["pegawai"]}
    real = realisasi_at(data["realisasi"], tahun, 6)
    out = []
    for s in data["skp"]:
        if int(s["tahun"]) != tahun or s["nip"] not in peg:
            continue
        t = num(s["target"])
        r = real.get(s["id_indikator"])
        c = capaian(r, t, s["arah"])
        if r is None:
            proj = None
        elif s["aspek"] == "kuantitas" and s["arah"] == "naik":
            proj = 2 * r
        else:
            proj = r
        pc = capaian(proj, t, s["arah"])
        status = "sesuai_jalur" if pc >= 90 else ("berisiko" if pc >= 70 else "tertinggal")
        out.append({"nip": s["nip"], "id_indikator": s["id_indikator"], "target": fmt(t),
                    "realisasi": fmt(r), "capaian_persen": fmt(c),
                    "proyeksi_akhir_tahun": fmt(proj), "status": status})
    out.sort(key=lambda x: (x["nip"], x["id_indikator"]))
    return out


# --------------------------------------------------------------------------- training
PRIO = {"tinggi": 0, "sedang": 1, "rendah": 2}


def training_rows(results, data, tahun, attended="ever"):
    """Rules 1-2 for scored employees, rule 3 for every employee in pegawai.  attended: 'ever'
    (a training attended in any year is excluded) or 'tahun' (only trainings attended in tahun
    are excluded)."""
    katalog = data["katalog_pelatihan"]
    attended_names = {}
    jp_year = {}
    for h in data["riwayat_pelatihan"]:
        if attended == "ever" or h["tanggal"][:4] == str(tahun):
            attended_names.setdefault(h["nip"], set()).add(
                "".join(h["nama_pelatihan"].split()).lower())
        if h["tanggal"][:4] == str(tahun):
            jp_year[h["nip"]] = jp_year.get(h["nip"], Fraction(0)) + num(h["jp"])
    out = []
    nips = set(results) | {p["nip"] for p in data["pegawai"]}
    for nip in sorted(nips):
        r = results.get(nip, {"means": None, "utama": [], "caps": {}})
        done = attended_names.get(nip, set())
        avail = [k for k in katalog
                 if "".join(k["nama_pelatihan"].split()).lower() not in done]
        recs = {}  # kode -> row
        order = []

        def add(k, alasan, prio, recs=recs, order=order, nip=nip):
            kode = k["kode_pelatihan"]
            if kode in recs:
                if PRIO[prio] < PRIO[recs[kode]["prioritas"]]:
                    recs[kode]["prioritas"] = prio
                return
            recs[kode] = {"nip": nip, "kode_pelatihan": kode,
                          "nama_pelatihan": k["nama_pelatihan"],
                          "kompetensi": k["kompetensi"], "alasan": alasan,
                          "jp": fmt(num(k["jp"])), "prioritas": prio, "_jp": num(k["jp"])}
            order.append(kode)

        gaps = []
        if r["means"] is not None:
            for v in NILAI:
                if r["means"][v] < 3:
                    gaps.append(v)
                    prio = "tinggi" if r["rating_perilaku"] == "di_bawah" else "sedang"
                    for k in avail:
                        if k["kompetensi"] == v:
                            add(k, f"nilai {v} < 3.0", prio)
        for i in r["utama"]:
            c = r["caps"][i["id_indikator"]]
            komp = (i.get("kompetensi") or "").strip()
            if c < 90 and komp:
                gaps.append(komp)
                prio = "tinggi" if r["rating_hasil_kerja"] == "di_bawah" else "sedang"
                for k in avail:
                    if k["kompetensi"] == komp:
                        add(k, f"indikator {i['id_indikator']} capaian < 90", prio)
        attended = jp_year.get(nip, Fraction(0))
        if attended < JP_MIN:
            total = attended + sum((recs[c]["_jp"] for c in order), Fraction(0))
            rest = [k for k in avail if k["kode_pelatihan"] not in recs]
            rest.sort(key=lambda k: (0 if k["kompetensi"] in gaps else 1, num(k["jp"]),
                                     k["kode_pelatihan"]))
            for k in rest:
                if total >= JP_MIN:
                    break
                add(k, "JP < 20", "rendah")
                total += num(k["jp"])
        for c in order:
            row = dict(recs[c])
            row.pop("_jp")
            out.append(row)
    return out


# --------------------------------------------------------------------------- keberatan
BATAS_HARI = 14
RATINGS = ("di_atas", "sesuai", "di_bawah")
KEBERATAN_HASIL = ["nip", "keputusan", "rating_hasil_kerja_lama", "rating_perilaku_lama",
                   "predikat_lama", "rating_hasil_kerja_baru", "rating_perilaku_baru",
                   "predikat_ditetapkan", "nip_pemutus", "tanggal_keputusan"]


def read_keberatan(folder):
    """keberatan.csv rows (normalised names, trimmed values) with their physical line under
    '_baris' (header = 1); [] without the file."""
    return read_records(folder, "keberatan")


def _date(s):
    try:
        if len(s) != 10:
            return None
        return date.fromisoformat(s)
    except ValueError:
        return None


ROW_RULES = {"tahun", "tanggal", "keputusan", "rating", "pengajuan_sebelum_terima",
             "keputusan_sebelum_pengajuan", "diterima_tanpa_rating"}


def review_objections(results, data, tahun, rows, second="valid"):
    """-> (decided {nip: row dict of keberatan_hasil.csv}, set-aside [(line, rule)],
    standing {nip: (rating_hasil_kerja, rating_perilaku, predikat_ditetapkan)}).

    second: "valid" (own reading: the first of the rows that pass every other rule is the
    objection) or "checked" (the first of the rows that pass the row's own value rules,
    ROW_RULES, is the objection, whatever became of it; later rows are second objections
    even if they also break another rule)."""
    peg = {p["nip"]: p for p in data["pegawai"]}
    aside = []
    ok = []
    for r in rows:
        why = []
        tahun_ok = r.get("tahun", "").isdigit() and int(r["tahun"]) == tahun
        if not tahun_ok:
            why.append("tahun")
        dt, dp, dk = (_date(r.get(c, "")) for c in
                      ("tanggal_terima", "tanggal_pengajuan", "tanggal_keputusan"))
        if None in (dt, dp, dk):
            why.append("tanggal")
        kep = r.get("keputusan", "")
        if kep not in ("diterima", "ditolak"):
            why.append("keputusan")
        baru = {c: r.get(c, "") for c in ("rating_hasil_kerja_baru", "rating_perilaku_baru")}
        if any(v and v not in RATINGS for v in baru.values()):
            why.append("rating")
        if dt and dp and dp < dt:
            why.append("pengajuan_sebelum_terima")
        if dp and dk and dk < dp:
            why.append("keputusan_sebelum_pengajuan")
        if kep == "diterima" and not any(baru.values()):
            why.append("diterima_tanpa_rating")
        nip = r.get("nip", "")
        if nip not in results:
            why.append("tidak_dinilai")
        e = peg.get(nip)
        atasan = (e or {}).get("nip_atasan", "")
        if e is not None and not atasan:
            why.append("tanpa_atasan")
        if dt and dp and (dp - dt).days > BATAS_HARI:
            why.append("terlambat")
        if atasan:
            sup = peg.get(atasan)
            pemutus = (sup or {}).get("nip_atasan", "")
            if pemutus not in peg:
                pemutus = ""
            if r.get("nip_pemutus", "") != pemutus:
                why.append("pemutus")
        aside.extend((r["_baris"], w) for w in why)
        if second == "valid" and not why or second == "checked" and not set(why) & ROW_RULES:
            ok.append((dp, r["_baris"], r, not why))
    ok.sort(key=lambda x: (x[0], x[1]))
    decided = {}
    standing = {}
    first = set()
    for _dp, baris, r, valid in ok:
        nip = r["nip"]
        if nip in first:
            aside.append((baris, "kedua"))
            continue
        first.add(nip)
        if not valid:
            continue
        y = results[nip]
        old_hk, old_p = y["rating_hasil_kerja"], y["rating_perilaku"]
        if r["keputusan"] == "diterima":
            hk = r["rating_hasil_kerja_baru"] or old_hk
            pr = r["rating_perilaku_baru"] or old_p
            pred = MATRIX[(hk, pr)]
        else:
            hk, pr, pred = old_hk, old_p, y["predikat_final"]
        decided[nip] = {
            "nip": nip, "keputusan": r["keputusan"], "rating_hasil_kerja_lama": old_hk,
            "rating_perilaku_lama": old_p, "predikat_lama": y["predikat_final"],
            "rating_hasil_kerja_baru": hk, "rating_perilaku_baru": pr,
            "predikat_ditetapkan": pred, "nip_pemutus": r.get("nip_pemutus", ""),
            "tanggal_keputusan": r["tanggal_keputusan"],
        }
        standing[nip] = (hk, pr, pred)
    for nip, y in results.items():
        standing.setdefault(nip, (y["rating_hasil_kerja"], y["rating_perilaku"],
                                  y["predikat_final"]))
    return decided, sorted(aside), standing


def akhir_rows(results, decided, standing):
    out = []
    for row in hasil_rows(results):
        row = dict(row)
        row["keberatan"] = "ya" if row["nip"] in decided else "tidak"
        row["predikat_ditetapkan"] = standing[row["nip"]][2]
        out.append(row)
    return out


def curve_flags(results, units, decided, standing):
    """kode_unit -> True when the standing distribution meets the unit's curve, for units
    with at least one decided objection."""
    out = {}
    for kode in sorted({results[n]["kode_unit"] for n in decided}):
        preds = [standing[n][2] for n, r in results.items() if r["kode_unit"] == kode]
        n = len(preds)
        met = True
        for kind, group, pct in CURVE.get(units[kode].get("predikat_organisasi", ""), []):
            have = sum(1 for p in preds if p in group)
            if kind == "le":
                met &= have <= (pct * n) // 100
            else:
                met &= have >= (1 if kind == "ge1" else -((-pct * n) // 100))
        out[kode] = met
    return out


# --------------------------------------------------------------------------- angka kredit
# DOMAIN.md "Angka kredit" (PermenPAN-RB 1/2023, PerBKN 3/2023), the (config) defaults.
AK_PERSENTASE = {"Sangat Baik": Fraction(150), "Baik": Fraction(100),
                 "Butuh Perbaikan": Fraction(75), "Kurang": Fraction(50),
                 "Sangat Kurang": Fraction(25)}
GOLONGAN = ["II/a", "II/b", "II/c", "II/d", "III/a", "III/b", "III/c", "III/d",
            "IV/a", "IV/b", "IV/c", "IV/d", "IV/e"]
# jenjang -> (golongan range, koefisien per year, next pangkat every, next jenjang at | None)
JENJANG = {
    "pemula": (["II/a"], Fraction("3.75"), 15, 15),
    "terampil": (["II/b", "II/c", "II/d"], Fraction(5), 20, 60),
    "mahir": (["III/a", "III/b"], Fraction("12.5"), 50, 100),
    "penyelia": (["III/c", "III/d"], Fraction(25), 100, None),
    "ahli_pertama": (["III/a", "III/b"], Fraction("12.5"), 50, 100),
    "ahli_muda": (["III/c", "III/d"], Fraction(25), 100, 200),
    "ahli_madya": (["IV/a", "IV/b", "IV/c"], Fraction("37.5"), 150, 450),
    "ahli_utama": (["IV/d", "IV/e"], Fraction(50), 200, None),
}
ANGKA_KREDIT_HASIL = ["nip", "jenjang", "golongan", "predikat_ditetapkan", "persentase",
                      "koefisien", "bulan", "ak_tahun", "ak_awal", "ak_kumulatif",
                      "langkah_berikutnya", "ambang", "memenuhi", "kekurangan"]
# how ambang / memenuhi / kekurangan read for `puncak` (no next step)
PUNCAK = {
    "kosong": {"ambang": "", "memenuhi": "", "kekurangan": ""},
    "tidak": {"ambang": "", "memenuhi": "tidak", "kekurangan": ""},
}
AK_ROW_RULES = {"nip_tidak_ada", "bukan_fungsional", "jenjang", "golongan", "golongan_jenjang",
                "ak_awal", "bulan"}


def _decimal_or_none(s):
    try:
        return Fraction(Decimal(s)) if s else None
    except (ArithmeticError, ValueError):
        return None


def read_angka_kredit(folder):
    """angka_kredit.csv (or the workbook sheet) rows with '_baris'; [] without the file."""
    return read_records(folder, "angka_kredit")


def angka_kredit(data, rows, standing, dup="later_valid", puncak="kosong", persen="persen",
                 tanpa="valid"):
    """-> (hasil rows of angka_kredit_hasil.csv sorted by nip, set-aside [(line, rule)],
    exact {nip: dict of Fractions} for hand checks).

    standing: {nip: (.., .., predikat_ditetapkan)} of the scored employees.
    dup: "later_valid" (among the rows that pass every row rule, the first line of a nip
    stands, later lines are duplicates), "later" (the first line of a nip in the file stands
    whatever became of it; every later line is a duplicate) or "all" (every row of a nip
    that appears more than once is set aside).
    puncak: key of PUNCAK.  persen: "persen" (150.00) or "fraksi" (1.50) for persentase.
    tanpa: "valid" (a row is checked for a standing predikat only when it breaks no other
    rule) or "after_row_rules" (the file's own rules first, duplikat included; golongan_jenjang
    and tanpa_predikat only for a row that passes them, both reported)."""
    peg = {p["nip"]: p for p in data["pegawai"]}
    aside = []
    passed = []
    by_nip_lines = {}
    for r in rows:
        by_nip_lines.setdefault(r.get("nip", ""), []).append(r["_baris"])
    for r in rows:
        why = []
        nip = r.get("nip", "")
        e = peg.get(nip)
        if e is None:
            why.append("nip_tidak_ada")
        elif e.get("jenis_jabatan") != "fungsional":
            why.append("bukan_fungsional")
        jen, gol = r.get("jenjang", ""), r.get("golongan", "")
        if jen not in JENJANG:
            why.append("jenjang")
        if gol not in GOLONGAN:
            why.append("golongan")
        if jen in JENJANG and gol in GOLONGAN and gol not in JENJANG[jen][0]:
            why.append("golongan_jenjang")
        ak_awal = _decimal_or_none(r.get("ak_awal", ""))
        if ak_awal is None or ak_awal < 0:
            why.append("ak_awal")
        b = r.get("bulan", "")
        bulan = Fraction(12) if b == "" else _decimal_or_none(b)
        if bulan is None or bulan.denominator != 1 or not 1 <= bulan <= 12:
            why.append("bulan")
        repeated = (dup == "later" and r["_baris"] != by_nip_lines[nip][0]
                    or dup == "all" and len(by_nip_lines[nip]) > 1)
        if tanpa == "after_row_rules":
            # the file's own rules first (duplicates included); the rules needing the jenjang's
            # range or the standing predikat only for a row that passed them, each reported
            first = [w for w in why if w != "golongan_jenjang"] + (["duplikat"] if repeated else [])
            if first:
                aside.extend((r["_baris"], w) for w in first)
                continue
            if nip not in standing:
                aside.append((r["_baris"], "tanpa_predikat"))
            aside.extend((r["_baris"], w) for w in why)
            if not why and nip in standing:
                passed.append((r, ak_awal, int(bulan)))
            continue
        aside.extend((r["_baris"], w) for w in why)
        if repeated:
            if not why:
                aside.append((r["_baris"], "duplikat"))
            continue
        if not why:
            passed.append((r, ak_awal, int(bulan)))
    seen = set()
    hasil = []
    exact = {}
    for r, ak_awal, bulan in passed:  # file order
        nip = r["nip"]
        if nip in seen:
            aside.append((r["_baris"], "duplikat"))
            continue
        seen.add(nip)
        if nip not in standing:
            aside.append((r["_baris"], "tanpa_predikat"))
            continue
        pred = standing[nip][2]
        rng, koef, every, at = JENJANG[r["jenjang"]]
        pct = AK_PERSENTASE[pred]
        ak_tahun = Fraction(bulan, 12) * pct / 100 * koef
        kum = ak_awal + ak_tahun
        k = rng.index(r["golongan"])
        if k < len(rng) - 1:
            langkah, ambang = "pangkat", Fraction((k + 1) * every)
        elif at is not None:
            langkah, ambang = "jenjang", Fraction(at)
        else:
            langkah, ambang = "puncak", None
        row = {"nip": nip, "jenjang": r["jenjang"], "golongan": r["golongan"],
               "predikat_ditetapkan": pred,
               "persentase": fmt(pct if persen == "persen" else pct / 100),
               "koefisien": fmt(koef), "bulan": str(bulan), "ak_tahun": fmt(ak_tahun),
               "ak_awal": fmt(ak_awal), "ak_kumulatif": fmt(kum), "langkah_berikutnya": langkah}
        if ambang is None:
            row.update(PUNCAK[puncak])
        else:
            row.update({"ambang": fmt(ambang), "memenuhi": "ya" if kum >= ambang else "tidak",
                        "kekurangan": fmt(max(Fraction(0), ambang - kum))})
        hasil.append(row)
        exact[nip] = {"ak_tahun": ak_tahun, "ak_kumulatif": kum, "ambang": ambang,
                      "langkah": langkah, "baris": r["_baris"]}
    hasil.sort(key=lambda x: x["nip"])
    return hasil, sorted(aside), exact


# --------------------------------------------------------------------------- main
COLUMNS = {
    "hasil_penilaian.csv": ["nip", "nama", "kode_unit", "capaian_hasil_kerja",
                            "rating_hasil_kerja", "nilai_perilaku", "rating_perilaku",
                            "predikat", "predikat_final", "alasan_kalibrasi"],
    "bias_penilai.csv": ["nip_penilai", "jumlah_dinilai", "rata_rata", "selisih_z", "pola"],
    "pemantauan_tengah_tahun.csv": ["nip", "id_indikator", "target", "realisasi",
                                    "capaian_persen", "proyeksi_akhir_tahun", "status"],
    "rekomendasi_pelatihan.csv": ["nip", "kode_pelatihan", "nama_pelatihan", "kompetensi",
                                  "alasan", "jp", "prioritas"],
    "keberatan_hasil.csv": KEBERATAN_HASIL,
    "hasil_penilaian_akhir.csv": ["nip", "nama", "kode_unit", "capaian_hasil_kerja",
                                  "rating_hasil_kerja", "nilai_perilaku", "rating_perilaku",
                                  "predikat", "predikat_final", "alasan_kalibrasi",
                                  "keberatan", "predikat_ditetapkan"],
    "angka_kredit_hasil.csv": ANGKA_KREDIT_HASIL,
}


# The reference's own reading of the points DOMAIN.md leaves open, and Kinerja's documented
# choices (they agree on both).
OWN = {"sd": "population", "attended": "ever", "training_ratings": "standing",
       "second": "valid", "ak_dup": "later_valid", "ak_puncak": "kosong", "ak_persen": "persen",
       "ak_tanpa": "valid"}
# Kinerja (penilaian/keberatan.py docstring): "among the rows that passed the value rules, the
# first filed for a nip ... is the objection; every later row is a second objection, whatever
# became of the first".
# Kinerja (penilaian/angka_kredit.py docstring): duplicates: "the contract quarantines every row
# after the nip's first line (AK_GANDA), whatever became of the first" -> ak_dup "later";
# puncak: "ambang and kekurangan are empty ... and memenuhi is "tidak"" -> ak_puncak "tidak";
# "persentase is a percentage (150 for Sangat Baik)" -> ak_persen "persen" (as the reference);
# "a golongan outside its jenjang's range ... and so is a row whose nip has no standing
# predikat ...; a row may break both"; "the value rules of one row ... are the input contract's
# (contract/file_rules.py)" and the rules needing the ruleset or the results are checked after
# them -> ak_tanpa "after_row_rules".
KINERJA_CHOICES = {"sd": "population", "attended": "ever", "training_ratings": "standing",
                   "second": "checked", "ak_dup": "later", "ak_puncak": "tidak",
                   "ak_persen": "persen", "ak_tanpa": "after_row_rules"}


def run(input_dir, tahun, sd="population", attended="ever", training_ratings="standing",
        second="valid", ak_dup="later_valid", ak_puncak="kosong", ak_persen="persen",
        ak_tanpa="valid"):
    data = read_folder(input_dir)
    results, unscorable = score_year_end(data, tahun)
    decided, aside, standing = review_objections(results, data, tahun,
                                                 read_keberatan(input_dir), second)
    after = results
    if training_ratings == "standing":
        after = {n: dict(r, rating_hasil_kerja=standing[n][0], rating_perilaku=standing[n][1],
                         predikat_ditetapkan=standing[n][2]) for n, r in results.items()}
    units = {u["kode_unit"]: u for u in data["unit_kerja"]}
    ak_hasil, ak_aside, ak_exact = angka_kredit(data, read_angka_kredit(input_dir), standing,
                                                ak_dup, ak_puncak, ak_persen, ak_tanpa)
    return {
        "hasil_penilaian.csv": hasil_rows(results),
        "bias_penilai.csv": bias_rows(results, data, tahun,
                                      pop_sd if sd == "population" else sample_sd),
        "pemantauan_tengah_tahun.csv": monitoring_rows(data, tahun),
        "rekomendasi_pelatihan.csv": training_rows(after, data, tahun, attended),
        "keberatan_hasil.csv": [decided[n] for n in sorted(decided)],
        "hasil_penilaian_akhir.csv": akhir_rows(results, decided, standing),
        "_unscorable": unscorable,
        "_keberatan_karantina": aside,  # [(line, rule)]
        "_kurva": curve_flags(results, units, decided, standing),
        "_penghargaan": sorted(n for n in results if standing[n][2] == "Sangat Baik"),
        "angka_kredit_hasil.csv": ak_hasil,
        "_ak_karantina": ak_aside,  # [(line, rule)]
        "_ak_exact": ak_exact,
    }


def write(outputs, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for name, cols in COLUMNS.items():
        with open(os.path.join(out_dir, name), "w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=cols, lineterminator="\n")
            w.writeheader()
            w.writerows(outputs[name])


if __name__ == "__main__":
    inp, out, tahun = sys.argv[1], sys.argv[2], int(sys.argv[3])
    write(run(inp, tahun), out)
