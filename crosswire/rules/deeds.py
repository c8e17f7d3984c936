"""A stance verb used for a deed, not for words: "Russian drones attacked Odesa", "Troops
defended the bridge", "She slammed the door shut", "Police questioned the suspect". The verbs,
the agents of armed or forceful deeds, the places such deeds are done to and the people
questioned are data (crosswire/data/deeds.toml)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Callable

from ..datafiles import read_toml

DATA = Path(__file__).resolve().parent.parent / "data" / "deeds.toml"
_PLACE_ENTITIES = ("GPE", "LOC", "FAC")
_TIMES = ("DATE", "TIME")
_OBJECT_PRONOUNS = frozenset({"him", "her", "them", "me", "us", "you"})


@lru_cache(maxsize=1)
def _lists() -> dict[str, frozenset[str]]:
    data = read_toml(DATA)
    return {k: frozenset(data[k].split()) if isinstance(data[k], str) else frozenset(data[k])
            for k in ("verbs", "agents", "places", "about", "question", "questioned", "recall", "goods")}


def _subject(cue):
    """The cue's subject, or the subject of the verb it is coordinated with."""
    for v in (cue, cue.head if cue.dep_ == "conj" else None):
        if v is not None:
            subj = next((c for c in v.children if c.dep_ == "nsubj"), None)
            if subj is not None:
                return subj
    return None


def _about_words(cue, obj) -> bool:
    """'attacked China over tariffs': a phrase after the object says what was criticised
    ("defended the bridge for three days" is a time, not a reason)."""
    return any(c.dep_ == "prep" and c.i > obj.i and c.lower_ in _lists()["about"]
               and not any(t.ent_type_ in _TIMES for t in c.subtree) for c in cue.children)


def _resultative(cue, obj) -> bool:
    """'slammed the door shut', 'blasted the gate open': a state the object was left in."""
    return any(c.dep_ in ("oprd", "acomp", "ccomp") and c.i > obj.i and c.pos_ == "ADJ" for c in cue.children)


def _armed(tok) -> bool:
    return tok is not None and tok.lower_ in _lists()["agents"]


def _with_weapons(cue) -> bool:
    """'attacked the city with drones': the deed's instrument."""
    return any(c.dep_ == "prep" and c.lower_ == "with" and any(_armed(p) for p in c.children if p.dep_ == "pobj")
               for c in cue.children)


def _place(obj) -> bool:
    return obj.ent_type_ in _PLACE_ENTITIES or obj.lower_ in _lists()["places"]


def physical_act(cue, obj, kinds: Callable[[], tuple[str | None, str | None]]) -> bool:
    """Whether `cue` with its object `obj` names a deed: the verb can (deeds.toml
    verbs), nothing after the object says what it criticised, and the subject is an armed
    force or a weapon, or the instrument is, or the object is left in a state, or a place is
    acted on by no person or group of people (`kinds()`, asked last, gives the speaker
    kinds of subject and object as the article's mentions resolve them: "Russia attacked
    Kyiv" is a deed, "Trump attacked Washington" and "Republicans blast Obama" are words,
    whatever entity type the tagger gave the object)."""
    if cue.lower_ not in _lists()["verbs"] or _about_words(cue, obj):
        return False
    if _armed(_subject(cue)) or _with_weapons(cue) or _resultative(cue, obj):
        return True
    if not _place(obj):
        return False
    subject_kind, object_kind = kinds()
    return subject_kind not in ("person", "group") and object_kind != "person"


def questioned_person(cue, obj, object_kind: Callable[[], str | None]) -> bool:
    """'Police questioned the suspect', 'asked to question her under oath': a person as the
    object of "question" is whom was asked, not what was doubted ("questioned his judgment")."""
    if cue.lower_ not in _lists()["question"]:
        return False
    return obj.lower_ in _OBJECT_PRONOUNS or obj.ent_type_ == "PERSON" or obj.lower_ in _lists()["questioned"] \
        or object_kind() == "person"


def product_recall(cue, obj) -> bool:
    """'Halcyon recalls 300,000 SUVs', 'recalled a batch of cheese': goods called back (a
    counted object, or a noun of goods: deeds.toml recall, goods), not what someone recalled."""
    if cue.lower_ not in _lists()["recall"]:
        return False
    return any(c.dep_ == "nummod" and not _a_year(c) for c in obj.children) or obj.lower_ in _lists()["goods"]


def _a_year(tok) -> bool:
    """A number that is a date ("a 2007 immigration bill"), not a count."""
    return tok.ent_type_ == "DATE" or tok.text.isdigit() and len(tok.text) == 4 and 1800 <= int(tok.text) <= 2100
