"""The reading pool: before Pelican asks for the first file, worker processes check and convert every content file;
the reader takes their results (same Document, same HTML, same errors) instead of doing the work itself.

Only a speed-up: with BULLETIN_WORKERS = 0 or 1, or a site of one chunk or less, no pool starts and the reader
works alone. The pool is forked, so it starts after the main process closed its cache connection.
"""

from __future__ import annotations

import gc
import multiprocessing
import os

from .htmlcache import HtmlCache
from .reader import Read, check_and_render
from .schema import Context
from .sources import kind_of
from .state import get_state

CHUNK = 48  # files per task of a worker: fewer round trips, and still an even share at the end

# Worker processes only: set once by _start_worker, read by _check_chunk.
_WORKER: dict = {}


def _start_worker(context: Context, cache_folder: str) -> None:
    """Give a worker process its converter, cache and check context."""
    from .markup import make_markdown

    _WORKER.update(context=context, cache=HtmlCache(cache_folder), md=make_markdown())


def _check_chunk(chunk: list[tuple[str, str]]) -> list[tuple[str, Read | None]]:
    """Check and convert a few files in a worker; a file that raises is left to the reader (None)."""
    w, done = _WORKER, []
    with w["cache"].batch():
        for path, kind in chunk:
            try:
                done.append((path, check_and_render(path, kind, w["context"], w["cache"].convert, w["md"])))
            except Exception:  # the reader does it again and fails the way a build in one process would
                done.append((path, None))
    return done


class Prefetch:
    """Results of the worker pool, handed to the reader in whatever order Pelican asks for files."""

    def __init__(self, files: list[tuple[str, str]], context: Context, cache_folder: str, workers: int):
        chunks = [files[i : i + CHUNK] for i in range(0, len(files), CHUNK)]
        gc.collect()
        self.pool = multiprocessing.get_context("fork").Pool(workers, _start_worker, (context, cache_folder))
        self.pending = self.pool.imap_unordered(_check_chunk, chunks)
        self.ready: dict[str, Read | None] = {}
        self.expected = {path for path, _kind in files}

    def take(self, path: str) -> Read | None:
        """Return what the pool read of a file, waiting for it if needed; None if it was not sent or failed there."""
        if path not in self.expected:
            return None
        while path not in self.ready and self.pending is not None:
            try:
                for found, result in next(self.pending):
                    self.ready[found] = result
            except StopIteration:
                self.close()
        self.expected.discard(path)
        result = self.ready.pop(path, None)
        if not self.expected:
            self.close()
        return result

    def close(self) -> None:
        """Stop the pool."""
        if self.pending is not None:
            self.pending = None
            self.pool.terminate()
            self.pool.join()


def note_read_order(generator, paths_key: str, exclude_key: str) -> None:
    """Remember the Markdown files a generator will read, in its order (its own get_files set, same process)."""
    settings = generator.settings
    files = generator.get_files(settings[paths_key], exclude=settings[exclude_key])
    get_state(settings).read_order.extend(
        os.path.abspath(os.path.join(generator.path, f)) for f in files if f.endswith((".md", ".markdown")))


def start_reading(settings: dict) -> None:
    """Open the Markdown cache (BULLETIN_CACHE) and, when several processes may work on more than a chunk of files,
    start the pool (once every generator said which files it reads, before the first is read)."""
    state = get_state(settings)
    if settings.get("BULLETIN_CACHE"):
        state.cache = HtmlCache(settings["BULLETIN_CACHE"])
        state.cache.prepare()
    files = [(path, kind_of(settings, path)) for path in dict.fromkeys(state.read_order)]
    if state.workers > 1 and len(files) > CHUNK:
        folder = state.cache.path and state.cache.folder if state.cache is not None else ""
        if state.cache is not None:
            state.cache.close()  # the pool forks: no connection may be open here
        state.prefetch = Prefetch(files, state.context, folder, state.workers)


def finish_reading(settings: dict) -> None:
    """Stop the worker pool once every file is read; close this process's cache connection (writers fork next)."""
    state = get_state(settings)
    prefetch, state.prefetch = state.prefetch, None
    if prefetch is not None:
        prefetch.close()
    if state.cache is not None:
        state.cache.close()
