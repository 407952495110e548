"""Strict, atomic builds: run Pelican into a fresh folder, stop on any content error, swap in on success."""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import io
import logging
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import Callable

from . import publish, searchindex
from .errors import ContentError, ContentErrors
from .settings import STATE_KEY, SettingsError

AT_FDCWD = -100
RENAME_EXCHANGE = 2
STALE_PREFIX = ".tmp-"


@dataclass
class Outcome:
    """What a build produced: its errors and warnings, and where the site is."""

    output: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # content warnings for the editor (Vietnamese, path:line)
    articles: int = 0
    pages: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Tell whether the build succeeded."""
        return not self.errors


class _Collector(logging.Handler):
    """Keep Pelican's log records instead of printing them (no tracebacks reach the editor)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        (self.errors if record.levelno >= logging.ERROR else self.warnings).append(message)


def read_settings(conf: str, content: str | None = None, output: str | None = None, overrides: dict | None = None) -> dict:
    """Read a settings file, with the content and output folders and any extra values overridden."""
    from pelican.settings import read_settings as pelican_read_settings

    override = dict(overrides or {})
    if content:
        override["PATH"] = os.path.abspath(content)
    if output:
        override["OUTPUT_PATH"] = os.path.abspath(output)
    quiet = logging.getLogger("pelican.settings")
    level, quiet.level = quiet.level, logging.ERROR  # its SITEURL advice is for other set-ups
    try:
        return pelican_read_settings(conf, override=override)
    finally:
        quiet.setLevel(level)


def check_output_target(output: str, content: str) -> str | None:
    """Refuse an output folder that holds content or anything that does not look like a built site."""
    target, source = os.path.realpath(output), os.path.realpath(content)
    if target == source or source.startswith(target + os.sep) or target.startswith(source + os.sep):
        return f"thư mục xuất {output} chứa hoặc nằm trong thư mục nội dung {content} — hãy chọn thư mục khác"
    if os.path.exists(os.path.join(target, ".git")) or os.path.exists(os.path.join(target, "pelicanconf.py")):
        return f"thư mục xuất {output} là thư mục dự án — hãy chọn thư mục khác"
    if os.path.isdir(target) and os.listdir(target) and not os.path.exists(os.path.join(target, "index.html")):
        return f"thư mục xuất {output} đã có tệp khác, không phải một trang đã dựng — sẽ không ghi đè; hãy chọn thư mục trống"
    if os.path.exists(target) and not os.path.isdir(target):
        return f"{output} là một tệp, không phải thư mục"
    return None


def swap_into_place(new: str, target: str) -> None:
    """Make `new` the folder at `target` in one step; the old folder is removed afterwards."""
    if not os.path.exists(target):
        os.rename(new, target)
        return
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 and renameat2(AT_FDCWD, os.fsencode(new), AT_FDCWD, os.fsencode(target), RENAME_EXCHANGE) == 0:
        shutil.rmtree(new)  # after the exchange, `new` holds the previous site
        return
    old = new + ".old"
    os.rename(target, old)
    os.rename(new, target)
    shutil.rmtree(old)


def remove_stale(target: str) -> None:
    """Delete folders left by builds that were killed before they finished."""
    parent, name = os.path.split(os.path.abspath(target))
    prefix = f".{name}{STALE_PREFIX}"
    for entry in os.listdir(parent or "."):
        if entry.startswith(prefix):
            shutil.rmtree(os.path.join(parent, entry), ignore_errors=True)


def run_pelican(settings: dict) -> Outcome:
    """Run Pelican with these settings; collect content errors and logged problems."""
    from pelican import Pelican

    outcome = Outcome(output=settings["OUTPUT_PATH"])
    collector = _Collector()
    root = logging.getLogger()
    root.addHandler(collector)
    previous_level = root.level
    root.setLevel(logging.WARNING)
    started = time.perf_counter()
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            pelican = Pelican(settings)
            if STATE_KEY not in settings:
                outcome.errors.append("plugin bulletin không được nạp — kiểm tra PLUGINS trong pelicanconf.py")
                return outcome
            pelican.run()
    except ContentErrors as error:
        outcome.errors.extend(str(e) for e in error.errors)
    except SettingsError as error:
        outcome.errors.append(str(error))
    except Exception as error:  # a defect, not a content error: say so in one line, trace only on request
        if os.environ.get("BULLETIN_DEBUG"):
            raise
        outcome.errors.append(f"lỗi nội bộ khi dựng trang ({type(error).__name__}: {error}) — chạy lại với BULLETIN_DEBUG=1 để xem chi tiết")
    finally:
        root.removeHandler(collector)
        root.setLevel(previous_level)
        outcome.seconds = time.perf_counter() - started
    state = settings.get(STATE_KEY)
    if state is not None and not outcome.errors:
        outcome.articles = state.published
        outcome.pages = sum(1 for d in state.documents.values() if d.kind == "page")
    outcome.errors.extend(f"Pelican: {m}" for m in collector.errors)
    outcome.warnings.extend(collector.warnings)
    if state is not None:
        outcome.notices.extend(format_errors(list(set(state.warnings))))
    return outcome


