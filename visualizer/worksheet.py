"""Printable exercises: a worksheet (the blank figure with its inputs) and its answer key.

``trellis exercise PANEL --seed N -o sheet.pdf --answers key.pdf`` makes an
:class:`~algorithms.exercises.Exercise`, computes it in the panel, and writes:

* the worksheet: title, task, and the panel's figure at step 0, where every input
  is shown (the strings, π/A/B, the grammar and the words, the counts) and nothing
  is computed yet; a dependency exercise shows the gold tree's arcs and a blank
  transition table, an n-gram exercise the corpus and a blank table of factors
  (its matrices would show every answer);
* the key: the figure at the last step, filled, then the narration of every step
  that computes something (what Predict would ask), page after page.

Text stays text (vector PDF). Paper is A4 or Letter.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPageLayout, QPageSize, QPainter, QPdfWriter

from algorithms.exercises import Exercise
from visualizer.files import atomic_path
from visualizer.views.arcs import ArcMark, ArcsItem
from visualizer.views.blocks import LegendItem
from visualizer.views.scene_items import top_level_items

__all__ = ["write_exercise", "PAPERS"]

PAPERS = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}
_MARGIN_MM = 15.0


def write_exercise(
    exercise: Exercise,
    sheet: str | os.PathLike[str],
    answers: str | os.PathLike[str] | None,
    paper: str = "a4",
) -> Any:
    """Compute ``exercise`` in its panel and write the worksheet (and the key); returns the panel."""
    from visualizer.panels import find_panel
    from visualizer.theme import LIGHT

    if paper not in PAPERS:
        raise ValueError(f"The paper is one of {', '.join(PAPERS)}; got {paper!r}.")
    with tempfile.TemporaryDirectory() as folder:
        inputs = dict(exercise.inputs)
        for name, text in exercise.files.items():  # a gold tree the panel reads from a file
            Path(folder, name).write_text(text, encoding="utf-8")
            inputs = {k: str(Path(folder, name)) if v == name else v for k, v in inputs.items()}
        panel = find_panel(exercise.panel).load()(LIGHT, inputs=inputs)
    panel.resize(1400, 1000)
    if exercise.panel == "dependency":
        # The input is the gold tree: the arcs the last step has built, drawn plain (no "just added").
        panel.model.set_step(panel.model.nsteps)
        for item in panel.part_items()["arcs"]:
            if isinstance(item, ArcsItem):
                item.set_arcs([ArcMark(a.head, a.dependent, a.label, "text") for a in item.arcs])
        headers = ("step", "stack", "buffer", "transition", "arc added")
        table = (headers, (0.07, 0.28, 0.28, 0.17, 0.20), [str(k) for k in range(panel.model.nsteps + 1)])
        pages = [_Page(exercise.title, exercise.task, panel, table=table, parts=("arcs",))]
    elif exercise.panel == "ngram":
        # Its matrices show every probability from the start: the sheet gives the corpus and a table.
        result = panel.stepwise()
        rows = [f"P({e.word} | {' '.join(e.context)})" for e in result.trace if hasattr(e, "word")]
        headers = ("factor", "C(wᵢ₋₁ wᵢ)", "C(wᵢ₋₁)", "P(wᵢ | wᵢ₋₁)", "ln P")
        table = (headers, (0.3, 0.16, 0.16, 0.2, 0.18), [*rows, "perplexity"])
        corpus = ["Corpus (one sentence per line):", *exercise.inputs["corpus"].splitlines()]
        pages = [_Page(exercise.title, exercise.task, lines=corpus, table=table)]
    elif exercise.panel == "text":
        # The learner's table would show the first merge's counts: the sheet gives the words and a table.
        result = panel.stepwise()
        words = [f"{count} × {' '.join(word)} _" for word, count in result.word_counts]
        headers = ("merge", "pair", "count", "new symbol")
        rows = [str(k) for k in range(1, len(result.trace) + 1)]
        lines = ["The corpus, split into characters (_ ends each word):", *words]
        pages = [
            _Page(exercise.title, exercise.task, lines=lines, table=(headers, (0.12, 0.34, 0.2, 0.34), rows))
        ]
    elif exercise.panel == "parse-search":
        # Earley's chart is a list of states: the grammar, then a numbered table, 24 states a page.
        headers = ("state", "chart[ ]", "dotted rule  [i, j]", "added by, from")
        widths = (0.1, 0.12, 0.48, 0.3)
        rows = [f"S{k}" for k in range(panel.model.nsteps)]
        grammar = ["Grammar (S is the start symbol):", *exercise.inputs["grammar"].splitlines()]
        pages = [_Page(exercise.title, exercise.task, lines=grammar, table=(headers, widths, rows[:24]))]
        pages += [
            _Page(f"{exercise.title} (continued)", "", table=(headers, widths, rows[n : n + 24]))
            for n in range(24, len(rows), 24)
        ]
    else:
        panel.model.set_step(0)  # every input shown, nothing computed
        # CKY: the chart and the grammar, without the empty tree area beside them.
        parts = ("chart", "grammar") if exercise.panel == "cky" else ()
        pages = [_Page(exercise.title, exercise.task, panel, parts=parts)]
    _write(sheet, pages, paper)
    if answers is not None:
        panel.model.set_step(panel.model.nsteps)
        result = panel.stepwise()
        steps = [
            f"{k}. {panel.narration(k)[1]}"
            for k in range(1, panel.model.nsteps + 1)
            # Earley's chart is filled state by state: every step is part of the answer.
            if result is None or exercise.panel == "parse-search" or result.question_at(k) is not None
        ]
        title = f"Answer key: {exercise.title}"
        seed_line = f"Seed {exercise.seed}, {exercise.difficulty}. The filled figure, then every step."
        _write(answers, [_Page(title, seed_line, panel), *_text_pages(title, steps)], paper)
    return panel


#: A blank table to fill in: column headers, their shares of the width, and each row's first cell.
Table = tuple[tuple[str, ...], tuple[float, ...], list[str]]


class _Page:
    """One page: a title, a paragraph, and a panel's figure (or one part of it) or lines of text."""

    def __init__(
        self,
        title: str,
        text: str,
        panel: Any = None,
        lines: list[str] | None = None,
        table: Table | None = None,
        parts: tuple[str, ...] = (),
    ) -> None:
        self.title, self.text, self.panel = title, text, panel
        self.lines, self.table, self.parts = lines, table, parts


