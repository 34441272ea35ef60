"""`kinerja audit verify`: re-walk the chain, re-digest the sealed rows, recompute the year-end result
from the archived inputs and (optionally) check the input files against their recorded checksums."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine

from audit.chain import json_object
from audit.digest import result_digests, run_tables
from audit.findings import HasilVerifikasi, Temuan, check_chain, compare_digests
from audit.recompute import RECOMPUTED, SNAPSHOTS, compare_results, rebuild_frames, ruleset_name
from contract.files import file_checksum, find_file
from contract.schema import FILES
from models.db import read_year
from models.stage_runs import read_chain_head, read_stage_runs, rows_per_run
from penilaian.ruleset import load_ruleset
from penilaian.year_end import score_year_end


def verify(
    engine: Engine, tahun: int, input_dir: Path | None = None, ruleset: str | None = None
) -> HasilVerifikasi:
    """Chain, sealed rows, recomputed year-end results and (optionally) input files of one year."""
    hasil = HasilVerifikasi(tahun=tahun)
    runs = read_stage_runs(engine)
    head = read_chain_head(engine)
    hasil.temuan += check_chain(runs, head)
    hasil.kepala = head
    by_id = {int(r["id"]): r for r in runs}
    year_runs = [r for r in runs if int(r["tahun"]) == tahun]
    hasil.diperiksa.update({"catatan_rantai": sum(r.get("record_hash") is not None for r in runs),
                            "stage_run_tahun": len(year_runs)})
    if not year_runs:
        hasil.peringatan.append(f"tidak ada stage run untuk tahun {tahun}")
    _verify_rows(engine, tahun, year_runs, by_id, hasil)
    _verify_recomputation(engine, tahun, by_id, ruleset, hasil)
    if input_dir is not None:
        _verify_inputs(Path(input_dir), year_runs, hasil)
    return hasil


def _verify_rows(engine: Engine, tahun: int, year_runs: list[dict], by_id: dict[int, dict],
                 hasil: HasilVerifikasi) -> None:
    """Each sealed run's rows digested again and compared with its seal; rows of unknown runs named."""
    sealed = sorted((r for r in year_runs if r.get("record_hash")),
                    key=lambda r: int(r["urutan_rantai"] or 0))
    baris = 0
    for index, run in enumerate(sealed):
        current = result_digests(engine, int(run["id"]))
        baris += sum(d["baris"] for d in current.values())
        temuan, diganti = compare_digests(run, current, sealed[index + 1:])
        hasil.temuan += temuan
        hasil.peringatan += [f"stage run {run['id']}: {text}" for text in diganti]
    hasil.diperiksa["baris_didigest"] = baris
    for name, counts in rows_per_run(engine, tahun, run_tables()).items():
        for rid, n in sorted(counts.items()):
            run = by_id.get(rid)
            if run is None:
                hasil.temuan.append(Temuan("baris", name, f"stage_run_id={rid}", rid,
                                           f"{n} baris milik stage run {rid} yang tidak ada lagi: "
                                           "catatan stage run dihapus?"))
            elif not run.get("record_hash") and run.get("outcome") == "berjalan":
                hasil.peringatan.append(f"{name}: {n} baris milik stage run {rid} yang masih berjalan "
                                        "(belum disegel)")


