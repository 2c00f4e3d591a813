"""The answers of a comparison, side by side as they stream.

Each column is headed by what makes it differ from the chat's settings, has
its own Stop while it streams, and **Keep this one** in its place once it has ended:
keeping continues the chat from that answer; the others stay reachable as
alternatives ‹ i/n › of the same question. Text is rendered by the same
incremental ``MarkdownView`` as a reply, but on one clock for all columns
(``CompareView.frame``), so four columns cost what four replies cost, laid out
and painted once a frame rather than once per column.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from foxchat.i18n import _
from foxchat.render import FrameBudget
from foxchat.store import MessageStatus
from foxchat.ui.messages.markdown_view import FRAME_MS, MarkdownView

#: How close to the end (px) still counts as "following the answer" (as in the chat).
FOLLOW_SLACK = 48

#: What each column says under its text once it has ended.
ENDINGS = {
    MessageStatus.COMPLETE.value: _("Finished."),
    MessageStatus.STOPPED.value: _("Stopped; the text so far is kept."),
    MessageStatus.INTERRUPTED.value: _("Interrupted; the text so far is kept."),
}

#: A column's scroll bar before its answer outgrows the column: its place, no handle.
_IDLE_SCROLL_BAR = "QScrollBar::handle:disabled { background: transparent; }"


class EndFollower(QObject):
    """Moves every column that follows its answer to its end, together, once a frame.

    Qt moves a column's shown text by copying its pixels only when none of
    them waits to be painted, and paints the whole column again otherwise. So
    what waits is painted first, once for the whole window, and then every
    column that grew moves; what the moves exposed is painted on the next
    paint with the rest. One column at a time made the window paint once per
    column per frame.
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._window_of = parent
        self._waiting: list[CompareColumn] = []
        # On the next turn of the loop: after the frame's layout, once.
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._follow)

    def ask(self, column: CompareColumn) -> None:
        """Move ``column`` to its end with the others on the next turn of the loop."""
        if column not in self._waiting:
            self._waiting.append(column)
        self._timer.start()

    def forget(self, column: CompareColumn) -> None:
        """The column is going away."""
        if column in self._waiting:
            self._waiting.remove(column)

    def _follow(self) -> None:
        waiting, self._waiting = self._waiting, []
        if not any(column.following for column in waiting):
            return
        QCoreApplication.sendPostedEvents(self._window_of.window(), QEvent.Type.UpdateRequest)
        for column in waiting:
            column.follow_end()


#: How far each level of a list is indented in a compared answer (Qt's own: 40).
LIST_INDENT_PX = 18


class ColumnText(MarkdownView):
    """A compared answer's text, updated on the comparison's frames, with the other columns.

    A reply's view shows its new text on a timer of its own, 16 ms after the
    text came. Four answers come from four streams at different moments, so
    four such timers laid out and painted the window up to four times in one
    frame, and two columns could re-parse in one frame (the shared budget
    began anew on a tick of its own between them).
    """

    def frame(self) -> None:
        """Nothing on the view's own timer: the comparison runs ``frame_together``."""

    def frame_together(self) -> None:
        """This column's part of the comparison's frame: growth now, a re-parse when due."""
        super().frame()


