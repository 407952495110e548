"""Folders the tools replace or delete: only what this project's build wrote (its mark lists it), never anyone else's
files; a read-only or full disk is one Vietnamese line, a non-zero exit and nothing lost.

The read-only and full disks are real: a small tmpfs mounted for the test when it runs as root (a full disk is a
tmpfs too small for a second copy). Without root, a read-only disk is a folder without write permission, and the full
disk case checks the same error path on such a folder.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import BASE, ROOT, article, build_into, run_invoke, write_content
from pelican.plugins.bulletin import folders, marks, searchindex
from pelican.plugins.bulletin.finishers import FINISHERS

TRACES = ("Traceback", "OSError", "shutil.Error", "Exception")


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Return every entry below a folder: files with their bytes, folders as None."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None) for p in sorted(folder.rglob("*"))}


def invoke(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run an invoke task as an editor would, with the public address set for publish."""
    return run_invoke(*args, cwd=cwd, env={"SITEURL": BASE})


def refused(result: subprocess.CompletedProcess, *says: str) -> str:
    """Assert a command stopped with a Vietnamese message holding every `says`, and no trace; return the message."""
    text = result.stdout + result.stderr
    assert result.returncode == 1, text
    assert not any(trace in text for trace in TRACES), text
    for needle in says:
        assert needle in result.stderr, (needle, result.stderr)
    return result.stderr


@pytest.fixture
def content(tmp_path) -> Path:
    """A tiny content folder: one article."""
    folder = tmp_path / "content"
    write_content(folder, {"articles/2022/hoi-nghi.md": article()})
    return folder


def users_folder(folder: Path, *names: str) -> Path:
    """Make a folder holding an index.html and other people's files (names ending in / are folders with a file)."""
    folder.mkdir(parents=True)
    (folder / "index.html").write_text("trang của người khác", encoding="utf-8")
    for name in names:
        if name.endswith("/"):
            (folder / name).mkdir()
            (folder / name / "bao-cao.docx").write_bytes(b"ban thao")
        else:
            (folder / name).write_text("của người dùng", encoding="utf-8")
    return folder


# The cases of the issue, word for word.

def test_clean_and_build_never_take_a_folder_with_an_index_for_a_site(tmp_path, content):
    folder = users_folder(tmp_path / "V", "tai-lieu/")
    before = snapshot(folder)
    for command in (("clean", "--output", str(folder)), ("build", "--content", str(content), "--output", str(folder))):
        message = refused(invoke(*command), str(folder), "tai-lieu/", "index.html", f"rm -r {folder}")
        assert "không có dấu .ban-tin-da-dung" in message and "phiên bản cũ" in message
        assert snapshot(folder) == before


def test_publish_never_replaces_a_target_holding_other_files(tmp_path, content):
    output, target = tmp_path / "output", tmp_path / "www"
    users_folder(target, "sitemap.xml", "robots.txt", "precious.txt", "uploads/")
    before = snapshot(target)
    refused(invoke("publish", "--content", str(content), "--output", str(output), "--target", str(target)),
            f"thư mục đích {target}", "precious.txt", "uploads/", "sẽ không thay")
    assert snapshot(target) == before
    assert (output / marks.MARK).is_file()  # the public build itself went on: only the copy was refused
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "output", "www"]


@pytest.mark.slow
def test_a_copy_of_ours_with_files_put_into_it_is_not_replaced(tmp_path, content):
    output, target = tmp_path / "output", tmp_path / "www"
    publish = ("publish", "--content", str(content), "--output", str(output), "--target", str(target))
    assert invoke(*publish).returncode == 0
    assert marks.foreign(str(target)) == []
    (target / "precious.txt").write_text("của người dùng", encoding="utf-8")
    (target / "uploads").mkdir()
    (target / "uploads" / "anh.jpg").write_bytes(b"\xff\xd8\xff")
    before = snapshot(target)
    message = refused(invoke(*publish), "precious.txt, uploads/", "không do bản tin ghi")
    assert "uploads/anh.jpg" not in message  # a foreign folder is named once, not file by file
    assert snapshot(target) == before
    (target / "precious.txt").unlink()
    (target / "uploads" / "anh.jpg").unlink()
    (target / "uploads").rmdir()
    assert invoke(*publish).returncode == 0


