"""TrueType fonts for the printed edition, read and cut without a font library.

The typesetter needs little of a font: how wide each character is (cmap, hmtx), a few global metrics for the PDF's font
descriptor (head, hhea, OS/2, post), and a cut of the glyphs an edition draws to embed. A font library decodes every
table into objects and compiles the cut back glyph by glyph; here the tables are read as arrays and the cut copies
each glyph's bytes. The cut drops hinting (the instructions and the tables they run), layout tables and names beyond
the first seven, numbers its glyphs in their original order (.notdef first) and maps the characters it holds with a
format 4 cmap (format 12 past what format 4 holds). Same font, same characters: same bytes.

Only fonts with TrueType outlines (a glyf table): those the edition prints with (fonts-sil-charis, fonts-dejavu-core).
"""

from __future__ import annotations

import functools
import struct
import sys
from array import array
from dataclasses import dataclass

# A composite glyph's component flags (the OpenType specification, glyf table).
ARGS_ARE_WORDS, HAS_SCALE, MORE_COMPONENTS, HAS_XY_SCALE, HAS_TWO_BY_TWO, HAS_INSTRUCTIONS = 0x1, 0x8, 0x20, 0x40, 0x80, 0x100
# The cmap subtables preferred, best first: Unicode full repertoire, then the Basic Multilingual Plane.
CMAP_PREFERENCE = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))
NAME_IDS = range(7)  # copyright, family, style, unique id, full name, version, PostScript name
WINDOWS, UNICODE_BMP, UNICODE_FULL, ENGLISH = 3, 1, 10, 0x409
MAX_SEGMENTS = 8000  # a format 4 subtable's length is 16 bits: about 8,190 segments at most
CHECKSUM_MAGIC = 0xB1B0AFBA


class FontError(ValueError):
    """A font this module cannot read (not TrueType outlines, or damaged)."""


@dataclass(frozen=True)
class Metrics:
    """What the typesetter and the PDF's font descriptor read of a font, in font units (units_per_em to the em)."""

    units_per_em: int
    cmap: dict[int, int]  # character -> glyph
    advances: array  # advance width of each glyph
    ascent: int
    descent: int
    bbox: tuple[int, int, int, int]
    cap_height: int  # 0 when the font does not say
    italic_angle: float


