"""The database schema: input snapshots per year, results, and the pipeline's own records.

Every row carries `tahun` and the `stage_run_id` of the stage run that wrote it, so any stored
value can be traced to the run, its input checksums and its ruleset.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel


def _text(nullable: bool = True) -> Column:
    return Column(Text, nullable=nullable)


# ---------------------------------------------------------------- pipeline records


class StageRun(SQLModel, table=True):
    """One run of one stage for one year: the unit an auditor reasons about."""

    __tablename__ = "stage_run"

    id: int | None = Field(default=None, primary_key=True)
    tahun: int = Field(index=True)
    tahap: str = Field(index=True)
    flow_run_id: str | None = None
    flow_run_name: str | None = None
    pemicu: str = "manual"
    pengguna: str | None = None
    input_checksums: str = Field(default="{}", sa_column=_text(False))
    ruleset_label: str | None = None
    ruleset_checksum: str | None = None
    code_version: str | None = None
    started_at: datetime
    finished_at: datetime | None = None
    outcome: str = "berjalan"
    counts: str = Field(default="{}", sa_column=_text(False))
    pesan: str | None = Field(default=None, sa_column=_text())
    prev_hash: str | None = None
    record_hash: str | None = None
    urutan_rantai: int | None = Field(default=None, unique=True, index=True)
    hasil_digest: str | None = Field(default=None, sa_column=_text())


class RantaiAudit(SQLModel, table=True):
    """The one-row head of the stage-run hash chain; locking it serialises sealing (stage_runs.seal_run)."""

    __tablename__ = "rantai_audit"

    id: int = Field(default=1, primary_key=True)
    jumlah: int = 0
    kepala_stage_run_id: int | None = None
    kepala_hash: str | None = None


class GateCheckRecord(SQLModel, table=True):
    """One check of one gate in one stage run."""

    __tablename__ = "gate_check"

    id: int | None = Field(default=None, primary_key=True)
    stage_run_id: int = Field(foreign_key="stage_run.id", index=True)
    kode: str
    berkas: str
    deskripsi: str = Field(sa_column=_text(False))
    sumber: str
    lulus: bool
    diperiksa: int
    gagal: int
    ambang: str


class Karantina(SQLModel, table=True):
    """A rejected input row with its rule and reason (never lost)."""

    __tablename__ = "karantina"

    id: int | None = Field(default=None, primary_key=True)
    stage_run_id: int = Field(foreign_key="stage_run.id", index=True)
    tahun: int = Field(index=True)
    tahap: str
    berkas: str
    baris: int
    kolom: str
    nilai: str | None = Field(default=None, sa_column=_text())
    kode_aturan: str
    alasan: str = Field(sa_column=_text(False))
    reason: str = Field(sa_column=_text(False))


# ---------------------------------------------------------------- input snapshots


class UnitKerja(SQLModel, table=True):
    __tablename__ = "unit_kerja"

    tahun: int = Field(primary_key=True)
    kode_unit: str = Field(primary_key=True)
    nama_unit: str
    kode_instansi: str = Field(index=True)
    nama_instansi: str
    predikat_organisasi: str | None = None
    stage_run_id: int = Field(foreign_key="stage_run.id", index=True)


class Pegawai(SQLModel, table=True):
    __tablename__ = "pegawai"

    tahun: int = Field(primary_key=True)
    nip: str = Field(primary_key=True)
    nama: str
    kode_unit: str = Field(index=True)
    jabatan: str
    jenis_jabatan: str
    nip_atasan: str | None = None
    email: str | None = None
    stage_run_id: int = Field(foreign_key="stage_run.id", index=True)


class IndikatorSkp(SQLModel, table=True):
    __tablename__ = "indikator_skp"

    tahun: int = Field(primary_key=True)
    id_indikator: str = Field(primary_key=True)
    nip: str = Field(index=True)
    rencana_hasil_kerja: str = Field(sa_column=_text(False))
    indikator: str = Field(sa_column=_text(False))
    aspek: str
    target: float
    satuan: str
    arah: str
    jenis: str
    id_indikator_atasan: str | None = None
    kompetensi: str | None = None
    stage_run_id: int = Field(foreign_key="stage_run.id", index=True)


class Realisasi(SQLModel, table=True):
    __tablename__ = "realisasi"

    tahun: int = Field(primary_key=True)
    id_indikator: str = Field(primary_key=True)
    periode: str = Field(primary_key=True)
    realisasi: float
    bukti: str | None = Field(default=None, sa_column=_text())
    stage_run_id: int = Field(foreign_key="stage_run.id", index=True)


class RealisasiPemantauan(SQLModel, table=True):
    """Of realisasi.csv as the mid-year stage read it, the row each indicator's monitoring used (its
    latest month up to the mid-year cut-off): what `audit verify` recomputes `pemantauan` from. Kept
    apart from `realisasi` (year-end's rows), which a later year-end run replaces."""

    __tablename__ = "realisasi_pemantauan"

    tahun: int = Field(primary_key=True)
    id_indikator: str = Field(primary_key=True)
    periode: str = Field(primary_key=True)
    realisasi: float
    bukti: str | None = Field(default=None, sa_column=_text())
    stage_run_id: int = Field(foreign_key="stage_run.id", index=True)


class Perilaku(SQLModel, table=True):
    __tablename__ = "perilaku"

    id: int | None = Field(default=None, primary_key=True)
    tahun: int = Field(index=True)
    nip: str = Field(index=True)
    nip_penilai: str
    periode: str
    berorientasi_pelayanan: int
    akuntabel: int
    kompeten: int
    harmonis: int
    loyal: int
    adaptif: int
    kolaboratif: int
    catatan: str | None = Field(default=None, sa_column=_text())
    stage_run_id: int = Field(foreign_key="stage_run.id", index=True)


class UmpanBalik(SQLModel, table=True):
    __tablename__ = "umpan_balik"

    id: int | None = Field(default=None, primary_key=True)
    tahun: int = Field(index=True)
    nip: str = Field(index=True)
    dari_nip: str
    tanggal: str
    jenis: str
    catatan: str | None = Field(default=None, sa_column=_text())
    stage_run_id: int = Field(foreign_key="stage_run.id", index=True)


class SurveiMasyarakat(SQLModel, table=True):
    __tablename__ = "survei_masyarakat"

    id: int | None = Field(default=None, primary_key=True)
    tahun: int = Field(index=True)
    kode_unit: str
    periode: str
    layanan: str
    jumlah_responden: int
    nilai_ikm: float
    stage_run_id: int = Field(foreign_key="stage_run.id", index=True)


class RiwayatPelatihan(SQLModel, table=True):
    __tablename__ = "riwayat_pelatihan"

    id: int | None = Field(default=None, primary_key=True)
    tahun: int = Field(index=True)
    nip: str = Field(index=True)
    nama_pelatihan: str
    kompetensi: str
    tanggal: str
    jp: float
    stage_run_id: int = Field(foreign_key="stage_run.id", index=True)


class KatalogPelatihan(SQLModel, table=True):
    __tablename__ = "katalog_pelatihan"

    tahun: int = Field(primary_key=True)
    kode_pelatihan: str = Field(primary_key=True)
    nama_pelatihan: str
    kompetensi: str
    jp: float
    stage_run_id: int = Field(foreign_key="stage_run.id", index=True)


class Keberatan(SQLModel, table=True):
    """An objection to the year-end result and its decision, as filed (every row that passed the value
    rules, including those the objection review set aside), with its line in the file."""

    __tablename__ = "keberatan"

    id: int | None = Field(default=None, primary_key=True)
    tahun: int = Field(index=True)
    baris: int
    nip: str = Field(index=True)
    tanggal_terima: str
    tanggal_pengajuan: str
    alasan: str = Field(sa_column=_text(False))
    nip_pemutus: str | None = None
    tanggal_keputusan: str
    keputusan: str
    rating_hasil_kerja_baru: str | None = None
    rating_perilaku_baru: str | None = None
    catatan_keputusan: str | None = Field(default=None, sa_column=_text())
    stage_run_id: int = Field(foreign_key="stage_run.id", index=True)


class AngkaKredit(SQLModel, table=True):
    """A functional official's angka kredit entry as filed in angka_kredit.csv (every row that passed the
    value rules, including those without a standing predikat), with its line in the file."""

    __tablename__ = "angka_kredit"

    id: int | None = Field(default=None, primary_key=True)
    tahun: int = Field(index=True)
    baris: int
    nip: str = Field(index=True)
    jenjang: str
    golongan: str
    ak_awal: float
    bulan: int | None = None  # empty = 12
    stage_run_id: int = Field(foreign_key="stage_run.id", index=True)


class RatingAtasan(SQLModel, table=True):
    __tablename__ = "rating_atasan"

    tahun: int = Field(primary_key=True)
    nip: str = Field(primary_key=True)
    rating_hasil_kerja: str | None = None
    rating_perilaku: str | None = None
    alasan: str = Field(sa_column=_text(False))
    stage_run_id: int = Field(foreign_key="stage_run.id", index=True)


# ---------------------------------------------------------------- results


class Pemantauan(SQLModel, table=True):
    """Mid-year monitoring of one indicator."""

    __tablename__ = "pemantauan"

    tahun: int = Field(primary_key=True)
    id_indikator: str = Field(primary_key=True)
    nip: str = Field(index=True)
    target: float
    realisasi: float | None = None
    capaian_persen: float
    proyeksi_akhir_tahun: float | None = None
    status: str
    stage_run_id: int = Field(foreign_key="stage_run.id", index=True)


class CapaianIndikator(SQLModel, table=True):
    """Year-end capaian of one indicator."""

    __tablename__ = "capaian_indikator"

    tahun: int = Field(primary_key=True)
    id_indikator: str = Field(primary_key=True)
    nip: str = Field(index=True)
    jenis: str
    target: float
    realisasi: float | None = None
    capaian: float
    level: str
    stage_run_id: int = Field(foreign_key="stage_run.id", index=True)


class HasilPenilaian(SQLModel, table=True):
    """Year-end result of one scored employee."""

    __tablename__ = "hasil_penilaian"

    tahun: int = Field(primary_key=True)
    nip: str = Field(primary_key=True)
    nama: str
    kode_unit: str = Field(index=True)
    kode_instansi: str
    capaian_hasil_kerja: float
    rating_hasil_kerja_hitung: str
    rating_hasil_kerja: str
    nilai_perilaku: float | None = None
    rating_perilaku_hitung: str | None = None
    rating_perilaku: str
    alasan_override: str | None = Field(default=None, sa_column=_text())
    predikat: str
    predikat_final: str
    alasan_kalibrasi: str | None = Field(default=None, sa_column=_text())
    ruleset_label: str
    stage_run_id: int = Field(foreign_key="stage_run.id", index=True)


class BiasPenilai(SQLModel, table=True):
    __tablename__ = "bias_penilai"

    tahun: int = Field(primary_key=True)
    nip_penilai: str = Field(primary_key=True)
    kode_instansi: str
    jumlah_dinilai: int
    rata_rata: float
    selisih_z: float
    pola: str
    stage_run_id: int = Field(foreign_key="stage_run.id", index=True)


class KeberatanHasil(SQLModel, table=True):
    """The decision on one employee's objection: the ratings and predikat before, and what stands."""

    __tablename__ = "keberatan_hasil"

    tahun: int = Field(primary_key=True)
    nip: str = Field(primary_key=True)
    keputusan: str  # diterima | ditolak
    rating_hasil_kerja_lama: str
    rating_perilaku_lama: str
    predikat_lama: str  # = predikat_final
    rating_hasil_kerja_baru: str  # the rating that stands (the old one unless replaced)
    rating_perilaku_baru: str
    predikat_ditetapkan: str
    nip_pemutus: str | None = None
    tanggal_keputusan: str
    stage_run_id: int = Field(foreign_key="stage_run.id", index=True)


class PredikatDitetapkan(SQLModel, table=True):
    """The predikat that stands after the objection review, for every scored employee: what training,
    rewards and follow-up use."""

    __tablename__ = "predikat_ditetapkan"

    tahun: int = Field(primary_key=True)
    nip: str = Field(primary_key=True)
    kode_unit: str = Field(index=True)
    predikat_final: str
    keberatan: bool  # an objection of the employee was decided
    predikat_ditetapkan: str
    stage_run_id: int = Field(foreign_key="stage_run.id", index=True)


class RekomendasiPelatihan(SQLModel, table=True):
    __tablename__ = "rekomendasi_pelatihan"

    tahun: int = Field(primary_key=True)
    nip: str = Field(primary_key=True)
    kode_pelatihan: str = Field(primary_key=True)
    nama_pelatihan: str
    kompetensi: str
    alasan: str = Field(sa_column=_text(False))
    jp: float
    prioritas: str
    stage_run_id: int = Field(foreign_key="stage_run.id", index=True)


class TindakLanjut(SQLModel, table=True):
    """Follow-up of the year-end result: a reward candidate or a counselling plan."""

    __tablename__ = "tindak_lanjut"

    tahun: int = Field(primary_key=True)
    nip: str = Field(primary_key=True)
    jenis: str  # penghargaan | konseling
    predikat_final: str
    predikat_ditetapkan: str | None = None  # what the follow-up is based on (NULL before migration 0003)
    rencana: str = Field(sa_column=_text(False))
    stage_run_id: int = Field(foreign_key="stage_run.id", index=True)


class AngkaKreditHasil(SQLModel, table=True):
    """A functional official's angka kredit of the year from the predikat that stands, unrounded, and
    whether it reaches the next pangkat or jenjang (DOMAIN.md "Angka kredit")."""

    __tablename__ = "angka_kredit_hasil"

    tahun: int = Field(primary_key=True)
    nip: str = Field(primary_key=True)
    kode_unit: str = Field(index=True)
    jenjang: str
    golongan: str
    predikat_ditetapkan: str
    persentase: float
    koefisien: float
    bulan: int
    ak_tahun: float
    ak_awal: float
    ak_kumulatif: float
    langkah_berikutnya: str  # pangkat | jenjang | puncak
    ambang: float | None = None  # none at the top (puncak)
    memenuhi: str  # ya | tidak
    kekurangan: float | None = None
    uji_kompetensi: bool  # the next step is a jenjang, which also needs the competency test
    stage_run_id: int = Field(foreign_key="stage_run.id", index=True)
