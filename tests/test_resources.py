"""Resources and suspicious links: the seeds' three known findings (found at the right lines, accepted, so
the seed build is strict-clean; the same note elsewhere fails), the rules on synthetic links, URL
normalization and classification, and the Resources page built from the seeds."""
from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ROOT, SEED_NOTES, Build, run_mkdocs_build
from macros.linkcheck import read_report
from macros.model import Link, Note, Site
from macros.pipeline import build_site
from macros.resources import KINDS, classify, collect_resources, normalize_url, suspicious_links
from page_text import ALL_DOMAINS_NOTE, article_html, content_text

WIKI = next(p for p in SEED_NOTES.iterdir() if p.name.startswith("002"))  # the wiki page with the link lists
WIKI_LINES = WIKI.read_text("utf-8").split("\n")
SEED_FILES = sorted(p for p in SEED_NOTES.iterdir() if p.is_file() and not p.name.startswith(("_", ".")))
MARKDOWN_LINK = re.compile(r'\[([^\]]*)\]\((https?://[^\s)]+)(?:\s+"([^"]*)")?\)')


@pytest.fixture(scope="module")
def seed_site() -> Site:
    return build_site(ROOT, include_drafts=False)


def lines_with(needle: str) -> list[int]:
    return [n for n, line in enumerate(WIKI_LINES, start=1) if needle in line]


def seed_link_problems(site: Site) -> list[str]:
    return sorted(str(p) for p in site.problems if p.message.startswith(("the same URL", "the label", "a list of",
                                                                          "insecure", "malformed")))


def named_in(label: str, site: Site) -> str:
    """The catalog service a link label starts with (the longest of its spellings that does)."""
    assert site.catalog is not None
    folded = label.casefold()
    return max(((len(n), s.name) for s in site.catalog.services for n in s.names
                if folded == n.casefold() or folded.startswith(n.casefold() + " ")))[1]


def docs_owner(url: str, site: Site) -> str:
    """The catalog service whose documentation lives under the same docs.aws.amazon.com folder as ``url``."""
    assert site.catalog is not None
    folder = urlsplit(url).path.split("/")[1]
    owners = [s for s in site.catalog.services if urlsplit(s.docs_url).path.split("/")[1] == folder]
    return min(owners, key=lambda s: len(s.docs_url)).name


def expected_seed_findings(source: str, site: Site) -> list[str]:
    """The three findings the README names, with lines read from the note itself."""
    (formats,) = lines_with("[Firehose Data Formats](")
    (scaling,) = lines_with("[SageMaker Endpoint Scaling](")
    url = MARKDOWN_LINK.search(WIKI_LINES[scaling - 1]).group(2)
    assert url == MARKDOWN_LINK.search(WIKI_LINES[formats - 1]).group(2)
    first_list, repeat = lines_with("[Udemy Practice Test](")
    (_, repeat_end) = lines_with("[Official AWS Certified Machine Learning - Specialty Practice (MLS-P01)](")
    assert repeat_end - repeat == 2  # a list of three links
    named, owner = named_in("SageMaker Endpoint Scaling", site), docs_owner(url, site)
    assert "SageMaker" in named and "Firehose" in owner
    return sorted([
        f"{source}:{scaling}: the same URL is cited under different labels "
        f"('Firehose Data Formats', 'SageMaker Endpoint Scaling'): {url}",
        f"{source}:{scaling}: the label 'SageMaker Endpoint Scaling' names {named}, but the link points at "
        f"{owner} documentation: {url}",
        f"{source}:{repeat}: a list of 3 links repeats the list at line {first_list} (lines {repeat}–{repeat_end})",
    ])


# --- the seeds' findings ----------------------------------------------------------------------

def test_the_three_seed_findings_are_found_at_their_lines_and_accepted(seed_site: Site) -> None:
    source = WIKI.relative_to(ROOT).as_posix()
    found = seed_link_problems(seed_site)
    assert found == expected_seed_findings(source, seed_site)
    for problem in seed_site.problems:
        if str(problem) in found:
            assert problem.level == "accepted", str(problem)
    assert [str(p) for p in seed_site.problems if p.level != "accepted"] == []  # the seed build is strict-clean