def test_a_built_site_with_files_put_into_it_is_neither_replaced_nor_deleted(tmp_path, content):
    output = tmp_path / "output"
    assert build_into(content, output).ok
    (output / "tai-lieu").mkdir()
    (output / "tai-lieu" / "bao-cao.docx").write_bytes(b"ban thao")
    (output / "2022" / "ghi-chu.txt").write_text("ghi chú", encoding="utf-8")  # inside a folder the build wrote
    before = snapshot(output)
    outcome = build_into(content, output)
    assert outcome.errors == [f"thư mục xuất {output} có tệp không do bản tin ghi: 2022/ghi-chu.txt, tai-lieu/ — sẽ "
                              "không thay thư mục này; hãy chuyển các tệp đó ra nơi khác rồi chạy lại lệnh"]
    assert snapshot(output) == before
    refused(invoke("clean", "--output", str(output)), "2022/ghi-chu.txt, tai-lieu/", "sẽ không xóa")
    assert snapshot(output) == before
    for path in (output / "tai-lieu" / "bao-cao.docx", output / "tai-lieu"):
        path.unlink() if path.is_file() else path.rmdir()
    before = snapshot(output)  # a file deep inside only: the build runs, and refuses to swap at the end
    assert build_into(content, output).errors == [f"thư mục xuất {output} có tệp không do bản tin ghi: 2022/ghi-chu.txt — "
                                                  "sẽ không thay thư mục này; hãy chuyển các tệp đó ra nơi khác rồi chạy lại lệnh"]
    assert snapshot(output) == before
    (output / "2022" / "ghi-chu.txt").unlink()
    (output / "index.html").write_text("sửa tay", encoding="utf-8")  # a page of ours edited: still ours
    assert build_into(content, output).ok
    result = invoke("clean", "--output", str(output))
    assert result.returncode == 0 and not output.exists(), result.stderr


def test_the_mark_is_written_last_and_lists_everything_the_build_wrote(sample):
    listed = marks.listed(str(sample))
    assert listed == marks.entries(str(sample))
    assert {"index.html", "index.html.gz", "sitemap.xml", "robots.txt", "tim-kiem/chi-muc/manifest.json"} <= listed  # finishers' files too
    assert not (sample / marks.BUILDING).exists()
    assert (sample / marks.MARK).read_text(encoding="utf-8").startswith(marks.SIGNATURE)


def test_only_our_own_unfinished_builds_are_removed_beside_the_output(tmp_path, content):
    output = tmp_path / "output"
    ours = Path(folders.fresh_beside(str(output)))  # what a killed build leaves: marked as a build in progress
    (ours / "index.html").write_text("dở dang", encoding="utf-8")
    theirs = tmp_path / ".output.tmp-cua-toi"  # named like one, but someone else's
    theirs.mkdir()
    (theirs / "ghi-chu.txt").write_text("của tôi", encoding="utf-8")
    forged = tmp_path / ".output.tmp-gia"  # a mark that does not list what the folder holds
    forged.mkdir()
    marks.seal(str(forged))
    (forged / "anh.jpg").write_bytes(b"\xff\xd8\xff")
    assert build_into(content, output).ok
    assert not ours.exists()
    assert (theirs / "ghi-chu.txt").read_text(encoding="utf-8") == "của tôi"
    assert (forged / "anh.jpg").exists()


