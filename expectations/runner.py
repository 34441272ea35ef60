"""Running one file's GX suite: the context, its validation definitions, the frame GX is given, results.

Great Expectations is imported lazily. Its ephemeral context (progress bars and usage analytics
switched off in its configuration) and the validation definitions are built once per process and
kept in the process cache's `gx` section; what a suite checks is fingerprinted once per suite name
in its `suite_fingerprints` section. Every use of the context holds the cache's lock.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from contract.lookup import is_category
from expectations.results import MAX_EXAMPLES, GateCheck, plain, threshold_text
from expectations.suites import SUITES, SuiteParameters, suite_name
from stages.cache import ProcessCache

if TYPE_CHECKING:
    from great_expectations.core.expectation_validation_result import (
        ExpectationValidationResult,
    )
    from great_expectations.core.validation_definition import ValidationDefinition
    from great_expectations.data_context import EphemeralDataContext

_NOT_NULL = "expect_column_values_to_not_be_null"


def gx_context(cache: ProcessCache) -> EphemeralDataContext:
    """The process's in-memory GX context: no progress bars, no usage analytics."""
    with cache.lock:
        if "context" not in cache.gx:
            cache.gx["context"] = _new_context()
        return cache.gx["context"]


def _new_context() -> EphemeralDataContext:
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    # GX fingerprints every frame under 1e9 bytes (md5 of pandas' row hashes) for its batch markers,
    # which Kinerja never reads: the stage run records the input files' sha256. It was 1.2 s of the
    # 2 s GX spent on realisasi at 100,000 employees. The module constant is GX's own switch.
    from great_expectations.execution_engine import pandas_execution_engine

    pandas_execution_engine.HASH_THRESHOLD = 0
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
        analytics_enabled=False,
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def validation_definition(cache: ProcessCache, sheet: str, p: SuiteParameters) -> ValidationDefinition:
    """The (cached) validation definition of one file's suite for these parameters."""
    import great_expectations as gx

    name = suite_name(sheet, p)
    with cache.lock:
        definitions = cache.gx.setdefault("definitions", {})
        if name in definitions:
            return definitions[name]
        ctx = gx_context(cache)
        try:
            source = ctx.data_sources.get("kinerja")
        except KeyError:
            source = ctx.data_sources.add_pandas("kinerja")
        try:
            asset = source.get_asset(sheet)
        except LookupError:
            asset = source.add_dataframe_asset(sheet)
        try:
            batch = asset.get_batch_definition("semua")
        except LookupError:
            batch = asset.add_batch_definition_whole_dataframe("semua")
        suite = ctx.suites.add(SUITES[sheet](p))
        definition = ctx.validation_definitions.add(
            gx.ValidationDefinition(name=suite.name, data=batch, suite=suite)
        )
        definitions[name] = definition
        return definition


def suite_fingerprint(cache: ProcessCache, sheet: str, p: SuiteParameters) -> str:
    """What a suite checks (types, arguments, codes; not its name): equal text, equal expectations."""
    name = suite_name(sheet, p)
    with cache.lock:
        if name not in cache.suite_fingerprints:
            config = []
            for expectation in validation_definition(cache, sheet, p).suite.expectations:
                item = expectation.configuration.to_json_dict()
                item.pop("id", None)
                item.pop("rendered_content", None)
                config.append(item)
            text = json.dumps(config, sort_keys=True, default=str)
            cache.suite_fingerprints[name] = hashlib.sha256(text.encode()).hexdigest()
        return cache.suite_fingerprints[name]


def _release_batch(cache: ProcessCache) -> None:
    """Drop GX's reference to the last validated frame so millions of rows are not kept
    alive by the process-wide context."""
    batch_manager = gx_context(cache).data_sources.get("kinerja").get_execution_engine().batch_manager
    batch_manager.reset_batch_cache()
    batch_manager.batch_data_cache.clear()


# Expectations whose answer is a sum over rows: a frame is validated in blocks of CHUNK_ROWS and the
# blocks' counts added up (GX copies the batch frame per expectation and turns text into Python
# objects for a regex: at 1M employees realisasi's 42M rows took +3.6 GiB in one go).
ROW_WISE = frozenset({_NOT_NULL, "expect_column_values_to_match_regex", "expect_column_values_to_be_in_set",
                      "expect_column_values_to_be_between"})
CHUNK_ROWS = 1_000_000  # 100k employees: gate peak +432 MB in one go, +74 MB in blocks; same time


def run_suite(cache: ProcessCache, sheet: str, frame: pd.DataFrame, p: SuiteParameters) -> list[GateCheck]:
    """Validate one prepared frame and turn every expectation result into a GateCheck.

    A frame of more than CHUNK_ROWS rows whose suite checks row by row only is validated a block at a
    time; the counts, the verdict (GX's own `mostly` rule on the summed counts) and the first failing
    rows are the same as for the whole frame.
    """
    with cache.lock:
        definition = validation_definition(cache, sheet, p)
        kinds = {e.expectation_type for e in definition.suite.expectations}
        step = CHUNK_ROWS if len(frame) > CHUNK_ROWS and kinds <= ROW_WISE else max(len(frame), 1)
        blocks: list[dict[str, Any]] = []
        for start in range(0, max(len(frame), 1), step):
            try:
                result = definition.run(
                    batch_parameters={"dataframe": _gx_frame(frame.iloc[start : start + step],
                                                             definition.suite)},
                    result_format={
                        "result_format": "SUMMARY",
                        "partial_unexpected_count": MAX_EXAMPLES,
                        # the pandas "query" text GX would build from every unexpected row, unused here
                        "return_unexpected_index_query": False,
                    },
                )
            finally:
                _release_batch(cache)
            blocks.append({r.expectation_config.meta["kode"]: r for r in result.results})
    ambang = threshold_text(p.maks_karantina_persen)
    checks = []
    for expectation in definition.suite.expectations:
        meta = expectation.meta
        found = [block[meta["kode"]] for block in blocks]
        merged = found[0] if len(found) == 1 else _summed(found, expectation)
        checks.append(_check_from_result(merged, meta, frame, ambang))
    return checks


