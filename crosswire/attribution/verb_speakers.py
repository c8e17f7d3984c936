"""Who speaks a reporting verb: its subject, and where the parse gives it none, the speaker
news English puts elsewhere ('"...," added a senior aide', "Ann Lee, an aide, said" with the
name hung on another word, "Lee shared the news, writing ...", the agent of a passive).

A mixin of the Resolver (attribution/resolver.py): its methods read the resolver's mentions
by token (`by_tok`), the names (`name_at`), the quotation and paragraph maps, and resolve a
phrase with `_resolve` when no mention stands there yet.
"""
from __future__ import annotations

from dataclasses import replace

from ..datafiles import read_toml
from ..rules.cues import document_nouns, issue_verbs, lemma_of
from .cast import NAME_TITLES
from .extents import np_bounds
from .mentions import GROUP, Mention
from .reporting_verbs import SPEECH_CUES, is_next_act, is_speech_cue, next_act_clause

# tokens back from a participle to the clause it continues: "X did Y last week, writing"
_WORDS = read_toml("mentions.toml")["verb_speakers"]  # where each reach came from: that file
_CLAUSE_REACH = _WORDS["clause_reach"]
# tokens after an inverted verb where its speaker may stand ('"...," added a senior aide')
_INVERTED_REACH = _WORDS["inverted_reach"]
# tokens back from a verb to a name whose appositive stands between them ("Ann Lee, an aide, said")
_NAME_BEFORE_APPOSITIVE_REACH = _WORDS["name_before_appositive_reach"]
# tokens back from such a verb to the ", who" of the relative clause after the name
_RELATIVE_REACH = _WORDS["relative_clause_reach"]
# "after", "before", ... opening a clause the parser made of a participle's phrase
_TIME_MARKS = frozenset(_WORDS["time_marks"])


_FINITE = ("VBD", "VBZ", "VBP", "MD")


def before_its_that(participle, clause) -> bool:
    """Does `participle` stand before the "that" of `clause`, a reported clause?"""
    return clause.dep_ == "ccomp" and any(g.dep_ == "mark" and g.lower_ == "that" and g.i > participle.i
                                          for g in clause.children)


def _noun_content_clause(v) -> bool:
    """v is the verb of the that-clause of a noun that a verb takes as its object ("denied a
    report that Trump had ordered ...")."""
    noun = v.head
    return v.dep_ == "acl" and any(c.dep_ == "mark" and c.lower_ == "that" for c in v.children) \
        and noun.dep_ == "dobj" and noun.head.pos_ in ("VERB", "AUX")


def _report_citing(verb):
    """The report a closing "citing ..." belongs to ("The paper reported that Putin demanded
    Donetsk, citing people familiar with the talks", the parse hanging "citing" on the
    reported clause's verb): the reporter cites, not the clause's subject. None otherwise."""
    clause = verb.head
    if verb.tag_ != "VBG" or verb.dep_ != "advcl" or lemma_of(verb.lower_) != "cite" or clause.i > verb.i \
            or clause.dep_ != "ccomp" or not is_speech_cue(clause.head):
        return None
    return clause.head


def _opening_participle(c) -> bool:
    """A participle opening the sentence that the parse made the verb's clausal subject
    ("Asked whether he trusted Putin, Trump replied"): the setting, not who speaks."""
    return c.dep_ == "csubj" and c.tag_ in ("VBN", "VBG") and c.i == c.sent.start


def _colon_between(tok, verb) -> bool:
    """A colon stands between tok and the verb it comes before."""
    return tok.i < verb.i and any(t.text == ":" for t in tok.doc[tok.i + 1:verb.i])


