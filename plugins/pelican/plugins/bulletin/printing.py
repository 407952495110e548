"""The printed edition: each edition (editions.py) laid out as an A4 PDF by WeasyPrint from the same articles as the site.

- print_document(): the edition as one HTML document (theme/print/edition.html and edition.css): a cover with the
  masthead and the lead photo, the table of contents (page numbers by CSS target-counter), the articles, the legal
  information of the footer at the end; pictures prepared for print (printphotos.py) into the print cache;
- lay_out(): WeasyPrint renders it (only files of the print cache can be read: no request to another host) and says
  on which page each article starts;
- make(): lays out, on every core, the editions whose document changed (the cache key is a hash of the document,
  which names each picture by the hash of its source, and of the layout code, template, style, fonts and versions)
  and copies each PDF into the output.

Deterministic: no creation date, a PDF identifier from the content, fonts subset the same way, so two builds of one
commit give the same bytes.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import hashlib
import html
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from importlib import metadata
from urllib.parse import unquote

from bs4 import BeautifulSoup, NavigableString
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from . import printphotos
from .editions import Edition
from .filters import FILTERS
from .images import HASH_LENGTH as VARIANT_KEY_LENGTH
from .printphotos import PrintSize
from .settings import STATE_KEY
from .urls import IMAGES, Links
from .wrapping import keep_ranges

# Printed widths, in millimetres: A4 (210 mm) less 18 mm margins is a 174 mm text block; the body runs in two
# columns 6 mm apart (84 mm each). The template writes these numbers into the page's style, after edition.css.
PAGE = {"width": 210, "margin": 18, "gap": 6}
TEXT_WIDTH = PAGE["width"] - 2 * PAGE["margin"]
COLUMN_WIDTH = (TEXT_WIDTH - PAGE["gap"]) / 2
SIZES = {
    "cover": PrintSize(TEXT_WIDTH, (3, 2)),  # the lead photo on the cover, 3:2, across the page
    "column": PrintSize(COLUMN_WIDTH),  # an article's own photo (at the top of its first column) and those in its body
}
FONT_FAMILIES = ("Charis SIL",)  # Debian's fonts-sil-charis: full Vietnamese coverage, stacked marks done right
CACHE_FOLDER = "ban-in"  # under BULLETIN_CACHE: images/ (prepared pictures) and <key>.pdf + <key>.json
CODE_FILES = ("printing.py", "printphotos.py", "editions.py", "wrapping.py", "svg.py")
THEME_FILES = ("edition.html", "edition.css")
PRINT_THEME = "print"  # theme/print/: not published (Pelican copies theme/static only)
ANCHOR = "bai-{}"
STALE_SECONDS = 30 * 86400  # a cached edition or picture no build used for this long is removed
SCRATCH_KEY = "_BULLETIN_PRINT_SCRATCH"  # the settings key of a build's scratch print folder (cache off)


@dataclass(frozen=True)
class Laid:
    """A laid-out edition: its PDF (in the cache), its page count, size and the page each article starts on."""

    pdf: str
    pages: int
    size: int
    starts: tuple[int, ...]


# ---------------------------------------------------------------- the document

def theme_folder(settings: dict) -> str:
    """Return theme/print/ of the build's theme."""
    return os.path.join(settings["THEME"], PRINT_THEME)


@functools.cache
def environment(folder: str) -> Environment:
    """Return the Jinja environment of the print template (the site's filters)."""
    env = Environment(loader=FileSystemLoader(folder), autoescape=select_autoescape(default=True), trim_blocks=True,
                      lstrip_blocks=True)
    env.filters.update(FILTERS)
    return env


