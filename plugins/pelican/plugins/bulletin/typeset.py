"""The printed edition's typesetter: an edition (printing.py gives it as plain data: titles, bodies as HTML, picture
file names) laid out on A4 pages and written as PDF (pdfdoc.py).

A bulletin has one fixed shape, so the layout is written for it rather than for any HTML: a cover (masthead, the
lead photo, the cover story), the table of contents (titles, dotted leaders, page numbers), the articles one after
the other (units and date, title, sapo across the page; photos and text in two balanced columns; the author at the
end), the legal information on the last page; a running header (unit, issue) and page numbers.

How: an article body becomes a list of boxes a column wide (lines of justified text, photos with captions, table
rows, rules), made once per article and process (an article is in several editions); pages are then only filled
with boxes: a break never leaves one line of a paragraph alone (orphans, widows), never follows a heading, never
splits a photo from its caption, and an article's columns end level. Words break only at spaces: a Vietnamese
syllable is never split, and what the web keeps on one line (a year range, a name in a title) stays on one line.
"""

from __future__ import annotations

import bisect
import functools
import html
import itertools
import re
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from typing import NamedTuple
from urllib.parse import quote

from . import pdfdoc
from .wrapping import headline_text, years_whole

MM = 72 / 25.4
PAGE_WIDTH, PAGE_HEIGHT = 210 * MM, 297 * MM
MARGIN = {"top": 22 * MM, "side": 18 * MM, "bottom": 20 * MM}
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN["side"]
GAP = 6 * MM
COLUMN = (TEXT_WIDTH - GAP) / 2
TOP, BOTTOM, LEFT = MARGIN["top"], PAGE_HEIGHT - MARGIN["bottom"], MARGIN["side"]

# Fonts: (style, name in the PDF, italic, bold); printing.py finds each style's file with fontconfig. Charis SIL
# (Debian's fonts-sil-charis) has every Vietnamese letter with its marks drawn right; DejaVu Sans Mono for code;
# DejaVu Sans for any character Charis lacks.
FONTS = (
    ("serif", "Charis-SIL", False, False),
    ("serif-bold", "Charis-SIL-Bold", False, True),
    ("serif-italic", "Charis-SIL-Italic", True, False),
    ("serif-bold-italic", "Charis-SIL-Bold-Italic", True, True),
    ("mono", "DejaVu-Sans-Mono", False, False),
    ("mono-bold", "DejaVu-Sans-Mono-Bold", False, True),
    ("sans", "DejaVu-Sans", False, False),
    ("sans-bold", "DejaVu-Sans-Bold", False, True),
)
FALLBACK = {"serif": "sans", "serif-italic": "sans", "serif-bold": "sans-bold", "serif-bold-italic": "sans-bold",
            "mono": "sans", "mono-bold": "sans-bold"}

# Colours: black and dark grey (4.5:1 or more against white once printed in grey), and the masthead's dark red.
BLACK, GREY, MASTHEAD = (0, 0, 0), (0.2, 0.2, 0.2), (0x7A / 255, 0x1A / 255, 0x16 / 255)
COLOURS = {"text": BLACK, "muted": GREY, "masthead": MASTHEAD}
URI_SAFE = ":/?#[]@!$&'()*+,;=%~"  # kept as they are when an address is written into a link
MAX_SPAN = 50  # columns a table cell may span
LEADING = 1.38  # line height, as a multiple of the font size
BODY_SIZE = 10.5
PARAGRAPH_GAP = 0.45 * BODY_SIZE


class Look(NamedTuple):
    """How a run of text is drawn."""

    font: str = "serif"
    size: float = BODY_SIZE
    colour: tuple = BLACK
    underline: bool = False
    strike: bool = False
    rise: float = 0.0
    tracking: float = 0.0  # extra space after each character, in points
    link: str = ""


BODY = Look()


# ---------------------------------------------------------------- HTML into a small tree

@dataclass
class Node:
    tag: str
    attrs: dict = field(default_factory=dict)
    children: list = field(default_factory=list)  # Node or str


VOID = {"br", "img", "hr", "wbr", "col", "source"}
BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "figure", "figcaption",
          "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "hr", "dl", "dt", "dd", "details", "summary",
          "section", "article", "aside", "header", "footer", "nav", "main", "img", "colgroup", "col"}


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


