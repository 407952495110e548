"""Serve the built site locally; the preview rebuilds on every save and refreshes the open pages."""

from __future__ import annotations

import json
import os
import socket
import sys
import threading
import time
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

from . import build as builder
from .finishers import FINISHERS

RELOAD_PATH = "/__xem-truoc/trang-thai"
# Injected into HTML responses by the preview server only; never written to output/.
RELOAD_SCRIPT = """<script>
(function () {
  var version = %(version)d;
  function show(errors) {
    var box = document.getElementById("xem-truoc-loi") || document.createElement("div");
    box.id = "xem-truoc-loi";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:50vh;overflow:auto;background:#fff4f4;color:#7a0000;border-top:3px solid #b00;padding:1em;font:14px/1.4 monospace;white-space:pre-wrap;z-index:9999";
    box.textContent = "Bản xem trước chưa cập nhật vì nội dung có lỗi:\\n" + errors.join("\\n");
    document.body.appendChild(box);
  }
  function poll() {
    fetch("%(path)s?sau=" + version, {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      if (s.errors.length) { version = s.version; show(s.errors); poll(); }
      else if (s.version !== version) { location.reload(); }
      else { poll(); }
    }).catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
</script>"""


class SiteHandler(SimpleHTTPRequestHandler):
    """Serve files from the output folder; unknown paths get the site's 404 page."""

    def log_message(self, format, *args):
        """Keep the console for build messages."""

    def do_GET(self):
        if self.impossible_path():
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        super().do_GET()

    def do_HEAD(self):
        if self.impossible_path():
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        super().do_HEAD()

    def impossible_path(self) -> bool:
        """Tell whether the path names no file any disk can hold (a NUL byte, %00: opening it would raise)."""
        return "\x00" in unquote(self.path.split("?", 1)[0].split("#", 1)[0])

    def send_error(self, code, message=None, explain=None):
        """Answer a missing page with 404.html when the site has one."""
        page = os.path.join(self.directory, "404.html")
        if code == HTTPStatus.NOT_FOUND and os.path.isfile(page):
            with open(page, "rb") as handle:
                body = self.decorate(handle.read())
            self.send_response(code)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def decorate(self, body: bytes) -> bytes:
        """Change an HTML page before sending it (the preview adds its reload script)."""
        return body


class PreviewHandler(SiteHandler):
    """The preview: HTML pages get a script that reloads them after each rebuild."""

    status = None  # a PreviewStatus, set by preview()

    def do_GET(self):
        if self.path.startswith(RELOAD_PATH):
            self.answer_status()
            return
        if self.impossible_path():
            super().do_GET()
            return
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        if path.endswith(".html") and os.path.isfile(path):
            with open(path, "rb") as handle:
                body = self.decorate(handle.read())
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def decorate(self, body: bytes) -> bytes:
        script = RELOAD_SCRIPT % {"version": self.status.version, "path": RELOAD_PATH}
        return body.replace(b"</body>", script.encode() + b"</body>", 1)

    def answer_status(self):
        """Wait (up to 25 s) for a build newer than the client's, then tell it the version and errors."""
        try:
            after = int(self.path.split("sau=", 1)[1])
        except (IndexError, ValueError):
            after = -1
        version, errors = self.status.wait_newer(after, 25)
        self.send_json({"version": version, "errors": errors})

    def send_json(self, data) -> None:
        """Answer with JSON that no cache keeps."""
        body = json.dumps(data, ensure_ascii=False).encode()
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class PreviewStatus:
    """The number of the latest build and its errors; clients wait on it."""

    def __init__(self):
        self.version = 0
        self.errors: list[str] = []
        self.changed = threading.Condition()

    def publish(self, errors: list[str]) -> None:
        """Record a finished build and wake every waiting page."""
        with self.changed:
            self.version += 1
            self.errors = errors
            self.changed.notify_all()

    def wait_newer(self, after: int, timeout: float) -> tuple[int, list[str]]:
        """Block until a build newer than `after` exists (or the timeout passes)."""
        with self.changed:
            self.changed.wait_for(lambda: self.version != after, timeout)
            return self.version, list(self.errors)


def free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port nobody listens on (tests and benchmarks serve on it)."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


class QuietServer(ThreadingHTTPServer):
    """An HTTP server that keeps the console for build messages: a reader who closes a page mid-answer is no error,
    and a failure inside a request is one line, never a traceback."""

    allow_reuse_address = True
    daemon_threads = True

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        print(f"lỗi khi trả lời một yêu cầu ({type(error).__name__}: {error}) — máy chủ vẫn chạy", file=sys.stderr, flush=True)


