"""Issue #11: no note runs code at build time or script in a reader's browser.

One real (non-strict) build of a hostile notes folder: every attack below is in it at once, so one bad note
must not stop the others from being built. Build-time rows assert that the payload (which would create a
marker file in the test's tmp folder) never ran and that the file is named in the log; the browser test
hovers every titled element and clicks every link of each hostile note in Chromium with the network
blocked, and fails on any dialog or any request that leaves 127.0.0.1.
"""
from __future__ import annotations

import base64
import html
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import (ROOT, SEED_REPO_URL, Build, block_network, copy_project, run_mkdocs_build,
                      serve_directory, theme_repo_facts)

# A 1×1 PNG: an allowed attachment, published (the positive control of the allow-list).
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
QUOTED_NAME = 'q" onmouseover="alert(document.domain)" x=".md'


def jinja_payload(marker: Path) -> str:
    """Jinja that, if mkdocs-macros ever renders it, creates ``marker`` (the side effect the tests look for)."""
    return "{{ lipsum.__globals__['os'].system('touch " + str(marker) + "') }}"


@dataclass(frozen=True)
class BuildAttack:
    name: str
    file: str  # path inside the notes folder
    content: str
    logged: str | None  # what the build log must say about the file (None: nothing to report)
    shown_on: str | None = None  # URL path of the page that must show the payload as text


def build_attacks(markers: Path) -> list[BuildAttack]:
    def payload(name: str) -> str:
        return jinja_payload(markers / name)

    return [
        BuildAttack("attachment-md", "attachments/x.md", payload("attachment-md") + "\n",
                    "attachments/x.md: not published: .md files would be built as pages"),
        BuildAttack("attachment-markdown", "attachments/y.markdown", payload("attachment-markdown") + "\n",
                    "attachments/y.markdown: not published"),
        BuildAttack("surrogate-yaml", "surrogate-yaml.md",
                    f'---\ntitle: Surrogate YAML\ndescription: "x\\ud800"\n---\n\n# Surrogate YAML\n\n{payload("surrogate-yaml")}\n',
                    "surrogate-yaml.md:3: front matter 'description' holds a control character or a lone surrogate",
                    "notes/surrogate-yaml/"),
        BuildAttack("surrogate-json", "surrogate-json.md",
                    '{\n  "title": "Surrogate JSON",\n  "description": "x\\ud800"\n}\n\n# Surrogate JSON\n\n'
                    f'{payload("surrogate-json")}\n',
                    "surrogate-json.md:3: front matter 'description' holds a control character or a lone surrogate",
                    "notes/surrogate-json/"),
        BuildAttack("control-yaml", "control-yaml.md",
                    f'---\ntitle: "Control \\x1b[31m YAML"\n---\n\n# Control YAML\n\n{payload("control-yaml")}\n',
                    "control-yaml.md:2: front matter 'title' holds a control character", "notes/control-yaml/"),
        BuildAttack("jinja-body", "jinja-body.md", f"# Jinja body\n\n{payload('jinja-body')}\n", None,
                    "notes/jinja-body/"),
        # A file name that is not UTF-8 (a lone surrogate in Python) and no heading: the title comes from it.
        BuildAttack("non-utf8-name", os.fsdecode(b"name\xff not utf8.md"), f"No heading. {payload('non-utf8-name')}\n",
                    "the note has no title", "notes/name-not-utf8/"),
    ]


