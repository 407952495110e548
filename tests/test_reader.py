"""The reader's side of issue 15: the first screen on a phone, the header's search button, the article's end (author,
share, copy link, print, back to top), the legal footer from settings, month navigation, listing pages on a wide
screen, line breaks that keep words and year ranges whole, and the weight of an article page."""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import BASE, Site, article, build_into, write_content
from pelican.plugins.bulletin import indexes, verify
from pelican.plugins.bulletin.wrapping import headline, keep_ranges

FOOTER = {
    "BULLETIN_AGENCY": "Tỉnh ủy Bình Phước",
    "BULLETIN_RESPONSIBLE": "Trần Quốc Thịnh, Phó Chánh Văn phòng Tỉnh ủy",
    "BULLETIN_ADDRESS": "Số 15 đường Hùng Vương, phường Tân Phú, thành phố Đồng Xoài",
    "BULLETIN_PHONE": "0271 000 0000",
    "BULLETIN_EMAIL": "bantin@example.org",
    "BULLETIN_LICENSE": "Số 00/GP-STTTT",
}
NO_FOOTER = dict.fromkeys(FOOTER, "")  # pelicanconf.py holds the sample's values
WIDE_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="900" viewBox="0 0 1600 900">'
            '<rect width="1600" height="900" fill="#c33"/></svg>')
LONG_TITLE = "Huyện ủy Hớn Quản lấy phiếu giới thiệu quy hoạch cán bộ bốn nhiệm kỳ"
LONG_BODY = "\n\n".join(
    f"Đoạn {n}: hội nghị cán bộ chủ chốt rà soát quy hoạch nhiệm kỳ 2025–2030 và giới thiệu nguồn cán bộ cho các "
    "chức danh của cấp ủy, chính quyền, bảo đảm đúng quy trình, dân chủ, khách quan." for n in range(1, 25))
# The worst first screen the sample has: a long title, a unit three levels down, four terms, a summary, a photo.
FILES = {
    "images/2022/hoi-nghi.svg": WIDE_SVG,
    "articles/2022/hoi-nghi.md": article(
        title=LONG_TITLE, date="04/04/2022 08:30", units=["dang-uy-xa-tan-khai"],
        terms=["2020-2025", "2021-2026", "2025-2030", "2026-2031"], author="Lê Thị Thu Hằng",
        author_title="Văn phòng Huyện ủy", image="images/2022/hoi-nghi.svg", image_caption="Quang cảnh hội nghị.",
        summary="Hội nghị cốt cán của huyện vừa rà soát quy hoạch các nhiệm kỳ đang thực hiện, vừa giới thiệu nguồn "
                "cho nhiệm kỳ 2025–2030 của cấp ủy và 2026–2031 của chính quyền.",
        body=LONG_BODY),
    "articles/2022/lay-phieu.md": article(title="Chi bộ ấp Hùng lấy phiếu tín nhiệm", date="20/04/2022",
                                          units=["chi-bo-hung"]),
    "articles/2022/thang-mot.md": article(title="Đảng ủy Khối học tập nghị quyết", date="10/01/2022",
                                          units=["dang-uy-khoi"], terms=["2020-2025"]),
    "articles/2021/so-ket.md": article(title="Sơ kết công tác kiểm tra, giám sát", date="15/11/2021", units=["tinh-uy"]),
    "articles/2023/dai-hoi.md": article(title="Chuẩn bị đại hội chi bộ nhiệm kỳ 2025–2027", date="02/02/2023",
                                        units=["ban-to-chuc"]),
    "pages/lien-he.md": '---\ntitle: "Liên hệ"\nslug: "lien-he"\nsummary: "Cách liên hệ."\n---\n\nGửi thư.\n',
}
ARTICLE = "2022/04/hoi-nghi/"
SHARED = f"{BASE}/{ARTICLE}"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    """The test site at its public address (a sub-path), built once for the module."""
    root = tmp_path_factory.mktemp("reader")
    write_content(root / "content", FILES)
    outcome = build_into(root / "content", root / "output", {"SITEURL": BASE, "FEED_DOMAIN": BASE, "MENU_PAGES": ["lien-he"], **FOOTER})
    assert outcome.ok, outcome.errors
    return Site(root, outcome)


