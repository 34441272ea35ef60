"""Distribution curve (kurva / pola distribusi): rank each unit, then calibrate predikat_final.

Interpretations of DOMAIN.md made explicit here (one place, so the documents and tests agree):

- Ranking keys are compared on ``numbers.clean``-ed values.
- The ranking is fixed before calibration; constraints run in the table's order on the current
  predikat. "<=" moves the surplus one step below the group's worst predikat (for the
  single-predikat groups of DOMAIN.md: one step down). A unit is calibrated only with at least
  ``kurva.min_pegawai`` scored employees and a predikat_organisasi that has constraints; the
  others are checked against their matrix predikat and reported in ``kurva.catatan``. Several
  moves of one employee are joined with "; " in ``alasan_kalibrasi``.
- Every constraint that moves someone in a unit records its participants (``peserta``): for "<="
  the holders of the group, for ">=" the candidates (better than the whole group), in rank order,
  with the rule, the allowed or required count and who stays; audit explain and the unit summary
  show these rows, so a move can be checked by hand.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from contract.schema import PREDIKAT, PREDIKAT_ORGANISASI
from penilaian.numbers import clean
from penilaian.ruleset import BatasanKurva, Kurva

# Column keys of the predikat counts in the curve table: sebelum_sangat_baik, sesudah_butuh_perbaikan, ...
KUNCI_PREDIKAT = {p: p.lower().replace(" ", "_") for p in PREDIKAT}
_KODE_PREDIKAT = {p: i for i, p in enumerate(PREDIKAT)}  # best first: a move down adds 1
# The order of peringkat_unit in words (audit explain and the unit summary print it).
URUTAN_PERINGKAT = (
    "capaian_hasil_kerja menurun, lalu nilai_perilaku menurun (kosong paling akhir), lalu NIP menaik"
)
# The participants of a constraint that moved someone in a unit (kalibrasi_kurva's third frame).
PESERTA_KURVA_COLUMNS = {
    "kode_unit": "str",
    "predikat_organisasi": "str",
    "langkah": "int64",  # the constraint's place in its predikat_organisasi's list, from 1
    "aturan": "str",  # as alasan_kalibrasi starts: "Kurva Baik: Baik maks. 70%"
    "ketentuan": "str",  # the rule in words
    "hitungan": "str",  # the allowed or required count worked out, the count before, the moves
    "n": "int64",
    "batas": "int64",
    "jumlah": "int64",  # holders of the group before this constraint
    "nip": "str",
    "peringkat": "int64",  # in the unit (peringkat_unit)
    "capaian_hasil_kerja": "float64",
    "nilai_perilaku": "float64",
    "predikat": "str",  # before this constraint
    "urutan": "int64",  # rank among the participants, from 1
    "jumlah_peserta": "int64",
    "bertahan": "int64",  # participants ranked 1..bertahan keep their predikat
    "dipindah": "bool",
    "predikat_baru": "str",
    "posisi": "str",  # "peringkat 13 dari 14 pemegang Baik; bertahan: …; turun ke …: …"
}


def peringkat_unit(hasil: pd.DataFrame) -> pd.DataFrame:
    """Sort by unit then rank: capaian_hasil_kerja desc, nilai_perilaku desc (NA last), nip asc."""
    urut = hasil.assign(
        _c=clean(hasil["capaian_hasil_kerja"].astype("float64").to_numpy()),
        _n=clean(hasil["nilai_perilaku"].astype("float64").to_numpy()),
    ).sort_values(
        ["kode_unit", "_c", "_n", "nip"],
        ascending=[True, False, False, True],
        na_position="last",
        kind="stable",
    )
    urut["peringkat"] = urut.groupby("kode_unit", sort=False).cumcount().astype("int64") + 1
    return urut.drop(columns=["_c", "_n"]).reset_index(drop=True)


def _cumcount(mask: np.ndarray, unit: np.ndarray, from_bottom: bool = False) -> np.ndarray:
    """0-based position of each True row among the True rows of its unit (rows sorted by rank)."""
    s = pd.Series(mask.astype("int64"))
    if from_bottom:
        pos = s[::-1].groupby(unit[::-1], sort=False).cumsum()[::-1]
    else:
        pos = s.groupby(unit, sort=False).cumsum()
    return pos.to_numpy() - 1


def kalibrasi_kurva(
    hasil: pd.DataFrame, unit_kerja: pd.DataFrame, kurva: Kurva
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Apply the distribution curve per unit (moves only down, fewest moves); report every unit.

    Rows must come from ``peringkat_unit`` (sorted by unit, then rank). Constraints of a
    predikat_organisasi are applied in order to all its units at once: for "<=" the holders past
    the allowed count (lowest-ranked) move one step down (below the group's worst predikat); for
    ">=" the lowest-ranked employees better than the whole group move to its best predikat until
    the required count is met or nobody is left. Units under ``min_pegawai`` or without a
    predikat_organisasi are only checked. Returns the rows with predikat_final and
    alasan_kalibrasi, the per-unit curve table, and the participants of every constraint that
    moved someone (PESERTA_KURVA_COLUMNS, by unit, constraint and rank).
    """
    kode_unit = hasil["kode_unit"].astype("str").to_numpy()
    unit_kode, unit = np.unique(kode_unit, return_inverse=True)
    unit = unit.astype("int64")
    n_unit = np.bincount(unit, minlength=len(unit_kode)).astype("int64")
    org_map = unit_kerja.drop_duplicates("kode_unit").set_index("kode_unit")["predikat_organisasi"]
    org_unit = pd.Series(unit_kode).map(org_map).to_numpy(dtype=object)
    sebelum = hasil["predikat"].map(_KODE_PREDIKAT).to_numpy(dtype="int64")
    sekarang = sebelum.copy()
    alasan = pd.Series("", index=range(len(hasil)), dtype="str")
    nama_predikat = np.array(PREDIKAT, dtype=object)
    ada_aturan = np.array([bool(kurva.aturan.get(str(o))) for o in org_unit], dtype=bool)
    dikalibrasi = (n_unit >= kurva.min_pegawai) & pd.notna(org_unit) & ada_aturan
    catatan = [[] for _ in range(len(unit_kode))]
    peserta = []

    for org in PREDIKAT_ORGANISASI:
        unit_org = np.asarray(org_unit == org, dtype=bool)
        if not unit_org.any():
            continue
        baris_org = unit_org[unit]
        for langkah, batasan in enumerate(kurva.aturan.get(org, ()), start=1):
            kelompok, batas, di_kelompok, jumlah = _hitung_batasan(batasan, sekarang, unit, baris_org, n_unit)
            if batasan.op == "<=":
                tujuan = int(kelompok.max()) + 1
                pindah = di_kelompok & (_cumcount(di_kelompok, unit) >= batas[unit]) & dikalibrasi[unit]
                gagal = np.zeros_like(jumlah)
            else:
                tujuan = int(kelompok.min())
                kurang = np.maximum(batas - jumlah, 0)
                calon = (sekarang < tujuan) & baris_org
                jumlah_calon = np.bincount(unit, weights=calon, minlength=len(unit_kode)).astype("int64")
                pindah = calon & (_cumcount(calon, unit, from_bottom=True) < kurang[unit]) & dikalibrasi[unit]
                gagal = np.maximum(kurang - jumlah_calon, 0)
            dipindah = np.bincount(unit, weights=pindah, minlength=len(unit_kode)).astype("int64")
            _note_outcome(
                catatan,
                np.flatnonzero(unit_org),
                batasan,
                batas,
                n_unit,
                jumlah,
                dipindah,
                gagal,
                dikalibrasi,
            )
            if pindah.any():
                peserta.append(
                    _peserta(
                        hasil,
                        unit,
                        (org, langkah, batasan),
                        di_kelompok if batasan.op == "<=" else calon,
                        pindah,
                        sekarang,
                        tujuan,
                        (n_unit, batas, jumlah, dipindah, gagal),
                    )
                )
                idx = np.flatnonzero(pindah)
                teks = (
                    f"Kurva {org}: {batasan.teks} ("
                    + pd.Series(batas[unit[idx]]).astype("str")
                    + " dari "
                    + pd.Series(n_unit[unit[idx]]).astype("str")
                    + "); turun dari "
                    + pd.Series(nama_predikat[sekarang[idx]], dtype="str")
                    + " ke "
                    + PREDIKAT[tujuan]
                )
                lama = alasan.iloc[idx].reset_index(drop=True)
                alasan.iloc[idx] = np.where(lama == "", teks, lama + "; " + teks)
                sekarang[idx] = tujuan

    hasil = hasil.reset_index(drop=True).copy()
    hasil["predikat_final"] = pd.Series(nama_predikat[sekarang], dtype="str")
    hasil["alasan_kalibrasi"] = alasan.to_numpy()
    ringkas = pd.DataFrame({"kode_unit": unit_kode, "n": n_unit, "dikalibrasi": dikalibrasi})
    for label, kode in (("sebelum", sebelum), ("sesudah", sekarang)):
        hitung = np.zeros((len(unit_kode), len(PREDIKAT)), dtype="int64")
        np.add.at(hitung, (unit, kode), 1)
        for i, p in enumerate(PREDIKAT):
            ringkas[f"{label}_{KUNCI_PREDIKAT[p]}"] = hitung[:, i]
    ringkas["jumlah_dipindah"] = np.bincount(
        unit, weights=(sekarang != sebelum), minlength=len(unit_kode)
    ).astype("int64")
    ringkas["catatan"] = [
        _catatan_opening(n, org, kurva) + "; ".join(c)
        for n, org, c in zip(n_unit, org_unit, catatan, strict=True)
    ]
    return hasil, _with_every_unit(ringkas, unit_kerja), _peserta_table(peserta)


