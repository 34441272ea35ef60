"""What a gate decides: its checks, their thresholds and evidence rows, and the stop when one failed.

A failing gate raises `GateFailed` (after the caller saved its report), so the next stage never
runs on bad data.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kinerja.errors import GateFailed

# Evidence rows kept per check (the worst first where there is an order).
MAX_EXAMPLES = 10
FRAME_COLUMNS = (
    "tahap",
    "tahun",
    "kode",
    "berkas",
    "deskripsi",
    "sumber",
    "lulus",
    "diperiksa",
    "gagal",
    "persen_gagal",
    "ambang",
    "contoh",
)


@dataclass
class GateCheck:
    """One check of a gate, whatever its source, with the worst rows as evidence."""

    kode: str
    berkas: str
    deskripsi: str
    sumber: str
    lulus: bool
    diperiksa: int
    gagal: int
    ambang: str
    contoh: list[dict] = field(default_factory=list)
    # The check in English and what to do when it fails (Indonesian, English): the console message
    # and the gate report show them; not stored in the gate_check table.
    description: str = ""
    perbaikan: str = ""
    fix: str = ""

    @property
    def peringatan(self) -> bool:
        """Passed, but with failing rows (within the threshold, or a check that only reports)."""
        return bool(self.lulus) and self.gagal > 0


@dataclass
class GateResult:
    """All checks of one stage's gate; the stage may go on only when every check passed."""

    tahap: str
    tahun: int
    checks: list[GateCheck]
    ringkasan_unit: pd.DataFrame | None = None

    @property
    def lulus(self) -> bool:
        return all(c.lulus for c in self.checks)

    @property
    def gagal(self) -> list[GateCheck]:
        """The checks that stopped the gate, in report order."""
        return [c for c in self.checks if not c.lulus]

    def to_frame(self) -> pd.DataFrame:
        """One row per check (contoh as JSON text) for the Prefect table artifact and the DB."""
        rows = [
            {
                "tahap": self.tahap,
                "tahun": self.tahun,
                "kode": c.kode,
                "berkas": c.berkas,
                "deskripsi": c.deskripsi,
                "sumber": c.sumber,
                "lulus": bool(c.lulus),
                "diperiksa": int(c.diperiksa),
                "gagal": int(c.gagal),
                "persen_gagal": round(100 * c.gagal / c.diperiksa, 2) if c.diperiksa else None,
                "ambang": c.ambang,
                "contoh": json.dumps(c.contoh, ensure_ascii=False, default=str),
            }
            for c in self.checks
        ]
        frame = pd.DataFrame(rows, columns=list(FRAME_COLUMNS))
        return frame.astype(
            {"lulus": bool, "diperiksa": "int64", "gagal": "int64", "persen_gagal": "float64"}
        )

    def ringkas(self) -> str:
        """A short Indonesian summary for the run log (`pesan` is what stops the stage)."""
        total = len(self.checks)
        gagal = self.gagal
        if not gagal:
            return f"LULUS: {total} pemeriksaan lulus ({self.tahap} {self.tahun})"
        rincian = "; ".join(f"{c.kode} ({c.gagal} dari {c.diperiksa} baris, {c.ambang}){_named(c)}"
                            for c in gagal)
        return f"GAGAL: {len(gagal)} dari {total} pemeriksaan gagal: {rincian}"

    def pesan(self, most: int = 3) -> str:
        """The failed gate in one line, Indonesian then English: the first `most` failing checks with
        what they check, their counts and threshold, and the values their rows name."""
        gagal, total = self.gagal, len(self.checks)
        shown = gagal[:most]
        rest = len(gagal) - len(shown)
        id_ = "; ".join(f"{c.kode} ({c.deskripsi}; {c.gagal} dari {c.diperiksa} baris, {c.ambang}){_named(c)}"
                        for c in shown) + (f"; dan {rest} pemeriksaan lain" if rest else "")
        en = "; ".join(f"{c.kode} ({c.description or c.deskripsi}; {c.gagal} of {c.diperiksa} rows, "
                       f"{threshold_en(c.ambang)}){_named(c, en=True)}"
                       for c in shown) + (f"; and {rest} more checks" if rest else "")
        return (f"Gerbang gagal — {self.tahap} {self.tahun}: {len(gagal)} dari {total} pemeriksaan tidak "
                f"lulus: {id_} / Gate failed — {self.tahap} {self.tahun}: {len(gagal)} of {total} checks "
                f"did not pass: {en}")


def _named(check: GateCheck, most: int = 5, *, en: bool = False) -> str:
    """The values the failing rows name (e.g. the units without a predikat), so the one-line message
    says what to fix; nothing when the evidence carries no value."""
    values = list(dict.fromkeys(str(r["nilai"]) for r in check.contoh if r.get("nilai") not in (None, "")))
    if not values:
        return ""
    more = ""
    if check.gagal > most and len(values) >= most:
        more = f" and {check.gagal - most} more" if en else f" dan {check.gagal - most} lainnya"
    return ": " + ", ".join(values[:most]) + more


def enforce(result: GateResult, report_path: Path) -> None:
    """Stop the stage when its gate failed; the report at report_path says why and how to fix it."""
    if not result.lulus:
        raise GateFailed(result.pesan(), result=result, report_path=report_path)


# ---------------------------------------------------------------- thresholds


def within_threshold(gagal: int, diperiksa: int, persen: float) -> bool:
    """gagal is at most persen % of diperiksa (no failure allowed when nothing was checked)."""
    if diperiksa <= 0:
        return gagal == 0
    return gagal * 100 <= persen * diperiksa + 1e-9 * diperiksa


def threshold_text(persen: float) -> str:
    """The threshold as the report shows it: 'maks. 20% baris'."""
    return f"maks. {percent_text(persen)}% baris"


def threshold_en(ambang: str) -> str:
    """A threshold as `threshold_text` and the checks write it, in English."""
    fixed = {"tidak boleh ada": "none allowed", "min. 1 baris": "at least 1 row",
             "boleh kosong": "may be empty", "hanya dilaporkan": "reported only"}
    if ambang in fixed:
        return fixed[ambang]
    if ambang.startswith("maks. ") and ambang.endswith("% baris"):
        return f"at most {ambang[6:-7].replace(',', '.')}% of rows"
    return ambang


def percent_text(x: float) -> str:
    """20.0 -> '20', 2.5 -> '2,5' (Indonesian decimal comma)."""
    if math.isclose(x, round(x)):
        return str(round(x))
    return f"{x:g}".replace(".", ",")


# ---------------------------------------------------------------- evidence rows


def plain_records(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain-Python dicts (NA as None) so they serialise to JSON and the DB."""
    return [{str(k): plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def plain(v: Any) -> Any:
    """A numpy/pandas scalar as a plain Python value, NA as None."""
    if isinstance(v, np.generic):
        v = v.item()
    if v is None or (not isinstance(v, (list, tuple, dict)) and pd.isna(v)):
        return None
    return v
