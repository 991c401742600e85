"""Links, embeds and assets resolved as the source tool does (issue #13): every note and asset file of the folder is
registered first, then each link, embed and image is resolved (Obsidian's rule: relative to the note, then by name:
same folder, then shortest path); attacks never read outside the notes folder nor put script in a page; whole builds
of the Obsidian and Notion fixtures publish every image their notes show, once."""
from __future__ import annotations

import html
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import ROOT, Build, run_mkdocs_build
from macros.enrich import AssetIndex
from macros.model import natural_key
from macros.normalize import note_slug, shared_names
from macros.normalize.notion import read_properties
from macros.pipeline import build_site, generated_pages
from page_text import article_html

FIXTURES = ROOT / "tests" / "fixtures"
FILES = {p: Path(p) for p in ("_attachments/shards.png", "_attachments/pipeline-diagram.png", "a/images/pipeline-diagram.png",
                              "a/images/my chart.png", "a/b/deep.png", "b/images/pipeline-diagram.png", "a/local.png",
                              "attachments/legacy.png", "a/Untitled.png", "b/Untitled.png")}

# (note's folder, reference as written) -> (path found, other candidates named, refused)
ASSETS = [
    ("a", "images/my%20chart.png", ("a/images/my chart.png", (), False)),  # relative, percent-encoded
    ("a/b", "../images/my chart.png", ("a/images/my chart.png", (), False)),  # relative, up one folder
    ("", "a/images/my chart.png", ("a/images/my chart.png", (), False)),  # from the top of the folder
    ("x", "shards.png", ("_attachments/shards.png", (), False)),  # by name, anywhere
    ("x", "SHARDS.PNG", ("_attachments/shards.png", (), False)),  # case-insensitive, as Obsidian
    ("a", "local.png", ("a/local.png", (), False)),  # the note's own folder
    ("a", "Untitled.png", ("a/Untitled.png", (), False)),  # same folder first: Notion's per-page folders
    ("b", "Untitled.png", ("b/Untitled.png", (), False)),
    ("", "pipeline-diagram.png", ("_attachments/pipeline-diagram.png",
                                  ("a/images/pipeline-diagram.png", "b/images/pipeline-diagram.png"), False)),
    ("", "images/pipeline-diagram.png", ("a/images/pipeline-diagram.png", ("b/images/pipeline-diagram.png",), False)),
    ("", "b/images/pipeline-diagram.png", ("b/images/pipeline-diagram.png", (), False)),  # a path decides
    ("", "legacy.png", ("attachments/legacy.png", (), False)),  # the legacy attachments folder
    ("", "nowhere.png", ("", (), False)),
    # attacks: nothing outside the folder is ever looked up
    ("", "../../etc/passwd", ("", (), True)),
    ("a", "../../../etc/passwd", ("", (), True)),
    ("", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", ("", (), True)),
    ("", "/etc/passwd", ("", (), True)),
    ("", "C:/Windows/win.ini", ("", (), True)),
    ("", "file:///etc/passwd", ("", (), True)),
    ("", "javascript:alert(1)", ("", (), True)),
    ("", "shards.png%00.txt", ("", (), True)),
]


@pytest.mark.parametrize("folder, ref, expected", ASSETS, ids=[f"{r[0] or 'top'}:{r[1]}" for r in ASSETS])
def test_an_asset_resolves_as_obsidian_does(folder: str, ref: str, expected: tuple[str, tuple[str, ...], bool]) -> None:
    path, others, refused = expected
    target = AssetIndex(FILES).resolve(folder, ref)
    assert (target.path, target.others, bool(target.refused)) == (path, others, refused)


@pytest.mark.parametrize("name", ["x\".png", "<script>alert(1)</script>.png", "a b/ü é.png", "../up.png", "..png"])
def test_a_published_asset_url_is_safe(name: str) -> None:
    page = AssetIndex({f"notes/{name}": Path("x")}).page(f"notes/{name}")
    assert re.fullmatch(r"notes/assets/[a-z0-9._/-]+", page) and ".." not in page.split("/"), page


@pytest.mark.parametrize("titles, ordered", [
    (["10. Models", "2. Data", "1. Intro"], ["1. Intro", "2. Data", "10. Models"]),
    (["Week 12", "week 3", "Week 1"], ["Week 1", "week 3", "Week 12"]),
    (["b", "A", "a2", "a10"], ["A", "a2", "a10", "b"]),
])
def test_titles_sort_naturally(titles: list[str], ordered: list[str]) -> None:
    assert sorted(titles, key=natural_key) == ordered


@pytest.mark.parametrize("body, expected", [
    ("# K\n\nCreated: March 2, 2024 7:58 PM\nTags: Data Engineering, Streaming\nStatus: Done\n\nText.\n",
     dict(created="2024-03-02", tags=("Data Engineering", "Streaming"), status="Done", removed=range(2, 6))),
    ("# R\n\nCreated: March 22, 2024 11:40 AM\nStatus: Not started\n", dict(status="Not started", removed=range(2, 5))),
    ("# P\n\nOwner: Ana\nTags: x\n\nText.\n", dict(tags=("x",), extra={"Owner": "Ana"})),
    ("# Q\n\nNote: this is prose\nthat goes on.\n", dict(removed=range(0))),  # prose, not properties
    ("No title\n\nTags: x\n", dict(removed=range(0))),
])
def test_notion_property_lines(body: str, expected: dict) -> None:
    page = read_properties(body)
    for name, value in expected.items():
        got = getattr(page, name)
        assert (str(got) if name == "created" else got) == value, name


# --- whole builds of the fixtures ------------------------------------------------------------------------------

def test_obsidian_clean_builds_strict_without_warnings(tmp_path: Path) -> None:
    build = run_mkdocs_build(tmp_path / "site", notes=FIXTURES / "obsidian-clean", strict=True)
    assert build.returncode == 0 and "WARNING" not in build.log, build.log


@pytest.fixture(scope="module", params=["obsidian-vault", "obsidian-clean", "notion-export"])
def fixture_build(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Build]:
    name = request.param
    build = run_mkdocs_build(tmp_path_factory.mktemp(name) / "site", notes=FIXTURES / name, strict=False)
    return name, build


def _images(page_html: str) -> list[str]:
    return re.findall(r'<img[^>]*\ssrc="([^"]+)"', article_html(page_html))


def test_every_image_a_note_shows_is_published_and_loads(fixture_build: tuple[str, Build]) -> None:
    name, build = fixture_build
    assert build.returncode == 0, build.log
    site = build_site(ROOT, notes_dir=FIXTURES / name)
    shown = 0
    for note in site.notes:
        page = build.site / "notes" / note.slug / "index.html"
        for src in _images(page.read_text("utf-8")):
            if urlsplit(src).scheme:
                continue
            target = posixpath.normpath(posixpath.join(f"notes/{note.slug}", unquote(html.unescape(src))))
            assert (build.site / target).is_file(), (note.source, src)
            shown += 1
    images = [p for p in site.index.referenced_assets if p.lower().endswith((".png", ".jpg", ".jpeg"))]
    assert shown >= len(images) > 0
    published = {p.relative_to(build.site).as_posix() for p in (build.site / "notes" / "assets").rglob("*") if p.is_file()}
    assets = site.index.notes.assets
    assert published == {assets.page(p) for p in site.index.referenced_assets if not p.startswith("attachments/")}


def test_the_fixture_reports_exactly_its_broken_and_ambiguous_links(fixture_build: tuple[str, Build]) -> None:
    name, build = fixture_build
    expected = {"obsidian-vault": {("Broken links.md", "[[Does Not Exist]]", "link/broken"),
                                   ("Ambiguous.md", "![[pipeline-diagram.png]]", "attachment/ambiguous")},
                "obsidian-clean": set(), "notion-export": set()}[name]
    site = build_site(ROOT, notes_dir=FIXTURES / name)
    found = [p for p in site.problems if p.code.startswith(("link/", "attachment/"))]
    assert len(found) == len(expected), [str(p) for p in found]
    for file, written, code in expected:
        [problem] = [p for p in found if p.file.endswith("/" + file) and p.code == code]
        source = (FIXTURES / name / file).read_text("utf-8").split("\n")
        assert written in source[problem.line - 1], (str(problem), written)
        assert sum(str(problem) in line for line in build.log.splitlines()) == 1, build.log
    if name == "obsidian-vault":
        [ambiguous] = [p for p in found if p.code == "attachment/ambiguous"]
        assert "_attachments/pipeline-diagram.png" in ambiguous.message
        assert "03 Modeling/images/pipeline-diagram.png" in ambiguous.message


def test_path_wikilinks_and_headings_resolve(fixture_build: tuple[str, Build]) -> None:
    name, build = fixture_build
    if name == "notion-export":
        pytest.skip("Notion links are relative paths")
    index = (build.site / "notes" / "index-2" / "index.html").read_text("utf-8")
    article = article_html(index)
    site = build_site(ROOT, notes_dir=FIXTURES / name)
    linked = set(re.findall(r'href="\.\./([^/"#]+)/', article))
    # The vault's Index links every note but Ambiguous and the _questions/ question index (a note of its own)
    assert {n.slug for n in site.notes if n.slug != "index-2" and "Broken" not in n.title} - linked <= {
        "ambiguous", "question-index"}


def test_same_file_names_get_folder_slugs(fixture_build: tuple[str, Build]) -> None:
    name, build = fixture_build
    if name != "obsidian-vault":
        pytest.skip("only the vault has two Overview.md")
    for slug in ("01-data-engineering-overview", "03-modeling-overview"):
        assert (build.site / "notes" / slug / "index.html").is_file()
    assert not (build.site / "notes" / "overview-md").exists()


def test_notion_ids_never_show(fixture_build: tuple[str, Build]) -> None:
    name, build = fixture_build
    if name != "notion-export":
        pytest.skip("Notion only")
    for page in (build.site / "notes").rglob("index.html"):
        text = page.read_text("utf-8")
        assert not re.search(r"[0-9a-f]{32}", page.relative_to(build.site).as_posix())
        # titles, navigation and link texts (the "Source file" row names the file as it is)
        assert not re.search(r"<(?:h1|a|title)\b[^>]*>[^<]*\b[0-9a-f]{32}\b", text), page
    kinesis = article_html((build.site / "notes" / "kinesis" / "index.html").read_text("utf-8"))
    assert "Created: March" not in kinesis and "Tags: Data Engineering" not in kinesis


def _tags(markup: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Every start tag of ``markup`` with its attributes, as a browser's parser reads them."""
    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, attrs))

    Collector().feed(markup)
    return found


