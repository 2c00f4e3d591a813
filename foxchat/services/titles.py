"""Naming a conversation after its first exchange, with one short request.

The request carries only the model, two messages and a small ``max_tokens``:
never the user's own sampling parameters, system prompt or tools, which are
for their chat, not for naming it. A failure just leaves "New chat" — the
user can rename it; there is nothing to report.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from foxchat.api.errors import APIError
from foxchat.i18n import _
from foxchat.services.tasks import LoopGate, OwnedTask, TaskOwner
from foxchat.store import MessageStatus, Store, StoreError

if TYPE_CHECKING:
    from foxchat.api import ChatClient
    from foxchat.api.request import ChatRequest

log = logging.getLogger(__name__)

DEFAULT_TITLE = "New chat"
MAX_TITLE_CHARS = 60
_EXCERPT_CHARS = 600
_INSTRUCTION = (
    "Write a short title (at most six words) for the conversation below, in the "
    "language it is written in. Reply with the title only: no quotes, no full stop."
)


def shown_title(title: str) -> str:
    """A chat's title as the list and the window show it.

    The store names every new chat "New chat" in English (it has no
    language); a person reads that name in the language in use, and an empty
    title as "Untitled chat".
    """
    if title == DEFAULT_TITLE:
        return _("New chat")
    return title or _("Untitled chat")


_MARKS = re.compile(r"\*\*|__|`")


def clean_title(text: str) -> str:
    """A model's answer made into a list entry: one line, no quotes, not too long."""
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    line = line.removeprefix("Title:").strip().strip("\"'“”‘’*#").strip().rstrip(".")
    # A list entry shows plain text: Markdown's bold and code marks would show
    # as they are ("Fix the **login** page"); a single * or _ may be meant.
    line = _MARKS.sub("", line)
    if len(line) > MAX_TITLE_CHARS:
        line = line[: MAX_TITLE_CHARS - 1].rstrip() + "…"
    return line


class TitleService(QObject):
    """Names new conversations; emits ``titled(cid, title)`` when it did."""

    titled = Signal(int, str)

    def __init__(
        self,
        store: Store,
        client_provider: Callable[[], ChatClient | None],
        enabled: Callable[[], bool],
        parent: QObject | None = None,
        *,
        gate: LoopGate | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._client_provider = client_provider
        self._enabled = enabled
        # A failed name leaves "New chat"; nothing for the person to read.
        self._owner = TaskOwner("titles", gate)
        self._tasks: dict[int, OwnedTask] = {}

    def reply_finished(self, conversation_id: int, _message_id: int, status: str) -> None:
        """After a reply ends: name the chat if this was its first exchange."""
        if status != MessageStatus.COMPLETE or not self._enabled():
            return
        if conversation_id in self._tasks:
            return
        try:
            conversation = self._store.get_conversation(conversation_id)
            path = self._store.active_path(conversation_id)
        except StoreError:
            return
        chat = [m for m in path if m.role in ("user", "assistant")]
        if conversation.title != DEFAULT_TITLE or len(chat) != 2 or not chat[1].content:
            return
        client = self._client_provider()
        if client is None:
            return
        question, answer = (m.content[:_EXCERPT_CHARS] for m in chat)
        prompt = f"User: {question}\n\nAssistant: {answer}"
        from foxchat.api.messages import Message
        from foxchat.api.request import ChatRequest

        request = ChatRequest(
            conversation.model,
            [Message(role="system", content=_INSTRUCTION), Message(role="user", content=prompt)],
            max_tokens=24,
            stream=False,
        )
        task = self._owner.start(
            lambda: self._name(client, request, conversation_id), name=f"title-{conversation_id}"
        )
        self._tasks[conversation_id] = task
        task.add_done_callback(lambda _t: self._forget(conversation_id))

    def _forget(self, conversation_id: int) -> None:
        self._tasks.pop(conversation_id, None)

    async def _name(self, client: ChatClient, request: ChatRequest, conversation_id: int) -> None:
        try:
            completion = await client.complete(request)
        except APIError as exc:
            log.info("auto title skipped: %s", type(exc).__name__)
            return
        title = clean_title(completion.text())
        if not title:
            return
        try:
            if self._store.get_conversation(conversation_id).title != DEFAULT_TITLE:
                return  # the user named it meanwhile
            self._store.update_conversation(conversation_id, title=title)
        except StoreError:
            return
        self.titled.emit(conversation_id, title)

    async def shutdown(self) -> None:
        """Cancel naming still in flight."""
        await self._owner.shutdown()

    @property
    def busy(self) -> bool:
        """Whether a naming request is in flight."""
        return self._owner.busy
