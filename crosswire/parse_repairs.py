"""Repairs to spaCy's parse that every stage reading it needs, run as a pipeline component
after the parser (crosswire.nlp registers it).

    contracted_has(doc)   "He's said the port will close": "has said", not "is said"
"""
from __future__ import annotations

from functools import lru_cache

from .rules.cues import forms_by_class, heard_verbs

_CONTRACTED_S = ("'s", "’s")
# a subject that makes the passive reading the right one: "It's said that ..." is a report
# with no speaker named
_IMPERSONAL = frozenset({"it", "this", "that", "there"})


@lru_cache(maxsize=1)
def _speech_without_hearer() -> frozenset[str]:
    """The forms of the speech verbs whose passive subject cannot be the hearer (cues.toml
    [classes] speech less [heard_passive]): "he is said that ..." is no English, "he is
    told that ..." is."""
    return forms_by_class()["speech"] - heard_verbs()


def contracted_has(doc):
    """"He's said the port will close", "She's argued that ...": spaCy's small model reads
    the contracted "has" as "is" and the sentence as a passive, so that the verb had no
    speaker and the statement was lost. A speech verb that cannot have its hearer as its
    passive subject, with a clause of its own and no "by" agent, is a perfect with "'s":
    its subject is the speaker. Relabels the parse in place ("auxpass" -> "aux",
    "nsubjpass" -> "nsubj")."""
    for tok in doc:
        if tok.dep_ != "auxpass" or tok.lower_ not in _CONTRACTED_S:
            continue
        verb = tok.head
        if verb.tag_ not in ("VBN", "VBD") or verb.lower_ not in _speech_without_hearer():
            continue
        if any(c.dep_ == "agent" for c in verb.children) or not any(c.dep_ == "ccomp" for c in verb.children):
            continue
        subj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        if subj is None or subj.lower_ in _IMPERSONAL:
            continue
        tok.dep_ = "aux"
        subj.dep_ = "nsubj"
    return doc
