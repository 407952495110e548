"""Measure save-to-refreshed-page in the live preview: edit an article, wait until Chromium shows the new text.

    python benchmarks/preview_latency.py [--content content] [--runs 5] [--json benchmarks/results/preview-latency.json]

Works on a temporary copy of the content folder (the real one is never touched): starts the preview
(serve.preview, the code behind `invoke livereload`) on a free port in a child process, opens an article
in Debian's Chromium through Playwright, then for each run rewrites one paragraph of that article and
times from just before the write until the page shows the new paragraph. Prints the figures and writes JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from pelican.plugins.bulletin.browser import launch
from pelican.plugins.bulletin.serve import free_port

ROOT = Path(__file__).resolve().parent.parent
ARTICLE_URL = re.compile(r"^(\d{4})/")


def pick_article(content: Path) -> tuple[Path, str]:
    """Return an article file with a plain first paragraph, and the URL it is published at."""
    sys.path.insert(0, str(ROOT / "plugins"))
    from zoneinfo import ZoneInfo

    from pelican.plugins.bulletin.dates import parse_date

    for path in sorted(content.glob("articles/*/*.md")):
        text = path.read_text(encoding="utf-8")
        head = text.partition("\n---\n")[0]
        if "status: draft" in head:
            continue
        date = re.search(r'^date:\s*"?([^"\n]+)"?', head, re.M)
        slug = re.search(r'^slug:\s*"?([^"\n]+)"?', head, re.M)
        moment = parse_date(date.group(1), ZoneInfo("Asia/Ho_Chi_Minh"))
        if moment > datetime.now(UTC):
            continue
        name = slug.group(1) if slug else path.stem
        return path, f"{moment:%Y}/{moment:%m}/{name}/"
    raise SystemExit("Không có bài viết nào để đo trong thư mục nội dung.")


def wait_for_server(url: str, child: subprocess.Popen, limit: float = 120) -> None:
    """Wait until the preview answers (its first build comes first)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise SystemExit(f"Bản xem trước dừng bất thường:\n{child.stdout.read() if child.stdout else ''}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("Bản xem trước không trả lời sau 120 giây.")


def measure(content: Path, runs: int) -> dict:
    """Run the preview on a copy of `content` and time each save until the page shows the change."""
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="preview-latency-"))
    try:
        copy = work / "content"
        shutil.copytree(content, copy)
        output = work / "output"
        article, url_path = pick_article(copy)
        port = free_port()
        code = ("import sys; from pelican.plugins.bulletin.serve import preview; "
                "preview('pelicanconf.py', sys.argv[1], sys.argv[2], '127.0.0.1', int(sys.argv[3]))")
        child = subprocess.Popen([sys.executable, "-c", code, str(copy), str(output), str(port)], cwd=ROOT,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                 env={**os.environ, "PYTHONPATH": str(ROOT / "plugins")})
        base = f"http://127.0.0.1:{port}/"
        try:
            wait_for_server(base, child)
            original = article.read_text(encoding="utf-8")
            head, separator, body = original.partition("\n---\n")
            seconds = []
            with sync_playwright() as playwright:
                browser = launch(playwright)
                page = browser.new_page()
                page.goto(base + url_path, wait_until="load")
                for number in range(1, runs + 1):
                    marker = f"Đoạn kiểm tra thời gian cập nhật số {number}."
                    page.wait_for_timeout(500)  # let the page's status request settle before saving
                    started = time.perf_counter()
                    article.write_text(f"{head}{separator}\n{marker}\n{body}", encoding="utf-8")
                    page.wait_for_function("m => document.body && document.body.innerText.includes(m)", arg=marker,
                                           polling="raf", timeout=120_000)
                    seconds.append(time.perf_counter() - started)
                browser.close()
        finally:
            child.terminate()
            try:
                log, _ = child.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
                log, _ = child.communicate()
        builds = [float(x) for x in re.findall(r"bản xem trước sau ([\d.]+) giây", log)]
        return {
            "articles": len(list(copy.glob("articles/*/*.md"))),
            "page": "/" + url_path,
            "runs": [round(s, 3) for s in seconds],
            "median_seconds": round(statistics.median(seconds), 3),
            "min_seconds": round(min(seconds), 3),
            "max_seconds": round(max(seconds), 3),
            "rebuild_seconds": builds[1:],  # the first is the start-up build
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    """Measure, print the figures and write them as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", default=str(ROOT / "content"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", default=str(ROOT / "benchmarks" / "results" / "preview-latency.json"))
    args = parser.parse_args()
    result = measure(Path(args.content), args.runs)
    print(f"Trang: {result['page']} ({result['articles']} bài viết)")
    print("Lưu tệp → trang đã tải lại với nội dung mới (giây): " + ", ".join(f"{s:.2f}" for s in result["runs"]))
    print(f"Trung vị {result['median_seconds']:.2f} giây (nhanh nhất {result['min_seconds']:.2f}, chậm nhất {result['max_seconds']:.2f})")
    if result["rebuild_seconds"]:
        print("Thời gian dựng lại mỗi lần: " + ", ".join(f"{s:.2f}" for s in result["rebuild_seconds"]))
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"Đã ghi {os.path.relpath(args.json)}")


if __name__ == "__main__":
    main()
