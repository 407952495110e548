"""Tasks for editors and maintainers: `invoke --list` shows them all."""

from __future__ import annotations

import contextlib
import errno
import os
import shlex
import shutil
import sys

from invoke import task
from invoke.exceptions import Exit
from invoke.parser.parser import ParseMachine

from pelican.plugins.bulletin import build as builder
from pelican.plugins.bulletin.errors import BulletinError, Refusal, display_path
from pelican.plugins.bulletin.finishers import FINISHERS

PROJECT = os.path.dirname(os.path.abspath(__file__))
CONTENT = "content"
OUTPUT = "output"
PREVIEW = ".preview"  # the live preview's own folder (scheduled articles included): never output/, never published
HOST, PORT = "127.0.0.1", 8000

# Tasks that take any number of files after their name (`invoke check a.md b.md`, a shell glob): task -> its list
# argument. Invoke's own positional arguments are single and required, so such words would read as task names.
TAKES_FILES = {"check": "paths", "import": "files"}
_invoke_handle = ParseMachine.handle


def _handle_file_words(parser: ParseMachine, token: str) -> None:
    """Give a word after `check` or `import` that is no flag, flag value or task name (or is a file) to the task."""
    context = parser.context
    if (context is not None and context.name in TAKES_FILES and parser.current_state != "unknown"
            and not token.startswith("-") and not parser.waiting_for_flag_value
            and (token not in parser.contexts or os.path.exists(token))):  # a file named like a task is a file
        context.args[TAKES_FILES[context.name]].value = token  # a list argument: appended
        return
    _invoke_handle(parser, token)


ParseMachine.handle = _handle_file_words


def settings_file(production: bool) -> str:
    """Return the settings file of a local or a production build (the project's, from any working folder)."""
    return os.path.join(PROJECT, "publishconf.py" if production else "pelicanconf.py")


def in_project(folder: str | None, default: str) -> str:
    """Return the folder the user gave (relative to where they are), or when they gave none the project's own
    (content/, output/): a task run from a subfolder of the project works on the project."""
    return folder or display_path(os.path.join(PROJECT, default))


def run_python(c, *args) -> None:
    """Run this project's Python with these arguments (each quoted); its failure ends the task with the same code."""
    result = c.run(" ".join(shlex.quote(str(arg)) for arg in (sys.executable, *args)), pty=False, warn=True)
    if result.exited:
        raise Exit(code=result.exited)


def run_build(content: str, output: str, production: bool = False, overrides: dict | None = None) -> builder.Outcome:
    """Build once, print the errors or the summary, and stop the task on failure."""
    outcome = builder.build(settings_file(production), content, output, overrides, finishers=FINISHERS)
    builder.report(outcome)
    if not outcome.ok:
        raise Exit(code=1)
    return outcome


@task(help={"content": "thư mục nội dung", "output": "thư mục xuất", "production": "dựng bản công khai (publishconf.py)"})
def build(c, content=None, output=None, production=False):
    """Build the site into output/ (strict: stops on any content error; the old output stays until success)."""
    content, output = in_project(content, CONTENT), in_project(output, OUTPUT)
    run_build(content, output, production)


@task(help={"content": "thư mục nội dung", "output": "thư mục xuất", "target": "thư mục đích để chép bản công khai (tùy chọn)"})
def publish(c, content=None, output=None, target=""):
    """Build the public site (address from SITEURL) into output/; with --target DIR, copy it there atomically."""
    from pelican.plugins.bulletin import publish as publisher

    content, output = in_project(content, CONTENT), in_project(output, OUTPUT)
    run_build(content, output, production=True)
    if target:
        try:
            publisher.deploy(output, target, content)
        except BulletinError as refusal:  # a Refusal or a WriteFailure: the target is as it was
            print(refusal, file=sys.stderr)
            raise Exit(code=1) from None
        print(f"Đã chép bản công khai sang {target}.")


@task(help={"output": "bản công khai đã dựng cần kiểm tra (mặc định: dựng bản mới vào thư mục tạm)", "content": "thư mục nội dung",
            "skip_browser": "bỏ qua kiểm tra khả năng tiếp cận trên trình duyệt"})
