"""A deterministic synthetic notes folder for the benchmark: N notes of ~5 KB in the seeds' dialects.

Every note is built from its own ``random.Random`` seeded by (seed, index, N), so the same
arguments always give byte-identical files. The notes are written to build clean (no problem
reported by the checks), so a benchmark build measures the work, not the logging of warnings:

* dialects in turn: entity note with checklists (YAML), blog post (YAML, tag list), wiki.js page
  (YAML, comma-separated tags, "**Domain N**" lead-in paragraphs), Notable note (YAML,
  ``@attachment`` images), Obsidian note (YAML aliases, title from the file name), Hugo post
  (TOML front matter, reference-style links) and plain-text essay (``.txt``, no front matter);
* service mentions use catalog spellings (``seeds/services.yml``);
* internal links lead to other notes of the folder: relative links (some with an anchor),
  ``[[file name]]``, ``[[Title]]`` and ``[[file#Heading|label]]`` wikilinks;
* external links point at non-resolvable example URLs (``example.com``/``example.org``), each URL
  always with the same label (the checks flag one URL under two labels);
* headings name exam-domain keywords, so sections land on domain pages; about one note in ten
  speaks to no domain (the "Other" group).
"""
from __future__ import annotations

import argparse
import random
import re
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

NOTE_SIZE = 5_000  # bytes, roughly
DIALECTS = ("entity", "blog", "wikijs", "notable", "obsidian", "hugo", "essay")
ATTACHMENTS = ("diagram-pipeline.png", "diagram-endpoint.png", "chart-metrics.png")

# Heading text per exam domain: each names one of the domain's keywords (seeds/exams/mls-c01.yml).
DOMAIN_HEADINGS = {
    1: ("Data ingestion", "Data engineering", "Data transformation", "Building a data lake", "ETL jobs"),
    2: ("Feature engineering", "Exploratory data analysis", "Data cleaning", "Data visualization", "Data labeling"),
    3: ("Model evaluation", "Hyperparameter tuning", "Deep learning", "Choosing algorithms", "Neural networks"),
    4: ("Deployment", "Security", "Model maintenance", "Operations checklist", "Compliance"),
}
OTHER_HEADINGS = ("Background", "Study log", "Open questions", "Personal takeaways", "Scratchpad")
DOMAIN_NAMES = {1: "Data Engineering", 2: "Exploratory Data Analysis", 3: "Modeling",
                4: "Machine Learning Implementation and Operations"}

# Catalog spellings written in the notes, per domain (canonical names and unambiguous aliases).
SERVICES = {
    1: ("Amazon S3", "Amazon Kinesis Data Streams", "Amazon Data Firehose", "AWS Glue", "Amazon EMR",
        "Amazon Athena", "AWS Lake Formation", "Amazon Redshift", "AWS DataSync", "Amazon DynamoDB"),
    2: ("AWS Glue DataBrew", "Amazon SageMaker Data Wrangler", "Amazon SageMaker Ground Truth", "Amazon Athena",
        "Amazon SageMaker Clarify", "Amazon Quick Sight", "Amazon Mechanical Turk", "Amazon SageMaker Processing"),
    3: ("Amazon SageMaker AI", "XGBoost", "Linear Learner", "BlazingText", "DeepAR", "Random Cut Forest",
        "Amazon SageMaker Automatic Model Tuning", "Amazon SageMaker Debugger", "Amazon SageMaker Autopilot",
        "Amazon Comprehend", "Amazon Rekognition"),
    4: ("Amazon SageMaker Model Monitor", "Amazon CloudWatch", "AWS Identity and Access Management", "AWS KMS",
        "Amazon VPC", "AWS Lambda", "Amazon ECR", "Amazon SageMaker Neo", "AWS Step Functions",
        "Amazon SageMaker Batch Transform"),
}
TAGS = ("sagemaker", "ingestion", "streaming", "etl", "features", "eda", "algorithms", "tuning", "evaluation",
        "deployment", "security", "monitoring", "ai-services", "exam-prep", "review")