def text(element) -> str:
    """Return an element's text as a reader sees it (spaces collapsed)."""
    return " ".join(element.get_text().split())


# ---------- Footer from settings ----------

def test_footer_shows_the_agency_facts_on_every_page(site):
    for url in ("", ARTICLE, "don-vi/tinh-uy/", "nhiem-ky/2020-2025/", "2022/04/", "lien-he/", "tim-kiem/", "404.html"):
        footer = site.html(url).select_one("footer.site-footer")
        facts = {text(div.dt): text(div.dd) for div in footer.select("dl.footer-facts > div")}
        assert facts == {
            "Cơ quan chủ quản:": FOOTER["BULLETIN_AGENCY"], "Chịu trách nhiệm nội dung:": FOOTER["BULLETIN_RESPONSIBLE"],
            "Giấy phép:": FOOTER["BULLETIN_LICENSE"], "Địa chỉ:": FOOTER["BULLETIN_ADDRESS"],
            "Điện thoại:": FOOTER["BULLETIN_PHONE"], "Thư điện tử:": FOOTER["BULLETIN_EMAIL"]}, url
        assert footer.select_one("a[href^='tel:']")["href"] == "tel:02710000000"
        assert footer.select_one("a[href^='mailto:']")["href"] == "mailto:bantin@example.org"


def test_footer_leaves_out_what_is_not_set(build_site):
    built = build_site({"articles/a.md": article()}, settings={**NO_FOOTER, "BULLETIN_AGENCY": "Tỉnh ủy <Bình Phước>"})
    assert built.outcome.ok, built.outcome.errors
    footer = built.html("").select_one("footer.site-footer")
    assert [text(dt) for dt in footer.select("dl.footer-facts dt")] == ["Cơ quan chủ quản:"]
    assert text(footer.select_one("dl.footer-facts dd")) == "Tỉnh ủy <Bình Phước>"  # escaped, read back whole
    assert not footer.select("a[href^='tel:'], a[href^='mailto:']")


@pytest.mark.parametrize("blank, named, not_named", [
    ({"BULLETIN_AGENCY": ""}, ["BULLETIN_AGENCY (cơ quan chủ quản)"], "BULLETIN_RESPONSIBLE"),
    ({"BULLETIN_RESPONSIBLE": "   "}, ["BULLETIN_RESPONSIBLE (người chịu trách nhiệm nội dung)"], "BULLETIN_AGENCY"),
    ({"BULLETIN_AGENCY": "", "BULLETIN_RESPONSIBLE": None},
     ["BULLETIN_AGENCY (cơ quan chủ quản)", "BULLETIN_RESPONSIBLE (người chịu trách nhiệm nội dung)"], None),
])
def test_public_build_refuses_to_run_without_agency_or_responsible(build_site, blank, named, not_named):
    built = build_site({"articles/a.md": article()}, conf="publishconf.py", settings={"SITEURL": BASE, **blank})
    assert not built.outcome.ok
    assert len(built.outcome.errors) == 1
    message = built.outcome.errors[0]
    assert all(name in message for name in named), message
    assert not_named is None or not_named not in message
    assert "pelicanconf.py" in message and "\n" not in message and "Traceback" not in message
    assert not built.exists("/")  # nothing was written


def test_local_build_runs_without_the_footer_settings(build_site):
    built = build_site({"articles/a.md": article()}, settings=NO_FOOTER)
    assert built.outcome.ok, built.outcome.errors
    assert built.html("").select_one("footer.site-footer dl") is None


def test_sample_settings_fill_the_footer_of_the_public_build(sample):
    from bs4 import BeautifulSoup

    footer = BeautifulSoup((sample / "index.html").read_text(encoding="utf-8"), "html.parser").select_one("footer")
    labels = [text(dt) for dt in footer.select("dl.footer-facts dt")]
    assert labels == ["Cơ quan chủ quản:", "Chịu trách nhiệm nội dung:", "Giấy phép:", "Địa chỉ:", "Điện thoại:", "Thư điện tử:"]


