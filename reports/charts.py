"""Inline SVG charts: reports must open offline and print, so no JS and no external files."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from markupsafe import Markup, escape

from reports.common import format_count, format_number

PALETTE = ("#1f4e79", "#c55a11", "#70ad47", "#7f7f7f", "#ffc000")
_FONT = 'font-family="sans-serif" font-size="11"'


def _coord(x: float) -> str:
    """A coordinate with fixed precision, so the same data always gives the same bytes."""
    return f"{x:.1f}"


@lru_cache(maxsize=1 << 16)
def _value_label(v: float) -> str:
    """A bar value label: whole numbers plain, others with 2 decimals and a decimal comma.

    Cached: thousands of unit charts show the same small counts over and over.
    """
    return format_count(v) if float(v).is_integer() else format_number(v)


@lru_cache(maxsize=1 << 16)
def _escaped(text: str) -> str:
    """Escape a label for SVG text / attributes (cached: the same labels recur in every unit's chart)."""
    return str(escape(str(text)))


def _shorten(text: object, maks: int) -> str:
    """Shorten a long label (the full label stays in the <title> tooltip)."""
    s = str(text)
    return s if len(s) <= maks else s[: maks - 1] + "…"


def _svg_start(judul: str, lebar: float, tinggi: float) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="grafik" role="img" '
        f'aria-label="{_escaped(judul)}" width="{_coord(lebar)}" height="{_coord(tinggi)}" '
        f'viewBox="0 0 {_coord(lebar)} {_coord(tinggi)}">',
        f"<title>{_escaped(judul)}</title>",
        f'<text x="0" y="14" {_FONT} font-weight="bold">{_escaped(judul)}</text>',
    ]


def _clean(values: Sequence[float]) -> list[float]:
    return [0.0 if v is None or v != v else float(v) for v in values]


@lru_cache(maxsize=64)
def _no_data(judul: str) -> Markup:
    """The no-data note (cached: most units have no survey data, so it is the same every time)."""
    return Markup('<p class="kosong">{}: tidak ada data untuk grafik.</p>').format(judul)


def bar_chart(
    labels: Sequence[object],
    values: Sequence[float],
    *,
    judul: str,
    arah: str = "horizontal",
    lebar: int = 640,
    warna: str = PALETTE[0],
) -> Markup:
    """A single-series bar chart, horizontal (long labels) or vertical (few short bins)."""
    if arah not in {"horizontal", "vertikal"}:
        raise ValueError(f"arah grafik tidak dikenal: {arah!r}")
    vals = _clean(values)
    if not vals:
        return _no_data(judul)
    vmax = max(max(vals), 1e-9)
    if arah == "horizontal":
        return _horizontal_bars([str(x) for x in labels], vals, vmax, judul, lebar, warna)
    return _vertical_bars([str(x) for x in labels], vals, vmax, judul, lebar, warna)


def _horizontal_bars(
    labels: list[str], vals: list[float], vmax: float, judul: str, lebar: int, warna: str
) -> Markup:
    kiri, baris, atas = 210.0, 22.0, 26.0
    ruang = lebar - kiri - 60
    tinggi = atas + baris * len(vals) + 8
    out = _svg_start(judul, lebar, tinggi)
    x_label, x_batang, tinggi_batang = _coord(kiri - 6), _coord(kiri), _coord(baris - 6)
    for i, (label, v) in enumerate(zip(labels, vals, strict=True)):
        y = atas + i * baris
        w = max(ruang * v / vmax, 0.0)
        nilai, teks_y = _escaped(_value_label(v)), _coord(y + 14)
        out.append(
            f"<g><title>{_escaped(label)}: {nilai}</title>"
            f'<text x="{x_label}" y="{teks_y}" text-anchor="end" {_FONT}>'
            f"{_escaped(_shorten(label, 34))}</text>"
            f'<rect x="{x_batang}" y="{_coord(y + 3)}" width="{_coord(w)}" height="{tinggi_batang}" '
            f'fill="{warna}"/>'
            f'<text x="{_coord(kiri + w + 4)}" y="{teks_y}" {_FONT}>{nilai}</text></g>'
        )
    out.append("</svg>")
    return Markup("".join(out))


