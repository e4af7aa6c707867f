"""Transition-based dependency parsing (SLP3 ch. 19): arc-standard, arc-eager, the static oracle.

A configuration is a stack (ROOT = 0 at the bottom), a buffer (the next
word's index) and the arcs built so far. :func:`parse` applies transitions —
from the oracle of a gold tree, from a trained model (:mod:`algorithms.neural_parser`)
or from a list the user chose — and returns the heads, the labels and a trace
whose events carry the stack and buffer after each step, so any step is
shown without replay. An illegal transition is refused with the reason.
"""

from __future__ import annotations

import importlib
import numbers
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from algorithms.checks import token_list
from algorithms.progress import Cancelled
from algorithms.quiz import Question
from algorithms.trace import Phase, State, StepEvent, StepwiseResult, Trace, line_with

__all__ = [
    "DependencyTree",
    "Configuration",
    "Transition",
    "ParseStep",
    "ParseResult",
    "ParserState",
    "TransitionModel",
    "SYSTEMS",
    "TRANSITIONS",
    "read_conllu",
    "apply",
    "legal_transitions",
    "illegal_reason",
    "oracle_transitions",
    "parse",
    "attachment_scores",
]

SYSTEMS = ("arc-standard", "arc-eager")
TRANSITIONS = ("SHIFT", "LEFTARC", "RIGHTARC", "REDUCE")
#: (name, label): the label is None for SHIFT and REDUCE (and for unlabeled arcs).
Transition = tuple[str, str | None]


@dataclass(frozen=True)
class DependencyTree:
    """A sentence with 1-based heads (0 = root) and labels, as in CoNLL-U; ``tags`` optional (UPOS)."""

    words: tuple[str, ...]
    heads: tuple[int, ...]
    labels: tuple[str, ...]
    tags: tuple[str, ...] | None = None

    def __init__(
        self,
        words: Sequence[str],
        heads: Sequence[int],
        labels: Sequence[str] | None = None,
        tags: Sequence[str] | None = None,
    ) -> None:
        words = tuple(token_list("The words", words))
        if (
            isinstance(heads, str)
            or not isinstance(heads, Sequence)
            or not all(isinstance(h, numbers.Integral) and not isinstance(h, bool) for h in heads)
        ):
            raise ValueError(f"The heads must be a list of word numbers (0 for the root); got {heads!r}.")
        heads = tuple(int(h) for h in heads)
        if labels is not None and (isinstance(labels, str) or not all(isinstance(x, str) for x in labels)):
            raise ValueError(f"The labels must be a list of strings; got {labels!r}.")
        if tags is not None and (isinstance(tags, str) or not all(isinstance(x, str) for x in tags)):
            raise ValueError(f"The tags must be a list of strings or None; got {tags!r}.")
        labels = tuple(labels) if labels is not None else ("dep",) * len(words)
        n = len(words)
        if not n:
            raise ValueError("A dependency tree needs at least one word.")
        if len(heads) != n or len(labels) != n or (tags is not None and len(tags) != n):
            raise ValueError(f"words, heads, labels and tags must have the same length ({n} words).")
        roots = [i for i, head in enumerate(heads, start=1) if head == 0]
        if len(roots) > 1:
            named = ", ".join(f"{i} ('{words[i - 1]}')" for i in roots[:4])
            raise ValueError(f"Words {named} all have head 0; a dependency tree has exactly one root.")
        for i, head in enumerate(heads, start=1):
            if not 0 <= head <= n:
                raise ValueError(f"Word {i} ('{words[i - 1]}') has head {head}, outside 0…{n}.")
            if head == i:
                raise ValueError(f"Word {i} ('{words[i - 1]}') cannot be its own head.")
        for i in range(1, n + 1):  # every word must reach the root: no cycles
            seen, node = set(), i
            while node != 0:
                if node in seen:
                    raise ValueError(f"The heads form a cycle through word {i} ('{words[i - 1]}').")
                seen.add(node)
                node = heads[node - 1]
        object.__setattr__(self, "words", words)
        object.__setattr__(self, "heads", heads)
        object.__setattr__(self, "labels", labels)
        object.__setattr__(self, "tags", tuple(tags) if tags is not None else None)

    def __len__(self) -> int:
        return len(self.words)

    def dependents(self, head: int) -> list[int]:
        """The words whose head is ``head`` (0 = root), left to right."""
        return [i for i, h in enumerate(self.heads, start=1) if h == head]

    def crossing_arcs(self) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """Pairs of arcs (head, dependent) that cross when drawn above the sentence."""
        arcs = [(h, d) for d, h in enumerate(self.heads, start=1)]
        spans = [(min(h, d), max(h, d), (h, d)) for h, d in arcs]
        crossing = []
        for a, (i, j, arc_a) in enumerate(spans):
            for k, m, arc_b in spans[a + 1 :]:
                if i < k < j < m or k < i < m < j:
                    crossing.append((arc_a, arc_b))
        return crossing

    def is_projective(self) -> bool:
        return not self.crossing_arcs()


