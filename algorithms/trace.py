"""Step events and the :class:`Trace` container.

A trace is an ordered, immutable sequence of step events. The player walks
*positions* ``0 .. len(trace)``: position ``k`` is the state after the first
``k`` events have happened (position 0 is the untouched start). Events are
frozen dataclasses that narrate themselves in one line with the formula
instantiated with that step's numbers.

Traces may be *lazy*: a 500 x 500 edit-distance grid has 250,000 steps, and
building a quarter of a million objects up front would cost more than the
algorithm itself. A lazy trace keeps the engine's arrays and materialises the
event for index ``i`` on request, so random access stays O(1) and the events
are still plain values.

Steps are grouped at named *levels* (for example ``"row"`` and ``"phase"``)
so the player can move by a cell, a row or a whole phase. A level is stored as
the sorted positions where a group is complete (always including 0 and n).

Every engine result is :class:`Stepwise`: besides its ``trace`` it answers
``state_at(step)`` (a frozen :class:`State` equal to folding the first
``step`` events, but computed by random access), ``event_at(step)`` and
``narrate(step, style)``. Panels draw ``state_at(step)`` and nothing else, so
the picture at step k never depends on how the user got there.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any, Generic, Protocol, TypeVar, overload, runtime_checkable

import numpy as np

from algorithms.quiz import Question

__all__ = [
    "StepEvent",
    "Phase",
    "Trace",
    "State",
    "Stepwise",
    "StepwiseResult",
    "START_NARRATION",
    "format_number",
    "format_probability",
    "format_value",
    "PROBABILITY_DIGITS",
    "NUMBER_STYLES",
    "line_with",
    "line_for_event",
]

#: The ways probabilities can be printed: plain (.0384), scientific (3.84e-2), log (ln, -3.26).
NUMBER_STYLES = ("plain", "scientific", "log")


@dataclass(frozen=True)
class StepEvent:
    """Base class of all step events: a value that can narrate itself."""

    def describe(self, style: str = "plain") -> str:  # pragma: no cover - every subclass overrides
        """One line of plain text: what happened, with the numbers used (probabilities in ``style``)."""
        raise NotImplementedError


E = TypeVar("E", bound=StepEvent, covariant=True)
S = TypeVar("S", covariant=True)
EventT = TypeVar("EventT", bound=StepEvent)
StateT = TypeVar("StateT", bound="State")

#: What every result narrates at step 0, before any event.
START_NARRATION = "Start: nothing computed yet. Press → or Space to begin."


@dataclass(frozen=True)
class Phase:
    """A named, contiguous range of event indices ``[start, stop)``."""

    name: str
    start: int
    stop: int

    def __len__(self) -> int:
        return self.stop - self.start


class Trace(Sequence[E]):
    """An ordered, immutable, randomly accessible sequence of step events.

    Build one with :meth:`from_events` (a list you already have),
    :meth:`lazy` (a length plus a function producing event ``i``) or
    :meth:`concat` (traces one after another, such as CNF steps then a chart).
    """

    def __init__(
        self,
        length: int,
        event_at: Callable[[int], E],
        phases: Sequence[Phase] = (),
        levels: Mapping[str, Sequence[int]] | None = None,
    ) -> None:
        self._length = int(length)
        # Rendering asks for the same few events over and over while the user
        # scrubs nearby; a small cache keeps that free without holding 250k.
        self._event_at = lru_cache(maxsize=1024)(event_at)
        # A phase without events (the fill of a grid whose one side is empty) cannot be shown or
        # stepped to, so it is dropped here rather than by every engine.
        self.phases: tuple[Phase, ...] = tuple(phase for phase in phases if len(phase))
        self._levels: dict[str, tuple[int, ...]] = {}
        phase_bounds = [p.start for p in self.phases] + [p.stop for p in self.phases]
        self._levels["phase"] = self._normalise(phase_bounds)
        for name, bounds in (levels or {}).items():
            # Every coarser boundary is also a finer one: moving by row never
            # skips over the start of a phase.
            self._levels[name] = self._normalise(list(bounds) + phase_bounds)

    @staticmethod
    def from_events(
        events: Sequence[EventT],
        phases: Sequence[Phase] = (),
        levels: Mapping[str, Sequence[int]] | None = None,
    ) -> Trace[EventT]:
        """A trace over events that already exist."""
        frozen = tuple(events)
        return Trace(len(frozen), frozen.__getitem__, phases, levels)

    @staticmethod
    def lazy(
        length: int,
        event_at: Callable[[int], EventT],
        phases: Sequence[Phase] = (),
        levels: Mapping[str, Sequence[int]] | None = None,
    ) -> Trace[EventT]:
        """A trace whose event ``i`` is produced by ``event_at(i)`` on demand."""
        return Trace(length, event_at, phases, levels)

    @staticmethod
    def concat(*parts: Trace[EventT]) -> Trace[EventT]:
        """The traces one after another, as one trace: phases and levels shifted into place.

        A level that only some parts have is kept; in the parts without it every
        part boundary still counts, so moving by that level never skips a part.
        """
        offsets = [0]
        for part in parts:
            offsets.append(offsets[-1] + len(part))
        phases = [
            Phase(phase.name, phase.start + offset, phase.stop + offset)
            for part, offset in zip(parts, offsets, strict=False)
            for phase in part.phases
        ]
        names = [name for part in parts for name in part.levels if name != "phase"]
        levels: dict[str, list[int]] = {name: list(offsets) for name in dict.fromkeys(names)}
        for part, offset in zip(parts, offsets, strict=False):
            for name in part.levels:
                if name != "phase":
                    levels[name] += [bound + offset for bound in part.boundaries(name)]

        def event_at(index: int) -> EventT:
            which = bisect.bisect_right(offsets, index) - 1
            return parts[which][index - offsets[which]]

        return Trace(offsets[-1], event_at, phases, levels)

    def _normalise(self, bounds: list[int]) -> tuple[int, ...]:
        valid = {b for b in bounds if 0 <= b <= self._length}
        return tuple(sorted(valid | {0, self._length}))

    # -- Sequence protocol -------------------------------------------------
    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> E: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[E, ...]: ...

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return tuple(self._event_at(i) for i in range(*index.indices(self._length)))
        i = int(index)
        if i < 0:
            i += self._length
        if not 0 <= i < self._length:
            raise IndexError(f"step {index} is outside this trace of {self._length} events")
        return self._event_at(i)

    def __iter__(self) -> Iterator[E]:
        for i in range(self._length):
            yield self._event_at(i)

    # -- groups --------------------------------------------------------------
    @property
    def levels(self) -> tuple[str, ...]:
        """Names of the grouping levels, finest first (always ends with "phase")."""
        names = [n for n in self._levels if n != "phase"]
        return (*names, "phase")

    def boundaries(self, level: str) -> tuple[int, ...]:
        """Positions at which a group of ``level`` is complete (0 and n included)."""
        try:
            return self._levels[level]
        except KeyError:
            raise ValueError(f"this trace has no level {level!r}; it has {self.levels}") from None

    def next_boundary(self, position: int, level: str) -> int:
        """The first group boundary of ``level`` strictly after ``position``."""
        bounds = self.boundaries(level)
        index = bisect.bisect_right(bounds, position)
        return bounds[index] if index < len(bounds) else self._length

    def previous_boundary(self, position: int, level: str) -> int:
        """The last group boundary of ``level`` strictly before ``position``."""
        bounds = self.boundaries(level)
        index = bisect.bisect_left(bounds, position) - 1
        return bounds[index] if index >= 0 else 0

    def phase_at(self, position: int) -> Phase | None:
        """The phase of the event that brought the state to ``position``."""
        event_index = position - 1 if position > 0 else 0
        for phase in self.phases:
            if phase.start <= event_index < phase.stop:
                return phase
        return None

    def narrate(self, position: int, style: str = "plain") -> str:
        """The narration at ``position``: the text of the event just done."""
        if position <= 0:
            return START_NARRATION
        event = self[min(position, self._length) - 1]
        # describe() without an argument for plain keeps events written before styles existed working.
        return event.describe() if style == "plain" else event.describe(style)


class State:
    """Base of the frozen dataclass each engine returns from ``state_at``.

    Subclasses are ``@dataclass(frozen=True, eq=False)``. Arrays in a state are
    made read-only, and two states are equal when every field is (arrays by
    value), so "the state at k" can be compared however it was reached.
    """

    def __post_init__(self) -> None:
        for item in fields(self):  # type: ignore[arg-type]
            value = getattr(self, item.name)
            if isinstance(value, np.ndarray):
                value.setflags(write=False)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(
            _same(getattr(self, item.name), getattr(other, item.name))
            for item in fields(self)  # type: ignore[arg-type]
        )

    __hash__ = None  # type: ignore[assignment]  # equal by value, and may hold arrays


def _same(a: object, b: object) -> bool:
    """Equal by value; NaN equals NaN here, since a state field holding NaN means the same thing twice."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        x, y = np.asarray(a), np.asarray(b)
        floating = x.dtype.kind in "fc" and y.dtype.kind in "fc"
        return bool(np.array_equal(x, y, equal_nan=floating))
    if isinstance(a, float) and isinstance(b, float) and a != a and b != b:
        return True
    return a == b


