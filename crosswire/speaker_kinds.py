"""What kind of speaker a noun phrase names: person, organisation, document, unnamed or group.

    classify("company", before=["the"])                        -> "organisation"
    classify("official", before=["a", "senior"])               -> "unnamed"
    classify("officials", plural=True)                         -> "unnamed"
    classify("protesters", plural=True)                        -> "group"
    classify("report", before=["the"])                         -> "document"
    classify("spokesman", before=["the", "Kremlin"])           -> "person"
    classify("Pentagon", proper=True, entity="ORG")           -> "organisation"

The word lists are data (crosswire/data/speaker_kinds.toml); the order of the rules below
is the whole logic: a deliberately unnamed source first ("sources familiar with ..."),
then the head noun (a document, a body), then proper names by entity type, then nouns
for people (a plural is a group, or unnamed for "officials"; a singular with "a"/"one"
is unnamed; otherwise a person, named or by role).
"""
from __future__ import annotations

import re

import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .speakers import PERSON_NOUNS

KINDS = ("person", "organisation", "document", "unnamed", "group")
# Pronouns as speakers, and the kind each names when nothing before it says more.
PRONOUN_KINDS = {
    "he": "person", "him": "person", "she": "person", "her": "person", "i": "person",
    "you": "person", "it": "organisation", "they": "group", "them": "group", "we": "group",
    "us": "group", "both": "group", "all": "group", "some": "group", "many": "group",
    "most": "group", "others": "group", "those": "group", "several": "group",
    "one": "unnamed", "someone": "unnamed", "somebody": "unnamed", "another": "unnamed",
}


@dataclass(frozen=True)
class Lists:
    org_heads: frozenset[str]
    generic_org: frozenset[str]
    org_names: frozenset[str]
    doc_heads: frozenset[str]
    unnamed_heads: frozenset[str]
    unnamed_dets: frozenset[str]
    unnamed_after: tuple[str, ...]
    group_heads: frozenset[str]
    collectives: frozenset[str]
    unnamed_plurals: frozenset[str]
    irregular: dict  # plural -> singular
    name_ends: frozenset[str]  # as written: "Energy", "Inc."
    public_generic: frozenset[str] = frozenset()  # "agency": a public body's or a news agency's noun
    public_name_words: frozenset[str] = frozenset()  # "administration", "reuters": such a body's name
    commercial_generic: frozenset[str] = frozenset()  # "company": a firm's noun
    civic_name_words: frozenset[str] = frozenset()  # "union", "federation": a body that is no firm
    anonymous_heads: frozenset[str] = frozenset()  # "official", "source": an anonymous source's noun


@lru_cache(maxsize=1)
def lists() -> Lists:
    text = resources.files("crosswire").joinpath("data/speaker_kinds.toml").read_text(encoding="utf-8")
    try:
        d = tomllib.loads(text)
        low = lambda xs: frozenset(x.lower() for x in xs)  # noqa: E731
        return Lists(low(d["organisation"]["heads"]), low(d["organisation"]["generic"]),
                     frozenset(map(folded, d["organisation"]["names"])),
                     low(d["document"]["heads"]), low(d["unnamed"]["heads"]),
                     low(d["unnamed"]["determiners"]), tuple(d["unnamed"]["after"]),
                     low(d["group"]["heads"]), low(d["group"]["collectives"]),
                     low(d["group"]["unnamed_plurals"]),
                     {v: k for k, v in d["plurals"].items()},
                     frozenset(d["organisation"]["name_ends"]),
                     low(d["organisation"]["public_generic"]), low(d["organisation"]["public_name_words"]),
                     low(d["organisation"]["commercial_generic"]), low(d["organisation"]["civic_name_words"]),
                     low(d["unnamed"]["anonymous_heads"]))
    except (tomllib.TOMLDecodeError, KeyError) as exc:
        raise ValueError(f"crosswire/data/speaker_kinds.toml: {exc}") from exc


def singular(word: str) -> str:
    """A plural noun's singular by the regular English rules ("agencies" -> "agency")."""
    w = word.lower()
    irregular = lists().irregular
    if w in irregular:
        return irregular[w]
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "shes", "ches", "xes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        return w[:-1]
    return w


def _known(word: str, pool: frozenset[str]) -> str | None:
    """The form of `word` that `pool` holds: as written, or its singular."""
    w = word.lower()
    if w in pool:
        return w
    s = singular(w)
    return s if s in pool else None


