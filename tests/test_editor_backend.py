"""The web editor's local backend (scripts/decap-backend.cjs): this machine only, content/ only, never mixing changes."""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, article, free_port, write_content
from pelican.plugins.bulletin import editor

ORIGIN = "http://127.0.0.1:8999"  # the editor page the backend answers (no server needs to run there)


def make_repository(folder: Path) -> Path:
    """A git repository holding a small content folder, committed."""
    write_content(folder / "content", {"articles/2022/co-san.md": article(title="Bài có sẵn")})
    (folder / "tasks.py").write_text("# not content\n", encoding="utf-8")
    for command in (["init", "-q", "-b", "main"], ["config", "user.name", "Kiểm thử"], ["config", "user.email", "kiem-thu@localhost"],
                    ["add", "-A"], ["commit", "-q", "-m", "Nội dung đầu"]):
        subprocess.run(["git", "-C", str(folder), *command], check=True)
    return folder


def listening_addresses(port: int) -> set[str]:
    """Return the local addresses (IPv4 and IPv6, as hex) that listen on a TCP port, read from /proc/net."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table, encoding="ascii") as handle:
            for line in handle.readlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                address, hex_port = local.split(":")
                if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                    found.add(address)
    return found


LOOPBACK = "0100007F"  # 127.0.0.1 as /proc/net/tcp writes it


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    """The launcher on a free port over a fresh repository; yields (base URL, repository, port)."""
    repo = make_repository(tmp_path_factory.mktemp("kho"))
    port = free_port()
    process = editor.start_backend(editor.find_repository(str(repo / "content")), port, ORIGIN)
    yield f"http://127.0.0.1:{port}/api/v1", repo, port
    editor.stop_backend(process)


def call(url: str, body: dict, host: str | None = None, origin: str = ORIGIN) -> tuple[int, dict]:
    """POST a JSON action; return the status and the JSON answer."""
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", "Origin": origin})
    if host:
        request.add_header("Host", host)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def persist(path: str, raw: str = "---\ntitle: \"x\"\n---\n\nx\n") -> dict:
    return {"action": "persistEntry", "params": {"branch": "main", "entry": {"slug": "x", "path": path, "raw": raw},
                                                   "assets": [], "options": {"commitMessage": "Viết bài", "useWorkflow": False, "status": "draft"}}}


def test_it_listens_on_the_loopback_interface_only(backend):
    _url, _repo, port = backend
    assert listening_addresses(port) == {LOOPBACK}


def test_decap_servers_own_entry_point_listens_everywhere(tmp_path):
    """Why the launcher exists: decap-server started as documented listens on every interface."""
    port = free_port()
    env = {**os.environ, "PORT": str(port), "MODE": "fs", "GIT_REPO_DIRECTORY": str(tmp_path)}
    env.pop("BIND_HOST", None)
    process = subprocess.Popen(["node", str(ROOT / "node_modules/decap-server/dist/index.js")], cwd=tmp_path, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert any("listening" in process.stdout.readline() for _ in range(5))
        assert listening_addresses(port) & {"00000000", "00000000000000000000000000000000"}, listening_addresses(port)
    finally:
        process.terminate()
        process.wait(10)


def test_requests_for_another_host_name_are_refused(backend):
    url, _repo, port = backend
    assert call(url, {"action": "info"})[0] == 200
    status, answer = call(url, {"action": "info"}, host=f"ban-tin.example.org:{port}")  # DNS rebinding
    assert status == 403 and "máy này" in answer["error"]


def test_other_pages_cannot_use_it(backend):
    url, _repo, _port = backend
    request = urllib.request.Request(url, method="OPTIONS", headers={
        "Origin": "http://127.0.0.1:9999", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers.get("Access-Control-Allow-Origin") in (None, ORIGIN)
        assert response.headers.get("Access-Control-Allow-Origin") != "http://127.0.0.1:9999"


@pytest.mark.parametrize("path", ["tasks.py", "content/../tasks.py", "../ngoai/bai.md", "/etc/bai.md", "noi-dung/bai.md",
                                  "content/articles/2022/..-..-bai.md", "content/.git/bai.md"])
def test_nothing_is_written_outside_the_content_folder(backend, path):
    url, repo, _port = backend
    status, answer = call(url, persist(path))
    assert status == 403 and "content/" in answer["error"]
    assert (repo / "tasks.py").read_text(encoding="utf-8") == "# not content\n"
    assert not (repo.parent / "ngoai").exists()


def test_a_photo_named_with_dots_stays_out_too(backend):
    url, repo, _port = backend
    data = base64.b64encode(b"\xff\xd8\xff\xd9").decode()
    status, _ = call(url, {"action": "persistMedia", "params": {
        "branch": "main", "asset": {"path": "content/images/../../anh.jpg", "content": data, "encoding": "base64"},
        "options": {"commitMessage": "Tải ảnh"}}})
    assert status == 403 and not (repo / "anh.jpg").exists()


def test_it_refuses_to_write_while_changes_are_uncommitted(backend):
    url, repo, _port = backend
    stray = repo / "content" / "articles" / "2022" / "dang-viet.md"
    stray.write_text(article(title="Đang viết dở"), encoding="utf-8")
    try:
        status, answer = call(url, persist("content/articles/2022/moi.md"))
        assert status == 409 and "dang-viet.md" in answer["error"]
        assert not (repo / "content/articles/2022/moi.md").exists()
    finally:
        stray.unlink()
    status, answer = call(url, persist("content/articles/2022/moi.md"))
    assert status == 200, answer
    log = subprocess.run(["git", "-C", str(repo), "log", "--format=%s", "-1", "--", "content/articles/2022/moi.md"],
                         capture_output=True, text=True, check=True).stdout
    assert log.strip() == "Viết bài"


def run_edit(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).parent / "invoke"), "edit", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_edit_needs_a_git_repository(tmp_path):
    write_content(tmp_path / "content", {})
    result = run_edit("--content", str(tmp_path / "content"), "--port", str(free_port()), "--output", str(tmp_path / "xem"))
    assert result.returncode == 1
    assert "không nằm trong một kho git" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "xem").exists()


def test_edit_needs_a_first_commit(tmp_path):
    write_content(tmp_path / "content", {})
    subprocess.run(["git", "-C", str(tmp_path), "init", "-q", "-b", "main"], check=True)
    result = run_edit("--content", str(tmp_path / "content"), "--port", str(free_port()), "--output", str(tmp_path / "xem"))
    assert result.returncode == 1 and "chưa có lần lưu (commit) nào" in result.stderr


def test_edit_refuses_a_cms_branch(tmp_path):
    repo = make_repository(tmp_path / "kho")
    subprocess.run(["git", "-C", str(repo), "switch", "-q", "-c", "cms/articles/2022/bai"], check=True)
    result = run_edit("--content", str(repo / "content"), "--port", str(free_port()), "--output", str(tmp_path / "xem"))
    assert result.returncode == 1 and "git switch main" in result.stderr


@pytest.mark.parametrize("how", ["ctrl-c", "killed"])
def test_stopping_the_editor_stops_the_backend(tmp_path, how):
    """Ctrl-C (SIGINT to the terminal's foreground processes) stops both; so does the editor dying any other way."""
    repo = make_repository(tmp_path / "kho")
    port = free_port()
    process = subprocess.Popen([str(Path(sys.executable).parent / "invoke"), "edit", "--content", str(repo / "content"),
                                "--port", str(port), "--output", str(tmp_path / "xem")], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    lines = []
    try:
        for line in process.stdout:
            lines.append(line)
            if "Trình soạn thảo trên web:" in line:
                break
        assert f"http://127.0.0.1:{port}/quan-tri/" in lines[-1], lines
        config = json.loads((tmp_path / "xem" / "quan-tri" / "config.json").read_text(encoding="utf-8"))
        backend = int(config["decap"]["backend"]["proxy_url"].split(":")[2].split("/")[0])
        assert listening_addresses(port) == {LOOPBACK} and listening_addresses(backend) == {LOOPBACK}
        if how == "ctrl-c":
            os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C sends to the terminal's foreground processes
            assert process.wait(30) == 0
            assert "Traceback" not in process.stdout.read()
        else:
            process.kill()  # the editor alone, with no chance to clean up
            process.wait(30)
        end = time.monotonic() + 30
        while listening_addresses(backend) and time.monotonic() < end:
            time.sleep(0.1)
        assert listening_addresses(port) == set() and listening_addresses(backend) == set()
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)


def test_the_previews_build_into_their_own_ignored_folder():
    """livereload and edit show scheduled articles: they never build into output/, the folder that is published."""
    import inspect

    import tasks

    for task in (tasks.livereload, tasks.edit):
        assert inspect.signature(task.body).parameters["output"].default == tasks.PREVIEW != tasks.OUTPUT
    for path in (f"{tasks.PREVIEW}/2027/index.html", f".{tasks.PREVIEW}.tmp-abc/index.html"):  # built, being built
        assert subprocess.run(["git", "-C", str(ROOT), "check-ignore", "-q", path], check=False).returncode == 0, path
