"""Use every core: check and convert content files in worker processes, render pages in forked writers.

Both fast paths give the same bytes as a build in one process (BULLETIN_WORKERS = 0 turns them off):
- reading: before Pelican asks for the first file, a pool checks and converts every content file; the reader
  takes the results (same Document, same HTML, same errors) instead of doing the work itself;
- writing: every page and feed Pelican asks for is recorded, then rendered at the end by this process and
  forked copies of it, each taking the jobs whose file name hashes to it (so a name written twice still meets
  Pelican's own overwrite check in one process); warnings logged by the copies are logged again here.
Markdown -> sanitized HTML results are cached by body hash and code version in one SQLite file under BULLETIN_CACHE.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import hashlib
import json
import logging
import multiprocessing
import os
import pickle
import re
import sqlite3
import time
import zlib
from importlib import metadata

from pelican.writers import FileOverwriteFailedError, Writer

from . import markup, sanitize, schema, sources
from .errors import display_path

PREFETCH_KEY = "_BULLETIN_PREFETCH"
ORDER_KEY = "_BULLETIN_READ_ORDER"  # the files Pelican will read, in the order it will ask for them
WRITER_KEY = "_BULLETIN_WRITER"
LIVE_KEY = "_BULLETIN_LIVE"  # the live preview's holder (a dict): keeps the generators and the writer's jobs
CHUNK = 48
BUSY_SECONDS = 5  # our own processes hold the cache's write lock for milliseconds
STALE_SECONDS = 86400  # another code version's cache file unused this long is removed
DAMAGED = ".hong"  # beside a cache file found damaged: the next build starts it again
_DAMAGE_CODES = {1, 11, 17, 20, 26}  # SQLITE_ERROR (e.g. no such column), CORRUPT, SCHEMA, MISMATCH, NOTADB
_CACHE_FILE = re.compile(r"html-[0-9a-f]{16}\.sqlite")
_OLD_LAYOUT = re.compile(r"[0-9a-f]{16}")  # the cache's earlier layout: a folder per code version,
_OLD_SUBFOLDER = re.compile(r"[0-9a-f]{2}")  # a subfolder per first two hex digits,
_OLD_FILE = re.compile(r"[0-9a-f]{64}\.json(\.\d+\.tmp)?")  # a JSON file per body
_CODE_FILES = ("markup.py", "parallel.py", "sanitize.py")


def worker_count(settings: dict) -> int:
    """Return how many processes may work (1: everything stays in this process)."""
    wanted = settings.get("BULLETIN_WORKERS")
    if wanted is None:
        wanted = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, int(wanted))


@functools.cache
def code_version() -> str:
    """Return a hash of everything that decides the HTML of a Markdown body (the code this process runs,
    read once: the preview keeps running the code it started with even if the files change)."""
    digest = hashlib.sha256(metadata.version("markdown").encode())
    here = os.path.dirname(os.path.abspath(__file__))
    for name in _CODE_FILES:
        with open(os.path.join(here, name), "rb") as handle:
            digest.update(handle.read())
    return digest.hexdigest()[:16]


class HtmlCache:
    """Markdown bodies -> sanitized HTML, by body hash, in one SQLite file per code version ("" turns it off).

    One file rather than one file per body: at 10,000 articles, creating 10,000 small files cost a cold
    build more time than the conversions it saves on the next one. Each process opens its own connection,
    and the main process closes its own before it forks (finish_reading, prepare): a SQLite connection must
    not cross fork(). The worker pool writes a chunk's results in one transaction.
    A cache that cannot be used only costs speed: a locked or unwritable file turns the cache off for the
    rest of the build; a file found damaged is marked, and the next build's prepare() starts it again.
    """

    def __init__(self, folder: str):
        self.folder = folder
        self.path = os.path.join(folder, f"html-{code_version()}.sqlite") if folder else ""
        self._db: sqlite3.Connection | None = None
        self._pid = 0
        self._pending: list[tuple[str, str, str]] | None = None

    def prepare(self) -> None:
        """Create the file, or start it again if it is damaged; then close it (the main process forks next)."""
        path = self.path
        for _attempt in range(2 if path else 0):
            if os.path.exists(path + DAMAGED):  # found damaged by an earlier build, or by opening it just now
                self._remove_files(os.path.basename(path))
            self.path = path
            if self._connect() is not None or not os.path.exists(path + DAMAGED):
                break
        self.close()

    def _connect(self) -> sqlite3.Connection | None:
        """Return this process's connection, opening (and if need be creating) the file."""
        if not self.path:
            return None
        if self._db is not None and self._pid == os.getpid():
            return self._db
        self._db, self._pid = None, os.getpid()
        db = None
        try:
            os.makedirs(self.folder, exist_ok=True)
            fresh = not os.path.exists(self.path)
            db = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=OFF")
            db.execute("CREATE TABLE IF NOT EXISTS html (key TEXT PRIMARY KEY, html TEXT NOT NULL, removed TEXT NOT NULL)")
            if fresh:
                self._remove_old_versions()
            self._db = db
            return db
        except (sqlite3.Error, OSError) as error:
            if db is not None:
                db.close()
            self._give_up(error)
            return None

    def _give_up(self, error: Exception) -> None:
        """Turn the cache off for this process; mark the file when it is damaged, for the next build."""
        if damaged(error):
            with contextlib.suppress(OSError):
                open(self.path + DAMAGED, "w").close()
        self.close()
        self.path = ""

    def close(self) -> None:
        """Close this process's connection (a forked copy leaves its parent's alone)."""
        if self._db is not None and self._pid == os.getpid():
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None

    def _remove_files(self, name: str) -> None:
        """Delete one cache file with SQLite's files beside it."""
        for suffix in ("", "-wal", "-shm", DAMAGED):
            with contextlib.suppress(OSError):
                os.remove(os.path.join(self.folder, name + suffix))

    def _remove_old_versions(self) -> None:
        """Delete the cache of earlier code versions not used for a day (their HTML can never be used again),
        the earlier layout included. Only names this cache makes are touched: the folder may hold other things."""
        mine = os.path.basename(self.path)
        cutoff = time.time() - STALE_SECONDS
        for name in os.listdir(self.folder):
            path = os.path.join(self.folder, name)
            if name != mine and _CACHE_FILE.fullmatch(name):
                siblings = [path + suffix for suffix in ("", "-wal", "-shm") if os.path.exists(path + suffix)]
                if all(os.path.getmtime(p) < cutoff for p in siblings):
                    self._remove_files(name)
            elif _OLD_LAYOUT.fullmatch(name) and os.path.isdir(path):
                _remove_old_layout(path)

    @contextlib.contextmanager
    def batch(self):
        """Keep the writes of a few conversions and store them in one transaction at the end."""
        self._pending = []
        try:
            yield self
        finally:
            pending, self._pending = self._pending, None
            self._store(pending)

    def _store(self, rows: list[tuple[str, str, str]]) -> None:
        """Write rows of (body hash, HTML, removals as JSON) in one transaction."""
        db = self._connect()
        if not rows or db is None:
            return
        try:
            with db:
                db.execute("BEGIN IMMEDIATE")
                db.executemany("INSERT OR REPLACE INTO html VALUES (?, ?, ?)", rows)
        except sqlite3.Error as error:
            self._give_up(error)

    def convert(self, md, body: str) -> tuple[str, list[sanitize.Removal]]:
        """Return the sanitized HTML of a body and what the sanitizer removed, from the cache when it is there."""
        db = self._connect()
        if db is None:
            return render(md, body)
        key = hashlib.sha256(body.encode("utf-8")).hexdigest()
        try:
            found = db.execute("SELECT html, removed FROM html WHERE key = ?", (key,)).fetchone()
            if found is not None:
                return found[0], [sanitize.Removal(**removal) for removal in json.loads(found[1])]
        except sqlite3.Error as error:
            self._give_up(error)
        except (ValueError, TypeError):
            pass
        html, removed = render(md, body)
        row = (key, html, json.dumps([dataclasses.asdict(r) for r in removed], ensure_ascii=False))
        if self._pending is not None:
            self._pending.append(row)
        else:
            self._store([row])
        return html, removed


