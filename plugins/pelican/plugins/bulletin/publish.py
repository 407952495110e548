"""Finishers of the public build (BULLETIN_PUBLISH): hashed asset names, CSP, sitemap, robots.txt, compression.

Each is f(output_dir, settings) -> errors, run by build.build on the finished temporary folder before the swap
(finishers.FINISHERS puts them in order),
and does nothing in a local build. Every output is a pure function of the files, so two builds of one commit
give the same bytes.

The sitemap lists every HTML page a reader can land on: articles, pages, the unit, term and date indexes and the
search page. It leaves out 404.html (not a page of the site) and the continuation pages of a paginated list
(…/trang/2/ and on), whose articles are all listed on their own.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import os
import re
import shutil
from urllib.parse import quote
from xml.sax.saxutils import escape

import brotli

from . import marks
from .errors import Refusal, WriteFailure, write_failure
from .folders import copy_into, fresh_beside, guard_output, remove_stale, swap_into_place
from .urls import URLS

HASHED = (".css", ".js")  # theme files whose names carry a content hash
COMPRESSED = (".html", ".css", ".js", ".mjs", ".xml", ".json", ".svg", ".txt", ".map", ".webmanifest")
GZIP_MAGIC = b"\x1f\x8b"
# Brotli 11 is ~50 times slower than 7 on pages for 8 % less (300 pages: 7.3 s against 0.13 s): the most for the
# few theme and search files, which are fetched on every visit; 7 for pages, feeds and the sitemap.
BROTLI_QUALITY = {".css": 11, ".js": 11, ".mjs": 11, ".svg": 11, ".json": 11}
BROTLI_BULK = URLS["search_index"] + "d/"  # the search index's result records: thousands of files, each fetched rarely
BROTLI_DEFAULT = 7
BROTLI_LARGE = 1024 * 1024  # above this, quality 7 too: the editor's 5 MB bundle takes 22 s at 11, 0.6 s at 7 (4 % larger)
HASH_LENGTH = 10
RENAMED_KEY = "_BULLETIN_RENAMED"  # the settings key of the theme files fingerprint() renamed (old -> new path)
COMPRESSED_KEY = "_BULLETIN_COMPRESSED"  # set in the settings once compress() has run
SITEMAP, ROBOTS, NOT_FOUND = "sitemap.xml", "robots.txt", URLS["not_found"]
CONTINUATION = re.compile(r"(^|/)trang/\d+/index\.html$")
# The web editor: its own files, never pages of the site (the search index has none either).
SKIPPED_FOLDERS = (URLS["editor"].rstrip("/"),)

# Only the site itself: scripts from its own files (the search engine is plain JS: no eval, no WebAssembly, no inline
# code). No frames: videos are links (sanitize.py). A <meta> policy cannot carry frame-ancestors.
CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    "frame-src": "'none'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}
CSP_META = '<meta http-equiv="Content-Security-Policy" content="{}">'.format("; ".join(f"{k} {v}" for k, v in CSP.items()))
_CHARSET = re.compile(r"<meta charset=[^>]*>", re.I)


def walk(output: str, suffixes: tuple[str, ...]) -> list[str]:
    """Return the files below output ending with one of the suffixes, as sorted '/'-separated relative paths."""
    found = []
    for folder, dirs, files in os.walk(output):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [os.path.relpath(os.path.join(folder, f), output).replace(os.sep, "/") for f in files if f.endswith(suffixes)]
    return sorted(found)


def read(output: str, relative: str) -> str:
    """Return the text of a file of the output."""
    with open(os.path.join(output, relative), encoding="utf-8") as handle:
        return handle.read()


def write(output: str, relative: str, data: str | bytes) -> None:
    """Write a file of the output (text as UTF-8)."""
    with open(os.path.join(output, relative), "wb") as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)


def hashed_name(relative: str, data: bytes) -> str:
    """Return style.css -> style.<first hex digits of sha256>.css."""
    stem, suffix = os.path.splitext(relative)
    return f"{stem}.{hashlib.sha256(data).hexdigest()[:HASH_LENGTH]}{suffix}"


REFERENCE_START, REFERENCE_END = "\"'(/", "\"')?#"  # what comes before and after a file path in an attribute, url()…


def reference(name: str) -> re.Pattern:
    """Match a reference to a file path in an attribute, url() or import: after / or a quote, before a quote, ?, # or )."""
    return re.compile(f"(?<=[{re.escape(REFERENCE_START)}])" + re.escape(name) + f"(?=[{re.escape(REFERENCE_END)}])")


