"""Check 2,000 loopback URLs with the external link checker; print the time and the concurrency used.

    python benchmarks/external_links.py [--urls 2000] [--hosts 8] [--max-concurrency 16] [--per-host 2] [--delay 0.01]

The URLs are spread over several HTTP servers on 127.0.0.1 (one per port, each a host for the
per-host limit), each answer delayed a little so requests overlap as they would on the internet.
Nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from glossary_tools.external import OK, LinkOptions, Stats, check_urls  # noqa: E402
from tests.linkserver import link_server  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=2000)
    parser.add_argument("--hosts", type=int, default=8)
    parser.add_argument("--max-concurrency", type=int, default=16)
    parser.add_argument("--per-host", type=int, default=2)
    parser.add_argument("--delay", type=float, default=0.01, help="seconds each answer waits")
    args = parser.parse_args()
    with ExitStack() as stack:
        servers = [stack.enter_context(link_server(delay_s=args.delay)) for _ in range(args.hosts)]
        urls = [f"{servers[i % len(servers)].base}/ok/{i}" for i in range(args.urls)]
        options = LinkOptions(max_concurrency=args.max_concurrency, per_host=args.per_host, timeout=10)
        stats = Stats()
        started = time.perf_counter()
        results = asyncio.run(check_urls(urls, options, stats))
        elapsed = time.perf_counter() - started
        served_max = max(s.max_in_flight for s in servers)
    ok = sum(r.level == OK for r in results.values())
    print(f"{len(urls)} URLs on {args.hosts} loopback hosts, answers delayed {args.delay * 1000:.0f} ms: "
          f"{ok} ok in {elapsed:.2f} s ({len(urls) / elapsed:.0f} URLs/s)")
    print(f"concurrency: at most {stats.max_in_flight} requests at once (limit {args.max_concurrency}), "
          f"at most {max(stats.max_per_host.values())} per host (limit {args.per_host}; "
          f"the busiest server saw {served_max}); {stats.requests} requests")


if __name__ == "__main__":
    main()
