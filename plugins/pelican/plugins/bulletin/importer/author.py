"""The closing lines: what a web page adds after the article (Tin liên quan, Chia sẻ …) goes; the author and the
office they sign for are read from the last lines (Bài, ảnh: …; NAME; Name – Office), sources passed over."""

from __future__ import annotations

import re

from ..registry import Registry
from ..text import canon, fold
from .blocks import Block
from .captions import is_caption
from .lines import SENTENCE_END, SURNAMES, is_name, is_source

_JUNK_FROM = ("tin lien quan", "tin cung chuyen muc", "cac tin khac", "bai viet lien quan", "tin khac", "xem them",
              "cac bai viet khac", "tin bai lien quan", "tin moi hon", "tin cu hon")
_JUNK_LINE = re.compile(
    r"^(?:in bai(?: viet)?|gui email|gui bai viet|chia se|ban in|bao loi|quay lai|ve dau trang|dau trang|facebook|twitter|zalo"
    r"|luot xem:?\s*\d*|so lan doc:?\s*\d*|tags?:.*|tu khoa:.*|\./\.|\d+\s*binh luan)$")
_OFFICE_WORDS = ("ban ", "van phong", "phong ", "trung tam", "bao ", "dai ", "huyen uy", "thi uy", "thanh uy", "tinh uy",
                 "dang uy", "dang bo", "chi bo", "uy ban", "ubkt", "cong thong tin", "truong ", "so ", "hoi ", "doan ",
                 "co quan", "cong tac vien", "ctv", "phong vien", "btg", "btc", "ttbt")
_AUTHOR_LABEL = re.compile(
    r"^(?:tác giả(?: bài viết)?|người viết|thực hiện|(?:bài|tin)(?:\s*(?:,|và|&|\+|-|–)\s*ảnh)?)\s*:\s*(.+)$", re.I)


JUNK_AFTER = 2  # a "Tin liên quan" heading cuts the page from there once this many paragraphs came before it


def strip_junk(blocks: list[Block]) -> tuple[list[Block], list[str]]:
    """Remove what a web page adds after the article (Tin liên quan …, Chia sẻ, Lượt xem).

    The related links may be longer than the article itself: the heading cuts wherever it is, past the lead.
    """
    removed = []
    for index, block in enumerate(blocks):
        if index >= JUNK_AFTER and fold(block.text).rstrip(" :.") in _JUNK_FROM:
            removed += [b.text for b in blocks[index:]]
            blocks = blocks[:index]
            break
    while blocks and _JUNK_LINE.match(fold(blocks[-1].text).strip()):
        removed.insert(0, blocks.pop().text)
    return blocks, removed


def _split_author(value: str) -> tuple[str, str]:
    """Split "Name – Office", "Name, Office" or "Name (Office)" into name and office."""
    match = re.match(r"^(.+?)\s*\((.+)\)$", value)
    if match:
        return match.group(1), match.group(2)
    for separator in (" – ", " — ", " - ", ", "):
        if separator in value:
            name, office = value.split(separator, 1)
            return name.strip(), office.strip()
    return value, ""


def _person(name: str) -> str:
    """Return a name written in capitals in title case (NGUYỄN VĂN AN -> Nguyễn Văn An)."""
    return " ".join(w.capitalize() for w in name.split()) if is_name(name, capitals=True) else name


_UNIT_WORDS = {"ủy", "xã", "huyện", "tỉnh", "phường", "niên", "khối"}  # in an office's name, never in a person's


_LEVELS = {"xã", "huyện", "tỉnh", "phường", "thị", "khối", "ấp", "thôn", "khu"}  # Đảng ủy xã …, Chi bộ ấp …
_LEVEL_PAIRS = {("thị", "xã"), ("thị", "trấn"), ("thành", "phố"), ("khu", "phố")}
_JOINERS = {"và", "các", "-", "–", "&"}  # Văn hóa - Thể thao, Giáo dục và Đào tạo, Khối các cơ quan
# Small words a sentence needs and an office's name never holds: tense and voice, "là", "có", prepositions.
_SENTENCE_WORDS = {"đã", "đang", "sẽ", "vừa", "được", "là", "có", "cho", "của", "với", "để", "tại", "nhằm", "này", "không"}
NAME_PART_SMALL = 2  # small words a capitalised word carries in a name (Tuyên giáo, Cựu chiến binh)


