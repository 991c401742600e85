"""The whole wiki from the seeds (one shared strict build), and from another folder via STUDYGUIDE_NOTES.

Expectations come from the inputs (seeds/exams/mls-c01.yml, the note files), not from the site's code.
"""
from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SEED_NOTES, Build, run_mkdocs_build
from page_text import content, content_text, top_navigation

OUTLINE = yaml.safe_load((ROOT / "seeds" / "exams" / "mls-c01.yml").read_text("utf-8"))
DOMAINS = OUTLINE["domains"]
EXAM = OUTLINE["exam"]
SEED_FILES = sorted(p for p in SEED_NOTES.iterdir() if p.is_file() and not p.name.startswith(("_", ".")))


def slug(stem: str) -> str:
    """A note's URL part: its file name slugged, a Notion page's 32-hex id left out."""
    return re.sub(r"[^a-z0-9]+", "-", re.sub(r"\s+[0-9a-f]{32}$", "", stem).lower()).strip("-")


def unmojibake(text: str) -> str:
    try:
        return text.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def seed_title(path: Path) -> str:
    """The title a reader expects: front-matter title, else the first line (the essay)."""
    text = path.read_text("utf-8")
    if text.startswith("---\n"):
        front = yaml.safe_load(text.split("\n---\n", 1)[0][4:])
        return unmojibake(str(front["title"]))
    return text.split("\n", 1)[0].strip()


def domain_url(build: Build, domain: dict) -> str:
    """The URL of a domain's page, found by its link on the domains index."""
    index = build.html("domains/")
    title = f"Domain {domain['number']}: {domain['name']}"
    match = re.search(rf'<a href="([^"]+)"[^>]*>{re.escape(title)}</a>', index)
    assert match, f"domains index does not link {title!r}"
    return "domains/" + match.group(1).removeprefix("./")


def ids_on(page_html: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', page_html))


# --- a page per note -------------------------------------------------------------------------

@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.stem[:3])
def test_a_page_per_note_at_its_file_name(seed_build: Build, path: Path) -> None:
    page = seed_build.html(f"notes/{slug(path.stem)}/")
    title = seed_title(path)
    assert f"<title>{htmllib.escape(title, quote=False)}" in page
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    assert h1 and content_text(f"<article>{h1.group(1)}</article>")  # a visible heading


def test_every_note_and_nothing_else_under_notes(seed_build: Build) -> None:
    built = {p.parent.name for p in (seed_build.site / "notes").glob("*/index.html")}
    assert built == {slug(p.stem) for p in SEED_FILES}


def test_duplicate_titles_get_distinct_pages(seed_build: Build) -> None:
    first, second = (next(p for p in SEED_FILES if p.name.startswith(n)) for n in ("000", "001"))
    assert seed_title(first).replace("–", "-") == seed_title(second)  # the same title but for the dash
    one = content_text(seed_build.html(f"notes/{slug(first.stem)}/"))
    two = content_text(seed_build.html(f"notes/{slug(second.stem)}/"))
    assert "Current Progress:" in one and "Current Progress:" not in two
    assert "Earned the AWS Certified" in two and "Earned the AWS Certified" not in one
    nav = content(seed_build.html("notes/"), whole_page=True).hrefs
    for path in (first, second):
        assert any(h.rstrip("/").endswith(slug(path.stem)) for h in nav), path.name


def test_unknown_front_matter_keys_are_shown_in_the_about_table(seed_build: Build) -> None:
    path = next(p for p in SEED_FILES if p.name.startswith("000"))
    front = yaml.safe_load(path.read_text("utf-8").split("\n---\n", 1)[0][4:])
    html = seed_build.html(f"notes/{slug(path.stem)}/")
    assert "About this note" in content_text(html)
    for key in ("entity_id", "issuer", "issuer_id", "progress_percentage", "target_date"):
        row = re.search(rf"<td>{key}</td>\s*<td>(.*?)</td>", html, re.S)
        assert row, key
        assert str(front[key]) in htmllib.unescape(row.group(1)), key
    row = re.search(r"<td>technologies</td>\s*<td>(.*?)</td>", html, re.S)
    assert row and all(t in row.group(1) for t in front["technologies"])


# --- domain pages ----------------------------------------------------------------------------

def test_outline_is_what_the_issue_says() -> None:
    assert [d["weight"] for d in DOMAINS] == [20, 24, 36, 20]
    assert [t["id"] for d in DOMAINS for t in d["tasks"]] == [
        "1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3", "3.4", "3.5", "4.1", "4.2", "4.3", "4.4"]


@pytest.mark.parametrize("domain", DOMAINS, ids=lambda d: str(d["number"]))
def test_domain_page_has_weight_and_tasks(seed_build: Build, domain: dict) -> None:
    text = content_text(seed_build.html(domain_url(seed_build, domain)))
    assert f"Domain {domain['number']}: {domain['name']}" in text
    assert re.search(rf"\b{domain['weight']}\s?%", text)
    for task in domain["tasks"]:
        assert re.search(rf"{re.escape(task['id'])}\s+{re.escape(task['text'])}", text), task


