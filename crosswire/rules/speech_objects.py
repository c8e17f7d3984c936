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
from .cues import forms_by_class, heard_verbs, hearing_bodies, hearing_verbs
from .indirect import (ASK, NOT_CONTENT, attributed, cue_forms, found_statement, is_negated, object_cue_forms, object_span,
                       heard_participle, unnamed_asker, _subtree, _verb_cue, clause)


@lru_cache(maxsize=1)
def _content_object_verbs() -> frozenset[str]:
    """The verbs whose object this rule reads: the speech verbs, the account verbs
    ("described the meeting") and those of cues.toml [classes] content_object ("expressed
    his thanks"), less those the object classes' rules read (reported_object,
    stance_object, ...; an account verb's "as ..." is characterisation's) and those whose
    object is mostly the hearer or a work ("told reporters", "wrote a book": cues.toml
    [classes] speech_no_object)."""
    classes = forms_by_class()
    verbs = cue_forms("speech", "account") | classes.get("content_object", frozenset())
    return verbs - (object_cue_forms() - classes["account"]) - classes.get("speech_no_object", frozenset())


def _characterised(cue) -> bool:
    """"described the plan as a disaster", "called it a hoax": characterisation's."""
    return any(c.dep_ == "oprd" or c.dep_ == "prep" and c.lower_ == "as" for c in cue.children)


@reported_before("any_verb_clause")
def speech_verb_object(ctx, frame):
    """What a speech verb's noun-phrase object holds: "Sanders went first, predicting a
    close race", "Many Democrats warned the Fed, noting the slow growth of wages", "She
    described the meeting", "The union expressed its thanks" (not "told reporters": its
    object is the hearer)."""
    forms = _content_object_verbs()
    out = []
    for cue in frame.verbs:
        if not _verb_cue(cue, forms) or any(c.dep_ in ("ccomp", "xcomp") for c in cue.children) \
                or _characterised(cue):
            continue
        obj = next((c for c in cue.children if c.dep_ == "dobj" and c.i > cue.i and not ctx.in_quote[c.i]), None)
        if obj is None or obj.pos_ == "PRON" or obj.lower_ in NOT_CONTENT:
            continue
        out += attributed(ctx, cue, object_span(ctx, cue, obj))
    return out


def _passive(verb) -> bool:
    return any(c.dep_ == "auxpass" for c in verb.children)


