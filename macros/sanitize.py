"""HTML sanitizing of page content with nh3 (ammonia): notes may carry raw HTML.

Allows what Markdown, pymdown-extensions and Material produce (admonitions, task lists,
highlighted code, tables, details, kbd, MathML); drops scripts, event handlers, ``javascript:``
URLs, iframes, forms and styles other than table alignment. Notes may not take the theme's
own elements: ids starting ``__`` (``__search``, ``__drawer``…) other than the ones the Markdown
extensions generate, and ``data-md-*`` attributes (Material's component hooks), are removed.
"""
from __future__ import annotations

import re

import nh3

# MathML Core, as latex2mathml writes it (normalize.mathml): presentation elements only. Left out: <maction>
# (actions), <annotation-xml> and <semantics> (they can carry HTML or SVG), and every link or style attribute.
MATHML_TAGS = frozenset({
    "math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msub", "msup", "msubsup", "munder", "mover",
    "munderover", "mfrac", "msqrt", "mroot", "mtable", "mtr", "mtd", "mstyle", "mpadded", "mphantom", "menclose",
    "merror", "mmultiscripts", "mprescripts", "none",
})
_MATHML_ATTRIBUTES = {
    "accent", "accentunder", "columnalign", "columnlines", "columnspacing", "columnspan", "depth", "display",
    "displaystyle", "fence", "form", "frame", "height", "largeop", "linethickness", "lspace", "mathbackground",
    "mathcolor", "mathsize", "mathvariant", "maxsize", "minsize", "movablelimits", "notation", "rowalign",
    "rowlines", "rowspacing", "rowspan", "rspace", "scriptlevel", "separator", "stretchy", "symmetric",
    "voffset", "width",
}
ALLOWED_TAGS = (nh3.ALLOWED_TAGS | {"input", "label", "section", "tfoot"} | MATHML_TAGS) - {"map", "area"}
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"class", "id", "title", "lang", "dir", "align", "style"},
    "a": {"href", "hreflang", "name"},
    "img": {"src", "alt", "width", "height", "loading"},
    "input": {"checked"},
    "ol": {"start", "type"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "details": {"open"},
    "time": {"datetime"},
    "abbr": set(),
    "code": set(),
    **{tag: set(_MATHML_ATTRIBUTES) for tag in MATHML_TAGS},
}
_ONLY_CHECKBOXES = {"input": {"type": {"checkbox"}}}
_ALWAYS = {"input": {"disabled": "disabled"}}


# nh3 keeps an <input> whose type is not allowed, without its type: a text field. Only task-list
# checkboxes are wanted, so any other input is removed (nh3's output always quotes attributes).
_NOT_A_CHECKBOX = re.compile(r"<input\b(?![^>]*\stype=\"checkbox\")[^>]*>", re.I)


# Material's own elements have ids starting "__" (__search, __drawer, __toc, __palette_0…); so do the
# ones pymdownx.highlight writes into code blocks (line anchors, spans, the copy button's target).
_EXTENSION_IDS = re.compile(r"__(?:codelineno|span)-\d+-\d+|__code_\d+")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _theme_owned(attribute: str, value: str) -> bool:
    if attribute.startswith("data-md"):
        return True
    return attribute in ("id", "name") and value.startswith("__") and not _EXTENSION_IDS.fullmatch(value)


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    """nh3's per-attribute hook: None drops the attribute."""
    return None if _theme_owned(attribute, value) else value


def sanitize_html(html: str) -> str:
    """Page-content HTML with everything that could run code removed.

    A lone surrogate (front matter's "\\ud800" escape, a file name that is not UTF-8) cannot be encoded
    for nh3; it is shown as U+FFFD instead of failing the build."""
    try:
        cleaned = _CLEANER.clean(html)
    except UnicodeEncodeError:
        cleaned = _CLEANER.clean(_SURROGATE.sub("\ufffd", html))
    return _NOT_A_CHECKBOX.sub("", cleaned)


# Built once: nh3.clean would convert these options to the sanitizer's own sets on every page.
_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags={"script", "style", "template", "noscript"},
    attributes=ALLOWED_ATTRIBUTES,
    generic_attribute_prefixes={"data-"},
    tag_attribute_values=_ONLY_CHECKBOXES,
    set_tag_attribute_values=_ALWAYS,
    url_schemes={"http", "https", "mailto"},
    filter_style_properties={"text-align"},
    link_rel=None,
    strip_comments=True,
    attribute_filter=_filter_attribute,
)
