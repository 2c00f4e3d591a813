"""Light and dark themes that follow the system unless the user picks one.

Fusion with Qt's own colour scheme switch gives both palettes without a
hand-made one; the small style sheet only adds what a chat needs (message
bubbles, the error box, quiet footers) in colours derived from the palette,
so both themes stay readable.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

THEMES = ("system", "light", "dark")


def apply_theme(app: QApplication, theme: str, font_size: int) -> bool:
    """Apply ``theme`` and the font size; returns whether the result is dark.

    The palette is set explicitly: asking Qt for a colour scheme is not
    honoured by every platform plugin (X11 without a desktop ignores it).
    """
    app.setStyle("Fusion")
    dark = theme == "dark" or (theme not in ("light", "dark") and system_prefers_dark())
    app.setPalette(dark_palette() if dark else light_palette())
    font = QFont(app.font())
    font.setPointSize(max(8, min(24, font_size)))
    app.setFont(font)
    app.setStyleSheet(_style_sheet(app.palette(), dark))
    return dark


def system_prefers_dark() -> bool:
    """The desktop's light/dark preference, where the platform reports one."""
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def light_palette() -> QPalette:
    """Fusion's standard light palette."""
    return QApplication.style().standardPalette()


def dark_palette() -> QPalette:
    """A dark palette with enough contrast for text and disabled controls."""
    p = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    colours = {
        role.Window: "#1f2124",
        role.WindowText: "#e6e6e6",
        role.Base: "#17181a",
        role.AlternateBase: "#242629",
        role.ToolTipBase: "#2b2d31",
        role.ToolTipText: "#e6e6e6",
        role.PlaceholderText: "#8d9196",
        role.Text: "#e6e6e6",
        role.Button: "#2b2d31",
        role.ButtonText: "#e6e6e6",
        role.BrightText: "#ff6b6b",
        role.Light: "#3a3d42",
        role.Midlight: "#303337",
        role.Mid: "#44474d",
        role.Dark: "#111213",
        role.Shadow: "#000000",
        role.Highlight: "#3d7be0",
        role.HighlightedText: "#ffffff",
        role.Link: "#7fb0ff",
        role.LinkVisited: "#b99cff",
    }
    for colour_role, value in colours.items():
        p.setColor(colour_role, QColor(value))
    for colour_role in (role.WindowText, role.Text, role.ButtonText, role.Highlight):
        p.setColor(group.Disabled, colour_role, QColor("#6b6f75"))
    return p


def _style_sheet(palette: QPalette, dark: bool) -> str:
    base = palette.color(QPalette.ColorRole.Base)
    highlight = palette.color(QPalette.ColorRole.Highlight)
    user_bg = highlight.darker(260) if dark else highlight.lighter(185)
    assistant_bg = base.lighter(115) if dark else base
    border = palette.color(QPalette.ColorRole.Mid).name()
    error_bg = "#4a1f1f" if dark else "#fdecea"
    error_fg = "#ffb4ab" if dark else "#8c1d18"
    dim = palette.color(QPalette.ColorRole.PlaceholderText).name()
    return f"""
QFrame#userMessage {{ background: {user_bg.name()}; border-radius: 8px; }}
QFrame#assistantMessage {{ background: {assistant_bg.name()}; border: 1px solid {border};
    border-radius: 8px; }}
QFrame[highlight="true"] {{ border: 2px solid {highlight.name()}; }}
QLabel#messageRole {{ font-weight: bold; }}
QLabel#usageLabel, QLabel#messageNote, QLabel#thinkingText {{ color: {dim}; }}
QFrame#errorBox {{ background: {error_bg}; border-radius: 6px; }}
QLabel#errorText {{ color: {error_fg}; }}
QWidget#undoBar {{ background: {highlight.name()}; }}
QWidget#undoBar QLabel {{ color: {palette.color(QPalette.ColorRole.HighlightedText).name()}; }}
QLabel#emptyLabel {{ color: {dim}; }}
"""