def verify(c, output="", content=None, skip_browser=False):
    """Quality gate for the public site: valid HTML, no broken reference, WCAG 2.1 AA (axe), Atom feeds, sitemap."""
    import tempfile

    from pelican.plugins.bulletin import verify as checker

    content = in_project(content, CONTENT)
    with tempfile.TemporaryDirectory(prefix="ban-tin-verify-") as scratch:
        if not output:
            os.environ.setdefault("SITEURL", "https://example.org/ban-tin")  # a sub-path, to check every link under it
            output = os.path.join(scratch, "site")
            run_build(content, output, production=True)
        problems = checker.verify(output, accessibility=not skip_browser)
    for line in problems:
        print(line, file=sys.stderr)
    if problems:
        print(f"Kiểm tra chất lượng: {len(problems)} vấn đề — chưa được xuất bản.", file=sys.stderr)
        raise Exit(code=1)
    if skip_browser:
        print("Kiểm tra chất lượng: đạt (HTML hợp lệ, liên kết đủ, nguồn tin Atom, sơ đồ trang). CHƯA kiểm tra khả năng "
              "tiếp cận WCAG 2.1 AA vì đã bỏ qua trình duyệt (--skip-browser): hãy chạy lại không có tùy chọn này trước khi xuất bản.")
    else:
        print("Kiểm tra chất lượng: đạt (HTML hợp lệ, liên kết đủ, WCAG 2.1 AA, nguồn tin Atom, sơ đồ trang).")


@task(help={"output": "thư mục cần phục vụ", "port": "cổng"})
def serve(c, output=None, port=PORT):
    """Serve the built site on 127.0.0.1:8000."""
    from pelican.plugins.bulletin.serve import serve_forever

    serve_forever(in_project(output, OUTPUT), HOST, int(port))


@task(help={"content": "thư mục nội dung", "output": "thư mục của bản xem trước (không phải output/)", "port": "cổng"})
def livereload(c, content=None, output=None, port=PORT):
    """Preview with scheduled articles shown, built into .preview/: rebuild on every save and refresh the browser."""
    from pelican.plugins.bulletin.serve import preview

    content, output = in_project(content, CONTENT), in_project(output, PREVIEW)
    preview(settings_file(False), content, output, HOST, int(port), FINISHERS)


@task(help={"content": "thư mục nội dung (trong một kho git)", "output": "thư mục của bản xem trước (không phải output/)",
            "port": "cổng của bản xem trước"})
def edit(c, content=None, output=None, port=PORT):
    """Web editor at 127.0.0.1:8000/quan-tri/ with the live preview and a local git backend (Ctrl-C stops both)."""
    from pelican.plugins.bulletin.editor import EditorError, run

    try:
        run(settings_file(False), in_project(content, CONTENT), in_project(output, PREVIEW), int(port))
    except EditorError as error:
        print(f"Không mở được trình soạn thảo: {error}", file=sys.stderr)
        raise Exit(code=1) from None
    except OSError as error:  # the preview's port is taken
        print(f"Không mở được trình soạn thảo: cổng {port} không dùng được ({error.strerror}) — "
              "hãy dừng chương trình đang dùng cổng đó hoặc chọn cổng khác (--port)", file=sys.stderr)
        raise Exit(code=1) from None


@task(help={"output": "thư mục xuất cần xóa"})
def clean(c, output=None):
    """Delete the built site (output/) and the preview's (.preview/), each only if the build wrote all of it, and the
    build cache; never content/."""
    from pelican.plugins.bulletin.errors import failure_reason
    from pelican.plugins.bulletin.folders import guard_output
    from pelican.plugins.bulletin.settings import DEFAULTS

    output, preview = in_project(output, OUTPUT), in_project(None, PREVIEW)
    for folder in (output, preview):  # each only when the build wrote all of it
        try:
            guard_output(folder, in_project(None, CONTENT), action="xóa")
        except Refusal as refusal:
            print(refusal, file=sys.stderr)
            raise Exit(code=1) from None
    cache = in_project(None, DEFAULTS["BULLETIN_CACHE"])  # only the build's own: .cache/ may hold other programs' files
    for path in (output, preview, cache):
        if not os.path.isdir(path):
            continue
        folder = os.path.realpath(path)  # an output that is a link: empty what it points to, keep the link
        try:
            if not os.access(os.path.dirname(folder), os.W_OK):  # rmtree would empty it, then fail on the folder
                raise OSError(errno.EROFS if os.statvfs(folder).f_flag & os.ST_RDONLY else errno.EACCES, "read-only")
            shutil.rmtree(folder)
        except OSError as error:
            print(f"không xóa được {path}: {failure_reason(error)}.", file=sys.stderr)
            raise Exit(code=1) from None
        print(f"Đã xóa {path}/")
    with contextlib.suppress(OSError):
        os.rmdir(os.path.dirname(cache))  # .cache/ when nothing else is left in it


@task(iterable=["paths"], help={"paths": "tệp hoặc thư mục cần kiểm tra (mặc định: cả content/); ghi thẳng sau tên lệnh", "content": "thư mục nội dung", "format": "text hoặc json"})
def check(c, paths=None, content=None, format="text"):
    """Check content without building: every error as path:line: message; exit 1 if any."""
    from pelican.plugins.bulletin import check as checker

    notices = []
    errors = checker.check_content(settings_file(False), in_project(content, CONTENT), list(paths or []) + shlex.split(c.remainder or ""), notices)
    checker.print_report(errors, format, notices)
    if errors:
        raise Exit(code=1)


