"""`invoke import` under hostile and oversized files: pictures in a Word file are what their bytes say (SVGs rebuilt
or refused, anything else not written), sizes are checked before the expensive work (zip directory first, nothing
unpacked beyond it), and nothing it writes is refused by `invoke check` afterwards.

Every file is made by the test and small on disk (a 30 MB part compresses to a few dozen KB, a 50 MB text file is
sparse). The refusals come before anything is read in full: the sizes are read from the file system and the zip
directory, so a test only has to show that the import stops with the limit named and writes nothing.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import ROOT, build_into, png
from pelican.plugins.bulletin import importer, limits, svg
from pelican.plugins.bulletin.check import check_content
from pelican.plugins.bulletin.registry import load_registry
from test_static_files import CLEAN, HOSTILE, raw

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 1, 1, tzinfo=ZONE)
TITLE = "Huyện ủy Hớn Quản tập huấn nghiệp vụ công tác đảng"
HTML_AS_PNG = b"<!DOCTYPE html><html><body><script>alert(document.domain)</script></body></html>"


def run_import(content: Path, *paths: Path, dry_run: bool = False) -> tuple[int, str, str]:
    """Import files into a content folder; return the exit code, the report and the errors."""
    registry, _ = load_registry(str(content / "units.yml"))
    out, err = io.StringIO(), io.StringIO()
    code = importer.run([str(p) for p in paths], str(content), registry, ZONE, dry_run=dry_run, now=NOW, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def nothing_written(content: Path) -> bool:
    """Tell whether the content folder holds only its registry."""
    return sorted(p.name for p in content.iterdir()) == ["units.yml"]


def word_file(path: Path, pictures: list[tuple[bytes, str, str]] = (), paragraphs: int = 1) -> Path:
    """Write a .docx: a title, a dateline, a lead, then each picture (bytes, extension, content type) with a caption.

    python-docx embeds real PNGs; their parts are then replaced by the given bytes under the given name and type,
    as a hostile file would carry them.
    """
    import docx

    document = docx.Document()
    document.add_paragraph(TITLE)
    document.add_paragraph("08:00 12/05/2025")
    for _ in range(paragraphs):
        document.add_paragraph("Sáng 12/5, Huyện ủy Hớn Quản tổ chức lớp tập huấn nghiệp vụ cho cán bộ các chi bộ.")
    for number in range(len(pictures)):
        document.add_picture(io.BytesIO(png(4, 4, (number * 9 % 256, 40, 40))))
        document.add_paragraph().add_run(f"Chú thích ảnh số {number + 1}").italic = True
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    for number, (data, extension, content_type) in enumerate(pictures, 1):
        old, new = f"media/image{number}.png", f"media/image{number}{extension}"
        del parts[f"word/{old}"]
        parts[f"word/{new}"] = data
        rels = "word/_rels/document.xml.rels"
        parts[rels] = parts[rels].replace(f'Target="{old}"'.encode(), f'Target="{new}"'.encode())
        types = parts["[Content_Types].xml"].decode()
        if f'Extension="{extension[1:]}"' not in types:
            default = f'<Default Extension="{extension[1:]}" ContentType="{content_type}"/>'
            parts["[Content_Types].xml"] = types.replace("<Default ", default + "<Default ", 1).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return path


# 1. Pictures: type from the bytes; SVGs rebuilt or refused; anything else not written.

def test_hostile_pictures_in_a_word_file_are_never_written(tmp_path, registry_content):
    names = sorted(HOSTILE)
    pictures = [(raw(HOSTILE[name][0]), ".svg", "image/svg+xml") for name in names]
    pictures += [(HTML_AS_PNG, ".png", "image/png"),  # a page calling itself a PNG
                 (CLEAN.encode("utf-8"), ".svg", "image/svg+xml"),  # a drawing program's SVG: published rebuilt
                 (png(6, 6, (10, 120, 200)), ".png", "image/png"),
                 (b"\x00\x00\x00\x18ftypheic" + bytes(64), ".jpg", "image/jpeg")]  # an iPhone photo named .jpg
    source = word_file(tmp_path / "bai.docx", pictures)
    code, out, err = run_import(registry_content, source)
    assert code == 0, err
    images = sorted((registry_content / "images" / "2025").iterdir(), key=lambda p: p.suffix)
    assert [p.suffix for p in images] == [".png", ".svg"]
    assert images[0].read_bytes() == pictures[-2][0]
    assert images[1].read_bytes() == svg.rebuild(CLEAN.encode("utf-8"))
    reported = dict(re.findall(r"^  ảnh thứ (\d+) trong tệp Word: (.*)$", out, re.M))
    for number, name in enumerate(names, 1):
        assert reported[str(number)].startswith("ảnh SVG bị từ chối, không ghi"), (name, reported)
        assert HOSTILE[name][2].lower() in reported[str(number)].lower(), (name, reported[str(number)])
    assert "không phải ảnh" in reported[str(len(names) + 1)] and "image/png" in reported[str(len(names) + 1)]
    assert "HEIC" in reported[str(len(names) + 4)]
    assert len(reported) == len(names) + 2
    # The refused pictures' captions stay in the article, and the report names them as captions without a photo.
    text = next((registry_content / "articles").rglob("*.md")).read_text(encoding="utf-8")
    assert "*Chú thích ảnh số 1*" in text and f"chú thích không có ảnh đi kèm ({len(names) + 2})" in out
    assert "alert" not in "".join(p.read_text(encoding="utf-8", errors="replace") for p in images)
    assert check_content(str(ROOT / "pelicanconf.py"), str(registry_content), []) == []


# 3. Sizes, before the expensive work.

def test_a_word_file_holding_30_mb_of_xml_is_refused_from_its_zip_directory(tmp_path, registry_content):
    source = word_file(tmp_path / "bom.docx")
    paragraph = "<w:p><w:r><w:t>Đảng bộ huyện Hớn Quản tổ chức hội nghị.</w:t></w:r></w:p>" * 1000
    with zipfile.ZipFile(source, "a", zipfile.ZIP_DEFLATED) as package, package.open("word/footnotes.xml", "w") as part:
        for _ in range(30 * limits.MB // len(paragraph.encode())):
            part.write(paragraph.encode())
    assert source.stat().st_size < 200 * 1024
    code, out, err = run_import(registry_content, source)
    assert code == 1
    assert re.search(r"phần chữ của tệp Word lớn 3\d MB khi giải nén \(tệp chỉ 0,\d MB\) — tối đa 10 MB", err), err
    assert "hãy tách bài" in err
    assert nothing_written(registry_content)


def test_a_part_that_unpacks_beyond_its_listed_size_is_never_unpacked_further(tmp_path, registry_content):
    source = word_file(tmp_path / "noi-doi.docx")
    data = bytearray(source.read_bytes())
    name = data.rindex(b"word/document.xml")  # its name in the zip directory, at the end of the file
    entry = data.rindex(b"PK\x01\x02", 0, name)  # the directory entry: the size unpacked at offset 24
    assert entry + 46 == name
    struct.pack_into("<I", data, entry + 24, 100)
    source.write_bytes(bytes(data))
    code, out, err = run_import(registry_content, source)
    assert code == 1 and "không đọc được tệp Word" in err
    assert nothing_written(registry_content)


def test_a_62_kb_word_file_with_a_60_mb_png_is_refused_before_anything_is_written(tmp_path, registry_content):
    huge = png(4, 4, (1, 2, 3))[:-12] + bytes(60 * limits.MB)  # a PNG's head, then 60 MB that compress to nothing
    source = word_file(tmp_path / "anh-lon.docx", [(huge, ".png", "image/png")])
    assert source.stat().st_size < 100 * 1024
    code, out, err = run_import(registry_content, source)
    assert code == 1
    assert "word/media/image1.png" in err and "lớn 60 MB" in err and "tối đa 20 MB" in err and "Nén ảnh" in err
    assert nothing_written(registry_content)


@pytest.mark.parametrize("megabytes, shown", [(50, "50 MB"), (3, "3,0 MB")])
def test_a_text_file_over_the_limit_is_refused_before_it_is_read(tmp_path, registry_content, megabytes, shown):
    source = tmp_path / "dai.txt"
    with open(source, "wb") as handle:
        handle.write(f"{TITLE}\n\n".encode())
        handle.truncate(megabytes * limits.MB)  # sparse: nothing written to the disk
    code, out, err = run_import(registry_content, source)
    assert code == 1
    assert f"tệp văn bản lớn {shown}" in err and "tối đa 1,0 MB" in err and "tách thành nhiều bài" in err
    assert nothing_written(registry_content)


LEAD = "Sáng 12/5, Huyện ủy Hớn Quản tổ chức lớp tập huấn nghiệp vụ công tác đảng cho cán bộ các chi bộ trực thuộc."


@pytest.mark.parametrize("name, body, says", [
    ("text-over-an-article", (LEAD + "\n\n") * (limits.ARTICLE_BYTES // len(LEAD.encode()) + 10), "phần chữ dài 1,0 MB"),
    # under the limit as text, over it as Markdown: every * is written \\*
    ("markdown-over-an-article", ("*" * 90 + "\n\n") * (limits.ARTICLE_BYTES // 92 - 200), "bài sẽ ghi dài"),
    ("paragraph-over-the-limit", LEAD * 100, "dòng 10: đoạn văn dài 10.700 ký tự — tối đa 10.000"),
])
def test_an_article_check_would_refuse_is_never_written(tmp_path, registry_content, name, body, says):
    source = tmp_path / f"{name}.txt"
    source.write_text(f"{TITLE}\n08:00 12/05/2025\n\n{LEAD}\n\n{body}\n", encoding="utf-8")
    code, out, err = run_import(registry_content, source, dry_run=True)
    assert code == 1 and says in err, err
    code, out, err = run_import(registry_content, source)
    assert code == 1 and says in err, err
    assert nothing_written(registry_content)


def test_a_long_article_under_every_limit_is_imported_and_passes_check(tmp_path, registry_content):
    source = tmp_path / "dai.txt"
    paragraphs = (LEAD + "\n\n") * (limits.ARTICLE_BYTES // 2 // len(LEAD.encode()))
    source.write_text(f"{TITLE}\n08:00 12/05/2025\n\n{paragraphs}", encoding="utf-8")
    code, out, err = run_import(registry_content, source)
    assert code == 0, err
    assert check_content(str(ROOT / "pelicanconf.py"), str(registry_content), []) == []


# 5. Drafts: units only guessed, no body; captions left without their photo.

@pytest.mark.parametrize("title, closing, draft", [
    (TITLE, "", False),  # the title names the unit
    ("Lớp tập huấn nghiệp vụ công tác đảng", "Trần Minh Khoa, Huyện ủy Hớn Quản", False),  # the author's office
    ("Lớp tập huấn nghiệp vụ công tác đảng", "Trần Minh Khoa", True),  # only the body mentions it
])
def test_units_only_guessed_from_the_body_make_a_draft(tmp_path, registry_content, title, closing, draft):
    source = tmp_path / "bai.txt"
    source.write_text(f"{title}\n08:00 12/05/2025\n\n{LEAD}\n\nCác học viên thảo luận sôi nổi.\n\n{closing}\n", encoding="utf-8")
    code, out, err = run_import(registry_content, source)
    assert code == 0, err
    text = next((registry_content / "articles").rglob("*.md")).read_text(encoding="utf-8")
    assert ("status: draft" in text) == draft
    assert ("ĐƠN VỊ CHỈ LÀ ĐOÁN" in out) == draft
    assert "huyen-uy-hon-quan" in text
    assert check_content(str(ROOT / "pelicanconf.py"), str(registry_content), []) == []


def test_a_title_alone_makes_a_draft_that_asks_for_the_body(tmp_path, registry_content):
    source = tmp_path / "chi-tieu-de.txt"
    source.write_text(f"{TITLE}\n08:00 12/05/2025\n", encoding="utf-8")
    code, out, err = run_import(registry_content, source)
    assert code == 0, err
    assert "CẦN ĐIỀN: nội dung bài" in out
    assert "status: draft" in next((registry_content / "articles").rglob("*.md")).read_text(encoding="utf-8")
    assert check_content(str(ROOT / "pelicanconf.py"), str(registry_content), []) == []


def test_captions_of_a_web_page_whose_photos_were_lost_are_reported(tmp_path, registry_content):
    source = tmp_path / "trang-web.txt"
    source.write_text(f"{TITLE}\n08:00 12/05/2025\n\n{LEAD}\n\nQuang cảnh lớp tập huấn\n\nCác học viên thảo luận.\n\n"
                      "Đồng chí Bí thư Huyện ủy phát biểu bế mạc (Ảnh: Minh Khoa)\n", encoding="utf-8")
    code, out, err = run_import(registry_content, source)
    assert code == 0, err
    assert ("chú thích không có ảnh đi kèm (2): «Quang cảnh lớp tập huấn»; «Đồng chí Bí thư Huyện ủy phát biểu bế mạc "
            "(Ảnh: Minh Khoa)»") in out
    assert build_into(registry_content, tmp_path / "output").ok
