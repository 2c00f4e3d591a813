"""Chips and thumbnails on their own: what they say, their shape, and the keyboard."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from foxchat import i18n
from foxchat.attachments import document_from_bytes, image_from_bytes
from foxchat.paths import database_path
from foxchat.services.attachments import AttachmentService
from foxchat.store import Store
from foxchat.ui.attachment_chips import AttachmentStrip, AttachmentTray, describe, spoken
from tests.attachments import samples


@pytest.fixture
def service() -> Iterator[AttachmentService]:
    with Store.open(database_path()) as store:
        loader = AttachmentService(store, max_side=lambda: 2048)
        yield loader
        loader.shutdown()


def test_what_a_chip_says_for_each_kind() -> None:
    image = image_from_bytes(samples.screenshot_png(1280, 720), "shot.png", max_side=2048)
    pdf = document_from_bytes(samples.pdf(["One", "Two", "Three"]), "three.pdf")
    text = document_from_bytes(b"x" * 2048, "notes.txt")
    assert describe(image.info()).startswith("1280 × 720 pixels, ")
    assert describe(pdf.info()).startswith("3 pages, ")
    assert describe(text.info()) == "2,048 characters, 2.0 KB"
    assert spoken(image.info()) == "Image shot.png, 1280 by 720 pixels."
    assert spoken(text.info()) == "Document notes.txt, 2,048 characters, 2.0 KB."


def test_one_page_and_one_character_are_said_in_the_singular() -> None:
    letter = document_from_bytes(b"x", "x.txt")
    pdf = document_from_bytes(samples.pdf(["Only"]), "one.pdf")
    assert describe(letter.info()).startswith("1 character, ")
    assert describe(pdf.info()).startswith("1 page, ")
    i18n.install("zh_CN")
    try:
        assert describe(letter.info()).startswith("1 个字符，")
        assert spoken(pdf.info()).startswith("文档 one.pdf，1 页，")
    finally:
        i18n.install(i18n.ENGLISH)


def test_a_wide_thumbnail_keeps_its_shape(qtbot: QtBot) -> None:
    image = image_from_bytes(samples.screenshot_png(1600, 400), "wide.png", max_side=2048)
    strip = AttachmentStrip([image.info()])
    qtbot.addWidget(strip)
    [button] = strip.buttons
    assert button.iconSize().width() == 120
    assert button.iconSize().height() == 30


def test_enter_on_a_ready_image_chip_asks_to_open_it(
    qtbot: QtBot, service: AttachmentService, tmp_path: Path
) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(samples.photo_jpeg(640, 480))
    tray = AttachmentTray(service)
    qtbot.addWidget(tray)
    tray.show()
    tray.add_files([path])
    [chip] = tray.chips()
    qtbot.waitUntil(lambda: chip.attachment is not None)
    with qtbot.waitSignal(tray.open_requested) as opened:
        QTest.keyClick(chip, Qt.Key.Key_Return)
    assert opened.args is not None and opened.args[0] == "photo.jpg"


def test_the_row_makes_room_for_its_scroll_bar_when_narrow(
    qtbot: QtBot, service: AttachmentService, tmp_path: Path
) -> None:
    paths = []
    for n in range(2):
        paths.append(tmp_path / f"a-rather-long-document-name-{n}.txt")
        paths[-1].write_text("hello", encoding="utf-8")
    tray = AttachmentTray(service)
    qtbot.addWidget(tray)
    tray.resize(1200, 60)
    tray.show()
    tray.add_files(paths)
    qtbot.waitUntil(lambda: not tray.busy())
    wide = tray.height()
    tray.resize(300, wide)
    qtbot.waitUntil(lambda: tray.height() > wide)
    chip_height = tray.chips()[0].sizeHint().height()
    assert tray.height() >= chip_height + tray.horizontalScrollBar().sizeHint().height()


def test_every_part_of_a_chip_has_a_name(
    qtbot: QtBot, service: AttachmentService, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QWidget

    path = tmp_path / "report.pdf"
    path.write_bytes(samples.pdf(["Hello"]))
    tray = AttachmentTray(service)
    qtbot.addWidget(tray)
    tray.add_files([path])
    [chip] = tray.chips()
    qtbot.waitUntil(lambda: chip.attachment is not None)
    unnamed = [w.objectName() for w in chip.findChildren(QWidget) if not w.accessibleName()]
    assert unnamed == []
    assert chip.details.accessibleName().startswith("1 page, ")
