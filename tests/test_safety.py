"""Content safety: the allowlist sanitizer on article HTML, and escaping of every metadata value everywhere."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree

import pytest
from bs4 import BeautifulSoup

from conftest import UNITS_YML, article
from pelican.plugins.bulletin import build as builder
from pelican.plugins.bulletin import markup, sanitize
from pelican.plugins.bulletin.finishers import FINISHERS

HOSTILE = '"><script>alert(1)</script></script><script>alert(2)</script>'
ATOM = "{http://www.w3.org/2005/Atom}"
PUBLIC = {"SITEURL": "https://example.org/ban-tin", "FEED_DOMAIN": "https://example.org/ban-tin"}


def yaml_quoted(text: str) -> str:
    """Return text as it goes between double quotes in YAML."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


@pytest.mark.parametrize("raw, kinds, gone", [
    ("<p>a<script>alert(1)</script>b</p>", {"script"}, "alert"),
    ('<p onclick="alert(1)">a</p>', {"handler"}, "onclick"),
    ('<img src="x.png" alt="" onerror="alert(1)">', {"handler"}, "onerror"),
    ('<a href="javascript:alert(1)">a</a>', {"url"}, "javascript"),
    ('<a href="JaVaScRiPt:alert(1)">a</a>', {"url"}, "alert"),
    ('<a href="&#106;avascript:alert(1)">a</a>', {"url"}, "alert"),
    ('<a href="java\tscript:alert(1)">a</a>', {"url"}, "alert"),
    ('<a href="vbscript:msgbox(1)">a</a>', {"url"}, "vbscript"),
    ('<img src="data:image/svg+xml;base64,PHN2Zz4=" alt="">', {"url"}, "data:"),
    ('<form action="https://example.net/"><input name="q"><button>Gửi</button></form>', {"form"}, "<input"),
    ('<iframe src="https://evil.example/"></iframe>', {"frame"}, "iframe"),
    ('<iframe src="https://www.youtube.com/embed/abcdefgh"></iframe>', {"frame"}, "iframe"),
    ('<iframe src="javascript:alert(1)"></iframe>', {"frame", "url"}, "iframe"),
    ('<p style="color:red">a</p>', {"style"}, "style"),
    ("<style>body{display:none}</style><p>a</p>", {"scrub"}, "display"),
    ('<svg onload="alert(1)"><circle r="1"/></svg>', {"scrub"}, "svg"),
    ('<object data="x.swf"></object>', {"scrub"}, "object"),
    ('<font color="red">chữ</font>', {"tag"}, "font"),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', {"tag"}, "refresh"),
    ('<base href="https://evil.example/">', {"tag"}, "base"),
])
def test_sanitizer_removes_and_names_what_it_removes(raw, kinds, gone):
    cleaned, removed = sanitize.clean(raw)
    assert gone.lower() not in cleaned.lower()
    assert {r.kind for r in removed} == kinds
    assert all(r.message and r.needle for r in removed)


@pytest.mark.parametrize("raw", [
    '<p>Chữ <strong>đậm</strong>, <em>nghiêng</em>, <a href="https://example.org/">liên kết</a>, <a href="/gioi-thieu/">trang</a>.</p>',
    '<figure><img src="{static}/images/a.svg" alt="Ảnh" loading="lazy" decoding="async"><figcaption>Chú thích</figcaption></figure>',
    '<table><thead><tr><th scope="col">Cột</th></tr></thead><tbody><tr><td colspan="2">Ô</td></tr></tbody></table>',
    '<p><a href="mailto:vanphong@example.org">thư</a> <a href="tel:+842713879000">gọi</a> <a href="#muc-1">mục</a></p>',
])
def test_sanitizer_keeps_ordinary_article_html(raw):
    cleaned, removed = sanitize.clean(raw)
    assert removed == []
    assert BeautifulSoup(cleaned, "html.parser").decode() == BeautifulSoup(raw, "html.parser").decode()


def test_markdown_table_alignment_becomes_a_class_not_a_style():
    cleaned, removed = sanitize.clean('<table><tr><th style="text-align: center;">a</th><td style="text-align: right;">1</td></tr></table>')
    cell = BeautifulSoup(cleaned, "html.parser")
    assert cell.th["class"] == ["align-center"] and cell.td["class"] == ["align-right"]
    assert removed == []


