"""Reported speech without quote marks (`indirect`): the content a cue reports, in each
position news English puts it. Each rule reads one sentence of the writer's text (a
Frame); where two rules find overlapping content, the one registered first keeps it.

Content edges: the reported clause with its complementiser ("that the bridge will
reopen"), without the cue, its subject, adverbials of the cue ("on Tuesday", "in a
statement") or the punctuation around it, as PolNeAR annotates contents."""
from __future__ import annotations

from functools import lru_cache

from dataclasses import replace

from ..datafiles import read_toml
from ..attribution.extents import closes_bracket, member_list_end, np_bounds, set_off_end
from ..attribution.field import Found
from ..attribution.verb_speakers import before_its_that
from ..attribution.mentions import Speaker, char_span, name_by_owner
from ..attribution.reporting_verbs import (ANY_CUE, cue_word, is_next_act, is_speech_cue, next_act_clause, source_phrase,
                                          source_preposition)
from . import reported
from .deeds import physical_act, product_recall, questioned_person
from ..speaker_kinds import classify
from .anonymity import about_anonymity
from .cues import (all_cue_forms, document_nouns, failure_verbs, forms_by_class, heard_verbs, light_verbs, permission_verbs,
                   load_cues, loose_source_phrases, make_clear_adjectives, source_phrases,
                   noun_cues, phrasal, possessed_sources, possessed_set_off,
                   setting_prepositions, stance_adjectives, topics_after_on)

_WH = {"what", "which", "if", "whether", "how", "why", "who", "whom", "whose", "when", "where"}
_QUOTE_CHARS = "\"“”«»‘"
_MIN_WORDS = 3


@lru_cache(maxsize=None)
def cue_forms(*classes: str) -> frozenset[str]:
    out = frozenset()
    for c in classes:
        out |= forms_by_class()[c]
    return out


def is_negated(tok) -> bool:
    # "left without announcing a ceasefire": nothing was announced
    if tok.dep_ == "pcomp" and tok.head.lower_ == "without":
        return True
    # "were not authorised to speak publicly about ...": an act someone may not perform
    if tok.dep_ == "xcomp" and tok.head.lower_ in permission_verbs() and any(c.dep_ == "neg" for c in tok.head.children):
        return True
    # "fail to agree a ceasefire": the act did not happen
    if tok.dep_ == "xcomp" and tok.head.lower_ in failure_verbs():
        return True
    return any(c.dep_ == "neg" for c in tok.children)


def _verb_cue(tok, forms) -> bool:
    # not a negated cue: "has not said how long ..." would read as the union's statement
    # (PolNeAR annotates such refusals; the statements table has no negation to carry)
    if tok.pos_ not in ("VERB", "AUX"):
        return False
    # the word lists first: most verbs are no cue, and the negation test walks the children
    if not (tok.lower_ in forms or forms is cue_forms("speech") and _phrasal_cue(tok)):  # "pointed out that ..."
        return False
    return not is_negated(tok)


def _phrasal_cue(tok) -> bool:
    """A phrasal speech verb with its particle: "pointed out", "spelled out"."""
    prt = phrasal().get(tok.lower_)
    return prt is not None and any(c.dep_ == "prt" and c.lower_ == prt for c in tok.children)


def _unclosed_parenthesis(toks):
    """toks up to an opening parenthesis that is not closed within them ("the plan (which
    was inspired by ...": the writer's aside, cut where it opens), and from after a closing
    one that was not opened."""
    depth, cut = 0, None
    for k, t in enumerate(toks):
        if t.text == "(":
            depth, cut = depth + 1, cut if depth else k
        elif t.text == ")":
            depth, cut = max(0, depth - 1), None if depth <= 1 else cut
    if depth and cut is not None:
        toks = toks[:cut]
    close = next((k for k, t in enumerate(toks) if t.text in "()"), None)
    if close is not None and toks[close].text == ")":
        toks = toks[close + 1:]
    return toks


_UNIT_MARKS = frozenset({"%", "‰"})  # part of a figure ("inflation was 4.1%"), which spaCy calls punctuation


def _trim(toks):
    toks = _unclosed_parenthesis(toks)
    while toks and (toks[-1].is_punct and toks[-1].text not in _UNIT_MARKS or toks[-1].is_space or toks[-1].dep_ == "cc"):
        toks = toks[:-1]  # "... were too high and": a conjunction whose second half is not ours
    while toks and (toks[0].is_punct or toks[0].is_space):
        toks = toks[1:]
    return toks


_CONCESSIVE = {"though", "although", "while", "whereas"}  # ", though she did not say ..."
_CUT_BEFORE = {"and", "but", "or", "yet", "while", "although", "though", "whereas"}


def clause(ctx, toks, question: bool | None = False, min_words: int = _MIN_WORDS) -> tuple[int, int] | None:
    """(start, end) of the content made of `toks` (in order, contiguous in the text), or
    None when it is too short, holds quoted words (a quotation's words belong to a quoted
    statement: PolNeAR counts such content as a quotation) or is an indirect question
    (unless `question`; None: whether it opens with a wh-word or not)."""
    # never a dateline ("ANCHORAGE, Alaska (AP) —") or a run-in label the parse put into the clause
    toks = _trim(_before_what_called(_before_semicolon(_within_first_sentence(
        ctx, [t for t in toks if t.i not in ctx.resolver.set_apart]))))
    while toks and toks[0].dep_ == "cc":
        toks = _trim(toks[1:])
    words = len([t for t in toks if t.is_alpha])
    has_clause = any(t.dep_ in ("nsubj", "nsubjpass") for t in toks) and any(t.pos_ in ("VERB", "AUX") for t in toks)
    if words < min_words and not (words == 2 and has_clause):
        return None  # "They said she could." is a claim; "said it" is not
    if _only_when(toks):
        return None  # "argued for months", "spoke on Tuesday": when, not what
    if toks[-1].lower_ == "than":
        return None  # "was more fraught than the images suggested": a comparison, its cue's subject is what "than" takes
    ids = {t.i for t in toks}
    root = next((t for t in toks if t.head.i not in ids or t.head.i == t.i), toks[0])
    prev = toks[0].doc[toks[0].i - 1] if toks[0].i > 0 else None
    # "what he wanted", "whether it would": the clause's own wh-word; not "if elected, he ..."
    wh = (toks[0].lower_ in _WH and toks[0].head.i == root.i) or toks[0].i == root.i and toks[0].lower_ in _WH \
        or (prev is not None and prev.lower_ in _WH - {"who", "which", "when", "where"}) \
        or _wh_phrase_of(toks[0], root)
    if question is not None and (wh != question or (not question and toks[0].lower_ in ("whose", "which", "who", "whom"))):
        return None  # "said what he wanted", "asked if ...": a question, not a claim
    if not question and _asked_of_whom(root.head):
        return None  # "would not say how many had told him they would vote no": who is the question
    s, e = toks[0].idx, toks[-1].idx + len(toks[-1])
    if ctx.text[e - 1] == "." and e in ctx.frame_ends:
        e -= 1  # the sentence's stop in a token of its own word ("£40m.")
    # (a quoted term found to be no statement is the writer's words: ctx.terms, see
    # FieldAttributor._reported_past_terms)
    terms = getattr(ctx, "terms", ())
    live = [sp for sp in ctx.spans if sp.open < e and s <= (sp.close if sp.close is not None else sp.end)]
    if any(sp not in terms for sp in live):
        return None
    marks = {i for sp in live for i in (sp.open, sp.close)}
    if any(ch in _QUOTE_CHARS and s + k not in marks for k, ch in enumerate(ctx.text[s:e])) \
            or any(ctx.in_quote[t.i] and not any(sp.open < t.idx < (sp.close or sp.end) for sp in live) for t in toks):
        return None
    if "\n" in ctx.text[s:e]:
        return None  # never over a paragraph break
    return s, e


def _wh_phrase_of(first, root) -> bool:
    """Whether the content opens with a wh-word inside a phrase that is its verb's subject or
    object ("how many Republicans had told him", "which firms would bid"): an indirect
    question, not a claim (but "how much it cost was unclear" is one)."""
    if first.lower_ not in _WH:
        return False
    t = first
    while t.dep_ in ("advmod", "det", "amod", "npadvmod") and t.head.i != t.i and t.head.i != root.i:
        t = t.head
    return t.i != first.i and t.head.i == root.i and t.dep_ in ("nsubj", "nsubjpass", "dobj")


def _asked_of_whom(cue) -> bool:
    """Whether the cue's subject is a wh-phrase ("how many Republicans had told him ...",
    "which aides said ..."): the words are part of a question about who said them."""
    return any(c.dep_ in ("nsubj", "nsubjpass") and _wh_phrase_of(c.left_edge, cue) for c in cue.children)


def _before_semicolon(toks):
    """toks up to a semicolon between two of their words: what follows it is another
    sentence ("Regulator says bank broke rules; lender to appeal", which the parse makes one
    clause)."""
    k = next((k for k, t in enumerate(toks) if t.text == ";" and 0 < k < len(toks) - 1), None)
    return toks if k is None else toks[:k]


def _before_what_called(toks):
    """toks up to a closing ", in what X called ..." (what X called it is X's statement,
    characterisation's, not part of the content before it)."""
    for k, t in enumerate(toks):
        if k and t.lower_ == "in" and toks[k - 1].text == "," \
                and any(_what_called_aside(c) is not None for c in t.children) and t.right_edge.i >= toks[-1].i:
            return toks[:k]
    return toks


def _within_first_sentence(ctx, toks):
    """The tokens in the writer's sentence (crosswire's frame) of the first one: the parse
    can run one sentence into the next ("had cut revenue by about £40m. Chief executive Ann
    Lee told ...", where spaCy sees no sentence end)."""
    if not toks or ctx.sent_of[toks[-1].i] == ctx.sent_of[toks[0].i]:
        return toks
    return [t for t in toks if ctx.sent_of[t.i] == ctx.sent_of[toks[0].i]]


def unnamed_asker(cue) -> bool:
    """A passive cue with no agent, finite ("was asked whether ...") or a participle
    ("Asked about the claim, Lee declined ..."): its subject heard the words; who said them
    the article does not say."""
    if any(c.dep_ == "agent" for c in cue.children):
        return False
    # spaCy tags a sentence-opening "Asked" VBD before what/how ("Asked what he expected,
    # Lee said ..."); with no subject it is still the participle
    participle = cue.tag_ == "VBN" or cue.dep_ == "advcl" and cue.is_sent_start
    return any(c.dep_ == "auxpass" for c in cue.children) or (
        participle and cue.dep_ in ("advcl", "acl")
        and not any(c.dep_ in ("nsubj", "nsubjpass", "aux") for c in cue.children))


def _only_when(toks) -> bool:
    """Whether the words are a time and nothing else (every word in a DATE or TIME entity)."""
    words = [t for t in toks if t.is_alpha or t.like_num]
    return bool(words) and all(t.ent_type_ in ("DATE", "TIME") for t in words)


def speaker_words(ctx, cue, tok) -> Speaker | None:
    """A speaker given by its words as written (no resolved person): an organisation, a
    document, a group ("the agency", "the report", "62 percent of voters")."""
    if ctx.in_quote[tok.i] or tok.lower_ in _WH or tok.lower_ in ("it", "there", "that", "this"):
        return None
    lo, hi = np_bounds(tok)
    for c in tok.rights:  # "a spokesman for the agency", "officials at the ministry"
        if c.dep_ == "prep" and c.lower_ in ("for", "at", "from", "with", "in") and c.i >= hi - 1:
            hi = max(hi, c.right_edge.i + 1)
            break
    # "critics, like Ann Lee, an economist, say", "praised by critics, including Ann Lee": who they are
    hi = member_list_end(tok, hi) or set_off_end(tok, hi)
    hi = ctx.resolver.with_named_appositive(tok, hi)  # "Two objectors, Ann Lee and Tom Baker, ... contending"
    while hi > lo + 1 and (ctx.doc[hi - 1].is_punct and not closes_bracket(ctx.doc, lo, hi - 1) or ctx.in_quote[hi - 1]):
        hi -= 1
    kind = ctx.resolver.kind_of(tok, lo, hi)
    named = name_by_owner(tok, ctx.doc[lo:tok.i + 1], kind)  # "Ann Lee's advisers": the words up to the head
    return Speaker(named, ctx.doc[lo:hi].text, "name" if named else "none", cue=ctx._speaker(None, cue).cue,
                   kind=kind, at=char_span(ctx.doc[lo:hi]))


def _names_nobody(ctx, tok) -> bool:
    """A subject that is no speaker of any kind ("the obvious response", "the incident"):
    when a cue hangs from its verb ("He says the response was ... and says ...", "Lee warned
    that the incident could ..., remarking ..."), the parse put the cue under a reported
    clause and the speaker is the subject further up."""
    m = ctx.resolver.by_tok.get(tok.i)
    if m is not None:
        return m.kind is None
    return tok.pos_ != "PRON" and ctx.resolver.kind_of(tok, *np_bounds(tok)) is None


