"""Where everything lives: the content folder's layout, every address of the site and which content is published.

Every other module asks here: the reader and check (is_published), the generator and check (output_path, the
index pages that no article or page may take), the templates (Links), verify (the pages it samples), `invoke new`
and the importer (where a new article and its images go).
"""

from __future__ import annotations

import os
import re

# Folders of the content folder (pelicanconf.py's ARTICLE_PATHS, PAGE_PATHS and STATIC_PATHS name the same): the
# static ones are images/ (photos, illustrations) and tai-lieu/ (documents attached to articles: PDF, Word…).
ARTICLES, PAGES, IMAGES, DOCUMENTS = "articles", "pages", "images", "tai-lieu"

# Every address of the site (relative to SITEURL); "{...}" fields are filled per article, unit, term or period.
# Articles and pages are written by Pelican: pelicanconf.py's ARTICLE_URL and PAGE_URL say the same (a test checks).
URLS = {
    "article": "{year}/{month:02d}/{slug}/",
    "page": "{slug}/",
    "home": "",
    "units": "don-vi/",
    "unit": "don-vi/{code}/",
    "unit_feed": "don-vi/{code}/atom.xml",
    "terms": "nhiem-ky/",
    "term": "nhiem-ky/{code}/",
    "term_feed": "nhiem-ky/{code}/atom.xml",
    "archives": "luu-tru/",
    "year": "{year}/",
    "month": "{year}/{month:02d}/",
    "search": "tim-kiem/",
    "search_index": "tim-kiem/chi-muc/",  # the search index's files (searchindex.py), fetched by the search page
    "edition": "ban-in/{code}/{year}/{month:02d}/",  # a unit's printed monthly edition: its page and its PDF
    "edition_pdf": "ban-in/{code}/{year}/{month:02d}/ban-tin-{code}-{year}-{month:02d}.pdf",
    "editor": "quan-tri/",  # the web editor (cms.py), only when BULLETIN_EDITOR names a backend; never in the sitemap
    "not_found": "404.html",
}
# The code of the whole site's edition when the registry has several roots (with one root, the root's edition is the
# site's); a unit with this code is an error then (editions.py).
SITE_EDITION = "toan-trang"
_FIELDS = {"year": r"\d{4}", "month:02d": r"\d{2}", "code": r"[^/]+", "slug": r"[^/]+"}


def save_as(url: str) -> str:
    """Return the output file of a URL (folders get index.html)."""
    return url + "index.html" if url.endswith("/") else url


# Files besides the index pages that no article or page may take, with what is there instead (for the message): the
# web editor is written whenever one is configured (invoke edit always), over whatever page Pelican wrote there.
SITE_FILES = {save_as(URLS["editor"]): "trình soạn thảo trên web"}


def file_pattern(kind: str) -> re.Pattern:
    """Match the output files of one kind of address (URLS[kind], any code, year or slug)."""
    parts = re.split(r"\{([^}]+)\}", save_as(URLS[kind]))
    parts[::2] = [re.escape(text) for text in parts[::2]]
    parts[1::2] = [_FIELDS[name] for name in parts[1::2]]
    return re.compile("".join(parts) + r"\Z")


class Links:
    """URL builders for templates: `links.unit(unit)`, `links.month(2022, 4)`…, all relative to SITEURL."""

    units = URLS["units"]
    terms = URLS["terms"]
    archives = URLS["archives"]
    search = URLS["search"]

    @staticmethod
    def unit(unit) -> str:
        """Return the URL of a unit's page (unit object or code)."""
        return URLS["unit"].format(code=getattr(unit, "code", unit))

    @staticmethod
    def unit_feed(unit) -> str:
        """Return the URL of a unit's Atom feed."""
        return URLS["unit_feed"].format(code=getattr(unit, "code", unit))

    @staticmethod
    def term(term) -> str:
        """Return the URL of a term's page."""
        return URLS["term"].format(code=term.code)

    @staticmethod
    def term_feed(term) -> str:
        """Return the URL of a term's Atom feed."""
        return URLS["term_feed"].format(code=term.code)

    @staticmethod
    def year(year: int) -> str:
        """Return the URL of a year's archive."""
        return URLS["year"].format(year=year)

    @staticmethod
    def month(year: int, month: int) -> str:
        """Return the URL of a month's archive."""
        return URLS["month"].format(year=year, month=month)

    @staticmethod
    def edition(edition) -> str:
        """Return the URL of a printed edition's page (editions.Edition: code, year, month)."""
        return URLS["edition"].format(code=edition.code, year=edition.year, month=edition.month)

    @staticmethod
    def edition_pdf(edition) -> str:
        """Return the URL of a printed edition's PDF."""
        return URLS["edition_pdf"].format(code=edition.code, year=edition.year, month=edition.month)


def index_files(units, terms, periods: dict[int, list[int]]) -> list[str]:
    """Return the output file of every page the index generator writes: the fixed ones, one per unit code and term,
    one per year and month of `periods` ({year: [months]}). No article or page may be written at one of them."""
    links = Links()
    urls = [links.units, links.terms, links.archives, links.search, URLS["home"], URLS["not_found"]]
    urls += [links.unit(code) for code in units]
    urls += [links.term(term) for term in terms]
    for year, months in periods.items():
        urls.append(links.year(year))
        urls += [links.month(year, month) for month in months]
    return [save_as(url) for url in urls]


def output_path(kind: str, settings: dict, **fields) -> str:
    """Return the file Pelican writes an article or page to (its {KIND}_SAVE_AS setting, filled in)."""
    return settings[f"{kind.upper()}_SAVE_AS"].format(**fields)


def is_published(kind: str, meta: dict, state) -> bool:
    """Tell whether a checked file goes on the site now: not a draft and, for an article, not dated after the
    build's moment (a preview shows those, marked as scheduled). Files with errors never do, whatever this says."""
    if meta.get("status") == "draft":
        return False
    return kind != "article" or not (meta.get("date") and state.withheld(meta["date"]))


def article_file(content: str, year: int, slug: str) -> str:
    """Return the path of a new article: content/articles/<yyyy>/<slug>.md."""
    return os.path.join(content, ARTICLES, str(year), slug + ".md")


def image_folder(year: int) -> str:
    """Return the folder, relative to the content folder, that an article's images of that year go in."""
    return f"{IMAGES}/{year}"
