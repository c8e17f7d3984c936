"""The cast of an article: the people it names, with what it calls them.

    cast, names = build_cast(docs, registry, alias_pattern(registry), when)

"Russian President Vladimir Putin" teaches the cast that "the Russian President" is Putin;
"Putin" alone, later, is the same person (one canonical name per person, from the article's
own full names and the people registry, crosswire.speakers). `when` is the article's date:
a person's offices on that day (crosswire.roles) are what the article may call them.
`names` holds, per Doc, the token spans that name a person with the canonical name.
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field

from ..datafiles import read_pairs, read_toml
from ..spelling import unaccented
from ..speakers import PERSON_NOUNS, Registry, RoleKey, age_on, places_in, role_key, role_matches
from ..speaker_kinds import classify, ends_a_firms_name, is_org_name, names_a_body, singular

_WORDS = read_toml("mentions.toml")["cast"]  # where each list came from: that file
# honorifics before a name, and the gender they give its person ("Ms. Lee ... she")
_HONORIFIC = dict(_WORDS["honorifics"])
# nationalities as nouns (mentions.toml [resolver] demonyms): never a name in the cast, a
# re-description for the resolver
DEMONYMS = frozenset(read_toml("mentions.toml")["resolver"]["demonyms"])
# titles written before a name, never part of it ("Gov. Ann Lee" is Ann Lee)
NAME_TITLES = frozenset(_WORDS["name_titles"])
# letters written after one ("Helen Farrow KC")
_POST_NOMINALS = frozenset(_WORDS["post_nominals"])


def given_name_gender(name: str) -> str | None:
    """The gender of a full name's first word when nearly all who bear it are of one
    ("Mary Jones": f; crosswire/data/given_names.tsv, from the US census); None for one word
    or a name the list does not hold."""
    words = name.split()
    return _given_name_gender(words[0]) if len(words) > 1 else None


@lru_cache(maxsize=1)
def short_forms() -> dict[str, tuple[str, ...]]:
    """Role head -> the offices it is the short form of (crosswire/data/roles.toml [short_forms])."""
    return {head: tuple(full) for head, full in read_toml("roles.toml").get("short_forms", {}).items()}


@lru_cache(maxsize=65536)
def _given_name_gender(word: str) -> str | None:
    """The gender the census list gives a given name, read as written or, for a name it
    holds without diacritics (US census spelling), without them: "Éric" is "Eric"."""
    names = read_pairs("given_names.tsv")
    return names.get(word) or names.get(unaccented(word))


def is_given_name(word: str) -> bool:
    """A word the census list holds as a given name ("Mary", "Éric"; given_names.tsv)."""
    return _given_name_gender(word) is not None


@dataclass
class Person:
    name: str
    gender: str | None = None
    keys: list[RoleKey] = field(default_factory=list)


class Cast:
    """The people of one article: canonical names, genders and what the article calls them.
    `when` is the article's date: a person's offices on that day (crosswire.roles) are what
    the article may call them; undated, only the article's own words count."""

    def __init__(self, registry: Registry, when=None, places: frozenset[str] = frozenset()):
        self.registry, self.when, self.places = registry, when, places
        self.people: dict[str, Person] = {}
        self.full: dict[str, set[str]] = {}  # surname -> full names in the article
        self.seen: dict[str, int] = {}  # full name -> times the article writes it (in order of first use)
        self.first: dict[str, set[str]] = {}  # first word -> names in the article it may open ("Liu Wenbo")
        self._holders: dict = {}  # RoleKey -> holders(key): the same roles come up again and again
        self.bodies: set[str] = set()  # lowercased names of the bodies the article names (_body_names)
        self.acronyms: dict[str, str] = {}  # "CCI" -> "Competition Commission of India" (acronyms_in)
        self.ages: dict[str, int] = {}  # name -> the age the article gives ("Ann Lee, 47,")

    def age_of(self, name: str) -> int | None:
        """A person's age: as the article gives it, else from the registry's date of birth
        on the article's date; None when neither is known."""
        if name in self.ages:
            return self.ages[name]
        person = self.registry.lookup(name)
        if person is None or person.born is None or self.when is None:
            return None
        return age_on(person.born, self.when)

    def canonical(self, raw: str) -> str:
        words = raw.split()
        if len(words) > 1 and raw.isupper():
            # a name set in capitals (a transcript's "ANN LEE:", a headline) is the name as
            # the article writes it elsewhere, not a spelling of its own
            raw = raw.title()
            words = raw.split()
        if len(words) == 1:
            # family name first ("Liu Wenbo ... Liu said"), when no name ends with the word
            fulls = self.full.get(raw.lower()) or self.first.get(raw.lower(), set())
            if len(fulls) == 1:
                return next(iter(fulls))
            person = self.registry.lookup(raw)
            if person and (not fulls or person.name in fulls):
                return person.name
            if fulls:  # "Clinton" in a story of Hillary and Chelsea Clinton: the one written most
                order = list(self.seen)
                return max(fulls, key=lambda n: (self.seen.get(n, 0), -order.index(n) if n in order else 0, n))
            return raw
        person = self.registry.lookup(raw)
        if person:
            return person.name
        # "Mr Ó Dálaigh", "Dela Paz" after "Micheál Ó Dálaigh", 'Benjamin "Benjie" Dela Paz':
        # the one longer name of the article that ends with these words
        # (a surname of two words, not a full name: "Jeb Bush" opens with a given name; and
        # not "Telling Jeb Bush", the tagger's)
        if given_name_gender(raw) is not None:
            return raw
        longer = [n for n in self.full.get(words[-1].lower(), ())
                  if len(n.split()) > len(words) and n.lower().endswith(" " + raw.lower())
                  and _first_name_like(n.split()[0], words[-1])]
        return longer[0] if len(longer) == 1 else raw

    def add(self, name: str) -> Person:
        if name not in self.people:
            reg = self.registry.lookup(name)
            keys = list(reg.role_keys) if reg else []
            if self.registry.roles is not None:
                keys += self.registry.roles.keys_of(reg.name if reg else name, self.when)
            self.people[name] = Person(name, reg.gender if reg else given_name_gender(name), keys)
            words = name.split()
            if len(words) > 1 and name not in self.seen:
                # a full name found while resolving (spaCy tagged none of "Mayor Ana Ruiz"):
                # "Ruiz" alone later is the same person
                self.full.setdefault(words[-1].lower(), set()).add(name)
        return self.people[name]

    def holders(self, key: RoleKey) -> list[str]:
        """Who the registry says holds the role on the article's date (nobody undated)."""
        if key not in self._holders:
            names = {p.name for p in self.registry.by_role(key)}
            if self.registry.roles is not None:
                names.update(self.registry.roles.holders(key, self.when, self.places))
            self._holders[key] = sorted(names)
        return list(self._holders[key])

    def places_held(self, name: str) -> frozenset[str]:
        """The places of the offices the dated roles say `name` holds on the article's date."""
        roles = self.registry.roles
        return roles.places_held(name, self.when) if roles is not None else frozenset()

    def names_body(self, phrase: str) -> bool:
        """The phrase is a body's name the article used before ("Norvex" after "Norvex
        Semiconductor"), and no person's name or surname in the article."""
        t = phrase.lower().removeprefix("the ")
        return t in self.bodies and t not in self.full and not any(n.lower() == t for n in self.people) \
            and self.canonical(phrase) not in self.people  # (a spelling of a person's name)

    def titled_as(self, names: list[str], key: RoleKey) -> list[str]:
        """Of several people a role fits, those the article calls by exactly that role
        ("President Trump" and "Russian President Vladimir Putin": "the president" is the one
        whose title needs no country, as news copy writes its own country's office); all of
        them when that does not narrow them down."""
        exact = [n for n in names if key in self.people[n].keys]
        return exact if exact else names

    def by_role(self, key: RoleKey) -> list[str]:
        """The people of the article the role fits best; when it fits no one, the people
        whose full office it is the short form of ("the minister" after "Foreign Minister
        Andrii Sybiha": roles.toml [short_forms])."""
        return self._fitting(key) or self.by_short_form(key)

    def by_short_form(self, key: RoleKey) -> list[str]:
        """The people whose full office the role is the short form of (roles.toml [short_forms])."""
        return sorted({n for head in short_forms().get(key.head, ()) for n in self._fitting(RoleKey(head, key.mods))})

    def _fitting(self, key: RoleKey) -> list[str]:
        scored = [(role_matches(key, p.keys), n) for n, p in self.people.items()]
        best = max((s for s, _ in scored), default=0)
        return [n for s, n in scored if s and s == best]


