"""The `kinerja audit` and `kinerja db` commands: what auditors read and verify, and the database's care."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from kinerja.cli_options import DbUrl, Ruleset, Tahun, console

audit_app = typer.Typer(no_args_is_help=True, help="Riwayat dan verifikasi untuk auditor.")
db_app = typer.Typer(no_args_is_help=True, help="Pengelolaan basis data.")


def _audit_engine(db: str | None):
    """The database to audit, read-only: it must exist and carry the audit schema (no migration here)."""
    from sqlalchemy import inspect
    from sqlalchemy.engine import make_url

    from kinerja.errors import UsageError
    from models.db import get_engine, redact, schema_revisions
    from stages.context import resolve_db_url

    url = resolve_db_url(db)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and not Path(parsed.database).exists():
        raise UsageError(f"basis data {redact(url)} tidak ada / database does not exist")
    engine = get_engine(url)
    if not inspect(engine).has_table("rantai_audit"):
        raise UsageError(f"skema {redact(url)} belum memuat jejak audit: jalankan `kinerja db upgrade` / "
                         "schema predates the audit trail: run `kinerja db upgrade`")
    current, head = schema_revisions(engine)
    if current != head:
        raise UsageError(f"skema {redact(url)} pada revisi {current}, kode ini memerlukan {head}: "
                         "jalankan `kinerja db upgrade` (pemilik skema) / "
                         f"schema at revision {current}, this code needs {head}: "
                         "run `kinerja db upgrade` (as the schema owner)")
    return engine


@audit_app.command("log")
def audit_log(tahun: Tahun, db: DbUrl = None) -> None:
    """Daftar stage run satu tahun: siapa, kapan, input apa, aturan apa, hasilnya."""
    from audit.log import stage_run_log

    frame = stage_run_log(_audit_engine(db), tahun)
    if frame.empty:
        console.print(f"Belum ada stage run untuk tahun {tahun}.")
        return
    table = Table(title=f"Stage run {tahun} (rantai audit)", show_lines=True)
    for col in ("id", "tahap / flow run", "pemicu / pengguna", "mulai / selesai (UTC)", "hasil",
                "ruleset / kode", "input (sha256 ×baris)", "hitungan", "segel"):
        table.add_column(col, overflow="fold")
    for r in frame.itertuples(index=False):
        table.add_row(str(r.id), f"{r.tahap}\n{r.flow_run}", f"{r.pemicu}\n{r.pengguna}",
                      f"{r.mulai}\n{r.selesai}", r.hasil, f"{r.ruleset}\n{r.kode}",
                      r.input.replace(", ", "\n"), r.hitungan.replace("; ", "\n"),
                      f"#{int(r.urutan)}\n{r.record_hash}" if r.record_hash else "belum disegel")
    console.print(table)


@audit_app.command("verify")
def audit_verify(
    tahun: Tahun, db: DbUrl = None,
    input: Annotated[Path | None, typer.Option("--input", help="Folder input: cocokkan checksum")] = None,
    ruleset: Ruleset = None,
) -> None:
    """Jalur hash, baris hasil, hitung ulang dari arsip input, dan (opsional) berkas input."""
    from audit.verify import verify
    from kinerja.errors import AuditFailed

    engine = _audit_engine(db)
    with console.status(f"Memverifikasi tahun {tahun}…"):
        hasil = verify(engine, tahun, input_dir=input, ruleset=ruleset)
    for text in hasil.peringatan:
        console.print(f"[yellow]![/] {escape(text)}", highlight=False, soft_wrap=True)
    checked = ", ".join(f"{k}={v}" for k, v in hasil.diperiksa.items())
    if hasil.lulus:
        head = hasil.kepala or {}
        console.print(
            f"[bold green]Verifikasi LULUS[/] tahun {tahun}: rantai utuh "
            f"(kepala #{head.get('jumlah')}, stage run {head.get('kepala_stage_run_id')}, "
            f"{head.get('kepala_hash')}); {checked}", highlight=False, soft_wrap=True)
        return
    for t in hasil.temuan:
        run = f" (stage run {t.stage_run_id})" if t.stage_run_id is not None else ""
        console.print(f"[red]✗[/] {escape(f'[{t.bagian}] {t.tabel} {t.kunci}{run}: {t.uraian}')}",
                      highlight=False, soft_wrap=True)
    console.print(f"Diperiksa: {checked}", highlight=False, soft_wrap=True)
    raise AuditFailed(f"Verifikasi GAGAL tahun {tahun}: {len(hasil.temuan)} temuan (daftar di atas) / "
                      f"verification FAILED for {tahun}: {len(hasil.temuan)} findings (listed above)",
                      hasil.temuan)


@audit_app.command("explain")
def audit_explain(
    nip: Annotated[str, typer.Argument(help="NIP pegawai (18 digit)", show_default=False)],
    tahun: Tahun, db: DbUrl = None,
) -> None:
    """Langkah demi langkah: dari indikator dan perilaku sampai predikat akhir satu pegawai (dan angka
    kreditnya bila pejabat fungsional)."""
    import pandas as pd

    from audit.explain import explain
    from kinerja.errors import UsageError

    engine = _audit_engine(db)
    p = explain(engine, nip, tahun)
    if isinstance(p, pd.DataFrame):
        from audit.explain_angka_kredit import angka_kredit_tanpa_predikat

        ak = angka_kredit_tanpa_predikat(engine, nip, tahun)
        if p.empty and ak is None:
            raise UsageError(f"NIP {nip} tidak ada di hasil penilaian {tahun} / not found")
        console.print(f"[bold]{nip}[/] tidak dinilai pada {tahun} (karantina):")
        for r in p.itertuples(index=False):
            console.print(escape(f"  • {r.berkas} · {r.kode_aturan} (baris {r.baris}): {r.alasan} / "
                                 f"{r.reason} [{r.tahap}; stage run {r.stage_run_id}]"),
                          highlight=False, soft_wrap=True)
        if ak is not None:
            aturan = "; ".join(ak["aturan"]) or "tidak tercatat di karantina"
            _say(f"angka kredit: tidak dihitung — pejabat fungsional tanpa predikat yang berlaku "
                 f"(angka_kredit.csv baris {ak['baris']}: jenjang {ak['jenjang']}, golongan "
                 f"{ak['golongan']}, ak_awal {_num(ak['ak_awal'])}) — {aturan} [stage run "
                 f"{ak['stage_run_id']} (training)]")
        return

    num = _num
    h, hk, pk = p.hasil, p.hasil_kerja, p.perilaku_ringkas
    console.print(f"[bold]{h['nama']}[/] — NIP {nip}, unit {h['kode_unit']} ({h['kode_instansi']}), "
                  f"tahun {tahun}; atasan {p.pegawai.get('nip_atasan') or '-'}", highlight=False)
    console.print(f"Ruleset: {h['ruleset_label']}", highlight=False)
    for text in p.catatan:
        console.print(f"[yellow]![/] {text}", highlight=False)

    console.print("\n[bold]1. Indikator kinerja[/] (capaian = realisasi / target × 100; arah turun: "
                  "(2 − realisasi / target) × 100)", highlight=False)
    if p.ruleset is not None:
        aturan = p.ruleset.capaian
        console.print(f"  batas atas {aturan.batas_atas}; di_atas ≥ {aturan.di_atas_min}, sesuai ≥ "
                      f"{aturan.sesuai_min}, di_bawah di bawahnya", highlight=False)
    table = Table(show_lines=False)
    for col in ("id", "jenis", "indikator", "arah", "target", "realisasi", "capaian", "level"):
        table.add_column(col, overflow="fold")
    for r in p.indikator.itertuples(index=False):
        table.add_row(r.id_indikator, r.jenis, str(r.indikator), str(r.arah), num(r.target), num(r.realisasi),
                      num(r.capaian), r.level)
    console.print(table)

    console.print("\n[bold]2. Rating hasil kerja[/]")
    console.print(f"  capaian_hasil_kerja (rata-rata indikator utama) = {num(hk['capaian_hasil_kerja'])}; "
                  f"{hk['jumlah_utama']} utama: {hk['jumlah_di_atas']} di_atas, {hk['jumlah_di_bawah']} "
                  f"di_bawah → dari indikator: {hk['rating_dari_indikator']}", highlight=False)
    if hk["kepala_unit"]:
        console.print(f"  kepala unit: predikat organisasi {hk['predikat_organisasi'] or '-'} → "
                      f"{hk['peta_kepala_unit'] or 'tidak dipetakan (dihitung dari indikator)'}"
                      f"{'' if hk['aturan_kepala_unit'] is not False else ' (aturan nonaktif)'}",
                      highlight=False)
    console.print(f"  dihitung: {hk['rating_hitung']}; override atasan: {hk['override'] or '-'}"
                  f"{' (' + str(hk['alasan_override']) + ')' if hk['override'] else ''} → "
                  f"[bold]{hk['rating']}[/]", highlight=False)

    console.print("\n[bold]3. Perilaku kerja (BerAKHLAK; hanya penilaian atasan langsung dihitung)[/]")
    table = Table(show_lines=False)
    for col in ("periode", "penilai", "dihitung", *[v[:6] for v in _berakhlak()]):
        table.add_column(col)
    for r in p.perilaku.sort_values(["periode", "nip_penilai"]).itertuples(index=False):
        table.add_row(r.periode, r.nip_penilai, "ya" if r.dihitung else "umpan balik",
                      *[str(getattr(r, v)) for v in _berakhlak()])
    if p.rerata:
        table.add_row("rata-rata", "", "", *[num(p.rerata[v]) for v in _berakhlak()], style="bold")
    console.print(table)
    console.print(f"  nilai_perilaku = {num(pk['nilai_perilaku'])} → dihitung {pk['rating_hitung'] or '-'}; "
                  f"override atasan: {pk['override'] or '-'}"
                  f"{' (' + str(hk['alasan_override']) + ')' if pk['override'] else ''} → "
                  f"[bold]{pk['rating']}[/]", highlight=False)
    if p.ruleset is not None:
        aturan = p.ruleset.perilaku
        console.print(f"  di_atas ≥ {aturan.di_atas_min}, sesuai ≥ {aturan.sesuai_min}; di_bawah bila satu "
                      f"nilai < {aturan.nilai_minimum_per_nilai}", highlight=False)

    m, k = p.matriks, p.kalibrasi
    console.print("\n[bold]4. Matriks predikat[/]")
    console.print(f"  hasil kerja {m['rating_hasil_kerja']} × perilaku {m['rating_perilaku']} → "
                  f"[bold]{m['predikat']}[/] (tersimpan: {m['predikat_tersimpan']})", highlight=False)
    console.print("\n[bold]5. Kurva distribusi[/]")
    moved = k["alasan_kalibrasi"] or "tidak dipindah"
    console.print(f"  unit {k['kode_unit']} (predikat organisasi {k['predikat_organisasi'] or '-'}): "
                  f"{k['predikat']} → [bold]{k['predikat_final']}[/]; {moved}", highlight=False,
                  soft_wrap=True)
    for line in k.get("rincian", ()):
        console.print(f"  {escape(line)}", highlight=False, soft_wrap=True)

    _print_keberatan(p)
    _print_berlaku(p, num)
    nomor = 8
    if p.angka_kredit:
        _print_angka_kredit(p, nomor)
        nomor += 1

    console.print(f"\n[bold]{nomor}. Stage run yang terlibat[/]")
    table = Table(show_lines=True)
    for col in ("id", "tahap", "flow run", "mulai", "hasil", "ruleset", "input (sha256)", "record_hash"):
        table.add_column(col, overflow="fold")
    for r in p.stage_runs.itertuples(index=False):
        table.add_row(str(r.id), r.tahap, r.flow_run, r.mulai, r.hasil, str(r.ruleset),
                      r.input.replace(", ", "\n"), r.record_hash)
    console.print(table)


def _say(text: str) -> None:
    console.print(f"  {escape(text)}", highlight=False, soft_wrap=True)


def _num(value: object) -> str:
    """A number half-up to 2 decimals ('-' when empty), as the outputs show it."""
    import pandas as pd

    from penilaian.numbers import format_2

    return "-" if value is None or pd.isna(value) else format_2(pd.Series([float(value)])).iloc[0]


def _print_keberatan(p) -> None:
    """6. The objection: as filed, its decision and decider, old → new ratings and predikat, the run."""
    console.print("\n[bold]6. Keberatan[/]")
    k = p.keberatan
    if not k:
        _say("tidak ada keberatan")
        return
    d = k.get("keputusan")
    if d:
        _say(f"diajukan {d.get('tanggal_pengajuan') or '-'} (hasil diterima "
             f"{d.get('tanggal_terima') or '-'}; keberatan.csv baris {d.get('baris') or '-'}): "
             f"{d.get('alasan') or '-'}")
        pemutus = (f"{d['nama_pemutus'] or 'pegawai'} (NIP {d['nip_pemutus']})" if d.get("nip_pemutus")
                   else "Pejabat Pembina Kepegawaian (di luar data)")
        _say(f"keputusan {d['tanggal_keputusan']}: {d['keputusan']} oleh {pemutus}"
             f"{'; catatan: ' + str(d['catatan_keputusan']) if d.get('catatan_keputusan') else ''}")
        _say(f"rating hasil kerja {d['rating_hasil_kerja_lama']} → {d['rating_hasil_kerja_baru']}; "
             f"rating perilaku {d['rating_perilaku_lama']} → {d['rating_perilaku_baru']}")
        cara = ("matriks dengan rating yang berlaku; kurva tidak diterapkan lagi"
                if d["keputusan"] == "diterima" else "hasil tetap")
        _say(f"predikat {d['predikat_lama']} → {d['predikat_ditetapkan']} ({cara}); stage run "
             f"{d['stage_run_id']} (objection)")
    for row in k.get("disisihkan", ()):
        aturan = "; ".join(row["aturan"]) or "tidak tercatat di karantina"
        _say(f"disisihkan: keberatan diajukan {row['tanggal_pengajuan']} (keberatan.csv baris "
             f"{row['baris']}) tidak diputus — {aturan} [stage run {row['stage_run_id']}]")


def _print_berlaku(p, num) -> None:
    """7. The predikat that stands and what used it."""
    b = p.berlaku
    console.print(f"\n[bold]7. Predikat yang berlaku: {escape(str(b['predikat']))}[/]", highlight=False)
    if b["stage_run_id"] is not None:
        _say(f"ditetapkan setelah peninjauan keberatan: stage run {b['stage_run_id']} (objection)")
    else:
        _say("predikat_final akhir tahun: belum ada peninjauan keberatan tersimpan")
    if not b["dipakai_oleh"]:
        _say("belum dipakai: belum ada rekomendasi pelatihan dan tindak lanjut tersimpan untuk pegawai ini")
        return
    runs = ", ".join(str(r) for r in b["dipakai_oleh"])
    _say(f"dipakai oleh stage run {runs} (training):")
    for r in b["tindak_lanjut"].itertuples(index=False):
        dasar = getattr(r, "predikat_ditetapkan", None) or r.predikat_final
        _say(f"  tindak lanjut: {r.jenis} (predikat {dasar}) — {r.rencana}")
    for r in b["rekomendasi"].itertuples(index=False):
        _say(f"  rekomendasi pelatihan: {r.kode_pelatihan} {r.nama_pelatihan} ({r.kompetensi}; "
             f"{num(r.jp)} JP, prioritas {r.prioritas})")
    for r in b["angka_kredit"].itertuples(index=False):
        _say(f"  angka kredit: {r.jenjang} {r.golongan}, ak_tahun {num(r.ak_tahun)}, ak_kumulatif "
             f"{num(r.ak_kumulatif)} (konversi di bagian 8)")


def _print_angka_kredit(p, nomor: int) -> None:
    """8. A functional official's angka kredit: the conversion worked out, or why there is none."""
    a = p.angka_kredit
    console.print(f"\n[bold]{nomor}. Angka kredit jabatan fungsional[/] (konversi predikat kinerja, "
                  "PermenPAN-RB 1/2023)", highlight=False)
    if "rincian" in a:
        for line in a["rincian"]:
            _say(line)
        _say(f"disimpan oleh stage run {a['stage_run_id']} (training)")
    elif "aturan" in a:
        m = a["masukan"]
        aturan = "; ".join(a["aturan"]) or "tidak tercatat di karantina"
        _say(f"tidak dihitung: angka_kredit.csv baris {m['baris']} (jenjang {m['jenjang']}, golongan "
             f"{m['golongan']}) — {aturan} [stage run {a['stage_run_id']} (training)]")
    else:
        _say(f"tidak ada angka kredit: pejabat fungsional ini tidak ada di angka_kredit.csv yang "
             f"diarsipkan stage run {a['stage_run_id']} (training); baris yang melanggar aturan nilai ada di "
             "karantina.csv")


