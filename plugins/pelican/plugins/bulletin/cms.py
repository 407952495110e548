"""The web editor (Decap CMS) at /quan-tri/: its configuration, generated from the schema and the unit registry.

Nothing here is a hand-kept copy of the schema: the form has one field per key of schema.ARTICLE_FIELDS (and
PAGE_FIELDS), in that order, required as schema.REQUIRED says; FORM only adds what an editor reads (a Vietnamese
label and hint) and which widget edits the key. A key without an entry in FORM stops the build.

write_editor() is a build finisher: when BULLETIN_EDITOR names a backend it writes /quan-tri/ into the output
(index.html with its own Content-Security-Policy, config.json, Decap's bundle from node_modules and the files of
theme/admin/); otherwise it does nothing. check_entry() checks what the form holds with the build's own rules, for
the preview pane of `invoke edit`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass
from urllib.parse import urlsplit

from . import markup, sanitize, schema
from .errors import ContentError, SettingsError, display_path
from .settings import STATE_KEY
from .text import nfc, sort_key
from .urls import URLS

ADMIN = URLS["editor"].rstrip("/")  # the editor's folder in the site, and its address
PROJECT = os.path.abspath(os.path.join(os.path.dirname(__file__), *[os.pardir] * 4))  # holds node_modules/
DECAP = os.path.join("node_modules", "decap-cms", "dist")
YAML_JS = os.path.join("node_modules", "js-yaml", "dist", "js-yaml.min.js")
# Decap's own bundle: the main file, the chunks it loads on demand and its WebAssembly (not the cms.* copies, not maps).
_DECAP_FILE = re.compile(r"^(decap-cms\.js|\d+\.decap-cms\.js|[0-9a-f]+\.wasm)$")
# Files of theme/admin/ copied as they are (index.html is a template, filled in by admin_page()).
ADMIN_FILES = ("boot.js", "locale-vi.js", "admin.js", "admin.css")
CHECK_PATH = "/__xem-truoc/kiem-tra"  # the preview server's endpoint that checks an entry (invoke edit only)
# In a path template, Decap lower-cases the template and drops its quotes and dots, and reads {{year}} from the date
# in UTC: "2023-01-01 00:30" (Việt Nam) would land in 2022. The date field always holds "yyyy-mm-dd[ HH:MM]", so its
# first four characters are the article's own year; truncate() keeps them (and a space, trimmed with the rest).
YEAR = '{{date | truncate(4, " ")}}'
WORKFLOW_STATUSES = ("draft", "pending_review", "pending_publish")


@dataclass(frozen=True)
class FormField:
    """How the editor shows one front-matter key: a Vietnamese label and hint, the widget, its options."""

    label: str
    hint: str = ""
    widget: str = "string"
    options: tuple = ()  # (name, value) pairs Decap reads as field options


# A letter or digit Decap's file name keeps (ASCII once the marks are dropped): a title without one ("!!!", "🎉") gave
# the file name ".md", which the local backend refuses as a hidden file, an error the editor could not act on.
NAMED = "0-9A-Za-zÀ-ÃÈ-ÊÌÍÒ-ÕÙÚÝà-ãè-êìíò-õùúýĂăĐđĨĩŨũƠơƯưẠ-ỹ"

# One entry per key of schema.ARTICLE_FIELDS (tests/test_cms.py fails when the two differ).
FORM: dict[str, FormField] = {
    "title": FormField("Tiêu đề", "Một dòng, dưới 300 ký tự. Trang tự hiện tiêu đề, không cần chép lại vào nội dung.",
                       options=(("pattern", [rf"^(?=[^\n]*[{NAMED}])[^\n]{{1,300}}$",
                                             "Tiêu đề phải là một dòng, dưới 300 ký tự, có chữ cái hoặc chữ số."]),)),
    "date": FormField("Ngày đăng", "Ngày trước, tháng sau, giờ Việt Nam: 13/04/2022 08:30 là 8 giờ 30 ngày 13 tháng 4. "
                                   "Ngày trong tương lai thì bài được hẹn giờ: chỉ lên trang từ ngày đó.", "bulletin-date"),
    "units": FormField("Đơn vị", "Một hay nhiều đơn vị trong danh mục; đơn vị đứng đầu là đơn vị chính của bài. "
                                 "Gõ vài chữ (có dấu hay không dấu) để tìm.", "bulletin-units"),
    "terms": FormField("Nhiệm kỳ", "Chọn nhiệm kỳ đã có, hoặc gõ nhiệm kỳ mới dạng năm–năm (ví dụ 2025–2030) rồi bấm Thêm.",
                       "bulletin-terms"),
    "author": FormField("Tác giả", "Họ tên người viết."),
    "author_title": FormField("Chức danh, nơi công tác của tác giả", "Ví dụ: Văn phòng Huyện ủy."),
    "summary": FormField("Tóm tắt", "Một, hai câu hiện dưới tiêu đề ở các danh sách bài. Để trống thì lấy đoạn đầu của bài.",
                         "text"),
    "tags": FormField("Từ khóa", "Vài từ khóa ngắn, viết thường, có dấu; nên dùng lại từ khóa đã có.", "bulletin-tags"),
    "image": FormField("Ảnh đại diện", "Ảnh chụp hoặc hình vẽ (.jpg, .png, .webp, .svg…), lưu vào thư mục ảnh của năm đăng bài.",
                       "image", options=(("choose_url", False),)),
    "image_caption": FormField("Chú thích ảnh đại diện", "Một câu hoàn chỉnh; ảnh không chụp tại sự kiện thì ghi (ảnh minh họa). "
                                                         "Có chú thích thì phải có ảnh."),
    "status": FormField("Trạng thái trên trang", "“Bản nháp” giữ bài lại, không bao giờ lên trang, kể cả khi đã duyệt.", "select",
                        options=(("options", [{"label": "Đăng", "value": "published"},
                                              {"label": "Bản nháp — không đăng", "value": "draft"}]),
                                 ("default", "published"))),
    "slug": FormField("Địa chỉ bài (slug)", "Không bắt buộc: phần cuối địa chỉ bài, chữ thường không dấu, số và dấu gạch nối. "
                                            "Để trống thì lấy theo tên tệp.",
                      options=(("pattern", [schema.CODE.pattern, "Chỉ dùng chữ thường không dấu, số và dấu gạch nối, "
                                                                 "ví dụ hoi-nghi-can-bo."]),)),
}
PAGE_FORM: dict[str, FormField] = {key: FORM[key] for key in ("title", "summary", "slug")}
BODY = FormField("Nội dung", "Viết bằng Markdown; thanh công cụ chèn tiêu đề mục, danh sách, liên kết, ảnh có chú thích.",
                 "bulletin-markdown", options=(("sanitize_preview", True),))


class EditorError(SettingsError):
    """The editor's settings are incomplete; the message is Vietnamese."""


