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
