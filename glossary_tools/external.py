"""External link checking (``glossary check --external``): every http(s) URL the site cites.

URLs come from the sources of every language's file (reported at the URL in the front matter),
from links and ``<autolinks>`` in bodies, and from links in the examples' Markdown cells. Each
distinct URL is requested once, with bounded concurrency overall and per host: HEAD, then GET
when HEAD is refused (405/501 or an error); redirects are followed one hop at a time (so loops
are recognised) and reported as notes; 429 and 5xx are retried with backoff, honouring
Retry-After up to a cap. Results are kept in ``<cache_dir>/links.json`` for a while (24 h for
success, 1 h for failure) so repeated CI runs request little.

Outcomes: 2xx ok; followed redirects a note (info); 401/403, persistent 429 and timeouts
warnings (sites that refuse robots or are slow); 404/410, other 4xx, persistent 5xx, DNS
failures, refused connections, redirect loops and too many redirects errors.

httpx is imported only here, so the default (offline) check never loads it.
"""

from __future__ import annotations

import asyncio
import email.utils
import fnmatch
import json
import re
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from . import body as md
from .diagnostics import Diagnostic, Rule, Severity
from .loader import LoadResult
from .project import Project

CACHE_FILE = "links.json"
CACHE_VERSION = 1
USER_AGENT = "glossary-link-check/1.0 (+https://www.mkdocs.org/; a documentation link checker)"
REDIRECTS = frozenset((301, 302, 303, 307, 308))
OK, REDIRECT, WARNING, ERROR = "ok", "redirect", "warning", "error"
_SEVERITY = {REDIRECT: Severity.INFO, WARNING: Severity.WARNING, ERROR: Severity.ERROR}

Sleep = Callable[[float], Awaitable[Any]]


@dataclass(frozen=True)
class LinkOptions:
    max_concurrency: int = 16
    per_host: int = 2
    timeout: float = 10.0
    refresh: bool = False
    exclude: tuple[str, ...] = ()  # globs, or regular expressions written 're:...'
    retries: int = 2  # extra attempts after a 429 or 5xx
    backoff: float = 1.0  # seconds before the first retry when the server gives no Retry-After
    retry_after_cap: float = 30.0
    max_redirects: int = 10
    ttl_ok: float = 24 * 3600
    ttl_failed: float = 3600
    cache_file: Path | None = None  # default: <cache_dir>/links.json


@dataclass(frozen=True, slots=True)
class Occurrence:
    path: str
    line: int
    column: int
    url: str


@dataclass(frozen=True, slots=True)
class Outcome:
    level: str  # OK, REDIRECT, WARNING or ERROR
    message: str
    status: int | None = None
    final_url: str | None = None
    checked_at: float = 0.0


@dataclass
class Stats:
    requested: int = 0
    cached: int = 0
    excluded: int = 0
    requests: int = 0  # HTTP requests sent, retries and redirect hops included
    in_flight: int = 0
    max_in_flight: int = 0
    max_per_host: dict[str, int] = field(default_factory=dict)


# -- where the URLs are ----------------------------------------------------------------------
def _is_http(url: str) -> bool:
    return url[:8].lower().startswith(("http://", "https://"))


def collect(project: Project, loaded: LoadResult) -> list[Occurrence]:
    found: list[Occurrence] = []
    for entry in loaded.entries.values():
        data = entry.parsed.data if entry.parsed else None
        raw_sources = data.get("sources") if isinstance(data, dict) else None
        for i, item in enumerate(raw_sources if isinstance(raw_sources, list) else ()):
            url = item.get("url") if isinstance(item, dict) else None
            if isinstance(url, str) and _is_http(url.strip()):
                line, col = entry.position("sources", i, "url")
                found.append(Occurrence(entry.path, line, col, url.strip()))
    for term in loaded.glossary.terms.values():
        for tr in term.translations.values():
            masked = loaded.masked(tr)
            for link in (*md.links(tr.body, masked), *md.autolinks(tr.body, masked)):
                if _is_http(link.value):
                    line, col = link.position(masked)
                    found.append(Occurrence(tr.path, tr.body_line + line, col, link.value))
    for name in project.example_names():
        found.extend(_example_links(project, project.examples.directory / f"{name}.py"))
    return found


