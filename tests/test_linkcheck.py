"""Tests of the external link checker against a real HTTP server on 127.0.0.1.

No mocks of httpx: every request crosses a real socket to ``http_fixture``'s
server, which counts hits per path, so retries, caching and concurrency limits
are asserted from the server's side.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import email.utils
import json
import logging
import socket
import time
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from http_fixture import ServerState, address_of
from macros.linkcheck import CheckSettings, UrlStatus, check_urls, parse_retry_after, read_report, write_report

# Tiny timings keep the file fast; back-off is real but ~10 ms.
FAST = CheckSettings(timeout=0.5, retries=2, backoff=0.01, max_retry_after=2.0, per_host=2, concurrency=8)


def allowing(base: str, settings: CheckSettings = FAST) -> CheckSettings:
    """``settings`` that let the checker reach the loopback server at ``base`` (its host and port only)."""
    return replace(settings, allow=settings.allow | {address_of(base)})


def check_one(url: str, settings: CheckSettings, cache: Path | None = None) -> UrlStatus:
    return check_urls([url], cache, settings, progress=False)[url]


# --------------------------------------------------------------------------- answers


def test_ok(server: tuple[str, ServerState]) -> None:
    base, state = server
    s = check_one(f"{base}/ok", allowing(base))
    assert (s.ok, s.status, s.error, s.redirects, s.permanent_redirect) == (True, 200, None, (), False)
    assert s.final_url == f"{base}/ok"
    assert (s.attempts, s.from_cache) == (1, False)
    assert state.methods == [("HEAD", "/ok")]  # HEAD is enough, no body downloaded
    assert abs(s.checked_at - time.time()) < 5


@pytest.mark.parametrize(
    ("path", "code", "permanent"), [("/r301", 301, True), ("/r302", 302, False), ("/r308", 308, True)]
)
def test_redirect_recorded(server: tuple[str, ServerState], path: str, code: int, permanent: bool) -> None:
    base, _ = server
    s = check_one(base + path, allowing(base))
    assert (s.ok, s.status, s.error) == (True, 200, None)
    assert s.redirects == ((code, f"{base}/ok"),)  # relative Location resolved
    assert s.permanent_redirect is permanent
    assert s.final_url == f"{base}/ok"


def test_redirect_chain_records_every_hop(server: tuple[str, ServerState]) -> None:
    base, _ = server
    s = check_one(f"{base}/chain", allowing(base))
    assert s.redirects == ((302, f"{base}/r301"), (301, f"{base}/ok"))
    assert s.permanent_redirect and s.ok and s.final_url == f"{base}/ok"


def test_redirect_loop_is_an_error_not_a_hang(server: tuple[str, ServerState]) -> None:
    base, state = server
    s = check_one(f"{base}/loop", allowing(base))
    assert not s.ok and s.status is None
    assert s.error is not None and "too many redirects" in s.error
    assert s.attempts == 1 and state.hits["/loop"] == 11  # followed 10 times, not retried


def test_404_is_not_retried(server: tuple[str, ServerState]) -> None:
    base, state = server
    s = check_one(f"{base}/missing", allowing(base))
    assert (s.ok, s.status, s.error, s.attempts) == (False, 404, "404 Not Found", 1)
    assert state.hits["/missing"] == 1


def test_429_honours_retry_after(server: tuple[str, ServerState]) -> None:
    base, state = server
    start = time.monotonic()
    s = check_one(f"{base}/ratelimited", allowing(base))
    elapsed = time.monotonic() - start
    assert (s.ok, s.status, s.error, s.attempts) == (True, 200, None, 2)
    assert state.hits["/ratelimited"] == 2
    assert elapsed >= 0.95  # Retry-After: 1, not the 10 ms back-off


def test_retry_after_is_capped(server: tuple[str, ServerState]) -> None:
    base, state = server
    start = time.monotonic()
    s = check_one(f"{base}/ratelimited-long", replace(allowing(base), max_retry_after=0.05))
    assert s.ok and state.hits["/ratelimited-long"] == 2
    # Retry-After asked for 60 s; a capped wait finishes far sooner even on a loaded machine.
    assert time.monotonic() - start < 30


def test_500_is_retried_then_reported(server: tuple[str, ServerState]) -> None:
    base, state = server
    s = check_one(f"{base}/broken", allowing(base))
    assert (s.ok, s.status, s.error, s.attempts) == (False, 500, "500 Internal Server Error", 3)
    assert state.hits["/broken"] == 3  # 1 + retries=2


def test_503_then_200_recovers(server: tuple[str, ServerState]) -> None:
    base, state = server
    s = check_one(f"{base}/flaky", allowing(base))
    assert (s.ok, s.status, s.error, s.attempts) == (True, 200, None, 2)
    assert state.hits["/flaky"] == 2


def test_timeout_is_retried_and_reported(server: tuple[str, ServerState]) -> None:
    base, state = server
    start = time.monotonic()
    s = check_one(f"{base}/slow", replace(allowing(base), timeout=0.3, retries=1))
    assert (s.ok, s.status, s.error, s.attempts) == (False, None, "timed out after 0.3s", 2)
    assert state.hits["/slow"] == 2  # a timeout does not trigger the GET fallback
    assert time.monotonic() - start < 1.5  # gave up on the 1 s responses


def test_dropped_connection_is_retried_and_reported(server: tuple[str, ServerState]) -> None:
    base, state = server
    s = check_one(f"{base}/drop", replace(allowing(base), retries=1))
    assert not s.ok and s.status is None and s.attempts == 2
    assert s.error is not None and "connection dropped" in s.error
    # Each attempt tries HEAD, then GET in case the server only hangs up on HEAD.
    assert state.methods == [("HEAD", "/drop"), ("GET", "/drop")] * 2


def test_head_rejected_falls_back_to_get(server: tuple[str, ServerState]) -> None:
    base, state = server
    s = check_one(f"{base}/nohead", allowing(base))
    assert (s.ok, s.status, s.error, s.attempts) == (True, 200, None, 1)
    assert state.methods == [("HEAD", "/nohead"), ("GET", "/nohead")]


def test_connection_refused_is_retried() -> None:
    with socket.socket() as sock:  # a port nobody listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    s = check_one(f"http://127.0.0.1:{port}/", replace(allowing(f"http://127.0.0.1:{port}"), retries=1))
    assert not s.ok and s.status is None and s.attempts == 2
    assert s.error is not None and s.error.startswith("connection failed")


# --------------------------------------------------------------------------- selection & limits


def test_distinct_urls_checked_once_and_other_schemes_skipped(server: tuple[str, ServerState]) -> None:
    base, state = server
    urls = [f"{base}/ok", "mailto:someone@example.com", f"{base}/ok", "../notes/x.md", "ftp://example.com/f", "http://"]
    result = check_urls(urls, None, allowing(base), progress=False)
    assert list(result) == [f"{base}/ok"]
    assert state.hits["/ok"] == 1


def test_per_host_limit_respected(server: tuple[str, ServerState]) -> None:
    base, state = server
    urls = [f"{base}/sleepy?n={i}" for i in range(6)]
    result = check_urls(urls, None, replace(allowing(base), per_host=2, concurrency=16), progress=False)
    assert all(s.ok for s in result.values())
    assert state.max_in_flight == 2  # the limit holds, and is actually used


def test_global_limit_respected(server: tuple[str, ServerState]) -> None:
    base, state = server
    urls = [f"{base}/sleepy?n={i}" for i in range(3)]
    check_urls(urls, None, replace(allowing(base), per_host=4, concurrency=1), progress=False)
    assert state.max_in_flight == 1


def test_custom_transport_is_used(server: tuple[str, ServerState]) -> None:
    base, _ = server

    class Counting(httpx.AsyncBaseTransport):
        """A real transport that counts what passes through it."""

        def __init__(self) -> None:
            self.inner = httpx.AsyncHTTPTransport()
            self.requests = 0

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            self.requests += 1
            return await self.inner.handle_async_request(request)

        async def aclose(self) -> None:
            await self.inner.aclose()

    transport = Counting()
    assert check_urls([f"{base}/ok"], None, allowing(base), progress=False, transport=transport)[f"{base}/ok"].ok
    assert transport.requests == 1


def test_works_inside_a_running_event_loop(server: tuple[str, ServerState]) -> None:
    base, _ = server

    async def caller() -> dict[str, UrlStatus]:
        return check_urls([f"{base}/ok"], None, allowing(base), progress=False)

    # A thread of its own: Playwright's sync API (browser tests in the same session) owns the main thread's loop.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, caller()).result()[f"{base}/ok"].ok


def test_progress_counter(server: tuple[str, ServerState], capsys: pytest.CaptureFixture[str]) -> None:
    base, _ = server
    check_urls([f"{base}/ok", f"{base}/missing"], None, allowing(base), progress=True)
    assert "2/2 checked, 1 failing" in capsys.readouterr().err
    check_urls([f"{base}/ok"], None, allowing(base), progress=False)
    assert capsys.readouterr().err == ""


def test_settings_reject_zero_limits() -> None:
    with pytest.raises(ValueError):
        CheckSettings(per_host=0)


# --------------------------------------------------------------------------- cache


def test_cached_success_makes_no_request_and_failures_are_rechecked(
    server: tuple[str, ServerState], tmp_path: Path
) -> None:
    base, state = server
    cache = tmp_path / "cache" / "links.json"  # directory created on write
    urls = [f"{base}/ok", f"{base}/missing"]
    first = check_urls(urls, cache, allowing(base), progress=False)
    assert state.hits["/ok"] == 1 and state.hits["/missing"] == 1

    second = check_urls(urls, cache, allowing(base), progress=False)
    assert state.hits["/ok"] == 1  # not asked again
    assert second[f"{base}/ok"] == replace(first[f"{base}/ok"], from_cache=True)
    assert state.hits["/missing"] == 2  # a failure is never reused
    assert not second[f"{base}/missing"].from_cache and not second[f"{base}/missing"].ok
    assert list(tmp_path.joinpath("cache").iterdir()) == [cache]  # no temp files left behind


def test_expired_cache_entry_is_rechecked(server: tuple[str, ServerState], tmp_path: Path) -> None:
    base, state = server
    cache = tmp_path / "links.json"
    settings = replace(allowing(base), cache_max_age=0)
    check_urls([f"{base}/ok"], cache, settings, progress=False)
    s = check_urls([f"{base}/ok"], cache, settings, progress=False)[f"{base}/ok"]
    assert state.hits["/ok"] == 2 and not s.from_cache


def test_cache_prunes_stale_entries_of_unused_urls(server: tuple[str, ServerState], tmp_path: Path) -> None:
    base, _ = server
    cache = tmp_path / "links.json"
    check_urls([f"{base}/ok", f"{base}/missing"], cache, allowing(base), progress=False)
    check_urls([f"{base}/r302"], cache, allowing(base), progress=False)
    # The fresh success survives for other runs; the failure of a URL no longer used goes.
    assert set(read_report(cache)) == {f"{base}/ok", f"{base}/r302"}


@pytest.mark.parametrize(
    "content",
    ["{not json", "[]", '{"version": 1, "urls": {"http://x.test/": {"ok": "yes"}}}', "\udcff"],
    ids=["syntax", "wrong-shape", "bad-entry", "bad-encoding"],
)
def test_corrupt_cache_is_ignored_with_a_warning(
    server: tuple[str, ServerState], tmp_path: Path, caplog: pytest.LogCaptureFixture, content: str
) -> None:
    base, state = server
    cache = tmp_path / "links.json"
    cache.write_bytes(content.encode("utf-8", "surrogateescape"))
    with caplog.at_level(logging.WARNING, logger="macros.linkcheck"):
        s = check_urls([f"{base}/ok"], cache, allowing(base), progress=False)[f"{base}/ok"]
    assert s.ok and not s.from_cache and state.hits["/ok"] == 1
    assert any("link cache" in r.getMessage() for r in caplog.records)
    assert read_report(cache)[f"{base}/ok"].ok  # rewritten as a valid cache


# --------------------------------------------------------------------------- report & helpers


def test_report_round_trips(server: tuple[str, ServerState], tmp_path: Path) -> None:
    base, _ = server
    urls = [f"{base}/r301", f"{base}/missing", f"{base}/drop"]
    statuses = check_urls(urls, None, replace(allowing(base), retries=0), progress=False)
    statuses["cached"] = replace(statuses[f"{base}/r301"], url="cached", from_cache=True)
    report = tmp_path / "report.json"
    write_report(statuses, report)
    assert read_report(report) == statuses
    summary = json.loads(report.read_text(encoding="utf-8"))["summary"]
    assert summary == {"urls": 4, "ok": 2, "failing": 2, "permanent_redirects": 2}


def test_read_report_rejects_garbage(tmp_path: Path) -> None:
    bad = tmp_path / "report.json"
    bad.write_text('{"version": 1, "urls": {"u": {"ok": true}}}', encoding="utf-8")
    with pytest.raises(ValueError):
        read_report(bad)


def test_parse_retry_after() -> None:
    now = 1_700_000_000.0
    assert parse_retry_after("1") == 1.0
    assert parse_retry_after(" 120 ") == 120.0
    assert parse_retry_after(email.utils.formatdate(now + 30, usegmt=True), now=now) == pytest.approx(30.0)
    assert parse_retry_after(email.utils.formatdate(now - 30, usegmt=True), now=now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
    assert parse_retry_after("nan") is None
