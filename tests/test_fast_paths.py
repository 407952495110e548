"""The fast paths (worker processes, the Markdown cache, the live preview's partial re-render) must give the
very same files, errors and refusals as a clean build in one process without cache."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from conftest import ROOT, build_into, overrides
from pelican.plugins.bulletin import build as builder
from pelican.plugins.bulletin.htmlcache import BUSY_SECONDS, HtmlCache
from pelican.plugins.bulletin.incremental import LiveSite
from pelican.plugins.bulletin.serve import PREVIEW_SETTINGS

sys.path.insert(0, str(ROOT / "benchmarks"))
from bench import compare_trees
from synth import write_site

pytestmark = pytest.mark.slow
ARTICLES = 120  # more than one chunk of the worker pool
SEQUENTIAL = {"BULLETIN_WORKERS": 0, "BULLETIN_CACHE": ""}


def run(content: Path, output: Path, **settings) -> builder.Outcome:
    """Build a site with these settings."""
    return build_into(content, output, settings)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A synthetic site of ARTICLES articles and its clean sequential build."""
    root = tmp_path_factory.mktemp("nhanh")
    write_site(str(root / "content"), ARTICLES, seed=7)
    outcome = run(root / "content", root / "reference", **SEQUENTIAL)
    assert outcome.ok, outcome.errors
    return root


def test_parallel_build_with_cold_and_warm_cache_matches_the_sequential_build(site):
    cache = site / "cache"
    cold = run(site / "content", site / "cold", BULLETIN_WORKERS=2, BULLETIN_CACHE=str(cache))
    assert cold.ok and cold.articles == ARTICLES
    assert cached_bodies(cache) == ARTICLES + 2  # every body (two pages) went into the cache
    warm = run(site / "content", site / "warm", BULLETIN_WORKERS=2, BULLETIN_CACHE=str(cache))
    assert warm.ok
    assert compare_trees(str(site / "reference"), str(site / "cold")) == []
    assert compare_trees(str(site / "reference"), str(site / "warm")) == []
    # the comparison itself can fail: one changed byte is found
    page = next((site / "warm" / "2026").rglob("index.html"))
    page.write_bytes(page.read_bytes() + b" ")
    assert compare_trees(str(site / "reference"), str(site / "warm")) == [f"khác {page.relative_to(site / 'warm')}"]


def cached_bodies(cache: Path) -> int:
    """Count the bodies in the Markdown cache (one SQLite file of the current code version)."""
    import sqlite3

    with sqlite3.connect(HtmlCache(str(cache)).path) as db:
        return db.execute("SELECT count(*) FROM html").fetchone()[0]