def _peserta(
    hasil: pd.DataFrame,
    unit: np.ndarray,
    aturan: tuple[str, int, BatasanKurva],
    ikut: np.ndarray,
    pindah: np.ndarray,
    sekarang: np.ndarray,
    tujuan: int,
    angka: tuple[np.ndarray, ...],
) -> dict[str, np.ndarray]:
    """One constraint's participants in the units where it moved someone, as columns in rank order.

    ``aturan``: predikat_organisasi, the constraint's place (from 1), the constraint; ``ikut``: the
    holders ("<=") or the candidates (">="); ``angka``: per unit n, batas, jumlah, dipindah, gagal.
    The moved are always the lowest-ranked participants, so those ranked 1..bertahan stay. Texts
    that depend on the unit only are made once per unit.
    """
    org, langkah, batasan = aturan
    n_unit, batas, jumlah, dipindah, gagal = angka
    ikut = ikut & (dipindah[unit] > 0)
    idx = np.flatnonzero(ikut)
    u = unit[idx]
    jumlah_peserta = np.bincount(unit, weights=ikut, minlength=len(n_unit)).astype("int64")
    bertahan = jumlah_peserta - dipindah
    kelompok = " + ".join(batasan.kelompok)
    siapa = f"pemegang {kelompok}" if batasan.op == "<=" else f"calon (lebih baik dari {kelompok})"
    hitungan = np.empty(len(n_unit), dtype=object)
    sisa = np.empty(len(n_unit), dtype=object)
    for k in np.unique(u).tolist():
        hitungan[k] = _hitungan(
            batasan, n_unit[k], batas[k], jumlah[k], dipindah[k], gagal[k], PREDIKAT[tujuan]
        )
        sisa[k] = (
            f" dari {jumlah_peserta[k]} {siapa}; bertahan: {_rentang(1, bertahan[k])}; "
            f"turun ke {PREDIKAT[tujuan]}: {_rentang(bertahan[k] + 1, jumlah_peserta[k])}"
        )
    urutan = _cumcount(ikut, unit)[idx] + 1
    predikat = np.asarray(PREDIKAT, dtype=object)[sekarang[idx]]
    return {
        "_unit": u,
        "kode_unit": hasil["kode_unit"].to_numpy(dtype=object)[idx],
        "predikat_organisasi": np.full(len(idx), org, dtype=object),
        "langkah": np.full(len(idx), langkah, dtype="int64"),
        "aturan": np.full(len(idx), f"Kurva {org}: {batasan.teks}", dtype=object),
        "ketentuan": np.full(len(idx), _ketentuan(batasan), dtype=object),
        "hitungan": hitungan[u],
        "n": n_unit[u],
        "batas": batas[u],
        "jumlah": jumlah[u],
        "nip": hasil["nip"].to_numpy(dtype=object)[idx],
        "peringkat": hasil["peringkat"].to_numpy(dtype="int64")[idx],
        "capaian_hasil_kerja": hasil["capaian_hasil_kerja"].to_numpy(dtype="float64")[idx],
        "nilai_perilaku": hasil["nilai_perilaku"].to_numpy(dtype="float64", na_value=np.nan)[idx],
        "predikat": predikat,
        "urutan": urutan,
        "jumlah_peserta": jumlah_peserta[u],
        "bertahan": bertahan[u],
        "dipindah": pindah[idx],
        "predikat_baru": np.where(pindah[idx], PREDIKAT[tujuan], predikat),
        "posisi": np.array([f"peringkat {r}" for r in urutan.tolist()], dtype=object) + sisa[u],
    }