class VerbSpeakers:
    """The speaker of a reporting verb (subject_of) and of the quoted words a verb governs
    (governing_subject)."""

    def subject_of(self, verb) -> Mention | None:
        """The speaker of a reporting verb: its subject, or the subject of the verb it is
        coordinated with or subordinate to ("Mr Trump told reporters, adding: ...")."""
        agent = self._agent_of(verb) or self._object_quoted_as(verb) or self._subject_across_a_participle(verb) \
            or self._met_by_the_writer(verb)
        if agent is not None:
            return agent
        report = _report_citing(verb)
        if report is not None:
            return self.subject_of(report)
        if self._inverted_after_quotation(verb):
            inverted = self._after_inverted(verb)
            if inverted is not None and inverted.can_speak:
                return inverted
        v, found = self._out_of_reported_clause(verb), None
        for _ in range(6):
            # not a bare "that" ("... said that was not her view and dismissed ...")
            # (not the subject of the cue in the passive: "Steph is said to be 'heartbroken'" is
            # what others say of her)
            subjects = [c for c in v.children if c.i in self.by_tok and self.by_tok[c.i].subject
                        and self.by_tok[c.i].kind is not None and (
                c.dep_ == "nsubj" or c.dep_ == "nsubjpass" and v.i != verb.i or c.i in self.age_subjects)]
            # two subjects (a title split off its name: "Capt. Christian Pardo"): the person;
            # not one a colon parts from the verb, a run-in label the parse made a subject
            # ("Zoom out: Trump had threatened ...")
            subjects.sort(key=lambda c: (_colon_between(c, v), not self.by_tok[c.i].person))
            if not subjects and found is not None and not found.person and v.i < verb.i and is_speech_cue(v):
                # a speech verb above with no subject of its own ("Witkoff was quoted as saying
                # Russia had agreed ..."): its speaker, found its own way, outranks the body below
                outer = self.subject_of(v)
                if outer is not None and outer.person:
                    return outer
            for c in subjects[:1]:
                m = self.by_tok[c.i]
                if found is None:
                    found = m
                if m.person:  # a person up the chain outranks a body below it ("X said
                    return m    # Russia was ... but flagged ...": X)
            up = ("conj", "advcl", "xcomp", "pcomp") + (("ccomp",) if found is not None else ())
            if found is None and self._on_adverbial_noun(v):
                v = v.head.head.head  # "Lee battled the council, at one point calling ...": Lee
                continue
            if found is not None and v.i == verb.i and found.tok in {c.i for c in v.children} \
                    and not (v.dep_ == "ccomp" and is_speech_cue(v.head)):
                # the cue's own subject speaks, unless the cue reports what someone else said
                # ("Lee said the company warned ..."): not "He proposed X, but analysts
                # agreed ...", "While his aides suggested ..., Obama is ..."
                break
            controller = self._controller(v) if found is None and v.dep_ == "xcomp" else None
            if controller is not None:
                return controller
            if v.dep_ in up and v.head.i != v.i and self.sent_of[v.head.i] == self.sent_of[v.i]:
                came_by, came = v.dep_, v
                v = v.head
                if found is None and came_by == "advcl" and before_its_that(came, v):
                    # "CNN reported, citing two sources, that Putin ...": the participle the
                    # parse hung on the that-clause stands before its "that": the cue's
                    v = v.head
                if found is None and came_by == "advcl" and _noun_content_clause(v):
                    # "The White House denied a report that Trump had ordered a pause, calling it
                    # ...": the participle goes with the verb the report is the object of
                    v = v.head.head
                if found is None and v.pos_ not in ("VERB", "AUX") and not self.in_quote[v.i]:
                    v = _verb_above(v, came_by) or v
                if found is not None and v.dep_ != "conj" and not is_speech_cue(v):
                    continue
            else:
                break
        # a subject inside the quotation ('"Meh," wrote a reader', parsed with "Meh" as the
        # subject) is the quoted words, not the speaker
        if found is None and verb.dep_ == "acl" and verb.head.i in self.age_subjects and verb.head.i in self.by_tok:
            return self.by_tok[verb.head.i]  # '"...?" the 43-year-old asked', the verb hung on "old"
        if found is None and any(_opening_participle(c) for c in verb.children) and not any(
                c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
            # "Asked whether he trusted Putin, Trump replied": the name the parse hung on the
            # question, right before the verb
            return self._left_neighbour(verb) or self._named_before_appositive(verb)
        if found is None and not any(c.dep_ in ("nsubj", "nsubjpass", "csubj") and not self.in_quote[c.i]
                                     for c in verb.children):
            return self._after_inverted(verb) or self._object_before_participle(verb) or self._left_neighbour(verb) \
                or self._named_before_appositive(verb) or self._named_before_relative_clause(verb) \
                or self._noun_modified(verb) \
                or self._clause_before_participle(verb) or self._shared_subject_before(verb)
        return found

    def _object_quoted_as(self, verb) -> Mention | None:
        """`RIA quoted Yuri Ushakov as saying ...`, `cited an aide as saying ...`: the words
        are the object's, whom the verb's subject reports (the inner speaker, as in any
        nested report); the participle hangs on "as" after that object."""
        prep = verb.head
        if verb.tag_ != "VBG" or verb.dep_ != "pcomp" or prep.lower_ != "as" or prep.dep_ != "prep":
            return None
        obj = next((c for c in prep.head.children if c.dep_ == "dobj" and c.i < prep.i), None)
        if obj is None or self.in_quote[obj.i] or self.para_of[obj.i] != self.para_of[verb.i]:
            return None
        m = self.by_tok.get(obj.i) or self._resolve(obj, True, False)
        if m is None or not m.can_speak:
            return None
        return replace(m, subject=True, via="object_quoted_as")

    @staticmethod
    def _out_of_reported_clause(verb):
        """A cue with no subject that the parse coordinated with the verb of the clause
        another cue reports, in another form ("The envoy said the city should cut its
        patrols and said any attempt would fail": "said" beside "cut", a bare verb after a
        modal): the speaker's next act of speaking, coordinated with the cue above (whose
        subject speaks), not part of what was said ("said the mayor met the union and told
        them ...", "was holding a meeting and told aides ...": forms that coordinate)."""
        h = verb.head
        if verb.dep_ == "ccomp" and is_speech_cue(h) and next_act_clause(h, verb):
            return h  # "said the toll was unfair and asked whether ...", "asked" made a clause of "said"
        if verb.dep_ == "conj" and verb.lower_ not in SPEECH_CUES and is_next_act(verb):
            # a cue of another class ("said the vote was lost and called on the mayor to
            # resign", "said the city needed the bridge to reopen and thanked the crews"): the
            # next act of the cue whose clause it closes, as that clause's content stops
            # before it (rules.indirect._trailing_aside)
            v = h
            while v.dep_ in ("conj", "advcl", "xcomp") and v.head.i != v.i:
                v = v.head
            if v.dep_ == "ccomp" and is_speech_cue(v.head):
                return v.head
        if verb.dep_ != "conj" or not is_speech_cue(verb) or any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
            return verb
        if h.dep_ != "ccomp" or not is_speech_cue(h.head) or h.head.tag_ != verb.tag_:
            return verb
        # "said the city should cut ... and said", "said Lee is to blame and accused him": a
        # finite verb in the form of the cue above, beside a bare or another finite form
        finite_beside_bare = verb.tag_ in ("VBD", "VBZ", "VBP") and h.tag_ in ("VB", "VBD", "VBZ", "VBP") \
            and h.tag_ != verb.tag_
        participle_beside_finite = verb.tag_ == "VBG" and h.tag_ != "VBG"  # "acknowledging that X had
        # ... but warning that"; the cue's own word again after a comma ("said that the police had
        # arrested 12 men, and said more arrests were likely")
        repeated = verb.lower_ == h.head.lower_ and verb.i >= 2 and verb.doc[verb.i - 2].text == "," \
            and verb.doc[verb.i - 1].dep_ == "cc"
        return h.head if finite_beside_bare or participle_beside_finite or repeated else verb

    def _agent_of(self, verb) -> Mention | None:
        """A reporting verb in the passive with its agent ("was called 'a disgrace' by Ann
        Lee", "as described by the auditor"): the agent speaks, not the subject."""
        for c in verb.children:
            if c.dep_ != "agent":
                continue
            for p in c.children:
                if p.dep_ != "pobj" or self.in_quote[p.i]:
                    continue
                # the noun or the name set beside it ("by the auditor, Ann Lee")
                for t in [p] + [a for a in p.children if a.dep_ == "appos"]:
                    m = self.by_tok.get(t.i) or self._resolve(t, True, False)  # "asked by a reporter"
                    if m is not None and m.can_speak:
                        return m
        return None

    def _subject_across_a_participle(self, verb) -> Mention | None:
        """`A Kremlin statement released after the call said ...`: the parser reads "after
        the call said ..." as a clause of time, so that the call seems to speak. A cue hung
        that way on a participle that modifies the sentence's root noun has that noun for
        its subject (the parse of the sentence has no verb of its own otherwise)."""
        p = verb.head
        if verb.dep_ != "advcl" or p.tag_ != "VBN" or p.dep_ != "acl" or p.i > verb.i \
                or not any(c.dep_ == "mark" and c.lower_ in _TIME_MARKS and c.i > p.i for c in verb.children):
            return None
        n = p.head
        if n.dep_ != "ROOT" or n.pos_ not in ("NOUN", "PROPN") or self.in_quote[n.i]:
            return None
        m = self.by_tok.get(n.i) or self._resolve(n, True, True)
        if m is None or not m.can_speak:
            return None
        return self._cut_before(replace(m, subject=True), p.i)

    def _on_adverbial_noun(self, verb) -> bool:
        """A participle the parser hung on the noun of an adverbial phrase ("at one point
        calling ...", "at the time saying ..."), a noun that names no one: it modifies the
        verb that phrase hangs from."""
        n = verb.head
        if verb.dep_ != "acl" or n.dep_ != "pobj" or n.head.dep_ != "prep" or n.i > verb.i:
            return False
        if n.head.head.pos_ not in ("VERB", "AUX") or n.head.head.i > n.i:
            return False
        m = self.by_tok.get(n.i)
        if m is None:  # no subject: a noun the word lists know names someone ("an outside
            # group backing Lee", "officials at the ministry saying"): it holds the participle
            return n.pos_ == "NOUN" and self.kind_of(n, *np_bounds(n)) is None
        return not m.can_speak and n.pos_ == "NOUN"

    def _noun_modified(self, verb) -> Mention | None:
        """`..., the party's nominee, Ann Lee, tweeted`, parsed as a verb modifying the noun
        before it: that noun; for a document someone issued ("sent a release saying"), who
        issued it."""
        h = verb.head
        if verb.dep_ != "acl" or h.i >= verb.i or h.pos_ not in ("NOUN", "PROPN") or self.in_quote[h.i] \
                or self.para_of[h.i] != self.para_of[verb.i]:
            return None
        m = self.by_tok.get(h.i) or self._resolve(h, True, False)
        if h.lower_ in document_nouns() or m is not None and m.kind == "document":
            return self._issuer(h, verb, m)
        # someone the words lists know can speak; not "at one point calling ...", "a sign saying"
        ok = m is not None and m.can_speak and m.kind != "document" and (m.person or m.entity or m.kind)
        return self._cut_before(replace(m, subject=True), verb.left_edge.i) if ok else None

    def _cut_before(self, m: Mention, i: int) -> Mention:
        """m without its words from token i on ("an outside group backing Lee" -> "an
        outside group"): a mention ends before the clause that says what it did."""
        doc = self.doc
        if i <= m.tok or doc[i].idx >= m.end:
            return m
        j = i
        while j - 1 > m.tok and (doc[j - 1].is_punct or doc[j - 1].is_space):
            j -= 1
        end = doc[j - 1].idx + len(doc[j - 1])
        return replace(m, end=end, text=self.text[m.start:end]) if end > m.start else m

    def _issuer(self, doc_noun, verb, m: Mention | None) -> Mention | None:
        """Who speaks through a document a participle hangs on: its possessor ("her speech
        denouncing ..."), whoever issued it when it is a verb's object ("the council approved
        a resolution condemning ...", "he blasted out a robocall touting ..."), else the
        document itself when it is the subject ("a Times article hailing him as ...")."""
        poss = next((c for c in doc_noun.children if c.dep_ == "poss" and not self.in_quote[c.i]), None)
        if poss is not None:
            owner = self.by_tok.get(poss.i) or self._resolve(poss, False, False)
            if owner is not None and owner.can_speak and owner.kind != "document" and (owner.person or owner.entity):
                return replace(owner, subject=True)
        if doc_noun.dep_ == "dobj" and doc_noun.head.i != verb.i:
            return self.subject_of(doc_noun.head)
        if doc_noun.dep_ in ("ROOT", "nsubj") and m is not None and m.can_speak:
            return replace(m, subject=True)
        return None

    def _issued_by(self, doc_noun) -> Mention | None:
        """Who put out the document doc_noun when it is the object of a verb of issuing
        ("Lee released an ad", "the Courier published a report"): that verb's subject, a person or
        a body; None for any other noun or verb ("Lee cited a report": not Lee's)."""
        if doc_noun.dep_ != "dobj" or self.in_quote[doc_noun.i] or doc_noun.head.lower_ not in issue_verbs() \
                or doc_noun.lower_ not in document_nouns() and self.kind_of(doc_noun, *np_bounds(doc_noun)) != "document":
            return None
        m = self.subject_of(doc_noun.head)
        if m is None or not m.can_speak or m.kind == "document" or not (m.person or m.entity or m.kind == "person"):
            return None
        return m

    def _inverted_after_quotation(self, verb) -> bool:
        """`Port closure 'a huge mistake', says mayor`: a speech verb right after the comma
        that follows quoted words, the parse having made the words' topic its subject and
        the speaker its object or a second subject (a headline's and a tabloid's order)."""
        doc = self.doc
        if verb.lower_ not in SPEECH_CUES or verb.i < 3 or self.in_quote[verb.i]:
            return False
        # the comma after the quoted words, or inside their closing mark ('"...," says mayor')
        comma = verb.i - 1 if doc[verb.i - 1].text == "," else \
            verb.i - 2 if doc[verb.i - 1].is_quote and doc[verb.i - 2].text == "," else None
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        after = next((c for c in verb.children if c.dep_ in ("dobj", "nsubj") and c.i > verb.i), None)
        if comma is None or subj is None or after is None or subj.i > verb.i:
            return False
        # the subject stands before the quoted words ("'...,' Lee, an aide, told Politico" has
        # its subject after them, and Politico is whom she told)
        return any(self.in_quote[i] for i in range(subj.i + 1, comma))

    def _after_inverted(self, verb) -> Mention | None:
        """`"...," added a South Carolina Democrat`: after a quotation or a comma the
        speaker follows the verb, and the parser often takes it for an object."""
        doc, k = self.doc, verb.i + 1
        if verb.i == 0 or k >= len(doc) or not (doc[verb.i - 1].is_punct or doc[verb.i - 1].is_quote):
            return None
        if verb.tag_ == "VBG":
            return None  # "..., citing the strategic importance of ...": a participle's object
        if self.in_quote[k] or self.para_of[k] != self.para_of[verb.i]:
            return None
        for j in range(k, min(k + _INVERTED_REACH, len(doc))):
            t = doc[j]
            if t.ent_type_ in ("DATE", "TIME"):
                return None  # '"...," Lee, an aide, said Thursday morning': a time, not a speaker
            if t.dep_ == "mark" or t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ccomp" \
                    and t.head.head.i == verb.i and t.head.tag_ in _FINITE:
                # "asked ... whether Putin would ...", "says it's now up to Zelensky": the
                # clause the verb governs, with a subject and a tense of its own
                return None
            named = self._name_mention(j)
            if named is not None and not (t.dep_ in ("compound", "poss", "nmod", "amod") and t.head.pos_ == "NOUN"):
                last = j
                while self.name_at.get(last + 1) == named.person and named.person is not None:
                    last += 1
                if self._quoted_right_after(last):
                    return None
                return replace(named, subject=True)  # a name the tagger took for an adverb
            if t.pos_ in ("NOUN", "PROPN") and t.left_edge.i == k and (t.head.i == verb.i or not k <= t.head.i < j + 4):
                m = self.by_tok.get(j) or self._resolve(t, True, True)
                if m is None or self._quoted_right_after(t.right_edge.i):
                    return None
                return replace(m, subject=True)
            if t.is_punct:
                break
        return None

    def _quoted_right_after(self, last: int) -> bool:
        """Whether quoted words open right after token `last`: then the noun before them is
        what the verb describes, not a speaker set after it ('..., called the meeting
        "timely"', with the verb hung on the noun before the comma)."""
        k = last + 1
        return k + 1 < len(self.doc) and self.doc[k].is_quote and self.in_quote[k + 1]

    def governing_subject(self, lo: int, hi: int) -> Mention | None:
        """The named subject (a person or a named body) of the nearest verb above the
        tokens doc[lo:hi], within three steps up the parse, in the same paragraph."""
        doc = self.doc
        tops = [t for t in doc[lo:hi] if not lo <= t.head.i < hi or t.head.i == t.i]
        if not tops:
            return None
        v, steps = tops[0], 0
        while steps < 4 and v.pos_ not in ("VERB", "AUX") and v.head.i != v.i:
            v, steps = v.head, steps + 1
        if v.pos_ not in ("VERB", "AUX") or self.para_of[v.i] != self.para_of[lo]:
            return None
        for _ in range(2):
            subj = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")]
            if v.dep_ == "relcl" and subj and subj[0].lower_ in ("who", "which", "that") \
                    and v.head.head.pos_ in ("VERB", "AUX"):
                v = v.head.head  # 'Lee endorsed candidates "who embody ..."': Lee's words
                continue
            known = [self.by_tok[c.i] for c in subj if c.i in self.by_tok]
            named = bool(known) and bool(known[0].person or known[0].entity)
            if subj and not named and v.dep_ == "ccomp" and v.head.pos_ in ("VERB", "AUX"):
                # the clause's subject is a thing no one named ("Lee worried that the fund was
                # becoming '...'", "Lee believes the plan is '...'"): the words are the named
                # subject's of the verb above, if it has one
                upper = [self.by_tok[c.i] for c in v.head.children
                         if c.dep_ in ("nsubj", "nsubjpass") and c.i in self.by_tok]
                if upper and _governs(upper[0]):
                    return upper[0]
            if known and _governs(known[0]):
                return known[0]
            if subj and v.dep_ == "ccomp" and v.head.pos_ in ("VERB", "AUX"):
                v = v.head  # "Lee worried that the fund was becoming '...'": Lee's words
                continue
            if known:
                return None
            break
        m = self.subject_of(v)
        return m if m is not None and (m.person or m.entity) else None

    def _name_mention(self, i: int) -> Mention | None:
        """The mention of the person whose name covers token i, if any."""
        name = self.name_at.get(i)
        if name is None:
            return None
        lo = hi = i
        while self.name_at.get(lo - 1) == name:
            lo -= 1
        while self.name_at.get(hi + 1) == name:
            hi += 1
        return next((self.by_tok[k] for k in range(lo, hi + 1)
                     if k in self.by_tok and self.by_tok[k].person == name), None)

    def _named_before_appositive(self, verb) -> Mention | None:
        """`"...," Ann Lee, a senior adviser to the mayor, said` or `On Monday, Col. Ann Lee,
        an army spokeswoman, said`: a verb the parser gave no subject (it hung the name on
        a word before it) right after a name and its appositive between commas, or right
        after a name set off as an appositive itself; the name opens its stretch of the
        sentence (after a quotation, a comma or nothing)."""
        doc, j = self.doc, verb.i - 1
        if j < 2 or doc[j].text != ",":
            return None
        k = j - 1
        while k > 0 and j - k <= _NAME_BEFORE_APPOSITIVE_REACH and not self.in_quote[k] and not doc[k].is_quote \
                and self.para_of[k] == self.para_of[verb.i] and not doc[k].is_sent_start:
            m = self._name_mention(k)
            if m is not None:
                lo, end = k, k
                while self.name_at.get(lo - 1) == m.person:
                    lo -= 1
                while self.name_at.get(end) == m.person:
                    end += 1
                opens = lo == 0 or doc[lo].is_sent_start or doc[lo - 1].is_punct or self.in_quote[lo - 1] \
                    or doc[lo - 1].lower_ in NAME_TITLES or doc[lo - 1].text == "."
                # (or the name is the appositive, last before the verb: "Speaking to reporters,
                # a spokesman for the ministry, Ann Lee, said", all hung on the participle)
                if (end < j and doc[end].text == "," or end == j and lo > 0 and doc[lo - 1].text == ",") and opens:
                    return replace(m, subject=True, via="named_before_appositive")
                k = lo
            k -= 1
        return None

    def _named_before_relative_clause(self, verb) -> Mention | None:
        """`Ann Lee, who was making her first visit since the strike began, called the deal
        "timely"`: a long relative clause can lead the parser to hang the verb on a noun
        inside it, leaving it no subject; the name before ", who ... ," is the speaker."""
        doc, j = self.doc, verb.i - 1
        if j < 3 or doc[j].text != ",":
            return None
        for k in range(j - 1, max(1, j - _RELATIVE_REACH), -1):
            if self.in_quote[k] or self.sent_of[k] != self.sent_of[verb.i] or doc[k].text in (".", ";", ":"):
                return None
            if doc[k].lower_ in ("who", "whom") and doc[k - 1].text == ",":
                if self._name_mention(k - 2) is None:
                    return None
                head = doc[k - 2]  # the whole subject when names are coordinated ("Lee and Bell, who ...")
                while head.dep_ in ("conj", "compound", "flat") and head.head.i < head.i:
                    head = head.head
                m = self.by_tok.get(head.i) or self._name_mention(k - 2)
                return replace(m, subject=True, via="named_before_relative_clause")
        return None

    def _object_before_participle(self, verb) -> Mention | None:
        """`The killings have left 62 percent of voters saying ...`, `The poll found most
        donors backing ...`: a participle right after the object of the verb it hangs on,
        no comma between, says what that object does (set off by a comma, `Lee praised
        Ruiz, saying ...`, it is the subject's). The object must name a speaker."""
        doc, h = self.doc, verb.head
        if verb.tag_ != "VBG" or verb.dep_ not in ("advcl", "xcomp", "ccomp") or h.i >= verb.i \
                or doc[verb.i - 1].is_punct:
            return None
        obj = next((c for c in h.children if c.dep_ == "dobj" and c.right_edge.i == verb.i - 1), None)
        if obj is None or self.in_quote[obj.i] or self.para_of[obj.i] != self.para_of[verb.i]:
            return None
        m = self.by_tok.get(obj.i) or self._resolve(obj, True, False)
        if m is None or not m.can_speak or m.kind in (None, "document"):
            return None
        return replace(m, subject=True, via="object_before_participle")

    def _controller(self, v) -> Mention | None:
        """Who does what an object-controlled verb says: `prompted Lee to call the plan "a
        mess"`, `the ad shows footage of Lee saying "..."` -- the person the governing verb
        takes as its object, or the person named right before the participle, not that
        verb's subject."""
        h = v.head
        objs = [c for c in h.children if c.dep_ == "dobj" and c.i < v.i and c.i in self.by_tok]
        left = self._name_mention(v.i - 1) if v.tag_ == "VBG" else None
        for m in [self.by_tok[c.i] for c in objs] + [left]:
            if m is not None and m.person and m.can_speak and self.para_of[m.tok] == self.para_of[v.i]:
                return replace(m, subject=True)
        return None

    def _clause_before_participle(self, verb) -> Mention | None:
        """`Ann Lee shared the news last week, writing "..."`: a participle after a comma
        that the parser hung on the quoted words (so no subject reaches it) says what the
        subject of the clause before it did: the speaking subject of the nearest verb to its
        left in the same sentence."""
        doc = self.doc
        if verb.tag_ != "VBG" or verb.i < 2 or doc[verb.i - 1].text != ",":
            return None
        for j in range(verb.i - 2, max(0, verb.i - _CLAUSE_REACH) - 1, -1):
            t = doc[j]
            if self.para_of[j] != self.para_of[verb.i] or not self.in_quote[j] and t.text in (".", "?", "!", ";"):
                return None  # the writer's sentence ends: the parser's sentences break at quotations
            if self.in_quote[j] or t.is_quote or t.pos_ not in ("VERB", "AUX"):
                continue  # over a quotation too: "X dismissed it -- 'a joke' -- and, asked again, saying"
                continue
            subj = [self.by_tok[c.i] for c in t.children
                    if c.dep_ in ("nsubj", "nsubjpass") and c.i in self.by_tok]
            if subj and subj[0].can_speak:
                return replace(subj[0], subject=True, via="clause_before_participle")
        return None

    def _shared_subject_before(self, verb) -> Mention | None:
        """`Zelensky rules out ceding territory, says Ukraine 'will not ...'`: a headline's
        second verb after a comma, with no subject, that the parse made the first clause a
        complement of: the first clause's subject speaks (as rules.indirect reads "X did A,
        then says B")."""
        doc = self.doc
        if verb.tag_ not in ("VBZ", "VBD") or verb.i < 2 or doc[verb.i - 1].text != ",":
            return None
        first = next((c for c in verb.children if c.dep_ == "ccomp" and c.i < verb.i), None)
        if first is None or not any(c.dep_ in ("ccomp", "dobj") and c.i > verb.i for c in verb.children):
            return None
        subj = [self.by_tok[c.i] for c in first.children if c.dep_ in ("nsubj", "nsubjpass") and c.i in self.by_tok]
        if subj and subj[0].can_speak:
            return replace(subj[0], subject=True, via="shared_subject_before")
        return None

    def _met_by_the_writer(self, verb) -> Mention | None:
        """The one the writer spoke to: a verb in, or hung on, a relative clause whose subject
        is the writer ("A former diplomat I spoke to put it bluntly", "One trader we met said",
        which the parse makes "said" a clause of "spoke") speaks for the noun the clause
        describes, not for "I"."""
        v = verb
        while v.dep_ in ("xcomp", "conj") and v.head.i != v.i:
            v = v.head
        if v.dep_ != "relcl" or v.lower_ not in _WORDS["writer_met"] \
                or not any(c.dep_ == "nsubj" and c.lower_ in ("i", "we") for c in v.children):
            return None
        head = v.head
        if head.pos_ not in ("NOUN", "PROPN") or self.in_quote[head.i]:
            return None
        m = self.by_tok.get(head.i) or self._resolve(head, True, True)
        return replace(m, subject=True) if m is not None and m.can_speak else None

    def _left_neighbour(self, verb) -> Mention | None:
        """A mention right before a verb the parser gave no subject ("Trump described
        ...", parsed as a modifier): the speaker in all but the parse."""
        j = verb.i - 1
        # skip "also", "has", "not" -- but not a name the tagger took for an adverb ("Early
        # described it as ...": Rex Early)
        while j >= 0 and self.doc[j].dep_ in ("advmod", "aux", "neg") and verb.i - j <= 3 \
                and self._name_mention(j) is None:
            j -= 1
        m = self.by_tok.get(j)
        if m is not None and (m.person or m.entity) and self.para_of[j] == self.para_of[verb.i]:
            return replace(m, subject=True, via="left_neighbour")
        return None



def _governs(m: Mention) -> bool:
    """A subject whose verb's quoted words are its own: a named person or body, or a
    document ("The ad targets a '...'", "the report found 'no evidence'")."""
    return bool(m.person or m.entity) and m.resolution != "none" or m.kind == "document" \
        and m.text.split()[0].lower() not in GROUP | {"whose", "its", "his", "her", "their"}


def _verb_above(t, came_by: str):
    """The verb a participle or a coordinated verb hangs from when the parser put a word
    between them: "he was back to boasting about ..." (boasting -> to -> back -> was), "He
    adopted an accent and joked, ..." (joked, coordinated with the object, -> adopted).
    Climbs two steps at most, through a preposition, an adverb or an adjective, or through
    the noun a verb was coordinated with; None when no verb is reached."""
    for _ in range(2):
        nominal = t.pos_ in ("NOUN", "PROPN") and came_by == "conj"
        if t.pos_ not in ("ADP", "ADV", "ADJ") and not nominal or t.head.i == t.i \
                or t.dep_ not in ("prep", "advmod", "dobj", "pobj", "acomp", "attr"):
            return None
        if t.pos_ == "ADJ" and any(c.dep_ in ("nsubj", "expl") and c.lower_ in ("it", "there")
                                   for c in t.head.children):
            return None  # "It is worth noting that ...", "it is fair to say": the writer's voice
        t = t.head
        if t.pos_ in ("VERB", "AUX"):
            return t
    return None