TOPICS = ("streaming ingestion", "batch pipelines", "feature stores", "label quality", "imputation strategies",
          "class imbalance", "gradient boosting", "topic models", "forecasting", "anomaly detection",
          "endpoint scaling", "model drift", "encryption at rest", "network isolation", "cost control",
          "experiment tracking", "transfer learning", "text classification", "image labeling", "recommendations")

# Lower-case prose (no capitalised word but the sentence start, which is from a fixed list).
_STARTS = ("The", "Usually the", "Here the", "Remember that the", "Note that the", "In practice the",
           "On the exam the", "Most of the time the")
_NOUNS = ("training set", "validation split", "feature vector", "label column", "confusion matrix", "learning rate",
          "batch size", "inference endpoint", "partition key", "shard count", "data catalog", "holdout set",
          "recall metric", "precision metric", "embedding layer", "loss curve", "bias report", "retention period",
          "output location", "instance type", "checkpoint", "baseline", "schema", "manifest file")
_VERBS = ("controls", "limits", "shapes", "changes", "improves", "hides", "explains", "drives", "bounds", "reveals")
_TAILS = ("when the data grows", "for most exam questions", "in a production pipeline", "after every retraining run",
          "before the model is deployed", "during hyperparameter search", "for streaming workloads",
          "once the baseline is known", "if the classes are imbalanced", "unless the schema changes")
_USES = ("is the managed answer for this", "keeps this cheap and simple", "handles this without servers",
         "is what the exam expects here", "fits when latency matters", "removes most of the glue code")
_CHECKS = ("read the developer guide chapter", "redo the practice questions", "write a one-page summary",
           "compare the pricing pages", "build the lab end to end", "review the exam guide task list")


@dataclass(frozen=True)
class Plan:
    """What one note will be, decided before any text is written (links need the others' plans)."""

    index: int
    dialect: str
    file_name: str
    title: str
    domains: tuple[int, ...]  # domains its headings speak to, in order; () for an "Other" note
    headings: tuple[str, ...]  # its H2 headings, in order

    @property
    def stem(self) -> str:
        return self.file_name.rsplit(".", 1)[0]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def plan_notes(n: int, seed: int = 1) -> list[Plan]:
    """The plan of every note: dialect, file name, title, domains and headings."""
    plans = []
    for index in range(n):
        rng = random.Random(f"{seed}:{n}:{index}:plan")
        dialect = DIALECTS[index % len(DIALECTS)]
        topic = TOPICS[rng.randrange(len(TOPICS))]
        title = f"Note {index:05d}: {topic}"
        ext = ".txt" if dialect in ("essay", "entity", "wikijs") else ".md"
        if dialect == "obsidian":  # named like a page title, the title repeated as the H1
            file_name = f"{topic.replace(' ', '-')}-{index:05d}{ext}"
            title = f"{topic.replace(' ', '-')}-{index:05d}".replace("-", " ")
        else:
            file_name = f"{index:05d}_{_slug(topic)}{ext}"
        if index % 10 == 9:
            domains: tuple[int, ...] = ()
        else:
            first = 1 + rng.randrange(4)
            domains = (first,) if rng.random() < 0.5 else (first, 1 + (first + rng.randrange(3)) % 4)
        headings = []
        for domain in domains:
            headings += rng.sample(DOMAIN_HEADINGS[domain], 2)
        headings += rng.sample(OTHER_HEADINGS, 2 if domains else 4)
        plans.append(Plan(index, dialect, file_name, title, domains, tuple(headings)))
    return plans


