"""Checking URLs: httpx, async, polite, bounded in time, and never inwards.

Politely: a per-host limit on top of a global one, retries with exponential back-off,
``Retry-After`` honoured (capped, and no retry once a URL's time budget would be passed).
Bounded: the whole run stops at ``CheckSettings.deadline``; what is unfinished then is
"not checked: deadline reached". Never inwards: every request, each redirect hop and each
reused cached success go through :mod:`.guard` first, and the default transport connects
only to addresses the guard validated. A refused URL is a result (``refused: ...``), never
a request.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import email.utils
import math
import sys
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO, TypeVar
from urllib.parse import urljoin, urlsplit

import httpx

from . import guard
from .cache import is_fresh, load_cache, save_cache
from .model import DEADLINE_ERROR, CheckSettings, UrlStatus

_T = TypeVar("_T")

#: Redirect statuses that httpx would follow; we follow them by hand to record hops.
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
#: Redirects after which the old URL should be replaced by the new one.
PERMANENT_REDIRECT_STATUSES = frozenset({301, 308})
#: Answers to HEAD that often mean "this server does not do HEAD", not "broken link".
HEAD_REJECTED_STATUSES = frozenset({403, 405, 501})
#: Statuses whose ``Retry-After`` header we honour.
RETRY_AFTER_STATUSES = frozenset({429, 503})
MAX_REDIRECTS = 10
CHECKED_SCHEMES = frozenset({"http", "https"})


# --------------------------------------------------------------------------- public API


def check_urls(
    urls: Iterable[str],
    cache_path: Path | None,
    settings: CheckSettings = CheckSettings(),
    progress: bool | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> dict[str, UrlStatus]:
    """Check every distinct http(s) URL once; return ``url -> status`` in input order.

    Non-http(s) URLs are skipped (absent from the result). Fresh cached successes
    are reused without a request (once the guard still allows them). With ``cache_path``
    the cache is updated atomically afterwards. ``progress=None`` shows a counter only
    when stderr is a TTY. ``transport`` (tests) replaces the guarded default: the guard
    still checks every hop's destination before the transport is called, but only the
    default transport also pins the connection to the validated address. It is closed
    when the run ends, because its pooled connections belong to the run's event loop.

    A sync wrapper so MkDocs hooks and scripts need no asyncio; when called from a
    running event loop it runs the check in a worker thread instead of failing.
    """
    wanted = _distinct_checkable(urls)
    cache = load_cache(cache_path) if cache_path is not None else {}
    now = time.time()
    reusable = {u: cache[u] for u in wanted if is_fresh(cache.get(u), now, settings)}
    show = sys.stderr.isatty() if progress is None else progress
    progress_counter = _Progress(len(wanted) - len(reusable), show)
    statuses = _run_sync(lambda: _check_all(wanted, reusable, settings, transport, progress_counter))
    if cache_path is not None:
        save_cache(cache_path, cache, {u: s for u, s in statuses.items() if not s.from_cache}, now, settings)
    return {u: statuses[u] for u in wanted}


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP-date).

    Returns None when absent or unparseable (the caller then uses its own back-off);
    a date in the past gives 0.
    """
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:  # RFC 9110 dates are GMT; be lenient with obsolete forms
            when = when.replace(tzinfo=dt.timezone.utc)
        seconds = when.timestamp() - (time.time() if now is None else now)
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)




# --------------------------------------------------------------------------- selection


def _distinct_checkable(urls: Iterable[str]) -> list[str]:
    """Keep the first occurrence of each http(s) URL; skip the rest silently."""
    seen: dict[str, None] = {}
    for url in urls:
        if url not in seen and _is_checkable(url):
            seen[url] = None
    return list(seen)


def _is_checkable(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unbalanced "[" in the host
        return False
    return parts.scheme.lower() in CHECKED_SCHEMES and bool(parts.netloc)



# --------------------------------------------------------------------------- running


def _run_sync(make: Callable[[], Awaitable[_T]]) -> _T:
    """``asyncio.run`` that also works when the caller is already inside an event loop."""

    async def main() -> _T:
        return await make()

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(main())
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, main()).result()


class _Progress:
    """A carriage-return counter on stderr (no progress-bar library is installed)."""

    def __init__(self, total: int, enabled: bool, stream: TextIO | None = None) -> None:
        self.total = total
        self.enabled = enabled and total > 0
        self.stream = stream
        self.done = 0
        self.failing = 0

    def update(self, status: UrlStatus) -> None:
        self.done += 1
        self.failing += not status.ok
        self._write(end="\n" if self.done == self.total else "")

    def _write(self, end: str) -> None:
        if not self.enabled:
            return
        stream = self.stream or sys.stderr  # looked up late so pytest's capture sees it
        stream.write(f"\rlinkcheck: {self.done}/{self.total} checked, {self.failing} failing{end}")
        stream.flush()


