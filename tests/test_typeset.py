"""The printed edition's typesetter on its own (typeset.py, pdfdoc.py): editions made here as plain data, laid out with
the real fonts, and read back from the page boxes and from the PDF (poppler's pdftotext, pdffonts): lines break only
at spaces, year ranges stay whole, no lone line at a column's top or bottom, a heading never ends a column, a photo
keeps its caption, columns end level, nothing runs past the bottom margin, every kind of body element prints, and a
character outside the usual font cut or missing from Charis SIL still prints as written."""

from __future__ import annotations

import io
import random
import subprocess
import unicodedata
from pathlib import Path

import pytest
from PIL import Image

from pelican.plugins.bulletin import printing, typeset
from pelican.plugins.bulletin.typeset import BOTTOM, COLUMN, GAP, LEFT, TOP

PHOTO = "0123456789abcdef01234567.jpg"
WORDS = ("cán bộ đảng viên chi bộ nghị quyết hội nghị nhiệm vụ giải pháp thực hiện kiểm tra giám sát "
         "quy hoạch đại hội nhiệm kỳ tổ chức xây dựng Đảng bộ huyện xã phường ấp khu phố thường trực").split()


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """The pictures folder (a photo 1200 x 800) with the font cuts beside it."""
    root = tmp_path_factory.mktemp("typeset")
    images = root / "images"
    images.mkdir()
    out = io.BytesIO()
    Image.linear_gradient("L").resize((1200, 800)).convert("RGB").save(out, "JPEG", quality=85)
    (images / PHOTO).write_bytes(out.getvalue())
    return images


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def document(bodies: list[str], pictures: dict | None = None) -> dict:
    """An edition of articles with these bodies, as printing.print_document gives it."""
    articles = [{"title": f"Bài số {n}: hội nghị cán bộ chủ chốt nhiệm kỳ 2025–2030", "kicker": "Huyện ủy Hớn Quản · Thứ Hai, 06/04/2026",
                 "toc_unit": "Huyện ủy Hớn Quản · 06/04/2026", "standfirst": "Sapo của bài.", "image": None, "body": body,
                 "byline": "Lê Thu Hằng", "byline_title": ""} for n, body in enumerate(bodies, 1)]
    return {"unit": "Huyện ủy Hớn Quản", "number": "04/2026", "month": "Tháng 4 năm 2026", "agency": "Tỉnh ủy Bình Phước",
            "siteurl": "", "cover": None, "articles": articles, "legal": [("Địa chỉ", "Số 1 đường Hùng Vương")],
            "meta": {"title": "Bản tin", "author": "Tỉnh ủy", "subject": "", "keywords": ""},
            "pictures": pictures or {PHOTO: ["photo", 1200, 800]}}


def laid_out(data: dict, folder: Path):
    """Return the pages of an edition (the layout, before PDF) and the ids of the article bodies' boxes."""
    fonts = printing.fonts()
    bodies: dict = {}
    edition = typeset.Edition(data, fonts, bodies)
    pages, _starts = edition.lay_out()
    return pages, {id(box) for boxes in bodies.values() for box in boxes}


def columns(laid) -> list[list[tuple[int, float, typeset.Box]]]:
    """Return the body columns of every page: the bodies' boxes (page, top, box) at either column's left edge."""
    pages, body = laid
    found: dict[tuple[int, float], list] = {}
    for number, page in enumerate(pages, 1):
        for command in page.commands:
            _, x, y, box = command
            if id(box) in body and (abs(x - LEFT) < 0.01 or abs(x - (LEFT + COLUMN + GAP)) < 0.01):
                found.setdefault((number, round(x, 2)), []).append((number, y, box))
    return list(found.values())


def pdf_of(data: dict, folder: Path, tmp_path: Path) -> Path:
    pdf, _pages, _starts = printing.lay_out(data, str(folder))
    path = tmp_path / "ban-in.pdf"
    path.write_bytes(pdf)
    return path


def text_of(pdf: Path) -> str:
    return " ".join(subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())


