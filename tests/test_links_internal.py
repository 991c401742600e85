"""Internal links: relative links to notes (with anchors), same-page anchors, [[wikilinks]], attachments
(relative, ![[embed]], Notable's @attachment/NAME) resolve; broken ones are reported as path:line and shown
as visible markers; links in code are ignored; backlinks appear on the target's page; a strict build fails
on a broken link and passes when everything resolves."""
from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path

import pytest

from conftest import ROOT, Build, run_mkdocs_build
from macros import check, enrich, pipeline
from macros.model import Note, Site
from macros.pipeline import build_site
from page_text import ALL_DOMAINS_NOTE, article_html, content, content_text

MAIN = """---
title: Main Note
tags: [links]
---

# Main Note

## Links

See [the other note](other.md) and [its setup](other.md#setup), or [by its heading](other.md#Setup).
The [sub note](sub/other.md) and [back to links](#links).
Wiki: [[Other Note]] and [[Other Note#Setup|setup steps]].
Image ![[diagram.png]], [the slides](attachments/slides.pdf) and ![a diagram](@attachment/diagram.png).
By reference: [the other by reference][other-ref], [the sub by reference][sub-ref] and ![a referenced diagram][pic].

[other-ref]: other.md#setup
[sub-ref]: <sub/other.md> "The 'sub' note"
[pic]: attachments/diagram.png

## Code is not a link

`[in code](nowhere-inline.md)` and `[[Nowhere Inline]]` and `![x](@attachment/nowhere-inline.png)`.

```
[fenced](nowhere-fenced.md) [[Nowhere Fenced]] ![x](@attachment/nowhere-fenced.png)
```
"""
OTHER = "# Other Note\n\n## Setup\n\nSteps.\n"
SUB_OTHER = ("# Sub Other\n\nUp to [the main note](../main.md#links) and [the setup](../other.md#setup).\n"
             "Up by reference: [Main][].\n\n[main]: ../main.md\n")
BROKEN = """---
title: Broken Note
---

# Broken Note

## Bad links

A [missing heading](other.md#nowhere) here.
A [bad anchor](#no-such-heading) here.
A [[Missing Note]] wikilink.
A ![gone](@attachment/gone.png) image.
A [nowhere](nowhere.md) link.
A [referenced nowhere][gone-ref] link.

[gone-ref]: nowhere-ref.md
"""


def line_of(text: str, needle: str) -> int:
    (number,) = [n for n, line in enumerate(text.split("\n"), start=1) if needle in line]
    return number


def write_notes(folder: Path, notes: dict[str, str], attachments: tuple[str, ...] = ()) -> Path:
    for name, text in {**notes, "outline.md": ALL_DOMAINS_NOTE}.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, "utf-8")
    for name in attachments:
        (folder / "attachments").mkdir(exist_ok=True)
        (folder / "attachments" / name).write_bytes(b"\x89PNG\r\n\x1a\n" if name.endswith(".png") else b"%PDF-1.4\n")
    return folder.resolve()


@pytest.fixture(scope="module")
def good_notes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_notes(tmp_path_factory.mktemp("good") / "notes",
                       {"main.md": MAIN, "other.md": OTHER, "sub/other.md": SUB_OTHER}, ("diagram.png", "slides.pdf"))


@pytest.fixture(scope="module")
def broken_notes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_notes(tmp_path_factory.mktemp("broken") / "notes", {"broken.md": BROKEN, "other.md": OTHER})


@pytest.fixture(scope="module")
def good_site(good_notes: Path) -> Site:
    return build_site(ROOT, good_notes)


@pytest.fixture(scope="module")
def broken_site(broken_notes: Path) -> Site:
    return build_site(ROOT, broken_notes)


def index_of(site: Site) -> enrich.NoteIndex:
    return enrich.NoteIndex(site.notes, site.notes_dir, pipeline.present_attachments(Path(site.notes_dir)))


def note_at(site: Site, path: Path):  # noqa: ANN201 - model.Note
    return next(n for n in site.notes if n.source == str(path))


# --- pure: resolution, problems, code, backlinks -----------------------------------------------

