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
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Signal

from foxchat.api.errors import APIError, StreamCutOffError
from foxchat.api.model_rules import NO_OVERRIDES, NotSent, Overrides
from foxchat.api.params import GenerationParams
from foxchat.attachments import Attachment
from foxchat.i18n import _
from foxchat.services.history import build_messages
from foxchat.services.reply_details import refusal_of
from foxchat.services.stream_pacing import StreamPacer
from foxchat.services.tasks import LoopGate, TaskOwner
from foxchat.store import MessageStatus, Store, StoreChangedError, StoredMessage, StoreError

# The request, the stream's events and the accumulator are imported where a
# reply is built or streamed: the window is made (and painted) before any of
# them is needed, and loading them cost the first paint ~30M instructions.
if TYPE_CHECKING:
    from foxchat.api import ChatClient
    from foxchat.api.accumulate import ReplyAccumulator
    from foxchat.api.events import TokenChoice
    from foxchat.api.messages import ToolCall
    from foxchat.api.request import ChatRequest
    from foxchat.services.reply_records import LiveReply, ReplyInFlight, UnsavedReply

log = logging.getLogger(__name__)

#: The longest a streaming reply goes without its text reaching the disk.
PERSIST_INTERVAL = 0.5

#: The client for a request, once the key is known (None: there is no key).
ClientProvider = Callable[[], Awaitable["ChatClient | None"]]

#: Added to a refusal that names one parameter; the reply offers "Send without it".
REFUSED_ADVICE = _(
    "The server refused {parameter} for {model}. Choose “Send without {parameter}” to "
    "send again without it; FoxChat will then leave it out for {model} on this server "
    "(Settings lists what it learnt)."
)


class ModelOverrides(Protocol):
    """Where what was learnt about each model on the server in use is kept."""

    def overrides_for(self, model: str) -> Overrides: ...

    def remember_refusal(self, model: str, parameter: str, said: str) -> None: ...


class _NoOverrides:
    """Nothing learnt and nothing kept (tests and tools without settings)."""

    def overrides_for(self, model: str) -> Overrides:
        return NO_OVERRIDES

    def remember_refusal(self, model: str, parameter: str, said: str) -> None:
        return None