@pytest.mark.parametrize(("frame", "text"), [
    ('<iframe src="https://www.youtube-nocookie.com/embed/abcdefgh" title="Video" width="560" height="315"></iframe>',
     "▶ Xem video “Video” trên YouTube"),
    ('<iframe src="https://www.youtube-nocookie.com/embed/abcdefgh?start=30"></iframe>', "▶ Xem video trên YouTube"),
    ('<iframe title="<b>Đại hội</b> &amp; bầu cử" src="https://www.youtube-nocookie.com/embed/abcdefgh"></iframe>',
     "▶ Xem video “<b>Đại hội</b> & bầu cử” trên YouTube"),
])
def test_an_embedded_video_becomes_a_link_to_it_so_nothing_loads_from_another_host(frame, text):
    cleaned, removed = sanitize.clean(frame)
    soup = BeautifulSoup(cleaned, "html.parser")
    assert removed == [] and not soup.select("iframe, b")
    assert soup.select_one("p.video a")["href"] == "https://www.youtube.com/watch?v=abcdefgh"
    assert soup.get_text() == text


def test_locate_finds_the_line_of_a_removal():
    assert sanitize.locate("một\nhai <SCRIPT>\nba", "<script") == 2
    assert sanitize.locate("không có", "<script") == 1


def test_every_removal_is_reported_not_only_the_first_of_its_kind():
    raw = '<p onclick="a()">1</p>\n<p onclick="b()">2</p>\n<script>x</script>\n<script>y</script>\n<p style="">3</p><p style="">4</p>'
    kinds = [r.kind for r in sanitize.clean(raw)[1]]
    assert kinds == ["handler", "handler", "script", "script", "style", "style"]


def test_a_form_is_reported_once_with_its_fields_and_a_field_alone_on_its_own():
    raw = '<form action="/"><input name="q"><select><option>1</option></select><button>Gửi</button></form><input name="r">'
    assert [r.needle for r in sanitize.clean(raw)[1]] == ["<form", "<input"]


REMOVALS_BODY = "\n".join([
    "Đoạn mở đầu.",                                            # 1
    "",
    '<p onclick="a()">Một</p>',                                # 3
    "",
    '<p onclick="a()">Hai</p>',                                # 5: the same tag again
    "<script>x</script>",                                      # 6
    "",
    "<script>x</script><script>x</script>",                    # 8: two identical on one line, reported once
    "",
    'Liên kết <a href="&#106;avascript:alert(1)">một</a>.',    # 10: the URL is written with character references
    "",
    '<a title="hai"',                                          # 12
    '   href="JaVaScRiPt&#58;alert(2)">hai</a>',               # 13: the attribute is on the tag's second line
    "",
    '<form action="https://example.net/"><input name="q">',    # 15
    '<button onclick="b()">Gửi</button></form>',               # 16
    "",
    '<p style="color:red">Đỏ</p>',                             # 18
    "",
    "[ba](&#106;avascript:alert(3)) và",                       # 20: Markdown links written with character
    "[bốn](&#106;avascript:alert(3))",                         # 21  references, the same twice
])


def test_each_removal_is_placed_at_its_own_line():
    rendered = markup.make_markdown().convert(REMOVALS_BODY)
    placed = sanitize.placed(REMOVALS_BODY, sanitize.clean(rendered)[1])
    assert [(line, message.split(" ", 3)[2]) for line, message in placed] == [
        (3, "thuộc"), (5, "thuộc"), (6, "thẻ"), (8, "thẻ"), (10, "đường"), (13, "đường"),
        (15, "biểu"), (16, "thuộc"), (18, "thuộc"), (20, "đường"), (21, "đường"),
    ]


