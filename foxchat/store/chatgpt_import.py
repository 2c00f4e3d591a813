"""Reading ChatGPT's data export (``conversations.json``) into FoxChat's tree.

Each ChatGPT conversation is a ``mapping`` of nodes, each with a parent and
children; ``current_node`` is the leaf the user last saw. Only what a person
saw is kept: user and assistant text (images become "[image]"). The empty
root, hidden system nodes (custom instructions, memory), tool traffic (calls
to the browser or Python and their results) are skipped, and their children
hang from the nearest kept ancestor. "Thoughts" of reasoning models become the
reasoning text of the reply that follows them. Edits and regenerations stay
alternatives of each other, and the path to ``current_node`` is the active one.
"""

from __future__ import annotations

import math
import time
from typing import Any, Final

from foxchat.store.errors import ImportFormatError
from foxchat.store.importing import ImportedConversation, ImportedMessage
from foxchat.store.models import MessageStatus

_KEPT_ROLES: Final = ("user", "assistant")
_TEXT_TYPES: Final = ("text", "multimodal_text")
_THOUGHT_TYPES: Final = ("thoughts", "reasoning_recap")
_STATUSES: Final = {
    "in_progress": MessageStatus.INTERRUPTED,
    "finished_partial_completion": MessageStatus.STOPPED,
}


def looks_like_chatgpt(data: object) -> bool:
    """True for a list of conversations with a ``mapping``, or one such conversation."""
    if isinstance(data, dict):
        return isinstance(data.get("mapping"), dict)
    return (
        isinstance(data, list)
        and len(data) > 0
        and all(isinstance(item, dict) and "mapping" in item for item in data)
    )


def _bad(number: int, problem: str) -> ImportFormatError:
    return ImportFormatError(f"This ChatGPT export is damaged: conversation {number} {problem}.")


def parse_chatgpt(data: object) -> list[ImportedConversation]:
    """Check a ChatGPT export and return its conversations (parents before children)."""
    items = [data] if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ImportFormatError("This is not a ChatGPT conversations.json file.")
    return [_parse_conversation(item, n) for n, item in enumerate(items, start=1)]


def _time(value: object) -> float | None:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    try:
        seconds = float(value)
    except OverflowError:  # an int beyond any float
        return None
    return seconds if math.isfinite(seconds) else None


def _text(message: dict[str, Any]) -> tuple[str, str]:
    """(content type, visible text) of a ChatGPT message."""
    content = message.get("content")
    if not isinstance(content, dict):
        return "", ""
    kind = content.get("content_type")
    kind = kind if isinstance(kind, str) else ""
    if kind in _THOUGHT_TYPES:
        thoughts = content.get("thoughts")
        if isinstance(thoughts, list):
            pieces = [t.get("content") for t in thoughts if isinstance(t, dict)]
            return kind, "\n\n".join(p for p in pieces if isinstance(p, str))
        return kind, ""  # a recap is only a label such as "Thought for 4 seconds"
    parts = content.get("parts")
    if not isinstance(parts, list):
        return kind, ""
    texts: list[str] = []
    for part in parts:
        if isinstance(part, str):
            texts.append(part)
        elif isinstance(part, dict) and "image" in str(part.get("content_type", "")):
            texts.append("[image]")
    return kind, "\n\n".join(t for t in texts if t)


