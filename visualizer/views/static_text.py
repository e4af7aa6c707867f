"""Laid-out text drawn again without laying it out again.

``QPainter.drawText`` lays its string out on every call (about 40 µs for a caption line);
``drawStaticText`` with a prepared :class:`QStaticText` is a copy of glyphs (about 3 µs).
Captions, notes and bar labels are redrawn on every step, mostly with the same strings.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QPainter, QStaticText

__all__ = ["static_text", "draw_static"]

_CACHE: dict[tuple[str, str, int, bool, bool], QStaticText] = {}
_LIMIT = 8192


def static_text(text: str, text_font: QFont) -> QStaticText:
    """``text`` laid out in ``text_font`` as plain text (``<s>`` is a word, not HTML), cached."""
    key = (text, text_font.family(), text_font.pixelSize(), text_font.bold(), text_font.italic())
    cached = _CACHE.get(key)
    if cached is None:
        if len(_CACHE) >= _LIMIT:
            _CACHE.clear()
        cached = _CACHE[key] = QStaticText(text)
        cached.setTextFormat(Qt.TextFormat.PlainText)
        cached.setPerformanceHint(QStaticText.PerformanceHint.AggressiveCaching)
        cached.prepare(font=text_font)
    return cached


def draw_static(
    painter: QPainter, text: str, text_font: QFont, rect: QRectF, horizontal: str = "left"
) -> None:
    """Draw ``text`` centred vertically in ``rect``: at its left, right or centre (``horizontal``)."""
    if not text:
        return
    static = static_text(text, text_font)
    size = static.size()
    if horizontal == "left":
        x = rect.left()
    elif horizontal == "right":
        x = rect.right() - size.width()
    else:
        x = rect.center().x() - size.width() / 2
    painter.setFont(text_font)
    painter.drawStaticText(QPointF(x, rect.center().y() - size.height() / 2), static)
