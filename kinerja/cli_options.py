"""What every `kinerja` command shares: its options and the consoles it prints to."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

console = Console(stderr=False)
err = Console(stderr=True)

Tahun = Annotated[int, typer.Option("--tahun", help="Tahun penilaian, mis. 2026")]
InputDir = Annotated[Path, typer.Option("--input", help="Folder input (CSV atau kinerja.xlsx)")]
OutputDir = Annotated[Path, typer.Option("--output", help="Folder output; hasil di OUTPUT/<tahun>/")]
DbUrl = Annotated[str | None, typer.Option("--db", help="URL basis data (bawaan: SQLite tertanam)")]
Dokumen = Annotated[str, typer.Option("--dokumen", help="semua | unit:KODE_UNIT | nip:NIP | tidak")]
Ruleset = Annotated[str | None, typer.Option("--ruleset", help="Nama atau berkas ruleset instansi")]
Executor = Annotated[str, typer.Option("--executor", help="lokal | dask (per instansi di klaster Dask)")]
DaskAddress = Annotated[str | None, typer.Option(
    "--dask-address", help="Scheduler Dask, mis. tcp://scheduler:8786 (bawaan: klaster lokal)")]