@pytest.mark.parametrize("body", [
    "![x](../../etc/passwd)\n", "![[../../etc/passwd]]\n", "![x](%2e%2e%2f%2e%2e%2fetc%2fpasswd)\n",
    "![x](/etc/passwd)\n", '<img src="../../../etc/passwd">\n', "[x](javascript:alert(1))\n",
    "![[javascript:alert(1)]]\n", '![[a"onerror="alert(1).png]]\n', "![[<script>alert(1)</script>.png]]\n",
    "[[<img src=x onerror=alert(1)>]]\n",
])
def test_an_attack_reads_nothing_outside_and_runs_nothing(tmp_path: Path, body: str) -> None:
    notes = tmp_path / "notes"
    (notes / "sub").mkdir(parents=True)
    (tmp_path / "secret.png").write_bytes(b"SECRET")
    (notes / "sub" / "attack.md").write_text(f"# Attack\n\n{body.replace('/etc/passwd', '/secret.png')}", "utf-8")
    site = build_site(ROOT, notes_dir=notes)
    assert site.index.referenced_assets == []
    build = run_mkdocs_build(tmp_path / "site", notes=notes, strict=False)
    assert build.returncode == 0, build.log
    built = b"".join(p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file())
    assert b"SECRET" not in built
    article = article_html((tmp_path / "site" / "notes" / "attack" / "index.html").read_text("utf-8"))
    tags = _tags(article)
    assert not [t for t, _ in tags if t == "script"], article
    assert not [(t, a) for t, attrs in tags for a, v in attrs
                if a.startswith("on") or (a in ("href", "src") and (v or "").strip().lower().startswith("javascript:"))]


