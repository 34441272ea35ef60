"""The deliberate bad rows of the demo files: one or two per file, each breaking one rule of
FORMATS.md, so that a run shows the karantina and the warnings at work."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kinerja.demo.columns import as_text
from kinerja.demo.csv_writer import Columns
from kinerja.demo.pegawai import Pegawai
from kinerja.demo.reference import Reference
from kinerja.demo.skp import Skp

TextColumns = dict[str, pa.Array]  # a file's columns as string arrays

INVALID_NIP = "198702312010031042"  # born on 31 February
FIRST_NEW_NIP = 199005172015032001  # the pegawai of an unknown unit: the first free NIP from here


class SkpDefect(NamedTuple):
    """A bad value in one row of skp.csv (that indicator then has no realisation)."""

    row: int
    column: str
    value: str


def replace_value(arr: pa.Array, i: int, value: str) -> pa.Array:
    """A copy of a string array with one element replaced."""
    mask = np.zeros(len(arr), dtype=bool)
    mask[i] = True
    return pc.if_else(pa.array(mask), pa.scalar(value, pa.string()), as_text(arr))


def take_rows(columns: Columns, idx: np.ndarray) -> TextColumns:
    """The rows `idx` of every column, in that order (a repeated index duplicates a row)."""
    ia = pa.array(np.asarray(idx, dtype=np.int64))
    return {k: as_text(v).take(ia) for k, v in columns.items()}


def append_row(columns: Columns, row: dict[str, str | None]) -> TextColumns:
    """The columns with one more row; a column the row does not name is null there."""
    return {k: pa.concat_arrays([as_text(v), pa.array([row.get(k)], pa.string())])
            for k, v in columns.items()}


def bad_pegawai(
    rng: np.random.Generator, columns: TextColumns, peg: Pegawai, skp: Skp, ref: Reference,
) -> tuple[TextColumns, list[SkpDefect]]:
    """pegawai.csv with an HTML name, a duplicated row, an impossible NIP and an unknown unit;
    and the defects of two staff members' tambahan indicators (target 0, a misspelt aspek)."""
    n = len(peg.nip)
    staf = np.nonzero((peg.level == 3) & (np.bincount(peg.atasan[peg.atasan >= 0],
                                                      minlength=n) == 0))[0]
    if len(staf) < 4:
        return columns, []
    k_emp = np.bincount(skp.pegawai, minlength=n)
    u_emp = np.bincount(skp.pegawai, weights=skp.utama, minlength=n).astype(np.int64)
    staf_tambahan = staf[k_emp[staf] > u_emp[staf]]
    chosen = np.sort(rng.choice(staf, size=2, replace=False))
    columns = dict(columns)
    columns["nama"] = replace_value(columns["nama"], int(chosen[0]), "<b>Budi</b> Santoso")
    order = np.insert(np.arange(n), int(chosen[1]) + 1, int(chosen[1]))
    columns = take_rows(columns, order)
    first = int(staf[0])
    unit_first = columns["kode_unit"][int(np.nonzero(order == first)[0][0])].as_py()
    atasan_first = peg.nip_text[int(peg.atasan[first])].as_py()
    columns = append_row(columns, {
        "nip": INVALID_NIP, "nama": "Rina Marlina", "kode_unit": unit_first,
        "jabatan": "Pengadministrasi Perkantoran", "jenis_jabatan": "pelaksana",
        "nip_atasan": atasan_first})
    nip_baru = FIRST_NEW_NIP
    while nip_baru in set(peg.nip[(peg.nip // 1000) == nip_baru // 1000].tolist()):
        nip_baru += 1
    columns = append_row(columns, {
        "nip": str(nip_baru), "nama": "Yusuf Maulana", "kode_unit": f"{ref.instansi[1].singkat}-ZZZ",
        "jabatan": "Pengadministrasi Perkantoran", "jenis_jabatan": "pelaksana",
        "nip_atasan": atasan_first})
    defects = []
    if len(staf_tambahan) >= 2:
        two = np.sort(rng.choice(staf_tambahan, size=2, replace=False))
        for e, column, value in zip(two, ("target", "aspek"), ("0", "kuantitass"), strict=True):
            row = int(np.nonzero((skp.pegawai == e) & ~skp.utama)[0][0])
            defects.append(SkpDefect(row, column, value))
    return columns, defects


def bad_skp(columns: TextColumns, defects: list[SkpDefect]) -> TextColumns:
    """skp.csv with the defects of bad_pegawai."""
    columns = dict(columns)
    for d in defects:
        columns[d.column] = replace_value(columns[d.column], d.row, d.value)
    return columns


def bad_realisasi(skp: Skp, without: np.ndarray, tahun: int) -> TextColumns:
    """One more realisasi row, for last December, of the middle indicator that has realisation."""
    ok = np.nonzero(~without)[0]
    row = int(ok[len(ok) // 2])
    return {"id_indikator": skp.id_text.take(pa.array([row])),
            "periode": pa.array([f"{tahun - 1}-12"]), "realisasi": pa.array(["5"])}


def bad_perilaku(columns: TextColumns, peer_as_drawn: np.ndarray) -> TextColumns:
    """perilaku.csv with one kompeten rating of 6 (the scale ends at 5).

    The row is the middle one of the positions that hold a peer's rating in the order the ratings
    were drawn, taken as a position of the sorted file (not always a peer's row there)."""
    if not len(peer_as_drawn):
        return columns
    cand = np.nonzero(peer_as_drawn)[0] if peer_as_drawn.any() else np.arange(len(peer_as_drawn))
    return {**columns, "kompeten": replace_value(columns["kompeten"], int(cand[len(cand) // 2]), "6")}


def bad_umpan_balik(columns: TextColumns, tahun: int) -> TextColumns:
    """umpan_balik.csv with one date written dd/mm/yyyy."""
    n = len(columns["nip"])
    if not n:
        return columns
    return {**columns, "tanggal": replace_value(columns["tanggal"], n // 3, f"12/03/{tahun}")}


def bad_survei(columns: TextColumns) -> TextColumns:
    """survei_masyarakat.csv with one IKM of 120 (the index ends at 100)."""
    n = len(columns["kode_unit"])
    if not n:
        return columns
    return {**columns, "nilai_ikm": replace_value(columns["nilai_ikm"], n // 2, "120")}


def bad_riwayat(columns: TextColumns) -> TextColumns:
    """riwayat_pelatihan.csv with one training of 0 hours."""
    n = len(columns["nip"])
    if not n:
        return columns
    return {**columns, "jp": replace_value(columns["jp"], n // 4, "0")}
