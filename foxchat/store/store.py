"""``Store``: the one object the rest of FoxChat uses to keep conversations.

A thin facade: each method hands its work to the module that owns it
(conversations, messages, search, transfer). Every method either finishes or
raises a ``StoreError`` whose ``user_message`` can be shown as it is.
Use it from one thread (the GUI thread or a CLI command).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from foxchat import paths
from foxchat.attachments import Attachment, AttachmentInfo
from foxchat.store import attachments as stored_attachments
from foxchat.store import conversations, messages, search
from foxchat.store.database import DEFAULT_BUSY_TIMEOUT_MS, Database, open_database
from foxchat.store.errors import StoreError
from foxchat.store.models import (
    Conversation,
    ConversationSummary,
    ImportResult,
    MessageStatus,
    SearchHit,
    StoredMessage,
)


class Store:
    """All conversations, their message trees, search, import and export."""

    def __init__(self, db: Database) -> None:
        self._db = db

    @classmethod
    def open(
        cls,
        path: Path | None = None,
        *,
        busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
        read_only_fallback: bool = False,
        recover_streaming: bool = True,
    ) -> Store:
        """Open (create, back up and migrate as needed) the database at ``path``.

        ``path`` defaults to ``foxchat.paths.database_path()``. Replies left
        ``streaming`` by a crash become ``interrupted``, their text kept. The
        full integrity check runs only when the last run did not close cleanly
        (or a week has passed; see ``foxchat.store.health``); damage found later
        raises ``StoreCorruptError`` from the method that read it.

        With ``read_only_fallback``, a file that cannot be written (full disk,
        read-only folder) is opened read-only rather than refused: reading and
        export work, every write raises ``read_only_reason``.

        ``recover_streaming=False`` (the command line, a second window) leaves
        replies another process may still be streaming as they are.
        """
        return cls(
            open_database(
                path or paths.database_path(),
                busy_timeout_ms=busy_timeout_ms,
                read_only_fallback=read_only_fallback,
                recover_streaming=recover_streaming,
            )
        )

    @property
    def read_only_reason(self) -> StoreError | None:
        """Why the store was opened read-only (a message to show), or None when it is writable."""
        return self._db.read_only_reason

    @property
    def path(self) -> Path:
        """The database file."""
        return self._db.path

    def close(self) -> None:
        """Close the database and record a clean close; safe to call twice."""
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ---- conversations -------------------------------------------------------

    def create_conversation(
        self,
        *,
        title: str = "New chat",
        model: str = "",
        system_prompt: str = "",
        params_json: str = "",
    ) -> int:
        """A new, empty conversation; returns its id."""
        return conversations.create_conversation(
            self._db, title=title, model=model, system_prompt=system_prompt, params_json=params_json
        )

    def list_conversations(self) -> list[ConversationSummary]:
        """Pinned first, then the most recently updated; deleted ones left out."""
        return conversations.list_conversations(self._db)

    def get_conversation(self, cid: int) -> Conversation:
        """One conversation's settings and draft."""
        return conversations.get_conversation(self._db, cid)

    def update_conversation(
        self,
        cid: int,
        *,
        title: str | None = None,
        pinned: bool | None = None,
        model: str | None = None,
        system_prompt: str | None = None,
        params_json: str | None = None,
    ) -> None:
        """Change the fields given (None leaves a field as it is)."""
        conversations.update_conversation(
            self._db,
            cid,
            title=title,
            pinned=pinned,
            model=model,
            system_prompt=system_prompt,
            params_json=params_json,
        )

    def save_draft(self, cid: int, text: str) -> None:
        """Keep the unsent composer text; the list order does not change."""
        conversations.save_draft(self._db, cid, text)

    def save_draft_attachments(self, cid: int, attachments: Sequence[Attachment]) -> None:
        """Keep the files waiting in the chat's composer (they replace those kept before)."""
        stored_attachments.save_draft(self._db, cid, attachments)

    def draft_attachments(self, cid: int) -> list[Attachment]:
        """The files kept in the chat's composer, in order, with their bytes."""
        return stored_attachments.draft(self._db, cid)

    def delete_conversation(self, cid: int) -> None:
        """Hide the conversation at once (undo with ``undelete_conversation``)."""
        conversations.delete_conversation(self._db, cid)

    def undelete_conversation(self, cid: int) -> None:
        """Bring back a conversation hidden by ``delete_conversation``."""
        conversations.undelete_conversation(self._db, cid)

    def purge_deleted(self, older_than: float = conversations.PURGE_AFTER_S) -> int:
        """Really delete chats hidden at least ``older_than`` seconds ago; returns how many.

        The default leaves alone every chat another window may still offer to
        Undo; purged ids are never reused.
        """
        if self._db.read_only_reason is not None:
            return 0  # housekeeping waits for a start that may write
        return conversations.purge_deleted(self._db, older_than)

    # ---- messages --------------------------------------------------------------

    def add_message(
        self,
        cid: int,
        *,
        parent_id: int | None,
        role: str,
        content: str = "",
        reasoning: str = "",
        status: MessageStatus = MessageStatus.COMPLETE,
        model: str | None = None,
        tool_calls_json: str | None = None,
        tool_call_id: str | None = None,
        only_at_end: bool = False,
        attachments: Sequence[Attachment] = (),
    ) -> int:
        """Add a message as the active child of ``parent_id``; committed on return.

        With ``only_at_end``, raise ``StoreChangedError`` (writing nothing)
        unless ``parent_id`` is still the end of the active branch (None: empty).
        ``attachments`` are saved with it, in the same transaction.
        """
        return messages.add_message(
            self._db,
            cid,
            parent_id=parent_id,
            role=role,
            content=content,
            reasoning=reasoning,
            status=status,
            model=model,
            tool_calls_json=tool_calls_json,
            tool_call_id=tool_call_id,
            only_at_end=only_at_end,
            attachments=attachments,
        )

    def attachment_infos(self, message_ids: Iterable[int]) -> dict[int, list[AttachmentInfo]]:
        """What the chat shows of these messages' attachments (no file data), in order."""
        return stored_attachments.infos(self._db, message_ids)

    def attachments(self, message_ids: Iterable[int]) -> dict[int, list[Attachment]]:
        """These messages' attachments with their data and text, as a request sends them."""
        return stored_attachments.full(self._db, message_ids)

    def attachment_data(self, sha256: str) -> bytes:
        """The bytes of one stored attachment, for the image viewer."""
        return stored_attachments.data(self._db, sha256)

    def update_streaming_text(self, mid: int, content: str, reasoning: str = "") -> None:
        """Save a streaming reply's text so far (call at most every 500 ms)."""
        messages.update_streaming_text(self._db, mid, content, reasoning)

    def finish_message(
        self,
        mid: int,
        *,
        status: MessageStatus,
        content: str | None = None,
        reasoning: str | None = None,
        finish_reason: str | None = None,
        usage_json: str | None = None,
        error: str | None = None,
        tool_calls_json: str | None = None,
        details_json: str | None = None,
    ) -> None:
        """Settle a reply with its final status (None leaves a field as it is)."""
        messages.finish_message(
            self._db,
            mid,
            status=status,
            content=content,
            reasoning=reasoning,
            finish_reason=finish_reason,
            usage_json=usage_json,
            error=error,
            tool_calls_json=tool_calls_json,
            details_json=details_json,
        )

    def save_logprobs(self, mid: int, tokens_json: str) -> None:
        """Keep a reply's token probabilities (see ``foxchat.api.token_probs``)."""
        messages.save_logprobs(self._db, mid, tokens_json)

    def logprobs(self, mid: int) -> str | None:
        """A reply's token probabilities, or None when it has none."""
        return messages.get_logprobs(self._db, mid)

    def get_message(self, mid: int) -> StoredMessage:
        """One message by id."""
        return messages.get_message(self._db, mid)

    def active_path(self, cid: int) -> list[StoredMessage]:
        """The active branch, first message to newest."""
        return messages.active_path(self._db, cid)

    def siblings(self, mid: int) -> list[int]:
        """The alternatives at this point (itself included), oldest first."""
        return messages.siblings(self._db, mid)

    def set_active(self, mid: int) -> None:
        """Make ``mid`` the active one among its siblings."""
        messages.set_active(self._db, mid)

    def delete_message(self, mid: int) -> None:
        """Delete the message and all that follows it; a sibling becomes active."""
        messages.delete_message(self._db, mid)

    def message_count(self, cid: int) -> int:
        """How many messages the conversation holds, on every branch."""
        return messages.message_count(self._db, cid)

    def usage_by_model(self, cid: int) -> dict[str, tuple[int, int]]:
        """(prompt, completion) tokens per model, every branch included."""
        return messages.usage_by_model(self._db, cid)

    # ---- search and transfer -------------------------------------------------

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Titles and messages matching every word of ``query``, best first."""
        return search.search(self._db, query, limit)

    # Export and import load their modules (and zipfile) on first use: opening
    # the window never needs them.

    def export_json(self, conversation_ids: Sequence[int] | None = None) -> dict[str, Any]:
        """FoxChat JSON of the given conversations (all by default), branches included."""
        from foxchat.store import transfer

        return transfer.export_json(self._db, conversation_ids)

    def export_markdown(self, conversation_ids: Sequence[int] | None = None) -> str:
        """Readable Markdown of each conversation's active branch."""
        from foxchat.store import transfer

        return transfer.export_markdown(self._db, conversation_ids)

    def export_markdown_files(
        self, conversation_ids: Sequence[int] | None = None
    ) -> tuple[str, dict[str, bytes]]:
        """Markdown linking each attachment, and those files by the name it links."""
        from foxchat.store import transfer

        return transfer.export_markdown_files(self._db, conversation_ids)

    def import_data(
        self,
        data: object,
        *,
        skip_existing: bool = True,
        progress: Callable[[int, int], None] | None = None,
    ) -> ImportResult:
        """Import parsed FoxChat JSON or ChatGPT conversations.json, all or nothing.

        Chats already here are skipped unless ``skip_existing`` is False;
        ``progress(done, total)`` hears about each conversation written.
        """
        from foxchat.store import transfer

        return transfer.import_data(self._db, data, skip_existing=skip_existing, progress=progress)

    def import_file(
        self,
        path: Path,
        *,
        skip_existing: bool = True,
        progress: Callable[[int, int], None] | None = None,
    ) -> ImportResult:
        """Import a .json file (or a ChatGPT export .zip, with its images), all or nothing."""
        from foxchat.store import transfer
        from foxchat.store.chatgpt_images import ImageFiles

        with ImageFiles(Path(path)) as images:
            return transfer.import_data(
                self._db,
                transfer.read_import_file(Path(path)),
                skip_existing=skip_existing,
                progress=progress,
                images=images,
            )
