"""Left pane: the search box, the conversation list and the search results.

It renders the models it is given and emits what the user asked for; the
main window decides what happens (the store is never touched from here).
Not to be confused with ``services/conversation_list.py``: that module holds
the Qt models this pane shows.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QCursor,
    QKeySequence,
    QPainter,
    QPalette,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QPushButton,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from foxchat.i18n import _
from foxchat.services.conversation_groups import GroupedConversationsModel
from foxchat.services.conversation_list import (
    ConversationIdRole,
    ConversationListModel,
    MessageIdRole,
    PinnedRole,
    SearchResultsModel,
    SnippetRole,
)
from foxchat.ui.chat_list_rows import ChatRowDelegate, RowActions, row_background
from foxchat.ui.first_paint import call_after_first_paint
from foxchat.ui.icons import icon
from foxchat.ui.text import escape_html

SEARCH_DELAY_MS = 150


class ConversationListPane(QWidget):
    """The list of chats with search, a New button and a context menu."""

    conversation_selected = Signal(int)
    new_requested = Signal()
    rename_requested = Signal(int, str)
    delete_requested = Signal(int)
    pin_requested = Signal(int, bool)
    export_requested = Signal(int, str)
    search_result_chosen = Signal(int, int)

    def __init__(
        self,
        conversations: ConversationListModel,
        results: SearchResultsModel,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conversationPane")
        self._conversations = conversations
        self._results = results

        self.search_box = QLineEdit(self)
        self.search_box.setObjectName("searchBox")
        self.search_box.setAccessibleName(_("Search conversations"))
        self.search_box.setPlaceholderText(_("Search chats (Ctrl+F)"))
        # A narrow pane cuts the placeholder short; the tooltip keeps it whole.
        self.search_box.setToolTip(_("Search chats (Ctrl+F)"))
        self.search_box.setClearButtonEnabled(True)
        search = self.search_box.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        search.setToolTip(_("Search now (Enter)"))
        search.triggered.connect(lambda _checked=False: self._run_search())
        self._name_field_buttons()

        self.new_button = QPushButton(_("New chat"), self)
        self.new_button.setObjectName("newChatButton")
        self.new_button.setAccessibleName(_("New chat"))
        self.new_button.setToolTip(_("Start a new chat (Ctrl+N)"))
        self.new_button.setIcon(icon("new_chat"))

        # The chats in day groups; ``conversations`` stays the window's model.
        self._grouped = GroupedConversationsModel(conversations, self)
        self.list_view = QListView(self)
        self.list_view.setObjectName("conversationList")
        self.list_view.setAccessibleName(_("Conversations"))
        self.list_view.setModel(self._grouped)
        self.list_view.setUniformItemSizes(True)
        self._rows = ChatRowDelegate(self.list_view)
        self.list_view.setItemDelegate(self._rows)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Titles are cut with "…" to the pane's width: never a sideways scrollbar.
        self.list_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list_view.setResizeMode(QListView.ResizeMode.Adjust)
        self.list_view.setMouseTracking(True)
        self.list_view.setFrameShape(QListView.Shape.NoFrame)
        # The Rename/Pin/Delete buttons: made once the list has been drawn,
        # since nothing shows them before (see ``row_actions``).
        self._row_actions: RowActions | None = None
        call_after_first_paint(self, self._build_row_actions)

        self.results_view = QListView(self)
        self.results_view.setObjectName("searchResults")
        self.results_view.setAccessibleName(_("Search results"))
        self.results_view.setModel(results)
        self.results_view.setItemDelegate(_SnippetDelegate(self.results_view))
        self.results_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Snippets wrap to the pane's width; rows are laid out again when it changes.
        self.results_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results_view.setResizeMode(QListView.ResizeMode.Adjust)
        self.results_view.setWordWrap(True)
        self.no_results = QLabel(_("No chats match."), self)
        self.no_results.setObjectName("noResults")
        self.no_results.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self._stack = QStackedWidget(self)
        self._stack.addWidget(self.list_view)
        self._stack.addWidget(self.results_view)
        self._stack.addWidget(self.no_results)

        top = QHBoxLayout()
        top.addWidget(self.search_box, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.new_button)
        layout.addWidget(self._stack, 1)

        #: The chat row under the pointer (invalid when none is).
        self._hovered = QPersistentModelIndex()
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.new_button.clicked.connect(self.new_requested)
        self.search_box.textChanged.connect(lambda _t: self._search_timer.start())
        self.search_box.returnPressed.connect(self._run_search)
        self._search_timer.timeout.connect(self._run_search)
        self.list_view.selectionModel().currentChanged.connect(self._on_current_changed)
        self.list_view.customContextMenuRequested.connect(self._show_menu)
        self.results_view.activated.connect(self._on_result)
        self.results_view.clicked.connect(self._on_result)
        self._connect_row_actions()
        escape = QAction(self.search_box)
        escape.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        escape.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        escape.triggered.connect(self.search_box.clear)
        self.search_box.addAction(escape)

    def _name_field_buttons(self) -> None:
        """Name the search field's own icon buttons (search, clear) for screen readers."""
        names = {
            "_q_qlineeditclearaction": (_("Clear the search"), _("Clear the search (Esc)")),
        }
        for button in self.search_box.findChildren(QToolButton):
            action = button.defaultAction()
            name, tip = names.get(action.objectName() if action else "", (_("Search"), ""))
            button.setAccessibleName(name)
            if tip:
                button.setToolTip(tip)

    # -- what the main window calls ----------------------------------------

    def select_conversation(self, conversation_id: int) -> None:
        """Highlight that chat without emitting ``conversation_selected``."""
        row = self._grouped.row_of(conversation_id)
        if row is None:
            return
        index = self._grouped.index(row, 0)
        selection = self.list_view.selectionModel()
        selection.blockSignals(True)
        self.list_view.setCurrentIndex(index)
        selection.blockSignals(False)
        self.list_view.scrollTo(index)

    def focus_search(self) -> None:
        """Ctrl+F: put the cursor in the search box with its text selected."""
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    # -- internals ---------------------------------------------------------

    def _run_search(self) -> None:
        self._search_timer.stop()
        query = self.search_box.text()
        self._results.search(query)
        if not query.strip():
            self._stack.setCurrentWidget(self.list_view)
        elif self._results.rowCount() == 0:
            self._stack.setCurrentWidget(self.no_results)
        else:
            self._stack.setCurrentWidget(self.results_view)

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        cid = current.data(ConversationIdRole) if current.isValid() else None
        if cid is not None:
            self.conversation_selected.emit(int(cid))
        self._place_actions()

    def _on_result(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        message_id = index.data(MessageIdRole)
        self.search_result_chosen.emit(
            int(index.data(ConversationIdRole)), int(message_id) if message_id else 0
        )

    def _show_menu(self, pos: QPoint) -> None:
        index = self.list_view.indexAt(pos)
        menu = QMenu(self)
        menu.addAction(_("New chat"), self.new_requested.emit)
        if index.isValid() and index.data(ConversationIdRole) is not None:
            cid = int(index.data(ConversationIdRole))
            pinned = bool(index.data(PinnedRole))
            title = str(index.data(Qt.ItemDataRole.DisplayRole))
            menu.addAction(_("Rename…"), lambda: self._rename(cid, title))
            menu.addAction(
                _("Unpin") if pinned else _("Pin to top"),
                lambda: self.pin_requested.emit(cid, not pinned),
            )
            export = menu.addMenu(_("Export"))
            export.addAction(_("As Markdown…"), lambda: self.export_requested.emit(cid, "md"))
            export.addAction(_("As JSON…"), lambda: self.export_requested.emit(cid, "json"))
            export.addAction(
                _("As a web page (HTML)…"), lambda: self.export_requested.emit(cid, "html")
            )
            export.addAction(_("As PDF…"), lambda: self.export_requested.emit(cid, "pdf"))
            menu.addSeparator()
            menu.addAction(_("Delete"), lambda: self.delete_requested.emit(cid))
        menu.popup(self.list_view.viewport().mapToGlobal(pos))

    # -- the buttons over a row ----------------------------------------------

    @property
    def row_actions(self) -> RowActions:
        """The buttons laid over a row, made just after the list's first paint."""
        self._build_row_actions()
        assert self._row_actions is not None
        return self._row_actions

    def _build_row_actions(self) -> None:
        if self._row_actions is None:
            self._row_actions = self._make_row_actions()
            self._place_actions()  # the list may have the focus already

    def _make_row_actions(self) -> RowActions:
        view = self.list_view
        actions = RowActions(view.viewport())
        # Tab goes list -> Rename -> Pin -> Delete, then on as before.
        QWidget.setTabOrder(view, actions.rename_button)
        QWidget.setTabOrder(actions.rename_button, actions.pin_button)
        QWidget.setTabOrder(actions.pin_button, actions.delete_button)
        view.entered.connect(self._on_hovered)
        view.viewportEntered.connect(self._forget_hover)  # below the last row
        view.viewport().installEventFilter(self)
        view.installEventFilter(self)
        actions.installEventFilter(self)
        for button in actions.buttons():
            button.installEventFilter(self)
        view.verticalScrollBar().valueChanged.connect(lambda _v: self._place_actions())
        self._grouped.layoutChanged.connect(self._place_actions)
        self._grouped.modelReset.connect(self._place_actions)
        actions.rename_clicked.connect(lambda: self._act_on_row("rename"))
        actions.pin_clicked.connect(lambda: self._act_on_row("pin"))
        actions.delete_clicked.connect(lambda: self._act_on_row("delete"))
        return actions

    def _connect_row_actions(self) -> None:
        view = self.list_view
        for key, what in ((Qt.Key.Key_F2, "rename"), (Qt.Key.Key_Delete, "delete")):
            action = QAction(view)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(lambda _c=False, what=what: self._act_on_current(what))
            view.addAction(action)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Leave and watched in (self.list_view.viewport(), self._row_actions):
            self._forget_hover_if_gone()
        elif kind in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            self._place_actions()
        return False

    def _forget_hover_if_gone(self) -> None:
        """The pointer left the list or the buttons: drop the hover unless it is over them.

        Qt tells the list the pointer left it when it moves onto one of the
        buttons (a child); the row must keep its buttons then.
        """
        viewport = self.list_view.viewport()
        if viewport.rect().contains(viewport.mapFromGlobal(QCursor.pos())):
            return  # on a button or a row: ``entered`` says when the row changes
        self._forget_hover()

    def _forget_hover(self) -> None:
        self._hovered = QPersistentModelIndex()
        self._place_actions()

    def _on_hovered(self, index: QModelIndex) -> None:
        self._hovered = QPersistentModelIndex(index)
        self._place_actions()

    def _actions_index(self) -> QModelIndex:
        """The row the buttons belong on: under the pointer, else the keyboard's."""
        hovered = self._hovered
        if hovered.isValid() and hovered.data(ConversationIdRole) is not None:
            return self._grouped.index(hovered.row(), 0)
        focus = QApplication.focusWidget()
        within = focus is not None and (
            focus is self.list_view
            or (self._row_actions is not None and self._row_actions.isAncestorOf(focus))
        )
        current = self.list_view.currentIndex()
        if within and current.isValid() and current.data(ConversationIdRole) is not None:
            return current
        return QModelIndex()

    def _place_actions(self) -> None:
        if self._row_actions is None:
            return  # not drawn yet: nothing to put buttons on
        index = self._actions_index()
        view, actions, rows = self.list_view, self._row_actions, self._rows
        rect = view.visualRect(index) if index.isValid() else None
        previous = rows.actions_row
        if rect is None or not rect.intersects(view.viewport().rect()):
            rows.actions_row = rows.hovered_row = -1
            actions.hide()
        else:
            selected = view.selectionModel().isSelected(index)
            hovered = self._hovered
            rows.hovered_row = hovered.row() if hovered.isValid() else -1
            actions.show_for(
                pinned=bool(index.data(PinnedRole)),
                background=row_background(
                    view.palette(), selected=selected, hovered=index.row() == rows.hovered_row
                ),
                selected=selected,
            )
            size = actions.sizeHint()
            rows.actions_row = index.row()
            rows.actions_width = size.width() + 4
            right = view.viewport().width() - 4 - 6
            actions.setGeometry(
                right - size.width(),
                rect.top() + (rect.height() - size.height()) // 2,
                size.width(),
                size.height(),
            )
            actions.show()
        if previous != rows.actions_row or rect is not None:
            view.viewport().update()

    def _act_on_row(self, what: str) -> None:
        index = self._actions_index()
        if index.isValid():
            self._act(index, what)

    def _act_on_current(self, what: str) -> None:
        index = self.list_view.currentIndex()
        if index.isValid() and index.data(ConversationIdRole) is not None:
            self._act(index, what)

    def _act(self, index: QModelIndex, what: str) -> None:
        cid = int(index.data(ConversationIdRole))
        if what == "rename":
            self._rename(cid, str(index.data(Qt.ItemDataRole.DisplayRole)))
        elif what == "pin":
            self.pin_requested.emit(cid, not bool(index.data(PinnedRole)))
        else:
            self.delete_requested.emit(cid)

    def _rename(self, conversation_id: int, title: str) -> None:
        from PySide6.QtWidgets import QInputDialog  # loaded when first asked, not at start

        new_title, ok = QInputDialog.getText(self, _("Rename chat"), _("Name:"), text=title)
        if ok and new_title.strip():
            self.rename_requested.emit(conversation_id, new_title.strip())


class _SnippetDelegate(QStyledItemDelegate):
    """Draws a hit's title and its snippet with the matches in bold."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        # Draw on a copy: changing the option Qt passes in corrupts
        # PySide6's reference counts (a crash at interpreter exit).
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget else None
        if style:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        doc = self.document(opt, index)
        painter.save()
        rect = opt.rect
        painter.translate(rect.topLeft())
        painter.setClipRect(QRectF(0, 0, rect.width(), rect.height()))
        doc.drawContents(painter)
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        # Built from a copy and without the base class's hint, which returns
        # an object PySide6 then frees twice (a crash at interpreter exit).
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        doc = self.document(opt, index)
        # As wide as the list, never wider: a long path in a snippet wraps
        # instead of making the results scroll sideways.
        return QSize(_text_width(opt), int(doc.size().height()) + 2)

    def document(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QTextDocument:
        """The hit as rich text, in colours that read on the row's background."""
        title = escape_html(str(index.data(Qt.ItemDataRole.DisplayRole) or ""))
        snippet = escape_html(str(index.data(SnippetRole) or ""))
        snippet = snippet.replace("\x02", "<b>").replace("\x03", "</b>")
        palette: QPalette = option.palette
        if option.state & QStyle.StateFlag.State_Selected:
            # Grey on the selection's blue was about 1.3:1: both lines take the
            # selection's own text colour there.
            text = dim = palette.color(QPalette.ColorRole.HighlightedText).name()
        else:
            text = palette.color(QPalette.ColorRole.Text).name()
            dim = palette.color(QPalette.ColorRole.PlaceholderText).name()
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        wrap = QTextOption(doc.defaultTextOption())
        wrap.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        doc.setDefaultTextOption(wrap)
        doc.setHtml(
            f"<span style='color:{text}'><b>{title}</b></span><br>"
            f"<span style='color:{dim}'>{snippet}</span>"
        )
        doc.setTextWidth(_text_width(option))
        return doc


def _text_width(option: QStyleOptionViewItem) -> int:
    """The width a result may use: the list's visible width."""
    view = option.widget
    if isinstance(view, QAbstractItemView) and view.viewport().width() > 0:
        return view.viewport().width()
    return option.rect.width() or 240
