"""How long 'glossary check' takes on a large generated glossary, against a parsing floor.

The floor is the least any checker must do: read every file and parse its front matter
with PyYAML's C SafeLoader. The goal is a check within 1.5x of that floor at 10,000 terms
(x 3 languages = 30,000 files). Prints the figures; it is not a timed test.

    python benchmarks/check_scale.py [--terms 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from glossary_tools.checks import check_glossary  # noqa: E402
from glossary_tools.project import load_project  # noqa: E402

LANGS = ("en", "pt", "es")
CATEGORIES = ("fundamentals", "models", "techniques", "training")
WORDS = ("network", "layer", "gradient", "weight", "signal", "input", "output", "error", "batch", "model")


def generate(root: Path, terms: int) -> None:
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    content = root / "content" / "glossary"
    content.mkdir(parents=True)
    shutil.copy(REPO / "content" / "categories.yml", root / "content" / "categories.yml")
    (root / "examples").mkdir()
    rng = random.Random(0)
    slugs = [f"term-{i:05d}" for i in range(terms)]
    for i, slug in enumerate(slugs):
        related = rng.sample(slugs, 3)
        related = [r for r in related if r != slug] or [slugs[(i + 1) % terms]]
        body = " ".join(rng.choice(WORDS) for _ in range(120))
        link = f"[{related[0]}]({related[0]}.md#how-it-works)"
        for lang in LANGS:
            if lang == "en":
                front = (f"title: Term {i} ({lang})\ncategory: {rng.choice(CATEGORIES)}\n"
                         f"aliases: [alias-{i:05d}]\nrelated: [{', '.join(related)}]\n"
                         f"sources:\n  - text: Source {i}\n    url: https://example.org/{i}\n")
            else:
                front = f"title: Term {i} ({lang})\n"
            text = f"---\n{front}---\n\nA **term {i}** is {body} [1]. See {link}.\n\n## How it works\n\n{body}\n"
            (content / f"{slug}.{lang}.md").write_text(text, encoding="utf-8")


def floor(root: Path) -> float:
    started = time.perf_counter()
    for path in sorted((root / "content" / "glossary").glob("*.md")):
        text = path.read_bytes().decode("utf-8")
        end = text.index("\n---", 3)
        yaml.load(text[4:end], Loader=yaml.CSafeLoader)
    return time.perf_counter() - started


def check(root: Path) -> tuple[float, int]:
    started = time.perf_counter()
    _, diagnostics = check_glossary(load_project(root), exiting=True)  # as 'glossary check' does
    return time.perf_counter() - started, len(diagnostics)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root, args.terms)
        floor(root)  # warm the page cache for both
        floors, checks = [], []
        for _ in range(args.repeat):
            floors.append(floor(root))
            seconds, diagnostics = check(root)
            checks.append(seconds)
        files = args.terms * len(LANGS)
        f, c = statistics.median(floors), statistics.median(checks)
        print(f"terms: {args.terms:,} x {len(LANGS)} languages = {files:,} files")
        print(f"floor (read + C SafeLoader): {f:.2f} s")
        print(f"glossary check:              {c:.2f} s ({diagnostics} diagnostics)")
        print(f"ratio: {c / f:.2f}x (goal <= 1.5x): {'met' if c / f <= 1.5 else 'not met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