class TrueType:
    """A TrueType font file: its tables, its metrics, and cuts of it."""

    def __init__(self, data: bytes):
        self.data = data
        try:
            version, count = struct.unpack_from(">IH", data, 0)
            self.tables = {}
            for index in range(count):
                tag, _checksum, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * index)
                self.tables[tag.decode("latin-1")] = (offset, length)
        except struct.error as error:
            raise FontError(f"tệp phông hỏng: {error}") from None
        if version not in (0x00010000, 0x74727565) or not {"head", "hhea", "maxp", "hmtx", "cmap", "loca", "glyf"} <= set(self.tables):
            raise FontError("không phải phông TrueType (thiếu bảng glyf)")
        self.glyphs = struct.unpack_from(">H", self.table("maxp"), 4)[0]
        head = self.table("head")
        self.units_per_em = struct.unpack_from(">H", head, 18)[0]
        self.long_offsets = struct.unpack_from(">h", head, 50)[0] == 1
        self.metric_count = struct.unpack_from(">H", self.table("hhea"), 34)[0]

    def table(self, tag: str) -> bytes:
        offset, length = self.tables[tag]
        return self.data[offset:offset + length]

    # ------------------------------------------------------------ reading

    def metrics(self) -> Metrics:
        head, hhea = self.table("head"), self.table("hhea")
        os2 = self.table("OS/2") if "OS/2" in self.tables else b""
        post = self.table("post") if "post" in self.tables else b""
        return Metrics(
            units_per_em=self.units_per_em, cmap=self.cmap, advances=self.horizontal[0],
            ascent=struct.unpack_from(">h", hhea, 4)[0], descent=struct.unpack_from(">h", hhea, 6)[0],
            bbox=struct.unpack_from(">4h", head, 36),
            cap_height=struct.unpack_from(">h", os2, 88)[0] if len(os2) >= 90 and struct.unpack_from(">H", os2, 0)[0] >= 2 else 0,
            italic_angle=struct.unpack_from(">i", post, 4)[0] / 65536 if len(post) >= 8 else 0.0,
        )

    @functools.cached_property
    def horizontal(self) -> tuple[array, array]:
        """(advance, left side bearing) of every glyph, read once (hmtx: the last advance repeats for the glyphs after)."""
        pairs = _big_endian(array("h", self.table("hmtx")[: 4 * self.metric_count]))
        advances = array("H", pairs[0::2].tobytes())  # read as signed with the bearings; advances are unsigned
        bearings = array("h", pairs[1::2])
        rest = self.glyphs - self.metric_count
        if rest > 0:
            offset = 4 * self.metric_count
            bearings.extend(_big_endian(array("h", self.table("hmtx")[offset:offset + 2 * rest])))
            advances.extend([advances[-1]] * rest)
        return advances, bearings

    @functools.cached_property
    def cmap(self) -> dict[int, int]:
        """Character -> glyph from the best subtable (CMAP_PREFERENCE), read once: the metrics and every cut use it."""
        table = self.table("cmap")
        count = struct.unpack_from(">H", table, 2)[0]
        offsets = {}
        for index in range(count):
            platform, encoding, offset = struct.unpack_from(">HHI", table, 4 + 8 * index)
            offsets.setdefault((platform, encoding), offset)
        for key in CMAP_PREFERENCE:
            if key in offsets:  # a character mapped to the missing-glyph box, or to a glyph the font lacks, is left out
                return {code: glyph for code, glyph in _read_cmap(table, offsets[key]).items() if 0 < glyph < self.glyphs}
        raise FontError("phông không có bảng mã Unicode")

    def offsets(self) -> array:
        """Return where each glyph starts in glyf, and where the last ends (loca)."""
        loca = self.table("loca")
        if self.long_offsets:
            return _big_endian(array("I", loca[: 4 * (self.glyphs + 1)]))
        return array("I", (2 * v for v in _big_endian(array("H", loca[: 2 * (self.glyphs + 1)]))))

    # ------------------------------------------------------------ cutting

    def cut(self, codes) -> tuple[bytes, dict[int, int]]:
        """Return a font holding the glyphs of `codes` (those the font maps) and the components they are built from,
        and character -> glyph in it."""
        cmap = self.cmap
        glyf, offsets = self.table("glyf"), self.offsets()
        wanted = {0} | {cmap[c] for c in codes if c in cmap}
        todo = list(wanted)
        while todo:  # composite glyphs: their components too
            for component in _components(glyf, offsets, todo.pop()):
                if component not in wanted and component < self.glyphs:
                    wanted.add(component)
                    todo.append(component)
        kept = sorted(wanted)
        number = {old: new for new, old in enumerate(kept)}
        chars = {c: number[cmap[c]] for c in sorted(codes) if c in cmap}
        glyphs, starts = bytearray(), array("I")
        for old in kept:
            starts.append(len(glyphs))
            glyphs += _without_hinting(glyf[offsets[old]:offsets[old + 1]], number)
            glyphs += bytes(-len(glyphs) % 4)
        starts.append(len(glyphs))
        advances, bearings = self.horizontal
        head = bytearray(self.table("head"))
        struct.pack_into(">I", head, 8, 0)  # the checksum adjustment, worked out last (_assemble)
        struct.pack_into(">h", head, 50, 1)  # long offsets in loca
        hhea, maxp = bytearray(self.table("hhea")), bytearray(self.table("maxp"))
        struct.pack_into(">H", hhea, 34, len(kept))
        struct.pack_into(">H", maxp, 4, len(kept))
        if len(maxp) >= 28:  # no hinting: one zone, no twilight points, storage, functions, stack or instructions
            struct.pack_into(">7H", maxp, 14, 1, 0, 0, 0, 0, 0, 0)
        hmtx = b"".join(struct.pack(">Hh", advances[old], bearings[old]) for old in kept)
        tables = {
            "head": bytes(head), "hhea": bytes(hhea), "maxp": bytes(maxp), "hmtx": hmtx,
            "loca": _big_endian(starts).tobytes(), "glyf": bytes(glyphs), "cmap": _cmap_table(chars),
            "post": struct.pack(">I", 0x00030000) + self.table("post")[4:32] if "post" in self.tables else None,
            "name": _names(self.table("name")) if "name" in self.tables else None,
            "OS/2": self.table("OS/2") if "OS/2" in self.tables else None,
        }
        return _assemble({tag: data for tag, data in tables.items() if data is not None}), chars


