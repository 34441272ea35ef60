"""The benchmark's tables: per stage and variant, the targets, documents and the year view — printed with
rich and written between the markers of bench/RESULTS.md (bench/run.py measures, this module reports)."""

from __future__ import annotations

from pathlib import Path

from bench import measure, year_view
from bench.variants import variant_of

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
GIB = 1024**3


def _identical_text(res: dict) -> str:
    """ya / tidak (first differing file) / why not compared; the reference run says so."""
    if variant_of(res).reference:
        return "acuan / reference"
    same = res.get("identik")
    if same is None:
        return "-"
    if "catatan" in same:
        return same["catatan"]
    if same["ya"]:
        return f"ya ({same['berkas']} berkas, {same['tabel']} tabel)"
    more = f" +{len(same['beda']) - 1}" if len(same["beda"]) > 1 else ""
    return f"**tidak**: {same['beda'][0]}{more}"


def _share(stage: dict) -> float:
    t = stage["times"]
    return (t["gerbang"] + t["prefect"] + t["catatan"]) / stage["wall"] if stage["wall"] else 0.0




def _size_and_variant(res: dict) -> list[str]:
    variant = variant_of(res)
    return [f"{res['pegawai']:,}", variant.db, variant.executor]


def _worker_gib(peak: int | None) -> str:
    return "-" if peak is None else f"{peak / GIB:.2f}"


def _rows_table(results: list[dict]) -> tuple[list[str], list[list[str]]]:
    """A row per stage and one per cycle for each size and variant; the Dask workers' largest peak and,
    on the cycle row, whether the outputs equal the sqlite-lokal run's."""
    head = ["pegawai", "db", "executor", "tahap", "wall s", "peak RSS GiB", "+ salinan laporan GiB",
            "peak pekerja GiB", "baris input",
            "baris/s", "floor s", "x floor", *[f"{k} s" for k in measure.COLUMNS], "orkestrasi+gerbang",
            "identik"]
    body = []
    for res in results:
        first = _size_and_variant(res)
        for s in res["stages"]:
            body.append([
                *first, s["tahap"], f"{s['wall']:.1f}", f"{s['peak_rss'] / GIB:.2f}",
                _worker_gib(s.get("privat_salinan_laporan")), _worker_gib(s.get("peak_rss_pekerja")),
                f"{s['rows']:,}", f"{s['rows'] / s['wall']:,.0f}",
                f"{s['floor']:.2f}", f"{s['wall'] / s['floor']:.0f}" if s["floor"] else "-",
                *[f"{s['times'][k]:.1f}" for k in measure.COLUMNS], f"{100 * _share(s):.0f}%", "",
            ])
        total = sum(s["wall"] for s in res["stages"])
        floor = sum(s["floor"] for s in res["stages"])
        over = sum(_share(s) * s["wall"] for s in res["stages"])
        peak = max(s["peak_rss"] for s in res["stages"])
        workers = max((s["peak_rss_pekerja"] for s in res["stages"] if "peak_rss_pekerja" in s), default=None)
        copies = max((s["privat_salinan_laporan"] for s in res["stages"] if "privat_salinan_laporan" in s),
                     default=None)
        rows = sum(s["rows"] for s in res["stages"])
        body.append([
            *first, "**siklus / cycle**", f"{total:.1f}", f"{peak / GIB:.2f}", _worker_gib(copies),
            _worker_gib(workers),
            f"{rows:,}", f"{rows / total:,.0f}", f"{floor:.2f}", f"{total / floor:.0f}" if floor else "-",
            *[f"{sum(s['times'][k] for s in res['stages']):.1f}" for k in measure.COLUMNS],
            f"{100 * over / total:.0f}%", _identical_text(res),
        ])
    return head, body


# The national-scale issue's targets: (wall s, peak RSS GiB, orchestration+gate share) per size and
# database; and no stage may grow more than GROWTH_MAX times from 100,000 to 1,000,000 employees.
TARGETS = {
    (100_000, "sqlite"): (35, 1.5, 0.20), (100_000, "postgresql"): (35, 1.5, 0.20),
    (1_000_000, "sqlite"): (300, 4, None), (1_000_000, "postgresql"): (400, 4, None),
}
GROWTH_MAX = 10.5


def _stage_memory(stage: dict) -> int:
    """A stage's memory against the target: the flow process's peak plus what its report processes held
    of their own (reports.processes), or the largest Dask worker's peak if more."""
    own = stage["peak_rss"] + (stage.get("privat_salinan_laporan") or 0)
    return max(own, stage.get("peak_rss_pekerja") or 0)


