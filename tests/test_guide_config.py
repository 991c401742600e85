"""A person's own guide (issue #14): ``studyguide.yml`` beside the notes, read once into ``Settings``; a strict
build a person's own notes can pass; the link report of a build holds only what its notes cite."""
from __future__ import annotations

import json
import textwrap
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ROOT, run_mkdocs_build
from http_fixture import serve
from macros import pipeline
from macros.catalog import CatalogError, load_catalog
from macros.guidefile import GUIDE_FILE, find_guide_file, merge_catalog, read_guide_file, read_settings
from macros.settings import CACHE_DIR_ENV, EXAM_ENV, NOTES_ENV, REPO_URL_ENV, SITE_URL_ENV, Settings
from page_text import ALL_DOMAINS_NOTE

SERVICES_YML = ROOT / "seeds" / "services.yml"

# A small vault in plain Markdown (Obsidian's own syntax is another helper's work: tests/fixtures/obsidian-clean
# cannot pass --strict before it lands).
VAULT = {
    "Data/Kinesis.md": "---\ntitle: Kinesis\ndomains: [1]\n---\n\n# Kinesis\n\n"
                       "Amazon Kinesis Data Streams ingests the clicks; Acme Feature Hub keeps the features.\n",
    "Modeling/XGBoost.md": "---\ntitle: XGBoost notes\ndomains: [3]\n---\n\n# XGBoost notes\n\n"
                           "SageMaker trains XGBoost; see [Kinesis](../Data/Kinesis.md).\n\n"
                           "![tree](@attachment/tree.png)\n",
    "outline.md": ALL_DOMAINS_NOTE,
}
GUIDE = """\
site_name: Priya's ML notes
repo_url: https://github.com/priya/ml-notes
exam: mls-c01
services:
  - name: Acme Feature Hub
    summary: Our team's feature store, in front of SageMaker Feature Store.
    domains: [1]
spellings:
  - service: Amazon Polly
    misspellings: [Pollly]
accepted:
  - file: Modeling/XGBoost.md
    code: attachment/missing
    why: the diagram is in my paper notebook
"""


