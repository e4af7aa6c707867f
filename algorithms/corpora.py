"""Readers for real corpus formats, shared by the engines.

CoNLL-U is parsed with the ``conllu`` package; multiword-token ranges
(``3-4``) and empty nodes (``8.1``) are skipped, so every returned sentence
is the sequence of syntactic words that carry the tags.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

__all__ = ["read_tagged_conllu", "TAG_COLUMNS"]

#: The tag columns a tagger can be trained on, by the name users pick.
TAG_COLUMNS = ("upos", "xpos")


def read_tagged_conllu(
    path: str | os.PathLike[str],
    column: str = "upos",
    progress: Callable[[float], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[list[tuple[str, str]]]:
    """Sentences of ``(word form, tag)`` pairs from a CoNLL-U file.

    ``column`` is ``"upos"`` or ``"xpos"``. ``progress`` is called with the
    fraction of the file read; when ``cancelled()`` turns true the read stops
    with :class:`InterruptedError`. A file that is missing, not UTF-8, or not
    CoNLL-U raises ValueError with one sentence naming the problem.
    """
    if column not in TAG_COLUMNS:
        raise ValueError(f"The tag column must be one of {', '.join(TAG_COLUMNS)}; got {column!r}.")
    import conllu  # imported here: only training needs it

    name = os.fspath(path)
    try:
        size = max(1, os.path.getsize(name))
        handle = open(name, encoding="utf-8")  # noqa: SIM115 (closed below, read incrementally)
    except OSError as problem:
        raise ValueError(f"Cannot read {name}: {problem.strerror or problem}.") from None
    sentences: list[list[tuple[str, str]]] = []
    try:
        with handle:
            for number, token_list in enumerate(_parse(conllu, handle, name), start=1):
                if cancelled is not None and cancelled():
                    raise InterruptedError("reading was cancelled")
                sentence = _tagged_words(token_list, column, name, number)
                if sentence:
                    sentences.append(sentence)
                if progress is not None and number % 200 == 0:
                    progress(min(1.0, handle.buffer.tell() / size))
    except UnicodeDecodeError:
        raise ValueError(f"{name} is not a UTF-8 text file.") from None
    if not sentences:
        raise ValueError(f"{name} holds no CoNLL-U sentences with {column.upper()} tags.")
    if progress is not None:
        progress(1.0)
    return sentences


def _parse(conllu_module, handle, name: str) -> Iterator:
    try:
        yield from conllu_module.parse_incr(handle)
    except conllu_module.exceptions.ParseException as problem:
        raise ValueError(f"{name} is not valid CoNLL-U: {problem}.") from None


def _tagged_words(token_list, column: str, name: str, number: int) -> list[tuple[str, str]]:
    words = []
    for token in token_list:
        if not isinstance(token["id"], int):  # "3-4" ranges and "8.1" empty nodes carry no tag of their own
            continue
        tag = token.get(column)
        if tag in (None, "_", ""):
            raise ValueError(
                f"Sentence {number} of {name} has the word {token['form']!r} without a {column.upper()} tag."
            )
        words.append((str(token["form"]), str(tag)))
    return words
