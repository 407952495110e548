"""Tasks for editors and maintainers: `invoke --list` shows them all."""

from __future__ import annotations

import os
import shutil
import sys

from invoke import task
from invoke.exceptions import Exit

from pelican.plugins.bulletin import build as builder

CONTENT = "content"
OUTPUT = "output"
HOST, PORT = "127.0.0.1", 8000


def settings_file(production: bool) -> str:
    """Return the settings file of a local or a production build."""
    return "publishconf.py" if production else "pelicanconf.py"


def run_build(content: str, output: str, production: bool = False, overrides: dict | None = None) -> builder.Outcome:
    """Build once, print the errors or the summary, and stop the task on failure."""
    outcome = builder.build(settings_file(production), content, output, overrides, finishers=builder.FINISHERS)
    builder.report(outcome)
    if not outcome.ok:
        raise Exit(code=1)
    return outcome


@task(help={"content": "thư mục nội dung", "output": "thư mục xuất", "production": "dựng bản công khai (publishconf.py)"})
def build(c, content=CONTENT, output=OUTPUT, production=False):
    """Build the site into output/ (strict: stops on any content error; the old output stays until success)."""
    run_build(content, output, production)


@task(help={"output": "thư mục cần phục vụ", "port": "cổng"})
def serve(c, output=OUTPUT, port=PORT):
    """Serve the built site on 127.0.0.1:8000."""
    from pelican.plugins.bulletin.serve import serve_forever

    serve_forever(output, HOST, int(port))


@task(help={"content": "thư mục nội dung", "output": "thư mục xuất", "port": "cổng"})
def livereload(c, content=CONTENT, output=OUTPUT, port=PORT):
    """Preview with scheduled articles shown: rebuild on every save and refresh the browser."""
    from pelican.plugins.bulletin.serve import preview

    preview(settings_file(False), content, output, HOST, int(port))


@task(help={"output": "thư mục xuất cần xóa"})
def clean(c, output=OUTPUT):
    """Delete the built site (output/) and caches; never touches content/."""
    refusal = builder.check_output_target(output, CONTENT)
    if refusal:
        print(refusal, file=sys.stderr)
        raise Exit(code=1)
    for path in (output, ".cache"):
        if os.path.isdir(path):
            shutil.rmtree(path)
            print(f"Đã xóa {path}/")


@task(iterable=["paths"], help={"paths": "tệp hoặc thư mục cần kiểm tra (mặc định: cả content/)", "content": "thư mục nội dung", "format": "text hoặc json"})
def check(c, paths=None, content=CONTENT, format="text"):
    """Check content without building: every error as path:line: message; exit 1 if any."""
    from pelican.plugins.bulletin import check as checker

    errors = checker.check_content(settings_file(False), content, paths or [])
    checker.print_report(errors, format)
    if errors:
        raise Exit(code=1)


@task(help={"k": "chỉ chạy các kiểm thử khớp biểu thức", "quick": "bỏ qua kiểm thử trình duyệt và kiểm thử chậm"})
def test(c, k="", quick=False):
    """Run the whole test suite (browser tests included)."""
    args = [sys.executable, "-m", "pytest", "-q"]
    if k:
        args += ["-k", k]
    if quick:
        args += ["-m", "not browser and not slow"]
    result = c.run(" ".join(args), pty=False, warn=True)
    if result.exited:
        raise Exit(code=result.exited)
