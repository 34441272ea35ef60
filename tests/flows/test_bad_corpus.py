"""Hostile inputs from HR spreadsheets: no valid row is lost, no result corrupted, no traceback shown.

Each folder of tests/data/bad holds only the files that differ from `_base` plus `expected.toml`
(stage, exit status, the exact quarantine rows, and for exit 2 part of the one-line message). A case
runs through the real command line in-process (kinerja.cli.main with sys.argv patched, so the
error-to-exit-code mapping is the one users get) on its own SQLite file. The checks:
- the exit status and, for exit 2, the message; never "Traceback" on stdout or stderr;
- karantina.csv holds exactly the expected (berkas, baris, kode_aturan, kolom) rows;
- per input file, every data record (counted here with the csv module / openpyxl, independently of
  the reader) is either valid (in the checked frames, and in the database where the stage stores
  that file) or quarantined: lost = records - (valid | quarantined) = 0;
- a failing gate names its failing checks in gerbang_<tahap>.html; HTML output escapes names.
Binary, re-encoded and workbook inputs are produced here from text so the corpus stays text-only.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
import time
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from contract.aturan import ATURAN_ANGKA_KREDIT, ATURAN_TINJAUAN_KEBERATAN
from contract.schema import FILES
from reports import retired
from stages import registry
from tests.support.console import quiet_prefect_console

CORPUS = Path(__file__).resolve().parents[1] / "data" / "bad"
BASE = CORPUS / "_base"
TAHUN = 2026
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith("_"))
# Which input files each stage stores in the database (table per file), to count valid rows there.
STORED = {
    "plan-collection": {"unit_kerja": "unit_kerja", "pegawai": "pegawai", "skp": "indikator_skp"},
    "year-end": {"realisasi": "realisasi", "perilaku": "perilaku", "umpan_balik": "umpan_balik",
                 "rating_atasan": "rating_atasan"},
}

pytestmark = pytest.mark.slow


# --------------------------------------------------------------------------- building a case


def _expected(case: str) -> dict:
    return tomllib.loads((CORPUS / case / "expected.toml").read_text(encoding="utf-8"))


def _build_input(case: str, spec: dict, dest: Path) -> Path:
    """Base files, then the case's own files over them, then the byte-level transformations."""
    dest.mkdir(parents=True)
    for source in (BASE, CORPUS / case):
        for path in sorted(source.iterdir()):
            if path.name != "expected.toml":
                shutil.copyfile(path, dest / path.name)
    if "buku_kerja" in spec:
        _write_workbook(dest, spec["buku_kerja"])
    for name in spec.get("hapus", []):
        (dest / name).unlink()
    if "encoding" in spec:
        path = dest / spec["encoding"]["berkas"]
        path.write_bytes(path.read_text(encoding="utf-8").encode(spec["encoding"]["kodek"]))
    if "biner" in spec:
        (dest / spec["biner"]).write_bytes(bytes(range(256)) * 64)
    for name in spec.get("bom_crlf", []):
        path = dest / name
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    return dest


def _cell(text: str, kolom: str) -> object:
    """What a person typing into Excel would leave: numbers as numbers, NIPs and codes as text."""
    if kolom in ("tahun", "target", "realisasi", "jp", "jumlah_responden", "nilai_ikm"):
        try:
            number = float(text)
        except ValueError:
            return text or None
        return int(number) if number.is_integer() else number
    return text or None


