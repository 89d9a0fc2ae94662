"""``glue(name, value, display=False)``: how a page puts a computed value into its text.

In the book's build this is MyST-NB's ``glue``, which records the value for the page's
``{glue:text}`` roles. Outside a build (a downloaded notebook, Colab, the ``.md`` chapter opened
in JupyterLab) MyST-NB, and the Sphinx it brings, need not be installed: there is no text to fill
in, so the stand-in only shows the value when asked to, as MyST-NB's ``glue`` does.
"""

from __future__ import annotations

try:
    from myst_nb import glue
except ImportError:

    def glue(name: str, variable, display: bool = True) -> None:
        """Show ``variable`` if ``display``; there is no page to record it for."""
        if display:
            from IPython.display import display as show

            show(variable)


__all__ = ["glue"]
