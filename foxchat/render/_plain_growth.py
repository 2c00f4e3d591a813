"""When new streamed text only adds plain words to the open paragraph.

Most of a streamed reply is prose arriving a few characters at a time at the
end of a paragraph, and re-parsing the whole paragraph for each chunk is most
of the streaming cost. This module decides, without parsing, whether the new
text can only add those same characters at the end of the last text run, with
nothing before it changing, and if so what is shown.

It says yes only when all of this holds, and otherwise the caller parses:

- the tail ends in a paragraph or ATX heading (possibly inside list items or
  quotes) whose last inline token is plain text;
- its last line already began with a letter, after any list, quote or heading
  markers, so no chunk can turn the line into another kind of block;
- the new text holds only letters, digits, spaces and ``,.;?!'"``: no newline,
  no emphasis, code, link, escape, entity, math or autolink character;
- the word the new text continues (and every word it makes) consists of those
  characters too, so no delimiter or ``\\`` before it changes meaning, and no
  word contains ``www.`` (a GFM autolink);
- the paragraph stays under ``LONG_INLINE_CHARS``, and no run of it grows past
  ``_long_runs.PLAIN_FROM``: beyond either it is shown as plain text without
  inline parsing at all.

The text shown carries the same break opportunities a parse would give it
(see ``_long_runs``): the run it continues is the last word of the line, all
plain text, so its length is known without a parse.
"""

from __future__ import annotations

import re

from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from foxchat.render._long_runs import break_runs, overlong
from foxchat.render._parser import LONG_INLINE_CHARS

_SAFE_PUNCTUATION = frozenset(" ,.;?!'\"")
_CLOSING_TAGS = re.compile(r"(?:</[a-z0-9]+>\s*)+\Z")
_GROWABLE_CLOSES = frozenset(
    {
        "paragraph_close",
        "heading_close",
        "list_item_close",
        "bullet_list_close",
        "ordered_list_close",
        "blockquote_close",
    }
)
# Block markers that are already complete, then a letter.
_SETTLED_LINE = re.compile(r" {0,3}(?:> ?|[-*+] +|\d{1,9}[.)] +|#{1,6} +)*[^\W\d_]")


def _is_safe(text: str) -> bool:
    return all(char.isalnum() or char in _SAFE_PUNCTUATION for char in text)


class PlainGrowth:
    """The open paragraph's state needed to append plain words to it."""

    def __init__(self, last_line: str, room: int, html_insert_at: int) -> None:
        self._last_line = last_line
        self._unshown = last_line[len(last_line.rstrip(" ")) :]
        self._room = room
        # The run of non-space characters the shown text ends with.
        self._run = len(last_line.rstrip(" ").rsplit(" ", 1)[-1])
        self.html_insert_at = html_insert_at
        """Index in the last block's HTML where appended text goes."""

    def extend(self, new_text: str) -> str | None:
        """The text to show after the last shown character, or None if a parse is needed.

        On None nothing changes; the caller parses the tail and makes a new one.
        """
        if not _is_safe(new_text) or len(new_text) > self._room:
            return None
        last_word = self._last_line.rsplit(" ", 1)[-1]
        if not _is_safe(last_word):
            return None
        if any("www." in word.lower() for word in (last_word + new_text).split(" ")):
            return None
        if overlong(new_text, 0 if self._unshown else self._run):
            return None
        self._last_line += new_text
        self._room -= len(new_text)
        waiting = self._unshown + new_text
        shown = waiting.rstrip(" ")
        # Trailing spaces are not shown until a word follows them (CommonMark strips them).
        self._unshown = waiting[len(shown) :]
        shown, self._run = break_runs(shown, self._run)
        return shown


def plain_growth(tail: str, tokens: list[Token], last_block_html: str) -> PlainGrowth | None:
    """A ``PlainGrowth`` for the tail's last block, or None when it cannot grow plainly."""
    index = len(tokens) - 1
    while index >= 0 and tokens[index].type in _GROWABLE_CLOSES:
        index -= 1
    if index < 0 or tokens[index].type != "inline" or not tokens[index].children:
        return None
    inline = tokens[index]
    last_child = inline.children[-1] if inline.children else None
    if last_child is None or last_child.type != "text" or not last_child.content:
        return None
    last_line = tail[max(tail.rfind("\n"), tail.rfind("\r")) + 1 :]
    if not _SETTLED_LINE.match(last_line):
        return None
    closing = _CLOSING_TAGS.search(last_block_html)
    if closing is None:
        return None
    # The last text must end exactly where the closing tags begin.
    if not last_block_html[: closing.start()].endswith(escapeHtml(last_child.content)):
        return None
    return PlainGrowth(last_line, LONG_INLINE_CHARS - len(inline.content), closing.start())
