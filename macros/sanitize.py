"""HTML sanitizing of page content with nh3 (ammonia): notes may carry raw HTML.

Allows what Markdown, pymdown-extensions and Material produce (admonitions, task lists,
highlighted code, tables, details, kbd); drops scripts, event handlers, ``javascript:``
URLs, iframes, forms and styles other than table alignment.
"""
from __future__ import annotations

import re

import nh3

ALLOWED_TAGS = (nh3.ALLOWED_TAGS | {"input", "label", "section", "tfoot"}) - {"map", "area"}
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
}
_ONLY_CHECKBOXES = {"input": {"type": {"checkbox"}}}
_ALWAYS = {"input": {"disabled": "disabled"}}


# nh3 keeps an <input> whose type is not allowed, without its type: a text field. Only task-list
# checkboxes are wanted, so any other input is removed (nh3's output always quotes attributes).
_NOT_A_CHECKBOX = re.compile(r"<input\b(?![^>]*\stype=\"checkbox\")[^>]*>", re.I)


def sanitize_html(html: str) -> str:
    """Page-content HTML with everything that could run code removed."""
    return _NOT_A_CHECKBOX.sub("", _CLEANER.clean(html))


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
)
