"""The Resolver: every subject and named person of one field, in text order, resolved to
whom it names.

A mention is resolved by name (the cast's names, an appositive, a title cut off its name),
by title or role ("the Russian President" when the cast or dated roles say who), as a body,
a document, an unnamed source or a group (crosswire.speaker_kinds), or by referring back
(attribution/antecedents.py). Who speaks a reporting verb is attribution/verb_speakers.py.
"""
from __future__ import annotations

import re
from dataclasses import replace

from .. import datelines, speaker_kinds
from ..datafiles import read_toml
from ..quotes import furniture_label, run_in_caps_head
from ..rules.cues import label_max_words
from ..speakers import PERSON_NOUNS, RoleKey, counterpart_offices, is_age, places_in, places_of, role_key
from .antecedents import Antecedents
from .cast import DEMONYMS, NAME_TITLES, Cast, described_as_a_person, quantified, short_forms
from .extents import APPOS_REACH, PRONOUN_HEADS, closes_bracket, joins, np_bounds, np_extended, set_off_at
from .mentions import GROUP, POSS_GENDER, PRONOUNS, Mention, is_body_name, name_by_owner, org_name
from .reporting_verbs import SPEECH_CUES, is_source_object, is_speech_cue, verb_read_as_noun
from .verb_speakers import VerbSpeakers


