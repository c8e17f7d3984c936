"""Which reported-speech candidates are kept: a logistic model over what a rule found.

A rule of rules.REPORTED proposes content, a speaker and a cue; `judge` turns that into
named features (the rule, the cue's lemma, how the speaker was found and what kind it is,
the content's length and shape, where the cue stands) and the probability that the row
is right (PolNeAR's scorer matches it to a gold attribution and the speaker is right).
That probability is the statement's `confidence`; a candidate under the fitted threshold
is dropped. Weights, threshold and provenance: crosswire/data/indirect_filter.toml, fitted
by bench/fit_indirect_filter.py on PolNeAR train (threshold chosen on out-of-fold
probabilities for a train precision of 0.89).

    feats = features(ctx, frame, found)       # {"rule=reported_clause": 1.0, ...}
    p = probability(feats)                     # 0..1
"""
from __future__ import annotations

import math

from .datafiles import read_toml
from .rules.cues import lemma_of

DATA = "indirect_filter.toml"
_MODALS = {"will", "would", "could", "should", "may", "might", "must", "can", "wo", "ca"}
_FIRST_PERSON = {"i", "we", "me", "us"}
_PRONOUNS = {"he", "she", "they", "it", "him", "her", "them", "his", "its", "their"} | _FIRST_PERSON


def model() -> dict:
    """{"intercept", "threshold", "weights": {feature: weight}} of the data file."""
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
        f"resolution={sp.resolution}": 1.0,
        f"speaker_kind={sp.kind or 'none'}": 1.0,
        "log_words": math.log1p(len(words)),
        "short": float(len(words) <= 3),
        "opens_that": float(bool(words) and words[0].lower() == "that"),
        "modal": float(any(w.lower().strip(",.;") in _MODALS for w in words)),
        "cue_after": float(cue_at >= found.end),
        "speaker_pronoun": float(mention in _PRONOUNS),
        "speaker_first_person": float(mention in _FIRST_PERSON),
        "quote_in_sentence": float(bool(frame.spans)),
        "sentence_share": min(1.0, len(content) / max(1, len(sentence.strip()))),
        "title": float(found.section == "title"),
        "question": float(sentence.rstrip().endswith("?")),
    }
    return f


def probability(feats: dict[str, float], m: dict | None = None) -> float:
    """The model's probability that the candidate is right; a feature without a weight
    (a cue lemma unseen in training) adds nothing, its class default does
    ("cue=" features fall back to "cue=other")."""
    m = m or model()
    w = m["weights"]
    z = m["intercept"]
    for name, value in feats.items():
        if name in w:
            z += w[name] * value
        elif name.startswith("cue="):
            z += w.get("cue=other", 0.0) * value
    return 1.0 / (1.0 + math.exp(-z))


def keep(p: float, m: dict | None = None) -> bool:
    return p >= (m or model())["threshold"]
