"""The stable code of every kind of finding, with its one-line meaning (README "Findings" shows this table).

A finding's message may be reworded; its code does not change: ``seeds/accepted-findings.yml`` matches
on file + code. Imports nothing: every stage that reports a problem may use it.
"""
from __future__ import annotations

FINDING_CODES: dict[str, str] = {
    "note/unreadable": "the note file cannot be read",
    "note/not-text": "the note file is not text (it contains NUL bytes)",
    "note/empty": "the note file is empty",
    "note/front-matter": "the front matter is not valid YAML/TOML/JSON, or not a mapping of keys to values",
    "note/no-title": "the note has no title (no title field, no H1 heading)",
    "note/limit": "the Markdown nests or repeats a construct past a limit (lists, quotes, HTML, brackets): shown changed",
    "note/encoding": "the file starts with a UTF-8 byte-order mark but is not UTF-8: read as Windows-1252",
    "file/refused": "a file is a link out of the notes folder, a device, or too large: not read",
    "file/name-not-utf8": "a file name is not valid UTF-8: shown with U+FFFD, rename the file",
    "note/duplicate-title": "two notes share a title or alias: a [[wikilink]] to it leads to the first",
    "field/invalid": "a front-matter field has a value of the wrong kind (not text, a date, a flag, a list…)",
    "field/unknown-key": "a front-matter key close to a known one (a typo: 'tittle' for 'title'); the key is kept",
    "field/unknown-domain": "a front-matter field names an exam domain the outline does not have",
    "link/broken": "an internal link or [[wikilink]] leads to no note or attachment",
    "link/anchor": "an internal link leads to a heading its target does not have",
    "link/embed-cycle": "an ![[embed]] of a note that embeds the first note back (shown one level deep)",
    "link/ambiguous": "a [[wikilink]] names a file name notes in several folders share: the shortest path is used",
    "link/external-broken": "an external link failed the external check (STUDYGUIDE_CHECK_EXTERNAL=1)",
    "link/moved": "an external link redirects permanently: cite the new address",
    "link/malformed": "an external link's URL cannot be parsed",
    "link/insecure": "an external link uses http:// where https:// is expected",
    "link/suspicious-labels": "the same URL is cited under different labels",
    "link/suspicious-label": "the same label points at different URLs",
    "link/suspicious-service": "a label names one service, the link points at another service's documentation",
    "link/repeated-list": "a list of links repeats an earlier list of the same note",
    "attachment/missing": "an attachment the note embeds or links is not in the attachments folder",
    "attachment/ambiguous": "an image or file name matches files in several folders: the shortest path is used",
    "attachment/unpublished": "a file in the attachments folder is of a type the site never publishes (it could run script)",
    "field/unsafe-characters": "a front-matter value holds a control character or a lone surrogate (shown as U+FFFD)",
    "note/reserved-slug": "the file name would give the note a generated page's URL: it is published at another (info)",
    "service/unknown": "'Amazon X' / 'AWS X' names a service the glossary catalog lacks",
    "service/misspelled": "a near miss of a catalog service name",
    "scenario/invalid": "an entry of scenarios.yml is malformed (missing field, unknown domain, duplicate…)",
    "scenario/unsupported": "no single note section contains every evidence phrase of a scenario pair",
    "notes/none": "the notes folder holds no note at all (often the wrong folder)",
    "scenario/unmapped": "a scenario pair names a predecessor exam's domain that serves no domain of the exam built (info)",
    "file/skipped": "a hidden file or folder of notes (name starting with '.') is not published: rename it",
    "math/malformed": "a $formula$ cannot be drawn (LaTeX that does not parse): shown as code",
    "html/embed-removed": "an <iframe>, <video>, <embed> or <object> is not published: shown as a link to its source",
    "accepted/stale": "an entry of accepted-findings.yml matches no finding of the build any more",
}
