"""The live preview after a save: temporary files of an editor's save are ignored; the search index follows the
saved article alone (a small delta over the last full index), in the background, and a run that is cancelled
leaves the index the page uses whole, with no worker process left behind."""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import threading
from pathlib import Path

import pytest

from conftest import ROOT, article, overrides, run_engine, write_content
from pelican.plugins.bulletin import marks, searchindex
from pelican.plugins.bulletin.incremental import LiveSite
from pelican.plugins.bulletin.serve import (
    PREVIEW_SETTINGS,
    IndexJob,
    PreviewHandler,
    PreviewStatus,
    free_port,
    make_server,
)
from pelican.plugins.bulletin.settings import STATE_KEY


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
    """Return every file of the search index."""
    folder = output / searchindex.BUNDLE
    return {str(p.relative_to(output)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


ARTICLES = 60  # more than one worker task


@pytest.fixture
def live(tmp_path, monkeypatch):
    """A preview site kept in memory, built once with its search index (by worker processes: small tasks)."""
    monkeypatch.setattr(searchindex, "CHUNK", 8)

    files = {f"articles/2022/bai-{n}.md": article(title=f"Hội nghị cán bộ số {n}", date=f"{n % 28 + 1:02d}/04/2022",
                                                 body=f"Đồng chí Bí thư chủ trì hội nghị lần thứ {n}.")
             for n in range(1, ARTICLES + 1)}
    write_content(tmp_path / "content", files)
    site = LiveSite(str(ROOT / "pelicanconf.py"), str(tmp_path / "content"), str(tmp_path / "output"),
                    overrides(**PREVIEW_SETTINGS, BULLETIN_WORKERS=2), (searchindex.build_index,))
    assert site.build_all().ok
    return site


def edit(site: LiveSite, number: int, old: str, new: str) -> None:
    """Save an article with new text and bring the preview's pages up to date (the fast path)."""
    path = Path(site.content) / "articles" / "2022" / f"bai-{number}.md"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    outcome, fast = site.update({str(path)})
    assert outcome.ok and fast


def search(site: LiveSite, *texts: str) -> list[dict]:
    """Search the preview's index with the engine in Node."""
    return run_engine(Path(site.output), {"searches": [{"text": t, "k": 5, "excerpts": True} for t in texts]})["searches"]


def test_a_save_rewrites_only_the_saved_article_and_the_search_sees_it(live):
    before = bundle_files(Path(live.output))
    edit(live, 7, "lần thứ 7", "lần thứ bảy, bàn việc kênh thủy lợi")
    assert live.finish() == []
    after = bundle_files(Path(live.output))
    changed = {name for name in after if before.get(name) != after[name]}
    manifest = json.loads(after[f"{searchindex.BUNDLE}/{searchindex.MANIFEST}"])
    assert changed == {f"{searchindex.BUNDLE}/{searchindex.MANIFEST}", f"{searchindex.BUNDLE}/{manifest['delta']}"}
    assert set(before) - set(after) == set()  # the full index stays; the delta lies over it
    new, old, other = search(live, "kenh thuy loi", '"lần thứ 7"', "hội nghị cán bộ số 8")
    assert new["titles"] == ["Hội nghị cán bộ số 7"] and new["total"] == 1
    assert any(mark and text == "kênh thủy lợi" for text, mark in new["excerpts"][0])
    assert old["total"] == 0  # the text it had is gone
    assert other["titles"][0] == "Hội nghị cán bộ số 8"
    # a second save of another article: the delta holds both, the first one's change stays
    edit(live, 9, "lần thứ 9", "lần thứ chín, bàn việc kênh mương")
    assert live.finish() == []
    both, first = search(live, "kenh", "kenh thuy loi")
    assert sorted(both["titles"]) == ["Hội nghị cán bộ số 7", "Hội nghị cán bộ số 9"]
    assert first["titles"] == ["Hội nghị cán bộ số 7"]
    assert len([p for p in (Path(live.output) / searchindex.BUNDLE).iterdir() if p.name.startswith("delta-")]) == 1


def test_a_quoted_phrase_that_only_a_saved_article_holds_is_found(live):
    # three syllables (a phrase read from positions) whose pairs sort before every pair of the full index
    edit(live, 4, "lần thứ 4", "lần thứ tư, aba abb abc")
    assert live.finish() == []
    found, pair = search(live, '"aba abb abc"', '"aba abb"')
    assert found["titles"] == ["Hội nghị cán bộ số 4"] and pair["titles"] == ["Hội nghị cán bộ số 4"]


def test_a_new_article_gets_a_full_index(live):
    path = Path(live.content) / "articles" / "2022" / "bai-moi.md"
    path.write_text(article(title="Bài mới về kênh thủy lợi", date="20/05/2022"), encoding="utf-8")
    outcome, fast = live.update({str(path)})
    assert outcome.ok and not fast  # a new file: the whole site and its index are built again
    manifest = json.loads((Path(live.output) / searchindex.BUNDLE / searchindex.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["documents"] == ARTICLES + 1 and manifest["delta"] is None
    assert search(live, "kenh thuy loi")[0]["titles"] == ["Bài mới về kênh thủy lợi"]


class SetAfter(threading.Event):
    """An event that reads as set from its n-th look on: a cancel that lands in the middle of a run."""

    def __init__(self, looks: int):
        super().__init__()
        self.looks = looks

    def is_set(self) -> bool:
        self.looks -= 1
        return self.looks < 0 or super().is_set()


def full_settings(site: LiveSite) -> dict:
    """The kept build's settings without the preview's holder: the finisher then writes the whole index."""
    settings = dict(site.articles_generator().settings)
    settings[STATE_KEY] = dataclasses.replace(settings[STATE_KEY], live=None)
    return settings


@pytest.mark.parametrize("looks", [0, 1, 2, 4])
def test_a_cancelled_index_run_leaves_the_previous_index_whole(live, looks):
    before = bundle_files(Path(live.output))
    started = threading.Event()
    real_pool = searchindex.pool_of

    def watched(workers, arguments):  # note that worker processes were started, to be stopped by the cancel
        if workers > 1:
            started.set()
        return real_pool(workers, arguments)

    with pytest.raises(searchindex.Cancelled), pytest.MonkeyPatch.context() as patch:
        patch.setattr(searchindex, "pool_of", watched)
        searchindex.build_index(live.output, full_settings(live), SetAfter(looks))
    assert started.is_set()
    assert multiprocessing.active_children() == [], "một tiến trình lập chỉ mục vẫn chạy sau khi hủy"
    assert bundle_files(Path(live.output)) == before
    assert not [p for p in (Path(live.output) / "tim-kiem").iterdir() if p.name.startswith(".")]
    assert not [p for p in Path(live.output).iterdir() if p.name.startswith(".") and p.name != marks.MARK]


def test_a_finished_full_run_replaces_the_index(live):
    before = bundle_files(Path(live.output))
    edit(live, 3, "lần thứ 3", "lần thứ ba mươi")
    assert searchindex.build_index(live.output, full_settings(live), threading.Event()) == []
    after = bundle_files(Path(live.output))
    assert after != before and not any("delta-" in name for name in after)
    assert search(live, "ba muoi")[0]["titles"] == ["Hội nghị cán bộ số 3"]
    assert not [p for p in (Path(live.output) / "tim-kiem").iterdir() if p.name.startswith(".")]
    assert not [p for p in Path(live.output).iterdir() if p.name.startswith(".") and p.name != marks.MARK]


def test_the_preview_indexes_an_edit_in_the_background_and_the_next_save_cancels_it(live, capsys):
    start = bundle_files(Path(live.output))
    edit(live, 2, "lần thứ 2", "lần thứ hai mươi")
    job = IndexJob(live)
    job.start()
    job.stop()  # a save right away: the run stops wherever it is; the page keeps a whole index, old or new
    if "Đã cập nhật chỉ mục tìm kiếm" in capsys.readouterr().out:
        assert bundle_files(Path(live.output)) != start  # it finished first: the new index
    else:
        assert bundle_files(Path(live.output)) == start  # cancelled: the old index, whole
    job.start()
    job.thread.join(60)
    assert "Đã cập nhật chỉ mục tìm kiếm" in capsys.readouterr().out
    assert search(live, "hai muoi")[0]["titles"] == ["Hội nghị cán bộ số 2"]
    assert marks.foreign(live.output) == []  # the new index is in the folder's mark: the next full build may replace it
    assert live.build_all().ok


@pytest.mark.browser
def test_the_open_search_page_sees_a_save_without_reloading(live, page):
    status = PreviewStatus()
    handler = type("Handler", (PreviewHandler,), {"status": status})
    port = free_port()
    server = make_server(live.output, "127.0.0.1", port, handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page.goto(f"http://127.0.0.1:{port}/tim-kiem/?q=kenh+muong")
        page.wait_for_function("() => /Không tìm thấy/.test(document.querySelector('[data-search-status]').textContent)")
        edit(live, 5, "lần thứ 5", "lần thứ năm, nạo vét kênh mương")
        assert live.finish() == []
        page.fill("#tu-khoa", "kenh muong ")  # a new search on the same open page (no reload)
        page.wait_for_function("() => /Tìm thấy 1 bài/.test(document.querySelector('[data-search-status]').textContent)")
        assert page.inner_text("#search-results li h3") == "Hội nghị cán bộ số 5"
    finally:
        server.shutdown()
        server.server_close()
