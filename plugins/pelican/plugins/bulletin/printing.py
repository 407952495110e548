"""The printed edition: each edition (editions.py) laid out as an A4 PDF by our typesetter (typeset.py) from the
same articles as the site.

- print_document(): the edition as plain data: masthead, cover story, each article's fields and body (HTML ready for
  print: print_body), the legal information; pictures prepared for print (printphotos.py) into the print cache, and
  each picture's size;
- lay_out(): typeset.py lays it out and writes the PDF, and says on which page each article starts;
- make(): lays out, on every core, the editions whose document changed (the cache key is a hash of the document,
  which names each picture by the hash of its source, and of the layout code, the fonts and the versions);
- the press (start(), Press, finish()): a forked copy of the build that runs make(), places the PDFs and writes the
  editions' pages while the build runs its finishers, on the core they leave free.

Deterministic: no creation date, a PDF identifier from the content, fonts cut the same way, so two builds of one
commit give the same bytes.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import hashlib
import html
import json
import multiprocessing
import os
import pickle
import re
import resource
import select
import shutil
import signal
import subprocess
import tempfile
import time
import traceback
from dataclasses import dataclass
from importlib import metadata
from urllib.parse import unquote

from . import filetypes, pdfdoc, printphotos, publish, typeset
from .dates import format_date, format_short_date
from .editions import Edition
from .errors import BulletinError, ContentErrors
from .images import HASH_LENGTH as VARIANT_KEY_LENGTH
from .printphotos import PrintSize
from .settings import STATE_KEY
from .urls import IMAGES, Links, save_as

# Printed widths, in millimetres: A4 (210 mm) less 18 mm margins is a 174 mm text block; the body runs in two
# columns 6 mm apart (84 mm each), as typeset.py lays them out.
TEXT_WIDTH = round(typeset.TEXT_WIDTH / typeset.MM, 3)
COLUMN_WIDTH = round(typeset.COLUMN / typeset.MM, 3)
SIZES = {
    "cover": PrintSize(TEXT_WIDTH, (3, 2)),  # the lead photo on the cover, 3:2, across the page
    "column": PrintSize(COLUMN_WIDTH),  # an article's own photo (at the top of its first column) and those in its body
}
CACHE_FOLDER = "ban-in"  # under BULLETIN_CACHE: images/ (prepared pictures, an SVG's drawing beside it) and <key>.pdf + <key>.json
CODE_FILES = ("printing.py", "printphotos.py", "editions.py", "wrapping.py", "svg.py", "typeset.py", "pdfdoc.py", "truetype.py")
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

class Pictures:
    """The print cache's pictures folder, as documents ask for pictures; remembers what this build prepared and the
    print body of each article (an article is in several editions: its unit's, its parent's…)."""

    def __init__(self, folder: str, settings: dict):
        self.folder = folder
        self.names: dict[tuple[str, PrintSize], str] = {}
        self.bodies: dict[int, str] = {}
        self.originals = photo_originals(settings)

    def prepare(self, source: str, size: PrintSize) -> str:
        """Return the file name, in the folder, of a source picture prepared to print at `size`."""
        if (source, size) not in self.names:
            self.names[(source, size)] = prepare_picture(self.folder, source, size)
        return self.names[(source, size)]

    @functools.cache  # noqa: B019 (one Pictures per build)
    def size(self, name: str) -> list:
        """Return how the typesetter draws a prepared picture: ["photo", width, height] in pixels, or ["vector",
        width, height] in points for an SVG (drawn from the PDF made of it beside it, vector_pdf())."""
        path = os.path.join(self.folder, name)
        if name.endswith(".svg"):
            with open(path + ".pdf", "rb") as handle:
                return ["vector", *page_size(handle.read())]
        from PIL import Image

        with Image.open(path) as opened:
            return ["photo", opened.width, opened.height]


def page_size(pdf: bytes) -> tuple[float, float]:
    """Return the size of a one-page PDF (its media box), in points: an SVG's drawing is laid out at the size
    rsvg-convert gave it (from its width, height and view box, as a browser sizes it)."""
    box = [float(v) for v in re.search(rb"/MediaBox\s*\[([^\]]*)\]", pdf)[1].split()]
    return round(box[2] - box[0], 3), round(box[3] - box[1], 3)


def vector_pdf(svg: bytes) -> bytes:
    """Return a one-page PDF of an SVG at its own size, drawn by librsvg's rsvg-convert (Debian's librsvg2-bin): the
    illustration stays vectors and its text stays text. Read from standard input, with no base address: the drawing
    reads no file and no other host (an <image> of the site's own is left out, as the sanitiser allows no other).
    Its creation date is fixed; pdfdoc.import_page copies the page and what it uses, not the file's information.

    What cairo cannot write as vectors (a filter's blur, a mask) it paints as pixels, one a point of the drawing's own
    size: such a drawing is drawn again, larger, so that those pixels print at DPI across the whole text width (the
    layout scales the page down: only the pixels change)."""
    pdf = _rsvg(svg, 1.0)
    if b"/Subtype /Image" in pdf:
        zoom = typeset.TEXT_WIDTH / 72 * printphotos.DPI / page_size(pdf)[0]
        if zoom > 1:
            with contextlib.suppress(BulletinError):  # too large to draw so (RSVG_MEMORY): the pixels stay coarser
                pdf = _rsvg(svg, zoom)
    return pdf


RSVG_MEMORY = 1 << 30  # the address space rsvg-convert may use: a drawing that asks for more fails, the machine stays


def _limit_memory() -> None:
    """Run in rsvg-convert's process before it starts: cap its memory (RSVG_MEMORY)."""
    resource.setrlimit(resource.RLIMIT_AS, (RSVG_MEMORY, RSVG_MEMORY))


def _rsvg(svg: bytes, zoom: float) -> bytes:
    """Run rsvg-convert on an SVG at a zoom; return the PDF (raise BulletinError, in Vietnamese, when it cannot)."""
    try:
        done = subprocess.run([RSVG, "--format", "pdf", "--zoom", f"{zoom:.6f}"], input=svg, capture_output=True,
                              timeout=120, check=False, env={**os.environ, "SOURCE_DATE_EPOCH": "0"}, preexec_fn=_limit_memory)
    except FileNotFoundError:
        raise BulletinError(f"thiếu chương trình {RSVG} (gói Debian librsvg2-bin) để in hình SVG — hãy chạy 'make setup'") from None
    except subprocess.TimeoutExpired:
        raise BulletinError("vẽ hình quá 120 giây — hình quá phức tạp") from None
    if done.returncode or not done.stdout.startswith(b"%PDF"):
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"mã {done.returncode}"]
        raise BulletinError(f"rsvg-convert không vẽ được hình: {message[0]}")
    return done.stdout


RSVG = "rsvg-convert"
DRAWER = "rsvg 1"  # with rsvg-convert's version, in a prepared SVG's name: when either changes, SVGs are drawn again


@functools.cache
def rsvg_version() -> str:
    """Return rsvg-convert's version line ("" when it is missing): part of the layout's version."""
    try:
        return subprocess.run([RSVG, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ""


def _prepare_one(job: tuple[str, str, PrintSize]) -> str:
    """Prepare one picture into the pictures folder (a worker's task)."""
    return prepare_picture(*job)


def _job(source: str, size: PrintSize) -> tuple[str, PrintSize]:
    """Return what preparing a picture at a size takes: an SVG is one file at every size (printphotos.prepared_stem)."""
    return (source, SIZES["column"]) if filetypes.is_svg(source) else (source, size)


def prepare_picture(folder: str, source: str, size: PrintSize) -> str:
    """Prepare a picture into the pictures folder (printphotos.prepare_into) and, for an SVG, the PDF the typesetter
    draws it from (vector_pdf(), beside it); return its file name."""
    vector = filetypes.is_svg(source)
    name = printphotos.prepare_into(folder, source, size, f"{DRAWER} {rsvg_version()}" if vector else "")
    drawn = os.path.join(folder, name + ".pdf")
    if vector and not os.path.isfile(drawn):
        with open(os.path.join(folder, name), "rb") as handle:
            svg = handle.read()
        try:
            write_atomic(drawn, vector_pdf(svg))
        except BulletinError as error:
            raise BulletinError(f"{os.path.relpath(source)}: không in được hình SVG này — {error}") from None
    return name


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


def print_document(edition: Edition, settings: dict, images: Pictures) -> dict:
    """Return an edition as the typesetter reads it (plain data, the same for the same edition), its pictures
    prepared into `images`."""
    lead = edition.lead
    articles = [print_article(a, settings, images) for a in edition.articles]
    cover = None
    if lead is not None:
        cover = {"src": picture(lead.image.path, settings, images, SIZES["cover"]),
                 "caption": lead.image.caption or "",
                 "anchor": ANCHOR.format(edition.articles.index(lead) + 1), "title": lead.title}
    siteurl = settings.get("SITEURL", "")
    legal = {key: settings.get(key) or "" for key in ("BULLETIN_AGENCY", "BULLETIN_RESPONSIBLE", "BULLETIN_LICENSE",
                                                      "BULLETIN_ADDRESS", "BULLETIN_PHONE", "BULLETIN_EMAIL")}
    facts = [(label, legal[key]) for label, key in LEGAL_LABELS if legal[key]]
    if siteurl:
        facts.append(("Bản tin điện tử", f"{siteurl}/{Links.edition(edition)}"))
    document = {
        "unit": edition.name, "number": edition.number, "month": f"Tháng {edition.month} năm {edition.year}",
        "agency": legal["BULLETIN_AGENCY"], "siteurl": siteurl, "cover": cover, "articles": articles,
        "legal": facts,
        "meta": {"title": f"Bản tin {edition.name} số {edition.number}", "author": legal["BULLETIN_AGENCY"] or edition.name,
                 "subject": f"Bản tin in {edition.name}, {edition.period.lower()}: {len(articles)} bài.",
                 "keywords": f"bản tin, {edition.name}, {edition.number}"},
    }
    document["pictures"] = {name: images.size(name) for name in pictures_of(document)}
    return document


LEGAL_LABELS = (("Cơ quan chủ quản", "BULLETIN_AGENCY"), ("Chịu trách nhiệm nội dung", "BULLETIN_RESPONSIBLE"),
                ("Giấy phép", "BULLETIN_LICENSE"), ("Địa chỉ", "BULLETIN_ADDRESS"), ("Điện thoại", "BULLETIN_PHONE"),
                ("Thư điện tử", "BULLETIN_EMAIL"))


def print_article(article, settings: dict, images: Pictures) -> dict:
    """Return what the edition prints of one article: its fields and its body ready for print."""
    image = None
    if article.image:
        image = {"src": picture(article.image.path, settings, images, SIZES["column"]),
                 "caption": article.image.caption or ""}
    if id(article) not in images.bodies:
        images.bodies[id(article)] = print_body(article.content, settings, images)
    units = ", ".join(unit.name for unit in article.units)
    return {
        "title": article.title, "kicker": f"{units} · {format_date(article.date)}",
        "toc_unit": f"{units} · {format_short_date(article.date)}",
        "standfirst": article.standfirst or "", "image": image,
        "body": images.bodies[id(article)], "byline": article.byline or "", "byline_title": article.byline_title or "",
    }


def pictures_of(document: dict) -> list[str]:
    """Return the file names of every picture a document prints, in order."""
    found = [document["cover"]["src"]] if document.get("cover") else []
    for article in document["articles"]:
        if article["image"]:
            found.append(article["image"]["src"])
        found += _PICTURE.findall(article["body"])
    return list(dict.fromkeys(found))


def picture(path: str, settings: dict, images: Pictures, size: PrintSize) -> str:
    """Prepare a picture of the content folder for print; return its file name in `images`."""
    return images.prepare(os.path.join(settings["PATH"], path), size)


def print_body(fragment: str, settings: dict, images: Pictures) -> str:
    """Return an article body for print: each picture swapped for the one prepared from its original, a column wide
    (the typesetter reads nothing else of the tag), any other picture dropped (the build reports it); footnotes'
    links back to their place dropped."""

    def swap(tag: re.Match) -> str:
        src = _SRC.search(tag[0])
        full = body_source(html.unescape(src[1]), settings, images.originals) if src else None
        return f'<img src="{images.prepare(full, SIZES["column"])}">' if full else ""

    return _IMG_TAG.sub(swap, _SOURCE_TAG.sub("", _BACKLINK.sub("", fragment)))


_BACKLINK = re.compile(r'<a\b[^>]*class="footnote-backref"[^>]*>.*?</a>', re.S)  # "↩": nothing to go back to on paper
_IMG_TAG = re.compile(r"<img\b[^>]*>")
_SOURCE_TAG = re.compile(r"<source\b[^>]*>")
_SRC = re.compile(r'\ssrc="([^"]*)"')


# ---------------------------------------------------------------- layout

# The fonts of typeset.FONTS, found by fontconfig: (style, family, fontconfig's style name).
FONT_STYLES = {
    "serif": ("Charis SIL", "Regular"), "serif-bold": ("Charis SIL", "Bold"), "serif-italic": ("Charis SIL", "Italic"),
    "serif-bold-italic": ("Charis SIL", "Bold Italic"), "mono": ("DejaVu Sans Mono", "Book"),
    "mono-bold": ("DejaVu Sans Mono", "Bold"), "sans": ("DejaVu Sans", "Book"), "sans-bold": ("DejaVu Sans", "Bold"),
}


@functools.cache
def font_files() -> dict[str, str]:
    """Return the file of each style of FONT_STYLES that fontconfig has (Debian's fonts-sil-charis, fonts-dejavu-core)."""
    try:
        listing = subprocess.run(["fc-list", "--format", "%{family}\t%{style}\t%{file}\n"], capture_output=True,
                                 text=True, check=False).stdout
    except OSError:
        return {}
    found: dict[tuple[str, str], str] = {}
    for row in sorted(listing.splitlines()):
        families, styles, path = (row.split("\t") + ["", "", ""])[:3]
        for family in families.split(","):
            for style in styles.split(","):
                found.setdefault((family, style), path)
    return {key: found[wanted] for key, wanted in FONT_STYLES.items() if wanted in found}


def missing_fonts() -> list[str]:
    """Return the print fonts fontconfig does not have (family and style)."""
    have = font_files()
    return sorted({f"{family} {style}" for key, (family, style) in FONT_STYLES.items() if key not in have})


def fonts_spec() -> tuple:
    """Return typeset.FONTS with each style's file: (style, path, name in the PDF, italic, bold)."""
    files = font_files()
    return tuple((style, files[style], name, italic, bold) for style, name, italic, bold in typeset.FONTS)


@functools.cache
def layout_version() -> str:
    """Return a hash of what decides an edition's bytes besides its document: the layout code, the fonts and the
    versions of Pillow and rsvg-convert (which draws SVG illustrations)."""
    digest = hashlib.sha256()
    here = os.path.dirname(os.path.abspath(__file__))
    for path in [os.path.join(here, n) for n in CODE_FILES]:
        with open(path, "rb") as handle:
            digest.update(handle.read())
    for package in ("pillow",):
        digest.update(f"{package}={metadata.version(package)};".encode())
    digest.update(f"rsvg={rsvg_version()};".encode())
    for style, path in sorted(font_files().items()):
        stat = os.stat(path)
        digest.update(f"{style}:{os.path.basename(path)}:{stat.st_size}:{int(stat.st_mtime)};".encode())
    return digest.hexdigest()


def cache_key(document: dict) -> str:
    """Return the key of an edition in the cache: its document and the layout's version."""
    text = json.dumps(document, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(layout_version().encode() + text.encode("utf-8")).hexdigest()


_PICTURE = re.compile(r'src="([0-9a-f]{24}\.(?:jpg|png|svg))"')  # a prepared picture in a body
_BODIES: dict = {}  # article bodies' boxes, kept by a layout process between editions


def lay_out(document: dict, folder: str) -> tuple[bytes, int, tuple[int, ...]]:
    """Lay out an edition; return its PDF bytes, page count and the page each article starts on. `folder`: the
    prepared pictures."""
    return typeset.render(document, fonts(), folder, _BODIES)


@functools.cache
def fonts() -> typeset.Fonts:
    """Return the print fonts, loaded once per process (cut when first drawn)."""
    return typeset.Fonts(pdfdoc.faces(fonts_spec()))


def _lay_out_group(jobs: list[tuple[str, dict, str]]) -> None:
    """Lay out editions into the cache folder, each as <key>.pdf and <key>.json (a worker's task: one month's)."""
    _BODIES.clear()  # the boxes of another month's articles: not needed again, and a big site's would fill memory
    if jobs:
        fonts().lines.clear()
    for key, document, folder in jobs:
        pdf, pages, starts = lay_out(document, os.path.join(folder, "images"))
        write_atomic(os.path.join(folder, key + ".pdf"), pdf)
        write_atomic(os.path.join(folder, key + ".json"), json.dumps({"pages": pages, "starts": starts}).encode())


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


def make(editions: list[Edition], settings: dict, workers: int = 1, hurried=None) -> dict[Edition, Laid]:
    """Prepare every picture, then lay out the editions not in the cache (both on `workers` processes); return every
    edition's Laid. With `hurried` (the press), the months are laid out here one after the other, beside the build's
    own work, until hurried() says the build waits: the rest then goes to every core."""
    folder = cache_folder(settings)
    images = os.path.join(folder, "images")
    pictures = Pictures(images, settings)
    wanted = wanted_pictures(editions, settings, pictures)
    jobs = list(dict.fromkeys(_job(source, size) for source, size in wanted))  # an SVG once, at whatever size
    if any(filetypes.is_svg(source) for source, _ in jobs):
        rsvg_version()  # asked once, before the workers fork
    names = dict(zip(jobs, run_all(_prepare_one, [(images, *job) for job in jobs], workers), strict=True))
    pictures.names.update({(source, size): names[_job(source, size)] for source, size in wanted})
    documents = {edition: print_document(edition, settings, pictures) for edition in editions}
    keys = {edition: cache_key(document) for edition, document in documents.items()}
    months: dict[tuple[int, int], dict[str, tuple]] = {}
    for edition in editions:
        if cached(folder, keys[edition]) is None:
            months.setdefault((edition.year, edition.month), {})[keys[edition]] = (keys[edition], documents[edition], folder)
    # A month's editions go to one worker (they share articles, whose boxes it keeps), the biggest months first so
    # the cores finish together.
    groups = sorted((list(jobs.values()) for jobs in months.values()),
                    key=lambda jobs: -sum(len(a["body"]) for job in jobs for a in job[1]["articles"]))
    if groups:  # the fonts loaded and the text faces cut (the first time) once, before the workers fork
        fonts().cuts.make("serif", "serif-bold", "serif-italic")
    while hurried is not None and groups and not hurried():
        _lay_out_group(groups.pop(0))
    run_all(_lay_out_group, groups, workers)
    laid = {edition: cached(folder, keys[edition]) for edition in editions}
    prune(folder, set(keys.values()), documents.values())
    return laid


# ---------------------------------------------------------------- the press

PRESS_KEY = "_BULLETIN_PRESS"  # the settings key of the build's Press, while it works
PLANNED_KEY = "_BULLETIN_PRESS_PLANNED"  # the settings key of what the press will make, until it starts
STAGING = ".ban-in"  # in the build's output folder: where the press puts the editions' files (a dot: no finisher looks)
NICENESS = 10  # the press yields the processor to the build's own work (writing pages, the finishers) when both want it


@dataclass
class Press:
    """A forked copy of the build's process that makes the editions while the build runs the finishers (mostly on one
    core: hashing, the search index, compression), started once the site's pages are written (plan_press()).

    It lays them out (make()), puts their PDFs and pages into the staging folder, then waits for its orders: how the
    finishers treat pages (brief(), sent by the finisher of that name right after fingerprint), which it gives its own
    pages; or nothing, when no brief came (finish() then does that work here). finish() waits for it and moves its
    files into place. Messages both ways are length-prefixed pickles."""

    pid: int
    results: int  # the pipe the press answers on
    orders: int  # the pipe it is briefed on
    hurry: int  # the pipe that tells it the build waits for it
    staging: str
    briefed: bool = False  # orders were sent (not None)

    def brief(self, orders: tuple | None) -> None:
        """Send the press its orders (renamed theme files, whether to compress) or None; the first call only (it closes
        the pipe). A press that failed before it was briefed has ended: its answer (wait()) says why."""
        if self.orders >= 0:
            self.briefed = orders is not None
            fd, self.orders = self.orders, -1
            with contextlib.suppress(BrokenPipeError), os.fdopen(fd, "wb") as pipe:
                send(pipe, orders)

    def wait(self) -> str:
        """Wait for the press to end; return what went wrong ("" when nothing did)."""
        said = None
        try:
            with contextlib.suppress(BrokenPipeError):  # it may be done already
                os.write(self.hurry, b"!")
            self.brief(None)
            fd, self.results = self.results, -1
            with os.fdopen(fd, "rb") as pipe:
                said = receive(pipe)
        finally:
            self.end()
        if said is None:
            return "lỗi nội bộ khi dựng bản in: tiến trình dàn trang dừng bất thường — chạy lại với BULLETIN_DEBUG=1 để xem chi tiết"
        return said

    def stop(self) -> None:
        """End the press, unfinished (the build failed elsewhere); its layout workers end with it (die_with_parent)."""
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        self.end()

    def end(self) -> None:
        """Close this side's pipes and wait for the press's end (no zombie)."""
        for name in ("results", "orders", "hurry"):
            fd = getattr(self, name)
            setattr(self, name, -1)
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def send(pipe, message) -> None:
    data = pickle.dumps(message)
    pipe.write(len(data).to_bytes(8, "big") + data)
    pipe.flush()


def receive(pipe):
    """Return a message send() wrote, or None when the other end went away first."""
    size = pipe.read(8)
    data = pipe.read(int.from_bytes(size, "big")) if len(size) == 8 else b""
    return pickle.loads(data) if data else None


def plan_press(editions: list[Edition], settings: dict, workers: int, write_pages) -> None:
    """Have the press started (start()) once the site's pages are written: beside the build's writers, which use every
    core, it would only slow them down (the plugin calls start_planned then)."""
    settings[PLANNED_KEY] = (editions, workers, write_pages)


def start_planned(settings: dict) -> None:
    """Start the press plan_press() asked for, if any."""
    planned = settings.pop(PLANNED_KEY, None)
    if planned:
        start(planned[0], settings, *planned[1:])


def start(editions: list[Edition], settings: dict, workers: int, write_pages) -> None:
    """Start the press (see Press): it makes the editions, places each PDF and calls write_pages(folder, laid) for
    their pages, in the staging folder of the output."""
    staging = os.path.join(settings["OUTPUT_PATH"], STAGING)
    cache_folder(settings)  # a scratch folder, when the cache is off, is this process's to remove
    results, answer = os.pipe()
    briefing, orders = os.pipe()
    hurried, hurry = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid:
        for theirs in (answer, briefing, hurried):
            os.close(theirs)
        settings[PRESS_KEY] = Press(pid, results, orders, hurry, staging)
        return
    code = 0
    try:
        for theirs in (results, orders, hurry):
            os.close(theirs)
        die_with_parent(parent)
        gc.freeze()  # what this copy shares with the build stays shared
        os.nice(NICENESS)
        try:
            laid = make(editions, settings, workers, lambda: bool(select.select([hurried], [], [], 0)[0]))
            for edition in editions:
                place(laid[edition], staging, Links.edition_pdf(edition))
            with os.fdopen(briefing, "rb") as pipe:
                told = receive(pipe)

            def pages(first: int) -> list[str]:  # write a share of the pages, then stamp and compress them
                share = editions[first::workers]
                write_pages(staging, {edition: laid[edition] for edition in share})
                return publish.finish_files(staging, [save_as(Links.edition(e)) for e in share], *told) if told else []

            shares = list(range(min(workers, len(editions))))
            said = "\n".join(error for errors in run_forked(pages, shares, workers) for error in errors)
        except ContentErrors as error:
            said = "\n".join(str(e) for e in error.errors)
        except BulletinError as error:
            said = str(error)
        except Exception as error:
            if os.environ.get("BULLETIN_DEBUG"):
                traceback.print_exc()
            said = f"lỗi nội bộ khi dựng bản in ({type(error).__name__}: {error}) — chạy lại với BULLETIN_DEBUG=1 để xem chi tiết"
        with os.fdopen(answer, "wb") as pipe:
            send(pipe, said)
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def brief(output: str, settings: dict, cancel=None) -> list[str]:
    """A finisher, right after fingerprint: tell the press how the finishers treat pages (the hashed theme files,
    whether files are compressed), so that it does the same to its own while the build runs the next steps."""
    press = settings.get(PRESS_KEY)
    if press is not None and publish.RENAMED_KEY in settings:
        press.brief((settings[publish.RENAMED_KEY], bool(settings.get("BULLETIN_PUBLISH"))))
    return []


def finish(output: str, settings: dict, cancel=None) -> list[str]:
    """A finisher: wait for the press and move the editions' PDFs and pages into the output; when the press was not
    briefed, give them here what the finishers before gave every file (publish.catch_up). Return what went wrong.
    Nothing without a press."""
    press = settings.pop(PRESS_KEY, None)
    if press is None:
        return []
    failure = press.wait()
    clean_scratch(settings)
    if failure:
        return failure.splitlines()
    moved = publish.walk(press.staging, ("",))
    for top in os.listdir(press.staging):  # the editions' folder whole, unless the site has one of that name
        if not os.path.exists(os.path.join(output, top)):
            os.rename(os.path.join(press.staging, top), os.path.join(output, top))
    for relative in publish.walk(press.staging, ("",)):
        os.makedirs(os.path.dirname(os.path.join(output, relative)), exist_ok=True)
        os.replace(os.path.join(press.staging, relative), os.path.join(output, relative))
    shutil.rmtree(press.staging)
    if press.briefed:
        return []
    return publish.catch_up(output, settings, moved)


def stop(settings: dict) -> None:
    """End a press still working (the build failed before finish())."""
    settings.pop(PLANNED_KEY, None)
    press = settings.pop(PRESS_KEY, None)
    if press is not None:
        press.stop()
    clean_scratch(settings)


def run_forked(function, jobs: list, workers: int) -> list:
    """run_all() for a function defined on the spot (a closure): the forked workers find it where it was left."""
    global _FUNCTION
    _FUNCTION = function
    try:
        return run_all(_call, jobs, workers)
    finally:
        _FUNCTION = None


_FUNCTION = None


def _call(job):
    return _FUNCTION(job)


def die_with_parent(parent: int) -> None:
    """Have the kernel end this process when the one that forked it ends (killed, the build stopped by hand): the
    press and its layout workers never outlive the build, nor go on writing in its folder."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it ended before the line above
        os._exit(1)


PR_SET_PDEATHSIG = 1  # prctl(2)


def run_all(task, jobs: list, workers: int) -> list:
    """Return [task(job) for job in jobs], worked out on up to `workers` forked processes when there is more than one."""
    if len(jobs) > 1 and workers > 1:
        context = multiprocessing.get_context("fork")
        with context.Pool(min(workers, len(jobs)), initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
            return pool.map(task, jobs, chunksize=1)
    return [task(job) for job in jobs]


def prune(folder: str, keys: set[str], documents) -> None:
    """Remove cached editions and pictures this build did not use and no build has written for STALE_SECONDS."""
    images = os.path.join(folder, "images")
    used = {name for document in documents for name in pictures_of(document)}
    old = time.time() - STALE_SECONDS
    for base, keep in ((folder, lambda name: name.split(".")[0] in keys), (images, lambda name: name.removesuffix(".pdf") in used)):
        for entry in os.scandir(base):
            if not entry.is_file():
                continue
            if entry.name.endswith(".tmp"):  # half written by a press that was stopped (write_atomic), an hour ago
                if entry.stat().st_mtime < time.time() - 3600:
                    with contextlib.suppress(OSError):
                        os.remove(entry.path)
            elif not keep(entry.name) and entry.stat().st_mtime < old:
                with contextlib.suppress(OSError):
                    os.remove(entry.path)
    shutil.rmtree(os.path.join(folder, "fonts"), ignore_errors=True)  # the font cuts versions before 06/12/2026 kept


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


def place(laid: Laid, output: str, relative: str) -> None:
    """Put an edition's PDF into the output (a hard link to the cached file when possible, else a copy)."""
    target = os.path.join(output, relative)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if os.path.exists(target):
        os.remove(target)
    try:
        os.link(laid.pdf, target)
    except OSError:
        shutil.copyfile(laid.pdf, target)
