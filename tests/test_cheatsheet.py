"""Cheat-sheets, pure: scenario pairs found with their evidence and source section, unsupported or
malformed pairs reported with file:line, concepts traced to a note section that mentions them,
services taken from the catalog. Plus a few checks of the seed build's HTML.

Expectations come from the inputs (seeds/scenarios.yml, the notes, the catalog), read here
with plain YAML and string search rather than through the module under test where possible.
"""
from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SEED_NOTES, Build
from macros import check, paths
from macros.enrich.evidence import concept_pattern, find_concepts, section_texts, suggest_scenarios
from macros.load import shown_path
from macros.pipeline import build_site, navigation
from macros.render.cheatsheet import MAX_SERVICES, ONE_LINE_CHARS, cheatsheet_pages, one_line, render_cheatsheet, sheet_services
from macros.render.markdown import md_text
from macros.scenarios import Scenario, normalize_text, scenarios_path
from macros.settings import Settings, SettingsError, pdf_format
from page_text import content, content_text

SCENARIOS_YML = ROOT / "seeds" / "scenarios.yml"
RAW_PAIRS = yaml.safe_load(SCENARIOS_YML.read_text("utf-8"))["scenarios"]
DOMAINS = yaml.safe_load((ROOT / "seeds" / "exams" / "mls-c01.yml").read_text("utf-8"))["domains"]
_LINK = re.compile(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


@pytest.fixture(scope="module")
def site():
    return build_site(ROOT)


@pytest.fixture(scope="module")
def resolved(site):
    return site.index.scenarios, scenario_problems(site)


def scenario_problems(site):
    return [p for p in site.problems if p.code.startswith("scenario/")]


def squash(text: str) -> str:
    return " ".join(text.replace("’", "'").casefold().split())


def write_scenarios(folder: Path, body: str) -> Path:
    """A notes folder with the seed notes, and ``scenarios.yml`` beside it."""
    notes = folder / "notes"
    shutil.copytree(SEED_NOTES, notes)
    path = folder / "scenarios.yml"
    path.write_text(textwrap.dedent(body).lstrip("\n"), "utf-8")
    return notes


def problems_of(tmp_path: Path, body: str):
    notes = write_scenarios(tmp_path, body)
    site = build_site(ROOT, notes_dir=notes)
    return site, [p for p in site.problems if p.file.endswith("scenarios.yml")]


# --- the seed pairs ------------------------------------------------------------------------------

def test_every_seed_pair_is_supported(resolved) -> None:
    supported, problems = resolved
    assert problems == []
    assert len(supported) == len(RAW_PAIRS)


@pytest.mark.parametrize("scenario, answer, section", [
    ("streaming JSON", "Kinesis Data Firehose", "data-engineering-scenarios-and-solutions"),
    ("alternative to Amazon EMR", "AWS Glue", "scenario-based-learning-for-data-engineering"),
    ("oscillates", "Learning rate too high", "modeling-scenarios-and-solutions"),
    ("Click-through", "Factorization Machines", "common-modeling-scenarios-and-solutions"),
    ("identical data", "Remove the duplicates", "domain-2"),
])
def test_pair_links_the_section_that_says_it(resolved, site, scenario: str, answer: str, section: str) -> None:
    pair = next(p for p in resolved[0] if scenario.casefold() in p.scenario.scenario.casefold())
    assert answer in pair.scenario.answer
    assert section in [s.section.anchor for s in pair.sources]
    for source in pair.sources:  # every linked section really holds every evidence phrase
        text = squash(source.section.title + " " + source.section.body).replace("*", "")
        for phrase in pair.scenario.evidence:
            assert squash(phrase) in text, (phrase, source.section.anchor)
    # sections of the pair's own domain come first
    flags = [pair.scenario.domain in s.section.domains for s in pair.sources]
    assert flags == sorted(flags, reverse=True)


def test_each_sheet_shows_its_domains_pairs_with_source_links(site, resolved) -> None:
    for domain in site.exam.domains:
        page = render_cheatsheet(site, site.index, domain, pdf=False)
        for raw in RAW_PAIRS:
            shown = md_text(raw["scenario"]) in page
            assert shown == (raw["domain"] == domain.number), (domain.number, raw["scenario"])
        for pair in (p for p in resolved[0] if p.scenario.domain == domain.number):
            first = pair.sources[0]
            assert f"../notes/{first.note.slug}.md#{first.section.anchor}" in page


# --- unsupported and malformed pairs -------------------------------------------------------------

def test_unsupported_pair_is_left_off_and_reported_with_file_and_line(tmp_path: Path) -> None:
    site, problems = problems_of(tmp_path, """
        scenarios:
          - domain: 1
            scenario: Convert streaming JSON to Parquet
            answer: Amazon Kinesis Data Firehose
            evidence: [streaming JSON data, Apache Parquet]

          - domain: 3
            scenario: Predict the weather on Mars
            answer: Amazon Crystal Ball
            evidence: [crystal ball, weather on Mars]
        """)
    assert len(problems) == 1
    problem = problems[0]
    assert problem.file == str(tmp_path / "scenarios.yml") and problem.line == 7, problem
    assert problem.level == "error"
    assert "Predict the weather on Mars" in problem.message and "'crystal ball'" in problem.message
    assert str(problem).startswith(f"{tmp_path / 'scenarios.yml'}:7: ")
    pages = cheatsheet_pages(site, site.index, pdf=False)
    assert not any("Mars" in text for text in pages.values())
    assert "Convert streaming JSON to Parquet" in pages["cheatsheets/data-engineering.md"]


def test_phrases_from_different_sections_do_not_support_a_pair(tmp_path: Path) -> None:
    _, problems = problems_of(tmp_path, """
        scenarios:
          - domain: 3
            scenario: Mixed-up evidence
            answer: Nothing
            evidence: [Object2Vec, Amazon Transcribe]
        """)
    assert [p.line for p in problems] == [2]
    assert "no single note section contains them all" in problems[0].message


@pytest.mark.parametrize("entry, line, message", [
    ("  - {domain: 9, scenario: S, answer: A, evidence: x}", 2, "'domain' must be one of 1, 2, 3, 4"),
    ("  - {domain: 1, scenario: S, evidence: Amazon S3}", 2, "'answer' is required"),
    ("  - {domain: 1, scenario: S, answer: A}", 2, "'evidence' is required"),
    ("  - {domain: 1, scenario: S, answer: A, evidence: Amazon S3, evidance: typo}", 2, "unknown field 'evidance'"),
    ("  - {domain: 1, answer: A, evidence: Amazon S3}", 2, "'scenario' is required"),
    ("  - just text", 2, "must be a mapping"),
    ("  - {domain: 1, scenario: S, answer: A, evidence: [Amazon S3]\n", 4, "not valid YAML"),  # where the parser stops
])
def test_malformed_entry_is_reported_with_its_line(tmp_path: Path, entry: str, line: int, message: str) -> None:
    _, problems = problems_of(tmp_path, "scenarios:\n" + entry + "\n")
    assert len(problems) == 1, problems
    assert problems[0].line == line and message in problems[0].message, problems[0]


def test_duplicate_scenario_names_the_first_line(tmp_path: Path) -> None:
    _, problems = problems_of(tmp_path, """
        scenarios:
          - {domain: 1, scenario: Cheap  storage, answer: A, evidence: lifecycle policies}
          - {domain: Data Engineering, scenario: cheap storage, answer: B, evidence: lifecycle policies}
        """)
    assert [(p.line, "already listed for domain 1 at line 2" in p.message) for p in problems] == [(3, True)]


def test_seed_build_reports_scenarios_file_relative_to_the_project(site, tmp_path: Path) -> None:
    path = ROOT / "seeds" / "scenarios.yml"
    assert scenarios_path(SEED_NOTES) == path
    assert shown_path(path, ROOT.resolve()) == "seeds/scenarios.yml"
    bad = Scenario(1, "x", "y", ("nowhere to be found",), 12)
    problem = check.unsupported_scenario(bad, section_texts(site.notes), "seeds/scenarios.yml")
    assert str(problem).startswith("seeds/scenarios.yml:12: scenario 'x' is not supported")


def test_no_scenarios_file_means_no_pairs_and_no_problems(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    shutil.copytree(SEED_NOTES, notes)
    site = build_site(ROOT, notes_dir=notes)
    assert site.index.scenarios == [] and site.index.unsupported_scenarios == [] and scenario_problems(site) == []
    assert "No scenario" in render_cheatsheet(site, site.index, site.exam.domains[0], pdf=False)


def test_scenario_text_is_data_not_markup(tmp_path: Path) -> None:
    site, problems = problems_of(tmp_path, """
        scenarios:
          - domain: 2
            scenario: "<script>alert(1)</script> *not emphasis* [x](javascript:y)"
            answer: "{{ macro }} <b>bold</b>"
            evidence: one-hot encoding
        """)
    assert problems == []
    page = render_cheatsheet(site, site.index, site.exam.domains[1], pdf=False)
    assert "<script>" not in page and "<b>" not in page
    assert "&lt;script&gt;" in page and r"\*not emphasis\*" in page and r"\[x\](javascript" in page
    assert r"\{\{ macro \}\}" in page and "render_macros: false" in page


# --- evidence matching ---------------------------------------------------------------------------

@pytest.mark.parametrize("evidence, text", [
    ("Kinesis Firehose", "using Amazon   KINESIS\nfirehose"),
    ("SageMaker’s capabilities", "SageMaker's capabilities"),
    ("SageMaker's capabilities", "SageMaker’s capabilities"),
    ("low-overhead", "low–overhead"),
    ("Amazon SageMaker Python SDK", "the **Amazon SageMaker** Python SDK"),
    ("scale_pos_weight", r"scale\_pos\_weight"),
])
def test_evidence_ignores_case_whitespace_typography_and_emphasis(evidence: str, text: str) -> None:
    assert normalize_text(evidence) in normalize_text(text)


# --- concepts ------------------------------------------------------------------------------------

@pytest.mark.parametrize("concept, text, found", [
    ("one-hot encoding", "use one hot encoding here", True),
    ("one-hot encoding", "One-Hot Encoding", True),
    ("outliers", "an outlier", False),
    ("drift", "drifting patterns", True),
    ("scaling", "auto-scaling endpoints", False),
    ("ROC", "ROC curves", True),
    ("ROC", "crocodile", False),
    ("A/B testing", "A/B testing and multi-variant testing", True),
    ("t-Distributed Stochastic Neighbor Embedding", "t-Distributed Stochastic Neighbor Embedding uncovers", True),
])
def test_concept_pattern(concept: str, text: str, found: bool) -> None:
    assert bool(concept_pattern(concept).search(normalize_text(text))) is found


def test_concepts_trace_to_a_section_of_their_domain_that_names_them(site) -> None:
    for domain in site.exam.domains:
        hits = find_concepts(domain, site.index.domain_sections[domain.number])
        assert hits, domain.name
        page = render_cheatsheet(site, site.index, domain, pdf=False)
        for hit in hits:
            assert hit.concept in domain.concepts
            for source in hit.sources:
                assert source.section in source.note.sections
                assert domain.number in source.section.domains
                assert concept_pattern(hit.concept).search(normalize_text(source.section.body + " " + source.section.title))
            first = hit.sources[0]
            assert f"[{md_text(hit.concept)}](../notes/{first.note.slug}.md#{first.section.anchor}" in page
        for concept in set(domain.concepts) - {h.concept for h in hits}:
            assert f"[{md_text(concept)}](" not in page, concept


def test_eda_sheet_names_the_techniques_the_notes_teach(site) -> None:
    eda = site.exam.domain(2)
    names = {h.concept for h in find_concepts(eda, site.index.domain_sections[eda.number])}
    assert {"imputation", "one-hot encoding", "binning", "scaling", "Principal Component Analysis",
            "t-Distributed Stochastic Neighbor Embedding", "oversampling"} <= names


# --- services ------------------------------------------------------------------------------------

def test_every_service_on_a_sheet_is_in_the_catalog(site, resolved) -> None:
    keys = {s.key for s in site.catalog.services}
    for domain in site.exam.domains:
        services = sheet_services(site, site.index, domain, resolved[0])
        assert 0 < len(services) <= MAX_SERVICES
        page = render_cheatsheet(site, site.index, domain, pdf=False)
        linked = re.findall(r"\]\(\.\./glossary\.md#([\w-]+)", page)
        assert linked and set(linked) <= keys, domain.name
        for item in services:
            assert item.service.key in keys
            assert item.anywhere or item.answers, item.service.name  # the notes mention it
            assert f"(../glossary.md#{item.service.key})" in page


def test_services_most_mentioned_in_the_domain_come_first(site) -> None:
    services = sheet_services(site, site.index, site.exam.domain(1))
    assert services[0].service.name == "Amazon S3"
    ranks = [s.mentions + s.answers for s in services]
    assert ranks == sorted(ranks, reverse=True)


@pytest.mark.parametrize("summary, expected", [
    ("Object storage. Expect questions on classes.", "Object storage."),
    ("Virtual servers; for ML know the families.", "Virtual servers"),
    ("word " * 60, ("word " * 60)[:ONE_LINE_CHARS].rsplit(" ", 1)[0] + "…"),
])
def test_one_line_purpose(summary: str, expected: str) -> None:
    assert one_line(summary) == expected


# --- pages, links and navigation -----------------------------------------------------------------

def test_pages_titles_and_front_matter(site) -> None:
    pages = cheatsheet_pages(site, site.index, pdf=False)
    wanted = {"cheatsheets/index.md", "cheatsheets/all.md"} | {f"cheatsheets/{d.slug}.md" for d in site.exam.domains}
    assert set(pages) == wanted
    for domain in site.exam.domains:
        front = yaml.safe_load(pages[f"cheatsheets/{domain.slug}.md"].split("---\n")[1])
        assert front["title"] == f"Cheat-sheet: {domain.name}"
        assert front["studyguide"] == {"kind": "cheatsheet", "domain": domain.number}
        assert front["render_macros"] is False
    nav = navigation(site, ROOT / "docs")
    section = next(item["Cheat-sheets"] for item in nav if "Cheat-sheets" in item)
    flat = [entry if isinstance(entry, str) else next(iter(entry.values())) for entry in section]
    assert set(flat) == wanted


def test_pdf_links_only_when_the_build_makes_pdfs(site) -> None:
    domain = site.exam.domain(3)
    without = render_cheatsheet(site, site.index, domain, pdf=False)
    assert ".pdf" not in without and "PDF copies are not part of this build" in without
    with_pdf = render_cheatsheet(site, site.index, domain, pdf=True)
    assert 'href="../pdf/modeling.pdf"' in with_pdf and 'href="../pdf/all-domains.pdf"' in with_pdf
    assert paths.pdf_targets(site.exam.domains)[-1] == ("cheatsheets/all/", "all-domains.pdf")
    assert [Settings.from_env({"STUDYGUIDE_PDF": v}, root=ROOT).pdf for v in ("1", "true", "", "0")] == [True, True, False, False]


def test_suggestions_skip_sentences_a_pair_already_cites(site, resolved) -> None:
    everything = suggest_scenarios(site, [])
    assert any("optimal solution" in s.sentence for s in everything)
    left = suggest_scenarios(site, resolved[0])
    assert not any("optimal solution in such a case" in s.sentence for s in left)
    assert len(left) < len(everything)
    assert all(s.file.startswith("seeds/notes/") and s.line > 0 for s in left)


# --- the seed build (shared strict build) --------------------------------------------------------

def test_sheet_pages_are_built_and_linked(seed_build: Build) -> None:
    home = content(seed_build.html("index.html"))
    for domain in DOMAINS:
        slug = re.sub(r"[^a-z0-9]+", "-", domain["name"].lower()).strip("-")
        html = seed_build.html(f"cheatsheets/{slug}/")
        assert f"Cheat-sheet: {domain['name']}" in content_text(html)
        assert 'class="md-button sg-print"' in html and "sg-cheatsheet" in html
        assert any(h.rstrip("/").endswith(f"cheatsheets/{slug}") for h in home.hrefs), slug
        domain_page = content(seed_build.html(f"domains/{slug}/"))
        assert f"../../cheatsheets/{slug}/" in domain_page.hrefs
    assert (seed_build.site / "cheatsheets" / "all" / "index.html").is_file()
    assert not (seed_build.site / "cheatsheets" / "pdf").exists()  # PDFs are opt-in


def test_pdf_paper_size_setting() -> None:
    assert [pdf_format(v) for v in ("", "a4", "LETTER")] == ["A4", "A4", "Letter"]
    with pytest.raises(SettingsError, match="STUDYGUIDE_PDF_FORMAT='A3': use one of A4, Letter"):
        Settings.from_env({"STUDYGUIDE_PDF_FORMAT": "A3"}, root=ROOT)
