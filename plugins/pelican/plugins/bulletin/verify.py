"""The quality gate for a public build: valid HTML, no broken reference, WCAG 2.1 AA, Atom feeds, an exact sitemap.

Every check returns a list of problems, each one line in Vietnamese naming the file; `verify` runs them all.
The site's address is read from the build itself (the Sitemap line of robots.txt), so the gate checks exactly
what was built, sub-path included.
"""

from __future__ import annotations

import json
import mimetypes
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

from . import publish
from .browser import CHROMIUM, launch
from .urls import URLS, file_pattern, save_as

PROJECT = os.path.abspath(os.path.join(os.path.dirname(__file__), *[os.pardir] * 4))  # holds node_modules/
VNU = os.path.join(PROJECT, "node_modules", "vnu-jar", "build", "dist", "vnu.jar")
AXE = os.path.join(PROJECT, "node_modules", "axe-core", "axe.min.js")
VNU_BATCH = 5000  # pages per Nu HTML Checker run
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SEARCH_WITH_RESULTS = URLS["search"] + "?q=h%E1%BB%99i%20ngh%E1%BB%8B"  # the search page showing results ("hội nghị")
WIDTHS = (320, 1280)
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
DATA_SCRIPT = "application/ld+json"
# Attributes that point at another file, by element.
REFERENCES = {"a": ("href",), "link": ("href",), "script": ("src",), "img": ("src",), "source": ("src",),
              "iframe": ("src",), "form": ("action",), "video": ("src", "poster"), "audio": ("src",)}
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
_HASHED_NAME = re.compile(rf"\.[0-9a-f]{{{publish.HASH_LENGTH}}}\.(css|js)$")


@dataclass
class Page:
    """What one HTML file holds that the checks look at."""

    path: str
    links: list[tuple[str, str, int]] = field(default_factory=list)  # (element, URL, line)
    ids: set[str] = field(default_factory=set)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, message)
    csp: bool = False


