"""Benchmark plain Pelican against the bulletin build, the search step, the live preview and the public build with
and without its printed editions.

Every build runs in a fresh subprocess; wall time is measured from outside, peak memory both as the largest
single process (ru_maxrss from wait4) and as the sampled sum over the whole process tree.
Every fast path is checked against a clean sequential build without cache: the files must be byte-identical.

    python benchmarks/bench.py --articles 1000,5000,10000 --runs 3
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WORK = os.path.join(HERE, "scratch")
RESULTS = os.path.join(HERE, "results")
PYTHON = sys.executable
PROJECT = os.path.join(WORK, "du-an")  # snapshot of settings, theme, plugin and tasks (see snapshot_project)
BIN = os.path.dirname(PYTHON)
CONF = "pelicanconf.py"
SETTLE_SECONDS = 6  # after deleting old outputs (and a sync), before the next timed build
sys.path.insert(0, HERE)

# Plain Pelican: its own `simple` theme, no plugins, defaults for categories, tags, authors and feeds,
# plus year/month archives and 20 articles a page so it writes the same kinds of pages as the bulletin.
PLAIN_CONF = """\
SITENAME = "Bản tin (Pelican thuần)"
SITEURL = ""
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
PATH = "content"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
PLUGINS = []
DEFAULT_DATE = "fs"
DEFAULT_PAGINATION = 20
ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = "{date:%Y}/{date:%m}/{slug}/index.html"
YEAR_ARCHIVE_SAVE_AS = "{date:%Y}/index.html"
MONTH_ARCHIVE_SAVE_AS = "{date:%Y}/{date:%m}/index.html"
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
"""


# ---------------------------------------------------------------- inputs

def prepare(count: int, seed: int) -> dict:
    """Write (once) the synthetic site of `count` articles and its plain-Pelican copy; return their folders."""
    import synth

    base = os.path.join(WORK, f"site-{count}-{seed}")
    paths = {"base": base, "content": os.path.join(base, "content"), "plain": os.path.join(base, "plain")}
    stamp = os.path.join(base, ".ready")
    if not os.path.exists(stamp):
        shutil.rmtree(base, ignore_errors=True)
        synth.write_site(paths["content"], count, seed)
        write_plain_copy(paths["content"], paths["plain"])
        with open(stamp, "w") as handle:
            handle.write("ok\n")
    return paths


def write_plain_copy(content: str, plain: str) -> None:
    """Rewrite every article with Pelican's `Key: value` metadata (same body) and write its settings file."""
    from zoneinfo import ZoneInfo

    import yaml

    from pelican.plugins.bulletin.dates import parse_date
    from pelican.plugins.bulletin.registry import load_registry

    registry, _ = load_registry(os.path.join(content, "units.yml"))
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    for folder, _dirs, files in os.walk(content):
        for name in sorted(files):
            if not name.endswith(".md"):
                continue
            source = os.path.join(folder, name)
            with open(source, encoding="utf-8") as handle:
                _, front, body = handle.read().split("---\n", 2)
            meta = yaml.safe_load(front)
            lines = [f"Title: {meta['title']}", f"Slug: {meta.get('slug') or name[:-3]}"]
            if "date" in meta:
                lines.append(f"Date: {parse_date(meta['date'], zone):%Y-%m-%d %H:%M}")
            if "units" in meta:
                lines.append(f"Category: {registry.resolve(meta['units'][0]).name}")
            if meta.get("tags"):
                lines.append("Tags: " + ", ".join(meta["tags"]))
            if meta.get("author"):
                lines.append(f"Author: {meta['author']}")
            if meta.get("summary"):
                lines.append(f"Summary: {meta['summary']}")
            target = os.path.join(plain, "content", os.path.relpath(source, content))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8", newline="\n") as handle:
                handle.write("\n".join(lines) + "\n" + body)
    with open(os.path.join(plain, "pelicanconf.py"), "w", encoding="utf-8") as handle:
        handle.write(PLAIN_CONF)


# ---------------------------------------------------------------- measuring

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


def tree_memory_kb(root: int) -> tuple[int, int]:
    """Return the summed resident (RSS) and proportional (PSS) memory, in kB, of a process and its descendants.

    RSS counts a page shared after fork() in every process that maps it; PSS splits it among them.
    """
    rss = pss = 0
    for pid in process_tree(root):
        try:
            with open(f"/proc/{pid}/smaps_rollup") as handle:
                for line in handle:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
        except (OSError, ValueError, IndexError):
            continue
    return rss, pss


