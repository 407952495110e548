"""Benchmark the printed edition, and the cost of every edition in a cold public build of a synthetic site.

One month of 30 articles with 60 phone photos, laid out by three engines side by side in the same run:

- ours, the project's typesetter (typeset.py, pdfdoc.py) in a build that makes only that edition (as `invoke
  edition`): with an empty cache (pictures prepared for print, then laid out), with the cache kept (nothing to do),
  and with the pictures ready (the layout alone, the build without an edition taken off);
- WeasyPrint, as a peer: the same edition (printing.print_document's data) as one HTML document
  (benchmarks/peer/edition.html and edition.css, not used by the build), pictures ready;
- Chromium's print to PDF, as a peer: the same HTML document, pictures ready, in two passes (Chromium has no
  target-counter() for the table of contents' page numbers).

Each engine's PDF is checked the same way: pages, bytes, fonts embedded, every page A4, and whether each page number
of the table of contents is where the article starts. Every run is a fresh subprocess, measured from outside (wall
time, peak memory of the whole process tree as RSS and PSS); the figures are printed and written to
benchmarks/results/edition-<month articles>-<articles>.json.

    python benchmarks/bench_edition.py --articles 1000
    python benchmarks/bench_edition.py --month-articles 3 --articles 0    # a quick try
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import textwrap

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WORK = os.path.join(HERE, "scratch", "ban-in")
RESULTS = os.path.join(HERE, "results")
PYTHON = sys.executable
sys.path.insert(0, HERE)

from bench import measure, remove_outputs  # noqa: E402
from synth import compose, load_units, write_site  # noqa: E402

MONTH = (2024, 4)
UNIT = "tinh-uy-binh-phuoc"  # the root: its edition holds every article of the month
PHOTO = (4032, 3024)  # a 12-megapixel phone photo

# Lays out one edition with the project's code (a Pelican build that makes only that edition, as `invoke edition`).
PROJECT_RUN = """
import sys
from pelican.plugins.bulletin import build
from pelican.plugins.bulletin.generator import EDITION_PREVIEW
content, output, cache, code, year, month, edition = sys.argv[1:8]
overrides = {"BULLETIN_CACHE": cache, "THEME": "theme", "PLUGIN_PATHS": ["plugins"]}
if edition == "1":
    overrides[EDITION_PREVIEW] = (code, int(year), int(month))
outcome = build.build("pelicanconf.py", content, output, overrides)
sys.exit(0 if outcome.ok else "\\n".join(outcome.errors))
"""

# Writes the same edition as the peers' HTML document: a build of that edition on the print cache of the runs above
# (pictures prepared, edition laid out: little left to do) keeps the data printing.print_document gives our
# typesetter, and benchmarks/peer/edition.html renders it, the style inlined and the pictures named relative to the
# cache's images folder (an SVG by its .svg file). Writes <folder>/edition.html and edition.json (the data and the
# images folder).
DOCUMENT_RUN = """
import json, os, sys
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup
from pelican.plugins.bulletin import build, printing, typeset
from pelican.plugins.bulletin.generator import EDITION_PREVIEW
from pelican.plugins.bulletin.wrapping import headline, keep_ranges
content, cache, folder, peer, code, year, month = sys.argv[1:8]
document_of = printing.print_document
def keep(edition, settings, images):  # runs in the press, a forked copy of this process: the data go through a file
    document = document_of(edition, settings, images)
    with open(os.path.join(folder, "edition.json"), "w", encoding="utf-8") as handle:
        json.dump({**document, "images": images.folder}, handle, ensure_ascii=False)
    return document
printing.print_document = keep
overrides = {"BULLETIN_CACHE": cache, "THEME": "theme", "PLUGIN_PATHS": ["plugins"],
             EDITION_PREVIEW: (code, int(year), int(month))}
outcome = build.build("pelicanconf.py", content, os.path.join(folder, "site"), overrides)
assert outcome.ok, outcome.errors
with open(os.path.join(folder, "edition.json"), encoding="utf-8") as handle:
    kept = json.load(handle)
