"""Front matter -> typed metadata. Every problem becomes a ContentError(path, line, message)."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import yaml

from . import limits, yamlsrc
from .dates import parse_date
from .errors import ContentError, DateError, TermError
from .registry import CODE, Registry, Unit, unit_choices
from .sources import HEIF_TYPES, IMAGE_TYPES, RASTER_TYPES, is_junk, lookalike_hint
from .terms import Term, parse_term
from .text import fold, lookup_key, nfc, slugify

MAX_TITLE = 300  # characters: a longer "title" is a paragraph pasted in its place
STATUSES = ("published", "draft")
# Hidden characters: an error in a content file (schema.read_source), dropped from imported text (importer).
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u200b\u2028\u2029\ufeff\u202a-\u202e\u2066-\u2069]")
# What a reported hidden character becomes in the text that is parsed: YAML counts U+0085, U+2028 and U+2029 as
# line breaks (every later line number would be off) and stops at the others (the same problem, said twice).
_PARSED_AS = {0x85: " ", 0x2028: " ", 0x2029: " "}
TEXT_KEYS = ("title", "summary", "author", "author_title", "image_caption")  # where a # is part of the text
_FENCE = re.compile(r"^(---|\.\.\.)\s*$")


@dataclass(frozen=True)
class Image:
    """An illustration: its path inside the content folder and its caption."""

    path: str
    caption: str = ""


@dataclass
class Context:
    """What the checks need to know beyond the file itself."""

    registry: Registry
    zone: ZoneInfo
    content_dir: str
    registry_path: str = "content/units.yml"
    registry_ok: bool = True  # False when units.yml has errors: units are then not checked (the registry error says why)


@dataclass
class Document:
    """A content file split and checked: typed metadata, the Markdown body and the problems found."""

    path: str
    kind: str
    meta: dict = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    errors: list[ContentError] = field(default_factory=list)
    warnings: list[ContentError] = field(default_factory=list)  # reported; they do not stop the build
    lines: dict[str, int] = field(default_factory=dict)  # the line of each front-matter key

    @property
    def ok(self) -> bool:
        """Tell whether the file has no errors."""
        return not self.errors


class _Field:
    """The node of one front-matter key, with a way to report a problem at its line."""

    def __init__(self, doc: Document, key: str, key_node: yaml.Node, node: yaml.Node):
        self.doc, self.key, self.key_node, self.node = doc, key, key_node, node

    def error(self, message: str, node: yaml.Node | None = None) -> None:
        """Record a problem at the line of this key (or of one of its items)."""
        target = node if node is not None else self.node
        self.doc.errors.append(ContentError(self.doc.path, yamlsrc.line_of(target, 2), message))

    def text(self) -> str | None:
        """Return the value as one line of text, or record why it is not."""
        if not yamlsrc.is_scalar(self.node):
            kind = "danh sách" if isinstance(self.node, yaml.SequenceNode) else "nhóm khóa"
            self.error(f'"{self.key}" phải là một chuỗi chữ, không phải {kind}')
            return None
        value = " ".join(self.node.value.split())
        if not value:
            self.error(f'"{self.key}" để trống — {_fill_in(self.key, self.doc.kind)}')
            return None
        if found := CONTROL_CHARS.findall(value):  # written as a YAML escape ("\a", "\u0007"): only the parsed value has it
            self.error(f'"{self.key}" {_controls(found)}')
            return None
        return value

    def items(self) -> list[tuple[str, yaml.Node]]:
        """Return the value as a list of texts (one text is a list of one), recording bad items."""
        nodes = self.node.value if isinstance(self.node, yaml.SequenceNode) else [self.node]
        before = len(self.doc.errors)
        found = []
        for item in nodes:
            if not yamlsrc.is_scalar(item):
                self.error(f'mỗi mục của "{self.key}" phải là một chuỗi chữ', item)
            elif hidden := CONTROL_CHARS.findall(item.value):
                self.error(f'mục "{CONTROL_CHARS.sub("", item.value).strip()}" của "{self.key}" {_controls(hidden)}', item)
            elif item.value.strip():
                found.append((" ".join(item.value.split()), item))
        if not found and len(self.doc.errors) == before:
            self.error(f'"{self.key}" để trống — {_fill_in(self.key, self.doc.kind, "ít nhất một mục")}')
        return found


def title_problem(title: str) -> str | None:
    """Say why a title cannot be used (it is too long), or None when it can."""
    if len(title) > MAX_TITLE:
        return f"tiêu đề dài {len(title)} ký tự — hãy rút gọn dưới {MAX_TITLE} ký tự"
    return None


def parse_title(f: _Field, ctx: Context):
    """Check the title: one line of text."""
    value = f.text()
    problem = title_problem(value) if value else None
    if problem:
        f.error(problem)
        return None
    return value


def parse_date_field(f: _Field, ctx: Context):
    """Read the date, day first (dd/mm/yyyy) or ISO, in the site's time zone."""
    value = f.text()
    if value is None:
        return None
    try:
        return parse_date(value, ctx.zone)
    except DateError as error:
        f.error(str(error))
        return None