def read_conllu(path: str, cancelled: Cancelled | None = None) -> list[DependencyTree]:
    """Every sentence of a CoNLL-U file as a :class:`DependencyTree` (tags = UPOS).

    Read by :func:`algorithms.corpora.read_conllu_sentences` (the ``conllu`` package);
    multiword-token lines (``3-4``) and empty nodes (``8.1``) are skipped, so ids
    and heads refer to the syntactic words. A head of ``_``, two roots or a cycle is
    refused with one sentence naming the file and the line.
    """
    from algorithms.corpora import read_conllu_sentences

    trees = []
    for sentence in read_conllu_sentences(path, cancelled=cancelled):
        words = sentence.words
        missing = next((w for w in words if w.head is None), None)
        if missing is not None:
            raise ValueError(
                f"{path}, line {missing.line}: the word {missing.form!r} has no head ('_'); "
                "every word of a dependency tree needs one."
            )
        try:
            trees.append(
                DependencyTree(
                    [w.form for w in words],
                    [w.head or 0 for w in words],
                    [w.deprel or "dep" for w in words],
                    [w.upos or "X" for w in words],
                )
            )
        except ValueError as problem:
            raise ValueError(f"{path}, the sentence on line {sentence.line}: {problem}") from None
    return trees


# -- configurations ------------------------------------------------------------------------------
@dataclass
class Configuration:
    """Stack (ROOT = 0 at the bottom), buffer (words ``next`` … n), heads and labels so far."""

    n: int
    stack: list[int] = field(default_factory=lambda: [0])
    next: int = 1
    heads: list[int] = field(default_factory=list)
    labels: list[str | None] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.heads:
            self.heads = [-1] * (self.n + 1)  # -1: no head yet; index 0 is ROOT
            self.labels = [None] * (self.n + 1)

    @property
    def buffer(self) -> range:
        return range(self.next, self.n + 1)

    def is_terminal(self) -> bool:
        return self.next > self.n and self.stack == [0]

    def has_head(self, word: int) -> bool:
        return self.heads[word] >= 0

    def dependents(self, head: int) -> list[int]:
        return [d for d in range(1, self.n + 1) if self.heads[d] == head]


def illegal_reason(config: Configuration, name: str, system: str) -> str:
    """Why ``name`` cannot be applied now ("" when it can)."""
    stack, buffer_empty = config.stack, config.next > config.n
    if system == "arc-standard":
        if name == "SHIFT":
            return "the buffer is empty" if buffer_empty else ""
        if name == "REDUCE":
            return "arc-standard has no REDUCE"
        if len(stack) < 2:
            return "the stack needs two items"
        if name == "LEFTARC" and stack[-2] == 0:
            return "ROOT cannot be a dependent"
        if name == "RIGHTARC" and stack[-2] == 0 and not buffer_empty:
            return "ROOT takes its one dependent only when the buffer is empty"
        return ""
    return _arc_eager_reason(config, name)


def _arc_eager_reason(config: Configuration, name: str) -> str:
    """Arc-eager legality, strict enough that every legal sequence ends in one tree with one root.

    Plain arc-eager can dead-end: a word shifted last, or left on the stack when the
    buffer runs out, has nothing to give it a head; and RIGHTARC from ROOT can repeat.
    So: the last word is never shifted; ROOT takes one dependent; the buffer's last word
    is attached by RIGHTARC only once every stack word has a head; and once ROOT has its
    dependent, the word above ROOT stays while words remain (they can only attach under it).
    """
    stack, front, n = config.stack, config.next, config.n
    top = stack[-1]
    buffer_empty = front > n
    root_taken = 0 in config.heads[1:]
    if name == "SHIFT":
        if buffer_empty:
            return "the buffer is empty"
        if front == n:
            return f"word {front} is the last: once shifted, nothing after it could give it a head"
        return ""
    if name == "REDUCE":
        if top == 0:
            return "ROOT cannot be reduced"
        if not config.has_head(top):
            return f"word {top} has no head yet"
        if root_taken and len(stack) == 2 and not buffer_empty:
            return f"word {top} must stay: the words left in the buffer can only attach below it"
        return ""
    if buffer_empty:
        return "the buffer is empty"
    if name == "LEFTARC":
        if top == 0:
            return "ROOT cannot be a dependent"
        return f"word {top} already has a head" if config.has_head(top) else ""
    if name == "RIGHTARC":
        if top == 0 and root_taken:
            return "ROOT already has its one dependent"
        if front == n:
            headless = next((w for w in stack[1:] if not config.has_head(w)), None)
            if headless is not None:
                return f"word {headless} on the stack has no head yet, and the buffer would then be empty"
        return ""
    return f"unknown transition {name!r}"