def ends_a_firms_name(word: str) -> bool:
    """The last word of a firm's name as written ("Energy", "Inc."; speaker_kinds.toml
    name_ends)."""
    return word in lists().name_ends


def folded(text: str) -> str:
    """Lower case without accents: the lists hold "Elysee" and "Élysée", copy also writes
    "Elysée"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def is_org_name(text: str) -> bool:
    """A proper name of a body that spaCy may not tag as one ("the Pentagon")."""
    t = text.strip()
    if t.lower().startswith("the "):
        t = t[4:]
    return folded(t) in lists().org_names


def classify(head: str, *, plural: bool = False, before: list[str] = (), after: str = "",
             entity: str = "", proper: bool = False, role_head: str | None = None) -> str | None:
    """The kind of speaker the phrase headed by `head` names, or None when it names no
    speaker at all ("No deal", "the weather"). `before`: the words before the head in the
    phrase; `after`: the text after it ("familiar with the matter"); `entity`: spaCy's
    entity type of the head; `role_head`: the head as crosswire.speakers.role_key reads it
    (multi-word offices such as "press_secretary")."""
    L = lists()
    h = head.lower()
    person_noun = (role_head in PERSON_NOUNS) or _known(h, PERSON_NOUNS | L.unnamed_heads | L.group_heads)
    after_l = after.lower()
    if person_noun and any(after_l.startswith(p) or f" {p}" in after_l[:40] for p in L.unnamed_after):
        return "unnamed"
    if not proper and _known(h, L.doc_heads):
        return "document"
    if proper and (_body_before(before, after_l, entity, L) or before and head in L.name_ends):
        return "organisation"  # "cloud provider Stratus", "Helios Energy"
    if proper or entity:
        if entity == "PERSON" and folded(h) not in L.org_names and not (plural and (person_noun or h.removesuffix("s") in PERSON_NOUNS)):
            return "person"  # not "Kyiv", nor "Tory MPs", tagged a person
        if entity in ("ORG", "GPE", "FAC") or folded(h) in L.org_names or folded(" ".join([*before[-1:], h])) in L.org_names:
            return "organisation"
        if entity == "NORP":
            # a party named in the plural, which spaCy tags NNP ("The Greens said")
            return "group" if plural or h.endswith("s") else person_or_unnamed(before)
    if _known(h, L.collectives):
        return "group"
    if not person_noun and _known(h, L.org_heads):
        # several bodies of a kind are a group ("port operators", "the banks"); a plural the
        # list holds as such is one body ("the authorities", "the forces")
        return "group" if plural and not proper and h not in L.org_heads else "organisation"
    if person_noun:
        if plural:
            return "unnamed" if _known(h, L.unnamed_plurals) else "group"
        return person_or_unnamed(before)
    if _known(h, L.org_heads):
        return "organisation"
    return None


def _body_before(before, after_l: str, entity: str, L) -> bool:
    """A name that a body's noun introduces ("cloud provider Stratus", "campaign group
    Transport Focus": the last lower-case word before it), or that "which" takes up
    ("Downdetector, which tracks outages,"): a body's, whatever spaCy tagged it."""
    k = next((k for k in range(len(before) - 1, -1, -1) if before[k][:1].islower()), None)
    # the noun right before the name, not one closing an "of" phrase ("secretary of state Colin Powell")
    if k is not None and names_a_body(before[k]) and (k == 0 or before[k - 1].lower() not in _PREPOSITIONS):
        return True
    return entity != "PERSON" and re.match(r"\s*,?\s*which\b", after_l) is not None


_PREPOSITIONS = {"of", "for", "at", "in", "to", "from", "with", "on", "by"}


def names_a_body(word: str) -> bool:
    """A lower-case noun of a body that is no person's trade ("provider", "group"; not
    "chief"): a name right after it is the body's."""
    return word[:1].islower() and bool(_known(word, lists().org_heads)) and not _known(word, PERSON_NOUNS)


def person_or_unnamed(before) -> str:
    """"a spokesman", "one aide", "an unnamed official": unnamed; "the spokesman": a person."""
    words = [w.lower() for w in before]
    if words and words[0] in lists().unnamed_dets and words[0] not in ("senior", "current", "former"):
        return "unnamed"
    return "unnamed" if any(w in ("unnamed", "anonymous") for w in words) else "person"
