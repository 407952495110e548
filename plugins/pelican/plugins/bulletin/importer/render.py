"""What an import writes and says: the Markdown file (front matter with what was found, then the body) and the
report that tells the editor what was found and what to fill in."""

from __future__ import annotations

from ..registry import unit_choices
from ..scaffold import quote_yaml
from .article import Article
from .blocks import escape
from .word import WORD


def render(article: Article) -> str:
    """Return the Markdown file: front matter with what was found, then the body."""
    lines = ["---"]
    if article.title:
        lines.append(f"title: {quote_yaml(article.title)}")
    if article.date.moment:
        lines.append(f"date: {quote_yaml(article.date.written)}")
    if article.units.known:
        lines += ["units:"] + [f"  - {u.code}" for u in article.units.known]
    if article.terms:
        lines += ["terms:"] + [f"  - {quote_yaml(t.label)}" for t in article.terms]
    if article.author:
        lines.append(f"author: {quote_yaml(article.author)}")
    if article.author_title:
        lines.append(f"author_title: {quote_yaml(article.author_title)}")
    if article.missing:
        lines.append(f"# Cần điền: {', '.join(FIELD_NAMES[m] for m in article.missing)}; xong thì xóa dòng status dưới đây.")
    if article.units_guessed:
        lines.append("# Đơn vị được đoán từ các tên bài nhắc tới: hãy kiểm tra units; đúng thì xóa dòng status dưới đây.")
    if article.missing or article.units_guessed:
        lines.append("status: draft")
    lines += ["---", ""]
    for block in article.body:
        if block.kind == "img":
            picture = article.pictures[block.image]
            if not picture.path:  # not written: its caption stays, as a caption without a photo
                lines += [f"*{escape(picture.caption)}*", ""] if picture.caption else []
                continue
            caption = picture.caption
            alt = caption or picture.alt or "Ảnh"
            quote = "'" if '"' in caption and "'" not in caption else '"'
            title = f" {quote}{caption}{quote}" if caption and quote not in caption else ""
            lines += [f"![{escape(alt)}]({picture.path}{title})", ""]
        elif block.md:
            lines += [block.md, ""]
    return "\n".join(lines).rstrip("\n") + "\n"


FIELD_NAMES = {"title": "tiêu đề (title)", "date": "ngày đăng (date)", "units": "đơn vị (units)",
               "body": "nội dung bài (dưới dòng --- thứ hai)"}
SHOWN_CAPTIONS = 3


def report(article: Article, target: str, shown: str) -> list[str]:
    """Describe, in Vietnamese, what was found and what the editor must fill in."""
    source_kind = article.encoding.replace(WORD, "tệp Word") if article.encoding.startswith(WORD) else f"bảng mã: {article.encoding}"
    lines = [f"{shown} → {target} ({source_kind})"]
    if article.title:
        lines.append(f"  tiêu đề: {article.title}")
    if article.date.moment:
        lines.append(f"  ngày đăng: {article.date.written}")
    if article.date.note:
        lines.append(f"  lưu ý ngày: {article.date.note}")
    if article.units.known:
        lines.append("  đơn vị: " + "; ".join(f"{u.name} ({u.code})" for u in article.units.known))
    for span, units in article.units.ambiguous:
        lines.append(f'  "{span}" viết không dấu, ứng với nhiều đơn vị: {unit_choices(units, quoted=False)} — hãy chọn')
    for name, near in article.units.unknown:
        hint = f" — gần nhất: {unit_choices(near, quoted=False)}" if near else ""
        lines.append(f'  tên đơn vị chưa có trong danh sách: "{name}"{hint}')
    if article.terms:
        lines.append("  nhiệm kỳ: " + ", ".join(t.label for t in article.terms))
    if article.author:
        lines.append(f"  tác giả: {article.author}" + (f" ({article.author_title})" if article.author_title else ""))
    if article.renamed_from:
        lines.append(f"  đã có tệp {article.renamed_from} (bài khác cùng tiêu đề) — bài này lưu tên khác; hãy sửa tiêu đề nếu cần")
    tables = sum(1 for b in article.body if b.kind == "table")
    if tables:
        lines.append(f"  bảng: {tables} — đã chuyển thành bảng Markdown, hãy xem lại")
    if article.captions:
        lines.append(f"  chú thích ảnh: {article.captions}")
    lone = article.lone_captions
    if lone:
        shown = "; ".join(f"«{c}»" for c in lone[:SHOWN_CAPTIONS]) + (f" và {len(lone) - SHOWN_CAPTIONS} chú thích khác"
                                                                      if len(lone) > SHOWN_CAPTIONS else "")
        lines.append(f"  chú thích không có ảnh đi kèm ({len(lone)}): {shown} — ảnh không có trong tệp nguồn hoặc không "
                     "được ghi; hãy thêm ảnh vào content/images/<năm>/ và chèn vào bài, hoặc xóa dòng chú thích")
    images = [p.path for p in article.pictures if p.path]
    if images:
        lines.append("  ảnh: " + ", ".join(images))
    for number, picture in enumerate(article.pictures, 1):
        if picture.problem:
            lines.append(f"  ảnh thứ {number} trong tệp Word: {picture.problem}")
    if article.removed:
        lines.append(f"  đã bỏ phần cuối trang: {' / '.join(article.removed[:5])}")
    if article.missing:
        lines.append(f"  CẦN ĐIỀN: {', '.join(FIELD_NAMES[m] for m in article.missing)} — bài để ở trạng thái nháp (status: draft)")
    if article.units_guessed:
        lines.append("  ĐƠN VỊ CHỈ LÀ ĐOÁN: tiêu đề và dòng tác giả không nêu đơn vị nào, units lấy từ các tên bài nhắc tới — "
                     "bài để ở trạng thái nháp (status: draft); hãy kiểm tra units rồi xóa dòng status: draft")
    if not article.missing and not article.units_guessed:
        lines.append("  đủ các khóa bắt buộc — hãy đọc lại bài trước khi đăng")
    return lines