def _write_workbook(folder: Path, spec: dict) -> None:
    """kinerja.xlsx from the folder's CSVs (sheets listed), with formulas, cells typed as numbers
    and merged cells as asked."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet in spec["lembar"]:
        rows = list(csv.reader(io.StringIO((folder / f"{sheet}.csv").read_text(encoding="utf-8"))))
        ws = book.create_sheet(sheet)
        ws.append(rows[0])
        for row in rows[1:]:
            ws.append([_cell(v, k) for k, v in zip(rows[0], row, strict=True)])
    for rumus in spec.get("rumus", []):
        book[rumus["lembar"]][rumus["sel"]] = rumus["isi"]
    for angka in spec.get("angka", []):  # typed as a number: Excel keeps 15 significant digits
        cell = book[angka["lembar"]][angka["sel"]]
        cell.value = float(f"{float(cell.value):.15g}")
    for gabung in spec.get("gabung", []):
        book[gabung["lembar"]].merge_cells(gabung["rentang"])
    book.save(folder / "kinerja.xlsx")


# --------------------------------------------------------------------------- independent counts


def _records(folder: Path, sheet: str) -> set[int]:
    """Line numbers of the data records of one input file, counted without contract.reader."""
    name = FILES[sheet].name
    path = folder / name
    if path.is_file():
        text = path.read_bytes().decode("utf-8-sig")
        first = text.split("\n", 1)[0]
        sep = ";" if first.count(";") > first.count(",") else ","
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
        lines, start = set(), 1
        for i, row in enumerate(reader):
            if i > 0 and any(v.strip() for v in row):
                lines.add(start)
            start = reader.line_num + 1
        return lines
    workbook = folder / "kinerja.xlsx"
    if not workbook.is_file():
        return set()
    import openpyxl

    book = openpyxl.load_workbook(workbook, read_only=True)
    if sheet not in book.sheetnames:
        return set()
    rows = list(book[sheet].iter_rows(values_only=True))
    return {i + 1 for i, row in enumerate(rows) if i > 0 and any(v not in (None, "") for v in row)}


def _checked(input_dir: Path, tahap: str) -> tuple[dict[str, pd.DataFrame], list]:
    """The frames that pass the stage's reading and value rules (no Prefect), and the warnings."""
    from contract.reader import read_inputs
    from contract.values import check_values

    stage = registry.get(tahap)
    raw, _read_q = read_inputs(input_dir, stage.required, stage.optional)
    frames, _, peringatan = check_values(raw, TAHUN, tahap)
    return frames, peringatan


def _accounting(
    input_dir: Path, tahap: str, frames: dict[str, pd.DataFrame], karantina: pd.DataFrame
) -> dict[str, tuple[set[int], set[int], set[int]]]:
    """Per input file of the stage: its record lines, the valid lines and the quarantined lines (input
    rules only: `penilaian.*` rows quarantine employees, not lines; a workbook sheet's rows are named
    kinerja.xlsx:<sheet>)."""
    from contract.files import berkas_name

    input_q = karantina[~karantina["kode_aturan"].str.startswith("penilaian.")]
    # the objection review and the credit conversion set aside lines that passed the value rules: valid
    # input, not results
    set_aside = {
        sheet: set(karantina.loc[karantina["kode_aturan"].isin(codes), "baris"].astype(int))
        for sheet, codes in (("keberatan", ATURAN_TINJAUAN_KEBERATAN), ("angka_kredit", ATURAN_ANGKA_KREDIT))
    }
    return {
        sheet: (_records(input_dir, sheet),
                set(frames[sheet]["_baris"].astype(int)) - set_aside.get(sheet, set()),
                set(input_q.loc[input_q["berkas"] == berkas_name(input_dir, sheet), "baris"].astype(int)))
        for sheet in registry.get(tahap).inputs
    }


# --------------------------------------------------------------------------- running the CLI


@dataclass
class Run:
    status: int
    out: str
    err: str
    seconds: float