def _verify_recomputation(engine: Engine, tahun: int, by_id: dict[int, dict], ruleset: str | None,
                          hasil: HasilVerifikasi) -> None:
    """Recompute the year-end result from the archived inputs with the run's ruleset; compare."""
    stored = {name: read_year(engine, name, tahun) for name in RECOMPUTED}
    writers = sorted({int(x) for x in stored["hasil_penilaian"]["stage_run_id"].dropna().unique()})
    if not writers:
        hasil.peringatan.append(f"tidak ada hasil_penilaian tahun {tahun}: tidak ada yang dihitung ulang")
        return
    run = by_id.get(writers[-1])
    if run is None:
        return  # already reported as rows of a missing stage run
    rid = int(run["id"])
    name = ruleset or ruleset_name(run.get("ruleset_label"))
    try:
        rules = load_ruleset(name)
    except Exception as exc:  # noqa: BLE001 - an unloadable ruleset is a finding, not a crash
        hasil.temuan.append(Temuan("ruleset", "stage_run", f"id={rid}", rid,
                                   f"ruleset {name!r} tidak dapat dimuat: {exc}"))
        return
    if rules.checksum != run.get("ruleset_checksum"):
        hasil.temuan.append(Temuan(
            "ruleset", "stage_run", f"id={rid}", rid,
            f"checksum ruleset {rules.label} sekarang {rules.checksum[:16]}… ≠ tercatat "
            f"{str(run.get('ruleset_checksum'))[:16]}…: berkas ruleset berubah sejak penilaian"))
        return
    snapshots = {table_name: read_year(engine, table_name, tahun) for table_name in SNAPSHOTS}
    hasil.peringatan += _provenance(snapshots, by_id, run)
    result = score_year_end(rebuild_frames(snapshots, tahun), rules, tahun)
    recomputed = {"hasil_penilaian": result.hasil.assign(ruleset_label=result.ruleset_label),
                  "capaian_indikator": result.indikator, "bias_penilai": result.bias}
    for table_name, (key, columns) in RECOMPUTED.items():
        hasil.temuan += compare_results(table_name, stored[table_name],
                                        recomputed[table_name][[key, *columns]], key, columns)
        hasil.diperiksa[f"{table_name}_dihitung_ulang"] = len(recomputed[table_name])


def _provenance(snapshots: Mapping[str, pd.DataFrame], by_id: dict[int, dict], run: Mapping) -> list[str]:
    """Warn when an archived table came from files other than those the scoring run read."""
    used = json_object(run.get("input_checksums"))
    notes = []
    for table_name, frame in snapshots.items():
        for rid in sorted({int(x) for x in frame.get("stage_run_id", pd.Series(dtype="int64")).unique()}):
            source = by_id.get(rid)
            if source is None or rid == int(run["id"]):
                continue
            file_name = FILES[SNAPSHOTS[table_name]].name
            theirs = json_object(source.get("input_checksums"))
            name = file_name if file_name in theirs else next(
                (k for k in theirs if k.endswith(".xlsx")), file_name)
            if theirs.get(name) != used.get(name):
                notes.append(f"arsip {table_name} berasal dari stage run {rid} ({source.get('tahap')}) "
                             f"dengan {name} yang berbeda dari yang dibaca stage run {run['id']} "
                             f"({run.get('tahap')})")
    return notes


def _verify_inputs(folder: Path, year_runs: list[dict], hasil: HasilVerifikasi) -> None:
    """The files in `folder` against the checksums recorded by the year's latest successful runs."""
    latest: dict[str, dict] = {}
    for run in sorted((r for r in year_runs if r.get("outcome") == "berhasil" and r.get("record_hash")),
                      key=lambda r: int(r["urutan_rantai"] or 0)):
        latest[str(run["tahap"])] = run
    recorded: dict[tuple[str, str], list[str]] = {}
    for tahap, run in sorted(latest.items(), key=lambda item: int(item[1]["id"])):
        for name, checksum in sorted(json_object(run.get("input_checksums")).items()):
            recorded.setdefault((name, checksum), []).append(f"{run['id']} ({tahap})")
    now: dict[str, str | None] = {}
    for (name, checksum), used_by in sorted(recorded.items()):
        if name not in now:
            path = find_file(folder, name)
            now[name] = file_checksum(path) if path else None
        if now[name] is None:
            hasil.temuan.append(Temuan("input", name, name, None,
                                       f"berkas tidak ada di {folder} (dipakai stage run "
                                       f"{', '.join(used_by)})"))
        elif now[name] != checksum:
            hasil.temuan.append(Temuan(
                "input", name, f"sha256={now[name][:16]}…", None,
                f"berkas berubah: sha256 sekarang {now[name][:16]}…, tercatat {checksum[:16]}… oleh "
                f"stage run {', '.join(used_by)}"))
    hasil.diperiksa["berkas_input"] = len(now)
