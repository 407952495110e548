"""Word files (.docx) through mammoth: paragraphs, headings, lists (bold, italic, links kept), tables as Markdown
tables, and the embedded pictures.

A picture is what its bytes say, whatever the file calls it (the rule of content/images, static.py): a JPG, PNG,
GIF, WebP or AVIF is kept as it is, an SVG only rebuilt from the allowlist (svg.rebuild; one that could run code is
refused), a picture over limits.IMAGE_BYTES is never read whole; anything else is not written, and the report says
why for each one.
"""

from __future__ import annotations

from .. import filetypes, limits, static, svg
from ..errors import ImportFailure
from .blocks import Block, Picture, clean_line, escape

WORD = "Word (.docx)"
# Formats Word itself holds that no browser shows, by the content type the file gives them.
WORD_ONLY = {"image/x-emf": "EMF", "image/x-wmf": "WMF", "image/emf": "EMF", "image/wmf": "WMF"}


def picture(data: bytes, content_type: str, alt: str) -> Picture:
    """Make a Picture of an embedded image's bytes (read up to one byte over the limit): kept, rebuilt or refused."""
    found = Picture(data=b"", extension="", alt=alt)
    if len(data) > limits.IMAGE_BYTES:
        found.problem = (f"ảnh lớn hơn {limits.IMAGE_BYTES // limits.MB} MB — không ghi; hãy nén ảnh trong Word (chọn ảnh → "
                         "Định dạng ảnh → Nén ảnh) rồi nhập lại, hoặc thêm ảnh đã thu nhỏ vào bài sau")
        return found
    kind = filetypes.sniff(data[: filetypes.SNIFF_BYTES])
    if kind == "svg":
        try:
            found.data, found.extension = svg.rebuild(data), ".svg"
        except svg.SvgRefused as refused:
            first = refused.problems[0]
            found.problem = f"ảnh SVG bị từ chối, không ghi (dòng {first.line} của ảnh: {svg.refusal(first)})"
        return found
    extensions = filetypes.extensions_of(kind)
    if kind in filetypes.IMAGE_KINDS and extensions:
        found.data, found.extension = data, extensions[0]
    elif kind in {name for name, _ in filetypes.OTHER_IMAGES}:  # HEIC, TIFF, BMP: say how to convert
        found.problem = f"không ghi: {static.ADVICE[kind]}"
    elif content_type in WORD_ONLY:
        found.problem = (f"ảnh {WORD_ONLY[content_type]} của Word, trình duyệt không hiển thị được — không ghi; hãy lưu ảnh "
                         "thành PNG hoặc JPG (bấm chuột phải vào ảnh → Lưu thành ảnh) rồi thêm vào bài")
    else:
        found.problem = f"không phải ảnh ({static.KINDS}) dù tệp Word gọi nó là {content_type or 'ảnh'} — không ghi"
    return found


def docx_blocks(path: str) -> tuple[list[Block], list[Picture]]:
    """Convert a .docx file to blocks (bold, italic and lists kept) and collect its images."""
    import mammoth
    from bs4 import BeautifulSoup

    pictures: list[Picture] = []

    def keep(image) -> dict:
        with image.open() as stream:
            data = stream.read(limits.IMAGE_BYTES + 1)  # never more: one byte over says it is too large
        pictures.append(picture(data, image.content_type or "", clean_line(image.alt_text or "")))
        return {"src": f"bulletin-image:{len(pictures) - 1}"}

    try:
        with open(path, "rb") as handle:
            result = mammoth.convert_to_html(handle, convert_image=mammoth.images.img_element(keep))
    except Exception as error:  # a broken or non-Word file; mammoth raises many kinds
        raise ImportFailure(f"không đọc được tệp Word ({type(error).__name__}) — hãy mở bằng Word và lưu lại dạng .docx") from None
    soup = BeautifulSoup(result.value, "html.parser")
    blocks: list[Block] = []
    for element in soup.find_all(recursive=False):
        blocks.extend(_html_blocks(element))
    return blocks, pictures


