"""Search benchmark: the bulletin's own engine against Pagefind's stock UI on the same synthetic site, in Chromium.

    python benchmarks/search_bench.py --articles 10000

Writes a synthetic site (benchmarks/synth.py), builds it with the search index (the index step timed, with the
memory of the build's process tree sampled while it runs), then runs Pagefind (the npm package, its defaults) on
the same built pages, timed with its memory sampled. Pagefind needs about 200 KB of memory a page, so it is never
run above PAGEFIND_LIMIT articles: there, the figures are ours alone.

In Chromium, for each UI in a fresh context: the bytes the server sends from opening the page until the first
query's results are shown (sent as they are, then again gzip-compressed as a production server sends text), the
time from entering a query (one input event, as the last key of a typed query) to its results shown, debounce
included, for the first query and the median of 20 later ones; then the engines alone on the same queries with
their data loaded (no network). At 10,000 articles or fewer, the live preview too: from saving an article to a
search that finds its new text. Prints a table and writes benchmarks/results/search-<n>.json.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

from bench import TreeSampler, tree_memory_kb  # noqa: E402

from pelican.plugins.bulletin.browser import launch  # noqa: E402
from pelican.plugins.bulletin.searchindex import BUNDLE  # noqa: E402
from pelican.plugins.bulletin.serve import free_port  # noqa: E402

PAGEFIND = os.path.join(ROOT, "node_modules", ".bin", "pagefind")
PAGEFIND_LIMIT = 30000  # never more: Pagefind's indexer would take the whole machine's memory
STOCK = "_giao-dien-goc"  # URL folder of the scratch page with Pagefind's stock UI
FIRST_QUERY = "quy hoach can bo"
LATER_QUERIES = [
    "dang uy", "Đảng ủy", '"quy hoạch cán bộ"', "sinh hoat chi bo", "kiểm tra giám sát", "dong chi",
    "đại hội", "nghị quyết chuyên đề", "hoà giải", "phát triển đảng viên", "dan van kheo", "lấy phiếu tín nhiệm",
    "ủy ban kiểm tra", "cong nghe thong tin", "cán bộ trẻ", "kết nạp", "ngân sách", "hội nghị sơ kết",
    "đào tạo bồi dưỡng", "thủy lợi",
]
TEXT_FILES = (".html", ".css", ".js", ".json", ".svg", ".txt")
TARGETS = {"first_bytes_gzip_ratio": 0.5, "later_ratio": 0.25, "engine_ms_10000": 10.0, "engine_ms_100000": 30.0,
           "index_ratio": 0.25, "index_memory_mb_100000": 500.0, "preview_seconds": 2.0}

# Enter a query in our page (the whole text, then one input event); resolve with the milliseconds until its
# results are shown (the status names the query and the list is no longer busy) and how many are shown.
OURS_QUERY = """async (q) => {
  const input = document.getElementById('tu-khoa');
  const status = document.querySelector('[data-search-status]');
  const list = document.querySelector('[data-search-list]');
  const shown = q.trim().replace(/^"(.*)"$/, '$1');
  const done = () => /Tìm thấy|Không tìm thấy/.test(status.textContent) && status.textContent.includes(shown)
    && !list.hasAttribute('aria-busy');
  input.value = q;
  const started = performance.now();
  input.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'insertText', data: q.slice(-1)}));
  await new Promise(resolve => {
    const check = () => { if (done()) { observer.disconnect(); resolve(); } };
    const observer = new MutationObserver(check);
    observer.observe(document.getElementById('search-results'), {subtree: true, childList: true, characterData: true, attributes: true});
    check();
  });
  return [performance.now() - started, list.children.length];
}"""
# The same in the stock UI (its own debounce, 300 ms by default, included).
STOCK_QUERY = """async (q) => {
  const root = document.getElementById('search');
  const input = root.querySelector('.pagefind-ui__search-input');
  const done = () => {  // the count is shown for this query ("N kết quả cho …" or "Không tìm thấy kết quả cho …"), results loaded
    const message = root.querySelector('.pagefind-ui__message');
    return Boolean(message) && message.textContent.includes(q.trim()) && /kết quả cho/.test(message.textContent)
      && !root.querySelector('.pagefind-ui__loading');
  };
  input.value = q;
  const started = performance.now();
  input.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'insertText', data: q.slice(-1)}));
  await new Promise(resolve => {
    const check = () => { if (done()) { observer.disconnect(); resolve(); } };
    const observer = new MutationObserver(check);
    observer.observe(root, {subtree: true, childList: true, characterData: true, attributes: true});
    check();
  });
  return [performance.now() - started, root.querySelectorAll('.pagefind-ui__result').length];
}"""
# Our engine alone, its data loaded: each query once to load, then timed (ranking the first page).
OURS_ENGINE = """async (queries) => {
  const index = await BulletinSearch.open(document.getElementById('trang-tim-kiem').getAttribute('data-index'));
  const times = [];
  for (const q of queries) {
    const warm = await index.search({ text: q });
    await warm.page(10);
    const started = performance.now();
    const found = await index.search({ text: q });
    await found.page(10);
    times.push(performance.now() - started);
  }
  return times;
}"""
PAGEFIND_ENGINE = """async (queries) => {
  const pagefind = await import('/pagefind/pagefind.js');
  await pagefind.init();
  const times = [];
  for (const q of queries) {
    await pagefind.search(q);
    const started = performance.now();
    await pagefind.search(q);
    times.push(performance.now() - started);
  }
  return times;
}"""
STOCK_PAGE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tìm kiếm — giao diện gốc của Pagefind</title>
<link rel="stylesheet" href="/pagefind/pagefind-ui.css"><script src="/pagefind/pagefind-ui.js"></script>
<script src="init.js"></script></head>
<body><main><h1>Tìm kiếm</h1><div id="search"></div></main></body></html>
"""
STOCK_INIT = 'window.addEventListener("DOMContentLoaded", () => { new PagefindUI({ element: "#search" }); });\n'
# Run inside the preview's search page: the count of articles holding a word, read from the index as it is now.
PREVIEW_PROBE = """async (word) => {
  const index = await BulletinSearch.open(document.getElementById('trang-tim-kiem').getAttribute('data-index'));
  return (await index.search({ text: word })).total;
}"""