_WORDS = read_toml("mentions.toml")["resolver"]  # where each list came from: that file
# nouns that re-describe a person already in the story rather than name a new one
_ANAPHORIC_NOUNS = frozenset(_WORDS["anaphoric_nouns"]) | DEMONYMS
_NOUN_GENDER = {**{w: "m" for w in _WORDS["masculine_nouns"]}, **{w: "f" for w in _WORDS["feminine_nouns"]}}
# entity types that are never a person's name
_NOT_PERSON_ENTS = frozenset(_WORDS["not_person_entities"])
# entity types of a proper noun set beside a person's title that is not that person's name
# ("the mayor, Dayton," is a place); ORG stays: the tagger gives it to unfamiliar names
_NOT_NAME_APPOS = _NOT_PERSON_ENTS - {"ORG"}
class Resolver(Antecedents, VerbSpeakers):
    """Resolves mentions in text order within one field of one article."""

    def __init__(self, doc, text: str, cast: Cast, names: list[tuple[int, int, str]], in_quote: list[bool],
                 para_of: list[int], rank: list[int], sent_of: list[int], story: bool = False):
        # text: doc.text, which spaCy builds from every token on each access; story: the field
        # is the story's body, whose start may hold a dateline in capitals with a colon
        self.doc, self.text, self.cast, self.in_quote, self.para_of = doc, text, cast, in_quote, para_of
        self.story = story
        # token -> the writer's sentence (crosswire's frames): a mention never runs from one
        # into the next, though the parse may ("by about £40m. Chief executive Ann Lee")
        self.sent_of = sent_of
        self.rank = rank  # paragraph -> count of narrative paragraphs before it
        self.name_at: dict[int, str] = {}
        for s, e, n in names:
            for i in range(s, e):
                self.name_at[i] = n
        self.first_named: dict[str, int] = {}  # name -> its first token: who was named before a point
        for i in sorted(self.name_at):
            self.first_named.setdefault(self.name_at[i], i)
        self.history: list[Mention] = []
        self.by_tok: dict[int, Mention] = {}
        self.age_subjects: set[int] = set()
        # tokens set apart for attribution: never a mention, a subject or a cue, the parse
        # notwithstanding (a dateline, a run-in label)
        self.set_apart = self._dateline_tokens() | self._run_in_label_tokens() | self._run_in_head_tokens()
        self._build(names)

    def _dateline_tokens(self) -> set[int]:
        """Tokens of a dateline opening a paragraph ("CLEVELAND —", "ORLANDO, Fla. -",
        "New Delhi, Aug 16 (PTI)"; crosswire.datelines): a place, never a speaker, though the
        parser often makes it the subject."""
        doc, text, out = self.doc, self.text, set()
        starts = [t for t in doc if t.i == 0 or self.para_of[t.i] != self.para_of[t.i - 1]]
        for t in starts:
            d = datelines.match(text, t.idx, story=self.story)
            k = t.i
            while d is not None and k < len(doc) and doc[k].idx < d.end:
                out.add(k)
                k += 1
        return out

    def _run_in_head_tokens(self) -> set[int]:
        """Tokens of a run-in head in capitals opening a paragraph, with its dash ("IOWA
        POLLS NOT WRONG, JUST EARLY - Ann Lee: ..."): a newsletter's header, never the
        speaker of what follows it."""
        doc, text, out = self.doc, self.text, set()
        for t in doc:
            if t.i > 0 and self.para_of[t.i] == self.para_of[t.i - 1] or t.is_space:
                continue
            para_end = text.find("\n", t.idx)
            end = run_in_caps_head(text, t.idx, len(text) if para_end < 0 else para_end)
            k = t.i
            while end is not None and k < len(doc) and (doc[k].idx < end or k > t.i and doc[k].text in "-–—"
                                                          and doc[k - 1].idx < end):
                out.add(k)
                k += 1
        return out

    def _run_in_label_tokens(self) -> set[int]:
        """Tokens of a run-in label opening a paragraph, its colon too, when the sentence
        after the colon has a speaker of its own: a newsletter's or a roundup's header
        ("WHAT HE SAID: Trump rated the meeting ...", "Germany: Chancellor Merz, speaking to
        ZDF, said ..."), which the parser makes the subject or whose verb it makes the cue.
        Not `Name: "..."` nor `Name: claim` (rules.labels.label_claim): there the label is
        who speaks."""
        doc, out = self.doc, set()
        for t in doc:
            if t.i > 0 and self.para_of[t.i] == self.para_of[t.i - 1] or t.is_space or self.in_quote[t.i]:
                continue
            colon, words = None, 0
            for c in doc[t.i:]:  # the colon within a label's length of words
                if c.text == ":" or self.para_of[c.i] != self.para_of[t.i]:
                    colon = c if c.text == ":" and self.para_of[c.i] == self.para_of[t.i] else None
                    break
                words += not c.is_punct
                if words > label_max_words():
                    break
            if colon is None:
                continue
            label = doc[t.i:colon.i]
            if furniture_label(label.text):  # "Analysis: ...", "WATCH: ...": nobody's name
                out.update(range(t.i, colon.i + 1))
                continue
            rest = []  # the sentence after the colon
            for c in doc[colon.i + 1:]:
                if self.para_of[c.i] != self.para_of[t.i] or self.sent_of[c.i] != self.sent_of[colon.i]:
                    break
                if not c.is_space:
                    rest.append(c)
            if not rest or self.in_quote[rest[0].i] or any(self.in_quote[c.i] or c.is_punct and c.text != "."
                                                            for c in label):
                continue
            if any(c.pos_ in ("VERB", "AUX") for c in label):
                # a clause in capitals or a question ("WHAT HE SAID:", "Why it matters:")
                # heads a section; any sentence with a subject of its own follows it
                header = all(c.text.isupper() for c in label if c.is_alpha) or label[0].tag_ in ("WDT", "WP", "WRB")
                own = header and any(c.dep_ in ("nsubj", "nsubjpass", "expl") and not self.in_quote[c.i]
                                     and c.head.i > colon.i for c in rest)
            else:  # a noun phrase gives way only to a speaker the sentence names itself
                own = self._attributed_after(colon, rest)
            if own:
                out.update(range(t.i, colon.i + 1))
        return out

    def _attributed_after(self, colon, rest) -> bool:
        """The words after a label's colon credit their own speaker: a reporting verb heading
        them whose subject after the colon can speak (or the label made the subject, the
        speaker its appositive: "Germany: Chancellor Merz, speaking to ZDF, said"), or a
        colon intro of their own ("HILL REAX: Rep. Ann Lee on X: \"...\""). Not a
        headline's claim whose verb is a cue at a stretch ("Lee: Rival's Plan Threatens
        Jobs") or that reports speech inside it ("Lee: I'm Sure Voters Will Say No"): the
        label says it."""
        doc, after = self.doc, {c.i for c in rest}
        for c in rest:
            if self.in_quote[c.i]:
                continue
            if c.text == ":" and c.i + 2 < len(doc) and c.i > colon.i + 1 and self.in_quote[c.i + 2] \
                    and (doc[c.i + 1].is_quote or self.in_quote[c.i + 1]):
                return True  # a colon of its own before a quotation ("Rep. Ann Lee on X: \"...\"")
            if c.text == ";":
                return False  # "Report: Half were donors; aides say ...": the label's claim comes first
            if c.lower_ not in SPEECH_CUES or not is_speech_cue(c) or c.head.i in after and c.head.i != c.i:
                continue  # the sentence's own reporting verb, not one inside its claim
            for s in c.children:
                if s.dep_ not in ("nsubj", "nsubjpass"):
                    continue
                if s.i < colon.i:  # the label as the subject: its appositive after the colon
                    s = next((a for a in s.children if a.dep_ == "appos" and a.i in after), None)
                if s is not None and s.i in after and self._can_speak(s):
                    return True
        return False

    def _can_speak(self, tok) -> bool:
        """Does the noun phrase headed by tok name someone who may speak: a name, a pronoun
        for a person or a group, a person, body, group or document by its noun?"""
        if tok.i in self.name_at or tok.lower_ in speaker_kinds.PRONOUN_KINDS:
            return True
        return self.kind_of(tok, *np_bounds(tok)) is not None

    def _build(self, names):
        doc = self.doc
        events = []  # (token, is_subject)
        subj_tokens = set()
        stand_in = {}  # a dateline or a label parsed as the subject -> the appositive that names the speaker
        for t in doc:
            if self.in_quote[t.i]:
                continue
            if t.i in self.set_apart:
                if t.dep_ in ("nsubj", "nsubjpass"):
                    # its appositive, or the conjunct the parser made of the speaker after a
                    # dash ("ANCHORAGE, Alaska - Russian President Vladimir Putin said ...")
                    app = next((c for c in t.children if c.dep_ in ("appos", "conj")
                                and c.i not in self.set_apart), None)
                    if app is not None:
                        stand_in[t.i] = app.i
                        events.append((app.i, True))
                        subj_tokens.update(range(*np_bounds(app)))
                    else:  # "Lakeport (AFP) – Mayor Ann Lee will ...": two subjects, the second speaks
                        other = next((c for c in t.head.children if c.dep_ == t.dep_ and c.i > t.i
                                      and c.i not in self.set_apart), None)
                        if other is not None:
                            stand_in[t.i] = other.i
                subj_tokens.add(t.i)
                continue
            named = verb_read_as_noun(t) if t.dep_ in ("nsubj", "nsubjpass") else None
            if named is not None:  # "Mr Trump boasted of ..., and vowed to ...": the name is the subject
                stand_in[t.i] = named.i
                events.append((named.i, True))
                subj_tokens.update(range(*np_bounds(named)))
            elif t.dep_ in ("nsubj", "nsubjpass"):
                events.append((t.i, True))
                subj_tokens.update(range(*np_bounds(t)))
            elif is_source_object(t):
                # the source of "according to X", "in the words of X"
                events.append((t.i, True))
                subj_tokens.update(range(*np_bounds(t)))
            elif _age_start(doc, t) is not None and (t.head.pos_ in ("VERB", "AUX") or any(
                    c.dep_ == "acl" and c.pos_ == "VERB" and c.i == t.i + 1 for c in t.children)
                    or _verb_without_subject_after(t)):
                # the parser makes "the 24-year-old said" an adjective of the verb, or the
                # verb a modifier of "old", or "old" an appositive of the phrase before it
                # ("In a message posted in English, the 47-year-old insisted ...")
                self.age_subjects.add(t.i)
                events.append((t.i, True))
                subj_tokens.update(range(_age_start(doc, t), t.i + 1))
        for s, e, _ in names:
            if not self.in_quote[s] and not subj_tokens.intersection(range(s, e)) and s not in self.set_apart:
                events.append((doc[s:e].root.i, False))
                subj_tokens.update(range(s, e))
        heads = {i for i, subj in events if subj}
        for ent in doc.ents:  # bodies named outside a subject: antecedents of "the company"
            # (and inside a subject's phrase that is not the body: "Shares of Norvex fell ...")
            if ent.label_ == "ORG" and not self.in_quote[ent.start] and ent.start not in self.set_apart \
                    and not heads.intersection(range(ent.start, ent.end)) \
                    and not any(i in self.name_at for i in range(ent.start, ent.end)) \
                    and (ent.root.i not in subj_tokens or ent.root.dep_ == "pobj" and ent.root.pos_ == "PROPN"
                         and ent.root.text[:1].isupper()):
                events.append((ent.root.i, False))
        for i, subj in sorted(events):
            m = self._resolve(doc[i], subj)
            if m:
                self.history.append(m)
                self.by_tok[i] = m
        for t, app in stand_in.items():
            if app in self.by_tok:
                self.by_tok[t] = self.by_tok[app]

    def _resolve(self, tok, subject: bool, speaking: bool | None = None) -> Mention | None:
        """The mention headed by tok. `speaking`: tok is the subject of a reporting verb
        (default: read from the parse), which lets a noun the word lists do not know
        stand as a speaker."""
        if speaking is None:  # (or, a noun of someone's trade, of the verb coordinated with its own:
            # "The driver paused and said"; not "Her advice ... and said")
            speaking = tok.dep_ in ("nsubj", "nsubjpass") and (is_speech_cue(tok.head) or _agent_noun(tok) and any(
                c.dep_ == "conj" and is_speech_cue(c) for c in tok.head.children))
        doc = self.doc
        low = tok.lower_
        if low in ("who", "which", "that") and tok.head.dep_ == "relcl":
            ante = self._relative_antecedent(tok.head.head)
            issuer = self._issued_by(ante)
            if issuer is not None:  # "Lee released an ad that accuses Reyes ...": Lee
                return replace(issuer, tok=tok.i, subject=subject, para=self.para_of[tok.i])
            prior = self.by_tok.get(ante.i)
            if prior is None and ante.pos_ in ("NOUN", "PROPN") and not self.in_quote[ante.i]:
                prior = self._resolve(ante, True, is_speech_cue(tok.head))  # "a campaign surrogate who said ..."
            if prior:
                return replace(prior, tok=tok.i, subject=subject, para=self.para_of[tok.i])
            return None
        lo, core_hi = np_bounds(tok)
        hi = np_extended(tok, core_hi)
        if tok.i in self.age_subjects:
            lo, hi = _age_start(doc, tok), tok.i + 1
            core_hi = hi
        while lo < tok.i and (self.sent_of[lo] != self.sent_of[tok.i] or self.in_quote[lo]
                              or doc[lo].is_punct or doc[lo].is_space or lo in self.set_apart):
            lo += 1
        while hi - 1 > tok.i and (self.sent_of[hi - 1] != self.sent_of[tok.i]
                                  or self.in_quote[hi - 1] or doc[hi - 1].is_punct
                                  and not closes_bracket(doc, lo, hi - 1) or doc[hi - 1].is_space):
            hi -= 1
        core_hi = min(core_hi, hi)
        if not any(t.text[:1].isalpha() for t in doc[lo:hi]) \
                or tok.ent_type_ in ("DATE", "TIME") and tok.i not in self.age_subjects and _age_start(doc, tok) is None:
            return None  # a dash, a number or a time ("this year") the parser made a subject names no one
        hi = self.with_named_appositive(tok, hi)
        named = self.name_at.get(tok.i)
        while named is not None and hi < len(doc) and self.name_at.get(hi) == named and hi - tok.i < 6:
            hi += 1  # the rest of the name the parse left out ('Benjamin "Benjie" | Dela Paz')
        if tok.ent_type_ == "ORG" and tok.pos_ == "PROPN" and not self.in_quote[tok.i]:
            # a body's name is its whole entity ("The Institute for the Study of War"), which
            # the mention's words would end at its first preposition
            end = _body_name_end(tok)
            if end > core_hi and _name_words(doc[core_hi:end]) and self.sent_of[end - 1] == self.sent_of[tok.i]:
                hi, core_hi = max(hi, end), end  # ("the Centers for Disease Control and Prevention")
        span, core = doc[lo:hi], doc[lo:core_hi]
        base = dict(tok=tok.i, start=span.start_char, end=span.end_char, text=span.text,
                    subject=subject, para=self.para_of[tok.i])
        if low in DEMONYMS and doc[lo].lower_ == "the" and _only_redescribes(doc[lo:tok.i + 1], tok):
            # "the Dutchman said": someone the story named, whatever entity spaCy tags it
            return self._antecedent(tok, base, _NOUN_GENDER.get(low)) \
                or Mention(**base, person=None, resolution="role", kind="person")
        names = {self.name_at[i] for i in range(lo, core_hi)
                 if i in self.name_at and not _possessor(doc[i], tok)}
        if tok.pos_ == "NOUN" and tok.i not in self.name_at:
            names = set()  # "the Okafor campaign", "a Trump spokesman": not that person
            held = self._holder_after_place(tok) if low in PERSON_NOUNS else None
            if held:  # "envoy to Ukraine Keith Kellogg": the parse hangs the name on the place
                names = {held}
            elif subject and tok.i > 0 and tok.head.i < lo and is_speech_cue(tok.head):
                ahead = self._name_then_preposition(lo, tok)
                if ahead:  # a headline's "'...,' says Trump after Alaska summit": the name speaks
                    return Mention(**{**base, "end": ahead[1], "text": self.text[base["start"]:ahead[1]]},
                                   person=ahead[0], resolution="name")
        elif tok.pos_ == "PROPN" and low in PERSON_NOUNS and not names and tok.i not in self.name_at:
            held = self._holder_after_place(tok)  # a capitalised office: "Minister for Health Stephen Donnelly"
            names = {held} if held else names
        elif tok.ent_type_ == "ORG" and tok.i not in self.name_at:
            names = set()  # "Avon and Somerset Police", with "Avon" tagged a person: the body
            if tok.ent_iob_ == "B" and _entity_end(tok) == tok.i + 1 and tok.pos_ == "PROPN" \
                    and tok.text.istitle() and tok.lower_ in self.cast.full:
                # a person's surname alone, tagged a body ("Mikel Arteta ... Arteta said")
                return Mention(**base, person=self.cast.canonical(tok.text), resolution="name")
        conj = [c for c in tok.children if c.dep_ == "conj"]
        if conj and tok.pos_ == "NOUN" and all(speaker_kinds.singular(c.lower_) in PERSON_NOUNS for c in conj):
            appos = self._appositive_name(tok)
            name = next((c for c in tok.children if c.dep_ == "appos" and c.i > conj[-1].i), None)
            # the appositive is the name itself ("..., Ann Lee,"), not a phrase holding one
            # ("..., a longtime supporter of Clinton,")
            if appos and name is not None and self.name_at.get(name.i) == appos:
                # "The company's chairman and chief executive, Ann Lee, said": one person's two offices
                end = doc[name.right_edge.i]
                return Mention(**{**base, "end": end.idx + len(end), "text": self.text[base["start"]:end.idx + len(end)]},
                               person=appos, resolution="name")
        one = self._titles_of_one_name(tok)
        if one:  # "former Pennsylvania Gov. and party Chairman Ed Rendell said": one person
            return Mention(**{**base, "end": doc[tok.right_edge.i].idx + len(doc[tok.right_edge.i]),
                              "text": doc[lo:tok.right_edge.i + 1].text}, person=one,
                           resolution="name")
        # (the parser may hang "Macron and German Chancellor" on "Merz" as a modifier)
        if any(c.dep_ == "conj" and not _in_entity_of(c, tok) for c in tok.children) \
                or _names_joined_before(tok, lo, names, self.name_at):
            s, e = tok.left_edge.i, _before_relative_clause(tok)
            where = {**base, "start": doc[s].idx, "end": doc[e - 1].idx + len(doc[e - 1]), "text": doc[s:e].text}
            members = {self.name_at[t.i] for t in _conjuncts(tok) if t.i in self.name_at}  # "Ana Ruiz and Tom Bell"
            if names or members or tok.pos_ == "PRON":
                # "Trump and Putin said", "he and his wife said": people speaking together are
                # a group, no one of them, as "both leaders" and "Two objectors, Ann Lee and
                # Tom Bell" are (kind group, resolution role: someone in particular, carried on)
                return Mention(**where, person=None, resolution="role", kind="group")
            kind = self.kind_of(tok, lo, hi) or "group"
            # "Ann Lee's friends and allies said"; not a document coordinated with anything
            named = name_by_owner(tok, doc[s:e], kind) if kind in ("group", "unnamed") else None
            return Mention(**where, person=None, resolution="name" if named else "none", kind=kind, entity=named)
        if low in ("former", "latter") and tok.i > 0 and doc[tok.i - 1].lower_ == "the" and lo == tok.i - 1 \
                and hi == tok.i + 1 and subject:
            return self._one_of_a_pair(tok, base)  # "the former said ...": one of the two just named
        if len(names) > 1 and tok.i in self.name_at:
            names = {self.name_at[tok.i]}  # "United boss Ruben Amorim": the head's name
        if len(names) == 1:
            return Mention(**base, person=names.pop(), resolution="name")
        if low in PRONOUNS:
            return self._pronoun(tok, base)
        if low in GROUP or tok.pos_ == "PRON" or low in PRONOUN_HEADS:
            if not subject:
                return None
            appos = self._appositive_name(tok) if low in PRONOUN_HEADS else None
            if appos:  # "one of the family's lawyers, Ann Lee, said"
                return Mention(**base, person=appos, resolution="name")
            kind = speaker_kinds.PRONOUN_KINDS.get(low)
            back = self._thing_antecedent(tok, base, low) if low in ("it", "they") else None
            return back or Mention(**base, person=None, resolution="none", kind=kind)
        cut = self._name_after_title(hi)
        if cut:  # "Air Force 1st | Lt. Ann Lee": one mention, the title and the name
            k = hi
            while k < len(doc) and (self.name_at.get(k) == cut or k < hi + 3 and self.name_at.get(k) is None):
                k += 1
            words = doc[lo:k]
            while words and (words[-1].is_punct or self.name_at.get(words[-1].i) != cut):
                words = words[:-1]
            return Mention(**{**base, "end": words.end_char, "text": words.text}, person=cut,
                           resolution="name")
        appos = self._appositive_name(tok)
        if appos:  # "a spokesman for the firm, Ann Lee, said"
            return Mention(**base, person=appos, resolution="name")
        kind = self.kind_of(tok, lo, hi)
        if kind in ("organisation", "document", "unnamed", "group"):
            if quantified(core.text) and kind not in ("unnamed", "group"):
                return None  # "No deal", "any company": nothing in particular
            if kind == "organisation":
                if tok.tag_ != "NNS" and any(t.ent_type_ == "GPE" for t in doc[core_hi:hi]):
                    # "the government in Beijing": named by its place, not "the government"
                    # the article spoke of before
                    return Mention(**base, person=None, resolution="name",
                                   kind=kind, entity=org_name(span))
                return self._organisation(tok, core, base)
            named = name_by_owner(tok, core, kind)
            if named:
                return Mention(**base, person=None, resolution="name", kind=kind, entity=named)
            named = self._named_by_pronoun_owner(tok, core) if kind in ("group", "unnamed") else None
            if named:  # "her aides said": the aides of the woman just named
                return Mention(**base, person=None, resolution="pronoun", kind=kind, entity=named)
            return Mention(**base, person=None, resolution="role", kind=kind)
        key = role_key(core.text)
        if key is None or quantified(core.text):
            return None  # "every official": nobody in particular
        key = self._owners_country(core, key, base)
        key = self._counterpart_office(tok, key)
        key = self._owners_office(tok, key)
        # a plural ("two objectors", "the senators") is never one person of the cast
        cands = self.cast.by_role(key) if tok.tag_ not in ("NNS", "NNPS") else []
        # "the minister said" refers back: not to a minister the article names only later
        # ("Foreign Minister Ishaq Dar ... The minister said ... Finance Minister X is due")
        def named_before(c):
            return self.first_named.get(c, len(doc)) < tok.i
        earlier = [c for c in cands if named_before(c)] or \
            [c for c in self.cast.by_short_form(key) if named_before(c) and tok.tag_ not in ("NNS", "NNPS")]
        cands = earlier or cands
        # "the 79-year-old president": not a president of another age (the article's date and
        # the registry's births give ages, Cast.age_of)
        age = next((int(w.split("-")[0]) for w in span.text.lower().split() if is_age(w)), None)
        if age is not None:
            cands = [c for c in cands if self.cast.age_of(c) in (None, age)]
        if cands and key.head in short_forms() and span.text.lower().startswith("the ") and self._unnamed_before(tok):
            cands = []  # "a senior official said ... the official added": the one left unnamed
        asked = self._the_one_asked(tok)  # "'...,' the president replied": to whom it was put
        if asked is not None and (asked in cands or asked in self.cast.holders(key)):
            cands = [asked]
        if len(cands) > 1:
            cands = self.cast.titled_as(cands, key)
        if len(cands) == 1:
            return Mention(**base, person=cands[0], resolution="title")
        if len(cands) > 1:  # the most recent subject of them, else the most recently mentioned
            # ("Putin, after talks with Trump, said ... 'the head of state noted'": Putin)
            recent = [m for m in reversed(self.history) if m.person in cands]
            m = next((m for m in recent if m.subject), recent[0] if recent else None)
            if m is not None:
                return Mention(**base, person=m.person, resolution="title")
        if not cands:
            reg = self.cast.holders(key)  # dated: only when the article's date is covered
            reg = [n for n in reg if age is None or self.cast.age_of(self.cast.canonical(n)) in (None, age)]
            if len(reg) == 1 and key.head != "counterpart":
                person = self.cast.add(self.cast.canonical(reg[0])).name
                return Mention(**base, person=person, resolution="title")
        if not cands and span.text.lower().startswith("the ") and (_anaphoric(key) or age is not None) \
                and (tok.i in self.age_subjects or _only_redescribes(span, tok)):
            # "the 61-year-old said", "the striker added", "the Republican said"
            back = self._antecedent(tok, base, _NOUN_GENDER.get(key.head), {key.head, *key.mods})
            if back:
                return back
        name = self._unseen_name(tok, lo, key)
        if name:  # "said Tom Baker of the Homeowners Alliance", missed by the NER
            person = self.cast.add(self.cast.canonical(name)).name
            return Mention(**base, person=person, resolution="name")
        if kind == "person" or key.head in PERSON_NOUNS:
            if span.text.lower().startswith("the ") and self._unnamed_before(tok):
                # "A White House spokesperson said ... the spokesperson declined": still unnamed
                return Mention(**base, person=None, resolution="role", kind="unnamed")
            return Mention(**base, person=None, resolution="role")
        if tok.pos_ == "NOUN" and subject and speaking:
            # a noun the word lists do not know ("the campaign surrogate"): as the subject
            # of a reporting verb it names someone; its kind is a guess from its number
            kind = "group" if tok.tag_ == "NNS" else speaker_kinds.person_or_unnamed(
                [t.text for t in doc[lo:tok.i]])
            return Mention(**base, person=None, resolution="role", kind=kind)
        return None

    def _name_then_preposition(self, lo: int, tok) -> tuple[str, int] | None:
        """(name, end char) when the phrase doc[lo:tok] opens with a person's name followed
        by a preposition ("Trump after Alaska summit", which a headline's parse makes one
        noun phrase headed by "summit"); None otherwise."""
        doc, k = self.doc, lo
        name = self.name_at.get(lo)
        while k < tok.i and self.name_at.get(k) == name and name is not None:
            k += 1
        if name is None or k == lo or k >= tok.i or doc[k].pos_ != "ADP":
            return None
        return name, doc[k - 1].idx + len(doc[k - 1])

    def _holder_after_place(self, tok) -> str | None:
        """The person named at the end of the place of an office's "to", "for" or "of" phrase
        ("ambassador to the UN Linda Thomas-Greenfield", "envoy to Ukraine Keith Kellogg",
        "Minister for Health Stephen Donnelly", "Prime Minister of Norvald Ingrid Øyen"): the office's holder. Not when nothing but the name is there ("an adviser to Trump" is not Trump)
        or a title comes before it ("an aide to Senator Ann Lee")."""
        # (each such phrase: "Minister of State for National Development Aileen Koh" names
        # her at the end of the second)
        for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("to", "for", "of") and c.i > tok.i):
            name = self._holder_at_end_of(prep)
            if name is not None:
                return name
        return None

    def _holder_at_end_of(self, prep) -> str | None:
        """_holder_after_place for one "to", "for" or "of" phrase."""
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if obj is None or obj.right_edge.i not in self.name_at:
            return None
        end = obj.right_edge.i
        name = self.name_at[end]
        start = end
        while start - 1 > prep.i and self.name_at.get(start - 1) == name:
            start -= 1
        place = [t for t in self.doc[prep.i + 1:start] if t.lower_ != "the" and not t.is_punct]
        if not place or any(t.pos_ != "PROPN" or not t.text[:1].isupper() or t.lower_ in NAME_TITLES
                            or t.lower_ in PERSON_NOUNS or t.i in self.name_at for t in place):
            return None
        return name

    def _owners_country(self, core, key: RoleKey, base: dict) -> RoleKey:
        """A role owned by "its" or "their" takes the country of the body it refers back to:
        after "The Ukrainian government said ...", "its foreign minister" is Ukraine's, not
        the foreign minister the article named before."""
        if not len(core) or core[0].lower_ not in ("its", "their") or places_in(core.text):
            return key
        owner = self._thing_antecedent(core[0], base, "it" if core[0].lower_ == "its" else "they")
        places = places_in(owner.entity) if owner is not None and owner.entity else frozenset()
        return RoleKey(key.head, key.mods | places) if places else key

    def possessor_mention(self, poss) -> Mention | None:
        """The mention a possessor names ("Trump's claim", "the Ukrainian president's
        reply"): its own, or read now. It has none of its own when the noun it owns is a
        subject (the resolver reads the subject's head, "claim", which names no one)."""
        if poss.i in self.by_tok:
            return self.by_tok[poss.i]
        if poss.pos_ not in ("PROPN", "NOUN") or self.in_quote[poss.i]:
            return None
        return self._resolve(poss, False, True)

    def _owners_office(self, tok, key: RoleKey) -> RoleKey:
        """"Putin's spokesman", "Obama's attorney general", "his foreign minister": an office
        owned by someone who holds an office of a place on the article's date (the dated
        roles say so) is of that place (the Kremlin's spokesman) when that names one
        holder; the owner's name leaves the key. Not for a candidate: in 2016, "Trump's
        secretary of state" is nobody yet."""
        poss = next((c for c in tok.children if c.dep_ == "poss"), None)
        if poss is None or key.head == "counterpart" or places_of(key):
            return key
        if poss.lower_ in POSS_GENDER:
            owner = self._pronoun_person(poss, POSS_GENDER[poss.lower_])
        else:
            m = self.possessor_mention(poss)
            owner = m.person if m is not None else None
        if owner is None:
            return key
        named = {t.lower_ for t in poss.subtree} | {w.lower() for w in owner.split()}
        mods = frozenset(key.mods - named)
        for place in sorted(self.cast.places_held(owner)):  # the office of one of them names one person
            if len(self.cast.holders(RoleKey(key.head, mods | {place}))) == 1:
                return RoleKey(key.head, mods | {place})
        return key

    def _counterpart_office(self, tok, key: RoleKey) -> RoleKey:
        """ "his Russian counterpart", "Trump's US counterpart": the office its owner holds, in
        the counterpart's country (speakers.counterpart_offices), when that names one person
        (the one the article names in it, or its dated holder), to be resolved as any role
        is; the key as it is otherwise."""
        if key.head != "counterpart":
            return key
        poss = next((c for c in tok.children if c.dep_ == "poss"), None)
        if poss is None:
            return key
        if poss.lower_ in POSS_GENDER:
            owner = self._pronoun_person(poss, POSS_GENDER[poss.lower_])
        else:
            m = self.by_tok.get(poss.i)
            owner = m.person if m is not None else None
        if owner is None or owner not in self.cast.people:
            return key
        # the first of the owner's office words (its main title first: "president" before
        # "Kremlin chief") that names someone in that country, in the article or on its date
        for k in counterpart_offices(key, self.cast.people[owner].keys):
            people = self.cast.by_role(k) or self.cast.holders(k)
            if people:
                return k if len(people) == 1 else key
        return key

    def _relative_antecedent(self, ante):
        """The noun a relative clause is about: the one the parse hangs it on, or, when that
        names no speaker and sits in a preposition's phrase, the noun the phrase belongs to
        ("the report on her email practices that suggested ...": the report); when it is an
        appositive to a name, the name ("Tom Bell, a lawyer who said ...": Tom Bell)."""
        if ante.dep_ == "appos" and ante.head.pos_ == "PROPN" and ante.head.i < ante.i \
                and not self.in_quote[ante.head.i]:
            return ante.head
        mod = ante.head.head if ante.dep_ == "pobj" and ante.head.dep_ == "prep" else None
        if mod is not None and mod.dep_ in ("amod", "acl") and mod.pos_ in ("ADJ", "VERB") \
                and mod.head.pos_ == "NOUN" and _someone(mod.head) and ante.ent_type_ != "PERSON" \
                and ante.i not in self.name_at:
            return mod.head  # "a person familiar with the matter, who said ...": the person
        if ante.dep_ != "pobj" or ante.i in self.by_tok or self.kind_of(ante, *np_bounds(ante)) is not None:
            return ante
        owner = ante.head.head
        if ante.head.dep_ == "prep" and owner.pos_ in ("NOUN", "PROPN") and not self.in_quote[owner.i] \
                and self.kind_of(owner, *np_bounds(owner)) is not None:
            return owner
        return ante

    def kind_of(self, tok, lo: int, hi: int) -> str | None:
        """The kind of speaker the phrase doc[lo:hi] headed by tok names."""
        doc = self.doc
        before = [t.text for t in doc[lo:tok.i]]
        core_lo, core_hi = np_bounds(tok)
        words = doc[max(lo, core_lo):min(core_hi, hi)].text
        if tok.pos_ == "PROPN" and described_as_a_person(tok):
            return "person"  # "Nadia Farouk, a researcher at ...", whatever spaCy tagged it
        if tok.pos_ == "PROPN" and tok.text.istitle() and tok.lower_ in PERSON_NOUNS and tok.i not in self.name_at \
                and all(t.dep_ == "det" for t in doc[core_lo:tok.i]) and core_hi == tok.i + 1:
            return "person"  # "Asked about it, the Premier said": an office written with a capital
        if speaker_kinds.is_org_name(words) or tok.text[:1].isupper() and tok.i not in self.name_at \
                and self.cast.names_body(words):
            return "organisation"
        if tok.pos_ == "NOUN" and tok.lower_.endswith(("er", "or")) and speaker_kinds.names_a_body(tok.text) \
                and _taken_up_by_who(tok):
            # "one crane operator, who asked not to be named": a person, not a body's "operator"
            # (an agent noun; "the campaign, who ..." and "the board, who ..." are still bodies)
            return "group" if tok.tag_ == "NNS" else speaker_kinds.person_or_unnamed(before)
        key = role_key(words)
        return speaker_kinds.classify(
            tok.text, plural=tok.tag_ in ("NNS", "NNPS"), before=before,
            after=doc[tok.i + 1:hi].text if hi > tok.i + 1 else doc[tok.i + 1:tok.i + 6].text,
            # (a word in lower case is no proper noun, whatever the tagger says: "A Kremlin
            # readout said", with "readout" tagged PROPN, named no one)
            entity=tok.ent_type_, proper=tok.pos_ == "PROPN" and not tok.text.islower(),
            role_head=key.head if key else None)

    def _name_after_title(self, hi: int) -> str | None:
        """A name the parser cut off from the title before it: "Army Capt. | Ann Lee"."""
        doc, j = self.doc, hi
        while j < len(doc) and j - hi < 3 and (doc[j].lower_ in NAME_TITLES or doc[j].text == "."
                                               and doc[j - 1].lower_ in NAME_TITLES):  # not a full stop
            j += 1
        if j == hi or j >= len(doc) or self.para_of[j] != self.para_of[hi - 1]:
            return None
        return self.name_at.get(j)

    def _titles_of_one_name(self, tok) -> str | None:
        """The person of a bare title or trade joined to another title and a name ("former
        Gov. and Chairman Ed Rendell", "Fox News contributor and retired Army Col. Rick
        Delaney"): two offices of one person, not two people ("Trump and Putin", "the senator
        and Ann Lee" have a name or a determiner of their own)."""
        if tok.lower_ not in NAME_TITLES and tok.tag_ != "NN" or tok.i in self.name_at \
                or any(c.dep_ == "det" for c in tok.children):
            return None
        conj = [c for c in tok.children if c.dep_ == "conj"]
        if len(conj) != 1 or self.in_quote[conj[0].i]:
            return None
        names = {self.name_at[i] for i in range(tok.i, conj[0].right_edge.i + 1) if i in self.name_at}
        return names.pop() if len(names) == 1 and conj[0].i in self.name_at else None

    def with_named_appositive(self, tok, hi: int) -> int:
        """End of the mention with the names set right after its noun, with no comma
        ("presidential candidates Ann Lee and Tom Baker cited ...", a capitalised title too:
        "the district party Chairman Tom Bell"; a body's name: "the weekly paper Harbour
        Courier"), or, after a plural, set off by commas ("Two objectors, Ann Lee and Tom
        Baker, said"): who they are."""
        if tok.pos_ != "NOUN" and (tok.pos_ != "PROPN" or tok.i in self.name_at):
            return hi
        # the names, when the parser made them a second subject of the verb ("presidential
        # hopefuls Ann Lee and Tom Baker called for ...")
        second = [c for c in tok.head.children if c.dep_ == tok.dep_ == "nsubj" and c.left_edge.i == hi
                  and c.i in self.name_at] if tok.dep_ == "nsubj" and tok.tag_ in ("NNS", "NNPS") else []
        for c in second + list(tok.children):
            if (c.dep_ == "appos" or c in second) and c.left_edge.i == hi and (c.i in self.name_at or is_body_name(c)):
                end = self._names_run_end(c, hi)
                if end is not None:
                    return end
            if c.dep_ == "appos" and tok.tag_ in ("NNS", "NNPS") and self._set_off_names(c, hi):
                return c.right_edge.i + 1
            if c.dep_ == "prep" and c.lower_ == "for" and c.i == hi and c.right_edge.i in self.name_at \
                    and not any(t.is_punct for t in self.doc[hi:c.right_edge.i + 1]):
                return c.right_edge.i + 1  # "Minister for Health Stephen Donnelly" (cast._named_after_an_office)
        return hi

    def _names_run_end(self, c, hi: int) -> int | None:
        """End of appositive c set right after the phrase that ends at hi, with no comma
        before it: all of it when it holds no punctuation but a name's full stop or hyphen
        ("Ann Lee-Baker"); up to its first comma when the words before it end in a name
        ("contenders Ann Lee and Tom Baker, and Gov. Sam Poll,": the list the noun names);
        None otherwise."""
        doc, end = self.doc, c.right_edge.i + 1
        cut = next((t.i for t in doc[hi:end] if t.is_punct and t.text != "." and not joins(t)), None)
        if cut is None:
            return end
        return cut if cut > c.i and cut - 1 in self.name_at and doc[cut].text == "," else None

    def _set_off_names(self, c, hi: int) -> bool:
        """Is appositive c a short list of names set off by a comma or dash right after the
        phrase that ends at hi ("officials, Ann Lee and Tom Baker,")?"""
        doc, end = self.doc, c.right_edge.i + 1
        return c.left_edge.i == hi + 1 and set_off_at(doc, hi) and end - hi <= APPOS_REACH \
            and c.i in self.name_at and all(self.para_of[t.i] == self.para_of[hi] and not self.in_quote[t.i]
                                            and not t.is_sent_start for t in doc[hi + 1:end])

    def _capitalised_office(self, tok) -> bool:
        """A one-word office the tagger takes for a name, set off before a person's name: "The
        Taoiseach, Micheál Martin, said": "the" and the word alone, no name of the cast."""
        return tok.pos_ == "PROPN" and tok.i not in self.name_at and tok.i > 0 \
            and self.doc[tok.i - 1].lower_ == "the" and [c.dep_ for c in tok.lefts] == ["det"] \
            and any(c.dep_ == "appos" and c.i in self.name_at and c.ent_type_ == "PERSON" for c in tok.rights)

    def _appositive_name(self, tok) -> str | None:
        """The name in an appositive of the head: "a spokesman, Ann Lee,", "one of his
        lawyers, Ann Lee,"; a capitalised title with the name after its place, "President of
        Ukraine Volodymyr Zelensky", which the parse reads as an appositive."""
        office = speaker_kinds.singular(tok.lower_) in PERSON_NOUNS or _joined_office(tok)
        if tok.pos_ != "NOUN" and tok.lower_ not in PRONOUN_HEADS and not (tok.pos_ == "PROPN" and tok.lower_ in NAME_TITLES) \
                and not _joined_office(tok) and not self._capitalised_office(tok):
            return None
        for c in tok.children:
            if c.dep_ == "appos" and c.i > tok.i and not self.in_quote[c.i]:  # not 'her book, "Putin's World,"'
                # "an advocate, Ann Lee of the firm Lee Baker,": the name it heads (not a list of
                # them), after a person's trade or office
                if c.i in self.name_at and office \
                        and not any(k.dep_ == "conj" for k in c.children):
                    return self.name_at[c.i]
                names = {self.name_at[i] for i in range(c.left_edge.i, c.right_edge.i + 1)
                         if i in self.name_at}
                if len(names) == 1:
                    return names.pop()
                words = self.doc[c.left_edge.i:c.right_edge.i + 1]
                if not names and office and len(words) <= 3 \
                        and all(t.pos_ == "PROPN" and t.text[:1].isupper() and t.ent_type_ not in _NOT_NAME_APPOS
                                and t.lower_ not in NAME_TITLES for t in words):
                    # "her son, Grant,": a person's title or kin and a name the tagger missed
                    return self.cast.add(self.cast.canonical(words.text)).name
        if office:
            # "A spokesman for Thune, Ryan Wrasse, said": the parse hangs the appositive on the
            # name after the preposition, which needs no second name; it names the trade. So
            # on a body's common noun: "a spokesman for the foreign ministry, Ann Lee," (not on
            # a person's: "a lawyer for her mother, Ann Lee," is the mother)
            for prep in (c for c in tok.children if c.dep_ == "prep" and c.i > tok.i):
                obj = next((g for g in prep.children if g.dep_ == "pobj"), None)
                if obj is None or not (obj.pos_ == "PROPN" and obj.text[:1].isupper()
                                       or obj.pos_ == "NOUN" and speaker_kinds.classify(obj.text) == "organisation"):
                    continue
                app = next((g for g in obj.children if g.dep_ == "appos" and g.i > obj.i
                            and g.i in self.name_at and self.name_at[g.i] != self.name_at.get(obj.i)
                            and not self.in_quote[g.i]), None)
                if app is not None:
                    return self.name_at[app.i]
        return None


    def _unseen_name(self, tok, lo: int, key: RoleKey) -> str | None:
        """A subject made of capitalised proper nouns that spaCy gave no entity type
        (nor a place's or an organisation's) and that is no title: a person's name."""
        if tok.pos_ != "PROPN" or tok.tag_ == "NNPS" or tok.ent_type_ in _NOT_PERSON_ENTS \
                or key.head in PERSON_NOUNS:
            return None  # "Latinos" (a plural) is no one's name
        # after a possessor: "the station's Ann Lee" is Ann Lee
        lo = max([lo] + [c.right_edge.i + 1 for c in tok.lefts if c.dep_ == "poss"])
        toks = [t for t in self.doc[lo:tok.i + 1] if t.lower_ not in NAME_TITLES and t.pos_ != "DET"]
        if len(toks) > 3:  # "Harbour Workers Secretary-Treasurer Ann Lee": the name ends it
            k = len(toks)
            while k > 0 and len(toks) - k < 3 and toks[k - 1].pos_ == "PROPN" \
                    and toks[k - 1].lower_ not in PERSON_NOUNS and toks[k - 2].text != "-":
                k -= 1
            toks = toks[k:] if len(toks) - k >= 2 else toks
        if not toks or len(toks) > 3 or any(t.pos_ != "PROPN" or not t.text[:1].isupper()
                                            or t.ent_type_ in _NOT_PERSON_ENTS for t in toks):
            return None
        if all(t.text.isupper() and t.is_alpha and len(t.text) > 3 for t in toks):
            # a label in capitals ("APPEAL COMING. ..." in a live blog), no one's name (not an
            # initialism: "the S.E.C.", "NBC")
            return None
        return " ".join(t.text for t in toks)


