"""A small PDF writer for the printed edition (typeset.py lays the pages out): numbered objects, TrueType fonts
embedded as subsets with a Unicode map (text extracts exactly), JPEG photos passed through without decoding, PNG
pictures with their transparency, pages drawn by another PDF (an SVG illustration) kept as vectors, links, an
outline. Deterministic: no date, the file identifier is a hash of the objects, so one input gives the same bytes.

Fonts (read and cut by truetype.py): each face is cut once per process to REPERTOIRE (every Vietnamese letter, Latin-1,
the usual punctuation); an edition with a character outside it gets a cut of its own. Widths for layout come from the
whole font (Face.advance), glyph numbers from the cut that is embedded (Cut).
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import zlib

from . import truetype

# What every cut holds: ASCII, Latin-1, the Vietnamese letters (Ăă Đđ Ĩĩ Ũũ Ơơ Ưư and the block U+1EA0–U+1EF9), the
# dashes, quotes, ellipsis, bullets and signs of running text.
REPERTOIRE = frozenset(
    [*range(0x20, 0x7F), *range(0xA0, 0x100), 0x102, 0x103, 0x110, 0x111, 0x128, 0x129, 0x168, 0x169, 0x1A0, 0x1A1,
     0x1AF, 0x1B0, *range(0x300, 0x310), 0x323, *range(0x1EA0, 0x1EFA), *range(0x2010, 0x2028), *range(0x2030, 0x203B),
     0x2044, 0x20AB, 0x20AC, 0x2116, 0x2122, 0x2190, 0x2192, 0x2212, 0x25CF, 0x25A0]
)
SPACE = 0x20
NBSP = 0xA0


def number(value: float) -> str:
    """Return a number as PDF writes it: at most two decimals (a hundredth of a point), no trailing zeros."""
    text = f"{value:.2f}"
    if text[-1] == "0":
        text = text[:-3] if text[-2] == "0" else text[:-1]
        if text == "-0":
            return "0"
    return text


def text_string(value: str) -> str:
    """Return a PDF text string: ASCII as a literal, anything else as UTF-16 with its byte-order mark."""
    if value.isascii():
        return "(" + value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"
    return "<FEFF" + value.encode("utf-16-be").hex().upper() + ">"


# ---------------------------------------------------------------- fonts

class Face:
    """A font file's metrics (advances of every character it has, in thousandths of an em) and its cuts."""

    def __init__(self, path: str, name: str, italic: bool = False, bold: bool = False):
        self.path, self.name, self.italic, self.bold = path, name, italic, bold
        with open(path, "rb") as handle:
            self.font = truetype.TrueType(handle.read())
        metrics = self.font.metrics()
        scale = 1000 / metrics.units_per_em
        advances = metrics.advances
        self.advance = {code: advances[glyph] * scale for code, glyph in metrics.cmap.items()}
        self.notdef = advances[0] * scale  # the box drawn for a character no font has
        self.ascent = metrics.ascent * scale
        self.descent = metrics.descent * scale
        self.bbox = [round(v * scale) for v in metrics.bbox]
        self.cap_height = metrics.cap_height * scale or self.ascent * 0.7
        self.italic_angle = metrics.italic_angle
        self._cuts: dict[frozenset, Cut] = {}

    def has(self, char: str) -> bool:
        return ord(char) in self.advance

    def width(self, text: str) -> float:
        """Return the width of `text` in thousandths of an em (a character the face lacks: the box drawn for it)."""
        advance, notdef = self.advance, self.notdef
        return sum(advance.get(ord(c), notdef) for c in text)

    def cut(self, codes: frozenset) -> Cut:
        """Return the cut that holds REPERTOIRE and `codes` (those the face has)."""
        wanted = frozenset(c for c in codes if c in self.advance and c not in REPERTOIRE)
        if wanted not in self._cuts:
            self._cuts[wanted] = Cut(self, *self.font.cut(REPERTOIRE | wanted))
        return self._cuts[wanted]


