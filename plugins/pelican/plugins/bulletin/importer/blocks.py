"""What both readers make of a source file: blocks (a paragraph, heading, list, table or image) as plain text and
as Markdown, with hidden characters dropped and what Markdown would read as markup escaped."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..schema import CONTROL_CHARS
from ..text import nfc

SOFT_HYPHEN = "\u00ad"
SPACES = dict.fromkeys(map(ord, "\u00a0\t\u0085\u2028\u2029"), " ")  # read as a space (line separators too)


@dataclass
class Block:
    """One paragraph, heading, list or image of the source, as plain text and as Markdown."""

    text: str
    md: str
    kind: str = "p"  # p, h, list, img
    italic: bool = False
    group: int = 0  # the run of lines between blank lines it came from (text files)
    image: int | None = None  # index into the document's images (kind img)
    line: int = 0  # line number in a text file


@dataclass
class Picture:
    """An embedded image of a .docx file."""

    data: bytes
    extension: str
    alt: str = ""
    caption: str = ""
    path: str = ""  # relative to the content folder, once written
    problem: str = ""  # why it is not written (not an image, an SVG that could run code, too large), in Vietnamese


def clean_line(line: str) -> str:
    """Return a line in NFC with hidden characters removed and spaces collapsed."""
    line = CONTROL_CHARS.sub("", nfc(line).translate(SPACES))
    return " ".join(line.split())


_ENTITY = re.compile(r"&(?=#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)")


def escape(text: str) -> str:
    """Escape what Markdown would read as markup in plain text (lists written with - or 1. stay lists).

    An entity written out (&nbsp; in a pasted page) stays text, and so does a year opening a line (2025. Năm …),
    a rule (---) or a line opening with + or -: the bullets the source meant are found before this.
    """
    text = text.replace("\\", "\\\\")
    text = re.sub(r"([*_`\[\]])", r"\\\1", text)
    text = _ENTITY.sub("&amp;", text).replace("<", "&lt;")
    text = re.sub(r"^(\d+)\.(?=\s|$)", r"\1\\.", text)
    return re.sub(r"^([#>+-])", r"\\\1", text)


_BULLET = re.compile(r"^(?:[-+•●▪◦]|\d{1,2}[.)])\s+")


def text_blocks(text: str) -> list[Block]:
    """Split text into one block per non-empty line, remembering which lines stood together."""
    blocks, group = [], 0
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        line = clean_line(raw)
        if not line:
            group += 1
            continue
        bullet = _BULLET.match(line)
        if bullet and line[0] in "-+•●▪◦":
            md = "- " + escape(line[bullet.end():])
        elif bullet:
            md = line[: bullet.end()].rstrip().rstrip(")").rstrip(".") + ". " + escape(line[bullet.end():])
        else:
            md = escape(line)
        blocks.append(Block(text=line, md=md, kind="list" if bullet else "p", group=group, line=number))
    return blocks
