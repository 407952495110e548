"""Terms of office (nhiệm kỳ): one canonical form, `2020–2025`, whatever the editor typed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import FIRST_YEAR, LAST_YEAR
from .errors import TermError
from .text import canon, fold

_PREFIX = r"(?:(?:nhiem\s*ky|nk|giai\s*doan|khoa)\s*:?\s*)?(?P<start>\d{4})\s*(?:-|–|—|‒|−|~|/|den|toi)\s*"
_TERM = re.compile(_PREFIX + r"(?P<end>\d{4})")
_SHORT_END = re.compile(_PREFIX + r"(?P<end>\d{2})")  # 2020-25: the end year cut to two digits
SHORTEST, LONGEST = 2, 10  # years a term may span: a congress term is 5, a cell's used to be 2 or 3


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
    if not SHORTEST <= end - start <= LONGEST:
        usual = Term(start, start + 5).label
        raise TermError(f'nhiệm kỳ "{text}" dài {end - start} năm — một nhiệm kỳ dài từ {SHORTEST} đến {LONGEST} năm '
                        f"(thường là 5 năm); có phải {usual}?")
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
                or not FIRST_YEAR <= start < end <= LAST_YEAR or not SHORTEST <= end - start <= LONGEST:
            continue
        if match["label"] or (not match["word"] and end - start == TERM_YEARS):
            found.setdefault(Term(start, end))
    return list(found)
