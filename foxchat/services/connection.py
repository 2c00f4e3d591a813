"""The connection in use: its key, its client, and the models it lists.

Before, the composition root held this state itself (whether the key had
been looked up, which models the server listed, what to do when the address
or the proxy changed). :class:`ConnectionService` owns it now and reacts to
``SettingsService.changed`` on its own:

- after the first frame it looks the key up (``look_for_key``); a key found
  is handed to the endpoint, which then lists the models; no key asks the
  window to ask the person (``key_needed``);
- a new address or profile looks the key up again; a new proxy makes a new
  client;
- once the server has listed its models, a new chat starts on the person's
  last pick for this endpoint, else the default, if listed, else on a
  sensible listed model (``services.model_choice``).

No widgets here: the window shows ``notice`` and the models.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from foxchat.i18n import _
from foxchat.logs import SCRUBBER
from foxchat.secrets import KeyringProblem, KeyStorage, KeyStore, session_only_message
from foxchat.services.account import AccountService
from foxchat.services.endpoint import EndpointService
from foxchat.services.model_choice import choose_model
from foxchat.services.settings_service import SettingsService
from foxchat.settings import Settings, effective_base_url, effective_default_model

#: Said once per missing model, when an empty chat moves to a listed one.
MODEL_MISSING = _(
    "This server does not offer {missing}, so new chats use {model}. "
    "You can pick another model in the sidebar."
)


class ConnectionService(QObject):
    """Owns the key state and the model list of the endpoint in use."""

    #: No key is saved for the endpoint: ask the person for one.
    key_needed = Signal()
    #: Something the person should read, in plain words.
    notice = Signal(str)
    #: The endpoint's model ids, sorted ([] when it lists none).
    models_listed = Signal(list)

    def __init__(
        self,
        settings: SettingsService,
        account: AccountService,
        endpoint: EndpointService,
        key_store: KeyStore,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._account = account
        self._endpoint = endpoint
        self._key_store = key_store
        #: The endpoint's model ids ([] until it has listed them).
        self.listed_models: list[str] = []
        self._key_checked = False
        self._told_missing: set[str] = set()
        #: Set while this service itself moves the profile (no second key lookup).
        self._moving_profile = False
        self._connect_signals()

    def _connect_signals(self) -> None:
        self._account.key_loaded.connect(self._on_key_loaded)
        self._account.key_saved.connect(self._on_key_saved)
        self._account.failed.connect(self.notice)
        self._endpoint.models_loaded.connect(self._on_models_loaded)
        self._endpoint.models_failed.connect(self.notice)
        self._settings.changed.connect(self._on_settings_changed)

    # -- keys --------------------------------------------------------------

    def look_for_key(self) -> None:
        """Read the key of the profile in use (off the GUI thread); see the module docstring."""
        self._key_checked = False
        self._account.load_key(self._settings.current.default_profile_id)

    def use_key(self, key: str | None) -> None:
        """Talk to the endpoint with ``key`` (None: there is none) and list its models."""
        self.listed_models = []  # another endpoint or key may list other models
        if key:
            SCRUBBER.secrets.add(key)
        self._endpoint.set_credentials(self._settings.base_url(), key)
        if key:
            self._endpoint.refresh_models()

    def accept_key(self, base_url: str, key: str, session_only: bool) -> None:
        """A key the person typed (welcome window), at ``base_url``."""
        profile = self._settings.default_profile()
        if base_url and base_url != profile.base_url:
            # The key typed here is for the new address: no lookup of the old one.
            self._moving_profile = True
            try:
                self._settings.move_profile(base_url)
            finally:
                self._moving_profile = False
        if session_only:
            self._key_store.remember_for_session(profile.id, key)
        else:
            self._account.save_key(profile.id, key)
        self.use_key(key)

    def profile_key_changed(self, profile_id: str, key: str | None) -> None:
        """A key saved or removed in Settings: use it if that profile is in use."""
        if profile_id == self._settings.current.default_profile_id:
            self.use_key(key)

    def _on_key_loaded(self, profile_id: str, key: str | None) -> None:
        if profile_id != self._settings.current.default_profile_id or self._key_checked:
            return
        self._key_checked = True
        if key:
            self.use_key(key)
        else:
            # Work waiting for the key learns there is none (and says so).
            self._endpoint.set_credentials(self._settings.base_url(), None)
            self.key_needed.emit()

    def _on_key_saved(self, _profile_id: str, storage: str) -> None:
        if storage == KeyStorage.SESSION:
            # The keyring may exist but be locked or not set up: say which.
            problem = self._key_store.keyring_problem() or KeyringProblem.FAILED
            self.notice.emit(session_only_message(problem))

    def _on_settings_changed(self, new: Settings, old: Settings) -> None:
        if self._moving_profile:
            return
        if effective_base_url(new) != effective_base_url(old) or (
            new.default_profile_id != old.default_profile_id
        ):
            self.look_for_key()
        elif new.proxy != old.proxy:
            self.use_key(self._endpoint.api_key)  # a new client, through the new proxy

    # -- models ------------------------------------------------------------

    def refresh_models(self) -> None:
        """Ask the endpoint for its models again."""
        self._endpoint.refresh_models()

    def model_for_new_chat(self) -> str:
        """The person's last model on this endpoint, else the default, if the server has it.

        ``FOXCHAT_MODEL`` comes first. Once the server has listed its models,
        a model it lacks is never used for a new chat: a listed one is chosen.
        """
        s = self._settings.current
        default = effective_default_model(s)
        remembered = s.default_profile().model
        overridden = default != s.default_model
        wanted = [default, remembered] if overridden else [remembered, default]
        wanted = [name for name in wanted if name]
        return choose_model(wanted, self.listed_models) or wanted[0]

    def remember_model(self, model: str) -> None:
        """Keep the person's pick for new chats on this endpoint (if the server has it)."""
        if self.listed_models and model not in self.listed_models:
            return  # a typo or a half-typed name is not a choice to keep
        self._settings.remember_model(model)

    def moved_from(self, missing: str, chosen: str) -> None:
        """An empty chat left ``missing`` for ``chosen``: say so, once per model."""
        if missing not in self._told_missing:
            self._told_missing.add(missing)
            self.notice.emit(MODEL_MISSING.format(missing=missing, model=chosen))

    def _on_models_loaded(self, model_ids: list[str]) -> None:
        self.listed_models = list(model_ids)
        self.models_listed.emit(list(model_ids))
