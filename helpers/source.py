"""Library code shown on a page, as the reader's code column can hold it.

A chapter that teaches with a function kept in ``helpers/`` shows its source
rather than a copy, so that the page and the code that ran cannot drift
apart. The page's code column holds 80 characters; a longer line would make
the block scroll sideways, so it is refused here and the build fails.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

from IPython.display import Markdown

PAGE_COLUMNS = 80


def show_source(*functions: Callable) -> Markdown:
    """The functions' source as one highlighted Python block.

    Raises ``ValueError`` naming the first line wider than the page.
    """
    blocks = [inspect.getsource(function).rstrip() for function in functions]
    for function, block in zip(functions, blocks):
        for number, line in enumerate(block.splitlines(), start=1):
            if len(line) > PAGE_COLUMNS:
                raise ValueError(
                    f"{function.__qualname__}, line {number} of its source, "
                    f"has {len(line)} characters; the page holds "
                    f"{PAGE_COLUMNS}: wrap it in {inspect.getsourcefile(function)}"
                )
    return Markdown("```python\n" + "\n\n\n".join(blocks) + "\n```")
