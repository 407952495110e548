"""The real command line on broken content: every error as path:line: message, no traceback, exit 1, old site kept."""

import os
import re
import subprocess
import time

import pytest

from conftest import INVOKE, ROOT, article, run_invoke, snapshot, write_content
from pelican.plugins.bulletin.check import check_content

LINE = re.compile(r"^(?P<path>.+?\.(?:md|yml)):(?P<line>\d+): (?P<message>.+)$")
GOOD = {
    "articles/2022/hoi-nghi.md": article(title="Hội nghị cán bộ", date="04/04/2022", units=["dang-uy-xa-tan-khai"]),
    "articles/2021/tong-ket.md": article(title="Tổng kết năm", date="10/12/2021", units=["dang-uy-khoi"]),
}


def run(*args):
    """Run an invoke task from the repository root; return (exit code, stdout + stderr)."""
    result = run_invoke(*args)
    return result.returncode, result.stdout + result.stderr


def error_lines(output):
    """Return (path, line, message) for every path:line: message line of the output."""
    return [(m["path"], int(m["line"]), m["message"]) for m in map(LINE.match, output.splitlines()) if m]


@pytest.fixture
def good_site(tmp_path):
    """Build a good site into tmp_path/output with the CLI; return (content, output, snapshot)."""
    content, output = tmp_path / "content", tmp_path / "output"
    write_content(content, GOOD)
    code, out = run("build", "--content", str(content), "--output", str(output))
    assert code == 0, out
    assert (output / "2022" / "04" / "hoi-nghi" / "index.html").is_file()
    return content, output, snapshot(output)


def broken_build(good_site, files, remove=()):
    """Break the good content, build again; check the failure contract; return the error lines."""
    content, output, before = good_site
    write_content(content, files, units=None)
    for name in remove:
        (content / name).unlink()
    code, out = run("build", "--content", str(content), "--output", str(output))
    assert code != 0, out
    assert "Traceback" not in out and "lỗi nội bộ" not in out, out
    assert snapshot(output) == before, "the previous site changed"
    leftovers = [p.name for p in output.parent.iterdir() if p.name.startswith(".output")]
    assert leftovers == [], leftovers
    errors = error_lines(out)
    assert errors, out
    return errors, out


def messages_for(errors, name):
    return [(line, message) for path, line, message in errors if path.endswith(name)]


def test_several_errors_all_reported_and_old_site_kept(good_site):
    content = good_site[0]
    errors, out = broken_build(good_site, {
        "articles/2022/sai-ngay.md": article(title="Sai ngày", date="31/02/2022"),
        "articles/2022/sai-don-vi.md": article(title="Sai đơn vị", units=["Huyen uy Hon Quan"]),
        "articles/2022/sai-khoa.md": article(title="Sai khóa", athor="A"),
        "articles/2022/sai-yaml.md": '---\ntitle: "Hội nghị\ndate: 04/04/2022\nunits: [tinh-uy]\n---\nx\n',
        "articles/2022/thieu.md": "---\ntitle: Thiếu ngày\n---\nx\n",
        "articles/2022/nhiem-ky.md": article(title="Sai nhiệm kỳ", terms=["2025-2020"]),
    })
    for path, _line, _message in errors:
        assert path.startswith(str(content)), path
    assert messages_for(errors, "sai-ngay.md") == [(3, 'ngày "31/02/2022" không có thật (ngày 31 tháng 02 năm 2022)')]
    assert messages_for(errors, "sai-don-vi.md") == [
        (5, f'đơn vị "Huyen uy Hon Quan" không có trong {content}/units.yml — có phải "Huyện ủy Hớn Quản" (huyen-uy-hon-quan)?')]
    assert messages_for(errors, "sai-khoa.md") == [(6, 'khóa "athor" không hợp lệ — có phải "author"?')]
    assert [line for line, _ in messages_for(errors, "sai-yaml.md")] == [2]
    assert [m.split(" (")[0] for _, m in messages_for(errors, "thieu.md")] == ['thiếu khóa bắt buộc "date"',
                                                                               'thiếu khóa bắt buộc "units"']
    assert messages_for(errors, "nhiem-ky.md")[0][0] == 7
    assert len(errors) == 7
    assert "7 lỗi" in out


def test_duplicate_url_names_both_files(good_site):
    errors, _out = broken_build(good_site, {
        "articles/2022/Hội nghị.md": article(title="Một bài khác", date="20/04/2022"),
    })
    assert len(errors) == 1
    path, _line, message = errors[0]
    assert "/2022/04/hoi-nghi/" in message
    both = {os.path.basename(path), os.path.basename(message.split("trùng với ")[1].split(" — ")[0])}
    assert both == {"hoi-nghi.md", "Hội nghị.md"}