class _Limiter:
    """Global plus per-host concurrency limits, held per request (not during back-off)."""

    def __init__(self, settings: CheckSettings) -> None:
        self._global = asyncio.Semaphore(settings.concurrency)
        self._per_host = settings.per_host
        self._hosts: dict[str, asyncio.Semaphore] = {}

    def host(self, url: str) -> asyncio.Semaphore:
        key = (urlsplit(url).hostname or "").lower()
        if key not in self._hosts:
            self._hosts[key] = asyncio.Semaphore(self._per_host)
        return self._hosts[key]

    @property
    def total(self) -> asyncio.Semaphore:
        return self._global


async def _check_all(urls: list[str], reusable: Mapping[str, UrlStatus], settings: CheckSettings,
                     transport: httpx.AsyncBaseTransport | None, progress: _Progress) -> dict[str, UrlStatus]:
    """Every URL's status by the run's deadline; what is unfinished then is cancelled and says so."""
    if not urls:
        return {}
    limiter = _Limiter(settings)
    async with _make_client(settings, transport) as client:

        async def one(url: str) -> UrlStatus:
            if url in reusable:
                return await _reuse(reusable[url], settings)
            status = await _check_one(client, url, settings, limiter)
            progress.update(status)
            return status

        tasks = {asyncio.ensure_future(one(u)): u for u in urls}
        done, unfinished = await asyncio.wait(tasks, timeout=settings.deadline)
        for task in unfinished:
            task.cancel()
        await asyncio.gather(*unfinished, return_exceptions=True)  # let cancelled requests release their sockets
    statuses = {tasks[task]: task.result() for task in done}
    for task in unfinished:
        statuses[tasks[task]] = cut_off = _not_checked(tasks[task])
        if tasks[task] not in reusable:
            progress.update(cut_off)
    return statuses


async def _reuse(cached: UrlStatus, settings: CheckSettings) -> UrlStatus:
    """A cached success, if its URL and every hop are still allowed (the allow-list may have changed)."""
    try:
        for url in (cached.url, *(location for _, location in cached.redirects)):
            async with asyncio.timeout(settings.timeout):
                await guard.check_destination(url, settings.allow)
    except guard.Refused as exc:
        return _to_status(cached.url, _Outcome(None, None, (), guard.refusal_message(exc)), attempts=0)
    except (httpx.HTTPError, TimeoutError):
        pass  # a name that does not resolve right now: the cached success stands, as before the guard
    return replace(cached, from_cache=True)


def _not_checked(url: str) -> UrlStatus:
    return _to_status(url, _Outcome(None, None, (), DEADLINE_ERROR), attempts=0)


def _make_client(settings: CheckSettings, transport: httpx.AsyncBaseTransport | None) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=transport or guard.guarded_transport(settings),
        trust_env=False,  # no proxies from the environment: a proxy would resolve names out of the guard's reach
        timeout=httpx.Timeout(settings.timeout),
        follow_redirects=False,  # followed by hand to check and record each hop and limit per host
        headers={"User-Agent": settings.user_agent, "Accept": "*/*"},
    )


# --------------------------------------------------------------------------- checking one URL


@dataclass(frozen=True)
class _Outcome:
    """One attempt's result, before retry policy is applied."""

    status: int | None
    final_url: str | None
    redirects: tuple[tuple[int, str], ...]
    error: str | None
    retryable: bool = False
    retry_after: float | None = None  # from the server, before capping
    use_get: bool = False  # the server rejected HEAD: later attempts go straight to GET


async def _check_one(client: httpx.AsyncClient, url: str, settings: CheckSettings, limiter: _Limiter) -> UrlStatus:
    """Attempt, and retry transient failures with back-off (or the server's Retry-After), within ``max_url_time``."""
    use_get = False
    attempt = 0
    started = time.monotonic()
    while True:
        attempt += 1
        outcome = await _attempt(client, url, settings, limiter, use_get)
        use_get = outcome.use_get
        if not outcome.retryable or attempt > settings.retries:
            return _to_status(url, outcome, attempt)
        delay = _retry_delay(outcome, attempt, settings)
        if time.monotonic() - started + delay + settings.timeout > settings.max_url_time:
            return _to_status(url, outcome, attempt)  # the wait and another attempt would pass the URL's budget
        await asyncio.sleep(delay)


def _retry_delay(outcome: _Outcome, attempt: int, settings: CheckSettings) -> float:
    if outcome.retry_after is not None:
        return min(outcome.retry_after, settings.max_retry_after)
    return settings.backoff * 2 ** (attempt - 1)


