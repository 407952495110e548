"""Photos as editors take them: every raster image an article shows is published as resized, upright variants in
modern formats, without metadata (no GPS position, no camera serial, no comment); the original is never published.

As data: VARIANTS names what each use of a photo needs (the article column, list thumbnails, the Open Graph card)
and FORMATS how each format is encoded. A source photo is known by the hash of its bytes; its variants are a pure
function of that hash and settings_version() (the tables, Pillow and its codecs, this file), so they are made
once, kept in the cache under that key, and linked into every later build (two builds give the same bytes).

- inspect(): a source's header (upright size, format, frames) and content hash: enough to plan and write the markup;
- plan(): the files a source gets, never wider than the original (the Open Graph card aside), with their names;
- make_variants(): decode once (at the smallest scale that serves every file), make upright, convert to sRGB,
  encode every planned file into one cache folder;
- attach(): called by the reader: puts <picture> markup in a body, sets the article's photo, thumb and og_image,
  and notes which sources the published pages need;
- publish(): makes the variants not yet cached, spread over the cores, and links every needed file into the output.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import html
import json
import math
import multiprocessing
import os
import re
import shutil
import subprocess
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from functools import cached_property
from io import BytesIO
from urllib.parse import unquote

from markupsafe import Markup
from PIL import Image, ImageCms, ImageDraw, ImageOps, UnidentifiedImageError, features

from . import schema
from .errors import ContentError
from .sanitize import locate
from .sources import HEIF_TYPES, RASTER_TYPES
from .state import get_state, worker_count
from .text import slugify


@dataclass(frozen=True)
class Variant:
    """What one use of a photo needs.

    widths: the files made, in pixels (a source narrower than one gets its own width instead: never upscaled);
    formats: preferred first; the last is the <img> fallback, the others become <source> elements;
    sizes: the `sizes` attribute, the width the theme's CSS gives the picture at each viewport width;
    default: the fallback <img src> is the smallest file at least this wide;
    aspect: crop to this width:height ratio first (centred, a little above the middle: heads stay in);
    exact: always exactly the widest width, upscaled if need be (the Open Graph card).
    """

    widths: tuple[int, ...]
    formats: tuple[str, ...]
    sizes: str = ""
    default: int = 0
    aspect: tuple[int, int] | None = None
    exact: bool = False


@dataclass(frozen=True)
class Format:
    """How one format is written: its MIME type, file extension and Pillow save options."""

    mime: str
    extension: str
    options: dict


# The article column (theme/static/css/style.css): 42rem wide from a 46rem viewport up; below, the viewport less
# the page gap on each side (clamp(1rem, 4vw, 2rem): 4vw from 25rem up, 1rem under it).
ARTICLE_SIZES = "(min-width: 46rem) 42rem, (min-width: 25rem) 92vw, calc(100vw - 2rem)"
# List thumbnails: clamp(7rem, 18vw, 10rem) from a 36rem viewport up (18vw is 7rem at 38.9rem, 10rem at 55.6rem);
# 6.5rem on phones.
THUMB_SIZES = "(min-width: 55.6rem) 10rem, (min-width: 38.9rem) 18vw, (min-width: 36rem) 7rem, 6.5rem"
VARIANTS = {
    "article": Variant(widths=(480, 672, 1000, 1344), formats=("webp", "jpeg"), sizes=ARTICLE_SIZES, default=672),
    "thumb": Variant(widths=(160, 240, 320), formats=("webp", "jpeg"), sizes=THUMB_SIZES, default=160, aspect=(3, 2)),
    "og": Variant(widths=(1200,), formats=("jpeg",), default=1200, aspect=(40, 21), exact=True),  # 1200 × 630
}
# AVIF is kept out of VARIANTS: measured with Pillow 13.0 (invoke bench-images, README), at the same similarity to the
# source it saves 7 to 15 % over WebP for 1.5 to 13 times the encoding time. Adding "avif" before "webp" in a
# variant's formats turns it on.
FORMATS = {
    "avif": Format("image/avif", "avif", {"format": "AVIF", "quality": 58, "speed": 6, "max_threads": 1}),
    "webp": Format("image/webp", "webp", {"format": "WEBP", "quality": 75, "method": 4}),
    "jpeg": Format("image/jpeg", "jpg", {"format": "JPEG", "quality": 80, "optimize": True, "progressive": True}),
}
# The Open Graph card of an article without a photo: the site's name and subtitle on the theme's colours.
CARD = {"size": (1200, 630), "paper": (251, 246, 236), "band": (163, 27, 31), "star": (242, 193, 78), "ink": (27, 27, 27),
        "muted": (89, 89, 89), "title_font": "DejaVu Serif:bold", "subtitle_font": "DejaVu Sans", "name": "the-chia-se"}
CACHE_FOLDER = "photos"  # under BULLETIN_CACHE
HASHES_FILE = "sources.json"  # (path, size, mtime, inode) -> content hash: a rebuild reads no photo again
STALE_SECONDS = 30 * 86400  # a cached photo no build used for this long is removed
HASH_LENGTH = 10  # hex digits of the key in published file names
ORIENTATION = 0x0112
SWAPPED = (5, 6, 7, 8)  # EXIF orientations that turn the picture a quarter: width and height trade places
HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis")  # HEVC-coded HEIF (AVIF files are "avif")
LUMINANCE_16 = ("I;16", "I;16B", "I;16L", "I;16N", "I")
MEGA = 1_000_000
_IMG = re.compile(r"<img\b[^>]*>")
_LINK = re.compile(r'(<a\b[^>]*?\bhref=")(\{static\}[^"]*)(")')
_ATTRIBUTE = re.compile(r'([^\s=/>]+)="([^"]*)"')


# ---------------------------------------------------------------- the tables as a version

@functools.cache
def settings_version() -> str:
    """Return a hash of everything that decides a variant's bytes: the tables, Pillow and its codecs, this file."""
    digest = hashlib.sha256()
    tables = {name: vars(variant) for name, variant in VARIANTS.items()}, {name: vars(f) for name, f in FORMATS.items()}
    digest.update(json.dumps(tables, sort_keys=True, default=list).encode())
    for name in ("jpg", "webp", "avif", "littlecms2"):
        digest.update(f"{name}={features.version(name)};".encode())
    digest.update(Image.__version__.encode())
    with open(__file__, "rb") as handle:
        digest.update(handle.read())
    return digest.hexdigest()


