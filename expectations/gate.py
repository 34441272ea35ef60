"""The data-quality gate: GX suites, quarantine shares and relational checks in one result.

A failing gate raises `GateFailed` (after the caller saved its report), so the next stage never
runs on bad data. Great Expectations is imported lazily and its ephemeral context is built once
per process, with progress bars and usage analytics switched off in its configuration.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from contract.schema import FILES
from expectations.suites import SUITES, ParameterSuite, frame_validasi, nama_suite
from kinerja.errors import GateFailed

if TYPE_CHECKING:
    from great_expectations.core.expectation_validation_result import (
        ExpectationValidationResult,
    )
    from great_expectations.core.validation_definition import ValidationDefinition
    from great_expectations.data_context import EphemeralDataContext

CONTOH_MAKS = 10
_INTI = ("unit_kerja", "pegawai", "skp")
# Files that must hold at least one row for each stage; the others may be empty.
BERKAS_WAJIB: dict[str, tuple[str, ...]] = {
    "plan-collection": _INTI,
    "validation": _INTI,
    "mid-year": (*_INTI, "realisasi"),
    "year-end": (*_INTI, "realisasi", "perilaku"),
    "training": (*_INTI, "katalog_pelatihan"),
}
KOLOM_FRAME = (
    "tahap",
    "tahun",
    "kode",
    "berkas",
    "deskripsi",
    "sumber",
    "lulus",
    "diperiksa",
    "gagal",
    "persen_gagal",
    "ambang",
    "contoh",
)


@dataclass
class GateCheck:
    """One check of a gate, whatever its source, with the worst rows as evidence."""

    kode: str
    berkas: str
    deskripsi: str
    sumber: str
    lulus: bool
    diperiksa: int
    gagal: int
    ambang: str
    contoh: list[dict] = field(default_factory=list)


@dataclass
class GateResult:
    """All checks of one stage's gate; the stage may go on only when every check passed."""

    tahap: str
    tahun: int
    checks: list[GateCheck]
    ringkasan_unit: pd.DataFrame | None = None

    @property
    def lulus(self) -> bool:
        return all(c.lulus for c in self.checks)

    @property
    def gagal(self) -> list[GateCheck]:
        """The checks that stopped the gate, in report order."""
        return [c for c in self.checks if not c.lulus]

    def to_frame(self) -> pd.DataFrame:
        """One row per check (contoh as JSON text) for the Prefect table artifact and the DB."""
        rows = [
            {
                "tahap": self.tahap,
                "tahun": self.tahun,
                "kode": c.kode,
                "berkas": c.berkas,
                "deskripsi": c.deskripsi,
                "sumber": c.sumber,
                "lulus": bool(c.lulus),
                "diperiksa": int(c.diperiksa),
                "gagal": int(c.gagal),
                "persen_gagal": round(100 * c.gagal / c.diperiksa, 2) if c.diperiksa else None,
                "ambang": c.ambang,
                "contoh": json.dumps(c.contoh, ensure_ascii=False, default=str),
            }
            for c in self.checks
        ]
        frame = pd.DataFrame(rows, columns=list(KOLOM_FRAME))
        return frame.astype(
            {"lulus": bool, "diperiksa": "int64", "gagal": "int64", "persen_gagal": "float64"}
        )

    def ringkas(self) -> str:
        """A short Indonesian summary for logs, the CLI and the exception message."""
        total = len(self.checks)
        gagal = self.gagal
        if not gagal:
            return f"LULUS: {total} pemeriksaan lulus ({self.tahap} {self.tahun})"
        rincian = "; ".join(f"{c.kode} ({c.gagal} dari {c.diperiksa} baris, {c.ambang})" for c in gagal)
        return f"GAGAL: {len(gagal)} dari {total} pemeriksaan gagal: {rincian}"


