"""Conversation-level commands: create, rename, pin, delete with undo, drafts.

Every store call the window needs goes through here, so a locked or full
database becomes one plain-words ``error`` signal instead of a traceback in a
widget. Drafts (the text and the attached files waiting in the composer) are
written on a short timer (at most ``DRAFT_DELAY_MS`` old) and flushed when the
user switches chats or quits.

The SQL behind each command is ``store/conversations.py``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from foxchat.api.params import GenerationParams
from foxchat.attachments import Attachment
from foxchat.i18n import _
from foxchat.jsonfile import write_atomically
from foxchat.store import (
    Conversation,
    ImportResult,
    Store,
    StoredMessage,
    StoreError,
    StoreNotFoundError,
)

log = logging.getLogger(__name__)

DRAFT_DELAY_MS = 500


class ConversationService(QObject):
    """Changes conversations in the store and says when the list changed."""

    list_changed = Signal()
    error = Signal(str)

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._pending_drafts: dict[int, str] = {}
        self._pending_files: dict[int, list[Attachment]] = {}
        self._pending_params: dict[int, GenerationParams] = {}
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.flush_drafts)

    # -- reads -------------------------------------------------------------

    def get(self, conversation_id: int) -> Conversation | None:
        """The conversation, or None if it is gone (the error is reported)."""
        try:
            return self._store.get_conversation(conversation_id)
        except (StoreError, KeyError, LookupError) as exc:
            self._report(exc)
            return None

    def active_path(self, conversation_id: int) -> list[StoredMessage]:
        """The messages on the branch being viewed, root to leaf."""
        try:
            return self._store.active_path(conversation_id)
        except StoreError as exc:
            self._report(exc)
            return []

    def message(self, message_id: int) -> StoredMessage | None:
        """One stored message, or None if it is gone."""
        try:
            return self._store.get_message(message_id)
        except (StoreError, KeyError, LookupError) as exc:
            self._report(exc)
            return None

    def alternatives(self, message_id: int) -> tuple[int, int]:
        """Which version this message is among its alternatives: (index, count)."""
        try:
            siblings = self._store.siblings(message_id)
        except StoreError:
            return 0, 1
        if message_id not in siblings:
            return 0, 1
        return siblings.index(message_id), len(siblings)

    def logprobs(self, message_id: int) -> str | None:
        """A reply's token probabilities as stored (None: it has none, or reading failed)."""
        try:
            return self._store.logprobs(message_id)
        except StoreError as exc:
            self._report(exc)
            return None

    def neighbour_details(self, message_id: int) -> str | None:
        """The details_json of the version before this one (or after the first), if any."""
        try:
            siblings = self._store.siblings(message_id)
            if message_id not in siblings or len(siblings) < 2:
                return None
            index = siblings.index(message_id)
            other = siblings[index - 1] if index > 0 else siblings[1]
            return self._store.get_message(other).details_json
        except StoreError:
            return None

    def show_alternative(self, message_id: int) -> bool:
        """Make ``message_id`` the version the chat shows (and goes on from)."""
        try:
            self._store.set_active(message_id)
        except StoreError as exc:
            self._report(exc)
            return False
        return True

    def switch_alternative(self, message_id: int, step: int) -> bool:
        """View the previous (-1) or next (+1) alternative of a message."""
        try:
            siblings = self._store.siblings(message_id)
            index = siblings.index(message_id) + step
            if not 0 <= index < len(siblings):
                return False
            self._store.set_active(siblings[index])
        except (StoreError, ValueError) as exc:
            self._report(exc)
            return False
        return True

    def usage(self, conversation_id: int) -> dict[str, tuple[int, int]]:
        """Tokens used per model in this chat ({} if it cannot be read)."""
        try:
            return self._store.usage_by_model(conversation_id)
        except StoreError:
            return {}

    def first_conversation(self) -> int | None:
        """The chat at the top of the list, if there is any."""
        try:
            rows = self._store.list_conversations()
        except StoreError as exc:
            self._report(exc)
            return None
        return rows[0].id if rows else None

    # -- commands ----------------------------------------------------------

    def create(self, model: str, params: GenerationParams, system_prompt: str = "") -> int | None:
        """A new empty chat with the given defaults."""
        try:
            cid = self._store.create_conversation(
                model=model, system_prompt=system_prompt, params_json=params.to_json()
            )
        except StoreError as exc:
            self._report(exc)
            return None
        self.list_changed.emit()
        return cid

    def rename(self, conversation_id: int, title: str) -> None:
        """Give the chat a new title."""
        self._change(conversation_id, title=title)

    def set_pinned(self, conversation_id: int, pinned: bool) -> None:
        """Pin the chat to the top of the list, or unpin it."""
        self._change(conversation_id, pinned=pinned)

    def set_model(self, conversation_id: int, model: str) -> None:
        """The model this chat's next reply uses."""
        self._change(conversation_id, model=model, quiet=True)

    def set_system_prompt(self, conversation_id: int, system_prompt: str) -> None:
        """The system prompt sent first with every request of this chat."""
        self._change(conversation_id, system_prompt=system_prompt, quiet=True)

    def set_params(self, conversation_id: int, params: GenerationParams) -> None:
        """The generation parameters saved with this chat (a slider drag
        sends many; they are written with the drafts, at most 0.5 s later)."""
        self._pending_params[conversation_id] = params
        if not self._draft_timer.isActive():
            self._draft_timer.start()

    def delete(self, conversation_id: int) -> bool:
        """Hide the chat at once; ``undelete`` brings it back until purged."""
        try:
            self._store.delete_conversation(conversation_id)
        except StoreError as exc:
            self._report(exc)
            return False
        self._pending_drafts.pop(conversation_id, None)
        self._pending_files.pop(conversation_id, None)
        self._pending_params.pop(conversation_id, None)
        self.list_changed.emit()
        return True

    def undelete(self, conversation_id: int) -> None:
        """Undo a delete."""
        try:
            self._store.undelete_conversation(conversation_id)
        except StoreError as exc:
            self._report(exc)
            return
        self.list_changed.emit()

    def delete_message(self, message_id: int) -> bool:
        """Delete one message and the replies that follow from it."""
        try:
            self._store.delete_message(message_id)
        except StoreError as exc:
            self._report(exc)
            return False
        return True

    def queue_draft(self, conversation_id: int, text: str) -> None:
        """Remember the unsent text; it reaches the disk within half a second."""
        self._pending_drafts[conversation_id] = text
        if not self._draft_timer.isActive():
            self._draft_timer.start()

    def queue_draft_attachments(self, conversation_id: int, attachments: list[Attachment]) -> None:
        """Remember the files waiting in the composer; they reach the disk with the text."""
        self._pending_files[conversation_id] = list(attachments)
        if not self._draft_timer.isActive():
            self._draft_timer.start()

    def draft_attachments(self, conversation_id: int) -> list[Attachment]:
        """The files left in this chat's composer (the latest, even if not written yet)."""
        pending = self._pending_files.get(conversation_id)
        if pending is not None:
            return list(pending)
        try:
            return self._store.draft_attachments(conversation_id)
        except StoreError as exc:
            self._report(exc)
            return []

    def flush_drafts(self) -> None:
        """Write pending drafts and parameters now (switching chats, quitting)."""
        self._draft_timer.stop()
        params, self._pending_params = self._pending_params, {}
        for cid, value in params.items():
            self._change(cid, params_json=value.to_json(), quiet=True)
        pending, self._pending_drafts = self._pending_drafts, {}
        for cid, text in pending.items():
            try:
                self._store.save_draft(cid, text)
            except StoreError as exc:
                self._report(exc)
            except (KeyError, LookupError):
                log.debug("draft for deleted conversation %s dropped", cid)
        files, self._pending_files = self._pending_files, {}
        for cid, attachments in files.items():
            try:
                self._store.save_draft_attachments(cid, attachments)
            except StoreNotFoundError:
                log.debug("attachments for deleted conversation %s dropped", cid)
            except StoreError as exc:
                self._report(exc)

    def export_text(
        self, conversation_id: int, fmt: str, *, inline_math: bool = True
    ) -> str | None:
        """One conversation as Markdown (``md``), an HTML page (``html``) or JSON.

        ``inline_math=False`` leaves formulas for Qt's own document to draw (PDF).
        """
        import json

        try:
            if fmt == "md":
                return self._store.export_markdown([conversation_id])
            if fmt == "html":
                from foxchat.export.html import export_html

                return export_html(self._store, [conversation_id], inline_math=inline_math)
            return json.dumps(
                self._store.export_json([conversation_id]), ensure_ascii=False, indent=2
            )
        except StoreError as exc:
            self._report(exc)
            return None

    def export_page(self, conversation_id: int) -> str | None:
        """One conversation as an HTML page for Qt's printing (PDF and paper)."""
        return self.export_text(conversation_id, "html", inline_math=False)

    def export_to(self, path: Path, conversation_id: int, fmt: str) -> bool:
        """Write one conversation to ``path`` as Markdown (``md``), HTML or JSON."""
        text = self.export_text(conversation_id, fmt)
        if text is None:
            return False
        try:
            # Never in place: a full disk must not leave a cut-off file where
            # an earlier export was.
            write_atomically(path, text)
        except OSError as exc:
            self.error.emit(
                _(
                    "Could not write {file}: {reason}. Choose another folder, or free some "
                    "disk space."
                ).format(file=path.name, reason=exc.strerror or exc)
            )
            return False
        return True

    # -- internals ---------------------------------------------------------

    def _change(self, conversation_id: int, *, quiet: bool = False, **fields: object) -> None:
        try:
            self._store.update_conversation(conversation_id, **fields)  # type: ignore[arg-type]
        except StoreError as exc:
            self._report(exc)
            return
        if not quiet:
            self.list_changed.emit()

    def import_file(
        self, path: Path, progress: Callable[[int, int], None] | None = None
    ) -> ImportResult | None:
        """Import chats from a FoxChat or ChatGPT export, skipping those already here.

        ``progress(done, total)`` hears about each conversation written. Returns
        None when nothing could be imported (the reason goes to ``error``).
        """
        self.flush_drafts()  # before the import's transaction, not inside it
        try:
            result = self._store.import_file(path, progress=progress)
        except StoreError as exc:
            self._report(exc)
            return None
        if result.conversations:
            self.list_changed.emit()
        return result

    def _report(self, exc: Exception) -> None:
        if isinstance(exc, StoreError):
            self.error.emit(exc.user_message)
        else:
            self.error.emit(_("That chat no longer exists. It may have been deleted."))
