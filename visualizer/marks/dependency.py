"""The dependency picture at a step: the arcs built (right, wrong or just added) and the stack and buffer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from algorithms.dependency import (
    Configuration,
    DependencyTree,
    ParseResult,
    ParserState,
    ParseStep,
    apply,
    attachment_scores,
)
from visualizer.views.marks import ArcMark

__all__ = [
    "DependencyMarks",
    "marks_for",
    "info_line",
    "detail_lines",
    "transition_table",
    "tagged_text",
    "legend_entries",
    "LEGEND_SAMPLES",
]


@dataclass
class DependencyMarks:
    """What the arcs view and the stack/buffer view show at one step."""

    arcs: list[ArcMark] = field(default_factory=list)
    token_roles: dict[int, str] = field(default_factory=dict)  # word index -> role (the word just moved)
    stack: list[str] = field(default_factory=list)  # bottom first
    buffer: list[str] = field(default_factory=list)
    stack_roles: dict[tuple[str, int], str] = field(default_factory=dict)  # ("stack", 0) is the top
    attached: int = 0


def marks_for(
    result: ParseResult, state: ParserState, event: ParseStep | None, gold: DependencyTree | None = None
) -> DependencyMarks:
    """The marks of ``state``, reached by ``event``; with ``gold``, each arc is right or wrong beside it.

    The arc the event added is "current"; compared with a gold tree, a right head is
    "final_path", a wrong one "error" with the gold arc dashed beside it.
    """
    marks = DependencyMarks(attached=len(state.arcs))
    for dependent, head, label in state.arcs:
        role = "text"
        if event is not None and event.arc == (head, dependent):
            role = "current"
        elif gold is not None:
            role = "final_path" if gold.heads[dependent - 1] == head else "error"
        marks.arcs.append(ArcMark(head, dependent, label or "", role))
        if gold is not None and gold.heads[dependent - 1] != head:
            marks.arcs.append(
                ArcMark(
                    gold.heads[dependent - 1], dependent, gold.labels[dependent - 1], "muted", dashed=True
                )
            )
    names = ("ROOT", *result.words)
    marks.stack = [names[i] for i in state.stack]
    marks.buffer = [names[i] for i in state.buffer]
    if state.stack:
        marks.stack_roles[("stack", 0)] = "chosen"
    if event is not None:
        if event.arc is not None:
            marks.token_roles[event.arc[1]] = "current"
        elif event.transition[0] == "SHIFT":
            marks.stack_roles[("stack", 0)] = "current"
            marks.token_roles[state.stack[-1]] = "current"
    return marks


#: Right and wrong heads are arcs: their legend samples are lines.
LEGEND_SAMPLES = {"final_path": "line", "error": "line", "muted": "dashed"}


def legend_entries(comparing: bool) -> list[tuple[str, str]]:
    """The roles drawn: right and wrong heads only when arcs are compared with a gold tree."""
    entries = [("current", "arc just added / word moved"), ("chosen", "top of the stack")]
    if comparing:
        entries += [("final_path", "right head"), ("error", "wrong head"), ("muted", "its gold arc")]
    return entries


def info_line(result: ParseResult, gold: DependencyTree | None, mode: str, parser_model: Any) -> str:
    """The line under the form: size, system, attachment scores against gold, the parser's training."""
    parts = [f"{len(result.words)} words, {len(result.trace)} transitions ({result.system})"]
    if gold is not None and mode != "manual":
        uas, las = attachment_scores([result], [gold])
        parts.append(f"UAS {uas:.3f}, LAS {las:.3f} against the gold tree")
    if parser_model is not None:
        history = parser_model.history
        parts.append(
            f"parser: {history.get('examples', '?'):,} training transitions" if history else "parser loaded"
        )
    return " · ".join(parts)


def tagged_text(tree: DependencyTree) -> str:
    """A tree's sentence as the form shows it: word/TAG pairs, or the words alone without tags."""
    if tree.tags:
        return " ".join(f"{w}/{t}" for w, t in zip(tree.words, tree.tags, strict=True))
    return " ".join(tree.words)


def transition_table(result: ParseResult, step: int, rows: int = 8) -> list[str]:
    """SLP3's trace table (Fig. 19.6) up to ``step``: step, stack, word list, action, relation added.

    As in SLP3, each row is a configuration and the action taken from it. The row of
    ``step`` (marked ▶) has no action yet: what to do next is for the student to say.
    The last ``rows`` rows are listed; long stacks and buffers keep the ends that matter.
    """
    names = ("root", *result.words)

    def listed(indices: Sequence[int], keep_end: bool) -> str:
        shown = [names[i] for i in indices]
        if len(shown) > 4:
            shown = ["…", *shown[-3:]] if keep_end else [*shown[:3], "…"]
        return "[" + ", ".join(shown) + "]"

    table = [f"  {'step':>4}  {'stack':<30} {'word list':<30} {'action':<16} relation added"]
    first = max(0, step - rows + 1)
    for index in range(first, step + 1):
        state = result.state_at(index)
        event = result.event_at(index + 1) if index < step else None  # the action taken from here
        action = "" if event is None else event.transition[0]
        relation = ""
        if event is not None and event.arc is not None:
            head, dependent = event.arc
            label = event.transition[1]
            relation = f"({names[head]} → {names[dependent]})" + (f" {label}" if label else "")
        marker = "▶" if index == step else " "
        stack = listed(state.stack, keep_end=True)
        buffer = listed(list(state.buffer), keep_end=False)
        table.append(f"{marker} {index:>4}  {stack:<30} {buffer:<30} {action:<16} {relation}")
    return table


def detail_lines(result: ParseResult, step: int, parser_model: Any) -> list[str]:
    """A trained parser's view of ``step``: its probabilities and the features it looked at."""
    event = result.event_at(step)
    if event is None or not event.probabilities or parser_model is None:
        return []
    lines = ["Model: P(transition | configuration) over the legal transitions"]
    lines += [f"  {name:<22} {p:.3f}" for name, p in event.probabilities[:6]]
    # The features come from the configuration *before* this step.
    config = Configuration(len(result.words))
    for transition in result.transitions[: step - 1]:
        apply(config, transition, result.system)
    features = parser_model.describe_features(config, result.words, result.tags)
    lines.append("Features used: " + ",  ".join(f"{name} = {value}" for name, value in features[:9]))
    if len(features) > 9:
        lines.append("  " + ",  ".join(f"{name} = {value}" for name, value in features[9:]))
    return lines