def test_the_preview_keeps_its_folder_one_the_next_build_may_replace(tmp_path, content):
    from conftest import overrides
    from pelican.plugins.bulletin.incremental import LiveSite
    from pelican.plugins.bulletin.serve import PREVIEW_SETTINGS

    output = tmp_path / "output"
    live = LiveSite(str(ROOT / "pelicanconf.py"), str(content), str(output), overrides(**PREVIEW_SETTINGS), FINISHERS)
    assert live.build_all().ok
    source = content / "articles" / "2022" / "hoi-nghi.md"
    source.write_text(source.read_text(encoding="utf-8").replace("Nội dung bài viết.", "Nội dung đã sửa."), encoding="utf-8")
    outcome, fast = live.update({str(source)})
    assert outcome.ok and fast
    index = sorted(marks.entries(str(output / searchindex.BUNDLE)))
    assert live.finish() == []
    assert sorted(marks.entries(str(output / searchindex.BUNDLE))) != index  # the search index was updated in place
    assert marks.foreign(str(output)) == []
    (output / "ghi-chu.txt").write_text("của người dùng", encoding="utf-8")
    assert live.finish() == []  # a file put there meanwhile is never adopted into the mark
    assert marks.foreign(str(output)) == ["ghi-chu.txt"]
    assert not live.build_all().ok and (output / "ghi-chu.txt").exists()


# Read-only and full disks.

class Disk:
    """A folder on a small disk of its own (a tmpfs, when this process may mount one), made read-only or full."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.mounted = False

    def mount(self, size: int) -> bool:
        """Mount a tmpfs of `size` bytes on the folder; tell whether it worked (root only)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=755", "tmpfs", str(self.folder)],
                                  capture_output=True)
            self.mounted = done.returncode == 0
        return self.mounted

    def read_only(self) -> None:
        """Make the disk refuse every write (remount read-only; without a mount, take the write permission)."""
        if self.mounted:
            subprocess.run(["mount", "-o", "remount,ro", str(self.folder)], check=True)
        elif os.geteuid() == 0:
            pytest.skip("không gắn được tmpfs (cần quyền quản trị đầy đủ) và quyền quản trị bỏ qua quyền ghi")
        else:
            self.folder.chmod(0o555)

    def release(self) -> None:
        """Unmount, or give the permission back."""
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.folder)], check=False)
        elif self.folder.exists():
            self.folder.chmod(0o755)


@pytest.fixture
def disk(tmp_path):
    made = Disk(tmp_path / "o-dia")
    yield made
    made.release()


def ro_words(disk: Disk) -> str:
    """The reason a refused write names on this disk."""
    return "chỉ cho đọc" if disk.mounted else "không có quyền ghi"


@pytest.mark.parametrize("command", ["build", "publish", "clean"])
def test_a_read_only_output_parent_is_one_message(tmp_path, content, disk, command):
    disk.mount(16 * 1024 * 1024)
    output = tmp_path / "output" if command == "publish" else disk.folder / "output"
    if command == "clean":
        assert build_into(content, output).ok
    disk.read_only()
    before = snapshot(disk.folder)
    args = {"build": ("build", "--content", str(content), "--output", str(output)),
            "publish": ("publish", "--content", str(content), "--output", str(output), "--target", str(disk.folder / "www")),
            "clean": ("clean", "--output", str(output))}[command]
    message = refused(invoke(*args), ro_words(disk))
    assert ("không xóa được" if command == "clean" else "không ghi được vào") in message
    assert snapshot(disk.folder) == before


@pytest.mark.slow
def test_publish_onto_a_full_disk_keeps_the_earlier_copy(tmp_path, content, disk):
    output = tmp_path / "output"
    assert invoke("publish", "--content", str(content), "--output", str(output)).returncode == 0
    size = sum(-(-p.stat().st_size // 4096) * 4096 for p in output.rglob("*") if p.is_file())
    target = disk.folder / "www"
    publish = ("publish", "--content", str(content), "--output", str(output), "--target", str(target))
    if disk.mount(size * 3 // 2):  # room for one copy, not for a second one beside it
        assert invoke(*publish).returncode == 0
        write_content(content, {"articles/2022/bai-moi.md": article(title="Bài mới", date="05/04/2022")})
        reason = "ổ đĩa đã đầy"
    else:  # no tmpfs here: the same error path, on a folder that refuses writes
        target.mkdir()
        disk.read_only()
        reason = ro_words(disk)
    before = snapshot(disk.folder)
    message = refused(invoke(*publish), f"không ghi được vào {target}", reason, "được giữ nguyên")
    assert snapshot(disk.folder) == before, message  # the earlier copy whole, no half copy left beside it
