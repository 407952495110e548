"""Line breaks in headlines: the syllables of one Vietnamese word, a short name and a year range stay on one line.

Browsers break Vietnamese lines at any space, and a space also separates the syllables of one word: a balanced
headline can end a line with "cán" and start the next with "bộ". The browser cannot tell words from syllables,
so `headline` marks the groups that must not be split, each in `<span class="nowrap">`:
- the words of WORDS, longest first (three syllables, then two), in any case and either tone placement (ủy/uỷ);
- a run of two or three capitalised syllables, the usual shape of a place or person name (Hớn Quản, Lộc Ninh);
- a year range such as 2025–2030, which may otherwise break after its dash.
Everything between the groups keeps its ordinary spaces, so the text itself (and what is copied or indexed) does
not change. `keep_ranges` marks only the year ranges, for running text such as a summary.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from markupsafe import Markup, escape

from .text import canon

# Common words of Party and government news, lower case, one tone placement (text.canon). Written for this project.
WORDS = frozenset(canon(word.strip()) for word in """
    ban chấp hành|ban thường vụ|ban tổ chức|ban tuyên giáo|ban dân vận|ban nội chính|ủy ban|kiểm tra|
    hội đồng|nhân dân|mặt trận|tổ quốc|chủ nghĩa|xã hội|cán bộ|chủ chốt|cốt cán|
    văn phòng|bí thư|chủ tịch|chủ nhiệm|trưởng ban|giám đốc|thường trực|thường vụ|chấp hành|ủy viên|
    đại biểu|đồng chí|lãnh đạo|chỉ đạo|đảng bộ|đảng ủy|đảng viên|đảng phí|chi bộ|chi ủy|cấp ủy|
    tỉnh ủy|huyện ủy|thị ủy|thành ủy|quận ủy|tổ chức|công chức|viên chức|nhân sự|chính quyền|chính trị|
    đoàn thể|cơ quan|đơn vị|doanh nghiệp|khu phố|dân cư|thị trấn|thị xã|thành phố|
    hội nghị|hội thảo|hội trường|đại hội|tổng kết|sơ kết|quán triệt|học tập|nghị quyết|chỉ thị|kết luận|
    quy định|quyết định|hướng dẫn|kế hoạch|chương trình|báo cáo|dự thảo|văn bản|thông báo|thông tin|
    nhiệm kỳ|nhiệm vụ|giải pháp|chỉ tiêu|kết quả|thành công|tốt đẹp|khóa mới|
    quy hoạch|quy trình|luân chuyển|bổ nhiệm|bầu cử|lấy phiếu|tín nhiệm|giới thiệu|ứng cử|đề cử|
    giám sát|kỷ luật|vi phạm|khen thưởng|thi đua|phong trào|chuyên đề|sinh hoạt|
    tuyên truyền|tuyên giáo|dân vận|dân chủ|đoàn kết|thống nhất|phát triển|xây dựng|chỉnh đốn|
    triển khai|thực hiện|rà soát|bổ sung|chuẩn bị|tập huấn|bồi dưỡng|đào tạo|giáo dục|
    y tế|văn hóa|kinh tế|quốc phòng|an ninh|nông thôn|nông nghiệp|công nghiệp|môi trường|
    trực tuyến|trực tiếp|điểm cầu|định hướng|tư tưởng|đạo đức|phong cách|trách nhiệm|chất lượng|
    công tác|cơ sở|cấp trên|cấp dưới|các cấp|toàn tỉnh|toàn huyện|địa bàn|chức danh|chức vụ|
    tập thể|cá nhân|nguồn lực|hiệu quả|nâng cao|đẩy mạnh|tăng cường|đổi mới|hòa thuận|khéo léo|
    chính phủ|quốc hội|trung ương|hình thức|kết hợp|trung học|phổ thông|tiểu ban|điển hình|mô hình|
    nhân rộng|tiêu chí|tiêu chuẩn|đánh giá|xếp loại|hoàn thành|chủ yếu|lộ trình|cao điểm|khẩn trương
