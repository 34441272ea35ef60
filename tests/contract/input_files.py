"""Small input files written as bytes, for the reader's tests."""

from __future__ import annotations

from pathlib import Path

NIP_A = "198001012005011001"
NIP_B = "199001012015012002"

SKP_KOMA = (
    "id_indikator,nip,tahun,rencana_hasil_kerja,indikator,aspek,target,satuan,arah,jenis\n"
    f"I1,{NIP_A},2026,RHK,Ind,kuantitas,1234.5,dok,naik,utama\n"
    f"I2,{NIP_B},2026,RHK,Ind,waktu,12,hari,turun,utama\n"
)
SKP_TITIK_KOMA = (
    "id_indikator;nip;tahun;rencana_hasil_kerja;indikator;aspek;target;satuan;arah;jenis\n"
    f"I1;{NIP_A};2026;RHK;Ind;kuantitas;1.234,5;dok;naik;utama\n"
    f"I2;{NIP_B};2026;RHK;Ind;waktu;12;hari;turun;utama\n"
)


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def excel_number(text: str) -> float:
    """A number typed into a General cell, as Excel saves it: 15 significant digits."""
    return float(f"{float(text):.15g}")


def workbook_from_csv(
    source: Path, dest: Path, sheets: list[str], numbers: dict[str, dict[int, tuple[str, ...]]],
) -> Path:
    """dest/kinerja.xlsx from source's CSVs (the listed sheets, one row per CSV line): every cell as
    text except `numbers[sheet][line]`'s columns, typed as numbers into Excel (`excel_number`)."""
    import csv
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet in sheets:
        rows = list(csv.reader(io.StringIO((source / f"{sheet}.csv").read_text(encoding="utf-8"))))
        ws = book.create_sheet(sheet)
        ws.append(rows[0])
        for line, row in enumerate(rows[1:], start=2):
            typed = numbers.get(sheet, {}).get(line, ())
            ws.append([excel_number(v) if k in typed and v else (v or None)
                       for k, v in zip(rows[0], row, strict=True)])
    book.save(dest / "kinerja.xlsx")
    return dest / "kinerja.xlsx"
