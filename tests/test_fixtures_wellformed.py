"""The fixtures themselves are what tests/fixtures/README.md says they are (these do not test the guide).

Later tests rely on these promises: the labels cover the evaluation notes exactly, images are real
images, Notion names carry 32-hex ids and links that resolve, the Obsidian vault holds exactly one
broken and one ambiguous reference (in the notes named for them) and the clean vault none.
"""
from __future__ import annotations

import functools
import re
import urllib.parse
from pathlib import Path

import pytest
import yaml

from macros.catalog import exam_file, load_exam

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
README = FIXTURES / "README.md"
EVAL = FIXTURES / "domain-eval"
NOTION = FIXTURES / "notion-export"
VAULT = FIXTURES / "obsidian-vault"
CLEAN = FIXTURES / "obsidian-clean"
NOTE_SUFFIXES = (".md", ".markdown", ".txt")
MAX_FIXTURE_BYTES = 1_500_000

# Leading bytes of each image format a fixture may hold, and the bytes a complete file ends with.
IMAGE_SIGNATURES = {
    ".png": (b"\x89PNG\r\n\x1a\n", b"IEND\xaeB`\x82"),
    ".jpg": (b"\xff\xd8\xff", b"\xff\xd9"),
    ".jpeg": (b"\xff\xd8\xff", b"\xff\xd9"),
    ".gif": (b"GIF8", b";"),
}
NOTION_ID = re.compile(r" ([0-9a-f]{32})(?:_all)?$")


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def shown(path: Path) -> str:
    return path.relative_to(FIXTURES).as_posix()


@functools.cache
def outline_tasks() -> dict[str, int]:
    """task statement id → its domain number, from the outline."""
    exam = load_exam(exam_file(ROOT, "mls-c01"))
    return {task.id: domain.number for domain in exam.domains for task in domain.tasks}


def eval_notes() -> list[str]:
    return [p.relative_to(EVAL).as_posix() for p in files_under(EVAL) if p.suffix in NOTE_SUFFIXES]


@functools.cache
def labels() -> dict[str, dict]:
    return yaml.safe_load((EVAL / "labels.yml").read_text("utf-8"))


# ---------------------------------------------------------------- the labeled evaluation set

@pytest.mark.parametrize("path", sorted(labels()), ids=str)
def test_every_labeled_path_is_a_note_of_the_set(path: str) -> None:
    assert (EVAL / path).is_file(), f"labels.yml names {path}, which is not in {shown(EVAL)}"
    assert (EVAL / path).suffix in NOTE_SUFFIXES


@pytest.mark.parametrize("path", eval_notes(), ids=str)
def test_every_evaluation_note_is_labeled(path: str) -> None:
    assert path in labels(), f"{shown(EVAL / path)} has no entry in labels.yml"


@pytest.mark.parametrize("path", sorted(labels()), ids=str)
def test_every_label_names_real_domains_and_task_statements(path: str) -> None:
    """domain ∈ domains, tasks are outline ids (seeds/domains.yml) of the listed domains, primary first."""
    task_domain = outline_tasks()
    entry = labels()[path]
    assert set(entry) == {"domain", "domains", "tasks"}, entry
    assert entry["domains"][0] == entry["domain"], "the primary domain comes first in domains"
    assert len(set(entry["domains"])) == len(entry["domains"])
    assert entry["tasks"], "at least the main task statement"
    for task in entry["tasks"]:
        assert task in task_domain, f"{task} is not a task statement of the outline"
        assert task_domain[task] in entry["domains"], f"task {task} belongs to a domain not listed"
    assert task_domain[entry["tasks"][0]] == entry["domain"], "the first task belongs to the primary domain"


@pytest.mark.parametrize("domain", sorted(set(outline_tasks().values())))
def test_every_domain_has_at_least_twelve_primary_notes(domain: int) -> None:
    assert sum(entry["domain"] == domain for entry in labels().values()) >= 12


# ---------------------------------------------------------------- images

@pytest.mark.parametrize("image", [p for p in files_under(FIXTURES) if p.suffix.lower() in IMAGE_SIGNATURES], ids=shown)
def test_every_image_file_is_a_complete_image_of_its_format(image: Path) -> None:
    head, tail = IMAGE_SIGNATURES[image.suffix.lower()]
    data = image.read_bytes()
    assert data.startswith(head), f"{shown(image)} does not start like a {image.suffix} file"
    assert data.rstrip(b"\0").endswith(tail), f"{shown(image)} is truncated"
    assert 100 <= len(data) <= 20_000, f"{shown(image)}: {len(data)} bytes; keep fixture images small"


# ---------------------------------------------------------------- the Notion export

def notion_named() -> list[Path]:
    """Every page, database CSV and page folder of the export (images keep Notion's own names)."""
    return [p for p in sorted(NOTION.rglob("*")) if p.is_dir() or p.suffix in (".md", ".csv")]


@pytest.mark.parametrize("path", notion_named(), ids=shown)
def test_every_notion_page_csv_and_folder_ends_in_a_32_hex_id(path: Path) -> None:
    assert NOTION_ID.search(path.stem if path.is_file() else path.name), shown(path)


@pytest.mark.parametrize("page", [p for p in files_under(NOTION) if p.suffix == ".md"], ids=shown)
def test_every_notion_page_has_its_folder_only_beside_it_and_links_that_resolve(page: Path) -> None:
    text = page.read_text("utf-8")
    assert text.startswith(f"# {NOTION_ID.split(page.stem)[0]}\n"), "a page starts with its title"
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        assert "%20" in target or " " not in urllib.parse.unquote(target), target
        assert (page.parent / urllib.parse.unquote(target)).exists(), f"{shown(page)}: {target} does not resolve"