@functools.cache
def srgb_profile() -> bytes:
    """Return LittleCMS's sRGB profile with its creation date blanked (the same bytes on every run)."""
    data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    data[24:36] = bytes(12)  # ICC header: date and time of creation
    return bytes(data)


# ---------------------------------------------------------------- what a source is

@dataclass(frozen=True)
class Source:
    """A photo file as the build knows it: where it is, its content hash and its upright size."""

    path: str  # real path
    relative: str  # inside the content folder, '/'-separated
    digest: str
    width: int
    height: int

    @cached_property
    def key(self) -> str:
        """Return the cache key: the content hash with the settings' version."""
        return hashlib.sha256(f"{self.digest}:{settings_version()}".encode()).hexdigest()


class PhotoError(Exception):
    """A photo an editor must fix or replace; the message is Vietnamese and says what to do (after "ảnh "x" ")."""


def is_photo(path: str) -> bool:
    """Tell whether a file is handled as a photo (made into variants) rather than published as it is."""
    return path.lower().endswith(RASTER_TYPES + HEIF_TYPES)


def inspect(path: str, relative: str, digest: str) -> Source:
    """Read a photo's header: its upright size; raise PhotoError for what the build cannot publish."""
    with open(path, "rb") as handle:
        start = handle.read(64)
    if not start:
        raise PhotoError("là tệp rỗng — hãy chép lại ảnh từ máy ảnh hoặc điện thoại")
    if path.lower().endswith(HEIF_TYPES) or is_heic(start):
        raise PhotoError("là ảnh HEIC (định dạng của iPhone), trình duyệt không hiển thị được — hãy chuyển sang JPEG: "
                         "trên iPhone chọn Cài đặt > Camera > Định dạng > Tương thích nhất rồi chụp lại, hoặc gửi ảnh qua "
                         "Zalo/thư điện tử rồi lưu ảnh nhận được; trên máy tính mở ảnh và lưu thành .jpg; "
                         "rồi sửa đường dẫn trong bài")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                check_pixels(width, height)
                frames = getattr(image, "n_frames", 1) if image.format != "MPO" else 1  # MPO: a photo and its previews
                orientation = image.getexif().get(ORIENTATION, 1)
    except Image.DecompressionBombError as error:
        sizes = re.findall(r"\d+", str(error))
        raise PhotoError(_too_many_pixels(int(sizes[0]) if sizes else 0)) from None
    except UnidentifiedImageError:
        raise PhotoError("hỏng hoặc không phải tệp ảnh (không đọc được) — hãy mở ảnh trên máy, lưu lại thành JPEG rồi "
                         "chép đè lên tệp này") from None
    except (OSError, SyntaxError, ValueError) as error:
        raise PhotoError(f"không đọc được ({error}) — hãy mở ảnh trên máy, lưu lại thành JPEG rồi chép đè lên tệp này") from None
    if frames > 1:
        raise PhotoError(f"là ảnh động ({frames} khung hình); bản tin chỉ đăng ảnh tĩnh — hãy lưu một khung hình thành "
                         "ảnh JPEG hoặc PNG, hoặc đăng video lên YouTube rồi nhúng vào bài")
    if orientation in SWAPPED:
        width, height = height, width
    return Source(path=path, relative=relative, digest=digest, width=width, height=height)


def is_heic(start: bytes) -> bool:
    """Tell whether a file's first bytes are those of a HEIC photo (an ISO box 'ftyp' naming an HEVC brand)."""
    if start[4:8] != b"ftyp" or start[8:12] in (b"avif", b"avis"):
        return False
    return any(start[i:i + 4] in HEIF_BRANDS for i in range(8, min(len(start), 64) - 3, 4))


