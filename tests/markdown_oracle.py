"""Python-Markdown's own idea of code and links, to hold ``macros.markdown_scan`` to it.

Renders with the ``markdown_extensions`` of ``mkdocs.yml`` (read from the file, never copied), then
collects the text of every outermost ``<code>``/``<pre>`` and every ``href``/``src`` outside them.
The same collector reads the raw HTML the scanner reports, so HTML written in a note counts alike.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import markdown
import yaml

from macros.markdown_scan import MarkdownScan

ROOT = Path(__file__).resolve().parent.parent
_SKIPPED_HREF = re.compile(r"#(?:fn:|fnref:|__codelineno)")


@functools.cache
def _extensions() -> tuple[list[str], dict[str, dict]]:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    names, configs = [], {}
    for entry in config["markdown_extensions"]:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        names.append(name)
        configs[name] = options or {}
    return names, configs


def render(text: str) -> str:
    names, configs = _extensions()
    return markdown.Markdown(extensions=names, extension_configs=configs).convert(text)


def normalize_code(text: str) -> str:
    """Code text compared blank- and container-insensitively: quote markers and indents of each line go."""
    return " ".join(" ".join(line.lstrip(" >\t").split()) for line in text.split("\n")).strip()


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.code: list[str] = []
        self.links: list[str] = []
        self._depth = 0
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("code", "pre"):
            self._depth += 1
            return
        values = dict(attrs)
        if self._depth or "headerlink" in (values.get("class") or ""):
            return
        url = values.get("href") if tag == "a" else values.get("src") if tag == "img" else None
        if url is not None and not _SKIPPED_HREF.match(url):
            self.links.append(url)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("code", "pre") and self._depth:
            self._depth -= 1
            if not self._depth:
                self.code.append("".join(self._buffer))
                self._buffer = []

    def handle_data(self, data: str) -> None:
        if self._depth:
            self._buffer.append(data)


def collect(html: str) -> tuple[Counter[str], Counter[str]]:
    """(code texts, link URLs) of rendered HTML, as multisets."""
    parser = _Collector()
    parser.feed(html)
    parser.close()
    return Counter(filter(None, map(normalize_code, parser.code))), Counter(parser.links)


def python_markdown_view(text: str) -> tuple[Counter[str], Counter[str]]:
    return collect(render(text))


def _code_text(scan: MarkdownScan, kind: str, start: int, end: int) -> str:
    source = scan.text[start:end]
    if kind == "fence":
        return "\n".join(source.split("\n")[1:-1])
    if kind == "inline":
        closer = len(source) - len(source.rstrip("`"))
        return source[closer:len(source) - closer]
    return source


def scanner_view(scan: MarkdownScan) -> tuple[Counter[str], Counter[str]]:
    """(code texts, link URLs) the scanner reports, with code and links of the raw HTML it found."""
    code = Counter(filter(None, (normalize_code(_code_text(scan, s.kind, s.start, s.end)) for s in scan.code)))
    links = Counter(link.target for link in scan.links if link.kind in ("link", "image", "autolink", "reference"))
    for span in scan.html:
        html_code, html_links = collect(scan.text[span.start:span.end])
        code += html_code
        links += html_links
    return code, links