# ---------------------------------------------------------------- building

def write_content(content: str, articles: int) -> None:
    """Write the synthetic site once (it is deterministic)."""
    from synth import write_site

    marker = os.path.join(content, ".articles")
    if os.path.exists(marker):
        with open(marker) as handle:
            if handle.read() == str(articles):
                return
    shutil.rmtree(content, ignore_errors=True)
    write_site(content, articles, seed=0)
    with open(marker, "w") as handle:
        handle.write(str(articles))


def build_here(content: str, output: str) -> dict:
    """Build with the search index (in this process); time the index step and sample the memory of this process
    and its workers while it runs."""
    from pelican.plugins.bulletin import build as builder
    from pelican.plugins.bulletin import searchindex

    figures: dict = {}

    def index(folder: str, settings: dict, cancel=None) -> list[str]:
        start_rss, start_pss = tree_memory_kb(os.getpid())
        sampler = TreeSampler(os.getpid(), every=0.1)
        sampler.start()
        cpu = cpu_seconds()
        started = time.perf_counter()
        try:
            return searchindex.build_index(folder, settings, cancel)
        finally:
            figures["index_seconds"] = time.perf_counter() - started
            figures["index_cpu_seconds"] = cpu_seconds() - cpu
            sampler.done.set()
            sampler.join()
            figures.update(index_start_pss_mb=start_pss / 1024, index_start_rss_mb=start_rss / 1024,
                           index_peak_pss_mb=sampler.peak_pss_kb / 1024, index_peak_rss_mb=sampler.peak_kb / 1024)

    started = time.perf_counter()
    outcome = builder.build(os.path.join(ROOT, "pelicanconf.py"), content, output, None, (index,))
    figures["build_seconds_total"] = time.perf_counter() - started
    if not outcome.ok:
        raise SystemExit("\n".join(outcome.errors[:20]))
    figures["articles_built"] = outcome.articles
    figures["pelican_seconds"] = outcome.seconds
    figures["index_extra_pss_mb"] = figures["index_peak_pss_mb"] - figures["index_start_pss_mb"]
    return figures


