"""Near misses: "did you mean …?" for keys, domains and service names. Imports nothing of the project."""
from __future__ import annotations

import difflib
from collections.abc import Iterable


def within_one_edit(a: str, b: str) -> bool:
    """Optimal-string-alignment (Damerau–Levenshtein) distance of ``a`` and ``b`` ≤ 1."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la > lb:
        a, b, la, lb = b, a, lb, la
    i = 0
    while i < la and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1 :] == b[i + 1 :]:
            return True  # substitution
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    return a[i:] == b[i + 1 :]  # insertion


def close_match(word: str, known: Iterable[str], cutoff: float = 0.8) -> str | None:
    """The one of ``known`` that ``word`` most likely misspells (difflib ratio ≥ ``cutoff``, any case), or None."""
    by_folded = {k.casefold(): k for k in known}
    guess = difflib.get_close_matches(word.casefold(), list(by_folded), n=1, cutoff=cutoff)
    return by_folded[guess[0]] if guess else None


def one_edit_match(word: str, known: Iterable[str], shortest: int = 5) -> str | None:
    """The one of ``known`` that ``word`` (``shortest`` letters or more) misses by one edit (any case), or None:
    stricter than ``close_match``, for names where a near neighbour is often another real name."""
    folded = word.casefold()
    if len(folded) < shortest:
        return None
    return next((k for k in sorted(known) if k.casefold() != folded and within_one_edit(folded, k.casefold())), None)
