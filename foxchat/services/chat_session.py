"""Replies: one owned asyncio task per streaming reply, persisted as it streams.

``ChatService`` is the only place that turns a conversation into a request
and a stream of events into stored messages and Qt signals. Widgets never see
the API or the database: they call ``send``/``stop``/``retry`` and render
what the signals say.

Why it is built this way:

- Each reply is one task run by a ``TaskOwner`` (``services.tasks``), which
  keeps a reference to it and holds it until the event loop runs, so a send
  in the first frame is carried out, not lost. Stop, closing the app and
  deleting a conversation cancel it; ``CancelledError`` is the normal way a
  reply ends early, not a crash, and a reply stopped before it started is
  still saved as stopped.
- The client comes from an awaitable provider: a reply asked for before the
  key has been read waits for it rather than failing with "no key".
- The user's message is committed before the request leaves, and the reply's
  row exists before the first token, so a crash loses at most the last
  half-second of text (``PERSIST_INTERVAL``).
- Several conversations may stream at once; signals carry the conversation
  and message ids so a view only applies what belongs to it.
- A save that fails while a reply streams (a full disk, a locked database)
  does not stop the stream. If the final save fails, the whole reply is kept
  in memory as an ``UnsavedReply``, the view says so on the reply, and
  ``save_again`` retries: what is shown never silently differs from what is
  stored.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from contextlib import aclosing
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from foxchat.api import (
    APIError,
    ChatRequest,
    ContentDelta,
    Message,
    ReasoningDelta,
    ReplyAccumulator,
    StreamCutOffError,
    StreamEvent,
    ToolCall,
    ToolCallDelta,
)
from foxchat.api.params import GenerationParams
from foxchat.services.history import build_messages
from foxchat.services.stream_pacing import StreamPacer
from foxchat.services.tasks import LoopGate, OwnedTask, TaskOwner
from foxchat.store import MessageStatus, Store, StoreChangedError, StoreError

if TYPE_CHECKING:
    from foxchat.api import ChatClient

log = logging.getLogger(__name__)

#: The longest a streaming reply goes without its text reaching the disk.
PERSIST_INTERVAL = 0.5

#: The client for a request, once the key is known (None: there is no key).
ClientProvider = Callable[[], Awaitable["ChatClient | None"]]


@dataclass(slots=True)
class _Reply:
    """What the service tracks for one reply in flight."""

    conversation_id: int
    message_id: int
    task: OwnedTask
    accumulator: ReplyAccumulator
    #: Set once the final state has been saved and announced.
    finished: bool = False
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


#: Shown on a reply whose end could not be saved.
UNSAVED_MESSAGE = (
    "This reply is shown in full but could not be saved. {reason} "
    "It is kept until you quit: choose Save again once that is fixed."
)


@dataclass(frozen=True, slots=True)
class LiveReply:
    """A streaming reply's text so far (newer than what is stored)."""

    message_id: int
    content: str
    reasoning: str


