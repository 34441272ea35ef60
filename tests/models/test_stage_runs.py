"""The stage-run repository: opening, finding earlier runs, sealing into the chain, reading back."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, text
from sqlmodel import SQLModel

from audit.chain import GENESIS, record_hash
from audit.findings import check_chain
from models.db import get_engine, replace_rows, transaction
from models.stage_runs import (
    insert_run,
    latest_successful_run,
    previous_identical_run,
    read_chain_head,
    read_stage_runs,
    replace_run_rows,
    rows_per_run,
    seal_run,
    unfinished_runs,
)

TAHUN = 2026
INPUTS = json.dumps({"pegawai.csv": "ab" * 32})


def open_run(engine: Engine, tahap: str = "year-end", tahun: int = TAHUN, inputs: str = INPUTS,
             ruleset: str = "cd" * 32, code: str = "abc") -> int:
    return insert_run(engine, tahun=tahun, tahap=tahap, input_checksums=inputs, ruleset_checksum=ruleset,
                      code_version=code)


def seal(engine: Engine, rid: int, outcome: str = "berhasil", counts: dict | None = None):
    return seal_run(engine, rid, outcome, counts or {}, None, "{}", GENESIS, record_hash)


def close(engine: Engine, rid: int, outcome: str) -> None:
    """Close a record without sealing it (as a run that ended before the audit chain existed)."""
    with engine.begin() as conn:
        conn.execute(text("update stage_run set outcome = :o where id = :i"), {"o": outcome, "i": rid})


def test_insert_run_opens_a_running_record(engine: Engine):
    first, second = open_run(engine), open_run(engine, "training")
    assert second > first
    (run,) = read_stage_runs(engine)[:1]
    assert run["id"] == first and run["outcome"] == "berjalan" and run["counts"] == "{}"
    assert run["started_at"] is not None and run["finished_at"] is None and run["record_hash"] is None


def test_unfinished_runs_of_one_stage_and_year_oldest_first(engine: Engine):
    a, b = open_run(engine), open_run(engine)
    open_run(engine, "training")
    open_run(engine, tahun=TAHUN - 1)
    done = open_run(engine)
    seal(engine, done)
    current = open_run(engine)
    assert unfinished_runs(engine, TAHUN, "year-end", current) == [a, b]
    assert unfinished_runs(engine, TAHUN, "year-end", a) == [b, current]


def test_previous_identical_run_needs_the_same_inputs_ruleset_and_code(engine: Engine):
    first = open_run(engine)
    assert previous_identical_run(engine, first) is None
    seal(engine, first)
    assert previous_identical_run(engine, open_run(engine)) == first
    failed = open_run(engine)
    seal(engine, failed, "gagal")
    assert previous_identical_run(engine, open_run(engine)) == first, "failed runs do not count"
    for changed in ({"inputs": "{}"}, {"ruleset": "00" * 32}, {"code": "def"}):
        assert previous_identical_run(engine, open_run(engine, **changed)) is None, changed
    other = open_run(engine, inputs="{}")
    seal(engine, other, "tanpa_perubahan")
    assert previous_identical_run(engine, open_run(engine)) is None, "only the latest success is compared"
    assert previous_identical_run(engine, open_run(engine, "training")) is None


def test_latest_successful_run_with_its_input_checksums(engine: Engine):
    assert latest_successful_run(engine, TAHUN, "year-end") is None
    first = open_run(engine)
    seal(engine, first)
    later = open_run(engine, inputs=json.dumps({"pegawai.csv": "ee" * 32}))
    seal(engine, later, "tanpa_perubahan")
    seal(engine, open_run(engine, inputs="{}"), "gagal")
    open_run(engine, inputs="{}")
    assert latest_successful_run(engine, TAHUN, "year-end") == (later, {"pegawai.csv": "ee" * 32})
    assert latest_successful_run(engine, TAHUN - 1, "year-end") is None
    assert latest_successful_run(engine, TAHUN, "training") is None


def test_sealing_chains_each_record_to_the_previous_head(engine: Engine):
    first, second = open_run(engine), open_run(engine, "training")
    pos, first_hash = seal(engine, second, counts={"b": 1, "a": date(2026, 12, 31)})
    assert pos == 1
    assert seal(engine, first, "gagal") == (2, read_stage_runs(engine)[0]["record_hash"])
    records = {r["id"]: r for r in read_stage_runs(engine)}
    assert records[second]["prev_hash"] == GENESIS and records[second]["record_hash"] == first_hash
    assert records[first]["prev_hash"] == first_hash
    assert records[second]["counts"] == '{"a": "2026-12-31", "b": 1}'
    assert records[first]["outcome"] == "gagal" and records[first]["finished_at"] is not None
    for record in records.values():
        assert record["record_hash"] == record_hash(record)
    assert read_chain_head(engine) == {"id": 1, "jumlah": 2, "kepala_stage_run_id": first,
                                       "kepala_hash": records[first]["record_hash"]}
    assert check_chain(list(records.values()), read_chain_head(engine)) == []


def test_a_sealed_record_is_not_sealed_again(engine: Engine):
    rid = open_run(engine)
    seal(engine, rid, counts={"n": 1})
    before = read_stage_runs(engine)
    assert seal(engine, rid, "gagal", {"n": 2}) is None
    assert read_stage_runs(engine) == before
    assert read_chain_head(engine)["jumlah"] == 1


def test_the_chain_head_is_created_by_the_first_seal(tmp_path: Path):
    engine = get_engine(f"sqlite:///{tmp_path / 'tanpa_migrasi.db'}")
    SQLModel.metadata.create_all(engine)
    assert read_chain_head(engine) is None
    rid = open_run(engine)
    _, sealed = seal(engine, rid)
    assert read_chain_head(engine) == {"id": 1, "jumlah": 1, "kepala_stage_run_id": rid,
                                       "kepala_hash": sealed}


def test_read_stage_runs_by_year(engine: Engine):
    ids = [open_run(engine, tahun=t) for t in (TAHUN, TAHUN - 1, TAHUN)]
    assert [r["id"] for r in read_stage_runs(engine)] == ids
    assert [r["id"] for r in read_stage_runs(engine, TAHUN)] == [ids[0], ids[2]]
    assert read_stage_runs(engine, TAHUN + 1) == []


def gate_rows(n: int) -> pd.DataFrame:
    return pd.DataFrame({"kode": [f"G{i}" for i in range(n)], "berkas": "pegawai.csv", "deskripsi": "d",
                         "sumber": "suite", "lulus": True, "diperiksa": 1, "gagal": 0, "ambang": "0%"})


def test_replace_run_rows_and_rows_per_run(engine: Engine):
    this, other, last_year = open_run(engine), open_run(engine), open_run(engine, tahun=TAHUN - 1)
    karantina = pd.DataFrame({"tahun": [TAHUN], "tahap": "year-end", "berkas": "pegawai.csv", "baris": 2,
                              "kolom": "nip", "nilai": "x", "kode_aturan": "NIP", "alasan": "a",
                              "reason": "r"})
    with transaction(engine) as conn:
        for rid, n in ((this, 3), (other, 2), (last_year, 4)):
            replace_run_rows(conn, {"gate_check": gate_rows(n).assign(stage_run_id=rid)}, rid)
        replace_run_rows(conn, {"gate_check": gate_rows(1).assign(stage_run_id=this),
                                "karantina": karantina.assign(stage_run_id=this)}, this)
    assert rows_per_run(engine, TAHUN, ["gate_check", "karantina", "pegawai"]) == {
        "gate_check": {this: 1, other: 2}, "karantina": {this: 1}, "pegawai": {}}
    assert rows_per_run(engine, TAHUN - 1, ["gate_check", "karantina"]) == {
        "gate_check": {last_year: 4}, "karantina": {}}
    with transaction(engine) as conn:
        replace_rows(conn, "karantina", karantina.assign(tahun=TAHUN - 1, stage_run_id=this), tahun=TAHUN - 1)
    assert rows_per_run(engine, TAHUN - 1, ["karantina"]) == {"karantina": {this: 1}}, \
        "a table with `tahun` counts by its own year"


@pytest.mark.parametrize("outcome", ["berhasil", "tanpa_perubahan"])
def test_both_successful_outcomes_count_as_success(engine: Engine, outcome: str):
    rid = open_run(engine)
    close(engine, rid, outcome)
    assert latest_successful_run(engine, TAHUN, "year-end") == (rid, {"pegawai.csv": "ab" * 32})
