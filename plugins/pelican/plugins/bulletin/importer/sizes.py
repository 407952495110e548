"""Limits an import checks before the expensive work (limits.py holds them): the size of the source file; for a Word
file, the sizes its zip directory lists before anything is unpacked; and the article it would write, checked with the
schema's own rules before it is written, so that `invoke check` never refuses what `invoke import` wrote.

Each refusal is an ImportFailure in Vietnamese naming the limit and what to do; nothing is written.
"""

from __future__ import annotations

import os
import zipfile

from .. import limits
from ..errors import ImportFailure
from ..registry import Registry
from ..schema import Context, parse_document

XML_PARTS = (".xml", ".rels")  # what mammoth parses; the other parts of a .docx are pictures and fonts


def megabytes(size: int) -> str:
    """Write a size in MB the Vietnamese way (1,5 MB; 30 MB)."""
    value = size / limits.MB
    return (f"{value:.1f}".replace(".", ",") if value < 10 else limits.number(round(value))) + " MB"


def check_source(path: str) -> None:
    """Refuse a source file too large to import (a .txt, a .docx and the parts its zip directory lists)."""
    size = os.path.getsize(path)
    if path.lower().endswith(".docx"):
        if size > limits.WORD_FILE_BYTES:
            raise ImportFailure(f"tệp Word lớn {megabytes(size)} — tối đa {megabytes(limits.WORD_FILE_BYTES)}; hãy nén ảnh "
                                "trong Word (chọn ảnh → Định dạng ảnh → Nén ảnh) hoặc tách bài rồi nhập lại")
        check_package(path)
    elif size > limits.TEXT_FILE_BYTES:
        raise ImportFailure(f"tệp văn bản lớn {megabytes(size)} — một bài viết tối đa {megabytes(limits.ARTICLE_BYTES)} "
                            "chữ; hãy tách thành nhiều bài (mỗi bài một tệp) rồi nhập lại")


def check_package(path: str) -> None:
    """Refuse a .docx whose zip directory lists too many parts, too much text to parse or too much to unpack."""
    try:
        with zipfile.ZipFile(path) as package:
            parts = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportFailure("không đọc được tệp Word (không phải tệp .docx hợp lệ) — hãy mở bằng Word và lưu lại dạng "
                            ".docx") from None
    if len(parts) > limits.WORD_PARTS:
        raise ImportFailure(f"tệp Word gồm {limits.number(len(parts))} phần — tối đa {limits.number(limits.WORD_PARTS)}; "
                            "đây không phải một bài viết thường: hãy mở bằng Word, chép phần chữ sang tệp mới rồi nhập lại")
    text = sum(p.file_size for p in parts if p.filename.lower().endswith(XML_PARTS))
    if text > limits.WORD_TEXT_BYTES:
        raise ImportFailure(f"phần chữ của tệp Word lớn {megabytes(text)} khi giải nén (tệp chỉ {megabytes(os.path.getsize(path))}) "
                            f"— tối đa {megabytes(limits.WORD_TEXT_BYTES)}; một bài viết dài nhất cũng chỉ cần khoảng 2 MB: "
                            "hãy tách bài, hoặc mở bằng Word, chép phần chữ sang tệp mới (chỉ giữ chữ) rồi nhập lại")
    for part in parts:
        if part.file_size > limits.IMAGE_BYTES and not part.filename.lower().endswith(XML_PARTS):
            raise ImportFailure(f"ảnh {part.filename} trong tệp Word lớn {megabytes(part.file_size)} khi giải nén — tối đa "
                                f"{megabytes(limits.IMAGE_BYTES)} một ảnh; hãy nén ảnh trong Word (chọn ảnh → Định dạng ảnh "
                                "→ Nén ảnh) rồi nhập lại")
    unpacked = sum(p.file_size for p in parts)
    if unpacked > limits.WORD_UNPACKED_BYTES:
        raise ImportFailure(f"tệp Word giải nén ra {megabytes(unpacked)} — tối đa {megabytes(limits.WORD_UNPACKED_BYTES)}; "
                            "hãy nén ảnh trong Word (Định dạng ảnh → Nén ảnh) hoặc tách bài rồi nhập lại")


def check_text(text: str) -> None:
    """Refuse a source whose text alone is longer than an article may be (before the slower steps read it)."""
    size = len(text.encode("utf-8"))
    if size > limits.ARTICLE_BYTES:
        raise ImportFailure(f"phần chữ dài {megabytes(size)} — một bài viết tối đa {megabytes(limits.ARTICLE_BYTES)}; hãy "
                            "tách thành nhiều bài (mỗi bài một tệp) rồi nhập lại")


def check_article(markdown: str, target: str, content: str, registry: Registry, zone) -> None:
    """Refuse an article that `invoke check` would refuse: too large, over a Markdown limit, or any schema error."""
    size = len(markdown.encode("utf-8"))
    if size > limits.ARTICLE_BYTES:
        raise ImportFailure(f"bài sẽ ghi dài {megabytes(size)} — một bài viết tối đa {megabytes(limits.ARTICLE_BYTES)}; "
                            "hãy tách tệp nguồn thành nhiều bài rồi nhập lại")
    context = Context(registry=registry, zone=zone, content_dir=content)
    doc = parse_document(markdown, target, "article", context)
    if doc.errors:
        problems = "; ".join(f"dòng {e.line}: {e.message}" for e in sorted(doc.errors)[:3])
        more = f" (và {len(doc.errors) - 3} lỗi khác)" if len(doc.errors) > 3 else ""
        raise ImportFailure(f"bài sẽ ghi ra có lỗi mà invoke check sẽ từ chối — {problems}{more}; hãy sửa tệp nguồn "
                            "(xem trước bằng --dry-run) rồi nhập lại")