def test_lines_break_only_at_spaces_and_keep_year_ranges_whole(folder):
    fonts = printing.fonts()
    text = "Nhiệm kỳ 2020 – 2025 và nhiệm kỳ 2025–2030 của Đảng bộ huyện Hớn Quản, tỉnh Bình Phước. " * 6
    for width in (60, 90, 140, 200):
        collector = typeset.Inline(fonts)
        collector.text(text, typeset.BODY)
        lines = typeset.set_lines(collector.finish(), width, fonts)
        printed = [" ".join("".join(p.text for p in w.pieces) for w in line.words) for line in lines]
        assert " ".join(printed).replace("\u00a0", " ") == " ".join(text.split())  # nothing lost, no syllable split
        assert not any(line.endswith(("2020", "–")) for line in printed), width
        assert all(sum(w.width + w.space for w in line.words[:-1]) + line.words[-1].width <= width + 0.01
                   for line in lines if len(line.words) > 1)


@pytest.mark.parametrize("seed", range(4))
def test_columns_never_leave_a_lone_line_or_end_with_a_heading_and_end_level(folder, seed):
    rng = random.Random(seed)
    parts = []
    for n in range(60):
        if n % 3 == 1:
            parts.append(f"<h3>Mục {n}: {sentence(rng, 5)}</h3>")
        parts.append(f"<p>{sentence(rng, rng.choice([8, 20, 35, 60, 90]))}</p>")
    body = columns(laid_out(document(["".join(parts)]), folder))
    assert len(body) >= 4

    def heading(box: typeset.Box) -> bool:  # the body text here has no bold: a bold line is a heading's
        return box.draw[0][0] == "line" and box.draw[0][3].words[0].pieces[0].look.font == "serif-bold"

    assert sum(heading(box) for column in body for _, _, box in column) >= 6
    for index, column in enumerate(body[:-2]):
        first, last = column[0][2], column[-1][2]
        assert first.breakable or index == 0  # a column starts where a break is allowed: not after a paragraph's first line…
        assert not heading(last)  # …and never ends with a heading
    left, right = body[-2], body[-1]
    bottoms = [column[-1][1] + column[-1][2].height for column in (left, right)]
    assert abs(bottoms[0] - bottoms[1]) <= 2 * typeset.BODY_SIZE * typeset.LEADING  # the last columns end level


def test_paragraph_boxes_keep_two_lines_at_each_end():
    lines = [typeset.Line([], 14.0, 10.0) for _ in range(6)]
    flags = [box.breakable for box in typeset.paragraph_boxes(lines, 0.0, 5.0)]
    assert flags == [True, False, True, True, True, False]  # no break after line 1 or before line 6
    assert [box.breakable for box in typeset.paragraph_boxes(lines[:3], 0.0, 0.0)] == [True, False, False]


@pytest.mark.parametrize("seed", range(6))
def test_nothing_runs_past_the_bottom_margin_and_a_photo_keeps_its_caption(folder, seed):
    rng = random.Random(seed)
    parts = [f"<p>{sentence(rng, rng.randrange(10, 70))}</p>"
             + (f'<figure><img src="{PHOTO}" alt=""><figcaption>Ảnh {n}: {sentence(rng, 12)}</figcaption></figure>'
                if rng.random() < 0.25 else "") for n in range(40)]
    laid = laid_out(document(["".join(parts), "".join(parts[:13]), "".join(parts[:6])]), folder)
    for page in laid[0]:
        for _, _, y, box in page.commands:
            assert y >= TOP - 0.01 and y + box.height <= BOTTOM + 0.01
    for column in columns(laid):
        for index, (_, _, box) in enumerate(column):
            if box.draw and box.draw[0][0] == "photo":
                assert index + 1 < len(column), "a photo ends a column without its caption"