kept = {"document": {k: v for k, v in kept.items() if k != "images"}, "images": kept["images"]}
environment = Environment(loader=FileSystemLoader(peer), autoescape=True, trim_blocks=True, lstrip_blocks=True)
environment.filters.update(headline=headline, keep_ranges=keep_ranges)
with open(os.path.join(peer, "edition.css"), encoding="utf-8") as handle:
    css = handle.read()
millimetres = lambda points: f"{points / typeset.MM:.3g}"
html = environment.get_template("edition.html").render(
    **kept["document"], css=Markup(css), fonts=("Charis SIL",),
    page={"margin": millimetres(typeset.MARGIN["side"]), "gap": millimetres(typeset.GAP)},
    widths={name: f"{size.width_mm:g}mm" for name, size in printing.SIZES.items()})
with open(os.path.join(folder, "edition.html"), "w", encoding="utf-8") as handle:
    handle.write(html)
"""

# WeasyPrint as a peer: the HTML document, its pictures read from the images folder.
WEASYPRINT_PEER_RUN = """
import sys
from weasyprint import HTML
document, images, target = sys.argv[1:4]
HTML(filename=document, base_url=images).write_pdf(target)
"""

# Chromium's print to PDF: the same document; the running header and page numbers as Chromium's header and footer
# templates (it draws no @page margin boxes from string-set); the page numbers of the table of contents and of the
# cover story by a second pass, once the first pass says where each title landed.
CHROMIUM_RUN = """
import re, subprocess, sys
from playwright.sync_api import sync_playwright
from pelican.plugins.bulletin.browser import launch
document, images, target, header = sys.argv[1:5]
with open(document, encoding="utf-8") as handle:
    html = handle.read()
titles = re.findall(r'<article class="article" id="(bai-\\d+)">.*?<h2 class="article-title">(.*?)</h2>', html, re.S)
plain = [(anchor, " ".join(re.sub(r"<[^>]+>", "", title).split())) for anchor, title in titles]
css = ("<style>.toc a::after{content:none}.cover-story a::after{content:none}"
       ".page-number{float:right}.cover-page{font-weight:normal;font-size:11pt}</style>")
template = '<div style="font-size:8px;width:100%;margin:0 18mm;display:flex;justify-content:space-between"><span>{}</span><span>{}</span></div>'
options = dict(format="A4", print_background=True, display_header_footer=True,
               margin={"top": "22mm", "bottom": "20mm", "left": "18mm", "right": "18mm"},
               header_template=template.format(*header.split("|")),
               footer_template='<div style="font-size:9px;width:100%;text-align:center"><span class="pageNumber"></span></div>')
def pages_of(pdf):
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True, text=True).stdout
    return [" ".join(page.split()) for page in text.split("\\f")]
with sync_playwright() as playwright:
    browser = launch(playwright)
    tab = browser.new_page()
    numbered = html.replace("</head>", css + "</head>")
    for attempt in range(2):
        tab.goto("file://" + images + "/")  # the pictures' folder as base URL
        tab.set_content(numbered, wait_until="load")
        tab.pdf(path=target, **options)
        pages = pages_of(target)
        last = next(n for n, text in enumerate(pages[1:], 1) if plain[-1][1] in text)  # the contents' last page
        starts = {a: next((n for n, text in enumerate(pages[last + 1:], last + 2) if title in text), 0) for a, title in plain}
        cover, toc = html.replace("</head>", css + "</head>").split('<nav class="toc">', 1)
        for anchor, page in starts.items():
            toc = toc.replace(f'href="#{anchor}">', f'href="#{anchor}"><span class="page-number">{page}</span>', 1)
        cover = re.sub(r'(<p class="cover-story"><a href="#(bai-\\d+)">.*?)</a>',
                       lambda found: f'{found[1]}<span class="cover-page"> (trang {starts[found[2]]})</span></a>', cover, flags=re.S)
        numbered = cover + '<nav class="toc">' + toc
    browser.close()
