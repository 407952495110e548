"""The search index transform (pure) and the finisher on a real build with the pinned Pagefind."""

from __future__ import annotations

import unicodedata

import pytest

from conftest import UNITS_YML, article
from pelican.plugins.bulletin import search
from pelican.plugins.bulletin.registry import load_registry


@pytest.mark.parametrize(
    "text, indexed",
    [
        ("Đảng ủy Khối", "Ďảng ủy Khối"),
        ("đồng chí", "ďồng chí"),
        ("hoà thuận, uỷ ban, khoẻ, thuỷ lợi", "hòa thuận, ủy ban, khỏe, thủy lợi"),
        ("quý, quả, hoàng, khuỷu", "quý, quả, hoàng, khuỷu"),
        (unicodedata.normalize("NFD", "Hoà bình"), "Hòa bình"),
        ("cán bộ", "cán bộ"),
        ("ÐUK các cơ quan", "ĎUK các cơ quan"),  # eth from old encodings stands for Đ
    ],
)
def test_index_text(text, indexed):
    assert search.index_text(text) == indexed


@pytest.mark.parametrize("text", ["Đảng ủy Khối các cơ quan tỉnh", "đồng chí Đinh Văn Đức", "ĐĐ đđ dD"])
def test_unmark_restores_every_d(text):
    assert search.unmark_d(search.index_text(text)) == text


def test_index_html_changes_text_only():
    html = ('<html lang="vi"><head><title>Đảng</title><script>var đ = "hoà";</script></head>'
            '<body><article data-pagefind-body><h1 data-pagefind-meta="title">Đảng ủy hoà</h1>'
            '<img src="/anh/hoà-đ.png" alt="Đảng"><!-- đ hoà --><p>Uỷ ban &amp; Đoàn</p></article></body></html>')
    out = search.index_html(html)
    assert "<h1 data-pagefind-meta=\"title\">Ďảng ủy hòa</h1>" in out
    assert "<p>Ủy ban &amp; Ďoàn</p>" in out
    assert '<img src="/anh/hoà-đ.png" alt="Đảng">' in out  # attributes untouched
    assert '<script>var đ = "hoà";</script>' in out
    assert "<!-- đ hoà -->" in out


def test_add_unit_ancestors(tmp_path):
    (tmp_path / "units.yml").write_text(UNITS_YML, encoding="utf-8")
    registry, errors = load_registry(str(tmp_path / "units.yml"), "units.yml")
    assert not errors
    html = ('<article data-pagefind-body><a data-pagefind-filter="unit:chi-bo-hung">x</a>'
            '<a data-pagefind-filter="unit:huyen-uy-hon-quan">y</a></article>')
    out = search.add_unit_ancestors(html, registry)
    assert out.count('data-pagefind-filter="unit:tinh-uy"') == 1
    assert out.count('data-pagefind-filter="unit:huyen-uy-hon-quan"') == 1  # already there: not repeated
    assert out.index('unit:tinh-uy') < out.index("unit:chi-bo-hung")  # inside the body, at its start
    root_only = '<article data-pagefind-body><a data-pagefind-filter="unit:tinh-uy">x</a></article>'
    assert search.add_unit_ancestors(root_only, registry) == root_only


def test_finisher_indexes_articles_and_leaves_public_pages_alone(build_site):
    site = build_site(
        {"articles/2022/dang-uy.md": article(title="Đảng ủy Khối hoà thuận", units=["chi-bo-hung"], body="Đồng chí Bí thư phát biểu.")},
        finishers=(search.build_index,),
    )
    assert site.outcome.ok, site.outcome.errors
    bundle = site.output / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    assert not (bundle / "pagefind-ui.js").exists()  # the stock interface is not published
    assert list((bundle / "fragment").iterdir())
    assert list((bundle / "filter").iterdir())
    page = (site.output / "2022/04/dang-uy/index.html").read_text(encoding="utf-8")
    assert "ď" not in page.lower() and "Đảng ủy Khối hoà thuận" in page  # the public page is as written
    assert not [p for p in site.root.iterdir() if p.name.startswith("search-")]


def test_finisher_reports_a_missing_indexer_in_vietnamese(build_site, monkeypatch):
    monkeypatch.setattr(search, "find_indexer", lambda root=None: None)
    site = build_site({"articles/2022/a.md": article()}, finishers=(search.build_index,))
    assert not site.outcome.ok
    assert "không tìm thấy bộ lập chỉ mục tìm kiếm" in site.outcome.errors[0]
    assert not site.output.exists()  # the build stops before the swap


def test_body_only_keeps_what_pagefind_reads():
    page = ('<!DOCTYPE html><html lang="vi"><head><title>Trang</title></head><body><nav>Đơn vị, nhiệm kỳ</nav>'
            '<article class="article" data-pagefind-body><h1 data-pagefind-meta="title">Hội nghị</h1>'
            '<aside><article>Bài lồng bên trong</article></aside><p>Nội dung.</p></article>'
            '<footer>Bản tin</footer></body></html>')
    out = search.body_only(page)
    assert out.startswith('<html lang="vi">')
    assert "Bài lồng bên trong</article></aside><p>Nội dung.</p></article></body>" in out  # the matching close
    assert "<nav>" not in out and "<footer>" not in out and "<title>" not in out
    # a meta or filter outside the body element is read by Pagefind: the page stays whole
    outside = page.replace("<footer>", '<footer data-pagefind-filter="unit:tinh-uy">')
    assert search.body_only(outside) == outside
    assert search.body_only("<html><body><p>Không đánh dấu</p></body></html>") == "<html><body><p>Không đánh dấu</p></body></html>"
    unclosed = '<html><body><div data-pagefind-body><p>Thiếu thẻ đóng</p></body></html>'
    assert search.body_only(unclosed) == unclosed
