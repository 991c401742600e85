"""The link checker's data: a URL's status and the knobs of a run (no I/O, no httpx)."""
from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass, field
from urllib.parse import urlsplit

#: Error of a URL the run's deadline cut off: not a verdict on the link, so never cached.
DEADLINE_ERROR = "not checked: deadline reached"


@dataclass(frozen=True)
class UrlStatus:
    """Outcome of checking one URL (or of reusing a cached check)."""

    url: str
    ok: bool
    status: int | None  # final HTTP status, None when no response (timeout, connection error, refusal)
    final_url: str | None  # after redirects
    redirects: tuple[tuple[int, str], ...]  # (status, absolute location) per hop
    permanent_redirect: bool  # any 301/308 hop: suggest final_url as the new URL
    error: str | None  # human message: "404 Not Found", "timed out after 10s", "refused: ...", ...
    checked_at: float  # epoch seconds of the actual check (kept when reused from cache)
    from_cache: bool = False
    attempts: int = 1  # attempts made by the check that produced this status (0: never fetched)


@dataclass(frozen=True)
class CheckSettings:
    """Knobs of a run; tests shrink the timings to keep runs fast.

    ``allow`` holds the (host, port) pairs that may be reached although they are not public
    addresses (a maintainer's test server); see :func:`parse_allow_list`. Everything else that
    is loopback, private, link-local, etc. is refused before any connection is made.
    """

    timeout: float = 10.0  # per request
    retries: int = 2  # extra attempts for timeouts, connection errors, 429 and 5xx
    backoff: float = 0.5  # seconds, doubled per retry
    max_retry_after: float = 30.0  # cap on honoured Retry-After (seconds or HTTP date)
    max_url_time: float = 60.0  # no retry starts for a URL once its attempts and waits would pass this
    deadline: float = 120.0  # the whole run: URLs unfinished by then are "not checked: deadline reached"
    per_host: int = 2  # concurrent requests per host
    concurrency: int = 16  # total
    cache_max_age: float = 86400.0
    user_agent: str = "studyguide-linkcheck/1.0"
    allow: frozenset[tuple[str, int]] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        # Fail at construction: a zero semaphore would hang the run instead of erroring.
        if self.per_host < 1 or self.concurrency < 1:
            raise ValueError("per_host and concurrency must be at least 1")
        if self.retries < 0 or self.timeout <= 0:
            raise ValueError("retries must be >= 0 and timeout > 0")
        if not (0 < self.deadline < math.inf and 0 < self.max_url_time < math.inf):  # NaN fails too
            raise ValueError("deadline and max_url_time must be finite numbers of seconds above 0")
        object.__setattr__(self, "allow", frozenset((normal_host(host), port) for host, port in self.allow))


def normal_host(host: str) -> str:
    """One spelling per host, so an allow-list entry and a URL compare equal: lower case, IPs canonical."""
    host = host.strip("[]").lower()
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return host


def parse_allow_list(text: str) -> frozenset[tuple[str, int]]:
    """``"127.0.0.1:8765, [::1]:8000, localhost:8080"`` → {(host, port)}; a port is required.

    Raises ``ValueError`` naming the entry that is not ``host:port``.
    """
    pairs: set[tuple[str, int]] = set()
    for entry in filter(None, (part.strip() for part in text.split(","))):
        try:
            parts = urlsplit(f"//{entry}")
            host, port = parts.hostname, parts.port
        except ValueError:
            host = port = None
        if not host or port is None or parts.username is not None or parts.path or parts.query:
            raise ValueError(f"{entry!r} is not host:port (e.g. 127.0.0.1:8765 or [::1]:8765)")
        pairs.add((normal_host(host), port))
    return frozenset(pairs)
