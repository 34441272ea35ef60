"""The audit hash chain: what a sealed stage-run record hashes, and its links (no domain imports).

- Record: canonical JSON (sorted keys, no spaces, timestamps ISO-8601 UTC with microseconds) of the
  stage-run fields in RECORD_FIELDS — including `hasil_digest`, the JSON map table -> {baris, sha256}
  of the rows the run wrote (audit.digest), its chain position `urutan_rantai` and `prev_hash` —
  sha256 = record_hash.
- Chain: ONE chain over all years, in sealing order (a run opened earlier may close later).
  `prev_hash` is the record_hash of the chain head at sealing time (GENESIS for the first). The head
  lives in the one-row table `rantai_audit`; sealing locks it first (models.stage_runs.seal_run), so
  concurrent closers queue, and a unique index on `stage_run.urutan_rantai` forbids a fork regardless.
  Deleting the newest record leaves `rantai_audit` pointing at a missing hash; the head is also logged
  to the Prefect run history, an anchor outside the database.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

from audit.digest import canonical_time

GENESIS = "0" * 64
RECORD_FIELDS = (
    "id", "tahun", "tahap", "flow_run_id", "flow_run_name", "pemicu", "pengguna", "input_checksums",
    "ruleset_label", "ruleset_checksum", "code_version", "started_at", "finished_at", "outcome", "counts",
    "pesan", "hasil_digest", "urutan_rantai", "prev_hash",
)


def canonical_record(record: Mapping[str, object]) -> str:
    """The stage-run fields that the record hash covers, as canonical JSON."""
    values: dict[str, object] = {}
    for name in RECORD_FIELDS:
        value = record.get(name)
        if name in ("started_at", "finished_at"):
            value = canonical_time(value)
        elif value is not None and name in ("id", "tahun", "urutan_rantai"):
            value = int(value)
        elif value is not None:
            value = str(value)
        values[name] = value
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def record_hash(record: Mapping[str, object]) -> str:
    """sha256 of the canonical record (which includes prev_hash and the result digests)."""
    return hashlib.sha256(canonical_record(record).encode("utf-8")).hexdigest()


def digests_json(digests: Mapping[str, Mapping]) -> str:
    """The `hasil_digest` text sealed into a record: table -> {baris, sha256}, canonical JSON."""
    return json.dumps(digests, sort_keys=True, separators=(",", ":"))


def json_object(text: object) -> dict:
    """A JSON text field of a record (counts, input_checksums, hasil_digest) as a dict; {} if not a map."""
    try:
        value = json.loads(str(text)) if text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}

