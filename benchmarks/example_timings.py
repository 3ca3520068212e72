"""Print how long each example took when it was last executed, from the build cache.

    python benchmarks/example_timings.py            # full size, as 'make site' runs them
    python benchmarks/example_timings.py --quick    # reduced size, as the tests run them

Run 'make site' (or 'glossary examples run') first; examples not in the cache are listed as such.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from glossary_tools.notebooks.cache import NotebookCache, cache_key, detect_device  # noqa: E402
from glossary_tools.notebooks.runner import example_script  # noqa: E402
from glossary_tools.project import load_project  # noqa: E402


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    args = parser.parse_args()
    project = load_project(REPO, quick=args.quick)
    device = detect_device(args.device)
    cache = NotebookCache(project.examples.cache_store)
    print(f"hardware: {cpu_name()}, {os.cpu_count()} cores; device: {device}; size: {'quick' if args.quick else 'full'}")
    print(f"{'example':24} {'seconds':>8}  executed")
    total = 0.0
    for name in project.example_names():
        notebook = cache.get(name, cache_key(example_script(project, name), device, args.quick))
        if notebook is None:
            print(f"{name:24} {'-':>8}  not in the cache")
            continue
        meta = notebook.metadata.get("glossary", {})
        total += float(meta.get("seconds", 0))
        print(f"{name:24} {meta.get('seconds', '?'):>8}  {meta.get('executed', '?')} (torch {meta.get('torch', '?')})")
    print(f"{'total':24} {total:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