FLAGS_SERIF, FLAGS_SYMBOLIC, FLAGS_ITALIC = 2, 4, 64
class Cut:
    """A subset of a face as it is embedded (truetype.TrueType.cut): its bytes (compressed once) and the glyph number
    of each character."""

    def __init__(self, face: Face, data: bytes, glyphs: dict[int, int]):
        self.face = face
        self.gid = dict(glyphs)
        if SPACE in self.gid:  # a no-break space is drawn (and copied) as a space: breaks are the layout's business
            self.gid[NBSP] = self.gid[SPACE]
        self.hex = {code: f"{gid:04X}" for code, gid in self.gid.items()}
        self.words = Encoded(self.hex)  # encode()'s answers: words come back again and again
        self.compressed = zlib.compress(data, 6)
        self.length = len(data)
        self.tag = "".join(chr(65 + b % 26) for b in hashlib.sha256(data).digest()[:6])

    @functools.cache  # noqa: B019 (a cut lives as long as its process)
    def maps(self) -> tuple[str, bytes]:
        """Return the PDF widths array (the inside of /W) and the compressed Unicode map of every glyph of the cut
        (a glyph drawn for several characters, such as the space for a no-break space, maps to the first)."""
        by_gid: dict[int, int] = {}
        for code, gid in sorted(self.gid.items()):
            if code != NBSP:
                by_gid.setdefault(gid, code)
        gids = sorted(set(by_gid) | {0})
        widths = " ".join(f"{gid} [{number(round(self.face.advance.get(by_gid[gid], 0) if gid in by_gid else self.face.notdef, 1))}]"
                          for gid in gids)
        unicode = [f"<{gid:04X}> <{chr(code).encode('utf-16-be').hex().upper()}>" for gid, code in sorted(by_gid.items())]
        cmap = "\n".join([
            "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def", "/CMapName /Adobe-Identity-UCS def",
            "/CMapType 2 def", "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange",
            *(f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar"
              for chunk in (unicode[i:i + 100] for i in range(0, len(unicode), 100))),
            "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"])
        return widths, zlib.compress(cmap.encode(), 6)

    def encode(self, text: str) -> str:
        """Return the glyph numbers of `text` as hexadecimal (a character the cut lacks becomes glyph 0)."""
        return self.words[text]


class Encoded(dict):
    """A cut's texts as glyph numbers in hexadecimal, each encoded when first asked for; `lacking` holds those with a
    character the cut lacks (encoded as glyph 0)."""

    def __init__(self, hexes: dict[int, str]):
        super().__init__()
        self.hexes = hexes
        self.lacking: set[str] = set()

    def __missing__(self, text: str) -> str:
        found = text.translate(self.hexes)  # four digits a character the cut has, the character itself else
        if len(found) != 4 * len(text):
            self.lacking.add(text)
            found = "".join([self.hexes.get(ord(c), "0000") for c in text])
        self[text] = found
        return found


# ---------------------------------------------------------------- the file

