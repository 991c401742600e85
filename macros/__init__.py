"""mkdocs-macros adapter: the macros authored pages (``docs/*.md``) may call.

mkdocs-macros imports this package as ``macros`` (``module_name: macros``). Only
``define_env`` lives here; the work is done by the pipeline and render modules.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any


def define_env(env: Any) -> None:
    """Declare the macros: exam facts, domain table and note list for the home page."""
    import os

    from . import pipeline, render
    from .guidefile import read_settings

    root = Path(env.conf.config_file_path).resolve().parent

    built: list = []  # define_env runs once per build: the site is looked up once, not once per macro call

    def site():
        # The very site the MkDocs hooks built for this build (their on_config runs before any page's macros);
        # built here, from the same environment, only if the hooks are not in use.
        if not built:
            built.append(pipeline.built_site(root) or pipeline.site_for(read_settings(os.environ, env.conf, root=root)))
        return built[0]

    def page_path() -> str:
        return env.page.file.src_uri if env.page else "index.md"

    @env.macro
    def exam_summary() -> str:
        """The exam's facts, its retirement, and the sources' disagreements."""
        return render.exam_summary(site().exam, related=site().related_exam, notes=site().notes, page=page_path(),
                                   titles=site().index.listed_titles)

    @env.macro
    def exam_code() -> str:
        """The code of the exam the guide is for ("MLS-C01"), from its outline."""
        return site().exam.code

    @env.macro
    def exam_name() -> str:
        return site().exam.name

    @env.macro
    def coverage_summary() -> str:
        """Per domain: weight, task statements the notes cover, notes; linking the Coverage page."""
        return render.coverage_summary(site(), page_path())

    @env.macro
    def domain_table() -> str:
        """The domains with their weights, linked to their pages."""
        return render.domain_table(site().exam, page_path())

    @env.macro
    def note_table() -> str:
        """Every published note, linked (past 30, the most recently updated, and a link to the Notes page)."""
        return render.home_notes([n for n in site().notes if not n.draft], page_path(), site().index.listed_titles)

    @env.macro
    def note_count() -> int:
        return len([n for n in site().notes if not n.draft])

    @env.macro
    def cheatsheet_links() -> str:
        """One line linking the printable cheat-sheet of every domain."""
        return render.cheatsheet_links(site(), page_path())

    @env.macro
    def study_progress() -> str:
        """Per-domain progress bars, filled in the reader's browser from their ticks (javascripts/study.js)."""
        return render.study_progress(site(), render.flashcards(site(), site().index), page_path())

    @env.macro
    def flashcard_links() -> str:
        """Links to the Flashcards page and the Anki deck."""
        return render.flashcard_links(site(), page_path())

    @env.macro
    def include_markdown(name: str) -> str:
        """A Markdown file of the repository, e.g. CONTRIBUTING.md: one text for GitHub and the site.

        Inserted as Markdown, not rendered as a template; only files inside the project are read.
        """
        path = (root / name).resolve()
        if root not in path.parents:
            raise ValueError(f"include_markdown: {name} is outside the project")
        return path.read_text("utf-8")
