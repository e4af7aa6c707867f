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
        (
            b"\xff\xfe\x00binary",
            r"bad.conllu, line 1: byte 0xff is not UTF-8 text; save the file as UTF-8\.$",
        ),
        (
            "just some prose\n\n",
            r"line 1: a word line has 10 columns separated by tabs .*; this one has 1\.$",
        ),
        (
            "1\tdog\tdog\t_\tNN\t_\t0\troot\t_\t_\n\n",
            r"bad.conllu, line 1: the word 'dog' has no UPOS tag\.$",
        ),
        (
            "# c\n1\tI\tI\tPRON\t_\t_\t2\tnsubj\t_\t_\n1\tsee\tsee\tVERB\t_\t_\t0\troot\t_\t_\n",
            r"line 3: the word id is 1, but it should be 2; ids count the words of each sentence 1, 2, 3",
        ),
        ("5\tI\tI\tPRON\t_\t_\t0\troot\t_\t_\n", r"line 1: the word id is 5, but it should be 1;"),
        ("1\tCafé\n".encode("latin-1"), r"line 1: byte 0xe9 is not UTF-8 text"),
        (
            "1\tdog\n",
            r"line 1: a word line has 10 columns separated by tabs \(ID FORM .* MISC\); this one has 2\.",
        ),
    ],
)
def test_bad_files_get_one_sentence(tmp_path, content, message):
    path = tmp_path / "bad.conllu"
    if isinstance(content, bytes):  # noqa: SIM114
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        read_tagged_conllu(path)
    with pytest.raises(ValueError, match="tag column must be one of upos, xpos"):
        read_tagged_conllu(path, "lemma")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("1\tdog\n", r"line 1: a word line has 10 columns .* this one has 2\.$"),  # was KeyError: 'head'
        ("1\tCafé\t_\tNOUN\t_\t_\t0\troot\t_\t_\n".encode("latin-1"), r"line 1: byte 0xe9 is not UTF-8"),
        (
            "1\tI\tI\tPRON\t_\t_\t_\tnsubj\t_\t_\n2\tgo\tgo\tVERB\t_\t_\t0\troot\t_\t_\n",
            r"line 1: the word 'I' has no head \('_'\); every word of a dependency tree needs one\.$",
        ),
        (
            "1\tI\tI\tPRON\t_\t_\t0\troot\t_\t_\n2\tgo\tgo\tVERB\t_\t_\t0\troot\t_\t_\n",
            r"the sentence on line 1: Words 1 \('I'\), 2 \('go'\) all have head 0; "
            r"a dependency tree has exactly one root\.",
        ),
    ],
)
def test_the_dependency_reader_shares_the_one_reader_and_its_sentences(tmp_path, content, message):
    from algorithms.dependency import read_conllu

    path = tmp_path / "bad.conllu"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        read_conllu(str(path))


def test_a_byte_order_mark_and_windows_line_ends_are_read(tmp_path):
    path = tmp_path / "bom.conllu"
    path.write_bytes("\ufeff1\tHi\thi\tINTJ\t_\t_\t0\troot\t_\t_\r\n\r\n".encode())
    assert read_tagged_conllu(path) == [[("Hi", "INTJ")]]
