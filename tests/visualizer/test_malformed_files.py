"""Every malformed file in tests/data/malformed gets its one expected sentence (issue item 20).

Each file goes the way a user's would: grammars, HMM models, CoNLL-U, parser models and corpora
through `trellis export` (in-process, exit code 2, nothing written); lessons through File → Open
lesson; treebanks through the CKY panel's "Estimate from treebank…"; settings files through a
starting window. ``expected.json`` holds each file's sentence, with ``{folder}`` for the folder.
"""

from __future__ import annotations

import json

import pytest

from tests.visualizer.malformed_paths import FOLDER, message_for

EXPECTED = json.loads((FOLDER / "expected.json").read_text(encoding="utf-8"))


def test_the_corpus_holds_at_least_forty_files_of_every_kind():
    files = {p.name for p in FOLDER.iterdir() if p.name != "expected.json"}
    assert files == set(EXPECTED) and len(files) >= 40
    kinds = {name.split("-")[0] for name in files}
    assert kinds == {"grammar", "hmm", "conllu", "trees", "lesson", "parser", "settings", "corpus"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_malformed_file_is_refused_in_its_one_sentence(window, name):
    code, said = message_for(FOLDER / name, window)
    assert code != 0
    said = said.strip().replace(str(FOLDER), "{folder}")
    assert said == EXPECTED[name]
    assert "\n" not in said and "Traceback" not in said and "Error:" not in said