def _office_name(words: list[str]) -> bool:
    """Tell whether the words after an office word only name it: capitalised parts with at most two small words
    each, levels (xã, thị trấn) and joiners; a small word anywhere else, or one a sentence needs, makes a sentence.
    """
    small, index = 0, 0  # small: how many more small words the last capitalised word may carry
    lower = [canon(w).lower() for w in words]
    while index < len(words):
        word = words[index].strip("()[]{},;:\"'“”")
        if tuple(lower[index:index + 2]) in _LEVEL_PAIRS:
            small, index = 0, index + 2
            continue
        if word.islower() and lower[index] in _SENTENCE_WORDS:
            return False
        if word[:1].isupper() or word[:1].isdigit():
            small = NAME_PART_SMALL
        elif lower[index] in _LEVELS:
            small = 0
        elif word and lower[index] not in _JOINERS:
            if not small:
                return False
            small -= 1
        index += 1
    return True


def _is_office(text: str, registry: Registry | None = None) -> bool:
    """Tell whether a line is only an office's name (BAN TUYÊN GIÁO HUYỆN ỦY, Văn phòng Huyện ủy), not a person's
    nor a sentence that opens with one (Văn phòng Huyện ủy đã chuẩn bị …).

    After the office word come only names (Hội Nông dân, not Hội nghị; Đảng ủy xã …; see _office_name), unless the
    registry knows the whole line; a line in small letters that ends like a sentence is one.
    """
    words = text.strip(" .").split()
    if not 1 <= len(words) <= 12 or text.rstrip().endswith(SENTENCE_END[1:] if text.isupper() else SENTENCE_END):
        return False
    if registry and registry.resolve(" ".join(words)):
        return True
    head = next((w for w in _OFFICE_WORDS if fold(text).startswith(w)), None)
    if head is None or not _office_name(words[len(head.split()):]):
        return False
    lower = canon(text).lower().split()
    if lower[0] in SURNAMES and (is_name(text) or is_name(text, capitals=True)) and not _UNIT_WORDS & set(lower):
        return False  # Đoàn Văn Tư, Trương Minh Hải: a family name that starts like an office
    return not is_caption(Block(text=text, md=text))


def _office_like(office: str) -> bool:
    """Tell whether the part after a name reads as an office: an office word or an abbreviation (TTVH-TT huyện)."""
    first = re.sub(r"\W", "", office.split()[0]) if office.split() else ""
    return fold(office).startswith(_OFFICE_WORDS) or (len(first) >= 2 and first.isupper())


def _name_line(text: str, registry: Registry | None = None) -> tuple[str, str]:
    """Read a closing line as a person's name and office ("Name – Office", "Name (Office)", NAME); else empty."""
    text = text.strip(" .")
    if _is_office(text, registry):
        return "", ""
    name, office = _split_author(text)
    if office and (is_name(name) or is_name(name, capitals=True)) and _office_like(office):
        return _person(name), office
    if is_name(text, capitals=True) or (is_name(text) and len(text) <= 40):
        return _person(text), ""
    return "", ""


def find_author(blocks: list[Block], registry: Registry | None = None) -> tuple[str, str, list[Block]]:
    """Find the author (and office) in the closing lines; return name, office and the blocks they are on.

    Lines naming the source (Nguồn: Báo …) after the author are passed over; an office signed on its own line
    next to the person's name becomes the office.
    """
    end = len(blocks)
    while end and is_source(blocks[end - 1].text):
        end -= 1
    tail = blocks[:end]
    for block in reversed(tail[-3:]):
        labelled = _AUTHOR_LABEL.match(block.text)
        if labelled:
            name, office = _split_author(labelled.group(1).strip())
            return _person(name), office, [block]
    if not tail:
        return "", "", []
    last, before = tail[-1], (tail[-2] if len(tail) > 1 else None)
    name, office = _name_line(last.text, registry)
    if name and not office and before and _is_office(before.text, registry):
        return name, before.text.strip(" ."), [before, last]
    if name:
        return name, office, [last]
    if before and _is_office(last.text, registry):
        name, office = _name_line(before.text, registry)
        if name and not office:
            return name, last.text.strip(" ."), [before, last]
    return "", "", []
