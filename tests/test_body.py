"""Reading bodies: source references, links, anchors, code masking."""

from __future__ import annotations

from glossary_tools import body


def test_source_references_single_and_adjacent() -> None:
    text = "a [1][2] b [3] c [x][4] d [5](http://x) e ![6] f \\[7] [8]: def g[9] `[10]`"
    assert [r.value for r in body.source_refs(text)] == ["1", "2", "3"]


def test_adjacent_references_become_links() -> None:
    out = body.link_source_refs("see [1][2] and [3].", 2)
    assert out.count('<sup class="glossary-ref">') == 2
    assert out.endswith("and [3].") and "[[3]]" not in out  # [3] has no source: left as text


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


# --- agreement with Python-Markdown, property-tested ---------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_HEADING_WORDS = st.sampled_from(["Same", "Same_1", "same 2", "Other", "Same_1_1", "Ação", "x", "{#same}"])


@settings(max_examples=150, deadline=None)
@given(st.lists(_HEADING_WORDS, min_size=1, max_size=12))
def test_anchors_equal_the_ids_toc_gives(words: list[str]) -> None:
    import re

    import markdown

    text = "".join(f"## {w}\n\n" if not w.startswith("{") else f"## Title {w}\n\n" for w in words)
    rendered = markdown.markdown(text, extensions=["toc", "attr_list"])
    assert body.anchors(text) == set(re.findall(r'<h2 id="([^"]+)"', rendered))


_CODE_PIECES = st.sampled_from(["`", "``", "```", "a", "b c", "[x](y.md)", "\n"])


@settings(max_examples=200, deadline=None)
@given(st.lists(_CODE_PIECES, max_size=30))
def test_masked_code_spans_are_what_markdown_renders_as_code(pieces: list[str]) -> None:
    """Every link Markdown renders outside <code> is found, and none found is inside a code span."""
    import markdown

    text = "".join(pieces).replace("```\n", "``` \n")  # no fences here: spans only
    masked = body.mask_code(text)
    assert len(masked) == len(text) and masked.count("\n") == text.count("\n")
    rendered = markdown.markdown(text)
    outside = rendered.count('<a href="y.md">')
    assert len(list(body.links(text, masked))) <= text.count("[x](y.md)")
    if "`" not in text:
        assert len(list(body.links(text, masked))) == outside


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="[]()<>{}`#*_!:&\n a1", max_size=400))
def test_every_body_scan_is_total(text: str) -> None:
    """Any text: the scans return (no exception), and the render-cost estimate is bounded by n²."""
    masked = body.mask_code(text)
    list(body.links(text, masked))
    list(body.source_refs(text, masked))
    list(body.autolinks(text, masked))
    body.anchors(text)
    cost, at = body.render_cost(masked)
    assert 0 <= cost <= len(text) ** 2 + len(text) and 0 <= at <= len(text)
