"""StreamingDocument: the shown blocks of a streaming reply, patched into its document.

A ``StreamingRenderer`` hands out each update as top-level blocks of HTML: the
newly frozen ones, which never change again, and the open tail, which
replaces the previous tail (see ``foxchat.render``). Setting the whole reply
with ``setHtml`` on every frame costs far more than the update itself, so this
class keeps the document in step in place: it remembers which blocks the
document shows and where each one ends, keeps the blocks that did not change,
and removes and inserts only from the first that did, in one edit block (Qt
then lays the changed range out once). Plain words that grow the last text
are typed in with ``insertText``; a streamed code line goes in through
``CodeLineWriter``; a paragraph or heading that only grew at its end (words
with formulas, say) gets only its new inline HTML (``_grow_last_block``), so
the pictures already in it are not imported and laid out again; anything else
goes in through ``insert_html_blocks``. The result is
the document ``setHtml`` would make of the same HTML, which
``check_invariants`` verifies and the tests call after every update.

``MarkdownView`` owns one for its lifetime and calls ``start`` when a stream
begins, ``apply`` for each update and ``stop`` when it ends; between streams
the document is the view's own and nothing is tracked.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextEdit

from foxchat.ui.messages.code_line_writer import CodeLineWriter

if TYPE_CHECKING:  # the streaming renderer loads markdown_it: not for the first frame
    from foxchat.render import StreamUpdate

# Inserted HTML merges its first block into the block at the cursor. Leading
# with a throwaway paragraph holding only this invisible character makes every
# real block arrive as a block of its own, formatted exactly as setHtml would.
_MERGE_GUARD = "\u2063"

_SPACE_RUN = re.compile(" {2,}")

# A block that can grow in place: one paragraph or heading, one Qt block.
_GROWABLE = re.compile(r"<(p|h[1-6])(?:\s[^<>]*)?>")
# What may come inside the new part of a grown block: inline elements only,
# which Qt's importer puts in the block at the cursor (no block of their own).
_TAG_NAME = re.compile(r"<\s*/?\s*([A-Za-z0-9]+)")
_INLINE_TAGS = frozenset(
    {
        "a",
        "b",
        "br",
        "code",
        "del",
        "em",
        "i",
        "img",
        "kbd",
        "s",
        "span",
        "strong",
        "sub",
        "sup",
        "u",
    }
)
# A character Qt's HTML importer makes a new block of, even inside a paragraph.
_PARAGRAPH_BREAK = "\u2029"
# The characters Qt's HTML importer folds into one space (not U+00A0).
_HTML_SPACE = " \t\n\r\f"
_HTML_SPACE_RUN = re.compile(f"[{_HTML_SPACE}]+")
# Where a cut may go: after a character that is not white space, or after a
# picture, with any inline elements closed in between (the text inside such an
# element may end in white space, so its end is not enough).
_ENDS_SHOWN = re.compile(f"(?:[^{_HTML_SPACE}<>]|<img\\b[^<>]*>)(?:</[A-Za-z0-9]+>)*$")
# The entities the renderer writes (html.escape), each one character in the document.
_ENTITY_CHARS = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#x27;": "'", "&#39;": "'"}
_KNOWN_ENTITY = re.compile("|".join(_ENTITY_CHARS))
# A picture (object) or the guard: what plain text is never typed after or with.
_NOT_TEXT = frozenset({"\ufffc", _MERGE_GUARD})


def insert_html_blocks(document: QTextDocument, position: int, html: str) -> int:
    """Insert ``html`` as whole blocks after the block ending at ``position``, formatted
    as ``setHtml`` would; returns the end of what was inserted."""
    cursor = QTextCursor(document)
    cursor.setPosition(position)
    cursor.insertHtml(f"<p>{_MERGE_GUARD}</p>{html.rstrip()}")
    end = cursor.position()
    cursor.setPosition(position)
    # A position, not movePosition: moving by characters lays the block out first.
    cursor.setPosition(position + len(_MERGE_GUARD), QTextCursor.MoveMode.KeepAnchor)
    cursor.removeSelectedText()
    return end - len(_MERGE_GUARD)


class _EndEdit(NamedTuple):
    """How a block changed only at its end: drop its last ``removed`` characters,
    then put ``added`` (inline HTML) in their place, inside ``opening``...``close``."""

    opening: str
    removed: int
    added: str
    close: str
    after_text: bool  # the cut follows a character of the block's own text, not a tag


def end_edit(old: str, new: str) -> _EndEdit | None:
    """How block ``new`` differs from block ``old`` only at its end, if it does.

    Both must be one ``<p>`` or ``<hN>`` with the same opening tag. They agree
    up to a cut; after it ``old`` has only text (so every element it opened is
    closed before the cut, and the document shows that text as a known number
    of characters) and ``new`` only inline HTML, which then goes in without
    importing the block again: the pictures before the cut stay as they are.
    The cut lies between whole elements and characters, never inside a tag or
    an entity, and right after a character or picture that is not white space
    (Qt's importer folds white space with what comes before it). Otherwise
    None: the block is replaced whole.
    """
    opening = _GROWABLE.match(old)
    if opening is None:
        return None
    close = f"</{opening.group(1)}>"
    old_html, new_html = old.rstrip(), new.rstrip()
    if not (old_html.endswith(close) and new_html.endswith(close)):
        return None
    old_inner, new_inner = old_html[: -len(close)], new_html[: -len(close)]
    cut = _common_prefix_length(old_inner, new_inner)
    if old_inner.rfind("<", 0, cut) > old_inner.rfind(">", 0, cut):
        cut = old_inner.rfind("<", 0, cut)  # inside a tag: before it
    if old_inner.rfind("&", 0, cut) > old_inner.rfind(";", 0, cut):
        cut = old_inner.rfind("&", 0, cut)  # inside an entity: before it
    while cut and old_inner[cut - 1] in _HTML_SPACE:
        cut -= 1
    if cut <= opening.end() or not _ENDS_SHOWN.search(old_inner, 0, cut):
        return None
    removed, added = old_inner[cut:], new_inner[cut:]
    if not (removed or added) or "<" in removed or ">" in removed:
        return None
    if _PARAGRAPH_BREAK in added:
        return None  # the importer would split the block in two
    if any(name.lower() not in _INLINE_TAGS for name in _TAG_NAME.findall(added)):
        return None
    shown = _plain_text(removed)
    if shown is None:
        return None  # characters the document may not show one for one
    return _EndEdit(opening.group(0), len(shown), added, close, old_inner[cut - 1] != ">")


def _plain_text(html: str) -> str | None:
    """What Qt's importer shows for ``html`` after a character that is not white
    space, if it is plain text it surely reads the same way (known entities,
    each white space run as one space); otherwise None."""
    if "<" in html or ">" in html:
        return None
    text = _HTML_SPACE_RUN.sub(" ", _KNOWN_ENTITY.sub(_entity_char, html))
    if "&" in _KNOWN_ENTITY.sub("", html) or not text.isprintable() or _NOT_TEXT & set(text):
        return None
    return text


def _entity_char(match: re.Match[str]) -> str:
    return _ENTITY_CHARS[match.group(0)]


def _common_prefix_length(a: str, b: str) -> int:
    """How many characters ``a`` and ``b`` share at their start."""
    if b.startswith(a):
        return len(a)  # the usual case: the block grew
    # Halving with slice comparisons: the compares run in C, the loop a dozen times.
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


class _OpenBlock(NamedTuple):
    html: str
    end: int  # the document position just after the block's last character


class StreamingDocument:
    """The shown blocks of a streaming reply and how they are patched into a QTextDocument.

    While a stream is shown (from ``start`` to ``stop``) these invariants hold
    after every ``apply``; ``check_invariants`` raises AssertionError naming the
    one that broke:

    1. The document shows the renderer's top-level blocks, in order and
       nothing else: the frozen prefix (``frozen_count`` blocks, ending at
       ``_frozen_end``, None while nothing is frozen), then the open blocks.
    2. It is exactly the document ``setHtml`` would make of their HTML joined.
    3. Each open block's recorded end is where that document of the blocks up
       to it ends (likewise ``_frozen_end`` for the frozen prefix); the ends
       never decrease and the last one is the end of the document.
    4. The frozen prefix never changes once frozen: it only grows, its text
       stays as it was, and only open blocks are ever removed or replaced.

    When stopped it tracks nothing; the document then belongs to the view.
    """

    def __init__(self, editor: QTextEdit) -> None:
        # The editor, not only its document: the first block and a cleared
        # document go through its setHtml/clear, which also reset its cursor.
        self._editor = editor
        self._document = editor.document()
        # Streamed code lines go in without the HTML importer (see code_line_writer).
        self._code_lines = CodeLineWriter(self._document)
        self._streaming = False
        self._blocks_grown = 0
        # The frozen blocks' HTML, for check_invariants: references to the
        # renderer's own strings, so keeping them costs next to nothing.
        self._frozen_html: list[str] = []
        self._frozen_end: int | None = None
        self._open: list[_OpenBlock] = []
        self._checked_prefix: tuple[int, str] = (0, "")  # what check_invariants last saw frozen

    # -- the stream ------------------------------------------------------------

    def start(self) -> None:
        """Track a stream from an empty document (the caller has just cleared it)."""
        self.stop()
        self._streaming = True

    def stop(self) -> None:
        """Stop tracking; the document keeps what it shows."""
        self._streaming = False
        self._frozen_html = []
        self._frozen_end = None
        self._open = []
        self._checked_prefix = (0, "")

    @property
    def frozen_count(self) -> int:
        """How many of the renderer's frozen blocks the document shows."""
        return len(self._frozen_html)

    @property
    def code_lines_written(self) -> int:
        """How many code lines went in without Qt's HTML importer."""
        return self._code_lines.written

    @property
    def blocks_grown(self) -> int:
        """How many updates added to the last block without importing it again."""
        return self._blocks_grown

    def forget_formats(self) -> None:
        """The default font or style changed: learn code line formats again."""
        self._code_lines.forget()

    def apply(self, update: StreamUpdate) -> None:
        """Bring the document up to date, touching only the blocks that changed."""
        blocks = (*update.frozen_blocks, *update.tail_blocks)
        shown = self._open
        if update.appended is not None and not update.frozen_blocks and shown:
            self._append_to_last_block(update.appended, blocks[-1])
            return
        kept = 0
        while kept < min(len(shown), len(blocks)) and shown[kept].html == blocks[kept]:
            kept += 1
        if kept < len(shown) or kept < len(blocks):
            # One edit block: Qt lays the changed range out once at its end,
            # not after each removal and insertion (most of an update's cost).
            edit = QTextCursor(self._document)
            edit.beginEditBlock()
            try:
                if (
                    kept == len(shown) - 1
                    and kept < len(blocks)
                    and self._grow_last_block(blocks[kept])
                ):
                    kept += 1
                self._replace_blocks_from(kept, blocks[kept:])
            finally:
                edit.endEditBlock()
        # Newly frozen blocks are never compared again.
        frozen = len(update.frozen_blocks)
        if frozen:
            self._frozen_html.extend(update.frozen_blocks)
            self._frozen_end = self._open[frozen - 1].end
            del self._open[:frozen]

    def _append_to_last_block(self, text: str, html: str) -> None:
        """Add plain ``text`` after the last character, formatted like it."""
        end = self._open[-1].end
        if text:
            cursor = QTextCursor(self._document)
            cursor.setPosition(end)
            # As Qt's HTML import would: a run of spaces shows as one.
            text = _SPACE_RUN.sub(" ", text)
            cursor.insertText(text)
            end = cursor.position()
        self._open[-1] = _OpenBlock(html, end)

    def _grow_last_block(self, html: str) -> bool:
        """Put the last block's new ``html`` in by editing only its end, if only its
        end changed (``end_edit``); whether it did."""
        last = self._open[-1]
        edit = end_edit(last.html, html)
        if edit is None:
            return False
        cursor = QTextCursor(self._document)
        cut = last.end - edit.removed
        if edit.removed:
            cursor.setPosition(cut)
            cursor.setPosition(last.end, QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
        cursor.setPosition(cut)
        text = _plain_text(edit.added)
        if text is not None and edit.after_text:
            # Only words after words at the paragraph's own level (the cut is
            # right after a character, not a tag): formatted like them, as
            # the importer would, and far cheaper than importing HTML.
            cursor.insertText(text)
            self._open[-1] = _OpenBlock(html, cursor.position())
            self._blocks_grown += 1
            return True
        # The block's own tags give the new part the character formats the
        # importer gives text in that block (a heading's size, say); its one
        # block merges into the block at the cursor. The guard character keeps
        # white space at the start of the new part from being dropped as
        # leading white space of a block.
        cursor.insertHtml(f"{edit.opening}{_MERGE_GUARD}{edit.added}{edit.close}")
        end = cursor.position()
        cursor.setPosition(cut)
        cursor.setPosition(cut + len(_MERGE_GUARD), QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        self._open[-1] = _OpenBlock(html, end - len(_MERGE_GUARD))
        self._blocks_grown += 1
        return True

    def _replace_blocks_from(self, index: int, blocks: tuple[str, ...]) -> None:
        """Drop the open blocks from ``index`` on and insert ``blocks`` in their place."""
        shown = self._open
        if index == 0 and self._frozen_end is None:
            # Nothing before: the first block is the document's first block.
            if not blocks:
                self._editor.clear()
                shown.clear()
                return
            self._editor.setHtml(blocks[0].rstrip())
            shown[:] = [_OpenBlock(blocks[0], self._end_position())]
            index, blocks = 1, blocks[1:]
        start = shown[index - 1].end if index else self._frozen_end
        assert start is not None
        del shown[index:]
        last_kept = QTextCursor(self._document)
        last_kept.setPosition(start)
        # An empty kept block (a rule, say) would take the format of whatever
        # merges into it, both when the old blocks go and when new HTML comes.
        block_format = last_kept.blockFormat()
        block_char_format = last_kept.blockCharFormat()
        # Positions, not movePosition: moving by characters lays the block out
        # to find grapheme boundaries, for text about to be replaced anyway.
        last_kept.setPosition(self._end_position(), QTextCursor.MoveMode.KeepAnchor)
        last_kept.removeSelectedText()
        end = start
        for html in blocks:
            end = self._insert_blocks(end, html)
            shown.append(_OpenBlock(html, end))
        last_kept.setPosition(start)
        if blocks and last_kept.block().length() == 1:
            # Setting a format relayouts even when it is unchanged (0.3 ms after a table).
            if last_kept.blockFormat() != block_format:
                last_kept.setBlockFormat(block_format)
            if last_kept.blockCharFormat() != block_char_format:
                last_kept.setBlockCharFormat(block_char_format)

    def _end_position(self) -> int:
        """The cursor position at the end of the document."""
        return self._document.characterCount() - 1

    def _insert_blocks(self, position: int, html: str) -> int:
        """Insert ``html`` as whole blocks at the end of the document; returns its end."""
        end = self._code_lines.insert(position, html)
        return end if end is not None else insert_html_blocks(self._document, position, html)

    # -- invariants (for tests: each check renders the blocks again) -------------

    def check_invariants(self) -> None:
        """Raise AssertionError naming the invariant (see the class docstring) that broke."""
        if not self._streaming:
            if self._frozen_html or self._open or self._frozen_end is not None:
                raise AssertionError("not streaming, yet blocks are still tracked")
            return
        self._check_order()
        html = list(self._frozen_html)
        if html:
            self._check_end("the frozen prefix", html, self._frozen_end)
        for index, block in enumerate(self._open):
            html.append(block.html)
            self._check_end(f"open block {index}", html, block.end)
        whole = self._as_set_html(html).toHtml()
        if self._document.toHtml() != whole:
            raise AssertionError(
                f"invariant 2: the document differs from setHtml of its {len(html)} shown blocks"
            )
        self._check_frozen_prefix()

    def _check_order(self) -> None:
        if (self._frozen_end is None) != (not self._frozen_html):
            raise AssertionError(
                f"invariant 1: {len(self._frozen_html)} frozen blocks "
                f"but the frozen prefix ends at {self._frozen_end}"
            )
        previous = self._frozen_end or 0
        for index, block in enumerate(self._open):
            if block.end < previous:
                raise AssertionError(
                    f"invariant 3: open block {index} ends at {block.end}, before {previous}"
                )
            previous = block.end
        if previous != self._end_position():
            raise AssertionError(
                f"invariant 3: the shown blocks end at {previous}, "
                f"the document at {self._end_position()}"
            )

    def _check_end(self, what: str, html: list[str], recorded: int | None) -> None:
        expected = self._as_set_html(html).characterCount() - 1
        if recorded != expected:
            raise AssertionError(
                f"invariant 3: {what} is recorded to end at {recorded}, "
                f"but setHtml of the blocks up to it ends at {expected}"
            )

    def _check_frozen_prefix(self) -> None:
        seen_end, seen_text = self._checked_prefix
        frozen_end = self._frozen_end or 0
        if frozen_end < seen_end or self._text_up_to(seen_end) != seen_text:
            raise AssertionError(
                f"invariant 4: the frozen prefix changed (it ended at {seen_end}, "
                f"now at {frozen_end})"
            )
        self._checked_prefix = (frozen_end, self._text_up_to(frozen_end))

    def _text_up_to(self, position: int) -> str:
        cursor = QTextCursor(self._document)
        cursor.setPosition(position, QTextCursor.MoveMode.KeepAnchor)
        return cursor.selectedText()

    def _as_set_html(self, html: list[str]) -> QTextDocument:
        """A document of the same kind and defaults, set to ``html`` joined, as the view would."""
        # The same class: a SealedDocument loads no resource a reply names.
        scratch = type(self._document)()
        scratch.setDefaultFont(self._document.defaultFont())
        scratch.setDefaultStyleSheet(self._document.defaultStyleSheet())
        scratch.setDefaultTextOption(self._document.defaultTextOption())
        scratch.setDocumentMargin(self._document.documentMargin())
        scratch.setIndentWidth(self._document.indentWidth())
        scratch.setHtml("".join(html).rstrip())
        return scratch