def _vertical_bars(
    labels: list[str], vals: list[float], vmax: float, judul: str, lebar: int, warna: str
) -> Markup:
    atas, bawah, kiri = 36.0, 40.0, 10.0
    tinggi = 240.0
    ruang_y = tinggi - atas - bawah
    slot = (lebar - 2 * kiri) / len(vals)
    w = slot * 0.6
    out = _svg_start(judul, lebar, tinggi)
    out.append(
        f'<line x1="{_coord(kiri)}" y1="{_coord(tinggi - bawah)}" x2="{_coord(lebar - kiri)}" '
        f'y2="{_coord(tinggi - bawah)}" stroke="#000" stroke-width="0.5"/>'
    )
    lebar_batang, y_label, maks_label = _coord(w), _coord(tinggi - bawah + 16), int(slot / 6) + 1
    for i, (label, v) in enumerate(zip(labels, vals, strict=True)):
        h = ruang_y * v / vmax
        x = kiri + i * slot + (slot - w) / 2
        y = tinggi - bawah - h
        tengah, nilai = _coord(x + w / 2), _escaped(_value_label(v))
        out.append(
            f"<g><title>{_escaped(label)}: {nilai}</title>"
            f'<rect x="{_coord(x)}" y="{_coord(y)}" width="{lebar_batang}" height="{_coord(h)}" '
            f'fill="{warna}"/>'
            f'<text x="{tengah}" y="{_coord(y - 4)}" text-anchor="middle" {_FONT}>'
            f"{nilai}</text>"
            f'<text x="{tengah}" y="{y_label}" text-anchor="middle" {_FONT}>'
            f"{_escaped(_shorten(label, maks_label))}</text></g>"
        )
    out.append("</svg>")
    return Markup("".join(out))


def grouped_bar_chart(
    categories: Sequence[object],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    judul: str,
    lebar: int = 640,
) -> Markup:
    """Vertical grouped bars, e.g. predikat counts 'sebelum' vs 'sesudah' calibration."""
    cats = [str(c) for c in categories]
    if not cats or not series:
        return _no_data(judul)
    data = [(str(name), _clean(vals)) for name, vals in series]
    for name, vals in data:
        if len(vals) != len(cats):
            raise ValueError(f"seri {name!r} punya {len(vals)} nilai untuk {len(cats)} kategori")
    vmax = max(max(max(v) for _, v in data), 1e-9)
    atas, bawah, kiri = 52.0, 40.0, 10.0
    tinggi = 260.0
    ruang_y = tinggi - atas - bawah
    slot = (lebar - 2 * kiri) / len(cats)
    w = slot * 0.8 / len(data)
    out = _svg_start(judul, lebar, tinggi)
    for j, (name, _) in enumerate(data):
        lx = kiri + j * 170
        out.append(
            f'<rect x="{_coord(lx)}" y="22" width="10" height="10" fill="{PALETTE[j % len(PALETTE)]}"/>'
            f'<text x="{_coord(lx + 14)}" y="31" {_FONT}>{_escaped(name)}</text>'
        )
    out.append(
        f'<line x1="{_coord(kiri)}" y1="{_coord(tinggi - bawah)}" x2="{_coord(lebar - kiri)}" '
        f'y2="{_coord(tinggi - bawah)}" stroke="#000" stroke-width="0.5"/>'
    )
    lebar_batang, y_label, maks_label = _coord(w - 2), _coord(tinggi - bawah + 16), int(slot / 6) + 1
    for i, cat in enumerate(cats):
        x0 = kiri + i * slot + slot * 0.1
        kategori = _escaped(cat)
        for j, (name, vals) in enumerate(data):
            v = vals[i]
            h = ruang_y * v / vmax
            x = x0 + j * w
            y = tinggi - bawah - h
            nilai = _escaped(_value_label(v))
            out.append(
                f"<g><title>{kategori} — {_escaped(name)}: {nilai}</title>"
                f'<rect x="{_coord(x)}" y="{_coord(y)}" width="{lebar_batang}" height="{_coord(h)}" '
                f'fill="{PALETTE[j % len(PALETTE)]}"/>'
                f'<text x="{_coord(x + (w - 2) / 2)}" y="{_coord(y - 4)}" text-anchor="middle" {_FONT}>'
                f"{nilai}</text></g>"
            )
        out.append(
            f'<text x="{_coord(kiri + i * slot + slot / 2)}" y="{y_label}" '
            f'text-anchor="middle" {_FONT}>{_escaped(_shorten(cat, maks_label))}</text>'
        )
    out.append("</svg>")
    return Markup("".join(out))


