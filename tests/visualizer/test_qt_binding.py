"""Guards against a Qt binding that corrupts reference counts while painting.

PySide6 6.12.0 drops a reference to ``None`` on every void QPainter call; on
Python < 3.12 a few thousand cells later the interpreter aborts with
"deallocating None". pyproject excludes that release; this test catches any
other release with the same fault before a user does.
"""

import sys

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen


def test_painting_keeps_none_reference_count(qapp):
    image = QImage(64, 64, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    rect = QRectF(0, 0, 10, 10)
    before = sys.getrefcount(None)
    for _ in range(500):
        painter.setPen(QPen(QColor("red")))
        painter.fillRect(rect, QColor("blue"))
        painter.drawRect(rect)
        painter.drawLine(QLineF(0, 0, 5, 5))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "5")
    painter.end()
    # A healthy binding may hold a few extra references; a broken one loses ~2,500.
    assert sys.getrefcount(None) - before > -50
