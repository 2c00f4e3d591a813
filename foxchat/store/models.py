"""Plain records the store hands out: no behaviour, no database handles."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from foxchat.i18n import _


class MessageStatus(StrEnum):
    """Where a message is in its life; only ``streaming`` is still changing."""

    COMPLETE = "complete"
    STREAMING = "streaming"
    STOPPED = "stopped"
    INTERRUPTED = "interrupted"
    ERROR = "error"

    @property
    def label(self) -> str:
        """The status in the person's language, as exports print it ("This reply stopped")."""
        labels = {
            MessageStatus.COMPLETE: _("complete"),
            MessageStatus.STREAMING: _("streaming"),
            MessageStatus.STOPPED: _("stopped"),
            MessageStatus.INTERRUPTED: _("interrupted"),
            MessageStatus.ERROR: _("error"),
        }
        return labels[self]


@dataclass(frozen=True, slots=True)
class ConversationSummary:
    """One row of the conversation list."""

    id: int
    title: str
    updated_at: float
    pinned: bool
    model: str


@dataclass(frozen=True, slots=True)
class Conversation:
    """A conversation's own settings (its messages come from ``active_path``)."""

    id: int
    title: str
    created_at: float
    updated_at: float
    pinned: bool
    model: str
    system_prompt: str
    params_json: str
    draft: str


@dataclass(frozen=True, slots=True)
class StoredMessage:
    """One node of a conversation's message tree."""

    id: int
    conversation_id: int
    parent_id: int | None
    role: str
    content: str
    reasoning: str
    tool_calls_json: str | None
    tool_call_id: str | None
    model: str | None
    finish_reason: str | None
    usage_json: str | None
    status: MessageStatus
    error: str | None
    created_at: float
    #: What the reply was made with and what came back beside its text (JSON
    #: object; None when not recorded, as for replies made before version 4).
    details_json: str | None = None


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A search result, best first.

    ``message_id`` is None when the title matched. ``snippet`` marks each match
    between "\\x02" and "\\x03" so the UI can escape the text and then highlight.
    ``rank`` is SQLite's bm25 score: smaller is better.
    """

    conversation_id: int
    message_id: int | None
    title: str
    snippet: str
    rank: float


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import added, and what it left out and why."""

    conversations: int
    messages: int
    #: conversations left out because the same chat is already in the store
    already_there: int = 0
    #: messages whose order in the file went round in a circle, placed from a reply list
    repaired_messages: int = 0
    #: messages left out because their order in the file is broken
    skipped_messages: int = 0
    #: conversations left out because none of their messages could be placed
    empty_conversations: int = 0