def _thing(ctx, noun) -> bool:
    """A singular noun that names no speaker and no set of them ("no trouble", "the
    conversation"): a plural the word lists do not know is mostly people ("pastors backing
    Cruz"), as is a set of them ("a constellation of super PACs")."""
    return noun.tag_ == "NN" and not any(c.dep_ == "prep" and c.lower_ == "of" for c in noun.children) \
        and _names_nobody(ctx, noun)


def _speaking_word(ctx, cue):
    """The word that names who speaks for `cue`: its subject, or climbing from a participle
    or a coordinated verb to the verb it hangs on ("praised Putin, saying ..."); for a
    participle on a noun, the noun itself ("62 percent of voters saying ..."), unless the
    noun is a document someone issued ("released a statement saying ...") or names no
    speaker ("had no trouble ... endorsing Ryan")."""
    v, muted = cue, None
    for _ in range(6):
        mute = False
        for c in v.children:
            if c.dep_ == "nsubj" and c.lower_ in ("who", "that") and v.dep_ == "relcl":
                return v.head  # "business leaders who say ...": the leaders
            if c.dep_ == "nsubj" and v is not cue and _names_nobody(ctx, c):
                # a reported clause the cue was misparsed under: look above it first
                mute, muted = True, muted or c
                break
            if c.dep_ == "nsubj":
                return c
        if v.dep_ == "acl" and v.head.pos_ in ("NOUN", "PROPN") and v.head.lower_ not in document_nouns() \
                and not _thing(ctx, v.head) and v.tag_ != "VB":
            # not "had no trouble ... endorsing Ryan", "have no plans to endorse": the one who had it
            return v.head
        up = ("advcl", "conj", "xcomp", "pcomp", "acl", "prep", "pobj", "dobj") + (("ccomp",) if mute else ())
        if v.dep_ in up and v.head.i != v.i:
            v = v.head
            continue
        return muted
    return muted


def speaker_of(ctx, cue) -> Speaker | None:
    """The cue's speaker: its subject as the resolver sees it, else the words that name it
    as written (see _speaking_word); None when there are none, or when the cue is passive
    ("she was told that ...": the subject heard it)."""
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in cue.children):
        return None
    m = ctx.resolver.subject_of(cue)
    word = None
    if m is None:
        word = _speaking_word(ctx, cue)
        if word is not None and word.i in ctx.resolver.by_tok:
            m = ctx.resolver.by_tok[word.i]
    if m is not None:
        if not m.can_speak or m.text.lower() in ("what", "which", "that", "this", "there"):
            return None
        return ctx._speaker(m, cue)
    return speaker_words(ctx, cue, word) if word is not None else None


def attributed(ctx, cue, span) -> list[Found]:
    """The statement `span` reports when the cue has a speaker; none otherwise (a rule's
    last step: no content, or no one said it)."""
    sp = speaker_of(ctx, cue) if span else None
    return [found_statement(ctx, cue, span, sp)] if sp is not None else []


def found_statement(ctx, cue, span, speaker) -> Found:
    s, e = span
    return Found(ctx.section, "indirect", s, e, speaker, None, ctx.para_of[cue.i], True, cue_at=cue.i)


def _subtree(ctx, tok):
    """The clause headed by tok, less what follows it that the writer adds: a coordinated
    clause after a comma or a contrast ("..., but for critics it is proof"), or a clause
    after a comma that carries a quotation of its own ("..., calling them "boring"").
    Content before its cue ("X, but Y, she said.") is kept whole: the cue closes it."""
    drop = set()
    if tok.head.i > tok.i:
        return list(tok.subtree)
    mark = next((g for g in tok.children if g.dep_ == "mark" and g.lower_ == "that"), None)
    if mark is not None:  # "reported, citing two sources, that ...": what stands before
        drop.update(t.i for t in tok.subtree if t.i < mark.i)  # "that" is the cue's setting
    for c in tok.children:
        if c.i > tok.i and c.dep_ == "prep" and c.lower_ in _WRITERS_TAILS and c.left_edge.i > 0 \
                and c.doc[c.left_edge.i - 1].text == ",":
            # "..., without elaborating", "..., according to the Times": the writer's, after the words
            drop.update(range(c.left_edge.i - 1, c.right_edge.i + 1))
            continue
        if c.i < tok.i or c.dep_ not in ("conj", "advcl"):
            continue
        comma_before = c.left_edge.i > 0 and c.doc[c.left_edge.i - 1].text == ","
        concessive = c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in _CONCESSIVE for g in c.children)
        if comma_before and (concessive or any(ctx.in_quote[t.i] for t in c.subtree)):
            drop.update(range(c.left_edge.i - 1, c.right_edge.i + 1))
            continue
        if c.dep_ != "conj" or not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children):
            continue
        if any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children):
            continue  # "said X and that Y": both reported
        cc = [g for g in tok.children if g.dep_ == "cc" and g.i < c.i]
        comma = bool(cc) and cc[-1].i > 0 and c.doc[cc[-1].i - 1].text == ","
        if cc and (cc[-1].lower_ in _CUT_BEFORE - {"and", "or"} or comma or _speaks_of_own(ctx, c)):
            drop.update(range(cc[-1].i - (1 if comma else 0), c.right_edge.i + 1))
    drop.update(_trailing_aside(ctx, tok))
    return [t for t in tok.subtree if t.i not in drop]


_ASIDE_WORDS = {"who", "whom", "whose", "which", "when", "where"}
_WRITERS_TAILS = {"without", "according"}


def _speaks_of_own(ctx, verb) -> bool:
    """A coordinated clause that is its subject's own act of speaking ("X will lose, and
    Lee says the party knows it"): a speech verb with a clause of its own, which its own
    cue reports; not part of the content before it."""
    return _verb_cue(verb, cue_forms("speech")) and any(c.dep_ == "ccomp" for c in verb.children)


_DASHES = {"—", "–", "--"}
_ASIDE_OPENERS = {"even", "compared", "including", "especially", "particularly"}


def _is_dash(tok) -> bool:
    """A dash, or a spaced hyphen typed for one."""
    return tok.text in _DASHES or _spaced_hyphen(tok)


def _spaced_hyphen(tok) -> bool:
    """A hyphen with a space on each side, typed for a dash ("were sent - a point that ..."),
    not one inside a word ("well-known")."""
    return tok.text == "-" and bool(tok.whitespace_) and tok.i > 0 and bool(tok.doc[tok.i - 1].whitespace_)


def _writers_addition(ctx, t, first, prev) -> bool:
    """t, set off by a comma or a dash, is the writer's addition to what was said: an
    appositive (", a law that bans ...", ", a move that ..." however the parse hangs it), a
    participle clause without a subject of its own (", reversing years of policy"), a phrase
    that compares or adds an example (", compared with 41 percent", ", even as he ..."), or
    anything after a dash."""
    if _is_dash(prev):
        return True
    if prev.text != ",":
        return False
    if t.dep_ == "appos" and not _list_item(t) or first.lower_ in _ASIDE_OPENERS and t.head.i < first.i:
        return True
    if t.dep_ == "npadvmod" and t.pos_ == "NOUN" and first.lower_ in ("a", "an"):
        return True  # ", a concession he called ...": an appositive the parse hung on the verb
    return (t.dep_ in ("advcl", "acl") and t.tag_ == "VBG" and first.i == t.i
            and not any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children))


def _between_dashes(ctx, clause_head, t, prev) -> bool:
    """t is set off by a pair of dashes inside the clause headed by clause_head, whose words
    go on after the second dash ("makes workers healthier and — crucially — more productive"):
    an interruption, not the writer's closing addition."""
    if not _is_dash(prev):
        return False
    if sum(_is_dash(w) for w in ctx.doc[clause_head.left_edge.i:prev.i]) % 2:
        return True  # the pair's second dash: what follows it is the clause going on
    after = t.right_edge.i + 1
    if after + 1 >= len(ctx.doc):
        return False
    if not _is_dash(ctx.doc[after]):
        return False
    nxt = ctx.doc[after + 1]
    return not nxt.is_punct and clause_head.left_edge.i <= nxt.i <= clause_head.right_edge.i \
        and ctx.sent_of[nxt.i] == ctx.sent_of[t.i]


def _list_item(t) -> bool:
    """An "appositive" that is the parse's reading of a list's middle item ("differ on
    Israel, the nuclear deal and the sanctions"): it has a coordinated item of its own after
    "and"/"or", and what it follows is not a person (", a lawyer and former judge")."""
    return (t.head.ent_type_ != "PERSON" and any(c.dep_ == "cc" and c.lower_ in ("and", "or") for c in t.children)
            and any(c.dep_ == "conj" for c in t.children))


def _trailing_aside(ctx, tok, keep_appos: bool = False) -> set[int]:
    """What closes the reported clause but is the writer's: a non-restrictive relative
    clause or a "when" clause after a comma ("... the help of Ana Ruiz, who ran the port",
    "... since January, when the fund opened"), or the speaker's next act of speaking
    (", noting that ...", "and asked whether ..."); PolNeAR leaves both out of the
    content. Everything from it to the end of the clause is dropped."""
    for t in tok.subtree:
        if t.i <= tok.i:
            continue
        first = t.left_edge
        if first.i < 1 or first.i <= tok.i:
            continue
        prev = ctx.doc[first.i - 1]
        if keep_appos and t.dep_ == "appos" and t.head.i == tok.i and prev.text == ",":
            continue  # the head's own appositive: part of a noun-phrase content
        # (an aside follows what it is about: "that, when she travels, people ask ..." opens
        # the clause it sets the time of, which goes on after it)
        aside = t.dep_ in ("relcl", "advcl") and first.lower_ in _ASIDE_WORDS and prev.text == "," \
            and t.head.i < first.i
        if _between_dashes(ctx, tok, t, prev):
            continue  # "healthier and — crucially — more productive": the clause goes on
        # the speaker's next act (", noting that ...", "and asked whether ...", "and called
        # on ...", "but refused to ...": reporting_verbs.is_next_act)
        if aside or is_next_act(t) or _writers_addition(ctx, t, first, prev):
            cut = first.i - 1
            if prev.lower_ == "and" and cut > 0 and ctx.doc[cut - 1].text == ",":
                cut -= 1
            return set(range(cut, tok.right_edge.i + 1))
    return set()


def _setting_clause(ctx, cue):
    """[the that-clause] of "X said in a statement that ...", "wrote on Twitter on Monday
    that ...", which the parser hangs on the noun of the cue's setting ("statement",
    "Monday") instead of the cue; [] when there is none. Only a clause opened by "that"
    with a subject of its own (not a relative clause: "in a case that drew ...")."""
    nouns = []
    # each setting after the cue ("said earlier on Friday during a news conference that ...")
    for prep in (c for c in cue.children if c.dep_ == "prep" and c.i > cue.i):
        while prep is not None:
            pobj = next((g for g in prep.children if g.dep_ == "pobj"), None)
            if pobj is None:
                break
            if prep.lower_ not in setting_prepositions() and (pobj.lower_ in noun_cues()
                                                               or pobj.lower_ in document_nouns()) \
                    or prep.lower_ == "on" and pobj.lower_ in topics_after_on():
                break  # "responding to reports that ...": the reports' content ("said to reporters that" is the cue's)
            nouns.append(pobj)
            prep = next((g for g in pobj.children if g.dep_ == "prep" and g.i > pobj.i), None)
    for noun in nouns:
        for c in noun.children:
            if c.dep_ not in ("acl", "relcl", "ccomp") or c.i < noun.i or ctx.in_quote[c.i]:
                continue
            if c.left_edge.lower_ == "that" and any(g.dep_ in ("nsubj", "nsubjpass") and g.lower_ != "that"
                                                   for g in c.children):
                return [c]
    return []


_RELATIVE_WORDS = frozenset({"who", "whom", "whose", "which", "that", "where", "when", "why"})


def _clause_after_hearer(ctx, cue):
    """[the clause] of "X told the Insiders program the states needed to ...", which the
    parser hangs on the hearer as a relative clause with no relative word; [] when there is
    none. Only for verbs that take the hearer first (cues.toml [heard_passive]), and only a
    clause that opens with a subject of its own and has a finite verb."""
    if cue.lower_ not in heard_verbs():
        return []
    hearer = next((c for c in cue.children if c.dep_ in ("dobj", "dative") and c.i > cue.i), None)
    if hearer is None:
        return []
    for c in hearer.children:
        # (a "that" the parse made the clause's marker, not its subject or object, opens a
        # content clause: "informed the exchanges that it had sold the unit")
        opener = c.left_edge
        # ("that" as the object of a verb that has an object of its own is no relative
        # pronoun: "told a news conference that the army had been shelling the suburbs")
        marker = opener.lower_ == "that" and (opener.dep_ == "mark" or opener.dep_ == "dobj" and any(
            g.dep_ == "dobj" and g.i != opener.i for g in c.children))
        if c.dep_ != "relcl" or c.i < hearer.i or ctx.in_quote[c.i] \
                or opener.lower_ in _RELATIVE_WORDS and not marker:
            continue
        subj = next((g for g in c.children if g.dep_ in ("nsubj", "nsubjpass")), None)
        # (spaCy tags the verb of such a clause VBN as often as VBD: "the states needed")
        finite = c.tag_ in ("VBD", "VBZ", "VBP", "VBN") or any(
            g.dep_ == "aux" and g.tag_ in ("MD", "VBD", "VBZ", "VBP") for g in c.children)  # "had been shelling"
        starts = subj is not None and (subj.left_edge.i == opener.i or marker and subj.left_edge.i == opener.i + 1)
        if starts and subj.lower_ not in _RELATIVE_WORDS and finite:
            return [c]
    return []


