"""Shared fixtures and helpers: build a real site with Pelican in tmp_path, run invoke as an editor would, serve a
folder on 127.0.0.1, drive Debian's Chromium."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import textwrap
import threading
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup

from pelican.plugins.bulletin import build as builder
from pelican.plugins.bulletin.browser import CHROMIUM, launch
from pelican.plugins.bulletin.finishers import FINISHERS
from pelican.plugins.bulletin.serve import free_port, make_server

ROOT = Path(__file__).resolve().parent.parent
INVOKE = [sys.executable, "-m", "invoke"]  # the project's invoke, from this .venv, whatever the working folder
# The theme and plugin folders, pinned: tests build from anywhere.
OVERRIDES = {"THEME": str(ROOT / "theme"), "PLUGIN_PATHS": [str(ROOT / "plugins")]}
# The public build the publish and verify tests share: a sub-path address and a fixed moment.
BASE = "https://example.org/ban-tin"
NOW = datetime(2026, 11, 1, 12, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
PUBLIC = {"SITEURL": BASE, "FEED_DOMAIN": BASE, "BULLETIN_NOW": NOW}

# A small registry on three levels, with two names that differ only by tone marks.
UNITS_YML = textwrap.dedent("""\
    - code: tinh-uy
      name: Tỉnh ủy Bình Phước
      short_name: Tỉnh ủy
      aliases: [TU Bình Phước]
      children:
        - code: huyen-uy-hon-quan
          name: Huyện ủy Hớn Quản
          aliases: [HU Hớn Quản]
          children:
            - code: dang-uy-xa-tan-khai
              name: Đảng ủy xã Tân Khai
            - code: chi-bo-hung
              name: Chi bộ ấp Hùng
            - code: chi-bo-hung-2
              name: Chi bộ ấp Hưng
        - code: dang-uy-khoi
          name: Đảng ủy Khối các cơ quan tỉnh
          aliases: [ĐUK các cơ quan tỉnh]
        - code: ban-to-chuc
          name: Ban Tổ chức Tỉnh ủy
    """)


def article(title="Hội nghị cán bộ", date="04/04/2022", units=("huyen-uy-hon-quan",), body="Nội dung bài viết.", **extra) -> str:
    """Return the text of an article file with the given front matter."""
    lines = ["---", f'title: "{title}"', f'date: "{date}"', "units:"] + [f'  - "{u}"' for u in units]
    for key, value in extra.items():
        if isinstance(value, (list, tuple)):
            lines += [f"{key}:"] + [f'  - "{v}"' for v in value]
        else:
            lines.append(f'{key}: "{value}"')
    return "\n".join(lines + ["---", "", body, ""])


@dataclass
class Site:
    """A site built in a temporary folder."""

    root: Path
    outcome: builder.Outcome

    @property
    def output(self) -> Path:
        return self.root / "output"

    @property
    def content(self) -> Path:
        return self.root / "content"

    def html(self, url: str) -> BeautifulSoup:
        """Parse the page at a site URL ('don-vi/' -> output/don-vi/index.html)."""
        path = self.output / url.lstrip("/")
        if url.endswith("/") or not url:
            path = path / "index.html"
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")

    def exists(self, url: str) -> bool:
        path = self.output / url.lstrip("/")
        return (path / "index.html").is_file() if url.endswith("/") else path.is_file()


def write_content(content: Path, files: dict[str, str | bytes], units: str | None = UNITS_YML) -> None:
    """Write content files (text or bytes) below a content folder, with a registry."""
    content.mkdir(parents=True, exist_ok=True)
    if units is not None and "units.yml" not in files:
        (content / "units.yml").write_text(units, encoding="utf-8")
    for name, data in files.items():
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")


def overrides(**extra) -> dict:
    """Return the settings every test build uses (theme and plugin pinned), plus extra ones."""
    return {**OVERRIDES, **extra}


def build_into(content: str | os.PathLike, output: str | os.PathLike, settings: dict | None = None,
               conf: str = "pelicanconf.py", finishers=()) -> builder.Outcome:
    """Build a content folder into an output folder with one of the project's settings files."""
    return builder.build(str(ROOT / conf), str(content), str(output), overrides(**(settings or {})), finishers)


def build_public(content: str | os.PathLike, output: str | os.PathLike) -> builder.Outcome:
    """Build a content folder with publishconf.py at the sub-path address, with every finisher."""
    return build_into(content, output, PUBLIC, "publishconf.py", FINISHERS)


@pytest.fixture
def build_site(tmp_path):
    """Build a site from {relative path: text} into tmp_path/output; return a Site."""

    def build(files: dict[str, str | bytes], settings: dict | None = None, units: str | None = UNITS_YML,
              conf: str = "pelicanconf.py", finishers=()) -> Site:
        write_content(tmp_path / "content", files, units)
        return Site(tmp_path, build_into(tmp_path / "content", tmp_path / "output", settings, conf, finishers))

    return build


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    """The sample site built for publishing at a sub-path."""
    output = tmp_path_factory.mktemp("public") / "output"
    outcome = build_public(ROOT / "content", output)
    assert outcome.ok, outcome.errors
    return output


def run_invoke(*args: str, cwd: str | os.PathLike = ROOT, env: dict | None = None, timeout: float = 300,
               ) -> subprocess.CompletedProcess:
    """Run an invoke task as an editor would (no CI annotations, no debug traces unless `env` asks; None unsets)."""
    environment = {**os.environ, "GITHUB_ACTIONS": "", "BULLETIN_DEBUG": "", **(env or {})}
    environment = {name: value for name, value in environment.items() if value is not None}
    return subprocess.run([*INVOKE, *args], cwd=cwd, env=environment, capture_output=True, text=True, encoding="utf-8",
                          timeout=timeout)


def serve_folder(folder: str | os.PathLike):
    """Serve a folder on 127.0.0.1 in a background thread; return the server and its base URL."""
    port = free_port()
    server = make_server(str(folder), "127.0.0.1", port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{port}"


def stop_serving(server) -> None:
    """Stop a server started by serve_folder."""
    server.shutdown()
    server.server_close()


@pytest.fixture
def serve_dir():
    """Serve a folder on 127.0.0.1; return its base URL. Servers stop after the test."""
    servers = []

    def serve(folder: str | os.PathLike) -> str:
        server, url = serve_folder(folder)
        servers.append(server)
        return url

    yield serve
    for server in servers:
        stop_serving(server)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (no browser download)."""
    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium chưa được cài: chạy 'make setup'")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser page at 1280 × 800, closed after the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def registry_content(tmp_path) -> Path:
    """A content folder in tmp_path that holds only the test registry (for new, check and import)."""
    folder = tmp_path / "content"
    write_content(folder, {})
    return folder


def snapshot(folder) -> dict[str, bytes]:
    """Return every file below a folder with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(Path(folder).rglob("*")) if p.is_file()}


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """Return a small PNG of one colour."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def run_engine(output: str | os.PathLike, requests: dict) -> dict:
    """Ask the search engine (theme/static/js/search-engine.js), in Node, about the index of a built site
    (tests/js/engine_cli.js says what requests and answers hold)."""
    result = subprocess.run(["node", str(ROOT / "tests" / "js" / "engine_cli.js"), str(output)], input=json.dumps(requests),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
