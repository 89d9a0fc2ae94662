"""Small fixes to the HTML that Jupyter Book 1 produces, applied at build time.

- sphinx-thebe and sphinx-togglebutton add their inline configuration scripts (``const
  THEBE_JS_URL = ...``) once each time their hooks run, and in a Jupyter Book build that is twice.
  Sphinx only de-duplicates scripts that have a file name, so every page declared the same
  ``const`` twice and the browser reported a JavaScript error. Exact duplicates are dropped here.
"""

from __future__ import annotations


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


def setup(app):
    # early: html-page-context stops at the first handler that returns a value
    app.connect("html-page-context", drop_duplicate_scripts, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
