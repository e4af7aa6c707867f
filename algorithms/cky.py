"""CKY parsing, probabilistic CKY and the inside algorithm (SLP3 §17.6, Appendix C).

The chart is the textbook's upper-triangular table: cell ``[i, j]`` holds the
non-terminals that derive words ``i+1 … j``. It is filled column by column
(``j = 1 … n``), each column bottom-up (``i = j-1 … 0``), each cell by trying
every split ``k``. The trace has one event for each column's word and one for
each split tried, and every event narrates itself, e.g.
``[0,3] split k=1: Verb ∈ [0,1], NP ∈ [1,3], VP → Verb NP ⇒ add VP``.

All numbers are computed in log space with numpy, one cell at a time over all
its splits and rules at once. The state at any step is a pure function of the
final chart and the step (a cell's running best after its first ``m`` splits
is kept per split), so scrubbing is random access.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from algorithms.cfg import Grammar, Production
from algorithms.checks import token_list
from algorithms.numeric import logsumexp
from algorithms.progress import Cancelled, Progress, stop_if_cancelled
from algorithms.quiz import Question, number_question
from algorithms.trace import Phase, State, StepEvent, StepwiseResult, Trace, format_probability, line_with
from algorithms.trees import Tree

__all__ = [
    "cky",
    "probabilistic_cky",
    "inside",
    "inside_log_probability",
    "ChartState",
    "CKYResult",
    "ProbabilisticCKYResult",
    "LexicalStep",
    "SplitStep",
    "Combination",
    "MAX_TRACED_WORDS",
    "MAX_NARRATED_COMBINATIONS",
]

#: Longest sentence whose fill is traced split by split (n³/6 events, each kept as numbers).
MAX_TRACED_WORDS = 80
#: A split's narration names at most this many rule applications (plus every one that changed the cell).
MAX_NARRATED_COMBINATIONS = 8

_NEG_INF = float("-inf")


# -- events ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Combination:
    """``lhs → left right`` applied at one split, and what it did to the cell."""

    lhs: str
    left: str
    right: str
    rule_log_probability: float
    left_log_probability: float  # best value of ``left`` in [i,k]
    right_log_probability: float  # best value of ``right`` in [k,j]
    log_probability: float  # rule · left · right, in log space (0 for a plain CFG)
    outcome: str  # "add" (new in the cell), "again" (another derivation), "better" / "worse" (PCFG max)
    previous: float  # the cell's value for lhs before this split (log; -inf when absent)


@dataclass(frozen=True)
class LexicalStep(StepEvent):
    """Column j starts with the word: cell [j-1, j] gets every A with A → word."""

    j: int
    word: str
    entries: tuple[tuple[str, float], ...]  # (A, log P(A → word))
    probabilistic: bool

    @property
    def cell(self) -> tuple[int, int]:
        return (self.j - 1, self.j)

    def describe(self, style: str = "plain") -> str:
        i, j = self.cell
        if self.probabilistic:
            rules = ", ".join(
                f"P({lhs} → {self.word}) = {format_probability(lp, style)}" for lhs, lp in self.entries
            )
        else:
            rules = ", ".join(f"{lhs} → {self.word}" for lhs, _ in self.entries)
        added = ", ".join(lhs for lhs, _ in self.entries)
        return f"[{i},{j}] '{self.word}': {rules} ⇒ add {added}"


@dataclass(frozen=True)
class SplitStep(StepEvent):
    """Cell [i, j] tries split k: every A → B C with B ∈ [i,k] and C ∈ [k,j]."""

    i: int
    j: int
    k: int
    left_cell: tuple[str, ...]
    right_cell: tuple[str, ...]
    combinations: tuple[Combination, ...]
    probabilistic: bool

    @property
    def cell(self) -> tuple[int, int]:
        return (self.i, self.j)

    def describe(self, style: str = "plain") -> str:
        i, j, k = self.i, self.j, self.k
        head = f"[{i},{j}] split k={k}: "
        if not self.left_cell or not self.right_cell:
            empty = f"[{i},{k}]" if not self.left_cell else f"[{k},{j}]"
            return head + f"{empty} is empty, so there is nothing to combine"
        if not self.combinations:
            left, right = ", ".join(self.left_cell), ", ".join(self.right_cell)
            return head + f"[{i},{k}] = {{{left}}} × [{k},{j}] = {{{right}}}: no rule A → B C matches"
        # A big grammar can combine dozens of pairs at one split: name what changed the cell
        # first, then the rest up to a readable length, and count what is left out.
        changed = [c for c in self.combinations if c.outcome in ("add", "better")]
        others = [c for c in self.combinations if c.outcome not in ("add", "better")]
        shown = set(map(id, (changed + others)[: max(MAX_NARRATED_COMBINATIONS, len(changed))]))
        by_pair: dict[tuple[str, str], list[Combination]] = {}
        for combination in self.combinations:
            if id(combination) in shown:
                by_pair.setdefault((combination.left, combination.right), []).append(combination)
        parts = []
        for (left, right), group in by_pair.items():
            outcomes = ", ".join(self._outcome(c, style) for c in group)
            parts.append(f"{left} ∈ [{i},{k}], {right} ∈ [{k},{j}], {outcomes}")
        text = head + "; ".join(parts)
        hidden = len(self.combinations) - len(shown)
        if hidden:
            what = "another derivation" if not self.probabilistic else "a combination that beat nothing"
            text += f"; and {hidden} more, each {what}"
        return text

    def _outcome(self, combination: Combination, style: str) -> str:
        c = combination
        rule = f"{c.lhs} → {c.left} {c.right}"
        if not self.probabilistic:
            return f"{rule} ⇒ add {c.lhs}" if c.outcome == "add" else f"{rule} ⇒ {c.lhs} again (another way)"
        value = format_probability(c.log_probability, style)
        rule_p = format_probability(c.rule_log_probability, style)
        left_p = format_probability(c.left_log_probability, style)
        right_p = format_probability(c.right_log_probability, style)
        product = f"{rule}: {rule_p} · {left_p} · {right_p} = {value}"
        if c.outcome == "add":
            return f"{product} ⇒ add {c.lhs}"
        if c.outcome == "better":
            return f"{product} ⇒ {c.lhs} = {value} (beats {format_probability(c.previous, style)})"
        return f"{product} ⇒ {c.lhs} keeps {format_probability(max(c.previous, c.log_probability), style)}"


#: SLP3 Fig. 17.12, in this project's words.
CKY_PSEUDOCODE = (
    "function CKY-PARSE(words, grammar) returns table",
    "    for j ← from 1 to LENGTH(words) do",
    "        for all {A | A → words[j] ∈ grammar}: table[j-1,j] ← table[j-1,j] ∪ A",
    "        for i ← from j-2 down to 0 do",
    "            for k ← i+1 to j-1 do",
    "                for all {A | A → B C ∈ grammar, B ∈ table[i,k], C ∈ table[k,j]}",
    "                    table[i,j] ← table[i,j] ∪ A",
    "    return table",
)

#: SLP3 Fig. C.3, in this project's words.
PCKY_PSEUDOCODE = (
    "function PROBABILISTIC-CKY(words, grammar) returns most probable parse and its probability",
    "    for j ← from 1 to LENGTH(words) do",
    "        for all {A | A → words[j] ∈ grammar}: table[j-1,j,A] ← P(A → words[j])",
    "        for i ← from j-2 down to 0 do",
    "            for k ← i+1 to j-1 do",
    "                for all {A | A → B C ∈ grammar, table[i,k,B] > 0, table[k,j,C] > 0}",
    "                    if table[i,j,A] < P(A → B C) × table[i,k,B] × table[k,j,C] then",
    "                        table[i,j,A] ← P(A → B C) × table[i,k,B] × table[k,j,C]",
    "                        back[i,j,A] ← {k, B, C}",
    "    return BUILD-TREE(back[0, LENGTH(words), S]), table[0, LENGTH(words), S]",
)


# -- the compiled grammar -------------------------------------------------------------------
class _Compiled:
    """A CNF grammar as arrays: binary rules grouped by left-hand side, a lexicon by word.

    ``weights`` says what a rule's number is: ``"none"`` (a plain CFG: every rule 1),
    ``"viterbi"`` (the most probable derivation the CNF rule stands for: its best unit
    chain) or ``"sum"`` (all of them: the collapsed closure, for the inside algorithm).
    """

    def __init__(self, grammar: Grammar, weights: str) -> None:
        problem = grammar.cnf_violation()
        if problem is not None:
            raise ValueError(_not_cnf_message(problem))
        self.grammar = grammar
        self.names: tuple[str, ...] = grammar.nonterminals
        self.index = {name: i for i, name in enumerate(self.names)}
        binary = sorted(
            (p for p in grammar.productions if p.is_binary), key=lambda p: self.index[p.lhs]
        )  # stable: grouped by lhs, in grammar order within a group
        self.rules: tuple[Production, ...] = tuple(binary)
        self.lhs = np.array([self.index[p.lhs] for p in binary], dtype=np.intp)
        self.left = np.array([self.index[p.rhs[0]] for p in binary], dtype=np.intp)
        self.right = np.array([self.index[p.rhs[1]] for p in binary], dtype=np.intp)
        self.log_p = np.array([self._rule_log(p, weights) for p in binary], dtype=float)
        if binary:
            starts = np.flatnonzero(np.r_[True, self.lhs[1:] != self.lhs[:-1]])
        else:
            starts = np.zeros(0, dtype=np.intp)
        self.group_starts = starts
        self.group_lhs = self.lhs[starts] if binary else np.zeros(0, dtype=np.intp)
        self.lexicon: dict[str, list[tuple[int, float]]] = {}
        #: (word, A index) -> the rule A -> 'word', to restore its unit chain in trees.
        self.lexical_rule: dict[tuple[str, int], Production] = {}
        for p in grammar.productions:
            if p.is_lexical and (p.rhs[0], self.index[p.lhs]) not in self.lexical_rule:
                self.lexicon.setdefault(p.rhs[0], []).append((self.index[p.lhs], self._rule_log(p, weights)))
                self.lexical_rule[(p.rhs[0], self.index[p.lhs])] = p
        self.by_lhs: dict[int, list[int]] = {}
        for r, p in enumerate(binary):
            self.by_lhs.setdefault(self.index[p.lhs], []).append(r)

    def _rule_log(self, p: Production, weights: str) -> float:
        if weights == "none":
            return 0.0
        probability = self.best_chain(p)[0] if weights == "viterbi" else p.probability
        return math.log(probability) if probability else _NEG_INF

    # -- the derivations of the grammar as written behind one CNF rule ----------------------
    def best_chain(self, p: Production) -> tuple[float, tuple[str, ...]]:
        """(probability, unit chain lhs … C) of the most probable derivation ``p`` stands for."""
        chains = self.grammar.unit_chains
        if not p.sources or chains is None:
            return (p.probability if p.probability is not None else 1.0), (p.lhs,)
        best: tuple[float, tuple[str, ...]] = (0.0, (p.lhs,))
        for source, probability in p.sources:
            chain_probability, chain = chains.best(p.lhs, source)
            value = chain_probability * (probability if probability is not None else 1.0)
            if value > best[0]:
                best = (value, chain)
        return best

    def multiplicity(self, p: Production) -> float:
        """How many derivations of the grammar as written ``p`` stands for (``math.inf`` via a cycle)."""
        chains = self.grammar.unit_chains
        if not p.sources or chains is None:
            return 1
        return sum(chains.count(p.lhs, source) for source, _ in p.sources)

    def chains(self, p: Production) -> Iterator[tuple[str, ...]]:
        """Every unit chain ``lhs … C`` behind ``p``, in rule order."""
        chains = self.grammar.unit_chains
        if not p.sources or chains is None:
            yield (p.lhs,)
            return
        for source, _ in p.sources:
            yield from chains.paths(p.lhs, source)

    def cycle_message(self, p: Production) -> str:
        chains = self.grammar.unit_chains
        assert chains is not None  # only asked when multiplicity() was infinite
        source = next(s for s, _ in p.sources if chains.infinite(p.lhs, s))
        return chains.cycle_message(p.lhs, source)


def _wrap(chain: tuple[str, ...], children: tuple[Tree | str, ...]) -> Tree:
    """The node of ``chain[-1]`` over ``children``, under the unit nodes ``chain[:-1]`` (innermost last)."""
    tree = Tree(chain[-1], children)
    for name in reversed(chain[:-1]):
        tree = Tree(name, (tree,))
    return tree


def _not_cnf_message(p: Production) -> str:
    where = f"line {p.line}: " if p.line else ""
    if not p.rhs:
        why = "is an ε-rule"
    elif p.is_unit:
        why = "is a unit rule"
    elif len(p.rhs) > 2:
        why = f"has {len(p.rhs)} symbols on the right"
    else:
        why = "mixes words with non-terminals"
    return (
        f"This grammar is not in Chomsky normal form ({where}'{p.lhs} -> {p.right_side()}' {why}); "
        "convert it first with grammar.to_cnf()."
    )


def _check_words(compiled: _Compiled, tokens: Sequence[str]) -> None:
    unknown = list(dict.fromkeys(t for t in tokens if t not in compiled.lexicon))
    if unknown:
        listed = ", ".join(repr(w) for w in unknown[:12]) + (" …" if len(unknown) > 12 else "")
        these = "This word is" if len(unknown) == 1 else "These words are"
        raise ValueError(f"{these} not in the grammar: {listed}. Add a rule like Noun -> 'word' for each.")
    if not tokens:
        raise ValueError("There are no words to parse; type a sentence.")


# -- filling the chart -----------------------------------------------------------------------
class _Chart:
    """The filled chart in log space plus what the trace and the views need."""

    def __init__(
        self,
        grammar: Grammar,
        tokens: Sequence[str],
        use_probabilities: bool,
        traced: bool,
        cancelled: Cancelled | None = None,
        progress: Progress | None = None,
    ) -> None:
        if not isinstance(grammar, Grammar):
            raise ValueError("The grammar must be a Grammar (Grammar.from_string reads one).")
        self.grammar = grammar
        self.tokens = tuple(token_list("The sentence", tokens))
        self.compiled = compiled = _Compiled(grammar, "viterbi" if use_probabilities else "none")
        _check_words(compiled, self.tokens)
        n, size = len(self.tokens), len(compiled.names)
        if traced and n > MAX_TRACED_WORDS:
            raise ValueError(
                f"The sentence has {n} words; the chart is traced step by step "
                f"for at most {MAX_TRACED_WORDS}."
            )
        self.n = n
        self.probabilistic = use_probabilities
        self.traced = traced
        self.best = np.full((n + 1, n + 1, size), _NEG_INF)
        self.back_split = np.full((n + 1, n + 1, size), -1, dtype=np.intp)
        self.back_rule = np.full((n + 1, n + 1, size), -1, dtype=np.intp)
        # Per cell, per split: the best value of each binary left-hand side (rows k = i+1 … j-1).
        self.split_best: dict[tuple[int, int], np.ndarray] = {}
        groups = np.arange(len(compiled.group_starts))
        rule_group = np.repeat(groups, np.diff(np.r_[compiled.group_starts, len(compiled.rules)]))
        for j in range(1, n + 1):
            stop_if_cancelled(cancelled, "parsing")
            for a, log_p in compiled.lexicon[self.tokens[j - 1]]:
                self.best[j - 1, j, a] = max(self.best[j - 1, j, a], log_p)
            for i in range(j - 2, -1, -1):
                self._fill_cell(i, j, rule_group, traced)
            if progress is not None:
                # Column j costs about j² of the n³/3 total work.
                progress((j / n) ** 3)

    def _fill_cell(self, i: int, j: int, rule_group: np.ndarray, traced: bool) -> None:
        c = self.compiled
        if not len(c.rules):
            return
        left = self.best[i, i + 1 : j]  # (K, N): [i,k] for k = i+1 … j-1
        right = self.best[i + 1 : j, j]  # (K, N): [k,j]
        scores = left[:, c.left] + right[:, c.right] + c.log_p  # (K, R)
        if traced:
            self.split_best[(i, j)] = np.maximum.reduceat(scores, c.group_starts, axis=1)
        best_split = scores.argmax(axis=0)
        per_rule = scores[best_split, np.arange(scores.shape[1])]
        finite = np.isfinite(per_rule)
        if not finite.any():
            return
        group_best = np.maximum.reduceat(per_rule, c.group_starts)
        winners = np.flatnonzero(finite & (per_rule == group_best[rule_group]))
        # The first winning rule of each group (grammar order breaks ties, as the trace tells it).
        groups, first = np.unique(rule_group[winners], return_index=True)
        rules = winners[first]
        targets = c.group_lhs[groups]
        self.best[i, j, targets] = per_rule[rules]
        self.back_split[i, j, targets] = best_split[rules] + i + 1
        self.back_rule[i, j, targets] = rules

    # -- looking up ------------------------------------------------------------------------
    def entries(self, i: int, j: int) -> dict[str, float]:
        """{A: log value} of a complete cell, in grammar order."""
        row = self.best[i, j]
        return {self.compiled.names[a]: float(row[a]) for a in np.flatnonzero(np.isfinite(row))}

    def names_in(self, i: int, j: int) -> tuple[str, ...]:
        row = self.best[i, j]
        return tuple(self.compiled.names[a] for a in np.flatnonzero(np.isfinite(row)))

    @property
    def start_index(self) -> int | None:
        return self.compiled.index.get(self.grammar.start)

    @property
    def recognized(self) -> bool:
        s = self.start_index
        return s is not None and bool(np.isfinite(self.best[0, self.n, s]))

    # -- the order of the trace ---------------------------------------------------------------
    @cached_property
    def order(self) -> np.ndarray:
        """(events, 3) array of (i, j, k) in fill order; k = -1 marks a column's word."""
        rows = []
        for j in range(1, self.n + 1):
            rows.append((j - 1, j, -1))
            for i in range(j - 2, -1, -1):
                rows.extend((i, j, k) for k in range(i + 1, j))
        return np.array(rows, dtype=np.intp).reshape(-1, 3)

    @cached_property
    def first_event_of_cell(self) -> dict[tuple[int, int], int]:
        firsts: dict[tuple[int, int], int] = {}
        for index, (i, j, _) in enumerate(self.order.tolist()):
            firsts.setdefault((i, j), index)
        return firsts

    @cached_property
    def cell_done_at(self) -> np.ndarray:
        """(n+1, n+1) array: the position at which each cell is complete (huge below the diagonal)."""
        done = np.full((self.n + 1, self.n + 1), np.iinfo(np.int64).max, dtype=np.int64)
        for index, (i, j, _) in enumerate(self.order.tolist()):
            done[i, j] = index + 1
        return done

    def event(self, index: int) -> StepEvent:
        i, j, k = (int(v) for v in self.order[index])
        c = self.compiled
        if k < 0:
            word = self.tokens[j - 1]
            entries = tuple((c.names[a], log_p) for a, log_p in c.lexicon[word])
            return LexicalStep(j, word, entries, self.probabilistic)
        left_names, right_names = self.names_in(i, k), self.names_in(k, j)
        combinations: list[Combination] = []
        if left_names and right_names:
            running = self.value_before_split(i, j, k)
            left_row, right_row = self.best[i, k], self.best[k, j]
            # A rule of probability 0 adds nothing to the cell, so the narration must not say it does.
            usable = np.isfinite(left_row[c.left]) & np.isfinite(right_row[c.right]) & np.isfinite(c.log_p)
            applicable = np.flatnonzero(usable)
            for r in applicable.tolist():
                rule = c.rules[r]
                lv, rv = left_row[c.left[r]], right_row[c.right[r]]
                a = int(c.lhs[r])
                value = float(lv + rv + c.log_p[r])  # the order _fill_cell adds in: equal to the last bit
                before = running.get(a, _NEG_INF)
                if before == _NEG_INF:
                    outcome = "add"
                elif not self.probabilistic:
                    outcome = "again"
                else:
                    outcome = "better" if value > before else "worse"
                combinations.append(
                    Combination(
                        rule.lhs,
                        rule.rhs[0],
                        rule.rhs[1],
                        float(c.log_p[r]),
                        float(lv),
                        float(rv),
                        value,
                        outcome,
                        before,
                    )
                )
                if value > before:
                    running[a] = value
        return SplitStep(i, j, k, left_names, right_names, tuple(combinations), self.probabilistic)

    def value_before_split(self, i: int, j: int, k: int) -> dict[int, float]:
        """{A index: best log value} of cell [i,j] from splits before k."""
        table = self.split_best.get((i, j))
        if table is None or k == i + 1:
            return {}
        best = table[: k - i - 1].max(axis=0)
        return {int(self.compiled.group_lhs[g]): float(v) for g, v in enumerate(best) if np.isfinite(v)}

    def cell_at(self, i: int, j: int, position: int) -> dict[str, float]:
        """{A: log value} of cell [i,j] as it stands at trace ``position`` (entries in grammar order)."""
        if position >= self.cell_done_at[i, j]:
            return self.entries(i, j)
        first = self.first_event_of_cell.get((i, j))
        if first is None or position <= first:
            return {}
        done_splits = position - first  # events of this cell already happened
        splits = self.split_best.get((i, j))
        if splits is None:  # a grammar without binary rules: long cells stay empty
            return {}
        table = splits[:done_splits].max(axis=0)
        values = {int(self.compiled.group_lhs[g]): float(v) for g, v in enumerate(table) if np.isfinite(v)}
        return {self.compiled.names[a]: values[a] for a in sorted(values)}

    def trace(self) -> Trace[StepEvent]:
        order = self.order
        boundaries_cell = [self.first_event_of_cell[key] for key in self.first_event_of_cell]
        columns = [int(index) for index in np.flatnonzero(order[:, 2] < 0)]
        phases = [
            Phase(f"column {j}", start, stop)
            for j, (start, stop) in enumerate(zip(columns, [*columns[1:], len(order)], strict=True), start=1)
        ]
        return Trace.lazy(len(order), self.event, phases, {"cell": boundaries_cell})

    # -- trees ------------------------------------------------------------------------------
    def derivations(self, i: int, j: int, a: int) -> list[tuple[int, int]]:
        """Every (split, rule index) deriving A over [i,j] (the CFG backpointers)."""
        c = self.compiled
        found = []
        for k in range(i + 1, j):
            left_row, right_row = self.best[i, k], self.best[k, j]
            for r in c.by_lhs.get(a, ()):
                if np.isfinite(left_row[c.left[r]]) and np.isfinite(right_row[c.right[r]]):
                    found.append((k, r))
        return found

    def best_tree(self, i: int, j: int, a: int) -> Tree:
        """The most probable derivation of A over [i, j], unit chains restored (CNF helpers kept)."""
        c = self.compiled
        if j == i + 1:
            word = self.tokens[i]
            return _wrap(c.best_chain(c.lexical_rule[(word, a)])[1], (word,))
        k, r = int(self.back_split[i, j, a]), int(self.back_rule[i, j, a])
        children = (self.best_tree(i, k, int(c.left[r])), self.best_tree(k, j, int(c.right[r])))
        return _wrap(c.best_chain(c.rules[r])[1], children)


