"""Everything the store can raise, each with words a non-developer understands.

The tree (``StoreError`` is one branch of :class:`foxchat.errors.FoxChatError`)::

    StoreError                  anything the store could not do
    ├── StoreLockedError        another program holds the database
    ├── StoreNewerVersionError  the file comes from a newer FoxChat
    ├── StoreCorruptError       the file is damaged (set aside, never overwritten)
    ├── StoreDiskFullError      the disk (or the allowed size) is full
    ├── StoreReadOnlyError      the folder or file cannot be written
    ├── StoreIOError            the disk failed to read or write the file
    ├── StoreNotFoundError      a conversation or message no longer exists
    ├── StoreChangedError       another window changed the chat since it was read
    └── ImportFormatError       an import file is not something FoxChat can read

A full disk raises ``StoreDiskFullError`` from every write, so a caller can
keep what it could not save (a streaming reply's tail) and offer to retry.

Every error carries ``message`` (what happened) and ``action`` (what to do);
``user_message`` joins them for a dialog or stderr.
"""

from __future__ import annotations

from pathlib import Path

from foxchat.errors import FoxChatError, join_sentences
from foxchat.i18n import _


class StoreError(FoxChatError):
    """The store could not do what was asked; nothing already saved was lost."""

    default_action = _("Try again. If it keeps happening, restart FoxChat.")

    def __init__(self, message: str, action: str | None = None) -> None:
        self.message = message
        self.action = action if action is not None else self.default_action
        super().__init__(self.user_message)

    @property
    def user_message(self) -> str:
        """The message and the next step, as one text for people."""
        return join_sentences(self.message.strip(), self.action.strip())


class StoreLockedError(StoreError):
    """Another program (often a second FoxChat) is holding the database."""

    default_action = _("Close the other FoxChat window or program using it, then try again.")


class StoreNewerVersionError(StoreError):
    """The database was written by a newer FoxChat; it is left untouched."""

    default_action = _("Update FoxChat to the newest version to open your conversations.")


class StoreCorruptError(StoreError):
    """The database file is damaged; it was moved aside, never overwritten."""

    default_action = _("Restart FoxChat to start with a fresh conversation list.")

    def __init__(
        self, message: str, action: str | None = None, *, moved_to: Path | None = None
    ) -> None:
        self.moved_to = moved_to
        super().__init__(message, action)


class StoreDiskFullError(StoreError):
    """There is no room left to save."""

    default_action = _("Free some disk space, then try again. Your earlier chats are safe.")


class StoreReadOnlyError(StoreError):
    """FoxChat may not write to the folder or file holding the database."""

    default_action = _(
        "Check that the folder exists and that you may write to it, or set "
        "FOXCHAT_DATA_DIR to a folder you own."
    )


class StoreIOError(StoreError):
    """The disk reported an error reading or writing the database file."""

    default_action = _("Check that the disk is connected and has free space, then try again.")


class StoreNotFoundError(StoreError, LookupError):
    """The conversation or message asked for no longer exists (deleted or purged)."""

    default_action = _("It may have been deleted. Pick another conversation.")


class StoreChangedError(StoreError):
    """Another FoxChat window changed the chat after this one read it; nothing was written."""

    default_action = _(
        "The chat now shows the newest messages and your text is still in the box: "
        "read them, then press Send again."
    )


class ImportFormatError(StoreError):
    """An import file is not FoxChat JSON or ChatGPT's conversations.json."""

    default_action = _(
        "Choose a FoxChat export (.json) or the conversations.json from a ChatGPT "
        "data export. Nothing was imported."
    )