# (note written in, url, wiki) -> (kind, note file the link reaches or "", anchor or attachment or message part)
RESOLVE = [
    ("main.md", "other.md", False, ("note", "other.md", "")),
    ("main.md", "other.md#setup", False, ("note", "other.md", "setup")),
    ("main.md", "other.md#Setup", False, ("note", "other.md", "setup")),
    ("main.md", "other.md#nowhere", False, ("missing", "", "has no heading 'nowhere'")),
    ("main.md", "sub/other.md", False, ("note", "sub/other.md", "")),
    ("main.md", "./other.md", False, ("note", "other.md", "")),
    ("sub/other.md", "../main.md#links", False, ("note", "main.md", "links")),
    ("sub/other.md", "other.md", False, ("note", "sub/other.md", "")),  # relative to its own folder: itself
    ("sub/other.md", "main.md", False, ("missing", "", "no note or attachment has that name")),
    ("main.md", "#links", False, ("anchor", "main.md", "links")),
    ("main.md", "#no-such-heading", False, ("missing", "", "this note has no such heading")),
    ("main.md", "Other Note", True, ("note", "other.md", "")),
    ("main.md", "other", True, ("note", "other.md", "")),
    ("main.md", "Other Note#Setup", True, ("note", "other.md", "setup")),
    ("main.md", "Other Note#Teardown", True, ("missing", "", "has no heading 'Teardown'")),
    ("main.md", "Missing Note", True, ("missing", "", "no note or attachment has that name")),
    ("main.md", "diagram.png", True, ("attachment", "", "attachments/diagram.png")),
    ("main.md", "attachments/slides.pdf", False, ("attachment", "", "attachments/slides.pdf")),
    ("main.md", "nowhere.md", False, ("missing", "", "no note or attachment has that name")),
]


@pytest.mark.parametrize("source, url, wiki, expected", RESOLVE, ids=[f"{r[0]}->{r[1]}{'-wiki' if r[2] else ''}" for r in RESOLVE])
def test_internal_links_resolve(good_site: Site, good_notes: Path, source: str, url: str, wiki: bool,
                                expected: tuple[str, str, str]) -> None:
    kind, target_file, detail = expected
    target = index_of(good_site).resolve(note_at(good_site, good_notes / source), url, wiki)
    assert target is not None and target.kind == kind, target
    if kind in ("note", "anchor"):
        assert target.note_slug == note_at(good_site, good_notes / target_file).slug
        assert target.anchor == detail
    elif kind == "attachment":
        assert target.attachment == detail
    else:
        assert detail in target.message and url in target.message, target.message


@pytest.mark.parametrize("url", ["https://example.com/x.md", "mailto:someone@example.com", "/absolute.md",
                                 "@attachment/diagram.png"])
def test_other_urls_are_not_internal_links(good_site: Site, good_notes: Path, url: str) -> None:
    assert index_of(good_site).resolve(note_at(good_site, good_notes / "main.md"), url) is None


def test_a_folder_where_everything_resolves_has_no_problems(good_site: Site) -> None:
    assert [str(p) for p in good_site.problems] == []


def test_links_in_code_are_not_collected(good_site: Site) -> None:
    urls = [link.url for link in good_site.links]
    assert "other.md#setup" in urls and "Other Note#Setup" in urls  # the collector sees the others
    assert not [url for url in urls if "nowhere" in url.casefold()], urls


def expected_broken(notes: Path) -> dict[str, str]:
    path = notes / "broken.md"
    return {
        "other.md#nowhere": f"{path}:{line_of(BROKEN, 'other.md#nowhere')}: broken internal link to 'other.md#nowhere'",
        "#no-such-heading": f"{path}:{line_of(BROKEN, '#no-such-heading')}: broken internal link to '#no-such-heading'",
        "Missing Note": f"{path}:{line_of(BROKEN, '[[Missing Note]]')}: broken internal link to 'Missing Note'",
        "gone.png": f"{path}:{line_of(BROKEN, 'gone.png')}: attachment 'gone.png' is missing",
        "nowhere.md": f"{path}:{line_of(BROKEN, 'nowhere.md')}: broken internal link to 'nowhere.md'",
        "nowhere-ref.md": f"{path}:{line_of(BROKEN, ']: nowhere-ref.md')}: broken internal link to 'nowhere-ref.md'",
    }


def test_each_broken_link_is_one_problem_with_file_and_line(broken_site: Site, broken_notes: Path) -> None:
    problems = sorted(str(p) for p in broken_site.problems)
    expected = expected_broken(broken_notes)
    assert len(problems) == len(expected), problems
    for message in expected.values():
        assert sum(p.startswith(message) for p in problems) == 1, (message, problems)
    for problem in broken_site.problems:  # a missing attachment is a finding (it can be accepted), the rest errors
        assert problem.level == ("finding" if problem.message.startswith("attachment '") else "error"), str(problem)


