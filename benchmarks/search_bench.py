"""Search benchmark: our search page against Pagefind's stock UI on the same synthetic site, in Chromium.

    python benchmarks/search_bench.py --articles 10000

Writes a synthetic site (benchmarks/synth.py), builds it, indexes it (timed, with the indexer's peak RSS),
then for a fixed set of queries measures, in a fresh browser context per UI, the bytes transferred from
opening the page to the first query's results, the time to those results, and the median time (and bytes)
of 20 later queries. The stock UI runs on a scratch copy of the search page in the work folder (never in
the public site), with the same server, images off and no debounce, so both UIs do the same work.
Prints a table and writes benchmarks/results/search-<n>.json.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

from pelican.plugins.bulletin import build as builder  # noqa: E402
from pelican.plugins.bulletin import search  # noqa: E402
from pelican.plugins.bulletin.browser import launch  # noqa: E402
from pelican.plugins.bulletin.registry import load_registry  # noqa: E402

STOCK = "_giao-dien-goc"  # URL folder of the scratch page with Pagefind's stock UI
FIRST_QUERY = "quy hoach can bo"
LATER_QUERIES = [
    "dang uy", "Đảng ủy", '"quy hoạch cán bộ"', "sinh hoat chi bo", "kiểm tra giám sát", "dong chi",
    "đại hội", "nghị quyết chuyên đề", "hoà giải", "phát triển đảng viên", "dan van kheo", "lấy phiếu tín nhiệm",
    "ủy ban kiểm tra", "cong nghe thong tin", "cán bộ trẻ", "kết nạp", "ngân sách", "hội nghị sơ kết",
    "đào tạo bồi dưỡng", "thủy lợi",
]
TARGET_BYTES_RATIO = 0.75
TEXT_FILES = (".html", ".css", ".js", ".json", ".svg")
TARGET_LATER_MS = 50.0

# Run in the page: enter a query, submit it, resolve with the milliseconds until the first results are shown
# (5, as many as the stock UI shows; fewer if fewer match), the number shown, and the milliseconds until all are.
OURS_QUERY = """async (q) => {
  const input = document.getElementById('tu-khoa'), form = document.getElementById('form-tim-kiem');
  const status = document.querySelector('#search-results [role=status]');
  const list = document.querySelector('[data-search-list]');
  const shown = q.trim().replace(/^"(.*)"$/, '$1');  // the status repeats a quoted phrase without its quotes
  const answered = () => /Tìm thấy|Không tìm thấy/.test(status.textContent) && status.textContent.includes(shown);
  const firstFive = () => answered() && (list.children.length >= 5 || !list.hasAttribute('aria-busy'));
  const all = () => answered() && !list.hasAttribute('aria-busy');
  const until = (test) => new Promise(resolve => {
    const check = () => { if (test()) { observer.disconnect(); resolve(performance.now()); } };
    const observer = new MutationObserver(check);
    observer.observe(document.getElementById('search-results'), {subtree: true, childList: true, characterData: true, attributes: true});
    check();
  });
  input.value = q;
  const started = performance.now();
  form.requestSubmit();
  const first = await until(firstFive);
  const last = await until(all);
  return [first - started, list.children.length, last - started];
}"""
STOCK_QUERY = """async (q) => {
  const root = document.getElementById('search');
  const done = () => {
    const message = root.querySelector('.pagefind-ui__message');
    if (!message || !message.textContent.includes(q.trim())) return false;
    const results = root.querySelectorAll('.pagefind-ui__result');
    return results.length === 0 ? /No results/.test(message.textContent) : !root.querySelector('.pagefind-ui__loading');
  };
  const started = performance.now();
  window.stockUI.triggerSearch(q);
  await new Promise(resolve => {
    const check = () => { if (done()) { observer.disconnect(); resolve(); } };
    const observer = new MutationObserver(check);
    observer.observe(root, {subtree: true, childList: true, characterData: true, attributes: true});
    check();
  });
  const ms = performance.now() - started;
  return [ms, root.querySelectorAll('.pagefind-ui__result').length, ms];
}"""
# Run in our page after the queries: reach for the facets and wait for their counts (the filter index).
OURS_FACETS = """async () => {
  const option = () => document.querySelector('#loc-nam option[value]:not([value=""])');
  const started = performance.now();
  document.getElementById('loc-nam').focus();
  while (!option().textContent.includes('(')) { await new Promise(r => setTimeout(r, 5)); }
  return performance.now() - started;
}"""
# Run in our page after the queries: Pagefind's search alone for the same queries (index already loaded).
ENGINE_ONLY = """async (queries) => {
  const bundle = document.getElementById('trang-tim-kiem').getAttribute('data-bundle');
  const pagefind = await import(bundle + 'pagefind.js');
  await pagefind.options({ exactDiacritics: false });  // as for the page's main search
  const times = [];
  for (const q of queries) {
    const started = performance.now();
    await pagefind.search(q);
    times.push(performance.now() - started);
  }
  return times;
}"""
STOCK_INIT = """window.addEventListener("DOMContentLoaded", function () {
  window.stockUI = new PagefindUI({ element: "#search", bundlePath: "/pagefind/", showImages: false, showSubResults: false, debounceTimeoutMs: 0 });
});
"""


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


def build_and_index(content: str, output: str) -> dict:
    """Build the site, then index it with the search finisher; return timings and the indexer's peak RSS."""
    figures: dict = {}

    def index(folder: str, settings: dict) -> list[str]:
        started = time.perf_counter()
        errors = search.build_index(folder, settings)
        figures["index_seconds"] = time.perf_counter() - started
        return errors

    started = time.perf_counter()
    outcome = builder.build(os.path.join(ROOT, "pelicanconf.py"), content, output, None, (index,))
    figures["build_seconds_total"] = time.perf_counter() - started
    if not outcome.ok:
        raise SystemExit("\n".join(outcome.errors[:20]))
    figures["articles_built"] = outcome.articles
    figures["pelican_seconds"] = outcome.seconds
    figures.update(measure_indexer(content, output))
    bundle = os.path.join(output, search.BUNDLE)
    figures["bundle_bytes"] = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(bundle) for f in fs)
    figures["bundle_files"] = sum(len(fs) for _, _, fs in os.walk(bundle))
    return figures


