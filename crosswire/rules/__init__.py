"""Attribution rules: small named functions in ordered registries.

Each rule does one job and is registered, in the order it is tried, under a name that the
statements it produces carry in their `rule` column. Three registries:

- REPORTED: rules that find reported speech without quote marks (`indirect`) in one
  sentence of the writer's text: `rule(ctx, frame) -> list[Found]`.
- SPEAKER: rules that find the speaker of a quotation in its own sentence (a reporting
  verb, a colon): `rule(ctx, quote, frame) -> Speaker | None`; the first that answers wins.
- CONTEXT: for a quotation its own sentence gives no speaker, rules that take one from the
  text around it (the same quotation run on, the paragraph, the paragraph before), in order
  of evidence: `rule(ctx, quote, (k, quotes, found)) -> Speaker | None`.
- LAST_RESORT: for a quotation kept as a statement that no rule above found a speaker
  for, rules tried once what is a statement is settled (so that they never decide it):
  `rule(ctx, quote, None) -> Speaker | None`.
- NOT_STATEMENT: rules that tell a quotation that is not a statement (a title, a scare
  quote, markup): `rule(ctx, found) -> bool`.
- ARTICLE: for a quotation still without a speaker once every field of the article is
  attributed, rules over the article's statements in all its fields (a headline read with
  the body): `rule(found, quote) -> Speaker | None`.

Adding a rule is one decorated function in rules/indirect.py, rules/quoted.py or
rules/filters.py; nothing else changes. `ctx` is the FieldAttributor of the field
(crosswire.attribution): its doc, text, quotation spans and mention resolver.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Rule:
    name: str
    fn: Callable
    doc: str


REPORTED: list[Rule] = []
SPEAKER: list[Rule] = []
CONTEXT: list[Rule] = []
LAST_RESORT: list[Rule] = []
NOT_STATEMENT: list[Rule] = []
ARTICLE: list[Rule] = []


def _register(registry: list[Rule]):
    def deco(fn):
        name = fn.__name__
        if any(r.name == name for r in REPORTED + SPEAKER + CONTEXT + LAST_RESORT + NOT_STATEMENT + ARTICLE):
            raise ValueError(f"rule {name!r} registered twice")
        registry.append(Rule(name, fn, (fn.__doc__ or "").strip().split("\n")[0]))
        return fn
    return deco


def _register_before(registry: list[Rule], other: str):
    """Register a rule to be tried just before the rule named `other` of the same registry
    (for a rule module imported after the one that registers `other`)."""
    def deco(fn):
        _register(registry)(fn)
        rule = registry.pop()
        registry.insert(next(i for i, r in enumerate(registry) if r.name == other), rule)
        return fn
    return deco


reported = _register(REPORTED)
speaker = _register(SPEAKER)
context = _register(CONTEXT)
last_resort = _register(LAST_RESORT)
not_statement = _register(NOT_STATEMENT)
article = _register(ARTICLE)


def context_before(other: str):
    return _register_before(CONTEXT, other)


def reported_before(other: str):
    return _register_before(REPORTED, other)


def speaker_before(other: str):
    return _register_before(SPEAKER, other)


def names() -> list[str]:
    """Every rule name a statement's `rule` column may hold, in registry order."""
    from .. import attribution  # noqa: F401  (imports and so registers every rule)
    return [r.name for r in REPORTED + SPEAKER + CONTEXT + LAST_RESORT + ARTICLE] + [attribution.UNATTRIBUTED]