def damaged(error: Exception) -> bool:
    """Tell whether a SQLite error says the cache file itself is bad (not a database, corrupt, another schema),
    rather than busy, locked, read-only or out of room."""
    code = getattr(error, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in _DAMAGE_CODES


def _remove_old_layout(folder: str) -> None:
    """Delete a code version's folder of the earlier layout (xx/<sha256>.json), and nothing else that is in it."""
    for sub in os.listdir(folder):
        inner = os.path.join(folder, sub)
        if not (_OLD_SUBFOLDER.fullmatch(sub) and os.path.isdir(inner)):
            continue
        for name in os.listdir(inner):
            if _OLD_FILE.fullmatch(name):
                with contextlib.suppress(OSError):
                    os.remove(os.path.join(inner, name))
        with contextlib.suppress(OSError):
            os.rmdir(inner)  # only when it is empty now
    with contextlib.suppress(OSError):
        os.rmdir(folder)


def render(md, body: str) -> tuple[str, list[sanitize.Removal]]:
    """Convert a Markdown body to HTML and pass it through the sanitizer's allowlist."""
    return sanitize.clean(markup.convert(md, body)) if body.strip() else ("", [])


# ---------------------------------------------------------------- reading

# Worker processes only: set once by _start_worker, read by _check_chunk.
_WORKER: dict = {}


def _start_worker(context: schema.Context, cache_folder: str) -> None:
    """Give a worker process its converter, cache and check context."""
    _WORKER.update(context=context, cache=HtmlCache(cache_folder), md=markup.make_markdown())


def check_one(full_path: str, kind: str, context: schema.Context, cache: HtmlCache, md) -> tuple:
    """Check one content file and convert its body: (Document, sanitized HTML, what the sanitizer removed)."""
    doc = schema.check_file(full_path, display_path(full_path), kind, context)
    return (doc, *cache.convert(md, doc.body))


def _check_chunk(chunk: list[tuple[str, str]]) -> list[tuple[str, tuple | None]]:
    """Check and convert a few files in a worker; a file that raises is left to the reader (None)."""
    w, done = _WORKER, []
    with w["cache"].batch():
        for path, kind in chunk:
            try:
                done.append((path, check_one(path, kind, w["context"], w["cache"], w["md"])))
            except Exception:  # the reader does it again and fails the way a build in one process would
                done.append((path, None))
    return done


class Prefetch:
    """Results of the worker pool, handed to the reader in whatever order Pelican asks for files."""

    def __init__(self, files: list[tuple[str, str]], context: schema.Context, cache_folder: str, workers: int):
        chunks = [files[i : i + CHUNK] for i in range(0, len(files), CHUNK)]
        gc.collect()
        self.pool = multiprocessing.get_context("fork").Pool(workers, _start_worker, (context, cache_folder))
        self.pending = self.pool.imap_unordered(_check_chunk, chunks)
        self.ready: dict[str, tuple] = {}
        self.expected = {path for path, _kind in files}

    def take(self, path: str) -> tuple | None:
        """Return (Document, HTML, removals) of a file, waiting for the pool if needed; None if it was not sent."""
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


def content_files(settings: dict, kind_of) -> list[tuple[str, str]]:
    """List the Markdown files Pelican will read (articles and pages), with their kind, in a stable order."""
    folders = [*settings.get("ARTICLE_PATHS", []), *settings.get("PAGE_PATHS", [])]
    paths = dict.fromkeys(os.path.abspath(p) for p in sources.source_files(settings["PATH"], folders))
    return [(path, kind_of(path)) for path in paths]


def note_read_order(generator, paths_key: str, exclude_key: str) -> None:
    """Remember the Markdown files a generator will read, in its order (its own get_files set, same process)."""
    settings = generator.settings
    files = generator.get_files(settings[paths_key], exclude=settings[exclude_key])
    order = settings.setdefault(ORDER_KEY, [])
    order += [os.path.abspath(os.path.join(generator.path, f)) for f in files if f.endswith((".md", ".markdown"))]


def read_document(reader, source_path: str, state) -> tuple[schema.Document, str, list[sanitize.Removal]]:
    """Return (Document, sanitized HTML, removals) of a content file: from the worker pool when it runs, else here."""
    settings = reader.settings
    cache = settings.get(PREFETCH_KEY + "_CACHE")
    if cache is None:
        cache = settings[PREFETCH_KEY + "_CACHE"] = HtmlCache(settings.get("BULLETIN_CACHE") or "")
        cache.prepare()
        workers = worker_count(settings)
        if workers > 1:
            order = settings.get(ORDER_KEY)
            files = ([(p, reader.kind_of(p)) for p in dict.fromkeys(order)] if order
                     else content_files(settings, reader.kind_of))
            if len(files) > CHUNK:
                cache.close()  # the pool forks: no connection may be open here
                settings[PREFETCH_KEY] = Prefetch(files, state.context, cache.path and cache.folder, workers)
    prefetch = settings.get(PREFETCH_KEY)
    result = prefetch.take(os.path.abspath(source_path)) if prefetch else None
    if result is not None:
        return result
    return check_one(source_path, reader.kind_of(source_path), state.context, cache, reader._markdown)


def finish_reading(settings: dict) -> None:
    """Stop the worker pool once every file is read; close this process's cache connection (writers fork next)."""
    prefetch = settings.pop(PREFETCH_KEY, None)
    if prefetch:
        prefetch.close()
    cache = settings.get(PREFETCH_KEY + "_CACHE")
    if cache is not None:
        cache.close()


# ---------------------------------------------------------------- writing

class _Capture(logging.Handler):
    """Keep the log records of a forked writer, to be logged again by the parent."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


class ParallelWriter(Writer):
    """Pelican's writer, except that pages and feeds are recorded and rendered at the end by several processes."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.workers = worker_count(self.settings)
        self.jobs: list[tuple[str, str, tuple, dict]] = []
        self.live = self.settings.get(LIVE_KEY)
        self.defer = self.workers > 1 or self.live is not None
        self.settings[WRITER_KEY] = self

    def write_file(self, name, *args, **kwargs):
        """Render one template into a file (or several, when paginated): later, when working in parallel."""
        if not self.defer or not name:
            return super().write_file(name, *args, **kwargs)
        self.jobs.append(("write_file", name, args, kwargs))
        return None

    def write_feed(self, elements, context, path=None, url=None, *args, **kwargs):
        """Write a feed: later, when working in parallel."""
        if not self.defer or not path:
            return super().write_feed(elements, context, path, url, *args, **kwargs)
        self.jobs.append(("write_feed", path, (elements, context, path, url) + args, kwargs))
        return None

    def _run(self, jobs) -> None:
        """Do some recorded jobs with Pelican's own writer code."""
        for method, _name, args, kwargs in jobs:
            if method == "write_file":
                Writer.write_file(self, _name, *args, **kwargs)
            else:
                Writer.write_feed(self, *args, **kwargs)

    def flush(self) -> None:
        """Render every recorded job: this process and forked copies share them by file name."""
        jobs, self.jobs = self.jobs, []
        if self.live is not None:
            self.live["jobs"] = jobs
        if not jobs:
            return
        shares: list[list] = [[] for _ in range(self.workers)]
        for job in jobs:
            shares[zlib.crc32(job[1].encode("utf-8")) % self.workers].append(job)
        gc.collect()
        gc.freeze()  # keep the copies from touching (and so duplicating) every object's memory
        children = [self._fork(share) for share in shares[1:]]
        failure = None
        try:
            self._run(shares[0])
        except Exception as error:  # wait for the copies before re-raising
            failure = error
        finally:
            gc.unfreeze()
        for pid, reader in children:
            with os.fdopen(reader, "rb") as pipe:
                data = pipe.read()
            os.waitpid(pid, 0)
            report = pickle.loads(data) if data else {"error": RuntimeError("tiến trình ghi trang dừng bất thường")}
            for name, level, message in report.get("logs", []):
                logging.getLogger(name).log(level, "%s", message)
            if failure is None and report.get("error") is not None:
                failure = report["error"]
            if failure is None:
                twice = (self._written_files & report["written"]) - (self._overridden_files | report["overridden"])
                if twice:
                    failure = FileOverwriteFailedError(f'Failed to overwrite "{sorted(twice)[0]}" as Pelican has already written to it previously')
                self._written_files |= report["written"]
                self._overridden_files |= report["overridden"]
        if failure is not None:
            raise failure

    def _fork(self, share: list) -> tuple[int, int]:
        """Start a copy of this process that renders a share of the jobs and reports back through a pipe."""
        reader, writer = os.pipe()
        pid = os.fork()
        if pid:
            os.close(writer)
            return pid, reader
        os.close(reader)
        code = 0
        try:
            capture = _Capture()
            root = logging.getLogger()
            root.handlers = [capture]
            report = {"logs": capture.records, "error": None}
            try:
                self._run(share)
            except Exception as error:
                report["error"] = _picklable(error)
            report["written"], report["overridden"] = self._written_files, self._overridden_files
            with os.fdopen(writer, "wb") as pipe:
                pipe.write(pickle.dumps(report))
        except BaseException:
            code = 1
        finally:
            os._exit(code)


def _picklable(error: Exception) -> Exception:
    """Return the error itself when it can cross the pipe, else a RuntimeError with its text."""
    try:
        pickle.dumps(error)
        return error
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")


def writer_class(pelican):
    """Give Pelican the parallel writer."""
    return ParallelWriter


def flush_writes(pelican) -> None:
    """Render every page and feed recorded during the output phase."""
    writer = pelican.settings.pop(WRITER_KEY, None)
    if writer is not None:
        writer.flush()
