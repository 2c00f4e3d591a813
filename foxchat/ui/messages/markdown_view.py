"""MarkdownView: the body of one chat message, finished or still streaming.

A read-only, selectable QTextBrowser that sizes itself to its content (no
vertical scrollbar). Code lines wrap inside their block (``READING_STYLE``),
so a long one never widens the reply; a horizontal scrollbar is left only for
what cannot wrap (a table wider than the column). A finished message is
rendered through a ``RenderCache``; a streaming one through a
``StreamingRenderer`` whose updates are coalesced to one per frame (those that
parse the open block again paced by a ``RenderPacer``) and patched into the
document in place by a ``StreamingDocument``: frozen blocks stay in the
document untouched and only the changed blocks of the open tail are replaced.
``heightForWidth`` answers from a per-width cache that is emptied when the
contents, the font or the style change, since layouts ask it many times per
pass.

A long unbroken run of text (a URL, a base64 blob) is shown with invisible
break opportunities so Qt can wrap it quickly; a selection is copied without
them. An overlong run or code line is shown cut short, and a finished reply
over ``REPLY_DISPLAY_CHARS`` by its beginning (see ``foxchat.render``); a
``foxchat-show-all:`` link then renders the message again in full
(``show_whole``). The Copy button and code Copy links always copy it exactly.

Safety: links open in the system browser only when clicked and only for http,
https and mailto; ``foxchat-copy:N`` links copy code block N; every other
scheme is ignored. ``loadResource`` refuses everything but the math pictures the
document draws itself from the LaTeX in their URL, so no image or file is
ever fetched because of what a model wrote.

A screen reader reads a picture as nothing, so a reply with formulas carries
its text with each formula as its LaTeX in the view's accessible description.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QEvent, QMimeData, QPoint, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QContextMenuEvent,
    QDesktopServices,
    QGuiApplication,
    QImage,
    QPalette,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFrameFormat,
    QTextObject,
)
from PySide6.QtWidgets import QApplication, QSizePolicy, QTextBrowser, QTextEdit, QWidget

from foxchat.i18n import _
from foxchat.render import (
    DISPLAY_BREAK,
    MATH_SCHEME,
    SHOW_ALL_SCHEME,
    FrameBudget,
    RenderCache,
    RenderedMarkdown,
    RenderPacer,
    parse_math_url,
)
from foxchat.ui.messages.streaming_document import StreamingDocument

if TYPE_CHECKING:
    from foxchat.render import StreamingRenderer, StreamUpdate

FRAME_MS = 16
"""At most one render per frame while a reply streams in (see ``RenderPacer``)."""

OPENABLE_SCHEMES = frozenset({"http", "https", "mailto"})

_MAX_CACHED_WIDTHS = 32

#: The document's default style sheet: the reading rhythm of a documentation
#: page (prose at 1.5 lines, headings spaced from one 4/8/12/16/24 scale) and
#: code lines that wrap inside their block rather than widen the reply, their
#: continuation indented under the line's start as the cue that it is one line
#: (see docs/architecture.md, "Long code lines wrap"). Qt's importer applies it to
#: every block, the streamed ones included, and the streaming document and
#: code line writer copy it into their scratch documents.
READING_STYLE = """
p, li { line-height: 150%; }
pre { white-space: pre-wrap; margin-left: 24px; text-indent: -24px; }
h1 { margin-top: 24px; margin-bottom: 12px; }
h2 { margin-top: 24px; margin-bottom: 8px; }
h3, h4, h5, h6 { margin-top: 16px; margin-bottom: 8px; }
ul, ol { margin-top: 4px; margin-bottom: 12px; }
"""

#: What a copied selection offers: its text (formulas as LaTeX) and its HTML.
_COPIED_FORMATS = frozenset({"text/plain", "text/html"})

#: Layout requests go up one widget per round: the reply, its message, the column.
_LAYOUT_LEVELS = 3

# Widget changes that move text without changing the document's contents.
_LAYOUT_CHANGES = frozenset({QEvent.Type.FontChange, QEvent.Type.StyleChange})


def _lay_out_before_painting(view: QWidget) -> None:
    """Lay out (and so scroll) the message column for the new text now.

    Otherwise the frame is painted twice: once when the text changes, and again
    after the layout. The document layout tells its new size only on a timer
    after that first paint, and each layout request up the widget tree is
    posted after it too.
    """
    if view.parentWidget() is None:
        return  # a view of its own: nothing around it to lay out
    view.updateGeometry()
    for _level in range(_LAYOUT_LEVELS):
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)


class _InlinePicture(QTextObject):
    """What a picture in the text is to its document: an object of its own, not a frame."""


@functools.cache
def _picture_frame_format() -> QTextFrameFormat:
    """The frame format Qt's HTML importer gives each ``<img>`` (in the flow of the text)."""
    in_flow = QTextFrameFormat()
    in_flow.setPosition(QTextFrameFormat.Position.InFlow)
    return in_flow