def heard_participle(cue) -> bool:
    """A participle of a verb whose object is the hearer, opening its sentence with no
    subject or agent of its own ("Warned that the dam could fail, residents left"): the
    sentence's subject heard it, from someone the article does not name."""
    # (the tagger reads the participle opening a sentence as a past tense as often: VBD)
    return cue.lower_ in heard_verbs() and cue.tag_ in ("VBN", "VBD") and cue.dep_ == "advcl" and cue.i < cue.head.i \
        and not any(c.dep_ in ("nsubj", "nsubjpass", "agent", "auxpass", "aux") for c in cue.children)


def _own_report_before(cue, c) -> bool:
    """c, before the cue, is a verb of speech or thought with a subject of its own."""
    return c.i < cue.i and c.lower_ in ANY_CUE and any(g.dep_ == "nsubj" for g in c.children)


def _own_clause(tok) -> bool:
    """A verb with a subject of its own that the parse hung on a dateline as its relative
    clause ("KOLKATA: The ferry service will resume next week, a port official said")."""
    return tok.dep_ in ("relcl", "acl") and tok.pos_ in ("VERB", "AUX") \
        and any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)


def _clause_past_participle(cue) -> list:
    """The that-clause the parse hung on a participle set between the cue and its "that"
    ("Meduza reported, citing two sources, that Kremlin officials ...": the clause is what
    was reported, not what was cited)."""
    return [g for c in cue.children if c.dep_ == "advcl" and c.tag_ == "VBG" and c.i > cue.i
            for g in c.children if before_its_that(c, g)]


def _complement(ctx, frame, classes, deps=("ccomp",), allow=("ROOT", "conj", "ccomp", "advcl",
                                                                  "parataxis", "xcomp", "relcl", "acl", "pcomp")):
    forms = cue_forms(*classes)
    out = []
    for cue in frame.verbs:
        if not _verb_cue(cue, forms) or cue.dep_ not in allow or _noun_read_as_verb(cue) or heard_participle(cue):
            continue
        # not a clause of the next sentence the parse ran into; through a dateline the parse
        # made a clause of its own ("KYIV — Lee will travel on Monday, her office said")
        # (or, on the dateline, a relative clause: "KOLKATA: The ferry service will resume, ... said")
        heads = [cue] + [c for c in cue.children if c.i in ctx.resolver.set_apart]
        comps = [c for h in heads for c in h.children if (c.dep_ in deps or h is not cue and _own_clause(c))
                 and not ctx.in_quote[c.i] and c.i not in ctx.resolver.set_apart
                 and ctx.sent_of[c.left_edge.i] == ctx.sent_of[cue.i] and not _semicolon_between(c, cue)]
        if not comps and "ccomp" in deps:
            comps = _setting_clause(ctx, cue) or _clause_after_hearer(ctx, cue) or _clause_past_participle(cue)
        if any(c.i > cue.i for c in comps):
            # "Jane Doe thinks the sell-off is overdone — she says buyers will emerge": a clause
            # before the cue that reports its own subject's words or thoughts is that report
            comps = [c for c in comps if not _own_report_before(cue, c)]
        sp = None
        if "ccomp" in deps and comps and all(c.i < cue.i for c in comps) \
                and not any(c.dep_ in ("nsubj", "nsubjpass") for c in cue.children):
            after = _setting_clause(ctx, cue)
            if after:
                # "Ann Lee and Tom Bell, who co-authored the bill, said in a statement that
                # ...": the parse made the subject's relative clause the cue's clause; the
                # words are the clause after the cue, that clause's subject speaks
                sp = speaker_of(ctx, comps[0])
                sp = replace(sp, cue=ctx._speaker(None, cue).cue) if sp is not None else None
                comps = after
        if _headline_heard(ctx, cue, comps):
            sp = ctx._speaker(None, cue)  # "..., court told": the court heard it, from no one named
        sp = sp or speaker_of(ctx, cue)
        if sp is None and len(comps) > 1 and comps[0].i < cue.i:
            # "Baker offered her a job, then says he ...": the parse made the first clause a
            # complement and left the cue without a subject; that clause's subject speaks
            sp = speaker_of(ctx, comps[0])
            if sp is not None:
                sp = replace(sp, cue=ctx._speaker(None, cue).cue)
            comps = comps[1:]
        groups = _continued(comps)
        more = _and_that_clause(ctx, cue, groups[-1][-1]) if groups else None
        if more is not None:  # "said that A, and that B", the parse making B a clause of "said"
            groups[-1].append(more)
        for group in groups:
            if _next_act(cue, group[0]):
                continue
            toks = []
            for c in group:
                c = _past_setting_participle(_past_closing_report(c, forms))
                drop = _cue_coordinate(cue, c)
                toks += [t for t in _subtree(ctx, c) if t.i not in drop]
            if len(group) > 1:  # the punctuation between the parts, that _subtree leaves out
                toks = list(ctx.doc[toks[0].i:toks[-1].i + 1])
            span = clause(ctx, _past_time_of_saying(cue, toks))
            spans = [span] if span is not None else _that_clauses_apart(ctx, group[-1])
            if sp is not None:
                out += [found_statement(ctx, cue, sp_, sp) for sp_ in spans]
    return out


def _noun_read_as_verb(cue) -> bool:
    """A cue word in a bare form hung on a finite verb with no "to" and no subject of its
    own: a noun the tagger read as a verb ("Apple denies report it will delay new iPhone":
    the clause is the report's, which Apple denies, not Apple's)."""
    if cue.tag_ != "VB":
        return False
    if any(c.dep_ == "aux" and c.tag_ in ("VBZ", "VBD", "VBP") and c.lower_ not in _AUXILIARIES
           for c in cue.children):
        return True  # "Ferrari denies report it will quit", the parse making "denies" an auxiliary
    return cue.dep_ == "xcomp" and cue.head.tag_ in ("VBZ", "VBD", "VBP") \
        and not any(c.dep_ in ("aux", "nsubj", "nsubjpass") for c in cue.children) \
        and not any(c.dep_ == "dobj" and c.i < cue.i for c in cue.head.children)  # "made him say"


# the forms of "have" and "be" (the lemmatizer is off), and with "do" every auxiliary verb
_HAVE_BE = frozenset({"have", "has", "had", "having", "'ve", "’ve", "'d", "’d", "be", "is", "are", "was", "were",
                      "been", "being", "'s", "’s", "'re", "’re", "am", "'m", "’m"})
_AUXILIARIES = _HAVE_BE | frozenset({"do", "does", "did"})


def _headline_heard(ctx, cue, comps) -> bool:
    """A headline's closing "told" with no one told after it ("Manager stole £90,000, court
    told", "..., MPs told"): headline English for "was told"; its subject heard the words
    (cues.toml [heard_passive], as rules.speech_objects.told_unnamed reads "was told that")."""
    if ctx.section != "title" or cue.lower_ not in heard_verbs() or cue.tag_ not in ("VBD", "VBN") \
            or not comps or any(c.i > cue.i for c in comps):
        return False
    after = [t for t in cue.doc[cue.i + 1:cue.sent.end] if not t.is_punct and not t.is_space]
    return not after and not any(c.dep_ in ("dobj", "dative") for c in cue.children)


def _next_act(cue, comp) -> bool:
    """A verb without a subject after the cue that the parse hung on the cue as its clause:
    the speaker's next act, not what was said. A finite verb after a comma ("Trump says talks
    went well, leaves it to Zelensky", a headline's two verbs), or a cue verb after a comma,
    "and" or "but" ("said the toll was unfair and asked whether lorries would pay more")."""
    if next_act_clause(cue, comp):
        return True
    prev = comp.doc[comp.left_edge.i - 1] if comp.left_edge.i > 0 else None
    return (comp.i > cue.i and comp.tag_ in ("VBZ", "VBD") and comp.left_edge.i == comp.i
            and prev is not None and prev.text == ","
            and not any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in comp.children))


def _semicolon_between(comp, cue) -> bool:
    """A clause before the cue that a semicolon sets apart ("Prices rose in July; analysts
    said ..."): the writer's own sentence, which the parse hung on the next clause's cue;
    or a clause after the cue's own clause and a semicolon ("CCI alleges Vantix abused
    dominance; company to contest findings", a headline's second statement)."""
    if comp.i < cue.i:
        return any(t.text == ";" for t in comp.doc[comp.right_edge.i + 1:cue.i])
    semis = [t.i for t in comp.doc[cue.i + 1:comp.i] if t.text == ";"]
    return bool(semis) and comp.left_edge.i >= semis[-1]  # (the parse may give the clause its ";")


def _that_clauses_apart(ctx, comp) -> list[tuple[int, int]]:
    """The spans of the clauses coordinated with `comp` under their own "that" ("said that
    he and Putin had a "great relationship" but that he would consider sanctions"), when the
    whole content cannot stand because it holds quoted words (a quotation's own statement
    has them): each such clause without quoted words is what was said, and so is a second
    claim of its own after a first one that holds quoted words."""
    out = []
    claims = [v for v in comp.children if v.dep_ == "conj" and v.i > comp.i and _own_claim(v)]
    if claims:  # the first clause alone ("said Beijing backed access but that threats "only complicate" it")
        rest = {t.i for v in claims for t in v.subtree} | {t.i for t in comp.children
                                                            if t.dep_ in ("cc", "punct") and t.i > comp.i}
        span = clause(ctx, [t for t in _subtree(ctx, comp) if t.i not in rest and t.i < claims[0].left_edge.i])
        if span is not None:
            out.append(span)
    # "said it amounted to "a gift to funds" and would raise rents": the second claim, when it
    # has a subject or a modal of its own ("said A "..." but downplayed it" goes on the cue)
    quoted_first = claims and not out and not any(g.dep_ == "mark" and g.lower_ in _WH for g in comp.children)
    for v in comp.children:
        if v.dep_ != "conj" or v.i < comp.i or not (
                any(g.dep_ == "mark" and g.lower_ == "that" for g in v.children)
                or quoted_first and v in claims and not is_speech_cue(v) and any(
                    g.dep_ in ("nsubj", "nsubjpass", "expl") or g.tag_ == "MD" for g in v.children)):
            continue
        span = clause(ctx, _subtree(ctx, v))
        if span is not None:
            out.append(span)
    return out


def _own_claim(verb) -> bool:
    """A coordinated clause with a subject of its own, or a second predicate of the first
    one's subject ("said she had not seen the papers and would "let the port speak""): a
    second claim, not the first one's words going on ("said the toll was unfair and "a tax
    on work"")."""
    if verb.pos_ not in ("VERB", "AUX"):
        return False
    return any(g.dep_ in ("nsubj", "nsubjpass", "expl") for g in verb.children) or verb.head.pos_ in ("VERB", "AUX")


def _goes_on(prev, c) -> bool:
    """Whether clause c continues clause prev: no subject of its own, not an act of speaking
    of its own ("One in three said A and one in four said B"), right after prev's words (only
    punctuation between) and after a noun that can be its subject."""
    if c.pos_ not in ("VERB", "AUX") or prev.i < prev.head.i or is_speech_cue(c) \
            or any(g.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for g in c.children):
        return False
    doc = c.doc
    if not all(t.is_punct for t in doc[prev.right_edge.i + 1:c.left_edge.i]):
        return False
    words = [t for t in doc[prev.left_edge.i:c.left_edge.i] if not t.is_punct]
    return bool(words) and words[-1].pos_ in ("NOUN", "PROPN", "PRON", "NUM")


def _contact_relative(prev, c) -> bool:
    """Whether clause c is a relative clause without "that" on the last noun of clause prev,
    which the parse made a clause of the cue of its own ("said capitals feared Trump would
    press Kyiv to give up the parts of Donetsk [it still holds]"): right after prev's words
    with nothing between, after a noun, with a subject of its own and no object (the noun
    is its object)."""
    if c.pos_ != "VERB" or c.i < prev.i or c.left_edge.i != prev.right_edge.i + 1 or c.left_edge.is_punct:
        return False
    if c.doc[c.left_edge.i - 1].pos_ not in ("NOUN", "PROPN"):
        return False
    return any(g.dep_ == "nsubj" for g in c.children) and _lacks_object(c)


def _lacks_object(verb) -> bool:
    """No object or complement of its own, nor in the infinitive it governs ("territory
    Russia has failed to capture")."""
    return not any(g.dep_ in ("dobj", "ccomp", "attr", "acomp", "mark", "cc") for g in verb.children) \
        and all(_lacks_object(x) for x in verb.children if x.dep_ == "xcomp")


