"""The mark of a folder this project's build wrote, so that no tool ever replaces or deletes anyone else's files.

A finished build holds MARK at its top, written last, after every finishing step: a signature line, then every entry
the build wrote, one per line, relative and '/'-separated, folders ending in '/'. A copy made by `publish --target`
carries the same mark. A build still running holds BUILDING instead (folders.fresh_beside writes it), so a folder
left by a killed build is known for one of ours.

A folder may be replaced or deleted only when it is empty, or when it carries MARK and holds no entry the mark does
not list (what the mark lists but is gone is fine: nothing of anyone's is lost). Anything else is refused, naming
the folder and a few of the entries that are not ours. A folder holding an index.html is no proof: anyone's web
folder has one.

The live preview changes its folder after a full build (a few pages rewritten in place, the search index renewed):
what it writes is added to the mark (add, recording), so the next build still recognises the folder. Only paths
are compared, never contents: a page of ours edited by hand is still ours.
"""

from __future__ import annotations

import contextlib
import os

from .errors import Refusal

MARK = ".ban-tin-da-dung"
BUILDING = ".ban-tin-dang-dung"
SIGNATURE = "# ban-tin 1"
HEADER = (SIGNATURE + " — thư mục do lệnh dựng trang của bản tin ghi; mỗi dòng dưới đây là một tệp nó đã ghi.\n"
          "# Đừng đặt tệp của bạn vào đây: lệnh dựng, invoke clean và invoke publish --target chỉ thay hay xóa\n"
          "# thư mục này khi trong đó không có gì ngoài các tệp được liệt kê.\n")
OWN = (MARK, BUILDING)
SHOWN = 5  # entries named in a refusal


def entries(folder: str) -> set[str]:
    """Return every entry below a folder (its marks aside), relative, '/'-separated, folders ending in '/'.

    Links are entries, never followed.
    """
    found: set[str] = set()
    pending = [""]
    while pending:
        prefix = pending.pop()
        with os.scandir(os.path.join(folder, prefix) if prefix else folder) as listing:
            for entry in listing:
                if not prefix and entry.name in OWN:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    found.add(f"{prefix}{entry.name}/")
                    pending.append(f"{prefix}{entry.name}/")
                else:
                    found.add(prefix + entry.name)
    return found


def _read(path: str) -> list[str] | None:
    """Return the entries a mark file lists, or None when there is no such file or it is not ours."""
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as handle:
            text = handle.read()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None
    if not text.startswith(SIGNATURE):
        return None
    return [line for line in text.split("\n") if line and not line.startswith("#")]


def _write(path: str, listed) -> None:
    """Write a mark file: the header, then the entries sorted."""
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as handle:
        handle.write(HEADER)
        handle.writelines(f"{entry}\n" for entry in sorted(listed))


def listed(folder: str) -> set[str] | None:
    """Return what a folder's mark lists, or None when the folder carries no mark of a finished build."""
    found = _read(os.path.join(folder, MARK))
    return None if found is None else set(found)


def begin(folder: str) -> None:
    """Mark a folder as a build in progress (it is new and empty)."""
    _write(os.path.join(folder, BUILDING), ())


def building(folder: str) -> bool:
    """Tell whether a folder carries the mark of a build in progress."""
    return _read(os.path.join(folder, BUILDING)) is not None


def seal(folder: str) -> None:
    """Write the mark of a finished build, listing everything in the folder; called once nothing more is written."""
    _write(os.path.join(folder, MARK), entries(folder))
    unmark_building(folder)


def unmark_building(folder: str) -> None:
    """Take away the mark of a build in progress (the folder is about to be swapped in)."""
    with contextlib.suppress(FileNotFoundError):
        os.remove(os.path.join(folder, BUILDING))


def add(folder: str, written) -> None:
    """Add entries written into a marked folder after its build (the preview's pages), with their folders."""
    known = listed(folder)
    if known is None:
        return
    new = set()
    for relative in written:
        relative = relative.replace(os.sep, "/")
        parts = relative.split("/")
        new |= {"/".join(parts[:i]) + "/" for i in range(1, len(parts))}
        new.add(relative)
    if not new <= known:
        _write(os.path.join(folder, MARK), known | new)


