"""Light and dark themes that follow the system unless the user picks one.

Fusion with an explicit palette gives both themes; the small style sheet only
adds what a chat needs (message bubbles, the error box, quiet footers) in
colours derived from the palette. Both themes meet WCAG 2.2 AA: text 4.5:1
(3:1 when large), control edges and focus rings 3:1. :func:`contrast_checks`
lists every foreground and background pair the palette and the style sheet
put together, and ``tests/ui/test_theme.py`` measures each one.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from foxchat.ui.control_style import ControlStyle

THEMES = ("system", "light", "dark")

#: WCAG 2.2 AA minimum contrast ratios.
TEXT_CONTRAST = 4.5
LARGE_TEXT_CONTRAST = 3.0
NON_TEXT_CONTRAST = 3.0

_ROLE = QPalette.ColorRole


@dataclass(frozen=True)
class Contrast:
    """One colour drawn on another, and the ratio WCAG asks of the pair."""

    what: str
    foreground: QColor
    background: QColor
    minimum: float

    @property
    def ratio(self) -> float:
        """The pair's contrast ratio (a translucent foreground is blended first)."""
        return contrast_ratio(self.foreground, self.background)


def apply_theme(app: QApplication, theme: str, font_size: int) -> bool:
    """Apply ``theme`` and the font size; returns whether the result is dark.

    The palette is set explicitly: asking Qt for a colour scheme is not
    honoured by every platform plugin (X11 without a desktop ignores it).
    """
    dark = theme == "dark" or (theme not in ("light", "dark") and system_prefers_dark())
    palette = dark_palette() if dark else light_palette()
    colours = sheet_colours(palette, dark)
    app.setStyle(ControlStyle(colours["boundary"], colours["focus"]))
    app.setPalette(palette)
    font = QFont(app.font())
    font.setPointSize(max(8, min(24, font_size)))
    app.setFont(font)
    app.setStyleSheet(style_sheet(app.palette(), dark))
    return dark


def system_prefers_dark() -> bool:
    """The desktop's light/dark preference, where the platform reports one."""
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def light_palette() -> QPalette:
    """Fusion's standard light palette, with a selection and hints dark enough to read."""
    fusion = QStyleFactory.create("Fusion")
    p = QPalette(fusion.standardPalette())
    # Fusion's #308cc6 gives white selected text 3.7:1, and its placeholder
    # text is half-transparent black (about 3.4:1 on white).
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        p.setColor(group, _ROLE.Highlight, QColor("#1f6fb5"))
        p.setColor(group, _ROLE.PlaceholderText, QColor("#5e5e5e"))
    return p


def dark_palette() -> QPalette:
    """A dark palette with enough contrast for text, selections and hints."""
    p = QPalette()
    group = QPalette.ColorGroup
    colours = {
        _ROLE.Window: "#1f2124",
        _ROLE.WindowText: "#e6e6e6",
        _ROLE.Base: "#17181a",
        _ROLE.AlternateBase: "#242629",
        _ROLE.ToolTipBase: "#2b2d31",
        _ROLE.ToolTipText: "#e6e6e6",
        _ROLE.PlaceholderText: "#9a9ea3",
        _ROLE.Text: "#e6e6e6",
        _ROLE.Button: "#2b2d31",
        _ROLE.ButtonText: "#e6e6e6",
        _ROLE.BrightText: "#ff6b6b",
        _ROLE.Light: "#3a3d42",
        _ROLE.Midlight: "#303337",
        _ROLE.Mid: "#44474d",
        _ROLE.Dark: "#111213",
        _ROLE.Shadow: "#000000",
        _ROLE.Highlight: "#2f6fd6",
        _ROLE.HighlightedText: "#ffffff",
        _ROLE.Link: "#7fb0ff",
        _ROLE.LinkVisited: "#b99cff",
    }
    for colour_role, value in colours.items():
        p.setColor(colour_role, QColor(value))
    for colour_role in (_ROLE.WindowText, _ROLE.Text, _ROLE.ButtonText, _ROLE.Highlight):
        p.setColor(group.Disabled, colour_role, QColor("#6b6f75"))
    return p