BROWSER_NOTES = {
    "tooltips.md": (
        "# Tooltips\n\n"
        "HTML is written here, and Amazon S3 is a service the glossary knows.\n\n"
        "*[HTML]: <img src=x onerror=alert('abbr')>\n\n"
        "A paragraph with a hostile title.\n"
        "{: title=\"<img src=x onerror=alert('attr-list')>\" }\n\n"
        "[A link with a hostile title](other.md \"<img src=x onerror=window.onerror=alert;throw'link-title'>\")\n\n"
        "[A reference with a hostile title][hostile-ref]\n\n"
        "[hostile-ref]: other.md \"<img src=x onerror=window.onerror=alert;throw'reference-title'>\"\n\n"
        "<span title=\"<img src=x onerror=alert('raw-html-title')>\">raw title</span>\n"),
    "attachments-linked.md": (
        "# Attachments linked\n\n"
        "[open html](@attachment/x.html) [open svg](@attachment/x.svg) [open xhtml](@attachment/x.xhtml) "
        "![pixel](@attachment/ok.png)\n\n"
        "[relative html](attachments/x.html)\n"),
    "theme-hijack.md": (
        "# Theme hijack\n\n"
        "## Search hijack\n{: #__search }\n\n"
        "A component hijack.\n{: data-md-component=\"search-query\" data-md-state=\"x\" }\n\n"
        "<div id=\"__drawer\" data-md-component=\"sidebar\">raw drawer</div>\n"),
    "mermaid.md": (
        "# Mermaid\n\n```mermaid\ngraph TD\n  Start --> Stop\n```\n\n"
        "<pre class=\"mermaid\">graph LR\n  Raw --> Html</pre>\n"),
    "title-attack.md": (  # lands in <title>, the meta description, the navigation and tag chips
        "---\ntitle: \"T\\\"><img src=x onerror=alert('title')>\"\n"
        "description: \"D\\\"><img src=x onerror=alert('description')>\"\n"
        "tags: [\"<img src=x onerror=alert('tag')>\"]\n---\n\nThe title, description and tag are hostile.\n"),
    "other.md": "# Other\n\nThe link target.\n",
    QUOTED_NAME: "# Quoted file name\n\nThe edit link names this file.\n",
}
ATTACHMENTS = {
    "x.html": "<!doctype html><script>alert('attachment-html')</script>",
    "x.svg": "<svg xmlns='http://www.w3.org/2000/svg' onload=\"alert('attachment-svg')\"><script>alert(1)</script></svg>",
    "x.xhtml": "<html xmlns='http://www.w3.org/1999/xhtml'><body><script>alert('attachment-xhtml')</script></body></html>",
}


@dataclass
class HostileSite:
    build: Build
    markers: Path
    attacks: list[BuildAttack]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> HostileSite:
    root = tmp_path_factory.mktemp("hostile")
    markers = root / "markers"
    markers.mkdir()
    # Inside a copy of the project, so that notes have edit links (a notes folder elsewhere has none).
    project = copy_project(root / "project")
    notes = project / "seeds" / "notes"
    shutil.rmtree(notes)
    (notes / "attachments").mkdir(parents=True)
    attacks = build_attacks(markers)
    for attack in attacks:
        (notes / attack.file).write_text(attack.content, "utf-8")
    for name, text in {**BROWSER_NOTES, **{f"attachments/{k}": v for k, v in ATTACHMENTS.items()}}.items():
        (notes / name).write_text(text, "utf-8")
    (notes / "attachments" / "ok.png").write_bytes(PNG)
    return HostileSite(run_mkdocs_build(root / "site", project=project, strict=False,
                                         extra_env={"STUDYGUIDE_REPO_URL": SEED_REPO_URL}), markers, attacks)


@pytest.mark.parametrize("attack", build_attacks(Path("/markers")), ids=lambda a: a.name)
def test_no_note_runs_code_at_build_time(hostile: HostileSite, attack: BuildAttack) -> None:
    assert hostile.build.returncode == 0, hostile.build.log  # the other notes are still built
    assert not (hostile.markers / attack.name).exists(), f"{attack.name}: the payload ran"
    assert list(hostile.markers.iterdir()) == []
    if attack.logged is not None:
        assert attack.logged in hostile.build.log, hostile.build.log
    assert "Traceback" not in hostile.build.log
    if attack.shown_on is not None:  # the payload is shown as written (escaped as HTML text)
        text = html.unescape(re.sub(r"<[^>]+>", "", hostile.build.html(attack.shown_on)))
        assert "{{ lipsum." in text and f"touch {hostile.markers / attack.name}') }}}}" in text