@contextlib.contextmanager
def recording(folder: str):
    """Keep a marked folder's mark true across a step that adds and removes entries (the preview's search index):
    what appeared during the step is added, what went is dropped. Entries that were there before and are not ours
    stay unlisted."""
    before = entries(folder) if listed(folder) is not None else None
    try:
        yield
    finally:
        known = listed(folder) if before is not None else None
        if known is not None:
            after = entries(folder)
            _write(os.path.join(folder, MARK), (known - (before - after)) | (after - before))


def foreign(folder: str, found: set[str] | None = None) -> list[str] | None:
    """Return the entries of a marked folder that its mark does not list (only the topmost of a foreign folder's
    contents), sorted; None when the folder carries no mark. `found`: its entries, when already read."""
    known = listed(folder)
    if known is None:
        return None
    extra = (entries(folder) if found is None else found) - known
    return sorted(e for e in extra if not any(p in extra for p in _parents(e)))


def _parents(entry: str) -> list[str]:
    """Return the folders an entry lies in ('a/b/c' -> ['a/', 'a/b/'])."""
    parts = entry.rstrip("/").split("/")
    return ["/".join(parts[:i]) + "/" for i in range(1, len(parts))]


def _some(names: list[str]) -> str:
    """Name a few entries, and say how many more there are."""
    shown = ", ".join(names[:SHOWN])
    return shown + (f" và {len(names) - SHOWN} mục khác" if len(names) > SHOWN else "")


def leftover(folder: str) -> bool:
    """Tell whether a folder left beside a site by a killed run may go: it is marked as one of our builds."""
    return building(folder) or foreign(folder) == []


def top_level(names) -> set[str]:
    """Return the first level of entries ('a/b/c' -> 'a/', 'x' -> 'x')."""
    return {e.split("/", 1)[0] + "/" if "/" in e else e for e in names}


def refuse_unless_ours(folder: str, shown: str, role: str = "thư mục xuất", action: str = "thay", deep: bool = True) -> None:
    """Raise Refusal unless a folder may be replaced or deleted: absent, empty, or marked with nothing unlisted.

    `shown` is the folder as the user gave it; `role` names it ("thư mục xuất", "thư mục đích"), `action` is what
    would be done ("thay", "xóa"). With deep=False only the folder's first level is compared with the mark (a quick
    look before a build starts; the build looks at everything again before it replaces the folder).
    """
    if not os.path.lexists(folder):
        return
    if not os.path.isdir(folder):
        raise Refusal(f"{shown} là một tệp, không phải thư mục — sẽ không {action}; hãy chọn thư mục khác")
    try:
        found = entries(folder) if deep else top_level(e + "/" if os.path.isdir(os.path.join(folder, e))
                                                       and not os.path.islink(os.path.join(folder, e)) else e
                                                       for e in os.listdir(folder) if e not in OWN)
    except OSError as error:
        raise Refusal(f"không đọc được {role} {shown} ({error.strerror}) — sẽ không {action} thư mục này") from None
    if not found:  # empty, or only our marks: nothing to lose
        return
    if deep:
        extra = foreign(folder, found)
    else:
        known = listed(folder)
        extra = None if known is None else sorted(found - top_level(known))
        if extra:  # refused: name everything that is not ours, at any depth
            extra = foreign(folder)
    if extra is None:
        top = sorted({e.split("/", 1)[0] + ("/" if "/" in e else "") for e in found})
        if os.path.isfile(os.path.join(folder, "index.html")):
            raise Refusal(
                f"{role} {shown} không có dấu {MARK} mà bản tin ghi vào mỗi trang nó dựng, nên không chắc đó là trang do "
                f"bản tin dựng — sẽ không {action}. Nếu đó là trang dựng bằng phiên bản cũ (trước khi có dấu này), hãy xem "
                f"lại trong đó không còn tệp nào cần giữ ({_some(top)}), tự xóa thư mục (rm -r {shown}) rồi chạy lại lệnh; "
                "nếu không, hãy chọn thư mục khác (trống hoặc chưa có)")
        raise Refusal(f"{role} {shown} đã có tệp khác, không phải trang do bản tin dựng ({_some(top)}) — sẽ không "
                      f"{action}; hãy chọn thư mục khác (trống hoặc chưa có)")
    if extra:
        raise Refusal(f"{role} {shown} có tệp không do bản tin ghi: {_some(extra)} — sẽ không {action} thư mục này; "
                      "hãy chuyển các tệp đó ra nơi khác rồi chạy lại lệnh")
