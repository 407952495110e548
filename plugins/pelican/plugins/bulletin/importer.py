"""Turn raw articles (.txt copied from a web page or Word, .docx) into Markdown with front matter.

Extract, never invent: every field comes from a line of the source; a required field that cannot be
found is left out and the article becomes a draft, with the report telling the editor what to fill in.
Nothing is ever overwritten: an existing article stops the import of that file, an existing image
name is skipped for the next free one.
"""

from __future__ import annotations

import glob
import os
import re
import sys
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from . import legacy
from .dates import parse_date
from .errors import DateError, ImportFailure
from .registry import Registry, Unit, unit_choices
from .scaffold import make_slug, quote_yaml
from .schema import (
    CONTROL_CHARS,
    MAX_TITLE,  # a longer first line is a paragraph, not a title
)
from .terms import FIRST_YEAR, LAST_YEAR, Term
from .text import canon, fold, lookup_key, nfc
from .urls import article_file, image_folder

SOURCE_TYPES = (".txt", ".docx")
CAPTION_WORDS = 30
WORD = "Word (.docx)"
SOFT_HYPHEN = "\u00ad"
SPACES = dict.fromkeys(map(ord, "\u00a0\t\u0085\u2028\u2029"), " ")  # read as a space (line separators too)
IMAGE_TYPES = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp", "image/svg+xml": ".svg"}


# --- Blocks: what both readers produce ---------------------------------------------------------
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


# --- .docx through mammoth ---------------------------------------------------------------------
def docx_blocks(path: str) -> tuple[list[Block], list[Picture]]:
    """Convert a .docx file to blocks (bold, italic and lists kept) and collect its images."""
    import mammoth
    from bs4 import BeautifulSoup

    pictures: list[Picture] = []

    def keep(image) -> dict:
        with image.open() as stream:
            data = stream.read()
        extension = IMAGE_TYPES.get(image.content_type or "", "")
        pictures.append(Picture(data=data, extension=extension, alt=clean_line(image.alt_text or "")))
        return {"src": f"bulletin-image:{len(pictures) - 1}"}

    try:
        with open(path, "rb") as handle:
            result = mammoth.convert_to_html(handle, convert_image=mammoth.images.img_element(keep))
    except Exception as error:  # a broken or non-Word file; mammoth raises many kinds
        raise ImportFailure(f"không đọc được tệp Word ({type(error).__name__}) — hãy mở bằng Word và lưu lại dạng .docx") from None
    soup = BeautifulSoup(result.value, "html.parser")
    blocks: list[Block] = []
    for element in soup.find_all(recursive=False):
        blocks.extend(_html_blocks(element))
    return blocks, pictures


def _html_blocks(element) -> list[Block]:
    """Turn one top-level HTML element from mammoth into blocks."""
    name = element.name
    if name in ("ul", "ol"):
        md = _list_md(element, 0)
        return [Block(text=clean_line(element.get_text(" ")), md=md, kind="list")] if md.strip() else []
    if name == "table":
        md = _table_md(element)
        if md:
            return [Block(text=clean_line(element.get_text(" ")), md=md, kind="table")]
        return [b for cell in element.find_all(["p", "td"]) if not cell.find("p") for b in _html_blocks(cell)]
    blocks, parts = [], []
    for child in element.children:
        images = [child] if child.name == "img" else (child.find_all("img") if child.name else [])
        if not images:
            parts.append(child)
            continue
        blocks += _paragraph(parts, name)
        parts = []
        for img in images:
            blocks.append(Block(text="", md="", kind="img", image=int(img.get("src", "").rsplit(":", 1)[-1])))
        if child.name != "img":  # an image inside a link or span: keep the text around it
            for img in images:
                img.decompose()
            parts.append(child)
    return blocks + _paragraph(parts, name)


def _cell_md(cell) -> str:
    """Render a table cell's paragraphs as one line of Markdown."""
    paragraphs = cell.find_all("p") or [cell]
    return clean_line(" ".join("".join(_inline(c) for c in p.children) for p in paragraphs)).replace("|", "\\|")


def _table_md(element) -> str:
    """Render a Word table as a Markdown table (merged cells left empty); "" when it is not a grid of text.

    A table of one row or one column (Word's way to frame a paragraph), or one holding lists, images or
    another table, is left to be read as paragraphs.
    """
    rows = [tr for tr in element.find_all("tr") if tr.find_parent("table") is element]
    if element.find(["table", "img", "ul", "ol"]):
        return ""
    grid: list[list[str]] = []
    below: dict[int, int] = {}  # column -> rows a cell above still covers
    for tr in rows:
        row: list[str] = []
        for cell in tr.find_all(["td", "th"], recursive=False):
            _covered(row, below)
            text = _cell_md(cell)
            down = _span(cell, "rowspan")
            for extra in range(_span(cell, "colspan")):
                if down > 1:
                    below[len(row)] = down - 1
                row.append("" if extra else text)
        _covered(row, below)
        grid.append(row)
    width = max(map(len, grid), default=0)
    if len(grid) < 2 or width < 2 or not any(any(row) for row in grid[1:]):
        return ""
    lines = ["| " + " | ".join(row + [""] * (width - len(row))) + " |" for row in grid]
    lines.insert(1, "|" + " --- |" * width)
    return "\n".join(lines)


def _covered(row: list[str], below: dict[int, int]) -> None:
    """Fill the row's next columns that a cell of a row above still covers (rowspan) with empty cells."""
    while below.get(len(row), 0) > 0:
        below[len(row)] -= 1
        row.append("")


