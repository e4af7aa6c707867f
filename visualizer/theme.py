"""One palette of named roles shared by every panel, light and dark.

Panels never hard-code colours: they ask for a role so a student learns the
colour language once. Each role means one thing, in every panel:

* ``current``: what this step computes (orange);
* ``candidate``: what it reads: the cells, terms or counts it combines (sky blue);
* ``chosen``: what it picks: the winning term, the entry added, the stack top (blue);
* ``backpointer``: where a value came from (reddish purple, drawn dashed);
* ``final_path``: the answer: the backtrace, the best path, S over the sentence (green);
* ``error``: wrong or zero: a wrong head, a factor of probability 0 (red);
* ``added``: made by a transformation: rules the CNF conversion adds (magenta);
* ``unseen``: probability mass given to words never seen in a context (grey);
* ``muted``: faded or for comparison only (light grey).

The hues start from the Okabe-Ito set. ``tests/visualizer/test_colours.py``
holds them to it: every two roles one view draws differ by at least
:data:`MIN_ROLE_DISTANCE` (CAM02-UCS ΔE) in normal vision and under simulated
deuteranopia and protanopia, and text has WCAG contrast of at least 4.5:1 on
every background it is drawn on (role-coloured text uses :meth:`Palette.ink`).
Each role that fills a cell has a pale ``*_fill`` tint so numbers drawn on top
stay readable.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, fields

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

__all__ = [
    "Palette",
    "LIGHT",
    "DARK",
    "palette_for",
    "system_prefers_dark",
    "widget_palette",
    "ROLE_NAMES",
    "VIEW_ROLES",
    "MIN_ROLE_DISTANCE",
    "MIN_FILL_DISTANCE",
    "MIN_TEXT_CONTRAST",
    "contrast_ratio",
]

#: Every two roles one view draws differ at least this much (CAM02-UCS ΔE), also under CVD.
MIN_ROLE_DISTANCE = 12.0
#: Pale fills (always with their role's legend entry) differ from each other and the cell colours this much.
MIN_FILL_DISTANCE = 5.0
#: WCAG AA for body text.
MIN_TEXT_CONTRAST = 4.5
#: The roles each panel draws together: the pairs the colour tests compare.
VIEW_ROLES: dict[str, tuple[str, ...]] = {
    "edit-distance": ("current", "candidate", "chosen", "backpointer", "final_path"),
    "hmm": ("current", "candidate", "chosen", "backpointer", "final_path"),
    "cky": ("current", "candidate", "chosen", "final_path", "added"),
    "ngram": ("current", "candidate", "chosen", "final_path", "error", "unseen"),
    "embeddings": ("current", "candidate", "chosen", "final_path"),
    "dependency": ("current", "chosen", "final_path", "error", "muted"),
    "parse-search": ("current", "candidate"),
    "neural": ("current", "candidate", "chosen", "backpointer", "final_path", "error", "unseen"),
}


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
    added: str
    added_fill: str
    unseen: str

    def color(self, role: str) -> QColor:
        """The QColor of a role, e.g. ``palette.color("current")``."""
        return QColor(getattr(self, role))

    def ink(self, role: str) -> QColor:
        """A role's colour for text: its hue, darkened (lightened in the dark theme) to 4.5:1 on the cells.

        Orange or sky-blue letters on white are hard to read (about 2:1); the hue
        still says which role a label belongs to.
        """
        return QColor(_ink(self, role))  # a copy: callers may change theirs

    def _ink_uncached(self, role: str) -> QColor:
        colour = self.color(role)
        grounds = (QColor(self.background), QColor(self.surface))  # labels sit on both
        dark = grounds[0].lightnessF() < 0.5
        hue, saturation, lightness, _ = colour.getHslF()
        while min(contrast_ratio(colour, g) for g in grounds) < MIN_TEXT_CONTRAST and 0.0 < lightness < 1.0:
            lightness = min(1.0, lightness + 0.02) if dark else max(0.0, lightness - 0.02)
            colour = QColor.fromHslF(max(hue, 0.0), saturation, lightness)
        return colour


# Okabe-Ito: orange E69F00, sky blue 56B4E9, bluish green 009E73,
# blue 0072B2, vermillion D55E00, reddish purple CC79A7.
LIGHT = Palette(
    name="light",
    background="#ffffff",
    surface="#ebebeb",
    text="#1b1b1b",
    muted_text="#666666",
    grid="#c4c4c4",
    current="#e69f00",
    current_fill="#fde6b8",
    candidate="#56b4e9",
    candidate_fill="#d3ecfa",
    chosen="#0072b2",
    backpointer="#cc79a7",
    final_path="#009e73",
    final_path_fill="#a5d4c7",
    muted="#b0b0b0",
    error="#a50f15",
    added="#c20a85",
    added_fill="#d4a5c5",
    unseen="#666666",
)

# Dark: brighter hues on a darker ground, and a surface (empty cells) clearly lighter than it.
DARK = Palette(
    name="dark",
    background="#17181b",
    surface="#30333a",
    text="#ececec",
    muted_text="#9a9da3",
    grid="#50545b",
    current="#f0b429",
    current_fill="#5a4210",
    candidate="#6cc0f0",
    candidate_fill="#154865",
    chosen="#1754cf",
    backpointer="#b86fb0",
    final_path="#009e73",
    final_path_fill="#084938",
    muted="#6b6e73",
    error="#ff2a2a",
    added="#ed5eb2",
    added_fill="#761950",
    unseen="#c8c8c8",
)


@functools.lru_cache(maxsize=256)
def _ink(palette: Palette, role: str) -> QColor:
    # Text cells ask for their ink thousands of times a frame; the search above is slow.
    return palette._ink_uncached(role)


ROLE_NAMES = tuple(f.name for f in fields(Palette) if f.name != "name")


def _luminance(colour: QColor) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(colour.redF()) + 0.7152 * linear(colour.greenF()) + 0.0722 * linear(colour.blueF())


def contrast_ratio(a: QColor | str, b: QColor | str) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""
    lighter, darker = sorted((_luminance(QColor(a)), _luminance(QColor(b))), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


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
        # Whichever of white and near-black reads better on the highlight (dark text on the dark
        # theme's blue was 2:1).
        highlighted = max(
            (QColor("#ffffff"), QColor("#1b1b1b")), key=lambda c: contrast_ratio(c, roles.chosen)
        )
        palette.setColor(group, QPalette.ColorRole.HighlightedText, highlighted)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, muted)
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Base, window)
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Window, window)
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Button, window)
    return palette
