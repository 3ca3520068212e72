"""Related terms and backlinks for every page, at 1,000 and at 10,000 terms: linear means the
second figure is about ten times the first (each term's lists come from one index built once).

    python benchmarks/backlinks.py
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from glossary_tools.model import Glossary, Term, Translation  # noqa: E402


def glossary(n: int) -> Glossary:
    rng = random.Random(0)
    slugs = [f"term-{i:05d}" for i in range(n)]
    terms = {}
    for slug in slugs:
        related = tuple(rng.sample(slugs, 5))
        tr = Translation(slug, "en", slug, "Body.", f"content/glossary/{slug}.en.md", 6)
        terms[slug] = Term(slug, "models", (), related, (), (), {"en": tr})
    return Glossary(("en",), {}, terms)


def every_page(g: Glossary) -> float:
    started = time.perf_counter()
    for slug in g.terms:  # what the site asks while it writes each entry page
        g.related(slug)
        g.backlinks(slug)
    return time.perf_counter() - started


def main() -> int:
    figures = {}
    for n in (1_000, 10_000):
        figures[n] = min(every_page(glossary(n)) for _ in range(3))
        print(f"{n:>6,} terms: related and backlinks of every page in {figures[n] * 1000:.1f} ms")
    print(f"ratio 10,000 / 1,000: {figures[10_000] / figures[1_000]:.1f} (linear: about 10)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
