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
