"""Search without echoes: the search index holds each note's text once, at the note. Generated pages that quote
notes (domain excerpts, the all-domains cheat-sheet, note-group tables) are left out of it, so a search ranks
the note that holds a text first (checked in headless Chromium with the network blocked)."""
from __future__ import annotations

import html
import json
import re

import pytest

from conftest import Build

_TAG = re.compile(r"<[^>]+>")
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
MIN_CHARS = 60  # shorter paragraphs ("See also", a label) may well repeat by chance


def _plain(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


def _is_note(location: str) -> bool:
    page = location.split("#", 1)[0]
    return page.startswith("notes/") and page.count("/") == 2  # notes/<slug>/, not notes/ or notes/by-domain/x/


def _index(build: Build) -> list[dict]:
    return json.loads((build.site / "search" / "search_index.json").read_text("utf-8"))["docs"]


def test_no_note_paragraph_is_indexed_under_another_page(seed_build: Build) -> None:
    docs = _index(seed_build)
    paragraphs: dict[str, str] = {}
    for doc in docs:
        if _is_note(doc["location"]):
            for fragment in _PARAGRAPH.findall(doc["text"]):
                text = _plain(fragment)
                if len(text) >= MIN_CHARS:
                    paragraphs.setdefault(text, doc["location"].split("#", 1)[0])
    assert paragraphs  # guard: the notes' text is indexed at all
    echoes = [(doc["location"], source, text[:60]) for doc in docs if not _is_note(doc["location"])
              for text, source in paragraphs.items() if text in _plain(doc["text"])]
    assert not echoes, echoes[:10]


@pytest.mark.parametrize("location", ["cheatsheets/all/", "notes/by-domain/"])
def test_aggregate_pages_are_not_indexed(seed_build: Build, location: str) -> None:
    assert not [d["location"] for d in _index(seed_build) if d["location"].startswith(location)]


def test_domain_pages_keep_their_own_text(seed_build: Build) -> None:
    """Only the quoted sections leave the index: a domain's task statements are still found on its page."""
    entries = [d for d in _index(seed_build) if d["location"].startswith("domains/") and "#task-statements" in d["location"]]
    assert entries and all(entry["text"] for entry in entries)


@pytest.mark.parametrize("query, needle", [("stratified", "stratified"), ("Firehose", "Firehose")])
def test_search_ranks_the_note_holding_the_text_first(offline, seed_url: str, seed_build: Build, query: str,
                                                     needle: str) -> None:
    holders = {d["location"].split("#", 1)[0] for d in _index(seed_build)
               if _is_note(d["location"]) and needle.casefold() in _plain(d["text"]).casefold()}
    assert holders  # guard: some note holds the word
    page = offline()
    page.goto(seed_url)
    search = page.locator("input.md-search__input")
    search.click()
    search.type(query, delay=30)
    results = page.locator(".md-search-result__item > .md-search-result__link")
    results.first.wait_for(state="visible", timeout=15_000)
    first = re.split(r"[#?]", results.first.get_attribute("href") or "", maxsplit=1)[0]
    assert first.removeprefix(seed_url).removeprefix("./") in holders, (first, holders)
