"""Arc labels never hide each other, even a wrong arc's and its gold arc's over the same words."""

from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QStyleOptionGraphicsItem

from visualizer.theme import LIGHT
from visualizer.views.arcs import ArcMark, ArcsItem


def _paint(item: ArcsItem) -> None:
    image = QImage(1200, 400, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.translate(0, 60)
    item.paint(painter, QStyleOptionGraphicsItem())
    painter.end()


def test_labels_on_the_same_span_are_placed_apart(qapp):
    words = ["John", "Donovan", "from", "Argghhh!", "has", "put"]
    arcs = ArcsItem(LIGHT, words, ["PROPN", "PROPN", "ADP", "PROPN", "AUX", "VERB"])
    marks = [
        ArcMark(2, 1, "compound", "error"),  # the model's wrong arc
        ArcMark(1, 2, "flat", "muted", dashed=True),  # the gold arc over the same two words
        ArcMark(4, 3, "case", "final_path"),
        ArcMark(2, 4, "nmod", "error"),
        ArcMark(2, 4, "nmod", "muted", dashed=True),
        ArcMark(6, 5, "aux", "final_path"),
        ArcMark(6, 2, "nsubj", "error"),
    ]
    arcs.set_arcs(marks)
    _paint(arcs)
    rects = arcs.label_rects
    assert len(rects) == len(marks)
    for i, a in enumerate(rects):
        assert arcs.boundingRect().contains(a), i
        for b in rects[i + 1 :]:
            assert not a.intersects(b), (a, b)