def test_removals_in_an_article_are_warnings_at_their_lines_and_the_build_succeeds(build_site):
    site = build_site({"articles/2022/bai.md": article(body=REMOVALS_BODY)})
    assert site.outcome.ok, site.outcome.errors
    path = str(site.content / "articles/2022/bai.md")
    at = {int(n[len(path) + 1:].split(":", 1)[0]): n for n in site.outcome.notices}
    assert sorted(at) == [10, 12, 13, 15, 17, 20, 22, 23, 25, 27, 28]  # the body's first line is line 8 of the file
    assert len(site.outcome.notices) == 11
    assert at[22].startswith(f"{path}:22: đã bỏ biểu mẫu nhập liệu (<form>")
    assert at[25].startswith(f"{path}:25: đã bỏ thuộc tính style=")
    assert "\"javascript:alert(1)\"" in at[17] and "\"JaVaScRiPt:alert(2)\"" in at[20]  # shown decoded
    content = site.html("2022/04/bai/").select_one(".article-body")
    assert not content.select("script, form, input, button, [onclick], [style]")
    assert "javascript" not in str(content).lower()


def test_raw_html_in_an_article_is_cleaned_and_each_removal_is_a_warning(build_site):
    body = "\n".join([
        "Đoạn mở đầu.",
        "",
        '<p onclick="alert(1)">Chữ giữ lại</p>',
        "",
        "<script>alert(2)</script>",
        "",
        '[liên kết](javascript:alert(3))',
        "",
        '<iframe src="https://evil.example/x"></iframe>',
        "",
        '<iframe src="https://www.youtube-nocookie.com/embed/abcdefgh" title="Video giới thiệu"></iframe>',
    ])
    site = build_site({"articles/2022/bai.md": article(body=body)})
    assert site.outcome.ok, site.outcome.errors
    html = site.html("2022/04/bai/")
    content = html.select_one(".article-body")
    assert "Chữ giữ lại" in content.get_text()
    assert not content.select("script, [onclick]")
    assert not [a for a in content.select("a[href]") if "javascript" in a["href"]]
    assert not content.select("iframe")
    assert [a["href"] for a in content.select("p.video a")] == ["https://www.youtube.com/watch?v=abcdefgh"]
    notices = site.outcome.notices
    path = str(site.content / "articles/2022/bai.md")
    lines = {n.split(": ", 1)[0].rsplit(":", 1)[1] for n in notices}
    assert all(n.startswith(path + ":") for n in notices)
    assert lines == {"10", "12", "14", "16"}  # the body's first line is line 8 of the file
    text = "\n".join(notices)
    assert "onclick" in text and "<script>" in text and "javascript:alert(3)" in text and "evil.example" in text


def test_warnings_are_printed_in_vietnamese_without_failing_the_build(build_site, capsys):
    site = build_site({"articles/2022/bai.md": article(body='<p style="color:red">Chữ</p>')})
    builder.report(site.outcome)
    err = capsys.readouterr().err
    assert site.outcome.ok
    assert "bai.md:8: đã bỏ thuộc tính style" in err and "(cảnh báo)" in err


@pytest.fixture
def hostile_site(build_site):
    """A public build where every metadata value an editor writes carries a script injection."""
    units = UNITS_YML + f'    - code: don-vi-x\n      name: "X {yaml_quoted(HOSTILE)}"\n      short_name: "Y {yaml_quoted(HOSTILE)}"\n'
    value = yaml_quoted(HOSTILE)
    files = {
        "articles/2022/bai.md": article(
            title=f"T {value}", units=("don-vi-x",), summary=f"S {value}", author=f"A {value}", author_title=f"AT {value}",
            tags=[f"K {value}"], terms=["2020-2025"], image="images/anh.svg", image_caption=f"C {value}",
            body=f"Nội dung {HOSTILE.replace('<', '&lt;')}\n\n<p>{HOSTILE}</p>",
        ),
        "pages/trang.md": f'---\ntitle: "P {value}"\nsummary: "PS {value}"\n---\n\nTrang.\n',
        "images/anh.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>',
    }
    site = build_site(files, units=units, conf="publishconf.py", settings=PUBLIC, finishers=FINISHERS)
    assert site.outcome.ok, site.outcome.errors
    return site


def injected(soup: BeautifulSoup) -> list[str]:
    """Return every element or attribute a script injection could have created."""
    found = [f"<script>{s.string}" for s in soup.find_all("script") if not s.get("src") and s.get("type") != "application/ld+json"]
    found += [f"{e.name}[{a}]" for e in soup.find_all(True) for a in e.attrs if a.startswith("on")]
    return found


