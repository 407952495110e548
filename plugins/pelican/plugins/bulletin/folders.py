"""Folders replaced in one step: a site is built beside the old one and swapped in with a single rename.

A reader never sees half a site and a killed build leaves the old one whole; the next run removes what a killed
one left (.<name>.tmp-… beside the folder). A folder that holds content or anything but a site is refused.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import shutil
import tempfile

from .errors import Refusal

AT_FDCWD = -100
RENAME_EXCHANGE = 2
STALE_PREFIX = ".tmp-"


def guard_output(output: str, content: str) -> None:
    """Refuse (Refusal) an output folder that holds content or anything that does not look like a built site."""
    target, source = os.path.realpath(output), os.path.realpath(content)
    if target == source or source.startswith(target + os.sep) or target.startswith(source + os.sep):
        raise Refusal(f"thư mục xuất {output} chứa hoặc nằm trong thư mục nội dung {content} — hãy chọn thư mục khác")
    if os.path.exists(os.path.join(target, ".git")) or os.path.exists(os.path.join(target, "pelicanconf.py")):
        raise Refusal(f"thư mục xuất {output} là thư mục dự án — hãy chọn thư mục khác")
    if os.path.isdir(target) and os.listdir(target) and not os.path.exists(os.path.join(target, "index.html")):
        raise Refusal(f"thư mục xuất {output} đã có tệp khác, không phải một trang đã dựng — sẽ không ghi đè; hãy chọn thư mục trống")
    if os.path.exists(target) and not os.path.isdir(target):
        raise Refusal(f"{output} là một tệp, không phải thư mục")


def fresh_beside(target: str) -> str:
    """Create and return an empty temporary folder next to `target`, named so that remove_stale finds it."""
    parent, name = os.path.split(target)
    return tempfile.mkdtemp(prefix=f".{name}{STALE_PREFIX}", dir=parent)


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


@contextlib.contextmanager
def one_build_at_a_time(folder: str):
    """Hold an exclusive lock on the folder the output lives in; a concurrent build waits for this one."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)