@pytest.fixture
def cli(prefect_harness, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture,
        tmp_path: Path) -> Iterator[Callable[..., Run]]:
    """Run `kinerja ...` in this process exactly as the console script does (kinerja.cli.main)."""
    from prefect.settings import PREFECT_API_URL

    from kinerja import cli as cli_module
    from kinerja.settings import get_settings

    monkeypatch.setenv("PREFECT_API_URL", str(PREFECT_API_URL.value()))
    # crash logs (exit 3) go to the test's folder, not the project's data/logs
    monkeypatch.setenv("KINERJA_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    quiet_prefect_console(monkeypatch)

    def run(*args: str) -> Run:
        monkeypatch.setattr(sys, "argv", ["kinerja", *args])
        capfd.readouterr()
        started = time.perf_counter()
        try:
            cli_module.main()
            status = 0
        except SystemExit as exc:
            status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        seconds = time.perf_counter() - started
        captured = capfd.readouterr()
        return Run(status, captured.out, captured.err, seconds)

    yield run
    get_settings.cache_clear()


def _stage_args(tahap: str, input_dir: Path, output_dir: Path, db_url: str) -> list[str]:
    args = ["run", tahap, "--tahun", str(TAHUN), "--input", str(input_dir), "--output", str(output_dir),
            "--db", db_url]
    return [*args, "--dokumen", "semua"] if tahap == "year-end" else args


def _builds_on(tahap: str) -> list[str]:
    """The stages whose stored results `tahap` needs, earliest first."""
    earlier = registry.get(tahap).builds_on
    return [] if earlier is None else [*_builds_on(earlier), earlier]


def _karantina_csv(output_dir: Path) -> pd.DataFrame:
    path = output_dir / str(TAHUN) / "karantina.csv"
    if not path.exists():
        return pd.DataFrame(columns=["berkas", "baris", "kolom", "kode_aturan"])
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _db_count(db_url: str, table: str) -> int:
    import sqlalchemy

    engine = sqlalchemy.create_engine(db_url)
    try:
        with engine.connect() as conn:
            return int(conn.exec_driver_sql(f"SELECT COUNT(*) FROM {table} WHERE tahun = {TAHUN}").scalar())
    finally:
        engine.dispose()


def _stage_counts(db_url: str, tahap: str) -> dict:
    import sqlalchemy

    engine = sqlalchemy.create_engine(db_url)
    try:
        with engine.connect() as conn:
            row = conn.exec_driver_sql(
                "SELECT counts, outcome FROM stage_run WHERE tahap = ? ORDER BY id DESC LIMIT 1", (tahap,)
            ).first()
    finally:
        engine.dispose()
    return {**json.loads(row[0] or "{}"), "_outcome": row[1]}


# --------------------------------------------------------------------------- the corpus


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 45
    for case in CASES:
        spec = _expected(case)
        assert spec["tahap"] in registry.names() and spec["status"] in (0, 1, 2), case
        assert spec["status"] != 2 or spec.get("pesan"), f"{case}: exit 2 needs a message"


@pytest.mark.parametrize("case", CASES)
def test_bad_input(case: str, cli, tmp_path: Path) -> None:
    spec = _expected(case)
    tahap = spec["tahap"]
    input_dir = _build_input(case, spec, tmp_path / "input")
    output_dir, db_url = tmp_path / "output", f"sqlite:///{tmp_path / 'kinerja.db'}"

    for earlier in _builds_on(tahap):  # a stage that builds on another's results needs them first
        before = cli(*_stage_args(earlier, input_dir, output_dir, db_url))
        assert before.status == 0, f"{case}: {earlier} exit {before.status}\n{before.out + before.err}"
    run = cli(*_stage_args(tahap, input_dir, output_dir, db_url))

    shown = run.out + run.err
    assert "Traceback" not in shown, shown
    assert run.status == spec["status"], f"{case}: exit {run.status}\n{shown}"
    if spec["status"] == 2:
        message = " ".join(run.err.split())
        assert spec["pesan"] in message, run.err
        assert not (output_dir / str(TAHUN) / "karantina.csv").exists()
        return

    karantina = _karantina_csv(output_dir)
    got = sorted(zip(karantina["berkas"], karantina["baris"].astype(int), karantina["kode_aturan"],
                     karantina["kolom"], strict=True))
    want = sorted((q["berkas"], q["baris"], q["kode_aturan"], q["kolom"]) for q in spec["karantina"])
    assert got == want, f"{case}: karantina.csv\n{karantina[['berkas', 'baris', 'kolom', 'kode_aturan']]}"
    assert (karantina["tahap"] == tahap).all() and (karantina["alasan"] != "").all()
    assert (karantina["reason"] != "").all()

    # Every record of every input file is valid or quarantined; valid rows are where they belong.
    frames, peringatan = _checked(input_dir, tahap)
    assert len(peringatan) == spec.get("peringatan", 0)
    for sheet, (records, valid, quarantined) in _accounting(input_dir, tahap, frames, karantina).items():
        berkas = FILES[sheet].name
        assert not valid & quarantined, f"{berkas}: lines both valid and quarantined"
        assert valid <= records and quarantined <= records, f"{berkas}: line numbers outside the file"
        lost = records - valid - quarantined
        assert not lost, f"{case}: {berkas} lines lost: {sorted(lost)}"
        if spec["status"] == 0 and sheet in STORED.get(tahap, {}):
            # of realisasi, year-end keeps the row each indicator's score used (its latest month up to
            # the cut-off, December in the default ruleset): one per indicator with a valid row
            stored = frames[sheet]["id_indikator"].nunique() if sheet == "realisasi" else len(valid)
            assert _db_count(db_url, STORED[tahap][sheet]) == stored, f"{case}: {berkas} in the DB"

    year_dir = output_dir / str(TAHUN)
    gate_report = year_dir / f"gerbang_{tahap}.html"
    assert gate_report.is_file()
    if spec["status"] == 1:
        assert "Gerbang gagal" in run.err
        html = gate_report.read_text(encoding="utf-8")
        for kode in spec["gerbang_gagal"]:
            assert kode in html, f"{case}: gate report does not name {kode}"
        return

    counts = _stage_counts(db_url, tahap)
    assert counts["_outcome"] in ("berhasil", "tanpa_perubahan")
    reviewed = karantina["kode_aturan"].isin(ATURAN_TINJAUAN_KEBERATAN)
    converted = karantina["kode_aturan"].isin(ATURAN_ANGKA_KREDIT)
    value_rules = ~karantina["kode_aturan"].str.startswith("penilaian.") & ~reviewed & ~converted
    assert counts["dikarantina"] == len(karantina[value_rules])
    if tahap == "objection":
        assert counts["keberatan_dikarantina"] == karantina.loc[reviewed, "baris"].nunique()
    if tahap == "training" and "angka_kredit" in frames:
        ak_lines = karantina.loc[karantina["berkas"] == FILES["angka_kredit"].name, "baris"]
        assert counts["ak_dikarantina"] == ak_lines.nunique()
        set_aside = karantina.loc[converted, "baris"].nunique()
        assert counts["ak_dihitung"] == len(frames["angka_kredit"]) - set_aside
    if tahap == "validation":
        assert counts["peringatan"] == spec.get("peringatan", 0)
    if tahap == "mid-year":
        assert _db_count(db_url, "pemantauan") == len(frames["skp"])
    if tahap == "year-end":
        unscored = karantina.loc[karantina["kode_aturan"].str.startswith("penilaian."), "nilai"].nunique()
        assert _db_count(db_url, "hasil_penilaian") == len(frames["pegawai"]) - unscored
        retired.wait_for_removals()  # no replaced file still waiting in a retired folder
        produced = sorted(p.resolve() for p in tmp_path.rglob("*") if p.is_file())
        assert all(p.is_relative_to(tmp_path.resolve()) for p in produced)
        assert not any(".." in p.name or p.name in ("x", "x.html") for p in produced)
    for entry in spec.get("nilai_db", []):
        import sqlalchemy

        engine = sqlalchemy.create_engine(db_url)
        with engine.connect() as conn:
            value = conn.exec_driver_sql(
                f"SELECT {entry['kolom']} FROM {entry['tabel']} WHERE id_indikator = ?",
                (entry["id_indikator"],),
            ).scalar()
        engine.dispose()
        assert value == pytest.approx(entry["nilai"])
    if spec.get("rumus_aman"):
        nama = '=HYPERLINK("http://contoh.test/?"&A1,"klik")'
        hasil = pd.read_csv(year_dir / "hasil_penilaian.csv", dtype=str, keep_default_na=False)
        assert "'" + nama in set(hasil["nama"]) and nama not in set(hasil["nama"])
        assert set(karantina.loc[karantina["kolom"] == "jenis", "nilai"]) == {"'=1+1"}
        text = (year_dir / "hasil_penilaian.csv").read_text(encoding="utf-8")
        assert '"\'=HYPERLINK(""http://contoh.test/?""&A1,""klik"")"' in text
        kinds = {(p["kode_aturan"], p["kolom"], int(p["baris"])) for _, p in peringatan.iterrows()}
        assert kinds == {("TEKS_RUMUS", "nama", 4), ("TEKS_RUMUS", "jabatan", 5)}
    if spec.get("html_aman"):
        pages = sorted(year_dir.rglob("*.html"))
        assert len(pages) > 2
        for page in pages:
            html = page.read_text(encoding="utf-8")
            assert "<script>alert" not in html and "<b>Dinas</b>" not in html, page
        assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in p.read_text(encoding="utf-8") for p in pages)