def _name_spans(doc, text: str, alias_rx: re.Pattern | None, described_bodies: list[list]) -> list[tuple[int, int]]:
    """Token spans (start, end) naming a person in `doc` (whose text is `text`): spaCy
    PERSON entities plus registry aliases spaCy missed (it often tags "Putin" or
    "Zelenskyy" as something else)."""
    spans = []
    taken = set()
    for lo, hi in _named_after_a_place(doc):  # before the entities, which may take the place in
        spans.append((lo, hi))
        taken.update(range(lo, hi))
    # names the article describes as a body's ("Lumen, a San Francisco start-up,"), tagged a
    # person there or anywhere else
    bodies = {" ".join(t.lower_ for t in name) for name in described_bodies}
    for ent in doc.ents:
        if ent.label_ != "PERSON" or taken.intersection(range(ent.start, ent.end)):
            continue
        if ent.text.lower().removesuffix("'s").removesuffix("’s") in bodies:
            continue
        if len(ent) == 1 and ent.root.lower_ in DEMONYMS:
            continue  # "the 37-year-old Briton": a nationality, which the resolver reads as a re-description
        if set_as_a_place(ent):
            continue  # "a metalworker from Sao Paulo", "Borneo and Sumatra", tagged a person
        if ent[-1].tag_ in ("NNS", "NNPS") and (singular(ent[-1].lower_) in PERSON_NOUNS
                                                or ent[-1].lower_.removesuffix("s") in PERSON_NOUNS):
            continue  # "Tory MPs", "GOP senators": a group, tagged a person
        # "spokesperson Liu Wenbo": a trade the tagger took in goes; the name is what follows
        lo = next((t.i for t in ent if t.text[:1].isupper()), ent.end)
        if lo == ent.end or any(t.pos_ not in ("NOUN", "ADJ") for t in doc[ent.start:lo]):
            continue
        name = doc[lo:ent.end]
        if is_org_name(name.text) or ends_a_firms_name(name[-1].text) \
                or lo > 0 and names_a_body(doc[lo - 1].text) \
                and (lo <= doc[lo - 1].head.i < ent.end or name.root.head.i == lo - 1) \
                or name.root.dep_ == "appos" and name.root.head.i < lo and names_a_body(name.root.head.text) \
                and not _whose_trade(name.root.head):
            # "the Pentagon"; "cloud provider Stratus", "the group Mosul Eye", "The port's
            # operator, Nordhavn Terminals,", tagged a person
            continue
        if "-" in name.text and name.root.dep_ in ("compound", "amod", "nmod") and name.root.head.pos_ == "NOUN":
            continue  # "the Trump-Putin talks" names two people as a modifier; "Jean-Pierre" is one
        lo = _first_name_left_out(doc, lo, ent.end, taken)
        end = ent.end
        while end > lo and doc[end - 1].is_space:
            end -= 1  # the tagger may take in the line break after a name ("— Donald Trump\n\n")
        hi = _past_hyphen(doc, _past_particles(doc, lo, _past_nickname(doc, lo, end)))
        spans.append((lo, hi))
        taken.update(range(lo, hi))
    # names tagged a body that the article describes as a person somewhere ("Doherty, 47,"),
    # by their last word, so that "Maeve Doherty" is hers where nothing beside it says so
    people_words = {ent[-1].lower_ for ent in doc.ents if ent.label_ == "ORG" and described_as_a_person(ent.root)}
    for ent in doc.ents:  # "Nadia Farouk, a researcher at ...", tagged a body
        lo = _given_name_left_out(doc, ent)
        words = [t for t in doc[lo:ent.end] if t.text != "-"]  # "Jean-Marc Ayrault"
        if ent.label_ in ("ORG", "GPE") and 2 <= len(words) <= 3 and all(t.pos_ == "PROPN" and t.is_title for t in words) \
                and (described_as_a_person(ent.root) or ent.label_ == "ORG" and (
                    words[-1].lower_ in people_words or _given_name_of_a_person(doc, ent, words))) \
                and not taken.intersection(range(lo, ent.end)):
            # (a place only where a person's trade sets it off: "Emil Krasnovec, governor of
            # the Upper Ressel region, said", tagged a place; session 30 flood probe)
            spans.append((lo, ent.end))
            taken.update(range(lo, ent.end))
    for lo, hi in [*_named_after_a_trade(doc), *_named_after_an_honorific(doc), *_named_after_an_office(doc)]:
        if not taken.intersection(range(lo, hi)):
            spans.append((lo, hi))
            taken.update(range(lo, hi))
    if alias_rx:
        for m in alias_rx.finditer(text):
            sp = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if sp is not None and not taken.intersection(range(sp.start, sp.end)):
                spans.append((sp.start, sp.end))
                taken.update(range(sp.start, sp.end))
    return sorted(spans)


