"""Who said a quotation, by the conventions of news layout rather than by a reporting verb:
a credit line after a dash (`"..." ― Ann Lee`, as under reader comments, epigraphs and
collected reactions). Registered after the rules of rules/quoted.py."""
from __future__ import annotations

import re

from ..attribution.mentions import Speaker, char_span, speaker_copy
from . import context, context_before, speaker

# a dash after the closing mark, then the credit: "― Ann Lee", "— Ann Lee, 34, Ohio"
_DASH = re.compile(r"[ \t]*[―—–][ \t]*|[ \t]+-[ \t]+")
_CREDIT_WORDS = 5  # a credit names someone in a few capitalised words


@speaker
def dash_credit(ctx, f, frame):
    """`"We stay out." ― Ann Lee`: a dash right after the closing mark and a name on the
    same line credit the quotation to that person."""
    sp = f.span
    if sp.close is None:
        return None
    m = _DASH.match(ctx.text, sp.close + 1)
    if not m or m.end() >= len(ctx.text) or not ctx.text[m.end()].isupper():
        return None
    j = ctx.tok_at(m.end())
    doc = ctx.doc
    if j >= len(doc) or ctx.para_of[j] != f.para:
        return None
    for k in range(j, min(j + 3, len(doc))):
        mention = ctx.resolver.by_tok.get(k)
        if mention is not None and mention.person and mention.start >= m.end():
            return mention.speaker()
    words = []
    for t in doc[j:j + _CREDIT_WORDS + 1]:
        if not (t.text[:1].isupper() and (t.is_alpha or re.fullmatch(r"[A-Z]\.", t.text))):
            break
        words.append(t)
        if t.i + 1 < len(doc) and "\n" in doc[t.i + 1].text:
            break  # the credit ends with its line
    if not 2 <= len(words) <= _CREDIT_WORDS or any(t.ent_type_ in ("ORG", "GPE", "DATE") for t in words):
        return None  # one capitalised word is a place or a paper as often as a person
    raw = " ".join(t.text for t in words)
    name = ctx.cast.add(ctx.cast.canonical(raw)).name
    return Speaker(name, raw, "name", kind="person", at=char_span(words))


# --- the text around it --------------------------------------------------------------------

_SHORT_ATTRIBUTION = 12  # tokens: "Kemper said on Monday." and no more


@context_before("same_paragraph_before")
def attribution_after(ctx, f, arg):
    """`"Cargo is piling up." Kemper said.`: a quotation closed with its own full stop and
    followed, in the same paragraph, by a short sentence that is only a speaker and a
    reporting verb."""
    if f.rule or ctx.known(f.speaker) or f.span.close is None:
        return None
    frames = ctx.frame_list
    k = next((fr.k for fr in frames if fr.lo <= f.span.open < fr.hi), None)
    if k is None or k + 1 >= len(frames):
        return None
    nxt = frames[k + 1]
    if nxt.spans or not nxt.cues or ctx.text[f.span.close + 1:nxt.lo].strip() \
            or "\n" in ctx.text[frames[k].lo:nxt.hi] or len([t for t in nxt.toks if not t.is_punct]) > _SHORT_ATTRIBUTION:
        return None
    m = ctx.resolver.subject_of(nxt.cues[0])
    if m is None or not m.can_speak:
        return None
    sp = ctx._speaker(m, nxt.cues[0])
    return speaker_copy(sp) if ctx.known(sp) else None


@context
def previous_paragraph_subject(ctx, f, arg):
    """A paragraph of nothing but quotation after a paragraph that quotes nobody: the
    person that paragraph last made its subject (`Ann Lee spoke to the strikers.` then
    `"We stay out."`), as news introduces a speaker before giving the words."""
    _, _, found = arg
    if f.rule or ctx.known(f.speaker) or f.kind != "direct" or not (f.span.continued or ctx._only_quotes(f.para)):
        return None
    if f.para == 0 or any(g.para == f.para - 1 for g in found) or ctx._only_quotes(f.para - 1):
        return None
    lo, hi = ctx.para_bounds[f.para - 1]
    prior = [m for m in ctx.resolver.history if m.subject and m.person and lo <= m.start < hi]
    return prior[-1].speaker() if prior else None
