"""The angka kredit part of `kinerja audit explain`: a functional official's conversion of the predikat
that stands, worked out with its numbers and checked against the recorded ruleset."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from audit.chain import json_object
from audit.recompute import ruleset_name
from contract.schema import FILES
from models.db import read_year
from penilaian.numbers import format_2
from penilaian.ruleset import load_ruleset


def run_ids(frame: pd.DataFrame) -> list[int]:
    return sorted({int(x) for x in frame.get("stage_run_id", pd.Series(dtype="int64")).dropna().unique()})


def explain_angka_kredit(engine: Engine, nip: str, tahun: int, orang: dict, berlaku: dict,
                         rules: object | None, runs: dict[int, dict], catatan: list[str]) -> dict:
    """A functional official's angka kredit: the archived angka_kredit.csv row, the conversion of the
    predikat that stands worked out with its numbers (checked against the training run's ruleset), the
    next step with its threshold, and the training stage run that stored it. Without a stored result,
    why: the quarantine found on the row's line, or no row for the official in the angka_kredit.csv the
    latest training run archived. Empty for an employee who is not a functional official and has no
    angka kredit row, and before a training run archived angka_kredit.csv."""
    stored = berlaku["angka_kredit"]
    filed = read_year(engine, "angka_kredit", tahun, nip=nip).sort_values(["stage_run_id", "baris"])
    masukan = filed.iloc[-1].to_dict() if len(filed) else None
    out: dict = {"masukan": masukan, "stage_run_ids": sorted({*run_ids(filed), *run_ids(stored)})}
    if len(stored):
        row = stored.iloc[0].to_dict()
        rid = int(row["stage_run_id"])
        aturan = _ruleset_of(runs.get(rid, {}), rules, catatan)
        return {**out, "hasil": row, "stage_run_id": rid,
                "rincian": rincian_angka_kredit(row, masukan, aturan, catatan)}
    if masukan is not None:
        rid = int(masukan["stage_run_id"])
        berkas = FILES["angka_kredit"].name
        return {**out, "stage_run_id": rid,
                "aturan": _aturan_baris(engine, tahun, berkas, rid, int(masukan["baris"]))}
    wrote = [rid for rid, run in runs.items() if run.get("tahap") == "training"
             and "angka_kredit_ditulis" in json_object(run.get("counts"))]
    if orang.get("jenis_jabatan") != "fungsional" or not wrote:
        return {}
    return {**out, "stage_run_id": max(wrote), "stage_run_ids": [max(wrote)]}


def _ruleset_of(run: dict, rules: object | None, catatan: list[str]) -> object | None:
    """The ruleset a stage run recorded: `rules` (the year-end run's) when the checksums agree, else
    loaded by the run's label (a note when it cannot be loaded or its checksum changed since)."""
    if rules is not None and getattr(rules, "checksum", None) == run.get("ruleset_checksum"):
        return rules
    try:
        loaded = load_ruleset(ruleset_name(run.get("ruleset_label")))
    except Exception as exc:  # noqa: BLE001 - explanation still works from stored values
        catatan.append(f"ruleset {run.get('ruleset_label')} stage run {run.get('id')} ({run.get('tahap')}) "
                       f"tidak dapat dimuat: {exc}")
        return None
    if loaded.checksum != run.get("ruleset_checksum"):
        catatan.append(f"checksum ruleset stage run {run.get('id')} ({run.get('tahap')}) sekarang berbeda "
                       "dari yang tercatat: angka kredit dibandingkan dengan ruleset sekarang")
    return loaded


def angka_kredit_tanpa_predikat(engine: Engine, nip: str, tahun: int) -> dict | None:
    """For an employee who was not scored: the archived angka_kredit.csv row of a functional official
    (the latest training run's) and the quarantine rules found on its line — no predikat stands, so no
    angka kredit; None when training archived no row of the NIP."""
    filed = read_year(engine, "angka_kredit", tahun, nip=nip).sort_values(["stage_run_id", "baris"])
    if filed.empty:
        return None
    row = filed.iloc[-1].to_dict()
    return {**row, "stage_run_id": int(row["stage_run_id"]),
            "aturan": _aturan_baris(engine, tahun, FILES["angka_kredit"].name, int(row["stage_run_id"]),
                                    int(row["baris"]))}


def _aturan_baris(engine: Engine, tahun: int, berkas: str, rid: int, baris: int) -> list[str]:
    """The quarantine rules stage run `rid` found on one line of a file, each once: 'KODE: alasan'."""
    karantina = read_year(engine, "karantina", tahun, berkas=berkas, stage_run_id=rid, baris=baris)
    return [f"{r['kode_aturan']}: {r['alasan']}"
            for r in karantina.drop_duplicates("kode_aturan").to_dict("records")]


def _angka(value: object) -> str:
    """A number as the explanation shows it: half-up to 2 decimals, '-' when empty."""
    if value is None or pd.isna(value):
        return "-"
    return format_2(pd.Series([float(value)])).iloc[0]


def _g(value: float) -> str:
    """A number as worked out by hand, without trailing zeros (to 6 decimals, float noise gone):
    100.0 -> '100', 37.5 -> '37.5', 9.375 -> '9.375'."""
    text = f"{round(float(value), 6):.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _hasil(value: float) -> str:
    """A computed figure, unrounded, with the rounded value the CSV shows when that differs:
    '9.375 (dibulatkan 9.38)'."""
    shown = _angka(value)
    if shown == "-":
        return shown
    return _g(value) + ("" if float(shown) == round(float(value), 6) else f" (dibulatkan {shown})")


def rincian_angka_kredit(row: dict, masukan: dict | None, rules: object | None,
                         catatan: list[str]) -> list[str]:
    """A stored angka kredit worked out with its numbers (DOMAIN.md "Angka kredit"): the row as filed,
    the predikat's percentage and the jenjang's coefficient, ak_tahun and the cumulative figure, the next
    step and where its threshold comes from, memenuhi and the shortfall. Each step is checked against
    the stored numbers and, when it loads, the recorded ruleset: a note in `catatan` for each that
    differs."""
    jenjang, golongan, predikat = row["jenjang"], row["golongan"], row["predikat_ditetapkan"]
    persen, koefisien, bulan, awal, tahun_ini, kumulatif = (
        float(row[c]) for c in ("persentase", "koefisien", "bulan", "ak_awal", "ak_tahun", "ak_kumulatif"))
    langkah, ambang, kekurangan = row["langkah_berikutnya"], row.get("ambang"), row.get("kekurangan")
    ambang = None if ambang is None or pd.isna(ambang) else float(ambang)
    aturan = getattr(rules, "angka_kredit", None)
    tingkat = aturan.jenjang.get(jenjang) if aturan is not None else None

    def beda(apa: str, tersimpan: float | None, seharusnya: float | None) -> None:
        if tersimpan is None or seharusnya is None:
            if tersimpan is not seharusnya:
                catatan.append(f"angka kredit: {apa} tersimpan {_angka(tersimpan)}, seharusnya "
                               f"{_angka(seharusnya)}")
        elif abs(tersimpan - seharusnya) > 1e-9:
            catatan.append(f"angka kredit: {apa} tersimpan {tersimpan!r}, seharusnya {seharusnya!r}")

    if aturan is not None:
        beda(f"persentase {predikat}", persen, aturan.persentase.get(predikat))
    if tingkat is not None:
        beda(f"koefisien {jenjang}", koefisien, tingkat.koefisien)
    beda("ak_tahun", tahun_ini, bulan / 12 * persen / 100 * koefisien)
    beda("ak_kumulatif", kumulatif, awal + tahun_ini)

    if masukan is None:
        asal = "baris angka_kredit.csv tidak diarsipkan"
    else:
        kosong = masukan.get("bulan") is None or pd.isna(masukan.get("bulan"))
        asal = f"angka_kredit.csv baris {int(masukan['baris'])}" + ("; bulan kosong = 12" if kosong else "")
    lines = [
        f"jenjang {jenjang}, golongan {golongan}; ak_awal {_g(awal)} (angka kredit kumulatif PAK terakhir), "
        f"bulan {_g(bulan)} ({asal})",
        f"predikat {predikat} → persentase {_g(persen)}%; koefisien {jenjang} {_g(koefisien)} per tahun",
        f"ak_tahun = bulan / 12 × persentase × koefisien = {_g(bulan)} / 12 × {_g(persen)}% × "
        f"{_g(koefisien)} = {_hasil(tahun_ini)}",
        f"ak_kumulatif = ak_awal + ak_tahun = {_g(awal)} + {_g(tahun_ini)} = {_hasil(kumulatif)}",
    ]
    rentang = tingkat.golongan if tingkat is not None else ()
    k = rentang.index(golongan) if golongan in rentang else None
    di = (f"golongan {golongan} ke-{k + 1} dari {len(rentang)} dalam rentang {jenjang} "
          f"({', '.join(rentang)})") if k is not None else f"golongan {golongan}"
    if langkah == "puncak":
        lines.append(f"langkah berikutnya: tidak ada (puncak) — {di} dan {jenjang} tidak punya jenjang "
                     "berikutnya; ambang dan kekurangan kosong, memenuhi: tidak")
        return lines
    if langkah == "pangkat":
        if k is not None:
            harus = (k + 1) * tingkat.pangkat_setiap
            lines.append(f"langkah berikutnya: kenaikan pangkat — {di}: ambang = {k + 1} × "
                         f"{_g(tingkat.pangkat_setiap)} = {_g(harus)}")
            beda("ambang", ambang, harus)
        else:
            lines.append(f"langkah berikutnya: kenaikan pangkat — ambang {_g(ambang)}")
    else:
        if k is not None:
            lines.append(f"langkah berikutnya: kenaikan jenjang — {di}, golongan terakhir: ambang jenjang "
                         f"{_g(tingkat.jenjang_pada)}, ditambah uji kompetensi")
            beda("ambang", ambang, tingkat.jenjang_pada)
        else:
            lines.append(f"langkah berikutnya: kenaikan jenjang — ambang {_g(ambang)}, ditambah uji "
                         "kompetensi")
    if ambang is not None:
        tanda = "≥" if round(kumulatif, 9) >= round(ambang, 9) else "<"  # the numbers', whatever is stored
        lines.append(f"memenuhi: {row['memenuhi']} (ak_kumulatif {_g(kumulatif)} {tanda} ambang "
                     f"{_g(ambang)}); kekurangan = max(0, {_g(ambang)} − {_g(kumulatif)}) = "
                     f"{_hasil(kekurangan)}")
        beda("kekurangan", None if kekurangan is None or pd.isna(kekurangan) else float(kekurangan),
             max(0.0, ambang - kumulatif))
        if (row["memenuhi"] == "ya") != (round(kumulatif, 9) >= round(ambang, 9)):
            catatan.append(f"angka kredit: memenuhi tersimpan {row['memenuhi']} bertentangan dengan "
                           f"ak_kumulatif {kumulatif!r} dan ambang {ambang!r}")
    return lines
