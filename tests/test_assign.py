"""Every note lands in its exam domain and task statement, explained (macros/assign).

One row per evidence kind and per trap. Notes are written to a temporary folder and read by the real
pipeline (``pipeline.build_site``: sections, service mentions) wherever mentions matter; pure rows build
``NoteInput`` by hand.
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from macros import assign, pipeline
from macros.assign.folders import FolderNames
from macros.catalog import exam_file, load_exam
from macros.model import Section

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import eval_domains  # noqa: E402 - bench/ is not a package

MLS = load_exam(exam_file(ROOT, "mls-c01"))
MLA = load_exam(exam_file(ROOT, "mla-c01"), "seeds/exams/mla-c01.yml")


def section(title: str, body: str, level: int = 2, anchor: str = "", parent: str | None = None) -> Section:
    return Section("n", title, anchor or title.casefold().replace(" ", "-"), level, 1, body, parent=parent)


def assigned(note: assign.NoteInput, exam=MLS) -> assign.NoteAssignment:  # noqa: ANN001
    return assign.assign_note(note, assign.outline_for(exam, None))


def build(tmp_path: Path, files: dict[str, str]):  # noqa: ANN201 - (site, {relative path: assignment})
    """The real pipeline over ``files`` (path → text), and each note's assignment by its path."""
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, "utf-8")
    site = pipeline.build_site(ROOT, tmp_path)
    results = assign.assign_notes(site.notes, site.mentions, site.exam, site.catalog, site.notes_dir, str(ROOT))
    by_path = {result.path: result for result in results.values()}
    return site, by_path


# ---------------------------------------------------------------- folders

@pytest.mark.parametrize(("folder", "domain"), [
    ("01-data-engineering", 1),
    ("2 Exploratory Data Analysis", 2),
    ("Domain 3 - Modelling", 3),
    ("domain-4", 4),
    ("3 Modeling/algorithms", 3),
    ("EDA", 2),
    ("MLOps", 4),
    ("D2", 2),
    ("03_modeling", 3),
    ("Data-Engineering", 1),
    ("exploratory_data_analysis", 2),
    ("Domain 4 (Implementation & Operations)", 4),
    ("Exploratry Data Analysis", 2),  # misspelt: fuzzy
    ("Security", 4),  # a keyword of domain 4
    ("Week 3", None),
    ("01-introduction", None),
    ("drafts", None),
    ("2024", None),
    ("Inbox/2024-03-14", None),
    ("misc notes", None),
])
def test_a_folder_files_a_note_under_the_domain_it_names(folder: str, domain: int | None) -> None:
    result = assigned(assign.NoteInput(f"{folder}/note.md", "Note"))
    assert result.primary == domain, result.why
    if domain is None:
        assert result.domains == () and result.why == "no evidence for any domain"
    else:
        assert "folder " in result.why


@pytest.mark.parametrize(("folder", "exam", "domain"), [
    ("01 Data Preparation", MLA, 1), ("ML Model Development", MLA, 2), ("MLOps", MLA, 3), ("Domain 4", MLA, 4),
])
def test_folder_names_follow_the_exam_asked_about(folder: str, exam, domain: int) -> None:  # noqa: ANN001
    assert FolderNames(exam).match(folder)[0][0] == domain


# ---------------------------------------------------------------- the traps of real notes

KINESIS = """# Kinesis

## Kinesis Data Streams
Real-time pipe you manage by shards: 1 MB/s in per shard, retention up to 365 days so consumers can replay.
Partition key picks the shard; KPL batches records, KCL checkpoints in DynamoDB.

## Kinesis Data Firehose
Fully managed delivery to S3, Redshift or OpenSearch; buffers by size or interval, converts JSON to Parquet.
Near real time, no replay.
"""

S3_NOTE = """# S3 for ML

## Storage classes
S3 Standard for hot training data, Intelligent-Tiering when access is unknown, Glacier for archives.
A lifecycle policy moves raw data to Glacier after 90 days. Partition the data lake by date.

## Layout
Keep raw, curated and feature prefixes; register tables in the Glue Data Catalog; Parquet for Athena.

## Security
Bucket policy denies unencrypted uploads; SSE-KMS with a customer managed key; VPC endpoint for S3.
"""

