"""The notes' attachments folder: which files the site publishes, and a problem for each it does not.

Load stage (files in, names and problems out). The only attachment types published are passive files a
browser shows but never runs: served from the site's origin, an .html, .xhtml or .svg file runs its script
there; SVG is left out too (rather than sanitized): nh3 cleans HTML, not SVG, and SVG hides script in event
handlers, <foreignObject>, <use href> and CSS. .md/.markdown would become pages that mkdocs-macros renders
as Jinja. Convert an SVG to PNG to attach it.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .load import NOTE_SUFFIXES, not_utf8, refusal, safe_files, shown_path
from .model import Problem
from .paths import ATTACHMENT_DIR

PUBLISHED_ATTACHMENT_TYPES = frozenset({
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".bmp", ".ico",  # images, not SVG
    ".pdf",
    ".mp3", ".ogg", ".wav", ".m4a", ".mp4", ".webm",  # audio and video
    ".txt", ".csv", ".tsv", ".json",  # plain data
})


def attachment_paths(notes_dir: Path) -> list[Path]:
    """Every file in the notes' attachments folder that may be read (inside the notes folder, a regular file,
    a UTF-8 name), published or not, by name."""
    return safe_files(notes_dir / ATTACHMENT_DIR, notes_dir.resolve())[0]


def refused_attachments(notes_dir: Path, root: Path) -> list[Problem]:
    """One problem per attachment that must not even be read: a symlink out of the notes folder (or a symlinked
    attachments folder), a device, a name that is not UTF-8."""
    refused = safe_files(notes_dir / ATTACHMENT_DIR, notes_dir.resolve())[1]
    return [Problem(shown_path(path, root.resolve()), None, reason, "error", code="file/refused") for path, reason in refused]


def attachment_published(path: Path) -> bool:
    return path.suffix.lower() in PUBLISHED_ATTACHMENT_TYPES


def present_attachments(notes_dir: Path) -> set[str]:
    """Names of the attachments the site publishes; a note linking any other file shows the placeholder."""
    return {p.name for p in attachment_paths(notes_dir) if attachment_published(p)}


def _why_unpublished(suffix: str) -> str:
    if suffix in (".md", ".markdown"):
        return f"{suffix} files would be built as pages"
    if suffix in (".html", ".htm", ".xhtml", ".svg", ".xml", ".shtml", ".mht"):
        return f"{suffix} files can run script in a reader's browser"
    return f"{suffix or 'a file without an extension'} is not a type a browser only shows"


def unpublished_attachments(notes_dir: Path, root: Path) -> list[Problem]:
    """One problem per attachment whose type is not on the allow-list, naming the file."""
    allowed = ", ".join(sorted(PUBLISHED_ATTACHMENT_TYPES))
    resolved_root = root.resolve()
    return [Problem(shown_path(p, resolved_root), None,
                    f"not published: {_why_unpublished(p.suffix.lower())}; allowed types are {allowed}", "error",
                    "attachment", code="attachment/unpublished")
            for p in attachment_paths(notes_dir) if not attachment_published(p)]


@dataclass
class AssetFiles:
    """Every file of the notes folder that is not a note (hidden folders such as ``.obsidian/`` left out): the
    ones that may be read, by path relative to the folder (``/``-separated), and the refused ones with why."""

    files: dict[str, Path] = field(default_factory=dict)
    refused: list[tuple[Path, str]] = field(default_factory=list)


def asset_files(notes_dir: Path) -> AssetFiles:
    """The notes folder's asset files (see ``AssetFiles``), in path order. Symlinks are not followed into
    folders; a file that links out of the folder, a device or a name that is not UTF-8 is refused (``refusal``)."""
    found = AssetFiles()
    resolved_root = notes_dir.resolve()
    for folder, folders, files in os.walk(notes_dir):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in sorted(files):
            path = Path(folder) / name
            if name.startswith(".") or path.suffix.lower() in NOTE_SUFFIXES:
                continue
            reason = refusal(path, resolved_root)
            if reason is None and not_utf8(name):
                reason = "file name is not valid UTF-8; not published (rename the file)"
            if reason:
                found.refused.append((path, reason))
            else:
                found.files[path.relative_to(notes_dir).as_posix()] = path
    return found
