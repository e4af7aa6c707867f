"""Computation graphs (SLP3 §7.4.1): a typed expression, its forward pass and its backward pass, node by node.

``Graph.from_expression("L = c * (a + 2 * b)", a=3, b=1, c=-2)`` **parses** the text
with :mod:`ast` (it is never evaluated) into nodes for + − × ÷, powers with a number
as the exponent, unary minus, and the functions exp, log, tanh, sigmoid and relu, over
the named inputs. Anything else (a call of another function, an attribute, a name
with no value, a comparison…) is refused in one sentence naming it.

:meth:`Graph.forward` computes one operation node a step, in the order the expression
is evaluated; :meth:`Graph.backward` then seeds ∂L/∂L = 1 and walks the nodes in
reverse, one step per edge: the upstream gradient times the local derivative, added
to the input's gradient (a variable used twice collects two terms). Intermediate nodes
are named as SLP3 names them: the first free letters (d = 2·b, e = a + d).

The graph is :class:`~algorithms.trace.Stepwise` over the steps run so far, so the
panel scrubs it like every other trace.
"""

from __future__ import annotations

import ast
import math
import string
from collections.abc import Callable
from dataclasses import dataclass

from algorithms.quiz import Question, number_question
from algorithms.trace import (
    Phase,
    State,
    StepEvent,
    StepwiseResult,
    Trace,
    format_number,
    line_for_event,
)

__all__ = [
    "Graph",
    "GraphNode",
    "GraphState",
    "ForwardNode",
    "SeedGradient",
    "BackwardEdge",
    "GRAPH_PSEUDOCODE",
    "FUNCTIONS",
]

_SYMBOLS = {ast.Add: "+", ast.Sub: "−", ast.Mult: "×", ast.Div: "÷", ast.Pow: "^"}
#: The functions an expression may call, each with one argument.
FUNCTIONS = ("exp", "log", "tanh", "sigmoid", "relu")


def _sigmoid(x: float) -> float:
    # Written for both signs so that a large |x| never overflows exp.
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _log(x: float) -> float:
    if x <= 0:
        raise ValueError(f"log of {format_number(x)} is undefined: log needs a positive number.")
    return math.log(x)


def _exp(x: float) -> float:
    if x > 700:
        raise ValueError(f"exp({format_number(x)}) is too large to compute.")
    return math.exp(x)


_APPLY: dict[str, Callable[[float], float]] = {
    "exp": _exp,
    "log": _log,
    "tanh": math.tanh,
    "sigmoid": _sigmoid,
    "relu": lambda x: max(x, 0.0),
    "neg": lambda x: -x,
}


@dataclass(frozen=True)
class GraphNode:
    """A node: an input, a number, or an operation on earlier nodes (``inputs`` are indices)."""

    name: str
    op: str  # "input", "number", "+", "−", "×", "÷", "^", "neg" or a function name
    inputs: tuple[int, ...] = ()
    value: float = math.nan  # inputs and numbers only: their given value

    @property
    def is_leaf(self) -> bool:
        return self.op in ("input", "number")


@dataclass(frozen=True)
class ForwardNode(StepEvent):
    """The forward pass computes one node from its inputs."""

    node: int
    name: str
    formula: str  # "a + d"
    numbers: str  # "3 + 2"
    value: float

    def describe(self, style: str = "plain") -> str:
        return f"Forward: {self.name} = {self.formula} = {self.numbers} = {format_number(self.value)}."


@dataclass(frozen=True)
class SeedGradient(StepEvent):
    """The backward pass starts: the output's gradient with respect to itself is 1."""

    node: int
    name: str

    def describe(self, style: str = "plain") -> str:
        return f"Backward: ∂{self.name}/∂{self.name} = 1, where the chain rule starts."


