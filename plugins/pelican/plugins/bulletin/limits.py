"""Sizes the tools accept, checked before the expensive work: each refusal says the limit and what to do.

A bulletin article is a few pages of text; what goes far beyond that is a pasted mistake or an attack, and some
shapes of Markdown cost Python-Markdown time that grows faster than their length (an unclosed "[" makes it scan
the rest of the paragraph, every inline element copies the paragraph once, each nested list is one more level of
recursion). With each paragraph bounded in size and in those shapes, the time to convert an article grows in
proportion to its length: an article at ARTICLE_BYTES converts in a few seconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MB = 1024 * 1024
ARTICLE_BYTES = MB  # one article file (Markdown); a long congress report is about 150 KB
SLUG_CHARS = 200  # the last part of an article's address (a file name: at most 255 bytes on most disks)
PARAGRAPH_CHARS = 10_000  # one paragraph (lines not separated by a blank line); a long one is about 2,000
UNCLOSED_BRACKETS = 20  # "[" without a "]" in one paragraph, or "](" without a ")"
BRACKET_DEPTH = 4  # [ inside [ inside [ … (a photo inside a link is 2)
NESTING = 16  # lists and quotes inside each other
LIST_INDENT = 64  # columns of indentation before a list marker
ABBREVIATIONS = 100  # definitions of abbreviations (*[UBND]: Ủy ban nhân dân) in one article

# What `invoke import` takes, checked before it reads further (importer/sizes.py). A Word file's sizes come from its
# zip directory, before anything is unpacked: Python's zipfile never unpacks a part beyond the size listed there.
TEXT_FILE_BYTES = 2 * ARTICLE_BYTES  # a .txt source (saved as UTF-16 it takes two bytes a letter)
WORD_FILE_BYTES = 100 * MB  # a .docx file, its photos included
WORD_TEXT_BYTES = 10 * MB  # the XML of a .docx unpacked: a long article with rich formatting is about 2 MB
WORD_UNPACKED_BYTES = 100 * MB  # every part of a .docx unpacked (a zip bomb lists far more)
WORD_PARTS = 5_000  # parts in a .docx (a few dozen, and one per photo)
IMAGE_BYTES = 20 * MB  # one photo embedded in a .docx (a phone's photo is 3 to 8 MB)

_MARKERS = re.compile(r"\s{0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)|\s{0,3}>[ \t]?")
_LIST_ITEM = re.compile(r"^([ \t]*)(?:[-*+]|\d{1,9}[.)])[ \t]")
_TABLE_ROW = re.compile(r"^\s*\|")
_HEADING = re.compile(r"^\s{0,3}#{1,6}(\s|$)")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_ABBREVIATION = re.compile(r"^\*\[[^\]]+\]:")
_BACKTICKS = re.compile(r"`+")


@dataclass(frozen=True)
class Problem:
    """A limit a body goes over: the line (within the body, from 1) and the Vietnamese message."""

    line: int
    message: str


def number(value: int) -> str:
    """Write a count the Vietnamese way (10.000)."""
    return f"{value:,}".replace(",", ".")


def body_problems(body: str) -> list[Problem]:
    """Return every limit a Markdown body goes over, each at the first line of its paragraph or line."""
    problems: list[Problem] = []
    abbreviations, nested = 0, False
    fenced = ""
    paragraph: list[str] = []
    start = 0
    for index, line in enumerate([*body.split("\n"), ""], 1):
        fence = _FENCE.match(line)
        if fenced:  # code is shown as it is written: no inline elements, no nesting
            if fence and fence.group(1)[0] == fenced[0] and len(fence.group(1)) >= len(fenced):
                fenced = ""
            continue
        if fence:
            problems += _paragraph_problems(paragraph, start)
            paragraph, fenced = [], fence.group(1)
            continue
        abbreviations += bool(_ABBREVIATION.match(line))
        if not nested and (too_deep := _line_problems(line, index)):  # said once: every deeper line would repeat it
            problems, nested = problems + too_deep, True
        starts_block = not line.strip() or _LIST_ITEM.match(line) or _TABLE_ROW.match(line) or _HEADING.match(line)
        if starts_block:
            problems += _paragraph_problems(paragraph, start)
            paragraph = []
        if line.strip():
            start = start if paragraph else index
            paragraph.append(line)
    if abbreviations > ABBREVIATIONS:
        problems.append(Problem(1, f"bài có {number(abbreviations)} định nghĩa chữ viết tắt (*[…]: …) — tối đa "
                                   f"{ABBREVIATIONS}; hãy bỏ bớt"))
    return problems


def _line_problems(line: str, index: int) -> list[Problem]:
    """Check one line's nesting: lists and quotes opened on it, and the indentation of a list item."""
    depth, position = 0, 0
    while depth <= NESTING and (found := _MARKERS.match(line, position)) and found.end() > position:
        depth, position = depth + 1, found.end()
    item = _LIST_ITEM.match(line)
    indent = len(item.group(1).expandtabs(4)) if item else 0
    if depth > NESTING or indent > LIST_INDENT:
        return [Problem(index, f"danh sách hoặc trích dẫn lồng nhau quá sâu (tối đa {NESTING} cấp) — hãy viết lại "
                               "thành danh sách ít cấp hơn")]
    return []


def _paragraph_problems(lines: list[str], start: int) -> list[Problem]:
    """Check one paragraph: its length and the brackets that would make the link search scan it again and again."""
    if not lines:
        return []
    text = "\n".join(lines)
    if len(text) > PARAGRAPH_CHARS:
        return [Problem(start, f"đoạn văn dài {number(len(text))} ký tự — tối đa {number(PARAGRAPH_CHARS)}; hãy tách "
                               "thành nhiều đoạn, mỗi đoạn cách nhau một dòng trống")]
    plain = without_code_spans(text.replace("\\[", "  ").replace("\\]", "  ").replace("\\(", "  "))
    last_paren = plain.rfind(")")
    opened: list[int] = []
    matched = bytearray(len(plain))  # 1 where a bracket has its partner
    unclosed = 0
    for position, char in enumerate(plain):
        if char == "[":
            opened.append(position)
        elif char == "]" and opened:
            matched[opened.pop()] = matched[position] = 1
            unclosed += plain.startswith("(", position + 1) and last_paren < position + 2
    unclosed += len(opened)
    deepest = depth = 0
    for position in (i for i, flag in enumerate(matched) if flag):
        depth += 1 if plain[position] == "[" else -1
        deepest = max(deepest, depth)
    if unclosed > UNCLOSED_BRACKETS or deepest > BRACKET_DEPTH:
        return [Problem(start, f"đoạn văn có quá nhiều dấu ngoặc vuông [ ] chưa đóng hoặc lồng nhau (tối đa "
                               f"{UNCLOSED_BRACKETS} dấu chưa đóng, {BRACKET_DEPTH} cấp lồng) — hãy kiểm tra lại các "
                               "liên kết [chữ](địa chỉ), hoặc viết \\[ cho dấu [ thường")]
    return []


def without_code_spans(text: str) -> str:
    """Blank out code spans (`…`, ``…``): brackets in them are text. Linear: each run of backticks is paired with the
    next run of the same length, found from a table built backwards."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text)]
    following: list[int] = [-1] * len(runs)
    seen: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        following[index] = seen.get(length, -1)
        seen[length] = index
    parts, done, index = [], 0, 0
    while index < len(runs):
        closing = following[index]
        if closing < 0:
            index += 1
            continue
        start, end = runs[index][0], runs[closing][1]
        parts += [text[done:start], " " * (end - start)]
        done, index = end, closing + 1
    return "".join(parts) + text[done:]