def test_no_metadata_value_injects_markup_in_any_page(hostile_site):
    pages = sorted(hostile_site.output.rglob("*.html"))
    assert len(pages) > 10
    seen_title = 0
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert injected(soup) == [], page
        seen_title += f"T {HOSTILE}" in soup.get_text()
        for block in soup.select('script[type="application/ld+json"]'):
            data = json.loads(block.string)
            assert data["headline"] == f"T {HOSTILE}"
            assert data["description"] == f"S {HOSTILE}"
            assert data["author"]["name"] == f"A {HOSTILE}"
            assert "</script" not in block.string.lower()
    assert seen_title >= 3  # shown as text on the article, the home page and the unit page
    soup = hostile_site.html("2022/04/bai/")
    assert soup.h1.get_text() == f"T {HOSTILE}"
    assert soup.select_one("meta[name=description]")["content"] == f"S {HOSTILE}"
    assert soup.select_one("figure figcaption").get_text() == f"C {HOSTILE}"
    assert soup.select_one('[data-pagefind-meta="title"]').get_text() == f"T {HOSTILE}"


def test_no_metadata_value_injects_markup_in_any_feed(hostile_site):
    feeds = sorted(p for p in hostile_site.output.rglob("*.xml") if p.name != "sitemap.xml")
    assert len(feeds) >= 3
    for feed in feeds:
        root = ElementTree.parse(feed).getroot()
        for element in root.iter():
            if element.get("type") == "html" and element.text:
                assert injected(BeautifulSoup(element.text, "html.parser")) == [], feed
        for entry in root.iter(ATOM + "entry"):
            assert entry.findtext(ATOM + "title") == f"T {HOSTILE}"
            assert BeautifulSoup(entry.findtext(ATOM + "summary"), "html.parser").get_text() == f"S {HOSTILE}"
            assert entry.findtext(f"{ATOM}author/{ATOM}name") == f"A {HOSTILE}"


@pytest.mark.browser
def test_no_script_runs_on_any_page_or_search_without_the_csp(build_site, serve_dir, page):
    value = yaml_quoted(HOSTILE)
    site = build_site({"articles/2022/bai.md": article(title=f"T {value}", summary=f"S {value}", author=f"A {value}",
                                                       tags=[f"K {value}"], body=f"<p>{HOSTILE}</p>")},
                      finishers=FINISHERS)  # a local build: no CSP, so escaping alone must hold
    assert site.outcome.ok, site.outcome.errors
    base = serve_dir(site.output)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    urls = ["", "2022/04/bai/", "don-vi/huyen-uy-hon-quan/", "luu-tru/", "2022/04/", "404.html"]
    for url in urls:
        page.goto(f"{base}/{url}")
    page.goto(f"{base}/tim-kiem/?q=alert")
    page.get_by_role("status").first.wait_for()
    page.wait_for_function("() => /Tìm thấy/.test(document.querySelector('[role=status]').textContent)", timeout=15000)
    assert page.get_by_text(f"T {HOSTILE}").count() >= 1  # the title is shown as text in the results
    assert dialogs == []


def test_markdown_features_pass_the_sanitizer_without_warnings_or_english(build_site):
    body = "\n".join([
        "Đoạn có chú thích[^1] và <abbr title=\"Ban Chấp hành\">BCH</abbr>.", "",
        "| Trái | Giữa | Phải |", "|:--|:-:|--:|", "| 1 | 2 | 3 |", "",
        "![Hội trường](images/anh.svg \"Quang cảnh hội nghị\")", "",
        "[^1]: Chú thích cuối bài.",
    ])
    site = build_site({"articles/2022/bai.md": article(body=body),
                       "images/anh.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>'})
    assert site.outcome.ok, site.outcome.errors
    assert site.outcome.notices == []
    content = site.html("2022/04/bai/").select_one(".article-body")
    assert [c["class"] for c in content.select("th")] == [["align-left"], ["align-center"], ["align-right"]]
    assert content.select_one("figure figcaption").get_text() == "Quang cảnh hội nghị"
    assert content.select_one("a.footnote-backref")["title"] == "Quay lại chỗ dẫn chú thích 1 trong bài"
    assert content.select_one("abbr")["title"] == "Ban Chấp hành"
