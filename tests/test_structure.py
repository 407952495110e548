"""The plugin's shape: its modules import one another in one direction only, imports inside functions included;
the settings write articles and pages where urls.py says they are."""

from __future__ import annotations

import ast
from datetime import datetime
from pathlib import Path

from conftest import ROOT
from pelican.plugins.bulletin.build import read_settings
from pelican.plugins.bulletin.urls import ARTICLES, DOCUMENTS, IMAGES, PAGES, URLS, save_as

PACKAGE = ROOT / "plugins" / "pelican" / "plugins" / "bulletin"
NAME = "pelican.plugins.bulletin"


def module_name(path: Path, package: Path) -> str:
    """Return a module's dotted name inside the package (a subpackage's __init__.py is the subpackage)."""
    parts = list(path.relative_to(package).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def runtime_imports(tree: ast.AST):
    """Yield the import statements of a module that run (anywhere but under `if TYPE_CHECKING:`)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
            stack.extend(node.orelse)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def imported(path: Path, package: Path, modules: set[str]) -> set[str]:
    """Return the package's modules a file imports, anywhere in it."""
    name = module_name(path, package)
    parts = name.split(".") if name else []
    here = parts if path.name == "__init__.py" else parts[:-1]  # the package relative imports start from
    found = set()
    for node in runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - (node.level - 1)] + (node.module.split(".") if node.module else [])
            elif node.module and node.module.startswith(NAME + "."):
                base = node.module[len(NAME) + 1:].split(".")
            else:
                continue
            target = ".".join(base)
            found |= {target} & modules
            found |= {f"{target}.{alias.name}".lstrip(".") for alias in node.names} & modules
        elif isinstance(node, ast.Import):
            found |= {alias.name[len(NAME) + 1:] for alias in node.names if alias.name.startswith(NAME + ".")} & modules
    return found - {name}


def import_cycles(package: Path) -> list[list[str]]:
    """Return the import cycles among a package's modules (each as the chain of modules, first repeated last)."""
    files = {module_name(p, package): p for p in package.rglob("*.py")}
    graph = {name: sorted(imported(path, package, set(files) - {""})) for name, path in files.items()}
    cycles, done = [], set()

    def visit(name: str, chain: list[str]) -> None:
        if name in chain:
            cycles.append(chain[chain.index(name):] + [name])
            return
        if name in done:
            return
        for target in graph.get(name, ()):
            visit(target, [*chain, name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])
    return cycles


def test_the_plugin_has_no_import_cycle():
    assert import_cycles(PACKAGE) == []


def test_the_cycle_finder_finds_a_cycle_made_through_a_lazy_import_and_not_one_made_for_type_checkers(tmp_path):
    (tmp_path / "build.py").write_text("from . import publish\nfrom .text import nfc\n", encoding="utf-8")
    (tmp_path / "publish.py").write_text("def deploy():\n    from .build import swap\n", encoding="utf-8")
    (tmp_path / "text.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import build\n", encoding="utf-8")
    assert import_cycles(tmp_path) == [["build", "publish", "build"]]


def test_pelicanconf_writes_articles_and_pages_where_urls_says():
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    moment = datetime(2022, 4, 5, 8, 30)
    article = URLS["article"].format(year=2022, month=4, slug="hoi-nghi")
    assert settings["ARTICLE_URL"].format(date=moment, slug="hoi-nghi") == article == "2022/04/hoi-nghi/"
    assert settings["ARTICLE_SAVE_AS"].format(date=moment, slug="hoi-nghi") == save_as(article)
    assert settings["PAGE_URL"].format(slug="gioi-thieu") == URLS["page"].format(slug="gioi-thieu")
    assert settings["PAGE_SAVE_AS"].format(slug="gioi-thieu") == save_as(URLS["page"].format(slug="gioi-thieu"))
    assert (settings["ARTICLE_PATHS"], settings["PAGE_PATHS"], settings["STATIC_PATHS"]) == ([ARTICLES], [PAGES], [IMAGES, DOCUMENTS])
