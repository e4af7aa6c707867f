"""Corpora for panels that train on text (language models, vector semantics): shipped and opened.

:data:`BUILTIN_CORPORA` names the corpora shipped in the package (read with
``importlib.resources``, so they work from an installed wheel).

A panel with a ``corpus_edit`` text box mixes in :class:`CorpusFileMixin` for
"Open corpus…": plain text is read as one sentence per line, CoNLL-U as the
word forms of each sentence (with the `conllu` reader), and a problem goes to
the panel's message line instead of a dialog or a traceback.
"""

from __future__ import annotations

from algorithms.files import read_text_file
from algorithms.resources import resource_text

__all__ = ["read_corpus_file", "CorpusFileMixin", "BUILTIN_CORPORA", "builtin_corpus"]

#: The corpora shipped with Trellis, by the name the panels show.
BUILTIN_CORPORA = {"slp3-toy": "slp3-toy.txt", "restaurant": "restaurant.txt"}


def builtin_corpus(name: str) -> str:
    """The text of a shipped corpus, one sentence per line."""
    return resource_text(f"corpora/{BUILTIN_CORPORA[name]}")


def read_corpus_file(path: str) -> str:
    """A corpus file as one sentence per line: plain text as is, CoNLL-U as its word forms."""
    if path.endswith(".conllu"):
        from algorithms.corpora import read_tagged_conllu

        return "\n".join(" ".join(word for word, _ in sentence) for sentence in read_tagged_conllu(path))
    return read_text_file(path, "corpus file")


class CorpusFileMixin:
    """``open_corpus`` (a file dialog) and ``load_corpus(path)`` for a panel with ``corpus_edit``."""

    _setting_inputs = False

    def open_corpus(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self, "Corpus", "", "Text or CoNLL-U (*.txt *.conllu);;All (*)")
        if path:
            self.load_corpus(path)

    def load_corpus(self, path: str) -> bool:
        """Read a corpus file into the editor and recompute; the message line says what went wrong."""
        try:
            text = read_corpus_file(path)
        except ValueError as problem:  # the reader's sentence names the file (and line)
            self.show_message(str(problem))
            return False
        self._setting_inputs = True  # a loaded file is not typing: no debounced recompute
        try:
            self.corpus_edit.setPlainText(text)
        finally:
            self._setting_inputs = False
        self.corpus_loaded()
        return self.run()

    def corpus_loaded(self) -> None:
        """Hook: the editor now holds a file's text (e.g. mark the source as "your text")."""