def _passive_complement(ctx, cue):
    """What a passive reporting verb says of its subject: an infinitive ("is expected to
    resign", "is said to have resigned"), "as ..." ("is seen as the favourite"), or a predicate noun or adjective ("was
    declared the winner", "is considered an asset"; the parser makes the noun of "was
    announced the winner" an object)."""
    return next((c for c in cue.children if c.i > cue.i and not ctx.in_quote[c.i] and (
        c.dep_ == "xcomp" and (c.tag_ == "VB" or c.left_edge.lower_ == "to") or c.dep_ in ("prep", "oprd") and c.lower_ == "as"
        or c.dep_ == "oprd" and c.pos_ in ("NOUN", "PROPN", "ADJ") or c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN"))),
        None)


def _passive_subject_span(ctx, cue, subj, comp):
    """The content of "X is expected to ...": the subject to the end of the complement; from
    the relative word of a relative clause ("..., which is expected to pass"), as PolNeAR
    annotates it; the infinitive alone after "it" ("It is expected to rise": "it" stands for
    what an earlier sentence names)."""
    if subj.lower_ == "it" and comp.dep_ == "xcomp":
        return clause(ctx, _subtree(ctx, comp))
    if cue.dep_ == "relcl" and subj.lower_ in ("which", "that", "who"):
        return clause(ctx, list(ctx.doc[subj.i:comp.right_edge.i + 1]), question=None)
    if subj.lower_ in NOT_CONTENT:
        return None
    return clause(ctx, list(ctx.doc[subj.left_edge.i:comp.right_edge.i + 1]))


@reported_before("any_verb_clause")
def passive_report(ctx, frame):
    """What is reported, expected or believed without a word of who holds it, in the
    passive: "It was reported that the port would close", "The minister is widely
    expected to resign", "The mayor is widely seen as the favourite", "Lee was declared the
    winner" (the subject with its infinitive, its "as ..." or its predicate noun; the cue's
    words inside the content; from the relative word of a relative clause). The statement has no speaker: the article names none. Not a passive
    with its agent (passive_by_agent's), nor "was told" / "was asked" (their subject heard
    it)."""
    forms = forms_by_class().get("passive_report", frozenset())
    out = []
    for cue in frame.verbs:
        if cue.lower_ not in forms or cue.pos_ != "VERB" or not _passive(cue) or is_negated(cue) \
                or any(c.dep_ == "agent" for c in cue.children):
            continue
        subj = next((c for c in cue.children if c.dep_ == "nsubjpass" and c.i < cue.i), None)
        comp = next((c for c in cue.children if c.dep_ == "ccomp" and c.i > cue.i and not ctx.in_quote[c.i]), None)
        inf = _passive_complement(ctx, cue)
        if subj is not None and subj.lower_ == "it" and comp is not None:
            span = clause(ctx, _subtree(ctx, comp))           # "It was reported that ..."
        elif subj is not None and inf is not None:
            span = _passive_subject_span(ctx, cue, subj, inf)  # "X is expected to ...", "seen as", "declared the winner"
        else:
            continue
        if span is not None:
            out.append(found_statement(ctx, cue, span, ctx._speaker(None, cue)))
    return out


@reported_before("any_verb_clause")
def question_put(ctx, frame):
    """What someone was asked, by an asker the article does not name: "The harbour master
    was asked whether the terminal would reopen", "The council has been asked to publish
    the contract", "She was asked about the tolls": the question, the request or its
    topic, a statement with no speaker (its subject only heard it)."""
    out = []
    for cue in frame.verbs:
        if cue.lower_ not in ASK or cue.pos_ != "VERB" or not unnamed_asker(cue) or is_negated(cue):
            continue
        span = None
        for c in cue.children:
            if c.i < cue.i or ctx.in_quote[c.i]:
                continue
            if c.dep_ in ("ccomp", "advcl") and c.tag_ != "VBG":     # "whether ...", "what ..."
                span = clause(ctx, list(c.subtree), question=True)
            elif c.dep_ == "xcomp" and c.tag_ == "VB":             # "to publish the contract"
                span = clause(ctx, _subtree(ctx, c))
            elif c.dep_ == "prep" and c.lower_ == "about":          # "about the tolls"
                pobj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
                span = clause(ctx, list(pobj.subtree), min_words=2) if pobj is not None else None
            if span is not None:
                break
        if span is not None:
            out.append(found_statement(ctx, cue, span, ctx._speaker(None, cue)))
    return out


@reported_before("any_verb_clause")
def told_unnamed(ctx, frame):
    """What someone was told or warned of by a speaker the article does not name: "The
    mayor had been told that the bridge would close", "Residents were warned that the dam
    could fail", "Told that the ferry was late, Ana Ruiz sighed": the clause, a statement
    with no speaker (its subject only heard it; with
    an agent, "was told by aides that ...", the agent is no subject of a rule here)."""
    out = []
    for cue in frame.verbs:
        if cue.lower_ not in heard_verbs() or cue.pos_ != "VERB" or not (_passive(cue) or heard_participle(cue)) \
                or is_negated(cue) or any(c.dep_ == "agent" for c in cue.children):
            continue
        out += _heard_from_no_one(ctx, cue)
    return out


def _heard_from_no_one(ctx, cue) -> list:
    """The clause after a cue whose subject only heard it ("was told that ...", "The court
    heard that ..."): a statement with no speaker named; [] when there is none."""
    comp = next((c for c in cue.children if c.dep_ == "ccomp" and c.i > cue.i and not ctx.in_quote[c.i]), None)
    span = clause(ctx, _subtree(ctx, comp)) if comp is not None else None
    return [] if span is None else [found_statement(ctx, cue, span, ctx._speaker(None, cue))]


@reported_before("any_verb_clause")
def heard_at_a_hearing(ctx, frame):
    """What a court, a jury or an inquest heard: "The court heard that the defendant had
    bought the knife online", "The jury heard he fled": the clause, a statement whose
    speaker the report does not name (the hearing is the listener: cues.toml [hearings])."""
    out = []
    for cue in frame.verbs:
        if cue.lower_ not in hearing_verbs() or cue.pos_ != "VERB" or is_negated(cue):
            continue
        subj = next((c for c in cue.children if c.dep_ == "nsubj"), None)
        if subj is not None and subj.lower_ in hearing_bodies():
            out += _heard_from_no_one(ctx, cue)
    return out
