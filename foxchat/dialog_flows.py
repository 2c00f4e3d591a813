"""Wiring between the key/settings dialogs and the account service.

The dialogs only render and emit; ``AccountService`` does the keyring and
network work. Each flow connects one open dialog to the service and
disconnects when the dialog closes, so a late answer from the keyring can
never reach a dialog that is gone. What the user decided is handed back to
the app through plain callbacks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, SignalInstance
from PySide6.QtWidgets import QWidget

from foxchat.secrets import KeyringProblem, KeyStorage, KeyStore, session_only_message
from foxchat.services.account import AccountService
from foxchat.settings import Settings
from foxchat.ui.settings_dialog import SettingsDialog
from foxchat.ui.welcome_dialog import WelcomeDialog


class _Connections:
    """Signal connections that are undone together when a dialog closes."""

    def __init__(self) -> None:
        self._made: list[tuple[SignalInstance, Callable[..., Any]]] = []

    def connect(self, signal: SignalInstance, slot: Callable[..., Any]) -> None:
        signal.connect(slot)
        self._made.append((signal, slot))

    def disconnect_all(self) -> None:
        for signal, slot in self._made:
            signal.disconnect(slot)
        self._made.clear()


class WelcomeFlow(QObject):
    """First run: ask for the key, test it on request, hand it to the app."""

    def __init__(
        self,
        account: AccountService,
        key_store: KeyStore,
        base_url: str,
        on_key: Callable[[str, str, bool], None],
        on_quit: Callable[[], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        # Known by now: the app opens the welcome after trying to read the key.
        self.dialog = WelcomeDialog(
            base_url, keyring_problem=key_store.keyring_problem(), parent=parent
        )
        self._links = _Connections()
        self._links.connect(self.dialog.test_requested, account.test_connection)
        self._links.connect(account.connection_tested, self._on_tested)
        self._links.connect(self.dialog.accepted_key, on_key)
        self._links.connect(self.dialog.quit_requested, on_quit)
        self.dialog.finished.connect(self._close)

    def open(self) -> None:
        """Show the dialog (not modal to the event loop: streaming goes on)."""
        self.dialog.open()

    def _on_tested(self, ok: bool, message: str, _models: list[str]) -> None:
        self.dialog.show_test_result(ok, message)

    def _close(self, _result: int) -> None:
        self._links.disconnect_all()
        self.dialog.deleteLater()
        self.deleteLater()


class SettingsFlow(QObject):
    """Settings: profiles and their keys, appearance, chat defaults."""

    def __init__(
        self,
        account: AccountService,
        key_store: KeyStore,
        settings: Settings,
        on_settings: Callable[[Settings], None],
        on_key_changed: Callable[[str, str | None], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.dialog = SettingsDialog(
            settings, keyring_available=key_store.keyring_problem() is None, parent=parent
        )
        self._account = account
        self._key_store = key_store
        self._on_key_changed = on_key_changed
        self._pending_keys: dict[str, str] = {}
        self._profile_ids = {p.id for p in settings.profiles}
        links = self._links = _Connections()
        links.connect(self.dialog.settings_changed, on_settings)
        links.connect(self.dialog.key_change_requested, self._save_key)
        links.connect(self.dialog.key_removal_requested, account.delete_key)
        links.connect(self.dialog.test_requested, account.test_connection)
        links.connect(self.dialog.saved_key_test_requested, account.test_saved_key)
        links.connect(account.connection_tested, self._on_tested)
        links.connect(account.key_loaded, self._on_key_loaded)
        links.connect(account.key_saved, self._on_key_saved)
        links.connect(account.key_deleted, self._on_key_deleted)
        links.connect(account.failed, self.dialog.show_error)
        self.dialog.finished.connect(self._close)

    def open(self) -> None:
        """Show the dialog and find out which profiles have a saved key."""
        self.dialog.open()
        for profile_id in sorted(self._profile_ids):
            self._account.load_key(profile_id)

    def _save_key(self, profile_id: str, key: str) -> None:
        self._pending_keys[profile_id] = key
        self._account.save_key(profile_id, key)

    def _on_tested(self, ok: bool, message: str, _models: list[str]) -> None:
        self.dialog.show_test_result(ok, message)

    def _on_key_loaded(self, profile_id: str, key: str | None) -> None:
        self.dialog.set_key_present(profile_id, bool(key))

    def _on_key_saved(self, profile_id: str, storage: str) -> None:
        self.dialog.show_key_saved(profile_id, storage)
        key = self._pending_keys.pop(profile_id, None)
        if key is not None:
            self._on_key_changed(profile_id, key)
        if storage == KeyStorage.SESSION:
            problem = self._key_store.keyring_problem() or KeyringProblem.FAILED
            self.dialog.show_error(session_only_message(problem))

    def _on_key_deleted(self, profile_id: str) -> None:
        self.dialog.show_key_removed(profile_id)
        self._on_key_changed(profile_id, None)

    def _close(self, _result: int) -> None:
        # Removals asked for on Save finish after this; they are for profiles
        # that no longer exist, so nothing needs to hear about them.
        self._links.disconnect_all()
        self.dialog.deleteLater()
        self.deleteLater()