def _rentang(awal: int, akhir: int) -> str:
    """'peringkat a–b', 'peringkat a' or 'tidak ada'."""
    if awal > akhir:
        return "tidak ada"
    return f"peringkat {awal}" if awal == akhir else f"peringkat {awal}–{akhir}"


def _ketentuan(batasan: BatasanKurva) -> str:
    """The constraint in words, shares of the unit's scored employees as in DOMAIN.md."""
    ukuran = f"{batasan.persen:g}%" if batasan.persen is not None else f"{batasan.jumlah}"
    kelompok = " atau ".join(batasan.kelompok)
    if batasan.op == "<=":
        return f"paling banyak {ukuran} pegawai unit yang dinilai boleh berpredikat {kelompok}"
    return f"paling sedikit {ukuran} pegawai unit yang dinilai harus berpredikat {kelompok}"


def _hitungan(
    batasan: BatasanKurva, n: int, batas: int, jumlah: int, dipindah: int, gagal: int, tujuan: str
) -> str:
    """The allowed (floor) or required (ceil) count worked out for one unit, and what it moved."""
    nama = "batas" if batasan.op == "<=" else "syarat"
    if batasan.persen is None:
        angka = f"{nama} = {batas} pegawai (jumlah tetap)"
    else:
        bulat, arah = ("floor", "ke bawah") if batasan.op == "<=" else ("ceil", "ke atas")
        nilai = float(clean(batasan.persen * n / 100.0))
        angka = (
            f"{nama} = {bulat}({batasan.persen:g}% × {n}) = {bulat}({nilai:g}) = {batas} (dibulatkan {arah})"
        )
    kelompok = " + ".join(batasan.kelompok)
    if batasan.op == "<=":
        return (
            f"{angka} dari {n} pegawai; sebelumnya {jumlah} berpredikat {kelompok}, lebih "
            f"{jumlah - batas} → {dipindah} pemegang berperingkat terendah turun ke {tujuan}"
        )
    ekor = f"; tidak dapat dipenuhi: kurang {gagal} pegawai" if gagal else ""
    return (
        f"{angka} dari {n} pegawai; sebelumnya {jumlah} berpredikat {kelompok}, kurang "
        f"{batas - jumlah} → {dipindah} calon berperingkat terendah (predikat lebih baik dari "
        f"{kelompok}) turun ke {tujuan}{ekor}"
    )


