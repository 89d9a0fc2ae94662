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

from pathlib import Path

from .. import cli

BOOK = Path(__file__).resolve().parents[2]


def build_parser():
    parser = cli.OneLineParser(
        prog="python -m helpers.exercises",
        description="Make the student edition of the book's chapters: no solutions, answers left to write.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    student = commands.add_parser(
        "student-notebooks", help="write each chapter's student notebook into OUTDIR", description=__doc__
    )
    student.add_argument("outdir", type=Path, metavar="OUTDIR", help="folder for the notebooks (made if missing)")
    student.add_argument("--book", type=Path, default=BOOK, help="the book's folder (default: %(default)s)")
    return parser


def repository(book: Path) -> tuple[str, str, str]:
    """The repository the book is published from, the commit its sources are at (else the branch
    ``_config.yml`` names), and the published site's address."""
    import subprocess

    import yaml

    config = yaml.safe_load((book / "_config.yml").read_text()) or {}
    where = config.get("repository") or {}
    found = subprocess.run(["git", "rev-parse", "HEAD"], cwd=book, capture_output=True, text=True)
    commit = found.stdout.strip() if found.returncode == 0 else where.get("branch", "main")
    return where.get("url", ""), commit, (config.get("html") or {}).get("baseurl", "")


def student_notebooks(book: Path) -> dict[str, object]:
    """Each chapter's student notebook, by file name, read from the book's sources."""
    import jupytext

    from ..notebooks import reader_requirements, setup_cells, student_notebook

    url, commit, site = repository(book)
    requirements = reader_requirements(book)
    notebooks = {}
    for source in sorted((book / "book").glob("*.md")):
        chapter = jupytext.read(source)
        if not chapter.metadata.get("kernelspec"):
            continue  # a page of text, not a notebook
        try:
            student = student_notebook(chapter)
        except ValueError:
            continue  # no exercises to hand out
        page = f"{site.rstrip('/')}/book/{source.stem}.html"
        student.cells[0:0] = setup_cells(url, commit, requirements, page)
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
    notebooks = student_notebooks(args.book)
    if not notebooks:
        return cli.print_error(f"no chapter with exercises in {args.book / 'book'}")
    write_notebooks(notebooks, args.outdir)
    for name in notebooks:
        print(args.outdir / name)
    return 0


if __name__ == "__main__":
    cli.run(main, "the notebooks already written are whole; run again to write the rest")
