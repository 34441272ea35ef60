"""Stage 1 — plan collection: load the year's units, employees and SKP indicators."""

from __future__ import annotations

from prefect import flow

from flows.run_names import run_name
from tasks.checks import relational_checks
from tasks.gates import gate
from tasks.inputs import load_inputs
from tasks.lifecycle import finish, stage_run
from tasks.writes import write_plan

TAHAP = "plan-collection"


@flow(name=TAHAP, flow_run_name=run_name(TAHAP), log_prints=False)
def plan_collection(
    tahun: int | None = None, input_dir: str | None = None, output_dir: str | None = None,
    db_url: str | None = None,
    ruleset: str | None = None, pemicu: str = "manual",
) -> dict:
    """Read → gate → write units, employees and indicators (idempotent per year)."""
    with stage_run(TAHAP, tahun, input_dir, output_dir, db_url, ruleset, pemicu) as (ctx, rules):
        inputs = load_inputs(ctx)
        gate(ctx, inputs, rules, extra=relational_checks(inputs, rules))
        inputs.release_raw()
        written = write_plan(ctx, inputs.frames)
        counts = {**inputs.stage_counts(), **written}
        return finish(ctx, counts, [ctx.output_dir / f"gerbang_{TAHAP}.html",
                                    ctx.output_dir / "karantina.csv"])