@runtime_checkable
class Stepwise(Protocol[E, S]):
    """A result that can be shown at any step: the protocol every engine result implements.

    ``state_at(k)`` is a frozen :class:`State` that equals folding the first
    ``k`` events (tests check it); ``event_at(0)`` is None; ``narrate(k)`` is
    the sentence of the event that led to step ``k``.
    """

    @property
    def trace(self) -> Trace[E]: ...

    def state_at(self, step: int) -> S: ...

    def event_at(self, step: int) -> E | None: ...

    def narrate(self, step: int, style: str = "plain") -> str: ...

    def question_at(self, step: int) -> Question | None: ...

    @property
    def pseudocode(self) -> tuple[str, ...]: ...

    def line_at(self, step: int) -> int: ...


class StepwiseResult(Generic[E, S]):
    """``event_at`` and ``narrate`` from ``self.trace``: what every result shares.

    A subclass provides ``trace`` (a field or a property) and ``state_at``.
    """

    trace: Trace[E]  # a dataclass field or a property in subclasses

    def clamp(self, step: int) -> int:
        """``step`` moved into ``0 .. len(trace)``."""
        return max(0, min(int(step), len(self.trace)))

    def event_at(self, step: int) -> E | None:
        """The event that brought the state to ``step``; None at step 0."""
        step = self.clamp(step)
        return None if step == 0 else self.trace[step - 1]

    def narrate(self, step: int, style: str = "plain") -> str:
        """The sentence of the event at ``step``, numbers printed in ``style``."""
        return self.trace.narrate(self.clamp(step), style)

    def state_at(self, step: int) -> S:  # pragma: no cover - every subclass overrides
        """The frozen state after the first ``step`` events."""
        raise NotImplementedError

    def question_at(self, step: int) -> Question | None:
        """What step ``step`` computes, asked as a question (see :mod:`algorithms.quiz`); None if nothing.

        Engines whose steps compute something a learner can predict override this.
        """
        return None

    @property
    def pseudocode(self) -> tuple[str, ...]:
        """The algorithm in numbered-free lines, in SLP3's style (every engine overrides this)."""
        raise NotImplementedError

    def line_at(self, step: int) -> int:
        """The index in :attr:`pseudocode` of the line step ``step`` (1 … len(trace)) runs."""
        raise NotImplementedError

    def watch_at(self, step: int) -> dict[str, str]:
        """The variables of :meth:`line_at`'s line bound to the step's values (i, j, t, k, the stack top…)."""
        return {}


