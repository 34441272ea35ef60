"""Keberatan (objection review, PP 30/2019 Pasal 59; PermenPAN-RB 6/2022 Pasal 29): which objections
stand, the predikat that stands after them, and whether each unit's standing distribution still meets
its curve.

The value rules of one row (formats, dates in order, `diterima` with a new rating) are the input
contract's (contract/file_rules.py); the rules that need other files or other rows are here.
Interpretations of DOMAIN.md made explicit here (one place, so the documents and tests agree):

- Window: `tanggal_pengajuan − tanggal_terima` in calendar days ≤ ``keberatan.batas_hari``.
- Decider: the supervisor (``nip_atasan`` in pegawai) of the employee's supervisor. Where that
  supervisor has no supervisor (a head of instansi) the Pejabat Pembina Kepegawaian decides, outside
  the data: ``nip_pemutus`` must then be empty; a filled one is a wrong decider, and so is an empty one
  where the supervisor has a supervisor. An employee without a supervisor cannot object. Where the
  supervisor's own row of pegawai.csv was quarantined the decider cannot be checked: the objection is
  quarantined (PEMUTUS_TIDAK_TERPERIKSA).
- Once: among the rows that passed the value rules, the first filed for a nip (earliest
  `tanggal_pengajuan`, then the earlier line) is the objection; every later row is a second objection,
  whatever became of the first. A row may break several rules: one quarantine row per broken rule.
  The decider rules are checked only for scored employees (an unscored nip is quarantined for that).
- ``ditolak`` keeps the result: the standing ratings are the old ones and predikat_ditetapkan =
  predikat_final; new ratings written on a ``ditolak`` row are ignored. ``diterima`` replaces the
  rating(s) given (an empty one keeps the old rating) and the predikat is the matrix's for the
  standing ratings — even where the ratings equal the old ones, since the curve is not applied again.
  In keberatan_hasil.csv, rating_hasil_kerja_baru / rating_perilaku_baru are the ratings that now
  stand (the new one where given and diterima, else the old one), so every row reads as a complete
  result.
- keberatan = "ya" in the final results for an employee whose objection passed every rule (decided:
  diterima or ditolak); a quarantined objection leaves the result as year-end set it.
- The curve check covers every unit with at least one decided objection and counts predikat_ditetapkan
  over the unit's scored employees, with the scorer's own constraint check (kurva.periksa_kurva).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from contract.aturan import ATURAN_TINJAUAN_KEBERATAN
from contract.karantina import KARANTINA_COLUMNS, empty_karantina, karantina_rows, sort_karantina
from contract.lookup import isin_text
from contract.schema import FILES, input_frame
from penilaian.kurva import periksa_kurva
from penilaian.rating import predikat_matriks
from penilaian.ruleset import Ruleset
from penilaian.year_end import HASIL_PENILAIAN_COLUMNS, YearEndResult, hasil_csv

TAHAP = "objection"
BERKAS = FILES["keberatan"].name
# keberatan_hasil.csv, exactly as FORMATS.md lists it.
KEPUTUSAN_COLUMNS = (
    "nip",
    "keputusan",
    "rating_hasil_kerja_lama",
    "rating_perilaku_lama",
    "predikat_lama",
    "rating_hasil_kerja_baru",
    "rating_perilaku_baru",
    "predikat_ditetapkan",
    "nip_pemutus",
    "tanggal_keputusan",
)
# What the documents and unit summaries show beside them.
KEPUTUSAN_EXTRA_COLUMNS = (
    "nama",
    "kode_unit",
    "tanggal_terima",
    "tanggal_pengajuan",
    "alasan",
    "catatan_keputusan",
    "nama_pemutus",
)
# hasil_penilaian_akhir.csv: hasil_penilaian.csv's columns + keberatan (ya/tidak) + predikat_ditetapkan.
AKHIR_COLUMNS = (*HASIL_PENILAIAN_COLUMNS, "keberatan", "predikat_ditetapkan")
KURVA_KEBERATAN_COLUMNS = {"kode_unit": "str", "predikat_organisasi": "str", "memenuhi": "bool",
                           "pelanggaran": "str"}


@dataclass
class KeberatanResult:
    """The objection stage's result: decided objections, final results, set-aside rows, curve check."""

    keputusan: pd.DataFrame  # KEPUTUSAN_COLUMNS + KEPUTUSAN_EXTRA_COLUMNS, one row per objection, by nip
    akhir: pd.DataFrame  # year_end.hasil's columns + keberatan + predikat_ditetapkan, by nip
    karantina: pd.DataFrame  # KARANTINA_COLUMNS (tahap "objection"; the caller may set it)
    kurva: pd.DataFrame  # KURVA_KEBERATAN_COLUMNS, per unit with a decided objection, by kode_unit


