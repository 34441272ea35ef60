"""`kinerja audit explain`: how one employee's predikat came about, step by step, from the stored rows, and
(for a functional official) the angka kredit converted from it."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine

from audit.chain import json_object
from audit.digest import display_time
from audit.explain_angka_kredit import explain_angka_kredit, run_ids
from audit.recompute import ruleset_name
from contract.hierarchy import kepala_unit
from contract.karantina import first_found, sort_karantina
from contract.schema import BERAKHLAK, FILES
from models.db import read_year
from models.stage_runs import read_stage_runs, rows_per_run
from penilaian.kurva import URUTAN_PERINGKAT, kalibrasi_kurva, peringkat_unit
from penilaian.numbers import format_2
from penilaian.rating import MATRIKS, hasil_kerja_pegawai, perilaku_pegawai
from penilaian.ruleset import load_ruleset
from stages import registry


@dataclass
class Penjelasan:
    """How one employee's predikat came about, step by step, from the stored rows."""

    nip: str
    tahun: int
    pegawai: dict
    hasil: dict
    indikator: pd.DataFrame
    hasil_kerja: dict
    perilaku: pd.DataFrame
    rerata: dict[str, float]
    perilaku_ringkas: dict
    matriks: dict
    kalibrasi: dict
    stage_runs: pd.DataFrame
    ruleset: object | None = None
    catatan: list[str] = field(default_factory=list)
    keberatan: dict = field(default_factory=dict)
    berlaku: dict = field(default_factory=dict)
    angka_kredit: dict = field(default_factory=dict)