def line_with(code: Sequence[str], marker: str) -> int:
    """The index of the first line of ``code`` containing ``marker`` (lines are found, not counted)."""
    for index, line in enumerate(code):
        if marker in line:
            return index
    raise ValueError(f"no pseudocode line contains {marker!r}")


def line_for_event(
    code: Sequence[str], event: object, markers: Sequence[tuple[type, str]], step: int, steps: int
) -> int:
    """``line_with`` the marker of the first type in ``markers`` that ``event`` is an instance of.

    Most engines' ``line_at`` is exactly this table; a step with no event (step 0) or an
    event of no listed type is refused in the one sentence every engine uses.
    """
    for kind, marker in markers:
        if isinstance(event, kind):
            return line_with(code, marker)
    raise ValueError(f"step {step} is not in this trace (1 … {steps})")


def _exponent(text: str) -> str:
    """Python's ``1.2e-05`` as ``1.2e-5`` and ``3e+06`` as ``3e6``: one exponent rule everywhere."""
    mantissa, marker, exponent = text.partition("e")
    if not marker:
        return text
    return f"{mantissa}e{int(exponent)}"


def format_number(value: float, digits: int = 4) -> str:
    """Short, readable number: ``4`` not ``4.0``, ``0.5``, ``inf``, ``1.2e-5``; never a 17-digit dump."""
    if value != value:  # NaN
        return "nan"
    if value in (float("inf"), float("-inf")):
        return "∞" if value > 0 else "-∞"
    rounded = round(value)
    # Relative test: 4.0000000001 prints as 4, but 1e-15 must not become 0.
    if value == 0 or (rounded != 0 and abs(value - rounded) <= 1e-9 * abs(value)):
        return str(int(rounded))
    return _exponent(f"{value:.{digits}g}")


