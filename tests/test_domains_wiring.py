"""Issue #15: every note in its exam domain and task statement (``macros.assign`` wired into the pipeline),
coverage shown, the successor exam too. Pipeline rows first (assignment reaches sections, note groups, domain
pages, coverage; the exam is chosen by the environment), then real builds of the seeds under MLS-C01 and MLA-C01
with ``--strict``: the Coverage page, ``reports/notes.json``, the About box, domain pages. Expectations are derived
from the built model, never from the seeds' file names or counts."""
from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, Build, run_mkdocs_build
from macros import paths, pipeline, render
from macros.model import Site
from macros.settings import Settings, SettingsError
from page_text import article_html, content, content_text, top_navigation

EVAL = ROOT / "tests" / "fixtures" / "domain-eval"


def build_notes(folder: Path, files: dict[str, str], exam: str = "mls-c01") -> Site:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, "utf-8")
    return pipeline.build_site(Settings.for_project(ROOT, folder, exam=exam))


# --- pipeline rows: the assignment reaches sections, note groups, domain pages and coverage ---------------------

NEUTRAL = "Read this twice before the exam and write down what you would do differently next time.\n"
ROWS = [
    # (file, text, domain expected for the note and its first section below the title, task expected or None)
    ("domain-4/notes.md", f"# My notes\n\n## Things to remember\n\n{NEUTRAL}", 4, None),
    ("misc/streams.md", "# Streams\n\n## Kinesis Data Streams\n\nShards, producers, ingestion of streaming records "
                        "and the retention of a stream.\n", 1, "1.2"),
    ("misc/pinned.md", f"# Pinned\n\n## Checklist\n\n<!-- task: 2.1 -->\n{NEUTRAL}", 2, "2.1"),
    ("misc/front.md", f"---\ndomains: [3]\n---\n# Front\n\n## Odds and ends\n\n{NEUTRAL}", 3, None),
    ("misc/tuning.md", "# Tuning\n\n## Hyperparameter tuning\n\nBayesian optimization of the learning rate and the "
                       "number of trees with automatic model tuning.\n", 3, "3.4"),
]


@pytest.mark.parametrize(("file", "text", "domain", "task"), ROWS, ids=[r[0] for r in ROWS])
def test_assignment_reaches_sections_groups_domain_pages_and_coverage(tmp_path: Path, file: str, text: str,
                                                                      domain: int, task: str | None) -> None:
    site = build_notes(tmp_path, {file: text})
    (note,) = site.notes
    section = note.sections[1]
    assert note.placement is not None and note.placement.primary == domain
    assert section.domains[:1] == (domain,)
    if task:
        assert task in section.tasks
        # a task pin decides its section; the note's main tasks are ranked by words and headings only
        assert task in note.placement.tasks or "<!-- task:" in text
        assert (note, section) in site.index.task_coverage[task].sections
    group = next(d for d, members in site.index.note_groups if note in members)
    assert group is not None and group.number == domain
    page = render.generated_pages(site)[paths.domain_page(site.exam.domain(domain))]
    assert f"{note.page_path.removeprefix('notes/')}#{section.anchor}" in page
    assert f"**Exam domain:** [{site.exam.domain(domain).title}]" in render.generated_pages(site)[note.page_path]


@pytest.mark.parametrize(("value", "code"), [("", "MLS-C01"), ("mla-c01", "MLA-C01"), ("MLA-C01", "MLA-C01"),
                                             (" mls-c01 ", "MLS-C01")])
def test_the_exam_is_chosen_by_the_environment(tmp_path: Path, value: str, code: str) -> None:
    settings = Settings.from_env({"STUDYGUIDE_EXAM": value, "STUDYGUIDE_NOTES": str(tmp_path)}, root=ROOT)
    (tmp_path / "n.md").write_text("# N\n\n## Kinesis Data Streams\n\nShards.\n", "utf-8")
    site = pipeline.build_site(settings)
    assert site.exam.code == code
    assert {n for n in (site.notes[0].placement.domains)} <= {d.number for d in site.exam.domains}


@pytest.mark.parametrize(("value", "says"), [("saa-c03", "available: mla-c01, mls-c01"),
                                             ("../../etc/passwd", "letters, digits"), ("mls c01", "letters, digits")])
def test_an_unknown_exam_is_a_clear_error(tmp_path: Path, value: str, says: str) -> None:
    with pytest.raises(SettingsError, match="STUDYGUIDE_EXAM") as raised:
        pipeline.build_site(Settings.from_env({"STUDYGUIDE_EXAM": value, "STUDYGUIDE_NOTES": str(tmp_path)}, root=ROOT))
    assert says in str(raised.value)