def _taken_up_by_who(tok) -> bool:
    """A relative clause on tok opens with "who" (a person's relative word, not "which")."""
    return any(c.dep_ == "relcl" and any(g.lower_ == "who" and g.dep_ in ("nsubj", "nsubjpass") for g in c.children)
               for c in tok.children)


def _in_entity_of(c, tok) -> bool:
    """c stands in the same body's name as tok ("Pacific Gas and Electric", one ORG entity
    the parse reads as two conjuncts)."""
    if tok.ent_type_ != "ORG" or c.ent_type_ != "ORG":
        return False
    start = tok.i
    while start > 0 and tok.doc[start].ent_iob_ == "I":
        start -= 1
    return start <= c.i < _entity_end(tok)


_AGENT_ENDINGS = tuple(_WORDS["agent_endings"])


def _agent_noun(tok) -> bool:
    """A common noun for a person by what they do: one of PERSON_NOUNS, or an agent noun by
    its ending ("driver", "cyclist")."""
    low = tok.lower_
    return tok.pos_ == "NOUN" and (low in PERSON_NOUNS or low.endswith(_AGENT_ENDINGS) and speaker_kinds.classify(low) is None)


def _entity_end(tok) -> int:
    """The end (exclusive) of the named entity tok stands in."""
    j = tok.i + 1
    while j < len(tok.doc) and tok.doc[j].ent_iob_ == "I":
        j += 1
    return j


