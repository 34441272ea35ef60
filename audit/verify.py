"""`kinerja audit verify`: re-walk the chain, re-digest the sealed rows, recompute the results of
mid-year, year-end, objection and training (the functional officials' angka kredit included) from the
archived inputs, and (optionally) check the input files against their recorded checksums."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine

from audit.chain import json_object
from audit.digest import result_digests, run_tables
from audit.findings import HasilVerifikasi, Temuan, check_chain, compare_digests, replaced_tables
from audit.recompute import HITUNGAN, Hitungan, compare_results, rebuild_frames, recompute_stage, ruleset_name
from contract.files import file_checksum, find_file
from contract.schema import FILES
from models.db import read_year
from models.stage_runs import read_chain_head, read_stage_runs, rows_per_run
from penilaian.ruleset import load_ruleset
from penilaian.year_end import score_year_end


def verify(
    engine: Engine, tahun: int, input_dir: Path | None = None, ruleset: str | None = None
) -> HasilVerifikasi:
    """Chain, sealed rows, recomputed stage results and (optionally) input files of one year."""
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
    """Recompute each stage's results from the archived inputs with the ruleset its run recorded, and
    compare them with the stored ones: mid-year, year-end, objection, training."""
    year_runs = [r for r in by_id.values() if int(r["tahun"]) == tahun]
    archive: dict[str, pd.DataFrame] = {}
    scored: dict[str, object] = {}  # year-end results by ruleset checksum, shared by the later stages

    def snapshots(arsip: Mapping[str, str]) -> dict[str, pd.DataFrame]:
        for name in arsip:
            if name not in archive:
                archive[name] = read_year(engine, name, tahun)
        return {name: archive[name] for name in arsip}

    for hitungan in HITUNGAN:
        stored = {name: read_year(engine, name, tahun) for name in hitungan.tables}
        run = _result_run(hitungan, stored, year_runs, by_id)
        if run is None:
            if hitungan.tahap == "year-end":
                hasil.peringatan.append(
                    f"tidak ada hasil_penilaian tahun {tahun}: tidak ada yang dihitung ulang")
            continue
        rid = int(run["id"])
        missing = _archive_missing(hitungan, run)
        if missing:
            hasil.peringatan.append(
                f"stage run {rid} ({hitungan.tahap}) tidak mengarsipkan {', '.join(missing)} (versi lama): "
                f"{', '.join(hitungan.tables)} tidak dihitung ulang")
            continue
        rules = _ruleset(run, ruleset, hasil)
        if rules is None:
            continue
        older = _archive_newer(hitungan, run)
        for archive_name, tables in older.items():
            hasil.peringatan.append(
                f"stage run {rid} ({hitungan.tahap}) tidak mengarsipkan {archive_name} (versi lama): "
                f"{', '.join(tables)} tidak dihitung ulang")
        arsip = {name: sheet for name, sheet in hitungan.arsip.items() if name not in older}
        archived = snapshots(arsip)
        hasil.peringatan += [note for note in _provenance(archived, arsip, by_id, run)
                             if note not in hasil.peringatan]
        frames = rebuild_frames(archived, tahun, arsip)

        def year_end(frames: dict[str, pd.DataFrame] = frames, rules=rules):
            if rules.checksum not in scored:
                scored[rules.checksum] = score_year_end(frames, rules, tahun)
            return scored[rules.checksum]

        recomputed = recompute_stage(hitungan.tahap, frames, rules, tahun, year_end)
        skipped = {name for tables in older.values() for name in tables}
        for table_name, (key, columns) in hitungan.hasil.items():
            if table_name in skipped:
                continue
            mine = recomputed[table_name]
            hasil.temuan += compare_results(table_name, stored[table_name], mine[[*key, *columns]], key,
                                            columns, stage_run_id=rid)
            hasil.diperiksa[f"{table_name}_dihitung_ulang"] = len(mine)


def _result_run(hitungan: Hitungan, stored: Mapping[str, pd.DataFrame], year_runs: list[dict],
                by_id: dict[int, dict]) -> dict | None:
    """The stage run whose results stand: the latest that wrote the stored rows or, when they hold
    none, the latest sealed successful run of the stage that replaced its tables (it wrote none, and
    none must be there); None when the stage has no results (rows of a missing run are already named)."""
    writers = sorted({int(x) for frame in stored.values() for x in frame["stage_run_id"].dropna().unique()})
    if writers:
        return by_id.get(writers[-1])
    wrote = [r for r in year_runs if r.get("tahap") == hitungan.tahap and r.get("record_hash")
             and r.get("outcome") == "berhasil" and set(hitungan.tables) & replaced_tables(r)]
    return max(wrote, key=lambda r: int(r["id"])) if wrote else None


def _archive_missing(hitungan: Hitungan, run: Mapping) -> list[str]:
    """Archive tables this stage writes itself that its run did not write (a run of an older version)."""
    counts = json_object(run.get("counts"))
    return [name for name in hitungan.arsip_sendiri if f"{name}_ditulis" not in counts]


def _archive_newer(hitungan: Hitungan, run: Mapping) -> dict[str, tuple[str, ...]]:
    """Archive tables a later version of this stage writes that its run did not write, with the result
    tables recomputed from them (a run of an earlier version: those results are not recomputed)."""
    counts = json_object(run.get("counts"))
    return {name: tables for name, tables in hitungan.arsip_baru.items() if f"{name}_ditulis" not in counts}


def _ruleset(run: Mapping, ruleset: str | None, hasil: HasilVerifikasi):
    """The run's recorded ruleset (or `ruleset`), loaded and checked against its recorded checksum;
    None, with a finding, when it cannot be loaded or has changed."""
    rid = int(run["id"])
    name = ruleset or ruleset_name(run.get("ruleset_label"))
    try:
        rules = load_ruleset(name)
    except Exception as exc:  # noqa: BLE001 - an unloadable ruleset is a finding, not a crash
        hasil.temuan.append(Temuan("ruleset", "stage_run", f"id={rid}", rid,
                                   f"ruleset {name!r} tidak dapat dimuat: {exc}"))
        return None
    if rules.checksum != run.get("ruleset_checksum"):
        hasil.temuan.append(Temuan(
            "ruleset", "stage_run", f"id={rid}", rid,
            f"checksum ruleset {rules.label} sekarang {rules.checksum[:16]}… ≠ tercatat "
            f"{str(run.get('ruleset_checksum'))[:16]}…: berkas ruleset berubah sejak stage run ini "
            f"({run.get('tahap')})"))
        return None
    return rules


def _provenance(snapshots: Mapping[str, pd.DataFrame], arsip: Mapping[str, str], by_id: dict[int, dict],
                run: Mapping) -> list[str]:
    """Warn when an archived table came from files other than those the result's run read."""
    used = json_object(run.get("input_checksums"))
    notes = []
    for table_name, frame in snapshots.items():
        for rid in sorted({int(x) for x in frame.get("stage_run_id", pd.Series(dtype="int64")).unique()}):
            source = by_id.get(rid)
            if source is None or rid == int(run["id"]):
                continue
            file_name = FILES[arsip[table_name]].name
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
