"""The main window: conversation list, message view, composer, parameters."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QWidget

from foxchat import APP_NAME


class MainWindow(QMainWindow):
    """The top-level window; it lays out the panes it is given."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_NAME)
        self.setAccessibleName(f"{APP_NAME} main window")
        self.resize(1100, 720)
        self.setMinimumSize(640, 480)