def _span(cell, name: str) -> int:
    """Return a cell's rowspan or colspan (1 when absent or not a number)."""
    value = str(cell.get(name, "1"))
    return max(1, min(int(value), 100)) if value.isdigit() else 1


def _paragraph(parts: list, name: str) -> list[Block]:
    """Make one text block from inline HTML nodes."""
    md = clean_line("".join(_inline(p) for p in parts))
    text = clean_line("".join(p.get_text() if hasattr(p, "get_text") else str(p) for p in parts))
    if not text:
        return []
    italic = all(getattr(p, "name", None) == "em" or not str(p).strip() for p in parts)
    if name and name[0] == "h" and name[1:].isdigit():
        return [Block(text=text, md="## " + md, kind="h")]
    return [Block(text=text, md=md, italic=italic)]


def _inline(node) -> str:
    """Render inline HTML (strong, em, links) as Markdown."""
    name = getattr(node, "name", None)
    if name is None:
        return escape(str(node))
    if name == "br":
        return " "
    if name == "img":
        return ""
    inner = "".join(_inline(c) for c in node.children)
    if name in ("strong", "b", "em", "i"):
        mark = "**" if name in ("strong", "b") else "*"
        core = inner.strip()
        if not core:
            return inner
        lead, trail = inner[: len(inner) - len(inner.lstrip())], inner[len(inner.rstrip()):]
        return f"{lead}{mark}{core}{mark}{trail}"
    if name == "a" and node.get("href", "").startswith(("http://", "https://")):
        return f"[{inner}]({node['href']})"
    return inner


def _list_md(element, depth: int) -> str:
    """Render a (nested) list as Markdown."""
    lines = []
    for number, item in enumerate(element.find_all("li", recursive=False), 1):
        marker = f"{number}." if element.name == "ol" else "-"
        nested = list(item.find_all(["ul", "ol"], recursive=False))
        for sub in nested:
            sub.extract()
        text = clean_line("".join(_inline(c) for c in item.children))
        lines.append("    " * depth + f"{marker} {text}")
        lines += [_list_md(sub, depth + 1) for sub in nested]
    return "\n".join(line for line in lines if line.strip())


# --- Dates -------------------------------------------------------------------------------------
_WEEKDAY = r"(?:thứ\s*(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s*nhật|cn)"
_DATE = r"(?P<day>\d{1,2})\s*[/.-]\s*(?P<month>\d{1,2})\s*[/.-]\s*(?P<year>\d{4})"
_TIME = r"(?P<hour>\d{1,2})\s*(?::|h|giờ)\s*(?P<minute>\d{2})(?::(?P<second>\d{2}))?(?:\s*(?P<half>AM|PM|SA|CH)(?!\w))?"
_PREFIX = r"(?:(?:ngày\s+)?(?:cập\s+nhật|đăng|ngày\s+đăng|đăng\s+ngày|xuất\s+bản)(?:\s+lúc)?\s*:?\s*)?"
_SEP = r"\s*[,|\-–]?\s*"
_ZONE = r"(?:\s*\(?\s*GMT\s*\+\s*7\s*\)?)?"
_DAY_MONTH = r"(?P<day>\d{1,2})\s+tháng\s+(?P<month>\d{1,2})"  # 5 tháng 3
_IN_WORDS = _DAY_MONTH + r"\s*,?\s+năm\s+(?P<year>\d{4})"
_ISO = r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
# The place an official text is written at, before "ngày": Bình Phước, ngày 12/8/2024; TP. Hồ Chí Minh, ngày …
_PLACE = r"(?:[^\W\d_][\w.]*(?:\s+[^\W\d_][\w.]*){0,5}\s*,\s*(?=ngày\s))?"
_HEAD = _PREFIX + _PLACE + f"(?:{_WEEKDAY}{_SEP})?"
DATELINES = (
    re.compile(_HEAD + f"{_TIME}{_SEP}(?:ngày\\s+)?{_DATE}{_ZONE}", re.I),
    re.compile(_HEAD + f"(?:ngày\\s+)?{_DATE}(?:{_SEP}(?:lúc\\s+)?{_TIME})?{_ZONE}", re.I),
    re.compile(_HEAD + f"(?:ngày\\s+)?{_IN_WORDS}(?:{_SEP}(?:lúc\\s+)?{_TIME})?{_ZONE}", re.I),
    re.compile(_PREFIX + f"{_ISO}(?:(?:T|\\s+){_TIME})?{_ZONE}", re.I),
)
TITLE_AFTER = 3  # datelines that may stand above the title
_PART_OF_DAY = r"(?:sáng|chiều|tối|trưa|đêm)(?:\s+nay)?,?\s+"
_SHORT = r"(?P<day>\d{1,2})\s*[/-]\s*(?P<month>\d{1,2})(?:\s*[/-]\s*(?P<year>\d{4}))?(?![\d/-])"
_WORDS = _DAY_MONTH + r"(?:\s+năm\s+(?P<year>\d{4}))?"
LEAD_DATES = (
    re.compile(rf"^(?:{_PART_OF_DAY})?(?:ngày\s+)?(?:{_SHORT})(?=[\s,.:;])", re.I),
    re.compile(rf"^(?:{_PART_OF_DAY})?ngày\s+{_WORDS}", re.I),
    re.compile(rf"(?<!\w){_PART_OF_DAY}(?:ngày\s+)?{_SHORT}", re.I),
)
_YEAR_MENTIONS = (re.compile(r"(?<!\d)\d{1,2}[/.-]\d{1,2}[/.-](\d{4})(?!\d)"), re.compile(r"(?<!\w)năm\s+(\d{4})(?!\d)", re.I))
FIRST_PLAUSIBLE = 1990  # an earlier year in the lead is history (Ngày 3/2/1930 …), never the article's date
OLDER_YEARS = 2  # a lead date more years older than another one is a date recalled, not the event's
SAME_EVENT_DAYS = 31  # lead dates further apart than this leave the choice to the editor


