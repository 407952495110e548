"""Drafts and scheduled articles: BULLETIN_NOW decides, in the publishing build and in the preview alike."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from conftest import article
from pelican.plugins.bulletin.serve import PREVIEW_SETTINGS

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
PUBLISH = {"WITH_FUTURE_DATES": False}


def files(date: str) -> dict[str, str]:
    """A past article, a draft and one dated `date`."""
    return {
        "articles/2022/da-dang.md": article(title="Bài đã đăng", date="04/04/2022 08:00"),
        "articles/2022/ban-nhap.md": article(title="Bài nháp chưa duyệt", date="05/04/2022 08:00", status="draft"),
        "articles/hen-gio.md": article(title="Bài hẹn giờ", date=date, units=["dang-uy-khoi"]),
    }


def listed(site, url: str) -> list[str]:
    """Return the article titles an index page lists."""
    return [a.get_text(strip=True) for a in site.html(url).select("ol.article-list li a[href]")]


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=ZONE)


@pytest.mark.parametrize("settings", [PUBLISH, PREVIEW_SETTINGS], ids=["publish", "preview"])
def test_draft_is_never_published(build_site, settings):
    site = build_site(files("15/01/2027 08:00"), {**settings, "BULLETIN_NOW": at(2027, 2, 1)})
    assert site.outcome.ok, site.outcome.errors
    assert site.exists("2022/04/da-dang/")
    assert not site.exists("2022/04/ban-nhap/")
    assert "Bài nháp chưa duyệt" not in listed(site, "")
    assert "Bài nháp chưa duyệt" not in (site.output / "atom.xml").read_text(encoding="utf-8")


def test_future_article_waits_in_the_publishing_build(build_site):
    site = build_site(files("15/01/2027 08:00"), {**PUBLISH, "BULLETIN_NOW": at(2027, 1, 15, 7, 59)})
    assert site.outcome.ok, site.outcome.errors
    assert not site.exists("2027/01/hen-gio/")
    assert "Bài hẹn giờ" not in listed(site, "")
    assert "Bài hẹn giờ" not in listed(site, "don-vi/dang-uy-khoi/")
    assert not site.exists("2027/")


def test_preview_shows_future_article_marked(build_site):
    site = build_site(files("15/01/2027 08:00"), {**PREVIEW_SETTINGS, "BULLETIN_NOW": at(2027, 1, 15, 7, 59)})
    assert site.outcome.ok, site.outcome.errors
    page = site.html("2027/01/hen-gio/")
    assert "Hẹn giờ đăng" in page.select_one("main").get_text()
    items = site.html("").select("ol.article-list li")
    scheduled = [li for li in items if "Bài hẹn giờ" in li.get_text()]
    assert scheduled and "Hẹn giờ đăng" in scheduled[0].get_text()
    past = [li for li in items if "Bài đã đăng" in li.get_text()]
    assert past and "Hẹn giờ đăng" not in past[0].get_text()


def test_first_build_on_its_date_publishes_it(build_site):
    site = build_site(files("15/01/2027 08:00"), {**PUBLISH, "BULLETIN_NOW": at(2027, 1, 15, 8, 0)})
    assert site.outcome.ok, site.outcome.errors
    assert site.exists("2027/01/hen-gio/")
    assert "Hẹn giờ đăng" not in site.html("2027/01/hen-gio/").select_one("main").get_text()
    assert "Bài hẹn giờ" in listed(site, "don-vi/dang-uy-khoi/")


def test_now_setting_wins_over_the_real_clock_far_ahead(build_site):
    # Pelican's own WITH_FUTURE_DATES check reads the real clock; 2099 is far beyond it.
    site = build_site(files("01/06/2099 08:00"), {**PUBLISH, "BULLETIN_NOW": at(2099, 6, 1, 9, 0)})
    assert site.outcome.ok, site.outcome.errors
    assert site.exists("2099/06/hen-gio/")


def test_now_setting_wins_over_the_real_clock_in_the_past(build_site):
    # A build pinned to 2019 must not publish an article dated 2020, though the real clock is later.
    site = build_site(files("01/06/2020 08:00"), {**PUBLISH, "BULLETIN_NOW": at(2019, 1, 1)})
    assert site.outcome.ok, site.outcome.errors
    assert not site.exists("2020/06/hen-gio/")
    assert site.exists("2022/04/da-dang/") is False  # 2022 is after 2019 too


def test_naive_now_setting_is_read_in_the_site_time_zone(build_site):
    site = build_site(files("15/01/2027 08:00"), {**PUBLISH, "BULLETIN_NOW": datetime(2027, 1, 15, 8, 0)})
    assert site.outcome.ok, site.outcome.errors
    assert site.exists("2027/01/hen-gio/")


@pytest.mark.browser
def test_live_preview_reloads_after_a_save_and_shows_errors_until_fixed(tmp_path, page):
    import os
    import subprocess
    import sys
    import time
    import urllib.request

    from conftest import ROOT, free_port, write_content

    source = tmp_path / "content" / "articles" / "2022" / "hoi-nghi.md"
    scheduled = tmp_path / "content" / "articles" / "2099" / "hen-gio.md"
    write_content(tmp_path / "content", {"articles/2022/hoi-nghi.md": article(body="Đoạn mở đầu ban đầu."),
                                         "articles/2099/hen-gio.md": article(title="Bài hẹn giờ", date="01/06/2099 08:00")})
    port = free_port()
    code = ("import sys; from pelican.plugins.bulletin.serve import preview; "
            "preview('pelicanconf.py', sys.argv[1], sys.argv[2], '127.0.0.1', int(sys.argv[3]))")
    child = subprocess.Popen([sys.executable, "-c", code, str(tmp_path / "content"), str(tmp_path / "output"), str(port)],
                             cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             env={**os.environ, "PYTHONPATH": str(ROOT / "plugins")})
    base = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(base, timeout=2).close()
                break
            except OSError:
                assert child.poll() is None, "the preview stopped"
                time.sleep(0.1)
        page.goto(base + "2022/04/hoi-nghi/")
        assert "Đoạn mở đầu ban đầu." in page.inner_text("main")
        source.write_text(article(body="Đoạn vừa sửa xong."), encoding="utf-8")
        page.wait_for_function("() => document.querySelector('main').innerText.includes('Đoạn vừa sửa xong.')", timeout=60_000)
        source.write_text(article(date="31/02/2022", body="Đoạn có lỗi ngày."), encoding="utf-8")
        alert = page.wait_for_selector("#xem-truoc-loi[role=alert]", timeout=60_000)
        assert "hoi-nghi.md:3:" in alert.inner_text() and "không có thật" in alert.inner_text()
        assert "Đoạn vừa sửa xong." in page.inner_text("main")  # the last good version stays on screen
        source.write_text(article(body="Đoạn đã sửa lỗi."), encoding="utf-8")
        page.wait_for_function("() => document.querySelector('main').innerText.includes('Đoạn đã sửa lỗi.')", timeout=60_000)
        assert page.query_selector("#xem-truoc-loi") is None
        # A scheduled article is in the preview, marked, and stays so when it is edited.
        page.goto(base + "2099/06/hen-gio/")
        assert "Hẹn giờ đăng" in page.inner_text("main")
        scheduled.write_text(article(title="Bài hẹn giờ", date="01/06/2099 08:00", body="Bản sửa của bài hẹn giờ."), encoding="utf-8")
        page.wait_for_function("() => document.querySelector('main').innerText.includes('Bản sửa của bài hẹn giờ.')", timeout=60_000)
        assert "Hẹn giờ đăng" in page.inner_text("main")
    finally:
        child.terminate()
        child.wait(timeout=20)
