"""What goes wrong, said one way: every message is Vietnamese, names what is wrong and says what to do.

- ContentError(path, line, message): a problem in a file an editor wrote (an article, a page, units.yml, an image),
  shown as `path:line: message`. Checks collect every one (they return lists, they do not raise); once all have run
  the build raises ContentErrors with the lot.
- BulletinError and its kinds: what stops a command because of what it was given. str(error) is the whole message;
  the tasks print it, never a traceback, and exit 1.
    SettingsError    a setting (pelicanconf.py, publishconf.py, the SITEURL variable)
    InputError       a value that cannot be read: DateError, TermError, EncodingUnsure
    ScaffoldError    what `invoke new` was given, ImportFailure: a file `invoke import` cannot take
    Refusal          a folder the tool will not write into or delete: it is not a site it built
    WriteFailure     the machine refused a write (full or read-only disk, no permission); write_failure() words it
- A check of a finished site (a finishing step, `invoke verify`) returns its problems as lines naming the file.
Paths in messages are shown as the editor typed them: relative to the working folder when inside it (display_path).
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class ContentError:
    """One problem in a content file, reported as `path:line: message`."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class BulletinError(Exception):
    """A problem that stops a command; str() is the whole Vietnamese message."""


class ContentErrors(BulletinError):
    """Raised once every check has run and at least one content error was found."""

    def __init__(self, errors: list[ContentError]):
        self.errors = sorted(set(errors))
        super().__init__("\n".join(str(e) for e in self.errors))


class SettingsError(BulletinError, ValueError):
    """A setting the plugin does not know, or one that does not fit the build."""


class InputError(BulletinError, ValueError):
    """A value that cannot be read as what it should be."""


class DateError(InputError):
    """A date an editor wrote that cannot be read."""


class TermError(InputError):
    """A term written in a form that cannot be read."""


class EncodingUnsure(InputError):
    """The bytes are not UTF-8 and no legacy encoding fits clearly."""


class ScaffoldError(BulletinError, ValueError):
    """A value given to `invoke new` that cannot be used, or a file it will not overwrite."""


class ImportFailure(BulletinError):
    """A file that `invoke import` cannot import, or an article it will not write twice."""


class Refusal(BulletinError):
    """A folder the tool will not write into, replace or delete (it holds content or other people's files)."""


class WriteFailure(BulletinError):
    """The machine refused a write (a full or read-only disk, no permission); nothing was replaced."""


# What an OSError of a write means for the user, by errno, and what to do.
WRITE_FAILURES = {
    errno.ENOSPC: "ổ đĩa đã đầy — hãy giải phóng chỗ trống rồi chạy lại",
    errno.EDQUOT: "đã hết hạn mức dung lượng của tài khoản — hãy giải phóng chỗ trống rồi chạy lại",
    errno.EROFS: "ổ đĩa chỉ cho đọc, không cho ghi hay xóa — hãy chọn thư mục trên ổ đĩa khác",
    errno.EACCES: "không có quyền ghi — hãy chọn thư mục khác hoặc nhờ người quản trị máy cấp quyền",
    errno.EPERM: "không có quyền ghi — hãy chọn thư mục khác hoặc nhờ người quản trị máy cấp quyền",
}


def failure_reason(error: OSError) -> str:
    """Say in Vietnamese what an OSError of the machine means and what to do."""
    return WRITE_FAILURES.get(error.errno, f"lỗi hệ thống: {error.strerror or error}")


def write_failure(error: OSError, where: str) -> str:
    """Say in Vietnamese why writing into a folder failed, what to do, and that nothing there was replaced."""
    return f"không ghi được vào {where}: {failure_reason(error)}. Thư mục cũ (nếu có) được giữ nguyên."


def display_path(path: str) -> str:
    """Show a path relative to the working folder when it is inside it, as editors see it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative.replace(os.sep, "/")