def _text_pages(title: str, lines: list[str], per_page: int = 34) -> list[_Page]:
    pages = range(0, len(lines), per_page)
    return [
        _Page(f"Every step ({n // per_page + 1} of {len(pages)})", title, lines=lines[n : n + per_page])
        for n in pages
    ]


def _write(path: str | os.PathLike[str], pages: list[_Page], paper: str) -> None:
    with atomic_path(path) as temporary:
        writer = QPdfWriter(temporary)
        writer.setPageLayout(
            QPageLayout(
                QPageSize(PAPERS[paper]),
                QPageLayout.Orientation.Portrait,
                QMarginsF(_MARGIN_MM, _MARGIN_MM, _MARGIN_MM, _MARGIN_MM),
                QPageLayout.Unit.Millimeter,
            )
        )
        writer.setResolution(300)
        writer.setTitle(pages[0].title)
        writer.setCreator("Trellis")
        painter = QPainter(writer)
        try:
            for number, page in enumerate(pages):
                if number:
                    writer.newPage()
                _draw_page(painter, writer, page)
        finally:
            painter.end()


def _draw_page(painter: QPainter, writer: QPdfWriter, page: _Page) -> None:
    area = QRectF(writer.pageLayout().paintRectPixels(writer.resolution()))
    area.moveTo(0, 0)
    dots = writer.resolution() / 72.0  # pixels per point
    title_font, body_font = _font(15 * dots, bold=True), _font(10.5 * dots)
    painter.setPen(QColor("black"))
    painter.setFont(title_font)
    wrap = Qt.TextFlag.TextWordWrap
    title = painter.boundingRect(QRectF(0, 0, area.width(), area.height()), wrap, page.title)
    painter.drawText(title, wrap, page.title)
    y = title.bottom() + QFontMetricsF(title_font).height() * 0.4
    if page.text:
        painter.setFont(body_font)
        bound = painter.boundingRect(
            QRectF(0, y, area.width(), area.height()), Qt.TextFlag.TextWordWrap, page.text
        )
        painter.drawText(bound, Qt.TextFlag.TextWordWrap, page.text)
        y = bound.bottom() + 8 * dots
    if page.lines is not None:
        painter.setFont(_font(9 * dots, mono=True))
        line_height = QFontMetricsF(painter.font()).height() * 1.25
        for line in page.lines:
            bound = painter.boundingRect(
                QRectF(0, y, area.width(), area.height()), Qt.TextFlag.TextWordWrap, line
            )
            painter.drawText(bound, Qt.TextFlag.TextWordWrap, line)
            y = bound.bottom() + line_height * 0.25
        y += 8 * dots
    if page.panel is not None:
        room = QRectF(0, y, area.width(), area.height() - y)
        if page.table is not None:
            room.setHeight(room.height() * 0.45)
        y = _draw_figure(painter, page.panel, room, page.parts) + 12 * dots
    if page.table is not None:
        _draw_table(painter, page.table, QRectF(0, y, area.width(), area.bottom() - y))


