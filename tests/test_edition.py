"""The printed edition: a tiny public site built once for the module, its PDFs read back with poppler-utils
(pdftotext, pdffonts, pdfinfo, pdfimages): table of contents against where each title really is, running header,
Vietnamese text, fonts, A4, photos at 300 dpi without metadata, SVG as vector, the same bytes from a fresh layout,
the cache; the edition's page valid, accessible and in the sitemap; `invoke edition`."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import unicodedata
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from PIL import ExifTags, Image

from conftest import BASE, PUBLIC, UNITS_YML, article, build_into, run_invoke, write_content
from pelican.plugins.bulletin import editions, printing, publish, typeset, verify
from pelican.plugins.bulletin.errors import SettingsError
from pelican.plugins.bulletin.finishers import FINISHERS
from pelican.plugins.bulletin.registry import load_registry

SITE = BASE + "/"
CAMERA, SERIAL = "MayAnhThu X100", "SN-48151623"
GPS = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (11.0, 32.0, 10.5)}
# Every tone mark on every vowel that takes it, đ, and words whose marks stack (ẫ, ỗ, ữ, ợ): it must come out as written.
VIETNAMESE = ("Đồng chí Nguyễn Thị Ánh Tuyết, Bí thư Chi bộ ấp Hưng, nhấn mạnh: khuỷu tay, thuở ấy, "
              "ngẫm nghĩ, mỗi người, những ước mơ, lợi ích, quyển sổ, ỷ lại, tỵ nạn, ỹ, ỵ, Ẫ Ỗ Ữ Ợ.")
APRIL = [  # (file, title, date, units, extra front matter, body): in date order, the order of the issue
    ("a.md", "Hội nghị cán bộ chủ chốt Huyện ủy Hớn Quản quán triệt nghị quyết", "03/04/2022 08:00", ["huyen-uy-hon-quan"],
     {"summary": "Hội nghị triển khai nhiệm vụ nhiệm kỳ 2020–2025 cho cán bộ chủ chốt.", "author": "Lê Thu Hằng",
      "author_title": "Văn phòng Huyện ủy", "image": "images/2022/hoi-nghi.jpg", "image_caption": "Quang cảnh hội nghị."},
     VIETNAMESE + "\n\n" + ("Các đại biểu thảo luận sôi nổi về nhiệm vụ nhiệm kỳ 2020 – 2025 của Đảng bộ huyện. " * 40)
     + "\n\n![Đại biểu biểu quyết](images/2022/bieu-quyet.jpg \"Đại biểu biểu quyết thông qua nghị quyết.\")\n\n"
     + ("Hội nghị thống nhất các giải pháp trọng tâm cho những tháng còn lại của năm. " * 30)),
    ("b.md", "Đảng ủy xã Tân Khai sơ kết công tác kiểm tra, giám sát quý I", "12/04/2022 09:30", ["dang-uy-xa-tan-khai"],
     {"image": "images/2022/so-do.svg", "image_caption": "Sơ đồ các chi bộ được kiểm tra."},
     "Đảng ủy xã Tân Khai tổ chức sơ kết công tác kiểm tra, giám sát.\n\n"
     + ("Ủy ban Kiểm tra Đảng ủy xã đã kiểm tra 5 chi bộ, giám sát chuyên đề 3 tổ chức đảng. " * 60)
     + "\n\n![Ảnh nhỏ](images/2022/nho.jpg \"Ảnh chụp nhỏ từ điện thoại cũ.\")\n"),
    ("c.md", "Ban Tổ chức Tỉnh ủy tập huấn nghiệp vụ quy hoạch cán bộ", "25/04/2022 14:00", ["ban-to-chuc"],
     {"author": "Trần Văn Bình"}, "Lớp tập huấn có 120 học viên. " * 50),
]
MAY = ("d.md", "Đảng ủy Khối các cơ quan tỉnh học tập chuyên đề năm 2022", "10/05/2022 08:00", ["dang-uy-khoi"], {},
       "Nội dung chuyên đề. " * 20)
SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="600" height="400" viewBox="0 0 600 400">'
       '<rect width="600" height="400" fill="#fbf6ec"/><circle cx="300" cy="200" r="120" fill="#a31b1f"/>'
       '<text x="300" y="380" font-family="Charis SIL" font-size="28" text-anchor="middle">SƠ ĐỒ CHI BỘ</text></svg>')
LEGAL = {"BULLETIN_AGENCY": "Tỉnh ủy Bình Phước", "BULLETIN_RESPONSIBLE": "Trần Quốc Thịnh, Phó Chánh Văn phòng",
         "BULLETIN_ADDRESS": "Số 15 đường Hùng Vương, phường Tân Phú", "BULLETIN_EMAIL": "bantin@example.org"}
HON_QUAN_APRIL = "ban-in/huyen-uy-hon-quan/2022/04/"


def photo(size: tuple[int, int], orientation: int = 1) -> bytes:
    """Return a JPEG as a phone writes it: EXIF orientation, camera model and serial, GPS position; a colour gradient."""
    picture = Image.linear_gradient("L").resize(size).convert("RGB")
    picture.paste((160, 30, 30), (0, 0, size[0] // 3, size[1] // 3))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Model] = CAMERA
    exif[ExifTags.Base.BodySerialNumber] = SERIAL
    exif[ExifTags.IFD.GPSInfo] = GPS
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


def content_files() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {
        "images/2022/hoi-nghi.jpg": photo((3000, 2000)),
        "images/2022/bieu-quyet.jpg": photo((2400, 1800), orientation=6),  # stored sideways: upright it is 1800 x 2400
        "images/2022/nho.jpg": photo((320, 240)),
        "images/2022/so-do.svg": SVG,
    }
    for name, title, date, units, extra, body in [*APRIL, MAY]:
        files[f"articles/2022/{name}"] = article(title=title, date=date, units=units, body=body, **extra)
    return files


def pdf_text(pdf: Path, page: int | None = None, **crop) -> str:
    """Return the text of a PDF (or one page, optionally a region in points: x, y, W, H), as poppler extracts it."""
    args = ["pdftotext", "-enc", "UTF-8"]
    if page:
        args += ["-f", str(page), "-l", str(page)]
    for name, value in crop.items():
        args += [f"-{name}", str(value)]
    return subprocess.run([*args, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def pages_of(pdf: Path) -> list[str]:
    """Return each page's text, whitespace collapsed."""
    count = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout)[1])
    return [" ".join(pdf_text(pdf, n).split()) for n in range(1, count + 1)]


