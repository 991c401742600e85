"""External link checker: a pure library, no MkDocs.

Checks http(s) URLs concurrently with httpx, politely (a per-host limit on top of a
global one, retries with exponential back-off, ``Retry-After`` honoured) and
cheaply (a persistent JSON cache of recent successes, so a rebuild does not hammer
hundreds of documentation sites).

Public API: :class:`UrlStatus`, :class:`CheckSettings`, :func:`check_urls`,
:func:`write_report`, :func:`read_report`, plus :func:`parse_retry_after`.

Notes for callers:

* Only ``http``/``https`` URLs with a host are checked. Anything else (``mailto:``,
  relative paths, ``ftp:``) is *skipped*: it does not appear in the result.
* Each distinct URL string is checked once, whatever the number of notes using it.
* The cache only ever saves work for successes: a URL whose last result was a
  failure is checked again on the next run, so a fixed link never stays "broken".
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import email.utils
import json
import logging
import math
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, TextIO, TypeVar
from urllib.parse import urljoin, urlsplit

import httpx

logger = logging.getLogger(__name__)

_T = TypeVar("_T")

#: Version of the JSON layout shared by the cache and the report.
FORMAT_VERSION = 1
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


@dataclass(frozen=True)
class UrlStatus:
    """Outcome of checking one URL (or of reusing a cached check)."""

    url: str
    ok: bool
    status: int | None  # final HTTP status, None when no response (timeout, connection error)
    final_url: str | None  # after redirects
    redirects: tuple[tuple[int, str], ...]  # (status, absolute location) per hop
    permanent_redirect: bool  # any 301/308 hop: suggest final_url as the new URL
    error: str | None  # human message: "404 Not Found", "timed out after 10s", ...
    checked_at: float  # epoch seconds of the actual check (kept when reused from cache)
    from_cache: bool = False
    attempts: int = 1  # attempts made by the check that produced this status


@dataclass(frozen=True)
class CheckSettings:
    """Knobs of a check run; tests shrink the timings to keep runs fast."""

    timeout: float = 10.0
    retries: int = 2  # extra attempts for timeouts, connection errors, 429 and 5xx
    backoff: float = 0.5  # seconds, doubled per retry
    max_retry_after: float = 30.0  # cap on honoured Retry-After (seconds or HTTP date)
    per_host: int = 2  # concurrent requests per host
    concurrency: int = 16  # total
    cache_max_age: float = 86400.0
    user_agent: str = "studyguide-linkcheck/1.0"

    def __post_init__(self) -> None:
        # Fail at construction: a zero semaphore would hang the run instead of erroring.
        if self.per_host < 1 or self.concurrency < 1:
            raise ValueError("per_host and concurrency must be at least 1")
        if self.retries < 0 or self.timeout <= 0:
            raise ValueError("retries must be >= 0 and timeout > 0")


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
    are reused without a request. With ``cache_path`` the cache is updated
    atomically afterwards. ``progress=None`` shows a counter only when stderr is a
    TTY. ``transport`` (e.g. for tests or proxies) is closed when the run ends,
    because its pooled connections belong to the run's event loop.

    A sync wrapper so MkDocs hooks and scripts need no asyncio; when called from a
    running event loop it runs the check in a worker thread instead of failing.
    """
    wanted = _distinct_checkable(urls)
    cache = load_cache(cache_path) if cache_path is not None else {}
    now = time.time()
    reused = {u: replace(cache[u], from_cache=True) for u in wanted if _is_fresh(cache.get(u), now, settings)}
    to_check = [u for u in wanted if u not in reused]
    show = sys.stderr.isatty() if progress is None else progress
    checked = _run_sync(lambda: _check_all(to_check, settings, transport, _Progress(len(to_check), show)))
    if cache_path is not None:
        _save_cache(cache_path, cache, checked, now, settings)
    return {u: reused[u] if u in reused else checked[u] for u in wanted}


def write_report(statuses: Mapping[str, UrlStatus], path: Path) -> None:
    """Write a JSON report (atomically, so a reader never sees half a file)."""
    _write_json_atomic(path, _document(statuses))


