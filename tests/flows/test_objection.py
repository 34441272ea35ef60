"""The objection stage end to end: it builds on year-end, decides the objections that meet the rules,
quarantines the rest, stores and writes the predikat that stands; training then uses that predikat and
refuses to run without an objection review of the same inputs, or after year-end ran again."""

from __future__ import annotations

import csv
import shlex
import shutil
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text

from kinerja.errors import StageRefused
from models.db import get_engine
from tests.flows.stage_calls import TAHUN, count, csv_rows, missing_outputs, run

pytestmark = pytest.mark.slow

KEPUTUSAN_HEADER = ["nip", "keputusan", "rating_hasil_kerja_lama", "rating_perilaku_lama", "predikat_lama",
                    "rating_hasil_kerja_baru", "rating_perilaku_baru", "predikat_ditetapkan", "nip_pemutus",
                    "tanggal_keputusan"]
KEBERATAN_HEADER = ["nip", "tahun", "tanggal_terima", "tanggal_pengajuan", "alasan", "nip_pemutus",
                    "tanggal_keputusan", "keputusan", "rating_hasil_kerja_baru", "rating_perilaku_baru",
                    "catatan_keputusan"]


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _expected_set_aside(folder: Path) -> set[tuple[int, str]]:
    """(line, rule) of each demo objection the review must set aside, worked out from the files alone:
    filed more than 14 days after receipt, a decider other than the supervisor's supervisor, a second
    objection of the same nip (the later-filed one)."""
    rows = _read(folder / "keberatan.csv").assign(baris=lambda d: d.index + 2)
    pegawai = _read(folder / "pegawai.csv").drop_duplicates("nip").set_index("nip")["nip_atasan"]
    late = (pd.to_datetime(rows["tanggal_pengajuan"]) - pd.to_datetime(rows["tanggal_terima"])).dt.days > 14
    decider = rows["nip"].map(pegawai).map(pegawai)
    wrong = rows["nip_pemutus"] != decider
    second = rows.sort_values(["tanggal_pengajuan", "baris"])["nip"].duplicated().sort_index()
    found = set()
    for mask, kode in ((late, "KEBERATAN_TERLAMBAT"), (wrong, "PEMUTUS_SALAH"), (second, "KEBERATAN_GANDA")):
        found |= {(int(b), kode) for b in rows.loc[mask, "baris"]}
    return found


def _stored(db: str, sql: str) -> list[tuple]:
    with get_engine(db).connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), {"t": TAHUN})]