def explicit_domain_mentions(number: int) -> list[tuple[Path, str]]:
    """Headings and bold lead-ins of the seeds that name "Domain N" (the note says which domain it is)."""
    found = []
    for path in SEED_FILES:
        for line in path.read_text("utf-8").split("\n"):
            line = unmojibake(line)
            heading = re.match(r"#{1,6}\s+(Domain (\d+)\b.*)$", line)
            lead = re.match(r"\*\*(Domain (\d+)\b[^*]*)\*\*", line)
            match = heading or lead
            if match and int(match.group(2)) == number:
                found.append((path, match.group(1).strip()))
    return found


@pytest.mark.parametrize("domain", DOMAINS, ids=lambda d: str(d["number"]))
def test_domain_page_gathers_the_sections_that_name_it(seed_build: Build, domain: dict) -> None:
    url = domain_url(seed_build, domain)
    page = seed_build.html(url)
    text = content_text(page)
    expected = explicit_domain_mentions(domain["number"])
    assert len(expected) >= 3  # 000's checklist, 002's outline, 003's lead-in
    for path, title in expected:
        assert title in text, (path.name, title)
        assert f"notes/{slug(path.stem)}/#" in page, f"no link to a section of {path.name}"


def test_essay_data_engineering_sections_are_on_domain_1(seed_build: Build) -> None:
    essay = next(p for p in SEED_FILES if p.name.startswith("004")).read_text("utf-8").split("\n")
    headings = [line for line in essay if line.startswith("Data Engineering") and not line.endswith(".")]
    assert len(headings) >= 3
    text = content_text(seed_build.html(domain_url(seed_build, DOMAINS[0])))
    for heading in headings:
        assert heading in text, heading


@pytest.mark.parametrize("domain", DOMAINS, ids=lambda d: str(d["number"]))
def test_domain_page_links_reach_their_sections(seed_build: Build, domain: dict) -> None:
    url = domain_url(seed_build, domain)
    base = url.rstrip("/")
    links = [h for h in content(seed_build.html(url)).hrefs if "notes/" in h and "#" in h]
    assert links
    for href in links:
        target, anchor = href.split("#", 1)
        resolved = Path(base, target).as_posix()
        parts: list[str] = []
        for part in resolved.split("/"):
            if part == "..":
                parts.pop()
            elif part and part != ".":
                parts.append(part)
        assert anchor in ids_on(seed_build.html("/".join(parts) + "/")), href


# --- home page and navigation ------------------------------------------------------------------

def test_home_lists_domains_and_notes(seed_build: Build) -> None:
    text = content_text(seed_build.html("index.html"))
    for domain in DOMAINS:
        assert f"Domain {domain['number']}: {domain['name']}" in text
    for path in SEED_FILES:
        assert seed_title(path) in text, path.name


def test_home_says_the_exam_was_retired(seed_build: Build) -> None:
    text = content_text(seed_build.html("index.html"))
    retired = EXAM["retired"].isoformat()
    assert retired == "2026-03-31"
    assert re.search(rf"retire[ds]?[^.]*{retired}|{retired}[^.]*retire", text), text[:500]


def test_home_shows_both_durations_with_their_sources(seed_build: Build) -> None:
    text = content_text(seed_build.html("index.html"))
    durations = EXAM["durations"]
    assert {d["value"] for d in durations} == {"180 minutes", "190 minutes"}
    for duration in durations:
        value, source = duration["value"], duration["source"]
        where = text.find(value)
        assert where >= 0, value
        # The source is named next to its value (by path or by the note's title).
        nearby = text[where: where + 200]
        assert source in nearby or seed_title(ROOT / source) in nearby, (value, nearby)


def test_navigation_has_home_domains_notes_tags(seed_build: Build) -> None:
    for page in ("index.html", "notes/", domain_url(seed_build, DOMAINS[0])):
        labels = [label for label, _ in top_navigation(seed_build.html(page))]
        wanted = ["Home", "Domains", "Notes", "Tags"]
        assert [label for label in labels if label in wanted] == wanted, labels


def test_notes_index_and_tags_page_list_the_notes(seed_build: Build) -> None:
    text = content_text(seed_build.html("notes/"))
    for path in SEED_FILES:
        assert seed_title(path) in text
    tags = content_text(seed_build.html("tags/"))
    for tag in ("AWS", "ML", "Certification", "intro"):  # tags of 001 and 003
        assert tag in tags


# --- another notes folder ----------------------------------------------------------------------

OTHER_NOTES = {
    "Feature Store 0123456789abcdef0123456789abcdef.md":
        "# Feature Store\n\nSageMaker Feature Store keeps online and offline features.\n",
    "batch-vs-realtime.txt":
        "Batch Versus Real-Time Inference\nBatch transform scores a whole dataset at once.\nWhen To Choose\n"
        "Real-time endpoints answer one request at a time.\n",
}


