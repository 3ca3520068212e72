"""A loopback HTTP server with the behaviours the external link checker must handle (tests, benchmark)."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class LinkServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def __init__(self, slow_s: float = 2.0, delay_s: float = 0.0) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.slow_s = slow_s  # /slow answers after this long
        self.delay_s = delay_s  # every other answer waits this long (to observe concurrency)
        self.hits: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: LinkServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - silence the default logging
        pass

    def _answer(self, status: int, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        body = b"" if self.command == "HEAD" else b"ok\n"
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def _route(self) -> None:
        server, path = self.server, self.path.split("?")[0]
        with server.lock:
            server.hits[path] += 1
            hits = server.hits[path]
            server.in_flight += 1
            server.max_in_flight = max(server.max_in_flight, server.in_flight)
        try:
            if server.delay_s:
                time.sleep(server.delay_s)
            if path.startswith("/ok"):
                self._answer(200)
            elif path == "/missing":
                self._answer(404)
            elif path == "/gone":
                self._answer(410)
            elif path == "/forbidden":
                self._answer(403)
            elif path == "/slow":
                time.sleep(server.slow_s)
                self._answer(200)
            elif path == "/busy-once":
                self._answer(429, {"Retry-After": "7"}) if hits == 1 else self._answer(200)
            elif path == "/busy":
                self._answer(429, {"Retry-After": "7"})
            elif path == "/broken":
                self._answer(503)
            elif path == "/no-head":
                self._answer(405 if self.command == "HEAD" else 200)
            elif path == "/redirect-1":
                self._answer(301, {"Location": "/redirect-2"})
            elif path == "/redirect-2":
                self._answer(302, {"Location": f"{server.base}/ok/final"})
            elif path == "/moved-away":
                self._answer(308, {"Location": "/missing"})
            elif path == "/loop-a":
                self._answer(302, {"Location": "/loop-b"})
            elif path == "/loop-b":
                self._answer(302, {"Location": "/loop-a"})
            else:
                self._answer(404)
        finally:
            with server.lock:
                server.in_flight -= 1

    do_HEAD = do_GET = _route  # noqa: N815 - http.server's naming


@contextmanager
def link_server(**options: float) -> Iterator[LinkServer]:
    server = LinkServer(**options)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def refused_url() -> str:
    """An address where nothing listens (a port just released)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"
