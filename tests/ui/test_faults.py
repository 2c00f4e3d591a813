"""The fault matrix: every way a reply can fail, through the real main window.

Each case scripts the fake server (or points the app at a closed port), sends
a message by typing it, and checks three things a user would notice:

- what they see: the inline error under the reply (the error's plain words
  and a Retry button), and the part of the reply that did arrive;
- what is stored: their message always, the reply with its status and text;
- that the app stays usable: the next message gets a full reply.

The API client is built with short timeouts and no retry backoff, so stalls
and retries take a fraction of a second; retried statuses are scripted as
often as the client tries (1 + ``MAX_RETRIES``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

import pytest

from foxchat.api import ChatClient, Timeouts
from foxchat.app import FoxChatApp
from foxchat.store import MessageStatus
from tests.asyncqt import until
from tests.fakeserver import (
    FakeOpenAIServer,
    RawReply,
    Reply,
    Scripted,
    StatusReply,
    closed_port_url,
    html_page,
    portal_page,
)
from tests.ui.harness import (
    KEY,
    Harness,
    harness,
    models_fetched,
    reply_text,
    type_and_send,
    with_key,
)

__all__ = ["harness"]  # the fixture, imported for pytest

MAX_RETRIES = 2
SCENARIO_TIMEOUT = 40
SHORT = Timeouts(connect=2, first_byte=3, between_chunks=0.5)
TEN_MB = 10 * 1024 * 1024
TINY_TEXT = ("Short words in a paragraph. " * 20 + "\n\n") * 178
PARTIAL = "Hello there, this reply breaks part way through."


def fast_client(base_url: str, api_key: str) -> ChatClient:
    """The app's client with test-sized timeouts and near-instant retries."""
    return ChatClient(base_url, api_key, timeouts=SHORT, max_retries=MAX_RETRIES, retry_delay=0.01)


def error_body(message: str) -> dict[str, object]:
    return {"error": {"message": message, "type": "invalid_request_error"}}


def retried(item: Scripted) -> tuple[Scripted, ...]:
    """A failure the client retries, scripted for every attempt."""
    return (item,) * (1 + MAX_RETRIES)


@dataclass(frozen=True)
class Fault:
    """One row of the matrix: what the server does, what the user should get."""

    name: str
    script: Sequence[Scripted]
    #: Words that must be in the inline error ("" when the reply succeeds).
    words: str
    #: The reply text kept (a prefix of PARTIAL, a full reply, or "").
    content: str = ""
    status: MessageStatus = MessageStatus.ERROR
    chat_requests: int = 1