# ---------------------------------------------------------------- the configuration


def form_fields(kind: str) -> list[dict]:
    """Return Decap's field list for articles or pages: one field per schema key, in schema order, then the body."""
    keys, table = schema.FIELDS[kind], FORM if kind == "article" else PAGE_FORM
    missing = [key for key in keys if key not in table]
    if missing:
        raise EditorError(f"trình soạn thảo chưa có nhãn cho khóa {', '.join(missing)} — hãy thêm vào cms.FORM")
    fields = [field_config(key, table[key], key in schema.REQUIRED[kind]) for key in keys]
    return fields + [field_config("body", BODY, True)]


def field_config(name: str, form: FormField, required: bool) -> dict:
    """Return one Decap field."""
    field = {"name": name, "label": form.label, "widget": form.widget, "required": required}
    if form.hint:
        field["hint"] = form.hint
    field.update(form.options)
    return field


def collections(folder: str) -> list[dict]:
    """Return the articles and pages collections of a content folder at `folder` inside the repository."""
    articles = {
        "name": "articles", "label": "Bài viết", "label_singular": "bài",
        "description": "Tin bài của bản tin, xếp theo năm đăng.",
        "folder": f"{folder}/articles", "path": f"{YEAR}/{{{{slug}}}}", "extension": "md", "format": "bulletin",
        "create": True, "delete": False,
        "media_folder": f"/{folder}/images/{YEAR}", "public_folder": f"images/{YEAR}",
        "summary": "{{title}}", "sortable_fields": ["title"],
        "view_groups": [{"label": "Năm", "field": "date", "pattern": r"\d{4}"}],
        "fields": form_fields("article"),
    }
    pages = {
        "name": "pages", "label": "Trang tĩnh", "label_singular": "trang",
        "description": "Các trang không theo ngày: Giới thiệu, Liên hệ.",
        "folder": f"{folder}/pages", "path": "{{slug}}", "extension": "md", "format": "bulletin",
        "create": False, "delete": False, "media_folder": f"/{folder}/images", "public_folder": "images",
        "fields": form_fields("page"),
    }
    return [articles, pages]