def parse_units(f: _Field, ctx: Context):
    """Resolve every unit against the registry, suggesting the closest names for unknown ones."""
    units: list[Unit] = []
    if not ctx.registry_ok:
        return None
    for value, node in f.items():
        unit = ctx.registry.resolve(value)
        if unit is None:
            f.error(_unknown_unit(value, ctx), node)
        elif unit not in units:
            units.append(unit)
    return tuple(units) if units else None


def _unknown_unit(value: str, ctx: Context) -> str:
    """Explain that a unit is not in the registry, with the closest ones."""
    message = f'đơn vị "{value}" không có trong {ctx.registry_path}'
    listed = _as_list("units", value, ctx.registry.resolve)
    if listed:
        return message + f" — nhiều đơn vị phải viết dạng danh sách: {listed}"
    near = ctx.registry.suggest(value)
    if near:
        message += f" — có phải {unit_choices(near)}?"
    else:
        message += " — hãy thêm đơn vị vào danh sách hoặc sửa lại tên"
    return message


def _as_list(key: str, value: str, accepts: Callable[[str], object]) -> str | None:
    """Write one value that holds several valid items (split at , or ;) as a YAML list: `key: [a, b]`."""
    parts = [p.strip() for p in re.split(r"[,;]", value) if p.strip()]
    if len(parts) > 1 and all(accepts(p) for p in parts):
        return f"{key}: [{', '.join(parts)}]"
    return None


def _term_or_none(value: str) -> Term | None:
    """Read a term, or return None when it is not one."""
    try:
        return parse_term(value)
    except TermError:
        return None


def parse_terms(f: _Field, ctx: Context):
    """Normalise every term to start–end."""
    terms: list[Term] = []
    for value, node in f.items():
        try:
            term = parse_term(value)
        except TermError as error:
            message, listed = str(error), _as_list("terms", value, _term_or_none)
            if listed:
                message = f'nhiệm kỳ "{value}" không đúng dạng năm–năm — nhiều nhiệm kỳ phải viết dạng danh sách: {listed}'
            f.error(message, node)
            continue
        if term not in terms:
            terms.append(term)
    return tuple(terms)


def parse_text(f: _Field, ctx: Context):
    """Return one line of text."""
    return f.text()


def parse_tags(f: _Field, ctx: Context):
    """Return the tags without repeats (compared across tone placement and case)."""
    seen: dict[str, str] = {}
    for value, _node in f.items():
        seen.setdefault(lookup_key(value), value)
    return tuple(seen.values())


def parse_status(f: _Field, ctx: Context):
    """Accept published or draft."""
    value = f.text()
    if value is None:
        return None
    if value.lower() not in STATUSES:
        f.error(f'trạng thái "{value}" không hợp lệ — chỉ dùng "published" (đăng) hoặc "draft" (bản nháp)')
        return None
    return value.lower()


def parse_slug(f: _Field, ctx: Context):
    """Accept an ASCII slug; suggest one when the value is not."""
    value = f.text()
    if value is None:
        return None
    if not CODE.match(value):
        f.error(f'slug "{value}" chỉ được gồm chữ thường không dấu, số và dấu gạch nối — có phải "{slugify(value)}"?')
        return None
    if len(value) > limits.SLUG_CHARS:
        f.error(f"slug dài {len(value)} ký tự — tối đa {limits.SLUG_CHARS}; hãy rút gọn (slug là phần cuối địa chỉ bài)")
        return None
    return value


def parse_image(f: _Field, ctx: Context):
    """Check that the image exists inside the content folder."""
    value = f.text()
    if value is None:
        return None
    relative = value.removeprefix("{static}").lstrip("/")
    full = os.path.realpath(os.path.join(ctx.content_dir, relative))
    root = os.path.realpath(ctx.content_dir)
    if not full.startswith(root + os.sep):
        f.error(f'ảnh "{value}" nằm ngoài thư mục nội dung — hãy chép ảnh vào content/images/')
        return None
    if not relative.lower().endswith(IMAGE_TYPES + HEIF_TYPES):  # HEIC: images.py says how to convert it
        f.error(f'ảnh "{value}" không phải định dạng ảnh ({", ".join(IMAGE_TYPES)})')
        return None
    if not os.path.isfile(full):
        f.error(f'không tìm thấy ảnh "{value}"' + (lookalike_hint(full) or
                                                       " — đường dẫn tính từ thư mục content/, ví dụ images/2022/hoi-nghi.svg"))
        return None
    return os.path.relpath(full, root).replace(os.sep, "/")