def _body_name_end(tok) -> int:
    """The end of the body's name tok stands in: its entity, and a second one the tagger cut
    off after "for" or "of" ("the UN Office | for | the Coordination of Humanitarian Affairs")."""
    end, doc = _entity_end(tok), tok.doc
    if end + 1 < len(doc) and doc[end].lower_ in ("for", "of") and doc[end + 1].ent_type_ == "ORG" \
            and doc[end + 1].ent_iob_ == "B":
        return _entity_end(doc[end + 1])
    return end


def _name_words(toks) -> bool:
    """Whether the words can go on a body's name: no possessive, no punctuation the tagger
    took into the entity, not a case's "v." ("Ruiz v. Baker"); a number that counts nothing
    ("Channel 12", "Kan 11")."""
    return all((t.pos_ in ("ADP", "DET", "PROPN", "NOUN", "ADJ", "CCONJ") or t.pos_ == "NUM" and t.dep_ == "nummod"
                and t.head.i < t.i) and t.tag_ != "POS"
               and t.lower_ not in ("v.", "vs.", "v", "vs") for t in toks)


def _names_joined_before(tok, lo: int, names: set, name_at: dict) -> bool:
    """Is tok's name the last of people's names joined by "and" before it, that the parser
    hung on tok as modifiers ("Macron and German Chancellor Friedrich Merz", parsed with no
    conj on "Merz")? Only when the mention holds two people's names: "Gov. and party
    Chairman Ed Rendell" is one person with two titles."""
    if len(names) < 2 or tok.i not in name_at:
        return False
    return any(t.dep_ == "cc" and t.lower_ == "and" and any(
        name_at.get(i) not in (None, name_at[tok.i]) for i in range(lo, t.i)) for t in tok.doc[lo:tok.i])