@dataclass
class FoundDate:
    """A date read from the source, and where it came from."""

    moment: datetime | None
    written: str = ""  # as it goes into the front matter: dd/mm/yyyy [HH:MM]
    note: str = ""


def match_dateline(line: str) -> re.Match | None:
    """Return the match when a whole line is a dateline (12:23 04/04/2022, THỨ NĂM, 01/04/2021 18:14:15)."""
    for pattern in DATELINES:
        found = pattern.fullmatch(line.strip(" .:"))
        if found:
            return found
    return None


def _build_date(parts: dict, year: int | None, zone: ZoneInfo) -> FoundDate:
    """Turn day, month, year and an optional time into a FoundDate, checked by parse_date."""
    written = f"{int(parts['day']):02d}/{int(parts['month']):02d}/{year}"
    if parts.get("hour"):
        hour, half = int(parts["hour"]), (parts.get("half") or "").upper()
        if half in ("PM", "CH") and hour < 12:
            hour += 12
        elif half in ("AM", "SA") and hour == 12:
            hour = 0
        written += f" {hour:02d}:{int(parts['minute']):02d}"
    try:
        return FoundDate(parse_date(written, zone), written)
    except DateError as error:
        return FoundDate(None, note=str(error))


def find_date(blocks: list[Block], lead: list[Block], zone: ZoneInfo) -> tuple[FoundDate, Block | None]:
    """Find the date: a dateline first, then a date in the lead; return it and the dateline block."""
    for block in blocks[:8]:
        found = match_dateline(block.text)
        if found:
            return _build_date(found.groupdict(), int(found["year"]), zone), block
    mentions: dict[tuple[int, int], re.Match] = {}
    for number, block in enumerate(lead[:3]):
        for pattern in LEAD_DATES:
            for found in pattern.finditer(block.text):
                mentions.setdefault((number, found.start("day")), found)
    ordered = [mentions[key] for key in sorted(mentions)]
    if not ordered:
        return FoundDate(None), None
    dated = [_build_date(m.groupdict(), int(m["year"]), zone) for m in ordered if m["year"]]
    if dated:
        chosen = _lead_date(dated)
        if chosen.moment or not [m for m in ordered if not m["year"]]:
            return chosen, None
    return _date_without_year(next(m for m in ordered if not m["year"]), blocks, zone), None


def _lead_date(dated: list[FoundDate]) -> FoundDate:
    """Choose among the full dates of the lead: dates recalled from the past are passed over, far-apart ones are not guessed."""
    valid = [d for d in dated if d.moment]
    if not valid:
        return dated[0]
    newest = max(d.moment for d in valid)
    recent = [d for d in valid if d.moment.year >= max(FIRST_PLAUSIBLE, newest.year - OLDER_YEARS)]
    past = ", ".join(d.written for d in valid if d not in recent)
    if not recent:
        return FoundDate(None, note=f"ngày {past} ở đầu bài là ngày trong quá khứ, không phải ngày đăng")
    if (max(d.moment for d in recent) - min(d.moment for d in recent)).days > SAME_EVENT_DAYS:
        shown = ", ".join(dict.fromkeys(d.written for d in recent))
        return FoundDate(None, note=f"đầu bài có nhiều ngày cách xa nhau ({shown}) — không chọn ngày nào")
    chosen = max(recent, key=lambda d: d.moment)
    if past:
        chosen.note = f"bỏ qua ngày {past} ở đầu bài (ngày trong quá khứ) — hãy kiểm tra"
    return chosen


def _date_without_year(found: re.Match, blocks: list[Block], zone: ZoneInfo) -> FoundDate:
    """Give a day and month the year the article mentions, when it mentions exactly one."""
    years = sorted({int(m) for b in blocks for p in _YEAR_MENTIONS for m in p.findall(b.text) if FIRST_PLAUSIBLE <= int(m) <= 2100})
    shown = f"{found['day']}/{found['month']}"
    if len(years) == 1:
        result = _build_date(found.groupdict(), years[0], zone)
        result.note = f'ngày "{shown}" trong bài, năm {years[0]} lấy từ dòng khác của bài — hãy kiểm tra'
        return result
    reason = "bài nhắc tới nhiều năm" if years else "bài không ghi năm"
    return FoundDate(None, note=f'bài có ngày "{shown}" nhưng {reason} — không đoán năm')


# --- Terms of office ---------------------------------------------------------------------------
_TERM_IN_TEXT = re.compile(
    r"(?<!\w)(?:(?P<label>nhiem\s+ky|nk|giai\s+doan|khoa)\s*:?\s*)?(?<!\d)(?P<start>\d{4})"
    r"\s*(?:[-–—‒−]|(?P<word>den|toi)(?:\s+nam)?)\s*(?P<end>\d{4})(?!\d)")
