"""The web editor end to end: the real Decap CMS and its local git backend (invoke edit) on a copy of the sample
content in a temporary git repository, driven in Chromium as an office editor would use it.

Set BULLETIN_SCREENSHOTS to a folder to keep the screenshots the editor's guide shows (invoke screenshots does).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import unicodedata
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from playwright.sync_api import expect

from conftest import ROOT, free_port
from pelican.plugins.bulletin import check as checker
from pelican.plugins.bulletin.dates import DateError, parse_date
from pelican.plugins.bulletin.terms import TermError, parse_term
from pelican.plugins.bulletin.text import lookup_key

pytestmark = pytest.mark.browser

VN = ZoneInfo("Asia/Ho_Chi_Minh")
EXISTING = "content/articles/2024/thi-tran-loc-ninh-dan-van-kheo.md"  # alias units, a quoted title, an ISO date
UNKNOWN_UNIT = "content/articles/2022/don-vi-go-sai.md"
# Proper names that are not English words an editor should not see.
NAMES = {"github", "gitlab", "gitea", "forgejo", "bitbucket", "azure", "netlify", "markdown", "decap"}


@dataclass
class Editor:
    """A running `invoke edit` over a temporary repository."""

    base: str
    repo: Path
    process: subprocess.Popen
    log: list[str] = field(default_factory=list)

    def git(self, *args: str) -> str:
        return subprocess.run(["git", "-C", str(self.repo), *args], capture_output=True, text=True, check=True).stdout

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.base + path, timeout=10) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, ""


def make_repository(root: Path) -> Path:
    """Copy the sample content into a new git repository (the editor never touches the real content/)."""
    repo = root / "kho"
    shutil.copytree(ROOT / "content", repo / "content")
    for command in (["init", "-q", "-b", "main"], ["config", "user.name", "Kiểm thử"], ["config", "user.email", "kiem-thu@localhost"],
                    ["add", "-A"], ["commit", "-q", "-m", "Nội dung mẫu"]):
        subprocess.run(["git", "-C", str(repo), *command], check=True)
    return repo


def start_editor(repo: Path, output: Path) -> Editor:
    """Run `invoke edit` on a free port; return once it printed the editor's address."""
    port = free_port()
    process = subprocess.Popen([str(Path(sys.executable).parent / "invoke"), "edit", "--content", str(repo / "content"),
                                "--port", str(port), "--output", str(output)], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    editor = Editor(f"http://127.0.0.1:{port}", repo, process)
    ready = threading.Event()

    def read():
        for line in process.stdout:
            editor.log.append(line.rstrip())
            if "Trình soạn thảo trên web:" in line:
                ready.set()
        ready.set()

    threading.Thread(target=read, daemon=True).start()
    assert ready.wait(180) and process.poll() is None, "\n".join(editor.log)
    assert f"{editor.base}/quan-tri/" in editor.log[-1]
    return editor


def stop_editor(editor: Editor) -> None:
    """Stop it as Ctrl-C does."""
    import signal

    if editor.process.poll() is None:
        os.killpg(editor.process.pid, signal.SIGINT)
        try:
            editor.process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(editor.process.pid, signal.SIGKILL)
            editor.process.wait()


@pytest.fixture(scope="module")
def editor(tmp_path_factory):
    root = tmp_path_factory.mktemp("bien-tap")
    running = start_editor(make_repository(root), root / "xem-truoc")
    yield running
    stop_editor(running)


class Screens:
    """Screenshots: into BULLETIN_SCREENSHOTS (the guide's images, kept small) or a temporary folder."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def take(self, page, name: str, **options) -> None:
        path = self.folder / f"{name}.png"
        page.screenshot(path=str(path), **options)
        if os.environ.get("BULLETIN_SCREENSHOTS"):
            from PIL import Image

            with Image.open(path) as image:
                small = image.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
                small.save(path, optimize=True)


@pytest.fixture(scope="module")
def session(browser, editor, tmp_path_factory):
    """One logged-in editor's tab, in Việt Nam time, recording every request and every policy violation."""
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    context.add_init_script("window.__violations = []; document.addEventListener('securitypolicyviolation', "
                            "e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));")
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    shots = Screens(Path(os.environ.get("BULLETIN_SCREENSHOTS") or tmp_path_factory.mktemp("anh-man-hinh")))
    page.goto(editor.base + "/quan-tri/")
    page.get_by_role("button", name="Đăng nhập").wait_for()
    shots.take(page, "dang-nhap")
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("link", name="Bài viết").first.wait_for()
    yield page, requests, shots
    context.close()


# ---------------------------------------------------------------- typing Vietnamese


def progression(word: str) -> list[str]:
    """What a Telex user sees while typing a word: plain letters one by one, then the letter marks, then the tone."""
    decomposed = unicodedata.normalize("NFD", word)
    tones = "\u0300\u0309\u0303\u0301\u0323"
    marked = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
    plain = unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c))).replace("đ", "d").replace("Đ", "D")
    steps = [plain[:i] for i in range(1, len(plain) + 1)] + [marked, unicodedata.normalize("NFC", word)]
    return [s for i, s in enumerate(steps) if i == 0 or s != steps[i - 1]]