def _conjuncts(tok) -> list:
    """tok and the nouns coordinated with it ("Ann Lee and Tom Bell": Lee, Bell)."""
    chain, todo = [], [tok]
    while todo:
        t = todo.pop()
        chain.append(t)
        todo += [c for c in t.children if c.dep_ == "conj" and c.pos_ not in ("VERB", "AUX", "PUNCT")]
    return chain


def _before_relative_clause(tok) -> int:
    """The end (exclusive) of a coordinated mention headed by tok: its right edge, or where a
    relative clause after its last member opens ("Ann Lee and Tom Bell, who wrote the bill,"
    -> "Ann Lee and Tom Bell"), less the comma before it."""
    chain = _conjuncts(tok)
    last = max(t.i for t in chain)
    opens = [c.left_edge.i for t in chain for c in t.children if c.dep_ == "relcl" and c.left_edge.i > last]
    e = min(opens, default=tok.right_edge.i + 1)
    while e - 1 > last and tok.doc[e - 1].text in (",", ";", ":", "-", "–", "—", "--"):
        e -= 1
    return e


def _verb_without_subject_after(t) -> bool:
    """The word after t is a verb the parse gave no subject."""
    doc = t.doc
    return t.i + 1 < len(doc) and doc[t.i + 1].pos_ == "VERB" \
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in doc[t.i + 1].children)