def backend_config(editor: dict) -> dict:
    """Return Decap's backend: the local git server of `invoke edit`, GitHub, or Forgejo/Gitea (PKCE)."""
    kind, branch = editor.get("backend", ""), editor.get("branch") or "main"
    if kind == "local":
        return {"name": "proxy", "proxy_url": _need(editor, "url", "địa chỉ máy chủ cục bộ"), "branch": branch}
    if kind == "github":
        config = {"name": "github", "repo": _need(editor, "repo", "CMS_REPO"), "branch": branch,
                  "base_url": _need(editor, "auth_url", "CMS_AUTH_URL (máy chủ đăng nhập OAuth cho GitHub)")}
        if editor.get("auth_endpoint"):
            config["auth_endpoint"] = editor["auth_endpoint"]
        return config
    if kind in ("forgejo", "gitea"):  # Decap's forgejo backend: PKCE login and the editorial workflow (pull requests)
        return {"name": "forgejo", "repo": _need(editor, "repo", "CMS_REPO"), "branch": branch,
                "api_root": _need(editor, "api_root", "CMS_API_ROOT (ví dụ https://git.example.org/api/v1)").rstrip("/"),
                "app_id": _need(editor, "app_id", "CMS_APP_ID (Client ID của ứng dụng OAuth)")}
    raise EditorError(f'CMS_BACKEND="{kind}" không dùng được — chọn github, forgejo hoặc gitea')


def _need(editor: dict, key: str, name: str) -> str:
    """Return a required editor setting, or stop with what to set."""
    value = str(editor.get(key) or "").strip()
    if not value:
        raise EditorError(f"trình soạn thảo trên web cần {name}")
    return value


# Decap's commit messages ({{collection}} is the collection's label_singular): git history stays Vietnamese too.
COMMIT_MESSAGES = {
    "create": "Viết {{collection}} “{{slug}}”",
    "update": "Sửa {{collection}} “{{slug}}”",
    "delete": "Xóa {{collection}} “{{slug}}”",
    "uploadMedia": "Tải lên “{{path}}”",
    "deleteMedia": "Xóa “{{path}}”",
}


def decap_config(editor: dict) -> dict:
    """Return the whole Decap configuration for an editor setting."""
    folder = (editor.get("folder") or "content").strip("/")
    return {
        "backend": {**backend_config(editor), "commit_messages": COMMIT_MESSAGES},
        "publish_mode": "editorial_workflow",
        "load_config_file": False,
        "locale": "vi",
        "media_folder": f"{folder}/images",
        "public_folder": "images",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": collections(folder),
    }


def editor_data(state, site_css: str, editor: dict) -> dict:
    """Return what the editor's own scripts need besides Decap's configuration: units, terms, tags, the site's CSS."""
    units = [{"code": u.code, "name": u.name, "short_name": u.short_name, "aliases": list(u.aliases),
              "parent": u.parent, "depth": u.depth} for u in state.registry.walk()]
    terms, tags = set(), {}
    for _path, doc in sorted(state.documents.items()):  # the first spelling of a tag, in file order
        if doc.kind == "article":
            terms.update(doc.meta.get("terms") or ())
            for tag in doc.meta.get("tags") or ():
                tags.setdefault(tag.casefold(), tag)
    return {
        "units": units,
        "terms": [{"code": t.code, "label": t.label} for t in sorted(terms)],
        "tags": sorted(tags.values(), key=sort_key),
        "site": {"css": site_css},
        "check": CHECK_PATH if editor.get("backend") == "local" else "",
    }


# ---------------------------------------------------------------- the admin page