@dataclass(frozen=True)
class BackwardEdge(StepEvent):
    """One chain-rule term: upstream gradient × local derivative, added to an input's gradient."""

    node: int  # the node the gradient flows from
    input: int  # the input it flows to
    output_name: str
    node_name: str
    input_name: str
    local_formula: str  # "∂L/∂c = e"
    upstream: float
    local: float
    gradient: float  # the input's gradient after adding this term

    @property
    def term(self) -> float:
        return self.upstream * self.local

    def describe(self, style: str = "plain") -> str:
        out, node, name = self.output_name, self.node_name, self.input_name
        text = (
            f"Backward: ∂{out}/∂{name} += ∂{out}/∂{node} × ∂{node}/∂{name} = "
            f"{format_number(self.upstream)} × {format_number(self.local)} = {format_number(self.term)}"
            f"   (local derivative {self.local_formula})"
        )
        if not math.isclose(self.gradient, self.term):
            text += f"; ∂{out}/∂{name} is now {format_number(self.gradient)}"
        return text + "."


@dataclass(frozen=True, eq=False)
class GraphState(State):
    """Every node's value and gradient so far (NaN where not yet computed), and the node in focus."""

    values: tuple[float, ...]
    grads: tuple[float, ...]
    current: int | None
    backward: bool

    def then(self, event: StepEvent) -> GraphState:
        values, grads = list(self.values), list(self.grads)
        if isinstance(event, ForwardNode):
            values[event.node] = event.value
            return GraphState(tuple(values), self.grads, event.node, False)
        if isinstance(event, SeedGradient):
            grads[event.node] = 1.0
            return GraphState(self.values, tuple(grads), event.node, True)
        if isinstance(event, BackwardEdge):
            grads[event.input] = event.gradient
            return GraphState(self.values, tuple(grads), event.input, True)
        raise TypeError(f"a computation graph does not change with {type(event).__name__}")


GRAPH_PSEUDOCODE = (
    "function FORWARD-BACKWARD(graph, inputs) returns every node's value and ∂L/∂node",
    "  for each operation node v, inputs before the nodes that use them:   ▷ forward pass",
    "    value(v) ← op(v)(values of v's inputs)",
    "  grad(L) ← 1   ▷ ∂L/∂L",
    "  for each operation node v, from L back towards the inputs:   ▷ backward pass",
    "    for each input u of v:",
    "      grad(u) ← grad(u) + grad(v) × ∂v/∂u   ▷ chain rule: upstream × local",
    "  return value, grad",
)


class _Builder(ast.NodeVisitor):
    """Turns the expression's syntax tree into nodes, refusing everything outside the subset."""

    def __init__(self, inputs: dict[str, float], reserved: set[str]) -> None:
        self.nodes: list[GraphNode] = []
        self.known: dict[str, int] = {}
        self.inputs = inputs
        # SLP3 names the nodes of a, b, c as d and e: the letters after the inputs come first.
        letters = string.ascii_lowercase
        last = max((letters.index(n) for n in inputs if n in letters), default=-1)
        ordered = letters[last + 1 :] + letters[: last + 1]
        free = [c for c in ordered if c not in inputs and c not in reserved]
        self.names = iter(free + [f"n{k}" for k in range(1, 10_000)])

    def add(self, op: str, inputs: tuple[int, ...]) -> int:
        self.nodes.append(GraphNode(next(self.names), op, inputs))
        return len(self.nodes) - 1

    def leaf(self, name: str, op: str, value: float) -> int:
        if name not in self.known:
            self.nodes.append(GraphNode(name, op, (), value))
            self.known[name] = len(self.nodes) - 1
        return self.known[name]

    def generic_visit(self, node: ast.AST) -> int:
        raise ValueError(f"{_describe(node)} is not allowed in a computation graph: {_ALLOWED}")

    def visit_Name(self, node: ast.Name) -> int:  # noqa: N802
        if node.id in FUNCTIONS:
            raise ValueError(f"{node.id} is a function: write {node.id}(x).")
        if node.id not in self.inputs:
            raise ValueError(f"'{node.id}' has no value: give it one, like {node.id}=1.")
        return self.leaf(node.id, "input", float(self.inputs[node.id]))

    def visit_Constant(self, node: ast.Constant) -> int:  # noqa: N802
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise ValueError(f"{node.value!r} is not a number: only numbers can be constants.")
        return self.leaf(format_number(float(node.value)), "number", float(node.value))

    def visit_UnaryOp(self, node: ast.UnaryOp) -> int:  # noqa: N802
        if isinstance(node.op, ast.UAdd):
            return int(self.visit(node.operand))
        if not isinstance(node.op, ast.USub):
            raise ValueError(f"{_describe(node)} is not allowed in a computation graph: {_ALLOWED}")
        if _is_number(node.operand):  # -2 is a number, not an operation on 2
            value = -float(node.operand.value)  # type: ignore[attr-defined]
            return self.leaf(format_number(value), "number", value)
        return self.add("neg", (int(self.visit(node.operand)),))

    def visit_BinOp(self, node: ast.BinOp) -> int:  # noqa: N802
        symbol = _SYMBOLS.get(type(node.op))
        if symbol is None:
            raise ValueError(f"{_describe(node)} is not allowed in a computation graph: {_ALLOWED}")
        if symbol == "^" and not _is_number(node.right):
            raise ValueError("Only a number can be an exponent here, as in x ** 2.")
        left = int(self.visit(node.left))
        right = int(self.visit(node.right))
        return self.add(symbol, (left, right))

    def visit_Call(self, node: ast.Call) -> int:  # noqa: N802
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            called = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(node.func)
            raise ValueError(f"Calling {called}() is not allowed: the functions are {', '.join(FUNCTIONS)}.")
        if len(node.args) != 1 or node.keywords or isinstance(node.args[0], ast.Starred):
            raise ValueError(f"{node.func.id} takes exactly one argument, as in {node.func.id}(x).")
        return self.add(node.func.id, (int(self.visit(node.args[0])),))


