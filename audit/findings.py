"""Audit findings and the pure checks that produce them: the chain walk and sealed rows vs rows now.

Results that a later run of the same year replaced (stages.records.write_tables replaces a whole year
per table and reports `<table>_ditulis` in its counts) are not tampering: rows that vanished when a
later sealed run of that year rewrote the table are accepted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from audit.chain import GENESIS, json_object, record_hash


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


def replaced_tables(record: Mapping[str, object]) -> set[str]:
    """Tables whose whole year the run rewrote (write_tables' `<table>_ditulis` counts)."""
    counts = json_object(record.get("counts"))
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
            missing = f"{expected_pos}" if pos == expected_pos + 1 else f"{expected_pos}–{pos - 1}"
            temuan.append(Temuan("rantai", "stage_run", f"urutan_rantai={missing}", None,
                                 f"catatan rantai urutan {missing} tidak ada ({after}, sebelum stage run "
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
    sealed = json_object(run.get("hasil_digest"))
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
