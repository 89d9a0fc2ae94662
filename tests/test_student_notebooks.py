"""The student edition (``python -m helpers.exercises student-notebooks OUTDIR``): every chapter
without its solutions, the answer cells empty, and every checker in it runnable."""

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from helpers.ch01_regression_argmax import exercises as ch1
from helpers.ch02_softmax_cross_entropy import exercises as ch2
from helpers.ch03_cifar_one_layer import exercises as ch3
from helpers.ch04_limits_of_linearity import exercises as ch4
from helpers.exercises import exercises_of
from helpers.notebooks import SETUP_MARKER, student_notebook, without_solutions

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = {
    "01_regression_argmax.ipynb": ch1,
    "02_softmax_cross_entropy.ipynb": ch2,
    "03_cifar_one_layer.ipynb": ch3,
    "04_limits_of_linearity.ipynb": ch4,
}


def command(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, "-m", "helpers.exercises", *map(str, args)], cwd=cwd, capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def notebooks(tmp_path_factory):
    outdir = tmp_path_factory.mktemp("student")
    done = command("student-notebooks", outdir)
    assert done.returncode == 0, done.stderr
    assert sorted(done.stdout.split()) == sorted(str(outdir / name) for name in CHAPTERS)
    assert sorted(path.name for path in outdir.iterdir()) == sorted(CHAPTERS)  # no temporary file left
    return {name: nbformat.read(outdir / name, as_version=4) for name in CHAPTERS}


def solution_lines(module) -> set[str]:
    """The lines of the reference answers' code that a student would have to write."""
    import inspect

    lines = set()
    for exercise in exercises_of(module).values():
        if callable(exercise.reference):
            body = inspect.getsource(exercise.reference).split('"""')[-1]
            lines |= {line.strip() for line in body.splitlines() if line.strip()}
    return lines


def exercises_part(notebook) -> list:
    start = next(n for n, cell in enumerate(notebook.cells) if "## Exercises" in cell.source)
    return notebook.cells[start:]


@pytest.mark.parametrize("name", CHAPTERS)
def test_no_solution_text_or_code_is_left(notebooks, name):
    notebook = notebooks[name]
    nbformat.validate(notebook)
    source = "\n".join(cell.source for cell in notebook.cells)
    code = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    assert "{admonition} Solution" not in source and ".solution()" not in code and "check_itself" not in code
    left = {line for line in solution_lines(CHAPTERS[name]) if line in source}
    assert left == set(), f"{name}: solution code left in the student notebook: {left}"
    code = [cell for cell in exercises_part(notebook) if cell.cell_type == "code"]
    assert len(code) >= 2 and all(cell.metadata.tags == ["answer"] for cell in code)
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code)
    assert notebook.cells[1].metadata.tags == [SETUP_MARKER]  # it installs `helpers` where missing
    assert all(cell.source.strip() for cell in notebook.cells), "an empty cell left where a solution was"


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_check_runs_and_says_not_yet_on_the_empty_answer(notebooks, name, tmp_path):
    notebook = notebooks[name]
    # the chapter's first cell imports what it uses, the checkers among them
    imports = next(
        c for c in notebook.cells if c.cell_type == "code" and SETUP_MARKER not in c.metadata.get("tags", [])
    )
    answers = [cell.source for cell in exercises_part(notebook) if cell.cell_type == "code"]
    script = tmp_path / "answers.py"
    script.write_text("\n\n".join([imports.source, *answers]) + "\n")
    ran = subprocess.run([sys.executable, str(script)], cwd=ROOT / "book", capture_output=True, text=True)
    assert ran.returncode == 0 and ran.stderr == "", ran.stderr[-2000:]
    lines = ran.stdout.splitlines()
    assert len(lines) == len(answers) and all(line.startswith("not yet: ") for line in lines), lines


def test_the_student_edition_is_refused_for_a_notebook_without_exercises():
    page = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# A page\n\n## Summary\n")])
    with pytest.raises(ValueError, match="no '## Exercises' section"):
        student_notebook(page)