def test_a_broken_or_outdated_cache_file_only_costs_speed(site, tmp_path):
    import os
    import sqlite3

    cache = tmp_path / "cache"
    cache.mkdir()
    current = Path(HtmlCache(str(cache)).path)
    current.write_bytes(b"not a database " * 100)  # a torn copy
    old = cache / "html-0123456789abcdef.sqlite"  # an earlier code version, unused for two days
    old.write_bytes(b"an earlier code version")
    recent = cache / "html-fedcba9876543210.sqlite"  # another version, in use by another checkout
    recent.write_bytes(b"in use")
    os.utime(old, (0, os.path.getmtime(old) - 2 * 86400))
    (cache / "ghi-chu.txt").write_text("not ours", encoding="utf-8")
    (cache / "html-ghi-chu.sqlite.bak").write_text("not ours either", encoding="utf-8")
    earlier = cache / "0123456789abcdef"  # the earlier layout: a JSON file per body, by hash
    (earlier / "ab").mkdir(parents=True)
    (earlier / "ab" / ("ab" * 32 + ".json")).write_text("{}", encoding="utf-8")
    (earlier / "ab" / "anh.jpg").write_bytes(b"a photo somebody keeps here")
    outcome = run(site / "content", tmp_path / "output", BULLETIN_WORKERS=2, BULLETIN_CACHE=str(cache))
    assert outcome.ok, outcome.errors
    assert compare_trees(str(site / "reference"), str(tmp_path / "output")) == []
    assert cached_bodies(cache) == ARTICLES + 2
    assert not old.exists() and recent.exists()
    assert (cache / "ghi-chu.txt").exists() and (cache / "html-ghi-chu.sqlite.bak").exists()
    assert not (earlier / "ab" / ("ab" * 32 + ".json")).exists() and (earlier / "ab" / "anh.jpg").exists()

    # a file damaged inside: the build goes on converting, marks it, and the next build starts it again
    with sqlite3.connect(current) as db:
        db.execute("DROP TABLE html")
        db.execute("CREATE TABLE html (key TEXT PRIMARY KEY)")
    for _ in range(2):
        outcome = run(site / "content", tmp_path / "output", BULLETIN_WORKERS=2, BULLETIN_CACHE=str(cache))
        assert outcome.ok, outcome.errors
        assert compare_trees(str(site / "reference"), str(tmp_path / "output")) == []
    assert cached_bodies(cache) == ARTICLES + 2 and not list(cache.glob("*.hong"))

    # a cache folder that cannot be created: the build goes on without a cache
    blocked = tmp_path / "tep"
    blocked.write_text("", encoding="utf-8")
    outcome = run(site / "content", tmp_path / "output2", BULLETIN_WORKERS=2, BULLETIN_CACHE=str(blocked / "cache"))
    assert outcome.ok, outcome.errors
    assert compare_trees(str(site / "reference"), str(tmp_path / "output2")) == []