# ---------- Month navigation ----------

def test_adjacent_months_skip_the_months_without_articles():
    class Item:
        def __init__(self, year, month):
            from datetime import datetime

            self.date, self.slug, self.units, self.terms = datetime(year, month, 1), f"{year}-{month}", (), ()

    years = indexes.group_by_date([Item(2021, 11), Item(2022, 1), Item(2022, 1), Item(2022, 4), Item(2023, 2)])
    pairs = {key: tuple(m and (m.year, m.month) for m in value) for key, value in indexes.adjacent_months(years).items()}
    assert pairs == {(2021, 11): (None, (2022, 1)), (2022, 1): ((2021, 11), (2022, 4)),
                     (2022, 4): ((2022, 1), (2023, 2)), (2023, 2): ((2022, 4), None)}
    assert indexes.adjacent_months([]) == {}


def test_month_pages_link_the_nearest_months_that_have_articles(site):
    def links(url):
        nav = site.html(url).select_one("main nav.period-nav[aria-label]")
        return nav and [(li["class"][0], a["href"], text(a)) for li in nav.select("li") for a in li.select("a")]

    assert links("2022/01/") == [("older", f"{BASE}/2021/11/", "← Tháng 11/2021"), ("newer", f"{BASE}/2022/04/", "Tháng 4/2022 →")]
    assert links("2022/04/") == [("older", f"{BASE}/2022/01/", "← Tháng 1/2022"), ("newer", f"{BASE}/2023/02/", "Tháng 2/2023 →")]
    assert links("2021/11/") == [("newer", f"{BASE}/2022/01/", "Tháng 1/2022 →")]
    assert links("2023/02/") == [("older", f"{BASE}/2022/04/", "← Tháng 4/2022")]
    assert links("2022/") is None  # a year page lists its months instead
    assert all(site.exists(href.removeprefix(BASE)) for _, href, _ in links("2022/04/"))


# ---------- The article's end ----------

def test_author_line_closes_the_article(site):
    soup = site.html(ARTICLE)
    body = soup.select_one("article .article-body")
    byline = soup.select_one("article .byline")
    assert byline is not None and byline.find_previous_sibling("div", class_="article-body") is body
    assert byline.find_next_sibling() is None  # nothing of the article after it
    assert text(byline.select_one(".byline-name")) == "Lê Thị Thu Hằng"
    assert text(byline) == "Tác giả: Lê Thị Thu Hằng, Văn phòng Huyện ủy"
    assert "Tác giả" not in text(soup.select_one(".article-meta"))  # no longer in the header
    assert site.html("2022/04/lay-phieu/").select_one(".byline") is None  # no author written, no line


def test_share_print_and_copy_are_plain_links_and_buttons(site):
    soup = site.html(ARTICLE)
    tools = soup.select_one("main .article-tools")
    shares = {text(a): a["href"] for a in tools.select("a")}
    assert shares == {
        "Chia sẻ lên Facebook": "https://www.facebook.com/sharer/sharer.php?u=" + quote(SHARED),
        "Chia sẻ qua Zalo": "https://sp.zalo.me/share_inline?url=" + quote(SHARED)}
    assert all(a.get("target") is None and "noreferrer" in a["rel"] for a in tools.select("a"))
    buttons = {text(b): b for b in tools.select("button[type=button]")}
    assert set(buttons) == {"Sao chép liên kết", "In bài"}
    assert all(b.find_parent(attrs={"hidden": True}) for b in buttons.values())  # shown by site.js only
    # Nothing on the page is loaded from another host: every script, stylesheet, image and frame is the site's.
    loaded = [el.get("src") or el.get("href") for el in soup.select("script[src], link[href], img[src], iframe, source")]
    assert loaded and all(url.startswith(BASE + "/") for url in loaded), loaded
    # The only links away from the site are the two share links.
    away = {a["href"] for a in soup.select("a[href^='http']") if not a["href"].startswith(BASE + "/")}
    assert away == set(shares.values())


