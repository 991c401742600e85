"""The link checker never reaches inward addresses (issue #11, item 8), and never runs past its deadline.

Traffic in these tests stays on 127.0.0.0/8: loopback spellings are aimed at the real server of
``http_fixture`` (counting its hits proves "no request"); every other inner address (10.x,
169.254.x, fd00::, ...) is checked through a transport or network backend that fails the test if
it is ever called, so a broken guard shows up as a failure, not as a packet. Names are resolved by
a stand-in resolver (``guard.resolve`` monkeypatched): no DNS query leaves the machine.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import ipaddress
import time
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

import httpcore
import httpx
import pytest

from conftest import ROOT
from http_fixture import ServerState, address_of, serve
from macros import pipeline
from macros.settings import Settings, SettingsError
from macros.linkcheck import (DEADLINE_ERROR, CheckSettings, Refused, UrlStatus, address_problem, check_urls,
                              guarded_transport, parse_allow_list, read_report)
from macros.linkcheck import guard

FAST = CheckSettings(timeout=2.0, retries=0, backoff=0.01, max_retry_after=2.0, per_host=2, concurrency=8)


def port_of(base: str) -> int:
    return address_of(base)[1]


def allowing(base: str, settings: CheckSettings = FAST) -> CheckSettings:
    """``settings`` that let the checker reach the loopback server at ``base`` (its host and port only)."""
    return replace(settings, allow=settings.allow | {address_of(base)})


class NeverCalledTransport(httpx.AsyncBaseTransport):
    """Stands where the network would be: any request through it fails the test."""

    def __init__(self) -> None:
        self.requests: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(str(request.url))
        raise AssertionError(f"the guard let a request through to {request.url}")


class NeverConnectBackend(httpcore.AsyncNetworkBackend):
    """Stands under the guarded transport: any connection attempt fails the test."""

    def __init__(self) -> None:
        self.connects: list[tuple[str, int]] = []

    async def connect_tcp(self, host: str, port: int, *args: object, **kwargs: object) -> httpcore.AsyncNetworkStream:
        self.connects.append((host, port))
        raise AssertionError(f"the guard let a connection through to {host}:{port}")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


def check_one(url: str, settings: CheckSettings = FAST, transport: httpx.AsyncBaseTransport | None = None) -> UrlStatus:
    return check_urls([url], None, settings, progress=False, transport=transport)[url]


def fake_dns(monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[str]]) -> list[str]:
    """Resolve the names in ``answers`` (and IP literals) without DNS; return the log of names asked."""
    asked: list[str] = []

    async def resolve(host: str, port: int) -> list[str]:
        asked.append(host)
        if host in answers:
            return answers[host]
        return [str(ipaddress.ip_address(host))]  # a literal; anything else is a test mistake
    monkeypatch.setattr(guard, "resolve", resolve)
    return asked


# --------------------------------------------------------------------------- the policy, address by address


@pytest.mark.parametrize(("address", "problem"), [
    ("127.0.0.1", "a loopback address"),
    ("127.255.255.254", "a loopback address"),
    ("::1", "a loopback address"),
    ("0.0.0.0", "an unspecified address"),
    ("::", "an unspecified address"),
    ("10.0.0.1", "a private address"),
    ("172.16.0.1", "a private address"),
    ("192.168.1.1", "a private address"),
    ("fd00::1", "a private address"),
    ("169.254.169.254", "a link-local address"),
    ("fe80::1", "a link-local address"),
    ("224.0.0.1", "a multicast address"),
    ("ff02::1", "a multicast address"),
    ("100.64.0.1", "a shared address (100.64.0.0/10, carrier-grade NAT)"),
    ("240.0.0.1", "a private address"),  # reserved; Python counts it private
    ("255.255.255.255", "a private address"),
    ("192.0.2.1", "a private address"),  # documentation range
    ("fec0::1", "a site-local address"),
    ("::ffff:127.0.0.1", "an IPv4-mapped form of 127.0.0.1, a loopback address"),
    ("::ffff:169.254.169.254", "an IPv4-mapped form of 169.254.169.254, a link-local address"),
    ("2002:a00:1::", "a 6to4 form of 10.0.0.1, a private address"),
    ("64:ff9b::a9fe:a9fe", "a NAT64 form of 169.254.169.254, a link-local address"),
    ("::7f00:1", "an IPv4-compatible form of 127.0.0.1, a loopback address"),
    ("8.8.8.8", None),
    ("93.184.216.34", None),
    ("2606:4700:4700::1111", None),
    ("::ffff:8.8.8.8", None),
])
def test_address_policy(address: str, problem: str | None) -> None:
    assert address_problem(ipaddress.ip_address(address)) == problem


# --------------------------------------------------------------------------- loopback, however spelled


@pytest.mark.parametrize(("host", "reason"), [
    ("127.0.0.1", "127.0.0.1 is a loopback address"),
    ("localhost", "localhost resolves to 127.0.0.1, a loopback address"),
    ("2130706433", "2130706433 resolves to 127.0.0.1, a loopback address"),
    ("0x7f000001", "0x7f000001 resolves to 127.0.0.1, a loopback address"),
    ("127.1", "127.1 resolves to 127.0.0.1, a loopback address"),
    ("0177.0.0.1", "0177.0.0.1 resolves to 127.0.0.1, a loopback address"),
    ("[::1]", "::1 is a loopback address"),
    ("[::ffff:127.0.0.1]", "::ffff:127.0.0.1 is an IPv4-mapped form of 127.0.0.1, a loopback address"),
    ("0.0.0.0", "0.0.0.0 is an unspecified address"),
    ("127.0.0.2", "127.0.0.2 is a loopback address"),
])
def test_loopback_spellings_are_refused_before_any_request(server: tuple[str, ServerState], host: str,
                                                           reason: str) -> None:
    """The real resolver and transport, aimed at the real server: it must see nothing."""
    base, state = server
    status = check_one(f"http://{host}:{port_of(base)}/secret")
    if host == "localhost" and status.error and "resolves to ::1" in status.error:
        reason = "localhost resolves to ::1, a loopback address"  # hosts files differ; both are loopback
    assert (status.ok, status.status, status.error) == (False, None, f"refused: {reason}")
    assert state.total_hits() == 0


# --------------------------------------------------------------------------- inner networks, never contacted


@pytest.mark.parametrize(("url", "reason"), [
    ("http://10.0.0.1/", "10.0.0.1 is a private address"),
    ("http://172.16.5.4:8080/", "172.16.5.4 is a private address"),
    ("http://192.168.0.1/admin", "192.168.0.1 is a private address"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
    ("https://[fd00::1]/", "fd00::1 is a private address"),
    ("http://[fe80::1]/", "fe80::1 is a link-local address"),
    ("http://224.0.0.1/", "224.0.0.1 is a multicast address"),
    ("http://100.64.0.1/", "100.64.0.1 is a shared address (100.64.0.0/10, carrier-grade NAT)"),
    ("http://[::ffff:10.0.0.1]/", "::ffff:10.0.0.1 is an IPv4-mapped form of 10.0.0.1, a private address"),
    ("http://[64:ff9b::a9fe:a9fe]/", "64:ff9b::a9fe:a9fe is a NAT64 form of 169.254.169.254, a link-local address"),
    ("http://user:secret@example.com/", "the URL carries credentials (user:password@host)"),
    ("http://example.com:99999/", "malformed host or port (Port out of range 0-65535)"),
])
def test_inner_addresses_are_refused_without_a_connection(url: str, reason: str) -> None:
    transport = NeverCalledTransport()
    status = check_one(url, transport=transport)
    assert (status.ok, status.status, status.error) == (False, None, f"refused: {reason}")
    assert transport.requests == []


@pytest.mark.parametrize(("name", "answers", "reason"), [
    ("metadata.google.internal", ["169.254.169.254"], "resolves to 169.254.169.254, a link-local address"),
    ("intranet.example", ["10.1.2.3"], "resolves to 10.1.2.3, a private address"),
    ("v6.intranet.example", ["fd12:3456::1"], "resolves to fd12:3456::1, a private address"),
    ("mixed.example", ["93.184.216.34", "127.0.0.1"], "resolves to 127.0.0.1, a loopback address"),
])
def test_names_resolving_inwards_are_refused(monkeypatch: pytest.MonkeyPatch, name: str, answers: list[str],
                                             reason: str) -> None:
    """One inner address among a name's answers is enough: the public one is not tried either."""
    fake_dns(monkeypatch, {name: answers})
    transport = NeverCalledTransport()
    status = check_one(f"https://{name}/computeMetadata/v1/", transport=transport)
    assert status.error == f"refused: {name} {reason}"
    assert transport.requests == []


