"""Reading a stage's input files: the task that reads them and applies every value rule."""

from __future__ import annotations

import pandas as pd
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from contract.inputs import Inputs
from contract.karantina import KARANTINA_COLUMNS
from stages import registry
from stages.cache import release_unused_memory
from stages.context import StageContext


@task(name="baca-dan-periksa-input", cache_policy=NO_CACHE)
def load_inputs(ctx: StageContext) -> Inputs:
    """Read the stage's files and apply every value rule; bad rows go to quarantine, the rest go on.

    A file this process already checked with the same bytes and parents (an earlier stage of the same
    `kinerja cycle`) comes from the process cache, neither parsed nor checked again
    (contract.checked_inputs; KINERJA_CACHE_PERIKSA=false turns that off)."""
    stage = registry.get(ctx.tahap)
    logger = get_run_logger()
    if ctx.cache.keep_checked and ctx.checksums is not None:
        from contract.checked_inputs import read_checked

        found = read_checked(ctx.input_dir, ctx.tahun, ctx.tahap, stage.required, stage.optional,
                             ctx.checksums, ctx.cache)
        raw, frames, peringatan = found.raw, found.frames, found.peringatan
        read_quarantine, karantina = found.read_karantina, found.karantina
        if found.reused:
            logger.info("Sudah diperiksa di proses ini (isi sama), tidak dibaca ulang / checked earlier in "
                        "this process with the same bytes, not read again: %s", ", ".join(found.reused))
    else:
        from contract.reader import read_inputs
        from contract.values import check_values

        raw, read_quarantine = read_inputs(ctx.input_dir, stage.required, stage.optional,
                                           checksums=ctx.checksums, cache=ctx.cache)
        frames, karantina, peringatan = check_values(raw, ctx.tahun, ctx.tahap)
    karantina = pd.concat([read_quarantine, karantina], ignore_index=True)
    karantina = karantina.assign(tahap=ctx.tahap)[KARANTINA_COLUMNS]
    inputs = Inputs(raw=raw, frames=frames, karantina=karantina, peringatan=peringatan)
    release_unused_memory()  # the parser's buffers and the value rules' intermediate columns
    logger.info("Dibaca: %s; dikarantina: %d baris", inputs.counts(), len(karantina))
    return inputs