def _example_links(project: Project, path: Path) -> Iterable[Occurrence]:
    """Links in a percent script's Markdown cells (comment lines after '# %% [markdown]')."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return
    shown, markdown = project.rel(path), False
    for number, line in enumerate(lines, 1):
        if line.startswith("# %%"):
            markdown = "[markdown]" in line
            continue
        if not markdown or not line.startswith("#"):
            continue
        text = line[1:]
        for link in (*md.links(text), *md.autolinks(text)):
            if _is_http(link.value):
                yield Occurrence(shown, number, 2 + link.offset, link.value)


# -- the cache -------------------------------------------------------------------------------
def _cache_path(project: Project, options: LinkOptions) -> Path:
    return options.cache_file or project.examples.cache_dir / CACHE_FILE


def load_cache(path: Path) -> dict[str, Outcome]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != CACHE_VERSION:
            return {}
        return {url: Outcome(**value) for url, value in data["urls"].items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}  # a missing or damaged cache only costs requests


def save_cache(path: Path, outcomes: dict[str, Outcome]) -> None:
    from .writer import atomic_write

    text = json.dumps({"version": CACHE_VERSION, "urls": {u: asdict(o) for u, o in sorted(outcomes.items())}},
                      ensure_ascii=False, indent=1)
    atomic_write(path, text + "\n", force=True)


def _fresh(outcome: Outcome, options: LinkOptions, now: float) -> bool:
    ttl = options.ttl_ok if outcome.level in (OK, REDIRECT) else options.ttl_failed
    return 0 <= now - outcome.checked_at < ttl


def excluded(url: str, patterns: Iterable[str]) -> bool:
    for pattern in patterns:
        if pattern.startswith("re:"):
            if re.search(pattern[3:], url):
                return True
        elif fnmatch.fnmatchcase(url, pattern):
            return True
    return False


# -- requesting ------------------------------------------------------------------------------
def _retry_after(value: str | None, cap: float) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), cap)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return min(max(when.timestamp() - time.time(), 0.0), cap)


class _Checker:
    def __init__(self, client: Any, options: LinkOptions, stats: Stats, sleep: Sleep) -> None:
        self.client = client
        self.options = options
        self.stats = stats
        self.sleep = sleep
        self.overall = asyncio.Semaphore(options.max_concurrency)
        self.hosts: dict[str, asyncio.Semaphore] = {}
        self.host_in_flight: dict[str, int] = {}

    async def _send(self, method: str, url: str) -> Any:
        """One request, within both limits; returns the response (body unread) or the exception."""
        import httpx

        host = urlsplit(url).netloc.lower()
        per_host = self.hosts.setdefault(host, asyncio.Semaphore(self.options.per_host))
        async with per_host, self.overall:
            stats = self.stats
            stats.requests += 1
            stats.in_flight += 1
            stats.max_in_flight = max(stats.max_in_flight, stats.in_flight)
            self.host_in_flight[host] = self.host_in_flight.get(host, 0) + 1
            stats.max_per_host[host] = max(stats.max_per_host.get(host, 0), self.host_in_flight[host])
            try:
                request = self.client.build_request(method, url)
                response = await self.client.send(request, stream=True)
                await response.aclose()  # the status is enough; never download bodies
                return response
            except httpx.HTTPError as exc:
                return exc
            finally:
                stats.in_flight -= 1
                self.host_in_flight[host] -= 1

    async def _hop(self, url: str) -> Any:
        import httpx

        response = await self._send("HEAD", url)
        if isinstance(response, httpx.TimeoutException):
            return response  # a GET would wait as long again
        if isinstance(response, Exception) or response.status_code in (405, 501):
            response = await self._send("GET", url)  # some servers refuse HEAD
        return response

    async def _follow(self, url: str) -> tuple[Any, list[str]]:
        """Follow redirects hop by hop; returns the last response (or exception) and the chain."""
        chain = [url]
        for _ in range(self.options.max_redirects + 1):
            response = await self._hop(chain[-1])
            if isinstance(response, Exception) or response.status_code not in REDIRECTS:
                return response, chain
            location = response.headers.get("location")
            if not location:
                return response, chain
            target = urljoin(chain[-1], location)
            if target in chain:
                chain.append(target)
                return _Loop(), chain
            chain.append(target)
        return _TooMany(), chain

    async def check(self, url: str) -> Outcome:
        attempt = 0
        while True:
            response, chain = await self._follow(url)
            outcome, delay = self._judge(url, response, chain, attempt)
            if delay is None:
                return outcome
            attempt += 1
            await self.sleep(delay)

    def _judge(self, url: str, response: Any, chain: list[str], attempt: int) -> tuple[Outcome, float | None]:
        import httpx

        now, options = time.time(), self.options
        final = chain[-1] if len(chain) > 1 else None
        if isinstance(response, _Loop):
            return Outcome(ERROR, f"redirect loop: {' -> '.join(chain)}", None, final, now), None
        if isinstance(response, _TooMany):
            return Outcome(ERROR, f"more than {options.max_redirects} redirects", None, final, now), None
        if isinstance(response, httpx.TimeoutException):
            return Outcome(WARNING, f"no answer within {options.timeout:g} s", None, final, now), None
        if isinstance(response, httpx.ConnectError):
            return Outcome(ERROR, _connect_problem(response), None, final, now), None
        if isinstance(response, Exception):
            return Outcome(ERROR, f"request failed: {type(response).__name__}: {response}", None, final, now), None
        status = response.status_code
        reason = f"{status} {response.reason_phrase}".strip()
        if (status == 429 or status >= 500) and attempt < options.retries:
            delay = _retry_after(response.headers.get("retry-after"), options.retry_after_cap)
            return Outcome(ERROR, reason), delay if delay is not None else options.backoff * 2 ** attempt
        tried = f" (after {attempt + 1} attempts)" if attempt else ""
        if final and not 200 <= status < 300:
            tried += f" (redirected to {final})"
        if 200 <= status < 300:
            if final:
                return Outcome(REDIRECT, f"redirects to {final}", status, final, now), None
            return Outcome(OK, reason, status, None, now), None
        if status in (401, 403, 429):
            return Outcome(WARNING, f"answers {reason}{tried}", status, final, now), None
        return Outcome(ERROR, f"answers {reason}{tried}", status, final, now), None


def _connect_problem(exc: BaseException) -> str:
    """Name what went wrong under httpx's ConnectError (the cause chain holds the socket error)."""
    import socket

    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            break
        if isinstance(seen, socket.gaierror):
            return "DNS lookup failed"
        if isinstance(seen, ConnectionRefusedError):
            return "connection refused"
        if isinstance(seen, ExceptionGroup):
            seen = seen.exceptions[0]
            continue
        seen = seen.__cause__ or seen.__context__
    text = str(exc).lower()
    if any(s in text for s in ("name or service", "nodename", "getaddrinfo", "name resolution")):
        return "DNS lookup failed"
    return "connection refused" if "refused" in text else f"cannot connect ({exc})"