def test_hostile_arguments_get_one_line(tmp_path):
    a_file = tmp_path / "taken"
    a_file.write_text("")
    cases = [
        (("student-notebooks", a_file), 1, "is a file, not a folder"),
        (("student-notebooks", tmp_path / "out", "--book", tmp_path), 1, "is not the book's folder"),
        (("student-notebooks",), 2, "error: the following arguments are required: OUTDIR"),
        (("grade-everything", tmp_path), 2, "invalid choice"),
    ]
    for args, status, words in cases:
        done = command(*args)
        assert done.returncode == status and words in done.stderr, (args, done.stderr)
        assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "fence",
    [
        ":::{admonition} Solution\n:class: dropdown\nThe answer.\n:::",
        "::::{admonition} Solution\n:class: dropdown\nThe answer.\n:::{note}\nA note.\n:::\n::::",
        "```{admonition} Solution\n:class: dropdown\nThe answer.\n```",
        ":::{admonition} solution\nThe answer.\n:::",
        "> :::{admonition} Solution\n> The answer.\n> :::",
    ],
)
def test_a_solution_in_any_valid_fence_is_cut(fence):
    assert without_solutions(f"**1.** Why?\n\n{fence}\n\n**2.** How?") == "**1.** Why?\n\n\n**2.** How?"


@pytest.mark.parametrize(
    "text, problem",
    [
        ("**1.** Why?\n\n:::{admonition} Solution\nThe answer, and the chapter ends.", "is not closed"),
        ("**1.** Why? See `{admonition} Solution` below.", "not an admonition"),
    ],
)
def test_a_solution_that_does_not_parse_is_refused_not_handed_out(text, problem):
    with pytest.raises(ValueError, match=problem):
        without_solutions(text)


@pytest.fixture
def book_copy(tmp_path):
    """The book's sources, to damage: the chapters, the configuration and the reader's pins."""
    book = tmp_path / "book-copy"
    shutil.copytree(ROOT / "book", book / "book", ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints"))
    for name in ("_config.yml", "_toc.yml", "requirements-reader.txt"):
        shutil.copy(ROOT / name, book / name)
    return book


CHAPTER_2 = Path("book") / "02_softmax_cross_entropy.md"
INJECTED_URL = b"url: 'https://github.com/a/b\"; import os; \"'"  # valid YAML, code for the setup cell


def damage(book: Path, name: Path, change) -> None:
    path = book / name
    path.write_bytes(change(path.read_bytes()))


@pytest.mark.parametrize(
    "name, change, words",
    [
        (CHAPTER_2, lambda text: text[: text.index(b":::{admonition} Solution") + 200], "is not closed"),
        (CHAPTER_2, lambda text: text[:30_000], "no student edition, the notebook has no '## Exercises'"),
        (CHAPTER_2, lambda text: text[:200], "no kernelspec in its front matter"),
        (CHAPTER_2, lambda text: b"", "no kernelspec in its front matter"),
        (CHAPTER_2, lambda text: text.replace(b"softmax", b"softm\xe4x"), "02_softmax_cross_entropy.md: no student"),
        (Path("_config.yml"), lambda text: text.replace(b"repository:", b"elsewhere:"), "repository.url must be"),
        (
            Path("_config.yml"),
            lambda text: text.replace(b"url: https://github.com/learning-to-classify/book", INJECTED_URL),
            "repository.url must be",
        ),
        (Path("_config.yml"), lambda text: text + b"\n  - [unclosed\n", "_config.yml: cannot be read"),
        (Path("_toc.yml"), lambda text: text.replace(b"caption: Lessons", b"caption: Other"), "no 'Lessons' part"),
    ],
)
def test_a_broken_source_is_refused_in_one_line_naming_it(book_copy, tmp_path, name, change, words):
    damage(book_copy, name, change)
    out = tmp_path / "out"
    done = command("student-notebooks", out, "--book", book_copy)
    assert done.returncode == 1 and words in done.stderr, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert not out.exists()  # nothing handed out


def test_the_chapters_own_folder_and_an_empty_name_are_refused(tmp_path):
    done = command("student-notebooks", ROOT / "book")
    assert done.returncode == 1 and "holds the chapters' sources" in done.stderr
    assert not list((ROOT / "book").glob("*.ipynb"))
    done = command("student-notebooks", "", cwd=tmp_path)
    assert done.returncode == 2 and "an empty name is not a folder" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_same_sources_write_the_same_bytes(tmp_path):
    for out in ("a", "b"):
        assert command("student-notebooks", tmp_path / out).returncode == 0
    for name in CHAPTERS:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
