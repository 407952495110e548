"""The theme: landmarks, headings, OpenGraph, navigation state, figures, the 404 page, Vietnamese-only text;
in Chromium: no sideways scrolling at 320 px, the print stylesheet, and no request to another host."""

from __future__ import annotations

import itertools
import re
from urllib.parse import urlparse

import pytest

from conftest import ROOT, article, build_into

SITENAME = "Bản tin Tỉnh ủy Bình Phước"
TRICKY_TITLE = 'Hội nghị "nóng" & <b>khẩn</b> của Huyện ủy'
TRICKY_SUMMARY = 'Tóm tắt có "ngoặc kép" & dấu <nhỏ hơn>.'
LONG_URL = "https://example.org/van-ban/" + "nghi-quyet-ve-cong-tac-quy-hoach-can-bo-" * 6 + "2025.pdf"
LONG_WORD = "Chủtịch" * 30
# A picture far wider than a phone: it must scale down.
WIDE_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="600" viewBox="0 0 1600 600">'
            '<rect width="1600" height="600" fill="#c33"/></svg>')
WIDE_TABLE = "\n".join([
    "| Đơn vị | Số đảng viên | Số phiếu giới thiệu | Tỷ lệ | Ghi chú của tổ kiểm phiếu | Người ký | Ngày ký |",
    "|---|---|---|---|---|---|---|",
    "| Đảng ủy xã Tân Khai | 1.234 | 1.100 | 89,1% | Đủ điều kiện đưa vào danh sách | Nguyễn Văn Thành | 04/04/2022 |",
])
STRESS_BODY = f"""Đoạn mở đầu có một liên kết dài: <{LONG_URL}>.

Một chuỗi không có khoảng trắng: {LONG_WORD}.

## Bảng tổng hợp

{WIDE_TABLE}

![Hàng ghế đại biểu trong hội trường](images/2022/rong.svg "Toàn cảnh hội trường nhìn từ cuối phòng.")

Theo [văn bản hướng dẫn]({LONG_URL}) của Ban Tổ chức.
"""

# One site with every page kind; DEFAULT_PAGINATION = 2 gives a second page on the home and the unit.
FILES = {
    "images/2022/rong.svg": WIDE_SVG,
    "articles/2022/hoi-nghi.md": article(
        title="Huyện ủy Hớn Quản lấy phiếu giới thiệu quy hoạch", date="04/04/2022 08:30", units=["huyen-uy-hon-quan"],
        terms=["2020-2025"], author="Lê Thị Thu Hằng", author_title="Văn phòng Huyện ủy",
        image="images/2022/rong.svg", image_caption="Quang cảnh hội nghị cán bộ chủ chốt.", body=STRESS_BODY,
    ),
    # Single-quoted YAML keeps the double quotes of the title and summary.
    "articles/2022/tan-khai.md": (
        f"---\ntitle: '{TRICKY_TITLE}'\ndate: \"12/04/2022\"\nunits: [dang-uy-xa-tan-khai]\n"
        f"summary: '{TRICKY_SUMMARY}'\nimage: \"images/2022/rong.svg\"\n---\n\nNội dung bài viết.\n"
    ),
    "articles/2021/so-ket.md": article(title="Sơ kết công tác kiểm tra sáu tháng", date="15/07/2021", units=["tinh-uy"]),
    "pages/gioi-thieu.md": '---\ntitle: "Giới thiệu"\nslug: "gioi-thieu"\nsummary: "Về bản tin."\n---\n\nBản tin của Tỉnh ủy.\n',
    "pages/lien-he.md": '---\ntitle: "Liên hệ"\nslug: "lien-he"\nsummary: "Cách liên hệ."\n---\n\nGửi thư cho Ban biên tập.\n',
}
SETTINGS = {"DEFAULT_PAGINATION": 2, "SITENAME": SITENAME}
ARTICLE = "2022/04/hoi-nghi/"
PAGE_KINDS = {
    "home": "",
    "home page 2": "trang/2/",
    "article": ARTICLE,
    "page": "gioi-thieu/",
    "units": "don-vi/",
    "unit": "don-vi/huyen-uy-hon-quan/",
    "unit page 2": "don-vi/tinh-uy/trang/2/",
    "terms": "nhiem-ky/",
    "term": "nhiem-ky/2020-2025/",
    "archives": "luu-tru/",
    "year": "2022/",
    "month": "2022/04/",
    "search": "tim-kiem/",
    "404": "404.html",
}
ENGLISH_UI_WORDS = ["Home", "Next", "Previous", "Page", "Search", "Read more", "Tags", "Categories", "Archives",
                    "Posted", "by", "Atom", "RSS", "Feed", "Subscribe", "Powered"]


