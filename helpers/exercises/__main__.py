"""``python -m helpers.exercises student-notebooks OUTDIR``: the student edition of every chapter.

Writes ``OUTDIR/<chapter>.ipynb`` for each chapter of the book (``book/*.md`` notebooks that have
exercises): the chapter without its exercises' solutions, answer cells empty, not executed, with
the setup cells that install this package where it is missing (see :mod:`helpers.notebooks`).
A teacher hands these out; the checkers the answer cells call still work in them. Their text is
the sources' MyST, without the numbers a build computes: the student editions the site publishes
(``X-student.ipynb``) have them, in Jupyter Markdown.

Each file is written under a temporary name and renamed (``cli.write_atomically``), so that a
notebook in OUTDIR is whole.
Exit statuses as every tool of the book (:mod:`helpers.cli`).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from .. import cli

BOOK = Path(__file__).resolve().parents[2]


def folder(text: str) -> Path:
    """An argparse type: a folder name, not an empty one (which would mean the current folder)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty name is not a folder; name the folder for the notebooks")
    return Path(text)


def build_parser():
    parser = cli.OneLineParser(
        prog="python -m helpers.exercises",
        description="Make the student edition of the book's chapters: no solutions, answers left to write.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    student = commands.add_parser(
        "student-notebooks", help="write each chapter's student notebook into OUTDIR", description=__doc__
    )
    student.add_argument("outdir", type=folder, metavar="OUTDIR", help="folder for the notebooks (made if missing)")
    student.add_argument("--book", type=Path, default=BOOK, help="the book's folder (default: %(default)s)")
    return parser


class BrokenBook(Exception):
    """A source of the book that cannot give a whole student edition: one line, naming the file."""


#: The repository the setup cell installs from: the only addresses it may name (it goes to pip).
GITHUB = re.compile(r"https://github\.com/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")


def read_yaml(path: Path) -> dict:
    import yaml

    try:
        found = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise BrokenBook(f"{path}: cannot be read ({' '.join(str(error).split())[:200]})") from None
    if not isinstance(found, dict):
        raise BrokenBook(f"{path}: not a YAML mapping")
    return found


def repository(book: Path) -> tuple[str, str, str]:
    """The repository the book is published from, the commit its sources are at (else the branch
    ``_config.yml`` names), and the published site's address."""
    import subprocess

    config = read_yaml(book / "_config.yml")
    where = config.get("repository") or {}
    url = str(where.get("url", "")).rstrip("/") if isinstance(where, dict) else ""
    if not GITHUB.fullmatch(url):
        raise BrokenBook(f"{book / '_config.yml'}: repository.url must be a GitHub repository's address, not {url!r}")
    found = subprocess.run(["git", "rev-parse", "HEAD"], cwd=book, capture_output=True, text=True)
    commit = found.stdout.strip() if found.returncode == 0 else str(where.get("branch", "main"))
    if not re.fullmatch(r"[\w.-]+", commit):
        raise BrokenBook(f"{book / '_config.yml'}: repository.branch {commit!r} is not a branch name")
    html = config.get("html") or {}
    return url, commit, str(html.get("baseurl", "")) if isinstance(html, dict) else ""


def lessons(book: Path) -> list[Path]:
    """The chapters that have exercises: the pages of the table of contents' "Lessons" part."""
    toc = read_yaml(book / "_toc.yml")
    parts = [part for part in toc.get("parts") or [] if isinstance(part, dict) and part.get("caption") == "Lessons"]
    chapters = [chapter for part in parts for chapter in part.get("chapters") or []]
    files = [chapter.get("file") if isinstance(chapter, dict) else None for chapter in chapters]
    if not files or not all(isinstance(file, str) for file in files):
        raise BrokenBook(f"{book / '_toc.yml'}: no 'Lessons' part listing the chapters")
    return [book / f"{file}.md" for file in files]


def student_notebooks(book: Path) -> dict[str, object]:
    """Each chapter's student notebook, by file name, read from the book's sources; a chapter that
    cannot give one (unreadable, cut, without exercises, solutions that do not parse) is refused."""
    import jupytext

    from ..notebooks import reader_requirements, setup_cells, student_notebook

    url, commit, site = repository(book)
    requirements = reader_requirements(book)
    notebooks = {}
    for source in lessons(book):
        try:
            chapter = jupytext.reads(source.read_text(encoding="utf-8"), fmt="md:myst")
            if not chapter.metadata.get("kernelspec"):
                raise ValueError("no kernelspec in its front matter: not a whole chapter")
            student = student_notebook(chapter)
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise BrokenBook(f"{source}: no student edition, {' '.join(str(error).split())[:200]}") from None
        except Exception as error:  # jupytext's own errors on a damaged file
            raise BrokenBook(f"{source}: cannot be read as a chapter ({type(error).__name__})") from None
        page = f"{site.rstrip('/')}/book/{source.stem}.html"
        student.cells[0:0] = setup_cells(url, commit, requirements, page)
        for number, cell in enumerate(student.cells):  # the same sources write the same bytes
            cell["id"] = cell["id"] if cell["id"].startswith("book-setup") else f"cell-{number}"
        notebooks[f"{source.stem}.ipynb"] = student
    return notebooks


def write_notebooks(notebooks: dict, outdir: Path) -> None:
    import nbformat

    outdir.mkdir(parents=True, exist_ok=True)
    for name, notebook in notebooks.items():
        cli.write_atomically(
            outdir / name, lambda stream, notebook=notebook: stream.write(nbformat.writes(notebook).encode())
        )


def main() -> int:
    args = build_parser().parse_args()
    if not (args.book / "_config.yml").is_file() or not (args.book / "book").is_dir():
        return cli.print_error(f"{args.book} is not the book's folder (no _config.yml and book/); pass --book")
    if args.outdir.exists() and not args.outdir.is_dir():
        return cli.print_error(f"{args.outdir} is a file, not a folder; choose a folder for the notebooks")
    if args.outdir.resolve() == (args.book / "book").resolve():
        return cli.print_error(f"{args.outdir} holds the chapters' sources; choose another folder for the notebooks")
    try:
        notebooks = student_notebooks(args.book)
    except BrokenBook as error:
        return cli.print_error(error)
    write_notebooks(notebooks, args.outdir)
    for name in notebooks:
        print(args.outdir / name)
    return 0


if __name__ == "__main__":
    cli.run(main, "the notebooks already written are whole; run again to write the rest")
