"""Nothing is lost: every paragraph, list item, heading, table cell and link of every seed note
appears on that note's built page.

The expectations are derived from the note files themselves with a deliberately simple block
splitter (not the site's code), so a block the pipeline drops or mangles fails by name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import SEED_NOTES, Build
from page_text import content, squash

# Notes are .md/.txt files; "_" and "." names (the contributors' template) are not notes.
SEED_FILES = sorted(p for p in SEED_NOTES.iterdir() if p.suffix in {".md", ".txt"} and not p.name.startswith(("_", ".")))


def unmojibake(line: str) -> str:
    """Undo UTF-8 read as Windows-1252 (what seed 000 suffers from), line by line."""
    try:
        return line.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return line


def source_body(path: Path) -> tuple[list[str], int]:
    """The note's lines after its front matter (if any) and the file line the first one is on."""
    lines = [unmojibake(line) for line in path.read_text("utf-8").splitlines()]
    if lines and lines[0].strip() == "---":
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
        return lines[end + 1:], end + 2
    return lines, 1


_WIKILINK = re.compile(r"!?\[\[[^\]]*\]\]")
_LINK = re.compile(r"(!?)\[([^\]]*)\]\((\S+?)(?:\s+\"[^\"]*\")?\)")


def plain(markdown: str) -> str:
    """Inline Markdown → the text a reader sees."""
    text = _LINK.sub(lambda m: "" if m.group(1) else m.group(2), markdown)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!])", r"\1", text)
    return squash(text)


@dataclass
class Block:
    kind: str
    line: int
    source: str

    @property
    def text(self) -> str:
        return plain(self.source)

    @property
    def pieces(self) -> list[str]:
        """The block's text around its [[wikilinks]], each of which the page shows as its target's title."""
        return [text for part in _WIKILINK.split(self.source) if (text := plain(part))]


def markdown_blocks(lines: list[str], first_line: int) -> list[Block]:
    """Headings, list items, table cells and paragraphs of a Markdown note, with file lines."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    start = 0

    def flush() -> None:
        if paragraph:
            blocks.append(Block("paragraph", start, " ".join(paragraph)))
            paragraph.clear()

    for offset, line in enumerate(lines):
        number = first_line + offset
        stripped = line.strip()
        heading = re.match(r"#{1,6}\s+(.*?)\s*#*$", stripped)
        item = re.match(r"(?:[-*+]|\d+\.)\s+(?:\[[ xX]\]\s+)?(.*)$", stripped)
        if not stripped:
            flush()
        elif heading:
            flush()
            blocks.append(Block("heading", number, heading.group(1)))
        elif item:
            flush()
            blocks.append(Block("list item", number, item.group(1)))
        elif stripped.startswith("|"):
            flush()
            if not re.fullmatch(r"[|:\-\s]+", stripped):
                blocks += [Block("table cell", number, cell) for cell in stripped.strip("|").split("|") if cell.strip()]
        else:
            if not paragraph:
                start = number
            paragraph.append(stripped)
    flush()
    return [block for block in blocks if block.pieces]


def essay_blocks(lines: list[str]) -> list[Block]:
    """A plain-text essay: every non-empty line is a block, taken literally."""
    return [Block("line", number, line.strip()) for number, line in enumerate(lines, start=1) if line.strip()]


def note_file(url: str) -> Path | None:
    """The seed note a relative link names (``other.md#part``), if it is one."""
    target = SEED_NOTES / url.partition("#")[0]
    return target if target in SEED_FILES else None


def blocks_of(path: Path) -> list[Block]:
    lines, first = source_body(path)
    if first == 1 and not any(re.match(r"\s*(#|[-*+] |\d+\. |\|)", line) for line in lines):
        return essay_blocks(lines)
    return markdown_blocks(lines, first)


def links_of(path: Path) -> list[tuple[int, str]]:
    lines, first = source_body(path)
    return [(first + offset, match.group(3)) for offset, line in enumerate(lines) for match in _LINK.finditer(line)]


def note_url(path: Path) -> str:
    return "notes/" + re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") + "/"


CASES = [pytest.param(path, block, id=f"{path.stem[:3]}:{block.line}:{block.kind}")
         for path in SEED_FILES for block in blocks_of(path)]


def without_flags(text: str) -> str:
    """The page's text without the guide's own ⚠ beside a suspicious link (not the note's words)."""
    return text.replace(" ⚠", "")


@pytest.fixture(scope="module")
def page_texts(seed_build: Build) -> dict[Path, str]:
    return {path: without_flags(squash("".join(content(seed_build.html(note_url(path))).text))) for path in SEED_FILES}


@pytest.fixture(scope="module")
def page_links(seed_build: Build) -> dict[Path, tuple[list[str], list[str], str]]:
    found = {}
    for path in SEED_FILES:
        parsed = content(seed_build.html(note_url(path)))
        found[path] = (parsed.hrefs, parsed.srcs, without_flags(squash("".join(parsed.text))))
    return found


def test_every_seed_has_blocks() -> None:
    """Guard: the splitter finds the notes' text (an empty case list would prove nothing)."""
    assert SEED_FILES
    for path in SEED_FILES:
        assert blocks_of(path), path.name
    assert len(CASES) > 10


@pytest.mark.parametrize(("path", "block"), CASES)
def test_block_appears_on_note_page(path: Path, block: Block, page_texts: dict[Path, str]) -> None:
    for text in block.pieces:
        assert text in page_texts[path], (
            f"{path.name}:{block.line}: {block.kind} missing from {note_url(path)}:\n  {text!r}")


LINK_CASES = [pytest.param(path, line, url, id=f"{path.stem[:3]}:{line}") for path in SEED_FILES
              for line, url in links_of(path)]


def test_seeds_have_links() -> None:
    assert len(LINK_CASES) >= 20


@pytest.mark.parametrize(("path", "line", "url"), LINK_CASES)
def test_link_appears_on_note_page(path: Path, line: int, url: str, page_links) -> None:
    hrefs, srcs, text = page_links[path]
    if url.startswith("@attachment/"):
        # Notable attachments: the image is published, or a visible notice names the missing file.
        name = url.removeprefix("@attachment/")
        assert any(src.endswith(f"attachments/{name}") for src in srcs) or name in text, (
            f"{path.name}:{line}: attachment {name} neither shown nor named")
    elif note_file(url) is not None:  # a link to another note leads to that note's page
        page = note_url(note_file(url)).removeprefix("notes/")
        assert any(href.partition("#")[0].endswith(page) for href in hrefs), (
            f"{path.name}:{line}: link {url} does not lead to {page} on {note_url(path)}")
    else:
        assert url in hrefs, f"{path.name}:{line}: link {url} is not an href on {note_url(path)}"