def _peserta_table(bagian: list[dict[str, np.ndarray]]) -> pd.DataFrame:
    """All constraints' participants by unit, constraint and rank (typed even when empty)."""
    if not bagian:
        return pd.DataFrame({k: pd.Series(dtype=t) for k, t in PESERTA_KURVA_COLUMNS.items()})
    kolom = {k: np.concatenate([b[k] for b in bagian]) for k in ("_unit", *PESERTA_KURVA_COLUMNS)}
    urut = np.lexsort((kolom["urutan"], kolom["langkah"], kolom["_unit"]))
    return pd.DataFrame({k: kolom[k][urut] for k in PESERTA_KURVA_COLUMNS}).astype(PESERTA_KURVA_COLUMNS)


def _note_outcome(
    catatan: list[list[str]],
    units: np.ndarray,
    batasan: BatasanKurva,
    batas: np.ndarray,
    n_unit: np.ndarray,
    jumlah: np.ndarray,
    dipindah: np.ndarray,
    gagal: np.ndarray,
    dikalibrasi: np.ndarray,
) -> None:
    """Append one constraint's outcome per unit (per unit, not per employee)."""
    for u in units:
        status = _status(batasan, batas[u], jumlah[u])
        if status != "terpenuhi" and dikalibrasi[u]:
            status = f"{dipindah[u]} pegawai diturunkan"
            if gagal[u] > 0:
                status += f", tidak dapat dipenuhi: kurang {gagal[u]} pegawai"
        catatan[u].append(f"{_kepala(batasan, batas[u], n_unit[u], jumlah[u])}: {status}")