def review_objections(
    frames: dict[str, pd.DataFrame], year_end: YearEndResult, rules: Ruleset, tahun: int
) -> KeberatanResult:
    """Apply the relational objection rules to the checked keberatan rows and settle the predikat.

    `frames` are the checked frames (keberatan optional; pegawai and unit_kerja needed once there is
    an objection); `year_end` the year's scoring. Without objections every predikat_final stands.
    """
    hasil = year_end.hasil.sort_values("nip", kind="stable").reset_index(drop=True)
    rows = input_frame(frames, "keberatan")
    rows = rows.loc[(rows["tahun"].astype("int64") == int(tahun)).to_numpy()]
    if rows.empty:
        return KeberatanResult(
            keputusan=_typed_keputusan(pd.DataFrame()),
            akhir=_akhir(hasil, pd.DataFrame({"nip": [], "predikat_ditetapkan": []}, dtype="str")),
            karantina=empty_karantina(),
            kurva=_typed_kurva(pd.DataFrame()),
        )
    rows = rows.reset_index(drop=True)
    if "_baris" not in rows:
        rows = rows.assign(_baris=np.arange(2, len(rows) + 2, dtype="int64"))
    pegawai = frames["pegawai"].drop_duplicates("nip").set_index("nip")
    karantina, lolos = _relational_rules(rows, hasil, pegawai, rules, tahun)
    keputusan = _keputusan(rows.loc[lolos], hasil, pegawai)
    akhir = _akhir(hasil, keputusan)
    unit_keberatan = akhir.loc[akhir["keberatan"].eq("ya").to_numpy()]["kode_unit"].unique()
    dicek = periksa_kurva(
        akhir.loc[akhir["kode_unit"].isin(unit_keberatan).to_numpy()], frames["unit_kerja"],
        rules.kurva, kolom="predikat_ditetapkan",
    )
    return KeberatanResult(
        keputusan=keputusan, akhir=akhir, karantina=karantina, kurva=_typed_kurva(dicek)
    )


def _relational_rules(
    rows: pd.DataFrame, hasil: pd.DataFrame, pegawai: pd.DataFrame, rules: Ruleset, tahun: int
) -> tuple[pd.DataFrame, np.ndarray]:
    """The quarantine rows of the rules that need other files or rows, and the mask of rows passing."""
    nip = rows["nip"].astype("str")
    findings: list[pd.DataFrame] = []
    broken = np.zeros(len(rows), dtype=bool)

    def flag(mask: np.ndarray, kode: str, extra: dict[str, object] | None = None, **fields: object) -> None:
        nonlocal broken
        if not mask.any():
            return
        kolom = ATURAN_TINJAUAN_KEBERATAN[kode]
        found = rows.loc[mask].assign(**(extra or {}))
        findings.append(karantina_rows(BERKAS, found, kode, kolom, found[kolom], TAHAP, tahun=tahun,
                                       **fields))
        broken |= mask

    dinilai = isin_text(nip, hasil["nip"])  # (pandas' isin loops in Python over the 1M scored nips)
    flag(~dinilai, "KEBERATAN_TIDAK_DINILAI")

    urut = rows.sort_values(["tanggal_pengajuan", "_baris"], kind="stable")
    kedua = urut["nip"].duplicated(keep="first").reindex(rows.index).to_numpy()
    pertama = urut.drop_duplicates("nip").set_index("nip")
    flag(kedua, "KEBERATAN_GANDA", {
        "pertama_tanggal": nip.map(pertama["tanggal_pengajuan"]),
        "pertama_baris": nip.map(pertama["_baris"]).astype("str"),
    })

    selisih = (pd.to_datetime(rows["tanggal_pengajuan"], format="%Y-%m-%d")
               - pd.to_datetime(rows["tanggal_terima"], format="%Y-%m-%d")).dt.days
    flag((selisih > rules.keberatan.batas_hari).to_numpy(), "KEBERATAN_TERLAMBAT",
         {"selisih_hari": selisih.astype("str")}, batas_hari=rules.keberatan.batas_hari)

    atasan = nip.map(pegawai["nip_atasan"])
    flag(dinilai & atasan.isna().to_numpy(), "KEBERATAN_TANPA_ATASAN")
    dikenal = isin_text(atasan, pegawai.index)
    flag(dinilai & atasan.notna().to_numpy() & ~dikenal, "PEMUTUS_TIDAK_TERPERIKSA",
         {"nip_atasan": atasan})
    seharusnya = atasan.map(pegawai["nip_atasan"]).where(dikenal)
    pemutus = rows["nip_pemutus"]
    harus_kosong = dikenal & seharusnya.isna().to_numpy()
    salah = np.where(harus_kosong, pemutus.notna().to_numpy(),
                     (pemutus.astype("str") != seharusnya.astype("str")).fillna(True).to_numpy())
    atasan_teks, seharusnya_teks = "'" + atasan.astype("str") + "'", "'" + seharusnya.astype("str") + "'"

    def menurut_kasus(kosong: pd.Series, isi: pd.Series) -> pd.Series:
        return pd.Series(np.where(harus_kosong, kosong, isi), index=rows.index, dtype="str")

    flag(dinilai & dikenal & salah, "PEMUTUS_SALAH", {
        "seharusnya": menurut_kasus(
            "harus kosong: atasan langsung " + atasan_teks + " tidak punya atasan (pimpinan instansi),"
            " yang memutus Pejabat Pembina Kepegawaian di luar data",
            "yang memutus atasan dari atasan langsung " + atasan_teks + ", yaitu " + seharusnya_teks,
        ),
        "should_be": menurut_kasus(
            "must be empty: the direct supervisor " + atasan_teks + " has no supervisor (head of the"
            " instansi), the Pejabat Pembina Kepegawaian decides, outside the data",
            "the decider is the supervisor of the direct supervisor " + atasan_teks + ", that is "
            + seharusnya_teks,
        ),
    })
    karantina = (sort_karantina(pd.concat(findings, ignore_index=True)) if findings
                 else empty_karantina())
    return karantina[KARANTINA_COLUMNS], ~broken


