"""Settings are read once, with one meaning of true; one ``mkdocs build`` (or serve) builds the site once,
and the macros of authored pages use the very site the hooks built."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT, SEED_NOTES
from macros import pipeline
from macros.settings import (BUILD_TIME_ENV, CHECK_EXTERNAL_ENV, DRAFTS_ENV, NOTES_ENV, PDF_ENV, PDF_FORMAT_ENV,
                             Settings, SettingsError)


@pytest.mark.parametrize("value, expected", [
    ("1", True), ("true", True), ("TRUE", True), ("yes", True), ("On", True), (" on ", True),
    ("0", False), ("false", False), ("No", False), ("off", False),
])
@pytest.mark.parametrize("name, field", [(CHECK_EXTERNAL_ENV, "check_external"), (PDF_ENV, "pdf"), (DRAFTS_ENV, "drafts")])
def test_one_meaning_of_true(name: str, field: str, value: str, expected: bool) -> None:
    assert getattr(Settings.from_env({name: value}, root=ROOT), field) is expected


@pytest.mark.parametrize("name", [CHECK_EXTERNAL_ENV, PDF_ENV, DRAFTS_ENV])
@pytest.mark.parametrize("value", ["maybe", "2", "ja", "y"])
def test_an_unrecognised_value_is_an_error_naming_the_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=f"^{name}='{value}': use 1/true/yes/on or 0/false/no/off"):
        Settings.from_env({name: value}, root=ROOT)


@pytest.mark.parametrize("environ, serving, drafts", [
    ({}, False, False), ({}, True, True), ({DRAFTS_ENV: ""}, True, True),
    ({DRAFTS_ENV: "0"}, True, False), ({DRAFTS_ENV: "1"}, False, True),
])
def test_drafts_default_to_serve(environ: dict[str, str], serving: bool, drafts: bool) -> None:
    assert Settings.from_env(environ, root=ROOT, serving=serving).drafts is drafts


def test_values_from_the_environment_and_mkdocs_yml(tmp_path: Path) -> None:
    settings = Settings.from_env({NOTES_ENV: str(tmp_path), PDF_FORMAT_ENV: "letter"},
                                 {"site_url": "https://example.org/guide/", "repo_url": "https://git.example/x",
                                  "edit_uri": "edit/main/"}, root=ROOT)
    assert settings.notes_dir == tmp_path.resolve() and settings.pdf_format == "Letter"
    assert (settings.site_url, settings.repo_url, settings.edit_uri) == (
        "https://example.org/guide/", "https://git.example/x", "edit/main/")
    assert Settings.from_env({}, root=ROOT).notes_dir == ROOT / "seeds" / "notes"


@pytest.mark.parametrize("command, drafts", [("build", False), ("serve", True)])
def test_one_mkdocs_build_builds_the_site_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str,
                                               drafts: bool) -> None:
    """In-process ``mkdocs build`` (``serve`` runs the same build after on_startup): the hooks build the site
    once and every macro of the authored pages uses that very site, drafts setting included."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    notes = tmp_path / "notes"  # a folder no earlier build used: the pipeline's memo cannot answer
    shutil.copytree(SEED_NOTES, notes)
    monkeypatch.setenv(NOTES_ENV, str(notes))
    monkeypatch.delenv(DRAFTS_ENV, raising=False)
    built: list[Settings] = []
    real_build = pipeline._build_site
    monkeypatch.setattr(pipeline, "_build_site", lambda settings: built.append(settings) or real_build(settings))
    handed: list[object] = []
    real_built_site = pipeline.built_site
    monkeypatch.setattr(pipeline, "built_site", lambda root: handed.append(real_built_site(root)) or handed[-1])
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command=command, dirty=False)
    build(config)
    assert len(built) == 1, built
    assert built[0].drafts is drafts and built[0].notes_dir == notes.resolve()
    assert handed and all(site is real_built_site(ROOT) for site in handed)  # the macros used the hooks' site
    assert (tmp_path / "site" / "index.html").is_file()


@pytest.mark.parametrize("value, expected", [("", None), ("  ", None), ("0", 0), ("1764547200", 1764547200),
                                             (" 1764547200 ", 1764547200)])
def test_source_date_epoch_is_the_build_time(value: str, expected: int | None) -> None:
    assert Settings.from_env({BUILD_TIME_ENV: value}, root=ROOT).build_time == expected


@pytest.mark.parametrize("value", ["yesterday", "-5", "1.5", "1e9", "99999999999999"])
def test_a_source_date_epoch_that_is_no_time_is_an_error_naming_it(value: str) -> None:
    with pytest.raises(SettingsError, match=f"^{BUILD_TIME_ENV}="):
        Settings.from_env({BUILD_TIME_ENV: value}, root=ROOT)