def cpu_seconds() -> float:
    """Return the processor time (user and system) of this process and of its children that have ended."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def build(content: str, output: str) -> dict:
    """Build in a fresh process (so no earlier build's memory counts) and return its figures."""
    command = [sys.executable, os.path.abspath(__file__), "--build", content, output]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"dựng trang thất bại:\n{result.stderr[-3000:]}")
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    folder = os.path.join(output, BUNDLE)
    figures["bundle_bytes"] = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(folder) for f in fs)
    figures["bundle_files"] = sum(len(fs) for _, _, fs in os.walk(folder))
    return figures


def run_pagefind(output: str, bundle: str, articles: int) -> dict:
    """Index the built pages with Pagefind (its defaults), timed, its memory sampled; refuse above the limit."""
    if articles > PAGEFIND_LIMIT:
        raise SystemExit(f"không chạy Pagefind với hơn {PAGEFIND_LIMIT} bài: nó sẽ chiếm hết bộ nhớ của máy")
    shutil.rmtree(bundle, ignore_errors=True)
    cpu = cpu_seconds()
    started = time.perf_counter()
    process = subprocess.Popen([PAGEFIND, "--site", output, "--output-path", bundle], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "npm_config_offline": "true"})
    sampler = TreeSampler(process.pid, every=0.1)
    sampler.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    sampler.done.set()
    sampler.join()
    if process.returncode:
        raise SystemExit(f"Pagefind thất bại: {stderr.decode(errors='replace')[-2000:]}")
    pages = re.search(rb"Indexed (\d+) pages?", stdout)
    return {"seconds": seconds, "cpu_seconds": cpu_seconds() - cpu,
            "peak_rss_mb": sampler.peak_kb / 1024, "peak_pss_mb": sampler.peak_pss_kb / 1024,
            "pages": int(pages.group(1)) if pages else None,
            "bundle_bytes": sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(bundle) for f in fs),
            "bundle_files": sum(len(fs) for _, _, fs in os.walk(bundle))}


def write_stock_page(scratch: str) -> None:
    """Write the scratch page that shows Pagefind's stock UI, made as its documentation says, with its defaults."""
    os.makedirs(scratch, exist_ok=True)
    with open(os.path.join(scratch, "index.html"), "w", encoding="utf-8") as handle:
        handle.write(STOCK_PAGE)
    with open(os.path.join(scratch, "init.js"), "w", encoding="utf-8") as handle:
        handle.write(STOCK_INIT)


# ---------------------------------------------------------------- serving

class Counter:
    """Bytes the server has sent (headers and bodies), read and reset by the measurement."""

    def __init__(self):
        self.lock = threading.Lock()
        self.sent = 0
        self.kinds: dict[str, int] = {}
        self.gzip = False

    def add(self, n: int, path: str) -> None:
        kind = kind_of(path)
        with self.lock:
            self.sent += n
            self.kinds[kind] = self.kinds.get(kind, 0) + n

    def take(self) -> tuple[int, dict[str, int]]:
        """Return the bytes sent since the last call, in all and by kind of file."""
        with self.lock:
            sent, kinds, self.sent, self.kinds = self.sent, dict(sorted(self.kinds.items())), 0, {}
            return sent, kinds


def kind_of(path: str) -> str:
    """Name the kind of file a request path is, for the byte breakdown."""
    path = path.split("?", 1)[0]
    if f"/{BUNDLE}/" in path:
        rest = path.split(f"/{BUNDLE}/", 1)[1]
        return "chỉ mục " + (rest.split("/", 1)[0] if "/" in rest else rest.split("-", 1)[0])
    if path.startswith("/pagefind/"):
        rest = path[len("/pagefind/"):]
        return "pagefind " + (rest.split("/", 1)[0] if "/" in rest else os.path.splitext(rest)[1].lstrip(".") or rest)
    return os.path.splitext(path)[1].lstrip(".") or "html"


