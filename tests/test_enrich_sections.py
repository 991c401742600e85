"""Enrich stage, sections and domains: how a note is split into sections and which exam domains
each section speaks to (``macros.assign``, wired by the pipeline) — on the real seeds, then one small row per rule."""
from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest

from conftest import ROOT, SEED_NOTES
from macros.catalog import load_exam
from macros import assign, notecache, pipeline
from macros.catalog import load_catalog
from macros.enrich import heading_anchor, pinned_domains, sections_for_domain, split_sections
from macros.load import load_note
from macros.mentions import ServiceMatcher
from macros.model import Note, Section
from macros.normalize import normalize_note

EXAM = load_exam(ROOT / "seeds" / "exams" / "mls-c01.yml")
CATALOG = load_catalog(ROOT / "seeds" / "services.yml", {d.number for d in EXAM.domains})


@pytest.fixture(scope="module")
def seeds() -> dict[str, Note]:
    site = pipeline.build_site(ROOT, SEED_NOTES)
    return {Path(n.source).name[:3]: n for n in site.notes}


def section(note: Note, title_start: str) -> Section:
    found = [s for s in note.sections if s.title.startswith(title_start)]
    assert len(found) == 1, f"{title_start!r}: {[s.title for s in note.sections]}"
    return found[0]


def source_line(prefix: str, startswith: str) -> int:
    """1-based line of the seed file (by its number prefix) that starts with ``startswith``."""
    path = next(SEED_NOTES.glob(f"{prefix}_*"))
    lines = path.read_text("utf-8").split("\n")
    return next(i for i, line in enumerate(lines, start=1) if line.startswith(startswith))


# --- the seeds ---------------------------------------------------------------------------------

SEED_SECTIONS = [
    # note, section title starts with, the line in the file starts with, its strongest domain(s) (None: its text decides)
    ("000", "Domain 1: Data Engineering (✅", "#### Domain 1", (1,)),
    ("000", "Domain 2: Exploratory Data Analysis (🔄 In Progress)", "#### Domain 2", (2,)),
    ("000", "Domain 3: Modeling", "#### Domain 3", (3,)),
    ("000", "Domain 4: Machine Learning Implementation", "#### Domain 4", (4,)),
    ("000", "Progress Checklist", "### Progress Checklist", ()),  # a list of links to the parts below
    ("001", "Data Engineering", "### Data Engineering", (1,)),
    ("001", "Modeling", "### Modeling", (3,)),
    ("001", "Deployment & Operations", "### Deployment & Operations", (4,)),
    ("001", "ML Security & Compliance", "### ML Security", (4,)),
    ("001", "Certification Overview", "## Certification Overview", None),
    ("002", "Domain 1: Data Engineering (20%)", "**Domain 1", (1,)),
    ("002", "Domain 4: Machine Learning Implementation", "**Domain 4", (4,)),
    ("002", "Recommended Learning Path", "## Recommended Learning Path", None),
    ("003", "Domain 1", "**Domain 1**", (1,)),
    ("003", "Domain 2", "**Domain 2**", (2,)),
    ("003", "Domain 3", "**Domain 3**", (3,)),
    ("003", "Domain 4", "**Domain 4**", (4,)),
    ("004", "Data Engineering Challenges in Machine Learning", "Data Engineering Challenges", (1,)),
    ("004", "Exploratory Data Analysis Techniques", "Exploratory Data Analysis Techniques", (2,)),
    ("004", "Hyperparameter Tuning and Model Optimization Strategies", "Hyperparameter Tuning and Model Optimization Strategies", (3,)),
    ("004", "Machine Learning Deployment and Edge Optimization", "Machine Learning Deployment and Edge", (4,)),
    ("004", "Mathematical Foundations for Machine Learning", "Mathematical Foundations", None),
    ("004", "Conclusion", "Conclusion", None),
]


@pytest.mark.parametrize(("note", "title", "line_start", "domains"), SEED_SECTIONS,
                         ids=[f"{r[0]}:{r[1][:30]}" for r in SEED_SECTIONS])
