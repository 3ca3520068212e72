"""Time per KB of 'glossary check' on hostile entry bodies, from 1 KB to the 2 MiB file limit.

Each shape is a pattern repeated until the body reaches the size (many '<a ', identical
headings plus an anchor link, unclosed '[', '](' with no ')', backticks, comments, ...). A
linear checker shows a flat time per KB as the size grows; a quadratic one doubles it with
every doubling. Each measurement loads and checks a one-entry project, as 'glossary check'
does. Prints the figures; it is not a timed test.

    python benchmarks/body_scan.py [--max-kb 2048] [--shape NAME ...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from glossary_tools.checks import run_all  # noqa: E402
from glossary_tools.frontmatter import MAX_FILE_BYTES  # noqa: E402
from glossary_tools.loader import load_glossary  # noqa: E402
from glossary_tools.project import load_project  # noqa: E402

# name: (repeated unit, tail appended once)
SHAPES: dict[str, tuple[str, str]] = {
    "prose": ("The network learns a weight for every input signal. ", ""),
    "open-tags": ("<a ", ""),
    "open-quoted-attr": ("<a href='", ""),
    "same-headings": ("## Same\n\n", "[x](#same-1)\n"),
    "open-brackets": ("[a", ""),
    "link-no-close": ("[x](", ""),
    "backticks": ("`", ""),
    "open-comments": ("<!--", ""),
    "emphasis": ("*a", ""),
    "ref-definitions": ("[x]: <", ""),
    "entities": ("&#", ""),
    "images": ("![", ""),
    "footnotes": ("[^", ""),
    "indented-code": ("    code\n", ""),
    "fences": ("```\n", ""),
    "refs": ("[1]", ""),
    "attr-lists": ("{", ""),
    "colons": ("a:b", ""),
    "refs-then-paren": ("[1]", "("),
    "close-open": ("](", ""),
    "nested-links": ("[[b]", "](x.md)"),
    "heading-braces": ("# {#a ", ""),
    "open-nested": ("[", ""),
    "rules": ("***\n", ""),
    "details": ("??? note\n", ""),
    "reference-stubs": ("[a]:\n", ""),
    "entity-mix": ("&amp;&#x41;&lt; ", ""),
    "table-rows": ("| 1 | 2 |\n", ""),
    "quotes": (">", ""),
    # formulas (glossary_tools.math): converted ones, unclosed openers, currency, bad ones
    "formulas": ("$x_1$ ", ""),
    "fractions": ("$\\frac{a}{b}$ ", ""),
    "open-parens-math": ("\\( a ", ""),
    "open-display-math": ("$$ a ", ""),
    "currency": ("$5 and $10 ", ""),
    "bad-formulas": ("$x^$ ", ""),
}

ENTRY = "---\ntitle: Hostile\ncategory: fundamentals\n---\n\n"


def project(root: Path) -> Path:
    (root / "content" / "glossary").mkdir(parents=True)
    (root / "examples").mkdir()
    (root / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text())
    (root / "content" / "categories.yml").write_text((REPO / "content" / "categories.yml").read_text())
    return root / "content" / "glossary" / "hostile.en.md"


def measure(entry: Path, unit: str, tail: str, size: int) -> float:
    size = min(size, MAX_FILE_BYTES - len(ENTRY) - 64)  # the largest body a file may hold
    body = unit * max(1, (size - len(tail)) // len(unit)) + tail if size else "Plain.\n"
    entry.write_text(ENTRY + body)
    start = time.perf_counter()
    proj = load_project(entry.parents[2])
    run_all(proj, load_glossary(proj))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-kb", type=int, default=2048)
    parser.add_argument("--shape", action="append", choices=sorted(SHAPES))
    args = parser.parse_args()
    sizes = [1]
    while sizes[-1] * 4 <= args.max_kb:
        sizes.append(sizes[-1] * 4)
    if sizes[-1] != args.max_kb:
        sizes.append(args.max_kb)
    with tempfile.TemporaryDirectory() as tmp:
        entry = project(Path(tmp))
        measure(entry, "<b>{a}</b> ", "", 1024)  # warm up: the first rendering imports Python-Markdown
        # the fixed cost (reading mkdocs.yml, categories, one small entry) is subtracted from each figure
        base = sorted(measure(entry, "", "", 0) for _ in range(5))[2]
        print(f"fixed cost per run: {base * 1000:.1f} ms (subtracted); figures are ms per KB of body")
        print(f"{'shape':<18}" + "".join(f"{f'{kb} KB':>11}" for kb in sizes) + "   max from 16 KB up")
        for name in args.shape or SHAPES:
            unit, tail = SHAPES[name]
            per_kb = [max(measure(entry, unit, tail, kb * 1024) - base, 0.0) * 1000 / kb for kb in sizes]
            print(f"{name:<18}" + "".join(f"{v:>11.3f}" for v in per_kb) + f"   {max(per_kb[2:]):.3f}",
                  flush=True)


if __name__ == "__main__":
    main()
