"""Reported speech a speech verb gives as a noun phrase, where the rules of
rules/indirect.py read none: a participle after the speaker's clause ("Sanders went
first, predicting a close race") or a speech verb's own object ("The union urged a
strong stand", "The senator tweeted her thanks"). reported_object reads the object of the
verbs listed for it (announce, deny, ...); any_verb_object needs a subject of the verb's
own. This rule takes the speaker where speaker_of finds it (a participle's governing
subject). Tried after every listed cue's rule and before the any_verb_* rules; the
fitted filter (crosswire.indirect_filter) judges each candidate by its rule, cue and
shape. (A speech verb's preposition was tried too: on PolNeAR train400, 35 of 88
candidates matched; the verbs and prepositions that paid went to the topic_* classes.)"""
from __future__ import annotations

from functools import lru_cache

from . import reported_before
from .cues import forms_by_class
from .indirect import _NOT_CONTENT, _attributed, _forms, _object_cue_forms, _object_span, _outside, _verb_cue


@lru_cache(maxsize=1)
def _speech_not_object() -> frozenset[str]:
    """The speech verbs whose object no other rule reads: not the object classes'
    (reported_object, stance_object, ...), nor those whose object is mostly the hearer or
    a work ("told reporters", "wrote a book": cues.toml [classes] speech_no_object)."""
    return _forms("speech") - _object_cue_forms() - forms_by_class().get("speech_no_object", frozenset())


@reported_before("any_verb_clause")
def speech_verb_object(ctx, frame):
    """What a speech verb's noun-phrase object holds: "Sanders went first, predicting a
    close race", "Many Democrats warned the Fed, noting the slow growth of wages", "The
    union urged a strong stand" (not "told reporters": its object is the hearer)."""
    forms = _speech_not_object()
    out = []
    for cue in _outside(ctx, frame):
        if not _verb_cue(cue, forms) or any(c.dep_ in ("ccomp", "xcomp") for c in cue.children):
            continue
        obj = next((c for c in cue.children if c.dep_ == "dobj" and c.i > cue.i and not ctx.in_quote[c.i]), None)
        if obj is None or obj.pos_ == "PRON" or obj.lower_ in _NOT_CONTENT:
            continue
        out += _attributed(ctx, cue, _object_span(ctx, cue, obj))
    return out
