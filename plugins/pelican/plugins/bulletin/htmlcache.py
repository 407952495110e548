"""The Markdown cache: each body's sanitized HTML (and what the sanitizer removed), by body hash, in one SQLite file
per code version under BULLETIN_CACHE. It only saves time: a build without it gives the same bytes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import os
import re
import sqlite3
import time
from importlib import metadata

from . import markup, sanitize

BUSY_SECONDS = 5  # our own processes hold the cache's write lock for milliseconds
STALE_SECONDS = 86400  # another code version's cache file unused this long is removed
DAMAGED = ".hong"  # beside a cache file found damaged: the next build starts it again
_DAMAGE_CODES = {1, 11, 17, 20, 26}  # SQLITE_ERROR (e.g. no such column), CORRUPT, SCHEMA, MISMATCH, NOTADB
_CACHE_FILE = re.compile(r"html-[0-9a-f]{16}\.sqlite")
_OLD_LAYOUT = re.compile(r"[0-9a-f]{16}")  # the cache's earlier layout: a folder per code version,
_OLD_SUBFOLDER = re.compile(r"[0-9a-f]{2}")  # a subfolder per first two hex digits,
_OLD_FILE = re.compile(r"[0-9a-f]{64}\.json(\.\d+\.tmp)?")  # a JSON file per body
_CODE_FILES = ("markup.py", "htmlcache.py", "sanitize.py")  # the code that decides a body's HTML and its rows


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
    and the main process closes its own before it forks (prefetch.finish_reading, prepare): a SQLite connection must
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
            return markup.render(md, body)
        key = hashlib.sha256(body.encode("utf-8")).hexdigest()
        try:
            found = db.execute("SELECT html, removed FROM html WHERE key = ?", (key,)).fetchone()
            if found is not None:
                return found[0], [sanitize.Removal(**removal) for removal in json.loads(found[1])]
        except sqlite3.Error as error:
            self._give_up(error)
        except (ValueError, TypeError):
            pass
        html, removed = markup.render(md, body)
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
