"""Check content without building: the same checks as the build, reported all at once."""

from __future__ import annotations

import json
import os
import sys

from . import images
from .build import read_settings
from .errors import ContentError, display_path
from .generator import collisions, slug_line, unpublished_link_errors
from .markup import make_markdown, reference_errors, render
from .schema import check_file
from .sources import source_files
from .state import start_build
from .urls import ARTICLES, PAGES, index_files, is_published, output_path


def check_content(conf: str, content: str, paths: list[str], notices: list[ContentError] | None = None) -> list[ContentError]:
    """Check the registry and every article and page; keep the errors of `paths` when given.

    Warnings (an unfinished draft, for one) go to `notices` when a list is passed.
    """
    if not os.path.isdir(content):
        return [ContentError(display_path(os.path.abspath(content)), 1, "không có thư mục nội dung này — kiểm tra lại đường dẫn --content")]
    settings = read_settings(conf, content)
    state = start_build(settings)
    errors = list(state.errors)
    entries, terms, periods = [], {}, {}
    md = make_markdown()
    hidden, bodies = set(), []  # unpublished articles (real paths); published bodies to check for links to them
    for kind, key in (("article", "ARTICLE_PATHS"), ("page", "PAGE_PATHS")):
        for full in source_files(settings["PATH"], settings[key]):
            doc = check_file(full, display_path(full), kind, state.context)
            html, _removed = render(md, doc.body)  # what the build publishes: converted, then sanitized
            doc.errors += reference_errors(html, doc, full, settings["PATH"])
            doc.errors += images.check(doc, html, full, settings)
            if not is_published(kind, doc.meta, state):
                hidden.add(os.path.realpath(full))
            else:
                bodies.append((doc, html, full))
            errors += doc.errors
            if notices is not None:
                notices += doc.warnings
            if doc.errors or (not {"date", "slug"} <= doc.meta.keys() and kind == "article"):
                continue
            fields = {"date": doc.meta["date"]} if kind == "article" else {}
            entries.append((output_path(kind, settings, slug=doc.meta["slug"], **fields), doc.path, slug_line(doc)))
            if kind == "article":
                periods.setdefault(doc.meta["date"].year, {})[doc.meta["date"].month] = None
                terms.update(dict.fromkeys(doc.meta.get("terms") or ()))
    for doc, html, full in bodies:
        errors += unpublished_link_errors(doc, html, full, settings["PATH"], hidden)
    errors += collisions(entries, index_files(state.registry.units, terms, periods))
    if paths:
        wanted = [display_path(os.path.abspath(p)) for p in paths]
        errors = [e for e in errors if any(_covers(w, e.path) for w in wanted)]
        if notices is not None:
            notices[:] = [n for n in notices if any(_covers(w, n.path) for w in wanted)]
        checked = [display_path(f) for kind in ("ARTICLE_PATHS", "PAGE_PATHS") for f in source_files(settings["PATH"], settings[kind])]
        checked.append(display_path(os.path.join(settings["PATH"], settings["BULLETIN_REGISTRY"])))
        for given, shown in zip(paths, wanted, strict=True):
            if not os.path.exists(given):
                errors.append(ContentError(shown, 1, "không tìm thấy tệp hoặc thư mục này"))
            elif not any(_covers(shown, c) for c in checked + [e.path for e in errors]):
                errors.append(ContentError(shown, 1, f"không có bài viết hay trang nào ở đây — chỉ kiểm tra được tệp .md trong "
                                                     f"{display_path(settings['PATH'])}/{ARTICLES} và {display_path(settings['PATH'])}/{PAGES}"))
    return sorted(set(errors))


def _covers(wanted: str, path: str) -> bool:
    """Tell whether a path given on the command line is this file or a folder above it."""
    return path == wanted or path.startswith(wanted.rstrip("/") + "/")


def _annotation_property(value: str) -> str:
    """Escape a value for a GitHub Actions annotation property (file=…, line=…)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A").replace(",", "%2C")


def print_report(errors: list[ContentError], form: str = "text", notices: list[ContentError] = ()) -> None:
    """Print errors as path:line: message (or JSON), warnings after them, with GitHub annotations when run there."""
    if form == "json":
        print(json.dumps([{"path": e.path, "line": e.line, "message": e.message} for e in errors], ensure_ascii=False, indent=2))
        return
    for notice in sorted(set(notices)):
        print(f"{notice.path}:{notice.line}: cảnh báo: {notice.message}")
    for error in errors:
        print(error, file=sys.stderr)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for error in errors:
            message = error.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            print(f"::error file={_annotation_property(error.path)},line={error.line}::{message}")
    print(f"{len(errors)} lỗi." if errors else "Nội dung hợp lệ, không có lỗi.", file=sys.stderr if errors else sys.stdout)
