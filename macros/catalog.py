"""Catalog stage: ``domains.yml`` and ``services.yml`` → validated, frozen model objects.

Catalog files are edited by contributors, so every error names the file and line and
says what is accepted. Catalog errors are fatal (``CatalogError``): a guide built from a
broken outline or glossary would mislead every page.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from .model import Catalog, Domain, Exam, Service, SourcedFact, Task


class CatalogError(ValueError):
    """A catalog file is invalid: ``file`` (as shown), ``line`` (None when unknown) and ``message``;
    ``str()`` is "file:line: message", as it is logged."""

    def __init__(self, file: str, line: int | None, message: str) -> None:
        self.file, self.line, self.message = file, line, message
        super().__init__(f"{file}:{line}: {message}" if line else f"{file}: {message}")


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that remembers the line each mapping starts on (key ``__line__``)."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    # YAML keeps the last of two equal keys: a field written twice in one entry (a second
    # "aliases:") would silently drop the first. Reject it, naming both lines.
    first_line: dict[Any, int] = {}
    for key_node, _value in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
            key = loader.construct_object(key_node)
            if key in first_line:
                raise yaml.constructor.ConstructorError(
                    None, None, f"'{key}' is written twice in one entry (first at line {first_line[key]})",
                    key_node.start_mark)
            first_line[key] = key_node.start_mark.line + 1
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class _FastLineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same on libyaml (~7x faster: services.yml is read on every build); a file it rejects is
    read again by ``_LineLoader``, whose messages name the problem better."""


_FastLineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def slugify(text: str) -> str:
    """URL- and anchor-safe slug: ASCII, lower case, hyphens."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _read_yaml(path: Path, shown: str) -> Any:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CatalogError(shown, None, f"cannot be read: {exc.strerror}") from exc
    try:
        return yaml.load(text, Loader=_FastLineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError:
        pass
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise CatalogError(shown, mark.line + 1 if mark else None,
                           f"not valid YAML: {getattr(exc, 'problem', exc)}") from exc


class _Entry:
    """Typed access to one YAML mapping, with errors that name file, line and field."""

    def __init__(self, data: Any, shown: str, what: str, line: int | None = None) -> None:
        if not isinstance(data, dict):
            raise CatalogError(shown, line or 1, f"{what} must be a mapping, got {type(data).__name__}")
        self.data = data
        self.shown = shown
        self.line = data.get("__line__", line)
        self.what = what

    def fail(self, message: str) -> CatalogError:
        return CatalogError(self.shown, self.line, f"{self.what}: {message}")

    def text(self, key: str, required: bool = True) -> str:
        value = self.data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise self.fail(f"'{key}' is required")
            return ""
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise self.fail(f"'{key}' must be text, got {type(value).__name__}")
        return str(value).strip()

    def integer(self, key: str) -> int:
        value = self.data.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.fail(f"'{key}' must be a whole number, got {value!r}")
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
            raise self.fail(f"'{key}' must be a list of text")
        return tuple(str(v).strip() for v in value if str(v).strip())

    def mappings(self, key: str) -> list[Any]:
        value = self.data.get(key)
        if not isinstance(value, list) or not value:
            raise self.fail(f"'{key}' must be a non-empty list")
        return value


def load_exam(path: Path, shown: str = "seeds/domains.yml") -> Exam:
    """Read the exam outline: exam facts and the domains with their task statements."""
    root = _Entry(_read_yaml(path, shown), shown, "file", 1)
    exam = _Entry(root.data.get("exam"), shown, "exam", root.line)
    domains: list[Domain] = []
    seen_tasks: dict[str, int] = {}
    for raw in root.mappings("domains"):
        entry = _Entry(raw, shown, "domain")
        number = entry.integer("number")
        name = entry.text("name")
        entry.what = f"domain {number}"
        if any(d.number == number for d in domains):
            raise entry.fail(f"domain number {number} is used twice")
        weight = entry.integer("weight")
        tasks = []
        for raw_task in entry.mappings("tasks"):
            task = _Entry(raw_task, shown, f"task of domain {number}", entry.line)
            task_id, text = task.text("id"), task.text("text")
            if task_id in seen_tasks:
                raise task.fail(f"task {task_id} is listed twice (first at line {seen_tasks[task_id]})")
            seen_tasks[task_id] = task.line
            tasks.append(Task(task_id, text))
        domains.append(
            Domain(
                number=number,
                name=name,
                slug=slugify(name),
                weight=weight,
                tasks=tuple(tasks),
                keywords=entry.texts("keywords"),
                concepts=entry.texts("concepts"),
            )
        )
    total = sum(d.weight for d in domains)
    if total != 100:
        raise root.fail(f"domain weights add up to {total} %, not 100 %")
    durations = []
    for raw in exam.data.get("durations") or []:
        fact = _Entry(raw, shown, "exam duration", exam.line)
        durations.append(SourcedFact(fact.text("value"), fact.text("source")))
    retired = exam.data.get("retired")
    if retired is not None and not isinstance(retired, dt.date):
        raise exam.fail(f"'retired' must be a date like 2026-03-31, got {retired!r}")
    return Exam(
        code=exam.text("code"),
        name=exam.text("name"),
        questions=exam.integer("questions"),
        question_types=exam.texts("question_types"),
        score_scale=exam.text("score_scale"),
        passing_score=exam.integer("passing_score"),
        durations=tuple(durations),
        retired=retired,
        exam_guide_url=exam.text("exam_guide_url", required=False),
        domains=tuple(sorted(domains, key=lambda d: d.number)),
    )


def load_catalog(path: Path, domain_numbers: set[int] | None = None, shown: str = "seeds/services.yml") -> Catalog:
    """Read the service catalog; reject duplicate names/aliases, naming both entries."""
    root = _Entry(_read_yaml(path, shown), shown, "file", 1)
    categories: list[str] = []
    category_titles: dict[str, str] = {}
    for raw in root.mappings("categories"):
        entry = _Entry(raw, shown, "category")
        key = entry.text("key")
        if key in category_titles:
            raise entry.fail(f"category '{key}' is listed twice")
        categories.append(key)
        category_titles[key] = entry.text("title")
    services: list[Service] = []
    owner_of: dict[str, tuple[str, int]] = {}  # folded spelling -> (service name, line)
    keys: dict[str, int] = {}
    for raw in root.mappings("services"):
        entry = _Entry(raw, shown, "service")
        name = entry.text("name")
        entry.what = f"service '{name}'"
        category = entry.text("category")
        if category not in category_titles:
            raise entry.fail(f"unknown category '{category}'; known: {', '.join(categories)}")
        domains = tuple(int(d) for d in entry.texts("domains") if str(d).isdigit())
        if len(domains) != len(entry.texts("domains")) or (
            domain_numbers is not None and not set(domains) <= domain_numbers
        ):
            raise entry.fail(f"'domains' must list domain numbers {sorted(domain_numbers or [])}, got {entry.data.get('domains')!r}")
        docs = entry.text("docs")
        if not docs.startswith("https://"):
            raise entry.fail(f"'docs' must be an https:// URL, got {docs!r}")
        aliases = entry.texts("aliases")
        needs_context = entry.texts("needs_context")
        stray = [word for word in needs_context if word not in aliases]
        if stray:
            raise entry.fail(f"'needs_context' words must also be aliases: {', '.join(stray)}")
        service = Service(
            key=entry.text("key", required=False) or slugify(name),
            name=name,
            category=category,
            summary=" ".join(entry.text("summary").split()),
            docs_url=docs,
            domains=domains,
            aliases=aliases,
            former_names=entry.texts("former_names"),
            misspellings=entry.texts("misspellings"),
            needs_context=needs_context,
            line=entry.line,
        )
        if service.key in keys:
            raise entry.fail(f"key '{service.key}' is already used by the entry at line {keys[service.key]}")
        keys[service.key] = entry.line
        for spelling in service.names:
            folded = spelling.casefold()
            if folded in owner_of:
                other, other_line = owner_of[folded]
                where = "this entry" if other == name else f"'{other}' at line {other_line}"
                raise entry.fail(f"the name or alias '{spelling}' is already used by {where}")
            owner_of[folded] = (name, entry.line)
        services.append(service)
    return Catalog(categories=tuple(categories), services=tuple(services), category_titles=category_titles)
