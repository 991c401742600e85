"""Catalog stage: ``exams/<code>.yml`` and ``services.yml`` → validated, frozen model objects.

Catalog files are edited by contributors, so every error names the file and line and
says what is accepted. Catalog errors are fatal (``CatalogError``): a guide built from a
broken outline or glossary would mislead every page.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Collection
from pathlib import Path
from typing import Any

import yaml

from .model import Catalog, Domain, DomainLink, Exam, Service, SourcedFact, Task


class CatalogError(ValueError):
    """A catalog file is invalid: ``file`` (as shown), ``line`` (None when unknown) and ``message``;
    ``str()`` is "file:line: message", as it is logged."""

    def __init__(self, file: str, line: int | None, message: str) -> None:
        self.file, self.line, self.message = file, line, message
        super().__init__(f"{file}:{line}: {message}" if line else f"{file}: {message}")


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that remembers the line each mapping starts on (key ``__line__``)."""


class _Mapping(dict):  # type: ignore[type-arg]
    """A YAML mapping that also knows the line of each of its keys (``key_lines``)."""

    key_lines: dict[Any, int]


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
    mapping = _Mapping(loader.construct_mapping(node, deep=True))
    mapping.key_lines = first_line
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

    def fail(self, message: str, line: int | None = None) -> CatalogError:
        return CatalogError(self.shown, line or self.line, f"{self.what}: {message}")

    def only(self, known: Collection[str]) -> None:
        """Reject a key this entry does not have: a misspelt key ("knowlege:") would be ignored."""
        for key in self.data:
            if key == "__line__" or key in known:
                continue
            line = getattr(self.data, "key_lines", {}).get(key)
            guess = difflib.get_close_matches(str(key), list(known), n=1)
            hint = f" (did you mean '{guess[0]}'?)" if guess else ""
            raise self.fail(f"unknown key '{key}'{hint}; known: {', '.join(sorted(known))}", line)

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

    def text_list(self, key: str) -> tuple[str, ...]:
        """A list of distinct phrases (no numbers, no nested lists, no phrase twice in any case)."""
        value = self.data.get(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(f"'{key}' must be a list of text, got {value!r}")
        seen: set[str] = set()
        for phrase in value:
            if phrase.strip().casefold() in seen:
                raise self.fail(f"'{key}' lists '{phrase.strip()}' twice")
            seen.add(phrase.strip().casefold())
        return tuple(" ".join(v.split()) for v in value)

    def numbers(self, key: str, allowed: set[int] | None) -> tuple[int, ...]:
        """A list of domain numbers, each one of ``allowed`` (when given)."""
        value = self.data.get(key) or []
        numbers = [v for v in value if isinstance(v, int) and not isinstance(v, bool)] if isinstance(value, list) else []
        if not isinstance(value, list) or len(numbers) != len(value) or (
                allowed is not None and not set(numbers) <= allowed):
            raise self.fail(f"'{key}' must list domain numbers {sorted(allowed or [])}, got {self.data.get(key)!r}")
        return tuple(numbers)

    def mappings(self, key: str) -> list[Any]:
        value = self.data.get(key)
        if not isinstance(value, list) or not value:
            raise self.fail(f"'{key}' must be a non-empty list")
        return value


EXAMS_DIR = Path("seeds") / "exams"
_EXAM_KEYS = {"code", "name", "questions", "scored_questions", "unscored_questions", "question_types", "score_scale",
              "passing_score", "durations", "retired", "exam_guide_url", "successor", "predecessor"}
_DOMAIN_KEYS = {"number", "name", "weight", "tasks", "keywords", "concepts"}
_TASK_KEYS = {"id", "text", "knowledge", "skills", "vocabulary"}


def available_exams(root: Path) -> list[str]:
    """Codes of the exam outlines in ``root/seeds/exams`` (file names without ``.yml``), sorted."""
    return sorted(path.stem for path in (root / EXAMS_DIR).glob("*.yml"))


def exam_file(root: Path, code: str) -> Path:
    """The outline file of exam ``code`` ("mls-c01", any case); an unknown code names the known ones."""
    path = root / EXAMS_DIR / f"{code.strip().lower()}.yml"
    if not path.is_file():
        known = ", ".join(available_exams(root)) or "none"
        raise CatalogError(str(EXAMS_DIR / path.name), None, f"no outline for exam '{code}'; available: {known}")
    return path


def _links_key(code: str) -> str:
    """``from_mls_c01``: the key that lists a predecessor's domains (a code is not a YAML-friendly key)."""
    return "from_" + re.sub(r"[^a-z0-9]+", "_", code.lower())


def _domain_links(entry: _Entry, key: str, exam_code: str) -> tuple[DomainLink, ...]:
    raws = entry.data.get(key)
    if raws is None:
        return ()
    if not isinstance(raws, list):
        raise entry.fail(f"'{key}' must be a list of {{domain, reason}} entries")
    links = []
    for raw in raws:
        link = _Entry(raw, entry.shown, f"{entry.what}, {key} entry", entry.line)
        link.only({"domain", "reason"})
        links.append(DomainLink(exam_code, link.integer("domain"), link.text("reason")))
    return tuple(links)


def _load_task(raw: Any, shown: str, number: int, line: int | None) -> Task:
    task = _Entry(raw, shown, f"task of domain {number}", line)
    task.only(_TASK_KEYS)
    task_id, text = task.text("id"), task.text("text")
    task.what = f"task {task_id}"
    if not re.fullmatch(rf"{number}\.[1-9][0-9]*", task_id):
        raise task.fail(f"a task id of domain {number} is '{number}.<n>', got '{task_id}'")
    return Task(task_id, text, knowledge=task.text_list("knowledge"), skills=task.text_list("skills"),
                vocabulary=task.text_list("vocabulary"))


def load_exam(path: Path, shown: str = "seeds/exams/mls-c01.yml") -> Exam:
    """Read an exam outline: exam facts, and the domains with their task statements."""
    root = _Entry(_read_yaml(path, shown), shown, "file", 1)
    root.only({"exam", "domains"})
    exam = _Entry(root.data.get("exam"), shown, "exam", root.line)
    exam.only(_EXAM_KEYS)
    code = exam.text("code")
    successor, predecessor = exam.text("successor", required=False), exam.text("predecessor", required=False)
    domain_keys = _DOMAIN_KEYS | ({"serves"} if successor else set()) | \
        ({_links_key(predecessor)} if predecessor else set())
    domains: list[Domain] = []
    seen_tasks: dict[str, int] = {}
    for raw in root.mappings("domains"):
        entry = _Entry(raw, shown, "domain")
        entry.only(domain_keys)
        number = entry.integer("number")
        name = entry.text("name")
        entry.what = f"domain {number}"
        if any(d.number == number for d in domains):
            raise entry.fail(f"domain number {number} is used twice")
        tasks = []
        for raw_task in entry.mappings("tasks"):
            task = _load_task(raw_task, shown, number, entry.line)
            line = raw_task["__line__"]  # _load_task has checked it is a mapping
            if task.id in seen_tasks:
                raise CatalogError(shown, line, f"task {task.id} is listed twice (first at line {seen_tasks[task.id]})")
            seen_tasks[task.id] = line
            tasks.append(task)
        domains.append(Domain(
            number=number, name=name, slug=slugify(name), weight=entry.integer("weight"), tasks=tuple(tasks),
            keywords=entry.texts("keywords"), concepts=entry.texts("concepts"),
            serves=_domain_links(entry, "serves", successor),
            served_by=_domain_links(entry, _links_key(predecessor), predecessor) if predecessor else ()))
    total = sum(d.weight for d in domains)
    if total != 100:
        raise root.fail(f"domain weights add up to {total} %, not 100 %")
    durations = []
    for raw in exam.data.get("durations") or []:
        fact = _Entry(raw, shown, "exam duration", exam.line)
        fact.only({"value", "source"})
        durations.append(SourcedFact(fact.text("value"), fact.text("source")))
    retired = exam.data.get("retired")
    if retired is not None and not isinstance(retired, dt.date):
        raise exam.fail(f"'retired' must be a date like 2026-03-31, got {retired!r}")
    questions = exam.integer("questions")
    scored, unscored = (exam.integer(k) if k in exam.data else None for k in ("scored_questions", "unscored_questions"))
    if scored is not None and unscored is not None and scored + unscored != questions:
        raise exam.fail(f"{scored} scored + {unscored} unscored questions is not {questions} questions")
    return Exam(
        code=code,
        name=exam.text("name"),
        questions=questions,
        question_types=exam.texts("question_types"),
        score_scale=exam.text("score_scale"),
        passing_score=exam.integer("passing_score"),
        durations=tuple(durations),
        retired=retired,
        exam_guide_url=exam.text("exam_guide_url", required=False),
        domains=tuple(sorted(domains, key=lambda d: d.number)),
        successor=successor,
        predecessor=predecessor,
        scored_questions=scored,
        unscored_questions=unscored,
    )


_SERVICE_KEYS = {"name", "key", "category", "summary", "docs", "domains", "mla_domains", "aliases", "former_names",
                 "misspellings", "needs_context"}


def service_entry(entry: _Entry, category_titles: dict[str, str] | None, domain_numbers: set[int] | None,
                  mla_domain_numbers: set[int] | None, *, required: Collection[str] = ("category", "docs")) -> Service:
    """One service entry of a catalog file, validated (``category_titles`` None: any category is accepted).
    ``required``: the fields besides ``name`` and ``summary`` an entry must have (a person's own entries in
    studyguide.yml may leave out ``category`` and ``docs``)."""
    name = entry.text("name")
    entry.what = f"service '{name}'"
    entry.only(_SERVICE_KEYS)
    category = entry.text("category", required="category" in required) or OWN_CATEGORY
    if category_titles is not None and category not in category_titles and category != OWN_CATEGORY:
        raise entry.fail(f"unknown category '{category}'; known: {', '.join(category_titles)}")
    domains = entry.numbers("domains", domain_numbers)
    mla_domains = entry.numbers("mla_domains", mla_domain_numbers)
    docs = entry.text("docs", required="docs" in required)
    if docs and not docs.startswith("https://"):
        raise entry.fail(f"'docs' must be an https:// URL, got {docs!r}")
    aliases = entry.texts("aliases")
    needs_context = entry.texts("needs_context")
    stray = [word for word in needs_context if word not in aliases]
    if stray:
        raise entry.fail(f"'needs_context' words must also be aliases: {', '.join(stray)}")
    return Service(
        key=entry.text("key", required=False) or slugify(name),
        name=name,
        category=category,
        summary=" ".join(entry.text("summary").split()),
        docs_url=docs,
        domains=domains,
        mla_domains=mla_domains,
        aliases=aliases,
        former_names=entry.texts("former_names"),
        misspellings=entry.texts("misspellings"),
        needs_context=needs_context,
        line=entry.line,
    )


OWN_CATEGORY = "own"  # the category of a person's own entries that name none (studyguide.yml)
OWN_CATEGORY_TITLE = "Your own entries"


def load_catalog(path: Path, domain_numbers: set[int] | None = None, shown: str = "seeds/services.yml",
                 mla_domain_numbers: set[int] | None = None) -> Catalog:
    """Read the service catalog; reject duplicate names/aliases, naming both entries.

    ``domains`` are checked against ``domain_numbers`` (MLS-C01's), ``mla_domains`` against
    ``mla_domain_numbers`` (MLA-C01's), each where given.
    """
    root = _Entry(_read_yaml(path, shown), shown, "file", 1)
    root.only({"categories", "services"})
    categories: list[str] = []
    category_titles: dict[str, str] = {}
    for raw in root.mappings("categories"):
        entry = _Entry(raw, shown, "category")
        entry.only({"key", "title"})
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
        service = service_entry(entry, category_titles, domain_numbers, mla_domain_numbers)
        name = service.name
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
