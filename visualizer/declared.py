"""A panel's inputs declared once, as a frozen dataclass; everything else is derived from it.

Each field's metadata (made by :func:`text`, :func:`choice`, :func:`flag` or
:func:`number`) gives its label, help, range or choices and command-line
option. From that one declaration come:

* the JSON that lessons and settings save (:meth:`Inputs.to_json`), stamped
  with the class's ``SCHEMA`` number, and the reading of it
  (:meth:`Inputs.from_json`), which migrates older schemas and checks every
  field's type and range with one sentence naming the field;
* the `trellis export NAME` options and their ``--help``
  (:meth:`Inputs.add_arguments`, :meth:`Inputs.from_arguments`);
* the form's widgets (:class:`visualizer.form.DeclaredForm`).

Values the engine judges (a cost of -1, an unknown word) are left to the
engine's own checks when the panel computes, so no rule is written twice.
Orange's ``Setting`` and magicgui's signatures are the models.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

__all__ = ["Inputs", "InputSpec", "text", "choice", "flag", "number", "whole", "custom"]

InputsT = TypeVar("InputsT", bound="Inputs")


@dataclass(frozen=True)
class InputSpec:
    """What the form, the command line and the JSON reader know of one input."""

    label: str
    kind: str  # "text", "choice", "flag", "number", "whole" or "custom"
    help: str
    option: str | None = None  # the `trellis export` option, like "--source"; None: not on the command line
    choices: Mapping[str, str] = field(default_factory=dict)  # value -> label shown in the form
    switch: str | None = None  # a choice set by a bare option (``--words`` means mode="words")
    low: float = -math.inf
    high: float = math.inf
    typed_text: bool = False  # a number box may hold what the user typed, refused when computing
    placeholder: str = ""
    redraw_only: bool = False  # a view option: changing it redraws the step, it does not recompute
    in_form: bool = True  # False: set by the panel's own controls (a file it opened, moves it made)
    multiline: bool = False  # a text of many lines (a grammar, a corpus): an editor, not a line box
    check: Callable[[Any], Any] | None = None  # a "custom" field's reader: the value, or ValueError
    #: On the command line, a value not among ``builtins`` is a file name, read with ``reader``.
    builtins: tuple[str, ...] = ()
    reader: Callable[[str], str] | None = None


def _field(default: Any, spec: InputSpec) -> Any:
    return field(default=default, metadata={"input": spec})


def text(
    label: str,
    default: str,
    help: str,
    option: str | None = None,
    placeholder: str = "",
    multiline: bool = False,
    builtins: tuple[str, ...] = (),
    reader: Callable[[str], str] | None = None,
) -> Any:
    """A line of text (``multiline``: many lines, in a text editor).

    With ``reader``, the command-line option takes one of ``builtins`` or a file, which it reads.
    """
    spec = InputSpec(
        label,
        "text",
        help,
        option,
        placeholder=placeholder,
        multiline=multiline,
        builtins=builtins,
        reader=reader,
    )
    return _field(default, spec)


def choice(
    label: str,
    default: str,
    choices: Mapping[str, str],
    help: str,
    option: str | None = None,
    switch: str | None = None,
    redraw_only: bool = False,
) -> Any:
    """One of ``choices`` (value -> label); ``switch`` makes a bare ``--SWITCH`` option pick that value."""
    spec = InputSpec(label, "choice", help, option, dict(choices), switch=switch, redraw_only=redraw_only)
    return _field(default, spec)


def flag(label: str, default: bool, help: str, option: str | None = None, redraw_only: bool = False) -> Any:
    """On or off (JSON true/false; a bare option on the command line); ``redraw_only`` for a view option."""
    return _field(default, InputSpec(label, "flag", help, option, redraw_only=redraw_only))


def number(
    label: str,
    default: float,
    help: str,
    option: str | None = None,
    low: float = -math.inf,
    high: float = math.inf,
    typed_text: bool = False,
) -> Any:
    """A finite number from ``low`` to ``high``; with ``typed_text`` the form may hold unfinished text."""
    return _field(
        default, InputSpec(label, "number", help, option, low=low, high=high, typed_text=typed_text)
    )


def whole(
    label: str, default: int, help: str, option: str | None = None, low: int = 0, high: int = 10**9,
    in_form: bool = True, redraw_only: bool = False,
) -> Any:  # fmt: skip
    """A whole number from ``low`` to ``high`` (a JSON 3.0 counts; 3.5, "3" and true do not)."""
    spec = InputSpec(
        label, "whole", help, option, low=low, high=high, in_form=in_form, redraw_only=redraw_only
    )
    return _field(default, spec)


def custom(
    label: str,
    default: Any,
    help: str,
    check: Callable[[Any], Any],
    option: str | None = None,
    builtins: tuple[str, ...] = (),
    reader: Callable[[str], str] | None = None,
) -> Any:
    """A value only the panel's own controls set (a list of moves); ``check`` reads it from JSON."""
    spec = InputSpec(
        label, "custom", help, option, in_form=False, check=check, builtins=builtins, reader=reader
    )
    return _field(default, spec)


def _shown(value: object) -> str:
    shown = " ".join(repr(value).split())
    return shown if len(shown) <= 40 else shown[:37] + "..."