def test_check_functions_name_the_broken_links(broken_site: Site, broken_notes: Path) -> None:
    index = index_of(broken_site)
    internal = [str(p) for p in check.check_internal_links(broken_site.notes, broken_site.links, index)]
    attachments = [str(p) for p in check.check_attachments(broken_site.notes, broken_site.links, index.attachments)]
    expected = expected_broken(broken_notes)
    assert [m for m in expected.values() if not any(p.startswith(m) for p in internal + attachments)] == []
    assert len(attachments) == 1 and attachments[0].startswith(expected["gone.png"])
    assert check.check_attachments(broken_site.notes, broken_site.links, {"gone.png"}) == []


def _titled(name: str, title: str, aliases: object = None) -> Note:
    return Note(source=f"seeds/notes/{name}", slug=name.rsplit(".", 1)[0], title=title, dialect="markdown",
                body=f"# {title}", body_line=1, extra={"aliases": aliases} if aliases is not None else {})


@pytest.mark.parametrize("notes, clashes", [
    ([_titled("a.md", "Kinesis"), _titled("b.md", "Kinesis")], [("Kinesis", "a.md", "b.md")]),
    ([_titled("a.md", "Firehose"), _titled("b.md", "Data Firehose", ["firehose"])], [("firehose", "a.md", "b.md")]),
    ([_titled("a.md", "Glue", "ETL"), _titled("b.md", "ETL")], [("ETL", "a.md", "b.md")]),
    ([_titled("a.md", "Glue", ["glue", "Glue"]), _titled("b.md", "Athena")], []),  # a note's own names
    ([_titled("a.md", "Glue"), _titled("b.md", "Athena")], []),
], ids=["same-title", "alias-of-title", "title-of-alias", "own-alias", "distinct"])
def test_a_title_or_alias_two_notes_claim_is_reported_naming_both(notes: list[Note], clashes: list) -> None:
    index = enrich.NoteIndex(notes, "seeds/notes", set())
    problems = check.check_name_clashes(index)
    assert [(name, first.source.rsplit("/", 1)[1], other.source.rsplit("/", 1)[1])
            for name, first, other in index.clashes] == clashes
    for problem, (name, first, other) in zip(problems, clashes, strict=True):
        assert problem.file == f"seeds/notes/{other}" and problem.code == "note/duplicate-title"
        assert f"'seeds/notes/{first}'" in problem.message and f"[[{name}]]" in problem.message
        target = index.resolve(notes[1], name, wiki=True)
        assert target is not None and target.note_slug == first.rsplit(".", 1)[0]  # the first registered wins


def test_backlinks_come_from_every_other_note_that_links(good_site: Site, good_notes: Path) -> None:
    found = enrich.backlinks(good_site.links, index_of(good_site), good_site.notes)
    main, other, sub = (note_at(good_site, good_notes / name) for name in ("main.md", "other.md", "sub/other.md"))
    assert {link.note_slug for link in found[other.slug]} == {main.slug, sub.slug}
    assert {link.note_slug for link in found[main.slug]} == {sub.slug}  # "#links" on main itself is no backlink
    assert {link.note_slug for link in found[sub.slug]} == {main.slug}


# --- real builds ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def good_build(good_notes: Path, tmp_path_factory: pytest.TempPathFactory) -> Build:
    return run_mkdocs_build(tmp_path_factory.mktemp("good-site") / "site", notes=good_notes)


@pytest.fixture(scope="module")
def broken_build(broken_notes: Path, tmp_path_factory: pytest.TempPathFactory) -> Build:
    return run_mkdocs_build(tmp_path_factory.mktemp("broken-site") / "site", notes=broken_notes)


def page_of(site: Site, notes: Path, name: str) -> str:
    return f"notes/{note_at(site, notes / name).slug}/"


def test_strict_build_passes_when_every_link_resolves(good_build: Build) -> None:
    assert good_build.returncode == 0, good_build.log
    assert "WARNING" not in good_build.log, good_build.log


@pytest.mark.parametrize("name", ["main.md", "sub/other.md"])
def test_every_internal_link_in_the_built_page_reaches_its_target(good_build: Build, good_site: Site,
                                                                  good_notes: Path, name: str) -> None:
    page = page_of(good_site, good_notes, name)
    parsed = content(good_build.html(page))
    internal = [h for h in parsed.hrefs + parsed.srcs
                if not re.match(r"[a-z]+:|#__codelineno|\.\./\.\./glossary/", h) and "edit/main" not in h]
    assert len(internal) >= (10 if name == "main.md" else 2), internal
    for href in internal:
        path, _, fragment = href.partition("#")
        target = posixpath.normpath(posixpath.join(page, path)) if path else page.rstrip("/")
        built = good_build.site / target
        if built.is_dir():
            html = (built / "index.html").read_text("utf-8")
            assert not fragment or f'id="{fragment}"' in html, href
        else:
            assert built.is_file(), href


