"""Broken and hostile content: a clear Vietnamese message naming the file (and line), a failed build where it is an
error, no traceback, and the previous site left exactly as it was. Some inputs are not errors and must just work."""

from __future__ import annotations

import hashlib
import io
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import ROOT, UNITS_YML, article, build_into, run_invoke, write_content
from pelican.plugins.bulletin import build as builder
from pelican.plugins.bulletin import limits
from pelican.plugins.bulletin.check import check_content
from pelican.plugins.bulletin.errors import display_path
from pelican.plugins.bulletin.finishers import FINISHERS

GOOD = {
    "articles/2022/hoi-nghi.md": article(),
    "pages/gioi-thieu.md": '---\ntitle: "Giới thiệu"\n---\n\nBản tin của đơn vị.\n',
    "images/anh.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>',
}
BAD = "articles/2022/bai-loi.md"
# A Vietnamese letter with a mark: an English or empty message fails the test.
VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]")


def front(*lines: str, body: str = "Nội dung.") -> str:
    """Return an article whose front matter is exactly these lines."""
    return "\n".join(["---", *lines, "---", "", body, ""])


def valid(**changes) -> list[str]:
    """Return the front-matter lines of a valid article with some lines replaced (None drops a key)."""
    lines = {"title": 'title: "Hội nghị"', "date": 'date: "04/04/2022"', "units": "units: [huyen-uy-hon-quan]"}
    lines.update(changes)
    return [line for line in lines.values() if line is not None]


@dataclass
class Case:
    """One kind of bad input: the files it writes and what the editor must be told."""

    files: dict = field(default_factory=dict)
    says: tuple[str, ...] = ()  # every one of these is in the message
    line: int | None = None  # the line the message names (None: no line check)
    path: str = BAD  # the file the message names
    units: str | None = UNITS_YML


