"""The quarantine file: its columns (one copy for every producer) and the merged karantina.csv."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from contract.output import write_csv
from stages import registry

KARANTINA_COLUMNS = ["berkas", "baris", "kolom", "nilai", "kode_aturan", "alasan", "reason", "tahap"]


def write_karantina_csv(output_dir: Path, tahap: str, karantina: pd.DataFrame) -> Path:
    """Merge stage `tahap`'s quarantined rows into OUTPUT/<tahun>/karantina.csv (other stages' rows kept)."""
    path = output_dir / "karantina.csv"
    output_dir.mkdir(parents=True, exist_ok=True)
    frames = []
    if path.exists():
        old = pd.read_csv(path, dtype=str, keep_default_na=False)
        frames.append(old[old["tahap"] != tahap])
    new = karantina.assign(tahap=tahap)[KARANTINA_COLUMNS].astype(str)
    new = new.replace({"<NA>": "", "nan": "", "None": ""})
    frames.append(new)
    merged = pd.concat(frames, ignore_index=True)[KARANTINA_COLUMNS]
    merged = merged.assign(
        _t=merged["tahap"].map(registry.order), _b=pd.to_numeric(merged["baris"], errors="coerce")
    ).sort_values(["_t", "berkas", "_b", "kolom", "kode_aturan"], kind="stable")
    write_csv(merged.drop(columns=["_t", "_b"]), path)
    return path