class CompareColumn(QFrame):
    """One answer: header, streaming text, state, Stop and Keep."""

    stop_requested = Signal(int)
    keep_requested = Signal(int)

    def __init__(
        self,
        reply_id: int,
        label: str,
        number: int,
        *,
        dark: bool,
        budget: FrameBudget | None = None,
        follower: EndFollower | None = None,
    ) -> None:
        super().__init__()
        self.reply_id = reply_id
        self._follower = follower
        self.setObjectName("compareColumn")
        self.setAccessibleName(_("Answer {number}: {label}").format(number=number, label=label))
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.header = QLabel(label, self)
        self.header.setObjectName("compareColumnHeader")
        self.header.setWordWrap(True)
        font = self.header.font()
        font.setBold(True)
        self.header.setFont(font)
        self.text = ColumnText(dark=dark)
        self.text.setAccessibleName(_("Answer {number}").format(number=number))
        self.text.share_frames(budget)
        # A compared answer's column is narrow (three fit at 800x600): Qt's
        # 40 px for each list level left a third-level item a letter or two wide.
        self.text.document().setIndentWidth(LIST_INDENT_PX)
        # Its height is its height for the column's width. A fixed vertical
        # policy would also cap it at its size hint, which is measured at
        # least 200 px wide: in a narrower column (three at 800x600) the end of
        # the answer was cut off and the rest centred in the column.
        policy = self.text.sizePolicy()
        policy.setVerticalPolicy(QSizePolicy.Policy.Minimum)
        self.text.setSizePolicy(policy)
        scroll = QScrollArea(self)
        scroll.setObjectName("compareColumnScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # The scroll bar has its place from the start. Shown only once the
        # answer outgrew the column, it made the text narrower then: the whole
        # answer laid out again and the column painted whole, one such frame
        # per column, the slowest frames of four streaming answers. Until
        # there is something to scroll it is disabled and shows no handle.
        scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        scroll.verticalScrollBar().setStyleSheet(_IDLE_SCROLL_BAR)
        scroll.verticalScrollBar().setEnabled(False)
        # Its range grows with the answer, so it is painted on every frame. It
        # fills its own background: the column's frame, the scroll area and the
        # row of columns under it are not painted again with it.
        scroll.verticalScrollBar().setAutoFillBackground(True)
        holder = QWidget()
        # The answer grows downwards and its text stays where it is: when it
        # gets taller, only the new part is painted, not the whole column
        # (four columns repainted in full each frame were a third of a frame's
        # work). Changes to the text still repaint what they change. Every
        # widget that grows with it is marked, or its resize leaves the shown
        # part waiting to be painted and moving to the end paints it all.
        for grows in (holder, self.text, self.text.viewport()):
            grows.setAttribute(Qt.WidgetAttribute.WA_StaticContents)
        # ...except the text's frame, drawn along its edges: its old bottom
        # edge is painted again when it grows (see eventFilter).
        self.text.installEventFilter(self)
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)
        holder_layout.addWidget(self.text)
        holder_layout.addStretch(1)
        scroll.setWidget(holder)
        self.scroller = scroll
        self.state = QLabel(_("Writing…"), self)
        self.state.setObjectName("compareColumnState")
        self.state.setWordWrap(True)
        self.state.setProperty("hint", True)
        self.stop_button = QPushButton(_("Stop"), self)
        self.stop_button.setObjectName("compareStopButton")
        self.stop_button.setAccessibleName(_("Stop answer {number}").format(number=number))
        self.keep_button = QPushButton(_("Keep this one"), self)
        self.keep_button.setObjectName("compareKeepButton")
        self.keep_button.setAccessibleName(
            _("Keep answer {number} and go on from it").format(number=number)
        )
        self.keep_button.setEnabled(False)
        for button in (self.stop_button, self.keep_button):
            # Never narrower than their words: a narrow column cut "Keep this one".
            button.setMinimumWidth(button.sizeHint().width())
        # One button at a time, in one place: Stop while it writes, Keep once it
        # has ended. Both side by side made a column too wide for three to fit
        # beside the chat list at 800x600, and one of them was always disabled.
        self.keep_button.hide()
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.keep_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.header)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.state)
        layout.addLayout(buttons)
        self.stop_button.clicked.connect(lambda: self.stop_requested.emit(self.reply_id))
        self.keep_button.clicked.connect(lambda: self.keep_requested.emit(self.reply_id))
        self.text.begin_stream()
        self.finished = False
        # Frames its new text has waited to be shown (for a re-parse: see CompareView.frame).
        self.frames_waited = 0
        self._unshown = False
        # The text grows on the view's frame, after ``append``: the column
        # follows its end when the scroll range grows, as long as the person
        # has not scrolled up from it (then it stays where they put it).
        self.following = True
        bar = scroll.verticalScrollBar()
        bar.rangeChanged.connect(self._on_range_changed)
        bar.valueChanged.connect(self._on_scrolled)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.text and isinstance(event, QResizeEvent):
            # The frame's corners at the old bottom would stay drawn mid-text.
            edge = self.text.frameWidth()
            old = event.oldSize()
            if edge and old.isValid():
                self.text.update(0, old.height() - edge, self.text.width(), edge)
        return False

    def append(self, text: str) -> None:
        """Streamed text (rendered on the view's next frame)."""
        self.text.append_text(text)
        self._unshown = True

    def frame(self) -> None:
        """This column's part of the view's frame."""
        shown = self.text.render_count
        self.text.frame_together()
        if self.text.render_count != shown:
            self.frames_waited = 0
            self._unshown = False
        elif self._unshown:
            self.frames_waited += 1

    def _on_range_changed(self, low: int, high: int) -> None:
        self.scroller.verticalScrollBar().setEnabled(high > low)
        if not self.following:
            return
        if self._follower is not None:
            self._follower.ask(self)  # with the other columns (see EndFollower)
        else:
            self.follow_end()

    def follow_end(self) -> None:
        """Show the end of the answer, unless the person scrolled up from it."""
        if self.following:
            bar = self.scroller.verticalScrollBar()
            bar.setValue(bar.maximum())

    def _on_scrolled(self, value: int) -> None:
        self.following = self.scroller.verticalScrollBar().maximum() - value <= FOLLOW_SLACK

    def finish(self, status: str, error: str | None, content: str) -> None:
        """The answer ended: show all of it and what happened."""
        self.finished = True
        self.text.end_stream()
        if self.text.markdown() != content:
            self.text.set_markdown(content)
        self.state.setText(error or ENDINGS.get(status, ""))
        self.stop_button.setEnabled(False)
        self.stop_button.hide()
        self.keep_button.setEnabled(bool(content))
        self.keep_button.show()