def editor_settings(settings: dict) -> dict | None:
    """Return BULLETIN_EDITOR when it names a backend, else None (no editor in this build)."""
    editor = settings.get("BULLETIN_EDITOR") or {}
    return editor if editor.get("backend") else None


def csp(editor: dict) -> str:
    """Return the editor page's Content-Security-Policy: its own files, the backend's API, nothing else.

    Decap compiles its configuration schema with `new Function` (ajv): 'unsafe-eval' on this page only. Its
    components style themselves with <style> elements (emotion): 'unsafe-inline' for styles only, never scripts.
    A photo added in the editor is a blob: URL until it is saved (shown, then read back to be sent).
    """
    backend = backend_config(editor)
    remote = {"proxy": backend.get("proxy_url", ""), "github": "https://api.github.com",
              "forgejo": backend.get("api_root", "")}[backend["name"]]
    origin = _origin(remote)
    images = {"github": " https://avatars.githubusercontent.com", "forgejo": f" {origin}"}.get(backend["name"], "")
    policy = {
        "default-src": "'self'",
        "script-src": "'self' 'unsafe-eval'",
        "style-src": "'self' 'unsafe-inline'",
        "img-src": f"'self' blob: data:{images}",
        "font-src": "'self'",
        "connect-src": f"'self' blob: {origin}",  # Decap reads a new photo back from its blob: URL to save it
        "frame-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'none'",
    }
    return "; ".join(f"{key} {value}" for key, value in policy.items())


def _origin(url: str) -> str:
    """Return scheme://host[:port] of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def admin_page(theme: str, editor: dict, versions: dict[str, str]) -> str:
    """Fill in theme/admin/index.html: the policy and each script's version (so browsers fetch a changed file)."""
    with open(os.path.join(theme, "admin", "index.html"), encoding="utf-8") as handle:
        page = handle.read()
    page = page.replace("{{ csp }}", csp(editor).replace('"', "&quot;"))
    for name, version in versions.items():
        page = page.replace("{{ v:" + name + " }}", version)
    return page


def write_editor(output: str, settings: dict, cancel=None) -> list[str]:
    """Write /quan-tri/ into a finished site when an editor backend is configured (a build finisher)."""
    editor = editor_settings(settings)
    if editor is None:
        return []
    state = settings.get(STATE_KEY)
    decap = os.path.join(PROJECT, DECAP)
    if not os.path.isdir(decap):
        return ["chưa cài Decap CMS (node_modules/decap-cms) — hãy chạy 'make setup'"]
    try:
        config = decap_config(editor)
    except EditorError as error:
        return [str(error)]
    folder = os.path.join(output, ADMIN)
    os.makedirs(folder, exist_ok=True)
    versions = {}
    for name in sorted(os.listdir(decap)):
        if _DECAP_FILE.match(name):
            _copy(os.path.join(decap, name), os.path.join(folder, name))
    _copy(os.path.join(PROJECT, YAML_JS), os.path.join(folder, "js-yaml.min.js"))
    theme = settings["THEME"]
    for name in ADMIN_FILES:
        source = os.path.join(theme, "admin", name)
        shutil.copyfile(source, os.path.join(folder, name))
        versions[name] = _digest(source)
    versions["decap-cms.js"] = _digest(os.path.join(decap, "decap-cms.js"))
    payload = {"decap": config, "bulletin": editor_data(state, site_css(output, settings), editor)}
    with open(os.path.join(folder, "config.json"), "w", encoding="utf-8") as handle:
        json.dump(payload, handle, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    with open(os.path.join(folder, "index.html"), "w", encoding="utf-8") as handle:
        handle.write(admin_page(theme, editor, versions))
    return []


def read_content(settings: dict):
    """Check every article and page as `invoke check` does and keep them in a build state (for write_editor when no
    build ran: the editor of `invoke edit` opens even while the content has errors, so that they can be fixed)."""
    from .sources import source_files
    from .state import start_build

    state = start_build(settings)
    for kind, key in (("article", "ARTICLE_PATHS"), ("page", "PAGE_PATHS")):
        for full in source_files(settings["PATH"], settings[key]):
            state.record(schema.check_file(full, display_path(full), kind, state.context))
    return state


def _copy(source: str, target: str) -> None:
    """Copy a file unless the same one is there (the live preview's fast updates run the finishers again)."""
    if os.path.isfile(target):
        there, here = os.stat(target), os.stat(source)
        if (there.st_size, there.st_mtime_ns) == (here.st_size, here.st_mtime_ns):
            return
    shutil.copy2(source, target)


def _digest(path: str) -> str:
    """Return a short hash of a file's bytes."""
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:10]