def measure_indexer(content: str, output: str) -> dict:
    """Index the built site again, step by step: the copy (timed) and Pagefind alone (timed, peak RSS)."""
    registry, _ = load_registry(os.path.join(content, "units.yml"), "units.yml")
    with tempfile.TemporaryDirectory() as scratch:
        copy = os.path.join(scratch, "site")
        started = time.perf_counter()
        pages = search.write_index_copy(output, copy, registry)
        copied = time.perf_counter() - started
        # A child Python whose only child is the indexer: its RUSAGE_CHILDREN peak is Pagefind's own.
        probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, capture_output=True); "
                 "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
        command = [search.find_indexer(ROOT), "--site", copy, "--output-path", os.path.join(scratch, "bundle")]
        started = time.perf_counter()
        result = subprocess.run([sys.executable, "-c", probe, *command], capture_output=True, text=True, check=True)
        indexed = time.perf_counter() - started
    return {"pages_indexed": pages, "index_copy_seconds": copied, "pagefind_seconds": indexed,
            "indexer_peak_rss_mb": int(result.stdout.strip()) / 1024}


def write_stock_ui(scratch: str) -> None:
    """Put Pagefind's stock UI files (which the site does not publish) in the scratch folder."""
    with tempfile.TemporaryDirectory() as temporary:
        site = os.path.join(temporary, "site")
        os.makedirs(site)
        with open(os.path.join(site, "index.html"), "w", encoding="utf-8") as handle:
            handle.write('<html lang="vi"><body><main data-pagefind-body>Trang</main></body></html>')
        bundle = os.path.join(temporary, "bundle")
        subprocess.run([search.find_indexer(ROOT), "--site", site, "--output-path", bundle, "--quiet"],
                       check=True, capture_output=True)
        for name in ("pagefind-ui.js", "pagefind-ui.css"):
            shutil.copyfile(os.path.join(bundle, name), os.path.join(scratch, name))


