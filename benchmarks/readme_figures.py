"""The README's figures in docs/images, drawn again by Trellis itself.

Each figure is the export that the README's command line (or the caption beside
it) describes: a panel, its inputs (an example's, or the UD data's), a step and
optionally one sheet or part. A step is a number, ``"last"``, or the first step
whose narration contains a given text, so a figure keeps showing the moment its
caption names when traces change length. Pictures are stored as 256-colour PNGs.

Run: ``python -m benchmarks.readme_figures`` after a deliberate change to how
figures look (needs ../shared/data/ud-english-ewt for the three UD figures; the
trained-parser figure trains a parser on UD dev first, about a minute).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT
from benchmarks.gallery import _small

FOLDER = ROOT / "docs" / "images"
UD = ROOT.parent / "shared" / "data" / "ud-english-ewt"


@dataclass(frozen=True)
class Figure:
    """One README figure: what to draw and where to stop."""

    file: str
    panel: str
    example: str = ""  # an example's name (its start), else ``inputs`` alone
    inputs: dict[str, Any] = field(default_factory=dict)
    step: int | str = "last"  # a number, "last", or text the step's narration contains
    scale: float = 2.0
    sheet: str | None = None
    part: str | None = None


def _ud_figures() -> list[Figure]:
    from algorithms.corpora import read_tagged_conllu
    from algorithms.dependency import read_conllu

    test = read_tagged_conllu(UD / "en_ewt-ud-test.conllu")
    sentence = next(s for s in test if len(s) >= 14)
    trees = read_conllu(str(UD / "en_ewt-ud-test.conllu"))
    index = next(i for i, t in enumerate(trees) if len(t) == 22 and t.is_projective()) + 1
    model = Path(tempfile.mkdtemp()) / "parser"
    from algorithms.neural_parser import train_parser

    train_parser(read_conllu(str(UD / "en_ewt-ud-dev.conllu")), system="arc-standard", seed=0).save(
        str(model)
    )
    treebank = {"conllu": str(UD / "en_ewt-ud-test.conllu"), "index": index}
    return [
        Figure(
            "hmm-ud-best-path.png",
            "hmm",
            inputs={
                "model": {"conllu": str(UD / "en_ewt-ud-dev.conllu"), "column": "upos"},
                "observations": " ".join(word for word, _ in sentence[:14]),
                "algorithm": "viterbi",
            },
            scale=1.5,
            part="trellis",
        ),
        Figure(
            "dependency-ud-long-sentence.png", "dependency", inputs={**treebank, "mode": "oracle"}, scale=1.5
        ),
        Figure(
            "dependency-model-probabilities.png",
            "dependency",
            inputs={**treebank, "mode": "model", "model": str(model)},
            step="LEFTARC(compound): Donovan → John",  # 0.50 against RIGHTARC(flat) 0.48, and wrong
            scale=1.5,
        ),
    ]


FIGURES = (
    Figure("edit-distance-backtrace.png", "edit-distance", "intention → execution (SLP3)"),
    Figure("edit-distance-mid-fill.png", "edit-distance", "intention → execution (SLP3)", step="D[5,2] ="),
    Figure("hmm-ice-cream-mid-recursion.png", "hmm", "Ice cream: Viterbi on 3 1 3", step=3),
    Figure("cky-l1-chart-mid-fill.png", "cky", "L1: book the flight", step=9),
    Figure("cky-pp-attachment-tree.png", "cky", "PP attachment: I saw the man", part="tree"),
    Figure("cky-l1-pcfg-best-parse.png", "cky", "L1 PCFG: book the flight"),
    Figure(
        "ngram-smoothing-comparison.png",
        "ngram",
        inputs={"corpus": "slp3-toy", "sentence": "I am Sam am", "smoothing": "laplace"},
        step=4,
        sheet="Smoothings compared",
    ),
    Figure(
        "ngram-count-matrix-scoring.png", "ngram", "SLP3 toy corpus", step=2, sheet="Counts and probabilities"
    ),
    Figure("ngram-shannon-sampling.png", "ngram", "Shannon sampling", step=4, sheet="Draws"),
    Figure("embeddings-ppmi-mid-computation.png", "embeddings", "SLP3: PPMI", step=17),
    Figure("embeddings-sgns-mid-training.png", "embeddings", "Restaurant corpus: train SGNS", step=40),
    Figure("embeddings-shakespeare-tf-idf.png", "embeddings", "Shakespeare", step=9),
    Figure("dependency-slp3-mid-parse.png", "dependency", "SLP3: Book me", step=7),
)


def _step(panel: Any, step: int | str) -> int:
    if step == "last":
        return int(panel.model.nsteps)
    if isinstance(step, int):
        return step
    for number in range(panel.model.nsteps + 1):
        if step in " ".join(panel.narration(number)):
            return number
    raise ValueError(f"no step of {panel.name} narrates {step!r}")


def draw(figure: Figure) -> Path:
    """Export ``figure`` into docs/images; returns the file."""
    from visualizer.export import export_panel
    from visualizer.panels import find_panel
    from visualizer.theme import LIGHT

    panel_class = find_panel(figure.panel).load()
    inputs = dict(figure.inputs)
    if figure.example:
        inputs = {**dict(next(i for n, i in panel_class.examples if n.startswith(figure.example))), **inputs}
    panel = panel_class(LIGHT, inputs=inputs)
    panel.resize(1400, 1000)
    if figure.sheet:
        panel.sheets.show(figure.sheet)
    panel.model.set_step(_step(panel, figure.step))
    path = FOLDER / figure.file
    export_panel(panel, path, "png", figure.scale, part=figure.part)
    _small(path)
    return path


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from visualizer.app import create_application

    create_application(["trellis"])
    figures = list(FIGURES) + (_ud_figures() if UD.exists() else [])
    for figure in figures:
        print(f"wrote {draw(figure).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
