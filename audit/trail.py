"""Auditors' side of the trail: re-walk the chain, re-digest the rows, recompute, log and explain.

Results that a later run of the same year replaced (stages.records.write_tables replaces a whole year
per table and reports `<table>_ditulis` in its counts) are not tampering: verify accepts rows that
vanished when a later sealed run of that year rewrote the table.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy import Engine, select
from sqlmodel import SQLModel

from audit.chain import GENESIS, record_hash
from audit.digest import canonical_time, result_digests, run_tables
from contract.files import file_checksum, find_file
from contract.schema import BERAKHLAK, FILES
from models.stage_runs import read_chain_head, read_stage_runs

# Snapshot tables the year-end result is recomputed from, with the input sheet each one archives.
SNAPSHOTS = {"unit_kerja": "unit_kerja", "pegawai": "pegawai", "indikator_skp": "skp",
             "realisasi": "realisasi", "perilaku": "perilaku", "rating_atasan": "rating_atasan"}
# Stored year-end results compared with the recomputation: table -> (key, compared columns).
RECOMPUTED = {
    "hasil_penilaian": ("nip", (
        "nama", "kode_unit", "kode_instansi", "capaian_hasil_kerja", "rating_hasil_kerja_hitung",
        "rating_hasil_kerja", "nilai_perilaku", "rating_perilaku_hitung", "rating_perilaku",
        "alasan_override", "predikat", "predikat_final", "alasan_kalibrasi", "ruleset_label")),
    "capaian_indikator": ("id_indikator", ("nip", "jenis", "target", "realisasi", "capaian", "level")),
    "bias_penilai": ("nip_penilai", ("kode_instansi", "jumlah_dinilai", "rata_rata", "selisih_z", "pola")),
}
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


# ---------------------------------------------------------------- findings


@dataclass(frozen=True)
class Temuan:
    """One audit finding: where it is (table, key, stage run) and what is wrong, in Indonesian."""

    bagian: str  # rantai | baris | hitung_ulang | ruleset | input
    tabel: str
    kunci: str
    stage_run_id: int | None
    uraian: str


@dataclass
class HasilVerifikasi:
    """Everything `audit verify` found for one year."""

    tahun: int
    temuan: list[Temuan] = field(default_factory=list)
    peringatan: list[str] = field(default_factory=list)
    diperiksa: dict[str, int] = field(default_factory=dict)
    kepala: dict | None = None

    @property
    def lulus(self) -> bool:
        return not self.temuan


def _json(text: object) -> dict:
    try:
        value = json.loads(str(text)) if text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def replaced_tables(record: Mapping[str, object]) -> set[str]:
    """Tables whose whole year the run rewrote (persist.write_tables' `<table>_ditulis` counts)."""
    counts = _json(record.get("counts"))
    if "sama_dengan_stage_run" in counts:
        return set()
    return {key.removesuffix("_ditulis") for key in counts if key.endswith("_ditulis")}


def check_chain(runs: list[Mapping], head: Mapping | None) -> list[Temuan]:
    """Recompute every sealed record's hash and re-walk the links from GENESIS to the head (pure)."""
    temuan: list[Temuan] = []
    sealed = []
    for run in sorted(runs, key=lambda r: int(r["id"])):
        rid = int(run["id"])
        if run.get("record_hash") is None:
            if run.get("outcome") != "berjalan":
                temuan.append(Temuan("rantai", "stage_run", f"id={rid}", rid,
                                     f"stage run ditutup ({run.get('outcome')}) tanpa segel record_hash"))
            continue
        computed = record_hash(run)
        if computed != run["record_hash"]:
            temuan.append(Temuan(
                "rantai", "stage_run", f"id={rid}", rid,
                f"isi catatan diubah: record_hash tersimpan {run['record_hash'][:16]}…, dihitung ulang "
                f"{computed[:16]}… (tahap {run.get('tahap')}, tahun {run.get('tahun')})"))
        if run.get("urutan_rantai") is None:
            temuan.append(Temuan("rantai", "stage_run", f"id={rid}", rid, "tersegel tanpa urutan_rantai"))
            continue
        sealed.append(run)
    expected_prev, expected_pos, previous = GENESIS, 1, None
    for run in sorted(sealed, key=lambda r: int(r["urutan_rantai"])):
        rid, pos = int(run["id"]), int(run["urutan_rantai"])
        after = f"sesudah stage run {previous['id']}" if previous else "di awal rantai"
        if pos > expected_pos:
            hilang = f"{expected_pos}" if pos == expected_pos + 1 else f"{expected_pos}–{pos - 1}"
            temuan.append(Temuan("rantai", "stage_run", f"urutan_rantai={hilang}", None,
                                 f"catatan rantai urutan {hilang} tidak ada ({after}, sebelum stage run "
                                 f"{rid}): stage run dihapus?"))
        elif pos < expected_pos:
            temuan.append(Temuan("rantai", "stage_run", f"id={rid}", rid,
                                 f"urutan_rantai {pos} ganda (rantai bercabang)"))
        if run.get("prev_hash") != expected_prev:
            temuan.append(Temuan(
                "rantai", "stage_run", f"id={rid}", rid,
                f"rantai putus: prev_hash {str(run.get('prev_hash'))[:16]}… ≠ record_hash catatan "
                f"sebelumnya {expected_prev[:16]}… ({after})"))
        expected_prev, expected_pos, previous = run["record_hash"], pos + 1, run
    jumlah = int(head["jumlah"]) if head else 0
    kepala_hash = head.get("kepala_hash") if head else None
    if jumlah != expected_pos - 1 or (kepala_hash or GENESIS) != expected_prev:
        temuan.append(Temuan(
            "rantai", "rantai_audit", "id=1", head.get("kepala_stage_run_id") if head else None,
            f"kepala rantai mencatat {jumlah} catatan (terakhir stage run "
            f"{head.get('kepala_stage_run_id') if head else '-'}, {str(kepala_hash)[:16]}…), tetapi rantai "
            f"yang ada berakhir di urutan {expected_pos - 1}: catatan terbaru dihapus?"))
    return temuan


def compare_digests(
    run: Mapping, current: Mapping[str, Mapping], later_runs: Iterable[Mapping]
) -> tuple[list[Temuan], list[str]]:
    """Sealed digests of one run vs its rows now; rows rewritten by a later run of the year are fine."""
    rid = int(run["id"])
    sealed = _json(run.get("hasil_digest"))
    temuan, diganti = [], []
    later = [(int(r["id"]), replaced_tables(r)) for r in later_runs]
    for name in sorted(set(sealed) | set(current)):
        then, now = sealed.get(name), current.get(name)
        if then is not None and now is not None and then.get("sha256") == now.get("sha256"):
            continue
        if then is not None and now is None:
            by = next((other for other, tables in later if name in tables), None)
            if by is not None:
                diganti.append(f"{name} ({then.get('baris')} baris) diganti stage run {by}")
                continue
        was = then.get("baris", 0) if then else 0
        is_ = now.get("baris", 0) if now else 0
        if then is None:
            uraian = f"{is_} baris tidak tercakup segel stage run ini: baris disisipkan?"
        elif now is None:
            uraian = f"{was} baris tersegel, 0 tersisa: baris dihapus"
        elif was != is_:
            uraian = f"{was} baris tersegel, {is_} sekarang: baris dihapus/disisipkan (digest berbeda)"
        else:
            uraian = f"isi {is_} baris berbeda dari yang disegel (digest berbeda): nilai diubah"
        temuan.append(Temuan("baris", name, f"stage_run_id={rid}", rid, uraian))
    return temuan, diganti


# ---------------------------------------------------------------- recomputation from the archive


def rebuild_frames(snapshots: Mapping[str, pd.DataFrame], tahun: int) -> dict[str, pd.DataFrame]:
    """Clean input frames, shaped as the reader hands them over, from the stored snapshot tables (pure)."""
    frames: dict[str, pd.DataFrame] = {}
    for table_name, sheet in SNAPSHOTS.items():
        spec = FILES[sheet]
        stored = snapshots.get(table_name, pd.DataFrame())
        if sheet == "skp":
            stored = stored.assign(tahun=tahun)
        data = pd.DataFrame(index=pd.RangeIndex(len(stored)))
        for kolom in spec.columns:
            values = stored[kolom].reset_index(drop=True) if kolom in stored else pd.Series(
                pd.NA, index=data.index, dtype="object")
            if kolom in spec.integers:
                data[kolom] = pd.to_numeric(values).astype("int64")
            elif kolom in spec.floats:
                data[kolom] = pd.to_numeric(values).astype("float64")
            else:
                data[kolom] = values.astype("str")
        data["_baris"] = np.arange(2, len(data) + 2, dtype="int64")
        if sheet == "realisasi":
            data["bulan"] = data["periode"].str.slice(5, 7).astype("int64")
        if sheet == "perilaku":
            data["semester"] = data["periode"].str.slice(6, 7).astype("int64")
        frames[sheet] = data
    return frames


def _same(stored: pd.Series, recomputed: pd.Series) -> np.ndarray:
    """Element-wise equality: numbers within float noise, text with NULL and '' alike."""
    left_num = pd.to_numeric(stored, errors="coerce")
    right_num = pd.to_numeric(recomputed, errors="coerce")
    numeric = (left_num.notna() | stored.isna()).all() and (right_num.notna() | recomputed.isna()).all()
    if numeric and (left_num.notna().any() or right_num.notna().any()):
        a, b = left_num.astype("float64").to_numpy(), right_num.astype("float64").to_numpy()
        both_na = np.isnan(a) & np.isnan(b)
        return both_na | np.isclose(a, b, rtol=1e-9, atol=1e-9)
    left = stored.astype("object").where(stored.notna(), "").astype("str").to_numpy()
    right = recomputed.astype("object").where(recomputed.notna(), "").astype("str").to_numpy()
    return left == right


def _show(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "NULL"
    if isinstance(value, float | np.floating):
        return repr(float(value))
    return repr(str(value))


def compare_results(
    tabel: str, stored: pd.DataFrame, recomputed: pd.DataFrame, key: str, columns: Iterable[str],
    limit: int = 20,
) -> list[Temuan]:
    """Column-by-column differences between stored and recomputed rows, naming key and stage run (pure)."""
    both = stored.merge(recomputed, on=key, how="outer", suffixes=("", "__hitung"), indicator=True)
    both = both.sort_values(key, kind="stable")
    temuan: list[Temuan] = []

    def _add(rows: pd.DataFrame, make) -> None:
        for row in rows.head(limit).to_dict("records"):
            temuan.append(make(row))
        if len(rows) > limit:
            temuan.append(Temuan("hitung_ulang", tabel, "…", None, f"dan {len(rows) - limit} baris lainnya"))

    def _run(row: dict) -> int | None:
        value = row.get("stage_run_id")
        return None if value is None or pd.isna(value) else int(value)

    _add(both.loc[both["_merge"] == "right_only"], lambda r: Temuan(
        "hitung_ulang", tabel, f"{key}={r[key]}", None,
        "baris hasil hitung ulang tidak ada di basis data: baris dihapus"))
    _add(both.loc[both["_merge"] == "left_only"], lambda r: Temuan(
        "hitung_ulang", tabel, f"{key}={r[key]}", _run(r),
        "baris tersimpan tidak dihasilkan oleh hitung ulang: baris disisipkan"))
    matched = both.loc[both["_merge"] == "both"].reset_index(drop=True)
    for column in columns:
        differs = matched.loc[~_same(matched[column], matched[f"{column}__hitung"])]
        _add(differs.rename(columns={column: "_tersimpan", f"{column}__hitung": "_hitung"}),
             lambda r, column=column: Temuan(
                 "hitung_ulang", tabel, f"{key}={r[key]}", _run(r),
                 f"{column}: tersimpan {_show(r['_tersimpan'])}, hitung ulang {_show(r['_hitung'])}"))
    return temuan


def ruleset_name(label: str | None) -> str | None:
    """'permenpan-6-2022 v1.0.0' -> 'permenpan-6-2022' (the label is `<nama> v<versi>`)."""
    if not label:
        return None
    return label.rsplit(" v", 1)[0]


# ---------------------------------------------------------------- database reads


def _read(engine: Engine, name: str, tahun: int, **where: object) -> pd.DataFrame:
    """A table's rows of one year (optionally filtered by equality), one set-based query."""
    tbl = SQLModel.metadata.tables[name]
    query = select(tbl).where(tbl.c.tahun == tahun)
    for column, value in where.items():
        query = query.where(tbl.c[column] == value)
    keys = [c for c in tbl.primary_key.columns]
    with engine.connect() as conn:
        return pd.read_sql(query.order_by(*keys), conn)


def _rows_by_run(engine: Engine, tahun: int) -> dict[str, dict[int, int]]:
    """Per run table: how many rows of the year each stage_run_id holds (gate_check: via its run)."""
    runs = SQLModel.metadata.tables["stage_run"]
    out: dict[str, dict[int, int]] = {}
    with engine.connect() as conn:
        for name in run_tables():
            tbl = SQLModel.metadata.tables[name]
            query = select(tbl.c.stage_run_id, sa.func.count()).group_by(tbl.c.stage_run_id)
            if "tahun" in tbl.c:
                query = query.where(tbl.c.tahun == tahun)
            else:
                query = query.where(tbl.c.stage_run_id.in_(select(runs.c.id).where(runs.c.tahun == tahun)))
            out[name] = {int(rid): int(n) for rid, n in conn.execute(query)}
    return out


# ---------------------------------------------------------------- verify


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
    for name, counts in _rows_by_run(engine, tahun).items():
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
    from penilaian.ruleset import load_ruleset
    from penilaian.scoring import score_year_end

    stored = {name: _read(engine, name, tahun) for name in RECOMPUTED}
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
    snapshots = {table_name: _read(engine, table_name, tahun) for table_name in SNAPSHOTS}
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
    used = _json(run.get("input_checksums"))
    notes = []
    for table_name, frame in snapshots.items():
        for rid in sorted({int(x) for x in frame.get("stage_run_id", pd.Series(dtype="int64")).unique()}):
            source = by_id.get(rid)
            if source is None or rid == int(run["id"]):
                continue
            berkas = FILES[SNAPSHOTS[table_name]].name
            theirs = _json(source.get("input_checksums"))
            name = berkas if berkas in theirs else next((k for k in theirs if k.endswith(".xlsx")), berkas)
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
        for name, checksum in sorted(_json(run.get("input_checksums")).items()):
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


# ---------------------------------------------------------------- log and explain


def _when(value: object) -> str:
    stamp = canonical_time(value)
    return f"{stamp[:10]} {stamp[11:19]}Z" if stamp else "-"


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


def stage_run_log(engine: Engine, tahun: int) -> pd.DataFrame:
    """The year's stage runs for auditors: who, when, on what inputs, under which rules, with what result."""
    rows = []
    for run in read_stage_runs(engine, tahun):
        checksums, counts = _json(run.get("input_checksums")), _json(run.get("counts"))
        rows.append({
            "id": int(run["id"]), "urutan": run.get("urutan_rantai"), "tahap": run["tahap"],
            "flow_run": f"{run.get('flow_run_name') or '-'} ({str(run.get('flow_run_id') or '-')[:8]})",
            "pemicu": run.get("pemicu"), "pengguna": run.get("pengguna"),
            "mulai": _when(run.get("started_at")), "selesai": _when(run.get("finished_at")),
            "hasil": run.get("outcome"), "ruleset": run.get("ruleset_label"), "kode": run.get("code_version"),
            "input": ", ".join(
                f"{k.removesuffix('.csv')} {v[:8]}"
                + (f" ×{counts[k.removesuffix('.csv')]}" if k.removesuffix(".csv") in counts else "")
                for k, v in sorted(checksums.items())),
            "hitungan": summarise_counts(counts),
            "record_hash": (run.get("record_hash") or "")[:16],
        })
    return pd.DataFrame(rows)


@dataclass
class Penjelasan:
    """How one employee's predikat came about, step by step, from the stored rows."""

    nip: str
    tahun: int
    pegawai: dict
    hasil: dict
    indikator: pd.DataFrame
    hasil_kerja: dict
    perilaku: pd.DataFrame
    rerata: dict[str, float]
    perilaku_ringkas: dict
    matriks: dict
    kalibrasi: dict
    stage_runs: pd.DataFrame
    ruleset: object | None = None
    catatan: list[str] = field(default_factory=list)


def explain(engine: Engine, nip: str, tahun: int) -> Penjelasan | pd.DataFrame:
    """Gather everything behind one employee's year-end result; a quarantine frame if not scored."""
    from penilaian.ruleset import load_ruleset
    from penilaian.scoring import MATRIKS, hasil_kerja_pegawai, kepala_unit, perilaku_pegawai

    hasil_rows = _read(engine, "hasil_penilaian", tahun, nip=nip)
    if hasil_rows.empty:
        return _read(engine, "karantina", tahun, nilai=nip)
    hasil = hasil_rows.iloc[0].to_dict()
    runs = {int(r["id"]): r for r in read_stage_runs(engine, tahun)}
    run = runs.get(int(hasil["stage_run_id"]), {})
    catatan: list[str] = []
    try:
        rules = load_ruleset(ruleset_name(run.get("ruleset_label")))
        if rules.checksum != run.get("ruleset_checksum"):
            catatan.append("checksum ruleset sekarang berbeda dari yang tercatat: ambang bisa berbeda")
    except Exception as exc:  # noqa: BLE001 - explanation still works from stored values
        rules = None
        catatan.append(f"ruleset {run.get('ruleset_label')} tidak dapat dimuat: {exc}")

    pegawai = _read(engine, "pegawai", tahun, nip=nip)
    orang = pegawai.iloc[0].to_dict() if len(pegawai) else {"nip": nip, "nip_atasan": None}
    atasan = _read(engine, "pegawai", tahun, nip=orang["nip_atasan"]) if orang.get("nip_atasan") else \
        pegawai.iloc[0:0]
    unit = _read(engine, "unit_kerja", tahun, kode_unit=hasil["kode_unit"])
    predikat_organisasi = unit["predikat_organisasi"].iloc[0] if len(unit) else None
    skp = _read(engine, "indikator_skp", tahun, nip=nip)
    indikator = _read(engine, "capaian_indikator", tahun, nip=nip)
    indikator = indikator.merge(
        skp[["id_indikator", "indikator", "rencana_hasil_kerja", "aspek", "arah", "satuan", "stage_run_id"]],
        on="id_indikator", how="left", suffixes=("", "_skp"))
    hk = hasil_kerja_pegawai(indikator)
    hk_row = hk.iloc[0].to_dict() if len(hk) else {}
    kepala = bool(kepala_unit(pd.concat([pegawai, atasan], ignore_index=True)).iloc[0]) \
        if len(pegawai) else False
    override = _read(engine, "rating_atasan", tahun, nip=nip)
    ov = override.iloc[0].to_dict() if len(override) else {}
    hasil_kerja = {
        "jumlah_utama": hk_row.get("jumlah_utama"), "jumlah_di_atas": hk_row.get("jumlah_di_atas"),
        "jumlah_di_bawah": hk_row.get("jumlah_di_bawah"),
        "capaian_hasil_kerja": hasil["capaian_hasil_kerja"],
        "rating_dari_indikator": hk_row.get("rating_hasil_kerja_hitung"),
        "kepala_unit": kepala, "predikat_organisasi": predikat_organisasi,
        "aturan_kepala_unit": bool(rules.kepala_unit.aktif) if rules else None,
        "peta_kepala_unit": (rules.kepala_unit.peta.get(predikat_organisasi) if rules and predikat_organisasi
                             else None),
        "rating_hitung": hasil["rating_hasil_kerja_hitung"], "override": ov.get("rating_hasil_kerja"),
        "rating": hasil["rating_hasil_kerja"], "alasan_override": hasil.get("alasan_override"),
    }
    perilaku = _read(engine, "perilaku", tahun, nip=nip)
    perilaku = perilaku.assign(
        semester=perilaku["periode"].astype("str").str[-1].astype("int64"),
        dihitung=(perilaku["nip_penilai"] == orang.get("nip_atasan")).to_numpy())
    rerata: dict[str, float] = {}
    if rules is not None and len(perilaku):
        pk = perilaku_pegawai(perilaku, pd.DataFrame([{"nip": nip, "nip_atasan": orang.get("nip_atasan")}]),
                              rules.perilaku, tahun)
        if len(pk):
            rerata = {nilai: float(pk[f"rerata_{nilai}"].iloc[0]) for nilai in BERAKHLAK}
    perilaku_ringkas = {
        "nilai_perilaku": hasil.get("nilai_perilaku"), "rating_hitung": hasil.get("rating_perilaku_hitung"),
        "override": ov.get("rating_perilaku"), "rating": hasil["rating_perilaku"],
    }
    matriks = {"rating_hasil_kerja": hasil["rating_hasil_kerja"], "rating_perilaku": hasil["rating_perilaku"],
               "predikat": MATRIKS.get((hasil["rating_hasil_kerja"], hasil["rating_perilaku"])),
               "predikat_tersimpan": hasil["predikat"]}
    kalibrasi = {"predikat": hasil["predikat"], "predikat_final": hasil["predikat_final"],
                 "alasan_kalibrasi": hasil.get("alasan_kalibrasi") or "", "kode_unit": hasil["kode_unit"],
                 "predikat_organisasi": predikat_organisasi}
    used = {int(hasil["stage_run_id"])}
    for frame in (pegawai, unit, skp, perilaku, override, indikator):
        used |= {int(x) for x in frame.get("stage_run_id", pd.Series(dtype="int64")).dropna().unique()}
    stage_runs = pd.DataFrame([{
        "id": rid, "tahap": runs[rid]["tahap"],
        "flow_run": f"{runs[rid].get('flow_run_name') or '-'} ({runs[rid].get('flow_run_id') or '-'})",
        "mulai": _when(runs[rid].get("started_at")), "hasil": runs[rid].get("outcome"),
        "ruleset": runs[rid].get("ruleset_label"),
        "input": ", ".join(f"{k}:{v[:12]}"
                           for k, v in sorted(_json(runs[rid].get("input_checksums")).items())),
        "record_hash": (runs[rid].get("record_hash") or "")[:16],
    } for rid in sorted(used) if rid in runs])
    return Penjelasan(nip=nip, tahun=tahun, pegawai=orang, hasil=hasil, indikator=indikator,
                      hasil_kerja=hasil_kerja, perilaku=perilaku, rerata=rerata,
                      perilaku_ringkas=perilaku_ringkas, matriks=matriks, kalibrasi=kalibrasi,
                      stage_runs=stage_runs, ruleset=rules, catatan=catatan)


# ---------------------------------------------------------------- database roles


def grant_auditor(engine: Engine, role: str, password: str | None = None) -> list[str]:
    """A read-only PostgreSQL role: CONNECT, USAGE on public, SELECT on every table now and later."""
    from psycopg import sql

    if not ROLE_NAME.match(role):
        raise ValueError(f"nama role {role!r} tidak sah / invalid role name (huruf kecil, angka, _)")
    done = []
    with engine.begin() as conn:
        driver = conn.connection.driver_connection
        ident = sql.Identifier(role)
        database = conn.exec_driver_sql("SELECT current_database()").scalar_one()
        exists = conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
        statements = []
        if not exists:
            statements.append(sql.SQL("CREATE ROLE {} LOGIN").format(ident))
        if password:
            statements.append(sql.SQL("ALTER ROLE {} LOGIN PASSWORD {}").format(ident, sql.Literal(password)))
        statements += [
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), ident),
            sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(ident),
            sql.SQL("REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA "
                    "public FROM {}").format(ident),
            sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA public TO {}").format(ident),
            sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO {}").format(ident),
        ]
        with driver.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
                done.append(re.sub(r"PASSWORD '.*'", "PASSWORD '***'", statement.as_string(driver)))
    return done