class _Writer:
    """Prose for one note, from that note's own random generator."""

    def __init__(self, rng: random.Random, domains: tuple[int, ...]) -> None:
        self.rng = rng
        self.domains = domains or (1 + rng.randrange(4),)

    def service(self, domain: int | None = None) -> str:
        pool = SERVICES[domain or self.rng.choice(self.domains)]
        return pool[self.rng.randrange(len(pool))]

    def sentence(self, domain: int | None = None) -> str:
        r = self.rng
        if r.random() < 0.35:
            return f"{r.choice(_STARTS)} {r.choice(_NOUNS)} {r.choice(_VERBS)} the {r.choice(_NOUNS)} {r.choice(_TAILS)}."
        return f"For the {r.choice(_NOUNS)}, {self.service(domain)} {r.choice(_USES)} {r.choice(_TAILS)}."

    def paragraph(self, domain: int | None = None, sentences: int = 4) -> str:
        return " ".join(self.sentence(domain) for _ in range(sentences))

    def checklist(self, items: int = 4) -> list[str]:
        return [f"- [{'x' if self.rng.random() < 0.5 else ' '}] {self.rng.choice(_CHECKS)} for "
                f"{self.rng.choice(_NOUNS)}" for _ in range(items)]


def _resource(k: int) -> tuple[str, str]:
    """(URL, label) of shared external resource ``k``: a URL always carries the same label."""
    host = ("example.com", "example.org", "docs.example.net")[k % 3]
    return f"https://{host}/mls/{k:05d}/{_slug(TOPICS[k % len(TOPICS)])}", f"reading {k}: {TOPICS[k % len(TOPICS)]}"


def _internal_links(rng: random.Random, plan: Plan, plans: list[Plan]) -> list[str]:
    """Markdown lines linking other notes, in every form the guide resolves."""
    if len(plans) < 2:
        return []
    others = [p for p in (plans[rng.randrange(len(plans))] for _ in range(4)) if p.index != plan.index]
    lines = []
    for number, other in enumerate(others):
        form = (plan.index + number) % 4
        if form == 0:
            lines.append(f"- See [{other.title}]({other.file_name})")
        elif form == 1:
            anchor = _slug(other.headings[0])
            lines.append(f"- Compare [the part on {other.headings[0].lower()}]({other.file_name}#{anchor})")
        elif form == 2:
            lines.append(f"- Related: [[{other.stem}]]")
        else:
            target = other.title if other.dialect != "obsidian" else other.stem
            lines.append(f"- Also [[{target}#{other.headings[-1]}|{other.headings[-1].lower()} notes]]")
    return lines


def _front_matter(plan: Plan, rng: random.Random) -> str:
    tags = rng.sample(TAGS, 2 + rng.randrange(3))
    day = f"20{22 + plan.index % 3}-{1 + plan.index % 12:02d}-{1 + plan.index % 28:02d}"
    title = plan.title.replace('"', "'")
    if plan.dialect == "entity":
        return (f'---\ntitle: "{title}"\ntype: "certification_in_progress"\ncategory: "machine_learning"\n'
                f'entity_id: "note_{plan.index:05d}"\nstatus: "in_progress"\nstudy_start_date: "{day}"\n'
                f"progress_percentage: {rng.randrange(101)}\ntechnologies: {tags}\nlast_updated: \"{day}\"\n---\n\n")
    if plan.dialect == "blog":
        return (f'---\ntitle: "{title}"\ndate: "{day}"\ndescription: "What I learned about {plan.title[12:]}."\n'
                f'category: "notes"\ntags: {tags}\ndraft: false\n---\n\n')
    if plan.dialect == "wikijs":
        return (f'---\ntitle: "{title}"\n' f"description: Study page on {plan.title[12:]}\npublished: true\n"
                f"date: {day}T17:19:40.962Z\ntags: {', '.join(tags)}\neditor: markdown\n"
                f"dateCreated: {day}T16:47:39.772Z\n---\n\n")
    if plan.dialect == "notable":
        return (f"---\nattachments: [{', '.join(ATTACHMENTS)}]\ntags: [{', '.join(tags)}]\ntitle: '{title}'\n"
                f"created: '{day}T13:46:02.944Z'\nmodified: '{day}T14:33:04.874Z'\n---\n\n")
    if plan.dialect == "obsidian":
        return f"---\naliases: [{plan.stem}]\ntags: [{', '.join(tags)}]\ncssclasses: [wide]\n---\n\n"
    if plan.dialect == "hugo":
        return (f'+++\ntitle = "{title}"\ndate = {day}\ntags = {tags!r}\ndraft = false\n'
                f"{'domains = [' + str(plan.domains[0]) + ']' if plan.domains else ''}\n+++\n\n")
    return ""