def _html_blocks(element) -> list[Block]:
    """Turn one top-level HTML element from mammoth into blocks."""
    name = element.name
    if name in ("ul", "ol"):
        md = _list_md(element, 0)
        return [Block(text=clean_line(element.get_text(" ")), md=md, kind="list")] if md.strip() else []
    if name == "table":
        md = _table_md(element)
        if md:
            return [Block(text=clean_line(element.get_text(" ")), md=md, kind="table")]
        return [b for cell in element.find_all(["p", "td"]) if not cell.find("p") for b in _html_blocks(cell)]
    blocks, parts = [], []
    for child in element.children:
        images = [child] if child.name == "img" else (child.find_all("img") if child.name else [])
        if not images:
            parts.append(child)
            continue
        blocks += _paragraph(parts, name)
        parts = []
        for img in images:
            blocks.append(Block(text="", md="", kind="img", image=int(img.get("src", "").rsplit(":", 1)[-1])))
        if child.name != "img":  # an image inside a link or span: keep the text around it
            for img in images:
                img.decompose()
            parts.append(child)
    return blocks + _paragraph(parts, name)


def _cell_md(cell) -> str:
    """Render a table cell's paragraphs as one line of Markdown."""
    paragraphs = cell.find_all("p") or [cell]
    return clean_line(" ".join("".join(_inline(c) for c in p.children) for p in paragraphs)).replace("|", "\\|")


def _table_md(element) -> str:
    """Render a Word table as a Markdown table (merged cells left empty); "" when it is not a grid of text.

    A table of one row or one column (Word's way to frame a paragraph), or one holding lists, images or
    another table, is left to be read as paragraphs.
    """
    rows = [tr for tr in element.find_all("tr") if tr.find_parent("table") is element]
    if element.find(["table", "img", "ul", "ol"]):
        return ""
    grid: list[list[str]] = []
    below: dict[int, int] = {}  # column -> rows a cell above still covers
    for tr in rows:
        row: list[str] = []
        for cell in tr.find_all(["td", "th"], recursive=False):
            _covered(row, below)
            text = _cell_md(cell)
            down = _span(cell, "rowspan")
            for extra in range(_span(cell, "colspan")):
                if down > 1:
                    below[len(row)] = down - 1
                row.append("" if extra else text)
        _covered(row, below)
        grid.append(row)
    width = max(map(len, grid), default=0)
    if len(grid) < 2 or width < 2 or not any(any(row) for row in grid[1:]):
        return ""
    lines = ["| " + " | ".join(row + [""] * (width - len(row))) + " |" for row in grid]
    lines.insert(1, "|" + " --- |" * width)
    return "\n".join(lines)


def _covered(row: list[str], below: dict[int, int]) -> None:
    """Fill the row's next columns that a cell of a row above still covers (rowspan) with empty cells."""
    while below.get(len(row), 0) > 0:
        below[len(row)] -= 1
        row.append("")


def _span(cell, name: str) -> int:
    """Return a cell's rowspan or colspan (1 when absent or not a number)."""
    value = str(cell.get(name, "1"))
    return max(1, min(int(value), 100)) if value.isdigit() else 1


def _paragraph(parts: list, name: str) -> list[Block]:
    """Make one text block from inline HTML nodes."""
    md = clean_line("".join(_inline(p) for p in parts))
    text = clean_line("".join(p.get_text() if hasattr(p, "get_text") else str(p) for p in parts))
    if not text:
        return []
    italic = all(getattr(p, "name", None) == "em" or not str(p).strip() for p in parts)
    if name and name[0] == "h" and name[1:].isdigit():
        return [Block(text=text, md="## " + md, kind="h")]
    return [Block(text=text, md=md, italic=italic)]


def _inline(node) -> str:
    """Render inline HTML (strong, em, links) as Markdown."""
    name = getattr(node, "name", None)
    if name is None:
        return escape(str(node))
    if name == "br":
        return " "
    if name == "img":
        return ""
    inner = "".join(_inline(c) for c in node.children)
    if name in ("strong", "b", "em", "i"):
        mark = "**" if name in ("strong", "b") else "*"
        core = inner.strip()
        if not core:
            return inner
        lead, trail = inner[: len(inner) - len(inner.lstrip())], inner[len(inner.rstrip()):]
        return f"{lead}{mark}{core}{mark}{trail}"
    if name == "a" and node.get("href", "").startswith(("http://", "https://")):
        return f"[{inner}]({node['href']})"
    return inner


def _list_md(element, depth: int) -> str:
    """Render a (nested) list as Markdown."""
    lines = []
    for number, item in enumerate(element.find_all("li", recursive=False), 1):
        marker = f"{number}." if element.name == "ol" else "-"
        nested = list(item.find_all(["ul", "ol"], recursive=False))
        for sub in nested:
            sub.extract()
        text = clean_line("".join(_inline(c) for c in item.children))
        lines.append("    " * depth + f"{marker} {text}")
        lines += [_list_md(sub, depth + 1) for sub in nested]
    return "\n".join(line for line in lines if line.strip())
