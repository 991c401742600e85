"""sanitize_html on single fragments: theme-owned ids and data-md-* attributes go, what the Markdown extensions
write stays, and text nh3 cannot encode never crashes the build."""
from __future__ import annotations

import re

import pytest

from macros.sanitize import sanitize_html


@pytest.mark.parametrize("fragment, gone", [
    ('<h2 id="__search">x</h2>', 'id="__search"'),
    ('<div id="__drawer">x</div>', 'id="__drawer"'),
    ('<p id="__toc">x</p>', 'id="__toc"'),
    ('<p id="__palette_0">x</p>', 'id="__palette_0"'),
    ('<a name="__consent">x</a>', 'name="__consent"'),
    ('<p data-md-component="search-query">x</p>', "data-md-component"),
    ('<p data-md-state="lock">x</p>', "data-md-state"),
    ('<p data-md-color-scheme="slate">x</p>', "data-md-color-scheme"),
])
def test_theme_owned_attributes_are_removed(fragment: str, gone: str) -> None:
    cleaned = sanitize_html(fragment)
    assert gone not in cleaned and ">x<" in cleaned


@pytest.mark.parametrize("fragment, kept", [
    ('<a id="__codelineno-0-1" name="__codelineno-0-1" href="#__codelineno-0-1"></a>', 'id="__codelineno-0-1"'),
    ('<span id="__span-0-1">x</span>', 'id="__span-0-1"'),
    ('<pre id="__code_0"><code>x</code></pre>', 'id="__code_0"'),
    ('<pre class="mermaid"><code>graph TD</code></pre>', '<pre class="mermaid">'),
    ('<p id="section-2" data-sg-kind="x">x</p>', 'id="section-2"'),
    ('<abbr title="a &lt;b&gt;">x</abbr>', 'title="a &lt;b&gt;"'),
])
def test_what_the_extensions_write_is_kept(fragment: str, kept: str) -> None:
    assert kept in sanitize_html(fragment)


@pytest.mark.parametrize("text", ["lone \ud800 high", "lone \udfff low", "\udcff from a file name"])
def test_surrogates_are_shown_as_replacement_characters(text: str) -> None:
    cleaned = sanitize_html(f"<p>{text}</p>")
    assert "\ufffd" in cleaned and cleaned.encode("utf-8")


@pytest.mark.parametrize("src_uri, named", [
    ("notes/x.md", "seeds/notes/x.md"),  # a note's page: its source file
    ("glossary.md", "glossary.md"),  # another page: its docs path
])
def test_a_page_that_cannot_be_sanitized_is_named(monkeypatch: pytest.MonkeyPatch, src_uri: str, named: str) -> None:
    from types import SimpleNamespace

    from mkdocs.exceptions import PluginError

    from macros import hooks

    def failing(html: str) -> str:
        raise ValueError("nh3 failed")

    monkeypatch.setattr(hooks, "sanitize_html", failing)
    note = SimpleNamespace(page_path="notes/x.md", source="seeds/notes/x.md")
    monkeypatch.setitem(hooks._state, "site", SimpleNamespace(notes=[note]))
    page = SimpleNamespace(file=SimpleNamespace(src_uri=src_uri))
    with pytest.raises(PluginError, match=rf"^{re.escape(named)}: its page's HTML cannot be sanitized: nh3 failed"):
        hooks.on_page_content("<p>x</p>", page, None, None)