class _PageParser(HTMLParser):
    """Collect references, ids, inline scripts, event handlers and style attributes of one page."""

    def __init__(self, page: Page):
        super().__init__(convert_charrefs=True)
        self.page = page
        self._script_type: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        line = self.getpos()[0]
        if values.get("id"):
            self.page.ids.add(values["id"])
        for name in REFERENCES.get(tag, ()):
            if values.get(name):
                self.page.links.append((tag, values[name], line))
        if tag in ("img", "source") and values.get("srcset"):  # every candidate of a responsive picture
            self.page.links += [(tag, candidate.split()[0], line) for candidate in values["srcset"].split(",") if candidate.strip()]
        for name, _value in attrs:
            if name.startswith("on"):
                self.page.problems.append((line, f"thuộc tính sự kiện {name} trên <{tag}> (CSP chặn mã nội tuyến)"))
            elif name == "style":
                self.page.problems.append((line, f"thuộc tính style trên <{tag}> (CSP chặn định dạng nội tuyến)"))
        if tag == "script":
            self._script_type = None if values.get("src") else (values.get("type") or "text/javascript")
        elif tag == "style":
            self.page.problems.append((line, "thẻ <style> nội tuyến (CSP chặn) — hãy chuyển vào tệp CSS"))
        elif tag == "meta" and (values.get("http-equiv") or "").lower() == "content-security-policy":
            self.page.csp = True
        if tag in ("link", "script") and tag_asset(tag, values):
            asset = tag_asset(tag, values)
            if "/theme/" in asset and not _HASHED_NAME.search(urlsplit(asset).path):
                self.page.problems.append((line, f"tệp {asset} chưa mang mã băm trong tên (bộ nhớ đệm sẽ giữ bản cũ)"))

    def handle_data(self, data: str) -> None:
        if self._script_type and self._script_type != DATA_SCRIPT and data.strip():
            self.page.problems.append((self.getpos()[0], "mã <script> nội tuyến (CSP chặn) — chỉ dùng <script src> hoặc dữ liệu JSON-LD"))
            self._script_type = None
        elif self._script_type == DATA_SCRIPT and data.strip():
            try:
                json.loads(data)
            except ValueError:
                self.page.problems.append((self.getpos()[0], "dữ liệu JSON-LD không phải JSON hợp lệ"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script_type = None


def tag_asset(tag: str, values: dict) -> str:
    """Return the stylesheet or script file a <link> or <script> loads ('' otherwise)."""
    if tag == "script":
        return values.get("src") or ""
    return values.get("href") or "" if (values.get("rel") or "").lower() == "stylesheet" else ""


def read_page(output: str, relative: str) -> Page:
    """Parse one HTML file of the output."""
    page = Page(relative)
    parser = _PageParser(page)
    parser.feed(publish.read(output, relative))
    parser.close()
    return page


def site_address(output: str) -> tuple[str | None, list[str]]:
    """Return the site's address as built (from robots.txt), ending with a slash."""
    try:
        text = publish.read(output, publish.ROBOTS)
    except OSError:
        return None, [f"{output}: không phải bản công khai (thiếu {publish.ROBOTS}) — hãy dựng bằng 'invoke build --production'"]
    for line in text.splitlines():
        if line.lower().startswith("sitemap:"):
            return line.split(":", 1)[1].strip().removesuffix(publish.SITEMAP), []
    return None, [f"{output}/{publish.ROBOTS}: thiếu dòng Sitemap"]


def local_file(output: str, base: str, url: str) -> str | None:
    """Map an address of this site to the file that serves it; None when the address is elsewhere."""
    parts, root = urlsplit(url), urlsplit(base)
    if parts.scheme not in ("http", "https") or parts.netloc != root.netloc:
        return None
    if not parts.path.startswith(root.path):
        return ""  # on this host but outside the site's folder: nothing serves it
    relative = unquote(parts.path[len(root.path):])
    if relative == "" or relative.endswith("/"):
        relative += "index.html"
    return os.path.join(output, *relative.split("/"))


def check_references(output: str, base: str, pages: list[Page]) -> list[str]:
    """Every internal link, image, script, stylesheet and feed reference resolves to a file (fragments to an id)."""
    problems = []
    ids = {page.path: page.ids for page in pages}
    for page in pages:
        address = publish.page_url(base, page.path)
        for tag, link, line in page.links:
            if link.startswith(("mailto:", "tel:")):
                continue
            target = urljoin(address, link)
            path = local_file(output, base, target)
            if path is None:
                continue
            fragment = urlsplit(target).fragment
            if not path or not os.path.isfile(path):
                problems.append(f"{page.path}:{line}: <{tag}> trỏ tới {link} nhưng không có tệp nào ở địa chỉ đó")
            elif fragment and path.endswith(".html"):
                relative = os.path.relpath(path, output).replace(os.sep, "/")
                if relative in ids and unquote(fragment) not in ids[relative]:
                    problems.append(f"{page.path}:{line}: <{tag}> trỏ tới {link} nhưng trang đó không có id=\"{fragment}\"")
    for sheet in publish.walk(output, (".css",)):
        for link in _CSS_URL.findall(publish.read(output, sheet)):
            if link.startswith("data:"):
                continue
            path = local_file(output, base, urljoin(publish.page_url(base, sheet), link))
            if path is not None and (not path or not os.path.isfile(path)):
                problems.append(f"{sheet}: url({link}) không trỏ tới tệp nào")
    return problems


def check_inline(pages: list[Page]) -> list[str]:
    """No inline script (JSON-LD data aside), event handler or style; every page carries the CSP; assets hashed."""
    problems = [f"{page.path}:{line}: {message}" for page in pages for line, message in page.problems]
    problems += [f"{page.path}: thiếu Content-Security-Policy" for page in pages if not page.csp]
    return problems


def check_feeds(output: str, base: str) -> list[str]:
    """Every .xml file except the sitemap is an Atom feed with id, title, updated; entries link into the site."""
    problems = []
    for feed in publish.walk(output, (".xml",)):
        if feed == publish.SITEMAP or feed.split("/", 1)[0] in publish.SKIPPED_FOLDERS:
            continue
        try:
            root = ElementTree.parse(os.path.join(output, feed)).getroot()
        except ElementTree.ParseError as error:
            problems.append(f"{feed}:{error.position[0]}: nguồn tin không phải XML hợp lệ ({error})")
            continue
        if root.tag != ATOM + "feed":
            problems.append(f"{feed}: không phải nguồn tin Atom (phần tử gốc {root.tag})")
            continue
        for name in ("id", "title", "updated"):
            if root.find(ATOM + name) is None:
                problems.append(f"{feed}: nguồn tin thiếu <{name}>")
        for entry in root.findall(ATOM + "entry"):
            link = entry.find(ATOM + "link")
            href = link.get("href", "") if link is not None else ""
            path = local_file(output, base, href)
            if not href or (path is not None and not os.path.isfile(path or "")):
                problems.append(f"{feed}: mục \"{entry.findtext(ATOM + 'title')}\" trỏ tới {href or '(không có liên kết)'} — không có trang đó")
    return problems


def check_sitemap(output: str, base: str) -> list[str]:
    """sitemap.xml lists every published page, with absolute addresses, and nothing else."""
    try:
        root = ElementTree.parse(os.path.join(output, publish.SITEMAP)).getroot()
    except (OSError, ElementTree.ParseError) as error:
        return [f"{publish.SITEMAP}: không đọc được ({error})"]
    listed = [loc.text or "" for loc in root.iter(SITEMAP_NS + "loc")]
    expected = {publish.page_url(base, page) for page in publish.walk(output, (".html",)) if publish.listed(page)}
    problems = [f"{publish.SITEMAP}: {url} có trong sơ đồ nhưng không phải trang được đăng" for url in sorted(set(listed) - expected)]
    problems += [f"{publish.SITEMAP}: thiếu trang {url}" for url in sorted(expected - set(listed))]
    problems += [f"{publish.SITEMAP}: {url} được liệt kê nhiều lần" for url in sorted({u for u in listed if listed.count(u) > 1})]
    return problems


def check_html(output: str, files: list[str]) -> list[str]:
    """Run the Nu HTML Checker once over every page; each error as path:line: message."""
    java = shutil.which("java")
    if not java or not os.path.isfile(VNU):
        return ["không chạy được bộ kiểm tra HTML: cần Java và node_modules/vnu-jar — hãy chạy 'make setup'"]
    if not files:
        return []
    command = [java, "-Xss8m", "-jar", VNU, "--errors-only", "--format", "json", "--exit-zero-always"]
    messages = []
    for start in range(0, len(files), VNU_BATCH):  # one JVM per batch keeps the command line within the system's limit
        batch = [os.path.join(output, f) for f in files[start:start + VNU_BATCH]]
        result = subprocess.run(command + batch, capture_output=True, text=True)
        try:
            messages += json.loads(result.stderr or "{}").get("messages", [])
        except ValueError:
            return [f"bộ kiểm tra HTML không trả kết quả đọc được: {result.stderr[:300]}"]
    problems = []
    for message in messages:
        path = unquote(urlsplit(message.get("url", "")).path)
        shown = os.path.relpath(path, output) if path else "?"
        problems.append(f"{shown}:{message.get('lastLine', 1)}: HTML không hợp lệ — {message.get('message', '')}")
    return problems


def sample_pages(output: str) -> list[str]:
    """Pick the pages axe checks: home, an article, a unit, a term, the archive, a month, a printed edition's page,
    search, 404."""
    pages = publish.walk(output, (".html",))
    search = save_as(URLS["search"])
    picks = ["index.html", save_as(URLS["archives"]), search, SEARCH_WITH_RESULTS, publish.NOT_FOUND]
    for kind in ("article", "unit", "term", "month", "edition"):
        picks += [p for p in pages if file_pattern(kind).match(p)][:1]
    return [p for p in picks if p in pages or (p == SEARCH_WITH_RESULTS and search in pages)]


def serve_route(output: str, base: str):
    """Return a Playwright route handler that answers requests for the site's address from the output folder."""

    def handle(route) -> None:
        path = local_file(output, base, route.request.url)
        if path and os.path.isdir(path):
            path = os.path.join(path, "index.html")
        if not path or not os.path.isfile(path):
            route.fulfill(status=404, path=os.path.join(output, publish.NOT_FOUND), content_type="text/html; charset=utf-8")
            return
        kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
            kind += "; charset=utf-8"
        route.fulfill(status=200, path=path, content_type=kind)

    return handle


def check_accessibility(output: str, base: str, pages: list[str] | None = None, browser=None) -> list[str]:
    """Run axe-core (WCAG 2.1 A and AA) on sample pages at 320 and 1280 px in Chromium; report CSP violations too."""
    if not os.path.isfile(AXE):
        return ["không có node_modules/axe-core — hãy chạy 'make setup'"]
    if browser is None and not os.path.exists(CHROMIUM):
        return ["không có Chromium (/usr/bin/chromium) để kiểm tra khả năng tiếp cận — hãy chạy 'make setup'"]
    with open(AXE, encoding="utf-8") as handle:
        axe = handle.read()
    pages = pages or sample_pages(output)
    if browser is not None:
        return _run_axe(browser, output, base, pages, axe)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        try:
            return _run_axe(chromium, output, base, pages, axe)
        finally:
            chromium.close()


def _run_axe(browser, output: str, base: str, pages: list[str], axe: str) -> list[str]:
    """Visit each page at each width, inject axe and collect violations and refused resources."""
    problems = []
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 800}, locale="vi-VN")
        context.route(base + "**", serve_route(output, base))
        context.route(re.compile(r"^(?!" + re.escape(base) + ")https?://.*"), lambda route: route.abort())
        tab = context.new_page()
        refused: list[str] = []
        tab.on("console", lambda message, refused=refused: refused.append(message.text) if "content security policy" in message.text.lower() else None)
        try:
            for page in pages:
                refused.clear()
                if page.endswith(".html"):
                    tab.goto(publish.page_url(base, page), wait_until="load")
                else:  # a search: wait until the results are in
                    tab.goto(base + page, wait_until="networkidle")
                tab.evaluate(axe)
                result = tab.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS)
                for violation in result["violations"]:
                    targets = "; ".join(" ".join(node["target"]) if isinstance(node["target"], list) else str(node["target"])
                                        for node in violation["nodes"][:3])
                    problems.append(f"{page} ({width}px): vi phạm {violation['id']} — {violation['help']} — tại {targets}")
                problems += [f"{page} ({width}px): trình duyệt chặn theo CSP — {text}" for text in refused]
        finally:
            context.close()
    return problems


def verify(output: str, accessibility: bool = True, browser=None) -> list[str]:
    """Run every check on a public build; return all problems (empty when the site may go out)."""
    base, problems = site_address(output)
    if base is None:
        return problems
    files = [p for p in publish.walk(output, (".html",)) if p.split("/", 1)[0] not in publish.SKIPPED_FOLDERS]
    pages = [read_page(output, f) for f in files]
    problems += check_html(output, files)
    problems += check_references(output, base, pages)
    problems += check_inline(pages)
    problems += check_feeds(output, base)
    problems += check_sitemap(output, base)
    if accessibility:
        problems += check_accessibility(output, base, browser=browser)
    return problems
