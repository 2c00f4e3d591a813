"""A user message's content with its attachments, as the API expects it.

Text alone stays a plain string, exactly as before attachments existed, so a
server without vision support sees what it always saw; documents join that
string as clearly marked blocks named after their file. Only a message with
an image becomes a list of OpenAI content parts: the typed text first, then
each attachment in the order the person arranged them (documents as text
parts, images as ``image_url`` parts with a base64 ``data:`` URL).

A server that cannot read images answers 400 or 422; ``explain_refusal``
turns that into :class:`ImagesNotReadError`, which says so in plain words.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from typing import Any, Final

from foxchat.api.errors import APIError, BadRequestError
from foxchat.api.failures import quoting, shorten
from foxchat.api.messages import Message
from foxchat.api.params import DETAILS as DETAILS
from foxchat.api.params import Detail as Detail
from foxchat.attachments import Attachment
from foxchat.i18n import _

# What servers say when a model is given an image it cannot take (OpenAI,
# vLLM, llama.cpp, aggregators): the message names images or vision.
_IMAGE_REFUSAL: Final = re.compile(
    r"image|vision|multimodal|multi-modal|content.{0,20}(?:array|list|type)",
    re.IGNORECASE,
)


class ImagesNotReadError(BadRequestError):
    """The model refused a message with images: it cannot read them."""

    default_title = _("This model cannot read images")
    default_message = _("The chosen model cannot read images, so the server refused the message.")
    default_action = _(
        "Pick a model that reads images (for example gpt-4o or gpt-4o-mini) and send again, "
        "or remove the images."
    )


def document_block(attachment: Attachment) -> str:
    """A document's text marked with its file name, as the model reads it."""
    pages = f" ({attachment.pages} pages)" if attachment.pages > 1 else ""
    if attachment.pages == 1:
        pages = " (1 page)"
    return (
        f"=== File: {attachment.name}{pages} ===\n"
        f"{attachment.text.rstrip()}\n"
        f"=== End of file: {attachment.name} ==="
    )


def image_part(attachment: Attachment, detail: str = "auto") -> dict[str, Any]:
    """An image as an OpenAI ``image_url`` content part."""
    encoded = base64.b64encode(attachment.data).decode("ascii")
    return {
        "type": "image_url",
        "image_url": {"url": f"data:{attachment.mime};base64,{encoded}", "detail": detail},
    }


def user_content(
    text: str, attachments: Sequence[Attachment] = (), *, detail: str = "auto"
) -> str | list[dict[str, Any]]:
    """The ``content`` of a user message: a string, or parts when there is an image."""
    if not any(a.is_image for a in attachments):
        blocks = [text] if text else []
        blocks.extend(document_block(a) for a in attachments)
        return "\n\n".join(blocks)
    parts: list[dict[str, Any]] = [{"type": "text", "text": text}] if text else []
    for attachment in attachments:
        if attachment.is_image:
            parts.append(image_part(attachment, detail))
        else:
            parts.append({"type": "text", "text": document_block(attachment)})
    return parts


def user_message(
    text: str, attachments: Sequence[Attachment] = (), *, detail: str = "auto"
) -> Message:
    """A user ``Message`` with its attachments (see ``user_content``)."""
    return Message(role="user", content=user_content(text, attachments, detail=detail))


def carries_images(messages: Sequence[Message]) -> bool:
    """Whether any message sends an image part."""
    return any(
        isinstance(m.content, list) and any(p.get("type") == "image_url" for p in m.content)
        for m in messages
    )


def explain_refusal(error: APIError, messages: Sequence[Message]) -> APIError:
    """``error``, or :class:`ImagesNotReadError` when it is a refusal of the images sent."""
    if (
        isinstance(error, BadRequestError)
        and error.status in (400, 422)
        and carries_images(messages)
        and _IMAGE_REFUSAL.search(error.message)
    ):
        said = shorten(error.said)
        refused = (
            quoting(
                said,
                _(
                    "The chosen model cannot read images, so the server refused the message:"
                    ' "{said}".'
                ),
                _(
                    "The chosen model cannot read images, so the server refused the message:"
                    ' "{said}"'
                ),
            )
            if said
            else None
        )
        return ImagesNotReadError(refused, status=error.status, said=error.said)
    return error