class _CFGTrees:
    """Counting and lazily enumerating every tree of a CFG chart."""

    def __init__(self, chart: _Chart) -> None:
        self.chart = chart
        self._derivations: dict[tuple[int, int, int], list[tuple[int, int]]] = {}
        self._counts: dict[tuple[int, int, int], float] = {}

    def derivations(self, i: int, j: int, a: int) -> list[tuple[int, int]]:
        key = (i, j, a)
        if key not in self._derivations:
            self._derivations[key] = self.chart.derivations(i, j, a)
        return self._derivations[key]

    def count(self, i: int, j: int, a: int) -> float:
        """How many trees of the grammar as written derive A over [i,j] (exact; ``math.inf`` via a cycle)."""
        chart = self.chart
        if not np.isfinite(chart.best[i, j, a]):
            return 0
        c = chart.compiled
        if j == i + 1:
            return c.multiplicity(c.lexical_rule[(chart.tokens[i], a)])
        key = (i, j, a)
        if key not in self._counts:
            # Spans only get longer upward, so recursion depth is at most n.
            self._counts[key] = sum(
                (
                    c.multiplicity(c.rules[r])
                    * self.count(i, k, int(c.left[r]))
                    * self.count(k, j, int(c.right[r]))
                    for k, r in self.derivations(i, j, a)
                ),
                0.0,  # a float: a count reached through a unit cycle is math.inf
            )
        return self._counts[key]

    def infinity_reason(self, i: int, j: int, a: int) -> str:
        """The sentence saying why A over [i,j] has infinitely many trees (the first cyclic rule met)."""
        chart, c = self.chart, self.chart.compiled
        if j == i + 1:
            rule = c.lexical_rule[(chart.tokens[i], a)]
            return c.cycle_message(rule)
        for k, r in self.derivations(i, j, a):
            if math.isinf(c.multiplicity(c.rules[r])):
                return c.cycle_message(c.rules[r])
            for sub in ((i, k, int(c.left[r])), (k, j, int(c.right[r]))):
                if math.isinf(self.count(*sub)):
                    return self.infinity_reason(*sub)
        return "This sentence has infinitely many parse trees."  # pragma: no cover - a count was infinite

    def trees(self, i: int, j: int, a: int) -> Iterator[Tree]:
        """Every tree of A over [i,j] with unit chains restored (CNF helpers kept), lazily."""
        c = self.chart.compiled
        if j == i + 1:
            if np.isfinite(self.chart.best[i, j, a]):
                word = self.chart.tokens[i]
                for chain in c.chains(c.lexical_rule[(word, a)]):
                    yield _wrap(chain, (word,))
            return
        for k, r in self.derivations(i, j, a):
            chains = list(c.chains(c.rules[r]))
            for left in self.trees(i, k, int(c.left[r])):
                for right in self.trees(k, j, int(c.right[r])):
                    for chain in chains:
                        yield _wrap(chain, (left, right))