def test_every_kind_of_body_element_prints(folder, tmp_path):
    body = ("<h2>Tiêu đề mục</h2><p>Chữ <strong>đậm</strong>, <em>nghiêng</em>, <u>gạch dưới</u>, <s>gạch bỏ</s>, "
            "H<sub>2</sub>O, m<sup>2</sup>, <code>ma_so_42</code>, <a href=\"https://example.org/bai\">liên kết</a>.<br>"
            "Dòng mới sau thẻ br.</p><ul><li>Ý thứ nhất<ul><li>Ý lồng bên trong</li></ul></li><li>Ý thứ hai</li></ul>"
            "<ol start=\"3\"><li>Mục ba</li><li>Mục bốn</li></ol><blockquote><p>Lời trích dẫn của đồng chí Bí thư.</p></blockquote>"
            "<pre>ma  = 1\nthu_tu = 2</pre><table><thead><tr><th>Chi bộ</th><th>Số đảng viên</th></tr></thead>"
            "<tbody><tr><td>Ấp 1</td><td>25</td></tr><tr><td colspan=\"2\">Tổng cộng: 25</td></tr></tbody></table>"
            "<dl><dt>Nhiệm kỳ</dt><dd>2025–2030</dd></dl><hr><p>" + "Đoạn cuối rất dài. " * 400 + "</p>")
    pdf = pdf_of(document([body]), folder, tmp_path)
    text = text_of(pdf)
    assert unicodedata.is_normalized("NFC", text)
    for expected in ("Tiêu đề mục", "Chữ đậm, nghiêng, gạch dưới, gạch bỏ", "ma_so_42", "liên kết", "Dòng mới sau thẻ br.",
                     "• Ý thứ nhất", "Ý lồng bên trong", "3. Mục ba", "4. Mục bốn", "Lời trích dẫn của đồng chí Bí thư.",
                     "Chi bộ", "Số đảng viên", "Ấp 1", "Tổng cộng: 25", "Nhiệm kỳ", "2025–2030", "Lê Thu Hằng"):
        assert expected in text, expected
    assert text.count("Đoạn") == text.count("dài.") == 400  # a paragraph longer than a page goes on over the pages
    assert b"/URI (https://example.org/bai)" in pdf.read_bytes()


def test_characters_outside_the_usual_cut_or_missing_from_charis_print_as_written(folder, tmp_path):
    body = "<p>Điện thoại ☎ 0271; điện trở 5 Ω; mũi tên ⇒; dấu ngã ũ ẵ ỡ ữ.</p>"
    pdf = pdf_of(document([body]), folder, tmp_path)
    assert "Điện thoại ☎ 0271; điện trở 5 Ω; mũi tên ⇒; dấu ngã ũ ẵ ỡ ữ." in text_of(pdf)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "DejaVu-Sans" in fonts and "Charis-SIL" in fonts


def test_an_article_with_only_a_photo_or_nothing_lays_out(folder, tmp_path):
    data = document([f'<p><img src="{PHOTO}" alt=""></p>', "", "<p><br></p>"])
    pdf, pages, starts = printing.lay_out(data, str(folder))
    assert pdf.startswith(b"%PDF-") and pages >= 3 and len(starts) == 3 and all(starts)


def images_in(pdf: Path) -> int:
    return len(subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:])


def test_pictures_anywhere_in_a_paragraph_or_a_figure_print(folder, tmp_path):
    body = (f'<p>Xem ảnh <picture><source srcset="x.webp"><img src="{PHOTO}" alt=""></picture> trong đoạn.</p>'
            f'<p><a href="https://example.org/anh"><img src="{PHOTO}" alt=""></a></p>'
            f'<figure><img src="{PHOTO}" alt=""><blockquote><p>Lời dẫn trong hình.</p></blockquote>'
            "<figcaption>Chú thích hình.</figcaption></figure>")
    pdf = pdf_of(document([body]), folder, tmp_path)
    assert images_in(pdf) == 3
    text = text_of(pdf)
    assert "Xem ảnh trong đoạn." in text and "Lời dẫn trong hình." in text and "Chú thích hình." in text


def test_a_short_article_keeps_its_photo_with_the_caption_in_one_column(folder):
    data = document(["<p>Một dòng.</p>", "<p>Hai dòng của một đoạn văn ngắn, vừa đủ để xuống dòng một lần trong cột hẹp.</p>"])
    data["articles"][0]["image"] = {"src": PHOTO, "caption": "Chú thích ảnh của bài, viết dài cho đủ hai dòng trong một cột báo."}
    pages, _ = laid_out(data, folder)
    right = LEFT + COLUMN + GAP
    for page in pages:
        placed = [(x, box) for _, x, _, box in page.commands]
        for index, (x, box) in enumerate(placed):
            if box.draw[0][0] == "photo":  # its caption follows it, in the same column
                assert placed[index + 1][0] == x and placed[index + 1][1].draw[0][0] == "line"
            if abs(x - right) < 0.01 and abs(placed[index - 1][0] - right) > 0.01:
                assert box.breakable  # the right column starts where a break is allowed


