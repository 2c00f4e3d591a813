"""The window's side of Compare: set up, start, stream into the columns, keep one.

Kept out of ``MainWindow`` so the window only wires it: the Compare button
and Ctrl+Shift+Enter ask with the typed message, "Compare answers" on a
message of yours asks with that one. While the columns are shown the chat's
message list steps aside; Back to the chat (or keeping one) brings it back.
The columns set up last are remembered for the next Compare
(``remembered_columns``; ``columns_remembered`` tells the settings).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from foxchat.api.params import GenerationParams
from foxchat.attachments import Attachment
from foxchat.services.chat_session import ChatService
from foxchat.services.conversations import ConversationService
from foxchat.ui.compare.compare_view import CompareView

if TYPE_CHECKING:
    from foxchat.ui.compare.setup_dialog import Column, CompareSetupDialog

#: The window's current chat, its model and parameters as shown, and the model list.
Current = Callable[[], tuple[int | None, str, GenerationParams, list[str]]]


class CompareFlow(QObject):
    """Runs comparisons for one window."""

    #: The columns just started, as text for the next Compare (settings keep it).
    columns_remembered = Signal(str)

    def __init__(
        self,
        chat: ChatService,
        conversations: ConversationService,
        view: CompareView,
        chat_view: QWidget,
        current: Current,
        *,
        after_keep: Callable[[], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._chat = chat
        self._conversations = conversations
        self._view = view
        self._chat_view = chat_view
        self._current = current
        self._after_keep = after_keep
        self._parent = parent
        self.dialog: CompareSetupDialog | None = None
        #: What the next set-up starts from ("": the chat's settings).
        self.remembered_columns = ""
        chat.reply_delta.connect(self._on_delta)
        chat.reply_finished.connect(self._on_finished)
        view.stop_requested.connect(chat.stop_reply)
        view.keep_requested.connect(self.keep)
        view.close_requested.connect(self.close)

    def ask(
        self,
        text: str,
        *,
        expected_last_id: int | None = None,
        attachments: Sequence[Attachment] = (),
        on_sent: Callable[[], None] = lambda: None,
    ) -> None:
        """Set up columns for ``text`` and its ``attachments`` (not sent yet), then send to each.

        ``on_sent`` runs once the message is stored (the window empties the composer).
        """
        self._set_up(
            lambda columns: self._start_new(text, attachments, columns, expected_last_id, on_sent)
        )

    def ask_again(self, question_id: int) -> None:
        """Set up columns answering a message already in the chat."""
        self._set_up(lambda columns: self._start_existing(question_id, columns))

    def _set_up(self, start: Callable[[list[Column]], None]) -> None:
        cid, model, params, models = self._current()
        if cid is None or self._chat.is_streaming(cid):
            return
        from foxchat.ui.compare.setup_dialog import CompareSetupDialog  # loaded when first used

        dialog = CompareSetupDialog(
            model, params, models, self._parent, remembered=self.remembered_columns
        )
        self.dialog = dialog
        dialog.accepted.connect(lambda: self._remember(dialog))
        dialog.accepted.connect(lambda: start(dialog.columns()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _remember(self, dialog: CompareSetupDialog) -> None:
        self.remembered_columns = dialog.remembered_text()
        self.columns_remembered.emit(self.remembered_columns)

    def _start_new(
        self,
        text: str,
        attachments: Sequence[Attachment],
        columns: list[Column],
        expected_last_id: int | None,
        on_sent: Callable[[], None],
    ) -> None:
        cid = self._current()[0]
        if cid is None:
            return
        self._conversations.flush_drafts()
        started = self._chat.send_to_compare(
            cid,
            text,
            [(c.model, c.params) for c in columns],
            expected_last_id=expected_last_id,
            attachments=attachments,
        )
        if started is None:
            return
        on_sent()
        _question, replies = started
        # Files without words: the heading names the files that were asked about.
        question = text.strip() or ", ".join(attachment.name for attachment in attachments)
        self._show(cid, question, replies, columns)

    def _start_existing(self, question_id: int, columns: list[Column]) -> None:
        cid = self._current()[0]
        question = self._conversations.message(question_id)
        if cid is None or question is None:
            return
        replies = self._chat.compare(cid, question_id, [(c.model, c.params) for c in columns])
        self._show(cid, question.content, replies, columns)

    def _show(self, cid: int, question: str, replies: list[int], columns: list[Column]) -> None:
        if not replies:
            return
        labels = [c.label for c in columns[: len(replies)]]
        self._view.start(cid, question, list(zip(replies, labels, strict=True)))
        self._chat_view.hide()

    def _on_delta(self, cid: int, reply_id: int, content: str, _reasoning: str) -> None:
        if cid == self._view.conversation_id:
            self._view.append(reply_id, content)

    def _on_finished(self, cid: int, reply_id: int, status: str) -> None:
        if cid != self._view.conversation_id or reply_id not in self._view.columns:
            return
        message = self._conversations.message(reply_id)
        content = message.content if message is not None else ""
        error = message.error if message is not None else None
        self._view.finish(reply_id, status, error, content)

    def keep(self, reply_id: int) -> None:
        """Go on from this answer; the others stay as its alternatives."""
        if self._conversations.show_alternative(reply_id):
            self.close()
            self._after_keep()

    def close(self) -> None:
        """Back to the chat; answers still streaming are stopped, what came is kept."""
        cid = self._view.conversation_id
        if cid is not None and self._chat.is_comparing(cid):
            self._chat.stop(cid)
        self._put_chat_back()
        self._after_keep()

    def leave(self) -> None:
        """Another chat was opened: put the chat view back, let the columns finish."""
        if self._view.isVisible():
            self._put_chat_back()

    def _put_chat_back(self) -> None:
        self._view.clear()
        self._view.hide()
        self._chat_view.show()
