"""Stage 6 — training recommendations, follow-up (tindak lanjut) and the angka kredit of functional
officials, from the result that stands after the objection review (predikat_ditetapkan)."""

from __future__ import annotations

from prefect import flow

from flows.executor import compute_by_instansi
from flows.run_names import run_name
from penilaian.partition import combine_training, combine_year_end
from stages import registry
from tasks.checks import angka_kredit_checks
from tasks.compute import convert, recommend, review, score_and_recommend
from tasks.gates import gate, gate_results
from tasks.inputs import load_inputs
from tasks.lifecycle import finish, stage_run
from tasks.reports import report_training
from tasks.write_and_report import write_and_report
from tasks.writes import write_training
from tasks.year_end_result import recall_year_end, require_year_end

TAHAP = "training"


@flow(name=TAHAP, flow_run_name=run_name(TAHAP), log_prints=False)
def training(
    tahun: int | None = None, input_dir: str | None = None, output_dir: str | None = None,
    db_url: str | None = None,
    ruleset: str | None = None, pemicu: str = "manual", dokumen: str = "semua", executor: str = "lokal",
) -> dict:
    """Require the objection review → read → gate → recommend from the predikat that stands and convert it
    to angka kredit → gate → write → plans, angka_kredit_hasil.csv, JF documents and unit summaries."""
    with stage_run(TAHAP, tahun, input_dir, output_dir, db_url, ruleset, pemicu) as (ctx, rules):
        require_year_end(ctx, registry.get(TAHAP).builds_on)
        inputs = load_inputs(ctx)
        passed = gate(ctx, inputs, rules)
        inputs.release_raw()
        year_end = recall_year_end(ctx, rules) if executor == "lokal" else None
        if year_end is not None:
            keberatan = review(inputs.frames, rules, ctx.tahun, year_end)
            result = recommend(inputs.frames, rules, ctx.tahun, year_end, keberatan)
        else:
            year_end, result = compute_by_instansi(
                score_and_recommend, executor, inputs.frames, rules, ctx.tahun,
                combine=lambda parts: (combine_year_end([p[0] for p in parts], rules),
                                       combine_training([p[1] for p in parts])))
            keberatan = review(inputs.frames, rules, ctx.tahun, year_end)  # for AK and the unit summaries
        # per employee and cheap: converted once, from the predikat that stands, on either executor
        angka_kredit = convert(inputs.frames, rules, ctx.tahun, keberatan)
        gate_results(ctx, inputs, passed, angka_kredit_checks(inputs, angka_kredit), angka_kredit.karantina)
        written, reports = write_and_report(
            ctx, executor, write_training, (result, inputs.frames, angka_kredit),
            report_training, (inputs.frames, year_end, result, keberatan, angka_kredit, dokumen))
        hasil, stage_counts = angka_kredit.hasil, inputs.stage_counts()
        memenuhi = hasil["memenuhi"] == "ya"
        counts = {**stage_counts,
                  "rekomendasi": len(result.rekomendasi), "penghargaan": len(result.penghargaan),
                  "tindak_lanjut": len(result.tindak_lanjut),
                  "ak_dihitung": len(hasil),
                  "naik_pangkat": int((memenuhi & (hasil["langkah_berikutnya"] == "pangkat")).sum()),
                  "naik_jenjang": int((memenuhi & (hasil["langkah_berikutnya"] == "jenjang")).sum()),
                  # rows of angka_kredit.csv set aside: by its value rules, or without a standing predikat
                  "ak_dikarantina": stage_counts.get("angka_kredit.dikarantina", 0)
                  + int(angka_kredit.karantina["baris"].nunique()), **written}
        return finish(ctx, counts, reports)