# "the Competition Commission of India (CCI)": a name of capitalised words (and the small
# words names hold), then its initials in brackets
_SMALL = frozenset(_WORDS["name_particles"])
_SPELLED_OUT = re.compile(r"((?:[A-Z][\w&'’.-]*\s+(?:(?:" + "|".join(sorted(_SMALL)) + r")\s+)*){1,9})\(([A-Z]{2,7})\)")


def acronyms_in(text: str) -> dict[str, str]:
    """{acronym: the name it stands for} of every "Full Name (FN)" in the text whose capitalised
    words' initials spell the acronym (the last words of the name that do: "The Competition
    Commission of India (CCI)" -> "Competition Commission of India")."""
    out = {}
    for m in _SPELLED_OUT.finditer(text):
        words, acr = m.group(1).split(), m.group(2)
        for k in range(len(words)):
            if initials(words[k:]) == acr and words[k].lower() not in _SMALL:
                out.setdefault(acr, " ".join(words[k:]))
                break
    return out


def initials(words: list[str]) -> str:
    """The initials of a name's words, its small words left out ("World Food Programme" ->
    "WFP", "Office for the Coordination of Humanitarian Affairs" -> "OCHA")."""
    return "".join(w[0] for w in words if w.lower() not in _SMALL).upper()


def _first_name_left_out(doc, lo: int, hi: int, taken: set) -> int:
    """The start of a person's name whose first word the tagger left out of the entity
    ("Siobhan | Keane said"): the capitalised word before it that the parse makes part of
    the name and that is a given name or too rare a word to be a title ("Speaker Paul
    Ryan", "Justice Ginsburg" keep their titles out); `lo` otherwise."""
    if lo == 0 or lo - 1 in taken:
        return lo
    w = doc[lo - 1]
    if w.pos_ == "PROPN" and w.dep_ == "compound" and lo <= w.head.i < hi and w.is_alpha and w.is_title \
            and not w.ent_type_ and w.lower_ not in NAME_TITLES and singular(w.lower_) not in PERSON_NOUNS \
            and classify(w.text) is None and not w.lower_.endswith(("man", "woman")) \
            and _first_name_like(w.text, doc[hi - 1].text):  # (not "Committeeman Curly Haugland")
        return lo - 1
    return lo


