"""Suspects: phrases that look like an AWS service the catalog lacks ("Amazon Bedrock"), and near misses of
a catalog spelling ("Sagemaker Nep"). Rules in ``macros.mentions``' docstring."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

from ..fuzzy import within_one_edit
from .prose import Found, Prose

#: "Amazon …"/"AWS …" phrases that are not services. A phrase is left alone when its
#: words start with one of these (compared case-insensitively), e.g. "AWS Certified
#: Machine Learning – Specialty", "AWS ML services", "AWS Cloud".
NOT_SERVICES: tuple[str, ...] = (
    "Amazon Web Services",  # the company
    "AWS Certified",  # certification titles
    "AWS Certificated",  # seed 003 misspells "Certified" in the exam title
    "AWS Certification",
    "AWS Cloud",
    "AWS Console",  # the web console, not a service of the exam
    "AWS Official Study Guide",  # a book
    "AWS Documentation",
    "AWS Exam Readiness",  # training courses
    "AWS SkillBuilder",
    "AWS Skill Builder",
    "AWS Training",
    "AWS Experience",  # a résumé line
    "AWS ML",  # "AWS ML services", "AWS ML Specialty"
    "AWS AI",  # "AWS AI services"
    "AWS Machine Learning",  # "AWS Machine Learning Specialty", "… Services"
    "AWS Services",  # a title-case "AWS services"
)

#: Capitalised ordinary English words never reported as misspellings (sentence starts
#: and headings are full of them; several are one letter away from a service word).
COMMON_WORDS: frozenset[str] = frozenset(
    """
    a an the this that these those there then they their them when while with what where
    which who why how also and but for from into like many more most some such each
    other once only our your its new now let lets not use used using note see may can
    will data model models training learning machine service services amazon aws
    cloud exam domain study guide part step steps best key core text image images
    batch stream streams streaming store stores table tables query queries
    """.split()
)

@dataclass(frozen=True)
class Suspect:
    """A phrase that looks like a service but is not in the catalog, or a misspelling."""

    start: int
    end: int
    text: str
    kind: Literal["unknown", "misspelling"]
    suggestion: str | None  # canonical name of the likely intended service, for misspellings


_PHRASE = re.compile(  # (?<![\w-])(?:Amazon|AWS)…, with a literal first character (see _INLINE)
    r"A(?<![\w-]A)(?:mazon|WS)(?:[ \t\u00a0]+[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*(?![\w-])){1,4}"
)
_NON_SPACE = re.compile(r"\S+")
# A run of capitalised words (?<![A-Za-z0-9])[A-Z][A-Za-z0-9]*, one space or no-break space
# apart (the look-behind comes after the first character: see _INLINE). A word alone is
# matched only from four characters on: a shorter one is never checked ("For", "In").
_CAPITALISED_RUN = re.compile(
    r"[A-Z](?<![A-Za-z0-9][A-Z])(?:[A-Za-z0-9]*(?:[ \u00a0][A-Z][A-Za-z0-9]*)+|[A-Za-z0-9]{3,})"
)
_INFLECTIONS = ("s", "es", "d", "ed", "r", "er", "ing")


class SuspectFinder:
    """The suspect half of ``ServiceMatcher`` (which fills ``_maybe``, ``_max_words``, ``_near_cache``,
    ``_folded_spellings``, ``_target_forms``, ``_targets`` and ``_services`` from the catalog)."""

    def _suspects(self, markdown: str, scan: Prose, found: list[Found]) -> list[Suspect]:
        # 1 = not prose, or (part of) a mention or of a suspect found so far: every check
        # below asks "neither", so one array serves for both.
        blocked = bytearray(scan.mask)
        for f in found:
            blocked[f.start : f.end] = b"\x01" * (f.end - f.start)
        phrases = [m for m in _PHRASE.finditer(markdown) if not blocked[m.start()]]
        for m in phrases:  # "Amazon Web Services" is a name, not a near miss of "Amazon EBS"
            stop = _stop_listed_end(m.group(0))
            if stop:
                blocked[m.start() : m.start() + stop] = b"\x01" * stop
        result = self._misspellings(markdown, blocked)
        for s in result:
            blocked[s.start : s.end] = b"\x01" * (s.end - s.start)
        for m in phrases:
            if blocked[m.start()]:
                continue  # "Amazon"/"AWS" itself is blocked (most often: it starts a mention): no word kept
            spans = [(w.start(), w.end()) for w in _NON_SPACE.finditer(markdown, m.start(), m.end())]
            keep = 0  # words kept: "Amazon"/"AWS" and the capitalised words up to a mention or code
            for start, end in spans:
                if blocked.find(1, start, end) >= 0:
                    break
                keep += 1
            if keep < 2:
                continue  # the word after "Amazon"/"AWS" is (part of) a known mention
            start, end = m.start(), spans[keep - 1][1]
            result.append(Suspect(start, end, markdown[start:end], "unknown", None))
        result.sort(key=lambda s: s.start)
        return result

    def _misspellings(self, text: str, blocked: bytearray) -> list[Suspect]:
        """Runs of capitalised words (longest first, up to ``_max_words``) near a spelling,
        leaving out the words ``blocked`` marks (not prose, or part of a mention)."""
        maybe = self._maybe
        result: list[Suspect] = []
        # One match per maximal run of capitalised words one space apart. A blocked word
        # breaks the run: the words on either side of it are not one space apart, so each
        # piece ("segment") is checked on its own.
        for m in _CAPITALISED_RUN.finditer(text):
            start, end = m.span()
            phrase = m.group(0)
            if phrase.isalnum():  # one word, the commonest case: decided before any mask check
                if (
                    (phrase[0].lower(), end - start) in maybe
                    and blocked.find(1, start, end) < 0
                    and (hit := self._misspelt([phrase])) is not None
                ):
                    result.append(Suspect(start, end, phrase, "misspelling", hit))
                continue
            if blocked.find(0, start, end) < 0:
                continue  # all blocked (a mention, most often)
            words = _word_spans(start, phrase.split())  # str.split() splits at no-break spaces too
            if blocked.find(1, start, end) < 0:
                self._misspelt_in(text, words, result)
                continue
            segment: list[tuple[int, int, str]] = []
            for word in words:
                if blocked.find(1, word[0], word[1]) < 0:
                    segment.append(word)
                elif segment:
                    self._misspelt_in(text, segment, result)
                    segment = []
            if segment:
                self._misspelt_in(text, segment, result)
        return result

    def _misspelt_in(self, text: str, words: list[tuple[int, int, str]], result: list[Suspect]) -> None:
        """Append the misspellings in ``words``, capitalised words one space apart, to ``result``."""
        maybe = self._maybe
        i = 0
        while i < len(words):
            run = words[i : i + self._max_words]  # words[i] and the words right after it
            first = run[0][2][0].lower()
            for size in range(len(run), 0, -1):
                start, end = run[0][0], run[size - 1][1]
                if (first, end - start) not in maybe:
                    continue  # no spelling of about this length starts with this letter
                hit = self._misspelt([w[2] for w in run[:size]])
                if hit is not None:
                    result.append(Suspect(start, end, text[start:end], "misspelling", hit))
                    i += size
                    break
            else:
                i += 1

    def _misspelt(self, part: list[str]) -> str | None:
        """The suggestion for the capitalised words ``part`` (one space apart), or None."""
        if len(part) == 1 and (part[0].isupper() or len(part[0]) < 4):
            return None  # acronyms and short words: one letter off is another word
        if all(p.casefold() in COMMON_WORDS for p in part):
            return None
        return self._near(" ".join(part))

    def _near(self, phrase: str) -> str | None:
        """Name of the service a near-miss ``phrase`` most likely means, or None (cached)."""
        folded = phrase.casefold()
        try:
            return self._near_cache[folded]
        except KeyError:
            pass
        if len(self._near_cache) > 50_000:
            self._near_cache.clear()
        result = self._near_cache[folded] = self._near_uncached(folded)
        return result

    def _near_uncached(self, folded: str) -> str | None:
        if folded in self._folded_spellings:
            return None  # a spelling written in another case: not a misspelling
        if folded in self._target_forms or any(
            (folded.endswith(suffix) and folded[: -len(suffix)] in self._target_forms)
            or folded + suffix in self._target_forms
            for suffix in _INFLECTIONS
        ):
            return None  # a known form, or an inflection ("Translates", "Pipeline" of "Pipelines")
        best: tuple[float, int] | None = None
        for target_len in (len(folded), len(folded) - 1, len(folded) + 1):
            for target, service in self._targets.get((folded[0], target_len), ()):
                close = within_one_edit(folded, target)
                if not close and len(folded) < 5:
                    continue
                matcher = difflib.SequenceMatcher(None, folded, target)
                if not close and matcher.quick_ratio() < 0.85:
                    continue
                ratio = matcher.ratio()
                if close or ratio >= 0.85:
                    if best is None or ratio > best[0]:
                        best = (ratio, service)
        return None if best is None else self._services[best[1]].name



def _word_spans(start: int, words: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, word) of each of ``words``, written one character apart from ``start`` on."""
    spans = []
    for word in words:
        spans.append((start, start + len(word), word))
        start += len(word) + 1
    return spans


def _stop_listed_end(phrase: str) -> int:
    """Length of the longest ``NOT_SERVICES`` phrase ``phrase`` ("Amazon …"/"AWS …") starts with, else 0."""
    words = list(_NON_SPACE.finditer(phrase))[:_NOT_SERVICES_LONGEST]
    folded = tuple(w.group(0).casefold() for w in words)
    for n in range(len(folded), 1, -1):
        if folded[:n] in _NOT_SERVICES_WORDS:
            return words[n - 1].end()
    return 0


_NOT_SERVICES_WORDS = {tuple(w.casefold() for w in p.split()) for p in NOT_SERVICES}
_NOT_SERVICES_LONGEST = max(len(p) for p in _NOT_SERVICES_WORDS)
