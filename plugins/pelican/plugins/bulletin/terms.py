"""Terms of office (nhiệm kỳ): one canonical form, `2020–2025`, whatever the editor typed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import TermError
from .text import fold

_PREFIX = r"(?:(?:nhiem\s*ky|nk|giai\s*doan|khoa)\s*:?\s*)?(?P<start>\d{4})\s*(?:-|–|—|‒|−|~|/|den|toi)\s*"
_TERM = re.compile(_PREFIX + r"(?P<end>\d{4})")
_SHORT_END = re.compile(_PREFIX + r"(?P<end>\d{2})")  # 2020-25: the end year cut to two digits
FIRST_YEAR, LAST_YEAR = 1930, 2100


@dataclass(frozen=True, order=True)
class Term:
    """A term of office, identified by its start and end years."""

    start: int
    end: int

    @property
    def code(self) -> str:
        """The ASCII form used in URLs and filters: 2020-2025."""
        return f"{self.start}-{self.end}"

    @property
    def label(self) -> str:
        """The form shown to readers: 2020–2025."""
        return f"{self.start}–{self.end}"

    def __str__(self) -> str:
        return self.label


def parse_term(value: str) -> Term:
    """Read "2020-2025", "2020 – 2025" or "nhiệm kỳ 2020–2025" as a Term."""
    text = " ".join(str(value).split())
    match = _TERM.fullmatch(fold(text).strip())
    if not match:
        raise TermError(f'nhiệm kỳ "{text}" không đúng dạng năm–năm (ví dụ 2020–2025){_full_end(text)}')
    start, end = int(match["start"]), int(match["end"])
    if not (FIRST_YEAR <= start <= LAST_YEAR and FIRST_YEAR <= end <= LAST_YEAR):
        raise TermError(f'nhiệm kỳ "{text}" có năm ngoài khoảng {FIRST_YEAR}–{LAST_YEAR}')
    if end <= start:
        raise TermError(f'nhiệm kỳ "{text}": năm kết thúc phải sau năm bắt đầu')
    return Term(start, end)


def _full_end(text: str) -> str:
    """Suggest the term with a two-digit end year written in full (2020-25 -> 2020–2025)."""
    match = _SHORT_END.fullmatch(fold(text).strip())
    if not match:
        return ""
    start = int(match["start"])
    end = start - start % 100 + int(match["end"])
    if end <= start:
        end += 100  # 1998-03 is 1998–2003
    if not FIRST_YEAR <= start < end <= LAST_YEAR:
        return ""
    return f" — năm kết thúc phải đủ bốn chữ số: có phải {Term(start, end).label}?"


def find_terms(text: str) -> list[Term]:
    """Return every well-formed term mentioned in free text, in order of first mention."""
    found: dict[Term, None] = {}
    for match in re.finditer(r"(?<!\d)(\d{4})\s*(?:-|–|—|‒|−)\s*(\d{4})(?!\d)", text):
        start, end = int(match[1]), int(match[2])
        if FIRST_YEAR <= start < end <= LAST_YEAR and end - start <= 10:
            found.setdefault(Term(start, end))
    return list(found)