def test_the_eval_fixture_is_filed_as_labeled_in_the_navigation() -> None:
    labels = yaml.safe_load((EVAL / "labels.yml").read_text("utf-8"))
    site = pipeline.build_site(ROOT, EVAL)
    by_path = {n.placement.path: n for n in site.notes}
    nav = pipeline.navigation(site, ROOT / "docs")
    notes_nav = next(item["Notes"] for item in nav if isinstance(item, dict) and "Notes" in item)
    filed: dict[str, int | None] = {}
    for (domain, members), entry in zip(site.index.note_groups, notes_nav[1:]):
        (title, pages), = entry.items()
        assert title.startswith(render.note_group_title(domain))
        listed = set(pages[1:] and [next(iter(p.values())) for p in pages[1:]]) or {n.page_path for n in members}
        for note in members:
            assert note.page_path in listed
            filed[note.placement.path] = domain.number if domain else None
    right = sum(filed.get(path) == label["domain"] for path, label in labels.items() if path in by_path)
    assert len(by_path) == len(labels)
    assert right / len(labels) >= 0.95, {p: (filed.get(p), l["domain"]) for p, l in labels.items()}


# --- real builds of the seeds ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def mls_site() -> Site:
    return pipeline.build_site(ROOT)


@pytest.fixture(scope="module")
def mla_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    build = run_mkdocs_build(tmp_path_factory.mktemp("mla") / "site", extra_env={"STUDYGUIDE_EXAM": "mla-c01"})
    assert build.returncode == 0, build.log  # --strict
    return build


def _resolves(build: Build, page_url: str, href: str) -> bool:
    """Whether a relative link of a built page leads to a built page (and, with a fragment, an id on it)."""
    if href.startswith(("http://", "https://", "#", "mailto:")):
        return True
    target, _, fragment = href.partition("#")
    path = posixpath.normpath(posixpath.join(page_url, target))
    file = build.site / path / "index.html" if not path.endswith((".html", ".json")) else build.site / path
    if not file.exists():
        return False
    return not fragment or f'id="{fragment}"' in file.read_text("utf-8")


def test_coverage_page_lists_uncovered_tasks_first_with_counts_and_working_links(seed_build: Build,
                                                                                  mls_site: Site) -> None:
    html = article_html(seed_build.html("coverage/"))
    text = content_text(seed_build.html("coverage/"))
    tasks = [found for domain in mls_site.index.coverage for found in domain.tasks]
    for found in tasks:
        expected = f"{len(found.sections)} section" if found.covered else "not covered"
        assert expected in text.split(f"{found.task.id} {found.task.text}", 1)[1][:40], found.task.id
    positions = {found.task.id: text.rfind(f"{found.task.id} {found.task.text}") for found in tasks}
    uncovered = [f for f in tasks if not f.covered]
    if uncovered:  # listed in their own part, before the task statements by domain
        assert text.index("Not covered yet") < text.index(f"{uncovered[0].task.id} {uncovered[0].task.text}")
    for domain in mls_site.index.coverage:  # within a domain: the gaps first
        order = [positions[f.task.id] for f in sorted(domain.tasks, key=lambda f: (f.covered, f.task.id))]
        covered_order = [positions[f.task.id] for f in domain.tasks if not f.covered] + \
                        [positions[f.task.id] for f in domain.tasks if f.covered]
        assert sorted(order) == sorted(covered_order) and covered_order == sorted(covered_order), domain.domain.title
        assert f"{domain.covered} of {len(domain.tasks)} task statements covered" in text
    hrefs = content(seed_build.html("coverage/")).hrefs
    assert hrefs and all(_resolves(seed_build, "coverage/", h) for h in hrefs), \
        [h for h in hrefs if not _resolves(seed_build, "coverage/", h)]
    titles = [title for title, _ in top_navigation(seed_build.html("index.html"))]
    assert titles.index("Coverage") == titles.index("Domains") + 1, titles  # in the navigation, after Domains
    assert html.count("<h1") == 1


def test_the_home_page_summarizes_coverage(seed_build: Build, mls_site: Site) -> None:
    text = content_text(seed_build.html("index.html"))
    for domain in mls_site.index.coverage:
        assert f"{domain.covered} of {len(domain.tasks)}" in text
    assert any(h.rstrip("/").endswith("coverage") for h in content(seed_build.html("index.html")).hrefs)


def test_notes_json_has_every_note_and_agrees_with_the_pages(seed_build: Build, mls_site: Site) -> None:
    report = json.loads((seed_build.site / paths.NOTES_REPORT).read_text("utf-8"))
    assert isinstance(report, list) and len(report) == len(mls_site.notes)
    keys = {"source", "url", "title", "tags", "domain", "domains", "tasks", "sections"}
    notes_dir = Path(mls_site.notes_dir)
    for entry in report:
        assert set(entry) == keys
        assert (notes_dir / entry["source"]).is_file()
        assert (seed_build.site / entry["url"] / "index.html").exists()
        assert entry["domain"] is None or entry["domain"] == entry["domains"][0]
        assert all(isinstance(s["heading"], str) and isinstance(s["line"], int) for s in entry["sections"])
        page = content_text(seed_build.html(entry["url"]))
        assert entry["title"] in page
        if entry["domain"] is not None:  # the About box names the same primary domain
            title = mls_site.exam.domain(entry["domain"]).title
            assert f"Exam domain: {title}" in page
        lines = (notes_dir / entry["source"]).read_text("utf-8").split("\n")
        for section in entry["sections"]:
            assert section["heading"].split(" ")[0].strip("*#") in lines[section["line"] - 1]
    coverage = content_text(seed_build.html("coverage/"))
    for task in {t for entry in report for s in entry["sections"] for t in s["tasks"]}:
        assert f"{task} " in coverage and "not covered" not in coverage.split(f"{task} ", 1)[1].split("\n", 1)[0]


