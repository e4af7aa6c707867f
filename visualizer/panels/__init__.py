"""The single registry of panels.

Adding a panel means adding one :class:`PanelSpec` line here and writing its
module; nothing else changes. Modules are imported only when a panel is
opened (or exported), which keeps start-up fast.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from visualizer.panels.base import Panel

__all__ = ["PanelSpec", "PANELS", "find_panel"]


@dataclass(frozen=True)
class PanelSpec:
    """Declarative metadata of a panel, readable without importing it."""

    name: str  # the id used by lessons and `trellis export NAME`
    title: str
    group: str  # the sidebar topic
    module: str
    class_name: str
    shortcut: str
    summary: str

    def load(self) -> type[Panel]:
        """Import the panel's module and return its class."""
        return getattr(importlib.import_module(self.module), self.class_name)


PANELS: tuple[PanelSpec, ...] = (
    PanelSpec(
        name="edit-distance",
        title="Minimum edit distance",
        group="Words and strings",
        module="visualizer.panels.edit_distance",
        class_name="EditDistancePanel",
        shortcut="Ctrl+1",
        summary="Fill the dynamic-programming table and backtrace an optimal alignment (SLP3 §2.5).",
    ),
    PanelSpec(
        name="text",
        title="Words and tokens",
        group="Words and strings",
        module="visualizer.panels.text",
        class_name="TextPanel",
        shortcut="Ctrl+8",
        summary="Regex search, BPE learning and segmenting, MaxMatch and the Porter stemmer (SLP3 ch. 2).",
    ),
    PanelSpec(
        name="spelling",
        title="Spelling correction",
        group="Words and strings",
        module="visualizer.panels.spelling",
        class_name="SpellingPanel",
        shortcut="Ctrl+7",
        summary="The noisy channel: candidates, confusion matrices, context, real-word errors (SLP3 App. B).",
    ),
    PanelSpec(
        name="hmm",
        title="Hidden Markov models",
        group="Sequences and tagging",
        module="visualizer.panels.hmm",
        class_name="HMMPanel",
        shortcut="Ctrl+2",
        summary="Viterbi, forward and backward on a trellis; train a tagger on a treebank (SLP3 A, §8.4).",
    ),
    PanelSpec(
        name="cky",
        title="Constituency parsing (CKY)",
        group="Syntax",
        module="visualizer.panels.cky",
        class_name="CKYPanel",
        shortcut="Ctrl+3",
        summary="Convert a grammar to CNF, fill the CKY chart, find the best PCFG parse (SLP3 §17, App. C).",
    ),
    PanelSpec(
        name="dependency",
        title="Dependency parsing",
        group="Syntax",
        module="visualizer.panels.dependency",
        class_name="DependencyPanel",
        shortcut="Ctrl+6",
        summary="Shift-reduce with stack, buffer and arcs: oracle, manual or a neural parser (SLP3 §19).",
    ),
    PanelSpec(
        name="parse-search",
        title="Parsing as search",
        group="Syntax",
        module="visualizer.panels.parse_search",
        class_name="ParseSearchPanel",
        shortcut="Ctrl+Shift+2",
        summary="Top-down and bottom-up search with backtracking, and Earley's chart (SLP3 ch. 17).",
    ),
    PanelSpec(
        name="ngram",
        title="N-gram language models",
        group="Language models",
        module="visualizer.panels.ngram",
        class_name="NGramPanel",
        shortcut="Ctrl+4",
        summary="Counts, smoothings side by side, sentence probability, perplexity, sampling (SLP3 ch. 3).",
    ),
    PanelSpec(
        name="embeddings",
        title="Vector semantics",
        group="Meaning",
        module="visualizer.panels.embeddings",
        class_name="EmbeddingsPanel",
        shortcut="Ctrl+5",
        summary="Term-context counts, PPMI cell by cell, cosine, and skip-gram training (SLP3 ch. 6).",
    ),
    PanelSpec(
        name="neural",
        title="Neural networks",
        group="Neural networks",
        module="visualizer.panels.neural",
        class_name="NeuralPanel",
        shortcut="Ctrl+Shift+1",
        summary="The perceptron, XOR, backpropagation unit by unit, computation graphs (SLP3 ch. 7).",
    ),
)


def find_panel(name: str) -> PanelSpec:
    """The spec called ``name``; ValueError naming the known ones otherwise."""
    for spec in PANELS:
        if spec.name == name:
            return spec
    known = ", ".join(spec.name for spec in PANELS)
    raise ValueError(f"There is no panel called {name!r}; the panels are: {known}.")
