"""ChatService: what a person sees of a reply is what is stored.

Most tests build the service on its own, as the composition root does: a
real store, a real ``ChatClient`` on the fake server, a ``LoopGate``, no
window. One runs the whole app on a full disk (the file-size limit,
``tests/full_disk.py``) while a reply streams: the stream goes on, and what
is shown is what is kept. Before, the first failed save ended the reply part
way; then a reply shown as complete could be stored shorter and become
``interrupted`` at the next start.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from foxchat.api import AuthenticationError, ChatClient
from foxchat.app import FoxChatApp
from foxchat.paths import database_path
from foxchat.services.chat_session import ChatService
from foxchat.services.stream_pacing import STEP_S
from foxchat.services.tasks import LoopGate
from foxchat.store import MessageStatus, Store, StoredMessage
from tests.asyncqt import run, until
from tests.conftest import ErrorLog
from tests.fakeserver import FakeOpenAIServer, Reply, StatusReply
from tests.full_disk import file_size_limit
from tests.ui.harness import Harness, harness, reply_text, type_and_send, with_key

__all__ = ["harness"]  # the fixture, imported for pytest

TEXT = "word " * 40_000  # 200 KB: more than the database's files can take in


def test_a_reply_finished_on_a_full_disk_is_kept_and_saved_again_later(
    harness: Harness,
    fake_server: FakeOpenAIServer,
    monkeypatch: pytest.MonkeyPatch,
    error_log: ErrorLog,
) -> None:
    with_key(monkeypatch)
    fake_server.script(Reply(text=TEXT, chunk_size=2_000, delay=0.02))
    files = [database_path().with_name(database_path().name + s) for s in ("", "-wal")]

    async def scenario() -> None:
        app = harness.start()
        await until(lambda: app.endpoint.client() is not None)
        type_and_send(app, "Write a lot.")
        cid = app.window.current_id
        assert cid is not None
        await until(lambda: len(live_text(app, cid)) > 20_000)
        reply_id = app.store.active_path(cid)[-1].id
        limit = max(path.stat().st_size for path in files if path.exists())
        with file_size_limit(limit):
            await until(lambda: not app.chat.is_streaming(cid))
            stored = app.store.get_message(reply_id)
            widget = app.window.message_view.message_widget(reply_id)
            assert widget is not None
            # On screen: the whole reply, and that its end is not saved.
            assert reply_text(app, reply_id).split() == TEXT.split()
            assert widget.save_again_button.isVisible()
            assert "could not be saved" in widget.error_text.text()
            assert len(stored.content) < len(TEXT)
            QTest.mouseClick(widget.save_again_button, Qt.MouseButton.LeftButton)
            assert widget.save_again_button.isVisible(), "still full: still unsaved"
        QTest.mouseClick(widget.save_again_button, Qt.MouseButton.LeftButton)
        stored = app.store.get_message(reply_id)
        assert stored.content == TEXT and stored.status is MessageStatus.COMPLETE
        assert not widget.save_again_button.isVisible()
        assert not widget.error_box.isVisible()
        await harness.idle()

    run(harness.loop, scenario())


def live_text(app: FoxChatApp, cid: int) -> str:
    live = app.chat.live_reply(cid)
    return live.content if live is not None else ""


# -- ChatService on its own: a real store, a real client, the fake server ----
#
# No window: the service is built as the composition root builds it, with a
# client provider and a LoopGate, and driven on the qasync loop.


class Session:
    """One ChatService over a fresh database, talking to the fake server."""

    def __init__(self, store: Store, client: ChatClient, gate: LoopGate) -> None:
        self.store = store
        self.client = client
        self.gate = gate
        #: The client the next reply gets; a test may hold it back.
        self.ready = asyncio.Event()
        self.ready.set()
        self.give: ChatClient | None = client
        #: The chat as stored at the moment each reply asked for its client.
        self.seen_at_request: list[list[StoredMessage]] = []
        self.chat = ChatService(store, self.provide, gate=gate)
        self.deltas: list[tuple[int, str]] = []
        self.finished: list[tuple[int, str]] = []
        self.errors: list[str] = []
        self.chat.reply_delta.connect(lambda _c, mid, text, _r: self.deltas.append((mid, text)))
        self.chat.reply_finished.connect(
            lambda _c, mid, status: self.finished.append((mid, status))
        )
        self.chat.error.connect(lambda _c, message: self.errors.append(message))
        self.cid = store.create_conversation(title="Test", model="gpt-4o-mini")

    async def provide(self) -> ChatClient | None:
        self.seen_at_request.append(self.store.active_path(self.cid))
        await self.ready.wait()
        return self.give

    def last(self) -> StoredMessage:
        return self.store.active_path(self.cid)[-1]

    async def reply_to(self, text: str) -> StoredMessage:
        """Send ``text`` and wait for the reply to end; the stored reply."""
        assert self.chat.send(self.cid, text) is not None
        await until(lambda: not self.chat.is_streaming(self.cid))
        return self.last()


@pytest.fixture
def session(qloop: asyncio.AbstractEventLoop, fake_server: FakeOpenAIServer) -> Iterator[Session]:
    client = ChatClient(fake_server.base_url, "sk-test", max_retries=0)
    with Store.open(database_path()) as store:
        opened = Session(store, client, LoopGate())
        yield opened
        run(qloop, opened.chat.shutdown())
        run(qloop, client.aclose())


LONG = " ".join(f"word{n}" for n in range(120))


def test_send_stores_the_question_before_asking_and_the_reply_as_it_streams(
    session: Session, fake_server: FakeOpenAIServer, qloop: asyncio.AbstractEventLoop
) -> None:
    fake_server.script(Reply(text=LONG, chunk_size=8, delay=0.02))  # about 1.7 s

    async def scenario() -> None:
        question = session.chat.send(session.cid, "  Count for me.  ")
        assert question is not None
        await until(lambda: session.seen_at_request)
        asked, reply = session.seen_at_request[0]
        assert (asked.id, asked.role, asked.content) == (question, "user", "Count for me.")
        assert reply.role == "assistant" and reply.status is MessageStatus.STREAMING
        # Half-way, the text so far is already on disk, not only on screen.
        await until(lambda: session.store.get_message(reply.id).content)
        assert session.chat.is_streaming(session.cid)
        partial = session.store.get_message(reply.id)
        assert partial.status is MessageStatus.STREAMING
        assert LONG.startswith(partial.content) and partial.content != LONG
        await until(lambda: not session.chat.is_streaming(session.cid))
        done = session.store.get_message(reply.id)
        assert (done.content, done.status, done.finish_reason) == (
            LONG,
            MessageStatus.COMPLETE,
            "stop",
        )
        assert session.finished == [(reply.id, MessageStatus.COMPLETE.value)]

    run(qloop, scenario())
    sent = fake_server.requests[-1].body
    assert sent["model"] == "gpt-4o-mini"
    assert sent["messages"][-1] == {"role": "user", "content": "Count for me."}


def test_stop_keeps_the_text_that_arrived_as_a_stopped_reply(
    session: Session, fake_server: FakeOpenAIServer, qloop: asyncio.AbstractEventLoop
) -> None:
    fake_server.script(Reply(text=LONG, chunk_size=4, delay=0.03))

    async def scenario() -> StoredMessage:
        session.chat.send(session.cid, "Go on and on.")
        await until(lambda: len(session.deltas) >= 5)
        session.chat.stop(session.cid)
        await until(lambda: not session.chat.is_streaming(session.cid))
        return session.last()

    stopped = run(qloop, scenario())
    shown = "".join(text for mid, text in session.deltas if mid == stopped.id)
    assert stopped.status is MessageStatus.STOPPED
    assert stopped.content == shown, "what was on screen is what is kept"
    assert shown and LONG.startswith(shown) and shown != LONG
    assert stopped.error is None and session.errors == [], "a stop is not an error"


def test_a_reply_stopped_before_the_loop_ran_is_saved_as_stopped(
    session: Session, qloop: asyncio.AbstractEventLoop
) -> None:
    # Enter, then Esc, in the first frame: no event loop runs yet.
    question = session.chat.send(session.cid, "Hello?")
    assert question is not None and session.chat.is_streaming(session.cid)
    session.chat.stop(session.cid)
    session.gate.open(qloop)
    run(qloop, until(lambda: not session.chat.is_streaming(session.cid)))
    reply = session.last()
    assert reply.parent_id == question
    assert (reply.role, reply.status, reply.content) == ("assistant", MessageStatus.STOPPED, "")
    assert session.finished == [(reply.id, MessageStatus.STOPPED.value)]


def test_a_reply_dropped_by_quitting_before_the_loop_ran_is_not_left_streaming(
    session: Session, qloop: asyncio.AbstractEventLoop
) -> None:
    session.chat.send(session.cid, "Hello?")
    run(qloop, session.chat.shutdown())  # the gate never opened
    assert not session.chat.is_streaming(session.cid)
    assert session.last().status is MessageStatus.STOPPED


def test_retry_replaces_a_failed_empty_reply(
    session: Session, fake_server: FakeOpenAIServer, qloop: asyncio.AbstractEventLoop
) -> None:
    fake_server.script(
        StatusReply(503, {"error": {"message": "Overloaded"}}), Reply(text="Here you are.")
    )

    async def scenario() -> tuple[StoredMessage, StoredMessage]:
        failed = await session.reply_to("Tell me.")
        assert session.chat.retry(session.cid)
        await until(lambda: not session.chat.is_streaming(session.cid))
        return failed, session.last()

    failed, again = run(qloop, scenario())
    assert (failed.status, failed.content) == (MessageStatus.ERROR, "")
    assert again.parent_id == failed.parent_id
    assert (again.status, again.content) == (MessageStatus.COMPLETE, "Here you are.")
    assert session.store.siblings(again.id) == [again.id], "the empty failure is gone"
    assert [m.role for m in session.store.active_path(session.cid)] == ["user", "assistant"]


def test_regenerate_adds_an_alternative_and_keeps_the_first(
    session: Session, fake_server: FakeOpenAIServer, qloop: asyncio.AbstractEventLoop
) -> None:
    fake_server.script(Reply(text="First answer."), Reply(text="Second answer."))

    async def scenario() -> tuple[StoredMessage, StoredMessage]:
        first = await session.reply_to("Answer me.")
        assert session.chat.regenerate(session.cid, first.id)
        await until(lambda: not session.chat.is_streaming(session.cid))
        return first, session.last()

    first, second = run(qloop, scenario())
    assert second.id != first.id and second.parent_id == first.parent_id
    assert session.store.siblings(first.id) == [first.id, second.id]
    assert session.store.get_message(first.id).content == "First answer."
    assert (second.content, second.status) == ("Second answer.", MessageStatus.COMPLETE)
    # The regenerated history sent the question once, without the first answer.
    assert [m["role"] for m in fake_server.requests[-1].body["messages"]] == ["user"]


def test_an_api_error_is_stored_on_the_reply_in_plain_words(
    session: Session, fake_server: FakeOpenAIServer, qloop: asyncio.AbstractEventLoop
) -> None:
    fake_server.script(StatusReply(401, {"error": {"message": "Incorrect API key provided"}}))
    reply = run(qloop, session.reply_to("Hi."))
    assert reply.status is MessageStatus.ERROR and reply.content == ""
    assert reply.error is not None
    assert reply.error.startswith(AuthenticationError.default_message)
    assert "Incorrect API key provided" in reply.error, "the server's own words are kept"
    assert "AuthenticationError" not in reply.error and "Traceback" not in reply.error
    assert session.errors == [reply.error], "the window is told the same words"
    assert session.finished == [(reply.id, MessageStatus.ERROR.value)]


def test_several_choices_become_alternatives_with_the_first_shown(
    session: Session, fake_server: FakeOpenAIServer, qloop: asyncio.AbstractEventLoop
) -> None:
    fake_server.script(Reply(choices=["Answer one.", "Answer two.", "Answer three."]))
    reply = run(qloop, session.reply_to("Give me three."))
    assert (reply.content, reply.status) == ("Answer one.", MessageStatus.COMPLETE)
    alternatives = [session.store.get_message(mid) for mid in session.store.siblings(reply.id)]
    assert [m.content for m in alternatives] == ["Answer one.", "Answer two.", "Answer three."]
    assert {m.status for m in alternatives} == {MessageStatus.COMPLETE}
    assert {m.parent_id for m in alternatives} == {reply.parent_id}


def test_several_choices_stopped_part_way_are_all_kept_as_stopped(
    session: Session, fake_server: FakeOpenAIServer, qloop: asyncio.AbstractEventLoop
) -> None:
    fake_server.script(Reply(choices=[LONG, LONG], chunk_size=4, delay=0.03))

    async def scenario() -> StoredMessage:
        session.chat.send(session.cid, "Two long ones.")
        await until(lambda: len(session.deltas) >= 5)
        session.chat.stop(session.cid)
        await until(lambda: not session.chat.is_streaming(session.cid))
        return session.last()

    reply = run(qloop, scenario())
    alternatives = [session.store.get_message(mid) for mid in session.store.siblings(reply.id)]
    assert len(alternatives) == 2
    # The second answer was cut short too: never shown as complete.
    assert {m.status for m in alternatives} == {MessageStatus.STOPPED}
    assert all(len(m.content) < len(LONG) for m in alternatives)


def test_a_reply_asked_for_before_the_key_is_known_waits_for_the_client(
    session: Session, fake_server: FakeOpenAIServer, qloop: asyncio.AbstractEventLoop
) -> None:
    session.ready.clear()  # the keyring has not answered yet
    fake_server.script(Reply(text="Worth the wait."))

    async def scenario() -> StoredMessage:
        session.chat.send(session.cid, "Hello?")
        await asyncio.sleep(0.3)
        assert session.chat.is_streaming(session.cid)
        assert session.last().status is MessageStatus.STREAMING, "waiting, not failed"
        assert fake_server.requests == []
        session.ready.set()
        await until(lambda: not session.chat.is_streaming(session.cid))
        return session.last()

    reply = run(qloop, scenario())
    assert (reply.content, reply.status) == ("Worth the wait.", MessageStatus.COMPLETE)
    assert session.errors == []


def test_a_reply_when_there_is_no_key_says_where_to_set_one(
    session: Session, fake_server: FakeOpenAIServer, qloop: asyncio.AbstractEventLoop
) -> None:
    session.give = None  # the keyring answered: no key
    reply = run(qloop, session.reply_to("Hello?"))
    assert reply.status is MessageStatus.ERROR
    assert reply.error is not None and "Open Settings" in reply.error
    assert session.errors == [reply.error]
    assert fake_server.requests == []


def test_a_fast_stream_is_handed_on_in_a_few_steps_and_nothing_is_lost(
    session: Session, fake_server: FakeOpenAIServer, qloop: asyncio.AbstractEventLoop
) -> None:
    """400 chunks a second: one reply_delta per chunk cost a run through every slot."""
    text = "".join(f"Sentence {n} of a long and fast reply. " for n in range(60))
    chunks = -(-len(text) // 4)
    fake_server.script(Reply(text=text, chunk_size=4, rate=400))  # about 1.5 s
    lives: list[tuple[str, str]] = []

    def compare_live(_cid: int, _mid: int, _text: str, _reasoning: str) -> None:
        live = session.chat.live_reply(session.cid)
        assert live is not None
        shown = "".join(part for _mid, part in session.deltas)
        lives.append((live.content, shown))

    session.chat.reply_delta.connect(compare_live)
    reply = run(qloop, session.reply_to("Go fast."))
    assert reply.content == text
    assert "".join(part for mid, part in session.deltas if mid == reply.id) == text
    # At most one step's text at a time: about 30 a second, not 400.
    assert len(session.deltas) <= chunks / 4
    # What a window opened mid-stream reads, plus the deltas after, is the reply once.
    assert lives and all(live == shown for live, shown in lives)


def test_a_fast_stream_is_handed_on_at_most_once_a_step(
    session: Session, fake_server: FakeOpenAIServer, qloop: asyncio.AbstractEventLoop
) -> None:
    """Each hand-on is a run through the slots and a frame, however little text it brings.

    Before, an event read just after a pause counted as the stream running
    dry and went out alone: about 42 hand-ons a second for a 30-a-second step.
    The step is 50 ms: ``benchmarks/stream_cpu.py`` measured 20 updates a second
    at about a quarter less per-chunk CPU than 30, and 20 still reads as a stream.
    """
    text = "".join(f"Sentence {n} of a long and fast reply. " for n in range(80))
    fake_server.script(Reply(text=text, chunk_size=4, rate=400))  # about 2 s
    began = qloop.time()
    reply = run(qloop, session.reply_to("Go fast."))
    seconds = qloop.time() - began
    assert reply.content == "".join(part for mid, part in session.deltas if mid == reply.id)
    # One a step (a timer may fire a millisecond early), and the rest at the end.
    assert len(session.deltas) <= seconds / STEP_S * 1.1 + 2


def test_a_slow_stream_is_handed_on_as_each_chunk_arrives(
    session: Session, fake_server: FakeOpenAIServer, qloop: asyncio.AbstractEventLoop
) -> None:
    text = "Slow words, one small piece at a time."
    fake_server.script(Reply(text=text, chunk_size=4, rate=25))  # 40 ms apart
    reply = run(qloop, session.reply_to("Take your time."))
    assert reply.content == text == "".join(part for _mid, part in session.deltas)
    # Each piece on its own as it comes (two may meet if this machine stalls 40 ms).
    assert len(session.deltas) >= -(-len(text) // 4) - 2


def test_text_that_arrived_is_shown_while_the_model_pauses(
    session: Session, fake_server: FakeOpenAIServer, qloop: asyncio.AbstractEventLoop
) -> None:
    """A burst of chunks, then silence: the whole burst is handed on, not held for the pause."""
    text = "One burst of words arrives together, then the model stops to think a while."
    burst = 12  # events: the role chunk, then 11 pieces of text
    shown = text[: 4 * (burst - 1)]
    fake_server.script(Reply(text=text, chunk_size=4, stall_after=burst, stall_seconds=3))

    async def scenario() -> str:
        session.chat.send(session.cid, "Say something.")
        await until(lambda: session.deltas)
        await asyncio.sleep(0.5)  # well inside the pause
        seen = "".join(part for _mid, part in session.deltas)
        session.chat.stop(session.cid)
        await until(lambda: not session.chat.is_streaming(session.cid))
        return seen

    assert run(qloop, scenario()) == shown