@pytest.fixture(scope="module")
def other_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    folder = tmp_path_factory.mktemp("other-notes")
    for name, text in OTHER_NOTES.items():
        (folder / name).write_text(text, "utf-8")
    return run_mkdocs_build(tmp_path_factory.mktemp("other-site") / "site", notes=folder)


def test_studyguide_notes_builds_a_wiki_of_that_folder(other_build: Build) -> None:
    assert other_build.returncode == 0, other_build.log
    built = {p.parent.name for p in (other_build.site / "notes").glob("*/index.html")}
    assert built == {slug(Path(name).stem) for name in OTHER_NOTES}
    text = content_text(other_build.html("notes/batch-vs-realtime/"))
    assert "Batch transform scores a whole dataset at once." in text
    assert "Feature Store" in content_text(other_build.html("index.html"))
    for path in SEED_FILES:
        assert seed_title(path) not in content_text(other_build.html("notes/"))
    for domain in DOMAINS:
        assert (other_build.site / domain_url(other_build, domain) / "index.html").is_file()


# --- every dialect, built ------------------------------------------------------------------------

DIALECT_NOTES = {
    # file name: (text, title the page must have, body text the page must show, date/tags shown)
    "Obsidian Note.md": ("---\ntags: [sagemaker, exam/mls]\naliases: [SM log]\ncssclasses: [wide]\n---\n\n"
                         "# Obsidian Note\n\nObsidian body about SageMaker.\n", "Obsidian Note", "Obsidian body about SageMaker.",
                         ["sagemaker", "SM log"]),
    "2024-03-05-jekyll-post.md": ("---\nlayout: post\ntitle: Jekyll Post\ncategories: [aws]\ntags: glue athena\n---\n\n"
                                  "Jekyll body about Glue.\n", "Jekyll Post", "Jekyll body about Glue.",
                                  ["2024-03-05", "glue", "athena", "post"]),
    "hugo-note.md": ('+++\ntitle = "Hugo Note"\ndate = 2024-01-02\nlastmod = 2024-02-03\ndraft = false\n'
                     'tags = ["emr"]\n+++\n\nHugo body about EMR.\n', "Hugo Note", "Hugo body about EMR.",
                     ["2024-02-03", "emr"]),
    "Notion Page 0123456789abcdef0123456789abcdef.md": ("# Notion Page\n\nNotion body about Kinesis.\n", "Notion Page",
                                                         "Notion body about Kinesis.", []),
    "json-note.md": ('{\n  "title": "JSON Note",\n  "tags": ["json"]\n}\n\nJSON body about Athena.\n', "JSON Note",
                     "JSON body about Athena.", ["json"]),
}


@pytest.fixture(scope="module")
def dialect_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    folder = tmp_path_factory.mktemp("dialect-notes")
    for name, (text, *_rest) in DIALECT_NOTES.items():
        (folder / name).write_text(text, "utf-8")
    (folder / "draft.md").write_text("---\ntitle: Draft Note\ndraft: true\n---\n\nNot published.\n", "utf-8")
    return run_mkdocs_build(tmp_path_factory.mktemp("dialect-site") / "site", notes=folder)


@pytest.mark.parametrize("name", list(DIALECT_NOTES))
def test_dialect_note_is_a_page(dialect_build: Build, name: str) -> None:
    assert dialect_build.returncode == 0, dialect_build.log
    _, title, body, shown = DIALECT_NOTES[name]
    page = dialect_build.html(f"notes/{slug(Path(name).stem)}/")
    text = content_text(page)
    assert f"<title>{title}" in page
    assert body in text
    for value in shown:  # dates, tags and kept keys are on the page
        assert value in text, value


def test_draft_is_not_published(dialect_build: Build) -> None:
    assert not (dialect_build.site / "notes" / "draft").exists()
    assert "Draft Note" not in content_text(dialect_build.html("notes/"))


def test_with_source_date_epoch_two_builds_are_the_same_bytes(tmp_path: Path) -> None:
    """Reproducible builds (https://reproducible-builds.org): with SOURCE_DATE_EPOCH set, every file of the site,
    the Anki deck and the sitemap included, is the same in two builds of the same notes."""
    sites = []
    for name in ("first", "second"):
        build = run_mkdocs_build(tmp_path / name / "site", extra_env={"SOURCE_DATE_EPOCH": "1764547200"})
        assert build.returncode == 0, build.log
        sites.append({p.relative_to(build.site).as_posix(): p.read_bytes() for p in build.site.rglob("*") if p.is_file()})
    assert sites[0].keys() == sites[1].keys()
    assert [name for name in sorted(sites[0]) if sites[0][name] != sites[1][name]] == []
    assert any(name.endswith(".apkg") for name in sites[0])