def fingerprint(output: str, settings: dict, cancel=None) -> list[str]:
    """Give theme CSS and JS files content-hashed names; point every page, stylesheet and script at them."""
    if not settings.get("BULLETIN_PUBLISH"):
        return []
    static = settings.get("THEME_STATIC_DIR", "theme")
    assets = [a for a in walk(output, HASHED) if a.startswith(static + "/")]
    renamed: dict[str, str] = {}
    pending = list(assets)
    while pending:  # an asset is hashed after the assets it names, so its hash covers their new names
        ready = [a for a in pending if all(d in renamed for d in dependencies(output, a, assets))]
        if not ready:
            return [f"tệp giao diện tham chiếu vòng tròn lẫn nhau: {', '.join(pending)} — không đặt được tên theo mã băm"]
        for asset in ready:
            text = rewrite(read(output, asset), renamed, sibling_of=asset)
            data = text.encode("utf-8")
            renamed[asset] = hashed_name(asset, data)
            write(output, renamed[asset], data)
            os.remove(os.path.join(output, asset))
            pending.remove(asset)
    settings[RENAMED_KEY] = renamed
    return stamp(output, renamed, walk(output, (".html",)))


def stamp(output: str, renamed: dict[str, str], pages: list[str]) -> list[str]:
    """Point pages at the hashed theme files (renamed: old -> new path) and give them the CSP."""
    for page in pages:
        if page.split("/", 1)[0] in SKIPPED_FOLDERS:
            continue
        text = rewrite(read(output, page), renamed)
        text, count = _CHARSET.subn(lambda m: m.group(0) + CSP_META, text, count=1)
        if not count:
            return [f"{page}: thiếu thẻ <meta charset> nên không chèn được Content-Security-Policy"]
        write(output, page, text)
    return []


def dependencies(output: str, asset: str, assets: list[str]) -> list[str]:
    """Return the other assets an asset names (by file name)."""
    text = read(output, asset)
    return [other for other in assets if other != asset and reference(os.path.basename(other)).search(text)]


def rewrite(text: str, renamed: dict[str, str], sibling_of: str | None = None) -> str:
    """Replace references to renamed assets (as reference() finds them): full paths in pages, file names between
    theme files. One pass for all of them (a page of 14 KB: 0.03 ms, against 0.9 ms for a pass per asset)."""
    if sibling_of is not None:
        renamed = {os.path.basename(old): os.path.basename(new) for old, new in renamed.items()}
    if not renamed:
        return text
    pattern = references(tuple(sorted(renamed, key=lambda name: (-len(name), name))))
    return pattern.sub(lambda m: renamed[m[0]] if m.start() and text[m.start() - 1] in REFERENCE_START else m[0], text)


@functools.lru_cache(maxsize=8)
def references(names: tuple[str, ...]) -> re.Pattern:
    """Match any of these names before what ends a reference (see reference(); what comes before is checked by the
    caller: a look-behind at every position would be tried at every character of the page)."""
    return re.compile("(?:" + "|".join(re.escape(name) for name in names) + f")(?=[{re.escape(REFERENCE_END)}])")


def site_url(settings: dict) -> str:
    """Return SITEURL with one trailing slash."""
    return settings["SITEURL"].rstrip("/") + "/"


def page_url(base: str, relative: str) -> str:
    """Return the absolute address of an HTML file (folder/index.html -> folder/)."""
    path = relative[: -len("index.html")] if relative.endswith("index.html") else relative
    return base + quote(path)


def listed(relative: str) -> bool:
    """Tell whether an HTML file belongs in the sitemap (see the module docstring)."""
    return relative != NOT_FOUND and not CONTINUATION.search(relative) and relative.split("/", 1)[0] not in SKIPPED_FOLDERS