def _and_that_clause(ctx, cue, last):
    """A second that-clause of the cue after its reported clause `last`, which the parse
    coordinates with the cue instead ("said in a statement that A, and that B"): the verb of
    B, or None. Only "that" with a subject of its own, in the sentence, outside quotation."""
    for c in cue.children:
        if c.dep_ != "conj" or c.i <= last.right_edge.i or ctx.in_quote[c.i] \
                or ctx.sent_of[c.i] != ctx.sent_of[cue.i] or c.left_edge.lower_ != "that":
            continue
        if any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children) \
                and all(t.is_punct or t.dep_ == "cc" for t in ctx.doc[last.right_edge.i + 1:c.left_edge.i]):
            return c
    return None


def _continued(comps):
    """The cue's clauses in groups that make one content: a clause with no subject of its
    own right after another (only punctuation between) goes on with it ("said he believed a
    deal, rather than a truce, was the way", parsed as two clauses of "said", the second
    "was the way")."""
    groups = []
    for c in sorted(comps, key=lambda t: t.i):
        prev = groups[-1][-1] if groups else None
        if prev is not None and (_goes_on(prev, c) or _contact_relative(prev, c)):
            groups[-1].append(c)
        else:
            groups.append([c])
    return groups


def _past_closing_report(comp, forms):
    """The content under a report that closes it: in "X said [A, Y said]" (the parse of
    "X said A, Y said.") the words are A; ", Y said" is who passed them on."""
    subj = next((c for c in comp.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if comp.lower_ not in forms or subj is None or subj.left_edge.i == 0 \
            or comp.doc[subj.left_edge.i - 1].text != ",":
        return comp
    clauses = [c for c in comp.children if c.dep_ == "ccomp"]
    return clauses[0] if len(clauses) == 1 and clauses[0].i < subj.i else comp


def _past_setting_participle(comp):
    """The "that" clause under a participle the parse made the content ("said in a statement
    read outside court by an officer that they were grateful": "read" has no subject of
    its own; the words are the "that" clause)."""
    if comp.tag_ != "VBN" and not (comp.tag_ == "VBD" and comp.lower_ == "read") \
            or any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in comp.children):
        return comp
    inner = [c for c in comp.children if c.dep_ == "ccomp" and c.i > comp.i
             and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)]
    return inner[0] if len(inner) == 1 else comp


def _past_time_of_saying(cue, toks):
    """The content without a time phrase it opens with right after the cue ("said on
    Saturday they welcomed ...", parsed into the clause): when the words were said."""
    if not toks or toks[0].i != cue.i + 1:
        return toks
    head = toks[0]
    while head.dep_ in ("amod", "det", "nummod", "compound", "quantmod") and head.head.i > head.i:
        head = head.head  # "said last week it would ...": the phrase's noun
    if head.dep_ not in ("prep", "npadvmod") or head.left_edge.i != toks[0].i:
        return toks
    phrase = {t.i for t in head.subtree}
    words = [t for t in toks if t.i in phrase and (t.is_alpha or t.like_num)]
    rest = [t for t in toks if t.i not in phrase]
    if words and rest and all(t.ent_type_ in ("DATE", "TIME") for t in words if t.dep_ != "prep"):
        return rest
    return toks


_FINITE = {"VBD", "VBZ", "VBP", "MD"}



def _finite_tag(verb) -> str | None:
    """The tense of a verb group as a tag: the verb's own when finite, else its first
    auxiliary's ("has championed" -> VBZ, "would cut" -> MD); None for one with neither."""
    if verb.tag_ in _FINITE:
        return verb.tag_
    return next((c.tag_ for c in verb.children if c.dep_ in ("aux", "auxpass") and c.tag_ in _FINITE), None)


def _cue_coordinate(cue, comp) -> set[int]:
    """The words of a predicate coordinated after the reported clause that the parse hung
    on it but that is the cue's own ("The union denies that the talks failed and wants a
    new vote", "She insists the plan must change, and has backed a rival one"): a verb
    after "and"/"but" with no subject of its own, in the cue's tense and not the clause's.
    Such a predicate is the speaker's next act; PolNeAR's content ends before it. A verb in
    the clause's own tense ("said the mayor lied and cheated") stays in the content."""
    own, cues = _finite_tag(comp), _finite_tag(cue)
    if cues is None or cues == "MD" or comp.i < cue.i:
        return set()
    for v in comp.children:
        if v.dep_ != "conj" or v.i < comp.i or v.pos_ not in ("VERB", "AUX") \
                or any(g.dep_ in ("nsubj", "nsubjpass", "expl") for g in v.children):
            continue
        tag = _finite_tag(v)
        if tag is None and v.tag_ == "VBN" and cues == "VBD" and not any(
                g.dep_ in ("aux", "auxpass") and g.lower_ in _HAVE_BE for g in comp.children):
            # a past tense the tagger read as a participle ("... and directed officials to"), where
            # the clause has no "has" or "be" that the participle could share ("has not held ... and
            # never called", "shouldn't be cut but propped up")
            tag = "VBD"
        cc = [g for g in comp.children if g.dep_ == "cc" and g.i < v.i and g.lower_ in ("and", "but")]
        if not cc and v.i > 0 and cue.doc[v.i - 1].lower_ in ("and", "but"):
            cc = [cue.doc[v.i - 1]]  # the parse hung the "and" on a noun before it
        if tag == cues and tag != own and cc:
            first = cc[-1].i - (1 if cc[-1].i > 0 and cue.doc[cc[-1].i - 1].text == "," else 0)
            return set(range(first, v.right_edge.i + 1))
    return set()


@reported
def reported_clause(ctx, frame):
    """The clause a speech verb reports, before or after it: "X said (that) ...",
    "X told reporters that ...", "..., X said.", "..., said X.", "In a statement, X said ...",
    "X warned / denied / announced / insisted / acknowledged ..."."""
    return _complement(ctx, frame, ("speech",))


@reported
def finding_clause(ctx, frame):
    """What a poll, a report or a study shows or found: "The poll shows Clinton leads ...",
    "Researchers found that ...". Not a person's (who "found" or "showed" something mostly
    came upon it or displayed it: 9 of 16 not annotated on PolNeAR train) nor a subject
    that names no speaker ("His popularity shows how ...")."""
    return [f for f in _complement(ctx, frame, ("evidence",))
            if f.speaker.kind in _FINDERS]


_FINDERS = {"document", "organisation", "group"}


@reported
def parenthetical_cue(ctx, frame):
    """A cue set inside the clause it reports: "The bill, the senator said, would cut taxes"
    and "In the long run, many economists say, costs could fall": the clause around the
    cue, the larger side of it."""
    forms = cue_forms("speech", "evidence")
    out = []
    for cue in frame.verbs:
        if not _verb_cue(cue, forms) or cue.dep_ != "parataxis" or any(
                c.dep_ == "ccomp" for c in cue.children):
            continue
        if ctx.in_quote[_clause_of(cue.head).i]:
            continue  # '"...," the official said, repeating a phrase ...': the quotation's cue
        toks = list(_clause_of(cue.head).subtree)
        for span in _both_sides(ctx, cue, toks) or [_around_cue(ctx, cue, toks)]:
            out += attributed(ctx, cue, span)
    return out


def _both_sides(ctx, cue, toks) -> list | None:
    """The two clauses of "A, he said, and B" (B a clause of its own joined to A's verb after
    the cue): both are what he said. None for any other shape, or when either side is too
    short to be a claim."""
    inside = {t.i for t in cue.subtree}
    lo, hi = min(inside), max(inside)
    after = [t for t in toks if t.i > hi]
    first = next((t for t in after if not t.is_punct), None)
    if first is None or first.dep_ != "cc" or first.head.i != cue.head.i or not any(
            t.dep_ == "conj" and t.head.i == cue.head.i and t.pos_ in ("VERB", "AUX")
            and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children) for t in after):
        return None
    spans = [clause(ctx, [t for t in toks if t.i < lo]), clause(ctx, after)]
    return spans if all(spans) else None


def _clause_of(tok):
    """The verb whose clause tok stands in: tok itself when it is one; a noun phrase the
    parse hung the cue on is a part of a clause ("Unemployment rose to 4.6%, the ONS said,
    the highest in three years": "highest" -> "rose")."""
    h = tok
    while h.pos_ not in ("VERB", "AUX") and h.head.i != h.i and h.dep_ in ("npadvmod", "appos", "attr", "dobj"):
        h = h.head
    return h if h.pos_ in ("VERB", "AUX") else tok


def _around_cue(ctx, cue, toks, inside=None):
    """The content around a cue set inside it (`toks`, the clause the cue interrupts, less
    `inside`, the cue's own words: its subtree unless given): the larger side, or the whole
    clause, cue and all, when both sides are short ("This campaign, he says, is different")."""
    inside = inside if inside is not None else {t.i for t in cue.subtree}
    lo, hi = min(inside), max(inside)
    toks = [t for t in toks if t.i not in inside]
    before = [t for t in toks if t.i < lo]
    after = [t for t in toks if t.i > hi]
    words = [len([t for t in p if t.is_alpha]) for p in (before, after)]
    if max(words) < 6 and min(words) >= 1:
        return clause(ctx, sorted(toks + [ctx.doc[i] for i in inside], key=lambda t: t.i))
    return clause(ctx, before if words[0] > words[1] else after)


def _as_source(ctx, tok, forms):
    """(cue, the clause it vouches for, the words of the "as ..." clause) when `tok` is the
    "as" of "as the newspaper reported": the mark of a speech verb with its subject and no
    object or clause of its own, or (as the parser often reads it at a sentence's start) a
    preposition whose object carries that verb as a relative clause; None otherwise."""
    if tok.lower_ != "as":
        return None
    if tok.dep_ == "mark":
        cue, head, inside = tok.head, tok.head.head, {t.i for t in tok.head.subtree}
        if cue.dep_ != "advcl":
            return None
    elif tok.dep_ == "prep":
        pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
        cue = next((c for c in pobj.children if c.dep_ == "relcl"), None) if pobj is not None else None
        if cue is None or cue.right_edge.i != tok.right_edge.i:
            return None
        head, inside = tok.head, {t.i for t in tok.subtree}
    else:
        return None
    if not (_verb_cue(cue, forms) or _phrasal_cue(cue) and not is_negated(cue)) or head.pos_ not in ("VERB", "AUX"):
        return None
    kids = {c.dep_ for c in cue.children}
    if not ("nsubj" in kids or "agent" in kids and cue.tag_ == "VBN") \
            or kids & {"dobj", "ccomp", "xcomp", "dative", "nsubjpass"} \
            or any(c.dep_ == "prep" and c.lower_ in _TOPIC_PREPOSITIONS for c in cue.children):
        # "as she said goodbye", "as he announced his run", a headline's "Cases climb past
        # 200 as hospital memo warns of strain": a time, not a source
        return None
    return cue, head, inside


# what a speech verb is about, when it has it: "warns of", "talks about", "clash over",
# "warned against" (session 30 outbreak probe's headline "... as memo warns of strain")
_TOPIC_PREPOSITIONS = frozenset({"of", "about", "over", "against"})


def _as_speaker(ctx, cue):
    """The speaker of an "as ..." source: the cue's subject, or the agent of "as reported
    by the newspaper"."""
    if not any(c.dep_ == "agent" for c in cue.children):
        return speaker_of(ctx, cue)
    m = ctx.resolver._agent_of(cue)
    if m is not None:
        return ctx._speaker(m, cue) if m.can_speak else None
    agent = next(c for c in cue.children if c.dep_ == "agent")
    pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
    return speaker_words(ctx, cue, pobj) if pobj is not None else None


@reported
def as_reported(ctx, frame):
    """The clause an "as ..." reporting clause vouches for: "As the newspaper reported,
    the fund lost money", "The fund lost money, as the mayor noted on Tuesday", "as
    reported by the newspaper": the clause it hangs on, the larger side of it (see
    _as_source)."""
    forms = cue_forms("speech")
    out = []
    for tok in frame.outside:
        found = _as_source(ctx, tok, forms)
        if found is not None:
            cue, head, inside = found
            span = _around_cue(ctx, cue, _subtree(ctx, head), inside)
            sp = _as_speaker(ctx, cue) if span is not None else None
            if sp is not None:
                out.append(found_statement(ctx, cue, span, sp))
    return out


def _beside_quotation(ctx, frame, lo: int, hi: int) -> bool:
    """Does a quotation of the frame close right before char lo (not at the end of its
    sentence: '"...," in the words of', not '"...." According to') or open right after hi,
    with nothing but punctuation and spaces between?"""
    text = ctx.text
    return any(sp.close is not None and sp.close < lo and not text[sp.close + 1:lo].strip(" ,;:\u2014-")
               and text[sp.start:sp.end].rstrip("'\"’” ")[-1:] not in ".!?"
               or hi <= sp.open and not text[hi:sp.open].strip(" ,;:\u2014-") for sp in frame.spans)


