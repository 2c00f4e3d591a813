"""Exporting the chat on screen as a web page or a PDF, printing it, copying it whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QGuiApplication
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication

from foxchat import i18n
from foxchat.app import FoxChatApp
from foxchat.export.pdf import pdf_printer, print_html
from tests.asyncqt import run, until
from tests.fakeserver import FakeOpenAIServer, Reply
from tests.ui.harness import Harness, harness, with_key

__all__ = ["harness"]  # the fixture, imported for pytest


async def chatted(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> tuple[FoxChatApp, int]:
    with_key(monkeypatch)
    app = harness.start()
    await harness.idle()
    app.window.send("Show me a table.")
    cid = app.window.current_id
    assert cid is not None
    await until(lambda: not app.chat.is_streaming(cid))
    QApplication.processEvents()
    return app, cid


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_a_chat_exports_as_a_web_page_or_a_pdf(
    harness: Harness,
    fake_server: FakeOpenAIServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    fmt: str,
) -> None:
    fake_server.default_reply = Reply(text="| a | b |\n|---|---|\n| 1 | 2 |")
    target = tmp_path / f"chat.{fmt}"

    async def scenario() -> None:
        app, cid = await chatted(harness, monkeypatch)
        app.window.ask_save_path = lambda _parent, _title, _start, _filter: target
        app.window.export_conversation(cid, fmt)
        assert target.exists() and not target.with_name(target.name + ".part").exists()
        if fmt == "html":
            page = target.read_text(encoding="utf-8")
            assert "Show me a table." in page and "<table" in page
        else:
            text = " ".join(PdfReader(target).pages[0].extract_text().split())
            assert "Show me a table." in text

    run(harness.loop, scenario())


def test_printing_goes_through_the_same_pages(tmp_path: Path, qapp: QApplication) -> None:
    # The print dialog is the system's; what it prints is print_html on its printer.
    printer = pdf_printer(tmp_path / "printed.pdf")
    assert isinstance(printer, QPrinter)
    assert print_html("<h1>Title</h1><p>Body</p>", printer, title="A chat") == 1
    assert "Body" in PdfReader(tmp_path / "printed.pdf").pages[0].extract_text()


def test_the_whole_chat_can_be_copied_as_markdown(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_server.default_reply = Reply(text="Here it is.")

    async def scenario() -> None:
        app, _cid = await chatted(harness, monkeypatch)
        app.window.copy_chat_action.trigger()
        copied = QGuiApplication.clipboard().text()
        assert "## You" in copied and "Show me a table." in copied and "Here it is." in copied

    run(harness.loop, scenario())


def test_the_file_name_and_dialog_speak_the_language_in_use(
    harness: Harness,
    fake_server: FakeOpenAIServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    asked: list[tuple[str, Path, str]] = []

    def ask(_parent: object, title: str, start: Path, file_filter: str) -> Path:
        asked.append((title, start, file_filter))
        return tmp_path / "chat.html"

    async def scenario() -> None:
        app, cid = await chatted(harness, monkeypatch)
        app.window.ask_save_path = ask
        app.window.export_conversation(cid, "html")
        assert app.window.statusBar().currentMessage().startswith("已导出到 ")

    i18n.install("zh_CN")
    try:
        run(harness.loop, scenario())
    finally:
        i18n.install(i18n.ENGLISH)
    assert asked == [("导出对话", Path("新对话.html"), "网页 (*.html)")]
