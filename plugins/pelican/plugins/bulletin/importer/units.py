"""The units an article names: the registry's names and aliases (any tone placement, or written without marks),
and names that look like units but are not in the registry, with the closest ones."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..registry import Registry, Unit
from ..text import canon, fold, lookup_key
from .lines import SURNAMES

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


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """Replace spans (sorted) with spaces so they are not matched again; one pass over the text."""
    parts, done = [], 0
    for start, end in spans:
        start = max(start, done)  # overlapping spans: blank each character once
        if end > start:
            parts += [text[done:start], " " * (end - start)]
            done = end
    return "".join(parts) + text[done:]


_NEXT_INITIAL = re.compile(r"\s+(\w)")


def _continues_name(text: str, end: int, label: str) -> bool:
    """Tell whether a capitalised word follows a label that ends in a lower-case word (a longer name)."""
    following = _NEXT_INITIAL.match(text, end)
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
    taken: list[tuple[int, int]] = []  # spans of one label, blanked together once its matches are all seen

    def take(span: tuple[int, int], code: str, label: str) -> bool:
        if _continues_name(work, span[1], label):
            unsure.append((code, span))
            return False
        taken.append(span)
        return True

    for label, code in labels:
        for match in re.finditer(rf"(?<!\w){_label_pattern(label)}(?!\w)", work, re.I):
            if take(match.span(), code, label):
                add(registry.get(code), match.start())
        work, taken[:] = _blank(work, taken), []
    folded = fold(work)
    if len(folded) == len(work):
        by_fold: dict[str, set[str]] = {}
        spelt: dict[str, str] = {}  # a registry spelling of each folded key, for _continues_name
        for label, code in labels:
            key = " ".join(fold(label).split())
            by_fold.setdefault(key, set()).add(code)
            spelt.setdefault(key, label)
        for key in sorted(by_fold, key=len, reverse=True):
            blanked: list[tuple[int, int]] = []
            for match in re.finditer(rf"(?<!\w){_label_pattern(key)}(?!\w)", folded):
                span = work[match.start():match.end()]
                units = sorted((registry.get(c) for c in by_fold[key]), key=lambda u: u.code)
                if fold(span) != span.lower() or not take(match.span(), units[0].code if len(units) == 1 else "", spelt[key]):
                    continue  # written with marks: a different name, not an unaccented spelling
                if len(units) == 1:
                    add(units[0], match.start())
                elif not any(s == span for s, _ in result.ambiguous):
                    result.ambiguous.append((span, units))
                blanked.append(match.span())
            work, taken[:] = _blank(work, taken), []
            folded = _blank(folded, blanked)
    work = _blank(work, sorted(span for code, span in unsure if code in first))
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