def type_composed(page, cdp, text: str) -> None:
    """Type as an input method with composition does (Windows' Vietnamese keyboard): the word is composed, then committed."""
    for index, word in enumerate(text.split(" ")):
        if index:
            cdp.send("Input.insertText", {"text": " "})
        for step in progression(word):
            cdp.send("Input.imeSetComposition", {"text": step, "selectionStart": len(step), "selectionEnd": len(step)})
        cdp.send("Input.insertText", {"text": unicodedata.normalize("NFC", word)})


def type_unikey(page, text: str) -> None:
    """Type as Unikey does: each key's letter goes in, and a mark key sends backspaces and the word's new letters."""
    for index, word in enumerate(text.split(" ")):
        if index:
            page.keyboard.insert_text(" ")
        shown = ""
        for step in progression(word):
            common = next((i for i, (a, b) in enumerate(zip(shown, step, strict=False)) if a != b), min(len(shown), len(step)))
            for _ in range(len(shown) - common):
                page.keyboard.press("Backspace")
            for letter in step[common:]:
                page.keyboard.insert_text(letter)
            shown = step


COMPOSED = "Đảng ủy xã Tân Khai tổ chức hội nghị quán triệt nghị quyết"
UNIKEY = "Việt Nam: đồng chí Bí thư nhấn mạnh phải làm tốt công tác cán bộ."


# ---------------------------------------------------------------- the editor's own rules match the build's


def test_decap_has_no_string_without_a_vietnamese_translation(session):
    page, _requests, _shots = session
    missing = page.evaluate("""() => {
        const keys = (o, p = '') => Object.entries(o).flatMap(([k, v]) => typeof v === 'object' ? keys(v, p + k + '.') : [p + k]);
        const ours = new Set(keys(window.BULLETIN_LOCALE_VI));
        return keys(CMS.getLocale('en')).filter(k => !ours.has(k));
    }""")
    assert missing == []


DATES = ["13/04/2022 08:30", "13/04/2022", "1/1/2023 00:30", "01.01.2023 06:59", "31/12/2022 23:59", "2022-04-13 08:30",
         "2023-01-01T00:30:00+07:00", "2022-12-31T17:30:00Z", "04/04/2022 8h30", "31/04/2022", "12/31/2022", "04/04/22",
         "04/04/2202", "hôm qua", "2022-02-29"]


def test_dates_are_read_as_the_build_reads_them(session):
    page, _requests, _shots = session
    for text in DATES:
        read = page.evaluate("t => window.BULLETIN_EDITOR.readDate(t)", text)
        try:
            moment = parse_date(text, VN)
        except DateError:
            assert "error" in read and "iso" not in read, (text, read)
            continue
        expected = moment.strftime("%Y-%m-%d") + ("" if re.fullmatch(r"[\d/.-]+", text) else moment.strftime(" %H:%M"))
        assert read.get("iso") == expected, (text, read)
        assert parse_date(read["iso"], VN) == moment  # what the form keeps means the same moment to the build