_ALLOWED = "use + - * / ** (by a number), exp, log, tanh, sigmoid, relu and named inputs."


def _is_number(node: ast.AST) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        node = node.operand
    return isinstance(node, ast.Constant) and isinstance(node.value, int | float)


def _describe(node: ast.AST) -> str:
    """What a refused piece of syntax is, for the sentence that refuses it."""
    kinds = {
        ast.Attribute: "An attribute",
        ast.Subscript: "Indexing",
        ast.Compare: "A comparison",
        ast.BoolOp: "A logical operator",
        ast.Lambda: "A lambda",
        ast.IfExp: "A conditional",
        ast.List: "A list",
        ast.Tuple: "A tuple",
        ast.Dict: "A dict",
        ast.BinOp: "That operator",
        ast.UnaryOp: "That operator",
    }
    kind = next((text for cls, text in kinds.items() if isinstance(node, cls)), type(node).__name__)
    try:
        return f"{kind} ({ast.unparse(node)})"
    except Exception:  # pragma: no cover - unparse handles every expression node
        return kind


def _parse(source: str) -> tuple[str, ast.expr]:
    """(output name, expression) of ``"L = expr"`` or a bare ``"expr"`` (then the output is f)."""
    if not isinstance(source, str) or not source.strip():
        raise ValueError("The expression is empty: type one, like L = c * (a + 2 * b).")
    try:
        module = ast.parse(source.strip(), mode="exec")
    except SyntaxError as problem:
        raise ValueError(f"The expression does not parse: {problem.msg} (column {problem.offset}).") from None
    if len(module.body) != 1:
        raise ValueError("Type one expression, like L = c * (a + 2 * b).")
    statement = module.body[0]
    if isinstance(statement, ast.Expr):
        return "f", statement.value
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target = statement.targets[0]
        if isinstance(target, ast.Name):
            return target.id, statement.value
    raise ValueError("Type one expression, optionally named: L = c * (a + 2 * b).")


def _formula(node: GraphNode, names: list[str]) -> str:
    if node.op in FUNCTIONS:
        return f"{node.op}({names[0]})"
    if node.op == "neg":
        return f"−{names[0]}"
    return f" {node.op} ".join(names)