def test_objections_are_decided_quarantined_stored_and_written_and_rerun_in_place(
    prefect_harness: None, demo_input: Path, tmp_path: Path, db_url: str
) -> None:
    folder, out = tmp_path / "input", tmp_path / "out"
    shutil.copytree(demo_input, folder)
    year = out / str(TAHUN)
    run("year-end", folder, out, db_url, dokumen="tidak")
    first = run("objection", folder, out, db_url)

    assert first["outcome"] == "berhasil" and missing_outputs("objection", year) == []
    filed = _read(folder / "keberatan.csv")
    set_aside = _expected_set_aside(folder)
    assert {kode for _, kode in set_aside} == {"KEBERATAN_TERLAMBAT", "PEMUTUS_SALAH", "KEBERATAN_GANDA"}
    quarantined = {(int(r["baris"]), r["kode_aturan"]) for r in csv_rows(year / "karantina.csv")
                   if r["berkas"] == "keberatan.csv"}
    assert quarantined == set_aside
    assert {r["tahap"] for r in csv_rows(year / "karantina.csv") if r["berkas"] == "keberatan.csv"} == {
        "objection"}
    decided_lines = sorted(set(range(2, len(filed) + 2)) - {b for b, _ in set_aside})

    # keberatan_hasil.csv: the decided objections, by nip, the contract's columns; decisions as filed
    with (year / "keberatan_hasil.csv").open(encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == KEPUTUSAN_HEADER
    hasil_keberatan = _read(year / "keberatan_hasil.csv")
    assert list(hasil_keberatan["nip"]) == sorted(filed.loc[[b - 2 for b in decided_lines], "nip"])
    as_filed = filed.loc[[b - 2 for b in decided_lines]].set_index("nip")
    assert dict(zip(hasil_keberatan["nip"], hasil_keberatan["keputusan"], strict=True)) == as_filed[
        "keputusan"].to_dict()
    scored = _read(year / "hasil_penilaian.csv").set_index("nip")
    assert (hasil_keberatan["predikat_lama"] == hasil_keberatan["nip"].map(scored["predikat_final"])).all()
    ditolak = hasil_keberatan[hasil_keberatan["keputusan"] == "ditolak"]
    assert len(ditolak) and (ditolak["predikat_ditetapkan"] == ditolak["predikat_lama"]).all()
    diterima = hasil_keberatan[hasil_keberatan["keputusan"] == "diterima"]
    assert (diterima["predikat_ditetapkan"] != diterima["predikat_lama"]).sum() >= 3  # the demo's story

    # hasil_penilaian_akhir.csv: every scored employee once, by nip; only decided objections move
    akhir = _read(year / "hasil_penilaian_akhir.csv")
    assert list(akhir["nip"]) == list(scored.index) == sorted(scored.index)
    hasil_columns = list(_read(year / "hasil_penilaian.csv").columns)
    assert list(akhir.columns) == [*hasil_columns, "keberatan", "predikat_ditetapkan"]
    moved = akhir.loc[akhir["predikat_ditetapkan"] != akhir["predikat_final"], "nip"]
    assert set(moved) <= set(diterima["nip"]) and len(moved) == first["counts"]["predikat_berubah"]
    assert set(akhir.loc[akhir["keberatan"] == "ya", "nip"]) == set(hasil_keberatan["nip"])

    # documents only of the employees whose objection was decided (year-end wrote none here)
    assert sorted(p.stem for p in (year / "dokumen").glob("*.html")) == sorted(hasil_keberatan["nip"])
    counts = first["counts"]
    assert (counts["keberatan"], counts["diterima"], counts["ditolak"]) == (
        len(hasil_keberatan), len(diterima), len(ditolak))
    assert counts["keberatan_dikarantina"] == len({b for b, _ in set_aside})

    # the tables: every checked row as filed (with its line), the decisions, the predikat that stands
    assert count(db_url, "keberatan") == len(filed)
    assert sorted(b for (b,) in _stored(db_url, "select baris from keberatan where tahun = :t")) == list(
        range(2, len(filed) + 2))
    assert count(db_url, "keberatan_hasil") == len(hasil_keberatan)
    standing = _stored(db_url, "select nip, predikat_final, keberatan, predikat_ditetapkan "
                               "from predikat_ditetapkan where tahun = :t order by nip")
    assert [(n, f, bool(k), d) for n, f, k, d in standing] == [
        (r.nip, r.predikat_final, r.keberatan == "ya", r.predikat_ditetapkan) for r in akhir.itertuples()]
    assert count(db_url, "karantina") > 0 and _stored(
        db_url, "select count(*) from karantina where tahap = 'objection' and berkas = 'keberatan.csv'"
    ) == [(len(set_aside),)]

    # the same inputs again: the same bytes, nothing written
    names = ("keberatan_hasil.csv", "hasil_penilaian_akhir.csv")
    files = {name: (year / name).read_bytes() for name in names}
    again = run("objection", folder, out, db_url)
    assert again["counts"]["sama_dengan_stage_run"] == first["stage_run_id"]
    assert {k: v for k, v in again["counts"].items() if k.endswith("_ditulis")} == {
        "keberatan_ditulis": 0, "keberatan_hasil_ditulis": 0, "predikat_ditetapkan_ditulis": 0}
    assert {name: (year / name).read_bytes() for name in files} == files

    # the late objections corrected (received 10 days before filing): decided now, updated in place
    late_lines = sorted(b for b, kode in set_aside if kode == "KEBERATAN_TERLAMBAT")
    fixed = filed.copy()
    for b in late_lines:
        filed_on = date.fromisoformat(fixed.loc[b - 2, "tanggal_pengajuan"])
        fixed.loc[b - 2, "tanggal_terima"] = (filed_on - timedelta(days=10)).isoformat()
    fixed.to_csv(folder / "keberatan.csv", index=False)
    corrected = run("objection", folder, out, db_url)
    assert corrected["counts"]["keberatan"] == len(hasil_keberatan) + len(late_lines)
    assert count(db_url, "keberatan_hasil") == len(hasil_keberatan) + len(late_lines)
    assert count(db_url, "keberatan") == len(filed)  # replaced, not added
    assert count(db_url, "predikat_ditetapkan") == len(akhir)
    assert {(int(r["baris"]), r["kode_aturan"]) for r in csv_rows(year / "karantina.csv")
            if r["berkas"] == "keberatan.csv"} == set_aside - {(b, "KEBERATAN_TERLAMBAT") for b in late_lines}
    late_nips = set(filed.loc[[b - 2 for b in late_lines], "nip"])
    assert late_nips and late_nips <= set(_read(year / "keberatan_hasil.csv")["nip"])


def _objection(nip: str, pemutus: str, keputusan: str, hasil_kerja: str = "", perilaku: str = "") -> dict:
    received = date(TAHUN + 1, 1, 22)
    return {"nip": nip, "tahun": TAHUN, "tanggal_terima": received.isoformat(),
            "tanggal_pengajuan": (received + timedelta(days=5)).isoformat(), "alasan": "Keberatan uji",
            "nip_pemutus": pemutus, "tanggal_keputusan": (received + timedelta(days=9)).isoformat(),
            "keputusan": keputusan, "rating_hasil_kerja_baru": hasil_kerja, "rating_perilaku_baru": perilaku,
            "catatan_keputusan": ""}


def _of_kind(rows: dict[str, tuple], jenis: str) -> int:
    return sum(1 for v in rows.values() if v[0] == jenis)


def _tindak_lanjut(db: str) -> dict[str, tuple[str, str, str | None]]:
    rows = _stored(db, "select nip, jenis, predikat_final, predikat_ditetapkan from tindak_lanjut "
                       "where tahun = :t")
    return {nip: (jenis, final, ditetapkan) for nip, jenis, final, ditetapkan in rows}


def test_training_uses_the_predikat_that_stands_and_refuses_a_missing_changed_or_stale_review(
    prefect_harness: None, demo_input: Path, tmp_path: Path
) -> None:
    db, folder, out = f"sqlite:///{tmp_path / 'k.db'}", tmp_path / "input", tmp_path / "out"
    shutil.copytree(demo_input, folder)
    (folder / "keberatan.csv").unlink()
    year = out / str(TAHUN)
    run("year-end", folder, out, db, dokumen="tidak")

    with pytest.raises(StageRefused) as missing:
        run("training", folder, out, db)
    command = shlex.join(["kinerja", "run", "objection", "--tahun", str(TAHUN), "--input", str(folder),
                          "--output", str(out), "--db", db])
    assert str(missing.value).endswith(f"`{command}`") and "no objection results yet" in str(missing.value)

    # no keberatan.csv: the stage passes and every predikat_final stands
    none = run("objection", folder, out, db, dokumen="tidak")
    assert none["outcome"] == "berhasil" and none["counts"]["keberatan"] == 0
    assert _read(year / "keberatan_hasil.csv").empty
    akhir = _read(year / "hasil_penilaian_akhir.csv")
    assert len(akhir) == count(db, "predikat_ditetapkan") == len(_read(year / "hasil_penilaian.csv"))
    assert (akhir["keberatan"] == "tidak").all()
    assert (akhir["predikat_ditetapkan"] == akhir["predikat_final"]).all()
    assert _stored(db, "select count(*) from predikat_ditetapkan where tahun = :t and "
                       "(keberatan or predikat_ditetapkan <> predikat_final)") == [(0,)]
    run("training", folder, out, db)
    before = _tindak_lanjut(db)

    # an accepted objection raises a Kurang employee to Baik, another one a Baik employee to Sangat Baik
    pegawai = _read(folder / "pegawai.csv").drop_duplicates("nip").set_index("nip")["nip_atasan"]
    decider = akhir["nip"].map(pegawai).map(pegawai)
    can_object = akhir[decider.fillna("") != ""].assign(pemutus=decider)
    kurang = can_object[can_object["predikat_final"].isin(["Kurang", "Sangat Kurang"])].iloc[0]
    baik = can_object[can_object["predikat_final"] == "Baik"].iloc[0]
    assert before[kurang["nip"]][0] == "konseling" and baik["nip"] not in before
    pd.DataFrame([_objection(kurang["nip"], kurang["pemutus"], "diterima", "sesuai", "sesuai"),
                  _objection(baik["nip"], baik["pemutus"], "diterima", "di_atas", "di_atas")],
                 columns=KEBERATAN_HEADER).to_csv(folder / "keberatan.csv", index=False)
    with pytest.raises(StageRefused, match=r"keberatan\.csv.*re-run objection"):
        run("training", folder, out, db)  # the review ran on other inputs

    decided = run("objection", folder, out, db, dokumen="tidak")
    assert (decided["counts"]["diterima"], decided["counts"]["predikat_berubah"]) == (2, 2)
    trained = run("training", folder, out, db)
    after = _tindak_lanjut(db)
    assert kurang["nip"] not in after  # no counselling: Baik stands
    assert after[baik["nip"]] == ("penghargaan", "Baik", "Sangat Baik")
    assert trained["counts"]["penghargaan"] == _of_kind(before, "penghargaan") + 1
    assert trained["counts"]["tindak_lanjut"] == _of_kind(before, "konseling") - 1
    others = {n: v for n, v in before.items() if n not in (kurang["nip"], baik["nip"])}
    assert {n: v[:2] for n, v in after.items() if n in others} == {n: v[:2] for n, v in others.items()}

    # year-end again after the review: training refuses until the review runs again
    run("year-end", folder, out, db, dokumen="tidak")
    with pytest.raises(StageRefused) as stale:
        run("training", folder, out, db)
    message = str(stale.value)
    assert "year-end ran after the latest objection run" in message and "\n" not in message
    assert message.endswith(f"`{command}`")