def _age_start(doc, t) -> int | None:
    """Start of "the 24-year-old" when t is its "old"; None otherwise."""
    i = t.i
    if t.lower_ != "old" or i < 5 or doc[i - 1].text != "-" or doc[i - 2].lower_ not in ("year", "years") \
            or doc[i - 3].text != "-" or not doc[i - 4].like_num or doc[i - 5].lower_ != "the":
        return None
    return i - 5


def _anaphoric(key: RoleKey) -> bool:
    return key.head in _ANAPHORIC_NOUNS or is_age(key.head)


def _only_redescribes(span, tok) -> bool:
    """A description that re-describes someone the story named, not one that introduces
    someone new: nothing after its noun ("the woman who escorted her" is someone new) and
    before it only names of places or bodies and ages ("the Wisconsin Republican", "the
    45-year-old Republican"), not a common word that says which one ("the last man", "the
    homeless woman")."""
    if span[-1].i != tok.i:
        return False
    ages = {i for t in span if (s := _age_start(span.doc, t)) is not None for i in range(s, t.i + 1)}
    mods = [t for t in span if t.i != tok.i and t.i not in ages and t.lower_ != "the" and not t.is_punct]
    # (also a count of times, "the seven-time champion", and another re-describing noun, "the
    # veteran promoter": sport copy's epithets, session 28)
    return all(t.pos_ == "PROPN" or is_age(t.lower_) or _times(t) or t.lower_ in _ANAPHORIC_NOUNS for t in mods)