def test_the_seed_build_is_strict_clean_and_reports_them_as_accepted(seed_build: Build) -> None:
    assert seed_build.returncode == 0
    assert "WARNING" not in seed_build.log
    report = content_text(seed_build.html("report/"))
    assert "Problems (0)" in report
    assert "Accepted findings" in report and "SageMaker Endpoint Scaling" in report
    assert "a list of 3 links repeats the list" in report


@pytest.fixture(scope="module")
def copied_wiki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wiki note in a notes folder of its own: accepted-findings.yml names seeds/notes/..., not this file."""
    folder = tmp_path_factory.mktemp("wiki") / "notes"
    folder.mkdir()
    shutil.copy2(WIKI, folder / WIKI.name)
    (folder / "outline.md").write_text(ALL_DOMAINS_NOTE, "utf-8")
    return folder.resolve()


def test_the_same_findings_elsewhere_are_not_accepted(copied_wiki: Path, seed_site: Site) -> None:
    site = build_site(ROOT, copied_wiki)
    found = seed_link_problems(site)
    assert found == expected_seed_findings(str(copied_wiki / WIKI.name), seed_site)
    assert {p.level for p in site.problems if str(p) in found} == {"finding"}


def test_the_same_findings_elsewhere_fail_a_strict_build(copied_wiki: Path, seed_site: Site,
                                                         tmp_path: Path) -> None:
    build = run_mkdocs_build(tmp_path / "site", notes=copied_wiki)
    assert build.returncode != 0
    warnings = [re.sub(r" \[[\w/-]+\]$", "", line.split("studyguide: ", 1)[1]) for line in build.log.splitlines()
                if line.startswith("WARNING") and "studyguide: " in line]  # without the finding's code
    assert sorted(warnings) == expected_seed_findings(str(copied_wiki / WIKI.name), seed_site)


# --- the rules, on synthetic links --------------------------------------------------------------

NOTES = [Note(source=f"{slug}.md", slug=slug, title=slug, dialect="markdown", body=f"# {slug}", body_line=1)
         for slug in ("a", "b")]


def links(*specs: tuple) -> list[Link]:
    """(label, url, line[, note slug]) → links written in the notes "a" (default) and "b"."""
    return [Link(url, label, "", slug, "", line) for label, url, line, slug in (spec + ("a",) * (4 - len(spec))
                                                                               for spec in specs)]


RULES = {
    "same label, different URLs": (
        links(("Guide", "https://a.example/guide", 3), ("Guide", "https://b.example/guide", 7)),
        ["a.md:7: the label 'Guide' points at different URLs: https://b.example/guide here, "
         "https://a.example/guide at line 3"]),
    "same label in another case and note": (
        links(("Exam guide", "https://a.example/guide", 3), ("exam Guide", "https://b.example/guide", 5, "b")),
        ["b.md:5: the label 'exam Guide' points at different URLs: https://b.example/guide here, "
         "https://a.example/guide at line 3"]),
    "same label, the same page written two ways": (
        links(("Guide", "https://A.example/guide/?utm_source=x", 3), ("Guide", "https://a.example/guide#top", 7)),
        []),
    "same URL, different labels": (
        links(("Data formats", "https://a.example/formats", 2), ("Endpoint scaling", "https://a.example/formats/", 4)),
        ["a.md:4: the same URL is cited under different labels ('Data formats', 'Endpoint scaling'): "
         "https://a.example/formats/"]),
    "same URL, labels differing only in case": (
        links(("Udemy practice test", "https://a.example/t", 2), ("Udemy Practice Test", "https://a.example/t", 9)),
        []),
    "same URL, once as a bare URL": (
        links(("Formats", "https://a.example/f", 2), ("https://a.example/f", "https://a.example/f", 4)),
        []),
    "http:// is insecure": (
        links(("Plain", "http://a.example/page", 6)),
        ["a.md:6: insecure link: use https:// for http://a.example/page"]),
    "http:// on this machine is fine": (
        links(("Local", "http://localhost:8000/", 1), ("Loopback", "http://127.0.0.1:8000/x", 2),
              ("IPv6 loopback", "http://[::1]:8000/y", 3), ("Secure", "https://a.example/", 4)),
        []),
    "a malformed URL is reported, not a crash": (
        links(("Bad port", "https://a.example:abc/x", 5), ("Bad host", "https://[oops/x", 6)),
        ["a.md:5: malformed URL: https://a.example:abc/x", "a.md:6: malformed URL: https://[oops/x"]),
    "a repeated list of links": (
        links(("One", "https://a.example/1", 1), ("Two", "https://a.example/2", 2), ("Three", "https://a.example/3", 3),
              ("Other", "https://a.example/o", 5),
              ("One", "https://a.example/1", 8), ("Two", "https://a.example/2", 9), ("Three", "https://a.example/3", 10)),
        ["a.md:8: a list of 3 links repeats the list at line 1 (lines 8–10)"]),
    "one link cited twice is no list": (
        links(("One", "https://a.example/1", 1), ("Two", "https://a.example/2", 2), ("One", "https://a.example/1", 5)),
        []),
    "the same list in two notes": (
        links(("One", "https://a.example/1", 1), ("Two", "https://a.example/2", 2),
              ("One", "https://a.example/1", 1, "b"), ("Two", "https://a.example/2", 2, "b")),
        []),
}


@pytest.mark.parametrize("case", list(RULES))
def test_suspicious_link_rules(case: str) -> None:
    given, expected = RULES[case]
    problems = suspicious_links(given, NOTES, None)
    assert sorted(str(p) for p in problems) == sorted(expected)
    assert {p.level for p in problems} <= {"finding"}


@pytest.mark.parametrize("label, url, flagged", [
    ("SageMaker Endpoint Scaling", "https://docs.aws.amazon.com/firehose/latest/dev/record-format-conversion.html", True),
    ("Amazon S3 storage classes", "https://docs.aws.amazon.com/sagemaker/latest/dg/whatis.html", True),
    ("SageMaker and VPCs", "https://docs.aws.amazon.com/sagemaker/latest/dg/appendix-notebook-and-internet-access.html", False),
    ("Firehose Data Formats", "https://docs.aws.amazon.com/firehose/latest/dev/record-format-conversion.html", False),
    ("SageMaker Python SDK", "https://sagemaker.readthedocs.io/en/stable/overview.html", False),  # not AWS docs
    ("My favourite guide", "https://docs.aws.amazon.com/firehose/latest/dev/what-is-this-service.html", False),
])
def test_a_label_naming_one_service_pointing_at_another_services_docs(seed_site: Site, label: str, url: str,
                                                                      flagged: bool) -> None:
    problems = [str(p) for p in suspicious_links(links((label, url, 4)), NOTES, seed_site.catalog)]
    assert bool([p for p in problems if f"the label '{label}' names " in p and url in p]) == flagged, problems


SAME_URL = [
    ("HTTPS://Docs.AWS.Amazon.com/sagemaker/latest/", "https://docs.aws.amazon.com/sagemaker/latest"),
    ("https://a.example/page/", "https://a.example/page"),
    ("https://a.example", "https://a.example/"),
    ("https://a.example/page?utm_source=news&utm_medium=mail&utm_campaign=x", "https://a.example/page"),
    ("https://a.example/page?id=3&utm_content=y", "https://a.example/page?id=3"),
    ("https://a.example/page?b=2&a=1", "https://a.example/page?a=1&b=2"),
    ("https://a.example/page#section", "https://a.example/page"),
    ("https://a.example:443/page", "https://a.example/page"),
    ("http://a.example:80/page", "http://a.example/page"),
    ("https://a.example/Practice-%E2%80%93-Exams", "https://a.example/Practice-–-Exams"),
]
DIFFERENT_URL = [
    ("https://www.aws.training/Details/eLearning?id=26598", "https://www.aws.training/Details/eLearning?id=26597"),
    ("https://a.example/Page", "https://a.example/page"),
    ("https://a.example:8443/page", "https://a.example/page"),
    ("https://a.example/page", "https://b.example/page"),
    ("http://[::1]:8080/x", "http://[::1]/x"),
    ("http://[::1]:8080/x", "http://[::1:8080]/x"),
]


@pytest.mark.parametrize("one, two", SAME_URL)
def test_normalize_url_same_page(one: str, two: str) -> None:
    assert normalize_url(one) == normalize_url(two)


@pytest.mark.parametrize("one, two", DIFFERENT_URL)
def test_normalize_url_different_pages(one: str, two: str) -> None:
    assert normalize_url(one) != normalize_url(two)


@pytest.mark.parametrize("url, expected", [
    ("HTTPS://Docs.AWS.Amazon.com:443/sagemaker/?utm_source=x&b=2&a=1#frag", "https://docs.aws.amazon.com/sagemaker?a=1&b=2"),
    ("http://[::1]:8080/x/", "https://[::1]:8080/x"),
    ("https://a.example:abc/x", "https://a.example:abc/x"),  # malformed: kept as written, never a crash
])
def test_normalize_url_result(url: str, expected: str) -> None:
    assert normalize_url(url) == expected


@pytest.mark.parametrize("url, label, kind", [
    ("https://docs.aws.amazon.com/sagemaker/latest/dg/whatis.html", "", "documentation"),
    ("https://aws.amazon.com/blogs/machine-learning/use-the-amazon-sagemaker-local-mode/", "", "blog"),
    ("https://www.udemy.com/course/aws-machine-learning-practice-exam/", "", "practice"),
    ("https://www.braincert.com/course/22419-AWS-Certified", "", "practice"),
    ("https://www.certmetrics.com/amazon/", "", "practice"),
    ("https://www.aws.training/Details/eLearning?id=26598", "", "training"),
    ("https://docs.google.com/document/d/1B7m0/edit?usp=sharing", "", "community"),
    ("https://tomgregory.com/when-to-use-an-aws-s3-vpc-endpoint/", "", "other"),
    ("https://aws.amazon.com/machine-learning/ai-services/", "", "other"),
    ("https://notudemy.com/course/x", "", "other"),
    ("https://example.com/course", "Full practice exam", "practice"),
    ("https://a.example:abc/x", "", "other"),
])
def test_classify(url: str, label: str, kind: str) -> None:
    assert classify(url, label) == kind


def test_resources_are_deduplicated_by_normalized_url() -> None:
    given = links(("Guide", "https://a.example/guide/", 1), ("Guide", "https://A.example/guide?utm_source=x", 2),
                  ("Other guide", "https://a.example/guide#part", 3, "b"))
    given.append(Link("https://a.example/i.png", "Image", "", "a", "", 4, is_image=True))  # an image is no resource
    (resource,) = collect_resources(given, NOTES, None)
    assert resource.url == "https://a.example/guide/" and resource.labels == ["Guide", "Other guide"]
    assert [(c.note_slug, c.line) for c in resource.citations] == [("a", 1), ("a", 2), ("b", 3)]


# --- the Resources page of the seeds -------------------------------------------------------------

# Where each seed link belongs, decided here from its host and path (not by the code under test).
def expected_kind(url: str) -> str:
    parts = urlsplit(url)
    host, path = parts.hostname or "", parts.path
    if host in ("docs.aws.amazon.com", "sagemaker.readthedocs.io"):
        return "documentation"
    if host == "aws.amazon.com" and path.startswith("/blogs/"):
        return "blog"
    if host in ("www.aws.training",) or (host == "d1.awsstatic.com" and "training-and-certification" in path):
        return "training"
    if host in ("www.udemy.com", "www.braincert.com", "www.certmetrics.com"):
        return "practice"
    if host == "docs.google.com":
        return "community"
    return "other"


def seed_links() -> list[tuple[str, str, str, str, int, Path]]:
    """(url, label, title, text after the link, line, file) of every Markdown link to the web in the seeds."""
    found = []
    for path in SEED_FILES:
        for number, line in enumerate(path.read_text("utf-8").split("\n"), start=1):
            for match in MARKDOWN_LINK.finditer(line):
                found.append((match.group(2), match.group(1), match.group(3) or "", line[match.end():], number, path))
    return found


def resource_items(build: Build) -> dict[str, tuple[str, str]]:
    """URL of each top-level item of the Resources page → (kind heading above it, item HTML)."""
    article = article_html(build.html("resources/"))
    items: dict[str, tuple[str, str]] = {}
    heading = ""
    for match in re.finditer(r'<h2 id="[^"]*">(.*?)<a class="headerlink"|<li><a href="(https?://[^"]+)">', article):
        if match.group(1) is not None:
            heading = match.group(1)
            continue
        url = match.group(2)
        assert url not in items, f"{url} is listed twice"
        end = article.find("\n<li><a href=\"http", match.end())
        items[url] = (heading, article[match.start(): end if end > 0 else len(article)])
    return items


def test_every_seed_link_is_listed_once_under_its_kind(seed_build: Build) -> None:
    cited = seed_links()
    assert len(cited) >= 20
    anywhere = {normalize_url(url) for path in SEED_FILES
                for url in re.findall(r"https?://[^\s)\]\"'<>]+", re.sub(r"\A---\n.*?\n---\n", "", path.read_text("utf-8"),
                                                                    flags=re.S))}
    assert anywhere == {normalize_url(url) for url, *_ in cited}  # every URL of the notes is in a Markdown link
    distinct = {normalize_url(url): url for url, *_ in reversed(cited)}  # first spelling of each page
    items = resource_items(seed_build)
    assert set(items) == set(distinct.values())
    titles = dict(KINDS)
    for url, (heading, _) in items.items():
        assert heading == titles[expected_kind(url)], (url, heading)
    headings = [h for h in re.findall(r'<h2 id="[^"]*">(.*?)<a', article_html(seed_build.html("resources/")))]
    assert headings == [title for kind, title in KINDS if any(expected_kind(u) == kind for u in items)]


def test_each_resource_shows_labels_citations_hints_and_status(seed_build: Build) -> None:
    items = resource_items(seed_build)
    report = seed_build.site / "reports" / "links.json"  # the statuses this build published, if any
    statuses = read_report(report) if report.exists() else {}
    by_url: dict[str, list[tuple[str, str, str, int, Path]]] = {}
    for url, label, title, after, line, path in seed_links():
        by_url.setdefault(normalize_url(url), []).append((label, title, after, line, path))
    for key, citations in by_url.items():
        url = next(u for u in items if normalize_url(u) == key)
        text = content_text(f"<article>{items[url][1]}</article>")
        for label, title, after, line, path in citations:
            assert label in text, (url, label)
            if title:
                assert title in text, (url, title)
            note_href = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
            assert f'href="../notes/{note_href}/"' in items[url][1], url
        # Reader-facing: no source lines (the Build report has them), no "not checked" for a link never checked.
        assert "(line " not in text and "not checked" not in text, url
        assert ("status: " in text) == (url in statuses), url
    texts = {url: content_text(f"<article>{html}</article>") for url, (_, html) in items.items()}
    assert "8 hours" in texts["https://www.aws.training/Details/eLearning?id=26598"]
    assert "65 questions" in texts["https://www.udemy.com/course/aws-machine-learning-practice-exam/"]
    flagged = texts["https://docs.aws.amazon.com/firehose/latest/dev/record-format-conversion.html"]
    assert "⚠️ Suspicious link: the label 'SageMaker Endpoint Scaling' names" in flagged


def test_domain_pages_list_resources_for_their_domain(seed_build: Build) -> None:
    index = article_html(seed_build.html("domains/"))
    pages = re.findall(r'<a href="\.?/?([^"]+)"[^>]*>Domain \d+: ', index)
    assert len(pages) == 4
    cited = {normalize_url(url) for url, *_ in seed_links()}
    for page in pages:
        html = article_html(seed_build.html(f"domains/{page}"))
        assert 'id="resources-for-this-domain"' in html, page
        start = html.index('id="resources-for-this-domain"')
        end = html.find("<h2", start + 1)  # the last part of the page, or the one before the next
        part = html[start: end if end > 0 else len(html)]
        listed = re.findall(r'<li><a href="(https?://[^"]+)">', part)
        assert listed, page
        assert {normalize_url(u) for u in listed} <= cited, page