CASES = {
    # Front matter and YAML
    "no-front-matter": Case({BAD: "Chỉ có nội dung, không có phần khai báo.\n"}, ("bắt đầu bằng dòng ---",), 1),
    "unclosed-front-matter": Case({BAD: '---\ntitle: "Hội nghị"\n\nNội dung.\n'}, ("thiếu dòng --- đóng",), 1),
    "yaml-unclosed-quote": Case({BAD: front('title: "Hội nghị', 'date: "04/04/2022"', "units: [huyen-uy-hon-quan]")}, ("ngoặc kép",), 2),
    "yaml-colon-in-value": Case({BAD: front("title: Hội nghị: bàn việc", *valid(title=None))}, ("dấu hai chấm",), 2),
    "yaml-tab-indent": Case({BAD: front(*valid(units="units:\n\t- huyen-uy-hon-quan"))}, ("Tab",), 5),
    "yaml-uneven-indent": Case({BAD: front(*valid(date=' date: "04/04/2022"'))}, ("thụt lề",), 3),
    "yaml-undefined-alias": Case({BAD: front(*valid(), "tags: *chung")}, ("dấu *",), 5),
    "yaml-list-not-mapping": Case({BAD: front("- title", "- date")}, ("khóa: giá trị",), 2),
    "unknown-key": Case({BAD: front(*valid(), 'titel: "x"')}, ('khóa "titel" không hợp lệ', '"title"'), 5),
    "duplicate-key": Case({BAD: front(*valid(), 'title: "Lần hai"')}, ('khóa "title" bị lặp',), 5),
    "missing-title": Case({BAD: front(*valid(title=None))}, ('thiếu khóa bắt buộc "title"',), 1),
    "missing-date": Case({BAD: front(*valid(date=None))}, ('thiếu khóa bắt buộc "date"',), 1),
    "missing-units": Case({BAD: front(*valid(units=None))}, ('thiếu khóa bắt buộc "units"',), 1),
    "empty-title": Case({BAD: front(*valid(title='title: ""'))}, ('"title" để trống',), 2),
    "title-is-a-list": Case({BAD: front(*valid(title="title: [a, b]"))}, ('"title" phải là một chuỗi chữ',), 2),
    "units-is-a-mapping": Case({BAD: front(*valid(units="units: {a: b}"))}, ('"units" phải là một chuỗi chữ',), 4),
    "title-too-long": Case({BAD: front(*valid(title=f'title: "{"Hội nghị " * 40}"'))}, ("rút gọn",), 2),
    # Values
    "impossible-date": Case({BAD: front(*valid(date='date: "31/02/2022"'))}, ("31/02/2022",), 3),
    "two-digit-year": Case({BAD: front(*valid(date='date: "05/03/25"'))}, ("năm hai chữ số", "bốn chữ số"), 3),
    "unknown-unit": Case({BAD: front(*valid(units='units: ["Huyen uy Hon Quan 2"]'))}, ("không có trong", "Huyện ủy Hớn Quản"), 4),
    "reversed-term": Case({BAD: front(*valid(), 'terms: ["2025-2020"]')}, ("2025",), 5),
    "short-term": Case({BAD: front(*valid(), "terms:", '  - "2020-2025"', '  - "2020-25"')}, ("không đúng dạng", "có phải 2020–2025?"), 7),
    "bad-status": Case({BAD: front(*valid(), 'status: "publish"')}, ('"published"', '"draft"'), 5),
    "non-ascii-slug": Case({BAD: front(*valid(), 'slug: "Hội nghị"')}, ('có phải "hoi-nghi"',), 5),
    "missing-image": Case({BAD: front(*valid(), "image: images/khong-co.svg")}, ("không tìm thấy ảnh",), 5),
    # A file that is there under a name the editor cannot tell apart: its letters in NFD (macOS, zip tools), capitals
    "image-name-in-nfd": Case({unicodedata.normalize("NFD", "images/Hội trường.svg"): GOOD["images/anh.svg"],
                               BAD: front(*valid(), 'image: "images/Hội trường.svg"')}, ("trông giống hệt", "mã Unicode khác"), 5),
    "body-image-in-other-capitals": Case({"images/So-Do.svg": GOOD["images/anh.svg"],
                                          BAD: front(*valid(), body="![Sơ đồ](images/so-do.svg)")},
                                         ('"So-Do.svg"', "chữ hoa, chữ thường"), 7),
    "image-escapes-content": Case({BAD: front(*valid(), "image: ../../../etc/passwd.png")}, ("nằm ngoài thư mục nội dung",), 5),
    "image-not-an-image": Case({BAD: front(*valid(), "image: units.yml")}, ("không phải định dạng ảnh",), 5),
    "caption-without-image": Case({BAD: front(*valid(), 'image_caption: "Ảnh"')}, ('"image_caption" cần đi kèm "image"',), 5),
    # Bytes
    "control-character": Case({BAD: front(*valid(title='title: "Hội\x07nghị"'))}, ("U+0007",), 2),
    "bidi-override": Case({BAD: front(*valid(), body="Nội dung \u202eđảo chiều.")}, ("U+202E",), 7),
    "empty-file": Case({BAD: ""}, ("tệp rỗng",), 1),
    "whitespace-only-file": Case({BAD: "  \n\n\t\n"}, ("tệp rỗng",), 1),
    "binary-file": Case({BAD: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"}, ("tệp nhị phân",), 1),
    "not-utf8": Case({BAD: front(*valid(title='title: "Hội nghị"')).encode("utf-8").replace("ộ".encode(), b"\xf4\xa3")}, ("UTF-8",), 2),
    "title-control-escape": Case({BAD: front(*valid(title='title: "Hội\\u0007nghị"'))}, ("U+0007",), 2),
    "unit-control-escape": Case({BAD: front(*valid(units='units: ["huyen-uy-hon-quan\\a"]'))}, ("U+0007",), 4),
    "one-year-term": Case({BAD: front(*valid(), 'terms: ["2025-2026"]')}, ("dài 1 năm", "có phải 2025–2030?"), 5),
    "wrong-year-folder": Case({"articles/2021/bai-loi.md": front(*valid())}, ("thư mục năm 2021", "năm 2022", "2022/"), 3,
                              path="articles/2021/bai-loi.md"),
    "slug-too-long": Case({BAD: front(*valid(), f'slug: "{"a" * 300}"')}, ("tối đa 200",), 5),
    "deeply-nested-list": Case({BAD: front(*valid(), body="- " * 10_000 + "x")}, ("lồng nhau quá sâu",), 7),
    "deeply-indented-list": Case({BAD: front(*valid(), body="\n".join("    " * i + "- mục" for i in range(300)))},
                                 ("lồng nhau quá sâu",), 24),
    "unclosed-brackets": Case({BAD: front(*valid(), body="Đoạn đầu.\n\n" + "[" * 5000 + "x")}, ("dấu ngoặc vuông",), 9),
    "paragraph-too-long": Case({BAD: front(*valid(), body="Đảng bộ *a* [b](c) " * 2000)}, ("tối đa 10.000",), 7),
    "ten-megabyte-article": Case({BAD: front(*valid(), body="Đoạn văn rất dài. " * 600_000)}, ("tệp quá lớn",), 1),
    # Addresses
    # the file that sorts later is named, with the one whose address it takes
    "duplicate-url": Case({BAD: front(*valid(), 'slug: "hoi-nghi"')}, ("trùng", "/2022/04/hoi-nghi/", "bai-loi.md"), 1,
                          path="articles/2022/hoi-nghi.md"),
    "slug-takes-an-index-page": Case({"pages/don-vi.md": '---\ntitle: "Đơn vị"\n---\n\nx\n'}, ("trùng với một trang mục lục",), 1, path="pages/don-vi.md"),
    "slug-takes-the-web-editor": Case({"pages/quan-tri.md": '---\ntitle: "Quản trị"\n---\n\nx\n'},
                                      ("/quan-tri/ trùng với trình soạn thảo trên web",), 1, path="pages/quan-tri.md"),
    "symlink-outside-content": Case({}, ("ra ngoài thư mục nội dung",), 1),
    "symlink-loop": Case({}, ("liên kết thư mục", "vòng lặp", "hãy xóa liên kết"), 1, path="articles/2022/vong"),
    "utf16-article": Case({BAD: article().encode("utf-16")}, ("UTF-16", "lưu lại với mã hóa UTF-8"), 1),
    "utf16-article-without-mark": Case({BAD: article().encode("utf-16-le")}, ("UTF-16",), 1),
    "svg-with-script": Case({"images/bieu-do.svg": '<svg xmlns="http://www.w3.org/2000/svg">\n<script>alert(1)</script>\n</svg>'},
                            ("ảnh SVG chứa mã chạy được", "<script"), 2, path="images/bieu-do.svg"),
    "svg-with-event-handler": Case({"images/bieu-do.svg": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'},
                                   ("onload",), 1, path="images/bieu-do.svg"),
    # Files Pelican would skip without a word: a wrong extension or folder, a Word file, a photo beside the articles
    "extension-in-capitals": Case({"articles/2022/bai.MD": article()}, ('đuôi tệp không phải .md', 'đổi tên thành "bai.md"'), 1,
                                  path="articles/2022/bai.MD"),
    "markdown-saved-as-txt": Case({"articles/2022/bai.txt": article()}, ('đổi tên thành "bai.md"',), 1, path="articles/2022/bai.txt"),
    "notepad-double-extension": Case({"articles/2022/bai.md.txt": article()}, ('đổi tên thành "bai.md"',), 1,
                                     path="articles/2022/bai.md.txt"),
    "mkd-extension": Case({"pages/lien-he.mkd": '---\ntitle: "Liên hệ"\n---\n'}, ('đổi tên thành "lien-he.md"',), 1,
                          path="pages/lien-he.mkd"),
    "article-outside-articles": Case({"bai.md": article()}, ("không nằm trong", "articles/<năm>/"), 1, path="bai.md"),
    "article-outside-articles-in-capitals": Case({"bai.MD": article()}, ("articles/<năm>/", 'đổi tên thành "bai.md"'), 1, path="bai.MD"),
    "word-file-in-articles": Case({"articles/2022/bai.docx": b"PK\x03\x04"}, ("invoke import", "articles/2022/bai.docx"), 1,
                                  path="articles/2022/bai.docx"),
    "old-word-file": Case({"articles/2022/bai.doc": b"\xd0\xcf\x11\xe0"}, ("lưu lại dạng .docx", "invoke import"), 1,
                          path="articles/2022/bai.doc"),
    "plain-text-in-articles": Case({"articles/2022/bai.txt": "Hội nghị cán bộ\n\nNội dung.\n"}, ("invoke import",), 1,
                                   path="articles/2022/bai.txt"),
    "photo-beside-articles": Case({"articles/2022/anh.jpg": b"\xff\xd8\xff"}, ("images/<năm>/",), 1, path="articles/2022/anh.jpg"),
    "pdf-beside-articles": Case({"articles/2022/quy-che.pdf": b"%PDF-1.4"}, ("không được đưa lên trang", "images/"), 1,
                                path="articles/2022/quy-che.pdf"),
    # The unit registry
    "units-yaml-error": Case({}, ("units.yml:",), 2, path="units.yml", units="- code: a\n  name: A: B\n"),
    "units-duplicate-code": Case({}, ("ban-to-chuc",), UNITS_YML.count("\n") + 1, path="units.yml",
                                 units=UNITS_YML + "    - code: ban-to-chuc\n      name: Ban khác\n"),
    "units-missing": Case({}, ("units.yml",), path="units.yml", units=None),
}


def hashes(folder: Path) -> dict[str, str]:
    """Return {relative path: sha256} of every file below a folder."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def prepare(tmp_path: Path, name: str, case: Case) -> Path:
    """Write the good site's content, build it once; then add the bad input. Return the content folder."""
    content = tmp_path / "content"
    write_content(content, GOOD)
    if name == "symlink-outside-content":
        outside = tmp_path / "ngoai.md"
        outside.write_text(article(), encoding="utf-8")
        (content / BAD).symlink_to(outside)
    if name == "symlink-loop":  # Pelican follows links: it would read the articles again under every longer path
        (content / "articles" / "2022" / "vong").symlink_to("..", target_is_directory=True)
    return content


@pytest.fixture
def previous(build_site):
    """The previous site: a good build whose output every bad build must leave untouched."""
    site = build_site(GOOD)
    assert site.outcome.ok, site.outcome.errors
    return site


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_refused_clearly_and_keeps_the_previous_site(previous, tmp_path, name):
    case = CASES[name]
    before = hashes(previous.output)
    prepare(tmp_path, name, case)
    units = case.units if name.startswith("units-") else UNITS_YML
    if units is None:
        os.remove(previous.content / "units.yml")
    write_content(previous.content, case.files, units=units)
    outcome = build_into(previous.content, previous.output, finishers=FINISHERS)
    assert not outcome.ok
    assert hashes(previous.output) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".output.tmp-")]
    text = "\n".join(outcome.errors)
    assert "Traceback" not in text and "lỗi nội bộ" not in text
    shown = str(previous.content / case.path)
    mine = [e for e in outcome.errors if e.startswith(shown)]
    assert mine, f"không có lỗi nào nêu {case.path}: {outcome.errors}"
    for needle in case.says:
        assert any(needle in e for e in mine), f"{needle!r} không có trong {mine}"
    assert all(VIETNAMESE.search(e.split(": ", 1)[1]) for e in mine)
    if case.path == "units.yml":  # a broken registry is one error, not one more per article
        assert all(e.startswith(shown + ":") for e in outcome.errors), outcome.errors
    if case.line is not None:
        assert any(e.startswith(f"{shown}:{case.line}:") for e in mine), mine


@pytest.mark.parametrize("name, text", [
    ("bom", "\ufeff" + article()),
    ("crlf", article().replace("\n", "\r\n")),
    ("bom-and-crlf", "\ufeff" + article().replace("\n", "\r\n")),
    ("old-mac-cr", article().replace("\n", "\r")),
    ("nfd-text", article().replace("ộ", "o\u0323\u0302")),
])
def test_harmless_encodings_just_work(build_site, name, text):
    site = build_site({"articles/2022/bai.md": text})
    assert site.outcome.ok, site.outcome.errors
    soup = site.html("2022/04/bai/")
    assert soup.h1.get_text() == "Hội nghị cán bộ"


@pytest.mark.parametrize("name", [
    ".DS_Store", "._bai.md", "~$bai.docx", "~WRL0001.tmp", "bai.md~", ".bai.md.swp", "#bai.md#", "Thumbs.db", "desktop.ini",
    "bai.md.bak", ".~lock.bai.docx#", "ANH.BAK", "Bai.Md.TMP", "THUMBS.DB",
])
def test_what_editors_tools_leave_beside_their_files_is_neither_an_error_nor_published(build_site, name):
    site = build_site({**GOOD, f"articles/2022/{name}": b"\x00\x01", f"pages/{name}": b"\x00", name: b"\x00",
                       f"images/{name}": b"\x00"})
    assert site.outcome.ok, site.outcome.errors
    assert not site.exists(f"images/{name}")


def office_package() -> bytes:
    """Return the bytes of a minimal Word package (what a .docx file is: a ZIP with a content-type list)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        package.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize("name", ["articles/2022/bai.markdown", "tai-lieu/quy-che.pdf", "tai-lieu/bai.docx"])
def test_files_that_are_published_are_not_errors(build_site, name):
    data = {".markdown": article(), ".pdf": b"%PDF-1.4\n", ".docx": office_package()}[os.path.splitext(name)[1]]
    site = build_site({**GOOD, name: data})
    assert site.outcome.ok, site.outcome.errors
    assert site.exists("2022/04/bai/" if name.endswith(".markdown") else name.removeprefix("articles/"))


def test_a_file_name_with_spaces_and_vietnamese_letters_builds_with_an_ascii_address(build_site):
    site = build_site({"articles/2022/Hội nghị cán bộ tháng 4.md": article()})
    assert site.outcome.ok, site.outcome.errors
    assert site.exists("2022/04/hoi-nghi-can-bo-thang-4/")


def test_script_injection_in_the_body_is_cleaned_with_a_warning_not_an_error(build_site):
    site = build_site({"articles/2022/bai.md": article(body='<p>Chữ</p>\n\n<script>alert(1)</script>\n\n<img src="images/anh.svg" alt="" onerror="alert(2)">'),
                       "images/anh.svg": GOOD["images/anh.svg"]})
    assert site.outcome.ok, site.outcome.errors
    assert not site.html("2022/04/bai/").select(".article-body script, [onerror]")
    assert site.html("2022/04/bai/").select_one(".article-body img")["src"] == "/images/anh.svg"
    assert len(site.outcome.notices) == 2 and all("bai.md:" in n for n in site.outcome.notices)


def test_script_injection_in_every_metadata_field_builds_as_text(build_site):
    hostile = '\\"><script>alert(1)</script>'
    site = build_site({"articles/2022/bai.md": article(title=f"T {hostile}", summary=f"S {hostile}", author=f"A {hostile}",
                                                       author_title=f"AT {hostile}", tags=[f"K {hostile}"])})
    assert site.outcome.ok, site.outcome.errors
    soup = site.html("2022/04/bai/")
    assert soup.h1.get_text() == 'T "><script>alert(1)</script>'
    assert not [s for s in soup.find_all("script") if not s.get("src") and s.get("type") != "application/ld+json"]


def test_a_bad_image_does_not_hide_the_unit_check(build_site):
    site = build_site({BAD: front(*valid(units='units: ["khong-co"]')),
                       "images/x.svg": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'})
    assert any("images/x.svg:1:" in e for e in site.outcome.errors)
    assert any(f"{BAD}:4:" in e and '"khong-co"' in e for e in site.outcome.errors)


def test_every_error_in_a_file_is_reported_at_once(build_site):
    site = build_site({BAD: front('title: ""', 'date: "32/13/2022"', 'units: ["khong-co"]', 'titel: "x"')})
    assert not site.outcome.ok
    lines = sorted(int(e.split(":")[1]) for e in site.outcome.errors if BAD in e)
    assert lines == [2, 3, 4, 5]


@pytest.mark.parametrize(("built_before", "summary"), [
    (True, "Dừng: 1 lỗi, trang cũ trong {output} được giữ nguyên."),
    (False, "Dừng: 1 lỗi, chưa có trang nào được dựng vào {output}."),  # a first build has no old site to keep
])
def test_the_failure_summary_says_whether_an_old_site_is_kept(build_site, built_before, summary):
    if built_before:
        assert build_site(GOOD).outcome.ok
    site = build_site({**GOOD, BAD: front(*valid(date='date: "31/02/2022"'))})
    stream = io.StringIO()
    builder.report(site.outcome, stream)
    assert stream.getvalue().splitlines()[-1] == summary.format(output=display_path(str(site.output)))


# The real command line, for a representative subset: exit code, message on stderr, no traceback, output kept.
CLI_CASES = ["yaml-tab-indent", "unknown-unit", "binary-file", "duplicate-url", "units-yaml-error", "symlink-outside-content",
             "symlink-loop"]


@pytest.mark.slow
@pytest.mark.parametrize("name", CLI_CASES)
def test_invoke_build_refuses_bad_input(tmp_path, name):
    case = CASES[name]
    content, output = tmp_path / "content", tmp_path / "output"
    write_content(content, GOOD)
    build = ("build", "--content", str(content), "--output", str(output))
    first = run_invoke(*build)
    assert first.returncode == 0, first.stderr
    before = hashes(output)
    prepare(tmp_path, name, case)
    write_content(content, case.files, units=case.units if name.startswith("units-") else UNITS_YML)
    result = run_invoke(*build)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert str(content / case.path) in result.stderr
    assert all(any(needle in line for line in result.stderr.splitlines()) for needle in case.says)
    assert "trang cũ" in result.stderr and "giữ nguyên" in result.stderr
    assert hashes(output) == before


@pytest.mark.slow
def test_invoke_build_refuses_a_missing_content_folder(tmp_path):
    result = run_invoke("build", "--content", str(tmp_path / "khong-co"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "không có thư mục nội dung" in result.stderr


AGREEING = ["wrong-year-folder", "one-year-term", "title-control-escape", "unit-control-escape", "slug-too-long", "deeply-nested-list", "deeply-indented-list",
            "unclosed-brackets", "paragraph-too-long", "control-character", "ten-megabyte-article", "svg-with-script",
            "symlink-loop", "utf16-article", "slug-takes-the-web-editor", "image-name-in-nfd", "body-image-in-other-capitals"]


@pytest.mark.parametrize("name", AGREEING)
def test_check_reports_exactly_what_the_build_refuses(previous, tmp_path, name):
    prepare(tmp_path, name, CASES[name])
    write_content(previous.content, CASES[name].files)
    outcome = build_into(previous.content, previous.output)
    checked = check_content(str(ROOT / "pelicanconf.py"), str(previous.content), [])
    assert not outcome.ok
    assert sorted(outcome.errors) == sorted(str(e) for e in checked)


def test_a_folder_link_loop_is_one_error_naming_the_link(previous, tmp_path):
    prepare(tmp_path, "symlink-loop", CASES["symlink-loop"])
    outcome = build_into(previous.content, previous.output)
    assert outcome.errors == [f'{previous.content}/articles/2022/vong:1: "articles/2022/vong" là liên kết thư mục trỏ '
                              "ngược lên thư mục articles/ chứa chính nó (một vòng lặp: các tệp trong đó sẽ bị đọc lại "
                              "vô số lần) — hãy xóa liên kết này"]


@pytest.mark.slow
def test_an_article_at_the_size_limit_in_the_costliest_allowed_shape_builds(build_site):
    """Every paragraph just under the limits, each packed with links and emphasis (the shapes whose cost grew
    faster than their length): the whole Markdown path must be linear for this to finish."""
    paragraph = ("Đảng bộ *a* [b](c) " * 600)[: limits.PARAGRAPH_CHARS - 100] + " [" * (limits.UNCLOSED_BRACKETS // 2)
    count = limits.ARTICLE_BYTES // (len(paragraph.encode("utf-8")) + 2) - 1
    site = build_site({"articles/2022/dai.md": article(body="\n\n".join([paragraph] * count))})
    assert site.outcome.ok, site.outcome.errors[:3]
    assert len(site.html("2022/04/dai/").select("article p a[href='c']")) == count * paragraph.count("[b](c)")


@pytest.mark.parametrize(("body", "says"), [
    ("![Ảnh](https://example.org/anh.jpg)", "lấy từ trang khác"),
    ('<img src="//example.org/anh.jpg" alt="Ảnh">', "lấy từ trang khác"),
    ("![Ảnh](../../etc/passwd)", "không nằm trong thư mục images/"),
    ('<img src="/tmp/anh.png" alt="Ảnh">', "không nằm trong thư mục images/"),
    ("![Ảnh](images/khong-co.png)", "không tìm thấy tệp"),
])
def test_an_image_that_is_no_file_of_the_content_folder_is_an_error_in_check_and_build(build_site, body, says):
    site = build_site({"articles/2022/bai.md": article(body=f"Đoạn đầu.\n\n{body}\n")})
    path = site.content / "articles/2022/bai.md"
    checked = [str(e) for e in check_content(str(ROOT / "pelicanconf.py"), str(site.content), [])]
    assert site.outcome.errors == checked
    assert len(checked) == 1 and checked[0].startswith(f"{path}:10: ") and says in checked[0], checked