def _to_status(url: str, outcome: _Outcome, attempts: int) -> UrlStatus:
    ok = outcome.error is None and outcome.status is not None and 200 <= outcome.status < 300
    return UrlStatus(
        url=url,
        ok=ok,
        status=outcome.status,
        final_url=outcome.final_url,
        redirects=outcome.redirects,
        permanent_redirect=any(code in PERMANENT_REDIRECT_STATUSES for code, _ in outcome.redirects),
        error=outcome.error,
        checked_at=time.time(),
        attempts=attempts,
    )


async def _attempt(
    client: httpx.AsyncClient, url: str, settings: CheckSettings, limiter: _Limiter, use_get: bool
) -> _Outcome:
    """One pass over the redirect chain, each hop's destination checked by the guard first.

    Network errors and refusals become an outcome, not an exception; a refusal is final (no retry).
    """
    hops: list[tuple[int, str]] = []
    current = url
    try:
        for _ in range(MAX_REDIRECTS + 1):
            async with asyncio.timeout(settings.timeout):  # name resolution is bounded like a request
                await guard.check_destination(current, settings.allow)
            response, use_get = await _fetch(client, current, settings, limiter, use_get)
            location = response.headers.get("location")
            if response.status_code not in REDIRECT_STATUSES or not location:
                return _response_outcome(response, current, tuple(hops), use_get)
            current = urljoin(str(response.url), location)
            hops.append((response.status_code, current))
        return _Outcome(None, current, tuple(hops), f"too many redirects (more than {MAX_REDIRECTS})", use_get=use_get)
    except guard.Refused as exc:  # before this hop, or by the transport's backend at connect time
        return _Outcome(None, None, tuple(hops), guard.refusal_message(exc), use_get=use_get)
    except (httpx.HTTPError, httpx.InvalidURL, TimeoutError) as exc:
        message, retryable = _describe_error(exc, settings)
        return _Outcome(None, None, tuple(hops), message, retryable=retryable, use_get=use_get)


async def _fetch(
    client: httpx.AsyncClient, url: str, settings: CheckSettings, limiter: _Limiter, use_get: bool
) -> tuple[httpx.Response, bool]:
    """HEAD (cheap), falling back to GET when the server rejects or fumbles HEAD."""
    if not use_get:
        try:
            response = await _request(client, "HEAD", url, settings, limiter)
        except (httpx.RemoteProtocolError, httpx.ReadError):
            use_get = True  # some servers just hang up on HEAD
        else:
            if response.status_code not in HEAD_REJECTED_STATUSES:
                return response, False
            use_get = True
    return await _request(client, "GET", url, settings, limiter), use_get


async def _request(
    client: httpx.AsyncClient, method: str, url: str, settings: CheckSettings, limiter: _Limiter
) -> httpx.Response:
    """One request under both limits, with an overall deadline; the body is never read.

    Host slot first, then global slot: waiting for a busy host must not hold a global
    slot that another host could use. The deadline starts once slots are held, so
    queueing does not count as the server being slow.
    """
    async with limiter.host(url), limiter.total:
        async with asyncio.timeout(settings.timeout):
            response = await client.send(client.build_request(method, url), stream=True)
            await response.aclose()
    return response


def _response_outcome(
    response: httpx.Response, url: str, hops: tuple[tuple[int, str], ...], use_get: bool
) -> _Outcome:
    code = response.status_code
    reason = response.reason_phrase or httpx.codes.get_reason_phrase(code)
    error = None if 200 <= code < 300 else f"{code} {reason}".strip()
    retryable = code == 429 or code >= 500
    retry_after = parse_retry_after(response.headers.get("retry-after")) if code in RETRY_AFTER_STATUSES else None
    return _Outcome(code, url, hops, error, retryable=retryable, retry_after=retry_after, use_get=use_get)


def _describe_error(exc: Exception, settings: CheckSettings) -> tuple[str, bool]:
    """A message a contributor understands, and whether trying again could help."""
    detail = str(exc) or type(exc).__name__
    if isinstance(exc, (httpx.TimeoutException, TimeoutError)):
        return f"timed out after {settings.timeout:g}s", True
    if isinstance(exc, httpx.RemoteProtocolError):
        if "disconnected" in detail.lower():
            return "connection dropped: the server closed the connection without a response", True
        return f"protocol error: {detail}", True
    if isinstance(exc, httpx.ConnectError):
        return f"connection failed: {detail}", True
    if isinstance(exc, httpx.NetworkError):
        return f"connection error: {detail}", True
    return f"request failed: {detail}", False
