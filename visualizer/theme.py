"""One palette of named roles shared by every panel, light and dark.

Panels never hard-code colours: they ask for a role (``current``,
``candidate``, ``chosen``, ``backpointer``, ``final_path``, ``muted``,
``error``) so a student learns the colour language once. The hues come from
the Okabe-Ito set, which stays distinguishable under the common forms of
colour blindness; each role that fills a cell also has a pale ``*_fill``
tint so numbers drawn on top stay readable.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

__all__ = ["Palette", "LIGHT", "DARK", "palette_for", "system_prefers_dark", "widget_palette", "ROLE_NAMES"]


@dataclass(frozen=True)
class Palette:
    """Colours by role, as ``#rrggbb`` strings (use :meth:`color` for a QColor)."""

    name: str
    background: str
    surface: str  # headers and unfilled cells
    text: str
    muted_text: str
    grid: str
    current: str
    current_fill: str
    candidate: str
    candidate_fill: str
    chosen: str
    backpointer: str
    final_path: str
    final_path_fill: str
    muted: str
    error: str

    def color(self, role: str) -> QColor:
        """The QColor of a role, e.g. ``palette.color("current")``."""
        return QColor(getattr(self, role))


# Okabe-Ito: orange E69F00, sky blue 56B4E9, bluish green 009E73,
# blue 0072B2, vermillion D55E00, reddish purple CC79A7.
LIGHT = Palette(
    name="light",
    background="#ffffff",
    surface="#f2f2f2",
    text="#1b1b1b",
    muted_text="#8a8a8a",
    grid="#c4c4c4",
    current="#e69f00",
    current_fill="#fde6b8",
    candidate="#56b4e9",
    candidate_fill="#d3ecfa",
    chosen="#0072b2",
    backpointer="#cc79a7",
    final_path="#009e73",
    final_path_fill="#c4eadd",
    muted="#b0b0b0",
    error="#d55e00",
)

DARK = Palette(
    name="dark",
    background="#1e1f22",
    surface="#2b2d31",
    text="#ececec",
    muted_text="#8f9297",
    grid="#4a4d52",
    current="#f0b429",
    current_fill="#5a4210",
    candidate="#56b4e9",
    candidate_fill="#1d4560",
    chosen="#7cc3f0",
    backpointer="#e08cc0",
    final_path="#2ec4a0",
    final_path_fill="#124d40",
    muted="#6b6e73",
    error="#ff7a33",
)

ROLE_NAMES = tuple(f.name for f in fields(Palette) if f.name != "name")


def system_prefers_dark() -> bool:
    """Whether the desktop asks for a dark colour scheme (Qt 6.5+)."""
    app = QGuiApplication.instance()
    if app is None:
        return False
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def palette_for(choice: str) -> Palette:
    """``"light"``, ``"dark"`` or ``"system"`` (follow the desktop)."""
    if choice == "dark":
        return DARK
    if choice == "light":
        return LIGHT
    return DARK if system_prefers_dark() else LIGHT


def widget_palette(roles: Palette) -> QPalette:
    """A Qt widget palette in the same colours, for a theme the user forced.

    Some platforms ignore a requested colour scheme; this keeps the form, the
    narration and the player bar in step with the figures anyway.
    """
    palette = QPalette()
    window, base, text = QColor(roles.surface), QColor(roles.background), QColor(roles.text)
    muted = QColor(roles.muted_text)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        palette.setColor(group, QPalette.ColorRole.Window, window)
        palette.setColor(group, QPalette.ColorRole.WindowText, text)
        palette.setColor(group, QPalette.ColorRole.Base, base)
        palette.setColor(group, QPalette.ColorRole.AlternateBase, window)
        palette.setColor(group, QPalette.ColorRole.Text, text)
        palette.setColor(group, QPalette.ColorRole.Button, window)
        palette.setColor(group, QPalette.ColorRole.ButtonText, text)
        palette.setColor(group, QPalette.ColorRole.ToolTipBase, base)
        palette.setColor(group, QPalette.ColorRole.ToolTipText, text)
        palette.setColor(group, QPalette.ColorRole.PlaceholderText, muted)
        palette.setColor(group, QPalette.ColorRole.Highlight, QColor(roles.chosen))
        palette.setColor(group, QPalette.ColorRole.HighlightedText, base)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, muted)
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Base, window)
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Window, window)
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Button, window)
    return palette
