"""Legacy Vietnamese encodings: read TCVN3 (ABC), VNI-Windows and Windows-1258 text as Unicode NFC.

The tables are built here from the layout of each encoding:
- TCVN3 (the .VnTime fonts) gives every lower-case vowel with a tone its own byte; capitals exist only
  for the letters Ă Â Ê Ô Ơ Ư Đ (titles in capitals used a second font, .VnTimeH, with the same bytes:
  a line otherwise in capitals is read in capitals).
- VNI-Windows writes a base letter followed by a mark byte; the bytes are Windows-1252 characters.
- Windows-1258 is a Python codec that writes tones as combining marks.

Detection is conservative: every word holding a byte above 0x7F is decoded by each candidate and
the candidate wins only when nearly all such words become valid Vietnamese syllables and no other
candidate comes close. Otherwise EncodingUnsure is raised and the editor is told what to do.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .errors import EncodingUnsure

# Tones in the order used by the tables below: none, huyền, hỏi, ngã, sắc, nặng.
TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
VOWELS = ("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y")


def _with_tone(base: str, tone: int) -> str:
    """Return the NFC letter for a base vowel and a tone index."""
    return unicodedata.normalize("NFC", base + TONES[tone])


# --- TCVN3 (ABC) -------------------------------------------------------------------------------
# One row per vowel: the byte of the letter without tone, then huyền, hỏi, ngã, sắc, nặng.
_TCVN3_ROWS = {
    "a": (0x61, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9),
    "ă": (0xA8, 0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xA9, 0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    "e": (0x65, 0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xAA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6),
    "i": (0x69, 0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (0x6F, 0xDF, 0xE1, 0xE2, 0xE3, 0xE4),
    "ô": (0xAB, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xAC, 0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    "u": (0x75, 0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xAD, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9),
    "y": (0x79, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}
_TCVN3_OTHERS = {"đ": 0xAE, "Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7}


def _tcvn3_table() -> dict[int, str]:
    """Map each TCVN3 byte above 0x7F to its letter."""
    table = {code: _with_tone(vowel, tone) for vowel, row in _TCVN3_ROWS.items() for tone, code in enumerate(row) if code > 0x7F}
    table.update({code: letter for letter, code in _TCVN3_OTHERS.items()})
    return table


TCVN3_DECODE = _tcvn3_table()
TCVN3_ENCODE = {letter: bytes([code]) for code, letter in TCVN3_DECODE.items()}

# --- VNI-Windows -------------------------------------------------------------------------------
# Mark characters (as Windows-1252 text) after a base letter, by tone: none, huyền, hỏi, ngã, sắc, nặng.
_VNI_TONE = ("", "ø", "û", "õ", "ù", "ï")
_VNI_HAT = ("â", "à", "å", "ã", "á", "ä")  # â ê ô and their tones
_VNI_BREVE = ("ê", "è", "ú", "ü", "é", "ë")  # ă and its tones
_VNI_I = ("i", "ì", "æ", "ó", "í", "ò")  # i is one character in every tone
# How each vowel is written: (base text, mark row).
_VNI_VOWELS = {
    "a": ("a", _VNI_TONE), "ă": ("a", _VNI_BREVE), "â": ("a", _VNI_HAT),
    "e": ("e", _VNI_TONE), "ê": ("e", _VNI_HAT),
    "o": ("o", _VNI_TONE), "ô": ("o", _VNI_HAT), "ơ": ("ô", _VNI_TONE),
    "u": ("u", _VNI_TONE), "ư": ("ö", _VNI_TONE), "y": ("y", _VNI_TONE),
}


def _vni_table() -> dict[str, str]:
    """Map each letter (both cases) to its VNI-Windows spelling as Windows-1252 text."""
    table = {"đ": "ñ", "Đ": "Ñ"}
    for vowel, (base, marks) in _VNI_VOWELS.items():
        for tone, mark in enumerate(marks):
            table[_with_tone(vowel, tone)] = base + mark
    for tone, single in enumerate(_VNI_I):
        table[_with_tone("i", tone)] = single
    table[_with_tone("y", 5)] = "î"  # ỵ is one character, like the i row
    for letter in list(table):
        table.setdefault(letter.upper(), table[letter].upper())
    return {letter: spelt for letter, spelt in table.items() if spelt != letter}


VNI_ENCODE = _vni_table()
VNI_DECODE = {spelt: letter for letter, spelt in VNI_ENCODE.items()}
_VNI_PATTERN = re.compile("|".join(re.escape(s) for s in sorted(VNI_DECODE, key=len, reverse=True)))


# --- Decoders and encoders ---------------------------------------------------------------------
def _single_byte(raw: bytes, table: dict[int, str]) -> str:
    """Decode bytes with a table for the high half; other bytes as Windows-1252 (Latin-1 where undefined)."""
    out = []
    for byte in raw:
        if byte in table:
            out.append(table[byte])
        elif byte < 0x80:
            out.append(chr(byte))
        else:
            try:
                out.append(bytes([byte]).decode("cp1252"))
            except UnicodeDecodeError:
                out.append(chr(byte))
    return "".join(out)


def _capital_line(line: str) -> str:
    """Upper-case the letters a line in capitals took from TCVN3's small-letter bytes (ĐảNG ủY -> ĐẢNG ỦY).

    TCVN3 has no byte for a capital with a tone: the .VnTimeH fonts show the small letter's byte as a capital.
    A line is in capitals when its plain letters all are and one word has at least two of them.
    """
    plain = [ch for ch in line if ch.isascii() and ch.isalpha()]
    if not plain or not all(ch.isupper() for ch in plain):
        return line
    if not any(sum(ch.isascii() and ch.isalpha() for ch in word) >= 2 for word in line.split()):
        return line
    return "".join(ch if ch.isascii() else ch.upper() for ch in line)


def decode_tcvn3(raw: bytes) -> str:
    """Decode TCVN3 (ABC) bytes to NFC text, lines written in capitals (.VnTimeH) wholly in capitals."""
    text = unicodedata.normalize("NFC", _single_byte(raw, TCVN3_DECODE))
    return "".join(_capital_line(line) for line in text.splitlines(keepends=True))


def decode_vni(raw: bytes) -> str:
    """Decode VNI-Windows bytes to NFC text."""
    text = _single_byte(raw, {})
    return unicodedata.normalize("NFC", _VNI_PATTERN.sub(lambda m: VNI_DECODE[m.group(0)], text))


def decode_cp1258(raw: bytes) -> str:
    """Decode Windows-1258 bytes (tones as combining marks) to NFC text."""
    return unicodedata.normalize("NFC", raw.decode("cp1258", errors="replace"))


def encode_tcvn3(text: str) -> bytes:
    """Encode text in TCVN3; raise ValueError for a letter the encoding has no byte for."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ch in TCVN3_ENCODE:
            out += TCVN3_ENCODE[ch]
        elif ord(ch) < 0x80:
            out.append(ord(ch))
        else:
            try:  # punctuation such as – and “ ” sits where Windows-1252 puts it
                code = ch.encode("cp1252")
            except UnicodeEncodeError:
                code = b""
            if not code or code[0] in TCVN3_DECODE:
                raise ValueError(f"TCVN3 has no byte for {ch!r}") from None
            out += code
    return bytes(out)


