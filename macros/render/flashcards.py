"""Flashcards: every supported scenario → answer pair and each domain's key concepts, as questions whose answer
stays hidden until the reader reveals it, on the Flashcards page (filterable by domain, ticked by the reader in
the browser: ``docs/javascripts/study.js``) and in an Anki package (``render.anki``).

A card's ``key`` is built from stable facts (exam, kind, domain, question), never from its position: the reader's
ticks and the Anki note GUIDs survive a rebuild and a reordering of the notes.
"""
from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass

from ..enrich import SiteIndex, Source, concept_pattern
from ..model import Domain, Site
from ..paths import FLASHCARDS_PAGE, anki_package, domain_page
from ..scenarios import normalize_text
from .markdown import NOT_SEARCHED, md_text, page_front_matter, relative_url


@dataclass(frozen=True)
class Flashcard:
    key: str  # stable: exam code, kind, domain and question
    domain: int
    kind: str  # "scenario" or "concept"
    question: str  # plain text
    answer: str  # plain text
    source: Source  # the note section that explains the answer

    @property
    def card_id(self) -> str:
        """A short stable id for the page and the reader's ticks (``data-card``)."""
        return hashlib.sha1(self.key.encode("utf-8")).hexdigest()[:12]

    def source_title(self, index: SiteIndex) -> str:
        """The note (as ``index`` lists it) and section the answer comes from."""
        note, section = self.source.note, self.source.section
        return f"{index.title_of(note)} › {section.title}" if section.level > 1 else index.title_of(note)


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_WIKILINK = re.compile(r"\[\[(?:[^\]|]*\|)?([^\]]*)\]\]")
_LINE_MARK = re.compile(r"^\s*(?:[-*+]\s+(?:\[[ xX]\]\s+)?|\d+[.)]\s+|>\s*|#+\s+)")
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+|$)")
MAX_ANSWER_CHARS = 320


def _plain(markdown: str) -> str:
    """Markdown of a note line as plain text: links by their label, emphasis and code marks dropped."""
    text = _WIKILINK.sub(r"\1", _MD_LINK.sub(r"\1", _LINE_MARK.sub("", markdown)))
    return " ".join(text.replace("**", "").replace("`", "").replace("<", " ").split())


def explaining_sentence(concept: str, source: Source) -> str:
    """The first sentence of the section that names ``concept``, as plain text (the card's answer)."""
    pattern = concept_pattern(concept)
    for line in source.section.body.split("\n"):
        for match in _SENTENCE.finditer(_plain(line)):
            sentence = match.group(0).strip()
            if pattern.search(normalize_text(sentence)):
                return sentence if len(sentence) <= MAX_ANSWER_CHARS else sentence[:MAX_ANSWER_CHARS].rsplit(" ", 1)[0] + "…"
    return f"See {source.section.title}."


def flashcards(site: Site, index: SiteIndex) -> list[Flashcard]:
    """Every card: the domain's supported pairs, then its concepts, domain by domain."""
    code = site.exam.code
    cards = []
    for domain in site.exam.domains:
        for pair in index.scenarios:
            scenario = pair.scenario
            if scenario.domain == domain.number:
                cards.append(Flashcard(f"{code}/scenario/{domain.number}/{normalize_text(scenario.scenario)}",
                                       domain.number, "scenario", scenario.scenario, scenario.answer, pair.sources[0]))
        for hit in index.concepts[domain.number]:
            source = hit.sources[0]
            cards.append(Flashcard(f"{code}/concept/{domain.number}/{normalize_text(hit.concept)}", domain.number,
                                   "concept", f"{hit.concept}: explain it, and say when it matters.",
                                   explaining_sentence(hit.concept, source), source))
    return cards


def _task_list(domain: Domain) -> list[str]:
    """The domain's task statements, each a ``data-task`` element the reader can tick (study.js)."""
    items = [f'<li data-task="{html.escape(task.id)}"><strong>{html.escape(task.id)}</strong> {html.escape(task.text)}</li>'
             for task in domain.tasks]
    return ['<ul class="sg-task-list">', *items, "</ul>", ""]


def _card(card: Flashcard, page: str, index: SiteIndex) -> list[str]:
    label = "Scenario" if card.kind == "scenario" else "Concept"
    link = f"[{md_text(card.source_title(index))}]({relative_url(page, card.source.target)})"
    return [f'<div class="sg-card" data-card="{card.card_id}" data-domain="{card.domain}" markdown>', "",
            f"**{label}:** {md_text(card.question)}", "",
            '<details class="sg-answer" markdown>', "<summary>Show the answer</summary>", "",
            md_text(card.answer), "", f"From {link}", "", "</details>", "", "</div>", ""]


def render_flashcards(site: Site, index: SiteIndex, cards: list[Flashcard]) -> str:
    """The Flashcards page: per domain, its task statements to tick, then its cards."""
    page = FLASHCARDS_PAGE
    deck = relative_url(page, anki_package(site.exam.code))
    # Left out of search: every card quotes a note, which search finds itself.
    out = [page_front_matter(title="Flashcards", studyguide={"kind": "flashcards"}, search=NOT_SEARCHED),
           "# Flashcards", "",
           f"{len(cards)} questions to test yourself: each exam domain's scenarios and key concepts. Think of the "
           "answer, then reveal it; tick what you know. Your ticks stay in this browser (nothing is sent "
           "anywhere) and fill the progress bars on the home page.", "",
           f"[Download the Anki deck]({deck}){{ .md-button }} one deck per domain; importing it again updates "
           "the cards instead of adding copies.", "",
           '<div class="sg-flashcards" markdown>', ""]
    for domain in site.exam.domains:
        of_domain = [card for card in cards if card.domain == domain.number]
        out += [f'<section class="sg-deck" data-domain="{domain.number}" markdown>', "",
                f"## {md_text(domain.title)}", "",
                f"[Domain page]({relative_url(page, domain_page(domain))}) · {len(of_domain)} "
                f"card{'s' if len(of_domain) != 1 else ''}", "", "**Task statements**", ""]
        out += _task_list(domain)
        for card in of_domain:
            out += _card(card, page, index)
        out += ["</section>", ""]
    out += ["</div>", ""]
    return "\n".join(out)


def study_progress(site: Site, cards: list[Flashcard], page: str) -> str:
    """The home page's progress bars: one per domain, filled by study.js from the reader's ticks."""
    rows = []
    for domain in site.exam.domains:
        ids = " ".join(card.card_id for card in cards if card.domain == domain.number)
        tasks = " ".join(html.escape(task.id) for task in domain.tasks)
        rows.append(f'<div class="sg-progress-row" data-domain="{domain.number}" data-cards="{ids}" '
                    f'data-tasks="{tasks}"><span class="sg-progress-label">{html.escape(domain.title)}</span></div>')
    link = relative_url(page, FLASHCARDS_PAGE)
    return "\n".join(['<div class="sg-progress" markdown>', "",
                      f"Your progress, from the cards and task statements you ticked on the [Flashcards]({link}) "
                      "page (kept in this browser only).", "", *rows, "", "</div>"])


def flashcard_links(site: Site, page: str) -> str:
    """One line of Markdown linking the Flashcards page and the Anki deck, for the home page."""
    return (f"**Test yourself** with the [Flashcards]({relative_url(page, FLASHCARDS_PAGE)}), or in Anki: "
            f"[download the deck]({relative_url(page, anki_package(site.exam.code))}) (one deck per domain).")
