"""The static folders: images/ publishes only real images, tai-lieu/ only documents; every SVG is published rebuilt.

Each file's format is read from its bytes (filetypes.sniff): anything that is not a format its folder takes, under
an extension of its own format, is an error at `path:1` that says what to do. SVG files are parsed strictly
(svg.parse): one that could run code is an error at the line of each problem; the others are published as
svg.rebuild writes them, never as the editor's file.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from . import filetypes, svg
from .errors import ContentError
from .settings import STATE_KEY
from .sources import is_junk
from .urls import DOCUMENTS

KINDS = ", ".join(("JPG", "PNG", "WebP", "GIF", "AVIF", "SVG"))
DOCUMENT_NAMES = ", ".join(("PDF", "Word", "Excel", "PowerPoint", "OpenDocument"))
ADVICE = {
    "heic": "ảnh HEIC của iPhone, trình duyệt không hiển thị được — hãy chuyển thành JPG (trên iPhone: Cài đặt → "
            "Camera → Định dạng → Tương thích nhất, hoặc gửi ảnh qua Zalo, thư điện tử) rồi đặt lại",
    "tiff": "ảnh TIFF, trình duyệt không hiển thị được — hãy lưu lại thành JPG hoặc PNG",
    "bmp": "ảnh BMP, trình duyệt không hiển thị tốt — hãy lưu lại thành JPG hoặc PNG",
    "document": f"tài liệu, không phải ảnh — thư mục ảnh chỉ chứa ảnh; tài liệu đăng kèm bài hãy chuyển vào {DOCUMENTS}/ "
                f"(và sửa đường dẫn trong bài thành {DOCUMENTS}/…)",
    "image": f"ảnh, không phải tài liệu — thư mục {DOCUMENTS}/ chỉ chứa tài liệu; hãy chuyển ảnh vào images/",
    "not-document": f"tệp không phải tài liệu ({DOCUMENT_NAMES}) — hãy chuyển tệp này ra khỏi thư mục nội dung",
    "": f"tệp không phải ảnh ({KINDS}) — thư mục ảnh chỉ chứa ảnh; hãy chuyển tệp này ra khỏi thư mục nội dung",
}


def static_files(content_dir: str, folders: list[str]):
    """Yield (folder, full path) of every file in the static folders that is published (editors' tools' junk aside)."""
    for folder in folders:
        for parent, dirs, files in os.walk(os.path.join(content_dir, folder)):
            dirs[:] = sorted(d for d in dirs if not is_junk(d))
            for name in sorted(files):
                if not is_junk(name):
                    yield folder, os.path.join(parent, name)


def file_errors(full: str, shown: str, documents: bool = False) -> list[ContentError]:
    """Check one static file: a real image (or, in the documents folder, a document) whose extension names its
    format; an SVG that runs no code."""
    try:
        head = filetypes.read_head(full)
    except OSError:
        return []  # unreadable or a link to nowhere: the name checks report it
    kind = filetypes.sniff(head)
    if kind == "office" and not filetypes.is_office_package(full):
        kind = ""
    extension = os.path.splitext(full)[1].lower()
    if documents != (kind in filetypes.DOCUMENT_KINDS):
        if documents:
            return [ContentError(shown, 1, ADVICE["image" if kind in filetypes.IMAGE_KINDS else "not-document"])]
        if kind in filetypes.DOCUMENT_KINDS:
            return [ContentError(shown, 1, ADVICE["document"])]
    if extension in filetypes.SVG_EXTENSIONS and kind in ("svg", ""):  # the strict parser says what is wrong
        with open(full, "rb") as handle:
            try:
                svg.parse(handle.read())
            except svg.SvgRefused as refused:
                return [ContentError(shown, p.line, svg.refusal(p)) for p in refused.problems]
        return []
    allowed = filetypes.extensions_of(kind)
    if not allowed:
        return [ContentError(shown, 1, ADVICE.get(kind, ADVICE[""]))]
    if extension not in allowed:
        stem = os.path.splitext(os.path.basename(full))[0]
        return [ContentError(shown, 1, f"tệp có đuôi {extension or '(không có)'} nhưng thực ra là ảnh {kind.upper()} — "
                                       f'hãy đổi tên thành "{stem}{allowed[0]}" (và sửa các bài dùng ảnh này)')]
    return []


def static_type_errors(content_dir: str, folders: list[str], show: Callable[[str], str]) -> list[ContentError]:
    """Report every static file that is not a publishable image, or an SVG that could run code."""
    root = os.path.realpath(content_dir)
    errors = []
    for folder, full in static_files(content_dir, folders):
        if os.path.realpath(full).startswith(root + os.sep):  # a link out of the folder is reported by its name check
            errors += file_errors(full, show(full), documents=os.path.normpath(folder) == DOCUMENTS)
    return errors


def hold_back_svgs(generator) -> None:
    """Take the SVG files off Pelican's copy list: write_svgs publishes them rebuilt (signal static_generator_finalized)."""
    files = generator.context.get("staticfiles", [])
    held = [sc for sc in files if filetypes.is_svg(sc.source_path)]
    files[:] = [sc for sc in files if sc not in held]
    generator.settings[STATE_KEY].svgs = [(sc.source_path, sc.save_as) for sc in held]


def write_svgs(pelican) -> None:
    """Write every held-back SVG into the output, rebuilt from the allowlist (signal finalized)."""
    settings = pelican.settings
    for source, save_as in settings[STATE_KEY].svgs:
        with open(os.path.join(settings["PATH"], source), "rb") as handle:
            data = svg.rebuild(handle.read())  # checked when the build started: refusal cannot happen here
        target = os.path.join(settings["OUTPUT_PATH"], save_as)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(data)
