"""`invoke edit`: the live preview with the web editor at /quan-tri/ and its local git backend, on this machine only.

The backend is decap-server's git middleware started by scripts/decap-backend.cjs on 127.0.0.1 and a free port:
the editor's saves, approvals and publications are git branches and commits in the repository that holds the
content folder. What is published (merged into the current branch) lands in the content folder, and the preview
rebuilds as for any saved file. Ctrl-C stops the preview and the backend.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from http import HTTPStatus
from zoneinfo import ZoneInfo

from . import cms
from .registry import load_registry
from .schema import Context
from .serve import PreviewHandler, preview
from .settings import STATE_KEY

LAUNCHER = os.path.join(cms.PROJECT, "scripts", "decap-backend.cjs")
HOST = "127.0.0.1"
MAX_CHECK_BYTES = 5 * 1024 * 1024
READY = "decap-backend: "
START_SECONDS = 30


class EditorError(Exception):
    """The editor cannot start; the message is Vietnamese and says what to do."""


@dataclass(frozen=True)
class Repository:
    """Where the content lives in git: the repository, the content folder inside it, the branch published to."""

    root: str
    folder: str
    branch: str
    uncommitted: tuple[str, ...]


def git(folder: str, *args: str) -> str:
    """Run git in a folder; return its output, or raise EditorError with git's own words."""
    try:
        done = subprocess.run(["git", "-C", folder, *args], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise EditorError("chưa cài git — trình soạn thảo lưu bài bằng git (sudo apt-get install git)") from None
    if done.returncode:
        raise EditorError(f"lệnh git {' '.join(args)} không chạy được ({done.stderr.strip() or done.returncode})")
    return done.stdout.rstrip("\n")


def find_repository(content: str) -> Repository:
    """Return the git repository of a content folder, or say why the editor cannot use it."""
    if not os.path.isdir(content):
        raise EditorError(f"{content}: không có thư mục nội dung này — kiểm tra lại đường dẫn --content")
    try:
        root = git(content, "rev-parse", "--show-toplevel")
    except EditorError:
        raise EditorError(f"{content} không nằm trong một kho git — trình soạn thảo lưu, duyệt và đăng bài bằng git; "
                          "hãy tạo kho (git init, git add, git commit) rồi chạy lại") from None
    try:
        git(content, "rev-parse", "--verify", "--quiet", "HEAD")
    except EditorError:
        raise EditorError("kho git chưa có lần lưu (commit) nào — hãy lưu nội dung lần đầu: "
                          "git add -A && git commit -m \"Nội dung ban đầu\"") from None
    branch = git(content, "rev-parse", "--abbrev-ref", "HEAD")
    if branch == "HEAD" or branch.startswith("cms/"):
        raise EditorError(f"kho git đang ở {branch}, không phải một nhánh để đăng bài — hãy chuyển về nhánh chính (git switch main)")
    folder = os.path.relpath(os.path.realpath(content), os.path.realpath(root)).replace(os.sep, "/")
    changed = tuple(line[3:] for line in git(root, "status", "--porcelain", "--untracked-files=all").split("\n") if line)
    return Repository(root=root, folder=folder, branch=branch, uncommitted=changed)


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_backend(repo: Repository, port: int, origin: str) -> subprocess.Popen:
    """Start the local backend on 127.0.0.1:port and wait until it listens."""
    if not os.path.isfile(os.path.join(cms.PROJECT, "node_modules", "decap-server", "package.json")):
        raise EditorError("chưa cài decap-server (node_modules) — hãy chạy 'make setup'")
    process = subprocess.Popen(["node", LAUNCHER, repo.root, repo.folder, str(port), origin], cwd=cms.PROJECT,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env=git_identity(repo.root))  # stdin: the backend stops when this process ends
    line = _first_line(process, START_SECONDS)
    if not line.startswith(READY):
        stop_backend(process)
        raise EditorError(f"máy chủ cục bộ của trình soạn thảo không khởi động được: {line.strip() or 'không có thông báo'}")
    threading.Thread(target=_relay, args=(process,), daemon=True).start()
    return process


def git_identity(root: str) -> dict:
    """Return the environment for the backend: the commits need an author, and an office machine may have none set."""
    env = dict(os.environ)
    for variable, key, default in (("NAME", "user.name", "Trình soạn thảo bản tin"), ("EMAIL", "user.email", "bien-tap@localhost")):
        try:
            known = git(root, "config", key)
        except EditorError:  # not set
            known = ""
        if not known:
            env.setdefault(f"GIT_AUTHOR_{variable}", default)
            env.setdefault(f"GIT_COMMITTER_{variable}", default)
    return env


def _first_line(process: subprocess.Popen, seconds: float) -> str:
    """Return the first line the process prints, or "" when it prints none in time."""
    found: list[str] = []
    reader = threading.Thread(target=lambda: found.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(seconds)
    return found[0] if found else ""


def _relay(process: subprocess.Popen) -> None:
    """Print what the backend says (its errors) while it runs."""
    for line in process.stdout:
        print(line.rstrip(), flush=True)


def stop_backend(process: subprocess.Popen) -> None:
    """Stop the backend and wait for it."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def make_handler(content: str, registry_file: str, zone: str, folder: str, fallback: str):
    """Return the preview's request handler with the editor's entry check (POST cms.CHECK_PATH).

    /quan-tri/ comes from the last successful preview build, else from `fallback` (written when the editor started):
    content with errors stops the build, and the editor is where they get fixed."""

    class EditorHandler(PreviewHandler):
        """The preview, plus: the editor's pages are served as they are; the preview pane's check."""

        def translate_path(self, path: str) -> str:
            served = super().translate_path(path)
            if path.startswith(f"/{cms.ADMIN}/") and not os.path.isfile(os.path.join(self.directory, cms.ADMIN, "config.json")):
                return os.path.join(fallback, os.path.relpath(served, self.directory))
            return served

        def decorate(self, body: bytes) -> bytes:
            if self.path.startswith(f"/{cms.ADMIN}/"):
                return body  # never the reload script on the editor: a rebuild would reload it and lose the typing
            return super().decorate(body)

        def do_POST(self):  # noqa: N802 (the base class names it so)
            if self.path != cms.CHECK_PATH or self.headers.get("Host") not in (f"{HOST}:{self.server.server_port}",
                                                                              f"localhost:{self.server.server_port}"):
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            length = int(self.headers.get("Content-Length") or 0)
            if not 0 < length <= MAX_CHECK_BYTES:
                self.send_error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
                return
            try:
                request = json.loads(self.rfile.read(length))
                problems = check_request(request, content, registry_file, zone, folder)
            except (ValueError, TypeError, AttributeError):
                self.send_error(HTTPStatus.BAD_REQUEST)
                return
            self.send_json({"problems": problems})

    return EditorHandler


def check_request(request: dict, content: str, registry_file: str, zone: str, folder: str) -> list[dict]:
    """Check the entry of a preview pane request ({collection, path, data, pending}) as the build would."""
    kind = "page" if request.get("collection") == "pages" else "article"
    data = request.get("data") or {}
    path = str(request.get("path") or "")
    if path.startswith(folder + "/"):
        path = path[len(folder) + 1:]
    if not path:  # a new entry: where it will be (its folder decides how relative links resolve)
        path = "pages/moi.md" if kind == "page" else f"articles/{str(data.get('date') or '')[:4] or 'moi'}/moi.md"
    # Paths as the repository names them (content/units.yml), wherever the preview runs from.
    registry_shown = f"{folder}/{os.path.relpath(registry_file, content)}".replace(os.sep, "/")
    registry, errors = load_registry(registry_file, registry_shown)
    ctx = Context(registry=registry, zone=ZoneInfo(zone), content_dir=os.path.abspath(content),
                  registry_path=registry_shown, registry_ok=not errors)
    return cms.check_entry(data, kind, f"{folder}/{path}", ctx, tuple(str(p) for p in request.get("pending") or ()),
                           source=os.path.join(ctx.content_dir, path))


def run(conf: str, content: str, output: str, port: int) -> None:
    """Start the backend and the preview with the editor; stop both on Ctrl-C."""
    from .build import read_settings

    repo = find_repository(content)
    if repo.uncommitted:
        shown = ", ".join(repo.uncommitted[:5]) + ("…" if len(repo.uncommitted) > 5 else "")
        print(f"Chú ý: kho git có thay đổi chưa lưu vào git ({shown}). Trình soạn thảo sẽ không ghi bài cho tới khi "
              "chúng được lưu (git commit) hoặc bỏ đi, để chúng không lẫn vào bài của biên tập viên.", flush=True)
    backend_port = free_port()
    origin = f"http://{HOST}:{port}"
    editor = {"backend": "local", "url": f"http://{HOST}:{backend_port}/api/v1", "branch": repo.branch, "folder": repo.folder}
    settings = read_settings(conf, content, overrides={"BULLETIN_EDITOR": editor})
    fallback = tempfile.mkdtemp(prefix="ban-tin-quan-tri-")
    settings[STATE_KEY] = cms.read_content(settings)
    problems = cms.write_editor(fallback, settings)
    if problems:
        shutil.rmtree(fallback, ignore_errors=True)
        raise EditorError("; ".join(problems))
    registry_file = os.path.join(settings["PATH"], settings["BULLETIN_REGISTRY"])
    handler = make_handler(content, registry_file, settings.get("TIMEZONE") or "Asia/Ho_Chi_Minh", repo.folder, fallback)
    backend = start_backend(repo, backend_port, origin)
    try:
        preview(conf, content, output, HOST, port, overrides={"BULLETIN_EDITOR": editor}, handler=handler,
                announce=f"Trình soạn thảo trên web: {origin}/{cms.ADMIN}/ (bài lưu vào git, nhánh {repo.branch})")
    finally:
        stop_backend(backend)
        shutil.rmtree(fallback, ignore_errors=True)