@reported
def according_to(ctx, frame):
    """"According to X, ..." and "..., according to X" (or "in the words of X": cues.toml
    [source_phrases]): the rest of the sentence, the larger side of the phrase (the parse
    often hangs the phrase on a noun or a later verb)."""
    out = []
    for tok in frame.outside:
        start = source_phrase(tok)
        if start is None:
            out += _in_their_view(ctx, frame, tok)
            continue
        phrase = range(start, _past_description(ctx.doc, _source_phrase_end(frame, tok, start)))
        if _beside_quotation(ctx, frame, ctx.doc[start].idx, ctx.doc[phrase.stop - 1].idx + len(ctx.doc[phrase.stop - 1])):
            continue  # '"surprises," in the words of an aide': the phrase credits the quotation
        before = [t for t in frame.toks if t.i < phrase.start]
        after = [t for t in frame.toks if t.i >= phrase.stop]
        side = max((before, after), key=lambda p: len([t for t in p if t.is_alpha]))
        span = clause(ctx, side)
        if span is None:
            continue
        m = ctx.according(tok)
        if source_phrases()[tok.lower_] in loose_source_phrases() \
                and not _names_a_source(ctx, source_preposition(tok), m):
            continue  # ", per" and no one who can speak: a rate, or an Italian page's "per"
        if m is None:
            pobj = next((c for c in source_preposition(tok).children if c.dep_ == "pobj"), None)
            if pobj is None:
                continue
            lo, hi = np_bounds(pobj)
            sp = Speaker(None, ctx.doc[lo:hi].text, "none", cue=cue_word(tok),
                         kind=ctx.resolver.kind_of(pobj, lo, hi), at=char_span(ctx.doc[lo:hi]))
        else:
            sp = ctx._speaker(m, tok)
        out.append(found_statement(ctx, tok, span, sp))
    return out


def _names_a_source(ctx, prep, m) -> bool:
    """The object of a one-word source phrase ("per") is a named person or body, or a noun
    the word lists know as a speaker's ("two people familiar with ...", "a Kremlin
    readout"), not a word the resolver only guesses is someone."""
    pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    return m is not None and pobj is not None and bool(m.person or m.entity or classify(pobj.text) is not None)


def in_their_view(noun) -> bool:
    """Is `noun` the "opinion", "view" or "words" of "In his opinion, ...", "In the minister's
    view, ...", "In his words, ..." (cues.toml [source_phrases] possessed), which credit
    their sentence to the noun's possessor?"""
    poss = next((c for c in noun.children if c.dep_ == "poss"), None)
    if noun.lower_ not in possessed_sources() or noun.dep_ != "pobj" or noun.head.lower_ != "in" \
            or poss is None or poss.lower_ in ("my", "our"):
        return False  # ("In my view, ..." outside quotation marks is the writer's own)
    doc = noun.doc
    # "In his words, ..." (or "In his words: '...'"), not "saw it in his stare and his words"
    return noun.lower_ not in possessed_set_off() or (noun.i + 1 < len(doc) and doc[noun.i + 1].text in (",", ":")
                                                       or noun.head.i > 0 and doc[noun.head.i - 1].text == ",")


def _source_phrase_end(frame, tok, start: int) -> int:
    """One past the last token of the source phrase whose cue word is `tok`: the end of its
    subtree, but for a phrase that opens its sentence, whose subtree does not end at a
    comma, the first comma after its preposition. ("According to the AFL-CIO, union members
    back Clinton": the parse can read the words after the comma as appositions of the source
    and swallow the sentence, "back" as an adverb.)"""
    doc, end = tok.doc, tok.right_edge.i + 1
    opens = not any(t.is_alpha for t in frame.toks if t.i < start)
    if not opens or end < len(doc) and doc[end].text == ",":
        return end
    prep = source_preposition(tok)
    comma = next((t.i for t in doc[prep.i + 1:end] if t.text == ","), None)
    return comma if comma is not None else end


def _past_description(doc, i: int) -> int:
    """Where the content after "according to X" starts when X's description follows,
    set off by commas ("According to the Institute for the Study of War, a Washington think
    tank, Russian forces ..."), and the parse hung it elsewhere: after the second comma. A
    description opens with "a" or "an" and holds no verb and no subject ("According to the
    council, a new bridge, which ..., is planned": the bridge is the content's subject)."""
    if i + 2 >= len(doc) or doc[i].text != "," or doc[i + 1].lower_ not in ("a", "an"):
        return i
    for k in range(i + 2, min(len(doc), i + span_data()["according_to"]["description_reach"])):
        if doc[k].text == ",":
            return k + 1
        if doc[k].pos_ in ("VERB", "AUX") or doc[k].dep_ in ("nsubj", "nsubjpass") or doc[k].is_sent_start \
                or doc[k].text in ".;:":
            return i
    return i


def _in_their_view(ctx, frame, noun) -> list[Found]:
    """"In his opinion, Putin got the picture he wanted": the rest of the sentence, credited
    to the possessor of "opinion" or "view" after "in" (in_their_view)."""
    if not in_their_view(noun):
        return []
    phrase = range(noun.head.i, noun.i + 1)
    before = [t for t in frame.toks if t.i < phrase.start]
    after = [t for t in frame.toks if t.i >= phrase.stop]
    span = clause(ctx, max((before, after), key=lambda p: len([t for t in p if t.is_alpha])))
    sp = noun_speaker(ctx, noun) if span is not None else None
    return [found_statement(ctx, noun, span, sp)] if sp is not None else []


@reported
def commitment_to(ctx, frame):
    """What someone vowed, promised, pledged or threatened to do: "X vowed to block ..."."""
    return _complement(ctx, frame, ("commitment",), deps=("xcomp",))


@reported
def plan_to(ctx, frame):
    """What someone wants, plans or intends to do (a plan, not speech): "X wants to build
    a wall"."""
    return _complement(ctx, frame, ("plan",), deps=("xcomp",))


@reported
def belief_clause(ctx, frame):
    """A belief or a plan someone holds (a separate class of cue: believe, think, expect,
    want, plan): "Officials believe the fire was set deliberately"."""
    return _complement(ctx, frame, ("belief", "plan"))


ASK = frozenset({"ask", "asks", "asked", "asking", "wonder", "wonders", "wondered", "wondering",
                  "question", "questions", "questioned", "questioning"})


@reported
def question_asked(ctx, frame):
    """What someone asked: "X asked whether she would release the transcripts"."""
    out = []
    for cue in frame.verbs:
        if not _verb_cue(cue, ASK) or unnamed_asker(cue):
            continue  # "was asked whether ...": question_put's, with no speaker
        for c in cue.children:
            if c.dep_ not in ("ccomp", "advcl") or ctx.in_quote[c.i] or c.i < cue.i:
                continue
            span = clause(ctx, list(c.subtree), question=True)
            out += attributed(ctx, cue, span)
    return out





@reported
def reported_object(ctx, frame):
    """What was announced, mentioned, denied, repeated or pointed out, as a noun phrase of
    two words or more: "He announced his candidacy", "She repeated the claim that ..."."""
    forms = cue_forms("object")
    out = []
    for cue in frame.outside:
        said = _verb_cue(cue, forms) or (_phrasal_cue(cue) and not is_negated(cue))  # "pointed out the flaws"
        if not said or any(c.dep_ == "ccomp" for c in cue.children):
            continue
        for c in cue.children:
            if c.dep_ != "dobj" or ctx.in_quote[c.i] or c.pos_ == "PRON" or product_recall(cue, c):
                continue
            aside = _trailing_aside(ctx, c)
            # one common noun is content enough ("denied wrongdoing"); one name is a topic
            span = clause(ctx, [t for t in c.subtree if t.i not in aside], min_words=1 if c.pos_ == "NOUN" else 2)
            out += attributed(ctx, cue, span)
    return out


def _object_and_complement(ctx, frame, forms, link):
    """Content from a cue's object to the end of `link(cue, obj)`, the complement that
    says what of it: (cue, obj) -> the last token of the content, or None."""
    out = []
    for cue in frame.verbs:
        if not _verb_cue(cue, forms):
            continue
        obj = next((c for c in cue.children if c.dep_ == "dobj" and not ctx.in_quote[c.i]), None) \
            or _first_of_two_complements(ctx, cue)
        if obj is None:
            continue
        last = link(cue, obj)
        if last is None:
            continue
        span = clause(ctx, [t for t in ctx.doc[obj.left_edge.i:last.right_edge.i + 1]])
        out += attributed(ctx, cue, span)
    return out


def _first_of_two_complements(ctx, cue):
    """The object the parser reads as a second complement when a name follows the cue
    ("has called Trump a fascist": both "Trump" and "fascist" oprd): the first of two."""
    oprd = [c for c in cue.children if c.dep_ == "oprd" and c.i > cue.i]
    if len(oprd) < 2 or ctx.in_quote[oprd[0].i]:
        return None
    return oprd[0]


@reported
def accusation(ctx, frame):
    """Whom someone accused, charged or blamed, and of what: "Prosecutors charged the
    officer with murder", "She accused him of lying"."""
    blame_on = cue_forms("accusation_on")

    def link(cue, obj):
        preps = [c for c in cue.children if c.dep_ == "prep" and c.i > obj.i]
        # "blamed the delays on a shortage", not "on Monday": a time is when, not on what
        blamed_on = [c for c in preps if c.lower_ == "on" and cue.lower_ in blame_on
                     and not _only_when([t for t in c.subtree if t.i != c.i])]
        return next((c for c in preps if c.lower_ in ("of", "with", "for")), None) \
            or next(iter(blamed_on), None) or _charge_on_object(cue, obj)
    return _object_and_complement(ctx, frame, cue_forms("accusation"), link)


_ACCUSE = frozenset({"accuse", "accuses", "accused", "accusing"})



def _charge_on_object(cue, obj):
    """The "of ..." the parser hangs on the object instead of the cue ("accused the
    president of politicizing the flood"): after "accuse" any, after "charge" or "blame"
    only a gerund's ("blamed the head of the agency" is no charge)."""
    for c in obj.children:
        if c.dep_ != "prep" or c.i < obj.i or c.lower_ not in ("of", "with", "for"):
            continue
        pobj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
        if pobj is not None and (cue.lower_ in _ACCUSE or pobj.tag_ == "VBG"):
            return c
    return None


@reported
def request_to(ctx, frame):
    """What someone asked, urged or called on others to do: "She urged voters to stay home";
    or, addressing no one, the thing urged: "The envoy urged restraint"."""
    def link(cue, obj):
        return next((c for c in cue.children if c.dep_ == "xcomp" and c.i > obj.i), None)
    return _object_and_complement(ctx, frame, cue_forms("request"), link) + _thing_requested(ctx, frame)


def _addressee(ctx, cue, obj) -> bool:
    """The object names whom a request addresses (a person, a body, a group: "urged voters",
    "pressed the government"), not a thing (a document is one: "urged an inquiry")."""
    m = ctx.resolver.by_tok.get(obj.i)
    kind = (m.kind if m is not None else None) or classify(obj.text, plural=obj.tag_ == "NNS")
    return kind not in (None, "document")


@lru_cache(maxsize=1)
def _thing_request_forms() -> frozenset[str]:
    """The request verbs whose object may be the thing asked for: not those whose object is
    the hearer ("told", "asked")."""
    return cue_forms("request") - heard_verbs() - ASK


def _thing_requested(ctx, frame):
    """The object of a request verb that is no one's name or description and has no
    infinitive after it ("urged calm", "encouraged a fast"); not after the verbs whose
    object is the hearer ("told the court", "asked the mayor")."""
    forms = _thing_request_forms()
    out = []
    for cue in frame.verbs:
        if not _verb_cue(cue, forms) or any(c.dep_ in ("xcomp", "ccomp") for c in cue.children):
            continue
        obj = next((c for c in cue.children if c.dep_ == "dobj" and c.i > cue.i and not ctx.in_quote[c.i]), None)
        if obj is None or obj.pos_ != "NOUN" or _addressee(ctx, cue, obj):
            continue
        out += attributed(ctx, cue, object_span(ctx, cue, obj))
    return out


@reported
def colon_next(ctx, frame):
    """"X said:" closing a sentence or a paragraph, and what was said in the next sentence
    without quote marks: the next sentence."""
    text = ctx.text[frame.lo:frame.hi].rstrip()
    if not text.endswith(":") or frame.k + 1 >= len(ctx.frame_list):
        return []
    forms = cue_forms("speech")
    cues = [t for t in frame.verbs if _verb_cue(t, forms)
            and not any(c.dep_ == "ccomp" for c in t.children)]
    nxt = ctx.frame_list[frame.k + 1]
    if not cues or nxt.spans or "\n\n\n" in ctx.text[frame.hi:nxt.lo]:
        return []
    cue = cues[-1]
    span = clause(ctx, nxt.toks)
    return attributed(ctx, cue, span)


@reported
def said_after(ctx, frame):
    """"..., said the company's chief executive." and "..., the agency reported on Tuesday."
    where the parse hangs the cue on the clause before it (not as the clause's head): a cue
    closing the sentence after a comma, its subject after it or right after the comma (see
    _closing_cue)."""
    forms = cue_forms("speech")
    out = []
    for cue in frame.verbs:
        if not _verb_cue(cue, forms) or any(c.dep_ == "ccomp" for c in cue.children):
            continue
        comma = _closing_cue(ctx, frame, cue)
        if comma is None:
            continue
        span = clause(ctx, [t for t in frame.toks if t.i < comma])
        # the subject that follows the comma speaks, though a long clause the parse broke
        # hangs its own subject on the cue too ("... people with like-minded, if bogus,
        # ideas to organize ..., she said": she)
        subj = next((c for c in cue.children if c.dep_ == "nsubj" and c.left_edge.i == comma + 1), None)
        m = ctx.resolver.by_tok.get(subj.i) if subj is not None else None
        if span and m is not None and m.can_speak and subj.i > cue.i - 4:
            out.append(found_statement(ctx, cue, span, ctx._speaker(m, cue)))
        else:
            out += attributed(ctx, cue, span)
    return out