def encode_vni(text: str) -> bytes:
    """Encode text in VNI-Windows; raise ValueError for a character it cannot write."""
    spelt = "".join(VNI_ENCODE.get(ch, ch) for ch in unicodedata.normalize("NFC", text))
    try:
        return spelt.encode("cp1252")
    except UnicodeEncodeError as error:
        raise ValueError(f"VNI cannot write {error.object[error.start]!r}") from None


def encode_cp1258(text: str) -> bytes:
    """Encode text in Windows-1258: letters with their letter marks, each tone as a combining mark after."""
    spelt = []
    for ch in unicodedata.normalize("NFC", text):
        bare, tones = strip_tone(ch)
        spelt.append(bare + "".join(t for t in unicodedata.normalize("NFD", ch) if t in TONES[1:]) if tones else ch)
    return "".join(spelt).encode("cp1258")


DECODERS = {"TCVN3": decode_tcvn3, "VNI-Windows": decode_vni, "Windows-1258": decode_cp1258}

# --- Syllables ---------------------------------------------------------------------------------
_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnprstvx])?"
_NUCLEI = (
    "oai oao oay oeo uây uôi uya uyê uyu ươi ươu iêu yêu "
    "ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi oo ua uâ uê ui uô uơ uy ưa ưi ươ ưu yê "
    "a ă â e ê i o ô ơ u ư y"
).split()
_CODA = r"(?:ch|ng|nh|[cmnptk])?"  # k: place names such as Đắk Nông
_SYLLABLE = re.compile(_ONSET + "(?:" + "|".join(_NUCLEI) + ")" + _CODA)
_LETTERS = set("abcdđeghiklmnopqrstuvxyăâêôơư")
_EDGE_PUNCT = "\"'“”‘’«»()[]{}.,;:!?…–—-*"


