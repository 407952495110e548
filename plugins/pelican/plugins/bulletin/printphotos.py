"""Photos for the printed edition: each picture made from the editor's original at 300 dpi for the width it is printed
at (never the web variants), upright (EXIF orientation applied), in sRGB, and with no metadata at all (no GPS
position, camera, date or comment reaches the PDF). SVG illustrations stay vector: they are printed as the site
publishes them (svg.rebuild).

A prepared file is a pure function of the source's bytes, the printed size and PRINT_VERSION, so it is named by the
hash of those and kept in the print cache; two builds give the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps

from . import filetypes, svg

DPI = 300
MM_PER_INCH = 25.4
JPEG = {"format": "JPEG", "quality": 88, "optimize": True, "subsampling": "4:2:0"}  # no exif, no icc_profile: none kept
PNG = {"format": "PNG", "compress_level": 6}
# Bump when the way a picture is prepared changes: the prepared files' names (and so the editions' cache keys) change.
PRINT_VERSION = "2"
MAX_PIXELS = 150_000_000
ORIENTATION = 0x0112  # the EXIF tag
SWAPPED = (5, 6, 7, 8)  # orientations that turn the picture a quarter: width and height trade places  # a larger picture is refused by the build's photo checks; do not decode it here


@dataclass(frozen=True)
class PrintSize:
    """How wide a picture is printed, in millimetres; `aspect` (width, height) crops it to that shape first."""

    width_mm: float
    aspect: tuple[int, int] | None = None

    @property
    def pixels(self) -> int:
        """Return the width in pixels that prints at DPI."""
        return round(self.width_mm / MM_PER_INCH * DPI)


def prepared_stem(source: bytes, size: PrintSize | None, drawer: str = "") -> str:
    """Return the name (without extension) of a prepared picture: a hash of its source, its size (None for an SVG,
    printed at any size from one file), PRINT_VERSION and what draws it for print (`drawer`: an SVG's)."""
    key = f"{PRINT_VERSION}:{size.width_mm}:{size.aspect}:" if size else f"{PRINT_VERSION}:vector:{drawer}:"
    return hashlib.sha256(key.encode() + source).hexdigest()[:24]


def prepare(data: bytes, size: PrintSize, is_svg: bool = False) -> tuple[bytes, str]:
    """Return (bytes, extension) of a picture ready to print: SVG rebuilt; a photo upright, cropped, at 300 dpi for
    its printed width (never enlarged), sRGB, as JPEG (PNG when it has transparency), without metadata."""
    if is_svg:
        return svg.rebuild(data), "svg"
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    with Image.open(io.BytesIO(data)) as opened:
        opened.seek(0)
        profile = opened.info.get("icc_profile")
        decode_small(opened, size)
        picture = ImageOps.exif_transpose(opened)  # turns the pixels; the copy carries no orientation tag
        picture = to_srgb(picture, profile)
    if size.aspect:
        picture = crop_to(picture, size.aspect)
    if picture.width > size.pixels:
        height = round(picture.height * size.pixels / picture.width)
        picture = picture.resize((size.pixels, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    clean = Image.new(picture.mode, picture.size)  # pixels only: no info dict, so no EXIF, ICC or text chunk is saved
    clean.paste(picture)
    out = io.BytesIO()
    clean.save(out, **(PNG if clean.mode == "RGBA" else JPEG))
    return out.getvalue(), "png" if clean.mode == "RGBA" else "jpg"


def decode_small(picture: Image.Image, size: PrintSize) -> None:
    """Let a JPEG decode at 1/2, 1/4 or 1/8 of its size when that is still at least as wide as it prints (a phone
    photo is two to four times wider than a column at 300 dpi: decoding is most of the work)."""
    if picture.format != "JPEG":
        return
    width, height = picture.size
    if picture.getexif().get(ORIENTATION, 1) in SWAPPED:
        width, height = height, width  # upright sizes
    if size.aspect:  # the crop keeps the full width unless the picture is wider than the aspect
        width = min(width, round(height * size.aspect[0] / size.aspect[1]))
    scale = size.pixels / width
    if scale < 1:
        picture.draft(picture.mode, (math.ceil(picture.size[0] * scale), math.ceil(picture.size[1] * scale)))


def to_srgb(picture: Image.Image, profile: bytes | None) -> Image.Image:
    """Return the picture in sRGB (or greyscale), RGBA when it has transparency; converted from its ICC profile."""
    has_alpha = picture.mode in ("RGBA", "LA", "PA") or (picture.mode == "P" and "transparency" in picture.info)
    if profile and picture.mode in ("RGB", "CMYK"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            picture = ImageCms.profileToProfile(picture, source, ImageCms.createProfile("sRGB"), outputMode="RGB")
        except (OSError, ImageCms.PyCMSError):
            pass  # a damaged profile: read the numbers as sRGB
    if has_alpha:
        return picture.convert("RGBA")
    if picture.mode in ("L", "I", "I;16", "1"):
        return picture.convert("L")
    return picture.convert("RGB")


def crop_to(picture: Image.Image, aspect: tuple[int, int]) -> Image.Image:
    """Crop to a width:height shape, centred (a little above the middle for tall pictures: heads stay in)."""
    width, height = picture.size
    want_w, want_h = aspect
    if width * want_h > height * want_w:  # too wide: trim the sides
        new_w = round(height * want_w / want_h)
        left = (width - new_w) // 2
        return picture.crop((left, 0, left + new_w, height))
    new_h = round(width * want_h / want_w)
    top = max(0, round((height - new_h) * 0.4))
    return picture.crop((0, top, width, top + new_h))


def prepare_into(folder: str, source_path: str, size: PrintSize, drawer: str = "") -> str:
    """Prepare a picture into a folder (once: the name is its hash, see prepared_stem()); return the file's name."""
    with open(source_path, "rb") as handle:
        data = handle.read()
    is_svg = filetypes.is_svg(source_path)
    stem = prepared_stem(data, None if is_svg else size, drawer)
    for extension in ("svg",) if is_svg else ("jpg", "png"):
        if os.path.isfile(os.path.join(folder, f"{stem}.{extension}")):
            return f"{stem}.{extension}"
    prepared, extension = prepare(data, size, is_svg)
    name = f"{stem}.{extension}"
    os.makedirs(folder, exist_ok=True)
    temporary = os.path.join(folder, f".{name}.{os.getpid()}.tmp")
    with open(temporary, "wb") as handle:
        handle.write(prepared)
    os.replace(temporary, os.path.join(folder, name))
    return name