def _closing_cue(ctx, frame, cue) -> int | None:
    """The index of the comma before a cue that closes its sentence with its subject:
    "..., said Ana Ruiz" (the subject after the cue, the comma right before it), or
    "..., the agency reported on Tuesday" / "..., Lee told a panel" (the subject right after
    the comma, the cue hung on the clause before as an adverbial or a conjunct, with no
    object but its hearer); nothing after the cue's words but punctuation or an aside after
    a dash; None otherwise."""
    subjs = [c for c in cue.children if c.dep_ == "nsubj"]
    if not subjs or cue.i == 0:
        return None
    # the subject after the cue, else the one nearest before it: a long clause the parse
    # breaks may hang its own subject on the cue too ("... for people with like-minded, if
    # bogus, ideas to organize ..., she said": "people" and "she")
    subj = next((c for c in subjs if c.i > cue.i), subjs[-1])
    dash = next((t.i for t in frame.toks if t.i > cue.i and _is_dash(t)), frame.toks[-1].i + 1)
    if subj.i > cue.i:
        comma = cue.i - 1
    elif cue.dep_ in ("advcl", "conj") and cue.head.i < subj.i and not any(
            c.dep_ in ("mark", "cc") and c.i >= subj.left_edge.i - 1 for c in cue.children) \
            and not any(c.dep_ in ("dobj", "xcomp") and c.i < dash and cue.lower_ not in cue_forms("speech_no_object")
                        for c in cue.children):
        comma = subj.left_edge.i - 1
    elif cue.dep_ == "ROOT" and len(subjs) > 1 and subjs[0].i < subj.i and not any(
            c.dep_ in ("dobj", "ccomp", "xcomp") for c in cue.children):
        # a headline's "Rail fares to rise in March, minister says": the parse makes the
        # infinitive clause's noun a first subject of the cue
        comma = subj.left_edge.i - 1
    elif cue.dep_ == "ROOT" and cue.sent.start >= subj.left_edge.i - 1 > 0 and not any(
            c.dep_ in ("dobj", "ccomp", "xcomp") for c in cue.children):
        # the parser split "..., a union leader said." off the clause before it, at the comma
        # ("MUMBAI: Port workers will strike on Monday, | union leader Ravi Kale said.")
        comma = subj.left_edge.i - 1
    else:
        return None
    if comma < 0 or ctx.doc[comma].text != ",":
        return None
    own = {t.i for t in cue.subtree}
    if any(cue.i < t.i < dash and t.i not in own and not t.is_punct for t in frame.toks):
        return None
    return comma


@reported
def characterisation(ctx, frame):
    """What someone called someone or something: "She called the offer an insult", "He
    described the plan as a disaster", "Voters consider the mayor untrustworthy"."""
    def link(cue, obj):
        return next((c for c in cue.children if c.i > obj.i and (
            c.dep_ == "oprd" or (c.dep_ == "prep" and c.lower_ == "as"))), None)
    forms = cue_forms("characterisation")
    return _object_and_complement(ctx, frame, forms, link) + _small_clause(ctx, frame, forms) \
        + _in_what_called(ctx, frame, forms)


def _in_what_called(ctx, frame, forms):
    """"..., in what officials called the largest attack of the year": what the cue's
    subject called it (its complement, or what follows "as" after "described")."""
    out = []
    for cue in frame.verbs:
        if _what_called_aside(cue, forms) is None:
            continue
        comp = next((c for c in cue.children if c.dep_ == "oprd" and c.i > cue.i), None)
        if comp is None:
            prep = next((c for c in cue.children if c.dep_ == "prep" and c.lower_ == "as" and c.i > cue.i), None)
            comp = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
        if comp is None or ctx.in_quote[comp.i]:
            continue
        out += attributed(ctx, cue, clause(ctx, list(comp.subtree), min_words=2))
    return out


def _what_called_aside(cue, forms=None):
    """The "in" of "in what X called ..." when `cue` is its verb (one of `forms`, the
    characterisation cues by default), else None."""
    forms = forms or cue_forms("characterisation")
    if cue.dep_ != "pcomp" or cue.head.lower_ != "in" or cue.lower_ not in forms or is_negated(cue):
        return None
    if not any(c.dep_ == "dobj" and c.lower_ == "what" for c in cue.children):
        return None
    return cue.head


def _small_clause(ctx, frame, forms):
    """"Most voters consider the mayor untrustworthy", "calling the mayor a fraud", parsed
    as one clause the cue governs (its noun or adjective with the object as its subject):
    that clause, right after the cue."""
    out = []
    for cue in frame.verbs:
        if not _verb_cue(cue, forms) or any(c.dep_ == "dobj" for c in cue.children):
            continue
        sc = next((c for c in cue.children if c.dep_ in ("xcomp", "ccomp") and c.pos_ in ("NOUN", "PROPN", "ADJ")
                   and c.left_edge.i == cue.i + 1 and any(g.dep_ == "nsubj" for g in c.children)
                   and not ctx.in_quote[c.i]), None)
        if sc is not None:
            out += attributed(ctx, cue, clause(ctx, list(sc.subtree), min_words=2))
    return out


@reported
def asked_about(ctx, frame):
    """What someone asked about or asked for: "A reporter asked her about the emails",
    "The governor asked for federal aid"."""
    out = []
    for cue in frame.verbs:
        if not _verb_cue(cue, ASK) or unnamed_asker(cue):
            continue  # "Asked about the claim, Lee declined": question_put's, with no speaker
        prep = next((c for c in cue.children if c.dep_ == "prep" and c.lower_ in ("about", "for")
                     and c.i > cue.i), None)
        pobj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None) if prep else None
        if pobj is None or ctx.in_quote[pobj.i]:
            continue
        span = clause(ctx, list(pobj.subtree), min_words=2)
        out += attributed(ctx, cue, span)
    return out


@lru_cache(maxsize=1)
def span_data() -> dict:
    """crosswire/data/spans.toml: which phrases after an object belong to its content."""
    return read_toml("spans.toml")


def tail_kind(ctx, dep) -> str | None:
    """The kind of phrase `dep` (a dependent of a cue, after its object) is, as
    spans.toml names them: "prep:<word>" ("for the delay", "to a rival"), "dative",
    "infinitive" ("pushed the city to act"), "oprd", "npadvmod" ("on Monday" is a prep)."""
    if dep.dep_ == "prep":
        return "prep:" + dep.lower_
    if dep.dep_ in ("xcomp", "advcl") and dep.tag_ == "VB" and ctx.doc[dep.left_edge.i].lower_ == "to":
        return "infinitive"
    if dep.dep_ == "advcl" and dep.pos_ == "ADJ" and dep.left_edge.lower_ == "as":
        return "prep:as"  # "dismissed the claims as politically motivated": "as" and an adjective
    if dep.dep_ in ("dative", "oprd", "npadvmod"):
        return dep.dep_
    return None


def _extend_over(ctx, cue, obj, kinds):
    """The last token of `obj` taken with the phrases of the cue that follow it without a
    break and say what of it ("criticised the mayor for the delay", "compared her to a
    rival", "pushed the city to act"): those whose tail_kind is in `kinds`."""
    last = obj.right_edge
    for c in sorted(cue.children, key=lambda t: t.i):
        if c.i <= last.i:
            continue
        if c.left_edge.i != last.i + 1 or tail_kind(ctx, c) not in kinds:
            break
        last = c.right_edge
    return last


def content_tokens(ctx, head, first, last, part="object"):
    """The tokens first..last of a noun-phrase content headed by `head`, less a trailing
    aside (_trailing_aside), keeping the head's own appositive where spans.toml says so
    ("a radical change, something more sweeping"); `part` names the spans.toml table."""
    aside = _trailing_aside(ctx, head, keep_appos=span_data()[part]["keep_appositive"])
    return [t for t in ctx.doc[first.i:last.i + 1] if t.i not in aside]


def _subject_and_object_kinds(ctx, cue, obj) -> tuple[str | None, str | None]:
    """The speaker kinds of the cue's subject and of its object, as the mentions resolve them."""
    sp = speaker_of(ctx, cue)
    m = ctx.resolver.by_tok.get(obj.i)
    return (sp.kind if sp is not None else None), (m.kind if m is not None else None)


@reported
def stance_object(ctx, frame):
    """Whom or what someone endorsed, backed, attacked, defended or cited, as a noun phrase
    (with "for ..."/"as ..."/"over ..." about it): "The union endorsed the mayor", "She
    criticised the plan for its cost"."""
    forms = cue_forms("stance")
    out = []
    for cue in frame.verbs:
        if not _verb_cue(cue, forms) or any(c.dep_ in ("ccomp", "prt") for c in cue.children):
            continue
        obj = next((c for c in cue.children if c.dep_ == "dobj" and not ctx.in_quote[c.i]), None)
        if obj is None or obj.lower_ in ("it", "this", "that", "which", "what", "them") \
                or physical_act(cue, obj, lambda: _subject_and_object_kinds(ctx, cue, obj)):
            continue
        if questioned_person(cue, obj, lambda: _subject_and_object_kinds(ctx, cue, obj)[1]):
            continue
        out += attributed(ctx, cue, object_span(ctx, cue, obj))
    return out


@reported
def stance_gerund(ctx, frame):
    """What someone supports, opposes or favours doing, as a gerund right after the cue:
    "The union opposes closing the port at night", "She supports raising the toll"."""
    out = []
    for cue in frame.verbs:
        if not _verb_cue(cue, cue_forms("stance")) or any(c.dep_ in ("ccomp", "dobj") for c in cue.children):
            continue
        ger = next((c for c in cue.children if c.dep_ in ("xcomp", "ccomp") and c.tag_ == "VBG"
                    and c.i == cue.i + 1 and not ctx.in_quote[c.i]), None)
        if ger is None:
            continue
        out += attributed(ctx, cue, clause(ctx, _subtree(ctx, ger)))
    return out


# every topic_<preposition> class of cues.toml
_TOPIC_CLASSES = tuple(sorted(c for c in forms_by_class() if c.startswith("topic_")))


@reported
def topic_of(ctx, frame):
    """What someone called for, spoke about, focused on or referred to: the object of the
    cue's own preposition, "The union called for a ban on night work", "She spoke about
    jobs"."""
    out = []
    for cue in frame.verbs:
        preps = {cls.split("_", 1)[1] for cls in _TOPIC_CLASSES if _verb_cue(cue, cue_forms(cls))}
        if not preps or (cue.dep_ == "xcomp" and cue.head.lower_ in cue_forms("refusal")):
            continue  # "declined to comment on X": the refusal (declined_to) is the statement
        prep = next((c for c in cue.children if c.dep_ == "prep" and c.lower_ in preps and c.i > cue.i), None)
        if prep is not None and _partner_not_topic(cue, prep):
            continue
        if prep is not None:
            span = _prep_object_span(ctx, cue, prep)
        elif "for" in preps:
            span = _for_clause(ctx, cue)
        else:
            continue
        out += attributed(ctx, cue, span)
    return out


def _partner_not_topic(cue, prep) -> bool:
    """"Lee agreed with her counterpart that ...": with a clause of its own, the cue's
    preposition names whom she spoke to or agreed with, not what about (the clause is
    reported_clause's)."""
    return any(c.dep_ == "ccomp" and c.i > prep.i for c in cue.children)


def _for_clause(ctx, cue):
    """The clause of "called for the state to fund the bridge", which the parser makes a
    clause of the cue opened by "for": from its subject to its end."""
    for c in cue.children:
        mark = next((g for g in c.children if g.dep_ == "mark" and g.lower_ == "for"), None)
        if c.dep_ != "advcl" or mark is None or c.i < cue.i or ctx.in_quote[c.i]:
            continue
        if all(t.dep_ in ("prt", "advmod") for t in ctx.doc[cue.i + 1:mark.i]):
            return clause(ctx, [t for t in _subtree(ctx, c) if t.i > mark.i], min_words=1)
    return None


@reported
def called_on_to(ctx, frame):
    """Whom someone called on to do what: "The union called on the council to drop the
    toll": the preposition's object with its infinitive (without one, "called on the mayor
    at his home" is a visit, not a statement)."""
    out = []
    for cue in frame.verbs:
        if not _verb_cue(cue, cue_forms("request_on")):
            continue
        prep = _first_prep(ctx, cue)
        if prep is None or prep.lower_ != "on":
            continue
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        inf = next((c for c in cue.children if c.dep_ in ("xcomp", "advcl") and pobj is not None
                    and c.i > pobj.right_edge.i + 1 and ctx.doc[c.i - 1].lower_ == "to"
                    and all(t.is_punct for t in ctx.doc[pobj.right_edge.i + 1:c.i - 1])), None)
        if inf is None or ctx.in_quote[pobj.i]:
            continue
        span = clause(ctx, [t for t in ctx.doc[pobj.left_edge.i:inf.i] if not ctx.in_quote[t.i]]
                      + _subtree(ctx, inf))
        out += attributed(ctx, cue, span)
    return out


