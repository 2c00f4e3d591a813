"""Long unbroken runs of text: where Qt may break them, and where they are cut short.

Qt lays out a word that has no break opportunity in time quadratic in its
length: each line of it scans the rest of the word before falling back to
breaking anywhere. Measured on one 700 px wide document (offscreen, 2 shared
cores): a 100,000-character token took 0.18 s to lay out, a 1,000,000-character
one 17 s, and the message column lays a reply out several times on opening a
chat. With a zero-width space (U+200B, a break opportunity that draws nothing)
every 16 characters the same texts take 0.01 s and 0.16 s.

So a *run* (characters other than ASCII whitespace, across inline formatting)
gets a U+200B before each character whose offset in the run is a multiple of
``BREAK_EVERY`` from ``BREAKS_FROM`` on. Ordinary words stay whole, and the rule
is prefix-stable: what is shown of a run never depends on what follows it, so
a streamed run can grow by appending. The stored text is never changed; the
view takes these characters out again when a selection is copied.

A paragraph holding a run longer than ``PLAIN_FROM`` is shown as plain text
(like one too long to parse inline, see ``_parser``): no one reads emphasis
next to a wall of base64, and markdown-it's inline parser costs about 5 µs for
each punctuation character (a line of 10,000 ``>`` took 50 ms to parse, on
every streamed frame). In it, a run longer than ``ELIDE_FROM`` shows its first
``ELIDE_KEEP`` characters, then a note and a ``foxchat-show-all:`` link that
asks the view to render the message again with ``whole=True``. A streamed run
therefore grows by appending only up to ``PLAIN_FROM`` characters
(``overlong``); past that the paragraph is parsed again, cheaply as plain text.

Code lines are never wrapped (Qt lays a ``pre`` line out in linear time), but
a line longer than ``ELIDE_FROM`` costs Pygments and Qt in proportion while it
streams in, on every frame: it shows its first ``ELIDE_KEEP`` characters and a
note that the code block's Copy link copies it whole (``cut_code``).
"""

from __future__ import annotations

import re

BREAK = "\u200b"
"""The break opportunity inserted for display (zero-width space)."""

BREAK_EVERY = 16
BREAKS_FROM = 128
PLAIN_FROM = 2_000
ELIDE_FROM = 10_000
ELIDE_KEEP = 5_000

SHOW_ALL_SCHEME = "foxchat-show-all"
"""A ``foxchat-show-all:`` link asks the view to show the message without cuts."""

ELIDED_NOTE = (
    "(The rest of this line, {hidden:,} characters, is hidden to keep FoxChat responsive.)"
)
SHOW_ALL_LABEL = "Show the whole line"
CODE_LINE_NOTE = "(This line goes on for {hidden:,} more characters; Copy copies all of it.)"

_SPACE = r" \t\n\r\f\v"
_LEADING_RUN = re.compile(f"[^{_SPACE}]*")
# The lookbehind makes a failed attempt inside a run fail at once (no rescans).
_LONG_RUN = re.compile(f"(?<![^{_SPACE}])[^{_SPACE}]{{{BREAKS_FROM + 1},}}")
_LAST_RUN = re.compile(f"[{_SPACE}]([^{_SPACE}]*)\\Z")
_PLAIN_RUN = re.compile(f"(?<![^{_SPACE}])[^{_SPACE}]{{{PLAIN_FROM + 1},}}")
_ELIDED_RUN = re.compile(f"(?<![^{_SPACE}])[^{_SPACE}]{{{ELIDE_FROM + 1},}}")
_LONG_LINE = re.compile(f"[^\n]{{{ELIDE_FROM + 1},}}")


def _break_segment(segment: str, offset: int) -> str:
    """``segment`` (part of one run, starting at run offset ``offset``) with its breaks."""
    first = max(BREAKS_FROM, -(-offset // BREAK_EVERY) * BREAK_EVERY) - offset
    if first >= len(segment):
        return segment
    pieces = [segment[:first]]
    pieces.extend(segment[i : i + BREAK_EVERY] for i in range(first, len(segment), BREAK_EVERY))
    return BREAK.join(pieces)


def break_runs(text: str, run: int = 0) -> tuple[str, int]:
    """``text`` as shown when ``run`` run characters come right before it, and the run
    length at its end (to pass on with the text that follows)."""
    match = _LEADING_RUN.match(text)
    lead = match.end() if match else 0
    if lead == len(text):
        return _break_segment(text, run) if run + lead > BREAKS_FROM else text, run + lead
    last = _LAST_RUN.search(text)
    end_run = len(last.group(1)) if last else 0
    if run + lead <= BREAKS_FROM and _LONG_RUN.search(text, lead) is None:
        return text, end_run  # the usual case: nothing to break
    pieces = [_break_segment(text[:lead], run)]
    position = lead
    for long_run in _LONG_RUN.finditer(text, lead):
        pieces.append(text[position : long_run.start()])
        pieces.append(_break_segment(long_run.group(), 0))
        position = long_run.end()
    pieces.append(text[position:])
    return "".join(pieces), end_run


def overlong(text: str, run: int = 0) -> bool:
    """Whether ``text``, after ``run`` run characters, holds a run longer than ``PLAIN_FROM``."""
    if run:
        match = _LEADING_RUN.match(text)
        if match and run + match.end() > PLAIN_FROM:
            return True
    return _PLAIN_RUN.search(text) is not None


def plain_html(text: str, *, whole: bool) -> str:
    """HTML of a paragraph shown as plain text: long runs broken, overlong ones cut
    short with a link to show them whole (unless ``whole``)."""
    from html import escape  # html loads its entity tables: not for the first frame

    pieces: list[str] = []
    position = 0
    if not whole:
        for long_run in _ELIDED_RUN.finditer(text):
            kept = text[position : long_run.start() + ELIDE_KEEP]
            pieces.append(escape(break_runs(kept)[0], quote=False))
            hidden = long_run.end() - long_run.start() - ELIDE_KEEP
            pieces.append(
                f"… <i>{escape(ELIDED_NOTE.format(hidden=hidden), quote=False)}</i> "
                f'<a href="{SHOW_ALL_SCHEME}:">{escape(SHOW_ALL_LABEL, quote=False)}</a>'
            )
            position = long_run.end()
    pieces.append(escape(break_runs(text[position:])[0], quote=False))
    return "".join(pieces)


def cut_code(code: str) -> tuple[str, dict[int, str]]:
    """``code`` with each line longer than ``ELIDE_FROM`` cut to ``ELIDE_KEEP``
    characters, and the note (plain text) to show after each cut line, by line index."""
    if len(code) <= ELIDE_FROM:
        return code, {}
    pieces: list[str] = []
    notes: dict[int, str] = {}
    position = 0
    index = 0  # the line number at ``position``
    for line in _LONG_LINE.finditer(code):
        pieces.append(code[position : line.start() + ELIDE_KEEP])
        index += code.count("\n", position, line.start())
        hidden = line.end() - line.start() - ELIDE_KEEP
        notes[index] = " … " + CODE_LINE_NOTE.format(hidden=hidden)
        position = line.end()
    pieces.append(code[position:])
    return "".join(pieces), notes
