"""Markdown -> HTML for articles: figures with captions, one h1 per page, images from the content folder."""

from __future__ import annotations

import functools
import html
import os
import re
import xml.etree.ElementTree as etree  # noqa: N813 (the name Python-Markdown's extensions use)
from urllib.parse import unquote

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

from .errors import ContentError
from .sanitize import Removal, clean, locate
from .sources import lookalike_hint, static_link

EXTENSIONS = ["extra", "sane_lists"]
# Footnote back-links carry a tooltip; Python-Markdown's default is English.
EXTENSION_CONFIGS = {"extra": {"footnotes": {"BACKLINK_TITLE": "Quay lại chỗ dẫn chú thích {} trong bài"}}}
_TAGS = re.compile(r"<[^>]+>")
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_IMAGE_SOURCE = re.compile(r'<img\b[^>]*?\ssrc="([^"]*)"')
_REFERENCE = re.compile(r'(?:src|href)="\{(?:static|filename|attach)\}([^"#?]*)')


_NOT_A_FILE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|[{#?]|//)", re.I)  # a scheme, a placeholder, an anchor, a host


def article_link(href: str) -> str:
    """Point a link to another Markdown file (../2024/bai.md, /articles/2024/bai.md#doan-2) at Pelican's
    {filename} placeholder, which writes the article's address and is checked like an image; else as static_link."""
    bare = href.strip()
    path = re.split(r"[#?]", bare, maxsplit=1)[0]
    if path.lower().endswith(".md") and not _NOT_A_FILE.match(bare):
        return "{filename}" + bare
    return static_link(href)


class FigureProcessor(Treeprocessor):
    """Wrap a paragraph holding one image in <figure>, its title becoming the <figcaption>."""

    def run(self, root: etree.Element) -> None:
        for parent in root.iter():
            for index, child in enumerate(list(parent)):
                if child.tag == "img":
                    self.prepare(child)
                if child.tag == "a" and child.get("href"):  # a link to a file of content/images works from any page
                    child.set("href", article_link(child.get("href")))
                if child.tag == "p" and self.lone_image(child):
                    parent[index] = self.figure(child[0])

    @staticmethod
    def lone_image(paragraph: etree.Element) -> bool:
        """Tell whether a paragraph holds an image and nothing else."""
        return (
            len(paragraph) == 1
            and paragraph[0].tag == "img"
            and not (paragraph.text or "").strip()
            and not (paragraph[0].tail or "").strip()
        )

    @staticmethod
    def prepare(image: etree.Element) -> None:
        """Resolve the image path and let the browser load it lazily."""
        image.set("src", static_link(image.get("src", "")))
        image.set("loading", "lazy")
        image.set("decoding", "async")

    def figure(self, image: etree.Element) -> etree.Element:
        """Build <figure><img><figcaption> from an image."""
        self.prepare(image)
        figure = etree.Element("figure")
        caption = image.attrib.pop("title", "").strip()
        image.tail = None
        figure.append(image)
        if caption:
            etree.SubElement(figure, "figcaption").text = caption
            if " ".join(image.get("alt", "").split()) == " ".join(caption.split()):
                image.set("alt", "")  # the caption already says it; screen readers would hear it twice
        return figure


class HeadingProcessor(Treeprocessor):
    """Move headings down one level when the body uses # (the page title is the only h1)."""

    def run(self, root: etree.Element) -> None:
        headings = [el for el in root.iter() if el.tag in HEADINGS]
        if any(el.tag == "h1" for el in headings):
            for el in headings:
                el.tag = HEADINGS[min(HEADINGS.index(el.tag) + 1, 5)]


class BulletinExtension(Extension):
    """Register the figure and heading processors."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API name)
        md.treeprocessors.register(FigureProcessor(md), "bulletin_figure", 5)
        md.treeprocessors.register(HeadingProcessor(md), "bulletin_headings", 4)


def make_markdown() -> Markdown:
    """Return a Markdown converter; reuse it with .reset() between documents."""
    return Markdown(extensions=EXTENSIONS + [BulletinExtension()], extension_configs=EXTENSION_CONFIGS, output_format="html")


def convert(md: Markdown, body: str) -> str:
    """Convert one document's Markdown body with a reused converter."""
    md.reset()
    return md.convert(body)


def render(md: Markdown, body: str) -> tuple[str, list[Removal]]:
    """Convert a Markdown body to HTML and pass it through the sanitizer's allowlist; say what it removed."""
    return clean(convert(md, body)) if body.strip() else ("", [])


def plain_text(fragment: str) -> str:
    """Return the text of an HTML fragment, tags removed and entities decoded."""
    return " ".join(html.unescape(_TAGS.sub(" ", fragment)).split())


def lead(fragment: str, words: int = 45) -> str:
    """Return the first paragraph's text, cut at a word boundary, for a summary."""
    for match in _PARAGRAPH.finditer(fragment):
        text = plain_text(match.group(1))
        if text:
            parts = text.split()
            return text if len(parts) <= words else " ".join(parts[:words]) + " …"
    return ""


@functools.lru_cache(maxsize=16)
def real_folder(path: str) -> str:
    """Return the real path of the content folder (asked for every file; the folder does not move mid-build)."""
    return os.path.realpath(path)


def reference_targets(fragment: str, source_path: str, content_dir: str) -> list[tuple[str, str]]:
    """Return (path as written, real path) of each {static}/{filename}/{attach} link of a converted body."""
    root = real_folder(content_dir)
    found = []
    for target in dict.fromkeys(unquote(html.unescape(m.group(1))) for m in _REFERENCE.finditer(fragment)):
        base = root if target.startswith("/") else os.path.dirname(source_path)
        found.append((target.lstrip("/"), os.path.realpath(os.path.join(base, target.lstrip("/")))))
    return found


def reference_errors(fragment: str, doc, source_path: str, content_dir: str) -> list[ContentError]:
    """Report each image or {filename}/{static} link of a converted body that points at no file in the content folder."""
    root = real_folder(content_dir)
    errors = []
    for shown, full in reference_targets(fragment, source_path, content_dir):
        if not (full.startswith(root + os.sep) and os.path.isfile(full)):
            line = doc.body_line + locate(doc.body, shown) - 1
            if shown.lower().endswith(".md"):
                message = (f'không tìm thấy bài "{shown}" mà bài này liên kết tới — đường dẫn tính từ thư mục của bài này '
                           "(ví dụ ../2024/ten-bai.md), hoặc từ content/ nếu bắt đầu bằng / (ví dụ /articles/2024/ten-bai.md)")
            else:
                message = f'không tìm thấy tệp "{shown}" (ảnh hoặc liên kết trong bài)' + (
                    lookalike_hint(full) or " — đường dẫn tính từ thư mục content/, ví dụ images/2022/hoi-nghi.svg")
            errors.append(ContentError(doc.path, line, message))
    for source in dict.fromkeys(html.unescape(m.group(1)) for m in _IMAGE_SOURCE.finditer(fragment)):
        if not source.startswith("{static}"):
            line = doc.body_line + locate(doc.body, source) - 1
            errors.append(ContentError(doc.path, line, _outside_image(source)))
    return errors


def _outside_image(source: str) -> str:
    """Say why an image that is not a file of content/images cannot be shown, and what to do."""
    if _NOT_A_FILE.match(source) and not source.startswith(("{", "#")):
        return (f'ảnh "{source[:80]}" lấy từ trang khác — mỗi bạn đọc mở bài sẽ gửi yêu cầu tới máy chủ đó, và trang '
                "công khai chặn ảnh này; hãy tải ảnh về, đặt vào images/<năm>/ rồi ghi ![chú thích](images/<năm>/ten-anh.jpg)")
    return (f'ảnh "{source[:80]}" không nằm trong thư mục images/ của nội dung — hãy đặt ảnh vào images/<năm>/ và ghi '
            "đường dẫn tính từ content/, ví dụ ![chú thích](images/2022/hoi-nghi.jpg)")
