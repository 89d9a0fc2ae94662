"""One rule for helpers/: a module is shared only if two or more chapters use it; otherwise it lives
in the package named after its chapter's file (book/03_cifar_one_layer.md -> helpers/ch03_cifar_one_layer/).

"Use" is what the book build tracks (_ext/helper_dependencies.py): the helpers files a chapter's
code imports, directly or through other helpers modules; and what its package's command-line tool
(``python -m helpers.chNN_...``) imports."""

import sys
from pathlib import Path

import jupytext

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))
import helper_dependencies as deps  # noqa: E402

HELPERS = ROOT / "helpers"
#: Shared modules that no chapter imports: tooling for the tests, CI and benchmarks, and the build's
#: published notebooks and their student edition (_ext/published_notebooks.py, helpers.exercises' CLI).
TOOLING = {"numerics.py", "notebooks.py"}


def chapters() -> dict[str, set[Path]]:
    """Each chapter page's name (``03_cifar_one_layer``) and the helpers files it uses."""
    roots = deps.package_roots(["helpers"])
    used = {}
    for page in sorted((ROOT / "book").glob("0*.md")):
        notebook = jupytext.read(page)
        code = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
        if (HELPERS / f"ch{page.stem}" / "__main__.py").is_file():
            code += f"\nimport helpers.ch{page.stem}.__main__"
        used[page.stem] = deps.dependencies(code, roots)
    return used


def test_every_chapter_package_is_named_after_a_chapter_and_used_by_it_alone():
    used = chapters()
    packages = [p for p in HELPERS.iterdir() if p.is_dir() and p.name.startswith("ch")]
    assert packages, "no chapter packages found"
    for package in packages:
        page = package.name.removeprefix("ch")
        assert page in used, f"helpers/{package.name} is named after no page in book/"
        users = {chapter for chapter, files in used.items() if any(package in f.parents for f in files)}
        assert users == {page}, f"helpers/{package.name} is used by {sorted(users)}"


def test_every_module_at_the_top_of_helpers_is_used_by_two_chapters_or_more():
    used = chapters()
    shared = [p for p in HELPERS.iterdir() if p.name != "__init__.py" and not p.name.startswith(("ch", "_"))]
    for module in shared:
        if module.name in TOOLING:
            continue
        users = {
            chapter
            for chapter, files in used.items()
            if module in files or (module.is_dir() and any(module in f.parents for f in files))
        }
        assert len(users) >= 2, f"helpers/{module.name} is used by {sorted(users)}: move it into that chapter's package"