""".split("|"))
LONGEST = 3  # syllables in the longest word of WORDS
NAME_SYLLABLES = (2, 3)  # a capitalised run this long is kept together; a longer one is not a name (ALL CAPS titles)
YEAR_RANGE = re.compile(r"\d{4}\s?[–—-]\s?\d{4}")  # 2025–2030, 2025 - 2030: kept on one line (here and in print)
_FOUR_DIGITS = re.compile(r"\d{4}")
_EDGE_PUNCTUATION = "\"'“”‘’«»()[]{},.;:!?…"


# Cached: a title is shown on many pages (home, its units, terms, month, related articles) and working out its words
# took half of the page-writing time. typed: a Markup title and a str of the same text are escaped differently.
@functools.lru_cache(maxsize=1 << 16, typed=True)
def headline(text: str) -> Markup:
    """Return a title as HTML where each word, short name and year range is kept on one line."""
    return _render(_title_groups(text))


@functools.lru_cache(maxsize=1 << 16)  # a title is in several editions, on the cover and in the contents
def headline_text(text: str) -> str:
    """Return a title as plain text where the groups `headline` keeps on one line are joined by no-break spaces, and
    the year ranges between them too (what a browser makes of `headline`'s HTML, each run of text between two groups
    on its own: for the printed edition, which must not look for year ranges in it again)."""
    parts: list[str] = []
    run: list[str] = []  # the groups not kept together (a token each) since the last kept one
    for tokens, keep in _title_groups(text):
        if not keep:
            run.extend(tokens)
            continue
        if run:
            parts.append(years_whole(" ".join(run)))
            run = []
        parts.append("\u00a0".join(tokens))
    if run:
        parts.append(years_whole(" ".join(run)))
    return " ".join(parts)


def years_whole(text: str) -> str:
    """Return text with the spaces inside each year range (2020 – 2025) made no-break spaces."""
    if not _FOUR_DIGITS.search(text):
        return text
    return YEAR_RANGE.sub(lambda found: found[0].replace(" ", "\u00a0"), text)


@functools.lru_cache(maxsize=1 << 16, typed=True)
def _title_groups(text: str) -> tuple[tuple[tuple[str, ...], bool], ...]:
    """Return a title's groups and whether each is kept on one line (cached for the web pages and the printed edition:
    the press, a copy of the build's process, finds the titles the build worked out)."""
    return tuple((tuple(tokens), keep) for tokens, keep in _keep_ranges(_group_words(text.split(" "))))


def keep_ranges(text: str) -> Markup:
    """Return running text as HTML where each year range (2025–2030) stays on one line."""
    return _render(_keep_ranges([[token] for token in text.split(" ")]))


def _group_words(tokens: list[str]) -> list[list[str]]:
    """Group space-separated tokens: dictionary words longest first, then capitalised runs of two or three."""
    groups: list[list[str]] = []
    at = 0
    while at < len(tokens):
        size = _word_at(tokens, at) or _name_at(tokens, at) or 1
        groups.append(tokens[at : at + size])
        at += size
    return groups


def _word_at(tokens: list[str], at: int) -> int:
    """Return how many tokens from `at` make one word of WORDS (0 when none of two syllables or more does)."""
    for size in range(min(LONGEST, len(tokens) - at), 1, -1):
        if _joinable(tokens[at : at + size]) and _key(tokens[at : at + size]) in WORDS:
            return size
    return 0


def _name_at(tokens: list[str], at: int) -> int:
    """Return the length of the capitalised run starting at `at` when it looks like a name (2 or 3 syllables), else 0."""
    size = 0
    while at + size < len(tokens) and _capitalised(tokens[at + size]):
        size += 1
    size = min(size, max(NAME_SYLLABLES) + 1)
    return size if size in NAME_SYLLABLES and _joinable(tokens[at : at + size]) else 0


def _capitalised(token: str) -> bool:
    """Tell whether a token is a syllable written with a capital and then small letters (Hớn, not XIV nor 2025)."""
    bare = token.strip(_EDGE_PUNCTUATION)
    return bare[:1].isupper() and bare[1:].isalpha() and bare[1:].islower()


def _joinable(tokens: list[str]) -> bool:
    """Tell whether tokens can be one group: no punctuation inside (a comma or quote ends a word)."""
    if any(not token for token in tokens):
        return False
    inner_ends = [t[-1] for t in tokens[:-1]] + [t[0] for t in tokens[1:]]
    return not any(ch in _EDGE_PUNCTUATION for ch in inner_ends)


def _key(tokens: list[str]) -> str:
    """Return the dictionary key of tokens: lower case, one tone placement, outer punctuation removed."""
    return canon(" ".join(tokens).strip(_EDGE_PUNCTUATION).lower())


def _keep_ranges(groups: list[list[str]]) -> list[tuple[list[str], bool]]:
    """Mark groups to keep together: words of more than one token, and year ranges (2025–2030, 2025 – 2030)."""
    marked: list[tuple[list[str], bool]] = []
    at = 0
    while at < len(groups):
        for size in (3, 1):  # "2025 – 2030" is three tokens, "2025–2030" one
            joined = [t for group in groups[at : at + size] for t in group]
            if len(groups) - at >= size and YEAR_RANGE.search(" ".join(joined)) and _ranged(joined):
                marked.append((joined, True))
                at += size
                break
        else:
            marked.append((groups[at], len(groups[at]) > 1))
            at += 1
    return marked


def _ranged(tokens: list[str]) -> bool:
    """Tell whether tokens are one year range with at most punctuation around it (not two numbers in a sentence)."""
    return bool(re.fullmatch(r"[^\w]*" + YEAR_RANGE.pattern + r"[^\w]*", " ".join(tokens)))


def _render(marked: Sequence[tuple[Sequence[str], bool]]) -> Markup:
    """Join the groups with spaces; wrap each group kept together in <span class="nowrap">."""
    parts = [Markup('<span class="nowrap">{}</span>').format(" ".join(tokens)) if keep else escape(" ".join(tokens))
             for tokens, keep in marked]
    return Markup(" ").join(parts)
