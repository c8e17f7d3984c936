"""One person, one speaker across the outlets of an event.

An article that calls a speaker only "Mr Renquist" gives the speaker the name "Renquist";
another outlet's "Tobias Renquist" is another speaker id, so the two outlets' words of one
person are never aligned as the same speaker's, and their agreements say they disagree on
who spoke. Within one event (one story on one day), a person's name that is the tail of
exactly one longer person's name the event's other articles give is that person:

    full_names(statements)   # {short speaker_id: (full speaker_id, full name)}

Only within an event: two events may hold two people of one family name. Only when the
longer names fit one person: "Trump" beside "Donald Trump" and "Melania Trump" stays
"Trump"; "Blasio" beside "de Blasio" and "Bill de Blasio" is Bill de Blasio (each longer
name holds the next).
"""
from __future__ import annotations

from collections import defaultdict



def _person_names(statements: list[dict]) -> dict[str, str]:
    """{speaker_id: name} of the people the statements name."""
    out = {}
    for s in statements:
        if s.get("speaker_id") and s.get("speaker_name") and s.get("speaker_kind") in (None, "person"):
            out[s["speaker_id"]] = s["speaker_name"]
    return out


def _fold(name: str) -> tuple[str, ...]:
    return tuple(name.casefold().split())


def _longest_if_nested(names: list[str]) -> str | None:
    """The longest of `names` when each of the others is a tail of it, else None."""
    longest = max(names, key=lambda n: (len(_fold(n)), n))
    words = _fold(longest)
    if all(words[len(words) - len(_fold(n)):] == _fold(n) for n in names):
        return longest
    return None


def full_names(statements: list[dict]) -> dict[str, tuple[str, str]]:
    """{speaker_id: (speaker_id, name)}: each person of the event named by a tail of longer
    names that fit one person (_longest_if_nested), to that person's longest name."""
    names = _person_names(statements)
    id_of = {_fold(name): sid for sid, name in sorted(names.items())}
    longer: dict[str, list[str]] = defaultdict(list)
    for words, sid in id_of.items():
        for k in range(1, len(words)):
            if words[k:] in id_of:
                longer[id_of[words[k:]]].append(names[sid])
    out = {}
    for short, fuller in sorted(longer.items()):
        full = _longest_if_nested(fuller)
        if full is not None:
            out[short] = (id_of[_fold(full)], full)
    return out
