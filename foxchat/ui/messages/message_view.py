"""Centre: the conversation's messages in a scrolling column.

Only the newest ``PAGE_SIZE`` messages get widgets when a chat opens; older
ones are built a page at a time when the user scrolls to the top or asks for
them. That keeps a 2,000-message chat opening as fast as a 20-message one,
since laying out rich text is the expensive part. Of that first page, only
the messages that fill the view from the bottom are built before the next
frame; the rest of the page follows right after it is painted (or at once
when something asks for one of them). While a reply streams, the
view stays pinned to the bottom unless the user has scrolled up to read.

The messages form a reading column: centred, at most ``READING_CHARS``
characters of the body font wide (measured from its font metrics, so it
follows the font size), the whole width when the window is narrower. The view
tells each message when the keyboard focus enters or leaves it, and keeps the
last reply's action icons drawn.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetricsF, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QStyleOption,
    QVBoxLayout,
    QWidget,
)

from foxchat.attachments import AttachmentInfo
from foxchat.i18n import _
from foxchat.render import RenderCache
from foxchat.store import StoredMessage
from foxchat.ui.first_paint import call_after_first_paint
from foxchat.ui.messages.markdown_view import MarkdownView
from foxchat.ui.messages.message_widget import MessageContext, MessageWidget

# Annotations only: the stream's types load with the first reply, not the window.
if TYPE_CHECKING:
    from foxchat.api.events import TokenChoice
    from foxchat.api.token_probs import Tokens

PAGE_SIZE = 12
#: Widgets kept built while following a growing chat; older ones are dropped
#: (and rebuilt by "Show earlier") so a long session does not pile up widgets.
MAX_BUILT = 3 * PAGE_SIZE
#: How close to the bottom (px) still counts as "following the reply".
_FOLLOW_SLACK = 48
#: The reading column's widest line, in average characters of the body font.
READING_CHARS = 75
#: Space around the column and between messages (from the 4/8/12/16/24 scale).
_EDGE = 16
_BETWEEN = 16
#: A message's own padding left and right (MessageWidget's layout margins).
_MESSAGE_PADDING = 2 * 12


class MessageView(QScrollArea):
    """Shows one conversation; the main window feeds it stored messages."""

    retry_requested = Signal()
    delete_requested = Signal(int)
    step_requested = Signal(int, int)
    edit_submitted = Signal(int, str)
    regenerate_requested = Signal(int)
    tool_results_submitted = Signal(int, list)
    save_again_requested = Signal(int)
    send_without_requested = Signal(int)
    use_settings_requested = Signal(int)
    compare_requested = Signal(int)
    attachment_opened = Signal(AttachmentInfo)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        dark: bool = False,
        alternatives: Callable[[int], tuple[int, int]] = lambda _mid: (0, 1),
        other_details: Callable[[int], str | None] = lambda _mid: None,
        logprobs_of: Callable[[int], str | None] = lambda _mid: None,
        live_tokens: Callable[[int], Sequence[TokenChoice] | None] = lambda _mid: None,
        cache: RenderCache | None = None,
        attachments: Callable[[int], list[AttachmentInfo]] = lambda _mid: [],
    ) -> None:
        super().__init__(parent)
        self.setObjectName("messageView")
        self.setAccessibleName(_("Messages"))
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self._dark = dark
        self._messages: list[StoredMessage] = []
        self._first_shown = 0
        # Messages [_first_shown, _first_built) belong to the page but wait for
        # the next frame to be built (see the module docstring).
        self._first_built = 0
        self._widgets: dict[int, MessageWidget] = {}
        self._follow = True
        self._alternatives = alternatives
        # The details of the version before a reply, to say what differs.
        self._other_details = other_details
        # A reply's token probabilities, read only when the person asks to see them.
        self._logprobs_of = logprobs_of
        self._live_tokens = live_tokens
        self._attachments = attachments
        # One cache for every message: reopening a chat reuses its rendering.
        self._cache = cache if cache is not None else RenderCache()
        self._json_format: dict[str, Any] | None = None
        self._logprobs_asked = False
        # An open token view of a streaming reply grows four times a second.
        self._token_timer = QTimer(self)
        self._token_timer.setInterval(250)
        self._token_timer.timeout.connect(self._grow_token_views)
        self._cut_before: int | None = None
        # How many messages the last opened chat's first frame built (first_frame_texts).
        self._first_frame_count = 0

        self._column = _Column(self)
        self._layout = QVBoxLayout(self._column)
        # The scroll area gives the column the height its messages take at its
        # width (heightForWidth). Minimum heights would be measured at whatever
        # width a message had when asked, which for one just made is too narrow:
        # the column would then be kept far taller than its contents.
        self._layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetNoConstraint)
        self._column.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        self._layout.setContentsMargins(_EDGE, _EDGE, _EDGE, _EDGE)
        self._layout.setSpacing(_BETWEEN)
        self.earlier_button = QPushButton(_("Show earlier messages"), self._column)
        self.earlier_button.setObjectName("earlierButton")
        self.earlier_button.setAccessibleName(_("Show earlier messages"))
        self.empty_label = QLabel(
            _("Say hello. Your messages and replies will appear here."), self._column
        )
        self.empty_label.setObjectName("emptyLabel")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.cut_note = QLabel(self._column)
        self.cut_note.setObjectName("contextCutNote")
        self.cut_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.cut_note.setWordWrap(True)
        self.cut_note.hide()
        self._layout.addWidget(self.earlier_button)
        self._layout.addWidget(self.empty_label)
        self._layout.addStretch(1)
        self.setWidget(self._column)

        self.earlier_button.clicked.connect(self.show_earlier)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)
        bar = self.verticalScrollBar()
        bar.rangeChanged.connect(self._on_range_changed)
        bar.valueChanged.connect(self._on_scrolled)

    # -- what the main window calls ----------------------------------------

    def set_logprobs_asked(self, asked: bool) -> None:
        """Whether the chat asks for token probabilities (a streaming reply offers them)."""
        self._logprobs_asked = asked

    def set_json_format(self, response_format: dict[str, Any] | None) -> None:
        """Show replies as JSON when the chat asks for JSON (None: as Markdown)."""
        self._json_format = response_format

    def set_context_cut(self, first_sent_id: int | None, limit: int = 0) -> None:
        """Mark where the context limit cuts: older messages are not sent."""
        self._cut_before = first_sent_id
        self.cut_note.setText(
            _("Messages above this line are not sent (context limit: the last {limit}).").format(
                limit=limit
            )
        )

    def show_messages(self, messages: Sequence[StoredMessage]) -> None:
        """Replace the column with ``messages`` (root to leaf), newest page only."""
        self._clear()
        self._messages = [m for m in messages if m.role != "system"]
        self._first_shown = max(0, len(self._messages) - PAGE_SIZE)
        self._first_built = len(self._messages)
        self._build_visible_part()
        self._first_frame_count = len(self._messages) - self._first_built
        self._place_cut_note()
        self._update_chrome()
        self._follow = True
        self._scroll_to_bottom_soon()
        if self._first_built > self._first_shown:
            call_after_first_paint(self._column, self._build_pending)

    def add_message(self, message: StoredMessage) -> None:
        """A new message at the bottom (sent, or a reply starting)."""
        self._messages.append(message)
        self._add_widget(message, at_end=True)
        if self._follow and len(self._widgets) > MAX_BUILT:
            self._drop_oldest(keep=2 * PAGE_SIZE)
        self._update_chrome()
        self._follow = True
        self._scroll_to_bottom_soon()

    def begin_stream(self, message_id: int) -> None:
        """The reply with that id starts arriving."""
        widget = self._widgets.get(message_id)
        if widget:
            widget.begin_stream()

    def append_delta(self, message_id: int, content: str, reasoning: str) -> None:
        """Text for a streaming reply; ignored if it is not on screen."""
        widget = self._widgets.get(message_id)
        if widget:
            widget.append(content, reasoning)

    def update_message(self, message: StoredMessage) -> None:
        """Refresh one message from its stored row (finished, failed...)."""
        for i, known in enumerate(self._messages):
            if known.id == message.id:
                self._messages[i] = message
        widget = self._widgets.get(message.id)
        if widget:
            widget.update_from(message)
            # A finished reply may have brought alternatives (n > 1).
            widget.header.set_alternatives(*self._alternatives(message.id))

    def has_message(self, message_id: int) -> bool:
        """Whether the message is part of what this view shows."""
        return any(m.id == message_id for m in self._messages)

    def scroll_to_message(self, message_id: int) -> bool:
        """Bring a message into view (building earlier pages as needed)."""
        index = next((i for i, m in enumerate(self._messages) if m.id == message_id), None)
        if index is None:
            return False
        start = self._first_shown
        while index < start:
            start = max(0, start - PAGE_SIZE)
        self._build_above(min(start, self._first_built))
        widget = self._widgets[message_id]
        self._follow = False
        QTimer.singleShot(0, lambda: self.ensureWidgetVisible(widget, 0, 40))
        widget.setProperty("highlight", True)
        widget.style().unpolish(widget)
        widget.style().polish(widget)
        return True

    def message_widget(self, message_id: int) -> MessageWidget | None:
        """The widget showing that message, if its page is built."""
        widget = self._widgets.get(message_id)
        if widget is None and any(m.id == message_id for m in self._pending()):
            self._build_pending()
            widget = self._widgets.get(message_id)
        return widget

    def set_dark(self, dark: bool) -> None:
        """Follow the theme."""
        self._dark = dark
        for widget in self._widgets.values():
            widget.set_dark(dark)

    def first_frame_texts(self) -> list[str]:
        """The Markdown of the replies a start on this chat shows in its first frame
        (what opening it built before its first paint, plus any added since, and two
        more in case the next window is a little taller), oldest first."""
        count = self._first_frame_count + 2
        widgets = (self._widgets.get(m.id) for m in self._messages[-count:])
        return [w.body.markdown() for w in widgets if w and isinstance(w.body, MarkdownView)]

    def show_earlier(self) -> None:
        """Build the previous page of messages above the ones shown."""
        self._build_above(max(0, self._first_shown - PAGE_SIZE))

    # -- internals ---------------------------------------------------------

    def _pending(self) -> Sequence[StoredMessage]:
        """The page's messages still waiting for their widgets."""
        return self._messages[self._first_shown : self._first_built]

    def _build_visible_part(self) -> None:
        """Build the page from the newest message up until the view is full.

        Heights are measured at the view's width before anything is shown; one
        message more than fills it is built, so an estimate a little short of
        the laid-out height never leaves a gap at the top of the first frame.
        """
        width = self._message_width()
        wanted = self.maximumViewportSize().height()  # never a horizontal bar
        filled = 0
        while self._first_built > self._first_shown and filled <= wanted:
            self._first_built -= 1
            widget = self._add_widget(self._messages[self._first_built], at_end=False)
            widget.ensurePolished()
            if widget.hasHeightForWidth():
                filled += widget.heightForWidth(width)
            else:
                filled += widget.sizeHint().height()
            filled += self._layout.spacing()

    def reading_width(self) -> int:
        """The widest the column gets: ``READING_CHARS`` of the body font, plus padding."""
        characters = QFontMetricsF(self.font()).averageCharWidth() * READING_CHARS
        return round(characters) + _MESSAGE_PADDING

    def _fit_reading_column(self, width: int) -> None:
        """Centre the column in a view ``width`` wide (side margins, never below ``_EDGE``)."""
        side = max(_EDGE, (width - self.reading_width()) // 2)
        margins = self._layout.contentsMargins()
        if margins.left() != side or margins.right() != side:
            self._layout.setContentsMargins(side, _EDGE, side, _EDGE)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._fit_reading_column(_viewport_width(self))
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        """A new font size moves the column's edges."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_reading_column(_viewport_width(self))

    def _on_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        """Tell the message the focus left, and the one it entered (their actions show)."""
        left, entered = self._message_of(old), self._message_of(new)
        if left is entered:
            return
        if left is not None:
            left.set_focus_inside(False)
        if entered is not None:
            entered.set_focus_inside(True)

    def _message_of(self, widget: QWidget | None) -> MessageWidget | None:
        while widget is not None and widget is not self:
            if isinstance(widget, MessageWidget):
                return widget if widget.parentWidget() is self._column else None
            widget = widget.parentWidget()
        return None

    def _message_width(self) -> int:
        """The width a message widget gets in the column as the view is now."""
        self._fit_reading_column(_viewport_width(self))
        margins = self._layout.contentsMargins()
        return max(1, _viewport_width(self) - margins.left() - margins.right())

    def _build_pending(self) -> None:
        """Build the rest of the page, above the messages already built."""
        if self._first_built > self._first_shown:
            self._build_above(self._first_shown)

    def _build_above(self, start: int) -> None:
        """Build messages ``start`` to the first built one, keeping the reading place."""
        if self._first_built <= start:
            return
        bar = self.verticalScrollBar()
        distance_from_bottom = bar.maximum() - bar.value()
        width = self._message_width()
        for message in reversed(self._messages[start : self._first_built]):
            widget = self._add_widget(message, at_end=False)
            # Laid out at the column's width from the start: a reply first
            # measured at a default narrow width can keep that tall height.
            widget.resize(width, widget.heightForWidth(width))
        self._first_shown = min(self._first_shown, start)
        self._first_built = start
        self._place_cut_note()
        self._update_chrome()
        if self._follow:
            return  # the range grows when they are laid out; that scrolls to the bottom
        # Keep the message the user was reading where it was.
        self._column.adjustSize()
        bar.setValue(bar.maximum() - distance_from_bottom)

    def _show_tokens(self, message_id: int, on: bool) -> None:
        widget = self._widgets.get(message_id)
        if widget is None:
            return
        widget.show_token_view(self._tokens_of(message_id) if on else None)
        if on and widget.is_streaming():
            self._token_timer.start()

    def _tokens_of(self, message_id: int) -> Tokens:
        """A reply's tokens: as they arrive while it streams, else as kept with it."""
        from foxchat.api.token_probs import LiveTokens, StoredTokens

        live = self._live_tokens(message_id)
        return LiveTokens(live) if live is not None else StoredTokens(self._logprobs_of(message_id))

    def _grow_token_views(self) -> None:
        growing = False
        for message_id, widget in self._widgets.items():
            if widget.token_view is not None and widget.is_streaming():
                widget.grow_token_view(self._tokens_of(message_id))
                growing = True
        if not growing:
            self._token_timer.stop()

    def _context(self, message: StoredMessage) -> MessageContext:
        index, count = self._alternatives(message.id)
        position = next((i for i, m in enumerate(self._messages) if m.id == message.id), -1)
        following = (
            self._messages[position + 1] if 0 <= position < len(self._messages) - 1 else None
        )
        return MessageContext(
            alternative=index,
            alternatives=count,
            json_format=self._json_format,
            tools_answered=following is not None and following.role == "tool",
            other_details=self._other_details(message.id) if count > 1 else None,
            logprobs_asked=self._logprobs_asked,
        )

    def _place_cut_note(self) -> None:
        self._layout.removeWidget(self.cut_note)
        widget = self._widgets.get(self._cut_before) if self._cut_before else None
        if widget is None:
            self.cut_note.hide()
            return
        self._layout.insertWidget(self._layout.indexOf(widget), self.cut_note)
        self.cut_note.show()

    def _add_widget(self, message: StoredMessage, *, at_end: bool) -> MessageWidget:
        widget = MessageWidget(
            message,
            dark=self._dark,
            context=self._context(message),
            cache=self._cache,
            parent=self._column,
        )
        widget.retry_requested.connect(self.retry_requested)
        widget.delete_requested.connect(self.delete_requested)
        widget.step_requested.connect(self.step_requested)
        widget.edit_submitted.connect(self.edit_submitted)
        widget.regenerate_requested.connect(self.regenerate_requested)
        widget.tool_results_submitted.connect(self.tool_results_submitted)
        widget.save_again_requested.connect(self.save_again_requested)
        widget.send_without_requested.connect(self.send_without_requested)
        widget.use_settings_requested.connect(self.use_settings_requested)
        widget.token_view_requested.connect(self._show_tokens)
        widget.compare_requested.connect(self.compare_requested)
        widget.attachment_opened.connect(self.attachment_opened)
        if message.role == "user" and (infos := self._attachments(message.id)):
            widget.show_attachments(infos)
        self._widgets[message.id] = widget
        # Layout: [earlier button, empty label, ...messages..., stretch]
        position = self._layout.count() - 1 if at_end else 2
        item = self._layout.itemAt(2)
        if not at_end and item is not None and item.widget() is self.cut_note:
            position = 3
        self._layout.insertWidget(position, widget)
        return widget

    def _drop_oldest(self, keep: int) -> None:
        """Unbuild all but the newest ``keep`` messages' widgets."""
        first_kept = len(self._messages) - keep
        for message in self._messages[self._first_shown : first_kept]:
            widget = self._widgets.pop(message.id, None)
            if widget is not None:
                self._layout.removeWidget(widget)
                widget.hide()
                widget.deleteLater()
        self._first_shown = max(self._first_shown, first_kept)
        self._first_built = max(self._first_built, self._first_shown)
        self._place_cut_note()

    def _clear(self) -> None:
        for widget in self._widgets.values():
            self._layout.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
        self._widgets.clear()
        self._messages = []
        self._first_shown = 0
        self._first_built = 0

    def _update_chrome(self) -> None:
        self.earlier_button.setVisible(self._first_shown > 0)
        self.empty_label.setVisible(not self._messages)
        last = self._messages[-1] if self._messages else None
        last_reply = last.id if last is not None and last.role == "assistant" else None
        for message_id, widget in self._widgets.items():
            widget.set_always_revealed(message_id == last_reply)

    def _scroll_to_bottom_soon(self) -> None:
        QTimer.singleShot(0, self._scroll_to_bottom)

    def _scroll_to_bottom(self) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())

    def _on_range_changed(self, _low: int, _high: int) -> None:
        if not self._follow:
            return
        if self._streaming() and self.isVisible():
            # Qt moves the shown pixels up only when none of them waits to be
            # painted, and repaints the whole visible column otherwise. Painting
            # what waits (the reply's changed lines) first makes the scroll a
            # copy plus the newly exposed strip: about a quarter of the pixels.
            QCoreApplication.sendPostedEvents(self.window(), QEvent.Type.UpdateRequest)
        self._scroll_to_bottom()

    def _streaming(self) -> bool:
        """Whether the newest message is a reply still arriving."""
        last = self._widgets.get(self._messages[-1].id) if self._messages else None
        return last is not None and last.is_streaming()

    def _on_scrolled(self, value: int) -> None:
        bar = self.verticalScrollBar()
        self._follow = bar.maximum() - value <= _FOLLOW_SLACK
        if value == 0 and self._first_built > 0 and bar.maximum() > 0:
            self.show_earlier()


class _Column(QWidget):
    """The scrolled column: opaque, and anchored at its top-left when it grows.

    Qt moves a scrolled widget's pixels (instead of painting it all again) only
    when the widget is opaque, and a style sheet background makes it
    transparent to Qt (it turns the auto-filled background off). So the column
    says it paints every pixel itself and does: its background, from the style
    sheet when there is one. Growing at its bottom (a streaming reply)
    invalidates only the new strip (see ``MessageView._on_range_changed`` and
    ``MessageWidget.begin_stream``).
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("messageColumn")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), self.palette().window())
        option = QStyleOption()
        option.initFrom(self)
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_Widget, option, painter, self)
        painter.end()


def _viewport_width(area: QScrollArea) -> int:
    """``area.viewport().width()``, without asking for the viewport.

    The first viewport a process asks PySide6 for costs about 10 ms (it sets
    up dozens of widget classes' enums to find the viewport's type), and this
    is asked before the first frame.
    """
    bar = area.verticalScrollBar()
    shown = bar.width() if bar.isVisible() else 0
    return area.maximumViewportSize().width() - shown