def check_pixels(width: int, height: int) -> None:
    """Refuse a picture with more pixels than Pillow's limit (a decompression bomb, or a huge scan)."""
    if width * height > Image.MAX_IMAGE_PIXELS:
        raise PhotoError(_too_many_pixels(width * height, width, height))


def _too_many_pixels(pixels: int, width: int = 0, height: int = 0) -> str:
    """Say that a picture is too large in pixels, and what to do."""
    size = f"{width} × {height} điểm ảnh, " if width else ""
    return (f"quá lớn ({size}{pixels / MEGA:.0f} triệu điểm ảnh, giới hạn là {Image.MAX_IMAGE_PIXELS // MEGA} triệu): "
            "có thể là tệp hỏng hoặc cố ý làm treo máy dựng — hãy thu nhỏ ảnh, ví dụ còn 4.000 điểm ảnh chiều ngang, "
            "rồi lưu lại")


def file_digest(path: str) -> str:
    """Return the sha256 of a file's bytes."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


# ---------------------------------------------------------------- what a source gets

@dataclass(frozen=True)
class Rendition:
    """One planned file: its variant, format and pixel size; `name` inside the cache folder."""

    variant: str
    format: str
    width: int
    height: int

    @property
    def name(self) -> str:
        """Return the file name: '672w' for the article's widths, '320x213' when cropped."""
        shape = f"{self.width}x{self.height}" if VARIANTS[self.variant].aspect else f"{self.width}w"
        return f"{self.variant}-{shape}.{FORMATS[self.format].extension}"


def crop_box(width: int, height: int, aspect: tuple[int, int] | None) -> tuple[int, int, int, int]:
    """Return the part of a picture kept for an aspect ratio: all of its width or height, centred, a bit high."""
    if aspect is None:
        return 0, 0, width, height
    wanted = aspect[0] / aspect[1]
    if width / height > wanted:
        kept = round(height * wanted)
        left = (width - kept) // 2
        return left, 0, left + kept, height
    kept = round(width / wanted)
    top = round((height - kept) * 0.4)
    return 0, top, width, top + kept


def sizes_of(variant: Variant, width: int, height: int) -> list[tuple[int, int]]:
    """Return the (width, height) of each file of a variant for a source of this upright size."""
    left, top, right, bottom = crop_box(width, height, variant.aspect)
    kept_w, kept_h = right - left, bottom - top
    ratio = variant.aspect[1] / variant.aspect[0] if variant.aspect else kept_h / kept_w
    wanted = [max(variant.widths)] if variant.exact else sorted({min(w, kept_w) for w in variant.widths})
    return [(w, max(1, round(w * ratio))) for w in wanted]


def plan(width: int, height: int) -> tuple[Rendition, ...]:
    """Return every file a source of this upright size gets."""
    return tuple(Rendition(name, fmt, w, h) for name, variant in VARIANTS.items()
                 for w, h in sizes_of(variant, width, height) for fmt in variant.formats)


def published_name(source: Source, rendition: Rendition) -> str:
    """Return where a file is published: beside the source's folder, an ASCII name with the key (never cached stale)."""
    folder, base = os.path.split(source.relative)
    folder = "/".join(slugify(part) or "anh" for part in folder.split("/") if part)
    stem = slugify(os.path.splitext(base)[0]) or "anh"
    shape, extension = rendition.name.split("-", 1)[1].rsplit(".", 1)
    return f"{folder}/{stem}-{shape}.{source.key[:HASH_LENGTH]}.{extension}".lstrip("/")


# ---------------------------------------------------------------- markup

@dataclass(frozen=True)
class Picture:
    """What the markup of one picture needs: the fallback src and size, its srcset and the other formats'."""

    src: str
    width: int = 0
    height: int = 0
    srcset: str = ""
    sizes: str = ""
    sources: tuple[tuple[str, str], ...] = ()  # (MIME type, srcset), preferred first


def picture(source: Source, variant_name: str, siteurl: str) -> Picture:
    """Return the Picture of one variant of a source (URLs start with SITEURL)."""
    variant = VARIANTS[variant_name]
    files = [r for r in plan(source.width, source.height) if r.variant == variant_name]

    def srcset(fmt: str) -> str:
        return ", ".join(f"{siteurl}/{published_name(source, r)} {r.width}w" for r in files if r.format == fmt)

    fallback = [r for r in files if r.format == variant.formats[-1]]
    main = next((r for r in fallback if r.width >= variant.default), fallback[-1])
    return Picture(
        src=f"{siteurl}/{published_name(source, main)}", width=main.width, height=main.height,
        srcset=srcset(variant.formats[-1]) if len(fallback) > 1 else "", sizes=variant.sizes if len(fallback) > 1 else "",
        sources=tuple((FORMATS[fmt].mime, srcset(fmt)) for fmt in variant.formats[:-1]),
    )


