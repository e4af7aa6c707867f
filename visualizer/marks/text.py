"""The text-processing pictures at a step (no Qt): characters in cells for regex and MaxMatch,
the pair-count table and corpus for BPE, the merges for segmenting, the cascade for Porter."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field

from algorithms.bpe import BPEMerge, BPEModel, SegmentResult
from algorithms.regex_search import Backtrack, Consume, Found, SearchResult, TryStart, gold_counts
from algorithms.segmentation import MatchStep, MaxMatchResult
from algorithms.sentences import BoundaryDecision, SentenceSplit
from algorithms.stemming import RuleStep, StemResult
from algorithms.tokenization import TokenizeResult

__all__ = [
    "CellMarks",
    "WIDTH",
    "character_rows",
    "regex_marks",
    "parse_wanted",
    "word_span",
    "max_match_marks",
    "bpe_pairs",
    "bpe_corpus_lines",
    "segment_lines",
    "porter_rows",
    "PORTER_COLUMNS",
    "sentence_lines",
    "token_lines",
]

#: Characters a row of the character grid holds.
WIDTH = 32
PORTER_COLUMNS = ("rule", "stem", "m", "fires", "word")


@dataclass
class CellMarks:
    """Cells to tint (cell → role) and one cell to outline, in a grid of text cells."""

    fills: dict[tuple[int, int], str] = field(default_factory=dict)
    current: tuple[int, int] | None = None
    lines: list[str] = field(default_factory=list)  # the details under the grid
    outlines: dict[tuple[int, int], str] = field(default_factory=dict)  # wanted (gold) cells


def character_rows(text: str) -> list[str]:
    """The text in rows of :data:`WIDTH` characters (a space shown as ␣, a newline as ⏎)."""
    shown = text.replace(" ", "␣").replace("\n", "⏎")
    return [shown[i : i + WIDTH] for i in range(0, max(len(shown), 1), WIDTH)]


def cell_of(position: int) -> tuple[int, int]:
    return divmod(position, WIDTH)


def parse_wanted(text: str, length: int) -> list[tuple[int, int]]:
    """The spans a user marked as wanted matches, written ``0-3 21-24`` (start-end, end excluded)."""
    spans = []
    for part in text.replace(",", " ").split():
        start, dash, end = part.partition("-")
        if not dash or not start.isdigit() or not end.isdigit() or not int(start) < int(end) <= length:
            raise ValueError(f"A wanted match is written start-end within the text, like 0-3; got {part!r}.")
        spans.append((int(start), int(end)))
    return spans


def word_span(text: str, position: int) -> tuple[int, int]:
    """The word (letters, digits, _) around ``position``, or that one character."""
    start = end = position
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
        start -= 1
    while end < len(text) and (text[end].isalnum() or text[end] == "_"):
        end += 1
    return (start, end) if end > start else (position, position + 1)


def regex_marks(result: SearchResult, step: int, wanted: Sequence[tuple[int, int]] = ()) -> CellMarks:
    """Matches so far (green), the start tried (blue), the character being tested (outlined), and
    with ``wanted`` spans (a gold standard) their cells outlined and the errors counted."""
    state = result.state_at(step)
    marks = CellMarks()
    for match in state.matches:
        for p in range(match.start, match.end):
            marks.fills[cell_of(p)] = "final_path"
    if state.position < len(result.text):
        marks.fills.setdefault(cell_of(state.position), "candidate")
    event = result.event_at(step)
    if isinstance(event, Consume | Backtrack | TryStart) and event.position < len(result.text):
        marks.current = cell_of(event.position)
    found = ", ".join(f"'{m.text}' {m.start}–{m.end}" for m in state.matches) or "none yet"
    marks.lines = [f"pattern  {result.pattern}", f"matches  {found}"]
    if wanted:
        for start, end in wanted:
            for p in range(start, end):
                marks.outlines[cell_of(p)] = "chosen"
        true, false_pos, false_neg = gold_counts(list(state.matches), list(wanted))
        if step == len(result.trace):
            marks.lines.append(
                f"gold     {true} right, {false_pos} false positives, {false_neg} false negatives"
            )
    if isinstance(event, Consume):
        marks.lines.append(
            f"element  {event.element}  at position {event.position}  {'✓' if event.ok else '✗'}"
        )
    elif isinstance(event, Found):
        marks.lines.append(f"found    '{event.match.text}'")
    return marks


def max_match_marks(result: MaxMatchResult, step: int) -> CellMarks:
    """Words taken so far in alternating tints, the word just taken outlined, the prefixes it tried."""
    state = result.state_at(step)
    marks = CellMarks()
    position = 0
    for k, token in enumerate(state.tokens):
        role = "candidate" if k % 2 == 0 else "added"
        for p in range(position, position + len(token)):
            marks.fills[cell_of(p)] = role
        position += len(token)
    event = result.event_at(step)
    if isinstance(event, MatchStep):
        for p in range(event.start, event.start + len(event.word)):
            marks.fills[cell_of(p)] = "current"
        marks.current = cell_of(event.start)
        tried = list(event.tried[:-1])
        # Longest first: the long ones differ only at their ends, so show the longest with its
        # length, then the shortest few, which are the ones that nearly made it.
        if len(tried) > 4:
            longest = tried[0] if len(tried[0]) <= 16 else tried[0][:15] + "…"
            shown = f"{longest} ({len(tried[0])} letters), …, " + ", ".join(tried[-3:])
            shown += f"  ({len(tried)} in all)"
        else:
            shown = ", ".join(tried)
        marks.lines = [f"tried, longest first: {shown or '(none longer)'}", f"taken: {event.word}"]
    marks.lines.append("words so far: " + " ".join(state.tokens))
    return marks


def bpe_pairs(model: BPEModel, step: int) -> tuple[list[tuple[str, str]], int | None]:
    """The pair counts the merge at ``step`` chose from (the first merge's at step 0): (pair, count)
    rows, most frequent first, and the winner's row (None at step 0)."""
    event = model.event_at(step) if step else model.event_at(1)
    if not isinstance(event, BPEMerge):
        return [], None
    rows = [(f"{a} {b}", str(count)) for (a, b), count in event.top]
    winner = next(i for i, ((a, b), _) in enumerate(event.top) if (a, b) == event.pair)
    return rows, winner if step else None


def bpe_corpus_lines(model: BPEModel, step: int, shown: int = 12) -> list[str]:
    """The corpus after ``step`` merges, count × symbols, and the vocabulary."""
    lines = ["corpus after the merge (count × symbols):" if step else "corpus (count × symbols):"]
    for symbols, count in model.corpus_at(step)[:shown]:
        lines.append(f"  {count:>4} × {' '.join(symbols)}")
    vocabulary = model.state_at(step).vocabulary
    lines.append("vocabulary: " + ", ".join(vocabulary[-12:]) + (f"  ({len(vocabulary)} symbols)"))
    return lines


def segment_lines(result: SegmentResult, step: int) -> list[str]:
    """The merges tried so far (▶ the current), and the word's symbols after them."""
    lines = [f"'{result.word}' starts as: {' '.join(result.start)}"]
    for k, event in enumerate(result.trace[:step], start=1):
        assert hasattr(event, "pair")
        mark = "▶" if k == step else " "
        verdict = "applies" if event.applied else "—"  # type: ignore[attr-defined]
        pair = " ".join(event.pair)  # type: ignore[attr-defined]
        lines.append(f"{mark} {k:>3}. {pair:<12} {verdict:<8} {' '.join(event.symbols)}")  # type: ignore[attr-defined]
    return lines[-16:]


def porter_rows(result: StemResult, step: int) -> tuple[list[str], dict[tuple[int, int], str]]:
    """The cascade so far: one row a step (1a … 5b), and its cells' texts."""
    labels, cells = [], {}
    for k, event in enumerate(result.trace[:step]):
        assert isinstance(event, RuleStep)
        labels.append(event.step)
        cells[(k, 0)] = event.rule or "no suffix matches"
        cells[(k, 1)] = event.stem if event.rule else "—"
        cells[(k, 2)] = str(event.m)
        cells[(k, 3)] = ("yes" if event.holds else "no") if event.rule else "—"
        cells[(k, 4)] = event.after
    return labels, cells


def sentence_lines(result: SentenceSplit, step: int) -> list[str]:
    """The candidate decided at ``step`` (its context, the facts that hold, the reasons), then the
    sentences found so far, one a line."""
    lines: list[str] = []
    event = result.event_at(step)
    if isinstance(event, BoundaryDecision):
        context = result.text[max(0, event.start - 24) : event.end + 24].replace("\n", "⏎")
        what = "line break" if event.mark == "\n" else repr(event.mark)
        lines.append(f"candidate  {what} at {event.start}:  …{context}…")
        facts = [f"{name}={value:g}" for name, value in event.features if value]
        for number, row in enumerate(textwrap.wrap(", ".join(facts), 64)):  # a screen's width
            lines.append(f"{'facts' if number == 0 else '':<10} {row}")
        for reason in event.reasons:
            lines.append(f"{'because' if result.method == 'rules' else 'test':<10} {reason}")
        lines.append(f"decision   {'END of a sentence' if event.boundary else 'not an end'}")
        lines.append("")
    state = result.state_at(step)
    begin = 0
    for number, end in enumerate(state.boundaries, start=1):
        rows = textwrap.wrap(result.text[begin:end].strip(), 70) or [""]
        lines += [f"{number:>2}. {rows[0]}", *(f"    {row}" for row in rows[1:])]
        begin = end
    rest = result.text[begin:].strip().replace("\n", " ⏎ ")
    if rest:
        rest = f"{rest[:90]}{'…' if len(rest) > 90 else ''}   (not decided yet)"
        lines += [f"    {row}" for row in textwrap.wrap(rest, 70)]
    return lines


def token_lines(result: TokenizeResult, step: int, shown: int = 14) -> list[str]:
    """The tokens so far, the last ``shown`` with the rule that made each, and |V| against N."""
    state = result.state_at(step)
    lines = [f"N = {len(state.tokens)} tokens, |V| = {state.types} types", ""]
    first = max(0, step - shown)
    for k, event in enumerate(result.trace[first:step], start=first + 1):
        mark = "▶" if k == step else " "
        lines.append(f"{mark} {k:>3}. {event.token:<18} {event.rule}")  # type: ignore[attr-defined]
    return lines