class TreeSampler(threading.Thread):
    """Sample the memory of a process tree every few milliseconds; keep the peak.

    Reading a process's smaps_rollup takes the kernel about 5 ms per 300 MB mapped: sampling a build of five such
    processes every 20 ms took 3 CPU-seconds of an 11-second build, which slowed most the builds with the most
    processes. So the sampler waits at least nine times as long as its last sample took: it never takes more than a
    tenth of one core."""

    def __init__(self, pid: int, every: float = 0.02):
        super().__init__(daemon=True)
        self.pid, self.every, self.peak_kb, self.peak_pss_kb = pid, every, 0, 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            started = time.perf_counter()
            rss, pss = tree_memory_kb(self.pid)
            self.peak_kb, self.peak_pss_kb = max(self.peak_kb, rss), max(self.peak_pss_kb, pss)
            self.done.wait(max(self.every, 9 * (time.perf_counter() - started)))


def measure(command: list[str], cwd: str, env: dict | None = None) -> dict:
    """Run a command; return its wall time, exit code, output and peak memory (largest process, whole tree)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env={**os.environ, **(env or {})},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sampler = TreeSampler(process.pid)
    sampler.start()
    out_chunks, err_chunks = [], []
    readers = [threading.Thread(target=lambda s=s, b=b: b.append(s.read()), daemon=True)
               for s, b in ((process.stdout, out_chunks), (process.stderr, err_chunks))]
    for reader in readers:
        reader.start()
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    sampler.done.set()
    sampler.join()
    for reader in readers:
        reader.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    return {
        "wall": wall,
        "code": process.returncode,
        "max_rss_mb": usage.ru_maxrss / 1024,
        "tree_rss_mb": sampler.peak_kb / 1024,
        "tree_pss_mb": sampler.peak_pss_kb / 1024,
        "stdout": b"".join(out_chunks).decode("utf-8", "replace"),
        "stderr": b"".join(err_chunks).decode("utf-8", "replace"),
    }


def median_of(runs: list[dict]) -> dict:
    """Summarise runs: median wall time and memory, and every wall time."""
    summary = {key: statistics.median(r[key] for r in runs) for key in ("wall", "max_rss_mb", "tree_rss_mb", "tree_pss_mb")}
    summary["walls"] = [round(r["wall"], 3) for r in runs]
    for key in ("search", "pelican"):
        if all(key in r for r in runs):
            summary[key] = statistics.median(r[key] for r in runs)
    return summary


def fail(what: str, result: dict) -> None:
    """Stop the benchmark when a build failed."""
    sys.exit(f"{what} thất bại (mã {result['code']}):\n{result['stderr'][-3000:]}")


# ---------------------------------------------------------------- the builds

def run_plain(paths: dict, output: str) -> dict:
    """Build the plain copy with the `pelican` command (into a folder that does not exist yet)."""
    result = measure([os.path.join(BIN, "pelican"), "content", "-s", "pelicanconf.py", "-o", output, "-q"],
                     cwd=paths["plain"])
    if result["code"]:
        fail("Pelican thuần", result)
    return result


def run_ours(paths: dict, output: str, search: bool, fast: bool = True, public: bool = False, editions: bool = True) -> dict:
    """Build the bulletin once in a fresh process (bench_build.py), into a folder that does not exist yet: the public
    build (with its printed editions, unless told otherwise) when `public`."""
    command = [PYTHON, os.path.join(HERE, "bench_build.py"), "--content", paths["content"], "--output", output]
    if search:
        command.append("--search")
    if not fast:
        command.append("--reference")
    if public:
        command += ["--public"] if editions else ["--public", "--no-editions"]
    result = measure(command, cwd=PROJECT, env=project_env())
    if result["code"]:
        fail("Bản tin", result)
    timings = json.loads(result["stdout"].strip().splitlines()[-1])
    result.update(timings)
    return result


# ---------------------------------------------------------------- comparing outputs

def compare_trees(expected: str, actual: str) -> list[str]:
    """Return the files that differ between two output folders (missing, extra or different bytes)."""
    problems = []

    def walk(relative: str) -> None:
        left, right = os.path.join(expected, relative), os.path.join(actual, relative)
        comparison = filecmp.dircmp(left, right)
        problems.extend(f"thiếu {os.path.join(relative, n)}" for n in comparison.left_only)
        problems.extend(f"thừa {os.path.join(relative, n)}" for n in comparison.right_only)
        for name in comparison.common_files:
            if not filecmp.cmp(os.path.join(left, name), os.path.join(right, name), shallow=False):
                problems.append(f"khác {os.path.join(relative, name)}")
        for name in comparison.common_dirs:
            walk(os.path.join(relative, name))

    walk("")
    return problems


# ---------------------------------------------------------------- the preview

def newest_article(content: str) -> tuple[str, list[str]]:
    """Return the newest article of a site and the output files that must show an edit of it."""
    from zoneinfo import ZoneInfo

    import yaml

    from pelican.plugins.bulletin.dates import parse_date
    from pelican.plugins.bulletin.registry import load_registry
    from pelican.plugins.bulletin.terms import parse_term
    from pelican.plugins.bulletin.urls import URLS, Links, save_as

    registry, _ = load_registry(os.path.join(content, "units.yml"))
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    best = None
    for folder, _dirs, files in os.walk(os.path.join(content, "articles")):
        for name in files:
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8") as handle:
                meta = yaml.safe_load(handle.read().split("---\n", 2)[1])
            key = (parse_date(meta["date"], zone), name[:-3])
            if best is None or key > best[0]:
                best = (key, path, meta)
    (date, slug), path, meta = best
    units = {u.code for text in meta["units"] for u in [registry.resolve(text)]}
    units |= {a.code for code in list(units) for a in registry.ancestors(code)}
    article = URLS["article"].format(year=date.year, month=date.month, slug=slug)
    pages = [save_as(article), "index.html", save_as(Links.year(date.year)), save_as(Links.month(date.year, date.month))]
    pages += [save_as(Links.unit(code)) for code in sorted(units)]
    pages += [save_as(Links.term(parse_term(t))) for t in meta.get("terms") or []]
    return path, pages


def snapshot_project() -> str:
    """Copy the settings, theme, plugin and tasks into the work folder: every build of the run uses this copy,
    so an edit made to the project while the benchmark runs changes neither the output nor the preview."""
    target = PROJECT
    shutil.rmtree(target, ignore_errors=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for folder in ("theme", "plugins"):
        shutil.copytree(os.path.join(ROOT, folder), os.path.join(target, folder), ignore=ignore)
    for name in ("pelicanconf.py", "publishconf.py", "tasks.py"):
        shutil.copy2(os.path.join(ROOT, name), target)
    os.symlink(os.path.join(ROOT, "node_modules"), os.path.join(target, "node_modules"))
    return target


def project_env() -> dict:
    """Make the snapshot's plugin the one Python imports."""
    return {"PYTHONPATH": os.path.join(PROJECT, "plugins")}