def test_slug_collision_in_the_same_month(good_site):
    errors, _out = broken_build(good_site, {"articles/2022/khac.md": article(title="Khác", date="30/04/2022", slug="hoi-nghi")})
    assert [(os.path.basename(p), line) for p, line, _ in errors] == [("khac.md", 6)]  # the line of its "slug"
    assert "hoi-nghi.md" in errors[0][2]


def test_same_slug_in_another_month_is_fine(good_site):
    content, output, _before = good_site
    write_content(content, {"articles/2022/khac.md": article(title="Khác", date="01/05/2022", slug="hoi-nghi")}, units=None)
    code, out = run("build", "--content", str(content), "--output", str(output))
    assert code == 0, out
    assert (output / "2022" / "05" / "hoi-nghi" / "index.html").is_file()


@pytest.mark.parametrize(("files", "name", "line", "words"), [
    ({"articles/2022/nhi-phan.md": b"\x00\x01\x02\x03"}, "nhi-phan.md", 1, "tệp nhị phân"),
    ({"articles/2022/latin.md": "---\ntitle: Hội\n".encode().replace("ộ".encode(), b"\xf4")}, "latin.md", 2, "UTF-8"),
    ({"articles/2022/rong.md": b""}, "rong.md", 1, "tệp rỗng"),
    ({"units.yml": "- code: tinh-uy\n  name: Tỉnh ủy\n  children: [\n"}, "units.yml", 3, "đóng"),
    ({"pages/gioi-thieu.md": "---\ntitle: Giới thiệu\nslug: don-vi\n---\nx\n"}, "gioi-thieu.md", 3, "/don-vi/"),  # at its slug
])
def test_unreadable_or_clashing_files(good_site, files, name, line, words):
    errors, _out = broken_build(good_site, files)
    found = messages_for(errors, name)
    assert found and found[0][0] == line and words in found[0][1], errors


def test_missing_registry(good_site):
    errors, _out = broken_build(good_site, {}, remove=["units.yml"])
    assert len(errors) == 1  # no cascade of "unknown unit" errors from every article
    assert messages_for(errors, "units.yml") == [(1, "không tìm thấy tệp danh sách đơn vị — hãy tạo tệp này (xem docs/huong-dan-bien-tap.md)")]


def test_draft_with_errors_still_fails(good_site):
    errors, _out = broken_build(good_site, {"articles/2022/nhap.md": article(date="31/02/2022", status="draft")})
    assert messages_for(errors, "nhap.md")[0][0] == 3


def test_check_reports_the_same_errors_without_building(tmp_path):
    content, output = tmp_path / "content", tmp_path / "output"
    write_content(content, {**GOOD, "articles/2022/sai.md": article(title="Sai", date="05/03/25", units=["Khong Co"])})
    build_code, build_out = run("build", "--content", str(content), "--output", str(output))
    check_code, check_out = run("check", "--content", str(content))
    assert (build_code, check_code) == (1, 1)
    assert not output.exists()
    assert "Traceback" not in check_out
    assert error_lines(check_out) == error_lines(build_out)
    assert [line for _, line, _ in error_lines(check_out)] == [3, 5]


def test_check_exits_zero_on_clean_content(tmp_path):
    content = tmp_path / "content"
    write_content(content, GOOD)
    code, out = run("check", "--content", str(content))
    assert code == 0, out
    assert error_lines(out) == []
    assert not (tmp_path / "output").exists()


def test_check_finds_duplicate_urls(tmp_path):
    content = tmp_path / "content"
    write_content(content, {**GOOD, "articles/2022/hoi_nghi.md": article(title="Bản sao", date="05/04/2022")})
    code, out = run("check", "--content", str(content))
    assert code == 1
    errors = error_lines(out)
    assert len(errors) == 1 and "/2022/04/hoi-nghi/" in errors[0][2]


def test_names_differing_only_by_tone_never_share_a_url(build_site):
    site = build_site({"articles/2022/Hùng.md": article(title="Ông Hùng", date="04/04/2022"),
                       "articles/2022/Hưng.md": article(title="Ông Hưng", date="05/04/2022")})
    assert not site.outcome.ok
    assert len(site.outcome.errors) == 1
    error = site.outcome.errors[0]
    assert "/2022/04/hung/" in error and "Hùng.md" in error and "Hưng.md" in error
    assert not site.output.exists()


@pytest.mark.parametrize("where", ["content", "content/articles", "parent", "project", "stranger"])
def test_output_folder_that_is_not_a_site_is_refused(tmp_path, where):
    content = tmp_path / "content"
    write_content(content, GOOD)
    stranger = tmp_path / "tai-lieu"
    stranger.mkdir()
    (stranger / "ghi-chu.txt").write_text("của biên tập viên", encoding="utf-8")
    output = {"content": content, "content/articles": content / "articles", "parent": tmp_path,
              "project": ROOT, "stranger": stranger}[where]
    before = snapshot(tmp_path) if where != "project" else None
    code, out = run("build", "--content", str(content), "--output", str(output))
    assert code == 1 and "Traceback" not in out
    assert "thư mục" in out
    if before is not None:
        assert snapshot(tmp_path) == before