def test_seed_section(seeds: dict[str, Note], note: str, title: str, line_start: str, domains: tuple[int, ...]) -> None:
    found = section(seeds[note], title)
    if domains is not None:
        assert found.domains[:len(domains) or None] == domains
    assert found.line == source_line(note, line_start)


def test_seed_000_checklist_section_holds_its_items(seeds: dict[str, Note]) -> None:
    domain2 = section(seeds["000"], "Domain 2:")
    source = next(SEED_NOTES.glob("000_*")).read_text("utf-8").split("\n")
    start = source_line("000", "#### Domain 2")  # 1-based: source[start] is the line after the heading
    end = next(i for i in range(start, len(source)) if source[i].startswith("#"))
    items = [line for line in source[start:end] if line.startswith("- [")]
    assert len(items) == 5
    assert [line for line in domain2.body.split("\n") if line.startswith("- [")] == items
    assert "Domain 3" not in domain2.body


def test_seed_003_lead_in_part_runs_to_the_next_lead_in(seeds: dict[str, Note]) -> None:
    part = section(seeds["003"], "Domain 3")
    assert part.body.startswith("**Domain 3** is Modeling")
    assert "TensorFlow Estimator" in part.body  # text of that part, lines below the lead-in
    assert "**Domain 4**" not in part.body and "**Domain 2**" not in part.body
    assert part.parent == section(seeds["003"], "1: Introduction").anchor


def test_seed_anchors_are_the_ids_the_page_gets(seeds: dict[str, Note]) -> None:
    """A section's anchor is the id Python-Markdown's TOC gives its heading (links from domain pages use it)."""
    for key in ("000", "001", "004"):
        note = seeds[key]
        html = markdown.markdown(note.body, extensions=["toc", "attr_list", "tables", "pymdownx.tasklist"])
        ids = re.findall(r'<h[1-6] id="([^"]+)"', html)
        assert [s.anchor for s in note.sections if not s.body.startswith("**Domain")] == ids, key


def test_every_domain_gathers_sections_from_several_notes(seeds: dict[str, Note]) -> None:
    for domain in EXAM.domains:
        found = sections_for_domain(seeds.values(), domain)
        notes = {note.slug for note, _ in found}
        assert len(notes) >= 4, (domain.number, notes)
        assert all(domain.number in s.domains for _, s in found)


def test_section_bodies_cover_the_whole_note(seeds: dict[str, Note]) -> None:
    """Every non-blank line of a note's body is a heading or in exactly one section's own body."""
    for key, note in seeds.items():
        own = "\n".join(s.body for s in note.sections)
        for line in note.body.split("\n"):
            if line.strip() and not line.startswith("#"):
                assert line in own, f"{key}: {line[:60]!r}"


# --- rules, one row each -----------------------------------------------------------------------

HEADINGS = [
    ("Domain 2: anything", (2,)),
    ("domain 3 review", (3,)),
    ("Domains 1 and Domain 4", (4,)),  # "Domains 1" is not "Domain 1"
    ("Domain 9: not in the outline", ()),
    ("Feature Engineering", (2,)),
    ("EDA tricks", (2,)),
    ("ETL with Glue", (1,)),
    ("Data Engineering and Modeling", (1,)),  # the longer name weighs more; Modeling is under the margin
    ("Deploying to the **edge**", (4,)),
    ("Hyperparameter tuning", (3,)),
    ("Readiness", ()),  # "EDA" inside a word is not EDA
    ("Federated learning", ()),
    ("Security-groups", (4,)),  # not the keyword "security" alone: the outline's "security groups" (task 4.3)
    ("[Modeling](https://example.com)", (3,)),
]


@pytest.mark.parametrize(("heading", "domains"), HEADINGS)
def test_a_heading_naming_a_domain_assigns_its_section(tmp_path: Path, heading: str, domains: tuple[int, ...]) -> None:
    note = placed_note(tmp_path, f"# Notes\n\n## {heading}\n\nRead it twice.\n")
    assert set(note.sections[1].domains) == set(domains)