def serve(output: str, stock: str, pagefind: str, counter: Counter) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve the site, the stock page under /_giao-dien-goc/ and Pagefind's bundle under /pagefind/; count bytes.

    Text files are sent gzip-compressed while `counter.gzip` is set, as a server with gzip_static would (the
    search indexes' binary files are sent as they are: Pagefind's are compressed already, ours are varints).
    """
    compressed: dict[str, bytes] = {}

    class Handler(http.server.SimpleHTTPRequestHandler):
        def do_GET(self):
            path = self.translate_path(self.path)
            if not (counter.gzip and "gzip" in self.headers.get("Accept-Encoding", "")
                    and path.endswith(TEXT_FILES) and os.path.isfile(path)):
                return super().do_GET()
            if path not in compressed:
                with open(path, "rb") as handle:
                    compressed[path] = gzip.compress(handle.read(), compresslevel=9, mtime=0)
            body = compressed[path]
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(path))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            counter.add(len(body), self.path)
            self.wfile.write(body)

        def end_headers(self):
            counter.add(sum(len(line) for line in getattr(self, "_headers_buffer", [])) + 2, self.path)
            super().end_headers()

        def copyfile(self, source, outputfile):
            counter.add(os.fstat(source.fileno()).st_size, self.path)
            super().copyfile(source, outputfile)

        def translate_path(self, path):
            clean = path.split("?", 1)[0]
            if clean.startswith(f"/{STOCK}/"):
                return os.path.join(stock, clean[len(STOCK) + 2:] or "index.html")
            if clean.startswith("/pagefind/"):
                return os.path.join(pagefind, clean[len("/pagefind/"):])
            path = super().translate_path(path)
            return os.path.join(path, "index.html") if os.path.isdir(path) and path.endswith("/") else path

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=output))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


# ---------------------------------------------------------------- measuring in Chromium

def measure(browser, url: str, query_js: str, counter: Counter, engine_js: str | None = None) -> dict:
    """Open a page in a fresh context; time the first query and 20 later ones; count bytes; time the engine."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
    try:
        page = context.new_page()
        counter.take()
        page.goto(url, wait_until="load")
        first_ms, first_shown = page.evaluate(query_js, FIRST_QUERY)
        first_bytes, first_kinds = counter.take()
        later, later_bytes, shown = [], [], []
        for query in LATER_QUERIES:
            ms, count = page.evaluate(query_js, query)
            later.append(round(ms, 1))
            later_bytes.append(counter.take()[0])
            shown.append(count)
        figures = {
            "first_query_ms": round(first_ms, 1), "first_query_results_shown": first_shown,
            "first_query_bytes": first_bytes, "first_query_bytes_by_kind": first_kinds,
            "later_ms": later, "later_median_ms": round(statistics.median(later), 1),
            "later_median_bytes": statistics.median(later_bytes), "later_results_shown": shown,
        }
        if engine_js:
            times = page.evaluate(engine_js, [FIRST_QUERY, *LATER_QUERIES])
            figures["engine_ms"] = [round(t, 2) for t in times]
            figures["engine_median_ms"] = round(statistics.median(times), 2)
            counter.take()
        return figures
    finally:
        context.close()


def measure_browsers(output: str, stock: str, pagefind: str | None) -> dict:
    """Measure our page, and the stock UI when Pagefind ran, plain then with gzip."""
    from playwright.sync_api import sync_playwright

    counter = Counter()
    server, base = serve(output, stock, pagefind or os.path.join(stock, "khong-co"), counter)
    figures: dict = {}
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            try:
                for compressed in (False, True):
                    counter.gzip = compressed
                    suffix = "_gzip" if compressed else ""
                    figures["ours" + suffix] = measure(browser, f"{base}/tim-kiem/", OURS_QUERY, counter,
                                                       None if compressed else OURS_ENGINE)
                    if pagefind:
                        figures["stock" + suffix] = measure(browser, f"{base}/{STOCK}/", STOCK_QUERY, counter,
                                                            None if compressed else PAGEFIND_ENGINE)
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return figures


