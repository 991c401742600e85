"""External link checker: a pure library, no MkDocs, and no environment of its own (callers pass settings).

Checks http(s) URLs concurrently with httpx, politely, within a deadline, cheaply (a
persistent JSON cache of recent successes, so a rebuild does not hammer hundreds of
documentation sites) and safely: it never reaches loopback, private, link-local or other
non-public addresses unless ``CheckSettings.allow`` names the host and port.

Modules: :mod:`.model` (statuses, settings), :mod:`.guard` (address policy, guarded
transport), :mod:`.cache` (cache and report files), :mod:`.client` (the run).

Notes for callers:

* Only ``http``/``https`` URLs with a host are checked. Anything else (``mailto:``,
  relative paths, ``ftp:``) is *skipped*: it does not appear in the result.
* Each distinct URL string is checked once, whatever the number of notes using it.
* A refused URL is a failing status (``error="refused: 10.0.0.1 is a private address"``),
  never a request; one cut off by the deadline says ``not checked: deadline reached``.
* The cache only ever saves work for successes: a URL whose last result was a
  failure is checked again on the next run, so a fixed link never stays "broken".
"""
from __future__ import annotations

from .cache import FORMAT_VERSION, load_cache, read_report, report_json, write_report
from .client import check_urls, parse_retry_after
from .guard import Refused, address_problem, guarded_transport
from .model import DEADLINE_ERROR, CheckSettings, UrlStatus, parse_allow_list

__all__ = ["DEADLINE_ERROR", "FORMAT_VERSION", "CheckSettings", "Refused", "UrlStatus", "address_problem",
           "check_urls", "guarded_transport", "load_cache", "parse_allow_list", "parse_retry_after", "read_report",
           "report_json", "write_report"]