def _hitung_batasan(
    batasan: BatasanKurva, sekarang: np.ndarray, unit: np.ndarray, baris: np.ndarray, n_unit: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One constraint on the current predikat codes of the rows in `baris`: the group's codes, the
    allowed or required count per unit, the rows holding the group, and their count per unit."""
    kelompok = np.array([_KODE_PREDIKAT[p] for p in batasan.kelompok], dtype="int64")
    batas = batasan.batas(n_unit)
    di_kelompok = np.isin(sekarang, kelompok) & baris
    jumlah = np.bincount(unit, weights=di_kelompok, minlength=len(n_unit)).astype("int64")
    return kelompok, batas, di_kelompok, jumlah


def _memenuhi(batasan: BatasanKurva, batas: np.ndarray, jumlah: np.ndarray) -> np.ndarray:
    """Whether the count meets the constraint: at most the allowed ("<=") or at least the required."""
    return jumlah <= batas if batasan.op == "<=" else jumlah >= batas


def _kepala(batasan: BatasanKurva, batas: int, n: int, jumlah: int) -> str:
    """The constraint worked out for one unit, e.g. 'Baik maks. 70% (3 dari 5, ada 4)'."""
    return f"{batasan.teks} ({batas} dari {n}, ada {jumlah})"


def _status(batasan: BatasanKurva, batas: int, jumlah: int) -> str:
    """A constraint checked without moving anyone: met, or by how many employees it is missed."""
    if _memenuhi(batasan, batas, jumlah):
        return "terpenuhi"
    if batasan.op == "<=":
        return f"tidak terpenuhi, lebih {jumlah - batas} pegawai"
    return f"tidak terpenuhi, kurang {batas - jumlah} pegawai"


def periksa_kurva(
    hasil: pd.DataFrame, unit_kerja: pd.DataFrame, kurva: Kurva, kolom: str = "predikat_final"
) -> pd.DataFrame:
    """Check each unit's distribution of `kolom` against its curve without moving anyone.

    ``hasil`` holds the unit's scored employees (kode_unit, `kolom`). Per unit: kode_unit,
    predikat_organisasi, n, memenuhi and pelanggaran (each missed constraint as the scorer's curve
    report words it, prefixed 'Kurva <predikat_organisasi>: ', joined by '; '; "" when met). Units
    of every size are checked (min_pegawai only limits calibration); a unit without a
    predikat_organisasi or without constraints meets its curve.
    """
    kode_unit = hasil["kode_unit"].astype("str").to_numpy()
    unit_kode, unit = np.unique(kode_unit, return_inverse=True)
    unit = unit.astype("int64")
    n_unit = np.bincount(unit, minlength=len(unit_kode)).astype("int64")
    org_map = unit_kerja.drop_duplicates("kode_unit").set_index("kode_unit")["predikat_organisasi"]
    org_unit = pd.Series(unit_kode, dtype="str").map(org_map)
    sekarang = hasil[kolom].map(_KODE_PREDIKAT).to_numpy(dtype="int64")
    pelanggaran: list[list[str]] = [[] for _ in range(len(unit_kode))]
    for org in PREDIKAT_ORGANISASI:
        unit_org = (org_unit == org).to_numpy(dtype=bool)
        if not unit_org.any():
            continue
        for batasan in kurva.aturan.get(org, ()):
            _, batas, _, jumlah = _hitung_batasan(batasan, sekarang, unit, unit_org[unit], n_unit)
            for u in np.flatnonzero(unit_org & ~_memenuhi(batasan, batas, jumlah)).tolist():
                pelanggaran[u].append(
                    f"Kurva {org}: {_kepala(batasan, batas[u], n_unit[u], jumlah[u])}: "
                    + _status(batasan, batas[u], jumlah[u])
                )
    return pd.DataFrame({
        "kode_unit": pd.Series(unit_kode, dtype="str"),
        "predikat_organisasi": org_unit.astype("str"),
        "n": n_unit,
        "memenuhi": np.array([not p for p in pelanggaran], dtype=bool),
        "pelanggaran": pd.Series(["; ".join(p) for p in pelanggaran], dtype="str"),
    })


def _catatan_opening(n: int, org: object, kurva: Kurva) -> str:
    """Why a unit was or was not calibrated, as the start of its catatan."""
    if pd.isna(org):
        return "predikat organisasi tidak ada: tidak dikalibrasi"
    if not kurva.aturan.get(str(org)):
        return f"tidak ada batasan kurva untuk predikat organisasi {org}"
    if n < kurva.min_pegawai:
        return f"di bawah {kurva.min_pegawai} pegawai: hanya dilaporkan; "
    return ""


def _with_every_unit(ringkas: pd.DataFrame, unit_kerja: pd.DataFrame) -> pd.DataFrame:
    """Every unit of unit_kerja in the curve report, units without scored employees included."""
    units = unit_kerja.drop_duplicates("kode_unit")[["kode_unit", "predikat_organisasi"]]
    tabel = units.merge(ringkas, on="kode_unit", how="outer")
    kosong = tabel["n"].isna()
    counts = [c for c in ringkas.columns if c not in ("kode_unit", "dikalibrasi", "catatan")]
    tabel[counts] = tabel[counts].fillna(0).astype("int64")
    tabel["dikalibrasi"] = tabel["dikalibrasi"].fillna(False).astype("bool")
    tabel["catatan"] = tabel["catatan"].astype("str").where(~kosong, "tidak ada pegawai yang dinilai")
    return tabel.sort_values("kode_unit", kind="stable").reset_index(drop=True)
