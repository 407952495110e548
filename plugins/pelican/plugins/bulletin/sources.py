"""Which files in the content folder Pelican reads, and what to tell an editor about the ones it would skip.

Pelican reads `x.md` and `x.markdown` under the article and page folders (the extension compared exactly: `x.MD` is
not read), copies the static folders (images/) and the plugin reads the unit registry. Any other file there is never
published, silently; so each one an editor left there is an error that says what to do with it, except what their
tools leave beside their files (JUNK), which nothing reads, copies or reports.
"""

from __future__ import annotations

import fnmatch
import os
import re
import unicodedata
from collections.abc import Callable

from .errors import ContentError
from .urls import ARTICLES, DOCUMENTS, IMAGES, PAGES

SOURCE_EXTENSIONS = ("md", "markdown")  # as Pelican compares them: case matters
# An article saved under another extension: x.MD, x.mkd; x.txt or Notepad's x.md.txt when it starts with ---.
MARKDOWN_TYPES = (".md", ".markdown", ".mkd", ".mdown", ".mkdn")
TEXT_TYPES = (*MARKDOWN_TYPES, ".txt", ".text")
WORD_TYPES = (".docx", ".doc", ".odt", ".rtf")
STATIC_FOLDERS = (f"{IMAGES}/", f"{DOCUMENTS}/")  # links to files there become {static} links
IMAGE_TYPES = (".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif", ".avif")  # what an article may show
RASTER_TYPES = tuple(t for t in IMAGE_TYPES if t != ".svg")  # published as resized variants (images.py), never as they are
HEIF_TYPES = (".heic", ".heif")  # iPhone photos: no browser shows them; images.py says how to convert them
PHOTO_TYPES = (*IMAGE_TYPES, ".bmp", ".tif", ".tiff", *HEIF_TYPES)  # what a photo in the wrong folder may be
# Hidden files (.DS_Store, macOS ._x, .~lock.x#), Office owner and temporary files (~$x.docx, ~WRL0001.tmp), editors'
# backups and swap files. Also Pelican's IGNORE_FILES (plugin.initialize): its own "**/.*" never matches a bare name.
JUNK = (".*", "~*", "*~", "#*#", "*.swp", "*.swo", "*.swx", "*.tmp", "*.bak", "*.orig", "*.crdownload", "*.part",
        "Thumbs.db", "ehthumbs.db", "desktop.ini", "Icon\r")


def is_source(name: str) -> bool:
    """Tell whether Pelican reads a file of this name as an article or a page."""
    return os.path.splitext(name)[1][1:] in SOURCE_EXTENSIONS


def kind_of(settings: dict, source_path: str) -> str:
    """Tell whether a content file is a page (under PAGE_PATHS) or an article."""
    relative = os.path.relpath(source_path, settings["PATH"]).replace(os.sep, "/")
    pages = [p.rstrip("/") + "/" for p in settings.get("PAGE_PATHS", [PAGES])]
    return "page" if any(relative.startswith(p) for p in pages) else "article"


def source_files(content: str, folders: list[str]) -> list[str]:
    """Return every file below the given content folders that Pelican reads, sorted."""
    found = []
    for folder in folders:
        for root, dirs, files in os.walk(os.path.join(content, folder)):
            dirs[:] = sorted(d for d in dirs if not is_junk(d))
            found += [os.path.join(root, f) for f in sorted(files) if is_source(f) and not is_junk(f)]
    return found


_JUNK = re.compile("|".join(fnmatch.translate(pattern.lower()) for pattern in JUNK))


def any_case(pattern: str) -> str:
    """Write a glob pattern so that it matches in any case, as is_junk does (Pelican's fnmatch minds case)."""
    return "".join(f"[{c.lower()}{c.upper()}]" if c.lower() != c.upper() else c for c in pattern)


IGNORED = tuple(any_case(pattern) for pattern in JUNK)  # JUNK for Pelican's IGNORE_FILES