def _keputusan(rows: pd.DataFrame, hasil: pd.DataFrame, pegawai: pd.DataFrame) -> pd.DataFrame:
    """One row per standing objection: old ratings and predikat, the ones that now stand, the decider."""
    lama = hasil.set_index("nip")
    nip = rows["nip"].astype("str")
    hk_lama = nip.map(lama["rating_hasil_kerja"]).astype("str")
    pk_lama = nip.map(lama["rating_perilaku"]).astype("str")
    predikat_lama = nip.map(lama["predikat_final"]).astype("str")
    diterima = rows["keputusan"].eq("diterima").fillna(False).to_numpy()
    hk = rows["rating_hasil_kerja_baru"].where(diterima).fillna(hk_lama).astype("str")
    pk = rows["rating_perilaku_baru"].where(diterima).fillna(pk_lama).astype("str")
    ditetapkan = predikat_matriks(hk, pk).where(diterima, predikat_lama)
    out = pd.DataFrame({
        "nip": nip,
        "keputusan": rows["keputusan"],
        "rating_hasil_kerja_lama": hk_lama,
        "rating_perilaku_lama": pk_lama,
        "predikat_lama": predikat_lama,
        "rating_hasil_kerja_baru": hk,
        "rating_perilaku_baru": pk,
        "predikat_ditetapkan": ditetapkan,
        "nip_pemutus": rows["nip_pemutus"],
        "tanggal_keputusan": rows["tanggal_keputusan"],
        "nama": nip.map(lama["nama"]),
        "kode_unit": nip.map(lama["kode_unit"]),
        "tanggal_terima": rows["tanggal_terima"],
        "tanggal_pengajuan": rows["tanggal_pengajuan"],
        "alasan": rows["alasan"],
        "catatan_keputusan": rows["catatan_keputusan"],
        "nama_pemutus": rows["nip_pemutus"].map(pegawai["nama"]),
    })
    return _typed_keputusan(out.sort_values("nip", kind="stable"))


def _typed_keputusan(frame: pd.DataFrame) -> pd.DataFrame:
    kolom = [*KEPUTUSAN_COLUMNS, *KEPUTUSAN_EXTRA_COLUMNS]
    return frame.reindex(columns=kolom).astype(dict.fromkeys(kolom, "str")).reset_index(drop=True)


def _typed_kurva(frame: pd.DataFrame) -> pd.DataFrame:
    kolom = list(KURVA_KEBERATAN_COLUMNS)
    tabel = frame.reindex(columns=kolom)
    return tabel.astype(KURVA_KEBERATAN_COLUMNS).sort_values("kode_unit").reset_index(drop=True)


def _akhir(hasil: pd.DataFrame, keputusan: pd.DataFrame) -> pd.DataFrame:
    """Every scored employee: the year-end row, whether an objection stood, and the predikat that stands."""
    ditetapkan = keputusan.set_index("nip")["predikat_ditetapkan"]
    ada = hasil["nip"].isin(ditetapkan.index).to_numpy()
    return hasil.assign(
        keberatan=pd.Series(np.where(ada, "ya", "tidak"), index=hasil.index, dtype="str"),
        predikat_ditetapkan=hasil["nip"].map(ditetapkan).where(ada, hasil["predikat_final"]).astype("str"),
    )


def tabel_keberatan(result: KeberatanResult) -> dict[str, pd.DataFrame]:
    """The objection stage's result tables as stored: the decisions, and the predikat that stands for
    every scored employee (`keberatan` true where an objection was decided)."""
    akhir = result.akhir
    return {
        "keberatan_hasil": result.keputusan[list(KEPUTUSAN_COLUMNS)],
        "predikat_ditetapkan": akhir[["nip", "kode_unit", "predikat_final", "predikat_ditetapkan"]].assign(
            keberatan=akhir["keberatan"].eq("ya").to_numpy()),
    }


def to_keberatan_hasil_csv(result: KeberatanResult) -> pd.DataFrame:
    """keberatan_hasil.csv exactly as FORMATS.md lists it, by nip."""
    return result.keputusan[list(KEPUTUSAN_COLUMNS)].reset_index(drop=True)


def to_hasil_penilaian_akhir_csv(result: KeberatanResult) -> pd.DataFrame:
    """hasil_penilaian_akhir.csv exactly as FORMATS.md lists it, numbers half-up to 2 decimals, by nip."""
    return hasil_csv(result.akhir, AKHIR_COLUMNS)
