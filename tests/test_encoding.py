"""Text repair: double-encoded UTF-8 (seed 000), Windows-1252, BOMs, CRLF and UTF-16 read correctly,
in the load stage and on the built pages."""
from __future__ import annotations

import codecs
from pathlib import Path

import ftfy.bad_codecs  # noqa: F401 - sloppy-windows-1252, to make mojibake the way Windows tools do
import pytest

from conftest import SEED_NOTES, Build, run_mkdocs_build
from macros.load import decode_note_bytes, load_note
from page_text import ALL_DOMAINS_NOTE, content_text

TEXT = "# Café – “naïve” résumé\n\nPrice: 5 € — done ✅\n"  # typographic and non-Latin-1 characters
PLAIN = "# Cafe notes\n\nLine one.\nLine two.\n"

ENCODINGS = [
    # id, bytes, expected text
    ("utf-8", TEXT.encode("utf-8"), TEXT),
    ("utf-8-bom", codecs.BOM_UTF8 + TEXT.encode("utf-8"), TEXT),
    ("crlf", TEXT.replace("\n", "\r\n").encode("utf-8"), TEXT),
    ("cr-only", TEXT.replace("\n", "\r").encode("utf-8"), TEXT),
    ("bom-and-crlf", codecs.BOM_UTF8 + TEXT.replace("\n", "\r\n").encode("utf-8"), TEXT),
    ("cp1252", TEXT.replace("✅", "").encode("cp1252"), TEXT.replace("✅", "")),
    ("cp1252-crlf", TEXT.replace("✅", "").replace("\n", "\r\n").encode("cp1252"), TEXT.replace("✅", "")),
    ("cp1252-cr-only", "Café crème\rà la carte\r".encode("cp1252"), "Café crème\nà la carte\n"),
    ("utf-16-le-bom", codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), TEXT),
    ("utf-16-be-bom", codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), TEXT),
    ("utf-16-crlf", "\ufeff".encode("utf-16-le") + TEXT.replace("\n", "\r\n").encode("utf-16-le"), TEXT),
    # UTF-8 read as Windows-1252 and saved again as UTF-8 (what happened to seed 000)
    ("mojibake", TEXT.encode("utf-8").decode("sloppy-windows-1252").encode("utf-8"), TEXT),
    ("mojibake-twice", TEXT.encode("utf-8").decode("sloppy-windows-1252").encode("utf-8")
     .decode("sloppy-windows-1252").encode("utf-8"), TEXT),
    ("utf-8-with-one-cp1252-byte", "Café – ok\n".encode("utf-8") + b"caf\xe9\n", "Café – ok\ncafé\n"),
    ("ascii", PLAIN.encode("ascii"), PLAIN),
]


@pytest.mark.parametrize(("data", "expected"), [row[1:] for row in ENCODINGS], ids=[row[0] for row in ENCODINGS])
def test_decode(data: bytes, expected: str) -> None:
    text, _, _ = decode_note_bytes(data)
    assert text == expected
    assert "\r" not in text and "\ufeff" not in text


def test_repair_is_reported_only_when_something_was_repaired() -> None:
    assert decode_note_bytes("AWS â€“ ML".encode("utf-8"))[2] is True
    assert decode_note_bytes("AWS – ML".encode("utf-8"))[2] is False
    assert decode_note_bytes("AWS – ML".encode("cp1252"))[2] is False


def test_correct_text_that_looks_odd_is_left_alone() -> None:
    for text in ("Ångström, Øresund, naïve", "Ça va? « oui »", "Straße ß", "日本語のノート", "x ≥ 2 → y"):
        assert decode_note_bytes(text.encode("utf-8"))[0] == text


def test_front_matter_after_a_bom_or_in_utf16_is_found(tmp_path: Path) -> None:
    for name, data in (("bom.md", codecs.BOM_UTF8 + b"---\ntitle: Caf\xc3\xa9\n---\n# x\n"),
                       ("u16.md", codecs.BOM_UTF16_LE + "---\r\ntitle: Café\r\n---\r\n# x\r\n".encode("utf-16-le"))):
        path = tmp_path / name
        path.write_bytes(data)
        raw = load_note(path, name)
        assert raw.front_matter == {"title": "Café"}, name
        assert raw.front_matter_lines == {"title": 2}


def seed_000_lines() -> list[str]:
    return (next(SEED_NOTES.glob("000_*"))).read_text("utf-8").split("\n")


def test_seed_000_is_double_encoded_and_is_repaired() -> None:
    path = next(SEED_NOTES.glob("000_*"))
    source = path.read_text("utf-8")
    assert "â€“" in source and "âœ…" in source  # guard: the seed really is broken
    raw = load_note(path, path.name)
    assert raw.repaired
    assert "â€" not in raw.text and "ðŸ" not in raw.text and "âœ" not in raw.text
    for line in seed_000_lines():
        assert line.encode("cp1252").decode("utf-8") in raw.text


# --- on the built pages ------------------------------------------------------------------------

def test_seed_000_page_shows_the_repaired_characters(seed_build: Build) -> None:
    text = content_text(seed_build.html("notes/000-620e8eeb47aa6b5e/"))
    for broken, meant in (("â€“", "–"), ("âœ…", "✅"), ("ðŸ”„", "🔄"), ("ðŸ“‹", "📋")):
        assert broken not in text
        assert meant in text, meant
    assert "Machine Learning – Specialty (In Progress)" in text


ENCODED_NOTES = {
    "windows.md": ("# Résumé – cp1252\n\nThe “quoted” café costs 5 €.\n", "cp1252", b""),
    "bom.md": ("---\ntitle: Naïve BOM\n---\n\nBody with a BOM — ok.\n", "utf-8", codecs.BOM_UTF8),
    "crlf.md": ("---\r\ntitle: CRLF note\r\ntags: [a]\r\n---\r\n\r\n- item one\r\n- item two\r\n", "utf-8", b""),
    "wide.md": ("# UTF-16 wide – note\n\nText in UTF-16 ✅.\n", "utf-16-le", codecs.BOM_UTF16_LE),
    "broken.txt": ("Mojibake essay\nThis line had an en dash – here.\n", "mojibake", b""),
}


@pytest.fixture(scope="module")
def encoded_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    folder = tmp_path_factory.mktemp("encoded-notes")
    for name, (text, encoding, bom) in ENCODED_NOTES.items():
        data = text.encode("utf-8").decode("cp1252").encode("utf-8") if encoding == "mojibake" else text.encode(encoding)
        (folder / name).write_bytes(bom + data)
    (folder / "outline.md").write_text(ALL_DOMAINS_NOTE, "utf-8")
    build = run_mkdocs_build(tmp_path_factory.mktemp("encoded-site") / "site", notes=folder)
    assert build.returncode == 0, build.log
    return build


@pytest.mark.parametrize("name", list(ENCODED_NOTES))
def test_encoded_note_page_shows_its_text(encoded_build: Build, name: str) -> None:
    text, _, _ = ENCODED_NOTES[name]
    page = content_text(encoded_build.html(f"notes/{Path(name).stem}/"))
    body = text.replace("\r\n", "\n").split("---\n")[-1]
    for line in body.split("\n"):
        words = line.strip().lstrip("#-").strip()
        if words:
            assert words in page, (name, words)
    for bad in ("\ufeff", "Ã", "â€", "\r", "�"):
        assert bad not in page, (name, bad)
