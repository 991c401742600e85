"""Settings of one build, read once (``hooks.on_config``, or the command line) and passed down.

Sources, nearest first: the environment (``STUDYGUIDE_*``), the person's ``studyguide.yml`` beside the notes
(``guidefile.read_settings`` finds and validates it, then calls ``Settings.from_env`` with it), then mkdocs.yml.
No other module reads the environment. Every flag has one meaning of true: ``1``, ``true``, ``yes``
or ``on`` (any case); ``0``, ``false``, ``no`` or ``off`` is false; unset or empty is the default; anything else is an
error that names the variable, so a typo never silently turns a setting off.
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .guidefile import GuideFile

NOTES_ENV = "STUDYGUIDE_NOTES"  # the notes folder (default: seeds/notes of the project)
DRAFTS_ENV = "STUDYGUIDE_DRAFTS"  # build draft notes (default: only under `mkdocs serve`)
CHECK_EXTERNAL_ENV = "STUDYGUIDE_CHECK_EXTERNAL"  # check every external URL (network)
PDF_ENV = "STUDYGUIDE_PDF"  # print the cheat-sheets to PDF after the build
PDF_FORMAT_ENV = "STUDYGUIDE_PDF_FORMAT"  # "A4" (default) or "Letter"
CHROMIUM_ENV = "STUDYGUIDE_CHROMIUM"  # the Chromium that prints the PDFs
LINKCHECK_ALLOW_ENV = "STUDYGUIDE_LINKCHECK_ALLOW"  # host:port pairs the external check may reach though not public
LINKCHECK_DEADLINE_ENV = "STUDYGUIDE_LINKCHECK_DEADLINE"  # seconds for the whole external check
DEFAULT_LINKCHECK_DEADLINE = 120.0
EXAM_ENV = "STUDYGUIDE_EXAM"  # the exam outline (seeds/exams/<code>.yml); over studyguide.yml's `exam`
REPO_URL_ENV = "STUDYGUIDE_REPO_URL"  # the repository (edit links, repository widget); over studyguide.yml
SITE_URL_ENV = "STUDYGUIDE_SITE_URL"  # where the site is published; over studyguide.yml
CACHE_DIR_ENV = "STUDYGUIDE_CACHE_DIR"  # link-check cache and report (default <project>/.cache/studyguide)
BUILD_TIME_ENV = "SOURCE_DATE_EPOCH"  # reproducible builds: the time files record (seconds since 1970, UTC)
DEFAULT_EXAM = "mls-c01"  # the exam the guide is for: an outline of seeds/exams/<code>.yml
CACHE_DIR = Path(".cache") / "studyguide"  # inside the project, unless STUDYGUIDE_CACHE_DIR says otherwise

TRUE_VALUES = frozenset({"1", "true", "yes", "on"})
FALSE_VALUES = frozenset({"0", "false", "no", "off"})
PDF_FORMATS = ("A4", "Letter")
DEFAULT_CHROMIUM = "/usr/bin/chromium"


class SettingsError(ValueError):
    """A setting has a value that means nothing; the message names the variable."""


def flag(environ: Mapping[str, str], name: str, default: bool = False) -> bool:
    """The flag ``name`` of ``environ``: ``default`` when unset, else true or false (see the module docstring)."""
    value = environ.get(name, "").strip().lower()
    if not value:  # unset or empty: the default
        return default
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise SettingsError(f"{name}={environ[name]!r}: use 1/true/yes/on or 0/false/no/off")


def pdf_format(value: str, name: str = PDF_FORMAT_ENV) -> str:
    """The paper size ``value`` names (any case), A4 when empty."""
    value = value.strip() or "A4"
    match = next((known for known in PDF_FORMATS if known.casefold() == value.casefold()), None)
    if match is None:
        raise SettingsError(f"{name}={value!r}: use one of {', '.join(PDF_FORMATS)}")
    return match


def seconds(value: str, name: str, default: float) -> float:
    """A positive, finite number of seconds (``default`` when empty)."""
    text = value.strip()
    if not text:
        return default
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not 0 < number < math.inf:  # NaN fails too
        raise SettingsError(f"{name}: {text!r} is not a number of seconds above 0")
    return number


def epoch_seconds(value: str, name: str = BUILD_TIME_ENV) -> int | None:
    """Whole seconds since 1970 (UTC), as reproducible-builds tools set them; None when empty."""
    text = value.strip()
    if not text:
        return None
    if not text.isdigit() or int(text) >= 253402300800:  # year 10000
        raise SettingsError(f"{name}={text!r}: a whole number of seconds since 1970-01-01 (UTC) is expected")
    return int(text)


def exam_code(value: str, name: str = EXAM_ENV) -> str:
    """An exam code as outline files are named ("MLA-C01" → "mla-c01"); the default when empty. Whether an
    outline exists is the pipeline's question (it knows the project folder)."""
    code = value.strip().lower() or DEFAULT_EXAM
    if not all(c.isalnum() or c == "-" for c in code):  # a code names a file in seeds/exams/: no paths
        raise SettingsError(f"{name}={value!r}: an exam code is letters, digits and '-' (e.g. mla-c01)")
    return code


