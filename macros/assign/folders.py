"""Which exam domain a folder name names, in any spelling authors file notes under.

"01-data-engineering", "2 Exploratory Data Analysis", "Domain 3 - Modelling", "domain-4", "D2", "EDA",
"MLOps": a number (with or without "domain"), the domain's name or slug, one of its keywords, the
initials of its name, or a near spelling of any of these (difflib). "Week 3", "01-introduction",
"drafts" name no domain and are no evidence.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from macros.model import Exam

# Strengths: how sure the match is (1.0: the folder names the domain outright).
BY_NUMBER = 1.0  # "Domain 3", "domain-4", "D2", and "2 Exploratory Data Analysis" (number and name agree)
BY_NAME = 1.0  # the domain's name or slug, whole
BY_KEYWORD = 0.8  # a keyword or the name's initials, whole ("EDA", "Security")
BY_BARE_NUMBER = 0.6  # a folder that is only a number ("3")
FUZZY_CUTOFF = 0.84  # difflib ratio from which a spelling counts as the name ("Modelling" ~ "Modeling")

_SEPARATORS = re.compile(r"[\s_\-.&+,()\[\]]+")
_NUMBERED = re.compile(r"^(?:(domain|d)\s*)?0*(\d{1,2})(?:\s+(.*))?$")


@dataclass(frozen=True)
class FolderMatch:
    domain: int
    strength: float
    folder: str  # the folder name as written


def _plain(text: str) -> str:
    return _SEPARATORS.sub(" ", text.casefold()).strip()


def _initials(name: str) -> str:
    words = [w for w in _plain(name).split() if w not in ("and", "of", "for", "the")]
    return "".join(w[0] for w in words) if len(words) > 1 else ""


class FolderNames:
    """The names of each domain of one exam, for matching folder names (memoized per folder name)."""

    def __init__(self, exam: Exam) -> None:
        self.numbers = {d.number for d in exam.domains}
        self.whole: dict[str, int] = {}  # plain name / slug → domain
        self.keywords: dict[str, int] = {}  # plain keyword / initials / "ml" shortening → domain
        for domain in exam.domains:
            for name in (domain.name, domain.slug):
                self.whole.setdefault(_plain(name), domain.number)
            for short in (*domain.keywords, _initials(domain.name), _plain(re.sub(r"\s*\([^)]*\)", "", domain.name))):
                if short:
                    self.keywords.setdefault(_plain(short), domain.number)
        # "MLOps", "Ops": the usual folder name for an operations domain, when one domain's keywords say so.
        operations = [d.number for d in exam.domains if any(k.casefold().startswith(("operation", "mlops"))
                                                             for k in d.keywords)]
        if len(operations) == 1:
            for alias in ("mlops", "ops"):
                self.keywords.setdefault(alias, operations[0])
        self._memo: dict[str, tuple[tuple[int, float], ...]] = {}

    def name_match(self, text: str) -> tuple[int, float] | None:
        """(domain, strength) a folder name without its number names, if any."""
        plain = _plain(text)
        if not plain:
            return None
        if plain in self.whole:
            return self.whole[plain], BY_NAME
        if plain in self.keywords:
            return self.keywords[plain], BY_KEYWORD
        # "EDA notes", "Security and compliance": a keyword as whole words of the name
        words = f" {plain} "
        contained = sorted((number, len(key)) for key, number in {**self.keywords, **self.whole}.items()
                           if f" {key} " in words)
        if contained:
            number = max(contained, key=lambda item: (item[1], -item[0]))[0]
            return number, BY_KEYWORD * 0.8
        best: tuple[float, int] | None = None
        for key, number in sorted({**self.keywords, **self.whole}.items()):
            if len(key) < 5:  # "eda" ~ "eta": short names are matched whole or not at all
                continue
            ratio = difflib.SequenceMatcher(None, plain, key).ratio()
            if ratio >= FUZZY_CUTOFF and (best is None or ratio > best[0]):
                best = (ratio, number)
        return (best[1], round(BY_NAME * best[0], 3)) if best else None

    def match(self, folder: str) -> tuple[tuple[int, float], ...]:
        """(domain, strength) pairs one folder name gives: () when it names no domain."""
        if folder not in self._memo:
            if len(self._memo) > 4096:
                self._memo.clear()
            self._memo[folder] = self._match(folder)
        return self._memo[folder]

    def _match(self, folder: str) -> tuple[tuple[int, float], ...]:
        plain = _plain(folder)
        numbered = _NUMBERED.match(plain)
        if numbered:
            prefix, number, rest = numbered.group(1), int(numbered.group(2)), numbered.group(3) or ""
            named = self.name_match(rest) if rest else None
            if named:  # "1 Modeling": the name says more than a numbering that may be the author's own
                return ((named[0], BY_NUMBER),) if named[0] == number else (named,)
            if number in self.numbers and (prefix or not rest):
                return ((number, BY_NUMBER if prefix else BY_BARE_NUMBER),)
            return ()  # "01-introduction", "week 3": a chapter number, not a domain
        named = self.name_match(plain)
        return (named,) if named else ()


def folder_evidence(folders: tuple[str, ...], names: FolderNames) -> list[FolderMatch]:
    """Each domain the folders name, once, with the strongest folder that names it (outermost first on ties)."""
    best: dict[int, FolderMatch] = {}
    for folder in folders:
        for number, strength in names.match(folder):
            if number not in best or strength > best[number].strength:
                best[number] = FolderMatch(number, strength, folder)
    return sorted(best.values(), key=lambda m: (-m.strength, m.domain))
