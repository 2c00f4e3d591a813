"""When new streamed text only adds code to a code fence that is still open.

A long code block is most of many replies, and while it streams the open tail
is that one fence and nothing else. Parsing the tail again for every update
only to learn that the fence grew is most of the renderer's work on such a
reply; this module tells, without parsing, what the fence's token would be.

It says yes only when all of this holds, and otherwise the caller parses:

- the tail is exactly one top-level ``fence`` token starting at its first
  line, with the opening line complete and not indented (so markdown-it takes
  every content line verbatim, with no indentation to strip);
- no line from the first one that could have changed onwards starts, after
  spaces or tabs, with the fence's marker character: such a line might close
  the fence (a conservative test; a parse settles it);
- the new text holds no carriage return or NUL, which markdown-it normalises.

Like markdown-it, it leaves out a last line of only spaces and tabs.
"""

from __future__ import annotations

from markdown_it.token import Token


class OpenFence:
    """An open top-level fence at the start of the tail, and how to grow its token."""

    def __init__(self, token: Token, content_start: int) -> None:
        self._token = token
        self._marker = token.markup[:1]
        self._content_start = content_start

    def grown_token(self, tail: str, previous_length: int) -> Token | None:
        """The fence's token for ``tail``, or None when the tail must be parsed.

        ``previous_length`` is how much of ``tail`` the current token describes.
        """
        new_text = tail[previous_length:]
        if "\r" in new_text or "\0" in new_text:
            return None
        # The line that was still arriving may now be complete or longer.
        changed_from = max(tail.rfind("\n", 0, previous_length) + 1, self._content_start)
        for line in tail[changed_from:].split("\n"):
            if line.lstrip(" \t").startswith(self._marker):
                return None
        self._token = self._token.copy(content=self.content(tail))
        return self._token

    def content(self, tail: str) -> str:
        """The fence's code in ``tail``, as markdown-it would take it while still open."""
        last_line = tail[max(tail.rfind("\n") + 1, self._content_start) :]
        if last_line.strip(" \t"):
            return tail[self._content_start :]
        # markdown-it leaves out a last line of only blanks.
        return tail[self._content_start : len(tail) - len(last_line)]


def open_fence(tail: str, tokens: list[Token]) -> OpenFence | None:
    """An ``OpenFence`` when the parsed ``tail`` is one open fence, else None."""
    if len(tokens) != 1:
        return None
    token = tokens[0]
    if token.type != "fence" or token.level != 0:
        return None
    opening_end = tail.find("\n")
    # The fence must open on the tail's first line, not indented.
    if opening_end < 0 or not tail.startswith(token.markup) or "\r" in tail:
        return None
    fence = OpenFence(token, opening_end + 1)
    # Closed already (a closing line drops out of the content): not open.
    if fence.content(tail) != token.content:
        return None
    return fence