# -- results ---------------------------------------------------------------------------------
Cell = tuple[int, int]
Entries = tuple[tuple[str, float], ...]


@dataclass(frozen=True, eq=False)
class ChartState(State):
    """The chart at one step: every non-empty cell's entries, the cells complete, the split just tried.

    ``cells`` lists ``((i, j), ((A, log value), ...))`` by cell, entries by name;
    a plain CFG's values are all 0. ``current`` is ``(i, j, k)``, with k = -1 for a word.
    """

    cells: tuple[tuple[Cell, Entries], ...]
    done: frozenset[Cell]
    current: tuple[int, int, int] | None
    phase: str  # "start" or "column j"

    def cell(self, i: int, j: int) -> dict[str, float]:
        """{A: log value} of cell [i, j] at this step (empty when nothing is there yet)."""
        return dict(dict(self.cells).get((i, j), ()))

    def then(self, event: StepEvent) -> ChartState:
        """The chart one event later: what ``state_at`` computes by random access."""
        cells = {cell: dict(entries) for cell, entries in self.cells}
        if isinstance(event, LexicalStep):
            i, j, k = event.j - 1, event.j, -1
            target = cells.setdefault((i, j), {})
            for name, value in event.entries:
                target[name] = max(target.get(name, -math.inf), value)
            finished = True
        elif isinstance(event, SplitStep):
            i, j, k = event.i, event.j, event.k
            target = cells.setdefault((i, j), {})
            for combination in event.combinations:
                if combination.outcome in ("add", "better"):
                    target[combination.lhs] = combination.log_probability
            finished = k == j - 1
        else:
            raise TypeError(f"a CKY chart does not change with {type(event).__name__}")
        done = self.done | {(i, j)} if finished else self.done
        return ChartState(_sorted_cells(cells), done, (i, j, k), f"column {j}")