class Pictures:
    """The print cache's pictures folder, as documents ask for pictures; remembers what this build prepared and the
    print body of each article (an article is in several editions: its unit's, its parent's…)."""

    def __init__(self, folder: str, settings: dict):
        self.folder = folder
        self.names: dict[tuple[str, PrintSize], str] = {}
        self.bodies: dict[int, Markup] = {}
        self.originals = photo_originals(settings)

    def prepare(self, source: str, size: PrintSize) -> str:
        """Return the file name, in the folder, of a source picture prepared to print at `size`."""
        if (source, size) not in self.names:
            self.names[(source, size)] = printphotos.prepare_into(self.folder, source, size)
        return self.names[(source, size)]


def _prepare_one(job: tuple[str, str, PrintSize]) -> str:
    """Prepare one picture into the pictures folder (a worker's task)."""
    folder, source, size = job
    return printphotos.prepare_into(folder, source, size)


def photo_originals(settings: dict) -> dict[str, str]:
    """Map the key in the name of each photo variant the build publishes (images.py) to the photo's original file."""
    photos = getattr(settings.get(STATE_KEY), "photos", None)
    needed = photos.needed if photos is not None else {}
    return {key[:VARIANT_KEY_LENGTH]: source.path for key, source in needed.items()}


def wanted_pictures(editions: list[Edition], settings: dict, pictures: Pictures) -> list[tuple[str, PrintSize]]:
    """Return every (source, size) the editions print: covers, articles' photos, pictures in bodies."""
    found: dict[tuple[str, PrintSize], None] = {}
    seen: set[int] = set()
    for edition in editions:
        if edition.lead is not None:
            found[(os.path.join(settings["PATH"], edition.lead.image.path), SIZES["cover"])] = None
        for article in edition.articles:
            if id(article) in seen:
                continue
            seen.add(id(article))
            if article.image:
                found[(os.path.join(settings["PATH"], article.image.path), SIZES["column"])] = None
            for src in _IMG_SRC.findall(article.content):
                full = body_source(html.unescape(src), settings, pictures.originals)
                if full:
                    found[(full, SIZES["column"])] = None
    return list(found)


def body_source(src: str, settings: dict, originals: dict[str, str]) -> str | None:
    """Return the original file of the picture an article body's <img src> shows: a file of content/images (an SVG),
    or the photo a published variant was made from; None for anything else (a build error reports those)."""
    relative = unquote(src).removeprefix(settings.get("SITEURL", "").rstrip("/") + "/").lstrip("/")
    full = os.path.join(settings["PATH"], relative)
    if relative.startswith(IMAGES + "/") and os.path.isfile(full):
        return full
    variant = _VARIANT_KEY.search(relative)
    return originals.get(variant[1]) if variant else None


_IMG_SRC = re.compile(r'<img\b[^>]*?\ssrc="([^"]*)"')
_VARIANT_KEY = re.compile(rf"\.([0-9a-f]{{{VARIANT_KEY_LENGTH}}})\.[a-z]+$")  # images.published_name: …-672.<key>.jpg


def print_document(edition: Edition, settings: dict, images: Pictures) -> str:
    """Return an edition as one HTML document for WeasyPrint, its pictures prepared into `images`."""
    folder = theme_folder(settings)
    with open(os.path.join(folder, "edition.css"), encoding="utf-8") as handle:
        css = handle.read()
    lead = edition.lead
    articles = [print_article(a, i, settings, images) for i, a in enumerate(edition.articles, 1)]
    cover = None
    if lead is not None:
        cover = {"src": picture(lead.image.path, settings, images, SIZES["cover"]), "caption": lead.image.caption,
                 "anchor": ANCHOR.format(edition.articles.index(lead) + 1), "title": lead.title}
    widths = {name: f"{size.width_mm:g}mm" for name, size in SIZES.items()}
    return environment(folder).get_template("edition.html").render(
        edition=edition, articles=articles, cover=cover, css=Markup(css), widths=widths, page=PAGE,
        fonts=FONT_FAMILIES, siteurl=settings.get("SITEURL", ""), edition_url=Links.edition(edition),
        legal={key: settings.get(key) or "" for key in ("BULLETIN_AGENCY", "BULLETIN_RESPONSIBLE", "BULLETIN_LICENSE",
                                                       "BULLETIN_ADDRESS", "BULLETIN_PHONE", "BULLETIN_EMAIL")},
    )


