"""OUTPUT/<tahun>/index.html, the year at a glance: stages and gates, predikat per instansi and unit,
mid-year risk, objections, angka kredit, links to every report, and a search over employees.

Built from the year's database (reports/index_data.py) after every stage, so it always shows what the
year holds. It opens straight from the file system: CSS and JS are inline, the search data is the one
local script pencarian_pegawai.js (reports/index_search.py), and nothing is loaded from a network.

Usable within a second at 100,000 employees: the unit table comes as JSON that the inline script turns
into only the rows shown (reports/index_units.py), and the search data is loaded after the first paint,
so neither holds the page back; what is typed meanwhile is searched as soon as the data is there.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, timedelta, timezone
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup

from contract.schema import PREDIKAT
from penilaian.ruleset import Ruleset
from reports.charts import grouped_bar_chart
from reports.common import format_count, template, write_text
from reports.index_data import YearData, read_year_data
from reports.index_search import SEARCH_FILE, search_script, version
from reports.index_units import Units, instansi_rows, unit_rows, unit_table_data
from stages import registry

INDEX_FILE = "index.html"
BARIS_AWAL = 200  # unit rows built before "Tampilkan lagi": a browser lays out thousands of rows slowly
WIB = timezone(timedelta(hours=7), "WIB")  # stored times are UTC; HR reads them in Jakarta time
OUTCOME_LABEL = {
    "berhasil": "Berhasil",
    "tanpa_perubahan": "Berhasil (tanpa perubahan)",
    "gerbang_gagal": "Gerbang mutu gagal",
    "input_tidak_terbaca": "Masukan tidak terbaca",
    "gagal": "Gagal (galat)",
    "berjalan": "Sedang berjalan",
    "terputus": "Terputus",
    None: "Belum dijalankan",
}
OUTCOME_CLASS = {"berhasil": "ok", "tanpa_perubahan": "ok", "berjalan": "jalan", None: "belum"}


def render_index(db_url: str, tahun: int, out_dir: Path, rules: Ruleset) -> list[Path]:
    """Write index.html and pencarian_pegawai.js for `tahun` into out_dir (OUTPUT/<tahun>/).

    Returns [index.html, pencarian_pegawai.js]. Both are written atomically (a reader never sees half a
    file) and are byte-identical for the same database state and the same files in out_dir.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    data = read_year_data(db_url, tahun)
    files = set(os.listdir(out_dir))
    folder_dokumen = out_dir / "dokumen"
    dokumen = set(os.listdir(folder_dokumen)) if folder_dokumen.is_dir() else set()

    units = unit_rows(data, rules, tahun, files)
    script = search_script(
        data.pegawai,
        dict(zip(units.rows["kode_unit"], units.rows["nama_unit"], strict=True)),
        dict(zip(units.rows["kode_unit"], units.rows["tautan_utama"], strict=True)),
        dokumen,
        tahun,
    )
    stages = stage_rows(data, files)
    html = template("indeks.html.j2").render(
        tahun=int(tahun),
        tahap=stages,
        terhenti=[s for s in stages if s["outcome"] in ("gerbang_gagal", "input_tidak_terbaca", "gagal")],
        diperbarui=max((s["selesai"] for s in stages if s["selesai_ts"] is not None), default=""),
        karantina=data.karantina_total,
        berkas=output_links(files, int(tahun)),
        jumlah_pegawai=len(data.pegawai),
        jumlah_dinilai=int(units.rows["dinilai"].sum()),
        instansi=instansi_sections(data, units),
        ada_hasil=data.dinilai,
        ada_ditetapkan=data.ditetapkan,
        ada_unit=len(units.rows) > 0,
        jumlah_unit=len(units.rows),
        baris_awal=BARIS_AWAL,
        data_unit=Markup(unit_table_data(units, data.ditetapkan)),  # script_json: safe inside <script>
        predikat=list(PREDIKAT),
        singkatan=["".join(kata[0] for kata in p.split()) for p in PREDIKAT],
        berkas_pencarian=f"{SEARCH_FILE}?v={version(script)}",
    )
    # The data first, then the page that names its version: the page never points at data not yet there.
    js = write_text(out_dir / SEARCH_FILE, script)
    return [write_text(out_dir / INDEX_FILE, html), js]


# ---------------------------------------------------------------- stages


