"""Mentions and the speakers they give a statement.

A Mention is what the resolver (attribution/resolver.py) makes of a subject or a name: its
words and where they stand, the person or body it names, how that was found and the kind of
speaker (crosswire.speaker_kinds). A Speaker is what a statement records of it. Beside them,
how a phrase's words name a body or a group ("the Pentagon's" -> "Pentagon", "Ann Lee's
advisers" -> "Ann Lee advisers").
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from .. import speaker_kinds
from .cast import NAME_TITLES

# Pronouns are closed-class English, not a list to tune: they stay here, not in a data file.
PRONOUNS = {"he": "m", "him": "m", "she": "f", "her": "f"}
POSS_GENDER = {"his": "m", "her": "f"}  # possessives: "his campaign", "her aides"
GROUP = {"they", "them", "we", "us", "i", "you", "it", "this", "that", "there", "both",
         "which", "what", "all", "some", "many", "others", "one"}


@dataclass
class Speaker:
    name: str | None
    mention: str | None
    resolution: str
    # keyword-only: the row's confidence is fitted per rule (crosswire/data/confidence.toml,
    # the reported-speech filter), a speaker carries none of its own
    cue: str | None = field(default=None, kw_only=True)
    kind: str | None = field(default=None, kw_only=True)  # person | organisation | document | unnamed | group
    # where the mention stands: (start, end) char offsets in the field's text the rule read it
    # from (None when no words of the field name the speaker); what the reported-speech
    # filter reads the mention's parse from. Not part of a speaker's identity.
    at: tuple[int, int] | None = field(default=None, kw_only=True, compare=False)

    @property
    def known(self) -> bool:
        """Named, or at least mentioned as someone in particular ("the report", "a senior
        official"): a speaker worth carrying to the quotations that follow."""
        return bool(self.name) or (bool(self.mention) and self.kind is not None
                                   and (self.resolution != "none" or self.kind == "person"))


NONE = Speaker(None, None, "none")


def char_span(toks) -> tuple[int, int] | None:
    """The (start, end) char offsets of a run of tokens (a Span or a list), for Speaker.at."""
    toks = list(toks)
    return (toks[0].idx, toks[-1].idx + len(toks[-1])) if toks else None


@dataclass
class Mention:
    tok: int              # head token
    start: int            # char offsets of the mention words
    end: int
    text: str
    person: str | None
    resolution: str
    subject: bool
    para: int
    kind: str | None = "person"  # see crosswire.speaker_kinds; None: no speaker ("that")
    entity: str | None = None    # a body's name ("Acme Corp") when kind is not person
    # how a reporting verb's speaker was reached when the parse gave the verb no subject
    # (Resolver.subject_of's fallbacks: "left_neighbour", ...); None: through the parse.
    # rules.quoted gives these rows a rule of their own, so their rate is fitted apart.
    via: str | None = None

    @property
    def can_speak(self) -> bool:
        """Whether the mention names someone or something that can say things: not a bare
        "that" or "which", not an "it" or "you" that refers to nothing found."""
        low = self.text.lower()
        return self.kind is not None and low != "you" and not (low == "it" and self.resolution == "none")

    def speaker(self, cue: str | None = None) -> Speaker:
        """The speaker this mention gives a statement: a person's or a body's name when
        resolved, the words as worded and the kind (nothing at all for a bare "that")."""
        if self.kind is None:
            return Speaker(None, None, "none", cue=cue)
        return Speaker(self.person or self.entity, self.text, self.resolution, cue=cue, kind=self.kind,
                       at=(self.start, self.end))


_CLITICS = {"'s", "’s", "'", "’"}


def is_proper(t) -> bool:
    """A word of a proper name: an entity, or a capitalised proper noun inside a sentence, or
    a capitalised word the word lists know as a body's name ("Kyiv believes ...", untagged
    at the start, or tagged an adjective)."""
    # (a name the lists know counts whatever the tagger made of it: "Kyiv insists ...",
    # tagged an adjective after "Moscow said ...")
    return t.ent_type_ in ("ORG", "GPE", "NORP", "PERSON", "FAC", "LOC") or t.text[:1].isupper() and (
        t.pos_ == "PROPN" and not t.is_sent_start or speaker_kinds.is_org_name(t.text))


def org_name(core) -> str:
    """A body's display name from its phrase, without the article or a possessive's
    clitic, so that one body has one name: "the Pentagon's" -> "Pentagon", "Lee's campaign"
    -> "Lee campaign" (as "the Lee campaign")."""
    i = 0
    while i < len(core) - 1 and core[i].pos_ in ("DET", "PRON"):
        i += 1
    # a body's noun before its name is no part of it: "Energy firm National Grid" is "National
    # Grid"; nor is any common noun that describes it ("port owner Forth Holdings")
    k = max((j for j in range(i, len(core) - 1) if speaker_kinds.names_a_body(core[j].text)
             or core[j].pos_ == "NOUN" and core[j].text.islower()), default=None)
    if k is not None and all(t.text[:1].isupper() or t.lower_ in ("of", "and", "for", "&") for t in core[k + 1:]) \
            and core[k + 1].text[:1].isupper() and core.root.i > core[k].i:  # the name heads the phrase
        i = k + 1
    out = ""
    for t in core[i:]:
        if t.text in _CLITICS:
            out += " "
        else:
            out += t.text_with_ws
    return " ".join(out.split()).strip(" ,") or core.text


def name_by_owner(tok, core, kind: str | None) -> str | None:
    """The name of a group, an unnamed person or a document named by whose it is, as a
    body's name is written ("Ann Lee's advisers" -> "Ann Lee advisers", "Tuttle's
    article", "a Fox News poll" -> "Fox News poll"); None for anything else (a person
    named so is still unnamed: "Lee's lawyer" is no one's name)."""
    if kind in ("unnamed", "group") and any(
            c.dep_ == "poss" and all(is_proper(t) or t.lower_ in NAME_TITLES for t in c.subtree
                                     if t.text not in _CLITICS) for c in tok.children):
        return org_name(core)  # a group with a name, as "the Lee campaign" is a body's
    if kind == "document" and tok.tag_ != "NNS" and any(is_proper(t) for t in core if t.i != tok.i):
        return org_name(core)  # named by its author or publisher, as a body is
    return None


def is_body_name(c, person_tag_ok: bool = False) -> bool:
    """Is appositive c a body's proper name ("Harbour Courier", "Partners for Clean
    Rivers", "America's Clean Future"), not a person's, a place's or a date?
    `person_tag_ok`: spaCy's PERSON tag does not count against it (the noun it is set
    beside names a body: "the activist group Mosul Eye"), nor a place's on a name of two
    words or more ("The company, Atlantic Links, says")."""
    words = list(c.subtree)
    if len(words) > 1 and words[0].lower_ == "the":  # "Their group, the United States Maritime Alliance,"
        words = words[1:]
    unlike = (("DATE", "TIME") if len(words) > 1 else ("GPE", "LOC", "DATE", "TIME")) if person_tag_ok \
        else ("PERSON", "GPE", "LOC", "DATE", "TIME")
    return c.pos_ == "PROPN" and c.ent_type_ not in unlike \
        and len(words) <= 6 and words[0].text[:1].isupper() \
        and all(t.pos_ in ("PROPN", "ADP", "DET", "CCONJ") or t.tag_ == "POS" or t.text == "&" for t in words)


def speaker_copy(sp: Speaker) -> Speaker:
    """A copy of another statement's speaker, for a statement that takes it over."""
    return replace(sp)