def pdf_of(output: Path, edition: str) -> Path:
    return next((output / edition).glob("*.pdf"))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The tiny site built twice for publishing: with a cache, then with none (laid out again from nothing)."""
    root = tmp_path_factory.mktemp("edition")
    write_content(root / "content", content_files())
    settings = {**PUBLIC, **LEGAL, "BULLETIN_CACHE": str(root / "cache")}
    first = build_into(root / "content", root / "site", settings, "publishconf.py", FINISHERS)
    assert first.ok, first.errors
    again = build_into(root / "content", root / "again", {**settings, "BULLETIN_CACHE": ""}, "publishconf.py", FINISHERS)
    assert again.ok, again.errors
    return root


@pytest.fixture(scope="module")
def hon_quan(built) -> Path:
    return pdf_of(built / "site", HON_QUAN_APRIL)


def test_editions_are_made_for_the_root_and_its_children_with_descendants_rolled_up(built):
    made = sorted(str(p.relative_to(built / "site")) for p in (built / "site" / "ban-in").rglob("*.pdf"))
    assert made == [
        "ban-in/ban-to-chuc/2022/04/ban-tin-ban-to-chuc-2022-04.pdf",
        "ban-in/dang-uy-khoi/2022/05/ban-tin-dang-uy-khoi-2022-05.pdf",
        "ban-in/huyen-uy-hon-quan/2022/04/ban-tin-huyen-uy-hon-quan-2022-04.pdf",
        "ban-in/tinh-uy/2022/04/ban-tin-tinh-uy-2022-04.pdf",  # the whole site's: the registry has one root
        "ban-in/tinh-uy/2022/05/ban-tin-tinh-uy-2022-05.pdf",
    ]  # no edition for Tân Khai (a grandchild): its article is in Hớn Quản's and the root's


def test_the_plan_follows_the_setting_and_gives_a_site_edition_when_there_are_several_roots(tmp_path):
    registry, errors = load_registry(write_registry(tmp_path, UNITS_YML))
    assert not errors
    assert editions.chosen_units(registry, None) == ["tinh-uy", "ban-to-chuc", "dang-uy-khoi", "huyen-uy-hon-quan"]  # Vietnamese order
    assert editions.chosen_units(registry, ["dang-uy-xa-tan-khai"]) == ["dang-uy-xa-tan-khai"]
    with pytest.raises(SettingsError, match=r'"hon-quan": có phải "Huyện ủy Hớn Quản" \(huyen-uy-hon-quan\)'):
        editions.chosen_units(registry, ["hon-quan"])
    two_roots, _ = load_registry(write_registry(tmp_path, UNITS_YML + "- code: mat-tran\n  name: Ủy ban Mặt trận Tổ quốc tỉnh\n"))
    moment = datetime(2022, 4, 5, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    found = [SimpleNamespace(date=moment, slug="a", units=[two_roots.get("mat-tran")], image=None),
             SimpleNamespace(date=moment, slug="b", units=[two_roots.get("dang-uy-xa-tan-khai")], image=None)]
    planned = {(e.code, e.name): [a.slug for a in e.articles] for e in editions.plan(found, two_roots, None, "Bản tin tỉnh")}
    assert planned == {("tinh-uy", "Tỉnh ủy Bình Phước"): ["b"], ("huyen-uy-hon-quan", "Huyện ủy Hớn Quản"): ["b"],
                       ("mat-tran", "Ủy ban Mặt trận Tổ quốc tỉnh"): ["a"], ("toan-trang", "Bản tin tỉnh"): ["a", "b"]}


def write_registry(folder: Path, text: str) -> str:
    path = folder / "units.yml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_the_table_of_contents_lists_every_article_in_order_with_the_page_it_starts_on(hon_quan):
    pages = pages_of(hon_quan)
    titles = [title for _, title, _, units, _, _ in APRIL if units[0] != "ban-to-chuc"]
    toc = pages[1]
    assert toc.startswith("Huyện ủy Hớn Quản") and "Mục lục" in toc
    positions = [toc.index(title) for title in titles]
    assert positions == sorted(positions)  # oldest first
    for title in titles:
        listed = int(re.search(re.escape(title) + r"[ .]*(\d+)", toc)[1])
        first_seen = next(n for n, text in enumerate(pages[2:], 3) if title in text)
        assert listed == first_seen, (title, listed, first_seen)
    assert "Ban Tổ chức Tỉnh ủy tập huấn" not in " ".join(pages)  # not a Hớn Quản article


def test_the_cover_has_the_masthead_and_the_lead_photo(hon_quan):
    cover = pages_of(hon_quan)[0]
    assert "HUYỆN ỦY HỚN QUẢN" in cover and "BẢN TIN" in cover and "Số 04/2022" in cover
    assert "Quang cảnh hội nghị." in cover  # the lead article's photo and its caption
    listing = subprocess.run(["pdfimages", "-list", "-f", "1", "-l", "1", str(hon_quan)], capture_output=True, text=True).stdout
    assert len(listing.splitlines()) == 3  # the header, its rule and one photo


def test_the_running_header_names_the_unit_and_the_issue_on_every_page_but_the_cover(hon_quan):
    count = len(pages_of(hon_quan))
    assert count >= 4
    headers = [" ".join(pdf_text(hon_quan, n, x=0, y=0, W=596, H=60).split()) for n in range(1, count + 1)]
    assert headers[0] == ""
    assert headers[1:] == ["Huyện ủy Hớn Quản Bản tin số 04/2022"] * (count - 1)
    footers = [pdf_text(hon_quan, n, x=0, y=790, W=596, H=52).split() for n in range(2, count + 1)]
    assert footers == [[str(n)] for n in range(2, count + 1)]


def test_vietnamese_text_extracts_exactly(hon_quan):
    text = pdf_text(hon_quan)
    assert unicodedata.is_normalized("NFC", text)
    assert VIETNAMESE in " ".join(text.split())
    assert not any(line.rstrip().endswith("-") for line in text.splitlines())  # hyphenation off


def test_year_ranges_are_kept_on_one_line(hon_quan):
    lines = [" ".join(line.split()) for line in pdf_text(hon_quan).splitlines()]
    assert " ".join(lines).count("2020 – 2025") >= 40  # every range of the article, printed whole
    assert not any(re.search(r"\b2020( –)?$", line) or re.match(r"(– )?2025\b", line) for line in lines)


def test_bodies_print_their_pictures_from_the_originals(built):
    settings = {"PATH": str(built / "content"), "SITEURL": BASE}
    body = (f'<p>Chú thích<sup id="fnref:1"><a href="#fn:1">1</a></sup></p><figure><img alt="Sơ đồ" loading="lazy" '
            f'src="{BASE}/images/2022/so-do.svg"></figure><p><img src="https://elsewhere.example/x.jpg" alt=""></p>')
    printed = printing.print_body(body, settings, printing.Pictures(str(built / "scratch"), settings))
    assert re.search(r'<figure><img src="[0-9a-f]{24}\.svg"></figure>', printed)  # prepared from content/images
    assert "elsewhere" not in printed and '<a href="#fn:1">1</a>' in printed  # a picture from nowhere is dropped


def test_fonts_are_embedded_and_pages_are_a4(hon_quan):
    fonts = subprocess.run(["pdffonts", str(hon_quan)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and any("Charis-SIL" in line for line in fonts)
    assert all(line.split()[-5:-2] == ["yes", "yes", "yes"] for line in fonts)  # embedded, subset, with a Unicode map
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(hon_quan)], capture_output=True, text=True).stdout
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert sizes and {(round(float(w)), round(float(h))) for w, h in sizes} == {(595, 842)}


def test_photos_are_printed_from_the_original_at_300_dpi_upright_and_without_metadata(built, hon_quan):
    rows = [line.split() for line in subprocess.run(["pdfimages", "-list", str(hon_quan)], capture_output=True,
                                                    text=True, check=True).stdout.splitlines()[2:]]
    images = {(int(r[3]), int(r[4])): (int(r[12]), int(r[13])) for r in rows}  # (width, height) -> (x-ppi, y-ppi)
    cover, column = (round(w / 25.4 * 300) for w in (174, 84))
    assert (cover, round(cover * 2 / 3)) in images  # the cover: the lead photo cropped to 3:2, across the page
    assert (column, round(column * 2000 / 3000)) in images  # the same photo at the top of its article, a column wide
    upright = (column, round(column * 2400 / 1800))  # stored sideways (EXIF orientation 6), printed upright
    assert upright in images and abs(images[upright][0] - 300) <= 2
    assert all(abs(ppi[0] - 300) <= 2 for size, ppi in images.items() if size[0] >= column)  # the small one has fewer
    small = subprocess.run(["pdfimages", "-list", str(pdf_of(built / "site", "ban-in/tinh-uy/2022/04/"))],
                           capture_output=True, text=True).stdout
    assert re.search(r"\s320\s+240\s", small)  # a small photo is never enlarged
    data = hon_quan.read_bytes()
    for leak in (CAMERA.encode(), SERIAL.encode(), b"Exif\x00\x00", b"GPS"):
        assert leak not in data
    extracted = built / "extracted"
    extracted.mkdir(exist_ok=True)
    subprocess.run(["pdfimages", "-all", str(hon_quan), str(extracted / "img")], check=True)
    for image in extracted.iterdir():
        raw = image.read_bytes()
        assert b"Exif" not in raw and CAMERA.encode() not in raw and b"GPS" not in raw


def test_svg_illustrations_print_as_vectors(built):
    pdf = pdf_of(built / "site", "ban-in/tinh-uy/2022/04/")
    assert "SƠ ĐỒ CHI BỘ" in pdf_text(pdf)  # the drawing's text is text, not pixels
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True).stdout.splitlines()[2:]
    assert len(listing) == 4  # cover, lead photo, the sideways photo, the small one: no raster for the SVG


def test_an_svg_is_drawn_alone_reading_no_other_file(tmp_path):
    secret = tmp_path / "bi-mat.png"
    Image.new("RGB", (40, 40), "red").save(secret)
    drawing = (f'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><rect width="200" height="100" fill="#eee"/>'
               f'<image href="{secret}" width="40" height="40"/><image href="file://{secret}" width="40" height="40"/>'
               f'<text x="10" y="60" font-family="Charis SIL" font-size="20">Hưng ≠ Hùng</text></svg>').encode()
    pdf = printing.vector_pdf(drawing)
    assert pdf.startswith(b"%PDF") and b"/Image" not in pdf  # neither picture was read
    assert printing.vector_pdf(drawing) == pdf  # no date, no random name: the same bytes
    (tmp_path / "hinh.pdf").write_bytes(pdf)
    assert "Hưng ≠ Hùng" in pdf_text(tmp_path / "hinh.pdf")


@pytest.mark.parametrize(("root", "size"), [
    ('width="400" viewBox="0 0 800 600"', (300, 225)),  # the height from the view box's shape
    ('width="20em" height="10em" viewBox="0 0 80 40"', (180, 90)),  # an em of 12 pt, as a browser has it
    ('viewBox="0,0,800,600"', (600, 450)),
    ('width="210mm" height="99mm"', (595.276, 280.63)),
])
def test_an_svg_is_laid_out_at_the_size_it_is_drawn(tmp_path, root, size):
    source = tmp_path / "hinh.svg"
    source.write_text(f'<svg xmlns="http://www.w3.org/2000/svg" {root}><rect width="50" height="50" fill="red"/></svg>')
    folder = tmp_path / "images"
    name = printing.prepare_picture(str(folder), str(source), printing.SIZES["column"])
    kind, width, height = printing.Pictures(str(folder), {}).size(name)
    assert kind == "vector" and (width, height) == pytest.approx(size, abs=0.01)
    assert printing.prepare_picture(str(folder), str(source), printing.SIZES["cover"]) == name  # one file, every size
    assert sorted(p.name for p in folder.iterdir()) == [name, name + ".pdf"]


def test_what_an_svg_paints_as_pixels_prints_at_300_dpi(tmp_path):
    drawing = ('<svg xmlns="http://www.w3.org/2000/svg" width="600" height="300"><filter id="m"><feGaussianBlur '
               'stdDeviation="4"/></filter><circle cx="150" cy="150" r="80" fill="#b3261e" filter="url(#m)"/>'
               '<text x="300" y="160" font-size="30">Hưng</text></svg>').encode()
    (tmp_path / "hinh.pdf").write_bytes(printing.vector_pdf(drawing))
    listing = subprocess.run(["pdfimages", "-list", str(tmp_path / "hinh.pdf")], capture_output=True, text=True).stdout
    widths = [int(row.split()[3]) for row in listing.splitlines()[2:]]
    assert widths and min(widths) >= typeset.TEXT_WIDTH / 72 * 300 - 1  # the blur, as wide as the text block at 300 dpi
    assert "Hưng" in pdf_text(tmp_path / "hinh.pdf")


def test_an_svg_that_cannot_be_drawn_names_its_file(tmp_path):
    source = tmp_path / "images" / "2024" / "rong.svg"
    source.parent.mkdir(parents=True)
    source.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="0" height="300"/>')
    with pytest.raises(printing.BulletinError, match=r"rong\.svg: không in được hình SVG này"):
        printing.prepare_picture(str(tmp_path / "cache"), str(source), printing.SIZES["column"])


def test_a_missing_svg_drawer_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(printing, "RSVG", "rsvg-convert-khong-co")
    with pytest.raises(printing.BulletinError, match="librsvg2-bin"):
        printing.vector_pdf(b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')


def test_the_legal_information_is_on_the_last_page(hon_quan):
    last = pages_of(hon_quan)[-1]
    for value in LEGAL.values():
        assert value in last
    assert f"{BASE}/{HON_QUAN_APRIL}" in last


def test_a_fresh_layout_gives_the_same_bytes(built):
    for pdf in (built / "site" / "ban-in").rglob("*.pdf"):
        other = built / "again" / pdf.relative_to(built / "site")
        assert pdf.read_bytes() == other.read_bytes(), pdf.name


def test_an_unchanged_month_is_not_laid_out_again(built, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(built / "content", content)
    cache = tmp_path / "cache"
    shutil.copytree(built / "cache", cache)
    folder = cache / printing.CACHE_FOLDER
    month_ago = os.stat(folder).st_mtime - printing.STALE_SECONDS - 60
    stale = [folder / ("0" * 64 + ".pdf"), folder / "images" / ("0" * 24 + ".jpg")]  # left by content long gone
    for path in [*stale, *folder.glob("*.pdf"), *(folder / "images").iterdir()]:
        path.touch()
        os.utime(path, (month_ago, month_ago))
    before = {p.name: p.stat().st_mtime_ns for p in (cache / printing.CACHE_FOLDER).glob("*.pdf") if p not in stale}
    edited = content / "articles" / "2022" / "c.md"  # Ban Tổ chức, April: its edition and the root's April change
    edited.write_text(edited.read_text(encoding="utf-8").replace("120 học viên", "125 học viên"), encoding="utf-8")
    outcome = build_into(content, tmp_path / "site", {**PUBLIC, **LEGAL, "BULLETIN_CACHE": str(cache)}, "publishconf.py")
    assert outcome.ok, outcome.errors
    after = {p.name: p.stat().st_mtime_ns for p in (cache / printing.CACHE_FOLDER).glob("*.pdf")}
    kept = set(before) & set(after)
    assert len(kept) == 3 and {name: after[name] for name in kept} == {name: before[name] for name in kept}  # not laid out again
    assert len(set(after) - set(before)) == 2  # the two editions with the edited article
    assert len(set(before) - set(after)) == 2  # their versions before the edit, unused and a month old: removed
    assert not any(path.exists() for path in stale)
    assert len([p for p in (folder / "images").iterdir() if p.suffix != ".pdf"]) == 5
    assert [p.name for p in (folder / "images").glob("*.pdf")] == [next((folder / "images").glob("*.svg")).name + ".pdf"]
    unchanged = tmp_path / "site" / HON_QUAN_APRIL
    assert next(unchanged.glob("*.pdf")).read_bytes() == next((built / "site" / HON_QUAN_APRIL).glob("*.pdf")).read_bytes()


def test_the_press_gives_the_edition_pages_what_the_finishers_gave_the_others(built):
    site = built / "site"
    assert not (site / printing.STAGING).exists()
    page = (site / HON_QUAN_APRIL / "index.html").read_text(encoding="utf-8")
    home = (site / "index.html").read_text(encoding="utf-8")
    stylesheets = re.compile(r'<link rel="stylesheet" href="[^"]+"')
    assert stylesheets.findall(page) == stylesheets.findall(home) and re.search(r"style\.[0-9a-f]{10}\.css", page)
    assert publish.CSP_META in page
    for name in ("index.html.gz", "index.html.br"):
        assert (site / HON_QUAN_APRIL / name).stat().st_size > 0
    assert not list((site / HON_QUAN_APRIL).glob("*.pdf.gz"))  # a PDF is compressed already


def test_a_failing_press_fails_the_build_and_keeps_the_previous_output(built, tmp_path, monkeypatch):
    output = tmp_path / "site"
    shutil.copytree(built / "site", output, symlinks=True)
    before = sorted(p.relative_to(output) for p in output.rglob("*"))

    def broken(document, folder):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(printing, "lay_out", broken)  # the press is a fork of this process: it breaks there
    outcome = build_into(built / "content", output, {**PUBLIC, **LEGAL, "BULLETIN_CACHE": ""}, "publishconf.py", FINISHERS)
    assert not outcome.ok
    assert len(outcome.errors) == 1 and outcome.errors[0].startswith("lỗi nội bộ khi dựng bản in (OSError:")
    assert sorted(p.relative_to(output) for p in output.rglob("*")) == before


@pytest.mark.parametrize("public", [True, False], ids=["briefed", "not-briefed"])
def test_a_press_that_failed_before_its_brief_is_reported_and_reaped(built, tmp_path, monkeypatch, public):
    import time

    def broken(document, folder):
        raise OSError(28, "No space left on device")

    seen = []

    def once_the_press_has_ended(output, settings, cancel=None):  # so the brief meets a pipe nobody reads
        pid = settings[printing.PRESS_KEY].pid
        seen.append(pid)
        deadline = time.monotonic() + 120
        while Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][0] != "Z" and time.monotonic() < deadline:
            time.sleep(0.02)
        return []

    monkeypatch.setattr(printing, "lay_out", broken)
    finishers = (once_the_press_has_ended, *FINISHERS) if public else (once_the_press_has_ended,)
    outcome = build_into(built / "content", tmp_path / "site", {**PUBLIC, **LEGAL, "BULLETIN_CACHE": ""}, "publishconf.py", finishers)
    assert len(outcome.errors) == 1 and outcome.errors[0].startswith("lỗi nội bộ khi dựng bản in (OSError:"), outcome.errors
    with pytest.raises(ProcessLookupError):
        os.kill(seen[0], 0)  # waited for: not a zombie


def test_a_build_that_fails_while_the_press_works_stops_it(built, tmp_path):
    seen = []

    def failing(output, settings, cancel=None):
        press = settings[printing.PRESS_KEY]
        seen.append(press.pid)
        return ["một bước hoàn thiện hỏng"]

    outcome = build_into(built / "content", tmp_path / "site", {**PUBLIC, **LEGAL, "BULLETIN_CACHE": str(tmp_path / "cache")},
                         "publishconf.py", (failing,))
    assert outcome.errors == ["một bước hoàn thiện hỏng"]
    with pytest.raises(ProcessLookupError):
        os.kill(seen[0], 0)  # ended and waited for: not even a zombie
    assert not (tmp_path / "site").exists()


def test_print_colours_read_in_greyscale():
    assert len(typeset.COLOURS) >= 3
    for colour in typeset.COLOURS.values():
        grey = sum(weight * channel(round(value * 255)) for weight, value in zip((0.2126, 0.7152, 0.0722), colour, strict=True))
        assert 1.05 / (grey + 0.05) >= 4.5, colour  # against white paper, printed in grey


def channel(value: int) -> float:
    """Return an sRGB channel as linear light."""
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def test_the_edition_page_links_the_pdf_and_is_linked_from_the_unit_and_month_pages(built):
    site = built / "site"
    page = BeautifulSoup((site / HON_QUAN_APRIL / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.h1.get_text() == "Bản tin Huyện ủy Hớn Quản số 04/2022"
    download = page.select_one(".edition-download a[type='application/pdf']")
    assert download["href"] == f"{BASE}/{HON_QUAN_APRIL}ban-tin-huyen-uy-hon-quan-2022-04.pdf"
    assert re.fullmatch(r"Tải bản in \(tệp PDF, \d+(,\d)? (KB|MB)\)", download.get_text())
    starts = [int(li.select_one(".page").get_text().removeprefix("trang ")) for li in page.select(".edition-contents li")]
    assert len(starts) == 2 and starts[0] == 3 and starts == sorted(starts)
    unit = BeautifulSoup((site / "don-vi/huyen-uy-hon-quan/index.html").read_text(encoding="utf-8"), "html.parser")
    assert [a["href"] for a in unit.select(".editions a")] == [f"{BASE}/{HON_QUAN_APRIL}"]
    month = BeautifulSoup((site / "2022/04/index.html").read_text(encoding="utf-8"), "html.parser")
    assert [a.get_text() for a in month.select(".editions a")] == ["Tỉnh ủy Bình Phước", "Ban Tổ chức Tỉnh ủy", "Huyện ủy Hớn Quản"]
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{BASE}/{HON_QUAN_APRIL}</loc>" in sitemap


@pytest.mark.slow
def test_the_edition_pages_pass_the_quality_gate(built):
    site = str(built / "site")
    pages = [p for p in publish.walk(site, (".html",)) if p.startswith("ban-in/")]
    assert len(pages) == 5
    assert verify.check_html(site, pages) == []
    parsed = [verify.read_page(site, p) for p in publish.walk(site, (".html",))]
    assert verify.check_references(site, SITE, parsed) == []
    assert verify.check_sitemap(site, SITE) == []
    assert any(p.startswith("ban-in/") for p in verify.sample_pages(site))  # invoke verify runs axe on one


@pytest.mark.browser
def test_the_edition_page_is_accessible(built, browser):
    assert verify.check_accessibility(str(built / "site"), SITE, pages=[HON_QUAN_APRIL + "index.html"], browser=browser) == []


def test_a_local_build_makes_no_edition(built, tmp_path):
    outcome = build_into(built / "content", tmp_path / "site", {"BULLETIN_CACHE": ""})
    assert outcome.ok, outcome.errors
    assert not (tmp_path / "site" / "ban-in").exists()
    assert "Bản in" not in (tmp_path / "site" / "don-vi/huyen-uy-hon-quan/index.html").read_text(encoding="utf-8")


def test_invoke_edition_lays_out_one_edition_into_its_own_folder(built, tmp_path):
    folder = tmp_path / "ban-in"
    result = run_invoke("edition", "--unit", "HU Hớn Quản", "--month", "4/2022", "--content", str(built / "content"),
                        "--output", str(folder))
    assert result.returncode == 0, result.stderr
    pdf = Path(result.stdout.strip().splitlines()[-1])
    assert pdf == folder / "ban-tin-huyen-uy-hon-quan-2022-04.pdf" and pdf.read_bytes().startswith(b"%PDF-")
    assert os.listdir(folder) == [pdf.name]
    assert "Hội nghị cán bộ chủ chốt" in pdf_text(pdf)
    empty = run_invoke("edition", "--unit", "huyen-uy-hon-quan", "--month", "06/2022", "--content", str(built / "content"),
                       "--output", str(folder))
    assert empty.returncode == 1 and "không có bài nào" in empty.stderr
    wrong = run_invoke("edition", "--unit", "hon quan", "--month", "04/2022", "--content", str(built / "content"))
    assert wrong.returncode == 1 and "Huyện ủy Hớn Quản" in wrong.stderr and "huyen-uy-hon-quan" in wrong.stderr
    assert run_invoke("edition", "--unit", "huyen-uy-hon-quan", "--month", "2022-04").returncode == 2
