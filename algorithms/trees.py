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


@dataclass(frozen=True, eq=False)
class Tree:
    """A constituent: ``label`` over ``children`` (sub-trees or words).

    Every method walks the tree with an explicit stack, never by recursion, so a
    tree thousands of levels deep (a long unit chain, a hostile treebank) prints,
    compares and hashes like any other.
    """

    label: str
    children: tuple[Tree | str, ...]

    def __str__(self) -> str:
        parts: list[str] = []
        stack: list[Tree | str | None] = [self]  # None closes a bracket
        while stack:
            item = stack.pop()
            if item is None:
                parts.append(")")
            elif isinstance(item, str):
                parts.append(" " + item)
            else:
                if parts and parts[-1] != "(":
                    parts.append(" ")
                parts.append(f"({item.label}")
                stack.append(None)
                stack.extend(reversed(item.children))
        return "".join(parts).replace("( ", "(")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Tree):
            return NotImplemented
        pairs: list[tuple[Tree | str, Tree | str]] = [(self, other)]
        while pairs:
            a, b = pairs.pop()
            if isinstance(a, str) or isinstance(b, str):
                if a != b:
                    return False
                continue
            if a is b:
                continue
            if a.label != b.label or len(a.children) != len(b.children):
                return False
            pairs.extend(zip(a.children, b.children, strict=True))
        return True

    def __hash__(self) -> int:
        return hash(str(self))

    def _nodes(self) -> Iterator[Tree]:
        """Pre-order over the nodes, iteratively."""
        stack: list[Tree] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed([c for c in node.children if isinstance(c, Tree)]))

    def leaves(self) -> list[str]:
        """The words, left to right."""
        words: list[str] = []
        stack: list[Tree | str] = [self]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                words.append(item)
            else:
                stack.extend(reversed(item.children))
        return words

    def height(self) -> int:
        """1 for a node over words only; one more per level above."""
        tallest = 0
        stack: list[tuple[Tree, int]] = [(self, 1)]
        while stack:
            node, depth = stack.pop()
            tallest = max(tallest, depth)
            stack.extend((c, depth + 1) for c in node.children if isinstance(c, Tree))
        return tallest

    def subtrees(self) -> Iterator[Tree]:
        """This node and every node below it, pre-order."""
        return self._nodes()

    def productions(self) -> list[tuple[str, tuple[str, ...]]]:
        """(lhs, rhs) of every node; a word on the right is written quoted, as in a grammar."""
        rules = []
        for node in self._nodes():
            rhs = tuple(c.label if isinstance(c, Tree) else repr_terminal(c) for c in node.children)
            rules.append((node.label, rhs))
        return rules

    def spans(self, ignore: frozenset[str] = frozenset()) -> list[tuple[str, int, int]]:
        """Labelled brackets (label, start, end) of every phrase node, pre-order.

        Pre-terminals (a label over one word) are not brackets in PARSEVAL; nor
        are labels in ``ignore`` (for example the X1 helpers CNF adds).
        """
        found: list[tuple[str, int, int]] = []
        position = 0
        stack: list[tuple[Tree | str, int]] = [(self, -1)]  # (item, index in found to close, or -1 to open)
        while stack:
            item, slot = stack.pop()
            if isinstance(item, str):
                position += 1
                continue
            if slot >= 0:
                label, start, _ = found[slot]
                found[slot] = (label, start, position)
                continue
            is_preterminal = len(item.children) == 1 and not isinstance(item.children[0], Tree)
            if not is_preterminal and item.label not in ignore:
                found.append((item.label, position, position))
                stack.append((item, len(found) - 1))
            stack.extend((c, -1) for c in reversed(item.children))
        return found

    def collapse(self, labels: Iterable[str]) -> Tree:
        """The same tree with every node labelled in ``labels`` replaced by its children.

        Undoes CNF binarisation for display and scoring: ``(S (X1 (Aux does) (NP …)) (VP …))``
        becomes ``(S (Aux does) (NP …) (VP …))``.
        """
        drop = frozenset(labels)
        # Post-order: each node's rebuilt children are ready when the node is closed.
        built: dict[int, list[Tree | str]] = {}
        stack: list[tuple[Tree, bool]] = [(self, False)]
        while stack:
            node, closing = stack.pop()
            if not closing:
                stack.append((node, True))
                stack.extend((c, False) for c in node.children if isinstance(c, Tree))
                continue
            children: list[Tree | str] = []
            for child in node.children:
                children.extend(built.pop(id(child)) if isinstance(child, Tree) else [child])
            built[id(node)] = children if node.label in drop else [Tree(node.label, tuple(children))]
        result = built[id(self)]
        return (
            result[0] if len(result) == 1 and isinstance(result[0], Tree) else Tree(self.label, tuple(result))
        )

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
    """One bracketed tree from ``tokens[position]`` on, with an explicit stack (any depth)."""
    # Each open bracket: (line it opened on, label, children so far).
    open_brackets: list[tuple[int, str, list[Tree | str]]] = []
    while position < len(tokens):
        token, line = tokens[position]
        position += 1
        if token == "(":
            label = ""
            if position < len(tokens) and tokens[position][0] not in "()":
                label = tokens[position][0]
                position += 1
            open_brackets.append((line, label, []))
        elif token == ")":
            open_line, label, children = open_brackets.pop()
            if not children:
                raise ValueError(f"Line {open_line}: the bracket ({label} has nothing inside it.")
            node = Tree(label, tuple(children))
            if not open_brackets:
                return node, position
            open_brackets[-1][2].append(node)
        else:
            open_brackets[-1][2].append(token)
    raise ValueError(f"Line {open_brackets[-1][0]}: the bracket opened here is never closed.")


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
