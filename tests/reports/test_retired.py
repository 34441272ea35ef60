"""Replaced files kept in a retired folder and deleted in the background (reports.retired)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reports import retired
from reports.common import write_text


def _old_and_new(tmp_path: Path) -> tuple[Path, Path, int]:
    target = tmp_path / "out" / "2026" / "ringkasan_U1.html"
    target.parent.mkdir(parents=True)
    target.write_text("lama", encoding="utf-8")
    source = tmp_path / "baru.html"
    source.write_text("baru", encoding="utf-8")
    return source, target, target.stat().st_ino


def test_inside_retiring_the_replaced_file_is_kept_until_the_folder_is_deleted(tmp_path: Path) -> None:
    source, target, old = _old_and_new(tmp_path)
    folder = retired.retired_folder(target.parent)
    assert folder.parent == tmp_path / "out" and folder.name.startswith(retired.PREFIX)

    with retired.retiring(folder):
        retired.replace(source, target)
        kept = list(folder.iterdir())
        assert [(p.stat().st_ino, p.read_text(encoding="utf-8")) for p in kept] == [(old, "lama")]

    assert target.read_text(encoding="utf-8") == "baru"
    retired.wait_for_removals()
    assert not folder.exists()


def test_outside_retiring_a_replace_keeps_nothing(tmp_path: Path) -> None:
    source, target, old = _old_and_new(tmp_path)
    retired.replace(source, target)
    assert target.read_text(encoding="utf-8") == "baru" and target.stat().st_ino != old
    assert not list((tmp_path / "out").glob(f"{retired.PREFIX}*"))


def test_a_new_file_retires_nothing_and_write_text_goes_through_replace(tmp_path: Path) -> None:
    _, target, old = _old_and_new(tmp_path)
    with retired.retiring(tmp_path / "out" / ".lama-uji") as folder:
        write_text(target.with_name("ringkasan_U2.html"), "baru")
        assert list(folder.iterdir()) == []
        write_text(target, "baru juga")
        assert [p.stat().st_ino for p in folder.iterdir()] == [old]
    assert target.read_text(encoding="utf-8") == "baru juga"


def test_without_hard_links_files_are_replaced_as_they_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, target, _ = _old_and_new(tmp_path)
    second = tmp_path / "dua.html"
    second.write_text("dua", encoding="utf-8")
    tried = []

    def no_links(src: object, dst: object) -> None:
        tried.append(dst)
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    with retired.retiring(tmp_path / ".lama-uji") as folder:
        retired.replace(source, target)
        retired.replace(second, target)
        assert list(folder.iterdir()) == []
    assert target.read_text(encoding="utf-8") == "dua"
    assert len(tried) == 1, "tried once, then no more"


def test_a_folder_left_behind_is_queued_at_the_next_start(tmp_path: Path) -> None:
    left = tmp_path / f"{retired.PREFIX}4242-7"
    left.mkdir()
    (left / "4242-1").write_text("lama", encoding="utf-8")
    other = tmp_path / "2026"
    other.mkdir()

    assert retired.remove_left_behind(tmp_path) == [left]
    retired.wait_for_removals()
    assert not left.exists() and other.is_dir()
    assert retired.remove_left_behind(tmp_path / "tidak-ada") == []
