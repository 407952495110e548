"""`invoke import`: which files to import, where each article and its pictures go (never over another file: the same
article twice is refused, another with the same title takes the next free name), and the run over them all."""

from __future__ import annotations

import glob
import os
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

from ..errors import ImportFailure, failure_reason
from ..registry import Registry
from ..urls import article_file, image_folder
from .article import SOURCE_TYPES, Article, read_article
from .render import render, report
from .sizes import check_article, check_source


def target_path(article: Article, content: str, now: datetime) -> str:
    """Return content/articles/<yyyy>/<slug>.md for an article (this year when it has no date)."""
    year = article.date.moment.year if article.date.moment else now.year
    return article_file(content, year, article.slug)


def name_pictures(article: Article, content: str, year: int) -> None:
    """Give each picture that may be written a free name under content/images/<yyyy>/ (none is written yet)."""
    folder = os.path.join(content, image_folder(year))
    number = 1
    for picture in article.pictures:
        if not picture.extension or picture.problem:
            continue
        while True:
            name = f"{article.slug}-{number}{picture.extension}"
            number += 1
            if not os.path.exists(os.path.join(folder, name)):
                break
        picture.path = f"{image_folder(year)}/{name}"


def write_pictures(article: Article, content: str) -> list[str]:
    """Write the named pictures (never over an existing file); return the files written."""
    written = []
    try:
        for picture in article.pictures:
            if picture.path:
                full = os.path.join(content, picture.path)
                os.makedirs(os.path.dirname(full), exist_ok=True)
                with open(full, "xb") as handle:  # x: fail rather than replace a file that appeared meanwhile
                    handle.write(picture.data)
                written.append(full)
    except FileExistsError as error:
        remove(written)
        raise ImportFailure(f"đã có tệp {error.filename} — không ghi đè; hãy nhập lại") from None
    return written


def remove(written: list[str]) -> None:
    """Delete the images this run just wrote for an article it could not write."""
    for image in written:
        os.remove(image)


def _front_matter_lines(text: str) -> set[str]:
    """Return the title and date lines of a Markdown file's front matter (as this importer writes them)."""
    head = text.split("\n---", 1)[0]
    return {line.strip() for line in head.splitlines() if line.startswith(("title:", "date:"))}


def _same_article(target: str, markdown: str, planned: dict[str, str]) -> bool:
    """Tell whether the file at target (on disk, or planned by this run) has this article's title and date."""
    if target in planned:
        existing = planned[target]
    else:
        try:
            with open(target, encoding="utf-8", errors="replace") as handle:
                existing = handle.read()
        except OSError:
            return True  # unreadable: never guess that a name is free
    wanted = _front_matter_lines(markdown)
    if wanted:
        return _front_matter_lines(existing) >= wanted
    return _body(existing) == _body(markdown)  # no title nor date to compare: the same text is the same article


def _body(markdown: str) -> str:
    """Return what follows a Markdown file's front matter, stripped."""
    return markdown.split("\n---", 1)[-1].strip()


def choose_target(article: Article, content: str, now: datetime, planned: dict[str, str]) -> str:
    """Return the path for the article: the title's own name, or the next free -2, -3… when another article has it.

    The same article imported again (a file of one of these names has its title and date) is refused, never
    written twice.
    """
    target = target_path(article, content, now)
    if not (os.path.exists(target) or target in planned):
        return target
    markdown, original, base = render(article), target, article.slug
    for number in range(2, 1000):
        if _same_article(target, markdown, planned):
            raise ImportFailure(f"đã có tệp {target} cùng tiêu đề và ngày — bài này đã được nhập, không ghi đè")
        article.name = f"{base}-{number}"
        candidate = target_path(article, content, now)
        if not (os.path.exists(candidate) or candidate in planned):
            article.renamed_from = original
            return candidate
        target = candidate
    raise ImportFailure(f"đã có tệp {target} và quá nhiều tệp cùng tên — không ghi đè")


def import_file(path: str, content: str, registry: Registry, zone: ZoneInfo, now: datetime, dry_run: bool,
                planned: dict[str, str] | None = None) -> tuple[str, list[str]]:
    """Import one file; return its Markdown and its report lines, or raise ImportFailure.

    `planned` maps the targets this run already chose to their Markdown, so a dry run names what a real run writes.
    """
    planned = {} if planned is None else planned
    if not os.path.isfile(path):
        raise ImportFailure("không tìm thấy tệp")
    check_source(path)
    article = read_article(path, registry, zone)
    target = choose_target(article, content, now, planned)
    name_pictures(article, content, int(os.path.basename(os.path.dirname(target))))
    markdown = render(article)
    check_article(markdown, target, content, registry, zone)  # before anything is written
    if not dry_run:
        written = write_pictures(article, content)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        try:
            with open(target, "x", encoding="utf-8") as handle:
                handle.write(markdown)
        except FileExistsError:
            remove(written)
            raise ImportFailure(f"đã có tệp {target} — không ghi đè") from None
    planned[target] = markdown
    return markdown, report(article, target, path)


def run(paths: list[str], content: str, registry: Registry, zone: ZoneInfo, dry_run: bool = False,
        now: datetime | None = None, out=None, err=None) -> int:
    """Import every file; print Markdown (dry run) and reports; return the exit code (1 if any file failed)."""
    out, err = out or sys.stdout, err or sys.stderr
    now = now or datetime.now(zone)
    failed = 0
    planned: dict[str, str] = {}
    for path in paths:
        try:
            markdown, lines = import_file(path, content, registry, zone, now, dry_run, planned)
        except ImportFailure as error:
            print(f"{path}: {error}", file=err)
            failed += 1
            continue
        except OSError as error:  # the machine: a read-only or full disk, no permission
            print(f"{path}: không đọc hay ghi được ({failure_reason(error)})", file=err)
            failed += 1
            continue
        if dry_run:
            out.write(markdown)
        print("\n".join(lines), file=err if dry_run else out)
    if failed:
        print(f"{failed}/{len(paths)} tệp không nhập được.", file=err)
    return 1 if failed else 0


def _scratch(name: str) -> bool:
    """Tell whether a file name is Word's lock file (~$…) or a hidden file, never an article."""
    return name.startswith(("~$", "."))


def expand_sources(given: list[str]) -> list[str]:
    """Turn the files, folders and patterns an editor gave into the list of files to import."""
    found: list[str] = []
    for item in given:
        if os.path.isdir(item):
            found += sorted(os.path.join(item, f) for f in os.listdir(item) if f.lower().endswith(SOURCE_TYPES) and not _scratch(f))
        elif any(ch in item for ch in "*?["):
            found += sorted(f for f in glob.glob(item) if not _scratch(os.path.basename(f)))
        else:
            found.append(item)
    return list(dict.fromkeys(found))
