"""Terms of office (nhiệm kỳ): one canonical form, `2020–2025`, whatever the editor typed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import fold

_TERM = re.compile(
    r"(?:(?:nhiem\s*ky|nk|giai\s*doan|khoa)\s*:?\s*)?"
    r"(?P<start>\d{4})\s*(?:-|–|—|‒|−|~|/|den|toi)\s*(?P<end>\d{4})"
)
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


class TermError(ValueError):
    """A term written in a form that cannot be read; the message is Vietnamese."""


def parse_term(value: str) -> Term:
    """Read "2020-2025", "2020 – 2025" or "nhiệm kỳ 2020–2025" as a Term."""
    text = " ".join(str(value).split())
    match = _TERM.fullmatch(fold(text).strip())
    if not match:
        raise TermError(f'nhiệm kỳ "{text}" không đúng dạng năm–năm (ví dụ 2020–2025)')
    start, end = int(match["start"]), int(match["end"])
    if not (FIRST_YEAR <= start <= LAST_YEAR and FIRST_YEAR <= end <= LAST_YEAR):
        raise TermError(f'nhiệm kỳ "{text}" có năm ngoài khoảng {FIRST_YEAR}–{LAST_YEAR}')
    if end <= start:
        raise TermError(f'nhiệm kỳ "{text}": năm kết thúc phải sau năm bắt đầu')
    return Term(start, end)


def find_terms(text: str) -> list[Term]:
    """Return every well-formed term mentioned in free text, in order of first mention."""
    found: dict[Term, None] = {}
    for match in re.finditer(r"(?<!\d)(\d{4})\s*(?:-|–|—|‒|−)\s*(\d{4})(?!\d)", text):
        start, end = int(match[1]), int(match[2])
        if FIRST_YEAR <= start < end <= LAST_YEAR and end - start <= 10:
            found.setdefault(Term(start, end))
    return list(found)
