"""`invoke new`: write a new article file with valid front matter, never over an existing file."""

from __future__ import annotations

import json
import os
from datetime import datetime
from zoneinfo import ZoneInfo

from .dates import parse_date
from .errors import DateError, ScaffoldError, TermError
from .registry import Registry, Unit, unit_choices
from .schema import title_problem
from .terms import parse_term
from .text import fold, nfc, slugify
from .urls import article_file

MAX_SLUG = 80
DATE_FORMAT = "%d/%m/%Y %H:%M"


def resolve_unit(registry: Registry, text: str, registry_path: str = "content/units.yml") -> Unit:
    """Find a unit by code, name, alias or unaccented spelling; otherwise explain with the closest units."""
    wanted = " ".join(text.split())
    unit = registry.resolve(wanted)
    if unit:
        return unit
    folded = fold(wanted)
    matches = {u.code: u for u in registry.units.values()
               for label in (u.code, u.name, u.short_name, *u.aliases) if label and fold(" ".join(label.split())) == folded}
    if len(matches) == 1:
        return next(iter(matches.values()))
    if matches:
        options = unit_choices(sorted(matches.values(), key=lambda u: u.code))
        raise ScaffoldError(f'đơn vị "{wanted}" viết không dấu ứng với nhiều đơn vị: {options} — hãy ghi mã đơn vị')
    near = registry.suggest(wanted)
    hint = f" — có phải {unit_choices(near)}?" if near else " — hãy xem danh sách đơn vị trong tệp này"
    raise ScaffoldError(f'đơn vị "{wanted}" không có trong {registry_path}{hint}')


def make_slug(title: str) -> str:
    """Return the file name of a title: ASCII, cut at a word boundary."""
    slug = slugify(title)
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG].rsplit("-", 1)[0]
    return slug


def quote_yaml(value: str) -> str:
    """Write a string as a YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def front_matter(title: str, moment: datetime, unit: Unit, term_label: str | None) -> str:
    """Return the text of a new article: front matter and an empty body (so a draft: an empty published article is an error)."""
    lines = [
        "---",
        f"title: {quote_yaml(title)}",
        f"date: {quote_yaml(moment.strftime(DATE_FORMAT))}",
        "units:",
        f"  - {unit.code}  # {unit.name}",
    ]
    if term_label:
        lines += ["terms:", f"  - {quote_yaml(term_label)}"]
    lines += [
        "# Bản nháp: bài chưa có nội dung nên chưa được đăng; viết xong thì xóa dòng status dưới đây.",
        "status: draft",
        "# Các khóa không bắt buộc — bỏ dấu # ở đầu dòng và điền:",
        '# author: "Họ và tên tác giả"',
        '# author_title: "Đơn vị công tác của tác giả"',
        '# summary: "Một hai câu tóm tắt bài viết"',
        "---",
        "",
        "",
    ]
    return "\n".join(lines)


def new_article(content: str, registry: Registry, zone: ZoneInfo, title: str, unit: str, term: str | None = None,
                date: str | None = None, now: datetime | None = None, registry_path: str = "content/units.yml") -> str:
    """Write content/articles/<yyyy>/<slug>.md for a new article and return its path."""
    title = " ".join(nfc(title or "").split())
    if not title:
        raise ScaffoldError('thiếu tiêu đề — hãy ghi --title "Tiêu đề bài viết"')
    problem = title_problem(title)
    if problem:
        raise ScaffoldError(problem)
    found = resolve_unit(registry, nfc(unit or ""), registry_path)
    try:
        moment = parse_date(nfc(date), zone) if date else (now or datetime.now(zone)).astimezone(zone)
    except DateError as error:
        raise ScaffoldError(str(error)) from None
    try:
        term_label = parse_term(nfc(term)).label if term else None
    except TermError as error:
        raise ScaffoldError(str(error)) from None
    slug = make_slug(title)
    if not slug:
        raise ScaffoldError("tiêu đề không tạo được tên tệp — hãy dùng tiêu đề có chữ cái hoặc chữ số")
    path = article_file(content, moment.year, slug)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(front_matter(title, moment.replace(second=0, microsecond=0), found, term_label))
    except FileExistsError:
        raise ScaffoldError(f"đã có tệp {path} — không ghi đè; hãy đổi tiêu đề hoặc sửa tệp đó") from None
    return path
