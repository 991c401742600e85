"""The service glossary: unknown and misspelled names fail the build with file and line; the glossary page
(by category, alphabetical, with "Mentioned in" links that reach real sections); services per domain page;
mention links in note pages (first per section, never in code, headings or links).

Expectations come from the catalog (seeds/services.yml), the note files and the site model; the pages are
read as built by a real ``mkdocs build``.
"""
from __future__ import annotations

import posixpath
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from conftest import copy_project, ROOT, SEED_NOTES, Build, run_mkdocs_build
from macros.model import Service, Site
from macros.pipeline import build_site
from page_text import ALL_DOMAINS_NOTE, article_html, content_text, squash

SEED_FILES = sorted(p for p in SEED_NOTES.iterdir() if p.is_file() and not p.name.startswith(("_", ".")))


@pytest.fixture(scope="module")
def seed_site() -> Site:
    """The site model of the seeds, as the published build makes it (no drafts)."""
    return build_site(ROOT, include_drafts=False)


def service_named(site: Site, spelling: str) -> Service:
    assert site.catalog is not None
    return next(s for s in site.catalog.services if spelling in s.names)


def slug(stem: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")


def ids_on(html: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', html))


def resolve(from_page: str, href: str) -> tuple[str, str]:
    """(page URL path, fragment) that a relative ``href`` on ``from_page`` (``glossary/``) leads to."""
    path, _, fragment = href.partition("#")
    target = posixpath.normpath(posixpath.join(from_page, path))
    assert not target.startswith(".."), href
    return target.strip("/") + "/", fragment


def sections_of(html: str) -> list[tuple[str, str]]:
    """(id, HTML) of each part of the article that starts at an element with an id on a heading or lead-in
    paragraph and runs to the next one."""
    parts = re.split(r'(?=<h[1-6][^>]*\sid="|<p[^>]*\sid=")', article_html(html))
    found = []
    for part in parts:
        match = re.match(r'<(?:h[1-6]|p)[^>]*\sid="([^"]+)"', part)
        if match:
            found.append((match.group(1), part))
    return found


# --- unknown and misspelled names, through the pipeline and a strict build -----------------------

USED_NOTE = """---
title: Services we used
---

# Services we used

Some words before the sentence.

We used Amazon Bedrock and Kinesys streams.
"""
USED_LINE = USED_NOTE.split("\n").index("We used Amazon Bedrock and Kinesys streams.") + 1


@pytest.fixture(scope="module")
def without_bedrock(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project whose catalog has no Amazon Bedrock entry (the README's example)."""
    project = copy_project(tmp_path_factory.mktemp("project") / "repo")
    services = project / "seeds" / "services.yml"
    text = services.read_text("utf-8")
    entry = re.search(r"^  - name: Amazon Bedrock\n(?:(?!  - name:|  # -).*\n)*", text, re.M)
    assert entry, "seeds/services.yml has no Amazon Bedrock entry to take out"
    services.write_text(text[:entry.start()] + text[entry.end():], "utf-8")
    assert "Bedrock" not in services.read_text("utf-8")
    return project


@pytest.fixture(scope="module")
def used_notes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("used") / "notes"
    folder.mkdir()
    (folder / "used.md").write_text(USED_NOTE, "utf-8")
    return folder.resolve()


def expected_messages(site: Site, note: Path) -> list[str]:
    kinesis = service_named(site, "Kinesis")  # the service whose spelling "Kinesys" misses by one letter
    return [f"{note}:{USED_LINE}: 'Amazon Bedrock' looks like an AWS service that is not in the glossary catalog",
            f"{note}:{USED_LINE}: 'Kinesys' looks like a misspelling of '{kinesis.name}'"]


def test_unknown_and_misspelled_names_are_problems_with_file_and_line(without_bedrock: Path, used_notes: Path) -> None:
    site = build_site(without_bedrock, used_notes)
    problems = [str(p) for p in site.problems if p.level == "error"]
    for message in expected_messages(site, used_notes / "used.md"):
        assert any(p.startswith(message) for p in problems), (message, problems)
    assert not any("Bedrock" in m.text for m in site.mentions)


def test_with_bedrock_in_the_catalog_it_is_a_mention_not_a_problem(used_notes: Path) -> None:
    site = build_site(ROOT, used_notes)
    assert not [str(p) for p in site.problems if "Bedrock" in p.message]
    bedrock = service_named(site, "Amazon Bedrock")
    assert [(m.service_key, m.line) for m in site.mentions if m.text == "Amazon Bedrock"] == [(bedrock.key, USED_LINE)]
    assert any(str(p).startswith(expected_messages(site, used_notes / "used.md")[1]) for p in site.problems)


def test_a_strict_build_fails_naming_file_line_and_service(without_bedrock: Path, used_notes: Path,
                                                          tmp_path: Path) -> None:
    build = run_mkdocs_build(tmp_path / "site", notes=used_notes, project=without_bedrock)
    assert build.returncode != 0, build.log
    warnings = [line for line in build.log.splitlines() if line.startswith("WARNING")]
    site = build_site(without_bedrock, used_notes)
    for message in expected_messages(site, used_notes / "used.md"):
        assert any(message in line for line in warnings), (message, warnings)


# --- the glossary page ---------------------------------------------------------------------------

def glossary_parts(build: Build) -> tuple[str, str]:
    """(covered part, "Not yet covered" part) of the glossary article."""
    article = article_html(build.html("glossary/"))
    split = article.index('id="not-yet-covered-by-any-note"')
    return article[:split], article[split:]


def entries(html: str) -> dict[str, str]:
    """Service key → HTML of its entry (from its h3 to the next heading or category label)."""
    found = {}
    for match in re.finditer(r'<h3 id="([^"]+)"', html):
        end = re.compile(r"<h[23]\b|<p><strong>[^<]*</strong></p>").search(html, match.end())
        found[match.group(1)] = html[match.start(): end.start() if end else len(html)]
    return found


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def mentioned_keys(site: Site) -> set[str]:
    return {m.service_key for m in site.mentions}


def test_the_seeds_mention_services_and_leave_some_uncovered(seed_site: Site) -> None:
    assert seed_site.catalog is not None
    assert len(mentioned_keys(seed_site)) >= 20
    assert len(seed_site.catalog.services) - len(mentioned_keys(seed_site)) >= 10


def test_grouped_by_category_in_catalog_order_and_alphabetical_within(seed_build: Build, seed_site: Site) -> None:
    catalog = seed_site.catalog
    assert catalog is not None
    covered, _ = glossary_parts(seed_build)
    by_key = {s.key: s for s in catalog.services}
    groups: list[tuple[str, list[str]]] = []
    for match in re.finditer(r'<h2 id="[^"]*">(.*?)<a class="headerlink"|<h3 id="([^"]+)"', covered):
        if match.group(1) is not None:
            groups.append((content_text(f"<article>{match.group(1)}</article>"), []))
        else:
            assert groups, "a service entry before any category heading"
            groups[-1][1].append(match.group(2))
    used = [c for c in catalog.categories if any(by_key[k].category == c for k in mentioned_keys(seed_site))]
    assert [title for title, _ in groups] == [catalog.category_titles[c] for c in used]
    for (title, keys), category in zip(groups, used):
        assert {by_key[k].category for k in keys} == {category}, title
        names = [by_key[k].name for k in keys]
        assert names == sorted(names, key=str.casefold), title
    assert {k for _, keys in groups for k in keys} == mentioned_keys(seed_site)


def test_every_mentioned_service_has_a_full_entry(seed_build: Build, seed_site: Site) -> None:
    covered, _ = glossary_parts(seed_build)
    found = entries(covered)
    assert seed_site.catalog is not None
    for service in seed_site.catalog.services:
        if service.key not in mentioned_keys(seed_site):
            continue
        entry = found.get(service.key)
        assert entry, f"no entry with id {service.key!r}"
        text = content_text(f"<article>{entry}</article>")
        assert text.startswith(service.name), service.key
        assert squash(service.summary) in text, service.key
        for alias in service.aliases:
            assert alias in text, (service.key, alias)
        assert f'href="{service.docs_url}"' in entry, service.key
        mentions = [m for m in seed_site.mentions if m.service_key == service.key]
        sections = {(m.note_slug, m.section_anchor) for m in mentions}
        counts = f"{plural(len(mentions), 'mention')} in {plural(len(sections), 'section')}"
        assert f"Mentioned in ({counts})" in text, (service.key, text)


def test_mentioned_in_links_lead_to_sections_that_exist(seed_build: Build, seed_site: Site) -> None:
    covered, _ = glossary_parts(seed_build)
    checked = 0
    for key, entry in entries(covered).items():
        listed = entry[entry.index("Mentioned in"):]
        links = re.findall(r'<li><a href="([^"]+)">.*?</a> \((\d+)\)</li>', listed)
        expected = Counter((m.note_slug, m.section_anchor) for m in seed_site.mentions if m.service_key == key)
        assert len(links) == min(len(expected), 30), key
        for href, count in links:
            page, fragment = resolve("glossary/", href)
            assert fragment and fragment in ids_on(seed_build.html(page)), (key, href)
            note_slug = page.removeprefix("notes/").strip("/")
            assert expected[(note_slug, fragment)] == int(count), (key, href)
            checked += 1
    assert checked >= 50


def test_services_no_note_mentions_are_listed_apart(seed_build: Build, seed_site: Site) -> None:
    covered, uncovered = glossary_parts(seed_build)
    assert seed_site.catalog is not None
    missing = [s for s in seed_site.catalog.services if s.key not in mentioned_keys(seed_site)]
    assert missing
    apart = entries(uncovered)
    assert set(apart) == {s.key for s in missing}
    assert not set(apart) & set(entries(covered))
    for service in missing:
        assert squash(service.summary) in content_text(f"<article>{apart[service.key]}</article>"), service.key
        assert "Mentioned in" not in apart[service.key]


def test_poly_in_the_seeds_counts_as_amazon_polly(seed_build: Build, seed_site: Site) -> None:
    note = next(p for p in SEED_FILES if re.search(r"\bPoly\b", p.read_text("utf-8")))
    line = next(n for n, text in enumerate(note.read_text("utf-8").split("\n"), 1) if re.search(r"\bPoly\b", text))
    polly = service_named(seed_site, "Amazon Polly")
    assert "Poly" in polly.misspellings
    poly_mentions = [m for m in seed_site.mentions if m.text == "Poly"]
    assert [(m.service_key, m.note_slug, m.line) for m in poly_mentions] == [(polly.key, slug(note.stem), line)]
    covered, _ = glossary_parts(seed_build)
    entry = entries(covered)[polly.key]
    assert f"../notes/{slug(note.stem)}/#{poly_mentions[0].section_anchor}" in entry
    page = seed_build.html(f"notes/{slug(note.stem)}/")
    assert re.search(rf'<a href="\.\./\.\./glossary/#{polly.key}"[^>]*>Poly</a>', page)


def domain_pages(build: Build) -> list[str]:
    index = build.html("domains/")
    hrefs = re.findall(r'<a href="([^"]+)"[^>]*>Domain \d+: ', article_html(index))
    assert len(hrefs) == 4, hrefs
    return [posixpath.normpath(posixpath.join("domains/", h)).strip("/") + "/" for h in hrefs]


def test_every_domain_page_lists_its_services_most_mentioned_first(seed_build: Build, seed_site: Site) -> None:
    glossary_ids = ids_on(seed_build.html("glossary/"))
    for page in domain_pages(seed_build):
        html = article_html(seed_build.html(page))
        assert 'id="services-in-this-domains-notes"' in html, page
        start = html.index('id="services-in-this-domains-notes"')
        end = html.find("<h2", start + 1)
        part = html[start: end if end > 0 else len(html)]
        rows = re.findall(r'<tr>\s*<td><a href="([^"]+)"[^>]*>[^<]*</a></td>\s*<td[^>]*>(\d+)</td>', part)
        assert len(rows) >= 3, page
        counts = [int(count) for _, count in rows]
        assert counts == sorted(counts, reverse=True), (page, counts)
        assert counts[0] > 0, page
        for href, _ in rows:
            target, fragment = resolve(page, href)
            assert target == "glossary/" and fragment in glossary_ids, href


# --- mention links in note pages -------------------------------------------------------------

GLOSSARY_LINK = re.compile(r'<a href="(?:\.\./)+glossary/#([^"]+)"')


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.stem[:3])
def test_no_service_is_linked_twice_in_one_section(seed_build: Build, path: Path) -> None:
    page = seed_build.html(f"notes/{slug(path.stem)}/")
    sections = sections_of(page)
    assert sections
    linked = 0
    for anchor, html in sections:
        counts = Counter(GLOSSARY_LINK.findall(html))
        assert all(n == 1 for n in counts.values()), (anchor, {k: n for k, n in counts.items() if n > 1})
        linked += sum(counts.values())
    if path.name.startswith("004"):  # the essay names dozens of services in many sections
        assert linked >= 50 and len({a for a, h in sections if GLOSSARY_LINK.search(h)}) >= 10


def test_every_section_the_glossary_cites_links_the_service(seed_build: Build, seed_site: Site) -> None:
    missing = []
    pages: dict[str, dict[str, str]] = {}
    for mention in seed_site.mentions:
        if not mention.section_anchor:
            continue
        sections = pages.setdefault(mention.note_slug, dict(sections_of(seed_build.html(f"notes/{mention.note_slug}/"))))
        if mention.service_key not in GLOSSARY_LINK.findall(sections.get(mention.section_anchor, "")):
            missing.append((mention.note_slug, mention.section_anchor, mention.service_key))
    assert not missing, sorted(set(missing))


MENTION_NOTE = """---
title: Mention Rules
---

# Mention Rules

## Amazon Kinesis in a heading

Inline code `Amazon Athena` stays code. A link [about Amazon Redshift](https://example.com/redshift) stays a link.
A link to a note, [Amazon EMR notes](other.md), and a wikilink, [[Other Note|Amazon DynamoDB notes]], stay links.

```python
client = "Amazon QuickSight"  # fenced code
```

Then Amazon SageMaker, and Amazon SageMaker again.

## Second section

Amazon SageMaker once more, then Amazon SageMaker twice.
"""


@pytest.fixture(scope="module")
def mention_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    folder = tmp_path_factory.mktemp("mention-notes")
    (folder / "mentions.md").write_text(MENTION_NOTE, "utf-8")
    (folder / "other.md").write_text("# Other Note\n\nNothing to link here.\n", "utf-8")
    (folder / "outline.md").write_text(ALL_DOMAINS_NOTE, "utf-8")
    return run_mkdocs_build(tmp_path_factory.mktemp("mention-site") / "site", notes=folder)


def test_nothing_is_linked_in_code_headings_or_links(mention_build: Build, seed_site: Site) -> None:
    assert mention_build.returncode == 0, mention_build.log
    html = article_html(mention_build.html("notes/mentions/"))
    linked = GLOSSARY_LINK.findall(html)
    for spelling in ("Amazon Kinesis", "Amazon Athena", "Amazon Redshift", "Amazon EMR", "Amazon DynamoDB",
                     "Amazon QuickSight"):
        assert service_named(seed_site, spelling).key not in linked, spelling
    assert re.search(r'<h2 id="amazon-kinesis-in-a-heading">Amazon Kinesis in a heading<', html)
    assert "<code>Amazon Athena</code>" in html
    assert re.search(r'<a href="https://example\.com/redshift">about Amazon Redshift</a>', html)
    assert re.search(r'<a href="\.\./other/">Amazon EMR notes</a>', html)
    assert re.search(r'<a href="\.\./other/">Amazon DynamoDB notes</a>', html)
    assert "Amazon QuickSight" in html


def test_only_the_first_mention_in_each_section_is_linked(mention_build: Build, seed_site: Site) -> None:
    sagemaker = service_named(seed_site, "Amazon SageMaker")
    sections = dict(sections_of(mention_build.html("notes/mentions/")))
    for anchor, after in (("amazon-kinesis-in-a-heading", ", and Amazon SageMaker again."),
                          ("second-section", " once more, then Amazon SageMaker twice.")):
        html = sections[anchor]
        assert GLOSSARY_LINK.findall(html) == [sagemaker.key], anchor
        assert re.search(rf'#{sagemaker.key}"[^>]*>Amazon SageMaker</a>{re.escape(after)}', html), anchor
    glossary = mention_build.html("glossary/")
    entry = entries(article_html(glossary))[sagemaker.key]
    assert "Mentioned in (4 mentions in 2 sections)" in content_text(f"<article>{entry}</article>")