@pytest.mark.parametrize("files, cycles", [
    ({"a.md": "# A\n\n![[b]]\n", "b.md": "# B\n\n![[a]]\n"}, {"a.md", "b.md"}),
    ({"a.md": "# A\n\n![[b]]\n", "b.md": "# B\n\n![[c]]\n", "c.md": "# C\n\n![[a]]\n"}, {"a.md", "b.md", "c.md"}),
    ({"a.md": "# A\n\n![[b]]\n", "b.md": "# B\n\ntext\n", "c.md": "# C\n\n![[b]]\n"}, set()),
    ({"a.md": "# A\n\n![[a]]\n"}, set()),  # itself: shown as a link, no box
], ids=["two", "three", "shared-no-cycle", "self"])
def test_embed_cycles_are_findings_and_shown_one_level_deep(tmp_path: Path, files: dict[str, str], cycles: set[str]) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, "utf-8")
    site = build_site(ROOT, notes_dir=tmp_path)
    found = {Path(p.file).name for p in site.problems if p.code == "link/embed-cycle"}
    assert found == cycles
    pages = generated_pages(site)
    for name in files:
        assert pages[f"notes/{Path(name).stem}.md"].count('!!! sg-embed "From') <= 1


@pytest.mark.parametrize("written, box, text", [
    ("![[Source]]", "From Source", "Whole note text."),
    ("![[Source#Part two]]", "From Source › Part two", "Second part only."),
])
def test_an_embed_shows_the_note_or_its_section(tmp_path: Path, written: str, box: str, text: str) -> None:
    (tmp_path / "Source.md").write_text("# Source\n\nWhole note text.\n\n## Part two\n\nSecond part only.\n", "utf-8")
    (tmp_path / "Host.md").write_text(f"# Host\n\n{written}\n", "utf-8")
    page = generated_pages(build_site(ROOT, notes_dir=tmp_path))["notes/host.md"]
    assert f'!!! sg-embed "{box}"' in page and text in page
    assert "## Part two" not in page  # headings of embedded text are bold lines, not page headings
    if "#" in written:
        assert "Whole note text." not in page


@pytest.mark.parametrize("paths, slugs", [
    (["02 EDA/Overview.md", "03 Modeling/Overview.md"], ["02-eda-overview", "03-modeling-overview"]),
    (["a/mean.md", "b/Mean.md", "c.md"], ["a-mean", "b-mean", "c"]),
    (["x.md", "x.txt"], ["x", "x-txt"]),  # one folder: the extension tells them apart, as before
    (["Page 0123456789abcdef0123456789abcdef.md", "Other 0123456789abcdef0123456789abcde0.md"], ["page", "other"]),
    (["p/Untitled 0123456789abcdef0123456789abcdef.md", "q/Untitled 0123456789abcdef0123456789abcde0.md"],
     ["p-untitled", "q-untitled"]),
])
def test_note_slugs_are_clean_and_distinct(paths: list[str], slugs: list[str]) -> None:
    files = [Path(p) for p in paths]
    taken: set[str] = set()
    shared = shared_names(files)
    assert [note_slug(f, taken, shared) for f in files] == slugs
