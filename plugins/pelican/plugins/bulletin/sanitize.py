"""Allowlist sanitizer for article HTML: what editors paste from Word or web pages is cleaned, each removal named."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3

from .sources import static_link

# Elements an article body may hold; everything else is unwrapped (its text kept) or, for SCRUBBED, dropped whole.
TAGS = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "data", "dd",
    "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "iframe", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp",
    "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr",
    "u", "ul", "var", "wbr",
})
SCRUBBED = frozenset({"script", "style", "template", "noscript", "object", "embed", "applet", "select", "textarea", "svg", "math"})
ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "iframe": {"src", "width", "height", "allow", "allowfullscreen", "loading", "referrerpolicy"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope", "abbr"},
    "col": {"span"}, "colgroup": {"span"},
    "ol": {"start", "reversed", "type"}, "li": {"value"},
    "time": {"datetime"}, "data": {"value"},
    "del": {"cite", "datetime"}, "ins": {"cite", "datetime"}, "blockquote": {"cite"}, "q": {"cite"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
URL_ATTRIBUTES = frozenset({"href", "src", "cite", "action", "formaction", "poster", "xlink:href", "background", "data"})
FORM_TAGS = frozenset({"form", "input", "button", "select", "textarea", "option", "fieldset", "label", "output"})
# The one video host whose players may be embedded: the privacy-enhanced YouTube player, embed URLs only.
VIDEO_EMBED = re.compile(r"^https://www\.youtube-nocookie\.com/embed/[A-Za-z0-9_-]{6,64}(\?[A-Za-z0-9_=&;.%-]*)?$")
# An allowed video is published as a link that opens it on YouTube: a frame would make every reader's browser
# request YouTube's servers when the page loads, before anyone chose to watch.
VIDEO_PAGE = "https://www.youtube.com/watch?v={}"
_VIDEO_FRAME = re.compile(r'<iframe\b[^>]*?\ssrc="https://www\.youtube-nocookie\.com/embed/([A-Za-z0-9_-]+)[^"]*"[^>]*>.*?</iframe>', re.S)
_FRAME_TITLE = re.compile(r'\stitle="([^"]*)"')
# Markdown table alignment arrives as a style attribute, which the Content-Security-Policy blocks: use a class.
_ALIGN = re.compile(r'<(th|td)( [^>]*)? style="text-align: (left|right|center);"')
_EMPTY_IFRAME = re.compile(r"<iframe(?![^>]*\ssrc=)[^>]*>.*?</iframe>", re.S)
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")

MESSAGES = {
    "script": "đã xóa thẻ <script> (mã chạy trên trang không được phép trong bài viết)",
    "scrub": "đã xóa thẻ <{tag}> cùng nội dung của nó (không được phép trong bài viết)",
    "form": "đã bỏ biểu mẫu nhập liệu (<{tag}>…) — bài viết không được chứa biểu mẫu",
    "frame": "đã xóa khung nhúng <iframe> từ {value} — chỉ nhúng được video YouTube dạng https://www.youtube-nocookie.com/embed/…",
    "handler": 'đã xóa thuộc tính sự kiện {attr}="…" trên thẻ <{tag}> (mã chạy trên trang không được phép)',
    "url": 'đã xóa đường dẫn "{value}" trên thẻ <{tag}> — chỉ dùng được http, https, mailto, tel hoặc đường dẫn trong trang',
    "style": 'đã bỏ thuộc tính style="…" trên thẻ <{tag}> (định dạng do giao diện của trang quyết định)',
    "tag": "đã bỏ thẻ <{tag}> không được phép (giữ lại chữ bên trong)",
}


@dataclass(frozen=True)
class Removal:
    """One thing the sanitizer removed: its kind, the Vietnamese sentence, and how to find it in the source.

    needle is text to search for in the source; raw is the element's start tag as written (for a link whose
    URL is written with character references, the only text the source holds), attribute the removed one in it,
    element the start tag's number in the fragment (removals from one element share its place).
    """

    kind: str
    message: str
    needle: str
    raw: str = ""
    attribute: str = ""
    element: int = -1


class _Scanner(HTMLParser):
    """Walk the HTML once and list what the allowlist will remove, before nh3 removes it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[Removal] = []
        self._elements = 0
        self._dropped = 0  # depth inside an element removed with its content: nothing below it is reported
        self._form = 0  # depth inside a <form>: its fields are part of the form already reported

    def note(self, kind: str, needle: str, attribute: str = "", **fields) -> None:
        """Record one removal in the current start tag."""
        self.found.append(Removal(kind, MESSAGES[kind].format(**fields), needle, self.get_starttag_text() or "",
                                  attribute, self._elements))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_startendtag(tag, attrs)
        if tag in SCRUBBED:
            self._dropped += 1
        elif tag == "form":
            self._form += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in SCRUBBED and self._dropped:
            self._dropped -= 1
        elif tag == "form" and self._form:
            self._form -= 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._elements += 1
        if self._dropped:
            return
        if tag in FORM_TAGS:
            if not self._form:
                self.note("form", f"<{tag}", tag=tag)
            if tag in SCRUBBED:
                return
        elif tag in SCRUBBED:  # removed whole, attributes and all
            self.note("script" if tag == "script" else "scrub", f"<{tag}", tag=tag)
            return
        elif tag == "iframe":
            src = dict(attrs).get("src") or ""
            if not VIDEO_EMBED.match(src):
                self.note("frame", src or "<iframe", "src", value=f'"{src}"' if src else "một địa chỉ trống")
        elif tag not in TAGS:
            self.note("tag", f"<{tag}", tag=tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.note("handler", name, name, tag=tag, attr=name)
            elif name == "style":
                self.note("style", "style=", name, tag=tag)
            elif name in URL_ATTRIBUTES and value and not allowed_url(value):
                self.note("url", value.strip()[:60], name, tag=tag, value=value.strip()[:60])


def allowed_url(value: str) -> bool:
    """Tell whether a URL is relative or uses an allowed scheme (http, https, mailto, tel)."""
    match = _SCHEME.match(html.unescape(value).replace("\t", "").replace("\n", ""))
    return match is None or match.group(1).lower() in URL_SCHEMES


def _keep(tag: str, attribute: str, value: str) -> str | None:
    """Let an iframe keep its src only when it is an allowlisted video embed; point an <img> written in HTML at the
    content folder's images as a Markdown image is (checked the same way, see markup.reference_errors)."""
    if tag == "iframe" and attribute == "src":
        return value if VIDEO_EMBED.match(value) else None
    if tag == "img" and attribute == "src":
        return static_link(value)
    return value


def clean(fragment: str) -> tuple[str, list[Removal]]:
    """Return the fragment with everything outside the allowlist removed, and what was removed."""
    fragment = _ALIGN.sub(lambda m: f'<{m[1]}{m[2] or ""} class="align-{m[3]}"', fragment)
    scanner = _Scanner()
    scanner.feed(fragment)
    scanner.close()
    cleaned = nh3.clean(
        fragment, tags=set(TAGS), clean_content_tags=set(SCRUBBED), attributes={k: set(v) for k, v in ATTRIBUTES.items()},
        attribute_filter=_keep, url_schemes=set(URL_SCHEMES), link_rel=None, strip_comments=True,
    )
    cleaned = _EMPTY_IFRAME.sub("", cleaned)
    return _VIDEO_FRAME.sub(_video_link, cleaned), scanner.found


def _video_link(frame: re.Match) -> str:
    """Write an allowed video frame as a link to the video's page, named by the frame's title when it has one."""
    title = _FRAME_TITLE.search(frame.group(0).split(">", 1)[0])
    name = " ".join(html.unescape(title.group(1)).split()) if title else ""
    text = f"Xem video “{html.escape(name)}” trên YouTube" if name else "Xem video trên YouTube"
    link = VIDEO_PAGE.format(frame.group(1))
    return f'<p class="video"><a href="{link}"><span aria-hidden="true">▶</span> {text}</a></p>'


def locate(source: str, needle: str) -> int:
    """Return the 1-based line of the first case-insensitive occurrence of needle in source (1 if absent)."""
    index = source.lower().find(needle.lower())
    return source.count("\n", 0, index) + 1 if index >= 0 else 1


class _Occurrences:
    """Successive occurrences of texts in one lowercased source: each search starts after that text's last find."""

    def __init__(self, text: str):
        self.text = text
        self.after: dict[str, int] = {}

    def find(self, needle: str) -> int:
        """Return where needle next occurs, or -1."""
        index = self.text.find(needle, self.after.get(needle, 0))
        if index >= 0:
            self.after[needle] = index + 1
        return index

    def skip(self, needle: str, to: int) -> None:
        """Look for needle's next occurrence only from `to` on."""
        self.after[needle] = max(self.after.get(needle, 0), to)

    def line(self, index: int) -> int:
        return self.text.count("\n", 0, index) + 1


def placed(source: str, removals: list[Removal]) -> list[tuple[int, str]]:
    """Return the 1-based source line and message of each removal, in order; identical ones on one line once.

    Each removal is looked for after the previous one of the same text, so a second <script> or onclick is
    found at its own line: first the element's start tag as written, then the needle, then the needle in source
    lines with character references decoded. A removal found nowhere goes on line 1.
    """
    written = _Occurrences(source.lower())
    decoded = _Occurrences("\n".join(html.unescape(line).replace("\n", " ") for line in source.split("\n")).lower())
    elements: dict[int, int] = {}  # element number -> where its start tag begins in the source
    result: list[tuple[int, str]] = []
    for removal in removals:
        raw, needle = removal.raw.lower(), removal.needle.lower()
        start = elements.get(removal.element, -1)
        if start < 0 and raw:
            start = elements[removal.element] = written.find(raw)
        if start >= 0:
            written.skip(needle, start + len(raw))  # a later element's needle is not this one's
            named = re.search(rf"\s{re.escape(removal.attribute)}\b", raw) if removal.attribute else None
            line = written.line(start + (named.start() + 1 if named else 0))
        elif (found := written.find(needle)) >= 0:
            line = written.line(found)
        else:
            found = decoded.find(needle)
            line = decoded.line(found) if found >= 0 else 1
        if (line, removal.message) not in result:
            result.append((line, removal.message))
    return result


def feed_items_as_text(context: dict, feed) -> None:
    """Give feed entries the exact title, the summary escaped (Atom reads it as HTML) and the byline as author."""
    articles = {a.url: a for a in context.get("articles", ())}
    prefix = len(str(context.get("SITEURL", "")).rstrip("/")) + 1
    for item in feed.items:
        article = articles.get(item["link"][prefix:])
        if article is None:
            continue
        item["title"] = article.title
        if item.get("description"):
            item["description"] = html.escape(article.summary, quote=False)
        if getattr(article, "byline", ""):
            item["author_name"] = article.byline
