"""Diff the reference implementation against Kinerja's output files.

    python -m tests.reference.compare INPUT_DIR KINERJA_OUTPUT_DIR TAHUN
        [--sd population|sample] [--attended ever|tahun] [--training-ratings standing|year_end]
        [--second valid|checked] [--ak-dup later_valid|later|all] [--ak-puncak kosong|tidak]
        [--ak-persen persen|fraksi] [--ak-tanpa valid|after_row_rules]
        [--kinerja-choices]   (every option set to Kinerja's documented choice)

KINERJA_OUTPUT_DIR is the --output folder (the <tahun> subfolder is found
automatically).  Prints every difference (file, key, column, reference, kinerja) and a
summary; with a keberatan.csv / angka_kredit.csv also the set of its lines in karantina.csv.  Numeric
columns are compared by value; a pure formatting difference (e.g. '8' vs '8.00') is
counted separately.  Free-text reason columns (alasan, alasan_kalibrasi) are compared
only as empty / non-empty.  Row order is checked for the files FORMATS.md sorts by nip
(hasil_penilaian, keberatan_hasil, hasil_penilaian_akhir, angka_kredit_hasil).
"""
from __future__ import annotations

import csv
import os
import sys
from collections import Counter
from decimal import Decimal, InvalidOperation

from tests.reference import domain_reference as ref

KEYS = {
    "hasil_penilaian.csv": ["nip"],
    "bias_penilai.csv": ["nip_penilai"],
    "pemantauan_tengah_tahun.csv": ["nip", "id_indikator"],
    "rekomendasi_pelatihan.csv": ["nip", "kode_pelatihan"],
    "keberatan_hasil.csv": ["nip"],
    "hasil_penilaian_akhir.csv": ["nip"],
    "angka_kredit_hasil.csv": ["nip"],
}
SORTED_BY_NIP = {"hasil_penilaian.csv", "keberatan_hasil.csv", "hasil_penilaian_akhir.csv",
                 "angka_kredit_hasil.csv"}
TEXT_LOOSE = {"alasan", "alasan_kalibrasi"}


def read_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def as_dec(s):
    try:
        return Decimal(s)
    except (InvalidOperation, TypeError):
        return None


def compare_rows(name, ref_rows, kin_rows, out=print):
    """Return a Counter of difference categories; print each difference."""
    counts = Counter()
    keycols = KEYS[name]
    cols = ref.COLUMNS[name]
    key = lambda r: tuple(r[k] for k in keycols)  # noqa: E731
    rmap = {key(r): r for r in ref_rows}
    kmap = {key(r): r for r in kin_rows}
    if len(rmap) != len(ref_rows):
        out(f"[{name}] reference has duplicate keys")
    if len(kmap) != len(kin_rows):
        out(f"[{name}] kinerja has duplicate keys")
        counts["duplicate_keys"] += 1
    if kin_rows and list(kin_rows[0].keys()) != cols:
        out(f"[{name}] header differs: kinerja {list(kin_rows[0].keys())}")
        counts["header"] += 1
    for k in sorted(set(rmap) - set(kmap)):
        out(f"[{name}] {'/'.join(k)}: row only in reference ({rmap[k]})")
        counts["only_reference"] += 1
    for k in sorted(set(kmap) - set(rmap)):
        out(f"[{name}] {'/'.join(k)}: row only in kinerja ({kmap[k]})")
        counts["only_kinerja"] += 1
    for k in sorted(set(rmap) & set(kmap)):
        a, b = rmap[k], kmap[k]
        for c in cols:
            va, vb = a.get(c, ""), b.get(c, "")
            if va == vb:
                continue
            if c in TEXT_LOOSE:
                if bool(va) != bool(vb):
                    out(f"[{name}] {'/'.join(k)} {c}: reference={va!r} kinerja={vb!r}")
                    counts[f"{c}"] += 1
                continue
            da, db = as_dec(va), as_dec(vb)
            if da is not None and db is not None and da == db:
                counts[f"format:{c}"] += 1
                continue
            out(f"[{name}] {'/'.join(k)} {c}: reference={va!r} kinerja={vb!r}")
            counts[c] += 1
    # row order (only meaningful for files whose order FORMATS fixes)
    common = [key(r) for r in kin_rows if key(r) in rmap]
    ref_order = [key(r) for r in ref_rows if key(r) in kmap]
    if name in SORTED_BY_NIP and common != ref_order:
        out(f"[{name}] row order differs")
        counts["order"] += 1
    return counts


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    opts = dict(ref.OWN)
    if "--kinerja-choices" in argv:  # adopt Kinerja's reading of every listed ambiguity
        argv.remove("--kinerja-choices")
        opts = dict(ref.KINERJA_CHOICES)
    for flag, key in (("--sd", "sd"), ("--attended", "attended"),
                      ("--training-ratings", "training_ratings"), ("--second", "second"),
                      ("--ak-dup", "ak_dup"), ("--ak-puncak", "ak_puncak"),
                      ("--ak-persen", "ak_persen"), ("--ak-tanpa", "ak_tanpa")):
        if flag in argv:
            i = argv.index(flag)
            opts[key] = argv[i + 1]
            del argv[i:i + 2]
    inp, kout, tahun = argv[0], argv[1], int(argv[2])
    if os.path.isdir(os.path.join(kout, str(tahun))):
        kout = os.path.join(kout, str(tahun))
    print(f"reference options: {opts}")
    outputs = ref.run(inp, tahun, **opts)
    total = Counter()
    for name in ref.COLUMNS:
        if not os.path.exists(os.path.join(kout, name)):
            print(f"== {name}: not in {kout}, skipped")
            continue
        kin = read_rows(os.path.join(kout, name))
        c = compare_rows(name, outputs[name], kin)
        print(f"== {name}: reference {len(outputs[name])} rows, kinerja {len(kin)} rows, "
              f"differences {dict(c) or 'none'}")
        for cat, n in c.items():
            total[f"{name}:{cat}"] += n
    kpath = os.path.join(kout, "karantina.csv")
    for sheet, key in (("keberatan", "_keberatan_karantina"), ("angka_kredit", "_ak_karantina")):
        if not os.path.exists(kpath) or not (
                os.path.exists(os.path.join(inp, sheet + ".csv"))
                or os.path.exists(os.path.join(inp, ref.WORKBOOK))):
            continue
        mine = {b for b, _ in outputs[key]}
        theirs = {int(r["baris"]) for r in read_rows(kpath)
                  if r["berkas"] in (sheet + ".csv", f"{ref.WORKBOOK}:{sheet}")}
        print(f"== karantina.csv ({sheet} lines): reference {len(mine)}, kinerja "
              f"{len(theirs)}, only reference {sorted(mine - theirs) or 'none'}, only kinerja "
              f"{sorted(theirs - mine) or 'none'}")
        if mine != theirs:
            total[f"karantina.csv:{sheet}_lines"] += len(mine ^ theirs)
    print(f"unscorable (reference): {len(outputs['_unscorable'])}")
    real = {k: v for k, v in total.items() if ":format:" not in k}
    print(f"SUMMARY: {sum(real.values())} value differences, "
          f"{sum(total.values()) - sum(real.values())} format-only differences")
    for k, v in sorted(total.items()):
        print(f"  {k}: {v}")
    return 1 if real else 0


if __name__ == "__main__":
    sys.exit(main())