def content_state(content: str):
    """Read the settings and the unit registry of a content folder; stop when the registry has errors."""
    from pelican.plugins.bulletin.state import start_build

    if not os.path.isdir(content):
        print(f"{content}: không có thư mục nội dung này — kiểm tra lại đường dẫn --content", file=sys.stderr)
        raise Exit(code=1)
    state = start_build(builder.read_settings(settings_file(False), content))
    if not state.context.registry_ok:  # other problems of the content folder are for check and build to report
        for error in state.errors:
            if error.path == state.context.registry_path:
                print(error, file=sys.stderr)
        print("Hãy sửa danh sách đơn vị trước.", file=sys.stderr)
        raise Exit(code=1)
    return state


@task(help={"title": "tiêu đề bài viết", "unit": "đơn vị: mã, tên, tên gọi khác hoặc viết không dấu",
            "term": "nhiệm kỳ, ví dụ 2020-2025", "date": "ngày đăng dd/mm/yyyy HH:MM (mặc định: bây giờ)",
            "content": "thư mục nội dung"})
def new(c, title="", unit="", term=None, date=None, content=None):
    """Write a new article file with valid front matter (never overwrites); print its path."""
    from pelican.plugins.bulletin.scaffold import ScaffoldError, new_article

    content = in_project(content, CONTENT)
    state = content_state(content)
    try:
        path = new_article(content, state.registry, state.context.zone, title, unit, term, date,
                           registry_path=state.context.registry_path)
    except ScaffoldError as error:
        print(f"Không tạo được bài: {error}", file=sys.stderr)
        raise Exit(code=1) from None
    print(path)


@task(name="import", iterable=["files"], help={"files": "tệp .txt/.docx, thư mục hoặc mẫu như 'tho/*.txt'; ghi thẳng sau tên lệnh",
                                                 "dry_run": "chỉ in Markdown ra màn hình, không ghi tệp", "content": "thư mục nội dung"})
def import_(c, files=None, dry_run=False, content=None):
    """Import raw articles (.txt in any Vietnamese encoding, .docx) as Markdown; never overwrites."""
    from pelican.plugins.bulletin import importer

    files = list(files or []) + shlex.split(c.remainder or "")
    if not files:
        print("Cách dùng: invoke import [--dry-run] [--content THƯ_MỤC] TỆP [TỆP_KHÁC …]", file=sys.stderr)
        raise Exit(code=2)
    content = in_project(content, CONTENT)
    state = content_state(content)
    sources = importer.expand_sources(files)
    if not sources:
        print(f"Không có tệp .txt hay .docx nào ở {' '.join(files)}.", file=sys.stderr)
        raise Exit(code=1)
    code = importer.run(sources, content, state.registry, state.context.zone, dry_run=dry_run)
    if code:
        raise Exit(code=code)


EDITION_PREVIEWS = "ban-in-xem-truoc"  # where `invoke edition` puts its PDFs (never inside content/)


@task(help={"unit": "đơn vị: mã, tên hoặc tên gọi khác", "month": "tháng của số báo, MM/YYYY (ví dụ 04/2022)",
            "content": "thư mục nội dung", "output": "thư mục chứa bản in xem trước"})
def edition(c, unit="", month="", content=CONTENT, output=EDITION_PREVIEWS):
    """Lay out one unit's printed edition of a month (A4 PDF) for a preview; print the PDF's path."""
    import re
    import tempfile

    from pelican.plugins.bulletin.generator import EDITION_PREVIEW
    from pelican.plugins.bulletin.registry import unit_choices
    from pelican.plugins.bulletin.urls import SITE_EDITION, URLS

    wanted = re.fullmatch(r"\s*(\d{1,2})\s*/\s*(\d{4})\s*", month or "")
    if not unit or not wanted or not 1 <= int(wanted[1]) <= 12:
        print("Cách dùng: invoke edition --unit MÃ_ĐƠN_VỊ --month MM/YYYY (ví dụ --unit huyen-uy-hon-quan --month 04/2022)", file=sys.stderr)
        raise Exit(code=2)
    state = content_state(content)
    found = state.registry.resolve(unit)
    if found is None and unit != SITE_EDITION:
        close = state.registry.suggest(unit)
        hint = f" — có phải {unit_choices(close)}?" if close else ""
        print(f'không có đơn vị "{unit}" trong danh sách đơn vị{hint}', file=sys.stderr)
        raise Exit(code=1)
    code, year, number = found.code if found else SITE_EDITION, int(wanted[2]), int(wanted[1])
    if os.path.realpath(output).startswith(os.path.realpath(content) + os.sep):
        print(f"{output}: thư mục bản in không được nằm trong thư mục nội dung", file=sys.stderr)
        raise Exit(code=1)
    with tempfile.TemporaryDirectory(prefix="ban-in-") as scratch:
        site = os.path.join(scratch, "site")
        outcome = builder.build(settings_file(False), content, site, {EDITION_PREVIEW: (code, year, number)}, finishers=())
        if not outcome.ok:
            builder.report(outcome)
            raise Exit(code=1)
        relative = URLS["edition_pdf"].format(code=code, year=year, month=number)
        made = os.path.join(site, relative)
        if not os.path.isfile(made):
            print(f"{found.name if found else 'Toàn trang'} không có bài nào đã đăng trong tháng {number}/{year}: không có bản in.", file=sys.stderr)
            raise Exit(code=1)
        os.makedirs(output, exist_ok=True)
        target = os.path.join(output, os.path.basename(relative))
        shutil.copyfile(made, target)
    print(target)