def _draw_figure(painter: QPainter, panel: Any, room: QRectF, parts: tuple[str, ...] = ()) -> float:
    """The panel's scene (or some of its parts) scaled to fit ``room``; returns the figure's bottom."""
    source = panel.export_rect()
    keep: set[Any] | None = None
    if parts:
        source, keep = QRectF(), set()
        for name in parts:
            source = source.united(panel.parts()[name])
            keep.update(panel.part_items()[name])
    scale = min(room.width() / source.width(), room.height() / source.height())
    target = QRectF(room.left(), room.top(), source.width() * scale, source.height() * scale)
    # A worksheet shows no legend (nothing it names is drawn yet), and a part only its own items.
    hidden = [
        item
        for item in top_level_items(panel.scene)
        if item.isVisible() and (isinstance(item, LegendItem) or (keep is not None and item not in keep))
    ]
    for item in hidden:
        item.setVisible(False)
    try:
        panel.scene.render(painter, target, source)
    finally:
        for item in hidden:
            item.setVisible(True)
    return target.bottom()


def _draw_table(painter: QPainter, table: Table, room: QRectF) -> None:
    """A blank table to write in: its headers, then one row per label (the label in the first cell)."""
    headers, widths, labels = table
    row_height = min(room.height() / (len(labels) + 1), 90.0)  # at most 7.6 mm at 300 dpi
    painter.setFont(_font(row_height * 0.38, bold=True))
    painter.setPen(QColor("#555555"))
    x = room.left()
    for header, share in zip(headers, widths, strict=True):
        width = room.width() * share
        painter.drawRect(QRectF(x, room.top(), width, row_height))
        painter.drawText(QRectF(x, room.top(), width, row_height), Qt.AlignmentFlag.AlignCenter, header)
        x += width
    painter.setFont(_font(row_height * 0.38))
    for row, label in enumerate(labels):
        x, top = room.left(), room.top() + (row + 1) * row_height
        for column, share in enumerate(widths):
            width = room.width() * share
            painter.drawRect(QRectF(x, top, width, row_height))
            if column == 0:
                painter.drawText(QRectF(x, top, width, row_height), Qt.AlignmentFlag.AlignCenter, label)
            x += width


def _font(pixels: float, bold: bool = False, mono: bool = False) -> QFont:
    font = QFont("DejaVu Sans Mono" if mono else "DejaVu Sans")
    font.setPixelSize(max(1, round(pixels)))
    font.setBold(bold)
    return font
