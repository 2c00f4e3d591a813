"""Which model a chat starts on, given what the server says it has.

A built-in default (``gpt-4o-mini``) is wrong for many servers: a DeepSeek,
Ollama or LM Studio endpoint lists other names, and a chat started on a model
the server lacks fails its first send with 404. Once the model list is known,
a new chat starts on the person's own last choice for that endpoint if the
server has it, else on the default if listed, else on a sensible listed model.
No Qt here: pure functions, tested on their own.
"""

from __future__ import annotations

from collections.abc import Sequence

#: Listed models to prefer, in order, when the wanted one is missing: cheap,
#: fast, general chat models first (what the built-in default stands for).
PREFERRED: tuple[str, ...] = (
    "gpt-4o-mini",
    "gpt-4.1-mini",
    "gpt-4o",
    "gpt-4.1",
    "deepseek-chat",
    "claude-3-5-haiku",
    "claude-sonnet-4",
    "gemini-2.0-flash",
    "qwen-plus",
    "llama3.2",
)

#: Parts of ids that name models which cannot chat (so are never picked).
NOT_CHAT: tuple[str, ...] = (
    "embed",
    "whisper",
    "tts",
    "dall-e",
    "image",
    "moderation",
    "audio",
    "transcribe",
    "realtime",
    "search",
    "rerank",
)


def is_chat_model(model_id: str) -> bool:
    """Whether ``model_id`` looks like a model that answers chat requests."""
    lowered = model_id.lower()
    return not any(part in lowered for part in NOT_CHAT)


def choose_model(wanted: Sequence[str], listed: Sequence[str]) -> str | None:
    """The first of ``wanted`` the server lists, else a sensible listed model.

    ``wanted`` is in order of preference (the person's last choice, then the
    default). Returns None when the list is empty: the server did not say,
    so nothing is known to be missing and the caller keeps what it had.
    """
    if not listed:
        return None
    available = set(listed)
    for name in wanted:
        if name and name in available:
            return name
    for preferred in PREFERRED:
        # "gpt-4o-mini" also finds "gpt-4o-mini-2024-07-18" and "openai/gpt-4o-mini".
        for model_id in listed:
            if model_id == preferred or model_id.split("/")[-1].startswith(preferred):
                return model_id
    chat_models = [m for m in listed if is_chat_model(m)]
    return (chat_models or list(listed))[0]
