"""The audit trail's pure parts: canonical text, digests, record hashes, the chain walk, comparisons."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from audit.chain import GENESIS, canonical_record, digests_json, record_hash
from audit.digest import canonical_column, canonical_lines, digest_frame
from audit.trail import (
    SNAPSHOTS,
    check_chain,
    compare_digests,
    compare_results,
    rebuild_frames,
    replaced_tables,
    ruleset_name,
)

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


# ---------------------------------------------------------------- records and the chain


def record(i: int, prev: str, **extra: object) -> dict:
    base = {
        "id": i, "tahun": 2026, "tahap": "year-end", "flow_run_id": f"fr-{i}",
        "flow_run_name": "year-end-2026",
        "pemicu": "manual", "pengguna": "bkd", "input_checksums": json.dumps({"pegawai.csv": "ab" * 32}),
        "ruleset_label": "permenpan-6-2022 v1.0.0", "ruleset_checksum": "cd" * 32, "code_version": "abc",
        "started_at": datetime(2027, 1, 5, 3, 0, i, 123456, tzinfo=UTC),
        "finished_at": datetime(2027, 1, 5, 3, 1, i, 654321, tzinfo=UTC), "outcome": "berhasil",
        "counts": json.dumps({"dinilai": 150}), "pesan": None,
        "hasil_digest": digests_json({"hasil_penilaian": {"baris": 150, "sha256": "ef" * 32}}),
        "urutan_rantai": i, "prev_hash": prev,
    }
    base.update(extra)
    base["record_hash"] = record_hash(base)
    return base


def chain(n: int) -> list[dict]:
    out, prev = [], GENESIS
    for i in range(1, n + 1):
        out.append(record(i, prev))
        prev = out[-1]["record_hash"]
    return out


def head_of(records: list[dict]) -> dict:
    last = records[-1]
    return {"id": 1, "jumlah": len(records), "kepala_stage_run_id": last["id"],
            "kepala_hash": last["record_hash"]}


def test_record_hash_is_the_same_for_naive_utc_and_any_offset():
    aware = record(1, GENESIS)
    naive = dict(aware, started_at=aware["started_at"].replace(tzinfo=None),
                 finished_at=aware["finished_at"].replace(tzinfo=None))
    jakarta = timezone(timedelta(hours=7))
    shifted = dict(aware, started_at=aware["started_at"].astimezone(jakarta))
    assert canonical_record(aware) == canonical_record(naive) == canonical_record(shifted)
    assert record_hash(aware) == record_hash(naive) == record_hash(shifted)


@pytest.mark.parametrize("field, value", [
    ("counts", json.dumps({"dinilai": 151})), ("outcome", "gagal"), ("prev_hash", "1" * 64),
    ("hasil_digest", "{}"), ("ruleset_checksum", "00" * 32), ("input_checksums", "{}"),
    ("finished_at", datetime(2027, 1, 5, 3, 1, 1, 654322, tzinfo=UTC)),
])
def test_every_field_is_covered_by_the_hash(field: str, value: object):
    original = record(1, GENESIS)
    assert record_hash(dict(original, **{field: value})) != original["record_hash"]


def test_intact_chain_passes():
    records = chain(4)
    assert check_chain(records, head_of(records)) == []
    assert check_chain([], {"id": 1, "jumlah": 0, "kepala_hash": None}) == []


def test_edited_record_is_named():
    records = chain(3)
    records[1] = dict(records[1], counts=json.dumps({"dinilai": 1}))
    temuan = check_chain(records, head_of(records))
    assert [(t.tabel, t.kunci, t.stage_run_id) for t in temuan] == [("stage_run", "id=2", 2)]
    assert "diubah" in temuan[0].uraian


def test_edited_record_with_recomputed_hash_breaks_the_next_link():
    records = chain(3)
    forged = dict(records[1], counts=json.dumps({"dinilai": 1}))
    forged["record_hash"] = record_hash(forged)
    records[1] = forged
    temuan = check_chain(records, head_of(records))
    assert [(t.kunci, t.stage_run_id) for t in temuan] == [("id=3", 3)]
    assert "rantai putus" in temuan[0].uraian


def test_deleted_record_leaves_a_gap():
    records = chain(4)
    head = head_of(records)
    del records[1]
    uraian = " | ".join(t.uraian for t in check_chain(records, head))
    assert "urutan 2 tidak ada" in uraian and "sesudah stage run 1" in uraian
    assert "sebelum stage run 3" in uraian
    assert "rantai putus" in uraian


def test_deleted_newest_record_is_caught_by_the_head():
    records = chain(3)
    head = head_of(records)
    temuan = check_chain(records[:-1], head)
    assert [t.tabel for t in temuan] == ["rantai_audit"]


def test_unsealed_records_closed_or_running():
    records = chain(2)
    running = dict(record(3, records[-1]["record_hash"]), record_hash=None, outcome="berjalan",
                   urutan_rantai=None)
    assert check_chain([*records, running], head_of(records)) == []
    closed = dict(running, outcome="berhasil")
    assert [t.kunci for t in check_chain([*records, closed], head_of(records))] == ["id=3"]


# ---------------------------------------------------------------- sealed rows vs rows now


def test_rows_rewritten_by_a_later_run_of_the_year_are_not_tampering():
    first = record(1, GENESIS, counts=json.dumps({"hasil_penilaian_ditulis": 150}))
    later = record(2, first["record_hash"], counts=json.dumps({"hasil_penilaian_ditulis": 148}))
    skipped = record(2, first["record_hash"],
                     counts=json.dumps({"hasil_penilaian_ditulis": 0, "sama_dengan_stage_run": 1}))
    assert replaced_tables(later) == {"hasil_penilaian"} and replaced_tables(skipped) == set()
    temuan, diganti = compare_digests(first, {}, [later])
    assert temuan == [] and diganti == ["hasil_penilaian (150 baris) diganti stage run 2"]
    temuan, _ = compare_digests(first, {}, [skipped])
    assert [(t.tabel, t.stage_run_id) for t in temuan] == [("hasil_penilaian", 1)]
    assert "dihapus" in temuan[0].uraian


def test_changed_and_inserted_rows():
    run = record(1, GENESIS)
    same = {"hasil_penilaian": {"baris": 150, "sha256": "ef" * 32}}
    assert compare_digests(run, same, []) == ([], [])
    changed = {"hasil_penilaian": {"baris": 150, "sha256": "00" * 32},
               "karantina": {"baris": 1, "sha256": "1"}}
    temuan, _ = compare_digests(run, changed, [])
    assert {t.tabel: t.uraian for t in temuan} == {
        "hasil_penilaian": "isi 150 baris berbeda dari yang disegel (digest berbeda): nilai diubah",
        "karantina": "1 baris tidak tercakup segel stage run ini: baris disisipkan?",
    }


# ---------------------------------------------------------------- recomputation


def test_compare_results_names_key_column_and_run():
    stored = pd.DataFrame({"nip": ["1", "2", "3"], "predikat_final": ["Baik", "Sangat Baik", "Kurang"],
                           "capaian_hasil_kerja": [100.0, 95.0 + 1e-12, 80.0], "alasan": [None, "", "x"],
                           "stage_run_id": [7, 7, 7]})
    recomputed = pd.DataFrame({"nip": ["1", "2", "4"], "predikat_final": ["Baik", "Baik", "Baik"],
                               "capaian_hasil_kerja": [100.0, 95.0, 70.0], "alasan": ["", None, "y"]})
    temuan = compare_results("hasil_penilaian", stored, recomputed, "nip",
                             ["predikat_final", "capaian_hasil_kerja", "alasan"])
    found = {(t.kunci, t.stage_run_id): t.uraian for t in temuan}
    assert found == {
        ("nip=4", None): "baris hasil hitung ulang tidak ada di basis data: baris dihapus",
        ("nip=3", 7): "baris tersimpan tidak dihasilkan oleh hitung ulang: baris disisipkan",
        ("nip=2", 7): "predikat_final: tersimpan 'Sangat Baik', hitung ulang 'Baik'",
    }


def test_compare_results_caps_the_listing():
    stored = pd.DataFrame({"nip": [str(i) for i in range(30)], "nilai": 1.0, "stage_run_id": 1})
    temuan = compare_results("t", stored, stored.assign(nilai=2.0).drop(columns="stage_run_id"), "nip",
                             ["nilai"], limit=5)
    assert len(temuan) == 6 and temuan[-1].uraian == "dan 25 baris lainnya"


def test_ruleset_name_from_label():
    assert ruleset_name("permenpan-6-2022 v1.0.0") == "permenpan-6-2022"
    assert ruleset_name("instansi v2 khusus v1.2") == "instansi v2 khusus"
    assert ruleset_name(None) is None


def test_rebuilt_frames_score_exactly_like_the_read_frames(tmp_path: Path):
    """Snapshot tables (what the database keeps) rebuild frames that score identically."""
    from contract.reader import read_inputs
    from contract.rules import check_values
    from kinerja.demo.generator import generate
    from penilaian.ruleset import load_ruleset
    from penilaian.scoring import score_year_end
    from stages import registry

    generate(tmp_path, pegawai=60, tahun=2026, seed=3, bad_rows=False)
    required, optional = registry.get("year-end").required, registry.get("year-end").optional
    raw, _ = read_inputs(tmp_path, required, optional)
    frames, _, _ = check_values(raw, 2026, "year-end")
    helper = ["_baris", "bulan", "semester", "tahun"]
    snapshots = {table: frames[sheet] for table, sheet in SNAPSHOTS.items()}
    snapshots = {name: f.drop(columns=[c for c in helper if c in f]).astype(object).where(f.notna(), None)
                 for name, f in snapshots.items()}
    rules = load_ruleset()
    expected = score_year_end(frames, rules, 2026)
    rebuilt = score_year_end(rebuild_frames(snapshots, 2026), rules, 2026)
    pd.testing.assert_frame_equal(rebuilt.hasil, expected.hasil)
    pd.testing.assert_frame_equal(rebuilt.indikator, expected.indikator)
    pd.testing.assert_frame_equal(rebuilt.bias, expected.bias)
