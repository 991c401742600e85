"""The decisions of macros/incremental.py: which pages a ``serve --dirty`` rebuild reads and renders again,
how the search index is merged, which outputs are stale. Plain data in, decisions out (no MkDocs)."""
from __future__ import annotations

import pytest

from macros import incremental as inc
from macros.incremental import BuildRecord, NavNode, PageRecord, PageView

SECTION_A = NavNode("A (2)", is_section=True, children=(
    NavNode("A", "a/", src_uri="a/index.md"), NavNode("One", "a/one/", src_uri="a/one.md"),
    NavNode("Two", "a/two/", src_uri="a/two.md")))
SECTION_B = NavNode("B (1)", is_section=True, children=(
    NavNode("B", "b/", src_uri="b/index.md"), NavNode("Three", "b/three/", src_uri="b/three.md")))
NAV = (NavNode("Home", "", src_uri="index.md"), SECTION_A, SECTION_B)
VIEWS = {src: PageView(src) for src in ("index.md", "a/index.md", "a/one.md", "a/two.md", "b/index.md", "b/three.md",
                                        "loose.md")}


def _renamed(nav: tuple[NavNode, ...], old: str, new: str) -> tuple[NavNode, ...]:
    def walk(node: NavNode) -> NavNode:
        return NavNode(new if node.title == old else node.title, node.url, tuple(walk(c) for c in node.children),
                       node.src_uri, node.extra, node.is_section)
    return tuple(walk(n) for n in nav)


@pytest.mark.parametrize(("old", "new", "prune", "changed"), [
    # pruned: a page inside section A shows A's children; pages elsewhere show A as one link
    ("Two", "Deux", True, {"a/index.md", "a/one.md", "a/two.md"}),
    # a section's title shows on every page (pruned or open)
    ("A (2)", "A (3)", True, set(VIEWS)),
    # without pruning every page shows the whole navigation
    ("Three", "Trois", False, set(VIEWS)),
    # a page's title in section B changes nothing in section A's pages
    ("Three", "Trois", True, {"b/index.md", "b/three.md"}),
], ids=["sibling-title", "section-title", "no-prune", "other-branch"])
def test_view_fingerprints_change_exactly_where_the_navigation_shows(old: str, new: str, prune: bool,
                                                                      changed: set[str]) -> None:
    before = inc.view_fingerprints(NAV, VIEWS, prune)
    after = inc.view_fingerprints(_renamed(NAV, old, new), VIEWS, prune)
    assert {src for src in VIEWS if before[src] != after[src]} == changed


@pytest.mark.parametrize(("view", "changes"), [
    (PageView("One", previous=("A", "a/")), True),
    (PageView("One", next=("Two", "a/two/")), True),
    (PageView("Uno"), True),
    (PageView("One"), False),
], ids=["previous", "next", "title", "same"])
def test_view_fingerprint_follows_title_and_neighbours(view: PageView, changes: bool) -> None:
    before = inc.view_fingerprints(NAV, {"a/one.md": PageView("One")}, True)
    after = inc.view_fingerprints(NAV, {"a/one.md": view}, True)
    assert (before != after) == changes


def _record(**sources: str | None) -> BuildRecord:
    return BuildRecord("inputs", {src: PageRecord(source, "view", state=("state",), url=src) for src, source in sources.items()})


@pytest.mark.parametrize(("record", "inputs", "sources", "always", "full", "read"), [
    (None, "inputs", {"a.md": "1"}, (), True, {"a.md"}),  # first build of the session
    (_record(**{"a.md": "1"}), "changed", {"a.md": "1"}, (), True, {"a.md"}),  # catalog / mkdocs.yml changed
    (_record(**{"a.md": "1", "b.md": "2"}), "inputs", {"a.md": "1", "b.md": "3"}, (), False, {"b.md"}),  # edited
    (_record(**{"a.md": "1"}), "inputs", {"a.md": "1", "new.md": "9"}, (), False, {"new.md"}),  # added
    (_record(**{"a.md": "1", "gone.md": "2"}), "inputs", {"a.md": "1"}, (), False, set()),  # deleted
    (_record(**{"a.md": None}), "inputs", {"a.md": None}, (), False, {"a.md"}),  # authored: always
    (_record(**{"tags.md": "1"}), "inputs", {"tags.md": "1"}, ("tags.md",), False, {"tags.md"}),  # a listing
], ids=["first", "inputs-changed", "edited", "added", "deleted", "authored", "listing"])
def test_plan_reading(record, inputs, sources, always, full, read) -> None:  # noqa: ANN001
    plan = inc.plan_reading(record, inputs, sources, always)
    assert (plan.full, plan.read) == (full, read)


@pytest.mark.parametrize(("sources", "views", "tags", "render"), [
    ({"a.md": "1", "b.md": "2"}, {"a.md": "view", "b.md": "view"}, "tags", set()),  # read for a listing only
    ({"a.md": "1", "b.md": "3"}, {"a.md": "view", "b.md": "view"}, "tags", {"b.md"}),  # its Markdown changed
    ({"a.md": "1", "b.md": "2"}, {"a.md": "other", "b.md": "view"}, "tags", {"a.md"}),  # its navigation changed
    ({"a.md": "1", "b.md": "2"}, {"a.md": "view", "b.md": "view"}, "moved", {"b.md"}),  # a tag moved: the listing
], ids=["nothing", "markdown", "navigation", "tags"])
def test_plan_rendering(sources, views, tags, render) -> None:  # noqa: ANN001
    record = _record(**{"a.md": "1", "b.md": "2"})
    record.tags = "tags"
    plan = inc.plan_reading(record, "inputs", sources, always={"b.md"})
    assert inc.plan_rendering(plan, record, sources, views, tags, listings={"b.md"}) == render


def test_merge_search_index_keeps_page_order_and_replaces_rendered_pages() -> None:
    record = _record(**{"index.md": None, "a.md": "1", "gone.md": "2"})
    record.pages["index.md"].search = [{"location": "", "text": "old home"}]
    record.pages["a.md"].search = [{"location": "a/", "text": "a"}, {"location": "a/#h", "text": "a h"}]
    record.pages["gone.md"].search = [{"location": "gone/", "text": "deleted"}]
    fresh = [{"location": "new/", "text": "new"}, {"location": "", "text": "home"}, {"location": "#x", "text": "x"}]
    order = [("index.md", ""), ("a.md", "a/"), ("new.md", "new/")]
    merged, by_src = inc.merge_search_index(order, {"index.md", "new.md"}, fresh, record)
    assert [e["text"] for e in merged] == ["home", "x", "a", "a h", "new"]
    assert by_src["a.md"] == record.pages["a.md"].search


@pytest.mark.parametrize(("before", "after", "stale"), [
    ({"s/a/index.html", "s/b/index.html"}, {"s/a/index.html"}, ["s/b/index.html"]),
    ({"s/a/index.html"}, {"s/a/index.html", "s/c/index.html"}, []),
], ids=["deleted", "added"])
def test_stale_outputs(before: set[str], after: set[str], stale: list[str]) -> None:
    record = BuildRecord("inputs", outputs=before)
    assert inc.stale_outputs(record, after) == stale


@pytest.mark.parametrize(("parts_a", "parts_b"), [(("a", "b"), ("ab", "")), ((None,), ("",)), (("x",), (b"y",))])
def test_digest_tells_inputs_apart(parts_a: tuple, parts_b: tuple) -> None:
    assert inc.digest(*parts_a) != inc.digest(*parts_b)