def _section_domain(plan: Plan, heading: str) -> int | None:
    return next((d for d, names in DOMAIN_HEADINGS.items() if heading in names), None)


def render_note(plan: Plan, plans: list[Plan], seed: int = 1) -> str:
    """The text of one note."""
    rng = random.Random(f"{seed}:{len(plans)}:{plan.index}:text")
    w = _Writer(rng, plan.domains)
    if plan.dialect == "essay":
        return _render_essay(plan, w)
    out = [_front_matter(plan, rng), f"# {plan.title}\n"]
    out.append(w.paragraph(sentences=3) + "\n")
    if plan.dialect == "notable":
        out.append(f"![diagram](@attachment/{ATTACHMENTS[plan.index % len(ATTACHMENTS)]})\n")
    resources = rng.sample(range(max(60, len(plans) * 2)), 3)
    links = _internal_links(rng, plan, plans)
    for position, heading in enumerate(plan.headings):
        domain = _section_domain(plan, heading)
        out.append(f"## {heading}\n")
        if plan.dialect == "wikijs" and domain:
            out.append(f"**Domain {domain}: {DOMAIN_NAMES[domain]}**\n{w.paragraph(domain, 2)}\n")
        out.append(w.paragraph(domain) + "\n")
        if position < len(resources):
            url, label = _resource(resources[position])
            if plan.dialect == "hugo":
                out.append(f"More in [{label}][].\n\n[{label}]: {url}\n")
            else:
                out.append(f"More in [{label}]({url}).\n")
        if plan.dialect == "entity" or (position == 1 and plan.dialect in ("blog", "notable")):
            out.append(f"### Progress checklist {position + 1}\n\n" + "\n".join(w.checklist()) + "\n")
        if position == 0 and links:
            out.append("Related notes:\n\n" + "\n".join(links) + "\n")
    body = "\n".join(out)
    while len(body.encode()) < NOTE_SIZE:
        body += "\n" + w.paragraph() + "\n"
    return body


def _render_essay(plan: Plan, w: _Writer) -> str:
    lines = [plan.title]
    lines.append(w.paragraph(sentences=3))
    for heading in plan.headings:
        lines.append(heading)
        lines.append(w.paragraph(_section_domain(plan, heading)))
        lines.append(w.paragraph(_section_domain(plan, heading), 3))
    text = "\n".join(lines) + "\n"
    while len(text.encode()) < NOTE_SIZE:
        text += w.paragraph() + "\n"
    return text


def _png(width: int = 4, height: int = 4) -> bytes:
    """A tiny valid PNG (attachments of Notable notes)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\x80\x80\xff" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def write_notes(target: Path, n: int, seed: int = 1) -> list[Path]:
    """Write ``n`` notes (and the attachments folder) into ``target``; returns the note files."""
    target.mkdir(parents=True, exist_ok=True)
    plans = plan_notes(n, seed)
    files = []
    for plan in plans:
        path = target / plan.file_name
        path.write_text(render_note(plan, plans, seed), "utf-8")
        files.append(path)
    attachments = target / "attachments"
    attachments.mkdir(exist_ok=True)
    for name in ATTACHMENTS:
        (attachments / name).write_bytes(_png())
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("-n", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    files = write_notes(args.target, args.n, args.seed)
    total = sum(p.stat().st_size for p in files)
    print(f"{len(files)} notes, {total / len(files):.0f} bytes each on average, in {args.target}")


if __name__ == "__main__":
    main()