# Steps that run on the finished site before it is swapped in: f(output_dir, settings, cancel=None) -> errors.
# cancel (a threading.Event) lets the live preview stop a long step (the search index); the others ignore it.
Finisher = Callable[..., list[str]]


def build(conf: str, content: str | None = None, output: str | None = None, overrides: dict | None = None,
          finishers: tuple[Finisher, ...] = ()) -> Outcome:
    """Build the site into a temporary folder; swap it in only when every check passed."""
    if content and not os.path.isdir(content):
        return Outcome(output=output or "output", errors=[f"không có thư mục nội dung {content} — kiểm tra lại đường dẫn --content"])
    settings = read_settings(conf, content, output, overrides)
    target, source = settings["OUTPUT_PATH"], settings["PATH"]
    refusal = check_output_target(target, source)
    if refusal:
        return Outcome(output=target, errors=[refusal])
    shown, target = target, os.path.realpath(target)  # an output that is a link (to a web root) stays a link
    parent, name = os.path.split(target)
    os.makedirs(parent, exist_ok=True)
    with one_build_at_a_time(parent):  # else a second build would delete the first one's folder as stale
        remove_stale(target)
        temporary = tempfile.mkdtemp(prefix=f".{name}{STALE_PREFIX}", dir=parent)
        settings["OUTPUT_PATH"] = temporary
        try:
            outcome = run_pelican(settings)
            for finish in finishers if outcome.ok else ():
                outcome.errors.extend(finish(temporary, settings))
                if not outcome.ok:
                    break
            if outcome.ok:
                os.chmod(temporary, 0o755)
                swap_into_place(temporary, target)
            outcome.output = shown
            return outcome
        finally:
            if os.path.exists(temporary):
                shutil.rmtree(temporary, ignore_errors=True)


@contextlib.contextmanager
def one_build_at_a_time(folder: str):
    """Hold an exclusive lock on the folder the output lives in; a concurrent build waits for this one."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def report(outcome: Outcome, stream=None) -> None:
    """Print a build's errors (path:line: message) and a one-line summary, in Vietnamese."""
    stream = stream or sys.stderr
    for line in outcome.notices:
        print(f"{line} (cảnh báo)", file=stream)
    for line in outcome.errors:
        print(line, file=stream)
    if outcome.ok:
        print(f"Đã dựng {outcome.articles} bài viết, {outcome.pages} trang vào {display(outcome.output)} "
              f"trong {outcome.seconds:.1f} giây.", file=sys.stdout)
    elif os.path.isfile(os.path.join(outcome.output, "index.html")):
        print(f"Dừng: {len(outcome.errors)} lỗi, trang cũ trong {display(outcome.output)} được giữ nguyên.", file=stream)
    else:  # a first build: there is no old site to keep
        print(f"Dừng: {len(outcome.errors)} lỗi, chưa có trang nào được dựng vào {display(outcome.output)}.", file=stream)


def display(path: str) -> str:
    """Show a path relative to the working folder when it is inside it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def format_errors(errors: list[ContentError]) -> list[str]:
    """Render content errors as `path:line: message` lines."""
    return [str(e) for e in sorted(errors)]


# Order matters: asset hashing and the CSP rewrite the pages first (the search index reads only their text);
# the sitemap needs every page in place; compression comes last so it covers the search bundle and the sitemap.
# The publish.* steps do nothing unless BULLETIN_PUBLISH (publishconf.py) is set.
FINISHERS: tuple[Finisher, ...] = (publish.fingerprint, searchindex.build_index, publish.sitemap, publish.compress)
