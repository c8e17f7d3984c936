"""Where a mention's words end: the extent of the noun phrase that names a speaker.

    np_bounds(tok)        "the head of the United States", "a May 3 memo", "ex-wife": the phrase
                          without appositives, relative clauses or coordinated phrases
    np_extended(tok, hi)  ... with what says whose or which it is: "a spokesman for Disney",
                          "sources familiar with the matter", "a study last year by economists"
    set_off_end(tok, hi)  ... with a member list or a maker set off after it: "officials,
                          including Ann Lee, said", "The survey, conducted by the Lakeside Institute,"
    member_list_end(tok, hi)   the member list the parser hung on the phrase

Token indices in, token indices out; the words and reaches are data (crosswire/data/mentions.toml).
"""
from __future__ import annotations

from .. import speaker_kinds
from ..datafiles import read_toml
from ..speakers import PERSON_NOUNS
from .reporting_verbs import ANY_CUE, is_speech_cue

_WORDS = read_toml("mentions.toml")["extents"]  # where each word and reach came from: that file
# prepositions whose phrase belongs to a common-noun speaker: "a spokesman for Disney"
_NP_PREPS = frozenset(_WORDS["np_preps"])
# ... and for a document, its author and where it appeared: "a study by two economists"
_DOC_PREPS = frozenset(_WORDS["doc_preps"])
# pronouns that head a phrase naming people: "those surveyed", "one of his aides"
PRONOUN_HEADS = frozenset(_WORDS["pronoun_heads"])
# ... for a person named by office or trade, whom they serve: "an aide to Ann Lee"
_SERVES_PREPS = frozenset(_WORDS["serves_preps"])
# ... and for people in the plural, where they are: "critics in the party"
_PLURAL_PREPS = frozenset(_WORDS["plural_preps"])
# prepositions that name members of a plural set off by a comma or dash: "officials, including Ann Lee,"
_MEMBER_PREPS = frozenset(_WORDS["member_preps"])
# ... and the words opening a member list the parser hung elsewhere, each with the word that
# must follow it ("such as", "among them"), or None
_MEMBER_OPENERS = {word: after or None for word, after in _WORDS["member_openers"].items()}
_MEMBER_REACH = _WORDS["member_reach"]  # tokens from the subject's head to its verb: a list, not a paragraph
# a participle set off by commas after a noun, saying who made or runs it: "the survey,
# conducted by the Lakeside Institute,"; naming the maker by an agent or one of these
_SET_OFF_PARTICIPLE_REACH = _WORDS["set_off_participle_reach"]
_MAKER_PREPS = frozenset(_WORDS["maker_preps"])
# tokens a list of names set off after a plural may span: "the candidates, Ann Lee and Sen. Tom Baker,"
APPOS_REACH = _WORDS["appos_reach"]
# bodies people sit "on": "Democrats on the committee", "others on the board"
_BODY_SEATS = frozenset(_WORDS["body_seats"])
_SEAT_REACH = _WORDS["seat_reach"]  # tokens from the plural to the end of the body's phrase
# tokens from a common noun to the end of the phrase that says whose or which it is
_PHRASE_REACH = _WORDS["phrase_reach"]
_MEMBER_PREP_REACH = _WORDS["member_prep_reach"]  # ... to the end of a member list hung on it
_DEFINING_CLAUSE_REACH = _WORDS["defining_clause_reach"]  # ... to the end of a defining relative clause
# Punctuation and the parser's labels, not words of English to tune: they stay here.
_SET_OFF = {",", "—", "–", "--"}  # what sets a phrase off
_JOINERS = {"-", "/"}  # "ex-wife", "Gazette/Tidewater"
# what stands between a subject and its verb without belonging to the subject
_VERB_LEFTS = {"aux", "auxpass", "neg", "advmod", "mark", "npadvmod", "prep"}


def np_extended(tok, hi: int) -> int:
    """End of the phrase headed by common noun `tok` with the prepositional phrases and
    post-modifiers that say whose or which it is ("sources familiar with the matter"), and
    a member list set off after them ("others on the board, including Ann Lee, said")."""
    end = _np_modified(tok, hi)
    return set_off_end(tok, end) if end > hi or tok.pos_ == "NOUN" or tok.lower_ in PRONOUN_HEADS else end