def test_gate_failure_in_a_real_process(prefect_harness, tmp_path: Path) -> None:
    """The console script itself (not in-process): a failing gate and an unreadable file, no traceback."""
    import os
    import subprocess

    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value()), "COLUMNS": "80"}
    for case, status in (("separuh_baris_rusak", 1), ("bukan_utf8_cp1252", 2)):
        spec = _expected(case)
        input_dir = _build_input(case, spec, tmp_path / case / "input")
        args = _stage_args(spec["tahap"], input_dir, tmp_path / case / "output",
                           f"sqlite:///{tmp_path / case / 'kinerja.db'}")
        done = subprocess.run([sys.executable, "-m", "kinerja.cli", *args], capture_output=True, text=True,
                              env=env, timeout=120, cwd=tmp_path)
        assert done.returncode == status, done.stderr
        assert "Traceback" not in done.stdout + done.stderr
        if status == 2:
            lines = [line for line in done.stderr.splitlines() if line.strip()]
            assert len(lines) == 1 and spec["pesan"] in lines[0], done.stderr


def _big_skp(path: Path, megabytes: int) -> int:
    """A valid skp.csv of about `megabytes` MB: the base rows, then tambahan indicators of P10."""
    base = (BASE / "skp.csv").read_text(encoding="utf-8")
    row = ("IKB{:07d},198001012005011010,2026,Rencana kerja tambahan yang panjang sekali,"
           "Jumlah dokumen yang diselesaikan,kuantitas,{},dokumen,naik,tambahan,,pelayanan_publik\n")
    approx = len(row.format(0, 100).encode())
    n = megabytes * 1_000_000 // approx
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(base)
        block = []
        for i in range(n):
            block.append(row.format(i, 100 + i % 7))
            if len(block) == 50_000:
                out.write("".join(block))
                block = []
        out.write("".join(block))
    return base.count("\n") - 1 + n