def picture_html(p: Picture, alt: str = "", first: bool = False, css_class: str = "", attrs: dict | None = None) -> str:
    """Write <picture><source…><img…></picture> (a lone <img> for a picture in one format, such as an SVG).

    The first picture of a page loads at once and early; the others load when scrolled near, decoded off the main thread.
    """
    sizes = f' sizes="{html.escape(p.sizes)}"' if p.sizes else ""
    img = {"class": css_class, "src": p.src, "srcset": p.srcset, "sizes": p.sizes if p.srcset else "",
           "width": p.width or "", "height": p.height or "", **(attrs or {})}
    img.update({"fetchpriority": "high"} if first else {"loading": "lazy", "decoding": "async"})
    tag = "<img" + "".join(f' {k}="{html.escape(str(v))}"' for k, v in img.items() if v != "")
    tag += f' alt="{html.escape(alt)}">'
    if not p.sources:
        return tag
    sources = "".join(f'<source type="{mime}" srcset="{html.escape(srcset)}"{sizes}>' for mime, srcset in p.sources)
    return f"<picture>{sources}{tag}</picture>"


def picture_filter(p: Picture, alt: str = "", first: bool = False, css_class: str = "", attrs: dict | None = None) -> Markup:
    """Jinja filter: `{{ article.photo | picture(alt, first=true) }}`."""
    return Markup(picture_html(p, alt, first, css_class, attrs))


# ---------------------------------------------------------------- one build's photos

@dataclass
class Use:
    """Where an article shows a photo: for errors found once its pixels are read."""

    path: str
    line: int
    shown: str


@dataclass
class Photos:
    """One build's photos: sources read, the ones published pages need and where each is used."""

    content_dir: str
    cache: str  # the cache's photo folder ("" when the build runs without cache)
    hashes: dict = field(default_factory=dict)  # real path -> [size, mtime_ns, inode, digest]
    hashes_changed: bool = False
    known: dict = field(default_factory=dict)  # real path -> Source or PhotoError
    needed: dict = field(default_factory=dict)  # key -> Source
    variants: dict = field(default_factory=dict)  # key -> names of the variants pages show (only those are published)
    uses: dict = field(default_factory=dict)  # key -> [Use]
    card: tuple | None = None  # (key, title, subtitle, font files) of the site's card, once asked for; () without fonts
    card_needed: bool = False

    def source(self, path: str) -> Source:
        """Return the Source of a photo file (real path), reading it once per build; raise PhotoError."""
        found = self.known.get(path)
        if found is None:
            try:
                found = inspect(path, os.path.relpath(path, self.content_dir).replace(os.sep, "/"), self.digest(path))
            except PhotoError as error:
                found = error
            except OSError as error:
                found = PhotoError(f"không đọc được ({error.strerror}) — hãy kiểm tra quyền đọc tệp")
            self.known[path] = found
        if isinstance(found, PhotoError):
            raise found
        return found

    def digest(self, path: str) -> str:
        """Return a file's content hash, from the memo when its size, time and inode are unchanged."""
        stat = os.stat(path)
        signature = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
        memo = self.hashes.get(path)
        if memo and memo[:3] == signature:
            return memo[3]
        digest = file_digest(path)
        self.hashes[path] = [*signature, digest]
        self.hashes_changed = True
        return digest

    def need(self, source: Source, use: Use | None, variants: tuple[str, ...] = ("article",)) -> None:
        """Note that a published page shows these variants of this source (at `use`, for errors)."""
        self.needed.setdefault(source.key, source)
        self.variants.setdefault(source.key, set()).update(variants)
        uses = self.uses.setdefault(source.key, [])
        if use is not None:
            uses.append(use)


def photos_of(settings: dict) -> Photos:
    """Return this build's Photos (a field of the build state), made at the first photo, its hash memo read from the
    cache."""
    state = get_state(settings)
    photos = state.photos
    if photos is None:
        folder = settings.get("BULLETIN_CACHE") or ""
        photos = state.photos = Photos(content_dir=os.path.realpath(settings["PATH"]),
                                       cache=os.path.join(folder, CACHE_FOLDER) if folder else "")
        if photos.cache:
            with contextlib.suppress(OSError, ValueError):
                with open(os.path.join(photos.cache, HASHES_FILE), encoding="utf-8") as handle:
                    loaded = json.load(handle)
                if isinstance(loaded, dict):
                    photos.hashes = {k: v for k, v in loaded.items() if isinstance(v, list) and len(v) == 4}
    return photos


# ---------------------------------------------------------------- the reader's part

def _resolve(target: str, source_path: str, content_dir: str) -> str:
    """Return the real path of a {static} target (from the content folder when it starts with /, else the file's folder)."""
    base = content_dir if target.startswith("/") else os.path.dirname(source_path)
    return os.path.realpath(os.path.join(base, target.lstrip("/")))