@dataclass(frozen=True)
class Settings:
    """Everything a build may be told. Frozen and hashable: the pipeline memoizes a site per Settings."""

    root: Path  # the project folder (where mkdocs.yml and seeds/ are)
    notes_dir: Path  # the notes folder
    drafts: bool = False  # draft notes are built (and shown with a notice)
    check_external: bool = False  # every external URL is checked (cached in .cache/studyguide)
    pdf: bool = False  # the cheat-sheets are printed to PDF after the build
    pdf_format: str = "A4"
    chromium: str = DEFAULT_CHROMIUM
    site_url: str = ""  # from mkdocs.yml: the PDFs' links are made absolute against it
    repo_url: str = ""
    edit_uri: str = ""
    linkcheck_allow: str = ""  # "host:port, …" the external check may reach though not public (parsed by pipeline)
    linkcheck_deadline: float = DEFAULT_LINKCHECK_DEADLINE  # seconds for the whole external check
    build_time: int | None = None  # SOURCE_DATE_EPOCH: the Anki deck records it, and is the same bytes every build
    # The exam (outline file seeds/exams/<exam>.yml, lower case): STUDYGUIDE_EXAM, or studyguide.yml beside the
    # notes; the pipeline reports an unknown code, naming the outlines there are.
    exam: str = DEFAULT_EXAM
    site_name: str = ""  # from studyguide.yml, over mkdocs.yml's (empty: mkdocs.yml's stays)
    cache_dir: Path | None = None  # link-check cache and report; None: <root>/.cache/studyguide
    # The person's studyguide.yml, validated (None: there is none). Not part of the hash: the pipeline's memo
    # sees a changed file through its input fingerprint, which includes it.
    guide: GuideFile | None = dataclasses.field(default=None, compare=False)

    @property
    def link_cache_dir(self) -> Path:
        return self.cache_dir or self.root / CACHE_DIR

    @classmethod
    def for_project(cls, root: Path, notes_dir: Path | None = None, **values: Any) -> Settings:
        """Settings of a project folder (its ``seeds/notes`` unless ``notes_dir``), with ``values``."""
        return cls(root=root, notes_dir=notes_dir or root / "seeds" / "notes", **values)

    @staticmethod
    def notes_dir_from(environ: Mapping[str, str], root: Path) -> Path:
        notes = environ.get(NOTES_ENV, "").strip()
        return Path(notes).expanduser().resolve() if notes else root / "seeds" / "notes"

    @classmethod
    def from_env(cls, environ: Mapping[str, str], config_values: Mapping[str, Any] | None = None, *,
                 root: Path, serving: bool = False, guide: GuideFile | None = None) -> Settings:
        """Settings from the environment, ``guide`` (the person's studyguide.yml) and the MkDocs configuration
        (``site_url``, ``repo_url``, ``edit_uri``), in that order; ``serving``: under ``mkdocs serve`` drafts are
        built unless ``STUDYGUIDE_DRAFTS`` says otherwise."""
        config = config_values or {}
        cache = environ.get(CACHE_DIR_ENV, "").strip()

        def first(*values: Any) -> str:
            return next((str(v).strip() for v in values if v and str(v).strip()), "")

        return cls(
            root=root,
            notes_dir=cls.notes_dir_from(environ, root),
            drafts=flag(environ, DRAFTS_ENV, default=serving),
            check_external=flag(environ, CHECK_EXTERNAL_ENV),
            pdf=flag(environ, PDF_ENV),
            pdf_format=pdf_format(environ.get(PDF_FORMAT_ENV, "")),
            chromium=environ.get(CHROMIUM_ENV, "").strip() or DEFAULT_CHROMIUM,
            site_url=first(environ.get(SITE_URL_ENV), guide and guide.site_url, config.get("site_url")),
            repo_url=first(environ.get(REPO_URL_ENV), guide and guide.repo_url, config.get("repo_url")),
            edit_uri=first(guide and guide.edit_uri, config.get("edit_uri")),
            exam=exam_code(first(environ.get(EXAM_ENV), guide and guide.exam),
                           EXAM_ENV if first(environ.get(EXAM_ENV)) else "exam (studyguide.yml)"),
            site_name=first(guide and guide.site_name),
            cache_dir=Path(cache).expanduser().resolve() if cache else None,
            guide=guide,
            linkcheck_allow=environ.get(LINKCHECK_ALLOW_ENV, "").strip(),
            linkcheck_deadline=seconds(environ.get(LINKCHECK_DEADLINE_ENV, ""), LINKCHECK_DEADLINE_ENV,
                                       DEFAULT_LINKCHECK_DEADLINE),
            build_time=epoch_seconds(environ.get(BUILD_TIME_ENV, "")),
        )

    def replace(self, **values: Any) -> Settings:
        return dataclasses.replace(self, **values)
