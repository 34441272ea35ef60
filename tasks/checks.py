"""Stage-specific gate checks (relational, plan quality) as Prefect tasks around plain functions."""

from __future__ import annotations

import pandas as pd
from prefect import task
from prefect.cache_policies import NO_CACHE

from penilaian.plan import employees_without_utama, relational_findings
from penilaian.ruleset import Ruleset
from tasks.steps import Inputs


@task(name="periksa-relasi", cache_policy=NO_CACHE)
def relational_checks(inputs: Inputs, rules: Ruleset, *, rencana: bool = False) -> list:
    """Supervisor exists / same instansi / no cycles / cascading; with `rencana`, every employee has utama."""
    from expectations.gate import relational_check

    maks = rules.gerbang.maks_karantina_persen
    checks = [
        relational_check(f["kode"], f["deskripsi"], _examples(f["rows"]), f["diperiksa"],
                         ambang_persen=maks, berkas=f["berkas"])
        for f in relational_findings(inputs.karantina, inputs.counts())
    ]
    if rencana:
        missing = employees_without_utama(inputs.frames["pegawai"], inputs.frames["skp"])
        rows = pd.DataFrame({
            "baris": missing["_baris"], "kolom": "nip", "nilai": missing["nip"],
            "alasan": "pegawai tidak memiliki indikator utama",
        })
        checks.append(relational_check(
            "pegawai.indikator_utama", "setiap pegawai memiliki minimal satu indikator utama",
            rows, len(inputs.frames["pegawai"]), ambang_persen=maks, berkas="skp.csv"))
    return checks


def _examples(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[["baris", "kolom", "nilai", "kode_aturan", "alasan"]]
