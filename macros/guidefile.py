"""A person's own guide: ``studyguide.yml`` beside the notes, read once and validated like the catalog.

The file lies in the notes folder or in the folder above it (the nearer wins); it never comes from anywhere
else, and a symlink that leads out of those two folders is refused. What it may set (README, "Your own guide"):
``exam``, ``site_name``, ``repo_url``, ``edit_uri``, ``site_url``, extra catalog ``services`` and ``spellings``,
``accepted`` findings and ``scenarios`` pairs. ``read_settings`` turns environment + file + mkdocs.yml into the
build's ``Settings``; ``merge_catalog`` lays the person's entries over the default catalog.
"""
from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .catalog import OWN_CATEGORY, OWN_CATEGORY_TITLE, CatalogError, _Entry, _read_yaml, service_entry
from .model import Catalog, Service
from .settings import Settings

GUIDE_FILE = "studyguide.yml"
_TOP_KEYS = {"exam", "site_name", "repo_url", "edit_uri", "site_url", "services", "spellings", "accepted", "scenarios"}
_SPELLING_KEYS = {"service", "aliases", "misspellings", "needs_context"}


@dataclass(frozen=True)
class Spellings:
    """Extra spellings of an existing catalog service, named by ``service`` (any of its spellings)."""

    service: str
    aliases: tuple[str, ...] = ()
    misspellings: tuple[str, ...] = ()
    needs_context: tuple[str, ...] = ()
    line: int | None = None


@dataclass(frozen=True)
class GuideFile:
    """A validated ``studyguide.yml``. ``accepted`` and ``scenarios`` stay as read (mappings with ``__line__``):
    the check stage and ``scenarios`` validate them, as they do their own files."""

    path: Path
    shown: str  # as messages name it
    exam: str = ""
    site_name: str = ""
    repo_url: str = ""
    edit_uri: str = ""
    site_url: str = ""
    services: tuple[Service, ...] = ()
    spellings: tuple[Spellings, ...] = ()
    accepted: tuple[Any, ...] = ()
    scenarios: tuple[Any, ...] = ()


def find_guide_file(notes_dir: Path) -> Path | None:
    """``studyguide.yml`` in ``notes_dir`` or its parent (the nearer wins), else None. A symlink is followed
    only when it stays inside those folders: a notes folder from a stranger must not read a file elsewhere."""
    notes_dir = Path(notes_dir)
    allowed = [notes_dir.resolve(), notes_dir.resolve().parent]
    for folder in (notes_dir, notes_dir.parent):
        candidate = folder / GUIDE_FILE
        if not (candidate.is_symlink() or candidate.exists()):
            continue
        target = candidate.resolve()
        if not any(target.parent == place for place in allowed) or not target.is_file():
            raise CatalogError(str(candidate), None, f"is a link to {target}, outside the notes folder and the "
                               "folder above it: copy the file there instead")
        return candidate
    return None


def _url(entry: _Entry, key: str) -> str:
    value = entry.text(key, required=False)
    if value and not value.startswith(("https://", "http://")):
        raise entry.fail(f"'{key}' must be an http(s):// URL, got {value!r}", entry.data.key_lines.get(key))
    return value


def _entries(entry: _Entry, key: str) -> list[Any]:
    value = entry.data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise entry.fail(f"'{key}' must be a list", entry.data.key_lines.get(key))
    return value


def read_guide_file(path: Path, shown: str | None = None) -> GuideFile:
    """Read and validate ``path``; a wrong key or value is a ``CatalogError`` naming the file and line."""
    shown = shown or str(path)
    data = _read_yaml(path, shown)
    if data is None:
        return GuideFile(path=path, shown=shown)
    root = _Entry(data, shown, "file", 1)
    root.only(_TOP_KEYS)
    services = tuple(service_entry(_Entry(raw, shown, "service", root.line), None, None, None, required=())
                     for raw in _entries(root, "services"))
    spellings = []
    for raw in _entries(root, "spellings"):
        entry = _Entry(raw, shown, "spellings entry", root.line)
        entry.only(_SPELLING_KEYS)
        spellings.append(Spellings(entry.text("service"), entry.texts("aliases"), entry.texts("misspellings"),
                                   entry.texts("needs_context"), entry.line))
    return GuideFile(
        path=path, shown=shown, exam=root.text("exam", required=False), site_name=root.text("site_name", required=False),
        repo_url=_url(root, "repo_url"), edit_uri=root.text("edit_uri", required=False), site_url=_url(root, "site_url"),
        services=services, spellings=tuple(spellings),
        accepted=tuple(_entries(root, "accepted")), scenarios=tuple(_entries(root, "scenarios")))