def _sorted_cells(cells: dict[Cell, dict[str, float]]) -> tuple[tuple[Cell, Entries], ...]:
    return tuple((cell, tuple(sorted(entries.items()))) for cell, entries in sorted(cells.items()) if entries)


class _ChartResult(StepwiseResult[StepEvent, ChartState]):
    """What both CKY results share: the chart, its trace and the state at any step."""

    def __init__(self, chart: _Chart) -> None:
        self._chart = chart
        self.grammar: Grammar = chart.grammar
        self.tokens: tuple[str, ...] = chart.tokens

    @property
    def n(self) -> int:
        """Number of words."""
        return self._chart.n

    @property
    def recognized(self) -> bool:
        """True when the start symbol is in cell [0, n]."""
        return self._chart.recognized

    @cached_property
    def trace(self) -> Trace[StepEvent]:  # type: ignore[override]
        """One event per column word and per split tried, in the textbook's fill order."""
        if not self._chart.traced:
            raise ValueError("This chart was filled without a trace (traced=False).")
        return self._chart.trace()

    @property
    def pseudocode(self) -> tuple[str, ...]:
        """SLP3's CKY-PARSE (Fig. 17.12), or PROBABILISTIC-CKY (Fig. C.3) for a PCFG."""
        return PCKY_PSEUDOCODE if isinstance(self, ProbabilisticCKYResult) else CKY_PSEUDOCODE

    def line_at(self, step: int) -> int:
        """A word's rules; a split that adds (or improves) an entry; one that tries and adds nothing."""
        event, code = self.event_at(step), self.pseudocode
        if isinstance(event, LexicalStep):
            return line_with(code, "table[j-1,j")
        if isinstance(event, SplitStep):
            if any(c.outcome in ("add", "better") for c in event.combinations):
                return line_with(code, "table[i,j] ←" if code is CKY_PSEUDOCODE else "table[i,j,A] ←")
            return line_with(code, "for all {A | A → B C")
        raise ValueError(f"step {step} is not in this trace (1 … {len(self.trace)})")

    def watch_at(self, step: int) -> dict[str, str]:
        """j and the word, or i, j, the split k and the two cells it combines, and what it adds."""
        event = self.event_at(step)
        if isinstance(event, LexicalStep):
            return {"j": str(event.j), "words[j]": event.word, "A": ", ".join(a for a, _ in event.entries)}
        if isinstance(event, SplitStep):
            i, j, k = event.i, event.j, event.k
            added = sorted({c.lhs for c in event.combinations if c.outcome in ("add", "better")})
            return {
                "i": str(i), "j": str(j), "k": str(k),
                f"[{i},{k}]": ", ".join(event.left_cell) or "∅",
                f"[{k},{j}]": ", ".join(event.right_cell) or "∅",
                "A": ", ".join(added) or "∅",
            }  # fmt: skip
        return {}

    def question_at(self, step: int) -> Question | None:
        """The entries a word or split adds to its cell; under a PCFG, the probability it gives one."""
        event = self.event_at(step)
        if isinstance(event, LexicalStep):
            i, j = event.cell
            added = frozenset(lhs for lhs, _ in event.entries)
            return Question(
                f"[{i},{j}] '{event.word}': which non-terminals enter the cell?",
                "set", added, event.describe(), hint=f"Which rules A → '{event.word}' does the grammar have?",
            )  # fmt: skip
        if not isinstance(event, SplitStep):
            return None
        i, j, k = event.i, event.j, event.k
        changed = [c for c in event.combinations if c.outcome in ("add", "better")]
        if event.probabilistic and changed:
            first = changed[0]
            return number_question(
                f"[{i},{j}] split k={k}: P({first.lhs} → {first.left} {first.right}) · "
                f"P({first.left} in [{i},{k}]) · P({first.right} in [{k},{j}]) = ?",
                math.exp(first.log_probability),
                event.describe(),
                format_probability(first.log_probability, "plain"),
                log_ok=True,
                log_value=first.log_probability,
            )
        added = frozenset(c.lhs for c in event.combinations if c.outcome == "add")
        return Question(
            f"[{i},{j}] split k={k}: which non-terminals enter the cell (none: ∅)?",
            "set", added, event.describe(),
            hint=f"Which rules A → B C have B in [{i},{k}] and C in [{k},{j}]?",
        )  # fmt: skip

    def state_at(self, step: int) -> ChartState:
        """The chart after ``step`` events: complete cells whole, the current cell up to its split."""
        step = self.clamp(step)
        done_at = self._chart.cell_done_at
        current = self.event_cell(step)
        cells: dict[Cell, dict[str, float]] = {}
        done: set[Cell] = set()
        for i, j in zip(*np.nonzero(done_at <= step), strict=True):
            cell = (int(i), int(j))
            done.add(cell)
            cells[cell] = self._chart.entries(*cell)
        if current is not None and current[:2] not in done:
            cells[current[:2]] = self._chart.cell_at(current[0], current[1], step)
        phase = self.trace.phase_at(step)
        name = "start" if step == 0 or phase is None else phase.name
        return ChartState(_sorted_cells(cells), frozenset(done), current, name)

    def log_cell(self, i: int, j: int) -> dict[str, float]:
        """{A: log value} of the finished cell [i, j] (0 for every entry of a plain CFG)."""
        self._check_cell(i, j)
        return self._chart.entries(i, j)

    def cell_at(self, i: int, j: int, position: int) -> dict[str, float]:
        """{A: log value} of cell [i, j] at trace ``position``: partly filled while its splits run."""
        self._check_cell(i, j)
        return self._chart.cell_at(i, j, position)

    def cell_done_at(self) -> np.ndarray:
        """The position at which each cell [i, j] is complete (huge below the diagonal)."""
        return self._chart.cell_done_at

    def event_cell(self, position: int) -> tuple[int, int, int] | None:
        """(i, j, k) of the event that brought the chart to ``position`` (k = -1: a word); None at 0."""
        if position <= 0:
            return None
        i, j, k = self._chart.order[min(position, len(self._chart.order)) - 1]
        return int(i), int(j), int(k)

    def _check_cell(self, i: int, j: int) -> None:
        if not 0 <= i < j <= self.n:
            raise ValueError(f"[{i},{j}] is not a chart cell; cells are [i,j] with 0 ≤ i < j ≤ {self.n}.")


