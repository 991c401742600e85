"""A real HTTP server on 127.0.0.1 for the link-checker tests.

Each path reproduces one way real documentation sites answer (or fail to). The
server counts hits per path and tracks in-flight requests, so tests can assert
retries, caching and concurrency limits from the server's point of view rather
than by mocking the client.
"""
from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

SLOW_SECONDS = 1.0  # longer than any timeout the tests use
SLEEPY_SECONDS = 0.15  # long enough for concurrent requests to overlap
SECRET_BODY = "internal-only: aws_secret_access_key=FIXTURE-NEVER-PUBLISH"  # /secret: must never reach a report


class ServerState:
    """Hit counters and in-flight bookkeeping, shared by the handler threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.hits: Counter[str] = Counter()  # path (with query) -> requests, HEAD and GET alike
        self.methods: list[tuple[str, str]] = []
        self.in_flight = 0
        self.max_in_flight = 0

    def hit(self, method: str, path: str) -> int:
        """Record a request; return how many requests this path has had, this one included."""
        with self.lock:
            self.hits[path] += 1
            self.methods.append((method, path))
            return self.hits[path]

    def total_hits(self) -> int:
        with self.lock:
            return sum(self.hits.values())

    @contextmanager
    def tracking(self) -> Iterator[None]:
        with self.lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            yield
        finally:
            with self.lock:
                self.in_flight -= 1


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_HEAD(self) -> None:
        self._route("HEAD")

    def do_GET(self) -> None:
        self._route("GET")

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass  # keep pytest output clean

    def _route(self, method: str) -> None:
        state = self.server.state
        n = state.hit(method, self.path)
        path, query = urlsplit(self.path).path, urlsplit(self.path).query
        if path == "/ok":
            self._send(200)
        elif path in ("/r301", "/r302", "/r308"):
            self._send(int(path[2:]), {"Location": "/ok"})
        elif path == "/chain":  # temporary then permanent: still a permanent move overall
            self._send(302, {"Location": "/r301"})
        elif path == "/loop":
            self._send(302, {"Location": "/loop"})
        elif path == "/redirect":  # an open redirect: /redirect?to=<absolute URL>
            self._send(302, {"Location": unquote(query.removeprefix("to="))})
        elif path == "/secret":  # what an internal service would answer
            self._send(200, {"X-Secret": SECRET_BODY}, body=SECRET_BODY)
        elif path == "/missing":
            self._send(404)
        elif path == "/ratelimited":
            self._send(429, {"Retry-After": "1"}) if n == 1 else self._send(200)
        elif path == "/ratelimited-long":  # asks for a minute: the checker must cap the wait
            self._send(429, {"Retry-After": "60"}) if n == 1 else self._send(200)
        elif path == "/broken":
            self._send(500)
        elif path == "/flaky":
            self._send(503) if n == 1 else self._send(200)
        elif path == "/slow":
            time.sleep(SLOW_SECONDS)
            self._send(200)
        elif path == "/drop":
            self.close_connection = True  # no status line at all: the socket is just closed
        elif path == "/nohead":
            self._send(405 if method == "HEAD" else 200)
        elif path == "/sleepy":
            with state.tracking():
                time.sleep(SLEEPY_SECONDS)
                self._send(200)
        else:
            self._send(404)

    def _send(self, code: int, headers: dict[str, str] | None = None, body: str | None = None) -> None:
        content = b"" if self.command == "HEAD" else (f"status {code}\n" if body is None else body).encode()
        self.send_response(code)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: ServerState

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the client gave up on /slow: a broken pipe here is expected, not news


def address_of(base: str) -> tuple[str, int]:
    """(host, port) of the server at ``base``: what the link checker's allow-list must name to reach it."""
    parts = urlsplit(base)
    return str(parts.hostname), int(parts.port or 80)


@contextmanager
def serve() -> Iterator[tuple[str, ServerState]]:
    """Run the server on a free port; yield its base URL and its state."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.state = ServerState()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}", server.state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