def test_terms_and_unit_names_are_read_as_the_build_reads_them(session):
    page, _requests, _shots = session
    for text in ["2020-2025", "2020 – 2025", "nhiệm kỳ 2025–2030", "NK 2026-2031", "2025", "2025-2020", "2020-25"]:
        read = page.evaluate("t => window.BULLETIN_EDITOR.readTerm(t)", text)
        try:
            assert read.get("code") == parse_term(text).code, text
        except TermError:
            assert "error" in read, (text, read)
    for name in ["Huyện uỷ Lộc Ninh", "Hòa Bình", "hoà bình", "Thuỷ", "quả", "Hoàng", "khuỷu", "ĐU  xã  Tân Khai", "Ðảng ủy"]:
        assert page.evaluate("t => window.BULLETIN_EDITOR.lookupKey(t)", name) == lookup_key(name), name


# ---------------------------------------------------------------- write, approve, publish


def field_input(page, label: str):
    return page.get_by_label(label, exact=True)


def choose(page, button: str, item: str) -> None:
    """Open a toolbar menu and pick an item."""
    page.get_by_role("button", name=button, exact=True).click()
    page.get_by_role("menuitem", name=item).click()


def visit(page, editor: Editor, address: str) -> None:
    """Open a screen of the editor afresh (going from one entry to another by address alone keeps the first's form)."""
    page.goto("about:blank")
    page.goto(editor.base + "/quan-tri/" + address)


def open_new_article(page, editor: Editor) -> None:
    """Open an empty article form from the list, as an editor does."""
    visit(page, editor, "#/collections/articles")
    page.get_by_role("link", name="Viết bài mới").click()
    page.locator("iframe").first.content_frame.get_by_text("Chưa có tiêu đề").wait_for()


def wait_git(editor: Editor, condition, what: str) -> None:
    """Wait until the repository shows what the editor's last action did (toasts of earlier actions may still show)
    and the backend is done with it (it works on a draft's branch, then returns to the published one)."""
    done = lambda: condition() and editor.git("rev-parse", "--abbrev-ref", "HEAD").strip() == "main"  # noqa: E731
    assert wait_for(done), f"{what}\n" + "\n".join(editor.log[-20:])


def workflow_status(editor: Editor, branch: str) -> str:
    """The approval step decap-server keeps for a draft's branch."""
    return subprocess.run(["git", "-C", str(editor.repo), "config", f"branch.{branch}.description"], capture_output=True,
                          text=True).stdout.strip()


def leave_editor(page, editor: Editor) -> None:
    """Close the editor's page and wait for the backend to be back on the published branch (decap-server switches the
    working tree to a draft's branch to read it), before the test itself touches the repository."""
    page.goto("about:blank")
    on_main = lambda: editor.git("rev-parse", "--abbrev-ref", "HEAD").strip() == "main"  # noqa: E731
    settled = []  # a request the page sent just before it closed may still switch branches: wait for a quiet spell

    def quiet() -> bool:
        settled.append(on_main())
        return len(settled) >= 6 and all(settled[-6:])

    assert wait_for(quiet)


def has_branch(editor: Editor, branch: str) -> bool:
    return branch in editor.git("branch", "--list", "cms/*").split()