def _time_text(value: Any) -> tuple[pd.Timestamp | None, str]:
    """A stored UTC time as a timestamp and as 'YYYY-MM-DD HH:MM:SS WIB' ('' when not set)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
        return None, ""
    stamp = pd.Timestamp(value)
    stamp = stamp.tz_localize(UTC) if stamp.tzinfo is None else stamp.tz_convert(UTC)
    return stamp, stamp.tz_convert(WIB).strftime("%Y-%m-%d %H:%M:%S WIB")


def duration_text(seconds: float) -> str:
    """A stage's duration in words: '45 dtk', '3 mnt 5 dtk', '1 jam 2 mnt'."""
    total = int(round(max(seconds, 0.0)))
    jam, sisa = divmod(total, 3600)
    menit, detik = divmod(sisa, 60)
    if jam:
        return f"{jam} jam {menit} mnt"
    return f"{menit} mnt {detik} dtk" if menit else f"{detik} dtk"


def headline(stage: registry.Stage, counts: dict[str, Any]) -> list[tuple[str, str]]:
    """The stage's headline counts as (label, number); `x.*` is every key starting with `x.`."""
    out: list[tuple[str, str]] = []
    for key in stage.headline:
        if key.endswith(".*"):
            prefix = key[:-1]
            found = [k[len(prefix):] for k in counts if k.startswith(prefix)]
            order = {p: i for i, p in enumerate(PREDIKAT)}
            for name in sorted(found, key=lambda k: (order.get(k, len(order)), k)):
                out.append((name, format_count(counts[prefix + name])))
        elif key in counts:
            out.append((key.replace(".", " ").replace("_", " "), format_count(counts[key])))
    return out


def stage_rows(data: YearData, files: set[str]) -> list[dict[str, Any]]:
    """Every registry stage in cycle order with its latest run of the year (or none yet)."""
    runs = {str(r["tahap"]): r for r in data.runs.to_dict("records")}
    gates = {int(r["stage_run_id"]): r for r in data.gates.to_dict("records")}
    karantina = dict(zip(data.karantina_run["stage_run_id"].astype(int).tolist(),
                         pd.to_numeric(data.karantina_run["n"]).astype(int).tolist(), strict=True))
    rows = []
    for stage in registry.STAGES:
        run = runs.get(stage.name)
        gerbang = f"gerbang_{stage.name}.html"
        row: dict[str, Any] = {
            "nama": stage.name, "label": stage.label, "outcome": None,
            "gerbang": gerbang if gerbang in files else None,
            "mulai": "", "selesai": "", "selesai_ts": None, "durasi": "", "angka": [], "flow_run": "",
            "pesan": "", "diperiksa": None, "gagal": None, "karantina": None,
        }
        if run is not None:
            mulai_ts, mulai = _time_text(run["started_at"])
            selesai_ts, selesai = _time_text(run["finished_at"])
            gate = gates.get(int(run["id"]))
            row.update(
                outcome=str(run["outcome"]), mulai=mulai, selesai=selesai,
                selesai_ts=selesai_ts,
                durasi=duration_text((selesai_ts - mulai_ts).total_seconds())
                if mulai_ts is not None and selesai_ts is not None else "",
                angka=headline(stage, json.loads(run["counts"] or "{}")),
                flow_run="" if pd.isna(run["flow_run_name"]) else str(run["flow_run_name"]),
                pesan="" if pd.isna(run["pesan"]) else str(run["pesan"]),
                diperiksa=int(gate["diperiksa"]) if gate else None,
                gagal=int(gate["gagal"] or 0) if gate else None,
                karantina=int(karantina.get(int(run["id"]), 0)) if gate else None,
            )
        row["status"] = OUTCOME_LABEL.get(row["outcome"], str(row["outcome"]))
        row["kelas"] = OUTCOME_CLASS.get(row["outcome"], "gagal")
        rows.append(row)
    return rows


def output_links(files: set[str], tahun: int) -> list[dict[str, str]]:
    """The year's contract files present in out_dir (registry order), then the workbook."""
    names: list[str] = []
    for stage in registry.STAGES:
        for name in stage.outputs:
            if name.endswith(".csv") and "*" not in name and name not in names:
                names.append(name)
    names.append(f"kinerja_{tahun}.xlsx")
    return [{"nama": n} for n in names if n in files]


# ---------------------------------------------------------------- instansi and units


def instansi_sections(data: YearData, units: Units) -> list[dict[str, Any]]:
    """Per instansi: its totals, objections and angka kredit, and the predikat chart before the curve,
    after it and (after the objection stage) as it stands."""
    rows = instansi_rows(data, units)
    for info in rows:
        seri = info["seri"]
        info["seri"] = [{"label": label, "jumlah": jumlah, "total": sum(jumlah)} for label, jumlah in seri]
        judul = f"Jumlah pegawai per predikat — {info['nama_instansi'] or info['kode_instansi']}"
        info["grafik"] = grouped_bar_chart(PREDIKAT, seri, judul=judul) if seri else None
    return rows
