"""The root of every error FoxChat explains to a person, and the whole tree.

Each layer keeps one base of its own, so a caller can catch "anything the
store could not do" without catching a network failure; all of them share
:class:`FoxChatError`, whose ``user_message`` is what happened and what to do
next, in plain words, ready for a dialog, the notice bar or stderr. This
module imports nothing but the standard library, so ``api/`` and ``store/``
can build on it and stay free of Qt.

The whole tree (each layer's own leaves are drawn in its module)::

    FoxChatError                     user_message: plain words for a person
    ├── APIError                     talking to the chat API (api/errors.py:
    │                                auth, rate limit, server, network, timeout, ...)
    ├── StoreError                   the conversation database (store/errors.py:
    │                                locked, newer version, corrupt, disk full, ...)
    ├── KeyStoreError                the system keyring (secrets.py)
    ├── SettingsError                settings.json could not be saved (settings.py)
    ├── PresetError                  a preset could not be saved, deleted or
    │                                imported (presets.py)
    └── AttachmentError              a file or pasted image could not be
                                     attached (attachments/errors.py)

Errors that never reach a person stay outside the tree on purpose: a
``JsonProblem`` (api/json_checks.py) is shown under the text box it
belongs to, and ``OSError`` from jsonfile.py is turned into a SettingsError or
PresetError by the code that knows which file it was.
"""

from __future__ import annotations

#: Punctuation that ends a Chinese (full-width) sentence: the next one follows without a space.
_WIDE_ENDS = ("\u3002", "\uff01", "\uff1f", "\uff1b", "\uff1a", "\u201d", "\uff09")


def join_sentences(*sentences: str) -> str:
    """Sentences as one text: a space after each in English, none after a Chinese one."""
    text = ""
    for sentence in sentences:
        if not sentence:
            continue
        if text and not text.endswith(_WIDE_ENDS):
            text += " "
        text += sentence
    return text


class FoxChatError(Exception):
    """Something FoxChat could not do, explained in ``user_message``.

    Built from the finished text, as most layers do; a layer that builds the
    text from parts (``APIError``, ``StoreError``) overrides ``user_message``
    and passes its result up here, so ``str(error)`` is the same text.
    """

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self._user_message = user_message

    @property
    def user_message(self) -> str:
        """What happened and what to do next, for a person to read."""
        return self._user_message