def _given_name_left_out(doc, ent) -> int:
    """Where a one-word name the tagger calls a body or a place begins with the given name
    it left out, untagged, before it ("Pavel | Kubíček, a paint-shop technician,": only
    "Kubíček" tagged), compounded with it and a given name or set off by a person's trade:
    that word's index, else the entity's start."""
    i = ent.start - 1
    if len(ent) == 1 and i >= 0 and doc[i].pos_ == "PROPN" and doc[i].is_title and not doc[i].ent_type_ \
            and doc[i].lower_ not in NAME_TITLES and doc[i].dep_ == "compound" and doc[i].head.i == ent.start \
            and (_first_name_like(doc[i].text, ent.text) or described_as_a_person(ent.root)):
        return i
    return ent.start


def _first_name_like(first: str, last: str) -> bool:
    """A given name of known gender, or a word too rare in English to be a firm's or a
    place's ("Vivek", "Hakeem": mentions.toml rare_first_word_zipf)."""
    if given_name_gender(f"{first} {last}") is not None:
        return True
    from wordfreq import zipf_frequency  # (imported when needed: it loads its word lists)
    return first.isalpha() and zipf_frequency(first.lower(), "en") < _WORDS["rare_first_word_zipf"]


def _given_name_of_a_person(doc, ent, words) -> bool:
    """A name tagged a body that opens with a given name of known gender (given_names.tsv)
    and that the article also writes as a person's: after a title or a person's noun
    ("Police Chief Marcus Ellery"), or by its last word alone elsewhere ("Darnell Price ...
    Price said"). A firm named after its founder ("Morgan Stanley", "Charles Schwab") is
    not written so."""
    if ends_a_firms_name(words[-1].text) or classify(words[-1].text) is not None \
            or not _first_name_like(words[0].text, words[-1].text):
        return False  # "Clinton Foundation", "Wesley Energy": a body's word ends it
    before = doc[ent.start - 1] if ent.start > 0 else None
    if before is not None and (before.lower_ in NAME_TITLES or singular(before.lower_) in PERSON_NOUNS
                               and (before.pos_ in ("NOUN", "PROPN") or before.text.islower())):
        # (a trade the tagger misreads: "Junior forward | Malik Osei", "forward" an adverb)
        return True
    last = words[-1].text
    # (a capitalised word within a sentence, whatever the tagger says: "Price said", tagged a noun)
    return any(t.text == last and not ent.start <= t.i < ent.end and (t.pos_ == "PROPN" or not t.is_sent_start)
               and (t.i == 0 or doc[t.i - 1].text != words[-2].text) for t in doc)


def described_as_a_person(tok) -> bool:
    """A name set off by an appositive of a person's trade ("Nadia Farouk, a researcher at
    ...", "Ann Lee, the firm's chief executive,"), set as the appositive of one ("Its chief
    executive, Philip Rowe, told ..."), after an honorific ("Mr Rowe") or before an age
    ("Doherty, 47,"): a person's, whatever spaCy tagged it. ("who" is no such sign: British
    copy writes "United, who were beaten".)"""
    if any(c.dep_ == "appos" and _a_trade(c) for c in tok.rights):
        return True
    if tok.dep_ == "appos" and tok.head.i < tok.i and tok.head.tag_ == "NN" and _a_trade(tok.head):
        return True
    if _age_set_off(tok):
        return True
    first = tok.left_edge
    return first.i > 0 and tok.doc[first.i - 1].lower_ in _HONORIFIC and first.pos_ == "PROPN"


def _whose_trade(noun) -> bool:
    """A body's noun that says whose a person's trade is ("a spokesman for the foreign
    ministry, Ann Lee,"): the parse hangs the trade holder's name on it."""
    prep = noun.head
    return noun.dep_ == "pobj" and prep.dep_ == "prep" and prep.head.i < noun.i \
        and singular(prep.head.lower_) in PERSON_NOUNS


def _names_described_as_bodies(doc) -> list[list]:
    """The proper names of the doc set off by a body's noun (described_as_a_body), each as
    its capitalised words ("Lumen", "Halden Foods"). Not a person's full name as spaCy tags
    it ("Gene Sperling, a top outside Clinton adviser", "Mujtaba Rahman of the Eurasia Group,
    a consulting company": the parse hangs the appositive wrongly more often than the tagger
    takes a two-word body for a person)."""
    out = []
    for t in doc:
        if described_as_a_body(t):
            words = [w for w in doc[t.left_edge.i:t.i + 1] if w.pos_ in ("PROPN", "NOUN") and w.text[:1].isupper()]
            if words and words[-1].i == t.i and not (t.ent_type_ == "PERSON" and t.ent_iob_ == "I"):
                out.append(words)
    return out


