"""One person, one speaker across the outlets of an event.

An article that calls a speaker only "Mr Renquist" gives the speaker the name "Renquist";
another outlet's "Tobias Renquist" is another speaker id, so the two outlets' words of one
person are never aligned as the same speaker's, and their agreements say they disagree on
who spoke. Within one event (one story on one day), a person's name that is the tail of
exactly one longer person's name the event's other articles give is that person:

    full_names(statements)   # {short speaker_id: (full speaker_id, full name)}

Names are compared without case and diacritics ("Šimková" in one outlet, "Simkova" in a
translation) and take the spelling with them. Only within an event: two events may hold
two people of one family name. Only when the longer names fit one person: "Trump" beside "Donald Trump" and "Melania Trump" stays
"Trump"; "Blasio" beside "de Blasio" and "Bill de Blasio" is Bill de Blasio (each longer
name holds the next).
"""
from __future__ import annotations

from collections import Counter, defaultdict

from . import align
from .spelling import unaccented

def _person_names(statements: list[dict]) -> tuple[dict[str, str], Counter, dict[str, set]]:
    """({speaker_id: name}, statements per speaker_id, {speaker_id: its articles}) of the
    people the statements name."""
    names, count, articles = {}, Counter(), defaultdict(set)
    for s in statements:
        if s.get("speaker_id") and s.get("speaker_name") and s.get("speaker_kind") in (None, "person"):
            names[s["speaker_id"]] = s["speaker_name"]
            count[s["speaker_id"]] += 1
            articles[s["speaker_id"]].add(s.get("article_id"))
    return names, count, articles


def _fold(name: str) -> tuple[str, ...]:
    """A name's words as outlets that differ in case and diacritics write it alike."""
    return tuple(unaccented(name).casefold().split())


def _spelling(names: dict[str, str], count: Counter):
    """The rank of a speaker's name among its spellings: the one with its diacritics (an
    outlet dropping them is the usual difference), then the one most statements use."""
    return lambda sid: (sum(not c.isascii() for c in names[sid]), count[sid], names[sid])


def _longest_if_nested(tails: list[tuple[str, ...]]) -> tuple[str, ...] | None:
    """The longest of the folded names `tails` when each of the others is a tail of it, else None."""
    longest = max(tails, key=lambda w: (len(w), w))
    if all(longest[len(longest) - len(w):] == w for w in tails):
        return longest
    return None


def fullest(names) -> dict[tuple, tuple]:
    """{words: the longest of `names` (word tuples) that ends with them}, for the names that
    are the tail of longer ones that fit one holder (_longest_if_nested)."""
    names = set(names)
    longer: dict[tuple, list[tuple]] = defaultdict(list)
    for words in names:
        for k in range(1, len(words)):
            if words[k:] in names:
                longer[words[k:]].append(words)
    out = {}
    for words, fuller in longer.items():
        full = _longest_if_nested(fuller)
        if full is not None:
            out[words] = full
    return out


def full_names(statements: list[dict]) -> dict[str, tuple[str, str]]:
    """{speaker_id: (speaker_id, name)}: each person of the event named by another spelling
    of a name ("Tereza Simkova" of "Tereza Šimková"), or by a name of one person's nested
    names (fullest), to the name of two or more words most articles give ("Tobias Renquist"
    for "Renquist"; "Henrik Berg" for a tagger's "Valtera Henrik Berg" that one article
    gives; ties: the longest), in its best spelling."""
    names, count, articles = _person_names(statements)
    spellings: dict[tuple, list[str]] = defaultdict(list)
    for sid in names:
        spellings[_fold(names[sid])].append(sid)
    best = {words: max(ids, key=_spelling(names, count)) for words, ids in spellings.items()}
    cover = {words: len(set().union(*(articles[sid] for sid in ids))) for words, ids in spellings.items()}
    full = fullest(best)
    out = {}
    for sid, name in sorted(names.items()):
        words = _fold(name)
        longest = full.get(words, words)
        chain = [w for w in best if len(w) >= 2 and longest[len(longest) - len(w):] == w]
        target = best[max(chain, key=lambda w: (cover[w], len(w), w)) if chain else words]
        if target != sid:
            out[sid] = (target, names[target])
    return out


def body_voices(statements: list[dict]) -> dict[str, str]:
    """{statement_id: voice} for the statements credited to a body or an unnamed source
    by a shorter form of what other statements of the event call it ("the Red Cross" of
    "the Lorvenian Red Cross", "an interior ministry official" of "a senior interior
    ministry official"): the fuller form's voice (align.speaker_voice), so that alignment
    and utterances compare them as one speaker's."""
    voice_of = {s["statement_id"]: align.speaker_voice(s) for s in statements}
    words = {v: tuple(v[1:].split()) for v in voice_of.values() if v and v.startswith("~")}
    full = fullest(words.values())
    return {sid: "~" + " ".join(full[words[v]]) for sid, v in voice_of.items()
            if v in words and words[v] in full}