# A range of years right after these is a school year, a crop season or a plain span, never a term
# ("khóa" after "niên" is no label). Read on folded text: none of them is also a place name.
_NOT_TERM_BEFORE = re.compile(r"(?<!\w)(?:nam\s+hoc|nien\s+khoa|mua\s+vu)\s*:?\s*$")
# "năm" is read with its marks (or as "nam" in small letters, written without marks): "Nam" ends place names
# (Việt Nam, Hà Nam), and a range after a place is still a term.
_YEAR_BEFORE = re.compile(r"(?<!\w)(?:(?i:năm)|nam)\s*:?\s*$")
TERM_YEARS = 5


def find_terms(text: str) -> list[Term]:
    """Return the terms of office the text mentions, in order of first mention.

    "nhiệm kỳ", "giai đoạn" or "khóa" before a range of years makes it a term (2020 – 2025, 2020 đến 2025);
    a bare range counts only when it spans five years, and never right after "năm", "năm học", "niên khóa", "mùa vụ".
    """
    found: dict[Term, None] = {}
    written = canon(text)
    folded = "".join(fold(ch)[:1] or " " for ch in written)  # one character for each, so positions match
    for match in _TERM_IN_TEXT.finditer(folded):
        start, end = int(match["start"]), int(match["end"])
        years = match.start("start")  # what stands right before the years: the label, if any, or the word before
        if _NOT_TERM_BEFORE.search(folded, 0, years) or _YEAR_BEFORE.search(written, 0, years) \
                or not FIRST_YEAR <= start < end <= min(LAST_YEAR, start + 10):
            continue
        if match["label"] or (not match["word"] and end - start == TERM_YEARS):
            found.setdefault(Term(start, end))
    return list(found)


# --- Units -------------------------------------------------------------------------------------
_UNIT_HEAD = re.compile(
    r"(?<!\w)(?:(?:Huyện|Thị|Thành)\s+ủy|Đảng\s+(?:ủy|bộ)\s+(?:xã|phường|thị\s+trấn|huyện|thị\s+xã|thành\s+phố)"
    r"|Chi\s+bộ(?:\s+(?:ấp|thôn|khu\s+phố|khu))?)(?!\w)", re.I)
_BLOC_HEAD = re.compile(r"(?<!\w)Đảng\s+ủy\s+Khối(?!\w)", re.I)
_BLOC_WORDS = {"các", "cơ", "quan", "và", "doanh", "nghiệp", "tỉnh", "dân", "chính", "đảng", "trung", "ương"}
_BOARD = re.compile(
    r"(?<!\w)(?:Ban|Ủy\s+ban)\s+((?:[\w&]+\s+){1,5}?)(Tỉnh\s+ủy|Huyện\s+ủy|Thị\s+ủy|Thành\s+ủy|Đảng\s+ủy\s+Khối)(?!\w)", re.I)
_NOT_UNITS = ("thường vụ", "chấp hành", "thường trực", "chỉ đạo")


@dataclass
class UnitFindings:
    """Units the registry knows, names it does not, and spellings that fit more than one unit."""

    known: list[Unit] = field(default_factory=list)
    unknown: list[tuple[str, list[Unit]]] = field(default_factory=list)
    ambiguous: list[tuple[str, list[Unit]]] = field(default_factory=list)


def _label_pattern(label: str) -> str:
    """Return a regex for a label, any run of spaces between its words."""
    return r"\s+".join(re.escape(w) for w in label.split())


def _blank(text: str, start: int, end: int) -> str:
    """Replace a span with spaces so it is not matched again."""
    return text[:start] + " " * (end - start) + text[end:]


def _continues_name(text: str, end: int, label: str) -> bool:
    """Tell whether a capitalised word follows a label that ends in a lower-case word (a longer name)."""
    following = re.match(r"\s+(\w)", text[end:])
    return bool(following and following.group(1).isupper() and label.split()[-1][0].islower())




def find_units(text: str, registry: Registry) -> UnitFindings:
    """Find the units named in text: exact names and aliases, unaccented spellings, unknown candidates."""
    result = UnitFindings()
    work = canon(text)
    labels = sorted(((canon(label), unit.code) for unit in registry.units.values() for label in (unit.name, *unit.aliases)),
                    key=lambda item: len(item[0]), reverse=True)

    first: dict[str, int] = {}

    def add(unit: Unit, at: int) -> None:
        first[unit.code] = min(at, first.get(unit.code, at))

    # Names that go on with a capitalised word (Ban Tổ chức Tỉnh ủy Bình Phước, a title in capitals or title case):
    # the unit written in full if the text names it elsewhere; else a longer, unknown name.
    unsure: list[tuple[str, tuple[int, int]]] = []

    def take(span: tuple[int, int], code: str, label: str) -> bool:
        nonlocal work
        if _continues_name(work, span[1], label):
            unsure.append((code, span))
            return False
        work = _blank(work, *span)
        return True

    for label, code in labels:
        for match in list(re.finditer(rf"(?<!\w){_label_pattern(label)}(?!\w)", work, re.I)):
            if take(match.span(), code, label):
                add(registry.get(code), match.start())
    folded = fold(work)
    if len(folded) == len(work):
        by_fold: dict[str, set[str]] = {}
        spelt: dict[str, str] = {}  # a registry spelling of each folded key, for _continues_name
        for label, code in labels:
            key = " ".join(fold(label).split())
            by_fold.setdefault(key, set()).add(code)
            spelt.setdefault(key, label)
        for key in sorted(by_fold, key=len, reverse=True):
            for match in list(re.finditer(rf"(?<!\w){_label_pattern(key)}(?!\w)", folded)):
                span = work[match.start():match.end()]
                units = sorted((registry.get(c) for c in by_fold[key]), key=lambda u: u.code)
                if fold(span) != span.lower() or not take(match.span(), units[0].code if len(units) == 1 else "", spelt[key]):
                    continue  # written with marks: a different name, not an unaccented spelling
                if len(units) == 1:
                    add(units[0], match.start())
                elif not any(s == span for s, _ in result.ambiguous):
                    result.ambiguous.append((span, units))
                folded = _blank(folded, *match.span())
    for code, span in unsure:
        if code in first:
            work = _blank(work, *span)
    seen = {lookup_key(registry.get(code).name) for code in first}
    for at, name in _candidates(work):
        key = lookup_key(name)
        if key in seen:
            continue
        seen.add(key)
        unit = registry.resolve(name)
        if unit:
            add(unit, at)
        else:
            result.unknown.append((name, registry.suggest(name)))
    result.known = [registry.get(code) for code in sorted(first, key=lambda c: (first[c], c))]
    return result


