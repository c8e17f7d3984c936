"""The statements of one field of an article (title, standfirst, summary or body).

    FieldAttributor(section, text, doc, cast, names).run() -> list[Found]

Walks the rule registries of crosswire.rules over the field's sentences (Frames): for each
quotation the first SPEAKER rule that answers, reported speech from the REPORTED rules
(scored by the fitted filter, crosswire.indirect_filter, with a report inside another's
content merged into the outer one), then the CONTEXT rules for quotations still without a
speaker, the NOT_STATEMENT filters, and the LAST_RESORT rules. Each statement records the
rule that found it.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from .. import indirect_filter, rules
from ..clean import BULLET
from ..datafiles import read_toml
from ..quotes import Span, find_quotes, paragraphs, sentences
from .cast import Cast
from .mentions import NONE, Mention, Speaker
from .reporting_verbs import CUES, cue_word, is_speech_cue, source_phrase, source_preposition
from .resolver import Resolver

# the writer's sentence so far is a quotation cut off by a comma and its attribution, and
# another comma: the quotation after it goes on with the same words ('"We had," Trump said,
# "an extremely productive meeting."'), British single marks too
_RESUMED = re.compile(r',\s*["”]\s+(?P<d>[^"“”\n]{1,80}),\s*$|,\s*[’\']\s+(?P<s>[^‘’\'\n]{1,80}),\s*$')
_RESUMED_REACH = 160  # characters: the closing mark, the attribution and the commas
_ATTRIBUTION_WORDS = 8  # '"It's hard," said the Florida senator on Tuesday, "because ...'


# a live blog's time stamp opening the line ("16:10 ", "9.40pm: ", "18:15 - "): layout, as
# a list marker is (session 30 summit probe: '16:10 "This is ...," says Vântu.' was partial)
_TIME_STAMP = re.compile(r"^\s*\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*(?:[-\u2013\u2014:|]\s*)?", re.I)


def _resumed(before: str) -> bool:
    """Whether the quotation after `before` resumes one its attribution cut off: the words
    between are a short attribution, not a clause of the writer's ("..., noting that he
    and his wife, Callista, "have talked ..."": a fragment in reported speech)."""
    m = _RESUMED.search(before[-_RESUMED_REACH:])  # its tail: a constant cost per quotation
    if m is None:
        return False
    words = (m.group("d") or m.group("s")).split()
    return len(words) <= _ATTRIBUTION_WORDS and "that" not in words


# words between a quotation's closing mark and its trailing cue: '"...," Ann Lee, 34, said'
_TRAILING_WORDS = read_toml("mentions.toml")["field"]["trailing_words"]
# the tagger's part-of-speech labels of those words (a label set of the parser, not words to tune)
_NOUN_CLAUSES = ("relcl", "acl")  # a clause that describes a noun
_CREDIT_POS = {"PROPN", "NOUN", "DET", "ADJ", "NUM", "PRON"}  # "Ann Lee", "a reader", "the 34-year-old"


@dataclass
class Found:
    section: str
    kind: str
    start: int
    end: int
    speaker: Speaker
    span: Span | None = None
    para: int = 0
    has_cue: bool = False
    rule: str = ""  # the named rule (crosswire.rules) that found the statement or its speaker
    confidence: float | None = None  # reported speech: the fitted filter's probability (crosswire.indirect_filter)
    cue_at: int | None = None  # reported speech: the token index of its cue
    words: str = ""  # the statement's text, set once its field is attributed (the ARTICLE rules read it)


@dataclass
class Frame:
    """One sentence of the writer's text: its bounds, tokens, the quotations opening in it
    and its reporting cues outside quotation marks; its tokens outside quotation marks, and
    of those the verbs and auxiliaries (where most rules look for their cue: listed once
    here, not by each rule)."""
    lo: int
    hi: int
    toks: list
    spans: list
    cues: list
    outside: list
    verbs: list
    k: int = 0  # its place in the field's list of frames (FieldAttributor.frame_list)


def _kept_by_filter(ctx, frame, found: Found) -> bool:
    """Score a reported-speech candidate with the fitted filter (its probability becomes
    the row's confidence) and say whether it clears the threshold."""
    feats = indirect_filter.features(ctx, frame, found)
    found.confidence = indirect_filter.probability(feats)
    return indirect_filter.keep(feats)


UNATTRIBUTED = "unattributed_quote"  # the `rule` of a quotation no speaker rule answered for