def test_static_file_names_must_make_ascii_urls(build_site):
    svg = "<svg xmlns='http://www.w3.org/2000/svg'/>"
    site = build_site({"articles/2022/hoi-nghi.md": article(image="images/2022/ảnh hội nghị.svg", image_caption="Ảnh"),
                       "images/2022/ảnh hội nghị.svg": svg, "images/2022/Bieu_Do.PNG": b"\x89PNG\r\n\x1a\n" + bytes(8),
                       "images/ok-1.svg": svg})
    assert not site.outcome.ok
    assert not site.output.exists()
    assert len(site.outcome.errors) == 1, site.outcome.errors
    error = site.outcome.errors[0]
    assert error.split(":")[0].endswith("images/2022/ảnh hội nghị.svg") and ":1: " in error
    assert 'hãy đổi tên thành "images/2022/anh-hoi-nghi.svg"' in error
    assert [e.message for e in check_content(str(ROOT / "pelicanconf.py"), str(site.content), [])] == [error.split(":1: ")[1]]


def test_body_images_and_links_to_missing_files_are_errors(build_site):
    svg = "<svg xmlns='http://www.w3.org/2000/svg'/>"
    body = ("Đoạn mở đầu.\n\n![Quang cảnh](images/khong-co.svg \"Chú thích\")\n\n"
            "Xem [bài cũ]({filename}/articles/2021/khong-co.md), [trang]({filename}/pages/gioi-thieu.md) "
            "và [bài kia]({filename}../2021/cu.md#phan-2).\n\n![Có thật](/images/co.svg)\n")
    files = {"articles/2022/a.md": article(body=body), "articles/2021/cu.md": article(title="Cũ", date="01/01/2021"),
             "pages/gioi-thieu.md": "---\ntitle: Giới thiệu\n---\nx\n", "images/co.svg": svg}
    site = build_site(files)
    assert not site.outcome.ok
    found = [(e.split(":")[1], e.split(": ", 1)[1].split(" (")[0]) for e in site.outcome.errors]
    assert found == [("10", 'không tìm thấy tệp "images/khong-co.svg"'),
                     ("12", 'không tìm thấy bài "articles/2021/khong-co.md" mà bài này liên kết tới — đường dẫn tính từ thư mục của bài này')]
    assert not site.output.exists()
    checked = check_content(str(ROOT / "pelicanconf.py"), str(site.content), [])
    assert [(e.line, e.message.split(" (")[0]) for e in checked] == [(int(line), m) for line, m in found]


def test_links_to_image_folder_files_work_from_the_article_page(build_site):
    files = {"articles/2022/a.md": article(body="Tải [bản đồ](images/ban-do.svg) hoặc [trang ngoài](https://example.org/images/x.svg)."),
             "images/ban-do.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"}
    site = build_site(files)
    assert site.outcome.ok, site.outcome.errors
    hrefs = [a["href"] for a in site.html("2022/04/a/").select("main .article-body a")]
    assert hrefs == ["/images/ban-do.svg", "https://example.org/images/x.svg"]
    broken = build_site({"articles/2022/a.md": article(body="Tải [bản đồ](../images/mat.svg).")})
    assert [e.split(": ", 1)[1].split(" (")[0] for e in broken.outcome.errors] == ['không tìm thấy tệp "images/mat.svg"']


@pytest.mark.parametrize("task", ["build", "check"])
def test_missing_content_folder(tmp_path, task):
    args = ["--content", str(tmp_path / "khong-co")] + (["--output", str(tmp_path / "output")] if task == "build" else [])
    code, out = run(task, *args)
    assert code == 1
    assert "Traceback" not in out and "khong-co" in out and "thư mục nội dung" in out


def test_output_that_is_a_link_stays_a_link(tmp_path):
    content, web, output = tmp_path / "content", tmp_path / "www", tmp_path / "output"
    write_content(content, GOOD)
    web.mkdir()
    output.symlink_to(web, target_is_directory=True)
    for _ in range(2):  # the first build fills the empty folder, the second replaces a built site
        code, out = run("build", "--content", str(content), "--output", str(output))
        assert code == 0 and "Traceback" not in out, out
        assert output.is_symlink() and os.path.realpath(output) == str(web)
        assert (web / "2022" / "04" / "hoi-nghi" / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "output", "www"]
    # clean from the site's own folder (it also removes ./.cache, which must not be the repository's)
    result = run_invoke("-r", str(ROOT), "clean", "--output", str(output), cwd=tmp_path)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stdout + result.stderr
    assert output.is_symlink() and not web.exists() and (content / "units.yml").is_file()
    code, out = run("build", "--content", str(content), "--output", str(output))
    assert code == 0 and (web / "index.html").is_file(), out