def _big_endian(values: array) -> array:
    """Return an array read from (or to be written as) big-endian bytes, in this machine's order."""
    if sys.byteorder == "little":
        values.byteswap()
    return values


def _read_cmap(table: bytes, offset: int) -> dict[int, int]:
    found: dict[int, int] = {}
    kind = struct.unpack_from(">H", table, offset)[0]
    if kind == 4:
        count = struct.unpack_from(">H", table, offset + 6)[0] // 2
        ends = struct.unpack_from(f">{count}H", table, offset + 14)
        starts = struct.unpack_from(f">{count}H", table, offset + 16 + 2 * count)
        deltas = struct.unpack_from(f">{count}h", table, offset + 16 + 4 * count)
        ranges_at = offset + 16 + 6 * count
        ranges = struct.unpack_from(f">{count}H", table, ranges_at)
        for segment in range(count):
            start, end, delta, shift = starts[segment], ends[segment], deltas[segment], ranges[segment]
            if start == 0xFFFF:
                continue
            for code in range(start, end + 1):
                if shift == 0:
                    found[code] = (code + delta) & 0xFFFF
                else:
                    glyph = struct.unpack_from(">H", table, ranges_at + 2 * segment + shift + 2 * (code - start))[0]
                    found[code] = (glyph + delta) & 0xFFFF if glyph else 0
    elif kind == 12:
        groups = struct.unpack_from(">I", table, offset + 12)[0]
        for index in range(groups):
            start, end, glyph = struct.unpack_from(">III", table, offset + 16 + 12 * index)
            for code in range(start, end + 1):
                found[code] = glyph + code - start
    else:
        raise FontError(f"bảng mã dạng {kind} chưa được hỗ trợ")
    return found


def _components(glyf: bytes, offsets: array, glyph: int) -> list[int]:
    """Return the glyphs a composite glyph is built from (none for a simple glyph)."""
    start, end = offsets[glyph], offsets[glyph + 1]
    if end - start < 10 or struct.unpack_from(">h", glyf, start)[0] >= 0:
        return []
    found, at = [], start + 10
    while True:
        flags, component = struct.unpack_from(">HH", glyf, at)
        found.append(component)
        at += _component_size(flags)
        if not flags & MORE_COMPONENTS:
            return found


def _component_size(flags: int) -> int:
    """Return the bytes of one component record: flags, glyph, offsets, then its transformation, if any."""
    size = 4 + (4 if flags & ARGS_ARE_WORDS else 2)
    if flags & HAS_SCALE:
        size += 2
    elif flags & HAS_XY_SCALE:
        size += 4
    elif flags & HAS_TWO_BY_TWO:
        size += 8
    return size


def _without_hinting(glyph: bytes, number: dict[int, int]) -> bytes:
    """Return a glyph's bytes without its instructions, a composite's components renumbered."""
    if len(glyph) < 10:
        return b""
    contours = struct.unpack_from(">h", glyph, 0)[0]
    if contours >= 0:
        at = 10 + 2 * contours
        length = struct.unpack_from(">H", glyph, at)[0]
        points = struct.unpack_from(">H", glyph, at - 2)[0] + 1 if contours else 0
        start = at + 2 + length
        return glyph[:at] + b"\0\0" + glyph[start:_points_end(glyph, start, points)]
    out = bytearray(glyph[:10])
    at = 10
    while True:
        flags, component = struct.unpack_from(">HH", glyph, at)
        size = _component_size(flags)
        out += struct.pack(">HH", flags & ~HAS_INSTRUCTIONS, number.get(component, 0)) + glyph[at + 4:at + size]
        at += size
        if not flags & MORE_COMPONENTS:
            return bytes(out)