def explain(engine: Engine, nip: str, tahun: int) -> Penjelasan | pd.DataFrame:
    """Gather everything behind one employee's year-end result; a quarantine frame if not scored."""
    hasil_rows = read_year(engine, "hasil_penilaian", tahun, nip=nip)
    if hasil_rows.empty:
        return karantina_pegawai(engine, nip, tahun)
    hasil = hasil_rows.iloc[0].to_dict()
    runs = {int(r["id"]): r for r in read_stage_runs(engine, tahun)}
    run = runs.get(int(hasil["stage_run_id"]), {})
    catatan: list[str] = []
    try:
        rules = load_ruleset(ruleset_name(run.get("ruleset_label")))
        if rules.checksum != run.get("ruleset_checksum"):
            catatan.append("checksum ruleset sekarang berbeda dari yang tercatat: ambang bisa berbeda")
    except Exception as exc:  # noqa: BLE001 - explanation still works from stored values
        rules = None
        catatan.append(f"ruleset {run.get('ruleset_label')} tidak dapat dimuat: {exc}")

    pegawai = read_year(engine, "pegawai", tahun, nip=nip)
    orang = pegawai.iloc[0].to_dict() if len(pegawai) else {"nip": nip, "nip_atasan": None}
    atasan = read_year(engine, "pegawai", tahun, nip=orang["nip_atasan"]) if orang.get("nip_atasan") else \
        pegawai.iloc[0:0]
    unit = read_year(engine, "unit_kerja", tahun, kode_unit=hasil["kode_unit"])
    predikat_organisasi = unit["predikat_organisasi"].iloc[0] if len(unit) else None
    skp = read_year(engine, "indikator_skp", tahun, nip=nip)
    indikator = read_year(engine, "capaian_indikator", tahun, nip=nip)
    indikator = indikator.merge(
        skp[["id_indikator", "indikator", "rencana_hasil_kerja", "aspek", "arah", "satuan", "stage_run_id"]],
        on="id_indikator", how="left", suffixes=("", "_skp"))
    hk = hasil_kerja_pegawai(indikator)
    hk_row = hk.iloc[0].to_dict() if len(hk) else {}
    kepala = bool(kepala_unit(pd.concat([pegawai, atasan], ignore_index=True)).iloc[0]) \
        if len(pegawai) else False
    override = read_year(engine, "rating_atasan", tahun, nip=nip)
    override_row = override.iloc[0].to_dict() if len(override) else {}
    hasil_kerja = {
        "jumlah_utama": hk_row.get("jumlah_utama"), "jumlah_di_atas": hk_row.get("jumlah_di_atas"),
        "jumlah_di_bawah": hk_row.get("jumlah_di_bawah"),
        "capaian_hasil_kerja": hasil["capaian_hasil_kerja"],
        "rating_dari_indikator": hk_row.get("rating_hasil_kerja_hitung"),
        "kepala_unit": kepala, "predikat_organisasi": predikat_organisasi,
        "aturan_kepala_unit": bool(rules.kepala_unit.aktif) if rules else None,
        "peta_kepala_unit": (rules.kepala_unit.peta.get(predikat_organisasi) if rules and predikat_organisasi
                             else None),
        "rating_hitung": hasil["rating_hasil_kerja_hitung"],
        "override": override_row.get("rating_hasil_kerja"),
        "rating": hasil["rating_hasil_kerja"], "alasan_override": hasil.get("alasan_override"),
    }
    perilaku = read_year(engine, "perilaku", tahun, nip=nip)
    perilaku = perilaku.assign(
        semester=perilaku["periode"].astype("str").str[-1].astype("int64"),
        dihitung=(perilaku["nip_penilai"] == orang.get("nip_atasan")).to_numpy())
    rerata: dict[str, float] = {}
    if rules is not None and len(perilaku):
        pk = perilaku_pegawai(perilaku, pd.DataFrame([{"nip": nip, "nip_atasan": orang.get("nip_atasan")}]),
                              rules.perilaku, tahun)
        if len(pk):
            rerata = {nilai: float(pk[f"rerata_{nilai}"].iloc[0]) for nilai in BERAKHLAK}
    perilaku_ringkas = {
        "nilai_perilaku": hasil.get("nilai_perilaku"), "rating_hitung": hasil.get("rating_perilaku_hitung"),
        "override": override_row.get("rating_perilaku"), "rating": hasil["rating_perilaku"],
    }
    matriks = {"rating_hasil_kerja": hasil["rating_hasil_kerja"], "rating_perilaku": hasil["rating_perilaku"],
               "predikat": MATRIKS.get((hasil["rating_hasil_kerja"], hasil["rating_perilaku"])),
               "predikat_tersimpan": hasil["predikat"]}
    kalibrasi = {"predikat": hasil["predikat"], "predikat_final": hasil["predikat_final"],
                 "alasan_kalibrasi": hasil.get("alasan_kalibrasi") or "", "kode_unit": hasil["kode_unit"],
                 "predikat_organisasi": predikat_organisasi}
    kalibrasi["rincian"], kalibrasi["peserta"] = _rincian_kurva(engine, tahun, hasil, unit, rules, catatan)
    keberatan = _keberatan(engine, nip, tahun, hasil, runs)
    berlaku = _berlaku(engine, nip, tahun, hasil, catatan)
    angka_kredit = explain_angka_kredit(engine, nip, tahun, orang, berlaku, rules, runs, catatan)
    used = {int(hasil["stage_run_id"])}
    for frame in (pegawai, unit, skp, perilaku, override, indikator):
        used |= {int(x) for x in frame.get("stage_run_id", pd.Series(dtype="int64")).dropna().unique()}
    used |= set(keberatan.get("stage_run_ids", ())) | set(berlaku.get("stage_run_ids", ()))
    used |= set(angka_kredit.get("stage_run_ids", ()))
    stage_runs = pd.DataFrame([{
        "id": rid, "tahap": runs[rid]["tahap"],
        "flow_run": f"{runs[rid].get('flow_run_name') or '-'} ({runs[rid].get('flow_run_id') or '-'})",
        "mulai": display_time(runs[rid].get("started_at")), "hasil": runs[rid].get("outcome"),
        "ruleset": runs[rid].get("ruleset_label"),
        "input": ", ".join(f"{k}:{v[:12]}"
                           for k, v in sorted(json_object(runs[rid].get("input_checksums")).items())),
        "record_hash": (runs[rid].get("record_hash") or "")[:16],
    } for rid in sorted(used) if rid in runs])
    return Penjelasan(nip=nip, tahun=tahun, pegawai=orang, hasil=hasil, indikator=indikator,
                      hasil_kerja=hasil_kerja, perilaku=perilaku, rerata=rerata,
                      perilaku_ringkas=perilaku_ringkas, matriks=matriks, kalibrasi=kalibrasi,
                      stage_runs=stage_runs, ruleset=rules, catatan=catatan, keberatan=keberatan,
                      berlaku=berlaku, angka_kredit=angka_kredit)