def _targets(results: list[dict]) -> list[str]:
    """The issue's targets, met or not, per size and variant (peak RSS: the flow process with its report
    processes' own memory; with Dask also every worker)."""
    lines = []
    mark = {True: "terpenuhi / met", False: "**tidak / missed**"}
    for res in results:
        n, variant = res["pegawai"], variant_of(res)
        if (n, variant.db) not in TARGETS:
            continue
        wall_max, gib_max, share_max = TARGETS[(n, variant.db)]
        total = sum(s["wall"] for s in res["stages"])
        peak = max(_stage_memory(s) for s in res["stages"]) / GIB
        share = sum(_share(s) * s["wall"] for s in res["stages"]) / total
        which = "" if variant.reference else f" ({variant.label})"
        lines.append(f"- {n:,}{which}: wall {total:.0f} s (target <= {wall_max} s): "
                     f"{mark[total <= wall_max]}; peak RSS {peak:.2f} GiB (target <= {gib_max} GiB): "
                     f"{mark[peak <= gib_max]}")
        if share_max is not None:
            lines.append(f"  orkestrasi+gerbang {100 * share:.0f}% (target <= {100 * share_max:.0f}%): "
                         f"{mark[share <= share_max]}")
    lines += _growth(results, mark)
    return lines


def _growth(results: list[dict], mark: dict[bool, str]) -> list[str]:
    """Per variant measured at both 100,000 and 1,000,000: each stage's wall-time ratio, against
    GROWTH_MAX (time should grow linearly)."""
    lines = []
    by_size = {(r["pegawai"], variant_of(r).name): r for r in results}
    for (n, name), big in sorted(by_size.items()):
        small = by_size.get((100_000, name))
        if n != 1_000_000 or small is None:
            continue
        walls = {s["tahap"]: s["wall"] for s in small["stages"]}
        ratios = {s["tahap"]: s["wall"] / walls[s["tahap"]] for s in big["stages"] if walls.get(s["tahap"])}
        worst = max(ratios, key=ratios.get)
        lines.append(f"- 100,000 → 1,000,000 ({variant_of(big).label}): "
                     + ", ".join(f"{k} {v:.1f}×" for k, v in ratios.items())
                     + f"; terbesar / largest {worst} {ratios[worst]:.1f}× (target <= {GROWTH_MAX}×): "
                     f"{mark[ratios[worst] <= GROWTH_MAX]}")
    return lines


DOCUMENTS_PER_SECOND = 1_000  # the target for render_documents


def _documents_table(results: list[dict]) -> tuple[list[str], list[list[str]]]:
    """Per size: documents rendered, seconds, documents/s and the target (sizes measured before
    the documents were part of the benchmark have none)."""
    head = ["pegawai", "dokumen", "detik", "dokumen/s", f"target >= {DOCUMENTS_PER_SECOND:,}/s"]
    body = []
    for res in results:
        if "dokumen" not in res:
            continue
        d = res["dokumen"]
        rate = d["jumlah"] / d["detik"] if d["detik"] else 0.0
        body.append([f"{res['pegawai']:,}", f"{d['jumlah']:,}", f"{d['detik']:.1f}", f"{rate:,.0f}",
                     "terpenuhi / met" if rate >= DOCUMENTS_PER_SECOND else "**tidak / missed**"])
    return head, body


def _documents_markdown(results: list[dict]) -> list[str]:
    head, body = _documents_table(results)
    if not body:
        return []
    return [
        "",
        "Dokumen evaluasi per pegawai / per-employee documents (after the cycle: `render_documents` for"
        " every scored employee, year-end result recomputed from the same input and not timed; files"
        " written to a scratch folder, deleted afterwards):",
        "",
        *year_view.markdown_table(head, body),
    ]


