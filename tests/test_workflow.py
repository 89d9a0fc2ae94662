"""The GitHub Actions workflow (.github/workflows/book.yml): it runs the README's and .ci/run's
commands, deploys only what its tests passed, only from the default branch, with every action
pinned to a commit. Each rule is also checked to fail on a workflow that breaks it."""

import copy
import re
import shlex
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "book.yml"
PINNED = re.compile(r"[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}")
#: Steps the workflow needs that .ci/run does not (the runner's browser; the deploy's own).
SETUP_STEPS = {"Chromium and poppler (the PDF and the browser tests)"}


def load() -> dict:
    # PyYAML reads the key `on` as True
    return {("on" if key is True else key): value for key, value in yaml.safe_load(WORKFLOW.read_text()).items()}


def ci_steps() -> dict[str, str]:
    """Each `step NAME COMMAND...` of .ci/run, with its arrays and functions written out."""
    ci = (ROOT / ".ci" / "run").read_text()
    lint_paths = " ".join(shlex.split(re.search(r"^lint_paths=\((.*)\)$", ci, re.MULTILINE).group(1)))
    steps = {}
    for name, command in re.findall(r"^step (\w+) (.*)$", ci, re.MULTILINE):
        command = command.replace('"${lint_paths[@]}"', lint_paths)
        steps[name] = " ".join(shlex.split(command))
    return steps


def readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    return re.findall(r"^(pip install -r requirements\.txt|jupyter-book build \.|pytest)\s+#", readme, re.MULTILINE)


def problems(workflow: dict) -> list[str]:
    """What is wrong with ``workflow``: a list of one-line reasons, empty if nothing is."""
    found = []
    jobs = workflow.get("jobs", {})
    test, deploy = jobs.get("test-and-build", {}), jobs.get("deploy", {})
    needs = deploy.get("needs") or []
    if "test-and-build" not in ([needs] if isinstance(needs, str) else needs):
        found.append("the deploy job does not need the test-and-build job")
    condition = str(deploy.get("if", ""))
    if "github.event_name == 'push'" not in condition or "default_branch" not in condition:
        found.append("the deploy job does not run only on a push to the default branch")
    if workflow.get("permissions") != {}:
        found.append("the workflow's default permissions are not empty")
    if (deploy.get("concurrency") or {}).get("cancel-in-progress") is not False:
        found.append("two deploys may race")
    for job in jobs.values():
        for step in job.get("steps", []):
            if "uses" in step and not PINNED.fullmatch(step["uses"]):
                found.append(f"{step['uses']} is not pinned to a commit")
    ci = ci_steps()
    readme = readme_commands()
    allowed = {**ci, "data": "python -m helpers.data --download"}  # CI has the data; a runner downloads it
    for step in test.get("steps", []):
        if "run" not in step or step.get("name") in SETUP_STEPS:
            continue
        name, command = step.get("name"), " ".join(step["run"].split())
        if allowed.get(name) != command:
            found.append(f"step {name!r} runs {command!r}, not .ci/run's {allowed.get(name)!r}")
    commands = {step.get("name"): " ".join(step.get("run", "").split()) for step in test.get("steps", [])}
    if [commands.get("install"), commands.get("test")] != [readme[0], readme[2]]:
        found.append("the install or test step is not the README's command")
    if not re.fullmatch(r"jupyter-book build( -[-\w]+)* \.", commands.get("build") or ""):
        found.append("the build step is not the README's build command")
    return found


def test_the_workflow_has_no_problem():
    assert problems(load()) == []


def without_needs(workflow):
    del workflow["jobs"]["deploy"]["needs"]


def by_tag(workflow):
    workflow["jobs"]["test-and-build"]["steps"][0]["uses"] = "actions/checkout@v4"


def another_command(workflow):
    step = next(step for step in workflow["jobs"]["test-and-build"]["steps"] if step.get("name") == "test")
    step["run"] = "pytest -k 'not slow'"


def on_every_branch(workflow):
    workflow["jobs"]["deploy"]["if"] = "always()"


def racing(workflow):
    workflow["jobs"]["deploy"]["concurrency"]["cancel-in-progress"] = True


@pytest.mark.parametrize(
    "break_it, problem",
    [
        (without_needs, "does not need the test-and-build job"),
        (by_tag, "actions/checkout@v4 is not pinned"),
        (another_command, "step 'test' runs \"pytest -k 'not slow'\""),
        (on_every_branch, "not run only on a push to the default branch"),
        (racing, "two deploys may race"),
    ],
)
def test_a_broken_workflow_is_caught(break_it, problem):
    workflow = copy.deepcopy(load())
    break_it(workflow)
    assert any(problem in found for found in problems(workflow)), problems(workflow)


def test_the_site_goes_to_the_branch_the_colab_buttons_read():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    branch = config["sphinx"]["config"]["notebooks_branch"]
    deploy = load()["jobs"]["deploy"]
    assert any(step.get("env", {}).get("NOTEBOOKS_BRANCH") == branch for step in deploy["steps"])
    assert f'BRANCH = "{branch}"' in (ROOT / "_ext" / "publish_site.py").read_text()