def _local(
    node: GraphNode, position: int, xs: list[float], value: float, names: list[str]
) -> tuple[float, str]:
    """∂node/∂(its input at ``position``) at these input values, and its formula."""
    op = node.op
    if op == "+":
        return 1.0, "1"
    if op == "−":
        return (1.0, "1") if position == 0 else (-1.0, "−1")
    if op == "×":
        return xs[1 - position], names[1 - position]
    if op == "÷":
        if position == 0:
            return 1.0 / xs[1], f"1/{names[1]}"
        return -xs[0] / xs[1] ** 2, f"−{names[0]}/{names[1]}²"
    if op == "^":
        if position == 1:
            return 0.0, "0 (a number)"
        power = xs[1]
        return power * xs[0] ** (power - 1), f"{format_number(power)}·{names[0]}^{format_number(power - 1)}"
    if op == "neg":
        return -1.0, "−1"
    x, me = names[0], node.name
    if op == "exp":
        return value, me
    if op == "log":
        return 1.0 / xs[0], f"1/{x}"
    if op == "tanh":
        return 1.0 - value**2, f"1 − {me}²"
    if op == "sigmoid":
        return value * (1.0 - value), f"{me}(1 − {me})"
    if op == "relu":
        return (1.0 if xs[0] > 0 else 0.0), f"1 if {x} > 0 else 0"
    raise AssertionError(op)  # pragma: no cover - every op of the builder is listed


