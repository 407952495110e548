"""Folders replaced in one step: a site is built beside the old one and swapped in with a single rename.

A reader never sees half a site and a killed build leaves the old one whole; the next run removes what a killed
one left (.<name>.tmp-… beside the folder, marked as a build in progress). A folder that holds content, or anything
that the mark of an earlier build (marks.py) does not list, is refused.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import shutil
import tempfile

from . import marks
from .errors import Refusal

AT_FDCWD = -100
RENAME_EXCHANGE = 2
STALE_PREFIX = ".tmp-"


def guard_output(output: str, content: str, role: str = "thư mục xuất", action: str = "thay", deep: bool = True) -> None:
    """Refuse (Refusal) a folder that holds content, is a project, or holds anything an earlier build of ours did not
    write (marks.refuse_unless_ours); `role` and `action` say in the refusal what the folder is and what would be
    done; deep=False looks only at its first level (before a build, which looks again at all of it at the end)."""
    target, source = os.path.realpath(output), os.path.realpath(content)
    if target == source or source.startswith(target + os.sep) or target.startswith(source + os.sep):
        raise Refusal(f"{role} {output} chứa hoặc nằm trong thư mục nội dung {content} — hãy chọn thư mục khác")
    if os.path.exists(os.path.join(target, ".git")) or os.path.exists(os.path.join(target, "pelicanconf.py")):
        raise Refusal(f"{role} {output} là thư mục dự án — hãy chọn thư mục khác")
    marks.refuse_unless_ours(target, output, role, action, deep)


def fresh_beside(target: str) -> str:
    """Create and return an empty temporary folder next to `target`, named so that remove_stale finds it."""
    parent, name = os.path.split(target)
    folder = tempfile.mkdtemp(prefix=f".{name}{STALE_PREFIX}", dir=parent)
    marks.begin(folder)
    return folder


def swap_into_place(new: str, target: str) -> None:
    """Make `new` the folder at `target` in one step; the old folder is removed afterwards."""
    marks.unmark_building(new)
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


def copy_into(source: str, destination: str) -> None:
    """Copy a folder's contents into an existing folder, links as links; stop at the first failure (OSError)."""
    for folder, dirs, files in os.walk(source):
        relative = os.path.relpath(folder, source)
        here = destination if relative == "." else os.path.join(destination, relative)
        for name in dirs:
            if os.path.islink(os.path.join(folder, name)):  # walked as a name, not followed
                os.symlink(os.readlink(os.path.join(folder, name)), os.path.join(here, name))
            else:
                os.makedirs(os.path.join(here, name), exist_ok=True)
        for name in files:
            shutil.copy2(os.path.join(folder, name), os.path.join(here, name), follow_symlinks=False)


def remove_stale(target: str) -> None:
    """Delete folders left by builds that were killed before they finished: only those marked as ours."""
    parent, name = os.path.split(os.path.abspath(target))
    prefix = f".{name}{STALE_PREFIX}"
    for entry in os.listdir(parent or "."):
        full = os.path.join(parent, entry)
        if not entry.startswith(prefix) or os.path.islink(full) or not os.path.isdir(full):
            continue
        if not os.listdir(full):
            os.rmdir(full)
        elif marks.leftover(full):
            shutil.rmtree(full, ignore_errors=True)


@contextlib.contextmanager
def one_build_at_a_time(folder: str):
    """Hold an exclusive lock on the folder the output lives in; a concurrent build waits for this one."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)
