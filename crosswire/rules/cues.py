"""Reporting cues by class, read from crosswire/data/cues.toml and inflected here."""
from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "cues.toml"


def inflect(verb: str, irregular: dict[str, list[str]], double: set[str]) -> list[str]:
    """The forms of a verb: base, third person, past (participle), -ing."""
    if verb in irregular:
        return list(irregular[verb])
    if verb in double:
        past, ing = verb + verb[-1] + "ed", verb + verb[-1] + "ing"
    elif verb.endswith("e"):
        past, ing = verb + "d", verb[:-1] + "ing"
    elif verb.endswith("y") and verb[-2] not in "aeiou":
        past, ing = verb[:-1] + "ied", verb + "ing"
    else:
        past, ing = verb + "ed", verb + "ing"
    if verb.endswith("y") and verb[-2] not in "aeiou":
        third = verb[:-1] + "ies"
    elif verb.endswith(("s", "sh", "ch", "x")):
        third = verb + "es"
    else:
        third = verb + "s"
    return [verb, third, past, ing]


@lru_cache(maxsize=1)
def forms_by_class(path: Path = DATA) -> dict[str, frozenset[str]]:
    """{class: every inflected form of its verbs}, e.g. {"speech": {"say", "said", ...}}."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ValueError(f"{path}: cannot read the cue lists ({e})") from e
    irregular = data.get("irregular", {})
    double = set(data.get("spelling", {}).get("double", []))
    return {cls: frozenset(f for v in words.split() for f in inflect(v, irregular, double))
            for cls, words in data["classes"].items()}


def cue_class(word: str) -> str | None:
    """The class of a cue word (lowercased form), the first class listing it; None if none."""
    for cls, forms in forms_by_class().items():
        if word in forms:
            return cls
    return None


@lru_cache(maxsize=1)
def phrasal(path: Path = DATA) -> dict[str, str]:
    """{inflected verb form: its particle} of the phrasal speech verbs ("pointed": "out")."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    irregular = data.get("irregular", {})
    double = set(data.get("spelling", {}).get("double", []))
    return {f: prt for verb, prt in data.get("phrasal", {}).items() for f in inflect(verb, irregular, double)}


@lru_cache(maxsize=1)
def document_nouns(path: Path = DATA) -> frozenset[str]:
    """Nouns for what someone issues (a statement, a letter): "a statement saying ..." is
    said by whoever issued it."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    words = data.get("documents", {}).get("nouns", "").split()
    return frozenset(words) | frozenset(w + "s" for w in words)


@lru_cache(maxsize=1)
def noun_cues(path: Path = DATA) -> dict[str, frozenset[str]]:
    """{noun, singular and plural: what its content is} ("claims": {"that"}, "call":
    {"for", "to"}): nouns that carry an attribution of their own."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    out = {}
    for noun, comps in data.get("nouns", {}).items():
        plural = noun[:-1] + "ies" if noun.endswith("y") and noun[-2] not in "aeiou" else noun + "s"
        out[noun] = out[plural] = frozenset(comps.split())
    return out


@lru_cache(maxsize=1)
def light_verbs(path: Path = DATA) -> frozenset[str]:
    """Every form of the verbs that make a cue noun without a cue of their own ("voiced
    concern about ..."): their subject speaks."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    irregular = data.get("irregular", {})
    double = set(data.get("spelling", {}).get("double", []))
    words = data.get("light_verbs", {}).get("verbs", "").split()
    return frozenset(f for v in words for f in inflect(v, irregular, double))


@lru_cache(maxsize=1)
def make_clear_adjectives(path: Path = DATA) -> frozenset[str]:
    """The adjectives of "made (it) clear that ...", "made plain ..."."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return frozenset(data.get("make_clear", {}).get("adjectives", "").split())