def test_write_photo_approve_and_publish_a_new_article(session, editor):
    page, _requests, shots = session
    cdp = page.context.new_cdp_session(page)
    open_new_article(page, editor)
    title = field_input(page, "Tiêu đề")
    title.click()
    type_composed(page, cdp, "Hội nghị Đảng ủy xã Tân Khai")
    page.keyboard.insert_text(" ")
    type_unikey(page, "quán triệt nghị quyết")
    wanted_title = "Hội nghị Đảng ủy xã Tân Khai quán triệt nghị quyết"
    assert title.input_value() == wanted_title
    date = field_input(page, "Ngày đăng")
    date.fill("13/04/2022 08:30")
    assert page.get_by_text("Đăng lúc: Thứ Tư, 13/04/2022, 08:30").is_visible()
    units = page.locator(".bt-units")
    units.locator("input[type=search]").fill("tan khai")  # no marks, đ typed as d
    units.get_by_label(re.compile("^Đảng ủy xã Tân Khai")).check()
    units.locator("input[type=search]").fill("")
    units.get_by_label(re.compile("^Huyện ủy Hớn Quản")).check()
    terms = page.locator(".bt-chips").first
    terms.locator("input").fill("2025")
    terms.get_by_role("button", name="Thêm").click()
    assert terms.get_by_role("alert").inner_text().startswith("Nhiệm kỳ “2025” chưa đúng dạng")
    terms.locator("input").fill("nhiệm kỳ 2020 - 2025")
    terms.get_by_role("button", name="Thêm").click()
    assert terms.locator(".bt-chip").all_inner_texts() == ["2020–2025\n×"]
    body = page.locator(".bt-markdown textarea")
    body.click()
    type_composed(page, cdp, COMPOSED)
    page.keyboard.insert_text(".\n\n")
    type_unikey(page, UNIKEY)
    assert body.input_value() == COMPOSED + ".\n\n" + UNIKEY
    # A photo with a caption, from the toolbar; its file name tries to climb out of the content folder.
    page.get_by_role("button", name="Ảnh có chú thích").click()
    page.locator("input[type=file]").set_input_files(files=[{"name": "../../Hội trường.jpg", "mimeType": "image/jpeg",
                                                             "buffer": jpeg_bytes()}])
    page.get_by_role("button", name="Dùng ảnh đã chọn").click()
    page.get_by_label("Chú thích dưới ảnh").fill("Quang cảnh hội nghị.")
    shots.take(page, "chen-anh")
    page.get_by_role("button", name="Chèn ảnh vào bài").click()
    assert re.search(r'!\[Quang cảnh hội nghị\.\]\(images/2022/[a-z0-9-]+\.jpg "Quang cảnh hội nghị\."\)', body.input_value())
    preview = page.locator("iframe").first.content_frame
    preview.get_by_text("Thứ Tư, 13/04/2022, 08:30").wait_for()  # the date in Vietnamese, as the article page shows it
    figure = preview.locator(".article-body figure")  # the photo as the site shows it: a figure with its caption
    expect(figure.locator("figcaption")).to_have_text("Quang cảnh hội nghị.")
    assert figure.locator("img").evaluate("img => img.complete && img.naturalWidth") == 64
    assert preview.locator(".article-meta").inner_text().split("\n")[3] == "Đảng ủy xã Tân Khai, Huyện ủy Hớn Quản"
    shots.take(page, "noi-dung")
    title.scroll_into_view_if_needed()
    shots.take(page, "viet-bai")
    slug = "hoi-nghi-dang-uy-xa-tan-khai-quan-triet-nghi-quyet"
    branch = f"cms/articles/2022/{slug}"
    page.get_by_role("button", name="Lưu", exact=True).click()
    wait_git(editor, lambda: workflow_status(editor, branch) == "decap-cms/draft", "saved as a draft")
    path = editor.repo / f"content/articles/2022/{slug}.md"
    assert not path.exists()  # a draft lives on its branch, not on the published one
    choose(page, "Bước duyệt: Bản nháp", "Chờ duyệt")
    wait_git(editor, lambda: workflow_status(editor, branch) == "decap-cms/pending_review", "sent for approval")
    visit(page, editor, "#/workflow")
    page.get_by_text(wanted_title).first.wait_for()
    shots.take(page, "duyet-bai")
    page.get_by_text(wanted_title).first.click()
    choose(page, "Bước duyệt: Chờ duyệt", "Sẵn sàng")
    wait_git(editor, lambda: workflow_status(editor, branch) == "decap-cms/pending_publish", "approved")
    assert not path.exists()  # approved is not yet published
    choose(page, "Đăng", "Đăng ngay")
    wait_git(editor, lambda: path.is_file() and not has_branch(editor, branch), "published")
    # Published: the file is on the main branch, where the article's year says, and passes the build's checks.
    assert path.is_file()
    assert editor.git("status", "--porcelain") == ""
    text = path.read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---")[1])
    assert meta["title"] == wanted_title
    assert meta["date"] == "2022-04-13 08:30"
    assert meta["units"] == ["dang-uy-xa-tan-khai", "huyen-uy-hon-quan"]
    assert meta["terms"] == ["2020-2025"] and meta["status"] == "published"
    assert not {"author", "tags", "image", "slug"} & meta.keys()  # empty fields are left out, not written empty
    body_text = text.split("---", 2)[2]
    assert COMPOSED + ".\n\n" + UNIKEY in body_text
    photo = re.search(r"\]\((images/2022/[a-z0-9-]+\.jpg)", body_text).group(1)
    assert re.fullmatch(r"images/2022/hoi-truong-[0-9a-z]+\.jpg", photo) and (editor.repo / "content" / photo).is_file()
    assert not list(editor.repo.parent.glob("*.jpg")) and not list((editor.repo / "content").glob("*.jpg"))
    assert checker.check_content(str(ROOT / "pelicanconf.py"), str(editor.repo / "content"), []) == []
    assert wait_for(lambda: wanted_title in editor.get(f"/2022/04/{slug}/")[1]), "\n".join(editor.log[-20:])


