"""The service matcher: one Aho–Corasick automaton over every spelling of the catalog finds, links and
(with ``SuspectFinder``) checks service mentions. Rules in ``macros.mentions``' docstring."""
from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import ahocorasick

from ..load import split_front_matter
from ..markdown_scan import MarkdownScan, scan_markdown
from ..model import Catalog, Service
from .prose import Found, Prose, prose_of
from .suspects import Suspect, SuspectFinder

LIST_WINDOW = 40  # characters between two mentions that still make a list (context rule c)


def _prose_of_text(markdown: str) -> Prose:
    """The prose of a whole text, which may start with front matter (a file as written): the front matter is
    read as blank lines (same offsets), so none of it is prose."""
    _format, front_matter, body, _line = split_front_matter(markdown) if markdown[:1] in "-+{" else ("", None, "", 1)
    if front_matter is not None:
        head = len(markdown) - len(body)
        markdown = re.sub(r"[^\n]", " ", markdown[:head]) + body
    return prose_of(scan_markdown(markdown))


def _lower_same_length(text: str) -> str:
    """``text.lower()``, but never changing the length (offsets stay valid)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _spaced(text: str) -> str:
    """``text`` with line breaks, tabs and no-break spaces read as spaces (a spelling's space
    matches them too); three ``replace`` calls are several times faster than ``translate``."""
    return text.replace("\n", " ").replace("\t", " ").replace("\u00a0", " ")



def _has_brand_word(spelling: str) -> bool:
    return any(any(c.isupper() for c in word[1:]) for word in spelling.split())


# Case rules, one per spelling (see the module docstring).
_ANY_CASE, _NOT_ALL_LOWER, _EXACT = 0, 1, 2


def _case_rule(spelling: str) -> int:
    if _has_brand_word(spelling):
        return _ANY_CASE
    if len(spelling.split()) > 1:
        return _NOT_ALL_LOWER
    return _EXACT


def _case_ok(rule: int, spelling: str, written: str) -> bool:
    if rule == _ANY_CASE:
        return True
    if rule == _NOT_ALL_LOWER:  # all lower case only where the catalog writes it so
        return written == spelling or any(c.isupper() for c in written)
    return written == spelling



@dataclass(frozen=True)
class _Spelling:
    text: str
    service: int  # index into ServiceMatcher._services
    rule: int
    needs_context: bool


_PREFIX_BEFORE = re.compile(r"(?:(?<!\w)(AWS|Amazon)|(?<!\w)(?i:sagemaker))[ \t\u00a0]+\Z")
_SENTENCE_BREAK = re.compile(r"[.!?](?:\s|$)|\n[ \t>]*\n")
# A capitalised word right before an ordinary-English spelling makes another name of it: "Data Pipelines",
# "Inference Pipelines" are not SageMaker Pipelines. Words that merely open a sentence do not.
_COMPOUND_BEFORE = re.compile(r"(?<![\w-])([A-Z][A-Za-z0-9-]*)[ \u00a0]\Z")
_LEAD_WORDS = frozenset("""
    a an the this that these those its our your their my use using used with without and or but nor for from in
    into on onto to by via then try run call see also both each either like unlike than is are was were be not
    only when while if after before between about under over as at of so run running train training what where
    which who whom whose why how here there now once every all any no some many most first next last just even
    still yet do does did can could will would should must may might has have had it he she we they you i
    """.split())
# SageMaker features and algorithms: their ordinary-English spellings never count in a sentence about another ML
# library ("In Spark MLlib, K-Means and LDA …"); an algorithm's ("K-Means", "LDA", "PCA": every library has them)
# counts only with SageMaker/AWS in its sentence: the word, or an unambiguous mention of any service.
SCOPED_CATEGORY_PREFIX = "sagemaker-"
ALGORITHM_CATEGORY = "sagemaker-algorithm"
_SCOPE_WORDS = re.compile(r"(?<![\w-])(?:SageMaker|AWS|Amazon)(?![\w-])", re.IGNORECASE)
_OTHER_LIBRARIES = re.compile(r"(?<![\w-])(?:MLlib|Spark|PySpark|scikit-learn|sklearn|statsmodels)(?![\w-])")
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)|\n[ \t>]*\n|\n(?=[ \t>]*(?:[-*+]|\d+[.)])[ \t])")  # or a list item's end
_SENTENCE_REACH = 600  # characters searched either side of a mention for its sentence's ends


class ServiceMatcher(SuspectFinder):
    """Finds catalog services in Markdown with one Aho–Corasick automaton (see module doc)."""

    def __init__(self, catalog: Catalog) -> None:
        self._services: tuple[Service, ...] = tuple(catalog.services)
        self._automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)
        by_key: dict[str, list[_Spelling]] = {}
        for index, service in enumerate(self._services):
            context_words = set(service.needs_context)
            for spelling in dict.fromkeys(service.names):
                spelling = " ".join(spelling.split())
                if not spelling:
                    continue
                key = _lower_same_length(spelling)
                by_key.setdefault(key, []).append(
                    _Spelling(spelling, index, _case_rule(spelling), spelling in context_words)
                )
        for key, spellings in by_key.items():
            self._automaton.add_word(key, (len(key), tuple(spellings)))
        if by_key:
            self._automaton.make_automaton()
        self._empty = not by_key
        self._scoped = [s.category.startswith(SCOPED_CATEGORY_PREFIX) for s in self._services]
        self._algorithm = [s.category == ALGORITHM_CATEGORY for s in self._services]
        # For link_found: service key -> (service, its link title), built once, not per note.
        self._by_key = {s.key: (s, _title(s.summary)) for s in self._services}
        # A service's "parents": services whose name or spelling its name extends
        # (Amazon SageMaker Ground Truth -> Amazon SageMaker AI, via "Amazon SageMaker").
        self._parents: list[set[int]] = []
        for service in self._services:
            name = service.name.casefold()
            self._parents.append({
                other
                for other, parent in enumerate(self._services)
                if parent is not service
                and any(name.startswith(n.casefold() + " ") for n in parent.names)
            })
        self._folded_spellings = {key.casefold() for key in by_key}
        # Misspelling targets, bucketed by (first letter, length); acronyms are left out.
        # ``_maybe`` holds every (first letter, length) within one of a bucket.
        self._targets: dict[tuple[str, int], list[tuple[str, int]]] = {}
        self._near_cache: dict[str, str | None] = {}
        self._target_forms: set[str] = set()
        self._max_words = min(4, max((len(k.split()) for k in by_key), default=1))
        for key, spellings in by_key.items():
            service = spellings[0].service
            forms = {key.casefold()}
            for prefix in ("amazon ", "aws "):
                if key.startswith(prefix):
                    forms.add(key[len(prefix) :].casefold())
            self._target_forms |= forms
            for form in forms:
                original = spellings[0].text
                if len(form) < 4 or (original.isupper() and " " not in original):
                    continue
                bucket = self._targets.setdefault((form[0], len(form)), [])
                if all(f != form for f, _ in bucket):
                    bucket.append((form, service))
        self._maybe = {(c, n + d) for c, n in self._targets for d in (-1, 0, 1)}

    # ---- find
    def find(self, markdown: str) -> list[Found]:
        """All mentions in ``markdown``, in text order (skipped regions excluded)."""
        return self._find(markdown, _prose_of_text(markdown))

    def _find(self, text: str, scan: Prose) -> list[Found]:
        if self._empty or not text:
            return []
        mask = scan.mask
        n = len(text)
        spaced = _spaced(text)  # once for the text, not per candidate
        # (-length, start, end, spelling): sorts longest first, leftmost among equals. No two
        # candidates share a span (one automaton key per span), so spellings are never compared.
        candidates: list[tuple[int, int, int, _Spelling]] = []
        for last, (length, spellings) in self._automaton.iter(_spaced(_lower_same_length(text))):
            start, end = last - length + 1, last + 1
            # is_word_char, inlined: this loop sees every spelling inside every word ("rds" in "words").
            if start > 0 and ((c := text[start - 1]).isalnum() or c == "_"):
                continue
            if end < n and ((c := text[end]).isalnum() or c == "_"):
                continue
            if mask.find(1, start, end) >= 0:
                continue
            written = spaced[start:end]
            for spelling in spellings:
                if _case_ok(spelling.rule, spelling.text, written):
                    candidates.append((start - end, start, end, spelling))
                    break
        # Longest first, leftmost among equals; a candidate overlapping a kept one is dropped.
        candidates.sort()
        taken = bytearray(n)
        kept: list[tuple[int, int, _Spelling]] = []
        for _length, start, end, spelling in candidates:
            if taken.find(1, start, end) < 0:
                taken[start:end] = b"\x01" * (end - start)
                kept.append((start, end, spelling))
        kept.sort()  # by start: kept spans never overlap, so starts differ
        return self._apply_context(text, scan, kept)

    def _apply_context(self, text: str, scan: Prose, kept: list[tuple[int, int, _Spelling]]) -> list[Found]:
        first_plain: dict[int, int] = {}
        for start, _end, spelling in kept:
            if not spelling.needs_context:
                first_plain.setdefault(spelling.service, start)
        run_starts = [run[0] for run in scan.blocks]
        seen_in_run: defaultdict[int, set[int]] = defaultdict(set)  # paragraph run -> services mentioned so far
        found: list[Found] = []
        for index, (start, end, spelling) in enumerate(kept):
            service = spelling.service
            seen = seen_in_run[bisect.bisect_right(run_starts, start) - 1]
            if spelling.needs_context:
                written = text[start:end]
                if written == written.lower():
                    continue  # never in lower case
                before = _PREFIX_BEFORE.search(text, max(0, start - 16), start)
                if before is None and _is_compound(text, start):
                    continue  # "Data Pipelines": another name that ends in this word
                if self._scoped[service] and not self._in_scope(text, kept, index):
                    continue
                if before is not None:  # (a)
                    if before.group(1) and scan.mask.find(1, before.start(), start) < 0:
                        start = before.start()  # "AWS Glue" is the mention
                    first_plain.setdefault(service, start)
                elif not (
                    first_plain.get(service, start) < start  # (b)
                    or self._in_list(text, kept, index)  # (c)
                    or (self._parents[service] & seen)  # (d)
                ):
                    continue
            seen.add(service)
            found.append(Found(self._services[service].key, start, end, text[start:end]))
        return found

    def _in_scope(self, text: str, kept: list[tuple[int, int, _Spelling]], index: int) -> bool:
        """A SageMaker feature's or algorithm's ordinary-English spelling may count here (rules above)."""
        start, end, spelling = kept[index]
        first, last = _sentence(text, start, end)
        sentence = text[first:last]
        if _OTHER_LIBRARIES.search(sentence):
            return False
        if not self._algorithm[spelling.service] or _SCOPE_WORDS.search(sentence):
            return True
        return any(first <= o_start and o_end <= last and not o_spelling.needs_context
                   for o_start, o_end, o_spelling in kept)

    @staticmethod
    def _in_list(text: str, kept: list[tuple[int, int, _Spelling]], index: int) -> bool:
        start, end, spelling = kept[index]
        for other in (index - 1, index + 1):
            if not 0 <= other < len(kept):
                continue
            o_start, o_end, o_spelling = kept[other]
            if o_spelling.service == spelling.service:
                continue
            gap = (o_end, start) if other < index else (end, o_start)
            if gap[1] - gap[0] <= LIST_WINDOW and not _SENTENCE_BREAK.search(text, gap[0], gap[1]):
                return True
        return False

    # ---- link
    def link(self, markdown: str, href: Callable[[Service], str]) -> str:
        """Link the first mention of each service in each section (see module doc)."""
        prose = _prose_of_text(markdown)
        return self.link_found(markdown, self._find(markdown, prose), prose.headings, href)

    def link_found(self, markdown: str, found: list[Found], headings: list[int], href: Callable[[Service], str]) -> str:
        """``link`` from an earlier scan of the same ``markdown`` (its ``find`` and heading offsets)."""
        out: list[str] = []
        pos = 0
        for start, end, replacement in self.mention_edits(markdown, found, headings, href):
            out.append(markdown[pos:start])
            out.append(replacement)
            pos = end
        out.append(markdown[pos:])
        return "".join(out)

    def mention_edits(self, markdown: str, found: list[Found], headings: list[int],
                      href: Callable[[Service], str]) -> list[tuple[int, int, str]]:
        """(start, end, Markdown link) of each mention ``link_found`` links, in text order."""
        by_key = self._by_key
        done: set[tuple[int, str]] = set()
        edits: list[tuple[int, int, str]] = []
        for mention in found:
            section = bisect.bisect_right(headings, mention.start)
            if (section, mention.service_key) in done:
                continue
            if mention.start > 0 and markdown[mention.start - 1] in "!\\":
                continue  # "[" after "!" would make an image, after "\" a literal
            done.add((section, mention.service_key))
            service, title = by_key[mention.service_key]
            edits.append((mention.start, mention.end, f"[{mention.text}]({_destination(href(service))} \"{title}\")"))
        return edits

    # ---- suspects
    def find_and_suspects(self, markdown: str | MarkdownScan) -> tuple[list[Found], list[Suspect], list[int]]:
        """``find``, ``suspects`` and the heading offsets (for ``link_found``) of one text (or of a note's scan)
        from a single reading: the pipeline needs all three for every note."""
        scan = markdown if isinstance(markdown, MarkdownScan) else scan_markdown(markdown)
        prose = prose_of(scan)
        found = self._find(scan.text, prose)
        return found, self._suspects(scan.text, prose, found), prose.headings

    def suspects(self, markdown: str) -> list[Suspect]:
        """Phrases that look like services but are not in the catalog, and misspellings."""
        prose = _prose_of_text(markdown)
        return self._suspects(markdown, prose, self._find(markdown, prose))


def _is_compound(text: str, start: int) -> bool:
    """The spelling at ``start`` follows a capitalised word that is not a sentence's opening word."""
    before = _COMPOUND_BEFORE.search(text, max(0, start - 40), start)
    return before is not None and before.group(1).casefold() not in _LEAD_WORDS


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """Start and end of the sentence (or paragraph) holding ``text[start:end]``."""
    first = max(0, start - _SENTENCE_REACH)
    for stop in _SENTENCE_END.finditer(text, first, start):
        first = stop.end()
    after = _SENTENCE_END.search(text, end, end + _SENTENCE_REACH)
    return first, after.start() if after else min(len(text), end + _SENTENCE_REACH)


def _title(summary: str) -> str:
    """A Markdown link title (inside double quotes) for ``summary``.

    Python-Markdown keeps backslashes in link titles literally, so nothing is escaped:
    double quotes become single ones and ``|`` (a table cell border) becomes ``/``.
    """
    return " ".join(summary.split()).replace('"', "'").replace("|", "/")


_NEEDS_ANGLES = re.compile(r"[\s()<>]")  # \s is str.isspace()


def _destination(href: str) -> str:
    if _NEEDS_ANGLES.search(href):
        return "<" + href.replace("<", "%3C").replace(">", "%3E") + ">"
    return href