def described_as_a_body(tok) -> bool:
    """A name set off by an appositive of a body's noun ("Lumen, a San Francisco start-up
    that makes ...", "Halden, the port operator,"): a body's, whatever spaCy tagged it."""
    # (a capitalised word the tagger took for a common noun too: "Lumen, a ... start-up";
    # not a noun the word lists know: "Authorities in ..., the ...")
    return (tok.pos_ == "PROPN" or tok.pos_ == "NOUN" and tok.text[:1].isupper() and classify(tok.text) is None) and any(
        c.dep_ == "appos" and c.pos_ == "NOUN" and names_a_body(_hyphenated(c)) and not _a_trade(c) for c in tok.rights)


def _hyphenated(tok) -> str:
    """The word tok ends, with what a hyphen joins to it ("start-up" for "up")."""
    doc = tok.doc
    if tok.i >= 2 and doc[tok.i - 1].text == "-" and not doc[tok.i - 1].whitespace_ and not doc[tok.i - 2].whitespace_:
        return doc[tok.i - 2].text + "-" + tok.text
    return tok.text


def _age_after(doc, e: int) -> int | None:
    """The age set off by commas right after a name ending at token e ("Ann Lee, 47,")."""
    if e + 2 < len(doc) and doc[e].text == "," and doc[e + 2].text == "," and doc[e + 1].text.isdigit() \
            and 1 <= int(doc[e + 1].text) <= 120:
        return int(doc[e + 1].text)
    return None


def _age_set_off(tok) -> bool:
    """A name followed by an age between commas ("Doherty, 47, now chairs ...")."""
    return _age_after(tok.doc, tok.i + 1) is not None


def _a_trade(tok) -> bool:
    """A common noun of one person's trade or office ("researcher", "executive")."""
    return tok.pos_ == "NOUN" and singular(tok.lower_) in PERSON_NOUNS


def _named_after_a_trade(doc):
    """Token spans of names set right after a person's trade or office, which the tagger
    took for a body or nothing ("analyst Tatiana Stanovaya", tagged ORG): two or three
    capitalised proper nouns in a compound run whose last one is the head, after a
    lower-case noun of PERSON_NOUNS (or one written as an acronym: "CEO"), outside any entity but a person's or a body's. The
    trade words are found over the doc's array of lower-case forms, not token by token
    (this runs on every article)."""
    for i in _at_words(doc, _trade_hashes(doc.vocab.strings)):
        t = doc[i]
        # a lower-case trade, or one written as an acronym ("TikTok CEO Shou Chew"), or one
        # that opens the sentence ("Meteorologist Karen Obi said")
        if not (t.pos_ == "NOUN" and t.text.islower() or t.text.isupper() and len(t) > 1
                or t.is_sent_start and t.text.istitle()):
            continue
        j = i + 1
        while j < len(doc) and doc[j].pos_ == "PROPN" and doc[j].text[:1].isupper() and doc[j].is_alpha \
                and doc[j].ent_type_ in ("", "ORG", "PERSON") and j - i <= 3:
            j += 1
        run = doc[i + 1:j]
        ends = j == len(doc) or doc[j].pos_ != "PROPN" and doc[j].text not in (".", "-")
        if 2 <= len(run) <= 3 and ends and all(w.head.i == run[-1].i for w in run[:-1]) \
                and not any(w.ent_type_ == "PERSON" or w.lower_ in NAME_TITLES for w in run) \
                and not ends_a_firms_name(run[-1].text):  # "port owner Forth Holdings": a firm
            yield i + 1, j


def _capitalised_run(doc, i: int, most: int) -> list:
    """The capitalised words from token i on (at most `most`), as a name or an office's
    department is written: no entity but a person's or a body's, no title among them."""
    run = []
    while i < len(doc) and len(run) < most and doc[i].is_alpha and doc[i].text[:1].isupper() \
            and doc[i].ent_type_ in ("", "PERSON", "ORG") and not doc[i].is_sent_start:
        run.append(doc[i])
        i += 1
    return run


def _named_after_an_honorific(doc):
    """Token spans of names written after an honorific that the tagger took for nothing
    ("The Minister for Health, Mr Darragh Mac Cárthaigh, said"): one to four capitalised
    words, not a title ("Mr President", "Mr Speaker": an address)."""
    for i in _at_words(doc, [doc.vocab.strings[h] for h in _HONORIFIC]):
        t = doc[i]
        if t.ent_type_ == "PERSON":
            continue
        run = _capitalised_run(doc, t.i + 1, 4)
        if run and not any(w.lower_ in NAME_TITLES or singular(w.lower_) in PERSON_NOUNS for w in run) \
                and (len(run) > 1 or not run[0].ent_type_ or t.ent_iob_ == "B" and t.ent_type_ == "ORG"):
            # (one word: untagged, or tagged a body with its honorific: "Ms Kartasasmita")
            yield run[0].i, run[-1].i + 1