@pytest.mark.parametrize("name", [*ATTACHMENTS, "x.md", "y.markdown"])
def test_attachments_outside_the_allow_list_are_not_published(hostile: HostileSite, name: str) -> None:
    folder = hostile.build.site / "notes" / "attachments"
    assert (folder / "ok.png").read_bytes() == PNG
    stem = Path(name).stem
    assert not any(p.name.startswith(f"{stem}.") or p.name == stem for p in folder.iterdir() if p.name != "ok.png"), \
        sorted(p.name for p in folder.iterdir())
    assert not (folder / stem / "index.html").exists()  # a .md is not built as a page either
    assert f"attachments/{name}: not published" in hostile.build.log
    linked = hostile.build.html("notes/attachments-linked/")
    if name in ATTACHMENTS:
        assert f"Missing attachment: {name}" in linked


@pytest.mark.parametrize("page, attribute", [
    ("notes/theme-hijack/", 'id="__search"'),
    ("notes/theme-hijack/", 'id="__drawer"'),
    ("notes/theme-hijack/", "data-md-component"),
    ("notes/theme-hijack/", "data-md-state"),
])
def test_notes_do_not_take_the_themes_elements(hostile: HostileSite, page: str, attribute: str) -> None:
    article = re.search(r"<article\b.*?</article>", hostile.build.html(page), re.S).group(0)
    assert attribute not in article
    assert "raw drawer" in article and "Search hijack" in article  # the text itself stays


def test_edit_link_of_a_quoted_file_name_is_percent_encoded(hostile: HostileSite) -> None:
    pages = [p for p in (hostile.build.site / "notes").iterdir() if p.name.startswith("q")]
    assert len(pages) == 1, sorted(p.name for p in (hostile.build.site / "notes").iterdir())
    (tag,) = re.findall(r'<a\s[^>]*title="Edit this page"[^>]*>', (pages[0] / "index.html").read_text("utf-8"))
    assert re.search(r"\sonmouseover=", tag) is None, tag
    assert 'q%22%20onmouseover%3D%22alert%28document.domain%29%22%20x%3D%22.md"' in tag


# --- In Chromium, with the network blocked ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_url(hostile: HostileSite) -> Iterator[str]:
    server, url = serve_directory(hostile.build.site)
    yield url
    server.shutdown()


# Material's header fetches the repository's facts (stars, latest release) from GitHub's API as JSON: data, not
# script, and the one request allowed to be attempted (it is aborted all the same).


@dataclass
class Guarded:
    page: object  # playwright Page
    dialogs: list[str]
    escaped: list[str]  # requests that would have left 127.0.0.1


@pytest.fixture
def guarded(browser) -> Iterator[Guarded]:  # noqa: ANN001 - playwright Browser
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    dialogs: list[str] = []
    # The theme's repository facts (a fetch to api.github.com) are aborted like every request off the machine,
    # but they are the theme's, not the hostile notes': not listed.
    escaped = block_network(context, theme_repo_facts)
    tab = context.new_page()
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    yield Guarded(tab, dialogs, escaped)
    context.close()


def note_url(hostile: HostileSite, base: str, slug: str) -> str:
    """URL of a hostile note's page ("q": the note whose file name holds quotes)."""
    (folder,) = [p.name for p in (hostile.build.site / "notes").iterdir()
                 if p.name == slug or (slug == "q" and p.name.startswith("q-"))]
    return base + f"notes/{folder}/"


