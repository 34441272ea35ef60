"""Deterministic demo input (the ten FORMATS.md files) for three city governments, at any size."""

from __future__ import annotations

import argparse
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from contract.arrow_text import buffer_bytes
from contract.schema import BERAKHLAK

# --------------------------------------------------------------------------------------------
# Reference data: regions, kinds of OPD, positions, indicator templates, names, trainings
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Instansi:
    """One city government: codes, its real OPD names and the naming style of its staff."""

    kode: str
    singkat: str
    nama: str
    kota: str
    porsi: float
    wilayah: str
    domain: str
    kecamatan: tuple[str, ...]
    rsud: str


INSTANSI: tuple[Instansi, ...] = (
    Instansi(
        "PEMKOT-SWL", "SWL", "Pemerintah Kota Sawahlunto", "Sawahlunto", 0.3, "minang",
        "sawahluntokota.go.id", ("Barangin", "Lembah Segar", "Silungkang", "Talawi"),
        "RSUD Sawahlunto",
    ),
    Instansi(
        "PEMKOT-BKT", "BKT", "Pemerintah Kota Bukittinggi", "Bukittinggi", 0.3, "minang",
        "bukittinggikota.go.id",
        ("Guguk Panjang", "Mandiangin Koto Selayan", "Aur Birugo Tigo Baleh"),
        "RSUD Kota Bukittinggi",
    ),
    Instansi(
        "PEMKOT-PLK", "PLK", "Pemerintah Kota Palangka Raya", "Palangka Raya", 0.4, "kalteng",
        "palangkaraya.go.id", ("Pahandut", "Jekan Raya", "Sebangau", "Bukit Batu", "Rakumpit"),
        "RSUD Kota Palangka Raya",
    ),
)

# (rencana_hasil_kerja, indikator, aspek, satuan, arah, target_min, target_max, kompetensi)
Template = tuple[str, str, str, str, str, float, float, str]


@dataclass(frozen=True)
class Profil:
    """A kind of work unit: its head, structural positions, staff positions, SKP and services."""

    kepala: str
    jenis_kepala: str
    administrator: tuple[str, ...]
    pengawas: tuple[str, ...]
    staf: tuple[tuple[str, str, str], ...]  # (jabatan, jenis_jabatan, gelar)
    indikator: tuple[Template, ...]
    layanan: tuple[str, ...] = ()
    bobot: float = 1.0


_ADM = ("Pengadministrasi Perkantoran", "pelaksana", "")
_KOMPUTER = ("Pranata Komputer Ahli Pertama", "fungsional", "S.Kom.")
_SUBBAG = ("Kepala Subbagian Umum dan Kepegawaian", "Kepala Subbagian Perencanaan dan Keuangan")

UMUM: tuple[Template, ...] = (
    ("Terkelolanya anggaran perangkat daerah", "Persentase realisasi anggaran", "biaya",
     "persen", "naik", 90, 98, "pengelolaan_keuangan"),
    ("Tersusunnya laporan kinerja", "Jumlah laporan kinerja yang disusun tepat waktu",
     "kuantitas", "laporan", "naik", 4, 12, "akuntabel"),
    ("Tertibnya administrasi perkantoran", "Rata-rata waktu penyelesaian disposisi surat",
     "waktu", "hari", "turun", 2, 5, ""),
    ("Terkelolanya data kinerja", "Persentase data kinerja yang dimutakhirkan", "kualitas",
     "persen", "naik", 85, 100, "manajemen_data"),
)

TAMBAHAN: tuple[Template, ...] = (
    ("Terlaksananya tugas tambahan kepanitiaan", "Jumlah kepanitiaan kegiatan yang diikuti",
     "kuantitas", "kegiatan", "naik", 1, 4, ""),
    ("Terlaksananya berbagi pengetahuan", "Jumlah sesi berbagi pengetahuan yang diberikan",
     "kuantitas", "sesi", "naik", 1, 4, "kompeten"),
    ("Terdukungnya inovasi perangkat daerah", "Jumlah usulan inovasi pelayanan", "kuantitas",
     "usulan", "naik", 1, 3, "adaptif"),
    ("Terlaksananya kerja sama lintas unit",
     "Jumlah kegiatan kolaborasi lintas perangkat daerah", "kuantitas", "kegiatan", "naik", 1, 5,
     "kolaboratif"),
    ("Terlaksananya pembinaan mental pegawai", "Jumlah kegiatan pembinaan yang diikuti",
     "kuantitas", "kegiatan", "naik", 2, 12, "loyal"),
    ("Terjaganya suasana kerja yang kondusif",
     "Jumlah kegiatan kebersamaan pegawai yang difasilitasi", "kuantitas", "kegiatan", "naik",
     1, 4, "harmonis"),
    ("Terlayaninya pertanyaan masyarakat", "Persentase pertanyaan masyarakat yang dijawab",
     "kualitas", "persen", "naik", 85, 100, "berorientasi_pelayanan"),
)