def _points_end(glyph: bytes, at: int, points: int) -> int:
    """Return where a simple glyph's points end: after its flags (a flag may repeat), x and y coordinates (one byte or
    two each, or none when the same as the point before)."""
    x_size = y_size = 0
    while points > 0:
        flag = glyph[at]
        at += 1
        count = 1
        if flag & 0x08:  # repeated
            count += glyph[at]
            at += 1
        x_size += count * (1 if flag & 0x02 else 0 if flag & 0x10 else 2)
        y_size += count * (1 if flag & 0x04 else 0 if flag & 0x20 else 2)
        points -= count
    return at + x_size + y_size


def _cmap_table(chars: dict[int, int]) -> bytes:
    """Return a cmap table with one subtable mapping `chars`: Windows, Unicode BMP, format 4 (format 12, the full
    repertoire, in the unlikely case of more segments than format 4 holds)."""
    segments: list[list[int]] = []  # [start, end, glyph of start]
    for code, glyph in sorted((c, g) for c, g in chars.items() if c < 0xFFFF):
        last = segments[-1] if segments else None
        if last and code == last[1] + 1 and glyph == last[2] + code - last[0]:
            last[1] = code
        else:
            segments.append([code, code, glyph])
    segments.append([0xFFFF, 0xFFFF, 0])  # the required last segment, to glyph 0
    count = len(segments)
    if count > MAX_SEGMENTS:  # more than format 4 can hold: one group a segment, in format 12
        groups = b"".join(struct.pack(">III", start, end, glyph) for start, end, glyph in segments[:-1])
        subtable = struct.pack(">HHIII", 12, 0, 16 + len(groups), 0, (count - 1)) + groups
        return struct.pack(">HHHHI", 0, 1, WINDOWS, UNICODE_FULL, 12) + subtable
    power = 1 << (count.bit_length() - 1)
    body = struct.pack(">HHHH", 2 * count, 2 * power, power.bit_length() - 1, 2 * (count - power))
    body += struct.pack(f">{count}H", *(s[1] for s in segments)) + b"\0\0"
    body += struct.pack(f">{count}H", *(s[0] for s in segments))
    body += struct.pack(f">{count}H", *((s[2] - s[0]) & 0xFFFF for s in segments))
    body += bytes(2 * count)  # no range offsets: every segment maps by its delta
    subtable = struct.pack(">HHH", 4, 6 + len(body), 0) + body
    return struct.pack(">HHHHI", 0, 1, WINDOWS, UNICODE_BMP, 12) + subtable


def _names(table: bytes) -> bytes:
    """Return the name table with only the Windows English records of NAME_IDS."""
    count, storage = struct.unpack_from(">HH", table, 2)
    records = []
    for index in range(count):
        platform, encoding, language, name, length, offset = struct.unpack_from(">6H", table, 6 + 12 * index)
        if platform == WINDOWS and language == ENGLISH and name in NAME_IDS:
            records.append((platform, encoding, language, name, table[storage + offset:storage + offset + length]))
    records.sort()
    strings, header = b"", b""
    for platform, encoding, language, name, text in records:
        header += struct.pack(">6H", platform, encoding, language, name, len(text), len(strings))
        strings += text
    return struct.pack(">HHH", 0, len(records), 6 + len(header)) + header + strings


def _checksum(data: bytes) -> int:
    padded = data + bytes(-len(data) % 4)
    return sum(_big_endian(array("I", padded))) & 0xFFFFFFFF


def _assemble(tables: dict[str, bytes]) -> bytes:
    """Return a font file of these tables (sorted by tag, each padded to four bytes), its checksums set."""
    tags = sorted(tables)
    count = len(tags)
    power = 1 << (count.bit_length() - 1)
    directory = struct.pack(">IHHHH", 0x00010000, count, 16 * power, power.bit_length() - 1, 16 * (count - power))
    offset = 12 + 16 * count
    body = b""
    for tag in tags:
        data = tables[tag]
        directory += struct.pack(">4sIII", tag.encode("latin-1"), _checksum(data), offset + len(body), len(data))
        body += data + bytes(-len(data) % 4)
    font = bytearray(directory + body)
    head = 12 + 16 * count + sum(len(tables[t]) + (-len(tables[t]) % 4) for t in tags[: tags.index("head")])
    struct.pack_into(">I", font, head + 8, (CHECKSUM_MAGIC - _checksum(bytes(font))) & 0xFFFFFFFF)
    return bytes(font)
