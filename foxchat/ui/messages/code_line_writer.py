"""Insert a streamed code line into a document without Qt's HTML importer.

While a code block streams in, each new line arrives as one ``pre`` of
coloured spans (see ``foxchat.render``), and ``QTextCursor.insertHtml`` spent
most of each update on it: every call builds a scratch document, parses the
HTML into it and copies it over, about 45 µs for one short line, more than
laying the line out. Yet such a line holds nothing but runs of text in a
handful of colours.

So ``CodeLineWriter`` inserts such a line with ``insertBlock`` and
``insertText``, using formats it learnt from Qt's own importer: the first time
it meets a ``pre`` style or a span style, it imports a one-line sample into a
scratch document that shares the view's default font and style sheet, and
keeps the formats the importer produced. The document therefore ends up the
same as one an ``insertHtml`` of the line would have made, which the
streaming tests check against a one-shot render. (The importer gives plain
text before the first span the block's background and plain text after a span
none; the samples capture that rather than this module assuming it.)

Anything else (blank lines folded into the ``pre``, characters the importer
might treat specially, markup this module does not expect) is declined, and
the caller falls back to ``insertHtml``.
"""

from __future__ import annotations

import re

from PySide6.QtGui import (
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)

# The exact shape foxchat.render writes a code line in; anything else is declined.
_LINE = re.compile(r'<pre style="([^"<>]*)">([^\n]*)</pre>\s*', re.DOTALL)
_RUN = re.compile(r'<span style="([^"<>]*)">([^<]*)</span>|([^<]+)')
# Text the importer could change: controls (other than tab), separators and
# the entities our escaping never writes.
_UNSAFE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\u2028\u2029\ufeff]|&(?!amp;|lt;|gt;)")

_SAMPLE = "x"
_Run = tuple[str | None, str]  # (span style, or None for plain text; the text)


class CodeLineWriter:
    """Writes simple code lines into one document; see the module docstring."""

    def __init__(self, document: QTextDocument) -> None:
        self._document = document
        self._blocks: dict[str, tuple[QTextBlockFormat, QTextCharFormat]] = {}
        # (pre style, span style or None, whether a span came before) -> format
        self._chars: dict[tuple[str, str | None, bool], QTextCharFormat] = {}
        self._scratch: QTextDocument | None = None  # where samples are imported
        self.written = 0
        """How many lines this writer inserted itself (the rest went to ``insertHtml``)."""

    def forget(self) -> None:
        """Learn the formats again (the document's default font or style sheet changed)."""
        self._blocks.clear()
        self._chars.clear()

    def insert(self, position: int, line_html: str) -> int | None:
        """Insert ``line_html`` as a new block after ``position`` (the end of a block);
        the end of the new block, or None when the line is not a simple code line."""
        parsed = _parse(line_html)
        if parsed is None:
            return None
        style, runs = parsed
        block_format, block_char_format = self._block_formats(style)
        cursor = QTextCursor(self._document)
        cursor.setPosition(position)
        cursor.insertBlock(block_format, block_char_format)
        after_span = False
        for span_style, text in runs:
            cursor.insertText(text, self._char_format(style, span_style, after_span))
            after_span = after_span or span_style is not None
        self.written += 1
        return cursor.position()

    def _block_formats(self, style: str) -> tuple[QTextBlockFormat, QTextCharFormat]:
        formats = self._blocks.get(style)
        if formats is None:
            block = self._sample(f'<pre style="{style}">{_SAMPLE}</pre>')
            formats = (block.blockFormat(), block.charFormat())
            self._blocks[style] = formats
        return formats

    def _char_format(self, style: str, span_style: str | None, after_span: bool) -> QTextCharFormat:
        key = (style, span_style, after_span)
        char_format = self._chars.get(key)
        if char_format is None:
            sample = f'<span style="{span_style}">{_SAMPLE}</span>' if span_style else _SAMPLE
            if after_span:
                sample = f'<span style="color:#000000">y</span>{sample}'
            cursor = QTextCursor(self._sample(f'<pre style="{style}">{sample}</pre>'))
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
            char_format = cursor.charFormat()  # the format of the sample's last character
            self._chars[key] = char_format
        return char_format

    def _sample(self, sample_html: str) -> QTextBlock:
        """The block Qt's importer makes of ``sample_html`` (valid until the next sample)."""
        if self._scratch is None:
            # A child of the view's document, so Qt deletes it with it (a
            # parentless one could outlive the QApplication at exit).
            self._scratch = QTextDocument(self._document)
        self._scratch.setDefaultFont(self._document.defaultFont())
        self._scratch.setDefaultStyleSheet(self._document.defaultStyleSheet())
        self._scratch.setHtml(sample_html)
        return self._scratch.begin()


def _parse(line_html: str) -> tuple[str, list[_Run]] | None:
    """The ``pre`` style and runs of a simple code line, or None."""
    from html import unescape  # html loads its entity tables: not for the first frame

    match = _LINE.fullmatch(line_html)
    if match is None:
        return None
    style, inner = match.groups()
    if not inner or _UNSAFE.search(inner):
        return None
    runs: list[_Run] = []
    position = 0
    for run in _RUN.finditer(inner):
        if run.start() != position:
            return None
        position = run.end()
        span_style, span_text, plain_text = run.groups()
        text = unescape(span_text if plain_text is None else plain_text)
        if text:
            runs.append((span_style if plain_text is None else None, text))
    if position != len(inner) or not runs:
        return None
    return style, runs
