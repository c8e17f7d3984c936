"""Which reported-speech candidates are kept, and how sure each is: logistic models over
what a rule found.

A rule of rules.REPORTED proposes content, a speaker and a cue; `features` names what
the candidate is (the rule, the cue's lemma (a stem for a verb the cue file does not list)
and its verb family (cues.toml [families]), where the cue stands in the parse, how the
speaker was found and what kind it is, the content's length and shape, the preposition
before it, a quotation running on from it). The candidates of the rules that take any
verb (OPEN_RULES) have features of their own ("open|..."). Two logistic
models share those features: "filter", the probability that the candidate matches a gold
attribution at all (what precision counts), whose threshold drops candidates, and
"confidence", the probability that it matches and its speaker is right, which becomes
the statement's `confidence`. Weights, threshold and provenance:
crosswire/data/indirect_filter.toml, fitted by bench/fit_indirect_filter.py on PolNeAR
train (the threshold chosen on out-of-fold probabilities for a target train precision).

    feats = features(ctx, frame, found)       # {"rule=reported_clause": 1.0, ...}
    p = probability(feats)                     # 0..1, the row's confidence
    keep(feats)                                # clears the filter's threshold
"""
from __future__ import annotations

import math

from .datafiles import read_toml
from .rules.cues import family_of, lemma_of
from .speakers import PERSONAL_PRONOUNS

DATA = "indirect_filter.toml"
_MODALS = {"will", "would", "could", "should", "may", "might", "must", "can", "wo", "ca"}
_FIRST_PERSON = {"i", "we", "me", "us"}
# Features with one value per word (the cue's lemma): a value seen too rarely in training
# shares the prefix's "other" weight ("cue=other"). (A content's head word was tried as
# one more: no gain out-of-fold on PolNeAR train400.)
POOLED = ("cue=",)
# The rules that take any verb or adjective (no cue list): their candidates get features of
# their own ("open|cue=...").
OPEN_RULES = frozenset({"any_verb_clause", "any_verb_infinitive", "any_verb_object", "any_verb_prep",
                        "adjective_prep", "passive_by_agent", "possessed_noun"})


def model() -> dict:
    """{"filter": {"intercept", "threshold", "weights"}, "confidence": {"intercept",
    "weights"}} of the data file ({feature: weight})."""
    return read_toml(DATA)


def _frame_text(ctx, frame) -> str:
    return ctx.text[frame.lo:frame.hi]


def features(ctx, frame, found) -> dict[str, float]:
    """The named features of a reported-speech candidate in its sentence (all 0/1 but the
    length ones)."""
    sp = found.speaker
    content = ctx.text[found.start:found.end]
    words = content.split()
    cue = (sp.cue or "").lower()
    mention = (sp.mention or "").lower()
    sentence = _frame_text(ctx, frame)
    cue_at = sentence.lower().find(cue.split()[0]) + frame.lo if cue else -1
    f = {
        f"rule={found.rule}": 1.0,
        f"cue={lemma_of(cue)}": 1.0,
        f"family={family_of(cue.split()[0]) if cue else None}": 1.0,
        f"resolution={sp.resolution}": 1.0,
        f"speaker_kind={sp.kind or 'none'}": 1.0,
        "log_words": math.log1p(len(words)),
        "short": float(len(words) <= 3),
        "opens_that": float(bool(words) and words[0].lower() == "that"),
        "modal": float(any(w.lower().strip(",.;") in _MODALS for w in words)),
        "cue_after": float(cue_at >= found.end),
        "speaker_pronoun": float(mention in PERSONAL_PRONOUNS),
        "speaker_first_person": float(mention in _FIRST_PERSON),
        "quote_in_sentence": float(bool(frame.spans)),
        # a quotation that runs on from the content ("said that X "and Y""): PolNeAR makes
        # the two one mixed attribution, which an indirect row does not match
        "quote_touches": float(any(0 <= sp.open - found.end <= 3 or 0 <= found.start - (sp.close or sp.end) <= 3
                                   for sp in frame.spans)),
        "sentence_share": min(1.0, len(content) / max(1, len(sentence.strip()))),
        "title": float(found.section == "title"),
        "question": float(sentence.rstrip().endswith("?")),
        f"rule={found.rule}|resolution={sp.resolution}": 1.0,
    }
    if found.cue_at is not None:
        f.update(_cue_features(ctx.doc[found.cue_at]))
        f[f"rule={found.rule}|cue_tag={ctx.doc[found.cue_at].tag_}"] = 1.0
    f[f"rule={found.rule}|speaker_kind={sp.kind or 'none'}"] = 1.0
    f.update(_content_features(ctx, found))
    f.update(_speaker_features(ctx, found))
    if found.rule in OPEN_RULES:
        # weights of their own: thousands of candidates of any verb would otherwise bend the
        # weights the listed cues' candidates are judged by
        f = {k if k.startswith("rule=") else "open|" + k: v for k, v in f.items()}
    return f


_CUE_DEPS = {"ROOT", "conj", "advcl", "ccomp", "xcomp", "relcl", "acl", "parataxis", "pcomp",
             "acomp", "dobj", "pobj", "nsubj", "prep"}