def test_a_local_build_has_no_share_links(build_site):
    built = build_site({"articles/a.md": article()})
    tools = built.html("2022/04/a/").select_one(".article-tools")
    assert tools.select("a") == [] and len(tools.select("button")) == 2


def test_article_breadcrumb_ends_at_its_unit(site):
    crumbs = site.html(ARTICLE).select("nav.breadcrumbs li")
    assert [text(li) for li in crumbs] == ["Trang chủ", "Tỉnh ủy", "Huyện ủy Hớn Quản", "Đảng ủy xã Tân Khai"]
    assert all(li.a for li in crumbs) and not any(li.get("aria-current") for li in crumbs)


def test_every_page_has_a_way_back_to_the_top(site):
    for url in ("", ARTICLE, "don-vi/tinh-uy/", "2022/04/", "lien-he/"):
        soup = site.html(url)
        link = soup.select_one("main [data-to-top] a")
        assert link["href"] == "#dau-trang" and text(link) == "Về đầu trang ↑"
        assert soup.select_one("#dau-trang").name == "header"


# ---------- Line breaks ----------

@pytest.mark.parametrize("title, groups", [
    (LONG_TITLE, ["Huyện ủy", "Hớn Quản", "lấy phiếu", "giới thiệu", "quy hoạch", "cán bộ", "nhiệm kỳ"]),
    ("Đảng uỷ xã Tân Khai rà soát, bổ sung quy hoạch cấp uỷ", ["Đảng uỷ", "Tân Khai", "rà soát,", "bổ sung", "quy hoạch", "cấp uỷ"]),
    ("Ban Chấp hành Đảng bộ tỉnh nhiệm kỳ 2025 – 2030", ["Ban Chấp hành", "Đảng bộ", "nhiệm kỳ", "2025 – 2030"]),
    ('Phong trào "Dân vận khéo" ở Lộc Ninh (2020–2025)', ["Phong trào", "&#34;Dân vận", "Lộc Ninh", "(2020–2025)"]),
    ("HỘI NGHỊ CÁN BỘ TOÀN TỈNH NĂM 2025", ["HỘI NGHỊ", "CÁN BỘ", "TOÀN TỈNH"]),  # capitals: no giant "name"
    ("Đại hội XIV của Đảng", ["Đại hội"]),
    ("Chủtịch" * 30, []),
])
def test_headline_keeps_words_names_and_ranges_whole(title, groups):
    html = str(headline(title))
    assert re.findall(r'<span class="nowrap">(.*?)</span>', html) == groups
    assert re.sub(r"<[^>]+>", "", html).replace("&#34;", '"') == title  # the text itself is unchanged


def test_running_text_keeps_only_year_ranges_whole():
    html = str(keep_ranges("Nhiệm kỳ 2025–2030 và 2026 – 2031; năm 2025, 2030 <b>"))
    assert html == ('Nhiệm kỳ <span class="nowrap">2025–2030</span> và <span class="nowrap">2026 – 2031;</span> '
                    "năm 2025, 2030 &lt;b&gt;")


# ---------- In Chromium ----------

# Boxes of the first screen (getBoundingClientRect, CSS pixels).
BOXES = """() => {
  const box = (selector) => { const el = document.querySelector(selector); if (!el) return null;
    const r = el.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left, right: r.right,
      height: r.height, line: parseFloat(getComputedStyle(el).lineHeight)}; };
  const tops = (selector) => [...document.querySelectorAll(selector)].map((el) => el.getBoundingClientRect().top);
  return {header: box('header.site-header'), title: box('.site-title'), titleLink: box('.site-title a'),
          search: box('.search-open'), nav: tops('nav.site-nav li'), crumbs: box('nav.breadcrumbs'),
          h1: box('main h1'), date: box('.article-meta time'), lead: box('.lead'), first: box('.article-item-title'),
          scrollWidth: document.documentElement.scrollWidth};
}"""
# For every word in `words` found in `selector`'s text: are its first and last letters on one line?
SPLIT_WORDS = """([selector, words]) => {
  const broken = [];
  for (const el of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const nodes = []; let node, all = '';
    while ((node = walker.nextNode())) { nodes.push([node, all.length]); all += node.data; }
    const at = (offset) => { for (let i = nodes.length - 1; i >= 0; i--) if (nodes[i][1] <= offset) return [nodes[i][0], offset - nodes[i][1]]; };
    const top = (offset) => { const [n, o] = at(offset); const r = document.createRange(); r.setStart(n, o); r.setEnd(n, o + 1);
      return r.getClientRects()[0].top; };
    for (const word of words) {
      for (let i = all.indexOf(word); i >= 0; i = all.indexOf(word, i + 1)) {
        if (Math.abs(top(i) - top(i + word.length - 1)) > 2) broken.push(word);
      }
    }
  }
  return broken;
}"""


