"""The catalogue of value rules: each rule's code and its reason in Indonesian and English.

The codes, reasons and their order are part of the output contract (karantina.csv sorts a line's
problems by this order); change them only by adding rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from contract.schema import (
    ASPEK,
    GOLONGAN,
    JENIS_JABATAN,
    JENIS_UMPAN_BALIK,
    JENJANG,
    PREDIKAT_ORGANISASI,
)


@dataclass(frozen=True)
class Aturan:
    """One value rule: its code and reason templates ({nilai}, {kolom}, {tahun} or a row column)."""

    kode: str
    alasan: str
    reason: str


ATURAN: dict[str, Aturan] = {
    a.kode: a
    for a in (
        Aturan("WAJIB_KOSONG", "kolom wajib {kolom} kosong", "required column {kolom} is empty"),
        Aturan(
            "JUMLAH_KOLOM",
            "baris berisi lebih banyak kolom daripada judul; kelebihan: '{nilai}'",
            "row has more fields than the header; surplus: '{nilai}'",
        ),
        Aturan(
            "SEL_ANGKA",
            "{kolom} '{nilai}' tersimpan sebagai angka di Excel, bukan teks: Excel hanya menyimpan 15"
            " angka penting (angka sesudah yang ke-15 menjadi 0) dan membuang nol di depan atau di"
            " belakang koma, jadi nilai aslinya sudah hilang. Format kolom {kolom} sebagai Teks,"
            " lalu ketik ulang atau ekspor ulang nilainya",
            "{kolom} '{nilai}' is stored as a number in Excel, not as text: Excel keeps only 15"
            " significant digits (the digits after the 15th become 0) and drops leading and trailing"
            " zeros, so the original value is lost. Format the {kolom} column as Text, then re-enter"
            " or re-export the values",
        ),
        Aturan(
            "KODE_TIDAK_AMAN",
            "{kolom} '{nilai}' tidak aman: hanya huruf, angka, '.', '_' dan '-' (bukan '.' atau '..')",
            "{kolom} '{nilai}' is unsafe: only letters, digits, '.', '_' and '-' (not '.' or '..')",
        ),
        Aturan(
            "NIP_FORMAT",
            "{kolom} '{nilai}' bukan NIP 18 angka",
            "{kolom} '{nilai}' is not an 18-digit NIP",
        ),
        Aturan(
            "NIP_TANGGAL_LAHIR",
            "{kolom} '{nilai}': tanggal lahir (angka 1-8, YYYYMMDD) bukan tanggal yang ada",
            "{kolom} '{nilai}': birth date (digits 1-8, YYYYMMDD) is not a real date",
        ),
        Aturan(
            "NIP_TMT",
            "{kolom} '{nilai}': TMT (angka 9-14, YYYYMM) bukan bulan yang sah, sebelum usia 18 tahun,"
            " atau sesudah tahun {tahun}",
            "{kolom} '{nilai}': start of service (digits 9-14, YYYYMM) is not a real month, before"
            " the 18th birthday year, or after {tahun}",
        ),
        Aturan(
            "NIP_JENIS_KELAMIN",
            "{kolom} '{nilai}': angka ke-15 (jenis kelamin) harus 1 atau 2",
            "{kolom} '{nilai}': digit 15 (sex) must be 1 or 2",
        ),
        Aturan(
            "NIP_URUT",
            "{kolom} '{nilai}': nomor urut (angka 16-18) harus 001-999",
            "{kolom} '{nilai}': sequence number (digits 16-18) must be 001-999",
        ),
        Aturan(
            "NIP_GANDA",
            "nip '{nilai}' muncul lebih dari sekali di pegawai.csv (semua barisnya dikarantina)",
            "nip '{nilai}' occurs more than once in pegawai.csv (all its rows are quarantined)",
        ),
        Aturan(
            "JENIS_JABATAN",
            "jenis_jabatan '{nilai}' tidak dikenal (" + ", ".join(JENIS_JABATAN) + ")",
            "unknown jenis_jabatan '{nilai}' (" + ", ".join(JENIS_JABATAN) + ")",
        ),
        Aturan(
            "UNIT_TIDAK_ADA",
            "kode_unit '{nilai}' tidak ada di unit_kerja.csv",
            "kode_unit '{nilai}' is not in unit_kerja.csv",
        ),
        Aturan(
            "UNIT_GANDA",
            "kode_unit '{nilai}' muncul lebih dari sekali di unit_kerja.csv",
            "kode_unit '{nilai}' occurs more than once in unit_kerja.csv",
        ),
        Aturan(
            "PREDIKAT_ORGANISASI",
            "predikat_organisasi '{nilai}' tidak sah (" + ", ".join(PREDIKAT_ORGANISASI)
            + "); wajib diisi sebelum penilaian akhir tahun",
            "invalid predikat_organisasi '{nilai}' (" + ", ".join(PREDIKAT_ORGANISASI)
            + "); required before year-end scoring",
        ),
        Aturan(
            "ATASAN_TIDAK_ADA",
            "nip_atasan '{nilai}' tidak ada di pegawai.csv",
            "nip_atasan '{nilai}' is not in pegawai.csv",
        ),
        Aturan(
            "ATASAN_INSTANSI_LAIN",
            "atasan '{nilai}' berada di instansi lain",
            "supervisor '{nilai}' belongs to another instansi",
        ),
        Aturan(
            "ATASAN_SIKLUS",
            "rantai atasan melingkar: lewat nip_atasan '{nilai}' pegawai ini kembali ke dirinya sendiri",
            "supervisor chain is a cycle: through nip_atasan '{nilai}' it leads back to this employee",
        ),
        Aturan(
            "ATASAN_KOSONG",
            "nip_atasan kosong, padahal pegawai bukan pimpinan instansi (bukan pimpinan_tinggi dan"
            " bukan satu-satunya pegawai tanpa atasan di instansinya)",
            "nip_atasan is empty but the employee is not the head of the instansi (not"
            " pimpinan_tinggi and not the only employee without a supervisor in the instansi)",
        ),
        Aturan(
            "ASPEK",
            "aspek '{nilai}' tidak dikenal (" + ", ".join(ASPEK) + ")",
            "unknown aspek '{nilai}' (" + ", ".join(ASPEK) + ")",
        ),
        Aturan(
            "ARAH",
            "arah '{nilai}' harus naik atau turun",
            "arah '{nilai}' must be naik or turun",
        ),
        Aturan(
            "JENIS",
            "jenis '{nilai}' harus utama atau tambahan",
            "jenis '{nilai}' must be utama or tambahan",
        ),
        Aturan("TARGET", "target '{nilai}' harus angka > 0", "target '{nilai}' must be a number > 0"),
        Aturan(
            "TAHUN",
            "tahun '{nilai}' harus sama dengan tahun penilaian {tahun}",
            "tahun '{nilai}' must equal the appraisal year {tahun}",
        ),
        Aturan(
            "ID_GANDA",
            "id_indikator '{nilai}' muncul lebih dari sekali di skp.csv (semua barisnya dikarantina)",
            "id_indikator '{nilai}' occurs more than once in skp.csv (all its rows are quarantined)",
        ),
        Aturan(
            "INDIKATOR_TIDAK_ADA",
            "{kolom} '{nilai}' tidak ada di skp.csv",
            "{kolom} '{nilai}' is not in skp.csv",
        ),
        Aturan(
            "KASKADE",
            "id_indikator_atasan '{nilai}' bukan indikator atasan langsung pegawai",
            "id_indikator_atasan '{nilai}' is not an indicator of the employee's own supervisor",
        ),
        Aturan(
            "KASKADE_WAJIB",
            "indikator utama '{id_indikator}' tidak menginduk ke indikator atasan"
            " (id_indikator_atasan kosong), padahal pegawai bukan kepala unit",
            "main indicator '{id_indikator}' does not cascade from a supervisor's indicator"
            " (id_indikator_atasan empty) but the employee is not a unit head",
        ),
        Aturan("PERIODE", "periode '{nilai}' harus YYYY-MM", "periode '{nilai}' must be YYYY-MM"),
        Aturan(
            "PERIODE_TAHUN",
            "periode '{nilai}' di luar tahun {tahun}",
            "periode '{nilai}' is outside {tahun}",
        ),
        Aturan(
            "REALISASI",
            "realisasi '{nilai}' harus angka >= 0",
            "realisasi '{nilai}' must be a number >= 0",
        ),
        Aturan(
            "REALISASI_GANDA",
            "lebih dari satu realisasi untuk indikator dan bulan '{nilai}' (semua barisnya dikarantina)",
            "more than one realisation for indicator and month '{nilai}' (all its rows are"
            " quarantined)",
        ),
        Aturan(
            "NILAI_PERILAKU",
            "{kolom} '{nilai}' harus bilangan bulat 1-5",
            "{kolom} '{nilai}' must be a whole number 1-5",
        ),
        Aturan(
            "SEMESTER",
            "periode '{nilai}' harus YYYY-S1 atau YYYY-S2",
            "periode '{nilai}' must be YYYY-S1 or YYYY-S2",
        ),
        Aturan(
            "PERILAKU_GANDA",
            "penilaian ganda untuk nip, nip_penilai dan periode '{nilai}' (semua barisnya dikarantina)",
            "duplicate rating for nip, nip_penilai and periode '{nilai}' (all its rows are"
            " quarantined)",
        ),
        Aturan(
            "JENIS_UMPAN_BALIK",
            "jenis '{nilai}' tidak dikenal (" + ", ".join(JENIS_UMPAN_BALIK) + ")",
            "unknown jenis '{nilai}' (" + ", ".join(JENIS_UMPAN_BALIK) + ")",
        ),
        Aturan(
            "TANGGAL",
            "{kolom} '{nilai}' tidak sah: harus tanggal nyata berformat YYYY-MM-DD (mis. 2026-03-31)",
            "{kolom} '{nilai}' is invalid: must be a real date written YYYY-MM-DD (e.g. 2026-03-31)",
        ),
        Aturan(
            "IKM", "nilai_ikm '{nilai}' harus angka 25-100", "nilai_ikm '{nilai}' must be a number 25-100"
        ),
        Aturan(
            "RESPONDEN",
            "jumlah_responden '{nilai}' harus bilangan bulat >= 1",
            "jumlah_responden '{nilai}' must be a whole number >= 1",
        ),
        Aturan(
            "SURVEI_GANDA",
            "survei ganda untuk kode_unit, periode dan layanan '{nilai}' (semua barisnya dikarantina)",
            "duplicate survey for kode_unit, periode and layanan '{nilai}' (all its rows are"
            " quarantined)",
        ),
        Aturan("JP", "jp '{nilai}' harus angka > 0", "jp '{nilai}' must be a number > 0"),
        Aturan(
            "KOMPETENSI",
            "kompetensi '{nilai}' harus nilai BerAKHLAK atau tag teknis huruf kecil dengan _"
            " (mis. pelayanan_publik)",
            "kompetensi '{nilai}' must be a BerAKHLAK value or a lower-case technical tag joined"
            " by _ (e.g. pelayanan_publik)",
        ),
        Aturan(
            "PELATIHAN_GANDA",
            "kode_pelatihan '{nilai}' muncul lebih dari sekali di katalog_pelatihan.csv",
            "kode_pelatihan '{nilai}' occurs more than once in katalog_pelatihan.csv",
        ),
        Aturan(
            "RATING",
            "{kolom} '{nilai}' harus di_atas, sesuai atau di_bawah",
            "{kolom} '{nilai}' must be di_atas, sesuai or di_bawah",
        ),
        Aturan(
            "RATING_GANDA",
            "lebih dari satu rating atasan untuk nip '{nilai}' (semua barisnya dikarantina)",
            "more than one supervisor override for nip '{nilai}' (all its rows are quarantined)",
        ),
        Aturan(
            "PEGAWAI_TIDAK_ADA",
            "{kolom} '{nilai}' tidak ada di pegawai.csv",
            "{kolom} '{nilai}' is not in pegawai.csv",
        ),
        Aturan(
            "INDUK_DIKARANTINA",
            "{kolom} '{nilai}' merujuk baris {induk} yang dikarantina",
            "{kolom} '{nilai}' refers to a quarantined row of {induk}",
        ),
        Aturan(
            "REALISASI_TURUN",
            "peringatan: realisasi kumulatif turun dari {sebelumnya} ke {nilai}",
            "warning: cumulative realisation decreases from {sebelumnya} to {nilai}",
        ),
        Aturan(
            "TEKS_RUMUS",
            "peringatan: {kolom} diawali '{awal}': spreadsheet dapat menjalankannya sebagai rumus; di"
            " keluaran ditulis dengan awalan '",
            "warning: {kolom} starts with '{awal}': a spreadsheet may run it as a formula; the outputs"
            " write it with a leading '",
        ),
        Aturan(
            "KEPUTUSAN",
            "keputusan '{nilai}' harus diterima atau ditolak",
            "keputusan '{nilai}' must be diterima or ditolak",
        ),
        Aturan(
            "PENGAJUAN_SEBELUM_TERIMA",
            "tanggal_pengajuan '{nilai}' sebelum tanggal_terima '{tanggal_terima}': keberatan diajukan"
            " atas hasil penilaian yang sudah diterima",
            "tanggal_pengajuan '{nilai}' is before tanggal_terima '{tanggal_terima}': an objection is"
            " filed against a result already received",
        ),
        Aturan(
            "KEPUTUSAN_SEBELUM_PENGAJUAN",
            "tanggal_keputusan '{nilai}' sebelum tanggal_pengajuan '{tanggal_pengajuan}'",
            "tanggal_keputusan '{nilai}' is before tanggal_pengajuan '{tanggal_pengajuan}'",
        ),
        Aturan(
            "DITERIMA_TANPA_RATING",
            "keputusan diterima tanpa rating baru: isi rating_hasil_kerja_baru dan/atau"
            " rating_perilaku_baru (rating yang diubah pemutus)",
            "keputusan diterima without a new rating: fill rating_hasil_kerja_baru and/or"
            " rating_perilaku_baru (the ratings the decider changed)",
        ),
        Aturan(
            "KEBERATAN_TIDAK_DINILAI",
            "nip '{nilai}' tidak dinilai pada tahun {tahun} (tidak ada di hasil_penilaian.csv): hanya"
            " pegawai yang dinilai dapat mengajukan keberatan",
            "nip '{nilai}' was not scored in {tahun} (not in hasil_penilaian.csv): only a scored"
            " employee can object",
        ),
        Aturan(
            "KEBERATAN_GANDA",
            "keberatan kedua untuk nip '{nilai}' tahun {tahun}: keberatan hanya sekali; yang berlaku"
            " diajukan {pertama_tanggal} (baris {pertama_baris})",
            "second objection for nip '{nilai}' in {tahun}: one objection only; the one that counts was"
            " filed on {pertama_tanggal} (line {pertama_baris})",
        ),
        Aturan(
            "KEBERATAN_TERLAMBAT",
            "tanggal_pengajuan '{nilai}' {selisih_hari} hari sesudah tanggal_terima '{tanggal_terima}':"
            " lewat batas {batas_hari} hari",
            "tanggal_pengajuan '{nilai}' is {selisih_hari} days after tanggal_terima"
            " '{tanggal_terima}': past the {batas_hari}-day limit",
        ),
        Aturan(
            "KEBERATAN_TANPA_ATASAN",
            "pegawai '{nilai}' tidak punya atasan langsung (nip_atasan kosong di pegawai.csv): tidak ada"
            " Pejabat Penilai Kinerja yang keputusannya dapat dikeberatani",
            "employee '{nilai}' has no direct supervisor (nip_atasan empty in pegawai.csv): there is no"
            " appraiser (Pejabat Penilai Kinerja) whose result can be objected to",
        ),
        Aturan(
            "PEMUTUS_SALAH",
            "nip_pemutus '{nilai}' bukan pejabat yang memutus keberatan ini: {seharusnya}",
            "nip_pemutus '{nilai}' is not who decides this objection: {should_be}",
        ),
        Aturan(
            "PEMUTUS_TIDAK_TERPERIKSA",
            "atasan langsung '{nip_atasan}' tidak ada di pegawai.csv yang sah (barisnya dikarantina):"
            " pemutus keberatan (atasannya) tidak dapat diperiksa",
            "direct supervisor '{nip_atasan}' is not among the valid rows of pegawai.csv (the row is"
            " quarantined): the decider (that supervisor's supervisor) cannot be checked",
        ),
        Aturan(
            "JENJANG",
            "jenjang '{nilai}' tidak dikenal (" + ", ".join(JENJANG) + ")",
            "unknown jenjang '{nilai}' (" + ", ".join(JENJANG) + ")",
        ),
        Aturan(
            "GOLONGAN",
            "golongan '{nilai}' tidak dikenal (" + ", ".join(GOLONGAN) + ")",
            "unknown golongan '{nilai}' (" + ", ".join(GOLONGAN) + ")",
        ),
        Aturan(
            "AK_AWAL",
            "ak_awal '{nilai}' harus angka >= 0 (angka kredit kumulatif PAK terakhir)",
            "ak_awal '{nilai}' must be a number >= 0 (the cumulative credit of the last PAK)",
        ),
        Aturan(
            "AK_BULAN",
            "bulan '{nilai}' harus bilangan bulat 1-12 (kosong = 12)",
            "bulan '{nilai}' must be a whole number 1-12 (empty = 12)",
        ),
        Aturan(
            "BUKAN_FUNGSIONAL",
            "nip '{nilai}' bukan pejabat fungsional (jenis_jabatan di pegawai.csv bukan fungsional):"
            " angka kredit hanya untuk jabatan fungsional",
            "nip '{nilai}' is not a functional official (jenis_jabatan in pegawai.csv is not"
            " fungsional): credit points are for functional positions only",
        ),
        Aturan(
            "AK_GANDA",
            "nip '{nilai}' sudah ada di baris {baris_pertama} angka_kredit.csv, baris yang berlaku:"
            " satu baris per pejabat fungsional",
            "nip '{nilai}' is already on line {baris_pertama} of angka_kredit.csv, the line that"
            " counts: one row per functional official",
        ),
        Aturan(
            "GOLONGAN_JENJANG",
            "golongan '{nilai}' di luar rentang golongan jenjang {jenjang} ({rentang})",
            "golongan '{nilai}' is outside the golongan range of jenjang {jenjang} ({rentang})",
        ),
        Aturan(
            "AK_TANPA_PREDIKAT",
            "pejabat fungsional '{nilai}' tidak punya predikat yang ditetapkan untuk tahun {tahun} (tidak"
            " dinilai atau hasilnya dikarantina): angka kredit tahun ini tidak dihitung",
            "functional official '{nilai}' has no standing predikat for {tahun} (not scored, or the"
            " result was quarantined): no credit points are computed this year",
        ),
    )
}

# The rules of the objection review (penilaian/keberatan.py): they need the year's results, pegawai.csv
# or the other objection rows, so the value rules of one file never raise them. Code -> the column of
# keberatan.csv its quarantine row names.
ATURAN_TINJAUAN_KEBERATAN: dict[str, str] = {
    "KEBERATAN_TIDAK_DINILAI": "nip",
    "KEBERATAN_GANDA": "nip",
    "KEBERATAN_TERLAMBAT": "tanggal_pengajuan",
    "KEBERATAN_TANPA_ATASAN": "nip",
    "PEMUTUS_SALAH": "nip_pemutus",
    "PEMUTUS_TIDAK_TERPERIKSA": "nip",
}

# The rules of the credit conversion (penilaian/angka_kredit.py): they need the ruleset (each jenjang's
# golongan range) or the year's standing predikat, so the value rules of one file never raise them.
# Code -> the column of angka_kredit.csv its quarantine row names.
ATURAN_ANGKA_KREDIT: dict[str, str] = {
    "GOLONGAN_JENJANG": "golongan",
    "AK_TANPA_PREDIKAT": "nip",
}