def _token_places(doc, paras: list[tuple[int, int]], spans: list[Span]) -> tuple[list[bool], list[int]]:
    """For each token: whether it starts inside a quotation span, and its paragraph's index
    (the last paragraph starting at or before it; 0 before the first). Array work over the
    tokens' offsets rather than a loop over Token objects."""
    import numpy

    idx = doc.to_array("IDX").astype(numpy.int64)
    starts = numpy.array([lo for lo, _ in paras[1:]], dtype=numpy.int64)
    para_of = numpy.searchsorted(starts, idx, side="right")
    if not spans:
        return [False] * len(doc), para_of.tolist()
    # the first span (in list order) that ends after the token: the one it may lie in
    ends = numpy.maximum.accumulate(numpy.array([sp.end for sp in spans], dtype=numpy.int64))
    j = numpy.searchsorted(ends, idx, side="right")
    inside = j < len(spans)
    jj = numpy.minimum(j, len(spans) - 1)
    span_start = numpy.array([sp.start for sp in spans], dtype=numpy.int64)[jj]
    span_end = numpy.array([sp.end for sp in spans], dtype=numpy.int64)[jj]
    in_quote = inside & (span_start <= idx) & (idx < span_end)
    return in_quote.tolist(), para_of.tolist()


def _sentence_of(tok_starts: list[int], frames: list[tuple[int, int]]) -> list[int]:
    """For each token (by its start offset): the index of the last frame (the writer's
    sentence) starting at or before it."""
    import numpy

    starts = numpy.array([lo for lo, _ in frames[1:]], dtype=numpy.int64)
    return numpy.searchsorted(starts, numpy.array(tok_starts, dtype=numpy.int64), side="right").tolist()


_COMPLEMENTS = ("ccomp", "xcomp", "dobj", "oprd", "attr", "acomp")
# a break between a cue and the quotation after it: the words are no longer the cue's report
# ('..., but Moscow denies -- "why wouldn't you ...?" asked Dunn')
_SET_APART = re.compile(r"[—–;:]|\s-\s")


def _reports(cue, tok) -> bool:
    """tok stands in what `cue` reports: the walk up from it reaches the cue through one of
    its complements (not through a second cue coordinated with it, '"A," Lee said, "B," she
    added')."""
    if cue.dep_ in ("relcl", "acl") or sum(c.dep_ == "nsubj" for c in cue.children) > 1:
        # 'Nothing the president said "will assuage ...," the senator said': a relative
        # clause, which the parse may also read as a verb with two subjects
        return False
    a = tok
    for _ in range(12):
        if a.head.i == cue.i and a.i != cue.i:
            return a.dep_ in _COMPLEMENTS
        if a.head.i == a.i:
            return False
        a = a.head
    return False


def _described_speakers_cue(clause, cue_ids: set):
    """The cue whose subject a relative or participial clause describes (the one who
    speaks), or None when the clause is about a word of what is said."""
    noun = clause.head
    while noun.dep_ in ("appos", "conj", "compound") and noun.head.i != noun.i:
        noun = noun.head
    return noun.head if noun.dep_ in ("nsubj", "nsubjpass") and noun.head.i in cue_ids else None