@pytest.fixture
def site(build_site):
    """The test site with every page kind, built once per test."""
    built = build_site(FILES, settings=SETTINGS)
    assert built.outcome.ok, built.outcome.errors
    return built


def meta(soup, prop: str):
    """Return the content of <meta property=prop>, or None."""
    tag = soup.find("meta", attrs={"property": prop})
    return tag["content"] if tag else None


def test_every_page_kind_exists_with_one_h1_lang_and_landmarks(site):
    for kind, url in PAGE_KINDS.items():
        assert site.exists(url or "/"), kind
        soup = site.html(url)
        assert soup.html["lang"] == "vi", kind
        assert len(soup.find_all("h1")) == 1, kind
        assert soup.select_one("h1").get_text(strip=True), kind
        for landmark in ("header.site-header", "main#noi-dung", "footer.site-footer", "nav.site-nav"):
            assert len(soup.select(landmark)) == 1, (kind, landmark)
        navs = soup.find_all("nav")
        assert navs, kind
        assert all(nav.get("aria-label", "").strip() for nav in navs), (kind, [str(n)[:80] for n in navs])
        skip = soup.select_one("a.skip-link")
        assert skip["href"] == "#noi-dung", kind


def test_headings_never_skip_a_level(site):
    for kind, url in PAGE_KINDS.items():
        levels = [int(h.name[1]) for h in site.html(url).select("main h1, main h2, main h3, main h4, main h5, main h6")]
        assert levels[0] == 1, kind
        jumps = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
        assert not jumps, (kind, levels)


def test_opengraph_on_every_page_kind(site):
    for kind, url in PAGE_KINDS.items():
        soup = site.html(url)
        assert meta(soup, "og:locale") == "vi_VN", kind
        assert meta(soup, "og:site_name") == SITENAME, kind
        assert meta(soup, "og:type") == ("article" if kind == "article" else "website"), kind
        assert meta(soup, "og:title"), kind
        assert meta(soup, "og:description"), kind
        if kind != "404":
            assert meta(soup, "og:url") == "/" + url, kind
    assert meta(site.html("404.html"), "og:url") is None
    soup = site.html(ARTICLE)
    assert meta(soup, "og:title") == "Huyện ủy Hớn Quản lấy phiếu giới thiệu quy hoạch"
    assert re.fullmatch(r"/images/the-chia-se\.[0-9a-f]{10}\.jpg", meta(soup, "og:image"))  # an SVG is no card: the site's
    assert meta(site.html("don-vi/huyen-uy-hon-quan/"), "og:title").startswith("Huyện ủy Hớn Quản — ")
    assert meta(site.html("gioi-thieu/"), "og:title") == "Giới thiệu"
    assert soup.find("script", type="application/ld+json"), "NewsArticle JSON-LD"


def test_opengraph_values_are_escaped(site):
    url = "2022/04/tan-khai/"
    raw = (site.output / url / "index.html").read_text(encoding="utf-8")
    soup = site.html(url)
    # Parsed back whole: a raw quote would have cut the attribute short, a raw < would have opened a tag.
    assert meta(soup, "og:title") == TRICKY_TITLE
    assert meta(soup, "og:description") == TRICKY_SUMMARY
    assert soup.find("b") is None
    assert "<b>khẩn" not in raw


