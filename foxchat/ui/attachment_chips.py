"""Attachments on screen: chips above the composer, thumbnails in sent messages.

``AttachmentTray`` holds what the person is about to send, in order: each
file or pasted image gets a chip at once (a pasted image with its thumbnail,
made from the clipboard's pixels by sampling, so it costs no more than a
millisecond), while ``AttachmentService`` prepares it on a worker thread; the
chip then shows the size, page count or a problem. Chips take the keyboard
focus: Delete or Backspace removes one, Enter or Space opens an image.

``AttachmentStrip`` shows a sent message's attachments from their stored
thumbnails only; a click asks for the full image (the viewer loads it then).
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path
from typing import Final

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QImage, QKeyEvent, QMouseEvent, QPixmap, QPixmapCache, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from foxchat import locale_format
from foxchat.attachments import Attachment, AttachmentInfo, describe_size
from foxchat.i18n import _, ngettext
from foxchat.services.attachments import AttachmentService, PixelBuffer

CHIP_THUMB: Final = 40
STRIP_THUMB: Final = 120
PASTED_NAME: Final = _("Pasted image {number}")


def describe(info: AttachmentInfo) -> str:
    """The line under a chip's name: pixels, pages or characters, and the size."""
    size = describe_size(info.size)
    if info.is_image:
        return _("{width} × {height} pixels, {size}").format(
            width=info.width, height=info.height, size=size
        )
    if info.pages:
        return ngettext("{count} page, {size}", "{count} pages, {size}", info.pages).format(
            count=locale_format.number(info.pages), size=size
        )
    return ngettext(
        "{count} character, {size}", "{count} characters, {size}", info.characters
    ).format(count=locale_format.number(info.characters), size=size)


def spoken(info: AttachmentInfo) -> str:
    """What a screen reader says for an attachment."""
    if info.is_image:
        return _("Image {name}, {width} by {height} pixels.").format(
            name=info.name, width=info.width, height=info.height
        )
    return _("Document {name}, {details}.").format(name=info.name, details=describe(info))


