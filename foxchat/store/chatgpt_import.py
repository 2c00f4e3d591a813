"""Reading ChatGPT's data export (``conversations.json``) into FoxChat's tree.

Each ChatGPT conversation is a ``mapping`` of nodes, each with a parent and
children; ``current_node`` is the leaf the user last saw. Only what a person
saw is kept: user and assistant text, and images: the export's ``.zip`` holds
the files its "asset pointers" name (see ``chatgpt_images``), and each one
found there becomes an attachment of its message; an image whose file is not
in the zip (or that cannot be read) becomes "[image]" in the text. The empty
root, hidden system nodes (custom instructions, memory), tool traffic (calls
to the browser or Python and their results) are skipped, and their children
hang from the nearest kept ancestor. "Thoughts" of reasoning models become the
reasoning text of the reply that follows them. Edits and regenerations stay
alternatives of each other, and the path to ``current_node`` is the active one.

A damaged file may have parent pointers that go round in a circle, so those
nodes are reached from no root. The walk keeps a visited set; a node in such a
circle that a reached node lists among its ``children`` is placed there (the
list says where it belongs), and every message still unreached is counted as
skipped instead of vanishing. A conversation left with nothing is not imported
as an empty chat; the counts say what happened.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any, Final

from foxchat.attachments import Attachment
from foxchat.i18n import _
from foxchat.store.chatgpt_images import ImageFiles
from foxchat.store.errors import ImportFormatError
from foxchat.store.importing import ImportedConversation, ImportedMessage
from foxchat.store.models import MessageStatus

_KEPT_ROLES: Final = ("user", "assistant")
_TEXT_TYPES: Final = ("text", "multimodal_text")
_THOUGHT_TYPES: Final = ("thoughts", "reasoning_recap")
_IMAGE_PLACEHOLDER: Final = "[image]"
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


@dataclass(slots=True)
class ChatGPTExport:
    """The conversations of one file, and what the walk could not place."""

    conversations: list[ImportedConversation] = field(default_factory=list)
    #: messages whose parent pointers go round in a circle, placed from a children list
    repaired_messages: int = 0
    #: messages reached neither from a root nor from any children list
    skipped_messages: int = 0
    #: conversations left out because every message in them was skipped
    empty_conversations: int = 0


def _bad(message: str) -> ImportFormatError:
    """The export is damaged as ``message`` (a whole sentence) says."""
    return ImportFormatError(message)


def parse_chatgpt(data: object, images: ImageFiles | None = None) -> ChatGPTExport:
    """Check a ChatGPT export and return its conversations (parents before children).

    ``images`` finds the files of the export's images (in its zip); without
    it, or for an image it does not find, the message says "[image]".
    """
    items = [data] if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ImportFormatError(_("This is not a ChatGPT conversations.json file."))
    export = ChatGPTExport()
    for number, item in enumerate(items, start=1):
        conversation, builder = _parse_conversation(item, number, images)
        export.repaired_messages += builder.repaired
        export.skipped_messages += builder.skipped
        if builder.skipped and not conversation.messages:
            export.empty_conversations += 1
        else:
            export.conversations.append(conversation)
    return export


def _time(value: object) -> float | None:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    try:
        seconds = float(value)
    except OverflowError:  # an int beyond any float
        return None
    return seconds if math.isfinite(seconds) else None


def _text(message: dict[str, Any]) -> tuple[str, str]:
    """(content type, visible text) of a ChatGPT message, each image as "[image]"."""
    kind, text, _files = _content(message, None)
    return kind, text


def _content(
    message: dict[str, Any], images: ImageFiles | None
) -> tuple[str, str, list[Attachment]]:
    """(content type, visible text, images found by ``images``) of a ChatGPT message."""
    content = message.get("content")
    if not isinstance(content, dict):
        return "", "", []
    kind = content.get("content_type")
    kind = kind if isinstance(kind, str) else ""
    if kind in _THOUGHT_TYPES:
        thoughts = content.get("thoughts")
        if isinstance(thoughts, list):
            pieces = [t.get("content") for t in thoughts if isinstance(t, dict)]
            return kind, "\n\n".join(p for p in pieces if isinstance(p, str)), []
        return kind, "", []  # a recap is only a label such as "Thought for 4 seconds"
    parts = content.get("parts")
    if not isinstance(parts, list):
        return kind, "", []
    texts: list[str] = []
    files: list[Attachment] = []
    for part in parts:
        if isinstance(part, str):
            texts.append(part)
        elif isinstance(part, dict) and "image" in str(part.get("content_type", "")):
            pointer = part.get("asset_pointer")
            found = (
                images.image(pointer) if images is not None and isinstance(pointer, str) else None
            )
            if found is None:
                texts.append(_IMAGE_PLACEHOLDER)
            else:
                files.append(found)
    return kind, "\n\n".join(t for t in texts if t), files


def _shown(message: dict[str, Any], kind: str, text: str) -> bool:
    """True when a person saw this message (of this content type and text) as a turn."""
    author = message.get("author")
    role = author.get("role") if isinstance(author, dict) else None
    metadata = message.get("metadata")
    metadata = metadata if isinstance(metadata, dict) else {}
    return not (
        role not in _KEPT_ROLES
        or bool(metadata.get("is_visually_hidden_from_conversation"))
        or message.get("recipient", "all") not in ("all", None)
        or kind not in _TEXT_TYPES
        or not text.strip()
    )


class _Builder:
    """Walks one mapping and collects the kept messages."""

    def __init__(
        self,
        number: int,
        mapping: dict[str, Any],
        fallback_time: float,
        images: ImageFiles | None = None,
    ) -> None:
        self.number = number
        self.images = images
        self.mapping = mapping
        self.fallback_time = fallback_time
        self.messages: list[ImportedMessage] = []
        self.node_of_key: dict[int, str] = {}
        self.system_prompt = ""
        self.children_of: dict[str, list[str]] = {}
        self.visited: set[str] = set()
        self.order: list[str] = []  # visited nodes, in walk order
        self.below_of: dict[str, int | None] = {}  # key of the nearest kept node at or above
        self.repaired = 0
        self.skipped = 0

    def node(self, node_id: str) -> dict[str, Any]:
        node = self.mapping[node_id]
        if not isinstance(node, dict):
            raise _bad(
                _(
                    "This ChatGPT export is damaged: conversation {number} has a node {node}"
                    " that is not an object."
                ).format(number=self.number, node=repr(node_id))
            )
        return node

    def children(self, node_id: str) -> list[str]:
        return self.children_of.get(node_id, [])

    def link(self) -> list[str]:
        """Index children by their parent pointer (the truth); returns the roots."""
        roots: list[str] = []
        for node_id in self.mapping:
            parent = self.node(node_id).get("parent")
            if parent is not None and not isinstance(parent, str):
                raise _bad(
                    _(
                        "This ChatGPT export is damaged: conversation {number} has a node {node}"
                        " with a broken parent."
                    ).format(number=self.number, node=repr(node_id))
                )
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

    def listed_children(self, node_id: str) -> list[str]:
        listed = self.node(node_id).get("children")
        listed = listed if isinstance(listed, list) else []
        return [c for c in listed if isinstance(c, str) and c in self.mapping]

    def walk(self, roots: list[str]) -> None:
        for root in roots:
            self.walk_from(root, None)
        # Nodes in a circle of parent pointers are reached from no root; a reached
        # node that lists one of them as a child says where it belongs.
        index = 0
        while index < len(self.order):
            node_id = self.order[index]
            index += 1
            for child in self.listed_children(node_id):
                if child not in self.visited:
                    before = len(self.messages)
                    self.walk_from(child, self.below_of[node_id])
                    self.repaired += len(self.messages) - before
        for node_id in self.mapping:
            if node_id not in self.visited:
                message = self.node(node_id).get("message")
                if isinstance(message, dict) and _shown(message, *_text(message)):
                    self.skipped += 1

    def walk_from(self, start: str, parent_key: int | None) -> None:
        # (node id, key of the nearest kept ancestor, reasoning waiting for a reply)
        stack: list[tuple[str, int | None, str]] = [(start, parent_key, "")]
        while stack:
            node_id, parent_key, reasoning = stack.pop()
            if node_id in self.visited:
                continue  # a circle: this node is already placed
            self.visited.add(node_id)
            self.order.append(node_id)
            key, reasoning = self.keep(node_id, parent_key, reasoning)
            below = parent_key if key is None else key
            self.below_of[node_id] = below
            for child in reversed(self.children(node_id)):
                if child not in self.visited:
                    stack.append((child, below, reasoning))

    def keep(self, node_id: str, parent_key: int | None, reasoning: str) -> tuple[int | None, str]:
        """Add the node when a person saw it; returns its key (or None) and pending reasoning."""
        message = self.node(node_id).get("message")
        if message is None:
            return None, reasoning
        if not isinstance(message, dict):
            raise _bad(
                _(
                    "This ChatGPT export is damaged: conversation {number} has a node {node}"
                    " with a broken message."
                ).format(number=self.number, node=repr(node_id))
            )
        author = message.get("author")
        role = author.get("role") if isinstance(author, dict) else None
        metadata = message.get("metadata")
        metadata = metadata if isinstance(metadata, dict) else {}
        kind, text = _text(message)
        if kind in _THOUGHT_TYPES:
            return None, "\n\n".join(p for p in (reasoning, text) if p)
        hidden = bool(metadata.get("is_visually_hidden_from_conversation"))
        if role == "system" and not hidden and kind == "text" and text and not self.messages:
            self.system_prompt = self.system_prompt or text
        if not _shown(message, kind, text):
            return None, reasoning
        files: list[Attachment] = []
        if self.images is not None and _IMAGE_PLACEHOLDER in text:
            # Shown with "[image]" counted as text; now the images found become files.
            kind, text, files = _content(message, self.images)
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
                attachments=files,
            )
        )
        self.node_of_key[key] = node_id
        return key, "" if role == "assistant" else reasoning

    def mark_active(self, current: object) -> int | None:
        """Point each parent at the child on the path to ``current``; returns the root."""
        key_of = {node_id: key for key, node_id in self.node_of_key.items()}
        seen: set[str] = set()
        node_id = current if isinstance(current, str) else None
        # From ``current`` up to the nearest kept message (it may be a hidden node).
        while node_id is not None and node_id in self.mapping and node_id not in seen:
            if node_id in key_of:
                break
            seen.add(node_id)
            parent = self.node(node_id).get("parent")
            node_id = parent if isinstance(parent, str) else None
        key = key_of.get(node_id) if node_id is not None else None
        if key is None:
            return None
        # Then along the tree as imported, which is free of circles.
        by_key = {m.key: m for m in self.messages}
        while (parent_key := by_key[key].parent) is not None:
            by_key[parent_key].active_child = key
            key = parent_key
        return key


def _parse_conversation(
    item: object, number: int, images: ImageFiles | None
) -> tuple[ImportedConversation, _Builder]:
    if not isinstance(item, dict):
        raise _bad(
            _("This ChatGPT export is damaged: conversation {number} is not an object.").format(
                number=number
            )
        )
    mapping = item.get("mapping")
    if not isinstance(mapping, dict):
        raise _bad(
            _(
                "This ChatGPT export is damaged: conversation {number} has no message mapping."
            ).format(number=number)
        )
    created = _time(item.get("create_time")) or time.time()
    updated = _time(item.get("update_time")) or created
    builder = _Builder(number, mapping, created, images)
    builder.walk(builder.link())
    active_root = builder.mark_active(item.get("current_node"))
    title = item.get("title")
    model = item.get("default_model_slug")
    if not isinstance(model, str):
        models = [m.model for m in builder.messages if m.model]
        model = models[-1] if models else ""
    conversation = ImportedConversation(
        title=title if isinstance(title, str) and title.strip() else _("Imported chat"),
        created_at=created,
        updated_at=updated,
        model=model,
        system_prompt=builder.system_prompt,
        active_root=active_root,
        messages=builder.messages,
    )
    return conversation, builder
