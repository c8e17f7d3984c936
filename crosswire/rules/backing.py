"""Support given as a noun with its supporters: "Ruiz has the full support of the union",
"her broad support among dock workers", "support for the toll among councillors". The
supporters (the object of "of", "among" or "from") are the speaker; whom or what they back
is the content. Where the noun takes "for ..." with a possessor of its own ("the union's
support for the toll"), rules.indirect.noun_cue reads it (the possessor speaks)."""
from __future__ import annotations

from functools import lru_cache

from . import reported_before
from .cues import DATA, forms_of, load_cues
from .indirect import found_statement, speaker_words, clause


@lru_cache(maxsize=1)
def _backing() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(nouns and their plurals, supporters' prepositions, every form of the holder verbs)."""
    data = load_cues(DATA)
    b = data.get("backing", {})
    nouns = b.get("nouns", "").split()
    return (frozenset(nouns) | frozenset(n + "s" for n in nouns), frozenset(b.get("preps", "").split()),
            frozenset(f for v in b.get("holder_verbs", "").split() for f in forms_of(v, data)))


def _supporters(noun, preps):
    """The object of the supporters' preposition on the noun, or on the object of its
    "for ..." (the parse hangs "among councillors" on either)."""
    heads = {noun.i} | {g.i for c in noun.children if c.dep_ == "prep" and c.lower_ == "for"
                        for g in c.children if g.dep_ == "pobj"}
    for t in noun.subtree:
        if t.dep_ == "prep" and t.lower_ in preps and t.head.i in heads and t.i > noun.i:
            return next((g for g in t.children if g.dep_ == "pobj"), None)
    return None


def _backed(noun, holder_verbs):
    """The tokens of whom or what is backed: the noun's possessor (without its "'s"), the
    object of its "for", or the subject of the verb that holds it ("Ruiz has the support
    of ...")."""
    poss = next((c for c in noun.children if c.dep_ == "poss"), None)
    if poss is not None:
        return [t for t in poss.subtree if t.dep_ != "case"]
    prep = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "for" and c.i > noun.i), None)
    pobj = next((g for g in prep.children if g.dep_ == "pobj"), None) if prep is not None else None
    if pobj is not None:
        return list(pobj.subtree)
    if noun.dep_ == "dobj" and noun.head.lower_ in holder_verbs:
        subj = next((c for c in noun.head.children if c.dep_ == "nsubj"), None)
        if subj is not None:
            return list(subj.subtree)
    return None


@reported_before("any_verb_clause")
def support_of(ctx, frame):
    """Whom a group backs, given by a support noun and its supporters: "Ruiz has the support
    of the union", "her support among dock workers" (the union, the dock workers speak;
    Ruiz, her, is the content). Not "in support of ..." (a cause, not a supporter)."""
    nouns, preps, holder_verbs = _backing()
    out = []
    for noun in frame.outside:
        if noun.lower_ not in nouns or noun.pos_ != "NOUN" or noun.head.lower_ == "in":
            continue
        who = _supporters(noun, preps)
        backed = _backed(noun, holder_verbs) if who is not None else None
        if not backed or ctx.in_quote[who.i] or any(ctx.in_quote[t.i] for t in backed):
            continue
        span = clause(ctx, backed, min_words=1)
        if span is None:
            continue
        m = ctx.resolver.by_tok.get(who.i)
        sp = ctx._speaker(m, noun) if m is not None and m.can_speak else speaker_words(ctx, noun, who)
        if sp is not None and sp.kind is not None:
            out.append(found_statement(ctx, noun, span, sp))
    return out
