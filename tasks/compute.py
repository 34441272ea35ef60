"""The stages' heavy compute as tasks: on the whole tables, or on one instansi's share of them.

Module-level so that Dask workers can import them (flows.executor.compute_by_instansi submits one
per instansi, as the file of its partition: tasks.partition_files); each only calls the stage's pure rules.
"""

from __future__ import annotations

import pandas as pd
from prefect import task
from prefect.cache_policies import NO_CACHE

from penilaian.ruleset import Ruleset
from tasks.partition_files import PartitionFile, frames_of


@task(name="hitung-pemantauan", cache_policy=NO_CACHE)
def monitor(frames: dict[str, pd.DataFrame] | PartitionFile, rules: Ruleset, tahun: int):
    """Mid-year: capaian and projection per indicator, staff at risk, citizen satisfaction."""
    from penilaian.monitoring import monitor_mid_year

    return monitor_mid_year(frames_of(frames), rules, tahun)


@task(name="hitung-nilai-akhir-tahun", cache_policy=NO_CACHE)
def score(frames: dict[str, pd.DataFrame] | PartitionFile, rules: Ruleset, tahun: int):
    """Year-end: capaian, ratings, predikat, the distribution curve and rater bias."""
    from penilaian.year_end import score_year_end

    return score_year_end(frames_of(frames), rules, tahun)


@task(name="tinjau-keberatan", cache_policy=NO_CACHE)
def review(frames: dict[str, pd.DataFrame], rules: Ruleset, tahun: int, year_end):
    """Objection: which objections stand, and the predikat that stands for every scored employee."""
    from penilaian.keberatan import review_objections

    return review_objections(frames, year_end, rules, tahun)


@task(name="hitung-rekomendasi", cache_policy=NO_CACHE)
def score_and_recommend(frames: dict[str, pd.DataFrame] | PartitionFile, rules: Ruleset, tahun: int):
    """Training: recompute the (deterministic) year-end result and objection review from the same inputs,
    then recommend from the predikat that stands."""
    from penilaian.keberatan import review_objections
    from penilaian.training import recommend_trainings
    from penilaian.year_end import score_year_end

    frames = frames_of(frames)
    year_end = score_year_end(frames, rules, tahun)
    keberatan = review_objections(frames, year_end, rules, tahun)
    return year_end, recommend_trainings(year_end, frames, rules, tahun, keberatan)


@task(name="hitung-rekomendasi-dari-hasil-akhir-tahun", cache_policy=NO_CACHE)
def recommend(frames: dict[str, pd.DataFrame], rules: Ruleset, tahun: int, year_end, keberatan):
    """Training: recommend from the result that stands after the objection review `keberatan`."""
    from penilaian.training import recommend_trainings

    return recommend_trainings(year_end, frames, rules, tahun, keberatan)


@task(name="hitung-angka-kredit", cache_policy=NO_CACHE)
def convert(frames: dict[str, pd.DataFrame], rules: Ruleset, tahun: int, keberatan):
    """Training: the functional officials' angka kredit from the predikat that stands (`keberatan.akhir`)."""
    from penilaian.angka_kredit import convert_angka_kredit

    predikat = keberatan.akhir[["nip", "predikat_ditetapkan"]]
    return convert_angka_kredit(frames, predikat, rules, tahun)
