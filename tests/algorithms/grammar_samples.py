"""Random grammars for comparing our parsers with nltk's (as NLTK-syntax text)."""

from __future__ import annotations

import random

from algorithms.resources import resource_text


def read_grammar_file(name: str) -> str:
    return resource_text(f"grammars/{name}")


def _probabilities(rng: random.Random, count: int) -> list[float]:
    weights = [rng.uniform(0.05, 1.0) for _ in range(count)]
    total = sum(weights)
    values = [w / total for w in weights]
    values[-1] = 1.0 - sum(values[:-1])  # exact sum to 1 in floating point, as far as it goes
    return values


def _write(rules: dict[str, list[str]], rng: random.Random, probabilistic: bool) -> str:
    lines = []
    for lhs, alternatives in rules.items():
        if probabilistic:
            probs = _probabilities(rng, len(alternatives))
            lines.append(
                f"{lhs} -> " + " | ".join(f"{a} [{p!r}]" for a, p in zip(alternatives, probs, strict=True))
            )
        else:
            lines.append(f"{lhs} -> " + " | ".join(alternatives))
    return "\n".join(lines)


def random_cnf(seed: int, probabilistic: bool) -> tuple[str, list[str]]:
    """A small CNF grammar (2–5 non-terminals, 2–4 words) and its vocabulary."""
    rng = random.Random(seed)
    names = [f"N{i}" for i in range(rng.randint(2, 5))]
    words = [f"w{i}" for i in range(rng.randint(2, 4))]
    rules: dict[str, list[str]] = {name: [] for name in names}
    for name in names:
        pairs = {(rng.choice(names), rng.choice(names)) for _ in range(rng.randint(1, 4))}
        rules[name].extend(f"{b} {c}" for b, c in sorted(pairs))
        for word in rng.sample(words, rng.randint(0, len(words))):
            rules[name].append(f"'{word}'")
    for word in words:  # every word somewhere, so sentences are never refused
        holder = rng.choice(names)
        if f"'{word}'" not in rules[holder]:
            rules[holder].append(f"'{word}'")
    return _write(rules, rng, probabilistic), words


def random_general(seed: int, probabilistic: bool) -> tuple[str, list[str]]:
    """A small grammar with unit rules (acyclic), long right-hand sides and words mixed into rules."""
    rng = random.Random(seed)
    names = [f"N{i}" for i in range(rng.randint(3, 5))]
    words = [f"w{i}" for i in range(rng.randint(2, 4))]
    rules: dict[str, list[str]] = {name: [] for name in names}
    for index, name in enumerate(names):
        alternatives: set[str] = set()
        for _ in range(rng.randint(1, 3)):
            length = rng.choice((2, 2, 3))
            symbols = [rng.choice(names) for _ in range(length)]
            if rng.random() < 0.25:
                symbols[rng.randrange(length)] = f"'{rng.choice(words)}'"
            alternatives.add(" ".join(symbols))
        if index + 1 < len(names) and rng.random() < 0.6:  # unit rules only point "down": no cycles
            alternatives.add(rng.choice(names[index + 1 :]))
        alternatives.add(f"'{rng.choice(words)}'")
        rules[name].extend(sorted(alternatives))
    for word in words:
        holder = rng.choice(names)
        if f"'{word}'" not in rules[holder]:
            rules[holder].append(f"'{word}'")
    return _write(rules, rng, probabilistic), words


def random_sentence(rng: random.Random, words: list[str], low: int = 1, high: int = 6) -> list[str]:
    return [rng.choice(words) for _ in range(rng.randint(low, high))]