def run_preview(paths: dict, output: str, runs: int) -> dict:
    """Start the live preview, edit the newest article `runs` times; time each save until its pages show it."""
    from pelican.plugins.bulletin.serve import free_port

    shutil.rmtree(output, ignore_errors=True)
    port = free_port()
    article, pages = newest_article(paths["content"])
    with open(article, encoding="utf-8") as handle:
        original = handle.read()
    command = [os.path.join(BIN, "invoke"), "livereload", "--content", paths["content"], "--output", output,
               "--port", str(port)]
    process = subprocess.Popen(command, cwd=PROJECT, env={**os.environ, **project_env()}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               start_new_session=True, text=True)
    sampler = TreeSampler(process.pid, every=0.05)
    sampler.start()
    lines: list[str] = []
    ready = threading.Event()

    def follow() -> None:
        for line in process.stdout:
            lines.append(line)
            if "Xem trước tại" in line:
                ready.set()

    threading.Thread(target=follow, daemon=True).start()
    started = time.perf_counter()
    latencies = []
    try:
        if not ready.wait(600):
            sys.exit("bản xem trước không khởi động:\n" + "".join(lines[-20:]))
        first_build = time.perf_counter() - started
        time.sleep(1.0)
        for number in range(1, runs + 1):
            token = f"bản sửa số {number}"
            edited = re.sub(r'^title: "(.*)"$', lambda m, token=token: f'title: "{m.group(1)} ({token})"', original, count=1,
                            flags=re.M)
            began = time.perf_counter()
            with open(article, "w", encoding="utf-8") as handle:
                handle.write(edited)
            wait_for_token(output, pages, token, timeout=600)
            latencies.append(time.perf_counter() - began)
            wait_for_line(lines, "Đã cập nhật chỉ mục tìm kiếm", number, timeout=600)  # idle again
        problems = compare_with_clean_build(paths, output)
    finally:
        with open(article, "w", encoding="utf-8") as handle:
            handle.write(original)
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        sampler.done.set()
    fast = sum("Đã cập nhật chỉ mục tìm kiếm" in line for line in lines)
    return {
        "fast_path_used": fast,
        "latency": statistics.median(latencies),
        "latencies": [round(x, 3) for x in latencies],
        "first_build": first_build,
        "tree_rss_mb": sampler.peak_kb / 1024,
        "pages_checked": pages,
        "identical_to_clean_build": not problems,
        "differences": problems[:20],
    }


