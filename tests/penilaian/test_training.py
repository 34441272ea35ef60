"""Training recommendations on a tiny hand-made region; every expected row is worked out by hand."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from contract.schema import BERAKHLAK
from penilaian.training import (
    REKOMENDASI_COLUMNS,
    TrainingResult,
    pemenuhan_jp,
    recommend_trainings,
    to_rekomendasi_csv,
)
from tests.penilaian.input_frames import frame

TAHUN = 2026
ANI, BUDI, CICI, DEDI, EKO, FANI, GITA = (f"19800101200501100{i}" for i in range(1, 8))

KATALOG = [
    ("K01", "Etika ASN", "akuntabel", 8),
    ("K02", "Akuntabilitas Kinerja", "akuntabel", 12),
    ("K03", "Pelayanan Prima", "berorientasi_pelayanan", 6),
    ("K04", "Penulisan Dokumen Dinas", "penulisan_dokumen", 10),
    ("K05", "Excel Dasar", "pengolahan_data", 4),
    ("K06", "Kepemimpinan", "kompeten", 16),
    ("K07", "Kolaborasi Tim", "kolaboratif", 4),
]


def hasil(nip: str, nama: str, kode_unit: str, rating_hk: str, rating_pr: str, predikat: str,
          rerata: dict[str, float] | None = None, default: float = 3.5) -> dict:
    row = {"nip": nip, "nama": nama, "kode_unit": kode_unit, "rating_hasil_kerja": rating_hk,
           "rating_perilaku": rating_pr, "predikat_final": predikat}
    row.update({f"rerata_{v}": (rerata or {}).get(v, default) for v in BERAKHLAK})
    return row


def indikator(id_indikator: str, nip: str, nama: str, capaian: float, kompetensi: str | None,
              jenis: str = "utama") -> dict:
    return {"id_indikator": id_indikator, "nip": nip, "jenis": jenis, "indikator": nama,
            "capaian": capaian, "kompetensi": kompetensi}


def riwayat(nip: str, nama: str, tanggal: str, jp: float, kompetensi: str = "umum") -> dict:
    return {"nip": nip, "nama_pelatihan": nama, "kompetensi": kompetensi, "tanggal": tanggal,
            "jp": jp}


def katalog(rows=KATALOG) -> pd.DataFrame:
    return frame("katalog_pelatihan", [
        {"kode_pelatihan": k, "nama_pelatihan": n, "kompetensi": c, "jp": jp}
        for k, n, c, jp in rows
    ])


def pegawai(nip: str, nama: str, kode_unit: str) -> dict:
    return {"nip": nip, "nama": nama, "kode_unit": kode_unit, "jabatan": "Analis",
            "jenis_jabatan": "fungsional"}


def region() -> tuple[SimpleNamespace, dict[str, pd.DataFrame]]:
    """Seven employees; Gita is on the staff list but was not scored."""
    year_end = SimpleNamespace(
        hasil=pd.DataFrame([
            hasil(ANI, "Ani", "U1", "sesuai", "di_bawah", "Kurang", {"akuntabel": 2.5}),
            hasil(BUDI, "Budi", "U1", "di_bawah", "sesuai", "Butuh Perbaikan",
                  {"berorientasi_pelayanan": 2.75, "akuntabel": 3.0}),
            hasil(CICI, "Cici", "U1", "di_bawah", "sesuai", "Butuh Perbaikan", {"akuntabel": 2.0}),
            hasil(DEDI, "Dedi", "U2", "sesuai", "di_atas", "Sangat Baik", default=4.5),
            hasil(EKO, "Eko", "U2", "sesuai", "sesuai", "Baik", default=np.nan),
            hasil(FANI, "Fani", "U2", "sesuai", "sesuai", "Sangat Kurang", {"kolaboratif": 2.9}),
        ]),
        indikator=pd.DataFrame([
            indikator("A-01", ANI, "Jumlah laporan", 100, "akuntabel"),
            indikator("B-01", BUDI, "Jumlah dokumen kebijakan", 72.4, "penulisan_dokumen"),
            indikator("B-02", BUDI, "Jumlah data diolah", 95, "pengolahan_data"),
            indikator("B-03", BUDI, "Rapat", 50, "kompeten", jenis="tambahan"),
            indikator("B-04", BUDI, "Persentase arsip", 80, None),
            indikator("B-05", BUDI, "Jumlah kajian", 90, "kompeten"),
            indikator("C-01", CICI, "Ketepatan laporan", 50, "akuntabel"),
            indikator("D-01", DEDI, "Jumlah perkara", 60, "hukum_pidana"),
        ]),
    )
    frames = {
        "pegawai": frame("pegawai", [
            pegawai(ANI, "Ani", "U1"), pegawai(BUDI, "Budi", "U1"), pegawai(CICI, "Cici", "U1"),
            pegawai(DEDI, "Dedi", "U2"), pegawai(EKO, "Eko", "U2"), pegawai(FANI, "Fani", "U2"),
            pegawai(GITA, "Gita", "U2"),
        ]),
        "katalog_pelatihan": katalog(),
        "riwayat_pelatihan": frame("riwayat_pelatihan", [
            riwayat(ANI, "Diklat Prajabatan", "2025-11-01", 8),  # last year, not in the catalogue
            riwayat(BUDI, "Seminar Integritas", "2026-02-10", 2),
            riwayat(BUDI, "Kepemimpinan", "2025-05-01", 30),
            riwayat(CICI, "  etika   asn ", "2026-04-01", 8),  # = K01, case and spaces differ
            riwayat(DEDI, "Pelatihan Hukum", "2026-03-01", 20),
            riwayat(EKO, "Excel Dasar", "2026-01-10", 4),
            riwayat(EKO, "kolaborasi tim", "2026-02-10", 4.5),
            riwayat(FANI, "Kolaborasi Tim", "2026-05-05", 4),
            riwayat(FANI, "Seminar", "2026-06-01", 16),
            riwayat(GITA, "Workshop", "2026-03-03", 10),
        ]),
    }
    return year_end, frames


@pytest.fixture(scope="module")
def result(ruleset) -> TrainingResult:
    year_end, frames = region()
    return recommend_trainings(year_end, frames, ruleset, TAHUN)


NILAI_AKUNTABEL_ANI = "Nilai 'akuntabel' 2,50 di bawah 3,00"
EXPECTED = [
    (ANI, "K01", "akuntabel", NILAI_AKUNTABEL_ANI, 8, "tinggi"),
    (ANI, "K02", "akuntabel", NILAI_AKUNTABEL_ANI, 12, "tinggi"),
    (BUDI, "K04", "penulisan_dokumen",
     "Indikator B-01 'Jumlah dokumen kebijakan' capaian 72,40% di bawah 90%", 10, "tinggi"),
    (BUDI, "K03", "berorientasi_pelayanan", "Nilai 'berorientasi_pelayanan' 2,75 di bawah 3,00",
     6, "sedang"),
    (BUDI, "K05", "pengolahan_data", "JP tahun 2026 baru 2 dari minimal 20", 4, "rendah"),
    (CICI, "K02", "akuntabel", "Nilai 'akuntabel' 2,00 di bawah 3,00; "
     "Indikator C-01 'Ketepatan laporan' capaian 50,00% di bawah 90%", 12, "tinggi"),
    (EKO, "K01", "akuntabel", "JP tahun 2026 baru 8,5 dari minimal 20", 8, "rendah"),
    (EKO, "K03", "berorientasi_pelayanan", "JP tahun 2026 baru 8,5 dari minimal 20", 6, "rendah"),
    (GITA, "K03", "berorientasi_pelayanan", "JP tahun 2026 baru 10 dari minimal 20", 6, "rendah"),
    (GITA, "K05", "pengolahan_data", "JP tahun 2026 baru 10 dari minimal 20", 4, "rendah"),
    (GITA, "K07", "kolaboratif", "JP tahun 2026 baru 10 dari minimal 20", 4, "rendah"),
]


def test_recommendations_by_hand(result):
    got = result.rekomendasi[
        ["nip", "kode_pelatihan", "kompetensi", "alasan", "jp", "prioritas"]
    ].itertuples(index=False, name=None)
    assert list(got) == EXPECTED


def test_priority_follows_the_matching_rating(result):
    rek = result.rekomendasi.set_index(["nip", "kode_pelatihan"])["prioritas"]
    assert rek[(ANI, "K01")] == "tinggi"  # value gap, rating_perilaku di_bawah
    assert rek[(BUDI, "K03")] == "sedang"  # value gap, rating_perilaku sesuai
    assert rek[(BUDI, "K04")] == "tinggi"  # indicator gap, rating_hasil_kerja di_bawah
    # Cici: K02 qualifies as sedang (value) and tinggi (indicator): once, tinggi, both reasons
    assert rek[(CICI, "K02")] == "tinggi"
    assert result.rekomendasi["nip"].eq(CICI).sum() == 1


def test_already_attended_this_year_is_never_recommended(result):
    pasangan = set(zip(result.rekomendasi["nip"], result.rekomendasi["kode_pelatihan"], strict=True))
    assert (CICI, "K01") not in pasangan  # attended as "  etika   asn "
    assert (EKO, "K05") not in pasangan and (EKO, "K07") not in pasangan  # skipped in rule 3
    assert (ANI, "K01") in pasangan


def test_training_attended_in_an_earlier_year_is_not_recommended_again(ruleset):
    # Ani attended K01 "Etika ASN" in 2025: only K02 (12 JP) is left for her akuntabel gap; rule 3
    # then fills from the shortest remaining trainings, never K01.
    year_end, frames = region()
    extra = frame("riwayat_pelatihan", [riwayat(ANI, "Etika ASN", "2025-11-01", 8)])
    frames["riwayat_pelatihan"] = pd.concat([frames["riwayat_pelatihan"], extra], ignore_index=True)
    rek = recommend_trainings(year_end, frames, ruleset, TAHUN).rekomendasi
    ani = rek.loc[rek["nip"] == ANI]
    assert "K01" not in set(ani["kode_pelatihan"])
    assert ani.loc[ani["kode_pelatihan"] == "K02", "prioritas"].tolist() == ["tinggi"]
    assert ani["jp"].sum() >= 20


def test_employee_at_20_jp_gets_no_rule_3_rows(result):
    rek = result.rekomendasi
    assert rek.loc[rek["nip"].isin([DEDI, FANI])].empty
    # Ani attended nothing, but her rule-1 trainings (8 + 12) already reach 20 JP
    assert rek.loc[rek["nip"] == ANI, "prioritas"].tolist() == ["tinggi", "tinggi"]


def test_jp_pegawai_and_notes(result):
    tabel = result.jp_pegawai
    assert tabel[["nip", "kode_unit", "jp_diikuti", "jp_direkomendasikan",
                  "mencapai_minimum"]].values.tolist() == [
        [ANI, "U1", 0, 20, False], [BUDI, "U1", 2, 20, False], [CICI, "U1", 8, 12, False],
        [DEDI, "U2", 20, 0, True], [EKO, "U2", 8.5, 14, False], [FANI, "U2", 20, 0, True],
        [GITA, "U2", 10, 14, False],
    ]
    catatan = dict(zip(tabel["nip"], tabel["catatan"], strict=True))
    assert catatan[DEDI] == "tidak ada pelatihan di katalog untuk kompetensi 'hukum_pidana'"
    assert catatan[FANI] == (
        "semua pelatihan di katalog untuk kompetensi 'kolaboratif' sudah pernah diikuti (s.d. 2026)"
    )
    assert {catatan[n] for n in (ANI, BUDI, CICI, EKO, GITA)} == {""}


def test_gap_without_training_is_listed_not_recommended(result):
    assert result.tanpa_pelatihan.values.tolist() == [
        [DEDI, "U2", "hukum_pidana", "Indikator D-01 'Jumlah perkara' capaian 60,00% di bawah 90%",
         "tidak ada pelatihan di katalog untuk kompetensi 'hukum_pidana'"],
        [FANI, "U2", "kolaboratif", "Nilai 'kolaboratif' 2,90 di bawah 3,00",
         "semua pelatihan di katalog untuk kompetensi 'kolaboratif' sudah pernah diikuti (s.d. 2026)"],
    ]
    assert result.rekomendasi["kode_pelatihan"].notna().all()


def test_unit_plans(result):
    assert result.jp_unit.values.tolist() == [["U1", 3, 3, 100.0], ["U2", 4, 2, 50.0]]
    assert result.rencana_unit[["kode_unit", "kode_pelatihan", "jumlah_pegawai",
                                "total_jp"]].values.tolist() == [
        ["U1", "K01", 1, 8], ["U1", "K02", 2, 24], ["U1", "K03", 1, 6], ["U1", "K04", 1, 10],
        ["U1", "K05", 1, 4], ["U2", "K01", 1, 8], ["U2", "K03", 2, 12], ["U2", "K05", 1, 4],
        ["U2", "K07", 1, 4],
    ]


RENCANA = "Konseling kinerja oleh atasan langsung paling lambat Maret 2027; rencana perbaikan kinerja 6 bulan"


def test_rewards_and_counselling(result):
    # without an objection review the predikat that stands is predikat_final
    assert result.penghargaan.values.tolist() == [[DEDI, "Dedi", "U2", "Sangat Baik", "Sangat Baik"]]
    assert result.tindak_lanjut.values.tolist() == [
        [ANI, "Ani", "U1", "Kurang", "Kurang", RENCANA],
        [FANI, "Fani", "U2", "Sangat Kurang", "Sangat Kurang", RENCANA],
    ]


def test_after_objections_rewards_counselling_and_priorities_follow_what_stands(ruleset, result):
    """Ani's objection raised her to Baik (behaviour sesuai), Eko's to Sangat Baik: Ani gets no
    counselling and her value-gap trainings drop from tinggi to sedang; Eko becomes a reward candidate."""
    year_end, frames = region()
    hasil = year_end.hasil
    ditetapkan = {ANI: "Baik", EKO: "Sangat Baik"}
    keberatan = SimpleNamespace(
        akhir=hasil.assign(predikat_ditetapkan=hasil["nip"].map(ditetapkan).fillna(hasil["predikat_final"]),
                           keberatan=np.where(hasil["nip"].isin(list(ditetapkan)), "ya", "tidak")),
        keputusan=pd.DataFrame({"nip": [ANI, EKO], "rating_hasil_kerja_baru": ["sesuai", "di_atas"],
                                "rating_perilaku_baru": ["sesuai", "di_atas"]}),
    )
    after = recommend_trainings(year_end, frames, ruleset, TAHUN, keberatan)
    assert after.penghargaan.values.tolist() == [
        [DEDI, "Dedi", "U2", "Sangat Baik", "Sangat Baik"], [EKO, "Eko", "U2", "Baik", "Sangat Baik"]]
    assert after.tindak_lanjut.values.tolist() == [
        [FANI, "Fani", "U2", "Sangat Kurang", "Sangat Kurang", RENCANA]]
    prioritas = after.rekomendasi.set_index(["nip", "kode_pelatihan"])["prioritas"]
    assert (prioritas[ANI, "K01"], prioritas[ANI, "K02"]) == ("sedang", "sedang")
    unchanged = after.rekomendasi[after.rekomendasi["nip"] != ANI].reset_index(drop=True)
    pd.testing.assert_frame_equal(unchanged, result.rekomendasi[result.rekomendasi["nip"] != ANI]
                                  .reset_index(drop=True))


def test_catalogue_too_small_to_reach_20_jp(ruleset):
    year_end, frames = region()
    frames["katalog_pelatihan"] = katalog([KATALOG[4], KATALOG[6]])  # K05 4 JP + K07 4 JP
    frames["riwayat_pelatihan"] = frame("riwayat_pelatihan", [])
    result = recommend_trainings(year_end, frames, ruleset, TAHUN)
    gita = result.rekomendasi.loc[result.rekomendasi["nip"] == GITA]
    assert gita[["kode_pelatihan", "alasan", "prioritas"]].values.tolist() == [
        ["K05", "JP tahun 2026 baru 0 dari minimal 20", "rendah"],
        ["K07", "JP tahun 2026 baru 0 dari minimal 20", "rendah"],
    ]
    row = result.jp_pegawai.set_index("nip").loc[GITA]
    assert (row["jp_diikuti"], row["jp_direkomendasikan"], row["mencapai_minimum"]) == (0, 8, False)
    assert row["catatan"] == "katalog tidak cukup untuk mencapai 20 JP"
    # Budi: gaps without catalogue entries and a catalogue too small, both noted, in that order
    assert result.jp_pegawai.set_index("nip").loc[BUDI, "catatan"] == (
        "tidak ada pelatihan di katalog untuk kompetensi 'berorientasi_pelayanan'; "
        "tidak ada pelatihan di katalog untuk kompetensi 'penulisan_dokumen'; "
        "katalog tidak cukup untuk mencapai 20 JP"
    )


def test_rule_3_prefers_gap_trainings_then_shortest():
    kebutuhan = pd.DataFrame({"nip": [ANI, BUDI], "kurang": [10.0, 5.0]})
    diambil = pemenuhan_jp(
        kebutuhan,
        katalog(),
        pd.DataFrame({"nip": [BUDI], "kode_pelatihan": ["K05"]}),
        pd.DataFrame({"nip": [ANI], "kompetensi": ["kompeten"]}),
    )
    # Ani: K06 (16 JP, her gap) first and already enough; Budi: K05 excluded -> K07 (4), K03 (6)
    assert diambil.values.tolist() == [[ANI, "K06"], [BUDI, "K07"], [BUDI, "K03"]]


def test_empty_catalogue_and_no_history(ruleset):
    year_end, frames = region()
    frames["katalog_pelatihan"] = katalog([])
    del frames["riwayat_pelatihan"]
    result = recommend_trainings(year_end, frames, ruleset, TAHUN)
    assert result.rekomendasi.empty and result.rencana_unit.empty
    assert result.jp_pegawai["catatan"].str.endswith("katalog tidak cukup untuk mencapai 20 JP").all()
    assert list(to_rekomendasi_csv(result).columns) == list(REKOMENDASI_COLUMNS)


def test_shuffled_input_gives_identical_output(ruleset, result):
    year_end, frames = region()
    rng = np.random.default_rng(7)

    def acak(tabel: pd.DataFrame) -> pd.DataFrame:
        return tabel.iloc[rng.permutation(len(tabel))].reset_index(drop=True)

    year_end = SimpleNamespace(hasil=acak(year_end.hasil), indikator=acak(year_end.indikator))
    frames = {nama: acak(tabel) for nama, tabel in frames.items()}
    lagi = recommend_trainings(year_end, frames, ruleset, TAHUN)
    for bagian in ("rekomendasi", "penghargaan", "tindak_lanjut", "rencana_unit", "jp_unit",
                   "jp_pegawai", "tanpa_pelatihan"):
        pd.testing.assert_frame_equal(getattr(lagi, bagian), getattr(result, bagian))


def test_rekomendasi_csv(result):
    csv = to_rekomendasi_csv(result)
    assert tuple(csv.columns) == REKOMENDASI_COLUMNS
    assert csv.iloc[0].to_dict() == {
        "nip": ANI, "kode_pelatihan": "K01", "nama_pelatihan": "Etika ASN",
        "kompetensi": "akuntabel", "alasan": NILAI_AKUNTABEL_ANI, "jp": "8.00", "prioritas": "tinggi",
    }


def test_on_the_real_year_end_result(ruleset):
    from penilaian.year_end import score_year_end

    kepala, staf = ANI, BUDI
    nilai = {v: 3 for v in BERAKHLAK}
    skp_baris = [
        {"id_indikator": "SWL-01", "nip": staf, "tahun": TAHUN, "rencana_hasil_kerja": "RHK",
         "indikator": "Jumlah dokumen kebijakan", "aspek": "kuantitas", "target": 100,
         "satuan": "dokumen", "arah": "naik", "jenis": "utama", "kompetensi": "penulisan_dokumen"},
        {"id_indikator": "SWL-00", "nip": kepala, "tahun": TAHUN, "rencana_hasil_kerja": "RHK",
         "indikator": "Indeks layanan", "aspek": "kualitas", "target": 80, "satuan": "indeks",
         "arah": "naik", "jenis": "utama"},
    ]
    frames = {
        "unit_kerja": frame("unit_kerja", [{"kode_unit": "U1", "nama_unit": "Dinas",
                                             "kode_instansi": "I1", "nama_instansi": "Pemda",
                                             "predikat_organisasi": "Baik"}]),
        "pegawai": frame("pegawai", [pegawai(kepala, "Ani", "U1"),
                                     {**pegawai(staf, "Budi", "U1"), "nip_atasan": kepala}]),
        "skp": frame("skp", skp_baris),
        "realisasi": frame("realisasi", [
            {"id_indikator": "SWL-01", "periode": "2026-12", "realisasi": 72.4},
            {"id_indikator": "SWL-00", "periode": "2026-12", "realisasi": 80},
        ]),
        "perilaku": frame("perilaku", [
            {"nip": staf, "nip_penilai": kepala, "periode": "2026-S1", **nilai, "akuntabel": 2},
            {"nip": staf, "nip_penilai": kepala, "periode": "2026-S2", **nilai},
        ]),
        "rating_atasan": frame("rating_atasan", [
            {"nip": kepala, "alasan": "dinilai pejabat pembina", "rating_perilaku": "sesuai"},
        ]),
        "katalog_pelatihan": katalog(),
    }
    year_end = score_year_end(frames, ruleset, TAHUN)
    result = recommend_trainings(year_end, frames, ruleset, TAHUN)
    # Budi: akuntabel (2 + 3) / 2 = 2.5 and nilai (6 x 3 + 2.5) / 7 < 3 -> perilaku di_bawah -> tinggi;
    # SWL-01 72.4% is his only utama indicator -> hasil kerja di_bawah -> tinggi; 8 + 12 + 10 JP >= 20.
    # Ani (head, no supervisor rating, no gap): 0 JP -> shortest first 4 + 4 + 6 + 8 = 22 JP.
    assert result.rekomendasi[["nip", "kode_pelatihan", "prioritas"]].values.tolist() == [
        [ANI, "K01", "rendah"], [ANI, "K03", "rendah"], [ANI, "K05", "rendah"],
        [ANI, "K07", "rendah"],
        [BUDI, "K01", "tinggi"], [BUDI, "K02", "tinggi"], [BUDI, "K04", "tinggi"],
    ]
    assert result.rekomendasi["alasan"].iloc[-1] == (
        "Indikator SWL-01 'Jumlah dokumen kebijakan' capaian 72,40% di bawah 90%"
    )
    assert result.tindak_lanjut["nip"].tolist() == [BUDI]
