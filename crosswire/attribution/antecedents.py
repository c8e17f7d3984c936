"""What a pronoun or a description refers back to: "he" and "she" to the last person of
their gender, "it" and "they" to a body or a group, "the company" to the last firm named,
"his campaign" to the campaign of the man just named.

A mixin of the Resolver (attribution/resolver.py): its methods read the mentions resolved
so far, in text order (`history`), and the paragraph ranks that bound how far back they look.
"""
from __future__ import annotations

from .. import speaker_kinds
from ..datafiles import read_toml
from ..speakers import is_age, of_another_country
from .cast import Person, initials
from .extents import APPOS_REACH
from .mentions import _CLITICS, POSS_GENDER, PRONOUNS, Mention, is_body_name, is_proper, org_name
from .reporting_verbs import SPEECH_CUES, is_speech_cue

# how many narrative paragraphs back each kind of reference looks (crosswire/data/mentions.toml)
_WINDOWS = read_toml("mentions.toml")["antecedents"]


def _placed_description(tok, core) -> bool:
    """A generic noun of a body whose only proper words say where it is from ("the
    Denver-based company", "the French carmaker"): a description of a body named before,
    not a name ("the Clinton campaign", "the Russian government" are names)."""
    if not tok.text.islower() or speaker_kinds.singular(tok.lower_) not in speaker_kinds.lists().generic_org:
        return False
    proper = [t for t in core if t.i < tok.i and is_proper(t)]
    return bool(proper) and all(t.ent_type_ in ("GPE", "NORP", "LOC") or _based(t) for t in proper)


def _fits(noun: str, name: str) -> bool:
    """Whether a generic noun may re-describe the body of that name: "the agency" a public
    body or a news agency ("Food and Drug Administration", "Reuters", "FBI"), "the company"
    a firm (no union, party or association: civic_name_words), "the group" any other
    (speaker_kinds.toml public_generic, public_name_words, commercial_generic)."""
    lists = speaker_kinds.lists()
    words = name.lower().replace("-", " ").replace("'", " ").replace("\u2019", " ").split()
    public = any(w in lists.public_name_words for w in words)
    if noun in lists.public_generic:
        return public or name.isupper()  # "the FBI", "AFP": an agency's initials
    if noun in lists.commercial_generic:  # "the company": not a union's or a party's
        return not public and not any(w in lists.civic_name_words for w in words)
    return not public


def _based(t) -> bool:
    """The place of an "X-based" compound ("Denver-based")."""
    doc = t.doc
    return t.i + 2 < len(doc) and doc[t.i + 1].text == "-" and doc[t.i + 2].lower_ in ("based", "headquartered")


def _in_relative_clause_of(tok, subjects: set[int]) -> bool:
    """tok is a subject inside a relative clause on one of `subjects` ("Mayor Dale Pruitt, whom
    Marsh beat, said": Marsh, on Pruitt; "Trump, who had threatened consequences if Putin did
    not agree, said": Putin, in a clause of Trump's), which the sentence is about."""
    if tok.dep_ not in ("nsubj", "nsubjpass"):
        return False
    clause = next((a for a in tok.ancestors if a.dep_ == "relcl"), None)
    return clause is not None and clause.head.i in subjects


# (mentions.toml [antecedents] party_prepositions; "with" only after a document: "logged
# hours with EgyptAir, the airline said" is the airline's)
_PARTY_PREPOSITIONS = frozenset(_WINDOWS["party_prepositions"])


def _party_to_the_act(m, doc) -> bool:
    """A body named, not as a subject or a source, but as whom a speaker told ("told
    Reuters") or as the object of a preposition that names another party to the act."""
    if m.subject:
        return False  # "according to the National Golf Foundation" is a source
    tok = doc[m.tok]
    if tok.dep_ in ("dobj", "dative") and is_speech_cue(tok.head):
        return True
    if tok.dep_ != "pobj":
        return False
    prep = tok.head
    return prep.lower_ in _PARTY_PREPOSITIONS or prep.lower_ == "with" and speaker_kinds.classify(prep.head.text) == "document"


