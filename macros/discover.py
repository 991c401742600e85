"""Which files of a notes folder are notes, and which are left out and why (load stage).

Nothing is skipped in silence: every folder or note-like file left out is named once, with its reason.
Tool folders (``.obsidian/``, ``.trash/``, ``.git/``), templates (``_templates/``, ``_template*.md``) and
attachment folders are expected (logged at info level); anything else left out (a hidden folder of notes)
is a finding. A folder starting with ``_`` (a vault's ``_questions/``) is read like any other.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from .model import Skipped

NOTE_SUFFIXES = (".md", ".markdown", ".txt")
# Folders at the top of a notes folder that hold attachments, not notes.
ATTACHMENT_DIRS = ("attachments", "_resources", "assets")
TEMPLATE_DIRS = ("_templates",)
# Hidden folders editors and tools keep beside the notes: skipped without a warning.
TOOL_DIRS = frozenset({".obsidian", ".trash", ".git", ".github", ".vscode", ".idea", ".makemd", ".space", ".notable"})


@lru_cache(maxsize=64)
def vault_settings(vault: Path) -> dict:
    """An Obsidian vault's ``.obsidian/app.json`` (attachment folder, strict line breaks), or {} when unreadable."""
    try:
        data = json.loads((vault / ".obsidian" / "app.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _configured_folders(notes_dir: Path) -> dict[str, str]:
    """Folders (relative, POSIX) an Obsidian vault's settings name as attachment or template folders → reason."""
    folders: dict[str, str] = {}
    attachments = str(vault_settings(notes_dir).get("attachmentFolderPath") or "").strip("/ ")
    if attachments and not attachments.startswith("."):  # "./": beside each note, not a folder of its own
        folders[attachments] = "the vault's attachment folder (.obsidian/app.json)"
    try:
        templates = json.loads((notes_dir / ".obsidian" / "templates.json").read_text(encoding="utf-8"))
        folder = str(templates.get("folder") or "").strip("/ ") if isinstance(templates, dict) else ""
    except (OSError, ValueError):
        folder = ""
    if folder:
        folders[folder] = "the vault's template folder (.obsidian/templates.json): templates are not notes"
    return folders


def _why_skipped(relative: Path, is_dir: bool, configured: dict[str, str]) -> tuple[str, bool] | None:
    """(reason, expected) when the folder or file at ``relative`` is left out, else None."""
    name = relative.name
    if name.startswith("."):
        if name in TOOL_DIRS:
            return f"{name}/ is a tool's folder, not notes", True
        return "a hidden name (starting with '.') is not published: rename it to publish its notes", False
    if relative.as_posix() in configured:
        return configured[relative.as_posix()], True
    if is_dir and len(relative.parts) == 1 and name in ATTACHMENT_DIRS:
        return "the attachments folder: its files are published as attachments, not as notes", True
    if is_dir and name in TEMPLATE_DIRS:
        return "a template folder: templates are not notes", True
    if not is_dir and name.startswith("_template"):
        return "a note template (_template*.md) is not published", True
    return None


def discover_notes(notes_dir: Path, shown: Callable[[Path], str] = str) -> tuple[list[Path], list[Skipped]]:
    """Every note file under ``notes_dir`` (sorted), and every folder or note-like file left out (once each,
    named by ``shown``)."""
    found: list[Path] = []
    skipped: list[Skipped] = []
    skipped_dirs: list[Path] = []
    configured = _configured_folders(notes_dir)
    for path in sorted(notes_dir.rglob("*")):
        relative = path.relative_to(notes_dir)
        if any(relative.is_relative_to(folder) for folder in skipped_dirs):
            continue
        is_dir = path.is_dir()
        why = _why_skipped(relative, is_dir, configured)
        if why is not None:
            if is_dir:
                skipped_dirs.append(relative)
                # A hidden folder without a single note (a cache, an editor's state) is nothing to worry about.
                expected = why[1] or not any(p.suffix.lower() in NOTE_SUFFIXES for p in path.rglob("*"))
                skipped.append(Skipped(shown(path) + "/", why[0], expected))
            elif path.suffix.lower() in NOTE_SUFFIXES:
                skipped.append(Skipped(shown(path), why[0], why[1]))
            continue
        # A dangling symlink, a FIFO or a device named like a note is listed too, to be reported (not read):
        # its writer expects a warning, not a silently missing page.
        if path.suffix.lower() in NOTE_SUFFIXES and not is_dir:
            found.append(path)
    return found, skipped
