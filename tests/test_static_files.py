"""Static files: only real images are published; SVGs that could run code are refused, the others published rebuilt.

Each hostile SVG is first opened as it is in Chromium, to show that it really runs a script there (the test would
prove nothing otherwise), then built: the build fails naming the file and the line. Clean SVGs with the extras drawing
programs write are published rebuilt, and the rebuilt file shows without running anything.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from conftest import article
from pelican.plugins.bulletin import filetypes, svg

SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">'
PNG = b"\x89PNG\r\n\x1a\n" + bytes(24)
JPEG = b"\xff\xd8\xff\xe0" + bytes(24)

# name -> (file bytes, line of the first problem, a word of the message, how to make it run in Chromium)
HOSTILE = {
    "plain-script": (f"{SVG_OPEN}\n<script>alert(1)</script>\n</svg>", 2, "<script>", "load"),
    "prefixed-script": ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:s="http://www.w3.org/2000/svg">\n'
                        "<s:script>alert(1)</s:script>\n</svg>", 2, "<script>", "load"),
    "utf16-script": ((f'<?xml version="1.0" encoding="UTF-16"?>\n{SVG_OPEN}\n<script>alert(1)</script>\n</svg>')
                     .encode("utf-16"), 3, "<script>", "load"),
    "entity-script": ('<?xml version="1.0"?>\n<!DOCTYPE svg [\n<!ENTITY x "&#60;script&#62;alert(1)&#60;/script&#62;">\n]>\n'
                      f"{SVG_OPEN}&x;</svg>", 2, "DOCTYPE", "load"),
    "encoded-javascript-link": ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
                                'width="200" height="100">\n<a id="x" xlink:href="jav&#x61;script:alert(1)">'
                                '<rect width="200" height="100"/></a>\n</svg>', 2, "javascript:", "click"),
    "tab-in-javascript": (f'{SVG_OPEN}\n<a id="x" href="java&#9;script:alert(1)"><rect width="200" height="100"/></a>\n</svg>',
                          2, "script:", "click"),
    "onload": ('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', 1, "onload", "load"),
    "prefixed-onload": ('<svg:svg xmlns:svg="http://www.w3.org/2000/svg" width="10" height="10">\n'
                        '<svg:image href="x.png" onerror="alert(1)"/>\n</svg:svg>', 2, "onerror", "load"),
    "xhtml-script": (f'{SVG_OPEN}\n<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>\n</svg>',
                     2, "<script>", "load"),
    "foreign-object": (f'{SVG_OPEN}\n<foreignObject width="100" height="100"><body xmlns="http://www.w3.org/1999/xhtml">'
                       '<img src="x" onerror="alert(1)"/></body></foreignObject>\n</svg>', 2, "foreignObject", "load"),
    "animated-href": (f'{SVG_OPEN}\n<a id="x"><set attributeName="href" to="javascript:alert(1)"/>'
                      '<rect width="200" height="100"/></a>\n</svg>', 2, "href", "click"),
    "data-url-link": (f'{SVG_OPEN}\n<a id="x" href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">'
                      '<rect width="200" height="100"/></a>\n</svg>', 2, "data:", None),
    "iframe": (f'{SVG_OPEN}\n<iframe xmlns="http://www.w3.org/1999/xhtml" src="javascript:alert(1)"/>\n</svg>', 2, "<iframe>", None),
    "remote-stylesheet": (f"{SVG_OPEN}\n<style>@im<![CDATA[port 'https://example.org/x.css';]]></style>\n</svg>", 2, "@import", None),
    "remote-fill": (f'{SVG_OPEN}\n<rect width="10" height="10" fill="url(https://example.org/p.svg#g)"/>\n</svg>', 2, "url(", None),
}


def raw(data: str | bytes) -> bytes:
    """Return a file's bytes (text as UTF-8)."""
    return data if isinstance(data, bytes) else data.encode("utf-8")


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_svg_is_refused_at_its_line(name):
    data, line, word, _ = HOSTILE[name]
    with pytest.raises(svg.SvgRefused) as refused:
        svg.rebuild(raw(data))
    first = refused.value.problems[0]
    assert first.line == line, refused.value.problems
    assert word.lower() in " ".join(p.message for p in refused.value.problems).lower()


