"""What a line of the source is, whatever it says: a sentence, the credit of the source it was taken from, a person's
name (shared by the author, caption and unit finders)."""

from __future__ import annotations

import re

from ..text import canon

# How a sentence ends. A line that ends in a bracket, "(Ảnh: Minh Trí)", may still be a caption: ")" is no full stop.
SENTENCE_END = (".", ";", ":", "!", "?", "…", "./.", '"', "”")

# Common Vietnamese family names, for telling a person's name after a unit.
SURNAMES = frozenset(
    "nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý lí đinh trương mai tạ đào đoàn lương lâm "
    "trịnh hà cao lưu chu tô châu quách thái tống kiều triệu nông mạc phùng vương thân từ diệp lại hứa khổng lục "
    "giang tăng doãn lữ lã thạch".split())
_NAME_WORD = re.compile(r"^[^\W\d_]+$")
_SOURCE = re.compile(r"^\(?\s*(?:nguồn(?:\s+tin)?\s*:|theo\s+(?:báo(?!\s+cáo)|đài|cổng\s+thông\s+tin|trang|tạp\s+chí|TTXVN|VOV|VTV)(?!\w))", re.I)


def is_source(text: str) -> bool:
    """Tell whether a line names where the article was taken from (Nguồn: Báo …, Theo Báo …)."""
    return bool(_SOURCE.match(canon(text))) and len(text.split()) <= 15


def is_name(text: str, capitals: bool = False) -> bool:
    """Tell whether text is a person's name: two to five words, each capitalised (or all in capitals)."""
    words = text.split()
    if not 2 <= len(words) <= 5 or not all(_NAME_WORD.match(w) for w in words):
        return False
    if capitals:
        return all(w.isupper() for w in words)
    return all(w[0].isupper() and (len(w) == 1 or w[1:].islower()) for w in words)