def print_article(article, number: int, settings: dict, images: Pictures) -> dict:
    """Return what the template prints of one article: its fields and its body ready for print."""
    image = None
    if article.image:
        image = {"src": picture(article.image.path, settings, images, SIZES["column"]), "caption": article.image.caption}
    siteurl = settings.get("SITEURL", "")
    if id(article) not in images.bodies:
        images.bodies[id(article)] = print_body(article.content, settings, images, article.slug)
    return {
        "anchor": ANCHOR.format(number), "title": article.title, "date": article.date, "units": article.units,
        "terms": article.terms, "standfirst": article.standfirst, "image": image,
        "body": images.bodies[id(article)], "byline": article.byline,
        "byline_title": article.byline_title, "url": f"{siteurl}/{article.url}" if siteurl else "",
    }


def picture(path: str, settings: dict, images: Pictures, size: PrintSize) -> str:
    """Prepare a picture of the content folder for print; return its file name in `images`."""
    return images.prepare(os.path.join(settings["PATH"], path), size)


def print_body(fragment: str, settings: dict, images: Pictures, anchor: str = "") -> Markup:
    """Return an article body for print: pictures from the originals, one column wide; year ranges kept whole; its
    ids (footnotes) prefixed with `anchor` (the article's slug), since every article of the issue is in one document."""
    soup = BeautifulSoup(fragment, "html.parser")
    for element in soup.find_all(id=True):
        element["id"] = f"{anchor}-{element['id']}"
    for link in soup.find_all("a", href=re.compile(r"^#.")):
        link["href"] = f"#{anchor}-{link['href'][1:]}"
    for picture_element in soup.find_all("picture"):
        picture_element.unwrap()
    for source in soup.find_all("source"):
        source.decompose()
    for img in soup.find_all("img"):
        full = body_source(img.get("src", ""), settings, images.originals)
        if not full:
            img.decompose()  # the build reports such an image; nothing to print
            continue
        img["src"] = images.prepare(full, SIZES["column"])
        for name in ("loading", "decoding", "srcset", "sizes", "width", "height"):
            img.attrs.pop(name, None)
    for text in list(soup.find_all(string=_YEAR_RANGE)):
        if isinstance(text, NavigableString) and text.parent.name not in ("script", "style"):
            text.replace_with(BeautifulSoup(str(keep_ranges(str(text))), "html.parser"))
    return Markup(str(soup))


_YEAR_RANGE = re.compile(r"\d{4}\s?[–—-]\s?\d{4}")


# ---------------------------------------------------------------- layout

@functools.cache
def layout_version(theme: str) -> str:
    """Return a hash of what decides an edition's bytes besides its document: code, template, style, the fonts and
    the versions of WeasyPrint, Pango and Pillow."""
    digest = hashlib.sha256()
    here = os.path.dirname(os.path.abspath(__file__))
    for path in [os.path.join(here, n) for n in CODE_FILES] + [os.path.join(theme, n) for n in THEME_FILES]:
        with open(path, "rb") as handle:
            digest.update(handle.read())
    for package in ("weasyprint", "pydyf", "fonttools", "pillow"):
        digest.update(f"{package}={metadata.version(package)};".encode())
    digest.update(f"pango={pango_version()};".encode())
    for path in font_files():
        stat = os.stat(path)
        digest.update(f"{path}:{stat.st_size}:{int(stat.st_mtime)};".encode())
    return digest.hexdigest()


def pango_version() -> int:
    """Return the version of the Pango library WeasyPrint lays text out with (0 when it cannot be loaded)."""
    try:
        return ctypes.CDLL("libpango-1.0.so.0").pango_version()
    except OSError:
        return 0


