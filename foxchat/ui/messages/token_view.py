"""A reply shown token by token, each shaded by how sure the model was of it.

Asked for with the sidebar's *Token probabilities* switch, a reply's tokens
come with their probabilities and the likeliest alternatives. This view
shades each token: the less likely the model found it, the stronger the
shade, so the places where the reply could have gone another way stand out.
Pointing at a token, or moving to it with Tab, shows the alternatives with
percentages, in a tooltip and in the line under the view (which screen
readers read). The view is plain rich text built once; a 5,000-token reply
takes well under 100 ms (``benchmarks/token_view.py``).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor, QCursor, QPalette, QResizeEvent, QTextCursor
from PySide6.QtWidgets import QLabel, QTextBrowser, QToolTip, QVBoxLayout, QWidget

from foxchat.api.events import TokenChoice
from foxchat.api.token_probs import Tokens, probability
from foxchat.i18n import _

#: At or above this probability a token is not shaded: the model had no doubt.
SURE = 0.9
#: The shade for the least likely tokens, blended into the background by doubt.
DOUBT_COLOUR = QColor(255, 140, 0)
HINT = _(
    "Point at a word, or press Tab to go through them, to see what else the model "
    "might have written."
)


def _percent(p: float) -> str:
    value = p * 100
    if value < 1:
        return _("<1%")
    return _("{percent}%").format(percent=f"{value:.0f}")


def _visible(text: str) -> str:
    """A token as read in a sentence: its own spaces dropped, a bare space or break named."""
    if text.strip():
        return text.strip()
    return _("line break") if "\n" in text else _("space")


def describe(token: TokenChoice) -> str:
    """One line for a token: its probability and its alternatives, likeliest first."""
    shown = [f"“{_visible(token.token)}” {_percent(probability(token.logprob))}"]
    for text, logprob in token.top:
        if text != token.token:
            shown.append(f"“{_visible(text)}” {_percent(probability(logprob))}")
    return " · ".join(shown)


#: Shades of doubt: a token's probability picks one (0: none, sure).
LEVELS = 6


def level(p: float) -> int:
    """The shade for probability ``p``: 0 at or above SURE, up to LEVELS - 1 near zero."""
    if p >= SURE:
        return 0
    return min(LEVELS - 1, 1 + int((SURE - p) / SURE * (LEVELS - 1)))


def _blend(base: QColor, shade: int) -> str:
    doubt = shade / (LEVELS - 1) * 0.75
    r = round(base.red() + (DOUBT_COLOUR.red() - base.red()) * doubt)
    g = round(base.green() + (DOUBT_COLOUR.green() - base.green()) * doubt)
    b = round(base.blue() + (DOUBT_COLOUR.blue() - base.blue()) * doubt)
    return f"#{r:02x}{g:02x}{b:02x}"


def style_sheet(base: QColor, text: QColor) -> str:
    """One class per shade: the markup then says only which, not the colour again."""
    rules = [f"a {{ color: {text.name()}; text-decoration: none; }}"]
    rules += [f"a.d{n} {{ background-color: {_blend(base, n)}; }}" for n in range(1, LEVELS)]
    return "\n".join(rules)


def token_html(
    tokens: Sequence[tuple[str, float]], *, first: int = 0, paragraph: bool = True
) -> str:
    """The rich text for (token, probability) pairs: one link per token, classed by doubt.

    ``first`` numbers the links of tokens added to a view already showing some.
    """
    parts = []
    for index, (token, p) in enumerate(tokens, start=first):
        shown = html.escape(token).replace("\n", "<br>")
        shade = level(p)
        kind = f' class="d{shade}"' if shade else ""
        parts.append(f'<a href="#t{index}"{kind}>{shown}</a>')
    joined = "".join(parts)
    return f'<p style="white-space:pre-wrap">{joined}</p>' if paragraph else joined


class TokenView(QWidget):
    """The shaded tokens and a line saying the pointed-at token's alternatives."""

    def __init__(self, stored: Tokens, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tokenView")
        self.setAccessibleName(_("Reply with word probabilities"))
        self._tokens = stored
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("tokenBrowser")
        self.browser.setAccessibleName(_("Words of the reply, shaded by how sure the model was"))
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        palette = self.browser.palette()
        self.browser.document().setDefaultStyleSheet(
            style_sheet(
                palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)
            )
        )
        self._shown = len(stored)
        self.browser.setHtml(token_html(stored.text_and_probability()))
        self.detail = QLabel(HINT, self)
        self.detail.setObjectName("tokenDetail")
        self.detail.setAccessibleName(_("Word probabilities"))
        self.detail.setWordWrap(True)
        self.detail.setProperty("hint", True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.browser)
        layout.addWidget(self.detail)
        self.browser.highlighted.connect(self._on_highlighted)
        # The height that fits the text is measured once the view has its
        # width (resizeEvent): laying 5,000 tokens out at a guessed width
        # first cost a fifth of showing them.
        self._fitted_width = -1

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != self._fitted_width:
            self._fitted_width = event.size().width()
            self._fit_height()

    def _fit_height(self) -> None:
        document = self.browser.document()
        document.setTextWidth(max(200, self.browser.viewport().width()))
        height = int(document.size().height()) + 2 * self.browser.frameWidth() + 4
        self.browser.setMinimumHeight(min(height, 600))

    def grow(self, tokens: Tokens) -> None:
        """Show the tokens that came since (a reply still streaming); nothing else moves."""
        if len(tokens) <= self._shown:
            return
        self._tokens = tokens
        new = tokens.text_and_probability(self._shown)
        cursor = QTextCursor(self.browser.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertHtml(token_html(new, first=self._shown, paragraph=False))
        self._shown = len(tokens)
        self._fit_height()

    def token_at(self, index: int) -> TokenChoice:
        """The token behind link ``#t<index>``, with its alternatives."""
        return self._tokens.token(index)

    def _on_highlighted(self, url: QUrl) -> None:
        fragment = url.fragment()
        if not fragment.startswith("t") or not fragment[1:].isdigit():
            self.detail.setText(HINT)
            return
        index = int(fragment[1:])
        if not 0 <= index < len(self._tokens):
            return
        line = describe(self._tokens.token(index))
        self.detail.setText(line)
        self.detail.setAccessibleDescription(line)
        QToolTip.showText(QCursor.pos(), line, self.browser)
