"""The Markdown of a published notebook as Jupyter renders it: the page's MyST, resolved.

A chapter's Markdown cells are MyST: roles (``{glue:text}`key:.2f```, ``{numref}`fig-x```,
``{cite:p}`key```, ``{doc}`page```), directives (admonitions, captioned tables, ``{glue:md}``
tables) and links to other pages' sources (``checks.md``). The site renders them; Jupyter's
Markdown does not know them, and a downloaded notebook would show the markup instead of the
numbers. This module rewrites each Markdown cell into Markdown that Jupyter renders, with what
the build that made the page computed:

- ``{glue:text}`` by the value, formatted by MyST-NB's own function; ``{glue:md}`` by the
  Markdown it glued;
- ``{numref}`` by the number the page shows ("Figure 3.2", "Table 3.1"), ``{doc}`` by the page's
  title, each linked to the published page; ``{cite:p}``/``{cite:t}`` by the author-year text the
  page shows, linked to the published references;
- admonitions by a titled blockquote, or by ``<details>`` when the page folds them (``:class:
  dropdown``, the exercises' solutions); a captioned table by its number and caption above it;
- a link to another page's source (``checks.md``) by a link to that page on the published site;
- a ``{div}`` by its text, but for a ``print-only`` one: a notebook is read on a screen;
- each figure's number and caption, kept in its code cell's metadata, by a Markdown cell under it
  (folded, as on the page, where the figure is: a solution's figure gives its answer away).

Anything else in MyST syntax is an error (:class:`UnresolvedMyST`), so that a new kind of markup
fails the build instead of reaching a reader as raw text. Code spans and code blocks are copied as
they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import nbformat


class UnresolvedMyST(ValueError):
    """A cell holds MyST markup that this module cannot turn into Jupyter Markdown."""


@dataclass
class Page:
    """What the build knows about one page, to resolve its MyST.

    ``glue``: each glued key's MIME bundle; ``format_glue(text, spec)``: MyST-NB's formatting of
    a glued ``text/plain``; ``references``: each ``{numref}`` label, as (text, address);
    ``documents``: each page, as (title, address); ``citations``: each citation's Markdown, by
    (its keys as written, its style "p" or "t"); ``address(path)``: the published address of a
    source file named relative to this page (``checks.md#x``), or ``None`` if it is not a page.
    """

    glue: dict[str, dict]
    format_glue: Callable[[str, str], str]
    references: dict[str, tuple[str, str]]
    documents: dict[str, tuple[str, str]]
    citations: dict[tuple[str, str], str]
    address: Callable[[str], str | None]
    directory: str = ""  # the page's folder, for {doc} targets relative to it


#: A role, a code span (copied as is), a link to a source file, or a stray ``$`` sign: one pass.
INLINE = re.compile(
    r"\{(?P<role>[a-z][\w:-]*)\}(?P<tick>`+)(?P<content>.+?)(?P=tick)"
    r"|(?P<code>(?P<open>`+).+?(?P=open))"
    r"|\]\((?P<target>(?![a-z]+:|#|/)[^)\s]+\.md(?:#[^)\s]*)?)\)",
    re.DOTALL,
)
#: The text a title or glued value must not carry into Markdown unescaped.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>$|])")


def escape(text: str) -> str:
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def link(text: str, address: str) -> str:
    return f"[{text}]({address})"


def resolve_role(role: str, content: str, page: Page) -> str:
    if role in ("glue:text", "glue"):
        key, _, spec = content.rpartition(":")
        if role == "glue" or not key:  # no format: MyST-NB's default, str()
            key, spec = content, ""
        bundle = page.glue.get(key)
        if bundle is None or "text/plain" not in bundle.get("data", {}):
            raise UnresolvedMyST(f"no glued text {key!r}")
        return escape(page.format_glue(bundle["data"]["text/plain"], spec or "s"))
    if role in ("numref", "ref"):
        label = re.sub(r"^.*<(.+)>$", r"\1", content, flags=re.DOTALL)
        if label not in page.references:
            raise UnresolvedMyST(f"no {{{role}}} target {label!r}")
        text, address = page.references[label]
        return link(text, address)
    if role == "doc":
        titled = re.fullmatch(r"(?P<title>.+?)\s*<(?P<target>[^>]+)>", content, flags=re.DOTALL)
        target = titled["target"] if titled else content
        docname = target.lstrip("/") if target.startswith("/") else f"{page.directory}{target}"
        if docname not in page.documents:
            raise UnresolvedMyST(f"no page {target!r}")
        title, address = page.documents[docname]
        return link(titled["title"] if titled else title, address)
    if role in ("cite", "cite:p", "cite:t"):
        style = "t" if role == "cite:t" else "p"
        if (content, style) not in page.citations:
            raise UnresolvedMyST(f"no citation {content!r}")
        return page.citations[content, style]
    if role == "math":
        return f"${content}$"
    raise UnresolvedMyST(f"the role {{{role}}}")


def resolve_inline(text: str, page: Page) -> str:
    """Roles resolved and links to sources made absolute; code spans untouched."""

    def replace(found: re.Match) -> str:
        if found["role"]:
            return resolve_role(found["role"], found["content"], page)
        if found["code"]:
            return found["code"]
        address = page.address(found["target"])
        if address is None:
            raise UnresolvedMyST(f"a link to {found['target']!r}, which is not a page of the book")
        return f"]({address})"

    return INLINE.sub(replace, text)


#: The opening line of a fenced block: backticks, tildes or (MyST's colon fence) colons.
FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,}|:{3,})\s*(?P<info>.*?)\s*$")
DIRECTIVE = re.compile(r"^\{(?P<name>[\w:-]+)\}\s*(?P<argument>.*)$")
#: The admonitions MyST names after their kind ("note"), titled by that kind.
NAMED_ADMONITIONS = {"note", "tip", "hint", "important", "warning", "caution", "attention", "danger", "error"}


@dataclass
class Directive:
    name: str
    argument: str
    options: dict[str, str]
    body: str


def closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return stripped.startswith(fence) and set(stripped) == {fence[0]} and len(stripped) >= len(fence)


def read_directive(name: str, argument: str, lines: list[str]) -> Directive:
    """The options (``:key: value`` lines, or a ``---`` YAML block) and the body of a directive."""
    options: dict[str, str] = {}
    rest = list(lines)
    if rest and rest[0].strip() == "---":
        end = next((n for n, line in enumerate(rest[1:], 1) if line.strip() == "---"), None)
        if end is None:
            raise UnresolvedMyST(f"the options of {{{name}}} are not closed")
        for line in rest[1:end]:
            key, _, value = line.partition(":")
            options[key.strip()] = value.strip()
        rest = rest[end + 1 :]
    else:
        while rest and (option := re.match(r"^:(?P<key>[\w-]+):\s*(?P<value>.*)$", rest[0])):
            options[option["key"]] = option["value"]
            rest = rest[1:]
    return Directive(name, argument, options, "\n".join(rest).strip("\n"))


def blocks(text: str) -> Iterator[tuple[str, object]]:
    """The text in order, as ("text", str), ("code", str) and ("directive", Directive) blocks."""
    lines = text.split("\n")
    plain: list[str] = []
    n = 0
    while n < len(lines):
        opening = FENCE.match(lines[n])
        if not opening:
            plain.append(lines[n])
            n += 1
            continue
        if plain:
            yield "text", "\n".join(plain)
            plain = []
        fence = opening["fence"]
        end = next((m for m in range(n + 1, len(lines)) if closes(lines[m], fence)), len(lines))
        inner = lines[n + 1 : end]
        directive = DIRECTIVE.match(opening["info"])
        if directive:
            yield "directive", read_directive(directive["name"], directive["argument"], inner)
        elif fence[0] == ":":
            raise UnresolvedMyST(f"a colon fence without a directive: {lines[n]!r}")
        else:
            yield "code", "\n".join(lines[n : end + 1])
        n = end + 1
    if plain:
        yield "text", "\n".join(plain)


def quote(markdown: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in markdown.split("\n"))


def resolve_directive(directive: Directive, page: Page) -> str:
    name = directive.name
    if name in ("glue:md", "glue:markdown"):
        bundle = page.glue.get(directive.argument)
        if bundle is None or "text/markdown" not in bundle.get("data", {}):
            raise UnresolvedMyST(f"no glued Markdown {directive.argument!r}")
        return resolve(bundle["data"]["text/markdown"].strip("\n"), page)
    if name == "admonition" or name in NAMED_ADMONITIONS:
        title = directive.argument if name == "admonition" else name.capitalize()
        body = resolve(directive.body, page)
        if "dropdown" in directive.options.get("class", "").split():
            return f"<details>\n<summary>{escape(title)}</summary>\n\n{body}\n\n</details>"
        return quote(f"**{resolve_inline(title, page)}**\n\n{body}")
    if name == "table":
        label = directive.options.get("name")
        if label not in page.references:
            raise UnresolvedMyST(f"a table without a numbered name: {directive.argument!r}")
        number, address = page.references[label]
        caption = f"[**{number}**]({address}) {resolve_inline(directive.argument, page)}".rstrip()
        return f"{caption}\n\n{resolve(directive.body, page)}"
    if name == "div":  # a notebook is read on a screen: its text, not paper's (see _ext/book_pdf.py)
        classes = directive.options.get("class", directive.argument).split()
        return "" if "print-only" in classes else resolve(directive.body, page)
    if name == "math":
        return f"$$\n{directive.body}\n$$"
    raise UnresolvedMyST(f"the directive {{{name}}}")


#: MyST's target lines ``(label)=`` and comment lines ``% ...``: nothing for a reader.
MYST_ONLY_LINES = re.compile(r"^(\([\w-]+\)=|%.*)\n?", re.MULTILINE)


def resolve(text: str, page: Page) -> str:
    """A Markdown cell's MyST ``text`` as Jupyter Markdown (see the module's text)."""
    parts = []
    for kind, block in blocks(text):
        if kind == "code":
            parts.append(block)
        elif kind == "directive":
            parts.append(resolve_directive(block, page))
        else:
            parts.append(resolve_inline(MYST_ONLY_LINES.sub("", block), page))
    return "\n\n".join(part.strip("\n") for part in parts if part.strip())


FIGURE_CELL_TAG = "book-figure-caption"  # the Markdown cell added under a captioned figure


def figure_caption(cell, page: Page) -> str | None:
    """The number and caption of the figure a code cell draws, as the page shows them."""
    figure = cell.metadata.get("mystnb", {}).get("figure")
    if not figure:
        return None
    label = figure.get("name")
    if label not in page.references:
        raise UnresolvedMyST(f"a figure without a numbered name: {figure.get('caption', '')[:60]!r}")
    number, address = page.references[label]
    return f"[**{number}**]({address}) {resolve_inline(figure.get('caption', ''), page)}".rstrip()


def as_jupyter_markdown(notebook, page: Page) -> None:
    """Rewrite ``notebook``'s Markdown cells in place, and put each figure's caption under it."""
    cells = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = resolve(cell.source, page)
        cells.append(cell)
        if cell.cell_type == "code" and (caption := figure_caption(cell, page)):
            metadata = {"tags": [FIGURE_CELL_TAG]}
            if cell.metadata.get("jupyter", {}).get("outputs_hidden"):  # folded with its figure
                metadata["jupyter"] = {"source_hidden": True}
            added = nbformat.v4.new_markdown_cell(caption, metadata=metadata)
            added["id"] = f"{cell.get('id', len(cells))}-caption"[:64]
            cells.append(added)
    notebook.cells = cells