ALGORITHM_FACTS = [
    "XGBoost is gradient boosted trees; tune max_depth, eta and num_round, and use early stopping.",
    "Linear Learner handles regression and binary or multiclass classification; normalize inputs first.",
    "k-means finds clusters; choose k with the elbow of the within-cluster distance.",
    "Random Cut Forest gives an anomaly score per record; unsupervised.",
    "DeepAR is a recurrent neural network forecasting many related time series at once.",
    "BlazingText trains Word2Vec embeddings or a supervised text classifier.",
    "Factorization Machines suit sparse click data for recommendation.",
    "Object2Vec learns embeddings of pairs; IP Insights flags unusual IP addresses for a user.",
    "Image Classification and Object Detection use CNNs; transfer learning needs far fewer images.",
    "Seq2Seq translates sequences with an RNN or attention encoder-decoder.",
    "LDA and Neural Topic Model find topics in documents, unsupervised.",
    "k-NN classifies by the nearest labeled neighbours; scale the features.",
]


def long_algorithms_note() -> str:
    lines = ["# Built-in algorithms", ""]
    for index in range(780):
        if index % 60 == 0:
            lines += [f"## Algorithm family {index // 60 + 1}", ""]
        lines.append("- " + ALGORITHM_FACTS[index % len(ALGORITHM_FACTS)])
    lines += ["", "## Deployment Safeguards", "", "Remember to test the model before production."]
    return "\n".join(lines) + "\n"


def test_a_kinesis_note_is_data_ingestion(tmp_path: Path) -> None:
    _, results = build(tmp_path, {"kinesis.md": KINESIS})
    result = results["kinesis.md"]
    assert result.primary == 1 and result.tasks[0] == "1.2", result
    for part in result.sections:
        assert part.domains[:1] == (1,) and part.tasks[:1] == ("1.2",), part


def test_an_s3_note_with_a_security_section_stays_data_engineering(tmp_path: Path) -> None:
    _, results = build(tmp_path, {"s3.md": S3_NOTE})
    result = results["s3.md"]
    assert result.primary == 1 and 4 in result.domains, result
    security = next(s for s in result.sections if s.anchor == "security")
    assert security.domains[0] == 4 and security.tasks[0] == "4.3"


def test_one_deployment_heading_does_not_move_an_800_line_algorithms_note(tmp_path: Path) -> None:
    text = long_algorithms_note()
    assert text.count("\n") >= 800
    _, results = build(tmp_path, {"algorithms.md": text})
    assert results["algorithms.md"].primary == 3, results["algorithms.md"].why


MASKED_WORDS = "Kinesis Data Streams shard ingestion Firehose"


@pytest.mark.parametrize(("body", "counts"), [
    (f"Prose: {MASKED_WORDS}.", True),  # the control row: the same words in prose count
    (f"```\n{MASKED_WORDS}\n```", False),
    (f"Inline `{MASKED_WORDS}` code.", False),
    (f"Text.\n\n    {MASKED_WORDS}\n", False),  # indented code
    (f"Math $${MASKED_WORDS}$$ here.", False),
    (f"$$\n{MASKED_WORDS}\n$$", False),
    (f"%%{MASKED_WORDS}%%", False),
    (f"<!-- {MASKED_WORDS} -->", False),
])
def test_words_in_code_math_and_comments_do_not_count(body: str, counts: bool) -> None:
    result = assigned(assign.NoteInput("note.md", "Note", sections=(section("Notes", body),)))
    assert (result.primary == 1) is counts, result
    assert (result.sections[0].domains == ()) is not counts


@pytest.mark.parametrize(("pin", "domains", "tasks"), [
    ("<!-- domain: 3 -->", (3,), None),
    ("<!-- domain: Modeling -->", (3,), None),
    ("<!-- domains: 2, 4 -->", (2, 4), None),
    ("<!-- task: 3.4 -->", (3,), ("3.4",)),
])
def test_pins_win_over_the_words_of_their_section(pin: str, domains: tuple[int, ...], tasks) -> None:  # noqa: ANN001
    body = f"{pin}\nKinesis Data Streams shards, Firehose delivery, ingestion of streaming data, ETL with Glue."
    result = assigned(assign.NoteInput("01-data-engineering/x.md", "X", sections=(section("Ingestion", body),)))
    assert result.sections[0].domains == domains
    if tasks:
        assert result.sections[0].tasks == tasks
    assert result.primary == domains[0] and "pinned: " in result.why


@pytest.mark.parametrize(("path", "pins", "primary"), [
    ("x.md", (4,), 4),  # front matter over the text
    ("01-data-engineering/x.md", (3,), 3),  # front matter over the folder
    ("domain-4/x.md", (), 4),  # the folder over the text
    ("x.md", (), 1),  # the text alone
])
def test_front_matter_then_folder_then_text(path: str, pins: tuple[int, ...], primary: int) -> None:
    body = "Kinesis Data Streams shards, Firehose delivery, ingestion of streaming data into the data lake."
    result = assigned(assign.NoteInput(path, "X", pins=pins, sections=(section("Streams", body),)))
    assert result.primary == primary, result.why