# The HTML the site writes (an article's body): tags with quoted attributes, ASCII spaces between them (html.parser
# reads other spaces otherwise), text with character references.
_TOKENS = re.compile(r"""<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:[ \t\n\r\f]+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:[ \t\n\r\f]*=[ \t\n\r\f]*(?:"[^"]*"|'[^']*'))?)*)[ \t\n\r\f]*(/?)>|([^<]+)""")
_ATTRIBUTES = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:[ \t\n\r\f]*=[ \t\n\r\f]*(?:"([^"]*)"|'([^']*)'))?""")
_RAW_TEXT = {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext"}


def parse(fragment: str) -> Node:
    """Return an HTML fragment as a tree, as html.parser reads it; in one regular expression's pass when it is made
    only of what _TOKENS matches (the HTML the site writes), else with html.parser."""
    root = Node("root")
    stack = [root]
    at = 0
    for token in _TOKENS.finditer(fragment):
        if token.start() != at:
            break  # what _TOKENS does not read ("<" alone, a comment, an unquoted attribute): html.parser reads it all
        at = token.end()
        closing, tag, attributes, empty, text = token.groups()
        if text is not None:
            stack[-1].children.append(html.unescape(text) if "&" in text else text)
            continue
        tag = tag.lower()
        if tag in _RAW_TEXT:
            break
        if closing:
            if attributes or empty:
                break
            for depth in range(len(stack) - 1, 0, -1):
                if stack[depth].tag == tag:
                    del stack[depth:]
                    break
            continue
        attrs = {}
        for name, double, single in _ATTRIBUTES.findall(attributes):
            value = double or single
            attrs[name.lower()] = html.unescape(value) if "&" in value else value
        node = Node(tag, attrs)
        stack[-1].children.append(node)
        if not empty and tag not in VOID:
            stack.append(node)
    else:
        if at == len(fragment):
            return root
    builder = _TreeBuilder()
    builder.feed(fragment)
    builder.close()
    return builder.root


# ---------------------------------------------------------------- words and lines

class Piece(NamedTuple):
    look: Look
    text: str
    width: float


@dataclass(slots=True)
class Word:
    pieces: list  # of Piece
    width: float
    space: float = 0.0  # the width of the space after it (0: none, the word ends a line or joins the next)
    space_look: Look | None = None


@dataclass(slots=True)
class Line:
    """A line of text: words, placed from x (relative to its box) with extra space after each breaking space. A line
    of plain text in one look (run_lines) keeps its words as texts (`run`) and makes them into Words when asked."""

    _words: list | None
    height: float
    baseline: float
    x: float = 0.0
    extra: float = 0.0  # added to each space to justify
    painted: tuple | None = None  # Painter.line's work, kept for the next edition that draws this line
    run: Run | None = None

    @property
    def words(self) -> list:
        if self._words is None:
            run = self.run
            measured, space = run.measured, run.space
            self._words = [Word(*measured[text], space, run.look) for text in run.texts]
            if not run.spaced:
                self._words[-1].space = 0.0
        return self._words


class Run(NamedTuple):
    """The words of a line of plain text in one look: each but the last followed by a space, the last too when the
    paragraph goes on (`spaced`)."""

    look: Look
    texts: list
    spaced: bool
    measured: dict  # Fonts.words_in(look)
    space: float


class UsualCuts(dict):
    """The usual cut of each face (pdfdoc.REPERTOIRE), made when a face is first drawn."""

    def __init__(self, faces: dict[str, pdfdoc.Face]):
        super().__init__()
        self.faces = faces

    def __missing__(self, style: str) -> pdfdoc.Cut:
        cut = self[style] = self.faces[style].cut(frozenset())
        return cut

    def make(self, *styles: str) -> None:
        """Cut these faces now (a process about to fork, so that its workers share the cuts)."""
        for style in styles:
            if style not in self:
                self.__missing__(style)


class Fonts:
    """The faces of an edition's fonts, and every character each style draws (to cut the fonts)."""

    def __init__(self, faces: dict[str, pdfdoc.Face]):
        self.faces = faces
        self.widths: dict[tuple[str, str], float] = {}
        self.words: dict[Look, dict[str, tuple[list[Piece], float]]] = {}  # look -> text -> (pieces, width)
        self.spaces: dict[Look, float] = {}
        self.lines: dict[tuple, list[Line]] = {}
        self.cuts = UsualCuts(faces)

    def face_for(self, font: str, char: str) -> str:
        """Return the style that draws `char` in `font`: the font itself, else its fallback."""
        if self.faces[font].has(char):
            return font
        fallback = FALLBACK.get(font, "sans")
        return fallback if self.faces[fallback].has(char) else font

    def measure(self, font: str, text: str) -> float:
        """Return the width of text in thousandths of an em."""
        key = (font, text)
        width = self.widths.get(key)
        if width is None:
            width = self.widths[key] = self.faces[font].width(text)
        return width

    def pieces(self, look: Look, text: str) -> list[Piece]:
        """Return text as pieces of one face each (a character the face lacks goes to the fallback face)."""
        return self.words_in(look)[text][0]

    def words_in(self, look: Look) -> dict[str, tuple[list[Piece], float]]:
        """Return the words measured in a look (pieces and width), each measured when first asked for and kept: a body
        is mostly the same syllables again (one dictionary per look: a look is hashed once per run of text, not once
        per word)."""
        found = self.words.get(look)
        if found is None:
            found = self.words[look] = Measured(self, look)
        return found

    def _pieces(self, look: Look, text: str) -> list[Piece]:
        face = self.faces[look.font]
        if all(face.has(c) for c in text):
            return [Piece(look, text, self.measure(look.font, text) * look.size / 1000 + look.tracking * len(text))]
        out: list[Piece] = []
        run, current = "", look.font
        for char in text:
            style = self.face_for(look.font, char)
            if style != current and run:
                out.append(self._piece(look._replace(font=current), run))
                run = ""
            current = style
            run += char
        if run:
            out.append(self._piece(look._replace(font=current), run))
        return out

    def _piece(self, look: Look, text: str) -> Piece:
        return Piece(look, text, self.measure(look.font, text) * look.size / 1000 + look.tracking * len(text))

    def space(self, look: Look) -> float:
        width = self.spaces.get(look)
        if width is None:
            width = self.spaces[look] = self.measure(look.font, " ") * look.size / 1000 + look.tracking
        return width


class Measured(dict):
    """Fonts.words_in's dictionary: each word's pieces and width in one look, measured when first asked for."""

    def __init__(self, fonts: Fonts, look: Look):
        super().__init__()
        self.fonts, self.look = fonts, look
        self.mixed: set[str] = set()  # words drawn partly by another face (a character the look's face lacks)

    def __missing__(self, text: str) -> tuple[list[Piece], float]:
        pieces = self.fonts._pieces(self.look, text)
        if len(pieces) != 1 or pieces[0].look is not self.look:
            self.mixed.add(text)
        found = self[text] = (pieces, pieces[0].width if len(pieces) == 1 else sum(p.width for p in pieces))
        return found


_BREAKS = re.compile(r"([ \t\n\r\f]+|\u200b)")  # where a line may break: spaces, a zero-width space
# Characters that print nothing: a soft hyphen (syllables are never split), joiners, a byte-order mark.
_INVISIBLE = {0xAD: None, 0x200C: None, 0x200D: None, 0x2060: None, 0xFEFF: None, 0x200E: None, 0x200F: None}
_HAS_INVISIBLE = re.compile("[" + "".join(map(chr, _INVISIBLE)) + "]")


def printable(text: str, years: bool = True) -> str:
    """Return a run of text as it is set: without the characters that print nothing, each year range (2020 – 2025)
    kept whole when `years` (a title has it done already: wrapping.headline_text)."""
    if _HAS_INVISIBLE.search(text):
        text = text.translate(_INVISIBLE)
    return years_whole(text) if years else text


class Inline:
    """Collects the runs of a paragraph (text with its look, forced breaks) and makes words of them."""

    def __init__(self, fonts: Fonts):
        self.fonts = fonts
        self.pending: list[Piece] = []
        self.lines_of_words: list[list[Word]] = [[]]  # split at <br>
        self._look: Look | None = None  # the look of the last space, and its width
        self._space = 0.0

    def text(self, text: str, look: Look, years: bool = True) -> None:
        """Add a run of text (`years`: see printable())."""
        parts = _BREAKS.split(printable(text, years))
        # _end_word, written out for the usual case (a word in one run, then a space): most of a body's time
        measured = self.fonts.words_in(look)
        line = self.lines_of_words[-1]
        for index in range(0, len(parts) - 1, 2):
            part, separator = parts[index], parts[index + 1]
            if part and not self.pending:
                line.append(Word(*measured[part]))
            else:
                if part:
                    self.pending.extend(measured[part][0])
                self._end_word(look, space=False)
            if separator != "\u200b" and line and not line[-1].space:
                if look is not self._look:
                    self._look, self._space = look, self.fonts.space(look)
                line[-1].space, line[-1].space_look = self._space, look
        if parts[-1]:
            self.pending.extend(measured[parts[-1]][0])

    def _end_word(self, look: Look, space: bool) -> None:
        line = self.lines_of_words[-1]
        pending = self.pending
        if pending:
            line.append(Word(pending, pending[0].width if len(pending) == 1 else sum(p.width for p in pending)))
            self.pending = []
        if space and line and not line[-1].space:
            if look is not self._look:
                self._look, self._space = look, self.fonts.space(look)
            line[-1].space, line[-1].space_look = self._space, look

    def forced_break(self) -> None:
        self._end_word(BODY, space=False)
        if self.lines_of_words[-1] and self.lines_of_words[-1][-1].space:
            self.lines_of_words[-1][-1].space = 0.0
        self.lines_of_words.append([])

    def finish(self) -> list[list[Word]]:
        self._end_word(BODY, space=False)
        for words in self.lines_of_words:
            if words:
                words[-1].space = 0.0
        return [words for words in self.lines_of_words if words]


def break_words(words: list[Word], width: float, fonts: Fonts) -> list[Word]:
    """Split a word longer than the line (an address, a long number) into pieces that fit."""
    out = []
    for word in words:
        if word.width <= width:
            out.append(word)
            continue
        chunk: list[Piece] = []
        used = 0.0
        for piece in word.pieces:
            for char in piece.text:
                w = fonts.measure(piece.look.font, char) * piece.look.size / 1000 + piece.look.tracking
                if used + w > width and chunk:
                    out.append(Word(chunk, used))
                    chunk, used = [], 0.0
                if chunk and chunk[-1].look == piece.look:
                    last = chunk[-1]
                    chunk[-1] = Piece(last.look, last.text + char, last.width + w)
                else:
                    chunk.append(Piece(piece.look, char, w))
                used += w
        out.append(Word(chunk, used, word.space, word.space_look))
    return out


def set_lines(paragraph: list[list[Word]], width: float, fonts: Fonts, align: str = "justify",
              leading: float = LEADING) -> list[Line]:
    """Break words into lines of `width` (greedy: as many words as fit), justified but for the last line of each
    run, or aligned left, right or centred."""
    lines: list[Line] = []
    for words in paragraph:
        words = break_words(words, width, fonts)
        start = 0
        while start < len(words):
            used = words[start].width
            end = start + 1
            while end < len(words):
                candidate = used + words[end - 1].space + words[end].width
                if candidate > width + 0.01:
                    break
                used = candidate
                end += 1
            chosen = words[start:end]
            size = max(p.look.size for w in chosen for p in w.pieces)
            height = size * leading
            line = Line(chosen, height, height / 2 + size * 0.36)
            last = end == len(words)
            align_line(line, width - used, align, sum(1 for w in chosen[:-1] if w.space) if align == "justify" else 0, last)
            lines.append(line)
            start = end
    return lines


def align_line(line: Line, free: float, align: str, spaces: int, last: bool) -> None:
    """Place a line in the room its words leave (`free`): justified, but a paragraph's last line, by widening its
    `spaces` breaking spaces; right; centred; or left."""
    if align == "justify":
        if not last and spaces:
            line.extra = free / spaces
    elif align == "right":
        line.x = free
    elif align == "center":
        line.x = free / 2


_SPACES = re.compile(r"[ \t\n\r\f]+")  # _BREAKS but the zero-width space
_OTHER_SPACES = re.compile("[" + "".join(c for c in map(chr, range(0x3001)) if c.isspace() and c not in " \t\n\r\f") + "]")


def run_lines(text: str, look: Look, fonts: Fonts, width: float, align: str = "justify",
              leading: float = LEADING, years: bool = True) -> list[Line] | None:
    """Return set_lines(words of `text` in `look`) for the usual paragraph, in two fifths of the time: plain text in a
    look that draws no line and links nowhere, each word drawn by the look's own face and no wider than the line;
    else None. Its lines keep their words as texts (Line.run) and Painter.plain draws them in one pass."""
    if look.underline or look.strike or look.link or "\u200b" in text:
        return None
    text = printable(text, years)
    # str.split breaks at every Unicode space, _SPACES only where a line may break: the same words without the others
    texts = _SPACES.split(text.strip(" \t\n\r\f")) if _OTHER_SPACES.search(text) else text.split()
    if not texts or texts == [""]:
        return []
    measured = fonts.words_in(look)
    widths = [measured[t][1] for t in texts]
    if not measured.mixed.isdisjoint(texts) or max(widths) > width:
        return None
    space = fonts.space(look)
    size = look.size
    height = size * leading
    baseline = height / 2 + size * 0.36
    lines: list[Line] = []
    count = len(widths)
    limit = width + 0.01
    start = 0
    while start < count:
        used = widths[start]
        end = start + 1
        while end < count:
            candidate = used + space + widths[end]
            if candidate > limit:
                break
            used = candidate
            end += 1
        line = Line(None, height, baseline, run=Run(look, texts[start:end], end < count, measured, space))
        align_line(line, width - used, align, end - start - 1, end == count)
        lines.append(line)
        start = end
    return lines


# ---------------------------------------------------------------- boxes

@dataclass(slots=True)
class Box:
    """Something a column holds, one above the other: its height, what it draws (relative to its top left), the space
    above it (dropped at the top of a column) and whether a column may end just before it."""

    height: float
    draw: list  # of drawing commands (see Page)
    before: float = 0.0
    breakable: bool = True
    anchor: str = ""


def line_box(line: Line, x: float = 0.0, before: float = 0.0) -> Box:
    return Box(line.height, [("line", x, 0.0, line)], before)


def paragraph_boxes(lines: list[Line], x: float, before: float) -> list[Box]:
    """Boxes of a paragraph's lines: no column break after its first line or before its last (orphans and widows)."""
    boxes = [Box(line.height, [("line", x, 0.0, line)]) for line in lines]
    if boxes:
        boxes[0].before = before
        if len(boxes) > 1:
            boxes[1].breakable = boxes[-1].breakable = False
    return boxes


class Flow:
    """Makes the boxes of an HTML body for a width: paragraphs, headings, lists, quotes, code, tables, figures."""

    def __init__(self, fonts: Fonts, sizes: dict | None, width: float):
        self.fonts = fonts
        self.sizes = sizes  # a picture's file name -> (kind, width, height): printing.Pictures.size
        self.width = width
        self.boxes: list[Box] = []
        self.pending_gap = 0.0
        self.keep_next = False

    # -- adding boxes
    def add(self, boxes: list[Box], before: float = 0.0, after: float = 0.0, keep_next: bool = False) -> None:
        if not boxes:
            return
        boxes[0].before = max(boxes[0].before, before, self.pending_gap) if self.boxes else 0.0
        if self.keep_next:
            boxes[0].breakable = False
        self.boxes.extend(boxes)
        self.pending_gap = after
        self.keep_next = keep_next

    # -- inline content
    def inline(self, node: Node, look: Look, into: Inline, nowrap: bool = False) -> None:
        for child in node.children:
            if isinstance(child, str):
                into.text(child.replace(" ", "\u00a0") if nowrap else child, look)
                continue
            tag = child.tag
            if tag == "br":
                into.forced_break()
                continue
            if tag == "wbr":
                into.text("\u200b", look)
                continue
            if tag in ("img", "script", "style", "rp"):
                continue
            inner = inline_look(child, look)
            keep = nowrap or "nowrap" in child.attrs.get("class", "").split()
            if tag == "q":
                into.text("“", inner)
            if tag == "rt":
                into.text("(", inner)
            self.inline(child, inner, into, keep)
            if tag == "q":
                into.text("”", inner)
            if tag == "rt":
                into.text(")", inner)

    def text_block(self, node: Node, look: Look, indent: float = 0.0, align: str = "justify", before: float = PARAGRAPH_GAP,
                   after: float = PARAGRAPH_GAP, keep_next: bool = False, leading: float = LEADING) -> None:
        children = node.children
        lines = None
        if len(children) == 1 and isinstance(children[0], str):  # plain text: the quick way
            lines = run_lines(children[0], look, self.fonts, self.width - indent, align, leading)
        if lines is None:
            collector = Inline(self.fonts)
            self.inline(node, look, collector)
            lines = set_lines(collector.finish(), self.width - indent, self.fonts, align, leading)
        self.add(paragraph_boxes(lines, indent, 0.0), before, after, keep_next)

    # -- blocks
    def blocks(self, node: Node, look: Look = BODY, indent: float = 0.0) -> None:
        """Lay out the children of `node`: runs of inline content as paragraphs, block elements by kind."""
        run = Node("p")
        for child in node.children:
            if isinstance(child, str) or child.tag not in BLOCKS:
                run.children.append(child)
                continue
            self._flush(run, look, indent)
            run = Node("p")
            self.block(child, look, indent)
        self._flush(run, look, indent)

    def _flush(self, run: Node, look: Look, indent: float) -> None:
        if any((isinstance(c, str) and c.strip()) or (isinstance(c, Node) and c.tag != "br") for c in run.children):
            self.block(run, look, indent)

    def block(self, node: Node, look: Look, indent: float) -> None:
        tag = node.tag
        if tag == "p":
            images = _take_images(node)
            if _has_text(node):
                self.text_block(node, look, indent)
            for image in images:  # a picture in a paragraph (in a link, a <picture>…) prints as a figure after it
                self.figure(Node("figure", children=[image]), look, indent)
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            size = {"h1": 12.5, "h2": 11.5}.get(tag, 11.0)
            self.text_block(node, look._replace(font=bold(look.font), size=size), indent, "left", 3 * MM, 1.5 * MM, keep_next=True,
                            leading=1.25)
        elif tag in ("ul", "ol"):
            self.list_items(node, look, indent)
        elif tag == "blockquote":
            start = len(self.boxes)
            self.blocks(node, look._replace(font=italic(look.font)), indent + 3 * MM)
            for index in range(start, len(self.boxes)):  # the rule at its left, across the gaps between its blocks
                box = self.boxes[index]
                above = box.before if index > start else 0.0
                box.draw.append(("bar", indent, -above, box.height + above))
        elif tag == "pre":
            self.preformatted(node, look, indent)
        elif tag == "hr":
            self.add([Box(1.0, [("rule", indent, 0.5, self.width, 0.5, GREY)])], 2 * MM, 2 * MM)
        elif tag in ("figure", "img"):
            self.figure(node, look, indent)
        elif tag == "table":
            self.table(node, look, indent)
        elif tag == "dl":
            for child in node.children:
                if isinstance(child, Node) and child.tag == "dt":
                    self.text_block(child, look._replace(font=bold(look.font)), indent, "left", PARAGRAPH_GAP, 0.0, keep_next=True)
                elif isinstance(child, Node) and child.tag == "dd":
                    self.blocks(child, look, indent + 5 * MM)
        elif tag in ("summary", "dt", "caption", "figcaption"):
            self.text_block(node, look._replace(font=bold(look.font)), indent, "left", keep_next=True)
        else:  # div, li outside a list, details, dd, section, table parts outside a table…
            self.blocks(node, look, indent)

    def list_items(self, node: Node, look: Look, indent: float) -> None:
        ordered = node.tag == "ol"
        try:
            counter = int(node.attrs.get("start") or 1)
        except ValueError:
            counter = 1
        inner = indent + 5 * MM if indent + 5 * MM <= self.width / 2 else indent  # deeper lists stop moving right
        for child in node.children:
            if not isinstance(child, Node) or child.tag != "li":
                continue
            if child.attrs.get("value", "").lstrip("-").isdigit():
                counter = int(child.attrs["value"])
            marker = f"{counter}." if ordered else "•"
            counter += 1
            start = len(self.boxes)
            self.blocks(child, look, inner)
            if len(self.boxes) > start:
                first = self.boxes[start]
                pieces = self.fonts.pieces(look, marker)
                width = sum(p.width for p in pieces)
                line = Line([Word(pieces, width)], first.height, first.draw[0][3].baseline if first.draw and first.draw[0][0] == "line" else look.size)
                first.draw.append(("line", inner - width - 1.5 * MM, 0.0, line))

    def preformatted(self, node: Node, look: Look, indent: float) -> None:
        code = look._replace(font="mono", size=8.5)
        text = "".join(_text_of(node)).replace("\r", "").expandtabs(4).translate(_INVISIBLE).strip("\n")
        lines = []
        for raw in text.split("\n"):
            pieces = self.fonts.pieces(code, raw.replace(" ", "\u00a0") or "\u00a0")
            words = break_words([Word(pieces, sum(p.width for p in pieces))], self.width - indent, self.fonts)
            for word in words:  # a line too long for the column goes on at the next line
                lines.extend(set_lines([[word]], self.width - indent, self.fonts, "left", 1.3))
        self.add(paragraph_boxes(lines, indent, 0.0), PARAGRAPH_GAP, PARAGRAPH_GAP)

    def figure(self, node: Node, look: Look, indent: float) -> None:
        images = [node] if node.tag == "img" else _take_images(node, keep=("figcaption",))
        captions = [c for c in node.children if isinstance(c, Node) and c.tag == "figcaption"]
        others = [c for c in node.children if c not in captions] if node.tag != "img" else []
        width = self.width - indent
        boxes: list[Box] = []
        for image in images:
            size = self.sizes.get(image.attrs.get("src", ""))
            if size is None:
                continue
            kind, natural_width, natural_height = size
            drawn_width = width
            drawn_height = drawn_width * natural_height / natural_width
            limit = (BOTTOM - TOP) * 0.8
            if drawn_height > limit:
                drawn_width, drawn_height = drawn_width * limit / drawn_height, limit
            boxes.append(Box(drawn_height, [(kind, indent, 0.0, drawn_width, drawn_height, image.attrs["src"])], 0.0))
        if any(isinstance(c, Node) or c.strip() for c in others):  # a quote, a table… in the figure: printed as blocks
            if boxes:
                self.add(boxes, 0.0, 1.2 * MM, keep_next=True)  # the picture stays with what follows it
                boxes = []
            self.blocks(Node("div", children=others), look, indent)
        for caption in captions:
            collector = Inline(self.fonts)
            self.inline(caption, look._replace(font=italic(look.font), size=9, colour=GREY), collector)
            lines = set_lines(collector.finish(), width, self.fonts, "left", 1.3)
            caption_boxes = [line_box(line, indent) for line in lines]
            if caption_boxes:
                caption_boxes[0].before = 1.2 * MM
            boxes.extend(caption_boxes)
        if not boxes:
            return
        for box in boxes[1:]:
            box.breakable = False  # a photo and its caption stay together
        if boxes[0].draw[0][0] == "line":
            boxes[0].breakable = False  # a caption under a quote or a table stays with it
        self.add(boxes, 0.0, 3 * MM)

    def table(self, node: Node, look: Look, indent: float) -> None:
        rows = list(_rows(node))
        if not rows:
            return
        small = look._replace(size=9)
        padding = 1 * MM
        grid = []
        for row in rows:
            cells = [c for c in row.children if isinstance(c, Node) and c.tag in ("td", "th")]
            grid.append([(c, _span(c)) for c in cells])
        count = max(sum(span for _, span in cells) for cells in grid) or 1
        natural = [1.0] * count
        for cells in grid:
            at = 0
            for cell, span in cells:
                length = len(" ".join(_text_of(cell)))
                if span == 1 and at < count:
                    natural[at] = max(natural[at], min(length, 60) + 4)
                at += span
        width = self.width - indent
        total = sum(natural)
        columns = [width * n / total for n in natural]
        boxes = []
        captions = [c for c in node.children if isinstance(c, Node) and c.tag == "caption"]
        for caption in captions:
            self.text_block(caption, small._replace(font=italic(look.font)), indent, "left", PARAGRAPH_GAP, 1 * MM, keep_next=True)
        for cells in grid:
            x = indent
            drawn, height = [], 0.0
            at = 0
            for cell, span in cells:
                cell_width = sum(columns[at:at + span]) if at < count else columns[-1]
                cell_look = small._replace(font=bold(small.font)) if cell.tag == "th" else small
                sub = Flow(self.fonts, self.sizes, cell_width - 2 * padding)
                sub.blocks(cell, cell_look)
                inner = 0.0
                for box in sub.boxes:
                    inner += (box.before if inner else 0.0) + box.height
                    drawn.append(("group", x + padding, padding + inner - box.height, box))
                height = max(height, inner + 2 * padding)
                drawn.append(("cell", x, cell_width))
                x += cell_width
                at += span
            if height > (BOTTOM - TOP) * 0.9:  # a row taller than a column: its cells one after the other, unframed
                boxes += [Box(c[3].height, [("group", indent, 0.0, c[3])], c[3].before) for c in drawn if c[0] == "group"]
                continue
            commands = [c for c in drawn if c[0] == "group"]
            commands += [("frame", c[1], 0.0, c[2], height) for c in drawn if c[0] == "cell"]
            boxes.append(Box(height, commands))
        self.add(boxes, PARAGRAPH_GAP, 3 * MM)


def _take_images(node: Node, keep: tuple[str, ...] = ()) -> list[Node]:
    """Remove every picture inside `node` (but inside a `keep` element) from the tree; return them in order."""
    found = []
    for child in list(node.children):
        if not isinstance(child, Node) or child.tag in keep:
            continue
        if child.tag == "img":
            found.append(child)
            node.children.remove(child)
        else:
            found += _take_images(child, keep)
    return found


def _has_text(node: Node) -> bool:
    """Tell whether a node holds any text or line break worth a paragraph."""
    return any((isinstance(c, str) and c.strip()) or (isinstance(c, Node) and _has_text(c)) for c in node.children)


def _text_of(node: Node) -> list[str]:
    out = []
    for child in node.children:
        out.extend([child] if isinstance(child, str) else _text_of(child))
    return out


def _span(cell: Node) -> int:
    """Return how many columns a cell spans (1 to MAX_SPAN)."""
    value = str(cell.attrs.get("colspan", "1")).strip()
    return min(MAX_SPAN, max(1, int(value))) if value.isdigit() else 1


def _rows(node: Node):
    """Yield a table's own rows (in its head, bodies and foot), not those of a table inside a cell."""
    for child in node.children:
        if isinstance(child, Node):
            if child.tag == "tr":
                yield child
            elif child.tag in ("thead", "tbody", "tfoot"):
                yield from _rows(child)


def bold(font: str) -> str:
    return {"serif": "serif-bold", "serif-italic": "serif-bold-italic", "mono": "mono-bold", "sans": "sans-bold"}.get(font, font)


def italic(font: str) -> str:
    return {"serif": "serif-italic", "serif-bold": "serif-bold-italic"}.get(font, font)


def upright(font: str) -> str:
    return {"serif-italic": "serif", "serif-bold-italic": "serif-bold"}.get(font, font)


def inline_look(node: Node, look: Look) -> Look:
    """Return the look of an inline element's content."""
    tag = node.tag
    if tag in ("strong", "b", "mark"):
        return look._replace(font=bold(look.font))
    if tag in ("em", "i", "cite", "dfn", "var"):
        return look._replace(font=upright(look.font) if look.font in ("serif-italic", "serif-bold-italic") else italic(look.font))
    if tag in ("u", "ins"):
        return look._replace(underline=True)
    if tag in ("s", "del", "strike"):
        return look._replace(strike=True)
    if tag in ("code", "kbd", "samp", "tt"):
        return look._replace(font="mono-bold" if "bold" in look.font else "mono", size=look.size * 0.9)
    if tag == "sup":
        return look._replace(size=look.size * 0.7, rise=look.rise + look.size * 0.35)
    if tag == "sub":
        return look._replace(size=look.size * 0.7, rise=look.rise - look.size * 0.15)
    if tag in ("small", "rt"):
        return look._replace(size=look.size * 0.8)
    if tag == "a":
        href = node.attrs.get("href", "")
        if href.startswith(("http://", "https://")):
            return look._replace(underline=True, link=href)
    return look


# ---------------------------------------------------------------- pages

@dataclass(slots=True)
class Page:
    """A page: drawing commands at absolute positions (points, from the top left) and where its links go."""

    commands: list = field(default_factory=list)
    links: list = field(default_factory=list)  # (x0, top, x1, bottom, target): target an anchor or an address
    header: bool = True


class Pages:
    """The pages of an edition as they fill up: a cursor y on the current page."""

    def __init__(self):
        self.pages: list[Page] = []
        self.y = TOP
        self.anchors: dict[str, tuple[int, float]] = {}

    def new(self, header: bool = True) -> Page:
        self.pages.append(Page(header=header))
        self.y = TOP
        return self.pages[-1]

    @property
    def current(self) -> Page:
        return self.pages[-1]

    def place(self, box: Box, x: float, y: float) -> None:
        self.current.commands.append(("group", x, y, box))
        if box.anchor:
            self.anchors.setdefault(box.anchor, (len(self.pages), y))

    def stack(self, boxes: list[Box], x: float = LEFT, keep: bool = False) -> None:
        """Place full-width boxes one under the other, starting a page when one does not fit."""
        total = sum(b.before + b.height for b in boxes)
        if keep and self.y + total > BOTTOM and self.y > TOP:
            self.new()
        for box in boxes:
            gap = box.before if self.y > TOP else 0.0
            if self.y + gap + box.height > BOTTOM and self.y > TOP:
                self.new()
                gap = 0.0
            self.place(box, x, self.y + gap)
            self.y += gap + box.height


class Stack:
    """An article's boxes one above the other, with the running sum of their heights and the gaps above them: the
    height of a column of boxes[start:end] in constant time, what fits in a height by bisection (the two columns of an
    article's last page are balanced by trying some fourteen heights). Gaps are never negative. Where a column ends
    and the page goes on is still summed box by box (column_height, place_column): a sum in another order may differ
    in its last bits, which only decides a fit within a millionth of a point of the limit."""

    def __init__(self, boxes: list[Box]):
        self.boxes = boxes
        self.tops = list(itertools.accumulate([b.before + b.height for b in boxes], initial=0.0))

    def height(self, start: int, end: int) -> float:
        """The height of a column of boxes[start:end] (the gap above its first box dropped)."""
        return self.tops[end] - self.tops[start] - self.boxes[start].before if end > start else 0.0

    def fill(self, start: int, height: float) -> int:
        """Return the end of the boxes from `start` that fit in a column of `height` with a legal break (at least one
        box always goes in: a column never stays empty)."""
        boxes = self.boxes
        end = bisect.bisect_right(self.tops, self.tops[start] + boxes[start].before + height + 0.01, start + 1) - 1
        if end == len(boxes):
            return end
        legal = end
        while legal > start and not boxes[legal].breakable:
            legal -= 1
        if legal == start:  # nothing breaks here: overflow rather than an empty column
            return end if end > start else start + 1
        return legal

    def fits(self, start: int, end: int, height: float) -> bool:
        """Tell whether boxes[start:end] make a column of `height` that ends where a break is allowed (fill() breaks
        anywhere, even past the bottom, when nothing may break)."""
        return (end == len(self.boxes) or self.boxes[end].breakable) and self.height(start, end) <= height + 0.01


def flow_columns(pages: Pages, boxes: list[Box]) -> None:
    """Place an article's body in two columns from the cursor, page after page; the last two columns end level. A
    column ends only where a break is allowed, unless what must stay together is taller than a whole column."""
    stack = Stack(boxes)
    fill, fits, count = stack.fill, stack.fits, len(boxes)
    start = 0
    while start < count:
        room = BOTTOM - pages.y
        whole = room >= BOTTOM - TOP - 0.01  # a page of its own: nothing would fit better on the next one
        first_end = fill(start, room)
        if not whole and not fits(start, first_end, room):
            pages.new()
            continue
        second_end = fill(first_end, room) if first_end < count else first_end
        if not whole and not fits(first_end, second_end, room):
            second_end = first_end  # what comes next goes on together on the next page
        if second_end >= count:  # the rest fits on this page: balance the two columns
            low = max(stack.height(start, count) / 2, max(b.height for b in boxes[start:]))
            high = room
            best = first_end
            if low <= high:
                for _ in range(14):
                    middle = (low + high) / 2
                    a = fill(start, middle)
                    b = fill(a, middle) if a < count else a
                    if b >= count and fits(start, a, middle) and fits(a, b, middle):
                        best, high = a, middle
                    else:
                        low = middle
                    if high - low < 0.5:
                        break
            height = max(column_height(boxes, start, best), column_height(boxes, best, count))
            place_column(pages, boxes, start, best, LEFT)
            place_column(pages, boxes, best, count, LEFT + COLUMN + GAP)
            pages.y += height
            return
        place_column(pages, boxes, start, first_end, LEFT)
        place_column(pages, boxes, first_end, second_end, LEFT + COLUMN + GAP)
        start = second_end
        pages.new()


def column_height(boxes: list[Box], start: int, end: int) -> float:
    """The height of a column of boxes[start:end], summed box by box (where it ends on the page)."""
    return sum(b.height + (b.before if i > start else 0.0) for i, b in enumerate(boxes[start:end], start))


def place_column(pages: Pages, boxes: list[Box], start: int, end: int, x: float) -> None:
    y = pages.y
    for index in range(start, end):
        box = boxes[index]
        if index > start:
            y += box.before
        pages.place(box, x, y)
        y += box.height


# ---------------------------------------------------------------- the edition

def words_of(text: str, look: Look, fonts: Fonts, years: bool = True) -> list[list[Word]]:
    collector = Inline(fonts)
    collector.text(text, look, years)
    return collector.finish()


def text_lines(text: str, look: Look, fonts: Fonts, width: float, align: str = "left",
               leading: float = LEADING, years: bool = True) -> list[Line]:
    """Return the lines of a text, kept for the process: a title is in several editions, and on the cover, in the
    contents and above the article (`years`: see Inline.text)."""
    text = str(text)
    key = (text, look, width, align, leading, years)
    lines = fonts.lines.get(key)
    if lines is None:
        lines = run_lines(text, look, fonts, width, align, leading, years)
        if lines is None:
            lines = set_lines(words_of(text, look, fonts, years), width, fonts, align, leading)
        fonts.lines[key] = lines
    return lines


def lines_box(text: str, look: Look, fonts: Fonts, width: float, align: str = "left", leading: float = LEADING,
              before: float = 0.0, years: bool = True) -> list[Box]:
    lines = text_lines(text, look, fonts, width, align, leading, years)
    boxes = [line_box(line) for line in lines]
    if boxes:
        boxes[0].before = before
    return boxes


def rule(width: float, thickness: float, before: float = 0.0, colour=BLACK) -> Box:
    return Box(thickness, [("rule", 0.0, thickness / 2, width, thickness, colour)], before)


class Edition:
    """Lays out one edition (printing.py's data) into pages."""

    def __init__(self, data: dict, fonts: Fonts, bodies: dict):
        self.data, self.fonts, self.bodies = data, fonts, bodies
        self.sizes = {name: tuple(size) for name, size in data["pictures"].items()}
        self.pages = Pages()

    def body_boxes(self, body: str) -> list[Box]:
        """The boxes of an article body a column wide (kept for the process: the body is in several editions)."""
        boxes = self.bodies.get(body)
        if boxes is None:
            flow = Flow(self.fonts, self.sizes, COLUMN)
            flow.blocks(parse(body))
            boxes = self.bodies[body] = flow.boxes
        return boxes

    def lay_out(self) -> tuple[list[Page], list[int]]:
        """Lay out the table of contents, the articles and the legal information after a cover page, then the cover
        (its cover story names the page the story starts on); return the pages and the page each article starts on."""
        data = self.data
        self.pages.pages.append(Page(header=False))  # the cover, made last
        self.pages.new()
        self.pages.stack([*lines_box("Mục lục", Look("serif-bold", 18), self.fonts, TEXT_WIDTH, leading=1.2),
                          rule(TEXT_WIDTH, 1.5, 2 * MM)])
        self.pages.y += 5 * MM
        for number, article in enumerate(data["articles"], 1):
            self.pages.stack(self.toc_entry(article, number), keep=True)
        self.pages.new()
        for number, article in enumerate(data["articles"], 1):
            self.article(article, number)
        self.colophon()
        self.starts = {anchor: page for anchor, (page, _) in self.pages.anchors.items()}
        cover = Pages()
        cover.new(header=False)
        self.cover(cover)
        self.pages.pages[0] = cover.pages[0]
        return self.pages.pages, [self.starts.get(f"bai-{i}", 0) for i in range(1, len(data["articles"]) + 1)]

    # -- cover
    def cover(self, pages: Pages) -> None:
        data, fonts = self.data, self.fonts
        boxes: list[Box] = []
        if data.get("agency") and data["agency"] != data["unit"]:
            boxes += lines_box(data["agency"].upper(), Look("serif", 11, tracking=0.44), fonts, TEXT_WIDTH, "center", 1.3)
        boxes += lines_box(data["unit"].upper(), Look("serif-bold", 13), fonts, TEXT_WIDTH, "center", 1.3, 1 * MM)
        boxes += lines_box("BẢN TIN", Look("serif-bold", 54, MASTHEAD, tracking=3.24), fonts, TEXT_WIDTH, "center", 1.05, 5 * MM)
        boxes.append(rule(TEXT_WIDTH, 0.75, 3 * MM))
        issue = Inline(fonts)
        issue.text("Số\u00a0", Look("serif", 12))
        issue.text(data["number"] + "\u00a0\u00a0\u00a0\u00a0", Look("serif-bold", 12))
        issue.text(data["month"], Look("serif-italic", 12))
        boxes += [line_box(line, before=2 * MM) for line in set_lines(issue.finish(), TEXT_WIDTH, fonts, "center", 1.3)]
        boxes.append(rule(TEXT_WIDTH, 2.5, 4 * MM))
        pages.stack(boxes)
        pages.y += 6 * MM
        cover = data.get("cover")
        below: list[Box] = []  # what follows the photo: its caption, the cover story, the count
        if cover:
            if cover.get("caption"):
                below += lines_box(cover["caption"], Look("serif-italic", 9, GREY), fonts, TEXT_WIDTH, "left", 1.3, 1.2 * MM)
            story = Inline(fonts)
            story.text(headline_text(cover["title"]), Look("serif-bold", 17), years=False)
            story.text(f" (trang\u00a0{self.starts.get(cover['anchor'], 0)})", Look("serif", 11))
            lines = set_lines(story.finish(), TEXT_WIDTH, fonts, "left", 1.2)
            story_boxes = [line_box(line, before=4 * MM if i == 0 else 0.0) for i, line in enumerate(lines)]
            for box in story_boxes:
                box.draw.append(("link", 0.0, 0.0, TEXT_WIDTH, box.height, "#" + cover["anchor"]))
            below += story_boxes
        count = f"Số này có {len(data['articles'])} bài" + (f" · Bản tin điện tử: {data['siteurl']}" if data.get("siteurl") else "")
        below += [rule(TEXT_WIDTH, 0.75, 4 * MM), *lines_box(count, Look("serif", 9.5, GREY), fonts,
                                                                TEXT_WIDTH, "left", 1.38, 2 * MM)]
        size = self.sizes.get(cover["src"]) if cover else None
        room = BOTTOM - pages.y - sum(b.before + b.height for b in below)  # the photo takes what is left, up to 3:2
        if size and room >= 25 * MM:
            kind, natural_width, natural_height = size
            height = min(TEXT_WIDTH * natural_height / natural_width, 120 * MM, room)
            width = height * natural_width / natural_height
            pages.stack([Box(height, [(kind, (TEXT_WIDTH - width) / 2, 0.0, width, height, cover["src"])])])
        pages.stack(below)

    # -- table of contents
    def toc_entry(self, article: dict, number: int) -> list[Box]:
        fonts = self.fonts
        number_room = 12 * MM
        lines = text_lines(headline_text(article["title"] or "—"), Look("serif-bold"), fonts, TEXT_WIDTH - number_room,
                           years=False) or text_lines("—", Look("serif-bold"), fonts, TEXT_WIDTH - number_room)
        boxes = [line_box(line, before=3 * MM if i == 0 else 0.0) for i, line in enumerate(lines)]
        last = lines[-1]
        used = sum(w.width + w.space for w in last.words[:-1]) + last.words[-1].width
        boxes[-1].draw.append(("leader", used + 1 * MM, TEXT_WIDTH, last.baseline, f"bai-{number}"))
        boxes += lines_box(article["toc_unit"], Look("serif-italic", 9, GREY), fonts, TEXT_WIDTH, "left", 1.38)
        for box in boxes:
            box.draw.append(("link", 0.0, 0.0, TEXT_WIDTH, box.height, f"#bai-{number}"))
            box.breakable = box is boxes[0]
        return boxes

    # -- an article
    def article(self, article: dict, number: int) -> None:
        fonts = self.fonts
        opening = number == 1 or self.pages.y <= TOP + 0.01  # no rule above an article that opens a page
        kicker = lines_box(article["kicker"].upper(), Look("serif", 8.5, GREY, tracking=0.25), fonts, TEXT_WIDTH, "left",
                           1.3, 0.0 if opening else 4 * MM)
        kicker[0].anchor = f"bai-{number}"
        header = kicker + lines_box(headline_text(article["title"]), Look("serif-bold", 17), fonts, TEXT_WIDTH, "left", 1.18,
                                    1.5 * MM, years=False)
        if article.get("standfirst"):
            header += lines_box(article["standfirst"], Look("serif-bold", 11), fonts, TEXT_WIDTH, "justify", 1.35, 2.5 * MM)
        body = list(self.body_boxes(article["body"]))
        if article.get("image"):
            image = Flow(fonts, self.sizes, COLUMN)
            image.figure(Node("figure", children=[Node("img", {"src": article["image"]["src"]}),
                                                  *([Node("figcaption", children=[article["image"]["caption"]])]
                                                    if article["image"].get("caption") else [])]), BODY, 0.0)
            if body:  # the figure's space below it (a copy: the body's boxes are kept for other editions)
                body[0] = replace(body[0], before=max(body[0].before, 3 * MM))
            body = image.boxes + body
        if article.get("byline"):
            byline = lines_box(article["byline"], Look("serif-bold"), fonts, COLUMN, "right", LEADING, 2 * MM)
            if article.get("byline_title"):
                byline += lines_box(article["byline_title"], Look("serif-italic", 9.5), fonts, COLUMN, "right", 1.3)
            for box in byline:
                box.breakable = False
            body += byline
        above = [] if opening else [rule(TEXT_WIDTH, 1.5, 8 * MM)]  # the rule between two articles on a page
        need = sum(b.before + b.height for b in above + header) + sum(b.height for b in body[:3])
        if self.pages.y + need > BOTTOM and self.pages.y > TOP:
            self.pages.new()
            kicker[0].before = 0.0
        else:
            header = above + header
        self.pages.stack(header)
        if body:
            self.pages.y += 3 * MM  # between the header and the columns
            flow_columns(self.pages, [replace(body[0], before=0.0), *body[1:]])

    # -- legal information
    def colophon(self) -> None:
        fonts, data = self.fonts, self.data
        boxes = [rule(TEXT_WIDTH, 1.5, 6 * MM),
                 *lines_box("THÔNG TIN XUẤT BẢN", Look("serif-bold", 10), fonts, TEXT_WIDTH, "left", 1.3, 3 * MM),
                 *lines_box(f"Bản tin {data['unit']} · Số {data['number']}", Look("serif-bold", 9), fonts, TEXT_WIDTH, "left", 1.38, 1.5 * MM)]
        for label, value in data["legal"]:
            lines = fonts.lines.get(("legal", label, value))
            if lines is None:  # the same facts in every edition
                fact = Inline(fonts)
                fact.text(label + ": ", Look("serif-bold", 9))
                fact.text(value, Look("serif", 9))
                lines = fonts.lines["legal", label, value] = set_lines(fact.finish(), TEXT_WIDTH, fonts, "left")
            boxes += [line_box(line, before=0.8 * MM if i == 0 else 0.0) for i, line in enumerate(lines)]
        self.pages.stack(boxes, keep=True)


# ---------------------------------------------------------------- PDF

@functools.cache
def rgb(colour) -> str:
    return " ".join(pdfdoc.number(c) for c in colour)


# A face -> what Painter.plain says a line uses: the face, and no character (every one is in the cut the line is drawn
# with, which holds pdfdoc.REPERTOIRE, so none of them asks for a wider cut).
_FACE_USED: dict[str, dict] = {}



class Painter:
    """Turns pages into PDF content streams; remembers the faces it draws with and the characters a face draws by the
    general way (encode): those outside the usual cut ask render() for a wider cut. A line drawn the quick way (plain)
    has every character in its cut and adds none."""

    def __init__(self, fonts: Fonts, starts: dict[str, int], sizes: dict):
        self.fonts = fonts
        self.starts = starts
        self.sizes = sizes
        self.used: dict[str, set] = {}
        self.names: dict[str, str] = {}  # picture file -> its resource name, as pictures are first drawn
        self.out: list[str] = []
        self.links: list = []
        self.last_used: dict | None = None

    def name(self, picture: str) -> str:
        return self.names.setdefault(picture, f"P{len(self.names) + 1}")

    def page(self, page: Page, index: int, edition: dict, cuts: dict) -> str:
        self.out = []
        self.links = []
        self.cuts = cuts
        self.last_used = None  # the last line's `used`, counted (drawn again from scratch: counted again)
        if page.header:
            muted = Look("serif", 8.5, GREY)
            self.text_at(LEFT, TOP - 2 * MM - 2.5, edition["unit"], muted)
            right = f"Bản tin số {edition['number']}"
            width = self.fonts.measure("serif", right) * 8.5 / 1000
            self.text_at(PAGE_WIDTH - LEFT - width, TOP - 2 * MM - 2.5, right, muted)
            label = str(index)
            width = self.fonts.measure("serif", label) * 9 / 1000
            self.text_at((PAGE_WIDTH - width) / 2, PAGE_HEIGHT - 10 * MM + 3, label, Look("serif", 9))
        command, line_at = self.command, self.line
        for item in page.commands:
            if item[0] == "group" and len(item[3].draw) == 1 and item[3].draw[0][0] == "line":  # most of a page
                _, x, y, box = item
                _, line_x, line_y, line = box.draw[0]
                line_at(line, x + line_x, y + line_y)
            else:
                command(item, 0.0, 0.0)
        page.links = self.links
        return "\n".join(self.out)

    def command(self, command, dx: float, dy: float) -> None:
        kind = command[0]
        if kind == "group":
            _, x, y, box = command
            for inner in box.draw:
                self.command(inner, dx + x, dy + y)
        elif kind == "line":
            _, x, y, line = command
            self.line(line, dx + x, dy + y)
        elif kind == "rule":
            _, x, y, width, thickness, colour = command
            top = PAGE_HEIGHT - (dy + y)
            self.out.append(f"q {rgb(colour)} RG {pdfdoc.number(thickness)} w {pdfdoc.number(dx + x)} {pdfdoc.number(top)} m "
                            f"{pdfdoc.number(dx + x + width)} {pdfdoc.number(top)} l S Q")
        elif kind == "bar":
            _, x, y, height = command
            top = PAGE_HEIGHT - (dy + y)
            self.out.append(f"q 0 G 1 w {pdfdoc.number(dx + x + 0.5)} {pdfdoc.number(top)} m {pdfdoc.number(dx + x + 0.5)} "
                            f"{pdfdoc.number(top - height)} l S Q")
        elif kind == "frame":
            _, x, y, width, height = command
            self.out.append(f"q 0 G 0.5 w {pdfdoc.number(dx + x)} {pdfdoc.number(PAGE_HEIGHT - (dy + y) - height)} "
                            f"{pdfdoc.number(width)} {pdfdoc.number(height)} re S Q")
        elif kind == "photo":
            _, x, y, width, height, name = command
            self.out.append(f"q {pdfdoc.number(width)} 0 0 {pdfdoc.number(height)} {pdfdoc.number(dx + x)} "
                            f"{pdfdoc.number(PAGE_HEIGHT - (dy + y) - height)} cm /{self.name(name)} Do Q")
        elif kind == "vector":
            _, x, y, width, height, name = command
            self.out.append(f"q 1 0 0 1 {pdfdoc.number(dx + x)} {pdfdoc.number(PAGE_HEIGHT - (dy + y) - height)} cm "
                            f"{pdfdoc.number(width / self.sizes[name][1])} 0 0 {pdfdoc.number(height / self.sizes[name][2])} 0 0 cm "
                            f"/{self.name(name)} Do Q")
        elif kind == "link":
            _, x, y, width, height, target = command
            self.links.append((dx + x, dy + y, dx + x + width, dy + y + height, target))
        elif kind == "leader":
            _, start, end, baseline, anchor = command
            page = str(self.starts.get(anchor, 0))
            look = BODY
            number_width = self.fonts.measure("serif", page) * look.size / 1000
            dot = self.fonts.measure("serif", ". ") * look.size / 1000
            room = end - number_width - 1 * MM - start
            dots = ". " * max(0, int(room / dot))
            self.text_at(dx + end - number_width - 1 * MM - len(dots) // 2 * dot, dy + baseline, dots, look)
            self.text_at(dx + end - number_width, dy + baseline, page, look)

    def line(self, line: Line, x: float, top: float) -> None:
        """Draw a line. What it draws is worked out once per line and cuts (a body's lines are in several editions and
        are drawn again in each); only the position changes."""
        painted = line.painted
        if painted is None or painted[0] is not self.cuts:
            painted = line.painted = (self.cuts, *(self.plain(line) or self.encode(spaced(line))))
        _, operators, used, decorations = painted
        if decorations or not operators:
            self.draw(x + line.x, top + line.baseline, painted[1:])
            return
        x += line.x
        y = PAGE_HEIGHT - (top + line.baseline)
        self.out.append(f"BT 1 0 0 1 {pdfdoc.number(x)} {pdfdoc.number(y)} Tm {operators} ET")
        if used is not self.last_used:  # the lines of one face drawn quickly share what they use (plain)
            self.last_used = used
            for font, chars in used.items():
                self.used.setdefault(font, set()).update(chars)

    def plain(self, line: Line) -> tuple[str, dict, list] | None:
        """Return encode()'s work for the usual line, quicker: every word one piece, all in one look that draws no
        line and links nowhere, no space underlined or struck through, every character in the cut; else None."""
        run = line.run
        if run is not None:  # run_lines checked the words and the look
            look = run.look
            cut = self.cuts[look.font]
            encoded = cut.words
            texts = run.texts
            parts = [encoded[text] for text in texts]
            space = cut.hex[pdfdoc.SPACE] + space_adjustment(run.space + line.extra, run.space, look.size)
            joined = space.join(parts) + space if run.spaced else space.join(parts)
        else:
            words = line.words
            if not words or len(words[0].pieces) != 1:
                return None
            look = words[0].pieces[0].look
            if look.underline or look.strike or look.link:
                return None
            cut = self.cuts[look.font]
            encoded = cut.words
            natural, extra, size = self.fonts.space(look), line.extra, look.size
            space_code = cut.hex[pdfdoc.SPACE]
            spaces: dict[float, str] = {}  # the width of a space -> how it is drawn
            texts = []
            parts = []
            for word in words:
                pieces = word.pieces
                if len(pieces) != 1:
                    return None
                piece = pieces[0]
                if piece.look is not look and piece.look != look:
                    return None
                texts.append(piece.text)
                parts.append(encoded[piece.text])
                if word.space:
                    own = word.space_look
                    if own is not None and own is not look and (own.underline or own.strike):
                        return None
                    space = spaces.get(word.space)
                    if space is None:
                        space = spaces[word.space] = space_code + space_adjustment(word.space + extra, natural, size)
                    parts.append(space)
            joined = "".join(parts)
        if encoded.lacking and not encoded.lacking.isdisjoint(texts):
            return None  # a character the cut lacks: encode() says what it draws instead
        return f"{text_state(look)} [<{joined}>] TJ", _FACE_USED.setdefault(look.font, {look.font: ()}), []

    def text_at(self, x: float, baseline: float, text: str, look: Look) -> None:
        self.draw(x, baseline, self.encode(self.fonts.pieces(look, text)))

    def encode(self, pieces: list[Piece]) -> tuple[str, dict, list]:
        """Return what pieces draw, from where they start: the text operators (one font change where the look
        changes, each space widened as the line needs), the characters each face draws, and the decorations
        (underline, strike, link) as (x, width, look)."""
        parts: list[str] = []
        current: Look | None = None
        array: list[str] = []
        position = 0.0
        decorations = []
        texts: dict[str, list[str]] = {}  # what each face draws
        adjustments: dict[tuple[Piece, Look], str] = {}
        cuts = self.cuts
        cut = drawn = None
        for piece in pieces:
            look, text = piece.look, piece.text
            if text == " " and current is not None:
                look = current  # a space in the face and size of the text before it
            if current is None or (look is not current and look[:7] != current[:7]):  # all but the link: a new text state
                if array:
                    parts.append("[<" + "".join(array) + ">] TJ")
                    array = []
                parts.append(text_state(look))
            if current is None or look.font != current.font:
                cut, drawn = cuts[look.font], texts.setdefault(look.font, [])
            current = look
            drawn.append(text)
            array.append(cut.encode(text))
            if text == " ":
                adjust = adjustments.get((piece, look))
                if adjust is None:
                    adjust = adjustments[(piece, look)] = space_adjustment(piece.width, self.fonts.space(look), look.size)
                array.append(adjust)
                own = piece.look  # a space is underlined or struck through only inside such text, never linked
                if own.underline or own.strike:
                    decorations.append((position, piece.width, own._replace(link="")))
            elif look.underline or look.strike or look.link:
                decorations.append((position, piece.width, look))
            position += piece.width
        if array:
            parts.append("[<" + "".join(array) + ">] TJ")
        return " ".join(parts), {font: set("".join(found)) for font, found in texts.items()}, decorations

    def draw(self, x: float, baseline: float, painted: tuple) -> None:
        operators, used, decorations = painted
        if not operators:
            return
        out = self.out
        out.append(f"BT 1 0 0 1 {pdfdoc.number(x)} {pdfdoc.number(PAGE_HEIGHT - baseline)} Tm {operators} ET")
        for font, chars in used.items():
            self.used.setdefault(font, set()).update(chars)
        for offset, width, look in decorations:
            start = x + offset
            for wanted, rise in ((look.underline, -0.12), (look.strike, 0.28)):
                if wanted:
                    y = PAGE_HEIGHT - baseline + look.rise + look.size * rise
                    out.append(f"q {rgb(look.colour)} RG {pdfdoc.number(look.size * 0.05)} w {pdfdoc.number(start)} "
                               f"{pdfdoc.number(y)} m {pdfdoc.number(start + width)} {pdfdoc.number(y)} l S Q")
            if look.link:
                self.links.append((start, baseline - look.size, start + width, baseline + look.size * 0.3, look.link))


@functools.lru_cache(maxsize=4096)  # a look per size, face and colour, and per link
def text_state(look: Look) -> str:
    """Return the PDF operators that set a look's font, size, colour, rise and tracking."""
    return (f"/{look.font} {pdfdoc.number(look.size)} Tf {rgb(look.colour)} rg {pdfdoc.number(look.rise)} Ts "
            f"{pdfdoc.number(look.tracking)} Tc")


def space_adjustment(width: float, natural: float, size: float) -> str:
    """Return what widens a space drawn `natural` points wide to `width` inside a TJ array ("" when it is)."""
    return f"> {pdfdoc.number(-(width - natural) * 1000 / size)} <" if abs(width - natural) > 0.001 else ""


def spaced(line: Line) -> list[Piece]:
    """Return a line's pieces with a piece for each space after a word, as wide as the line's justification makes it."""
    run: list[Piece] = []
    spaces: dict[tuple[Look, float], Piece] = {}
    for word in line.words:
        run.extend(word.pieces)
        if word.space:
            look, width = word.space_look or word.pieces[-1].look, word.space + line.extra
            space = spaces.get((look, width))
            if space is None:
                space = spaces[(look, width)] = Piece(look, " ", width)
            run.append(space)
    return run


def render(data: dict, fonts: Fonts, folder: str, bodies: dict) -> tuple[bytes, int, tuple[int, ...]]:
    """Lay out an edition and write it as PDF; return the bytes, the page count and the page each article starts on.
    `folder` holds the prepared pictures (and a vector picture's PDF beside its SVG); `fonts` and `bodies` (article
    bodies' boxes) are kept between the editions of one process."""
    faces = fonts.faces
    edition = Edition(data, fonts, bodies)
    pages, starts = edition.lay_out()
    cuts = fonts.cuts
    sizes = edition.sizes
    painter = Painter(fonts, edition.starts, sizes)
    streams = [painter.page(page, index, data, cuts) for index, page in enumerate(pages, 1)]
    painter.used = codes(painter.used)
    wider = {style: chars for style, chars in painter.used.items() if not chars <= pdfdoc.REPERTOIRE}
    if wider:  # a character outside the usual cut: cut those faces again with it, then draw again
        cuts = dict(cuts)
        for style, chars in wider.items():
            cuts[style] = faces[style].cut(frozenset(chars))
        painter.used = {}
        streams = [painter.page(page, index, data, cuts) for index, page in enumerate(pages, 1)]
        painter.used = codes(painter.used)
    used = painter.used

    writer = pdfdoc.Writer()
    catalog, tree, info = writer.reserve(), writer.reserve(), writer.reserve()
    page_refs = [writer.reserve() for _ in pages]
    fonts_dict = " ".join(f"/{style} {writer.font(cuts[style])} 0 R" for style in sorted(used))
    pictures = []
    for picture, name in painter.names.items():
        kind = sizes[picture][0]
        path = f"{folder}/{picture}"
        if kind == "vector":
            with open(path + ".pdf", "rb") as handle:
                reference = pdfdoc.import_page(handle.read(), writer)
        else:
            reference = writer.image(path)
        pictures.append(f"/{name} {reference} 0 R")
    resources = writer.add(f"<< /Font << {fonts_dict} >> /XObject << {' '.join(pictures)} >> >>")
    anchors = edition.pages.anchors
    for index, (page, stream) in enumerate(zip(pages, streams, strict=True)):
        content = writer.stream("", stream.encode("latin-1"))
        annotations = []
        for x0, top, x1, bottom, target in page.links:
            rect = " ".join(pdfdoc.number(v) for v in (x0, PAGE_HEIGHT - bottom, x1, PAGE_HEIGHT - top))
            if target.startswith("#"):
                where = anchors.get(target[1:])
                if not where:
                    continue
                action = f"/Dest [{page_refs[where[0] - 1]} 0 R /XYZ 0 {pdfdoc.number(PAGE_HEIGHT - where[1])} 0]"
            else:
                action = f"/A << /S /URI /URI {pdfdoc.text_string(quote(target, safe=URI_SAFE))} >>"  # ASCII, as URIs are
            annotations.append(writer.add(f"<< /Type /Annot /Subtype /Link /Rect [{rect}] /Border [0 0 0] {action} >>"))
        annots = f" /Annots [{' '.join(f'{a} 0 R' for a in annotations)}]" if annotations else ""
        writer.put(page_refs[index], f"<< /Type /Page /Parent {tree} 0 R /MediaBox [0 0 {pdfdoc.number(PAGE_WIDTH)} "
                                     f"{pdfdoc.number(PAGE_HEIGHT)}] /Resources {resources} 0 R /Contents {content} 0 R{annots} >>")
    writer.put(tree, f"<< /Type /Pages /Kids [{' '.join(f'{r} 0 R' for r in page_refs)}] /Count {len(page_refs)} >>")
    outline = _outline(writer, data, anchors, page_refs)
    meta = data["meta"]
    writer.put(info, "<< " + " ".join(f"/{key} {pdfdoc.text_string(value)}" for key, value in
                                       (("Title", meta["title"]), ("Author", meta["author"]), ("Subject", meta["subject"]),
                                        ("Keywords", meta["keywords"])) if value) + " >>")
    writer.put(catalog, f"<< /Type /Catalog /Pages {tree} 0 R /Lang (vi) /ViewerPreferences << /DisplayDocTitle true >>"
                        + (f" /Outlines {outline} 0 R /PageMode /UseOutlines" if outline else "") + " >>")
    return writer.finish(catalog, info), len(pages), tuple(starts)


def codes(used: dict[str, set[str]]) -> dict[str, set[int]]:
    """Return the code points of Painter.used's characters (a no-break space is drawn as a space)."""
    return {font: {ord(c) for c in chars} - {0xA0} | ({0x20} if "\u00a0" in chars else set()) for font, chars in used.items()}


def _outline(writer: pdfdoc.Writer, data: dict, anchors: dict, page_refs: list[int]) -> int:
    """Write the outline (bookmarks): one entry per article, to its title; return the outline's object (0: none)."""
    entries = [(a["title"], anchors.get(f"bai-{i}")) for i, a in enumerate(data["articles"], 1)]
    entries = [(title, where) for title, where in entries if where]
    if not entries:
        return 0
    root = writer.reserve()
    refs = [writer.reserve() for _ in entries]
    for index, (title, (page, y)) in enumerate(entries):
        links = [f"/Parent {root} 0 R"]
        if index:
            links.append(f"/Prev {refs[index - 1]} 0 R")
        if index + 1 < len(refs):
            links.append(f"/Next {refs[index + 1]} 0 R")
        writer.put(refs[index], f"<< /Title {pdfdoc.text_string(title)} {' '.join(links)} "
                                f"/Dest [{page_refs[page - 1]} 0 R /XYZ 0 {pdfdoc.number(PAGE_HEIGHT - y)} 0] >>")
    writer.put(root, f"<< /Type /Outlines /First {refs[0]} 0 R /Last {refs[-1]} 0 R /Count {len(refs)} >>")
    return root