class CKYResult(_ChartResult):
    """The CKY chart of a CFG (probabilities, if any, ignored)."""

    def __init__(self, chart: _Chart) -> None:
        super().__init__(chart)
        self._trees = _CFGTrees(chart)

    def cell(self, i: int, j: int) -> set[str]:
        """The non-terminal names in chart cell [i, j]."""
        self._check_cell(i, j)
        return set(self._chart.names_in(i, j))

    def backpointers(self, i: int, j: int, name: str) -> list[tuple[int, str, str]]:
        """Every (split k, left, right) deriving ``name`` over [i, j]; [] for a word's cell."""
        self._check_cell(i, j)
        a = self._chart.compiled.index.get(name)
        if a is None or j == i + 1:
            return []
        c = self._chart.compiled
        return [(k, c.names[c.left[r]], c.names[c.right[r]]) for k, r in self._trees.derivations(i, j, a)]

    def tree_count(self, i: int = 0, j: int | None = None, name: str | None = None) -> int:
        """Number of parse trees of the sentence (or of ``name`` over [i, j]) in the grammar *as written*.

        Exact, however large. A CNF rule that stands for several unit chains counts
        once per chain, so this equals the count of the grammar before :meth:`Grammar.to_cnf`.
        ValueError (one sentence naming the cycle) when unit rules make the count infinite.
        """
        j = self.n if j is None else j
        a = self._chart.compiled.index.get(self.grammar.start if name is None else name)
        if a is None:
            return 0
        count = self._trees.count(i, j, a)
        if math.isinf(count):
            raise ValueError(self._trees.infinity_reason(i, j, a))
        return int(count)

    def trees(
        self,
        limit: int | None = 100,
        i: int = 0,
        j: int | None = None,
        name: str | None = None,
        helpers: bool = False,
    ) -> Iterator[Tree]:
        """Parse trees of the sentence (or of ``name`` over [i, j]), lazily, at most ``limit``.

        Trees are those of the grammar as written: unit nodes restored and, unless
        ``helpers``, the X1… and word helpers of CNF spliced out. ValueError when
        there are infinitely many (a unit cycle).
        """
        self.tree_count(i, j, name)  # refuses an infinite set before enumerating it
        j = self.n if j is None else j
        a = self._chart.compiled.index.get(self.grammar.start if name is None else name)
        if a is None:
            return iter(())
        found = self._trees.trees(i, j, a)
        if not helpers and self.grammar.introduced:
            found = (tree.collapse(self.grammar.introduced) for tree in found)
        return itertools.islice(found, limit)


