"""Convert a FORMATS.md input folder to the Indonesian-Excel dialect: ';' separator and
',' as decimal point (numbers in numeric columns only), UTF-8 with BOM.

    python -m tests.reference.to_semicolon SRC_DIR DST_DIR
"""
import csv
import os
import sys

NUMERIC = {"target", "realisasi", "jp", "nilai_ikm", "jumlah_responden", "ak_awal", "bulan"}


def convert(src, dst):
    os.makedirs(dst, exist_ok=True)
    for name in sorted(os.listdir(src)):
        if not name.endswith(".csv"):
            continue
        with open(os.path.join(src, name), encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        header = [h.strip().lower() for h in rows[0]]
        out = [rows[0]]
        for r in rows[1:]:
            out.append([v.replace(".", ",") if h in NUMERIC else v
                        for h, v in zip(header, r, strict=False)])
        with open(os.path.join(dst, name), "w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh, delimiter=";", lineterminator="\r\n").writerows(out)


if __name__ == "__main__":
    convert(sys.argv[1], sys.argv[2])