@dataclass(frozen=True)
class Inputs:
    """Base of every panel's inputs dataclass (subclasses are ``@dataclass(frozen=True)``)."""

    #: The panel name used in sentences ("The edit-distance input ...").
    WHAT: ClassVar[str] = "panel"
    #: The JSON schema this class writes; :meth:`migrate` brings older ones up to it.
    SCHEMA: ClassVar[int] = 1

    # -- the declaration -----------------------------------------------------------------
    @classmethod
    def specs(cls) -> dict[str, InputSpec]:
        """Each field's :class:`InputSpec`, in declaration order."""
        return {f.name: f.metadata["input"] for f in dataclasses.fields(cls) if "input" in f.metadata}

    # -- JSON (lessons, settings, examples) ------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        """Plain JSON values, stamped with the schema they follow."""
        return {"schema": self.SCHEMA, **_plain_json(dataclasses.asdict(self))}

    @classmethod
    def migrate(cls, values: dict[str, Any], schema: int) -> dict[str, Any]:
        """Inputs written under ``schema`` (older than :attr:`SCHEMA`) rewritten in today's form."""
        return values

    @classmethod
    def from_json(cls: type[InputsT], values: object) -> InputsT:
        """Read and check inputs from JSON; ValueError naming the field of any problem.

        Inputs without a ``"schema"`` are the first schema (lessons written before it existed).
        Keys this class does not know are ignored, and a missing key takes its default.
        """
        if not isinstance(values, dict):
            raise ValueError(f"The {cls.WHAT} inputs must be a JSON object of names and values.")
        schema = values.get("schema", 1)
        if isinstance(schema, bool) or not isinstance(schema, int) or not 1 <= schema <= cls.SCHEMA:
            raise ValueError(
                f"These {cls.WHAT} inputs follow schema {_shown(schema)}; this Trellis reads schemas "
                f"1 to {cls.SCHEMA} (a newer Trellis wrote them)."
            )
        if schema < cls.SCHEMA:
            values = cls.migrate(dict(values), schema)
        checked = {}
        for name, spec in cls.specs().items():
            if name in values:
                checked[name] = _checked(cls.WHAT, name, spec, values[name])
        return cls(**checked)

    # -- the command line --------------------------------------------------------------
    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        """One `trellis export` option per field that has one, with the field's help and default."""
        defaults = cls()
        for name, spec in cls.specs().items():
            if spec.option is None:
                continue
            default = getattr(defaults, name)
            if spec.reader is not None:
                names = ", ".join(spec.builtins)
                parser.add_argument(
                    spec.option, default=default, dest=name,
                    help=f"{spec.help}: a built-in one ({names}) or a file (default: {default})",
                )  # fmt: skip
            elif spec.kind == "flag" or spec.switch is not None:
                parser.add_argument(spec.option, action="store_true", dest=name, help=spec.help)
            elif spec.kind == "choice":
                parser.add_argument(
                    spec.option, choices=list(spec.choices), default=default, dest=name, help=spec.help
                )
            else:
                shown = _plain(default)
                parser.add_argument(
                    spec.option, default=shown, dest=name, metavar=name.split("_")[-1].upper(),
                    help=f"{spec.help} (default {shown or 'empty'})",
                )  # fmt: skip

    @classmethod
    def from_arguments(cls, arguments: argparse.Namespace) -> dict[str, Any]:
        """Parsed `trellis export` options as JSON inputs (checked later, as any JSON is)."""
        values: dict[str, Any] = {"schema": cls.SCHEMA}
        for name, spec in cls.specs().items():
            if spec.option is None or not hasattr(arguments, name):
                continue
            given = getattr(arguments, name)
            if spec.reader is not None:
                values[name] = given if given in spec.builtins else spec.reader(given)
            elif spec.switch is not None:
                values[name] = spec.switch if given else getattr(cls(), name)
            elif spec.kind == "number":
                values[name] = _number_or_text(given)
            elif spec.kind == "whole" and isinstance(given, str):
                values[name] = int(given) if given.strip().lstrip("-").isdigit() else given
            else:
                values[name] = given
        return values


def _plain_json(value: Any) -> Any:
    """Tuples (the frozen form of a list) as JSON lists, all the way down."""
    if isinstance(value, dict):
        return {key: _plain_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain_json(item) for item in value]
    return value


def _plain(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _number_or_text(value: str) -> float | str:
    try:
        return float(value)
    except ValueError:
        return value


def _checked(what: str, name: str, spec: InputSpec, value: Any) -> Any:
    def refuse(should: str) -> ValueError:
        return ValueError(f'The {what} input "{name}" must be {should}; got {_shown(value)}.')

    if spec.kind == "text":
        if not isinstance(value, str):
            raise refuse("text")
    elif spec.kind == "choice":
        if not isinstance(value, str) or value not in spec.choices:
            raise refuse("one of " + ", ".join(spec.choices))
    elif spec.kind == "flag":
        if not isinstance(value, bool):  # never bool("false"), which is True
            raise refuse("true or false")
    elif spec.kind == "number":
        if isinstance(value, str) and spec.typed_text:
            return value  # what the user typed: the computation says what is wrong with it
        bounded = math.isfinite(spec.low) and math.isfinite(spec.high)
        should = f"a number from {spec.low:g} to {spec.high:g}" if bounded else "a number"
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise refuse(should)
        if not spec.low <= value <= spec.high:
            raise refuse(should)
        return float(value)
    elif spec.kind == "whole":
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not spec.low <= value <= spec.high:
            raise refuse(f"a whole number from {spec.low:,.0f} to {spec.high:,.0f}")
    elif spec.kind == "custom" and spec.check is not None:
        return spec.check(value)
    return value