def sheet_colours(palette: QPalette, dark: bool) -> dict[str, QColor]:
    """Every colour the style sheet and the control style use, by name."""
    highlight = palette.color(_ROLE.Highlight)
    base = palette.color(_ROLE.Base)
    return {
        # A soft tint of the selection colour: your words stand apart without shouting.
        "user_bg": _mix(highlight, base, 0.24 if dark else 0.12),
        # The reply sits on the column itself: no box around what you read most.
        "assistant_bg": base,
        # Under the pointer in the chat list: a soft tint of the selection.
        "hover_bg": _mix(highlight, base, 0.22 if dark else 0.10),
        "bubble_border": palette.color(_ROLE.Mid),
        "highlight": highlight,
        "highlighted_text": palette.color(_ROLE.HighlightedText),
        "dim": palette.color(_ROLE.PlaceholderText),
        "error_bg": QColor("#4a1f1f" if dark else "#fdecea"),
        "error_fg": QColor("#ffb4ab" if dark else "#8c1d18"),
        # Edges of controls and the focus ring, drawn by ControlStyle.
        "boundary": QColor("#7c8087" if dark else "#767676"),
        "base": base,
        "text": palette.color(_ROLE.Text),
        "focus": QColor("#6f9ff0" if dark else "#1f6fb5"),
    }


def style_sheet(palette: QPalette, dark: bool) -> str:
    """The application style sheet for ``palette``.

    Scroll bars are drawn from it, flat: Fusion paints a 700 px scroll bar's
    gradients in about 0.9 ms, the style sheet in 0.01 ms, and a streaming
    reply's scroll bar is painted on every frame.
    """
    c = {name: colour.name() for name, colour in sheet_colours(palette, dark).items()}
    return f"""
QScrollArea#messageView, QWidget#messageColumn {{ background: {c["base"]}; }}
QFrame#userMessage {{ background: {c["user_bg"]}; border-radius: 12px; }}
QFrame#assistantMessage {{ background: {c["assistant_bg"]}; border: none; }}
QFrame#userMessage[highlight="true"], QFrame#assistantMessage[highlight="true"] {{
    border: 2px solid {c["focus"]}; }}
QLabel#messageRole {{ font-weight: bold; }}
QLabel#usageLabel, QLabel#messageNote, QLabel#thinkingText {{ color: {c["dim"]}; }}
QLabel[hint="true"] {{ color: {c["dim"]}; }}
QFrame#errorBox {{ background: {c["error_bg"]}; border-radius: 6px; }}
QLabel#errorText {{ color: {c["error_fg"]}; }}
QFrame#noticeBar {{ background: {c["error_bg"]}; }}
QLabel#noticeText {{ color: {c["error_fg"]}; }}
QWidget#undoBar {{ background: {c["highlight"]}; }}
QWidget#undoBar QLabel {{ color: {c["highlighted_text"]}; }}
QLabel#emptyLabel {{ color: {c["dim"]}; }}
QPushButton#examplePrompt {{ text-align: left; padding: 8px 12px; border-radius: 8px;
    border: 1px solid {c["boundary"]}; background: {c["base"]}; color: {c["text"]}; }}
QPushButton#examplePrompt:hover {{ background: {c["hover_bg"]}; }}
QPushButton#examplePrompt:focus {{ border: 2px solid {c["focus"]}; padding: 7px 11px; }}
QFrame#composerFrame {{ background: {c["base"]}; border: 1px solid {c["boundary"]};
    border-radius: 12px; padding: 1px; }}
QFrame#composerFrame[focused="true"] {{ border: 2px solid {c["focus"]}; padding: 0px; }}
QPlainTextEdit#composerEdit {{ background: {c["base"]}; border: none; }}
QToolButton[sectionHeader="true"] {{ border: none; background: transparent; padding: 6px 2px;
    border-radius: 4px; }}
QToolButton[sectionHeader="true"]:hover {{ background: {c["hover_bg"]}; }}
QToolButton[sectionHeader="true"]:focus {{ border: 2px solid {c["focus"]}; padding: 4px 0px; }}
QLabel[caption="true"] {{ color: {c["dim"]}; }}
QScrollBar:vertical {{ background: palette(window); width: 12px; margin: 0; }}
QScrollBar:horizontal {{ background: palette(window); height: 12px; margin: 0; }}
QScrollBar::handle {{ background: {c["boundary"]}; border-radius: 4px; margin: 2px; }}
QScrollBar::handle:vertical {{ min-height: 28px; }}
QScrollBar::handle:horizontal {{ min-width: 28px; }}
QScrollBar::handle:hover, QScrollBar::handle:pressed {{ background: {c["focus"]}; }}
QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; border: none; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: none; }}
"""


