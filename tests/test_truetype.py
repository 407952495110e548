"""The printed edition's fonts, read and cut by truetype.py, checked against fontTools reading the same files."""

from __future__ import annotations

import io
import struct

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


def test_a_character_mapped_to_the_missing_glyph_box_is_not_in_the_font():
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    def square():
        pen = TTGlyphPen(None)
        pen.moveTo((0, 0)), pen.lineTo((0, 500)), pen.lineTo((500, 500)), pen.lineTo((500, 0)), pen.closePath()
        return pen.glyph()

    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "B"])
    builder.setupCharacterMap({0x41: ".notdef", 0x42: "B"})  # "A" drawn as the box: the font lacks it
    builder.setupGlyf({".notdef": square(), "B": square()})
    builder.setupHorizontalMetrics({".notdef": (600, 0), "B": (550, 0)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupOS2(sCapHeight=700)
    builder.setupPost()
    builder.setupNameTable({"familyName": "Thu", "styleName": "Regular"})
    out = io.BytesIO()
    builder.save(out)
    font = truetype.TrueType(out.getvalue())
    assert font.metrics().cmap == {0x42: 1}  # the typesetter falls back to another face for "A"
    cut, glyphs = font.cut({0x41, 0x42})
    assert glyphs == {0x42: 1}
    table = TTFont(io.BytesIO(cut))["cmap"].tables[0]
    assert table.format == 4 and table.cmap == {0x42: "B"}


def test_the_last_cmap_segment_maps_to_the_missing_glyph():
    cut, _ = truetype.TrueType(font_bytes("serif")).cut(pdfdoc.REPERTOIRE)
    font = truetype.TrueType(cut)
    table = font.table("cmap")
    offset = struct.unpack_from(">I", table, 8)[0]
    count = struct.unpack_from(">H", table, offset + 6)[0] // 2
    last_start = struct.unpack_from(">H", table, offset + 16 + 2 * count + 2 * (count - 1))[0]
    last_delta = struct.unpack_from(">H", table, offset + 16 + 4 * count + 2 * (count - 1))[0]
    assert last_start == 0xFFFF and (0xFFFF + last_delta) & 0xFFFF == 0


def test_more_characters_than_format_4_holds_are_mapped_in_format_12():
    chars = {code: 1 + index for index, code in enumerate(range(0x4E00, 0x4E00 + 2 * 9000, 2))}  # 9,000 segments
    table = truetype._cmap_table(chars)
    platform, encoding, offset = struct.unpack_from(">HHI", table, 4)
    assert (platform, encoding, struct.unpack_from(">H", table, offset)[0]) == (3, 10, 12)
    assert truetype._read_cmap(table, offset) == chars