def validate_inputs(
    tahap: str, tahun: int, raw: dict[str, pd.DataFrame], *, maks_karantina_persen: float,
    checksums: Mapping[str, str] | None = None,
) -> list[GateCheck]:
    """Run each present file's GX suite on its raw frame, plus a non-empty check per file.

    With `checksums` (file name -> sha256, as the stage run records them) a file already validated in
    this process with the same bytes and an identical suite gets that validation's result again.
    """
    tahap = _tahap(tahap)
    p = ParameterSuite(tahun=tahun, maks_karantina_persen=maks_karantina_persen, tahap=tahap)
    wajib = BERKAS_WAJIB.get(tahap, _INTI)
    checks: list[GateCheck] = []
    for sheet in FILES:
        if sheet not in raw:
            if sheet in wajib:
                checks.append(_cek_baris_ada(sheet, None, wajib=True))
            continue
        frame = raw[sheet]
        checks.append(_cek_baris_ada(sheet, len(frame), wajib=sheet in wajib))
        if len(frame):
            checks.extend(_suite_berkas(sheet, frame, p, _sha_berkas(checksums or {}, sheet)))
    return checks


# Results of GX suites per (file, its sha256, row count, suite content). One `kinerja cycle` validates
# the same files with mostly the same suites in up to five stages; the same bytes under the same
# expectations give the same result, so each is computed once per process. Only recent ones are kept.
_HASIL_SUITE: dict[tuple[str, str, int, str], list[GateCheck]] = {}
_HASIL_SUITE_MAKS = 32


def _sha_berkas(checksums: Mapping[str, str], sheet: str) -> str | None:
    """The recorded sha256 of the file a sheet was read from: its CSV, else the workbook."""
    from contract.reader import WORKBOOK

    by_name = {name.lower(): sha for name, sha in checksums.items()}
    return by_name.get(FILES[sheet].name.lower()) or by_name.get(WORKBOOK)


def _suite_berkas(sheet: str, frame: pd.DataFrame, p: ParameterSuite, sha: str | None) -> list[GateCheck]:
    """One file's suite results: validated now, or an identical earlier validation's (see above)."""
    if sha is None:
        return _jalankan_suite(sheet, frame_validasi(sheet, frame), p)
    with _KUNCI:
        kunci = (sheet, sha, len(frame), _sidik_suite(sheet, p))
    hasil = _HASIL_SUITE.get(kunci)
    if hasil is None:
        hasil = _jalankan_suite(sheet, frame_validasi(sheet, frame), p)
        while len(_HASIL_SUITE) >= _HASIL_SUITE_MAKS:
            _HASIL_SUITE.pop(next(iter(_HASIL_SUITE)))
        _HASIL_SUITE[kunci] = hasil
    return [replace(c, contoh=copy.deepcopy(c.contoh)) for c in hasil]


_SIDIK: dict[str, str] = {}


def _sidik_suite(sheet: str, p: ParameterSuite) -> str:
    """What a suite checks (types, arguments, codes; not its name): equal text, equal expectations."""
    nama = nama_suite(sheet, p)
    if nama not in _SIDIK:
        _SIDIK[nama] = _sidik(sheet, p)
    return _SIDIK[nama]


def _sidik(sheet: str, p: ParameterSuite) -> str:
    config = []
    for expectation in _definisi_validasi(sheet, p).suite.expectations:
        item = expectation.configuration.to_json_dict()
        item.pop("id", None)
        item.pop("rendered_content", None)
        config.append(item)
    return hashlib.sha256(json.dumps(config, sort_keys=True, default=str).encode()).hexdigest()


