"""files.read_capped: the whole file, or one byte past the cap, whatever stat said before the read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from glossary_tools import files
from glossary_tools.files import read_capped


@pytest.mark.parametrize("size", [0, 1, 99, 100, 101, 5000])
def test_reads_the_file_or_one_byte_past_the_cap(tmp_path: Path, size: int) -> None:
    path = tmp_path / "a.md"
    data = os.urandom(size)
    path.write_bytes(data)
    assert read_capped(path, tmp_path, 100) == data[:101]


@pytest.mark.parametrize(("seen", "size"), [(10, 50), (10, 500), (50, 10), (0, 30)])
def test_a_file_that_changed_since_stat_is_read_to_its_end_or_past_the_cap(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seen: int, size: int) -> None:
    path = tmp_path / "a.md"
    data = os.urandom(size)
    path.write_bytes(data)
    real = files.check_file
    monkeypatch.setattr(files, "check_file", lambda p, r: os.stat_result((*real(p, r)[:6], seen, 0, 0, 0)))
    assert read_capped(path, tmp_path, 100) == data[:101]
