"""Two or three variants of one algorithm on one input, stepped together (pure Python).

:func:`align` lays the variants' traces on one timeline. Steps are grouped, and
groups are matched in order:

* dependency parses by the words consumed (the buffer's front), since arc-standard
  and arc-eager take different numbers of transitions for the same words;
* everything else by phase and position in it: node (t, j) of Viterbi and of
  forward fall on the same step, and Viterbi's backtrace runs on alone.

Within a group the longer variant sets the pace; a shorter one waits at its last
step of the group. :func:`first_difference` says where the variants first part:
the first differing cell or node, the first different transition, the first
factor that one smoothing makes 0.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

__all__ = ["align", "first_difference"]


def _group(result: Any, step: int) -> Hashable:
    if hasattr(result, "configuration_at"):  # a parse: by the words consumed
        return int(result.state_at(step).next)
    phase = result.trace.phase_at(step)
    return phase.name if phase is not None else ""


def align(results: Sequence[Any]) -> list[tuple[int, ...]]:
    """The shared timeline: for each shared step, the step each result shows (step 0 first)."""
    if not results:
        raise ValueError("There is nothing to compare: give two or three results.")
    groups: list[Hashable] = []
    members: list[dict[Hashable, list[int]]] = []
    for result in results:
        by_group: dict[Hashable, list[int]] = {}
        for step in range(1, len(result.trace) + 1):
            key = _group(result, step)
            by_group.setdefault(key, []).append(step)
            if key not in groups:
                groups.append(key)
        members.append(by_group)
    if all(isinstance(g, int) for g in groups):
        groups.sort(key=lambda g: int(str(g)))  # words consumed: in order, whichever variant got there first
    timeline: list[tuple[int, ...]] = [tuple(0 for _ in results)]
    reached = [0] * len(results)
    for key in groups:
        length = max(len(by_group.get(key, ())) for by_group in members)
        for index in range(length):
            row = []
            for n, by_group in enumerate(members):
                steps = by_group.get(key, [])
                if steps:
                    reached[n] = steps[min(index, len(steps) - 1)]
                row.append(reached[n])
            timeline.append(tuple(row))
    return timeline


def first_difference(
    results: Sequence[Any], labels: Sequence[str], timeline: Sequence[tuple[int, ...]] | None = None
) -> str:
    """One sentence saying where the variants first part (or that they agree).

    ``timeline`` is ``align(results)`` when the caller has it already.
    """
    if len(results) != len(labels) or len(results) < 2:
        raise ValueError("Compare two or three results, each with its label.")
    kind = type(results[0]).__name__
    if kind == "SentenceScore":
        return _first_zero_factor(results, labels, timeline)
    if kind == "ParseResult":
        return _first_transition(results, labels)
    return _first_answer(results, labels, timeline)


def _first_zero_factor(results: Sequence[Any], labels: Sequence[str], timeline: Any = None) -> str:
    factors = [[e for e in r.trace if type(e).__name__ == "ScoreStep"] for r in results]
    for position, events in enumerate(zip(*factors, strict=False), 1):
        zero = [label for label, e in zip(labels, events, strict=True) if e.probability == 0]
        if zero and len(zero) < len(events):
            gram = " ".join((*events[0].context[-1:], events[0].word))
            others = [label for label in labels if label not in zero]
            give = "gives" if len(zero) == 1 else "give"
            do = "does" if len(others) == 1 else "do"
            return (
                f"Factor {position}, '{gram}': {', '.join(zero)} {give} it 0 (an unseen bigram), "
                f"{', '.join(others)} {do} not."
            )
    return _first_answer(results, labels, timeline)


def _first_transition(results: Sequence[Any], labels: Sequence[str]) -> str:
    transitions = [list(r.transitions) for r in results]
    for index, moves in enumerate(zip(*transitions, strict=False)):
        if len({m for m in moves}) > 1:
            shown = ", ".join(
                f"{(f'{name}({label})' if label else name)} ({who})"
                for (name, label), who in zip(moves, labels, strict=True)
            )
            return f"Transition {index + 1} differs: {shown}."
    lengths = ", ".join(f"{len(t)} ({who})" for t, who in zip(transitions, labels, strict=True))
    return f"The same transitions while both run; lengths {lengths}."


def _first_answer(results: Sequence[Any], labels: Sequence[str], timeline: Any = None) -> str:
    """The first shared step whose questions differ in their answers (a cell, a node, an entry)."""
    timeline = align(results) if timeline is None else timeline
    for before, row in zip(timeline, timeline[1:], strict=False):
        if any(now == then for now, then in zip(row, before, strict=True)):
            continue  # one variant is waiting: its element is not the others'
        questions = [r.question_at(step) for r, step in zip(results, row, strict=True)]
        if any(q is None for q in questions) or len({q.kind for q in questions}) > 1:
            continue
        answers = [q.answer for q in questions]
        if any(a != answers[0] for a in answers):
            names = [q.prompt.removesuffix(" = ?").removesuffix("?") for q in questions]
            if len(set(names)) == 1:  # the same cell: name it once
                shown = ", ".join(f"{q.shown} ({who})" for q, who in zip(questions, labels, strict=True))
                return f"First difference: {names[0]}: {shown}."
            parts = [f"{n} = {q.shown} ({who})" for n, q, who in zip(names, questions, labels, strict=True)]
            return f"First difference: {', '.join(parts)}."
    return "The variants agree at every step they share."
