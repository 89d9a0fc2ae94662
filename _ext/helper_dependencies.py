"""Rebuild a chapter when a ``helpers`` module it imports changes, not only when its text does.

Sphinx re-reads a page when its source, or a file noted as one of its dependencies, is newer than
the page's last read; MyST-NB executes every page it reads (``execute_notebooks: force``). So an
incremental ``jupyter-book build .`` re-executes exactly the pages that changed, provided Sphinx
knows what each page depends on. jupyter-cache is no help here: its key is a notebook's code cells
only, so an edit to ``helpers/`` re-executes nothing.

This extension notes, for every notebook page, each module of the packages named in
``dependency_packages`` that the page imports, directly or through the imports of those modules
(package ``__init__`` files included), and the files in the folders of those modules' packages
that are not packages (:func:`asset_files`). Imports are read from the code, not run: a module
is found by its dotted name under the package's folder.

Pages can also depend on other pages, through what those pages save when they run (the
reproduction report reads the numbers chapters 3 and 4 save): ``page_dependencies`` maps such a
page to the pages it reads. It is re-read whenever one of them is, and read after them.

A package the book holds (a folder of that name beside ``_config.yml``) must also be the one its
pages import. A second copy of the book that shares the first one's virtual environment would
otherwise import the first copy's ``helpers`` (``pip install -e`` maps the name to one folder)
and build with code that is not its own, silently; the build stops with one line instead.
"""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path

import jupytext


def imported_names(code: str, module: str = "", is_package: bool = False) -> set[str]:
    """Dotted names ``code`` imports (``from a import b`` gives ``a`` and ``a.b``). ``module`` is the
    importing module's name, for relative imports. Lines of IPython magics (``%``, ``!``) are skipped."""
    lines = [line for line in code.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the importing module's package
                parts = module.split(".") if is_package else module.split(".")[:-1]
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join(parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
    return names


def module_file(name: str, roots: dict[str, Path]) -> Path | None:
    """The file of module ``name`` if it belongs to one of ``roots`` (package name -> folder)."""
    top, *rest = name.split(".")
    if top not in roots:
        return None
    path = roots[top].joinpath(*rest)
    for candidate in (path / "__init__.py", path.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


def dependencies(code: str, roots: dict[str, Path]) -> set[Path]:
    """Every file of the ``roots`` packages that running ``code`` imports."""
    found: dict[str, Path] = {}
    pending = list(imported_names(code))
    while pending:
        name = pending.pop()
        parts = name.split(".")
        for depth in range(1, len(parts) + 1):  # importing a.b.c runs a/__init__ and a/b/__init__ first
            prefix = ".".join(parts[:depth])
            path = module_file(prefix, roots)
            if path is None or prefix in found:
                continue
            found[prefix] = path
            pending.extend(imported_names(path.read_text(), prefix, path.name == "__init__.py"))
    return set(found.values()) | {asset for path in found.values() for asset in asset_files(path.parent)}


def asset_files(package: Path) -> set[Path]:
    """The files in a package's folders that are not packages themselves, such as the JavaScript
    that chapter 1's widget puts into its page (``helpers/ch01_regression_argmax/js/``): a module
    of the package may read them, so a page that imports the package depends on them too."""
    return {
        path
        for folder in package.iterdir()
        if folder.is_dir() and folder.name != "__pycache__" and not (folder / "__init__.py").exists()
        for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def package_roots(packages: list[str]) -> dict[str, Path]:
    """Package name -> its folder, found without importing it."""
    roots = {}
    for package in packages:
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.submodule_search_locations:
            roots[package] = Path(next(iter(spec.submodule_search_locations)))
    return roots


def foreign_package(package: str, book: Path) -> str | None:
    """Why ``package`` is not the one in ``book`` (one line), or None if it is or the book has none."""
    own = book.resolve() / package
    if not (own / "__init__.py").is_file():
        return None
    found = package_roots([package]).get(package)
    if found is not None and found.resolve() == own:
        return None
    where = f"from {found}" if found is not None else "from nowhere (it is not installed)"
    return (
        f"`{package}` is imported {where}, not from this book's {own}: this environment belongs to "
        f"another copy of the book; run `pip install -e {book.resolve()}` in it, or give each copy "
        "its own virtual environment"
    )


def refuse_foreign_packages(app, config):
    for package in config.dependency_packages:
        reason = foreign_package(package, Path(app.confdir))
        if reason:
            print(f"error: {reason}", file=sys.stderr)
            sys.exit(2)


def note_helper_dependencies(app, docname, source):
    path = Path(app.env.doc2path(docname))
    if path.suffix not in (".md", ".ipynb", ".py"):
        return
    notebook = jupytext.reads(source[0], fmt=path.suffix.lstrip("."))
    if "kernelspec" not in notebook.metadata:
        return  # a plain page: nothing is executed
    code = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    for dependency in sorted(dependencies(code, package_roots(app.config.dependency_packages))):
        app.env.note_dependency(str(dependency))


def dependent_pages(app, env, added, changed, removed):
    """Pages to re-read because a page they depend on (``page_dependencies``) is re-read."""
    rereading = set(added) | set(changed)
    return [
        page
        for page, sources in app.config.page_dependencies.items()
        if page in env.found_docs and page not in rereading and rereading & set(sources)
    ]


def read_dependents_last(app, env, docnames):
    """Sphinx reads pages in name order; a page that reads others' results must come after them."""
    dependents = [name for name in docnames if name in app.config.page_dependencies]
    docnames[:] = [name for name in docnames if name not in dependents] + dependents


def setup(app):
    app.add_config_value("dependency_packages", ["helpers"], "env")
    app.add_config_value("page_dependencies", {}, "env")
    app.connect("config-inited", refuse_foreign_packages)
    app.connect("source-read", note_helper_dependencies)
    app.connect("env-get-outdated", dependent_pages)
    app.connect("env-before-read-docs", read_dependents_last)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