ARTICLE_FIELDS: dict[str, Callable] = {
    "title": parse_title,
    "date": parse_date_field,
    "units": parse_units,
    "terms": parse_terms,
    "author": parse_text,
    "author_title": parse_text,
    "summary": parse_text,
    "tags": parse_tags,
    "image": parse_image,
    "image_caption": parse_text,
    "status": parse_status,
    "slug": parse_slug,
}
PAGE_FIELDS: dict[str, Callable] = {"title": parse_title, "summary": parse_text, "slug": parse_slug}
REQUIRED = {"article": ("title", "date", "units"), "page": ("title",)}
FIELDS = {"article": ARTICLE_FIELDS, "page": PAGE_FIELDS}


def read_source(full_path: str, path: str) -> tuple[str | None, list[ContentError]]:
    """Read a content file as NFC text, refusing binary, non-UTF-8, oversized and control-character files."""
    try:
        size = os.path.getsize(full_path)
        if size > limits.ARTICLE_BYTES:
            return None, [ContentError(path, 1, f"tệp quá lớn ({size / 1048576:.1f} MB) — một bài viết tối đa "
                                                f"{limits.ARTICLE_BYTES // 1048576} MB; hãy tách bài hoặc bỏ ảnh nhúng")]
        with open(full_path, "rb") as handle:
            raw = handle.read()
    except OSError as error:
        return None, [ContentError(path, 1, f"không đọc được tệp ({error.strerror})")]
    if not raw.strip():
        return None, [ContentError(path, 1, "tệp rỗng — hãy viết phần khai báo và nội dung, hoặc xóa tệp")]
    if utf16(raw):
        return None, [ContentError(path, 1, "tệp lưu ở mã UTF-16, không phải UTF-8 — hãy mở bằng trình soạn thảo và lưu lại với "
                                            "mã hóa UTF-8 (Notepad: Lưu thành…, ô Mã hóa chọn UTF-8)")]
    if b"\x00" in raw:
        return None, [ContentError(path, 1, "tệp nhị phân, không phải văn bản Markdown — hãy xóa hoặc chuyển ra khỏi thư mục bài viết")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [ContentError(path, line, "tệp không phải mã UTF-8 — hãy lưu lại với mã hóa UTF-8, hoặc dùng 'invoke import' để chuyển mã")]
    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n"))
    errors = [ContentError(path, number, _controls(found))
              for number, line in enumerate(text.split("\n"), 1) if (found := CONTROL_CHARS.findall(line))]
    if errors:  # reported above; the text is read without them, so nothing else is said about them
        text = CONTROL_CHARS.sub(lambda m: _PARSED_AS.get(ord(m.group(0)), ""), text)
    return text, errors


def utf16(raw: bytes) -> bool:
    """Tell whether bytes are text saved as UTF-16 (Windows Notepad's "Unicode"): a byte-order mark, or bytes that
    decode as UTF-16 into text (no NUL, few control characters, mostly ASCII as front matter and Vietnamese are)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    if len(raw) % 2 or b"\x00" not in raw:
        return False
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text and len(CONTROL_CHARS.findall(text)) <= len(text) // 100 \
                and sum(c < "\x80" for c in text) * 2 >= len(text):
            return True
    return False


def _controls(found: list[str]) -> str:
    """Name the hidden control characters found on one line, each kind once."""
    codes = ", ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(found))
    return f"có ký tự điều khiển ẩn ({codes}) — hãy xóa " + ("ký tự này" if len(found) == 1 else f"cả {len(found)} ký tự này")


def _fill_in(key: str, kind: str, what: str = "giá trị") -> str:
    """Say what to do with an empty key: a required one must be filled in, another may go."""
    return f"hãy điền {what}" if key in REQUIRED[kind] else f"hãy điền {what} hoặc xóa dòng này"


def split(text: str, doc: Document) -> tuple[str | None, int]:
    """Split the front matter from the body; return the YAML text and the body's first line."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        doc.errors.append(ContentError(doc.path, 1, "tệp phải bắt đầu bằng dòng --- rồi đến phần khai báo (title, date, units…) và một dòng --- nữa"))
        return None, 1
    for number, line in enumerate(lines[1:], 2):
        if _FENCE.match(line):
            doc.body = "\n".join(lines[number:])
            return "\n".join(lines[1 : number - 1]), number + 1
    doc.errors.append(ContentError(doc.path, 1, "phần khai báo mở bằng --- ở dòng 1 nhưng thiếu dòng --- đóng"))
    return None, 1


def parse_document(text: str, path: str, kind: str, ctx: Context) -> Document:
    """Check a whole content file; return its typed metadata and body with every problem found."""
    doc = Document(path=path, kind=kind)
    yaml_text, doc.body_line = split(text, doc)
    if yaml_text is None:
        return doc
    written = bool(doc.body.strip())
    if too_big := limits.body_problems(doc.body):  # the body is not converted: the build stops on these anyway
        doc.errors += [ContentError(path, doc.body_line + p.line - 1, p.message) for p in too_big]
        doc.body = ""
    root, errors = yamlsrc.compose(yaml_text, path, 2)
    yaml_lines = yaml_text.split("\n")
    doc.errors.extend(errors)
    if errors:
        return doc
    if not isinstance(root, yaml.MappingNode):
        unspaced = [(n, m) for n, m in enumerate(map(yamlsrc.missing_space, yaml_lines), 2) if m]
        doc.errors += [ContentError(path, n, m) for n, m in unspaced] or [
            ContentError(path, 2, "phần khai báo phải gồm các dòng 'khóa: giá trị' (title: …, date: …)")]
        return doc
    fields = FIELDS[kind]
    for key_node, node in root.value:
        key = str(key_node.value)
        line = yamlsrc.line_of(key_node, 2)
        if not yamlsrc.is_scalar(key_node):
            doc.errors.append(ContentError(path, line, "tên khóa phải là một từ (title, date, units…), không phải danh sách hay nhóm khóa"))
        elif key not in fields:
            doc.errors.append(ContentError(path, line, _unknown_key(key, fields)))
        elif key in doc.meta:
            doc.errors.append(ContentError(path, line, f'khóa "{key}" bị lặp — hãy giữ một dòng'))
        elif yamlsrc.is_null(node):
            doc.errors.append(ContentError(path, line, f'"{key}" để trống — {_fill_in(key, kind)}'))
            doc.meta[key] = None
        else:
            doc.meta[key] = fields[key](_Field(doc, key, key_node, node), ctx)
            if key in TEXT_KEYS and (cut := yamlsrc.comment_after(node, yaml_lines)):
                doc.errors.append(ContentError(path, line, f'dấu # ở giữa "{key}" bắt đầu một chú thích nên phần '
                                                           f'"{cut}" bị bỏ — hãy đặt cả giá trị trong ngoặc kép'))
        doc.lines.setdefault(key, line)
    draft = doc.meta.get("status") == "draft"
    for key in REQUIRED[kind]:
        if key in doc.meta:
            continue
        if draft:  # a draft may be unfinished; it is never published, so it does not stop the build
            doc.warnings.append(ContentError(path, 1, f'bản nháp chưa có khóa "{key}" — cần điền trước khi đăng{_EXAMPLES[key]}'))
        else:
            doc.errors.append(ContentError(path, 1, f'thiếu khóa bắt buộc "{key}"{_EXAMPLES[key]}'))
    if kind == "article" and not draft and not written:  # at the closing ---: the body goes below it
        doc.errors.append(ContentError(path, doc.body_line - 1, "bài chưa có nội dung — hãy viết bài bên dưới dòng --- "
                                                                 "này, hoặc ghi status: draft nếu bài chưa xong"))
    if doc.meta.get("image_caption") and "image" not in doc.meta:
        doc.errors.append(ContentError(path, doc.lines["image_caption"], '"image_caption" cần đi kèm "image" (đường dẫn ảnh)'))
    return doc


_EXAMPLES = {
    "title": ' (ví dụ title: "Hội nghị lấy phiếu giới thiệu quy hoạch cán bộ")',
    "date": ' (ví dụ date: "04/04/2022 08:30")',
    "units": " (ví dụ units: [huyen-uy-hon-quan])",
}


# Keys an editor may write in Vietnamese (folded) -> the key to use.
VIETNAMESE_KEYS = {
    "tieu de": "title", "ten bai": "title", "ngay": "date", "ngay dang": "date", "don vi": "units",
    "nhiem ky": "terms", "tac gia": "author", "chuc vu": "author_title", "tom tat": "summary", "sapo": "summary",
    "tu khoa": "tags", "the": "tags", "anh": "image", "hinh anh": "image", "anh dai dien": "image",
    "chu thich anh": "image_caption", "chu thich": "image_caption", "trang thai": "status", "dia chi": "slug",
}


def _unknown_key(key: str, fields: dict) -> str:
    """Explain an unknown key, with the closest valid one (also for a key written in Vietnamese)."""
    meant = VIETNAMESE_KEYS.get(" ".join(fold(key).replace("_", " ").split()))
    near = [meant] if meant in fields else difflib.get_close_matches(key.lower(), list(fields), n=1, cutoff=0.6)
    if near:
        return f'khóa "{key}" không hợp lệ — có phải "{near[0]}"?'
    return f'khóa "{key}" không hợp lệ — các khóa dùng được: {", ".join(fields)}'


_URL_SAFE = re.compile(r"^[A-Za-z0-9._/-]+$")


def static_file_errors(content_dir: str, folders: list[str], show: Callable[[str], str]) -> list[ContentError]:
    """Report every static file (images…) whose name would not make a plain ASCII URL, or that links out of the content folder."""
    root = os.path.realpath(content_dir)
    errors = []
    for folder in folders:
        for parent, dirs, files in os.walk(os.path.join(content_dir, folder)):
            dirs[:] = sorted(d for d in dirs if not is_junk(d))  # Pelican does not copy what editors' tools leave
            for name in sorted(dirs + [f for f in files if not is_junk(f)]):
                full = os.path.join(parent, name)
                relative = os.path.relpath(full, content_dir).replace(os.sep, "/")
                if not os.path.realpath(full).startswith(root + os.sep):
                    errors.append(ContentError(show(full), 1, f'"{relative}" là liên kết trỏ ra ngoài thư mục nội dung — hãy chép tệp '
                                                              "vào đây thay vì dùng liên kết (tệp ngoài sẽ không được đưa lên trang)"))
                    if name in dirs:
                        dirs.remove(name)
                elif name in files and not _URL_SAFE.match(relative) and not name.lower().endswith(RASTER_TYPES + HEIF_TYPES):
                    # (a photo is published under an ASCII name made from its own: images.published_name)
                    stem, ext = os.path.splitext(relative)
                    safe = "/".join(slugify(part) or "tep" for part in stem.split("/")) + ext.lower()
                    message = (f'tên tệp "{relative}" có dấu, dấu cách hoặc ký tự đặc biệt nên không làm được địa chỉ '
                               f'trên trang — hãy đổi tên thành "{safe}" (và sửa các bài dùng ảnh này)')
                    errors.append(ContentError(show(full), 1, message))
    return errors


def default_slug(path: str) -> str:
    """Return the slug a file gets when its front matter gives none: its file name, made ASCII."""
    return slugify(os.path.splitext(os.path.basename(path))[0])


def check_file(full_path: str, path: str, kind: str, ctx: Context) -> Document:
    """Read and check one content file."""
    root = os.path.realpath(ctx.content_dir)
    if not os.path.realpath(full_path).startswith(root + os.sep):
        return Document(path=path, kind=kind, errors=[ContentError(path, 1, "tệp là liên kết trỏ ra ngoài thư mục nội dung — hãy chép nội dung vào đây thay vì dùng liên kết")])
    text, errors = read_source(full_path, path)
    if text is None:
        return Document(path=path, kind=kind, errors=errors)
    doc = parse_document(text, path, kind, ctx)
    doc.errors[:0] = errors
    folder = os.path.basename(os.path.dirname(full_path))
    if kind == "article" and re.fullmatch(r"\d{4}", folder) and doc.meta.get("date") and doc.meta["date"].year != int(folder):
        year = doc.meta["date"].year
        doc.errors.append(ContentError(path, doc.lines.get("date", 1), f"bài nằm trong thư mục năm {folder} nhưng ngày đăng "
                                                                        f"là năm {year} — hãy chuyển tệp sang thư mục {year}/ "
                                                                        "(hoặc sửa lại ngày)"))
    if not doc.meta.get("slug"):
        doc.meta["slug"] = default_slug(path)
        if len(doc.meta["slug"]) > limits.SLUG_CHARS:
            doc.errors.append(ContentError(path, 1, f"tên tệp dài quá (địa chỉ bài {len(doc.meta['slug'])} ký tự, tối đa "
                                                    f"{limits.SLUG_CHARS}) — hãy đặt tên tệp ngắn hơn hoặc thêm khóa slug"))
        if not doc.meta["slug"]:
            doc.errors.append(ContentError(path, 1, 'tên tệp không tạo được địa chỉ — hãy thêm khóa slug (ví dụ slug: "hoi-nghi-can-bo")'))
    return doc