def quarantine_checks(
    quarantine: pd.DataFrame, row_counts: dict[str, int], *, maks_karantina_persen: float
) -> list[GateCheck]:
    """Per file, the share of rows (distinct baris) sent to quarantine must stay within the
    threshold; the evidence is the quarantined rows, most rules broken first."""
    counts = {_nama_berkas(k): int(v) for k, v in row_counts.items()}
    q = quarantine if quarantine is not None else pd.DataFrame(columns=["berkas", "baris"])
    berkas_q = [str(b) for b in q["berkas"].dropna().unique()] if len(q) else []
    urutan = [s.name for s in FILES.values()]
    semua = sorted(set(counts) | set(berkas_q), key=lambda b: (_urutan(b, urutan), b))
    ambang = _ambang_persen(maks_karantina_persen)
    checks = []
    for berkas in semua:
        baris_q = q[q["berkas"] == berkas] if len(q) else q
        gagal = int(baris_q["baris"].dropna().nunique()) if len(baris_q) else 0
        diperiksa = counts.get(berkas, 0)
        checks.append(
            GateCheck(
                kode=f"{berkas.removesuffix('.csv')}.karantina.porsi",
                berkas=berkas,
                deskripsi=(
                    f"baris {berkas} yang dikarantina paling banyak "
                    f"{_angka(maks_karantina_persen)}% dari semua baris"
                ),
                sumber="karantina",
                lulus=_dalam_ambang(gagal, diperiksa, maks_karantina_persen),
                diperiksa=diperiksa,
                gagal=gagal,
                ambang=ambang,
                contoh=_contoh_karantina(baris_q) if gagal else [],
            )
        )
    return checks


def relational_check(
    kode: str,
    deskripsi: str,
    gagal_rows: pd.DataFrame,
    diperiksa: int,
    *,
    ambang_persen: float | None = 0,
    berkas: str = "",
) -> GateCheck:
    """Report a cross-file check (supervisor exists, no cycles, cascading, coverage...) in the
    gate; `ambang_persen=None` only reports, 0 allows no failing row."""
    gagal = len(gagal_rows)
    if ambang_persen is None:
        lulus, ambang = True, "hanya dilaporkan"
    else:
        lulus = _dalam_ambang(gagal, diperiksa, ambang_persen)
        ambang = "tidak boleh ada" if ambang_persen == 0 else _ambang_persen(ambang_persen)
    contoh = _records(gagal_rows.head(CONTOH_MAKS).rename(columns={"_baris": "baris"}))
    return GateCheck(
        kode=kode,
        berkas=berkas,
        deskripsi=deskripsi,
        sumber="relasional",
        lulus=lulus,
        diperiksa=int(diperiksa),
        gagal=gagal,
        ambang=ambang,
        contoh=contoh,
    )


def enforce(result: GateResult, report_path: Path) -> None:
    """Stop the stage when its gate failed; the report at report_path says why."""
    if not result.lulus:
        raise GateFailed(result.ringkas(), result=result, report_path=report_path)


# --- Great Expectations -------------------------------------------------------------------

_KUNCI = threading.Lock()
_DEFINISI: dict[str, ValidationDefinition] = {}


@lru_cache(maxsize=1)
def _konteks() -> EphemeralDataContext:
    """One in-memory GX context per process: no progress bars, no usage analytics."""
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


def _definisi_validasi(sheet: str, p: ParameterSuite) -> ValidationDefinition:
    """The (cached) validation definition of one file's suite for these parameters."""
    import great_expectations as gx

    nama = nama_suite(sheet, p)
    if nama in _DEFINISI:
        return _DEFINISI[nama]
    ctx = _konteks()
    try:
        sumber = ctx.data_sources.get("kinerja")
    except KeyError:
        sumber = ctx.data_sources.add_pandas("kinerja")
    try:
        asset = sumber.get_asset(sheet)
    except LookupError:
        asset = sumber.add_dataframe_asset(sheet)
    try:
        batch = asset.get_batch_definition("semua")
    except LookupError:
        batch = asset.add_batch_definition_whole_dataframe("semua")
    suite = ctx.suites.add(SUITES[sheet](p))
    definisi = ctx.validation_definitions.add(
        gx.ValidationDefinition(name=suite.name, data=batch, suite=suite)
    )
    _DEFINISI[nama] = definisi
    return definisi


