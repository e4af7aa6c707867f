"""An HMM trellis drawn as one graphics item: states as rows, time as columns.

Like the DP grid, one item paints only its exposed part, so a 45-tag
trellis over a 50-word sentence steps as fast as the ice-cream one. The
panel says what to show with a :class:`TrellisMarks`: which nodes are
computed and their texts, which are faded (near zero), the current node and
its incoming terms, backpointers, and the best path with its tags.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPaintEngine,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import QGraphicsObject, QGraphicsSceneHoverEvent, QStyleOptionGraphicsItem, QWidget

from visualizer.theme import Palette
from visualizer.views.blocks import font
from visualizer.views.grid import arrow_head
from visualizer.views.marks import Edge, Node, TrellisMarks
from visualizer.views.tile_cache import TileCache

__all__ = ["TrellisItem", "TrellisMarks", "Edge"]


class TrellisItem(QGraphicsObject):
    """The trellis; emits the node under the mouse (or None)."""

    hovered = Signal(object)

    NODE_WIDTH = 104.0
    NODE_HEIGHT = 40.0
    COLUMN_GAP = 92.0
    ROW_GAP = 22.0

    def __init__(self, states: Sequence[str], words: Sequence[str], palette: Palette) -> None:
        super().__init__()
        self.setFlag(self.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self.setAcceptHoverEvents(True)
        self._states = list(states)
        self._words = list(words)
        self._palette = palette
        self._marks = TrellisMarks()
        self._hover: Node | None = None
        self._value_font = font(17)
        self._state_font = font(18, bold=True)
        self._word_font = font(19, bold=True)
        self._index_font = font(12)
        self._state_name_font = font(16, bold=True)
        self._other_name_font = font(15)
        self._badge_font = font(13, bold=True)
        self._tag_font = font(17, bold=True)
        self._static: dict[tuple[str, int, bool, bool], QStaticText] = {}
        self._sprites: dict[tuple[object, ...], tuple[QPixmap, int]] = {}
        self._elided: dict[tuple[str, bool, int, float], str] = {}
        self._unknown_word_font = font(19, bold=True)
        self._unknown_word_font.setItalic(True)
        self._line_cache: dict[tuple[Node, Node], QLineF] = {}  # geometry never changes after layout
        self._tiles = TileCache()  # blocks of nodes and headers that look as they did before
        self._tiled_arrays: tuple[object, object] = (None, None)  # the texts and faded the tiles show
        state_metrics = QFontMetricsF(self._state_font)
        widest = max((state_metrics.horizontalAdvance(s) for s in self._states), default=20)
        self.header_width = math.ceil(min(max(80.0, widest + 30), 220.0))
        self.header_height = 64.0
        self.footer_height = 48.0
        self.column_pitch = self.NODE_WIDTH + self.COLUMN_GAP
        self.row_pitch = self.NODE_HEIGHT + self.ROW_GAP

    # -- geometry ------------------------------------------------------------
    def boundingRect(self) -> QRectF:  # noqa: N802
        width = self.header_width + len(self._words) * self.column_pitch
        height = self.header_height + len(self._states) * self.row_pitch + self.footer_height
        return QRectF(0, 0, width, height)

    def node_rect(self, node: Node) -> QRectF:
        """Item coordinates of a node's box."""
        state, time = node
        return QRectF(
            self.header_width + time * self.column_pitch + self.COLUMN_GAP / 2,
            self.header_height + state * self.row_pitch + self.ROW_GAP / 2,
            self.NODE_WIDTH,
            self.NODE_HEIGHT,
        )

    def column_rect(self, time: int) -> QRectF:
        return QRectF(
            self.header_width + time * self.column_pitch, 0, self.column_pitch, self.boundingRect().height()
        )

    def node_at(self, point: QPointF) -> Node | None:
        time = math.floor((point.x() - self.header_width) / self.column_pitch)
        state = math.floor((point.y() - self.header_height) / self.row_pitch)
        if 0 <= state < len(self._states) and 0 <= time < len(self._words):
            return (state, time)
        return None

    # -- state ---------------------------------------------------------------
    def set_palette(self, palette: Palette) -> None:
        self._palette = palette
        self._tiles.clear()
        self.update()

    def set_marks(self, marks: TrellisMarks) -> None:
        texts, faded = self._tiled_arrays
        if marks.texts is not texts or marks.faded is not faded:  # identity: the arrays are built once
            # Tiles are keyed by which nodes are filled; new values or fading make them all stale.
            self._tiles.clear()
            self._tiled_arrays = (marks.texts, marks.faded)
        self._marks = marks
        self.update()

    @property
    def marks(self) -> TrellisMarks:
        return self._marks

    def hoverMoveEvent(self, event: QGraphicsSceneHoverEvent) -> None:  # noqa: N802
        node = self.node_at(event.pos())
        if node != self._hover:
            self._hover = node
            self.hovered.emit(node)

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:  # noqa: N802
        if self._hover is not None:
            self._hover = None
            self.hovered.emit(None)

    # -- painting ------------------------------------------------------------
    def _visible_ranges(self, area: QRectF) -> tuple[range, range]:
        first_t = max(0, math.floor((area.left() - self.header_width) / self.column_pitch))
        last_t = min(len(self._words) - 1, math.floor((area.right() - self.header_width) / self.column_pitch))
        first_s = max(0, math.floor((area.top() - self.header_height) / self.row_pitch))
        last_s = min(len(self._states) - 1, math.floor((area.bottom() - self.header_height) / self.row_pitch))
        return range(first_s, last_s + 1), range(first_t, last_t + 1)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        exposed = option.exposedRect if not option.exposedRect.isEmpty() else self.boundingRect()
        # Edges may cross the exposed strip from outside it: widen by one column each side.
        states, times = self._visible_ranges(exposed.adjusted(-self.column_pitch, 0, self.column_pitch, 0))
        self._paint_column_bands(painter, times)
        self._paint_edges(painter, exposed)
        self._paint_nodes(painter, states, times)
        self._paint_badges(painter, exposed)
        self._paint_state_names(painter, states)
        self._paint_top_header(painter, times, 0.0)
        self._paint_left_header(painter, states, 0.0)
        self._paint_footer(painter, times)

    def _paint_column_bands(self, painter: QPainter, times: range) -> None:
        current = self._marks.current
        if current is None or current[1] not in times:
            return
        band = self.column_rect(current[1]).adjusted(6, self.header_height, -6, -self.footer_height)
        painter.fillRect(band, QColor(self._palette.surface))

    #: States in one cached block of a column (a 45-tag column is six blocks).
    TILE_STATES = 16

    def _paint_nodes(self, painter: QPainter, states: range, times: range) -> None:
        """The nodes: columns with nothing of the step's own in them come from the tile cache."""
        marks = self._marks
        if not TileCache.usable(painter) or not states:
            self._paint_node_block(painter, states, times)
            return
        live = {node[1] for node in (marks.current, marks.winner, *marks.sources) if node is not None}
        filled = marks.filled
        size = self.TILE_STATES
        for t in times:
            if t in live:  # the node being computed, its sources, the winner: drawn as they change
                self._paint_node_block(painter, states, range(t, t + 1))
                continue
            on_path = marks.path.get(t)
            for chunk in range(states.start // size, (states.stop - 1) // size + 1):
                rows = range(chunk * size, min((chunk + 1) * size, len(self._states)))
                key = (
                    "nodes",
                    t,
                    chunk,
                    None if filled is None else filled[rows.start : rows.stop, t].tobytes(),
                    on_path if on_path in rows else None,
                )
                block = self.node_rect((rows.start, t)).united(self.node_rect((rows[-1], t)))
                self._tiles.draw(
                    painter,
                    key,
                    block.adjusted(-4, -4, 4, 4),  # room for the thickest outline
                    lambda tile, rows=rows, t=t: self._paint_node_block(tile, rows, range(t, t + 1)),
                )

    def _paint_node_block(self, painter: QPainter, states: range, times: range) -> None:
        p, marks = self._palette, self._marks
        filled, faded, texts = marks.filled, marks.faded, marks.texts
        # Nodes are grouped by look so pens and brushes are set once per group. Nodes
        # not computed yet get a light solid outline: a dashed rounded outline costs 3x more.
        styles = {
            "path": (p.final_path_fill, QPen(QColor(p.final_path), 3)),
            "current": (p.current_fill, QPen(QColor(p.current), 4)),
            "winner": (p.candidate_fill, QPen(QColor(p.chosen), 3)),
            "source": (p.candidate_fill, QPen(QColor(p.candidate), 2)),
            "empty": (p.surface, QPen(QColor(p.grid), 1)),
            "faded": (p.background, QPen(QColor(p.grid), 1.2)),
            "normal": (p.background, QPen(QColor(p.text), 1.4)),
        }
        rects: dict[str, list[QRectF]] = {name: [] for name in styles}
        labels: list[tuple[QRectF, str, bool]] = []  # (rect, text, muted)
        # Python lists of the visible block: indexing numpy node by node cost a third of the loop.
        block = (slice(states.start, states.stop), slice(times.start, times.stop))
        filled_rows = filled[block].tolist() if filled is not None else None
        faded_rows = faded[block].tolist() if faded is not None else None
        text_rows = texts[block].tolist() if texts is not None else None
        left0 = self.header_width + self.COLUMN_GAP / 2
        top0 = self.header_height + self.ROW_GAP / 2
        for c, t in enumerate(times):
            on_path = marks.path.get(t)
            x = left0 + t * self.column_pitch
            for r, s in enumerate(states):
                node = (s, t)
                rect = QRectF(x, top0 + s * self.row_pitch, self.NODE_WIDTH, self.NODE_HEIGHT)
                is_filled = filled_rows is None or bool(filled_rows[r][c])
                is_faded = is_filled and faded_rows is not None and bool(faded_rows[r][c])
                if on_path == s:
                    style = "path"
                elif node == marks.current:
                    style = "current"
                elif node == marks.winner:
                    style = "winner"
                elif node in marks.sources:
                    style = "source"
                elif not is_filled:
                    style = "empty"
                else:
                    style = "faded" if is_faded else "normal"
                rects[style].append(rect)
                if is_filled and text_rows is not None:
                    labels.append((rect, str(text_rows[r][c]), is_faded and node != marks.current))
        painter.save()
        try:  # restored whatever happens: an exception must not leave the painter's state saved
            self._draw_nodes(painter, styles, rects, labels)
        finally:
            painter.restore()

    def _draw_nodes(
        self,
        painter: QPainter,
        styles: dict[str, tuple[str, QPen]],
        rects: dict[str, list[QRectF]],
        labels: list[tuple[QRectF, str, bool]],
    ) -> None:
        p = self._palette
        transform = painter.worldTransform()
        on_screen = (
            painter.paintEngine() is not None
            and painter.paintEngine().type() == QPaintEngine.Type.Raster
            and transform.type().value <= QTransform.TransformationType.TxScale.value
        )
        if on_screen:
            # Antialiased rounded boxes cost ~13 µs each (200 a frame in a tagger's trellis): each
            # look is drawn once into a sprite at this zoom and blitted. Vector exports draw them.
            sprites = {
                name: self._sprite(name, fill, pen, transform.m11()) for name, (fill, pen) in styles.items()
            }
            painter.resetTransform()
            for name in styles:
                sprite, margin = sprites[name]
                for rect in rects[name]:
                    corner = transform.map(rect.topLeft())
                    painter.drawPixmap(round(corner.x() - margin), round(corner.y() - margin), sprite)
            painter.setWorldTransform(transform)
        else:
            for name, (fill, pen) in styles.items():
                if rects[name]:
                    painter.setPen(pen)
                    painter.setBrush(QColor(fill))
                    for rect in rects[name]:
                        painter.drawRoundedRect(rect, 10, 10)
        scale = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        if scale * self._value_font.pixelSize() >= 7:  # unreadably small text is not drawn at all
            painter.setFont(self._value_font)
            for muted in (False, True):
                painter.setPen(QColor(p.muted_text if muted else p.text))
                for rect, label, is_muted in labels:
                    if is_muted != muted:
                        continue
                    text = self._text(label, self._value_font)
                    size = text.size()
                    centre = rect.center()
                    painter.drawStaticText(
                        QPointF(centre.x() - size.width() / 2, centre.y() - size.height() / 2), text
                    )

    def _sprite(self, name: str, fill: str, pen: QPen, scale: float) -> tuple[QPixmap, int]:
        """A node box of one look, drawn at ``scale`` device pixels a unit (cached), and its margin."""
        key = (name, fill, pen.color().rgba(), pen.widthF(), round(scale, 4))
        found = self._sprites.get(key)
        if found is None:
            margin = math.ceil(pen.widthF() * scale / 2) + 1
            width = math.ceil(self.NODE_WIDTH * scale) + 2 * margin
            height = math.ceil(self.NODE_HEIGHT * scale) + 2 * margin
            sprite = QPixmap(width, height)
            sprite.fill(Qt.GlobalColor.transparent)
            sprite_painter = QPainter(sprite)
            sprite_painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            sprite_painter.translate(margin, margin)
            sprite_painter.scale(scale, scale)
            sprite_painter.setPen(pen)
            sprite_painter.setBrush(QColor(fill))
            sprite_painter.drawRoundedRect(QRectF(0, 0, self.NODE_WIDTH, self.NODE_HEIGHT), 10, 10)
            sprite_painter.end()
            if len(self._sprites) > 64:  # zooming through many scales
                self._sprites.clear()
            found = self._sprites[key] = (sprite, margin)
        return found

    def _draw_text(
        self, painter: QPainter, text: str, text_font: QFont, rect: QRectF, horizontal: str, vertical: str
    ) -> None:
        """Cached static text placed in ``rect`` (drawText lays the string out anew every paint)."""
        static = self._text(text, text_font)
        size = static.size()
        x = {
            "left": rect.left(),
            "centre": rect.center().x() - size.width() / 2,
            "right": rect.right() - size.width(),
        }[horizontal]
        y = rect.top() if vertical == "top" else rect.center().y() - size.height() / 2
        painter.setFont(text_font)
        painter.drawStaticText(QPointF(x, y), static)

    def _elide(self, text: str, text_font: QFont, width: float) -> str:
        key = (text, text_font.italic(), text_font.pixelSize(), width)
        shown = self._elided.get(key)
        if shown is None:
            shown = self._elided[key] = QFontMetricsF(text_font).elidedText(
                text, Qt.TextElideMode.ElideRight, width
            )
        return shown

    def _text(self, text: str, text_font: QFont) -> QStaticText:
        key = (text, text_font.pixelSize(), text_font.bold(), text_font.italic())
        cached = self._static.get(key)
        if cached is None:
            if len(self._static) > 8192:
                self._static.clear()
            cached = self._static[key] = QStaticText(text)
            cached.setPerformanceHint(QStaticText.PerformanceHint.AggressiveCaching)
            cached.prepare(font=text_font)
        return cached

    def _edge_line(self, edge: Edge) -> QLineF:
        key = (edge.start, edge.end)
        line = self._line_cache.get(key)
        if line is None:
            line = self._line_cache[key] = self._compute_edge_line(edge)
        return line

    def _compute_edge_line(self, edge: Edge) -> QLineF:
        a, b = self.node_rect(edge.start), self.node_rect(edge.end)
        if a.center().x() <= b.center().x():
            return QLineF(QPointF(a.right(), a.center().y()), QPointF(b.left(), b.center().y()))
        return QLineF(QPointF(a.left(), a.center().y()), QPointF(b.right(), b.center().y()))

    def _paint_edges(self, painter: QPainter, exposed: QRectF) -> None:
        p = self._palette
        # Batched by pen: one drawLines per style. Per-line calls with a dashed,
        # antialiased pen cost ~0.2 ms each, and a tagger trellis has hundreds of backpointers.
        groups: dict[tuple[str, float, bool], list[tuple[QPointF, QPointF]]] = {}
        for edge in self._marks.edges:
            line = self._edge_line(edge)
            if not QRectF(line.p1(), line.p2()).normalized().adjusted(-10, -10, 10, 10).intersects(exposed):
                continue
            tail, tip = (line.p1(), line.p2()) if edge.head_at_end else (line.p2(), line.p1())
            groups.setdefault((edge.role, edge.width, edge.dashed), []).append((tail, tip))
        painter.save()
        for (role, width, dashed), segments in groups.items():
            color = p.color(role)
            pen = QPen(color, width, Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap if dashed else Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            lines = []
            for tail, tip in segments:
                shortened = QLineF(tail, tip)
                shortened.setLength(max(0.0, shortened.length() - 4))
                lines.append(shortened)
            painter.drawLines(lines)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            size = 7 + width * 1.6
            for tail, tip in segments:
                painter.drawPolygon(arrow_head(tail, tip, size))
        painter.restore()

    def _paint_badges(self, painter: QPainter, exposed: QRectF) -> None:
        p = self._palette
        metrics = QFontMetricsF(self._badge_font)
        painter.save()
        painter.setFont(self._badge_font)
        for edge in self._marks.edges:
            if not edge.label:
                continue
            line = self._edge_line(edge)
            # Near the source end: edges converge on the current node, so their middles crowd.
            anchor = line.pointAt(0.3 if edge.head_at_end else 0.7)
            width = metrics.horizontalAdvance(edge.label) + 12
            rect = QRectF(anchor.x() - width / 2, anchor.y() - 10, width, 20)
            if not rect.intersects(exposed):
                continue
            color = p.color(edge.role)
            solid = edge.role == "chosen"
            path = QPainterPath()
            path.addRoundedRect(rect, 9, 9)
            painter.setPen(QPen(color, 1.5))
            painter.setBrush(color if solid else QColor(p.background))
            painter.drawPath(path)
            painter.setPen(QColor(p.background) if solid else QColor(p.text))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, edge.label)
        current = self._marks.current
        if current is not None and self._marks.factor:
            # The emission factor rides on the node's lower edge: the value above is the max (or
            # sum) of the incoming terms times this.
            node = self.node_rect(current)
            width = metrics.horizontalAdvance(self._marks.factor) + 14
            rect = QRectF(node.center().x() - width / 2, node.bottom() - 8, width, 19)
            painter.setPen(QPen(p.color("current"), 1.5))
            painter.setBrush(QColor(p.background))
            painter.drawRoundedRect(rect, 9, 9)
            painter.setPen(p.ink("current"))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self._marks.factor)
        painter.restore()

    #: Names beside the current column only from this column on: nearer, the state header is beside it.
    NAMES_FROM_COLUMN = 2

    def state_names_rect(self, time: int) -> QRectF:
        """Where the state names are repeated beside column ``time`` (item coordinates; empty if not).

        They sit in the gap on the side no edge comes from: right of the column when the
        values flow left to right (forward, Viterbi), left of it when they flow back (backward).
        """
        if time < self.NAMES_FROM_COLUMN and not self._flows_back(time):
            return QRectF()
        column = self.column_rect(time)
        top, height = self.header_height, len(self._states) * self.row_pitch
        node_left = column.left() + self.COLUMN_GAP / 2
        if self._flows_back(time):
            return QRectF(node_left - self.COLUMN_GAP + 4, top, self.COLUMN_GAP - 8, height)
        return QRectF(node_left + self.NODE_WIDTH + 4, top, self.COLUMN_GAP - 8, height)

    def _flows_back(self, time: int) -> bool:
        return any(max(e.start[1], e.end[1]) > time for e in self._marks.edges)

    def _paint_state_names(self, painter: QPainter, states: range) -> None:
        """The state names again beside the current column: the row header may be 2,000 px away."""
        current = self._marks.current
        if current is None:
            return
        area = self.state_names_rect(current[1])
        if area.isEmpty():
            return
        back = self._flows_back(current[1])
        size = self.TILE_STATES
        for chunk in range(states.start // size, (states.stop - 1) // size + 1) if states else ():
            rows = range(chunk * size, min((chunk + 1) * size, len(self._states)))
            block = QRectF(
                area.left(),
                self.header_height + rows.start * self.row_pitch,
                area.width(),
                len(rows) * self.row_pitch,
            )
            bold = current[0] if current[0] in rows else None
            self._tiles.draw(
                painter,
                ("names", chunk, bold, back, round(area.width(), 2)),
                block,
                lambda tile, rows=rows: self._draw_state_names(tile, rows, area.left(), back),
            )

    def _draw_state_names(self, painter: QPainter, states: range, left: float, back: bool) -> None:
        p, current = self._palette, self._marks.current
        width = self.COLUMN_GAP - 8
        for s in states:
            row = QRectF(left, self.header_height + s * self.row_pitch, width, self.row_pitch)
            is_current = current is not None and s == current[0]
            painter.setPen(QColor(p.text if is_current else p.muted_text))
            names_font = self._state_name_font if is_current else self._other_name_font
            name = self._elide(self._states[s], names_font, width)
            self._draw_text(painter, name, names_font, row, "right" if back else "left", "centre")

    def _paint_top_header(self, painter: QPainter, times: range, top: float) -> None:
        p, marks = self._palette, self._marks
        if not times:
            return
        strip = QRectF(
            self.header_width + times.start * self.column_pitch,
            top,
            len(times) * self.column_pitch,
            self.header_height,
        )
        painter.fillRect(strip, QColor(p.surface))
        current_time = marks.current[1] if marks.current is not None else None
        for t in times:
            cell = QRectF(
                self.header_width + t * self.column_pitch, top, self.column_pitch, self.header_height
            )
            if t == current_time:
                painter.fillRect(cell.adjusted(6, 0, -6, 0), QColor(p.current_fill))
            unknown = t in marks.unknown_columns
            self._tiles.draw(
                painter,
                ("word", t, unknown),
                cell,
                lambda tile, t=t, cell=cell: self._draw_word(tile, t, cell),
            )
        painter.setPen(QPen(QColor(p.grid), 1))
        painter.drawLine(QLineF(strip.bottomLeft(), strip.bottomRight()))

    def _draw_word(self, painter: QPainter, t: int, cell: QRectF) -> None:
        """Column ``t``'s header: its time and its word (italic when the model never saw it)."""
        p, unknown = self._palette, t in self._marks.unknown_columns
        painter.setPen(QColor(p.muted_text))
        label = f"t = {t + 1}" + ("   unknown word" if unknown else "")
        self._draw_text(painter, label, self._index_font, cell.adjusted(0, 4, 0, 0), "centre", "top")
        word_font = self._unknown_word_font if unknown else self._word_font
        painter.setPen(QColor(p.text))
        word = self._elide(self._words[t], word_font, self.column_pitch - 12)
        self._draw_text(painter, word, word_font, cell.adjusted(4, 20, -4, -4), "centre", "centre")

    def _paint_left_header(self, painter: QPainter, states: range, left: float) -> None:
        p, marks = self._palette, self._marks
        if not states:
            return
        strip = QRectF(
            left,
            self.header_height + states.start * self.row_pitch,
            self.header_width,
            len(states) * self.row_pitch,
        )
        painter.fillRect(strip, QColor(p.surface))
        current_state = marks.current[0] if marks.current is not None else None
        if current_state in states:
            cell = QRectF(
                left, self.header_height + current_state * self.row_pitch, self.header_width, self.row_pitch
            )
            painter.fillRect(cell.adjusted(0, 4, 0, -4), QColor(p.current_fill))
        size = self.TILE_STATES
        for chunk in range(states.start // size, (states.stop - 1) // size + 1):
            rows = range(chunk * size, min((chunk + 1) * size, len(self._states)))
            block = QRectF(
                left,
                self.header_height + rows.start * self.row_pitch,
                self.header_width,
                len(rows) * self.row_pitch,
            )
            self._tiles.draw(
                painter,
                ("states", chunk),
                block,
                lambda tile, rows=rows: self._draw_state_labels(tile, rows, left),
            )
        painter.setPen(QPen(QColor(p.grid), 1))
        painter.drawLine(QLineF(strip.topRight(), strip.bottomRight()))

    def _draw_state_labels(self, painter: QPainter, states: range, left: float) -> None:
        painter.setPen(QColor(self._palette.text))
        for s in states:
            cell = QRectF(left, self.header_height + s * self.row_pitch, self.header_width, self.row_pitch)
            name = self._elide(self._states[s], self._state_font, self.header_width - 16)
            self._draw_text(painter, name, self._state_font, cell.adjusted(8, 0, -10, 0), "right", "centre")

    def _paint_footer(self, painter: QPainter, times: range) -> None:
        p, marks = self._palette, self._marks
        if not marks.tags:
            return
        top = self.header_height + len(self._states) * self.row_pitch
        painter.save()
        painter.setFont(self._index_font)
        painter.setPen(QColor(p.muted_text))
        painter.drawText(
            QRectF(0, top, self.header_width - 10, self.footer_height),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
            "best path",
        )
        painter.setFont(self._tag_font)
        for t in times:
            tag = marks.tags.get(t)
            if tag is None:
                continue
            rect = QRectF(
                self.header_width + t * self.column_pitch + 6,
                top + 6,
                self.column_pitch - 12,
                self.footer_height - 12,
            )
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(p.final_path_fill))
            painter.drawRoundedRect(rect, 8, 8)
            painter.setPen(QColor(p.text))  # the green tint says "best path"; dark text stays legible
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, tag)
        painter.restore()

    def paint_frozen_headers(self, painter: QPainter, visible: QRectF) -> None:
        """Words along the top and states down the left, kept in view while scrolling a big trellis."""
        if visible.top() <= 0 and visible.left() <= 0:
            return
        states, times = self._visible_ranges(visible)
        painter.save()
        if visible.top() > 0:
            self._paint_top_header(painter, times, visible.top())
        if visible.left() > 0:
            painter.save()
            painter.translate(visible.left(), 0)
            self._paint_left_header(painter, states, 0.0)
            painter.restore()
        corner = QRectF(
            max(0.0, visible.left()), max(0.0, visible.top()), self.header_width, self.header_height
        )
        painter.fillRect(corner, QColor(self._palette.surface))
        painter.restore()