def make_note(tmp_path: Path, text: str, name: str = "n.md") -> Note:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    note = normalize_note(load_note(path, name), EXAM, set())
    note.sections = split_sections(note, EXAM)
    return note


def placed_note(tmp_path: Path, text: str, name: str = "n.md") -> Note:
    """A note as the pipeline makes it: split, mentions found, placed in the outline (``macros.assign``)."""
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return notecache.analyze_note(path, name, EXAM, ServiceMatcher(CATALOG), set(),
                                  outline=assign.outline_for(EXAM, CATALOG), inside=name).note


def domains_by_title(note: Note) -> dict[str, tuple[int, ...]]:
    return {s.title: s.domains for s in note.sections}


def test_sub_sections_inherit_their_parents_domain(tmp_path: Path) -> None:
    note = placed_note(tmp_path, "# T\n\n## Modeling\n\n### Trees\n\ntext\n\n## Other\n\nx\n")
    assert domains_by_title(note) == {"T": (), "Modeling": (3,), "Trees": (3,), "Other": ()}


def test_own_heading_beats_the_parents(tmp_path: Path) -> None:
    note = placed_note(tmp_path, "# T\n\n## Modeling\n\n### Feature engineering\n\nx\n")
    assert domains_by_title(note)["Feature engineering"] == (2,)


def test_pin_comment_beats_the_heading(tmp_path: Path) -> None:
    note = placed_note(tmp_path, "# T\n\n## Modeling\n\n<!-- domains: 1, 4 -->\ntext\n")
    assert domains_by_title(note)["Modeling"] == (1, 4)


def test_front_matter_domains_are_the_fallback(tmp_path: Path) -> None:
    note = placed_note(tmp_path, "---\ndomains: [2]\n---\n# T\n\n## Misc\n\n## Modeling\n")
    found = domains_by_title(note)
    assert (found["T"], found["Misc"]) == ((2,), (2,)) and set(found["Modeling"]) == {2, 3}  # its heading and the note's


def test_headings_in_code_blocks_are_not_sections(tmp_path: Path) -> None:
    note = make_note(tmp_path, "# T\n\n```bash\n# Modeling\n```\n\n~~~\n## Domain 2\n~~~\n")
    assert [s.title for s in note.sections] == ["T"]


def test_lead_in_needs_a_paragraph_start(tmp_path: Path) -> None:
    note = make_note(tmp_path, "# T\n\nSome text\n**Domain 2** mid-paragraph.\n\n**Domain 3** starts a part.\n")
    assert [s.title for s in note.sections] == ["T", "Domain 3"]


def test_lead_in_for_a_domain_not_in_the_outline_is_text(tmp_path: Path) -> None:
    note = make_note(tmp_path, "# T\n\n**Domain 7** is not one.\n")
    assert [s.title for s in note.sections] == ["T"]


def test_section_lines_are_file_lines(tmp_path: Path) -> None:
    text = "---\ntitle: T\ntags: [a]\n---\n\n# T\n\nx\n\n## Modeling\n\ny\n"
    note = make_note(tmp_path, text)
    lines = text.split("\n")
    for s in note.sections:
        assert lines[s.line - 1].lstrip("# ") == s.title


def test_essay_section_lines_are_file_lines(tmp_path: Path) -> None:
    text = "Title\n\nA paragraph of the essay here.\nData Engineering Basics\nMore text here.\n"
    note = make_note(tmp_path, text, "e.txt")
    assert [(s.title, s.line) for s in note.sections] == [("Title", 1), ("Data Engineering Basics", 4)]


def test_anchors_are_unique_like_the_toc(tmp_path: Path) -> None:
    note = make_note(tmp_path, "# T\n\n## Modeling\n\n## Modeling\n\n## Q&A {#qa-here}\n")
    assert [s.anchor for s in note.sections] == ["t", "modeling", "modeling_1", "qa-here"]


