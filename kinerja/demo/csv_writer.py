"""The demo files as CSV (UTF-8, header, ',' separator, LF), written from batches of string columns."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pyarrow as pa

from contract.output import csv_lines
from contract.schema import BERAKHLAK, FILES
from kinerja.demo.columns import as_text

# The columns the demo writes in each file, in file order (optional ones it leaves out: bukti).
HEADERS: dict[str, tuple[str, ...]] = {
    "unit_kerja": ("kode_unit", "nama_unit", "kode_instansi", "nama_instansi",
                   "predikat_organisasi"),
    "pegawai": ("nip", "nama", "kode_unit", "jabatan", "jenis_jabatan", "nip_atasan", "email"),
    "skp": ("id_indikator", "nip", "tahun", "rencana_hasil_kerja", "indikator", "aspek",
            "target", "satuan", "arah", "jenis", "id_indikator_atasan", "kompetensi"),
    "realisasi": ("id_indikator", "periode", "realisasi"),
    "perilaku": ("nip", "nip_penilai", "periode", *BERAKHLAK, "catatan"),
    "umpan_balik": ("nip", "dari_nip", "tanggal", "jenis", "catatan"),
    "survei_masyarakat": ("kode_unit", "periode", "layanan", "jumlah_responden", "nilai_ikm"),
    "riwayat_pelatihan": ("nip", "nama_pelatihan", "kompetensi", "tanggal", "jp"),
    "katalog_pelatihan": ("kode_pelatihan", "nama_pelatihan", "kompetensi", "jp"),
    "rating_atasan": ("nip", "rating_hasil_kerja", "rating_perilaku", "alasan"),
    "keberatan": ("nip", "tahun", "tanggal_terima", "tanggal_pengajuan", "alasan", "nip_pemutus",
                  "tanggal_keputusan", "keputusan", "rating_hasil_kerja_baru", "rating_perilaku_baru",
                  "catatan_keputusan"),
    "angka_kredit": ("nip", "jenjang", "golongan", "ak_awal", "bulan"),
}

# Free-text columns: the only ones quoted where needed (codes, dates and numbers are written as they
# are, so a broken row the demo writes on purpose stays broken).
TEXT_COLUMNS = frozenset({
    "nama", "nama_unit", "nama_instansi", "jabatan", "email", "rencana_hasil_kerja", "indikator",
    "satuan", "catatan", "layanan", "nama_pelatihan", "alasan", "kode_unit", "catatan_keputusan",
})

Columns = Mapping[str, pa.Array | np.ndarray]


class CsvWriter:
    """One demo file, open for batches of rows; `close` returns the number of rows written."""

    def __init__(self, out_dir: Path, sheet: str) -> None:
        self.path = out_dir / FILES[sheet].name
        self.header = HEADERS[sheet]
        self.rows = 0
        self._handle = open(self.path, "wb")  # noqa: SIM115 - closed in close()
        self._handle.write((",".join(self.header) + "\n").encode("utf-8"))

    def write(self, columns: Columns) -> None:
        texts = [as_text(columns[name]) for name in self.header]
        n = len(texts[0])
        if n == 0:
            return
        self._handle.write(csv_lines(texts, [name in TEXT_COLUMNS for name in self.header]))
        self.rows += n

    def close(self) -> int:
        self._handle.close()
        return self.rows


def write_sheet(out_dir: Path, sheet: str, columns: Columns) -> int:
    """Write one whole demo file; returns its number of rows."""
    writer = CsvWriter(out_dir, sheet)
    writer.write(columns)
    return writer.close()
