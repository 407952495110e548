"""Photos as editors take them: real JPEGs made here (turned by EXIF orientation, GPS-tagged, with camera data) must
come out upright, without any metadata, in resized WebP and JPEG variants with the right markup; rebuilds give the
same bytes and encode nothing again; the phone gets a small file."""

from __future__ import annotations

import functools
import hashlib
import io
import os
import re
import struct
import zlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import ExifTags, Image

from conftest import ROOT, article, build_into, overrides, run_invoke, snapshot, write_content
from pelican.plugins.bulletin import build as builder
from pelican.plugins.bulletin import images, marks
from pelican.plugins.bulletin.check import check_content
from pelican.plugins.bulletin.incremental import LiveSite
from pelican.plugins.bulletin.serve import PREVIEW_SETTINGS

SERIAL = "SN-MAY-ANH-0042"
COMMENT = "Ghi chú riêng của phóng viên"
GPS = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (11.0, 32.0, 10.5),
       ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (106.0, 53.0, 2.25)}
XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="11,32.175N"/></rdf:RDF></x:xmpmeta>')
LEAKS = (b"Exif\x00\x00", SERIAL.encode(), COMMENT.encode(), b"adobe:ns:meta", b"GPSLatitude")
RED = (220, 20, 30)


def picture(width: int, height: int, mode: str = "RGB") -> Image.Image:
    """Return a photo-like picture: gradients, a grain, and a red block in its stored top-left corner."""
    across = Image.linear_gradient("L").rotate(90).resize((width, height))
    down = Image.linear_gradient("L").resize((width, height))
    grain = Image.effect_noise((width, height), 40)
    image = Image.merge("RGB", (across, down, grain))
    image.paste(RED, (0, 0, width // 5, height // 5))
    return image.convert(mode) if mode != "RGB" else image


def jpeg(width: int = 1600, height: int = 1200, orientation: int = 1, mode: str = "RGB", **save) -> bytes:
    """Return a JPEG as a phone writes it: EXIF with orientation, camera, serial number and GPS position, XMP, a comment."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "Hãng máy ảnh"
    exif[ExifTags.Base.Model] = "Điện thoại thử"
    exif[ExifTags.Base.BodySerialNumber] = SERIAL
    exif[ExifTags.IFD.GPSInfo] = GPS
    data = io.BytesIO()
    picture(width, height, mode).save(data, "JPEG", quality=90, exif=exif, xmp=XMP, comment=COMMENT.encode(), **save)
    return data.getvalue()


def png(width: int, height: int, **save) -> bytes:
    """Return a PNG with transparency (an editor's diagram)."""
    image = picture(width, height).convert("RGBA")
    image.putalpha(Image.linear_gradient("L").resize((width, height)))
    data = io.BytesIO()
    image.save(data, "PNG", **save)
    return data.getvalue()


def png_48bit(width: int, height: int) -> bytes:
    """Return a 16-bit-per-channel RGB PNG, written by hand (Pillow writes none)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + b"".join(struct.pack(">HHH", x * 65535 // width, y * 65535 // height, 30000)
                                       for x in range(width)) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 16, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def png_header(width: int, height: int) -> bytes:
    """Return a tiny PNG whose header claims a huge size (a decompression bomb)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def gif_animated() -> bytes:
    """Return a three-frame animated GIF."""
    frames = [Image.new("RGB", (64, 48), colour) for colour in (RED, (20, 120, 40), (30, 40, 200))]
    data = io.BytesIO()
    frames[0].save(data, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return data.getvalue()


HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00\x00\x01\x00meta" + bytes(240)
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="800" height="450" viewBox="0 0 800 450"><rect width="800" height="450" fill="#eee"/></svg>'
HERO = "images/2022/Ảnh toàn cảnh hội nghị.jpg"  # spaces and Vietnamese letters
HERO_BYTES = jpeg(1600, 1200, orientation=6)  # stored sideways: upright it is 1200 × 1600
BODY_BYTES = jpeg(2000, 1500)


@functools.cache
def content_files() -> dict:
    """The fixture site: an article with a turned hero photo and body photos, one led by a body photo, one by an SVG,
    a draft with its own photo, the awkward formats, and a photo nobody uses."""
    body = ("Quang cảnh phiên khai mạc.\n\n"
            '![Đồng chí Bí thư phát biểu](images/2022/phat-bieu.jpg "Đồng chí Bí thư phát biểu khai mạc hội nghị")\n\n'
            "Sơ đồ ![sơ đồ chỗ ngồi](images/2022/so-do.png) trong đoạn văn, "
            "[tải ảnh cỡ lớn](images/2022/phat-bieu.jpg) và biểu đồ:\n\n![Biểu đồ](images/2022/bieu-do.svg)\n")
    return {
        "articles/2022/hoi-nghi.md": article(title="Hội nghị cán bộ", image=HERO, image_caption="Toàn cảnh hội nghị", body=body),
        "articles/2022/chi-co-anh-trong-bai.md": article(title="Chỉ có ảnh trong bài", date="05/04/2022",
                                                         body="Mở đầu.\n\n![Đại biểu](images/2022/dai-bieu.jpg)\n"),
        "articles/2022/minh-hoa.md": article(title="Ảnh minh họa SVG", date="06/04/2022", image="images/2022/bieu-do.svg"),
        "articles/2022/dinh-dang.md": article(title="Các định dạng khó", date="07/04/2022", body=(
            "![CMYK](images/2022/cmyk.jpg)\n\n![Xám 16 bit](images/2022/xam-16.png)\n\n![Màu 48 bit](images/2022/mau-48.png)\n\n"
            "![Rất nặng](images/2022/rat-nang.jpg)\n")),
        "articles/2022/nhap.md": article(title="Bản nháp", date="08/04/2022", status="draft", image="images/2022/nhap.jpg"),
        HERO: HERO_BYTES,
        "images/2022/phat-bieu.jpg": BODY_BYTES,
        "images/2022/dai-bieu.jpg": jpeg(1200, 900),
        "images/2022/so-do.png": png(300, 200),
        "images/2022/bieu-do.svg": SVG,
        "images/2022/cmyk.jpg": jpeg(800, 600, mode="CMYK"),
        "images/2022/xam-16.png": _grey16(),
        "images/2022/mau-48.png": png_48bit(120, 80),
        # 100 MB: a phone photo with a long video after it, as "motion photos" carry
        "images/2022/rat-nang.jpg": jpeg(1000, 750) + bytes(100 * 1024 * 1024),
        "images/2022/nhap.jpg": jpeg(640, 480),
        "images/2022/khong-dung.jpg": jpeg(640, 480),
    }


def _grey16() -> bytes:
    """Return a 16-bit greyscale PNG with values over the whole 16-bit range."""
    image = Image.linear_gradient("L").resize((160, 120)).convert("I").point(lambda v: v * 257).convert("I;16")
    data = io.BytesIO()
    image.save(data, "PNG")
    return data.getvalue()


def build(root: Path, output: str, cache: str, **extra) -> builder.Outcome:
    """Build root/content into root/<output> with its own photo cache, root/<cache>."""
    return build_into(root / "content", root / output, {"BULLETIN_CACHE": str(root / cache), **extra})


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """One build of the fixture site, cold cache."""
    root = tmp_path_factory.mktemp("anh")
    write_content(root / "content", content_files())
    outcome = build(root, "output", "cache")
    assert outcome.ok, outcome.errors
    return root


def soup(root: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((root / "output" / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def published(root: Path, url: str) -> Path:
    """Return the output file of a site-relative URL (/images/…)."""
    return root / "output" / url.lstrip("/")


def candidates(srcset: str) -> list[tuple[str, int]]:
    """Return (URL, width) of each srcset candidate."""
    return [(url, int(width.rstrip("w"))) for url, width in (c.split() for c in srcset.split(","))]


def test_published_photos_are_upright_and_carry_no_metadata(site):
    source = Image.open(io.BytesIO(HERO_BYTES))
    assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo) and SERIAL.encode() in HERO_BYTES  # the inputs do leak
    raster = [p for p in (site / "output" / "images").rglob("*") if p.suffix in (".jpg", ".webp", ".png", ".gif")]
    assert len(raster) > 40
    sources = {hashlib.sha256(data).digest() for name, data in content_files().items() if isinstance(data, bytes)}
    for path in raster:
        data = path.read_bytes()
        assert not any(leak in data for leak in LEAKS), path
        image = Image.open(path)
        assert not image.getexif(), path
        assert not {"exif", "xmp", "comment", "XML:com.adobe.xmp"} & set(image.info), path
        profile = image.info.get("icc_profile")
        assert profile is None or profile == images.srgb_profile(), path
        assert hashlib.sha256(data).digest() not in sources, path  # no original is published
    # Upright: stored 1600 × 1200 with orientation 6 (turn right), so the red corner ends up top right.
    hero = soup(site, "2022/04/hoi-nghi").select_one(".article-image img")
    upright = Image.open(published(site, hero["src"])).convert("RGB")
    assert upright.size == (672, 896)
    assert _near(upright.getpixel((upright.width - 20, 20)), RED) and not _near(upright.getpixel((20, 20)), RED)


def _near(pixel, colour, slack=40) -> bool:
    return all(abs(a - b) <= slack for a, b in zip(pixel, colour, strict=False))  # RGB or RGBA against RGB


def test_only_published_photos_are_published_and_svg_stays_an_svg(site):
    names = [p.name for p in (site / "output" / "images" / "2022").iterdir()]
    svg = (site / "output" / "images" / "2022" / "bieu-do.svg").read_text(encoding="utf-8")
    assert '<rect width="800" height="450" fill="#eee"/>' in svg  # published at its own name, as an SVG
    assert not [n for n in names if n.startswith("bieu-do") and n != "bieu-do.svg"]  # no variants made of it
    assert not [n for n in names if n.startswith(("nhap", "khong-dung"))]  # a draft's photo, an unused photo
    assert not [n for n in names if n.endswith((".png", ".jpeg")) or " " in n or not n.isascii()]
    assert any(n.startswith("anh-toan-canh-hoi-nghi-672w.") for n in names)
    # A photo that leads no article gets no thumbnail and no Open Graph card.
    assert any(n.startswith("anh-toan-canh-hoi-nghi-1200x630.") for n in names)
    assert [n for n in names if n.startswith("phat-bieu-")] and not [n for n in names if re.match(r"phat-bieu-\d+x\d+", n)]


def test_article_markup_has_srcset_sizes_dimensions_and_loading(site):
    page = soup(site, "2022/04/hoi-nghi")
    hero, body, inline = page.select("main picture")
    for pic, (width, height), widths in ((hero, (1200, 1600), [480, 672, 1000, 1200]), (body, (2000, 1500), [480, 672, 1000, 1344])):
        webp, img = pic.select_one("source"), pic.select_one("img")
        assert webp["type"] == "image/webp" and webp["sizes"] == img["sizes"] == images.ARTICLE_SIZES
        for srcset, suffix in ((webp["srcset"], ".webp"), (img["srcset"], ".jpg")):
            listed = candidates(srcset)
            assert [w for _, w in listed] == widths  # never wider than the original
            for url, w in listed:
                assert url.endswith(suffix)
                assert Image.open(published(site, url)).size == (w, round(w * height / width))
        assert (int(img["width"]), int(img["height"])) == Image.open(published(site, img["src"])).size
        assert img["src"].endswith(".jpg") and "672w" in img["src"]
    assert "loading" not in hero.img.attrs and hero.img["fetchpriority"] == "high"  # the first picture of the page
    assert body.img["loading"] == "lazy" and body.img["decoding"] == "async" and "fetchpriority" not in body.img.attrs
    assert body.parent.name == "figure" and body.parent.figcaption.get_text() == "Đồng chí Bí thư phát biểu khai mạc hội nghị"
    assert body.img["alt"] == "Đồng chí Bí thư phát biểu"
    assert inline.parent.name == "p" and inline.img["alt"] == "sơ đồ chỗ ngồi"
    assert [w for _, w in candidates(inline.source["srcset"])] == [300]  # never wider than the original
    assert Image.open(published(site, inline.source["srcset"].split()[0])).mode == "RGBA"  # WebP keeps transparency
    link = page.find("a", string="tải ảnh cỡ lớn")
    assert re.fullmatch(r"/images/2022/phat-bieu-1344w\.[0-9a-f]{10}\.jpg", link["href"])
    svg = page.select_one("img[src='/images/2022/bieu-do.svg']")
    assert svg["loading"] == "lazy" and not svg.find_parent("picture")


def test_first_body_photo_leads_when_there_is_no_image_field(site):
    page = soup(site, "2022/04/chi-co-anh-trong-bai")
    img = page.select_one(".article-body picture img")
    assert "loading" not in img.attrs and img["fetchpriority"] == "high"
    og = page.select_one("meta[property='og:image']")["content"]
    assert re.fullmatch(r"/images/2022/dai-bieu-1200x630\.[0-9a-f]{10}\.jpg", og)


def test_awkward_formats_are_published(site):
    page = soup(site, "2022/04/dinh-dang")
    found = {p.img["alt"]: p.img["src"] for p in page.select("main picture")}
    assert set(found) == {"CMYK", "Xám 16 bit", "Màu 48 bit", "Rất nặng"}
    for alt, src in found.items():
        image = Image.open(published(site, src))
        assert image.mode == "RGB", alt
    grey = Image.open(published(site, found["Xám 16 bit"])).convert("L")
    assert grey.getpixel((0, 0)) < 20 and grey.getpixel((0, grey.height - 1)) > 230  # scaled, not clipped to white
    cmyk = Image.open(published(site, found["CMYK"]))
    assert _near(cmyk.getpixel((10, 10)), RED, 60)


def test_lists_show_a_small_thumbnail_on_every_screen(site):
    items = soup(site, "").select("ol.article-list article")
    thumbs = {" ".join(i.select_one(".article-item-title").get_text(" ").split()): i.select_one(".thumb") for i in items}
    photo = thumbs["Hội nghị cán bộ"]
    assert photo.find_parent("picture").source["sizes"] == photo["sizes"] == images.THUMB_SIZES
    listed = candidates(photo["srcset"])
    assert [w for _, w in listed] == [160, 240, 320]
    assert all(Image.open(published(site, url)).size == (w, round(w * 2 / 3)) for url, w in listed)
    assert photo["alt"] == "" and photo["loading"] == "lazy"
    assert thumbs["Chỉ có ảnh trong bài"] is not None  # from the first photo of the body
    assert thumbs["Ảnh minh họa SVG"]["src"] == "/images/2022/bieu-do.svg"
    assert thumbs["Các định dạng khó"]["src"].startswith("/images/2022/cmyk-160x107.")


def test_open_graph_image_is_1200_by_630(site):
    page = soup(site, "2022/04/hoi-nghi")
    meta = {m["property"]: m["content"] for m in page.select("meta[property^='og:image']")}
    card = Image.open(published(site, meta["og:image"]))
    assert card.size == (1200, 630) and card.format == "JPEG"
    assert (meta["og:image:width"], meta["og:image:height"], meta["og:image:alt"]) == ("1200", "630", "Toàn cảnh hội nghị")
    data = page.select_one("script[type='application/ld+json']").string
    assert f'"image":"{meta["og:image"]}"' in data


def test_rebuilds_are_byte_identical_and_a_warm_one_encodes_nothing(site):
    cache = site / "cache"
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in cache.rglob("*") if p.is_file() and p.suffix != ".json"}
    assert build(site, "output-am", "cache").ok  # warm: same cache
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in cache.rglob("*") if p.is_file() and p.suffix != ".json"} == before
    assert files(site / "output-am") == files(site / "output")
    (site / "tep").write_text("", encoding="utf-8")
    assert build(site, "output-lanh", "tep/cache", BULLETIN_WORKERS=0).ok  # cold, in one process, the cache unusable
    assert files(site / "output-lanh") == files(site / "output")


def test_bad_photos_fail_the_build_at_the_article_line_and_keep_the_site(tmp_path):
    content, output = tmp_path / "content", tmp_path / "output"
    write_content(content, {"articles/2022/tot.md": article(image="images/2022/tot.jpg"), "images/2022/tot.jpg": jpeg(400, 300)})
    result = run_invoke("build", "--content", str(content), "--output", str(output))
    assert result.returncode == 0, result.stdout + result.stderr
    before = snapshot(output)
    bad = {
        "hong.jpg": b"day khong phai la anh " * 50,
        "cut.jpg": jpeg(800, 600)[:20000],
        "bom.png": png_header(10000, 10000),
        "bom-lon.png": png_header(30000, 30000),
        "dong.gif": gif_animated(),
        "IMG_0001.HEIC": HEIC,
        "doi-ten.jpg": HEIC,
    }
    files_ = {f"images/2022/{name}": data for name, data in bad.items()}
    expected = {}  # article -> (line of the photo, words of the message)
    words_of = ("hỏng hoặc không phải tệp ảnh", "bị cắt cụt", "quá lớn", "quá lớn", "ảnh động", "HEIC", "HEIC")
    for name, words in zip(bad, words_of, strict=True):
        in_front = name in ("hong.jpg", "cut.jpg", "bom-lon.png", "IMG_0001.HEIC")  # the others in the body
        text = article(title="Bài có ảnh hỏng", **({"image": f"images/2022/{name}"} if in_front else {}),
                       body="Nội dung." if in_front else f"Đoạn một.\n\n![Ảnh](images/2022/{name})\n")
        stem = re.sub(r"\W", "-", name.lower())
        files_[f"articles/2022/{stem}.md"] = text
        expected[stem] = (next(n for n, line in enumerate(text.split("\n"), 1) if name in line), words)
    files_["articles/2022/thieu-anh.md"] = article(title="Bài thiếu ảnh", body="Đoạn một.\n\n![Ảnh](images/2022/khong-co.jpg)\n")
    write_content(content, files_, units=None)
    result = run_invoke("build", "--content", str(content), "--output", str(output))
    code, out = result.returncode, result.stdout + result.stderr
    assert code == 1 and "Traceback" not in out and "lỗi nội bộ" not in out, out
    assert snapshot(output) == before
    missing = [m for m in out.splitlines() if "thieu-anh.md:" in m]
    assert len(missing) == 1 and 'không tìm thấy tệp "images/2022/khong-co.jpg"' in missing[0], missing  # said once
    for stem, (line, words) in expected.items():
        lines = [m for m in out.splitlines() if re.match(rf".*articles/2022/{stem}\.md:{line}: ảnh \"images/2022/", m)]
        assert len(lines) == 1 and words in lines[0] and " — hãy " in lines[0], (stem, out)
    # `invoke check` finds the same problems without building, but for the truncated file (its end is read when decoding)
    checked = check_content(str(ROOT / "pelicanconf.py"), str(content), [])
    in_articles = {(Path(e.path).stem, e.line) for e in checked if "/articles/" in e.path}
    assert in_articles == {(stem, line) for stem, (line, _) in expected.items() if stem != "cut-jpg"} | {("thieu-anh", 10)}
    # the static files check also names, at the file itself, the ones that are no image a browser shows
    assert {Path(e.path).name for e in checked if "/images/" in e.path} == {"hong.jpg", "IMG_0001.HEIC", "doi-ten.jpg"}


def test_a_new_photo_is_made_when_copied_in_and_shows_in_the_live_preview_on_the_fast_path(tmp_path):
    content, output = tmp_path / "content", tmp_path / "output"
    target = content / "articles" / "2022" / "bai.md"
    write_content(content, {"articles/2022/bai.md": article(body="Chưa có ảnh.")})
    live = LiveSite(str(ROOT / "pelicanconf.py"), str(content), str(output), overrides(BULLETIN_CACHE=str(tmp_path / "cache"), **PREVIEW_SETTINGS), ())
    assert live.build_all().ok
    photo = content / "images" / "2022" / "moi.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(jpeg(1000, 750, orientation=3))
    outcome, fast = live.update({str(photo)})
    assert outcome.ok and not list(output.rglob("moi-*"))  # nobody shows it yet: nothing published
    made = {p: p.stat().st_mtime_ns for p in (tmp_path / "cache").rglob("*.webp")}
    assert len(made) == 6  # 480, 672, 1000 and three thumbnails: its variants are made now, before an article shows it
    target.write_text(article(body="Có ảnh mới.\n\n![Ảnh mới](images/2022/moi.jpg)\n"), encoding="utf-8")
    outcome, fast = live.update({str(target)})
    assert outcome.ok and fast, outcome.errors
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "cache").rglob("*.webp")} == made  # the save only links them
    img = BeautifulSoup((output / "2022/04/bai/index.html").read_text(encoding="utf-8"), "html.parser").select_one("picture img")
    shown = Image.open(published(tmp_path, img["src"])).convert("RGB")
    assert _near(shown.getpixel((shown.width - 10, shown.height - 10)), RED)  # orientation 3: turned half a circle
    assert marks.foreign(str(output)) == []  # its files are in the folder's mark: the next full build may replace it
    assert live.build_all().ok


def loaded_source(tab, selector: str) -> str:
    """Scroll a picture into view, wait until it is decoded, return the file the browser chose."""
    tab.locator(selector).first.scroll_into_view_if_needed()
    tab.wait_for_function("s => { const i = document.querySelector(s); return i.complete && i.naturalWidth > 0 }", arg=selector)
    return tab.eval_on_selector(selector, "img => img.currentSrc")


@pytest.mark.browser
@pytest.mark.parametrize("width, density, wanted", [(360, 2, (672, "webp")), (360, 3, (1000, "webp")), (1280, 1, (672, "webp"))])
def test_the_browser_picks_a_variant_for_the_screen(site, serve_dir, browser, width, density, wanted):
    base = serve_dir(site / "output")
    context = browser.new_context(viewport={"width": width, "height": 740}, device_scale_factor=density, locale="vi-VN")
    tab = context.new_page()
    try:
        tab.goto(f"{base}/2022/04/hoi-nghi/")
        for selector in (".article-image img", ".article-body figure picture img"):
            chosen = loaded_source(tab, selector)
            found = re.search(r"-(\d+)w\.[0-9a-f]{10}\.(\w+)$", chosen)
            assert found and (int(found.group(1)), found.group(2)) == wanted, chosen
            assert int(found.group(1)) <= 800 or density > 2 or width > 800
        tab.goto(f"{base}/")
        box = tab.locator("picture > .thumb").first.bounding_box()
        assert box and 96 <= box["width"] <= 160 and abs(box["height"] - box["width"] * 2 / 3) < 2  # shown, phones too
        chosen = loaded_source(tab, "picture > .thumb")
        assert re.search(r"-(160x107|240x160|320x213)\.[0-9a-f]{10}\.webp$", chosen), chosen
        assert int(re.search(r"-(\d+)x", chosen).group(1)) >= box["width"] * density * 0.9
    finally:
        context.close()


def test_an_article_without_a_photo_shares_the_site_card(site):
    for url in ("2022/04/minh-hoa", "2022/04/hoi-nghi"):
        page = soup(site, url)
        og = page.select_one("meta[property='og:image']")["content"]
        card = Image.open(published(site, og))
        assert card.size == (1200, 630) and card.format == "JPEG"
        assert ("the-chia-se" in og) == (url == "2022/04/minh-hoa")
    alt = {url: soup(site, url).select_one("meta[property='og:image:alt']")["content"]
           for url in ("2022/04/minh-hoa", "2022/04/chi-co-anh-trong-bai", "2022/04/hoi-nghi")}
    assert alt == {"2022/04/minh-hoa": "Bản tin Tỉnh ủy Bình Phước", "2022/04/chi-co-anh-trong-bai": "Đại biểu",
                   "2022/04/hoi-nghi": "Toàn cảnh hội nghị"}
    data = soup(site, "2022/04/minh-hoa").select_one("script[type='application/ld+json']").string
    assert '"image":"/images/2022/bieu-do.svg"' in data  # structured data names the article's own picture


def test_cached_photos_no_build_used_for_a_month_are_removed(tmp_path):
    cache = tmp_path / "cache"
    old, recent = cache / "photos" / "ab" / ("ab" * 32), cache / "photos" / "cd" / ("cd" * 32)
    for folder in (old, recent):
        folder.mkdir(parents=True)
        (folder / "article-480w.webp").write_bytes(b"x")
    month_ago = (old.stat().st_mtime - images.STALE_SECONDS - 60,) * 2
    os.utime(old, month_ago)
    (cache / "photos" / "ghi-chu.txt").write_text("not ours", encoding="utf-8")
    images.prune({"BULLETIN_CACHE": str(cache)})
    assert not old.exists() and recent.exists() and (cache / "photos" / "ghi-chu.txt").exists()