def is_junk(name: str) -> bool:
    """Tell whether a file or folder is one an editor's tools make by themselves (JUNK), in any case."""
    return bool(_JUNK.match(name.lower()))


def stray_file_errors(settings: dict, show: Callable[[str], str]) -> list[ContentError]:
    """Report every file in the content folder that would not be published: wrong extension, wrong folder, Word files."""
    content = settings["PATH"]
    sources = [*settings.get("ARTICLE_PATHS", []), *settings.get("PAGE_PATHS", [])]
    static = settings.get("STATIC_PATHS") or []
    registry = os.path.normpath(settings.get("BULLETIN_REGISTRY") or "units.yml")
    shown = show(content)
    folders = {key: f"{shown}/{(settings.get(setting) or [default])[0]}" for key, setting, default in
               (("articles", "ARTICLE_PATHS", ARTICLES), ("pages", "PAGE_PATHS", PAGES), ("images", "STATIC_PATHS", IMAGES))}
    errors = []
    for parent, dirs, files in os.walk(content):
        here = os.path.relpath(parent, content)
        dirs[:] = sorted(d for d in dirs if not is_junk(d) and not _under(os.path.normpath(os.path.join(here, d)) + os.sep, static))
        for name in sorted(files):
            full = os.path.join(parent, name)
            relative = os.path.normpath(os.path.join(here, name))
            if is_junk(name) or relative == registry or _under(relative, static):
                continue
            in_sources = _under(relative, sources)
            if not (in_sources and is_source(name)):
                errors.append(ContentError(show(full), 1, _advice(full, show(full), in_sources, **folders)))
    return errors


EXCLUDES = ("ARTICLE_EXCLUDES", "PAGE_EXCLUDES", "STATIC_EXCLUDES")


def folder_link_errors(settings: dict, show: Callable[[str], str]) -> list[ContentError]:
    """Report every link to a folder of the content folder found in the folders Pelican reads, and keep Pelican out
    of it (it follows links: a link to a folder above itself is a loop it would walk until the path is too long,
    reading the same articles again under every longer path, and a link to another folder reads it twice)."""
    content = settings["PATH"]
    root = os.path.realpath(content)
    folders = [*settings.get("ARTICLE_PATHS", []), *settings.get("PAGE_PATHS", []), *(settings.get("STATIC_PATHS") or [])]
    errors = []
    for folder in dict.fromkeys(folders):
        for parent, dirs, _files in os.walk(os.path.join(content, folder)):
            for name in [d for d in dirs if os.path.islink(os.path.join(parent, d))]:
                dirs.remove(name)
                full = os.path.join(parent, name)
                target = os.path.realpath(full)
                if target != root and not target.startswith(root + os.sep):
                    continue  # out of the content folder: its files are refused one by one (schema, static)
                relative = os.path.relpath(full, content).replace(os.sep, "/")
                for key in EXCLUDES:
                    settings[key] = [*settings.get(key, []), relative]
                aimed = os.path.relpath(target, root).replace(os.sep, "/")
                aimed = "thư mục nội dung" if aimed == "." else f"thư mục {aimed}/"
                if os.path.realpath(parent) == target or os.path.realpath(parent).startswith(target + os.sep):
                    what = f"trỏ ngược lên {aimed} chứa chính nó (một vòng lặp: các tệp trong đó sẽ bị đọc lại vô số lần)"
                else:
                    what = f"trỏ tới {aimed} (các tệp trong đó sẽ bị đọc hai lần, trùng địa chỉ)"
                errors.append(ContentError(show(full), 1, f'"{relative}" là liên kết thư mục {what} — hãy xóa liên kết này'))
    return errors


def _under(relative: str, folders: list[str]) -> bool:
    """Tell whether a path relative to the content folder lies in one of these folders."""
    return any(not folder or relative.startswith(os.path.normpath(folder) + os.sep) for folder in folders)


