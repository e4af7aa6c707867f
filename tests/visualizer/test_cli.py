"""`trellis export` headless, its one-line errors, and the first-paint exit."""

import os
import pathlib
import subprocess
import sys

import pytest
from PIL import Image

ROOT = pathlib.Path(__file__).resolve().parents[2]


def trellis(*arguments, timeout=60):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "visualizer", *arguments],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=timeout,
    )


BASE = ["export", "edit-distance", "--source", "intention", "--target", "execution"]
SLP3 = ["--insertion-cost", "1", "--deletion-cost", "1", "--substitution-cost", "2"]


def test_export_png_svg_pdf(tmp_path):
    png = tmp_path / "grid.png"
    done = trellis(*BASE, *SLP3, "--step", "last", "--format", "png", "--scale", "2", "-o", str(png))
    assert done.returncode == 0, done.stderr
    with Image.open(png) as image:
        assert image.width > 1000
    for fmt in ("svg", "pdf"):
        out = tmp_path / f"grid.{fmt}"
        done = trellis(*BASE, *SLP3, "--step", "57", "--format", fmt, "-o", str(out))
        assert done.returncode == 0, done.stderr
        assert out.stat().st_size > 1000


def test_parts_are_listed_and_one_exports_alone_with_or_without_its_caption(tmp_path):
    done = trellis("export", "hmm", "--list-parts")
    assert done.returncode == 0, done.stderr
    listed = [line.split()[0] for line in done.stdout.splitlines()]
    assert listed == ["trellis", "pi", "A", "B", "tables"]
    sizes = {}
    for flags in ((), ("--no-caption",)):
        out = tmp_path / f"trellis{len(flags)}.png"
        done = trellis("export", "hmm", "--step", "5", "--part", "trellis", *flags, "-o", str(out))
        assert done.returncode == 0, done.stderr
        with Image.open(out) as image:
            sizes[flags] = image.size
    whole = tmp_path / "whole.png"
    assert trellis("export", "hmm", "--step", "5", "--no-caption", "-o", str(whole)).returncode == 0
    with Image.open(whole) as image:
        assert sizes[("--no-caption",)][1] < image.height  # the trellis without π, A and B
    assert sizes[()][1] > sizes[("--no-caption",)][1] + 40  # the band narrating step 5
    done = trellis("export", "hmm", "--part", "emissions", "-o", str(tmp_path / "x.png"))
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "trellis: The hmm figure has no part 'emissions'; its parts are: trellis, pi, A, B, tables."
    )
    done = trellis("export", "hmm")
    assert done.returncode == 2 and "-o FILE" in done.stderr


def test_export_gif(tmp_path):
    gif = tmp_path / "fill.gif"
    done = trellis(*BASE, *SLP3, "--steps", "0:30", "--format", "gif", "-o", str(gif))
    assert done.returncode == 0, done.stderr
    with Image.open(gif) as image:
        assert image.n_frames == 31


def test_transpositions_and_words(tmp_path):
    out = tmp_path / "t.png"
    done = trellis(
        "export", "edit-distance", "--source", "caht", "--target", "chat", "--transpositions", "-o", str(out)
    )
    assert done.returncode == 0 and out.exists()
    done = trellis(
        "export", "edit-distance", "--words", "--source", "a b c", "--target", "a c", "-o", str(out)
    )
    assert done.returncode == 0


