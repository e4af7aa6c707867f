"""What a view shows besides its content, as plain data: grid marks, arcs, a trellis, bars.

Qt-free, so the functions that decide the marks of a step (``visualizer.marks``)
are pure and tested without a display; :class:`visualizer.views.grid.GridItem` draws them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "Cell", "Arrow", "Badge", "GridMarks", "ArcMark", "Node", "Edge", "TrellisMarks", "BarRow",
    "ScatterArrow", "ScatterMarks",
]  # fmt: skip

Cell = tuple[int, int]
Node = tuple[int, int]  # (state, time) of a trellis node


@dataclass(frozen=True)
class Arrow:
    """An arrow from the centre of ``start`` towards the centre of ``end``."""

    start: Cell
    end: Cell
    role: str
    width: float = 2.5
    dashed: bool = False


@dataclass(frozen=True)
class Badge:
    """A small rounded label placed on the border between two cells."""

    between: tuple[Cell, Cell]
    text: str
    role: str


@dataclass
class GridMarks:
    """Everything the grid shows besides its numbers, by theme role."""

    filled: np.ndarray | None = None  # bool mask; None = everything filled
    fills: dict[Cell, str] = field(default_factory=dict)  # cell -> role of its background tint
    outlines: dict[Cell, str] = field(default_factory=dict)  # cell -> role of a thick border
    arrows: list[Arrow] = field(default_factory=list)
    badges: list[Badge] = field(default_factory=list)
    glyphs: np.ndarray | None = None  # (rows, cols, k) bool: show BACKPOINTER_GLYPHS per direction
    glyph_directions: Sequence[tuple[int, int]] = ()
    row_header_role: dict[int, str] = field(default_factory=dict)
    column_header_role: dict[int, str] = field(default_factory=dict)
    #: Text cells (a CKY chart): cell -> lines of (text, role), drawn instead of the number.
    #: Called only for the cells being painted, so a panel can answer from its trace lazily.
    texts: Callable[[Cell], Sequence[tuple[str, str]]] | None = None


@dataclass(frozen=True)
class ArcMark:
    """An arc head → dependent with its label, in a role (dashed for a gold arc shown beside a wrong one)."""

    head: int
    dependent: int
    label: str
    role: str = "text"
    dashed: bool = False


@dataclass(frozen=True)
class Edge:
    """A line between two nodes in neighbouring columns, with an optional value badge."""

    start: Node
    end: Node
    role: str
    width: float = 2.0
    dashed: bool = False
    label: str = ""
    head_at_end: bool = True


@dataclass
class TrellisMarks:
    """Everything the trellis shows at one step, by theme role."""

    texts: np.ndarray | None = None  # N × T strings (the node values in the chosen number style)
    filled: np.ndarray | None = None  # N × T bool
    faded: np.ndarray | None = None  # N × T bool: near-zero nodes drawn quietly
    current: Node | None = None
    sources: set[Node] = field(default_factory=set)  # nodes the current one reads
    winner: Node | None = None
    path: dict[int, int] = field(default_factory=dict)  # time -> state on the best path
    edges: list[Edge] = field(default_factory=list)
    tags: dict[int, str] = field(default_factory=dict)  # time -> tag printed under the word
    unknown_columns: set[int] = field(default_factory=set)
    factor: str = ""  # written on the current node's lower edge: the emission it multiplies by


@dataclass(frozen=True)
class BarRow:
    """One bar: stacked (value, role) segments after a label, then a value text."""

    label: str
    segments: Sequence[tuple[float, str]]
    value_text: str = ""
    emphasised: bool = False  # outlined and bold: the sampled word, the smoothing in use


@dataclass(frozen=True)
class ScatterArrow:
    """An arrow from point ``start`` to point ``end`` (indices), in a role's colour."""

    start: int
    end: int
    role: str
    dashed: bool = False


@dataclass
class ScatterMarks:
    """Roles of highlighted points (others are muted), which points get labels, arrows."""

    roles: dict[int, str] = field(default_factory=dict)
    labelled: set[int] = field(default_factory=set)
    arrows: list[ScatterArrow] = field(default_factory=list)