@pytest.mark.parametrize("url", ["http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/", "http://[fd00::1]/",
                                 "http://127.0.0.1:9/", "http://metadata.google.internal/"])
def test_the_transport_refuses_at_connect_time(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    """The transport alone (no check before the request): it refuses before its backend connects."""
    fake_dns(monkeypatch, {"metadata.google.internal": ["169.254.169.254"]})
    backend = NeverConnectBackend()

    async def send() -> None:
        async with httpx.AsyncClient(transport=guarded_transport(FAST, network_backend=backend)) as client:
            await client.get(url)

    # In a thread of its own: Playwright's sync API (browser tests in the same session) owns the main thread's loop.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool, pytest.raises(Refused):
        pool.submit(asyncio.run, send()).result()
    assert backend.connects == []


def test_a_name_cannot_rebind_between_check_and_connect(monkeypatch: pytest.MonkeyPatch,
                                                        server: tuple[str, ServerState]) -> None:
    """The check sees the allowed address; the connection's own resolution gets an inner one and is refused."""
    base, state = server
    answers = iter([["127.0.0.1"], ["127.0.0.2"]])

    async def resolve(host: str, port: int) -> list[str]:
        return next(answers)
    monkeypatch.setattr(guard, "resolve", resolve)
    status = check_one(f"http://rebind.example:{port_of(base)}/ok", allowing(base))
    assert status.error == "refused: rebind.example resolves to 127.0.0.2, a loopback address"
    assert state.total_hits() == 0


def test_the_connection_goes_to_the_validated_address(monkeypatch: pytest.MonkeyPatch,
                                                      server: tuple[str, ServerState]) -> None:
    """A name the system cannot resolve still reaches the server: the address checked is the one connected to."""
    base, state = server
    asked = fake_dns(monkeypatch, {"pinned.example": ["127.0.0.1"]})
    status = check_one(f"http://pinned.example:{port_of(base)}/ok", allowing(base))
    assert (status.ok, status.status) == (True, 200)
    assert state.hits["/ok"] == 1
    assert asked == ["pinned.example", "pinned.example"]  # before the request, and at connect


# --------------------------------------------------------------------------- redirects, hop by hop


@pytest.mark.parametrize(("target", "reason"), [
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
    ("http://10.0.0.1/", "10.0.0.1 is a private address"),
    ("http://127.0.0.2:{port}/ok", "127.0.0.2 is a loopback address"),
    ("http://127.0.0.1:{other}/ok", "127.0.0.1 is a loopback address"),
    ("http://user:pw@127.0.0.1:{port}/ok", "the URL carries credentials (user:password@host)"),
    ("file:///etc/passwd", "a file: URL; only http and https URLs are checked"),
    ("gopher://127.0.0.1:{port}/_", "a gopher: URL; only http and https URLs are checked"),
])
def test_a_redirect_inwards_is_refused_at_the_hop(server: tuple[str, ServerState], target: str, reason: str) -> None:
    base, state = server
    with serve() as (other_base, other_state):
        target = target.format(port=port_of(base), other=port_of(other_base))

        class OnlyTheAllowedServer(httpx.AsyncBaseTransport):
            """The real guarded transport, failing the test if asked for anything but the allowed server."""

            def __init__(self) -> None:
                self.inner = guarded_transport(allowing(base))

            async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
                assert (request.url.host, request.url.port) == ("127.0.0.1", port_of(base)), request.url
                return await self.inner.handle_async_request(request)

            async def aclose(self) -> None:
                await self.inner.aclose()

        status = check_one(f"{base}/redirect?to={quote(target, safe='')}", allowing(base), OnlyTheAllowedServer())
        assert (status.ok, status.status, status.error) == (False, None, f"refused: {reason}")
        assert status.redirects == ((302, target),)
        assert state.hits[f"/redirect?to={quote(target, safe='')}"] == 1 and state.total_hits() == 1
        assert other_state.total_hits() == 0


# --------------------------------------------------------------------------- the allow-list


def test_the_allow_list_lets_exactly_its_host_and_port_through(server: tuple[str, ServerState]) -> None:
    base, state = server
    with serve() as (other_base, other_state):
        statuses = check_urls([f"{base}/ok", f"{other_base}/ok", f"http://127.0.0.2:{port_of(base)}/ok"], None,
                              allowing(base), progress=False)
        assert statuses[f"{base}/ok"].ok and state.hits["/ok"] == 1
        assert statuses[f"{other_base}/ok"].error == "refused: 127.0.0.1 is a loopback address"
        assert statuses[f"http://127.0.0.2:{port_of(base)}/ok"].error == "refused: 127.0.0.2 is a loopback address"
        assert other_state.total_hits() == 0


def test_a_cached_success_is_refused_once_no_longer_allowed(server: tuple[str, ServerState], tmp_path: Path) -> None:
    base, state = server
    cache = tmp_path / "cache.json"
    assert check_urls([f"{base}/ok"], cache, allowing(base), progress=False)[f"{base}/ok"].ok
    again = check_urls([f"{base}/ok"], cache, FAST, progress=False)[f"{base}/ok"]
    assert (again.ok, again.error, again.from_cache) == (False, "refused: 127.0.0.1 is a loopback address", False)
    assert state.hits["/ok"] == 1


@pytest.mark.parametrize(("text", "pairs"), [
    ("", set()),
    ("127.0.0.1:8765", {("127.0.0.1", 8765)}),
    (" 127.0.0.1:8765 , [::1]:80,", {("127.0.0.1", 8765), ("::1", 80)}),
    ("LocalHost:8080", {("localhost", 8080)}),
    ("[0:0::1]:80", {("::1", 80)}),
])
def test_parse_allow_list(text: str, pairs: set[tuple[str, int]]) -> None:
    assert parse_allow_list(text) == pairs


@pytest.mark.parametrize("entry", ["127.0.0.1", "127.0.0.1:", "127.0.0.1:http", ":80", "user@127.0.0.1:80",
                                   "127.0.0.1:80/path", "127.0.0.1:99999", "[::1:80"])
def test_parse_allow_list_rejects(entry: str) -> None:
    with pytest.raises(ValueError, match="is not host:port"):
        parse_allow_list(f"localhost:8000,{entry}")


@pytest.mark.parametrize(("environ", "allow", "deadline"), [
    ({}, frozenset(), CheckSettings().deadline),
    ({"STUDYGUIDE_LINKCHECK_ALLOW": "127.0.0.1:8765", "STUDYGUIDE_LINKCHECK_DEADLINE": "2.5"},
     {("127.0.0.1", 8765)}, 2.5),
    ({"STUDYGUIDE_LINKCHECK_DEADLINE": " 30 "}, frozenset(), 30.0),
])
def test_settings_from_the_environment(environ: dict[str, str], allow: set[tuple[str, int]], deadline: float) -> None:
    settings = pipeline.link_check_settings(Settings.from_env(environ, root=ROOT))
    assert (settings.allow, settings.deadline) == (allow, deadline)


@pytest.mark.parametrize(("environ", "message"), [
    ({"STUDYGUIDE_LINKCHECK_ALLOW": "127.0.0.1"}, "STUDYGUIDE_LINKCHECK_ALLOW: '127.0.0.1' is not host:port"),
    ({"STUDYGUIDE_LINKCHECK_DEADLINE": "soon"}, "STUDYGUIDE_LINKCHECK_DEADLINE: 'soon' is not a number"),
    ({"STUDYGUIDE_LINKCHECK_DEADLINE": "0"}, "STUDYGUIDE_LINKCHECK_DEADLINE: '0' is not a number"),
    ({"STUDYGUIDE_LINKCHECK_DEADLINE": "nan"}, "STUDYGUIDE_LINKCHECK_DEADLINE: 'nan' is not a number"),
])
def test_bad_settings_name_the_variable(environ: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        pipeline.link_check_settings(Settings.from_env(environ, root=ROOT))


# --------------------------------------------------------------------------- time limits


def test_the_deadline_stops_the_run_and_says_so(server: tuple[str, ServerState], tmp_path: Path) -> None:
    """Five 1-second answers, one at a time, within 1.5 s: the run ends near the deadline, the rest not checked."""
    base, _ = server
    urls = [f"{base}/slow?n={n}" for n in range(5)]
    cache = tmp_path / "cache.json"
    settings = replace(allowing(base), timeout=5.0, per_host=1, deadline=1.5)
    start = time.monotonic()
    statuses = check_urls(urls, cache, settings, progress=False)
    elapsed = time.monotonic() - start
    assert 1.4 <= elapsed < 3.5
    cut_off = [s for s in statuses.values() if not s.ok]
    assert len(cut_off) >= 3 and list(statuses) == urls
    assert all((s.error, s.status, s.attempts) == (DEADLINE_ERROR, None, 0) for s in cut_off)
    assert not set(read_report(cache)) & {s.url for s in cut_off}  # a cut-off URL is not a result to keep


def test_retries_stop_at_the_url_time_budget(server: tuple[str, ServerState]) -> None:
    """A server asking to come back in 60 s (capped at 30) is not waited for past the URL's 1 s budget."""
    base, state = server
    start = time.monotonic()
    status = check_one(f"{base}/ratelimited-long", replace(allowing(base), retries=3, max_retry_after=30,
                                                           max_url_time=1.0))
    assert (status.ok, status.status, status.attempts) == (False, 429, 1)
    assert time.monotonic() - start < 5 and state.hits["/ratelimited-long"] == 1
