"""The attribute ruler's part that crosswire reads, done without spaCy's Matcher.

en_core_web_sm's `attribute_ruler` sets each token's coarse part of speech (POS) from its
fine tag through a tag map and about 180 exception patterns, run by spaCy's general
Matcher: 8-9 % of the pipeline's time on PolNeAR dev. The stages read POS, TAG and DEP
and never MORPH or LEMMA (the lemmatizer is off), so `TagAttributes` applies only the
patterns that set POS, TAG or DEP, by a dictionary lookup per token, with the ruler's own
precedence (a later pattern wins). Patterns of a form it does not know (an operator, a
predicate other than equality, IN and NOT_IN) make `from_ruler` return None, and the
pipeline keeps spaCy's ruler. tests/test_selective.py checks that both give the same
POS, TAG, DEP and heads.
"""
from __future__ import annotations

KEPT = ("POS", "TAG", "DEP")           # what crosswire reads of the ruler's output
FIELDS = ("TAG", "LOWER", "DEP", "IS_SPACE")  # what the kept patterns may test


def _compile_value(value, strings):
    """A pattern value -> (kind, operand) over the hashes doc.to_array gives."""
    def h(s):
        return s if isinstance(s, bool) else (0 if s == "" else strings.add(s))
    if isinstance(value, dict):
        if set(value) == {"IN"}:
            return "in", frozenset(h(v) for v in value["IN"])
        if set(value) == {"NOT_IN"}:
            return "not_in", frozenset(h(v) for v in value["NOT_IN"])
        raise ValueError(value)
    return "eq", h(value)


def _compile_token(spec: dict, strings) -> tuple:
    if not set(spec) <= set(FIELDS):
        raise ValueError(spec)
    return tuple((FIELDS.index(k), *_compile_value(v, strings)) for k, v in spec.items())


def _ok(tests: tuple, row) -> bool:
    for field, kind, operand in tests:
        v = row[field]
        if kind == "eq":
            if v != operand:
                return False
        elif kind == "in":
            if v not in operand:
                return False
        elif v in operand:
            return False
    return True


class TagAttributes:
    """Callable pipeline component: POS, TAG and DEP as the attribute ruler sets them."""

    def __init__(self, rules: list[tuple[int, tuple, dict]], vocab):
        from spacy.parts_of_speech import IDS

        self.vocab = vocab
        self.pos_ids = IDS
        # rules indexed by what their first token tests, so that a token meets few of them
        by_tag: dict[int, list] = {}
        other: list = []
        for rank, (index, pattern, attrs) in enumerate(rules):
            entry = (rank, index, pattern, attrs)
            first = {f: (kind, op) for f, kind, op in pattern[0]}
            if first.get(0, ("",))[0] == "eq":
                by_tag.setdefault(first[0][1], []).append(entry)
            elif first.get(0, ("",))[0] == "in":
                for tag in first[0][1]:
                    by_tag.setdefault(tag, []).append(entry)
            else:
                other.append(entry)
        self.other = tuple(other)
        self.by_tag = {tag: tuple(entries) + self.other for tag, entries in by_tag.items()}

    @classmethod
    def from_ruler(cls, ruler) -> "TagAttributes | None":
        """From a spaCy AttributeRuler; None when one of its patterns is of a form not handled."""
        strings = ruler.vocab.strings
        rules = []
        try:
            for p in ruler.patterns:
                attrs = {k: v for k, v in p["attrs"].items() if k in KEPT}
                if not attrs:
                    continue
                for pattern in p["patterns"]:
                    rules.append((p["index"], tuple(_compile_token(t, strings) for t in pattern), attrs))
        except (ValueError, TypeError, AttributeError):
            return None
        return cls(rules, ruler.vocab)

    def __call__(self, doc):
        import numpy

        rows = doc.to_array(list(FIELDS)).tolist()
        n = len(rows)
        hits = []
        for i, row in enumerate(rows):
            for entry in self.by_tag.get(row[0], self.other):
                rank, index, pattern, attrs = entry
                if i + len(pattern) > n or not _ok(pattern[0], row):
                    continue
                if all(_ok(tests, rows[i + k]) for k, tests in enumerate(pattern[1:], 1)):
                    hits.append((rank, i + (index if index >= 0 else len(pattern) + index), attrs))
        hits.sort(key=lambda h: (h[0], h[1]))
        pos = doc.to_array(["POS"])
        changed_pos = False
        for _, i, attrs in hits:
            if "POS" in attrs:
                pos[i] = self.pos_ids[attrs["POS"]]
                changed_pos = True
            if "TAG" in attrs:
                doc[i].tag_ = attrs["TAG"]
            if "DEP" in attrs:
                doc[i].dep_ = attrs["DEP"]
        if changed_pos:
            doc.from_array(["POS"], numpy.asarray(pos, dtype="uint64").reshape(-1, 1))
        return doc