PROFIL: dict[str, Profil] = {
    "setda": Profil(
        "Sekretaris Daerah", "pimpinan_tinggi",
        ("Kepala Bagian Tata Pemerintahan", "Kepala Bagian Hukum", "Kepala Bagian Organisasi",
         "Kepala Bagian Perekonomian dan Sumber Daya Alam", "Kepala Bagian Umum",
         "Kepala Bagian Pengadaan Barang dan Jasa",
         "Kepala Bagian Protokol dan Komunikasi Pimpinan"),
        ("Kepala Subbagian Tata Usaha Pimpinan", "Kepala Subbagian Rumah Tangga",
         "Kepala Subbagian Keuangan", "Kepala Subbagian Otonomi Daerah"),
        (("Analis Kebijakan Ahli Pertama", "fungsional", "S.IP."),
         ("Analis Hukum Ahli Pertama", "fungsional", "S.H."),
         ("Pengelola Pengadaan Barang/Jasa Ahli Pertama", "fungsional", "S.E."),
         ("Pranata Hubungan Masyarakat Ahli Pertama", "fungsional", "S.I.Kom."), _KOMPUTER, _ADM),
        (("Terwujudnya tata kelola pemerintahan yang akuntabel", "Nilai SAKIP Pemerintah Kota",
          "kualitas", "nilai", "naik", 70, 80, "akuntabel"),
         ("Tersusunnya produk hukum daerah",
          "Jumlah rancangan peraturan wali kota yang difasilitasi", "kuantitas", "dokumen",
          "naik", 10, 40, "legislasi"),
         ("Terlaksananya pengadaan barang/jasa pemerintah",
          "Persentase paket pengadaan yang selesai tepat waktu", "waktu", "persen", "naik", 85,
          100, "pengadaan_barang_jasa"),
         ("Terselenggaranya layanan protokol pimpinan",
          "Jumlah kegiatan pimpinan yang difasilitasi", "kuantitas", "kegiatan", "naik", 60, 200,
          ""),
         ("Meningkatnya kualitas kelembagaan perangkat daerah", "Indeks Reformasi Birokrasi",
          "kualitas", "nilai", "naik", 60, 75, "adaptif"),
         ("Terkoordinasinya penyelenggaraan pemerintahan",
          "Jumlah rapat koordinasi pemerintahan yang difasilitasi", "kuantitas", "rapat", "naik",
          12, 48, "pemerintahan_umum")),
        bobot=1.6,
    ),
    "setwan": Profil(
        "Sekretaris DPRD", "pimpinan_tinggi",
        ("Kepala Bagian Umum dan Keuangan", "Kepala Bagian Persidangan dan Perundang-undangan",
         "Kepala Bagian Fasilitasi Penganggaran dan Pengawasan"),
        ("Kepala Subbagian Rapat dan Risalah", "Kepala Subbagian Humas dan Protokol",
         "Kepala Subbagian Keuangan"),
        (("Perancang Peraturan Perundang-undangan Ahli Pertama", "fungsional", "S.H."),
         ("Pranata Hubungan Masyarakat Ahli Pertama", "fungsional", "S.I.Kom."),
         ("Pengadministrasi Persidangan", "pelaksana", ""), _ADM),
        (("Terfasilitasinya fungsi legislasi DPRD",
          "Jumlah ranperda yang difasilitasi pembahasannya", "kuantitas", "ranperda", "naik", 5,
          15, "legislasi"),
         ("Terselenggaranya rapat DPRD", "Jumlah rapat paripurna dan komisi yang difasilitasi",
          "kuantitas", "rapat", "naik", 50, 200, ""),
         ("Tersusunnya risalah rapat", "Rata-rata waktu penyelesaian risalah rapat", "waktu",
          "hari", "turun", 2, 5, "akuntabel"),
         ("Terfasilitasinya reses anggota DPRD", "Jumlah kegiatan reses yang difasilitasi",
          "kuantitas", "kegiatan", "naik", 3, 9, "kolaboratif")),
        bobot=0.8,
    ),
    "inspektorat": Profil(
        "Inspektur", "pimpinan_tinggi",
        ("Sekretaris Inspektorat", "Inspektur Pembantu Wilayah I",
         "Inspektur Pembantu Wilayah II", "Inspektur Pembantu Wilayah III",
         "Inspektur Pembantu Khusus"),
        _SUBBAG,
        (("Auditor Ahli Pertama", "fungsional", "S.Ak."),
         ("Auditor Ahli Muda", "fungsional", "S.E., M.Ak."),
         ("Pengawas Penyelenggaraan Urusan Pemerintahan di Daerah Ahli Pertama", "fungsional",
          "S.IP."), _ADM),
        (("Meningkatnya kualitas pengawasan internal",
          "Jumlah laporan hasil pemeriksaan (LHP) yang diterbitkan", "kuantitas", "LHP", "naik",
          8, 30, "pengawasan_internal"),
         ("Tertindaklanjutinya rekomendasi hasil pemeriksaan",
          "Persentase rekomendasi hasil pemeriksaan yang ditindaklanjuti", "kualitas", "persen",
          "naik", 80, 95, "pengawasan_internal"),
         ("Meningkatnya maturitas SPIP", "Nilai maturitas SPIP", "kualitas", "level", "naik", 3,
          4, "akuntabel"),
         ("Terlaksananya reviu laporan keuangan",
          "Rata-rata waktu penyelesaian reviu laporan keuangan", "waktu", "hari", "turun", 10, 20,
          "pengelolaan_keuangan"),
         ("Tertanganinya pengaduan masyarakat", "Jumlah pengaduan masyarakat yang ditangani",
          "kuantitas", "pengaduan", "naik", 5, 20, "pelayanan_publik")),
        bobot=0.9,
    ),
    "bappeda": Profil(
        "Kepala Badan Perencanaan Pembangunan Daerah", "pimpinan_tinggi",
        ("Sekretaris", "Kepala Bidang Perencanaan, Pengendalian dan Evaluasi Pembangunan",
         "Kepala Bidang Perekonomian dan Sumber Daya Alam",
         "Kepala Bidang Pemerintahan dan Pembangunan Manusia",
         "Kepala Bidang Infrastruktur dan Kewilayahan", "Kepala Bidang Riset dan Inovasi Daerah"),
        _SUBBAG,
        (("Perencana Ahli Pertama", "fungsional", "S.E."),
         ("Perencana Ahli Muda", "fungsional", "S.T., M.T."),
         ("Statistisi Ahli Pertama", "fungsional", "S.Si."), _ADM),
        (("Tersusunnya dokumen perencanaan pembangunan daerah",
          "Jumlah dokumen perencanaan (RKPD, Renja) yang ditetapkan tepat waktu", "kuantitas",
          "dokumen", "naik", 2, 6, "perencanaan_pembangunan"),
         ("Meningkatnya keselarasan program",
          "Persentase program perangkat daerah yang selaras dengan RPJMD", "kualitas", "persen",
          "naik", 85, 100, "perencanaan_pembangunan"),
         ("Terlaksananya evaluasi pembangunan",
          "Jumlah laporan evaluasi capaian pembangunan triwulanan", "kuantitas", "laporan",
          "naik", 4, 8, "manajemen_data"),
         ("Terlaksananya musrenbang", "Jumlah musrenbang kecamatan yang difasilitasi",
          "kuantitas", "kegiatan", "naik", 3, 10, "kolaboratif"),
         ("Tersedianya data statistik sektoral",
          "Jumlah set data statistik sektoral yang dipublikasikan", "kuantitas", "set data",
          "naik", 20, 80, "manajemen_data")),
    ),
    "bkpsdm": Profil(
        "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "pimpinan_tinggi",
        ("Sekretaris", "Kepala Bidang Pengadaan, Pemberhentian dan Informasi",
         "Kepala Bidang Mutasi dan Promosi", "Kepala Bidang Pengembangan Kompetensi Aparatur",
         "Kepala Bidang Penilaian Kinerja Aparatur dan Penghargaan"),
        _SUBBAG,
        (("Analis Sumber Daya Manusia Aparatur Ahli Pertama", "fungsional", "S.Psi."),
         ("Pranata Sumber Daya Manusia Aparatur Terampil", "fungsional", "A.Md."),
         _KOMPUTER, _ADM),
        (("Terlayaninya administrasi kepegawaian",
          "Jumlah usulan kenaikan pangkat yang diproses", "kuantitas", "usulan", "naik", 50, 300,
          "manajemen_asn"),
         ("Terlayaninya administrasi kepegawaian tepat waktu",
          "Rata-rata waktu penerbitan SK kenaikan pangkat", "waktu", "hari", "turun", 7, 14,
          "pelayanan_publik"),
         ("Meningkatnya kompetensi ASN",
          "Persentase ASN yang memenuhi 20 JP pengembangan kompetensi", "kualitas", "persen",
          "naik", 70, 90, "kompeten"),
         ("Terkelolanya penilaian kinerja ASN",
          "Persentase SKP pegawai yang dinilai tepat waktu", "waktu", "persen", "naik", 90, 100,
          "manajemen_asn"),
         ("Termutakhirkannya data kepegawaian", "Persentase data SIASN yang dimutakhirkan",
          "kualitas", "persen", "naik", 90, 100, "manajemen_data")),
    ),
    "bpkad": Profil(
        "Kepala Badan Pengelolaan Keuangan dan Aset Daerah", "pimpinan_tinggi",
        ("Sekretaris", "Kepala Bidang Anggaran", "Kepala Bidang Perbendaharaan",
         "Kepala Bidang Akuntansi", "Kepala Bidang Aset"),
        ("Kepala Subbidang Penerbitan SP2D", "Kepala Subbidang Pelaporan",
         "Kepala Subbidang Penatausahaan Aset", "Kepala Subbagian Umum dan Kepegawaian"),
        (("Analis Keuangan Pusat dan Daerah Ahli Pertama", "fungsional", "S.E."),
         ("Analis Pengelolaan Keuangan APBD Ahli Pertama", "fungsional", "S.Ak."),
         ("Pengelola Barang Milik Daerah", "pelaksana", "A.Md."),
         ("Bendahara Pengeluaran Pembantu", "pelaksana", "")),
        (("Tersalurkannya dana APBD tepat waktu", "Rata-rata waktu penerbitan SP2D", "waktu",
          "hari", "turun", 1, 3, "pengelolaan_keuangan"),
         ("Tersusunnya laporan keuangan daerah",
          "Jumlah laporan keuangan yang disusun tepat waktu", "kuantitas", "laporan", "naik", 4,
          13, "pengelolaan_keuangan"),
         ("Tertibnya penatausahaan aset", "Persentase aset daerah yang tercatat dan bersertifikat",
          "kualitas", "persen", "naik", 80, 95, "manajemen_data"),
         ("Terlayaninya penerbitan SP2D", "Jumlah SP2D yang diterbitkan", "kuantitas",
          "dokumen", "naik", 500, 3000, "pelayanan_publik"),
         ("Tersusunnya APBD tepat waktu", "Jumlah dokumen anggaran yang ditetapkan tepat waktu",
          "kuantitas", "dokumen", "naik", 2, 4, "perencanaan_pembangunan")),
        bobot=1.1,
    ),
    "disdik": Profil(
        "Kepala Dinas Pendidikan dan Kebudayaan", "pimpinan_tinggi",
        ("Sekretaris", "Kepala Bidang Pembinaan Sekolah Dasar",
         "Kepala Bidang Pembinaan Sekolah Menengah Pertama",
         "Kepala Bidang Pendidikan Anak Usia Dini dan Nonformal", "Kepala Bidang Kebudayaan",
         "Kepala Bidang Guru dan Tenaga Kependidikan"),
        ("Kepala Seksi Kurikulum", "Kepala Seksi Sarana dan Prasarana",
         "Kepala Seksi Peserta Didik", "Kepala Subbagian Umum dan Kepegawaian"),
        (("Pengawas Sekolah Ahli Madya", "fungsional", "S.Pd., M.Pd."),
         ("Pamong Belajar Ahli Pertama", "fungsional", "S.Pd."),
         ("Pamong Budaya Ahli Pertama", "fungsional", "S.Hum."),
         ("Analis Data Pendidikan", "pelaksana", "S.Kom."), _ADM),
        (("Meningkatnya akses pendidikan dasar", "Angka partisipasi murni SD/MI", "kualitas",
          "persen", "naik", 95, 99, "pembelajaran"),
         ("Meningkatnya mutu pendidikan", "Persentase sekolah terakreditasi minimal B",
          "kualitas", "persen", "naik", 85, 98, "pembelajaran"),
         ("Terlaksananya supervisi akademik", "Jumlah supervisi sekolah yang dilaksanakan",
          "kuantitas", "sekolah", "naik", 10, 40, "pembelajaran"),
         ("Tersalurkannya dana BOS", "Rata-rata waktu verifikasi laporan BOS", "waktu", "hari",
          "turun", 5, 10, "pengelolaan_keuangan"),
         ("Terlestarikannya cagar budaya", "Jumlah objek cagar budaya yang didokumentasikan",
          "kuantitas", "objek", "naik", 5, 20, ""),
         ("Termutakhirkannya Dapodik", "Persentase data Dapodik yang valid", "kualitas",
          "persen", "naik", 90, 100, "manajemen_data")),
        bobot=1.5,
    ),
    "sekolah": Profil(
        "Kepala Sekolah", "administrator", (),
        ("Kepala Tata Usaha", "Wakil Kepala Sekolah Bidang Kurikulum"),
        (("Guru Ahli Pertama", "fungsional", "S.Pd."), ("Guru Ahli Muda", "fungsional", "S.Pd."),
         ("Guru Ahli Madya", "fungsional", "S.Pd., M.Pd."),
         ("Pustakawan Terampil", "fungsional", "A.Md."), ("Operator Sekolah", "pelaksana", "")),
        (("Terlaksananya pembelajaran yang bermutu", "Persentase peserta didik tuntas KKM",
          "kualitas", "persen", "naik", 80, 95, "pembelajaran"),
         ("Terlaksananya pembelajaran tatap muka", "Jumlah jam tatap muka yang dilaksanakan",
          "kuantitas", "jam", "naik", 600, 900, "pembelajaran"),
         ("Tersusunnya perangkat pembelajaran", "Jumlah modul ajar yang disusun", "kuantitas",
          "modul", "naik", 8, 24, "kompeten"),
         ("Terlaksananya penilaian hasil belajar", "Rata-rata waktu pengolahan nilai rapor",
          "waktu", "hari", "turun", 5, 10, ""),
         ("Meningkatnya literasi peserta didik",
          "Persentase peserta didik mencapai kompetensi minimum literasi", "kualitas", "persen",
          "naik", 60, 85, "pembelajaran"),
         ("Terlaksananya bimbingan peserta didik",
          "Jumlah peserta didik yang mendapat layanan bimbingan", "kuantitas", "siswa", "naik",
          30, 150, "berorientasi_pelayanan")),
        bobot=0.9,
    ),
    "dinkes": Profil(
        "Kepala Dinas Kesehatan", "pimpinan_tinggi",
        ("Sekretaris", "Kepala Bidang Kesehatan Masyarakat",
         "Kepala Bidang Pencegahan dan Pengendalian Penyakit",
         "Kepala Bidang Pelayanan dan Sumber Daya Kesehatan"),
        ("Kepala Seksi Kesehatan Keluarga dan Gizi", "Kepala Seksi Surveilans dan Imunisasi",
         "Kepala Seksi Kefarmasian dan Alat Kesehatan", "Kepala Subbagian Umum dan Kepegawaian"),
        (("Epidemiolog Kesehatan Ahli Pertama", "fungsional", "S.K.M."),
         ("Administrator Kesehatan Ahli Pertama", "fungsional", "S.K.M."),
         ("Nutrisionis Ahli Pertama", "fungsional", "S.Gz."),
         ("Apoteker Ahli Pertama", "fungsional", "S.Farm., Apt."),
         ("Sanitarian Terampil", "fungsional", "A.Md.K.L."), _ADM),
        (("Meningkatnya derajat kesehatan masyarakat", "Prevalensi balita stunting",
          "kualitas", "persen", "turun", 10, 16, "kesehatan_masyarakat"),
         ("Meningkatnya cakupan imunisasi", "Persentase bayi mendapat imunisasi dasar lengkap",
          "kualitas", "persen", "naik", 90, 98, "kesehatan_masyarakat"),
         ("Terlaksananya surveilans penyakit", "Jumlah laporan surveilans mingguan yang dikirim",
          "kuantitas", "laporan", "naik", 40, 52, "manajemen_data"),
         ("Tersedianya obat esensial",
          "Persentase puskesmas dengan ketersediaan obat esensial", "kualitas", "persen", "naik",
          85, 100, ""),
         ("Terbinanya fasilitas kesehatan", "Jumlah fasilitas pelayanan kesehatan yang dibina",
          "kuantitas", "faskes", "naik", 10, 40, "pelayanan_publik"),
         ("Terlaksananya penyelidikan epidemiologi",
          "Rata-rata waktu respons penyelidikan epidemiologi", "waktu", "jam", "turun", 24, 48,
          "kesehatan_masyarakat")),
        ("Penerbitan Surat Izin Praktik Tenaga Kesehatan", "Pelayanan Ambulans Gawat Darurat"),
        bobot=1.2,
    ),
    "puskesmas": Profil(
        "Kepala UPTD Puskesmas", "administrator", (),
        ("Kepala Subbagian Tata Usaha", "Koordinator Upaya Kesehatan Masyarakat"),
        (("Dokter Ahli Pertama", "fungsional", "dr."),
         ("Perawat Ahli Pertama", "fungsional", "S.Kep., Ns."),
         ("Perawat Terampil", "fungsional", "A.Md.Kep."),
         ("Bidan Terampil", "fungsional", "A.Md.Keb."),
         ("Pranata Laboratorium Kesehatan Terampil", "fungsional", "A.Md.A.K."),
         ("Nutrisionis Terampil", "fungsional", "A.Md.Gz."), _ADM),
        (("Terlaksananya pelayanan kesehatan dasar", "Jumlah kunjungan pasien yang dilayani",
          "kuantitas", "kunjungan", "naik", 1500, 6000, "pelayanan_publik"),
         ("Meningkatnya kesehatan ibu dan anak",
          "Persentase ibu hamil mendapat pelayanan antenatal K6", "kualitas", "persen", "naik",
          85, 98, "kesehatan_masyarakat"),
         ("Terlaksananya posyandu", "Jumlah kegiatan posyandu yang dibina", "kuantitas",
          "kegiatan", "naik", 24, 96, "kesehatan_masyarakat"),
         ("Terlayaninya pasien dengan cepat", "Rata-rata waktu tunggu pelayanan rawat jalan",
          "waktu", "menit", "turun", 30, 60, "pelayanan_publik"),
         ("Tercatatnya rekam medis", "Persentase rekam medis elektronik yang lengkap",
          "kualitas", "persen", "naik", 90, 100, "manajemen_data")),
        ("Pelayanan Rawat Jalan", "Pelayanan Kesehatan Ibu dan Anak", "Pelayanan Laboratorium"),
        bobot=1.2,
    ),
    "rsud": Profil(
        "Direktur", "pimpinan_tinggi",
        ("Kepala Bagian Tata Usaha", "Kepala Bidang Pelayanan Medik", "Kepala Bidang Keperawatan",
         "Kepala Bidang Penunjang"),
        ("Kepala Seksi Pelayanan Rawat Inap", "Kepala Seksi Pelayanan Rawat Jalan",
         "Kepala Seksi Asuhan Keperawatan", "Kepala Subbagian Keuangan"),
        (("Dokter Ahli Pertama", "fungsional", "dr."),
         ("Dokter Ahli Madya", "fungsional", "dr., Sp.PD."),
         ("Perawat Ahli Pertama", "fungsional", "S.Kep., Ns."),
         ("Perawat Terampil", "fungsional", "A.Md.Kep."),
         ("Bidan Terampil", "fungsional", "A.Md.Keb."),
         ("Apoteker Ahli Pertama", "fungsional", "S.Farm., Apt."),
         ("Perekam Medis Terampil", "fungsional", "A.Md.RMIK."),
         ("Radiografer Terampil", "fungsional", "A.Md.Rad.")),
        (("Meningkatnya mutu pelayanan rumah sakit", "Bed Occupancy Rate (BOR)", "kualitas",
          "persen", "naik", 60, 80, "pelayanan_publik"),
         ("Terlayaninya pasien rawat jalan", "Jumlah pasien rawat jalan yang dilayani",
          "kuantitas", "pasien", "naik", 2000, 8000, "pelayanan_publik"),
         ("Menurunnya waktu tunggu pasien", "Rata-rata waktu tunggu pelayanan rawat jalan",
          "waktu", "menit", "turun", 45, 60, "berorientasi_pelayanan"),
         ("Meningkatnya keselamatan pasien", "Persentase kepatuhan identifikasi pasien",
          "kualitas", "persen", "naik", 95, 100, "kesehatan_masyarakat"),
         ("Terlaksananya asuhan keperawatan",
          "Jumlah asuhan keperawatan yang didokumentasikan", "kuantitas", "dokumen", "naik", 300,
          1200, "kompeten"),
         ("Meningkatnya pendapatan BLUD", "Persentase realisasi pendapatan BLUD", "biaya",
          "persen", "naik", 90, 100, "pengelolaan_keuangan")),
        ("Pelayanan Rawat Jalan", "Pelayanan Rawat Inap", "Pelayanan Instalasi Gawat Darurat"),
        bobot=2.5,
    ),
    "dukcapil": Profil(
        "Kepala Dinas Kependudukan dan Pencatatan Sipil", "pimpinan_tinggi",
        ("Sekretaris", "Kepala Bidang Pelayanan Pendaftaran Penduduk",
         "Kepala Bidang Pelayanan Pencatatan Sipil",
         "Kepala Bidang Pengelolaan Informasi Administrasi Kependudukan"),
        ("Kepala Seksi Identitas Penduduk", "Kepala Seksi Kelahiran dan Kematian",
         "Kepala Seksi Pengolahan dan Penyajian Data", "Kepala Subbagian Umum dan Kepegawaian"),
        (("Administrator Database Kependudukan Ahli Pertama", "fungsional", "S.Kom."),
         ("Operator Layanan Operasional", "pelaksana", ""),
         ("Pengolah Data dan Informasi", "pelaksana", "A.Md."),
         ("Verifikator Berkas Kependudukan", "pelaksana", "")),
        (("Terlayaninya penerbitan dokumen kependudukan", "Rata-rata waktu penerbitan KTP-el",
          "waktu", "hari", "turun", 3, 3, "administrasi_kependudukan"),
         ("Terlayaninya penerbitan KTP-el", "Jumlah KTP-el yang diterbitkan", "kuantitas",
          "keping", "naik", 1500, 6000, "pelayanan_publik"),
         ("Meningkatnya kepemilikan akta kelahiran",
          "Persentase anak yang memiliki akta kelahiran", "kualitas", "persen", "naik", 95, 99,
          "administrasi_kependudukan"),
         ("Terlayaninya penerbitan Kartu Identitas Anak",
          "Jumlah Kartu Identitas Anak yang diterbitkan", "kuantitas", "keping", "naik", 500,
          3000, "pelayanan_publik"),
         ("Termutakhirkannya database kependudukan",
          "Persentase data kependudukan yang dimutakhirkan", "kualitas", "persen", "naik", 95,
          100, "manajemen_data"),
         ("Terlayaninya akta pencatatan sipil", "Rata-rata waktu penerbitan akta kelahiran",
          "waktu", "hari", "turun", 1, 3, "administrasi_kependudukan")),
        ("Penerbitan KTP-el", "Penerbitan Akta Kelahiran", "Penerbitan Kartu Keluarga",
         "Penerbitan Kartu Identitas Anak"),
        bobot=1.1,
    ),
    "dinsos": Profil(
        "Kepala Dinas Sosial", "pimpinan_tinggi",
        ("Sekretaris", "Kepala Bidang Rehabilitasi Sosial",
         "Kepala Bidang Perlindungan dan Jaminan Sosial", "Kepala Bidang Pemberdayaan Sosial"),
        ("Kepala Seksi Rehabilitasi Anak dan Lanjut Usia", "Kepala Seksi Jaminan Sosial Keluarga",
         "Kepala Subbagian Umum dan Kepegawaian"),
        (("Pekerja Sosial Ahli Pertama", "fungsional", "S.Sos."),
         ("Penyuluh Sosial Ahli Pertama", "fungsional", "S.Sos."),
         ("Pengelola Data Kesejahteraan Sosial", "pelaksana", ""), _ADM),
        (("Terlindunginya warga miskin", "Persentase data DTKS yang diverifikasi dan divalidasi",
          "kualitas", "persen", "naik", 85, 100, "manajemen_data"),
         ("Tersalurkannya bantuan sosial", "Jumlah keluarga penerima manfaat bantuan sosial",
          "kuantitas", "KPM", "naik", 300, 2000, "perlindungan_sosial"),
         ("Terehabilitasinya PMKS",
          "Jumlah penyandang masalah kesejahteraan sosial yang direhabilitasi", "kuantitas",
          "orang", "naik", 20, 100, "perlindungan_sosial"),
         ("Terlayaninya rekomendasi bantuan",
          "Rata-rata waktu penerbitan rekomendasi jaminan kesehatan", "waktu", "hari", "turun", 1,
          3, "pelayanan_publik")),
        ("Layanan Rekomendasi Jaminan Kesehatan", "Layanan Pengaduan Bantuan Sosial"),
    ),
    "pupr": Profil(
        "Kepala Dinas Pekerjaan Umum dan Penataan Ruang", "pimpinan_tinggi",
        ("Sekretaris", "Kepala Bidang Bina Marga", "Kepala Bidang Sumber Daya Air",
         "Kepala Bidang Cipta Karya", "Kepala Bidang Penataan Ruang"),
        ("Kepala Seksi Pembangunan Jalan dan Jembatan", "Kepala Seksi Drainase",
         "Kepala Seksi Bangunan Gedung", "Kepala Subbagian Umum dan Kepegawaian"),
        (("Teknik Jalan dan Jembatan Ahli Pertama", "fungsional", "S.T."),
         ("Penata Ruang Ahli Pertama", "fungsional", "S.T."),
         ("Teknik Pengairan Ahli Pertama", "fungsional", "S.T."),
         ("Pengawas Lapangan", "pelaksana", "A.Md.T."),
         ("Operator Alat Berat", "pelaksana", "")),
        (("Meningkatnya kondisi jalan", "Persentase panjang jalan kota dalam kondisi mantap",
          "kualitas", "persen", "naik", 75, 90, "penataan_ruang"),
         ("Terpeliharanya jalan kota", "Panjang jalan yang dipelihara", "kuantitas", "km",
          "naik", 10, 40, ""),
         ("Tertanganinya drainase", "Panjang saluran drainase yang dinormalisasi", "kuantitas",
          "meter", "naik", 500, 3000, ""),
         ("Terlayaninya persetujuan teknis", "Rata-rata waktu penerbitan rekomendasi teknis PBG",
          "waktu", "hari", "turun", 5, 14, "perizinan"),
         ("Terkendalinya pemanfaatan ruang", "Jumlah KKPR yang dikendalikan", "kuantitas",
          "dokumen", "naik", 20, 100, "penataan_ruang"),
         ("Terserapnya anggaran fisik", "Persentase realisasi fisik pekerjaan konstruksi",
          "biaya", "persen", "naik", 90, 100, "pengadaan_barang_jasa")),
        bobot=1.2,
    ),
    "dishub": Profil(
        "Kepala Dinas Perhubungan", "pimpinan_tinggi",
        ("Sekretaris", "Kepala Bidang Lalu Lintas dan Angkutan",
         "Kepala Bidang Sarana dan Prasarana", "Kepala Bidang Perparkiran"),
        ("Kepala Seksi Manajemen Rekayasa Lalu Lintas", "Kepala Seksi Angkutan",
         "Kepala Seksi Pengujian Sarana", "Kepala Subbagian Umum dan Kepegawaian"),
        (("Penguji Kendaraan Bermotor Terampil", "fungsional", "A.Md."),
         ("Asisten Penguji Kendaraan Bermotor", "fungsional", ""),
         ("Pengatur Lalu Lintas", "pelaksana", ""), ("Pengelola Parkir", "pelaksana", "")),
        (("Terlaksananya pengujian kendaraan bermotor", "Jumlah kendaraan wajib uji yang diuji",
          "kuantitas", "kendaraan", "naik", 800, 3000, "transportasi"),
         ("Meningkatnya pendapatan retribusi parkir",
          "Persentase realisasi target retribusi parkir", "biaya", "persen", "naik", 85, 100,
          "pengelolaan_keuangan"),
         ("Tertibnya lalu lintas", "Jumlah titik rawan kemacetan yang ditangani", "kuantitas",
          "titik", "naik", 4, 12, "transportasi"),
         ("Terpasangnya perlengkapan jalan", "Jumlah rambu lalu lintas yang dipasang",
          "kuantitas", "unit", "naik", 20, 100, ""),
         ("Terlayaninya uji KIR", "Rata-rata waktu pelayanan uji KIR", "waktu", "menit",
          "turun", 45, 90, "pelayanan_publik")),
        ("Pengujian Kendaraan Bermotor", "Pelayanan Parkir Tepi Jalan"),
    ),
    "dlh": Profil(
        "Kepala Dinas Lingkungan Hidup", "pimpinan_tinggi",
        ("Sekretaris", "Kepala Bidang Pengelolaan Sampah",
         "Kepala Bidang Penataan dan Penaatan Lingkungan", "Kepala Bidang Pengendalian Pencemaran"),
        ("Kepala Seksi Pengurangan Sampah", "Kepala Seksi Penanganan Sampah",
         "Kepala Subbagian Umum dan Kepegawaian"),
        (("Pengendali Dampak Lingkungan Ahli Pertama", "fungsional", "S.Si."),
         ("Pengawas Lingkungan Hidup Ahli Pertama", "fungsional", "S.T."),
         ("Operator Pengelolaan Sampah", "pelaksana", ""),
         ("Pengemudi Truk Sampah", "pelaksana", "")),
        (("Meningkatnya pengelolaan sampah", "Persentase sampah yang tertangani", "kualitas",
          "persen", "naik", 75, 95, "lingkungan_hidup"),
         ("Terangkutnya sampah ke TPA", "Volume sampah yang diangkut ke TPA", "kuantitas", "ton",
          "naik", 3000, 12000, "lingkungan_hidup"),
         ("Terawasinya usaha dan kegiatan", "Jumlah usaha yang diawasi ketaatan lingkungannya",
          "kuantitas", "usaha", "naik", 20, 60, "lingkungan_hidup"),
         ("Meningkatnya kualitas air", "Indeks Kualitas Air", "kualitas", "nilai", "naik", 50,
          60, "lingkungan_hidup"),
         ("Terbinanya bank sampah", "Jumlah bank sampah aktif yang dibina", "kuantitas", "unit",
          "naik", 10, 40, "kolaboratif")),
    ),
    "dispar": Profil(
        "Kepala Dinas Pariwisata", "pimpinan_tinggi",
        ("Sekretaris", "Kepala Bidang Destinasi Pariwisata", "Kepala Bidang Pemasaran Pariwisata",
         "Kepala Bidang Ekonomi Kreatif"),
        ("Kepala Seksi Pengembangan Destinasi", "Kepala Seksi Promosi",
         "Kepala Subbagian Umum dan Kepegawaian"),
        (("Adyatama Kepariwisataan dan Ekonomi Kreatif Ahli Pertama", "fungsional", "S.Par."),
         ("Pengelola Objek Wisata", "pelaksana", ""), _ADM),
        (("Meningkatnya kunjungan wisatawan", "Jumlah kunjungan wisatawan", "kuantitas",
          "orang", "naik", 50000, 300000, "pariwisata"),
         ("Terselenggaranya event pariwisata", "Jumlah event pariwisata yang diselenggarakan",
          "kuantitas", "event", "naik", 4, 15, "pariwisata"),
         ("Meningkatnya PAD sektor pariwisata", "Persentase realisasi retribusi objek wisata",
          "biaya", "persen", "naik", 85, 100, "pengelolaan_keuangan"),
         ("Terbinanya pelaku ekonomi kreatif", "Jumlah pelaku ekonomi kreatif yang dibina",
          "kuantitas", "pelaku", "naik", 20, 80, "kolaboratif"),
         ("Terpromosikannya destinasi wisata",
          "Jumlah konten promosi wisata yang dipublikasikan", "kuantitas", "konten", "naik", 24,
          120, "adaptif")),
        bobot=0.8,
    ),
    "dpmptsp": Profil(
        "Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "pimpinan_tinggi",
        ("Sekretaris", "Kepala Bidang Pelayanan Perizinan", "Kepala Bidang Penanaman Modal",
         "Kepala Bidang Pengaduan dan Informasi Pelayanan"),
        ("Kepala Seksi Perizinan Usaha", "Kepala Seksi Perizinan Non-Usaha",
         "Kepala Seksi Promosi Penanaman Modal", "Kepala Subbagian Umum dan Kepegawaian"),
        (("Penata Perizinan Ahli Pertama", "fungsional", "S.H."),
         ("Pengelola Layanan Perizinan", "pelaksana", ""), _KOMPUTER, _ADM),
        (("Terlayaninya perizinan berusaha", "Jumlah izin yang diterbitkan melalui OSS RBA",
          "kuantitas", "izin", "naik", 300, 1500, "perizinan"),
         ("Terlayaninya perizinan tepat waktu", "Rata-rata waktu penerbitan izin", "waktu",
          "hari", "turun", 3, 7, "pelayanan_publik"),
         ("Meningkatnya investasi daerah", "Realisasi nilai investasi", "kuantitas",
          "miliar rupiah", "naik", 100, 600, ""),
         ("Meningkatnya kepuasan masyarakat", "Nilai IKM pelayanan perizinan", "kualitas",
          "nilai", "naik", 85, 90, "berorientasi_pelayanan"),
         ("Tertanganinya pengaduan perizinan",
          "Persentase pengaduan perizinan yang diselesaikan", "kualitas", "persen", "naik", 90,
          100, "pelayanan_publik")),
        ("Perizinan Berusaha", "Persetujuan Bangunan Gedung", "Izin Praktik Tenaga Kesehatan",
         "Layanan Pengaduan Perizinan"),
        bobot=0.9,
    ),
    "satpolpp": Profil(
        "Kepala Satuan Polisi Pamong Praja", "pimpinan_tinggi",
        ("Sekretaris", "Kepala Bidang Penegakan Peraturan Daerah",
         "Kepala Bidang Ketertiban Umum dan Ketenteraman Masyarakat",
         "Kepala Bidang Perlindungan Masyarakat"),
        ("Kepala Seksi Operasi dan Pengendalian", "Kepala Seksi Penyelidikan dan Penyidikan",
         "Kepala Subbagian Umum dan Kepegawaian"),
        (("Polisi Pamong Praja Terampil", "fungsional", ""),
         ("Polisi Pamong Praja Ahli Pertama", "fungsional", "S.H."), _ADM),
        (("Tegaknya peraturan daerah", "Jumlah pelanggaran perda yang ditindak", "kuantitas",
          "kasus", "naik", 30, 150, "ketertiban_umum"),
         ("Terwujudnya ketertiban umum", "Jumlah patroli ketertiban yang dilaksanakan",
          "kuantitas", "patroli", "naik", 100, 365, "ketertiban_umum"),
         ("Tertanganinya pengaduan ketertiban", "Rata-rata waktu respons pengaduan ketertiban",
          "waktu", "jam", "turun", 6, 24, "pelayanan_publik"),
         ("Terbinanya satuan perlindungan masyarakat", "Jumlah anggota linmas yang dilatih",
          "kuantitas", "orang", "naik", 50, 200, "kolaboratif"),
         ("Meningkatnya ketaatan terhadap perda",
          "Persentase pelaku usaha yang taat perda", "kualitas", "persen", "naik", 80, 95,
          "ketertiban_umum")),
        bobot=1.2,
    ),
    "kecamatan": Profil(
        "Camat", "administrator", ("Sekretaris Kecamatan",),
        ("Kepala Seksi Pemerintahan", "Kepala Seksi Pelayanan Umum",
         "Kepala Seksi Ketenteraman dan Ketertiban Umum", "Kepala Seksi Pemberdayaan Masyarakat",
         "Kepala Subbagian Umum dan Kepegawaian"),
        (("Analis Pemerintahan", "pelaksana", "S.IP."),
         ("Pengolah Data Pelayanan", "pelaksana", ""), _ADM),
        (("Terselenggaranya PATEN", "Jumlah pelayanan administrasi terpadu kecamatan",
          "kuantitas", "layanan", "naik", 300, 1500, "pelayanan_publik"),
         ("Terlayaninya surat keterangan", "Rata-rata waktu penyelesaian surat keterangan",
          "waktu", "hari", "turun", 1, 2, "pelayanan_publik"),
         ("Terkoordinasinya kelurahan", "Jumlah rapat koordinasi kelurahan", "kuantitas",
          "rapat", "naik", 12, 24, "pemerintahan_umum"),
         ("Terfasilitasinya musrenbang kelurahan",
          "Jumlah musrenbang kelurahan yang difasilitasi", "kuantitas", "kegiatan", "naik", 3,
          10, "perencanaan_pembangunan"),
         ("Tertibnya wilayah kecamatan", "Persentase gangguan ketertiban yang tertangani",
          "kualitas", "persen", "naik", 85, 100, "ketertiban_umum")),
        ("Pelayanan Administrasi Terpadu Kecamatan (PATEN)", "Penerbitan Surat Keterangan"),
        bobot=0.8,
    ),
}

