"""The gate's checks that are not GX suites: files present, quarantine shares, cross-file relations."""

from __future__ import annotations

import numpy as np
import pandas as pd

from contract.schema import FILES
from expectations.results import (
    MAX_EXAMPLES,
    GateCheck,
    percent_text,
    plain_records,
    threshold_text,
    within_threshold,
)


def rows_present_check(sheet: str, n: int | None, *, wajib: bool) -> GateCheck:
    """A required file must exist and hold at least one row; an optional one may be empty."""
    berkas = FILES[sheet].name
    if n is None:
        deskripsi, lulus = f"berkas wajib {berkas} tidak ada", False
        description = f"required file {berkas} is missing"
    elif wajib:
        deskripsi, lulus = f"berkas wajib {berkas} berisi minimal 1 baris", n > 0
        description = f"required file {berkas} holds at least 1 row"
    else:
        deskripsi, lulus = f"berkas opsional {berkas} boleh kosong", True
        description = f"optional file {berkas} may be empty"
    return GateCheck(
        kode=f"{sheet}.baris.ada",
        berkas=berkas,
        deskripsi=deskripsi,
        sumber="tahap",
        lulus=lulus,
        diperiksa=n or 0,
        gagal=0,
        ambang="min. 1 baris" if wajib else "boleh kosong",
        contoh=[] if lulus else [{"baris": None, "kolom": None, "nilai": None, "alasan": deskripsi}],
        description=description,
        perbaikan=f"letakkan {berkas} berisi data tahun ini (minimal 1 baris) di folder --input, lalu "
        "jalankan ulang tahap",
        fix=f"put {berkas} with this year's data (at least 1 row) in the --input folder, then re-run the "
        "stage",
    )


def quarantine_checks(
    quarantine: pd.DataFrame, row_counts: dict[str, int], *, maks_karantina_persen: float
) -> list[GateCheck]:
    """Per file, the share of rows (distinct baris) sent to quarantine must stay within the
    threshold; the evidence is the quarantined rows, most rules broken first."""
    counts = {_file_name(k): int(v) for k, v in row_counts.items()}
    q = quarantine if quarantine is not None else pd.DataFrame(columns=["berkas", "baris"])
    berkas_q = [str(b) for b in q["berkas"].dropna().unique()] if len(q) else []
    order = [s.name for s in FILES.values()]
    semua = sorted(set(counts) | set(berkas_q), key=lambda b: (_position(b, order), b))
    ambang = threshold_text(maks_karantina_persen)
    checks = []
    for berkas in semua:
        baris_q = q[q["berkas"] == berkas] if len(q) else q
        gagal = int(baris_q["baris"].dropna().nunique()) if len(baris_q) else 0
        diperiksa = counts.get(berkas, 0)
        checks.append(
            GateCheck(
                kode=f"{berkas.removesuffix('.csv')}.karantina.porsi",
                berkas=berkas,
                deskripsi=(
                    f"baris {berkas} yang dikarantina paling banyak "
                    f"{percent_text(maks_karantina_persen)}% dari semua baris"
                ),
                sumber="karantina",
                lulus=within_threshold(gagal, diperiksa, maks_karantina_persen),
                diperiksa=diperiksa,
                gagal=gagal,
                ambang=ambang,
                contoh=_quarantine_examples(baris_q) if gagal else [],
                description=(
                    f"at most {percent_text(maks_karantina_persen).replace(',', '.')}% of the rows of "
                    f"{berkas} are quarantined"
                ),
                perbaikan=(
                    f"terlalu banyak baris {berkas} dikarantina: perbaiki baris-baris itu di {berkas} "
                    "menurut kode_aturan dan alasan di karantina.csv, lalu jalankan ulang tahap"
                ),
                fix=(
                    f"too many rows of {berkas} are quarantined: correct them in {berkas} as the kode_aturan "
                    "and reason columns of karantina.csv say, then re-run the stage"
                ),
            )
        )
    return checks


def relational_check(
    kode: str,
    deskripsi: str,
    gagal_rows: pd.DataFrame,
    diperiksa: int,
    *,
    ambang_persen: float | None = 0,
    berkas: str = "",
    description: str = "",
    perbaikan: str = "",
    fix: str = "",
) -> GateCheck:
    """Report a cross-file check (supervisor exists, no cycles, cascading, coverage...) in the
    gate; `ambang_persen=None` only reports, 0 allows no failing row. `description` is the check in
    English, `perbaikan` / `fix` what HR does when it fails (Indonesian / English)."""
    gagal = len(gagal_rows)
    if ambang_persen is None:
        lulus, ambang = True, "hanya dilaporkan"
    else:
        lulus = within_threshold(gagal, diperiksa, ambang_persen)
        ambang = "tidak boleh ada" if ambang_persen == 0 else threshold_text(ambang_persen)
    contoh = plain_records(gagal_rows.head(MAX_EXAMPLES).rename(columns={"_baris": "baris"}))
    return GateCheck(
        kode=kode,
        berkas=berkas,
        deskripsi=deskripsi,
        sumber="relasional",
        lulus=lulus,
        diperiksa=int(diperiksa),
        gagal=gagal,
        ambang=ambang,
        contoh=contoh,
        description=description,
        perbaikan=perbaikan,
        fix=fix,
    )


def _quarantine_examples(q: pd.DataFrame) -> list[dict]:
    """Quarantined rows of the lines that broke the most rules first, then in line order."""
    q = q[q["baris"].notna()].astype({"baris": "int64"})
    jumlah = q.groupby("baris", sort=False)["baris"].transform("size")
    order = np.lexsort((np.arange(len(q)), q["baris"].to_numpy(), -jumlah.to_numpy()))
    kolom = [k for k in ("baris", "kolom", "nilai", "kode_aturan", "alasan") if k in q.columns]
    return plain_records(q.iloc[order[:MAX_EXAMPLES]][kolom])


def _file_name(key: str) -> str:
    """A sheet name or a file name, as the file name used in karantina.csv."""
    return FILES[key].name if key in FILES else key


def _position(berkas: str, order: list[str]) -> int:
    return order.index(berkas) if berkas in order else len(order)