class SealedDocument(QTextDocument):
    """A document that loads no resource but the math pictures it makes itself.

    QTextDocument's own ``loadResource`` reads ``file:`` URLs and Qt resources
    itself whenever its parent widget returns nothing, so refusing in the view
    alone is not enough. A ``foxchat-math:`` image is drawn here from the
    LaTeX its URL carries (``math_image``): nothing is read or fetched.

    Qt's HTML importer makes every ``<img>`` a frame of its own (in the flow of
    the text, so laid out and drawn like a character). A document with frames
    walks every fragment of its text after each edit that adds or removes one,
    to rebuild its frame tree: a streaming reply full of formulas did that on
    every update, for the whole reply. Here such a picture gets a plain object
    instead (``createObject``); it is laid out, drawn and written to HTML the
    same, as no frame of its own is needed for a picture in the flow.
    """

    def createObject(self, format: QTextFormat) -> QTextObject:
        if format == _picture_frame_format():
            return _InlinePicture(self)
        return super().createObject(format)

    def loadResource(self, type: int, name: QUrl | str) -> Any:
        if type == QTextDocument.ResourceType.ImageResource.value:
            url = name if isinstance(name, QUrl) else QUrl(name)
            image = self._math(url.toString())
            if image is not None:
                # Kept in the document: a streamed block put in again finds it
                # here instead of asking (and parsing its URL) once more.
                self.addResource(type, url, image)
                return image
        # Empty bytes, not None: PySide6 6.12 under-counts a returned None here
        # and crashes the interpreter after enough calls.
        return QByteArray()

    def _math(self, url: str) -> QImage | None:
        parsed = parse_math_url(url)
        view = self.parent()
        if parsed is None or not isinstance(view, QWidget):
            return None
        from foxchat.math_picture import math_image

        latex, display, _dark = parsed
        return math_image(
            latex,
            display=display,
            colour=view.palette().color(QPalette.ColorRole.Text),
            font=view.font(),
            ratio=view.devicePixelRatioF(),
        )