def attach(doc, html_text: str, metadata: dict, source_path: str, settings: dict,
           card: bool = True) -> tuple[str, list[ContentError]]:
    """Give an article or page its photos: <picture> markup in the body for each photo, and for an article its `photo`
    (the `image` field), `thumb` (for lists) and `og_image` (the `image`, else the first photo of the body, else the
    site's card when `card`).

    Returns the new body and the errors (a photo that cannot be published, at its line). Only a published page's
    photos are noted for publish().
    """
    photos = photos_of(settings)
    siteurl = settings.get("SITEURL", "")
    published = metadata.get("status") == "published"
    errors: list[ContentError] = []

    def use(relative: str, line: int, shown: str) -> Source | None:
        path = _resolve(relative, source_path, photos.content_dir)
        if not (path.startswith(photos.content_dir + os.sep) and os.path.isfile(path)):
            return None  # the reference check says the file is not there
        try:
            source = photos.source(path)
        except PhotoError as error:
            errors.append(ContentError(doc.path, line, f'ảnh "{shown}" {error}'))
            return None
        if published:
            photos.need(source, Use(doc.path, line, shown))
        return source

    lead = None  # the picture the thumbnail and the Open Graph card are made from
    lead_alt = ""  # what it shows, for og:image:alt
    image = metadata.get("image")
    if image is not None and is_photo(image.path):
        lead = use("/" + image.path, doc.lines.get("image", 1), image.path)
        lead_alt = image.caption
        if lead is not None:
            metadata["photo"] = picture(lead, "article", siteurl)
    elif image is not None:
        metadata["photo"] = Picture(src=f"{siteurl}/{image.path}")
    first = image is None  # without an `image`, the first picture of the body is the first of the page

    def line_of(target: str) -> int:
        index = min((i for i in (doc.body.find(target), doc.body.find(unquote(target))) if i >= 0), default=-1)
        return doc.body_line + (doc.body.count("\n", 0, index) if index >= 0 else locate(doc.body, target) - 1)

    def replace_image(match: re.Match) -> str:
        nonlocal first, lead, lead_alt
        tag = match.group(0)
        attributes = {k: html.unescape(v) for k, v in _ATTRIBUTE.findall(tag)}
        src = attributes.get("src", "")
        target = unquote(src.removeprefix("{static}"))
        if not (src.startswith("{static}") and is_photo(target)):
            if first:  # an SVG or another host's picture opens the page: it loads at once
                first = False
                return tag.replace(' loading="lazy"', "").replace(' decoding="async"', "")
            return tag
        source = use(target, line_of(src.removeprefix("{static}").lstrip("/")), target.lstrip("/"))
        if source is None:
            return tag
        if lead is None:
            lead, lead_alt = source, attributes.get("alt") or attributes.get("title", "")
        extra = {k: v for k, v in attributes.items() if k in ("id", "class", "title", "lang", "dir")}
        markup = picture_html(picture(source, "article", siteurl), attributes.get("alt", ""), first, attrs=extra)
        first = False
        return markup

    def replace_link(match: re.Match) -> str:
        target = unquote(html.unescape(match.group(2)).removeprefix("{static}"))
        if not is_photo(target):
            return match.group(0)
        source = use(target, line_of(match.group(2).removeprefix("{static}").lstrip("/")), target.lstrip("/"))
        if source is None:
            return match.group(0)
        fallback = VARIANTS["article"].formats[-1]  # a link opens the widest file every browser shows
        largest = [r for r in plan(source.width, source.height) if r.variant == "article" and r.format == fallback][-1]
        return f"{match.group(1)}{html.escape(siteurl)}/{published_name(source, largest)}{match.group(3)}"

    if "{static}" in html_text:
        html_text = _LINK.sub(replace_link, _IMG.sub(replace_image, html_text))
    if doc.kind == "article" and lead is not None:
        metadata["og_image"] = picture(lead, "og", siteurl)
        metadata["og_alt"] = lead_alt
        metadata["thumb"] = picture(lead, "thumb", siteurl)
        if published:
            photos.need(lead, None, ("og", "thumb"))
    if doc.kind == "article" and image is not None and not is_photo(image.path):  # an SVG: as it is, sized by CSS
        metadata["thumb"] = Picture(src=f"{siteurl}/{image.path}", width=160, height=100)
    if doc.kind == "article" and lead is None and card and (shared := site_card(photos, settings)) is not None:
        metadata["og_image"] = shared
        metadata["og_alt"] = settings.get("SITENAME", "")
        photos.card_needed = photos.card_needed or published
    return html_text, errors


# ---------------------------------------------------------------- the site's card