def wait_for_token(output: str, pages: list[str], token: str, timeout: float) -> None:
    """Wait until every page of the list contains the token."""
    encoded = token.encode()
    deadline = time.perf_counter() + timeout
    pending = list(pages)
    while pending:
        if time.perf_counter() > deadline:
            sys.exit(f"quá {timeout} giây mà các trang chưa cập nhật: {pending}")
        still = []
        for page in pending:
            try:
                with open(os.path.join(output, page), "rb") as handle:
                    if encoded not in handle.read():
                        still.append(page)
            except OSError:
                still.append(page)
        pending = still
        if pending:
            time.sleep(0.005)


def wait_for_line(lines: list[str], text: str, count: int, timeout: float) -> None:
    """Wait until the preview has printed a line containing `text` `count` times (or a full rebuild said done)."""
    deadline = time.perf_counter() + timeout
    while sum(text in line for line in lines) < count:
        if time.perf_counter() > deadline:
            sys.exit("bản xem trước không trở lại trạng thái chờ:\n" + "".join(lines[-20:]))
        if sum("Đã cập nhật bản xem trước" in line for line in lines) > count and not any(text in line for line in lines):
            time.sleep(1.0)  # a full rebuild ran instead of the fast path: it is done once it printed
            return
        time.sleep(0.05)


def compare_with_clean_build(paths: dict, preview_output: str) -> list[str]:
    """Build the edited content from scratch with the preview settings and compare it with the preview's output."""
    from pelican.plugins.bulletin import marks, searchindex

    reference = preview_output + "-sach"
    shutil.rmtree(reference, ignore_errors=True)
    command = [PYTHON, os.path.join(HERE, "bench_build.py"), "--content", paths["content"], "--output", reference,
               "--reference", "--preview", "--search"]
    result = measure(command, cwd=PROJECT, env=project_env())
    if result["code"]:
        fail("Bản dựng đối chiếu", result)
    # The preview's search index is the full index with a delta of the saved articles on top (searchindex.update;
    # tests/test_preview_index.py shows it answers with the saved text), and its folder's mark lists that delta: both
    # differ from a clean build by design. Every page must be the same bytes.
    by_design = (searchindex.BUNDLE + "/", marks.MARK)
    return [p for p in compare_trees(reference, preview_output) if not p.split(" ", 1)[1].startswith(by_design)]


# ---------------------------------------------------------------- one article count

def remove_outputs(base: str) -> None:
    """Delete the output folders of earlier runs, then let the file system settle before anything is timed.

    Every timed build writes into a folder of its own that no earlier run used, and nothing is deleted while
    builds are timed: a file system may slow down creating files right after thousands were deleted (ext4
    without a journal, for one, skips inodes freed in the last few seconds), which would charge one build
    for the clean-up of another, and most of all a build that starts writing soon after it starts.
    """
    doomed = [os.path.join(base, n) for n in os.listdir(base) if n.startswith("out-")]
    for folder in doomed:
        shutil.rmtree(folder, ignore_errors=True)
    if doomed:
        os.sync()
        time.sleep(SETTLE_SECONDS)


