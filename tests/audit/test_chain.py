"""The hash chain's records: canonical text (pinned: old seals must keep verifying), hashes, JSON fields."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from audit.chain import GENESIS, RECORD_FIELDS, canonical_record, digests_json, json_object, record_hash
from tests.audit.records import record


def test_canonical_record_text_is_pinned():
    """Written out by hand: any change to this text would break every record sealed before it."""
    jakarta = timezone(timedelta(hours=7))
    run = {
        "id": "3", "tahun": 2026, "tahap": "year-end", "flow_run_id": None, "flow_run_name": "ye",
        "pemicu": "manual", "pengguna": "bkd-é", "input_checksums": '{"a.csv": "ff"}', "ruleset_label": None,
        "ruleset_checksum": None, "code_version": 7,
        "started_at": datetime(2027, 1, 5, 10, 0, 1, 5, tzinfo=jakarta),
        "finished_at": None, "outcome": "berhasil", "counts": "{}", "pesan": "tab\there",
        "hasil_digest": None, "urutan_rantai": 2.0, "prev_hash": GENESIS,
        "record_hash": "not covered", "extra": "not covered",
    }
    expected = (
        '{"code_version":"7","counts":"{}","finished_at":null,"flow_run_id":null,"flow_run_name":"ye",'
        '"hasil_digest":null,"id":3,"input_checksums":"{\\"a.csv\\": \\"ff\\"}","outcome":"berhasil",'
        '"pemicu":"manual","pengguna":"bkd-é","pesan":"tab\\there","prev_hash":"' + "0" * 64 + '",'
        '"ruleset_checksum":null,"ruleset_label":null,"started_at":"2027-01-05T03:00:01.000005Z",'
        '"tahap":"year-end","tahun":2026,"urutan_rantai":2}'
    )
    assert canonical_record(run) == expected
    assert record_hash(run) == hashlib.sha256(expected.encode("utf-8")).hexdigest()


def test_record_hash_covers_exactly_the_record_fields():
    original = record(1, GENESIS)
    assert record_hash(dict(original, record_hash="x", unrelated="y")) == original["record_hash"]
    assert set(json.loads(canonical_record(original))) == set(RECORD_FIELDS)


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


def test_digests_json_is_canonical():
    digests = {"b": {"sha256": "ff", "baris": 2}, "a": {"baris": 1, "sha256": "ee"}}
    assert digests_json(digests) == '{"a":{"baris":1,"sha256":"ee"},"b":{"baris":2,"sha256":"ff"}}'


@pytest.mark.parametrize("text, expected", [
    ('{"a": 1}', {"a": 1}), (None, {}), ("", {}), ("[1, 2]", {}), ("not json", {}), ('"x"', {}),
])
def test_json_object_reads_a_field_or_gives_an_empty_map(text: object, expected: dict):
    assert json_object(text) == expected