def site_css(output: str, settings: dict) -> str:
    """Return the address (from the editor page) of the site's stylesheet, hashed name included when it has one."""
    folder = os.path.join(output, settings.get("THEME_STATIC_DIR", "theme"), "css")
    names = sorted(n for n in os.listdir(folder) if re.fullmatch(r"style(\.[0-9a-f]+)?\.css", n)) if os.path.isdir(folder) else []
    return f"../{settings.get('THEME_STATIC_DIR', 'theme')}/css/{names[0] if names else 'style.css'}"


# ---------------------------------------------------------------- checking an entry (the preview pane)


def front_matter(data: dict, kind: str) -> str:
    """Write an entry of the form as the file the editor saves: one key a line, in schema order, values quoted."""
    lines = ["---"]
    for key in schema.FIELDS[kind]:
        value = data.get(key)
        if value in (None, "", []):
            continue
        if isinstance(value, list):
            lines.append(f"{key}:")
            lines += [f"  - {json.dumps(str(item), ensure_ascii=False)}" for item in value]
        else:
            lines.append(f"{key}: {json.dumps(str(value), ensure_ascii=False)}")
    unknown = [key for key in data if key not in schema.FIELDS[kind] and key != "body"]
    lines += [f"{key}: {json.dumps(str(data[key]), ensure_ascii=False)}" for key in unknown]
    return "\n".join(lines + ["---", "", str(data.get("body") or "").rstrip(), ""])


def check_entry(data: dict, kind: str, path: str, ctx: schema.Context, pending: tuple[str, ...] = (),
                source: str | None = None) -> list[dict]:
    """Check an entry of the form as the build would; return each problem with its field.

    `path` names the file in messages; `source` is where it is (or will be), for links relative to it (by default
    `path` inside the content folder). `pending` lists photos the editor has just added and that are saved with the
    entry: they are not in the content folder yet.
    """
    doc = schema.parse_document(nfc(front_matter(data, kind)), path, kind, ctx)
    html, removed = markup.render(markup.make_markdown(), doc.body)  # as the build publishes it
    problems = [(e, "error") for e in doc.errors]
    source = source or os.path.join(ctx.content_dir, path)
    problems += [(e, "error") for e in markup.reference_errors(html, doc, source, ctx.content_dir)]
    problems += [(e, "warning") for e in doc.warnings]
    problems += [(ContentError(path, doc.body_line + line - 1, message), "warning")
                 for line, message in sanitize.placed(doc.body, removed)]
    fields = _fields_by_line(doc)
    labels = {key: form.label for key, form in (FORM if kind == "article" else PAGE_FORM).items()} | {"body": BODY.label}
    found = []
    for error, level in problems:
        if any(f'"{p}"' in error.message for p in pending):
            continue
        key = "body" if error.line >= doc.body_line - 1 else fields.get(error.line) or _named_key(error.message, kind)
        if key in labels and _blank(data.get(key)):
            continue  # an empty field: the form itself asks for it when it is required
        message = error.message
        for name, label in labels.items():  # the form shows labels, not the file's keys
            message = message.replace(f'"{name}"', f"“{label}”")
        found.append({"field": key, "label": labels.get(key, ""), "message": message, "level": level})
    return found


def _blank(value) -> bool:
    """Tell whether a form value is empty (nothing, spaces only, an empty list)."""
    return not (value.strip() if isinstance(value, str) else value)


def _named_key(message: str, kind: str) -> str:
    """Return the key a file-level message names ("thiếu khóa bắt buộc "units""), or ""."""
    return next((key for key in schema.FIELDS[kind] if f'"{key}"' in message), "")


def _fields_by_line(doc: schema.Document) -> dict[int, str]:
    """Return the key each front-matter line belongs to (a list item belongs to the key above it)."""
    starts = sorted((line, key) for key, line in doc.lines.items())
    owner = {}
    for index, (line, key) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else doc.body_line
        for number in range(line, end):
            owner[number] = key
    return owner
