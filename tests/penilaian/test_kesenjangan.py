"""Rules 1-2 of tindak lanjut on hand-made rows: each gap, its priority, reason and trainings by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd

from contract.schema import BERAKHLAK
from penilaian.kesenjangan import (
    kesenjangan_hasil_kerja,
    kesenjangan_perilaku,
    name_key,
    peringkat_prioritas,
    rekomendasi_kesenjangan,
    sudah_diikuti,
    tanpa_pelatihan,
)

TAHUN = 2026
ANI, BUDI, CICI = "198001012005011001", "198001012005011002", "198001012005011003"
KATALOG = pd.DataFrame(
    [("K01", "Etika ASN", "akuntabel", 8.0), ("K02", "Akuntabilitas Kinerja", "akuntabel", 12.0),
     ("K03", "Pelayanan Prima", "berorientasi_pelayanan", 6.0), ("K06", "Kepemimpinan", "kompeten", 16.0)],
    columns=["kode_pelatihan", "nama_pelatihan", "kompetensi", "jp"],
)


def test_name_key_ignores_case_and_every_space():
    got = name_key(pd.Series(["Etika  ASN", " etika\tasn ", "Etika-ASN"])).tolist()
    assert got == ["etikaasn", "etikaasn", "etika-asn"]


def test_sudah_diikuti_up_to_the_year_by_name():
    riwayat = pd.DataFrame({
        "nip": [ANI, ANI, BUDI, ANI],
        "nama_pelatihan": ["etika  asn", "Pelayanan Prima", "Kursus Lain", "ETIKA ASN"],
        "tanggal": ["2024-05-01", "2027-01-10", "2026-03-01", "2026-02-01"],
    })
    # ANI attended Etika ASN (2024 and 2026: one pair); Pelayanan Prima only in 2027 (after tahun);
    # BUDI's course is not in the catalogue.
    assert sudah_diikuti(riwayat, KATALOG, TAHUN).values.tolist() == [[ANI, "K01"]]


def _hasil(nip, rating_hk, rating_pr, **rerata):
    row = {"nip": nip, "rating_hasil_kerja": rating_hk, "rating_perilaku": rating_pr}
    row.update({f"rerata_{v}": rerata.get(v, 3.5) for v in BERAKHLAK})
    return row


def test_kesenjangan_perilaku_values_below_three(ruleset):
    hasil = pd.DataFrame([
        # akuntabel 2.5 -> gap (tinggi: rating di_bawah); kompeten 3 - 4e-16 is 3.0 on paper: no gap.
        _hasil(ANI, "sesuai", "di_bawah", akuntabel=2.5, kompeten=2.9999999999999996),
        # kolaboratif 1.0 -> gap (sedang); loyal missing (no supervisor rating) is no gap.
        _hasil(BUDI, "sesuai", "sesuai", kolaboratif=1.0, loyal=np.nan),
    ])
    got = kesenjangan_perilaku(hasil, ruleset)
    assert got[["nip", "kompetensi", "prioritas", "aturan", "urutan"]].values.tolist() == [
        [ANI, "akuntabel", "tinggi", 1, "1"],
        [BUDI, "kolaboratif", "sedang", 1, "6"],
    ]
    assert got["alasan"].tolist() == ["Nilai 'akuntabel' 2,50 di bawah 3,00",
                                      "Nilai 'kolaboratif' 1,00 di bawah 3,00"]


def test_kesenjangan_hasil_kerja_utama_below_ninety_with_a_kompetensi(ruleset):
    hasil = pd.DataFrame([_hasil(ANI, "di_bawah", "sesuai"), _hasil(BUDI, "sesuai", "sesuai")])
    indikator = pd.DataFrame(
        [
            ("I1", ANI, "utama", "Laporan", 85.5, "penulisan_dokumen"),  # gap, tinggi
            ("I2", ANI, "utama", "Rapat", 95.0, "kompeten"),  # 95 >= 90: no gap
            ("I3", ANI, "tambahan", "Piket", 10.0, "kompeten"),  # tambahan: no gap
            ("I4", ANI, "utama", "Arsip", 50.0, None),  # names no kompetensi
            ("I5", BUDI, "utama", "Data", np.nan, "pengolahan_data"),  # no capaian counts as 0: gap
            ("I6", CICI, "utama", "Lain", 10.0, "kompeten"),  # CICI is not scored
        ],
        columns=["id_indikator", "nip", "jenis", "indikator", "capaian", "kompetensi"],
    )
    got = kesenjangan_hasil_kerja(hasil, indikator, ruleset)
    assert got[["nip", "kompetensi", "prioritas", "aturan", "urutan"]].values.tolist() == [
        [ANI, "penulisan_dokumen", "tinggi", 2, "I1"],
        [BUDI, "pengolahan_data", "sedang", 2, "I5"],
    ]
    assert got["alasan"].tolist() == ["Indikator I1 'Laporan' capaian 85,50% di bawah 90%",
                                      "Indikator I5 'Data' capaian 0,00% di bawah 90%"]


def _gaps(rows):
    return pd.DataFrame(rows, columns=["nip", "kompetensi", "prioritas", "alasan", "aturan", "urutan"])


def test_rekomendasi_kesenjangan_once_per_training_with_the_highest_priority():
    gaps = _gaps([
        (ANI, "akuntabel", "sedang", "r2", 2, "I1"),
        (ANI, "akuntabel", "tinggi", "r1", 1, "1"),
        (BUDI, "kompeten", "sedang", "r3", 1, "2"),
        (BUDI, "harmonis", "tinggi", "r4", 1, "3"),  # no catalogue training
    ])
    diikuti = pd.DataFrame({"nip": [ANI], "kode_pelatihan": ["K02"]})
    got = rekomendasi_kesenjangan(gaps, KATALOG, diikuti)
    # ANI: K01 for both akuntabel gaps -> once, tinggi, rule 1's reason first; K02 already attended.
    # BUDI: K06 for kompeten. Single-gap rows come first, then the merged ones.
    assert got.values.tolist() == [
        [BUDI, "K06", "Kepemimpinan", "kompeten", "r3", 16.0, "sedang"],
        [ANI, "K01", "Etika ASN", "akuntabel", "r1; r2", 8.0, "tinggi"],
    ]


def test_tanpa_pelatihan_says_why():
    gaps = _gaps([
        (ANI, "akuntabel", "tinggi", "r1", 1, "1"),
        (ANI, "akuntabel", "sedang", "r2", 2, "I1"),
        (BUDI, "harmonis", "tinggi", "r4", 1, "3"),
        (BUDI, "kompeten", "sedang", "r3", 1, "2"),
    ])
    rekomendasi = pd.DataFrame({"nip": [BUDI], "kompetensi": ["kompeten"]})
    got = tanpa_pelatihan(gaps, KATALOG, rekomendasi, TAHUN)
    assert got.values.tolist() == [
        [ANI, "akuntabel", "r1; r2",
         "semua pelatihan di katalog untuk kompetensi 'akuntabel' sudah pernah diikuti (s.d. 2026)"],
        [BUDI, "harmonis", "r4", "tidak ada pelatihan di katalog untuk kompetensi 'harmonis'"],
    ]


def test_peringkat_prioritas():
    assert peringkat_prioritas(pd.Series(["rendah", "tinggi", "sedang"])).tolist() == [2, 0, 1]