@reported
def gerund_content(ctx, frame):
    """A gerund right after a speech verb: what was reported, denied or recalled ("The
    campaign reported raising $9 million", "He denied taking the money"), or the subject
    of a reported clause the parser hangs on the cue ("She said widening the road would
    cost millions")."""
    forms = cue_forms("speech")
    out = []
    for cue in frame.verbs:
        if not _verb_cue(cue, forms) or any(c.dep_ == "ccomp" for c in cue.children):
            continue
        ger = next((c for c in cue.children if c.dep_ == "xcomp" and c.tag_ == "VBG" and c.i == cue.i + 1), None)
        if ger is None or ger.lower_ in cue_forms("speech"):
            continue
        span = clause(ctx, _subtree(ctx, ger), min_words=2)  # "denied targeting civilians"
        out += attributed(ctx, cue, span)
    return out


_YES_NO = {"yes", "no"}


@reported
def said_yes_no(ctx, frame):
    """An answer reported as one word: "Most voters said yes", "62 percent said no"."""
    forms = cue_forms("speech")
    out = []
    for cue in frame.verbs:
        if not _verb_cue(cue, forms) or cue.i + 1 >= len(ctx.doc):
            continue
        ans = ctx.doc[cue.i + 1]
        if ans.lower_ not in _YES_NO or ans.head.i != cue.i or ctx.in_quote[ans.i]:
            continue
        nxt = ctx.doc[ans.i + 1] if ans.i + 1 < len(ctx.doc) else None
        if nxt is not None and not nxt.is_punct:
            continue  # "said no one ...": not an answer
        sp = speaker_of(ctx, cue)
        if sp is not None:
            out.append(found_statement(ctx, cue, (ans.idx, ans.idx + len(ans)), sp))
    return out


_MANNER = {"how", "why"}


@reported
def explained_how(ctx, frame):
    """How or why, as someone explained, described or told it: "She explained how the fund
    grew", "He told them why the toll was needed" (an account, not a question)."""
    forms = cue_forms("speech", "account")
    out = []
    for cue in frame.verbs:
        if not _verb_cue(cue, forms) or cue.dep_ == "xcomp" and cue.head.lower_ in cue_forms("refusal"):
            continue  # "declined to explain how ...": no account given
        for c in cue.children:
            if c.dep_ != "ccomp" or c.i < cue.i or ctx.in_quote[c.i] or c.left_edge.lower_ not in _MANNER:
                continue
            if c.left_edge.head.pos_ in ("ADJ", "ADV") and c.left_edge.head.i != c.i:
                continue  # "how many", "how much", "how soon": a question of an amount
            span = clause(ctx, _subtree(ctx, c), question=True)
            out += attributed(ctx, cue, span)
    return out


@reported
def in_a_poll(ctx, frame):
    """What a poll or a study found, given as where it was found: "In a new poll, the mayor
    leads by ten points": the rest of the sentence, said by the poll. Only an opening phrase
    closed by a comma and hung on the sentence's verb (a closing "in the polls" is as often
    the writer's as the poll's, measured on PolNeAR train)."""
    nouns = {n for n in cue_forms("findings_in") if not n.endswith(("ed", "ing"))}
    out = []
    for tok in frame.outside:
        if tok.lower_ != "in" or tok.dep_ != "prep" or tok.head.pos_ not in ("VERB", "AUX"):
            continue
        pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
        if pobj is None or pobj.lower_ not in nouns:
            continue
        first = next((t for t in frame.toks if not t.is_space), None)
        end = tok.right_edge.i + 1
        if first is None or tok.i != first.i or end >= len(ctx.doc) or ctx.doc[end].text != ",":
            continue  # only the opening phrase, closed by a comma
        span = clause(ctx, [t for t in frame.toks if t.i > end])
        if span is None:
            continue
        lo, hi = np_bounds(pobj)
        sp = Speaker(None, ctx.doc[lo:hi].text, "none", cue="in", kind=ctx.resolver.kind_of(pobj, lo, hi),
                     at=char_span(ctx.doc[lo:hi]))
        out.append(found_statement(ctx, tok, span, sp))
    return out


@reported
def declined_to(ctx, frame):
    """A refusal to speak: "The ministry declined to comment", "She refused to say whether
    ...": the infinitive with what it holds."""
    speak = cue_forms("speech", "refused_speech")
    out = []
    for cue in frame.verbs:
        if not _verb_cue(cue, cue_forms("refusal")):
            continue
        inf = next((c for c in cue.children if c.dep_ == "xcomp" and c.i > cue.i and c.lower_ in speak), None)
        if inf is None or ctx.in_quote[inf.i]:
            continue
        span = clause(ctx, _subtree(ctx, inf), min_words=2)
        out += attributed(ctx, cue, span)
    return out


_POSSESSIVE = {"his": ("m",), "her": ("f",), "their": None, "its": None}


def _possessive_antecedent(ctx, poss):
    """Whom a possessive pronoun stands for: the last subject before it in this paragraph
    or the one before, a person of the pronoun's gender for "his"/"her", a body or a group
    for "their"/"its"; None when there is none (the words stay as written)."""
    low = poss.lower_
    if low not in _POSSESSIVE:
        return None
    res = ctx.resolver
    para = res.rank[res.para_of[poss.i]]
    for m in reversed(res.history):
        if m.tok >= poss.i or not m.subject:
            continue
        if para - res.rank[m.para] > 1:
            return None
        if _POSSESSIVE[low] is not None:
            gender = res.cast.people[m.person].gender if m.person in res.cast.people else None
            if m.person and gender in (None,) + _POSSESSIVE[low]:
                return replace(m, tok=poss.i, text=poss.text, subject=False, resolution="pronoun")
            continue
        if m.kind in ("organisation", "group", "unnamed"):  # "the union ... its call": the union
            return replace(m, tok=poss.i, text=poss.text if m.entity else m.text, subject=False,
                           resolution="pronoun")
    return None


_SUBJECT_OF_POSSESSIVE = {"his": "he", "her": "she", "their": "they", "its": "it", "my": "i", "our": "we"}


def _own_subject(ctx, noun, poss):
    """"He made his support clear", "She expanded on her calls for ...": a possessive
    pronoun that repeats the pronoun subject of the verb the noun hangs on; that subject,
    the mention as written where the speaker is named."""
    subject_word = _SUBJECT_OF_POSSESSIVE.get(poss.lower_)
    v = noun.head
    if noun.dep_ == "pobj" and v.dep_ == "prep":
        v = v.head
    elif noun.dep_ != "dobj":
        return None
    subj = next((c for c in v.children if c.dep_ == "nsubj"), None) if v.pos_ in ("VERB", "AUX") else None
    if subject_word is None or subj is None or subj.lower_ != subject_word:
        return None
    return ctx.resolver.by_tok.get(subj.i)


def possessor_speaker(ctx, noun, poss) -> Speaker | None:
    """The speaker `poss`, the possessor of the cue noun `noun`, names ("Pence's call",
    "her argument"): the person or body it resolves to, else its words as written."""
    m = _own_subject(ctx, noun, poss) or ctx.resolver.possessor_mention(poss) or _possessive_antecedent(ctx, poss)
    if m is not None and m.can_speak:
        return ctx._speaker(m, noun)
    return speaker_words(ctx, noun, poss)


def noun_speaker(ctx, noun) -> Speaker | None:
    """Who holds a cue noun: its possessor ("Pence's call", "her argument"), or the subject
    of the light verb that makes it ("The union voiced opposition to ..."); None otherwise."""
    poss = next((c for c in noun.children if c.dep_ == "poss"), None)
    if poss is not None:
        return possessor_speaker(ctx, noun, poss)
    if noun.dep_ == "dobj" and noun.head.lower_ in light_verbs() and not is_negated(noun.head):
        sp = speaker_of(ctx, noun.head)
        if sp is not None and noun.head.lower_ in _MAKE:  # "made the case", not "made clear"
            sp = replace(sp, cue=ctx.doc[noun.head.i:noun.i + 1].text)
        return sp
    return None


def _noun_content(ctx, noun, comps):
    """The content a cue noun takes: its that-clause, its infinitive or the object of one
    of its prepositions, as `comps` allows ("that", "to", "for", ...)."""
    for c in noun.children:
        if c.i < noun.i or ctx.in_quote[c.i]:
            continue
        if c.dep_ in ("acl", "ccomp") and "that" in comps and any(
                g.dep_ == "mark" and g.lower_ == "that" for g in c.children):
            return clause(ctx, _subtree(ctx, c))
        if c.dep_ in ("acl", "relcl") and "to" in comps and c.tag_ == "VB" and any(
                g.dep_ == "aux" and g.lower_ == "to" and g.i == c.i - 1 for g in c.children):
            return clause(ctx, _subtree(ctx, c))
        if c.dep_ == "prep" and c.lower_ in comps:
            pobj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
            if pobj is None or pobj.lower_ in ("it", "this", "that", "which", "what", "them"):
                return None
            return clause(ctx, list(pobj.subtree), min_words=1)
    return None


@reported
def noun_cue(ctx, frame):
    """What a claim, a call, a criticism someone made holds, given by the noun: "her
    argument that the plan works", "Pence's call for a special prosecutor", "The union
    voiced opposition to the new tolls"."""
    nouns = noun_cues()
    out = []
    for noun in frame.outside:
        comps = nouns.get(noun.lower_)
        if comps is None or noun.pos_ != "NOUN":
            continue
        span = _noun_content(ctx, noun, comps)
        sp = noun_speaker(ctx, noun) if span else None
        if sp is not None:
            out.append(found_statement(ctx, noun, span, sp))
    return out


def _held_view_nouns() -> frozenset[str]:
    return frozenset(load_cues()["held_view"]["nouns"])


@reported
def of_the_view(ctx, frame):
    """An opinion someone is said to hold: "Dar was of the view that the summit had opened a
    window", "She is of the opinion that ..."; the subject of "be" holds the view its
    that-clause gives (cues.toml [held_view])."""
    out = []
    for noun in frame.outside:
        if noun.lower_ not in _held_view_nouns() or noun.dep_ != "pobj" or noun.head.lower_ != "of":
            continue
        be = noun.head.head
        if be.lower_ not in load_cues()["held_view"]["be_forms"]:
            continue
        span = _noun_content(ctx, noun, frozenset({"that"}))
        sp = speaker_of(ctx, be) if span else None
        if sp is not None and sp.kind is not None and not is_negated(be):
            out.append(found_statement(ctx, noun, span, replace(sp, cue=ctx.doc[noun.head.i:noun.i + 1].text)))
    return out


_FINDING_PARTS = ("dobj", "prep", "oprd", "xcomp", "acl", "advcl", "npadvmod")


@reported
def finding_object(ctx, frame):
    """What a poll, a report or a study shows or found, given as a noun phrase with what
    it says of it: "The poll shows the mayor with a ten-point lead", "The audit found
    no evidence of fraud". Only a document's finding (a person who "found" something
    mostly came upon it; a body's or a group's, 4 of 10 not annotated on PolNeAR train)."""
    out = []
    for cue in frame.verbs:
        if not _verb_cue(cue, cue_forms("evidence")) or any(c.dep_ == "ccomp" for c in cue.children):
            continue
        obj = next((c for c in cue.children if c.dep_ == "dobj" and not ctx.in_quote[c.i]), None)
        if obj is None or obj.pos_ == "PRON":
            continue
        last = obj
        for c in cue.children:  # the object and what follows it of the cue's own phrase
            if c.i > last.i and c.dep_ in _FINDING_PARTS and ctx.doc[c.left_edge.i - 1].text != ",":
                last = c
        span = clause(ctx, list(ctx.doc[obj.left_edge.i:last.right_edge.i + 1]), min_words=2)
        sp = speaker_of(ctx, cue) if span else None
        if sp is not None and sp.kind == "document":
            out.append(found_statement(ctx, cue, span, sp))
    return out


_RELATIVE = {"which", "what", "who", "that"}


@reported
def relative_said(ctx, frame):
    """A relative clause whose speech verb reports it, from its relative word on: "...,
    which union leaders say could help the strike", "what analysts said was a sign of
    better ties" (the relative word is the subject of what was said)."""
    out = []
    for cue in frame.verbs:
        if not _verb_cue(cue, cue_forms("speech")):
            continue
        for c in cue.children:
            if c.dep_ != "ccomp" or c.i < cue.i or ctx.in_quote[c.i]:
                continue
            rel = next((g for g in c.children if g.dep_ in ("nsubj", "nsubjpass")
                        and g.lower_ in _RELATIVE and g.i < cue.i), None)
            subj = next((g for g in cue.children if g.dep_ == "nsubj"), None)
            if rel is None or subj is None or subj.i < rel.i:
                continue  # "which he said ...": the relative word first, then who said it
            span = clause(ctx, list(ctx.doc[rel.i:c.right_edge.i + 1]), question=None)
            out += attributed(ctx, cue, span)
    return out


