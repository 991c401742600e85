"""Normalize stage: one row per front-matter dialect, then type coercions, title fallback and slugs."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import markdown
import pytest

from conftest import ROOT, SEED_NOTES
from macros.catalog import load_exam
from macros.load import find_note_files, load_note
from macros.model import Exam, Note
from macros.normalize import essay_to_markdown, normalize_note, normalize_notes, note_slug

EXAM = load_exam(ROOT / "seeds" / "exams" / "mls-c01.yml")
D = dt.date


def normalized(folder: Path, name: str, text: str | bytes, exam: Exam = EXAM) -> Note:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return normalize_note(load_note(path, name), exam, set())


# One row per dialect: (id, file name, text, expected fields). Fields not listed are not checked.
DIALECTS: list[tuple[str, str, str, dict[str, Any]]] = [
    ("obsidian", "Study Log.md",
     "---\ntags: [sagemaker, '#exam/mls']\naliases: [SM notes, SageMaker log]\ncssclasses: [wide]\n---\n\nSageMaker notes.\n",
     dict(title="Study Log", tags=("sagemaker", "exam/mls"), dialect="obsidian",
          extra={"aliases": ["SM notes", "SageMaker log"], "cssclasses": ["wide"]})),
    ("obsidian-tag-string", "kinesis.md", "---\ntags: streaming, kinesis\n---\n# Kinesis\n",
     dict(title="Kinesis", tags=("streaming", "kinesis"), problems=())),
    ("obsidian-cssclass-singular", "x.md", "---\ncssclass: wide\ntitle: X\n---\nbody\n",
     dict(dialect="obsidian", extra={"cssclass": "wide"})),
    ("jekyll", "2024-03-05-feature-store.md",
     "---\nlayout: post\ntitle: Feature Store\ncategories: [aws, ml]\ntags: sagemaker feature-store\n---\nBody.\n",
     dict(title="Feature Store", dialect="jekyll", tags=("sagemaker", "feature-store"), created=D(2024, 3, 5),
          extra={"layout": "post", "categories": ["aws", "ml"]}, slug="2024-03-05-feature-store", problems=())),
    ("jekyll-date-in-front-matter-wins", "2024-03-05-x.md", "---\nlayout: post\ndate: 2024-04-01 10:00:00 +0100\n---\n# X\n",
     dict(created=D(2024, 4, 1), title="X")),
    ("jekyll-no-title", "2024-03-05-data-wrangler-tips.md", "---\nlayout: post\n---\nBody.\n",
     dict(title="data wrangler tips", created=D(2024, 3, 5))),
    ("hugo-toml", "glue.md",
     '+++\ntitle = "AWS Glue"\ndate = 2024-01-02\nlastmod = 2024-02-03T10:00:00Z\ndraft = true\ntags = ["etl", "glue"]\n'
     'weight = 10\n+++\n\nGlue is serverless ETL.\n',
     dict(title="AWS Glue", dialect="hugo", created=D(2024, 1, 2), updated=D(2024, 2, 3), draft=True,
          tags=("etl", "glue"), extra={"weight": 10}, problems=())),
    ("hugo-capitalized-keys", "caps.md",
     '+++\nTitle = "Hugo Caps"\nDate = 2024-01-02\nlastMod = 2024-03-04\nTags = ["a"]\nDraft = true\n+++\nbody\n',
     dict(title="Hugo Caps", created=D(2024, 1, 2), updated=D(2024, 3, 4), tags=("a",), draft=True, extra={},
          problems=())),
    ("hugo-yaml-lastmod", "emr.md", "---\ntitle: EMR\nlastmod: 2024-02-03\n---\n# EMR\n",
     dict(dialect="hugo", updated=D(2024, 2, 3))),
    ("hugo-json", "athena.md", '{\n  "title": "Athena",\n  "date": "2024-01-02",\n  "draft": false\n}\n\nQuery S3.\n',
     dict(title="Athena", created=D(2024, 1, 2), draft=False, problems=())),
    ("notion", "SageMaker Endpoints 0123456789abcdef0123456789abcdef.md",
     "# SageMaker Endpoints\n\nCreated: March 5, 2024\nTags: Deployment\n\nReal-time inference.\n",
     dict(title="SageMaker Endpoints", dialect="notion", slug="sagemaker-endpoints", created=D(2024, 3, 5),
          tags=("Deployment",), body="# SageMaker Endpoints\n\nReal-time inference.\n", problems=())),
    ("notion-without-heading", "Loose Page 0123456789abcdef0123456789abcdef.md", "Just text.\n",
     dict(title="Loose Page")),
    ("blog", "post.md",
     '---\ntitle: "Passed"\ndate: "2024-03-05"\ndescription: "How I passed."\ntags: ["AWS", "ML"]\ndraft: false\n---\n# Passed\n',
     dict(title="Passed", dialect="blog", created=D(2024, 3, 5), description="How I passed.", tags=("AWS", "ML"),
          draft=False, problems=())),
    ("wiki.js", "page.md",
     "---\ntitle: W\ndescription: d \npublished: true\ndate: 2021-08-19T17:19:40.962Z\ntags: \neditor: markdown\n"
     "dateCreated: 2021-08-16T16:47:39.772Z\n---\n\n# W\n",
     dict(dialect="wiki.js", created=D(2021, 8, 16), updated=D(2021, 8, 19), tags=(), description="d",
          draft=False, extra={"editor": "markdown"}, problems=())),
    ("wiki.js-unpublished", "page.md", "---\ntitle: W\npublished: false\n---\n# W\n", dict(draft=True)),
    ("notable", "n.md",
     "---\nattachments: [a.png, b.png]\ntags: [intro]\ntitle: '1: Intro'\ncreated: '2022-12-27T13:46:02.944Z'\n"
     "modified: '2023-01-01T04:33:04.874Z'\n---\n\n# 1: Intro\n\n![](@attachment/a.png)\n",
     dict(dialect="notable", title="1: Intro", attachments=("a.png", "b.png"), created=D(2022, 12, 27),
          updated=D(2023, 1, 1), tags=("intro",), problems=())),
    ("entity", "e.md",
     '---\ntitle: "Cert"\nentity_id: "x"\nstatus: "in_progress"\nstudy_start_date: "2025-06-01"\n'
     'progress_percentage: 35\nlast_updated: "2025-07-16"\n---\n# Cert\n',
     dict(dialect="entity", status="in_progress", studied=D(2025, 6, 1), updated=D(2025, 7, 16),
          extra={"entity_id": "x", "progress_percentage": 35})),
    ("plain-markdown", "plain.md", "# Plain\n\nText.\n", dict(title="Plain", dialect="markdown", extra={})),
    ("essay", "essay.txt", "An Essay\nIt has one sentence here.\nA Heading\nMore text.\n",
     dict(title="An Essay", dialect="essay")),
]


@pytest.mark.parametrize(("name", "text", "expected"), [row[1:] for row in DIALECTS], ids=[row[0] for row in DIALECTS])
def test_dialect(notes_dir: Path, name: str, text: str, expected: dict[str, Any]) -> None:
    note = normalized(notes_dir, name, text)
    got = {field: getattr(note, field) for field in expected}
    if "problems" in got:
        got["problems"] = tuple(str(p) for p in note.problems)
    assert got == expected
    assert note.body.startswith("# "), "every page starts with its title as H1"


def test_unknown_keys_are_kept_in_order_never_fatal(notes_dir: Path) -> None:
    text = "---\ntitle: X\nmood: happy\nrating: 4.5\nnested: {a: 1}\nwhen: 2024-01-01\n---\n# X\n"
    note = normalized(notes_dir, "x.md", text)
    assert note.problems == ()
    assert note.extra == {"mood": "happy", "rating": 4.5, "nested": {"a": 1}, "when": D(2024, 1, 1)}
    assert list(note.extra) == ["mood", "rating", "nested", "when"]


# --- type coercion -----------------------------------------------------------------------------

COERCIONS = [
    ("tags-list", "tags: [a, b, a]", "tags", ("a", "b")),
    ("tags-comma-string", "tags: 'a, b ,c'", "tags", ("a", "b", "c")),
    ("tags-space-string", "tags: a b", "tags", ("a", "b")),
    ("tags-hash-prefixed", "tags: ['#a', '#b/c']", "tags", ("a", "b/c")),
    ("tags-with-empty-item", "tags: [a, ~, b]", "tags", ("a", "b")),
    ("tags-empty", "tags:", "tags", ()),
    ("tag-singular", "tag: solo", "tags", ("solo",)),
    ("keywords-as-tags", "keywords: [x]", "tags", ("x",)),
    ("date-string", "date: '2024-03-05'", "created", D(2024, 3, 5)),
    ("date-yaml", "date: 2024-03-05", "created", D(2024, 3, 5)),
    ("date-datetime", "date: 2024-03-05T23:10:00Z", "created", D(2024, 3, 5)),
    ("date-words", "date: March 5, 2024", "created", D(2024, 3, 5)),
    ("date-empty", "date:", "created", None),
    ("draft-string-yes", "draft: 'yes'", "draft", True),
    ("draft-string-False", "draft: 'False'", "draft", False),
    ("title-number", "title: 2024", "title", "2024"),
    ("title-stripped", "title: '  Spaces  '", "title", "Spaces"),
    ("title-multiline", "title: |\n  Two\n  lines", "title", "Two lines"),
    ("status-number", "status: 3", "status", "3"),
    ("description-alias-summary", "summary: Short.", "description", "Short."),
    ("domains-numbers", "domains: [1, 3]", "domains", (1, 3)),
    ("domains-names", "domains: [Modeling, data engineering]", "domains", (3, 1)),
    ("domain-singular-text", "domain: Domain 2", "domains", (2,)),
    ("domains-duplicate", "domains: [2, '2', domain-2]", "domains", (2,)),
    ("attachments-string", "attachments: one.png", "attachments", ("one.png",)),
]


@pytest.mark.parametrize(("line", "field", "value"), [row[1:] for row in COERCIONS], ids=[row[0] for row in COERCIONS])
def test_coercion(notes_dir: Path, line: str, field: str, value: Any) -> None:
    note = normalized(notes_dir, "c.md", f"---\n{line}\n---\n# Heading\n")
    assert note.problems == ()
    assert getattr(note, field) == value


BAD_VALUES = [
    # id, front-matter line (it is line 3 of the file), the field named in the message
    ("title-list", "title: [a, b]", "title"),
    ("tags-mapping", "tags: {a: 1}", "tags"),
    ("date-nonsense", "date: not a date", "date"),
    ("date-number", "created: 12", "created"),
    ("draft-maybe", "draft: maybe", "draft"),
    ("domain-unknown", "domains: [1, Cooking]", "domains"),
    ("domain-out-of-range", "domain: 7", "domain"),
    ("attachments-mapping", "attachments: {a: b}", "attachments"),
]


@pytest.mark.parametrize(("line", "key"), [row[1:] for row in BAD_VALUES], ids=[row[0] for row in BAD_VALUES])
def test_bad_value_is_one_problem_at_its_line(notes_dir: Path, line: str, key: str) -> None:
    note = normalized(notes_dir, "bad.md", f"---\nfirst: 1\n{line}\n---\n# Heading\n")
    assert [(p.file, p.line, p.field) for p in note.problems] == [("bad.md", 3, key)]
    assert f"'{key}'" in note.problems[0].message
    assert note.dialect != "broken", "a bad value is reported; the note still gets its page"


def test_unknown_domain_message_lists_the_accepted_ones(notes_dir: Path) -> None:
    note = normalized(notes_dir, "bad.md", "---\ndomain: Cooking\n---\n# H\n")
    for domain in EXAM.domains:
        assert domain.name in note.problems[0].message


# --- title fallback ------------------------------------------------------------------------------

# id, file name, text, title, whether the title falls back to the file name (a schema error)
TITLES = [
    ("front-matter-wins", "n.md", "---\ntitle: From Front Matter\n---\n# From Heading\n", "From Front Matter", False),
    ("first-h1", "n.md", "Intro line.\n\n# The Heading\n", "The Heading", False),
    ("h1-markdown-stripped", "n.md", "# The **bold** `code` [link](http://x) heading\n", "The bold code link heading", False),
    ("h1-in-code-is-not-a-title", "n.md", "```\n# not a title\n```\n", "n", True),
    ("h2-is-not-a-title", "my_note-name.md", "## Sub\n", "my note name", True),
    ("file-name", "kinesis-data-firehose.md", "Text only.\n", "kinesis data firehose", True),
    ("empty-title-falls-back", "fallback.md", "---\ntitle: ''\n---\n# Heading\n", "Heading", False),
    ("notion-id-removed", "Page 0123456789abcdef0123456789abcdef.md", "Text.\n", "Page", True),
    ("jekyll-date-removed", "2024-01-02-post-name.md", "Text.\n", "post name", True),
    ("essay-first-line", "e.txt", "\n\nThe Title Line\nA sentence that ends.\n", "The Title Line", False),
]


@pytest.mark.parametrize(("name", "text", "title", "from_file_name"), [row[1:] for row in TITLES],
                         ids=[row[0] for row in TITLES])
def test_title_fallback(notes_dir: Path, name: str, text: str, title: str, from_file_name: bool) -> None:
    note = normalized(notes_dir, name, text)
    assert note.title == title
    # The schema requires a title: the page is still titled after the file name, and the contributor told.
    assert [p.field for p in note.problems] == (["title"] if from_file_name else [])
    if from_file_name:
        assert "has no title" in note.problems[0].message and f"'{title}'" in note.problems[0].message


def test_title_from_front_matter_is_escaped_in_the_generated_heading(notes_dir: Path) -> None:
    note = normalized(notes_dir, "n.md", "---\ntitle: 'C# *not em* <b>x</b> {{ config }}'\n---\nBody.\n")
    html = markdown.markdown(note.body.split("\n", 1)[0])
    assert html == "<h1>C# *not em* &lt;b&gt;x&lt;/b&gt; {{ config }}</h1>"


def test_heading_is_added_when_the_body_does_not_start_with_one(notes_dir: Path) -> None:
    note = normalized(notes_dir, "n.md", "---\ntitle: T\n---\nIntro.\n\n# Later H1\n")
    assert note.body.startswith("# T\n\nIntro.")
    note = normalized(notes_dir, "m.md", "---\ntitle: T\n---\n\n\n# T2\n\nIntro.\n")
    assert note.body.startswith("# T2\n") and note.title == "T"


# --- slugs ---------------------------------------------------------------------------------------

SLUGS = [
    ("000_620e8eeb47aa6b5e.txt", "000-620e8eeb47aa6b5e"),
    ("My Note.md", "my-note"),
    ("Résumé – ML.md", "resume-ml"),
    ("2024-03-05-title.md", "2024-03-05-title"),
    ("Page 0123456789abcdef0123456789abcdef.md", "page"),
    ("???.md", "note"),
]


@pytest.mark.parametrize(("name", "slug"), SLUGS)
def test_slug_from_file_name(name: str, slug: str) -> None:
    assert note_slug(Path(name), set()) == slug


def test_slugs_stay_unique_and_stable() -> None:
    taken: set[str] = set()
    slugs = [note_slug(Path(n), taken) for n in ("a.md", "a.txt", "A.md", "a.md")]
    assert len(set(slugs)) == 4 and slugs[0] == "a"
    again: set[str] = set()
    assert [note_slug(Path(n), again) for n in ("a.md", "a.txt", "A.md", "a.md")] == slugs


def test_seed_duplicate_titles_get_distinct_slugs() -> None:
    raws = [load_note(p, p.name) for p in find_note_files(SEED_NOTES)]
    notes = normalize_notes(raws, EXAM)
    by_stem = {Path(n.source).stem: n for n in notes}
    first, second = by_stem["000_620e8eeb47aa6b5e"], by_stem["001_1f30a2a1dde26729"]
    assert first.title.replace("–", "-") == second.title  # the same title, one with an en dash
    assert first.slug != second.slug
    assert len({n.slug for n in notes}) == len(notes)


# --- seeds: one row per seed, expectations read from the seed text itself ----------------------

def test_seed_dialects_and_fields() -> None:
    notes = {Path(n.source).name[:3]: n for n in
             normalize_notes([load_note(p, p.name) for p in find_note_files(SEED_NOTES)], EXAM)}
    # One row per seed note the project started from; notes contributors add are checked by the last line.
    expected = {"000": "entity", "001": "blog", "002": "wiki.js", "003": "notable", "004": "essay"}
    assert {k: notes[k].dialect for k in expected} == expected
    assert all(n.problems == () for n in notes.values())
    assert notes["000"].title == "AWS Certified Machine Learning – Specialty"  # mojibake repaired
    assert notes["000"].studied == D(2025, 6, 1) and notes["000"].extra["target_date"] == "2025-09-30"
    assert notes["001"].tags == ("AWS", "ML", "Certification") and notes["001"].created == D(2024, 3, 5)
    assert notes["002"].tags == () and notes["002"].created == D(2021, 8, 16)
    assert len(notes["003"].attachments) == 8
    assert notes["004"].title == (SEED_NOTES / "004_679f69c2a7dba30d.txt").read_text("utf-8").split("\n", 1)[0]


# --- essays --------------------------------------------------------------------------------------

def test_essay_headings_are_short_lines_without_a_full_stop() -> None:
    text = ("Title Line\nA first paragraph that ends with a stop.\nShort Heading\nA question?\nTrailing colon:\n"
            "Another paragraph.\n")
    body, lines, title = essay_to_markdown(text)
    assert title == "Title Line"
    assert body.split("\n\n") == ["# Title Line", "A first paragraph that ends with a stop.", "## Short Heading",
                                  "A question?", "Trailing colon:", "Another paragraph.\n"]
    assert lines[0] == 1 and lines[-1] == 6


def test_seed_essay_headings_are_its_short_lines() -> None:
    source = (SEED_NOTES / "004_679f69c2a7dba30d.txt").read_text("utf-8").split("\n")
    expected = [line for line in source[1:] if line.strip() and len(line) < 100 and not line.rstrip().endswith(".")]
    body, _, _ = essay_to_markdown("\n".join(source))
    assert [line[3:] for line in body.split("\n") if line.startswith("## ")] == expected
    assert len(expected) > 30


ESSAY_LITERALS = [
    "Costs < 5 & > 2 | maybe.",
    "Use *args and **kwargs with `code` and [brackets](x)",
    "~~not struck~~ ^^not inserted^^ ==not marked== ++ctrl+alt++.",
    "{{ config }} and {% raw %} stay as written.",
    "<script>alert(1)</script> is text.",
    "1. not a list, and 2) neither.",
    "- not a list item either.",
    "!!! note is not an admonition.",
    "??? note is not a details block.",
    "# not a heading.",
    "> not a quote.",
    "*[HTML]: not an abbreviation.",
    "Footnote[^1] is text.",
    "A backslash \\ stays.",
    "&amp; stays an ampersand followed by amp;.",
]


@pytest.mark.parametrize("line", ESSAY_LITERALS)
def test_essay_text_renders_exactly_as_written(line: str) -> None:
    body, _, _ = essay_to_markdown(f"Title\n{line}\n")
    html = markdown.markdown(body, extensions=["tables", "abbr", "footnotes", "admonition", "attr_list", "def_list",
                                               "md_in_html", "pymdownx.details", "pymdownx.tilde", "pymdownx.caret",
                                               "pymdownx.mark", "pymdownx.keys", "pymdownx.superfences"])
    from page_text import content_text

    assert content_text(html, whole_page=True) == f"Title {line}"
    assert html.count("<p>") == 1 and "<h" not in html.split("</h1>", 1)[1]


# --- template tags in Markdown notes: text, never an attribute list --------------------------------

MD_EXTENSIONS = ["toc", "attr_list", "tables", "md_in_html", "pymdownx.superfences"]
TEMPLATE_LINES = [
    ("table cell", "| a |\n| --- |\n| cell {% b %} |", "cell {% b %}"),
    ("heading", "## Heading {% raw %}", "Heading {% raw %}"),
    ("heading with Jinja comment", "## Heading {# note #}", "Heading {# note #}"),
    ("line after a paragraph", "para\n{% endraw %}", "para {% endraw %}"),
    ("after bold", "**bold**{% b %} x", "bold{% b %} x"),
    ("list continuation", "- item\n\n    {% tag %}", "item {% tag %}"),
]


@pytest.mark.parametrize(("markdown_text", "shown"), [r[1:] for r in TEMPLATE_LINES], ids=[r[0] for r in TEMPLATE_LINES])
def test_template_tags_are_shown_not_eaten_by_attr_list(notes_dir: Path, markdown_text: str, shown: str) -> None:
    from page_text import content_text

    note = normalized(notes_dir, "t.md", f"# T\n\n{markdown_text}\n")
    html = markdown.markdown(note.body, extensions=MD_EXTENSIONS)
    assert shown in content_text(html, whole_page=True)


CODE_KEPT = [
    ("inline code", "Use `{% raw %}` here", "<code>{% raw %}</code>"),
    ("fenced code", "```\n{% raw %}\n```", "{% raw %}\n</code>"),
    ("indented code", "Para.\n\n    {% raw %}", "<code>{% raw %}\n</code>"),
    ("deliberate id", "## Heading {#chosen}", 'id="chosen"'),
    ("deliberate class", "Para\n{: .note }", 'class="note"'),
]


@pytest.mark.parametrize(("markdown_text", "fragment"), [r[1:] for r in CODE_KEPT], ids=[r[0] for r in CODE_KEPT])
def test_code_and_deliberate_attribute_lists_are_untouched(notes_dir: Path, markdown_text: str, fragment: str) -> None:
    note = normalized(notes_dir, "t.md", f"# T\n\n{markdown_text}\n")
    html = markdown.markdown(note.body, extensions=MD_EXTENSIONS)
    assert fragment in html
    assert "\\{" not in html, "no escape shows in code"
