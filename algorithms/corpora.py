"""Readers for real corpus formats, shared by the engines.

CoNLL-U is parsed with the ``conllu`` package; multiword-token ranges
(``3-4``) and empty nodes (``8.1``) are skipped, so every returned sentence
is the sequence of syntactic words that carry the tags.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from algorithms.progress import Cancelled, Progress, stop_if_cancelled

__all__ = ["read_tagged_conllu", "read_conllu_sentences", "ConlluWord", "ConlluSentence", "TAG_COLUMNS"]

#: The tag columns a tagger can be trained on, by the name users pick.
TAG_COLUMNS = ("upos", "xpos")
_COLUMNS = "ID FORM LEMMA UPOS XPOS FEATS HEAD DEPREL DEPS MISC"


@dataclass(frozen=True)
class ConlluWord:
    """One syntactic word of a CoNLL-U sentence, with the file line it came from."""

    id: int
    form: str
    upos: str | None
    xpos: str | None
    head: int | None  # None where the file has "_"
    deprel: str | None
    line: int


@dataclass(frozen=True)
class ConlluSentence:
    """The syntactic words of one sentence (ranges ``3-4`` and empty nodes ``8.1`` left out)."""

    words: tuple[ConlluWord, ...]
    line: int  # the sentence's first line in the file


def read_conllu_sentences(
    path: str | os.PathLike[str],
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> list[ConlluSentence]:
    """Every sentence of a CoNLL-U file: the one reader behind the tagger and the dependency parser.

    Blocks are split here, so each problem can name its line, and each block is
    parsed by the ``conllu`` package. A missing file, bytes that are not UTF-8, a
    word line without its 10 tab-separated columns, or word ids that do not count
    1, 2, 3 … give ValueError with one sentence naming the file and the line.
    ``progress`` gets the fraction read; ``cancelled()`` stops with InterruptedError.
    """
    import conllu.parser  # imported here: only reading a treebank needs it

    name = os.fspath(path)
    try:
        size = max(1, os.path.getsize(name))
        # A 4 MB buffer, not 8 KB: each read releases and re-takes the GIL, and in a worker thread
        # 1,600 small reads starved the GUI thread of it for 0.2–0.5 s at a time (the convoy effect).
        handle = open(name, "rb", buffering=1 << 22)  # noqa: SIM115 (closed below, read incrementally)
    except OSError as problem:
        raise ValueError(f"Cannot read {name}: {problem.strerror or problem}.") from None
    sentences: list[ConlluSentence] = []
    block: list[tuple[int, str]] = []
    read = 0
    with handle:
        for number, raw in enumerate(handle, start=1):
            read += len(raw)
            line = _decode(raw, name, number).rstrip("\r\n")
            if line.strip():
                block.append((number, line))
                continue
            if block:
                sentences.extend(_sentence(conllu.parser, block, name))
                block = []
                stop_if_cancelled(cancelled, "reading")
                if progress is not None and len(sentences) % 200 == 0:
                    progress(min(1.0, read / size))
        if block:
            sentences.extend(_sentence(conllu.parser, block, name))
    if progress is not None:
        progress(1.0)
    return sentences


def _decode(raw: bytes, name: str, number: int) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as problem:
        bad = raw[problem.start : problem.start + 1].hex()
        raise ValueError(
            f"{name}, line {number}: byte 0x{bad} is not UTF-8 text; save the file as UTF-8."
        ) from None
    return text.lstrip("\ufeff") if number == 1 else text


def _sentence(parser: Any, block: list[tuple[int, str]], name: str) -> list[ConlluSentence]:
    token_lines = [(number, line) for number, line in block if not line.startswith("#")]
    for number, line in token_lines:
        columns = line.split("\t")
        if len(columns) != 10:
            raise ValueError(
                f"{name}, line {number}: a word line has 10 columns separated by tabs ({_COLUMNS}); "
                f"this one has {len(columns)}."
            )
        head = columns[6]
        if head != "_" and not head.isdigit():
            raise ValueError(f"{name}, line {number}: the head {head!r} is not a word number (or _).")
    if not token_lines:
        return []
    try:
        tokens = parser.parse_token_and_metadata("\n".join(line for _, line in block))
    except Exception as problem:  # the conllu package's own errors, in its words
        where = f"{name}, line {block[0][0]}"
        raise ValueError(f"{where}: this sentence is not valid CoNLL-U ({problem}).") from None
    words: list[ConlluWord] = []
    for (number, _), token in zip(token_lines, tokens, strict=True):
        word_id = token["id"]
        if not isinstance(word_id, int):  # "3-4" ranges and "8.1" empty nodes are not syntactic words
            continue
        if word_id != len(words) + 1:
            raise ValueError(
                f"{name}, line {number}: the word id is {word_id}, but it should be {len(words) + 1}; "
                "ids count the words of each sentence 1, 2, 3 …"
            )
        head = token["head"]
        if head is not None and not isinstance(head, int):
            raise ValueError(f"{name}, line {number}: the head {head!r} is not a word number.")
        form, upos, xpos, deprel = str(token["form"]), token["upos"], token["xpos"], token["deprel"]
        words.append(ConlluWord(word_id, form, upos, xpos, head, deprel, number))
    return [ConlluSentence(tuple(words), block[0][0])] if words else []


def read_tagged_conllu(
    path: str | os.PathLike[str],
    column: str = "upos",
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> list[list[tuple[str, str]]]:
    """Sentences of ``(word form, tag)`` pairs from a CoNLL-U file.

    ``column`` is ``"upos"`` or ``"xpos"``. ``progress`` is called with the
    fraction of the file read; when ``cancelled()`` turns true the read stops
    with :class:`InterruptedError`. A file that is missing, not UTF-8, or not
    CoNLL-U raises ValueError with one sentence naming the file and the line.
    """
    if column not in TAG_COLUMNS:
        raise ValueError(f"The tag column must be one of {', '.join(TAG_COLUMNS)}; got {column!r}.")
    name = os.fspath(path)
    tagged: list[list[tuple[str, str]]] = []
    for sentence in read_conllu_sentences(path, progress, cancelled):
        pairs = []
        for word in sentence.words:
            tag = word.upos if column == "upos" else word.xpos
            if tag in (None, "_", ""):
                where = f"{name}, line {word.line}"
                raise ValueError(f"{where}: the word {word.form!r} has no {column.upper()} tag.")
            pairs.append((word.form, str(tag)))
        tagged.append(pairs)
    if not tagged:
        raise ValueError(f"{name} holds no CoNLL-U sentences with {column.upper()} tags.")
    return tagged