class ProbabilisticCKYResult(_ChartResult):
    """Probabilistic CKY: each cell keeps, per non-terminal, its most probable derivation."""

    def cell(self, i: int, j: int) -> dict[str, float]:
        """{A: probability of A's best derivation over [i, j]}."""
        return {name: math.exp(value) for name, value in self.log_cell(i, j).items()}

    @property
    def log_probability(self) -> float:
        """Natural log of the best parse's probability (-inf when there is no parse)."""
        s = self._chart.start_index
        return _NEG_INF if s is None else float(self._chart.best[0, self.n, s])

    @property
    def probability(self) -> float:
        """Probability of the best parse (0 when there is none)."""
        return math.exp(self.log_probability)

    @cached_property
    def tree(self) -> Tree | None:
        """The most probable parse in the grammar as written, or None when the sentence is not recognized."""
        return self.best_tree(0, self.n, self.grammar.start)

    def best_tree(self, i: int, j: int, name: str, helpers: bool = False) -> Tree | None:
        """The most probable tree of ``name`` over [i, j] (None if absent).

        Its probability is the cell's value: the max over derivations of the grammar
        as written, unit nodes restored; ``helpers`` keeps CNF's X1… and word helpers.
        """
        self._check_cell(i, j)
        a = self._chart.compiled.index.get(name)
        if a is None or not np.isfinite(self._chart.best[i, j, a]):
            return None
        tree = self._chart.best_tree(i, j, a)
        if not helpers and self.grammar.introduced:
            tree = tree.collapse(self.grammar.introduced)
        return tree


