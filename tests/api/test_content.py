"""A message with attachments: the request's content parts, and a server that refuses images."""

from __future__ import annotations

import asyncio
import base64
import json

from foxchat.api import APIError, ChatClient, ChatRequest, Message, ReplyAccumulator, Timeouts
from foxchat.api.content import (
    ImagesNotReadError,
    explain_refusal,
    user_content,
    user_message,
)
from foxchat.attachments import Attachment, document_from_bytes, image_from_bytes
from tests.attachments import samples
from tests.fakeserver import FakeOpenAIServer

FAST = Timeouts(connect=5, first_byte=5, between_chunks=5)


def _photo() -> Attachment:
    return image_from_bytes(samples.photo_jpeg(640, 480), "cat.jpg", max_side=2048)


def _shot() -> Attachment:
    return image_from_bytes(samples.screenshot_png(300, 200), "shot.png", max_side=2048)


def _pdf() -> Attachment:
    return document_from_bytes(samples.pdf(["Invoice 42", "Total 9 EUR"]), "invoice.pdf")


def test_text_alone_stays_exactly_todays_plain_string() -> None:
    before = ChatRequest("gpt-4o-mini", [Message("user", "Hello fox")]).to_payload()
    after = ChatRequest("gpt-4o-mini", [user_message("Hello fox")]).to_payload()
    assert json.dumps(after) == json.dumps(before)
    assert after["messages"][0]["content"] == "Hello fox"


def test_documents_alone_join_the_string_delimited_with_their_name() -> None:
    content = user_content("What is the total?", [_pdf()])
    assert isinstance(content, str)
    assert content.startswith("What is the total?\n\n=== File: invoice.pdf (2 pages) ===\n")
    assert "Invoice 42" in content and "Total 9 EUR" in content
    assert content.endswith("=== End of file: invoice.pdf ===")


def test_images_make_content_parts_in_the_persons_order() -> None:
    photo, shot, pdf = _photo(), _shot(), _pdf()
    parts = user_content("Compare these", [shot, pdf, photo], detail="low")
    assert isinstance(parts, list)
    assert [p["type"] for p in parts] == ["text", "image_url", "text", "image_url"]
    assert parts[0] == {"type": "text", "text": "Compare these"}
    assert parts[2]["text"].startswith("=== File: invoice.pdf")
    first, second = parts[1]["image_url"], parts[3]["image_url"]
    assert first["detail"] == "low"
    assert first["url"].startswith("data:image/png;base64,")
    assert second["url"].startswith("data:image/jpeg;base64,")
    assert base64.b64decode(second["url"].partition(",")[2]) == photo.data


def test_an_image_without_text_sends_only_the_image() -> None:
    parts = user_content("", [_photo()])
    assert isinstance(parts, list) and [p["type"] for p in parts] == ["image_url"]


def _send(server: FakeOpenAIServer, request: ChatRequest) -> tuple[str, APIError | None]:
    async def main() -> tuple[str, APIError | None]:
        reply = ReplyAccumulator()
        try:
            async with ChatClient(server.base_url, "sk-test", timeouts=FAST) as chat:
                async for event in chat.stream_chat(request):
                    reply.feed(event)
        except APIError as exc:
            return reply.text(0), exc
        return reply.text(0), None

    return asyncio.run(main())


def test_the_server_receives_valid_image_parts(fake_server: FakeOpenAIServer) -> None:
    photo = _photo()
    request = ChatRequest("gpt-4o-mini", [user_message("What is this?", [photo], detail="high")])
    text, error = _send(fake_server, request)
    assert error is None
    assert text == "Echo: What is this? [image]"
    images = fake_server.requests[-1].images
    assert [(i.mime, i.detail) for i in images] == [("image/jpeg", "high")]
    assert images[0].data == photo.data


def test_a_model_that_cannot_read_images_says_so(fake_server: FakeOpenAIServer) -> None:
    fake_server.vision_models = {"gpt-4o-mini"}
    messages = [user_message("What is this?", [_photo()])]
    _text, error = _send(fake_server, ChatRequest("deepseek-chat", messages))
    assert error is not None
    explained = explain_refusal(error, messages)
    assert isinstance(explained, ImagesNotReadError)
    assert explained.status == 400
    assert "cannot read images" in explained.user_message
    assert "Pick a model that reads images" in explained.user_message
    # Text alone is not refused, and a refusal of a text message is left as it was.
    assert _send(fake_server, ChatRequest("deepseek-chat", [user_message("Hi")]))[1] is None
    assert explain_refusal(error, [user_message("Hi")]) is error