class FieldAttributor:
    def __init__(self, section: str, text: str, doc, cast: Cast, names):
        self.section, self.text, self.doc, self.cast = section, text, doc, cast
        self.spans = find_quotes(text, multi_paragraph=section == "body")
        self.terms: frozenset[Span] = frozenset()  # quoted terms read as the writer's words (_reported_past_terms)
        self.frames = sentences(text, self.spans)
        self.frame_ends = frozenset(hi for _, hi in self.frames)
        paras = paragraphs(text)
        self.para_bounds = paras
        self.in_quote, self.para_of = _token_places(doc, paras, self.spans)
        self.tok_starts = doc.to_array("IDX").tolist()  # for tok_at: offsets without building a Token each
        # paragraphs of nothing but quotation bring no new people: the pronoun window
        # counts only the writer's own paragraphs
        rank, r = [], 0
        for k in range(len(paras)):
            rank.append(r)
            r += 0 if self._only_quotes(k) else 1
        # token -> its writer's sentence (frame): what a content, a mention or a clause may not
        # run out of, though the parse may ("by about £40m. Chief executive Ann Lee")
        self.sent_of = _sentence_of(self.tok_starts, self.frames)
        self.resolver = Resolver(doc, text, cast, names, self.in_quote, self.para_of, rank or [0], self.sent_of,
                                 story=section == "body")

    def _speaker(self, mention: Mention | None, cue) -> Speaker:
        word = cue_word(cue) if cue is not None else None
        if mention is None:
            return Speaker(None, None, "none", cue=word)
        return mention.speaker(word)

    def cues_for(self, sp: Span, cues: list) -> list:
        """Cues that may govern the quotation, best first: a cue crediting it right after its
        closing mark, its ancestors in the parse, nearest first, then the sentence's other
        cues by distance."""
        if not cues:
            return []
        cue_ids = {c.i for c in cues}
        ranked, above = [], set()
        walled = None  # the cue whose speaker a clause holding the quotation's words describes
        for t in self.doc[self.tok_at(sp.start):self.tok_at(sp.end)]:
            if sp.start <= t.head.idx < sp.end and t.head.i != t.i:
                continue
            a, steps, mine = _governor(t), 0, []
            while steps < 8:
                above.add(a.i)
                if a.i in cue_ids and a not in mine:
                    mine.append(a)
                if a.head.i == a.i:
                    break
                if a.dep_ in _NOUN_CLAUSES and not mine and not t.is_punct:
                    described = _described_speakers_cue(a, cue_ids)
                    if described is not None:
                        # 'Lavrov, who wore a "CCCP" sweatshirt, said ...': the words describe
                        # the speaker; the sentence's cue does not credit them
                        walled = described
                        break
                a, steps = _governor(a), steps + 1
            ranked += [c for c in mine if c not in ranked]
        # a source phrase on a clause above the words ('According to the Kremlin, the talks
        # were "frank" and both sides agreed ...'): it credits them before a cue of another
        # clause that stands nearer
        ranked += [c for c in cues if c not in ranked and c.head.i in above and source_phrase(c) is not None]

        def dist(c):
            return sp.start - c.idx if c.idx < sp.start else c.idx - sp.end
        leading = self._leading_cue(sp, cues)
        if leading is not None:  # 'Lee praises the "frank" talks as Kim admits "we failed"'
            ranked = [leading] + [c for c in ranked if c != leading]
        trailing = self._trailing_cue(sp, cues)
        # a cue above the words that stands before the opening mark: the words sit in its
        # report, and a cue after them reports that report ('Putin called the talks
        # "timely" and "very useful," the Kremlin said': Putin's words, as in any nested report)
        inner = next((c for c in ranked if c.i < self.tok_at(sp.open) and c != trailing
                      and _reports(c, self.doc[self.tok_at(sp.start)])
                      and not _SET_APART.search(self.text, c.idx, sp.open)), None)
        if trailing is not None and inner is not None:
            ranked = [inner] + [c for c in ranked if c != inner]
        elif trailing is not None and not (ranked and trailing.lower_ == "according"):
            # '"...," asked Dunn', '"...," Dunn said': news's own credit; but in 'Lee said it
            # would "fail", according to Reuters' the agency reports Lee's words
            ranked = [trailing] + [c for c in ranked if c != trailing]
        if walled is not None:  # ('..., who wore "CCCP", told ...': no trailing credit either)
            return [trailing] if trailing is not None and trailing != walled else []
        return ranked + sorted((c for c in cues if c not in ranked), key=dist)

    def _leading_cue(self, sp: Span, cues: list):
        """A cue verb written right before the opening mark, a colon or comma at most between
        (`Kim admits "..."`, `Lee said: "..."`), whatever the parse hung the words on."""
        if sp.open == 0:
            return None
        prev = self.doc[self.tok_at(sp.open) - 1] if self.tok_at(sp.open) > 0 else None
        if prev is not None and prev.text in (":", ",") and prev.i > 0:
            prev = self.doc[prev.i - 1]
        return next((c for c in cues if prev is not None and c.i == prev.i and c.pos_ == "VERB"), None)

    def _trailing_cue(self, sp: Span, cues: list):
        """A cue right after the quotation's closing mark and a comma (`"...," said Dunn`,
        `"...," Dunn said`, `"...?" asked a reader`), however the parse hung the quotation:
        only a few words that name someone stand between them (no verb, no "but", no "then")."""
        if sp.close is None or sp.close + 1 >= len(self.text) or self.text[sp.close - 1] not in ",?!" \
                and self.text[sp.close + 1:sp.close + 2] != ",":
            return None
        for c in cues:
            if c.idx <= sp.close:
                continue
            between = [t for t in self.doc[self.tok_at(sp.close + 1):c.i] if not t.is_punct]
            if len(between) <= _TRAILING_WORDS and all(t.pos_ in _CREDIT_POS for t in between) \
                    and "\n" not in self.text[sp.close:c.idx]:
                return c
            break
        return None

    def frames_of_field(self) -> list[Frame]:
        out = []
        for k, (lo, hi) in enumerate(self.frames):
            toks = [t for t in self.doc[self.tok_at(lo):self.tok_at(hi)] if t.idx < hi]
            spans = self.spans[bisect_left(self.spans, lo, key=_span_open):bisect_left(self.spans, hi, key=_span_open)]
            outside = [t for t in toks if not self.in_quote[t.i]]
            # a run-in label's verb ("WHAT HE SAID:") is no verb of the sentence after it
            apart = self.resolver.set_apart
            out.append(Frame(lo, hi, toks, spans, [t for t in outside if is_speech_cue(t) and t.i not in apart],
                             outside, [t for t in outside if t.pos_ in ("VERB", "AUX") and t.i not in apart], k))
        return out

    def run(self) -> list[Found]:
        """Every statement of the field: quotations with the speaker the first rule of
        rules.SPEAKER (own sentence) or rules.CONTEXT (neighbouring text) finds, reported
        speech from the rules of rules.REPORTED, less what a rule of rules.NOT_STATEMENT
        rejects. Rules are tried in registry order; each statement records its rule."""
        found: list[Found] = []
        reported: list[Found] = []
        self.frame_list = self.frames_of_field()
        for frame in self.frame_list:
            para = self.para_of[frame.toks[0].i] if frame.toks else 0
            for sp in frame.spans:
                f = Found(self.section, self._kind(sp, frame.lo, frame.hi), sp.start, sp.end,
                          NONE, sp, para)
                _first_answer(rules.SPEAKER, f, self, frame)
                found.append(f)
            for rule in rules.REPORTED:
                for r in rule.fn(self, frame):
                    clash = [g for g in reported if g.start < r.end and r.start < g.end]
                    if clash and not all(self._reports(r, g) for g in clash):
                        continue
                    r.rule = r.rule or rule.name
                    kept = _kept_by_filter(self, frame, r)
                    # the outer report replaces the inner ones it holds when the filter is as
                    # sure of it as of them, even under the threshold: the kept inner report
                    # says the sentence reports something, the comparison says whose words
                    # (not for the open rules' guesses of any verb: their threshold is their test)
                    outer = bool(clash) and r.rule not in indirect_filter.OPEN_RULES
                    if (kept or outer) and all(r.confidence >= (g.confidence or 0) for g in clash):
                        reported[:] = [g for g in reported if g not in clash]
                        reported.append(r)
        reported = [r for r in reported if not any(self._share_of_finding(g, r) for g in reported)]
        found.sort(key=lambda f: f.start)
        quotes = list(found)
        found = sorted(found + reported, key=lambda f: f.start)
        # before the filters, only named people carry: speaker work never changes which
        # quotations are kept
        self._context_pass(quotes, found, known=_named_person)
        found = _merge_chains(found)
        kept = [f for f in found if not self._not_statement(f)]
        dropped = [f.span for f in found if f.kind != "indirect" and f.span is not None and f not in kept]
        if dropped:
            kept = sorted(kept + self._reported_past_terms(dropped, kept), key=lambda f: f.start)
        # once what is a statement is settled: speakers that are mentioned but not named
        # ("a senior official", "the report") carry on too, and last the governing subject
        quotes = [f for f in kept if f.kind != "indirect"]
        for f in quotes:
            if f.rule == UNATTRIBUTED and not f.speaker.known:
                f.rule = None
        self._context_pass(quotes, kept, known=lambda sp: sp.known)
        for f in quotes:
            if f.rule == UNATTRIBUTED:
                f.rule = None
                _first_answer(rules.LAST_RESORT, f, self, None)
                f.rule = f.rule or UNATTRIBUTED
        return kept

    def _reported_past_terms(self, terms: list[Span], kept: list[Found]) -> list[Found]:
        """Reported speech whose content holds a quoted term that is no statement ('The
        minister said the so-called "coalition of the willing" would meet on Sunday': the
        content may not hold quoted words, which are a quotation's, so the sentence had none):
        the rules of rules.REPORTED again on those sentences, the terms read as the writer's
        words; only candidates that hold a term and overlap nothing kept, judged by the
        filter as any."""
        self.terms = frozenset(terms)
        out: list[Found] = []
        try:
            for frame in self.frame_list:
                if not any(frame.lo <= sp.open < frame.hi for sp in terms):
                    continue
                for rule in rules.REPORTED:
                    for r in rule.fn(self, frame):
                        if not any(r.start <= sp.open and (sp.close or sp.end) < r.end for sp in terms) \
                                or any(g.start < r.end and r.start < g.end for g in kept + out):
                            continue
                        r.rule = r.rule or rule.name
                        if _kept_by_filter(self, frame, r) and not self._not_statement(r):
                            out.append(r)
        finally:
            self.terms = frozenset()
        return out

    def _reports(self, outer: Found, inner: Found) -> bool:
        """Does outer's content hold all of inner, its cue and its speaker ("A poll found
        that 51 percent said they would ...": the poll's report holds the 51 percent's)? The
        outer report is the statement of the sentence then, the inner one part of what it
        reports. Not when the inner speaker stands outside ("The council approved a
        resolution condemning ...": the council's own words)."""
        if inner.cue_at is None or not (outer.start <= inner.start and inner.end <= outer.end):
            return False
        cue, mention, held = self.doc[inner.cue_at], inner.speaker.mention, self.text[outer.start:outer.end]
        return outer.start <= cue.idx < outer.end and inner.cue_at != outer.cue_at \
            and bool(mention) and mention in held

    def _share_of_finding(self, outer: Found, inner: Found) -> bool:
        """Is inner a share of those a survey or a document counted, continuing outer's finding
        in its sentence ("The poll found Lee ahead, with 40 percent backing her", "..., while 23
        percent favored Gale")? The breakdown is part of what the poll found, not a statement
        of the 40 percent: the outer report is the statement (crosswire/data/nested_reports.toml)."""
        at = inner.speaker.at
        if outer is inner or at is None or at[0] < outer.end or inner.start < outer.end:
            return False
        data = read_toml(_NESTED)
        if outer.speaker.kind != "document" and outer.rule not in data["finding_rules"]:
            return False
        k = bisect_right(self.frames, (outer.start, float("inf"))) - 1
        if k < 0 or at[1] > self.frames[k][1]:
            return False  # not in outer's sentence
        toks = [t for t in self.doc[self.tok_at(outer.end):self.tok_at(at[1])] if not t.is_space]
        if sum(not t.is_punct for t in toks) > data["reach"]:
            return False
        # the breakdown opens after a comma with its joining word, or after a colon or semicolon
        opens = [k for k, t in enumerate(toks) if t.text in (":", ";") or
                 t.lower_ in data["continuations"] and k > 0 and toks[k - 1].text == ","]
        return bool(opens) and any(t.lower_ in data["shares"] for t in toks[opens[-1]:])

    def _context_pass(self, quotes: list[Found], found: list[Found], known) -> None:
        """The CONTEXT rules for every quotation still without a speaker that `known`
        accepts; a quotation no rule answers for is `unattributed_quote`."""
        self.known = known
        for k, f in enumerate(quotes):
            if not known(f.speaker):
                _first_answer(rules.CONTEXT, f, self, (k, quotes, found))
            if not f.rule:
                f.rule = UNATTRIBUTED

    def tok_at(self, char: int) -> int:
        """The first token starting at or after `char` (rules and the filter read spans by it)."""
        return bisect_left(self.tok_starts, char)

    def according(self, cue) -> Mention | None:
        """The source of "according to X": X as the resolver knows it, else X read as a
        speaker with the phrase that says whose it is ("a tally by the Associated Press",
        "interviews with party leaders"); None when it names no one."""
        to = source_preposition(cue)
        for c in to.children:
            if c.dep_ == "pobj" and not self.in_quote[c.i]:
                m = self.resolver.by_tok.get(c.i) or self.resolver._resolve(c, True, True)
                return m if m is not None and m.can_speak else None
        return None

    def _kind(self, sp: Span, lo: int, hi: int) -> str:
        if sp.continued or sp.family in ("turn", "post"):  # a transcript's turn, a post: said in full
            return "direct"
        # a list marker opening the line ("- ", "• ", "2. ") is layout, not words before it
        before = _TIME_STAMP.sub("", BULLET.sub("", self.text[lo:sp.open])).rstrip()
        close = sp.close + 1 if sp.close is not None else sp.end
        after = self.text[close:hi].strip()
        quoted = self.text[sp.start:sp.end].lstrip("[(.…")
        upper = quoted[:1].isupper() or quoted[:1].isdigit()
        if not before or before.endswith(":"):
            return "direct"
        # a dash introduces a capitalised sentence as a comma does (`He was blunt — "We ...,"`);
        # a name or title set off by dashes (`a referendum — "No to X" — for June`) is no sentence
        dashed = before.endswith(("—", "–", " -")) and quoted.rstrip()[-1:] in ",.!?…"
        if upper and (before.endswith(",") or dashed or before.split()[-1].lower() in CUES):
            return "direct"
        if upper and (not after or after[0] in ",.!?;" and not before[-1].isalnum()):
            return "direct"
        if _resumed(before):
            return "direct"  # '"We had," Trump said, "an extremely productive meeting."': its second half
        return "partial"

    def _intro_speaker(self, para: int, known=None) -> Speaker | None:
        """`Mr Smith said on Monday:` closing the previous paragraph introduces the next."""
        if para < 0:
            return None
        lo, hi = self.para_bounds[para]
        if not self.text[lo:hi].rstrip().endswith(":"):
            return None
        cues = [t for t in self.doc if lo <= t.idx < hi and not self.in_quote[t.i] and is_speech_cue(t)]
        for cue in reversed(cues):
            m = self.resolver.subject_of(cue)
            if m and m.can_speak and (known or _named_person)(self._speaker(m, cue)):
                return self._speaker(m, cue)
        return None

    def _only_quotes(self, para: int) -> bool:
        lo, hi = self.para_bounds[para]
        pos = lo  # no word between the quotations starting in the paragraph
        for sp in self.spans[bisect_left(self.spans, lo, key=_span_start):bisect_left(self.spans, hi, key=_span_start)]:
            if _WORD.search(self.text, pos, sp.start):
                return False
            pos = max(pos, sp.end)
        return not _WORD.search(self.text, pos, hi)

    def _not_statement(self, f: Found) -> bool:
        return any(r.fn(self, f) for r in rules.NOT_STATEMENT)

    def para_start(self, char: int) -> int:
        k = bisect_right(self.para_bounds, (char, float("inf"))) - 1  # bisect: linear in all
        return self.para_bounds[k][0] if k >= 0 and char < self.para_bounds[k][1] else 0