# -- the public functions ----------------------------------------------------------------------
def cky(
    grammar: Grammar,
    tokens: Sequence[str],
    traced: bool = True,
    cancelled: Cancelled | None = None,
    progress: Progress | None = None,
) -> CKYResult:
    """Fill the CKY chart of a grammar in Chomsky normal form (SLP3 Fig. 17.12).

    A PCFG is accepted and its probabilities ignored. A grammar not in CNF is
    refused with a message pointing to :meth:`Grammar.to_cnf`; words the
    grammar does not know are listed in the message. ``traced=False`` skips
    keeping the per-split numbers (for sentences past ``MAX_TRACED_WORDS``).
    ``cancelled`` is polled and ``progress`` (0–1) called once per column, for worker threads.
    """
    return CKYResult(_Chart(grammar, tokens, False, traced, cancelled, progress))


def probabilistic_cky(
    grammar: Grammar,
    tokens: Sequence[str],
    traced: bool = True,
    cancelled: Cancelled | None = None,
    progress: Progress | None = None,
) -> ProbabilisticCKYResult:
    """Probabilistic CKY (SLP3 Fig. C.3): the most probable parse, in log space."""
    if not isinstance(grammar, Grammar):
        raise ValueError("The grammar must be a Grammar (Grammar.from_string reads one).")
    if not grammar.is_probabilistic:
        raise ValueError(
            "Probabilistic CKY needs a PCFG: write a probability like [0.3] after every alternative."
        )
    return ProbabilisticCKYResult(_Chart(grammar, tokens, True, traced, cancelled, progress))


