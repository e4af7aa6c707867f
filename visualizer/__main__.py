"""`trellis` (or `python -m visualizer`): the GUI, or `trellis export ...` headless.

Examples::

    trellis
    trellis --exit-after-first-paint
    trellis export edit-distance --source intention --target execution \\
        --substitution-cost 2 --step last --format png --scale 2 -o grid.png
    trellis export edit-distance --steps 0:40 --format gif -o fill.gif
    trellis train-parser --conllu en_ewt-ud-dev.conllu -o parser
    trellis exercise edit-distance --seed 7 -o sheet.pdf --answers key.pdf

Errors print one line (``trellis: ...``) and exit non-zero; nothing is written.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, NoReturn

__all__ = ["main"]


class _OneLineParser(argparse.ArgumentParser):
    """argparse, but a mistake is one line, not usage plus a message."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"trellis: {message} (see `{self.prog} --help`)\n")


def _build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The command line; only the panel named by ``trellis export NAME`` is imported for its options.

    Importing every panel (and with them scipy and every engine) to build options the
    window never uses cost most of the start-up time, so the GUI path imports none.
    """
    from visualizer.panels import PANELS

    words = sys.argv[1:] if argv is None else argv
    exported = words[1] if len(words) > 1 and words[0] == "export" else None

    parser = _OneLineParser(prog="trellis", description="Classic NLP algorithms, step by step.")
    parser.add_argument(
        "--exit-after-first-paint",
        nargs="?",
        const="panel",
        choices=("panel", "window"),
        help="open the main window and exit once the first panel has painted "
        "(or, with 'window', once the window has); for start-up timing",
    )
    commands = parser.add_subparsers(dest="command", parser_class=_OneLineParser)
    export = commands.add_parser("export", help="write a figure of any step without opening a window")
    panels = export.add_subparsers(dest="panel", required=True, parser_class=_OneLineParser)
    for spec in PANELS:
        sub = panels.add_parser(spec.name, help=spec.summary, description=spec.summary)
        if spec.name == exported:
            spec.load().add_export_arguments(sub)
            _add_common_export_arguments(sub)
    train = commands.add_parser(
        "train-parser",
        help="train the neural dependency parser on a CoNLL-U treebank and save it (MODEL.npz + MODEL.json)",
    )
    train.add_argument("--conllu", required=True, help="the treebank to train on (gold trees)")
    train.add_argument("--system", choices=("arc-standard", "arc-eager"), default="arc-standard")
    train.add_argument("--epochs", type=int, default=8, help="passes over the treebank (default 8)")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("-o", "--output", required=True, help="MODEL: writes MODEL.npz and MODEL.json")
    _add_exercise_command(commands)
    return parser


def _add_exercise_command(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from algorithms.exercises import DIFFICULTY

    levels = "; ".join(f"{name}: {what}" for name, what in DIFFICULTY.items())
    exercise = commands.add_parser(
        "exercise",
        help="write a printable exercise (a random input from a seed) and its answer key as PDF",
        description=f"A random exercise and its answer key. Difficulties: {levels}.",
    )
    exercise.add_argument("panel", choices=tuple(DIFFICULTY))
    exercise.add_argument("--seed", type=int, default=0, help="the same seed gives the same exercise")
    exercise.add_argument(
        "--difficulty", choices=("easy", "medium", "hard"), default="medium", help="see above, per panel"
    )
    exercise.add_argument("--paper", choices=("a4", "letter"), default="a4")
    exercise.add_argument("-o", "--output", required=True, help="the worksheet (PDF)")
    exercise.add_argument("--answers", help="the answer key (PDF)")


def _exercise(arguments: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no display needed
    from algorithms.exercises import make_exercise
    from visualizer.app import create_application
    from visualizer.worksheet import write_exercise

    for path in (arguments.output, arguments.answers):
        if path is not None and not path.lower().endswith(".pdf"):
            return _fail(f"exercises are written as PDF; {path!r} does not end in .pdf")
    create_application(["trellis"])
    try:
        exercise = make_exercise(arguments.panel, arguments.seed, arguments.difficulty)
        write_exercise(exercise, arguments.output, arguments.answers, arguments.paper)
    except ValueError as problem:
        return _fail(str(problem))
    except OSError as problem:
        return _fail(f"could not write the exercise: {problem.strerror or problem}")
    print(f"wrote {arguments.output}" + (f" and {arguments.answers}" if arguments.answers else ""))
    print(f"{exercise.title}: {exercise.task}")
    return 0


def _train_parser(arguments: argparse.Namespace) -> int:
    """`trellis train-parser`: the model `trellis export dependency --mode model --model` reads."""
    from algorithms.dependency import read_conllu
    from algorithms.neural_parser import train_parser

    output = (
        os.path.splitext(arguments.output)[0]
        if arguments.output.endswith((".npz", ".json"))
        else arguments.output
    )
    try:
        trees = read_conllu(arguments.conllu)
        print(f"training on {len(trees):,} sentences of {arguments.conllu} ({arguments.system})…", flush=True)
        model = train_parser(trees, system=arguments.system, seed=arguments.seed, epochs=arguments.epochs)
        model.save(output)
    except ValueError as problem:
        return _fail(str(problem))
    except OSError as problem:
        return _fail(f"could not write {output}.npz: {problem.strerror or problem}")
    history = model.history
    print(
        f"wrote {output}.npz and {output}.json ({history.get('examples', 0):,} transitions, "
        f"{history.get('non_projective_skipped', 0)} non-projective trees skipped)"
    )
    return 0


def _add_common_export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--step", default="last", help="the step to draw: a number or 'last' (default)")
    parser.add_argument("--steps", help="A:B, a step range for an animated GIF (with --format gif)")
    parser.add_argument("--format", choices=("png", "svg", "pdf", "gif"), help="default: from the file name")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="PNG/GIF pixel scale (default 1; 2 for slides)"
    )
    parser.add_argument("--theme", choices=("light", "dark"), default="light")
    parser.add_argument(
        "--no-caption",
        action="store_true",
        help="leave out the band under the figure that narrates the step (its formula and numbers)",
    )
    parser.add_argument("--part", metavar="NAME", help="export one part of the figure (see --list-parts)")
    parser.add_argument(
        "--compare",
        metavar="OPTION=V1,V2[,V3]",
        help="two or three variants side by side at one shared step, e.g. algorithm=viterbi,forward",
    )
    parser.add_argument(
        "--pseudocode",
        action="store_true",
        help="add the algorithm's pseudocode to the band under the figure, the step's line marked ▶",
    )
    parser.add_argument(
        "--sheet",
        metavar="NAME",
        help="export one sheet of a figure split into sheets, as its tab shows it (see --list-parts)",
    )
    parser.add_argument(
        "--list-parts", action="store_true", help="list the parts of this panel's figure and exit"
    )
    parser.add_argument("-o", "--output", help="the file to write")


def _export(arguments: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no display needed
    from visualizer.app import create_application
    from visualizer.export import export_panel, step_number
    from visualizer.panels import find_panel
    from visualizer.theme import palette_for

    if not arguments.output and not arguments.list_parts:
        return _fail("say where to write the figure with -o FILE (or ask for --list-parts)")
    fmt = arguments.format or os.path.splitext(arguments.output or "x.png")[1].lstrip(".").lower()
    if fmt not in ("png", "svg", "pdf", "gif"):
        return _fail(f"cannot tell the format from {arguments.output!r}; add --format png|svg|pdf|gif")
    if arguments.steps and fmt != "gif":
        return _fail("--steps A:B makes an animation; use it with --format gif")
    if arguments.scale <= 0 or arguments.scale > 8:
        return _fail(f"--scale must be above 0 and at most 8; got {arguments.scale:g}")
    create_application(["trellis"])
    panel_class = find_panel(arguments.panel).load()
    if arguments.compare:
        return _export_compared(arguments, panel_class, fmt)
    try:
        panel = panel_class(palette_for(arguments.theme), inputs=panel_class.inputs_from_arguments(arguments))
        panel.resize(1400, 1000)
        panel.export_pseudocode = arguments.pseudocode
        if arguments.sheet:
            panel.sheets.show(arguments.sheet)
        if fmt != "gif":
            panel.model.set_step(step_number(arguments.step, panel.model.nsteps))
    except ValueError as problem:
        return _fail(str(problem))
    except OSError as problem:  # an input file: never blame the output for it
        where = f" {problem.filename}" if problem.filename else ""
        return _fail(f"could not read{where}: {problem.strerror or problem}")
    if arguments.list_parts:
        for name, rect in panel.parts().items():
            print(f"{name:16} {rect.width():,.0f} × {rect.height():,.0f}")
        if len(panel.sheets.names) > 2:
            print(f"sheets (--sheet): {', '.join(repr(name) for name in panel.sheets.names)}")
        return 0
    caption = not arguments.no_caption

    def export() -> str:
        return export_panel(
            panel, arguments.output, fmt, arguments.scale, "whole", arguments.steps, caption=caption,
            part=arguments.part,
        )  # fmt: skip

    return _write(arguments, export)


def _write(arguments: argparse.Namespace, export: Any, *after: str) -> int:
    """Run ``export`` (it returns a note), then say what was written; one line if it failed."""
    from visualizer.export import ExportError

    try:
        note = export()
    except (ValueError, ExportError) as problem:
        return _fail(str(problem))
    except OSError as problem:
        return _fail(f"could not write {arguments.output}: {problem.strerror or problem}")
    for line in (note, f"wrote {arguments.output}", *after):
        if line:
            print(line)
    return 0


def _export_compared(arguments: argparse.Namespace, panel_class: Any, fmt: str) -> int:
    """`trellis export PANEL --compare OPTION=V1,V2[,V3]`: the variants side by side at one step."""
    from visualizer.compare_figure import CompareFigure, parse_compare
    from visualizer.export import export_panel, step_number
    from visualizer.theme import palette_for

    if fmt == "gif" or arguments.part or arguments.sheet:
        return _fail("--compare exports one step as PNG, SVG or PDF, of the whole figures")
    try:
        option, values = parse_compare(arguments.compare, panel_class.inputs_class)
        base = panel_class.inputs_from_arguments(arguments)
        panels = [panel_class(palette_for(arguments.theme), inputs={**base, option: v}) for v in values]
        labels = [f"{option.replace('_', ' ')} = {v}" for v in values]
        figure = CompareFigure(panels, labels)
        figure.show_step(step_number(arguments.step, figure.model.nsteps))
    except ValueError as problem:
        return _fail(str(problem))
    except OSError as problem:  # an input file: never blame the output for it
        where = f" {problem.filename}" if problem.filename else ""
        return _fail(f"could not read{where}: {problem.strerror or problem}")
    caption = not arguments.no_caption
    return _write(
        arguments, lambda: export_panel(figure, arguments.output, fmt, arguments.scale, caption=caption),
        figure.difference,
    )  # fmt: skip


def _fail(message: str) -> int:
    print(f"trellis: {message}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    arguments = _build_parser(argv).parse_args(argv)
    if arguments.command == "export":
        return _export(arguments)
    if arguments.command == "train-parser":
        return _train_parser(arguments)
    if arguments.command == "exercise":
        return _exercise(arguments)
    from visualizer.app import run_gui

    return run_gui(exit_after_first_paint=arguments.exit_after_first_paint)


if __name__ == "__main__":
    sys.exit(main())