def test_the_note_page_says_why(seed_build: Build, mls_site: Site) -> None:
    for note in mls_site.notes:
        text = content_text(seed_build.html(note.url))
        assert f"Why: {note.placement.why}" in text, note.source


def test_each_domain_page_quotes_sections_of_three_notes(seed_build: Build, mls_site: Site) -> None:
    for domain in mls_site.exam.domains:
        html = article_html(seed_build.html(paths.page_url(paths.domain_page(domain))))
        folded = re.findall(r"<details class=\"quote\">(.*?)</details>", html, re.S)
        assert 0 < len(folded) <= 8
        quoted_notes = {m for part in folded for m in re.findall(r'From <a href="\.\./\.\./notes/([^/"#]+)/', part)}
        speaking = {note.slug for note, _ in mls_site.index.domain_sections[domain.number]}
        assert len(quoted_notes) >= min(3, len(speaking)), (domain.title, quoted_notes)
        summaries = [re.sub(r"<[^>]+>", "", s) for s in re.findall(r"<summary>(.*?)</summary>", " ".join(folded))]
        assert not any(f"Domain {domain.number}" in s or domain.name in s for s in summaries), summaries


def test_mls_domain_pages_say_which_mla_domains_they_serve(seed_build: Build, mls_site: Site) -> None:
    mla = mls_site.related_exam
    assert mla is not None and mla.code == mls_site.exam.successor
    for domain in mls_site.exam.domains:
        text = content_text(seed_build.html(paths.page_url(paths.domain_page(domain))))
        for link in domain.serves:
            assert mla.domain(link.domain).title in text and link.reason in text
    home = content_text(seed_build.html("index.html"))
    assert "retired" in home and "STUDYGUIDE_EXAM=mla-c01" in home


def test_the_mla_guide_builds_strict_with_its_own_domains(mla_build: Build) -> None:
    site = pipeline.build_site(Settings.for_project(ROOT, exam="mla-c01"))
    home = content_text(mla_build.html("index.html"))
    assert "MLA-C01 Study Guide" in home and "MLA-C01 is the current exam" in home
    for domain in site.exam.domains:
        text = content_text(mla_build.html(paths.page_url(paths.domain_page(domain))))
        assert domain.title in text
        for link in domain.served_by:
            assert site.related_exam.domain(link.domain).title in text
        sheet = content_text(mla_build.html(paths.page_url(paths.cheatsheet_page(domain))))
        for pair in (p for p in site.index.scenarios if p.scenario.domain == domain.number):
            assert pair.scenario.answer.split()[0] in sheet
    assert all(p.scenario.domain in {d.number for d in site.exam.domains} for p in site.index.scenarios)
    assert content_text(mla_build.html("coverage/")).count("task statements covered") == len(site.exam.domains)
    assert (mla_build.site / "glossary" / "index.html").exists()
    report = json.loads((mla_build.site / paths.NOTES_REPORT).read_text("utf-8"))
    assert all(e["domain"] in {d.number for d in site.exam.domains} | {None} for e in report)


@pytest.mark.parametrize(("serves", "domain", "level"), [((1, 3), 1, None), ((2,), 2, None), ((), None, "info")])
def test_an_mls_pair_moves_to_the_mla_domain_it_serves_or_is_left_out_with_a_note(serves: tuple[int, ...],
                                                                                   domain: int | None, level) -> None:  # noqa: ANN001
    import dataclasses

    from macros.catalog import exam_file, load_exam
    from macros.model import DomainLink
    from macros.scenarios import Scenario, map_to_successor

    mls, mla = (load_exam(exam_file(ROOT, code)) for code in ("mls-c01", "mla-c01"))
    first = dataclasses.replace(mls.domains[0], serves=tuple(DomainLink("MLA-C01", n, "why") for n in serves))
    mls = dataclasses.replace(mls, domains=(first, *mls.domains[1:]))
    pair = Scenario(1, "A stream of clicks must land in S3", "Firehose", ("Firehose",), 7)
    mapped, notes = map_to_successor([pair], mls, mla, "seeds/scenarios.yml")
    assert [p.domain for p in mapped] == ([domain] if domain else [])
    assert [(n.level, n.code, n.line) for n in notes] == ([(level, "scenario/unmapped", 7)] if level else [])
