"""The settings dialog: endpoint profiles and their keys, appearance, chat defaults, prices, proxy.

It edits a copy of :class:`~foxchat.settings.Settings` and hands the result
over with ``settings_changed`` when the user presses Save; Cancel changes
nothing. Key actions (save, remove, test) happen at once, because keys are
not part of the settings file: the dialog emits a request and the
composition root answers through the ``show_*`` slots. No keyring, file or
network call happens here.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from foxchat import DEFAULT_BASE_URL
from foxchat.api.urls import check_proxy_url
from foxchat.attachments import MAX_MAX_IMAGE_SIDE, MIN_MAX_IMAGE_SIDE
from foxchat.i18n import LANGUAGES, _, ngettext
from foxchat.resources import app_icon
from foxchat.settings import (
    MAX_FONT_SIZE,
    MIN_DOCUMENT_CHAR_LIMIT,
    MIN_FONT_SIZE,
    NEW_PROFILE_NAME,
    THEMES,
    EndpointProfile,
    Settings,
    check_base_url,
    insecure_base_url_question,
    new_profile_id,
    tidy_base_url,
)
from foxchat.ui.confirm import Confirm, ask_with_message_box
from foxchat.ui.model_overrides_editor import ModelOverridesEditor
from foxchat.ui.naming import named
from foxchat.ui.prices_editor import PricesEditor

THEME_LABELS = {"system": _("Follow the system"), "light": _("Light"), "dark": _("Dark")}

#: The size the dialog opens at: every tab fits, and so does an 800x600 screen.
DIALOG_SIZE = QSize(680, 460)


def _form(parent: QWidget | None = None) -> QFormLayout:
    """A form whose text fields take the width and whose lists and numbers keep theirs.

    Stretched across the dialog, a theme list or a font size reads as a text
    field; at their own width they read as what they are.
    """
    form = QFormLayout(parent)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    form.setVerticalSpacing(10)
    form.setHorizontalSpacing(12)
    return form


def _fill_row(label: QLabel) -> None:
    """Let a wrapping note in a form take the row's width, as the text fields do."""
    label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)


