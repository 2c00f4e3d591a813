"""The conversation store on SQLite: never loses a chat. Never imports Qt.

Use ``Store.open(path)``; everything it raises is a ``StoreError`` with a
message for people (see ``foxchat.store.errors`` for the tree).
"""

from foxchat.store.errors import (
    ImportFormatError,
    StoreChangedError,
    StoreCorruptError,
    StoreDiskFullError,
    StoreError,
    StoreIOError,
    StoreLockedError,
    StoreNewerVersionError,
    StoreNotFoundError,
    StoreReadOnlyError,
)
from foxchat.store.models import (
    Conversation,
    ConversationSummary,
    ImportResult,
    MessageStatus,
    SearchHit,
    StoredMessage,
)
from foxchat.store.store import Store

__all__ = [
    "Conversation",
    "ConversationSummary",
    "ImportFormatError",
    "ImportResult",
    "MessageStatus",
    "SearchHit",
    "Store",
    "StoreChangedError",
    "StoreCorruptError",
    "StoreDiskFullError",
    "StoreError",
    "StoreIOError",
    "StoreLockedError",
    "StoreNewerVersionError",
    "StoreNotFoundError",
    "StoreReadOnlyError",
    "StoredMessage",
]