def set_off_end(tok, hi: int) -> int:
    """End of the phrase doc[..hi] headed by tok with what is set off after it by commas or
    dashes and says who they are: a member list up to the subject's verb ("officials,
    including Ann Lee (Ore.), said"), a participle naming who made it ("The survey,
    conducted by the Lakeside Institute,"); hi when neither follows."""
    members = _members_to_verb(tok, hi)
    if members is not None:
        return members
    made = next((c for c in tok.rights if _set_off_participle(c, hi)), None)
    return hi if made is None else made.right_edge.i + 1


def _np_modified(tok, hi: int) -> int:
    """np_extended without a member list the parser did not hang on the phrase."""
    pronoun = tok.lower_ in PRONOUN_HEADS
    # NNPS: "Democrats hoping to ..."; a party member or a national: "a Democrat familiar with ..."
    if tok.pos_ != "NOUN" and tok.tag_ != "NNPS" and tok.ent_type_ != "NORP" and not pronoun:
        return hi
    if tok.text[:1].isupper() and not tok.is_sent_start and tok.ent_type_ != "NORP" \
            and not any(c.dep_ == "det" for c in tok.children):
        return hi  # a name the tagger took for a noun ("said Starmer at the press conference")
    heads = speaker_kinds.lists().doc_heads
    preps = _NP_PREPS
    if tok.lower_ in heads or speaker_kinds.singular(tok.lower_) in heads:
        preps = preps | _DOC_PREPS
    elif tok.tag_ == "NNS":
        preps = preps | _PLURAL_PREPS  # "critics like Ann Lee": who they are
    if speaker_kinds.singular(tok.lower_) in PERSON_NOUNS:
        preps = preps | _SERVES_PREPS
    members = member_list_end(tok, hi)
    if members is not None:
        return members
    undated = dated = None
    for c in tok.rights:
        if c.i < hi:
            continue
        if c.dep_ == "npadvmod" and c.ent_type_ == "DATE" and c.left_edge.i == hi and dated is None \
                and c.right_edge.i - c.left_edge.i < 3:
            undated, hi = hi, c.right_edge.i + 1  # "a study last year by ...": the date is no cut
            dated = hi
            continue
        if c.dep_ == "prep" and c.lower_ == "in" and c.i == hi and any(
                p.dep_ == "pobj" and p.ent_type_ == "GPE" for p in c.children):
            hi = c.right_edge.i + 1  # "the government in Beijing": which one
            continue
        if c.dep_ == "prep" and c.lower_ == "on" and c.i == hi and tok.tag_ in ("NNS", "NNPS") and any(
                p.dep_ == "pobj" and (p.ent_type_ in ("ORG", "FAC", "GPE", "LOC") or p.lower_ in _BODY_SEATS)
                for p in c.children) and c.right_edge.i - tok.i <= _SEAT_REACH:
            hi = c.right_edge.i + 1  # "Republicans on Capitol Hill", "members on the board": which ones
            continue
        if c.dep_ == "prep" and (c.lower_ in preps or pronoun and c.lower_ in ("of", "in", "around", "close", "inside", "but")) \
                or c.dep_ in ("amod", "acl") and c.i == hi or pronoun and c.dep_ == "relcl" and c.i <= hi + 1 \
                or _defining_clause(c, hi):
            end = _phrase_end(c) if c.dep_ == "prep" else c.right_edge.i + 1
            cut = next((t.i for t in tok.doc[hi:end]
                        if t.is_punct and t.text not in "'’-" and not joins(t) or t.is_sent_start), None)
            if cut is not None and cut > c.i + 1 and c.dep_ in ("prep", "acl", "amod") and cut - tok.i <= _PHRASE_REACH:
                # up to the comma: "an analysis by Ann Lee, an economist,": the author, not
                # her title; "a spokesman for the firm, Ann Lee,": whose spokesman; "a person
                # familiar with the matter, who said": the relative clause is not who they are
                return cut
            if end - 1 - tok.i > _PHRASE_REACH or cut is not None:
                break
            hi = end
        else:
            break
    return undated if hi == dated else hi


def _phrase_end(c) -> int:
    """End of prepositional phrase c without a participle clause that closes it ("an email
    from the union's president obtained by the Courier": whose email, not who obtained it)."""
    end = c.right_edge.i + 1
    return min([t.left_edge.i for t in c.subtree if t.dep_ == "acl" and t.tag_ == "VBN"
                and t.i > c.i + 1 and t.right_edge.i + 1 == end], default=end)


