"""Selective parsing: the full spaCy pipeline only where a statement can be.

    docs = selective.pipe(nlp, [(section, text), ...])   # one Doc per text, in order

A body paragraph is parsed when it holds a signal that some attribution rule needs (a
quotation found by crosswire.quotes, a cue word of any class in crosswire/data/cues.toml,
a noun cue, "according", a colon) or lies within `context_before` / `context_after`
paragraphs of one (crosswire/data/limits.toml [selective]). The other paragraphs are
tokenized and run through the entity recognizer only (the article's cast reads names
anywhere): their tokens are otherwise inert (part of speech X, each its own root), so no
rule fires on them, and the Doc's text is the original text, so every offset stays exact.
The filter is string work on the raw text, no spaCy. When selection is off
(limits.toml `enabled`, or CROSSWIRE_SELECTIVE=0) this is crosswire.pieces.pipe.
"""
from __future__ import annotations

import os
import re
from collections import deque
from collections.abc import Iterable, Iterator
from functools import lru_cache

from . import pieces
from .datafiles import read_toml
from .quotes import find_quotes, paragraphs

SETTINGS: dict = read_toml("limits.toml")["selective"]
_WORD = re.compile(r"[A-Za-z]+")


def enabled() -> bool:
    """Whether selective parsing is on: CROSSWIRE_SELECTIVE (1/0) else limits.toml."""
    value = os.environ.get("CROSSWIRE_SELECTIVE", "").strip()
    return value == "1" if value in ("0", "1") else bool(SETTINGS["enabled"])


@lru_cache(maxsize=1)
def cue_words() -> frozenset[str]:
    """Every word whose presence may make a paragraph carry a statement: all forms of every
    cue class, the noun cues, the phrasal verbs, the make-clear adjectives, the cue words
    of "according to" and its kin (cues.toml [source_phrases])."""
    from .rules.cues import forms_by_class, make_clear_adjectives, noun_cues, phrasal, source_phrases

    words = set().union(*forms_by_class().values())
    return frozenset(words | set(noun_cues()) | set(phrasal()) | set(make_clear_adjectives()) | set(source_phrases()))


def signals(text: str) -> list[bool]:
    """For each paragraph of text (crosswire.quotes.paragraphs): whether it holds a signal."""
    paras = paragraphs(text)
    out = [False] * len(paras)
    words = cue_words()
    k = 0
    for sp in find_quotes(text):  # a paragraph holding any part of a quotation
        while k < len(paras) and paras[k][1] <= sp.open:
            k += 1
        j = k
        while j < len(paras) and paras[j][0] < sp.end:
            out[j] = True
            j += 1
    for k, (lo, hi) in enumerate(paras):
        if not out[k]:
            para = text[lo:hi]
            out[k] = ":" in para or any(w.lower() in words for w in _WORD.findall(para))
    return out


def segments(text: str, before: int | None = None, after: int | None = None) -> list[tuple[int, int, bool]]:
    """(start, end, parse) runs that cover text from 0 to len(text): runs of paragraphs to
    parse (a signal within `before` paragraphs after or `after` paragraphs before them)
    and runs to tokenize only. Cuts fall at the start of a paragraph."""
    before = SETTINGS["context_before"] if before is None else before
    after = SETTINGS["context_after"] if after is None else after
    paras = paragraphs(text)
    if not paras:
        return [(0, len(text), True)] if text else []
    sig = signals(text)
    keep = [any(sig[max(0, k - after):k + before + 1]) for k in range(len(paras))]
    starts = [0] + [lo for lo, _ in paras[1:]]
    out: list[tuple[int, int, bool]] = []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(text)
        if out and out[-1][2] == keep[k]:
            out[-1] = (out[-1][0], end, keep[k])
        else:
            out.append((start, end, keep[k]))
    return out


def _own_ner(nlp):
    """The pipeline's entity recognizer when it embeds words itself (en_core_web_sm does),
    so that it can run on a text no other component has seen; else None."""
    if "ner" not in nlp.pipe_names:
        return None
    ner = nlp.get_pipe("ner")
    if any("listener" in node.name for node in ner.model.walk()):
        return None
    return ner


def _inert(nlp, text: str, width: int):
    """text tokenized as the pipeline would, with the entity recognizer's names (the cast
    of the article reads names anywhere) and otherwise annotations no rule acts on: part
    of speech X, each token its own root."""
    import numpy
    from spacy.tokens import Doc

    toks = nlp.make_doc(text)
    ner = _own_ner(nlp)
    if ner is not None:
        toks = ner(toks)
    n = len(toks)
    ents = [f"{t.ent_iob_}-{t.ent_type_}" if t.ent_type_ else "O" for t in toks]
    doc = Doc(nlp.vocab, words=[t.text for t in toks], spaces=[bool(t.whitespace_) for t in toks],
              tags=["XX"] * n, pos=["X"] * n, heads=list(range(n)), deps=["dep"] * n,
              sent_starts=[True] * n, ents=ents)
    doc.tensor = numpy.zeros((n, width), dtype="float32")
    return doc


def pipe(nlp, items: Iterable[tuple[str, str]], batch_size: int = 64) -> Iterator:
    """One Doc per (section, text), in order, `doc.text == text`; the sections of
    limits.toml [selective] `sections` parsed selectively when selection is enabled.
    Streams like nlp.pipe: a text's Doc is yielded as soon as its parts are parsed."""
    if not enabled():
        yield from pieces.pipe(nlp, (text for _, text in items), batch_size=batch_size)
        return
    from spacy.tokens import Doc

    # per part sent to the parser: (its text, its plan, the part's place in the plan or
    # None for the empty stand-in of a text with nothing to parse, whether it is the last)
    owners: deque = deque()

    def parts():
        for section, text in items:
            plan = segments(text) if section in SETTINGS["sections"] else [(0, len(text), True)]
            full = [k for k, (_, _, parse) in enumerate(plan) if parse]
            if not full:
                owners.append((text, plan, None, True))
                yield ""
            for n, k in enumerate(full):
                owners.append((text, plan, k, n == len(full) - 1))
                yield text[plan[k][0]:plan[k][1]]

    parsed: dict[int, object] = {}
    for doc in pieces.pipe(nlp, parts(), batch_size=batch_size):
        text, plan, k, last = owners.popleft()
        if k is not None:
            parsed[k] = doc
        if not last:
            continue
        width = next((d.tensor.shape[1] for d in parsed.values() if d.tensor.ndim == 2), 0)
        docs = [parsed[k] if k in parsed else _inert(nlp, text[a:b], width) for k, (a, b, _) in enumerate(plan)]
        parsed = {}
        yield doc if not docs else docs[0] if len(docs) == 1 else Doc.from_docs(docs, ensure_whitespace=False)
