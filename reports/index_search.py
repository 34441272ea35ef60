"""pencarian_pegawai.js: every employee of the year in one compact script that index.html loads offline.

A page opened from the file system may not fetch() a local file, so the data is a script setting
`window.KINERJA_PEGAWAI`. It stays small at 100,000 employees by being column-oriented: NIPs and names
as one newline-joined string each, the rows sorted by unit so that the unit of every row is a run length
per unit (dictionary + run-length encoding), and predikat and "has a document" packed into one letter per
row. The JSON is ASCII-only with `<`, `>` and `&` escaped, so no value can end a script or open a tag.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import numpy as np
import pandas as pd

from contract.schema import PREDIKAT

SEARCH_FILE = "pencarian_pegawai.js"
GLOBAL = "KINERJA_PEGAWAI"
_LINE_BREAK = re.compile(r"[\r\n\u2028\u2029]+")
# One letter per employee: a + 2 * predikat index (len(PREDIKAT) = not scored) + 1 when dokumen exists.
_KODE = np.array([chr(97 + i) for i in range(2 * (len(PREDIKAT) + 1))], dtype=object)


def lines(values: list[str]) -> str:
    """The values joined by newlines, a line break inside a value turned into a space (row i = line i)."""
    text = "\n".join(values)
    if text.count("\n") != max(len(values) - 1, 0) or any(c in text for c in "\r\u2028\u2029"):
        text = "\n".join(_LINE_BREAK.sub(" ", v) for v in values)
    return text


def standing_predikat(pegawai: pd.DataFrame) -> np.ndarray:
    """The predikat that stands (position in PREDIKAT): after the objections when decided, else after the
    curve, else -1."""
    tetap = pegawai["predikat_ditetapkan"].to_numpy()
    return np.where(tetap >= 0, tetap, pegawai["predikat_final"].to_numpy())


def search_script(
    pegawai: pd.DataFrame, unit_nama: dict[str, str], unit_tautan: dict[str, str], dokumen: set[str],
    tahun: int,
) -> str:
    """The script text: `window.KINERJA_PEGAWAI = {...};` (deterministic for the same rows and files).

    pegawai: reports.index_data.PEGAWAI_COLUMNS, text without NULLs (one row per employee);
    unit_nama / unit_tautan: a unit's name and the page its employees without a document link to;
    dokumen: the file names in OUTPUT/<tahun>/dokumen/.
    """
    nip = pegawai["nip"].to_numpy(dtype=object)
    kode_unit = pegawai["kode_unit"].to_numpy(dtype=object)
    urut = np.lexsort((nip.astype(str), pd.factorize(kode_unit, sort=True)[0]))  # by unit, then nip
    nip, kode_unit = nip[urut], kode_unit[urut]
    predikat = standing_predikat(pegawai)[urut]
    predikat[predikat < 0] = len(PREDIKAT)
    berkas = [n + ".html" for n in nip.tolist()]  # dokumen/<nip>.html
    ada_dokumen = np.fromiter(map(dokumen.__contains__, berkas), dtype=int, count=len(nip))
    baru = np.flatnonzero(np.concatenate([[True], kode_unit[1:] != kode_unit[:-1]])) if len(nip) else []
    units = kode_unit[baru].tolist()
    data = {
        "tahun": int(tahun),
        "predikat": list(PREDIKAT),
        "unit": units,
        "unitNama": [unit_nama.get(u, "") for u in units],
        "unitTautan": [unit_tautan.get(u, "") for u in units],
        "unitJumlah": np.diff(np.append(baru, len(nip))).astype(int).tolist(),
        "nip": lines(nip.tolist()),
        "nama": lines(pegawai["nama"].to_numpy(dtype=object)[urut].tolist()),
        "kode": "".join(_KODE[predikat * 2 + ada_dokumen].tolist()),
    }
    return f"window.{GLOBAL} = {script_json(data)};\n"


def script_json(value: Any) -> str:
    """JSON that can stand inside a <script> element: ASCII only, and `<`, `>` and `&` escaped, so no value
    can end the script or open a tag."""
    teks = json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    return teks.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def version(script: str) -> str:
    """A short content hash, appended to the script's URL so a browser never runs a stale copy."""
    return hashlib.sha256(script.encode("utf-8")).hexdigest()[:12]