class _Builder:
    """Walks one mapping and collects the kept messages."""

    def __init__(self, number: int, mapping: dict[str, Any], fallback_time: float) -> None:
        self.number = number
        self.mapping = mapping
        self.fallback_time = fallback_time
        self.messages: list[ImportedMessage] = []
        self.node_of_key: dict[int, str] = {}
        self.system_prompt = ""
        self.children_of: dict[str, list[str]] = {}

    def node(self, node_id: str) -> dict[str, Any]:
        node = self.mapping[node_id]
        if not isinstance(node, dict):
            raise _bad(self.number, f"has a node {node_id!r} that is not an object")
        return node

    def children(self, node_id: str) -> list[str]:
        return self.children_of.get(node_id, [])

    def link(self) -> list[str]:
        """Index children by their parent pointer (the truth); returns the roots."""
        roots: list[str] = []
        for node_id in self.mapping:
            parent = self.node(node_id).get("parent")
            if parent is not None and not isinstance(parent, str):
                raise _bad(self.number, f"has a node {node_id!r} with a broken parent")
            if parent is None or parent not in self.mapping:
                roots.append(node_id)
            else:
                self.children_of.setdefault(parent, []).append(node_id)
        for parent, children in self.children_of.items():
            listed = self.node(parent).get("children")
            listed = listed if isinstance(listed, list) else []
            order = {c: i for i, c in enumerate(listed) if isinstance(c, str)}
            children.sort(key=lambda c: order.get(c, len(order)))
        return roots

    def walk(self, roots: list[str]) -> None:
        # (node id, key of the nearest kept ancestor, reasoning waiting for a reply)
        stack: list[tuple[str, int | None, str]] = [(r, None, "") for r in reversed(roots)]
        while stack:
            node_id, parent_key, reasoning = stack.pop()
            key, reasoning = self.keep(node_id, parent_key, reasoning)
            below = parent_key if key is None else key
            for child in reversed(self.children(node_id)):
                stack.append((child, below, reasoning))

    def keep(self, node_id: str, parent_key: int | None, reasoning: str) -> tuple[int | None, str]:
        """Add the node when a person saw it; returns its key (or None) and pending reasoning."""
        message = self.node(node_id).get("message")
        if message is None:
            return None, reasoning
        if not isinstance(message, dict):
            raise _bad(self.number, f"has a node {node_id!r} with a broken message")
        author = message.get("author")
        role = author.get("role") if isinstance(author, dict) else None
        metadata = message.get("metadata")
        metadata = metadata if isinstance(metadata, dict) else {}
        kind, text = _text(message)
        if kind in _THOUGHT_TYPES:
            return None, "\n\n".join(p for p in (reasoning, text) if p)
        hidden = bool(metadata.get("is_visually_hidden_from_conversation"))
        recipient = message.get("recipient", "all")
        if role == "system" and not hidden and kind == "text" and text and not self.messages:
            self.system_prompt = self.system_prompt or text
        if (
            role not in _KEPT_ROLES
            or hidden
            or recipient not in ("all", None)
            or kind not in _TEXT_TYPES
            or not text.strip()
        ):
            return None, reasoning
        key = len(self.messages) + 1
        finish = metadata.get("finish_details")
        finish_type = finish.get("type") if isinstance(finish, dict) else None
        model = metadata.get("model_slug")
        status = message.get("status")
        self.messages.append(
            ImportedMessage(
                key=key,
                parent=parent_key,
                role=str(role),
                content=text,
                reasoning=reasoning if role == "assistant" else "",
                created_at=_time(message.get("create_time")) or self.fallback_time,
                model=model if isinstance(model, str) and role == "assistant" else None,
                finish_reason=finish_type if isinstance(finish_type, str) else None,
                status=_STATUSES.get(status, MessageStatus.COMPLETE)
                if isinstance(status, str)
                else MessageStatus.COMPLETE,
            )
        )
        self.node_of_key[key] = node_id
        return key, "" if role == "assistant" else reasoning

    def mark_active(self, current: object) -> int | None:
        """Point each parent at the child on the path to ``current``; returns the root."""
        on_path: set[str] = set()
        node_id = current if isinstance(current, str) else None
        while node_id is not None and node_id in self.mapping and node_id not in on_path:
            on_path.add(node_id)
            parent = self.node(node_id).get("parent")
            node_id = parent if isinstance(parent, str) else None
        by_key = {m.key: m for m in self.messages}
        active_root = None
        for msg in self.messages:
            if self.node_of_key[msg.key] not in on_path:
                continue
            if msg.parent is None:
                active_root = msg.key
            else:
                by_key[msg.parent].active_child = msg.key
        return active_root


def _parse_conversation(item: object, number: int) -> ImportedConversation:
    if not isinstance(item, dict):
        raise _bad(number, "is not an object")
    mapping = item.get("mapping")
    if not isinstance(mapping, dict):
        raise _bad(number, "has no message mapping")
    created = _time(item.get("create_time")) or time.time()
    updated = _time(item.get("update_time")) or created
    builder = _Builder(number, mapping, created)
    roots = builder.link()
    if mapping and not roots:
        raise _bad(number, "has a loop in its message tree")
    builder.walk(roots)
    active_root = builder.mark_active(item.get("current_node"))
    title = item.get("title")
    model = item.get("default_model_slug")
    if not isinstance(model, str):
        models = [m.model for m in builder.messages if m.model]
        model = models[-1] if models else ""
    return ImportedConversation(
        title=title if isinstance(title, str) and title.strip() else "Imported chat",
        created_at=created,
        updated_at=updated,
        model=model,
        system_prompt=builder.system_prompt,
        active_root=active_root,
        messages=builder.messages,
    )
