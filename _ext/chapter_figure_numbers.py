"""Number each chapter's figures after its chapter: Figure 3.2 is chapter 3's second figure.

Sphinx numbers figures (``numfig``) by the section numbers of a numbered table of contents, and
without one it counts them through the whole book (Figure 1 to Figure 40). The book's table of
contents is not numbered, because the chapter titles carry their numbers ("Chapter 3: ...") and
the data page comes before chapter 1. So after Sphinx has numbered the figures, this extension
renumbers them page by page: on a page whose title starts with "Chapter N", its figures become
N.1, N.2, ... in order; on any other page 1, 2, ... Captions and ``{numref}`` references both read
these numbers (``env.toc_fignumbers``), so they always agree.
"""

from __future__ import annotations

import re

CHAPTER_TITLE = re.compile(r"Chapter (\d+)\b")


def chapter_number(title: str) -> int | None:
    """N for a page titled "Chapter N: ...", else ``None``."""
    found = CHAPTER_TITLE.match(title)
    return int(found.group(1)) if found else None


def renumber(fignumbers: dict[str, dict[str, tuple]], titles: dict[str, str]) -> None:
    """Renumber every page's figures (in their order) after the page's chapter, in place."""
    for docname, by_type in fignumbers.items():
        chapter = chapter_number(titles.get(docname, ""))
        prefix = () if chapter is None else (chapter,)
        for numbers in by_type.values():
            in_order = sorted(numbers, key=numbers.get)
            for position, figure_id in enumerate(in_order, start=1):
                numbers[figure_id] = (*prefix, position)


def renumber_figures(app, env):
    titles = {docname: title.astext() for docname, title in env.titles.items()}
    renumber(env.toc_fignumbers, titles)
    return []


def setup(app):
    # after Sphinx's own numbering (TocTreeCollector, at the default priority 500)
    app.connect("env-get-updated", renumber_figures, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