def thumbnail_pixmap(info: AttachmentInfo, side: int) -> QPixmap:
    """The stored thumbnail at ``side`` pixels at most, decoded once per run (cached)."""
    key = f"foxchat-thumb-{info.sha256}-{side}"
    cached = QPixmap()
    if QPixmapCache.find(key, cached):
        return cached
    pixmap = QPixmap()
    if info.thumbnail and pixmap.loadFromData(info.thumbnail):
        pixmap = pixmap.scaled(
            side,
            side,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        QPixmapCache.insert(key, pixmap)
    return pixmap


def quick_preview(image: QImage, side: int = CHIP_THUMB) -> QPixmap:
    """A thumbnail of a (possibly huge) image by sampling: about a millisecond at 20 megapixels."""
    small = image.scaled(
        side, side, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation
    )
    return QPixmap.fromImage(small)


# Qt image formats Pillow reads as they are: (mode, rawmode). The 32-bit
# formats are one integer per pixel, so their byte order is the machine's.
_LITTLE = sys.byteorder == "little"
_PILLOW_LAYOUTS: Final = {
    QImage.Format.Format_RGB32: ("RGB", "BGRX" if _LITTLE else "XRGB"),
    QImage.Format.Format_ARGB32: ("RGBA", "BGRA" if _LITTLE else "ARGB"),
    QImage.Format.Format_ARGB32_Premultiplied: ("RGBA", "BGRa" if _LITTLE else "aRGB"),
    QImage.Format.Format_RGB888: ("RGB", "RGB"),
    QImage.Format.Format_BGR888: ("RGB", "BGR"),
    QImage.Format.Format_RGBX8888: ("RGB", "RGBX"),
    QImage.Format.Format_RGBA8888: ("RGBA", "RGBA"),
    QImage.Format.Format_RGBA8888_Premultiplied: ("RGBA", "RGBa"),
    QImage.Format.Format_Grayscale8: ("L", "L"),
}


def pixel_buffer(image: QImage) -> PixelBuffer:
    """``image``'s pixels for Pillow, on a worker thread.

    Qt's own conversion holds the GIL for the whole image (35 ms at 20
    megapixels, a visible stall), so the common clipboard formats are handed
    to Pillow as they are, which converts them without holding it.
    """
    layout = _PILLOW_LAYOUTS.get(image.format())
    if layout is None:  # rare formats: Qt converts, and the GUI may wait a moment
        image = image.convertToFormat(QImage.Format.Format_RGBA8888)
        layout = ("RGBA", "RGBA")
    size = (image.width(), image.height())
    # Pillow reads the pixels where they are; ``owner`` keeps them alive meanwhile.
    pixels = memoryview(image.constBits())
    return PixelBuffer(layout[0], size, pixels, image.bytesPerLine(), layout[1], owner=image)


class AttachmentChip(QFrame):
    """One attachment waiting to be sent: thumbnail or icon, name, details, remove button."""

    remove_requested = Signal()
    open_requested = Signal()

    def __init__(self, name: str, preview: QPixmap | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentChip")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.name = name
        self.attachment: Attachment | None = None
        self.thumb = QLabel(self)
        self.thumb.setObjectName("attachmentThumb")
        self.thumb.setFixedSize(CHIP_THUMB, CHIP_THUMB)
        self.thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if preview is not None and not preview.isNull():
            self.thumb.setPixmap(preview)
        else:
            icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
            self.thumb.setPixmap(icon.pixmap(24, 24))
        self.title = QLabel(self)
        self.title.setObjectName("attachmentName")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setText(self._elided(name))
        self.details = QLabel(_("Preparing…"), self)
        self.details.setObjectName("attachmentDetails")
        self.thumb.setAccessibleName(_("Thumbnail of {name}").format(name=name))
        self.title.setAccessibleName(name)
        self.details.setAccessibleName(_("{name} is being prepared.").format(name=name))
        self.remove_button = QToolButton(self)
        self.remove_button.setObjectName("removeAttachmentButton")
        self.remove_button.setText("×")
        self.remove_button.setAutoRaise(True)
        label = _("Remove {name} from the message").format(name=name)
        self.remove_button.setAccessibleName(label)
        self.remove_button.setToolTip(label)
        words = QVBoxLayout()
        words.setSpacing(0)
        words.addWidget(self.title)
        words.addWidget(self.details)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 2, 2)
        layout.setSpacing(6)
        layout.addWidget(self.thumb)
        layout.addLayout(words)
        layout.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        self.setAccessibleName(_("Attachment {name}, being prepared.").format(name=name))
        self.setToolTip(name)
        self.remove_button.clicked.connect(self.remove_requested)

    @staticmethod
    def _elided(name: str) -> str:
        return name if len(name) <= 28 else name[:16] + "…" + name[-10:]

    def set_ready(self, attachment: Attachment) -> None:
        """Show what the attachment became: its thumbnail and details."""
        self.attachment = attachment
        info = attachment.info()
        self.name = attachment.name
        self.title.setText(self._elided(attachment.name))
        self.details.setText(describe(info))
        self.details.setAccessibleName(describe(info))
        self.title.setAccessibleName(attachment.name)
        if info.is_image:
            pixmap = thumbnail_pixmap(info, CHIP_THUMB)
            if not pixmap.isNull():
                self.thumb.setPixmap(pixmap)
        self.setAccessibleName(spoken(info))
        self.setToolTip(attachment.name)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.remove_requested.emit()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.open_requested.emit()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.open_requested.emit()
        event.accept()


class AttachmentTray(QScrollArea):
    """The chips of the message being written, in the order they will be sent.

    ``changed`` fires whenever a chip is added, becomes ready or goes, so the
    composer can update; ``problem`` carries a plain-words message when a file
    could not be attached (its chip is removed); ``open_requested`` asks to
    show a ready image full size.
    """

    changed = Signal()
    problem = Signal(str)
    open_requested = Signal(str, bytes)

    def __init__(self, service: AttachmentService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentTray")
        self.setAccessibleName(_("Attachments of this message"))
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # The chips take the focus, one by one; the row itself is no stop.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._service = service
        self._row = QWidget(self)
        self._layout = QHBoxLayout(self._row)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(6)
        self._layout.addStretch(1)
        self.setWidget(self._row)
        self._chips: dict[int, AttachmentChip] = {}
        self._pasted = 0
        self._restored = itertools.count(-1, -1)
        service.ready.connect(self._on_ready)
        service.failed.connect(self._on_failed)
        self.hide()

    # -- adding ------------------------------------------------------------

    def add_files(self, paths: list[Path]) -> None:
        """Attach files (dropped or picked); each gets its chip at once."""
        for path in paths:
            job = self._service.attach_file(path)
            self._add_chip(job, AttachmentChip(path.name, None, self._row))

    def add_image(self, image: QImage) -> None:
        """Attach a pasted image: chip and thumbnail now, the rest on a worker thread."""
        self._pasted += 1
        name = PASTED_NAME.format(number=self._pasted)
        # The copy shares the pixels (Qt's implicit sharing): the worker converts it.
        pasted = QImage(image)

        def pixels() -> PixelBuffer:
            return pixel_buffer(pasted)

        job = self._service.attach_pixels(name, pixels)
        self._add_chip(job, AttachmentChip(name, quick_preview(image), self._row))

    def add_ready(self, attachments: list[Attachment]) -> None:
        """Put back attachments that are already prepared (a send that did not go)."""
        for attachment in attachments:
            chip = AttachmentChip(attachment.name, None, self._row)
            chip.set_ready(attachment)
            # Negative ids: never a job id the service hands out.
            self._add_chip(next(self._restored), chip)

    def _add_chip(self, job: int, chip: AttachmentChip) -> None:
        self._chips[job] = chip
        self._layout.insertWidget(self._layout.count() - 1, chip)
        chip.remove_requested.connect(lambda: self.remove(job))
        chip.open_requested.connect(lambda: self._open(chip))
        self.show()
        self._fit_height()
        self.changed.emit()

    # -- state -------------------------------------------------------------

    def chips(self) -> list[AttachmentChip]:
        """The chips in order."""
        found = []
        for index in range(self._layout.count()):
            item = self._layout.itemAt(index)
            chip = item.widget() if item is not None else None
            if isinstance(chip, AttachmentChip):
                found.append(chip)
        return found

    def attachments(self) -> list[Attachment]:
        """The ready attachments, in order."""
        return [chip.attachment for chip in self.chips() if chip.attachment is not None]

    def busy(self) -> bool:
        """Whether some chip is still being prepared."""
        return any(chip.attachment is None for chip in self._chips.values())

    def remove(self, job: int) -> None:
        """Take one attachment off the message (focus moves to a neighbour)."""
        chip = self._chips.pop(job, None)
        if chip is None:
            return
        chips = self.chips()
        index = chips.index(chip)
        neighbours = chips[index + 1 : index + 2] or chips[index - 1 : index]
        chip.hide()
        chip.deleteLater()
        self._layout.removeWidget(chip)
        if neighbours and neighbours[0] is not chip:
            neighbours[0].setFocus()
        self.setVisible(bool(self._chips))
        self._fit_height()
        self.changed.emit()

    def clear(self) -> None:
        """Remove every chip (after a send)."""
        for job in list(self._chips):
            self.remove(job)

    def _fit_height(self) -> None:
        """As tall as the chips, plus the scroll bar when they do not fit side by side."""
        chips = self.chips()
        height = max((chip.sizeHint().height() for chip in chips), default=0) + 4
        if self._row.sizeHint().width() > self.viewport().width():
            height += self.horizontalScrollBar().sizeHint().height()
        self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()

    # -- results -----------------------------------------------------------

    def _on_ready(self, job: int, attachment: Attachment) -> None:
        chip = self._chips.get(job)
        if chip is not None:
            chip.set_ready(attachment)
            self._fit_height()
            self.changed.emit()

    def _on_failed(self, job: int, message: str) -> None:
        if job in self._chips:
            # The problem first: a send waiting for this chip must not go without it.
            self.problem.emit(message)
            self.remove(job)

    def _open(self, chip: AttachmentChip) -> None:
        if chip.attachment is not None and chip.attachment.is_image:
            self.open_requested.emit(chip.attachment.name, chip.attachment.data)


class AttachmentStrip(QWidget):
    """A sent message's attachments: thumbnails of images, names of documents."""

    open_requested = Signal(AttachmentInfo)

    def __init__(self, infos: list[AttachmentInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentStrip")
        self.setAccessibleName(_("Attached files"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.buttons: list[QToolButton] = []
        for info in infos:
            button = QToolButton(self)
            button.setObjectName("attachmentButton")
            button.setAutoRaise(True)
            button.setAccessibleName(spoken(info))
            if info.is_image:
                pixmap = thumbnail_pixmap(info, STRIP_THUMB)
                button.setIcon(pixmap)
                # The thumbnail's own shape: a square would pad a wide image with blank space.
                shown = pixmap.size() if not pixmap.isNull() else QSize(STRIP_THUMB, STRIP_THUMB)
                button.setIconSize(shown)
                button.setToolTip(_("{name}. Click to see it full size.").format(name=info.name))
                button.clicked.connect(lambda _=False, i=info: self.open_requested.emit(i))
            else:
                button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon))
                button.setText(f"{info.name} ({describe(info)})")
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
                button.setToolTip(spoken(info))
            layout.addWidget(button)
            self.buttons.append(button)
        layout.addStretch(1)