@task(help={"k": "chỉ chạy các kiểm thử khớp biểu thức", "quick": "bỏ qua kiểm thử trình duyệt và kiểm thử chậm"})
def test(c, k="", quick=False):
    """Lint the code (ruff), then run the whole test suite (browser tests included); either failing fails the run."""
    lint = c.run(f"{shlex.quote(sys.executable)} -m ruff check {shlex.quote(PROJECT)}", pty=False, warn=True)
    if lint.exited:
        print("Kiểm tra mã (ruff) chưa đạt: hãy sửa các dòng trên.", file=sys.stderr)
        raise Exit(code=lint.exited)
    args = ["-m", "pytest", "-q"]
    if k:
        args += ["-k", k]
    if quick:
        args += ["-m", "not browser and not slow"]
    run_python(c, *args)


@task(help={"folder": "thư mục ghi ảnh (mặc định docs/anh)"})
def screenshots(c, folder="docs/anh"):
    """Take the editor guide's screenshots again: the web editor's browser tests, keeping their pictures."""
    os.makedirs(folder, exist_ok=True)
    c.config.run.env = {"BULLETIN_SCREENSHOTS": os.path.abspath(folder)}
    run_python(c, "-m", "pytest", "-q", "tests/test_editor.py")


@task(name="bench-search", help={"articles": "số bài viết tổng hợp (mặc định 10000)"})
def bench_search(c, articles=10000):
    """Benchmark search on a synthetic site: index time and memory, bytes and time to results vs Pagefind's stock UI."""
    run_python(c, "benchmarks/search_bench.py", "--articles", int(articles))


@task(name="bench-preview", help={"runs": "số lần sửa bài để đo (mặc định 5)", "content": "thư mục nội dung (được chép ra thư mục tạm)"})
def bench_preview(c, runs=5, content=None):
    """Measure save-to-refreshed-page in the live preview (Chromium); print the figures and write JSON."""
    run_python(c, "benchmarks/preview_latency.py", "--runs", int(runs), *(["--content", content] if content else []))


@task(name="bench-edition", help={"month_articles": "số bài của tháng đo, mỗi bài hai ảnh (mặc định 30)",
                                  "articles": "số bài của trang tổng hợp dựng bản công khai có và không có bản in (0: bỏ qua)"})
def bench_edition(c, month_articles=30, articles=1000):
    """Benchmark the printed edition: one month laid out by our typesetter, WeasyPrint and Chromium side by side
    (the peers from the same edition as HTML), and every edition in a cold public build."""
    run_python(c, "benchmarks/bench_edition.py", "--month-articles", int(month_articles), "--articles", int(articles))


@task(name="bench-images", help={"photos": "số ảnh điện thoại trong bản tin tổng hợp (mặc định 200)"})
def bench_images(c, photos=200):
    """Benchmark photos: cold and warm build, memory, bytes, what a phone downloads (Chromium), AVIF vs WebP; write JSON."""
    run_python(c, "benchmarks/images_bench.py", "--photos", int(photos))


@task(help={"articles": "số bài viết, cách nhau bằng dấu phẩy (mặc định 10000)", "runs": "số lần đo mỗi loại, lấy trung vị",
            "preview_runs": "số lần sửa bài trong bản xem trước (0: bỏ qua)"})
def bench(c, articles="10000", runs=3, preview_runs=3):
    """Benchmark the build against plain Pelican (with and without search, preview edit, memory, the public build with
    and without the printed editions); write JSON, PNG."""
    counts = ",".join(str(int(n)) for n in str(articles).split(","))
    run_python(c, "benchmarks/bench.py", "--articles", counts, "--runs", int(runs), "--preview-runs", int(preview_runs))
