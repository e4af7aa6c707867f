"""Parse trees: bracketed notation in and out, and PARSEVAL scores (SLP3 §17.8).

A :class:`Tree` is an immutable value: a label and a tuple of children, each a
:class:`Tree` or a word (``str``). ``str(tree)`` is the Penn-Treebank-style
bracketed notation ``(S (NP (Det the) (Noun flight)) ...)`` that
:meth:`Tree.from_string` reads back.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

__all__ = ["Tree", "read_bracketed_trees", "parseval", "Parseval"]

_TOKEN = re.compile(r"\(|\)|[^\s()]+")


@dataclass(frozen=True)
class Tree:
    """A constituent: ``label`` over ``children`` (sub-trees or words)."""

    label: str
    children: tuple[Tree | str, ...]

    def __str__(self) -> str:
        inside = " ".join(str(child) for child in self.children)
        return f"({self.label} {inside})" if inside else f"({self.label})"

    def leaves(self) -> list[str]:
        """The words, left to right."""
        words: list[str] = []
        for child in self.children:
            words.extend(child.leaves() if isinstance(child, Tree) else [child])
        return words

    def height(self) -> int:
        """1 for a node over words only; one more per level above."""
        return 1 + max((c.height() for c in self.children if isinstance(c, Tree)), default=0)

    def subtrees(self) -> Iterator[Tree]:
        """This node and every node below it, pre-order."""
        yield self
        for child in self.children:
            if isinstance(child, Tree):
                yield from child.subtrees()

    def productions(self) -> list[tuple[str, tuple[str, ...]]]:
        """(lhs, rhs) of every node; a word on the right is written quoted, as in a grammar."""
        rules = []
        for node in self.subtrees():
            rhs = tuple(c.label if isinstance(c, Tree) else repr_terminal(c) for c in node.children)
            rules.append((node.label, rhs))
        return rules

    def spans(self, ignore: frozenset[str] = frozenset()) -> list[tuple[str, int, int]]:
        """Labelled brackets (label, start, end) of every phrase node, pre-order.

        Pre-terminals (a label over one word) are not brackets in PARSEVAL; nor
        are labels in ``ignore`` (for example the X1 helpers CNF adds).
        """
        found: list[tuple[str, int, int]] = []

        def walk(node: Tree, start: int) -> int:
            position = start
            for child in node.children:
                position = walk(child, position) if isinstance(child, Tree) else position + 1
            is_preterminal = len(node.children) == 1 and not isinstance(node.children[0], Tree)
            if not is_preterminal and node.label not in ignore:
                found.append((node.label, start, position))
            return position

        walk(self, 0)
        return found

    def collapse(self, labels: Iterable[str]) -> Tree:
        """The same tree with every node labelled in ``labels`` replaced by its children.

        Undoes CNF binarisation for display and scoring: ``(S (X1 (Aux does) (NP …)) (VP …))``
        becomes ``(S (Aux does) (NP …) (VP …))``.
        """
        drop = frozenset(labels)

        def rebuild(node: Tree) -> list[Tree | str]:
            children: list[Tree | str] = []
            for child in node.children:
                children.extend(rebuild(child) if isinstance(child, Tree) else [child])
            if node.label in drop:
                return children
            return [Tree(node.label, tuple(children))]

        built = rebuild(self)
        return built[0] if len(built) == 1 and isinstance(built[0], Tree) else Tree(self.label, tuple(built))

    @classmethod
    def from_string(cls, text: str) -> Tree:
        """Read one bracketed tree; ValueError naming the problem otherwise."""
        trees = list(_read_trees(text))
        if len(trees) != 1:
            raise ValueError(f"Expected one bracketed tree, found {len(trees)}.")
        return trees[0]


def repr_terminal(word: str) -> str:
    """A word as a grammar writes it: quoted."""
    return "'" + word.replace("\\", "\\\\").replace("'", "\\'") + "'"


def read_bracketed_trees(text: str) -> list[Tree]:
    """Every tree in ``text`` (Penn Treebank style, one or many, any line breaks).

    A tree wrapped in an unlabelled outer pair, ``( (S ...) )``, as the Penn
    Treebank writes them, is unwrapped. ValueError names the line of a problem.
    """
    return list(_read_trees(text))


def _read_trees(text: str) -> Iterator[Tree]:
    tokens = [(m.group(), text.count("\n", 0, m.start()) + 1) for m in _TOKEN.finditer(text)]
    position = 0
    while position < len(tokens):
        token, line = tokens[position]
        if token != "(":
            raise ValueError(f"Line {line}: expected '(' to start a tree, found {token!r}.")
        tree, position = _read_node(tokens, position)
        if tree.label == "" and len(tree.children) == 1 and isinstance(tree.children[0], Tree):
            tree = tree.children[0]
        yield tree


def _read_node(tokens: list[tuple[str, int]], position: int) -> tuple[Tree, int]:
    open_line = tokens[position][1]
    position += 1
    label = ""
    if position < len(tokens) and tokens[position][0] not in "()":
        label = tokens[position][0]
        position += 1
    children: list[Tree | str] = []
    while position < len(tokens):
        token, _ = tokens[position]
        if token == ")":
            if not children:
                raise ValueError(f"Line {open_line}: the bracket ({label} has nothing inside it.")
            return Tree(label, tuple(children)), position + 1
        if token == "(":
            child, position = _read_node(tokens, position)
            children.append(child)
        else:
            children.append(token)
            position += 1
    raise ValueError(f"Line {open_line}: the bracket opened here is never closed.")


@dataclass(frozen=True)
class Parseval:
    """Labelled precision, recall and F1 of a parse against a gold tree, and crossing brackets."""

    precision: float
    recall: float
    f1: float
    crossing_brackets: int
    matched: int
    predicted: int
    gold: int


def parseval(predicted: Tree, gold: Tree, ignore: Iterable[str] = ()) -> Parseval:
    """PARSEVAL (SLP3 §17.8): compare labelled spans, pre-terminals excluded.

    Brackets are matched as a multiset. A predicted bracket *crosses* the gold
    tree when it overlaps some gold bracket without either containing the
    other, as in ``((A B) C)`` against ``(A (B C))``.
    """
    if predicted.leaves() != gold.leaves():
        raise ValueError("The two trees are over different words; PARSEVAL compares parses of one sentence.")
    ignored = frozenset(ignore)
    ours = Counter(predicted.spans(ignored))
    theirs = Counter(gold.spans(ignored))
    matched = sum((ours & theirs).values())
    n_ours, n_theirs = sum(ours.values()), sum(theirs.values())
    precision = matched / n_ours if n_ours else 0.0
    recall = matched / n_theirs if n_theirs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    gold_spans = {(start, end) for _, start, end in theirs}
    crossing = sum(
        count
        for (_, start, end), count in ours.items()
        if any(s < start < e < end or start < s < end < e for s, e in gold_spans)
    )
    return Parseval(precision, recall, f1, crossing, matched, n_ours, n_theirs)