class MarkdownView(QTextBrowser):
    """One message's Markdown, rendered natively; see the module docstring."""

    code_copied = Signal(str)
    """Emitted after a code block's Copy link put exactly this code on the clipboard."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        cache: RenderCache | None = None,
        dark: bool = False,
        open_url: Callable[[QUrl], Any] = QDesktopServices.openUrl,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        super().__init__(parent)
        # What the pacer's cost of an update is read from: seconds. Tests pass a
        # clock of their own, so how long a frame waits depends on the updates
        # they make and not on how busy the machine is.
        self._clock = clock
        self._cache = cache if cache is not None else RenderCache()
        self._dark = dark
        self._open_url = open_url
        self._text = ""
        self._whole = False  # show cut-short runs whole (the user asked)
        self._code_blocks: tuple[str, ...] = ()
        self._stream: StreamingRenderer | None = None
        self._render_count = 0
        self._pacer = RenderPacer(frame_ms=FRAME_MS)
        self._budget: FrameBudget | None = None
        # heightForWidth answers by width; emptied whenever the layout could change.
        self._heights: dict[int, int] = {}
        self._frame_timer = QTimer(self)
        self._frame_timer.setSingleShot(True)
        self._frame_timer.setInterval(FRAME_MS)
        self._setup_widget()
        self._connect_signals()

    def _setup_widget(self) -> None:
        document = SealedDocument(self)
        document.setDefaultStyleSheet(READING_STYLE)
        self.setDocument(document)
        self._patcher = StreamingDocument(self)
        self.setObjectName("markdownView")
        self.setAccessibleName(_("Message text"))
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.document().setUndoRedoEnabled(False)

    def _connect_signals(self) -> None:
        self.anchorClicked.connect(self._on_anchor_clicked)
        self._frame_timer.timeout.connect(self.frame)
        self.document().documentLayout().documentSizeChanged.connect(self.updateGeometry)
        self.document().contentsChanged.connect(self._forget_heights)

    # -- content ---------------------------------------------------------------

    def markdown(self) -> str:
        """The Markdown source shown (so far, while streaming)."""
        return self._stream.text if self._stream is not None else self._text

    def set_markdown(self, text: str) -> None:
        """Show a finished message; rendered once per text and theme, then cached."""
        self._stop_stream()
        if text != self._text:
            self._whole = False
        self._text = text
        self._show(self._cache.get(text, dark=self._dark, whole=self._whole))

    def set_dark(self, dark: bool) -> None:
        """Re-render for a dark (True) or light window palette."""
        if dark == self._dark:
            return
        self._dark = dark
        if self._stream is None:
            self.set_markdown(self._text)
            return
        source = self._stream.text
        self.begin_stream()
        self.append_text(source)
        self.flush()

    def begin_stream(self) -> None:
        """Start an empty message that ``append_text`` will fill."""
        from foxchat.render import StreamingRenderer  # loads markdown_it: not at start

        self._stop_stream()
        self._text = ""
        self._whole = False
        self._code_blocks = ()
        self._stream = StreamingRenderer(dark=self._dark)
        self._pacer = RenderPacer(frame_ms=FRAME_MS)
        self.clear()
        self._patcher.start()

    def append_text(self, chunk: str) -> None:
        """Add streamed text; it is rendered on the next frame, not now."""
        stream = self._stream
        if stream is None:
            self.begin_stream()
            stream = self._stream
        assert stream is not None
        # Text already waiting started the frame timer when it came, and only
        # a frame (or a flush) that reads it stops it: asking Qt again for each
        # of a reply's thousands of chunks cost more than taking the chunk.
        if stream.append(chunk) and not self._frame_timer.isActive():
            self._frame_timer.start()

    def end_stream(self) -> None:
        """Render what is pending; the document now equals a one-shot render."""
        from foxchat.render import StreamUpdate  # loads markdown_it: not at start

        stream = self._stream
        if stream is None:
            return
        self.flush()
        final = stream.finish()
        if stream.needs_full_render:
            self._show(final)
        else:
            # The tail's code was highlighted incrementally; now exactly. Only
            # blocks whose HTML changed are replaced.
            newly_frozen = stream.frozen_blocks[self._patcher.frozen_count :]
            self._patcher.apply(StreamUpdate(newly_frozen, stream.tail_blocks))
        self._text = stream.text
        self._code_blocks = final.code_blocks
        self._cache.put(stream.text, final, dark=self._dark)
        self._stop_stream()
        self._describe_math(final.html)

    @property
    def streaming_document(self) -> StreamingDocument:
        """What patches a streaming reply into the document (tests check its invariants)."""
        return self._patcher

    def share_frames(self, budget: FrameBudget | None) -> None:
        """Re-parse only within ``budget``, shared with other views streaming at once."""
        self._budget = budget

    @property
    def render_count(self) -> int:
        """How many renders have reached the document (one per frame at most)."""
        return self._render_count

    def frame(self) -> None:
        """One frame's update: growth shows now, a re-parse when the pacer says."""
        stream = self._pending_stream()
        if stream is None:
            return
        started = self._clock()
        update = stream.cheap_update()
        if update is None:
            due = self._pacer.due(stream.pending_chars, stream.open_chars, stream.ends_in_formula)
            if not due or (self._budget is not None and not self._budget.take()):
                self._frame_timer.start()  # the text waits; look again next frame
                return
            update = stream.parse_update()  # cheap_update already said no
        self._show_update(stream, update, started)
        if stream.pending:  # the start of a code line waits a frame
            self._frame_timer.start()

    def flush(self) -> None:
        """Render all pending streamed text now instead of on a later frame."""
        stream = self._pending_stream()
        # Twice at most: an update may leave the start of a code line for the next.
        while stream is not None and stream.pending:
            self._show_update(stream, stream.update(), self._clock())

    def _pending_stream(self) -> StreamingRenderer | None:
        self._frame_timer.stop()
        stream = self._stream
        return stream if stream is not None and stream.pending else None

    def _show_update(self, stream: StreamingRenderer, update: StreamUpdate, started: float) -> None:
        self._patcher.apply(update)
        _lay_out_before_painting(self)
        self._code_blocks = stream.code_blocks
        self._render_count += 1
        self._pacer.rendered((self._clock() - started) * 1000)

    def _stop_stream(self) -> None:
        self._frame_timer.stop()
        self._stream = None
        self._patcher.stop()

    def _show(self, rendered: RenderedMarkdown) -> None:
        self._code_blocks = rendered.code_blocks
        # Trailing whitespace after the last block would become a stray space.
        self.setHtml(rendered.html.rstrip())
        self._render_count += 1
        self._describe_math(rendered.html)

    def _describe_math(self, html: str) -> None:
        """Give a reply with formulas an accessible text that reads them as LaTeX.

        Qt exposes a picture to assistive technology as U+FFFC; the alt text in
        the HTML is not kept by the importer. Only replies with math pay for the
        walk over the document.
        """
        if f'"{MATH_SCHEME}:' not in html:
            if self.accessibleDescription():
                self.setAccessibleDescription("")
            return
        document = self.document()
        self.setAccessibleDescription(selected_text(document, 0, document.characterCount() - 1))

    # -- links and resources ---------------------------------------------------

    def _on_anchor_clicked(self, url: QUrl) -> None:
        from foxchat.render import COPY_SCHEME  # loads markdown_it: not at start

        scheme = url.scheme().lower()
        if scheme == COPY_SCHEME:
            self._copy_code(url.path())
        elif scheme == SHOW_ALL_SCHEME:
            self.show_whole()
        elif scheme in OPENABLE_SCHEMES:
            self._open_url(url)
        # Anything else (javascript:, file:, data:, custom schemes) is ignored.

    def _copy_code(self, number: str) -> None:
        if not number.isdigit() or int(number) >= len(self._code_blocks):
            return
        code = self._code_blocks[int(number)]
        QGuiApplication.clipboard().setText(code)
        self.code_copied.emit(code)

    def show_whole(self) -> None:
        """Show lines that were cut short in full (a finished message; slower to lay out)."""
        if self._stream is not None or self._whole:
            return
        self._whole = True
        self._show(self._cache.get(self._text, dark=self._dark, whole=True))

    def createMimeDataFromSelection(self) -> QMimeData:
        """The selection as copied: math as its LaTeX, without the display break points.

        Qt's own object is changed and handed back, never a QMimeData made
        here: the clipboard owns what it is given and frees it at exit, after
        the interpreter has gone, and freeing one made in Python then crashed
        the process (a copy, then quitting, ended with a segmentation fault).
        """
        data = super().createMimeDataFromSelection()
        # Reading the HTML makes Qt fill in all its formats from the selection
        # now, so they are not filled in again over what is set below.
        html = data.html() if data.hasHtml() else None
        for kind in data.formats():
            if kind not in _COPIED_FORMATS:
                data.removeFormat(kind)  # they would carry U+FFFC and break points
        cursor = self.textCursor()
        text = selected_text(self.document(), cursor.selectionStart(), cursor.selectionEnd())
        # When the text has break points of its own, which ones are ours is
        # not known: keep them all.
        ours = DISPLAY_BREAK not in self.markdown()
        data.setText(text.replace(DISPLAY_BREAK, "") if ours else text)
        if html is not None:
            data.setHtml(html.replace(DISPLAY_BREAK, "") if ours else html)
        return data

    def math_at(self, pos: QPoint) -> str | None:
        """The LaTeX of the formula at ``pos`` (viewport coordinates), if one is there."""
        cursor = self.cursorForPosition(pos)
        last = self.document().characterCount() - 1
        for offset in (0, 1):
            # A format is that of the character before the position: try both sides.
            probe = QTextCursor(self.document())
            probe.setPosition(max(0, min(cursor.position() + offset, last)))
            found = _math_of(probe.charFormat())
            if found is not None:
                return found[0]
        return None

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu(event.pos())
        latex = self.math_at(event.pos())
        if latex is not None:
            action = QAction(_("Copy LaTeX"), menu)
            action.triggered.connect(lambda: QGuiApplication.clipboard().setText(latex))
            actions = menu.actions()
            if actions:
                menu.insertAction(actions[0], action)
                menu.insertSeparator(actions[0])
            else:
                menu.addAction(action)
        menu.exec(event.globalPos())
        menu.deleteLater()

    def loadResource(self, type: int, name: QUrl | str) -> Any:
        """Refuse every resource: a reply never makes the app fetch anything."""
        return QByteArray()

    # -- size ------------------------------------------------------------------

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        # Layouts ask this many times per pass, at a few alternating widths, and
        # each uncached answer lays the whole document out again.
        cached = self._heights.get(width)
        if cached is not None:
            return cached
        frame = 2 * self.frameWidth()
        document = self.document()
        # Setting the same width again would still lay out the whole document.
        if document.textWidth() != max(0, width - frame):
            document.setTextWidth(max(0, width - frame))
        height = document.size().height() + frame
        if document.size().width() > width - frame:
            height += self.horizontalScrollBar().sizeHint().height()
        # Not viewport().width(): the first viewport asked for costs ~10 ms
        # before the first frame; with no vertical bar this is its width.
        shown = self.maximumViewportSize().width()
        if self.isVisible() and shown > 0 and shown != width - frame:
            # Measuring at another width must not leave the shown text laid
            # out at it: with cached answers nothing else would set it back,
            # and a paragraph would stay one long line behind a scrollbar.
            document.setTextWidth(shown)
        if len(self._heights) >= _MAX_CACHED_WIDTHS:  # a window being resized by hand
            self._heights.clear()
        self._heights[width] = int(height + 0.999)
        return self._heights[width]

    def _forget_heights(self) -> None:
        self._heights.clear()

    def changeEvent(self, event: QEvent) -> None:
        """Forget cached heights when the font or style changes the layout."""
        super().changeEvent(event)
        if event.type() in _LAYOUT_CHANGES:
            self._heights.clear()
            self._patcher.forget_formats()

    def sizeHint(self) -> QSize:
        width = max(self.width(), 200)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        return QSize(100, 0)