def big_text() -> str:
    line = "The quick brown fox jumps over the lazy dog. " * 20 + "\n\n"
    return (line * (TEN_MB // len(line) + 1))[:TEN_MB]


FAULTS = [
    Fault("refused", (), "nothing answered at that address", chat_requests=0),
    Fault(
        "reset mid-stream",
        [Reply(text=PARTIAL, chunk_size=6, reset_after=3)],
        "before the reply was finished",
        content=PARTIAL[:12],
    ),
    Fault(
        "stall after headers",
        [Reply(text=PARTIAL, stall_after_headers=30)],
        "stopped arriving part way through",
    ),
    Fault(
        "stall mid-stream",
        [Reply(text=PARTIAL, chunk_size=6, stall_after=3)],
        "stopped arriving part way through",
        content=PARTIAL[:12],
    ),
    Fault(
        "400",
        [StatusReply(400, error_body("max_tokens is too large for this model"))],
        'refused the request: "max_tokens is too large for this model"',
    ),
    Fault("401", [StatusReply(401, error_body("Incorrect API key"))], "not accept your API key"),
    Fault("402", [StatusReply(402, error_body("Insufficient balance"))], "no credit left"),
    Fault("403", [StatusReply(403, error_body("Model not allowed"))], "not allowed to use"),
    Fault("404", [StatusReply(404, error_body("No such model"))], "ends in /v1"),
    Fault("413", [StatusReply(413, error_body("Payload too large"))], "too long"),
    Fault(
        "422",
        [StatusReply(422, {"detail": [{"msg": "temperature: must be <= 2"}]})],
        '"temperature: must be <= 2"',
    ),
    Fault(
        "429 with Retry-After",
        retried(StatusReply(429, error_body("Rate limit reached"), headers={"Retry-After": "1"})),
        "Wait about 1 second and try again.",
        chat_requests=1 + MAX_RETRIES,
    ),
    Fault(
        "500",
        [StatusReply(500, error_body("Internal error"))],
        "problem on its side (error 500)",
    ),
    Fault(
        "502 with HTML",
        retried(html_page(502)),
        "problem on its side (error 502)",
        chat_requests=1 + MAX_RETRIES,
    ),
    Fault(
        "503",
        retried(StatusReply(503, error_body("Overloaded"))),
        "problem on its side (error 503)",
        chat_requests=1 + MAX_RETRIES,
    ),
    Fault(
        "invalid JSON chunk",
        [Reply(text=PARTIAL, chunk_size=6, invalid_json_after=3)],
        "not valid JSON",
        content=PARTIAL[:12],
    ),
    Fault(
        "truncated stream",
        [Reply(text=PARTIAL, chunk_size=6, truncate_after=3)],
        "ended before the reply was finished",
        content=PARTIAL[:12],
    ),
    Fault(
        "one 10 MB chunk",
        [Reply(text=big_text(), chunk_size=TEN_MB, write_mode="whole")],
        "",
        content=big_text(),
        status=MessageStatus.COMPLETE,
    ),
    Fault(
        "100,000 tiny chunks",
        [Reply(text=TINY_TEXT, chunk_size=1)],
        "",
        content=TINY_TEXT,
        status=MessageStatus.COMPLETE,
    ),
    Fault(
        "SSE as text/plain",
        [Reply(text=PARTIAL, content_type="text/plain")],
        "",
        content=PARTIAL,
        status=MessageStatus.COMPLETE,
    ),
    Fault("web page with 200", [portal_page()], "web page instead of the chat service"),
    Fault(
        "garbage bytes",
        [RawReply(b"\x00\xff\xfe not a stream at all \x01" * 20)],
        "not a chat stream",
    ),
]


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_fault_is_shown_stored_and_survived(
    fault: Fault,
    harness: Harness,
    fake_server: FakeOpenAIServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with_key(monkeypatch)
    refused = fault.name == "refused"
    if refused:
        monkeypatch.setenv("FOXCHAT_BASE_URL", closed_port_url())

    async def scenario() -> None:
        app = harness.start(client_factory=fast_client)
        await until(lambda: app.endpoint.client() is not None)
        # The model list request must not take a scripted failure meant for the chat.
        await until(lambda: refused or models_fetched(fake_server))
        await harness.idle()
        before = len(chat_requests(fake_server))
        fake_server.script(*fault.script)
        type_and_send(app, "Tell me something")
        cid = app.window.current_id
        assert cid is not None
        await until(lambda: not app.chat.is_streaming(cid), SCENARIO_TIMEOUT)

        check_what_is_stored_and_shown(app, cid, fault)
        assert len(chat_requests(fake_server)) - before == fault.chat_requests

        if refused:  # the user fixes the address in Settings
            app.endpoint.set_credentials(fake_server.base_url, KEY)
        await check_next_send_works(app, fake_server, cid)
        await harness.idle()

    # Big replies take a while to lay out; the 20 s default is for normal ones.
    harness.loop.run_until_complete(asyncio.wait_for(scenario(), SCENARIO_TIMEOUT))


def chat_requests(server: FakeOpenAIServer) -> list[object]:
    return [r for r in server.requests if r.path.endswith("/chat/completions")]


def check_what_is_stored_and_shown(app: FoxChatApp, cid: int, fault: Fault) -> None:
    path = app.store.active_path(cid)
    assert [(m.role, m.content) for m in path[:-1]] == [("user", "Tell me something")]
    reply = path[-1]
    assert reply.role == "assistant"
    assert reply.status is fault.status
    assert reply.content == fault.content
    widget = app.window.message_view.message_widget(reply.id)
    assert widget is not None
    shown = reply_text(app, reply.id)
    if fault.status is MessageStatus.ERROR:
        assert reply.error is not None and fault.words in reply.error
        assert widget.error_box.isVisibleTo(app.window)
        assert widget.retry_button.isVisibleTo(app.window)
        assert widget.error_text.text() == reply.error
        # Plain words for people: no exception names, no tracebacks.
        assert "Error(" not in reply.error and "Traceback" not in reply.error
    else:
        assert reply.error is None
        assert not widget.error_box.isVisibleTo(app.window)
    # The text that arrived stays on screen (rendered, so compare loosely).
    assert shown.split() == fault.content.split()


async def check_next_send_works(app: FoxChatApp, server: FakeOpenAIServer, cid: int) -> None:
    server.script(Reply(text="Recovered and well."))
    type_and_send(app, "Again please")
    await until(lambda: not app.chat.is_streaming(cid))
    reply = app.store.active_path(cid)[-1]
    assert reply.error is None
    assert (reply.content, reply.status) == ("Recovered and well.", MessageStatus.COMPLETE)
    assert reply_text(app, reply.id) == "Recovered and well."
    assert app.window.composer.send_button.text() == "Send"
