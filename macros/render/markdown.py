"""Markdown helpers every page renderer uses: note text as literal Markdown, generated front matter, relative
links between docs paths. Text taken from notes into any page goes through ``md_text`` so it cannot open
HTML or Markdown syntax.
"""
from __future__ import annotations

import functools
import html
import json
import posixpath
import re
from typing import Any

import yaml

from ..load import UNSAFE_CHARACTERS, without_unsafe_characters

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}<>#|!])")


def md_text(text: Any) -> str:
    """Note-provided text as literal Markdown: HTML escaped, Markdown syntax escaped."""
    return _md_text(text if isinstance(text, str) else str(text))


@functools.lru_cache(maxsize=65536)  # note titles are written on many pages (indexes, domains, backlinks)
def _md_text(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


# A generated page that repeats text the notes hold (the all-domains cheat-sheet, note-group tables, coverage):
# left out of Material's search index, so a search finds each text once, at its source note.
NOT_SEARCHED = {"exclude": True}
# Pages that gather what the notes say in other words (glossary, domain pages, cheat-sheets, resources): searched,
# but ranked below the notes, so a word's first result is the note that explains it. Material weighs a title
# match 1,000 times a text match: below 0.001, a generated page's heading weighs less than a note's sentence.
RANKED_BELOW_NOTES = {"boost": 0.0005}
# Put on a heading (attr_list) whose section quotes a note: Material's search skips the section, title and text.
SEARCH_EXCLUDED = "data-search-exclude"


def page_front_matter(**meta: Any) -> str:
    """YAML front matter for a generated page; macros are never rendered in it.

    Every string is written as ``front_matter_text`` gives it: a character MkDocs' YAML loader rejects would
    make it drop the whole front matter, ``render_macros: false`` with it."""
    meta = {"render_macros": False, **{k: v for k, v in meta.items() if v not in (None, "", [], ())}}
    try:
        lines = [f"{_yaml_key(key)}: {_yaml_flow(value)}" for key, value in meta.items()]
    except TypeError:  # a value of another type: PyYAML writes it
        return ("---\n" + yaml.dump(without_unsafe_characters(meta), Dumper=_DUMPER, allow_unicode=True, sort_keys=False)
                + "---\n\n")
    return "---\n" + "\n".join(lines) + "\n---\n\n"


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# Characters PyYAML will not read raw in a quoted scalar (U+FFFE/F) or reads as a line break (U+2028/9):
# written as escapes. Controls and surrogates never get here (front_matter_text).
_YAML_UNSAFE = re.compile("[\u2028\u2029\ufffe\uffff]")


def front_matter_text(text: str) -> str:
    """``text`` as generated front matter holds it: lone surrogates and control characters (but tab and
    newline) replaced with U+FFFD (``load`` reports them in a note's own front matter)."""
    return UNSAFE_CHARACTERS.sub("\ufffd", text)


def _yaml_key(key: str) -> str:
    return key if _PLAIN_KEY.match(key) else _yaml_string(key)


def _yaml_string(text: str) -> str:
    """A YAML double-quoted scalar: a JSON string is one (its escapes are YAML's too)."""
    quoted = json.dumps(front_matter_text(text), ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", quoted)


def _yaml_flow(value: Any) -> str:
    """``value`` (text, whole number, flag, list or mapping of them) in YAML flow style.

    Written by hand: PyYAML's representer took a tenth of the time of rendering a note's page. Tests
    read generated front matter back with PyYAML."""
    if isinstance(value, str):
        return _yaml_string(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_yaml_flow(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_yaml_string(str(k))}: {_yaml_flow(v)}" for k, v in value.items()) + "}"
    raise TypeError(type(value).__name__)


def relative_url(from_page: str, to_path: str) -> str:
    """Relative link from one docs path (``a/b.md``) to another (``c/d.md#x``)."""
    target, _, anchor = to_path.partition("#")
    # from_page's folder (posixpath.dirname, for the relative docs paths this is asked about)
    rel = _relpath(target, from_page.rpartition("/")[0] if not from_page.startswith("/") else posixpath.dirname(from_page))
    return rel + (f"#{anchor}" if anchor else "")


@functools.lru_cache(maxsize=65536)  # the same few targets (glossary, domain pages) from every page
def _relpath(target: str, start: str) -> str:
    """``posixpath.relpath(target, start or ".")`` for docs paths, without its two ``getcwd`` calls
    (a build asks this tens of thousands of times)."""
    if target.startswith("/") or start.startswith("/") or ".." in target or ".." in start:
        return posixpath.relpath(target, start or ".")
    to = [part for part in target.split("/") if part and part != "."]
    base = [part for part in start.split("/") if part and part != "."]
    common = 0
    while common < min(len(to), len(base)) and to[common] == base[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + to[common:]) or "."
