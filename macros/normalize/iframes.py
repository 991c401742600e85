"""Embedded players (``<iframe>``, ``<video>``, ``<embed>``, ``<object>``) that the sanitizer removes → a visible
link to what they showed, so nothing vanishes without a word (normalize stage)."""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

EMBED_TAGS = ("iframe", "video", "embed", "object", "audio")
_EMBED_ELEMENT = re.compile(
    r"<(?P<tag>iframe|video|embed|object|audio)\b[^>]*>(?:.*?</(?P=tag)\s*>)?", re.I | re.S)
_VIDEO_HOSTS = ("youtube.com", "youtube-nocookie.com", "youtu.be", "vimeo.com", "loom.com", "twitch.tv")


class _Sources(HTMLParser):
    """The first ``src`` (or ``<object data>``) of an element and of its ``<source>`` children."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.src = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.src:
            values = dict(attrs)
            self.src = (values.get("src") or (values.get("data") if tag == "object" else "") or "").strip()


def _label(tag: str, url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    if tag in ("video",) or any(host == h or host.endswith("." + h) for h in _VIDEO_HOSTS):
        return "Embedded video"
    return {"audio": "Embedded audio", "iframe": "Embedded page"}.get(tag, "Embedded content")


def embed_replacement(element: str) -> tuple[str, str]:
    """(HTML that replaces an embedded player, the finding's message). Only an http(s) source becomes a link."""
    tag = element[1:].split(None, 1)[0].split(">", 1)[0].lower()
    parser = _Sources()
    parser.feed(element)
    parser.close()
    url = parser.src
    if urlsplit(url).scheme.lower() in ("http", "https") and not any(c in url for c in "\"'<> \n"):
        label = _label(tag, url)
        shown = html.escape(url)
        return (f'<span class="sg-embed">{label}: <a href="{shown}">{shown}</a></span>',
                f"<{tag}> elements are not published (they could run another site's script): "
                f"shown as a link to {url}")
    return (f'<span class="sg-embed">Embedded content removed: &lt;{tag}&gt; without an http(s) source</span>',
            f"<{tag}> removed: its source {url[:80]!r} is not an http(s) address")


def find_embeds(html_text: str) -> list[re.Match[str]]:
    """The embedded-player elements in one stretch of raw HTML."""
    return list(_EMBED_ELEMENT.finditer(html_text)) if "<" in html_text else []