class Antecedents:
    """The referents of pronouns, possessives and descriptions that refer back."""

    def _organisation(self, tok, core, base) -> Mention:
        """A body: by its name ("the Pentagon", "Acme Corp", "the Clinton campaign"), or a
        description ("the company") that refers back to the last body the article named
        with the same noun or, for a generic noun, to the last body named that the noun can
        describe (_fits: "the company" no union); unresolved when there is none."""
        named = self._body_appositive(tok)
        if named is not None:  # "a local group, Partners for Clean Rivers,", "the Iraqi group Mosul Eye": that body
            return Mention(**base, person=None, resolution="name", kind="organisation", entity=named)
        # a body the article named before, however tagged ("Helios", a plural noun to the tagger)
        named_before = tok.text[:1].isupper() and self.cast.names_body(core.text)
        if not named_before and _placed_description(tok, core):
            m = self._org_antecedent(tok)
            if m is not None:  # "Orbitel ... The Denver-based company said": Orbitel
                return Mention(**base, person=None, resolution="title", kind="organisation", entity=m.entity)
        if named_before or tok.tag_ != "NNS" and (any(is_proper(t) for t in core)
                                                  or tok.pos_ == "PROPN" and tok.tag_ == "NNP" and tok.text[:1].isupper()):
            name = self._named_by_person_owner(tok, core) or org_name(core)
            return Mention(**base, person=None, resolution="name", kind="organisation",
                           entity=self._fuller_name(name))
        named = self._named_by_pronoun_owner(tok, core)
        if named is not None:  # "his campaign said": the campaign of the man just named
            return Mention(**base, person=None, resolution="pronoun", kind="organisation", entity=named)
        m = self._org_antecedent(tok)
        if m is not None:
            return Mention(**base, person=None, resolution="title",
                           kind="organisation", entity=m.entity)
        return Mention(**base, person=None, resolution="role", kind="organisation")

    def _fuller_name(self, name: str) -> str:
        """The fuller name the article gave the body before, when `name` ends it ("the Health
        Ministry" after "Lebanon's Health Ministry": "Lebanon Health Ministry"), the latest
        such; `name` otherwise. One or two capitalised words more (a place, "New York" of
        "the Daily News"; not a description: "the current White House", "RNC and Trump
        campaign"), and never for a one-word name."""
        # "CCI" after "the Competition Commission of India (CCI)"; "the WFP" after "the World
        # Food Programme": the name it stands for, as fully as the article gave it
        name = self.cast.acronyms.get(name) or self._spelled_out(name) or name
        words = name.split()
        if len(words) < 2:
            return name
        for m in reversed(self.history):
            if m.kind != "organisation" or not m.entity:
                continue
            full = m.entity.split()
            extra = full[:len(full) - len(words)]
            if 1 <= len(extra) <= 2 and all(w[:1].isupper() for w in extra) \
                    and [w.lower() for w in full[-len(words):]] == [w.lower() for w in words]:
                return m.entity
        return name

    def _spelled_out(self, name: str) -> str | None:
        """The body named before whose words' initials spell `name` ("WFP"), the latest."""
        if not (2 <= len(name) <= 7 and name.isalpha() and name.isupper()):
            return None
        return next((m.entity for m in reversed(self.history) if m.kind == "organisation" and m.entity
                     and len(m.entity.split()) >= 2 and initials(m.entity.split()) == name), None)

    def _named_by_person_owner(self, tok, core) -> str | None:
        """A body a named person owns, named as "his campaign" is, by the person's surname:
        "President Emmanuel Macron's office", "Macron's office" and "the Emmanuel Macron
        office" are all "Macron office", and every spelling of a known person's name gives
        the registry's ("Zelenskyy's office": "Zelensky office"); None when no person owns it."""
        owner = next((c for c in reversed(list(tok.lefts)) if c.dep_ in ("poss", "compound") and (
            c.ent_type_ == "PERSON" or self.cast.registry.lookup(c.text))), None)
        if owner is None:
            return None
        rest = " ".join(t.text for t in core if t.i > owner.right_edge.i and t.text not in _CLITICS)
        name = self.cast.canonical(owner.text)
        return f"{name.split()[-1]} {rest}" if rest else None

    def _body_appositive(self, tok) -> str | None:
        """The proper name set beside a body's common noun, with or without a comma ("the
        weekly paper Harbour Courier", "one group, Partners for Clean Rivers,"); None when
        there is none."""
        if tok.tag_ in ("NNS", "NNPS"):
            return None
        doc = self.doc
        for c in tok.rights:
            if c.dep_ != "appos" or not is_body_name(c, speaker_kinds.names_a_body(tok.text)) or self.in_quote[c.i]:
                continue
            lo = c.left_edge.i
            between = doc[tok.i + 1:lo]
            if lo - tok.i <= APPOS_REACH and all(not t.is_sent_start for t in doc[tok.i + 1:c.right_edge.i + 1]) \
                    and (not between or between[-1].text == "," or not any(t.is_punct for t in between)):
                return org_name(doc[lo:c.right_edge.i + 1])
        return None

    def _named_by_pronoun_owner(self, tok, core) -> str | None:
        """A body or group owned by "his" or "her" ("his campaign", "her aides"), named as
        "the Lee campaign" is, after the person the possessive refers to (the subject of the
        last two narrative paragraphs, as a pronoun does): "Lee campaign"; None otherwise."""
        poss = next((c for c in tok.children if c.dep_ == "poss" and c.lower_ in POSS_GENDER), None)
        if poss is None or tok.tag_ == "NNPS":
            return None
        m = self._pronoun_person(poss, POSS_GENDER[poss.lower_])
        if m is None:
            return None
        rest = " ".join(t.text for t in core if t.i > poss.i)
        return f"{m.split()[-1]} {rest}" if rest else None

    def _org_antecedent(self, tok):
        """The mention of the body "the company" refers back to, or None; a plural
        ("the ministries", "14 national agencies") names several bodies, never the last one."""
        if tok.tag_ in ("NNS", "NNPS"):
            return None
        head = speaker_kinds.singular(tok.lower_)
        named = [m for m in self.history if m.kind == "organisation" and m.entity]
        # "the foreign ministry" is not the health ministry named before: its own modifiers
        # must be in the name ("the health ministry" after "the Ministry of Health")
        mods = [c.lower_ for c in tok.lefts if c.dep_ in ("amod", "compound") and c.is_alpha]
        same = [m for m in named if speaker_kinds.singular(self.doc[m.tok].lower_) == head
                and all(w in m.entity.lower().split() for w in mods)]
        if same:
            return same[-1]
        if head not in speaker_kinds.lists().generic_org:
            return None
        para = self.rank[self.para_of[tok.i]]
        window = [m for m in named if para - self.rank[m.para] <= _WINDOWS["generic_body"]
                  and not _party_to_the_act(m, self.doc)]
        if not window:
            return None
        fits = [m for m in window if _fits(head, m.entity)]
        return fits[-1] if fits else None

    def _thing_antecedent(self, tok, base, low: str) -> Mention | None:
        """"it" -> the body or document the last two narrative paragraphs spoke of, as
        their subject; "they" -> a body or a group ("the protesters ... they said")."""
        kinds = ("organisation", "document") if low == "it" else ("organisation", "group", "unnamed")
        para = self.rank[self.para_of[tok.i]]
        window = [m for m in self.history if m.subject and m.kind in kinds
                  and para - self.rank[m.para] <= _WINDOWS["it_they"]
                  and (low == "it" or m.kind != "organisation" or m.entity)]
        if low == "it":
            window = [m for m in window if self.doc[m.tok].tag_ not in ("NNS", "NNPS")]
        else:
            window = [m for m in window if m.kind == "organisation" or self.doc[m.tok].tag_ in ("NNS", "NNPS")]
        if not window:
            return None
        pick = self._main_first(window)[-1]
        return Mention(**base, person=None, resolution="pronoun",
                       kind=pick.kind, entity=pick.entity)

    def _reported(self, tok) -> bool:
        """Whether tok stands in what a speech verb reports ("Lee said [the company had
        lied]"), not in the clause that reports it. Not across a quotation mark: a parse
        that hangs the writer's clause on quoted words ('Lee stayed -- "We will talk," he
        said --') reports nothing of it."""
        t = tok
        while t.head.i != t.i:
            if t.dep_ == "ccomp" and is_speech_cue(t.head):
                lo, hi = sorted((tok.i, t.head.i))
                return not any(w.is_quote for w in self.doc[lo:hi])
            t = t.head
        return False

    def _main_first(self, window: list[Mention]) -> list[Mention]:
        """The mentions a pronoun may refer to, those in the reported words left out when
        any remain: after "Trump said Putin wanted peace.", "He added ..." is Trump (the
        speaker goes on), not the subject of what he reported; nor the subject of a relative
        clause ("Mayor Dale Pruitt, whom Marsh beat last year, said ... He declined": Pruitt)."""
        main = [m for m in window if not self._reported(self.doc[m.tok])]
        heads = {m.tok for m in window if m.subject}
        main = [m for m in main if not _in_relative_clause_of(self.doc[m.tok], heads)] or main
        return main or window

    def _antecedent(self, tok, base, gender: str | None = None, words=()) -> Mention | None:
        """A definite description that only re-describes someone ("the 24-year-old"): the
        most recent person in the last two narrative paragraphs, with pronoun-like doubt;
        of the description's gender when its noun has one ("the businessman"), not of
        another country than a party among its `words` ("the Republican"), and not of another
        age than the one among them, as the article or the registry gives it ("the
        79-year-old")."""
        para = self.rank[self.para_of[tok.i]]
        near = [m for m in self.history if para - self.rank[m.para] <= _WINDOWS["description"]]
        same = [m for m in near if self.doc[m.tok].lower_ == tok.lower_]
        if same and not same[-1].person:
            return None  # "a young woman asked ... the woman said": the one the story left unnamed
        age = next((int(w.split("-")[0]) for w in words if is_age(w)), None)
        window = [m for m in near if m.person
                  and (gender is None or self.cast.people.get(m.person, Person(m.person)).gender in (None, gender))
                  and not of_another_country(self.cast.people.get(m.person, Person(m.person)).keys, words)
                  and (age is None or self.cast.age_of(m.person) in (None, age))]
        if not window:
            return None
        subjects = [m for m in window if m.subject]  # like a pronoun: subjects first
        pick = (subjects or window)[-1]
        return Mention(**base, person=pick.person, resolution="role")

    def _unnamed_before(self, tok) -> bool:
        """An unnamed person of the same noun in the last two narrative paragraphs ("a
        senior official ... the official"), whom a definite description takes up."""
        para = self.rank[self.para_of[tok.i]]
        head = speaker_kinds.singular(tok.lower_)
        return any(m.kind == "unnamed" and para - self.rank[m.para] <= _WINDOWS["description"]
                   and speaker_kinds.singular(self.doc[m.tok].lower_) == head for m in self.history)

    def _pronoun(self, tok, base) -> Mention:
        person = self._pronoun_person(tok, PRONOUNS[tok.lower_])
        unnamed = self._unnamed_speaker_since(tok, PRONOUNS[tok.lower_])
        if unnamed is not None:
            # "A doctor in Tawila said ... '...,' she said": the one the article did not name
            return Mention(**base, person=None, resolution="pronoun", kind=unnamed.kind)
        if person is None:
            return Mention(**base, person=None, resolution="none")
        return Mention(**base, person=person, resolution="pronoun")

    def _unnamed_speaker_since(self, tok, gender: str) -> Mention | None:
        """The mention of the last one the pronoun can refer to, in its paragraph or the one
        before, when that is a person the article leaves unnamed who spoke ("a doctor", "one
        trader", "the union's general secretary"), not a named person of the pronoun's gender:
        the pronoun goes on with that speaker. None otherwise."""
        para = self.rank[self.para_of[tok.i]]
        for m in reversed(self.history):
            if m.tok >= tok.i:
                continue
            if para - self.rank[m.para] > 1:
                return None
            head = self.doc[m.tok]
            if m.person is not None:
                if self.cast.people.get(m.person, Person(m.person)).gender in (None, gender):
                    return None
                continue
            if head.pos_ == "PRON" or not m.subject or head.tag_ in ("NNS", "NNPS"):
                continue  # (a pronoun is a referent's mention, not a referent)
            if m.kind == "person" and not self._officer_of_a_body(head):
                return None  # "Trump's wife", "the retired neurosurgeon": may re-describe someone named
            if m.kind in ("person", "unnamed"):  # who said something, not whom the writer describes
                spoke = head.dep_ == "nsubj" and head.head.lower_ in SPEECH_CUES and is_speech_cue(head.head)
                return m if spoke else None
        return None

    def _officer_of_a_body(self, head) -> bool:
        """An office of a body the article names, held by someone it does not name ("The
        RMT's general secretary", "the ministry's spokeswoman"): a person of their own,
        not a re-description of someone named."""
        poss = next((c for c in head.children if c.dep_ == "poss" and c.pos_ != "PRON"), None)
        if poss is None:
            return False
        m = self.by_tok.get(poss.i) or self._resolve(poss, False, False)
        return m is not None and m.kind == "organisation"

    def _one_of_a_pair(self, tok, base) -> Mention | None:
        """"the former" / "the latter": the first or the second of the last two people the
        last two narrative paragraphs name, in the order they were named: of those named as
        subjects when two were ("Putin spoke first ... Trump, who followed him, said he would
        call Zelensky. The former said ...": Putin), else of all; None unless two."""
        para = self.rank[self.para_of[tok.i]]
        window = [m for m in self.history if m.person and para - self.rank[m.para] <= _WINDOWS["pronoun"]
                  and self.sent_of[m.tok] < self.sent_of[tok.i]]  # before this sentence ("The former said ..., the latter ...")
        for candidates in ([m for m in window if m.subject], window):
            people = []
            for m in reversed(candidates):
                if m.person not in people:
                    people.append(m.person)
                if len(people) == 2:
                    latter, former = people
                    return Mention(**base, person=former if tok.lower_ == "former" else latter, resolution="pronoun")
        return None

    def _speakers_principal(self, tok, gender: str) -> str | None:
        """The one person named inside the plural subject of the speech verb whose words tok
        stands in ("Sources close to Ibarra say he is flattered", "Lawyers for Ms Lee said she
        would appeal"): whom those words are about."""
        t = tok
        while t.head.i != t.i and not (t.dep_ == "ccomp" and is_speech_cue(t.head)):
            t = t.head
        if t.head.i == t.i:
            return None
        subj = next((c for c in t.head.children if c.dep_ == "nsubj"), None)
        if subj is None or subj.tag_ != "NNS" or subj.i in self.name_at:
            return None
        named = {self.name_at[w.i] for w in subj.subtree if w.i in self.name_at}
        fits = [n for n in named if self.cast.people.get(n, Person(n)).gender in (None, gender)]
        return fits[0] if len(named) == 1 and fits else None

    def _whom_the_words_are_about(self, tok, gender: str) -> str | None:
        """"Lee will travel to Leeds on Monday, his office said", "Ruiz is recovering, her
        family said": the possessive of a speaker named after the words it said is the
        person those words are about, their clause's subject, when the gender fits (not the
        last person of the paragraphs before, as a pronoun elsewhere is)."""
        owned = tok.head
        if tok.dep_ != "poss" or owned.dep_ != "nsubj" or not is_speech_cue(owned.head):
            return None
        said = [c for c in owned.head.children if c.dep_ == "ccomp" and c.i < owned.i]
        subj = next((c for c in said[0].children if c.dep_ in ("nsubj", "nsubjpass")), None) if said else None
        m = self.by_tok.get(subj.i) if subj is not None else None
        if m is None or not m.person or self.cast.people.get(m.person, Person(m.person)).gender not in (None, gender):
            return None
        return m.person

    def _the_one_asked(self, tok) -> str | None:
        """The person the last question before tok, in its paragraph or the one before, was
        put to, when tok is the subject of a reply ("Collins asked Trump whether ... '...,' the
        president replied": Trump; "Trump was asked ..."): mentions.toml [antecedents]
        reply_verbs, asking_verbs."""
        if tok.dep_ != "nsubj" or tok.head.lower_ not in _WINDOWS["reply_verbs"]:
            return None
        para = self.rank[self.para_of[tok.i]]
        start = tok.i
        while start > 0 and para - self.rank[self.para_of[start - 1]] <= 1:
            start -= 1
        for t in reversed(self.doc[start:tok.i]):
            if t.lower_ not in _WINDOWS["asking_verbs"] or t.pos_ != "VERB" or self.in_quote[t.i]:
                continue
            asked = next((c for c in t.children if c.dep_ in ("dobj", "nsubjpass")), None)
            if asked is None or self.in_quote[asked.i]:
                return None
            m = self.by_tok.get(asked.i) or self._resolve(asked, True, False)
            return m.person if m is not None else None
        return None

    def _pronoun_person(self, tok, gender: str) -> str | None:
        """The person a pronoun of `gender` at tok refers to: the one the plural speakers of
        the words it stands in are named after (_speakers_principal), else the last subject
        (else the last person) of the last two narrative paragraphs whose gender fits."""
        principal = self._speakers_principal(tok, gender) or self._whom_the_words_are_about(tok, gender)
        if principal is not None:
            return principal
        asked = self._the_one_asked(tok)
        if asked is not None and self.cast.people.get(asked, Person(asked)).gender in (None, gender):
            return asked
        para = self.rank[self.para_of[tok.i]]
        window = [m for m in self.history if m.person and para - self.rank[m.para] <= _WINDOWS["pronoun"]
                  and self.cast.people.get(m.person, Person(m.person)).gender in (None, gender)]
        subjects = self._main_first([m for m in window if m.subject])
        pick = (subjects or window or [None])[-1]
        return pick.person if pick is not None else None