def _lepas_batch() -> None:
    """Drop GX's reference to the last validated frame so millions of rows are not kept
    alive by the process-wide context."""
    batch_manager = _konteks().data_sources.get("kinerja").get_execution_engine().batch_manager
    batch_manager.reset_batch_cache()
    batch_manager.batch_data_cache.clear()


def _jalankan_suite(sheet: str, frame: pd.DataFrame, p: ParameterSuite) -> list[GateCheck]:
    """Validate one prepared frame and turn every expectation result into a GateCheck."""
    with _KUNCI:
        definisi = _definisi_validasi(sheet, p)
        try:
            hasil = definisi.run(
                batch_parameters={"dataframe": _frame_gx(frame, definisi.suite)},
                result_format={
                    "result_format": "SUMMARY",
                    "partial_unexpected_count": CONTOH_MAKS,
                    # the pandas "query" text GX would build from every unexpected row, unused here
                    "return_unexpected_index_query": False,
                },
            )
        finally:
            _lepas_batch()
    per_kode = {r.expectation_config.meta["kode"]: r for r in hasil.results}
    ambang = _ambang_persen(p.maks_karantina_persen)
    checks = []
    for expectation in definisi.suite.expectations:
        meta = expectation.meta
        checks.append(_cek_gx(per_kode[meta["kode"]], meta, frame, ambang))
    return checks


_TIDAK_KOSONG = "expect_column_values_to_not_be_null"


def _frame_gx(frame: pd.DataFrame, suite: Any) -> pd.DataFrame:
    """What GX is given: the columns the suite checks, and a column checked only for emptiness as a
    boolean that is NA exactly where the text is.

    GX copies the whole batch frame for every column expectation (its non-null domain, then the
    unexpected rows); at 100,000 employees that copied 315 MB per expectation on realisasi, mostly
    the id column it only checks for emptiness. Results are the same: the same rows are null, the
    same positions fail, and the examples are read from `frame` itself.
    """
    jenis: dict[str, set[str]] = {}
    for expectation in suite.expectations:
        kwargs = expectation.configuration.kwargs
        kolom = [kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs]
        for nama in [*kolom, *kwargs.get("column_list", [])]:
            jenis.setdefault(nama, set()).add(expectation.expectation_type)
    data = {}
    for nama in frame.columns:
        if nama not in jenis:
            continue
        if jenis[nama] == {_TIDAK_KOSONG}:
            kosong = frame[nama].isna().to_numpy()
            data[nama] = pd.arrays.BooleanArray(np.ones(len(frame), dtype=bool), kosong)
        else:
            data[nama] = frame[nama]
    return pd.DataFrame(data, index=frame.index)


def _cek_gx(r: ExpectationValidationResult, meta: dict, frame: pd.DataFrame, ambang: str) -> GateCheck:
    """One expectation result as a GateCheck; contoh from the unexpected row positions."""
    res = r.result or {}
    galat = _galat(r)
    diperiksa = int(res.get("element_count", len(frame)))
    if galat:
        gagal = len(frame)
        alasan = f"pemeriksaan tidak dapat dijalankan: {galat}"
        contoh = [{"baris": None, "kolom": meta["kolom"], "nilai": None, "alasan": alasan}]
    else:
        gagal = int(res.get("unexpected_count") or 0)
        posisi = [int(i) for i in (res.get("partial_unexpected_index_list") or [])]
        contoh = _contoh_gx(frame, posisi[:CONTOH_MAKS], meta)
    return GateCheck(
        kode=meta["kode"],
        berkas=meta["berkas"],
        deskripsi=meta["deskripsi"],
        sumber="great_expectations",
        lulus=bool(r.success) and not galat,
        diperiksa=diperiksa,
        gagal=gagal,
        ambang=ambang,
        contoh=contoh,
    )


