"""The printed edition's fonts, read and cut by truetype.py, checked against fontTools reading the same files."""

from __future__ import annotations

import io

import pytest
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.ttLib import TTFont

from pelican.plugins.bulletin import pdfdoc, printing, truetype

STYLES = sorted(printing.FONT_STYLES)
TEXT = "Đảng ủy Khối nhiệm kỳ 2020–2025: “Hùng” ≠ Hưng; Ăă Đđ Ĩĩ Ũũ Ơơ Ưư ỳỹỵ ấầẩẫậ ứừữự … • №"


def font_bytes(style: str) -> bytes:
    with open(printing.font_files()[style], "rb") as handle:
        return handle.read()


@pytest.mark.parametrize("style", STYLES)
def test_the_metrics_are_those_fonttools_reads(style):
    data = font_bytes(style)
    metrics = truetype.TrueType(data).metrics()
    theirs = TTFont(io.BytesIO(data), lazy=True)
    order = {name: gid for gid, name in enumerate(theirs.getGlyphOrder())}
    assert metrics.cmap == {code: order[name] for code, name in theirs.getBestCmap().items()}
    assert list(metrics.advances) == [theirs["hmtx"][name][0] for name in theirs.getGlyphOrder()]
    assert metrics.units_per_em == theirs["head"].unitsPerEm
    assert (metrics.ascent, metrics.descent) == (theirs["hhea"].ascent, theirs["hhea"].descent)
    head = theirs["head"]
    assert metrics.bbox == (head.xMin, head.yMin, head.xMax, head.yMax)
    assert metrics.cap_height == getattr(theirs["OS/2"], "sCapHeight", 0)
    assert metrics.italic_angle == float(theirs["post"].italicAngle)


@pytest.mark.parametrize("style", STYLES)
def test_a_cut_draws_each_character_as_the_whole_font_does(style):
    data = font_bytes(style)
    codes = pdfdoc.REPERTOIRE | {ord(c) for c in TEXT}
    cut, glyphs = truetype.TrueType(data).cut(codes)
    whole, ours = TTFont(io.BytesIO(data)), TTFont(io.BytesIO(cut), checkChecksums=2)  # a wrong checksum raises
    ours.ensureDecompiled()  # every table decodes
    assert "fpgm" not in ours and "GSUB" not in ours and ours["post"].formatType == 3
    order = {name: gid for gid, name in enumerate(ours.getGlyphOrder())}
    programs = [ours["glyf"][name].program for name in order if hasattr(ours["glyf"][name], "program")]
    assert programs and not any(program.getBytecode() for program in programs)  # no hinting left
    assert {code: order[name] for code, name in ours.getBestCmap().items()} == glyphs
    assert {ord(c) for c in TEXT if ord(c) in whole.getBestCmap()} <= set(glyphs)
    whole_set, our_set = whole.getGlyphSet(), ours.getGlyphSet()
    composites = 0
    for code in glyphs:
        original, cut_name = whole.getBestCmap()[code], ours.getBestCmap()[code]
        expected, drawn = DecomposingRecordingPen(whole_set), DecomposingRecordingPen(our_set)
        whole_set[original].draw(expected)
        our_set[cut_name].draw(drawn)
        assert drawn.value == expected.value, chr(code)  # the same outline, components included
        assert our_set[cut_name].width == whole_set[original].width
        composites += ours["glyf"][cut_name].isComposite()
    assert composites  # the Vietnamese letters are built from components in these fonts: renumbered right
    assert len(ours.getGlyphOrder()) < len(whole.getGlyphOrder()) / 3


def test_the_same_characters_give_the_same_bytes():
    data = font_bytes("serif")
    codes = pdfdoc.REPERTOIRE | {0x2605}
    assert truetype.TrueType(data).cut(codes) == truetype.TrueType(data).cut(sorted(codes, reverse=True))


def test_what_is_not_a_truetype_font_is_refused():
    with pytest.raises(truetype.FontError):
        truetype.TrueType(b"OTTO" + bytes(100))  # CFF outlines
    with pytest.raises(truetype.FontError):
        truetype.TrueType(b"\x00\x01")