def _candidates(text: str) -> list[tuple[int, str]]:
    """Return names that look like units (Huyện ủy X, Đảng ủy Khối …, Ban … Tỉnh ủy), in order of mention."""
    found: list[tuple[int, str]] = []
    for match in _UNIT_HEAD.finditer(text):
        words = _following(text, match, lambda w: w[0].isupper() or w.isdigit(), 4)
        if words:
            found.append((match.start(), " ".join([*match.group(0).split(), *words])))
    for match in _BLOC_HEAD.finditer(text):
        words = _following(text, match, lambda w: w.lower() in _BLOC_WORDS or w[0].isupper(), 7)
        while words and words[-1].lower() in ("và", "các"):
            words.pop()
        if words:
            found.append((match.start(), " ".join([*match.group(0).split(), *words])))
    for match in _BOARD.finditer(text):
        middle = " ".join(match.group(1).split())
        if middle.lower().startswith(_NOT_UNITS) or "," in middle:
            continue
        words = _following(text, match, lambda w: w[0].isupper(), 3)
        found.append((match.start(), " ".join([*match.group(0).split(), *words])))
    return sorted(found)


# Titles of office written before a unit and its holder's name (Bí thư Huyện ủy Nguyễn Văn A).
_TITLE_BEFORE = re.compile(r"(?<!\w)(?:bí\s+thư|chủ\s+tịch|ủy\s+viên|trưởng(?:\s+ban)?|phó(?:\s+ban)?|thường\s+trực"
                           r"|thường\s+vụ|chấp\s+hành|chánh\s+văn\s+phòng|chủ\s+nhiệm|giám\s+đốc)"
                           r"\s+(?:(?:Ban|Ủy\s+ban)\s+(?:[\w&]+\s+){1,5}?)?$", re.I)  # Trưởng Ban Dân vận Huyện ủy …
# Common Vietnamese family names, for telling a person's name after a unit.
SURNAMES = frozenset(
    "nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý lí đinh trương mai tạ đào đoàn lương lâm "
    "trịnh hà cao lưu chu tô châu quách thái tống kiều triệu nông mạc phùng vương thân từ diệp lại hứa khổng lục "
    "giang tăng doãn lữ lã thạch".split())


PLACE_AND_NAME = 3  # a shorter run of capitalised words after a unit is its place (Cao Lộc, Lâm Hà), not a name


def _person_at(words: list[str]) -> int | None:
    """Return where a person's name (a family name and one to three more capitalised words) closes a run of words.

    Place names may start with a family name too (Lộc Thái, Cao Lộc): a run of two words is a place, and in a
    longer one a name of three words is the likeliest, then four, then two.
    """
    if len(words) < PLACE_AND_NAME:
        return None
    starts = {len(words) - index: index for index, word in enumerate(words)
              if canon(word).lower() in SURNAMES and all(w[0].isupper() and not w.isdigit() for w in words[index:])}
    return next((starts[size] for size in (3, 4, 2) if size in starts), None)


def _following(text: str, head: re.Match, keep, limit: int) -> list[str]:
    """Return the words after a unit's head while `keep` accepts them (no punctuation in between).

    After a title of office (Bí thư Huyện ủy …) the words stop before a person's name that closes the run.
    """
    words = []
    match = _NEXT_WORD.match(text, head.end())
    while match and len(words) < limit + 4 and keep(match.group(1)):
        words.append(match.group(1))
        match = _NEXT_WORD.match(text, match.end())
    person = _person_at(words) if _TITLE_BEFORE.search(text, max(0, head.start() - 80), head.start()) else None
    return words[:person][:limit] if person is not None else words[:limit]


_NEXT_WORD = re.compile(r"[ \t]+([\w&]+)")


# --- Closing lines: junk and author ------------------------------------------------------------
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
_NAME_WORD = re.compile(r"^[^\W\d_]+$")


_SOURCE = re.compile(r"^\(?\s*(?:nguồn(?:\s+tin)?\s*:|theo\s+(?:báo(?!\s+cáo)|đài|cổng\s+thông\s+tin|trang|tạp\s+chí|TTXVN|VOV|VTV)(?!\w))", re.I)


def is_source(text: str) -> bool:
    """Tell whether a line names where the article was taken from (Nguồn: Báo …, Theo Báo …)."""
    return bool(_SOURCE.match(canon(text))) and len(text.split()) <= 15


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


