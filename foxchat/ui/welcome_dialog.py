"""The first-run welcome: paste an API key, optionally change the address, test, start.

The dialog only renders and emits. ``test_requested`` asks the composition
root to try the connection (it answers through :meth:`show_test_result`);
``accepted_key`` hands over the key when the user presses Start, and
``quit_requested`` asks to quit the whole app. Where the key is kept is the
composition root's business; the dialog only says it plainly, and when the
keyring cannot be used it says why and offers the key for this session only.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from foxchat import APP_NAME, DEFAULT_BASE_URL
from foxchat.i18n import _
from foxchat.resources import app_icon
from foxchat.secrets import KeyringProblem, session_only_message
from foxchat.settings import check_base_url, insecure_base_url_question, tidy_base_url
from foxchat.ui.confirm import Confirm, ask_with_message_box
from foxchat.ui.naming import named

KEYRING_NOTE = _("FoxChat keeps your key in your system keyring, never in a file.")
SESSION_ONLY_LABEL = _("Use for this session only")

#: The dialog's width, and the side of the logo beside its heading.
DIALOG_WIDTH = 500
LOGO_SIZE = 48
#: Between a label and its field, the same in both forms so the fields line up.
FORM_SPACING = 12


class WelcomeDialog(QDialog):
    """Asks for the API key (and, under Advanced, the base URL) on first start."""

    test_requested = Signal(str, str)  # base_url, key
    accepted_key = Signal(str, str, bool)  # base_url, key, session_only
    quit_requested = Signal()  # the user wants FoxChat closed, not only this dialog

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        *,
        keyring_problem: KeyringProblem | None = None,
        confirm: Confirm | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._confirm = confirm or ask_with_message_box(self)
        self._confirmed_insecure_url = ""
        welcome = _("Welcome to {app}").format(app=APP_NAME)
        named(self, "welcomeDialog", welcome)
        self.setWindowTitle(welcome)
        self.setWindowIcon(app_icon())
        # Wide enough that the notes wrap into a few lines, not a column.
        self.setMinimumWidth(DIALOG_WIDTH)
        self._keyring_problem = keyring_problem
        self._build(base_url)
        self.set_keyring_problem(keyring_problem)

    # -- layout ----------------------------------------------------------------

    def _build(self, base_url: str) -> None:
        heading = QLabel(_("Welcome to {app}").format(app=APP_NAME))
        named(heading, "welcomeHeading", _("Welcome"))
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        heading.setFont(font)
        intro = QLabel(_("Paste your API key to start chatting."))
        named(intro, "welcomeIntro", _("Introduction"))
        intro.setWordWrap(True)
        logo = QLabel()
        named(logo, "welcomeLogo", _("{app} logo").format(app=APP_NAME))
        logo.setPixmap(app_icon().pixmap(LOGO_SIZE, LOGO_SIZE))
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(heading)
        titles.addWidget(intro)
        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(titles, 1)

        self.key_edit = QLineEdit()
        named(self.key_edit, "apiKeyEdit", _("API key"))
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setPlaceholderText("sk-…")
        self.key_edit.textChanged.connect(self._clear_messages)
        self.show_key_button = QToolButton()
        named(self.show_key_button, "showKeyButton", _("Show the API key"))
        self.show_key_button.setText(_("Show"))
        self.show_key_button.setCheckable(True)
        self.show_key_button.toggled.connect(self._set_key_visible)
        key_row = QHBoxLayout()
        key_row.addWidget(self.key_edit, 1)
        key_row.addWidget(self.show_key_button)

        self.storage_note = QLabel()
        named(self.storage_note, "keyStorageNote", _("Where your key is kept"))
        self.storage_note.setWordWrap(True)
        self.storage_note.setProperty("hint", True)

        self.advanced_button = QToolButton()
        named(self.advanced_button, "advancedButton", _("Show advanced options"))
        self.advanced_button.setText(_("Advanced"))
        self.advanced_button.setCheckable(True)
        self.advanced_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.advanced_button.setArrowType(Qt.ArrowType.RightArrow)
        self.advanced_button.toggled.connect(self._set_advanced_visible)
        self.base_url_edit = QLineEdit(base_url)
        named(self.base_url_edit, "baseUrlEdit", _("API address (base URL)"))
        self.base_url_edit.textChanged.connect(self._clear_messages)
        self.advanced = QWidget()
        named(self.advanced, "advancedOptions", _("Advanced options"))
        advanced_form = QFormLayout(self.advanced)
        advanced_form.setContentsMargins(0, 0, 0, 0)
        advanced_form.setHorizontalSpacing(FORM_SPACING)
        address_label = self._buddy(_("API &address:"), self.base_url_edit)
        advanced_form.addRow(address_label, self.base_url_edit)

        self.test_button = QPushButton(_("Test connection"))
        named(self.test_button, "testConnectionButton", _("Test connection"))
        self.test_button.setAutoDefault(False)
        self.test_button.clicked.connect(self._request_test)
        self.result_label = QLabel()
        named(self.result_label, "testResultLabel", _("Connection test result"))
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.quit_button = QPushButton(_("Quit"))
        named(self.quit_button, "quitButton", _("Quit"))
        self.quit_button.setAutoDefault(False)
        self.quit_button.clicked.connect(self._quit)
        self.start_button = QPushButton(_("Start"))
        named(self.start_button, "startButton", _("Start"))
        self.start_button.setDefault(True)  # Enter anywhere in the dialog submits
        self.start_button.clicked.connect(self._submit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.test_button)
        buttons.addStretch(1)
        buttons.addWidget(self.quit_button)
        buttons.addWidget(self.start_button)

        form = QFormLayout()
        form.setHorizontalSpacing(FORM_SPACING)
        key_label = self._buddy(_("API &key:"), self.key_edit)
        form.addRow(key_label, key_row)
        # Two forms, one column of fields: both labels as wide as the wider.
        label_width = max(key_label.sizeHint().width(), address_label.sizeHint().width())
        for label in (key_label, address_label):
            label.setMinimumWidth(label_width)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addSpacing(4)
        layout.addLayout(form)
        layout.addWidget(self.storage_note)
        layout.addWidget(self.advanced_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.advanced)
        layout.addWidget(self.result_label)
        layout.addLayout(buttons)

        # A non-default address is worth seeing; the default one stays tucked away.
        custom = tidy_base_url(base_url) != DEFAULT_BASE_URL
        self.advanced_button.setChecked(custom)
        self._set_advanced_visible(custom)
        self.key_edit.setFocus()

    @staticmethod
    def _buddy(text: str, field: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(field)  # Alt+letter jumps to the field
        named(label, f"{field.objectName()}Label", field.accessibleName())
        return label

    # -- reading ---------------------------------------------------------------

    def api_key(self) -> str:
        """The key as typed, without surrounding spaces."""
        return self.key_edit.text().strip()

    def base_url(self) -> str:
        """The API address as typed, normalized."""
        return tidy_base_url(self.base_url_edit.text())

    # -- slots -----------------------------------------------------------------

    @Slot(bool, str)
    def show_test_result(self, ok: bool, message: str) -> None:
        """Show the outcome of a connection test in plain words."""
        self.test_button.setEnabled(True)
        self.result_label.setProperty("state", "ok" if ok else "error")
        self.result_label.setText(message)

    def set_keyring_problem(self, problem: KeyringProblem | None) -> None:
        """Say where the key will live; if the keyring cannot keep it, say why.

        ``None`` means the keyring works. Otherwise Start becomes "Use for this
        session only", which is what happens to the key.
        """
        self._keyring_problem = problem
        note = KEYRING_NOTE if problem is None else session_only_message(problem)
        self.storage_note.setText(note)
        label = _("Start") if problem is None else SESSION_ONLY_LABEL
        self.start_button.setText(label)
        self.start_button.setAccessibleName(label)

    # -- events ----------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        """Grow to fit wrapped text whenever the layout changes.

        A top-level layout keeps the window at its minimum size, which ignores
        height-for-width: without this, opening Advanced squeezes the wrapped
        notes above it and clips their text.
        """
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest:
            needed = self.heightForWidth(self.width())
            if needed > self.height():
                self.resize(self.width(), needed)
        return handled

    # -- private ---------------------------------------------------------------

    def _set_key_visible(self, visible: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if visible else QLineEdit.EchoMode.Password
        self.key_edit.setEchoMode(mode)
        self.show_key_button.setText(_("Hide") if visible else _("Show"))
        self.show_key_button.setAccessibleName(
            _("Hide the API key") if visible else _("Show the API key")
        )

    def _quit(self) -> None:
        self.quit_requested.emit()
        self.reject()

    def _set_advanced_visible(self, visible: bool) -> None:
        self.advanced.setVisible(visible)
        arrow = Qt.ArrowType.DownArrow if visible else Qt.ArrowType.RightArrow
        self.advanced_button.setArrowType(arrow)

    def _clear_messages(self) -> None:
        if self.result_label.property("state") == "problem":
            self.result_label.clear()

    def _problem(self) -> str | None:
        if not self.api_key():
            return _("Paste your API key first.")
        problem = check_base_url(self.base_url_edit.text())
        if problem is not None:
            self.advanced_button.setChecked(True)
            return problem
        return self._insecure_problem()

    def _insecure_problem(self) -> str | None:
        """Ask once before the key goes in the clear to another computer."""
        url = self.base_url()
        question = insecure_base_url_question(url)
        if question is None or url == self._confirmed_insecure_url:
            return None
        if self._confirm(_("Unencrypted address"), question):
            self._confirmed_insecure_url = url
            return None
        self.advanced_button.setChecked(True)
        return _("Use an https:// address, so your key travels encrypted.")

    def _show_problem(self, problem: str) -> None:
        self.result_label.setProperty("state", "problem")
        self.result_label.setText(problem)

    def _request_test(self) -> None:
        problem = self._problem()
        if problem is not None:
            self._show_problem(problem)
            return
        self.test_button.setEnabled(False)
        self.result_label.setProperty("state", "testing")
        self.result_label.setText(_("Testing the connection…"))
        self.test_requested.emit(self.base_url(), self.api_key())

    def _submit(self) -> None:
        problem = self._problem()
        if problem is not None:
            self._show_problem(problem)
            return
        session_only = self._keyring_problem is not None
        self.accepted_key.emit(self.base_url(), self.api_key(), session_only)
        self.accept()
