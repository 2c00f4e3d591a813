"""One message in the centre column: who, the text, and its quiet footer.

User text is shown as typed (plain, selectable) and can be edited and sent
again as a new branch; assistant text goes through the Markdown view, which
renders incrementally while the reply streams. A reply's thinking sits in a
foldable section above it, tool calls become cards, and a JSON reply is
shown pretty-printed with a note when it does not parse or fit the schema.
The footer carries the status in plain words, the token usage, what the
reply was made with, and the message's action icons (``MessageActions``:
drawn while the pointer is over the message or the focus is in it, and always
on the last reply; the view says which); an error shows inline with Retry.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QEnterEvent, QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from foxchat.api.json_reply import parse_json_reply, schema_problems
from foxchat.attachments import AttachmentInfo
from foxchat.i18n import _
from foxchat.render import RenderCache
from foxchat.services.history import tool_calls_of
from foxchat.services.reply_details import refusal_of
from foxchat.store import MessageStatus, StoredMessage
from foxchat.ui.messages.made_with import MadeWithButton
from foxchat.ui.messages.markdown_view import MarkdownView, native_mime_data
from foxchat.ui.messages.message_header import MessageActions, MessageHeader
from foxchat.ui.messages.partial_reply import close_open_markers
from foxchat.ui.text import format_tokens

if TYPE_CHECKING:
    from foxchat.api.token_probs import Tokens
    from foxchat.ui.attachment_chips import AttachmentStrip
    from foxchat.ui.messages.tool_calls import ToolCallsPanel

_STATUS_NOTES = {
    MessageStatus.STOPPED: _("Stopped. The reply above is what arrived before you stopped it."),
    MessageStatus.INTERRUPTED: _("Interrupted: FoxChat closed while this reply was arriving."),
}
_LENGTH_NOTE = _(
    "Cut off: the reply reached the Max tokens limit. Raise Max tokens in the "
    "sidebar, or ask the model to continue."
)
_FILTER_NOTE = _("The provider's content filter stopped this reply.")
_NO_LOGPROBS_NOTE = _(
    "Word probabilities were asked for, but this server or model did not send any."
)


@dataclass(frozen=True, slots=True)
class MessageContext:
    """What the view knows about a message beyond its stored row."""

    alternative: int = 0
    alternatives: int = 1
    #: The response_format asked for, when it asks for JSON.
    json_format: dict[str, Any] | None = None
    #: Tool results already follow this reply.
    tools_answered: bool = False
    #: The details_json of the version before this one (‹ 2/3 ›), to say what differs.
    other_details: str | None = None
    #: The chat asks for token probabilities (offered while the reply streams).
    logprobs_asked: bool = False


class MessageWidget(QFrame):
    """A message bubble; ``update_from`` refreshes it from the stored row."""

    retry_requested = Signal()
    delete_requested = Signal(int)
    step_requested = Signal(int, int)  # message id, -1/+1
    edit_submitted = Signal(int, str)
    regenerate_requested = Signal(int)
    tool_results_submitted = Signal(int, list)
    save_again_requested = Signal(int)
    #: Send again without the parameter the server refused (message id).
    send_without_requested = Signal(int)
    #: Put this reply's model and settings into the sidebar (message id).
    use_settings_requested = Signal(int)
    #: Show (True) or hide the reply's word probabilities (message id, on).
    token_view_requested = Signal(int, bool)
    #: Answer this (user) message again several ways at once (message id).
    compare_requested = Signal(int)
    #: The person clicked an attached image: show it full size.
    attachment_opened = Signal(AttachmentInfo)

    def __init__(
        self,
        message: StoredMessage,
        *,
        dark: bool,
        context: MessageContext | None = None,
        cache: RenderCache | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.message_id = message.id
        self.role = message.role
        self.context = context or MessageContext()
        self._content = message.content
        self._reasoning = message.reasoning
        self._streaming = False
        self._thinking_label = _("Thinking")
        # Why the action icons are drawn: pointer over, focus inside, last reply.
        self._hovered = False
        self._focus_inside = False
        self._always_revealed = False
        self.setObjectName("userMessage" if message.role == "user" else "assistantMessage")
        self.setProperty("role", message.role)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

        self.action_row = MessageActions(self)
        self.header = MessageHeader(self._who_text(message), message.role, self.action_row, self)
        self.header.set_alternatives(self.context.alternative, self.context.alternatives)
        self.who = self.header.who

        self.thinking_toggle = QToolButton(self)
        self.thinking_toggle.setObjectName("thinkingToggle")
        self.thinking_toggle.setCheckable(True)
        self.thinking_toggle.setAutoRaise(True)
        self.thinking_toggle.setAccessibleName(_("Show the model's thinking"))
        self.thinking = QLabel(self)
        self.thinking.setObjectName("thinkingText")
        self.thinking.setWordWrap(True)
        self.thinking.setTextFormat(Qt.TextFormat.PlainText)
        self.thinking.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.body: MarkdownView | QLabel
        if message.role == "assistant":
            view = MarkdownView(self, cache=cache)
            view.set_dark(dark)
            # The bubble is the frame; the text sits on it without a box.
            view.setFrameShape(QFrame.Shape.NoFrame)
            # The style sheet clears the viewport's background too; asking for the
            # viewport here would cost ~10 ms before the first frame (MarkdownView).
            view.setStyleSheet("background: transparent;")
            view.setAccessibleName(_("Reply"))
            self.body = view
        else:
            label = QLabel(self)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            label.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse
                | Qt.TextInteractionFlag.TextSelectableByKeyboard
            )
            label.setAccessibleName(
                _("Tool result") if message.role == "tool" else _("Your message")
            )
            self.body = label
        self.body.setObjectName("messageBody")

        # Only messages with attachments get a strip (show_attachments).
        self.attachment_strip: AttachmentStrip | None = None
        # Built on first Edit: a chat holds many messages, few are edited.
        self.editor: MessageEditor | None = None

        self.tools: ToolCallsPanel | None = None
        self.json_note = QLabel(self)
        self.json_note.setObjectName("jsonNote")
        self.json_note.setWordWrap(True)
        self.json_note.hide()

        self.note = QLabel(self)
        self.note.setObjectName("messageNote")
        self.note.setWordWrap(True)
        self.error_box = QFrame(self)
        self.error_box.setObjectName("errorBox")
        self.error_text = QLabel(self.error_box)
        self.error_text.setObjectName("errorText")
        self.error_text.setWordWrap(True)
        self.error_text.setTextFormat(Qt.TextFormat.PlainText)
        self.retry_button = QPushButton(_("Retry"), self.error_box)
        self.retry_button.setObjectName("retryButton")
        self.retry_button.setAccessibleName(_("Retry this reply"))
        # Text above the button: a wrapped label beside a button gets too
        # little height from Qt's layout and is cut off.
        # A reply whose end is only in memory (the disk was full) says so here.
        self.save_again_button = QPushButton(_("Save again"), self.error_box)
        self.save_again_button.setObjectName("saveAgainButton")
        self.save_again_button.setAccessibleName(_("Save this reply again"))
        self.save_again_button.hide()
        # A refusal naming one parameter: leave it out and send again, in one click.
        self.send_without_button = QPushButton(_("Send without it"), self.error_box)
        self.send_without_button.setObjectName("sendWithoutButton")
        self.send_without_button.setAccessibleName(_("Send again without the refused setting"))
        self.send_without_button.hide()
        self._unsaved: str | None = None
        error_layout = QVBoxLayout(self.error_box)
        error_layout.addWidget(self.error_text)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addStretch(1)
        buttons.addWidget(self.send_without_button)
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.save_again_button)
        error_layout.addLayout(buttons)

        self.usage = QLabel(self)
        self.usage.setObjectName("usageLabel")
        # Word probabilities, when the reply was asked for them and has them.
        self.tokens_button = self.action_row.add(
            "probabilities",
            _("Show how sure the model was of each word"),
            _("Word probabilities"),
            "tokenProbabilitiesButton",
        )
        self.tokens_button.setCheckable(True)
        self.tokens_button.hide()
        self.tokens_button.toggled.connect(
            lambda on: self.token_view_requested.emit(self.message_id, on)
        )
        self.token_view: QWidget | None = None
        self.made_with = MadeWithButton(self)
        self.made_with.use_settings_requested.connect(
            lambda: self.use_settings_requested.emit(self.message_id)
        )
        # The menu's "Use these settings", one click away (and in the Tab order).
        self.use_settings_button = self.action_row.add(
            "use_settings",
            _("Put this reply's model and settings into the sidebar for the next message"),
            _("Use these settings"),
            "useSettingsButton",
        )
        self.use_settings_button.hide()
        self.use_settings_button.clicked.connect(
            lambda: self.use_settings_requested.emit(self.message_id)
        )
        self.copy_button = self.action_row.add(
            "copy", _("Copy this message"), _("Copy message"), "copyMessageButton"
        )
        self.delete_button = self.action_row.add(
            "delete", _("Delete this message"), _("Delete message"), "deleteMessageButton"
        )
        footer = QHBoxLayout()
        footer.setContentsMargins(0, 0, 0, 0)
        footer.setSpacing(8)
        footer.addWidget(self.usage)
        footer.addWidget(self.made_with)
        footer.addStretch(1)
        if message.role == "user":
            # Beside "You": a question's bubble keeps no empty line for them.
            self.header.hold_actions(self.action_row)
        else:
            footer.addWidget(self.action_row)

        self._layout = QVBoxLayout(self)
        # One spacing scale (4/8/12/16/24) for the whole column.
        self._layout.setContentsMargins(12, 8, 12, 8)
        self._layout.setSpacing(4)
        for widget in (
            self.header,
            self.thinking_toggle,
            self.thinking,
            self.body,
            self.json_note,
            self.note,
            self.error_box,
        ):
            self._layout.addWidget(widget)
        self._layout.setAlignment(self.thinking_toggle, Qt.AlignmentFlag.AlignLeft)
        self._layout.addLayout(footer)
        self._connect_signals()
        self.update_from(message)

    def _connect_signals(self) -> None:
        self.copy_button.clicked.connect(self._copy)
        self.delete_button.clicked.connect(lambda: self.delete_requested.emit(self.message_id))
        self.retry_button.clicked.connect(self.retry_requested)
        self.save_again_button.clicked.connect(
            lambda: self.save_again_requested.emit(self.message_id)
        )
        self.send_without_button.clicked.connect(
            lambda: self.send_without_requested.emit(self.message_id)
        )
        self.thinking_toggle.toggled.connect(self._show_thinking)
        self.header.step_requested.connect(
            lambda step: self.step_requested.emit(self.message_id, step)
        )
        self.header.regenerate_requested.connect(
            lambda: self.regenerate_requested.emit(self.message_id)
        )
        self.header.edit_requested.connect(self.start_editing)
        self.header.compare_requested.connect(lambda: self.compare_requested.emit(self.message_id))

    # -- what the view calls -----------------------------------------------

    def show_attachments(self, infos: list[AttachmentInfo]) -> None:
        """Thumbnails of the message's attachments, under its text."""
        from foxchat.ui.attachment_chips import AttachmentStrip

        strip = AttachmentStrip(infos, self)
        strip.open_requested.connect(self.attachment_opened)
        self._layout.insertWidget(self._layout.indexOf(self.body) + 1, strip)
        self.attachment_strip = strip

    def update_from(self, message: StoredMessage) -> None:
        """Show the stored row as it is now (final text, status, usage)."""
        self._content = message.content
        self._reasoning = message.reasoning
        ended = self._streaming and message.status is not MessageStatus.STREAMING
        if isinstance(self.body, MarkdownView):
            if ended:
                self.body.end_stream()
            shown = self._display_text(message)
            if self.body.markdown() != shown:
                self.body.set_markdown(shown)
        else:
            self.body.setText(message.content)
        self._streaming = message.status is MessageStatus.STREAMING
        # A reply that is only tool calls, or failed before any text, has no body.
        self.body.setVisible(bool(message.content) or self._streaming)
        usage = _usage(message.usage_json)
        self._set_thinking(message.reasoning, open_=self._streaming, seconds=usage.get("thinking"))
        self._show_tool_calls(message)
        if message.role == "assistant" and not self._streaming:
            self.made_with.show_details(message.details_json, self.context.other_details)
            details = self.made_with.details
            has_tokens = details.sent.get("logprobs") is True and not details.logprobs_missing
            self.tokens_button.setVisible(has_tokens)
            self.use_settings_button.setVisible(self.made_with.isVisibleTo(self))
            if ended and self.token_view is not None:
                # Opened while streaming: now from what was stored, whole.
                self.token_view_requested.emit(self.message_id, has_tokens)
        self.note.setText(self._note_text(message))
        self.note.setVisible(bool(self.note.text()))
        self._show_problem(message)
        self.usage.setText(usage.get("text", ""))
        self.usage.setVisible(bool(self.usage.text()))
        self.header.set_busy(self._streaming)

    def show_unsaved(self, text: str | None) -> None:
        """Say the reply's end could not be stored (None: it is stored now)."""
        self._unsaved = text
        self.error_text.setText(text or "")
        self.retry_button.setVisible(text is None)
        self.save_again_button.setVisible(text is not None)
        self.send_without_button.hide()
        self.error_box.setVisible(text is not None)

    def _show_problem(self, message: StoredMessage) -> None:
        if self._unsaved is not None:
            self.show_unsaved(self._unsaved)
            return
        self.error_text.setText(message.error or _("The reply failed."))
        self.retry_button.show()
        self.save_again_button.hide()
        refusal = (
            refusal_of(message.details_json) if message.status is MessageStatus.ERROR else None
        )
        if refusal is not None:
            _model, parameter, _said = refusal
            self.send_without_button.setText(
                _("Send without {parameter}").format(parameter=parameter)
            )
            self.send_without_button.setAccessibleName(
                _("Send again without {parameter}").format(parameter=parameter)
            )
            self.send_without_button.setToolTip(
                _(
                    "Send again without {parameter}, and leave it out for this model on this "
                    "server from now on."
                ).format(parameter=parameter)
            )
        self.send_without_button.setVisible(refusal is not None)
        self.error_box.setVisible(message.status is MessageStatus.ERROR)

    def begin_stream(self) -> None:
        """The reply is arriving: show text as it comes."""
        self._streaming = True
        self.tokens_button.setVisible(self.context.logprobs_asked)
        self.body.show()
        if isinstance(self.body, MarkdownView):
            self.body.begin_stream()
            # A growing reply keeps what it has drawn where it is: when it gets
            # taller only the new strip at its bottom is invalidated, not the
            # whole reply. Otherwise every frame's resize leaves the visible
            # part dirty, and the view that follows the end cannot move the
            # shown pixels (Qt scrolls only areas with nothing waiting to be
            # painted) and paints the whole column again. Text that changes is
            # still repainted by the document. Set here, not at construction:
            # the first viewport asked for costs ~10 ms before the first frame.
            for widget in (self, self.body, self.body.viewport()):
                widget.setAttribute(Qt.WidgetAttribute.WA_StaticContents)
        self.error_box.hide()
        self.note.hide()
        self.header.set_busy(True)

    def append(self, content: str, reasoning: str) -> None:
        """New text from the stream (coalesced into frames by the view)."""
        if reasoning:
            self._reasoning += reasoning
            self._set_thinking(self._reasoning, open_=True)
        if content:
            self._content += content
            if isinstance(self.body, MarkdownView):
                self.body.append_text(content)
            else:
                self.body.setText(self._content)

    # -- when the action icons are drawn -----------------------------------

    def set_focus_inside(self, inside: bool) -> None:
        """The keyboard focus entered (True) or left this message (the view tells)."""
        self._focus_inside = inside
        self._update_revealed()

    def set_always_revealed(self, always: bool) -> None:
        """Draw the actions whatever the pointer does (the last reply)."""
        self._always_revealed = always
        self._update_revealed()

    def enterEvent(self, event: QEnterEvent) -> None:
        self._hovered = True
        self._update_revealed()
        super().enterEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self._hovered = False
        self._update_revealed()
        super().leaveEvent(event)

    def _update_revealed(self) -> None:
        self.action_row.set_revealed(self._hovered or self._focus_inside or self._always_revealed)

    def set_dark(self, dark: bool) -> None:
        """Follow the theme (code colours differ between light and dark)."""
        if isinstance(self.body, MarkdownView):
            self.body.set_dark(dark)

    def sizeHint(self) -> QSize:
        """The layout's hint, its height measured at the width the body is shown at.

        Qt's ``QLayout.totalSizeHint`` asks ``heightForWidth`` at the hint's
        width plus this frame's margins (the style sheet's 1 px border), so the
        reply's text was measured 2 px wider than it is shown: a second full
        layout of the whole document (and a third to set it back) whenever it
        changed, which is every frame while a reply streams.
        """
        layout = self._layout
        hint = layout.sizeHint()
        if layout.hasHeightForWidth():
            hint.setHeight(layout.heightForWidth(hint.width()))
        margins = self.contentsMargins()
        return hint.grownBy(margins)

    def text(self) -> str:
        """The message's text as written (Markdown source for replies)."""
        return self._content

    def start_editing(self) -> None:
        """Swap the text for an editor holding it (user messages)."""
        if self.role != "user":
            return
        if self.editor is None:
            self.editor = MessageEditor(self)
            self.editor.submitted.connect(self._submit_edit)
            self.editor.cancelled.connect(self._stop_editing)
            self._layout.insertWidget(self._layout.indexOf(self.body) + 1, self.editor)
        self.editor.text.setPlainText(self._content)
        self.body.hide()
        self.editor.show()
        self.editor.text.setFocus()

    # -- internals ---------------------------------------------------------

    def _submit_edit(self, text: str) -> None:
        self._stop_editing()
        self.edit_submitted.emit(self.message_id, text)

    def _stop_editing(self) -> None:
        if self.editor is not None:
            self.editor.hide()
        self.body.show()

    def _display_text(self, message: StoredMessage) -> str:
        """The reply as shown: pretty JSON when JSON was asked for and it parses."""
        fmt = self.context.json_format
        self.json_note.hide()
        if message.status is MessageStatus.STREAMING or not message.content:
            return message.content
        if fmt is None:
            return close_open_markers(message.content) if _ended_early(message) else message.content
        value, problem = parse_json_reply(message.content)
        if problem is None:
            schema = (fmt.get("json_schema") or {}).get("schema")
            problems = schema_problems(value, schema) if isinstance(schema, dict) else []
            if problems:
                problem = _("The reply does not match the schema: {problems}").format(
                    problems=" ".join(problems)
                )
        if problem:
            self.json_note.setText(problem)
            self.json_note.show()
        if value is None and problem:
            return message.content
        pretty = json.dumps(value, indent=2, ensure_ascii=False)
        return f"```json\n{pretty}\n```"

    def _show_tool_calls(self, message: StoredMessage) -> None:
        calls = tool_calls_of(message) if message.role == "assistant" else ()
        if not calls or message.status is MessageStatus.STREAMING:
            return
        if self.tools is None:
            # Loaded with the first tool call shown: most chats have none, and
            # the panel's fonts and widgets need not be ready for the first paint.
            from foxchat.ui.messages.tool_calls import ToolCallsPanel

            self.tools = ToolCallsPanel(calls, self)
            self.tools.results_submitted.connect(
                lambda results: self.tool_results_submitted.emit(self.message_id, results)
            )
            self._layout.insertWidget(self._layout.indexOf(self.json_note), self.tools)
        self.tools.set_answered(self.context.tools_answered)

    def _who_text(self, message: StoredMessage) -> str:
        if message.role == "user":
            return _("You")
        if message.role == "tool":
            return _("Tool result")
        return message.model or _("Assistant")

    def _note_text(self, message: StoredMessage) -> str:
        if message.finish_reason == "length":
            return _LENGTH_NOTE
        if message.finish_reason == "content_filter":
            return _FILTER_NOTE
        note = _STATUS_NOTES.get(message.status, "")
        if not note and message.role == "assistant" and self.made_with.details.logprobs_missing:
            return _NO_LOGPROBS_NOTE
        return note

    def is_streaming(self) -> bool:
        """Whether the reply is still arriving."""
        return self._streaming

    def grow_token_view(self, tokens: Tokens) -> None:
        """More tokens of a reply still streaming, if its token view is open."""
        from foxchat.ui.messages.token_view import TokenView

        if isinstance(self.token_view, TokenView):
            self.token_view.grow(tokens)

    def show_token_view(self, tokens: Tokens | None) -> None:
        """Show the reply token by token, shaded by probability (None: as text again)."""
        if self.token_view is not None:
            self._layout.removeWidget(self.token_view)
            self.token_view.deleteLater()
            self.token_view = None
        on = tokens is not None
        if tokens is not None:
            from foxchat.ui.messages.token_view import TokenView

            self.token_view = TokenView(tokens, self)
            self._layout.insertWidget(self._layout.indexOf(self.body) + 1, self.token_view)
            self.token_view.show()  # a layout shows a new child only on the next pass
        self.body.setVisible(not on and bool(self._content))
        if self.tokens_button.isChecked() != on:
            self.tokens_button.setChecked(on)

    def _set_thinking(self, reasoning: str, *, open_: bool, seconds: str | None = None) -> None:
        has = bool(reasoning.strip())
        self.thinking_toggle.setVisible(has)
        self.thinking.setText(reasoning)
        if seconds is None:
            self._thinking_label = _("Thinking")
        elif float(seconds) < 1:
            self._thinking_label = _("Thought for a moment")
        else:
            self._thinking_label = _("Thought for {seconds} s").format(seconds=seconds)
        if has:
            if open_ != self.thinking_toggle.isChecked():
                self.thinking_toggle.setChecked(open_)
            self._show_thinking(self.thinking_toggle.isChecked())
        else:
            self.thinking.hide()

    def _show_thinking(self, shown: bool) -> None:
        self.thinking_toggle.setText(("▾ " if shown else "▸ ") + self._thinking_label)
        self.thinking.setVisible(shown and bool(self._reasoning.strip()))

    def _copy(self) -> None:
        # Both forms: a word processor or mail pastes it formatted, a plain
        # text field (or a Markdown editor) pastes the Markdown as written.
        from foxchat.export.html import message_html

        # Not a QMimeData made here: the clipboard frees it after the
        # interpreter has gone, which crashed the process at exit.
        data = native_mime_data(self._content, message_html(self._content))
        QGuiApplication.clipboard().setMimeData(data)