def read_settings(environ: Mapping[str, str], config_values: Mapping[str, Any] | None = None, *, root: Path,
                  serving: bool = False) -> Settings:
    """The build's ``Settings``: the environment, over the notes' ``studyguide.yml`` (if any), over mkdocs.yml."""
    notes_dir = Settings.notes_dir_from(environ, root)
    path = find_guide_file(notes_dir) if notes_dir.is_dir() else None
    guide = read_guide_file(path, _shown(path, root)) if path is not None else None
    return Settings.from_env(environ, config_values, root=root, serving=serving, guide=guide)


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def merge_catalog(base: Catalog, base_shown: str, guide: GuideFile | None, domain_numbers: set[int]) -> Catalog:
    """``base`` with the person's ``services`` added and ``spellings`` laid over existing services. A spelling
    that two entries claim is an error naming both places."""
    if guide is None or not (guide.services or guide.spellings):
        return base
    shown = guide.shown
    owner: dict[str, tuple[str, str]] = {}  # folded spelling -> (service name, "file:line")
    for service in base.services:
        for spelling in service.names:
            owner.setdefault(spelling.casefold(), (service.name, f"{base_shown}:{service.line}"))
    services = {service.name: service for service in base.services}
    keys = {service.key for service in base.services}

    def claim(spellings: tuple[str, ...], name: str, line: int | None) -> None:
        for spelling in spellings:
            other = owner.get(spelling.casefold())
            if other is not None and other[0] != name:
                raise CatalogError(shown, line, f"'{spelling}' (for '{name}') is already a spelling of '{other[0]}' "
                                   f"at {other[1]}")
            owner[spelling.casefold()] = (name, f"{shown}:{line}")

    for extra in guide.spellings:
        target = _service_named(extra, base.services, shown)
        claim((*extra.aliases, *extra.misspellings), target.name, extra.line)
        stray = [w for w in extra.needs_context if w not in (*target.aliases, *extra.aliases)]
        if stray:
            raise CatalogError(shown, extra.line, f"'needs_context' words must also be aliases: {', '.join(stray)}")
        services[target.name] = dataclasses.replace(
            services[target.name], aliases=services[target.name].aliases + extra.aliases,
            misspellings=services[target.name].misspellings + extra.misspellings,
            needs_context=services[target.name].needs_context + extra.needs_context)
    for service in guide.services:
        if not set(service.domains) <= domain_numbers:
            raise CatalogError(shown, service.line, f"service '{service.name}': 'domains' must list domain numbers "
                               f"{sorted(domain_numbers)}, got {list(service.domains)}")
        if service.category != OWN_CATEGORY and service.category not in base.category_titles:
            raise CatalogError(shown, service.line, f"service '{service.name}': unknown category "
                               f"'{service.category}'; known: {', '.join(base.categories)}")
        if service.key in keys:
            raise CatalogError(shown, service.line, f"service '{service.name}': its key '{service.key}' is already used")
        claim(service.names, service.name, service.line)
        keys.add(service.key)
        services[service.name] = service
    categories = base.categories
    titles = dict(base.category_titles)
    if any(s.category == OWN_CATEGORY for s in services.values()) and OWN_CATEGORY not in categories:
        categories += (OWN_CATEGORY,)
        titles[OWN_CATEGORY] = OWN_CATEGORY_TITLE
    return Catalog(categories=categories, services=tuple(services.values()), category_titles=titles)


def _service_named(extra: Spellings, services: tuple[Service, ...], shown: str) -> Service:
    wanted = extra.service.casefold()
    for service in services:
        if wanted in (n.casefold() for n in service.names):
            return service
    guess = difflib.get_close_matches(extra.service, [s.name for s in services], n=1)
    hint = f" (did you mean '{guess[0]}'?)" if guess else ""
    raise CatalogError(shown, extra.line, f"spellings for '{extra.service}': no such service in the catalog{hint}")
