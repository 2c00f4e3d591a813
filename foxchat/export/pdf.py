"""A chat printed through Qt's own text engine: to a PDF file, or to a printer.

The HTML of :mod:`foxchat.export.html` is laid out in a ``QTextDocument``
paginated to the printer's page, so a page break falls between lines and
never cuts a code line in half. Each page gets a header with the chat's
title and the date, and its number. No widget is needed: the command line
makes PDFs with the offscreen platform.
"""

from __future__ import annotations

import base64
import os
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrinter

from foxchat.i18n import _
from foxchat.math_picture import math_image
from foxchat.render import parse_math_url

#: The text size of the printed chat, in points.
BODY_PT = 10
#: Header height, and the gap under it, in points.
HEADER_PT = 14
GAP_PT = 8
MARGINS_MM = QMarginsF(18, 16, 18, 16)


class PrintDocument(QTextDocument):
    """The page to print: loads nothing but the formulas it draws itself, in ink."""

    def __init__(self, printer: QPrinter) -> None:
        super().__init__()
        self._printer = printer

    def loadResource(self, type: int, name: QUrl | str) -> Any:
        url = name.toString() if isinstance(name, QUrl) else str(name)
        if type == QTextDocument.ResourceType.ImageResource.value and url.startswith("data:image/"):
            # An attached image carried in the page itself: decoded, nothing fetched.
            return _data_image(url)
        parsed = parse_math_url(url)
        if type == QTextDocument.ResourceType.ImageResource.value and parsed is not None:
            latex, display, _dark = parsed
            # Sized as the 10 pt text is on a 96 dpi page (the document scales
            # both to the printer alike), drawn sharp at the printer's resolution.
            font = QFont(self.defaultFont())
            font.setPixelSize(round(BODY_PT * 96 / 72))
            ratio = self._printer.resolution() / 96
            ink = QColor("black")
            return math_image(latex, display=display, colour=ink, font=font, ratio=ratio)
        return QByteArray()


def _data_image(url: str) -> Any:
    header, _, payload = url.partition(",")
    if not header.endswith(";base64"):
        return QByteArray()
    image = QImage()
    if not image.loadFromData(base64.b64decode(payload, validate=False)):
        return QByteArray()
    return image


class PrintFailedError(Exception):
    """The printer (or the PDF file) could not be written; the message says why."""


def pdf_printer(path: Path) -> QPrinter:
    """A printer that writes an A4 PDF to ``path``."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            MARGINS_MM,
            QPageLayout.Unit.Millimeter,
        )
    )
    return printer


def print_html(page_html: str, printer: QPrinter, *, title: str) -> int:
    """Lay ``page_html`` out on ``printer``'s pages with a header; returns the page count."""
    document = PrintDocument(printer)
    document.documentLayout().setPaintDevice(printer)
    document.setDefaultFont(QFont("sans-serif", BODY_PT))
    document.setHtml(page_html)
    page = printer.pageRect(QPrinter.Unit.DevicePixel)
    dpi = printer.resolution()
    header = (HEADER_PT + GAP_PT) * dpi / 72
    body = QSizeF(page.width(), page.height() - header)
    document.setPageSize(body)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintFailedError(_("The printer or the file could not be opened for writing."))
    try:
        pages = document.pageCount()
        date = time.strftime("%Y-%m-%d")
        header_font = QFont("sans-serif", 8)
        for number in range(pages):
            if number:
                printer.newPage()
            painter.save()
            painter.setFont(header_font)
            line = QRectF(0, 0, body.width(), HEADER_PT * dpi / 72)
            painter.drawText(line, Qt.AlignmentFlag.AlignLeft, title)
            painter.drawText(line, Qt.AlignmentFlag.AlignRight, f"{date} · {number + 1}/{pages}")
            painter.translate(0, header - number * body.height())
            document.drawContents(
                painter, QRectF(0, number * body.height(), body.width(), body.height())
            )
            painter.restore()
    finally:
        painter.end()
    return pages


def write_pdf(page_html: str, path: Path, *, title: str) -> int:
    """Write ``page_html`` to a PDF at ``path``; returns the page count.

    Written beside it first and moved into place whole, so a full disk never
    leaves a cut-off file where an earlier export was. Raises
    ``PrintFailedError`` (or ``OSError``) with nothing left behind.
    """
    partial = path.with_name(path.name + ".part")
    try:
        pages = print_html(page_html, pdf_printer(partial), title=title)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return pages
