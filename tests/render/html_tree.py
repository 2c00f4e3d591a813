"""A small reader of the renderer's HTML, so tests can check structure, not strings."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

_VOID = {"br", "hr", "img", "input", "meta"}


@dataclass
class Element:
    """One element: its tag, attributes, ancestry and the text inside it."""

    tag: str
    attrs: dict[str, str]
    path: str  # ancestors and itself, e.g. "ol>li>ul>li"
    text_parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.text_parts)


class _TreeReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[Element] = []
        self.elements: list[Element] = []
        self.text_parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        path = ">".join([*(e.tag for e in self.stack), tag])
        element = Element(tag, {k: v or "" for k, v in attrs}, path)
        self.elements.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        self.text_parts.append(data)
        for element in self.stack:
            element.text_parts.append(data)


@dataclass
class Tree:
    """All elements of a rendered document, in document order."""

    elements: list[Element]
    text: str

    def find(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]

    def paths(self, skip: frozenset[str] = frozenset({"span", "code", "strong", "em"})) -> set[str]:
        return {
            ">".join(t for t in e.path.split(">") if t not in skip)
            for e in self.elements
            if e.tag not in skip
        }


def read_html(html: str) -> Tree:
    reader = _TreeReader()
    reader.feed(html)
    reader.close()
    return Tree(reader.elements, "".join(reader.text_parts))


@dataclass
class CodeBlock:
    """A code block as shown: its ``pre`` lines joined, and whether any is coloured."""

    text: str
    coloured: bool


def code_blocks(tree: Tree) -> list[CodeBlock]:
    """The code blocks in ``tree``: runs of consecutive styled ``pre`` (one per line).

    Any other element (a code block's own header line, say) ends a run. As
    Qt's importer does, each ``pre`` loses one leading and one trailing newline.
    """
    blocks: list[CodeBlock] = []
    lines: list[str] = []
    coloured = False
    for element in tree.elements:
        if element.tag == "pre" and "style" in element.attrs:
            lines.append(element.text.removeprefix("\n").removesuffix("\n"))
        elif lines and ">pre>" in f">{element.path}":
            coloured = coloured or element.tag == "span"
        elif lines:
            blocks.append(CodeBlock("\n".join(lines), coloured))
            lines, coloured = [], False
    if lines:
        blocks.append(CodeBlock("\n".join(lines), coloured))
    return blocks
