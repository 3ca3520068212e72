"""How long the full site build takes with N synthetic terms x 3 languages, against stock MkDocs.

Both builds get the same files: this repository's content plus N generated terms in en/pt/es.
Ours uses this repository's mkdocs.yml (glossary plugin, Material, static-i18n, mkdocs-jupyter;
examples not executed, GLOSSARY_EXECUTE=0). The stock build uses Material + static-i18n + search
with the same navigation and no glossary or jupyter plugin: MkDocs renders the same Markdown,
without our pages, checks and sanitizer. Prints both times, the ratio (goal <= 1.5x at 1,000
terms), the size of an entry page and the peak memory of each build. Not a timed test.

    python benchmarks/build_scale.py [--terms 1000]
    python benchmarks/build_scale.py --linear 1000,10000   # ours only: time ratio (goal <= 12x), RSS, page size
                                                          # (1,000 built before and after 10,000)
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from check_scale import generate  # noqa: E402

STOCK = """site_name: Stock
docs_dir: content
site_dir: site
use_directory_urls: true
exclude_docs: |
  categories.yml
  terminology.yml
not_in_nav: |
  /glossary/**
theme:
  name: material
  font: false
plugins:
  - search
  - i18n:
      docs_structure: suffix
      fallback_to_default: true
      reconfigure_material: true
      reconfigure_search: true
      languages:
        - {locale: en, default: true, name: English, build: true}
        - {locale: pt, name: Português, build: true}
        - {locale: es, name: Español, build: true}
nav:
  - Home: index.md
"""


def build(root: Path, config: str) -> tuple[float, float, float]:
    """Seconds, peak RSS (MiB) and CPU seconds (user and system) of one 'mkdocs build' in a child
    process. The peak is its own plus its largest child's (the search index), an upper bound on what
    both held at once; the CPU time is theirs together."""
    shutil.rmtree(root / "site", ignore_errors=True)
    code = ("import resource, runpy, sys\n"
            f"sys.argv = ['mkdocs', 'build', '-q', '-f', {config!r}]\n"
            "try:\n    runpy.run_module('mkdocs', run_name='__main__')\nexcept SystemExit as exc:\n"
            "    if exc.code: raise\n"
            "print('maxrss', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,\n"
            "      resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True,
                            env={**os.environ, "GLOSSARY_EXECUTE": "0", "NO_MKDOCS_2_WARNING": "1"})
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if result.returncode != 0:
        sys.exit(f"{config} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    line = next(line for line in reversed(result.stderr.splitlines()) if line.startswith("maxrss"))
    own, child = (int(n) for n in line.split()[1:3])
    return seconds, (own + child) / 1024, cpu  # the build and its largest child (the search index) together


def project(root: Path, terms: int) -> None:
    generate(root, terms)  # mkdocs.yml, categories.yml and the generated entries
    for item in (REPO / "content").iterdir():  # this repository's own content beside them
        target = root / "content" / item.name
        if item.is_dir():
            shutil.copytree(item, target, dirs_exist_ok=True)
        elif not target.exists():
            shutil.copy(item, target)
    shutil.copytree(REPO / "examples", root / "examples", dirs_exist_ok=True)  # entries name them
    (root / "stock.yml").write_text(STOCK)


def largest_entry_page_kb(site: Path) -> float:
    """The largest generated entry page (no examples) in any language, in KB."""
    pages = [p for lang in ("", "pt", "es") for p in (site / lang / "glossary").glob("term-*/index.html")]
    return max((p.stat().st_size for p in pages), default=float("nan")) / 1024


def linear(sizes: list[int]) -> int:
    """Ours at each size: seconds, CPU seconds, peak RSS, largest entry page; the time ratio between
    the extremes. The smallest size is built again after the largest and its two times averaged: a
    shared machine that speeds up or slows down over the minutes the largest build takes (seen here:
    the same 1,000-term build in 27 s one hour and 33 s the next) then moves both sides alike. A
    first build of the smallest size is not counted."""
    seconds: dict[int, list[float]] = {}
    cpus: dict[int, list[float]] = {}
    met = True
    small, large = min(sizes), max(sizes)
    with tempfile.TemporaryDirectory() as tmp:  # not counted: the first build after an install compiles
        project(Path(tmp), small)                # bytecode and reads the libraries from disk
        build(Path(tmp), "mkdocs.yml")
    for terms in [*sizes, small] if len(sizes) > 1 else sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            project(root, terms)
            wall, rss, cpu = build(root, "mkdocs.yml")
            seconds.setdefault(terms, []).append(wall)
            cpus.setdefault(terms, []).append(cpu)
            page = largest_entry_page_kb(root / "site")
            met = met and rss <= 2048 and page <= 30
            print(f"{terms:>6,} x 3: {wall:6.1f} s ({cpu:6.1f} s CPU)  peak RSS {rss:,.0f} MiB with the index child "
                  f"(goal <= 2,048)  largest entry page {page:.1f} KB (goal <= 30)", flush=True)
    goal = 1.2 * large / small
    ratio = statistics.mean(seconds[large]) / statistics.mean(seconds[small])
    cpu_ratio = statistics.mean(cpus[large]) / statistics.mean(cpus[small])
    met = met and ratio <= goal
    print(f"time ratio {large:,} / {small:,} terms: {ratio:.2f}x (the smaller's builds averaged; CPU time "
          f"{cpu_ratio:.2f}x; linear: {large / small:.0f}x; goal <= {goal:.0f}x): "
          f"{'met' if met else 'not met'} (time, memory and page size)")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3, help="builds of each, in turn (the median ratio is the figure)")
    parser.add_argument("--linear", metavar="N,M", help="build ours at these sizes and print the time ratio")
    args = parser.parse_args()
    if args.linear:
        return linear(sorted(int(n) for n in args.linear.split(",")))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        project(root, args.terms)
        runs = []
        for _ in range(args.repeat):  # in turn, so that a machine that slows down slows both
            ours, ours_rss, _ = build(root, "mkdocs.yml")
            page_kb = largest_entry_page_kb(root / "site")
            stock, stock_rss, _ = build(root, "stock.yml")
            runs.append((ours / stock, ours, stock, ours_rss, stock_rss, page_kb))
        ratio, ours, stock, ours_rss, stock_rss, page_kb = statistics.median_low(runs)  # one run's figures
        files = args.terms * 3
        print(f"terms: {args.terms:,} x 3 languages = {files:,} generated files (plus this repository's content)")
        print(f"ours:  {ours:6.1f} s  (peak RSS {ours_rss:,.0f} MiB; largest entry page {page_kb:.1f} KB)")
        print(f"stock: {stock:6.1f} s  (peak RSS {stock_rss:,.0f} MiB)")
        print(f"ratio: {ratio:.2f}x, median of {len(runs)} paired builds "
              f"({', '.join(f'{run[0]:.2f}' for run in sorted(runs))}); goal <= 1.5x: "
              f"{'met' if ratio <= 1.5 else 'not met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
