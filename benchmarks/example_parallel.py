"""Wall time of executing every example one after another (jobs 1) and side by side (jobs N).

    python benchmarks/example_parallel.py             # reduced size, as the tests run them
    python benchmarks/example_parallel.py --full      # full size, as 'make site' runs them
    python benchmarks/example_parallel.py --jobs 4    # the pool's size (default: one per core)

Each run executes everything (force) into a temporary cache, so the project's cache is untouched.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from example_timings import cpu_name  # noqa: E402

from glossary_tools.notebooks.cache import detect_device, torch_version  # noqa: E402
from glossary_tools.notebooks.runner import cores, run_examples  # noqa: E402
from glossary_tools.project import load_project  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="full size (default: reduced, GLOSSARY_EXAMPLES_QUICK=1)")
    parser.add_argument("--jobs", type=int, default=0, help="examples at once in the parallel run (0: one per core)")
    parser.add_argument("names", nargs="*", help="examples to run (default: all)")
    args = parser.parse_args()
    quick = not args.full
    jobs = args.jobs or cores()
    project = load_project(REPO, quick=quick)
    print(f"hardware: {cpu_name()}, {cores()} cores; device: {detect_device()}; torch {torch_version()}; "
          f"size: {'quick' if quick else 'full'}; examples: {len(args.names or project.example_names())}")
    walls = {}
    for label, n in (("serial", 1), ("parallel", jobs)):
        with tempfile.TemporaryDirectory(prefix="glossary-bench-") as cache:
            run = dataclasses.replace(project, examples=dataclasses.replace(project.examples, cache_dir=Path(cache),
                                                                             store=""))
            started = time.perf_counter()
            summary = run_examples(run, args.names or None, force=True, quick=quick, jobs=n)
            walls[label] = time.perf_counter() - started
        print(f"{label:8} jobs={n:<3} {walls[label]:7.1f} s   {summary.line()}")
        for failure in summary.failures:
            print(f"  {failure}", file=sys.stderr)
    speedup = walls["serial"] / walls["parallel"]
    print(f"speedup: {speedup:.2f}x (goal: side by side faster than one after another on a machine with more "
          f"than one core): {'met' if speedup > 1 or cores() < 2 else 'not met'}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    sys.exit(main())