def _is_name(text: str, capitals: bool = False) -> bool:
    """Tell whether text is a person's name: two to five words, each capitalised (or all in capitals)."""
    words = text.split()
    if not 2 <= len(words) <= 5 or not all(_NAME_WORD.match(w) for w in words):
        return False
    if capitals:
        return all(w.isupper() for w in words)
    return all(w[0].isupper() and (len(w) == 1 or w[1:].islower()) for w in words)


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
    return " ".join(w.capitalize() for w in name.split()) if _is_name(name, capitals=True) else name


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
    if not 1 <= len(words) <= 12 or text.rstrip().endswith(_SENTENCE_END[1:] if text.isupper() else _SENTENCE_END):
        return False
    if registry and registry.resolve(" ".join(words)):
        return True
    head = next((w for w in _OFFICE_WORDS if fold(text).startswith(w)), None)
    if head is None or not _office_name(words[len(head.split()):]):
        return False
    lower = canon(text).lower().split()
    if lower[0] in SURNAMES and (_is_name(text) or _is_name(text, capitals=True)) and not _UNIT_WORDS & set(lower):
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
    if office and (_is_name(name) or _is_name(name, capitals=True)) and _office_like(office):
        return _person(name), office
    if _is_name(text, capitals=True) or (_is_name(text) and len(text) <= 40):
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


# --- Captions ----------------------------------------------------------------------------------
# A line that ends in a bracket, "(Ảnh: Minh Trí)", may still be a caption: ")" is no full stop.
_SENTENCE_END = (".", ";", ":", "!", "?", "…", "./.", '"', "”")
# A photo mentioned: "Ảnh: …", "(Ảnh …)", "Ảnh minh họa", "Ảnh TL" (not "hình ảnh:").
_PHOTO = re.compile(r"(?<!hình )(?<!\w)ảnh\s*(?::|minh\s*họa|tư\s*liệu|TL(?!\w))|\(\s*ảnh(?!\w)", re.I)
_CREDIT = re.compile(r"^\(?\s*ảnh\s*:", re.I)  # a line that is only the photo's credit
# How captions open when they describe the photo itself.
_CAPTION_OPENINGS = ("quang cảnh", "toàn cảnh", "một góc", "các đại biểu", "đại biểu", "đồng chí", "các đồng chí", "đ/c")
# Actions a photo shows; one after the first word (the people doing it) makes a scene.
_SCENE = re.compile(
    r"(?<!\w)(?:phát biểu|trao|tặng|chụp ảnh|cắt băng|ra quân|dâng hương|dâng hoa|thăm|tham quan|trình bày|thảo luận"
    r"|biểu quyết|bỏ phiếu|tuyên thệ|chúc mừng|khảo sát|làm việc|chủ trì|hướng dẫn|ký kết|kí kết|trồng cây|dọn vệ sinh"
    r"|quán triệt|khai mạc|bế mạc|phát động"
    r"|tham dự|gắn huy hiệu|giao lưu|biểu diễn|thi đấu|diễn tập|tặng hoa|bắt tay)(?!\w)")


def caption_like(block: Block) -> bool:
    """Tell whether a line has a caption's shape: short, no closing punctuation, not a list item."""
    words = block.text.split()
    return (
        block.kind == "p"
        and 0 < len(words) <= CAPTION_WORDS
        and not block.text.endswith(_SENTENCE_END)
        and any(ch.isalpha() for ch in block.text)
    )


def is_caption(block: Block) -> bool:
    """Tell whether a line is a photo's caption: it names a photo, or it has a caption's shape and describes a scene.

    A short line without a full stop alone is not enough: subheadings and sentences that lost their
    full stop look the same.
    """
    if block.kind != "p" or not 0 < len(block.text.split()) <= CAPTION_WORDS or is_source(block.text):
        return False
    if _PHOTO.search(block.text):
        return True
    if not caption_like(block):
        return False
    text = canon(block.text).lower()
    scene = _SCENE.search(text)
    return text.startswith(_CAPTION_OPENINGS) or bool(scene and scene.start() > 0)


def mark_captions(body: list[Block]) -> tuple[list[Block], int]:
    """Render photo captions as italic paragraphs, joining the lines of one caption that stood together."""
    result: list[Block] = []
    count = 0
    for index, block in enumerate(body):
        previous = result[-1] if result else None
        following = body[index + 1] if index + 1 < len(body) else None
        if previous and previous.kind == "caption" and caption_like(block) \
                and (block.text[0].islower() or (previous.group == block.group and _CREDIT.match(block.text))):
            previous.text = f"{previous.text} {block.text}"  # the caption goes on (no paragraph starts small), or its credit
            previous.md = f"*{escape(previous.text)}*"
        elif is_caption(block) or (caption_like(block) and following and following.group == block.group
                                   and _CREDIT.match(following.text)):
            count += 1
            result.append(Block(text=block.text, md=f"*{escape(block.text)}*", kind="caption", group=block.group, line=block.line))
        else:
            result.append(block)
    return result, count


