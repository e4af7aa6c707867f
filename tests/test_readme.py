"""The README cannot drift: its notebook block runs as a doctest and each of its `trellis` commands runs.

The commands run in-process (``visualizer.__main__.main``) in a scratch folder where the
README's file names exist: the UD English EWT files from ``../shared/data`` (the test is
skipped without them), ``my-grammar.cfg`` (a grammar of "the dog saw a cat"), and the
``parser`` model that the README's own ``trellis train-parser`` line writes. The one change
made to a command: ``train-parser`` runs 1 epoch instead of 8, to keep the suite quick; it is
the same code path.
"""

from __future__ import annotations

import doctest
import os
import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DATA = ROOT.parent / "shared" / "data" / "ud-english-ewt"

needs_data = pytest.mark.skipif(
    not DATA.exists(), reason=f"the README's examples read UD English EWT from {DATA}"
)


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    for name in ("en_ewt-ud-dev.conllu", "en_ewt-ud-test.conllu"):
        (tmp_path / name).symlink_to(DATA / name)
    own = "S -> NP VP\nNP -> Det N\nVP -> V NP\nDet -> 'the' | 'a'\nN -> 'dog' | 'cat'\nV -> 'saw'\n"
    (tmp_path / "my-grammar.cfg").write_text(own, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


def readme_commands() -> list[str]:
    """Every `trellis export …` / `trellis train-parser …` line of the README, in order."""
    text = "\n".join(_blocks("bash"))
    text = re.sub(r"\\\n\s*", " ", text)  # join continued lines
    commands = [line.split("#")[0].strip() for line in text.splitlines()]
    commands = [c for c in commands if c.startswith(("trellis export", "trellis train-parser"))]
    inline = re.findall(r"`(trellis (?:export|train-parser)[^`]*)`", README)
    return list(dict.fromkeys(commands + inline))


def test_the_readme_names_every_kind_of_command():
    commands = readme_commands()
    assert len(commands) >= 15
    for panel in ("edit-distance", "hmm", "cky", "ngram", "embeddings", "dependency"):
        assert any(f"export {panel} " in c for c in commands), panel
    assert commands.index(next(c for c in commands if "train-parser" in c)) < commands.index(
        next(c for c in commands if "--mode model" in c)
    )


@needs_data
def test_every_readme_command_runs_and_writes_its_file(scratch, qapp, capsys):
    from visualizer.__main__ import main

    for command in readme_commands():
        arguments = shlex.split(command)[1:]
        if arguments[0] == "train-parser":
            arguments += ["--epochs", "1"]
        code = main(arguments)
        out, err = capsys.readouterr()
        assert code == 0, f"{command}\n{err}"
        if "--list-parts" in arguments:  # prints what the comment beside it says
            (line,) = [line for line in README.splitlines() if command in line and "#" in line]
            comment = line.partition("#")[2].strip()
            assert [listed.split()[0] for listed in out.splitlines()] == comment.split(", ")
            continue
        output = arguments[arguments.index("-o") + 1]
        written = (
            [Path(output)] if arguments[0] == "export" else [Path(output + ".npz"), Path(output + ".json")]
        )
        for path in written:
            assert path.stat().st_size > 0, command
            os.remove(path) if arguments[0] == "export" else None


@needs_data
def test_the_notebook_block_runs_and_prints_what_it_shows(scratch):
    (block,) = _blocks("pycon")
    test = doctest.DocTestParser().get_doctest(block, {}, "README notebook block", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    failures = []
    runner.run(test, out=failures.append)
    assert runner.failures == 0, "".join(failures)
    assert runner.tries >= 60
    assert (scratch / "parser.npz").exists() and (scratch / "parser.json").exists()
