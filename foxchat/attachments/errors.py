"""Why a file or a pasted image could not be attached, in plain words.

``AttachmentError`` is the attachments layer's one base in the
:class:`foxchat.errors.FoxChatError` tree; it has no leaves: every problem
(an empty file, one too large, a corrupt image, a locked PDF) differs only in
what it says, and each message names the file and what to do next.
"""

from __future__ import annotations

from foxchat.errors import FoxChatError


class AttachmentError(FoxChatError):
    """A file could not be attached; ``user_message`` says which and why."""
