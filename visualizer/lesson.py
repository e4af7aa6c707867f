"""Lesson files: a panel, its inputs and a step, saved so a demo reopens where it was.

A lesson is small JSON (never pickle, never eval)::

    {"format": "trellis-lesson", "version": 1, "panel": "edit-distance",
     "inputs": {...}, "step": 57, "quiz": {"predict": true, "ask": "phase"}}

``quiz`` (optional) holds the Predict settings, so a teacher can prepare a
"predict the backtrace" lesson.

Reading validates everything and raises :class:`LessonError` with one
sentence; writing is atomic.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

from visualizer.files import atomic_write_text

__all__ = ["Lesson", "LessonError", "load_lesson", "save_lesson", "LESSON_FORMAT", "LESSON_VERSION"]

LESSON_FORMAT = "trellis-lesson"
LESSON_VERSION = 1
_MAX_BYTES = 5_000_000
_MAX_STEP = 10**9
_MIN_ZOOM, _MAX_ZOOM = 0.05, 8.0  # the view's own range


class LessonError(ValueError):
    """A lesson file that cannot be used, said in one sentence."""


@dataclass
class Lesson:
    panel: str
    inputs: dict[str, Any]
    step: int = 0
    view: dict[str, Any] = field(default_factory=dict)  # zoom and the like; optional
    #: Predict settings, e.g. {"predict": true, "ask": "phase"} ("predict the backtrace"); optional.
    quiz: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        payload = {
            "format": LESSON_FORMAT,
            "version": LESSON_VERSION,
            "panel": self.panel,
            "inputs": self.inputs,
            "step": self.step,
            "view": self.view,
            **({"quiz": self.quiz} if self.quiz else {}),
        }
        return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def save_lesson(path: str | os.PathLike[str], lesson: Lesson) -> None:
    """Write ``lesson`` to ``path`` atomically."""
    atomic_write_text(path, lesson.to_json())


def load_lesson(path: str | os.PathLike[str]) -> Lesson:
    """Read and check a lesson file; LessonError says what is wrong."""
    name = os.path.basename(os.fspath(path))
    try:
        if os.path.getsize(path) > _MAX_BYTES:
            raise LessonError(
                f"{name} is larger than {_MAX_BYTES // 1_000_000} MB, too big for a lesson file."
            )
        with open(path, encoding="utf-8") as stream:
            payload = json.load(stream)
    except FileNotFoundError:
        raise LessonError(f"There is no file {name}.") from None
    except UnicodeDecodeError:
        raise LessonError(f"{name} is not a text file, so it cannot be a Trellis lesson.") from None
    except json.JSONDecodeError as problem:
        raise LessonError(
            f"{name} is not valid JSON (line {problem.lineno}, column {problem.colno}: {problem.msg})."
        ) from None
    except RecursionError:
        raise LessonError(f"{name} nests its JSON too deeply to be a Trellis lesson.") from None
    except OSError as problem:
        raise LessonError(f"{name} could not be read: {problem.strerror or problem}.") from None
    return _lesson_from(payload, name)


def _lesson_from(payload: Any, name: str) -> Lesson:
    if not isinstance(payload, dict) or payload.get("format") != LESSON_FORMAT:
        raise LessonError(f'{name} is not a Trellis lesson (its "format" is not "{LESSON_FORMAT}").')
    version = payload.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= LESSON_VERSION:
        readable = "version 1" if LESSON_VERSION == 1 else f"versions 1 to {LESSON_VERSION}"
        raise LessonError(f"{name} is lesson version {version!r}; this Trellis reads {readable}.")
    panel = payload.get("panel")
    if not isinstance(panel, str) or not panel:
        raise LessonError(f'{name} does not say which panel it is for ("panel" is missing).')
    inputs = payload.get("inputs")
    if not isinstance(inputs, dict):
        raise LessonError(f'{name} has no "inputs" object.')
    step = payload.get("step", 0)
    if isinstance(step, bool) or not isinstance(step, int) or not 0 <= step <= _MAX_STEP:
        raise LessonError(f"{name} has step {step!r}; a step is a whole number from 0 to {_MAX_STEP:,}.")
    view = payload.get("view", {})
    if not isinstance(view, dict):
        raise LessonError(
            f'{name} has a "view" that is not an object (it holds the zoom, like {{"zoom": 1.5}}).'
        )
    zoom = view.get("zoom", 1.0)
    if isinstance(zoom, bool) or not isinstance(zoom, int | float) or not _MIN_ZOOM <= zoom <= _MAX_ZOOM:
        raise LessonError(f"{name} has zoom {zoom!r}; a zoom is a number from {_MIN_ZOOM} to {_MAX_ZOOM}.")
    quiz = payload.get("quiz", {})
    modes = ("every", "group", "phase", "random")
    if (
        not isinstance(quiz, dict)
        or not isinstance(quiz.get("predict", False), bool)
        or quiz.get("ask", "every") not in modes
    ):
        raise LessonError(
            f'{name} has a "quiz" that is not {{"predict": true or false, "ask": one of {", ".join(modes)}}}.'
        )
    return Lesson(panel=panel, inputs=inputs, step=step, view=view, quiz=quiz)