def make_server(output: str, host: str, port: int, handler=SiteHandler) -> ThreadingHTTPServer:
    """Create an HTTP server for a folder."""
    server = QuietServer((host, port), partial(handler, directory=os.path.abspath(output)))
    return server


def serve_forever(output: str, host: str, port: int) -> None:
    """Serve a built site until interrupted."""
    if not os.path.isfile(os.path.join(output, "index.html")):
        print(f"Chưa có trang đã dựng trong {output}/ — hãy chạy 'invoke build' trước.", file=sys.stderr)
        sys.exit(1)
    server = make_server(output, host, port)
    print(f"Bản tin đang chạy tại http://{host}:{port}/ (Ctrl+C để dừng)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


PREVIEW_SETTINGS = {"WITH_FUTURE_DATES": True}  # scheduled articles shown, marked as such


def preview(conf: str, content: str, output: str, host: str, port: int, finishers: tuple = FINISHERS, *,
            overrides: dict | None = None, handler: type[PreviewHandler] = PreviewHandler, announce: str = "") -> None:
    """Build, serve with live reload, and rebuild whenever content, theme or settings change.

    `overrides` are more settings for every build, `handler` a PreviewHandler subclass, `announce` a line printed
    once the server runs (invoke edit passes the editor's)."""
    from watchfiles import watch

    from .incremental import LiveSite

    status = PreviewStatus()
    site = LiveSite(conf, content, output, {**PREVIEW_SETTINGS, **(overrides or {})}, finishers)
    index = IndexJob(site)
    rebuild(site, status)
    server = make_server(output, host, port, type("Handler", (handler,), {"status": status}))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Xem trước tại http://{host}:{port}/ — lưu tệp là trang tự cập nhật (Ctrl+C để dừng)", flush=True)
    if announce:
        print(announce, flush=True)
    watched = [p for p in (content, "theme", conf, "plugins") if os.path.exists(p)]
    try:
        for changes in watch(*watched, debounce=100, step=20):
            changed = site.relevant(changes)
            if changed:
                index.stop()  # the pages first: the index of the older text is not worth waiting for
                rebuild(site, status, changed, index)
    except KeyboardInterrupt:
        pass
    finally:
        index.stop()
        server.shutdown()


def rebuild(site, status: PreviewStatus, changed: set[str] | None = None, index: IndexJob | None = None) -> None:
    """Bring the preview up to date (only the touched pages when one article was edited) and tell the pages;
    after such a fast update the search index follows in the background."""
    started = time.perf_counter()
    outcome, fast = site.update(changed) if changed else (site.build_all(), False)
    builder.report(outcome)
    if outcome.ok:
        print(f"Đã cập nhật bản xem trước sau {time.perf_counter() - started:.2f} giây.", flush=True)
    status.publish(outcome.errors)
    if fast and outcome.ok and index is not None:
        index.start()


class IndexJob:
    """The preview's search index, brought up to date in a background thread; the next save cancels it."""

    def __init__(self, site):
        self.site = site
        self.cancel = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        """Index the preview folder again, after stopping a run still going."""
        self.stop()
        self.cancel = threading.Event()
        self.thread = threading.Thread(target=self.run, args=(self.cancel,), daemon=True)
        self.thread.start()

    def run(self, cancel: threading.Event) -> None:
        """Index once; print the errors and the time, or nothing when cancelled."""
        from .searchindex import Cancelled

        started = time.perf_counter()
        try:
            errors = self.site.finish(cancel)
        except Cancelled:
            return
        except Exception as error:  # a defect or the machine (no disk space): one line, the preview goes on
            errors = [f"lỗi khi lập chỉ mục tìm kiếm ({type(error).__name__}: {error}); trang vẫn cập nhật, "
                      "chỉ ô tìm kiếm chưa theo kịp"]
        for line in errors:
            print(line, file=sys.stderr, flush=True)
        if not errors:
            print(f"Đã cập nhật chỉ mục tìm kiếm sau {time.perf_counter() - started:.2f} giây.", flush=True)

    def stop(self) -> None:
        """Cancel the running index, if any, and wait until it stopped (it leaves the previous index whole)."""
        if self.thread is not None:
            self.cancel.set()
            self.thread.join()
            self.thread = None
