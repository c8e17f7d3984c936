"""Reporting cues by class, read from crosswire/data/cues.toml and inflected here."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..datafiles import read_toml

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


def load_cues(path: Path = DATA) -> dict:
    return read_toml(path)


def forms_of(verb: str, data: dict) -> list[str]:
    """inflect() with the irregular forms and doubled consonants of the cue file, and the
    British spellings: of the verbs that double a final l there ("signalled", "labelling"),
    and -ise for every -ize verb ("authorised", "demonising"; not the other way: "advise",
    "praise" have no -ize)."""
    spelling = data.get("spelling", {})
    forms = inflect(verb, data.get("irregular", {}), set(spelling.get("double", [])))
    if verb in spelling.get("british_double_l", []):
        forms += [verb + "led", verb + "ling"]
    if verb.endswith("ize"):
        forms += [f for f in inflect(verb[:-3] + "ise", {}, set()) if f not in forms]
    return forms


@lru_cache(maxsize=1)
def forms_by_class(path: Path = DATA) -> dict[str, frozenset[str]]:
    """{class: every inflected form of its verbs}, e.g. {"speech": {"say", "said", ...}}."""
    data = load_cues(path)
    return {cls: frozenset(f for v in words.split() for f in forms_of(v, data))
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
    data = load_cues(path)
    return {f: prt for verb, prt in data.get("phrasal", {}).items() for f in forms_of(verb, data)}


@lru_cache(maxsize=1)
def document_nouns(path: Path = DATA) -> frozenset[str]:
    """Nouns for what someone issues (a statement, a letter): "a statement saying ..." is
    said by whoever issued it."""
    words = load_cues(path).get("documents", {}).get("nouns", "").split()
    return frozenset(words) | frozenset(w + "s" for w in words)


@lru_cache(maxsize=1)
def issue_verbs(path: Path = DATA) -> frozenset[str]:
    """The forms of the verbs by which someone puts out a document of its own ("released an
    ad that ..."): what the document says is theirs."""
    data = load_cues(path)
    return frozenset(f for v in data.get("documents", {}).get("issue_verbs", "").split() for f in forms_of(v, data))


@lru_cache(maxsize=1)
def noun_cues(path: Path = DATA) -> dict[str, frozenset[str]]:
    """{noun, singular and plural: what its content is} ("claims": {"that"}, "call":
    {"for", "to"}): nouns that carry an attribution of their own."""
    out = {}
    for noun, comps in load_cues(path).get("nouns", {}).items():
        plural = inflect(noun, {}, set())[1]  # a noun's plural is spelt as a verb's third person
        out[noun] = out[plural] = frozenset(comps.split())
    return out


@lru_cache(maxsize=1)
def light_verbs(path: Path = DATA) -> frozenset[str]:
    """Every form of the verbs that make a cue noun without a cue of their own ("voiced
    concern about ..."): their subject speaks."""
    return _section_verbs("light_verbs", path)


@lru_cache(maxsize=1)
def source_phrases(path: Path = DATA) -> dict[str, tuple[str, ...]]:
    """{cue word: its phrase's words} of cues.toml [source_phrases] ("according":
    ("according", "to"), "words": ("in", "the", "words", "of"), "per": ("per",)): the cue
    word is the one before the phrase's last, the preposition whose object is the source
    (a phrase of one word is its own preposition)."""
    phrases = [tuple(p.lower().split()) for p in load_cues(path).get("source_phrases", {}).get("phrases", [])]
    return {p[-2] if len(p) > 1 else p[0]: p for p in phrases}


@lru_cache(maxsize=1)
def loose_source_phrases(path: Path = DATA) -> frozenset[tuple[str, ...]]:
    """The words of the source phrases of cues.toml [source_phrases] loose ("per", "as per"),
    which credit only a source that can speak."""
    return frozenset(tuple(p.lower().split()) for p in load_cues(path).get("source_phrases", {}).get("loose", []))


@lru_cache(maxsize=1)
def possessed_sources(path: Path = DATA) -> frozenset[str]:
    """The nouns of cues.toml [source_phrases] possessed that credit their sentence to their
    possessor after "in" ("In his opinion, ...")."""
    return frozenset(load_cues(path).get("source_phrases", {}).get("possessed", []))


@lru_cache(maxsize=1)
def possessed_set_off(path: Path = DATA) -> frozenset[str]:
    """Those of them that credit only when a comma sets the phrase off ("In his words, ...")."""
    return frozenset(load_cues(path).get("source_phrases", {}).get("possessed_set_off", []))


@lru_cache(maxsize=1)
def heard_verbs(path: Path = DATA) -> frozenset[str]:
    """Every form of the verbs whose passive subject heard something ("was told that ..."):
    cues.toml [heard_passive]."""
    return _section_verbs("heard_passive", path)


@lru_cache(maxsize=1)
def all_cue_forms(path: Path = DATA) -> frozenset[str]:
    """Every form of every cue class."""
    return frozenset().union(*forms_by_class(path).values())


@lru_cache(maxsize=1)
def next_act_forms(path: Path = DATA) -> frozenset[str]:
    """Every form of the cue verbs that, coordinated after a reported clause, are its
    speaker's next act ("and called on ...", ", but refused to ..."): every class but those
    cues.toml [next_act] leaves out."""
    left_out = set(load_cues(path).get("next_act", {}).get("not_classes", []))
    return frozenset().union(*(forms for cls, forms in forms_by_class(path).items() if cls not in left_out))


@lru_cache(maxsize=1)
def permission_verbs(path: Path = DATA) -> frozenset[str]:
    """Every form of the verbs of permission whose negation means the act after them did
    not happen ("was not authorised to discuss ..."): cues.toml [permission]."""
    return _section_verbs("permission", path)


@lru_cache(maxsize=1)
def failure_verbs(path: Path = DATA) -> frozenset[str]:
    """Every form of the verbs of failing, after which the act did not happen ("failed to
    agree a ceasefire"): cues.toml [failure]."""
    return _section_verbs("failure", path)


@lru_cache(maxsize=1)
def aspectual_verbs(path: Path = DATA) -> frozenset[str]:
    """Every form of the cue verbs that are aspectual before an infinitive ("will continue
    to be ..."): cues.toml [aspectual]."""
    return _section_verbs("aspectual", path)


def _section_verbs(section: str, path: Path = DATA) -> frozenset[str]:
    """Every inflected form of the verbs a cues.toml section lists under `verbs`."""
    data = load_cues(path)
    return frozenset(f for v in data.get(section, {}).get("verbs", "").split() for f in forms_of(v, data))


@lru_cache(maxsize=1)
def hearing_verbs(path: Path = DATA) -> frozenset[str]:
    """Every form of the verbs whose subject, a hearing, heard something ("The court heard
    that ..."): cues.toml [hearings]."""
    return _section_verbs("hearings", path)


@lru_cache(maxsize=1)
def hearing_bodies(path: Path = DATA) -> frozenset[str]:
    """The hearings that hear evidence ("court", "jury", "inquest"): cues.toml [hearings]."""
    return frozenset(load_cues(path).get("hearings", {}).get("bodies", "").split())


@lru_cache(maxsize=1)
def setting_prepositions(path: Path = DATA) -> frozenset[str]:
    """The prepositions that open a cue's setting ("said in a statement that ..."): cues.toml
    [setting]."""
    return frozenset(load_cues(path).get("setting", {}).get("prepositions", "").split())


@lru_cache(maxsize=1)
def topics_after_on(path: Path = DATA) -> frozenset[str]:
    """The nouns that after "on" are what the cue is about, not where it was said
    ("declined to comment on a report that ..."): cues.toml [setting] topics_after_on."""
    return frozenset(load_cues(path).get("setting", {}).get("topics_after_on", "").split())


@lru_cache(maxsize=1)
def make_clear_adjectives(path: Path = DATA) -> frozenset[str]:
    """The adjectives of "made (it) clear that ...", "made plain ..."."""
    return frozenset(load_cues(path).get("make_clear", {}).get("adjectives", "").split())


@lru_cache(maxsize=1)
def label_max_words(path: Path = DATA) -> int:
    """The longest speaker label before a colon, in words ("Former AG Mukasey:")."""
    return int(load_cues(path)["labels"]["max_words"])


@lru_cache(maxsize=1)
def _lemmas(path: Path = DATA) -> dict[str, str]:
    """{inflected form: its lemma} of every cue verb and noun of the cue file."""
    data = load_cues(path)
    out = {}
    for words in data["classes"].values():
        for v in words.split():
            for f in forms_of(v, data):
                out.setdefault(f, v)
    for noun in data.get("nouns", {}):
        out.setdefault(noun, noun)
        out.setdefault(inflect(noun, {}, set())[1], noun)
    return out


def lemma_of(cue: str) -> str:
    """The lemma of a cue as written, from its first word ("said" -> "say", "according to"
    -> "according", "claims" -> "claim"); a single word the cue file does not list is
    stripped of its inflection by align's suffix stripper ("retweeted" -> "retweet",
    "outlines" -> "outlin"), so that its forms share one weight of the filter (the
    pipeline runs without spaCy's lemmatizer); a phrase's first word stays as written."""
    from ..align import suffix_strip
    parts = cue.lower().split()
    word = parts[0] if parts else ""
    if word in _lemmas() or len(parts) > 1:
        return _lemmas().get(word, word)
    stem = suffix_strip(word)
    if stem != word and len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "lsaeiou":
        stem = stem[:-1]  # "banned", "banning" -> "ban" (suffix stripping leaves "bann")
    return stem


@lru_cache(maxsize=1)
def _families(path: Path = DATA) -> dict[str, str]:
    """{inflected form: its family} of the [families] table (the first family listing it)."""
    data = load_cues(path)
    out = {}
    for fam, words in data.get("families", {}).items():
        for v in words.split():
            for f in forms_of(v, data):
                out.setdefault(f, fam)
    return out


def family_of(word: str) -> str | None:
    """The verb family (cues.toml [families]) of a word as written, lower-cased: "lambasted"
    -> "judgment"; None for a word no family lists."""
    return _families().get(word.lower())


@lru_cache(maxsize=1)
def stance_adjectives(path: Path = DATA) -> frozenset[str]:
    """Adjectives whose clause is a stance their subject holds ("is confident that ...")."""
    return frozenset(load_cues(path).get("stance_adjectives", {}).get("adjectives", "").split())