class _Loop:
    pass


class _TooMany:
    pass


async def check_urls(urls: Iterable[str], options: LinkOptions, stats: Stats | None = None,
                     sleep: Sleep = asyncio.sleep) -> dict[str, Outcome]:
    """Request every URL once, within the limits; never raises for a URL's own failure."""
    import httpx

    stats = stats if stats is not None else Stats()
    limits = httpx.Limits(max_connections=options.max_concurrency, max_keepalive_connections=options.max_concurrency)
    async with httpx.AsyncClient(timeout=httpx.Timeout(options.timeout), limits=limits, follow_redirects=False,
                                 headers={"User-Agent": USER_AGENT}) as client:
        checker = _Checker(client, options, stats, sleep)
        unique = list(dict.fromkeys(urls))
        outcomes = await asyncio.gather(*(checker.check(url) for url in unique))
    return dict(zip(unique, outcomes, strict=True))


# -- the command -----------------------------------------------------------------------------
_HINTS = {
    REDIRECT: "link to the final address",
    WARNING: "the site refuses automated requests or is slow; check it in a browser, or list it in "
             "external_exclude (mkdocs.yml) or pass --exclude",
    ERROR: "fix or replace the link (an archived copy, e.g. at web.archive.org, may do)",
}


def check_external(project: Project, loaded: LoadResult, options: LinkOptions, sleep: Sleep = asyncio.sleep,
                   only: set[str] | None = None) -> tuple[list[Diagnostic], str]:
    """Diagnostics for every cited URL that fails, and a summary line (counts, time, concurrency).

    ``only``: the files (as shown in diagnostics) whose URLs to check; default all."""
    started = time.perf_counter()
    occurrences = [o for o in collect(project, loaded) if only is None or o.path in only]
    stats = Stats()
    cache_path = _cache_path(project, options)
    cache = {} if options.refresh else load_cache(cache_path)
    now = time.time()
    outcomes: dict[str, Outcome] = {}
    wanted: list[str] = []
    for url in dict.fromkeys(o.url for o in occurrences):
        if excluded(url, options.exclude):
            stats.excluded += 1
        elif url in cache and _fresh(cache[url], options, now):
            outcomes[url] = cache[url]
            stats.cached += 1
        else:
            wanted.append(url)
    stats.requested = len(wanted)
    if wanted:
        outcomes.update(asyncio.run(check_urls(wanted, options, stats, sleep)))
        kept = {u: o for u, o in cache.items() if _fresh(o, options, now)}
        save_cache(cache_path, {**kept, **outcomes})
    diagnostics = []
    for occ in occurrences:
        outcome = outcomes.get(occ.url)
        if outcome is None or outcome.level == OK:
            continue
        diagnostics.append(Diagnostic(occ.path, occ.line, occ.column, Rule.EXTERNAL_LINK,
                                      f"{occ.url}: {outcome.message}", _HINTS[outcome.level],
                                      _SEVERITY[outcome.level]))
    counts = {level: sum(o.level == level for o in outcomes.values()) for level in (OK, REDIRECT, WARNING, ERROR)}
    elapsed = time.perf_counter() - started
    summary = (f"external links: {len(occurrences)} links, {len(outcomes) + stats.excluded} URLs "
               f"({stats.requested} requested, {stats.cached} from cache, {stats.excluded} excluded): "
               f"{counts[OK]} ok, {counts[REDIRECT]} redirected, {counts[WARNING]} warnings, {counts[ERROR]} errors "
               f"in {elapsed:.2f} s ({stats.requests} requests, at most {stats.max_in_flight} at once; "
               f"limits {options.max_concurrency} overall, {options.per_host} per host)")
    return diagnostics, summary
