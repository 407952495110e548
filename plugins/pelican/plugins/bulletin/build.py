"""Strict, atomic builds: run Pelican into a fresh folder, stop on any content error, swap in on success."""

from __future__ import annotations

import contextlib
import io
import logging
import os
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from . import marks
from .errors import ContentError, ContentErrors, Refusal, SettingsError, display_path, write_failure
from .folders import fresh_beside, guard_output, one_build_at_a_time, remove_stale, swap_into_place
from .settings import DEFAULTS, STATE_KEY


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
    """Read a settings file, with the content and output folders and any extra values overridden; a relative
    BULLETIN_CACHE is the settings file's folder's (the project's .cache/, wherever the command runs)."""
    from pelican.settings import read_settings as pelican_read_settings

    override = dict(overrides or {})
    if content:
        override["PATH"] = os.path.abspath(content)
    if output:
        override["OUTPUT_PATH"] = os.path.abspath(output)
    quiet = logging.getLogger("pelican.settings")
    level, quiet.level = quiet.level, logging.ERROR  # its SITEURL advice is for other set-ups
    try:
        settings = pelican_read_settings(conf, override=override)
    finally:
        quiet.setLevel(level)
    cache = settings.get("BULLETIN_CACHE", DEFAULTS["BULLETIN_CACHE"])
    if cache and not os.path.isabs(cache):  # as Pelican does for its own paths: from the settings file, not the shell
        settings["BULLETIN_CACHE"] = os.path.join(os.path.dirname(os.path.abspath(conf)), cache)
    return settings


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
# The caller chooses them (finishers.FINISHERS for the site).
Finisher = Callable[..., list[str]]


def build(conf: str, content: str | None = None, output: str | None = None, overrides: dict | None = None,
          finishers: tuple[Finisher, ...] = ()) -> Outcome:
    """Build the site into a temporary folder; swap it in only when every check passed."""
    if content and not os.path.isdir(content):
        return Outcome(output=output or "output", errors=[f"không có thư mục nội dung {content} — kiểm tra lại đường dẫn --content"])
    settings = read_settings(conf, content, output, overrides)
    target, source = settings["OUTPUT_PATH"], settings["PATH"]
    try:
        guard_output(display_path(target), source, deep=False)  # all of it is looked at before the swap
    except Refusal as refusal:
        return Outcome(output=target, errors=[str(refusal)])
    shown, target = target, os.path.realpath(target)  # an output that is a link (to a web root) stays a link
    try:
        return _build_beside(settings, shown, target, finishers)
    except Refusal as refusal:  # files appeared in the output while this build ran
        return Outcome(output=shown, errors=[str(refusal)])
    except OSError as error:  # the machine refused a write: a read-only or full disk, no permission
        return Outcome(output=shown, errors=[write_failure(error, shown)])


def _build_beside(settings: dict, shown: str, target: str, finishers: tuple[Finisher, ...]) -> Outcome:
    """Build into a marked temporary folder beside the target; mark it finished and swap it in on success."""
    parent = os.path.dirname(target)
    os.makedirs(parent, exist_ok=True)
    with one_build_at_a_time(parent):  # else a second build would delete the first one's folder as stale
        remove_stale(target)
        temporary = fresh_beside(target)
        settings["OUTPUT_PATH"] = temporary
        from . import printing  # here: the typesetter's modules would slow every task's start

        try:
            outcome = run_pelican(settings)
            for finish in (*finishers, printing.finish) if outcome.ok else ():  # the press's work, if no step took it
                outcome.errors.extend(finish(temporary, settings))
                if not outcome.ok:
                    break
            if outcome.ok:
                marks.seal(temporary)  # last: it lists everything the build and its finishers wrote
                os.chmod(temporary, 0o755)
                guard_output(display_path(shown), settings["PATH"])  # again: a file may have been put there meanwhile
                swap_into_place(temporary, target)
            outcome.output = shown
            return outcome
        finally:
            printing.stop(settings)  # a press still working when the build failed
            if os.path.exists(temporary):
                shutil.rmtree(temporary, ignore_errors=True)


def report(outcome: Outcome, stream=None) -> None:
    """Print a build's errors (path:line: message) and a one-line summary, in Vietnamese."""
    stream = stream or sys.stderr
    for line in outcome.notices:
        print(f"{line} (cảnh báo)", file=stream)
    for line in outcome.errors:
        print(line, file=stream)
    if outcome.ok:
        print(f"Đã dựng {outcome.articles} bài viết, {outcome.pages} trang vào {display_path(outcome.output)} "
              f"trong {outcome.seconds:.1f} giây.", file=sys.stdout)
    elif os.path.isfile(os.path.join(outcome.output, "index.html")):
        print(f"Dừng: {len(outcome.errors)} lỗi, trang cũ trong {display_path(outcome.output)} được giữ nguyên.", file=stream)
    else:  # a first build: there is no old site to keep
        print(f"Dừng: {len(outcome.errors)} lỗi, chưa có trang nào được dựng vào {display_path(outcome.output)}.", file=stream)


def format_errors(errors: list[ContentError]) -> list[str]:
    """Render content errors as `path:line: message` lines."""
    return [str(e) for e in sorted(errors)]
