"""Reporting verbs: which token is a cue that reports speech, and how its cue is worded.

    is_speech_cue(tok)   "said", "told", "according (to)", "(in the) words (of)", "made (it) clear"; not "did not say",
                         "called for talks", "will continue to ..."
    is_next_act(tok)     "... and called on ...", "..., but refused to ...": the speaker's next act after what was said
    cue_word(tok)        the `cue` column: "said", "according to", "made clear", "pointed out"

The word forms are data (crosswire/data/cues.toml, read by crosswire.rules.cues); this module
only reads them off the parse.
"""
from __future__ import annotations

from ..rules.cues import all_cue_forms, aspectual_verbs, forms_by_class, make_clear_adjectives, next_act_forms, phrasal, source_phrases


# Cue words by class, from crosswire/data/cues.toml (see crosswire.rules.cues).
_CUE_FORMS = forms_by_class()
# Verbs that report speech: their clausal complement is what was said.
SPEECH_CUES = _CUE_FORMS["speech"]
# ... plus verbs that introduce quoted words but take no reported clause ("called it a hoax").
CUES = SPEECH_CUES | _CUE_FORMS["quote_only"]
# Verbs of the cue classes whose clause reports what someone says, thinks or means to do.
# Stances and topics ("who backs Lee", "who spoke about jobs") are left out: in a relative
# clause they mostly tell which one is meant.
ANY_CUE = frozenset().union(*(forms for name, forms in _CUE_FORMS.items()
                               if name != "stance" and not name.startswith("topic_")))
_MAKE = {"make", "makes", "made", "making"}  # "made it clear that ..."


def source_phrase(tok) -> int | None:
    """Where the phrase starts of which tok is the cue word, when tok is one ("according"
    of "according to X", "words" of "in the words of X", "per" of ", per X"; cues.toml
    [source_phrases]): its source is the object of source_preposition(tok). None otherwise,
    and for a phrase of one word that nothing sets off ("$4 per gallon")."""
    words = source_phrases().get(tok.lower_)
    if words is None:
        return None
    start = tok.i - max(0, len(words) - 2)
    doc = tok.doc
    if start < 0 or start + len(words) > len(doc) or [t.lower_ for t in doc[start:start + len(words)]] != list(words):
        return None
    if len(words) == 1 and not _set_off(tok):
        return None
    return start


def _set_off(tok) -> bool:
    """tok opens its sentence or follows a comma, a dash or a bracket, and has an object
    (not a hyphen joining words: "a 10-hour-per-week job")."""
    prev = tok.doc[tok.i - 1] if tok.i > tok.sent.start else None
    if prev is not None and prev.is_quote and prev.i > 0 and tok.doc[prev.i - 1].text == ",":
        prev = tok.doc[prev.i - 1]  # '"Nothing was agreed," per an official'
    dash = prev is not None and (prev.text in ("—", "–") or prev.text == "-" and bool(prev.whitespace_))
    return (prev is None or prev.text in (",", "(") or dash) and any(c.dep_ == "pobj" for c in tok.children)


def source_preposition(tok):
    """The preposition of a source phrase whose object is the source: "to" of "according
    to", the cue word itself of a phrase of one word ("per")."""
    return tok if len(source_phrases()[tok.lower_]) == 1 else tok.nbor()


def is_source_object(t) -> bool:
    """t is the source of a source phrase: the object of its preposition."""
    h = t.head
    if t.dep_ != "pobj":
        return False
    if source_phrase(h) is not None and source_preposition(h).i == h.i:
        return True
    return h.i > 0 and source_phrase(h.doc[h.i - 1]) is not None


def verb_read_as_noun(tok):
    """The name before tok when tok is the past tense of a cue verb that the tagger read as a
    noun the name modifies ("Mr Trump boasted of his ties ..., blamed ... and vowed to ...",
    parsed as one noun phrase headed by "boasted", the subject of "vowed"): that name is the
    subject; None otherwise."""
    if tok.tag_ not in ("NN", "NNS") or not tok.lower_.endswith("ed") or tok.lower_ not in all_cue_forms() or tok.i == 0:
        return None
    name = tok.doc[tok.i - 1]
    return name if name.pos_ == "PROPN" and name.dep_ == "compound" and name.head.i == tok.i else None


def _after_a_join(tok) -> bool:
    """The word before tok's phrase is a comma, "and" or "but"."""
    return tok.left_edge.i > 0 and tok.doc[tok.left_edge.i - 1].lower_ in (",", "and", "but")


def _own_subject(tok, deps=("nsubj", "nsubjpass")) -> bool:
    return any(c.dep_ in deps for c in tok.children)