def _berakhlak() -> tuple[str, ...]:
    from contract.schema import BERAKHLAK

    return BERAKHLAK


@db_app.command("upgrade")
def db_upgrade(db: DbUrl = None) -> None:
    """Bawa skema basis data ke revisi Alembic terbaru."""
    from sqlalchemy import text

    from models.db import get_engine, migrate, redact
    from stages.context import resolve_db_url

    url = resolve_db_url(db)
    engine = get_engine(url)
    migrate(engine)
    with engine.connect() as conn:
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    console.print(f"Skema {redact(url)} pada revisi [bold]{revision}[/]", highlight=False)


@db_app.command("grant-auditor")
def db_grant_auditor(
    role: Annotated[str, typer.Argument(help="Nama role PostgreSQL untuk auditor", show_default=False)],
    db: DbUrl = None,
    password: Annotated[str | None, typer.Option("--password", help="Kata sandi (bawaan: tanpa)")] = None,
) -> None:
    """Buat role PostgreSQL hanya-baca untuk auditor (SELECT saja pada semua tabel)."""
    from sqlalchemy.engine import make_url

    from kinerja.errors import UsageError
    from models.grants import grant_auditor
    from stages.context import ensure_schema, resolve_db_url

    url = resolve_db_url(db)
    if make_url(url).get_backend_name() != "postgresql":
        raise UsageError("grant-auditor hanya untuk PostgreSQL; SQLite tidak mengenal role: berikan auditor "
                         "salinan berkas basis data / PostgreSQL only, SQLite has no roles")
    try:
        statements = grant_auditor(ensure_schema(url), role, password)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    for statement in statements:
        console.print(f"  {statement}", highlight=False, soft_wrap=True)
    console.print(f"Role [bold]{role}[/] hanya dapat membaca (SELECT) basis data ini.")
