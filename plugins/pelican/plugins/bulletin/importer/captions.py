"""Photos and their captions: a caption is found by its shape and what it says (Ảnh: …, a scene), joined across its
lines, and given to the picture it follows in a Word file."""

from __future__ import annotations

import re

from ..text import canon
from .blocks import Block, Picture, escape
from .lines import SENTENCE_END, is_source

CAPTION_WORDS = 30


# A photo mentioned: "Ảnh: …", "(Ảnh …)", "Ảnh minh họa", "Ảnh TL" (not "hình ảnh:").
_PHOTO = re.compile(r"(?<!hình )(?<!\w)ảnh\s*(?::|minh\s*họa|tư\s*liệu|TL(?!\w))|\(\s*ảnh(?!\w)", re.I)
_CREDIT = re.compile(r"^\(?\s*ảnh\s*:", re.I)  # a line that is only the photo's credit
# How captions open when they describe the photo itself.
_CAPTION_OPENINGS = ("quang cảnh", "toàn cảnh", "một góc", "các đại biểu", "đại biểu", "đồng chí", "các đồng chí", "đ/c")
# Actions a photo shows; one after the first word (the people doing it) makes a scene.
_SCENE = re.compile(
    r"(?<!\w)(?:phát biểu|trao|tặng|chụp ảnh|cắt băng|ra quân|dâng hương|dâng hoa|thăm|tham quan|trình bày|thảo luận"
    r"|biểu quyết|bỏ phiếu|tuyên thệ|chúc mừng|khảo sát|làm việc|chủ trì|hướng dẫn|ký kết|kí kết|trồng cây|dọn vệ sinh"
    r"|quán triệt|khai mạc|bế mạc|phát động"
    r"|tham dự|gắn huy hiệu|giao lưu|biểu diễn|thi đấu|diễn tập|tặng hoa|bắt tay)(?!\w)")


def caption_like(block: Block) -> bool:
    """Tell whether a line has a caption's shape: short, no closing punctuation, not a list item."""
    words = block.text.split()
    return (
        block.kind == "p"
        and 0 < len(words) <= CAPTION_WORDS
        and not block.text.endswith(SENTENCE_END)
        and any(ch.isalpha() for ch in block.text)
    )


def is_caption(block: Block) -> bool:
    """Tell whether a line is a photo's caption: it names a photo, or it has a caption's shape and describes a scene.

    A short line without a full stop alone is not enough: subheadings and sentences that lost their
    full stop look the same.
    """
    if block.kind != "p" or not 0 < len(block.text.split()) <= CAPTION_WORDS or is_source(block.text):
        return False
    if _PHOTO.search(block.text):
        return True
    if not caption_like(block):
        return False
    text = canon(block.text).lower()
    scene = _SCENE.search(text)
    return text.startswith(_CAPTION_OPENINGS) or bool(scene and scene.start() > 0)


def mark_captions(body: list[Block]) -> tuple[list[Block], int]:
    """Render photo captions as italic paragraphs, joining the lines of one caption that stood together."""
    result: list[Block] = []
    count = 0
    for index, block in enumerate(body):
        previous = result[-1] if result else None
        following = body[index + 1] if index + 1 < len(body) else None
        if previous and previous.kind == "caption" and caption_like(block) \
                and (block.text[0].islower() or (previous.group == block.group and _CREDIT.match(block.text))):
            previous.text = f"{previous.text} {block.text}"  # the caption goes on (no paragraph starts small), or its credit
            previous.md = f"*{escape(previous.text)}*"
        elif is_caption(block) or (caption_like(block) and following and following.group == block.group
                                   and _CREDIT.match(following.text)):
            count += 1
            result.append(Block(text=block.text, md=f"*{escape(block.text)}*", kind="caption", group=block.group, line=block.line))
        else:
            result.append(block)
    return result, count


def attach_captions(body: list[Block], pictures: list[Picture]) -> list[Block]:
    """Give each image of a .docx file the short paragraph after it as its caption."""
    result: list[Block] = []
    index = 0
    while index < len(body):
        block = body[index]
        result.append(block)
        following = body[index + 1] if index + 1 < len(body) else None
        if block.kind == "img" and following and following.kind == "p" and len(following.text.split()) <= CAPTION_WORDS \
                and (following.italic or caption_like(following) or _PHOTO.search(following.text)):
            pictures[block.image].caption = following.text
            index += 1
            credit = body[index + 1] if index + 1 < len(body) else None
            if credit and credit.kind == "p" and _CREDIT.match(credit.text) and len(credit.text.split()) <= CAPTION_WORDS:
                pictures[block.image].caption += " " + credit.text
                index += 1
        index += 1
    return result
