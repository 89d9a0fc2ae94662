"""Small fixes to the HTML that Jupyter Book 1 produces, applied at build time.

- sphinx-thebe and sphinx-togglebutton add their inline configuration scripts (``const
  THEBE_JS_URL = ...``) once each time their hooks run, and in a Jupyter Book build that is twice.
  Sphinx only de-duplicates scripts that have a file name, so every page declared the same
  ``const`` twice and the browser reported a JavaScript error. Exact duplicates are dropped here.
- Sphinx writes the bibliography as ``<div role="list">`` whose entries have the role
  ``doc-biblioentry``, which ARIA 1.2 deprecates and does not allow as a list's child; assistive
  technology then finds a list without items (axe-core's critical "aria-required-children"). The
  entries are given the role ``listitem`` here.
- A browser may break a line between an inline formula and the punctuation after it, leaving
  a lone "." or ":" at the start of a line. The formula and its punctuation are kept together
  (``span.math-with-punctuation``, ``white-space: nowrap`` in ``static/typography.css``).
- The site's ``index.html`` sends the reader to the book's first page. sphinx-external-toc writes
  it as a bare ``<meta>`` redirect, with no language, title or main landmark, and a reader whose
  browser does not follow it is left on a blank page. The book writes it first, as a page that
  says where the book starts (sphinx-external-toc leaves an existing index.html alone).
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from safe_rebuilds import write_atomically  # the book's other extension, beside this one

FRONT_DOOR = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<meta http-equiv="refresh" content="0; url={first_page}">
</head>
<body>
<main><h1>{title}</h1><p>The book starts at <a href="{first_page}">its first page</a>.</p></main>
</body>
</html>
"""


def drop_duplicate_scripts(app, pagename, templatename, context, doctree):
    seen, unique = set(), []
    for script in context.get("script_files", []):
        # inline scripts have no file name: None from some extensions, "" from others
        key = (str(script.filename or ""), tuple(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    # In place: this list is the builder's own, and handlers after this one (sphinx.ext.mathjax
    # adds MathJax here, on pages with math) append to it. A new list would lose what they add.
    context["script_files"][:] = unique


#: An inline formula as Sphinx writes it (its TeX has no tags), and the punctuation right after it.
INLINE_MATH_AND_PUNCTUATION = re.compile(
    r'(<span class="math notranslate nohighlight">(?:(?!</span>).)*</span>)([.,;:!?)]+)', re.S
)


def keep_punctuation_with_math(body: str) -> str:
    return INLINE_MATH_AND_PUNCTUATION.sub(r'<span class="math-with-punctuation">\1\2</span>', body)


def fix_body(app, pagename, templatename, context, doctree):
    """The page's body: citations as list items, formulas kept with their punctuation."""
    if "body" in context:
        body = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')
        context["body"] = keep_punctuation_with_math(body)


def write_front_door(app, exception):
    if exception is not None or app.builder.name != "html" or app.config.root_doc == "index":
        return
    title = escape(app.config.html_title or app.config.project)
    page = FRONT_DOOR.format(title=title, first_page=f"{app.config.root_doc}.html")
    path = Path(app.outdir, "index.html")
    if not path.exists() or path.read_text(encoding="utf-8") != page:
        write_atomically(path, page.encode())


def setup(app):
    # early: html-page-context stops at the first handler that returns a value
    app.connect("html-page-context", drop_duplicate_scripts, priority=100)
    app.connect("html-page-context", fix_body)
    # before sphinx-external-toc's bare redirect (priority 500), which it writes only if missing
    app.connect("build-finished", write_front_door, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