def member_list_end(tok, hi: int) -> int | None:
    """End of a member list the parser hung on the phrase doc[..hi] headed by tok: set off
    ("officials, including Ann Lee and Tom Baker,": who they are), or, after a plural, run
    on up to the subject's verb ("companies including Acme Corp have said"); None when no
    such list follows."""
    doc = tok.doc
    for c in tok.rights:
        such_as = c.lower_ == "as" and c.i > 0 and doc[c.i - 1].lower_ == "such"  # "groups such as ..."
        if c.dep_ != "prep" or c.lower_ not in _MEMBER_PREPS and not such_as or c.right_edge.i - tok.i > _MEMBER_PREP_REACH:
            continue
        end = c.right_edge.i + 1
        if c.i == hi + 1 and doc[hi].text in _SET_OFF and _list_closes(doc, end):
            return end
        if (c.i == hi and c.lower_ == "including" or such_as and c.i == hi + 1) and tok.tag_ in ("NNS", "NNPS") \
                and tok.dep_ in ("nsubj", "nsubjpass") and end < len(doc) and _at_verb(tok, end):
            return end
    return None


def _at_verb(tok, i: int) -> bool:
    """Does subject tok's verb (or its auxiliary, or a comma before them) come at doc[i]?"""
    doc = tok.doc
    if doc[i].text == "," and i + 1 < len(doc):
        i += 1
    return doc[i] == tok.head or doc[i].head == tok.head and doc[i].dep_ in ("aux", "auxpass")


def _list_closes(doc, i: int) -> bool:
    """Does a member list end at doc[i]: a comma or dash, or the end of the sentence ("was
    praised by critics, including Ann Lee.")?"""
    return i >= len(doc) or doc[i].text in _SET_OFF or doc[i].text in (".", "!", "?") and (
        i + 1 == len(doc) or doc[i + 1].is_sent_start or doc[i + 1].is_space)  # not "Sens." in the list


def set_off_at(doc, i: int) -> bool:
    """A comma or dash that sets a phrase off (a hyphen only with spaces on both sides)."""
    t = doc[i]
    return t.text in _SET_OFF or t.text == "-" and bool(t.whitespace_) and i > 0 and bool(doc[i - 1].whitespace_)


def _member_opener(doc, i: int) -> bool:
    """Does doc[i] open a member list ("including", "like", "such as", "among them")?"""
    if doc[i].lower_ not in _MEMBER_OPENERS:
        return False
    second = _MEMBER_OPENERS[doc[i].lower_]
    return second is None or i + 1 < len(doc) and doc[i + 1].lower_ == second


def _members_to_verb(tok, hi: int) -> int | None:
    """End of a subject's member list set off after it, however the parser hung the list:
    from the comma or dash after the phrase up to the subject's verb, less the words that
    belong to the verb ("have", "since", "also"): "Several senators, including Sens. Ann
    Lee (Ore.) and Tom Baker (Vt.), have denounced ..." names its members. None when no
    such list follows."""
    doc, v = tok.doc, tok.head
    if tok.dep_ not in ("nsubj", "nsubjpass") or v.i <= hi + 1 or v.i - tok.i > _MEMBER_REACH:
        return None
    if not set_off_at(doc, hi):
        return None
    end = min([c.left_edge.i for c in v.lefts if c.i > hi + 1 and c.dep_ in _VERB_LEFTS
               and not (c.dep_ == "prep" and c.left_edge.i == hi + 1)] + [v.i])
    if any(t.is_sent_start or "\n" in t.text for t in doc[hi + 1:end]):
        return None
    if not _member_opener(doc, hi + 1) and not _named_dash_aside(doc, hi, end):
        return None
    while end > hi + 1 and (doc[end - 1].is_punct and doc[end - 1].text not in ")]" or doc[end - 1].is_space):
        end -= 1
    return end if end > hi + 2 else None


def closes_bracket(doc, lo: int, i: int) -> bool:
    """Is doc[i] a closing bracket opened within doc[lo:i] ("Tom Baker (Vt.)"): the end of
    a phrase, not punctuation to trim."""
    pair = {")": "(", "]": "["}.get(doc[i].text)
    return pair is not None and any(t.text == pair for t in doc[lo:i])


def _named_dash_aside(doc, lo: int, end: int) -> bool:
    """Is doc[lo:end] an aside between two dashes that names people ("The three scholars --
    Mr. Tadic, Ms. Ferro and Mr. Quint -- agreed"): who the phrase before it is."""
    k = end - 1
    while k > lo and doc[k].is_space:
        k -= 1
    return k > lo + 1 and doc[lo].text != "," and doc[k].text != "," and set_off_at(doc, lo) \
        and set_off_at(doc, k) and any(t.pos_ == "PROPN" for t in doc[lo + 1:k])


