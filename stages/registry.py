"""The stage registry: the one place that names Kinerja's stages and what each reads, writes and gates.

The CLI, the cycle flow, the executor, the gates, the value rules, the suites, the reports and the
deployments (prefect.yaml, checked by a test) all ask this module; nothing else lists stages. A stage
names its flow by entrypoint (`flows/<module>.py:<function>`, as prefect.yaml does) so that this
module, which every layer reads, imports no flow.
"""

from __future__ import annotations

from dataclasses import dataclass

# The files every stage needs to know who is appraised: units, employees and their SKP.
_PLAN = ("unit_kerja", "pegawai", "skp")


@dataclass(frozen=True)
class Schedule:
    """A deployment's default schedule (Asia/Jakarta), as prefect.yaml declares it."""

    deployment: str
    cron: str
    description: str
    timezone: str = "Asia/Jakarta"


@dataclass(frozen=True)
class Stage:
    """One stage of the appraisal cycle."""

    name: str  # as the CLI and the run history spell it
    label: str  # Indonesian title in reports
    flow: str  # entrypoint of its Prefect flow
    required: tuple[str, ...]  # input files (sheet keys) whose absence stops the stage
    optional: tuple[str, ...]  # input files read when present
    must_have_rows: tuple[str, ...]  # input files the gate requires to hold at least one row
    outputs: tuple[str, ...]  # files it writes under OUTPUT/<tahun>/ (`*` for one per unit or employee)
    schedule: Schedule
    previous_year: bool = False  # run in January for the year that just ended
    needs_predikat_organisasi: bool = False  # every staffed unit must carry its organisational predikat
    partitioned: bool = False  # heavy compute split per instansi with `--executor dask`
    documents: bool = False  # takes the `dokumen` option (per-employee documents)
    builds_on: str | None = None  # the stage whose stored results it needs, unchanged since
    headline: tuple[str, ...] = ()  # the counts its one summary line shows (`x.*`: every `x.` key)

    @property
    def inputs(self) -> tuple[str, ...]:
        """Every input file the stage reads: required first, then optional."""
        return self.required + self.optional

    @property
    def flow_module(self) -> str:
        """The flow's module in dotted form, e.g. `flows.year_end`."""
        return self.flow.split(":")[0].removesuffix(".py").replace("/", ".")

    @property
    def flow_function(self) -> str:
        return self.flow.split(":")[1]


