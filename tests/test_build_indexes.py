"""Real Pelican builds of a tiny site: every index page, article pages, pagination, drafts, Vietnamese text."""

import os
import re
import unicodedata

import pytest

from conftest import Site, article, build_into, write_content
from pelican.plugins.bulletin import searchindex

NFD_TITLE = "Huyện uỷ Hớn Quản sơ kết công tác đảng"
FILES = {
    "articles/2022/hoi-nghi.md": article(
        title="Hội nghị quy hoạch cán bộ", date="04/04/2022 08:30", units=["dang-uy-xa-tan-khai"], terms=["2020-2025"],
        author="Nguyễn Văn An", author_title="Văn phòng Huyện ủy"),
    "articles/2022/lay-phieu.md": article(
        title="Lấy phiếu giới thiệu nhân sự", date="20/04/2022", units=["chi-bo-hung"], terms=["nhiệm kỳ 2020 – 2025"]),
    "articles/2022/ap-hung.md": article(title="Chi bộ ấp Hưng sinh hoạt chuyên đề", date="02/05/2022", units=["Chi bộ ấp Hưng"]),
    "articles/2021/tong-ket.md": article(title="Tổng kết công tác năm", date="10/12/2021", units=["ĐUK các cơ quan tỉnh"],
                                         terms=["2020-2025"]),
    "articles/2025/dai-hoi.md": article(title="Đại hội đại biểu Đảng bộ tỉnh", date="2025-10-15", units=["tinh-uy"],
                                        terms=["2025-2030"]),
    "articles/2024/nfd.md": unicodedata.normalize("NFD", article(
        title=NFD_TITLE, date="03/06/2024", units=["Huyện uỷ Hớn Quản"], body="Đồng chí Bí thư chủ trì.")),
    # never published: a draft (the only article of its term and month) and one dated far in the future
    "articles/2023/nhap.md": article(title="Bản nháp chưa duyệt", date="01/03/2023", units=["ban-to-chuc"],
                                     terms=["2021-2026"], status="draft"),
    "articles/2099/tuong-lai.md": article(title="Bài hẹn giờ rất xa", date="01/01/2099", units=["ban-to-chuc"],
                                          terms=["2095-2100"]),
}
PUBLISHED = {"/2022/04/hoi-nghi/", "/2022/04/lay-phieu/", "/2022/05/ap-hung/", "/2021/12/tong-ket/", "/2025/10/dai-hoi/",
             "/2024/06/nfd/"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    write_content(root / "content", FILES)
    outcome = build_into(root / "content", root / "output", finishers=(searchindex.build_index,))  # the search index must leave drafts out too
    assert outcome.ok, outcome.errors
    return Site(root, outcome)


def listed(soup):
    """Return the article links of the list on a page, in order."""
    return [a["href"] for a in soup.select("main ol.article-list article :is(h2, h3, h4) > a")]


def section(soup, heading):
    """Return the section of main whose heading is `heading`."""
    for h in soup.select("main h2"):
        if h.get_text(" ", strip=True).startswith(heading):
            return h.find_parent("section")
    raise AssertionError(f"no section {heading!r}")


def crumbs(soup):
    """Return the breadcrumb trail as (href or None, text)."""
    nav = soup.select_one("nav.breadcrumbs, nav[aria-label='Vị trí']")
    return [((li.a or {}).get("href"), li.get_text(" ", strip=True)) for li in nav.select("li")]


def test_home_page_lists_published_articles_newest_first(site):
    links = listed(site.html("/"))
    assert set(links) == PUBLISHED
    assert links[0] == "/2025/10/dai-hoi/"
    assert links[-1] == "/2021/12/tong-ket/"


def test_units_page_is_the_tree_with_counts_in_vietnamese_order(site):
    tree = site.html("don-vi/").select_one("main nav[aria-label] > ul")
    root = tree.find("li", recursive=False)
    assert root.a["href"] == "/don-vi/tinh-uy/"
    assert "6 bài" in root.find("span", recursive=False).get_text()
    children = root.find("ul").find_all("li", recursive=False)
    assert [li.a.get_text() for li in children] == ["Ban Tổ chức Tỉnh ủy", "Đảng ủy Khối các cơ quan tỉnh", "Huyện ủy Hớn Quản"]
    counts = [li.find("span", recursive=False).get_text() for li in children]
    assert counts == ["0 bài", "1 bài", "4 bài"]
    grandchildren = children[2].find("ul").find_all("li", recursive=False)
    assert [li.a.get_text() for li in grandchildren] == ["Chi bộ ấp Hùng", "Chi bộ ấp Hưng", "Đảng ủy xã Tân Khai"]
    assert [li.a["href"] for li in grandchildren] == ["/don-vi/chi-bo-hung/", "/don-vi/chi-bo-hung-2/",
                                                     "/don-vi/dang-uy-xa-tan-khai/"]


@pytest.mark.parametrize(("code", "expected"), [
    ("tinh-uy", ["/2025/10/dai-hoi/", "/2024/06/nfd/", "/2022/05/ap-hung/", "/2022/04/lay-phieu/", "/2022/04/hoi-nghi/",
                 "/2021/12/tong-ket/"]),
    ("huyen-uy-hon-quan", ["/2024/06/nfd/", "/2022/05/ap-hung/", "/2022/04/lay-phieu/", "/2022/04/hoi-nghi/"]),
    ("dang-uy-xa-tan-khai", ["/2022/04/hoi-nghi/"]),
    ("chi-bo-hung", ["/2022/04/lay-phieu/"]),
    ("chi-bo-hung-2", ["/2022/05/ap-hung/"]),
    ("dang-uy-khoi", ["/2021/12/tong-ket/"]),
    ("ban-to-chuc", []),
])
def test_unit_pages_roll_up_descendants(site, code, expected):
    assert listed(site.html(f"don-vi/{code}/")) == expected


def test_unit_page_breadcrumbs_are_the_ancestors(site):
    soup = site.html("don-vi/dang-uy-xa-tan-khai/")
    assert crumbs(soup) == [("/", "Trang chủ"), ("/don-vi/", "Đơn vị"), ("/don-vi/tinh-uy/", "Tỉnh ủy"),
                            ("/don-vi/huyen-uy-hon-quan/", "Huyện ủy Hớn Quản"), (None, "Đảng ủy xã Tân Khai")]
    assert soup.select_one("nav li[aria-current=page]").get_text(strip=True) == "Đảng ủy xã Tân Khai"
    assert soup.select_one("main h1").get_text(strip=True) == "Đảng ủy xã Tân Khai"


def test_unit_page_lists_child_units(site):
    children = section(site.html("don-vi/huyen-uy-hon-quan/"), "Đơn vị trực thuộc")
    assert [(a["href"], a.get_text()) for a in children.select("a")] == [
        ("/don-vi/chi-bo-hung/", "Chi bộ ấp Hùng"), ("/don-vi/chi-bo-hung-2/", "Chi bộ ấp Hưng"),
        ("/don-vi/dang-uy-xa-tan-khai/", "Đảng ủy xã Tân Khai")]
    assert not site.html("don-vi/chi-bo-hung/").find("h2", string=re.compile("Đơn vị trực thuộc"))


def test_units_differing_only_by_tone_keep_separate_pages(site):
    hung, hung2 = site.html("don-vi/chi-bo-hung/"), site.html("don-vi/chi-bo-hung-2/")
    assert hung.select_one("main h1").get_text(strip=True) == "Chi bộ ấp Hùng"
    assert hung2.select_one("main h1").get_text(strip=True) == "Chi bộ ấp Hưng"
    assert set(listed(hung)).isdisjoint(listed(hung2))


def test_terms_page_newest_first_without_draft_or_future_terms(site):
    soup = site.html("nhiem-ky/")
    links = [(a["href"], a.get_text(" ", strip=True)) for a in soup.select("main ul a")]
    assert links == [("/nhiem-ky/2025-2030/", "Nhiệm kỳ 2025–2030"), ("/nhiem-ky/2020-2025/", "Nhiệm kỳ 2020–2025")]
    assert not site.exists("nhiem-ky/2021-2026/")  # only a draft has it
    assert not site.exists("nhiem-ky/2095-2100/")  # only a future article has it


def test_term_page_lists_its_articles(site):
    soup = site.html("nhiem-ky/2020-2025/")
    assert listed(soup) == ["/2022/04/lay-phieu/", "/2022/04/hoi-nghi/", "/2021/12/tong-ket/"]
    assert soup.select_one("main h1").get_text(strip=True) == "Nhiệm kỳ 2020–2025"
    assert crumbs(soup)[1] == ("/nhiem-ky/", "Nhiệm kỳ")


def test_archives_page_years_and_months_newest_first(site):
    soup = site.html("luu-tru/")
    years = [a.get_text(strip=True) for a in soup.select("main h2 a")]
    assert years == ["Năm 2025", "Năm 2024", "Năm 2022", "Năm 2021"]
    months = [(a["href"], a.get_text(strip=True)) for a in soup.select("main li a")]
    assert months == [("/2025/10/", "Tháng 10/2025"), ("/2024/06/", "Tháng 6/2024"), ("/2022/05/", "Tháng 5/2022"),
                      ("/2022/04/", "Tháng 4/2022"), ("/2021/12/", "Tháng 12/2021")]


def test_year_and_month_pages(site):
    year = site.html("2022/")
    assert listed(year) == ["/2022/05/ap-hung/", "/2022/04/lay-phieu/", "/2022/04/hoi-nghi/"]
    assert year.select_one("main h1").get_text(strip=True) == "Năm 2022"
    month = site.html("2022/04/")
    assert listed(month) == ["/2022/04/lay-phieu/", "/2022/04/hoi-nghi/"]
    assert month.select_one("main h1").get_text(strip=True) == "Tháng 4/2022"
    assert [href for href, _ in crumbs(month)[1:3]] == ["/luu-tru/", "/2022/"]
    assert not site.exists("2023/") and not site.exists("2023/03/")  # the draft's month
    assert not site.exists("2099/")


def test_article_page_shows_units_terms_date_author(site):
    soup = site.html("2022/04/hoi-nghi/")
    main = soup.select_one("main")
    assert " ".join(main.h1.get_text().split()) == "Hội nghị quy hoạch cán bộ"
    assert main.find("a", href="/don-vi/dang-uy-xa-tan-khai/", string="Đảng ủy xã Tân Khai")
    assert main.find("a", href="/nhiem-ky/2020-2025/", string="2020–2025")
    time = main.select_one("a[href='/2022/04/'] time[datetime]")
    assert time["datetime"] == "2022-04-04T08:30:00+07:00"
    assert time.get_text(strip=True).startswith("Thứ Hai, 04/04/2022")
    assert main.select_one(".byline").get_text() == "Tác giả: Nguyễn Văn An, Văn phòng Huyện ủy"
    assert [href for href, _ in crumbs(soup)][1:3] == ["/don-vi/tinh-uy/", "/don-vi/huyen-uy-hon-quan/"]


def test_article_page_lists_terms_oldest_first_and_the_main_unit_first(build_site):
    site = build_site({"articles/2025/hai-nhiem-ky.md": article(
        title="Chuyển tiếp hai nhiệm kỳ", date="15/10/2025", units=["ban-to-chuc", "tinh-uy"],
        terms=["2025-2030", "nhiệm kỳ 2020 – 2025"])})
    assert site.outcome.ok, site.outcome.errors
    meta = site.html("2025/10/hai-nhiem-ky/").select_one("main dl")
    terms = [a.get_text() for a in meta.select("a[href^='/nhiem-ky/']")]
    assert terms == ["2020–2025", "2025–2030"]
    # The unit the editor wrote first is the article's own unit: it leads the list and the breadcrumbs.
    units = [a["href"] for a in meta.select("a[href^='/don-vi/']")]
    assert units == ["/don-vi/ban-to-chuc/", "/don-vi/tinh-uy/"]


def test_article_page_related_and_previous_next(site):
    soup = site.html("2022/04/hoi-nghi/")
    related = [a["href"] for a in section(soup, "Bài liên quan").select("a")]
    # shares the term with both; the other is further away in date
    assert related == ["/2022/04/lay-phieu/", "/2021/12/tong-ket/"]
    prev, nxt = soup.select_one("main a[rel=prev]"), soup.select_one("main a[rel=next]")
    assert (prev["href"], nxt["href"]) == ("/2021/12/tong-ket/", "/2022/04/lay-phieu/")
    assert "Tổng kết công tác năm" in prev.get_text() and "Lấy phiếu giới thiệu nhân sự" in nxt.get_text()
    oldest = site.html("2021/12/tong-ket/")
    assert oldest.select_one("main a[rel=prev]") is None
    assert oldest.select_one("main a[rel=next]")["href"] == "/2022/04/hoi-nghi/"
    assert site.html("2025/10/dai-hoi/").select_one("main a[rel=next]") is None


def test_drafts_and_future_articles_are_absent_everywhere(site):
    assert not site.exists("2023/03/nhap/") and not site.exists("2099/01/tuong-lai/")
    for path in site.output.rglob("*"):
        if path.suffix in (".html", ".xml", ".json"):
            text = path.read_text(encoding="utf-8")
            assert "Bản nháp chưa duyệt" not in text and "/nhap/" not in text, path
            assert "Bài hẹn giờ rất xa" not in text and "tuong-lai" not in text, path


def test_output_is_nfc_even_for_an_nfd_source(site):
    assert not unicodedata.is_normalized("NFC", FILES["articles/2024/nfd.md"])
    soup = site.html("2024/06/nfd/")
    assert " ".join(soup.select_one("main h1").get_text().split()) == NFD_TITLE
    assert "Đồng chí Bí thư chủ trì." in soup.select_one("main").get_text()
    for path in site.output.rglob("*.html"):
        assert unicodedata.is_normalized("NFC", path.read_text(encoding="utf-8")), path
    assert "/2024/06/nfd/" in listed(site.html("don-vi/huyen-uy-hon-quan/"))


def test_every_output_path_is_ascii(site):
    paths = [os.path.relpath(p, site.output) for p in site.output.rglob("*")]
    assert paths and all(p.isascii() for p in paths), [p for p in paths if not p.isascii()]


def test_dates_in_lists_are_vietnamese(site):
    times = site.html("2022/04/").select("main ol.article-list time")
    assert [t.get_text(strip=True) for t in times] == ["Thứ Tư, 20/04/2022", "Thứ Hai, 04/04/2022"]


ENGLISH = re.compile(r"\b(Home|Next|Previous|Newer|Older|Page|Posted|Read more|Category|Categories|Tags|Archives|"
                     r"Search|Authors?|Published|Related|Menu|Skip)\b")


def test_no_english_word_visible(site):
    for path in site.output.rglob("*.html"):
        soup = site.html("/" + os.path.relpath(path, site.output).replace("index.html", ""))
        for hidden in soup(["script", "style"]):
            hidden.decompose()
        text = soup.get_text(" ")
        attrs = " ".join(v for tag in soup.find_all(True) for k, v in tag.attrs.items()
                         if k in ("aria-label", "title", "alt", "placeholder") and isinstance(v, str))
        assert not ENGLISH.search(text + " " + attrs), (path, ENGLISH.search(text + " " + attrs))


def test_index_urls_exist(site):
    for url in ("don-vi/", "nhiem-ky/", "luu-tru/", "tim-kiem/", "404.html", "atom.xml", "2025/", "2025/10/", "2021/12/"):
        assert site.exists(url), url


def test_pagination(build_site):
    files = {f"articles/2022/bai-{n}.md": article(title=f"Bài số {n}", date=f"{n:02d}/03/2022", units=["ban-to-chuc"],
                                                 terms=["2020-2025"]) for n in range(1, 6)}
    site = build_site(files, settings={"DEFAULT_PAGINATION": 2})
    assert site.outcome.ok, site.outcome.errors
    for base in ("", "don-vi/ban-to-chuc/", "don-vi/tinh-uy/", "nhiem-ky/2020-2025/", "2022/", "2022/03/"):
        pages = [site.html(base), site.html(base + "trang/2/"), site.html(base + "trang/3/")]
        assert not site.exists(base + "trang/4/")
        seen = [href for page in pages for href in listed(page)]
        assert seen == [f"/2022/03/bai-{n}/" for n in (5, 4, 3, 2, 1)], base
        first_next = pages[0].select_one("nav[aria-label] a[rel=next]")
        assert first_next["href"] == "/" + base + "trang/2/"
        assert first_next.get_text(strip=True)
        assert pages[0].select_one("nav[aria-label] a[rel=prev]") is None
        back = pages[2].select_one("nav[aria-label] a[rel=prev]")
        assert back["href"] == "/" + base + "trang/2/" and back.get_text(strip=True)
        assert pages[2].select_one("nav[aria-label] a[rel=next]") is None
        assert pages[1].select_one("nav[aria-label] a[rel=prev]")["href"] == "/" + base
    assert crumbs(site.html("don-vi/ban-to-chuc/trang/2/"))[-2:] == [("/don-vi/tinh-uy/", "Tỉnh ủy"), (None, "Ban Tổ chức Tỉnh ủy")]
    assert "trang 2" in site.html("don-vi/ban-to-chuc/trang/2/").title.get_text()


def test_future_article_absent_from_a_normal_build(build_site):
    site = build_site({"articles/2022/nay.md": article(date="04/04/2022"),
                       "articles/2098/sau.md": article(title="Bài tương lai", date="04/04/2098")})
    assert site.outcome.ok, site.outcome.errors
    assert not site.exists("2098/04/sau/") and not site.exists("2098/")
    assert listed(site.html("/")) == ["/2022/04/nay/"]


def test_urls_and_archives_use_vietnam_time(build_site):
    site = build_site({
        "articles/2021/cuoi-nam.md": article(title="Cuối năm", date="31/12/2021 23:30"),
        # 17:30 UTC on 31 December is 00:30 on 1 January in Vietnam
        "articles/2022/dau-nam.md": article(title="Đầu năm", date="2021-12-31T17:30:00Z"),
    })
    assert site.outcome.ok, site.outcome.errors
    assert site.exists("2021/12/cuoi-nam/") and site.exists("2022/01/dau-nam/")
    assert listed(site.html("2021/12/")) == ["/2021/12/cuoi-nam/"]
    assert listed(site.html("2022/01/")) == ["/2022/01/dau-nam/"]
    time = site.html("2022/01/dau-nam/").select_one("main time[datetime]")
    assert time["datetime"] == "2022-01-01T00:30:00+07:00"
    assert time.get_text(strip=True) == "Thứ Bảy, 01/01/2022, 00:30"


def test_every_internal_link_leads_to_a_file(site):
    broken = set()
    for path in site.output.rglob("*.html"):
        soup = site.html("/" + path.relative_to(site.output).as_posix().removesuffix("index.html"))
        for tag, attr in (("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"), ("form", "action")):
            for element in soup.find_all(tag, attrs={attr: True}):
                url = element[attr].split("#")[0].split("?")[0]
                if url.startswith("/") and not url.startswith("//") and not site.exists(url):
                    broken.add((path.relative_to(site.output).as_posix(), url))
    assert broken == set()


def test_article_page_shows_its_first_paragraph_once(build_site):
    site = build_site({
        "articles/2022/khong-tom-tat.md": article(title="Không tóm tắt", body="Đoạn mở đầu của bài.\n\nĐoạn thứ hai."),
        "articles/2022/co-tom-tat.md": article(title="Có tóm tắt", date="05/04/2022", summary="Tóm tắt riêng của bài.",
                                               body="Đoạn mở đầu khác."),
    })
    assert site.outcome.ok, site.outcome.errors
    text = site.html("2022/04/khong-tom-tat/").select_one("main article").get_text(" ", strip=True)
    assert text.count("Đoạn mở đầu của bài.") == 1
    main = site.html("2022/04/co-tom-tat/").select_one("main article")
    assert main.get_text(" ", strip=True).count("Tóm tắt riêng của bài.") == 1
    assert "Đoạn mở đầu khác." in main.get_text(" ", strip=True)
    # lists still show a summary for both
    summaries = [p.get_text(strip=True) for p in site.html("2022/04/").select("main ol.article-list article p.summary")]
    assert summaries == ["Tóm tắt riêng của bài.", "Đoạn mở đầu của bài."]