CLEAN = ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
         "<!-- Created with a drawing program -->\n"
         '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
         'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
         'xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" '
         'width="200" height="100" viewBox="0 0 200 100" role="img" aria-label="Biểu đồ">\n'
         '<sodipodi:namedview id="nv" inkscape:zoom="1"/>\n'
         "<metadata><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"/></metadata>\n"
         "<title>Biểu đồ kết nạp đảng viên năm 2024 &amp; 2025</title>\n"
         '<defs><linearGradient id="g"><stop offset="0" stop-color="#b3261e"/></linearGradient></defs>\n'
         "<style><![CDATA[ .nhan { font-family: 'DejaVu Sans'; } ]]></style>\n"
         '<g inkscape:label="Lớp 1" inkscape:groupmode="layer">\n'
         '<rect id="cot" width="50" height="80" fill="url(#g)" style="stroke:#333;stroke-width:2"/>\n'
         '<use xlink:href="#cot" x="60"/>\n'
         '<a href="https://example.org/bao-cao"><text class="nhan" x="10" y="95">Kết nạp: 1.250 đảng viên</text></a>\n'
         '<animateTransform attributeName="transform" type="rotate" from="0" to="0" dur="1s"/>\n'
         "</g>\n</svg>\n")


def test_clean_svg_is_rebuilt_without_editor_metadata():
    rebuilt = svg.rebuild(CLEAN.encode("utf-8")).decode("utf-8")
    for gone in ("inkscape", "sodipodi", "metadata", "rdf", "<!--", "standalone"):
        assert gone not in rebuilt
    for kept in ("Biểu đồ kết nạp đảng viên năm 2024 &amp; 2025", 'fill="url(#g)"', 'xlink:href="#cot"',
                 'xmlns:xlink="http://www.w3.org/1999/xlink"', 'href="https://example.org/bao-cao"',
                 "font-family: 'DejaVu Sans'", 'aria-label="Biểu đồ"', "Kết nạp: 1.250 đảng viên", "<animateTransform"):
        assert kept in rebuilt
    assert svg.rebuild(rebuilt.encode("utf-8")).decode("utf-8") == rebuilt  # rebuilding twice changes nothing


