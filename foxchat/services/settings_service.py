"""The settings in use: one object that changes them, saves them and says so.

The composition root used to hold the settings itself, replace them in a
dozen places and reach into other objects to react. Now every change goes
through :class:`SettingsService`, which saves the file (atomically, see
``foxchat.settings``) and emits ``changed(new, old)``; whoever cares (the
theme, the connection, the window) connects to that. A save that fails is
reported through ``failed`` in plain words and the settings stay in use for
this run. No widgets here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject, Signal

from foxchat.api.model_rules import NO_OVERRIDES, Overrides
from foxchat.api.params import GenerationParams
from foxchat.settings import (
    EndpointProfile,
    Settings,
    SettingsError,
    effective_base_url,
    save_settings,
)

Saver = Callable[[Settings], None]


class SettingsService(QObject):
    """Holds the settings in use; every change is saved and announced."""

    #: (new settings, old settings), after the new ones are in use.
    changed = Signal(Settings, Settings)
    #: A save failed; the message says what to do.
    failed = Signal(str)

    def __init__(
        self, settings: Settings, parent: QObject | None = None, *, save: Saver = save_settings
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._save = save

    @property
    def current(self) -> Settings:
        """The settings in use now."""
        return self._settings

    def base_url(self) -> str:
        """The endpoint's address (``FOXCHAT_BASE_URL`` wins over the profile)."""
        return effective_base_url(self._settings)

    def default_profile(self) -> EndpointProfile:
        """The endpoint profile in use."""
        return self._settings.default_profile()

    def context_limit(self) -> int:
        """How many recent messages a request carries (0: all)."""
        return self._settings.context_limit

    def auto_title(self) -> bool:
        """Whether new chats are named after their first exchange."""
        return self._settings.auto_title

    def proxy(self) -> str:
        """The proxy for new connections ("": the environment's, if any)."""
        return self._settings.proxy

    def overrides_for(self, model: str) -> Overrides:
        """What was learnt or chosen for ``model`` on the server in use."""
        return self._settings.model_overrides.get(self.base_url(), {}).get(model, NO_OVERRIDES)

    # -- changes -----------------------------------------------------------

    def _set_overrides(self, model: str, overrides: Overrides) -> None:
        server = self.base_url()
        every = {s: dict(models) for s, models in self._settings.model_overrides.items()}
        models = every.setdefault(server, {})
        if overrides.empty:
            models.pop(model, None)
        else:
            models[model] = overrides
        if not models:
            del every[server]
        self.update(model_overrides=every)

    def remember_refusal(self, model: str, parameter: str, said: str) -> None:
        """The server refused ``parameter`` for ``model``: leave it out from now on."""
        old = self.overrides_for(model)
        self._set_overrides(
            model,
            Overrides(
                refused={**old.refused, parameter: said},
                send_anyway=old.send_anyway - {parameter},
            ),
        )

    def send_anyway(self, model: str, parameter: str, on: bool = True) -> None:
        """Send ``parameter`` to ``model`` although a rule leaves it out (or stop doing so).

        For a parameter this server refused, it only forgets the refusal; a
        built-in rule that also leaves it out then shows, to be overruled on
        its own.
        """
        old = self.overrides_for(model)
        refused = {k: v for k, v in old.refused.items() if k != parameter}
        anyway = old.send_anyway
        if on and parameter not in old.refused:
            anyway = anyway | {parameter}
        elif not on:
            anyway = anyway - {parameter}
        self._set_overrides(model, Overrides(refused=refused, send_anyway=anyway))

    def clear_overrides(self, server: str | None = None, model: str | None = None) -> None:
        """Forget what was learnt and chosen: all, one server's, or one model's there."""
        if server is None:
            self.update(model_overrides={})
            return
        every = {s: dict(models) for s, models in self._settings.model_overrides.items()}
        if model is None:
            every.pop(server, None)
        else:
            every.get(server, {}).pop(model, None)
            if not every.get(server, True):
                del every[server]
        self.update(model_overrides=every)

    def apply(self, settings: Settings) -> None:
        """Use ``settings`` from now on, save them, and announce the change."""
        old, self._settings = self._settings, settings
        try:
            self._save(settings)
        except SettingsError as exc:
            self.failed.emit(exc.user_message)
        if settings != old:
            self.changed.emit(settings, old)

    def update(self, **changes: Any) -> None:
        """Change some fields (``Settings`` field names) and apply."""
        self.apply(replace(self._settings, **changes))

    def update_profile(self, profile: EndpointProfile) -> None:
        """Replace the profile with ``profile``'s id."""
        profiles = [profile if p.id == profile.id else p for p in self._settings.profiles]
        self.update(profiles=profiles)

    def move_profile(self, base_url: str) -> None:
        """Point the profile in use at ``base_url`` (renamed after the host unless named)."""
        self.update_profile(self.default_profile().with_base_url(base_url))

    def remember_model(self, model: str) -> None:
        """New chats on this endpoint start on ``model`` while the server has it."""
        profile = self.default_profile()
        if profile.model != model:
            self.update_profile(replace(profile, model=model))

    def save_defaults(self, model: str, params: GenerationParams) -> None:
        """What new chats start with: this model and these parameters."""
        profile = replace(self.default_profile(), model=model)
        profiles = [profile if p.id == profile.id else p for p in self._settings.profiles]
        self.update(default_model=model, default_params_json=params.to_json(), profiles=profiles)

    def remember_window(
        self,
        geometry: str,
        splitter: str,
        sidebar_visible: bool,
        last_conversation_id: int | None,
    ) -> None:
        """Where the window was and which chat it showed, for the next start."""
        self.update(
            window_geometry=geometry,
            splitter_state=splitter,
            sidebar_visible=sidebar_visible,
            last_conversation_id=last_conversation_id,
        )
