"""The writer's own reading of how things seem: "The mayor seemed ready for a long fight",
"The ferry line appears to have lost money", "It seems that the vote will be close".
PolNeAR annotates these as attributions whose source is the writer (no speaker named):
the subject with what it seems to be or do is the content, the verb (cues.toml [classes]
impression) the cue. The statement has no speaker; the fitted filter
(crosswire.indirect_filter) judges each candidate by its rule and cue."""
from __future__ import annotations

from . import reported_before
from .indirect import _WH, _all_cue_forms, _forms, _found, _outside, _subtree, _verb_cue, clause

# How a seem/appear verb takes what it seems: "to have lost" (xcomp), "ready" (oprd,
# acomp), "a reminder" (attr), "like a smart move" (prep "like").
_COMPLEMENT_DEPS = ("xcomp", "oprd", "acomp", "attr")
_EXPLETIVE = {"it"}


def _complement(cue):
    """What the cue says its subject seems (the first such child after the cue), or None."""
    for c in cue.children:
        if c.i < cue.i:
            continue
        if c.dep_ in _COMPLEMENT_DEPS or c.dep_ == "prep" and c.lower_ == "like":
            return c
    return None


_ALSO = ("prep", "advmod", "npadvmod", "xcomp")


def _extended(ctx, cue, last: int) -> int:
    """The content's last token taken over what the cue's own phrase adds right after the
    complement, not after a comma ("seems ready | for a long fight")."""
    for c in cue.children:
        if c.i > last and c.dep_ in _ALSO and c.left_edge.i == last + 1 and not ctx.in_quote[c.i]:
            last = max(t.i for t in _subtree(ctx, c))
    return last


def _cue_of_its_own(comp) -> bool:
    """"seemed to suggest that ...", "appears to back the plan": the infinitive is a cue
    whose own rule reports it, with the subject as its speaker."""
    return comp.dep_ == "xcomp" and comp.pos_ == "VERB" and comp.lower_ in _all_cue_forms()


@reported_before("any_verb_clause")
def seems_to(ctx, frame):
    """How someone or something seems or appears, in the writer's words: the subject with
    its complement, "The harbour master seems ready for a fight", "The new line appears to
    have lost money", "The plan seemed like a smart move"; "It seems (that) ..." gives the
    clause alone. Not a negated cue, nor a relative subject ("which appear to ...")."""
    out = []
    for cue in _outside(ctx, frame):
        if not _verb_cue(cue, _forms("impression")):
            continue
        subj = next((c for c in cue.children if c.dep_ == "nsubj" and c.i < cue.i), None)
        if subj is None or subj.lower_ in _WH or ctx.in_quote[subj.i]:
            continue
        comp = next((c for c in cue.children if c.dep_ == "ccomp" and c.i > cue.i), None) \
            if subj.lower_ in _EXPLETIVE else None
        if comp is not None:                               # "It seems (that) the vote ..."
            span = clause(ctx, _subtree(ctx, comp))
        else:
            comp = _complement(cue)
            if comp is None or ctx.in_quote[comp.i] or _cue_of_its_own(comp):
                continue
            last = _extended(ctx, cue, max(t.i for t in _subtree(ctx, comp)))
            span = clause(ctx, list(ctx.doc[subj.left_edge.i:last + 1]))
        if span is not None:
            out.append(_found(ctx, cue, span, ctx._speaker(None, cue)))
    return out