def strip_tone(word: str) -> tuple[str, int]:
    """Return the word without tone marks (letter marks kept) and the number of tone marks removed."""
    parts = unicodedata.normalize("NFD", word)
    tones = sum(1 for ch in parts if ch in TONES[1:])
    bare = "".join(ch for ch in parts if ch not in TONES[1:])
    return unicodedata.normalize("NFC", bare), tones


def is_syllable(word: str) -> bool:
    """Tell whether a word is a well-formed Vietnamese syllable (or an acronym in capitals)."""
    bare, tones = strip_tone(word)
    if tones > 1 or not bare:
        return False
    lower = bare.lower()
    if any(ch not in _LETTERS for ch in lower):
        return False
    if tones == 0 and bare.isupper() and len(bare) <= 8:
        return True  # HĐND, ĐUK
    return bool(_SYLLABLE.fullmatch(lower))


def _reads_as_vietnamese(token: str) -> bool:
    """Tell whether a decoded token is Vietnamese words joined by / or - (punctuation at its ends allowed)."""
    core = token.strip(_EDGE_PUNCT)
    if not core:
        return False
    return all(is_syllable(part) for part in re.split(r"[/-]", core) if part) and not core.startswith(("/", "-"))


# --- Detection ---------------------------------------------------------------------------------
ACCEPT = 0.85  # share of marked words that must read as Vietnamese
MARGIN = 0.25  # how far ahead of the next candidate the winner must be
MIN_WORDS = 3  # marked words needed before any verdict


@dataclass(frozen=True)
class Decoded:
    """Text read from bytes and the encoding it was in."""

    text: str
    encoding: str


def _marked_words(raw: bytes) -> list[bytes]:
    """Return the words holding a byte above 0x7F, leaving out lone punctuation such as a dash."""
    return [t for t in raw.split() if any(b > 0x7F for b in t) and _single_byte(t, {}).strip(_EDGE_PUNCT)]


def score(raw: bytes) -> dict[str, float]:
    """Return, per legacy encoding, the share of words with bytes above 0x7F that decode to Vietnamese."""
    marked = _marked_words(raw)
    if not marked:
        return dict.fromkeys(DECODERS, 0.0)
    return {name: sum(_reads_as_vietnamese(decode(t)) for t in marked) / len(marked) for name, decode in DECODERS.items()}