_WORD = re.compile(r"\w")
_NESTED = "nested_reports.toml"


def _span_open(sp: Span) -> int:
    return sp.open


def _span_start(sp: Span) -> int:
    return sp.start


def _governor(tok):
    """The word tok's clause hangs on: its head, but for a second that-clause the parse
    coordinated with the first ("said that they welcomed X but that \"...\""), the verb both
    complete ("said"), not the first clause's verb."""
    h = tok.head
    if tok.dep_ == "conj" and h.dep_ == "ccomp" and h.head.i != h.i \
            and any(c.dep_ == "mark" and c.lower_ == "that" for c in tok.children):
        return h.head
    return h


def _merge_chains(found: list[Found]) -> list[Found]:
    """A quotation run over several paragraphs becomes one statement from its first
    opening mark to its last closing one (inner paragraph breaks and marks included)."""
    out: list[Found] = []
    for f in found:
        prev = next((g for g in reversed(out) if g.kind != "indirect"), None)
        if f.kind != "indirect" and f.span and f.span.continued and prev and prev.span \
                and prev.span.continues:
            best = max((prev, f), key=lambda g: (bool(g.speaker.name), fitted_rate(g)))
            prev.span = Span(prev.start, f.end, prev.span.open, f.span.close, prev.span.family,
                             f.span.continues, prev.span.continued)
            prev.end, prev.speaker, prev.rule, prev.kind = f.end, best.speaker, best.rule, "direct"
            continue
        out.append(f)
    return out


def _first_answer(registry, f: Found, ctx: FieldAttributor, arg) -> None:
    """Give f the speaker of the first rule of `registry` that answers, and that rule's name.
    An answer that names nobody (a reporting verb whose subject the parse does not give)
    lets the later rules try (a headline's `Name:`, a colon, a dash credit); it stands when
    none of them names anyone."""
    first = None
    for rule in registry:
        sp = rule.fn(ctx, f, arg)
        if sp is None:
            continue
        if sp.name or sp.mention:
            f.speaker, f.rule = sp, rule.name
            return
        first = first or (sp, rule.name)
    if first is not None:
        f.speaker, f.rule = first


def _named_person(sp: Speaker) -> bool:
    return bool(sp.name) and sp.kind == "person"


def fitted_rate(f: Found) -> float:
    """The rate of right rows fitted for f's rule and resolution (crosswire/data/confidence.toml,
    the table statements' `confidence` comes from): which of two speakers to trust more."""
    from ..statements import _confidence
    return _confidence(f)