class SettingsDialog(QDialog):
    """Edits profiles, keys, theme, font size, chat defaults and model prices."""

    settings_changed = Signal(Settings)
    key_change_requested = Signal(str, str)  # profile_id, key
    key_removal_requested = Signal(str)  # profile_id
    test_requested = Signal(str, str)  # base_url, key typed in the dialog
    saved_key_test_requested = Signal(str, str)  # profile_id, base_url

    def __init__(
        self,
        settings: Settings,
        *,
        keyring_available: bool = True,
        confirm: Confirm | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        named(self, "settingsDialog", _("Settings"))
        self.setWindowTitle(_("Settings"))
        self.setWindowIcon(app_icon())
        self._original = settings
        self._profiles = list(settings.profiles)
        self._default_id = settings.default_profile().id
        self._removed_ids: list[str] = []
        self._added_ids: set[str] = set()
        self._keys_sent: set[str] = set()
        self._key_present: dict[str, bool] = {}
        self._confirm = confirm or ask_with_message_box(self)
        # Addresses already in use were accepted before; ask only about new ones.
        self._accepted_insecure_urls = {p.base_url for p in settings.profiles}

        self.tabs = QTabWidget()
        named(self.tabs, "settingsTabs", _("Settings sections"))
        self.tabs.addTab(self._build_accounts_tab(), _("Accounts"))
        self.tabs.addTab(self._build_appearance_tab(settings), _("Appearance"))
        self.tabs.addTab(self._build_chats_tab(settings), _("Chats"))
        self.prices = PricesEditor(settings.model_prices)
        self.tabs.addTab(self.prices, _("Prices"))
        self.model_overrides = ModelOverridesEditor(settings.model_overrides)
        self.tabs.addTab(self.model_overrides, _("Models"))
        self.tabs.addTab(self._build_network_tab(settings), _("Network"))

        self.error_label = QLabel()
        named(self.error_label, "settingsErrorLabel", _("Problem with the settings"))
        self.error_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        named(self.buttons, "settingsButtons", _("Save or cancel"))
        # Named by role, not by their (translated) text.
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        named(save, "saveButton", save.text().replace("&", ""))
        named(cancel, "cancelButton", cancel.text().replace("&", ""))
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(12)
        layout.addWidget(self.tabs)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        # Room for every tab without scrolling, and within an 800x600 screen.
        self.resize(DIALOG_SIZE)
        self.set_keyring_available(keyring_available)
        self._refresh_profile_list()
        self.profile_list.setCurrentRow(
            next(i for i, p in enumerate(self._profiles) if p.id == self._default_id)
        )

    # -- tabs ------------------------------------------------------------------

    def _build_accounts_tab(self) -> QWidget:
        self.profile_list = QListWidget()
        named(self.profile_list, "profileList", _("Endpoint profiles"))
        self.profile_list.currentRowChanged.connect(self._show_profile)
        self.add_profile_button = QPushButton(_("Add"))
        named(self.add_profile_button, "addProfileButton", _("Add a profile"))
        self.add_profile_button.clicked.connect(self._add_profile)
        self.remove_profile_button = QPushButton(_("Remove"))
        named(self.remove_profile_button, "removeProfileButton", _("Remove this profile"))
        self.remove_profile_button.clicked.connect(self._remove_profile)
        self.default_button = QPushButton(_("Use by default"))
        named(self.default_button, "defaultProfileButton", _("Use this profile by default"))
        self.default_button.clicked.connect(self._make_default)
        list_buttons = QHBoxLayout()
        for button in (self.add_profile_button, self.remove_profile_button, self.default_button):
            button.setAutoDefault(False)
            list_buttons.addWidget(button)

        self.name_edit = QLineEdit()
        named(self.name_edit, "profileNameEdit", _("Profile name"))
        self.name_edit.textEdited.connect(self._edit_current_profile)
        self.base_url_edit = QLineEdit()
        named(self.base_url_edit, "profileBaseUrlEdit", _("API address (base URL)"))
        self.base_url_edit.textEdited.connect(self._edit_current_profile)

        self.key_status = QLabel()
        named(self.key_status, "keyStatusLabel", _("API key status"))
        self.key_status.setWordWrap(True)
        self.key_edit = QLineEdit()
        named(self.key_edit, "profileKeyEdit", _("New API key"))
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setPlaceholderText(_("Paste a new key to change it"))
        self.save_key_button = QPushButton(_("Save key"))
        named(self.save_key_button, "saveKeyButton", _("Save the API key"))
        self.save_key_button.clicked.connect(self._save_key)
        self.remove_key_button = QPushButton(_("Remove key"))
        named(self.remove_key_button, "removeKeyButton", _("Remove the API key"))
        self.remove_key_button.clicked.connect(self._remove_key)
        self.test_button = QPushButton(_("Test connection"))
        named(self.test_button, "settingsTestButton", _("Test connection"))
        self.test_button.clicked.connect(self._request_test)
        key_buttons = QHBoxLayout()
        for button in (self.save_key_button, self.remove_key_button, self.test_button):
            button.setAutoDefault(False)
            key_buttons.addWidget(button)
        key_buttons.addStretch(1)
        self.test_result = QLabel()
        named(self.test_result, "settingsTestResult", _("Connection test result"))
        self.test_result.setWordWrap(True)
        self.keyring_note = QLabel()
        named(self.keyring_note, "keyringNote", _("Where keys are kept"))
        self.keyring_note.setWordWrap(True)
        self.keyring_note.setProperty("hint", True)

        form = _form()
        form.addRow(self._label(_("&Name:"), self.name_edit), self.name_edit)
        form.addRow(self._label(_("API &address:"), self.base_url_edit), self.base_url_edit)
        form.addRow(self._label(_("API &key:"), self.key_edit), self.key_edit)
        form.addRow("", self.key_status)
        _fill_row(self.key_status)
        details = QVBoxLayout()
        details.addLayout(form)
        details.addLayout(key_buttons)
        details.addWidget(self.test_result)
        details.addWidget(self.keyring_note)
        details.addStretch(1)

        left = QVBoxLayout()
        left.addWidget(self.profile_list)
        left.addLayout(list_buttons)
        tab = QWidget()
        named(tab, "accountsTab", _("Accounts"))
        row = QHBoxLayout(tab)
        row.addLayout(left, 2)
        row.addLayout(details, 3)
        return tab

    def _build_appearance_tab(self, settings: Settings) -> QWidget:
        self.theme_combo = QComboBox()
        named(self.theme_combo, "themeCombo", _("Theme"))
        for theme in THEMES:
            self.theme_combo.addItem(THEME_LABELS[theme], theme)
        self.theme_combo.setCurrentIndex(THEMES.index(settings.theme))
        self.font_size_spin = QSpinBox()
        named(self.font_size_spin, "fontSizeSpin", _("Font size in points"))
        self.font_size_spin.setRange(MIN_FONT_SIZE, MAX_FONT_SIZE)
        self.font_size_spin.setSuffix(_(" pt"))
        self.font_size_spin.setValue(settings.font_size)
        self.language_combo = QComboBox()
        named(self.language_combo, "languageCombo", _("Language"))
        self.language_combo.addItem(_("System"), "")
        for code, name in LANGUAGES.items():
            self.language_combo.addItem(name, code)
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(settings.language)))
        self.language_note = QLabel(
            _("FoxChat speaks the language you choose from its next start.")
        )
        named(self.language_note, "languageNote", _("When the language changes"))
        self.language_note.setWordWrap(True)
        self.language_note.setProperty("hint", True)
        tab = QWidget()
        named(tab, "appearanceTab", _("Appearance"))
        form = _form(tab)
        form.addRow(self._label(_("&Theme:"), self.theme_combo), self.theme_combo)
        form.addRow(self._label(_("&Font size:"), self.font_size_spin), self.font_size_spin)
        form.addRow(self._label(_("&Language:"), self.language_combo), self.language_combo)
        form.addRow("", self.language_note)
        _fill_row(self.language_note)
        return tab

    def _build_chats_tab(self, settings: Settings) -> QWidget:
        self.model_edit = QLineEdit(settings.default_model)
        named(self.model_edit, "defaultModelEdit", _("Default model for new chats"))
        self.auto_title_check = QCheckBox(_("Name new chats from their first message"))
        named(self.auto_title_check, "autoTitleCheck", _("Name new chats automatically"))
        self.auto_title_check.setChecked(settings.auto_title)
        self.context_limit_spin = QSpinBox()
        named(self.context_limit_spin, "contextLimitSpin", _("Messages sent as context"))
        self.context_limit_spin.setRange(0, 10_000)
        self.context_limit_spin.setSpecialValueText(_("Off (send the whole chat)"))
        # The suffix follows the number ("1 latest message", "2 latest messages").
        self.context_limit_spin.valueChanged.connect(self._name_context_limit)
        self.context_limit_spin.setValue(settings.context_limit)
        self._name_context_limit(self.context_limit_spin.value())
        tab = QWidget()
        named(tab, "chatsTab", _("Chats"))
        form = _form(tab)
        form.addRow(self._label(_("Default &model:"), self.model_edit), self.model_edit)
        form.addRow("", self.auto_title_check)
        form.addRow(self._label(_("&Context:"), self.context_limit_spin), self.context_limit_spin)
        self._add_attachment_rows(form, settings)
        return tab

    def _add_attachment_rows(self, form: QFormLayout, settings: Settings) -> None:
        """Attachments: how large images are sent, and when a document asks first."""
        self.image_size_spin = QSpinBox()
        named(self.image_size_spin, "imageSizeSpin", _("Longest side of attached images in pixels"))
        self.image_size_spin.setRange(MIN_MAX_IMAGE_SIDE, MAX_MAX_IMAGE_SIDE)
        self.image_size_spin.setSingleStep(256)
        self.image_size_spin.setSuffix(_(" pixels on the longest side"))
        self.image_size_spin.setValue(settings.image_max_side)
        self.image_size_spin.setToolTip(
            _(
                "Larger images are scaled down to this size before they are sent,"
                " which keeps requests small and cheap."
            )
        )
        self.document_limit_spin = QSpinBox()
        named(self.document_limit_spin, "documentLimitSpin", _("Document length that asks first"))
        self.document_limit_spin.setRange(MIN_DOCUMENT_CHAR_LIMIT, 100_000_000)
        self.document_limit_spin.setSingleStep(10_000)
        self.document_limit_spin.setGroupSeparatorShown(True)
        self.document_limit_spin.setSuffix(_(" characters"))
        self.document_limit_spin.setValue(settings.document_char_limit)
        self.document_limit_spin.setToolTip(
            _(
                "FoxChat asks before sending a document longer than this, and says about how"
                " many tokens it adds."
            )
        )
        form.addRow(self._label(_("&Images:"), self.image_size_spin), self.image_size_spin)
        form.addRow(
            self._label(_("Ask before long &documents:"), self.document_limit_spin),
            self.document_limit_spin,
        )

    def _name_context_limit(self, count: int) -> None:
        suffix = ngettext(" latest message", " latest messages", count)
        if self.context_limit_spin.suffix() != suffix:
            self.context_limit_spin.setSuffix(suffix)

    def _build_network_tab(self, settings: Settings) -> QWidget:
        self.proxy_edit = QLineEdit(settings.proxy)
        named(self.proxy_edit, "proxyEdit", _("Proxy address"))
        self.proxy_edit.setPlaceholderText(_("Empty: the system's proxy, if any"))
        self.proxy_edit.setToolTip(
            _("A proxy server for every request, for example {example} or {other}.").format(
                example="http://proxy.example.com:8080", other="socks5://127.0.0.1:1080"
            )
        )
        self.proxy_note = QLabel(
            _(
                "Leave this empty to use the proxy set in the HTTPS_PROXY or ALL_PROXY"
                " environment variables (on Windows and macOS, also the system's proxy settings)."
                " An address here is used for every request instead, once you press Save."
                " It may start with http://, https:// or socks5://."
            )
        )
        named(self.proxy_note, "proxyNote", _("How the proxy is chosen"))
        self.proxy_note.setWordWrap(True)
        self.proxy_note.setProperty("hint", True)
        self.network_tab = QWidget()
        named(self.network_tab, "networkTab", _("Network"))
        form = _form(self.network_tab)
        form.addRow(self._label(_("&Proxy:"), self.proxy_edit), self.proxy_edit)
        form.addRow("", self.proxy_note)
        _fill_row(self.proxy_note)
        return self.network_tab

    @staticmethod
    def _label(text: str, field: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(field)
        named(label, f"{field.objectName()}Label", field.accessibleName())
        return label

    # -- profiles --------------------------------------------------------------

    def current_profile(self) -> EndpointProfile:
        """The profile shown on the Accounts tab."""
        return self._profiles[max(self.profile_list.currentRow(), 0)]

    def _refresh_profile_list(self) -> None:
        row = self.profile_list.currentRow()
        self.profile_list.blockSignals(True)
        self.profile_list.clear()
        for profile in self._profiles:
            self.profile_list.addItem(self._list_text(profile))
        self.profile_list.blockSignals(False)
        if 0 <= row < len(self._profiles):
            self.profile_list.setCurrentRow(row)
        self.remove_profile_button.setEnabled(len(self._profiles) > 1)

    def _show_profile(self, row: int) -> None:
        if not 0 <= row < len(self._profiles):
            return
        profile = self._profiles[row]
        self.name_edit.setText(profile.name)
        self.base_url_edit.setText(profile.base_url)
        self.key_edit.clear()
        self.test_result.clear()
        self.default_button.setEnabled(profile.id != self._default_id)
        self._show_key_status(profile.id)

    def _edit_current_profile(self) -> None:
        row = self.profile_list.currentRow()
        if row < 0:
            return
        self._profiles[row] = dataclasses.replace(
            self._profiles[row],
            name=self.name_edit.text(),
            base_url=tidy_base_url(self.base_url_edit.text()),
        )
        self.profile_list.item(row).setText(self._list_text(self._profiles[row]))

    def _list_text(self, profile: EndpointProfile) -> str:
        """A profile as the list shows it: its name, marked when it is the default."""
        if profile.id == self._default_id:
            return _("{name} (default)").format(name=profile.name)
        return profile.name

    def _add_profile(self) -> None:
        profile = EndpointProfile(new_profile_id(), NEW_PROFILE_NAME, DEFAULT_BASE_URL)
        self._profiles.append(profile)
        self._added_ids.add(profile.id)
        self._key_present[profile.id] = False
        self._refresh_profile_list()
        self.profile_list.setCurrentRow(len(self._profiles) - 1)
        self.name_edit.setFocus()
        self.name_edit.selectAll()

    def _remove_profile(self) -> None:
        profile = self.current_profile()
        question = _(
            "Remove the profile “{name}” and its saved API key?"
            " Your chats stay; this cannot be undone."
        ).format(name=profile.name)
        if len(self._profiles) < 2 or not self._confirm(_("Remove profile"), question):
            return
        row = self.profile_list.currentRow()
        del self._profiles[row]
        self._removed_ids.append(profile.id)
        if profile.id == self._default_id:
            self._default_id = self._profiles[0].id
        self._refresh_profile_list()
        self.profile_list.setCurrentRow(min(row, len(self._profiles) - 1))
        self._show_profile(self.profile_list.currentRow())

    def _make_default(self) -> None:
        self._default_id = self.current_profile().id
        self._refresh_profile_list()
        self.default_button.setEnabled(False)

    # -- keys ------------------------------------------------------------------

    def _show_key_status(self, profile_id: str) -> None:
        present = self._key_present.get(profile_id)
        if present is None:
            text = _("Checking for a saved key…")
        elif present:
            text = _("A key is saved for this profile.")
        else:
            text = _("No key saved for this profile yet.")
        self.key_status.setText(text)
        self.remove_key_button.setEnabled(bool(present))

    def _save_key(self) -> None:
        key = self.key_edit.text().strip()
        if not key:
            self.key_status.setText(_("Paste the new key first, then press Save key."))
            return
        profile_id = self.current_profile().id
        self._keys_sent.add(profile_id)
        self.key_edit.clear()
        self.key_status.setText(_("Saving the key…"))
        self.key_change_requested.emit(profile_id, key)

    def _remove_key(self) -> None:
        profile = self.current_profile()
        question = _(
            "Remove the API key for “{name}”? FoxChat cannot chat with this"
            " endpoint until you paste a key again."
        ).format(name=profile.name)
        if self._confirm(_("Remove API key"), question):
            self.key_status.setText(_("Removing the key…"))
            self.key_removal_requested.emit(profile.id)

    def _request_test(self) -> None:
        profile = self.current_profile()
        problem = check_base_url(profile.base_url)
        if problem is None and not self._insecure_url_accepted(profile):
            problem = _("Use an https:// address, so your key travels encrypted.")
        if problem is not None:
            self.show_test_result(False, problem)
            return
        self.test_button.setEnabled(False)
        self.test_result.setText(_("Testing the connection…"))
        key = self.key_edit.text().strip()
        if key:
            self.test_requested.emit(profile.base_url, key)
        else:
            self.saved_key_test_requested.emit(profile.id, profile.base_url)

    # -- slots -----------------------------------------------------------------

    @Slot(str, bool)
    def set_key_present(self, profile_id: str, present: bool) -> None:
        """Tell the dialog whether ``profile_id`` has a saved key."""
        self._key_present[profile_id] = present
        if self._profiles and self.current_profile().id == profile_id:
            self._show_key_status(profile_id)

    @Slot(str, str)
    def show_key_saved(self, profile_id: str, storage: str) -> None:
        """Confirm a saved key; ``storage`` is a KeyStorage value."""
        self.set_key_present(profile_id, True)
        if self.current_profile().id == profile_id:
            self.key_status.setText(
                _("Key saved in the system keyring.")
                if storage == "keyring"
                else _("Key saved for this session only.")
            )

    @Slot(str)
    def show_key_removed(self, profile_id: str) -> None:
        """Confirm that the profile's key is gone."""
        self.set_key_present(profile_id, False)

    @Slot(bool, str)
    def show_test_result(self, ok: bool, message: str) -> None:
        """Show the outcome of a connection test in plain words."""
        self.test_button.setEnabled(True)
        self.test_result.setProperty("state", "ok" if ok else "error")
        self.test_result.setText(message)

    @Slot(str)
    def show_error(self, message: str) -> None:
        """Show a problem reported by a service (keyring, saving)."""
        self._show_key_status(self.current_profile().id)
        self.error_label.setText(message)

    @Slot(bool)
    def set_keyring_available(self, available: bool) -> None:
        """Say plainly where keys go on this machine."""
        self.keyring_note.setText(
            _("Keys are kept in your system keyring, never in a file.")
            if available
            else _(
                "This computer has no system keyring: keys are kept for this session"
                " only and never written to a file."
            )
        )

    # -- save / cancel ---------------------------------------------------------

    def _problem(self) -> tuple[int, str] | None:
        for row, profile in enumerate(self._profiles):
            if not profile.name.strip():
                return row, _("Every profile needs a name.")
            problem = check_base_url(profile.base_url)
            if problem is not None:
                return row, _("{profile}: {problem}").format(profile=profile.name, problem=problem)
        return None

    def edited_settings(self) -> Settings:
        """The settings as edited so far (window layout and the rest kept as they were)."""
        prices = self.prices.prices()
        return dataclasses.replace(
            self._original,
            profiles=[dataclasses.replace(p, name=p.name.strip()) for p in self._profiles],
            default_profile_id=self._default_id,
            theme=str(self.theme_combo.currentData()),
            font_size=self.font_size_spin.value(),
            default_model=self.model_edit.text().strip() or self._original.default_model,
            auto_title=self.auto_title_check.isChecked(),
            context_limit=self.context_limit_spin.value(),
            image_max_side=self.image_size_spin.value(),
            document_char_limit=self.document_limit_spin.value(),
            model_prices=prices if prices is not None else self._original.model_prices,
            proxy=self.proxy_edit.text().strip(),
            model_overrides=self.model_overrides.overrides(),
            language=str(self.language_combo.currentData()),
        )

    def _save(self) -> None:
        problem = self._problem()
        if problem is not None:
            row, message = problem
            self.tabs.setCurrentIndex(0)
            self.profile_list.setCurrentRow(row)
            self.error_label.setText(message)
            return
        price_problem = self.prices.problem()
        if price_problem is not None:
            self.tabs.setCurrentWidget(self.prices)
            self.error_label.setText(price_problem)
            return
        proxy_problem = check_proxy_url(self.proxy_edit.text())
        if proxy_problem is not None:
            self.tabs.setCurrentWidget(self.network_tab)
            self.proxy_edit.setFocus()
            self.error_label.setText(proxy_problem)
            return
        if not self._insecure_urls_confirmed():
            return
        self.settings_changed.emit(self.edited_settings())
        for profile_id in self._removed_ids:
            self.key_removal_requested.emit(profile_id)
        self.accept()

    def _insecure_urls_confirmed(self) -> bool:
        """Ask before keeping an unencrypted address the user has just typed."""
        for row, profile in enumerate(self._profiles):
            if not self._insecure_url_accepted(profile):
                self.tabs.setCurrentIndex(0)
                self.profile_list.setCurrentRow(row)
                self.error_label.setText(
                    _("{profile}: use an https:// address, or confirm the http:// one.").format(
                        profile=profile.name
                    )
                )
                return False
        return True

    def _insecure_url_accepted(self, profile: EndpointProfile) -> bool:
        """True unless the address is unencrypted, new, and the user says no."""
        question = insecure_base_url_question(profile.base_url)
        url = tidy_base_url(profile.base_url)
        if question is None or url in self._accepted_insecure_urls:
            return True
        question = _("{profile}: {problem}").format(profile=profile.name, problem=question)
        if not self._confirm(_("Unencrypted address"), question):
            return False
        self._accepted_insecure_urls.add(url)
        return True

    def reject(self) -> None:
        """Cancel: drop keys saved for profiles that were added but never kept."""
        for profile_id in sorted(self._added_ids & self._keys_sent):
            self.key_removal_requested.emit(profile_id)
        super().reject()