def attach_captions(body: list[Block], pictures: list[Picture]) -> list[Block]:
    """Give each image of a .docx file the short paragraph after it as its caption."""
    result: list[Block] = []
    index = 0
    while index < len(body):
        block = body[index]
        result.append(block)
        following = body[index + 1] if index + 1 < len(body) else None
        if block.kind == "img" and following and following.kind == "p" and len(following.text.split()) <= CAPTION_WORDS \
                and (following.italic or caption_like(following) or _PHOTO.search(following.text)):
            pictures[block.image].caption = following.text
            index += 1
            credit = body[index + 1] if index + 1 < len(body) else None
            if credit and credit.kind == "p" and _CREDIT.match(credit.text) and len(credit.text.split()) <= CAPTION_WORDS:
                pictures[block.image].caption += " " + credit.text
                index += 1
        index += 1
    return result


# --- The whole article -------------------------------------------------------------------------
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

    @property
    def missing(self) -> list[str]:
        """Return the required fields the source did not give."""
        return [name for name, value in (("title", self.title), ("date", self.date.moment), ("units", self.units.known)) if not value]

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
        except (legacy.EncodingUnsure, UnicodeDecodeError) as error:
            raise ImportFailure(str(error) if isinstance(error, legacy.EncodingUnsure) else "tệp không đọc được bằng bảng mã đã khai báo") from None
        article.encoding = decoded.encoding
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
    article.terms = find_terms(full_text)
    if article.pictures:
        article.body = attach_captions(blocks, article.pictures)
        article.captions = sum(1 for p in article.pictures if p.caption)
    else:
        article.body, article.captions = mark_captions(blocks)
    return article


def render(article: Article) -> str:
    """Return the Markdown file: front matter with what was found, then the body."""
    lines = ["---"]
    if article.title:
        lines.append(f"title: {quote_yaml(article.title)}")
    if article.date.moment:
        lines.append(f"date: {quote_yaml(article.date.written)}")
    if article.units.known:
        lines += ["units:"] + [f"  - {u.code}" for u in article.units.known]
    if article.terms:
        lines += ["terms:"] + [f"  - {quote_yaml(t.label)}" for t in article.terms]
    if article.author:
        lines.append(f"author: {quote_yaml(article.author)}")
    if article.author_title:
        lines.append(f"author_title: {quote_yaml(article.author_title)}")
    if article.missing:
        lines.append(f"# Cần điền: {', '.join(FIELD_NAMES[m] for m in article.missing)}; xong thì xóa dòng status dưới đây.")
        lines.append("status: draft")
    lines += ["---", ""]
    for block in article.body:
        if block.kind == "img":
            picture = article.pictures[block.image]
            if not picture.path:
                continue
            caption = picture.caption
            alt = caption or picture.alt or "Ảnh"
            quote = "'" if '"' in caption and "'" not in caption else '"'
            title = f" {quote}{caption}{quote}" if caption and quote not in caption else ""
            lines += [f"![{escape(alt)}]({picture.path}{title})", ""]
        elif block.md:
            lines += [block.md, ""]
    return "\n".join(lines).rstrip("\n") + "\n"


FIELD_NAMES = {"title": "tiêu đề (title)", "date": "ngày đăng (date)", "units": "đơn vị (units)"}


def target_path(article: Article, content: str, now: datetime) -> str:
    """Return content/articles/<yyyy>/<slug>.md for an article (this year when it has no date)."""
    year = article.date.moment.year if article.date.moment else now.year
    return article_file(content, year, article.slug)


def place_pictures(article: Article, content: str, year: int, write: bool) -> list[str]:
    """Give each image a free name under content/images/<yyyy>/ and write it (never over an existing file)."""
    written = []
    folder = os.path.join(content, image_folder(year))
    number = 1
    for picture in article.pictures:
        if not picture.extension:
            continue
        while True:
            name = f"{article.slug}-{number}{picture.extension}"
            number += 1
            full = os.path.join(folder, name)
            if not os.path.exists(full):
                break
        picture.path = f"{image_folder(year)}/{name}"
        if write:
            os.makedirs(folder, exist_ok=True)
            with open(full, "xb") as handle:  # x: fail rather than replace a file that appeared meanwhile
                handle.write(picture.data)
            written.append(full)
    return written


def report(article: Article, target: str, shown: str) -> list[str]:
    """Describe, in Vietnamese, what was found and what the editor must fill in."""
    source_kind = article.encoding.replace(WORD, "tệp Word") if article.encoding.startswith(WORD) else f"bảng mã: {article.encoding}"
    lines = [f"{shown} → {target} ({source_kind})"]
    if article.title:
        lines.append(f"  tiêu đề: {article.title}")
    if article.date.moment:
        lines.append(f"  ngày đăng: {article.date.written}")
    if article.date.note:
        lines.append(f"  lưu ý ngày: {article.date.note}")
    if article.units.known:
        lines.append("  đơn vị: " + "; ".join(f"{u.name} ({u.code})" for u in article.units.known))
    for span, units in article.units.ambiguous:
        lines.append(f'  "{span}" viết không dấu, ứng với nhiều đơn vị: {unit_choices(units, quoted=False)} — hãy chọn')
    for name, near in article.units.unknown:
        hint = f" — gần nhất: {unit_choices(near, quoted=False)}" if near else ""
        lines.append(f'  tên đơn vị chưa có trong danh sách: "{name}"{hint}')
    if article.terms:
        lines.append("  nhiệm kỳ: " + ", ".join(t.label for t in article.terms))
    if article.author:
        lines.append(f"  tác giả: {article.author}" + (f" ({article.author_title})" if article.author_title else ""))
    if article.renamed_from:
        lines.append(f"  đã có tệp {article.renamed_from} (bài khác cùng tiêu đề) — bài này lưu tên khác; hãy sửa tiêu đề nếu cần")
    tables = sum(1 for b in article.body if b.kind == "table")
    if tables:
        lines.append(f"  bảng: {tables} — đã chuyển thành bảng Markdown, hãy xem lại")
    if article.captions:
        lines.append(f"  chú thích ảnh: {article.captions}")
    images = [p.path for p in article.pictures if p.path]
    if images:
        lines.append("  ảnh: " + ", ".join(images))
    if article.removed:
        lines.append(f"  đã bỏ phần cuối trang: {' / '.join(article.removed[:5])}")
    if article.missing:
        lines.append(f"  CẦN ĐIỀN: {', '.join(FIELD_NAMES[m] for m in article.missing)} — bài để ở trạng thái nháp (status: draft)")
    else:
        lines.append("  đủ các khóa bắt buộc — hãy đọc lại bài trước khi đăng")
    return lines