class Graph(StepwiseResult[StepEvent, GraphState]):
    """A computation graph over named inputs; Stepwise over the passes run so far."""

    def __init__(self, nodes: list[GraphNode], output_name: str, source: str) -> None:
        self.nodes = tuple(nodes)
        self.output = len(nodes) - 1
        self.output_name = output_name
        self.source = source
        self._values = [node.value if node.is_leaf else math.nan for node in nodes]
        self._grads = [math.nan] * len(nodes)
        self._events: list[StepEvent] = []
        self._forward_done = self._backward_done = False
        self._trace: Trace[StepEvent] | None = None  # built once per pass, not per call

    @classmethod
    def from_expression(cls, source: str, **inputs: float) -> Graph:
        """Parse ``"L = c * (a + 2 * b)"`` with the inputs' values (never eval'd)."""
        output, expression = _parse(source)
        for name, value in inputs.items():
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                raise ValueError(f"{name}={value!r} is not a finite number.")
        builder = _Builder(dict(inputs), {output})
        builder.visit(expression)
        nodes = builder.nodes
        if nodes[-1].is_leaf:
            raise ValueError("The expression has no operation: there is nothing to differentiate.")
        if output in builder.known:
            raise ValueError(f"The output {output} is also an input: call the output another name.")
        nodes[-1] = GraphNode(output, nodes[-1].op, nodes[-1].inputs)
        return cls(nodes, output, source.strip())

    # -- the passes ---------------------------------------------------------------------------
    def forward(self) -> Graph:
        """Compute every operation node, one step each (again: nothing new)."""
        if self._forward_done:
            return self
        for index, node in enumerate(self.nodes):
            if node.is_leaf:
                continue
            xs = [self._values[i] for i in node.inputs]
            names = [self.nodes[i].name for i in node.inputs]
            value = self._apply(node, xs)
            self._values[index] = value
            numbers = _formula(node, [format_number(x) for x in xs])
            self._events.append(ForwardNode(index, node.name, _formula(node, names), numbers, value))
        self._forward_done, self._trace = True, None
        return self

    def backward(self) -> Graph:
        """Seed ∂L/∂L = 1 and push gradients back, one chain-rule term a step."""
        if not self._forward_done:
            self.forward()
        if self._backward_done:
            return self
        self._grads = [0.0 if node.op != "number" else math.nan for node in self.nodes]
        self._grads[self.output] = 1.0
        self._events.append(SeedGradient(self.output, self.output_name))
        for index in range(len(self.nodes) - 1, -1, -1):
            node = self.nodes[index]
            if node.is_leaf:
                continue
            xs = [self._values[i] for i in node.inputs]
            names = [self.nodes[i].name for i in node.inputs]
            for position, child in enumerate(node.inputs):
                if self.nodes[child].op == "number":
                    continue  # a constant has no gradient to collect
                local, how = _local(node, position, xs, self._values[index], names)
                self._grads[child] += self._grads[index] * local
                formula = f"∂{node.name}/∂{self.nodes[child].name} = {how}"
                self._events.append(
                    BackwardEdge(
                        index, child, self.output_name, node.name, self.nodes[child].name, formula,
                        self._grads[index], local, self._grads[child],
                    )
                )  # fmt: skip
        self._backward_done, self._trace = True, None
        return self

    @staticmethod
    def _apply(node: GraphNode, xs: list[float]) -> float:
        op = node.op
        if op == "+":
            return xs[0] + xs[1]
        if op == "−":
            return xs[0] - xs[1]
        if op == "×":
            return xs[0] * xs[1]
        if op == "÷":
            if xs[1] == 0:
                raise ValueError(f"{node.name} divides by zero.")
            return xs[0] / xs[1]
        if op == "^":
            if xs[0] == 0 and xs[1] < 0:
                raise ValueError(f"{node.name} raises 0 to a negative power.")
            if xs[0] < 0 and not float(xs[1]).is_integer():
                raise ValueError(f"{node.name} raises a negative number to a fractional power.")
            try:
                return float(xs[0] ** xs[1])
            except OverflowError:
                raise ValueError(f"{node.name} is too large to compute.") from None
        return _APPLY[op](xs[0])

    # -- results ---------------------------------------------------------------------------------
    def _index(self, name: str) -> int:
        for index, node in enumerate(self.nodes):
            if node.name == name:
                return index
        raise ValueError(f"The graph has no node {name!r}; it has {', '.join(n.name for n in self.nodes)}.")

    def formula(self, index: int) -> str:
        """The operation of node ``index`` over its inputs' names: ``a + d``, ``tanh(e)``."""
        node = self.nodes[index]
        return _formula(node, [self.nodes[i].name for i in node.inputs]) if not node.is_leaf else node.name

    def value(self, name: str) -> float:
        """A node's value (run :meth:`forward` first for operation nodes)."""
        index = self._index(name)
        if not self.nodes[index].is_leaf and not self._forward_done:
            raise ValueError("Run forward() first: the value of an operation comes from the forward pass.")
        return self._values[index]

    def grad(self, name: str) -> float:
        """∂output/∂node (run :meth:`backward` first)."""
        index = self._index(name)
        if not self._backward_done:
            raise ValueError("Run backward() first: gradients come from the backward pass.")
        if self.nodes[index].op == "number":
            raise ValueError(f"{name} is a constant: it has no gradient.")
        return self._grads[index]

    # -- Stepwise ----------------------------------------------------------------------------------
    @property
    def trace(self) -> Trace[StepEvent]:  # type: ignore[override]
        if self._trace is not None:
            return self._trace
        events = tuple(self._events)
        forward = sum(isinstance(e, ForwardNode) for e in events)
        phases = [Phase("forward", 0, forward), Phase("backward", forward, len(events))]
        self._trace = Trace.from_events(events, phases)
        return self._trace

    def state_at(self, step: int) -> GraphState:
        state = GraphState(
            tuple(node.value if node.is_leaf else math.nan for node in self.nodes),
            tuple(math.nan for _ in self.nodes),
            None,
            False,
        )
        for event in self._events[: self.clamp(step)]:
            state = state.then(event)
        return state

    @property
    def pseudocode(self) -> tuple[str, ...]:
        return GRAPH_PSEUDOCODE

    def line_at(self, step: int) -> int:
        markers = ((ForwardNode, "value(v) ←"), (SeedGradient, "grad(L) ← 1"), (BackwardEdge, "grad(u) ←"))
        return line_for_event(GRAPH_PSEUDOCODE, self.event_at(step), markers, step, len(self.trace))

    def watch_at(self, step: int) -> dict[str, str]:
        event = self.event_at(step)
        if isinstance(event, ForwardNode):
            return {"v": event.name, f"value({event.name})": format_number(event.value)}
        if isinstance(event, BackwardEdge):
            return {
                "v": event.node_name,
                "u": event.input_name,
                "grad(v)": format_number(event.upstream),
                f"∂{event.node_name}/∂{event.input_name}": format_number(event.local),
                f"grad({event.input_name})": format_number(event.gradient),
            }
        if isinstance(event, SeedGradient):
            return {f"grad({event.name})": "1"}
        return {}

    def question_at(self, step: int) -> Question | None:
        event = self.event_at(step)
        if isinstance(event, ForwardNode):
            return number_question(
                f"{event.name} = {event.formula} = ?", event.value, event.describe(), decimals=4
            )
        if isinstance(event, BackwardEdge):
            out = event.output_name
            return number_question(
                f"What does ∂{out}/∂{event.input_name} become after the term from {event.node_name}?",
                event.gradient,
                event.describe(),
                decimals=4,
            )
        return None
