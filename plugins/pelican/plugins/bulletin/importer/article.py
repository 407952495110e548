"""One source file read whole: its blocks, then the title, author, date, units and terms it gives, and its body
with the captions marked. Extract, never invent: a field the source does not give stays empty."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from .. import legacy
from ..errors import EncodingUnsure, ImportFailure
from ..registry import Registry
from ..scaffold import make_slug
from ..schema import MAX_TITLE  # a longer first line is a paragraph, not a title
from ..terms import Term, find_terms
from ..text import lookup_key
from .author import find_author, strip_junk
from .blocks import SOFT_HYPHEN, Block, Picture, text_blocks
from .captions import attach_captions, caption_like, mark_captions
from .dateline import TITLE_AFTER, FoundDate, find_date, match_dateline
from .sizes import check_text
from .units import UnitFindings, find_units
from .word import WORD, docx_blocks

SOURCE_TYPES = (".txt", ".docx")


@dataclass
class Article:
    """What the importer read from one source file."""

    source: str
    encoding: str = ""
    title: str = ""
    date: FoundDate = field(default_factory=lambda: FoundDate(None))
    units: UnitFindings = field(default_factory=UnitFindings)
    terms: list[Term] = field(default_factory=list)
    author: str = ""
    author_title: str = ""
    body: list[Block] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)
    captions: int = 0
    removed: list[str] = field(default_factory=list)
    name: str = ""  # the file name chosen when the title's was taken by another article
    renamed_from: str = ""
    units_stated: bool = False  # a unit found is named in the title or is the author's office, not only in the body

    @property
    def missing(self) -> list[str]:
        """Return what the source did not give and a published article needs: the required fields, a body."""
        body = any(b.md or (b.kind == "img" and self.pictures[b.image].path) for b in self.body)
        return [name for name, value in (("title", self.title), ("date", self.date.moment), ("units", self.units.known),
                                         ("body", body)) if not value]

    @property
    def units_guessed(self) -> bool:
        """Tell whether the units were only guessed from names the body mentions (a mention is not what it is about)."""
        return bool(self.units.known) and not self.units_stated

    @property
    def lone_captions(self) -> list[str]:
        """Return the captions left without their photo (a web page's text, or a picture that was not written)."""
        return [b.text for b in self.body if b.kind == "caption"] + \
            [p.caption for p in self.pictures if p.caption and not p.path]

    @property
    def slug(self) -> str:
        """Return the file name made from the title, cut at a word boundary."""
        return self.name or make_slug(self.title) or make_slug(os.path.splitext(os.path.basename(self.source))[0]) or "bai-nhap"


def read_article(path: str, registry: Registry, zone: ZoneInfo) -> Article:
    """Read a .txt or .docx file and extract everything it says about itself."""
    article = Article(source=path)
    extension = os.path.splitext(path)[1].lower()
    if extension == ".docx":
        blocks, article.pictures = docx_blocks(path)
        check_text("\n".join(b.md for b in blocks))
        article.encoding = WORD
        font = legacy.font_encoding("\n".join(b.text for b in blocks))
        if font:  # typed with a .VnTime or VNI font: the file holds the font's bytes as Latin letters
            for block in blocks:
                block.text, block.md = legacy.undo_font(block.text, font), legacy.undo_font(block.md, font)
            article.encoding = f"{WORD}, phông {font}"
    elif extension == ".txt":
        with open(path, "rb") as handle:
            raw = handle.read()
        try:
            decoded = legacy.decode_bytes(raw)
        except (EncodingUnsure, UnicodeDecodeError) as error:
            raise ImportFailure(str(error) if isinstance(error, EncodingUnsure) else "tệp không đọc được bằng bảng mã đã khai báo") from None
        article.encoding = decoded.encoding
        check_text(decoded.text)
        blocks = text_blocks(decoded.text)
    else:
        raise ImportFailure(f"chỉ nhập được tệp {', '.join(SOURCE_TYPES)}")
    for block in blocks:  # soft hyphens: invisible in Word, but they split words for search and slugs
        block.text, block.md = block.text.replace(SOFT_HYPHEN, ""), block.md.replace(SOFT_HYPHEN, "")
    text_only = [b for b in blocks if b.text]
    if not text_only:
        raise ImportFailure("tệp không có chữ nào để nhập")
    heading = next((b for b in text_only[: TITLE_AFTER + 1] if not match_dateline(b.text)), None)  # datelines above
    first = heading.text.lstrip("#").strip() if heading else ""
    if first and len(first) <= MAX_TITLE:
        article.title = first
        blocks = [b for b in blocks if b is not heading and not (b.text and lookup_key(b.text) == lookup_key(first))]
    blocks, article.removed = strip_junk(blocks)
    article.author, article.author_title, signed = find_author([b for b in blocks if b.kind != "img"], registry)
    blocks = [b for b in blocks if all(b is not s for s in signed)]
    office = registry.resolve(article.author_title) if article.author_title.isupper() else None
    if office:  # signed in capitals: the registry's spelling of the same name
        article.author_title = office.name
    lead = [b for b in blocks if b.kind == "p" and not caption_like(b) and not match_dateline(b.text)]
    article.date, dateline = find_date([b for b in blocks if b.text], lead, zone)
    blocks = [b for b in blocks if b is not dateline]
    full_text = "\n".join([article.title] + [b.text for b in blocks])
    article.units = find_units(full_text, registry)
    named = {u.code for u in find_units(article.title, registry).known}
    office = registry.resolve(article.author_title) if article.author_title else None
    article.units_stated = any(u.code in named or u == office for u in article.units.known)
    article.terms = find_terms(full_text)
    if article.pictures:
        article.body = attach_captions(blocks, article.pictures)
        article.captions = sum(1 for p in article.pictures if p.caption)
    else:
        article.body, article.captions = mark_captions(blocks)
    return article