def legal_transitions(config: Configuration, system: str) -> dict[str, str]:
    """Every transition name of the system with "" (legal) or the reason it is not."""
    names = TRANSITIONS if system == "arc-eager" else TRANSITIONS[:3]
    return {name: illegal_reason(config, name, system) for name in names}


def apply(config: Configuration, transition: Transition, system: str) -> tuple[int, int] | None:
    """Apply one transition in place; returns the arc (head, dependent) it adds, if any."""
    name, label = transition
    reason = illegal_reason(config, name, system)
    if reason:
        raise ValueError(f"{name} is not possible here: {reason}.")
    stack = config.stack
    if name == "SHIFT":
        stack.append(config.next)
        config.next += 1
        return None
    if system == "arc-standard":
        if name == "LEFTARC":
            head, dependent = stack[-1], stack[-2]
            del stack[-2]
        else:
            head, dependent = stack[-2], stack[-1]
            stack.pop()
    else:
        top, front = stack[-1], config.next
        if name == "REDUCE":
            stack.pop()
            return None
        if name == "LEFTARC":
            head, dependent = front, top
            stack.pop()
        else:
            head, dependent = top, front
            stack.append(front)
            config.next += 1
    config.heads[dependent] = head
    config.labels[dependent] = label
    return (head, dependent)


# -- the static oracle -------------------------------------------------------------------------------
def oracle_transitions(
    tree: DependencyTree, system: str = "arc-standard", labeled: bool = True
) -> list[Transition]:
    """The transition sequence that builds ``tree`` (SLP3's static oracle; Nivre's for arc-eager).

    A non-projective tree cannot be built by either system and is refused,
    naming the crossing arcs.
    """
    _check_system(system)
    crossing = tree.crossing_arcs()
    if crossing:
        (h1, d1), (h2, d2) = crossing[0]
        more = f" (and {len(crossing) - 1} more crossing pairs)" if len(crossing) > 1 else ""
        raise ValueError(
            f"This tree is not projective: the arc {h1}→{d1} ({_word(tree, h1)} → {_word(tree, d1)}) "
            f"crosses {h2}→{d2} ({_word(tree, h2)} → {_word(tree, d2)}){more}; "
            f"{system} can only build projective trees."
        )
    config = Configuration(len(tree))
    gold = (0, *tree.heads)
    children = [0] * (len(tree) + 1)  # gold dependents still to attach, per word
    for head in tree.heads:
        children[head] += 1
    sequence: list[Transition] = []
    while not config.is_terminal():
        name = _oracle_step(config, gold, children, system)
        label = (
            tree.labels[_dependent_of(config, name, system) - 1] if name in ("LEFTARC", "RIGHTARC") else None
        )
        transition = (name, label if labeled else None)
        arc = apply(config, transition, system)
        if arc is not None:
            children[arc[0]] -= 1
        sequence.append(transition)
        if len(sequence) > 4 * len(tree) + 4:  # cannot happen for a projective tree; never loop forever
            raise ValueError("The oracle did not finish; the tree is not buildable by this system.")
    return sequence


def _oracle_step(config: Configuration, gold: tuple[int, ...], children: list[int], system: str) -> str:
    stack = config.stack
    if system == "arc-standard":
        if len(stack) >= 2:
            s1, s2 = stack[-1], stack[-2]
            if s2 != 0 and gold[s2] == s1:
                return "LEFTARC"
            if gold[s1] == s2 and children[s1] == 0 and (s2 != 0 or config.next > config.n):
                return "RIGHTARC"
        return "SHIFT"
    top = stack[-1]
    if config.next > config.n:
        return "REDUCE"
    front = config.next
    if top != 0 and gold[top] == front:
        return "LEFTARC"
    if gold[front] == top:
        return "RIGHTARC"
    if config.has_head(top) and any(gold[front] == k or gold[k] == front for k in stack[:-1]):
        return "REDUCE"
    return "SHIFT"


