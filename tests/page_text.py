"""Helpers for tests that read built HTML: the text a reader sees, the links, the note's content area.

Stdlib ``html.parser`` only, so the tests do not share a parser (or its bugs) with the site.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_HIDDEN = {"script", "style", "template", "svg"}


class _Collector(HTMLParser):
    """Text and hrefs inside the element ``<article ...>`` (Material's content area) or the whole page."""

    def __init__(self, only_article: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.only_article = only_article
        self.depth = 0 if only_article else 1  # >0: inside the content area
        self.hidden = 0
        self.text: list[str] = []
        self.hrefs: list[str] = []
        self.srcs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.only_article:
            if self.depth == 0 and tag == "article":
                self.depth = 1
                return
            if self.depth and tag not in _VOID:
                self.depth += 1
        if not self.depth:
            return
        if tag in _HIDDEN:
            self.hidden += 1
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.hrefs.append(attributes["href"] or "")
        if tag == "img" and attributes.get("src"):
            self.srcs.append(attributes["src"] or "")
        if tag in {"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "br", "div", "tr", "pre"}:
            self.text.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.only_article and self.depth == 0:
            return
        attributes = dict(attrs)
        if tag == "img" and attributes.get("src"):
            self.srcs.append(attributes["src"] or "")

    def handle_endtag(self, tag: str) -> None:
        if not self.depth:
            return
        if tag in _HIDDEN and self.hidden:
            self.hidden -= 1
        if tag in {"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "div", "tr", "pre"}:
            self.text.append("\n")
        if self.only_article and tag not in _VOID:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and not self.hidden:
            self.text.append(data)


def squash(text: str) -> str:
    """Whitespace runs → one space (HTML does the same when it lays text out)."""
    return re.sub(r"\s+", " ", text).strip()


def content(html: str, whole_page: bool = False) -> _Collector:
    """Parse a built page; by default only Material's ``<article>`` content area."""
    collector = _Collector(only_article=not whole_page)
    collector.feed(html)
    collector.close()
    return collector


def content_text(html: str, whole_page: bool = False) -> str:
    """The visible text of the content area, whitespace squashed."""
    return squash("".join(content(html, whole_page).text))


def article_html(html: str) -> str:
    """The raw HTML of the ``<article>`` content area (for checks on markup, not text)."""
    start = html.index("<article")
    return html[start: html.index("</article>", start)]


# A note with a tag and a section for each exam domain. Temp-folder builds that test something else
# add it, so a domain page without notes or a site without tags (separate concerns, tested in
# test_site_build) does not decide them.
ALL_DOMAINS_NOTE = """---
tags: [outline]
---

# Outline

## Domain 1: Data Engineering

Kinesis and Glue.

## Domain 2: Exploratory Data Analysis

Feature engineering.

## Domain 3: Modeling

XGBoost.

## Domain 4: Machine Learning Implementation and Operations

Endpoints.
"""


class _NavCollector(HTMLParser):
    """Top-level entries of Material's primary navigation: (label, href or None)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_primary = 0  # element depth inside <nav class="md-nav--primary">
        self.ul_depth = 0
        self.entries: list[list] = []  # [label parts, href]
        self.capturing = False
        self.want_label = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if not self.in_primary:
            if tag == "nav" and "md-nav--primary" in classes:
                self.in_primary = 1
            return
        if tag not in _VOID:
            self.in_primary += 1
        if tag == "ul":
            self.ul_depth += 1
        elif tag == "li" and self.ul_depth == 1:
            self.entries.append([[], None])
            self.want_label = True
        elif tag == "a" and self.ul_depth == 1 and self.entries and self.entries[-1][1] is None:
            self.entries[-1][1] = dict(attrs).get("href")
        elif tag == "span" and "md-ellipsis" in classes and self.want_label and self.ul_depth == 1:
            self.capturing = True

    def handle_endtag(self, tag: str) -> None:
        if not self.in_primary:
            return
        if tag == "ul":
            self.ul_depth -= 1
        if tag == "span" and self.capturing:
            self.capturing = False
            self.want_label = False
        if tag not in _VOID:
            self.in_primary -= 1

    def handle_data(self, data: str) -> None:
        if self.capturing:
            self.entries[-1][0].append(data)


def top_navigation(html: str) -> list[tuple[str, str | None]]:
    """The labels (and links) of the site navigation's top level, in order."""
    collector = _NavCollector()
    collector.feed(html)
    return [(squash("".join(parts)), href) for parts, href in collector.entries]
