"""Reading bodies: source references, links, anchors, code masking."""

from __future__ import annotations

from glossary_tools import body


def test_source_references_single_and_adjacent() -> None:
    text = "a [1][2] b [3] c [x][4] d [5](http://x) e ![6] f \\[7] [8]: def g[9] `[10]`"
    assert [r.value for r in body.source_refs(text)] == ["1", "2", "3"]


def test_adjacent_references_become_links() -> None:
    out = body.link_source_refs("see [1][2] and [3].", 2)
    assert out.count('<sup class="glossary-ref">') == 2 and "[3]" in out  # [3] has no source: left as text


def test_anchors_follow_python_markdown_toc() -> None:
    text = "## How it works\n## Função de ativação\n## How it works\n### Custom {#mine}\n```\n# code\n```\ntext # x\n"
    assert body.anchors(text) == {"how-it-works", "funcao-de-ativacao", "how-it-works_1", "mine"}


def test_links_skip_images_and_code() -> None:
    text = "[a](a.md) ![img](i.png) `[b](b.md)`\n```\n[c](c.md)\n```\n[d](d.md#x)"
    assert [f.value for f in body.links(text)] == ["a.md", "d.md#x"]


def test_positions_are_computed_from_offsets() -> None:
    text = "line one\nsee [2] here"
    (ref,) = body.source_refs(text)
    assert ref.position(text) == (1, 5)