def follows_on(tok) -> bool:
    """tok is a verb with no subject of its own, coordinated or subordinated after a comma,
    "and" or "but" ("..., noting that", "and asked whether"): it shares a subject above it."""
    return tok.pos_ == "VERB" and tok.dep_ in ("conj", "advcl") and not _own_subject(tok) and _after_a_join(tok)


def is_next_act(tok) -> bool:
    """tok is a cue verb of cues.toml [next_act] that follows on (follows_on) from a
    reported clause: the speaker's next act ("said the vote was lost and called on the mayor
    to resign"), not part of what was said; not an aspectual verb ("said fees would rise and
    continue to rise": what was said goes on)."""
    return next_act_word(tok) and follows_on(tok)


def next_act_clause(cue, comp) -> bool:
    """comp, a verb the parse made a clause of the cue ("said the toll was unfair and asked
    whether ..."), is the cue's speaker's next act: a cue word (next_act_word) with no
    subject of its own, right after a comma, "and" or "but" that follow the cue."""
    return (comp.i > cue.i and comp.left_edge.i == comp.i and _after_a_join(comp) and next_act_word(comp)
            and not _own_subject(comp, ("nsubj", "nsubjpass", "expl", "csubj")))


def next_act_word(tok) -> bool:
    """tok is a word of a cue verb that can be its speaker's next act (cues.toml [next_act]),
    not an aspectual one."""
    return tok.lower_ in next_act_forms() and tok.lower_ not in aspectual_verbs()


def _not_said(tok) -> bool:
    """ "did not say which": nothing was said. A "not" the parser hung on the verb from
    inside the quotation before it ('"Probably not," Ms. Lee said') negates nothing."""
    doc = tok.doc
    return any(c.dep_ == "neg" and not any(t.is_quote for t in doc[min(c.i, tok.i) + 1:max(c.i, tok.i)])
               for c in tok.children)


def _aspectual(tok) -> bool:
    """ "will continue to be ...": an aspectual verb before its infinitive reports nothing;
    nor does one in what another cue reports ("The ministry said that talks continued 'around
    the clock'": the talks went on, the ministry spoke)."""
    if tok.lower_ not in aspectual_verbs():
        return False
    if tok.dep_ == "ccomp" and tok.head.i != tok.i and tok.head.lower_ in SPEECH_CUES \
            and not any(t.is_quote for t in tok.doc[min(tok.i, tok.head.i) + 1:max(tok.i, tok.head.i)]):
        return True  # (not a tag the parse hung on a verb inside the quotation: '"..., say, ...," she continued')
    return any(
        c.dep_ == "xcomp" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children) for c in tok.children)


def is_speech_cue(tok) -> bool:
    """Does tok report speech: a cue verb not negated, "according (to)", "made (it) clear"?"""
    low = tok.lower_
    if low not in CUES and low not in _MAKE and low not in source_phrases():
        return False  # most words: no cue, decided before the tests below walk the children
    if _not_said(tok) or _aspectual(tok):
        return False
    if tok.lower_ in CUES and tok.pos_ in ("VERB", "AUX"):
        # "called for talks", "called off the meeting": not speech
        return not (tok.lower_.startswith("call") and any(
            c.dep_ in ("prep", "prt") and c.lower_ in ("for", "off", "on", "up") for c in tok.children))
    if tok.lower_ in _MAKE and any(c.lower_ == "clear" for c in tok.children):
        return True
    return source_phrase(tok) is not None


def _made_adjective(tok) -> str | None:
    """The adjective of "made clear" / "made it plain" after a form of "make", or None
    ("made the case", "made a statement": no adjective)."""
    if tok.lower_ not in _MAKE:
        return None
    doc, k = tok.doc, tok.i + 1
    if k < len(doc) and doc[k].lower_ == "it":
        k += 1
    return doc[k].lower_ if k < len(doc) and doc[k].lower_ in make_clear_adjectives() else None


def cue_word(tok) -> str:
    """The cue as worded, for the `cue` column: "said", "according to", "pointed out"."""
    start = source_phrase(tok)
    if start is not None:  # "according to", "in the words of"
        return " ".join(source_phrases()[tok.lower_])
    adjective = _made_adjective(tok)
    if adjective is not None:
        return f"{tok.lower_} {adjective}"  # "made clear", "made it plain"
    prt = phrasal().get(tok.lower_)
    if prt and any(c.dep_ == "prt" and c.lower_ == prt for c in tok.children):
        return f"{tok.lower_} {prt}"  # "pointed out"
    return tok.lower_