def inside(grammar: Grammar, tokens: Sequence[str]) -> float:
    """P(sentence): the inside algorithm, summing over every parse (the sum-product twin of Viterbi CKY)."""
    return math.exp(inside_log_probability(grammar, tokens))


def inside_log_probability(grammar: Grammar, tokens: Sequence[str]) -> float:
    """Natural log of :func:`inside`, exact even when the probability underflows a float."""
    if not isinstance(grammar, Grammar):
        raise ValueError("The grammar must be a Grammar (Grammar.from_string reads one).")
    if not grammar.is_probabilistic:
        raise ValueError(
            "The inside algorithm needs a PCFG: write a probability like [0.3] after every alternative."
        )
    c = _Compiled(grammar, "sum")
    tokens = tuple(token_list("The sentence", tokens))
    _check_words(c, tokens)
    n, size = len(tokens), len(c.names)
    beta = np.full((n + 1, n + 1, size), _NEG_INF)
    for j in range(1, n + 1):
        for a, log_p in c.lexicon[tokens[j - 1]]:
            beta[j - 1, j, a] = np.logaddexp(beta[j - 1, j, a], log_p)
        if not len(c.rules):
            continue
        for i in range(j - 2, -1, -1):
            scores = beta[i, i + 1 : j][:, c.left] + beta[i + 1 : j, j][:, c.right] + c.log_p
            per_rule = logsumexp(scores, axis=0)
            beta[i, j, c.group_lhs] = _logsumexp_groups(per_rule, c.group_starts)
    start = c.index.get(grammar.start)
    return _NEG_INF if start is None else float(beta[0, n, start])


def _logsumexp_groups(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    peak = np.maximum.reduceat(values, starts)
    safe = np.where(np.isfinite(peak), peak, 0.0)
    sizes = np.diff(np.r_[starts, len(values)])
    with np.errstate(divide="ignore"):
        return np.log(np.add.reduceat(np.exp(values - np.repeat(safe, sizes)), starts)) + safe
