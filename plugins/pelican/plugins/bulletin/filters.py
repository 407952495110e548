"""Jinja filters for Vietnamese dates, numbers and structured data; templates display, they do not compute."""

from __future__ import annotations

import json
import re

from markupsafe import Markup

from .dates import format_date, format_datetime, format_month, format_short_date
from .images import is_card, picture_filter
from .wrapping import headline, keep_ranges

# Characters that must not appear raw inside <script> (they could close it or open a comment).
_SCRIPT_SAFE = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def iso(moment) -> str:
    """Return an ISO 8601 timestamp for <time datetime> and metadata."""
    return moment.isoformat()


def number(value: int) -> str:
    """Format a count the Vietnamese way (1.234)."""
    return f"{value:,}".replace(",", ".")


def file_size(size: int) -> str:
    """Format a file size the Vietnamese way: 850 KB, 1,2 MB."""
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} KB"
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")


def tel_href(phone) -> str:
    """Return the tel: address of a phone number as people write it (0271 000 0000 -> tel:02710000000)."""
    return "tel:" + re.sub(r"[^\d+]", "", str(phone))


def script_json(data) -> Markup:
    """Serialise data as JSON that is safe inside a <script> element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.translate(_SCRIPT_SAFE))


def news_article_json(article, siteurl: str, sitename: str) -> Markup:
    """Return schema.org NewsArticle JSON-LD for an article."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": article.date.isoformat(),
        "inLanguage": "vi",
        "url": f"{siteurl}/{article.url}",
        "mainEntityOfPage": f"{siteurl}/{article.url}",
        "publisher": {"@type": "Organization", "name": sitename},
        "description": article.summary,
        "about": [unit.name for unit in article.units],
    }
    if article.byline:
        data["author"] = {"@type": "Person", "name": article.byline}
    if getattr(article, "og_image", None) and not is_card(article.og_image):
        data["image"] = article.og_image.src
    elif article.image:
        data["image"] = f"{siteurl}/{article.image.path}"
    return script_json(data)


FILTERS = {
    "vn_date": format_date,
    "vn_datetime": format_datetime,
    "vn_short_date": format_short_date,
    "vn_month": lambda moment: format_month(moment.year, moment.month),
    "vn_month_of": lambda pair: format_month(*pair),
    "iso": iso,
    "vn_number": number,
    "news_article_json": news_article_json,
    "picture": picture_filter,
    "headline": headline,
    "keep_ranges": keep_ranges,
    "tel_href": tel_href,
    "vn_size": file_size,
}