@pytest.mark.parametrize(("head", "kind"), [
    (PNG, "png"), (JPEG, "jpeg"), (b"GIF89a" + bytes(8), "gif"), (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "webp"),
    (b"\x00\x00\x00\x1cftypavif", "avif"), (b"\x00\x00\x00\x18ftypheic", "heic"), (b"%PDF-1.7", "pdf"),
    (b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- x -->\n<svg xmlns='http://www.w3.org/2000/svg'/>", "svg"),
    ("<svg xmlns='http://www.w3.org/2000/svg'/>".encode("utf-16"), "svg"),
    (b"<!DOCTYPE html><html><script>alert(1)</script>", ""), (b"alert(1)", ""), (b"", ""),
])
def test_format_is_read_from_the_bytes(head, kind):
    assert filetypes.sniff(head) == kind


def docx_with(name: str, data: bytes) -> bytes:
    """Return a minimal Word package holding one file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(name, data)
    return buffer.getvalue()


BAD_FILES = {
    "images/trang.html": (b"<!DOCTYPE html><script src='ma.js'></script>", "không phải ảnh"),
    "images/ma.js": (b"alert(document.domain)", "không phải ảnh"),
    "images/gia.jpg": (b"<svg xmlns='http://www.w3.org/2000/svg'/>", 'đổi tên thành "gia.svg"'),
    "images/doi-ten.png": (JPEG, 'đổi tên thành "doi-ten.jpg"'),
    "images/iphone.heic": (b"\x00\x00\x00\x18ftypheic" + bytes(16), "HEIC"),
    "images/tai-lieu.pdf": (b"%PDF-1.7\n", "chuyển vào tai-lieu/"),
    "images/bao-cao.docx": (docx_with("[Content_Types].xml", b"<Types/>"), "chuyển vào tai-lieu/"),
    "images/nen.zip": (docx_with("a.html", b"<script>alert(1)</script>"), "không phải ảnh"),
}


def test_only_real_images_are_published(build_site):
    good = {"articles/2022/a.md": article(), "images/that.png": PNG, "images/anh.JPG": JPEG,
            "images/bieu-do.svg": CLEAN}
    site = build_site({**good, **{name: data for name, (data, _) in BAD_FILES.items()}})
    assert not site.outcome.ok
    for name, (_, says) in BAD_FILES.items():
        found = [e for e in site.outcome.errors if f"{name}:1: " in e]
        assert len(found) == 1 and says in found[0], (name, site.outcome.errors)
    assert len(site.outcome.errors) == len(BAD_FILES), site.outcome.errors
    assert not site.output.exists()
    for name in BAD_FILES:
        (site.content / name).unlink()
    site = build_site({})
    assert site.outcome.ok, site.outcome.errors
    assert not (site.output / "images/that.png").exists()  # a photo is published only as variants of what shows it (images.py)
    published = (site.output / "images/bieu-do.svg").read_text(encoding="utf-8")
    assert published == svg.rebuild(CLEAN.encode("utf-8")).decode("utf-8") and "inkscape" not in published


def test_each_hostile_svg_fails_the_build_at_its_line(build_site):
    site = build_site({"articles/2022/a.md": article(), **{f"images/{name}.svg": raw(data) for name, (data, *_) in HOSTILE.items()}})
    assert not site.outcome.ok
    for name, (_, line, _, _) in HOSTILE.items():
        assert any(e.startswith(f"{site.content / 'images' / name}.svg:{line}: ") or f"images/{name}.svg:{line}: " in e
                   for e in site.outcome.errors), (name, site.outcome.errors)
    assert all("hãy xuất lại ảnh" in e for e in site.outcome.errors)


@pytest.mark.browser
def test_hostile_svgs_run_in_chromium_and_clean_ones_do_not(build_site, serve_dir, page, tmp_path):
    folder = tmp_path / "tho"
    folder.mkdir()
    for name, (data, *_rest) in HOSTILE.items():
        (folder / f"{name}.svg").write_bytes(raw(data))
    base = serve_dir(folder)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    ran = []
    for name, (_, _, _, trigger) in sorted(HOSTILE.items()):
        if trigger is None:
            continue
        before = len(dialogs)
        page.goto(f"{base}/{name}.svg")
        if trigger == "click":
            page.click("#x", timeout=2000)
        page.wait_for_timeout(150)
        if len(dialogs) > before:
            ran.append(name)
    assert ran == sorted(n for n, v in HOSTILE.items() if v[3]), "each hostile file must really run as it is"
    site = build_site({"articles/2022/a.md": article(), "images/bieu-do.svg": CLEAN})
    assert site.outcome.ok
    published = serve_dir(site.output)
    dialogs.clear()
    response = page.goto(f"{published}/images/bieu-do.svg")
    assert response.ok and "svg" in response.headers["content-type"]
    page.click("text", timeout=2000, no_wait_after=True, trial=True)
    assert page.locator("title").count() == 1 and not dialogs


def office_package(*names: str) -> bytes:
    """Return a ZIP holding these (empty) files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name in names:
            package.writestr(name, "<x/>")
    return buffer.getvalue()


def test_documents_folder_publishes_documents_only(build_site):
    docx = office_package("[Content_Types].xml", "word/document.xml")
    body = "Xem [quy chế](tai-lieu/2024/quy-che.pdf) và [biểu mẫu](tai-lieu/2024/bieu-mau.docx)."
    files = {"articles/2022/a.md": article(body=body), "tai-lieu/2024/quy-che.pdf": b"%PDF-1.7\n",
             "tai-lieu/2024/bieu-mau.docx": docx}
    bad = {"tai-lieu/anh.png": (PNG, "chuyển ảnh vào images/"),
           "tai-lieu/gia.docx": (office_package("index.html"), "không phải tài liệu"),
           "tai-lieu/trang.pdf": (b"<html><script>alert(1)</script>", "không phải tài liệu"),
           "images/quy-che.pdf": (b"%PDF-1.7\n", "tai-lieu/")}
    site = build_site({**files, **{name: data for name, (data, _) in bad.items()}})
    for name, (_, says) in bad.items():
        assert any(f"{name}:1: " in e and says in e for e in site.outcome.errors), (name, site.outcome.errors)
    assert len(site.outcome.errors) == len(bad)
    for name in bad:
        (site.content / name).unlink()
    site = build_site({})
    assert site.outcome.ok, site.outcome.errors
    links = [a["href"] for a in site.html("2022/04/a/").select("article a[href*='tai-lieu']")]
    assert links == ["/tai-lieu/2024/quy-che.pdf", "/tai-lieu/2024/bieu-mau.docx"]
    assert (site.output / "tai-lieu/2024/bieu-mau.docx").read_bytes() == docx