def write_stock_page(output: str, scratch: str) -> None:
    """Make the stock-UI page from our built search page: same header and footer, Pagefind UI in the middle."""
    with open(os.path.join(output, "tim-kiem", "index.html"), encoding="utf-8") as handle:
        html = handle.read()
    html = re.sub(r'<link rel="stylesheet" href="[^"]*search[^"]*\.css">',
                  '<link rel="stylesheet" href="pagefind-ui.css">', html)
    html = re.sub(r'<script src="[^"]*search[^"]*\.js" defer></script>',
                  '<script src="pagefind-ui.js"></script><script src="init.js"></script>', html)
    html = re.sub(r'<div class="wrap search-page".*?</div>\s*(?=</main>)', '<div class="wrap"><h1>Tìm kiếm</h1><div id="search"></div></div>\n',
                  html, flags=re.S)
    os.makedirs(scratch, exist_ok=True)
    with open(os.path.join(scratch, "index.html"), "w", encoding="utf-8") as handle:
        handle.write(html)
    with open(os.path.join(scratch, "init.js"), "w", encoding="utf-8") as handle:
        handle.write(STOCK_INIT)
    write_stock_ui(scratch)


class Counter:
    """Bytes the server has sent (status lines, headers and bodies), read and reset by the measurement."""

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

    def take(self) -> int:
        """Return the bytes sent since the last call."""
        with self.lock:
            sent, self.sent = self.sent, 0
            return sent

    def take_kinds(self) -> dict[str, int]:
        """Return the bytes sent by kind of file since the last call."""
        with self.lock:
            kinds, self.kinds = self.kinds, {}
            return dict(sorted(kinds.items()))


def kind_of(path: str) -> str:
    """Name the kind of file a request path is, for the byte breakdown."""
    path = path.split("?", 1)[0]
    for folder in ("index", "fragment", "filter"):
        if f"/{search.BUNDLE}/{folder}/" in path:
            return f"pagefind {folder}"
    if path.endswith(".pagefind"):
        return "pagefind wasm"
    if path.endswith(".pf_meta"):
        return "pagefind meta"
    return os.path.splitext(path)[1].lstrip(".") or "html"


