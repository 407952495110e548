"""Files written straight after `invoke check` and `invoke import`, as an editor types them (or a shell glob)."""

from __future__ import annotations

import pytest

from conftest import ROOT, article, write_content
from conftest import run_invoke as invoke

GOOD = article(title="Bài hợp lệ", date="04/04/2022 08:30", units=["huyen-uy-hon-quan"])
BAD = article(title="Bài sai ngày", date="31/02/2022", units=["huyen-uy-hon-quan"])
RAW = ROOT / "tests" / "fixtures" / "raw"


@pytest.fixture
def content(registry_content):
    write_content(registry_content, {"articles/2022/hop-le.md": GOOD, "articles/2022/sai-ngay.md": BAD,
                                     "articles/2022/hop-le-2.md": GOOD.replace("Bài hợp lệ", "Bài hợp lệ thứ hai")})
    return registry_content


def test_check_takes_several_files_after_its_name(content):
    folder = content / "articles" / "2022"
    good = invoke("check", str(folder / "hop-le.md"), str(folder / "hop-le-2.md"), "--content", str(content))
    assert good.returncode == 0, good.stdout + good.stderr
    mixed = invoke("check", "--content", str(content), str(folder / "hop-le.md"), str(folder / "sai-ngay.md"))
    assert mixed.returncode == 1
    assert f"{folder / 'sai-ngay.md'}:3: " in mixed.stdout + mixed.stderr
    assert "No idea" not in mixed.stderr


def test_check_reads_a_flag_value_as_the_flag_s_not_as_a_file(content):
    result = invoke("check", "--format", "json", str(content / "articles" / "2022" / "sai-ngay.md"), "--content", str(content))
    assert result.returncode == 1
    assert '"line": 3' in result.stdout


def test_import_takes_several_files_after_its_name(registry_content):
    result = invoke("import", "--dry-run", str(RAW / "khong-ngay.txt"), str(RAW / "thu-trong-tuan.txt"),
                    "--content", str(registry_content))
    assert result.stdout.count("---\ntitle: ") == 2, result.stderr
    assert "No idea" not in result.stderr


def test_import_without_a_file_says_how_to_use_it(registry_content):
    result = invoke("import", "--content", str(registry_content))
    assert result.returncode == 2
    assert "Cách dùng: invoke import" in result.stderr


def parse(argv: list[str]) -> dict[str, dict]:
    """Parse a command line with invoke's own parser and this project's tasks: {task: its arguments}."""
    import importlib.util

    from invoke import Collection
    from invoke.parser import Parser

    spec = importlib.util.spec_from_file_location("tasks", ROOT / "tasks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    contexts = Collection.from_module(module).to_contexts()
    return {context.name: context.as_kwargs for context in Parser(contexts=contexts).parse_argv(argv)}


def test_a_file_named_like_a_task_is_a_file_for_check(tmp_path, monkeypatch):
    assert parse(["check", "build"]) == {"check": {"paths": [], "content": None, "format": "text"}, "build": {
        "content": None, "output": None, "production": False}}  # no such file: two tasks
    monkeypatch.chdir(tmp_path)
    (tmp_path / "build").write_text(GOOD, encoding="utf-8")
    assert parse(["check", "build", "--format", "json"]) == {"check": {"paths": ["build"], "content": None, "format": "json"}}
