"""The mid-year monitoring page pemantauan_<kode_unit>.html: indicator status, at-risk staff, IKM."""

from __future__ import annotations

from itertools import groupby
from pathlib import Path
from typing import Any

import pandas as pd

from reports.charts import bar_chart, line_chart
from reports.common import (
    STATUS_LABEL,
    Frames,
    count_per_unit,
    format_numbers,
    frame_or_empty,
    lookup,
    map_codes,
    per_unit,
    report_year,
    sort_positions,
    template,
    text_column,
    unit_rows,
    year_text,
)
from reports.processes import write_unit_pages

STATUS_ORDER = ("sesuai_jalur", "berisiko", "tertinggal")


def _per_atasan(staf: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """At-risk staff of one unit grouped under their supervisor (input sorted by nip_atasan)."""
    return [
        {"nip": nip, "nama": rows[0]["nama_atasan"], "staf": rows}
        for nip, grup in groupby(staf, key=lambda r: r["nip_atasan"])
        for rows in [list(grup)]
    ]


def render_mid_year_reports(
    *,
    mid_year: Any,
    frames: Frames,
    out_dir: Path,
    tahun: int | None = None,
) -> list[Path]:
    """Write pemantauan_<kode_unit>.html: indicator status, at-risk staff per supervisor, IKM trend."""
    units = unit_rows(frames)
    tahun = report_year(tahun, mid_year, frames)
    pegawai = frame_or_empty(frames, "pegawai", ("nip", "nama", "kode_unit"))
    unit_pegawai = lookup(pegawai, "nip", "kode_unit")
    nama_pegawai = lookup(pegawai, "nip", "nama")

    pem = frame_or_empty(mid_year, "pemantauan", ("nip", "id_indikator", "status", "kode_unit", "indikator"))
    pem_unit = text_column(pem["kode_unit"])
    tanpa_unit = (pem_unit == "").to_numpy()
    if tanpa_unit.any():  # only those rows need the employee's unit
        pem_unit[tanpa_unit] = map_codes(text_column(pem["nip"][tanpa_unit]), unit_pegawai).to_numpy()
    kelas = pd.Index(STATUS_ORDER).get_indexer(text_column(pem["status"]))
    status = count_per_unit(pem_unit, kelas, len(STATUS_ORDER))

    ber = frame_or_empty(
        mid_year,
        "berisiko",
        (
            "nip_atasan",
            "nip",
            "nama",
            "kode_unit",
            "jumlah_berisiko",
            "jumlah_tertinggal",
            "umpan_balik",
            "jumlah_umpan_balik",
            "ada_umpan_balik",
        ),
    )
    atasan = text_column(ber["nip_atasan"])
    urut = sort_positions(atasan, text_column(ber["nip"]))
    ber, atasan = ber.iloc[urut], atasan.iloc[urut]
    berisiko = per_unit(
        {
            "nip_atasan": atasan,
            "nama_atasan": map_codes(atasan, nama_pegawai),
            "nip": text_column(ber["nip"]),
            "nama": text_column(ber["nama"]),
            "jumlah_berisiko": pd.to_numeric(ber["jumlah_berisiko"]).fillna(0).astype(int),
            "jumlah_tertinggal": pd.to_numeric(ber["jumlah_tertinggal"]).fillna(0).astype(int),
            "umpan_balik": text_column(ber["umpan_balik"]),
            "jumlah_umpan_balik": pd.to_numeric(ber["jumlah_umpan_balik"]).fillna(0).astype(int),
            "ada_umpan_balik": ber["ada_umpan_balik"].astype(object).fillna(False).astype(bool),
        },
        ber["kode_unit"],
    )

    ikm_df = frame_or_empty(mid_year, "ikm", ("kode_unit", "jumlah_responden", "ikm", "mutu"))
    ikm = per_unit(
        {
            "ikm": format_numbers(ikm_df["ikm"]),
            "mutu": text_column(ikm_df["mutu"]),
            "jumlah_responden": pd.to_numeric(ikm_df["jumlah_responden"]).fillna(0).astype(int),
        },
        ikm_df["kode_unit"],
    )
    bulanan_df = frame_or_empty(mid_year, "ikm_bulanan", ("kode_unit", "periode", "ikm"))
    bulanan_df = bulanan_df.iloc[sort_positions(text_column(bulanan_df["periode"]))]
    bulanan = per_unit(
        {
            "periode": text_column(bulanan_df["periode"]),
            "ikm": pd.to_numeric(bulanan_df["ikm"]).astype("float64"),
        },
        bulanan_df["kode_unit"],
    )

    tr = frame_or_empty(mid_year, "tanpa_realisasi", ("id_indikator", "nip"))
    tr_nip = text_column(tr["nip"])
    tr_id = text_column(tr["id_indikator"])
    urut = sort_positions(tr_nip, tr_id)
    tr, tr_nip, tr_id = tr.iloc[urut], tr_nip.iloc[urut], tr_id.iloc[urut]
    skp = frame_or_empty(frames, "skp", ("id_indikator", "indikator"))
    nama_indikator = lookup(skp if len(skp) else pem, "id_indikator", "indikator", hanya=tr_id)
    tanpa = per_unit(
        {
            "id_indikator": tr_id,
            "indikator": map_codes(tr_id, nama_indikator),
            "nip": tr_nip,
            "nama": map_codes(tr_nip, nama_pegawai),
        },
        map_codes(tr_nip, unit_pegawai),
    )

    tpl = template("pemantauan.html.j2")
    out_dir.mkdir(parents=True, exist_ok=True)
    def page(unit: dict) -> str:
        k = unit["kode_unit"]
        jumlah = status.get(k, [0] * len(STATUS_ORDER))
        tren = bulanan.get(k, [])
        ikm_unit = ikm.get(k)
        return tpl.render(
            unit=unit,
            tahun=year_text(tahun),
            status=[(STATUS_LABEL[s], n) for s, n in zip(STATUS_ORDER, jumlah, strict=True)],
            grafik_status=bar_chart(
                [STATUS_LABEL[s] for s in STATUS_ORDER], jumlah, judul="Jumlah indikator per status"
            ),
            atasan=_per_atasan(berisiko.get(k, [])),
            ikm=ikm_unit[0] if ikm_unit else None,
            grafik_ikm=line_chart(
                [r["periode"] for r in tren],
                [r["ikm"] for r in tren],
                judul="IKM per bulan",
                y_max=100.0,
            ),
            tanpa_realisasi=tanpa.get(k, []),
        )

    return write_unit_pages(units, out_dir, "pemantauan_", page)