def _dependent_of(config: Configuration, name: str, system: str) -> int:
    stack = config.stack
    if system == "arc-standard":
        return stack[-2] if name == "LEFTARC" else stack[-1]
    return stack[-1] if name == "LEFTARC" else config.next


def _word(tree: DependencyTree, index: int) -> str:
    return "ROOT" if index == 0 else tree.words[index - 1]


def _check_system(system: str) -> None:
    if system not in SYSTEMS:
        raise ValueError(f"Unknown transition system {system!r}; choose {' or '.join(SYSTEMS)}.")


# -- parsing ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ParseStep(StepEvent):
    """One transition and the configuration after it; ``why`` says what justified it."""

    index: int
    transition: Transition
    arc: tuple[int, int] | None  # (head, dependent) added, if any
    stack: tuple[int, ...]
    next: int  # first word still in the buffer (n + 1 when empty)
    why: str
    words: tuple[str, ...] = field(compare=False, repr=False)
    probabilities: tuple[tuple[str, float], ...] = ()  # a model's distribution over legal transitions
    popped: int = 0  # the word REDUCE took off the stack

    def describe(self, style: str = "plain") -> str:
        name, label = self.transition
        shown = f"{name}({label})" if label else name
        if self.arc is not None:
            head, dependent = self.arc
            text = f"{shown}: {self._w(head)} → {self._w(dependent)}"
        elif name == "SHIFT":
            text = f"SHIFT: move '{self._w(self.stack[-1])}' from the buffer onto the stack"
        else:
            text = f"REDUCE: pop '{self._w(self.popped)}', which has its head"
        return f"{text}  ({self.why})" if self.why else text

    def _w(self, index: int) -> str:
        return "ROOT" if index == 0 else self.words[index - 1]


#: SLP3 Fig. 19.6, with each system's transitions (s1 is the stack's top, b1 the buffer's front).
DEPENDENCY_PSEUDOCODE = {
    "arc-standard": (
        "function DEPENDENCYPARSE(words) returns dependency tree",
        "    state ← {[root], [words], []}            ; initial configuration",
        "    while state not final",
        "        t ← ORACLE(state)                      ; choose a transition operator to apply",
        "        if t = SHIFT: move b1 from the buffer onto the stack",
        "        if t = LEFTARC(r): add s1 →r s2; remove s2 from the stack",
        "        if t = RIGHTARC(r): add s2 →r s1; remove s1 from the stack",
        "    return state",
    ),
    "arc-eager": (
        "function DEPENDENCYPARSE(words) returns dependency tree",
        "    state ← {[root], [words], []}            ; initial configuration",
        "    while state not final",
        "        t ← ORACLE(state)                      ; choose a transition operator to apply",
        "        if t = SHIFT: move b1 from the buffer onto the stack",
        "        if t = LEFTARC(r): add b1 →r s1; pop s1",
        "        if t = RIGHTARC(r): add s1 →r b1; move b1 onto the stack",
        "        if t = REDUCE: pop s1 (it has its head)",
        "    return state",
    ),
}


class TransitionModel(Protocol):
    """What ``parse(model=...)`` needs of a trained parser (``neural_parser.ParserModel`` is one)."""

    def choose(
        self, config: Configuration, words: Sequence[str], tags: Sequence[str] | None, system: str
    ) -> tuple[Transition, tuple[tuple[str, float], ...]]:
        """The transition to take in ``config``, and the probabilities it chose among."""
        ...


@dataclass(frozen=True, eq=False)
class ParserState(State):
    """A parser configuration: the stack, the first word of the buffer, and the arcs built so far."""

    size: int  # words in the sentence (the buffer runs from ``next`` to ``size``)
    stack: tuple[int, ...]  # word indices, 0 = ROOT, top last
    next: int  # first word still in the buffer (size + 1 when empty)
    arcs: tuple[tuple[int, int, str | None], ...]  # (dependent, head, label), by dependent

    @property
    def buffer(self) -> range:
        """The words not yet shifted."""
        return range(self.next, self.size + 1)

    def then(self, event: StepEvent) -> ParserState:
        """The configuration after one more transition."""
        if not isinstance(event, ParseStep):
            raise TypeError(f"a parser configuration does not change with {type(event).__name__}")
        arcs = self.arcs
        if event.arc is not None:
            head, dependent = event.arc
            arcs = tuple(sorted((*arcs, (dependent, head, event.transition[1]))))
        return ParserState(self.size, event.stack, event.next, arcs)