def _cue_features(cue) -> dict[str, float]:
    """Where the cue stands in the parse and its verb form: "said" at the root, "saying"
    on a participle, "would want", "has argued"."""
    aux = {c.lower_ for c in cue.children if c.dep_ in ("aux", "auxpass")}
    return {
        f"cue_dep={cue.dep_ if cue.dep_ in _CUE_DEPS else 'other'}": 1.0,
        f"cue_tag={cue.tag_}": 1.0,
        "cue_modal": float(bool(aux & _MODALS)),
        "cue_perfect": float(bool(aux & {"has", "have", "had"})),
        "cue_sentence_start": float(cue.i == cue.sent.start),
    }


def _content_features(ctx, found) -> dict[str, float]:
    """Whether the content is a clause (a verb with its own subject) or a noun phrase."""
    toks = list(ctx.doc[ctx.tok_at(found.start):ctx.tok_at(found.end)])
    ids = {t.i for t in toks}
    root = next((t for t in toks if t.head.i not in ids or t.head.i == t.i), None)
    before = ctx.doc[toks[0].i - 1] if toks and toks[0].i > 0 else None
    return {
        f"content_root={root.pos_ if root is not None else 'none'}": 1.0,
        # the preposition that introduces a content ("railed against ...", "critical of ...")
        f"prep_before={before.lower_ if before is not None and before.dep_ == 'prep' else 'none'}": 1.0,
        "content_subject": float(any(t.dep_ in ("nsubj", "nsubjpass") for t in toks)),
        "content_to": float(bool(toks) and toks[0].lower_ == "to"),
        "content_wh": float(bool(toks) and toks[0].tag_ in ("WDT", "WP", "WRB") or
                            bool(toks) and toks[0].lower_ in ("if", "whether")),
    }


# the values of a speaker's head word that carry a weight of their own; the rest share "other"
# (so that a value the training never saw still has a fitted weight)
_SPEAKER_ENTS = {"PERSON", "ORG", "GPE", "NORP", "none"}
_SPEAKER_POS = {"PROPN", "NOUN", "PRON"}
_SPEAKER_DEPS = {"nsubj", "nsubjpass", "pobj", "poss", "dobj", "appos", "compound", "conj", "ROOT"}


def _bucket(value: str, known: set[str]) -> str:
    return value if value in known else "other"


def _mention_tokens(ctx, found) -> list:
    """The tokens of the speaker's mention where the rule read it (Speaker.at); none when
    no words of the field name the speaker."""
    at = found.speaker.at
    if at is None:
        return []
    return list(ctx.doc[ctx.tok_at(at[0]):ctx.tok_at(at[1])])


def _speaker_features(ctx, found) -> dict[str, float]:
    """What the speaker's mention is in the parse: its head's entity type and part of speech
    ("PERSON"/"ORG", "PROPN"/"PRON"), its dependency and whether it is the cue's subject,
    capitalised, how far from the cue. An open rule's "subject" that is a person the
    tagger knows is likelier a speaker than a common noun doing something ("the bill
    would cut ...")."""
    toks = _mention_tokens(ctx, found)
    if not toks:
        return {"speaker_found=0": 1.0}
    ids = {t.i for t in toks}
    head = next((t for t in toks if t.head.i not in ids or t.head.i == t.i), toks[0])
    cue = ctx.doc[found.cue_at] if found.cue_at is not None else None
    f = {
        f"speaker_ent={_bucket(head.ent_type_ or 'none', _SPEAKER_ENTS)}": 1.0,
        f"speaker_pos={_bucket(head.pos_, _SPEAKER_POS)}": 1.0,
        f"speaker_dep={_bucket(head.dep_, _SPEAKER_DEPS)}": 1.0,
        "speaker_in_content": float(any(found.start <= t.idx < found.end for t in toks)),
        "speaker_capital": float(toks[0].text[:1].isupper()),
        "speaker_log_words": math.log1p(len(toks)),
    }
    if cue is not None:
        f["speaker_before_cue"] = float(head.i < cue.i)
        f["speaker_subject_of_cue"] = float(head.head.i == cue.i and head.dep_ in ("nsubj", "nsubjpass", "agent", "poss"))
        f["speaker_cue_distance"] = math.log1p(abs(head.i - cue.i))
    return f


def probability(feats: dict[str, float], part: str = "confidence", m: dict | None = None) -> float:
    """The probability of one logistic model of the data file: "filter" (the candidate
    matches a gold attribution) or "confidence" (it matches and its speaker is right). A
    word-valued feature (POOLED) without a weight of its own (rare or unseen in training)
    takes its prefix's "other" weight ("cue=other")."""
    m = (m or model())[part]
    w = m["weights"]
    z = m["intercept"]
    for name, value in feats.items():
        if name in w:
            z += w[name] * value
        else:
            prefix = next((p for p in POOLED + tuple("open|" + q for q in POOLED) if name.startswith(p)), None)
            if prefix is not None:
                z += w.get(prefix + "other", 0.0) * value
    return 1.0 / (1.0 + math.exp(-z))


def keep(feats: dict[str, float], m: dict | None = None) -> bool:
    """Whether a candidate clears the filter's fitted threshold. The rules in `always_keep`
    (none since session 12; listed speech cues before) pass whatever their score, and the
    threshold was chosen with those rows kept."""
    m = m or model()
    f = m["filter"]
    if any(feats.get(f"rule={r}") for r in f.get("always_keep", ())):
        return True
    return probability(feats, "filter", m) >= f["threshold"]
