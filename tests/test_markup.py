"""Markdown rendering: figures with captions, one h1 per page, images resolved from the content folder."""

import pytest
from bs4 import BeautifulSoup

from pelican.plugins.bulletin.markup import lead, make_markdown, static_link


def render(text: str) -> BeautifulSoup:
    return BeautifulSoup(make_markdown().convert(text), "html.parser")


def test_lone_image_becomes_figure_with_caption_from_title():
    soup = render('![Đại biểu bỏ phiếu](images/2022/a.svg "Đại biểu bỏ phiếu kín tại hội nghị")')
    figure = soup.select_one("figure")
    assert figure.img["src"] == "{static}/images/2022/a.svg"
    assert figure.img["alt"] == "Đại biểu bỏ phiếu"
    assert figure.figcaption.get_text() == "Đại biểu bỏ phiếu kín tại hội nghị"
    assert not soup.select("p > img")


def test_alt_equal_to_caption_is_not_read_twice():
    soup = render('![Toàn cảnh hội nghị](images/a.svg "Toàn cảnh  hội nghị")')
    assert soup.select_one("figure img")["alt"] == ""
    assert soup.select_one("figcaption").get_text() == "Toàn cảnh  hội nghị"


def test_image_inside_text_stays_inline():
    soup = render("Xem ảnh ![sơ đồ](images/s.svg) bên dưới.")
    assert not soup.select("figure")
    assert soup.select_one("p img")["loading"] == "lazy"


def test_body_headings_move_below_the_page_title():
    soup = render("# Phần một\n\n## Mục nhỏ\n\nChữ.")
    assert [h.name for h in soup.select("h1, h2, h3")] == ["h2", "h3"]


def test_headings_from_h2_stay():
    assert render("## Phần một").select_one("h2") is not None


@pytest.mark.parametrize("src, expected", [
    ("images/a.svg", "{static}/images/a.svg"),
    ("/images/a.svg", "{static}/images/a.svg"),
    ("../../images/2022/a.svg", "{static}/images/2022/a.svg"),
    ("https://example.org/a.svg", "https://example.org/a.svg"),
    ("anh/a.svg", "anh/a.svg"),
])
def test_static_link(src, expected):
    assert static_link(src) == expected


def test_lead_takes_first_paragraph_cut_at_a_word():
    html = make_markdown().convert("## Tiêu đề\n\n" + " ".join(["từ"] * 60) + "\n\nĐoạn hai.")
    text = lead(html, words=45)
    assert text.endswith(" …") and text.count("từ") == 45
