"""Dates: read the formats editors write (ISO or day-first) and show them in Vietnamese."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from .errors import DateError

FIRST_YEAR, LAST_YEAR = 1930, 2100  # a year outside this range is a typo (2202 for 2022), not news
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")

_TIME = r"(?P<hour>\d{1,2})(?::|h|g)(?P<minute>\d{2})?(?::(?P<second>\d{2}))?"
_FRACTION = r"(?:[.,]\d+)?"  # fractions of a second (ISO 8601 allows them; a news date does not need them)
_ZONE = r"(?:\s?(?P<zone>Z|[+-]\d{2}(?::?\d{2})?))?"  # Z, +07, +0700 or +07:00, a space before it allowed
PATTERNS = (
    # 2022-04-04, 2022-04-04 08:30, 2022-04-04T08:30:00+07:00, 2024-11-05T08:30:00.000+07:00, 2022-04-04 08:30 +07
    re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?:[T ]" + _TIME + _FRACTION + _ZONE + r")?"),
    # ISO 8601 basic format: 20220404, 20220404T083000+0700 (the month must be 01-12, so ddmmyyyy never fits)
    re.compile(r"(?P<year>\d{4})(?P<month>0[1-9]|1[0-2])(?P<day>\d{2})"
               r"(?:T(?P<hour>\d{2})(?P<minute>\d{2})(?P<second>\d{2})?" + _FRACTION + _ZONE + r")?"),
    # 04/04/2022, 4-4-2022, 04.04.2022, each with an optional time after
    re.compile(r"(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4})(?:,?\s+(?:lúc\s+)?" + _TIME + r")?"),
    # 08:30 04/04/2022 (time first, as news sites print it)
    re.compile(_TIME + r",?\s+(?:ngày\s+)?(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4})"),
    # ngày 4 tháng 4 năm 2022
    re.compile(r"(?:ngày\s+)?(?P<day>\d{1,2})\s+tháng\s+(?P<month>\d{1,2})\s+năm\s+(?P<year>\d{4})", re.I),
)
_SHORT_YEAR = re.compile(r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{2}(\s|$)")
_NO_YEAR = re.compile(r"^\d{1,2}[/.-]\d{1,2}$")


def parse_date(value: str, zone: ZoneInfo) -> datetime:
    """Read a date written as ISO 8601 or day-first dd/mm/yyyy [HH:MM]; return it time-zone aware."""
    text = " ".join(str(value).split())
    if _SHORT_YEAR.match(text):
        raise DateError(f'ngày "{text}" có năm hai chữ số, dễ hiểu nhầm — hãy viết đủ bốn chữ số (ví dụ 05/03/2025)')
    if _NO_YEAR.match(text):
        raise DateError(f'ngày "{text}" thiếu năm — hãy viết dạng dd/mm/yyyy (ví dụ 05/03/2025)')
    for pattern in PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            return _build(match, text, zone)
    raise DateError(
        f'không đọc được ngày "{text}" — hãy viết dạng dd/mm/yyyy (ví dụ 05/03/2025), '
        "có thể thêm giờ HH:MM, hoặc dạng yyyy-mm-dd"
    )


def _build(match: re.Match, text: str, zone: ZoneInfo) -> datetime:
    """Turn the named groups of a date match into an aware datetime, or raise DateError."""
    parts = match.groupdict()
    try:
        day = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError:
        raise DateError(f'ngày "{text}" không có thật (ngày {parts["day"]} tháng {parts["month"]} năm {parts["year"]})'
                        + _swapped(match, text)) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise DateError(f'năm {day.year} trong ngày "{text}" nằm ngoài khoảng {FIRST_YEAR}–{LAST_YEAR} — có gõ nhầm không?')
    hour = int(parts.get("hour") or 0)
    minute = int(parts.get("minute") or 0)
    second = int(parts.get("second") or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise DateError(f'giờ trong "{text}" không hợp lệ (giờ 0–23, phút 0–59)')
    moment = datetime.combine(day, time(hour, minute, second))
    offset = parts.get("zone")
    if offset:
        return moment.replace(tzinfo=_offset(offset, text)).astimezone(zone)
    return moment.replace(tzinfo=zone)


def _swapped(match: re.Match, text: str) -> str:
    """Suggest the date with day and month swapped (12/31/2022 -> 31/12/2022) when that one is real."""
    parts = match.groupdict()
    try:
        date(int(parts["year"]), int(parts["day"]), int(parts["month"]))
    except ValueError:
        return ""
    (first, first_end), (second, second_end) = sorted((match.span("day"), match.span("month")))
    fixed = text[:first] + text[second:second_end] + text[first_end:second] + text[first:first_end] + text[second_end:]
    return f" — có phải {fixed}?"


def _offset(written: str, text: str) -> timezone:
    """Read a UTC offset (Z, +07, +0700, +07:00); one beyond ±14:00 is a typo."""
    if written == "Z":
        return UTC
    digits = written[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 14 or minutes > 59:
        raise DateError(f'múi giờ "{written}" trong "{text}" không hợp lệ — giờ Việt Nam là +07:00')
    shift = timedelta(hours=hours, minutes=minutes)
    return timezone(-shift if written[0] == "-" else shift)


def weekday_name(moment: date) -> str:
    """Return the Vietnamese name of the day of the week (Thứ Hai … Chủ nhật)."""
    return WEEKDAYS[moment.weekday()]


def format_date(moment: date) -> str:
    """Format a date the Vietnamese way: Thứ Hai, 04/04/2022."""
    return f"{weekday_name(moment)}, {moment:%d/%m/%Y}"


def format_short_date(moment: date) -> str:
    """Format a date as dd/mm/yyyy."""
    return f"{moment:%d/%m/%Y}"


def format_datetime(moment: datetime) -> str:
    """Format a date and time: Thứ Hai, 04/04/2022, 08:30 (the time only when one was given)."""
    if (moment.hour, moment.minute) == (0, 0):
        return format_date(moment)
    return f"{format_date(moment)}, {moment:%H:%M}"


def format_month(year: int, month: int) -> str:
    """Name a month of a year: Tháng 4/2022."""
    return f"Tháng {month}/{year}"
