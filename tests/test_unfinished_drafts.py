"""An unfinished draft (no date, no unit yet) warns instead of stopping the build; a published one stops it."""

from conftest import article

UNFINISHED = '---\ntitle: "Bài đang viết dở"\nstatus: draft\n---\n\nNội dung.\n'


def test_unfinished_draft_warns_and_the_site_still_builds(build_site):
    site = build_site({"articles/2026/dang-viet.md": UNFINISHED, "articles/2022/xong.md": article()})
    assert site.outcome.ok, site.outcome.errors
    notices = "\n".join(site.outcome.notices)
    assert 'dang-viet.md:1: bản nháp chưa có khóa "date"' in notices
    assert 'bản nháp chưa có khóa "units"' in notices
    assert site.exists("2022/04/xong/")
    assert "Bài đang viết dở" not in (site.output / "index.html").read_text(encoding="utf-8")


def test_same_file_without_draft_status_is_an_error(build_site):
    site = build_site({"articles/2026/dang-viet.md": UNFINISHED.replace("status: draft\n", "")})
    assert not site.outcome.ok
    assert any('dang-viet.md:1: thiếu khóa bắt buộc "date"' in e for e in site.outcome.errors)