def _summed(results: list[ExpectationValidationResult], expectation: Any) -> Any:
    """One result from the results of consecutive blocks of a row-wise expectation: counts added, the
    first failing rows in order, success decided as GX decides it (`mostly` of the rows considered:
    every row for not-null, the filled rows otherwise); a block GX could not evaluate stands for all."""
    from types import SimpleNamespace

    failed = next((r for r in results if _gx_error(r)), None)
    if failed is not None:
        return failed
    res = [r.result or {} for r in results]
    total = sum(int(r.get("element_count") or 0) for r in res)
    unexpected = sum(int(r.get("unexpected_count") or 0) for r in res)
    missing = sum(int(r.get("missing_count") or 0) for r in res)
    considered = total if expectation.expectation_type == _NOT_NULL else total - missing
    mostly = expectation.configuration.kwargs.get("mostly", 1.0)
    success = considered == 0 or (float(considered) - float(unexpected)) / float(considered) >= mostly
    positions = [i for r in res for i in (r.get("partial_unexpected_index_list") or [])][:MAX_EXAMPLES]
    return SimpleNamespace(success=success, exception_info={}, result={
        "element_count": total, "unexpected_count": unexpected, "missing_count": missing,
        "partial_unexpected_index_list": positions})


def _gx_frame(frame: pd.DataFrame, suite: Any) -> pd.DataFrame:
    """What GX is given: the columns the suite checks, and a column checked only for emptiness as a
    boolean that is NA exactly where the text is.

    GX copies the whole batch frame for every column expectation (its non-null domain, then the
    unexpected rows); at 100,000 employees that copied 315 MB per expectation on realisasi, mostly
    the id column it only checks for emptiness. Results are the same: the same rows are null, the
    same positions fail, and the examples are read from `frame` itself. A dictionary-encoded column
    (realisasi's ids and months) is given to GX as text only when a check reads more than its emptiness.
    """
    kinds: dict[str, set[str]] = {}
    for expectation in suite.expectations:
        kwargs = expectation.configuration.kwargs
        columns = [kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs]
        for name in [*columns, *kwargs.get("column_list", [])]:
            kinds.setdefault(name, set()).add(expectation.expectation_type)
    data = {}
    for name in frame.columns:
        if name not in kinds:
            continue
        if kinds[name] == {_NOT_NULL}:
            empty = frame[name].isna().to_numpy()
            data[name] = pd.arrays.BooleanArray(np.ones(len(frame), dtype=bool), empty)
        elif is_category(frame[name]):  # a FileSpec.kategori column
            data[name] = frame[name].astype("str")
        else:
            data[name] = frame[name]
    return pd.DataFrame(data, index=frame.index, copy=False)


def _check_from_result(
    r: ExpectationValidationResult, meta: dict, frame: pd.DataFrame, ambang: str
) -> GateCheck:
    """One expectation result as a GateCheck; contoh from the unexpected row positions."""
    res = r.result or {}
    error = _gx_error(r)
    diperiksa = int(res.get("element_count", len(frame)))
    if error:
        gagal = len(frame)
        alasan = f"pemeriksaan tidak dapat dijalankan: {error}"
        contoh = [{"baris": None, "kolom": meta["kolom"], "nilai": None, "alasan": alasan}]
    else:
        gagal = int(res.get("unexpected_count") or 0)
        positions = [int(i) for i in (res.get("partial_unexpected_index_list") or [])]
        contoh = _failing_examples(frame, positions[:MAX_EXAMPLES], meta)
    return GateCheck(
        kode=meta["kode"],
        berkas=meta["berkas"],
        deskripsi=meta["deskripsi"],
        sumber="great_expectations",
        lulus=bool(r.success) and not error,
        diperiksa=diperiksa,
        gagal=gagal,
        ambang=ambang,
        contoh=contoh,
        description=meta.get("description", ""),
        perbaikan=meta.get("perbaikan", ""),
        fix=meta.get("fix", ""),
    )


def _failing_examples(frame: pd.DataFrame, positions: list[int], meta: dict) -> list[dict]:
    """The failing raw values with their source line numbers."""
    if not positions:
        return []
    baris = frame["_baris"].to_numpy()[positions]
    nilai = frame[meta["kolom"]].to_numpy(dtype=object)[positions]
    return [
        {"baris": plain(b), "kolom": meta["kolom"], "nilai": plain(v), "alasan": meta["deskripsi"]}
        for b, v in zip(baris, nilai, strict=True)
    ]


def _gx_error(r: ExpectationValidationResult) -> str | None:
    """The exception message if GX could not evaluate the expectation."""
    info = r.exception_info or {}
    candidates = [info] + [v for v in info.values() if isinstance(v, dict)]
    for i in candidates:
        if i.get("raised_exception"):
            return str(i.get("exception_message") or "galat tidak dikenal")
    return None
