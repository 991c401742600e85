"""Markdown the home page's macros insert (and other pages reuse): exam facts, the domain table, a note
table, the cheat-sheet links."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ..model import Exam, Note, Site, note_order
from ..paths import CHEATSHEET_ALL, cheatsheet_page, domain_page
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


def note_table(notes: Iterable[Note], page: str) -> str:
    """Markdown table of notes: title, format, date, tags."""
    lines = ["| Note | Format | Date | Tags |", "| --- | --- | --- | --- |"]
    for note in sorted(notes, key=note_order):
        date = iso_date(note.updated or note.created)
        tags = ", ".join(md_text(t) for t in note.tags)
        lines.append(f"| [{md_text(note.title)}]({relative_url(page, note.page_path)}) | {note.dialect} | {date} | {tags} |")
    return "\n".join(lines)


def exam_summary(exam: Exam, today: dt.date | None = None) -> str:
    """The exam facts, with conflicting sources shown side by side and the retirement notice."""
    today = today or dt.date.today()
    out = []
    if exam.retired:
        verb = "was retired" if exam.retired <= today else "retires"
        out += [f'!!! warning "{md_text(exam.code)} {verb} on {exam.retired.isoformat()}"', "",
                f"    The {md_text(exam.name)} exam ({md_text(exam.code)}) {verb} on {exam.retired:%-d %B %Y}. "
                "The notes stay useful for the machine-learning knowledge they hold; the outline is data "
                "(`seeds/exams/mls-c01.yml`), so a guide for another exam can follow.", ""]
    durations = "; ".join(f"{md_text(d.value)} (according to `{d.source}`)" for d in exam.durations)
    out += ["| Fact | Value |", "| --- | --- |",
            f"| Exam | {md_text(exam.name)} ({md_text(exam.code)}) |",
            f"| Questions | {exam.questions} ({', '.join(md_text(t) for t in exam.question_types)}) |",
            f"| Score | scale {md_text(exam.score_scale)}, {exam.passing_score} to pass |"]
    if exam.durations:
        agree = len({d.value for d in exam.durations}) == 1
        out.append(f"| Time | {durations}{'' if agree else ' — the sources disagree'} |")
    if exam.exam_guide_url:
        out.append(f"| Exam guide | [official PDF]({exam.exam_guide_url}) |")
    return "\n".join(out)


def cheatsheet_links(site: Site, page: str) -> str:
    """One line of Markdown linking every sheet, for the home page."""
    links = [f"[{md_text(d.name)}]({relative_url(page, cheatsheet_page(d))})" for d in site.exam.domains]
    return ("**Printable cheat-sheets**, one per domain: " + " · ".join(links)
            + f" · [all on one page]({relative_url(page, CHEATSHEET_ALL)})")
