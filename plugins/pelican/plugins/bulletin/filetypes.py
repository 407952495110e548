"""What a file really is, read from its first bytes: the name an editor gave it is only a claim.

Only real images are published from the static folders: a page or a script saved as `anh.jpg`, or next to the
images, would run on the site's own address (the public Content-Security-Policy allows scripts from the site).
"""

from __future__ import annotations

import re
import zipfile

SNIFF_BYTES = 512  # enough for every signature below and an SVG's XML declaration, comments and doctype

# Image formats a browser shows, by signature, with the extensions that may carry them.
RASTER_SIGNATURES = (
    ("jpeg", re.compile(rb"^\xff\xd8\xff"), (".jpg", ".jpeg")),
    ("png", re.compile(rb"^\x89PNG\r\n\x1a\n"), (".png",)),
    ("gif", re.compile(rb"^GIF8[79]a"), (".gif",)),
    ("webp", re.compile(rb"^RIFF....WEBP", re.S), (".webp",)),
    ("avif", re.compile(rb"^....ftyp(avif|avis)", re.S), (".avif",)),
)
# Documents attached to articles (downloaded or shown by the browser's PDF viewer, never run as a page).
DOCUMENT_SIGNATURES = (
    ("pdf", re.compile(rb"^%PDF-"), (".pdf",)),
    ("office", re.compile(rb"^PK\x03\x04"), (".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp")),
    ("old-office", re.compile(rb"^\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), (".doc", ".xls", ".ppt")),
)
# Formats an editor's phone or scanner makes that no browser shows: named, so the message can say what to do.
OTHER_IMAGES = (
    ("heic", re.compile(rb"^....ftyp(heic|heix|hevc|hevx|heim|heis|mif1|msf1)", re.S)),
    ("tiff", re.compile(rb"^(II\*\x00|MM\x00\*)")),
    ("bmp", re.compile(rb"^BM")),
)
_TEXT_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_SVG_START = re.compile(r"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*|<!DOCTYPE[^\[>]*(\[.*?\])?\s*>\s*)*<(\w+:)?svg[\s>/]", re.S | re.I)

SVG_EXTENSIONS = (".svg",)
IMAGE_KINDS = ("svg", *(name for name, _, _ in RASTER_SIGNATURES))
DOCUMENT_KINDS = tuple(name for name, _, _ in DOCUMENT_SIGNATURES)


def sniff(head: bytes) -> str:
    """Name the format of a file from its first bytes: jpeg, png, gif, webp, avif, svg, heic…, or "" if unknown."""
    for name, signature, _ in RASTER_SIGNATURES:
        if signature.match(head):
            return name
    for name, signature, _ in DOCUMENT_SIGNATURES:
        if signature.match(head):
            return name
    for name, signature in OTHER_IMAGES:
        if signature.match(head):
            return name
    if _SVG_START.match(_as_text(head)):
        return "svg"
    return ""


def _as_text(head: bytes) -> str:
    """Decode the start of a text file in UTF-8 or UTF-16 (by its byte-order mark), ignoring a cut last character."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head[2:].decode("utf-16-le" if head[:2] == b"\xff\xfe" else "utf-16-be", errors="ignore")
    return head.removeprefix(_TEXT_BOMS[0]).decode("utf-8", errors="ignore")


def is_svg(path: str) -> bool:
    """Tell whether a file is named as an SVG (its content was checked when the build read it)."""
    return path.lower().endswith(SVG_EXTENSIONS)


def extensions_of(kind: str) -> tuple[str, ...]:
    """Return the file extensions a format may be published under (none for formats browsers do not show)."""
    if kind == "svg":
        return SVG_EXTENSIONS
    return next((exts for name, _, exts in (*RASTER_SIGNATURES, *DOCUMENT_SIGNATURES) if name == kind), ())


def is_office_package(path: str) -> bool:
    """Tell whether a ZIP file is an Office Open XML or OpenDocument package (not any archive named .docx)."""
    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError):
        return False
    return "[Content_Types].xml" in names or "mimetype" in names


def read_head(path: str) -> bytes:
    """Return the first bytes of a file."""
    with open(path, "rb") as handle:
        return handle.read(SNIFF_BYTES)
