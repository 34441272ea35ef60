"""Each stage's write task stores exactly its tables, every row with the year and the stage run that wrote
it, on SQLite and PostgreSQL; a run identical to the last successful one writes nothing."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text
from sqlmodel import SQLModel

from models.db import get_engine, read_year
from penilaian.monitoring import monitor_mid_year
from penilaian.ruleset import Ruleset, load_ruleset
from penilaian.training import recommend_trainings
from penilaian.year_end import score_year_end
from stages.context import StageContext
from tasks.lifecycle import finish, stage_run
from tasks.writes import write_mid_year, write_plan, write_training, write_year_end
from tests.tasks.checked_frames import TAHUN, checked_frames

Write = Callable[[StageContext, Ruleset], dict[str, int]]


@pytest.fixture
def write_in_stage_run(in_flow: Callable, tmp_path: Path, db_url: str) -> Callable[[str, Path, Write], tuple]:
    """Call a write task inside a real stage run of `tahap` (opened, then finished as 'berhasil')."""

    def run(tahap: str, input_dir: Path, write: Write) -> tuple[int, dict[str, int]]:
        def stage() -> tuple[int, dict[str, int]]:
            with stage_run(tahap, TAHUN, str(input_dir), str(tmp_path / "out"), db_url) as (ctx, rules):
                written = write(ctx, rules)
                finish(ctx, written, [])
                return ctx.stage_run_id, written

        return in_flow(stage)

    return run


def rows_of_run(db_url: str, stage_run_id: int) -> dict[str, int]:
    """Rows per table that carry this stage run, in tables where every row of the year is its own."""
    found = {}
    with get_engine(db_url).connect() as conn:
        for name, table in sorted(SQLModel.metadata.tables.items()):
            if "stage_run_id" not in table.c:
                continue
            mine = conn.execute(text(f"select count(*) from {name} where stage_run_id = :r"),
                                {"r": stage_run_id}).scalar()
            if mine:
                year = conn.execute(text(f"select count(*) from {name} where tahun = :t"),
                                    {"t": TAHUN}).scalar()
                assert year == mine, f"{name}: rows of {TAHUN} from another stage run"
                found[name] = int(mine)
    return found


def test_the_plan_write_stores_units_employees_and_indicators(
    write_in_stage_run: Callable, demo_input: Path, db_url: str
) -> None:
    frames = checked_frames(demo_input, "plan-collection")
    run_id, written = write_in_stage_run("plan-collection", demo_input,
                                         lambda ctx, _: write_plan(ctx, frames))

    expected = {"unit_kerja": len(frames["unit_kerja"]), "pegawai": len(frames["pegawai"]),
                "indikator_skp": len(frames["skp"])}
    assert written == {f"{name}_ditulis": n for name, n in expected.items()}
    assert rows_of_run(db_url, run_id) == expected
    stored = read_year(get_engine(db_url), "pegawai", TAHUN)
    assert sorted(stored["nip"]) == sorted(frames["pegawai"]["nip"])


def test_the_mid_year_write_stores_one_monitoring_row_per_indicator(
    write_in_stage_run: Callable, demo_input: Path, db_url: str
) -> None:
    frames, rules = checked_frames(demo_input, "mid-year"), load_ruleset(None)
    result = monitor_mid_year(frames, rules, TAHUN)
    run_id, written = write_in_stage_run("mid-year", demo_input,
                                         lambda ctx, _: write_mid_year(ctx, frames, result, rules))

    reported = result.pemantauan["realisasi"].notna().sum()
    survei = frames["survei_masyarakat"]
    expected = {"pemantauan": len(result.pemantauan), "realisasi_pemantauan": reported,
                "survei_masyarakat": len(survei)}
    assert len(survei) > 0
    assert written == {f"{name}_ditulis": n for name, n in expected.items()}
    assert rows_of_run(db_url, run_id) == expected
    # the citizen survey as read: every row, its IKM value unchanged (the index page grades it)
    stored_survei = read_year(get_engine(db_url), "survei_masyarakat", TAHUN)
    key = ["kode_unit", "periode", "layanan"]
    assert sorted(map(tuple, stored_survei[[*key, "nilai_ikm"]].astype(str).to_numpy().tolist())) == \
        sorted(map(tuple, survei[[*key, "nilai_ikm"]].astype(str).to_numpy().tolist()))
    # of realisasi only each indicator's latest month up to the mid-year cut-off: the value monitored
    used = read_year(get_engine(db_url), "realisasi_pemantauan", TAHUN).set_index("id_indikator")
    month = used["periode"].str[5:7].astype(int)
    assert used.index.is_unique and (month <= rules.pemantauan.bulan_batas).all()
    monitored = result.pemantauan.dropna(subset=["realisasi"]).set_index("id_indikator")["realisasi"]
    assert used["realisasi"].to_dict() == monitored.to_dict()
    stored = read_year(get_engine(db_url), "pemantauan", TAHUN).set_index("id_indikator")
    expected = result.pemantauan.set_index("id_indikator")
    assert stored.index.is_unique and set(stored.index) == set(expected.index)
    assert stored["status"].to_dict() == expected["status"].to_dict()


def _cut_off(rules: Ruleset, bulan_batas: int) -> Ruleset:
    penilaian = rules.penilaian.model_copy(update={"bulan_batas": bulan_batas})
    return rules.model_copy(update={"penilaian": penilaian})


@pytest.mark.parametrize("optional", [True, False], ids=["with-optional-files", "without"])
def test_the_year_end_write_stores_scores_their_inputs_and_rater_bias(
    write_in_stage_run: Callable, demo_input: Path, db_url: str, optional: bool
) -> None:
    frames = checked_frames(demo_input, "year-end")
    if not optional:
        frames = {name: frame for name, frame in frames.items()
                  if name not in ("umpan_balik", "rating_atasan")}
    rules = load_ruleset(None)
    result = score_year_end(frames, rules, TAHUN)
    run_id, written = write_in_stage_run(
        "year-end", demo_input, lambda ctx, _: write_year_end(ctx, frames, result, rules))

    indicators = frames["realisasi"]["id_indikator"].nunique()
    expected = {"capaian_indikator": len(result.indikator), "hasil_penilaian": len(result.hasil),
                "bias_penilai": len(result.bias), "realisasi": indicators,
                "perilaku": len(frames["perilaku"])}
    if optional:
        expected |= {"umpan_balik": len(frames["umpan_balik"]), "rating_atasan": len(frames["rating_atasan"])}
    assert written == {f"{name}_ditulis": n for name, n in expected.items()}
    assert rows_of_run(db_url, run_id) == {name: n for name, n in expected.items() if n}
    hasil = read_year(get_engine(db_url), "hasil_penilaian", TAHUN)
    assert set(hasil["ruleset_label"]) == {rules.label}
    assert hasil.set_index("nip")["predikat_final"].to_dict() == \
        result.hasil.set_index("nip")["predikat_final"].to_dict()


def test_the_year_end_write_keeps_each_indicators_latest_realisation_up_to_the_cut_off(
    write_in_stage_run: Callable, demo_input: Path, db_url: str
) -> None:
    frames = checked_frames(demo_input, "year-end")
    realisasi = frames["realisasi"]
    month = realisasi["periode"].str[5:7].astype(int)
    every_other = realisasi["id_indikator"].isin(realisasi["id_indikator"].drop_duplicates().iloc[::2])
    # half the indicators lack September and October: their latest month up to October is August
    frames["realisasi"] = realisasi[~(every_other & month.isin([9, 10]))]
    rules = _cut_off(load_ruleset(None), 10)
    result = score_year_end(frames, rules, TAHUN)

    write_in_stage_run("year-end", demo_input, lambda ctx, _: write_year_end(ctx, frames, result, rules))

    # ids and months are held as categories in memory (FileSpec.kategori); the database has their text
    kept = frames["realisasi"].astype({"id_indikator": "str", "periode": "str"})
    kept = kept.assign(bulan=kept["periode"].str[5:7].astype(int))
    kept = kept[kept["bulan"] <= 10].sort_values("bulan").groupby("id_indikator").tail(1)
    expected = kept.set_index("id_indikator")[["periode", "realisasi"]].sort_index()
    assert set(expected["periode"]) == {f"{TAHUN}-08", f"{TAHUN}-10"}
    stored = read_year(get_engine(db_url), "realisasi", TAHUN).set_index("id_indikator")
    assert stored.index.is_unique
    pd.testing.assert_frame_equal(stored[["periode", "realisasi"]].sort_index(), expected,
                                  check_dtype=False, check_names=False)


def test_the_training_write_stores_recommendations_and_rewards_and_counselling_as_follow_up(
    write_in_stage_run: Callable, demo_input: Path, db_url: str
) -> None:
    from penilaian.angka_kredit import convert_angka_kredit
    from penilaian.keberatan import review_objections

    frames, rules = checked_frames(demo_input, "training"), load_ruleset(None)
    year_end = score_year_end(frames, rules, TAHUN)
    keberatan = review_objections(frames, year_end, rules, TAHUN)
    result = recommend_trainings(year_end, frames, rules, TAHUN, keberatan)
    angka_kredit = convert_angka_kredit(frames, keberatan.akhir, rules, TAHUN)
    assert len(result.penghargaan) and len(result.tindak_lanjut), "the demo data has both"
    run_id, written = write_in_stage_run("training", demo_input,
                                         lambda ctx, _: write_training(ctx, result, frames, angka_kredit))

    follow_up = len(result.penghargaan) + len(result.tindak_lanjut)
    expected = {"rekomendasi_pelatihan": len(result.rekomendasi), "tindak_lanjut": follow_up,
                "katalog_pelatihan": len(frames["katalog_pelatihan"]),
                "riwayat_pelatihan": len(frames["riwayat_pelatihan"]),
                "angka_kredit": len(frames["angka_kredit"]), "angka_kredit_hasil": len(angka_kredit.hasil)}
    assert expected["angka_kredit_hasil"], "the demo has functional officials"
    assert expected["katalog_pelatihan"] and expected["riwayat_pelatihan"], "the demo data has both"
    assert written == {f"{name}_ditulis": n for name, n in expected.items()}
    assert rows_of_run(db_url, run_id) == expected
    katalog = read_year(get_engine(db_url), "katalog_pelatihan", TAHUN).set_index("kode_pelatihan")
    assert katalog["jp"].to_dict() == frames["katalog_pelatihan"].set_index("kode_pelatihan")["jp"].to_dict()
    stored = read_year(get_engine(db_url), "tindak_lanjut", TAHUN).set_index("nip")
    assert stored["jenis"].to_dict() == {**dict.fromkeys(result.penghargaan["nip"], "penghargaan"),
                                         **dict.fromkeys(result.tindak_lanjut["nip"], "konseling")}
    # after the objection review: what stands decides
    assert set(stored.loc[stored["jenis"] == "penghargaan", "predikat_ditetapkan"]) == {"Sangat Baik"}
    konseling = stored[stored["jenis"] == "konseling"]
    assert set(konseling["predikat_ditetapkan"]) <= {"Kurang", "Sangat Kurang"}
    assert konseling["rencana"].to_dict() == result.tindak_lanjut.set_index("nip")["rencana"].to_dict()
    # angka_kredit.csv as read, each row with its line; the conversion unrounded, by nip
    filed = read_year(get_engine(db_url), "angka_kredit", TAHUN).sort_values("baris")
    assert list(filed["baris"]) == list(frames["angka_kredit"]["_baris"])
    assert list(filed["nip"]) == list(frames["angka_kredit"]["nip"])
    hasil = read_year(get_engine(db_url), "angka_kredit_hasil", TAHUN).set_index("nip").sort_index()
    computed = angka_kredit.hasil.set_index("nip")
    assert hasil["ak_kumulatif"].to_dict() == pytest.approx(computed["ak_kumulatif"].to_dict(), abs=1e-9)
    assert hasil["langkah_berikutnya"].to_dict() == computed["langkah_berikutnya"].to_dict()


def test_a_run_identical_to_the_last_successful_one_writes_nothing(
    write_in_stage_run: Callable, demo_input: Path, tmp_path: Path, db_url: str
) -> None:
    folder = tmp_path / "input"
    shutil.copytree(demo_input, folder)

    def write(ctx: StageContext, _: Ruleset) -> dict[str, int]:
        return write_plan(ctx, checked_frames(folder, "plan-collection"))

    first, _ = write_in_stage_run("plan-collection", folder, write)
    stored = rows_of_run(db_url, first)
    second, written = write_in_stage_run("plan-collection", folder, write)

    assert written == {"unit_kerja_ditulis": 0, "pegawai_ditulis": 0, "indikator_skp_ditulis": 0,
                       "sama_dengan_stage_run": first}
    assert rows_of_run(db_url, second) == {} and rows_of_run(db_url, first) == stored

    skp = folder / "skp.csv"
    skp.write_text(skp.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # same rows, other bytes
    third, written = write_in_stage_run("plan-collection", folder, write)
    assert "sama_dengan_stage_run" not in written
    assert rows_of_run(db_url, third) == stored and rows_of_run(db_url, first) == {}