def _contoh_gx(frame: pd.DataFrame, posisi: list[int], meta: dict) -> list[dict]:
    """The failing raw values with their source line numbers."""
    if not posisi:
        return []
    baris = frame["_baris"].to_numpy()[posisi]
    nilai = frame[meta["kolom"]].to_numpy(dtype=object)[posisi]
    return [
        {"baris": _polos(b), "kolom": meta["kolom"], "nilai": _polos(v), "alasan": meta["deskripsi"]}
        for b, v in zip(baris, nilai, strict=True)
    ]


def _galat(r: ExpectationValidationResult) -> str | None:
    """The exception message if GX could not evaluate the expectation."""
    info = r.exception_info or {}
    kandidat = [info] + [v for v in info.values() if isinstance(v, dict)]
    for i in kandidat:
        if i.get("raised_exception"):
            return str(i.get("exception_message") or "galat tidak dikenal")
    return None


# --- helpers -------------------------------------------------------------------------------


def _cek_baris_ada(sheet: str, n: int | None, *, wajib: bool) -> GateCheck:
    """A required file must exist and hold at least one row; an optional one may be empty."""
    berkas = FILES[sheet].name
    if n is None:
        deskripsi, lulus = f"berkas wajib {berkas} tidak ada", False
    elif wajib:
        deskripsi, lulus = f"berkas wajib {berkas} berisi minimal 1 baris", n > 0
    else:
        deskripsi, lulus = f"berkas opsional {berkas} boleh kosong", True
    return GateCheck(
        kode=f"{sheet}.baris.ada",
        berkas=berkas,
        deskripsi=deskripsi,
        sumber="tahap",
        lulus=lulus,
        diperiksa=n or 0,
        gagal=0,
        ambang="min. 1 baris" if wajib else "boleh kosong",
        contoh=[] if lulus else [{"baris": None, "kolom": None, "nilai": None, "alasan": deskripsi}],
    )


def _contoh_karantina(q: pd.DataFrame) -> list[dict]:
    """Quarantined rows of the lines that broke the most rules first, then in line order."""
    q = q[q["baris"].notna()].astype({"baris": "int64"})
    jumlah = q.groupby("baris", sort=False)["baris"].transform("size")
    urut = np.lexsort((np.arange(len(q)), q["baris"].to_numpy(), -jumlah.to_numpy()))
    kolom = [k for k in ("baris", "kolom", "nilai", "kode_aturan", "alasan") if k in q.columns]
    return _records(q.iloc[urut[:CONTOH_MAKS]][kolom])


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain-Python dicts (NA as None) so they serialise to JSON and the DB."""
    return [{str(k): _polos(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def _polos(v: Any) -> Any:
    """A numpy/pandas scalar as a plain Python value, NA as None."""
    if isinstance(v, np.generic):
        v = v.item()
    if v is None or (not isinstance(v, (list, tuple, dict)) and pd.isna(v)):
        return None
    return v


def _dalam_ambang(gagal: int, diperiksa: int, persen: float) -> bool:
    """gagal is at most persen % of diperiksa (no failure allowed when nothing was checked)."""
    if diperiksa <= 0:
        return gagal == 0
    return gagal * 100 <= persen * diperiksa + 1e-9 * diperiksa


def _ambang_persen(persen: float) -> str:
    return f"maks. {_angka(persen)}% baris"


def _angka(x: float) -> str:
    """20.0 -> '20', 2.5 -> '2,5' (Indonesian decimal comma)."""
    if math.isclose(x, round(x)):
        return str(round(x))
    return f"{x:g}".replace(".", ",")


def _tahap(tahap: str) -> str:
    """Stage names as the CLI spells them ("year_end" -> "year-end")."""
    return tahap.strip().lower().replace("_", "-")


def _nama_berkas(kunci: str) -> str:
    """A sheet name or a file name, as the file name used in karantina.csv."""
    return FILES[kunci].name if kunci in FILES else kunci


def _urutan(berkas: str, urutan: list[str]) -> int:
    return urutan.index(berkas) if berkas in urutan else len(urutan)
