"""Sending attachments: stored with the question, sent again later, refusals explained."""

from __future__ import annotations

import asyncio
import base64
import json
import shlex

from foxchat.api.curl import to_curl
from foxchat.api.params import GenerationParams
from foxchat.attachments import Attachment, document_from_bytes, image_from_bytes
from foxchat.store import MessageStatus
from tests.asyncqt import run, until
from tests.attachments import samples
from tests.fakeserver import FakeOpenAIServer
from tests.services.test_chat_session import Session, session

__all__ = ["session"]  # the fixture, imported for pytest


def _image() -> Attachment:
    return image_from_bytes(samples.photo_jpeg(800, 600), "cat.jpg", max_side=2048)


def test_an_image_is_stored_and_sent_again_with_later_messages(
    qloop: asyncio.AbstractEventLoop, session: Session, fake_server: FakeOpenAIServer
) -> None:
    image = _image()
    pdf = document_from_bytes(samples.pdf(["Menu: soup"]), "menu.pdf")

    async def scenario() -> None:
        assert session.chat.send(session.cid, "What is this?", attachments=[image, pdf])
        await until(lambda: not session.chat.is_streaming(session.cid))
        question = session.store.active_path(session.cid)[0]
        assert [a.name for a in session.store.attachment_infos([question.id])[question.id]] == [
            "cat.jpg",
            "menu.pdf",
        ]
        assert session.last().content == (
            "Echo: What is this? [image] === File: menu.pdf (1 page) ===\n"
            "Menu: soup\n=== End of file: menu.pdf ==="
        )
        await session.reply_to("And its colour?")

    run(qloop, scenario())
    first, second = fake_server.requests[-2:]
    assert [i.data for i in first.images] == [image.data]
    # The history of the second request still carries the first message's image.
    assert [i.data for i in second.images] == [image.data]
    assert second.body["messages"][-1]["content"] == "And its colour?"


def test_an_image_without_text_can_be_sent(
    qloop: asyncio.AbstractEventLoop, session: Session, fake_server: FakeOpenAIServer
) -> None:
    async def scenario() -> None:
        assert session.chat.send(session.cid, "  ", attachments=[_image()]) is not None
        assert session.chat.send(session.cid, "  ") is None
        await until(lambda: not session.chat.is_streaming(session.cid))

    run(qloop, scenario())
    assert fake_server.requests[-1].body["messages"][0]["content"][0]["type"] == "image_url"


def test_a_model_that_cannot_read_images_says_so_on_the_reply(
    qloop: asyncio.AbstractEventLoop, session: Session, fake_server: FakeOpenAIServer
) -> None:
    fake_server.vision_models = {"gpt-4o"}

    async def scenario() -> None:
        assert session.chat.send(session.cid, "What is this?", attachments=[_image()])
        await until(lambda: not session.chat.is_streaming(session.cid))

    run(qloop, scenario())
    reply = session.last()
    assert reply.status is MessageStatus.ERROR
    assert reply.error is not None and "cannot read images" in reply.error
    assert any("Pick a model that reads images" in e for e in session.errors)


def test_an_edited_message_keeps_its_attachments(
    qloop: asyncio.AbstractEventLoop, session: Session, fake_server: FakeOpenAIServer
) -> None:
    image = _image()

    async def scenario() -> None:
        first = session.chat.send(session.cid, "What is this?", attachments=[image])
        assert first is not None
        await until(lambda: not session.chat.is_streaming(session.cid))
        edited = session.chat.edit_and_resend(session.cid, first, "What colour is it?")
        assert edited is not None
        await until(lambda: not session.chat.is_streaming(session.cid))
        assert [a.data for a in session.store.attachments([edited])[edited]] == [image.data]

    run(qloop, scenario())
    assert [i.data for i in fake_server.requests[-1].images] == [image.data]


def test_every_compared_column_sends_the_same_content_parts(
    qloop: asyncio.AbstractEventLoop, session: Session, fake_server: FakeOpenAIServer
) -> None:
    image = _image()
    notes = document_from_bytes(b"Soup of the day: tomato", "notes.txt")
    columns = [("gpt-4o", GenerationParams()), ("gpt-4o-mini", GenerationParams())]

    async def scenario() -> None:
        started = session.chat.send_to_compare(
            session.cid, "Which dish?", columns, attachments=[image, notes]
        )
        assert started is not None
        question, replies = started
        assert len(replies) == 2
        assert [a.name for a in session.store.attachments([question])[question]] == [
            "cat.jpg",
            "notes.txt",
        ]
        await until(lambda: not session.chat.is_streaming(session.cid))

    run(qloop, scenario())
    bodies = [r for r in fake_server.requests if r.path.endswith("/chat/completions")][-2:]
    assert sorted(r.body["model"] for r in bodies) == ["gpt-4o", "gpt-4o-mini"]
    first, second = (r.body["messages"][-1]["content"] for r in bodies)
    assert first == second
    assert [p["type"] for p in first] == ["text", "image_url", "text"]
    assert all([i.data for i in r.images] == [image.data] for r in bodies)


def test_the_curl_preview_carries_the_composers_files_and_earlier_images(
    qloop: asyncio.AbstractEventLoop, session: Session, fake_server: FakeOpenAIServer
) -> None:
    earlier, now = (
        _image(),
        image_from_bytes(samples.screenshot_png(320, 200), "chart.png", max_side=2048),
    )

    async def scenario() -> None:
        assert session.chat.send(session.cid, "What is this?", attachments=[earlier])
        await until(lambda: not session.chat.is_streaming(session.cid))

    run(qloop, scenario())
    request = session.chat.preview_request(session.cid, "And this one?", [now])
    body = json.loads(shlex.split(to_curl(request, fake_server.base_url, None))[-1])
    first, last = body["messages"][0], body["messages"][-1]
    assert first["content"][1]["image_url"]["url"] == (
        "data:image/jpeg;base64," + base64.b64encode(earlier.data).decode("ascii")
    )
    assert last["content"][0] == {"type": "text", "text": "And this one?"}
    # Not elided: the existing curl code writes every value whole, so the command works.
    assert last["content"][1]["image_url"]["url"] == (
        "data:image/png;base64," + base64.b64encode(now.data).decode("ascii")
    )
    only_files = session.chat.preview_request(session.cid, "", [now])
    assert only_files.messages[-1].content == [
        {"type": "image_url", "image_url": last["content"][1]["image_url"]}
    ]
