"""The exam outline's vocabulary, compiled once per exam into one Aho–Corasick automaton.

Every phrase of the outline that can indicate a task statement or a domain becomes a *term*: the task's
``vocabulary``, the items of its ``knowledge`` and ``skills`` bullets (split at commas, "for example",
brackets), the content words of its text, and each domain's name, ``keywords`` and ``concepts``. A term
weighs ``base(source) × idf × length``: idf over the task statements (a phrase many tasks share says
little), longer phrases more (they are rarely there by chance). Text and terms go through the same light
normalization (lower case, hyphens and punctuation to spaces, plural "s" off), so "Data-Streams" in a
note finds "data stream" in the outline.
"""
from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

import ahocorasick

from macros.model import Catalog, Exam

_WORD = re.compile(r"[^\W_]+")
# Words that say nothing about a task on their own (they still count inside a longer phrase).
STOP_WORDS = frozenset("""
a an the and or of for to in on by with from as at into is are be been when not no use using used
data machine learning ml model models aws amazon sagemaker ai solution solutions identify implement create
perform determine understand know select choose express apply basic appropriate given problem problems
example examples including include such service services feature features between among different
difference whether there sufficient it its their them they this that these those how what which
relevant common specific option options technique techniques method methods tool tools strategy strategies
based best practice practices type types process multiple other ensure prepare make making
""".split())
# Single words of the guide's bullets that are too general to indicate a task alone ("content and location",
# "Follow AWS best practices", "Debug and troubleshoot"): kept inside phrases, dropped as terms of their own.
GENERAL_WORDS = frozenset("""
content location source follow build update quality image speech log job layer node rate tree linear detect
format transfer online offline graph application infrastructure instance volume performance interact debug
frame analyze evaluate train deploy recommend visualize normalize scale sanitize operationalize initialize
troubleshoot diagnosis hierarchical engineering foundation identity repository mitigation expose intuition
""".split())
_BASE = {"vocabulary": 1.0, "knowledge": 0.8, "skills": 0.7, "keyword": 0.9, "name": 1.0, "concept": 0.7,
         "text": 0.6}
