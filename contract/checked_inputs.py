"""A stage's input files read and checked, each file at most once per process while it stays the same.

`kinerja cycle` runs six stages in one process on the same files: parsing and checking realisasi.csv
alone (42M rows at 1,000,000 employees) took ≈ 45 s per stage. What the value rules make of a file —
its clean frame, its quarantine rows and its warnings — depends only on:

- the file's bytes (its sha256, as the stage run records them) and where it was read from,
- the year,
- its parents' state as its rules see it (contract.values.PARENTS: their values, fixed by their
  bytes, and which of their rows broke a rule), and
- for unit_kerja, whether the stage needs predikat_organisasi.

So each checked file is kept in the process cache (`ProcessCache.checked`) under exactly that key,
with a fingerprint of its own state (key + broken rows) that its children's keys carry; the next
stage takes it from there and neither parses nor checks it again. When a file misses (new bytes, a
parent whose state changed), it is checked anew together with its ancestors — its rules need them at
hand — and the result is the one a full check gives, file for file. The raw text of a file taken from
the cache is parsed only when something asks for it (contract.inputs.RawFiles): a gate suite not yet
run on these bytes, or a year-end check that reads raw rows.

Only the latest stage's files stay in the cache: the entries a stage does not hit are dropped before
it reads the rest, so a stage holds at most its own files' frames (which it needs anyway).
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from contract.checked_file import CheckedFile
from contract.inputs import RawFiles
from contract.karantina import empty_karantina, sort_karantina
from contract.reader import read_table, reading_key
from contract.values import PARENTS, FileCheck, check_values_by_file, combine_checks
from stages import registry
from stages.cache import ProcessCache

# Parents before children: the order in which keys (which carry the parents' fingerprints) are made.
_ORDER = tuple(PARENTS)
# Parents whose checked file (values and broken rows) is kept too: files that come and go between stages
# hang under them (survei_masyarakat; keberatan, riwayat_pelatihan, angka_kredit...), and a child's
# rules need its parent at hand — kept, the parent is not parsed and checked again for a new child.
# (skp's one child, realisasi, comes with it: an skp kept for it would hold 3.5M raw rows at 1M.)
_KEEP_FILE = frozenset({"unit_kerja", "pegawai"})


@dataclass(frozen=True)
class KeptFile:
    """One file as a stage's value rules left it, kept for the next stage."""

    check: FileCheck  # clean frame, quarantine and warning rows; the checked file for _KEEP_FILE
    read_karantina: pd.DataFrame  # the reader's own quarantine rows (JUMLAH_KOLOM)
    rows: int  # data rows read
    fingerprint: str  # what its children's rules see of it (bytes, year, broken rows), hashed


@dataclass(frozen=True)
class CheckedInputs:
    """A stage's files read and checked: as contract.reader.read_inputs + contract.values.check_values."""

    raw: RawFiles
    frames: dict[str, pd.DataFrame]
    read_karantina: pd.DataFrame  # sorted, as read_inputs gives it
    karantina: pd.DataFrame  # the value rules' rows, sorted, as check_values gives them
    peringatan: pd.DataFrame
    reused: tuple[str, ...]  # sheets taken from the cache