class Writer:
    """The objects of one PDF file, numbered from 1 in the order they are made."""

    def __init__(self):
        self.objects: list[bytes | None] = []

    def reserve(self) -> int:
        self.objects.append(None)
        return len(self.objects)

    def put(self, reference: int, body: str | bytes) -> int:
        self.objects[reference - 1] = body.encode("latin-1") if isinstance(body, str) else body
        return reference

    def add(self, body: str | bytes) -> int:
        return self.put(self.reserve(), body)

    def stream(self, dictionary: str, data: bytes, compress: bool = True, reference: int | None = None) -> int:
        """Add a stream object (compressed with Flate unless it already is or `compress` is false)."""
        if compress:
            data = zlib.compress(data, 2)  # text operators shrink about as well at 2 as at 6, in a third of the time
            dictionary += " /Filter /FlateDecode"
        body = f"<< {dictionary} /Length {len(data)} >>\nstream\n".encode("latin-1") + data + b"\nendstream"
        return self.put(reference or self.reserve(), body)

    def finish(self, root: int, info: int) -> bytes:
        """Return the whole file: header, objects, cross-reference table, trailer (identifier: a hash of the objects)."""
        out = io.BytesIO()
        out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        digest = hashlib.md5(usedforsecurity=False)
        for index, body in enumerate(self.objects, 1):
            offsets.append(out.tell())
            out.write(f"{index} 0 obj\n".encode())
            out.write(body)
            out.write(b"\nendobj\n")
            digest.update(body)
        start = out.tell()
        out.write(f"xref\n0 {len(self.objects) + 1}\n0000000000 65535 f \n".encode())
        out.write("".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode())
        identifier = digest.hexdigest().upper()
        out.write(f"trailer\n<< /Size {len(self.objects) + 1} /Root {root} 0 R /Info {info} 0 R "
                  f"/ID [<{identifier}> <{identifier}>] >>\nstartxref\n{start}\n%%EOF\n".encode())
        return out.getvalue()

    def font(self, cut: Cut) -> int:
        """Embed a cut as a Type 0 font (Identity-H) with the widths and the Unicode map of all its glyphs (the same
        objects for every edition: worked out once per cut)."""
        face = cut.face
        base = f"{cut.tag}+{face.name}"
        widths, cmap = cut.maps()
        file = self.reserve()
        self.put(file, f"<< /Length {len(cut.compressed)} /Length1 {cut.length} /Filter /FlateDecode >>\nstream\n".encode()
                 + cut.compressed + b"\nendstream")
        flags = FLAGS_SYMBOLIC | FLAGS_SERIF | (FLAGS_ITALIC if face.italic else 0)
        descriptor = self.add(
            f"<< /Type /FontDescriptor /FontName /{base} /Flags {flags} /FontBBox [{' '.join(map(str, face.bbox))}] "
            f"/ItalicAngle {number(face.italic_angle)} /Ascent {round(face.ascent)} /Descent {round(face.descent)} "
            f"/CapHeight {round(face.cap_height)} /StemV {120 if face.bold else 80} /FontFile2 {file} 0 R >>")
        cid = self.add(
            f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{base} /CIDSystemInfo << /Registry (Adobe) /Ordering "
            f"(Identity) /Supplement 0 >> /FontDescriptor {descriptor} 0 R /DW 0 /W [{widths}] /CIDToGIDMap /Identity >>")
        to_unicode = self.put(self.reserve(), f"<< /Filter /FlateDecode /Length {len(cmap)} >>\nstream\n".encode() + cmap
                              + b"\nendstream")
        return self.add(f"<< /Type /Font /Subtype /Type0 /BaseFont /{base} /Encoding /Identity-H "
                        f"/DescendantFonts [{cid} 0 R] /ToUnicode {to_unicode} 0 R >>")

    def image(self, path: str) -> int:
        """Embed a JPEG (its bytes as they are) or a PNG (decoded, with its transparency as a soft mask); return the
        object."""
        from PIL import Image

        with open(path, "rb") as handle:
            data = handle.read()
        with Image.open(io.BytesIO(data)) as picture:
            width, height, mode = picture.width, picture.height, picture.mode
            if picture.format == "JPEG" and mode in ("L", "RGB"):
                space = "/DeviceGray" if mode == "L" else "/DeviceRGB"
                body = (f"<< /Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace {space} "
                        f"/BitsPerComponent 8 /Filter /DCTDecode /Length {len(data)} >>\nstream\n").encode() + data + b"\nendstream"
                return self.add(body)
            picture = picture.convert("RGBA" if "A" in mode or "transparency" in picture.info else "RGB")
            mask = ""
            if picture.mode == "RGBA":
                alpha = picture.getchannel("A")
                soft = self.stream(f"/Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace /DeviceGray "
                                   "/BitsPerComponent 8", alpha.tobytes())
                mask = f" /SMask {soft} 0 R"
                picture = picture.convert("RGB")
            return self.stream(f"/Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace /DeviceRGB "
                               f"/BitsPerComponent 8{mask}", picture.tobytes())


# ---------------------------------------------------------------- a page of another PDF, as a form

