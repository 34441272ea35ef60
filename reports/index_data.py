"""What index.html shows, read from the year's database in a few set-based queries.

Every query is one statement over the whole year, never one per unit or employee. The big tables are
read as plain column scans (`+tahun` keeps SQLite from walking the (tahun, ...) key index row by row,
which is slower than the scan when every row is of the year), predikat come back as small integers, and
the per-unit counts are made in memory from one row per employee: on SQLite a join of 100,000 employees
through the key indexes, or a GROUP BY through its sorter, costs several times the scan. Tables a stage
has not written yet come back empty, so the page can be built after any stage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from contract.schema import PREDIKAT
from models.db import get_engine, read_frame

# The latest run of every stage of the year.
_LATEST = "SELECT MAX(id) FROM stage_run WHERE tahun = :t GROUP BY tahap"
# Per stage, the latest run that stored its gate (its quarantine is what karantina.csv holds).
_LATEST_GATED = (
    "SELECT MAX(r.id) FROM stage_run r WHERE r.tahun = :t "
    "AND EXISTS (SELECT 1 FROM gate_check g WHERE g.stage_run_id = r.id) GROUP BY r.tahap"
)
_AT_RISK = "('berisiko', 'tertinggal')"  # pemantauan.status of an indicator at risk
# Predikat as its position in PREDIKAT (-1: none), computed by the database: no string per employee.
_PREDIKAT_PARAMS = {f"p{i}": p for i, p in enumerate(PREDIKAT)}


def _kode(column: str) -> str:
    whens = " ".join(f"WHEN :p{i} THEN {i}" for i in range(len(PREDIKAT)))
    return f"CASE {column} {whens} ELSE -1 END AS {column}"


SQL: dict[str, str] = {
    "runs": f"""
        SELECT id, tahap, outcome, started_at, finished_at, flow_run_name, counts, pesan
        FROM stage_run WHERE id IN ({_LATEST}) ORDER BY id""",
    "gates": f"""
        SELECT stage_run_id, COUNT(*) AS diperiksa, SUM(CASE WHEN lulus THEN 0 ELSE 1 END) AS gagal
        FROM gate_check WHERE stage_run_id IN ({_LATEST}) GROUP BY stage_run_id""",
    "karantina_run": f"""
        SELECT stage_run_id, COUNT(*) AS n FROM karantina
        WHERE stage_run_id IN ({_LATEST}) GROUP BY stage_run_id""",
    "karantina_total": f"""
        SELECT COUNT(*) AS n FROM (SELECT DISTINCT berkas, baris, kolom, kode_aturan FROM karantina
        WHERE stage_run_id IN ({_LATEST_GATED})) AS masalah""",
    "units": """
        SELECT kode_unit, nama_unit, kode_instansi, nama_instansi, predikat_organisasi
        FROM unit_kerja WHERE tahun = :t""",
    # Every employee of the year once: the scored ones (in the unit of their result), then the others.
    "hasil": f"""
        SELECT nip, nama, kode_unit, {_kode("predikat")}, {_kode("predikat_final")}
        FROM hasil_penilaian WHERE +tahun = :t""",
    "pegawai": """
        SELECT nip, nama, kode_unit FROM pegawai WHERE +tahun = :t
        AND nip NOT IN (SELECT nip FROM hasil_penilaian WHERE tahun = :t)""",
    "ditetapkan": f"SELECT nip, {_kode('predikat_ditetapkan')} FROM predikat_ditetapkan WHERE +tahun = :t",
    "dipantau": "SELECT COUNT(*) AS n FROM pemantauan WHERE tahun = :t",
    # At risk as the mid-year stage counts it: a utama indicator berisiko or tertinggal.
    "berisiko": f"""
        SELECT nip FROM pemantauan WHERE +tahun = :t AND status IN {_AT_RISK} AND id_indikator NOT IN
            (SELECT id_indikator FROM indikator_skp WHERE +tahun = :t AND jenis <> 'utama')""",
    "bias": """
        SELECT p.kode_unit, b.pola, COUNT(*) AS n FROM bias_penilai b
        JOIN pegawai p ON p.tahun = b.tahun AND p.nip = b.nip_penilai
        WHERE b.tahun = :t AND b.pola <> 'wajar' GROUP BY p.kode_unit, b.pola""",
    # In a fixed order: the IKM is a weighted mean of floats, and a sum's last bit follows the row order,
    # which a table scan does not fix (SQLite and PostgreSQL differed at 1,000,000 employees).
    "survei": """
        SELECT kode_unit, periode, jumlah_responden, nilai_ikm FROM survei_masyarakat WHERE +tahun = :t
        ORDER BY kode_unit, periode, id""",
    "keberatan": """
        SELECT COALESCE(h.kode_unit, p.kode_unit) AS kode_unit, k.keputusan,
               CASE WHEN k.predikat_lama <> k.predikat_ditetapkan THEN 1 ELSE 0 END AS berubah, 1 AS n
        FROM keberatan_hasil k
        LEFT JOIN hasil_penilaian h ON h.tahun = k.tahun AND h.nip = k.nip
        LEFT JOIN pegawai p ON p.tahun = k.tahun AND p.nip = k.nip
        WHERE k.tahun = :t""",
    # per functional official: 1 reaches the next pangkat, 2 the next jenjang, 0 neither (or at the top)
    "angka_kredit": """
        SELECT kode_unit,
               CASE WHEN memenuhi = 'ya' AND langkah_berikutnya = 'pangkat' THEN 1
                    WHEN memenuhi = 'ya' AND langkah_berikutnya = 'jenjang' THEN 2 ELSE 0 END AS naik
        FROM angka_kredit_hasil WHERE +tahun = :t""",
}
# One row per employee of the year (every scored employee, then the rest of the list), as YearData has it:
# text columns, then the three predikat as positions in PREDIKAT (-1: not scored / not decided) and
# whether a utama indicator was at risk mid-year.
PEGAWAI_COLUMNS = ("nip", "nama", "kode_unit", "predikat", "predikat_final", "predikat_ditetapkan",
                   "berisiko")


@dataclass
class YearData:
    """The year as the database holds it: the stage runs, per-unit counts and one row per employee."""

    runs: pd.DataFrame
    gates: pd.DataFrame
    karantina_run: pd.DataFrame
    karantina_total: int
    units: pd.DataFrame
    pegawai: pd.DataFrame  # PEGAWAI_COLUMNS
    dinilai: bool  # year-end results exist
    ditetapkan: bool  # the objection stage stored the predikat that stand
    dipantau: bool  # the mid-year stage stored its monitoring
    bias: pd.DataFrame
    survei: pd.DataFrame
    keberatan: pd.DataFrame
    angka_kredit: dict[str, np.ndarray]  # kode_unit, naik (see SQL)


def _columns(engine: Engine, name: str, tahun: int) -> dict[str, np.ndarray]:
    """One query of SQL as object arrays by column, straight from the DB-API cursor: pandas' columns built
    from 1,000,000 rows (and SQLAlchemy's rows before them, on PostgreSQL) cost more than the query itself.
    The values are what the driver gives (text, int, NULL as None) on either database."""
    sql, params = SQL[name], _params(name, tahun)
    if engine.dialect.paramstyle == "pyformat":  # psycopg: %(name)s
        sql = _NAMED.sub(r"%(\1)s", sql)
    raw = engine.raw_connection()
    try:
        cursor = raw.driver_connection.cursor()
        try:
            cursor.execute(sql, params)
            names, rows = [d[0] for d in cursor.description], cursor.fetchall()
        finally:
            cursor.close()
    finally:
        raw.close()
    return {n: np.fromiter(map(itemgetter(i), rows), dtype=object, count=len(rows))
            for i, n in enumerate(names)}


_NAMED = re.compile(r"(?<![:\w]):(\w+)")  # a :name parameter of SQL (not a :: cast)


def _params(name: str, tahun: int) -> dict[str, object]:
    """The parameters of query `name`: the year, and the predikat names where it codes them."""
    return {"t": tahun, **(_PREDIKAT_PARAMS if ":p0" in SQL[name] else {})}


def _read(engine: Engine, name: str, tahun: int) -> pd.DataFrame:
    """One (small) query of SQL as a frame (on SQLite from the cursor, elsewhere through pandas)."""
    if engine.dialect.name == "sqlite":
        return pd.DataFrame(_columns(engine, name, tahun))
    frame = read_frame(engine, SQL[name], **_params(name, tahun))
    return pd.DataFrame({c: frame[c].to_numpy(dtype=object) for c in frame.columns})


def positions(keys: Any, values: Any) -> np.ndarray:
    """Where each value is among `keys` (-1 if absent; a repeated key: its last position)."""
    index = pd.Index(np.asarray(keys, dtype=object), dtype=object)
    if index.is_unique:  # one hash table in C instead of a dict of 1,000,000 keys
        return index.get_indexer(np.asarray(values, dtype=object)).astype("int64", copy=False)
    last = {k: i for i, k in enumerate(keys)}
    return np.fromiter((last.get(v, -1) for v in values), dtype="int64", count=len(values))


def codes(keys: Any, values: Any) -> np.ndarray:
    """positions() for values that repeat (units, pages): each distinct value is looked up once."""
    kode, unik = pd.factorize(np.asarray(values, dtype=object))
    return positions(keys, unik)[kode] if len(kode) else np.zeros(0, dtype="int64")


def _employees(engine: Engine, tahun: int) -> tuple[pd.DataFrame, bool, bool, bool]:
    """One row per employee (scored ones first) with the predikat before and after the curve and as it
    stands, and whether a utama indicator was at risk mid-year."""
    hasil, lain = _columns(engine, "hasil", tahun), _columns(engine, "pegawai", tahun)
    n_hasil = len(hasil["nip"])
    frame = pd.DataFrame({k: pd.Series(np.concatenate([hasil[k], lain[k]]), dtype=object)
                          for k in ("nip", "nama", "kode_unit")})
    kolom = {k: np.full(len(frame), -1, dtype="int64")
             for k in ("predikat", "predikat_final", "predikat_ditetapkan")}
    kolom["predikat"][:n_hasil] = hasil["predikat"]
    kolom["predikat_final"][:n_hasil] = hasil["predikat_final"]
    tetap = _columns(engine, "ditetapkan", tahun)
    # both tables are written from one frame in nip order, so their rows usually line up one to one
    aligned = np.array_equal(tetap["nip"], hasil["nip"])
    ada = np.arange(n_hasil) if aligned else positions(frame["nip"], tetap["nip"])
    kolom["predikat_ditetapkan"][ada[ada >= 0]] = tetap["predikat_ditetapkan"][ada >= 0]
    for k, v in kolom.items():
        frame[k] = v
    frame["berisiko"] = False
    dipantau = int(_columns(engine, "dipantau", tahun)["n"][0]) > 0
    if dipantau:
        ada = positions(frame["nip"], _columns(engine, "berisiko", tahun)["nip"])
        frame.loc[ada[ada >= 0], "berisiko"] = True
    return frame, n_hasil > 0, len(tetap["nip"]) > 0, dipantau


def read_year_data(db_url: str, tahun: int) -> YearData:
    """Every query of SQL for `tahun`, the per-employee ones joined by nip."""
    engine = get_engine(db_url)
    tahun = int(tahun)
    pegawai, dinilai, ditetapkan, dipantau = _employees(engine, tahun)
    total = _read(engine, "karantina_total", tahun)
    return YearData(
        **{name: _read(engine, name, tahun) for name in ("runs", "gates", "karantina_run", "units", "bias",
                                                         "survei", "keberatan")},
        angka_kredit=_columns(engine, "angka_kredit", tahun),
        karantina_total=int(total["n"].iloc[0]) if len(total) else 0,
        pegawai=pegawai, dinilai=dinilai, ditetapkan=ditetapkan, dipantau=dipantau,
    )
