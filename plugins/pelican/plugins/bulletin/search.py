"""Vietnamese full-text search: index a transformed copy of the article pages with Pagefind.

Pagefind matches unaccented queries against accented words, but treats đ as its own letter and each tone
placement (hòa/hoà) as a different word. So the pages are indexed from a copy whose text is NFC, has one
tone placement (text.canon) and writes every đ as ď (d with caron, a letter Vietnamese never uses): Pagefind
folds ď to d, so "dang" finds "Ďảng", and still ranks the exact spelling first, since ď is an accented letter
to it. The search page applies the same transform to the query and turns ď back into đ before showing
anything. The public pages stay as written.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import signal
import subprocess
import tempfile

from .folders import fresh_beside, remove_stale, swap_into_place
from .settings import STATE_KEY
from .text import canon, nfc

# How the indexed copy writes đ/Đ: letters Pagefind folds to d/D and Vietnamese never uses.
MARKED = {"đ": "\u010f", "Đ": "\u010e"}
UNMARKED = {v: k for k, v in MARKED.items()}
BUNDLE = "pagefind"  # the folder, inside the output, that the search page loads
INDEXER = os.path.join("node_modules", ".bin", "pagefind")
BODY_MARK = "data-pagefind-body"
PROJECT = os.path.abspath(os.path.join(os.path.dirname(__file__), *[os.pardir] * 4))  # holds node_modules/

# Pagefind also writes its stock interfaces; the site has its own search page, so they are not published.
STOCK_UI = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
            "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")

# Markup Pagefind never reads as text, then any tag; what lies between is text.
_MARKUP = re.compile(r"(<!--.*?-->|<script\b.*?</script\s*>|<style\b.*?</style\s*>|<[^>]*>)", re.S | re.I)
_UNIT_FILTER = re.compile(r'data-pagefind-filter="unit:([a-z0-9-]+)"')
_BODY_OPEN = re.compile(r"<[^>]*\sdata-pagefind-body[^>]*>")
_TAG_NAME = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)")
_HTML_OPEN = re.compile(r"<html\b[^>]*>", re.I)
_PAGEFIND_ATTRIBUTE = re.compile(r"\sdata-pagefind-")
_WORD = re.compile(r"[^\W\d_]+")


def mark_d(text: str) -> str:
    """Write đ/Đ as ď/Ď (Đảng -> Ďảng), the form the index holds."""
    return text.translate(str.maketrans(MARKED))


def unmark_d(text: str) -> str:
    """Turn ď/Ď back into đ/Đ (a ď in the source also shows as đ in search results)."""
    return text.translate(str.maketrans(UNMARKED))


@functools.lru_cache(maxsize=65536)
def _index_word(word: str) -> str:
    """Return one NFC word as the index holds it (words repeat, so this is cached)."""
    return mark_d(canon(word))


def index_text(text: str) -> str:
    """Return text as the index holds it: NFC, one tone placement, đ marked (the query gets the same)."""
    return _WORD.sub(lambda m: _index_word(m.group(0)), nfc(text))


def index_html(html: str) -> str:
    """Transform the text of an HTML page for indexing; tags, attributes, scripts and comments stay as they are."""
    parts = _MARKUP.split(html)
    parts[::2] = [index_text(part) if part.strip() else part for part in parts[::2]]
    return "".join(parts)


def add_unit_ancestors(html: str, registry) -> str:
    """Add a unit filter for every ancestor of the page's units, so a parent unit's filter includes them."""
    own = list(dict.fromkeys(_UNIT_FILTER.findall(html)))
    extra: list[str] = []
    for code in own:
        if code in registry.units:
            extra += [u.code for u in registry.ancestors(code) if u.code not in own and u.code not in extra]
    opening = _BODY_OPEN.search(html)
    if not extra or not opening:
        return html
    spans = "".join(f'<span data-pagefind-filter="unit:{code}"></span>' for code in extra)
    return html[: opening.end()] + spans + html[opening.end():]


def body_only(html: str) -> str:
    """Return the page cut down to what Pagefind reads: the <html> tag (its lang) and the element marking the body.

    The header, navigation and footer are most of each page's bytes, and Pagefind ignores text outside the body
    once any page marks one; left out, they cost neither the transform nor the indexer. A page with a
    data-pagefind-* attribute outside the body element (a meta or filter Pagefind would read there) stays whole.
    """
    opening = _BODY_OPEN.search(html)
    name = _TAG_NAME.match(opening.group(0)) if opening else None
    if name is None:
        return html
    tags = re.compile(rf"<(/?){re.escape(name.group(1))}\b[^>]*>", re.I)
    depth, end = 1, None
    for tag in tags.finditer(html, opening.end()):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            end = tag.end()
            break
    if end is None or _PAGEFIND_ATTRIBUTE.search(html[: opening.start()]) or _PAGEFIND_ATTRIBUTE.search(html[end:]):
        return html
    root = _HTML_OPEN.search(html)
    head = root.group(0) if root else "<html>"
    return f'{head}<head><meta charset="utf-8"></head><body>{html[opening.start():end]}</body></html>\n'


def html_files(output: str) -> list[str]:
    """Return the HTML files of the built site (the search bundle aside), as sorted relative paths."""
    found = []
    for folder, dirs, files in os.walk(output):
        dirs[:] = sorted(d for d in dirs if d != BUNDLE and not d.startswith("."))
        found += [os.path.relpath(os.path.join(folder, n), output) for n in files if n.endswith(".html")]
    return sorted(found)


class Cancelled(Exception):
    """The live preview asked an index run to stop: a newer edit will start another."""


def write_index_copy(output: str, copy: str, registry, cancel=None) -> int:
    """Write the transformed article pages (those marking a body) below `copy`, at the same paths; count them."""
    written = 0
    for relative in html_files(output):
        if cancel is not None and cancel.is_set():
            raise Cancelled
        with open(os.path.join(output, relative), encoding="utf-8") as handle:
            html = handle.read()
        if BODY_MARK not in html:
            continue
        html = index_html(body_only(html))
        target = os.path.join(copy, relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(add_unit_ancestors(html, registry) if registry else html)
        written += 1
    return written


def find_indexer(root: str | None = None) -> str | None:
    """Return the pinned Pagefind binary from node_modules (this project's first, then the working folder's)."""
    for base in filter(None, (root, PROJECT, os.getcwd())):
        path = os.path.join(base, INDEXER)
        if os.access(path, os.X_OK):
            return path
    return None


def run_indexer(indexer: str, site: str, bundle: str, cancel=None) -> subprocess.CompletedProcess:
    """Run Pagefind on `site`, writing its bundle to `bundle`, with no network; stop it when `cancel` is set."""
    command = [indexer, "--site", site, "--output-path", bundle, "--quiet"]
    environment = {**os.environ, "npm_config_offline": "true"}
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment) as process:
        while True:
            try:
                stdout, stderr = process.communicate(timeout=0.05)
                break
            except subprocess.TimeoutExpired:
                if cancel is not None and cancel.is_set():
                    kill_tree(process.pid)
                    process.wait()
                    raise Cancelled from None
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def process_tree(pid: int) -> list[int]:
    """Return a process and all its descendants (parents before their children), read from /proc."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    parents[int(entry)] = int(handle.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    family, frontier = [pid], [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, of in parents.items() if of == parent]
        family += children
        frontier += children
    return family


