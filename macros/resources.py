"""Resources: the external links the notes cite, deduplicated, classified and checked for oddities.

Pure functions over ``Link`` objects (enrich stage for ``collect_resources``; the
``suspicious_links`` rules feed the check stage). No network here: external URLs are
checked on demand by ``linkcheck``.
"""
from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import SplitResult, parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from .model import Catalog, Exam, Link, Note, Problem, Service

# (kind, title) in the order the Resources page shows them.
KINDS: tuple[tuple[str, str], ...] = (
    ("documentation", "Official documentation"),
    ("training", "AWS training and exam guides"),
    ("blog", "Blog posts"),
    ("practice", "Practice tests"),
    ("community", "Community guides"),
    ("other", "Other"),
)
# First matching rule wins: (kind, host suffix, path prefix or "").
KIND_RULES: tuple[tuple[str, str, str], ...] = (
    ("practice", "certmetrics.com", ""),
    ("practice", "udemy.com", ""),
    ("practice", "braincert.com", ""),
    ("practice", "tutorialsdojo.com", ""),
    ("practice", "whizlabs.com", ""),
    ("blog", "aws.amazon.com", "/blogs/"),
    ("documentation", "docs.aws.amazon.com", ""),
    ("documentation", "sagemaker.readthedocs.io", ""),
    ("training", "aws.training", ""),
    ("training", "skillbuilder.aws", ""),
    ("training", "d1.awsstatic.com", "/training-and-certification/"),
    ("training", "aws.amazon.com", "/certification/"),
    ("training", "aws.amazon.com", "/training/"),
    ("community", "docs.google.com", ""),
    ("community", "github.com", ""),
    ("community", "medium.com", ""),
    ("community", "dev.to", ""),
)
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|ref|ref_src)$")


_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


