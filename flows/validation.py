"""Stage 2 — data validation: every input through its gate, plan quality across files."""

from __future__ import annotations

from prefect import flow

from flows.run_names import run_name
from tasks.checks import completeness, relational_checks
from tasks.gates import gate
from tasks.inputs import load_inputs
from tasks.lifecycle import finish, stage_run

TAHAP = "validation"


@flow(name=TAHAP, flow_run_name=run_name(TAHAP), log_prints=False)
def validation(
    tahun: int | None = None, input_dir: str | None = None, output_dir: str | None = None,
    db_url: str | None = None,
    ruleset: str | None = None, pemicu: str = "manual",
) -> dict:
    """Read every input → value rules, GX suites, relational and plan-quality checks → gate report."""
    with stage_run(TAHAP, tahun, input_dir, output_dir, db_url, ruleset, pemicu) as (ctx, rules):
        inputs = load_inputs(ctx)
        summary = completeness(inputs.frames)
        gate(ctx, inputs, rules, extra=relational_checks(inputs, rules, rencana=True),
             ringkasan_unit=summary)
        inputs.release_raw()
        counts = {**inputs.stage_counts(),
                  "peringatan": len(inputs.peringatan), "unit": len(summary)}
        return finish(ctx, counts, [ctx.output_dir / f"gerbang_{TAHAP}.html",
                                    ctx.output_dir / "karantina.csv"])