def test_two_builds_into_one_folder_do_not_break_each_other(tmp_path):
    output = tmp_path / "output"
    command = [*INVOKE, "build", "--content", str(ROOT / "content"), "--output", str(output)]
    first = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    # start the second once the first is writing its temporary folder (which used to look stale to the second)
    while first.poll() is None and not any(p.name.startswith(".output.tmp-") for p in tmp_path.iterdir()):
        time.sleep(0.01)
    second = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    first_out = first.communicate(timeout=300)[0]
    assert (first.returncode, second.returncode) == (0, 0), first_out + second.stdout + second.stderr
    assert "Traceback" not in first_out + second.stderr
    assert (output / "index.html").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["output"]


def test_static_links_out_of_the_content_folder_are_refused(build_site, tmp_path):
    secret = tmp_path / "ngoai"
    secret.mkdir()
    (secret / "bi-mat.txt").write_text("BI-MAT", encoding="utf-8")
    site = build_site({"articles/2022/a.md": article(), "images/that.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"})
    assert site.outcome.ok
    (site.content / "images" / "lo.svg").symlink_to(secret / "bi-mat.txt")
    (site.content / "images" / "thu-muc").symlink_to(secret, target_is_directory=True)
    (site.content / "images" / "ben-trong.svg").symlink_to(site.content / "images" / "that.svg")  # inside: fine
    before = snapshot(site.output)
    again = build_site({})
    assert sorted(e.split(":1: ")[0].rsplit("/", 1)[1] for e in again.outcome.errors) == ["lo.svg", "thu-muc"]
    assert all("liên kết trỏ ra ngoài thư mục nội dung" in e for e in again.outcome.errors)
    assert snapshot(site.output) == before
    assert not any("BI-MAT" in p.read_text(errors="ignore") for p in site.output.rglob("*") if p.is_file())


def test_links_to_drafts_or_scheduled_articles_are_errors(build_site):
    body = "Xem [bài nháp]({filename}/articles/2022/nhap.md),\n\nvà [bài hẹn giờ]({filename}../2099/sau.md)."
    site = build_site({"articles/2022/a.md": article(body=body),
                       "articles/2022/nhap.md": article(title="Nháp", date="05/04/2022", status="draft"),
                       "articles/2099/sau.md": article(title="Sau", date="01/01/2099"),
                       "articles/2022/ok.md": article(title="Được", date="06/04/2022",
                                                      body="[bài đã đăng]({filename}/articles/2022/a.md)")})
    assert not site.outcome.ok
    found = sorted((int(e.split(":")[1]), e.split("\"")[1]) for e in site.outcome.errors)
    assert found == [(8, "articles/2022/nhap.md"), (10, "../2099/sau.md")]
    assert all("chưa đăng" in e for e in site.outcome.errors)
    checked = check_content(str(ROOT / "pelicanconf.py"), str(site.content), [])
    assert sorted((e.line, e.message.split('"')[1]) for e in checked) == found


def test_plain_links_to_markdown_files_become_article_addresses(build_site):
    body = ("Xem [bài trước](../2021/cu.md), [đoạn hai](/articles/2021/cu.md#phan-2) và [trang](../../pages/gioi-thieu.md).\n\n"
            "Và [bài không có](../2024/khong-co.md), [trang ngoài](https://example.org/bai.md).\n")
    files = {"articles/2022/a.md": article(body=body), "articles/2021/cu.md": article(title="Cũ", date="01/01/2021"),
             "pages/gioi-thieu.md": "---\ntitle: Giới thiệu\n---\nx\n"}
    site = build_site(files)
    assert [e.split(": ", 1)[1].split(" mà ")[0] for e in site.outcome.errors] == ['không tìm thấy bài "../2024/khong-co.md"']
    assert site.outcome.errors[0].split(":")[1] == "10"
    checked = check_content(str(ROOT / "pelicanconf.py"), str(site.content), [])
    assert [(e.line, e.message) for e in checked] == [(10, site.outcome.errors[0].split(": ", 1)[1])]
    files["articles/2022/a.md"] = article(body=body.replace("[bài không có](../2024/khong-co.md), ", ""))
    site = build_site(files)
    assert site.outcome.ok, site.outcome.errors
    hrefs = [a["href"] for a in site.html("2022/04/a/").select("main .article-body a")]
    assert hrefs == ["/2021/01/cu/", "/2021/01/cu/#phan-2", "/gioi-thieu/", "https://example.org/bai.md"]