def bench_count(count: int, runs: int, seed: int, preview_runs: int) -> dict:
    """Measure everything for one article count."""
    paths = prepare(count, seed)
    remove_outputs(paths["base"])
    made: list[str] = []

    def out(name: str) -> str:
        """Return a new output folder for one run."""
        made.append(os.path.join(paths["base"], f"out-{name}-{len(made)}"))
        return made[-1]

    print(f"\n== {count} bài viết ==", flush=True)
    row: dict = {"articles": count}

    plain = [run_plain(paths, out("pelican")) for _ in range(runs)]
    row["pelican"] = median_of(plain)
    say("Pelican thuần", row["pelican"])

    # The reference: one process, no cache. Every fast path must give the same bytes.
    reference = out("tham-chieu")
    row["reference"] = median_of([run_ours(paths, reference, search=False, fast=False)])
    say("Bản tin, một tiến trình, không bộ đệm (tham chiếu)", row["reference"])

    cold = []
    for _ in range(runs):
        shutil.rmtree(os.path.join(PROJECT, ".cache"), ignore_errors=True)
        cold.append(run_ours(paths, out("khong-tim-kiem"), search=False))
    row["ours"] = median_of(cold)
    say("Bản tin, không chỉ mục tìm kiếm (bộ đệm rỗng)", row["ours"])
    row["identical"] = {"bo_dem_rong": compare_trees(reference, made[-1])[:20]}

    warm_plain = [run_ours(paths, out("khong-tim-kiem-bo-dem"), search=False) for _ in range(runs)]
    row["ours_warm"] = median_of(warm_plain)
    say("Bản tin, không chỉ mục tìm kiếm (bộ đệm sẵn)", row["ours_warm"])
    row["identical"]["bo_dem_san"] = compare_trees(reference, made[-1])[:20]

    warm = [run_ours(paths, out("co-tim-kiem"), search=True) for _ in range(runs)]
    row["ours_search"] = median_of(warm)
    say("Bản tin + chỉ mục tìm kiếm (bộ đệm sẵn)", row["ours_search"])
    row["search"] = row["ours_search"].get("search", 0.0)
    for name, problems in row["identical"].items():
        print(f"  so với bản tham chiếu ({name}): {problems or 'giống hệt'}", flush=True)

    # The public build, every finisher, caches empty: without the printed editions and with them, taking turns (the
    # machine's drift falls on both alike). What the editions add is the target (at most 20 %).
    public: dict[str, list] = {"without": [], "editions": []}
    for _ in range(runs):
        for kind, runs_of_kind in public.items():
            shutil.rmtree(os.path.join(PROJECT, ".cache"), ignore_errors=True)
            runs_of_kind.append(run_ours(paths, out(f"cong-khai-{kind}"), search=True, public=True, editions=kind == "editions"))
    row["public"], row["public_editions"] = median_of(public["without"]), median_of(public["editions"])
    row["editions"] = sum(name.endswith(".pdf") for _, _, names in os.walk(os.path.join(made[-1], "ban-in")) for name in names)
    row["editions_added"] = row["public_editions"]["wall"] / row["public"]["wall"] - 1
    say("Bản công khai (mọi bước hoàn thiện, bộ đệm rỗng), không bản in", row["public"])
    say(f"Bản công khai + {row['editions']} bản in ({row['editions_added']:+.0%})", row["public_editions"])

    if preview_runs:
        row["preview"] = run_preview(paths, out("xem-truoc"), preview_runs)
        print(f"  xem trước: sửa một bài -> trang cập nhật sau {row['preview']['latency']:.3f} s "
              f"(các lần: {row['preview']['latencies']}); giống bản dựng sạch: "
              f"{row['preview']['identical_to_clean_build']}", flush=True)
    remove_outputs(paths["base"])
    return row


def say(label: str, summary: dict) -> None:
    """Print one measured line."""
    extra = f", trong đó tìm kiếm {summary['search']:.2f} s" if summary.get("search") else ""
    print(f"  {label}: {summary['wall']:.2f} s (các lần: {summary['walls']}){extra}; bộ nhớ đỉnh "
          f"{summary['max_rss_mb']:.0f} MB một tiến trình, {summary['tree_rss_mb']:.0f} MB cả cây (RSS cộng dồn), "
          f"{summary['tree_pss_mb']:.0f} MB cả cây (PSS)", flush=True)


# ---------------------------------------------------------------- outputs

