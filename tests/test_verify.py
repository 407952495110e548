"""The quality gate: passes on the sample site, and each check fails on the defect it exists for."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import BASE, run_invoke
from pelican.plugins.bulletin import publish, verify

SITE = BASE + "/"
ARTICLE = "2022/04/hoi-nghi-cot-can-lay-phieu-quy-hoach/index.html"


@pytest.fixture
def site(sample, tmp_path) -> Path:
    """A copy of the public sample site that a test may damage."""
    copy = tmp_path / "site"
    shutil.copytree(sample, copy)
    return copy


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} không có trong {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def pages(output: Path) -> list[verify.Page]:
    return [verify.read_page(str(output), p) for p in publish.walk(str(output), (".html",))]


@pytest.mark.slow
@pytest.mark.browser
def test_invoke_verify_passes_on_the_sample_site():
    result = run_invoke("verify", env={"SITEURL": None}, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Kiểm tra chất lượng: đạt" in result.stdout


@pytest.mark.slow
def test_verify_without_the_browser_never_claims_wcag_was_checked(sample):
    result = run_invoke("verify", "--output", str(sample), "--skip-browser", timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Kiểm tra chất lượng: đạt (HTML hợp lệ, liên kết đủ, nguồn tin Atom, sơ đồ trang)." in result.stdout
    assert "CHƯA kiểm tra khả năng tiếp cận WCAG 2.1 AA" in result.stdout and "--skip-browser" in result.stdout


def test_verify_reads_the_address_from_the_build(sample, tmp_path):
    assert verify.site_address(str(sample)) == (SITE, [])
    base, problems = verify.site_address(str(tmp_path))
    assert base is None and "invoke build --production" in problems[0]


@pytest.mark.slow
def test_nu_checker_reports_invalid_html_with_file_and_line(site):
    edit(site / "index.html", "</main>", "<div><p>mở mà không đóng</main>")
    problems = verify.check_html(str(site), ["index.html", ARTICLE])
    assert problems and all(p.startswith("index.html:") for p in problems)
    assert any("HTML không hợp lệ" in p for p in problems)


def test_broken_references_are_reported(site):
    edit(site / ARTICLE, "</main>", f'<a href="{BASE}/khong-co/">x</a><img src="anh-mat.png" alt="ảnh"><a href="#khong-co-id">y</a><a href="/ngoai-duong-dan/">z</a></main>')
    problems = verify.check_references(str(site), SITE, pages(site))
    text = "\n".join(problems)
    assert f"{BASE}/khong-co/" in text and "anh-mat.png" in text and "khong-co-id" in text and "/ngoai-duong-dan/" in text
    assert all(p.startswith(ARTICLE + ":") for p in problems)


def test_a_missing_stylesheet_is_a_broken_reference(site):
    sheet = next((site / "theme" / "css").glob("style.*.css"))
    sheet.unlink()
    problems = verify.check_references(str(site), SITE, pages(site))
    assert any(sheet.name in p for p in problems)


def test_inline_code_unhashed_assets_and_missing_csp_are_reported(site):
    page = site / "index.html"
    edit(page, "</main>", '<p style="color:red" onclick="x()">a</p><script>alert(1)</script><script type="application/ld+json">{"a":1}</script></main>')
    edit(page, "<meta http-equiv=\"Content-Security-Policy\"", "<meta data-x=\"\"")
    edit(page, "</head>", f'<script src="{BASE}/theme/js/search.js"></script></head>')
    problems = "\n".join(verify.check_inline(pages(site)))
    for needle in ("thuộc tính style", "thuộc tính sự kiện onclick", "mã <script> nội tuyến", "thiếu Content-Security-Policy", "chưa mang mã băm"):
        assert needle in problems
    assert problems.count("index.html") == 5  # the JSON-LD block is data, not code


def test_feeds_must_be_atom_and_point_at_pages(site):
    assert verify.check_feeds(str(site), SITE) == []
    edit(site / "atom.xml", "<feed xmlns=\"http://www.w3.org/2005/Atom\">", "<rss>")
    (site / "don-vi" / "tinh-uy-binh-phuoc" / "atom.xml").write_text("<feed", encoding="utf-8")
    problems = "\n".join(verify.check_feeds(str(site), SITE))
    assert "atom.xml" in problems and "don-vi/tinh-uy-binh-phuoc/atom.xml" in problems


def test_sitemap_must_list_exactly_the_published_pages(site):
    edit(site / "sitemap.xml", f"<url><loc>{BASE}/don-vi/</loc></url>", f"<url><loc>{BASE}/404.html</loc></url>")
    problems = "\n".join(verify.check_sitemap(str(site), SITE))
    assert f"thiếu trang {BASE}/don-vi/" in problems
    assert f"{BASE}/404.html có trong sơ đồ" in problems


@pytest.mark.browser
def test_axe_reports_violations_at_both_widths(site, browser):
    edit(site / "index.html", "</main>", '<img src="" ><a href="#"></a></main>')
    problems = verify.check_accessibility(str(site), SITE, pages=["index.html"], browser=browser)
    assert any("(320px): vi phạm image-alt" in p for p in problems)
    assert any("(1280px): vi phạm link-name" in p for p in problems)
    assert verify.check_accessibility(str(site), SITE, pages=["404.html", ARTICLE], browser=browser) == []