_ITEM_SPLIT = re.compile(r"\(for example,?|\bfor example,?|[()\[\];:,]|\s(?:and|or|including)\s|/(?=\w{3})", re.I)
_LEADING_NAME = re.compile(r"^(?:amazon|aws)\s+(?=\w\w)", re.I)  # "Amazon S3" → "S3"; "Amazon Q" stays


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A word's light stem: "streams" → "stream", "policies" → "policy", "boxes" → "box"; "analysis" stays."""
    if len(word) <= 3 or not word.endswith("s") or word.endswith(("ss", "us", "is", "as")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    return word[:-1]


# ASCII punctuation to spaces, bytes of other characters kept: one C-level pass over the UTF-8 text.
_ASCII_WORDS = bytes(c if chr(c).isalnum() else 32 for c in range(128)) + bytes(range(128, 256))
_OTHER_PUNCTUATION = re.compile(r"[^\x00-\x7f\w]")  # "→", "–", "“": rare, so a cheap pass


def normalize(text: str) -> str:
    """Text as the automaton reads it: " w1 w2 … " in lower case, one space between words. No stemming
    word by word (the automaton holds each phrase's singular and plural instead): a 5 KB note is
    normalized in tens of microseconds, where a regex substitution per separator took hundreds."""
    # surrogatepass: a file name that is not UTF-8 reaches here as lone surrogates (its folder names are evidence)
    plain = text.lower().encode("utf-8", "surrogatepass").translate(_ASCII_WORDS).decode("utf-8", "surrogatepass")
    if not plain.isascii():
        plain = _OTHER_PUNCTUATION.sub(" ", plain)
    return " " + " ".join(plain.split()) + " "


def plural(word: str) -> str | None:
    """English plural of a (stemmed) word: "policy" → "policies", "box" → "boxes"; None for "s3", "l1"."""
    if len(word) < 3 or not word.isalpha():
        return None
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def spellings(phrase: str) -> tuple[str, set[str]]:
    """(the phrase's key: every word stemmed, the spellings to look for): as written, singular, plural."""
    words = _WORD.findall(phrase.lower())
    key = [stem(word) for word in words]
    found = {" ".join(words), " ".join(key)}
    if key:
        last = plural(key[-1])
        if last:
            found.add(" ".join([*key[:-1], last]))
    return " ".join(key), found


@dataclass(frozen=True, eq=False)  # compared (and hashed) by identity: one object per phrase of the outline
class Term:
    """One outline phrase and what it points at: (domain, task id or None, weight) per target."""

    label: str  # as the outline spells it, for "why" lines
    targets: tuple[tuple[int, str | None, float], ...]


@dataclass(frozen=True)
class Outline:
    """An exam's outline compiled for assignment (see ``outline_for``)."""

    exam: Exam
    catalog: Catalog | None
    terms: tuple[Term, ...]
    automaton: ahocorasick.Automaton  # " " + each spelling of a term → (term index, length)
    task_domain: dict[str, int]  # task id → domain number
    tasks_of: dict[int, tuple[str, ...]]  # domain number → its task ids, in order
    task_order: dict[str, int]  # task id → its position in the outline (ties are broken by it)
    names: dict[int, str]  # domain number → name
    service_domains: dict[str, tuple[int, ...]]  # service key → this exam's domains of the service
    service_names: dict[str, str]

    def term_counts(self, normalized: str) -> dict[int, int]:
        """How often each term (by index) is in a ``normalize``d text: whole words, leftmost-longest,
        no overlaps ("Glue Data Catalog" counts once, not also as "Glue")."""
        found = [(end - length + 1, -end, index) for end, (index, length) in self.automaton.iter(normalized)
                 if normalized[end + 1] == " "]  # whole words only (each phrase starts with its space)
        found.sort()  # by start, longest first
        counts: dict[int, int] = {}
        taken_to = -1
        for start, negative_end, index in found:
            if start > taken_to:
                taken_to = -negative_end
                counts[index] = counts.get(index, 0) + 1
        return counts


def _items(bullet: str) -> Iterator[str]:
    """The phrases of an exam-guide bullet: "Create graphs (for example, scatter plots, box plots)." →
    "create graphs", "scatter plots", "box plots" (edge stop words dropped, 1–4 words each)."""
    for piece in _ITEM_SPLIT.split(bullet):
        words = _WORD.findall(_LEADING_NAME.sub("", piece.strip(" .")).casefold())
        while words and words[0] in STOP_WORDS:
            words.pop(0)
        while words and words[-1] in STOP_WORDS:
            words.pop()
        if 1 <= len(words) <= 4 and not (len(words) == 1 and len(words[0]) < 3):
            yield " ".join(words)


def _content_words(text: str) -> Iterator[str]:
    for word in _WORD.findall(text.casefold()):
        if word not in STOP_WORDS and len(word) >= 4:
            yield word


def _service_domains(exam: Exam, catalog: Catalog | None) -> tuple[dict[str, tuple[int, ...]], dict[str, str]]:
    """Each service's domains in this exam: MLA-C01 numbers for MLA-C01, MLS-C01 numbers otherwise."""
    if catalog is None:
        return {}, {}
    known = {d.number for d in exam.domains}
    return ({s.key: tuple(n for n in s.domains_in(exam) if n in known) for s in catalog.services},
            {s.key: s.name for s in catalog.services})


def compile_outline(exam: Exam, catalog: Catalog | None) -> Outline:
    """Every term of ``exam`` with its weight, in one automaton (see the module docstring)."""
    # normalized phrase → {(domain, task or None): base}, and its first spelling
    sources: dict[str, dict[tuple[int, str | None], float]] = {}
    labels: dict[str, str] = {}

    variants: dict[str, set[str]] = {}

    def add(phrase: str, domain: int, task: str | None, kind: str) -> None:
        key, found = spellings(phrase)
        if not key or (" " not in key and (key in STOP_WORDS or len(key) < 2)):
            return
        if " " not in key and kind in ("knowledge", "skills", "text") and key in GENERAL_WORDS:
            return
        labels.setdefault(key, phrase.strip())
        variants.setdefault(key, set()).update(found)
        targets = sources.setdefault(key, {})
        targets[(domain, task)] = max(targets.get((domain, task), 0.0), _BASE[kind])

    for domain in exam.domains:
        for task in domain.tasks:
            for phrase in task.vocabulary:
                add(_LEADING_NAME.sub("", phrase), domain.number, task.id, "vocabulary")
            for kind, bullets in (("knowledge", task.knowledge), ("skills", task.skills)):
                for bullet in bullets:
                    for item in _items(bullet):
                        add(item, domain.number, task.id, kind)
            for word in _content_words(task.text):
                add(word, domain.number, task.id, "text")
        add(domain.name, domain.number, None, "name")
        for keyword in domain.keywords:
            add(keyword, domain.number, None, "keyword")
        for concept in domain.concepts:
            add(concept, domain.number, None, "concept")
    task_count = sum(len(d.tasks) for d in exam.domains) or 1
    automaton = ahocorasick.Automaton()
    terms: list[Term] = []
    for key in sorted(sources):  # sorted: the same outline always compiles to the same automaton
        targets = sources[key]
        # A domain-wide term counts as one "document" per domain; a task term as one per task.
        spread = len({task or f"d{domain}" for domain, task in targets})
        idf = math.log(1 + task_count / spread)
        length = min(2.0, 1 + 0.35 * key.count(" "))
        terms.append(Term(labels[key], tuple((domain, task, round(base * idf * length, 4))
                                             for (domain, task), base in sorted(targets.items(), key=_target_order))))
        for spelling in sorted(variants[key]):
            if " " + spelling not in automaton:  # two phrases spelt alike: the first (sorted) keeps it
                automaton.add_word(" " + spelling, (len(terms) - 1, len(spelling) + 1))
    automaton.make_automaton()
    service_domains, service_names = _service_domains(exam, catalog)
    return Outline(
        exam=exam, catalog=catalog, terms=tuple(terms), automaton=automaton,
        task_domain={t.id: d.number for d in exam.domains for t in d.tasks},
        tasks_of={d.number: tuple(t.id for t in d.tasks) for d in exam.domains},
        task_order={t.id: index for index, t in enumerate(t for d in exam.domains for t in d.tasks)},
        names={d.number: d.name for d in exam.domains},
        service_domains=service_domains, service_names=service_names)


def _target_order(item: tuple[tuple[int, str | None], float]) -> tuple[int, str]:
    (domain, task), _ = item
    return domain, task or ""


# The outlines compiled so far, by the identity of (exam, catalog): both are built once per build and
# frozen; hashing a whole outline on every note would cost more than the assignment itself.
_OUTLINES: dict[tuple[int, int], Outline] = {}


def outline_for(exam: Exam, catalog: Catalog | None) -> Outline:
    """The compiled outline of ``exam`` (compiled on first use, then reused)."""
    key = (id(exam), id(catalog))
    outline = _OUTLINES.get(key)
    if outline is None or outline.exam is not exam or outline.catalog is not catalog:
        if len(_OUTLINES) >= 8:
            _OUTLINES.clear()
        outline = _OUTLINES[key] = compile_outline(exam, catalog)
    return outline