def test_titles_and_descriptions_fit_each_page(site):
    titles = {kind: site.html(url).title.get_text() for kind, url in PAGE_KINDS.items()}
    assert titles["home"] == SITENAME
    assert titles["home page 2"] == f"Tin mới — trang 2 — {SITENAME}"
    assert titles["unit"] == f"Huyện ủy Hớn Quản — {SITENAME}"
    assert titles["unit page 2"] == f"Tỉnh ủy Bình Phước — trang 2 — {SITENAME}"
    assert titles["month"] == f"Tháng 4/2022 — {SITENAME}"
    assert len(set(titles.values())) == len(titles), titles
    descriptions = {kind: site.html(url).find("meta", attrs={"name": "description"})["content"] for kind, url in PAGE_KINDS.items()}
    assert all(descriptions.values()), descriptions
    assert "Huyện ủy Hớn Quản" in descriptions["unit"]
    assert "tháng 4/2022" in descriptions["month"]
    assert descriptions["units"] != descriptions["home"]


def test_main_navigation_marks_the_current_section(site):
    def current(url):
        return {a.get_text(strip=True): a["aria-current"] for a in site.html(url).select("nav.site-nav a[aria-current]")}

    assert current("") == {"Trang chủ": "page"}
    assert current("don-vi/") == {"Đơn vị": "page"}
    assert current("don-vi/huyen-uy-hon-quan/") == {"Đơn vị": "true"}
    assert current("nhiem-ky/2020-2025/") == {"Nhiệm kỳ": "true"}
    assert current("luu-tru/") == {"Lưu trữ": "page"}
    assert current("2022/04/") == {"Lưu trữ": "true"}
    assert current("gioi-thieu/") == {"Giới thiệu": "page"}
    assert current(ARTICLE) == {}


def test_unit_page_has_breadcrumbs_children_and_articles(site):
    soup = site.html("don-vi/huyen-uy-hon-quan/")
    crumbs = soup.select("nav.breadcrumbs[aria-label] li")
    assert [li.get_text(strip=True) for li in crumbs] == ["Trang chủ", "Đơn vị", "Tỉnh ủy", "Huyện ủy Hớn Quản"]
    assert crumbs[-1]["aria-current"] == "page" and crumbs[-1].a is None
    assert [a["href"] for a in soup.select("nav.breadcrumbs a")] == ["/", "/don-vi/", "/don-vi/tinh-uy/"]
    children = [a.get_text(strip=True) for a in soup.select("section.children li a")]
    assert children == ["Chi bộ ấp Hùng", "Chi bộ ấp Hưng", "Đảng ủy xã Tân Khai"]
    titles = [" ".join(h.get_text().split()) for h in soup.select("ol.article-list h3")]
    assert titles == [TRICKY_TITLE, "Huyện ủy Hớn Quản lấy phiếu giới thiệu quy hoạch"]


def test_units_index_is_a_nested_list_with_counts(site):
    tree = site.html("don-vi/").select_one("nav.unit-tree[aria-label]")
    root = tree.select_one(":scope > ul > li")
    assert root.a.get_text() == "Tỉnh ủy Bình Phước"
    assert root.select_one(":scope > .count").get_text() == "3 bài"
    district = next(li for li in root.select(":scope > ul > li") if li.a.get_text() == "Huyện ủy Hớn Quản")
    assert district.select_one(":scope > .count").get_text() == "2 bài"
    commune = next(li for li in district.select(":scope > ul > li") if li.a.get_text() == "Đảng ủy xã Tân Khai")
    assert commune.select_one(":scope > .count").get_text() == "1 bài"
    assert commune.a["href"] == "/don-vi/dang-uy-xa-tan-khai/"


def test_pagination_links_have_real_text(site):
    first = site.html("").select_one("nav.pagination[aria-label]")
    assert [" ".join(a.get_text().split()) for a in first.select("a")] == ["Trang sau →"]
    assert first.select_one("a[rel=next]")["href"] == "/trang/2/"
    assert first.select_one("[aria-current=page]").get_text(strip=True) == "Trang 1 / 2"
    second = site.html("trang/2/").select_one("nav.pagination")
    previous = second.select_one("a[rel=prev]")
    assert previous["href"] == "/" and "Trang trước" in previous.get_text()
    # The arrow is decoration, hidden from screen readers.
    assert previous.select_one("[aria-hidden=true]").get_text(strip=True) == "←"