class Reader:
    """Just enough of a PDF reader to copy a one-page file without compressed object streams (an SVG drawn alone by
    rsvg-convert: cairo writes none) into another file: objects as they are, streams as they are."""

    def __init__(self, data: bytes):
        self.data = data
        start = int(re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", data)[1])
        table = re.match(rb"xref\s+0\s+(\d+)\s+", data[start:])
        rows = data[start + table.end():].split(b"\n")[: int(table[1])]
        self.offsets = {index: data.index(b"obj", int(row[:10])) + 3 for index, row in enumerate(rows) if row[17:18] == b"n"}

    def object_text(self, reference: int) -> bytes:
        start = self.offsets[reference]
        end = self.data.index(b"endobj", start)
        return self.data[start:end].strip()

    def copy(self, reference: int, writer: Writer, done: dict[int, int]) -> int:
        """Copy object `reference` and everything it refers to into `writer`; return its number there."""
        if reference in done:
            return done[reference]
        target = done[reference] = writer.reserve()
        body = self.object_text(reference)
        head, marker, rest = split_stream(body)
        length_ref = re.search(rb"/Length\s+(\d+)\s+0\s+R", head)
        if length_ref:
            length = int(self.object_text(int(length_ref[1])))
            head = head.replace(length_ref[0], b"/Length " + str(length).encode())
        head = self.relink(head, writer, done)
        writer.put(target, head + marker + rest if marker else head)
        return target

    def relink(self, text: bytes, writer: Writer, done: dict[int, int]) -> bytes:
        """Return `text` with each reference to an object of this file turned into one to its copy in `writer`."""
        return re.sub(rb"(\d+)\s+0\s+R\b", lambda m: f"{self.copy(int(m[1]), writer, done)} 0 R".encode(), text)


def split_stream(body: bytes) -> tuple[bytes, bytes, bytes]:
    """Split an object into its dictionary, the keyword "stream" and the data after it (b"", b"", … when it is no
    stream): the keyword that ends the dictionary, not the same letters in a name (/BitstreamVera…)."""
    found = _STREAM.search(body)
    if not found:
        return body, b"", b""
    return body[:found.start(1)], b"stream", body[found.end(1):]


_STREAM = re.compile(rb">>\s*(stream)(?=\r\n|\n|\r)")


def import_page(data: bytes, writer: Writer) -> int:
    """Copy the first page of a PDF (uncompressed object structure) into `writer` as a form XObject; return it."""
    reader = Reader(data)
    root = int(re.search(rb"/Root\s+(\d+)\s+0\s+R", data)[1])
    pages = int(re.search(rb"/Pages\s+(\d+)\s+0\s+R", reader.object_text(root))[1])
    kids = re.search(rb"/Kids\s*\[\s*(\d+)\s+0\s+R", reader.object_text(pages))
    page = reader.object_text(int(kids[1]))
    box = [float(v) for v in re.search(rb"/MediaBox\s*\[([^\]]*)\]", page)[1].split()]
    done: dict[int, int] = {}
    resources = re.search(rb"/Resources\s+(\d+\s+0\s+R)", page)
    written = reader.relink(resources[1] if resources else _dictionary_after(page, b"/Resources"), writer, done)
    resources_text = written.decode("latin-1")
    contents = re.search(rb"/Contents\s+(?:\[\s*)?(\d+)\s+0\s+R", page)
    stream = reader.object_text(int(contents[1]))
    head, _, rest = split_stream(stream)
    payload = rest.lstrip(b"\r\n")
    length_direct = re.search(rb"/Length\s+(\d+)(?!\s+0\s+R)", head)
    length_ref = re.search(rb"/Length\s+(\d+)\s+0\s+R", head)
    length = int(length_direct[1]) if length_direct else int(reader.object_text(int(length_ref[1])))
    payload = payload[:length]
    filters = re.search(rb"/Filter\s*(\[[^\]]*\]|/\w+)", head)
    filter_text = f" /Filter {filters[1].decode()}" if filters else ""
    form = writer.stream(
        f"/Type /XObject /Subtype /Form /BBox [{' '.join(number(v) for v in box)}] /Resources {resources_text}{filter_text}",
        payload, compress=not filters)
    return form


def _dictionary_after(text: bytes, key: bytes) -> bytes:
    """Return the dictionary written right after `key` in `text` (nested dictionaries kept whole)."""
    start = text.index(b"<<", text.index(key))
    depth, at = 0, start
    while at < len(text):
        if text.startswith(b"<<", at):
            depth += 1
            at += 2
        elif text.startswith(b">>", at):
            depth -= 1
            at += 2
            if depth == 0:
                return text[start:at]
        else:
            at += 1
    raise ValueError("dictionary not closed")


def faces(fonts: tuple[tuple[str, str, str, bool, bool], ...]) -> dict[str, Face]:
    """Return {style: Face} from (style, path, name, italic, bold)."""
    return {style: Face(path, name, italic, bold) for style, path, name, italic, bold in fonts}
