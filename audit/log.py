"""`kinerja audit log`: a year's stage runs as auditors read them — who, when, on what, with what result."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from sqlalchemy import Engine

from audit.chain import json_object
from audit.digest import display_time
from contract.schema import FILES
from models.stage_runs import read_stage_runs


def summarise_counts(counts: Mapping[str, object]) -> str:
    """A stage run's counts in a few words: input rows by file, results, predikat spread."""
    sheets = {spec.sheet for spec in FILES.values()}
    written = sum(int(v) for k, v in counts.items() if k.endswith("_ditulis") and str(v).isdigit())
    parts = [f"{k}={v}" for k, v in sorted(counts.items())
             if k not in sheets and not k.endswith("_ditulis") and "." not in k]
    spread = {k.split(".", 1)[1]: v for k, v in counts.items() if k.startswith("predikat_final.")}
    if spread:
        parts.append("predikat_final: " + ", ".join(f"{k} {v}" for k, v in sorted(spread.items())))
    if "sama_dengan_stage_run" not in counts and any(k.endswith("_ditulis") for k in counts):
        parts.append(f"baris ditulis={written}")
    return "; ".join(parts)


def _rows_read(counts: Mapping[str, object], name: str) -> str:
    """` ×N`, the rows read of an input file (`<file>.dibaca`; runs recorded before it: `<file>`)."""
    read = counts.get(f"{name}.dibaca", counts.get(name))
    return f" ×{read}" if read is not None else ""


def stage_run_log(engine: Engine, tahun: int) -> pd.DataFrame:
    """The year's stage runs for auditors: who, when, on what inputs, under which rules, with what result."""
    rows = []
    for run in read_stage_runs(engine, tahun):
        checksums, counts = json_object(run.get("input_checksums")), json_object(run.get("counts"))
        rows.append({
            "id": int(run["id"]), "urutan": run.get("urutan_rantai"), "tahap": run["tahap"],
            "flow_run": f"{run.get('flow_run_name') or '-'} ({str(run.get('flow_run_id') or '-')[:8]})",
            "pemicu": run.get("pemicu"), "pengguna": run.get("pengguna"),
            "mulai": display_time(run.get("started_at")), "selesai": display_time(run.get("finished_at")),
            "hasil": run.get("outcome"), "ruleset": run.get("ruleset_label"), "kode": run.get("code_version"),
            "input": ", ".join(f"{k.removesuffix('.csv')} {v[:8]}{_rows_read(counts, k.removesuffix('.csv'))}"
                               for k, v in sorted(checksums.items())),
            "hitungan": summarise_counts(counts),
            "record_hash": (run.get("record_hash") or "")[:16],
        })
    return pd.DataFrame(rows)