STAGES: tuple[Stage, ...] = (
    Stage(
        name="plan-collection", label="Pengumpulan Rencana SKP",
        flow="flows/plan_collection.py:plan_collection",
        required=_PLAN, optional=(), must_have_rows=_PLAN,
        outputs=("karantina.csv", "gerbang_plan-collection.html"),
        schedule=Schedule("plan-collection-januari", "0 7 10 1 *",
                          "Pengumpulan SKP tahun berjalan (Januari)"),
        headline=("skp.sah",),
    ),
    Stage(
        name="validation", label="Validasi Data", flow="flows/validation.py:validation",
        required=_PLAN,
        optional=("realisasi", "perilaku", "umpan_balik", "survei_masyarakat", "riwayat_pelatihan",
                  "katalog_pelatihan", "rating_atasan"),
        must_have_rows=_PLAN,
        outputs=("karantina.csv", "gerbang_validation.html"),
        schedule=Schedule("validation-januari", "0 7 17 1 *",
                          "Validasi data dan mutu rencana (Januari, setelah pengumpulan SKP)"),
        headline=("skp.sah", "realisasi.sah", "peringatan"),
    ),
    Stage(
        name="mid-year", label="Pemantauan Tengah Tahun", flow="flows/mid_year.py:mid_year",
        required=(*_PLAN, "realisasi"), optional=("perilaku", "umpan_balik", "survei_masyarakat"),
        must_have_rows=(*_PLAN, "realisasi"),
        outputs=("karantina.csv", "gerbang_mid-year.html", "pemantauan_tengah_tahun.csv",
                 "pemantauan_*.html"),
        schedule=Schedule("mid-year-juli", "0 7 10 7 *", "Pemantauan tengah tahun, data s.d. Juni (Juli)"),
        partitioned=True, headline=("indikator_dipantau", "berisiko", "tertinggal", "pegawai_berisiko"),
    ),
    Stage(
        name="year-end", label="Penilaian Akhir Tahun", flow="flows/year_end.py:year_end",
        required=(*_PLAN, "realisasi", "perilaku"), optional=("umpan_balik", "rating_atasan"),
        must_have_rows=(*_PLAN, "realisasi", "perilaku"),
        outputs=("karantina.csv", "gerbang_year-end.html", "hasil_penilaian.csv", "bias_penilai.csv",
                 "dokumen/*.html", "ringkasan_*.html"),
        schedule=Schedule("year-end-januari", "0 7 20 1 *",
                          "Penilaian akhir tahun untuk tahun sebelumnya (Januari)"),
        previous_year=True, needs_predikat_organisasi=True, partitioned=True, documents=True,
        headline=("dinilai", "tidak_dinilai", "predikat_final.*"),
    ),
    Stage(
        name="objection", label="Peninjauan Keberatan", flow="flows/objection.py:objection",
        required=(*_PLAN, "realisasi", "perilaku"), optional=("umpan_balik", "rating_atasan", "keberatan"),
        must_have_rows=(*_PLAN, "realisasi", "perilaku"),
        outputs=("karantina.csv", "gerbang_objection.html", "keberatan_hasil.csv",
                 "hasil_penilaian_akhir.csv", "dokumen/*.html", "ringkasan_*.html"),
        schedule=Schedule("objection-februari", "0 7 10 2 *",
                          "Peninjauan keberatan atas hasil penilaian tahun sebelumnya (Februari)"),
        previous_year=True, needs_predikat_organisasi=True, partitioned=True, documents=True,
        builds_on="year-end",
        headline=("keberatan", "diterima", "ditolak", "predikat_berubah", "keberatan_dikarantina"),
    ),
    Stage(
        name="training", label="Rekomendasi Pelatihan", flow="flows/training.py:training",
        required=(*_PLAN, "realisasi", "perilaku", "katalog_pelatihan"),
        optional=("umpan_balik", "rating_atasan", "riwayat_pelatihan", "keberatan", "angka_kredit"),
        must_have_rows=(*_PLAN, "katalog_pelatihan"),
        outputs=("karantina.csv", "gerbang_training.html", "rekomendasi_pelatihan.csv",
                 "rencana_pelatihan_*.csv", "angka_kredit_hasil.csv", "dokumen/*.html", "ringkasan_*.html"),
        schedule=Schedule("training-februari", "0 7 17 2 *",
                          "Rekomendasi pelatihan dan tindak lanjut untuk tahun sebelumnya (Februari, "
                          "setelah keberatan)"),
        previous_year=True, needs_predikat_organisasi=True, partitioned=True, documents=True,
        builds_on="objection",
        headline=("rekomendasi", "penghargaan", "tindak_lanjut", "ak_dihitung", "naik_pangkat",
                  "naik_jenjang"),
    ),
)

# Written by every stage after its run closes (tasks.year_view), from what the year holds: the page to
# start from, its employee search data and the year's workbook (`<tahun>` is the year).
YEAR_VIEW: tuple[str, ...] = ("index.html", "pencarian_pegawai.js", "kinerja_<tahun>.xlsx")

# The cycle runs every stage in registry order; it is a flow too, with its own manual deployment.
CYCLE = "cycle"
CYCLE_FLOW = "flows/cycle.py:cycle"

_BY_NAME = {stage.name: stage for stage in STAGES}


def names() -> tuple[str, ...]:
    """Stage names in cycle order."""
    return tuple(stage.name for stage in STAGES)


def get(name: str) -> Stage:
    """The stage called `name` (KeyError for an unknown name: callers check user input with `names`)."""
    return _BY_NAME[name]


def order(name: str) -> int:
    """Position of a stage in the cycle (unknown names last), for sorting rows by stage."""
    return names().index(name) if name in _BY_NAME else len(STAGES)