def test_links_are_rewritten_to_the_pages_they_name(good_build: Build, good_site: Site, good_notes: Path) -> None:
    html = article_html(good_build.html(page_of(good_site, good_notes, "main.md")))
    other, sub = (note_at(good_site, good_notes / n).slug for n in ("other.md", "sub/other.md"))
    for label, href in (("the other note", f"../{other}/"), ("its setup", f"../{other}/#setup"),
                        ("by its heading", f"../{other}/#setup"), ("sub note", f"../{sub}/"),
                        ("back to links", "./#links"), ("Other Note", f"../{other}/"),
                        ("setup steps", f"../{other}/#setup"), ("the slides", "../attachments/slides.pdf"),
                        ("the other by reference", f"../{other}/#setup")):
        assert f'<a href="{href}">{label}</a>' in html, label
    assert f'<a href="../{sub}/" title="The \'sub\' note">the sub by reference</a>' in html
    # ![[diagram.png]], @attachment/diagram.png and ![..][pic]
    assert html.count('src="../attachments/diagram.png"') == 3
    assert (good_build.site / "notes" / "attachments" / "diagram.png").read_bytes().startswith(b"\x89PNG")
    text = content_text(good_build.html(page_of(good_site, good_notes, "main.md")))
    assert "[in code](nowhere-inline.md)" in text and "[[Nowhere Fenced]]" in text  # code shown as written
    assert "broken link" not in text and "Missing attachment" not in text


def test_backlinks_appear_on_the_target_page(good_build: Build, good_site: Site, good_notes: Path) -> None:
    html = good_build.html(page_of(good_site, good_notes, "other.md"))
    linked_from = re.search(r"<strong>Linked from:</strong>(.*?)</p>", html, re.S)
    assert linked_from, "no 'Linked from' on the target page"
    main, sub = (note_at(good_site, good_notes / n).slug for n in ("main.md", "sub/other.md"))
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', linked_from.group(1)) == [
        (f"../{main}/", "Main Note"), (f"../{sub}/", "Sub Other")]


def test_strict_build_fails_naming_each_broken_link(broken_build: Build, broken_notes: Path) -> None:
    assert broken_build.returncode != 0
    warnings = [line for line in broken_build.log.splitlines() if line.startswith("WARNING")]
    for message in expected_broken(broken_notes).values():
        assert sum(message in line for line in warnings) == 1, (message, warnings)


def test_broken_links_and_missing_attachments_are_visible(broken_build: Build, broken_site: Site,
                                                          broken_notes: Path) -> None:
    page = page_of(broken_site, broken_notes, "broken.md")
    assert (broken_build.site / page / "index.html").is_file(), "the strict build wrote no page to look at"
    text = content_text(broken_build.html(page))
    # The label stays readable text, a small ⚠ follows it, the target is in its tooltip (escaped).
    for label, target in (("missing heading", "other.md#nowhere"), ("bad anchor", "#no-such-heading"),
                          ("Missing Note", "[[Missing Note]]"), ("nowhere", "nowhere.md"),
                          ("referenced nowhere", "nowhere-ref.md")):
        assert f"{label}⚠" in text, (label, text)
        assert f'title="Broken link: {html.escape(target)}' in broken_build.html(page), target
    assert "broken link:" not in text and "Missing attachment: gone.png" in text


def test_a_malformed_url_is_reported_and_shown_not_a_crash(tmp_path: Path) -> None:
    """'https://[oops' makes urlsplit raise: the build must report it with file and line, not stop."""
    notes = write_notes(tmp_path / "notes", {"bad-urls.md": "# Bad URLs\n\nA [bad](https://[oops/x) link and <https://[bad> too.\n"})
    build = run_mkdocs_build(tmp_path / "site", notes=notes, strict=False)
    assert build.returncode == 0, build.log
    assert "Traceback" not in build.log
    assert f"{notes / 'bad-urls.md'}:3: malformed URL: https://[oops/x" in build.log
    text = content_text(build.html("notes/bad-urls/"))
    assert "bad⚠" in text and "https://[bad⚠" in text