def sitemap(output: str, settings: dict, cancel=None) -> list[str]:
    """Write sitemap.xml (every listed page, absolute addresses) and robots.txt pointing at it."""
    if not settings.get("BULLETIN_PUBLISH"):
        return []
    base = site_url(settings)
    urls = sorted(page_url(base, page) for page in walk(output, (".html",)) if listed(page))
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"  <url><loc>{escape(url)}</loc></url>" for url in urls]
    write(output, SITEMAP, "\n".join(lines + ["</urlset>", ""]))
    write(output, ROBOTS, f"User-agent: *\nAllow: /\n\nSitemap: {base}{SITEMAP}\n")
    return catch_up(output, settings, [SITEMAP, ROBOTS])


def compress(output: str, settings: dict, cancel=None) -> list[str]:
    """Write .gz and .br beside every text file (deterministic: no name, no time); skip data already compressed."""
    if not settings.get("BULLETIN_PUBLISH"):
        return []
    settings[COMPRESSED_KEY] = True
    compress_files(output, walk(output, COMPRESSED))
    return []


def compress_files(output: str, files: list[str]) -> None:
    """Write .gz and .br beside each of these files (relative paths) that is text."""
    for relative in files:
        if not relative.endswith(COMPRESSED):
            continue
        path = os.path.join(output, relative)
        with open(path, "rb") as handle:
            data = handle.read()
        if data.startswith(GZIP_MAGIC):
            continue
        write(output, relative + ".gz", gzip.compress(data, compresslevel=9, mtime=0))
        if relative.startswith(BROTLI_BULK) or len(data) >= BROTLI_LARGE:
            quality = BROTLI_DEFAULT
        else:
            quality = BROTLI_QUALITY.get(os.path.splitext(relative)[1], BROTLI_DEFAULT)
        write(output, relative + ".br", brotli.compress(data, quality=quality))


def catch_up(output: str, settings: dict, files: list[str]) -> list[str]:
    """Give files written after the finishers that change every file (fingerprint, compress) what those gave the
    others: the editions' pages and PDFs (printing.finish), the sitemap and robots.txt."""
    return finish_files(output, files, settings.get(RENAMED_KEY), bool(settings.get(COMPRESSED_KEY)))


def finish_files(output: str, files: list[str], renamed: dict[str, str] | None, compressing: bool) -> list[str]:
    """Stamp the pages among these files (stamp(), when `renamed` is known) and compress the files (when asked)."""
    errors = stamp(output, renamed, [f for f in files if f.endswith(".html")]) if renamed is not None else []
    if compressing:
        compress_files(output, files)
    return errors


def looks_published(folder: str) -> bool:
    """Tell whether a folder holds a public build made by this tool (index, sitemap and robots.txt) and nothing its
    mark does not list."""
    return all(os.path.isfile(os.path.join(folder, name)) for name in ("index.html", SITEMAP, ROBOTS)) \
        and marks.foreign(folder) == []


def deploy(output: str, target: str, content: str) -> None:
    """Copy a public build to another folder in one swap; raise Refusal (saying why) when it may not, WriteFailure
    when the machine refuses the copy (the target is then left as it was)."""
    source, destination = os.path.realpath(output), os.path.realpath(target)
    if not looks_published(source):
        raise Refusal(f"{output} không phải bản công khai do bản tin dựng (hoặc có thêm tệp khác) — hãy dựng bằng "
                      "'invoke publish' trước")
    if destination == source or destination.startswith(source + os.sep) or source.startswith(destination + os.sep):
        raise Refusal(f"thư mục đích {target} trùng hoặc lồng với thư mục xuất {output} — hãy chọn thư mục khác")
    guard_output(target, content, role="thư mục đích")
    try:
        os.makedirs(os.path.dirname(destination), exist_ok=True)
        remove_stale(destination)
        temporary = fresh_beside(destination)
    except OSError as error:
        raise WriteFailure(write_failure(error, target)) from None
    try:
        copy_into(source, temporary)  # the mark comes along: it lists exactly what is copied
        os.chmod(temporary, 0o755)
        guard_output(target, content, role="thư mục đích")  # again: a file may have been put there meanwhile
        swap_into_place(temporary, destination)
    except OSError as error:
        raise WriteFailure(write_failure(error, target)) from None
    finally:
        if os.path.exists(temporary):
            shutil.rmtree(temporary, ignore_errors=True)
