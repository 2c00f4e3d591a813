"""Importing chats from a file in the window, with a progress dialog.

The import runs on the GUI thread through the app's own store connection, in
short write transactions, and the progress is reported from inside them. So
the dialog is painted directly (``repaint``) at each step instead of letting
the event loop run, which could start a reply's write on the same connection
in the middle of a batch. Events are processed once, before the import
starts, so the dialog is on screen first.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from foxchat.i18n import _, ngettext
from foxchat.services.conversations import ConversationService
from foxchat.store.transfer import describe_import

# Repainting costs a few milliseconds; a smooth bar needs no more than this.
_REPAINT_EVERY_S = 0.05


class ImportProgressDialog(QProgressDialog):
    """Shows how many conversations of the file have been imported so far."""

    def __init__(self, file_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importProgressDialog")
        self.setWindowTitle(_("Importing chats"))
        self.setAccessibleName(_("Import progress"))
        self.setLabelText(_("Reading {name}…").format(name=file_name))
        self.setCancelButton(None)  # an import is never stopped halfway
        self.setRange(0, 0)  # busy until the file is read and the count is known
        self.setMinimumDuration(0)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setWindowModality(Qt.WindowModality.NonModal)  # setValue must not run the loop
        self._painted_at = 0.0

    def show_progress(self, done: int, total: int) -> None:
        """Called by the store after each conversation written."""
        now = time.monotonic()
        if total == 0 or (now - self._painted_at < _REPAINT_EVERY_S and 0 < done < total):
            return  # nothing to write (every chat already here), or painted just now
        self._painted_at = now
        percent = 100 * done // total
        self.setMaximum(total)
        self.setValue(done)
        self.setLabelText(
            ngettext(
                "Importing… {percent}% ({done:,} of {total:,} conversation)",
                "Importing… {percent}% ({done:,} of {total:,} conversations)",
                total,
            ).format(percent=percent, done=done, total=total)
        )
        self.repaint()


def import_chats(parent: QWidget, conversations: ConversationService, path: Path) -> str | None:
    """Import ``path`` while a progress dialog shows; returns the report, or None on failure."""
    dialog = ImportProgressDialog(path.name, parent)
    dialog.show()
    QApplication.processEvents()  # on screen before the import holds the thread
    try:
        result = conversations.import_file(path, progress=dialog.show_progress)
    finally:
        dialog.close()
        dialog.deleteLater()
    return None if result is None else describe_import(result)