def jpeg_bytes(colour: tuple[int, int, int] = (180, 30, 30)) -> bytes:
    """A small real JPEG."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def test_two_photos_of_one_name_never_replace_each_other(session, editor, tmp_path):
    """Phones reuse file names: two different IMG_0001.JPG picked for articles of one year are two files (the second
    replaced the first article's photo when it was published); the same file picked again is asked about in Vietnamese."""
    page, _requests, _shots = session
    asked = []

    def record(dialog):  # the session's own handler accepts it
        asked.append(dialog.message)

    page.on("dialog", record)
    first, second = tmp_path / "a" / "IMG_0001.JPG", tmp_path / "b" / "IMG_0001.JPG"
    for path, colour, moment in ((first, (200, 30, 30), 1_700_000_000), (second, (30, 30, 200), 1_700_086_400)):
        path.parent.mkdir()
        path.write_bytes(jpeg_bytes(colour))
        os.utime(path, (moment, moment))
    try:
        open_new_article(page, editor)
        field_input(page, "Ngày đăng").fill("15/06/2022 09:00")
        page.get_by_role("button", name="Chọn ảnh").click()
        library = page.locator("input[type=file]")
        names = page.get_by_text(re.compile(r"^img-0001-[0-9a-z]+\.jpg$"))
        library.set_input_files(str(first))
        expect(names).to_have_count(1)
        library.set_input_files(str(second))
        expect(names).to_have_count(2)
        assert asked == []  # two names: nothing to replace
        library.set_input_files(str(first))  # the same photo again: Decap asks before replacing it, in Vietnamese
        expect(names).to_have_count(2)
        assert wait_for(lambda: asked, 10)
        assert re.fullmatch(r"Đã có ảnh “img-0001-[0-9a-z]+\.jpg”\. Thay ảnh đó bằng ảnh vừa chọn\?", asked[0]), asked
    finally:
        page.remove_listener("dialog", record)
        visit(page, editor, "#/collections/articles")


def wait_for(condition, seconds: float = 60) -> bool:
    """Poll a condition (a rebuild is asynchronous; no time is asserted)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_an_article_of_the_first_hours_of_new_year_lands_in_its_year(session, editor):
    """In Việt Nam, 00:30 on 1 January 2023 is still 2022 in UTC: Decap's {{year}} would file it under 2022."""
    page, _requests, _shots = session
    open_new_article(page, editor)
    slug = page.locator("input[id^='slug-field']")
    slug.fill("../tasks")
    page.get_by_role("button", name="Lưu", exact=True).click()  # the form checks what it can before saving
    expect(page.get_by_text("Cần điền “Tiêu đề”.")).to_be_visible()
    expect(page.get_by_text("“Địa chỉ bài (slug)” chưa đúng dạng.")).to_be_visible()
    slug.click()  # Decap's text box puts the caret back after each update: clear it key by key, as a person does
    page.keyboard.press("End")
    for _ in "../tasks":
        page.keyboard.press("Backspace")
    expect(slug).to_have_value("")
    field_input(page, "Tiêu đề").fill("Chúc mừng năm mới")
    field_input(page, "Ngày đăng").fill("01/01/2023 00:30")
    page.locator(".bt-units").get_by_label(re.compile("^Tỉnh ủy Bình Phước")).check()
    page.locator(".bt-markdown textarea").fill("Lời chúc đầu năm.")
    page.get_by_role("button", name="Lưu", exact=True).click()
    wait_git(editor, lambda: has_branch(editor, "cms/articles/2023/chuc-mung-nam-moi"), "saved in its year")
    saved = editor.git("show", "cms/articles/2023/chuc-mung-nam-moi:content/articles/2023/chuc-mung-nam-moi.md")
    assert 'date: "2023-01-01 00:30"' in saved


def front(text: str) -> tuple[dict, str]:
    _, head, body = text.split("---", 2)
    return yaml.safe_load(head), body.strip()


def test_editing_a_sample_article_changes_nothing_else(session, editor):
    page, _requests, _shots = session
    before = (editor.repo / EXISTING).read_text(encoding="utf-8")
    slug = EXISTING.removeprefix("content/articles/").removesuffix(".md")
    visit(page, editor, f"#/collections/articles/entries/{slug}")
    expect(field_input(page, "Tiêu đề")).to_have_value(front(before)[0]["title"])
    body = page.locator(".bt-markdown textarea")
    assert page.locator(".bt-units .bt-chip").all_inner_texts()[0].startswith("Đảng ủy thị trấn Lộc Ninh (đơn vị chính)")
    assert not page.locator(".bt-units .bt-unknown").count()  # "Huyện uỷ Lộc Ninh" is Huyện ủy Lộc Ninh
    body.press("Control+End")
    page.keyboard.insert_text("\n\nĐoạn bổ sung sau hội nghị.")
    page.get_by_role("button", name="Lưu", exact=True).click()
    wait_git(editor, lambda: has_branch(editor, f"cms/articles/{slug}"), "saved")
    after = editor.git("show", f"cms/articles/{slug}:{EXISTING}")
    (meta_before, body_before), (meta_after, body_after) = front(before), front(after)
    assert meta_after == meta_before  # the same keys and values: the title's quotes, the units' aliases, the date as written
    assert body_after == body_before + "\n\nĐoạn bổ sung sau hội nghị."
    assert editor.git("show", f"main:{EXISTING}") == before  # published only once approved


def preview_errors(editor: Editor) -> list[str]:
    """The errors the live preview's pages show (its status answer)."""
    return json.loads(editor.get("/__xem-truoc/trang-thai?sau=-1")[1])["errors"]


def test_what_the_form_cannot_check_is_shown_in_the_preview(session, editor):
    """A unit that is not (or no longer) in the registry: the strict build stops, the editor still opens the article and
    its preview pane names the field; a pasted script is named too, and never runs."""
    page, _requests, shots = session
    leave_editor(page, editor)
    (editor.repo / UNKNOWN_UNIT).write_text(
        '---\ntitle: "Bài ghi đơn vị chưa có trong danh mục"\ndate: "15/04/2022"\nunits:\n  - "Huyen uy Hon Quan"\n'
        "---\n\nBài mẫu cho phần kiểm tra trong ô xem trước.\n", encoding="utf-8")
    editor.git("add", "-A")
    editor.git("commit", "-q", "-m", "Bài có đơn vị gõ sai")
    try:
        assert editor.git("branch", "--show-current").strip() == "main"
        assert wait_for(lambda: any(UNKNOWN_UNIT + ":5: đơn vị \"Huyen uy Hon Quan\"" in e for e in preview_errors(editor))), \
            (preview_errors(editor), editor.log[-10:])
        slug = UNKNOWN_UNIT.removeprefix("content/articles/").removesuffix(".md")
        visit(page, editor, f"#/collections/articles/entries/{slug}")
        preview = page.locator("iframe").first.content_frame
        check = preview.locator(".bt-check")
        check.wait_for()
        assert "Đơn vị: đơn vị \"Huyen uy Hon Quan\" không có trong content/units.yml" in check.inner_text()
        assert "Huyện ủy Hớn Quản" in check.inner_text()  # with the build's suggestion
        assert page.locator(".bt-units .bt-unknown").inner_text().startswith("Huyen uy Hon Quan")
        body = page.locator(".bt-markdown textarea")
        body.press("Control+End")
        page.keyboard.insert_text("\n\n<script>alert('x')</script>")
        preview.get_by_text(re.compile("Nội dung: đã xóa thẻ <script>")).wait_for()
        shots.take(page, "loi-trong-xem-truoc")
        assert preview.locator("script").count() == 0  # the pasted script never runs in the preview either
    finally:
        leave_editor(page, editor)
        editor.git("rm", "-q", UNKNOWN_UNIT)
        editor.git("commit", "-q", "-m", "Bỏ bài có đơn vị gõ sai")
    assert wait_for(lambda: preview_errors(editor) == [])


def test_a_refused_save_says_why_in_vietnamese(session, editor):
    """Someone changed a file on the machine without committing it: the backend refuses to write, the editor says why."""
    page, _requests, _shots = session
    leave_editor(page, editor)
    stray = editor.repo / "content" / "ghi-chu.txt"
    stray.write_text("ghi chú chưa lưu\n", encoding="utf-8")
    try:
        open_new_article(page, editor)
        field_input(page, "Tiêu đề").fill("Bài chưa lưu được")
        page.locator(".bt-units").get_by_label(re.compile("^Tỉnh ủy Bình Phước")).check()
        page.locator(".bt-markdown textarea").fill("Nội dung.")
        page.get_by_role("button", name="Lưu", exact=True).click()
        notice = page.locator(".Toastify").get_by_text(re.compile("^Không lưu được bài:"))
        expect(notice).to_have_text(re.compile(r"^Không lưu được bài: Kho bài có thay đổi chưa lưu vào git \(content/ghi-chu\.txt\)"))
        assert "bai-chua-luu-duoc" not in editor.git("branch", "--list", "cms/*")
    finally:
        stray.unlink()


# ---------------------------------------------------------------- Vietnamese everywhere, nothing from elsewhere


def english_words(page) -> set[str]:
    """Words of Decap's English interface (its own "en" strings), without the proper names above."""
    words = page.evaluate("""() => {
        const values = o => Object.values(o).flatMap(v => typeof v === 'object' ? values(v) : [v]);
        return values(CMS.getLocale('en')).join(' ').match(/[A-Za-z]{3,}/g);
    }""")
    return {w.lower() for w in words} - NAMES


def visible_text(page) -> str:
    """The text on screen, with placeholders, titles and labels, in the page and its preview frame."""
    script = """() => {
        const parts = [document.body.innerText];
        for (const el of document.querySelectorAll('[placeholder], [title], [aria-label], img[alt]')) {
            if (el.offsetParent !== null) parts.push(el.getAttribute('placeholder') || '', el.getAttribute('title') || '',
                                                     el.getAttribute('aria-label') || '', el.getAttribute('alt') || '');
        }
        return parts.join('\\n');
    }"""
    texts = [page.evaluate(script)]
    for frame in page.frames[1:]:
        with contextlib.suppress(Exception):  # a frame that went away meanwhile
            texts.append(frame.evaluate(script))
    return "\n".join(texts)


def test_no_english_on_any_screen(session, editor):
    page, _requests, shots = session
    english = english_words(page)
    found = {}
    screens = [("danh-sach", "#/collections/articles"), ("bai-moi", "#/collections/articles/new"), ("duyet", "#/workflow"),
               ("trang-tinh", "#/collections/pages"), ("anh", "#/media"), ("sua-bai", "#/collections/articles/entries/2022/hoi-nghi-cot-can-lay-phieu-quy-hoach")]
    for name, address in screens:
        visit(page, editor, address)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)
        if name == "danh-sach":
            shots.take(page, "danh-sach-bai")
        words = {w.lower() for w in re.findall(r"(?<![\w@./-])[A-Za-z]{3,}(?![\w@./-])", visible_text(page))}
        if words & english:
            found[name] = sorted(words & english)
    open_new_article(page, editor)
    page.get_by_role("button", name="Chọn ảnh").click()  # the photo library
    page.get_by_role("button", name="Tải ảnh lên").wait_for()
    words = {w.lower() for w in re.findall(r"(?<![\w@./-])[A-Za-z]{3,}(?![\w@./-])", visible_text(page))}
    if words & english:
        found["thu-vien-anh"] = sorted(words & english)
    assert found == {}


def test_nothing_left_this_machine_and_no_policy_was_broken(session, editor):
    page, requests, _shots = session
    assert len(requests) > 50
    outside = [url for url in requests if not re.match(r"^(http://127\.0\.0\.1:\d+/|blob:http://127\.0\.0\.1:\d+/|data:)", url)]
    assert outside == []
    assert page.evaluate("window.__violations") == []