def _as_single_bytes(text: str) -> bytes | None:
    """Return the bytes a legacy font showed as this text (Windows-1252 view), or None if it cannot be one."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ord(ch) > 0xFF:
                return None
            out.append(ord(ch))  # bytes Windows-1252 leaves undefined pass through as themselves
    return bytes(out)


def font_encoding(text: str) -> str | None:
    """Name the legacy encoding of text typed with a .VnTime or VNI font and saved as Unicode, if one is clear.

    Such text keeps the font's bytes as Latin letters ("Héi nghÞ"). Only when most of its marked words
    are not Vietnamese and one legacy encoding reads them clearly is an encoding named.
    """
    words = [w for w in text.split() if not w.isascii() and w.strip(_EDGE_PUNCT)]
    if len(words) < MIN_WORDS or sum(map(_reads_as_vietnamese, words)) / len(words) >= 0.5:
        return None
    raw = _as_single_bytes(text)
    if raw is None:
        return None
    ranked = sorted(score(raw).items(), key=lambda item: item[1], reverse=True)
    (best, top), (_, second) = ranked[0], ranked[1]
    return best if top >= ACCEPT and top - second >= MARGIN else None


def undo_font(text: str, encoding: str) -> str:
    """Read text that shows a legacy font's bytes as Latin letters in that encoding (unchanged if it cannot)."""
    raw = _as_single_bytes(text)
    return DECODERS[encoding](raw) if raw is not None else text


def _unicode(text: str, encoding: str) -> Decoded:
    """Return Unicode text, first undoing a legacy encoding saved as Unicode (TCVN3 text in a UTF-8 file)."""
    text = unicodedata.normalize("NFC", text)
    found = font_encoding(text)
    if found:
        return Decoded(undo_font(text, found), f"{found} (lưu trong tệp {encoding})")
    return Decoded(text, encoding)


MAX_SHOWN = 5  # line numbers named in a message
MOSTLY_UTF8 = 10  # valid UTF-8 letters needed per broken byte to call a file UTF-8 with damage


def broken_utf8_lines(raw: bytes) -> list[int]:
    """Return the lines with invalid bytes of a file that is otherwise clearly UTF-8 ([] when it is not)."""
    text = raw.decode("utf-8", errors="surrogateescape")
    bad = sum(1 for ch in text if "\udc80" <= ch <= "\udcff")
    good = sum(1 for ch in text if ch >= "\x80" and not "\udc80" <= ch <= "\udcff")
    if not bad or good < MOSTLY_UTF8 * bad:
        return []
    return [number for number, line in enumerate(text.split("\n"), 1) if any("\udc80" <= ch <= "\udcff" for ch in line)]


def decode_bytes(raw: bytes) -> Decoded:
    """Read text in UTF-8, UTF-16 (with BOM) or a legacy Vietnamese encoding; NFC, or EncodingUnsure."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return _unicode(raw[3:].decode("utf-8", errors="strict"), "UTF-8")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _unicode(raw.decode("utf-16"), "UTF-16")
    if b"\x00" in raw:
        raise EncodingUnsure("tệp có byte 0 — có thể là UTF-16 không có BOM hoặc tệp nhị phân; "
                             "hãy mở bằng trình soạn thảo và lưu lại dạng Unicode UTF-8")
    try:
        return _unicode(raw.decode("utf-8"), "UTF-8")
    except UnicodeDecodeError:
        pass
    broken = broken_utf8_lines(raw)
    if broken:
        shown = ", ".join(map(str, broken[:MAX_SHOWN])) + (", …" if len(broken) > MAX_SHOWN else "")
        raise EncodingUnsure(f"tệp là UTF-8 nhưng có byte hỏng ở dòng {shown} — hãy mở tệp, gõ lại các chữ "
                             "hiện sai ở những dòng đó và lưu lại dạng UTF-8")
    marked = len(_marked_words(raw))
    scores = score(raw)
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (best, top), (_, second) = ranked[0], ranked[1]
    shown = ", ".join(f"{name} {value:.0%}" for name, value in ranked)
    advice = "hãy mở tệp bằng Word hoặc Unikey, chuyển sang Unicode và lưu lại dạng UTF-8"
    if marked < MIN_WORDS:
        raise EncodingUnsure(f"tệp không phải UTF-8 và có quá ít chữ có dấu để nhận ra bảng mã — {advice}")
    if top < ACCEPT or top - second < MARGIN:
        raise EncodingUnsure(f"không chắc tệp dùng bảng mã nào (tỷ lệ chữ đọc được: {shown}) — {advice}")
    return Decoded(DECODERS[best](raw), best)
