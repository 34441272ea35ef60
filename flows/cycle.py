"""The whole appraisal cycle: every stage of the registry in order, each its own flow run."""

from __future__ import annotations

from prefect import flow

from flows.executor import dask_cluster
from flows.progress import run_stage
from flows.run_names import run_name
from kinerja.errors import one_line_in_run_logs
from stages import registry
from stages.context import resolve_tahun
from tasks.year_view import one_year_view


@flow(name=registry.CYCLE, flow_run_name=run_name(registry.CYCLE), log_prints=False)
def cycle(
    tahun: int | None = None, input_dir: str | None = None, output_dir: str | None = None,
    db_url: str | None = None,
    ruleset: str | None = None, pemicu: str = "manual", dokumen: str = "semua",
    executor: str = "lokal", dask_address: str | None = None,
) -> list[dict]:
    """Run every stage; a failed gate stops the cycle at that stage. The year view (index.html, the
    workbook) is refreshed once, by the last stage run (or, when a stage stops the cycle, for what ran)."""
    one_line_in_run_logs()
    common = dict(tahun=resolve_tahun(registry.CYCLE, tahun), input_dir=input_dir, output_dir=output_dir,
                  db_url=db_url, ruleset=ruleset, pemicu=pemicu)
    with dask_cluster(executor, dask_address) as address, one_year_view() as view:
        return [run_stage(name, common, dokumen=dokumen, executor=executor, dask_address=address)
                for name in view.each(registry.names())]
