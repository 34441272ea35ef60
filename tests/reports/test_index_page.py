"""index.html and pencarian_pegawai.js from real demo years: what the database holds, every link to a file
that exists, every value escaped, the same bytes for the same state, early and after a failed gate. The unit
table is checked in the data its rows are built from (the page's #data-unit); test_index_browser.py checks
the rows the browser builds from it."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Boolean, DateTime

from contract.schema import PREDIKAT
from models.db import get_engine, migrate, read_frame, replace_rows, table, transaction
from penilaian.kurva import periksa_kurva
from penilaian.monitoring import mutu_ikm
from penilaian.ruleset import load_ruleset
from reports.index_page import duration_text, render_index
from reports.index_search import GLOBAL, SEARCH_FILE
from reports.index_units import UNIT_FILES
from stages import registry
from tests.reports.index_cycle import (
    NAMA_RUMUS,
    NAMA_SKRIP,
    TAHUN,
    UNIT_MARKUP,
    EarlyYear,
    Year,
    early_year,
    full_year,
    render,
)

pytestmark = pytest.mark.slow

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    """An element of the parsed page (html.parser: enough for the page's well-formed markup)."""

    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag, self.attrs, self.children = tag, attrs, []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def all(self, tag: str | None = None, **attrs: str) -> list[Node]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if (tag is None or child.tag == tag) and all(child.attrs.get(k.replace("_", "-")) == v
                                                             for k, v in attrs.items()):
                    found.append(child)
                found += child.all(tag, **attrs)
        return found


class _Builder(HTMLParser):
    """Builds the Node tree of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def dom(html: bytes | str) -> Node:
    builder = _Builder()
    builder.feed(html.decode("utf-8") if isinstance(html, bytes) else html)
    return builder.root


def search_data(script: bytes) -> dict:
    prefix = f"window.{GLOBAL} = ".encode()
    assert script.startswith(prefix) and script.endswith(b";\n")
    return json.loads(script[len(prefix):-2])


def unit_data(page: Node) -> tuple[dict, dict[str, dict]]:
    """The unit table's data in the page: the whole object, and each unit's fields by name, by kode."""
    (script,) = page.all("script", id="data-unit")
    assert script.attrs["type"] == "application/json"
    data = json.loads(script.text())
    return data, {row[0]: dict(zip(data["kolom"], row, strict=True)) for row in data["unit"]}


def decoded(data: dict) -> pd.DataFrame:
    """The search data as one row per employee: nip, nama, kode_unit, predikat, dokumen (bool)."""
    units = [u for u, n in zip(data["unit"], data["unitJumlah"], strict=True) for _ in range(n)]
    kode = [ord(c) - 97 for c in data["kode"]]
    nips = data["nip"].split("\n") if data["nip"] else []
    return pd.DataFrame({
        "nip": nips, "nama": data["nama"].split("\n") if data["nama"] else [], "kode_unit": units,
        "predikat": [data["predikat"][k >> 1] if k >> 1 < len(PREDIKAT) else "" for k in kode],
        "dokumen": [bool(k & 1) for k in kode],
    })


def query(year: Year, sql: str) -> pd.DataFrame:
    return read_frame(get_engine(year.db_url), sql, t=TAHUN)


@pytest.fixture(scope="module")
def year(prefect_harness: None, tmp_path_factory: pytest.TempPathFactory) -> Year:
    return full_year(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module")
def page(year: Year) -> Node:
    return dom((year.out_dir / "index.html").read_bytes())


@pytest.fixture(scope="module")
def early(prefect_harness: None, tmp_path_factory: pytest.TempPathFactory) -> EarlyYear:
    return early_year(tmp_path_factory.getbasetemp())


def _stage_row(page: Node, tahap: str) -> Node:
    (row,) = page.all("tr", data_tahap=tahap)
    return row


def test_every_stage_row_shows_its_latest_run_counts_gate_and_quarantine(year: Year, page: Node) -> None:
    runs = query(year, "SELECT * FROM stage_run WHERE tahun = :t ORDER BY id").groupby("tahap").tail(1)
    shown = [r.attrs["data-tahap"] for r in page.all("tr") if "data-tahap" in r.attrs]
    assert shown == list(registry.names())
    for stage in registry.STAGES:
        run = runs[runs["tahap"] == stage.name].iloc[0]
        row, counts = _stage_row(page, stage.name), json.loads(run["counts"])
        (status,) = row.all("span", data_outcome="berhasil")
        assert run["outcome"] == "berhasil" and status.text() == "Berhasil"
        shown = {s.children[0].strip(): s.all("b")[0].text() for s in row.all("td")[4].all("span")}
        expected = {}
        for key in stage.headline:
            keys = [k for k in counts if k.startswith(key[:-1])] if key.endswith(".*") else [key]
            for k in keys:
                label = k[len(key) - 1:] if key.endswith(".*") else k.replace(".", " ").replace("_", " ")
                expected[label] = f"{counts[k]:,}".replace(",", ".")
        assert shown == expected and expected
        assert run["flow_run_name"] == f"{stage.name}-{TAHUN}" and run["flow_run_name"] in row.text()
        (link,) = row.all("a", href=f"gerbang_{stage.name}.html")
        assert (year.out_dir / link.attrs["href"]).is_file()
        karantina = query(year, f"SELECT COUNT(*) AS n FROM karantina WHERE stage_run_id = {int(run['id'])}")
        assert row.all("td")[6].text().strip() == f"{int(karantina['n'].iloc[0]):,}".replace(",", ".")
        seconds = (pd.Timestamp(run["finished_at"]) - pd.Timestamp(run["started_at"])).total_seconds()
        assert duration_text(seconds) in row.text()
    rows = len(pd.read_csv(year.out_dir / "karantina.csv", dtype=str))
    ringkas = page.all("div", **{"class": "ringkas"})[0].text()
    assert f"{rows:,}".replace(",", ".") + "masalah di karantina" in ringkas


def test_output_files_present_are_linked(year: Year, page: Node) -> None:
    links = {a.attrs["href"] for a in page.all("ul", id="berkas")[0].all("a")}
    for name in ("karantina.csv", "hasil_penilaian.csv", "bias_penilai.csv", "keberatan_hasil.csv",
                 "hasil_penilaian_akhir.csv", "angka_kredit_hasil.csv", "pemantauan_tengah_tahun.csv",
                 "rekomendasi_pelatihan.csv"):
        assert name in links
    assert (f"kinerja_{TAHUN}.xlsx" in links) == (year.out_dir / f"kinerja_{TAHUN}.xlsx").is_file()


def _svg_counts(article: Node) -> dict[tuple[str, str], int]:
    """(predikat, series) -> the count a chart bar shows, from the bars' <title> tooltips."""
    out = {}
    for title in article.all("svg")[0].all("title")[1:]:
        predikat, rest = title.text().split(" — ")
        series, count = rest.rsplit(": ", 1)
        out[(predikat, series)] = int(count.replace(".", ""))
    return out


def test_instansi_charts_count_what_the_database_holds(year: Year, page: Node) -> None:
    sql = ("SELECT u.kode_instansi, h.{k} AS predikat, COUNT(*) AS n FROM {tabel} h JOIN unit_kerja u "
           "ON u.tahun = h.tahun AND u.kode_unit = h.kode_unit WHERE h.tahun = :t GROUP BY 1, 2")
    series = {"Sebelum kurva": ("hasil_penilaian", "predikat"),
              "Sesudah kurva": ("hasil_penilaian", "predikat_final"),
              "Ditetapkan (keberatan)": ("predikat_ditetapkan", "predikat_ditetapkan")}
    expected = {}
    for label, (tabel, kolom) in series.items():
        for r in query(year, sql.format(k=kolom, tabel=tabel)).itertuples():
            expected[(r.kode_instansi, r.predikat, label)] = int(r.n)
    articles = page.all("article")
    instansi = query(year, "SELECT kode_instansi FROM unit_kerja WHERE tahun = :t")["kode_instansi"]
    assert {a.attrs["data-instansi"] for a in articles} == set(instansi)
    for article in articles:
        shown = _svg_counts(article)
        assert len(shown) == len(PREDIKAT) * len(series)
        for (predikat, label), n in shown.items():
            assert n == expected.get((article.attrs["data-instansi"], predikat, label), 0)


def test_unit_rows_match_the_database_and_the_curve(year: Year, page: Node) -> None:
    data, rows = unit_data(page)
    units = query(year, "SELECT * FROM unit_kerja WHERE tahun = :t")
    assert list(rows) == sorted(units["kode_unit"]) and data["predikat"] == list(PREDIKAT)
    hasil = query(year, "SELECT kode_unit, predikat_final FROM hasil_penilaian WHERE tahun = :t")
    pegawai = query(year, "SELECT kode_unit FROM pegawai WHERE tahun = :t")["kode_unit"].value_counts()
    kurva = periksa_kurva(hasil, units, load_ruleset(None).kurva).set_index("kode_unit")
    bias = query(year, "SELECT p.kode_unit, COUNT(*) AS n FROM bias_penilai b JOIN pegawai p "
                       "ON p.tahun = b.tahun AND p.nip = b.nip_penilai "
                       "WHERE b.tahun = :t AND b.pola <> 'wajar' GROUP BY 1")
    bias = dict(zip(bias["kode_unit"], bias["n"], strict=True))
    instansi = dict(zip(units["kode_unit"], units["kode_instansi"], strict=True))
    for kode, row in rows.items():
        n = int((hasil["kode_unit"] == kode).sum())
        assert row["dinilai"] == n and row["pegawai"] == pegawai.get(kode, 0)
        assert data["instansi"][row["instansi"]][0] == instansi[kode]
        if n:
            shares = [100 * c / row["dinilai"] for c in row["predikat"]]
            counts = hasil.loc[hasil["kode_unit"] == kode, "predikat_final"].value_counts()
            assert shares == pytest.approx([100 * counts.get(p, 0) / n for p in PREDIKAT], abs=1e-3)
            assert row["kurva"] == ("ya" if kurva.loc[kode, "memenuhi"] else "tidak")
        assert row["bias"] == bias.get(kode, 0)
        assert (row["bias_rincian"] == "") == (row["bias"] == 0)


def test_every_link_points_at_a_file_that_exists_and_none_at_a_network(year: Year, page: Node) -> None:
    html = (year.out_dir / "index.html").read_text(encoding="utf-8")
    targets = [n.attrs.get("href") or n.attrs.get("src") for n in page.all()
               if {"href", "src"} & set(n.attrs)]
    (cari,) = page.all("section", id="cari")
    targets.append(cari.attrs["data-berkas"])  # the search data, added by the page's script
    assert len(targets) > 15 and cari.attrs["data-berkas"].startswith(f"{SEARCH_FILE}?v=")
    for target in targets:
        assert not re.match(r"(?i)^\s*(https?:|//|ftp:|data:|javascript:)", target), target
        if not target.startswith("#"):
            assert (year.out_dir / target.split("?")[0]).is_file(), target
    without_svg_namespace = html.replace("http://www.w3.org/2000/svg", "")
    assert not re.search(r"(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", without_svg_namespace)
    data, units = unit_data(page)
    assert data["berkas"] == [list(berkas) for berkas in UNIT_FILES]
    for kode, row in units.items():  # bit i of berkas: the unit's file i exists (the script links it)
        for i, (_, pattern, _) in enumerate(UNIT_FILES):
            assert bool(row["berkas"] >> i & 1) == (year.out_dir / pattern.format(kode)).is_file()
    assert sum(row["berkas"] for row in units.values()) > 0


def test_search_data_holds_every_scored_employee_once_with_the_right_link(year: Year) -> None:
    data = search_data((year.out_dir / SEARCH_FILE).read_bytes())
    rows = decoded(data)
    hasil = query(year, "SELECT h.nip, h.nama, h.kode_unit, "
                        "COALESCE(d.predikat_ditetapkan, h.predikat_final) AS predikat "
                        "FROM hasil_penilaian h "
                        "LEFT JOIN predikat_ditetapkan d ON d.tahun = h.tahun AND d.nip = h.nip "
                        "WHERE h.tahun = :t")
    assert rows["nip"].is_unique and len(hasil) > 100
    pegawai = query(year, "SELECT nip FROM pegawai WHERE tahun = :t")
    assert set(rows["nip"]) == set(hasil["nip"]) | set(pegawai["nip"])
    merged = hasil.merge(rows, on="nip", suffixes=("", "_js"), validate="1:1")
    assert len(merged) == len(hasil)
    assert (merged["nama"] == merged["nama_js"]).all()
    assert (merged["kode_unit"] == merged["kode_unit_js"]).all()
    assert (merged["predikat"] == merged["predikat_js"]).all()
    for r in rows.itertuples():
        assert r.dokumen == (year.out_dir / "dokumen" / f"{r.nip}.html").is_file()
    assert rows["dokumen"].sum() == len(hasil)
    tautan = dict(zip(data["unit"], data["unitTautan"], strict=True))
    assert all(tautan[k] == f"ringkasan_{k}.html" for k in rows["kode_unit"])


def test_hostile_text_is_escaped_in_the_page_and_in_the_search_data(year: Year, page: Node) -> None:
    html = (year.out_dir / "index.html").read_text(encoding="utf-8")
    script = (year.out_dir / SEARCH_FILE).read_bytes()
    assert UNIT_MARKUP not in html and "<img" not in html and "<script>alert" not in html
    assert '\\u003cimg src=x onerror=\\"alert(2)\\"\\u003e \\u0026 Co' in html
    (data,) = page.all("script", id="data-unit")
    assert data.text().isascii() and not re.search(r"[<>&]", data.text())
    assert unit_data(page)[1][year.unit_markup]["nama"] == UNIT_MARKUP
    assert not re.search(rb"[<>&]", script) and script.isascii() and b"\\u003cscript\\u003e" in script
    names = dict(zip(*[decoded(search_data(script))[k] for k in ("nip", "nama")], strict=True))
    assert names[year.nip_skrip] == NAMA_SKRIP and names[year.nip_rumus] == NAMA_RUMUS
    inline = "".join(s.text() for s in page.all("script"))
    assert NAMA_SKRIP not in inline and "innerHTML" not in inline and "insertAdjacentHTML" not in inline


def test_rendering_again_gives_the_same_bytes(year: Year) -> None:
    before = {p.name: p.read_bytes() for p in (year.out_dir / "index.html", year.out_dir / SEARCH_FILE)}
    assert render(year) == before
    assert not [p.name for p in year.out_dir.iterdir() if p.name.endswith(".tmp")]


def test_after_plan_collection_only(early: EarlyYear) -> None:
    page = dom(early.after_plan["index.html"])
    assert _stage_row(page, "plan-collection").all("span", data_outcome="berhasil")
    for name in registry.names()[1:]:
        assert "Belum dijalankan" in _stage_row(page, name).text()
        assert not _stage_row(page, name).all("a")
    assert not page.all("svg") and "Belum ada hasil penilaian" in page.text()
    _, units = unit_data(page)
    assert units and all(row["dinilai"] == 0 and row["kurva"] == "" for row in units.values())
    assert all(row["berisiko"] is None and "kurva_tetap" not in row for row in units.values())
    rows = decoded(search_data(early.after_plan[SEARCH_FILE]))
    pegawai = query(early.year, "SELECT nip FROM pegawai WHERE tahun = :t")
    assert sorted(rows["nip"]) == sorted(pegawai["nip"]) and not rows["dokumen"].any()
    assert (rows["predikat"] == "").all()


def test_after_a_failed_gate_the_stage_says_so_and_links_its_report(early: EarlyYear) -> None:
    page = dom(early.after_failed_gate["index.html"])
    row = _stage_row(page, "mid-year")
    assert row.all("span", data_outcome="gerbang_gagal") and "Gerbang mutu gagal" in row.text()
    assert row.all("a", href="gerbang_mid-year.html")
    (alert,) = page.all("div", role="alert")
    assert alert.all("a", href="gerbang_mid-year.html")
    assert (early.year.out_dir / "gerbang_mid-year.html").is_file()
    assert _stage_row(page, "plan-collection").all("span", data_outcome="berhasil")
    assert "Belum dijalankan" in _stage_row(page, "year-end").text()


def _copy_rows(source: str, target: str) -> None:
    """Every row of every table of one database into another (same schema), stage runs first."""
    engine = get_engine(target)
    migrate(engine)
    with sqlite3.connect(source.removeprefix("sqlite:///")) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    order = ["stage_run", *sorted(n for n in names if n not in ("stage_run", "alembic_version"))]
    with transaction(engine) as conn:
        for name in order:
            frame = read_frame(get_engine(source), f"SELECT * FROM {name}")
            for column in table(name).columns:
                kind = getattr(column.type, "impl", column.type)
                if isinstance(kind, Boolean):
                    frame[column.name] = frame[column.name].astype(bool)
                elif isinstance(kind, DateTime):
                    stamps = pd.to_datetime(frame[column.name], utc=True).astype(object)
                    frame[column.name] = stamps.where(frame[column.name].notna(), None)
            replace_rows(conn, name, frame)


def test_the_same_rows_give_the_same_page_on_every_database(year: Year, db_url: str, tmp_path: Path) -> None:
    _copy_rows(year.db_url, db_url)
    out = tmp_path / "out"
    shutil.copytree(year.out_dir, out, ignore=lambda folder, names: [
        n for n in names if folder == str(year.out_dir) and n in ("index.html", SEARCH_FILE)])
    paths = render_index(db_url, TAHUN, out, load_ruleset(None))
    assert [p.read_bytes() for p in paths] == [(year.out_dir / p.name).read_bytes() for p in paths]


def test_ikm_grade_is_the_mid_year_grade_of_the_stored_survey(early: EarlyYear, tmp_path: Path) -> None:
    target = f"sqlite:///{tmp_path / 'ikm.db'}"
    _copy_rows(early.year.db_url, target)
    unit = query(early.year, "SELECT MIN(kode_unit) AS k FROM unit_kerja WHERE tahun = :t")["k"].iloc[0]
    survei = pd.DataFrame({"kode_unit": unit, "periode": ["2026-02", "2026-05", "2026-09"],
                           "layanan": "KTP", "jumlah_responden": [10, 30, 50],
                           "nilai_ikm": [70.0, 90.0, 40.0], "tahun": TAHUN, "stage_run_id": 1})
    with transaction(get_engine(target)) as conn:
        replace_rows(conn, "survei_masyarakat", survei)
    render_index(target, TAHUN, tmp_path, load_ruleset(None))
    row = unit_data(dom((tmp_path / "index.html").read_bytes()))[1][unit]
    ikm = (70.0 * 10 + 90.0 * 30) / 40  # September is after the mid-year cut-off (June)
    grade = mutu_ikm(pd.Series([ikm]), load_ruleset(None)).iloc[0]
    assert ikm == 85.0 and row["ikm"] == ikm and row["ikm_mutu"] == grade  # shown as f"{grade} (85,00)"