@dataclass
class ParseResult(StepwiseResult[ParseStep, ParserState]):
    """Heads and labels (1-based, 0 = root), the transitions, and the trace of configurations.

    ``states[k]`` is the configuration after ``k`` transitions, stored when the
    parse ran, so any step is shown without replaying the ones before it.
    """

    words: tuple[str, ...]
    tags: tuple[str, ...] | None
    heads: list[int]
    labels: list[str | None]
    transitions: list[Transition]
    trace: Trace[ParseStep]
    system: str
    states: tuple[ParserState, ...] = ()

    def state_at(self, step: int) -> ParserState:
        """The configuration after ``step`` transitions (stored, not replayed)."""
        return self.states[self.clamp(step)]

    @property
    def pseudocode(self) -> tuple[str, ...]:
        """SLP3 Fig. 19.6's DEPENDENCYPARSE with the system's transitions spelt out."""
        return DEPENDENCY_PSEUDOCODE[self.system]

    def line_at(self, step: int) -> int:
        """The line of the transition the step applies."""
        event = self.event_at(step)
        if event is None:
            raise ValueError(f"step {step} is not in this trace (1 … {len(self.trace)})")
        return line_with(self.pseudocode, f"if t = {event.transition[0]}")

    def watch_at(self, step: int) -> dict[str, str]:
        """The stack's top two and the buffer's front before the step, the transition and its arc."""
        event = self.event_at(step)
        if event is None:
            return {}
        stack, buffer = self.configuration_at(step - 1)

        def word(index: int) -> str:
            return "ROOT" if index == 0 else self.words[index - 1]

        name, label = event.transition
        watch = {
            "s1": word(stack[-1]) if stack else "—",
            "s2": word(stack[-2]) if len(stack) > 1 else "—",
            "b1": word(buffer[0]) if len(buffer) else "—",
            "t": f"{name}({label})" if label else name,
        }
        if event.arc is not None:
            watch["arc"] = f"{word(event.arc[0])} → {word(event.arc[1])}"
        return watch

    def question_at(self, step: int) -> Question | None:
        """The transition the step takes, with its label when it adds a labelled arc."""
        event = self.event_at(step)
        if event is None:
            return None
        name, label = event.transition
        names = TRANSITIONS if self.system == "arc-eager" else TRANSITIONS[:3]
        stack, buffer = self.configuration_at(step - 1)

        def word(index: int) -> str:
            return "ROOT" if index == 0 else self.words[index - 1]

        # Arc-standard links the stack's top two; arc-eager the stack's top and the buffer's front.
        shown = [word(i) for i in stack[-2:]]
        front = word(buffer[0]) if len(buffer) else "(empty)"
        return Question(
            f"Stack …{' '.join(shown)} | buffer {front} …: the next transition? "
            f"({', '.join(names)}; an arc with its label, e.g. LEFTARC(nsubj))",
            "text",
            f"{name}({label})" if label else name,
            event.describe(),
            choices=names,
            hint="Which of these words has its head among them, and already has all its own dependents?",
        )

    def arcs_at(self, position: int) -> dict[int, tuple[int, str | None]]:
        """{dependent: (head, label)} for the arcs built in the first ``position`` steps."""
        return {dependent: (head, label) for dependent, head, label in self.state_at(position).arcs}

    def configuration_at(self, position: int) -> tuple[tuple[int, ...], range]:
        """(stack, buffer) after ``position`` steps."""
        state = self.state_at(position)
        return state.stack, state.buffer