def measure_preview(content: str, output: str, saves: int = 3) -> dict:
    """Run the live preview on the site; save an article with a new word and time until a search finds it."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    port = free_port()
    command = [sys.executable, "-c", "import sys; from pelican.plugins.bulletin.serve import preview; "
               "preview('pelicanconf.py', sys.argv[1], sys.argv[2], '127.0.0.1', int(sys.argv[3]))",
               content, output, str(port)]
    lines: list[str] = []
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)
    threading.Thread(target=lambda: [lines.append(line) for line in process.stdout], daemon=True).start()
    article = sorted(p for p in (os.path.join(d, f) for d, _, fs in os.walk(os.path.join(content, "articles")) for f in fs))[0]
    with open(article, encoding="utf-8") as handle:
        original = handle.read()
    times: list[float] = []
    try:
        deadline = time.time() + 1800
        while not any("Xem trước tại" in line for line in lines):
            if process.poll() is not None or time.time() > deadline:
                raise SystemExit("bản xem trước không chạy được:\n" + "".join(lines[-20:]))
            time.sleep(0.5)
        with sync_playwright() as playwright:
            browser = launch(playwright)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/tim-kiem/")
            for save in range(saves):
                word = "xzqv" + "abcdefgh"[save] * 3
                with open(article, "w", encoding="utf-8") as handle:
                    handle.write(original.rstrip("\n") + f"\n\nGhi chú {word}.\n")
                saved = time.time()
                found = 0
                while not found and time.time() - saved < 60:
                    try:
                        found = page.evaluate(PREVIEW_PROBE, word)
                    except PlaywrightError:  # the preview reloaded the page mid-probe
                        page.wait_for_load_state()
                    if not found:
                        time.sleep(0.05)
                times.append(time.time() - saved)
                time.sleep(1)
            browser.close()
    finally:
        with open(article, "w", encoding="utf-8") as handle:
            handle.write(original)
        os.killpg(process.pid, signal.SIGTERM)
        process.wait()
    return {"save_to_search_seconds": [round(t, 2) for t in times], "median_seconds": round(statistics.median(times), 2),
            "max_seconds": round(max(times), 2)}


# ---------------------------------------------------------------- the run

def run(articles: int, work: str, pagefind: bool, preview: bool) -> dict:
    """Run the whole benchmark and return its figures."""
    folder = os.path.join(work, f"search-{articles}")
    content, output, stock = (os.path.join(folder, name) for name in ("content", "output", "stock"))
    bundle = os.path.join(folder, "pagefind")
    pagefind = pagefind and articles <= PAGEFIND_LIMIT
    figures: dict = {"articles": articles, "cpus": os.cpu_count(), "load_average_before": [round(x, 2) for x in os.getloadavg()]}
    started = time.perf_counter()
    write_content(content, articles)
    figures["synth_seconds"] = round(time.perf_counter() - started, 1)
    figures["ours_build"] = build(content, output)
    if pagefind:
        figures["pagefind_index"] = run_pagefind(output, bundle, articles)
    write_stock_page(stock)
    figures.update(measure_browsers(output, stock, bundle if pagefind else None))
    if preview:
        figures["preview"] = measure_preview(content, os.path.join(folder, "xem-truoc"))
    figures["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    figures["queries"] = {"first": FIRST_QUERY, "later": LATER_QUERIES}
    figures["targets"] = targets(figures)
    return figures


def targets(figures: dict) -> dict:
    """Compare the figures with the issue's targets."""
    ours, build_figures = figures["ours"], figures["ours_build"]
    limit = TARGETS["engine_ms_10000"] if figures["articles"] <= 10000 else TARGETS["engine_ms_100000"]
    met = {"engine_ms_max": limit, "engine_met": ours["engine_median_ms"] <= limit}
    if "stock" in figures:
        stock, index = figures["stock"], figures["pagefind_index"]
        met["first_bytes_gzip_ratio"] = round(figures["ours_gzip"]["first_query_bytes"] / figures["stock_gzip"]["first_query_bytes"], 3)
        met["first_bytes_ratio"] = round(ours["first_query_bytes"] / stock["first_query_bytes"], 3)
        met["later_ratio"] = round(ours["later_median_ms"] / stock["later_median_ms"], 3)
        met["index_ratio"] = round(build_figures["index_seconds"] / index["seconds"], 3)
        met["index_cpu_ratio"] = round(build_figures["index_cpu_seconds"] / index["cpu_seconds"], 3)
        met["index_memory_ratio"] = round(build_figures["index_extra_pss_mb"] / index["peak_rss_mb"], 3)
        met["first_bytes_met"] = met["first_bytes_gzip_ratio"] <= TARGETS["first_bytes_gzip_ratio"]
        met["later_met"] = met["later_ratio"] <= TARGETS["later_ratio"]
        met["index_met"] = met["index_ratio"] <= TARGETS["index_ratio"]
    if figures["articles"] >= 100000:
        met["index_memory_met"] = build_figures["index_extra_pss_mb"] <= TARGETS["index_memory_mb_100000"]
    if "preview" in figures:
        met["preview_met"] = figures["preview"]["max_seconds"] <= TARGETS["preview_seconds"]
    return met