def native_mime_data(text: str, html: str) -> QMimeData:
    """Clipboard data with ``text`` and ``html``, made by Qt rather than by Python.

    The clipboard owns what it is given and frees it when the process exits,
    after the interpreter has gone; a QMimeData made in Python then calls back
    into it and crashes the process. Qt's own text edit makes one (empty, as
    nothing is selected in it) whose freeing needs no Python.
    """
    data = QTextEdit().createMimeDataFromSelection()
    data.setText(text)
    data.setHtml(html)
    return data


def _math_of(fmt: QTextCharFormat) -> tuple[str, bool] | None:
    """(latex, display) of a math picture's format, or None for anything else."""
    if not fmt.isImageFormat():
        return None
    parsed = parse_math_url(fmt.toImageFormat().name())
    return None if parsed is None else (parsed[0], parsed[1])


def selected_text(document: QTextDocument, start: int, end: int) -> str:
    """The plain text between two positions, each math picture as its LaTeX.

    Qt copies a picture as U+FFFC; a formula is worth more as ``$…$`` (or
    ``$$…$$`` on its own line) that pastes back into any chat or editor.
    """
    parts: list[str] = []
    block = document.findBlock(start)
    while block.isValid() and block.position() <= end:
        if parts:
            parts.append("\n")
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            lo = max(start, fragment.position())
            hi = min(end, fragment.position() + fragment.length())
            if fragment.isValid() and lo < hi:
                math = _math_of(fragment.charFormat())
                if math is not None:
                    latex, display = math
                    parts.append(f"$${latex}$$" if display else f"${latex}$")
                else:
                    offset = lo - fragment.position()
                    parts.append(fragment.text()[offset : offset + hi - lo])
            fragments += 1
        block = block.next()
    return "".join(parts).replace("\u2029", "\n")