def parse(
    words: Sequence[str],
    tags: Sequence[str] | None = None,
    system: str = "arc-standard",
    oracle: DependencyTree | None = None,
    model: TransitionModel | None = None,
    transitions: Iterable[Transition] | None = None,
) -> ParseResult:
    """Parse with the oracle of a gold tree, a trained model, or a given list of transitions.

    Exactly one of ``oracle``, ``model`` and ``transitions`` is used. With a
    model, only legal transitions are ever chosen, and each step records the
    model's probabilities. The result's trace has one event per transition.
    """
    _check_system(system)
    words = tuple(token_list("The words", words))
    if not words:
        raise ValueError("There are no words to parse.")
    if tags is not None and len(tags) != len(words):
        raise ValueError(f"There are {len(words)} words but {len(tags)} tags.")
    sources = [x is not None for x in (oracle, model, transitions)]
    if sum(sources) != 1:
        raise ValueError("Give exactly one of oracle=, model= or transitions=.")
    config = Configuration(len(words))
    events: list[ParseStep] = []
    if oracle is not None:
        if oracle.words != words:
            raise ValueError("The gold tree is over different words than the sentence.")
        planned = oracle_transitions(oracle, system)
        gold_heads = (0, *oracle.heads)
        for transition in planned:
            why = _oracle_reason(config, transition, system, gold_heads, words)
            events.append(_step(config, transition, system, why, words, len(events)))
    elif transitions is not None:
        for transition in transitions:
            events.append(_step(config, transition, system, "chosen by hand", words, len(events)))
    else:
        assert model is not None  # exactly one source was given, checked above
        while not config.is_terminal():
            transition, probabilities = model.choose(config, words, tags, system)
            best = max(probabilities, key=lambda item: item[1])
            why = f"the model's most probable legal transition, p = {best[1]:.3f}"
            events.append(_step(config, transition, system, why, words, len(events), probabilities))
            if len(events) > 4 * len(words) + 4:
                raise ValueError("The model did not reach a final configuration.")
    heads = [h if h >= 0 else 0 for h in config.heads[1:]]
    phases = [Phase("parsing", 0, len(events))]
    trace = Trace.from_events(events, phases=phases)
    chosen = [e.transition for e in events]
    states = [ParserState(len(words), (0,), 1, ())]
    arcs: dict[int, tuple[int, str | None]] = {}
    for event in events:  # built as the parse ran: each configuration once, kept for random access
        if event.arc is not None:
            arcs[event.arc[1]] = (event.arc[0], event.transition[1])
        stored = tuple((dependent, head, label) for dependent, (head, label) in sorted(arcs.items()))
        states.append(ParserState(len(words), event.stack, event.next, stored))
    return ParseResult(
        words, tuple(tags) if tags else None, heads, config.labels[1:], chosen, trace, system, tuple(states)
    )


def _step(
    config: Configuration,
    transition: Transition,
    system: str,
    why: str,
    words: tuple[str, ...],
    index: int,
    probabilities: tuple[tuple[str, float], ...] = (),
) -> ParseStep:
    popped = config.stack[-1] if transition[0] == "REDUCE" else 0
    arc = apply(config, transition, system)
    return ParseStep(
        index, transition, arc, tuple(config.stack), config.next, why, words, probabilities, popped
    )


def _oracle_reason(
    config: Configuration, transition: Transition, system: str, gold: tuple[int, ...], words: tuple[str, ...]
) -> str:
    name = transition[0]

    def w(i: int) -> str:
        return "ROOT" if i == 0 else words[i - 1]

    if name in ("LEFTARC", "RIGHTARC"):
        dependent = _dependent_of(config, name, system)
        return f"the gold tree has {w(gold[dependent])} → {w(dependent)}"
    if name == "REDUCE":
        top = config.stack[-1]
        return f"'{w(top)}' has its head and no gold arc left with the buffer"
    if config.next <= config.n:
        return (
            "no gold arc between the top items yet"
            if system == "arc-standard"
            else ("no gold arc between the stack top and the buffer front")
        )
    return ""


def attachment_scores(
    predicted: Sequence[ParseResult | DependencyTree],
    gold: Sequence[DependencyTree],
    punctuation: bool = True,
) -> tuple[float, float]:
    """(UAS, LAS) over all words; ``punctuation=False`` skips tokens tagged PUNCT in the gold tree."""
    total = correct_heads = correct_labels = 0
    for guess, truth in zip(predicted, gold, strict=True):
        for i in range(len(truth)):
            if not punctuation and truth.tags is not None and truth.tags[i] == "PUNCT":
                continue
            total += 1
            if guess.heads[i] == truth.heads[i]:
                correct_heads += 1
                if guess.labels[i] == truth.labels[i]:
                    correct_labels += 1
    if total == 0:
        raise ValueError("There are no words to score.")
    return correct_heads / total, correct_labels / total


def __getattr__(name: str) -> Any:
    """``train_parser`` moved to :mod:`algorithms.neural_parser`; old imports from here still work.

    The import is by name at call time so this module never imports the parser
    module (which imports this one): the engines stay free of import cycles.
    """
    if name == "train_parser":
        return importlib.import_module("algorithms.neural_parser").train_parser
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
