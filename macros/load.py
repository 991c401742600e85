"""Load stage: files → ``RawNote`` (bytes decoded and repaired, front matter split off).

Fills: path, shown, text, encoding, repaired, front_matter, front_matter_format,
front_matter_lines, body, body_line, problems. Never raises for a bad note: an unreadable,
empty or unparseable note becomes a ``RawNote`` with a problem, so the build can still show it.
"""
from __future__ import annotations

import codecs
import json
import os
import re
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import limits
from .discover import ATTACHMENT_DIRS, NOTE_SUFFIXES, discover_notes  # noqa: F401 - kept importable from load
from .model import Problem, printable

MAX_NOTE_BYTES = 5 * 1024 * 1024


@dataclass
class RawNote:
    """One note file as read: repaired text and the front matter split from the body."""

    path: Path
    shown: str  # path shown in messages, relative to the project when inside it
    text: str = ""
    encoding: str = ""
    repaired: bool = False  # mojibake was repaired
    front_matter: dict[str, Any] | None = None  # None: the file has no front matter
    front_matter_format: str = ""  # "yaml", "toml", "json"
    front_matter_lines: dict[str, int] = field(default_factory=dict)  # key -> line in the file
    body: str = ""
    body_line: int = 1  # line of the file where ``body`` starts
    problems: list[Problem] = field(default_factory=list)

    @property
    def broken(self) -> bool:
        return any(p.level == "error" for p in self.problems)


def find_note_files(notes_dir: Path) -> list[Path]:
    """Every note file under ``notes_dir``, sorted (``discover.discover_notes`` says what it leaves out, and why)."""
    return discover_notes(notes_dir)[0]


class RefusedFile(OSError):
    """A file of the notes folder that is not read: outside the folder, not a regular file, or too large."""


def refusal(path: Path, resolved_root: Path, resolved_dirs: dict[Path, Path] | None = None) -> str | None:
    """Why ``path`` (found in the notes folder) must not be read, or None when it may be.

    Notes come from strangers: a symlink to ``/etc/passwd`` or ``/proc/self/environ`` (the build's secrets)
    would be published. A symlink that stays inside the folder is fine; a dangling one is read (and fails).
    """
    try:
        info = path.lstat()
    except OSError:
        return None  # missing: reading it fails and says so
    if stat.S_ISLNK(info.st_mode):
        try:
            target = path.resolve()
        except (OSError, RuntimeError):  # RuntimeError: a symlink loop
            return "is a symbolic link that cannot be resolved (a loop); not read"
        if not target.is_relative_to(resolved_root):
            return "is a symbolic link to a file outside the notes folder; not read"
        try:
            info = target.stat()
        except OSError:
            return None  # dangling
    elif not resolved_dir(path.parent, resolved_dirs).is_relative_to(resolved_root):  # a folder on the way links out
        return "is in a folder that is a symbolic link to outside the notes folder; not read"
    if not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):  # a folder fails to open, as it should
        return "is not a regular file (a device, FIFO or socket); not read"
    return None


def inside_folder(path: Path, root: Path) -> bool:
    """True when ``path`` may be read: it (or what it links to) is a regular file inside the folder ``root``."""
    return refusal(path, root.resolve()) is None


def read_inside(path: Path, resolved_root: Path, resolved_dirs: dict[Path, Path] | None = None,
                limit: int = MAX_NOTE_BYTES) -> bytes:
    """The bytes of a file of the notes folder; ``RefusedFile`` (or ``OSError``) when it must not or cannot be read."""
    reason = refusal(path, resolved_root, resolved_dirs)
    if reason:
        raise RefusedFile(reason)
    with path.open("rb") as file:
        # read(limit + 1) alone would allocate 5 MB for every note; a file that reports no size (or grows) is read on.
        size = os.fstat(file.fileno()).st_size
        data = file.read(min(size, limit) + 1)
        if len(data) > size:
            data += file.read(limit + 1 - len(data))
    if len(data) > limit:
        raise RefusedFile(f"is too large: more than {limit // (1024 * 1024)} MB; not read")
    return data