"""


def photo(path: str, rng: random.Random) -> None:
    """Write a phone-like photo: a scene of soft shapes over sensor noise, EXIF orientation and camera data."""
    from PIL import Image, ImageDraw, ImageFilter

    width, height = PHOTO
    noise = Image.effect_noise((width // 4, height // 4), 40).resize(PHOTO)
    base = Image.merge("RGB", (noise, noise.point(lambda v: v * 0.8), noise.point(lambda v: v * 0.6)))
    draw = ImageDraw.Draw(base)
    for _ in range(12):
        x, y = rng.randrange(width), rng.randrange(height)
        size = rng.randrange(200, 1400)
        draw.ellipse((x, y, x + size, y + size // 2), fill=tuple(rng.randrange(256) for _ in range(3)))
    base = base.filter(ImageFilter.GaussianBlur(3))
    exif = Image.Exif()
    exif[0x0112] = rng.choice([1, 1, 6])
    exif[0x0110] = "Dien thoai thu"
    base.save(path, "JPEG", quality=88, exif=exif.tobytes())


def write_month(content: str, articles: int) -> None:
    """Write a site whose April 2024 has `articles` articles, each with a photo at the top and one in the body."""
    units = load_units()
    write_site(content, 0)
    rng = random.Random("ban-in")
    images = os.path.join(content, "images", "2024")
    os.makedirs(images, exist_ok=True)
    folder = os.path.join(content, "articles", "2024")
    os.makedirs(folder, exist_ok=True)
    for number in range(articles):
        _year, name, text = compose(number, 7, units)
        day = dt.date(*MONTH, 1 + number % 28)
        text = re.sub(r'^date: ".*"$', f'date: "{day:%d/%m/%Y} {8 + number % 9:02d}:00"', text, count=1, flags=re.M)
        text = re.sub(r"terms:\n(  - .*\n)+", "", text)  # a term must have begun by the article's date
        lead, inside = f"images/2024/anh-{number:02d}-a.jpg", f"images/2024/anh-{number:02d}-b.jpg"
        for path in (lead, inside):
            photo(os.path.join(content, path), rng)
        text = text.replace("\n---\n", f'\nimage: "{lead}"\nimage_caption: "Ảnh {number + 1}: quang cảnh buổi làm việc."\n---\n', 1)
        paragraphs = text.split("\n\n")
        paragraphs.insert(3, f'![Đại biểu phát biểu]({inside} "Ảnh {number + 1}b: đại biểu phát biểu ý kiến.")')
        with open(os.path.join(folder, name), "w", encoding="utf-8") as handle:
            handle.write("\n\n".join(paragraphs))


def pdf_facts(pdf: str) -> dict:
    """Return a PDF's pages, size, whether every font is embedded, its fonts, and whether every page is A4."""
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", pdf], capture_output=True, text=True).stdout
    fonts = subprocess.run(["pdffonts", pdf], capture_output=True, text=True).stdout.splitlines()[2:]
    sizes = [(float(w), float(h)) for w, h in re.findall(r"size:\s+([\d.]+) x ([\d.]+) pts", info)]
    return {"pages": int(re.search(r"Pages:\s+(\d+)", info)[1]), "bytes": os.path.getsize(pdf),
            "fonts": sorted({line.split()[0].split("+")[-1] for line in fonts}),
            "fonts_embedded": bool(fonts) and all(line.split()[-5] == "yes" for line in fonts), "a4": bool(sizes) and all(abs(w - 595.28) < 1.5 and abs(h - 841.89) < 1.5 for w, h in sizes)}


def toc_check(pdf: str, html: str) -> dict:
    """Compare each table-of-contents entry's page number with the first page after it where the title appears."""
    titles = [" ".join(re.sub(r"<[^>]+>", "", t).split())
              for t in re.findall(r'<h2 class="article-title">(.*?)</h2>', html, re.S)]
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True, text=True).stdout
    pages = [" ".join(page.split()) for page in text.split("\f")]
    last_toc = next(n for n, page in enumerate(pages[1:], 2) if titles[-1] in page)  # the contents list every title first
    toc = " ".join(pages[1:last_toc])
    right = 0
    for title in titles:
        listed = re.search(re.escape(title) + r"[ .]*(\d+)", toc) or re.search(r"(\d+) " + re.escape(title), toc)
        start = next((n for n, page in enumerate(pages[last_toc:], last_toc + 1) if title in page), 0)
        right += bool(listed) and int(listed[1]) == start
    return {"entries": len(titles), "page_numbers_right": right}


