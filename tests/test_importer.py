"""The importer on raw articles written for these tests: what it extracts, what it leaves to the editor."""

from __future__ import annotations

import io
import unicodedata
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from pelican.plugins.bulletin import importer, legacy, markup
from pelican.plugins.bulletin.importer.blocks import clean_line, escape
from pelican.plugins.bulletin.importer.dateline import match_dateline
from pelican.plugins.bulletin.importer.units import find_units
from pelican.plugins.bulletin.registry import load_registry
from pelican.plugins.bulletin.schema import Context, parse_document
from pelican.plugins.bulletin.terms import find_terms

RAW = Path(__file__).parent / "fixtures" / "raw"
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 22, 9, 0, tzinfo=ZONE)


@pytest.fixture
def content(registry_content) -> Path:
    return registry_content


def run(content: Path, *paths, dry_run=False) -> tuple[int, str, str]:
    """Import files into a content folder; return the exit code, the output and the error stream."""
    registry, errors = load_registry(str(content / "units.yml"))
    assert not errors
    out, err = io.StringIO(), io.StringIO()
    code = importer.run([str(p) for p in paths], str(content), registry, ZONE, dry_run=dry_run, now=NOW, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def written(content: Path) -> dict[str, str]:
    """Return every article the import wrote, by path relative to the content folder."""
    return {str(p.relative_to(content)): p.read_text(encoding="utf-8") for p in sorted(content.glob("articles/*/*.md"))}


def check(content: Path, relative: str) -> tuple[dict, str, list[str]]:
    """Run the schema on a written article; return its metadata, body and error messages."""
    registry, _ = load_registry(str(content / "units.yml"))
    ctx = Context(registry=registry, zone=ZONE, content_dir=str(content))
    text = (content / relative).read_text(encoding="utf-8")
    doc = parse_document(text, relative, "article", ctx)
    return doc.meta, doc.body, [e.message for e in doc.errors + doc.warnings]


def import_one(content: Path, source: Path) -> tuple[str, str, str, dict, str, list[str]]:
    """Import one file that must succeed; return the report, the article's path and text, and its check."""
    code, out, err = run(content, source)
    assert code == 0, err
    (path, text), = written(content).items()
    return (out, path, text, *check(content, path))


def codes(meta: dict) -> list[str]:
    return [u.code for u in meta.get("units") or ()]


def test_time_first_dateline_repeated_title_labelled_author_and_related_links(content):
    out, path, text, meta, body, errors = import_one(content, RAW / "gio-truoc-ngay.txt")
    assert path == "articles/2023/huyen-uy-hon-quan-so-ket-cong-tac-xay-dung-dang-quy-i.md"
    assert errors == []
    assert meta["title"] == "Huyện ủy Hớn Quản sơ kết công tác xây dựng Đảng quý I"
    assert meta["date"] == datetime(2023, 3, 12, 8, 15, tzinfo=ZONE)
    assert codes(meta) == ["huyen-uy-hon-quan", "ban-to-chuc"]
    assert [t.label for t in meta["terms"]] == ["2020–2025", "2025–2030"]
    assert (meta["author"], meta["author_title"]) == ("Trần Minh Khoa", "Văn phòng Huyện ủy")
    assert "status" not in meta
    assert body.count("Huyện ủy Hớn Quản sơ kết công tác xây dựng Đảng quý I") == 0  # title not repeated in the body
    assert "*Quang cảnh hội nghị*" in body and "*Đồng chí Bí thư Huyện ủy phát biểu kết luận*" in body
    assert "Tin liên quan" not in body and "ra mắt mô hình" not in body and "08:15" not in body
    assert "Tác giả" not in body
    assert "đã bỏ phần cuối trang: Tin liên quan" in out


def test_date_first_dateline_after_the_lead_unaccented_unit_and_two_line_caption(content):
    out, path, text, meta, body, errors = import_one(content, RAW / "ngay-truoc-gio.txt")
    assert errors == []
    assert meta["date"] == datetime(2023, 6, 21, 16, 40, tzinfo=ZONE)
    assert meta["title"] == "Dang uy xa Tan Khai ra quan thang dan van"  # kept as written, never re-accented
    assert set(codes(meta)) == {"dang-uy-xa-tan-khai", "huyen-uy-hon-quan"}
    assert (meta["author"], meta["author_title"]) == ("Lê Hoàng Phúc", "Ban Tuyên giáo Huyện ủy")
    assert "*Các đại biểu cắt băng ra quân tháng dân vận*" in body
    paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
    assert all(p == " ".join(p.split()) for p in paragraphs)  # indentation and runs of spaces gone
    assert "Chiều ngày 20/6/2023" in paragraphs[1]


def test_weekday_dateline_capitals_author_unknown_unit_and_page_junk(content):
    out, path, text, meta, body, errors = import_one(content, RAW / "thu-trong-tuan.txt")
    assert errors == []
    assert meta["date"] == datetime(2023, 9, 8, 9, 5, tzinfo=ZONE)
    assert codes(meta) == ["ban-to-chuc"]
    assert [t.label for t in meta["terms"]] == ["2021–2025"]
    assert meta["author"] == "Nguyễn Thị Mai Anh" and "author_title" not in meta
    assert 'tên đơn vị chưa có trong danh sách: "Huyện ủy Bù Gia Mập"' in out
    assert "Chia sẻ" not in body and "Lượt xem" not in body and "NGUYỄN" not in body


def test_date_at_the_start_of_the_lead_and_a_short_name_line(content):
    out, path, text, meta, body, errors = import_one(content, RAW / "ngay-dau-doan.txt")
    assert path.startswith("articles/2016/")
    assert errors == []
    assert meta["date"] == datetime(2016, 12, 15, tzinfo=ZONE)
    assert "date: \"15/12/2016\"" in text
    assert codes(meta) == ["dang-uy-khoi"]
    assert meta["author"] == "Hồng Nhung"
    assert "terms" not in meta
    assert body.lstrip().startswith("Ngày 15/12/2016, Đảng ủy Khối")  # the lead stays in the body


def test_day_and_month_take_the_year_only_from_another_line(content):
    out, path, text, meta, body, errors = import_one(content, RAW / "sang-ngay-khong-nam.txt")
    assert meta["date"] == datetime(2024, 4, 4, tzinfo=ZONE)
    assert "năm 2024 lấy từ dòng khác" in out
    assert 'tên đơn vị chưa có trong danh sách: "Thị ủy Đồng Xoài"' in out
    # No unit the registry knows: the article is a draft and the only schema error is the missing units.
    assert meta["status"] == "draft"
    assert errors == ['bản nháp chưa có khóa "units" — cần điền trước khi đăng (ví dụ units: [huyen-uy-hon-quan])']
    assert "CẦN ĐIỀN: đơn vị (units)" in out
    assert body.rstrip().endswith("\n\nBan Tuyên giáo Thị ủy")  # the sender's office, not a caption


def test_no_date_and_no_unit_make_a_draft_that_says_what_to_fill_in(content):
    out, path, text, meta, body, errors = import_one(content, RAW / "khong-ngay.txt")
    assert path.startswith("articles/2026/")  # this year's folder: the date itself is left out
    assert "date" not in meta and "units" not in meta and meta["status"] == "draft"
    assert sorted(errors) == sorted(['bản nháp chưa có khóa "date" — cần điền trước khi đăng (ví dụ date: "04/04/2022 08:30")',
                                     'bản nháp chưa có khóa "units" — cần điền trước khi đăng (ví dụ units: [huyen-uy-hon-quan])'])
    assert "CẦN ĐIỀN: ngày đăng (date), đơn vị (units)" in out
    assert "# Cần điền: ngày đăng (date), đơn vị (units)" in text
    assert "author" not in meta


def test_names_differing_by_tone_are_not_merged_and_an_unsure_year_is_not_guessed(content):
    out, path, text, meta, body, errors = import_one(content, RAW / "nam-khong-ro.txt")
    assert "units" not in meta and "date" not in meta
    assert '"Chi bo ap Hung" viết không dấu, ứng với nhiều đơn vị: Chi bộ ấp Hùng (chi-bo-hung) hay Chi bộ ấp Hưng (chi-bo-hung-2)' in out
    assert 'bài có ngày "7/5" nhưng bài nhắc tới nhiều năm — không đoán năm' in out


@pytest.mark.parametrize("encoding, encode", [
    ("TCVN3", legacy.encode_tcvn3),
    ("VNI-Windows", legacy.encode_vni),
    ("Windows-1258", legacy.encode_cp1258),
    ("UTF-16", lambda text: text.encode("utf-16")),
    ("UTF-8", lambda text: unicodedata.normalize("NFD", text).replace("\n", "\r\n").encode("utf-8")),  # NFD, CRLF
    # typed with a .VnTime or VNI font, then saved as Unicode: the font's bytes became Latin letters
    ("TCVN3 (lưu trong tệp UTF-8)", lambda text: legacy.encode_tcvn3(text).decode("cp1252").encode("utf-8")),
    ("VNI-Windows (lưu trong tệp UTF-16)", lambda text: legacy.encode_vni(text).decode("cp1252").encode("utf-16")),
])
def test_legacy_and_utf16_bytes_import_like_the_unicode_text(content, tmp_path, encoding, encode):
    source = (RAW / "nguon-legacy.txt").read_text(encoding="utf-8")
    raw = tmp_path / "bai.txt"
    raw.write_bytes(encode(source))
    out, path, text, meta, body, errors = import_one(content, raw)
    assert f"(bảng mã: {encoding})" in out
    assert errors == []
    assert meta["title"] == "Hội nghị sơ kết công tác kiểm tra của Đảng ủy xã Tân Khai"
    assert meta["date"] == datetime(2024, 7, 18, 10, 30, tzinfo=ZONE)
    assert codes(meta) == ["dang-uy-xa-tan-khai"]
    assert meta["author"] == "Phạm Quốc Hưng"
    assert "giám sát chuyên đề đối với đảng viên giữ chức vụ quản lý" in body


def test_unsure_encoding_stops_without_writing(content, tmp_path):
    raw = tmp_path / "la.txt"
    raw.write_bytes("Réunion du comité: le café était très apprécié à côté de l'église.\n".encode("latin-1") * 3)
    code, out, err = run(content, raw)
    assert code == 1
    assert "không chắc tệp dùng bảng mã nào" in err and "UTF-8" in err
    assert written(content) == {}


def test_dry_run_prints_markdown_and_writes_nothing(content):
    code, out, err = run(content, RAW / "thu-trong-tuan.txt", dry_run=True)
    assert code == 0
    assert out.startswith("---\ntitle: \"Học tập chuyên đề về đạo đức công vụ năm 2023\"\n")
    assert "tác giả: Nguyễn Thị Mai Anh" in err
    assert written(content) == {}


def test_never_overwrites_an_article(content):
    assert run(content, RAW / "ngay-dau-doan.txt")[0] == 0
    (path, before), = written(content).items()
    (content / path).write_text(before + "\nĐoạn biên tập viên đã viết thêm.\n", encoding="utf-8")
    code, out, err = run(content, RAW / "ngay-dau-doan.txt", RAW / "khong-ngay.txt")
    assert code == 1
    assert f"đã có tệp {content / path} cùng tiêu đề và ngày — bài này đã được nhập, không ghi đè" in err
    assert "Đoạn biên tập viên đã viết thêm." in (content / path).read_text(encoding="utf-8")
    assert len(written(content)) == 2  # the other file was still imported
    assert "1/2 tệp không nhập được." in err


def test_published_chart_positions():
    # A few letters checked against the published charts, independently of the round trip.
    assert legacy.encode_tcvn3("ạ đ ư ệ ỵ Đ") == bytes([0xB9, 0x20, 0xAE, 0x20, 0xAD, 0x20, 0xD6, 0x20, 0xFE, 0x20, 0xA7])
    assert legacy.encode_vni("ệ ư Đ ỵ ắ") == "eä ö Ñ î aé".encode("cp1252")
    assert legacy.decode_tcvn3(bytes([0x48, 0xE9, 0x69])) == "Hội"
    assert legacy.decode_vni("Ñaûng".encode("cp1252")) == "Đảng"


def test_tables_round_trip_every_letter():
    letters = [legacy._with_tone(v, t) for v in legacy.VOWELS for t in range(6)] + ["đ"]
    lower = "".join(letters)
    assert legacy.decode_tcvn3(legacy.encode_tcvn3(lower)) == lower
    both = lower + lower.upper()
    assert legacy.decode_vni(legacy.encode_vni(both)) == both
    assert legacy.decode_cp1258(legacy.encode_cp1258(both)) == both
    assert len(set(legacy.TCVN3_ENCODE.values())) == len(legacy.TCVN3_ENCODE)  # one byte per letter
    assert len(set(legacy.VNI_ENCODE.values())) == len(legacy.VNI_ENCODE)


@pytest.mark.parametrize("word, ok", [("người", True), ("khuỷu", True), ("nghiêng", True), ("HĐND", True), ("Đắk", True),
                                      ("ngưòi", False), ("aø", False), ("Ðaûng", False), ("bánhs", False)])
def test_syllable_check(word, ok):
    assert legacy.is_syllable(word) is ok


def test_unknown_file_type_and_missing_file(content, tmp_path):
    other = tmp_path / "bai.pdf"
    other.write_bytes(b"%PDF-1.4")
    code, out, err = run(content, other, tmp_path / "khong-co.txt")
    assert code == 1
    assert "chỉ nhập được tệp .txt, .docx" in err and "không tìm thấy tệp" in err


def test_expand_sources_takes_folders_and_patterns(tmp_path):
    for name in ("b.txt", "a.docx", "c.md"):
        (tmp_path / name).write_text("x")
    assert importer.expand_sources([str(tmp_path)]) == [str(tmp_path / "a.docx"), str(tmp_path / "b.txt")]
    assert importer.expand_sources([str(tmp_path / "*.txt")]) == [str(tmp_path / "b.txt")]


def test_every_fixture_at_once_leaves_the_sources_untouched(content):
    before = {p.name: p.read_bytes() for p in RAW.iterdir()}
    code, out, err = run(content, *sorted(RAW.glob("*.txt")))
    assert code == 0, err
    assert len(written(content)) == len(before)
    assert {p.name: p.read_bytes() for p in RAW.iterdir()} == before


def test_invoke_import_end_to_end(content, tmp_path):
    from conftest import run_invoke as invoke

    dry = invoke("import", "--dry-run", "--content", str(content), str(RAW / "ngay-dau-doan.txt"))
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.startswith('---\ntitle: "Đảng ủy Khối các cơ quan tỉnh tổng kết năm 2016"')
    assert "tác giả: Hồng Nhung" in dry.stderr
    assert written(content) == {}
    unsure = tmp_path / "khong-ro.txt"
    unsure.write_bytes("Réunion: café très apprécié à côté de l'église.\n".encode("latin-1") * 3)
    real = invoke("import", "--content", str(content), str(RAW / "ngay-dau-doan.txt"), "--", str(unsure), str(RAW / "khong-ngay.txt"))
    assert real.returncode == 1
    assert f"{unsure}: không chắc tệp dùng bảng mã nào" in real.stderr and "Traceback" not in real.stderr
    assert len(written(content)) == 2
    assert "CẦN ĐIỀN: ngày đăng (date), đơn vị (units)" in real.stdout
    for task in (("import", str(RAW / "ngay-dau-doan.txt")), ("new", "--title", "Hội nghị", "--unit", "tinh-uy")):
        missing = invoke(*task[:1], "--content", str(tmp_path / "khong-co"), *task[1:])
        assert missing.returncode == 1 and "Traceback" not in missing.stderr
        assert f"{tmp_path / 'khong-co'}: không có thư mục nội dung này" in missing.stderr


def test_a_first_line_too_long_for_a_title_is_left_for_the_editor(content, tmp_path):
    raw = tmp_path / "doan-dai.txt"
    lead = "Sáng 3/3/2025, Đảng ủy xã Tân Khai tổ chức hội nghị " + "bàn về công tác cán bộ, " * 15 + "với nhiều ý kiến đóng góp."
    raw.write_text(lead + "\n\nĐoạn thứ hai của bài.\n", encoding="utf-8")
    out, path, text, meta, body, errors = import_one(content, raw)
    assert path == "articles/2025/doan-dai.md"  # named after the source file
    assert "title" not in meta and meta["status"] == "draft"
    assert errors == ['bản nháp chưa có khóa "title" — cần điền trước khi đăng (ví dụ title: "Hội nghị lấy phiếu giới thiệu quy hoạch cán bộ")']
    assert body.lstrip().startswith("Sáng 3/3/2025")
    assert "CẦN ĐIỀN: tiêu đề (title)" in out


@pytest.mark.parametrize("text, known, unknown", [
    ("Huyện uỷ Hớn Quản họp", ["huyen-uy-hon-quan"], []),  # the other tone placement
    ("HUYỆN ỦY HỚN QUẢN HỌP", ["huyen-uy-hon-quan"], []),
    ("Đại diện HU Hớn Quản và Ban Tổ chức Tỉnh ủy", ["huyen-uy-hon-quan", "ban-to-chuc"], []),
    ("Dang uy xa Tan Khai Phát động phong trào", ["dang-uy-xa-tan-khai"], []),
    ("Chi bộ ấp Hưng họp", ["chi-bo-hung-2"], []),  # never taken for Chi bộ ấp Hùng
    ("Chi bộ ấp Hừng họp", [], ["Chi bộ ấp Hừng"]),  # a third spelling is a different name
    ("Đảng ủy Khối các cơ quan tỉnh Lạng Sơn tổ chức", [], ["Đảng ủy Khối các cơ quan tỉnh Lạng Sơn"]),
    ("Ban Thường vụ Huyện ủy tổ chức hội nghị", [], []),  # a committee of the unit, no name: nothing to report
    ("Ban Tuyên giáo Tỉnh ủy và Huyện ủy Bù Đăng", [], ["Ban Tuyên giáo Tỉnh ủy", "Huyện ủy Bù Đăng"]),
])
def test_find_units(content, text, known, unknown):
    registry, _ = load_registry(str(content / "units.yml"))
    found = find_units(text, registry)
    assert [u.code for u in found.known] == known
    assert [name for name, _ in found.unknown] == unknown


# --- Reviewer's cases: each table row is an article shape the importer met on real raw files ----------
def import_text(content: Path, tmp_path: Path, text: str | bytes, name: str = "bai.txt"):
    """Import one raw text (str as UTF-8, or bytes as they are) that must succeed; see import_one."""
    source = tmp_path / name
    source.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return import_one(content, source)


LEAD = "Sáng 1/3/2024, Huyện ủy Hớn Quản tổ chức hội nghị sơ kết công tác xây dựng Đảng quý I."


@pytest.mark.parametrize("lines, captions", [
    # a photo credit in brackets ends the caption: ")" is not a full stop
    (["Đồng chí Phó Bí thư Huyện ủy trao giấy khen cho các chi bộ (Ảnh: Ngọc Lan)"],
     ["Đồng chí Phó Bí thư Huyện ủy trao giấy khen cho các chi bộ (Ảnh: Ngọc Lan)"]),
    (["Buổi sinh hoạt chuyên đề của chi bộ ấp 3\nẢnh: Hoàng Yến"], ["Buổi sinh hoạt chuyên đề của chi bộ ấp 3 Ảnh: Hoàng Yến"]),
    (["Toàn cảnh buổi lễ"], ["Toàn cảnh buổi lễ"]),
    (["Đồng chí Lê Văn Tám, Chủ tịch Ủy ban Mặt trận Tổ quốc xã"], ["Đồng chí Lê Văn Tám, Chủ tịch Ủy ban Mặt trận Tổ quốc xã"]),
    # a caption broken over two paragraphs: the second starts with a small letter
    (["Đ/c Phạm Thu Hà, Trưởng Ban Dân vận Huyện ủy", "quán triệt kế hoạch ra quân"],
     ["Đ/c Phạm Thu Hà, Trưởng Ban Dân vận Huyện ủy quán triệt kế hoạch ra quân"]),
    (["Ban Chấp hành Đoàn xã chụp ảnh lưu niệm cùng đại biểu"], ["Ban Chấp hành Đoàn xã chụp ảnh lưu niệm cùng đại biểu"]),
    # a caption that starts like an office, as the last line of the body
    (["Các chi bộ rà soát danh sách đảng viên trước ngày 30/6.", "Hội viên phụ nữ ra quân trồng cây xanh ven đường"],
     ["Hội viên phụ nữ ra quân trồng cây xanh ven đường"]),
    # short lines without a full stop that are no photo's caption: a subheading, a sentence, a bracket
    (["Những việc cần làm ngay", "Các chi bộ rà soát danh sách đảng viên trước ngày 30/6."], []),
    (["Cả xã có 35 chi bộ hoàn thành tốt nhiệm vụ, đạt 92% tổng số"], []),
    (["Hội nghị thông qua nghị quyết chuyên đề (lần thứ hai)"], []),
])
def test_captions_only_where_a_photo_was(content, tmp_path, lines, captions):
    raw = "\n\n".join(["Huyện ủy Hớn Quản sơ kết quý I", "08:00 02/03/2024", LEAD, *lines, "Trần Minh Khoa"]) + "\n"
    out, path, text, meta, body, errors = import_text(content, tmp_path, raw)
    assert errors == []
    paragraphs = [p.strip() for p in body.split("\n\n")]
    assert [p[1:-1] for p in paragraphs if p.startswith("*") and p.endswith("*")] == captions
    for line in lines:
        assert all(part in body for part in line.split("\n"))
    assert meta["author"] == "Trần Minh Khoa"




@pytest.mark.parametrize("text, known, unknown", [
    # a title before a unit and a person's name after it: the name is no part of the unit
    ("Bí thư Huyện ủy Nguyễn Thị Bé và Phó Bí thư Thường trực Huyện ủy Trần Văn Tư dự", [], []),
    ("Bí thư Đảng ủy xã Lộc Thái Nguyễn Văn Hải phát biểu", [], ["Đảng ủy xã Lộc Thái"]),
    ("Trưởng Ban Dân vận Huyện ủy Bù Đăng Lê Thị Hoa", [], ["Ban Dân vận Huyện ủy Bù Đăng", "Huyện ủy Bù Đăng"]),
    ("ông Hoàng Văn Bảy, Ủy viên Ban Thường vụ Huyện ủy Cao Lộc Ngô Văn An", [], ["Huyện ủy Cao Lộc"]),
    ("Huyện ủy Trần Văn Thời họp", [], ["Huyện ủy Trần Văn Thời"]),  # no title before: a place named after a person
    # two capitalised words after a title and a unit are its place, though the first is also a family name
    ("Bí thư Huyện ủy Cao Lộc chủ trì hội nghị", [], ["Huyện ủy Cao Lộc"]),
    ("Phó Bí thư Thường trực Huyện ủy Lâm Hà dự và phát biểu", [], ["Huyện ủy Lâm Hà"]),
    ("Trưởng Ban Dân vận Huyện ủy Mai Sơn trình bày báo cáo", [], ["Ban Dân vận Huyện ủy Mai Sơn", "Huyện ủy Mai Sơn"]),
    ("Bí thư Huyện ủy Lâm Hà Trần Văn Khải phát biểu", [], ["Huyện ủy Lâm Hà"]),  # the place, then the holder's name
    # a title in capitals or in title case names the unit the body names
    ("BAN TỔ CHỨC TỈNH ỦY TẬP HUẤN NGHIỆP VỤ\nLớp tập huấn do Ban Tổ chức Tỉnh ủy mở.", ["ban-to-chuc"], []),
    ("Đảng Ủy Khối Các Cơ Quan Tỉnh Tổng Kết Năm\nĐảng ủy Khối các cơ quan tỉnh tổng kết.", ["dang-uy-khoi"], []),
    # the full name, with the province, where the body uses the registry's name
    ("Đảng ủy Khối các cơ quan tỉnh Bình Phước sơ kết quý I\nĐảng ủy Khối các cơ quan tỉnh đã kết nạp 40 đảng viên.",
     ["dang-uy-khoi"], []),
])
def test_find_units_names_and_titles(content, text, known, unknown):
    test_find_units(content, text, known, unknown)


@pytest.mark.parametrize("closing, author, author_title, kept", [
    (["Tin, ảnh: Hoàng Yến", "Nguồn: Báo Bình Phước"], "Hoàng Yến", None, ["Nguồn: Báo Bình Phước"]),
    (["Bài và ảnh: Lê Văn Tám"], "Lê Văn Tám", None, []),
    (["Bài, ảnh: Quốc Việt"], "Quốc Việt", None, []),
    (["Tin: Thu Thảo"], "Thu Thảo", None, []),
    (["Ngọc Lan (TTVH-TT huyện)"], "Ngọc Lan", "TTVH-TT huyện", []),
    (["Hồng Nhung", "(Theo Báo Bình Phước)"], "Hồng Nhung", None, ["(Theo Báo Bình Phước)"]),
    (["Đoàn Văn Tư"], "Đoàn Văn Tư", None, []),  # Đoàn is a family name here, not the Youth Union
    # an office signed in capitals is no person: the name beside it, if any, is the author
    (["BAN TUYÊN GIÁO HUYỆN ỦY"], None, None, ["BAN TUYÊN GIÁO HUYỆN ỦY"]),
    (["Văn Phòng Huyện Ủy"], None, None, ["Văn Phòng Huyện Ủy"]),
    (["PHẠM THU HÀ", "BAN TUYÊN GIÁO HUYỆN ỦY"], "Phạm Thu Hà", "BAN TUYÊN GIÁO HUYỆN ỦY", []),
    (["Đỗ Minh Tuấn", "Văn phòng Huyện ủy"], "Đỗ Minh Tuấn", "Văn phòng Huyện ủy", []),
    (["TRẦN VĂN LỘC", "BAN TỔ CHỨC TỈNH ỦY"], "Trần Văn Lộc", "Ban Tổ chức Tỉnh ủy", []),  # the registry's spelling
    # a sentence that opens with an office is body text, not the author's office
    (["Văn phòng Huyện ủy đã chuẩn bị chu đáo cho hội nghị.", "Nguyễn Văn An"], "Nguyễn Văn An", None,
     ["Văn phòng Huyện ủy đã chuẩn bị chu đáo cho hội nghị."]),
    (["Hội Nông dân xã đang nhân rộng mô hình trồng tiêu sạch", "Lê Thu Trang"], "Lê Thu Trang", None,
     ["Hội Nông dân xã đang nhân rộng mô hình trồng tiêu sạch"]),
    (["Vũ Thanh Bình", "Ban Dân vận Huyện ủy được khen thưởng"], None, None, ["Vũ Thanh Bình", "Ban Dân vận Huyện ủy được khen thưởng"]),
    (["Văn phòng Huyện ủy.", "Đỗ Minh Tuấn"], "Đỗ Minh Tuấn", None, ["Văn phòng Huyện ủy."]),  # a full stop ends a sentence
    # office names: capitalised parts with their small words, levels, joiners, or a name the registry knows
    (["Lê Thu Trang", "Hội Cựu chiến binh thị trấn Chơn Thành"], "Lê Thu Trang", "Hội Cựu chiến binh thị trấn Chơn Thành", []),
    (["Phan Minh Đức", "Đảng ủy Khối các cơ quan tỉnh"], "Phan Minh Đức", "Đảng ủy Khối các cơ quan tỉnh", []),
    (["Phan Minh Đức", "ĐUK các cơ quan tỉnh"], "Phan Minh Đức", "ĐUK các cơ quan tỉnh", []),
    (["VĂN PHÒNG HUYỆN ỦY.", "ĐỖ MINH TUẤN"], "Đỗ Minh Tuấn", "VĂN PHÒNG HUYỆN ỦY", []),
])
def test_author_lines(content, tmp_path, closing, author, author_title, kept):
    raw = "\n\n".join(["Huyện ủy Hớn Quản sơ kết quý I", "08:00 02/03/2024", LEAD, *closing]) + "\n"
    out, path, text, meta, body, errors = import_text(content, tmp_path, raw)
    assert errors == []
    assert (meta.get("author"), meta.get("author_title")) == (author, author_title)
    assert [p.strip() for p in body.split("\n\n") if p.strip()][1:] == kept  # kept as plain paragraphs, not captions


@pytest.mark.parametrize("text, terms", [
    ("Đại hội nhiệm kỳ 2020 - 2025", ["2020–2025"]),
    ("Đại hội nhiệm kỳ 2020 đến 2025 và NK 2025 tới 2030", ["2020–2025", "2025–2030"]),
    ("giai đoạn 2021-2023", ["2021–2023"]),
    ("rà soát quy hoạch 2025 – 2030", ["2025–2030"]),  # a bare five-year span reads as a term
    ("tổng kết năm học 2022-2023", []),
    ("niên khóa 2019 - 2023", []),
    ("mùa vụ 2023-2024", []),
    ("kết quả năm 2020-2025", []),
    ("kế hoạch 2016-2019", []),
    ("từ 2020 đến 2025", []),
    # a place ending in "Nam" before the label or the years is no "năm"
    ("Hội Nông dân Việt Nam nhiệm kỳ 2023-2028", ["2023–2028"]),
    ("Đảng bộ tỉnh Hà Nam nhiệm kỳ 2020 - 2025", ["2020–2025"]),
    ("Đảng bộ tỉnh Quảng Nam 2020 - 2025", ["2020–2025"]),
    ("ĐẠI HỘI HỘI NÔNG DÂN VIỆT NAM KHÓA 2023 - 2028", ["2023–2028"]),
    ("NĂM HỌC 2022 - 2027", []),
    ("ket qua nam 2020-2025", []),  # written without marks, in small letters: still "năm"
    ("niên khoá 2019 - 2024", []),  # "khóa" after "niên" is no label
])
def test_find_terms(text, terms):
    assert [t.label for t in find_terms(text)] == terms


def test_related_links_longer_than_the_article_are_cut(content, tmp_path):
    links = [f"Chi bộ ấp {n} sinh hoạt chuyên đề tháng {n}" for n in range(1, 9)]
    raw = "\n".join(["Huyện ủy Hớn Quản sơ kết quý I", "08:00 02/03/2024", LEAD,
                     "Hội nghị thống nhất các nhiệm vụ trọng tâm của quý II.", "Lê Hoàng Phúc", "", "Bài viết liên quan", *links])
    out, path, text, meta, body, errors = import_text(content, tmp_path, raw)
    assert meta["author"] == "Lê Hoàng Phúc"
    assert "liên quan" not in body and "Chi bộ ấp" not in body
    assert "đã bỏ phần cuối trang: Bài viết liên quan" in out


@pytest.mark.parametrize("lines, date, note", [
    # a historical date opening the lead is not the date of the article
    (["Kỷ niệm ngày Quốc khánh", "Ngày 2/9/1945, Chủ tịch Hồ Chí Minh đọc bản Tuyên ngôn độc lập. Chiều 1/9/2025, Đảng ủy xã Tân Khai tổ chức lễ kỷ niệm."],
     "01/09/2025", "01/09/2025"),
    (["Kỷ niệm ngày thành lập Hội", "Ngày 20/10/2010, Hội Phụ nữ xã được công nhận đơn vị xuất sắc.",
      "Sáng 19/10/2024, Đảng ủy xã Tân Khai gặp mặt cán bộ hội qua các thời kỳ."], "19/10/2024", "20/10/2010"),
    (["Kỷ niệm ngày truyền thống", "Ngày 27/7/1947 là ngày Thương binh – Liệt sĩ. Sáng 26/7, Đảng ủy xã Tân Khai thăm các gia đình chính sách năm 2024."],
     "26/07/2024", "năm 2024 lấy từ dòng khác"),
    # two dates months apart in the lead: which one the article is from cannot be told
    (["Sơ kết công tác dân vận", "Ngày 10/1/2024, Đảng ủy xã Tân Khai ban hành kế hoạch. Sáng 20/5/2024, xã sơ kết việc thực hiện."],
     None, "10/01/2024"),
    # a dateline above the title
    (["07:45 15/08/2023", "Đảng ủy xã Tân Khai học tập chuyên đề"], "15/08/2023 07:45", ""),
    (["Chủ nhật, 03/09/2023 20:10", "Đảng ủy xã Tân Khai học tập chuyên đề"], "03/09/2023 20:10", ""),
    # morning and afternoon marks after the time
    (["Đảng ủy xã Tân Khai học tập chuyên đề", "04:30 PM 12/03/2024"], "12/03/2024 16:30", ""),
    (["Đảng ủy xã Tân Khai học tập chuyên đề", "12/03/2024 02:05 CH"], "12/03/2024 14:05", ""),
    (["Đảng ủy xã Tân Khai học tập chuyên đề", "12/03/2024 09:15 SA"], "12/03/2024 09:15", ""),
    (["Đảng ủy xã Tân Khai học tập chuyên đề", "12:10 AM 12/03/2024"], "12/03/2024 00:10", ""),
    # the place and date line of an official text, above or below the title; dates in words; ISO dates
    (["Bình Phước, ngày 12/8/2024", "ĐẢNG ỦY XÃ TÂN KHAI HỌC TẬP CHUYÊN ĐỀ"], "12/08/2024", ""),
    (["Đảng ủy xã Tân Khai học tập chuyên đề", "TP. Đồng Xoài, ngày 05 tháng 03 năm 2025"], "05/03/2025", ""),
    (["Ngày 5 tháng 3 năm 2025", "Đảng ủy xã Tân Khai học tập chuyên đề"], "05/03/2025", ""),
    (["Thứ hai, ngày 5 tháng 3 năm 2025", "Đảng ủy xã Tân Khai học tập chuyên đề"], "05/03/2025", ""),
    (["Đảng ủy xã Tân Khai học tập chuyên đề", "2025-03-05 14:30"], "05/03/2025 14:30", ""),
    (["07:45 15/08/2023", "Bình Phước, ngày 15/8/2023", "Đảng ủy xã Tân Khai học tập chuyên đề"], "15/08/2023 07:45", ""),
])
def test_dates(content, tmp_path, lines, date, note):
    raw = "\n\n".join([*lines, "Các đảng viên thống nhất nội dung sinh hoạt của chi bộ.", "Trần Minh Khoa"]) + "\n"
    out, path, text, meta, body, errors = import_text(content, tmp_path, raw)
    title = next(line for line in lines if not match_dateline(line))
    assert meta["title"] == title
    if date:
        assert f'date: "{date}"' in text and "date" not in str(errors)
    else:
        assert "date" not in meta and "CẦN ĐIỀN: ngày đăng (date)" in out
    if note:
        assert note in out
    else:
        assert "lưu ý ngày" not in out  # "" is in every report: say that no note was given
    assert not any(match_dateline(p) for p in body.split("\n\n"))  # the dateline went into the date


def vntimeh(text: str) -> bytes:
    """Encode text in TCVN3 as Unikey does for the .VnTimeH capitals: a toned capital takes its small letter's byte."""
    small = {ch: ch.lower() for ch in text if not ch.isascii() and ch not in legacy.TCVN3_ENCODE and ch.lower() in legacy.TCVN3_ENCODE}
    return legacy.encode_tcvn3("".join(small.get(ch, ch) for ch in text))


def test_tcvn3_capitals_of_a_vntimeh_font(content, tmp_path):
    raw = vntimeh("ĐẢNG ỦY XÃ TÂN KHAI HỌC TẬP NGHỊ QUYẾT\n10:30 18/07/2024\n"
                  "Sáng ngày 17/7, Đảng ủy xã Tân Khai tổ chức hội nghị học tập nghị quyết cho toàn thể đảng viên.\n"
                  "Các đảng viên viết bài thu hoạch và đăng ký việc làm cụ thể.\nLÝ THỊ NGỌC HÂN\n")
    out, path, text, meta, body, errors = import_text(content, tmp_path, raw)
    assert "(bảng mã: TCVN3)" in out
    assert meta["title"] == "ĐẢNG ỦY XÃ TÂN KHAI HỌC TẬP NGHỊ QUYẾT"
    assert meta["author"] == "Lý Thị Ngọc Hân"
    assert "Các đảng viên viết bài thu hoạch" in body  # lines in small letters stay small


def test_a_file_of_datelines_only_has_no_title(content, tmp_path):
    source = tmp_path / "ngay.txt"
    source.write_text("05/03/2025\n", encoding="utf-8")
    code, out, err = run(content, source, dry_run=True)
    assert code == 0
    assert "title:" not in out and "tiêu đề (title)" in err


@pytest.mark.parametrize("line, shown", [
    ("2025. Năm bản lề của nhiệm kỳ.", "2025\\. Năm bản lề của nhiệm kỳ."),
    ("Khoảng cách&nbsp;giữa hai chữ và dấu &#169; viết ra.", "Khoảng cách&amp;nbsp;giữa hai chữ và dấu &amp;#169; viết ra."),
    ("---", "\\---"),
    ("+5 đảng viên so với năm trước.", "\\+5 đảng viên so với năm trước."),
    ("Hội nghị & đại hội", "Hội nghị & đại hội"),
])
def test_plain_text_that_looks_like_markup_stays_text(line, shown):
    assert escape(line) == shown
    html = markup.convert(markup.make_markdown(), escape(line))
    assert markup.plain_text(html) == line and "<ol" not in html and "<hr" not in html


def test_line_separators_inside_a_line_are_spaces():
    assert clean_line("Hội nghị\u2028cán\u2029bộ\u0085chủ\tchốt\u00a0tỉnh\u200b") == "Hội nghị cán bộ chủ chốt tỉnh"


def test_soft_hyphens_are_removed(content, tmp_path):
    out, path, text, meta, body, errors = import_text(
        content, tmp_path, "Đảng ủy xã Tân Khai học tập chuyên\u00adđề\n\nSáng 1/3/2024, Đảng ủy xã Tân Khai học\u00adtập.\n")
    assert meta["title"] == "Đảng ủy xã Tân Khai học tập chuyênđề" and "\u00ad" not in text


def test_same_title_another_article_gets_the_next_name_the_same_article_is_refused(content, tmp_path):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("Hội nghị Ban Chấp hành Đảng bộ huyện\n\nSáng 3/3/2025, Huyện ủy Hớn Quản họp lần thứ nhất.\n", encoding="utf-8")
    second.write_text("Hội nghị Ban Chấp hành Đảng bộ huyện\n\nSáng 7/4/2025, Huyện ủy Hớn Quản họp lần thứ hai.\n", encoding="utf-8")
    dry_code, dry_out, dry_err = run(content, first, second, first, dry_run=True)
    code, out, err = run(content, first, second, first)
    assert code == dry_code == 1  # the third file is the first one again
    names = sorted(written(content))
    assert names == ["articles/2025/hoi-nghi-ban-chap-hanh-dang-bo-huyen-2.md", "articles/2025/hoi-nghi-ban-chap-hanh-dang-bo-huyen.md"]
    assert "lần thứ hai" in written(content)[names[0]]
    for report in (dry_err, out):  # the dry run names what the real run writes
        assert "hoi-nghi-ban-chap-hanh-dang-bo-huyen-2.md" in report and "bài khác cùng tiêu đề" in report
    assert dry_err.count("bài này đã được nhập") == err.count("bài này đã được nhập") == 1
    again_code, _, again_err = run(content, second, first)  # both again: each is found under its own name
    assert again_code == 1 and again_err.count("bài này đã được nhập") == 2 and sorted(written(content)) == names


def test_word_lock_and_hidden_files_are_not_sources(tmp_path):
    for name in ("bai.txt", "~$bai.docx", ".~lock.bai.docx#", ".an.txt", "bai2.docx"):
        (tmp_path / name).write_bytes(b"x")
    expected = [str(tmp_path / "bai.txt"), str(tmp_path / "bai2.docx")]
    assert importer.expand_sources([str(tmp_path)]) == expected
    assert sorted(importer.expand_sources([str(tmp_path / "*")])) == expected


def test_utf8_with_a_few_broken_bytes_names_the_lines(content, tmp_path):
    text = ("Đảng ủy xã Tân Khai học tập chuyên đề\n\nSáng 1/3/2024, Đảng ủy xã Tân Khai tổ chức hội nghị.\n"
            "Các đảng viên thống nhất nội dung sinh hoạt của chi bộ.\n").encode()
    broken = text.replace("hội".encode(), b"h\xff\xfei")
    source = tmp_path / "hong.txt"
    source.write_bytes(broken)
    code, out, err = run(content, source)
    assert code == 1 and "tệp là UTF-8 nhưng có byte hỏng ở dòng 3" in err and not written(content)
    assert all(not legacy.broken_utf8_lines(encode("Sơ kết công tác kiểm tra của các chi bộ")) for encode in
               (legacy.encode_tcvn3, legacy.encode_vni, legacy.encode_cp1258))   # a legacy file is not "UTF-8 with damage"
