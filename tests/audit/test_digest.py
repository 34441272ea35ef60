"""Row digests: canonical COPY text (pinned), order and driver independence, and the digest computed
from memory at write time equal to the rows read back from SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine

from audit.digest import (
    canonical_column,
    canonical_lines,
    canonical_time,
    digest_frame,
    display_time,
    result_digests,
    rows_digest,
    run_tables,
    table_digest,
)
from models import stage_runs
from models.db import replace_rows, transaction

KINDS = {"nip": "text", "nilai": "float", "jumlah": "int", "lulus": "bool", "catatan": "text"}


def rows(**extra: object) -> pd.DataFrame:
    base = pd.DataFrame({
        "nip": ["198001012005011001", "198001012005011002", "198001012005011003"],
        "nilai": [0.1 + 0.2, 97.5, np.nan],
        "jumlah": [1, 2, 3],
        "lulus": [True, False, True],
        "catatan": ["biasa", None, "tab\there"],
    })
    return base.assign(**extra)


def digest(frame: pd.DataFrame) -> dict:
    return digest_frame("contoh", frame, KINDS, ["nip"])


# ---------------------------------------------------------------- canonical text


def test_canonical_column_writes_copy_text():
    floats = [0.1 + 0.2, 100.0, None, 1e16, 1e-7, -0.0, 5e-324, 1.7976931348623157e308, 1 / 3, 97.5]
    # pinned: the shortest round-trip decimal; a library upgrade that changes it would break old seals
    assert canonical_column(pd.Series(floats), "float").to_pylist() == [
        "0.30000000000000004", "100", "\\N", "1e+16", "1e-7", "-0", "5e-324", "1.7976931348623157e+308",
        "0.3333333333333333", "97.5"]
    assert canonical_column(pd.Series(["a\tb", "c\\N", "x\ny", None]), "text").to_pylist() == [
        "a\\tb", "c\\\\N", "x\\ny", "\\N"]
    assert canonical_column(pd.Series([1, 0, None], dtype="object"), "bool").to_pylist() == ["t", "f", "\\N"]
    assert canonical_column(pd.Series([3, None], dtype="object"), "int").to_pylist() == ["3", "\\N"]


def test_canonical_time_is_utc_with_microseconds():
    jakarta = timezone(timedelta(hours=7))
    assert canonical_time(datetime(2027, 1, 5, 10, 0, 1, 5, tzinfo=jakarta)) == "2027-01-05T03:00:01.000005Z"
    assert canonical_time(datetime(2027, 1, 5, 3, 0, 1)) == "2027-01-05T03:00:01.000000Z"
    assert canonical_column(pd.Series([datetime(2027, 1, 5, tzinfo=UTC), None]), "time").to_pylist() == [
        "2027-01-05T00:00:00.000000Z", "\\N"]
    assert canonical_time(None) is None and canonical_time(float("nan")) is None
    assert canonical_time(pd.NaT) is None


def test_display_time_to_the_second():
    jakarta = timezone(timedelta(hours=7))
    assert display_time(datetime(2027, 1, 5, 10, 0, 1, 999999, tzinfo=jakarta)) == "2027-01-05 03:00:01Z"
    assert display_time(None) == "-"


def test_digest_ignores_row_order_and_driver_types_but_not_values():
    reference = digest(rows())
    assert reference["baris"] == 3
    assert digest(rows().iloc[::-1]) == reference
    # SQLite hands back booleans as 0/1 and whole floats may come back as ints: same digest
    assert digest(rows(lulus=[1, 0, 1])) == reference
    assert digest(rows(jumlah=[1.0, 2.0, 3.0])) == reference
    assert digest(rows(nilai=[0.1 + 0.2, 97.5 + 1e-12, np.nan]))["sha256"] != reference["sha256"]
    assert digest(rows(catatan=["biasa", "", "tab\there"]))["sha256"] != reference["sha256"], \
        "NULL and the empty string differ"
    assert digest(rows().iloc[:2])["sha256"] != reference["sha256"]


def test_canonical_lines_are_tab_separated_rows():
    frame = pd.DataFrame({"nip": ["1", None], "nilai": [1.5, 2.0]})
    assert bytes(canonical_lines(frame, {"nip": "text", "nilai": "float"})) == b"1\t1.5\n\\N\t2\n"


def test_digest_of_no_rows_still_names_the_columns():
    empty = digest(rows().iloc[:0])
    assert empty["baris"] == 0
    assert empty["sha256"] != digest_frame("lain", rows().iloc[:0], KINDS, ["nip"])["sha256"]


# ---------------------------------------------------------------- in memory vs read back


def pegawai() -> pd.DataFrame:
    """Keys that sort differently by locale than by code point, and awkward text."""
    return pd.DataFrame({
        "tahun": 2026, "nip": ["b", "B", "é", "a", "Z", "10", "9"],
        "nama": ["Ani", "tab\there", "back\\slash", "new\nline", "Ünal", "", "x"],
        "kode_unit": "U1", "jabatan": "Analis", "jenis_jabatan": "fungsional",
        "nip_atasan": [None, "a", None, "b", None, "a", None],
    })


def gate_checks() -> pd.DataFrame:
    return pd.DataFrame({
        "kode": ["G2", "G1", "G1"], "berkas": "pegawai.csv", "deskripsi": ["d", "d", "e"],
        "sumber": "suite", "lulus": [True, False, True], "diperiksa": [10, 10, 3], "gagal": [0, 2, 0],
        "ambang": "0%",
    })


def written_run(engine: Engine) -> int:
    """A stage run that wrote pegawai and gate_check rows."""
    rid = stage_runs.insert_run(engine, tahun=2026, tahap="plan-collection", input_checksums="{}")
    with transaction(engine) as conn:
        replace_rows(conn, "pegawai", pegawai().assign(stage_run_id=rid), tahun=2026)
        replace_rows(conn, "gate_check", gate_checks().assign(stage_run_id=rid), stage_run_id=rid)
    return rid


@pytest.mark.parametrize("chunk", [1, 2, 3, 1000])
def test_rows_digest_equals_the_rows_read_back_whatever_the_chunk_sizes(engine: Engine, monkeypatch, chunk):
    """Hashed a few rows at a time in memory and streamed back in chunks of another size: one digest."""
    import audit.digest

    monkeypatch.setattr(audit.digest, "_FRAME_CHUNK", chunk)
    monkeypatch.setattr(audit.digest, "_CHUNK", 3)
    rid = written_run(engine)
    for name, frame in (("pegawai", pegawai()), ("gate_check", gate_checks())):
        assert rows_digest(name, frame.assign(stage_run_id=rid)) == table_digest(engine, name, rid)


def test_rows_digest_equals_the_rows_read_back(engine: Engine):
    rid = written_run(engine)
    for name, frame in (("pegawai", pegawai()), ("gate_check", gate_checks())):
        in_memory = rows_digest(name, frame.assign(stage_run_id=rid))
        assert in_memory == table_digest(engine, name, rid), (engine.dialect.name, name)
        assert in_memory["baris"] == len(frame)
    changed = pegawai().assign(nama=lambda f: f["nama"].where(f["nip"] != "é", "lain"))
    assert rows_digest("pegawai", changed.assign(stage_run_id=rid)) != table_digest(engine, "pegawai", rid)


def test_result_digests_trust_written_digests_only_at_the_same_row_count(engine: Engine):
    rid = written_run(engine)
    read_back = result_digests(engine, rid)
    assert set(read_back) == {"pegawai", "gate_check"}, "tables without rows are left out"
    assert set(read_back) <= set(run_tables())
    kept = {"baris": 7, "sha256": "kept from write time"}
    stale = {"baris": 2, "sha256": "a count that no longer matches"}
    digests = result_digests(engine, rid, {"pegawai": kept, "gate_check": stale})
    assert digests == {"pegawai": kept, "gate_check": read_back["gate_check"]}


@pytest.mark.parametrize("name", ["hasil_penilaian", "karantina", "stage_run"])
def test_run_tables_are_those_naming_their_stage_run(name: str):
    assert (name in run_tables()) == (name != "stage_run")