def _ended_early(message: StoredMessage) -> bool:
    """Whether the reply stopped before the model finished it."""
    unfinished = (MessageStatus.STOPPED, MessageStatus.INTERRUPTED, MessageStatus.ERROR)
    return message.status in unfinished or message.finish_reason == "length"


def _usage(usage_json: str | None) -> dict[str, str]:
    """The footer's token line and the thinking time, from the stored usage."""
    if not usage_json:
        return {}
    try:
        usage = json.loads(usage_json)
    except ValueError:
        return {}
    if not isinstance(usage, dict):
        return {}
    out: dict[str, str] = {}
    with contextlib.suppress(KeyError, TypeError, ValueError):
        out["text"] = format_tokens(int(usage["prompt_tokens"]), int(usage["completion_tokens"]))
    seconds = usage.get("thinking_seconds")
    if isinstance(seconds, int | float):
        out["thinking"] = f"{seconds:g}"
    return out


class MessageEditor(QWidget):
    """The text of a user message, editable, with Send edited and Cancel."""

    submitted = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("messageEditor")
        self.text.setAccessibleName(_("Edit your message"))
        self.save = QPushButton(_("Send edited"), self)
        self.save.setObjectName("sendEditedButton")
        self.cancel = QPushButton(_("Cancel"), self)
        self.cancel.setObjectName("cancelEditButton")
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel)
        row.addWidget(self.save)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text)
        layout.addLayout(row)
        self.save.clicked.connect(self._submit)
        self.cancel.clicked.connect(self.cancelled)

    def _submit(self) -> None:
        text = self.text.toPlainText().strip()
        if text:
            self.submitted.emit(text)
