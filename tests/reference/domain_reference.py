"""Independent reference implementation of the Kinerja domain rules.

Written from /work/shared/DOMAIN.md and /work/shared/FORMATS.md only, deliberately
simple: plain Python, the csv module, exact ``Fraction`` arithmetic (``Decimal`` with
high precision only where a square root is needed), row by row.  Clean inputs only
(no quarantine of bad rows beyond the "cannot be scored" rule), except keberatan.csv, whose
rules are the point of the objection stage and are all implemented (see below).

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
"""
from __future__ import annotations

import csv
import io
import math
import os
import sys
from datetime import date
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
NUMERIC = {"target", "realisasi", "jp", "nilai_ikm", "jumlah_responden"}


# --------------------------------------------------------------------------- reading
def read_csv_file(path):
    """Rows as dicts with normalised (trimmed, lower-case) column names; numbers of the
    decimal-comma dialect are converted to '.'."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        text = fh.read()
    header = text.splitlines()[0] if text else ""
    semicolon = header.count(";") > header.count(",")
    reader = csv.reader(io.StringIO(text), delimiter=";" if semicolon else ",")
    rows = list(reader)
    if not rows:
        return []
    names = [h.strip().lower() for h in rows[0]]
    out = []
    for raw in rows[1:]:
        if not any(c.strip() for c in raw):
            continue
        rec = {}
        for name, val in zip(names, raw, strict=False):
            val = val.strip()
            if semicolon and name in NUMERIC and val:
                if "," in val:
                    val = val.replace(".", "").replace(",", ".")
            rec[name] = val
        for name in names[len(raw):]:
            rec[name] = ""
        out.append(rec)
    return out


def read_folder(folder):
    data = {}
    for f in FILES:
        p = os.path.join(folder, f + ".csv")
        data[f] = read_csv_file(p) if os.path.exists(p) else []
    return data


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
    path = os.path.join(folder, "keberatan.csv")
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        text = fh.read()
    header = text.splitlines()[0] if text else ""
    semicolon = header.count(";") > header.count(",")
    reader = csv.reader(io.StringIO(text), delimiter=";" if semicolon else ",")
    names = None
    out = []
    start = 1
    for raw in reader:
        line, start = start, reader.line_num + 1
        if names is None:
            names = [h.strip().lower() for h in raw]
            continue
        if not any(c.strip() for c in raw):
            continue
        rec = {n: "" for n in names}
        rec.update({n: v.strip() for n, v in zip(names, raw, strict=False)})
        rec["_baris"] = line
        out.append(rec)
    return out


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
}


# The reference's own reading of the points DOMAIN.md leaves open, and Kinerja's documented
# choices (they agree on both).
OWN = {"sd": "population", "attended": "ever", "training_ratings": "standing",
       "second": "valid"}
# Kinerja (penilaian/keberatan.py docstring): "among the rows that passed the value rules, the
# first filed for a nip ... is the objection; every later row is a second objection, whatever
# became of the first".
KINERJA_CHOICES = {"sd": "population", "attended": "ever", "training_ratings": "standing",
                   "second": "checked"}


def run(input_dir, tahun, sd="population", attended="ever", training_ratings="standing",
        second="valid"):
    data = read_folder(input_dir)
    results, unscorable = score_year_end(data, tahun)
    decided, aside, standing = review_objections(results, data, tahun,
                                                 read_keberatan(input_dir), second)
    after = results
    if training_ratings == "standing":
        after = {n: dict(r, rating_hasil_kerja=standing[n][0], rating_perilaku=standing[n][1],
                         predikat_ditetapkan=standing[n][2]) for n, r in results.items()}
    units = {u["kode_unit"]: u for u in data["unit_kerja"]}
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