def test_a_locked_cache_is_given_up_at_once_not_waited_for_at_every_write(tmp_path):
    import sqlite3
    import time

    from pelican.plugins.bulletin import markup

    cache = HtmlCache(str(tmp_path))
    cache.prepare()
    other = sqlite3.connect(cache.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock and keeps it
    try:
        md = markup.make_markdown()
        started = time.perf_counter()
        html = [cache.convert(md, f"Đoạn văn số {n}.\n")[0] for n in range(6)]
        took = time.perf_counter() - started
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert html == [f"<p>Đoạn văn số {n}.</p>" for n in range(6)]
    assert cache.path == ""  # off for the rest of this build
    assert took < 2 * BUSY_SECONDS  # one wait, not one per body


def test_parallel_build_reports_the_same_errors_and_keeps_the_old_output(site, tmp_path):
    content = tmp_path / "content"
    write_site(str(content), ARTICLES, seed=7)
    broken = sorted((content / "articles").rglob("*.md"))[60]
    text = broken.read_text(encoding="utf-8")
    broken.write_text(re.sub(r'^date: ".*"$', 'date: "31/02/2023"', text, count=1, flags=re.M), encoding="utf-8")
    (content / "articles" / "2023" / "thieu-don-vi.md").write_text('---\ntitle: "Bài thiếu đơn vị"\ndate: "2023-01-02"\n---\n\nNội dung.\n', encoding="utf-8")
    output = tmp_path / "output"
    first = run(site / "content", output, **SEQUENTIAL)
    assert first.ok
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    sequential = run(content, output, **SEQUENTIAL)
    parallel = run(content, output, BULLETIN_WORKERS=2, BULLETIN_CACHE=str(tmp_path / "cache"))
    assert not sequential.ok and len(sequential.errors) == 2
    assert parallel.errors == sequential.errors
    assert any(line.startswith(f"{broken}:3: ") for line in parallel.errors)
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before


def edit(path: Path, pattern: str, replacement: str) -> None:
    """Change the first line of a file matching a pattern."""
    text = path.read_text(encoding="utf-8")
    changed = re.sub(pattern, replacement, text, count=1, flags=re.M)
    assert changed != text
    path.write_text(changed, encoding="utf-8")


def test_live_preview_rerenders_only_what_an_edit_touches_and_matches_a_clean_build(tmp_path):
    content, output, reference = tmp_path / "content", tmp_path / "output", tmp_path / "reference"
    write_site(str(content), ARTICLES, seed=3)
    live = LiveSite(str(ROOT / "pelicanconf.py"), str(content), str(output), overrides(**PREVIEW_SETTINGS), ())
    assert live.build_all().ok
    files = sorted((content / "articles").rglob("*.md"))
    target = files[len(files) // 2]

    # 1. a new title and body: the fast path, a handful of pages, same bytes as a clean build
    edit(target, r'^title: "(.*)"$', r'title: "\1 (bản sửa)"')
    edit(target, r"^## .*$", "## Mục mới sau khi sửa")
    untouched = output / "don-vi" / "index.html"
    stamp = untouched.stat().st_mtime_ns
    outcome, fast = live.update({str(target)})
    assert outcome.ok and fast
    assert 3 <= outcome.pages < 40
    assert untouched.stat().st_mtime_ns == stamp  # the unit tree does not show titles: not rewritten
    assert run(content, reference, **PREVIEW_SETTINGS, **SEQUENTIAL).ok
    assert compare_trees(str(reference), str(output)) == []

    # 2. an error: reported as path:line, nothing rewritten, and fixing it goes back to the fast path
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    edit(target, r'^date: "(.*)"$', 'date: "45/13/2024"')
    outcome, fast = live.update({str(target)})
    assert not outcome.ok and len(outcome.errors) == 1 and ":3: " in outcome.errors[0]
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before

    # 3. a move to another unit changes counts everywhere: a full build, still identical
    edit(target, r'^date: "45/13/2024"$', f'date: "{target.parent.name}-03-05"')  # the year of its folder
    edit(target, r"^units:\n(  - .*\n)+", 'units:\n  - "ban-to-chuc-tinh-uy"\n')
    outcome, fast = live.update({str(target)})
    assert outcome.ok and not fast
    assert run(content, reference, **PREVIEW_SETTINGS, **SEQUENTIAL).ok
    assert compare_trees(str(reference), str(output)) == []


def test_what_the_sanitizer_removed_is_reported_again_from_a_warm_cache(tmp_path):
    from conftest import article, write_content

    body = "Đoạn đầu.\n\n<script>alert(1)</script>\n\n[Bấm vào](javascript:alert(2))\n"
    write_content(tmp_path / "content", {f"articles/2022/bai-{n}.md": article(title=f"Bài {n}", body=body) for n in range(60)})
    runs = [run(tmp_path / "content", tmp_path / name, BULLETIN_WORKERS=2, BULLETIN_CACHE=str(tmp_path / "cache"))
            for name in ("lanh", "nong")]
    for outcome in runs:
        assert outcome.ok, outcome.errors
        assert len([n for n in outcome.notices if "bai-7.md:" in n]) == 2, outcome.notices
    assert runs[0].notices == runs[1].notices
    assert compare_trees(str(tmp_path / "lanh"), str(tmp_path / "nong")) == []


def test_taxonomy_pages_turned_off_are_not_worked_out(site, tmp_path, monkeypatch):
    from pelican.generators import ArticlesGenerator

    from pelican.plugins.bulletin.generator import TAXONOMY_WRITERS

    called = []
    for method, _setting in TAXONOMY_WRITERS:
        monkeypatch.setattr(ArticlesGenerator, method, lambda self, write, m=method: called.append(m))
    outcome = run(site / "content", tmp_path / "output", **SEQUENTIAL)
    assert outcome.ok, outcome.errors
    assert called == []  # the site's settings turn tag, category and author pages off: Pelican's writers never run
    assert compare_trees(str(site / "reference"), str(tmp_path / "output")) == []
    # a site that wants author pages still gets Pelican's own writer
    outcome = run(site / "content", tmp_path / "output2", **SEQUENTIAL, AUTHOR_SAVE_AS="tac-gia/{slug}/index.html")
    assert outcome.ok, outcome.errors
    assert called == ["generate_authors"]
