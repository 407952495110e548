"""The public build: sub-path addresses, sitemap, robots.txt, hashed assets, CSP, compression, determinism, publish."""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import brotli
import pytest
from bs4 import BeautifulSoup

from conftest import BASE, INVOKE, ROOT, article, build_public, run_invoke
from pelican.plugins.bulletin import marks, publish, verify
from pelican.plugins.bulletin.errors import Refusal
from pelican.plugins.bulletin.folders import STALE_PREFIX

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def file_hashes(folder: Path | str) -> dict[str, str]:
    """Return {relative path: sha256} of every file below a folder."""
    found = {}
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            with open(path, "rb") as handle:
                found[os.path.relpath(path, folder)] = hashlib.sha256(handle.read()).hexdigest()
    return found


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def pages(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def test_public_build_needs_a_full_address(build_site):
    site = build_site({"articles/a.md": article()}, conf="publishconf.py", settings={"SITEURL": ""})
    assert not site.outcome.ok
    assert "SITEURL" in site.outcome.errors[0] and "https://" in site.outcome.errors[0]


def test_every_link_asset_and_feed_resolves_under_the_sub_path(sample):
    docs = [verify.read_page(str(sample), str(p.relative_to(sample))) for p in pages(sample)]
    assert verify.check_references(str(sample), BASE + "/", docs) == []
    assert verify.check_feeds(str(sample), BASE + "/") == []
    home = soup(sample / "index.html")
    assert home.select_one("link[rel=canonical]")["href"] == BASE + "/"
    assert home.select_one("link[rel=alternate][type='application/atom+xml']")["href"] == BASE + "/atom.xml"
    assert home.select_one("form[role=search]")["action"] == BASE + "/tim-kiem/"
    for page in pages(sample):
        for element in soup(page).select("[href], [src]"):
            value = element.get("href") or element.get("src")
            assert not value.startswith("/"), f"{page}: {value} bỏ qua đường dẫn con /ban-tin/"


def test_canonical_addresses_are_absolute(sample):
    for page in pages(sample):
        canonical = soup(page).select_one("link[rel=canonical]")
        if page.name == "404.html":
            continue
        assert canonical is not None and canonical["href"].startswith(BASE + "/"), page


def test_sitemap_lists_every_published_page_and_nothing_else(sample):
    root = ElementTree.parse(sample / "sitemap.xml").getroot()
    locs = [loc.text for loc in root.iter(SITEMAP_NS + "loc")]
    assert len(locs) == len(set(locs))
    assert all(loc.startswith(BASE + "/") for loc in locs)
    assert BASE + "/" in locs and BASE + "/don-vi/" in locs and BASE + "/tim-kiem/" in locs
    assert BASE + "/gioi-thieu/" in locs
    assert BASE + "/2022/04/hoi-nghi-cot-can-lay-phieu-quy-hoach/" in locs
    assert not any("404" in loc or "/trang/" in loc for loc in locs)
    assert not any("thu-nop-dang-phi" in loc or "2027" in loc for loc in locs)  # the draft and the scheduled article
    served = {publish.page_url(BASE + "/", str(p.relative_to(sample))) for p in pages(sample)}
    assert set(locs) <= served
    assert verify.check_sitemap(str(sample), BASE + "/") == []
    assert (sample / "robots.txt").read_text(encoding="utf-8").splitlines()[-1] == f"Sitemap: {BASE}/sitemap.xml"


def test_css_and_js_names_carry_their_content_hash(sample):
    assets = sorted((sample / "theme").rglob("*.css")) + sorted((sample / "theme").rglob("*.js"))
    assert assets
    for asset in assets:
        match = re.fullmatch(r"(.+)\.([0-9a-f]{10})\.(css|js)", asset.name)
        assert match, asset
        assert hashlib.sha256(asset.read_bytes()).hexdigest()[:10] == match[2]
        assert not asset.with_name(f"{match[1]}.{match[3]}").exists()
    for page in pages(sample):
        html = soup(page)
        for element in html.select("link[rel=stylesheet], script[src]"):
            url = element.get("href") or element.get("src")
            if "/theme/" in url:
                assert re.search(r"\.[0-9a-f]{10}\.(css|js)$", url), f"{page}: {url}"
                assert (sample / url.removeprefix(BASE + "/")).is_file()


def test_references_to_renamed_files_are_rewritten_where_a_reference_starts_and_ends():
    renamed = {"theme/js/search.js": "theme/js/search.1111111111.js",
               "theme/js/site-search.js": "theme/js/site-search.2222222222.js", "theme/css/style.css": "theme/css/style.3.css"}
    page = ('<script src="/ban-tin/theme/js/search.js"></script><script src="../theme/js/site-search.js?v=1"></script>'
            '<link href="theme/css/style.css#x"><p>theme/css/style.css và xtheme/js/search.js"</p><a href="(theme/js/search.js)">')
    assert publish.rewrite(page, renamed) == (
        '<script src="/ban-tin/theme/js/search.1111111111.js"></script><script src="../theme/js/site-search.2222222222.js?v=1">'
        '</script><link href="theme/css/style.3.css#x"><p>theme/css/style.css và xtheme/js/search.js"</p>'
        '<a href="(theme/js/search.1111111111.js)">')
    between = '@import url("style.css"); a { background: url(site-search.js) } /* search.js; xsearch.js" */'
    assert publish.rewrite(between, renamed, sibling_of="theme/css/print.css") == (
        '@import url("style.3.css"); a { background: url(site-search.2222222222.js) } /* search.js; xsearch.js" */')


def test_every_page_has_the_csp_and_no_inline_code(sample):
    for page in pages(sample):
        html = soup(page)
        policy = html.select_one("meta[http-equiv=Content-Security-Policy]")
        assert policy is not None, page
        directives = dict(d.strip().split(" ", 1) for d in policy["content"].split(";"))
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert "unsafe-inline" not in policy["content"]
        head = html.head.find_all(True)
        assert head.index(policy) < min((head.index(e) for e in html.head.select("script, link[rel=stylesheet]")), default=99)
        for script in html.find_all("script"):
            assert script.get("src") or script.get("type") == "application/ld+json", page
        assert not html.select("[style], style"), page
        assert not [a for e in html.find_all(True) for a in e.attrs if a.startswith("on")], page


def test_text_files_are_precompressed_deterministically(sample):
    texts = [p for p in sample.rglob("*") if p.is_file() and p.suffix in (".html", ".css", ".js", ".xml", ".json", ".svg", ".txt")]
    assert len(texts) > 50
    for path in texts:
        data = path.read_bytes()
        packed = Path(str(path) + ".gz").read_bytes()
        assert gzip.decompress(packed) == data
        assert packed[3] & 0x08 == 0, f"{path}.gz mang tên tệp"  # FNAME flag off
        assert packed[4:8] == b"\0\0\0\0", f"{path}.gz mang thời điểm"  # MTIME zero
        assert brotli.decompress(Path(str(path) + ".br").read_bytes()) == data
    # the search index: its manifest and result records are compressed beside them; its binary shards are not
    index = sample / "tim-kiem" / "chi-muc"
    records = list(index.rglob("d/*/*.json"))
    assert records and (index / "manifest.json.gz").is_file() and all(Path(f"{p}.br").is_file() for p in records)
    shards = list(index.rglob("*.bin"))
    assert shards and not list(index.rglob("*.bin.gz")) and not list(index.rglob("*.bin.br"))
    assert not list(sample.rglob("*.gz.gz")) and not list(sample.rglob("*.br.gz"))


@pytest.mark.slow
def test_two_builds_of_the_same_content_are_byte_identical(tmp_path, sample):
    again = tmp_path / "again"
    outcome = build_public(ROOT / "content", again)
    assert outcome.ok, outcome.errors
    first, second = file_hashes(sample), file_hashes(again)
    assert sorted(first) == sorted(second)
    different = sorted(name for name in first if first[name] != second[name])
    assert different == [], f"khác nhau giữa hai lần dựng: {different[:10]}"
    assert any(name.startswith("tim-kiem/chi-muc/") for name in first)  # the search index is compared too


def write_synthetic(content: Path, count: int) -> None:
    """Write a synthetic bulletin of `count` articles (benchmarks/synth.py)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import synth
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    synth.write_site(str(content), count)


def run_build(content: Path, output: Path) -> subprocess.Popen:
    """Start `invoke build --production` in its own process group."""
    env = {**os.environ, "SITEURL": BASE}
    return subprocess.Popen([*INVOKE, "build", "--production", "--content", str(content), "--output", str(output)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def temporary_folders(output: Path) -> list[Path]:
    """Return the folders a build of `output` is writing into (or that a killed build left behind)."""
    return [p for p in output.parent.iterdir() if p.name.startswith(f".{output.name}{STALE_PREFIX}")]


def count_files(folder: Path) -> int:
    """Count the files below a folder that may vanish while it is counted."""
    return sum(len(files) for _root, _dirs, files in os.walk(folder))


# Where each kill lands, told by what the build has written so far into its temporary folder (not by a clock,
# which a busy machine makes meaningless): f(temporary folder, pages of the previous site) -> kill now?
KILL_POINTS = {
    "thư mục tạm vừa tạo": lambda tmp, pages: True,
    "đã ghi vài trang": lambda tmp, pages: count_files(tmp) >= 5,
    "đã ghi một nửa số trang": lambda tmp, pages: count_files(tmp) >= pages // 2,
    "đang lập chỉ mục tìm kiếm": lambda tmp, pages: (tmp / "tim-kiem").is_dir() and any(
        p.name.startswith(".chi-muc.tmp-") for p in (tmp / "tim-kiem").iterdir()),
    "đang nén": lambda tmp, pages: (tmp / "index.html.gz").exists(),
    "đã nén gần hết": lambda tmp, pages: count_files(tmp) >= pages * 25 // 10,
}


@pytest.mark.slow
def test_killing_the_build_at_any_moment_keeps_the_previous_site(tmp_path):
    import time

    content, output = tmp_path / "content", tmp_path / "output"
    write_synthetic(content, 300)
    first = run_build(content, output)
    assert first.wait(timeout=300) == 0, first.stderr.read().decode()
    before = file_hashes(output)
    assert len(before) > 1000
    pages = sum(name.endswith(".html") for name in before)
    # Change the content, so a build that got through would change the output.
    (content / "articles" / "2026" / "bai-moi.md").write_text(article(title="Bài mới sau lần dựng trước", date="01/06/2026",
                                                                     units=["tinh-uy-binh-phuoc"]), encoding="utf-8")
    seen: dict[str, dict[str, str]] = {}  # the output right after each kill that landed while the build was running
    for point, reached in KILL_POINTS.items():
        left = set(temporary_folders(output))  # by earlier kills: this build deletes them first
        process = run_build(content, output)
        landed = False
        while process.poll() is None:
            folders = [f for f in temporary_folders(output) if f not in left]
            try:
                now = bool(folders) and reached(folders[0], pages)
            except FileNotFoundError:  # swapped in while we looked
                now = False
            if now:
                os.killpg(process.pid, 9)
                landed = process.wait() == -9 and folders[0].exists()
                break
            time.sleep(0.005)
        else:
            assert process.returncode == 0, process.stderr.read().decode()
        if landed:
            seen[point] = file_hashes(output)
    assert len(seen) >= 4, f"quá ít lần dừng rơi vào lúc đang dựng: {sorted(seen)}"
    last = run_build(content, output)
    assert last.wait(timeout=300) == 0, last.stderr.read().decode()
    assert not temporary_folders(output), "lần dựng sau không dọn thư mục tạm bị bỏ lại"
    assert (output / "2026" / "06" / "bai-moi" / "index.html").is_file()
    after = file_hashes(output)
    # After every kill the output is one whole site: the previous one, or (killed after the swap) the new one.
    for point, hashes in seen.items():
        assert hashes in (before, after), f"đầu ra dở dang khi dừng đột ngột lúc {point}"
    assert sum(hashes == before for hashes in seen.values()) >= 4, "quá ít lần dừng rơi vào trước lúc hoán đổi"


def invoke(*args: str, cwd: Path = ROOT, siteurl: str = BASE) -> subprocess.CompletedProcess:
    """Run an invoke task as an editor would."""
    return run_invoke(*args, cwd=cwd, env={"SITEURL": siteurl})


@pytest.mark.slow
def test_publish_copies_the_public_build_to_a_target_folder(tmp_path):
    content, output, target = tmp_path / "content", tmp_path / "output", tmp_path / "www" / "ban-tin"
    shutil.copytree(ROOT / "content", content)
    result = invoke("publish", "--content", str(content), "--output", str(output), "--target", str(target))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert file_hashes(target) == file_hashes(output)
    # A second publish replaces the earlier copy in one swap and leaves no temporary folder.
    (content / "articles" / "2026" / "bai-moi.md").write_text(article(title="Bài mới", date="01/06/2026", units=["tinh-uy-binh-phuoc"]), encoding="utf-8")
    result = invoke("publish", "--content", str(content), "--output", str(output), "--target", str(target))
    assert result.returncode == 0, result.stderr
    assert (target / "2026" / "06" / "bai-moi" / "index.html").is_file()
    assert sorted(p.name for p in target.parent.iterdir()) == ["ban-tin"]


@pytest.mark.parametrize("kind", ["editor-files", "project", "content", "inside-output"])
def test_publish_refuses_a_target_that_is_not_an_earlier_copy(tmp_path, kind):
    output = tmp_path / "output"
    output.mkdir()
    for name in ("index.html", "sitemap.xml", "robots.txt"):
        (output / name).write_text("x", encoding="utf-8")
    marks.seal(str(output))  # a public build of ours, as far as its mark says
    project, content = tmp_path / "du-an", tmp_path / "du-an" / "content"
    (project / ".git").mkdir(parents=True)
    (project / "pelicanconf.py").write_text("SITENAME = 'x'\n", encoding="utf-8")
    (content / "articles").mkdir(parents=True)
    (content / "articles" / "bai.md").write_text(article(), encoding="utf-8")
    target = {"editor-files": tmp_path / "www", "project": project, "content": content, "inside-output": output / "sub"}[kind]
    if kind == "editor-files":
        target.mkdir()
        (target / "ghi-chu.docx").write_bytes(b"ban thao cua bien tap vien")
    before = file_hashes(target) if target.exists() else None
    with pytest.raises(Refusal) as refusal:
        publish.deploy(str(output), str(target), str(content))
    assert "chọn thư mục" in str(refusal.value)
    assert (file_hashes(target) if target.exists() else None) == before


@pytest.mark.browser
def test_search_works_under_the_csp_without_eval_or_webassembly(sample, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
    context.route(BASE + "/**", verify.serve_route(str(sample), BASE + "/"))
    tab = context.new_page()
    refused: list[str] = []
    tab.on("console", lambda m: refused.append(m.text) if "content security policy" in m.text.lower() else None)
    try:
        tab.goto(BASE + "/tim-kiem/?q=h%E1%BB%99i+ngh%E1%BB%8B")
        status = tab.get_by_role("status").first
        tab.wait_for_function("el => !/Đang tìm/.test(el.textContent) && el.textContent.trim() !== ''", arg=status.element_handle(), timeout=15000)
        assert re.search(r"Tìm thấy \d+ bài viết", status.text_content()), status.text_content()
        assert tab.locator("#search-results li").count() > 0
        policy = tab.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content")
        assert "script-src 'self';" in policy and "eval" not in policy and "wasm" not in policy
    finally:
        context.close()
    assert refused == []


def test_feeds_parse_as_atom_with_absolute_links(sample):
    import feedparser

    feeds = sorted(p for p in sample.rglob("*.xml") if p.name != "sitemap.xml")
    assert len(feeds) > 5
    for feed in feeds:
        parsed = feedparser.parse(feed.read_bytes())
        assert parsed.version == "atom10" and not parsed.bozo, feed
        assert parsed.feed.link.startswith(BASE + "/")
        for entry in parsed.entries:
            assert entry.link.startswith(BASE + "/") and entry.title
            assert (sample / entry.link.removeprefix(BASE + "/") / "index.html").is_file()


@pytest.mark.parametrize("path, expected", [
    ("index.html", True),
    ("don-vi/huyen-uy-hon-quan/index.html", True),
    ("2022/04/trang-moi/index.html", True),  # an article whose slug starts with "trang"
    ("trang/index.html", True),  # a page whose slug is "trang"
    ("don-vi/huyen-uy-hon-quan/trang/2/index.html", False),
    ("2022/04/trang/3/index.html", False),
    ("trang/2/index.html", False),
    ("404.html", False),
])
def test_sitemap_leaves_out_404_and_continuation_pages(path, expected):
    assert publish.listed(path) is expected
