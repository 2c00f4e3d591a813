"""One root for every error a person reads, and the tree drawn once (foxchat/errors.py)."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest

from foxchat import errors
from foxchat.api.errors import APIError, RateLimitError, ServerError
from foxchat.attachments import AttachmentError
from foxchat.errors import FoxChatError
from foxchat.presets import BUILTIN_PRESETS, PresetError, PresetStore
from foxchat.secrets import KeyStoreError
from foxchat.settings import Settings, SettingsError, save_settings
from foxchat.store.errors import StoreCorruptError, StoreError, StoreNotFoundError

#: The one base each layer's errors share, and the module that draws its leaves.
LAYER_BASES: dict[type[FoxChatError], str] = {
    APIError: "foxchat.api.errors",
    StoreError: "foxchat.store.errors",
    KeyStoreError: "foxchat.secrets",
    SettingsError: "foxchat.settings",
    PresetError: "foxchat.presets",
    AttachmentError: "foxchat.attachments.errors",
}


@pytest.mark.parametrize("base", list(LAYER_BASES), ids=lambda c: c.__name__)
def test_each_layer_base_is_a_foxchat_error(base: type[FoxChatError]) -> None:
    assert issubclass(base, FoxChatError)
    assert base.__bases__ == (FoxChatError,)


def test_the_root_draws_every_branch_and_each_layer_draws_its_leaves() -> None:
    root_doc = inspect.getdoc(errors) or ""
    assert {c.__name__ for c in FoxChatError.__subclasses__()} == {c.__name__ for c in LAYER_BASES}
    for base, module_name in LAYER_BASES.items():
        assert base.__name__ in root_doc
        layer_doc = inspect.getdoc(importlib.import_module(module_name)) or ""
        for leaf in base.__subclasses__():
            assert leaf.__name__ in layer_doc, f"{leaf.__name__} is not drawn in {module_name}"


def test_user_message_is_the_text_a_person_reads_in_every_layer() -> None:
    found = [
        APIError("It broke.", action="Try later."),
        RateLimitError(retry_after=3),
        ServerError(status=502),
        StoreCorruptError("The file is damaged.", moved_to=Path("x.broken")),
        StoreNotFoundError("That chat is gone."),
        KeyStoreError("The keyring is locked. Unlock it, then try again."),
        SettingsError("FoxChat could not save your settings."),
        PresetError("There is no preset called “x”."),
        AttachmentError("The file a.txt is empty (0 bytes), so there is nothing to attach."),
    ]
    for error in found:
        assert isinstance(error, FoxChatError)
        assert error.user_message
        assert str(error) == error.user_message


def test_one_except_catches_a_real_settings_and_preset_failure(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where a folder should be", encoding="utf-8")
    caught: list[str] = []
    try:
        save_settings(Settings(), blocked / "settings.json")
    except FoxChatError as error:
        caught.append(error.user_message)
    store = PresetStore(blocked / "presets.json")
    try:
        store.delete(BUILTIN_PRESETS[0].name)
    except FoxChatError as error:
        caught.append(error.user_message)
    assert len(caught) == 2
    assert "could not save your settings" in caught[0]
    assert "cannot be deleted" in caught[1]
