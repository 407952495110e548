#!/usr/bin/env python3
"""Draw photo-like pictures of a meeting hall, saved as a phone saves them: JPEG with EXIF (orientation, camera,
serial number, GPS position). Used for the sample site's photos and by `invoke bench-images`.

The pictures are synthetic but compress like photos (a stage, a banner, rows of delegates, texture and sensor
grain): a 4000 × 3000 one is about 5 MB at quality 92, and its 672-pixel WebP about 50 KB. The same seed gives the
same bytes. Existing files are left alone unless --force is given.

    .venv/bin/python scripts/make_sample_photos.py            # write the sample site's photos if missing
    .venv/bin/python scripts/make_sample_photos.py --force    # rewrite them
"""

from __future__ import annotations

import argparse
import io
import math
import random
import sys
from pathlib import Path

from PIL import ExifTags, Image, ImageChops, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
# (path under content/, width, height, seed, EXIF orientation): the second is stored sideways, as phones do.
SAMPLES = (
    ("images/2025/dai-hoi-tan-khai-toan-canh.jpg", 1600, 1200, 11, 1),
    ("images/2025/dai-hoi-tan-khai-dai-bieu.jpg", 1600, 1200, 12, 6),
)
GPS_POSITION = ((11.0, 32.0, 6.0), (106.0, 52.0, 48.0))  # a made-up spot in Bình Phước, degrees minutes seconds


def star(cx: float, cy: float, outer: float, inner: float) -> list[tuple[float, float]]:
    """Return the points of a five-pointed star, first point straight up."""
    return [(cx + r * math.cos(a), cy + r * math.sin(a))
            for i in range(10) for r, a in [((outer, inner)[i % 2], -math.pi / 2 + i * math.pi / 5)]]


def texture(width: int, height: int, rnd: random.Random) -> Image.Image:
    """Return a coloured texture with detail at several scales (light on walls, cloth, faces far away)."""
    result = None
    for cells, weight in ((6, 1.0), (40, 0.5), (300, 0.35), (width // 6, 0.25)):
        layers = [Image.effect_noise((max(2, cells), max(2, cells * height // width)), 50) for _ in range(3)]
        layer = Image.merge("RGB", layers).resize((width, height), Image.Resampling.BICUBIC)
        result = layer if result is None else Image.blend(result, layer, weight)
    return result


def scene(width: int, height: int, seed: int) -> Image.Image:
    """Draw a meeting hall: wall, red backdrop with a star and a banner, rows of delegates seen from behind."""
    rnd = random.Random(seed)
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(0, height, 4):
        shade = int(165 + 45 * y / height)
        draw.rectangle([0, y, width, y + 4], fill=(shade, shade - 12, shade - 32))
    red = (165 + rnd.randrange(35), 18, 24)
    draw.rectangle([width * 0.14, height * 0.05, width * 0.86, height * 0.38], fill=red)
    draw.polygon(star(width * 0.5, height * 0.15, height * 0.075, height * 0.03), fill=(245, 205, 60))
    for i in range(6):  # the banner's words, far away
        left = width * (0.2 + i * 0.1)
        draw.rectangle([left, height * 0.27, left + width * 0.07, height * 0.31], fill=(245, 222, 105))
    shirts = [(240, 240, 235), (30, 50, 110), (225, 225, 230), (60, 60, 70), (250, 250, 250), (120, 30, 30)]
    for row in range(9):
        y = height * (0.45 + row * 0.07)
        size = width * (0.018 + row * 0.006)
        x = rnd.uniform(-size, size)
        while x < width + size:
            shirt = tuple(max(0, min(255, c + rnd.randint(-20, 20))) for c in rnd.choice(shirts))
            draw.rounded_rectangle([x - size, y, x + size, y + size * 2.2], radius=size * 0.6, fill=shirt)
            hair = rnd.randint(10, 45)
            draw.ellipse([x - size * 0.45, y - size * 0.9, x + size * 0.45, y + size * 0.15], fill=(hair, max(0, hair - 5), hair))
            draw.rectangle([x - size * 1.1, y + size * 1.3, x + size * 1.1, y + size * 1.6], fill=(110 + rnd.randint(-15, 15), 70, 40))
            x += size * rnd.uniform(2.1, 2.6)
    image = image.filter(ImageFilter.GaussianBlur(width / 2500))
    light = texture(width, height, rnd)
    image = Image.blend(ImageChops.overlay(image, light), ImageChops.overlay(ImageChops.overlay(image, light), light), 0.5)
    grain = Image.effect_noise((width, height), 10).convert("RGB")
    return ImageChops.add(image, grain, scale=1.0, offset=-128)


def phone_jpeg(image: Image.Image, orientation: int = 1, quality: int = 92, serial: str = "R58N-0001") -> bytes:
    """Save a picture as a phone does: JPEG with orientation, make, model, serial number and GPS position.

    With orientation 6 the picture is stored turned a quarter to the left (the viewer turns it back right).
    """
    stored = image.transpose(Image.Transpose.ROTATE_90) if orientation == 6 else image
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "Điện thoại mẫu"
    exif[ExifTags.Base.Model] = "Máy chụp hội nghị"
    exif[ExifTags.Base.BodySerialNumber] = serial
    latitude, longitude = GPS_POSITION
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: latitude,
                                  ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: longitude}
    data = io.BytesIO()
    stored.save(data, "JPEG", quality=quality, exif=exif)
    return data.getvalue()


def main() -> int:
    """Write the sample photos under content/ (or --out), refusing to overwrite without --force."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "content"), help="thư mục nội dung (mặc định content/)")
    parser.add_argument("--force", action="store_true", help="ghi đè ảnh đã có")
    args = parser.parse_args()
    for relative, width, height, seed, orientation in SAMPLES:
        path = Path(args.out) / relative
        if path.exists() and not args.force:
            print(f"bỏ qua {path} (đã có; dùng --force để vẽ lại)")
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(phone_jpeg(scene(width, height, seed), orientation, quality=80, serial=f"R58N-{seed:04d}"))
        print(f"đã ghi {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