@pytest.mark.parametrize("stem", ["tooltips", "attachments-linked", "theme-hijack", "mermaid", "q", "title-attack"])
def test_hovering_and_clicking_a_hostile_note_runs_no_script(hostile: HostileSite, hostile_url: str,
                                                             guarded: Guarded, stem: str) -> None:
    page = guarded.page
    url = note_url(hostile, hostile_url, stem)
    page.goto(url)
    page.wait_for_load_state("load")
    titled = page.locator("article [title], article abbr, a.md-content__button")
    assert titled.count() > 0
    for i in range(titled.count()):
        element = titled.nth(i)
        if element.is_visible():
            element.hover()
            page.wait_for_timeout(50)
    links = page.locator("article a[href]")
    hrefs = [links.nth(i).evaluate("a => a.href") for i in range(links.count())]
    for i, href in enumerate(hrefs):
        assert urlsplit(href).scheme in ("http", "https"), href  # no javascript: or data: link survives
        if urlsplit(href).hostname != "127.0.0.1" or href.startswith(url + "#"):
            continue  # an off-site link (the edit link) would be a navigation away, not script on this site
        page.goto(url)
        page.evaluate("document.querySelectorAll('article details').forEach(d => { d.open = true; })")  # About box
        with page.expect_navigation(wait_until="load", timeout=10_000):
            page.locator("article a[href]").nth(i).click(modifiers=[])
        page.wait_for_timeout(100)
    assert guarded.dialogs == [], guarded.dialogs
    assert guarded.escaped == [], guarded.escaped


@pytest.mark.parametrize("selector, expected", [
    ("article abbr", "<img src=x onerror=alert('abbr')>"),
    ("article p[title]", "<img src=x onerror=alert('attr-list')>"),
    ("article a[title^='<img']", "<img src=x onerror=window.onerror=alert;throw'link-title'>"),
    ("article a[href*='glossary']", None),  # a service mention: its summary
])
def test_tooltips_show_title_text_as_text(hostile: HostileSite, hostile_url: str, guarded: Guarded,
                                          selector: str, expected: str | None) -> None:
    page = guarded.page
    page.goto(note_url(hostile, hostile_url, "tooltips"))
    element = page.locator(selector).first
    title = element.get_attribute("title")
    assert title and (expected is None or title == expected)
    element.hover()
    tip = page.locator(".sg-tooltip")
    tip.wait_for(state="visible", timeout=5_000)
    assert tip.inner_text() == title
    assert tip.locator("*").count() == 0  # text only: no element was made from the title
    assert float(tip.evaluate("t => parseFloat(getComputedStyle(t).fontSize)")) >= 12
    assert guarded.dialogs == [] and guarded.escaped == []


@pytest.mark.parametrize("diagram", ["fence", "raw-pre"])
def test_mermaid_is_drawn_offline(hostile: HostileSite, hostile_url: str, guarded: Guarded, diagram: str) -> None:
    """Material draws each diagram into a closed shadow root of a div.mermaid: drawn means the <pre> was replaced
    by a div with the diagram's height, with mermaid loaded from the site itself."""
    page = guarded.page
    served: list[str] = []
    page.on("request", lambda request: served.append(request.url))
    page.goto(note_url(hostile, hostile_url, "mermaid"))
    page.wait_for_function("document.querySelectorAll('article pre.mermaid').length === 0", timeout=20_000)
    drawn = page.locator("article div.mermaid")
    assert drawn.count() == 2
    box = drawn.nth(0 if diagram == "fence" else 1).bounding_box()
    assert box and box["height"] > 40 and box["width"] > 40
    assert [u for u in served if u.endswith("/mermaid.min.js")] == [hostile_url + "javascripts/vendor/mermaid.min.js"]
    assert guarded.escaped == [] and guarded.dialogs == []


def test_vendored_mermaid_is_the_version_its_readme_names() -> None:
    vendor = ROOT / "docs" / "javascripts" / "vendor"
    version = re.search(r"mermaid (\d+\.\d+\.\d+)", (vendor / "README.txt").read_text("utf-8")).group(1)
    assert f'name:"mermaid",version:"{version}"' in (vendor / "mermaid.min.js").read_text("utf-8")
    assert (vendor / "mermaid.LICENSE").read_text("utf-8").startswith("The MIT License")


def test_pages_without_a_diagram_do_not_load_mermaid(hostile: HostileSite, hostile_url: str, guarded: Guarded) -> None:
    served: list[str] = []
    guarded.page.on("request", lambda request: served.append(request.url))
    guarded.page.goto(note_url(hostile, hostile_url, "other"))
    guarded.page.wait_for_load_state("networkidle")
    assert any(u.endswith("mermaid-loader.js") for u in served)
    assert not any(u.endswith("mermaid.min.js") for u in served)