# Real OPD kinds, in the order they are kept when a small instansi has few units.
URUTAN_OPD: tuple[tuple[str, str], ...] = (
    ("setda", "Sekretariat Daerah"),
    ("dukcapil", "Dinas Kependudukan dan Pencatatan Sipil"),
    ("dpmptsp", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"),
    ("dinkes", "Dinas Kesehatan"),
    ("disdik", "Dinas Pendidikan dan Kebudayaan"),
    ("kecamatan", "0"),
    ("bkpsdm", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"),
    ("bpkad", "Badan Pengelolaan Keuangan dan Aset Daerah"),
    ("rsud", ""),
    ("inspektorat", "Inspektorat"),
    ("bappeda", "Badan Perencanaan Pembangunan Daerah"),
    ("kecamatan", "1"),
    ("dishub", "Dinas Perhubungan"),
    ("dinsos", "Dinas Sosial"),
    ("pupr", "Dinas Pekerjaan Umum dan Penataan Ruang"),
    ("kecamatan", "2"),
    ("dlh", "Dinas Lingkungan Hidup"),
    ("satpolpp", "Satuan Polisi Pamong Praja"),
    ("setwan", "Sekretariat DPRD"),
    ("dispar", "Dinas Pariwisata"),
    ("kecamatan", "3"),
    ("kecamatan", "4"),
)

# Numbered units used when an instansi has more staff than its real OPDs hold:
# (name prefix, name suffix, profile, parent kind, head title, share of the extra units).
TAMBAHAN_UNIT: tuple[tuple[str, str, str, str, str, float], ...] = (
    ("SD Negeri ", " {kota}", "sekolah", "disdik", "Kepala Sekolah", 0.50),
    ("SMP Negeri ", " {kota}", "sekolah", "disdik", "Kepala Sekolah", 0.15),
    ("UPTD Puskesmas {kota} ", "", "puskesmas", "dinkes", "Kepala UPTD Puskesmas", 0.20),
    ("UPTD Pengelolaan Sampah ", "", "dlh", "dlh", "Kepala UPTD", 0.06),
    ("UPTD Pengujian Kendaraan Bermotor ", "", "dishub", "dishub", "Kepala UPTD", 0.04),
    ("UPTD Peralatan dan Perbengkelan ", "", "pupr", "pupr", "Kepala UPTD", 0.05),
)

NAMA: dict[str, dict[int, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "minang": {
        1: (("Afrizal", "Rahmat", "Yulianto", "Dedi", "Hendri", "Zulkifli", "Ridwan", "Syafrizal",
             "Erizal", "Fadli", "Andika", "Irwan", "Zulfahmi", "Rizki", "Fauzan", "Novrizal",
             "Yosrizal", "Hamdani", "Taufik", "Arif", "Muhammad", "Ilham", "Firdaus", "Yusril"),
            ("Hidayat", "Putra", "Saputra", "Syahputra", "Efendi", "Rahman", "Azwar", "Hamdi",
             "Fikri", "Malin", "Datuak", "Sutan", "Marajo", "Kurniawan", "Pratama", "Arifin")),
        2: (("Yulia", "Deswita", "Rika", "Nofriani", "Elfi", "Yusnimar", "Wirdaningsih", "Fitri",
             "Rahmi", "Yossi", "Desi", "Sri", "Lusi", "Mardiah", "Nurhasanah", "Zulfa", "Silvia",
             "Annisa", "Rani", "Vivi", "Gusnita", "Yelli", "Ratna", "Irma"),
            ("Susanti", "Fitriani", "Yanti", "Wahyuni", "Rahmawati", "Handayani", "Oktavia",
             "Novita", "Marlina", "Sari", "Yusnita", "Elvina", "Rosmaini", "Hasanah", "Putri")),
    },
    "kalteng": {
        1: (("Tambun", "Bungai", "Nyahu", "Lewis", "Hendra", "Budi", "Agus", "Gusti", "Muhammad",
             "Akhmad", "Rusliansyah", "Yohanes", "Fransiskus", "Sabran", "Darmawan", "Heriyanto",
             "Andreas", "Norhadi", "Supriyanto", "Joko", "Wahyudi", "Riban", "Kristian", "Yanto"),
            ("Dohong", "Anggen", "Tingang", "Sahay", "Ranying", "Santoso", "Prasetyo", "Noor",
             "Rizky", "Pratama", "Nugroho", "Usup", "Bahat", "Saputra", "Antang", "Setiawan")),
        2: (("Siti", "Sri", "Norhayati", "Maria", "Yuliana", "Ester", "Rahmah", "Dewi", "Endang",
             "Kristina", "Herlina", "Rusmini", "Fitria", "Nurul", "Agustina", "Rosalina",
             "Lestari", "Novia", "Maulida", "Yunita", "Eka", "Ratih", "Winda", "Hairunnisa"),
            ("Wahyuni", "Aisyah", "Rahayu", "Lestari", "Handayani", "Kartika", "Anggraini",
             "Fitriani", "Rahmawati", "Noorhasanah", "Damayanti", "Kurniasih", "Utami",
             "Pertiwi", "Sari")),
    },
}
GELAR_PIMPINAN = ("S.Sos., M.Si.", "S.E., M.M.", "S.T., M.T.", "S.H., M.H.", "S.Pd., M.Pd.",
                  "S.STP., M.Si.", "S.E., M.Ak.", "S.K.M., M.Kes.", "S.IP., M.AP.")
GELAR_PENGAWAS = ("S.E.", "S.Sos.", "S.Kom.", "S.H.", "S.IP.", "S.E., M.Si.", "S.STP.", "S.T.")
GELAR_UMUM = ("A.Md.", "S.E.", "S.Kom.", "S.Sos.")

# (nama_pelatihan, kompetensi, jp)
KATALOG: tuple[tuple[str, str, int], ...] = (
    ("Pelatihan Pelayanan Prima", "berorientasi_pelayanan", 24),
    ("Pelatihan Service Excellence bagi ASN", "berorientasi_pelayanan", 16),
    ("Pelatihan Integritas dan Antikorupsi", "akuntabel", 16),
    ("Bimtek Akuntabilitas Kinerja Instansi Pemerintah", "akuntabel", 24),
    ("Pelatihan Pengembangan Kompetensi Teknis Jabatan", "kompeten", 32),
    ("Pelatihan Coaching dan Mentoring", "kompeten", 16),
    ("Pelatihan Komunikasi Efektif dan Empati", "harmonis", 8),
    ("Pelatihan Pengelolaan Konflik di Tempat Kerja", "harmonis", 16),
    ("Orientasi Wawasan Kebangsaan dan Nilai Bela Negara", "loyal", 24),
    ("Pelatihan Etika dan Kode Perilaku ASN", "loyal", 8),
    ("Pelatihan Manajemen Perubahan", "adaptif", 16),
    ("Pelatihan Literasi Digital ASN", "adaptif", 8),
    ("Pelatihan Kerja Tim dan Kolaborasi Lintas Sektor", "kolaboratif", 16),
    ("Pelatihan Design Thinking untuk Inovasi Pelayanan", "kolaboratif", 24),
    ("Bimtek Standar Pelayanan Publik", "pelayanan_publik", 16),
    ("Pelatihan Pengelolaan Pengaduan Masyarakat", "pelayanan_publik", 8),
    ("Bimtek Pengelolaan Keuangan Daerah", "pengelolaan_keuangan", 32),
    ("Bimtek Penatausahaan Keuangan SIPD", "pengelolaan_keuangan", 16),
    ("Pelatihan Analisis dan Visualisasi Data", "manajemen_data", 24),
    ("Bimtek Satu Data Indonesia", "manajemen_data", 8),
    ("Bimtek Penyusunan Dokumen Perencanaan Pembangunan Daerah", "perencanaan_pembangunan", 32),
    ("Pelatihan Pengadaan Barang/Jasa Pemerintah Tingkat Dasar", "pengadaan_barang_jasa", 32),
    ("Diklat Auditor Ahli Pertama", "pengawasan_internal", 40),
    ("Bimtek Manajemen ASN dan SIASN", "manajemen_asn", 16),
    ("Pelatihan Kesehatan Masyarakat dan Surveilans", "kesehatan_masyarakat", 24),
    ("Pelatihan Pembelajaran Berdiferensiasi", "pembelajaran", 32),
    ("Bimtek Pengendalian Pemanfaatan Ruang", "penataan_ruang", 24),
    ("Pelatihan Manajemen Lalu Lintas dan Angkutan", "transportasi", 24),
    ("Bimtek Pengelolaan Sampah dan Lingkungan Hidup", "lingkungan_hidup", 16),
    ("Pelatihan Pengembangan Destinasi Pariwisata", "pariwisata", 16),
    ("Bimtek Perizinan Berusaha Berbasis Risiko (OSS RBA)", "perizinan", 16),
    ("Pelatihan Teknis Polisi Pamong Praja", "ketertiban_umum", 32),
    ("Bimtek Administrasi Kependudukan", "administrasi_kependudukan", 16),
    ("Bimtek Data Terpadu Kesejahteraan Sosial", "perlindungan_sosial", 16),
    ("Bimtek Penyusunan Produk Hukum Daerah", "legislasi", 24),
    ("Bimtek Penyelenggaraan Pemerintahan Kecamatan", "pemerintahan_umum", 16),
    ("Diklat Kepemimpinan Pengawas", "kepemimpinan", 40),
    ("Diklat Kepemimpinan Administrator", "kepemimpinan", 40),
)
# Trainings attended outside the catalogue (kept few on purpose).
PELATIHAN_LUAR: tuple[tuple[str, str, int], ...] = (
    ("Workshop Penulisan Karya Tulis Ilmiah", "kompeten", 8),
    ("Seminar Nasional Reformasi Birokrasi", "adaptif", 4),
    ("Webinar Keamanan Informasi bagi ASN", "manajemen_data", 2),
)

CATATAN_UMPAN_BALIK: dict[str, tuple[str, ...]] = {
    "coaching": (
        "Membahas langkah percepatan capaian indikator yang masih di bawah target.",
        "Menyepakati rencana aksi bulanan agar target triwulan berikutnya tercapai.",
        "Diskusi cara menyusun laporan capaian yang lebih rapi dan tepat waktu.",
    ),
    "counseling": (
        "Membahas kendala kehadiran dan disiplin jam kerja.",
        "Pendampingan terkait beban kerja dan kendala pribadi yang memengaruhi kinerja.",
        "Membahas sikap dalam melayani masyarakat setelah ada pengaduan.",
    ),
    "mentoring": (
        "Berbagi pengalaman penyusunan dokumen perencanaan dan penganggaran.",
        "Pendampingan penggunaan aplikasi e-Kinerja dan pelaporan bukti dukung.",
        "Membimbing penyusunan telaahan staf untuk pimpinan.",
    ),
    "apresiasi": (
        "Apresiasi atas penyelesaian pekerjaan sebelum tenggat.",
        "Terima kasih atas inisiatif inovasi pelayanan yang diterapkan di unit.",
        "Apresiasi atas kerja sama yang baik dalam kegiatan lintas bidang.",
    ),
}
CATATAN_ATASAN = ("", "", "Konsisten dan dapat diandalkan.", "Perlu meningkatkan ketepatan waktu.",
                  "Aktif berkolaborasi dengan rekan kerja.", "Responsif dalam pelayanan.")
CATATAN_REKAN = ("Umpan balik rekan kerja.", "Rekan kerja yang suportif.",
                 "Komunikasi dalam tim dapat ditingkatkan.")

HEADERS: dict[str, tuple[str, ...]] = {
    "unit_kerja": ("kode_unit", "nama_unit", "kode_instansi", "nama_instansi",
                   "predikat_organisasi"),
    "pegawai": ("nip", "nama", "kode_unit", "jabatan", "jenis_jabatan", "nip_atasan", "email"),
    "skp": ("id_indikator", "nip", "tahun", "rencana_hasil_kerja", "indikator", "aspek",
            "target", "satuan", "arah", "jenis", "id_indikator_atasan", "kompetensi"),
    "realisasi": ("id_indikator", "periode", "realisasi"),
    "perilaku": ("nip", "nip_penilai", "periode", *BERAKHLAK, "catatan"),
    "umpan_balik": ("nip", "dari_nip", "tanggal", "jenis", "catatan"),
    "survei_masyarakat": ("kode_unit", "periode", "layanan", "jumlah_responden", "nilai_ikm"),
    "riwayat_pelatihan": ("nip", "nama_pelatihan", "kompetensi", "tanggal", "jp"),
    "katalog_pelatihan": ("kode_pelatihan", "nama_pelatihan", "kompetensi", "jp"),
    "rating_atasan": ("nip", "rating_hasil_kerja", "rating_perilaku", "alasan"),
}

# Employee archetypes: (share, performance low, performance high, behaviour mean)
_TIPE = (
    (0.10, 1.10, 1.22, 4.45),  # bintang: above expectations on both axes
    (0.72, 0.95, 1.05, 3.50),  # sesuai
    (0.10, 0.62, 0.86, 3.35),  # hasil kerja di bawah
    (0.05, 0.95, 1.05, 2.80),  # perilaku bermasalah (one value forced to 1)
    (0.03, 0.60, 0.84, 2.30),  # both below
)
_EFEK_UNIT = {"Istimewa": 0.04, "Baik": 0.0, "Butuh Perbaikan": -0.06, "Kurang": -0.10}
_REALISASI_CHUNK = 400_000  # indicators per realisasi write batch (~4.8M rows)


# --------------------------------------------------------------------------------------------
# Vectorised string helpers (pyarrow compute)
# --------------------------------------------------------------------------------------------


def _pick(choices: Sequence[str], idx: np.ndarray) -> pa.Array:
    """Take strings from a small vocabulary by integer codes, without Python loops."""
    return pa.array(list(choices), pa.string()).take(pa.array(np.asarray(idx, dtype=np.int64)))


def _cat(*parts: pa.Array | str) -> pa.Array:
    """Concatenate string arrays/scalars element-wise."""
    return pc.binary_join_element_wise(*parts, "")


def _num(values: np.ndarray, width: int = 0) -> pa.Array:
    """Integers as strings, optionally zero-padded."""
    out = pc.cast(pa.array(np.asarray(values, dtype=np.int64)), pa.string())
    return pc.utf8_lpad(out, width, "0") if width else out


def _dec(values: np.ndarray) -> pa.Array:
    """Floats rounded to 2 decimals, shortest text form ('3', '12.5', '97.25')."""
    return pc.cast(pa.array(np.round(np.asarray(values, dtype=np.float64), 2) + 0.0), pa.string())


def _where(mask: np.ndarray, a: pa.Array | str, b: pa.Array | str) -> pa.Array:
    """Element-wise choice between two string arrays/scalars."""
    return pc.if_else(pa.array(np.asarray(mask, dtype=bool)), a, b)


def _nulls_to_empty(arr: pa.Array) -> pa.Array:
    return pc.fill_null(pc.cast(arr, pa.string()), "")


def _csv_field(arr: pa.Array) -> pa.Array:
    """Quote a CSV field only where needed (comma, quote or line break inside)."""
    arr = _nulls_to_empty(arr)
    need = pc.match_substring_regex(arr, r'[",\r\n]')
    if not pc.any(need).as_py():
        return arr
    quoted = _cat('"', pc.replace_substring(arr, '"', '""'), '"')
    return pc.if_else(need, quoted, arr)


# Free-text columns: the only ones that may need CSV quoting (codes, dates and numbers never do).
_TEKS = frozenset({
    "nama", "nama_unit", "nama_instansi", "jabatan", "email", "rencana_hasil_kerja", "indikator",
    "satuan", "catatan", "layanan", "nama_pelatihan", "alasan", "kode_unit",
})


class _CsvWriter:
    """Write a CSV file (UTF-8, header, ',' separator, LF) from batches of string columns."""

    def __init__(self, path: Path, header: Sequence[str]) -> None:
        self.path = path
        self.header = tuple(header)
        self.rows = 0
        self._fh = open(path, "wb")  # noqa: SIM115 - closed in close()
        self._fh.write((",".join(self.header) + "\n").encode("utf-8"))

    def write(self, columns: Mapping[str, pa.Array | np.ndarray]) -> None:
        cols = [_as_str(columns[name]) for name in self.header]
        n = len(cols[0])
        if n == 0:
            return
        fields = [_csv_field(c) if name in _TEKS else _nulls_to_empty(c)
                  for name, c in zip(self.header, cols, strict=True)]
        self._fh.write(buffer_bytes(_cat(pc.binary_join_element_wise(*fields, ","), "\n")))
        self.rows += n

    def close(self) -> int:
        self._fh.close()
        return self.rows


def _as_str(values: pa.Array | np.ndarray | Sequence) -> pa.Array:
    """Any column (numpy ints/floats, arrow strings) as an arrow string array."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if isinstance(values, pa.Array):
        return values if pa.types.is_string(values.type) else pc.cast(values, pa.string())
    arr = np.asarray(values)
    if arr.dtype.kind in "iu":
        return _num(arr)
    if arr.dtype.kind == "f":
        return _dec(arr)
    return pa.array(arr.tolist(), pa.string())


def _write(path: Path, header: Sequence[str], columns: Mapping[str, pa.Array | np.ndarray]) -> int:
    writer = _CsvWriter(path, header)
    writer.write(columns)
    return writer.close()


# --------------------------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------------------------

_PROFIL_KEYS: tuple[str, ...] = tuple(PROFIL)
_JENIS = ("pimpinan_tinggi", "administrator", "pengawas", "fungsional", "pelaksana")


def _rng(seed: int, bagian: int) -> np.random.Generator:
    """One independent stream per part, so toggling one part never shifts another."""
    return np.random.default_rng([seed, bagian])


def _flat(lists: Sequence[Sequence]) -> tuple[list, np.ndarray, np.ndarray]:
    """Concatenate per-profile lists into one vocabulary with offsets and lengths."""
    flat: list = []
    off, length = [], []
    for items in lists:
        off.append(len(flat))
        length.append(len(items))
        flat.extend(items)
    return flat, np.asarray(off, dtype=np.int64), np.asarray(length, dtype=np.int64)


def _draw(rng: np.random.Generator, length: np.ndarray) -> np.ndarray:
    """A uniform integer in [0, length) per element (length may vary per element)."""
    return np.minimum((rng.random(len(length)) * length).astype(np.int64), np.maximum(length - 1, 0))


@dataclass
class _Unit:
    """Work units of all instansi, one array element per unit."""

    kode: pa.Array
    nama: pa.Array
    inst: np.ndarray
    profil: np.ndarray
    kepala: list[str]  # head title per unit
    tambahan: np.ndarray  # numbered (UPT/sekolah/puskesmas) unit
    induk: np.ndarray  # unit whose head supervises this unit's head (-1: none / Sekda)
    setda: np.ndarray  # the Sekretariat Daerah unit of the unit's instansi
    size: np.ndarray
    predikat: np.ndarray


def _jumlah_unit(n: int) -> int:
    """Units per instansi so that units hold roughly 10-80 staff (about 24 on average)."""
    return max(1, min(max(n // 4, 1), max(3, round(n / 24))))


def _units(seed: int, per_inst: Sequence[int]) -> _Unit:
    rng = _rng(seed, 1)
    kode, nama, inst, profil, kepala, tambahan, induk, setda, size, predikat = (
        [], [], [], [], [], [], [], [], [], []
    )
    first = 0
    for i, (ins, n) in enumerate(zip(INSTANSI, per_inst, strict=True)):
        nu = _jumlah_unit(n)
        real: list[tuple[str, str, str]] = []
        for key, label in URUTAN_OPD:
            if key == "kecamatan":
                k = int(label)
                if k < len(ins.kecamatan):
                    real.append((key, f"Kecamatan {ins.kecamatan[k]}", "Camat"))
            elif key == "rsud":
                real.append((key, ins.rsud, "Direktur"))
            else:
                real.append((key, label, PROFIL[key].kepala))
        real = real[:nu]
        n_extra = nu - len(real)
        by_kind = {key: first + j for j, (key, _, _) in enumerate(real)}
        t = rng.choice(len(TAMBAHAN_UNIT), size=n_extra, p=[x[5] for x in TAMBAHAN_UNIT])
        number = np.zeros(n_extra, dtype=np.int64)
        for k in range(len(TAMBAHAN_UNIT)):
            hit = np.nonzero(t == k)[0]
            number[hit] = np.arange(1, len(hit) + 1)
        width = max(3, len(str(nu)))
        kode.append(_cat(f"{ins.singkat}-", _num(np.arange(1, nu + 1), width)))
        extra_names = _cat(
            _pick([x[0].replace("{kota}", ins.kota) for x in TAMBAHAN_UNIT], t),
            _num(number),
            _pick([x[1].replace("{kota}", ins.kota) for x in TAMBAHAN_UNIT], t),
        )
        nama.append(pa.concat_arrays([pa.array([r[1] for r in real], pa.string()), extra_names]))
        inst.append(np.full(nu, i))
        prof_real = [_PROFIL_KEYS.index(r[0]) for r in real]
        prof_extra = np.asarray([_PROFIL_KEYS.index(x[2]) for x in TAMBAHAN_UNIT])[t]
        profil.append(np.concatenate([np.asarray(prof_real, dtype=np.int64), prof_extra]))
        kepala.extend([r[2] for r in real])
        kepala.extend(np.asarray([x[4] for x in TAMBAHAN_UNIT], dtype=object)[t].tolist())
        tambahan.append(np.arange(nu) >= len(real))
        parent_extra = np.asarray([by_kind.get(x[3], first) for x in TAMBAHAN_UNIT])[t]
        induk.append(np.concatenate([np.full(len(real), -1), parent_extra]))
        setda.append(np.full(nu, first))

        bobot_profil = np.asarray([PROFIL[k].bobot for k in _PROFIL_KEYS])
        w = bobot_profil[profil[-1]] * rng.lognormal(0.0, 0.35, nu)
        base = min(10, n // nu)
        s = base + rng.multinomial(n - base * nu, w / w.sum())
        for _ in range(50):
            over = np.maximum(s - 80, 0)
            if over.sum() == 0 or (s < 80).sum() == 0:
                break
            s = np.minimum(s, 80)
            free = s < 80
            s[free] += rng.multinomial(int(over.sum()), w[free] / w[free].sum())
        size.append(s)

        p = rng.choice(3, size=nu, p=[0.15, 0.77, 0.08])
        pred = np.asarray(["Istimewa", "Baik", "Butuh Perbaikan"], dtype=object)[p]
        pred[0] = "Baik"
        forced = {0: (1, "Istimewa"), 1: (3, "Butuh Perbaikan"), 2: (2, "Kurang")}[i]
        if nu > forced[0]:
            pred[forced[0]] = forced[1]
        pred[(pred == "Kurang") & (np.arange(nu) != forced[0])] = "Baik"
        predikat.append(pred)
        first += nu
    return _Unit(
        kode=pa.concat_arrays(kode), nama=pa.concat_arrays(nama), inst=np.concatenate(inst),
        profil=np.concatenate(profil), kepala=kepala, tambahan=np.concatenate(tambahan),
        induk=np.concatenate(induk), setda=np.concatenate(setda), size=np.concatenate(size),
        predikat=np.concatenate(predikat),
    )


@dataclass
class _Pegawai:
    """Employees, one array element per employee, in file order (unit, then hierarchy)."""

    nip: np.ndarray  # int64, 18 digits
    nip_str: pa.Array
    nama: pa.Array
    unit: np.ndarray
    inst: np.ndarray
    pos: np.ndarray
    level: np.ndarray  # 0 head, 1 administrator, 2 pengawas, 3 staff
    atasan: np.ndarray  # index of the supervisor, -1 for an instansi head
    jabatan: pa.Array
    jenis: pa.Array
    email: pa.Array
    tipe: np.ndarray
    kinerja: np.ndarray  # year-end performance factor (1.0 = exactly on target)
    profil: np.ndarray  # profile index of the employee's unit


def _pegawai(seed: int, units: _Unit, tahun: int) -> _Pegawai:
    rng = _rng(seed, 2)
    n = int(units.size.sum())
    start_u = np.cumsum(units.size) - units.size
    unit = np.repeat(np.arange(len(units.size)), units.size)
    pos = np.arange(n) - start_u[unit]
    prof = units.profil[unit]

    n_adm_cap = np.asarray([len(PROFIL[k].administrator) for k in _PROFIL_KEYS])[units.profil]
    n_adm_u = np.where(
        (units.size >= 4) & ~units.tambahan,
        np.minimum(np.clip(np.rint((units.size - 1) / 15), 1, None), n_adm_cap), 0,
    ).astype(np.int64)
    rest = units.size - 1 - n_adm_u
    n_peng_u = np.where(
        rest >= 2, np.minimum(np.clip(np.rint(rest / 7), 1, None), 3 * np.maximum(n_adm_u, 1)), 0
    ).astype(np.int64)
    n_adm, n_peng = n_adm_u[unit], n_peng_u[unit]
    level = np.select([pos == 0, pos <= n_adm, pos <= n_adm + n_peng], [0, 1, 2], 3)

    su = start_u[unit]
    j = pos - 1 - n_adm
    k = pos - 1 - n_adm - n_peng
    head_sup = np.where(
        units.induk[unit] >= 0, start_u[np.maximum(units.induk[unit], 0)], start_u[units.setda[unit]]
    )
    head_sup = np.where(unit == units.setda[unit], -1, head_sup)
    peng_sup = np.where(n_adm > 0, su + 1 + j % np.maximum(n_adm, 1), su)
    staff_sup = np.where(
        n_peng > 0, su + 1 + n_adm + k % np.maximum(n_peng, 1),
        np.where(n_adm > 0, su + 1 + k % np.maximum(n_adm, 1), su),
    )
    atasan = np.select([level == 0, level == 1, level == 2], [head_sup, su, peng_sup], staff_sup)

    # Positions: one vocabulary for all titles; codes per level.
    heads = sorted(set(units.kepala))
    adm_flat, adm_off, adm_len = _flat([PROFIL[k].administrator for k in _PROFIL_KEYS])
    peng_flat, peng_off, peng_len = _flat([PROFIL[k].pengawas for k in _PROFIL_KEYS])
    staf_flat, staf_off, staf_len = _flat([PROFIL[k].staf for k in _PROFIL_KEYS])
    vocab = heads + adm_flat + [t for t in peng_flat] + [t[0] for t in staf_flat]
    o_adm, o_peng = len(heads), len(heads) + len(adm_flat)
    o_staf = o_peng + len(peng_flat)
    head_code = np.asarray([heads.index(t) for t in units.kepala])[unit]
    staf_i = staf_off[prof] + _draw(rng, staf_len[prof])
    code = np.select(
        [level == 0, level == 1, level == 2],
        [head_code, o_adm + adm_off[prof] + (pos - 1) % np.maximum(adm_len[prof], 1),
         o_peng + peng_off[prof] + j % np.maximum(peng_len[prof], 1)],
        o_staf + staf_i,
    )
    jabatan = _pick(vocab, code)
    head_jenis = np.asarray([_JENIS.index(PROFIL[k].jenis_kepala) for k in _PROFIL_KEYS])[prof]
    head_jenis = np.where(units.tambahan[unit], 1, head_jenis)
    staf_jenis = np.asarray([_JENIS.index(t[1]) for t in staf_flat])[staf_i]
    jenis_code = np.select([level == 0, level == 1, level == 2], [head_jenis, 1, 2], staf_jenis)
    jenis = _pick(_JENIS, jenis_code)

    # NIP: birth date, TMT, sex, sequence.
    age_lo = np.asarray([48, 40, 33, 23])[level]
    age_hi = np.asarray([59, 56, 52, 58])[level]
    birth_year = tahun - (age_lo + _draw(rng, age_hi - age_lo + 1))
    birth = (birth_year - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    birth = birth + rng.integers(0, 365, n).astype("timedelta64[D]")
    by = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    bm = (birth.astype("datetime64[M]") - birth.astype("datetime64[Y]")).astype(np.int64) + 1
    bd = (birth - birth.astype("datetime64[M]")).astype(np.int64) + 1
    ty = np.clip(by + 21 + _draw(rng, np.full(n, 10)), by + 18, tahun)
    tm = rng.integers(1, 13, n)
    sex = rng.integers(1, 3, n)
    stem = by * 10**14 + bm * 10**12 + bd * 10**10 + ty * 10**6 + tm * 10**4 + sex * 10**3
    nip = stem + rng.integers(1, 1000, n)
    for _ in range(100):
        order = np.argsort(nip, kind="stable")
        dup = np.zeros(n, dtype=bool)
        dup[order[1:]] = nip[order[1:]] == nip[order[:-1]]
        if not dup.any():
            break
        nip[dup] = stem[dup] + rng.integers(1, 1000, int(dup.sum()))
    nip_str = _num(nip)

    inst = units.inst[unit]
    wilayah = np.asarray([0 if x.wilayah == "minang" else 1 for x in INSTANSI])[inst]
    groups = [NAMA[w][s] for w in ("minang", "kalteng") for s in (1, 2)]
    g = wilayah * 2 + (sex - 1)
    f_flat, f_off, f_len = _flat([x[0] for x in groups])
    l_flat, l_off, l_len = _flat([x[1] for x in groups])
    depan = _pick(f_flat, f_off[g] + _draw(rng, f_len[g]))
    belakang = _pick(l_flat, l_off[g] + _draw(rng, l_len[g]))
    dua = rng.random(n) < 0.8
    nama_dasar = _where(dua, _cat(depan, " ", belakang), depan)

    staf_gelar = np.asarray([t[2] for t in staf_flat], dtype=object)[staf_i]
    g_pim = np.asarray(GELAR_PIMPINAN, dtype=object)[_draw(rng, np.full(n, len(GELAR_PIMPINAN)))]
    g_pen = np.asarray(GELAR_PENGAWAS, dtype=object)[_draw(rng, np.full(n, len(GELAR_PENGAWAS)))]
    g_umum = np.asarray(GELAR_UMUM, dtype=object)[_draw(rng, np.full(n, len(GELAR_UMUM)))]
    u = rng.random(n)
    staf_pilih = np.where(
        staf_gelar != "", np.where(u < 0.85, staf_gelar, ""), np.where(u < 0.3, g_umum, "")
    )
    gelar = np.select([level <= 1, level == 2], [g_pim, np.where(u < 0.9, g_pen, "")], staf_pilih)
    gelar_pa = pa.array(gelar.tolist(), pa.string())
    dokter = pc.starts_with(gelar_pa, "dr.")
    akhiran = pc.replace_substring_regex(gelar_pa, r"^dr\.(, )?", "")
    nama = _cat(_where(dokter.to_numpy(zero_copy_only=False), "dr. ", ""), nama_dasar)
    nama = _where(pc.not_equal(akhiran, "").to_numpy(zero_copy_only=False),
                  _cat(nama, ", ", akhiran), nama)

    domain = _pick([x.domain for x in INSTANSI], inst)
    local = pc.utf8_lower(_where(dua, _cat(depan, ".", belakang), depan))
    email = _cat(local, pc.utf8_slice_codeunits(nip_str, 14, 18), "@", domain)
    email = pc.if_else(pa.array(rng.random(n) < 0.6), email, pa.scalar(None, pa.string()))

    tipe = rng.choice(len(_TIPE), size=n, p=[t[0] for t in _TIPE])
    tipe[atasan < 0] = 1
    lo = np.asarray([t[1] for t in _TIPE])[tipe]
    hi = np.asarray([t[2] for t in _TIPE])[tipe]
    efek = np.asarray([_EFEK_UNIT.get(p, 0.0) for p in units.predikat])[unit]
    kinerja = lo + rng.random(n) * (hi - lo) + efek
    return _Pegawai(nip, nip_str, nama, unit, inst, pos, level, atasan, jabatan, jenis, email,
                    tipe, kinerja, prof)


@dataclass
class _Skp:
    """Plan indicators, one array element per indicator, in file order."""

    emp: np.ndarray
    no: np.ndarray
    utama: np.ndarray
    template: np.ndarray
    target: np.ndarray
    id_str: pa.Array
    atasan_idx: np.ndarray  # index of the cascaded-from indicator, -1 if none


_TEMPLATES_FLAT, _TPL_OFF, _TPL_LEN = _flat(
    [PROFIL[k].indikator + UMUM for k in _PROFIL_KEYS] + [TAMBAHAN]
)


def _skp(seed: int, peg: _Pegawai) -> _Skp:
    rng = _rng(seed, 3)
    n = len(peg.nip)
    k = rng.integers(2, 6, n)
    u = np.clip(k - rng.integers(0, 3, n), 1, k)
    start = np.cumsum(k) - k
    emp = np.repeat(np.arange(n), k)
    no = np.arange(len(emp)) - start[emp]
    utama = no < u[emp]
    r1 = rng.integers(0, 1000, n)[emp]
    r2 = rng.integers(0, 1000, n)[emp]
    p = peg.profil[emp]
    t_utama = _TPL_OFF[p] + (r1 + no) % _TPL_LEN[p]
    tam = len(_PROFIL_KEYS)
    t_tambahan = _TPL_OFF[tam] + (r2 + no) % _TPL_LEN[tam]
    template = np.where(utama, t_utama, t_tambahan)
    lo = np.asarray([t[5] for t in _TEMPLATES_FLAT])[template]
    hi = np.asarray([t[6] for t in _TEMPLATES_FLAT])[template]
    target = lo + np.floor(rng.random(len(emp)) * (hi - lo + 1))
    target = np.minimum(target, hi)

    singkat = _pick([x.singkat for x in INSTANSI], peg.inst[emp])
    id_str = _cat(singkat, "-", peg.nip_str.take(pa.array(emp)), "-", _num(no + 1, 2))
    sup = peg.atasan[emp]
    has_sup = utama & (sup >= 0)
    sup_safe = np.maximum(sup, 0)
    pick = start[sup_safe] + _draw(rng, u[sup_safe])
    atasan_idx = np.where(has_sup, pick, -1)
    return _Skp(emp, no, utama, template, target, id_str, atasan_idx)


def _tpl(col: int, template: np.ndarray) -> np.ndarray:
    """One field of the indicator templates, per indicator."""
    return np.asarray([t[col] for t in _TEMPLATES_FLAT], dtype=object)[template]


def _tpl_str(col: int, template: np.ndarray) -> pa.Array:
    return _pick([t[col] for t in _TEMPLATES_FLAT], template)


def _write_realisasi(
    path: Path, seed: int, peg: _Pegawai, skp: _Skp, tanpa: np.ndarray, tahun: int,
    extra: Mapping[str, pa.Array] | None,
) -> int:
    """Monthly cumulative realisation, written in batches to keep memory flat at 1M employees."""
    rng = _rng(seed, 4)
    n_ind = len(skp.emp)
    aspek = _tpl(2, skp.template)
    arah = _tpl(4, skp.template)
    kumulatif = np.isin(aspek, ["kuantitas", "biaya"])
    bulat = aspek == "kuantitas"
    turun = arah == "turun"
    periode = pa.array([f"{tahun}-{m:02d}" for m in range(1, 13)], pa.string())
    writer = _CsvWriter(path, HEADERS["realisasi"])
    for a in range(0, n_ind, _REALISASI_CHUNK):
        idx = np.arange(a, min(a + _REALISASI_CHUNK, n_ind))
        m = len(idx)
        p = peg.kinerja[skp.emp[idx]] * (1.0 + rng.normal(0.0, 0.03, m))
        target = skp.target[idx]
        akhir = np.where(turun[idx], target * np.maximum(2.0 - p, 0.05), target * p)
        w = rng.gamma(3.0, 1.0, (m, 12))
        frac = np.cumsum(w, axis=1)
        frac /= frac[:, -1:]
        naik_bertahap = akhir[:, None] * frac
        bulan_sisa = (12 - np.arange(1, 13)) / 11.0
        datar = akhir[:, None] * (1.0 + rng.normal(0.0, 0.06, (m, 12)) * bulan_sisa)
        # a level indicator where more is better climbs towards its December value: the file holds
        # cumulative achievement, so its months never go down (a decrease would be a warning)
        datar = np.where(turun[idx, None], datar, np.maximum.accumulate(
            akhir[:, None] * (1.0 - np.abs(rng.normal(0.0, 0.06, (m, 12))) * bulan_sisa), axis=1))
        nilai = np.where(kumulatif[idx, None], naik_bertahap, np.maximum(datar, 0.0))
        nilai = np.where(bulat[idx, None], np.rint(nilai), np.round(nilai, 2))
        keep = ~tanpa[idx]
        rows = idx[keep]
        writer.write({
            "id_indikator": skp.id_str.take(pa.array(np.repeat(rows, 12))),
            "periode": periode.take(pa.array(np.tile(np.arange(12), len(rows)))),
            "realisasi": _dec(nilai[keep].ravel()),
        })
    if extra is not None:
        writer.write(extra)
    return writer.close()


def _perilaku(seed: int, peg: _Pegawai, units: _Unit, tahun: int) -> dict[str, pa.Array]:
    """Supervisor ratings (the rating) and peer ratings (feedback) for both semesters."""
    rng = _rng(seed, 5)
    n = len(peg.nip)
    mu_tipe = np.asarray([t[3] for t in _TIPE])[peg.tipe]
    mu = mu_tipe + np.where(peg.tipe == 1, rng.normal(0.0, 0.2, n), 0.0)
    lemah = rng.integers(0, 7, n)  # the value a misconduct employee is rated 1 on

    n_bawahan = np.bincount(peg.atasan[peg.atasan >= 0], minlength=n)
    eligible = (peg.level == 2) & (n_bawahan >= 5)
    if not eligible.any():
        eligible = (peg.level >= 1) & (n_bawahan >= 3)
    pola = np.zeros(n, dtype=np.int64)  # 0 normal, 1 lunak, 2 keras, 3 terpusat
    for i in range(len(INSTANSI)):
        cand = np.nonzero(eligible & (peg.inst == i))[0]
        cand = rng.permutation(cand)
        plan = [1, 2 if i != 1 else 3]
        for c, kind in zip(cand, plan, strict=False):
            pola[c] = kind

    rows_emp, rows_pen, rows_sem, rows_val, rows_cat = [], [], [], [], []
    sup_emp = np.nonzero(peg.atasan >= 0)[0]
    peer_mask = (rng.random(n) < 0.3) & (units.size[peg.unit] >= 3)
    size = units.size[peg.unit]
    start_u = (np.cumsum(units.size) - units.size)[peg.unit]
    for sem in (1, 2):
        e = sup_emp
        v = np.rint(mu[e, None] + rng.normal(0.0, 0.55, (len(e), 7)))
        v = np.clip(v, 1, 5)
        jelek = peg.tipe[e] == 3
        v[jelek, lemah[e][jelek]] = 1
        rater = peg.atasan[e]
        rp = pola[rater]
        v[rp == 1] = 5
        v[rp == 2] = np.clip(v[rp == 2] - 2, 1, 5)
        v[rp == 3] = np.asarray([4, 3, 4, 3, 4, 3, 4])
        cat_i = _draw(rng, np.full(len(e), len(CATATAN_ATASAN)))
        rows_emp.append(e)
        rows_pen.append(rater)
        rows_sem.append(np.full(len(e), sem))
        rows_val.append(v.astype(np.int64))
        rows_cat.append(np.asarray(CATATAN_ATASAN, dtype=object)[cat_i])

        pe = np.nonzero(peer_mask)[0]
        off = 1 + _draw(rng, size[pe] - 1)
        peer = start_u[pe] + (peg.pos[pe] + off) % size[pe]
        ok = (peer != peg.atasan[pe]) & (peer != pe)
        pe, peer = pe[ok], peer[ok]
        pv = np.clip(np.rint(mu[pe, None] + 0.2 + rng.normal(0.0, 0.6, (len(pe), 7))), 1, 5)
        rows_emp.append(pe)
        rows_pen.append(peer)
        rows_sem.append(np.full(len(pe), sem))
        rows_val.append(pv.astype(np.int64))
        rows_cat.append(
            np.asarray(CATATAN_REKAN, dtype=object)[_draw(rng, np.full(len(pe), len(CATATAN_REKAN)))]
        )
    emp = np.concatenate(rows_emp)
    pen = np.concatenate(rows_pen)
    sem = np.concatenate(rows_sem)
    val = np.concatenate(rows_val)
    cat = np.concatenate(rows_cat)
    is_peer = (pen != peg.atasan[emp]).astype(np.int64)
    order = np.lexsort((pen, is_peer, sem, emp))
    emp, pen, sem, val, cat = emp[order], pen[order], sem[order], val[order], cat[order]
    out: dict[str, pa.Array] = {
        "nip": peg.nip_str.take(pa.array(emp)),
        "nip_penilai": peg.nip_str.take(pa.array(pen)),
        "periode": _pick([f"{tahun}-S1", f"{tahun}-S2"], sem - 1),
    }
    for c, key in enumerate(BERAKHLAK):
        out[key] = _num(val[:, c])
    out["catatan"] = pa.array(cat.tolist(), pa.string())
    out["_peer"] = pa.array(is_peer.astype(bool))
    return out


def _umpan_balik(seed: int, peg: _Pegawai, tahun: int) -> dict[str, pa.Array]:
    """Coaching, counseling, mentoring and appreciation notes from each supervisor."""
    rng = _rng(seed, 6)
    n = len(peg.nip)
    jumlah_p = np.asarray([[0.45, 0.35, 0.15, 0.05], [0.55, 0.30, 0.10, 0.05],
                           [0.25, 0.35, 0.25, 0.15], [0.25, 0.35, 0.25, 0.15],
                           [0.20, 0.30, 0.30, 0.20]])
    cdf = np.cumsum(jumlah_p, axis=1)[peg.tipe]
    c = (rng.random(n)[:, None] > cdf).sum(axis=1)
    c[peg.atasan < 0] = 0
    emp = np.repeat(np.arange(n), c)
    m = len(emp)
    jenis_p = np.asarray([[0.10, 0.00, 0.20, 0.70], [0.35, 0.10, 0.30, 0.25],
                          [0.50, 0.25, 0.20, 0.05], [0.30, 0.55, 0.10, 0.05],
                          [0.45, 0.40, 0.10, 0.05]])
    jcdf = np.cumsum(jenis_p, axis=1)[peg.tipe[emp]]
    jenis = np.minimum((rng.random(m)[:, None] > jcdf).sum(axis=1), 3)
    hari = (np.datetime64(f"{tahun + 1}-01-01") - np.datetime64(f"{tahun}-01-01")).astype(int)
    tanggal = np.datetime64(f"{tahun}-01-01") + rng.integers(0, hari, m).astype("timedelta64[D]")
    order = np.lexsort((jenis, tanggal, emp))
    emp, jenis, tanggal = emp[order], jenis[order], tanggal[order]
    jenis_keys = ("coaching", "counseling", "mentoring", "apresiasi")
    cat_flat, cat_off, cat_len = _flat([CATATAN_UMPAN_BALIK[k] for k in jenis_keys])
    return {
        "nip": peg.nip_str.take(pa.array(emp)),
        "dari_nip": peg.nip_str.take(pa.array(peg.atasan[emp])),
        "tanggal": pa.array(tanggal.astype(str).tolist(), pa.string()),
        "jenis": _pick(jenis_keys, jenis),
        "catatan": _pick(cat_flat, cat_off[jenis] + _draw(rng, cat_len[jenis])),
    }


def _survei(seed: int, units: _Unit, tahun: int) -> dict[str, pa.Array]:
    """Monthly citizen-satisfaction (IKM) survey results per service of each service unit."""
    rng = _rng(seed, 7)
    lay_flat, lay_off, lay_len = _flat([PROFIL[k].layanan for k in _PROFIL_KEYS])
    n_lay = lay_len[units.profil]
    unit = np.repeat(np.arange(len(n_lay)), n_lay)
    start = np.cumsum(n_lay) - n_lay
    lay = lay_off[units.profil[unit]] + np.arange(len(unit)) - start[unit]
    efek = np.asarray([{"Istimewa": 4.0, "Butuh Perbaikan": -5.0, "Kurang": -9.0}.get(p, 0.0)
                       for p in units.predikat])[unit]
    base = np.clip(rng.normal(84.0, 5.0, len(unit)) + efek, 62.0, 96.0)
    pair = np.repeat(np.arange(len(unit)), 12)
    bulan = np.tile(np.arange(12), len(unit))
    ikm = np.clip(base[pair] + rng.normal(0.0, 1.8, len(pair)), 60.0, 98.0)
    return {
        "kode_unit": units.kode.take(pa.array(unit[pair])),
        "periode": _pick([f"{tahun}-{m:02d}" for m in range(1, 13)], bulan),
        "layanan": _pick(lay_flat, lay[pair]),
        "jumlah_responden": _num(rng.integers(20, 401, len(pair))),
        "nilai_ikm": _dec(ikm),
    }


def _katalog() -> dict[str, pa.Array]:
    return {
        "kode_pelatihan": pa.array([f"PLT-{i:03d}" for i in range(1, len(KATALOG) + 1)]),
        "nama_pelatihan": pa.array([k[0] for k in KATALOG]),
        "kompetensi": pa.array([k[1] for k in KATALOG]),
        "jp": pa.array([str(k[2]) for k in KATALOG]),
    }


def _riwayat(seed: int, peg: _Pegawai, tahun: int) -> dict[str, pa.Array]:
    """Trainings attended this year (a few last year), mostly from the catalogue."""
    rng = _rng(seed, 8)
    n = len(peg.nip)
    c = (rng.random(n)[:, None] > np.cumsum([0.22, 0.40, 0.28, 0.10])[None, :]).sum(axis=1)
    emp = np.repeat(np.arange(n), c)
    m = len(emp)
    start = np.cumsum(c) - c
    j = np.arange(m) - start[emp]
    pool = KATALOG + PELATIHAN_LUAR
    pilih = (rng.integers(0, len(KATALOG), n)[emp] + 7 * j) % len(KATALOG)
    luar = rng.random(m) < 0.03
    pilih = np.where(luar, len(KATALOG) + _draw(rng, np.full(m, len(PELATIHAN_LUAR))), pilih)
    tahun_lalu = rng.random(m) < 0.06
    awal = np.where(tahun_lalu, np.datetime64(f"{tahun - 1}-01-01"),
                    np.datetime64(f"{tahun}-01-01"))
    tanggal = awal + rng.integers(0, 365, m).astype("timedelta64[D]")
    order = np.lexsort((pilih, tanggal, emp))
    emp, pilih, tanggal = emp[order], pilih[order], tanggal[order]
    return {
        "nip": peg.nip_str.take(pa.array(emp)),
        "nama_pelatihan": _pick([p[0] for p in pool], pilih),
        "kompetensi": _pick([p[1] for p in pool], pilih),
        "tanggal": pa.array(tanggal.astype(str).tolist(), pa.string()),
        "jp": _num(np.asarray([p[2] for p in pool])[pilih]),
    }


_OVERRIDE = (
    ("sesuai", "", "Target indikator terdampak refocusing anggaran; atasan menilai hasil kerja "
     "sesuai ekspektasi."),
    ("di_atas", "", "Menyelesaikan penugasan khusus dari Wali Kota di luar SKP."),
    ("", "di_bawah", "Terbukti melanggar disiplin (hukuman disiplin ringan) pada tahun berjalan."),
    ("", "sesuai", "Penilaian perilaku disesuaikan setelah klarifikasi keberatan pegawai."),
)


def _rating_atasan(seed: int, peg: _Pegawai) -> dict[str, pa.Array]:
    """Overrides: every instansi head's rating_perilaku, plus a few supervisors' corrections."""
    rng = _rng(seed, 9)
    n = len(peg.nip)
    kepala = np.nonzero(peg.atasan < 0)[0]
    calon = np.nonzero((peg.atasan >= 0) & (peg.level >= 2))[0]
    k = min(len(calon), max(4, round(0.003 * n)))
    lain = np.sort(rng.choice(calon, size=k, replace=False)) if k else np.zeros(0, np.int64)
    alasan_i = _draw(rng, np.full(len(lain), len(_OVERRIDE)))
    emp = np.concatenate([kepala, lain])
    hk = [""] * len(kepala) + [_OVERRIDE[i][0] for i in alasan_i]
    pr = ["di_atas" if i % 2 == 0 else "sesuai" for i in range(len(kepala))]
    pr += [_OVERRIDE[i][1] for i in alasan_i]
    alasan = ["Perilaku kerja Sekretaris Daerah dinilai langsung oleh Wali Kota selaku "
              "pejabat pembina kepegawaian."] * len(kepala)
    alasan += [_OVERRIDE[i][2] for i in alasan_i]
    order = np.argsort(emp, kind="stable")
    take = pa.array(order)
    return {
        "nip": peg.nip_str.take(pa.array(emp[order])),
        "rating_hasil_kerja": pa.array(hk, pa.string()).take(take),
        "rating_perilaku": pa.array(pr, pa.string()).take(take),
        "alasan": pa.array(alasan, pa.string()).take(take),
    }


def _set(arr: pa.Array, i: int, value: str) -> pa.Array:
    """A copy of a string array with one element replaced (for the deliberate bad rows)."""
    mask = np.zeros(len(arr), dtype=bool)
    mask[i] = True
    return pc.if_else(pa.array(mask), pa.scalar(value, pa.string()), _as_str(arr))


def _take(cols: Mapping[str, pa.Array], idx: np.ndarray) -> dict[str, pa.Array]:
    ia = pa.array(np.asarray(idx, dtype=np.int64))
    return {k: _as_str(v).take(ia) for k, v in cols.items()}


def _append(cols: Mapping[str, pa.Array], row: Mapping[str, str | None]) -> dict[str, pa.Array]:
    return {k: pa.concat_arrays([_as_str(v), pa.array([row.get(k)], pa.string())])
            for k, v in cols.items()}


def generate(
    out_dir: Path, *, pegawai: int = 1500, tahun: int = 2026, seed: int = 2026,
    bad_rows: bool = True,
) -> dict[str, int]:
    """Write the ten FORMATS.md input files of three demo regions; returns rows per file."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    porsi = np.asarray([x.porsi for x in INSTANSI])
    per_inst = np.floor(porsi * pegawai).astype(np.int64)
    per_inst[-1] += pegawai - per_inst.sum()
    units = _units(seed, per_inst.tolist())
    peg = _pegawai(seed, units, tahun)
    skp = _skp(seed, peg)
    bad = _rng(seed, 99)
    counts: dict[str, int] = {}
    n = len(peg.nip)

    # unit_kerja.csv
    ins_i = units.inst
    counts["unit_kerja.csv"] = _write(out_dir / "unit_kerja.csv", HEADERS["unit_kerja"], {
        "kode_unit": units.kode, "nama_unit": units.nama,
        "kode_instansi": _pick([x.kode for x in INSTANSI], ins_i),
        "nama_instansi": _pick([x.nama for x in INSTANSI], ins_i),
        "predikat_organisasi": pa.array(units.predikat.tolist(), pa.string()),
    })

    # pegawai.csv
    atasan_str = pc.if_else(pa.array(peg.atasan >= 0),
                            peg.nip_str.take(pa.array(np.maximum(peg.atasan, 0))),
                            pa.scalar(None, pa.string()))
    cols: dict[str, pa.Array] = {
        "nip": peg.nip_str, "nama": peg.nama, "kode_unit": units.kode.take(pa.array(peg.unit)),
        "jabatan": peg.jabatan, "jenis_jabatan": peg.jenis, "nip_atasan": atasan_str,
        "email": peg.email,
    }
    staf = np.nonzero((peg.level == 3) & (np.bincount(peg.atasan[peg.atasan >= 0],
                                                      minlength=n) == 0))[0]
    k_emp = np.bincount(skp.emp, minlength=n)
    u_emp = np.bincount(skp.emp, weights=skp.utama, minlength=n).astype(np.int64)
    staf_tam = staf[k_emp[staf] > u_emp[staf]]
    drop_real = np.zeros(len(skp.emp), dtype=bool)
    bad_skp: list[tuple[int, str, str]] = []
    if bad_rows and len(staf) >= 4:
        pick = np.sort(bad.choice(staf, size=2, replace=False))
        cols["nama"] = _set(cols["nama"], int(pick[0]), "<b>Budi</b> Santoso")
        order = np.insert(np.arange(n), int(pick[1]) + 1, int(pick[1]))
        cols = _take(cols, order)
        ref = int(staf[0])
        unit_ref = cols["kode_unit"][int(np.nonzero(order == ref)[0][0])].as_py()
        sup_ref = peg.nip_str[int(peg.atasan[ref])].as_py()
        cols = _append(cols, {"nip": "198702312010031042", "nama": "Rina Marlina",
                              "kode_unit": unit_ref, "jabatan": "Pengadministrasi Perkantoran",
                              "jenis_jabatan": "pelaksana", "nip_atasan": sup_ref})
        nip_baru = 199005172015032001
        while nip_baru in set(peg.nip[(peg.nip // 1000) == nip_baru // 1000].tolist()):
            nip_baru += 1
        cols = _append(cols, {"nip": str(nip_baru), "nama": "Yusuf Maulana",
                              "kode_unit": f"{INSTANSI[1].singkat}-ZZZ",
                              "jabatan": "Pengadministrasi Perkantoran",
                              "jenis_jabatan": "pelaksana", "nip_atasan": sup_ref})
        if len(staf_tam) >= 2:
            two = np.sort(bad.choice(staf_tam, size=2, replace=False))
            for e, kolom, nilai in zip(two, ("target", "aspek"), ("0", "kuantitass"), strict=True):
                ind = int(np.nonzero((skp.emp == e) & ~skp.utama)[0][0])
                bad_skp.append((ind, kolom, nilai))
                drop_real[ind] = True
    counts["pegawai.csv"] = _write(out_dir / "pegawai.csv", HEADERS["pegawai"], cols)

    # skp.csv
    sk = {
        "id_indikator": skp.id_str, "nip": peg.nip_str.take(pa.array(skp.emp)),
        "tahun": pa.array(np.full(len(skp.emp), str(tahun)).tolist(), pa.string()),
        "rencana_hasil_kerja": _tpl_str(0, skp.template),
        "indikator": _tpl_str(1, skp.template), "aspek": _tpl_str(2, skp.template),
        "target": _dec(skp.target), "satuan": _tpl_str(3, skp.template),
        "arah": _tpl_str(4, skp.template),
        "jenis": _where(skp.utama, "utama", "tambahan"),
        "id_indikator_atasan": pc.if_else(
            pa.array(skp.atasan_idx >= 0), skp.id_str.take(pa.array(np.maximum(skp.atasan_idx, 0))),
            pa.scalar(None, pa.string())),
        "kompetensi": pc.if_else(pc.equal(_tpl_str(7, skp.template), ""),
                                 pa.scalar(None, pa.string()), _tpl_str(7, skp.template)),
    }
    for ind, kolom, nilai in bad_skp:
        sk[kolom] = _set(sk[kolom], ind, nilai)
    counts["skp.csv"] = _write(out_dir / "skp.csv", HEADERS["skp"], sk)

    # realisasi.csv
    rr = _rng(seed, 10)
    n_ind = len(skp.emp)
    tanpa = drop_real.copy()
    tanpa[rr.choice(n_ind, size=min(n_ind, max(2, round(0.004 * n_ind))), replace=False)] = True
    extra = None
    if bad_rows:
        ok = np.nonzero(~tanpa)[0]
        ind = int(ok[len(ok) // 2])
        extra = {"id_indikator": skp.id_str.take(pa.array([ind])),
                 "periode": pa.array([f"{tahun - 1}-12"]), "realisasi": pa.array(["5"])}
    counts["realisasi.csv"] = _write_realisasi(
        out_dir / "realisasi.csv", seed, peg, skp, tanpa, tahun, extra
    )

    # perilaku.csv
    pr = _perilaku(seed, peg, units, tahun)
    peer = pr.pop("_peer").to_numpy(zero_copy_only=False)
    if bad_rows and len(peer):
        cand = np.nonzero(peer)[0] if peer.any() else np.arange(len(peer))
        pr["kompeten"] = _set(pr["kompeten"], int(cand[len(cand) // 2]), "6")
    counts["perilaku.csv"] = _write(out_dir / "perilaku.csv", HEADERS["perilaku"], pr)

    # umpan_balik.csv
    ub = _umpan_balik(seed, peg, tahun)
    if bad_rows and len(ub["nip"]):
        ub["tanggal"] = _set(ub["tanggal"], len(ub["nip"]) // 3, f"12/03/{tahun}")
    counts["umpan_balik.csv"] = _write(out_dir / "umpan_balik.csv", HEADERS["umpan_balik"], ub)

    # survei_masyarakat.csv
    sv = _survei(seed, units, tahun)
    if bad_rows and len(sv["kode_unit"]):
        sv["nilai_ikm"] = _set(sv["nilai_ikm"], len(sv["kode_unit"]) // 2, "120")
    counts["survei_masyarakat.csv"] = _write(
        out_dir / "survei_masyarakat.csv", HEADERS["survei_masyarakat"], sv
    )

    # katalog_pelatihan.csv, riwayat_pelatihan.csv
    counts["katalog_pelatihan.csv"] = _write(
        out_dir / "katalog_pelatihan.csv", HEADERS["katalog_pelatihan"], _katalog()
    )
    rw = _riwayat(seed, peg, tahun)
    if bad_rows and len(rw["nip"]):
        rw["jp"] = _set(rw["jp"], len(rw["nip"]) // 4, "0")
    counts["riwayat_pelatihan.csv"] = _write(
        out_dir / "riwayat_pelatihan.csv", HEADERS["riwayat_pelatihan"], rw
    )

    # rating_atasan.csv
    counts["rating_atasan.csv"] = _write(
        out_dir / "rating_atasan.csv", HEADERS["rating_atasan"], _rating_atasan(seed, peg)
    )
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    """Manual use: python -m kinerja.demo.generator OUT --pegawai N."""
    parser = argparse.ArgumentParser(prog="python -m kinerja.demo.generator", description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--pegawai", type=int, default=1500)
    parser.add_argument("--tahun", type=int, default=2026)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--tanpa-baris-rusak", action="store_true",
                        help="do not add the deliberate bad rows")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    counts = generate(args.out, pegawai=args.pegawai, tahun=args.tahun, seed=args.seed,
                      bad_rows=not args.tanpa_baris_rusak)
    for name in sorted(counts):
        print(f"{name:24s} {counts[name]:>12,d}")
    print(f"{time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
