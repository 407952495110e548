"""Atom feeds of the site, of each unit (with its descendants) and of each term: they parse and list the right entries."""

import xml.etree.ElementTree as ET

import feedparser
import pytest

from conftest import Site, article, build_into, write_content

ATOM = "{http://www.w3.org/2005/Atom}"
FILES = {
    "articles/2022/hoi-nghi.md": article(title="Hội nghị Đảng ủy xã", date="04/04/2022 08:30",
                                         units=["dang-uy-xa-tan-khai"], terms=["2020-2025"]),
    "articles/2022/ap-hung.md": article(title="Chi bộ ấp Hưng họp", date="05/05/2022", units=["chi-bo-hung-2"]),
    "articles/2023/khoi.md": article(title="Đảng ủy Khối sơ kết", date="01/06/2023", units=["dang-uy-khoi"],
                                     terms=["2020-2025", "2025-2030"]),
    "articles/2023/nhap.md": article(title="Bản nháp", date="02/06/2023", units=["dang-uy-xa-tan-khai"],
                                     terms=["2020-2025"], status="draft"),
    "articles/2097/sau.md": article(title="Bài hẹn giờ", date="02/06/2097", units=["dang-uy-xa-tan-khai"],
                                    terms=["2020-2025"]),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("feeds")
    write_content(root / "content", FILES)
    outcome = build_into(root / "content", root / "output", {"BULLETIN_FEED_ITEMS": 20})
    assert outcome.ok, outcome.errors
    return Site(root, outcome)


def feed(site, url):
    """Parse a feed strictly (well-formed XML) and with feedparser; return the feedparser result."""
    data = (site.output / url).read_bytes()
    root = ET.fromstring(data)
    assert root.tag == f"{ATOM}feed"
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def links(parsed):
    return [entry.link for entry in parsed.entries]


def test_site_feed_lists_every_published_article_newest_first(site):
    parsed = feed(site, "atom.xml")
    assert links(parsed) == ["/2023/06/khoi/", "/2022/05/ap-hung/", "/2022/04/hoi-nghi/"]
    assert [e.title for e in parsed.entries] == ["Đảng ủy Khối sơ kết", "Chi bộ ấp Hưng họp", "Hội nghị Đảng ủy xã"]
    assert parsed.entries[2].published == "2022-04-04T08:30:00+07:00"


@pytest.mark.parametrize(("code", "expected"), [
    ("tinh-uy", ["/2023/06/khoi/", "/2022/05/ap-hung/", "/2022/04/hoi-nghi/"]),
    ("huyen-uy-hon-quan", ["/2022/05/ap-hung/", "/2022/04/hoi-nghi/"]),
    ("dang-uy-xa-tan-khai", ["/2022/04/hoi-nghi/"]),
    ("chi-bo-hung-2", ["/2022/05/ap-hung/"]),
    ("chi-bo-hung", []),
    ("dang-uy-khoi", ["/2023/06/khoi/"]),
])
def test_unit_feeds_roll_up_descendants(site, code, expected):
    parsed = feed(site, f"don-vi/{code}/atom.xml")
    assert links(parsed) == expected


@pytest.mark.parametrize(("url", "page"), [("atom.xml", "/"), ("don-vi/chi-bo-hung-2/atom.xml", "/don-vi/chi-bo-hung-2/"),
                                           ("nhiem-ky/2025-2030/atom.xml", "/nhiem-ky/2025-2030/")])
def test_feed_alternate_link_is_its_page(site, url, page):
    assert feed(site, url).feed.link == page


def test_unit_feed_title_names_the_unit(site):
    assert "Chi bộ ấp Hưng" in feed(site, "don-vi/chi-bo-hung-2/atom.xml").feed.title
    assert "Chi bộ ấp Hùng" in feed(site, "don-vi/chi-bo-hung/atom.xml").feed.title


@pytest.mark.parametrize(("code", "expected"), [
    ("2020-2025", ["/2023/06/khoi/", "/2022/04/hoi-nghi/"]),
    ("2025-2030", ["/2023/06/khoi/"]),
])
def test_term_feeds(site, code, expected):
    parsed = feed(site, f"nhiem-ky/{code}/atom.xml")
    assert links(parsed) == expected
    assert code.replace("-", "–") in parsed.feed.title


def test_pages_link_their_feed(site):
    for url in ("don-vi/huyen-uy-hon-quan/", "nhiem-ky/2020-2025/"):
        heads = site.html(url).select("head link[rel=alternate][type='application/atom+xml']")
        assert {link["href"] for link in heads} == {"/atom.xml", f"/{url}atom.xml"}


def test_drafts_and_future_articles_are_in_no_feed(site):
    feeds = list(site.output.rglob("*.xml"))
    assert len([f for f in feeds if f.name == "atom.xml"]) == 1 + 7 + 2
    for path in feeds:
        text = path.read_text(encoding="utf-8")
        assert "Bản nháp" not in text and "Bài hẹn giờ" not in text, path


def test_feed_items_limit(build_site):
    files = {f"articles/2022/bai-{n}.md": article(title=f"Bài {n}", date=f"{n:02d}/01/2022", units=["ban-to-chuc"])
             for n in range(1, 6)}
    site = build_site(files, settings={"BULLETIN_FEED_ITEMS": 2})
    assert site.outcome.ok, site.outcome.errors
    assert links(feed(site, "don-vi/ban-to-chuc/atom.xml")) == ["/2022/01/bai-5/", "/2022/01/bai-4/"]


def test_every_entry_names_an_author(build_site):
    site = build_site({"articles/2022/co.md": article(title="Có tác giả", date="03/04/2022", author="Trần Thị Hưng"),
                       "articles/2022/cung.md": article(title="Tên gần giống", date="02/04/2022", author="Trần Thị Hùng"),
                       "articles/2022/khong.md": article(title="Không tác giả", date="01/04/2022")})
    assert site.outcome.ok, site.outcome.errors
    for url in ("atom.xml", "don-vi/huyen-uy-hon-quan/atom.xml"):
        names = [e.author for e in feed(site, url).entries]
        assert names == ["Trần Thị Hưng", "Trần Thị Hùng", "Bản tin Tỉnh ủy Bình Phước"], url
    page = site.html("2022/04/khong/").select_one("main").get_text(" ", strip=True)
    assert "Tác giả" not in page


def test_feeds_have_distinct_ids_and_empty_ones_a_fixed_date(site):
    ids = {}
    for path in site.output.rglob("atom.xml"):
        url = path.relative_to(site.output).as_posix()
        ids[url] = ET.fromstring(path.read_bytes()).findtext(f"{ATOM}id")
    assert ids["don-vi/chi-bo-hung/atom.xml"] == "/don-vi/chi-bo-hung/atom.xml"
    assert len(set(ids.values())) == len(ids) == 10
    # a unit without articles: <updated> is the newest article's date, not the moment of the build
    empty = ET.fromstring((site.output / "don-vi/chi-bo-hung/atom.xml").read_bytes())
    assert empty.findall(f"{ATOM}entry") == []
    assert empty.findtext(f"{ATOM}updated") == "2023-06-01T00:00:00+07:00"