def test_images_are_figures_and_captions_are_not_read_twice(site):
    soup = site.html(ARTICLE)
    figures = soup.select("article figure")
    assert len(figures) == 2
    lead = soup.select_one("figure.article-image")
    assert lead.img["alt"] == ""
    assert lead.figcaption.get_text() == "Quang cảnh hội nghị cán bộ chủ chốt."
    body = soup.select_one(".article-body figure")
    assert body.img["alt"] == "Hàng ghế đại biểu trong hội trường"
    assert body.figcaption.get_text() == "Toàn cảnh hội trường nhìn từ cuối phòng."
    # No caption: the picture keeps an alternative text of its own.
    uncaptioned = site.html("2022/04/tan-khai/").select_one("figure.article-image")
    assert uncaptioned.figcaption is None
    assert uncaptioned.img["alt"].strip()
    # In lists the picture is decoration next to the linked title.
    thumbs = site.html("don-vi/huyen-uy-hon-quan/").select("ol.article-list img")
    assert [img["alt"] for img in thumbs] == ["", ""]
    assert all(img["src"] == "/images/2022/rong.svg" for img in thumbs)


def test_404_page_links_work_from_any_depth_under_a_subpath(build_site):
    siteurl = "https://example.org/ban-tin"
    site = build_site(FILES, settings={**SETTINGS, "SITEURL": siteurl, "FEED_DOMAIN": siteurl})
    assert site.outcome.ok, site.outcome.errors
    soup = site.html("404.html")
    # In-page anchors (skip link, back to top) and the footer's phone and mail links are not addresses of the site.
    urls = [a["href"] for a in soup.select("a[href]") if not a["href"].startswith(("#", "tel:", "mailto:"))]
    urls += [link["href"] for link in soup.select("link[href]")]
    urls += [form["action"] for form in soup.select("form[action]")]
    assert len(urls) > 10
    assert all(u.startswith(siteurl + "/") for u in urls), [u for u in urls if not u.startswith(siteurl + "/")]
    assert soup.select_one("main a")["href"] == siteurl + "/"
    assert meta(site.html(ARTICLE), "og:url") == f"{siteurl}/{ARTICLE}"
    assert meta(site.html(ARTICLE), "og:image").startswith(f"{siteurl}/images/the-chia-se.")


def visible_words(soup) -> str:
    """Return what a reader sees or hears: text outside head/script/style, plus alt and aria-label texts."""
    for tag in soup(["head", "script", "style", "noscript"]):
        tag.decompose()
    spoken = [el[attr] for attr in ("alt", "aria-label", "title", "placeholder") for el in soup.select(f"[{attr}]")]
    return " ".join([soup.get_text(" ")] + spoken)


def english_words(text: str) -> list[str]:
    """Return the common English UI words found in a text (whole words, any case)."""
    return [w for w in ENGLISH_UI_WORDS if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text, re.IGNORECASE)]


def test_english_word_finder_catches_ui_words():
    assert english_words("Trang chủ · Read more · Posted by admin") == ["Read more", "Posted", "by"]
    assert english_words("Bài viết của Ban Tổ chức, trang 2") == []


