"""Whether a verb belongs to the clause that says why a source goes unnamed ("who asked not
to be named because he feared retaliation", "granted anonymity to speak", "not authorized to
speak"): such a clause is the writer's account of the source, never a statement of theirs.
Read by the quoted rules (a cue there gives only the speaker) and by the open reported-speech
rules (no candidate there)."""
from __future__ import annotations

from functools import cache

from ..attribution.reporting_verbs import is_speech_cue
from ..datafiles import read_toml


@cache
def _words() -> tuple[frozenset, frozenset]:
    data = read_toml("quoted_phrases.toml")
    return frozenset(data["anonymity_verbs"]), frozenset(data["anonymity_nouns"])


def about_anonymity(cue, strict: bool = False) -> bool:
    """Is the cue the verb of a clause on why its speaker goes unnamed? Words as listed in
    quoted_phrases.toml; the clause is the cue's own, or the verb it completes. `strict`:
    the verb of naming only negated or in the passive ("not to be named", "not authorized"),
    not "named a candidate", "identified the platforms"."""
    verbs, nouns = _words()
    top = cue.head if cue.dep_ in ("xcomp", "advcl") and cue.head.pos_ == "VERB" \
        and not is_speech_cue(cue.head) else cue
    naming = [v for v in [top, *(c for c in top.children if c.dep_ == "xcomp")] if v.lower_ in verbs]
    if naming and (not strict or any(_unnamed(v) for v in naming)):
        return True
    for w in top.subtree:
        if w.lower_ in nouns:
            a = w.head  # up to the clause's verb, through no other verb
            while a.i != top.i and a.pos_ not in ("VERB", "AUX") and a.head.i != a.i:
                a = a.head
            if a.i == top.i:
                return True
    return False


def _unnamed(verb) -> bool:
    """A verb of naming negated or in the passive, or under a negated verb ("asked not to be
    named", "was not authorized", "declined to be identified")."""
    own = [c.dep_ for c in verb.children]
    return "neg" in own or "auxpass" in own or verb.dep_ == "xcomp" and any(c.dep_ == "neg" for c in verb.head.children)
