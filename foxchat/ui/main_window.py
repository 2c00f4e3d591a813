"""The main window: conversations left, messages centre, parameters right.

It lays out the panes and connects what the user does to the services it is
given (all in ``_connect_signals``). It owns no tasks and never touches the
database or the network itself: it asks a service, and renders what the
service reports.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from foxchat import APP_NAME, locale_format
from foxchat.api.model_rules import NO_OVERRIDES, Overrides
from foxchat.api.params import GenerationParams
from foxchat.attachments import DEFAULT_DOCUMENT_CHAR_LIMIT, Attachment, AttachmentInfo
from foxchat.i18n import _
from foxchat.render import RenderCache
from foxchat.services.attachments import AttachmentService
from foxchat.services.chat_session import UNSAVED_MESSAGE, ChatService
from foxchat.services.conversation_list import ConversationListModel, SearchResultsModel
from foxchat.services.conversations import ConversationService
from foxchat.services.history import cut_index
from foxchat.services.reply_details import params_from_details, read_details
from foxchat.services.titles import shown_title
from foxchat.services.usage import Prices, usage_summary
from foxchat.store import MessageStatus, StoredMessage, StoreError
from foxchat.ui import file_picker
from foxchat.ui.chat_header import ChatHeader
from foxchat.ui.compare.compare_flow import CompareFlow
from foxchat.ui.compare.compare_view import CompareView
from foxchat.ui.composer import Composer, local_files
from foxchat.ui.confirm import Confirm, ask_with_message_box
from foxchat.ui.conversation_list import ConversationListPane
from foxchat.ui.empty_state import EmptyState
from foxchat.ui.file_picker import AskPath, AskPaths, ask_open_paths
from foxchat.ui.messages.message_view import MessageView
from foxchat.ui.notice_bar import NoticeBar
from foxchat.ui.params.parameters_sidebar import ParametersSidebar
from foxchat.ui.undo_bar import UndoBar
from foxchat.ui.window_size import first_size

if TYPE_CHECKING:
    from foxchat.presets import PresetStore
    from foxchat.ui.image_viewer import ImageViewer
    from foxchat.ui.params.parameters_panel import ParametersPanel

#: What a new chat starts with: (model, params, system prompt).
Defaults = Callable[[], tuple[str, GenerationParams, str]]


LONG_DOCUMENT_QUESTION = _(
    "The document {name} is {characters} characters long, more than your limit of "
    "{limit}. It adds about {tokens} tokens to the message, which costs more and may not "
    "fit the model's limit. Send it anyway?"
)

#: Below this width the parameters sidebar steps aside so the chat stays readable.
NARROW_WIDTH = 980


def export_format(fmt: str) -> tuple[str, str]:
    """File suffix and file-dialog filter for an export format (unknown: JSON)."""
    formats = {
        "md": ("md", "Markdown (*.md)"),
        "json": ("json", "FoxChat JSON (*.json)"),
        "html": ("html", _("Web page (*.html)")),
        "pdf": ("pdf", "PDF (*.pdf)"),
    }
    return formats.get(fmt, formats["json"])


#: Said when "Use these settings" has put a reply's settings into the sidebar.
SETTINGS_TAKEN = _("The next message will use {model} with the settings of that reply.")


class MainWindow(QMainWindow):
    """The top-level window. ``open_conversation`` is its main entry."""

    settings_requested = Signal()
    curl_requested = Signal(int, str)  # conversation id, text being typed
    save_defaults_requested = Signal(str, GenerationParams, str)
    refresh_models_requested = Signal()
    #: The person picked a model for the chat (remembered for the endpoint).
    model_chosen = Signal(str)
    #: (model, parameter): send it to that model although its rules leave it out.
    send_anyway_requested = Signal(str, str)
    quit_requested = Signal()
    #: The person picked how closely models look at images (auto, low, high).
    image_detail_chosen = Signal(str)

    def __init__(
        self,
        chat: ChatService,
        conversations: ConversationService,
        list_model: ConversationListModel,
        results_model: SearchResultsModel,
        defaults: Defaults,
        *,
        dark: bool = False,
        render_cache: RenderCache | None = None,
        prices: Callable[[], Prices] = dict,
        presets: Callable[[], PresetStore],
        overrides_for: Callable[[str], Overrides] = lambda _model: NO_OVERRIDES,
        attachments: AttachmentService | None = None,
        document_limit: Callable[[], int] = lambda: DEFAULT_DOCUMENT_CHAR_LIMIT,
        confirm: Confirm | None = None,
        ask_paths: AskPaths = ask_open_paths,
        image_detail: Callable[[], str] = lambda: "auto",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_NAME)
        self.setAccessibleName(_("{app} main window").format(app=APP_NAME))
        self.setMinimumSize(640, 480)
        self.resize(first_size(self.screen().availableGeometry().size()))
        self._chat = chat
        self._conversations = conversations
        self._list_model = list_model
        self._defaults = defaults
        self._prices = prices
        self.current_id: int | None = None
        #: The last message of the current chat this window has read (0: none);
        #: a send answers exactly it, or is refused if another window moved on.
        self._last_read_id = 0
        self._closing_allowed = False
        #: Where to save an export (the system's picker; tests answer it themselves).
        self.ask_save_path: AskPath = file_picker.ask_save_path
        self._sidebar_wanted = True
        self._narrow: bool | None = None

        self.conversation_pane = ConversationListPane(list_model, results_model, self)
        self._attachments = attachments
        self._document_limit = document_limit
        self._image_detail = image_detail
        #: Asks yes/no questions; a test answers with its own.
        self.confirm = confirm or ask_with_message_box(self)
        self.viewers: list[ImageViewer] = []
        #: True while the composer's files are swapped for another chat's (not a change to save).
        self._swapping_files = False
        self.message_view = MessageView(
            self,
            dark=dark,
            alternatives=conversations.alternatives,
            other_details=conversations.neighbour_details,
            logprobs_of=conversations.logprobs,
            live_tokens=chat.live_tokens,
            cache=render_cache,
            attachments=attachments.infos if attachments is not None else lambda _mid: [],
        )
        # Before the composer: it takes the message list's place, and Tab's order.
        self.compare_view = CompareView(self, dark=dark)
        self.composer = Composer(self, attachments=attachments, ask_paths=ask_paths)
        # Files dropped anywhere on the window are attached to the message.
        self.setAcceptDrops(attachments is not None)
        self._models: list[str] = []
        # Built when first shown: a narrow window starts without it.
        self.sidebar = ParametersSidebar(
            self._connect_parameters, self, presets=presets, overrides_for=overrides_for
        )

        self.undo_bar = UndoBar(self)
        self.notice_bar = NoticeBar(self)

        centre = QWidget(self)
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.setSpacing(0)
        self.header = ChatHeader(centre)
        # An empty chat shows the empty state where its messages will be.
        self.chat_stack = QStackedWidget(centre)
        self.chat_stack.addWidget(self.message_view)
        # Made when an empty chat is first shown (see ``empty_state``).
        self._empty_state: EmptyState | None = None
        self._model_shown = ""
        centre_layout.addWidget(self.header)
        centre_layout.addWidget(self.chat_stack, 1)
        centre_layout.addWidget(self.compare_view, 1)
        centre_layout.addWidget(self.notice_bar)
        centre_layout.addWidget(self.undo_bar)
        centre_layout.addWidget(self.composer)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.conversation_pane)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(self.sidebar)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setCollapsible(1, False)
        self.splitter.setSizes([220, 660, 300])
        self.conversation_pane.setMinimumWidth(160)
        centre.setMinimumWidth(340)
        self.setCentralWidget(self.splitter)
        self.usage_label = QLabel(self)
        self.usage_label.setObjectName("chatUsageLabel")
        self.usage_label.setAccessibleName(_("Tokens used in this chat"))
        self.statusBar().addPermanentWidget(self.usage_label)
        self.compare_flow = CompareFlow(
            chat,
            conversations,
            self.compare_view,
            self.chat_stack,  # the chat, or a new chat's centre, steps aside for the columns
            lambda: (self.current_id, self.sidebar.model(), self.sidebar.params(), self._models),
            after_keep=self._after_compare,
            parent=self,
        )
        self._build_actions()
        self._connect_signals()

    # -- layout and actions --------------------------------------------------

    def _build_actions(self) -> None:
        menu = self.menuBar()
        chat_menu = menu.addMenu(_("&Chat"))
        self.new_action = self._action(_("New chat"), "Ctrl+N", self.new_conversation, chat_menu)
        self.search_action = self._action(
            _("Search chats"), "Ctrl+F", self.conversation_pane.focus_search, chat_menu
        )
        self.stop_action = self._action(_("Stop reply"), "Esc", self.stop_reply, chat_menu)
        self.compare_action = self._action(
            _("Compare answers…"), "Ctrl+Shift+Return", self.compare_typed, chat_menu
        )
        self.curl_action = self._action(
            _("Copy request as curl…"), "Ctrl+Shift+C", self._request_curl, chat_menu
        )
        self.import_action = self._action(_("Import chats…"), "", self.import_chats, chat_menu)
        self.print_action = self._action(
            _("Print chat…"), "Ctrl+P", self.print_conversation, chat_menu
        )
        self.copy_chat_action = self._action(
            _("Copy chat as Markdown"), "Ctrl+Shift+M", self.copy_conversation, chat_menu
        )
        chat_menu.addSeparator()
        self.settings_action = self._action(
            _("Settings…"), "Ctrl+,", self.settings_requested.emit, chat_menu
        )
        chat_menu.addSeparator()
        self.quit_action = self._action(_("Quit"), "Ctrl+Q", self.quit_requested.emit, chat_menu)
        view_menu = menu.addMenu(_("&View"))
        self.sidebar_action = self._action(
            _("Parameters sidebar"), "Ctrl+Shift+P", self._toggle_sidebar, view_menu
        )
        self.sidebar_action.setCheckable(True)
        self.sidebar_action.setChecked(True)

    def _action(
        self, text: str, shortcut: str, slot: Callable[[], object], menu: object
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)  # type: ignore[attr-defined]
        self.addAction(action)
        return action

    def _connect_signals(self) -> None:
        pane = self.conversation_pane
        pane.conversation_selected.connect(self.open_conversation)
        pane.new_requested.connect(self.new_conversation)
        pane.rename_requested.connect(self._conversations.rename)
        pane.pin_requested.connect(self._conversations.set_pinned)
        pane.delete_requested.connect(self.delete_conversation)
        pane.export_requested.connect(self.export_conversation)
        pane.search_result_chosen.connect(self.jump_to_message)

        self.composer.send_requested.connect(self.send)
        self.composer.compare_requested.connect(self.compare)
        self.composer.stop_requested.connect(self.stop_reply)
        self.composer.draft_changed.connect(self._on_draft_changed)
        self.composer.attachment_problem.connect(self.show_error)
        if self.composer.tray is not None:
            self.composer.tray.changed.connect(self._on_attachments_changed)
        self.composer.image_open_requested.connect(self.show_image)
        self.message_view.attachment_opened.connect(self._open_attachment)
        self._chat.images_refused.connect(self._on_images_refused)

        view = self.message_view
        view.retry_requested.connect(self.retry)
        view.delete_requested.connect(self.delete_message)
        view.step_requested.connect(self._on_step)
        view.edit_submitted.connect(self._on_edit_submitted)
        view.regenerate_requested.connect(self._on_regenerate)
        view.tool_results_submitted.connect(self._on_tool_results)
        view.save_again_requested.connect(self._chat.save_again)
        view.send_without_requested.connect(self.send_without)
        view.use_settings_requested.connect(self.use_settings_of)
        view.compare_requested.connect(self.compare_flow.ask_again)

        self._chat.message_added.connect(self._on_message_added)
        self._chat.reply_delta.connect(self._on_reply_delta)
        self._chat.reply_finished.connect(self._on_reply_finished)
        self._chat.streaming_changed.connect(self._on_streaming_changed)
        self._chat.error.connect(self._on_chat_error)
        self._chat.reply_unsaved.connect(self._on_reply_unsaved)
        self._chat.reply_saved.connect(self._on_reply_saved)
        self._chat.history_changed.connect(self._on_history_changed)
        self._conversations.list_changed.connect(self._refresh_list)
        self._conversations.error.connect(self.show_error)

        self.undo_bar.undo_requested.connect(self._undo_delete)

        self.header.model_chosen.connect(self._on_header_model)
        self.header.parameters_toggled.connect(self._toggle_sidebar)
        self.header.settings_requested.connect(self.settings_requested)
        self.sidebar_action.toggled.connect(self.header.set_parameters_visible)
        self.header.set_parameters_visible(self.sidebar_action.isChecked())

    def _connect_parameters(self, panel: ParametersPanel) -> None:
        """Wire the sidebar's panel, once it is built (see ``ParametersSidebar``)."""
        panel.image_detail.set_detail(self._image_detail())
        panel.image_detail.detail_changed.connect(self.image_detail_chosen)
        panel.model_changed.connect(self._on_model_changed)
        panel.system_prompt_changed.connect(self._on_system_prompt_changed)
        panel.params_changed.connect(self._on_params_changed)
        panel.refresh_models_requested.connect(self.refresh_models_requested)
        panel.send_anyway_requested.connect(
            lambda parameter: self.send_anyway_requested.emit(panel.model(), parameter)
        )
        panel.save_as_default_requested.connect(
            lambda: self.save_defaults_requested.emit(
                panel.model(), panel.params(), panel.system_prompt()
            )
        )

    @property
    def parameters(self) -> ParametersPanel:
        """The parameters panel, built now if the sidebar has not been shown yet."""
        return self.sidebar.panel()

    def set_models(self, model_ids: list[str]) -> None:
        """Offer the endpoint's models in the sidebar's model list and the header's picker."""
        self._models = list(model_ids)
        self.sidebar.set_models(model_ids)
        self.header.set_models(model_ids)

    # -- conversations ---------------------------------------------------------

    def open_conversation(self, conversation_id: int) -> None:
        """Show a chat: its messages, draft, parameters and Send/Stop state."""
        # Edits still pending belong to the chat being left, not the next one.
        self.sidebar.flush_pending_edits()
        self.compare_flow.leave()
        self._conversations.flush_drafts()
        conversation = self._conversations.get(conversation_id)
        if conversation is None:
            return
        leaving = self.current_id
        if leaving != conversation_id:
            # Attachments wait with the chat they were added to, saved like its draft.
            self._swapping_files = True
            self.composer.clear_attachments()
            self.composer.restore_attachments(
                self._conversations.draft_attachments(conversation_id)
            )
            self._swapping_files = False
        self.current_id = conversation_id
        self.reload_messages()
        self.composer.set_draft(conversation.draft)
        self.composer.set_streaming(self._chat.is_streaming(conversation_id))
        self.sidebar.set_state(
            conversation.model,
            conversation.system_prompt,
            GenerationParams.from_json(conversation.params_json),
        )
        self.conversation_pane.select_conversation(conversation_id)
        title = shown_title(conversation.title)
        self.setWindowTitle(f"{title} — {APP_NAME}")
        self.header.set_title(title)
        self._show_model(conversation.model)
        self.composer.edit.setFocus()

    def reload_messages(self) -> None:
        """Redraw the current chat's branch from the store (after a branch change)."""
        cid = self.current_id
        if cid is None:
            return
        conversation = self._conversations.get(cid)
        if conversation is None:
            return
        path = self._conversations.active_path(cid)
        self._last_read_id = path[-1].id if path else 0
        live = self._chat.live_reply(cid)
        if live is not None:
            # The stored text may be up to half a second behind the stream.
            path = [
                replace(m, content=live.content, reasoning=live.reasoning)
                if m.id == live.message_id
                else m
                for m in path
            ]
        path = self._with_unsaved(path)
        view = self.message_view
        shown_params = GenerationParams.from_json(conversation.params_json)
        view.set_json_format(_json_format(shown_params))
        view.set_logprobs_asked(shown_params.is_enabled("logprobs"))
        limit = self._chat.context_limit()
        cut = cut_index(path, limit)
        view.set_context_cut(path[cut].id if cut is not None else None, limit)
        view.show_messages(path)
        self._show_empty_state(not path)
        if live is not None:
            view.begin_stream(live.message_id)
        for unsaved in self._chat.unsaved_replies(cid):
            widget = view.message_widget(unsaved.message_id)
            if widget is not None:
                widget.show_unsaved(UNSAVED_MESSAGE.format(reason=unsaved.reason))
        self.update_usage()

    def update_usage(self) -> None:
        """The current chat's token total (and cost, when prices are set)."""
        cid = self.current_id
        usage = self._conversations.usage(cid) if cid is not None else {}
        self.usage_label.setText(usage_summary(usage, self._prices()))

    def new_conversation(self) -> None:
        """Start an empty chat with the defaults and put the cursor in it.

        An empty chat already at hand is opened instead, so pressing Ctrl+N
        again does not pile up "New chat" entries.
        """
        cid = self._unused_chat()
        if cid is None:
            model, params, system_prompt = self._defaults()
            cid = self._conversations.create(model, params, system_prompt)
        if cid is not None:
            self.open_conversation(cid)

    def _unused_chat(self) -> int | None:
        """The chat on screen or the newest unpinned one, if nothing was done in it yet.

        Untouched means no messages, no draft and the settings a new chat gets;
        a chat set up for something (other parameters, a prompt) is kept as it is.
        """
        self._conversations.flush_drafts()
        candidates = [self.current_id]
        for row in range(self._list_model.rowCount()):
            summary = self._list_model.conversation_at(row)
            if summary is not None and not summary.pinned:
                candidates.append(summary.id)
                break
        model, params, system_prompt = self._defaults()
        for cid in candidates:
            conversation = self._conversations.get(cid) if cid is not None else None
            if (
                conversation is not None
                and not conversation.draft
                and not self._conversations.draft_attachments(conversation.id)
                and (conversation.model, conversation.system_prompt) == (model, system_prompt)
                and GenerationParams.from_json(conversation.params_json) == params
                and not self._chat.is_streaming(conversation.id)
                and not self._conversations.active_path(conversation.id)
            ):
                return conversation.id
        return None

    def delete_conversation(self, conversation_id: int) -> None:
        """Hide a chat at once, with Undo for a few seconds."""
        if self._chat.is_streaming(conversation_id):
            self._chat.stop(conversation_id)
        if not self._conversations.delete(conversation_id):
            return
        self.undo_bar.offer(conversation_id, _("Chat deleted."))
        if self.current_id == conversation_id:
            self.current_id = None
            following = self._conversations.first_conversation()
            if following is None:
                self.new_conversation()
            else:
                self.open_conversation(following)

    def export_conversation(self, conversation_id: int, fmt: str) -> None:
        """Ask where to save, then export as Markdown, JSON, HTML or PDF."""
        conversation = self._conversations.get(conversation_id)
        if conversation is None:
            return
        suffix, kind = export_format(fmt)
        title = shown_title(conversation.title)
        safe = "".join(c for c in title if c.isalnum() or c in " -_").strip()
        chosen = self.ask_save_path(
            self, _("Export chat"), Path(f"{safe or 'chat'}.{suffix}"), kind
        )
        if chosen is None:
            return
        if fmt == "pdf":
            done = self._export_pdf(chosen, conversation_id, conversation.title)
        else:
            done = self._conversations.export_to(chosen, conversation_id, fmt)
        if done:
            self.statusBar().showMessage(_("Exported to {path}").format(path=chosen), 5000)

    def _export_pdf(self, path: Path, conversation_id: int, title: str) -> bool:
        from foxchat.export.pdf import PrintFailedError, write_pdf

        page = self._conversations.export_page(conversation_id)
        if page is None:
            return False
        try:
            write_pdf(page, path, title=title)
        except (OSError, PrintFailedError) as exc:
            self.show_error(
                _(
                    "Could not write {file} ({reason}). Choose another folder, or free some "
                    "disk space."
                ).format(file=path.name, reason=exc)
            )
            return False
        return True

    def print_conversation(self) -> None:
        """Ctrl+P: the current chat through the system's print dialog."""
        cid = self.current_id
        conversation = self._conversations.get(cid) if cid is not None else None
        page = self._conversations.export_page(cid) if cid is not None else None
        if conversation is None or page is None:
            return
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        from foxchat.export.pdf import PrintFailedError, print_html

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(_("Print chat"))
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return
        try:
            print_html(page, printer, title=conversation.title)
        except PrintFailedError as exc:
            self.show_error(
                _(
                    "The chat could not be printed: {reason} Check the printer and try again."
                ).format(reason=exc)
            )

    def copy_conversation(self) -> None:
        """The current chat's active branch as Markdown, on the clipboard."""
        cid = self.current_id
        text = self._conversations.export_text(cid, "md") if cid is not None else None
        if text is not None:
            QGuiApplication.clipboard().setText(text)
            self.statusBar().showMessage(_("The chat is on the clipboard as Markdown."), 5000)

    def import_chats(self, path: Path | None = None) -> None:
        """Ask for a FoxChat or ChatGPT export (unless given), import it with progress."""
        if path is None:
            # Loaded on first use: the first frame need not build its enums.
            from PySide6.QtWidgets import QFileDialog

            name, _filter = QFileDialog.getOpenFileName(
                self, _("Import chats"), "", _("Chat exports (*.json *.zip)")
            )
            if not name:
                return
            path = Path(name)
        from foxchat.ui.import_chats import import_chats

        report = import_chats(self, self._conversations, path)
        if report is not None:
            self.statusBar().showMessage(report, 15000)

    def jump_to_message(self, conversation_id: int, message_id: int) -> None:
        """Open a search hit's chat and scroll to the message it found."""
        self.open_conversation(conversation_id)
        if message_id:
            self.message_view.scroll_to_message(message_id)

    # -- the chat loop -------------------------------------------------------------

    def _chat_to_send_in(self) -> int | None:
        """The current chat (made if there is none), unless a reply streams in it."""
        if self.current_id is None:
            self.new_conversation()
        cid = self.current_id
        if cid is None or self._chat.is_streaming(cid):
            return None
        # Parameter edits wait half a second to be saved; this send uses them.
        self._conversations.flush_drafts()
        return cid

    def _sent(self, cid: int) -> None:
        """The message is stored: empty the composer (text and files) and its saved draft."""
        self.composer.clear_attachments()
        self.composer.set_draft("")
        self._conversations.queue_draft(cid, "")
        self._conversations.flush_drafts()

    def send(self, text: str) -> None:
        """Send what the user typed in the current chat (making one if needed)."""
        cid = self._chat_to_send_in()
        if cid is None:
            return
        attachments = self.composer.attachments()
        if not self._long_documents_wanted(attachments):
            return  # everything stays in the composer
        sent = self._chat.send(
            cid, text, expected_last_id=self._last_read_id, attachments=attachments
        )
        if sent is not None:
            self._sent(cid)

    def compare(self, text: str) -> None:
        """Answer what the user typed several times at once (Compare, Ctrl+Shift+Enter)."""
        attachments = self.composer.attachments()
        if not text.strip() and not attachments:
            return  # as Send: a picture or a document alone is a question too
        cid = self._chat_to_send_in()
        if cid is None or not self._long_documents_wanted(attachments):
            return
        # Every column sends the same files; they leave the composer once the message is stored.
        self.compare_flow.ask(
            text,
            expected_last_id=self._last_read_id,
            attachments=attachments,
            on_sent=lambda: self._sent(cid),
        )

    def _after_compare(self) -> None:
        """Back from a comparison: the chat as it now is, the cursor in the message box."""
        self.reload_messages()
        self.composer.edit.setFocus()

    def compare_typed(self) -> None:
        """The menu's Compare answers…: compare what is in the composer."""
        self.compare(self.composer.text())

    def _long_documents_wanted(self, attachments: list[Attachment]) -> bool:
        """Ask before sending each document over the limit; False when the person says no."""
        limit = self._document_limit()
        for attachment in attachments:
            if attachment.is_image or len(attachment.text) <= limit:
                continue
            question = LONG_DOCUMENT_QUESTION.format(
                name=attachment.name,
                characters=locale_format.number(len(attachment.text)),
                tokens=locale_format.tokens(attachment.estimated_tokens()),
                limit=locale_format.number(limit),
            )
            if not self.confirm(_("Send a long document?"), question):
                return False
        return True

    # -- attachments ---------------------------------------------------------

    def show_image(self, name: str, data: bytes) -> ImageViewer:
        """Open an image full size in a viewer window of its own."""
        from foxchat.ui.image_viewer import ImageViewer

        viewer = ImageViewer(name, data, self)
        self.viewers = [v for v in self.viewers if v.isVisible()]
        self.viewers.append(viewer)
        viewer.show()
        viewer.raise_()
        viewer.activateWindow()
        return viewer

    def _open_attachment(self, info: AttachmentInfo) -> None:
        if self._attachments is None:
            return
        try:
            data = self._attachments.data(info.sha256)
        except StoreError as exc:
            self.show_error(exc.user_message)
            return
        self.show_image(info.name, data)

    def _on_images_refused(self, conversation_id: int, reply_id: int) -> None:
        """The model cannot read images: nothing was answered, so the message goes back.

        The question and its failed reply leave the chat, and the text and
        attachments return to the composer, to send again on another model.
        Only while the composer is empty: nothing typed since is overwritten.
        """
        reply = self._conversations.message(reply_id)
        if (
            conversation_id != self.current_id
            or self._attachments is None
            or reply is None
            or reply.parent_id is None
            or self.composer.text().strip()
            or self.composer.attachments()
        ):
            return
        question = self._conversations.message(reply.parent_id)
        if question is None or question.role != "user":
            return
        attachments = self._attachments.attachments(question.id)
        if not self._conversations.delete_message(question.id):
            return
        self.reload_messages()
        self.composer.set_draft(question.content)
        self.composer.restore_attachments(attachments)
        self._conversations.queue_draft(conversation_id, question.content)
        if reply.error:
            self.show_error(reply.error)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._attachments is not None and local_files(event.mimeData()):
            event.acceptProposedAction()
            return
        super().dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        files = local_files(event.mimeData())
        if self._attachments is not None and files:
            event.acceptProposedAction()
            self.composer.add_files(files)
            self.composer.edit.setFocus()
            return
        super().dropEvent(event)

    def stop_reply(self) -> None:
        """Esc or Stop: end the current chat's reply, keeping what arrived."""
        if self.current_id is not None:
            self._chat.stop(self.current_id)

    def retry(self) -> None:
        """Ask again for the last reply of the current chat."""
        self._conversations.flush_drafts()
        cid = self.current_id
        if cid is not None and self._chat.retry(cid, expected_last_id=self._last_read_id):
            self._reload_for_reply()

    def send_without(self, message_id: int) -> None:
        """Send again without the parameter the server refused for that reply."""
        cid = self.current_id
        if cid is not None and self._chat.send_without(cid, message_id):
            self._reload_for_reply()

    def use_settings_of(self, message_id: int) -> None:
        """Put that reply's model and settings into the sidebar for the next message."""
        cid = self.current_id
        message = self._conversations.message(message_id)
        conversation = self._conversations.get(cid) if cid is not None else None
        if cid is None or message is None or conversation is None:
            return
        details = read_details(message.details_json)
        if not details.recorded:
            return
        self.sidebar.flush_pending_edits()
        # The sidebar's, not the stored ones: a slider moved a moment ago is not saved yet.
        params = params_from_details(details, self.sidebar.params())
        model = details.model or conversation.model
        if model != conversation.model:
            self._conversations.set_model(cid, model)
            self.model_chosen.emit(model)
        self._conversations.set_params(cid, params)
        self.sidebar.set_state(model, conversation.system_prompt, params)
        self._show_model(model)
        self.statusBar().showMessage(SETTINGS_TAKEN.format(model=model), 5000)

    def delete_message(self, message_id: int) -> None:
        """Delete a message (and what follows it) after asking."""
        cid = self.current_id
        if cid is None or self._chat.is_streaming(cid):
            self.statusBar().showMessage(_("Stop the reply before deleting messages."), 5000)
            return
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(
            self,
            _("Delete message"),
            _("Delete this message and every reply after it? This cannot be undone."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes or self._changed_elsewhere(cid):
            return
        if self._conversations.delete_message(message_id):
            self.reload_messages()

    def _changed_elsewhere(self, conversation_id: int) -> bool:
        """Whether another window moved the chat on since this one read it (then say so)."""
        path = self._conversations.active_path(conversation_id)
        if (path[-1].id if path else 0) == self._last_read_id:
            return False
        self._on_history_changed(
            conversation_id,
            _(
                "This chat was changed in another FoxChat window, so nothing was deleted. "
                "The chat now shows the newest messages: check them, then delete again "
                "if you still want to."
            ),
        )
        return True

    def on_titled(self, conversation_id: int, title: str) -> None:
        """A chat got its automatic name: show it in the list and the title bar."""
        self._refresh_list()
        if conversation_id == self.current_id:
            self.setWindowTitle(f"{title} — {APP_NAME}")
            self.header.set_title(title)

    def show_error(self, message: str) -> None:
        """A problem that is not tied to one reply, shown whole above the composer."""
        self.notice_bar.show_message(message)

    def set_dark(self, dark: bool) -> None:
        """Follow a theme change."""
        self.message_view.set_dark(dark)

    # -- window state --------------------------------------------------------------

    def save_state(self) -> tuple[str, str]:
        """Geometry and splitter sizes as base64, for the settings file."""
        geometry = bytes(self.saveGeometry().toBase64().data()).decode("ascii")
        splitter = bytes(self.splitter.saveState().toBase64().data()).decode("ascii")
        return geometry, splitter

    def restore_state(self, geometry: str, splitter: str, sidebar_visible: bool) -> None:
        """Put the window back as the user left it."""
        if geometry:
            self.restoreGeometry(QByteArray.fromBase64(geometry.encode("ascii")))
        if splitter:
            self.splitter.restoreState(QByteArray.fromBase64(splitter.encode("ascii")))
        self._sidebar_wanted = sidebar_visible
        self._narrow = None
        self._fit_sidebar()

    def allow_close(self) -> None:
        """Let the next close event through (the app has saved everything)."""
        self._closing_allowed = True

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closing_allowed:
            event.accept()
            return
        # Closing the window quits the app; the app saves and then closes us.
        event.ignore()
        self.quit_requested.emit()

    # -- slots ---------------------------------------------------------------------

    def _toggle_sidebar(self) -> None:
        visible = not self.sidebar.isVisible()
        self._sidebar_wanted = visible
        self.sidebar.setVisible(visible)
        self.sidebar_action.setChecked(visible)

    def sidebar_wanted(self) -> bool:
        """Whether the user wants the sidebar (it may be hidden while narrow)."""
        return self._sidebar_wanted

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_sidebar()

    def _fit_sidebar(self) -> None:
        # Only on crossing the threshold, so Ctrl+Shift+P still wins after.
        narrow = self.width() < NARROW_WIDTH
        if narrow == self._narrow:
            return
        self._narrow = narrow
        visible = self._sidebar_wanted and not narrow
        self.sidebar.setVisible(visible)
        self.sidebar_action.setChecked(visible)

    def _refresh_list(self) -> None:
        self._list_model.refresh()
        if self.current_id is not None:
            self.conversation_pane.select_conversation(self.current_id)
            # A rename from the list (or another window) shows in the header too.
            conversation = self._conversations.get(self.current_id)
            if conversation is not None and conversation.title:
                title = shown_title(conversation.title)
                self.setWindowTitle(f"{title} — {APP_NAME}")
                self.header.set_title(title)

    def _undo_delete(self, conversation_id: int) -> None:
        self._conversations.undelete(conversation_id)
        self.open_conversation(conversation_id)

    def _request_curl(self) -> None:
        self._conversations.flush_drafts()
        if self.current_id is not None:
            self.curl_requested.emit(self.current_id, self.composer.text())

    def _reload_for_reply(self) -> None:
        """Show the branch a new reply is arriving on, with the cursor back in the composer.

        Reloading deletes the button or editor that had the focus, and Qt would
        hand it to the first control of the window: the search box.
        """
        self.reload_messages()
        self.composer.edit.setFocus()

    def _on_step(self, message_id: int, step: int) -> None:
        cid = self.current_id
        if cid is None or self._chat.is_streaming(cid):
            return
        if self._conversations.switch_alternative(message_id, step):
            self.reload_messages()

    def _on_edit_submitted(self, message_id: int, text: str) -> None:
        self._conversations.flush_drafts()
        cid = self.current_id
        if cid is not None and self._chat.edit_and_resend(cid, message_id, text) is not None:
            self._reload_for_reply()

    def _on_regenerate(self, message_id: int) -> None:
        self._conversations.flush_drafts()
        cid = self.current_id
        if cid is not None and self._chat.regenerate(cid, message_id):
            self._reload_for_reply()

    def _on_tool_results(self, message_id: int, results: list[tuple[str, str]]) -> None:
        self._conversations.flush_drafts()
        cid = self.current_id
        if cid is not None and self._chat.send_tool_results(cid, message_id, results):
            self._reload_for_reply()

    def _on_draft_changed(self, text: str) -> None:
        if self.current_id is not None:
            self._conversations.queue_draft(self.current_id, text)

    def _on_attachments_changed(self) -> None:
        if self.current_id is not None and not self._swapping_files:
            self._conversations.queue_draft_attachments(
                self.current_id, self.composer.attachments()
            )

    def _on_model_changed(self, model: str) -> None:
        if self.current_id is not None:
            self._conversations.set_model(self.current_id, model)
        self._show_model(model)
        self.model_chosen.emit(model)

    def _on_header_model(self, model: str) -> None:
        """A model picked in the header: as if picked in the sidebar (both show it)."""
        self.use_model(model)
        self.model_chosen.emit(model)

    def _show_model(self, model: str) -> None:
        self.header.set_model(model)
        self._model_shown = model
        if self._empty_state is not None:
            self._empty_state.set_model(model)

    @property
    def empty_state(self) -> EmptyState:
        """What an empty chat shows, made the first time one is shown."""
        if self._empty_state is None:
            self._empty_state = EmptyState(self.chat_stack)
            self._empty_state.set_model(self._model_shown)
            self._empty_state.example_chosen.connect(self._use_example)
            self.chat_stack.addWidget(self._empty_state)
        return self._empty_state

    def _show_empty_state(self, empty: bool) -> None:
        self.chat_stack.setCurrentWidget(self.empty_state if empty else self.message_view)

    def _use_example(self, text: str) -> None:
        """An example prompt clicked: in the message box to edit or send, not sent."""
        edit = self.composer.edit
        edit.setPlainText(text)
        edit.moveCursor(edit.textCursor().MoveOperation.End)
        edit.setFocus()

    def focus_composer(self) -> None:
        """Put the cursor in the message box."""
        self.composer.edit.setFocus()

    def move_empty_chat(self, model_ids: list[str], model: str) -> str | None:
        """Put the chat on screen on ``model`` if it is empty and on a model not in ``model_ids``.

        Returns the model it left, or None when it stayed (a chat with history
        keeps the model it was had on).
        """
        cid = self.current_id
        conversation = self._conversations.get(cid) if cid is not None else None
        if conversation is None or conversation.model in model_ids or cid is None:
            return None
        if self._conversations.active_path(cid):
            return None
        self.use_model(model)
        return conversation.model

    def use_model(self, model: str) -> None:
        """Put the chat on screen on ``model`` and show it, without counting it as a choice."""
        cid = self.current_id
        if cid is None:
            return
        self.sidebar.flush_pending_edits()
        conversation = self._conversations.get(cid)
        if conversation is None or conversation.model == model:
            return
        self._conversations.set_model(cid, model)
        self.sidebar.set_state(
            model, conversation.system_prompt, GenerationParams.from_json(conversation.params_json)
        )
        self._show_model(model)

    def _on_system_prompt_changed(self, text: str) -> None:
        if self.current_id is not None:
            self._conversations.set_system_prompt(self.current_id, text)

    def _on_params_changed(self, params: GenerationParams) -> None:
        if self.current_id is not None:
            self._conversations.set_params(self.current_id, params)
            self.message_view.set_json_format(_json_format(params))
            self.message_view.set_logprobs_asked(params.is_enabled("logprobs"))

    def _on_message_added(self, conversation_id: int, message_id: int) -> None:
        self._list_model.touch(conversation_id)
        if conversation_id == self.current_id:
            self._last_read_id = message_id  # ours, added at the end of the branch
            self._show_empty_state(False)
        if conversation_id != self.current_id or self.message_view.has_message(message_id):
            return
        message = self._conversations.message(message_id)
        if message is None:
            return
        self.message_view.add_message(message)
        if message.status is MessageStatus.STREAMING:
            self.message_view.begin_stream(message_id)

    def _on_reply_delta(
        self, conversation_id: int, message_id: int, content: str, reasoning: str
    ) -> None:
        if conversation_id == self.current_id:
            self.message_view.append_delta(message_id, content, reasoning)

    def _on_reply_finished(self, conversation_id: int, message_id: int, _status: str) -> None:
        if conversation_id != self.current_id:
            return
        message = self._conversations.message(message_id)
        if message is not None:
            # A reply whose end could not be stored is shown as it arrived.
            self.message_view.update_message(self._with_unsaved([message])[0])
        self.update_usage()

    def _with_unsaved(self, path: list[StoredMessage]) -> list[StoredMessage]:
        """``path`` with the ends of replies that are only in memory."""
        cid = self.current_id
        unsaved = {u.message_id: u for u in self._chat.unsaved_replies(cid)} if cid else {}
        if not unsaved:
            return path
        return [
            replace(
                m,
                content=unsaved[m.id].content,
                reasoning=unsaved[m.id].reasoning,
                status=unsaved[m.id].status,
                error=unsaved[m.id].error,
                finish_reason=unsaved[m.id].finish_reason,
                usage_json=unsaved[m.id].usage_json,
            )
            if m.id in unsaved
            else m
            for m in path
        ]

    def _on_reply_unsaved(self, conversation_id: int, message_id: int, text: str) -> None:
        if conversation_id != self.current_id:
            return
        widget = self.message_view.message_widget(message_id)
        if widget is not None:
            widget.show_unsaved(text)

    def _on_reply_saved(self, conversation_id: int, message_id: int) -> None:
        if conversation_id != self.current_id:
            return
        widget = self.message_view.message_widget(message_id)
        if widget is not None:
            widget.show_unsaved(None)
        message = self._conversations.message(message_id)
        if message is not None:
            self.message_view.update_message(message)

    def _on_streaming_changed(self, conversation_id: int, streaming: bool) -> None:
        if conversation_id == self.current_id:
            self.composer.set_streaming(streaming)

    def _on_history_changed(self, conversation_id: int, message: str) -> None:
        # Another window wrote here: show what it wrote, keep the text, explain.
        self._refresh_list()
        if conversation_id == self.current_id:
            self.reload_messages()
        self.show_error(message)

    def _on_chat_error(self, conversation_id: int, message: str) -> None:
        if conversation_id == self.current_id and not self._chat.is_streaming(conversation_id):
            self.show_error(message)


def _json_format(params: GenerationParams) -> dict[str, Any] | None:
    """The response_format when it asks for JSON, else None."""
    if not params.is_enabled("response_format"):
        return None
    wanted = params.response_format.get("type") in ("json_object", "json_schema")
    return params.response_format if wanted else None