def line_chart(
    labels: Sequence[object],
    values: Sequence[float],
    *,
    judul: str,
    lebar: int = 640,
    y_min: float | None = None,
    y_max: float | None = None,
) -> Markup:
    """A simple line chart for a monthly trend (missing months are left as gaps)."""
    names = [str(x) for x in labels]
    vals = [None if v is None or v != v else float(v) for v in values]
    known = [v for v in vals if v is not None]
    if not known:
        return _no_data(judul)
    lo = min(known) if y_min is None else y_min
    hi = max(known) if y_max is None else y_max
    if hi - lo < 1e-9:
        lo, hi = lo - 1, hi + 1
    atas, bawah, kiri, kanan = 36.0, 40.0, 44.0, 20.0
    tinggi = 240.0
    ruang_y = tinggi - atas - bawah
    langkah = (lebar - kiri - kanan) / max(len(vals) - 1, 1)
    out = _svg_start(judul, lebar, tinggi)
    for frac in (0.0, 0.5, 1.0):
        gy = tinggi - bawah - ruang_y * frac
        out.append(
            f'<line x1="{_coord(kiri)}" y1="{_coord(gy)}" x2="{_coord(lebar - kanan)}" y2="{_coord(gy)}" '
            f'stroke="#bbb" stroke-width="0.5"/>'
            f'<text x="{_coord(kiri - 4)}" y="{_coord(gy + 4)}" text-anchor="end" {_FONT}>'
            f"{_escaped(_value_label(lo + (hi - lo) * frac))}</text>"
        )
    segmen: list[list[str]] = [[]]
    titik_titik: list[str] = []
    for i, (name, v) in enumerate(zip(names, vals, strict=True)):
        x = kiri + i * langkah
        out.append(
            f'<text x="{_coord(x)}" y="{_coord(tinggi - bawah + 16)}" text-anchor="middle" {_FONT}>'
            f"{_escaped(_shorten(name, 10))}</text>"
        )
        if v is None:
            segmen.append([])
            continue
        y = tinggi - bawah - ruang_y * (v - lo) / (hi - lo)
        segmen[-1].append(f"{_coord(x)},{_coord(y)}")
        titik_titik.append(
            f"<g><title>{_escaped(name)}: {_escaped(_value_label(v))}</title>"
            f'<circle cx="{_coord(x)}" cy="{_coord(y)}" r="3" fill="{PALETTE[0]}"/>'
            f'<text x="{_coord(x)}" y="{_coord(y - 7)}" text-anchor="middle" {_FONT}>'
            f"{_escaped(_value_label(v))}</text></g>"
        )
    for titik in segmen:
        if len(titik) > 1:
            out.append(
                f'<polyline points="{" ".join(titik)}" fill="none" stroke="{PALETTE[0]}" stroke-width="2"/>'
            )
    out.extend(titik_titik)
    out.append("</svg>")
    return Markup("".join(out))