@functools.cache
def font_files() -> tuple[str, ...]:
    """Return the font files fontconfig uses for the print families (empty when fc-list is missing)."""
    files = set()
    for family in FONT_FAMILIES:
        try:
            found = subprocess.run(["fc-list", family, "file"], capture_output=True, text=True, check=False).stdout
        except OSError:
            return ()
        files |= {line.strip().rstrip(":") for line in found.splitlines() if line.strip()}
    return tuple(sorted(files))


def missing_fonts() -> list[str]:
    """Return the print families fontconfig does not have (an edition would fall back to another font)."""
    have = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=False).stdout
    return [family for family in FONT_FAMILIES if family not in have]


def cache_key(document: str, theme: str) -> str:
    """Return the key of an edition in the cache: its document and the layout's version."""
    return hashlib.sha256(layout_version(theme).encode() + document.encode("utf-8")).hexdigest()


# The address the document gives its pictures: the same wherever the cache is, since WeasyPrint names each picture
# in the PDF after its address (a real path would make the bytes depend on the folder the site is built in).
PICTURES_URL = "file:///ban-in/"
MIME = {".jpg": "image/jpeg", ".png": "image/png", ".svg": "image/svg+xml"}
_PICTURE = re.compile(r'src="(?:' + re.escape(PICTURES_URL) + r')?([0-9a-f]{24}\.(?:jpg|png|svg))"')  # in a document


def _fetcher(images: str):
    """Return a WeasyPrint URL fetcher that reads the pictures of `images` (at PICTURES_URL) and nothing else: no
    network, no other file."""
    from weasyprint import URLFetcher
    from weasyprint.urls import URLFetcherResponse

    class PrintFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            name = unquote(url.removeprefix(PICTURES_URL)) if url.startswith(PICTURES_URL) else ""
            extension = os.path.splitext(name)[1]
            if "/" in name or extension not in MIME or not os.path.isfile(os.path.join(images, name)):
                raise ValueError(f"không đọc tệp ngoài thư mục ảnh in: {url}")
            with open(os.path.join(images, name), "rb") as handle:
                return URLFetcherResponse(url, handle.read(), {"Content-Type": MIME[extension]})

    return PrintFetcher()


def lay_out(document: str, images: str, anchors: int) -> tuple[bytes, int, tuple[int, ...]]:
    """Render a document to PDF bytes; return them, the page count and the page each of `anchors` articles starts on."""
    from weasyprint import HTML

    rendered = HTML(string=document, base_url=PICTURES_URL, url_fetcher=_fetcher(images)).render()
    found: dict[str, int] = {}
    for number, page in enumerate(rendered.pages, 1):
        for anchor in page.anchors:
            found.setdefault(anchor, number)
    starts = tuple(found.get(ANCHOR.format(i), 0) for i in range(1, anchors + 1))
    pdf = rendered.write_pdf(pdf_identifier=True)  # the identifier is a hash of the file's objects
    return pdf, len(rendered.pages), starts


def _lay_out_into(job: tuple[str, str, str, int]) -> tuple[str, int, tuple[int, ...]]:
    """Lay out one edition into the cache folder (a worker's task); return its key, pages and starts."""
    key, document, folder, anchors = job
    pdf, pages, starts = lay_out(document, os.path.join(folder, "images"), anchors)
    write_atomic(os.path.join(folder, key + ".pdf"), pdf)
    write_atomic(os.path.join(folder, key + ".json"), json.dumps({"pages": pages, "starts": starts}).encode())
    return key, pages, starts


def write_atomic(path: str, data: bytes) -> None:
    """Write a file under a temporary name, then rename it (a reader never sees half a file)."""
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)


