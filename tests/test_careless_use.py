"""Commands used as a careless user would: from a subfolder of the project, or a browser asking the local server for
an address no file can have. A Vietnamese answer, no traceback, nothing lost."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request

from conftest import INVOKE, ROOT, article, run_invoke, write_content
from pelican.plugins.bulletin.serve import free_port

SUBFOLDER = ROOT / "docs"
RAW = "Huyện ủy Hớn Quản tập huấn nghiệp vụ\n08:00 12/05/2025\n\nSáng 12/5, Huyện ủy Hớn Quản mở lớp tập huấn nghiệp vụ.\n"


def test_import_and_check_from_a_subfolder_of_the_project(tmp_path, registry_content):
    source = tmp_path / "bai.txt"
    source.write_text(RAW, encoding="utf-8")
    relative = os.path.relpath(source, SUBFOLDER)  # as typed there: relative to where the user is
    result = run_invoke("import", relative, "--content", os.path.relpath(registry_content, SUBFOLDER), cwd=SUBFOLDER)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert (registry_content / "articles" / "2025" / "huyen-uy-hon-quan-tap-huan-nghiep-vu.md").is_file()
    # Without --content: the project's settings and content folder, found from its root (a dry run writes nothing).
    result = run_invoke("import", "--dry-run", relative, cwd=SUBFOLDER)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert f"{relative} → {ROOT / 'content' / 'articles' / '2025'}/" in result.stderr
    result = run_invoke("check", cwd=SUBFOLDER)
    assert result.returncode == 0 and "Nội dung hợp lệ" in result.stdout, result.stderr


def test_a_build_from_a_subfolder_keeps_its_cache_in_the_project(tmp_path):
    """The Markdown and photo caches go to the project's .cache/, not into the folder the user happens to be in."""
    write_content(tmp_path / "content", {"articles/2022/hoi-nghi.md": article()})
    stray = SUBFOLDER / ".cache"
    assert not stray.exists()
    try:
        result = run_invoke("build", "--content", os.path.relpath(tmp_path / "content", SUBFOLDER),
                            "--output", os.path.relpath(tmp_path / "output", SUBFOLDER), cwd=SUBFOLDER)
        assert result.returncode == 0, result.stderr
        assert (tmp_path / "output" / "2022" / "04" / "hoi-nghi" / "index.html").is_file()
        assert not stray.exists()
    finally:
        shutil.rmtree(stray, ignore_errors=True)


def get(base: str, path: str) -> tuple[int, bytes]:
    """Return the status and body the server gives for a path."""
    try:
        with urllib.request.urlopen(base + path, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_a_nul_in_an_address_is_a_404_and_the_serve_console_stays_quiet(sample):
    port = free_port()
    environment = {**os.environ, "BULLETIN_DEBUG": ""}
    server = subprocess.Popen([*INVOKE, "serve", "--output", str(sample), "--port", str(port)], cwd=ROOT, env=environment,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        for path in ("/%00", "/%00.html", "/tim-kiem/%00/", "/2022/%00/index.html"):
            status, body = get(base, path)
            assert status == 404 and b'lang="vi"' in body, (path, status)  # the site's own 404 page, in Vietnamese
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:  # the NUL itself, as a client may send it
            raw.sendall(b"GET /a\x00b HTTP/1.0\r\n\r\n")
            assert raw.recv(64).startswith(b"HTTP/1.0 404")
        assert get(base, "/tim-kiem/?q=%00")[0] == 200  # in a query, it is only text for the search page
    finally:
        server.terminate()
        out, err = server.communicate(timeout=30)
    assert err == "" and out.strip().splitlines() == [f"Bản tin đang chạy tại {base}/ (Ctrl+C để dừng)"], out + err
