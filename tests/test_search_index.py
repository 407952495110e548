"""The search index and engine without a browser: the shared normalisation cases (Python and Node), the index a
real build writes (read back by search-engine.js in Node and checked against the articles' own text), the
shortcut of reading only the heads of the postings, and deterministic, content-named files."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from conftest import ROOT, article, build_into, run_engine, write_content
from pelican.plugins.bulletin import build as builder
from pelican.plugins.bulletin import searchindex, searchtext

CASES = ROOT / "tests" / "fixtures" / "search" / "normalisation.json"


def load_cases() -> dict:
    """Return the shared normalisation cases."""
    return json.loads(CASES.read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", load_cases()["text"], ids=lambda case: case["why"])
def test_python_normalisation_follows_the_shared_cases(case):
    runs = [[list(forms) for forms in run] for run in searchtext.normalise(case["text"])]
    assert runs == case["runs"]


def test_js_normalisation_follows_the_shared_cases():
    result = subprocess.run(["node", str(ROOT / "tests" / "js" / "normalisation_cases.js")], capture_output=True, text=True)
    report = json.loads(result.stdout)
    cases = load_cases()
    assert report["checked"] == len(cases["text"]) + len(cases["queries"])
    assert report["failures"] == [] and result.returncode == 0


def test_paragraphs_keep_blocks_apart_and_drop_markup():
    html = ('<h2>Kết quả</h2><p>Dòng một\ndòng <strong>hai</strong> chú thích<sup id="fnref:1">1</sup> &amp; hết</p>'
            '<script>var đ = 1;</script><!-- ghi chú --><ul><li>một</li><li>hai</li></ul><p>Tỉnh&nbsp;ủy</p>')
    assert searchtext.paragraphs(html) == ["Kết quả", "Dòng một dòng hai chú thích 1 & hết", "một", "hai", "Tỉnh ủy"]


def synthetic_site(root: Path, count: int) -> builder.Outcome:
    """Build a synthetic bulletin (benchmarks/synth.py) of `count` articles with the search index."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import synth
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    synth.write_site(str(root / "content"), count, seed=3)
    return build_into(root / "content", root / "output", finishers=(searchindex.build_index,))


@pytest.fixture(scope="module")
def small_heads(tmp_path_factory):
    """A synthetic site of 240 articles indexed with tiny heads and files, so most terms have a head and a tail."""
    root = tmp_path_factory.mktemp("index")
    patch = pytest.MonkeyPatch()
    patch.setattr(searchindex, "HEAD", 6)
    patch.setattr(searchindex, "BIG", 48)
    patch.setattr(searchindex, "SHARD", 512)
    patch.setattr(searchindex, "CHUNK", 32)  # several worker tasks, in worker processes
    try:
        outcome = synthetic_site(root, 240)
    finally:
        patch.undo()
    assert outcome.ok, outcome.errors
    return root


def article_runs(content: Path) -> dict[str, list[list[tuple[str, str]]]]:
    """Return every article's runs of (exact, folded) syllables (title, summary, tags, body), by slug, from its source."""
    import yaml

    from pelican.plugins.bulletin import markup

    found = {}
    for path in sorted((content / "articles").rglob("*.md")):
        _, head, body = path.read_text(encoding="utf-8").split("---", 2)
        meta = yaml.safe_load(head)
        html = markup.convert(markup.make_markdown(), body)
        texts = [meta["title"], meta.get("summary", ""), *meta.get("tags", []), *searchtext.paragraphs(html)]
        found[path.stem] = [list(run) for t in texts for run in searchtext.normalise(t)]
    return found


def matches(runs: list[list[tuple[str, str]]], clauses: list[tuple[bool, list[tuple[str, str]]]]) -> bool:
    """Tell whether an article's runs hold every word of a query (and every phrase, adjacent, its syllables typed
    with marks spelled so somewhere in the article)."""
    words = {f for run in runs for _e, f in run}
    spellings = {e for run in runs for e, _f in run}
    folded_runs = [[f for _e, f in run] for run in runs]
    for phrase, forms in clauses:
        folded = [f for _e, f in forms]
        if not set(folded) <= words:
            return False
        if phrase and not {e for e, f in forms if e != f} <= spellings:
            return False
        if phrase and len(folded) > 1 and not any(run[i:i + len(folded)] == folded for run in folded_runs for i in range(len(run))):
            return False
    return True


QUERIES = ["quy hoach can bo", "Đảng ủy", "dang uy", '"quy hoạch cán bộ"', "sinh hoat chi bo", "kiểm tra giám sát",
           "đại hội", "nghị quyết chuyên đề", "hoà giải", '"lấy phiếu giới thiệu quy hoạch"', "dân vận khéo",
           "cán bộ trẻ", "kết nạp đảng viên", "hội nghị sơ kết", "thủy lợi", "đồng chí bí thư", "xyzzy", "nhiệm kỳ 2025",
           '"ban chấp hành" đại hội', "phát biểu", "hung", "Hưng"]