def kill_tree(pid: int) -> None:
    """Kill a process and all its descendants: the npm command is a wrapper that runs the real indexer as its child.

    (Not a process group of its own: Ctrl+C on a build, or a kill of the build's group, must reach the indexer too.)
    """
    for member in reversed(process_tree(pid)):  # children first
        with contextlib.suppress(ProcessLookupError):
            os.kill(member, signal.SIGKILL)


def build_index(output: str, settings: dict, cancel=None) -> list[str]:
    """Finisher: index the site's articles for the search page; return errors in Vietnamese.

    The bundle is written beside the old one and swapped in, so the search page keeps working while a preview
    re-indexes, and an index run that is cancelled (`cancel`, a threading.Event) leaves the old bundle whole.
    """
    indexer = find_indexer()
    if indexer is None:
        return [f"không tìm thấy bộ lập chỉ mục tìm kiếm {INDEXER} — chạy 'make setup' để cài"]
    state = settings.get(STATE_KEY)
    registry = state.registry if state is not None else None
    bundle = os.path.join(output, BUNDLE)
    remove_stale(bundle)  # left by a run that was cancelled or killed
    fresh = fresh_beside(bundle)
    try:
        with tempfile.TemporaryDirectory(prefix="search-") as copy:
            if write_index_copy(output, copy, registry, cancel) == 0:
                shutil.rmtree(bundle, ignore_errors=True)
                return []  # nothing to index: the search page says so
            result = run_indexer(indexer, copy, fresh, cancel)
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["không rõ lý do"]
            return [f"lập chỉ mục tìm kiếm thất bại: {detail[0]}"]
        for name in STOCK_UI:
            path = os.path.join(fresh, name)
            if os.path.exists(path):
                os.remove(path)
        os.chmod(fresh, 0o755)
        swap_into_place(fresh, bundle)
        return []
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