def contrast_checks(palette: QPalette, dark: bool) -> list[Contrast]:
    """Each foreground/background pair the theme draws, with WCAG's minimum for it."""
    c = sheet_colours(palette, dark)
    role = palette.color
    text, edge = TEXT_CONTRAST, NON_TEXT_CONTRAST
    # Where the message column's quiet labels can sit.
    surfaces = {
        "window": role(_ROLE.Window),
        "base": role(_ROLE.Base),
        "your message": c["user_bg"],
        "a reply": c["assistant_bg"],
    }
    checks = [
        Contrast("text in fields and lists", role(_ROLE.Text), role(_ROLE.Base), text),
        Contrast("alternate list rows", role(_ROLE.Text), role(_ROLE.AlternateBase), text),
        Contrast("labels", role(_ROLE.WindowText), role(_ROLE.Window), text),
        Contrast("button text", role(_ROLE.ButtonText), role(_ROLE.Button), text),
        Contrast("selected text", role(_ROLE.HighlightedText), role(_ROLE.Highlight), text),
        Contrast(
            "selected text in a window in the background",
            palette.color(QPalette.ColorGroup.Inactive, _ROLE.HighlightedText),
            palette.color(QPalette.ColorGroup.Inactive, _ROLE.Highlight),
            text,
        ),
        Contrast("tooltips", role(_ROLE.ToolTipText), role(_ROLE.ToolTipBase), text),
        Contrast("links", role(_ROLE.Link), role(_ROLE.Base), text),
        Contrast("placeholder text", role(_ROLE.PlaceholderText), role(_ROLE.Base), text),
        Contrast("text of your message", role(_ROLE.Text), c["user_bg"], text),
        Contrast("text of a reply", role(_ROLE.Text), c["assistant_bg"], text),
        Contrast("error text", c["error_fg"], c["error_bg"], text),
        Contrast("undo bar text", c["highlighted_text"], c["highlight"], text),
        Contrast("a chat's title under the pointer", role(_ROLE.Text), c["hover_bg"], text),
        Contrast("the selected chat against the list", c["highlight"], role(_ROLE.Base), edge),
    ]
    for where, surface in surfaces.items():
        checks.append(Contrast(f"quiet text on the {where}", c["dim"], surface, text))
        checks.append(Contrast(f"found-message border on the {where}", c["focus"], surface, edge))
    for where, surface in (("window", role(_ROLE.Window)), ("field", role(_ROLE.Base))):
        checks.append(Contrast(f"control edge on the {where}", c["boundary"], surface, edge))
        checks.append(Contrast(f"focus ring on the {where}", c["focus"], surface, edge))
    window = role(_ROLE.Window)
    checks.append(Contrast("scroll bar handle", c["boundary"], window, edge))
    checks.append(Contrast("scroll bar handle under the mouse", c["focus"], window, edge))
    checks.append(Contrast("control edge on a button", c["boundary"], role(_ROLE.Button), edge))
    checks.append(Contrast("focus ring on a button", c["focus"], role(_ROLE.Button), edge))
    return checks


def _mix(colour: QColor, other: QColor, share: float) -> QColor:
    """``share`` of ``colour`` and the rest of ``other``."""
    return QColor.fromRgbF(
        colour.redF() * share + other.redF() * (1 - share),
        colour.greenF() * share + other.greenF() * (1 - share),
        colour.blueF() * share + other.blueF() * (1 - share),
    )


def relative_luminance(colour: QColor) -> float:
    """WCAG 2.2 relative luminance of an opaque colour (0 black .. 1 white)."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(foreground: QColor, background: QColor) -> float:
    """WCAG 2.2 contrast ratio, 1.0 to 21.0; a translucent foreground is blended first."""
    alpha = foreground.alphaF()
    shown = QColor.fromRgbF(
        *(
            f * alpha + b * (1 - alpha)
            for f, b in (
                (foreground.redF(), background.redF()),
                (foreground.greenF(), background.greenF()),
                (foreground.blueF(), background.blueF()),
            )
        )
    )
    lighter, darker = sorted(
        (relative_luminance(shown), relative_luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)