def vn(value: float, digits: int = 0) -> str:
    """Format a number the Vietnamese way: 10.000 and 0,68."""
    return f"{value:,.{digits}f}".replace(",", "\0").replace(".", ",").replace("\0", ".")


def table(figures: dict) -> str:
    """Render the figures as a Markdown table (Vietnamese labels and number format)."""
    kb = lambda n: f"{vn(n / 1024, 1)} KB"  # noqa: E731
    ms = lambda n: f"{vn(n)} ms"  # noqa: E731
    ours, build_figures = figures["ours"], figures["ours_build"]
    stock, index = figures.get("stock"), figures.get("pagefind_index")
    none = "(không chạy)"
    rows = [
        ("Byte tải về đến khi có kết quả truy vấn đầu", kb(ours["first_query_bytes"]), kb(stock["first_query_bytes"]) if stock else none),
        ("… khi máy chủ nén gzip các tệp văn bản", kb(figures["ours_gzip"]["first_query_bytes"]),
         kb(figures["stock_gzip"]["first_query_bytes"]) if stock else none),
        ("Từ lúc nhập truy vấn đầu đến khi hiện kết quả", ms(ours["first_query_ms"]), ms(stock["first_query_ms"]) if stock else none),
        ("Trung vị 20 truy vấn sau (kể cả thời gian chờ gõ)", ms(ours["later_median_ms"]), ms(stock["later_median_ms"]) if stock else none),
        ("Trung vị byte tải thêm mỗi truy vấn sau", kb(ours["later_median_bytes"]), kb(stock["later_median_bytes"]) if stock else none),
        ("Trung vị thời gian riêng bộ máy tìm kiếm (dữ liệu đã tải)", f"{vn(ours['engine_median_ms'], 2)} ms",
         f"{vn(stock['engine_median_ms'], 2)} ms" if stock else none),
        ("Số kết quả hiện trên trang đầu", vn(ours["first_query_results_shown"]), vn(stock["first_query_results_shown"]) if stock else none),
        ("Bước lập chỉ mục khi dựng", f"{vn(build_figures['index_seconds'], 1)} s", f"{vn(index['seconds'], 1)} s" if index else none),
        ("… thời gian xử lý (CPU, mọi tiến trình)", f"{vn(build_figures['index_cpu_seconds'], 1)} s",
         f"{vn(index['cpu_seconds'], 1)} s" if index else none),
        ("Bộ nhớ thêm của bước lập chỉ mục (PSS cả cây tiến trình / RSS của Pagefind)",
         f"{vn(build_figures['index_extra_pss_mb'])} MB", f"{vn(index['peak_rss_mb'])} MB" if index else none),
        ("Chỉ mục: dung lượng, số tệp", f"{vn(build_figures['bundle_bytes'] / 1048576, 1)} MB, {vn(build_figures['bundle_files'])} tệp",
         f"{vn(index['bundle_bytes'] / 1048576, 1)} MB, {vn(index['bundle_files'])} tệp" if index else none),
    ]
    lines = [f"| {vn(figures['articles'])} bài viết | Bộ tìm kiếm của bản tin | Giao diện gốc của Pagefind |", "|---|---:|---:|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    met = figures["targets"]
    yes = lambda ok: "đạt" if ok else "CHƯA đạt"  # noqa: E731
    lines.append("")
    if stock:
        lines.append(f"- Byte truy vấn đầu (gzip) so với giao diện gốc: {vn(met['first_bytes_gzip_ratio'], 2)} "
                     f"(mục tiêu ≤ 0,5: {yes(met['first_bytes_met'])}); không nén: {vn(met['first_bytes_ratio'], 2)}.")
        lines.append(f"- Trung vị 20 truy vấn sau so với giao diện gốc: {vn(met['later_ratio'], 2)} (mục tiêu ≤ 0,25: {yes(met['later_met'])}).")
        lines.append(f"- Thời gian lập chỉ mục so với Pagefind: {vn(met['index_ratio'], 2)} (mục tiêu ≤ 0,25: {yes(met['index_met'])}); "
                     f"thời gian xử lý (CPU): {vn(met['index_cpu_ratio'], 2)}; bộ nhớ: {vn(met['index_memory_ratio'], 2)}.")
    lines.append(f"- Trung vị thời gian riêng bộ máy tìm kiếm: {vn(ours['engine_median_ms'], 2)} ms "
                 f"(mục tiêu ≤ {vn(met['engine_ms_max'])} ms: {yes(met['engine_met'])}).")
    if "index_memory_met" in met:
        lines.append(f"- Bộ nhớ thêm của bước lập chỉ mục: {vn(build_figures['index_extra_pss_mb'])} MB "
                     f"(mục tiêu ≤ 500 MB: {yes(met['index_memory_met'])}).")
    if "preview" in figures:
        lines.append(f"- Bản xem trước, từ lúc lưu bài đến khi tìm thấy chữ mới: "
                     f"{', '.join(vn(s, 2) for s in figures['preview']['save_to_search_seconds'])} giây "
                     f"(mục tiêu ≤ 2 giây: {yes(met['preview_met'])}).")
    lines.append(f"- Dựng trang (Pelican) {vn(build_figures['pelican_seconds'], 1)} s; bộ nhớ cả cây tiến trình khi bắt đầu "
                 f"lập chỉ mục {vn(build_figures['index_start_pss_mb'])} MB, cao nhất trong lúc lập {vn(build_figures['index_peak_pss_mb'])} MB (PSS).")
    loads = lambda xs: " / ".join(vn(x, 2) for x in xs)  # noqa: E731
    lines.append(f"- Tải trung bình của máy (1, 5, 15 phút): trước {loads(figures['load_average_before'])}, "
                 f"sau {loads(figures['load_average_after'])}, trên {figures['cpus']} lõi.")
    return "\n".join(lines)


def main() -> None:
    """Run the benchmark, print the table, write the JSON."""
    parser = argparse.ArgumentParser(description="Đo hiệu năng tìm kiếm")
    parser.add_argument("--articles", type=int, default=10000, help="số bài viết tổng hợp")
    parser.add_argument("--work", default=os.path.join(HERE, "scratch"), help="thư mục làm việc")
    parser.add_argument("--no-pagefind", action="store_true", help="chỉ đo bộ tìm kiếm của bản tin")
    parser.add_argument("--preview", choices=("auto", "yes", "no"), default="auto",
                        help="đo bản xem trước (mặc định: khi có từ 10.000 bài trở xuống)")
    parser.add_argument("--table", action="store_true", help="chỉ in lại bảng từ tệp JSON đã ghi")
    parser.add_argument("--build", nargs=2, metavar=("CONTENT", "OUTPUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        print(json.dumps(build_here(*args.build)))
        return
    target = os.path.join(HERE, "results", f"search-{args.articles}.json")
    if args.table:
        with open(target, encoding="utf-8") as handle:
            print(table(json.load(handle)))
        return
    preview = args.preview == "yes" or (args.preview == "auto" and args.articles <= 10000)
    figures = run(args.articles, args.work, not args.no_pagefind, preview)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w", encoding="utf-8") as handle:
        json.dump(figures, handle, ensure_ascii=False, sort_keys=True, indent=1)
        handle.write("\n")
    print(table(figures))
    print(f"\nĐã ghi {os.path.relpath(target)}")


if __name__ == "__main__":
    main()
