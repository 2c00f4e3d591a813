"""What ``ChatService`` keeps about each reply: in flight, unsaved, or as shown live.

Its own module because the service is made before the window's first paint
and these dataclasses are not needed until a reply starts (a dataclass's
methods are generated from source when its class is made).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foxchat.api.accumulate import ReplyAccumulator
    from foxchat.api.params import GenerationParams
    from foxchat.services.stream_pacing import StreamPacer
    from foxchat.services.tasks import OwnedTask
    from foxchat.store import MessageStatus


@dataclass(slots=True)
class ReplyInFlight:
    """What the service tracks for one reply in flight."""

    conversation_id: int
    message_id: int
    task: OwnedTask
    accumulator: ReplyAccumulator
    #: Set once the final state has been saved and announced.
    finished: bool = False
    #: What the reply was asked with, and what came back beside its text
    #: (stored as the message's ``details_json``).
    details: dict[str, Any] | None = None
    #: A column of a comparison: asked with its own model and parameters, and
    #: not the conversation's reply (the chat shows it once it is kept).
    side: bool = False
    model: str | None = None
    params: GenerationParams | None = None
    parent_id: int | None = None
    #: While it streams: the text that arrived but is not handed on yet.
    pacer: StreamPacer | None = None


@dataclass(frozen=True, slots=True)
class UnsavedReply:
    """A finished reply whose final save failed; kept in memory for ``save_again``."""

    conversation_id: int
    message_id: int
    status: MessageStatus
    content: str
    reasoning: str
    finish_reason: str | None
    usage_json: str | None
    error: str | None
    tool_calls_json: str | None
    #: Why it could not be saved, in plain words.
    reason: str
    details_json: str | None = None


@dataclass(frozen=True, slots=True)
class LiveReply:
    """A streaming reply's text so far (newer than what is stored)."""

    message_id: int
    content: str
    reasoning: str