def serve(output: str, scratch: str, counter: Counter) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve the site, with the scratch folder under /_giao-dien-goc/, on 127.0.0.1.

    Bytes are counted here, at the server: Pagefind fetches its index from a Web Worker, whose requests
    the page's Resource Timing never lists. Text files are sent gzip-compressed while `counter.gzip` is
    set, as a server with gzip_static would (Pagefind's own index files are compressed already).
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
            if path.startswith(f"/{STOCK}/"):
                return os.path.join(scratch, path.split("?", 1)[0][len(STOCK) + 2:] or "index.html")
            path = super().translate_path(path)
            return os.path.join(path, "index.html") if os.path.isdir(path) and path.endswith("/") else path

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=output))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def measure(browser, url: str, query_js: str, counter: Counter, facets_js: str | None = None) -> dict:
    """Open a page in a fresh context; time the first query and 20 later ones; count bytes."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
    try:
        page = context.new_page()
        counter.take(), counter.take_kinds()
        page.goto(url, wait_until="load")
        first_ms, first_shown, first_all_ms = page.evaluate(query_js, FIRST_QUERY)
        first_bytes, first_kinds = counter.take(), counter.take_kinds()
        later, later_all, later_bytes, shown = [], [], [], []
        for query in LATER_QUERIES:
            ms, count, all_ms = page.evaluate(query_js, query)
            later.append(round(ms, 1))
            later_all.append(round(all_ms, 1))
            later_bytes.append(counter.take())
            shown.append(count)
        facets = {}
        if facets_js:
            engine = page.evaluate(ENGINE_ONLY, [search.index_text(q) for q in LATER_QUERIES])
            facets["engine_only_median_ms"] = round(statistics.median(engine), 1)
            facets["facet_counts_ms"] = round(page.evaluate(facets_js), 1)
            facets["facet_counts_bytes"] = counter.take()
        return {**facets,
            "first_query_bytes": first_bytes, "first_query_bytes_by_kind": first_kinds,
            "first_query_all_ms": round(first_all_ms, 1), "later_median_all_ms": round(statistics.median(later_all), 1),
            "later_all_ms": later_all, "first_query_ms": round(first_ms, 1), "first_query_results_shown": first_shown,
            "later_median_ms": round(statistics.median(later), 1), "later_ms": later,
            "later_median_bytes": statistics.median(later_bytes), "later_results_shown": shown,
        }
    finally:
        context.close()


def run(articles: int, work: str, reuse: bool = False) -> dict:
    """Run the whole benchmark and return its figures."""
    from playwright.sync_api import sync_playwright

    folder = os.path.join(work, f"search-{articles}")
    content, output, scratch = (os.path.join(folder, name) for name in ("content", "output", "stock"))
    previous = os.path.join(HERE, "results", f"search-{articles}.json")
    if reuse and os.path.exists(os.path.join(output, search.BUNDLE)) and os.path.exists(previous):
        with open(previous, encoding="utf-8") as handle:  # browser part only: keep the build figures
            figures = {k: v for k, v in json.load(handle).items() if k not in ("ours", "stock", "ours_gzip", "stock_gzip", "targets")}
    else:
        started = time.perf_counter()
        write_content(content, articles)
        figures = {"articles": articles, "synth_seconds": round(time.perf_counter() - started, 1)}
        figures.update(build_and_index(content, output))
    write_stock_page(output, scratch)
    counter = Counter()
    server, base = serve(output, scratch, counter)
    try:
        with sync_playwright() as playwright:
            figures["load_average_before"] = [round(x, 2) for x in os.getloadavg()]
            browser = launch(playwright)
            try:
                figures["ours"] = measure(browser, f"{base}/tim-kiem/", OURS_QUERY, counter, OURS_FACETS)
                figures["stock"] = measure(browser, f"{base}/{STOCK}/", STOCK_QUERY, counter)
                counter.gzip = True  # the same again, text files compressed as a production server sends them
                figures["ours_gzip"] = measure(browser, f"{base}/tim-kiem/", OURS_QUERY, counter, OURS_FACETS)
                figures["stock_gzip"] = measure(browser, f"{base}/{STOCK}/", STOCK_QUERY, counter)
            finally:
                browser.close()
            figures["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
            figures["cpus"] = os.cpu_count()
    finally:
        server.shutdown()
        server.server_close()
    ours, stock = figures["ours"], figures["stock"]
    figures["first_bytes_ratio"] = round(ours["first_query_bytes"] / stock["first_query_bytes"], 3)
    figures["first_bytes_ratio_gzip"] = round(figures["ours_gzip"]["first_query_bytes"] / figures["stock_gzip"]["first_query_bytes"], 3)
    figures["targets"] = {
        "first_bytes_ratio_max": TARGET_BYTES_RATIO, "first_bytes_met": figures["first_bytes_ratio"] <= TARGET_BYTES_RATIO,
        "later_median_ms_max": TARGET_LATER_MS, "later_median_met": ours["later_median_ms"] <= TARGET_LATER_MS,
    }
    figures["queries"] = {"first": FIRST_QUERY, "later": LATER_QUERIES}
    for key in ("index_seconds", "index_copy_seconds", "pagefind_seconds", "build_seconds_total", "pelican_seconds", "indexer_peak_rss_mb"):
        figures[key] = round(figures[key], 2)
    return figures


def vn(value: float, digits: int = 0) -> str:
    """Format a number the Vietnamese way: 10.000 and 0,68."""
    return f"{value:,.{digits}f}".replace(",", "\0").replace(".", ",").replace("\0", ".")


def table(figures: dict) -> str:
    """Render the figures as a Markdown table (Vietnamese labels and number format)."""
    ours, stock = figures["ours"], figures["stock"]
    ours_gz, stock_gz = figures["ours_gzip"], figures["stock_gzip"]
    kb = lambda n: f"{vn(n / 1024, 1)} KB"  # noqa: E731
    ms = lambda n: f"{vn(n)} ms"  # noqa: E731
    met = lambda ok: "đạt" if ok else "CHƯA đạt"  # noqa: E731
    rows = [
        ("Byte tải về đến khi có kết quả truy vấn đầu", kb(ours["first_query_bytes"]), kb(stock["first_query_bytes"])),
        ("… khi máy chủ nén gzip các tệp văn bản", kb(ours_gz["first_query_bytes"]), kb(stock_gz["first_query_bytes"])),
        ("Thời gian đến khi hiện 5 kết quả đầu, truy vấn đầu", ms(ours["first_query_ms"]), ms(stock["first_query_ms"])),
        ("Trung vị thời gian đến khi hiện 5 kết quả đầu, 20 truy vấn sau", ms(ours["later_median_ms"]), ms(stock["later_median_ms"])),
        ("… đến khi hiện đủ trang kết quả (10 và 5)", ms(ours["later_median_all_ms"]), ms(stock["later_median_all_ms"])),
        ("Trung vị byte tải thêm mỗi truy vấn sau", kb(ours["later_median_bytes"]), kb(stock["later_median_bytes"])),
        ("Số kết quả trên một trang", vn(ours["first_query_results_shown"]), vn(stock["first_query_results_shown"])),
        ("Số đếm theo đơn vị, nhiệm kỳ, năm", f'khi bạn đọc mở bộ lọc: +{kb(ours["facet_counts_bytes"])}, '
         f'{ms(ours["facet_counts_ms"])}', "tải sẵn cùng truy vấn đầu"),
    ]
    loads = lambda xs: " / ".join(vn(x, 2) for x in xs)  # noqa: E731
    lines = [f"| {vn(figures['articles'])} bài viết | Trang tìm kiếm của bản tin | Giao diện gốc của Pagefind |",
             "|---|---:|---:|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    lines += [
        "",
        f"- Tỉ lệ byte truy vấn đầu so với giao diện gốc: {vn(figures['first_bytes_ratio'], 2)} "
        f"(mục tiêu ≤ {vn(TARGET_BYTES_RATIO, 2)}: {met(figures['targets']['first_bytes_met'])}); "
        f"khi máy chủ nén gzip: {vn(figures['first_bytes_ratio_gzip'], 2)} "
        f"({met(figures['first_bytes_ratio_gzip'] <= TARGET_BYTES_RATIO)}).",
        f"- Trung vị 20 truy vấn sau: {ms(ours['later_median_ms'])} "
        f"(mục tiêu ≤ {ms(TARGET_LATER_MS)}: {met(figures['targets']['later_median_met'])}); riêng phép tìm của "
        f"Pagefind cho cùng các truy vấn, khi chỉ mục đã tải: trung vị {ms(ours['engine_only_median_ms'])}.",
        f"- Dựng trang (Pelican): {vn(figures['pelican_seconds'], 1)} giây; bước lập chỉ mục trong lúc dựng: "
        f"{vn(figures['index_seconds'], 1)} giây. Đo riêng: chép và chuẩn hóa {vn(figures['pages_indexed'])} trang "
        f"{vn(figures['index_copy_seconds'], 1)} giây, Pagefind {vn(figures['pagefind_seconds'], 1)} giây, "
        f"bộ nhớ đỉnh (RSS) của Pagefind {vn(figures['indexer_peak_rss_mb'])} MB.",
        f"- Gói chỉ mục: {vn(figures['bundle_bytes'] / 1048576, 1)} MB, {vn(figures['bundle_files'])} tệp.",
        f"- Tải trung bình của máy khi đo (1, 5, 15 phút): trước {loads(figures['load_average_before'])}, "
        f"sau {loads(figures['load_average_after'])}, trên {figures['cpus']} lõi.",
    ]
    return "\n".join(lines)


def main() -> None:
    """Run the benchmark, print the table, write the JSON."""
    parser = argparse.ArgumentParser(description="Đo hiệu năng tìm kiếm")
    parser.add_argument("--articles", type=int, default=10000, help="số bài viết tổng hợp")
    parser.add_argument("--work", default=os.path.join(HERE, "scratch"), help="thư mục làm việc")
    parser.add_argument("--reuse", action="store_true", help="dùng lại trang đã dựng lần trước, chỉ đo phần trình duyệt")
    parser.add_argument("--table", action="store_true", help="chỉ in lại bảng từ tệp JSON đã ghi")
    args = parser.parse_args()
    target = os.path.join(HERE, "results", f"search-{args.articles}.json")
    if args.table:
        with open(target, encoding="utf-8") as handle:
            print(table(json.load(handle)))
        return
    figures = run(args.articles, args.work, args.reuse)
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    with open(target, "w", encoding="utf-8") as handle:
        json.dump(figures, handle, ensure_ascii=False, sort_keys=True, indent=1)
        handle.write("\n")
    print(table(figures))
    print(f"\nĐã ghi {os.path.relpath(target)}")


if __name__ == "__main__":
    main()
