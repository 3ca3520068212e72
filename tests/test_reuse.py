"""A check that keeps what the last one read and found ('glossary serve') reads only the files that
changed and reports exactly what a check from scratch reports."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from glossary_tools import files, loader
from glossary_tools.checks import check_glossary
from glossary_tools.loader import Reuse
from glossary_tools.project import load_project


def _lines(found: list) -> list[str]:  # type: ignore[type-arg]
    return sorted(d.one_line() for d in found)


def test_a_kept_check_reads_only_changed_files_and_finds_the_same(fixture_project: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    content = fixture_project / "content"
    (content / "terminology.yml").write_text(
        "loss:\n  en: loss function\n  pt:\n    preferred: função de perda\n    discouraged: [função perda]\n",
        encoding="utf-8")
    project = load_project(fixture_project)
    reuse = Reuse()
    _, first = check_glossary(project, reuse=reuse)
    assert _lines(first) == _lines(check_glossary(project)[1])

    reads: list[str] = []
    real = files.read_capped

    def counting(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        reads.append(Path(path).name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(loader, "read_capped", counting)
    _, again = check_glossary(project, reuse=reuse)
    assert [name for name in reads if name.endswith(".md")] == [] and _lines(again) == _lines(first)

    beta = content / "glossary" / "beta.pt.md"
    good = beta.read_text(encoding="utf-8")
    beta.write_text(good.replace("## ", "<img src=x onerror=alert(1)> [gone](gone.md) função perda\n\n## ", 1),
                    encoding="utf-8")
    index = content / "index.en.md"
    index.write_text(index.read_text(encoding="utf-8") + "\n<script>alert(1)</script>\n", encoding="utf-8")
    reads.clear()
    _, edited = check_glossary(project, reuse=reuse)
    assert [name for name in reads if name.endswith(".md")] == ["beta.pt.md"]  # (pages are read by the html check)
    assert _lines(edited) == _lines(check_glossary(project)[1])
    new = set(_lines(edited)) - set(_lines(first))
    assert any("beta.pt.md" in line and "unsafe-html" in line for line in new), new
    assert any("beta.pt.md" in line and "gone" in line for line in new), new
    assert any("beta.pt.md" in line and "terminology" in line for line in new), new
    assert any("index.en.md" in line and "unsafe-html" in line for line in new), new

    beta.write_text(good, encoding="utf-8")  # undone: what the first check found, nothing more
    assert _lines(check_glossary(project, reuse=reuse)[1]) == _lines(check_glossary(project)[1])


@pytest.mark.parametrize("change", ["remove", "link"])
def test_a_kept_check_sees_a_file_removed_or_replaced_by_a_link(fixture_project: Path, change: str) -> None:
    glossary = fixture_project / "content" / "glossary"
    project = load_project(fixture_project)
    reuse = Reuse()
    check_glossary(project, reuse=reuse)
    gamma = glossary / "gamma.en.md"
    gamma.unlink()
    if change == "link":
        gamma.symlink_to("/etc/hostname")
    loaded, found = check_glossary(project, reuse=reuse)
    assert _lines(found) == _lines(check_glossary(project)[1])
    assert ("gamma" in loaded.glossary.terms) is False
    if change == "link":
        assert any("gamma.en.md" in line and "unsafe-file" in line for line in _lines(found))


@pytest.mark.parametrize("kind", ["entry", "page"])
def test_a_kept_check_sees_a_link_led_out_of_the_project_through_a_moved_folder(fixture_project: Path, tmp_path: Path,
                                                                               kind: str) -> None:
    # the link and its target keep their stamps when a folder on the way is moved out and linked back
    content = fixture_project / "content"
    shared = fixture_project / "shared"
    shared.mkdir()
    name = "beta.en.md" if kind == "entry" else "index.en.md"
    folder = content / "glossary" if kind == "entry" else content
    (folder / name).replace(shared / name)
    (folder / name).symlink_to(os.path.relpath(shared / name, folder))
    project = load_project(fixture_project)
    reuse = Reuse()
    _, first = check_glossary(project, reuse=reuse)
    assert not [line for line in _lines(first) if "unsafe-file" in line]
    outside = tmp_path / "outside"
    shared.replace(outside)
    shared.symlink_to(outside)
    _, found = check_glossary(project, reuse=reuse)
    assert _lines(found) == _lines(check_glossary(project)[1])
    assert any(name in line and "unsafe-file" in line and "outside the project" in line for line in _lines(found))