def read_report(path: Path) -> dict[str, UrlStatus]:
    """Read a report written by :func:`write_report`; raise ``ValueError`` if malformed."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    entries = _entries_of(data)
    try:
        return {url: _status_from_json(url, raw) for url, raw in entries.items()}
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{path}: malformed link report entry: {exc}") from exc


def load_cache(path: Path) -> dict[str, UrlStatus]:
    """Read the cache, tolerating absence and corruption (a cache is never worth a crash)."""
    try:
        raw_bytes = Path(path).read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        logger.warning("link cache %s unreadable, ignoring it: %s", path, exc)
        return {}
    try:
        entries = _entries_of(json.loads(raw_bytes.decode("utf-8")))
    except ValueError as exc:  # includes JSONDecodeError and UnicodeDecodeError
        logger.warning("link cache %s is corrupt, ignoring it: %s", path, exc)
        return {}
    statuses: dict[str, UrlStatus] = {}
    for url, raw in entries.items():
        try:
            statuses[url] = _status_from_json(url, raw)
        except (KeyError, TypeError, ValueError) as exc:
            logger.warning("link cache %s: ignoring malformed entry for %s: %s", path, url, exc)
    return statuses


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


# --------------------------------------------------------------------------- selection & cache


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


def _is_fresh(cached: UrlStatus | None, now: float, settings: CheckSettings) -> bool:
    """Only successes are reused; a checked_at in the future (clock skew) counts as stale."""
    if cached is None or not cached.ok:
        return False
    age = now - cached.checked_at
    return 0 <= age < settings.cache_max_age


def _save_cache(
    path: Path, old: Mapping[str, UrlStatus], checked: Mapping[str, UrlStatus], now: float, settings: CheckSettings
) -> None:
    """Merge this run's checks into the cache; drop stale entries of URLs not seen.

    Entries for URLs not in this run are kept while fresh (another page set may use
    them) but pruned once stale, so removed links do not accumulate forever.
    """
    merged = {u: s for u, s in old.items() if u in checked or _is_fresh(s, now, settings)}
    merged.update(checked)
    try:
        _write_json_atomic(path, _document(merged))
    except OSError as exc:
        logger.warning("could not write link cache %s: %s", path, exc)


def _document(statuses: Mapping[str, UrlStatus]) -> dict[str, Any]:
    """The JSON layout shared by cache and report, with a summary for humans."""
    values = list(statuses.values())
    return {
        "version": FORMAT_VERSION,
        "generated_at": time.time(),
        "summary": {
            "urls": len(values),
            "ok": sum(s.ok for s in values),
            "failing": sum(not s.ok for s in values),
            "permanent_redirects": sum(s.permanent_redirect for s in values),
        },
        "urls": {url: _status_to_json(statuses[url]) for url in sorted(statuses)},
    }


def _entries_of(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION or not isinstance(data.get("urls"), dict):
        raise ValueError(f"not a version {FORMAT_VERSION} link-check file")
    return data["urls"]


def _status_to_json(status: UrlStatus) -> dict[str, Any]:
    raw = asdict(status)
    del raw["url"]  # it is the key
    raw["redirects"] = [list(hop) for hop in status.redirects]
    return raw


def _status_from_json(url: str, raw: Mapping[str, Any]) -> UrlStatus:
    """Rebuild a status, checking types: a cache edited by hand must not poison a run."""
    status = raw["status"]
    if status is not None and not isinstance(status, int):
        raise TypeError("status must be an integer or null")
    redirects = tuple((int(code), str(loc)) for code, loc in raw["redirects"])
    return UrlStatus(
        url=url,
        ok=_as_bool(raw["ok"]),
        status=status,
        final_url=None if raw["final_url"] is None else str(raw["final_url"]),
        redirects=redirects,
        permanent_redirect=_as_bool(raw["permanent_redirect"]),
        error=None if raw["error"] is None else str(raw["error"]),
        checked_at=float(raw["checked_at"]),
        from_cache=_as_bool(raw.get("from_cache", False)),
        attempts=int(raw.get("attempts", 1)),
    )


def _as_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected true/false, got {value!r}")
    return value


def _write_json_atomic(path: Path, data: Any) -> None:
    """Temp file in the same directory + ``os.replace``: readers see old or new, never half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2, ensure_ascii=False)
            fh.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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


async def _check_all(
    urls: list[str], settings: CheckSettings, transport: httpx.AsyncBaseTransport | None, progress: _Progress
) -> dict[str, UrlStatus]:
    if not urls:
        return {}
    limiter = _Limiter(settings)
    async with _make_client(settings, transport) as client:

        async def one(url: str) -> UrlStatus:
            status = await _check_one(client, url, settings, limiter)
            progress.update(status)
            return status

        results = await asyncio.gather(*(one(u) for u in urls))
    return {s.url: s for s in results}


def _make_client(settings: CheckSettings, transport: httpx.AsyncBaseTransport | None) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=transport,
        timeout=httpx.Timeout(settings.timeout),
        follow_redirects=False,  # followed by hand to record each hop and limit per host
        headers={"User-Agent": settings.user_agent, "Accept": "*/*"},
        limits=httpx.Limits(max_connections=settings.concurrency, max_keepalive_connections=settings.concurrency),
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
    """Attempt, and retry transient failures with back-off (or the server's Retry-After)."""
    use_get = False
    attempt = 0
    while True:
        attempt += 1
        outcome = await _attempt(client, url, settings, limiter, use_get)
        use_get = outcome.use_get
        if not outcome.retryable or attempt > settings.retries:
            return _to_status(url, outcome, attempt)
        await asyncio.sleep(_retry_delay(outcome, attempt, settings))


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
    """One pass over the redirect chain; network errors become an outcome, not an exception."""
    hops: list[tuple[int, str]] = []
    current = url
    try:
        for _ in range(MAX_REDIRECTS + 1):
            response, use_get = await _fetch(client, current, settings, limiter, use_get)
            location = response.headers.get("location")
            if response.status_code not in REDIRECT_STATUSES or not location:
                return _response_outcome(response, current, tuple(hops), use_get)
            current = urljoin(str(response.url), location)
            hops.append((response.status_code, current))
        return _Outcome(None, current, tuple(hops), f"too many redirects (more than {MAX_REDIRECTS})", use_get=use_get)
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
