"""Relevance: dozens of realistic queries with the article that must come first (or above another), on articles
written for these tests (tests/fixtures/search/relevance/), through the real build and the engine in Node."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import ROOT, run_engine, write_content
from pelican.plugins.bulletin import build as builder
from pelican.plugins.bulletin import searchindex

FIXTURES = ROOT / "tests" / "fixtures" / "search"
CASES = json.loads((FIXTURES / "relevance.json").read_text(encoding="utf-8"))["cases"]


@pytest.fixture(scope="module")
def ranked(tmp_path_factory):
    """Build the relevance site and run every case's query; return the answers by case."""
    root = tmp_path_factory.mktemp("relevance")
    write_content(root / "content", {})
    shutil.copytree(FIXTURES / "relevance" / "articles", root / "content" / "articles")
    overrides = {"THEME": str(ROOT / "theme"), "PLUGIN_PATHS": [str(ROOT / "plugins")]}
    outcome = builder.build(str(ROOT / "pelicanconf.py"), str(root / "content"), str(root / "output"), overrides,
                            (searchindex.build_index,))
    assert outcome.ok, outcome.errors
    searches = [{"text": case["query"], "typing": case.get("typing", False), "k": 100} for case in CASES]
    answers = run_engine(root / "output", {"searches": searches})["searches"]
    return {case["query"] + ("…" if case.get("typing") else ""): answer for case, answer in zip(CASES, answers, strict=True)}


def slugs(answer: dict) -> list[str]:
    """Return the slugs of the results, in order."""
    return [url.rstrip("/").rsplit("/", 1)[-1] for url in answer["urls"]]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case["query"] + ("…" if case.get("typing") else ""))
def test_the_right_article_comes_first(ranked, case):
    answer = ranked[case["query"] + ("…" if case.get("typing") else "")]
    found = slugs(answer)
    if "total" in case:
        assert answer["total"] == case["total"], found
    if "first" in case:
        assert found[:1] == [case["first"]], (case["why"], found)
    for higher, lower in case.get("above", []):
        assert higher in found and lower in found, (case["why"], higher, lower, found)
        assert found.index(higher) < found.index(lower), (case["why"], found)


def test_the_cases_cover_what_the_issue_asks():
    assert len(CASES) >= 40
    words = [c for c in CASES if "scattered" in c["why"] or " against " in c["why"]]
    exact = [c for c in CASES if "exact spelling" in c["why"] or " before " in c["why"]]
    phrases = [c for c in CASES if c["query"].startswith('"')]
    unmarked = [c for c in CASES if c["query"].isascii()]
    assert len(words) >= 8 and len(exact) >= 8 and len(phrases) >= 4 and len(unmarked) >= 10
