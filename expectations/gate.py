"""The input gate: every present file's GX suite on its raw frame, plus a row-presence check per file.

One `kinerja cycle` validates the same files with mostly the same suites in up to six stages; the
same bytes under the same expectations give the same result, so each is computed once per process
and kept in the process cache (`suite_results`, the latest 32) under (file, its sha256, row count,
suite fingerprint).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import replace

import pandas as pd

from contract.files import recorded_checksum
from contract.inputs import row_count
from contract.schema import FILES
from expectations.checks import rows_present_check
from expectations.results import GateCheck
from expectations.runner import run_suite, suite_fingerprint
from expectations.suites import SuiteParameters, validation_frame
from stages import registry
from stages.cache import ProcessCache


def validate_inputs(
    tahap: str, tahun: int, raw: Mapping[str, pd.DataFrame], *, maks_karantina_persen: float,
    cache: ProcessCache, checksums: Mapping[str, str] | None = None,
) -> list[GateCheck]:
    """Run each present file's GX suite on its raw frame, plus a non-empty check per file.

    With `checksums` (file name -> sha256, as the stage run records them) a file already validated in
    this process with the same bytes and an identical suite gets that validation's result again,
    and its raw frame is not asked for (contract.inputs.RawFiles parses it only when asked).
    """
    p = SuiteParameters(tahun=tahun, maks_karantina_persen=maks_karantina_persen, tahap=tahap)
    must_have_rows = registry.get(tahap).must_have_rows
    checks: list[GateCheck] = []
    for sheet in FILES:
        if sheet not in raw:
            if sheet in must_have_rows:
                checks.append(rows_present_check(sheet, None, wajib=True))
            continue
        rows = row_count(raw, sheet)
        checks.append(rows_present_check(sheet, rows, wajib=sheet in must_have_rows))
        if rows:
            sha = recorded_checksum(checksums or {}, sheet)
            checks.extend(_file_suite_checks(cache, sheet, lambda s=sheet: raw[s], rows, p, sha))
    return checks


def _file_suite_checks(
    cache: ProcessCache, sheet: str, frame: Callable[[], pd.DataFrame], rows: int, p: SuiteParameters,
    sha: str | None,
) -> list[GateCheck]:
    """One file's suite results: validated now, or an identical earlier validation's (see above)."""
    if sha is None:
        return run_suite(cache, sheet, validation_frame(sheet, frame()), p)
    with cache.lock:
        key = (sheet, sha, rows, suite_fingerprint(cache, sheet, p))
    found = cache.suite_result(key, lambda: run_suite(cache, sheet, validation_frame(sheet, frame()), p))
    return [replace(c, contoh=copy.deepcopy(c.contoh)) for c in found]