def _advice(full: str, shown: str, in_sources: bool, articles: str, pages: str, images: str) -> str:
    """Say why a file is not published and what to do with it (Vietnamese)."""
    name = os.path.basename(full)
    stem, extension = _split(name)
    if extension in MARKDOWN_TYPES or (extension in ("", ".txt", ".text") and _has_front_matter(full)):
        renamed = "" if name == f"{stem}.md" else f' và đổi tên thành "{stem}.md"'
        if in_sources:
            return f'tệp này không được đăng vì đuôi tệp không phải .md — hãy đổi tên thành "{stem}.md"'
        return (f"bài viết không nằm trong {articles}/ hay {pages}/ nên không được đăng — "
                f"hãy chuyển vào {articles}/<năm>/ (trang tĩnh: {pages}/){renamed}")
    if extension in (".docx", ".txt"):
        return (f"tệp {extension} không phải bài Markdown nên không được đăng — hãy chuyển thành bài bằng lệnh "
                f'invoke import "{shown}", rồi chuyển tệp gốc ra khỏi thư mục nội dung')
    if extension in WORD_TYPES:
        return (f"tệp {extension} không được đăng — hãy mở bằng Word, lưu lại dạng .docx rồi chạy invoke import với "
                "tệp .docx đó, và chuyển các tệp gốc ra khỏi thư mục nội dung")
    if extension in PHOTO_TYPES:
        return f"ảnh nằm ngoài {images}/ nên không được đưa lên trang — hãy chuyển vào {images}/<năm>/ và sửa đường dẫn trong bài"
    documents = f"{os.path.dirname(images)}/{DOCUMENTS}"
    return (f"tệp này không được đưa lên trang: chỉ bài .md trong {articles}/, {pages}/, ảnh trong {images}/ và tài liệu "
            f"trong {documents}/ được đăng — ảnh hãy chuyển vào {images}/, tài liệu đăng kèm bài vào {documents}/, "
            "tệp khác hãy chuyển ra khỏi thư mục nội dung")


def _split(name: str) -> tuple[str, str]:
    """Split a name into its stem and lower-case extension, dropping every text extension (x.md.txt -> x, .txt)."""
    stem, extension = os.path.splitext(name)
    while os.path.splitext(stem)[1].lower() in TEXT_TYPES:
        stem = os.path.splitext(stem)[0]
    return stem, extension.lower()


def _has_front_matter(full: str) -> bool:
    """Tell whether a file starts like an article (a `---` line), whatever its name."""
    try:
        with open(full, "rb") as handle:
            start = handle.read(8)
    except OSError:
        return False
    return start.removeprefix(b"\xef\xbb\xbf").startswith(b"---")


def static_link(src: str) -> str:
    """Point a link to a file of content/images or content/tai-lieu at Pelican's {static} placeholder."""
    bare = src.strip()
    while bare.startswith("../"):
        bare = bare[3:]
    bare = bare.lstrip("/")
    return "{static}/" + bare if bare.startswith(STATIC_FOLDERS) else src


def lookalike_hint(full: str) -> str:
    """Say why a file an article names is not found although the editor sees it: the folder holds a name that differs
    only in how its letters are encoded (NFD, as macOS and some zip tools write names) or in capitals. "" otherwise."""
    folder, name = os.path.split(full)
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return ""
    wanted = unicodedata.normalize("NFC", name)
    for other in names:
        written = unicodedata.normalize("NFC", other)
        if other != name and written == wanted:
            return (f' — trong thư mục có tệp "{other}" trông giống hệt nhưng tên được ghi bằng mã Unicode khác (dấu '
                    "tách khỏi chữ, hay gặp khi chép tệp từ máy Mac hoặc giải nén): hãy đổi tên tệp đó, gõ lại tên trên máy này")
        if written != wanted and written.casefold() == wanted.casefold():
            return f' — trong thư mục có tệp "{other}": tên tệp phân biệt chữ hoa, chữ thường; hãy viết đúng như tên tệp'
    return ""
