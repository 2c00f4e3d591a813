"""The probability view: the less likely a token, the stronger its shade; alternatives on focus."""

from __future__ import annotations

import math

from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from foxchat.api.events import TokenChoice
from foxchat.api.token_probs import StoredTokens, encode
from foxchat.ui.messages.token_view import LEVELS, TokenView, describe, level, token_html


def test_shade_grows_with_doubt() -> None:
    shades = [level(p / 100) for p in range(100, -1, -5)]
    assert shades[0] == 0 and shades == sorted(shades) and shades[-1] == LEVELS - 1
    assert level(0.95) == 0 and level(0.5) > 0


def test_tokens_are_escaped_and_line_breaks_kept() -> None:
    markup = token_html([("<b>", 1.0), ("\n", 0.1)])
    assert "&lt;b&gt;" in markup and "<br>" in markup and 'class="d' in markup


def test_describe_lists_the_token_then_its_alternatives() -> None:
    token = TokenChoice("Paris", math.log(0.92), (("Paris", math.log(0.92)), ("Lyon", -5.0)))
    assert describe(token) == "“Paris” 92% · “Lyon” <1%"


def test_focusing_a_token_says_its_alternatives_in_the_line_under_it(qtbot: QtBot) -> None:
    tokens = [TokenChoice("Hi", math.log(0.6), (("Hi", math.log(0.6)), ("Hey", math.log(0.3))))]
    view = TokenView(StoredTokens(encode(tokens)))
    qtbot.addWidget(view)
    view.show()
    assert view.browser.toPlainText() == "Hi"
    view.browser.highlighted.emit(QUrl("#t0"))
    assert view.detail.text() == "“Hi” 60% · “Hey” 30%"
    assert view.detail.accessibleDescription() == view.detail.text()


def test_the_view_is_as_tall_as_its_text_at_the_width_it_is_shown_at(qtbot: QtBot) -> None:
    # Measured before the view had its width, a short reply was laid out
    # 200 px wide and left a tall blank area under its one line.
    tokens = [TokenChoice(f" word{n}", math.log(0.5), ()) for n in range(30)]
    view = TokenView(StoredTokens(encode(tokens)))
    qtbot.addWidget(view)
    view.resize(700, 400)
    view.show()
    qtbot.wait_exposed(view)
    document = view.browser.document()
    assert document.textWidth() == view.browser.viewport().width()
    fits = int(document.size().height()) + 2 * view.browser.frameWidth() + 4
    assert view.browser.minimumHeight() == fits