@pytest.fixture
def reader(browser, site):
    """A phone-sized tab (360 × 800) on the site at its public address, served from the output folder; every
    request to another host is refused and recorded."""
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="vi-VN", reduced_motion="reduce")
    elsewhere: list[str] = []
    context.route(BASE + "/**", verify.serve_route(str(site.output), BASE + "/"))
    context.route(re.compile(r"^(?!" + re.escape(BASE) + "/).*"), lambda route: (elsewhere.append(route.request.url), route.abort()))
    tab = context.new_page()
    tab.elsewhere = elsewhere
    yield tab
    context.close()


@pytest.mark.browser
def test_article_title_date_and_sapo_are_on_the_first_phone_screen(reader):
    reader.goto(f"{BASE}/{ARTICLE}")
    box = reader.evaluate(BOXES)
    assert box["scrollWidth"] <= 360
    assert box["header"]["bottom"] <= 130, box["header"]  # was about 310 px
    assert box["title"]["height"] < 1.5 * box["title"]["line"], "the site name takes one line"
    assert box["search"]["right"] <= 360 and box["search"]["height"] >= 44, "a search button, big enough to tap"
    assert len(set(box["nav"])) == 1, "the menu takes one row"
    assert box["crumbs"]["height"] < 2.5 * box["crumbs"]["line"], box["crumbs"]
    assert box["h1"]["top"] > box["crumbs"]["bottom"] and box["h1"]["bottom"] <= 800
    assert box["date"]["bottom"] <= 800
    assert box["lead"]["top"] + box["lead"]["line"] <= 800, box["lead"]  # at least the sapo's first line
    assert reader.elsewhere == []


@pytest.mark.slow
@pytest.mark.browser
def test_every_sample_article_starts_on_the_first_phone_screen(browser, sample):
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="vi-VN")
    context.route(BASE + "/**", verify.serve_route(str(sample), BASE + "/"))
    tab = context.new_page()
    articles = sorted(p.parent.relative_to(sample).as_posix() for p in sample.glob("[0-9]*/[0-9]*/*/index.html"))
    assert len(articles) >= 15
    late = {}
    for url in articles:
        tab.goto(f"{BASE}/{url}/")
        box = tab.evaluate(BOXES)
        start = box["lead"] or tab.evaluate("(() => { const r = document.querySelector('.article-body p').getBoundingClientRect(); "
                                             "return {top: r.top, line: parseFloat(getComputedStyle(document.querySelector('.article-body p')).lineHeight)}; })()")
        if not (box["h1"]["bottom"] <= 800 and box["date"]["bottom"] <= 800 and start["top"] + start["line"] <= 800):
            late[url] = (box["h1"]["bottom"], box["date"]["bottom"], start["top"])
    tab.goto(f"{BASE}/")
    first = tab.evaluate(BOXES)["first"]
    context.close()
    assert late == {}
    assert first["bottom"] <= 800


@pytest.mark.browser
def test_first_article_title_is_on_the_first_phone_screen_of_the_home_page(reader):
    reader.goto(f"{BASE}/")
    box = reader.evaluate(BOXES)
    assert box["first"]["bottom"] <= 800 and box["first"]["top"] > box["header"]["bottom"], box
    assert box["title"]["height"] < 1.5 * box["title"]["line"]
    reader.set_viewport_size({"width": 320, "height": 640})
    box = reader.evaluate(BOXES)
    assert box["scrollWidth"] <= 320 and box["title"]["height"] < 1.5 * box["title"]["line"]
    assert box["first"]["bottom"] <= 640