class ChatService(QObject):
    """Sends messages, streams replies into the store, and reports progress.

    Signals (conversation id first, so views can ignore other chats):

    - ``message_added(cid, mid)``: a user message or a reply row was stored.
    - ``reply_delta(cid, mid, content, reasoning)``: text that just arrived.
    - ``reply_finished(cid, mid, status)``: a reply ended (``MessageStatus``).
    - ``streaming_changed(cid, streaming)``: Send/Stop state for that chat.
    - ``error(cid, message)``: something the user should read, in plain words.
    - ``reply_unsaved(cid, mid, message)``: the reply's end is only in memory.
    - ``reply_saved(cid, mid)``: a reply that was unsaved is now stored whole.
    """

    message_added = Signal(int, int)
    reply_delta = Signal(int, int, str, str)
    reply_finished = Signal(int, int, str)
    streaming_changed = Signal(int, bool)
    error = Signal(int, str)
    reply_unsaved = Signal(int, int, str)
    reply_saved = Signal(int, int)
    #: (cid, message): another window changed the chat since it was read; nothing was sent.
    history_changed = Signal(int, str)

    def __init__(
        self,
        store: Store,
        client_provider: ClientProvider,
        *,
        context_limit: Callable[[], int] = lambda: 0,
        parent: QObject | None = None,
        gate: LoopGate | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._client_provider = client_provider
        self._context_limit = context_limit
        # _run_reply reports its own errors on the reply; the owner only logs.
        self._tasks = TaskOwner("chat", gate)
        self._replies: dict[int, _Reply] = {}
        self._unsaved: dict[int, UnsavedReply] = {}
        #: reply id -> [first thinking time, first answer time]
        self._thinking: dict[int, list[float | None]] = {}

    # -- queries -----------------------------------------------------------

    def is_streaming(self, conversation_id: int) -> bool:
        """Whether a reply is in flight in that conversation."""
        return conversation_id in self._replies

    def context_limit(self) -> int:
        """How many recent messages a request carries (0: all of them)."""
        return self._context_limit()

    def live_reply(self, conversation_id: int) -> LiveReply | None:
        """The reply streaming in that conversation, with all text so far."""
        reply = self._replies.get(conversation_id)
        if reply is None:
            return None
        acc = reply.accumulator
        content, reasoning = acc.text(0), _reasoning(acc)
        if reply.pacer is not None:  # what is still waiting comes as reply_delta
            content = content[: len(content) - reply.pacer.waiting_content]
            reasoning = reasoning[: len(reasoning) - reply.pacer.waiting_reasoning]
        return LiveReply(reply.message_id, content, reasoning)

    def unsaved_replies(self, conversation_id: int) -> list[UnsavedReply]:
        """Replies in that conversation whose end is only in memory."""
        return [u for u in self._unsaved.values() if u.conversation_id == conversation_id]

    # -- commands ----------------------------------------------------------

    def save_again(self, message_id: int) -> bool:
        """Try again to store an unsaved reply; True once it is stored whole."""
        unsaved = self._unsaved.get(message_id)
        if unsaved is None or not self._store_final(unsaved):
            return False
        del self._unsaved[message_id]
        self.reply_saved.emit(unsaved.conversation_id, message_id)
        return True

    def send(
        self, conversation_id: int, text: str, *, expected_last_id: int | None = None
    ) -> int | None:
        """Store the user's message and start a reply; returns the message id.

        Returns None when nothing was sent (empty text, a reply already in
        flight, or the store refused the write, which is reported).

        ``expected_last_id`` is the last message the caller shows (0: none).
        The message then answers exactly that, and only if it is still the end
        of the chat: when another window has written or switched branches since,
        ``history_changed`` is emitted instead and nothing is written.
        """
        text = text.strip()
        if not text or self.is_streaming(conversation_id):
            return None
        try:
            if expected_last_id is None:
                path = self._store.active_path(conversation_id)
                parent = path[-1].id if path else None
            else:
                parent = expected_last_id or None
            message_id = self._store.add_message(
                conversation_id,
                parent_id=parent,
                role="user",
                content=text,
                only_at_end=expected_last_id is not None,
            )
        except StoreChangedError as exc:
            self.history_changed.emit(conversation_id, exc.user_message)
            return None
        except StoreError as exc:
            self.error.emit(conversation_id, exc.user_message)
            return None
        self.message_added.emit(conversation_id, message_id)
        self._start_reply(conversation_id, message_id)
        return message_id

    def retry(self, conversation_id: int, *, expected_last_id: int | None = None) -> bool:
        """Ask again for the reply to the last message on the active branch.

        A failed reply with no text is replaced; one with text is kept as an
        alternative, since the user may want what arrived before it broke.
        ``expected_last_id`` works as in ``send``.
        """
        if self.is_streaming(conversation_id):
            return False
        try:
            path = self._store.active_path(conversation_id)
            if expected_last_id is not None and (path[-1].id if path else 0) != expected_last_id:
                raise StoreChangedError(
                    "This chat was changed in another FoxChat window, so it was not retried.",
                    "The chat now shows the newest messages: read them, then retry if you "
                    "still want a new reply.",
                )
            if not path:
                return False
            last = path[-1]
            if last.role == "assistant":
                if last.status is MessageStatus.ERROR and not last.content:
                    self._store.delete_message(last.id)
                if last.parent_id is None:
                    return False
                parent_id = last.parent_id
            else:
                parent_id = last.id
        except StoreChangedError as exc:
            self.history_changed.emit(conversation_id, exc.user_message)
            return False
        except StoreError as exc:
            self.error.emit(conversation_id, exc.user_message)
            return False
        self._start_reply(conversation_id, parent_id)
        return True

    def regenerate(self, conversation_id: int, message_id: int) -> bool:
        """A new answer beside an assistant reply; the old one stays reachable."""
        if self.is_streaming(conversation_id):
            return False
        try:
            reply = self._store.get_message(message_id)
        except StoreError as exc:
            self.error.emit(conversation_id, exc.user_message)
            return False
        if reply.parent_id is None:
            return False
        self._start_reply(conversation_id, reply.parent_id)
        return True

    def edit_and_resend(self, conversation_id: int, message_id: int, text: str) -> int | None:
        """Send an edited user message as a new branch beside the original."""
        text = text.strip()
        if not text or self.is_streaming(conversation_id):
            return None
        try:
            original = self._store.get_message(message_id)
            new_id = self._store.add_message(
                conversation_id, parent_id=original.parent_id, role="user", content=text
            )
        except StoreError as exc:
            self.error.emit(conversation_id, exc.user_message)
            return None
        self.message_added.emit(conversation_id, new_id)
        self._start_reply(conversation_id, new_id)
        return new_id

    def send_tool_results(
        self, conversation_id: int, reply_id: int, results: Sequence[tuple[str, str]]
    ) -> bool:
        """Store one ``tool`` message per (tool_call_id, result), then continue."""
        if not results or self.is_streaming(conversation_id):
            return False
        parent = reply_id
        try:
            for call_id, result in results:
                parent = self._store.add_message(
                    conversation_id,
                    parent_id=parent,
                    role="tool",
                    content=result,
                    tool_call_id=call_id,
                )
                self.message_added.emit(conversation_id, parent)
        except StoreError as exc:
            self.error.emit(conversation_id, exc.user_message)
            return False
        self._start_reply(conversation_id, parent)
        return True

    def preview_request(self, conversation_id: int, text: str) -> ChatRequest:
        """The exact request the next send of ``text`` would make (for curl).

        Raises ``ParameterError`` for a parameter out of range, and
        ``StoreError`` when the conversation cannot be read.
        """
        conversation = self._store.get_conversation(conversation_id)
        path = self._store.active_path(conversation_id)
        messages = build_messages(conversation.system_prompt, path, limit=self._context_limit())
        if text.strip():
            messages.append(Message(role="user", content=text.strip()))
        params = GenerationParams.from_json(conversation.params_json)
        request = ChatRequest.from_params(conversation.model, messages, params)
        request.validate()
        return request

    def stop(self, conversation_id: int) -> None:
        """Stop the reply in that conversation, keeping what arrived."""
        reply = self._replies.get(conversation_id)
        if reply is not None:
            reply.task.cancel()

    async def shutdown(self) -> None:
        """Cancel every reply and wait until each has saved what it had."""
        await self._tasks.shutdown()

    # -- the reply task ----------------------------------------------------

    def _start_reply(self, conversation_id: int, parent_id: int) -> None:
        try:
            conversation = self._store.get_conversation(conversation_id)
            reply_id = self._store.add_message(
                conversation_id,
                parent_id=parent_id,
                role="assistant",
                status=MessageStatus.STREAMING,
                model=conversation.model,
            )
        except StoreError as exc:
            self.error.emit(conversation_id, exc.user_message)
            return
        acc = ReplyAccumulator()
        task = self._tasks.start(
            lambda: self._run_reply(conversation_id, reply_id, acc),
            name=f"reply-{conversation_id}-{reply_id}",
        )
        self._replies[conversation_id] = _Reply(conversation_id, reply_id, task, acc)
        task.add_done_callback(lambda _t: self._forget(conversation_id, reply_id))
        self.message_added.emit(conversation_id, reply_id)
        self.streaming_changed.emit(conversation_id, True)

    def _forget(self, conversation_id: int, reply_id: int) -> None:
        reply = self._replies.get(conversation_id)
        if reply is None or reply.message_id != reply_id:
            return
        if not reply.finished:
            # Dropped before it ran (quit before the loop started): keep the
            # row honest rather than "streaming" for ever.
            self._finish(conversation_id, reply, MessageStatus.STOPPED, None)
        del self._replies[conversation_id]
        self.streaming_changed.emit(conversation_id, False)

    def _finish(
        self, conversation_id: int, reply: _Reply, status: MessageStatus, error_text: str | None
    ) -> None:
        reply.finished = True
        self._save_final(conversation_id, reply.message_id, reply.accumulator, status, error_text)
        if error_text:
            self.error.emit(conversation_id, error_text)
        self.reply_finished.emit(conversation_id, reply.message_id, status.value)

    async def _run_reply(self, conversation_id: int, reply_id: int, acc: ReplyAccumulator) -> None:
        import asyncio

        status = MessageStatus.COMPLETE
        error_text: str | None = None
        try:
            request = self._build_request(conversation_id, reply_id)
            client = await self._client_provider()
            if client is None:
                raise _NoKeyError
            if request.stream:
                await self._stream(client, request, acc, conversation_id, reply_id)
            else:
                completion = await client.complete(request)
                acc.choices.update(completion.choices)
                acc.usage = completion.usage
                self.reply_delta.emit(conversation_id, reply_id, acc.text(0), _reasoning(acc))
        except asyncio.CancelledError:
            status = MessageStatus.STOPPED
        except StreamCutOffError as exc:
            status, error_text = MessageStatus.ERROR, exc.user_message
        except APIError as exc:
            status, error_text = MessageStatus.ERROR, exc.user_message
        except _NoKeyError:
            status = MessageStatus.ERROR
            error_text = "No API key is set. Open Settings (Ctrl+,) and paste your key."
        except StoreError as exc:
            status, error_text = MessageStatus.ERROR, exc.user_message
        except Exception as exc:  # a bug: keep the app and the text alive, log it
            log.exception("reply %s failed unexpectedly", reply_id)
            status = MessageStatus.ERROR
            error_text = f"Something went wrong inside FoxChat ({type(exc).__name__})."
        reply = self._replies.get(conversation_id)
        if reply is not None and reply.message_id == reply_id:
            self._finish(conversation_id, reply, status, error_text)

    async def _stream(
        self,
        client: ChatClient,
        request: ChatRequest,
        acc: ReplyAccumulator,
        conversation_id: int,
        reply_id: int,
    ) -> None:
        # Text goes out once a frame at most, not once per chunk (see stream_pacing).
        pacer = StreamPacer(partial(self.reply_delta.emit, conversation_id, reply_id))
        reply = self._replies.get(conversation_id)
        if reply is not None and reply.message_id == reply_id:
            reply.pacer = pacer
        try:
            await self._read_stream(client, request, acc, pacer, reply_id)
        finally:
            pacer.flush()  # what is shown is what is kept, however the stream ended
            if reply is not None:
                reply.pacer = None

    async def _read_stream(
        self,
        client: ChatClient,
        request: ChatRequest,
        acc: ReplyAccumulator,
        pacer: StreamPacer,
        reply_id: int,
    ) -> None:
        last_write = time.monotonic()
        # aclosing: a stopped reply closes the HTTP stream now, on this loop,
        # rather than whenever the garbage collector finds the generator.
        async with aclosing(client.stream_chat(request)) as events:
            async for event in events:
                self._on_event(event, acc, pacer, reply_id)
                now = time.monotonic()
                if now - last_write >= PERSIST_INTERVAL:
                    last_write = now
                    try:
                        self._store.update_streaming_text(reply_id, acc.text(0), _reasoning(acc))
                    except StoreError as exc:
                        # The stream goes on; the final save tries again, and
                        # says so on the reply if it fails too.
                        log.warning("reply %s: saving while streaming failed: %s", reply_id, exc)
                await pacer.after_event()

    def _on_event(
        self, event: StreamEvent, acc: ReplyAccumulator, pacer: StreamPacer, reply_id: int
    ) -> None:
        acc.feed(event)
        if isinstance(event, ContentDelta) and event.choice == 0:
            self._thinking_ended(reply_id)
            pacer.add(content=event.text)
        elif isinstance(event, ReasoningDelta) and event.choice == 0:
            self._thinking.setdefault(reply_id, [time.monotonic(), None])
            pacer.add(reasoning=event.text)
        elif isinstance(event, ToolCallDelta):
            self._thinking_ended(reply_id)

    def _thinking_ended(self, reply_id: int) -> None:
        clock = self._thinking.get(reply_id)
        if clock is not None and clock[1] is None:
            clock[1] = time.monotonic()

    def _usage_json(self, reply_id: int, acc: ReplyAccumulator) -> str | None:
        """Token usage, plus how long the model thought, as stored with the reply."""
        data: dict[str, float] = {}
        if acc.usage is not None:
            data = {
                "prompt_tokens": acc.usage.prompt_tokens,
                "completion_tokens": acc.usage.completion_tokens,
                "total_tokens": acc.usage.total_tokens,
            }
        clock = self._thinking.pop(reply_id, None)
        if clock is not None and clock[0] is not None:
            ended = clock[1] if clock[1] is not None else time.monotonic()
            data["thinking_seconds"] = round(ended - clock[0], 1)
        return json.dumps(data) if data else None

    def _build_request(self, conversation_id: int, reply_id: int) -> ChatRequest:
        conversation = self._store.get_conversation(conversation_id)
        path = self._store.active_path(conversation_id)
        history = [m for m in path if m.id != reply_id]
        messages = build_messages(conversation.system_prompt, history, limit=self._context_limit())
        params = GenerationParams.from_json(conversation.params_json)
        request = ChatRequest.from_params(conversation.model, messages, params)
        request.validate()
        return request

    def _save_final(
        self,
        conversation_id: int,
        reply_id: int,
        acc: ReplyAccumulator,
        status: MessageStatus,
        error_text: str | None,
    ) -> None:
        first = acc.choices.get(0)
        final = UnsavedReply(
            conversation_id,
            reply_id,
            status,
            acc.text(0),
            _reasoning(acc),
            first.finish_reason if first else None,
            self._usage_json(reply_id, acc),
            error_text,
            _tool_calls_json(first.tool_calls) if first else None,
            reason="",
        )
        if not self._store_final(final):
            return
        try:
            self._save_extra_choices(conversation_id, reply_id, acc, final.status)
        except StoreError as exc:
            self.error.emit(conversation_id, exc.user_message)

    def _store_final(self, final: UnsavedReply) -> bool:
        """Store a reply's end; if that fails, keep it in memory and say so on the reply."""
        try:
            self._store.finish_message(
                final.message_id,
                status=final.status,
                content=final.content,
                reasoning=final.reasoning,
                finish_reason=final.finish_reason,
                usage_json=final.usage_json,
                error=final.error,
                tool_calls_json=final.tool_calls_json,
            )
        except StoreError as exc:
            self._unsaved[final.message_id] = replace(final, reason=exc.user_message)
            message = UNSAVED_MESSAGE.format(reason=exc.user_message)
            self.reply_unsaved.emit(final.conversation_id, final.message_id, message)
            return False
        return True

    def _save_extra_choices(
        self, conversation_id: int, reply_id: int, acc: ReplyAccumulator, status: MessageStatus
    ) -> None:
        """With n > 1, answers 2..n become alternatives beside the first.

        An answer the server finished is complete; one cut short by a stop or
        an error takes the first answer's status, never "complete".
        """
        extra = sorted(index for index in acc.choices if index != 0)
        if not extra:
            return
        reply = self._store.get_message(reply_id)
        for index in extra:
            choice = acc.choices[index]
            done = MessageStatus.COMPLETE if choice.finish_reason else status
            mid = self._store.add_message(
                conversation_id,
                parent_id=reply.parent_id,
                role="assistant",
                content=choice.content,
                reasoning=choice.reasoning,
                status=MessageStatus.COMPLETE,
                model=reply.model,
                tool_calls_json=_tool_calls_json(choice.tool_calls),
            )
            self._store.finish_message(mid, status=done, finish_reason=choice.finish_reason)
        # The first answer stays the one shown and sent as history.
        self._store.set_active(reply_id)


class _NoKeyError(Exception):
    """No client could be made because no key is known yet."""


def _reasoning(acc: ReplyAccumulator) -> str:
    first = acc.choices.get(0)
    return first.reasoning if first else ""


def _tool_calls_json(calls: Sequence[ToolCall]) -> str | None:
    if not calls:
        return None
    return json.dumps([{"id": c.id, "name": c.name, "arguments": c.arguments} for c in calls])