@functools.lru_cache(maxsize=65536)  # a URL is split by several checks and pages, and cited many times
def _split(url: str) -> SplitResult | None:
    """``urlsplit`` of a URL whose host and port parse, else None: notes are written by hand, and a
    malformed URL ("https://host:port/", "https://[oops/") must be reported, not crash the build."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in 0..65535
    except ValueError:
        return None
    return parts


def _host(parts: SplitResult) -> str:
    return (parts.hostname or "").lower()


@functools.lru_cache(maxsize=65536)  # each URL is normalized by several rules and pages
def normalize_url(url: str) -> str:
    """The URL two citations share when they point at the same page (case, slash, tracking, fragment)."""
    parts = _split(url)
    if parts is None:
        return url.strip()  # malformed: only the very same text is the same URL
    scheme = parts.scheme.lower()
    host = _host(parts)
    if ":" in host:
        host = f"[{host}]"  # an IPv6 address keeps its brackets (its port follows them)
    if parts.port and not ((scheme == "http" and parts.port == 80) or (scheme == "https" and parts.port == 443)):
        host += f":{parts.port}"
    path = unquote(parts.path) or "/"
    if path != "/" and path.endswith("/"):
        path = path.rstrip("/")
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)))
    return urlunsplit(("https" if scheme in {"http", "https"} else scheme, host, path, query, ""))


def classify(url: str, label: str = "") -> str:
    """Kind of resource: official documentation, AWS training, blog post, practice test, community guide, other."""
    parts = _split(url)
    if parts is None:
        return "other"
    host = _host(parts)
    for kind, suffix, prefix in KIND_RULES:
        if (host == suffix or host.endswith("." + suffix)) and parts.path.startswith(prefix):
            return kind
    if re.search(r"\bpractice (test|exam)", label, re.I):
        return "practice"
    if "/blog" in parts.path or host.startswith("blog."):
        return "blog"
    return "other"


@dataclass
class Resource:
    """One external page the notes cite, however many times and under whatever labels."""

    url: str  # as first written
    key: str  # normalized URL
    kind: str
    citations: list[Link] = field(default_factory=list)
    domains: set[int] = field(default_factory=set)

    @property
    def labels(self) -> list[str]:
        return list(dict.fromkeys(c.label for c in self.citations if c.label and c.label != c.url))

    @property
    def hints(self) -> list[str]:
        return list(dict.fromkeys(h for c in self.citations for h in (c.title, c.context) if h))


def collect_resources(links: Iterable[Link], notes: Sequence[Note], catalog: Catalog | None,
                      exam: Exam | None = None) -> list[Resource]:
    """External links deduplicated by normalized URL; domains from the citing sections or the service named
    (its domains in ``exam``'s numbering; MLS-C01's without one)."""
    sections = {(note.slug, s.anchor): s for note in notes for s in note.sections}
    by_key: dict[str, Resource] = {}
    for link in links:
        if not link.is_external or link.is_image or _split(link.url) is None:
            continue  # a malformed URL is reported by suspicious_links; it cannot be a link on a page
        key = normalize_url(link.url)
        resource = by_key.get(key)
        if resource is None:
            resource = by_key[key] = Resource(link.url, key, classify(link.url, link.label))
        resource.citations.append(link)
        section = sections.get((link.note_slug, link.section_anchor))
        if section:
            resource.domains.update(section.domains)
    if catalog:
        index = _CatalogIndex(catalog)  # once per call: a lookup per link then costs the same at any catalog size
        for resource in by_key.values():
            # The service a link documents serves its domains wherever it is cited (a Data Wrangler page is
            # EDA even in a list of links); a label naming a service counts only for a link no section places.
            documented = docs_service(resource.url, index)
            if documented:
                resource.domains.update(documented.domains_in(exam) if exam else documented.domains)
            if not resource.domains:
                for service in (docs_service(resource.url, index), *(named_service(l, index) for l in resource.labels)):
                    if service:
                        resource.domains.update(service.domains_in(exam) if exam else service.domains)
    return list(by_key.values())


@functools.lru_cache(maxsize=65536)
def _docs_prefix(url: str) -> tuple[str, str]:
    parts = _split(url)
    if parts is None:
        return "", ""
    segments = [s for s in parts.path.split("/") if s]
    return _host(parts), segments[0].lower() if segments else ""


class _CatalogIndex:
    """Dictionaries over one catalog, so a lookup per link costs the same with 100 services or 1,000."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        owners: dict[tuple[str, str], list[Service]] = {}
        self.names: dict[str, tuple[int, Service]] = {}  # folded spelling -> (length, first longest owner)
        for service in catalog.services:
            owners.setdefault(_docs_prefix(service.docs_url), []).append(service)
            for name in service.names:
                known = self.names.get(name.casefold())
                if known is None or len(name) > known[0]:
                    self.names[name.casefold()] = (len(name), service)
        # Several SageMaker features share /sagemaker/: the main service is the answer then.
        self.docs = {prefix: min(services, key=lambda s: len(s.docs_url)) for prefix, services in owners.items()}
        self.named: dict[str, Service | None] = {}  # link label -> named_service (labels repeat across notes)


def docs_service(url: str, index: _CatalogIndex) -> Service | None:
    """The service whose documentation ``url`` belongs to (same docs host and first path segment)."""
    host, first = _docs_prefix(url)
    if host != "docs.aws.amazon.com" or not first:
        return None
    return index.docs.get((host, first))


def named_service(label: str, index: _CatalogIndex) -> Service | None:
    """The service a link label starts with ("SageMaker Endpoint Scaling" → SageMaker), longest name first."""
    if label not in index.named:
        if len(index.named) >= 65536:
            index.named.clear()
        index.named[label] = _named_service(label, index.names)
    return index.named[label]


def _named_service(label: str, names: dict[str, tuple[int, Service]]) -> Service | None:
    folded = label.casefold()
    best: tuple[int, Service] | None = None
    for end in range(1, len(folded) + 1):
        if end < len(folded) and (folded[end].isalnum() or folded[end] == "_"):
            continue  # a name must end at a word boundary of the label
        found = names.get(folded[:end])
        if found is not None and (best is None or found[0] > best[0]):
            best = found
    return best[1] if best else None


