"""`invoke new` end to end: the file it writes, the units it accepts, and how it refuses."""

from __future__ import annotations

import re
import subprocess
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import ROOT
from conftest import run_invoke as invoke
from pelican.plugins.bulletin.check import check_content

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def content(registry_content) -> Path:
    return registry_content


def new(content: Path, *args: str) -> subprocess.CompletedProcess:
    return invoke("new", "--content", str(content), *args)


def front_matter(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("---")[1]


def test_new_writes_a_valid_article_dated_now_in_vietnam(content):
    before = datetime.now(ZONE).replace(second=0, microsecond=0)
    result = new(content, "--title", "Hội nghị sơ kết công tác dân vận", "--unit", "huyen-uy-hon-quan")
    after = datetime.now(ZONE)
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path.name == "hoi-nghi-so-ket-cong-tac-dan-van.md" and path.parent.parent == content / "articles"
    meta = front_matter(path)
    assert 'title: "Hội nghị sơ kết công tác dân vận"' in meta
    written = re.search(r'^date: "(\d{2})/(\d{2})/(\d{4}) (\d{2}):(\d{2})"$', meta, re.M)
    assert written, meta
    day, month, year, hour, minute = map(int, written.groups())
    moment = datetime(year, month, day, hour, minute, tzinfo=ZONE)
    assert before - timedelta(minutes=1) <= moment <= after
    assert path.parent.name == str(year)
    assert re.search(r"^units:\n  - huyen-uy-hon-quan\b", meta, re.M)
    assert re.search(r"^status: draft\b", meta, re.M)  # a draft until the editor publishes it
    checked = invoke("check", "--content", str(content))
    assert checked.returncode == 0, checked.stderr
    assert "Nội dung hợp lệ" in checked.stdout


@pytest.mark.parametrize("unit", ["Huyện ủy Hớn Quản", "HU Hớn Quản", "huyen uy hon quan", "Huyện uỷ Hớn Quản"])
def test_new_accepts_a_unit_by_name_alias_or_unaccented_spelling(content, unit):
    result = new(content, "--title", "Tập huấn nghiệp vụ", "--unit", unit, "--term", "nhiệm kỳ 2020 - 2025",
                 "--date", "05/03/2025 08:30")
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path == content / "articles" / "2025" / "tap-huan-nghiep-vu.md"
    meta = front_matter(path)
    assert 'date: "05/03/2025 08:30"' in meta
    assert "  - huyen-uy-hon-quan" in meta and '  - "2020–2025"' in meta


def test_new_suggests_the_closest_units_for_an_unknown_one(content):
    result = new(content, "--title", "Bài thử", "--unit", "Huyen uy Hon Quang")
    assert result.returncode == 1
    assert 'đơn vị "Huyen uy Hon Quang" không có trong' in result.stderr
    assert '"Huyện ủy Hớn Quản" (huyen-uy-hon-quan)' in result.stderr
    assert "Traceback" not in result.stderr
    assert not (content / "articles").exists()


def test_new_refuses_an_unaccented_spelling_that_fits_two_units(content):
    result = new(content, "--title", "Bài thử", "--unit", "chi bo ap hung")
    assert result.returncode == 1
    assert "(chi-bo-hung)" in result.stderr and "(chi-bo-hung-2)" in result.stderr
    assert not (content / "articles").exists()


def test_new_never_overwrites(content):
    first = new(content, "--title", "Bài đã có", "--unit", "tinh-uy", "--date", "01/02/2024")
    assert first.returncode == 0
    path = Path(first.stdout.strip())
    path.write_text(path.read_text(encoding="utf-8") + "Nội dung biên tập viên đã viết.\n", encoding="utf-8")
    again = new(content, "--title", "Bài đã có", "--unit", "tinh-uy", "--date", "01/02/2024")
    assert again.returncode == 1
    assert f"đã có tệp {path} — không ghi đè" in again.stderr
    assert path.read_text(encoding="utf-8").endswith("Nội dung biên tập viên đã viết.\n")


@pytest.mark.parametrize("args, message", [
    (["--date", "31/02/2025"], "không có thật"),
    (["--date", "05/03/25"], "năm hai chữ số"),
    (["--term", "2025-2020"], "năm kết thúc phải sau năm bắt đầu"),
])
def test_new_refuses_bad_dates_and_terms(content, args, message):
    result = new(content, "--title", "Bài thử", "--unit", "tinh-uy", *args)
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not list(content.glob("articles/*/*.md"))


def check(content: Path) -> list[str]:
    """Check a content folder as `invoke check` does; return the errors as path:line: message."""
    return [str(e) for e in check_content(str(ROOT / "pelicanconf.py"), str(content), [])]


def test_every_commented_line_of_a_new_file_stays_valid_when_uncommented(content):
    path = Path(new(content, "--title", "Hội nghị chuyên đề", "--unit", "tinh-uy", "--term", "2020-2025").stdout.strip())
    original = path.read_text(encoding="utf-8")
    commented = [n for n, line in enumerate(original.split("\n")) if line.startswith("# ")]
    assert len(commented) >= 3
    for chosen in [[n] for n in commented] + [commented]:  # each one alone, then all of them
        lines = original.split("\n")
        for number in chosen:
            lines[number] = lines[number].removeprefix("# ")  # what an editor's "uncomment" does
        path.write_text("\n".join(lines), encoding="utf-8")
        assert check(content) == [], lines


def test_a_new_draft_is_published_by_changing_its_status_and_needs_a_body(content):
    path = Path(new(content, "--title", "Hội nghị chuyên đề", "--unit", "tinh-uy", "--date", "01/02/2024").stdout.strip())
    draft = path.read_text(encoding="utf-8")
    closing = draft.split("\n").index("---", 1) + 1
    for published in (draft.replace("status: draft", "status: published"),
                      "\n".join(line for line in draft.split("\n") if not line.startswith("status:"))):
        path.write_text(published, encoding="utf-8")
        line = closing - (published.count("\n") < draft.count("\n"))
        assert check(content) == [f"{path}:{line}: bài chưa có nội dung — hãy viết bài bên dưới dòng --- này, hoặc ghi "
                                  "status: draft nếu bài chưa xong"]
        path.write_text(published + "Nội dung bài viết.\n", encoding="utf-8")
        assert check(content) == []


@pytest.mark.parametrize("title, says", [
    ("Hội nghị cán bộ\x07", "U+0007"),
    ("Hội nghị\u200b cán bộ", "U+200B"),
])
def test_new_never_writes_what_check_would_refuse(content, title, says):
    result = new(content, "--title", title, "--unit", "tinh-uy")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert says in result.stderr and "chưa ghi tệp nào" in result.stderr
    assert not (content / "articles").exists()
