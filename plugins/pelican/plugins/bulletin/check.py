"""Check content without building: the same checks as the build, reported all at once."""

from __future__ import annotations

import json
import os
import sys

from . import images
from .build import read_settings
from .errors import ContentError
from .generator import URLS, collisions, save_as, slug_line, unpublished_link_errors
from .markup import convert, make_markdown, reference_errors
from .schema import check_file
from .sources import source_files
from .state import display_path, start_build

def check_content(conf: str, content: str, paths: list[str], notices: list[ContentError] | None = None) -> list[ContentError]:
    """Check the registry and every article and page; keep the errors of `paths` when given.

    Warnings (an unfinished draft, for one) go to `notices` when a list is passed.
    """
    if not os.path.isdir(content):
        return [ContentError(display_path(os.path.abspath(content)), 1, "không có thư mục nội dung này — kiểm tra lại đường dẫn --content")]
    settings = read_settings(conf, content)
    state = start_build(settings)
    errors = list(state.errors)
    entries, years = [], set()
    md = make_markdown()
    hidden, bodies = set(), []  # unpublished articles (real paths); published bodies to check for links to them
    for kind, key in (("article", "ARTICLE_PATHS"), ("page", "PAGE_PATHS")):
        for full in source_files(settings["PATH"], settings[key]):
            doc = check_file(full, display_path(full), kind, state.context)
            html = convert(md, doc.body)
            doc.errors += reference_errors(html, doc, full, settings["PATH"])
            doc.errors += images.check(doc, html, full, settings)
            if kind == "article" and (doc.meta.get("status") == "draft" or doc.meta.get("date") and state.withheld(doc.meta["date"])):
                hidden.add(os.path.realpath(full))
            else:
                bodies.append((doc, html, full))
            errors += doc.errors
            if notices is not None:
                notices += doc.warnings
            if doc.errors or not {"date", "slug"} <= doc.meta.keys() and kind == "article":
                continue
            if kind == "article":
                entries.append((settings["ARTICLE_SAVE_AS"].format(date=doc.meta["date"], slug=doc.meta["slug"]), doc.path, slug_line(doc)))
                years.add(doc.meta["date"].year)
            else:
                entries.append((settings["PAGE_SAVE_AS"].format(slug=doc.meta["slug"]), doc.path, slug_line(doc)))
    for doc, html, full in bodies:
        errors += unpublished_link_errors(doc, html, full, settings["PATH"], hidden)
    reserved = [save_as(URLS[k]) for k in ("units", "terms", "archives", "search")] + [f"{y}/index.html" for y in years]
    errors += collisions(entries, reserved)
    if paths:
        wanted = [display_path(os.path.abspath(p)) for p in paths]
        errors = [e for e in errors if any(_covers(w, e.path) for w in wanted)]
        if notices is not None:
            notices[:] = [n for n in notices if any(_covers(w, n.path) for w in wanted)]
        checked = [display_path(f) for kind in ("ARTICLE_PATHS", "PAGE_PATHS") for f in source_files(settings["PATH"], settings[kind])]
        checked.append(display_path(os.path.join(settings["PATH"], settings["BULLETIN_REGISTRY"])))
        for given, shown in zip(paths, wanted):
            if not os.path.exists(given):
                errors.append(ContentError(shown, 1, "không tìm thấy tệp hoặc thư mục này"))
            elif not any(_covers(shown, c) for c in checked + [e.path for e in errors]):
                errors.append(ContentError(shown, 1, f"không có bài viết hay trang nào ở đây — chỉ kiểm tra được tệp .md trong "
                                                     f"{display_path(settings['PATH'])}/articles và {display_path(settings['PATH'])}/pages"))
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
