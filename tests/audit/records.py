"""Hand-made stage-run records and chains for the audit tests (sealed with the real record hash)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from audit.chain import GENESIS, digests_json, record_hash


def record(i: int, prev: str, **extra: object) -> dict:
    """Stage run `i`, sealed at chain position `i` after `prev`."""
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
    """n records linked from GENESIS."""
    out, prev = [], GENESIS
    for i in range(1, n + 1):
        out.append(record(i, prev))
        prev = out[-1]["record_hash"]
    return out


def head_of(records: list[dict]) -> dict:
    """The chain head row as `rantai_audit` holds it after sealing `records`."""
    last = records[-1]
    return {"id": 1, "jumlah": len(records), "kepala_stage_run_id": last["id"],
            "kepala_hash": last["record_hash"]}
