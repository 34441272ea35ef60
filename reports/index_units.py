"""The unit and instansi rows of index.html, computed column-wise for every unit at once.

Per unit: employees, scored, the share of each predikat after the curve, whether the stored distribution
meets the unit's curve (the ruleset's constraints, as penilaian.kurva.periksa_kurva checks them), rater-bias
flags, mid-year risk and the IKM grade (penilaian.monitoring.indeks_kepuasan, as the mid-year page shows
it). The unit table travels as compact JSON that the page's script turns into rows (unit_table_data): at
a million employees its ~42,000 units would be ~34 MB of row HTML, and the browser only shows 200 at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from contract.schema import PREDIKAT
from penilaian.monitoring import indeks_kepuasan
from penilaian.ruleset import Ruleset
from reports.common import safe_name, text_column
from reports.index_data import YearData, codes
from reports.index_search import script_json

UNIT_COLUMNS = ("kode_unit", "nama_unit", "kode_instansi", "nama_instansi", "predikat_organisasi")
# A unit's own files in out_dir: the label of its link in the table, the file name, and whether it may be the
# unit's main link (the first present one is; the search's "tanpa dokumen" hits link there too).
UNIT_FILES = (
    ("ringkasan", "ringkasan_{}.html", True),
    ("pemantauan", "pemantauan_{}.html", True),
    ("rencana pelatihan", "rencana_pelatihan_{}.csv", False),
)
SERI_PREDIKAT = (  # the predikat columns of an employee, as the charts name them
    ("predikat", "Sebelum kurva"),
    ("predikat_final", "Sesudah kurva"),
    ("predikat_ditetapkan", "Ditetapkan (keberatan)"),
)


def _unit_list(data: YearData) -> pd.DataFrame:
    """unit_kerja of the year, plus any unit only the employees name (without a name or instansi)."""
    units = pd.DataFrame({k: text_column(data.units[k]) for k in UNIT_COLUMNS})
    lain = sorted(set(data.pegawai["kode_unit"].tolist()) - set(units["kode_unit"].tolist()))
    if lain:
        units = pd.concat([units, pd.DataFrame({"kode_unit": lain}).reindex(columns=list(UNIT_COLUMNS),
                                                                             fill_value="")])
    return units.sort_values("kode_unit", kind="stable").reset_index(drop=True)


def count_table(keys: pd.Series, rows: np.ndarray, classes: np.ndarray, jumlah_kelas: int,
                weights: np.ndarray | None = None) -> np.ndarray:
    """Per key (aligned to `keys`) the count (or sum of weights) of rows in each class; rows whose key
    or class is unknown (-1) are left out."""
    ada = (rows >= 0) & (classes >= 0)
    bobot = None if weights is None else np.asarray(weights, dtype="float64")[ada]
    tabel = np.bincount(rows[ada] * jumlah_kelas + classes[ada], weights=bobot,
                        minlength=len(keys) * jumlah_kelas)
    return tabel.astype("int64").reshape(len(keys), jumlah_kelas)


def predikat_per_unit(data: YearData, units: pd.Series, baris: np.ndarray) -> dict[str, np.ndarray]:
    """Per predikat column of SERI_PREDIKAT: employees of each unit (rows; `baris` is each employee's unit)
    at each predikat."""
    return {kolom: count_table(units, baris, data.pegawai[kolom].to_numpy(), len(PREDIKAT))
            for kolom, _ in SERI_PREDIKAT}


def sum_per_unit(frame: pd.DataFrame, units: pd.Series, value: str = "n") -> np.ndarray:
    """A count column summed per unit, aligned to `units` (0 for a unit without rows)."""
    if frame.empty:
        return np.zeros(len(units), dtype="int64")
    baris = codes(units, text_column(frame["kode_unit"]))
    nilai = pd.to_numeric(frame[value]).fillna(0).to_numpy(dtype="float64")
    return count_table(units, baris, np.zeros(len(frame), dtype=int), 1, nilai)[:, 0]


def _curve(units: pd.DataFrame, tabel: np.ndarray, rules: Ruleset) -> tuple[list[str], list[str]]:
    """Per unit: 'ya' / 'tidak' (does the distribution in `tabel` meet the unit's curve; '' when nobody
    is scored) and the missed constraints in words.

    The constraints of the unit's predikat_organisasi are checked on its counts as
    penilaian.kurva.periksa_kurva checks them on its employees (every unit size; the allowed or required
    count from BatasanKurva.batas); the test suite holds the two to the same answer.
    """
    n = tabel.sum(axis=1)
    memenuhi = n > 0
    pelanggaran: list[list[str]] = [[] for _ in range(len(units))]
    organisasi = units["predikat_organisasi"].to_numpy(dtype=object)
    for org, aturan in rules.kurva.aturan.items():
        di_org = np.flatnonzero((organisasi == org) & (n > 0))
        for batasan in aturan:
            kolom = [PREDIKAT.index(p) for p in batasan.kelompok]
            jumlah = tabel[di_org][:, kolom].sum(axis=1)
            batas = np.asarray(batasan.batas(n[di_org]))
            lolos = jumlah <= batas if batasan.op == "<=" else jumlah >= batas
            for u, b, j in zip(di_org[~lolos].tolist(), batas[~lolos].tolist(), jumlah[~lolos].tolist(),
                               strict=True):
                memenuhi[u] = False
                pelanggaran[u].append(f"Kurva {org}: {batasan.teks} ({b} dari {n[u]}, ada {j})")
    kecil = f" (di bawah {rules.kurva.min_pegawai} pegawai dinilai: tidak dikalibrasi, hanya diperiksa)"
    teks = ["" if not k else ("ya" if m else "tidak")
            for k, m in zip(n.tolist(), memenuhi.tolist(), strict=True)]
    rincian = ["; ".join(p) + (kecil if k and k < rules.kurva.min_pegawai else "") if k else ""
               for p, k in zip(pelanggaran, n.tolist(), strict=True)]
    return teks, [r.strip() for r in rincian]


def _bias(data: YearData, units: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Per unit: raters (of its staff) flagged lunak / keras / terpusat, and which, in words."""
    jumlah = sum_per_unit(data.bias, units)
    if data.bias.empty:
        return jumlah, [""] * len(units)
    bias = pd.DataFrame({"kode_unit": text_column(data.bias["kode_unit"]),
                         "pola": text_column(data.bias["pola"]),
                         "n": pd.to_numeric(data.bias["n"]).astype("int64").astype(str)})
    bias = bias.sort_values(["kode_unit", "pola"], kind="stable")
    teks = (bias["pola"] + " " + bias["n"]).groupby(bias["kode_unit"]).agg(", ".join)
    return jumlah, teks.reindex(units.to_numpy(), fill_value="").tolist()


def _ikm(data: YearData, units: pd.Series, rules: Ruleset, tahun: int) -> tuple[np.ndarray, np.ndarray]:
    """Per unit: the IKM up to the mid-year cut-off (NaN for none) and its grade, as the mid-year page
    shows them."""
    if data.survei.empty:
        return np.full(len(units), np.nan), np.full(len(units), "", dtype=object)
    survei = pd.DataFrame({
        "kode_unit": text_column(data.survei["kode_unit"]), "periode": text_column(data.survei["periode"]),
        "jumlah_responden": pd.to_numeric(data.survei["jumlah_responden"]),
        "nilai_ikm": pd.to_numeric(data.survei["nilai_ikm"]),
    })
    survei["bulan"] = pd.to_numeric(survei["periode"].str.slice(5, 7), errors="coerce").fillna(99).astype(int)
    ikm, _ = indeks_kepuasan(survei, int(tahun), rules)
    ikm = ikm.set_index("kode_unit").reindex(units.to_numpy())
    nilai = pd.to_numeric(ikm["ikm"]).to_numpy(dtype="float64")
    return nilai, np.where(np.isnan(nilai), "", text_column(ikm["mutu"]).to_numpy()).astype(object)


def _safe(kode: str) -> bool:
    """Whether kode may be part of a file name (reports.common.safe_name)."""
    try:
        safe_name(kode)
    except ValueError:
        return False
    return True


def _file(pattern: str, kode: pd.Series, files: set[str]) -> list[str]:
    """`pattern` filled with each unit's kode where that file exists in out_dir, else ''."""
    return [pattern.format(k) if _safe(k) and pattern.format(k) in files else "" for k in kode.tolist()]


@dataclass
class Units:
    """The unit table: one row per unit (sorted by kode_unit) with every column it shows, and the units'
    predikat counts per column of SERI_PREDIKAT."""

    rows: pd.DataFrame
    tabel: dict[str, np.ndarray]


def unit_rows(data: YearData, rules: Ruleset, tahun: int, files: set[str]) -> Units:
    """Every column of the unit table for every unit."""
    units = _unit_list(data)
    kode = units["kode_unit"]
    baris = codes(kode, data.pegawai["kode_unit"])
    tabel = predikat_per_unit(data, kode, baris)
    per_unit = count_table(kode, baris, np.zeros(len(baris), dtype=int), 1)[:, 0]
    berisiko = count_table(kode, baris, np.where(data.pegawai["berisiko"].to_numpy(), 0, -1), 1)[:, 0]
    out = units.assign(pegawai=per_unit, dinilai=tabel["predikat_final"].sum(axis=1))
    out["kurva"], out["kurva_catatan"] = _curve(units, tabel["predikat_final"], rules)
    out["kurva_tetap"], out["kurva_tetap_catatan"] = (
        _curve(units, tabel["predikat_ditetapkan"], rules) if data.ditetapkan else ("", ""))
    out["bias"], out["bias_rincian"] = _bias(data, kode)
    out["berisiko"] = berisiko if data.dipantau else None
    out["ikm"], out["ikm_mutu"] = _ikm(data, kode, rules, tahun)
    ada = [np.array(_file(pattern, kode, files), dtype=object) for _, pattern, _ in UNIT_FILES]
    out["berkas"] = sum((nama != "").astype("int64") << i for i, nama in enumerate(ada))
    utama = [nama for nama, (_, _, main) in zip(ada, UNIT_FILES, strict=True) if main]
    out["tautan_utama"] = [next((n for n in names if n), "") for names in zip(*utama, strict=True)]
    return Units(out, tabel)


def instansi_rows(data: YearData, table: Units) -> list[dict[str, Any]]:
    """Per instansi (sorted by kode): units, employees, scored, objections and angka kredit counts, and
    the predikat counts of SERI_PREDIKAT that exist."""
    units = table.rows
    kode = sorted(set(units["kode_instansi"].tolist()))
    posisi = codes(kode, units["kode_instansi"])

    def per_instansi(values: np.ndarray) -> np.ndarray:
        tabel = np.zeros((len(kode), *np.shape(values)[1:]), dtype="int64")
        np.add.at(tabel, posisi, np.asarray(values, dtype="int64"))
        return tabel

    def dari(frame: pd.DataFrame, mask: np.ndarray | None = None, value: str = "n") -> np.ndarray:
        return per_instansi(sum_per_unit(frame if mask is None else frame[mask], units["kode_unit"], value))

    keb, ak = data.keberatan, data.angka_kredit
    diterima = (text_column(keb["keputusan"]) == "diterima").to_numpy(dtype=bool)
    naik = per_instansi(count_table(units["kode_unit"], codes(units["kode_unit"], ak["kode_unit"]),
                                    ak["naik"].astype("int64"), 3))
    kolom = {
        "unit": per_instansi(np.ones(len(units))), "pegawai": per_instansi(units["pegawai"].to_numpy()),
        "dinilai": per_instansi(units["dinilai"].to_numpy()),
        "diputus": dari(keb), "diterima": dari(keb, diterima), "berubah": dari(keb, value="berubah"),
        "dihitung": naik.sum(axis=1), "naik_pangkat": naik[:, 1], "naik_jenjang": naik[:, 2],
    }
    seri = {k: per_instansi(t) for k, t in table.tabel.items()}
    ada = {"predikat": data.dinilai, "predikat_final": data.dinilai, "predikat_ditetapkan": data.ditetapkan}
    nama = dict(zip(units["kode_instansi"], units["nama_instansi"], strict=True))
    rows = []
    for i, k in enumerate(kode):
        angka = {name: int(values[i]) for name, values in kolom.items()}
        rows.append({
            "kode_instansi": k, "nama_instansi": nama[k],
            **{n: angka[n] for n in ("unit", "pegawai", "dinilai")},
            "keberatan": {n: angka[n] for n in ("diputus", "diterima", "berubah")} if len(keb) else None,
            "angka_kredit": {n: angka[n] for n in ("dihitung", "naik_pangkat", "naik_jenjang")}
            if len(ak["naik"]) else None,
            "seri": [(label, seri[kolom_][i].tolist()) for kolom_, label in SERI_PREDIKAT if ada[kolom_]],
        })
    return rows


def _column(values: Any) -> list:
    """A column as plain Python values, NaN as None (iterating an Arrow-backed column value by value is
    slow)."""
    return [None if v != v else v for v in values.tolist()]


def unit_table_data(table: Units, ada_ditetapkan: bool) -> str:
    """The unit table as the JSON the page builds its rows from (indeks.html.j2 reads the fields by name).

    Raw values, not text: the page formats every number as reports.common does, so a count or share is
    written once, and the shares and the risk are derived from counts (exact, and shorter than decimals).
    `berkas` is UNIT_FILES. Per unit (by kode_unit), fields named in `kolom`: kode, nama, instansi (index
    into `instansi`: [kode_instansi, label]), pegawai, dinilai, predikat (counts after the curve, PREDIKAT
    order), kurva and its note (and the same for the predikat ditetapkan once the objection stage ran),
    bias and which, berisiko (null before the mid-year stage), ikm (null for none) and its grade, berkas
    (bit i: file i of `berkas` exists). Byte-identical for the same rows.
    """
    units = table.rows
    label = units["nama_instansi"].where(units["nama_instansi"] != "", units["kode_instansi"])
    pasangan = list(zip(units["kode_instansi"].tolist(), label.tolist(), strict=True))
    instansi = sorted(set(pasangan))
    nomor = {p: i for i, p in enumerate(instansi)}
    kolom = {
        "kode": _column(units["kode_unit"]), "nama": _column(units["nama_unit"]),
        "instansi": [nomor[p] for p in pasangan],
        "pegawai": _column(units["pegawai"]), "dinilai": _column(units["dinilai"]),
        "predikat": table.tabel["predikat_final"].tolist(),
        "kurva": _column(units["kurva"]), "kurva_catatan": _column(units["kurva_catatan"]),
    }
    if ada_ditetapkan:
        kolom |= {"kurva_tetap": _column(units["kurva_tetap"]),
                  "kurva_tetap_catatan": _column(units["kurva_tetap_catatan"])}
    kolom |= {name: _column(units[name]) for name in ("bias", "bias_rincian", "berisiko", "ikm", "ikm_mutu",
                                                      "berkas")}
    return script_json({
        "kolom": list(kolom), "predikat": list(PREDIKAT), "instansi": [list(p) for p in instansi],
        "berkas": [list(berkas) for berkas in UNIT_FILES],
        "unit": [list(row) for row in zip(*kolom.values(), strict=True)],
    })