def _named_after_an_office(doc):
    """Token spans of names written after an office "for" its department ("Minister for
    Health Stephen Donnelly", "Secretary of State for Education Ama Boateng"), which the
    tagger reads as one phrase: the last two or three words of the capitalised run after
    "for", from the first word that is a given name or too rare to be a department's
    (_first_name_like)."""
    for i in _at_words(doc, [doc.vocab.strings["for"]]):
        t = doc[i]
        if t.head.pos_ not in ("NOUN", "PROPN") \
                or singular(t.head.lower_) not in PERSON_NOUNS and t.head.lower_ not in NAME_TITLES:
            continue
        run = _capitalised_run(doc, t.i + 1, 6)
        for k in range(1, len(run) - 1):
            if len(run) - k in (2, 3) and _first_name_like(run[k].text, run[-1].text):
                yield run[k].i, run[-1].i + 1
                break


def _named_after_a_place(doc):
    """Token spans of names that close the place of an office's "to" or "of" phrase ("envoy
    to Ukraine Keith Kellogg", "ambassador to Nato Kurt Volker", "President of Dravonia
    Radoslav Mrazek"): the tagger takes the place into
    the name (PERSON "Ukraine Keith Kellogg") or the name into the place (ORG "Nato Kurt
    Volker"). A run of three or four capitalised words, one compound phrase, as the object of
    "to" or "of" after a noun of PERSON_NOUNS, no title among them: its last two words. The "to"s
    are found over the doc's array of lower-case forms, as _named_after_a_trade finds its
    trades (this runs on every article)."""
    for i in _at_words(doc, [doc.vocab.strings["to"], doc.vocab.strings["of"]]):
        t = doc[i]
        # "to" after an office's noun; "of" after a capitalised title too ("President of
        # Dravonia Radoslav Mrazek", "Prime Minister of Norvald Ingrid Øyen": the tagger
        # made "Dravonia Radoslav Mrazek" the name and "Norvald" the speaker; session 30)
        if t.dep_ != "prep" or t.head.lower_ not in PERSON_NOUNS \
                or t.head.pos_ != "NOUN" and not (t.lower_ == "of" and t.head.pos_ == "PROPN"):
            continue
        obj = next((c for c in t.children if c.dep_ == "pobj" and c.pos_ == "PROPN"), None)
        if obj is None:
            continue
        run = [w for w in doc[t.i + 1:obj.i + 1] if w.lower_ != "the" or w.i > t.i + 1]
        if 3 <= len(run) <= 4 and run[0].i >= t.i + 1 and all(
                w.pos_ == "PROPN" and w.is_alpha and w.text[:1].isupper() and w.lower_ not in NAME_TITLES
                and w.lower_ not in PERSON_NOUNS and (w.i == obj.i or w.head.i == obj.i) for w in run) \
                and (t.lower_ == "to" or _first_name_like(doc[obj.i - 1].text, obj.text)):
            # (after "of", only a name that opens with a given name or a rare word: "president
            # of American Action Network" names a body)
            yield obj.i - 1, obj.i + 1


_PLACE_PREPS = frozenset(_WORDS["place_prepositions"])
_PLACE_VERBS = frozenset(_WORDS["place_verbs"])
_PLACE_ONLY_PREPS = frozenset(_WORDS["place_only_prepositions"])


def set_as_a_place(ent) -> bool:
    """Whether the sentence sets a name as a place (mentions.toml [cast] place_prepositions):
    "a farmer from Sao Paulo", "Lee, a metalworker from Sao Paulo" (a person's noun: a trade
    or an appositive that describes someone), "born in Pittsburgh", "fires across Borneo", "Borneo and
    Sumatra"."""
    root = ent.root
    if ent.start > 0 and ent.doc[ent.start - 1].lower_ in NAME_TITLES:
        return False  # "Mr. and Mrs. Khan, Charlottesville": a titled name is a person's
    if root.dep_ == "pobj":
        prep = root.head
        if prep.lower_ in _PLACE_ONLY_PREPS:
            return True
        owner = prep.head
        return prep.lower_ in _PLACE_PREPS and (
            owner.pos_ == "NOUN" and (singular(owner.lower_) in PERSON_NOUNS or owner.dep_ == "appos")
            or owner.pos_ in ("VERB", "AUX") and owner.lemma_.lower() in _PLACE_VERBS)
    if len(ent) > 1 or is_given_name(ent.text):
        return False  # only a one-word name that is no given name is read by its list
    listed = [root.head] if root.dep_ == "conj" else []
    listed += [c for c in root.children if c.dep_ == "conj"]
    # (not a facility: the tagger gives names to FAC too, "Swati Dhingra, Alan Taylor and ...")
    return any(t.ent_type_ in ("GPE", "LOC") for t in listed)


def _trade_hashes(strings) -> list[int]:
    """The hashes of PERSON_NOUNS' one-word forms in a vocab's string store."""
    return [strings[w] for w in PERSON_NOUNS if "_" not in w]


def _at_words(doc, hashes) -> list[int]:
    """The indices of the doc's tokens whose lower-case form is one of `hashes` (a vocab's
    string hashes), read over the doc's array, not token by token: the name finders run on
    every article."""
    import numpy

    return numpy.flatnonzero(numpy.isin(doc.to_array("LOWER"), hashes)).tolist()


