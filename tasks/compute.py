"""The stages' heavy compute as tasks: on the whole tables, or on one instansi's share of them.

Module-level so that Dask workers can import them (flows.executor.compute_by_instansi submits one
per instansi); each only calls the stage's pure rules.
"""

from __future__ import annotations

import pandas as pd
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from penilaian.ruleset import Ruleset


@task(name="hitung-pemantauan", cache_policy=NO_CACHE)
def monitor(frames: dict[str, pd.DataFrame], rules: Ruleset, tahun: int):
    """Mid-year: capaian and projection per indicator, staff at risk, citizen satisfaction."""
    from penilaian.monitoring import monitor_mid_year

    return monitor_mid_year(frames, rules, tahun)


@task(name="hitung-nilai-akhir-tahun", cache_policy=NO_CACHE)
def score(frames: dict[str, pd.DataFrame], rules: Ruleset, tahun: int):
    """Year-end: capaian, ratings, predikat, the distribution curve and rater bias."""
    from penilaian.year_end import score_year_end

    return score_year_end(frames, rules, tahun)


@task(name="hitung-rekomendasi", cache_policy=NO_CACHE)
def score_and_recommend(frames: dict[str, pd.DataFrame], rules: Ruleset, tahun: int):
    """Training: recompute the (deterministic) year-end result from the same inputs, then recommend."""
    from penilaian.training import recommend_trainings
    from penilaian.year_end import score_year_end

    year_end = score_year_end(frames, rules, tahun)
    return year_end, recommend_trainings(year_end, frames, rules, tahun)


@task(name="hitung-rekomendasi-dari-hasil-akhir-tahun", cache_policy=NO_CACHE)
def recommend(frames: dict[str, pd.DataFrame], rules: Ruleset, tahun: int, year_end):
    """Training: recommend from the year-end result this process scored from the same inputs and ruleset."""
    from penilaian.training import recommend_trainings

    get_run_logger().info("Hasil akhir tahun yang sudah dihitung di proses ini dipakai (input dan ruleset "
                          "sama) / the year-end result scored earlier in this process is reused")
    return recommend_trainings(year_end, frames, rules, tahun)