def safe_files(folder: Path, resolved_root: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """(files of ``folder`` that may be published, [(file, why not)] for the others): an attachments folder."""
    if not folder.is_dir():
        return [], []
    reason = refusal(folder, resolved_root) if folder.is_symlink() else None
    if reason:
        return [], [(folder, reason.replace("a file", "a folder"))]
    accepted, refused = [], []
    for path in sorted(folder.iterdir()):
        reason = refusal(path, resolved_root)
        if reason is None and not_utf8(path.name):
            reason = "file name is not valid UTF-8; not published (rename the file)"
        if reason:
            refused.append((path, reason))
        elif path.is_file():
            accepted.append(path)
    return accepted, refused


def not_utf8(name: str) -> bool:
    """A file name (``os.fsdecode``) with bytes that are not UTF-8: they are decoded as surrogates U+DC80-DCFF."""
    return any("\udc80" <= char <= "\udcff" for char in name)


BOM_THEN_WINDOWS_1252 = "windows-1252 (after a UTF-8 byte-order mark)"


def _windows_1252(data: bytes) -> str:
    import ftfy.bad_codecs  # noqa: F401 - registers the sloppy-windows-1252 codec (bytes 0x81 etc. kept, not lost)

    return data.decode("sloppy-windows-1252")


def decode_note_bytes(data: bytes) -> tuple[str, str, bool]:
    """Bytes → (text, encoding, repaired): BOMs, UTF-8, Windows-1252; mojibake repaired by ftfy; LF line ends."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            text, encoding = data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:  # a BOM, then Windows-1252 (an editor that adds one to any file)
            text, encoding = _windows_1252(data[3:]), BOM_THEN_WINDOWS_1252
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = data.decode("utf-16", errors="replace"), "utf-16"
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            # Not UTF-8: Windows-1252, the legacy encoding of notes written on Windows. (ftfy.guess_bytes
            # would pick MacRoman for a file with CR line ends and turn "é" into "È".) UTF-8 mixed in
            # by copy and paste becomes mojibake here and is repaired by fix_encoding below.
            text, encoding = _windows_1252(data), "windows-1252"
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.isascii():
        return text, encoding, False  # mojibake needs non-ASCII characters: nothing for ftfy to repair
    import ftfy  # imported on first use: 70 ms that an all-ASCII folder of notes never needs

    fixed = ftfy.fix_encoding(text)
    return fixed, encoding, fixed != text


_FENCES = {"yaml": re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S),
           "toml": re.compile(r"\A\+\+\+[ \t]*\n(.*?\n)?\+\+\+[ \t]*(?:\n|\Z)", re.S)}
_JSON_START = re.compile(r"\A\{\s*\n")


def split_front_matter(text: str) -> tuple[str, str | None, str, int]:
    """Split text into (format, front matter source or None, body, body's first line number)."""
    for fmt, pattern in _FENCES.items():
        match = pattern.match(text)
        if match:
            body = text[match.end():]
            return fmt, match.group(1) or "", body, text[: match.end()].count("\n") + 1
    if _JSON_START.match(text):
        # JSON front matter (Hugo): a JSON object at the top, ended by a line that is "}".
        end = re.search(r"^\}[ \t]*$", text, re.M)
        if end:
            body = text[end.end():].lstrip("\n")
            return "json", text[: end.end()], body, text[: len(text) - len(body)].count("\n") + 1
    return "", None, text, 1


def _timestamp_or_text(loader, node):  # noqa: ANN001, ANN201 - PyYAML's constructor signature
    """An impossible date ("2024-13-45") stays text, for normalize to report by field."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


class _FrontMatterLoader(yaml.SafeLoader):
    """SafeLoader that keeps an impossible date as text (``_timestamp_or_text``)."""


_FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


class _FastFrontMatterLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same loader on libyaml (~6x faster, a third of the pipeline's time per note with the pure-Python one);
    a front matter it rejects is parsed again by ``_FrontMatterLoader``, whose messages name the problem better."""


_FastFrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


def _parse_front_matter(fmt: str, source: str) -> tuple[Any, int | None, str | None]:
    """Parse front matter source; returns (data, error line within the block, error message)."""
    try:
        if fmt == "yaml":
            try:
                return yaml.load(source, Loader=_FastFrontMatterLoader), None, None  # noqa: S506 - a SafeLoader
            except yaml.YAMLError:
                pass
            return yaml.load(source, Loader=_FrontMatterLoader), None, None  # noqa: S506 - a SafeLoader
        if fmt == "toml":
            return tomllib.loads(source), None, None
        return json.loads(source), None, None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        return None, (mark.line + 1) if mark else None, f"YAML front matter cannot be parsed: {problem}"
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        return None, int(match.group(1)) if match else None, f"TOML front matter cannot be parsed: {exc}"
    except json.JSONDecodeError as exc:
        # JSON front matter is parsed from the top of the file, so its line numbers are the file's.
        return None, exc.lineno, f"JSON front matter cannot be parsed: {exc.msg}"
    except RecursionError:  # front_matter_problem refuses deep front matter first; this is the last guard
        return None, None, "front matter is nested too deep to be read; not read"


_KEY_PATTERNS = {fmt: re.compile(pattern) for fmt, pattern in (
    ("yaml", r"([A-Za-z_][\w.-]*)\s*:"), ("toml", r"([A-Za-z_][\w.-]*)\s*="), ("json", r'\s*"([^"]+)"\s*:'))}


def _key_lines(fmt: str, source: str) -> dict[str, int]:
    """Line (in the file) of each top-level front-matter key, for messages that name the field."""
    lines: dict[str, int] = {}
    key = _KEY_PATTERNS[fmt]
    for number, line in enumerate(source.split("\n"), start=2):
        match = key.match(line)
        if match:
            lines.setdefault(match.group(1), number)
    return lines


# Characters a front-matter value must not carry into a generated page (MkDocs' YAML loader rejects the page's
# front matter, and nh3 cannot encode them): lone surrogates (a "\\ud800" escape), C0 controls other than tab
# and newline, DEL and C1 controls. render.page_front_matter replaces them too, whatever the value's origin.
UNSAFE_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def without_unsafe_characters(value: Any) -> Any:
    """``value`` (text, or lists and mappings of it at any depth) with unsafe characters replaced by U+FFFD."""
    if isinstance(value, str):
        return UNSAFE_CHARACTERS.sub("\ufffd", value)
    if isinstance(value, (list, tuple)):
        return [without_unsafe_characters(item) for item in value]
    if isinstance(value, dict):
        return {without_unsafe_characters(k): without_unsafe_characters(v) for k, v in value.items()}
    return value


def _replace_unsafe_characters(raw: RawNote) -> None:
    """Replace unsafe characters in front matter, one problem per field that had them."""
    cleaned = without_unsafe_characters(raw.front_matter)
    for (key, value), (new_key, new_value) in zip(raw.front_matter.items(), cleaned.items()):
        if (key, value) != (new_key, new_value):
            raw.problems.append(Problem(raw.shown, raw.front_matter_lines.get(key), f"front matter '{new_key}' holds a "
                                        "control character or a lone surrogate: shown as U+FFFD", "finding", new_key,
                                        code="field/unsafe-characters"))
    raw.front_matter = cleaned


def load_note(path: Path, shown: str, data: bytes | None = None, root: Path | None = None) -> RawNote:
    """Read one note file (``data``: its bytes, if already read) of the notes folder ``root`` (default: the
    note's own folder). Problems are recorded, never raised."""
    raw = RawNote(path=path, shown=shown)
    if not_utf8(str(path)):
        raw.problems.append(Problem(shown, None, "file name is not valid UTF-8: shown with \ufffd for the bytes that "
                                                 "are not; rename the file", "finding",
                                    code="file/name-not-utf8"))
    try:
        data = read_inside(path, (root or path.parent).resolve()) if data is None else data
    except RefusedFile as exc:
        raw.problems.append(Problem(shown, None, str(exc), "error", code="file/refused"))
        return raw
    except OSError as exc:
        raw.problems.append(Problem(shown, None, f"cannot be read: {exc.strerror or exc}", "error", code="note/unreadable"))
        return raw
    if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raw.problems.append(Problem(shown, line, "is not a text file (it contains NUL bytes)", "error", code="note/not-text"))
        # Shown as read on the broken note's page; NUL itself is not allowed in HTML, so show it as "␀".
        raw.text = data.decode("utf-8", errors="replace").replace("\x00", "\u2400").replace("\r\n", "\n")
        return raw
    raw.text, raw.encoding, raw.repaired = decode_note_bytes(data)
    if raw.encoding == BOM_THEN_WINDOWS_1252:
        raw.problems.append(Problem(shown, None, "starts with a UTF-8 byte-order mark but is not UTF-8; read as "
                                                 "Windows-1252 (save it as UTF-8)", "finding",
                                    code="note/encoding"))
    if not raw.text.strip():
        raw.problems.append(Problem(shown, 1, "is empty: a note needs a title and some text", "error", code="note/empty"))
        return raw
    fmt, source, raw.body, raw.body_line = split_front_matter(raw.text)
    if source is None:
        return raw
    raw.front_matter_format = fmt
    too_much = limits.front_matter_problem(fmt, source)
    parsed, error_line, message = (None, *too_much) if too_much else _parse_front_matter(fmt, source)
    if message:
        line = (error_line or 0) + (1 if fmt != "json" else 0) or 1
        raw.problems.append(Problem(shown, line, message, "error", "front matter", code="note/front-matter"))
        return raw
    if parsed is None:
        parsed = {}
    if not isinstance(parsed, dict):
        raw.problems.append(
            Problem(shown, 2, f"front matter must be a mapping of keys to values, got {type(parsed).__name__}", "error", "front matter",
                    code="note/front-matter")
        )
        return raw
    raw.front_matter = {str(k): v for k, v in parsed.items()}
    raw.front_matter_lines = _key_lines(fmt, source if fmt != "json" else raw.text)
    if fmt == "json":  # JSON keys were counted from line 1 of the file, not of the block
        raw.front_matter_lines = {k: v - 1 for k, v in raw.front_matter_lines.items()}
    _replace_unsafe_characters(raw)
    return raw


def load_notes(notes_dir: Path, project_root: Path) -> list[RawNote]:
    """Load every note under ``notes_dir``; paths in messages are relative to ``project_root`` when possible."""
    root = project_root.resolve()
    return [load_note(path, shown_path(path, root), root=notes_dir) for path in find_note_files(notes_dir)]


def resolved_dir(folder: Path, resolved_dirs: dict[Path, Path] | None = None) -> Path:
    """``folder.resolve()``, remembered in ``resolved_dirs`` across the calls of one build (notes share folders)."""
    if resolved_dirs is None:
        return folder.resolve()
    if folder not in resolved_dirs:
        resolved_dirs[folder] = folder.resolve()
    return resolved_dirs[folder]


def shown_path(path: Path, resolved_root: Path, resolved_dirs: dict[Path, Path] | None = None) -> str:
    """A note's path as messages and pages show it: relative to the (resolved) project root when inside it,
    on one line (``model.printable``)."""
    try:
        # The folder is resolved, not the file: a symlinked note is shown by its own name.
        shown = (resolved_dir(path.parent, resolved_dirs) / path.name).relative_to(resolved_root).as_posix()
    except ValueError:
        shown = str(path)
    return printable(shown)  # a file name may hold a newline, a bidi override or bytes that are not UTF-8
