"""The live preview after a save: temporary files of an editor's save are ignored, and the search index is
rebuilt in the background, where the next save cancels it without breaking the index the page uses."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from conftest import ROOT, article
from pelican.plugins.bulletin import marks, search
from pelican.plugins.bulletin.folders import STALE_PREFIX
from pelican.plugins.bulletin.incremental import LiveSite
from pelican.plugins.bulletin.serve import IndexJob


def test_relevant_changes_drop_the_temporary_files_of_a_safe_save(tmp_path):
    from watchfiles import Change

    article_file, units = tmp_path / "bai.md", tmp_path / "units.yml"
    article_file.write_text("x", encoding="utf-8")
    units.write_text("x", encoding="utf-8")
    temporary, gone, moved = tmp_path / "sedAb12Cd", tmp_path / "da-xoa.md", tmp_path / "thu-muc-da-chuyen"
    # sed -i, gedit, vim: write a copy, rename it over the file (the copy is added and deleted in the same batch)
    assert LiveSite.relevant({(Change.added, str(temporary)), (Change.added, str(article_file)),
                              (Change.deleted, str(temporary))}) == {str(article_file)}
    # a deleted article, a folder moved away (one path, no extension) or a stray file removed: all are changes
    assert LiveSite.relevant({(Change.deleted, str(gone)), (Change.deleted, str(moved)), (Change.modified, str(units))}) == {
        str(gone), str(moved), str(units)}
    # a file created and saved again in one batch is still there: a change
    assert LiveSite.relevant({(Change.added, str(article_file)), (Change.deleted, str(article_file))}) == {str(article_file)}


def bundle_files(output: Path) -> dict[str, bytes]:
    """Return every file of the search bundle."""
    return {str(p.relative_to(output)): p.read_bytes() for p in (output / search.BUNDLE).rglob("*") if p.is_file()}


@pytest.fixture
def site(build_site):
    """A small site with its search index."""
    files = {f"articles/2022/bai-{n}.md": article(title=f"Hội nghị cán bộ số {n}", date=f"{n:02d}/04/2022",
                                                 body=f"Đồng chí Bí thư chủ trì hội nghị lần thứ {n}.")
             for n in range(1, 6)}
    built = build_site(files, finishers=(search.build_index,))
    assert built.outcome.ok, built.outcome.errors
    return built


def processes_writing_into(folder: Path) -> list[str]:
    """Return the command lines of running processes that name a folder (the indexer names its output)."""
    found = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                command = handle.read().replace(b"\0", b" ").decode("utf-8", "replace")
        except (OSError, NotADirectoryError):
            continue
        if str(folder) in command:
            found.append(command)
    return found


class SetAfter(threading.Event):
    """An event that reads as set from its n-th look on: a cancel that lands in the middle of a run."""

    def __init__(self, looks: int):
        super().__init__()
        self.looks = looks

    def is_set(self) -> bool:
        self.looks -= 1
        return self.looks < 0 or super().is_set()


@pytest.mark.parametrize("moment", ["truoc-khi-chep", "giua-luc-chep", "luc-pagefind-chay"])
def test_a_cancelled_index_run_leaves_the_previous_index_whole(site, moment):
    pages = len(search.html_files(str(site.output)))  # the copy looks once a page, then Pagefind's wait every 50 ms
    looks = {"truoc-khi-chep": 0, "giua-luc-chep": pages // 2, "luc-pagefind-chay": pages}[moment]
    before = bundle_files(site.output)
    assert any(name.endswith("pagefind.js") for name in before)
    with pytest.raises(search.Cancelled):
        search.build_index(str(site.output), {}, SetAfter(looks))
    assert not processes_writing_into(site.output), "bộ lập chỉ mục vẫn chạy sau khi hủy"
    assert bundle_files(site.output) == before
    assert not [p for p in site.output.iterdir() if p.name.startswith(f".{search.BUNDLE}{STALE_PREFIX}")]


def test_a_finished_index_run_replaces_the_index(site):
    page = next(site.output.rglob("bai-3/index.html"))
    page.write_text(page.read_text(encoding="utf-8").replace("lần thứ 3", "lần thứ ba mươi"), encoding="utf-8")
    before = bundle_files(site.output)
    assert search.build_index(str(site.output), {}, threading.Event()) == []
    assert bundle_files(site.output) != before
    assert not [p for p in site.output.iterdir() if p.name.startswith(".") and p.name != marks.MARK]


def test_the_preview_indexes_an_edit_in_the_background_and_the_next_save_cancels_it(site, capsys):
    from conftest import overrides
    from pelican.plugins.bulletin.serve import PREVIEW_SETTINGS

    live = LiveSite(str(ROOT / "pelicanconf.py"), str(site.content), str(site.output), overrides(**PREVIEW_SETTINGS),
                    (search.build_index,))
    assert live.build_all().ok
    start = bundle_files(site.output)
    target = site.content / "articles" / "2022" / "bai-2.md"
    target.write_text(target.read_text(encoding="utf-8").replace("lần thứ 2", "lần thứ hai mươi"), encoding="utf-8")
    outcome, fast = live.update({str(target)})
    assert outcome.ok and fast
    job = IndexJob(live)
    job.start()
    job.stop()  # a save right away: the run stops wherever it is; the page keeps a whole index, old or new
    if "Đã cập nhật chỉ mục tìm kiếm" in capsys.readouterr().out:
        assert bundle_files(site.output) != start  # it finished first: the new index
    else:
        assert bundle_files(site.output) == start  # cancelled: the old index, whole
    job.start()
    job.thread.join(60)
    assert "Đã cập nhật chỉ mục tìm kiếm" in capsys.readouterr().out
    assert bundle_files(site.output) != start
    assert not [p for p in site.output.iterdir() if p.name.startswith(".") and p.name != marks.MARK]
    assert marks.foreign(str(site.output)) == []  # the new index is in the mark: the next full build may replace it
    assert live.build_all().ok


class SetWhenIndexerRuns(threading.Event):
    """An event that reads as set once the real indexer (not just its npm wrapper) runs on a folder."""

    def __init__(self, folder: Path):
        super().__init__()
        self.folder = folder

    def is_set(self) -> bool:
        return any("pagefind_extended" in c for c in processes_writing_into(self.folder)) or super().is_set()


def test_cancelling_stops_the_real_indexer_not_only_its_wrapper(tmp_path):
    from synth import write_site

    from conftest import build_into

    content, output = tmp_path / "content", tmp_path / "output"
    write_site(str(content), 300, seed=5)
    assert build_into(content, output).ok
    with pytest.raises(search.Cancelled):
        search.build_index(str(output), {}, SetWhenIndexerRuns(output))
    assert not processes_writing_into(output), "bộ lập chỉ mục vẫn chạy sau khi hủy"
