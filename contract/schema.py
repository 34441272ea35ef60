"""The input file contract of FORMATS.md as data: file names, required and optional columns, types."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

BERAKHLAK: tuple[str, ...] = (
    "berorientasi_pelayanan",
    "akuntabel",
    "kompeten",
    "harmonis",
    "loyal",
    "adaptif",
    "kolaboratif",
)
JENIS_JABATAN = ("pimpinan_tinggi", "administrator", "pengawas", "fungsional", "pelaksana")
PREDIKAT_ORGANISASI = ("Istimewa", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang")
PREDIKAT = ("Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang")
ASPEK = ("kuantitas", "kualitas", "waktu", "biaya")
ARAH = ("naik", "turun")
JENIS_INDIKATOR = ("utama", "tambahan")
JENIS_UMPAN_BALIK = ("coaching", "counseling", "mentoring", "apresiasi")
RATING = ("di_atas", "sesuai", "di_bawah")
KEPUTUSAN = ("diterima", "ditolak")
# Jabatan fungsional (PermenPAN-RB 1/2023): keterampilan levels, then keahlian levels, lowest first.
JENJANG = ("pemula", "terampil", "mahir", "penyelia", "ahli_pertama", "ahli_muda", "ahli_madya",
           "ahli_utama")
# Golongan ruang of civil servants from II/a to IV/e, lowest first (the order a jenjang's range follows).
GOLONGAN = ("II/a", "II/b", "II/c", "II/d", "III/a", "III/b", "III/c", "III/d", "IV/a", "IV/b", "IV/c",
            "IV/d", "IV/e")
# Columns that hold an identifier or a code, never a quantity: text even when every character is a
# digit (a NIP has 18, more than an Excel number keeps; see contract/workbook_parsing.py).
IDENTIFIERS = frozenset({
    "nip", "nip_atasan", "nip_penilai", "dari_nip", "kode_unit", "kode_instansi", "id_indikator",
    "id_indikator_atasan", "kode_pelatihan", "nip_pemutus",
})
# Columns of free text typed by people (names, titles, indicator texts, reasons, notes): no rule checks
# their content, so one that starts like a spreadsheet formula (FORMULA_START) only gets a warning
# (TEKS_RUMUS, contract/values.py) and a leading ' in the output CSVs (contract/output.py).
TEXTS = frozenset({
    "nama_unit", "nama_instansi", "nama", "jabatan", "email", "rencana_hasil_kerja", "indikator",
    "satuan", "kompetensi", "bukti", "catatan", "layanan", "nama_pelatihan", "alasan",
    "catatan_keputusan",
})
# What a text cell starts with when a spreadsheet may take it for a formula (FORMATS.md).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class FileSpec:
    """One input file: its required and optional columns, which of them are numeric, and what a row
    and each column mean (Indonesian, English) for the input contract in docs/ (contract/docs.py)."""

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    integers: tuple[str, ...] = field(default=())
    floats: tuple[str, ...] = field(default=())
    # Text columns held dictionary-encoded (pandas category, categories sorted): columns that repeat a
    # few distinct values over many rows — realisasi's indicator ids and months, 42M rows at 1M employees
    # (1.9 GB as text, 0.2 GB as codes). The reader encodes them; the checks and the clean frame keep
    # them so; what is written or compared across frames is turned back into text there.
    kategori: tuple[str, ...] = field(default=())
    baris: tuple[str, str] = ("", "")  # one row per ... (Indonesian, English)
    arti: tuple[tuple[str, str, str], ...] = ()  # (column, meaning in Indonesian, in English)

    @property
    def sheet(self) -> str:
        return self.name.removesuffix(".csv")

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional

    def arti_of(self, column: str) -> tuple[str, str]:
        """What `column` means, in Indonesian and English (empty when not described)."""
        return next(((ind, eng) for kolom, ind, eng in self.arti if kolom == column), ("", ""))


def _nilai_berakhlak(kolom: str) -> tuple[str, str, str]:
    return (
        kolom,
        f"nilai perilaku BerAKHLAK '{kolom}', bilangan bulat 1-5 (1 sangat kurang, 3 sesuai"
        " ekspektasi, 5 sangat baik)",
        f"BerAKHLAK behaviour value '{kolom}', a whole number 1-5 (1 very poor, 3 as expected,"
        " 5 very good)",
    )


FILES: dict[str, FileSpec] = {
    spec.sheet: spec
    for spec in (
        FileSpec(
            "unit_kerja.csv",
            ("kode_unit", "nama_unit", "kode_instansi", "nama_instansi"),
            ("predikat_organisasi",),
            baris=("unit kerja (OPD)", "work unit (OPD)"),
            arti=(
                ("kode_unit", "kode unit kerja, unik; juga menjadi bagian nama berkas keluaran"
                 " (ringkasan_<kode_unit>.html)",
                 "work unit code, unique; also part of output file names (ringkasan_<kode_unit>.html)"),
                ("nama_unit", "nama unit kerja", "name of the work unit"),
                ("kode_instansi", "kode instansi tempat unit berada", "code of the unit's instansi"),
                ("nama_instansi", "nama instansi", "name of the instansi"),
                ("predikat_organisasi",
                 "predikat kinerja organisasi unit; membatasi sebaran predikat pegawainya (kurva"
                 " distribusi); wajib diisi sebelum penilaian akhir tahun",
                 "the unit's organisational performance predikat; limits its employees' predikat"
                 " (the distribution curve); required before year-end scoring"),
            ),
        ),
        FileSpec(
            "pegawai.csv",
            ("nip", "nama", "kode_unit", "jabatan", "jenis_jabatan"),
            ("nip_atasan", "email"),
            baris=("pegawai", "employee"),
            arti=(
                ("nip", "NIP pegawai (18 angka), unik di berkas", "the employee's NIP (18 digits),"
                 " unique in the file"),
                ("nama", "nama pegawai", "the employee's name"),
                ("kode_unit", "unit kerja pegawai (kode_unit di unit_kerja.csv)",
                 "the employee's work unit (a kode_unit of unit_kerja.csv)"),
                ("jabatan", "nama jabatan", "position title"),
                ("jenis_jabatan", "jenis jabatan", "kind of position"),
                ("nip_atasan",
                 "NIP atasan langsung, pegawai lain di kode_instansi yang sama; kosong hanya bagi"
                 " pimpinan instansi; rantai atasan tanpa siklus",
                 "NIP of the direct supervisor, another employee of the same kode_instansi; empty"
                 " only for the head of an instansi; the supervisor chain has no cycles"),
                ("email", "alamat surel", "e-mail address"),
            ),
        ),
        FileSpec(
            "skp.csv",
            (
                "id_indikator", "nip", "tahun", "rencana_hasil_kerja", "indikator",
                "aspek", "target", "satuan", "arah", "jenis",
            ),
            ("id_indikator_atasan", "kompetensi"),
            integers=("tahun",),
            floats=("target",),
            kategori=("aspek", "satuan", "arah", "jenis", "kompetensi"),
            baris=("indikator rencana kinerja (SKP)", "plan (SKP) indicator"),
            arti=(
                ("id_indikator", "kode indikator, unik di berkas", "indicator code, unique in the file"),
                ("nip", "NIP pegawai pemilik SKP", "NIP of the employee whose plan it is"),
                ("tahun", "tahun penilaian, sama dengan --tahun", "appraisal year, equal to --tahun"),
                ("rencana_hasil_kerja", "rencana hasil kerja yang diukur indikator ini",
                 "the planned work result the indicator measures"),
                ("indikator", "uraian indikator kinerja", "description of the performance indicator"),
                ("aspek", "aspek yang diukur", "the aspect measured"),
                ("target", "target akhir tahun (> 0) dalam satuan", "year-end target (> 0) in satuan"),
                ("satuan", "satuan target dan realisasi (mis. dokumen, hari, persen)",
                 "unit of target and realisation (e.g. documents, days, percent)"),
                ("arah", "naik: makin tinggi makin baik; turun: makin rendah makin baik (mis. hari"
                 " penerbitan KTP)",
                 "naik: higher is better; turun: lower is better (e.g. days to issue an ID card)"),
                ("jenis", "utama (dirata-ratakan ke capaian hasil kerja) atau tambahan (ditampilkan,"
                 " tidak dirata-ratakan); tiap pegawai punya minimal satu indikator utama",
                 "utama (averaged into the work result) or tambahan (shown, not averaged); every"
                 " employee has at least one utama indicator"),
                ("id_indikator_atasan",
                 "indikator atasan langsung yang menjadi induk (kaskade); wajib bagi indikator utama"
                 " pegawai yang bukan kepala unit",
                 "the supervisor's indicator this one cascades from; required for the utama"
                 " indicators of an employee who is not a unit head"),
                ("kompetensi", "kompetensi yang menopang indikator (nilai BerAKHLAK atau tag teknis);"
                 " dasar rekomendasi pelatihan",
                 "competency the indicator relies on (a BerAKHLAK value or a technical tag); used for"
                 " training recommendations"),
            ),
        ),
        FileSpec(
            "realisasi.csv",
            ("id_indikator", "periode", "realisasi"),
            ("bukti",),
            floats=("realisasi",),
            kategori=("id_indikator", "periode"),
            baris=("indikator dan bulan", "indicator and month"),
            arti=(
                ("id_indikator", "indikator di skp.csv", "an indicator of skp.csv"),
                ("periode", "bulan, YYYY-MM, dalam tahun penilaian",
                 "month, YYYY-MM, within the appraisal year"),
                ("realisasi",
                 "capaian kumulatif (>= 0) sampai akhir bulan itu, dalam satuan indikator; yang"
                 " berlaku bulan terakhir sampai batas waktu tahap",
                 "cumulative achievement (>= 0) up to the end of that month, in the indicator's"
                 " satuan; the latest month on or before the stage's cut-off counts"),
                ("bukti", "bukti dukung (mis. tautan dokumen)", "supporting evidence (e.g. a link)"),
            ),
        ),
        FileSpec(
            "perilaku.csv",
            ("nip", "nip_penilai", "periode", *BERAKHLAK),
            ("catatan",),
            integers=BERAKHLAK,
            baris=("penilaian satu pegawai oleh satu penilai dalam satu semester",
                   "rating of one employee by one rater in a semester"),
            arti=(
                ("nip", "NIP pegawai yang dinilai", "NIP of the rated employee"),
                ("nip_penilai",
                 "NIP penilai; penilaian oleh atasan langsung pegawai menjadi nilai, penilaian orang"
                 " lain menjadi umpan balik",
                 "NIP of the rater; a rating by the employee's own supervisor is the rating, ratings"
                 " by others are feedback"),
                ("periode", "semester, YYYY-S1 (Jan-Jun) atau YYYY-S2 (Jul-Des)",
                 "semester, YYYY-S1 (Jan-Jun) or YYYY-S2 (Jul-Dec)"),
                *(_nilai_berakhlak(kolom) for kolom in BERAKHLAK),
                ("catatan", "catatan penilai", "the rater's note"),
            ),
        ),
        FileSpec(
            "umpan_balik.csv",
            ("nip", "dari_nip", "tanggal", "jenis"),
            ("catatan",),
            baris=("catatan umpan balik", "feedback note"),
            arti=(
                ("nip", "NIP pegawai penerima umpan balik", "NIP of the employee receiving it"),
                ("dari_nip", "NIP pemberi umpan balik", "NIP of the person giving it"),
                ("tanggal", "tanggal umpan balik, YYYY-MM-DD", "date of the feedback, YYYY-MM-DD"),
                ("jenis", "bentuk umpan balik", "kind of feedback"),
                ("catatan", "isi catatan", "the note"),
            ),
        ),
        FileSpec(
            "survei_masyarakat.csv",
            ("kode_unit", "periode", "layanan", "jumlah_responden", "nilai_ikm"),
            integers=("jumlah_responden",),
            floats=("nilai_ikm",),
            baris=("unit, bulan dan layanan", "unit, month and service"),
            arti=(
                ("kode_unit", "unit kerja yang disurvei (kode_unit di unit_kerja.csv)",
                 "the surveyed work unit (a kode_unit of unit_kerja.csv)"),
                ("periode", "bulan survei, YYYY-MM, dalam tahun penilaian",
                 "month of the survey, YYYY-MM, within the appraisal year"),
                ("layanan", "layanan publik yang disurvei", "the public service surveyed"),
                ("jumlah_responden", "jumlah responden (>= 1); bobot dalam IKM unit",
                 "number of respondents (>= 1); weights the unit's IKM"),
                ("nilai_ikm", "Indeks Kepuasan Masyarakat, 25-100",
                 "citizen satisfaction index (Indeks Kepuasan Masyarakat), 25-100"),
            ),
        ),
        FileSpec(
            "riwayat_pelatihan.csv",
            ("nip", "nama_pelatihan", "kompetensi", "tanggal", "jp"),
            floats=("jp",),
            baris=("pelatihan yang diikuti", "training attended"),
            arti=(
                ("nip", "NIP peserta", "NIP of the participant"),
                ("nama_pelatihan", "nama pelatihan", "name of the training"),
                ("kompetensi", "kompetensi yang dikembangkan", "competency developed"),
                ("tanggal", "tanggal pelatihan, YYYY-MM-DD", "date of the training, YYYY-MM-DD"),
                ("jp", "jam pelajaran (> 0); dihitung ke 20 JP setahun",
                 "lesson hours (jam pelajaran, > 0); count towards the 20 JP a year"),
            ),
        ),
        FileSpec(
            "katalog_pelatihan.csv",
            ("kode_pelatihan", "nama_pelatihan", "kompetensi", "jp"),
            floats=("jp",),
            baris=("pelatihan yang ditawarkan", "training on offer"),
            arti=(
                ("kode_pelatihan", "kode pelatihan, unik di berkas", "training code, unique in the file"),
                ("nama_pelatihan", "nama pelatihan", "name of the training"),
                ("kompetensi", "kompetensi yang dikembangkan; dicocokkan dengan kesenjangan pegawai",
                 "competency developed; matched with employees' gaps"),
                ("jp", "lama pelatihan dalam jam pelajaran (> 0)",
                 "length of the training in lesson hours (> 0)"),
            ),
        ),
        FileSpec(
            "rating_atasan.csv",
            ("nip", "alasan"),
            ("rating_hasil_kerja", "rating_perilaku"),
            baris=("penetapan rating oleh atasan", "supervisor override"),
            arti=(
                ("nip", "NIP pegawai yang ratingnya ditetapkan atasan",
                 "NIP of the employee whose rating the supervisor sets"),
                ("alasan", "alasan penetapan; disimpan dan ditampilkan",
                 "reason for the override; kept and shown"),
                ("rating_hasil_kerja",
                 "rating hasil kerja pengganti hasil hitungan; kosong = tidak diganti",
                 "work-result rating replacing the computed one; empty = no override"),
                ("rating_perilaku",
                 "rating perilaku kerja pengganti hasil hitungan; kosong = tidak diganti",
                 "behaviour rating replacing the computed one; empty = no override"),
            ),
        ),
        FileSpec(
            "keberatan.csv",
            ("nip", "tahun", "tanggal_terima", "tanggal_pengajuan", "alasan", "tanggal_keputusan",
             "keputusan"),
            ("nip_pemutus", "rating_hasil_kerja_baru", "rating_perilaku_baru", "catatan_keputusan"),
            integers=("tahun",),
            baris=("keberatan dan keputusannya", "objection and its decision"),
            arti=(
                ("nip", "NIP pegawai yang mengajukan keberatan; hanya pegawai yang dinilai tahun itu,"
                 " satu kali",
                 "NIP of the objecting employee; only an employee scored that year, once"),
                ("tahun", "tahun penilaian yang dikeberatani, sama dengan --tahun",
                 "appraisal year objected to, equal to --tahun"),
                ("tanggal_terima", "tanggal pegawai menerima hasil penilaian, YYYY-MM-DD",
                 "date the employee received the result, YYYY-MM-DD"),
                ("tanggal_pengajuan",
                 "tanggal keberatan diajukan, YYYY-MM-DD; tidak sebelum tanggal_terima dan paling"
                 " lambat 14 hari kalender sesudahnya (ruleset: keberatan.batas_hari)",
                 "date the objection was filed, YYYY-MM-DD; not before tanggal_terima and at most 14"
                 " calendar days after it (ruleset: keberatan.batas_hari)"),
                ("alasan", "alasan keberatan pegawai", "the employee's reasons for objecting"),
                ("nip_pemutus",
                 "NIP pejabat yang memutus: atasan dari atasan langsung pegawai (atasan Pejabat"
                 " Penilai Kinerja); kosong bila atasan langsung tidak punya atasan di pegawai.csv"
                 " (pimpinan instansi: yang memutus Pejabat Pembina Kepegawaian, di luar data)",
                 "NIP of the decider: the supervisor of the employee's direct supervisor (the"
                 " appraiser's superior); empty when the direct supervisor has no supervisor in"
                 " pegawai.csv (head of an instansi: the Pejabat Pembina Kepegawaian decides, outside"
                 " the data)"),
                ("tanggal_keputusan", "tanggal keputusan, YYYY-MM-DD; tidak sebelum tanggal_pengajuan",
                 "date of the decision, YYYY-MM-DD; not before tanggal_pengajuan"),
                ("keputusan",
                 "diterima (rating baru yang diisi menggantikan rating lama) atau ditolak (hasil"
                 " penilaian tetap); keputusan bersifat final",
                 "diterima (the new ratings given replace the old ones) or ditolak (the result"
                 " stands); the decision is final"),
                ("rating_hasil_kerja_baru",
                 "rating hasil kerja yang ditetapkan pemutus; kosong = tidak berubah; keputusan"
                 " diterima wajib mengisi minimal satu rating baru",
                 "work-result rating set by the decider; empty = unchanged; a diterima decision"
                 " needs at least one new rating"),
                ("rating_perilaku_baru",
                 "rating perilaku kerja yang ditetapkan pemutus; kosong = tidak berubah",
                 "behaviour rating set by the decider; empty = unchanged"),
                ("catatan_keputusan", "catatan pemutus atas keputusannya",
                 "the decider's note on the decision"),
            ),
        ),
        FileSpec(
            "angka_kredit.csv",
            ("nip", "jenjang", "golongan", "ak_awal"),
            ("bulan",),
            floats=("ak_awal", "bulan"),
            baris=("pejabat fungsional", "functional official"),
            arti=(
                ("nip", "NIP pejabat fungsional: pegawai di pegawai.csv dengan jenis_jabatan fungsional;"
                 " satu baris per pegawai (baris berikutnya untuk nip yang sama dikarantina)",
                 "NIP of the functional official: an employee of pegawai.csv whose jenis_jabatan is"
                 " fungsional; one row per employee (a later row for the same nip is quarantined)"),
                ("jenjang", "jenjang jabatan fungsional", "the functional position's level (jenjang)"),
                ("golongan",
                 "golongan ruang, di dalam rentang golongan jenjangnya (ruleset: angka_kredit.jenjang)",
                 "golongan ruang (rank), within the jenjang's golongan range (ruleset:"
                 " angka_kredit.jenjang)"),
                ("ak_awal",
                 "angka kredit kumulatif PAK terakhir di jenjang ini (>= 0); angka kredit tahun ini"
                 " ditambahkan padanya",
                 "cumulative credit points of the last PAK in this jenjang (>= 0); this year's credit"
                 " is added to it"),
                ("bulan",
                 "bulan penilaian dalam jabatan tahun ini, bilangan bulat 1-12; kosong = 12; angka"
                 " kredit tahun ini = bulan/12 x persentase predikat x koefisien jenjang",
                 "months in the position this year, a whole number 1-12; empty = 12; this year's"
                 " credit = bulan/12 x the predikat's percentage x the jenjang's coefficient"),
            ),
        ),
    )
}


def input_frame(frames: dict[str, pd.DataFrame], sheet: str) -> pd.DataFrame:
    """The checked frame of `sheet`; an optional file that was not supplied behaves as an empty one."""
    if sheet in frames:
        return frames[sheet]
    spec = FILES[sheet]
    jenis = {k: "int64" if k in spec.integers else "float64" if k in spec.floats else "str"
             for k in spec.columns}
    turunan = {"bulan": "int64"} if sheet in ("realisasi", "survei_masyarakat") else {}
    if sheet == "perilaku":
        turunan = {"semester": "int64"}
    kolom = {**jenis, "_baris": "int64", **turunan}
    return pd.DataFrame({k: pd.Series(dtype=t) for k, t in kolom.items()})