def test_the_notion_database_csvs_list_every_row_page() -> None:
    [view] = [p for p in NOTION.rglob("*.csv") if not p.stem.endswith("_all")]
    everything = view.with_name(f"{view.stem}_all.csv")
    rows = {p.stem.rsplit(" ", 1)[0] for p in (view.parent / view.stem).glob("*.md")}
    for csv in (view, everything):
        assert csv.read_bytes().startswith(b"\xef\xbb\xbfName,"), "Notion writes UTF-8 with a BOM"
    listed_all = {line.split(",", 1)[0] for line in everything.read_text("utf-8-sig").splitlines()[1:]}
    listed_view = {line.split(",", 1)[0] for line in view.read_text("utf-8-sig").splitlines()[1:]}
    assert listed_all == rows and listed_view < listed_all


# ---------------------------------------------------------------- the Obsidian vaults

def vault_notes(vault: Path) -> list[Path]:
    """Notes the guide should read: not the configuration folder, not the templates."""
    return [p for p in files_under(vault) if p.suffix == ".md" and not {".obsidian", "_templates"} & set(p.parts)]


@functools.cache
def vault_files(vault: Path) -> dict[Path, set[str]]:
    """Every file of the vault but its configuration → the lower-case forms a wikilink may name it by."""
    return {path: {path.relative_to(vault).as_posix().casefold(),
                   path.relative_to(vault).as_posix().removesuffix(".md").casefold()}
            for path in files_under(vault) if ".obsidian" not in path.parts}


def obsidian_matches(vault: Path, target: str) -> list[Path]:
    """Files a wikilink target names, as Obsidian finds them: the path (with or without `.md`) or its
    tail after a folder boundary, ignoring case."""
    wanted = target.strip().casefold()
    return [path for path, forms in vault_files(vault).items()
            if any(form == wanted or form.endswith("/" + wanted) for form in forms)]


def unresolved_references(vault: Path) -> list[tuple[str, str, int]]:
    """(note, reference, number of matches) for every wikilink, embed, Markdown or <img> path that does not
    name exactly one existing file, headings included; code blocks left out."""
    problems = []
    for note in vault_notes(vault):
        text = re.sub(r"^```.*?^```", "", note.read_text("utf-8"), flags=re.S | re.M)
        for inner in re.findall(r"\[\[([^\]]*)\]\]", text):
            target, _, heading = inner.replace("\\|", "|").split("|")[0].partition("#")
            matches = obsidian_matches(vault, target) if target else [note]
            if len(matches) == 1 and heading and matches[0].suffix == ".md":
                headings = re.findall(r"^#{1,6} (.+?)\s*$", matches[0].read_text("utf-8"), flags=re.M)
                matches = matches if heading.strip().casefold() in {h.casefold() for h in headings} else []
            if len(matches) != 1:
                problems.append((note.relative_to(vault).as_posix(), inner, len(matches)))
        for path in re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)|<img src=\"([^\"]+)\"", text):
            relative = urllib.parse.unquote(path[0] or path[1])
            if not (note.parent / relative).is_file():
                problems.append((note.relative_to(vault).as_posix(), relative, 0))
    return problems


def test_the_vault_has_exactly_the_one_broken_and_the_one_ambiguous_reference_its_readme_promises() -> None:
    assert sorted(unresolved_references(VAULT)) == [("Ambiguous.md", "pipeline-diagram.png", 2),
                                                    ("Broken links.md", "Does Not Exist", 0)]
    assert (VAULT / "Broken links.md").read_text("utf-8").count("[[Does Not Exist]]") == 1


def test_the_clean_vault_has_no_broken_or_ambiguous_reference() -> None:
    assert unresolved_references(CLEAN) == []


@pytest.mark.parametrize("name", sorted({p.name for p in vault_notes(CLEAN)}))
def test_the_clean_vault_uses_every_note_file_name_once(name: str) -> None:
    assert len([p for p in vault_notes(CLEAN) if p.name == name]) == 1


@pytest.mark.parametrize("note", vault_notes(VAULT) + vault_notes(CLEAN), ids=shown)
def test_no_tag_is_written_inside_code(note: Path) -> None:
    """The README promises a `#word` inside a code block is never meant as a tag, so a test may flag one."""
    for block in re.findall(r"^```.*?^```", note.read_text("utf-8"), flags=re.S | re.M):
        assert not re.search(r"(?<![\w&/])#[A-Za-z][\w/-]*", block), block


@pytest.mark.parametrize("path", ["_questions/Question index.md", "_templates/Concept.md", ".obsidian/app.json",
                                  "Index.md", "01 Data Engineering/Overview.md", "03 Modeling/Overview.md",
                                  "03 Modeling/images/my chart.png"])
def test_the_vault_holds_the_special_files_the_readme_names(path: str) -> None:
    assert (VAULT / path).is_file()
    assert f"`{path}" in README.read_text("utf-8") or f"`{Path(path).name}`" in README.read_text("utf-8")


def test_the_question_index_is_a_long_real_note() -> None:
    assert len((VAULT / "_questions" / "Question index.md").read_text("utf-8").splitlines()) >= 100


# ---------------------------------------------------------------- the README and the size budget

@pytest.mark.parametrize("folder", sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()))
def test_the_readme_describes_every_fixture_folder(folder: str) -> None:
    assert f"## {folder}/" in README.read_text("utf-8"), f"tests/fixtures/README.md has no section for {folder}/"


def test_the_fixtures_stay_small() -> None:
    assert sum(p.stat().st_size for p in files_under(FIXTURES)) < MAX_FIXTURE_BYTES
