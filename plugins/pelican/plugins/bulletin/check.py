"""Check content without building: the same checks as the build, reported all at once."""

from __future__ import annotations

import json
import os
import sys

from .build import read_settings
from .errors import ContentError
from .generator import URLS, collisions, save_as
from .schema import check_file
from .state import display_path, start_build

SOURCE_TYPES = (".md", ".markdown")


def source_files(content: str, folders: list[str]) -> list[str]:
    """Return every Markdown file below the given content folders, sorted."""
    found = []
    for folder in folders:
        for root, dirs, files in os.walk(os.path.join(content, folder)):
            dirs.sort()
            found += [os.path.join(root, f) for f in sorted(files) if f.lower().endswith(SOURCE_TYPES)]
    return found


def check_content(conf: str, content: str, paths: list[str]) -> list[ContentError]:
    """Check the registry and every article and page; keep the errors of `paths` when given."""
    settings = read_settings(conf, content)
    state = start_build(settings)
    errors = list(state.errors)
    entries, years = [], set()
    for kind, key in (("article", "ARTICLE_PATHS"), ("page", "PAGE_PATHS")):
        for full in source_files(settings["PATH"], settings[key]):
            doc = check_file(full, display_path(full), kind, state.context)
            errors += doc.errors
            if doc.errors:
                continue
            if kind == "article":
                entries.append((settings["ARTICLE_SAVE_AS"].format(date=doc.meta["date"], slug=doc.meta["slug"]), doc.path))
                years.add(doc.meta["date"].year)
            else:
                entries.append((settings["PAGE_SAVE_AS"].format(slug=doc.meta["slug"]), doc.path))
    reserved = [save_as(URLS[k]) for k in ("units", "terms", "archives", "search")] + [f"{y}/index.html" for y in years]
    errors += collisions(entries, reserved)
    if paths:
        wanted = [display_path(os.path.abspath(p)) for p in paths]
        errors = [e for e in errors if any(e.path == w or e.path.startswith(w.rstrip("/") + "/") for w in wanted)]
    return sorted(set(errors))


def print_report(errors: list[ContentError], form: str = "text") -> None:
    """Print errors as path:line: message (or JSON), with GitHub annotations when run there."""
    if form == "json":
        print(json.dumps([{"path": e.path, "line": e.line, "message": e.message} for e in errors], ensure_ascii=False, indent=2))
        return
    for error in errors:
        print(error, file=sys.stderr)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for error in errors:
            message = error.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            print(f"::error file={error.path},line={error.line}::{message}")
    print(f"{len(errors)} lỗi." if errors else "Nội dung hợp lệ, không có lỗi.", file=sys.stderr if errors else sys.stdout)
