"""The JSON file shared by the cache and the report: read, written atomically, and the cache's reuse rule.

The cache only ever saves work for successes: a URL whose last result was a failure is
checked again on the next run, so a fixed link never stays "broken". A run's deadline
statuses are not results at all, so they are never written to the cache.
"""
from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .model import DEADLINE_ERROR, CheckSettings, UrlStatus

logger = logging.getLogger(__package__)

#: Version of the JSON layout shared by the cache and the report.
FORMAT_VERSION = 1


def write_report(statuses: Mapping[str, UrlStatus], path: Path) -> None:
    """Write a JSON report (atomically, so a reader never sees half a file)."""
    _write_json_atomic(path, _document(statuses))


def report_json(statuses: Mapping[str, UrlStatus]) -> str:
    """The report of ``statuses`` as :func:`write_report` writes it (the build publishes this text)."""
    return json.dumps(_document(statuses), indent=2, ensure_ascii=False) + "\n"


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


def is_fresh(cached: UrlStatus | None, now: float, settings: CheckSettings) -> bool:
    """Only successes are reused; a checked_at in the future (clock skew) counts as stale."""
    if cached is None or not cached.ok:
        return False
    age = now - cached.checked_at
    return 0 <= age < settings.cache_max_age


def save_cache(
    path: Path, old: Mapping[str, UrlStatus], checked: Mapping[str, UrlStatus], now: float, settings: CheckSettings
) -> None:
    """Merge this run's checks into the cache; drop stale entries of URLs not seen.

    Entries for URLs not in this run are kept while fresh (another page set may use
    them) but pruned once stale, so removed links do not accumulate forever. URLs the
    deadline cut off keep whatever the cache had.
    """
    merged = {u: s for u, s in old.items() if u in checked or is_fresh(s, now, settings)}
    merged.update({u: s for u, s in checked.items() if s.error != DEADLINE_ERROR})
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
