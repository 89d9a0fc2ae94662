"""Where the book and its built site are, and which pages the table of contents builds.

Shared by the site tests (a module of its own: ``tests/`` has a conftest too, so never
``from conftest import``).
"""

from __future__ import annotations

from pathlib import Path

import jupytext
import yaml

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"


def toc_docnames() -> list[str]:
    """Every page in _toc.yml (only those are built), as Sphinx docnames: ``book/01_regression_argmax``."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [toc["root"]] + [chapter["file"] for part in toc.get("parts", []) for chapter in part["chapters"]]


def executed_docnames() -> list[str]:
    """The pages that run code: a kernelspec in their front matter."""
    return [name for name in toc_docnames() if jupytext.read(ROOT / f"{name}.md").metadata.get("kernelspec")]


def chapter_docnames() -> list[str]:
    """The chapters: executed pages with exercises, whose student edition the site offers."""
    return [name for name in executed_docnames() if "\n## Exercises\n" in (ROOT / f"{name}.md").read_text()]