@pytest.mark.browser
def test_search_is_one_tap_away_and_a_link_without_script(browser, site, reader):
    reader.goto(f"{BASE}/{ARTICLE}")
    form_input = reader.locator("#o-tim-kiem")
    button = reader.get_by_role("button", name="Tìm kiếm")
    assert button.get_attribute("aria-expanded") == "false" and not form_input.is_visible()
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert form_input.is_visible() and reader.evaluate("document.activeElement.id") == "o-tim-kiem"
    reader.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false" and not form_input.is_visible()
    assert reader.evaluate("document.activeElement.getAttribute('aria-controls')") == "tim-nhanh"
    button.click()
    form_input.fill("quy hoạch")
    form_input.press("Enter")
    reader.wait_for_url(re.compile(re.escape(f"{BASE}/tim-kiem/?q=") + ".+"))
    # On a wide screen the form is simply there.
    reader.set_viewport_size({"width": 1280, "height": 800})
    reader.goto(f"{BASE}/")
    assert reader.locator("#o-tim-kiem").is_visible() and not reader.locator(".search-open").is_visible()
    # Without JavaScript the button is a link to the search page.
    context = browser.new_context(viewport={"width": 360, "height": 800}, java_script_enabled=False)
    context.route(BASE + "/**", verify.serve_route(str(site.output), BASE + "/"))
    tab = context.new_page()
    tab.goto(f"{BASE}/{ARTICLE}")
    link = tab.get_by_role("link", name="Tìm kiếm")
    assert link.is_visible()
    link.click()
    tab.wait_for_url(f"{BASE}/tim-kiem/")
    context.close()


@pytest.mark.browser
def test_copy_link_and_print_work_without_any_request_elsewhere(reader):
    reader.context.grant_permissions(["clipboard-read", "clipboard-write"], origin="https://example.org")
    reader.goto(f"{BASE}/{ARTICLE}")
    reader.evaluate("window.printed = 0; addEventListener('beforeprint', () => { window.printed += 1; })")
    reader.get_by_role("button", name="Sao chép liên kết").click()
    status = reader.locator("[data-tools-status]")
    status.filter(has_text="Đã sao chép").wait_for()
    assert reader.evaluate("navigator.clipboard.readText()") == SHARED
    assert status.get_attribute("role") == "status"
    reader.get_by_role("button", name="In bài").click()
    reader.wait_for_function("window.printed === 1")
    assert reader.get_by_role("link", name="Chia sẻ lên Facebook").is_visible()
    assert reader.elsewhere == []  # share links are followed only when clicked


@pytest.mark.browser
def test_back_to_top_comes_to_hand_on_a_long_page_only(reader):
    reader.goto(f"{BASE}/{ARTICLE}")
    link = reader.get_by_role("link", name="Về đầu trang")
    assert link.bounding_box()["y"] > 800  # at the end of the page, not over the first screen
    reader.mouse.wheel(0, 2400)  # reading on down: it stays out of the way
    reader.wait_for_function("scrollY >= 2000")
    assert link.bounding_box()["y"] > 800
    reader.mouse.wheel(0, -300)  # scrolling back up: at hand, at the bottom of the window
    reader.wait_for_function("document.documentElement.classList.contains('show-to-top')")
    box = link.bounding_box()
    assert 800 - 80 < box["y"] + box["height"] <= 800, box
    link.click()
    reader.wait_for_function("scrollY === 0")
    reader.goto(f"{BASE}/lien-he/")  # one screen: nothing to go back up to
    assert not link.is_visible()


