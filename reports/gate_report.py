"""The gate report gerbang_<tahap>.html: failing checks first with their worst rows and how to fix them,
then warnings, then every check, pass or fail, with its counts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from reports.common import format_numbers, safe_name, template, text_column, write_text, year_text
from stages import registry


def render_gate_report(result: Any, out_dir: Path) -> Path:
    """Write gerbang_<tahap>.html so a stopped stage always says which check failed, why and what to do."""
    tahap = safe_name(result.tahap)
    # failing checks first, then warnings (passed with failing rows), then the rest; stable within each
    checks = sorted(result.checks, key=_status_order)
    lulus = getattr(result, "lulus", None)
    if lulus is None:
        lulus = all(bool(c.lulus) for c in checks)
    jumlah_lulus = sum(1 for c in checks if c.lulus)
    ringkasan_unit = getattr(result, "ringkasan_unit", None)
    html = template("gerbang.html.j2").render(
        tahap=tahap,
        tahap_label=registry.get(tahap).label if tahap in registry.names() else tahap,
        tahun=year_text(getattr(result, "tahun", None)),
        lulus=bool(lulus),
        checks=checks,
        jumlah_lulus=jumlah_lulus,
        jumlah_gagal=len(checks) - jumlah_lulus,
        jumlah_peringatan=sum(1 for c in checks if _status_order(c) == 1),
        gagal=[_examples(c) for c in checks if not c.lulus],
        peringatan=[_examples(c) for c in checks if c.lulus and getattr(c, "contoh", None)],
        ringkasan=(
            _table(ringkasan_unit) if ringkasan_unit is not None and len(ringkasan_unit) else None
        ),
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    return write_text(out_dir / f"gerbang_{tahap}.html", html)


def _status_order(check: Any) -> int:
    """0 failed, 1 warning (passed, but some rows failed or are shown), 2 passed."""
    if not check.lulus:
        return 0
    return 1 if getattr(check, "gagal", 0) or getattr(check, "contoh", None) else 2


def _cell(value: Any) -> str:
    """A raw cell of an example row: shown as it was, NA as empty."""
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, float) and value != value:
        return ""
    return str(value)


def _examples(check: Any) -> dict[str, Any]:
    """The worst rows of one check as a header + rows table (keys in first-seen order)."""
    rows = list(getattr(check, "contoh", None) or [])
    kolom: list[str] = []
    for row in rows:
        for k in row:
            if k not in kolom:
                kolom.append(k)
    return {
        "kode": check.kode,
        "berkas": check.berkas,
        "deskripsi": check.deskripsi,
        "description": getattr(check, "description", ""),
        "lulus": bool(check.lulus),
        "diperiksa": check.diperiksa,
        "gagal": check.gagal,
        "ambang": check.ambang,
        "perbaikan": getattr(check, "perbaikan", ""),
        "fix": getattr(check, "fix", ""),
        "kolom": kolom,
        "baris": [[_cell(row.get(k)) for k in kolom] for row in rows],
    }


def _table(df: pd.DataFrame) -> dict[str, Any]:
    """Any small frame as a formatted table: numbers Indonesian-style, text as text."""
    kolom, isi = [], []
    for col in df.columns:
        s = df[col]
        label = str(col).replace("_", " ").capitalize()
        if pd.api.types.is_bool_dtype(s):
            kolom.append((label, False))
            isi.append(s.map({True: "ya", False: "tidak"}).astype(object).fillna(""))
        elif pd.api.types.is_integer_dtype(s):
            kolom.append((label, True))
            isi.append(s.map(lambda v: "" if pd.isna(v) else f"{int(v):,}".replace(",", ".")))
        elif pd.api.types.is_float_dtype(s):
            kolom.append((label, True))
            isi.append(format_numbers(s))
        else:
            kolom.append((label, False))
            isi.append(text_column(s))
    baris = [list(r) for r in zip(*(c.tolist() for c in isi), strict=True)] if isi else []
    return {"kolom": kolom, "baris": baris}
