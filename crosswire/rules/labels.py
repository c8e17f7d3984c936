"""A claim credited by a label, without quote marks: a headline or a paragraph that opens
with who says it and a colon, "Senator Vance: Tariffs Will Stay Until Spring", "Poll: Ruiz
Leads By Ten Points". The words after the colon are the labelled speaker's statement. A
topic label ("Of Clinton:", "On trade:") names no speaker and gives none (the same test as
the quoted rules' headline_label, rules.quoted.label_speaker)."""
from __future__ import annotations

from dataclasses import replace

from ..attribution.mentions import Speaker, char_span
from . import reported_before
from .cues import document_nouns, label_max_words
from .indirect import cue_forms, found_statement, clause
from .quoted import label_speaker

def _document_label(head) -> Speaker | None:
    """A one-word label that names a document or a poll ("Poll:", "Report:", "Study:")."""
    if len(head) != 1:
        return None
    word = head[0].lower_
    if word in document_nouns() or word in cue_forms("findings_in"):
        return Speaker(None, head[0].text, "none", kind="document", at=char_span(head))
    return None


def _opens_paragraph(ctx, tok) -> bool:
    return tok.i == 0 or ctx.para_of[tok.i - 1] != ctx.para_of[tok.i]


def _says_something(toks) -> bool:
    """The words after the label make a claim: a verb with its subject ("Tariffs Will
    Stay") or an infinitive ("Walker to speak at ..."); not a noun phrase ("A tortured
    relationship", a list of names), which is a caption or a topic."""
    return any(t.pos_ in ("VERB", "AUX") and (any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in t.children)
                                              or t.tag_ == "VB" and any(c.lower_ == "to" for c in t.children)
                                              or _headline_passive(t))
               for t in toks)


def _headline_passive(t) -> bool:
    """Headline English's passive without "was": "Man arrested after house fire", the
    participle hung on the headline's noun."""
    return t.tag_ == "VBN" and t.dep_ == "acl" and t.head.dep_ in ("ROOT", "appos", "dep") and t.head.pos_ in ("NOUN", "PROPN") \
        and t.head.i < t.i


@reported_before("any_verb_clause")
def label_claim(ctx, frame):
    """`Name: claim` opening a headline or a paragraph, without quote marks: the claim after
    the colon, said by the person, body, group or document the label names ("Vance:
    Tariffs Will Stay", "Poll: Ruiz Leads By Ten Points")."""
    toks = [t for t in frame.toks if not t.is_space]
    colon = next((t for t in toks if t.text == ":"), None)
    if colon is None or ctx.in_quote[colon.i] or not _opens_paragraph(ctx, toks[0]) \
            or ctx.section not in ("title", "body"):
        return []
    if colon.i in ctx.resolver.set_apart:
        return []  # a run-in label: the words after it name their own speaker
    head = [t for t in toks if t.i < colon.i]
    if not head or len(head) > label_max_words() or any(ctx.in_quote[t.i] or t.is_punct and t.text != "." for t in head):
        return []
    sp = label_speaker(ctx, head) or _document_label(head)
    if sp is None:
        return []
    # the claim: the rest of the paragraph's text (a headline parsed as two sentences too)
    para = ctx.para_of[colon.i]
    rest = [t for t in ctx.doc[colon.i + 1:] if ctx.para_of[t.i] == para]
    if not _says_something(rest):
        return []
    span = clause(ctx, rest)
    return [] if span is None else [found_statement(ctx, colon, span, replace(sp, cue=":"))]


_DASHES = ("—", "–", "-")


@reported_before("commitment_to")
def headline_credit(ctx, frame):
    """`claim — Source` closing a headline, without quote marks: the claim before the dash,
    said by the person, body or group named after it ("Talks were constructive — Kremlin",
    "Russia and US agreed to continue dialogue - Peskov"), as Russian and other agencies'
    English credits a headline. The credit is a label's few words with no verb of its own."""
    if ctx.section != "title":
        return []
    toks = [t for t in frame.toks if not t.is_space]
    dash = next((t for t in reversed(toks) if t.text in _DASHES and t.whitespace_ and t.i > 0
                 and ctx.doc[t.i - 1].whitespace_), None)
    if dash is None or ctx.in_quote[dash.i]:
        return []
    tail = [t for t in toks if t.i > dash.i and not (t.is_punct and t.text == ".")]
    if not tail or len(tail) > label_max_words() or any(t.pos_ in ("VERB", "AUX") or t.is_punct for t in tail):
        return []
    sp = label_speaker(ctx, tail) or _named_credit(ctx, tail)
    if sp is None:
        return []
    lo, hi = tail[0].idx, tail[-1].idx + len(tail[-1])
    sp = replace(sp, mention=ctx.text[lo:hi], at=(lo, hi))  # the credit's words (the parse may join the claim's last word)
    para = ctx.para_of[dash.i]
    claim = [t for t in ctx.doc[:dash.i] if ctx.para_of[t.i] == para and not t.is_space]
    if not _says_something(claim):
        return []
    span = clause(ctx, claim)
    return [] if span is None else [found_statement(ctx, dash, span, replace(sp, cue=dash.text))]


def _named_credit(ctx, tail) -> Speaker | None:
    """The person, body or group a credit's words name, resolved as a speaker would be: the
    parse hangs a headline's "— Kremlin" on the claim's last noun, where no mention is made."""
    head = tail[-1]
    m = ctx.resolver.by_tok.get(head.i) or ctx.resolver._resolve(head, True, True)
    if m is None or m.kind not in ("person", "organisation", "group") or not (m.person or m.entity):
        return None
    return m.speaker()