class CompareView(QFrame):
    """The columns of one comparison, with a way back to the chat."""

    stop_requested = Signal(int)
    keep_requested = Signal(int)
    close_requested = Signal()

    def __init__(
        self, parent: QWidget | None = None, *, dark: bool = False, own_clock: bool = True
    ) -> None:
        """``own_clock=False``: the caller runs :meth:`frame` (tests and benchmarks count
        frames rather than wait for them)."""
        super().__init__(parent)
        self.setObjectName("compareView")
        self.setAccessibleName(_("Compared answers"))
        self._dark = dark
        self.conversation_id: int | None = None
        self.question = QLabel(self)
        self.question.setObjectName("compareQuestion")
        self.question.setWordWrap(True)
        self.question.setTextFormat(Qt.TextFormat.PlainText)
        self.close_button = QPushButton(_("Back to the chat"), self)
        self.close_button.setObjectName("compareCloseButton")
        self.close_button.setAccessibleName(_("Close the comparison and show the chat"))
        self.close_button.setToolTip(
            _("Every answer stays in the chat as an alternative of your message")
        )
        top = QHBoxLayout()
        top.addWidget(self.question, 1)
        top.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        # The columns scroll sideways when the window is too narrow for them
        # all: four answers must not make the window wider than the screen.
        holder = QWidget()
        holder.setObjectName("compareColumns")
        self._columns_layout = QHBoxLayout(holder)
        self._columns_layout.setContentsMargins(0, 0, 0, 0)
        self._columns_layout.setSpacing(8)
        self.scroller = QScrollArea(self)
        self.scroller.setObjectName("compareColumnsScroll")
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroller.setWidget(holder)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.scroller, 1)
        self.columns: dict[int, CompareColumn] = {}
        # One re-parse per frame among all columns: four due at once would
        # cost four in one frame (see FrameBudget).
        self.budget = FrameBudget()
        # The columns following their ends move together, once a frame.
        self._follower = EndFollower(self)
        self._own_clock = own_clock
        self._ticker = QTimer(self)
        self._ticker.setInterval(FRAME_MS)
        self._ticker.timeout.connect(self.frame)
        self.close_button.clicked.connect(self.close_requested)
        self.hide()

    def frame(self) -> None:
        """One frame of every column: its new text shown, one re-parse at most among them."""
        self.budget.tick()
        # The frame's re-parse goes to the column whose text has waited longest.
        # Taken in a fixed order, the first columns had it nearly every frame:
        # the fourth showed its text once in twelve frames, 170 ms apart.
        streaming = [column for column in self.columns.values() if not column.finished]
        streaming.sort(key=lambda column: column.frames_waited, reverse=True)
        for column in streaming:
            column.frame()
        if self.all_finished():
            self._ticker.stop()

    def start(
        self, conversation_id: int, question: str, replies: Sequence[tuple[int, str]]
    ) -> None:
        """Show one column per (reply id, label), empty and streaming."""
        self.clear()
        self.conversation_id = conversation_id
        shown = question if len(question) <= 300 else question[:299] + "…"
        self.question.setText(_("Comparing answers to: {question}").format(question=shown))
        for number, (reply_id, label) in enumerate(replies, start=1):
            column = CompareColumn(
                reply_id,
                label,
                number,
                dark=self._dark,
                budget=self.budget,
                follower=self._follower,
            )
            column.stop_requested.connect(self.stop_requested)
            column.keep_requested.connect(self.keep_requested)
            self._columns_layout.addWidget(column, 1)
            self.columns[reply_id] = column
        if self._own_clock:
            self._ticker.start()
        self.show()

    def clear(self) -> None:
        """Remove every column."""
        for column in self.columns.values():
            self._follower.forget(column)
            self._columns_layout.removeWidget(column)
            column.deleteLater()
        self.columns = {}
        self.conversation_id = None

    def append(self, reply_id: int, text: str) -> None:
        """Streamed text for one column (ignored if it is not one of these)."""
        column = self.columns.get(reply_id)
        if column is not None and text:
            column.append(text)

    def finish(self, reply_id: int, status: str, error: str | None, content: str) -> None:
        """One column ended."""
        column = self.columns.get(reply_id)
        if column is not None:
            column.finish(status, error, content)

    def all_finished(self) -> bool:
        """Whether every column has ended."""
        return all(column.finished for column in self.columns.values())
