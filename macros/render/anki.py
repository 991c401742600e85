"""The flashcards as an Anki package (``.apkg``, written by genanki): one deck per exam domain in one package.

Ids are derived from stable keys, never random: the decks' and the model's ids from the exam code and domain,
each note's GUID from its card's key. Importing a rebuilt package updates the cards a reader already has instead
of adding copies. Anki renders fields as HTML: every text from the notes and catalog is escaped here.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import tempfile
import zipfile
from pathlib import Path

from ..enrich import SiteIndex
from ..model import Exam
from ..paths import page_url
from .flashcards import Flashcard

MODEL_NAME = "Study guide card"
_ANKI_ID_RANGE = (1 << 30, 1 << 31)  # genanki's advice: ids in this range, fixed for the life of a deck


def stable_id(key: str) -> int:
    """A deck or model id from a stable key: the same key gives the same id in every build."""
    low, high = _ANKI_ID_RANGE
    return low + int.from_bytes(hashlib.sha1(key.encode("utf-8")).digest()[:8], "big") % (high - low)


def source_url(card: Flashcard, site_url: str) -> str:
    """Where the card's note section is: absolute with ``site_url``, else the site-relative path."""
    path = page_url(card.source.note.page_path) + f"#{card.source.section.anchor}"
    return site_url.rstrip("/") + "/" + path if site_url else path


def anki_package(exam: Exam, index: SiteIndex, cards: list[Flashcard], site_url: str = "",
                 build_time: int | None = None) -> bytes:
    """The ``.apkg`` bytes of every card, one deck per domain (named "<exam> › Domain N: name").

    ``build_time`` (``SOURCE_DATE_EPOCH``): the time the package records, for its notes (Anki updates an imported
    note when the package's is newer) and for its zip entries: the same cards give the same bytes. Without
    it, the time of the build."""
    import genanki  # only builds that publish the deck pay for the import

    model = genanki.Model(
        stable_id(f"{exam.code}/model"), MODEL_NAME,
        fields=[{"name": "Question"}, {"name": "Answer"}, {"name": "Source"}],
        templates=[{"name": "Card", "qfmt": "{{Question}}",
                    "afmt": '{{FrontSide}}<hr id="answer">{{Answer}}<p class="source">{{Source}}</p>'}],
        css=".card { font-family: sans-serif; font-size: 18px; text-align: left; } .source { font-size: 14px; }")
    decks = {domain.number: genanki.Deck(stable_id(f"{exam.code}/deck/{domain.number}"),
                                         f"{exam.code} › {domain.title}", description=domain.name)
             for domain in exam.domains}
    for card in cards:
        url = source_url(card, site_url)
        source = f'From <a href="{html.escape(url)}">{html.escape(card.source_title(index))}</a>'
        note = genanki.Note(model=model, fields=[html.escape(card.question), html.escape(card.answer), source],
                            guid=genanki.guid_for(card.key), tags=[f"domain-{card.domain}", card.kind])
        decks[card.domain].add_note(note)
    package = genanki.Package([deck for deck in decks.values()])
    with tempfile.TemporaryDirectory() as folder:  # genanki writes a file (its SQLite collection needs one)
        target = Path(folder) / "deck.apkg"
        package.write_to_file(str(target), timestamp=build_time)
        data = target.read_bytes()
    return data if build_time is None else _zip_entries_dated(data, build_time)


def _zip_entries_dated(data: bytes, when: int) -> bytes:
    """The zip ``data`` with every entry dated ``when`` (genanki dates the collection by its temporary file)."""
    stamp = dt.datetime.fromtimestamp(max(when, 315532800), dt.timezone.utc).timetuple()[:6]  # zip: from 1980
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            dated = zipfile.ZipInfo(entry.filename, date_time=stamp)
            dated.compress_type, dated.external_attr = entry.compress_type, entry.external_attr
            target.writestr(dated, source.read(entry))
    return out.getvalue()