#: Significant digits of a probability, as SLP3 prints them (.0384, .667, 2.1e-5).
PROBABILITY_DIGITS = 3


def format_probability(log_value: float, style: str = "plain", digits: int = PROBABILITY_DIGITS) -> str:
    """Print the probability whose natural log is ``log_value``: the one printer every panel uses.

    ``plain`` writes ``.0384`` (no leading zero, as SLP3 does) and switches to
    scientific below 1e-4, where leading zeros stop being readable;
    ``scientific`` always writes ``3.84e-2``; ``log`` writes the natural log
    itself. Values too small for a float (``1e-400``) are still printed
    correctly from the log.
    """
    if style not in NUMBER_STYLES:
        raise ValueError(f"Unknown number style {style!r}; choose one of {', '.join(NUMBER_STYLES)}.")
    if style == "log":
        return format_number(log_value, 4)
    if log_value == float("-inf"):
        return "0"
    if style == "plain" and log_value >= math.log(1e-4):
        text = format_number(math.exp(log_value), digits)
        return text[1:] if text.startswith("0.") else text
    exponent = math.floor(log_value / math.log(10))
    mantissa = math.exp(log_value - exponent * math.log(10))
    if float(f"{mantissa:.{digits}g}") >= 10:  # 9.999 rounds up to 10: carry into the exponent
        mantissa, exponent = mantissa / 10, exponent + 1
    return f"{mantissa:.{digits}g}e{exponent}"


def format_value(
    value: float, style: str = "plain", digits: int = PROBABILITY_DIGITS, decimals: int | None = None
) -> str:
    """Print a probability (or any non-negative share) given as a number, as :func:`format_probability` does.

    ``decimals`` prints a fixed number of decimals in plain style where a
    textbook table does (SLP3's PPMI example: ``.3399``); a value too small
    to show a digit that way is written in scientific, never as ``.0000``.
    """
    if value != value:
        return "nan"
    if value < 0:
        return "-" + format_value(-value, style, digits, decimals)
    if value == 0:
        return "-∞" if style == "log" else "0"
    if decimals is not None and style == "plain" and value >= 10**-decimals and value < 1:
        text = f"{value:.{decimals}f}"
        return text[1:] if text.startswith("0.") else "1"  # .99999 rounds up to 1, not ".0000"
    return format_probability(math.log(value), style, digits)
