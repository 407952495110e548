"""Vietnamese text as search sees it: syllables, their exact and folded forms, and which ones are adjacent.

The index (searchindex.py) and the query (theme/static/js/search-engine.js) must cut and normalise text the same
way; tests/fixtures/search/normalisation.json holds the cases both are tested against.

- Text is NFC; every run of white space is one space.
- A syllable is a run of letters, digits and combining marks (U+0300–U+036F and the other combining blocks).
  Anything else (punctuation, symbols, underscores, invisible characters) ends a run of adjacent syllables, as
  does the end of a paragraph or field: only syllables separated by spaces alone are adjacent, and only those
  form pairs ("quy hoạch cán bộ" gives the pairs quy hoach, hoach can, can bo).
- A syllable longer than MAX_SYLLABLE characters (a web address, a code) is left out and ends the run.
- Exact form: lower case, one tone placement (text.canon: hoà -> hòa, uỷ -> ủy, Ð -> đ). Names that differ
  only by tone marks stay different (hùng, hưng).
- Folded form: the exact form with every mark dropped and đ written d (đảng -> dang).
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata

from .text import canon

MAX_SYLLABLE = 40
MARK_RANGES = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
SPACE_RANGES = " \t\n\r\f\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_SPACES = re.compile(f"[{SPACE_RANGES}]+")
_ODD_SPACES = re.compile("[\x1c-\x1f\x85]")  # white space to str.split(), an end of a run here
# Python's \w is exactly the letters and digits of Unicode (categories L and N) plus the underscore.
_BREAK = re.compile(f"(?:[^\\w {MARK_RANGES}]|_)+")
_MARKS = re.compile(f"[{MARK_RANGES}]")

# HTML -> paragraphs: what a reader sees as separate blocks never forms pairs across its edge.
_HIDDEN = re.compile(r"<(script|style|template)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
_BLOCK = re.compile(r"</?(?:address|article|aside|blockquote|br|caption|dd|div|dl|dt|figcaption|figure|footer|h[1-6]|"
                    r"header|hr|li|main|nav|ol|p|pre|section|table|tbody|td|tfoot|th|thead|tr|ul)\b[^>]*>", re.I)
_SPACED = re.compile(r"</?(?:sub|sup|img|input|wbr)\b[^>]*>", re.I)  # a footnote number is not part of a word
_TAG = re.compile(r"<[^>]*>")
_HIDDEN_OPEN = re.compile(r"<(?:script|style|template)", re.I)  # cheap tests: most articles have none of these
_SPACED_OPEN = re.compile(r"<(?:sub|sup|img|input|wbr)\b", re.I)


@functools.lru_cache(maxsize=200_000)
def forms(syllable: str) -> tuple[str, str]:
    """Return a syllable's (exact, folded) forms: ("Hoà" -> ("hòa", "hoa"), "ĐẢNG" -> ("đảng", "dang"))."""
    exact = canon(syllable).lower()
    folded = _MARKS.sub("", unicodedata.normalize("NFD", exact)).replace("đ", "d")
    return exact, unicodedata.normalize("NFC", folded)


def squeeze(text: str) -> str:
    """Return text with every run of white space (SPACE_RANGES) as one space, and none at either end."""
    if _ODD_SPACES.search(text):
        return _SPACES.sub(" ", text).strip()
    return " ".join(text.split())  # the same, several times faster


def cut(text: str) -> list[str]:
    """Cut NFC text where adjacency ends; each piece holds syllables separated by single spaces (and may be empty)."""
    return _BREAK.split(squeeze(unicodedata.normalize("NFC", text)))


MARK = "\x01"  # stands where a run ends in marked(); a control character, so never part of a text's syllables
_MARK_SPACED = f" {MARK} "


def marked(text: str, clean: bool = False) -> list[str]:
    """Return a text's syllables as written, with MARK wherever a run ends: the index's fast form of runs().

    clean: the text is NFC with single spaces already (what paragraphs() returns).
    """
    if not clean:
        text = squeeze(unicodedata.normalize("NFC", text))
    return _MARK_SPACED.join(_BREAK.split(text)).split()  # as _BREAK.sub(_MARK_SPACED, text).split(), faster


def runs(text: str) -> list[list[str]]:
    """Cut text into runs of adjacent syllables, as written (NFC): "Ban Chấp hành, Bí thư" -> [[Ban, Chấp, hành], [Bí, thư]]."""
    found = []
    for piece in cut(text):
        run: list[str] = []
        for syllable in piece.split(" "):
            if not syllable:
                continue
            if len(syllable) > MAX_SYLLABLE:
                if run:
                    found.append(run)
                run = []
                continue
            run.append(syllable)
        if run:
            found.append(run)
    return found


def normalise(text: str) -> list[list[tuple[str, str]]]:
    """Return the runs of a text as (exact, folded) forms; the shared test cases are written in this shape."""
    return [[forms(s) for s in run] for run in runs(text)]


def paragraphs(fragment: str) -> list[str]:
    """Return the text of an HTML fragment as NFC paragraphs with single spaces (block elements apart, tags dropped,
    entities decoded)."""
    text = _HIDDEN.sub(" ", fragment) if "<!--" in fragment or _HIDDEN_OPEN.search(fragment) else fragment
    text = _BLOCK.sub("\0", text)  # a line break inside a paragraph is only a space
    text = _SPACED.sub(" ", text) if _SPACED_OPEN.search(text) else text
    text = squeeze(unicodedata.normalize("NFC", html.unescape(_TAG.sub("", text))))
    blocks = (block.strip() for block in text.split("\0"))
    return [block for block in blocks if block]
