"""A partition written for a Dask worker comes back exactly, is refused when changed, and is cleaned up."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from kinerja.settings import get_settings
from tasks.partition_files import PartitionFile, frames_of, partition_folder, write_partition


def _frames() -> dict[str, pd.DataFrame]:
    realisasi = pd.DataFrame({
        "id_indikator": pd.Categorical(["B", "A", "B"], categories=["A", "B", "C"]),
        "nilai": [1.5, float("nan"), 0.1 + 0.2],
        "nip": pd.array(["1", None, "3"], dtype="string"),
        "bulan": pd.array([1, None, 12], dtype="Int64"),
    }, index=[7, 3, 9])
    return {"realisasi": realisasi, "pegawai": pd.DataFrame({"nip": ["1", "3"]})}


def test_a_partition_comes_back_from_its_file_exactly() -> None:
    frames = _frames()
    with partition_folder() as folder:
        berkas = write_partition(folder, 0, "PEMKOT-X", frames)
        assert berkas.sha256 == hashlib.sha256(Path(berkas.path).read_bytes()).hexdigest()
        assert berkas.baris == 5
        back = frames_of(berkas)
    assert list(back) == list(frames)
    for name, frame in frames.items():
        pd.testing.assert_frame_equal(back[name], frame)  # dtypes, categories and index included
    assert list(back["realisasi"]["id_indikator"].cat.categories) == ["A", "B", "C"]


def test_a_changed_partition_file_is_refused_before_it_is_read() -> None:
    with partition_folder() as folder:
        berkas = write_partition(folder, 0, "PEMKOT-X", _frames())
        data = bytearray(Path(berkas.path).read_bytes())
        data[len(data) // 2] ^= 0xFF
        Path(berkas.path).write_bytes(bytes(data))
        with pytest.raises(RuntimeError, match="berubah sejak ditulis / changed since written"):
            berkas.load()


def test_the_folder_is_removed_even_when_the_compute_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KINERJA_DASK_PARTISI_DIR", str(tmp_path / "bersama"))
    get_settings.cache_clear()
    try:
        with pytest.raises(ValueError), partition_folder() as folder:
            write_partition(folder, 0, "", _frames())
            assert folder.parent == tmp_path / "bersama"
            raise ValueError("compute failed")
    finally:
        get_settings.cache_clear()
    assert list((tmp_path / "bersama").iterdir()) == []


def test_frames_in_memory_pass_through() -> None:
    frames = _frames()
    assert frames_of(frames) is frames
    assert not isinstance(frames, PartitionFile)