def test_tables_print_once_whatever_their_shape(folder, tmp_path):
    tall = "chữ dài " * 700
    body = (f'<table><tr><td>ô</td><td>{tall}</td></tr></table>'
            '<table><tr><td>NGOÀI<table><tr><td>TRONG</td></tr></table></td></tr></table>'
            '<table><tr><td colspan="100000000">RỘNG</td><td>HẸP</td></tr></table>')
    laid = laid_out(document([body]), folder)
    for page in laid[0]:
        for _, _, y, box in page.commands:
            assert y + box.height <= BOTTOM + 0.01
    text = text_of(pdf_of(document([body]), folder, tmp_path))
    assert text.count("TRONG") == 1 and "NGOÀI" in text and "RỘNG" in text and "HẸP" in text
    assert text.split().count("chữ") == text.split().count("dài") == 700


def test_links_footnotes_and_invisible_characters(folder, tmp_path):
    body = ('<p>Xem <a href="https://vi.wikipedia.org/wiki/Bình_Phước">Bình Phước</a>, Thành\u00adphố, '
            'chú thích<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>.</p>'
            '<div class="footnote"><hr><ol><li id="fn:1"><p>Lời chú thích.&#160;<a class="footnote-backref" '
            'href="#fnref:1" title="Quay lại">&#8617;</a></p></li></ol></div><pre>a\tb\r\nc</pre>')
    data = document([body])
    data["articles"][0]["body"] = printing.print_body(body, {"PATH": str(folder), "SITEURL": ""},
                                                      printing.Pictures(str(folder), {"PATH": str(folder)}))
    pdf = pdf_of(data, folder, tmp_path)
    text = text_of(pdf)
    assert "Thànhphố" in text and "Lời chú thích." in text and "↩" not in text and "a b" in text
    assert b"/URI (https://vi.wikipedia.org/wiki/B%C3%ACnh_Ph%C6%B0%E1%BB%9Bc)" in pdf.read_bytes()
    assert "DejaVu-Sans " not in subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout


def test_a_font_name_with_stream_in_it_is_copied_whole():
    from pelican.plugins.bulletin import pdfdoc

    name = b"<< /Type /Font /BaseFont /BitstreamVeraSans-Roman /FontDescriptor 5 0 R >>"
    assert pdfdoc.split_stream(name) == (name, b"", b"")
    stream = b"<< /Length 3 /Name /Upstream >>\nstream\nabc\nendstream"
    assert pdfdoc.split_stream(stream) == (b"<< /Length 3 /Name /Upstream >>\n", b"stream", b"\nabc\nendstream")


def general_parse(fragment: str) -> typeset.Node:
    builder = typeset._TreeBuilder()
    builder.feed(fragment)
    builder.close()
    return builder.root


@pytest.mark.parametrize("fragment", [
    '<p>Hội nghị <strong>Ban Chấp hành</strong> &amp; <a href="https://example.org/?a=1&amp;b=2">liên kết</a></p>',
    '<P CLASS="A">chữ hoa</P><br/><br><span/>sau', "<p>5 &gt; 3 và 2 < 4</p>", "<!-- ghi chú --><p>x</p>",
    "<a href=khong-ngoac>y</a>", "<a title='nháy \"đơn\"'>y</a>", "<p>a<script>1<2</script></p>", "<p>&amp</p>",
    '<b>x<i>y</b>z</i>', "chỉ có chữ", "", '<p\n class="x"\n>y</p >', "</p x>", "<p>x</p><", "&",
    '<img src="a.jpg" alt=""><input disabled>', '<td colspan="2" data-x="&#7843;">ả</td>', "<p>&#34;A&#34; &nbsp;</p>",
    '<p\x0bclass="a">x</p>', '<p\xa0class="a">x</p>', '<br\x0b/>', '<my-tag a="1">x</my-tag>', '<p class="a"\x1c>x</p>',
])
def test_the_quick_html_reader_reads_as_html_parser_does(fragment):
    assert typeset.parse(fragment) == general_parse(fragment)