def cached(folder: str, key: str) -> Laid | None:
    """Return an edition laid out earlier, or None."""
    try:
        with open(os.path.join(folder, key + ".json"), encoding="utf-8") as handle:
            facts = json.load(handle)
        pdf = os.path.join(folder, key + ".pdf")
        return Laid(pdf, facts["pages"], os.path.getsize(pdf), tuple(facts["starts"]))
    except (OSError, ValueError, KeyError):
        return None


def make(editions: list[Edition], settings: dict, workers: int = 1) -> dict[Edition, Laid]:
    """Prepare every picture, then lay out the editions not in the cache (both on `workers` processes); return every
    edition's Laid."""
    folder = cache_folder(settings)
    images = os.path.join(folder, "images")
    theme = theme_folder(settings)
    pictures = Pictures(images, settings)
    run_all(_prepare_one, [(images, source, size) for source, size in wanted_pictures(editions, settings, pictures)], workers)
    documents = {edition: print_document(edition, settings, pictures) for edition in editions}
    keys = {edition: cache_key(document, theme) for edition, document in documents.items()}
    jobs = {keys[e]: (keys[e], documents[e], folder, len(e.articles)) for e in editions if cached(folder, keys[e]) is None}
    ordered = sorted(jobs.values(), key=lambda job: -len(job[1]))  # the longest first: the cores finish together
    # Spawned, not forked: Pango starts a thread of its own to load fontconfig, and a process forked while that
    # thread holds a lock waits for ever on its first font (seen in the test suite, where earlier builds ran Pango).
    run_all(_lay_out_into, ordered, workers, "spawn")
    laid = {edition: cached(folder, keys[edition]) for edition in editions}
    prune(folder, set(keys.values()), documents.values())
    return laid


def run_all(task, jobs: list, workers: int, start: str = "fork") -> None:
    """Run task(job) for every job, on up to `workers` processes (started by `start`) when there is more than one."""
    if len(jobs) > 1 and workers > 1:
        with multiprocessing.get_context(start).Pool(min(workers, len(jobs))) as pool:
            list(pool.imap_unordered(task, jobs))
    else:
        for job in jobs:
            task(job)


def prune(folder: str, keys: set[str], documents) -> None:
    """Remove cached editions and pictures this build did not use and no build has written for STALE_SECONDS."""
    images = os.path.join(folder, "images")
    used = {name for document in documents for name in _PICTURE.findall(document)}
    old = time.time() - STALE_SECONDS
    for base, keep in ((folder, lambda name: name.split(".")[0] in keys), (images, lambda name: name in used)):
        for entry in os.scandir(base):
            if entry.is_file() and not keep(entry.name) and entry.stat().st_mtime < old:
                with contextlib.suppress(OSError):
                    os.remove(entry.path)


def cache_folder(settings: dict) -> str:
    """Return the print cache (BULLETIN_CACHE/ban-in), or a scratch folder of this build when the cache is off."""
    base = settings.get("BULLETIN_CACHE") or ""
    if base:
        folder = os.path.join(os.path.abspath(base), CACHE_FOLDER)
        try:
            os.makedirs(os.path.join(folder, "images"), exist_ok=True)
            return folder
        except OSError:
            pass  # a cache that cannot be made only costs time
    scratch = settings.get(SCRATCH_KEY) or settings.setdefault(SCRATCH_KEY, tempfile.mkdtemp(prefix="ban-in-"))
    os.makedirs(os.path.join(scratch, "images"), exist_ok=True)
    return scratch


def clean_scratch(settings: dict) -> None:
    """Remove the build's scratch print folder (made when the cache is off)."""
    scratch = settings.pop(SCRATCH_KEY, None)
    if scratch:
        shutil.rmtree(scratch, ignore_errors=True)


def publish(laid: Laid, output: str, relative: str) -> None:
    """Put an edition's PDF into the output (a hard link to the cached file when possible, else a copy)."""
    target = os.path.join(output, relative)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if os.path.exists(target):
        os.remove(target)
    try:
        os.link(laid.pdf, target)
    except OSError:
        shutil.copyfile(laid.pdf, target)
