"""PDF export: text that can be read back, a header on every page, code lines whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QGuiApplication

from foxchat.export.html import export_html
from foxchat.export.pdf import PrintFailedError, write_pdf
from foxchat.store import Store

LINE = "print('line {n:03d} of a long program that must not be cut in half by a page break')"


def long_chat(tmp_path: Path) -> tuple[Store, int]:
    store = Store.open(tmp_path / "db.sqlite3")
    cid = store.create_conversation(title="A long program", model="gpt-4o")
    code = "\n".join(LINE.format(n=n) for n in range(160))
    question = store.add_message(cid, parent_id=None, role="user", content="Write it out.")
    store.add_message(
        cid, parent_id=question, role="assistant", content=f"```python\n{code}\n```\n\nDone."
    )
    return store, cid


def test_a_long_chat_becomes_pages_with_headers_and_whole_code_lines(
    qapp: QGuiApplication, tmp_path: Path
) -> None:
    store, cid = long_chat(tmp_path)
    path = tmp_path / "chat.pdf"
    pages = write_pdf(export_html(store, [cid]), path, title="A long program")
    store.close()
    reader = PdfReader(path)
    assert len(reader.pages) == pages > 1
    # Extraction spells spaces as tabs and line breaks; compare the words.
    texts = [" ".join(page.extract_text().split()) for page in reader.pages]
    for number, text in enumerate(texts, start=1):
        assert text.startswith("A long program"), "the header names the chat"
        assert f"{number}/{pages}" in text
    squeezed = ["".join(text.split()) for text in texts]
    for n in range(160):
        line = "".join(LINE.format(n=n).split())
        # Each line is whole on one page: a page break never cuts one in half.
        assert any(line in page for page in squeezed), n
    assert "Done." in texts[-1]


def test_an_unwritable_place_is_a_clear_error(qapp: QGuiApplication, tmp_path: Path) -> None:
    store, cid = long_chat(tmp_path)
    with pytest.raises(PrintFailedError):
        write_pdf(export_html(store, [cid]), tmp_path / "no" / "such" / "dir.pdf", title="x")
    store.close()


def test_formulas_are_drawn_in_the_pdf(qapp: QGuiApplication, tmp_path: Path) -> None:
    store = Store.open(tmp_path / "db.sqlite3")
    cid = store.create_conversation(title="Math")
    question = store.add_message(cid, parent_id=None, role="user", content="Area?")
    store.add_message(cid, parent_id=question, role="assistant", content="It is $\\pi r^2$.")
    plain = tmp_path / "plain.pdf"
    with_math = tmp_path / "math.pdf"
    write_pdf(export_html(store, [cid], inline_math=False), with_math, title="Math")
    store.add_message(cid, parent_id=question, role="assistant", content="It is pi r squared.")
    write_pdf(export_html(store, [cid], inline_math=False), plain, title="Math")
    store.close()
    # The formula is a picture in the page (an image XObject), not missing.
    page = PdfReader(with_math).pages[0]
    assert len(page.images) == 1
    assert len(PdfReader(plain).pages[0].images) == 0


def test_attached_images_are_printed(qapp: QGuiApplication, tmp_path: Path) -> None:
    from foxchat.attachments import image_from_bytes
    from tests.attachments import samples

    store = Store.open(tmp_path / "db.sqlite3")
    cid = store.create_conversation(title="Look")
    image = image_from_bytes(samples.photo_jpeg(320, 240), "cat.jpg", max_side=2048)
    store.add_message(cid, parent_id=None, role="user", content="This?", attachments=[image])
    path = tmp_path / "look.pdf"
    write_pdf(export_html(store, [cid], inline_math=False), path, title="Look")
    store.close()
    assert len(PdfReader(path).pages[0].images) == 1