def say(label: str, run: dict, extra: str = "") -> None:
    print(f"{label}: {run['wall']:.1f} s, bộ nhớ đỉnh (cả cây, PSS) {run['tree_pss_mb']:.0f} MB, "
          f"tiến trình lớn nhất {run['max_rss_mb']:.0f} MB{extra}")


ENGINES = (("ours", "Bộ sắp chữ của dự án"), ("weasyprint", "WeasyPrint"), ("chromium", "Chromium"))


def bench_month(articles: int) -> dict:
    """Lay out one month with our typesetter (cold cache, warm cache, pictures ready), with WeasyPrint and with
    Chromium (both from the same edition as HTML, pictures ready); compare."""
    content = os.path.join(WORK, f"thang-{articles}")
    if not os.path.isdir(content):
        # In a process of its own: a child's peak RSS (ru_maxrss) starts from its parent's, which the photos would swell.
        writer = multiprocessing.get_context("spawn").Process(target=write_month, args=(content, articles))
        writer.start()
        writer.join()
        if writer.exitcode:
            shutil.rmtree(content, ignore_errors=True)
            sys.exit("viết tháng đo thất bại")
    cache, site = os.path.join(WORK, "cache-thang"), os.path.join(WORK, "site-thang")
    for folder in (cache, site):
        shutil.rmtree(folder, ignore_errors=True)
    args = [content, site, cache, UNIT, str(MONTH[0]), str(MONTH[1])]
    measure([PYTHON, "-c", PROJECT_RUN, *args, "0"], ROOT)  # makes the web photos' variants: every run below shares them
    without = measure([PYTHON, "-c", PROJECT_RUN, *args, "0"], ROOT)
    cold = measure([PYTHON, "-c", PROJECT_RUN, *args, "1"], ROOT)
    warm = measure([PYTHON, "-c", PROJECT_RUN, *args, "1"], ROOT)
    for name in os.listdir(os.path.join(cache, "ban-in")):  # keep the prepared pictures, drop the laid-out edition
        if name.endswith((".pdf", ".json")):
            os.remove(os.path.join(cache, "ban-in", name))
    layout = measure([PYTHON, "-c", PROJECT_RUN, *args, "1"], ROOT)
    for name, run in (("không bản in", without), ("bộ sắp chữ của dự án", cold),
                      ("bộ sắp chữ của dự án, bộ đệm sẵn", warm), ("bộ sắp chữ của dự án, ảnh sẵn", layout)):
        if run["code"]:
            sys.exit(f"{name} thất bại: {run['stderr'][-2000:]}")
    pdf = next(os.path.join(d, f) for d, _, files in os.walk(os.path.join(site, "ban-in")) for f in files if f.endswith(".pdf"))
    pdfs = {engine: os.path.join(WORK, f"{engine}.pdf") for engine, _ in ENGINES}
    shutil.copyfile(pdf, pdfs["ours"])
    # The peers' document: the same edition as HTML, its pictures those the runs above prepared (the print cache's).
    folder = os.path.join(WORK, "doc")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    prepared = subprocess.run([PYTHON, "-c", DOCUMENT_RUN, content, cache, folder, os.path.join(HERE, "peer"), UNIT,
                               str(MONTH[0]), str(MONTH[1])], cwd=ROOT, capture_output=True, text=True)
    if prepared.returncode:
        sys.exit(prepared.stderr[-2000:])
    document = os.path.join(folder, "edition.html")
    with open(document, encoding="utf-8") as handle:
        html = handle.read()
    with open(os.path.join(folder, "edition.json"), encoding="utf-8") as handle:
        data = json.load(handle)
    weasyprint = measure([PYTHON, "-c", WEASYPRINT_PEER_RUN, document, data["images"], pdfs["weasyprint"]], ROOT)
    if weasyprint["code"]:
        sys.exit(f"WeasyPrint thất bại: {weasyprint['stderr'][-2000:]}")
    chromium = measure([PYTHON, "-c", CHROMIUM_RUN, document, data["images"], pdfs["chromium"],
                        f"{data['unit']}|Bản tin số {data['number']}"], ROOT)
    if chromium["code"]:
        sys.exit(f"Chromium thất bại: {chromium['stderr'][-2000:]}")
    checked = {engine: {**pdf_facts(path), **toc_check(path, html)} for engine, path in pdfs.items()}
    result = {
        "articles": articles, "photos": 2 * articles, "photo_pixels": list(PHOTO),
        "build_without_edition": slim(without),
        "ours": {**slim(cold), "layout_seconds": cold["wall"] - without["wall"], **checked["ours"]},
        "ours_warm": slim(warm),
        "ours_pictures_ready": {**slim(layout), "layout_seconds": layout["wall"] - without["wall"]},
        "weasyprint": {**slim(weasyprint), **checked["weasyprint"]},
        "chromium": {**slim(chromium), **checked["chromium"], "passes": 2},
    }
    say("Dựng trang, không bản in", without)
    say("Bộ sắp chữ của dự án (bộ đệm rỗng)", cold, f"; riêng bản in {result['ours']['layout_seconds']:.1f} s")
    say("Bộ sắp chữ của dự án (bộ đệm sẵn)", warm)
    say("Bộ sắp chữ của dự án (ảnh đã chuẩn bị, dàn trang lại)", layout, f"; riêng dàn trang {layout['wall'] - without['wall']:.1f} s")
    say("WeasyPrint (tài liệu HTML, ảnh đã chuẩn bị)", weasyprint)
    say("Chromium (tài liệu HTML, hai lượt, ảnh đã chuẩn bị)", chromium)
    print(f"So sánh trên cùng một tháng ({articles} bài, {2 * articles} ảnh), ảnh đã chuẩn bị:")
    timed = {"ours": (result["ours_pictures_ready"]["layout_seconds"], layout, " (dàn trang, ngoài phần dựng trang)"),
             "weasyprint": (weasyprint["wall"], weasyprint, " (cả tiến trình)"),
             "chromium": (chromium["wall"], chromium, " (cả tiến trình, hai lượt)")}
    for engine, label in ENGINES:
        facts, (seconds, run, how) = checked[engine], timed[engine]
        print(f"  {label}: {facts['pages']} trang, {facts['bytes'] / 1e6:.1f} MB, {seconds:.1f} s{how}, "
              f"bộ nhớ đỉnh (cả cây, PSS) {run['tree_pss_mb']:.0f} MB, "
              f"phông nhúng {'đủ' if facts['fonts_embedded'] else 'THIẾU'} ({', '.join(facts['fonts'])}), "
              f"A4 {'đúng' if facts['a4'] else 'SAI'}, số trang trong mục lục đúng {facts['page_numbers_right']}/{facts['entries']}")
    return result