def test_every_query_matches_exactly_the_articles_that_hold_it(small_heads):
    runs = article_runs(small_heads / "content")
    answers = run_engine(small_heads / "output", {"searches": [{"text": q, "k": 400} for q in QUERIES]})
    for query, found in zip(QUERIES, answers["searches"], strict=True):
        parsed = searchtext.normalise(query.replace('"', " \0 "))
        quoted = query.split('"')
        clauses = [(i % 2 == 1, list(run)) for i, part in enumerate(quoted) for run in searchtext.normalise(part)]
        expected = {url for url, article_runs_ in runs.items() if matches(article_runs_, clauses)}
        assert parsed is not None
        assert found["total"] == len(expected), query
        assert {url.rstrip("/").rsplit("/", 1)[-1] for url in found["urls"]} == expected, query


def test_the_heads_give_the_order_reading_every_posting_gives(small_heads):
    searches = [{"text": q, "k": k} for q in QUERIES for k in (1, 10, 25)]
    heads = run_engine(small_heads / "output", {"searches": searches})["searches"]
    whole = run_engine(small_heads / "output", {"searches": [dict(s, exhaustive=True) for s in searches]})["searches"]
    assert [h["urls"] for h in heads] == [w["urls"] for w in whole]
    assert any(h["total"] > 25 for h in heads)  # the check covers long lists
    tails = list((small_heads / "output" / searchindex.BUNDLE / "t").iterdir())
    assert len(tails) > 50  # and the terms really were split into heads and tails


