"""The README is for the book's readers: short, and its commands are the ones CI runs."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_readme_is_short_and_leaves_the_maintainers_manual_to_its_own_file():
    readme = (ROOT / "README.md").read_text()
    assert len(readme.split()) <= 1200
    assert "(CONTRIBUTING.md)" in readme and (ROOT / "CONTRIBUTING.md").is_file()


def test_the_readmes_install_build_and_test_commands_are_those_ci_runs():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    commands = re.findall(r"^(pip install -r requirements\.txt|jupyter-book build \.|pytest)\s+#", readme, re.MULTILINE)
    assert commands == ["pip install -r requirements.txt", "jupyter-book build .", "pytest"]
    assert "step install pip install -r requirements.txt\n" in ci and "step test pytest\n" in ci
    assert re.search(r"^step build jupyter-book build( -[-\w]+)* \.$", ci, re.MULTILINE)  # CI adds strictness only