def slim(run: dict) -> dict:
    """Keep the figures of a measured run."""
    return {key: round(run[key], 3) for key in ("wall", "max_rss_mb", "tree_rss_mb", "tree_pss_mb")}


# Each public build is measured this many times, the three kinds taking turns; the median is kept. The sample's builds
# take two seconds, and this machine's speed drifts by a tenth or more from one to the next: more turns for it.
ROUNDS = 3
SAMPLE_ROUNDS = 7


def bench_site(articles: int) -> dict:
    """A cold public build of a site (the project's sample content when `articles` is 0, else a synthetic site) with
    and without its editions (empty caches), then with the print cache kept (an unchanged month is not laid out
    again); ROUNDS times each (SAMPLE_ROUNDS for the sample), in turns (the machine's drift falls on all three alike),
    the median run kept."""
    rounds = ROUNDS if articles else SAMPLE_ROUNDS
    content = os.path.join(ROOT, "content") if not articles else os.path.join(WORK, f"site-{articles}")
    if not os.path.isdir(content):
        write_site(content, articles)
    measured: dict[str, list] = {"without": [], "cold": [], "warm": []}
    remove_outputs(WORK)  # each build below writes new folders; nothing is deleted while builds are timed (see there)
    printed = ""
    for turn in range(rounds):
        for label, units, keep in (("without", "[]", False), ("cold", "None", False), ("warm", "None", True)):
            cache, output = (os.path.join(WORK, f"out-{what}-{articles}-{label}-{turn}") for what in ("cache", "site"))
            if keep:  # only the print cache of the cold build before: a cold site build, the editions laid out already
                shutil.copytree(printed, os.path.join(cache, "bulletin", "ban-in"))
                os.sync()  # the copy written out before the build is timed
            script = textwrap.dedent(f"""
                from pelican.plugins.bulletin import build
                from pelican.plugins.bulletin.finishers import FINISHERS
                overrides = {{"BULLETIN_CACHE": {os.path.join(cache, "bulletin")!r}, "BULLETIN_EDITION_UNITS": {units},
                             "THEME": "theme", "PLUGIN_PATHS": ["plugins"]}}
                outcome = build.build("publishconf.py", {content!r}, {output!r}, overrides, FINISHERS)
                raise SystemExit(0 if outcome.ok else "\\n".join(outcome.errors))
            """)
            run = measure([PYTHON, "-c", script], ROOT, env={"SITEURL": "https://example.org/ban-tin"})
            if run["code"]:
                sys.exit(f"dựng bản công khai ({label}) thất bại: {run['stderr'][-2000:]}")
            run = slim(run)
            if label == "cold":
                printed = os.path.join(cache, "bulletin", "ban-in")
            if label != "without":
                run["editions"] = sum(f.endswith(".pdf") for _, _, files in os.walk(os.path.join(output, "ban-in")) for f in files)
            measured[label].append(run)
    runs = {label: sorted(found, key=lambda run: run["wall"])[len(found) // 2] for label, found in measured.items()}
    base = runs["without"]["wall"]
    result = {"articles": articles, **runs, "rounds": rounds, "walls": {k: [r["wall"] for r in v] for k, v in measured.items()},
              "cold_added": (runs["cold"]["wall"] - base) / base, "warm_added": (runs["warm"]["wall"] - base) / base}
    say(f"Bản công khai {articles or 'mẫu (content/)'} bài, không bản in (trung vị {rounds} lần)", runs["without"])
    say(f"  + {runs['cold']['editions']} bản in, bộ đệm rỗng", runs["cold"], f" ({result['cold_added']:+.0%})")
    say("  + bản in, bộ đệm bản in sẵn", runs["warm"], f" ({result['warm_added']:+.0%})")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--month-articles", type=int, default=30, help="bài trong tháng đo, mỗi bài hai ảnh (0: bỏ qua)")
    parser.add_argument("--articles", type=int, default=1000, help="bài của trang tổng hợp dựng bản công khai (0: chỉ trang mẫu)")
    args = parser.parse_args()
    os.makedirs(WORK, exist_ok=True)
    load = os.getloadavg()
    result = {"machine": {"cores": len(os.sched_getaffinity(0)), "python": platform.python_version(),
                          "load_before": [round(v, 2) for v in load]},
              "month": bench_month(args.month_articles) if args.month_articles else None, "sample": bench_site(0),
              "site": bench_site(args.articles) if args.articles else None}
    result["machine"]["load_after"] = [round(v, 2) for v in os.getloadavg()]
    os.makedirs(RESULTS, exist_ok=True)
    path = os.path.join(RESULTS, f"edition-{args.month_articles}-{args.articles}.json")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(result, handle, ensure_ascii=False, indent=1, sort_keys=True)
    print(f"Tải trung bình trước {load[0]:.2f}, sau {os.getloadavg()[0]:.2f}; kết quả: {os.path.relpath(path, ROOT)}")
    remove_outputs(WORK)  # the measured builds' folders: a few gigabytes for the 1,000-article site


if __name__ == "__main__":
    main()