def _keberatan(engine: Engine, nip: str, tahun: int, hasil: dict, runs: dict[int, dict]) -> dict:
    """The employee's objection: as filed (from the objection stage's archive), its decision, the
    decider, the ratings and predikat before and after; objections set aside with their quarantine.
    Empty when no objection of the employee is stored."""
    filed = read_year(engine, "keberatan", tahun, nip=nip)
    filed = filed.sort_values(["tanggal_pengajuan", "baris"], kind="stable")  # the first filed counts
    decided = read_year(engine, "keberatan_hasil", tahun, nip=nip)
    if filed.empty and decided.empty:
        return {}
    out: dict = {"stage_run_ids": sorted({*run_ids(filed), *run_ids(decided)})}
    if len(decided):
        keputusan = decided.iloc[0].to_dict()
        asli = filed.head(1)
        diajukan = asli.iloc[0].to_dict() if len(asli) else {}
        pemutus = keputusan.get("nip_pemutus")
        nama = read_year(engine, "pegawai", tahun, nip=pemutus)["nama"] if pemutus else pd.Series(dtype="str")
        out["keputusan"] = {
            **{k: diajukan.get(k) for k in ("baris", "tanggal_terima", "tanggal_pengajuan", "alasan",
                                            "catatan_keputusan")},
            **keputusan, "nama_pemutus": nama.iloc[0] if len(nama) else None,
            "stage_run_id": int(keputusan["stage_run_id"]),
        }
        filed = filed.iloc[len(asli):]
    if len(filed):
        out["disisihkan"] = _set_aside(engine, tahun, filed, runs)
    return out


def _set_aside(engine: Engine, tahun: int, filed: pd.DataFrame, runs: dict[int, dict]) -> list[dict]:
    """Filed objections that were not decided, each with the quarantine rules the objection stage run
    that archived it found on its line of keberatan.csv."""
    karantina = read_year(engine, "karantina", tahun, berkas=FILES["keberatan"].name)
    rows = []
    for row in filed.to_dict("records"):
        rid = int(row["stage_run_id"])
        found = karantina[(karantina["stage_run_id"] == rid) & (karantina["baris"] == int(row["baris"]))]
        found = found.drop_duplicates("kode_aturan")
        aturan = [f"{r['kode_aturan']}: {r['alasan']}" for r in found.to_dict("records")]
        rows.append({**row, "aturan": aturan, "tahap": runs.get(rid, {}).get("tahap")})
    return rows


def _berlaku(engine: Engine, nip: str, tahun: int, hasil: dict, catatan: list[str]) -> dict:
    """The predikat that stands (objection stage's predikat_ditetapkan, else predikat_final) and what
    used it: the training stage's recommendations, follow-up and (a functional official's) angka kredit
    of the employee."""
    ditetapkan = read_year(engine, "predikat_ditetapkan", tahun, nip=nip)
    rekomendasi = read_year(engine, "rekomendasi_pelatihan", tahun, nip=nip)
    tindak = read_year(engine, "tindak_lanjut", tahun, nip=nip)
    angka_kredit = read_year(engine, "angka_kredit_hasil", tahun, nip=nip)
    if len(ditetapkan):
        row = ditetapkan.iloc[0]
        predikat, sumber, rid = row["predikat_ditetapkan"], "predikat_ditetapkan", int(row["stage_run_id"])
    else:
        predikat, sumber, rid = hasil["predikat_final"], "predikat_final", None
    for apa, frame in (("tindak lanjut", tindak), ("angka kredit", angka_kredit)):
        for dipakai in frame.get("predikat_ditetapkan", pd.Series(dtype="str")).dropna().unique():
            if dipakai != predikat:
                catatan.append(f"{apa} memakai predikat {dipakai}, bukan predikat yang berlaku {predikat}")
    dipakai_oleh = sorted({*run_ids(rekomendasi), *run_ids(tindak), *run_ids(angka_kredit)})
    return {"predikat": predikat, "sumber": sumber, "stage_run_id": rid, "rekomendasi": rekomendasi,
            "tindak_lanjut": tindak, "angka_kredit": angka_kredit, "dipakai_oleh": dipakai_oleh,
            "stage_run_ids": sorted({*([rid] if rid is not None else []), *dipakai_oleh})}