def write_tree(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return folder


def vault(tmp_path: Path, guide: str | None = GUIDE, beside: bool = False) -> Path:
    """``tmp_path/guide/notes`` with VAULT, and ``guide`` as studyguide.yml in it (``beside``: in the folder above)."""
    notes = write_tree(tmp_path / "guide" / "notes", VAULT)
    if guide is not None:
        (notes.parent if beside else notes).joinpath(GUIDE_FILE).write_text(guide, "utf-8")
    return notes


def settings_for(notes: Path, **environ: str) -> Settings:
    return read_settings({NOTES_ENV: str(notes), **environ}, {}, root=ROOT)


# --------------------------------------------------------------------------- where the file is read from

@pytest.mark.parametrize("places, expected", [
    (["notes"], "notes"),
    (["parent"], "parent"),
    (["notes", "parent"], "notes"),  # the nearer wins
    ([], None),
])
def test_the_file_beside_the_notes_nearer_first(tmp_path: Path, places: list[str], expected: str | None) -> None:
    notes = tmp_path / "p" / "notes"
    notes.mkdir(parents=True)
    folder = {"notes": notes, "parent": notes.parent}
    for place in places:
        (folder[place] / GUIDE_FILE).write_text(f"site_name: {place}\n", "utf-8")
    found = find_guide_file(notes)
    assert (found.parent if found else None) == (folder[expected] if expected else None)
    if expected:
        assert settings_for(notes).site_name == expected


@pytest.mark.parametrize("target_place, refused", [("outside", True), ("parent", False)])
def test_a_symlink_leaving_the_notes_folders_is_refused(tmp_path: Path, target_place: str, refused: bool) -> None:
    notes = tmp_path / "p" / "notes"
    notes.mkdir(parents=True)
    target = (tmp_path / "elsewhere" if target_place == "outside" else notes.parent) / "real.yml"
    target.parent.mkdir(exist_ok=True)
    target.write_text("site_name: linked\n", "utf-8")
    (notes / GUIDE_FILE).symlink_to(target)
    if refused:
        with pytest.raises(CatalogError, match="outside the notes folder"):
            find_guide_file(notes)
    else:
        assert settings_for(notes).site_name == "linked"


# --------------------------------------------------------------------------- validation, with file and line

@pytest.mark.parametrize("text, message", [
    ("site_name: x\nservces: []\n", r"studyguide.yml:2: file: unknown key 'servces' \(did you mean 'services'\?\)"),
    ("repo_url: github.com/x/y\n", r":1: file: 'repo_url' must be an http\(s\):// URL"),
    ("services:\n  - name: Acme\n", r":2: service 'Acme': 'summary' is required"),
    ("services:\n  - name: Acme\n    summary: s\n    docs: http://x\n", r"'docs' must be an https:// URL"),
    ("services:\n  - name: Acme\n    summary: s\n    aliasses: [A]\n", r":4: service 'Acme': unknown key 'aliasses' \(did you mean 'aliases'\?\)"),
    ("spellings:\n  - service: Amazon Polly\n    misspelings: [Poli]\n", r":3: spellings entry: unknown key 'misspelings'"),
    ("site_name: [a, b]\n", r"'site_name' must be text"),
    ("exam: [\n", r"studyguide.yml:\d+: not valid YAML"),
])
def test_a_wrong_studyguide_yml_names_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / GUIDE_FILE
    path.write_text(text, "utf-8")
    with pytest.raises(CatalogError, match=message):
        read_guide_file(path, GUIDE_FILE)


@pytest.mark.parametrize("text, message", [
    ("services:\n  - name: Acme\n    summary: s\n    aliases: [Amazon Kinesis]\n",
     r"studyguide.yml:2: 'Amazon Kinesis' \(for 'Acme'\) is already a spelling of 'Amazon Kinesis Data Streams' "
     r"at seeds/services.yml:\d+"),
    ("services:\n  - name: Acme\n    summary: s\n    domains: [9]\n", r":2: service 'Acme': 'domains' must list"),
    ("services:\n  - name: Acme\n    summary: s\n    category: storag\n", r":2: service 'Acme': unknown category 'storag'"),
    ("spellings:\n  - service: Amazon Poly\n    aliases: [Talky]\n",
     r":2: spellings for 'Amazon Poly': no such service in the catalog \(did you mean 'Amazon Polly'\?\)"),
    ("spellings:\n  - service: Amazon Polly\n    aliases: [Kinesis]\n", r"'Kinesis' \(for 'Amazon Polly'\) is already"),
])
def test_a_clash_with_the_catalog_names_both_places(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / GUIDE_FILE
    path.write_text(text, "utf-8")
    guide = read_guide_file(path, GUIDE_FILE)
    with pytest.raises(CatalogError, match=message):
        merge_catalog(load_catalog(SERVICES_YML), "seeds/services.yml", guide, {1, 2, 3, 4})


def test_own_services_and_spellings_join_the_catalog(tmp_path: Path) -> None:
    notes = vault(tmp_path)
    guide = settings_for(notes).guide
    catalog = merge_catalog(load_catalog(SERVICES_YML), "seeds/services.yml", guide, {1, 2, 3, 4})
    [own] = [s for s in catalog.services if s.name == "Acme Feature Hub"]
    assert own.category in catalog.categories and own.domains == (1,)
    [polly] = [s for s in catalog.services if s.name == "Amazon Polly"]
    assert "Pollly" in polly.misspellings


# --------------------------------------------------------------------------- settings: nearest source wins

@pytest.mark.parametrize("environ, field, expected", [
    ({}, "repo_url", "https://github.com/priya/ml-notes"),
    ({REPO_URL_ENV: "https://github.com/ci/repo"}, "repo_url", "https://github.com/ci/repo"),
    ({}, "site_url", "https://from-mkdocs.example/"),
    ({SITE_URL_ENV: "https://priya.github.io/ml-notes/"}, "site_url", "https://priya.github.io/ml-notes/"),
    ({}, "exam", "mls-c01"),
    ({EXAM_ENV: "MLA-C01"}, "exam", "mla-c01"),
    ({}, "site_name", "Priya's ML notes"),
])
def test_environment_over_studyguide_yml_over_mkdocs_yml(tmp_path: Path, environ: dict[str, str], field: str,
                                                         expected: str) -> None:
    notes = vault(tmp_path)
    settings = read_settings({NOTES_ENV: str(notes), **environ}, {"site_url": "https://from-mkdocs.example/",
                                                                   "repo_url": "https://github.com/old/one"}, root=ROOT)
    assert getattr(settings, field) == expected


# --------------------------------------------------------------------------- the pipeline uses it

def test_own_accepted_findings_and_services_reach_the_site(tmp_path: Path) -> None:
    site = pipeline.build_site(settings_for(vault(tmp_path), **{CACHE_DIR_ENV: str(tmp_path / "cache")}))
    missing = [p for p in site.problems if p.code == "attachment/missing"]
    assert missing and all(p.level == "accepted" for p in missing)
    assert [p for p in site.problems if p.level != "accepted"] == []
    assert any(m.service_key == "acme-feature-hub" for m in site.mentions)


def test_a_stale_own_acceptance_is_reported_in_studyguide_yml(tmp_path: Path) -> None:
    notes = vault(tmp_path, GUIDE.replace("Modeling/XGBoost.md", "Modeling/Gone.md"))
    site = pipeline.build_site(settings_for(notes))
    stale = [p for p in site.problems if p.code == "accepted/stale"]
    assert [p.file for p in stale] == [str(notes / GUIDE_FILE)] and "Modeling/Gone.md" in stale[0].message


def test_own_scenarios_are_read_and_checked(tmp_path: Path) -> None:
    guide = GUIDE + textwrap.dedent("""\
        scenarios:
          - domain: 1
            scenario: Ingest clicks in real time
            answer: Kinesis Data Streams
            evidence: ingests the clicks
          - domain: 1
            scenario: Unsupported
            answer: nothing
            evidence: words no note has
          - domain: 7
            scenario: Bad domain
            answer: x
            evidence: y
        """)
    site = pipeline.build_site(settings_for(vault(tmp_path, guide)))
    problems = {(p.code, p.line) for p in site.problems if p.code.startswith("scenario/")}
    assert problems == {("scenario/unsupported", 20), ("scenario/invalid", 24)}
    assert [s.scenario.scenario for s in site.index.scenarios] == ["Ingest clicks in real time"]


@pytest.mark.parametrize("files", [{}, {"readme.pdf": "not a note"}, {"_templates/x.md": "# x\n"}])
def test_an_empty_notes_folder_is_reported_naming_it(tmp_path: Path, files: dict[str, str]) -> None:
    notes = write_tree(tmp_path / "empty-notes", files) if files else tmp_path / "empty-notes"
    notes.mkdir(exist_ok=True)
    site = pipeline.build_site(settings_for(notes))
    [problem] = [p for p in site.problems if p.code == "notes/none"]
    assert problem.file == str(notes) and problem.level == "error"


# --------------------------------------------------------------------------- did you mean (front matter)

@pytest.mark.parametrize("front, code, message, line", [
    ("title: T\ntittle: T2\n", "field/unknown-key", "unknown front-matter key 'tittle' (did you mean 'title'?)", 3),
    ("title: T\ndomian: 2\n", "field/unknown-key", "(did you mean 'domain'?)", 3),
    ("title: T\ndescripton: d\n", "field/unknown-key", "(did you mean 'description'?)", 3),
    ("title: T\ndomains: [Modelling]\n", "field/unknown-domain", "unknown domain 'Modelling' in 'domains' "
     "(did you mean 'Modeling'?)", 3),
    ("title: T\ndomains: [Data Enginering]\n", "field/unknown-domain", "(did you mean 'Data Engineering'?)", 3),
])
def test_close_keys_and_domains_get_a_did_you_mean(tmp_path: Path, front: str, code: str, message: str,
                                                   line: int) -> None:
    notes = write_tree(tmp_path / "notes", {"x.md": f"---\n{front}---\n\n# T\n\nText.\n"})
    site = pipeline.build_site(settings_for(notes))
    [problem] = [p for p in site.problems if p.code == code]
    assert message in problem.message and problem.line == line
    if code == "field/unknown-key":
        assert problem.level == "finding"
        assert "tittle" in front or any(k in site.notes[0].extra for k in ("domian", "descripton"))


@pytest.mark.parametrize("key", ["author", "aliases", "cssclasses", "publish", "starred", "layout", "Title", "created_by"])
def test_keys_of_other_tools_are_no_typos(tmp_path: Path, key: str) -> None:
    notes = write_tree(tmp_path / "notes", {"x.md": f"---\ntitle: T\n{key}: v\n---\n\n# T\n\nText.\n"})
    assert [p for p in pipeline.build_site(settings_for(notes)).problems if p.code == "field/unknown-key"] == []


# --------------------------------------------------------------------------- real builds

def test_a_personal_vault_with_studyguide_yml_passes_strict(tmp_path: Path) -> None:
    notes = vault(tmp_path, beside=True)
    build = run_mkdocs_build(tmp_path / "site", notes=notes, extra_env={CACHE_DIR_ENV: str(tmp_path / "cache")})
    assert build.returncode == 0, build.log
    home = build.html("")
    assert "<title>Priya&#39;s ML notes</title>" in home or "<title>Priya's ML notes</title>" in home
    assert 'href="https://github.com/priya/ml-notes"' in home  # the repository widget names the person's repo
    assert "Acme Feature Hub" in build.html("glossary/")
    assert "studyguide/mls-c01-study-guide" not in home


def test_without_a_repository_nothing_leaves_the_machine(tmp_path: Path) -> None:
    """No repo URL: no repository widget (Material would ask api.github.com), no edit links; an empty folder
    still builds (not strict) and the warning names it."""
    notes = tmp_path / "nothing-here"
    notes.mkdir()
    build = run_mkdocs_build(tmp_path / "site", notes=notes, strict=False)
    assert build.returncode == 0, build.log
    assert f"{notes}: the notes folder holds no note" in build.log
    pages = [p.read_text("utf-8") for p in build.site.rglob("*.html")]
    assert pages and not any("md-source" in html or "Edit this page" in html for html in pages)


def _published_urls(site: Path) -> set[str]:
    report = site / "reports" / "links.json"
    return set(json.loads(report.read_text("utf-8"))["urls"]) if report.exists() else set()


def _project_cache_state() -> dict[str, float]:
    folder = ROOT / ".cache"
    return {str(p): p.stat().st_mtime for p in folder.rglob("*")} if folder.exists() else {}


def test_the_link_report_holds_only_this_builds_urls_and_tests_leave_the_project_cache_alone(tmp_path: Path) -> None:
    before = _project_cache_state()
    with serve() as (base, _state):
        port = base.rstrip("/").rsplit(":", 1)[1]
        cited = f"{base}ok"
        checked = write_tree(tmp_path / "a" / "notes", {"a.md": f"# A\n\nSee [ok]({cited}).\n",
                                                        "outline.md": ALL_DOMAINS_NOTE})
        env = {"STUDYGUIDE_CHECK_EXTERNAL": "1", "STUDYGUIDE_LINKCHECK_ALLOW": f"127.0.0.1:{port}"}
        first = run_mkdocs_build(tmp_path / "site-a", notes=checked, strict=False, extra_env=env)
    assert first.returncode == 0, first.log
    assert _published_urls(first.site) == {cited}
    other = write_tree(tmp_path / "b" / "notes", {"b.md": "# B\n\nNo links here.\n", "outline.md": ALL_DOMAINS_NOTE})
    second = run_mkdocs_build(tmp_path / "site-b", notes=other, strict=False)  # same cache folder, another folder
    assert _published_urls(second.site) == set()
    assert "127.0.0.1" not in second.html("report/")
    (checked / "a.md").write_text("# A\n\nNo link any more.\n", "utf-8")  # the same folder, citing less
    third = run_mkdocs_build(tmp_path / "site-a2", notes=checked, strict=False)
    assert _published_urls(third.site) == set()
    assert _project_cache_state() == before, "a test build wrote into the project's .cache/"


# --------------------------------------------------------------------------- 404 under a sub-path, in Chromium

def test_the_404_page_is_styled_under_a_project_sub_path(tmp_path: Path, browser) -> None:  # noqa: ANN001
    """GitHub Pages serves a project site under /<repo>/ and answers a missing page with /<repo>/404.html."""
    import http.server
    import threading

    notes = write_tree(tmp_path / "notes", {"a.md": "# A\n\nText.\n", "outline.md": ALL_DOMAINS_NOTE})
    build = run_mkdocs_build(tmp_path / "site", notes=notes, strict=False,
                             extra_env={SITE_URL_ENV: "https://priya.github.io/repo/"})
    assert build.returncode == 0, build.log
    site = build.site

    class SubPath(http.server.SimpleHTTPRequestHandler):
        def translate_path(self, path: str) -> str:  # /repo/x → site/x; anything else, and missing files → 404.html
            local = path.split("?", 1)[0]
            if not local.startswith("/repo/"):
                return str(site / "outside-the-project-site")  # nothing is served from the server's root
            target = site / local.removeprefix("/repo/")
            if target.is_dir():
                target = target / "index.html"
            return str(target)

        def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
            if code != 404 or not self.path.startswith("/repo/"):
                return super().send_error(code, message, explain)
            body = (site / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), SubPath)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/repo/"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    failed: list[str] = []
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1")
                  else (failed.append(route.request.url), route.abort()))
    page = context.new_page()
    try:
        response = page.goto(base + "no/such/page/")
        assert response is not None and response.status == 404
        page.wait_for_load_state("load")
        header = page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor")
        assert header not in ("rgba(0, 0, 0, 0)", "transparent")  # Material's stylesheet applied
        logo = page.evaluate("(() => { const r = document.querySelector('.md-header__button.md-logo')"
                             ".getBoundingClientRect(); return [r.width, r.height]; })()")
        assert 0 < logo[0] <= 64 and 0 < logo[1] <= 64  # the logo at its size, not a page-wide SVG
        home = page.evaluate("document.querySelector('.md-header__button.md-logo').getAttribute('href')")
        assert urlsplit(home).path.startswith("/repo/"), home  # instant navigation makes it absolute
        assert failed == []
    finally:
        context.close()
        server.shutdown()


# --------------------------------------------------------------------------- the documented example

def _documented_example(path: Path) -> str:
    text = path.read_text("utf-8")
    start = text.index("```yaml\n# studyguide.yml, beside your notes\n") + len("```yaml\n")
    return text[start:text.index("```\n", start)]


def test_the_documented_example_is_the_same_in_readme_and_contributing_and_builds(tmp_path: Path) -> None:
    example = _documented_example(ROOT / "README.md")
    assert example == _documented_example(ROOT / "CONTRIBUTING.md")
    notes = vault(tmp_path, example)
    guide = read_guide_file(notes / GUIDE_FILE)
    assert guide.services and guide.spellings and guide.accepted and guide.scenarios and guide.repo_url
    site = pipeline.build_site(settings_for(notes, **{CACHE_DIR_ENV: str(tmp_path / "cache")}))
    assert [p for p in site.problems if p.level != "accepted"] == []
