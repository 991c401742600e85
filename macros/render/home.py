"""Markdown the home page's macros insert (and other pages reuse): exam facts, the domain table, a note
table, the cheat-sheet links."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from ..model import Exam, Note, Site, note_order
from ..paths import CHEATSHEET_ALL, HOME_PAGE, NOTES_INDEX, cheatsheet_page, domain_page
from .markdown import md_text, relative_url


def iso_date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def domain_table(exam: Exam, page: str) -> str:
    """Markdown table of domains with weights and links, for any page."""
    lines = ["| Domain | Weight | Task statements |", "| --- | ---: | ---: |"]
    for domain in exam.domains:
        lines.append(f"| [{md_text(domain.title)}]({relative_url(page, domain_page(domain))}) "
                     f"| {domain.weight} % | {len(domain.tasks)} |")
    return "\n".join(lines)


HOME_NOTES = 30  # past this many notes, the home page lists the latest ones and links the Notes page for all


def note_table(notes: Iterable[Note], page: str, titles: Mapping[str, str] | None = None,
               latest_first: bool = False) -> str:
    """Markdown table of notes: title (``titles``: slug → title as listed, told apart from similar ones), date
    (as the note gives it), tags; by title, or ``latest_first`` as given, dated as they are ordered (the file's
    last change where the note gives no date). A note's source format is a contributor's detail: the Build
    report and the note's edit link have it."""
    titles = titles or {}
    lines = ["| Note | Date | Tags |", "| --- | --- | --- |"]
    for note in notes if latest_first else sorted(notes, key=note_order):
        date = iso_date(_latest(note) if latest_first else note.updated or note.created)
        tags = ", ".join(md_text(t) for t in note.tags)
        title = titles.get(note.slug, note.title)
        lines.append(f"| [{md_text(title)}]({relative_url(page, note.page_path)}) | {date} | {tags} |")
    return "\n".join(lines)


def home_notes(notes: list[Note], page: str, titles: Mapping[str, str] | None = None) -> str:
    """The home page's notes: every one up to ``HOME_NOTES``; past that, the most recently updated ones and a
    link to the Notes page, which lists them all by exam domain (a home page of 3,000 rows helped no reader and
    was converted again on every save under ``make serve``)."""
    if len(notes) <= HOME_NOTES:
        return note_table(notes, page, titles)
    by_title = sorted(notes, key=note_order)  # ties in date: by title
    latest = sorted(by_title, key=lambda n: _latest(n) or dt.date.min, reverse=True)
    return (f"The {HOME_NOTES} most recently updated of {len(notes):,} notes; "
            f"[all of them]({relative_url(page, NOTES_INDEX)}), by exam domain, are on the Notes page.\n\n"
            + note_table(latest[:HOME_NOTES], page, titles, latest_first=True))


def _latest(note: Note) -> dt.date | None:
    """When a note was last updated: its own date, else its file's last change (the note page's byline)."""
    return note.updated or note.created or note.changed


def for_exam(text: str, exam: Exam, related: Exam | None) -> str:
    """A site text written for the related exam (mkdocs.yml's "MLS-C01 Study Guide") retold for ``exam``."""
    if related is None:
        return text
    return text.replace(related.code, exam.code).replace(related.name, exam.name)


def _exam_option(exam: Exam) -> str:
    return f"`STUDYGUIDE_EXAM={exam.code.lower()}`"


def exam_notice(exam: Exam, related: Exam | None, today: dt.date | None = None) -> list[str]:
    """The retirement notice (pointing at the successor's guide), or that this is the current exam."""
    today = today or dt.date.today()
    if exam.retired:
        verb = "was retired" if exam.retired <= today else "retires"
        out = [f'!!! warning "{md_text(exam.code)} {verb} on {exam.retired.isoformat()}"', "",
               f"    The {md_text(exam.name)} exam ({md_text(exam.code)}) {verb} on {exam.retired:%-d %B %Y}. "
               "The notes stay useful for the machine-learning knowledge they hold."]
        if related is not None and related.code == exam.successor:
            guide = f" ([exam guide]({related.exam_guide_url}))" if related.exam_guide_url else ""
            out[-1] += (f" Its successor is **{md_text(related.name)} ({md_text(related.code)})**{guide}: the same "
                        f"notes build a guide for it with {_exam_option(related)}, and each domain page here says "
                        f"which {md_text(related.code)} domains its material now serves.")
        return out + [""]
    if exam.predecessor:
        replaced = (f" ({md_text(related.name)}, retired {related.retired.isoformat()})"
                    if related is not None and related.code == exam.predecessor and related.retired else "")
        return [f'!!! success "{md_text(exam.code)} is the current exam"', "",
                f"    This guide is for the {md_text(exam.name)} exam ({md_text(exam.code)}). It replaced "
                f"{md_text(exam.predecessor)}{replaced}: notes written for it are filed under {md_text(exam.code)}'s "
                f"domains, and each domain page says which {md_text(exam.predecessor)} domains its material comes "
                f"from ({_exam_option(related) if related else 'STUDYGUIDE_EXAM'} builds the older guide).", ""]
    return []


def _fact_source(source: str, notes: Iterable[Note], page: str, titles: Mapping[str, str]) -> str:
    """Where a fact of the outline comes from, for readers: the note's title, linked (its file is a contributor's
    detail); a web page by its host, linked; another source by its file name alone."""
    note = next((n for n in notes if n.source == source), None)
    if note is not None:
        return f"[{md_text(titles.get(note.slug, note.title))}]({relative_url(page, note.page_path)})"
    if source.startswith(("https://", "http://")):
        host = source.split("/")[2]
        return f"[{md_text(host)}]({source})"
    return md_text(source.replace("\\", "/").rsplit("/", 1)[-1])


def exam_summary(exam: Exam, today: dt.date | None = None, related: Exam | None = None, notes: Iterable[Note] = (),
                 page: str = HOME_PAGE, titles: Mapping[str, str] | None = None) -> str:
    """The exam facts, with conflicting sources shown side by side (each named by its note), and the retirement
    (or current exam) notice."""
    notes = list(notes)
    out = exam_notice(exam, related, today)
    durations = "; ".join(f"{md_text(d.value)} (according to {_fact_source(d.source, notes, page, titles or {})})"
                          for d in exam.durations)
    out += ["| Fact | Value |", "| --- | --- |",
            f"| Exam | {md_text(exam.name)} ({md_text(exam.code)}) |",
            f"| Questions | {exam.questions} ({', '.join(md_text(t) for t in exam.question_types)}) |",
            f"| Score | scale {md_text(exam.score_scale)}, {exam.passing_score} to pass |"]
    if exam.durations:
        agree = len({d.value for d in exam.durations}) == 1
        out.append(f"| Time | {durations}{'' if agree else ' — the sources disagree'} |")
    if exam.exam_guide_url:
        kind = "PDF" if exam.exam_guide_url.lower().endswith(".pdf") else "page"
        out.append(f"| Exam guide | [official {kind}]({exam.exam_guide_url}) |")
    return "\n".join(out)


def cheatsheet_links(site: Site, page: str) -> str:
    """One line of Markdown linking every sheet, for the home page."""
    links = [f"[{md_text(d.name)}]({relative_url(page, cheatsheet_page(d))})" for d in site.exam.domains]
    return ("**Printable cheat-sheets**, one per domain: " + " · ".join(links)
            + f" · [all on one page]({relative_url(page, CHEATSHEET_ALL)})")
