"""Pages rendered by one reused Markdown instance per language are the pages MkDocs renders with a
new instance per page: same files, same warnings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from glossary_tools.mkdocs_plugin import render

from .conftest import mkdocs_build

# extensions that keep state between documents (footnote numbers, abbreviations, tab and code block
# counters): a reset that missed any of it would show on the second page that uses them
EXTRA_EXTENSIONS = """  - footnotes
  - abbr
  - def_list
  - pymdownx.inlinehilite
"""

PAGE = """# {title}

Text with a footnote[^n] and ABC abbreviations.

{abbr}

```python
x = {n}
```

Term
:   Its definition `#!python y = {n}`.

<div id="raw-{n}" markdown>A *raw* block.</div>

[Missing](nowhere-{n}.md), [self](#sec-{n}) and [no anchor](#none-{n}).

## Section {n} {{#sec-{n}}}

[^n]: The note of {title}.
"""


def _site_files(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _warnings(output: str) -> list[str]:
    return sorted(line for line in output.splitlines() if re.match(r"(WARNING|INFO)\s+-\s+Doc file", line))


@pytest.mark.slow
def test_shared_instance_renders_the_pages_mkdocs_renders(fixture_project: Path, tmp_path: Path) -> None:
    config = fixture_project / "mkdocs.yml"
    text = config.read_text()
    assert "  - tables\n" in text
    text = text.replace("  - tables\n", "  - tables\n" + EXTRA_EXTENSIONS).replace("strict: true", "strict: false")
    content = fixture_project / "content"
    for n, lang in enumerate(("en", "pt", "es")):  # pages beside the entries, rendered in each language build
        for i in range(2):
            (content / f"notes-{i}.{lang}.md").write_text(
                PAGE.format(title=f"Notes {i} {lang}", n=n * 10 + i,
                            abbr="" if i else "*[ABC]: Always Be Checking"), encoding="utf-8")
    sites, logs = {}, {}
    for shared in (True, False):
        config.write_text(text.replace("examples_dir: examples",
                                       f"examples_dir: examples\n      shared_markdown: {str(shared).lower()}"))
        site = tmp_path / f"site-{shared}"
        result = mkdocs_build(fixture_project, site, GLOSSARY_EXECUTE="0")
        assert result.returncode == 0, result.stdout + result.stderr
        sites[shared], logs[shared] = _site_files(site), _warnings(result.stdout + result.stderr)
        # (verbose: MkDocs then skips its anchor check, which the builds above compare)
        verbose = mkdocs_build(fixture_project, tmp_path / "verbose", "--verbose", GLOSSARY_EXECUTE="0")
        count = re.search(r"glossary: (\d+) pages rendered by a shared Markdown instance", verbose.stderr)
        assert count is not None and (int(count.group(1)) > 20) is shared, verbose.stderr[-3000:]
    assert sites[True].keys() == sites[False].keys()
    assert [name for name in sites[True] if sites[True][name] != sites[False][name]] == []
    assert logs[True] == logs[False]
    assert any("nowhere-1.md" in line for line in logs[True])  # MkDocs' link check ran on the shared pages
    assert any("#none-1" in line for line in logs[True])  # and its anchor check
    second = sites[True]["notes-1/index.html"].decode()
    assert second.count('class="footnote-ref"') == 1 and 'id="fnref:n"' in second  # numbering started afresh
    assert "<abbr" in sites[True]["notes-0/index.html"].decode()
    assert "<abbr" not in second  # no abbreviation left from the first page


def test_only_known_extensions_share_an_instance() -> None:
    assert render.shareable(["toc", "admonition", "pymdownx.superfences", "glossary_tools.math"])
    assert render.shareable(["markdown.extensions.footnotes"])
    assert not render.shareable(["toc", "some_project.extension_with_state"])
    assert not render.shareable(["pymdownx.snippets"])  # reads other files: MkDocs' own rendering


def test_footnotes_numbered_per_document_are_left_to_mkdocs() -> None:
    from markdown.extensions.extra import ExtraExtension
    from markdown.extensions.footnotes import FootnoteExtension

    assert render.shareable(["footnotes"], {"footnotes": {"UNIQUE_IDS": False}})
    assert not render.shareable(["footnotes"], {"footnotes": {"UNIQUE_IDS": True}})
    assert not render.shareable(["markdown.extensions.extra"],
                                {"markdown.extensions.extra": {"footnotes": {"UNIQUE_IDS": True}}})
    assert not render.shareable([FootnoteExtension(UNIQUE_IDS=True)])
    assert not render.shareable([ExtraExtension(footnotes={"UNIQUE_IDS": True})])
    assert render.shareable([ExtraExtension(), "footnotes"], {})


def test_an_extension_instance_is_judged_by_its_module() -> None:
    from markdown.extensions.toc import TocExtension

    assert render.shareable([TocExtension()])

    class Custom(TocExtension):
        pass

    assert not render.shareable([Custom()])  # defined here, not in markdown.extensions.toc


def test_a_page_whose_rendering_another_plugin_replaced_keeps_it(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from mkdocs.structure.pages import Page

    class Stand:  # a Page as far as own_rendering looks
        render = Page.render

    assert render.own_rendering(Stand())
    page = Stand()
    page.render = lambda config, files: None  # type: ignore[method-assign]  # as mkdocs-jupyter does
    assert not render.own_rendering(page)

    def patched(self, config, files):  # type: ignore[no-untyped-def]  # a plugin that patches every page
        return None

    monkeypatch.setattr(Stand, "render", patched)
    assert not render.own_rendering(Stand())