def test_files_are_named_by_their_content_and_the_manifest_lists_them(small_heads):
    bundle = small_heads / "output" / searchindex.BUNDLE
    manifest = json.loads((bundle / searchindex.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["version"] == searchindex.VERSION and manifest["documents"] == 240
    for folder in ("s", "p", "q", "t", "f"):
        for path in (bundle / folder).iterdir():
            assert path.stem == hashlib.sha256(path.read_bytes()).hexdigest()[:12], path
    listed = {f"s/{row[1]}.bin" for row in manifest["syllables"]} | {f"p/{row[1]}.bin" for row in manifest["pairs"]}
    listed |= {f"q/{row[1]}.bin" for row in manifest["positions"]} | {f"f/{manifest['facets']['file']}.bin"}
    present = {f"{p.parent.name}/{p.name}" for folder in ("s", "p", "q", "f") for p in (bundle / folder).iterdir()}
    assert listed == present
    docs = sorted((bundle / "d" / manifest["docs"]["folder"]).iterdir(), key=lambda p: int(p.stem))
    assert len(docs) == 240 // manifest["docs"]["size"]
    names = "".join(hashlib.sha256(p.read_bytes()).hexdigest()[:12] for p in docs)
    assert manifest["docs"]["folder"] == hashlib.sha256(names.encode()).hexdigest()[:12]
    assert not list(bundle.rglob(".*"))  # no spill or temporary file left


def bundle_files(output: Path) -> dict[str, bytes]:
    """Return every file of the search index."""
    folder = output / searchindex.BUNDLE
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_index_is_the_same_bytes_whatever_the_number_of_workers(tmp_path, monkeypatch):
    files = {f"articles/2022/bai-{n}.md": article(title=f"Hội nghị cán bộ số {n}", date=f"{n % 28 + 1:02d}/04/2022",
                                                 body=f"Đồng chí Bí thư chủ trì hội nghị lần thứ {n}; Đảng ủy hoà thuận.")
             for n in range(1, 121)}
    monkeypatch.setattr(searchindex, "CHUNK", 16)  # 120 articles: worker processes, several tasks each
    outputs = []
    for workers in (1, 2):
        root = tmp_path / f"w{workers}"
        write_content(root / "content", files)
        outcome = build_into(root / "content", root / "output", {"BULLETIN_WORKERS": workers},
                             finishers=(searchindex.build_index,))
        assert outcome.ok, outcome.errors
        outputs.append(bundle_files(root / "output"))
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) > 5


def test_facets_roll_units_up_to_their_ancestors(build_site):
    site = build_site({
        "articles/2022/a.md": article(title="Một", units=["chi-bo-hung"], terms=["2020-2025"]),
        "articles/2023/b.md": article(title="Hai", date="05/05/2023", units=["ban-to-chuc"]),
    }, finishers=(searchindex.build_index,))
    assert site.outcome.ok, site.outcome.errors
    answers = run_engine(site.output, {"searches": [{"filters": {"unit": "huyen-uy-hon-quan"}, "counts": True, "k": 5},
                                                    {"filters": {"year": "2023"}, "k": 5}]})
    first, second = answers["searches"]
    assert first["urls"] == ["2022/04/a/"]
    # a facet's own filter is left out of its counts; the other facets count within it
    assert first["counts"]["unit"]["tinh-uy"] == 2  # the root holds both, through its descendants
    assert first["counts"]["unit"]["chi-bo-hung"] == 1 and first["counts"]["unit"]["ban-to-chuc"] == 1
    assert first["counts"]["unit"]["dang-uy-khoi"] == 0
    assert first["counts"]["year"] == {"2022": 1, "2023": 0}
    assert first["counts"]["term"] == {"2020-2025": 1}
    assert second["urls"] == ["2023/05/b/"]


def test_an_article_in_nfd_and_a_query_in_nfd_meet(build_site):
    site = build_site({"articles/2022/a.md": unicodedata.normalize("NFD", article(title="Hoà giải ở ấp Hùng",
                                                                                  body="Tổ hoà giải họp."))},
                      finishers=(searchindex.build_index,))
    assert site.outcome.ok, site.outcome.errors
    answers = run_engine(site.output, {"searches": [{"text": unicodedata.normalize("NFD", "hòa giải"), "k": 3, "excerpts": True}]})
    found = answers["searches"][0]
    assert found["titles"] == ["Hoà giải ở ấp Hùng"]  # shown as written, in NFC
    assert ["Hoà giải", True] in found["excerpts"][0] or ["hoà giải", True] in found["excerpts"][0]


def test_a_quoted_phrase_keeps_the_marks_the_reader_typed(build_site):
    site = build_site({
        "articles/2022/a.md": article(title="Đảng ủy xã họp", body="Đảng ủy xã họp thường kỳ."),
        "articles/2022/b.md": article(title="Việc đang ủy thác", date="05/04/2022", body="Hồ sơ đang ủy thác cho tổ."),
    }, finishers=(searchindex.build_index,))
    assert site.outcome.ok, site.outcome.errors
    quoted, bare, plain = run_engine(site.output, {"searches": [
        {"text": '"Đảng ủy"', "k": 5}, {"text": '"dang uy"', "k": 5}, {"text": "Đảng ủy", "k": 5}]})["searches"]
    assert quoted["titles"] == ["Đảng ủy xã họp"]  # "đang ủy" is not the phrase the reader typed
    assert sorted(bare["titles"]) == ["Việc đang ủy thác", "Đảng ủy xã họp"]  # typed without marks: both
    assert plain["titles"] == ["Đảng ủy xã họp", "Việc đang ủy thác"]  # unquoted: both, the exact spelling first


def test_a_syllable_being_typed_is_completed_from_what_follows_the_one_before_it(build_site, monkeypatch):
    # "tế" is in one article only; ten other syllables starting with t are in every other article, so the most
    # frequent completions of "t" leave it out: the words that follow "kinh" somewhere bring it in.
    common = " ".join(["tổ", "tỉnh", "tình", "tác", "tại", "tốt", "tiếp", "tục", "tăng", "tổng"])
    files = {f"articles/2022/bai-{n}.md": article(title=f"Bài số {n}", date=f"{n + 1:02d}/04/2022",
                                                  body="Phát huy kinh tế." if n == 7 else f"Họp {common}.")
             for n in range(12)}
    monkeypatch.setattr(searchindex, "SHARD", 256)  # small shards: the t-syllables fill several
    site = build_site(files, finishers=(searchindex.build_index,))
    assert site.outcome.ok, site.outcome.errors
    typing, whole = run_engine(site.output, {"searches": [{"text": "kinh t", "typing": True, "k": 20},
                                                          {"text": "kinh tế", "k": 20}]})["searches"]
    assert whole["titles"] == ["Bài số 7"]
    assert typing["titles"] == ["Bài số 7"] and typing["total"] == 1


def test_a_build_without_articles_writes_an_empty_index_the_engine_reads(build_site):
    site = build_site({"pages/gioi-thieu.md": '---\ntitle: "Giới thiệu"\n---\n\nTrang.\n'}, finishers=(searchindex.build_index,))
    assert site.outcome.ok, site.outcome.errors
    answers = run_engine(site.output, {"searches": [{"text": "giới thiệu", "k": 3}]})
    assert answers["searches"][0]["total"] == 0


def test_the_finisher_needs_no_external_indexer(build_site, monkeypatch):
    monkeypatch.setenv("PATH", "")  # no node, no npm: the index is written by Python alone
    site = build_site({"articles/2022/a.md": article()}, finishers=(searchindex.build_index,))
    assert site.outcome.ok, site.outcome.errors
    assert (site.output / searchindex.BUNDLE / searchindex.MANIFEST).is_file()
    assert not (site.output / "pagefind").exists()
    assert not os.path.exists(site.output / searchindex.BUNDLE / ".spill")
