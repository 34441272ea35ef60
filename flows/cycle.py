"""The whole appraisal cycle: the five stage flows in order (each its own flow run)."""

from __future__ import annotations

from prefect import flow

from flows.executor import dask_cluster, stage_flow
from flows.mid_year import mid_year
from flows.plan_collection import plan_collection
from flows.run_names import run_name
from flows.training import training
from flows.validation import validation
from flows.year_end import year_end
from stages.context import resolve_tahun

STAGE_FLOWS = {
    "plan-collection": plan_collection,
    "validation": validation,
    "mid-year": mid_year,
    "year-end": year_end,
    "training": training,
}


@flow(name="cycle", flow_run_name=run_name("cycle"), log_prints=False)
def cycle(
    tahun: int | None = None, input_dir: str | None = None, output_dir: str | None = None,
    db_url: str | None = None,
    ruleset: str | None = None, pemicu: str = "manual", dokumen: str = "semua",
    executor: str = "lokal", dask_address: str | None = None,
) -> list[dict]:
    """Run every stage; a failed gate stops the cycle at that stage."""
    common = dict(tahun=resolve_tahun("cycle", tahun), input_dir=input_dir, output_dir=output_dir,
                  db_url=db_url, ruleset=ruleset, pemicu=pemicu)
    with dask_cluster(executor, dask_address) as address:
        return [
            plan_collection(**common),
            validation(**common),
            stage_flow("mid-year", executor, address)(**common, executor=executor),
            stage_flow("year-end", executor, address)(**common, dokumen=dokumen, executor=executor),
            stage_flow("training", executor, address)(**common, executor=executor),
        ]