def _past_nickname(doc, lo: int, hi: int) -> int:
    """End of a name with a nickname quoted inside it ('Benjamin "Benjie" Dela Paz', which
    the tagger cuts inside the marks): through the capitalised words after the closing
    mark; `hi` when there is none."""
    opens = next((i for i in range(lo + 1, min(hi + 1, len(doc))) if doc[i].is_quote), None)
    if opens is None or not doc[opens - 1].text[:1].isupper():
        return hi
    close = next((i for i in range(opens + 2, min(opens + 4, len(doc))) if doc[i].is_quote), None)
    if close is None or not all(t.text[:1].isupper() for t in doc[opens + 1:close]):
        return hi
    after = _capitalised_run(doc, close + 1, 3)
    return after[-1].i + 1 if after else hi


_SURNAME_PARTICLES = frozenset(_WORDS["surname_particles"])


def _past_particles(doc, lo: int, hi: int) -> int:
    """End of a name the tagger cut after its surname's particles ("Ursula von der | Leyen"):
    through the capitalised word they lead to."""
    def particle(t):
        return t.lower_ in _SURNAME_PARTICLES and t.text.islower()
    if hi - lo < 2 or not particle(doc[hi - 1]):
        return hi
    j = hi
    while j < len(doc) and particle(doc[j]):  # ("Marieke van | der Berg")
        j += 1
    if j < len(doc) and doc[j].is_alpha and doc[j].text[:1].isupper():
        return j + 1
    return hi


def _past_hyphen(doc, hi: int) -> int:
    """End of a name whose double-barrelled surname the tagger cut at its hyphen ("Sipho
    Ramokgopa | -Dlamini"): through the capitalised word the hyphen joins to it."""
    if hi + 1 < len(doc) and doc[hi].text == "-" and not doc[hi - 1].whitespace_ and not doc[hi].whitespace_ \
            and doc[hi + 1].is_alpha and doc[hi + 1].text[:1].isupper():
        return hi + 2
    return hi


def _raw_name(doc, start: int, end: int) -> str:
    marks = [t.i for t in doc[start:end] if t.is_quote]
    nickname = set(range(marks[0], marks[1] + 1)) if len(marks) == 2 else set()  # 'Benjamin "Benjie" Dela Paz'
    toks = [t for t in doc[start:end] if t.lower_ not in NAME_TITLES and t.text not in ("'s", "’s")
            and t.i not in nickname]
    while len(toks) > 1 and (toks[0].lower_ in PERSON_NOUNS or toks[0].text in "-–"):
        toks = toks[1:]  # a title the tagger took into the name: "Treasurer Ann Lee"
    while len(toks) > 2 and toks[-1].text in _POST_NOMINALS:
        toks = toks[:-1]  # "Helen Farrow KC"
    # the page's own spacing, so that "Jean-Pierre" stays one word
    return " ".join("".join(t.text_with_ws for t in toks).split()).strip(" ,.'’")


def alias_pattern(registry: Registry) -> re.Pattern:
    forms = [re.escape(a) for a in (p_alias for p in registry.people for p_alias in [p.name, *p.aliases])
             if registry.lookup(a)]
    forms.sort(key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(forms) + r")(?![\w-])")


def _descriptors(doc, start: int, end: int) -> list[str]:
    """What the text calls the person named at doc[start:end]: the words before the name
    ("Russian President", "a dictator", "President of the United States") and appositives
    ("Dmitry Peskov, the Kremlin spokesman,")."""
    out = []
    i = start - 1
    while i >= 0:
        t = doc[i]
        if t.pos_ in ("PROPN", "NOUN", "ADJ") or (t.lower_ in ("of", "the") and i > 0
                                                  and doc[i - 1].pos_ in ("PROPN", "NOUN", "DET", "ADP")):
            i -= 1
            continue
        break
    words = doc[i + 1:start].text.strip()
    words = re.sub(r"^(the|of)\s+", "", words, flags=re.I)
    if words:
        out.append(words)
    root = doc[start:end].root
    for c in root.children:
        if c.dep_ == "appos" and c.i >= end:
            out.append(doc[c.left_edge.i:min(c.right_edge.i + 1, c.i + 8)].text)
    # (a capitalised office the tagger reads as a name: "The Chancellor, Rachel Reeves,")
    if root.dep_ == "appos" and root.head.i < start and (
            root.head.pos_ == "NOUN" or root.head.pos_ == "PROPN" and root.head.lower_ in PERSON_NOUNS):
        h = root.head
        out.append(doc[h.left_edge.i:h.i + 1].text)
    return out


_SUBJECT_DEPS = ("nsubj", "nsubjpass", "poss")


