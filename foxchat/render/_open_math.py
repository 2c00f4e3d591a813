"""When new streamed text only adds source to a display formula that is still open.

A display formula (``\\[`` or ``$$`` on a line of its own) that has not closed
yet shows as its source (``UNFINISHED_MATH``, see ``_math``). While it grows,
parsing the whole open tail again only to learn that the formula's source got
longer costs as much as the rest of the tail, often a paragraph full of
formulas before it; this module tells, without parsing, what the formula's
token would be.

It says yes only when all of this holds, and otherwise the caller parses:

- the tail's last token is a top-level ``UNFINISHED_MATH`` whose source, as
  this module reads it from the text, is the token's content;
- the formula's text holds nothing that could close it (``\\]`` anywhere for
  ``\\[``, ``$$`` after the opening one for ``$$``: a conservative test) and no
  line of only whitespace (a blank line ends it unclosed);
- the text holds no carriage return or NUL, which markdown-it normalises.

Like markdown-it, it takes each line without its leading spaces and tabs, and
a newline at the very end starts no line.
"""

from __future__ import annotations

from markdown_it.token import Token

from foxchat.render._math import UNFINISHED_MATH

_CLOSERS = {"\\[": "\\]", "$$": "$$"}


def _source(text: str) -> str:
    """The formula's source in ``text`` (from its opening delimiter), as the parser takes it."""
    lines = text.split("\n")
    if len(lines) > 1 and not lines[-1]:
        lines.pop()  # a final newline starts no line
    return "\n".join(line.lstrip(" \t") for line in lines)


class OpenMath:
    """An unfinished display formula ending the tail, and how to grow its token."""

    def __init__(self, token: Token, start: int) -> None:
        self._token = token
        self._start = start  # where its opening delimiter is in the tail
        self._closer = _CLOSERS[token.markup]

    def grown_token(self, tail: str) -> Token | None:
        """The formula's token for ``tail``, or None when the tail must be parsed."""
        text = tail[self._start :]
        opener = len(self._token.markup)
        if "\r" in text or "\0" in text or self._closer in text[opener:]:
            return None
        lines = text.split("\n")[1:]
        if lines and not lines[-1]:
            lines.pop()  # a final newline starts no line
        if any(not line.strip() for line in lines):
            return None  # a blank line: the formula ended unclosed
        self._token = self._token.copy(content=_source(text))
        return self._token


def open_math(tail: str, tokens: list[Token]) -> OpenMath | None:
    """An ``OpenMath`` when the parsed ``tail`` ends in an unfinished display formula."""
    if not tokens or "\r" in tail:
        return None
    token = tokens[-1]
    if token.type != UNFINISHED_MATH or token.level != 0 or token.map is None:
        return None
    # It runs to the end of the tail: its first line is that many lines from the end.
    # (The map counts lines from where the parse began, before the frozen part.)
    cut = len(tail) - 1 if tail.endswith("\n") else len(tail)
    for _ in range(token.map[1] - token.map[0]):
        if cut < 0:
            return None
        cut = tail.rfind("\n", 0, cut)
    line = tail[cut + 1 :]
    line_start = cut + 1
    start = line_start + len(line) - len(line.lstrip(" \t"))
    if token.markup not in _CLOSERS or _source(tail[start:]) != token.content:
        return None
    return OpenMath(token, start)
