"""Settings > Models: what FoxChat learnt about each model on each server, to review and forget.

Two kinds of entry, both per server address and model id
(:class:`foxchat.api.model_rules.Overrides`): a setting the server refused
(the person chose "Send without it"), left out from then on; and a setting the
person chose to "Send anyway" although FoxChat's built-in rules leave it out.
Forgetting an entry goes back to the built-in rules. Nothing changes until
Save, like the rest of the dialog.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from foxchat.api.model_rules import Overrides
from foxchat.i18n import _
from foxchat.ui.naming import named

Learnt = dict[str, dict[str, Overrides]]

#: What a row says FoxChat does with the setting.
LEFT_OUT = _("Left out: the server refused it")
SENT_ANYWAY = _("Sent anyway, as you chose")
NOTHING_LEARNT = _("Nothing learnt yet: every model gets FoxChat's built-in rules.")

_KEY = Qt.ItemDataRole.UserRole


class ModelOverridesEditor(QWidget):
    """A list of what was learnt or chosen, with Forget and Forget all."""

    HEADERS = (_("Model"), _("Setting"), _("What FoxChat does"), _("Server"))

    def __init__(self, learnt: Learnt) -> None:
        super().__init__()
        named(self, "modelsTab", _("What FoxChat learnt about models"))
        self._learnt: Learnt = {server: dict(models) for server, models in learnt.items()}
        hint = QLabel(
            _(
                "When a server refuses a setting for a model and you choose to send without it,"
                " or you choose Send anyway for a setting FoxChat would leave out, it is"
                " remembered here for that model on that server. Forget an entry to go back"
                " to FoxChat's built-in rules."
            )
        )
        named(hint, "modelsHint", _("About what FoxChat learns"))
        hint.setWordWrap(True)
        self.tree = QTreeWidget()
        named(self.tree, "overridesList", _("Settings learnt per model"))
        self.tree.setHeaderLabels(self.HEADERS)
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.empty_note = QLabel(NOTHING_LEARNT)
        named(self.empty_note, "overridesEmptyNote", _("Nothing learnt yet"))
        self.empty_note.setWordWrap(True)
        self.forget_button = QPushButton(_("Forget"))
        named(self.forget_button, "forgetOverrideButton", _("Forget the selected entries"))
        self.forget_all_button = QPushButton(_("Forget all"))
        named(self.forget_all_button, "forgetAllOverridesButton", _("Forget everything learnt"))
        buttons = QHBoxLayout()
        for button in (self.forget_button, self.forget_all_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty_note)
        layout.addLayout(buttons)
        self.forget_button.clicked.connect(self._forget_selected)
        self.forget_all_button.clicked.connect(self._forget_all)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self._fill()

    def overrides(self) -> Learnt:
        """What is left, to save."""
        return {server: dict(models) for server, models in self._learnt.items() if models}

    def _fill(self) -> None:
        self.tree.clear()
        for server, models in sorted(self._learnt.items()):
            for model, overrides in sorted(models.items()):
                for parameter, said in sorted(overrides.refused.items()):
                    what = (
                        _("Left out: the server refused it (“{said}”)").format(said=said)
                        if said
                        else LEFT_OUT
                    )
                    self._add(server, model, parameter, what)
                for parameter in sorted(overrides.send_anyway):
                    self._add(server, model, parameter, SENT_ANYWAY)
        for column in range(len(self.HEADERS) - 1):
            self.tree.resizeColumnToContents(column)
        empty = self.tree.topLevelItemCount() == 0
        self.tree.setVisible(not empty)
        self.empty_note.setVisible(empty)
        self._update_buttons()

    def _add(self, server: str, model: str, parameter: str, what: str) -> None:
        item = QTreeWidgetItem([model, parameter, what, server])
        item.setData(0, _KEY, (server, model, parameter))
        item.setToolTip(2, what)
        self.tree.addTopLevelItem(item)

    def _update_buttons(self) -> None:
        self.forget_button.setEnabled(bool(self.tree.selectedItems()))
        self.forget_all_button.setEnabled(self.tree.topLevelItemCount() > 0)

    def _forget_selected(self) -> None:
        for item in self.tree.selectedItems():
            server, model, parameter = item.data(0, _KEY)
            old = self._learnt.get(server, {}).get(model)
            if old is None:
                continue
            new = Overrides(
                refused={k: v for k, v in old.refused.items() if k != parameter},
                send_anyway=old.send_anyway - {parameter},
            )
            if new.empty:
                del self._learnt[server][model]
            else:
                self._learnt[server][model] = new
        self._fill()

    def _forget_all(self) -> None:
        self._learnt = {}
        self._fill()
