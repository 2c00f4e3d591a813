"""The names other parts of FoxChat code against are exported from foxchat.store."""

from __future__ import annotations

import foxchat.store
from foxchat.store import MessageStatus, StoreCorruptError, StoreError


def test_public_surface_is_reexported() -> None:
    expected = {
        "Store",
        "StoreError",
        "StoreLockedError",
        "StoreNewerVersionError",
        "StoreCorruptError",
        "StoreDiskFullError",
        "StoreReadOnlyError",
        "StoreNotFoundError",
        "StoreChangedError",
        "ImportFormatError",
        "MessageStatus",
        "ConversationSummary",
        "Conversation",
        "StoredMessage",
        "SearchHit",
        "ImportResult",
    }
    assert expected <= set(foxchat.store.__all__)
    for name in expected:
        assert getattr(foxchat.store, name) is not None


def test_statuses_are_the_five_the_ui_shows() -> None:
    assert [str(s) for s in MessageStatus] == [
        "complete",
        "streaming",
        "stopped",
        "interrupted",
        "error",
    ]


def test_errors_carry_what_happened_and_what_to_do() -> None:
    error = StoreCorruptError("It broke.", "Do this.")
    assert isinstance(error, StoreError)
    assert error.message == "It broke."
    assert error.action == "Do this."
    assert error.user_message == "It broke. Do this."
    assert error.moved_to is None
    assert str(error) == "It broke. Do this."
