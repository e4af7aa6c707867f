"""The CoNLL-U reader: multiword tokens, empty nodes, progress, cancel, bad files."""

import pytest

from algorithms.corpora import read_tagged_conllu

SAMPLE = """# text = I can't go.
1\tI\tI\tPRON\tPRP\t_\t3\tnsubj\t_\t_
2-3\tcan't\t_\t_\t_\t_\t_\t_\t_\t_
2\tca\tcan\tAUX\tMD\t_\t4\taux\t_\t_
3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_
4\tgo\tgo\tVERB\tVB\t_\t0\troot\t_\t_
4.1\tgone\tgo\tVERB\tVBN\t_\t_\t_\t4:conj\t_
5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_

1\tHi\thi\tINTJ\tUH\t_\t0\troot\t_\t_

"""


def test_reads_words_and_tags_skipping_ranges_and_empty_nodes(tmp_path):
    path = tmp_path / "sample.conllu"
    path.write_text(SAMPLE, encoding="utf-8")
    upos = read_tagged_conllu(path)
    assert upos == [
        [("I", "PRON"), ("ca", "AUX"), ("n't", "PART"), ("go", "VERB"), (".", "PUNCT")],
        [("Hi", "INTJ")],
    ]
    assert [tag for _, tag in read_tagged_conllu(path, "xpos")[0]] == ["PRP", "MD", "RB", "VB", "."]


def test_progress_reaches_one_and_cancel_stops(tmp_path):
    path = tmp_path / "many.conllu"
    path.write_text(SAMPLE * 300, encoding="utf-8")
    seen = []
    read_tagged_conllu(path, progress=seen.append)
    assert seen[-1] == 1.0 and len(seen) > 2 and seen == sorted(seen)
    with pytest.raises(InterruptedError):
        read_tagged_conllu(path, cancelled=lambda: True)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "Cannot read"),
        (b"\xff\xfe\x00binary", "is not a UTF-8 text file"),
        ("just some prose\n\n", "is not valid CoNLL-U|holds no CoNLL-U sentences"),
        ("1\tdog\tdog\t_\tNN\t_\t0\troot\t_\t_\n\n", "without a UPOS tag"),
    ],
)
def test_bad_files_get_one_sentence(tmp_path, content, message):
    path = tmp_path / "bad.conllu"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        read_tagged_conllu(path)
    with pytest.raises(ValueError, match="tag column must be one of upos, xpos"):
        read_tagged_conllu(path, "lemma")
