"""Benchmark the photo pipeline (images.py) on a site of phone photos.

Measures, and writes to benchmarks/results/images-<n>.json:
- builds of a site whose articles show <n> phone photos (4000 × 3000 JPEG, about 5 MB, GPS-tagged, a quarter stored
  sideways): empty cache on every core, empty cache in one process, warm cache; wall time and peak memory of the
  process tree (PSS); the outputs must be byte-identical;
- bytes of the source photos against the published variants;
- what Chromium downloads for an article with two 12-megapixel photos (HTML, CSS, JS, images; the page scrolled to the
  end so every lazy picture loads), at 360 px with density 2 and at 1280 px with density 1, from a plain server and
  from one that sends text gzip-compressed; and for the home page (20 thumbnails) at 360 px;
- the live preview: from saving an article that shows a photo new to the site to its pages rewritten;
- a real 118 MB JPEG (48 megapixels of noise at quality 95): build time and memory;
- AVIF against WebP at the same structural similarity (SSIM on 8 × 8 blocks of luma), bytes and encoding time.

    python benchmarks/images_bench.py --photos 200
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "scratch" / "anh"
RESULTS = HERE / "results"
PYTHON = sys.executable
sys.path[:0] = [str(HERE), str(ROOT / "scripts")]
from bench import compare_trees, measure, project_env, snapshot_project  # noqa: E402
from make_sample_photos import phone_jpeg, scene  # noqa: E402

from pelican.plugins.bulletin import images  # noqa: E402
from pelican.plugins.bulletin.browser import launch as browser_launch  # noqa: E402
from pelican.plugins.bulletin.serve import PREVIEW_SETTINGS, SiteHandler, make_server  # noqa: E402

PROJECT = str(ROOT)  # the project's snapshot once main() has made it
BASES = 8  # distinct scenes; every photo is one of them shifted, with its own details, so each has its own bytes
UNIT = "dang-uy-xa-tan-khai"
TEXT_TYPES = (".html", ".css", ".js", ".json", ".svg", ".xml")
VIEWS = {"phone": {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True},
         "desktop": {"viewport": {"width": 1280, "height": 800}, "device_scale_factor": 1}}
# One build in a fresh process: prints {"seconds": …} or the errors.
DRIVER = """
import json, sys, time
from pelican.plugins.bulletin import build as builder
conf, content, output, cache, workers = sys.argv[1:6]
overrides = {"BULLETIN_CACHE": cache}
if workers:
    overrides["BULLETIN_WORKERS"] = int(workers)
started = time.perf_counter()
outcome = builder.build(conf, content, output, overrides)
if not outcome.ok:
    sys.exit("\\n".join(outcome.errors[:20]))