def read_checked(
    input_dir: Path, tahun: int, tahap: str, required: Sequence[str], optional: Sequence[str],
    checksums: Mapping[str, str], cache: ProcessCache,
) -> CheckedInputs:
    """The stage's files, read and checked, each taken from the cache when its key is there.

    Parents generation by generation, since a child's key carries its parents' fingerprints: a parent
    checked again with the same outcome (unit_kerja under another predikat rule, say) still lets its
    children be taken from the cache. Leaf files (no child in the stage) are checked last, together."""
    input_dir = Path(input_dir)
    sheets = [*required, *optional]
    needs_predikat = registry.get(tahap).needs_predikat_organisasi
    source = {s: reading_key(input_dir, s, checksums) for s in sheets}

    def key(sheet: str) -> Hashable | None:
        """What the file's checked rows depend on; None when it, or a present parent, has no identity."""
        parents = tuple((p, fingerprints.get(p)) for p in PARENTS[sheet] if p in sheets)
        if source[sheet] is None or any(fp is None for _, fp in parents):
            return None
        return source[sheet], tahun, needs_predikat if sheet == "unit_kerja" else None, parents

    kept = {k: v for k, v in cache.checked_files().items() if k[0] in source.values()}
    cache.keep_checked_files(kept)  # other files' entries are not held while this stage reads
    files: dict[str, KeptFile] = {}  # the outcome per sheet
    objects: dict[str, CheckedFile] = {}  # checked files at hand for their children's rules
    fingerprints: dict[str, str] = {}
    store: dict[Hashable, KeptFile] = {}
    raw: dict[str, pd.DataFrame] = {}
    reused: set[str] = set()

    def is_parent(sheet: str) -> bool:
        return any(sheet in PARENTS[child] for child in sheets)

    def check_now(missed: list[str]) -> None:
        """Read and check the missed files, with each parent their rules need that is not at hand
        (checked again: the same outcome), and keep what came out."""
        again = _ancestors_not_at_hand(missed, sheets, objects)
        for sheet in again:  # its kept outcome is let go first, so it is not held twice while checked again
            k = key(sheet)
            del files[sheet], store[k], kept[k]
        if again:
            cache.keep_checked_files(kept)
        now = [s for s in sheets if s in again or s in missed]
        read_karantina = {}
        for sheet in now:
            raw[sheet], read_karantina[sheet] = read_table(input_dir, sheet, required=sheet in required)
        checks = check_values_by_file({s: raw[s] for s in now}, tahun, tahap, objects)
        reused.difference_update(again)
        for sheet in (s for s in _ORDER if s in checks):
            found = checks.pop(sheet)
            if is_parent(sheet):  # only a parent's checked file is needed later
                objects[sheet] = found.file
            k = key(sheet)
            files[sheet] = KeptFile(
                check=replace(found, file=found.file if sheet in _KEEP_FILE else None),
                read_karantina=read_karantina[sheet], rows=len(raw[sheet]),
                fingerprint=_fingerprint(source[sheet], tahun, found.file.broken))
            if k is not None:  # a file without a recorded sha256 is not kept, nor is any child of it
                fingerprints[sheet] = files[sheet].fingerprint
                store[k] = files[sheet]

    # Parents are settled generation by generation; files no other file of the stage hangs under are
    # checked together at the end, as one batch (a leaf's key needs only its parents' fingerprints): the
    # largest file (realisasi) is then parsed and checked before any other leaf's clean frame exists.
    leaves: list[str] = []
    for level in _GENERATIONS:
        missed = []
        for sheet in (s for s in level if s in sheets):
            k = key(sheet)
            hit = kept.get(k) if k is not None else None
            if hit is None:
                (missed if is_parent(sheet) else leaves).append(sheet)
                continue
            files[sheet] = store[k] = hit
            fingerprints[sheet] = hit.fingerprint
            reused.add(sheet)
            if hit.check.file is not None:
                objects[sheet] = hit.check.file
        if missed:
            check_now(missed)
    if leaves:
        check_now(leaves)
    kept.clear()
    objects.clear()
    cache.keep_checked_files(store if cache.keep_checked else {})

    ordered = {sheet: files[sheet] for sheet in sheets}
    frames, karantina, peringatan = combine_checks({s: f.check for s, f in ordered.items()})
    if reused:  # rows kept from another stage carry that stage's name
        karantina, peringatan = (f.assign(tahap=tahap.replace("_", "-")) if len(f) else f
                                 for f in (karantina, peringatan))
    parts = [f.read_karantina for f in ordered.values()]
    return CheckedInputs(
        raw=RawFiles({s: f.rows for s, f in ordered.items()}, raw,
                     lambda sheet: read_table(input_dir, sheet, required=sheet in required)[0]),
        frames={sheet: frame.copy(deep=False) for sheet, frame in frames.items()},
        read_karantina=sort_karantina(pd.concat(parts, ignore_index=True)) if parts else empty_karantina(),
        karantina=karantina, peringatan=peringatan,
        reused=tuple(s for s in sheets if s in reused))


def _ancestors_not_at_hand(
    missed: Sequence[str], sheets: Sequence[str], at_hand: Mapping[str, object],
) -> set[str]:
    """The ancestors (of the stage's files) that the missed files' rules need and that are not at hand
    as checked files: each must be checked again, and so must its own parents not at hand."""
    out: set[str] = set()
    todo = [p for s in missed for p in PARENTS[s]]
    while todo:
        sheet = todo.pop()
        if sheet in out or sheet not in sheets or sheet in at_hand or sheet in missed:
            continue
        out.add(sheet)
        todo.extend(PARENTS[sheet])
    return out


def _generations() -> tuple[tuple[str, ...], ...]:
    """The sheets by depth in PARENTS (files without parents first), each in _ORDER."""
    depth: dict[str, int] = {}
    for sheet in _ORDER:  # parents come first in PARENTS
        depth[sheet] = 1 + max((depth[p] for p in PARENTS[sheet]), default=-1)
    return tuple(tuple(s for s in _ORDER if depth[s] == d) for d in sorted(set(depth.values())))


_GENERATIONS = _generations()


def _fingerprint(source: Hashable, tahun: int, broken: np.ndarray) -> str:
    """A file's state as its children's rules see it: its bytes (source and sha256), the year its values
    were read for, and which of its rows broke a rule."""
    digest = hashlib.sha256(repr((source, tahun, len(broken))).encode())
    digest.update(np.packbits(np.asarray(broken, dtype=bool)).tobytes())
    return digest.hexdigest()
