"""``$…$`` / ``$$…$$`` (and ``\\(…\\)``, ``\\[…\\]``) → MathML at build time with latex2mathml: the browser draws it,
no script and no CDN (normalize stage). A formula that does not parse is shown as code, with a finding."""
from __future__ import annotations

import html
import re

from latex2mathml.converter import convert

MAX_FORMULA_CHARS = 4000  # a formula longer than a page is a mistake (an unclosed "$"), not maths
_TEXT = re.compile(r">([^<]+)<")
_DROPPED_ATTRIBUTES = re.compile(r'\s(?:href|xmlns|style)="[^"]*"')  # the sanitizer drops them too; never emitted
_BRACE = re.compile(r"\\.|[{}]", re.S)


class MathError(ValueError):
    """A formula latex2mathml cannot read."""


def _balanced(latex: str) -> bool:
    depth = 0
    for token in _BRACE.finditer(latex):
        if token.group(0) == "{":
            depth += 1
        elif token.group(0) == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _entities(match: re.Match[str]) -> str:
    # Every character of the formula's text as a character reference: Markdown's inline patterns (emphasis,
    # links) and the service-mention linker then see no text to change inside the <math> element.
    return ">" + "".join(f"&#x{ord(c):X};" for c in html.unescape(match.group(1))) + "<"


def latex_to_mathml(latex: str, display: bool) -> str:
    """One line of MathML for ``latex``; ``MathError`` when it does not parse."""
    if len(latex) > MAX_FORMULA_CHARS:
        raise MathError(f"the formula is longer than {MAX_FORMULA_CHARS} characters")
    if not _balanced(latex):
        raise MathError("its braces { } do not pair up")
    try:
        mathml = convert(latex, display="block" if display else "inline")
    except Exception as exc:  # noqa: BLE001 - any failure of the parser on a stranger's formula is a finding
        raise MathError(str(exc) or type(exc).__name__) from exc
    mathml = _DROPPED_ATTRIBUTES.sub("", mathml).replace("\n", "")
    return _TEXT.sub(_entities, mathml)


def split_math(span_text: str) -> tuple[str, bool] | None:
    """(LaTeX, display) of a math span as written (``$x$``, ``$$x$$``, ``\\(x\\)``, ``\\[x\\]``), or None."""
    for opener, closer, display in (("$$", "$$", True), ("\\[", "\\]", True), ("\\(", "\\)", False), ("$", "$", False)):
        if span_text.startswith(opener) and span_text.endswith(closer) and len(span_text) >= len(opener) + len(closer):
            return span_text[len(opener):len(span_text) - len(closer)].strip(), display
    return None


def code_span(text: str) -> str:
    """``text`` as an inline code span, whatever backticks it holds (one line)."""
    text = " ".join(text.split("\n"))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