def _times(t) -> bool:
    """A word of "seven-time", "two-time": the count or "time" joined to it by a hyphen."""
    doc = t.doc
    if t.lower_ in ("time", "times"):
        return t.i >= 2 and doc[t.i - 1].text == "-" and doc[t.i - 2].like_num
    return t.like_num and t.i + 2 < len(doc) and doc[t.i + 1].text == "-" and doc[t.i + 2].lower_ in ("time", "times")


def _someone(tok) -> bool:
    """A noun of a person or an unnamed source ("person", "official", "sources")."""
    low = speaker_kinds.singular(tok.lower_)
    return low in PERSON_NOUNS or low in speaker_kinds.lists().unnamed_heads


def _possessor(t, head) -> bool:
    """Is t inside a possessive modifier of head ("Jones' company" is not Jones)?"""
    while t.i != head.i and t.head.i != t.i:
        if t.dep_ == "poss":
            return True
        t = t.head
    return False


def _joined_office(tok) -> bool:
    """An office written with a hyphen that the parse reads as an adjective after its noun
    ("its director-general, Ann Lee": "general" the subject): its two words, joined as
    PERSON_NOUNS writes them ("director_general"), name a person's office."""
    i = tok.i
    return tok.pos_ == "ADJ" and i >= 2 and tok.doc[i - 1].text == "-" \
        and f"{tok.doc[i - 2].lower_}_{tok.lower_}" in PERSON_NOUNS
