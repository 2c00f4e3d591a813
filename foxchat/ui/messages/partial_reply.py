"""How the text of a reply that ended early is shown.

A reply stopped (or cut off) mid-sentence often ends inside emphasis or an
inline code span: ``uses *Markd``. Markdown shows an opener that is never
closed as a literal character, so the user saw a stray ``*Markd``. Here the
last line's open markers are closed (or dropped, when nothing follows them),
so the words render as they would have once the reply finished. Only what is
shown changes: the stored text, Copy and export keep what arrived.

The scan follows CommonMark's flanking rules closely enough for this one job:
a ``*`` between two letters (``2*3``) can both open and close and is left
alone, as the parser leaves it.
"""

from __future__ import annotations

import re
import unicodedata

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$", re.MULTILINE)
_MARKERS = "*_~"
#: Only the end of a very long line is looked at, and a line with more open
#: markers than this is not Markdown worth fixing: a hostile reply that stops
#: must not freeze the window.
_SCAN_CHARS = 2000
_MAX_OPEN = 32


def close_open_markers(text: str) -> str:
    """``text`` with the emphasis and code spans left open on its last line closed."""
    if _inside_open_fence(text):
        return text  # a code block shows its text as it is, asterisks included
    head, newline, last = text.rstrip().rpartition("\n")
    start = 0
    if len(last) > _SCAN_CHARS:
        start = len(last) - _SCAN_CHARS
        space = last.find(" ", start)
        start = space + 1 if space >= 0 else start
    fixed = _close_line(last[start:])
    return f"{head}{newline}{last[:start]}{fixed}"


def _drop_dangling(line: str) -> str:
    """``line`` without markers at its end that open nothing yet (``and **``)."""
    stripped = line.rstrip("*_~`")
    if stripped != line and stripped and stripped[-1].isspace():
        return stripped.rstrip()
    return line


def _inside_open_fence(text: str) -> bool:
    fence = ""
    for found in _FENCE.finditer(text):
        marker, rest = found.group(1), found.group(2)
        if not fence:
            fence = marker
        elif marker[0] == fence[0] and len(marker) >= len(fence) and not rest.strip():
            fence = ""
    return bool(fence)


def _close_line(line: str) -> str:
    line = _drop_dangling(line)
    openers: list[tuple[int, str]] = []  # (position, run) still waiting for a closer
    code: tuple[int, str] | None = None
    i = 0
    while i < len(line):
        char = line[i]
        if char == "\\":
            i += 2
            continue
        if char not in _MARKERS and char != "`":
            i += 1
            continue
        end = i
        while end < len(line) and line[end] == char:
            end += 1
        run = line[i:end]
        if char == "`":
            closing = _find_run(line, run, end)
            if closing < 0:
                code = (i, run)  # the rest of the line is code that never closed
                break
            i = closing + len(run)
            continue
        match = next((k for k in range(len(openers) - 1, -1, -1) if openers[k][1][0] == char), -1)
        # Strikethrough takes "~~"; one "~" counts only as half a closer at the very end.
        half_closer = len(run) == 1 and end == len(line) and match >= 0
        if char == "~" and len(run) != 2 and not half_closer:
            i = end
            continue
        before = line[i - 1] if i > 0 else " "
        after = line[end] if end < len(line) else " "
        left = _left_flanking(before, after)
        right = _left_flanking(after, before)
        if right and match >= 0:
            position, opened = openers[match]
            del openers[match:]
            if len(run) < len(opened):  # "**bold*": one star of the closer arrived
                openers.append((position, opened[len(run) :]))
        elif left and not right:
            openers.append((i, run))
            if len(openers) > _MAX_OPEN:
                return line
        i = end
    if code is not None:
        position, run = code
        if not line[position + len(run) :].strip():
            return line[:position].rstrip()
        return line + run
    closers = ""
    for position, run in reversed(openers):
        if not line[position + len(run) :].strip():
            line = line[:position].rstrip()  # an opener with nothing after it
        else:
            closers += run
    return line + closers


def _find_run(line: str, run: str, start: int) -> int:
    """Where a backtick run exactly as long as ``run`` starts, or -1."""
    for found in re.finditer(r"`+", line[start:]):
        if found.group() == run:
            return start + found.start()
    return -1


def _left_flanking(before: str, after: str) -> bool:
    """CommonMark's left-flanking test for a run between ``before`` and ``after``."""
    if after.isspace():
        return False
    if not _punctuation(after):
        return True
    return before.isspace() or _punctuation(before)


def _punctuation(char: str) -> bool:
    return unicodedata.category(char).startswith(("P", "S"))
