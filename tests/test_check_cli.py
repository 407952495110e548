"""`invoke check` end to end: exit codes, path:line: messages, GitHub annotations and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import article, write_content
from conftest import run_invoke as invoke

GOOD = article(title="Bài hợp lệ", date="04/04/2022 08:30", units=["huyen-uy-hon-quan"])
# Line 3: an impossible date; line 5: a unit spelt without marks; line 6: an unknown key.
BAD_DATE_UNIT = '---\ntitle: "Bài lỗi"\ndate: "31/02/2022"\nunits:\n  - "Huyen uy Hon Quang"\ntacgia: "A"\n---\n\nNội dung.\n'
NO_UNITS = '---\ntitle: "Thiếu đơn vị"\ndate: "05/04/2022"\n---\n\nNội dung.\n'


@pytest.fixture
def content(registry_content) -> Path:
    write_content(registry_content, {"articles/2022/hop-le.md": GOOD})
    return registry_content


def add_errors(content: Path) -> tuple[Path, Path]:
    bad = content / "articles" / "2022" / "loi,ngay.md"  # a comma in the name: annotation properties escape it
    bad.write_text(BAD_DATE_UNIT, encoding="utf-8")
    missing = content / "articles" / "2022" / "thieu-don-vi.md"
    missing.write_text(NO_UNITS, encoding="utf-8")
    return bad, missing


def test_valid_content_exits_0(content):
    result = invoke("check", "--content", str(content))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Nội dung hợp lệ, không có lỗi."
    assert "::error" not in result.stdout


def test_every_error_is_reported_at_once_as_path_line_message(content):
    bad, missing = add_errors(content)
    result = invoke("check", "--content", str(content))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == "4 lỗi."
    assert lines[:-1] == sorted(lines[:-1])
    assert f'{bad}:3: ngày "31/02/2022" không có thật (ngày 31 tháng 02 năm 2022)' in lines
    assert any(line.startswith(f'{bad}:5: đơn vị "Huyen uy Hon Quang" không có trong') and "(huyen-uy-hon-quan)" in line for line in lines)
    assert any(line.startswith(f'{bad}:6: khóa "tacgia" không hợp lệ') for line in lines)
    assert f'{missing}:1: thiếu khóa bắt buộc "units" (ví dụ units: [huyen-uy-hon-quan])' in lines
    assert "Traceback" not in result.stderr


def test_github_actions_annotations(content):
    bad, missing = add_errors(content)
    result = invoke("check", "--content", str(content), env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    assert len(annotations) == 4
    shown_bad = str(bad).replace(",", "%2C").replace(":", "%3A")
    assert f'::error file={shown_bad},line=3::ngày "31/02/2022" không có thật (ngày 31 tháng 02 năm 2022)' in annotations
    assert f"::error file={missing},line=1::thiếu khóa bắt buộc \"units\" (ví dụ units: [huyen-uy-hon-quan])" in annotations
    # the human-readable lines still go to the error stream
    assert f"{bad}:3:" in result.stderr


def test_json_format(content):
    bad, missing = add_errors(content)
    result = invoke("check", "--content", str(content), "--format", "json")
    assert result.returncode == 1
    errors = json.loads(result.stdout)
    assert {(e["path"], e["line"]) for e in errors} == {(str(bad), 3), (str(bad), 5), (str(bad), 6), (str(missing), 1)}
    assert all(set(e) == {"path", "line", "message"} for e in errors)
    assert next(e["message"] for e in errors if e["line"] == 3) == 'ngày "31/02/2022" không có thật (ngày 31 tháng 02 năm 2022)'


def test_json_format_without_errors_is_an_empty_list(content):
    result = invoke("check", "--content", str(content), "--format", "json")
    assert result.returncode == 0
    assert json.loads(result.stdout) == []


def test_paths_limit_the_report(content):
    bad, missing = add_errors(content)
    good = content / "articles" / "2022" / "hop-le.md"
    only_good = invoke("check", "--content", str(content), "--paths", str(good))
    assert only_good.returncode == 0, only_good.stderr
    both = invoke("check", "--content", str(content), "--", str(good), str(missing))
    assert both.returncode == 1
    assert str(missing) in both.stderr and str(bad) not in both.stderr
    assert both.stderr.strip().splitlines()[-1] == "1 lỗi."
    draft = content / "articles" / "2022" / "nhap.md"
    draft.write_text('---\ntitle: "Bài đang viết dở"\nstatus: draft\n---\n\nNội dung.\n', encoding="utf-8")
    assert "nhap.md" not in invoke("check", "--content", str(content), str(good)).stdout  # warnings follow the paths too
    assert 'nhap.md:1: cảnh báo: bản nháp chưa có khóa "date"' in invoke("check", "--content", str(content), str(draft)).stdout


def test_a_path_that_does_not_exist_or_holds_no_article_fails(content, tmp_path):
    gone = invoke("check", "--content", str(content), "--paths", str(content / "articles" / "2022" / "khong-co.md"))
    assert gone.returncode == 1
    assert "khong-co.md:1: không tìm thấy tệp hoặc thư mục này" in gone.stderr
    outside = tmp_path / "ngoai.md"
    outside.write_text(GOOD, encoding="utf-8")
    elsewhere = invoke("check", "--content", str(content), "--paths", str(outside))
    assert elsewhere.returncode == 1
    assert "không có bài viết hay trang nào ở đây" in elsewhere.stderr


def test_broken_registry_is_reported_with_its_line(content):
    (content / "units.yml").write_text("- code: Tinh Uy\n  name: Tỉnh ủy\n", encoding="utf-8")
    result = invoke("check", "--content", str(content))
    assert result.returncode == 1
    assert f"{content / 'units.yml'}:1: mã đơn vị \"Tinh Uy\"" in result.stderr


@pytest.mark.parametrize(("name", "data", "says"), [
    ("articles/2022/bai.MD", GOOD.encode(), 'không phải .md — hãy đổi tên thành "bai.md"'),  # check read it, Pelican does not
    ("bai.md", GOOD.encode(), "articles/<năm>/"),
    ("articles/2022/bai.docx", b"PK\x03\x04", "invoke import"),
], ids=["extension-in-capitals", "outside-articles", "word-file"])
def test_a_file_the_build_would_skip_fails_the_check_alone_or_with_the_rest(content, name, data, says):
    stray = content / name
    stray.write_bytes(data)
    for given in ([], ["--paths", str(stray)]):
        result = invoke("check", "--content", str(content), *given)
        assert result.returncode == 1, result.stdout
        first, summary = result.stderr.strip().splitlines()
        assert first.startswith(f"{stray}:1: ") and says in first
        assert summary == "1 lỗi."
