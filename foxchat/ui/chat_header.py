"""The bar over the conversation: its title, the model picker, and two icon buttons.

As in the chat apps people know, the model is picked where the chat is, not
only in the parameters sidebar. The header and the sidebar's model box are two
views of one value: both go through the main window, which sets the chat's
model and shows it in the other. Picking here offers the models the server
listed; typing any other name stays in the sidebar.

The header only reports what the person did (``model_chosen``,
``parameters_toggled``, ``settings_requested``); every action it offers is
also in the menu bar, for the keyboard and screen readers.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QWidget,
)

from foxchat.i18n import _
from foxchat.ui.icons import icon_button

#: The model picker's width, in characters of the longest name it shows whole.
MODEL_PICKER_CHARS = 12
#: How narrow the picker may get (characters) before the title gives way further:
#: at 800x600 with the parameters open, the title was cut to its first five letters.
MODEL_PICKER_MIN_CHARS = 7
#: The title's least width and the width it asks for before the picker gives way
#: (average characters of its font); any more room goes to the title too.
TITLE_MIN_CHARS = 10
TITLE_CHARS = 16


class ChatHeader(QFrame):
    """Title, model picker, parameters toggle and settings, in one row."""

    model_chosen = Signal(str)
    parameters_toggled = Signal()
    settings_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatHeader")
        self.setAccessibleName(_("Chat header"))

        self.title_label = _ElidedLabel(self)
        self.title_label.setObjectName("chatTitle")
        font = QFont(self.title_label.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.title_label.setFont(font)

        self.model_picker = _ModelPicker(self)
        self.model_picker.setObjectName("headerModelPicker")
        self.model_picker.setAccessibleName(_("Model for this chat"))
        self.model_picker.setToolTip(_("The model that writes the replies in this chat"))
        self.model_picker.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.model_picker.setMinimumContentsLength(MODEL_PICKER_CHARS)

        self.parameters_button = icon_button(
            "parameters",
            _("Show or hide the parameters (Ctrl+Shift+P)"),
            _("Parameters sidebar"),
            self,
        )
        self.parameters_button.setObjectName("parametersToggle")
        self.parameters_button.setCheckable(True)
        self.settings_button = icon_button(
            "settings", _("Open the settings (Ctrl+,)"), _("Settings"), self
        )
        self.settings_button.setObjectName("headerSettingsButton")

        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 8, 8, 8)
        layout.setSpacing(8)
        # No stretch factor: it would make the title the first to give way when
        # the header is narrow; its Expanding policy still gives it any room left.
        layout.addWidget(self.title_label)
        layout.addWidget(self.model_picker)
        layout.addWidget(self.parameters_button)
        layout.addWidget(self.settings_button)

        self.model_picker.activated.connect(self._on_picked)
        self.parameters_button.clicked.connect(
            lambda _checked=False: self.parameters_toggled.emit()
        )
        self.settings_button.clicked.connect(lambda _checked=False: self.settings_requested.emit())

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        # A hairline under the header, as between the panes; drawn here because
        # the control style redraws every frame's edge as a control's.
        painter = QPainter(self)
        painter.setPen(self.palette().color(QPalette.ColorRole.Mid))
        painter.drawLine(0, self.height() - 1, self.width(), self.height() - 1)
        painter.end()

    def set_title(self, title: str) -> None:
        """Show the chat's name (cut with "…" when the window is narrow)."""
        self.title_label.set_full_text(title)

    def set_models(self, model_ids: list[str]) -> None:
        """Offer the server's models, keeping the one shown."""
        current = self.model()
        self._fill(model_ids, current)

    def set_model(self, model: str) -> None:
        """Show ``model`` as the chat's, without reporting it as a choice."""
        items = [self.model_picker.itemText(i) for i in range(self.model_picker.count())]
        self._fill(items, model)

    def model(self) -> str:
        """The model shown."""
        return self.model_picker.currentText()

    def set_parameters_visible(self, visible: bool) -> None:
        """Show the toggle pressed while the sidebar is open."""
        self.parameters_button.setChecked(visible)

    def _fill(self, model_ids: list[str], current: str) -> None:
        names = list(dict.fromkeys(model_ids))
        # A chat on a model the server does not list still shows its model.
        if current and current not in names:
            names.insert(0, current)
        picker = self.model_picker
        picker.blockSignals(True)
        try:
            picker.clear()
            picker.addItems(names)
            picker.setCurrentIndex(names.index(current) if current in names else -1)
        finally:
            picker.blockSignals(False)

    def _on_picked(self, row: int) -> None:
        name = self.model_picker.itemText(row)
        if name:
            self.model_chosen.emit(name)


class _ModelPicker(QComboBox):
    """The header's model box: as wide as ``MODEL_PICKER_CHARS`` where there is room,
    down to ``MODEL_PICKER_MIN_CHARS`` where the title needs it."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        spare = (
            MODEL_PICKER_CHARS - MODEL_PICKER_MIN_CHARS
        ) * self.fontMetrics().averageCharWidth()
        return QSize(max(0, hint.width() - spare), hint.height())


class _ElidedLabel(QLabel):
    """A one-line label that cuts its text with "…" instead of widening the window."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._full = ""
        # Asks for a few words' width, not its whole text, and takes the room
        # left: a long name never widens the window.
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setTextFormat(Qt.TextFormat.PlainText)

    def set_full_text(self, text: str) -> None:
        """The whole text; shown cut to the label's width, whole in the tooltip."""
        self._full = text
        self.setToolTip(text)
        self.setAccessibleName(text)
        self._elide()

    def full_text(self) -> str:
        """The text before cutting."""
        return self._full

    def minimumSizeHint(self) -> QSize:
        # Never cut to a word or two: the chat's name is what the header is for.
        least = TITLE_MIN_CHARS * QFontMetrics(self.font()).averageCharWidth()
        return QSize(least, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:
        wanted = TITLE_CHARS * QFontMetrics(self.font()).averageCharWidth()
        return QSize(wanted, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        metrics = QFontMetrics(self.font())
        self.setText(metrics.elidedText(self._full, Qt.TextElideMode.ElideRight, self.width()))