def markdown(results: list[dict], machine: dict[str, str], generated: dict[int, float | None]) -> str:
    head, body = _rows_table(results)
    lines = [
        BEGIN,
        f"## Hasil terakhir / latest run ({machine['tanggal']})",
        "",
        *[f"- {k}: {v}" for k, v in machine.items() if k != "tanggal"],
        *[f"- data demo {n:,} pegawai dibuat dalam {t:.0f} s" for n, t in sorted(generated.items()) if t],
        *[_load_line(r) for r in results if "beban" in r],
        "",
        *year_view.markdown_table(head, body),
        "",
        "Kolom: db, executor = BENCH_DB, BENCH_EXECUTOR (sqlite/lokal: one process, the SQLite file;"
        " postgresql: a fresh database on the server, writes through COPY; dask: the instansi's compute on"
        " a local cluster of 2 worker processes, 1 thread each); peak RSS = the flow process;"
        " + salinan laporan = the memory the forked report processes of one call held of their own, summed"
        " (Private of /proc/<pid>/smaps_rollup as each ended; reports.processes), added to peak RSS for the"
        " target; peak pekerja ="
        " the largest of the Dask workers' peaks (VmHWM, reset before each stage through Client.run; in a"
        " stage without partitioned compute, what the workers still hold);"
        " identik = out/<tahun> and every table equal to the sqlite/lokal run of the same size (byte for"
        " byte; index.html without its run times; tables without ids, timestamps, hashes), or the first"
        " that differs. baca = read + value rules; gerbang = GX suites, relational and stage checks, gate"
        " report; hitung = compute; tulis = DB write; laporan = CSV/HTML outputs; catatan = begin/finish"
        " (stage-run record, input checksums, audit seal); prefect = flow wall time not covered by any task"
        " run (with Dask the instansi's compute tasks overlap: hitung is their sum)."
        " orkestrasi+gerbang = (gerbang + catatan + prefect) / wall. x floor = wall / (pyarrow read of"
        " the same files).",
        "",
        "Target:",
        *_targets(results),
        *_documents_markdown(results),
        *year_view.markdown([r for r in results if variant_of(r).reference]),
        *_year_view_variants_markdown(results),
        END,
    ]
    return "\n".join(lines)


def _load_line(res: dict) -> str:
    n, variant = res["pegawai"], variant_of(res)
    when = f" ({res['tanggal']})" if "tanggal" in res else ""
    return (f"- beban saat {n:,} {variant.label} selesai / load when {n:,} {variant.label} finished{when}:"
            f" {res['beban']}")


def _year_view_table(results: list[dict]) -> tuple[list[str], list[list[str]], list[str]]:
    """bench/year_view.py's table with the database and executor after the size, so the variants of a
    size stand side by side (its rows name only the size)."""
    head, body, notes = ["pegawai", "db", "executor"], [], []
    for res in results:
        part_head, rows, part_notes = year_view.table([res])
        head = ["pegawai", "db", "executor", *part_head[1:]]
        body += [_size_and_variant(res) + row[1:] for row in rows]
        notes += [f"{variant_of(res).label} {note}" for note in part_notes]
    return head, body, notes


def _year_view_variants_markdown(results: list[dict]) -> list[str]:
    """The year view of every variant (the table above has the sqlite-lokal runs with the description),
    written only when a size has been measured with another variant."""
    if all(variant_of(r).reference for r in results):
        return []
    head, body, notes = _year_view_table(results)
    if not body:
        return []
    return [
        "",
        "Tampilan tahun per varian / year view per variant (measured as above, on each variant's database"
        " and output folder):",
        "",
        *year_view.markdown_table(head, body),
        *([""] + [f"- {note}" for note in notes] if notes else []),
    ]


def write_results(markdown: str) -> None:
    """Replace the block between the markers in RESULTS.md; keep the notes around it."""
    if RESULTS.exists():
        text = RESULTS.read_text()
        if BEGIN in text and END in text:
            before, rest = text.split(BEGIN, 1)
            after = rest.split(END, 1)[1]
            RESULTS.write_text(before + markdown + after)
            return
        RESULTS.write_text(text.rstrip() + "\n\n" + markdown + "\n")
        return
    RESULTS.write_text("# Benchmark\n\n" + markdown + "\n")


def print_tables(results: list[dict]) -> None:
    from rich.console import Console

    console = Console(width=250)
    head, body = _rows_table(results)
    console.print(_rich_table("Kinerja benchmark (dokumen tidak)", head, body))
    for line in _targets(results):
        console.print(line.replace("**", ""))
    head, body = _documents_table(results)
    if body:
        console.print(_rich_table("Dokumen evaluasi per pegawai / per-employee documents", head, body))
    head, body, notes = _year_view_table(results)
    if body:
        console.print(_rich_table("Tampilan tahun / year view (xlsx, index.html, halaman di Chromium)", head,
                                  body))
        for note in notes:
            console.print(note)


def _rich_table(title: str, head: list[str], body: list[list[str]]) -> object:
    from rich.table import Table

    table = Table(title=title)
    for name in head:
        table.add_column(name, justify="left" if name in ("db", "executor", "tahap", "identik") else "right")
    for row in body:
        table.add_row(*[c.replace("**", "") for c in row])
    return table
