"""The committed sample content builds cleanly and covers what issue 2 asks of it."""

import re
import unicodedata
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, build_into, run_invoke
from pelican.plugins.bulletin.check import check_content
from pelican.plugins.bulletin.registry import load_registry
from pelican.plugins.bulletin.schema import Context, check_file

pytestmark = pytest.mark.slow
CONTENT = ROOT / "content"
ARTICLE_PAGE = re.compile(r"^(\d{4})/(\d{2})/([a-z0-9-]+)/index\.html$")
TERMS = {"2020–2025", "2021–2026", "2025–2030", "2026–2031"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    output = tmp_path_factory.mktemp("sample") / "output"
    outcome = build_into(CONTENT, output)
    assert outcome.errors == []
    return output


@pytest.fixture(scope="module")
def docs():
    """Every sample article, checked by the schema: {relative path: Document}."""
    registry, errors = load_registry(str(CONTENT / "units.yml"))
    assert errors == []
    ctx = Context(registry, ZoneInfo("Asia/Ho_Chi_Minh"), str(CONTENT))
    found = {}
    for path in sorted((CONTENT / "articles").rglob("*.md")):
        doc = check_file(str(path), str(path.relative_to(CONTENT)), "article", ctx)
        assert doc.errors == [], doc.errors
        found[str(path.relative_to(CONTENT))] = doc
    return found


def published_pages(output):
    """Return {url: parsed page} of every article page in the output."""
    pages = {}
    for path in output.rglob("index.html"):
        relative = path.relative_to(output).as_posix()
        if ARTICLE_PAGE.match(relative):
            pages["/" + relative.removesuffix("index.html")] = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return pages


def url_of(doc):
    return f"/{doc.meta['date']:%Y/%m}/{doc.meta['slug']}/"


def test_content_check_is_clean():
    assert check_content(str(ROOT / "pelicanconf.py"), str(CONTENT), []) == []


def test_at_least_fifteen_articles_published(built, docs):
    pages = published_pages(built)
    assert len(pages) >= 15
    for url, soup in pages.items():
        assert soup.select_one("main h1").get_text(strip=True), url


def test_units_on_three_levels(built, docs):
    urls = set(published_pages(built))
    units = {u for doc in docs.values() if url_of(doc) in urls for u in doc.meta["units"]}
    assert len(units) >= 6
    assert {u.depth for u in units} >= {0, 1, 2}


def test_the_four_terms_and_four_years(built, docs):
    urls = set(published_pages(built))
    live = [doc for doc in docs.values() if url_of(doc) in urls]
    assert {t.label for doc in live for t in doc.meta.get("terms", ())} >= TERMS
    assert len({doc.meta["date"].year for doc in live}) >= 4
    for term in TERMS:
        assert (built / "nhiem-ky" / term.replace("–", "-") / "index.html").is_file()


def test_images_with_captions(built, docs):
    pages = published_pages(built)
    with_images = [doc for doc in docs.values() if doc.meta.get("image") and doc.meta.get("image_caption")
                   and url_of(doc) in pages]
    assert len(with_images) >= 3
    for doc in with_images:
        figure = pages[url_of(doc)].select_one("main figure")
        assert figure.img["src"] == "/" + doc.meta["image"]
        assert figure.figcaption.get_text(strip=True) == doc.meta["image_caption"]
        assert (built / doc.meta["image"]).is_file()


def test_both_spellings_of_uy_in_sources():
    texts = [unicodedata.normalize("NFC", p.read_text(encoding="utf-8")) for p in (CONTENT / "articles").rglob("*.md")]
    assert any("Ủy" in t or "ủy" in t for t in texts)
    assert any("Uỷ" in t or "uỷ" in t for t in texts)


def test_exactly_one_nfd_source():
    sources = [p for p in CONTENT.rglob("*.md") if not unicodedata.is_normalized("NFC", p.read_text(encoding="utf-8"))]
    assert len(sources) == 1, sources


def test_one_draft_not_published(built, docs):
    drafts = [doc for doc in docs.values() if doc.meta.get("status") == "draft"]
    assert len(drafts) >= 1
    pages = published_pages(built)
    for doc in drafts:
        assert url_of(doc) not in pages
        for path in built.rglob("*"):
            if path.suffix in (".html", ".xml"):
                assert doc.meta["title"] not in path.read_text(encoding="utf-8"), path


def test_two_builds_are_byte_identical(tmp_path):
    """Build the sample twice with different hash seeds; every output file must be the same."""
    trees = []
    for seed in ("1", "2"):
        output = tmp_path / f"output-{seed}"
        assert run_invoke("build", "--content", str(CONTENT), "--output", str(output), env={"PYTHONHASHSEED": seed}).returncode == 0
        trees.append({p.relative_to(output).as_posix(): p.read_bytes() for p in output.rglob("*") if p.is_file()})
    assert len(trees[0]) > 100
    assert trees[0].keys() == trees[1].keys()
    assert [name for name in trees[0] if trees[0][name] != trees[1][name]] == []