@pytest.mark.parametrize(
    "extra,message",
    [
        (["--insertion-cost", "-1"], "The insertion cost must be a non-negative number; got -1."),
        (["--substitution-cost", "abc"], "The substitution cost must be a number; got 'abc'."),
        (["--step", "999"], "Step 999 is outside this trace, which has steps 0 to 110."),
        (["--step", "middle"], "A step is a whole number or 'last'"),
        (["--steps", "0:5"], "--steps A:B makes an animation"),
        (["--scale", "0"], "--scale must be above 0"),
        (["--format", "bmp"], "invalid choice: 'bmp'"),
    ],
)
def test_bad_arguments_exit_nonzero_with_one_line_and_write_nothing(tmp_path, extra, message):
    out = tmp_path / "never.png"
    done = trellis(*BASE, *SLP3, *extra, "-o", str(out))  # later flags override SLP3
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("trellis: ")
    assert message in lines[0]
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_exit_after_first_paint(tmp_path):
    env_dir = tmp_path / "config"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TRELLIS_CONFIG_DIR=str(env_dir))
    done = subprocess.run(
        [sys.executable, "-m", "visualizer", "--exit-after-first-paint"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert (env_dir / "settings.json").exists()  # closed cleanly, settings written


def test_every_panel_exports_by_default_what_the_window_opens_with():
    import argparse

    from visualizer.panels import PANELS

    for spec in PANELS:
        panel_class = spec.load()
        parser = argparse.ArgumentParser()
        panel_class.add_export_arguments(parser)
        exported = panel_class.inputs_class.from_json(
            panel_class.inputs_from_arguments(parser.parse_args([]))
        )
        opened = panel_class.inputs_class.from_json(dict(panel_class.examples[0][1]))
        assert exported.to_json() == opened.to_json(), spec.name


def _pages(path: pathlib.Path) -> int:
    import re

    return len(re.findall(rb"/Type\s*/Page[^s]", path.read_bytes()))


@pytest.mark.parametrize(
    "panel",
    ["edit-distance", "hmm", "cky", "dependency", "ngram", "embeddings", "neural", "parse-search", "text"],
)
def test_exercise_writes_a_worksheet_and_its_answer_key(tmp_path, panel):
    sheet, key = tmp_path / "sheet.pdf", tmp_path / "key.pdf"
    done = trellis("exercise", panel, "--seed", "7", "-o", str(sheet), "--answers", str(key), timeout=120)
    assert done.returncode == 0, done.stderr
    from algorithms.exercises import make_exercise

    exercise = make_exercise(panel, 7, "medium")
    pages = 1
    if panel == "parse-search":  # Earley's states to fill in, 24 a page
        from algorithms.cfg import Grammar
        from algorithms.parse_search import earley

        grammar = Grammar.from_string(exercise.inputs["grammar"])
        pages = -(-earley(grammar, exercise.inputs["sentence"].split()).states // 24)
    assert sheet.read_bytes().startswith(b"%PDF") and _pages(sheet) == pages
    assert _pages(key) >= 2  # the filled figure, then the steps
    assert done.stdout.splitlines()[1] == f"{exercise.title}: {exercise.task}"
    # Letter paper is a different page size; the same seed is the same exercise.
    letter = tmp_path / "letter.pdf"
    again = trellis("exercise", panel, "--seed", "7", "--paper", "letter", "-o", str(letter), timeout=120)
    assert again.returncode == 0 and again.stdout.splitlines()[1] == done.stdout.splitlines()[1]
    assert b"/MediaBox [0 0 612.000000 792.000000]" in letter.read_bytes()  # Letter, in points
    assert b"/MediaBox [0 0 595.000000 842.000000]" in sheet.read_bytes()  # A4


def test_exercise_help_states_the_difficulties_and_refuses_bad_requests(tmp_path):
    from algorithms.exercises import DIFFICULTY

    helped = trellis("exercise", "--help")
    flat = " ".join(helped.stdout.split())
    for panel, what in DIFFICULTY.items():
        assert f"{panel}: {' '.join(what.split())}" in flat
    bad = trellis("exercise", "hmm", "-o", str(tmp_path / "sheet.png"))
    assert bad.returncode == 2 and bad.stderr.strip() == (
        f"trellis: exercises are written as PDF; '{tmp_path / 'sheet.png'}' does not end in .pdf"
    )
    assert not (tmp_path / "sheet.png").exists()
    bad = trellis("exercise", "hmm", "--seed", "-3", "-o", str(tmp_path / "s.pdf"))
    assert bad.returncode == 2 and "The seed is a whole number from 0" in bad.stderr


def test_export_with_pseudocode_puts_the_lines_in_the_band_with_the_step_marked(tmp_path):
    with_code, without = tmp_path / "code.svg", tmp_path / "plain.svg"
    base = ["export", "hmm", "--observations", "3 1 3", "--step", "5"]
    done = trellis(*base, "--pseudocode", "-o", str(with_code))
    assert done.returncode == 0, done.stderr
    assert trellis(*base, "-o", str(without)).returncode == 0
    svg, plain = with_code.read_text(), without.read_text()
    assert "function VITERBI" in svg and "▶" in svg
    assert "function VITERBI" not in plain and "▶" not in plain
    from visualizer.caption_band import pseudocode_text  # the marked line is the one step 5 runs

    class Panel:  # what pseudocode_text needs of a panel
        def stepwise(self):
            from algorithms.hmm import HMM, viterbi

            ice = HMM(["HOT", "COLD"], ["1", "2", "3"], [0.8, 0.2], [[0.6, 0.4], [0.5, 0.5]],
                      [[0.2, 0.4, 0.4], [0.5, 0.4, 0.1]])  # fmt: skip
            return viterbi(ice, "3 1 3")

    lines = pseudocode_text(Panel(), 5).split("\u2028")
    marked = [line for line in lines if line.startswith("▶")]
    assert len(marked) == 1 and "viterbi[s,t] ← max_s'" in marked[0]


@pytest.mark.parametrize(
    ("arguments", "difference", "texts"),
    [
        (["hmm", "--observations", "3 1 3", "--compare", "algorithm=viterbi,forward", "--step", "4"],
         "First difference: v2(HOT) = .0384 (algorithm = viterbi), α2(HOT) = .0404 (algorithm = forward).",
         ["v2(COLD)", "α2(", ".064", ".069"]),  # a Greek letter is its own text run in SVG
        (["dependency", "--compare", "system=arc-standard,arc-eager", "--step", "5"],
         "Transition 1 differs: SHIFT (system = arc-standard), RIGHTARC(root) (system = arc-eager).",
         ["arc-standard: SHIFT: move 'morning'", "arc-eager: SHIFT: move 'morning'"]),
        (["ngram", "--sentence", "I am Sam am", "--compare", "smoothing=mle,laplace,kneser-ney",
          "--step", "3"],
         "Factor 4, 'Sam am': smoothing = mle gives it 0 (an unseen bigram), "
         "smoothing = laplace, smoothing = kneser-ney do not.",
         ["smoothing = mle", "smoothing = laplace", "smoothing = kneser-ney", "P(Sam | am)"]),
    ],
)  # fmt: skip
def test_export_compare_shows_the_variants_at_one_shared_step(tmp_path, arguments, difference, texts):
    output = tmp_path / "compare.svg"
    done = trellis("export", *arguments, "-o", str(output))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == difference
    svg = output.read_text()
    for text in [difference.split(":")[0], *texts]:
        assert text in svg, text


def test_export_compare_refuses_what_it_cannot_do(tmp_path):
    bad = trellis("export", "hmm", "--compare", "colour=red,blue", "-o", str(tmp_path / "x.png"))
    assert bad.returncode == 2 and "There is no input 'colour' to compare; the inputs are: " in bad.stderr
    bad = trellis("export", "hmm", "--compare", "algorithm=viterbi", "-o", str(tmp_path / "x.png"))
    assert bad.returncode == 2 and "--compare takes OPTION=V1,V2 or OPTION=V1,V2,V3" in bad.stderr
    bad = trellis("export", "hmm", "--compare", "algorithm=viterbi,forward", "-o", str(tmp_path / "x.gif"))
    assert bad.returncode == 2 and "--compare exports one step as PNG, SVG or PDF" in bad.stderr
    assert not list(tmp_path.iterdir())


def test_export_compare_blames_a_missing_input_file_not_the_output(tmp_path):
    missing = tmp_path / "absent.conllu"
    bad = trellis(
        "export", "dependency", "--conllu", str(missing), "--index", "1",
        "--compare", "system=arc-standard,arc-eager", "-o", str(tmp_path / "x.png"),
    )  # fmt: skip
    assert bad.returncode == 2
    assert "could not write" not in bad.stderr and str(missing.name) in bad.stderr
    assert not (tmp_path / "x.png").exists()