print(json.dumps({"seconds": time.perf_counter() - started}))
"""


# ---------------------------------------------------------------- inputs

def make_photos(folder: Path, count: int, seed: int) -> list[Path]:
    """Write (once) `count` phone photos; every fourth is stored sideways (orientation 6), as portrait shots are."""
    stamp = folder / ".ready"
    paths = [folder / f"IMG_{i:04d}.jpg" for i in range(count)]
    if stamp.exists() and stamp.read_text() == f"{count} {seed}\n":
        return paths
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    rnd = random.Random(seed)
    bases = [scene(4000, 3000, seed * 100 + i) for i in range(BASES)]
    for i, path in enumerate(paths):
        picture = ImageChops.offset(bases[i % BASES], rnd.randrange(-400, 400), rnd.randrange(-60, 60))
        draw = ImageDraw.Draw(picture)
        for _ in range(6):  # people who moved between shots
            x, y, r = rnd.randrange(4000), rnd.randrange(1300, 3000), rnd.randrange(40, 120)
            draw.ellipse([x, y, x + r, y + r * 1.3], fill=tuple(rnd.randrange(256) for _ in range(3)))
        path.write_bytes(phone_jpeg(picture, 6 if i % 4 == 3 else 1, quality=92, serial=f"R58N-{i:04d}"))
        if i % 20 == 19:
            print(f"  đã tạo {i + 1}/{count} ảnh", flush=True)
    stamp.write_text(f"{count} {seed}\n")
    return paths


def write_site(content: Path, photos: list[Path]) -> list[str]:
    """Write a site whose articles each show two photos: the `image` and one in the body; return the article URLs."""
    shutil.rmtree(content, ignore_errors=True)
    (content / "articles" / "2025").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "units.yml", content / "units.yml")
    folder = content / "images" / "2025"
    folder.mkdir(parents=True)
    urls = []
    for k in range(len(photos) // 2):
        pair = photos[2 * k : 2 * k + 2]
        for photo in pair:
            os.link(photo, folder / photo.name)  # the same bytes, no copy
        day = 1 + k % 28
        month = 1 + (k // 28) % 12
        slug = f"hoi-nghi-{k:03d}"
        text = (f'---\ntitle: "Hội nghị cán bộ chủ chốt lần thứ {k + 1}"\ndate: "{day:02d}/{month:02d}/2025 08:00"\n'
                f"units: [{UNIT}]\nimage: images/2025/{pair[0].name}\nimage_caption: \"Toàn cảnh hội nghị lần thứ {k + 1}.\"\n"
                "---\n\n" + "Đảng ủy xã tổ chức hội nghị cán bộ chủ chốt để quán triệt nghị quyết và bàn nhiệm vụ. " * 6
                + f"\n\n![Đại biểu dự hội nghị](images/2025/{pair[1].name} \"Đại biểu dự hội nghị lần thứ {k + 1}.\")\n\n"
                + "Hội nghị thống nhất các giải pháp trọng tâm cho thời gian tới và phân công thực hiện. " * 5 + "\n")
        (content / "articles" / "2025" / f"{slug}.md").write_text(text, encoding="utf-8")
        urls.append(f"2025/{month:02d}/{slug}/")
    return urls


def huge_photo(folder: Path) -> Path:
    """Write (once) a 118 MB JPEG: 8000 × 6000 pixels of noise at quality 95 (real pixels, not padding)."""
    path = folder / "rat-lon.jpg"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        noise = Image.effect_noise((8000, 6000), 90)
        picture = Image.merge("RGB", (noise, noise.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
                                      noise.transpose(Image.Transpose.FLIP_TOP_BOTTOM)))
        picture.save(path, "JPEG", quality=95, subsampling=0)
    return path


# ---------------------------------------------------------------- builds

def timed_build(content: Path, output: Path, cache: Path, workers: str = "") -> dict:
    """Build once in a fresh process (the project's snapshot: edits made meanwhile change nothing); return wall time,
    processor time of the whole process tree and peak memory."""
    shutil.rmtree(output, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = measure([PYTHON, "-c", DRIVER, "pelicanconf.py", str(content), str(output), str(cache), workers],
                     cwd=PROJECT, env=project_env())
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result["code"]:
        sys.exit(f"dựng thất bại:\n{result['stderr'][-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)  # the tree: every process waited for
    return {"wall_s": round(result["wall"], 2), "build_s": round(json.loads(result["stdout"].splitlines()[-1])["seconds"], 2),
            "cpu_s": round(cpu, 1), "cores_used": round(cpu / result["wall"], 2),
            "tree_pss_mb": round(result["tree_pss_mb"], 1)}  # (ru_maxrss would count this big process's pages: fork)


def folder_bytes(folder: Path, suffixes: tuple[str, ...]) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)


# ---------------------------------------------------------------- what a browser downloads

class GzipHandler(SiteHandler):
    """The site server, sending text files gzip-compressed (as a server with gzip_static does)."""

    def do_GET(self):  # noqa: N802 (the base class's name)
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        if not (path.endswith(TEXT_TYPES) and os.path.isfile(path) and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().do_GET()
        with open(path, "rb") as handle:
            body = gzip.compress(handle.read(), compresslevel=9, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def kind(url: str) -> str:
    """Name the kind of a downloaded file."""
    suffix = os.path.splitext(url.split("?", 1)[0])[1].lower()
    return {".css": "css", ".js": "js", ".webp": "ảnh", ".jpg": "ảnh", ".avif": "ảnh", ".svg": "ảnh"}.get(suffix, "html")


def downloads(browser, base: str, url: str, view: dict) -> dict:
    """Open a page, scroll to its end so every lazy picture loads, and sum what Chromium received, by kind."""
    context = browser.new_context(locale="vi-VN", **view)
    tab = context.new_page()
    received: list[tuple[str, int]] = []
    tab.on("requestfinished", lambda request: received.append(
        (request.url, request.sizes()["responseBodySize"] + request.sizes()["responseHeadersSize"])))
    try:
        tab.goto(f"{base}/{url}", wait_until="load")
        for _ in range(40):
            if tab.evaluate("window.scrollY + innerHeight >= document.documentElement.scrollHeight - 2"):
                break
            tab.mouse.wheel(0, 600)
            tab.wait_for_timeout(120)
        tab.wait_for_function("[...document.images].every(i => i.complete)")
        tab.wait_for_load_state("networkidle")
        chosen = tab.evaluate("[...document.images].filter(i => i.complete && i.naturalWidth).map(i => i.currentSrc)")
    finally:
        context.close()
    by_kind: dict[str, int] = {}
    for address, size in received:
        by_kind[kind(address)] = by_kind.get(kind(address), 0) + size
    return {"total_kb": round(sum(by_kind.values()) / 1024, 1), "kb": {k: round(v / 1024, 1) for k, v in sorted(by_kind.items())},
            "files": len(received), "pictures": [c.rsplit("/", 1)[-1] for c in chosen]}


def measure_downloads(output: Path, article: str) -> dict:
    """What the article page (two photos) and the home page (thumbnails) cost at 360 px and 1280 px, plain and gzip."""
    from playwright.sync_api import sync_playwright

    figures = {}
    servers = {"plain": make_server(str(output), "127.0.0.1", 0),
               "gzip": make_server(str(output), "127.0.0.1", 0, GzipHandler)}
    for server in servers.values():
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = browser_launch(playwright)
            try:
                for server_name, server in servers.items():
                    base = f"http://127.0.0.1:{server.server_address[1]}"
                    for view_name, view in VIEWS.items():
                        figures[f"article {view_name} {server_name}"] = downloads(browser, base, article, view)
                    figures[f"home phone {server_name}"] = downloads(browser, base, "", VIEWS["phone"])
            finally:
                browser.close()
    finally:
        for server in servers.values():
            server.shutdown()
            server.server_close()
    return figures


# ---------------------------------------------------------------- the preview

def preview_latency(photos: list[str], new: list[str], work: str) -> dict:
    """Time, in the live preview, copying a photo in (its variants are made then) and saving an article so it shows it."""
    from pelican.plugins.bulletin.incremental import LiveSite

    photos, new, work = [Path(p) for p in photos], [Path(p) for p in new], Path(work)
    content, output, cache = work / "noi-dung", work / "xem-truoc", work / "dem"
    for path in (output, cache):
        shutil.rmtree(path, ignore_errors=True)
    write_site(content, photos[:8])  # four articles
    live = LiveSite("pelicanconf.py", str(content), str(output), {**PREVIEW_SETTINGS, "BULLETIN_CACHE": str(cache)})
    assert live.build_all().ok
    article = content / "articles" / "2025" / "hoi-nghi-000.md"
    original = article.read_text(encoding="utf-8")
    seconds, photo_seconds = [], []
    for run, photo in enumerate(new):
        target = content / "images" / "2025" / f"moi-{run}.jpg"
        started = time.perf_counter()
        shutil.copy(photo, target)  # the editor copies the photo in: nothing shows it yet
        live.update({str(target)})
        photo_seconds.append(time.perf_counter() - started)
        article.write_text(original + f"\n![Ảnh mới](images/2025/moi-{run}.jpg)\n", encoding="utf-8")
        started = time.perf_counter()
        outcome, fast = live.update({str(article)})
        seconds.append(time.perf_counter() - started)
        assert outcome.ok and fast, outcome.errors
        assert list(output.rglob(f"moi-{run}-672w.*.webp"))
    return {"save_article_with_new_photo_s": [round(s, 2) for s in seconds], "median_s": round(statistics.median(seconds), 2),
            "copy_photo_in_s": [round(s, 2) for s in photo_seconds]}


# ---------------------------------------------------------------- AVIF against WebP

def ssim(a: Image.Image, b: Image.Image) -> float:
    """Return the mean structural similarity of two pictures' luma over 8 × 8 blocks."""
    import numpy

    x = numpy.asarray(a.convert("L"), dtype=numpy.float64)
    y = numpy.asarray(b.convert("L"), dtype=numpy.float64)
    h, w = (x.shape[0] // 8) * 8, (x.shape[1] // 8) * 8
    x, y = (v[:h, :w].reshape(h // 8, 8, w // 8, 8) for v in (x, y))
    mx, my = x.mean((1, 3)), y.mean((1, 3))
    vx, vy = x.var((1, 3)), y.var((1, 3))
    cov = ((x - mx[:, None, :, None]) * (y - my[:, None, :, None])).mean((1, 3))
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    return float((((2 * mx * my + c1) * (2 * cov + c2)) / ((mx ** 2 + my ** 2 + c1) * (vx + vy + c2))).mean())


def encode(picture: Image.Image, options: dict) -> tuple[bytes, float]:
    data = io.BytesIO()
    started = time.perf_counter()
    picture.save(data, **options)
    return data.getvalue(), time.perf_counter() - started


def avif_against_webp(photos: list[Path], widths=(672, 1344)) -> dict:
    """For each width, the smallest AVIF (speeds 6 and 8) at least as similar to the source as the WebP the build
    writes: bytes and time against WebP's."""
    rows = {}
    for width in widths:
        for speed in (6, 8):
            webp_bytes = webp_time = avif_bytes = avif_time = 0.0
            for path in photos:
                with Image.open(path) as image:
                    image.draft("RGB", (width, width))
                    upright, _ = images.upright_srgb(image)
                reference = upright.resize((width, round(width * upright.height / upright.width)), Image.Resampling.LANCZOS)
                data, spent = encode(reference, images.FORMATS["webp"].options)
                target = ssim(reference, Image.open(io.BytesIO(data)))
                webp_bytes, webp_time = webp_bytes + len(data), webp_time + spent
                for quality in range(40, 96, 5):
                    candidate, spent = encode(reference, {"format": "AVIF", "quality": quality, "speed": speed, "max_threads": 1})
                    if ssim(reference, Image.open(io.BytesIO(candidate))) >= target or quality >= 95:
                        avif_bytes, avif_time = avif_bytes + len(candidate), avif_time + spent
                        break
            rows[f"{width}px speed {speed}"] = {"webp_kb": round(webp_bytes / 1024 / len(photos), 1),
                                                "avif_kb": round(avif_bytes / 1024 / len(photos), 1),
                                                "bytes_ratio": round(avif_bytes / webp_bytes, 2),
                                                "time_ratio": round(avif_time / webp_time, 1),
                                                "webp_ms": round(webp_time * 1000 / len(photos)),
                                                "avif_ms": round(avif_time * 1000 / len(photos))}
    return rows


# ---------------------------------------------------------------- the run

def in_fresh_process(function: str, *args) -> dict:
    """Run one of this file's functions in a new process (as the preview runs: not in this one, big from the photos
    it drew and the browser it drove); return its result."""
    result = subprocess.run([PYTHON, __file__, "--call", json.dumps([function, args])], cwd=PROJECT,
                            capture_output=True, text=True, env={**os.environ, **project_env()})
    if result.returncode:
        sys.exit(f"{function} thất bại:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.splitlines()[-1])


def main() -> None:
    if sys.argv[1:2] == ["--call"]:
        function, args = json.loads(sys.argv[2])
        print(json.dumps(globals()[function](*args)))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--avif-photos", type=int, default=6)
    parser.add_argument("--preview-runs", type=int, default=3)
    args = parser.parse_args()
    count = max(4, args.photos - args.photos % 2)
    global PROJECT
    PROJECT = snapshot_project()
    print(f"Ảnh điện thoại: {count} ảnh 4000 × 3000 (tạo một lần, giữ trong {WORK.relative_to(ROOT)})", flush=True)
    made = make_photos(WORK / f"goc-{count}-{args.seed}", count + args.preview_runs, args.seed)
    photos, new = made[:count], made[count:]  # the last ones are new to the preview's site
    site = WORK / f"site-{count}"
    urls = write_site(site / "content", photos)
    figures: dict = {"photos": count, "machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                                                  "pillow": Image.__version__, "load_before": os.getloadavg()}}
    cache = site / "dem"
    shutil.rmtree(cache, ignore_errors=True)
    print("Dựng, bộ đệm rỗng, mọi lõi…", flush=True)
    figures["cold"] = timed_build(site / "content", site / "lanh", cache)
    print("Dựng, bộ đệm sẵn…", flush=True)
    figures["warm"] = timed_build(site / "content", site / "am", cache)
    print("Dựng, bộ đệm rỗng, một tiến trình…", flush=True)
    figures["cold_one_process"] = timed_build(site / "content", site / "mot", site / "dem-mot", "0")
    shutil.rmtree(site / "dem-mot", ignore_errors=True)
    figures["identical"] = {"warm": compare_trees(str(site / "lanh"), str(site / "am")) == [],
                            "one_process": compare_trees(str(site / "lanh"), str(site / "mot")) == []}
    source_bytes = sum(p.stat().st_size for p in photos)
    published = folder_bytes(site / "lanh" / "images", (".webp", ".jpg"))
    figures["bytes"] = {"sources_mb": round(source_bytes / 1024 ** 2, 1), "published_mb": round(published / 1024 ** 2, 1),
                        "published_files": sum(1 for p in (site / "lanh" / "images").rglob("*.*")),
                        "source_per_photo_kb": round(source_bytes / count / 1024),
                        "published_per_photo_kb": round(published / count / 1024)}
    print("Chromium: byte tải về…", flush=True)
    figures["downloads"] = measure_downloads(site / "lanh", urls[0])
    print("Bản xem trước: ảnh mới…", flush=True)
    figures["preview"] = in_fresh_process("preview_latency", [str(p) for p in photos[:8]], [str(p) for p in new],
                                          str(WORK / "xem-truoc"))
    print("Ảnh JPEG 118 MB…", flush=True)
    big = WORK / "rat-lon"
    big_photo = huge_photo(big / "goc")
    write_site(big / "content", [big_photo, photos[0]])
    shutil.rmtree(big / "dem", ignore_errors=True)
    figures["huge_jpeg"] = {"mb": round(big_photo.stat().st_size / 1024 ** 2, 1),
                            **timed_build(big / "content", big / "ra", big / "dem")}
    print("AVIF so với WebP…", flush=True)
    figures["avif"] = avif_against_webp(photos[: args.avif_photos])
    figures["machine"]["load_after"] = os.getloadavg()
    RESULTS.mkdir(exist_ok=True)
    target = RESULTS / f"images-{count}.json"
    target.write_text(json.dumps(figures, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    report(figures)
    print(f"Đã ghi {target.relative_to(ROOT)}")


def report(f: dict) -> None:
    """Print the figures."""
    print(f"\n{f['photos']} ảnh, {f['machine']['cores']} lõi, Pillow {f['machine']['pillow']}")
    for label, key in (("bộ đệm rỗng, mọi lõi", "cold"), ("bộ đệm rỗng, một tiến trình", "cold_one_process"), ("bộ đệm sẵn", "warm")):
        r = f[key]
        print(f"  dựng ({label}): {r['wall_s']} s ({r['cpu_s']} s thời gian CPU, trung bình {r['cores_used']} lõi), "
              f"bộ nhớ đỉnh {r['tree_pss_mb']} MB (PSS cả cây tiến trình)")
    print(f"  giống hệt từng byte: bộ đệm sẵn {f['identical']['warm']}, một tiến trình {f['identical']['one_process']}")
    b = f["bytes"]
    print(f"  byte: ảnh gốc {b['sources_mb']} MB ({b['source_per_photo_kb']} KB/ảnh) -> các bản đăng {b['published_mb']} MB "
          f"({b['published_per_photo_kb']} KB/ảnh, {b['published_files']} tệp)")
    for name, d in f["downloads"].items():
        print(f"  tải về, {name}: {d['total_kb']} KB {d['kb']} — ảnh: {', '.join(d['pictures'][:3])}")
    p = f["preview"]
    print(f"  xem trước, lưu bài có ảnh mới: trung vị {p['median_s']} s {p['save_article_with_new_photo_s']}; "
          f"chép ảnh vào (chưa bài nào dùng): {p['copy_photo_in_s']} s")
    h = f["huge_jpeg"]
    print(f"  JPEG {h['mb']} MB: dựng {h['wall_s']} s, bộ nhớ đỉnh {h['tree_pss_mb']} MB")
    for name, row in f["avif"].items():
        print(f"  AVIF {name}: {row['avif_kb']} KB so với WebP {row['webp_kb']} KB (x{row['bytes_ratio']}), "
              f"thời gian mã hóa x{row['time_ratio']} ({row['avif_ms']} ms / {row['webp_ms']} ms)")


if __name__ == "__main__":
    main()