ANCHOR_HEADINGS = ["Deployment & Operations", "Q&amp;A: 1 &lt; 2", "Using `boto3` and **S3**", "Ünïcödé – dash",
                   "C\\# and \\*stars\\*", "[Link](http://x) text", "Emoji ✅ done"]


@pytest.mark.parametrize("heading", ANCHOR_HEADINGS)
def test_anchor_matches_python_markdown(heading: str) -> None:
    html = markdown.markdown(f"## {heading}", extensions=["toc"])
    assert f'id="{heading_anchor(heading, set())}"' in html


PINS = [
    ("<!-- domain: 2 -->", (2,)),
    ("<!-- domains: 2, 3 -->", (2, 3)),
    ("<!-- domains: 1 4 -->", (1, 4)),
    ("<!--domains:domain 2, domain-3-->", (2, 3)),
    ("<!-- domains: Modeling, Data Engineering -->", (3, 1)),
    ("<!-- Domain: exploratory data analysis -->", (2,)),
    ("<!-- domain: 7 -->", ()),
    ("<!-- a comment -->", ()),
]


@pytest.mark.parametrize(("text", "domains"), PINS)
def test_pinned_domains(text: str, domains: tuple[int, ...]) -> None:
    assert pinned_domains(f"text\n{text}\nmore", EXAM) == domains


def test_setext_headings_are_sections(tmp_path: Path) -> None:
    text = ("Setext Title\n============\n\nIntro.\n\nFeature Engineering\n-------------------\n\nScaling.\n\n"
            "A paragraph\nof two lines.\n\n---\n\nAfter a rule.\n")
    note = make_note(tmp_path, text)
    assert note.title == "Setext Title" and not note.body.startswith("# ")
    assert [(s.title, s.level, s.line) for s in note.sections] == [
        ("Setext Title", 1, 1), ("Feature Engineering", 2, 6)]
    assert note.sections[1].body == "Scaling.\n\nA paragraph\nof two lines.\n\n---\n\nAfter a rule."
    html = markdown.markdown(note.body, extensions=["toc"])
    assert re.findall(r'<h[1-6] id="([^"]+)"', html) == [s.anchor for s in note.sections]
    assert "<hr" in html


TITLES_AS_SEEN = [
    ("## Using `boto3` and **S3**", "Using boto3 and S3"),
    ("## Q&A {#qa}", "Q&A"),
    ("## C\\# tips", "C# tips"),
    ("## [Modeling](https://example.com) links", "Modeling links"),
    ("## Heading {% raw %}", "Heading {% raw %}"),
]


@pytest.mark.parametrize(("heading", "title"), TITLES_AS_SEEN)
def test_section_title_is_the_text_a_reader_sees(tmp_path: Path, heading: str, title: str) -> None:
    """Domain pages print a section's title as text, so it must not carry Markdown syntax."""
    note = make_note(tmp_path, f"# T\n\n{heading}\n\nx\n")
    assert note.sections[1].title == title


def test_wikilink_resolves_by_obsidian_alias(tmp_path):
    """[[alias]] leads to the note that lists the alias in its front matter, as in Obsidian."""
    from macros.enrich import NoteIndex, split_sections
    from macros.load import load_note
    from macros.normalize import normalize_note

    (tmp_path / "a.md").write_text("---\ntitle: SageMaker log\naliases: [SM notes]\n---\n# SageMaker log\n\n## Endpoints\n")
    (tmp_path / "b.md").write_text("# B\n\nSee [[SM notes#Endpoints]] and [[nobody]].\n")
    taken: set[str] = set()
    notes = [normalize_note(load_note(tmp_path / n, n), EXAM, taken) for n in ("a.md", "b.md")]
    for note in notes:
        note.sections = split_sections(note, EXAM)
    index = NoteIndex(notes, str(tmp_path), set())
    found = index.resolve(notes[1], "SM notes#Endpoints", wiki=True)
    assert (found.kind, found.note_slug, found.anchor) == ("note", "a", "endpoints")
    assert index.resolve(notes[1], "nobody", wiki=True).kind == "missing"
