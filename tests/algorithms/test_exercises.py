"""Exercise generation (issue 14, item 3): deterministic per seed, of the stated size, always solvable."""

import pytest

from algorithms.cfg import Grammar
from algorithms.cky import cky
from algorithms.dependency import read_conllu
from algorithms.exercises import DIFFICULTY, EXERCISE_GRAMMAR, EXERCISE_PANELS, make_exercise
from algorithms.hmm import HMM


@pytest.mark.parametrize("panel", EXERCISE_PANELS)
def test_the_same_seed_gives_the_same_exercise_and_seeds_differ(panel):
    for level in ("easy", "medium", "hard"):
        assert make_exercise(panel, 11, level) == make_exercise(panel, 11, level)
        titles = {repr((e.inputs, e.files)) for e in (make_exercise(panel, s, level) for s in range(12))}
        assert len(titles) >= 6, (panel, level)  # different seeds, different inputs


def test_sizes_follow_the_difficulty():
    for seed in range(20):
        sizes = {
            level: (len(e.inputs["source"]), len(e.inputs["target"]))
            for level in ("easy", "medium", "hard")
            for e in [make_exercise("edit-distance", seed, level)]
        }
        assert sizes == {"easy": (4, 5), "medium": (6, 7), "hard": (7, 8)}
        assert make_exercise("edit-distance", seed, "hard").inputs["transpositions"] is True
        for level, length in (("easy", 3), ("medium", 4), ("hard", 4)):
            hmm_inputs = make_exercise("hmm", seed, level).inputs
            assert len(hmm_inputs["observations"].split()) == length
            model = HMM.from_dict(hmm_inputs["model"]["hmm"])  # valid: rows sum to 1
            for row in (model.start, *model.transition, *model.emission):
                assert all(round(p * 10) == p * 10 and p >= 0.1 for p in row.tolist())  # one decimal


def test_every_cky_sentence_is_in_the_grammar():
    grammar = Grammar.from_string(EXERCISE_GRAMMAR)
    assert grammar.cnf_violation() is None  # no conversion steps before the chart
    for seed in range(40):
        for level, length in (("easy", 4), ("medium", 5), ("hard", 7)):
            words = make_exercise("cky", seed, level).inputs["sentence"].split()
            assert len(words) == length
            assert cky(grammar, words).recognized, words


def test_every_dependency_tree_is_projective_and_of_its_size(tmp_path):
    for seed in range(30):
        for level, size in (("easy", 4), ("medium", 6), ("hard", 6)):
            exercise = make_exercise("dependency", seed, level)
            path = tmp_path / "tree.conllu"
            path.write_text(exercise.files["tree.conllu"])
            (tree,) = read_conllu(str(path))
            assert len(tree) == size and tree.is_projective()
            assert exercise.inputs["system"] == ("arc-eager" if level == "hard" else "arc-standard")


def test_bad_requests_are_one_sentence():
    with pytest.raises(ValueError, match="There are exercises for edit-distance, hmm, cky"):
        make_exercise("spelling", 1)
    with pytest.raises(ValueError, match="The difficulty is one of easy, medium, hard; got 'extreme'"):
        make_exercise("hmm", 1, "extreme")
    with pytest.raises(ValueError, match="The seed is a whole number from 0"):
        make_exercise("hmm", -1)
    assert set(DIFFICULTY) == set(EXERCISE_PANELS)


def test_backpropagation_exercises_are_graphs_with_nonzero_inputs():
    from algorithms.neural import Graph
    from visualizer.marks.neural import parse_values

    for seed in range(30):
        for level in ("easy", "medium", "hard"):
            inputs = make_exercise("neural", seed, level).inputs
            values = parse_values(inputs["values"])
            assert values and all(v != 0 for v in values.values())
            graph = Graph.from_expression(inputs["expression"], **values).backward()
            assert all(graph.grad(name) == graph.grad(name) for name in values)  # every input has a gradient
            if level == "easy":
                assert all(v == int(v) for v in values.values())  # whole numbers for a first graph


def test_every_earley_exercise_sentence_is_in_the_grammar_and_of_its_length():
    from algorithms.parse_search import earley

    grammar = Grammar.from_string(EXERCISE_GRAMMAR)
    for seed in range(30):
        for level, length in (("easy", 4), ("medium", 5), ("hard", 6)):
            inputs = make_exercise("parse-search", seed, level).inputs
            words = inputs["sentence"].split()
            assert len(words) == length and inputs["strategy"] == "earley"
            assert earley(grammar, words).recognized


def test_bpe_exercises_learn_their_number_of_merges_from_four_words():
    from algorithms.bpe import learn_bpe

    for seed in range(30):
        for level, merges in (("easy", 4), ("medium", 6), ("hard", 8)):
            inputs = make_exercise("text", seed, level).inputs
            model = learn_bpe(inputs["text"], merges=inputs["merges"])
            assert inputs["view"] == "bpe" and len(model.merges) == merges == inputs["merges"]
            assert len(model.word_counts) == 4