def _rincian_kurva(engine: Engine, tahun: int, hasil: dict, unit: pd.DataFrame, rules: object | None,
                   catatan: list[str]) -> tuple[list[str], pd.DataFrame]:
    """The curve replayed on the unit's stored rows with the stage run's ruleset, by the scorer's own
    function: every constraint this employee took part in, its rule, count and ranking (in full when the
    employee moved); a note when the replay disagrees with the stored predikat_final."""
    if rules is None or unit.empty:
        return [], pd.DataFrame()
    rows = read_year(engine, "hasil_penilaian", tahun, kode_unit=hasil["kode_unit"])
    ulang, _, peserta = kalibrasi_kurva(peringkat_unit(rows), unit, rules.kurva)
    tersimpan = rows.set_index("nip")["predikat_final"]
    beda = int((ulang.set_index("nip")["predikat_final"] != tersimpan.loc[ulang["nip"]]).sum())
    if beda:
        catatan.append(f"kurva dihitung ulang dari baris tersimpan unit {hasil['kode_unit']}: predikat_final "
                       f"{beda} pegawai berbeda dari yang tersimpan")
    nip = hasil["nip"]
    langkah = peserta.loc[peserta["nip"] == nip, "langkah"].tolist()
    peserta = peserta[peserta["langkah"].isin(langkah)].reset_index(drop=True)
    rincian: list[str] = []
    for _, bagian in peserta.groupby("langkah", sort=True):
        saya = bagian[bagian["nip"] == nip].iloc[0]
        rincian += [f"{saya['aturan']} ({saya['batas']} dari {saya['n']}) — batasan ke-{saya['langkah']} "
                    f"untuk predikat organisasi {saya['predikat_organisasi']}",
                    f"  ketentuan: {saya['ketentuan']}", f"  {saya['hitungan']}",
                    f"  urutan: {URUTAN_PERINGKAT}", f"  pegawai ini: {saya['posisi']}"]
        if not saya["dipindah"]:
            continue
        capaian, perilaku = format_2(bagian["capaian_hasil_kerja"]), format_2(bagian["nilai_perilaku"])
        lebar = len(str(len(bagian)))
        for i, r in enumerate(bagian.itertuples(index=False)):
            pindah = f" → {r.predikat_baru}" if r.dipindah else ""
            tanda = "  ◀ pegawai ini" if r.nip == nip else ""
            rincian.append(f"  #{r.urutan:<{lebar}} {r.nip}  capaian {capaian.iloc[i]}  nilai perilaku "
                           f"{perilaku.iloc[i] or '-'}  {r.predikat}{pindah}{tanda}")
    return rincian, peserta


def karantina_pegawai(engine: Engine, nip: str, tahun: int) -> pd.DataFrame:
    """The employee's quarantine (rows whose value is the NIP) as karantina.csv has it now: from each
    stage's latest run that reached its gate, each problem once under the first stage that found it,
    grouped by file and rule."""
    rows = read_year(engine, "karantina", tahun, nilai=nip)
    gated = set().union(*rows_per_run(engine, tahun, ["gate_check", "karantina"]).values())
    latest = {run["tahap"]: int(run["id"])
              for run in read_stage_runs(engine, tahun) if int(run["id"]) in gated}
    return karantina_groups(first_found(rows[rows["stage_run_id"].isin(list(latest.values()))]))


KARANTINA_GRUP_COLUMNS = ["berkas", "kode_aturan", "baris", "alasan", "reason", "tahap", "stage_run_id"]


def karantina_groups(rows: pd.DataFrame) -> pd.DataFrame:
    """Quarantine rows, one line per file and rule (in karantina order): the line numbers, the first
    line's reason (with how many lines give another one), the stages and stage runs that found them."""
    groups = []
    for (berkas, kode), group in sort_karantina(rows).groupby(["berkas", "kode_aturan"], sort=False):
        stages = group.drop_duplicates(["tahap", "stage_run_id"])
        stages = stages.iloc[stages["tahap"].map(registry.order).to_numpy().argsort(kind="stable")]
        alasan, reason = group["alasan"].drop_duplicates(), group["reason"].drop_duplicates()
        groups.append({
            "berkas": berkas, "kode_aturan": kode, "baris": line_numbers(group["baris"]),
            "alasan": alasan.iloc[0] + (f" (+{len(alasan) - 1} alasan lain)" if len(alasan) > 1 else ""),
            "reason": reason.iloc[0] + (f" (+{len(reason) - 1} other)" if len(reason) > 1 else ""),
            "tahap": ", ".join(stages["tahap"]),
            "stage_run_id": ", ".join(str(int(rid)) for rid in stages["stage_run_id"]),
        })
    return pd.DataFrame(groups, columns=KARANTINA_GRUP_COLUMNS)


def line_numbers(baris: pd.Series) -> str:
    """Line numbers in order, three or more in a row as a range: '12, 40, 41, 50–53'."""
    lines = sorted({int(b) for b in baris})
    parts: list[str] = []
    start = 0
    for i in range(1, len(lines) + 1):
        if i == len(lines) or lines[i] != lines[i - 1] + 1:
            run = lines[start:i]
            parts += [f"{run[0]}–{run[-1]}"] if len(run) >= 3 else [str(b) for b in run]
            start = i
    return ", ".join(parts)