@pytest.mark.slow
def test_no_english_words_on_the_sample_site(tmp_path):
    outcome = build_into(ROOT / "content", tmp_path / "output")
    assert outcome.ok, outcome.errors
    from bs4 import BeautifulSoup

    pages = sorted((tmp_path / "output").rglob("*.html"))
    assert len(pages) > 40
    found = {}
    for path in pages:
        words = english_words(visible_words(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")))
        if words:
            found[str(path.relative_to(tmp_path / "output"))] = words
    assert not found


# ---------- In Chromium ----------

def other_host_requests(requests: list[str]) -> list[str]:
    """Return the requested URLs that go anywhere but the local test server."""
    return [url for url in requests if urlparse(url).scheme not in ("data", "blob") and urlparse(url).hostname != "127.0.0.1"]


@pytest.mark.browser
def test_no_sideways_scrolling_at_320px_and_no_request_to_another_host(site, serve_dir, page):
    base = serve_dir(site.output)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.set_viewport_size({"width": 320, "height": 640})
    for url in ("", ARTICLE, "don-vi/huyen-uy-hon-quan/", "don-vi/", "2022/04/"):
        response = page.goto(f"{base}/{url}")
        assert response.status == 200, url
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, (url, width)
    # The stylesheet loaded (the page would otherwise not be styled at all).
    assert page.evaluate("getComputedStyle(document.querySelector('.skip-link')).position") == "absolute"
    assert any(r.endswith("/theme/css/style.css") for r in requests)
    assert not other_host_requests(requests)
    # Control: without the stylesheet the same article does overflow, so the check above can fail.
    page.route("**/*.css", lambda route: route.abort())
    page.goto(f"{base}/{ARTICLE}")
    assert page.evaluate("document.documentElement.scrollWidth") > 320


def test_other_host_requests_are_reported():
    assert other_host_requests(["http://127.0.0.1:8000/", "https://fonts.example.com/a.woff2", "data:image/png;base64,"]) == [
        "https://fonts.example.com/a.woff2"]


@pytest.mark.browser
def test_print_stylesheet_shows_the_article_only(site, serve_dir, page):
    base = serve_dir(site.output)
    page.goto(f"{base}/{ARTICLE}")

    def display(selector: str) -> str:
        return page.evaluate(f"getComputedStyle(document.querySelector({selector!r})).display")

    hidden = ("nav.site-nav", "form.search-form", "footer nav", "nav.breadcrumbs", "nav.prev-next", "a.skip-link")
    shown = ("h1", ".article-meta", "figure.article-image", "figure.article-image img", "figcaption", ".article-body")
    assert all(display(s) != "none" for s in hidden), "hidden on screen already"
    page.emulate_media(media="print")
    assert {s: display(s) for s in hidden} == dict.fromkeys(hidden, "none")
    assert all(display(s) != "none" for s in shown), {s: display(s) for s in shown}
    assert page.evaluate("getComputedStyle(document.querySelector('figure')).breakInside") == "avoid"
    after = page.evaluate("getComputedStyle(document.querySelector('.article-body p a[href^=\"https://\"]'), '::after').content")
    assert LONG_URL in after
    page.emulate_media(media="screen")
    assert display("nav.site-nav") != "none"

    paged = serve_dir(site.output)
    page.goto(f"{paged}/")
    page.emulate_media(media="print")
    assert display("nav.pagination") == "none"


@pytest.mark.browser
def test_keyboard_focus_is_visible_and_motion_can_be_reduced(site, serve_dir, page):
    base = serve_dir(site.output)
    page.goto(f"{base}/don-vi/")
    skip = page.locator("a.skip-link")
    assert skip.bounding_box()["y"] < 0, "the skip link waits off screen"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert skip.bounding_box()["y"] >= 0
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    ring = page.evaluate("(() => { const s = getComputedStyle(document.activeElement);"
                         " return [document.activeElement.tagName, s.outlineStyle, parseFloat(s.outlineWidth)]; })()")
    assert ring[0] in ("A", "INPUT") and ring[1] != "none" and ring[2] >= 2, ring
    duration = "getComputedStyle(document.querySelector('nav.site-nav a')).transitionDuration"
    assert page.evaluate(duration) != "0s"
    page.emulate_media(reduced_motion="reduce")
    assert page.evaluate(duration) == "0s"


@pytest.mark.browser
def test_404_page_is_styled_and_its_links_work_deep_in_the_site(site, serve_dir, page):
    base = serve_dir(site.output)
    response = page.goto(f"{base}/2022/04/bai-da-xoa/anh/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Không tìm thấy trang"
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).borderTopStyle") == "solid"
    page.locator("main a", has_text="đơn vị").click()
    page.wait_for_url(f"{base}/don-vi/")
    assert page.locator("h1").inner_text() == "Đơn vị"