#: Shown on a reply whose end could not be saved.
UNSAVED_MESSAGE = _(
    "This reply is shown in full but could not be saved. {reason} "
    "It is kept until you quit: choose Save again once that is fixed."
)


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
    #: (cid, reply id): the model refused the images of the message this reply answers.
    images_refused = Signal(int, int)

    def __init__(
        self,
        store: Store,
        client_provider: ClientProvider,
        *,
        context_limit: Callable[[], int] = lambda: 0,
        image_detail: Callable[[], str] = lambda: "auto",
        parent: QObject | None = None,
        gate: LoopGate | None = None,
        overrides: ModelOverrides | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._overrides: ModelOverrides = overrides or _NoOverrides()
        self._client_provider = client_provider
        self._context_limit = context_limit
        self._image_detail = image_detail
        # _run_reply reports its own errors on the reply; the owner only logs.
        self._tasks = TaskOwner("chat", gate)
        #: Every reply in flight by its message id; ``_main`` names the one
        #: each conversation's chat shows (comparison columns are the others).
        self._replies: dict[int, ReplyInFlight] = {}
        self._main: dict[int, int] = {}
        self._unsaved: dict[int, UnsavedReply] = {}
        #: reply id -> [first thinking time, first answer time]
        self._thinking: dict[int, list[float | None]] = {}
        #: reply id -> when it was asked for, and when its first word came.
        self._asked_at: dict[int, float] = {}
        self._first_word_at: dict[int, float] = {}

    # -- queries -----------------------------------------------------------

    def is_streaming(self, conversation_id: int) -> bool:
        """Whether a reply (or a comparison) is in flight in that conversation."""
        return any(r.conversation_id == conversation_id for r in self._replies.values())

    def is_comparing(self, conversation_id: int) -> bool:
        """Whether comparison columns are in flight in that conversation."""
        return any(r.side and r.conversation_id == conversation_id for r in self._replies.values())

    def context_limit(self) -> int:
        """How many recent messages a request carries (0: all of them)."""
        return self._context_limit()

    def live_reply(self, conversation_id: int) -> LiveReply | None:
        """The reply streaming in that conversation, with all text so far."""
        reply = self._replies.get(self._main.get(conversation_id, 0))
        if reply is None:
            return None
        acc = reply.accumulator
        content, reasoning = acc.text(0), _reasoning(acc)
        if reply.pacer is not None:  # what is still waiting comes as reply_delta
            content = content[: len(content) - reply.pacer.waiting_content]
            reasoning = reasoning[: len(reasoning) - reply.pacer.waiting_reasoning]
        from foxchat.services.reply_records import LiveReply

        return LiveReply(reply.message_id, content, reasoning)

    def live_tokens(self, reply_id: int) -> list[TokenChoice] | None:
        """A streaming reply's token probabilities so far, in place (None: not streaming)."""
        reply = self._replies.get(reply_id)
        first = reply.accumulator.choices.get(0) if reply is not None else None
        return None if first is None else first.logprobs

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
        self,
        conversation_id: int,
        text: str,
        *,
        expected_last_id: int | None = None,
        attachments: Sequence[Attachment] = (),
    ) -> int | None:
        """Store the user's message (with its ``attachments``) and start a reply.

        Returns the message id, or None when nothing was sent (no text and no
        attachment, a reply already in flight, or the store refused the
        write, which is reported).

        ``expected_last_id`` is the last message the caller shows (0: none).
        The message then answers exactly that, and only if it is still the end
        of the chat: when another window has written or switched branches since,
        ``history_changed`` is emitted instead and nothing is written.
        """
        message_id = self._add_question(conversation_id, text, expected_last_id, attachments)
        if message_id is not None:
            self._start_reply(conversation_id, message_id)
        return message_id

    def send_to_compare(
        self,
        conversation_id: int,
        text: str,
        columns: Sequence[tuple[str, GenerationParams]],
        *,
        expected_last_id: int | None = None,
        attachments: Sequence[Attachment] = (),
    ) -> tuple[int, list[int]] | None:
        """Store the user's message (with its ``attachments``) and ``compare`` answers to it.

        Returns (message id, reply ids). Every column sends the same content parts.
        """
        if not columns:
            return None
        message_id = self._add_question(conversation_id, text, expected_last_id, attachments)
        if message_id is None:
            return None
        return message_id, self.compare(conversation_id, message_id, columns)

    def _add_question(
        self,
        conversation_id: int,
        text: str,
        expected_last_id: int | None,
        attachments: Sequence[Attachment] = (),
    ) -> int | None:
        """Store a user message at the end of the chat (see ``send``); None if not."""
        text = text.strip()
        if (not text and not attachments) or self.is_streaming(conversation_id):
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
                attachments=attachments,
            )
        except StoreChangedError as exc:
            self.history_changed.emit(conversation_id, exc.user_message)
            return None
        except StoreError as exc:
            self.error.emit(conversation_id, exc.user_message)
            return None
        self.message_added.emit(conversation_id, message_id)
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
                    _("This chat was changed in another FoxChat window, so it was not retried."),
                    _(
                        "The chat now shows the newest messages: read them, then retry if you "
                        "still want a new reply."
                    ),
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

    def send_without(self, conversation_id: int, message_id: int) -> bool:
        """Leave out the parameter the server refused for reply ``message_id``, and retry.

        The refusal is remembered for that model on this server, so later
        sends leave it out too (until cleared in Settings).
        """
        reply = self._idle_message(conversation_id, message_id)
        if reply is None:
            return False
        refusal = refusal_of(reply.details_json)
        if refusal is None:
            return False
        model, parameter, said = refusal
        self._overrides.remember_refusal(model, parameter, said)
        return self.retry(conversation_id)

    def _idle_message(self, conversation_id: int, message_id: int) -> StoredMessage | None:
        """A stored message to act on, while nothing streams in its chat (else None)."""
        if self.is_streaming(conversation_id):
            return None
        try:
            return self._store.get_message(message_id)
        except StoreError as exc:
            self.error.emit(conversation_id, exc.user_message)
            return None

    def regenerate(self, conversation_id: int, message_id: int) -> bool:
        """A new answer beside an assistant reply; the old one stays reachable."""
        reply = self._idle_message(conversation_id, message_id)
        if reply is None or reply.parent_id is None:
            return False
        self._start_reply(conversation_id, reply.parent_id)
        return True

    def edit_and_resend(self, conversation_id: int, message_id: int, text: str) -> int | None:
        """Send an edited user message as a new branch beside the original.

        The new version keeps the original's attachments: editing changes the words.
        """
        text = text.strip()
        if not text or self.is_streaming(conversation_id):
            return None
        try:
            original = self._store.get_message(message_id)
            new_id = self._store.add_message(
                conversation_id,
                parent_id=original.parent_id,
                role="user",
                content=text,
                attachments=self._store.attachments([message_id]).get(message_id, ()),
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

    def preview_request(
        self, conversation_id: int, text: str, attachments: Sequence[Attachment] = ()
    ) -> ChatRequest:
        """The exact request the next send of ``text`` with ``attachments`` would make (for curl).

        Raises ``ParameterError`` for a parameter out of range, and
        ``StoreError`` when the conversation cannot be read.
        """
        from foxchat.api.content import user_message
        from foxchat.api.request import ChatRequest

        conversation = self._store.get_conversation(conversation_id)
        path = self._store.active_path(conversation_id)
        messages = build_messages(
            conversation.system_prompt,
            path,
            limit=self._context_limit(),
            attachments=self._store.attachments(m.id for m in path if m.role == "user"),
            detail=self._image_detail(),
        )
        if text.strip() or attachments:
            messages.append(user_message(text.strip(), attachments, detail=self._image_detail()))
        params = GenerationParams.from_json(conversation.params_json)
        model = conversation.model
        request = ChatRequest.from_params(
            model, messages, params, overrides=self._overrides.overrides_for(model)
        )
        request.validate()
        return request

    def stop(self, conversation_id: int) -> None:
        """Stop every reply in that conversation (comparisons too), keeping what arrived."""
        for reply in list(self._replies.values()):
            if reply.conversation_id == conversation_id:
                reply.task.cancel()

    def stop_reply(self, reply_id: int) -> None:
        """Stop one reply (a comparison's column), keeping what arrived."""
        reply = self._replies.get(reply_id)
        if reply is not None:
            reply.task.cancel()

    def compare(
        self,
        conversation_id: int,
        question_id: int,
        columns: Sequence[tuple[str, GenerationParams]],
    ) -> list[int]:
        """Answer ``question_id`` once per column, each with its own model and parameters.

        The answers stream in parallel as alternatives ‹ i/n › of the question;
        each can be stopped on its own (``stop_reply``), and one failing does
        not stop the others. Returns the reply ids in column order (empty when
        nothing was started: a reply already in flight, or the store refused).
        """
        if self.is_streaming(conversation_id) or not columns:
            return []
        started: list[int] = []
        for model, params in columns:
            reply_id = self._start_reply(
                conversation_id, question_id, model=model, params=params, side=True
            )
            if reply_id is None:
                break
            started.append(reply_id)
        return started

    async def shutdown(self) -> None:
        """Cancel every reply and wait until each has saved what it had."""
        await self._tasks.shutdown()

    # -- the reply task ----------------------------------------------------

    def _start_reply(
        self,
        conversation_id: int,
        parent_id: int,
        *,
        model: str | None = None,
        params: GenerationParams | None = None,
        side: bool = False,
    ) -> int | None:
        was_streaming = self.is_streaming(conversation_id)
        try:
            if model is None:
                model = self._store.get_conversation(conversation_id).model
            reply_id = self._store.add_message(
                conversation_id,
                parent_id=parent_id,
                role="assistant",
                status=MessageStatus.STREAMING,
                model=model,
            )
        except StoreError as exc:
            self.error.emit(conversation_id, exc.user_message)
            return None
        from foxchat.api.accumulate import ReplyAccumulator
        from foxchat.services.reply_records import ReplyInFlight

        acc = ReplyAccumulator()
        task = self._tasks.start(
            lambda: self._run_reply(conversation_id, reply_id, acc),
            name=f"reply-{conversation_id}-{reply_id}",
        )
        self._replies[reply_id] = ReplyInFlight(
            conversation_id,
            reply_id,
            task,
            acc,
            side=side,
            model=model,
            params=params,
            parent_id=parent_id,
        )
        if not side:
            self._main[conversation_id] = reply_id
        task.add_done_callback(lambda _t: self._forget(conversation_id, reply_id))
        if not side:
            self.message_added.emit(conversation_id, reply_id)
        if not was_streaming:
            self.streaming_changed.emit(conversation_id, True)
        return reply_id

    def _forget(self, conversation_id: int, reply_id: int) -> None:
        reply = self._replies.get(reply_id)
        if reply is None:
            return
        if not reply.finished:
            # Dropped before it ran (quit before the loop started): keep the
            # row honest rather than "streaming" for ever.
            self._finish(conversation_id, reply, MessageStatus.STOPPED, None)
        del self._replies[reply_id]
        if self._main.get(conversation_id) == reply_id:
            del self._main[conversation_id]
        if not self.is_streaming(conversation_id):
            self.streaming_changed.emit(conversation_id, False)

    def _finish(
        self,
        conversation_id: int,
        reply: ReplyInFlight,
        status: MessageStatus,
        error_text: str | None,
    ) -> None:
        reply.finished = True
        self._save_final(conversation_id, reply.message_id, reply.accumulator, status, error_text)
        if error_text:
            self.error.emit(conversation_id, error_text)
        self.reply_finished.emit(conversation_id, reply.message_id, status.value)

    async def _run_reply(self, conversation_id: int, reply_id: int, acc: ReplyAccumulator) -> None:
        import asyncio

        from foxchat.api.content import ImagesNotReadError, explain_refusal

        status = MessageStatus.COMPLETE
        error_text: str | None = None
        request: ChatRequest | None = None
        images_refused = False
        try:
            request, not_sent = self._build_request(conversation_id, reply_id)
            self._note_request(conversation_id, reply_id, request, not_sent)
            client = await self._client_provider()
            if client is None:
                raise _NoKeyError
            self._asked_at[reply_id] = time.monotonic()
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
            if request is not None:
                exc = explain_refusal(exc, request.messages)
                images_refused = isinstance(exc, ImagesNotReadError)
            status, error_text = MessageStatus.ERROR, exc.user_message
            if request is not None:
                error_text = self._note_refusal(reply_id, request, exc) or error_text
        except _NoKeyError:
            status = MessageStatus.ERROR
            error_text = _("No API key is set. Open Settings (Ctrl+,) and paste your key.")
        except StoreError as exc:
            status, error_text = MessageStatus.ERROR, exc.user_message
        except Exception as exc:  # a bug: keep the app and the text alive, log it
            log.exception("reply %s failed unexpectedly", reply_id)
            status = MessageStatus.ERROR
            error_text = _("Something went wrong inside FoxChat ({problem}).").format(
                problem=type(exc).__name__
            )
        reply = self._replies.get(reply_id)
        if reply is not None:
            self._finish(conversation_id, reply, status, error_text)
            if images_refused:
                self.images_refused.emit(conversation_id, reply_id)

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
        reply = self._replies.get(reply_id)
        if reply is not None:
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
        # Imported once per stream, not per event (the events module is not
        # loaded before the first paint).
        from foxchat.api.events import ContentDelta, ReasoningDelta, ToolCallDelta

        last_write = time.monotonic()
        first_words = self._first_word_at
        # aclosing: a stopped reply closes the HTTP stream now, on this loop,
        # rather than whenever the garbage collector finds the generator.
        # The events one read of the socket completed come as one batch: the
        # work per event is a plain loop, the clock, saving and pacing run
        # once per read (a fast stream brings several events per read).
        async with aclosing(client.stream_chat_batches(request)) as batches:
            async for batch in batches:
                for event in batch:
                    acc.feed(event)
                    if isinstance(event, ContentDelta) and event.choice == 0:
                        if reply_id not in first_words:
                            first_words[reply_id] = time.monotonic()
                        self._thinking_ended(reply_id)
                        pacer.add(content=event.text)
                    elif isinstance(event, ReasoningDelta) and event.choice == 0:
                        self._thinking.setdefault(reply_id, [time.monotonic(), None])
                        pacer.add(reasoning=event.text)
                    elif isinstance(event, ToolCallDelta):
                        self._thinking_ended(reply_id)
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

    def _build_request(
        self, conversation_id: int, reply_id: int
    ) -> tuple[ChatRequest, list[NotSent]]:
        from foxchat.api.request import ChatRequest

        conversation = self._store.get_conversation(conversation_id)
        path = self._store.active_path(conversation_id)
        reply = self._replies.get(reply_id)
        parent = reply.parent_id if reply is not None else None
        ids = [m.id for m in path]
        if parent in ids:
            # Up to the question: the active branch may end in another
            # comparison column started after this one.
            history = path[: ids.index(parent) + 1]
        else:
            history = [m for m in path if m.id != reply_id]
        messages = build_messages(
            conversation.system_prompt,
            history,
            limit=self._context_limit(),
            attachments=self._store.attachments(m.id for m in history if m.role == "user"),
            detail=self._image_detail(),
        )
        params = GenerationParams.from_json(conversation.params_json)
        model = conversation.model
        if reply is not None and reply.side:
            # A comparison's column: the settings chosen for it, not the chat's.
            model = reply.model or model
            params = reply.params or params
        request, not_sent = ChatRequest.from_fields(
            model, messages, params.request_fields(), overrides=self._overrides.overrides_for(model)
        )
        request.validate()
        return request, not_sent

    def _reply_details(self, conversation_id: int, reply_id: int) -> dict[str, Any] | None:
        reply = self._replies.get(reply_id)
        if reply is None:
            return None
        if reply.details is None:
            reply.details = {}
        return reply.details

    def _note_request(
        self, conversation_id: int, reply_id: int, request: ChatRequest, not_sent: list[NotSent]
    ) -> None:
        """Keep what the reply is asked with, to store beside it (the parameter lab reads it)."""
        details = self._reply_details(conversation_id, reply_id)
        if details is None:
            return
        details["model"] = request.model
        details["sent"] = {k: v for k, v in request.settings().items() if k != "stream_options"}
        if not_sent:
            details["not_sent"] = {item.parameter: item.reason for item in not_sent}

    def _note_timing(self, details: dict[str, Any], reply_id: int, acc: ReplyAccumulator) -> None:
        """What came back beside the text: fingerprint, time to first word, speed."""
        ended = time.monotonic()
        if acc.system_fingerprint:
            details["system_fingerprint"] = acc.system_fingerprint
        first_choice = acc.choices.get(0)
        asked_logprobs = details.get("sent", {}).get("logprobs") is True
        if asked_logprobs and first_choice is not None and not first_choice.logprobs:
            details["logprobs_missing"] = True
        asked = self._asked_at.pop(reply_id, None)
        first = self._first_word_at.pop(reply_id, None)
        if first is None and acc.text(0):
            first = ended  # not streamed: the whole reply came at once
        if asked is not None and first is not None:
            details["first_token_s"] = round(first - asked, 3)
            tokens = acc.usage.completion_tokens if acc.usage is not None else 0
            if tokens and ended > first:
                details["tokens_per_s"] = round(tokens / (ended - first), 1)

    def _note_refusal(self, reply_id: int, request: ChatRequest, error: APIError) -> str | None:
        """When ``error`` refuses one parameter: keep which, and say what to do."""
        from foxchat.api.refusals import refused_parameter

        parameter = refused_parameter(error, request.settings().keys())
        reply = self._replies.get(reply_id)
        if parameter is None or reply is None:
            return None
        if reply.details is None:
            reply.details = {}
        said = getattr(error, "said", None) or error.message
        reply.details["refused"] = {"parameter": parameter, "said": said}
        advice = REFUSED_ADVICE.format(parameter=parameter, model=request.model)
        return f"{error.message} {advice}"

    def _save_final(
        self,
        conversation_id: int,
        reply_id: int,
        acc: ReplyAccumulator,
        status: MessageStatus,
        error_text: str | None,
    ) -> None:
        first = acc.choices.get(0)
        details = self._reply_details(conversation_id, reply_id)
        if details is not None:
            self._note_timing(details, reply_id, acc)
        from foxchat.services.reply_records import UnsavedReply

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
            details_json=json.dumps(details, ensure_ascii=False) if details else None,
        )
        if not self._store_final(final):
            return
        if first is not None and first.logprobs:
            from foxchat.api import token_probs

            try:
                self._store.save_logprobs(reply_id, token_probs.encode(first.logprobs))
            except StoreError as exc:
                # The reply itself is saved; only its probability view is lost.
                log.warning("reply %s: saving token probabilities failed: %s", reply_id, exc)
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
                details_json=final.details_json,
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
