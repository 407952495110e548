"""Vietnamese text: normalisation, tone-placement canonical form, folding, slugs and collation."""

from __future__ import annotations

import re
import unicodedata

# Combining marks that carry a tone (thanh điệu), in the traditional dictionary order
# after the unmarked tone: huyền, hỏi, ngã, sắc, nặng.
TONE_MARKS = "\u0300\u0309\u0303\u0301\u0323"
# Marks that make a different letter (ă â ê ô ơ ư): they never move and never fold for collation.
LETTER_MARKS = "\u0306\u0302\u031b"

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {ch: i for i, ch in enumerate(ALPHABET)}

_WORD = re.compile(r"[^\W\d_]+")
_CONSONANTS = set("bcdđghklmnpqrstvx")
_OPEN_PAIRS = ("oa", "oe", "uy")
_NON_SLUG = re.compile(r"[^a-z0-9]+")
# Ð (U+00D0, Icelandic eth) looks like Đ and comes in with text converted from old Vietnamese encodings.
_ETH = str.maketrans({"Ð": "Đ", "ð": "đ"})


def nfc(text: str) -> str:
    """Return text in Unicode NFC."""
    return unicodedata.normalize("NFC", text)


def _canon_word(word: str) -> str:
    """Put the tone of an open oa/oe/uy syllable on its first vowel (hoà -> hòa, uỷ -> ủy)."""
    decomposed = unicodedata.normalize("NFD", word)
    tones = [ch for ch in decomposed if ch in TONE_MARKS]
    if len(tones) != 1:
        return word
    bare = "".join(ch for ch in decomposed if ch not in TONE_MARKS)
    lower = bare.lower()
    if len(lower) < 2 or lower[-2:] not in _OPEN_PAIRS:
        return word
    onset = lower[:-2]
    if onset == "q" or any(ch not in _CONSONANTS for ch in onset):
        return word  # quý, quả keep their tone; anything with another vowel is not this pattern
    # bare is letters + letter marks; find the index just after the first vowel of the pair.
    base_chars = [i for i, ch in enumerate(bare) if not unicodedata.combining(ch)]
    first_vowel = base_chars[-2]
    insert_at = first_vowel + 1
    while insert_at < len(bare) and unicodedata.combining(bare[insert_at]):
        insert_at += 1
    moved = bare[:insert_at] + tones[0] + bare[insert_at:]
    return unicodedata.normalize("NFC", moved)


def canon(text: str) -> str:
    """Return NFC text with one tone placement for open oa, oe, uy syllables (hòa, khỏe, thủy), and Đ for its look-alike Ð."""
    return _WORD.sub(lambda m: _canon_word(m.group(0)), nfc(text).translate(_ETH))


def fold(text: str) -> str:
    """Return lower-case text with every mark dropped and đ folded to d (Đảng ủy -> dang uy)."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d").replace("ð", "d")


def lookup_key(text: str) -> str:
    """Return the key under which two spellings of one name compare equal (case, spaces, tone placement)."""
    return " ".join(canon(text).casefold().split())


def slugify(text: str) -> str:
    """Return an ASCII URL slug (Huyện ủy Hớn Quản -> huyen-uy-hon-quan)."""
    return _NON_SLUG.sub("-", fold(text)).strip("-")


def _letters(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Split text into the ranks of its base letters and the ranks of its tones."""
    letters: list[int] = []
    tones: list[int] = []
    for ch in unicodedata.normalize("NFC", text.lower()):
        parts = unicodedata.normalize("NFD", ch)
        tone = next((TONE_MARKS.index(c) + 1 for c in parts if c in TONE_MARKS), 0)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
        if base in _LETTER_RANK:
            letters.append(_LETTER_RANK[base])
        elif base.isascii() and base.isdigit():
            letters.append(-10 + int(base))
        elif base.isspace():
            letters.append(-20)
        else:
            letters.append(100 + ord(base[0]) if base else 100)
        tones.append(tone)
    return tuple(letters), tuple(tones)


_DIGITS = re.compile(r"\d+")
NUMBER_MARK = -15  # between a space (-20) and a letter: numbers sort before letters, by value (ấp 2 before ấp 10)


def _numbers(letters: tuple[int, ...], text: str) -> tuple[int, ...]:
    """Replace each run of digit ranks by a mark, its length and its digits, so runs compare by value."""
    out: list[int] = []
    at = 0
    for match in _DIGITS.finditer(text.lower()):
        if not match.group().isascii():
            continue
        digits = match.group().lstrip("0") or "0"
        out += letters[at : match.start()]
        out += [NUMBER_MARK, len(digits), *(int(d) for d in digits)]
        at = match.end()
    return tuple(out) + letters[at:]


def sort_key(text: str) -> tuple:
    """Return a key that orders text in Vietnamese alphabetical order (a ă â b c d đ …, tones after; 2 before 10)."""
    normal = canon(text)
    letters, tones = _letters(normal)
    return (_numbers(letters, normal), tones, normal)