def _set_off_participle(c, hi: int) -> bool:
    """A past participle set off by commas right after the noun's phrase, with who made,
    ran or paid for it ("The survey, conducted by the Lakeside Institute of Polling,")."""
    doc = c.doc
    if c.dep_ != "acl" or c.tag_ != "VBN" or c.i != hi + 1 or doc[hi].text != ",":
        return False
    end = c.right_edge.i + 1
    return end < len(doc) and doc[end].text == "," and end - c.head.i <= _SET_OFF_PARTICIPLE_REACH \
        and any(p.dep_ == "agent" or p.dep_ == "prep" and p.lower_ in _MAKER_PREPS for p in c.children) \
        and not any(t.is_sent_start or t.is_quote for t in doc[c.i:end])


def _defining_clause(c, hi: int) -> bool:
    """A short relative clause right after a common noun, with no comma, that tells which
    one is meant ("a party member who backs Lee", "the judges who ruled on the law"); not
    one that reports speech itself ("an aide who said ...")."""
    if c.dep_ != "relcl" or c.left_edge.i != hi or c.head.pos_ != "NOUN" or c.right_edge.i - hi > _DEFINING_CLAUSE_REACH:
        return False
    return not any(t.lower_ in ANY_CUE or is_speech_cue(t) for t in c.subtree)


def joins(t) -> bool:
    """A hyphen or slash written between two words with no space ("ex-wife", "the
    Gazette/Tidewater poll"): one word to the reader, however the parser split it."""
    doc = t.doc
    return t.text in _JOINERS and 0 < t.i < len(doc) - 1 and not doc[t.i - 1].whitespace_ \
        and not t.whitespace_ and doc[t.i - 1].text[-1:].isalnum() and doc[t.i + 1].text[:1].isalnum()


def _joined_bounds(doc, lo: int, hi: int) -> tuple[int, int]:
    """lo..hi widened over words joined to its ends by a hyphen or slash."""
    while lo >= 2 and joins(doc[lo - 1]):
        lo -= 2
    while hi < len(doc) - 1 and joins(doc[hi]):
        hi += 2
    return lo, hi


def _date_start(doc, lo: int) -> int:
    """lo moved back over a date that modifies the phrase and the article before it ("A
    Sept. 9, 2012 email", parsed with the date hung on the verb); lo when none does."""
    k = lo
    while k > 0 and doc[k - 1].ent_type_ == "DATE" and doc[k - 1].ent_iob_ in ("B", "I"):
        k -= 1
        if doc[k].ent_iob_ == "B":
            break
    if k == lo or doc[k].ent_iob_ != "B" or k == 0 or doc[k - 1].dep_ != "det" or doc[k - 1].head.i not in range(k, lo):
        return lo
    return k - 1


def _subject_read_on_a_noun(noun, c) -> bool:
    """A name right before a noun that the parse made the noun's subject, which a noun has
    none of: "A University of New Hampshire poll found ...", "University" the subject of
    "poll". It is the noun's modifier."""
    return c.dep_ == "nsubj" and noun.pos_ in ("NOUN", "PROPN") and c.pos_ == "PROPN" \
        and c.right_edge.i == noun.i - 1


def np_bounds(tok) -> tuple[int, int]:
    """Token range of the noun phrase headed by tok, without appositives, relative clauses
    or coordinated phrases; keeps "of" phrases ("the head of the United States"), words
    joined by a hyphen or slash ("ex-wife") and a date before the noun ("a May 3 memo")."""
    lo = tok.i
    for c in tok.lefts:
        if c.dep_ in ("det", "compound", "amod", "poss", "nmod", "nummod", "flat", "case",
                      "advmod", "quantmod", "npadvmod"):
            lo = min(lo, c.left_edge.i)
        elif _subject_read_on_a_noun(tok, c):
            lo = min(lo, c.left_edge.i)
    hi = tok.i
    for c in tok.rights:
        if c.dep_ in ("flat", "compound"):
            hi = max(hi, c.right_edge.i)
        elif c.dep_ == "prep" and c.lower_ == "of":
            hi = max(hi, c.right_edge.i)
        else:
            break
    return _joined_bounds(tok.doc, _date_start(tok.doc, lo), hi + 1)

