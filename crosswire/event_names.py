"""One person, one speaker across the outlets of an event.

An article that calls a speaker only "Mr Renquist" gives the speaker the name "Renquist";
another outlet's "Tobias Renquist" is another speaker id, so the two outlets' words of one
person are never aligned as the same speaker's, and their agreements say they disagree on
who spoke. Within one event (one story on one day), a person's name that is the tail of
exactly one longer person's name the event's other articles give is that person:

    full_names(statements)   # {short speaker_id: (full speaker_id, full name)}

Names are compared without case and diacritics ("Šimková" in one outlet, "Simkova" in a
translation) and take the spelling with them. Only within an event: two events may hold
two people of one family name. Only when the longer names fit one person: "Trump" beside
"Donald Trump" and "Melania Trump" stays "Trump"; "Blasio" beside "de Blasio" and "Bill de
Blasio" is Bill de Blasio (each longer name holds the next).
"""
from __future__ import annotations

from collections import Counter, defaultdict

from . import align
from .speakers import heads_match, role_key
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
    gives; ties: the longest), in its best spelling. A name written with initials ("R.
    Mrazek") is the one name of the event those initials open ("Radoslav Mrázek")."""
    names, count, articles = _person_names(statements)
    spellings: dict[tuple, list[str]] = defaultdict(list)
    for sid in names:
        spellings[_fold(names[sid])].append(sid)
    best = {words: max(ids, key=_spelling(names, count)) for words, ids in spellings.items()}
    cover = {words: len(set().union(*(articles[sid] for sid in ids))) for words, ids in spellings.items()}
    full = fullest(w for w in best if not _initials(w))
    out = {}
    for sid, name in sorted(names.items()):
        words = _fold(name)
        words = _with_given_names(words, best) or words
        longest = full.get(words, words)
        chain = [w for w in best if len(w) >= 2 and not _initials(w) and longest[len(longest) - len(w):] == w]
        target = best[max(chain, key=lambda w: (cover[w], len(w), w)) if chain else words]
        if target != sid:
            out[sid] = (target, names[target])
    return out


def _initials(words: tuple[str, ...]) -> int:
    """How many initials ("r.", "j.-p.") open a folded name."""
    k = 0
    while k < len(words) and len(words[k]) <= 5 and words[k].endswith(".") and words[k][0].isalpha() \
            and all(len(part) == 2 for part in words[k].split("-")):
        k += 1
    return k


def _with_given_names(words: tuple[str, ...], known) -> tuple[str, ...] | None:
    """The one name among `known` (folded) that a name written with initials stands for:
    the same family name after given names that those initials open ("r. mrazek" ->
    "radoslav mrazek"); None when there is none or more than one."""
    k = _initials(words)
    if not k or k == len(words):
        return None
    rest, letters = words[k:], [w[0] for w in words[:k]]
    found = {w for w in known if len(w) >= len(rest) + k and w[len(w) - len(rest):] == rest and not _initials(w)
             and [x[0] for x in w[len(w) - len(rest) - k:len(w) - len(rest)]] == letters}
    return found.pop() if len(found) == 1 else None


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


def mention_words(statements: list[dict]) -> dict[str, frozenset]:
    """{speaker_id: the words of every mention the event's statements give that person}
    ("IHO spokesman Tomás Echeverría": iho, spokesman, tomás, echeverría), for same_person."""
    words: dict[str, set] = defaultdict(set)
    for s in statements:
        key = role_key(s.get("speaker_mention") or "") if s.get("speaker_id") else None
        if key is not None:
            words[s["speaker_id"]].update(key.mods | {key.head})
    return {k: frozenset(v) for k, v in words.items()}


def same_person(a: dict, b: dict, words: dict[str, frozenset]) -> bool:
    """Two statements credit one person: the same speaker_id, or an office one article
    gives, unresolved, that the event's other articles give the person the other names:
    its head and every word before it among the words of that person's mentions ("the IHO
    spokesman" and "IHO spokesman Tomás Echeverría", "the spokesperson" and "spokesman
    Tomás Echeverría", "The President of Dravonia" and "Dravonian President Radoslav
    Mrázek"; but "the Russian president" is not "President Donald Trump", nor "the US chief
    of staff" "President Trump")."""
    if a.get("speaker_id") == b.get("speaker_id"):
        return True
    for office, person in ((a, b), (b, a)):
        pool = words.get(person.get("speaker_id")) if not office.get("speaker_id") else None
        key = role_key(office.get("speaker_mention") or "") if pool else None
        if key is not None and all(any(_alike(m, w) for w in pool) for m in key.mods) \
                and any(heads_match(key.head, w) for w in pool):
            return True
    return False


def _alike(mod: str, word: str) -> bool:
    """A word of an office and a word of a mention that say the same: equal, or a country
    and its adjective ("The President of Dravonia" and "Dravonian President", "Russia" and
    "Russian": five letters in common at the start)."""
    return mod == word or len(mod) >= 5 and len(word) >= 5 and mod[:5] == word[:5]
