"""The gates: report, quarantine and stored checks are written before the decision; a failure stops."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text

from contract.karantina import KARANTINA_COLUMNS
from expectations.checks import relational_check
from kinerja.errors import GateFailed
from penilaian.ruleset import load_ruleset
from stages.context import StageContext
from tasks.gates import gate, gate_results, warning_checks
from tasks.inputs import load_inputs


def _stored(ctx: StageContext, table: str, columns: str) -> pd.DataFrame:
    with ctx.engine.connect() as conn:
        return pd.read_sql(text(f"select {columns} from {table} where stage_run_id = :i"), conn,
                           params={"i": ctx.stage_run_id})


def _latest_artifact(key: str):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    from prefect.client.schemas.sorting import ArtifactSort

    with get_client(sync_client=True) as client:
        return client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])),
                                     sort=ArtifactSort.CREATED_DESC, limit=1)[0]


def _failing_check() -> object:
    rows = pd.DataFrame({"baris": [7], "kolom": ["nip"], "nilai": ["123"], "alasan": ["uji"]})
    return relational_check("uji.selalu_gagal", "pemeriksaan uji yang selalu gagal", rows, 10,
                            ambang_persen=0, berkas="pegawai.csv")


def test_a_passing_gate_writes_report_quarantine_and_checks_then_lets_the_stage_go_on(
    in_flow: Callable, demo_input: Path, open_run: Callable[..., StageContext]
) -> None:
    ctx, rules = open_run("plan-collection", demo_input), load_ruleset(None)
    inputs = in_flow(lambda: load_inputs(ctx))

    result = in_flow(lambda: gate(ctx, inputs, rules))

    assert result.lulus
    assert (ctx.output_dir / "gerbang_plan-collection.html").exists()
    karantina = pd.read_csv(ctx.output_dir / "karantina.csv", dtype=str, keep_default_na=False)
    assert list(karantina.columns) == KARANTINA_COLUMNS and len(karantina) == len(inputs.karantina) > 0
    stored = _stored(ctx, "gate_check", "kode, lulus")
    assert sorted(stored["kode"]) == sorted(check.kode for check in result.checks)
    assert len(_stored(ctx, "karantina", "baris")) == len(inputs.karantina)
    artifact = _latest_artifact("gerbang-plan-collection-2026")
    assert "LULUS" in artifact.description
    rows = artifact.data if isinstance(artifact.data, list) else json.loads(artifact.data)
    assert {row["kode"] for row in rows} == set(stored["kode"])


def test_a_failing_gate_keeps_its_evidence_and_stops_the_stage(
    in_flow: Callable, demo_input: Path, open_run: Callable[..., StageContext]
) -> None:
    ctx, rules = open_run("plan-collection", demo_input), load_ruleset(None)
    inputs = in_flow(lambda: load_inputs(ctx))

    with pytest.raises(GateFailed) as failure:
        in_flow(lambda: gate(ctx, inputs, rules, extra=[_failing_check()]))

    report = ctx.output_dir / "gerbang_plan-collection.html"
    assert failure.value.report_path == report and "GAGAL" in report.read_text(encoding="utf-8")
    assert (ctx.output_dir / "karantina.csv").exists()
    stored = _stored(ctx, "gate_check", "kode, lulus").set_index("kode")["lulus"]
    assert not stored["uji.selalu_gagal"]
    assert "GAGAL" in _latest_artifact("gerbang-plan-collection-2026").description


def test_the_results_gate_adds_the_stage_s_own_quarantine_rows_and_checks(
    in_flow: Callable, demo_input: Path, open_run: Callable[..., StageContext]
) -> None:
    ctx, rules = open_run("plan-collection", demo_input), load_ruleset(None)
    inputs = in_flow(lambda: load_inputs(ctx))
    passed = in_flow(lambda: gate(ctx, inputs, rules))
    rejected = pd.DataFrame([{"berkas": "pegawai.csv", "baris": 3, "kolom": "nip", "nilai": "1",
                              "kode_aturan": "TIDAK_DAPAT_DINILAI", "alasan": "uji", "reason": "test",
                              "tahap": ""}], columns=KARANTINA_COLUMNS)

    with pytest.raises(GateFailed):
        in_flow(lambda: gate_results(ctx, inputs, passed, [_failing_check()], rejected))

    karantina = pd.read_csv(ctx.output_dir / "karantina.csv", dtype=str, keep_default_na=False)
    assert len(karantina) == len(inputs.karantina) + 1
    added = karantina[karantina["kode_aturan"] == "TIDAK_DAPAT_DINILAI"]
    assert added[["baris", "tahap"]].to_dict("records") == [{"baris": "3", "tahap": "plan-collection"}]
    stored = set(_stored(ctx, "gate_check", "kode")["kode"])
    assert stored == {check.kode for check in passed.checks} | {"uji.selalu_gagal"}


def test_warnings_are_reported_per_file_and_rule_and_never_block() -> None:
    peringatan = pd.DataFrame({
        "berkas": ["realisasi.csv", "realisasi.csv", "perilaku.csv"], "baris": [4, 9, 2],
        "kolom": ["realisasi"] * 2 + ["periode"], "nilai": ["1", "0", "x"],
        "kode_aturan": ["REALISASI_TURUN", "REALISASI_TURUN", "LAIN"],
        "alasan": ["turun dari 5", "turun dari 1", "aneh"],
    })
    checks = {c.kode: c for c in warning_checks(peringatan, {"realisasi": 40})}
    assert set(checks) == {"peringatan.realisasi_turun", "peringatan.lain"}
    turun = checks["peringatan.realisasi_turun"]
    assert turun.lulus and turun.gagal == 2 and turun.diperiksa == 40 and turun.berkas == "realisasi.csv"
    assert "turun dari 5" in turun.deskripsi
    assert checks["peringatan.lain"].diperiksa == 1  # file not counted: its warnings are the rows checked


def test_a_formula_typed_in_the_input_is_a_warning_in_the_gate_with_its_line() -> None:
    from contract.values import check_values
    from tests.contract.input_rows import TAHUN, with_value

    data = with_value("pegawai", 1, "nama", '=HYPERLINK("http://x.test","klik")')
    _, karantina, peringatan = check_values(data, TAHUN, "validation")
    checks = {c.kode: c for c in warning_checks(peringatan, {"pegawai": len(data["pegawai"])})}
    rumus = checks["peringatan.teks_rumus"]
    assert rumus.lulus and rumus.gagal == 1 and rumus.berkas == "pegawai.csv" and karantina.empty
    assert "TEKS_RUMUS" in rumus.deskripsi and "diawali '='" in rumus.deskripsi