@pytest.mark.browser
def test_headlines_and_term_ranges_never_break_inside(reader):
    ranges = ["2020–2025", "2021–2026", "2025–2030", "2026–2031", "2025–2027"]
    words = ["Huyện ủy", "Hớn Quản", "lấy phiếu", "giới thiệu", "quy hoạch", "cán bộ", "nhiệm kỳ", *ranges]
    for url in ("", ARTICLE):
        reader.goto(f"{BASE}/{url}")
        for width in range(320, 1300, 40):
            reader.set_viewport_size({"width": width, "height": 800})
            broken = reader.evaluate(SPLIT_WORDS, ["main h1, main h2, main h3", words])
            broken += reader.evaluate(SPLIT_WORDS, [".article-meta .terms, .lead, .summary", ranges])
            assert broken == [], (url, width, broken)
    # Control: without the marks the same title does split a word at some width.
    reader.goto(f"{BASE}/{ARTICLE}")
    reader.add_style_tag(content=".nowrap, .article-meta .terms a { white-space: normal !important; }")
    splits = []
    for width in range(320, 1300, 40):
        reader.set_viewport_size({"width": width, "height": 800})
        splits += reader.evaluate(SPLIT_WORDS, ["main h1, .article-meta .terms", words])
    assert splits


@pytest.mark.browser
def test_listing_pages_use_the_width_of_a_desktop_screen(reader):
    reader.set_viewport_size({"width": 1280, "height": 800})
    for url in ("don-vi/tinh-uy/", "nhiem-ky/2020-2025/", "2022/04/", "2022/"):
        reader.goto(f"{BASE}/{url}")
        wrap = reader.locator("main > .wrap.layout").bounding_box()
        aside = reader.locator("main aside.secondary").bounding_box()
        listing = reader.locator("main ol.article-list").bounding_box()
        content_right = wrap["x"] + wrap["width"] - 32  # the wrap's padding
        assert aside["x"] > listing["x"] + listing["width"], url  # beside the list, not under it
        assert aside["x"] + aside["width"] >= content_right - 2, url  # reaches the right edge: no empty third
        assert aside["y"] < 400, url
        current = reader.locator("main aside.secondary a[aria-current=page]")
        assert current.count() == 1, url


@pytest.mark.browser
def test_scheduled_label_keeps_its_distance_from_the_link_before_it(build_site, browser, serve_dir):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    built = build_site({"articles/a.md": article(title="Bài hẹn giờ", date="01/05/2030", units=["ban-to-chuc"])},
                       settings={"WITH_FUTURE_DATES": True,
                                 "BULLETIN_NOW": datetime(2026, 1, 1, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))})
    assert built.outcome.ok, built.outcome.errors
    base = serve_dir(built.output)
    tab = browser.new_page(viewport={"width": 1280, "height": 800})
    for width in (1280, 320):
        tab.set_viewport_size({"width": width, "height": 800})
        tab.goto(f"{base}/")
        gap = tab.evaluate("""() => { const badge = document.querySelector('.article-item .badge');
          const link = [...badge.parentNode.querySelectorAll('a')].pop();
          const a = link.getBoundingClientRect(), b = badge.getBoundingClientRect();
          return {sameLine: Math.abs(a.bottom - b.bottom) < 8, gap: b.left - a.right}; }""")
        assert not gap["sameLine"] or gap["gap"] >= 8, (width, gap)
    tab.close()


# ---------- Weight ----------

ARTICLE_BUDGET = 30 * 1024  # bytes, gzip: the page with its stylesheet and script


@pytest.mark.slow
def test_every_article_page_of_the_sample_weighs_under_30_kb_gzip(sample):
    theme = sorted((sample / "theme").rglob("*.gz"))
    assets = {p.name: p.stat().st_size for p in theme if p.name.endswith((".css.gz", ".js.gz"))}
    articles = list(sample.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html"))
    assert len(articles) >= 15
    heaviest = 0
    for page in articles:
        html = page.read_text(encoding="utf-8")
        used = [name for name in assets if name.removesuffix(".gz") in html]
        assert any(n.startswith("style.") for n in used) and any(n.startswith("site.") for n in used), used
        weight = Path(str(page) + ".gz").stat().st_size + sum(assets[n] for n in used)
        assert weight == len(gzip.compress(html.encode(), 9, mtime=0)) + sum(assets[n] for n in used)
        heaviest = max(heaviest, weight)
    assert heaviest <= ARTICLE_BUDGET, heaviest