_MAKE = frozenset({"make", "makes", "made", "making"})


@reported
def made_clear(ctx, frame):
    """What someone made clear or plain: "The union made clear its members would strike",
    "She made it clear that she would run": the clause after the adjective."""
    out = []
    for cue in frame.verbs:
        if cue.lower_ not in _MAKE or cue.pos_ not in ("VERB", "AUX") or is_negated(cue):
            continue
        k = cue.i + 1
        if k < len(ctx.doc) and ctx.doc[k].lower_ == "it":
            k += 1
        if k >= len(ctx.doc) or ctx.doc[k].lower_ not in make_clear_adjectives():
            continue
        start = k + 1
        head = next((t for t in ctx.doc[start:frame.toks[-1].i + 1] if t.pos_ in ("VERB", "AUX")
                     and t.head.i < start and t.left_edge.i >= start), None)
        if head is None:
            continue
        span = clause(ctx, list(ctx.doc[start:head.right_edge.i + 1]))
        out += attributed(ctx, cue, span)
    return out


@reported
def stance_adjective(ctx, frame):
    """What someone is confident, sure, convinced or worried of, given by an adjective:
    "The mayor is confident that the bridge will reopen", "Residents are worried the tolls
    will rise" (the adjective's clause; its subject holds it)."""
    adjectives = stance_adjectives()
    out = []
    for adj in frame.outside:
        # ("is convinced that ...", "is worried that ...": the parse may read a passive verb)
        passive = adj.tag_ == "VBN" and adj.dep_ == "ROOT" and any(c.dep_ == "auxpass" for c in adj.children)
        if adj.lower_ not in adjectives or not (adj.dep_ == "acomp" or passive) \
                or is_negated(adj if passive else adj.head):
            continue
        comp = next((c for c in adj.children if c.dep_ in ("ccomp", "xcomp", "advcl")
                     and c.i > adj.i and not ctx.in_quote[c.i]), None)
        if comp is None:
            continue
        span = clause(ctx, _subtree(ctx, comp))
        sp = (_passive_holder(ctx, adj) if passive else speaker_of(ctx, adj.head)) if span else None
        if sp is not None:
            out.append(found_statement(ctx, adj, span, replace(sp, cue=adj.text)))
    return out


def _passive_holder(ctx, verb) -> Speaker | None:
    """The subject of a stance read as a passive ("Putin is convinced that ..."), who holds it."""
    near = [verb] + [c for c in verb.children if c.dep_ == "auxpass"]  # (or hung on its "is")
    subj = next((c for v in near for c in v.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    m = ctx.resolver.by_tok.get(subj.i) if subj is not None else None
    return ctx._speaker(m, verb) if m is not None and m.can_speak else None


def _any_verb(ctx, tok) -> bool:
    """A verb none of the cue classes lists, not negated, outside quotation marks, not in a
    question or a condition."""
    return (tok.pos_ == "VERB" and not is_negated(tok) and tok.lower_ not in all_cue_forms()
            and not ctx.in_quote[tok.i] and not about_anonymity(tok, strict=True) and not _asked_or_supposed(tok))


def _gave_no(verb) -> bool:
    """The verb's object is denied ("gave no sign that ...", "offered no evidence that
    ..."): nothing was given that the clause could be."""
    return any(c.dep_ == "dobj" and any(d.dep_ == "det" and d.lower_ == "no" for d in c.children)
               for c in verb.children)


def _asked_or_supposed(verb) -> bool:
    """The verb's clause is a question put to someone ("Asked whether he trusted Putin,
    ..."): question_asked reads it as the asker's question; nobody holds it."""
    return verb.head.lower_ in ("asked", "ask", "asks", "asking") and verb.dep_ == "ccomp" \
        and any(c.dep_ == "mark" and c.lower_ in ("whether", "if") for c in verb.children)


@reported
def any_verb_clause(ctx, frame):
    """The clause any other verb reports, left to the fitted filter to judge by the verb
    (crosswire.indirect_filter): "The senator knows that the vote is close", "Aides
    acknowledged privately the plan had stalled". Tried after every listed cue."""
    out = []
    for cue in frame.verbs:
        if not _any_verb(ctx, cue) or _gave_no(cue):
            continue
        for c in cue.children:
            if c.dep_ != "ccomp" or c.i < cue.i or ctx.in_quote[c.i]:
                continue
            drop = _cue_coordinate(cue, c)
            span = clause(ctx, [t for t in _subtree(ctx, c) if t.i not in drop])
            out += _by_someone(attributed(ctx, cue, span))
    return out


def _by_someone(found: list[Found]) -> list[Found]:
    """Only what a speaker of a known kind (a person, a body, a group, a document) holds:
    for a verb no cue list names, "The storm made ..." is nobody's statement."""
    return [f for f in found if f.speaker.kind is not None]


@reported
def any_verb_infinitive(ctx, frame):
    """What someone seeks, decides or tries to do, by any other verb with an infinitive:
    "The council decided to close the market", "She is seeking to overturn the ruling";
    left to the fitted filter to judge by the verb. Tried after every listed cue."""
    out = []
    for cue in frame.verbs:
        if not _any_verb(ctx, cue):
            continue
        inf = next((c for c in cue.children if c.dep_ == "xcomp" and c.i > cue.i and c.tag_ == "VB"
                    and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)), None)
        if inf is None or ctx.in_quote[inf.i]:
            continue
        span = clause(ctx, _subtree(ctx, inf))
        out += _by_someone(attributed(ctx, cue, span))
    return out


# The cue classes whose own rules read a verb's object (reported_object, stance_object,
# accusation, request_to, characterisation, finding_object): the object rules below leave
# those verbs to them. A speech verb's object is theirs ("said the same about Lee", "wrote
# a column on the tolls"): its clause is reported_clause's.
_OBJECT_CLASSES = ("object", "stance", "accusation", "request", "characterisation", "evidence")
NOT_CONTENT = frozenset({"it", "this", "that", "which", "what", "them", "who", "whom"})


@lru_cache(maxsize=1)
def object_cue_forms() -> frozenset[str]:
    return cue_forms(*_OBJECT_CLASSES)


def _unlisted_verb(ctx, tok, listed=object_cue_forms) -> bool:
    """A verb not among the `listed()` forms, not negated, outside quotation marks, in the
    active voice, not in a question or a condition."""
    return (tok.pos_ == "VERB" and tok.lower_ not in listed() and tok.lower_ != "according"
            and not is_negated(tok) and not about_anonymity(tok, strict=True) and not _asked_or_supposed(tok)
            and not ctx.in_quote[tok.i] and not any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children))


def _speech_forms() -> frozenset[str]:
    return cue_forms("speech")


def _has_subject(verb) -> bool:
    """The verb has a subject of its own, or shares one with the verb it is coordinated
    with ("She met the donors and outlined her plan"): not a participle the writer adds
    (", reversing years of policy", ", compared with 41 percent")."""
    if any(c.dep_ == "nsubj" for c in verb.children):
        return True
    return verb.dep_ == "conj" and any(c.dep_ == "nsubj" for c in verb.head.children)


def object_span(ctx, cue, obj):
    """The content a verb's object gives: the object's phrase with the cue's phrases right
    after it that say what of it (_extend_over, spans.toml [object] tail), less a trailing
    aside."""
    last = _extend_over(ctx, cue, obj, frozenset(span_data()["object"]["tail"]))
    return clause(ctx, content_tokens(ctx, obj, obj.left_edge, last), min_words=1)


@reported
def any_verb_object(ctx, frame):
    """Whom or what someone did something to in words or stance, by any other verb with a
    noun-phrase object: "The senator outlined his plan", "She retweeted a photo of the
    rally"; left to the fitted filter to judge by the verb. Tried after every listed cue."""
    out = []
    for cue in frame.verbs:
        if not _unlisted_verb(ctx, cue) or not _has_subject(cue) or any(c.dep_ == "ccomp" for c in cue.children):
            continue
        obj = next((c for c in cue.children if c.dep_ == "dobj" and c.i > cue.i and not ctx.in_quote[c.i]), None)
        if obj is None or obj.lower_ in NOT_CONTENT:
            continue
        out += _by_someone(attributed(ctx, cue, object_span(ctx, cue, obj)))
    return out


_CONTENT_PREPS = frozenset({"about", "against", "on", "for", "at", "over", "of", "with", "into", "to"})


def _prep_object_span(ctx, cue, prep):
    """The object of `prep` with its subtree, and an infinitive of the cue that says what
    of it ("called on the city to close the road")."""
    pobj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
    if pobj is None or ctx.in_quote[pobj.i] or pobj.lower_ in NOT_CONTENT:
        return None
    last = _extend_over(ctx, cue, prep, frozenset(span_data()["prep_object"]["tail"]))
    return clause(ctx, content_tokens(ctx, pobj, pobj.left_edge, last, "prep_object"), min_words=1)


def _first_prep(ctx, head):
    """The first preposition after `head` that hangs on it (past a particle: "lashed out at"),
    one of those that introduce a content."""
    return next((c for c in head.children if c.dep_ == "prep" and c.i > head.i and c.lower_ in _CONTENT_PREPS
                 and all(t.dep_ in ("prt", "advmod") for t in ctx.doc[head.i + 1:c.i])), None)


@reported
def any_verb_prep(ctx, frame):
    """What someone spoke or acted against, for or about, by any other verb with a
    preposition right after it (or its particle): "The mayor railed against the toll",
    "She lashed out at her rivals", "He called on the council to act"; left to the fitted
    filter to judge by the verb and the preposition. Tried after every listed cue."""
    out = []
    for cue in frame.verbs:
        # not a speech verb ("said on Tuesday": mostly when and where) nor a preposition
        # topic_of reads for this verb ("called for ...")
        if not _unlisted_verb(ctx, cue, _speech_forms) or not _has_subject(cue) \
                or any(c.dep_ in ("ccomp", "dobj") for c in cue.children):
            continue
        prep = _first_prep(ctx, cue)
        if prep is None or any(cue.lower_ in cue_forms(cls) for cls in _TOPIC_CLASSES if cls.endswith("_" + prep.lower_)):
            continue
        out += _by_someone(attributed(ctx, cue, _prep_object_span(ctx, cue, prep)))
    return out


@reported
def adjective_prep(ctx, frame):
    """What someone is critical of, supportive of or angry about, given by an adjective
    and its preposition: "The union has been critical of the plan"; its subject holds it.
    Left to the fitted filter to judge by the adjective."""
    out = []
    for adj in frame.outside:
        if adj.dep_ != "acomp" or adj.pos_ != "ADJ" or is_negated(adj.head) or ctx.in_quote[adj.i]:
            continue
        prep = _first_prep(ctx, adj)
        if prep is None:
            continue
        span = _prep_object_span(ctx, adj, prep)
        sp = speaker_of(ctx, adj.head) if span else None
        if sp is not None and sp.kind is not None:
            out.append(found_statement(ctx, adj, span, replace(sp, cue=adj.lower_)))
    return out


@reported
def passive_by_agent(ctx, frame):
    """What someone backed, criticised or announced, in the passive with its agent: "The
    plan is supported by most councillors", "The toll was announced by the ministry":
    the subject is the content, the agent the speaker. Any verb, judged by the filter."""
    out = []
    for cue in frame.verbs:
        if cue.pos_ != "VERB" or cue.tag_ != "VBN" or is_negated(cue) or ctx.in_quote[cue.i]:
            continue
        agent = next((c for c in cue.children if c.dep_ == "agent"), None)
        subj = next((c for c in cue.children if c.dep_ == "nsubjpass" and c.i < cue.i), None)
        pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
        if subj is None or pobj is None or ctx.in_quote[pobj.i] or subj.lower_ in NOT_CONTENT:
            continue
        span = clause(ctx, list(subj.subtree), min_words=1)
        if span is None:
            continue
        m = ctx.resolver._agent_of(cue)
        sp = ctx._speaker(m, cue) if m is not None else speaker_words(ctx, cue, pobj)
        if sp is not None and sp.kind is not None:
            out.append(found_statement(ctx, cue, span, sp))
    return out


_ANY_NOUN_CONTENT = frozenset({"that", "to", "about", "on", "for", "against", "over"})


@reported
def possessed_noun(ctx, frame):
    """What someone's rhetoric, plan or stance is about, by any other noun with a possessor
    that can speak and a content of its own: "the mayor's rhetoric about the toll", "the
    union's proposal to close the port"; left to the fitted filter to judge by the noun."""
    listed = noun_cues()
    out = []
    for noun in frame.outside:
        if noun.pos_ != "NOUN" or noun.lower_ in listed or not any(c.dep_ == "poss" for c in noun.children):
            continue
        span = _noun_content(ctx, noun, _ANY_NOUN_CONTENT)
        sp = noun_speaker(ctx, noun) if span else None
        if sp is not None and sp.kind is not None:
            out.append(found_statement(ctx, noun, span, sp))
    return out


from . import speech_objects  # noqa: E402,F401  (registers its rules before any_verb_clause)
from . import backing, labels  # noqa: E402,F401  (likewise)