@pytest.mark.parametrize("body", [
    "Tuesday: read two chapters, then took a long walk.",
    "",
    "See the other page. Remember this for later!",
])
def test_a_section_with_no_evidence_stays_unassigned(body: str) -> None:
    result = assigned(assign.NoteInput("note.md", "Note", sections=(section("Study log", body),)))
    assert result.sections[0].domains == () and result.sections[0].tasks == ()
    assert result.primary is None and result.domains == ()


def test_the_same_notes_give_the_same_assignment_in_any_order(tmp_path: Path) -> None:
    site, _ = build(tmp_path, {"kinesis.md": KINESIS, "s3.md": S3_NOTE, "algorithms.md": long_algorithms_note(),
                               "eda/outliers.md": "# Outliers\nBox plots and z-scores; clip or log-transform.\n"})
    first = assign.assign_notes(site.notes, site.mentions, site.exam, site.catalog, site.notes_dir, str(ROOT))
    notes, mentions = list(site.notes), list(site.mentions)
    for seed in range(3):
        random.Random(seed).shuffle(notes)
        random.Random(seed).shuffle(mentions)
        again = assign.assign_notes(notes, mentions, site.exam, site.catalog, site.notes_dir, str(ROOT))
        assert again == first


@pytest.mark.parametrize(("path", "text", "parts"), [
    ("01-data-engineering/kinesis.md", KINESIS,
     ("folder 01-data-engineering", "headings: Kinesis Data Streams", "mentions Amazon ", "words: ")),
    ("kinesis.md", KINESIS, ("headings: Kinesis", "words: shard")),
    ("s3.md", "---\ndomains: [1]\n---\n" + S3_NOTE, ("front matter: Data Engineering",)),
])
def test_the_why_line_names_the_evidence(tmp_path: Path, path: str, text: str, parts: tuple[str, ...]) -> None:
    _, results = build(tmp_path, {path: text})
    why = results[path].why
    for part in parts:
        assert part in why, why
    assert all(len(kind.split(", ")) <= 3 for kind in why.split("; "))


PIPELINES = """# CI/CD for models

## SageMaker Pipelines
A pipeline of steps: processing, training, evaluation, a condition step on the metric, then register the model
in the Model Registry. CodePipeline runs the pipeline when the code changes; infrastructure as code with
CloudFormation or the CDK; EventBridge triggers retraining on a schedule.
"""


def test_the_mla_outline_gives_mla_domains(tmp_path: Path) -> None:
    site, _ = build(tmp_path, {"cicd.md": PIPELINES})
    note = site.notes[0]
    outline = assign.outline_for(MLA, site.catalog)
    result = assign.assign_note(assign.note_input(note, site.mentions, site.notes_dir, str(ROOT)), outline)
    assert result.primary == 3 and result.tasks[0].startswith("3."), result


# ---------------------------------------------------------------- the labeled evaluation set (a floor)

def test_the_labeled_set_is_assigned_right_with_folders_and_from_the_text(tmp_path: Path) -> None:
    folder = ROOT / "tests" / "fixtures" / "domain-eval"
    labels = eval_domains.load_labels(folder / "labels.yml")
    with_folders = eval_domains.evaluate(folder, labels)
    names = eval_domains.flatten(folder, list(labels), tmp_path)
    flattened = eval_domains.evaluate(tmp_path, labels, lambda flat: names.get(flat, flat))
    assert sum(o.primary_right for o in with_folders) / len(with_folders) >= 0.95
    assert sum(o.primary_right for o in flattened) / len(flattened) >= 0.85


@pytest.mark.parametrize(("title", "sections", "primary"), [
    ("Kinesis Data Streams", (), 1),  # no sections (a broken note): the title alone
    ("Hyperparameter tuning", (section("Notes", "Ask again in class."),), 3),  # no heading repeats the title
    ("Study plan", (section("Study plan", "Ask again in class.", level=1),), None),  # the title is its H1: no evidence
])
def test_a_title_no_heading_repeats_is_evidence(title: str, sections: tuple[Section, ...], primary) -> None:  # noqa: ANN001
    result = assigned(assign.NoteInput("note.md", title, sections=sections))
    assert result.primary == primary, result.why
