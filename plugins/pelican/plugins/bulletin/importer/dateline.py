"""The date of an article: a dateline (12:23 04/04/2022, Bình Phước, ngày 12/8/2024, THỨ NĂM, 01/04/2021 …) near the
top, else a date in the lead (Sáng 12/8, …) when it is clearly the event's; never a guess."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from ..dates import LAST_YEAR, parse_date
from ..errors import DateError
from .blocks import Block

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
    years = sorted({int(m) for b in blocks for p in _YEAR_MENTIONS for m in p.findall(b.text) if FIRST_PLAUSIBLE <= int(m) <= LAST_YEAR})
    shown = f"{found['day']}/{found['month']}"
    if len(years) == 1:
        result = _build_date(found.groupdict(), years[0], zone)
        result.note = f'ngày "{shown}" trong bài, năm {years[0]} lấy từ dòng khác của bài — hãy kiểm tra'
        return result
    reason = "bài nhắc tới nhiều năm" if years else "bài không ghi năm"
    return FoundDate(None, note=f'bài có ngày "{shown}" nhưng {reason} — không đoán năm')
