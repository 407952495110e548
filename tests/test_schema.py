"""Front matter checks: every mistake an editor can make gives the right line and a Vietnamese message."""

import unicodedata
from zoneinfo import ZoneInfo

import pytest

from conftest import UNITS_YML, article
from pelican.plugins.bulletin.registry import load_registry
from pelican.plugins.bulletin.schema import Context, check_file
from pelican.plugins.bulletin.terms import Term

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "content"
    (folder / "images").mkdir(parents=True)
    (folder / "units.yml").write_text(UNITS_YML, encoding="utf-8")
    (folder / "images" / "hoi-nghi.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    return folder


@pytest.fixture
def check(content):
    """Write one article (text or bytes) and check it; return the Document."""
    registry, errors = load_registry(str(content / "units.yml"), "content/units.yml")
    assert errors == []
    ctx = Context(registry, VN, str(content), "content/units.yml")

    def run(data, name="hoi-nghi.md", kind="article"):
        path = content / "articles" / "2022" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        return check_file(str(path), f"content/articles/2022/{name}", kind, ctx)

    return run


def errors_of(doc):
    return [(e.line, e.message) for e in doc.errors]


def only_error(doc):
    assert len(doc.errors) == 1, errors_of(doc)
    error = doc.errors[0]
    assert error.path == "content/articles/2022/hoi-nghi.md"
    return error.line, error.message


def fm(*lines, body="Nội dung."):
    """Front matter from lines, between fences (line 1 is the opening ---, the first key is on line 2)."""
    return "\n".join(["---", *lines, "---", "", body, ""])


GOOD = ('title: "Hội nghị cán bộ"', 'date: "04/04/2022 08:30"', "units: [huyen-uy-hon-quan]")


def test_good_article_is_typed(check):
    doc = check(fm(*GOOD, "terms: [nhiệm kỳ 2020 - 2025, 2025–2030]", 'author: "Nguyễn Văn A"',
                   "author_title: Văn phòng Huyện ủy", "tags: [Quy hoạch, quy hoạch, Cán bộ]",
                   "image: images/hoi-nghi.svg", "image_caption: Quang cảnh hội nghị", "status: published",
                   "summary: Tóm tắt."))
    assert doc.errors == []
    meta = doc.meta
    assert meta["title"] == "Hội nghị cán bộ"
    assert (meta["date"].year, meta["date"].month, meta["date"].day, meta["date"].hour) == (2022, 4, 4, 8)
    assert meta["date"].tzinfo == VN
    assert [u.code for u in meta["units"]] == ["huyen-uy-hon-quan"]
    assert meta["terms"] == (Term(2020, 2025), Term(2025, 2030))
    assert meta["tags"] == ("Quy hoạch", "Cán bộ")
    assert meta["image"] == "images/hoi-nghi.svg"
    assert meta["slug"] == "hoi-nghi"
    assert meta["status"] == "published"
    assert doc.body.strip() == "Nội dung."


@pytest.mark.parametrize(("lines", "line", "words"), [
    # an unclosed quote points at the line where the value starts
    (('title: "Hội nghị cán bộ', 'date: "04/04/2022"', "units: [tinh-uy]"), 2, "ngoặc kép"),
    # a colon inside an unquoted value
    (("title: Hội nghị: lần thứ hai", 'date: "04/04/2022"', "units: [tinh-uy]"), 2, "dấu hai chấm"),
    # a tab used for indentation
    (("title: Hội nghị", 'date: "04/04/2022"', "units:", "\t- tinh-uy"), 5, "Tab"),
    # a key without its colon
    (("title: Hội nghị", "date 04/04/2022", "units: [tinh-uy]"), 3, "dấu hai chấm"),
    # list items out of line
    (("title: Hội nghị", 'date: "04/04/2022"', "units:", "  - tinh-uy", " - huyen-uy-hon-quan"), 6, "thụt lề"),
    # a value starting with @
    (("title: Hội nghị", 'date: "04/04/2022"', "author: @admin", "units: [tinh-uy]"), 4, "ngoặc kép"),
    # a bad escape inside double quotes
    (('title: "Hội nghị \\q"', 'date: "04/04/2022"', "units: [tinh-uy]"), 2, "ký tự \\"),
    # an unclosed [ list points at the line it opens on
    (("title: Hội nghị", "units: [tinh-uy", 'date: "04/04/2022"'), 3, "thiếu dấu ] đóng"),
    (("title: Hội nghị", "units: {a: tinh-uy", 'date: "04/04/2022"'), 3, "thiếu dấu } đóng"),
    # an unclosed quote on the last line
    (("title: Hội nghị", "units: [tinh-uy]", 'date: "04/04/2022'), 4, "ngoặc kép"),
    # no space after the colon: on a middle, the first and the last line
    (("title: Hội nghị", 'author:"Nguyễn Văn A"', 'date: "04/04/2022"', "units: [tinh-uy]"), 3,
     'thiếu dấu cách sau dấu hai chấm — hãy viết author: "Nguyễn Văn A"'),
    (('title:"Hội nghị"', 'date: "04/04/2022"', "units: [tinh-uy]"), 2, 'hãy viết title: "Hội nghị"'),
    (("title: Hội nghị", 'date: "04/04/2022"', "units:[tinh-uy]"), 4, "hãy viết units: [tinh-uy]"),
    (("title: Hội nghị", "date:04/04/2022", "units: [tinh-uy]"), 3, "hãy viết date: 04/04/2022"),
])
def test_bad_yaml(check, lines, line, words):
    got_line, message = only_error(check(fm(*lines)))
    assert got_line == line
    assert words in message
    assert "YAML" not in message or "—" in message


@pytest.mark.parametrize(("lines", "expected"), [
    (('author:"A"',), [2]),
    (('title:"Hội nghị"', 'date:"04/04/2022"', "units:[tinh-uy]"), [2, 3, 4]),
])
def test_front_matter_read_as_one_text_names_every_line_without_a_space(check, lines, expected):
    doc = check(fm(*lines))
    assert [line for line, _ in errors_of(doc)] == expected
    assert all("thiếu dấu cách sau dấu hai chấm" in message for _, message in errors_of(doc))


def test_unknown_key_suggests_the_closest(check):
    assert only_error(check(fm(*GOOD, "athor: Nguyễn Văn A"))) == (5, 'khóa "athor" không hợp lệ — có phải "author"?')
    assert only_error(check(fm(*GOOD, "Title2: x")))[0] == 5
    line, message = only_error(check(fm(*GOOD, "mau_sac: đỏ")))
    assert line == 5 and "các khóa dùng được: title, date, units" in message


def test_non_text_key_is_named_plainly(check):
    line, message = only_error(check(fm(*GOOD, "[a, b]: x")))
    assert line == 5
    assert message.startswith("tên khóa phải là một từ")


@pytest.mark.parametrize(("drop", "key"), [(0, "title"), (1, "date"), (2, "units")])
def test_missing_required_key(check, drop, key):
    lines = [line for i, line in enumerate(GOOD) if i != drop]
    line, message = only_error(check(fm(*lines)))
    assert line == 1
    assert message.startswith(f'thiếu khóa bắt buộc "{key}"')


def test_every_missing_key_is_reported_at_once(check):
    doc = check(fm("author: A"))
    assert [m.split('"')[1] for _line, m in errors_of(doc)] == ["title", "date", "units"]


@pytest.mark.parametrize(("lines", "line", "words"), [
    (("title:", GOOD[1], GOOD[2]), 2, '"title" để trống'),
    ((GOOD[0], GOOD[1], "units: []"), 4, '"units" để trống'),
    (("title: [a, b]", GOOD[1], GOOD[2]), 2, "không phải danh sách"),
    ((GOOD[0], "date: {ngay: 4}", GOOD[2]), 3, "không phải nhóm khóa"),
    ((GOOD[0], GOOD[1], "units:", "  - [tinh-uy]"), 5, 'mỗi mục của "units"'),
    ((*GOOD, 'title: "Hội nghị khác"'), 5, 'khóa "title" bị lặp'),
])
def test_empty_and_wrong_shapes(check, lines, line, words):
    got_line, message = only_error(check(fm(*lines)))
    assert got_line == line and words in message, message


def test_unknown_unit_suggests_the_accented_name(check):
    doc = check(fm(*GOOD[:2], "units:", "  - tinh-uy", "  - Huyen uy Hon Quan"))
    assert only_error(doc) == (
        6, 'đơn vị "Huyen uy Hon Quan" không có trong content/units.yml — có phải "Huyện ủy Hớn Quản" (huyen-uy-hon-quan)?')


def test_unknown_unit_offers_both_tone_twins(check):
    line, message = only_error(check(fm(*GOOD[:2], "units: [Chi bo ap Hung]")))
    assert line == 4
    assert '"Chi bộ ấp Hùng" (chi-bo-hung) hay "Chi bộ ấp Hưng" (chi-bo-hung-2)' in message


def test_unknown_unit_without_a_close_name(check):
    line, message = only_error(check(fm(*GOOD[:2], "units: [Sở Tài nguyên và Môi trường]")))
    assert line == 4 and "có phải" not in message and "hãy thêm đơn vị" in message


def test_units_by_name_alias_and_tone_placement(check):
    doc = check(fm(*GOOD[:2], "units:", "  - Huyện uỷ Hớn Quản", "  - ĐUK các cơ quan tỉnh", "  - Chi bộ ấp Hưng",
                   "  - huyen-uy-hon-quan"))
    assert doc.errors == []
    assert [u.code for u in doc.meta["units"]] == ["huyen-uy-hon-quan", "dang-uy-khoi", "chi-bo-hung-2"]


@pytest.mark.parametrize(("value", "words"), [
    ('"31/02/2025"', "không có thật"),
    ('"05/03/25"', "bốn chữ số"),
    ('"05/03"', "thiếu năm"),
    ("hôm qua", "không đọc được"),
    ('"04/04/2022 24:10"', "giờ"),
])
def test_bad_dates(check, value, words):
    line, message = only_error(check(fm(GOOD[0], f"date: {value}", GOOD[2])))
    assert line == 3 and words in message


def test_unquoted_dates_are_read_day_first(check):
    doc = check(fm(GOOD[0], "date: 05/03/2025", GOOD[2]))
    assert (doc.meta["date"].day, doc.meta["date"].month) == (5, 3)
    doc = check(fm(GOOD[0], "date: 2025-03-05", GOOD[2]))
    assert (doc.meta["date"].day, doc.meta["date"].month) == (5, 3)


def test_malformed_terms_name_their_item_line(check):
    doc = check(fm(*GOOD, "terms:", "  - 2020-2025", "  - 2025-2020", "  - nhiệm kỳ mới"))
    assert [line for line, _ in errors_of(doc)] == [7, 8]
    assert "năm kết thúc phải sau năm bắt đầu" in doc.errors[0].message
    assert "không đúng dạng" in doc.errors[1].message


@pytest.mark.parametrize(("extra", "words"), [
    ("status: nhap", 'trạng thái "nhap" không hợp lệ'),
    ("status: [draft]", "chuỗi chữ"),
    ("slug: Hội nghị cán bộ", 'có phải "hoi-nghi-can-bo"?'),
    ("slug: hoi_nghi", 'có phải "hoi-nghi"?'),
    ("slug: hoi--nghi", "chữ thường không dấu"),
    ("image: images/khong-co.svg", "không tìm thấy ảnh"),
    ("image: images", "không phải định dạng ảnh"),
    ("image: ../../ngoai.svg", "nằm ngoài thư mục nội dung"),
])
def test_bad_optional_values(check, extra, words):
    line, message = only_error(check(fm(*GOOD, extra)))
    assert line == 5 and words in message, message


def test_draft_status_is_kept(check):
    assert check(fm(*GOOD, "status: draft")).meta["status"] == "draft"
    assert check(fm(*GOOD, "status: Draft")).meta["status"] == "draft"


def test_image_paths(check):
    for value in ("images/hoi-nghi.svg", "/images/hoi-nghi.svg", "{static}/images/hoi-nghi.svg"):
        doc = check(fm(*GOOD, f'image: "{value}"'))
        assert doc.errors == [] and doc.meta["image"] == "images/hoi-nghi.svg"


def test_caption_without_image(check):
    assert only_error(check(fm(*GOOD, "image_caption: Quang cảnh"))) == (5, '"image_caption" cần đi kèm "image" (đường dẫn ảnh)')


def test_image_symlink_out_of_content_is_refused(check, content, tmp_path):
    outside = tmp_path / "ngoai"
    outside.mkdir()
    (outside / "anh.svg").write_text("<svg/>", encoding="utf-8")
    (content / "images" / "lien-ket.svg").symlink_to(outside / "anh.svg")
    (content / "images" / "thu-muc").symlink_to(outside, target_is_directory=True)
    for value in ("images/lien-ket.svg", "images/thu-muc/anh.svg"):
        line, message = only_error(check(fm(*GOOD, f"image: {value}")))
        assert line == 5 and "nằm ngoài thư mục nội dung" in message


@pytest.mark.parametrize(("data", "line", "words"), [
    (b"", 1, "tệp rỗng"),
    (b"  \n\n", 1, "tệp rỗng"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 1, "tệp nhị phân"),
    # Latin-1 bytes on line 2 of an otherwise UTF-8 file
    ("---\ntitle: Hội nghị\n".encode().replace("ộ".encode(), b"\xf4"), 2, "không phải mã UTF-8"),
    # a whole file saved as Windows-1258
    ("---\ntitle: Đàm\ndate: 04/04/2022\nunits: [tinh-uy]\n---\nĐàm\n".encode("cp1258"), 2, "không phải mã UTF-8"),
])
def test_unreadable_files(check, data, line, words):
    got_line, message = only_error(check(data))
    assert got_line == line and words in message


@pytest.mark.parametrize(("body", "line", "code"), [
    ("Dòng một\nDòng\x0b hai", 9, "U+000B"),
    ("Có ký tự\x1b thoát", 8, "U+001B"),
    ("Có dấu cách\u200b rộng không", 8, "U+200B"),
    ("Đảo chiều \u202e văn bản", 8, "U+202E"),
])
def test_control_characters(check, body, line, code):
    got_line, message = only_error(check(article(body=body)))
    assert got_line == line and code in message and "ký tự điều khiển" in message


@pytest.mark.parametrize(("body", "expected"), [
    # every line that has one is named, however many there are
    ("\n".join(f"Dòng {n}\u200b" for n in range(8)), [(n, "(U+200B) — hãy xóa ký tự này") for n in range(8, 16)]),
    # several on one line: one message that names each kind once and counts them
    ("Có\u200b hai\u200b loại\u202e ở đây", [(8, "(U+200B, U+202E) — hãy xóa cả 3 ký tự này")]),
])
def test_every_control_character_is_reported_line_by_line(check, body, expected):
    doc = check(article(body=body))
    assert [(line, message.split("ẩn ", 1)[1]) for line, message in errors_of(doc)] == expected


@pytest.mark.parametrize(("text", "words"), [
    ("title: x\ndate: 04/04/2022\n", "phải bắt đầu bằng dòng ---"),
    ("---\ntitle: x\ndate: 04/04/2022\n", "thiếu dòng --- đóng"),
    ("---\n- a\n- b\n---\n", "khóa: giá trị"),
    ("---\n---\nThân bài\n", "khóa: giá trị"),
])
def test_fence_and_shape_errors(check, text, words):
    doc = check(text)
    assert doc.errors and words in doc.errors[0].message
    assert doc.errors[0].line in (1, 2)


def test_nfd_file_is_read_as_nfc(check):
    source = unicodedata.normalize("NFD", article(title="Huyện uỷ Hớn Quản họp", units=["Huyện ủy Hớn Quản"],
                                                  body="Đồng chí Bí thư phát biểu."))
    assert not unicodedata.is_normalized("NFC", source)
    doc = check(source)
    assert doc.errors == []
    assert doc.meta["title"] == unicodedata.normalize("NFC", "Huyện uỷ Hớn Quản họp")
    assert unicodedata.is_normalized("NFC", doc.body) and "Đồng chí" in doc.body
    assert doc.meta["units"][0].code == "huyen-uy-hon-quan"


def test_bom_and_crlf_are_accepted(check):
    doc = check(b"\xef\xbb\xbf" + article().replace("\n", "\r\n").encode("utf-8"))
    assert doc.errors == [] and doc.meta["title"] == "Hội nghị cán bộ"


def test_slug_defaults_to_the_ascii_file_name(check):
    assert check(article(), name="Hội nghị cán bộ.md").meta["slug"] == "hoi-nghi-can-bo"
    doc = check(article(), name="!!!.md")
    assert [line for line, _ in errors_of(doc)] == [1] and "slug" in doc.errors[0].message


def test_pages_accept_only_page_keys(check):
    doc = check(fm('title: "Giới thiệu"'), kind="page")
    assert doc.errors == []
    line, message = only_error(check(fm('title: "Giới thiệu"', "units: [tinh-uy]"), kind="page"))
    assert line == 3 and 'khóa "units" không hợp lệ' in message


def test_several_errors_in_one_file_are_all_reported(check):
    doc = check(fm('title: "Hội nghị"', 'date: "31/02/2022"', "units: [Khong Co]", "terms: [2025-2020]",
                   "status: xuat-ban", "athor: A"))
    assert sorted(line for line, _ in errors_of(doc)) == [3, 4, 5, 6, 7]


def test_file_path_is_in_every_error(check):
    doc = check(fm("athor: A"))
    assert all(str(e).startswith("content/articles/2022/hoi-nghi.md:") for e in doc.errors)
    assert str(doc.errors[0]) == f"content/articles/2022/hoi-nghi.md:{doc.errors[0].line}: {doc.errors[0].message}"


def test_oversized_file(check, content):
    line, message = only_error(check(article(body="x" * (2 * 1024 * 1024 + 10))))
    assert line == 1 and "tệp quá lớn" in message


@pytest.mark.parametrize("value", ["huyen-uy-hon-quan, dang-uy-khoi", "Huyện ủy Hớn Quản; ĐUK các cơ quan tỉnh"])
def test_comma_separated_units_get_a_list_hint(check, value):
    line, message = only_error(check(fm(*GOOD[:2], f"units: {value}")))
    assert line == 4
    assert "nhiều đơn vị phải viết dạng danh sách: units: [" in message
    assert "có phải" not in message


@pytest.mark.parametrize(("value", "listed"), [
    ("2020-2025, 2025-2030", "terms: [2020-2025, 2025-2030]"),
    ('"nhiệm kỳ 2020–2025; 2025 – 2030"', "terms: [nhiệm kỳ 2020–2025, 2025 – 2030]"),
])
def test_comma_separated_terms_get_a_list_hint(check, value, listed):
    line, message = only_error(check(fm(*GOOD, f"terms: {value}")))
    assert line == 5
    assert message.endswith(f"nhiều nhiệm kỳ phải viết dạng danh sách: {listed}")


def test_overlong_title(check):
    line, message = only_error(check(fm("title: " + "Hội nghị " * 40, *GOOD[1:])))
    assert line == 2 and "dài" in message and "300" in message


def test_block_scalars_and_numbers_are_text(check):
    doc = check(fm("title: 2022", GOOD[1], GOOD[2], "summary: |", "  Dòng một", "  dòng hai."))
    assert doc.errors == []
    assert (doc.meta["title"], doc.meta["summary"]) == ("2022", "Dòng một dòng hai.")


@pytest.mark.parametrize(("key", "meant"), [
    ("ngày", "date"), ("Tiêu đề", "title"), ("đơn vị", "units"), ("nhiệm kỳ", "terms"), ("tác giả", "author"),
    ("tóm tắt", "summary"), ("ảnh", "image"), ("chú thích ảnh", "image_caption"), ("trạng thái", "status"),
    ("từ khóa", "tags"), ("chuc_vu", "author_title"),
])
def test_vietnamese_key_suggests_the_key_to_use(check, key, meant):
    line, message = only_error(check(fm(*GOOD, f"{key}: x")))
    assert (line, message) == (5, f'khóa "{key}" không hợp lệ — có phải "{meant}"?')


def test_vietnamese_key_for_a_page_suggests_only_page_keys(check):
    line, message = only_error(check(fm('title: "Giới thiệu"', "tác giả: A"), kind="page"))
    assert line == 3 and "có phải" not in message and "các khóa dùng được: title, summary, slug" in message


def test_a_hash_in_a_plain_text_value_is_a_comment_that_would_cut_it(check):
    line, message = only_error(check(fm("title: Hội nghị lần #2 của chi bộ", *GOOD[1:])))
    assert line == 2 and message.startswith('dấu # ở giữa "title" bắt đầu một chú thích nên phần "2 của chi bộ" bị bỏ')
    assert check(fm('title: "Hội nghị lần #2"', *GOOD[1:])).meta["title"] == "Hội nghị lần #2"
    assert check(fm(*GOOD, "status: draft  # chưa xong")).errors == []  # a comment after a word value is a comment


@pytest.mark.parametrize("hidden", ["\u2028", "\u2029", "\u0085", "\u000c", "\u000b"])
def test_hidden_line_breaks_and_controls_are_reported_once_and_keep_line_numbers(check, hidden):
    doc = check(fm(f'title: "Hội nghị{hidden}cán bộ"', f'summary: "Tóm{hidden}tắt"', *GOOD[1:], "titel: x"))
    assert [line for line, _ in errors_of(doc)] == [2, 3, 6], errors_of(doc)
    assert all(f"U+{ord(hidden):04X}" in message for _, message in errors_of(doc)[:2])


@pytest.mark.parametrize(("lines", "line", "words"), [
    (("title: 'Hội nghị", GOOD[1], GOOD[2]), 2, "thiếu dấu ngoặc đơn đóng"),
    (('title: "Hội nghị', GOOD[1], GOOD[2]), 2, "thiếu dấu ngoặc kép đóng"),
    (('title: ""', GOOD[1], GOOD[2]), 2, '"title" để trống — hãy điền giá trị'),
    ((*GOOD, 'author: ""'), 5, '"author" để trống — hãy điền giá trị hoặc xóa dòng này'),
    ((GOOD[0], GOOD[1], "units: []"), 4, '"units" để trống — hãy điền ít nhất một mục'),
    ((*GOOD, 'image_caption: "Quang cảnh"'), 5, '"image_caption" cần đi kèm "image"'),
])
def test_messages_say_what_to_do(check, lines, line, words):
    got_line, message = only_error(check(fm(*lines)))
    assert got_line == line and message.startswith(words), message
    if "xóa dòng này" not in words:
        assert "xóa dòng này" not in message  # a required key cannot go


@pytest.mark.parametrize("body", ["", "  \n\n\t"])
def test_a_published_article_needs_a_body(check, body):
    line, message = only_error(check(fm(*GOOD, body=body)))
    assert line == 5 and "chưa có nội dung" in message  # the closing --- (the body starts after it)
    assert check(fm(*GOOD, 'status: "draft"', body=body)).ok  # a draft may be empty
    assert check(fm(*GOOD, body="Một câu.")).ok
