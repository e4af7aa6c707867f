"""Context-free grammars: NLTK's text syntax, PCFGs and Chomsky normal form (SLP3 §17.2–17.4).

``Grammar.from_string`` reads the syntax NLTK's ``CFG.fromstring`` reads::

    S -> NP VP | Aux NP VP | VP        # the first left-hand side is the start symbol
    Det -> 'the' | 'a'
    Proper-Noun -> 'Houston' [0.6] | 'NWA' [0.4]

Words are quoted; non-terminals are bare names (``Proper-Noun``, ``PRP$``);
``[0.3]`` after an alternative makes the grammar a PCFG, and then every
alternative needs one and each left-hand side's alternatives must sum to 1.
A line starting with ``|`` continues the previous rule. Problems are refused
with a sentence naming the line.

:meth:`Grammar.to_cnf` converts in the three visible steps of SLP3 §17.4.1 and
records what each step added and removed in ``cnf.steps``.
:meth:`Grammar.estimate` counts and divides the rules of a treebank.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from algorithms.trace import StepEvent, format_number
from algorithms.trees import Tree, repr_terminal
from algorithms.unit_chains import UnitChains

__all__ = ["Grammar", "Production", "CNFStep", "SUM_TOLERANCE", "MAX_CNF_RULES"]

#: How far a PCFG left-hand side's probabilities may be from summing to 1.
SUM_TOLERANCE = 1e-6
#: Most rules a CNF conversion may produce. Collapsing unit chains can square a grammar's size
#: (a chain of 600 names, each with a word of its own, becomes 180,300 rules), so the size is
#: computed first and a bigger result refused with this limit named.
MAX_CNF_RULES = 50_000

# A non-terminal name: anything but white space and the syntax's own characters, which a name
# may still hold escaped with a backslash (a Penn tag like '' is written \'\', and # as \#).
_NAME = r"(?:[^\s|'\"\[\]#\\]|\\\S)+"
_NAME_SPECIALS = set("|'\"[]#\\→")
_ARROW = re.compile(r"\s*(->|→)\s*")
_RHS_TOKEN = re.compile(
    r"""\s*(?:
        (?P<quoted>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
      | (?P<probability>\[[^\]]*\])
      | (?P<bar>\|)
      | (?P<comment>\#.*)
      | (?P<name>"""
    + _NAME
    + r""")
    )""",
    re.VERBOSE,
)


#: A rule without its probability: (lhs, rhs, which rhs symbols are words).
RuleKey = tuple[str, tuple[str, ...], tuple[bool, ...]]


@dataclass(frozen=True)
class Production:
    """``lhs -> rhs``: each right-hand symbol is a non-terminal or, where ``terminal`` says so, a word."""

    lhs: str
    rhs: tuple[str, ...]
    terminal: tuple[bool, ...]
    probability: float | None = None
    line: int = field(default=0, compare=False)  # where the user wrote it (0: made by a conversion)
    #: After unit collapse: each (C, P(C -> rhs)) of the grammar as written that this rule stands
    #: for, reached from ``lhs`` by unit rules (C may be ``lhs`` itself). Empty: the rule as written.
    sources: tuple[tuple[str, float | None], ...] = field(default=(), compare=False)

    @property
    def key(self) -> RuleKey:
        """The rule without its probability: two rules with the same key are the same rule."""
        return (self.lhs, self.rhs, self.terminal)

    @property
    def is_lexical(self) -> bool:
        """``A -> 'word'``."""
        return len(self.rhs) == 1 and self.terminal[0]

    @property
    def is_unit(self) -> bool:
        """``A -> B`` with B a non-terminal."""
        return len(self.rhs) == 1 and not self.terminal[0]

    @property
    def is_binary(self) -> bool:
        """``A -> B C`` with two non-terminals."""
        return len(self.rhs) == 2 and not any(self.terminal)

    def right_side(self) -> str:
        """The right-hand side for messages: ``Det Nominal`` or ``'book'`` (``ε`` when empty)."""
        if not self.rhs:
            return "ε"
        return " ".join(repr_terminal(s) if t else s for s, t in zip(self.rhs, self.terminal, strict=True))

    def __str__(self) -> str:
        """The rule in the grammar syntax, exactly: :meth:`Grammar.from_string` reads it back as it is.

        Names are escaped where they hold the syntax's characters, probabilities are
        written with every digit they have, and an empty right-hand side is written empty.
        """
        symbols = (
            repr_terminal(s) if t else escape_name(s) for s, t in zip(self.rhs, self.terminal, strict=True)
        )
        text = f"{escape_name(self.lhs)} -> {' '.join(symbols)}".rstrip()
        if self.probability is not None:
            text += f" [{self.probability!r}]"
        return text


@dataclass(frozen=True)
class CNFStep(StepEvent):
    """One conversion step of SLP3 §17.4.1: what it added, what it removed, in words."""

    name: str
    summary: str
    added: tuple[Production, ...]
    removed: tuple[Production, ...]

    def describe(self, style: str = "plain") -> str:
        return f"{self.name}: {self.summary}"


class Grammar:
    """A CFG or PCFG: productions and a start symbol, validated on construction."""

    def __init__(
        self,
        productions: Iterable[Production],
        start: str | None = None,
        steps: Sequence[CNFStep] = (),
        introduced: Iterable[str] = (),
        check_sums: bool = True,
        unit_chains: UnitChains | None = None,
    ) -> None:
        self.productions: tuple[Production, ...] = tuple(productions)
        if not self.productions:
            raise ValueError("The grammar has no rules; write one per line, like S -> NP VP.")
        for production in self.productions:
            _check_symbols(production)
        self.start: str = start if start is not None else self.productions[0].lhs
        #: What :meth:`to_cnf` did, step by step (empty for a grammar as written).
        self.steps: tuple[CNFStep, ...] = tuple(steps)
        #: Non-terminals a conversion made up (X1, X2, TO …), as opposed to the user's own.
        self.introduced: frozenset[str] = frozenset(introduced)
        #: The unit rules :meth:`to_cnf` collapsed, to restore them in trees (None: nothing collapsed).
        self.unit_chains: UnitChains | None = unit_chains
        with_probability = [p for p in self.productions if p.probability is not None]
        self.is_probabilistic: bool = bool(with_probability)
        if with_probability and len(with_probability) != len(self.productions):
            missing = next(p for p in self.productions if p.probability is None)
            raise ValueError(
                f"Line {missing.line}: '{missing}' has no probability, but other rules do; "
                "give every alternative a probability like [0.3], or none of them."
            )
        self._by_lhs: dict[str, list[Production]] = defaultdict(list)
        seen: dict[RuleKey, Production] = {}
        for production in self.productions:
            if production.key in seen and self.is_probabilistic:
                first = seen[production.key]
                raise ValueError(
                    f"Line {production.line}: the rule {production.lhs} -> {production.right_side()} "
                    f"is already on line {first.line}; a PCFG lists each rule once."
                )
            seen.setdefault(production.key, production)
            self._by_lhs[production.lhs].append(production)
        if self.is_probabilistic and check_sums:
            self._check_sums()

    def _check_sums(self) -> None:
        for lhs, alternatives in self._by_lhs.items():
            total = math.fsum(p.probability or 0.0 for p in alternatives)
            if abs(total - 1.0) > SUM_TOLERANCE:
                lines = sorted({p.line for p in alternatives if p.line})
                where = f" (line {lines[0]})" if len(lines) == 1 else f" (lines {', '.join(map(str, lines))})"
                raise ValueError(
                    f"The probabilities of {lhs}'s alternatives sum to {format_number(total, 6)}, not 1"
                    f"{where if lines else ''}; fix them so each left-hand side sums to 1."
                )

    # -- reading ----------------------------------------------------------------------
    @classmethod
    def from_string(cls, text: str) -> Grammar:
        """Read a CFG or PCFG in NLTK's syntax; ValueError naming the line of a problem."""
        productions: list[Production] = []
        previous_lhs: str | None = None
        text = text.removeprefix("\ufeff")  # a byte-order mark is no part of the start symbol's name
        # Only \n ends a line: a word may hold other separators (\x1c, \u2028) that splitlines() takes.
        for number, raw in enumerate(text.split("\n"), start=1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("|"):
                if previous_lhs is None:
                    raise ValueError(f"Line {number}: a line starting with | must continue a rule above it.")
                lhs, rhs_text = previous_lhs, line[1:]
            else:
                lhs, rhs_text = _split_rule(line, number)
            previous_lhs = lhs
            productions.extend(_read_alternatives(lhs, rhs_text, number))
        if not productions:
            raise ValueError("The grammar has no rules; write one per line, like S -> NP VP.")
        return cls(productions)

    @classmethod
    def estimate(cls, trees: Iterable[Tree], parent_annotation: bool = False) -> Grammar:
        """A PCFG by counting and dividing the rules used in ``trees`` (SLP3 §C.2).

        With ``parent_annotation`` every phrase label gets its parent's (``NP^S``),
        the classic split that lets subject and object NPs expand differently.
        The start symbol is the most frequent root label.
        """
        counts: Counter[tuple[str, tuple[str, ...], tuple[bool, ...]]] = Counter()
        roots: Counter[str] = Counter()
        order: dict[RuleKey, int] = {}
        for number, tree in enumerate(trees, start=1):
            if not isinstance(tree, Tree):
                raise ValueError(f"Item {number} is not a Tree; read trees with read_bracketed_trees().")
            if any(node.label == "" for node in tree.subtrees()):
                raise ValueError(
                    f"Tree {number} has a bracket with no label, like '( (NP …) (VP …))'; "
                    "every phrase needs a label to become a rule."
                )
            annotated = _annotate_parents(tree, None) if parent_annotation else tree
            roots[annotated.label] += 1
            for node in annotated.subtrees():
                rhs = tuple(c.label if isinstance(c, Tree) else c for c in node.children)
                terminal = tuple(not isinstance(c, Tree) for c in node.children)
                key = (node.label, rhs, terminal)
                order.setdefault(key, len(order))
                counts[key] += 1
        if not counts:
            raise ValueError("There are no trees to estimate a grammar from.")
        totals: Counter[str] = Counter()
        for (lhs, _, _), count in counts.items():
            totals[lhs] += count
        start = roots.most_common(1)[0][0]
        # The start symbol's rules first, so the grammar reads top-down and round-trips as text.
        keys = sorted(order, key=lambda k: (k[0] != start, order[k]))
        productions = [Production(k[0], k[1], k[2], counts[k] / totals[k[0]]) for k in keys]
        return cls(productions, start=start)

    # -- looking inside -------------------------------------------------------------------
    def alternatives(self, lhs: str) -> tuple[Production, ...]:
        """The productions with ``lhs`` on the left, in the order written."""
        return tuple(self._by_lhs.get(lhs, ()))

    @property
    def nonterminals(self) -> tuple[str, ...]:
        """Every non-terminal, in order of first appearance (left-hand sides first)."""
        names = dict.fromkeys(p.lhs for p in self.productions)
        for p in self.productions:
            names.update(dict.fromkeys(s for s, t in zip(p.rhs, p.terminal, strict=True) if not t))
        return tuple(names)

    @property
    def words(self) -> frozenset[str]:
        """Every terminal the grammar can produce."""
        return frozenset(s for p in self.productions for s, t in zip(p.rhs, p.terminal, strict=True) if t)

    def undefined_nonterminals(self) -> dict[str, int]:
        """Non-terminals used on a right-hand side but never on a left one, with the first line using them."""
        found: dict[str, int] = {}
        for p in self.productions:
            for symbol, is_terminal in zip(p.rhs, p.terminal, strict=True):
                if not is_terminal and symbol not in self._by_lhs:
                    found.setdefault(symbol, p.line)
        return found

    def cnf_violation(self) -> Production | None:
        """The first rule that is not ``A -> B C`` or ``A -> 'w'``; None when in CNF."""
        return next((p for p in self.productions if not (p.is_binary or p.is_lexical)), None)

    def is_cnf(self) -> bool:
        """True when every rule is ``A -> B C`` or ``A -> 'w'``."""
        return self.cnf_violation() is None

    def __str__(self) -> str:
        """The grammar in its own syntax, start symbol's rules first, so it reads back the same."""
        first = [p for p in self.productions if p.lhs == self.start]
        rest = [p for p in self.productions if p.lhs != self.start]
        return "\n".join(str(p) for p in first + rest)

    def __repr__(self) -> str:
        kind = "PCFG" if self.is_probabilistic else "CFG"
        return f"<Grammar {kind}: {len(self.productions)} rules, start {self.start}>"

    # -- Chomsky normal form ----------------------------------------------------------------
    def to_cnf(self) -> Grammar:
        """The equivalent grammar in Chomsky normal form, with ``steps`` saying what changed.

        Steps (SLP3 §17.4.1): (1) words inside longer rules get their own
        non-terminal (``INF-VP -> 'to' VP`` becomes ``INF-VP -> TO VP``,
        ``TO -> 'to'``); (2) unit productions ``A -> B`` are replaced by A
        taking B's non-unit expansions; (3) long right-hand sides are split from
        the left with new symbols X1, X2, …. Original names are kept. PCFG
        probabilities carry through: a collapsed unit chain multiplies them,
        new helper rules get 1, so every left-hand side still sums to 1.
        ε-rules are refused.
        """
        epsilon = next((p for p in self.productions if not p.rhs), None)
        if epsilon is not None:
            raise ValueError(
                f"Line {epsilon.line}: {epsilon.lhs} -> (nothing) is an ε-rule; "
                "Chomsky normal form has none, so "
                f"rewrite the rules using {epsilon.lhs} so it is never empty."
            )
        taken = set(self.nonterminals)
        productions, step1 = _separate_terminals(list(self.productions), taken)
        productions, step2, chains = _collapse_units(productions, self.is_probabilistic)
        productions, step3 = _binarise(productions, taken)
        introduced = set(self.introduced)
        for step in (step1, step3):
            introduced.update(p.lhs for p in step.added if p.lhs not in self._by_lhs)
        return Grammar(
            productions,
            start=self.start,
            steps=(step1, step2, step3),
            introduced=introduced,
            check_sums=False,
            unit_chains=chains,
        )


# -- reading helpers -----------------------------------------------------------------------
def _check_symbols(production: Production) -> None:
    """Names are non-empty with no white space, words hold no line break: what the syntax can write."""
    where = f"Line {production.line}: " if production.line else ""
    for symbol, is_terminal in zip(
        (production.lhs, *production.rhs), (False, *production.terminal), strict=True
    ):
        if not isinstance(symbol, str):
            raise ValueError(f"{where}the rule for {production.lhs!r} has {symbol!r}, which is not a string.")
        if is_terminal and ("\n" in symbol or "\r" in symbol):
            raise ValueError(f"{where}the word {symbol!r} holds a line break; a rule is one line.")
        if not is_terminal and (not symbol or any(c.isspace() for c in symbol)):
            raise ValueError(f"{where}the name {symbol!r} must be non-empty, with no spaces.")


def escape_name(name: str) -> str:
    """A non-terminal as the grammar syntax writes it: its special characters backslash-escaped."""
    out = []
    for position, char in enumerate(name):
        arrow = char == ">" and position > 0 and name[position - 1] == "-"
        out.append("\\" + char if char in _NAME_SPECIALS or arrow else char)
    return "".join(out)


def _unescape_name(text: str) -> str:
    return re.sub(r"\\(\S)", r"\1", text)


def _split_rule(line: str, number: int) -> tuple[str, str]:
    # The first arrow not escaped by a backslash (a name may hold \-\> or \→).
    arrow = next((m for m in _ARROW.finditer(line) if _unescaped_at(line, m.start(1))), None)
    if arrow is None:
        raise ValueError(f"Line {number}: expected a rule like 'NP -> Det Nominal', but there is no '->'.")
    lhs = line[: arrow.start()].strip()
    if not lhs:
        raise ValueError(f"Line {number}: the rule has nothing left of '->'; name a non-terminal there.")
    if not re.fullmatch(_NAME, lhs):
        hint = " (words are only allowed on the right)" if lhs[0] in "'\"" else ""
        raise ValueError(f"Line {number}: the left-hand side {lhs!r} must be one non-terminal name{hint}.")
    return _unescape_name(lhs), line[arrow.end() :]


def _unescaped_at(line: str, position: int) -> bool:
    """True when the character at ``position`` follows an even number of backslashes."""
    backslashes = 0
    while position - backslashes - 1 >= 0 and line[position - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 0


def _read_alternatives(lhs: str, text: str, number: int) -> list[Production]:
    alternatives: list[Production] = []
    symbols: list[str] = []
    terminal: list[bool] = []
    probability: float | None = None
    position = 0

    def close() -> None:
        alternatives.append(Production(lhs, tuple(symbols), tuple(terminal), probability, number))

    while position < len(text):
        match = _RHS_TOKEN.match(text, position)
        if match is None or match.end() == position:
            rest = text[position:].strip()
            if not rest:
                break
            if rest[0] in "'\"":
                raise ValueError(f"Line {number}: the quote in {rest[:20]!r} is never closed.")
            raise ValueError(f"Line {number}: unexpected {rest[0]!r} in the rule for {lhs}.")
        position = match.end()
        kind = match.lastgroup
        value = match.group(kind) if kind else ""
        if kind == "comment":
            break
        if kind == "bar":
            close()
            symbols, terminal, probability = [], [], None
        elif kind == "probability":
            if probability is not None:
                raise ValueError(f"Line {number}: an alternative of {lhs} has two probabilities.")
            probability = _read_probability(value, lhs, number)
        elif probability is not None:
            raise ValueError(
                f"Line {number}: the probability of an alternative of {lhs} must come last, "
                "after its symbols."
            )
        elif kind == "quoted":
            symbols.append(_unquote(value))
            terminal.append(True)
        else:
            if value in ("->", "→"):
                raise ValueError(f"Line {number}: one rule per line; this line has a second '->'.")
            symbols.append(_unescape_name(value))
            terminal.append(False)
    close()
    return alternatives


def _read_probability(text: str, lhs: str, number: int) -> float:
    inside = text[1:-1].strip()
    try:
        value = float(inside)
    except ValueError:
        raise ValueError(f"Line {number}: the probability {text} of {lhs} is not a number.") from None
    if not 0.0 <= value <= 1.0 or math.isnan(value):
        raise ValueError(f"Line {number}: the probability {text} of {lhs} must be between 0 and 1.")
    return value


def _unquote(token: str) -> str:
    return re.sub(r"\\(.)", r"\1", token[1:-1])


def _annotate_parents(tree: Tree, parent: str | None) -> Tree:
    """Each phrase label gets its parent's (``NP^S``); pre-terminals keep theirs. Iterative: any depth."""
    built: dict[int, Tree] = {}
    stack: list[tuple[Tree, str | None, bool]] = [(tree, parent, False)]
    while stack:
        node, above, closing = stack.pop()
        if not closing:
            stack.append((node, above, True))
            stack.extend((c, node.label, False) for c in node.children if isinstance(c, Tree))
            continue
        is_preterminal = len(node.children) == 1 and not isinstance(node.children[0], Tree)
        label = node.label if above is None or is_preterminal else f"{node.label}^{above}"
        children = tuple(built.pop(id(c)) if isinstance(c, Tree) else c for c in node.children)
        built[id(node)] = Tree(label, children)
    return built[id(tree)]


# -- the three CNF steps ----------------------------------------------------------------
def _fresh(base: str, taken: set[str]) -> str:
    name = base
    counter = 1
    while name in taken:
        name = f"{base}_{counter}"
        counter += 1
    taken.add(name)
    return name


def _separate_terminals(productions: list[Production], taken: set[str]) -> tuple[list[Production], CNFStep]:
    dummies: dict[str, str] = {}
    result: list[Production] = []
    added: list[Production] = []
    removed: list[Production] = []
    for p in productions:
        if len(p.rhs) < 2 or not any(p.terminal):
            result.append(p)
            continue
        new_rhs = []
        for symbol, is_terminal in zip(p.rhs, p.terminal, strict=True):
            if not is_terminal:
                new_rhs.append(symbol)
                continue
            if symbol not in dummies:
                base = symbol.upper() if re.fullmatch(_NAME, symbol) else "W"
                dummies[symbol] = _fresh(base, taken)
                dummy = Production(dummies[symbol], (symbol,), (True,), _one_if(p.probability))
                added.append(dummy)
                result.append(dummy)
            new_rhs.append(dummies[symbol])
        replacement = Production(p.lhs, tuple(new_rhs), (False,) * len(new_rhs), p.probability, p.line)
        removed.append(p)
        added.append(replacement)
        result.append(replacement)
    if added:
        words = ", ".join(f"{repr_terminal(w)} → {n}" for w, n in dummies.items())
        summary = f"words inside longer rules get their own non-terminal ({words})."
    else:
        summary = "no rule mixes words with other symbols; nothing to do."
    return result, CNFStep("Step 1, words in long rules", summary, tuple(added), tuple(removed))


def _one_if(probability: float | None) -> float | None:
    return None if probability is None else 1.0


def _collapse_units(
    productions: list[Production], probabilistic: bool
) -> tuple[list[Production], CNFStep, UnitChains | None]:
    """Step 2: every A takes the non-unit expansions of each C it reaches by unit rules.

    A PCFG rule's new probability is the *sum* over chains (the closure (I − U)⁻¹),
    which is what the inside algorithm needs. Each new rule also records its
    ``sources`` and the returned :class:`UnitChains` keeps the unit rules, so a
    parser can maximise over chains (Viterbi) and count or restore them (trees).
    """
    units = list({p.key: p for p in productions if p.is_unit}.values())  # a CFG may repeat a rule
    if not units:
        step = CNFStep("Step 2, unit productions", "there is no rule A -> B; nothing to do.", (), ())
        return productions, step, None
    names = list(dict.fromkeys([p.lhs for p in productions] + [p.rhs[0] for p in units]))
    index = {name: i for i, name in enumerate(names)}
    # U[a, b]: probability (or, for a CFG, possibility) of the unit step a -> b.
    unit_matrix = np.zeros((len(names), len(names)))
    for p in units:
        unit_matrix[index[p.lhs], index[p.rhs[0]]] += _weight(p, probabilistic)
    closure = _unit_closure(unit_matrix, units) if probabilistic else None
    chains = UnitChains((p.lhs, p.rhs[0], _weight(p, probabilistic)) for p in units)
    non_unit: dict[str, dict[RuleKey, Production]] = defaultdict(dict)
    for p in productions:
        if not p.is_unit:
            non_unit[p.lhs].setdefault(p.key, p)
    _check_collapsed_size(chains, non_unit)
    result: list[Production] = []
    added: list[Production] = []
    removed: list[Production] = list(units)
    for lhs in dict.fromkeys(p.lhs for p in productions):
        mass: dict[RuleKey, float] = {}
        sources: dict[RuleKey, list[tuple[str, float | None]]] = {}
        reached = chains.reachable_from(lhs)
        for c in (name for name in names if name in reached):
            weight = closure[index[lhs], index[c]] if closure is not None else 1.0
            for q in non_unit.get(c, {}).values():
                key = (lhs, q.rhs, q.terminal)
                mass[key] = mass.get(key, 0.0) + (weight * (q.probability or 0.0) if probabilistic else 0.0)
                sources.setdefault(key, []).append((c, q.probability))
        own = non_unit.get(lhs, {})
        for key, weight in mass.items():
            probability = weight if probabilistic else None
            origin = tuple(sources[key])
            old = own.get(key)
            if old is not None and origin == ((lhs, old.probability),):
                result.append(old)  # no unit chain reaches another way to this rule
                continue
            new = Production(lhs, key[1], key[2], probability, old.line if old else 0, origin)
            result.append(new)
            unchanged = old is not None and (
                not probabilistic or math.isclose(probability or 0.0, old.probability or 0.0, rel_tol=1e-12)
            )
            if not unchanged:  # the conversion's listing shows only rules whose text changed
                if old is not None:
                    removed.append(old)
                added.append(new)
    summary = (
        f"{len(units)} unit rule{'s' if len(units) != 1 else ''} A -> B removed; "
        f"each A takes B's other expansions instead ({len(added)} rule{'s' if len(added) != 1 else ''} added"
        + (", probabilities multiplied along the chain)." if probabilistic else ").")
    )
    return result, CNFStep("Step 2, unit productions", summary, tuple(added), tuple(removed)), chains


def _weight(p: Production, probabilistic: bool) -> float:
    """A unit rule's weight in the unit graph: its probability in a PCFG, 1 in a CFG."""
    return p.probability if probabilistic and p.probability is not None else 1.0


def _check_collapsed_size(chains: UnitChains, non_unit: dict[str, dict[RuleKey, Production]]) -> None:
    """Refuse, before building it, a collapse that would pass :data:`MAX_CNF_RULES` (an upper bound)."""
    expansions = np.array([len(non_unit.get(name, ())) for name in chains.names], dtype=np.int64)
    in_chains = set(chains.names)
    untouched = sum(len(rules) for lhs, rules in non_unit.items() if lhs not in in_chains)
    bound = int((chains.reach.astype(np.int64) @ expansions).sum()) + untouched
    if bound > MAX_CNF_RULES:
        raise ValueError(
            f"Removing the unit rules would turn this grammar into about {bound:,} rules, more than the "
            f"{MAX_CNF_RULES:,} Trellis converts; shorten the chains of rules like A -> B."
        )


def _unit_closure(unit_matrix: np.ndarray, units: list[Production]) -> np.ndarray:
    """I + U + U² + …: the summed probability of reaching B from A through chains of unit rules."""
    size = unit_matrix.shape[0]
    try:
        closure = np.linalg.inv(np.eye(size) - unit_matrix)
    except np.linalg.LinAlgError:
        closure = None
    if closure is None or not np.all(np.isfinite(closure)) or np.any(closure < -1e-9):
        cycle = ", ".join(str(p) for p in units[:3])
        raise ValueError(
            f"The unit rules ({cycle} …) form a cycle with probability 1, so no tree ever ends; "
            "give the cycle a way out."
        )
    return np.clip(closure, 0.0, None)


def _binarise(productions: list[Production], taken: set[str]) -> tuple[list[Production], CNFStep]:
    helpers: dict[tuple[str, ...], str] = {}
    counter = [0]
    result: list[Production] = []
    added: list[Production] = []
    removed: list[Production] = []

    def helper_for(prefix: tuple[str, ...], probability: float | None) -> str:
        """The X that derives ``prefix`` (two symbols, or an X of the shorter prefix and one more).

        Shared by every rule starting with the same symbols, as SLP3's X2 serves both
        S and VP; a helper has one rule, so sharing never adds ambiguity.
        """
        if prefix in helpers:
            return helpers[prefix]
        if len(prefix) == 2:
            rhs = prefix
        else:
            rhs = (helper_for(prefix[:-1], probability), prefix[-1])
        while True:
            counter[0] += 1
            name = f"X{counter[0]}"
            if name not in taken:
                break
        taken.add(name)
        helpers[prefix] = name
        rule = Production(name, rhs, (False, False), _one_if(probability))
        added.append(rule)
        result.append(rule)
        return name

    for p in productions:
        if len(p.rhs) <= 2:
            result.append(p)
            continue
        head = helper_for(p.rhs[:-1], p.probability)
        replacement = Production(p.lhs, (head, p.rhs[-1]), (False, False), p.probability, p.line, p.sources)
        removed.append(p)
        added.append(replacement)
        result.append(replacement)
    if removed:
        names = ", ".join(f"{n} = {' '.join(prefix)}" for prefix, n in helpers.items())
        plural = "s" if len(removed) != 1 else ""
        summary = f"{len(removed)} long rule{plural} split in two from the left ({names})."
    else:
        summary = "no right-hand side is longer than two; nothing to do."
    return result, CNFStep("Step 3, long right-hand sides", summary, tuple(added), tuple(removed))