def _problem(note: Note, link: Link, message: str, code: str) -> Problem:
    return Problem(note.source, link.line, message, "finding", "link", code=code)


def suspicious_links(links: Sequence[Link], notes: Sequence[Note], catalog: Catalog | None) -> list[Problem]:
    """Links that are probably wrong, found without any network access."""
    by_slug = {n.slug: n for n in notes}
    external = [l for l in links if l.is_external and not l.is_image]
    problems: list[Problem] = []
    labels_by_url: dict[str, dict[str, Link]] = defaultdict(dict)
    urls_by_label: dict[str, dict[str, Link]] = defaultdict(dict)
    for link in external:
        key = normalize_url(link.url)
        if link.label and link.label != link.url:
            labels_by_url[key].setdefault(link.label.casefold(), link)  # "Udemy test" and "Udemy Test" are one label
            urls_by_label[link.label.casefold()].setdefault(key, link)
    for key, labels in labels_by_url.items():
        if len(labels) > 1:
            names = ", ".join(f"'{first.label}'" for first in labels.values())
            for link in list(labels.values())[1:]:
                problems.append(_problem(by_slug[link.note_slug], link, f"the same URL is cited under different labels ({names}): {link.url}", "link/suspicious-labels"))
    for label, urls in urls_by_label.items():
        if len(urls) > 1:
            for link in list(urls.values())[1:]:
                first = next(iter(urls.values()))
                problems.append(_problem(by_slug[link.note_slug], link,
                                         f"the label '{link.label}' points at different URLs: {link.url} here, {first.url} at line {first.line}", "link/suspicious-label"))
    if catalog:
        index = _CatalogIndex(catalog)
        for link in external:
            named, target = named_service(link.label, index), docs_service(link.url, index)
            if named and target and _docs_prefix(named.docs_url) != _docs_prefix(target.docs_url):
                problems.append(_problem(by_slug[link.note_slug], link,
                                         f"the label '{link.label}' names {named.name}, but the link points at "
                                         f"{target.name} documentation: {link.url}", "link/suspicious-service"))
    for link in external:
        parts = _split(link.url)
        if parts is None or not parts.hostname:
            problems.append(_problem(by_slug[link.note_slug], link, f"malformed URL: {link.url}", "link/malformed"))
        elif link.url.startswith("http://") and _host(parts) not in _LOCAL_HOSTS:
            problems.append(_problem(by_slug[link.note_slug], link, f"insecure link: use https:// for {link.url}", "link/insecure"))
    problems += _repeated_link_lists(external, by_slug)
    return problems


def _repeated_link_lists(links: Sequence[Link], by_slug: dict[str, Note], minimum: int = 2) -> list[Problem]:
    """A run of consecutive links that appears twice in one note (a copied link list)."""
    problems = []
    per_note: dict[str, list[Link]] = defaultdict(list)
    for link in links:
        per_note[link.note_slug].append(link)
    for slug, note_links in per_note.items():
        keys = [normalize_url(l.url) for l in note_links]
        seen_at: dict[str, list[int]] = defaultdict(list)  # URL -> its earlier positions: a repeat starts at one
        reported_until = -1
        for start in range(len(keys)):
            earlier_same = list(seen_at[keys[start]])
            seen_at[keys[start]].append(start)
            if start <= reported_until:
                continue
            for earlier in earlier_same:
                length = 0
                while (start + length < len(keys) and earlier + length < start
                       and keys[earlier + length] == keys[start + length]):
                    length += 1
                if length >= minimum:
                    first, repeat = note_links[earlier], note_links[start]
                    problems.append(_problem(by_slug[slug], repeat,
                                             f"a list of {length} links repeats the list at line {first.line} "
                                             f"(lines {repeat.line}–{note_links[start + length - 1].line})", "link/repeated-list"))
                    reported_until = start + length - 1
                    break
    return problems