def plot(rows: list[dict], path: str) -> None:
    """Draw build time against article count."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    counts = [r["articles"] for r in rows]
    figure, axes = pyplot.subplots(figsize=(7, 4.5), dpi=110)
    series = [("Pelican thuần", "pelican", "o-"), ("Bản tin, không tìm kiếm (bộ đệm rỗng)", "ours", "s-"),
              ("Bản tin, không tìm kiếm (bộ đệm sẵn)", "ours_warm", "^-"),
              ("Bản tin + tìm kiếm", "ours_search", "d-")]
    for label, key, style in series:
        axes.plot(counts, [r[key]["wall"] for r in rows], style, label=label)
    if all("preview" in r for r in rows):
        axes.plot(counts, [r["preview"]["latency"] for r in rows], "x--", label="Xem trước: sửa một bài")
    axes.set_xlabel("Số bài viết")
    axes.set_ylabel("Thời gian (giây)")
    axes.set_title("Thời gian dựng theo số bài viết (trung vị)")
    axes.grid(True, alpha=0.3)
    axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, metadata={"Software": None})
    pyplot.close(figure)


def table(rows: list[dict]) -> str:
    """Return a Markdown table of the medians."""
    head = ("| Số bài | Pelican thuần | Bản tin (bộ đệm rỗng) | Tỉ lệ | Bản tin (bộ đệm sẵn) | Tỉ lệ | + tìm kiếm "
            "| trong đó tìm kiếm | Xem trước: sửa một bài | Bộ nhớ đỉnh khi dựng: cả cây (PSS) / tiến trình lớn nhất "
            "| Bộ nhớ đỉnh + tìm kiếm (PSS) | Bản công khai: không / có bản in |\n"
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
    lines = []
    for r in rows:
        preview = f"{r['preview']['latency']:.2f} s" if "preview" in r else "—"
        build = [r[k] for k in ("ours", "ours_warm")]
        pss = max(m.get("tree_pss_mb", m["tree_rss_mb"]) for m in build)
        largest = max(m["max_rss_mb"] for m in build)
        search = r["ours_search"].get("tree_pss_mb", r["ours_search"]["tree_rss_mb"])
        public = (f"{r['public']['wall']:.1f} s / {r['public_editions']['wall']:.1f} s ({r['editions_added']:+.0%})"
                  if "public" in r else "—")
        lines.append(
            f"| {r['articles']:,} | {r['pelican']['wall']:.1f} s | {r['ours']['wall']:.1f} s | "
            f"{r['ours']['wall'] / r['pelican']['wall']:.2f} | {r['ours_warm']['wall']:.1f} s | "
            f"{r['ours_warm']['wall'] / r['pelican']['wall']:.2f} | {r['ours_search']['wall']:.1f} s | {r['search']:.1f} s | "
            f"{preview} | {pss:.0f} MB / {largest:.0f} MB | {search:.0f} MB |".replace(",", ".") + f" {public} |"
        )
    return head + "\n".join(lines) + "\n"


def main() -> None:
    """Run the benchmark from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", default="10000", help="số bài viết, cách nhau bằng dấu phẩy")
    parser.add_argument("--runs", type=int, default=3, help="số lần đo mỗi loại (lấy trung vị)")
    parser.add_argument("--preview-runs", type=int, default=3, help="số lần sửa bài trong bản xem trước (0: bỏ qua)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--table", metavar="JSON", help="chỉ in lại bảng từ một tệp kết quả đã ghi")
    args = parser.parse_args()
    if args.table:
        with open(args.table, encoding="utf-8") as handle:
            print(table(json.load(handle)["rows"]))
        return
    counts = [int(c) for c in args.articles.split(",")]
    snapshot_project()
    load_before = os.getloadavg()
    os.makedirs(RESULTS, exist_ok=True)
    rows = [bench_count(count, args.runs, args.seed, args.preview_runs) for count in counts]
    name = "bench-" + "-".join(str(c) for c in counts)
    report = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "system": platform.platform(),
                    "load_before": load_before, "load_after": os.getloadavg()},
        "runs": args.runs,
        "seed": args.seed,
        "rows": rows,
    }
    with open(os.path.join(RESULTS, name + ".json"), "w", encoding="utf-8") as handle:
        json.dump(report, handle, ensure_ascii=False, indent=1, sort_keys=True)
    plot(rows, os.path.join(RESULTS, name + ".png"))
    print("\n" + table(rows))
    print(f"Đã ghi {os.path.relpath(os.path.join(RESULTS, name + '.json'), ROOT)} và {name}.png")
    bad = [r["articles"] for r in rows if any(r["identical"].values())
           or ("preview" in r and not r["preview"]["identical_to_clean_build"])]
    if bad:
        sys.exit(f"Đường nhanh cho kết quả khác bản dựng sạch ở: {bad}")


if __name__ == "__main__":
    main()