def _front_matter_lines(text: str) -> set[str]:
    """Return the title and date lines of a Markdown file's front matter (as this importer writes them)."""
    head = text.split("\n---", 1)[0]
    return {line.strip() for line in head.splitlines() if line.startswith(("title:", "date:"))}


def _same_article(target: str, markdown: str, planned: dict[str, str]) -> bool:
    """Tell whether the file at target (on disk, or planned by this run) has this article's title and date."""
    if target in planned:
        existing = planned[target]
    else:
        try:
            with open(target, encoding="utf-8", errors="replace") as handle:
                existing = handle.read()
        except OSError:
            return True  # unreadable: never guess that a name is free
    wanted = _front_matter_lines(markdown)
    if wanted:
        return _front_matter_lines(existing) >= wanted
    return _body(existing) == _body(markdown)  # no title nor date to compare: the same text is the same article


def _body(markdown: str) -> str:
    """Return what follows a Markdown file's front matter, stripped."""
    return markdown.split("\n---", 1)[-1].strip()


def choose_target(article: Article, content: str, now: datetime, planned: dict[str, str]) -> str:
    """Return the path for the article: the title's own name, or the next free -2, -3… when another article has it.

    The same article imported again (a file of one of these names has its title and date) is refused, never
    written twice.
    """
    target = target_path(article, content, now)
    if not (os.path.exists(target) or target in planned):
        return target
    markdown, original, base = render(article), target, article.slug
    for number in range(2, 1000):
        if _same_article(target, markdown, planned):
            raise ImportFailure(f"đã có tệp {target} cùng tiêu đề và ngày — bài này đã được nhập, không ghi đè")
        article.name = f"{base}-{number}"
        candidate = target_path(article, content, now)
        if not (os.path.exists(candidate) or candidate in planned):
            article.renamed_from = original
            return candidate
        target = candidate
    raise ImportFailure(f"đã có tệp {target} và quá nhiều tệp cùng tên — không ghi đè")


def import_file(path: str, content: str, registry: Registry, zone: ZoneInfo, now: datetime, dry_run: bool,
                planned: dict[str, str] | None = None) -> tuple[str, list[str]]:
    """Import one file; return its Markdown and its report lines, or raise ImportFailure.

    `planned` maps the targets this run already chose to their Markdown, so a dry run names what a real run writes.
    """
    planned = {} if planned is None else planned
    if not os.path.isfile(path):
        raise ImportFailure("không tìm thấy tệp")
    article = read_article(path, registry, zone)
    target = choose_target(article, content, now, planned)
    year = int(os.path.basename(os.path.dirname(target)))
    written = place_pictures(article, content, year, write=not dry_run)
    markdown = render(article)
    if not dry_run:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        try:
            with open(target, "x", encoding="utf-8") as handle:
                handle.write(markdown)
        except FileExistsError:
            for image in written:
                os.remove(image)  # images this run just wrote for an article it could not write
            raise ImportFailure(f"đã có tệp {target} — không ghi đè") from None
    planned[target] = markdown
    return markdown, report(article, target, path)


def run(paths: list[str], content: str, registry: Registry, zone: ZoneInfo, dry_run: bool = False,
        now: datetime | None = None, out=None, err=None) -> int:
    """Import every file; print Markdown (dry run) and reports; return the exit code (1 if any file failed)."""
    out, err = out or sys.stdout, err or sys.stderr
    now = now or datetime.now(zone)
    failed = 0
    planned: dict[str, str] = {}
    for path in paths:
        try:
            markdown, lines = import_file(path, content, registry, zone, now, dry_run, planned)
        except ImportFailure as error:
            print(f"{path}: {error}", file=err)
            failed += 1
            continue
        if dry_run:
            out.write(markdown)
        print("\n".join(lines), file=err if dry_run else out)
    if failed:
        print(f"{failed}/{len(paths)} tệp không nhập được.", file=err)
    return 1 if failed else 0


def _scratch(name: str) -> bool:
    """Tell whether a file name is Word's lock file (~$…) or a hidden file, never an article."""
    return name.startswith(("~$", "."))


def expand_sources(given: list[str]) -> list[str]:
    """Turn the files, folders and patterns an editor gave into the list of files to import."""
    found: list[str] = []
    for item in given:
        if os.path.isdir(item):
            found += sorted(os.path.join(item, f) for f in os.listdir(item) if f.lower().endswith(SOURCE_TYPES) and not _scratch(f))
        elif any(ch in item for ch in "*?["):
            found += sorted(f for f in glob.glob(item) if not _scratch(os.path.basename(f)))
        else:
            found.append(item)
    return list(dict.fromkeys(found))