@pytest.mark.parametrize("seed", range(4))
def test_the_quick_lines_of_plain_text_are_the_general_ones(seed):
    """run_lines (a paragraph of plain text in one look) breaks, justifies and draws like set_lines over Inline's words,
    whatever the text: year ranges, invisible characters, long words, characters of another face, zero-width spaces."""
    rng = random.Random(seed)
    fonts = printing.fonts()
    extras = ["2020 – 2025", "a\u00adb", "Ω≈", "x" * 60, "\u200b", "  ", "\t", "đ\u00a0Đ", "“ngoặc”", "ủy"]
    for _ in range(40):
        text = " ".join(rng.choice(WORDS + extras) for _ in range(rng.randint(0, 60)))
        look = typeset.Look(rng.choice(["serif", "serif-bold", "serif-italic"]), rng.choice([9, 10.5, 17]))
        width = rng.choice([COLUMN, 2 * COLUMN + GAP, 60.0])
        align = rng.choice(["justify", "left", "right", "center"])
        quick = typeset.run_lines(text, look, fonts, width, align)
        general = typeset.set_lines(typeset.words_of(text, look, fonts), width, fonts, align)
        if quick is None:  # not the usual paragraph: the general way is taken
            assert "\u200b" in text or any(w.width > width or len(w.pieces) > 1 for ws in typeset.words_of(text, look, fonts)
                                           for w in ws)
            continue
        assert [(line.x, line.extra, line.height, line.baseline) for line in quick] == \
               [(line.x, line.extra, line.height, line.baseline) for line in general]
        assert [[(w.pieces, w.width, w.space) for w in line.words] for line in quick] == \
               [[(w.pieces, w.width, w.space) for w in line.words] for line in general]
        painter = typeset.Painter(fonts, {}, {})
        painter.cuts = fonts.cuts
        for a, b in zip(quick, general, strict=True):
            drawn = painter.plain(a) or painter.encode(typeset.spaced(a))
            assert drawn[0] == (painter.plain(b) or painter.encode(typeset.spaced(b)))[0]


def test_a_title_for_print_is_its_headline_as_a_browser_reads_it():
    """wrapping.headline_text: the groups kept on one line joined by no-break spaces, and the year ranges of each run of
    text between them (not across a group: "Q1/2019 – 2020 – 2025" may break before 2020, as on the web page), as the
    HTML of headline() reads; its lines are those the HTML gives, and a title of nothing printable still lays out."""
    from pelican.plugins.bulletin.wrapping import headline, headline_text, years_whole
    fonts = printing.fonts()
    look = typeset.Look("serif-bold", 17)
    for title in ["Hội nghị Ban Chấp hành Đảng bộ huyện Hớn Quản lần thứ 15, nhiệm kỳ 2020 – 2025 (mở rộng)",
                  'Tổng kết "A & B"  hai  khoảng trắng', "", "Một", "Kết quả thực hiện nghị quyết giai đoạn Q1/2019 – 2020 – 2025",
                  "Năm 2019 – 2020 và 2021-2025, Hớn Quản 2024 – 2025"]:
        root = general_parse(str(headline(title)))
        read = "".join(years_whole(child) if isinstance(child, str) else child.children[0].replace(" ", "\u00a0")
                       if child.children else "" for child in root.children)
        assert headline_text(title) == read
        collector = typeset.Inline(fonts)  # the HTML's words, as the edition read them before headline_text
        typeset.Flow(fonts, None, typeset.TEXT_WIDTH).inline(root, look, collector)
        general = typeset.set_lines(collector.finish(), typeset.TEXT_WIDTH, fonts, "left", 1.18)
        quick = typeset.text_lines(headline_text(title), look, fonts, typeset.TEXT_WIDTH, "left", 1.18, years=False)
        assert [[(w.pieces, w.width, w.space) for w in line.words] for line in quick] == \
               [[(w.pieces, w.width, w.space) for w in line.words] for line in general]
    assert headline_text("Giai đoạn Q1/2019 – 2020 – 2025").endswith("Q1/2019 – 2020\u00a0–\u00a02025")
    data = document(["<p>Nội dung.</p>"])
    data["articles"][0]["title"] = "\u200b"
    pages, _ = laid_out(data, None)
    assert pages