def test_50_mb_skp(cli, tmp_path: Path) -> None:
    """A 50 MB skp.csv (about 500,000 indicators) with one bad row deep inside: nothing lost."""
    input_dir = tmp_path / "input"
    _build_input("target_nol", {}, input_dir)
    shutil.copyfile(BASE / "skp.csv", input_dir / "skp.csv")
    rows = _big_skp(input_dir / "skp.csv", 50)
    assert (input_dir / "skp.csv").stat().st_size >= 50_000_000
    bad_line = 300_001
    lines = (input_dir / "skp.csv").read_bytes().split(b"\n")
    lines[bad_line - 1] = lines[bad_line - 1].replace(b",kuantitas,", b",jumlah,")
    (input_dir / "skp.csv").write_bytes(b"\n".join(lines))
    db_url = f"sqlite:///{tmp_path / 'kinerja.db'}"

    run = cli(*_stage_args("plan-collection", input_dir, tmp_path / "output", db_url))

    crash = "\n".join(p.read_text() for p in (tmp_path / "data").rglob("*.log"))
    assert run.status == 0 and "Traceback" not in run.out + run.err, run.err + crash
    karantina = _karantina_csv(tmp_path / "output")
    assert list(zip(karantina["berkas"], karantina["baris"].astype(int), karantina["kode_aturan"],
                    strict=True)) == [("skp.csv", bad_line, "ASPEK")]
    assert _db_count(db_url, "indikator_skp") == rows - 1
    print(f"\n50 MB skp.csv, {rows} rows: plan-collection {run.seconds:.1f} s")


def test_corpus_totals(tmp_path: Path) -> None:
    """Over the whole corpus no record is lost: each is valid or in the case's expected quarantine
    (which test_bad_input holds karantina.csv to); prints the totals (cases, rows, quarantined, lost)."""
    totals = {"kasus": 0, "baris_input": 0, "dikarantina": 0, "hilang": 0}
    for case in CASES:
        spec = _expected(case)
        totals["kasus"] += 1
        if spec["status"] == 2:
            continue
        input_dir = _build_input(case, spec, tmp_path / case)
        frames, _ = _checked(input_dir, spec["tahap"])
        karantina = pd.DataFrame(spec["karantina"], columns=["berkas", "baris", "kode_aturan", "kolom"])
        for records, valid, quarantined in _accounting(input_dir, spec["tahap"], frames, karantina).values():
            totals["baris_input"] += len(records)
            totals["dikarantina"] += len(quarantined)
            totals["hilang"] += len(records - valid - quarantined)
    assert totals["kasus"] == len(CASES) and totals["baris_input"] > totals["dikarantina"] > 0
    assert totals["hilang"] == 0
    print(f"\nkorpus: {totals}")