def font_file(pattern: str) -> str | None:
    """Return the font file fontconfig picks for a pattern (DejaVu comes with the project's setup), or None."""
    try:
        found = subprocess.run(["fc-match", "--format=%{file}", pattern], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None
    path = found.stdout.strip()
    return path if found.returncode == 0 and os.path.isfile(path) else None


def site_card(photos: Photos, settings: dict) -> Picture | None:
    """Return the Open Graph card of articles without a photo (None when no font is found), worked out once a build."""
    if photos.card is None:
        fonts = (font_file(CARD["title_font"]), font_file(CARD["subtitle_font"]))
        if None in fonts:
            photos.card = ()
        else:
            title, subtitle = settings.get("SITENAME", ""), settings.get("SITESUBTITLE") or ""
            digest = hashlib.sha256(json.dumps([title, subtitle, CARD, settings_version()]).encode())
            for font in fonts:
                digest.update(file_digest(font).encode())
            photos.card = (digest.hexdigest(), title, subtitle, fonts)
    if not photos.card:
        return None
    width, height = CARD["size"]
    return Picture(src=f"{settings.get('SITEURL', '')}/{card_name(photos.card[0])}", width=width, height=height)


def is_card(p: Picture) -> bool:
    """Tell whether a picture is the site's card (not a photo of the article)."""
    return f"/{CARD['name']}." in p.src


def card_name(key: str) -> str:
    """Return where the site's card is published."""
    return f"images/{CARD['name']}.{key[:HASH_LENGTH]}.jpg"


def draw_card(title: str, subtitle: str, fonts: tuple[str, str]) -> Image.Image:
    """Draw the card: red bands, a gold star on a red disc, the site's name and its subtitle (wrapped, centred)."""
    from PIL import ImageFont

    width, height = CARD["size"]
    card = Image.new("RGB", (width, height), CARD["paper"])
    draw = ImageDraw.Draw(card)
    draw.rectangle([0, 0, width, 24], fill=CARD["band"])
    draw.rectangle([0, height - 24, width, height], fill=CARD["band"])
    big, small = ImageFont.truetype(fonts[0], 64), ImageFont.truetype(fonts[1], 34)
    blocks = [(line, big, 84, CARD["ink"]) for line in _wrap(draw, title, big, width - 280)[:3]]
    blocks += [(line, small, 50, CARD["muted"]) for line in _wrap(draw, subtitle, small, width - 260)[:2]]
    top = y = (height - sum(step for _, _, step, _ in blocks) - (20 if subtitle else 0)) // 2
    for index, (line, font, step, colour) in enumerate(blocks):
        if font is small and index and blocks[index - 1][1] is big:
            y += 20
        draw.text((220, y), line, font=font, fill=colour)
        y += step
    cx, cy = 120, top + 42
    draw.ellipse([cx - 56, cy - 56, cx + 56, cy + 56], fill=CARD["band"])
    draw.polygon([(cx + r * math.cos(a), cy + r * math.sin(a))
                  for i in range(10) for r, a in [((44, 17)[i % 2], -math.pi / 2 + i * math.pi / 5)]], fill=CARD["star"])
    return card


def _wrap(draw, text: str, font, width: int) -> list[str]:
    """Split text into lines no wider than `width` pixels (at word boundaries)."""
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines


def publish_card(photos: Photos, cache: str, output: str) -> None:
    """Draw the site's card once (cached by its text, fonts and settings) and put it into the output."""
    key, title, subtitle, fonts = photos.card
    kept = os.path.join(cache, "card", f"{key}.jpg")
    if not os.path.isfile(kept):
        os.makedirs(os.path.dirname(kept), exist_ok=True)
        scratch = f"{kept}.tmp-{os.getpid()}"
        _save(draw_card(title, subtitle, fonts), scratch, "jpeg", None)
        os.replace(scratch, kept)
    _link(kept, os.path.join(output, card_name(key)))


def check(doc, html_text: str, source_path: str, settings: dict) -> list[ContentError]:
    """Return the errors of the photos a checked file shows (`invoke check`: headers only, nothing is made)."""
    image = doc.meta.get("image")
    metadata = {"image": schema.Image(image) if image else None, "status": "draft"}
    return attach(doc, html_text, metadata, source_path, settings, card=False)[1]


# ---------------------------------------------------------------- making the files

def make_variants(path: str, folder: str, width: int, height: int) -> None:
    """Decode a photo once and write every planned file into `folder` (upright, sRGB, no metadata); raise PhotoError."""
    files = plan(width, height)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                check_pixels(*image.size)
                _draft(image, files, width, height)
                image.load()
                picture_, tagged = upright_srgb(image)
    except (PhotoError, MemoryError):
        raise
    except Exception as error:  # Pillow raises many kinds on a damaged file: each one is the editor's to fix
        if "truncated" in str(error).lower() or "premature" in str(error).lower():
            raise PhotoError("bị cắt cụt (tệp chưa chép hết hoặc bị hỏng giữa chừng) — hãy chép lại ảnh từ máy ảnh hoặc "
                             "điện thoại") from None
        raise PhotoError(f"không giải mã được ({error}) — hãy mở ảnh trên máy, lưu lại thành JPEG rồi chép đè lên "
                         "tệp này") from None
    icc = srgb_profile() if tagged else None
    made = [picture_]  # what a file may be resized from: the picture, then each uncropped size made (cheaper)
    for name, variant in VARIANTS.items():
        for w, h in sorted({(r.width, r.height) for r in files if r.variant == name}, reverse=True):
            base = min((m for m in made if _holds(m.size, w, h, variant.aspect)), key=lambda m: m.width, default=picture_)
            box = crop_box(*base.size, variant.aspect)
            resized = base if (w, h) == base.size and variant.aspect is None else base.resize(
                (w, h), Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)
            for fmt in variant.formats:
                _save(resized, os.path.join(folder, Rendition(name, fmt, w, h).name), fmt, icc)
            if variant.aspect is None:
                made.append(resized)


def _holds(size: tuple[int, int], width: int, height: int, aspect: tuple[int, int] | None) -> bool:
    """Tell whether a picture of this size, cropped to the aspect, has at least width × height pixels."""
    left, top, right, bottom = crop_box(*size, aspect)
    return right - left >= width and bottom - top >= height


def _draft(image: Image.Image, files: tuple[Rendition, ...], width: int, height: int) -> None:
    """Let the JPEG decoder scale down by 2, 4 or 8 while still giving every planned file enough pixels."""
    if image.format not in ("JPEG", "MPO"):
        return
    scale = 0.0
    for r in files:
        left, top, right, bottom = crop_box(width, height, VARIANTS[r.variant].aspect)
        scale = max(scale, r.width / (right - left), r.height / (bottom - top))
    wanted = (math.ceil(width * min(scale, 1)), math.ceil(height * min(scale, 1)))
    if image.getexif().get(ORIENTATION, 1) in SWAPPED:
        wanted = wanted[::-1]
    image.draft(image.mode, wanted)


def upright_srgb(image: Image.Image) -> tuple[Image.Image, bool]:
    """Return the picture turned upright, 8-bit RGB(A) in sRGB, with no metadata; tell whether it came with a profile."""
    icc = image.info.get("icc_profile")
    upright = ImageOps.exif_transpose(image)
    if upright.mode in LUMINANCE_16:  # 16-bit grey: scale to 8 bits (a plain convert would clip at 255)
        upright = upright.convert("I").point(lambda value: value * (1 / 257)).convert("L")
    elif upright.mode == "F":
        upright = upright.point(lambda value: value * 255).convert("L")
    alpha = None
    if upright.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (upright.mode == "P" and "transparency" in upright.info):
        upright = upright.convert("RGBA")
        alpha = upright.getchannel("A")
        if alpha.getextrema() == (255, 255):
            alpha = None
    converted = None
    if icc:
        with contextlib.suppress(ImageCms.PyCMSError, OSError, ValueError):
            profile = ImageCms.ImageCmsProfile(BytesIO(icc))
            if upright.mode == "CMYK" or not ImageCms.getProfileDescription(profile).strip().startswith("sRGB"):
                base = upright.convert("RGB") if upright.mode not in ("RGB", "CMYK") else upright
                converted = ImageCms.profileToProfile(base, profile, ImageCms.createProfile("sRGB"), outputMode="RGB")
    result = converted if converted is not None else upright.convert("RGB")
    if alpha is not None:
        result.putalpha(alpha)
    clean = Image.new(result.mode, result.size)
    clean.paste(result)  # a new image: no EXIF, XMP, comment or profile travels with the pixels
    return clean, bool(icc)


def _save(image: Image.Image, path: str, fmt: str, icc: bytes | None) -> None:
    """Write one file: JPEG flattens transparency onto white; only the sRGB profile goes in, when the source had one."""
    spec = FORMATS[fmt]
    if image.mode == "RGBA" and fmt == "jpeg":
        flat = Image.new("RGB", image.size, (255, 255, 255))
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    options = dict(spec.options)
    if icc:
        options["icc_profile"] = icc
    image.save(path, **options)


# ---------------------------------------------------------------- publishing

def entry_folder(cache: str, key: str) -> str:
    """Return the cache folder of one source's variants."""
    return os.path.join(cache, key[:2], key)


def _encode(job: tuple[str, str, str, int, int]) -> tuple[str, str]:
    """Make one source's variants into a fresh folder, then move it into place; return (key, problem or '')."""
    key, path, folder, width, height = job
    scratch = f"{folder}.tmp-{os.getpid()}"
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    try:
        make_variants(path, scratch, width, height)
        try:
            os.rename(scratch, folder)
        except OSError:  # another build made it first: same bytes
            if not os.path.isdir(folder):
                raise
        return key, ""
    except PhotoError as error:
        return key, str(error)
    except MemoryError:
        return key, "cần nhiều bộ nhớ hơn máy đang có — hãy thu nhỏ ảnh, ví dụ còn 4.000 điểm ảnh chiều ngang"
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def publish(settings: dict, output: str) -> list[ContentError]:
    """Make the variants the published pages need that are not cached yet (on every core), link them all into the
    output; return an error at each use of a photo that could not be made."""
    photos = get_state(settings).photos
    if photos is None or not (photos.needed or photos.card_needed):
        return []
    cache = usable(photos.cache)
    scratch = None if cache else tempfile.mkdtemp(prefix="ban-tin-anh-")
    cache = cache or scratch
    try:
        failed = dict(run_jobs(missing(photos.needed.values(), cache), worker_count(settings)))
        errors = [ContentError(u.path, u.line, f'ảnh "{u.shown}" {failed[key]}')
                  for key in sorted(failed) if failed[key] for u in photos.uses[key]]
        now = time.time()
        for key, source in photos.needed.items():
            if not failed.get(key):
                link_variants(source, entry_folder(cache, key), output, photos.variants[key])
                with contextlib.suppress(OSError):
                    os.utime(entry_folder(cache, key), (now, now))  # kept: used just now
        if photos.card_needed:
            publish_card(photos, cache, output)
        if cache == photos.cache:
            save_hashes(photos)
        return errors
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


def usable(cache: str) -> str:
    """Return the cache folder when it exists or can be made, else "" (a cache that cannot be used only costs speed)."""
    try:
        if cache:
            os.makedirs(cache, exist_ok=True)
            return cache
    except OSError:
        pass
    return ""


def missing(sources, cache: str) -> list[tuple[str, str, str, int, int]]:
    """Return the encoding jobs of the sources whose cache folder is missing or incomplete."""
    os.makedirs(cache, exist_ok=True)
    jobs = []
    for source in sorted(sources, key=lambda s: s.key):
        folder = entry_folder(cache, source.key)
        if not complete(source, folder):
            shutil.rmtree(folder, ignore_errors=True)  # a file of it was deleted by hand: made again
            os.makedirs(os.path.dirname(folder), exist_ok=True)
            jobs.append((source.key, source.path, folder, source.width, source.height))
    return jobs


def cache_ahead(paths, settings: dict) -> None:
    """Make the variants of photos just copied into the content folder before any article shows them (the live
    preview: the save that puts the photo in an article then only links files)."""
    photos = photos_of(settings)
    sources = []
    for path in sorted(paths):
        real = os.path.realpath(path)
        if photos.cache and is_photo(real) and real.startswith(photos.content_dir + os.sep) and os.path.isfile(real):
            photos.known.pop(real, None)  # read again: it may be a new version of a photo the site shows
            with contextlib.suppress(PhotoError):  # reported at the article that shows it
                sources.append(photos.source(real))
    if sources and usable(photos.cache):
        run_jobs(missing(sources, photos.cache), worker_count(settings))
        save_hashes(photos)


def complete(source: Source, folder: str) -> bool:
    """Tell whether a cache folder holds every file a source gets."""
    return os.path.isdir(folder) and all(os.path.isfile(os.path.join(folder, r.name)) for r in plan(source.width, source.height))


def run_jobs(jobs: list[tuple], workers: int) -> list[tuple[str, str]]:
    """Encode the jobs: in worker processes when there are several, else here."""
    if workers <= 1 or len(jobs) <= 1:
        return [_encode(job) for job in jobs]
    context = multiprocessing.get_context("fork")
    with context.Pool(min(workers, len(jobs))) as pool:
        return list(pool.imap_unordered(_encode, jobs))


def link_variants(source: Source, folder: str, output: str, variants: set[str]) -> None:
    """Put a source's files of these variants into the output under their published names (hard links to the cache;
    copies if need be)."""
    for rendition in (r for r in plan(source.width, source.height) if r.variant in variants):
        _link(os.path.join(folder, rendition.name), os.path.join(output, published_name(source, rendition)))


def _link(origin: str, target: str) -> None:
    """Put a cached file into the output: a hard link (no copy), or a copy across file systems; kept if there."""
    if os.path.exists(target):
        return
    os.makedirs(os.path.dirname(target), exist_ok=True)
    try:
        os.link(origin, target)
    except OSError:
        shutil.copyfile(origin, target)


def save_hashes(photos: Photos) -> None:
    """Write the hash memo of the photos this build read (replacing the file in one step)."""
    if not photos.hashes_changed:
        return
    seen = {path: photos.hashes[path] for path in photos.known if path in photos.hashes}
    with contextlib.suppress(OSError):
        os.makedirs(photos.cache, exist_ok=True)
        temporary = os.path.join(photos.cache, f".{HASHES_FILE}.{os.getpid()}")
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(seen, handle, sort_keys=True)
        os.replace(temporary, os.path.join(photos.cache, HASHES_FILE))
    photos.hashes_changed = False


def prune(settings: dict) -> None:
    """Delete cached photos no build has used for STALE_SECONDS (an edited photo's old variants, other settings)."""
    cache = os.path.join(settings.get("BULLETIN_CACHE") or "", CACHE_FOLDER)
    if not settings.get("BULLETIN_CACHE") or not os.path.isdir(cache):
        return
    cutoff = time.time() - STALE_SECONDS
    for prefix in os.listdir(cache):
        parent = os.path.join(cache, prefix)
        if len(prefix) != 2 or not os.path.isdir(parent):
            continue
        for name in os.listdir(parent):
            folder = os.path.join(parent, name)
            with contextlib.suppress(OSError):
                if os.path.getmtime(folder) < cutoff:
                    shutil.rmtree(folder, ignore_errors=True)