def build_cast(docs: list, registry: Registry, alias_rx: re.Pattern | None,
               when=None) -> tuple[Cast, dict]:
    """The cast of an article, and per doc the name spans with their canonical names.
    `when`: the article's date (a datetime.date or None), for dated roles."""
    texts = {id(d): d.text for d in docs}  # spaCy rebuilds a Doc's text on each access
    described = {id(d): _names_described_as_bodies(d) for d in docs}  # read by the names and the bodies
    cast = Cast(registry, when, places_in("\n".join(texts.values())))
    found = []
    for doc in docs:
        for s, e in _name_spans(doc, texts[id(doc)], alias_rx, described[id(doc)]):
            raw = _raw_name(doc, s, e)
            if raw and raw[0].isupper():
                found.append((doc, s, e, raw))
    for _, _, _, raw in found:
        words = raw.split()
        if len(words) > 1:
            name = cast.canonical(raw)
            cast.seen[name] = cast.seen.get(name, 0) + 1
            cast.full.setdefault(words[-1].lower(), set()).add(name)
            cast.full.setdefault(name.split()[-1].lower(), set()).add(name)
            if len(words) == 2 or len(words) == 3 and given_name_gender(raw) is None:
                # ("Lim Wei Jie ... Lim said"; not "Mary Ann Lee ... Mary")
                cast.first.setdefault(words[0].lower(), set()).add(name)
    # the names found once, looked for again where spaCy missed them ("Okafor said"), and a
    # two-word name's first word where it stands alone as a subject ("Liu Wenbo ... Liu said":
    # Chinese and Korean names put the family name first)
    known = sorted({w for _, _, _, raw in found for w in (raw, raw.split()[-1])
                    if w[:1].isupper() and len(w) > 2}, key=len, reverse=True)
    firsts = {w for w in cast.first if w not in cast.full}
    if known:
        rx = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, known)) + r")(?![\w-])")
        for doc in docs:
            taken = {i for d, s, e, _ in found if d is doc for i in range(s, e)}
            for m in rx.finditer(texts[id(doc)]):
                sp = doc.char_span(m.start(), m.end(), alignment_mode="expand")
                if sp is not None and not taken.intersection(range(sp.start, sp.end)):
                    found.append((doc, sp.start, sp.end, m.group()))
                    taken.update(range(sp.start, sp.end))
    for doc in docs:
        taken = {i for d, s, e, _ in found if d is doc for i in range(s, e)}
        for t in doc:
            if t.lower_ in firsts and t.i not in taken and t.pos_ == "PROPN" and t.dep_ in _SUBJECT_DEPS \
                    and not (t.i + 1 < len(doc) and doc[t.i + 1].pos_ == "PROPN") \
                    and t.ent_type_ not in ("NORP", "GPE") and not any(c.dep_ == "det" for c in t.children):
                found.append((doc, t.i, t.i + 1, t.text))
    cast.bodies = _body_names(docs, described)
    cast.acronyms = acronyms_in(" ".join(texts.values()))
    names: dict[int, list[tuple[int, int, str]]] = {}
    for doc, s, e, raw in found:
        name = cast.canonical(raw)
        person = cast.add(name)
        age = _age_after(doc, e)
        if age is not None:
            cast.ages.setdefault(name, age)
        prev = doc[s - 1].lower_ if s > 0 else ""
        if person.gender is None and prev in _HONORIFIC:
            person.gender = _HONORIFIC[prev]
        for d in _descriptors(doc, s, e):
            if quantified(d):
                continue
            k = role_key(d)
            if k and k not in person.keys:
                person.keys.append(k)
        names.setdefault(id(doc), []).append((s, e, name))
    for v in names.values():
        v.sort()
    return cast, names


def _body_names(docs, described: dict[int, list[list]]) -> set[str]:
    """The bodies the article names (spaCy ORG entities and firms' names, lowercased, without
    "the") and a firm's first word: "Norvex Semiconductor" is "Norvex" on second reference,
    where spaCy may leave it untyped and it would pass for a person's name."""
    out = set()
    for doc in docs:
        names = [[t for t in ent if not t.is_punct and t.lower_ != "the"] for ent in doc.ents if ent.label_ == "ORG"]
        names += described[id(doc)]  # "Lumen, a San Francisco start-up,", whatever spaCy tagged it
        names += [_firms_name(t) for t in doc if t.pos_ == "PROPN" and ends_a_firms_name(t.text)]
        for words in names:
            if not words:
                continue
            out.add(" ".join(t.lower_ for t in words))
            # a firm's first word alone ("Helios" after "Helios Energy"); not a party's or a
            # programme's ("the Republican from Alabama" after "the Republican Party")
            if len(words) > 1 and ends_a_firms_name(words[-1].text) and words[0].pos_ == "PROPN" \
                    and words[0].text[:1].isupper():
                out.add(words[0].lower_)
    return out


def _firms_name(last) -> list:
    """The capitalised words of a firm's name that `last` ends ("Helios Energy"); [] when
    nothing comes before it."""
    lo = last.i
    while lo > 0 and last.doc[lo - 1].pos_ == "PROPN" and last.doc[lo - 1].text[:1].isupper() \
            and last.doc[lo - 1].head.i == last.i:
        lo -= 1
    return list(last.doc[lo:last.i + 1]) if lo < last.i else []


def quantified(phrase: str) -> bool:
    """A phrase that opens with a quantifier names nobody in particular."""
    return phrase.split(maxsplit=1)[0].lower() in {"no", "any", "every", "each", "some", "many", "all", "most"} \
        if phrase.strip() else False
