"""Who said a quotation: rules over its own sentence (SPEAKER), then over the text around
it (CONTEXT), each tried in the order registered here."""
from __future__ import annotations

import re
from dataclasses import replace
from functools import cache, lru_cache

from ..attribution.cast import NAME_TITLES
from ..attribution.field import fitted_rate
from ..attribution.mentions import Speaker, char_span, speaker_copy
from ..attribution.reporting_verbs import is_speech_cue, source_phrase
from ..datafiles import read_toml
from ..quotes import embedded_posts, turn_labels
from ..speaker_kinds import classify, ends_a_firms_name, is_org_name, names_a_body, singular
from ..speakers import PERSON_NOUNS, role_key, role_matches
from . import context, last_resort, speaker
from .anonymity import about_anonymity


def _phrases() -> dict:
    return read_toml("quoted_phrases.toml")


# --- its own sentence ----------------------------------------------------------------------

@speaker
def transcript_label(ctx, f, frame):
    """A transcript's turn (`WALLACE: Will she be there?`, crosswire.quotes.transcript_turns):
    the speaker its label names, as the article names that person in full ("Chris
    Wallace") when it does."""
    m = _paragraph_mark(ctx, f, "turn", turn_labels)
    if m is None:
        return None
    at = m.span("label")
    label = m.group("label")
    if label.lower().rstrip(".") in _phrases()["asking_labels"]:
        return Speaker(None, label, "role", kind="unnamed", at=at)  # "QUESTION:": whoever asked
    if label.lower().startswith("the "):  # "THE PRESIDENT:", an official transcript's host
        holder = _office_label_holder(ctx, label)
        return Speaker(holder, label, "title" if holder else "role", kind="person", at=at)
    return Speaker(_labelled_person(ctx, label), label, "name", kind="person", at=at)


def _labelled_person(ctx, label: str) -> str:
    """The person a turn's label names, as the article names that person in full when it
    does (a short label by the transcript's full one: "WELKER:" after "KRISTEN WELKER:")."""
    full = _labels_in_full(ctx.text).get(label.lower()) if " " not in label.strip() else None
    name = full or label
    name = name.title() if name.isupper() else name  # "KRISTEN WELKER", not "Vladimir Putin"
    return _label_person(ctx.cast, name)


@speaker
def post_signature(ctx, f, frame):
    """An embedded post's words (crosswire.quotes.embedded_posts): the author its signature
    names ("— Ann Lee (@annlee) March 3, 2025"), a person as the article names them, or a
    body when the name is one's."""
    found = _paragraph_mark(ctx, f, "post", embedded_posts)
    if found is None:
        return None
    m = found[1]
    name = m.group("name").strip()
    last = name.split()[-1]
    if is_org_name(name) or ends_a_firms_name(last) or names_a_body(last.lower()) or ctx.cast.names_body(name):
        return Speaker(name, name, "name", kind="organisation", at=m.span("name"))
    return Speaker(_label_person(ctx.cast, name), name, "name", kind="person", at=m.span("name"))


def _paragraph_mark(ctx, f, family: str, marks):
    """What `marks(text)` ({paragraph start: mark}: a transcript's labels, embedded posts'
    signatures) holds for the paragraph of a quotation of `family`; None otherwise."""
    if f.span.family != family:
        return None
    return marks(ctx.text).get(ctx.para_start(f.span.open))


def _label_person(cast, label: str) -> str:
    """The person a turn's label names: its canonical name, or, for a label of several words
    the cast does not know as a name ("President of Russia Vladimir Putin", "President
    Trump"), the one person of the article with its last word as family name; a title
    before a name the article gives no fuller is no part of it ("Ms. Lee" is Lee, as in
    the article's "Ms. Lee said")."""
    words = label.split()
    if len(words) > 1 and words[0].lower() in NAME_TITLES and not cast.full.get(words[-1].lower()) \
            and cast.registry.lookup(words[-1]) is None:
        return cast.canonical(" ".join(words[1:]))
    name = cast.canonical(label)
    if name == label and " " in label:
        fulls = cast.full.get(label.split()[-1].lower(), set())
        if len(fulls) == 1:
            return next(iter(fulls))
    return name


@lru_cache(maxsize=4)
def _office_label_holder(ctx, label: str) -> str | None:
    """The person a label naming an office stands for ("THE PRESIDENT:", the White House's
    own transcripts, beside "PRESIDENT PUTIN:"): the one person the article gives that office
    (or the dated roles do, on its date) whom no other label names; None unless one."""
    key = role_key(label.lower())
    if key is None:
        return None
    labelled = {_labelled_person(ctx, m.group("label")) for m in turn_labels(ctx.text).values()
                if not m.group("label").lower().startswith("the ")}
    fits = {p.name for p in ctx.cast.people.values() if role_matches(key, p.keys)} | set(ctx.cast.holders(key))
    left = fits - labelled
    return left.pop() if len(left) == 1 else None


def _labels_in_full(text: str) -> dict[str, str]:
    """{family name: full label} of the text's turn labels of two or more words ("KRISTEN
    WELKER:" then "WELKER:"): a transcript names its host in full once, often only in a
    label, where the article's own names cannot give the short label its person. A family
    name two full labels share maps to neither."""
    full: dict[str, set[str]] = {}
    for m in turn_labels(text).values():
        words = m.group("label").split()
        if len(words) >= 2:
            full.setdefault(words[-1].lower(), set()).add(" ".join(words))
    return {k: v.pop() for k, v in full.items() if len(v) == 1}


@speaker
def as_they_put_it(ctx, f, frame):
    """`As Ann Lee put it, "..."`, `... a "lawful source," as a Home Office memo put it`:
    the subject of "as ... put it" in the quotation's sentence said it, whatever other
    verb the sentence has."""
    verbs = _phrases()["put_it_verbs"]
    for t in frame.toks:
        if ctx.in_quote[t.i] or t.lower_ not in verbs or not any(
                c.dep_ == "dobj" and c.lower_ == "it" for c in t.children):
            continue
        as_ = next((c for c in t.children if c.lower_ == "as" and c.dep_ in ("mark", "prep") and c.i < t.i), None)
        if as_ is None:
            continue
        m = ctx.resolver.subject_of(t)
        if m is None and as_.dep_ == "prep":
            # the parse may read "As the economist Ann Lee put it" as a preposition and its object
            obj = next((c for c in as_.children if c.dep_ == "pobj"), None)
            m = obj is not None and (ctx.resolver.by_tok.get(obj.i) or ctx.resolver._resolve(obj, True, True)) or None
        if m is not None and m.can_speak:
            f.has_cue = True
            return ctx._speaker(m, t)
    return None


@speaker
def how_they_put_it(ctx, f, frame):
    """`"10 out of 10," was how Trump rated the meeting`, `"A disaster" - that is how one
    aide described it`: the quotation is what the "how" clause right after it says someone
    called it, and that clause's subject said it (quoted_phrases.toml how_it_was_put)."""
    if f.span.close is None:
        return None
    between = frozenset(_phrases()["how_it_was_put"])
    doc = ctx.doc
    first = i = ctx.tok_at(f.span.close + 1)
    while i < len(doc) and (doc[i].lower_ in between or doc[i].is_quote or doc[i].is_space):
        i += 1
    if i == first or i >= len(doc) or doc[i].lower_ != "how":
        return None
    if ctx.sent_of[i] != ctx.sent_of[first - 1] and not (
            any(t.is_alpha for t in doc[first:i]) and _next_paragraph_says_how(ctx, f.span, i)):
        return None  # ("That was how ...", not a question opening the next paragraph)
    verb = doc[i].head
    if verb.pos_ != "VERB" or verb.lemma_ == "be" or doc[i].dep_ != "advmod":
        return None
    m = ctx.resolver.subject_of(verb)
    if m is None or not m.can_speak:
        return None
    f.has_cue = True
    return ctx._speaker(m, verb)


def _next_paragraph_says_how(ctx, sp, how: int) -> bool:
    """A quotation that is its paragraph's whole text, and the next paragraph opens "That
    was how ..." (`"We'll meet again soon." / That was how Trump closed the appearance.`)."""
    lo = ctx.text.rfind("\n", 0, sp.open) + 1
    hi = ctx.text.find("\n", sp.close)
    hi = len(ctx.text) if hi < 0 else hi
    return not ctx.text[lo:sp.open].strip() and not ctx.text[sp.close + 1:hi].strip(" .,") \
        and ctx.para_of[how] == ctx.para_of[ctx.tok_at(sp.start)] + 1


_NOUN_STEPS = 4  # steps up the parse from the quotation to the noun that carries it


@speaker
def speech_noun_holder(ctx, f, frame):
    """`Lee's claim that the plan "will pay for itself"`, `his remarks calling the rival
    "weak"`, `the union's statement that it was "betrayed"`: a quotation in what a speech
    noun or a document carries (crosswire/data/cues.toml [nouns], [documents]) is said by
    the noun's holder (its possessor, or the subject of the light verb that made it), when
    no reporting verb stands between the quotation and the noun."""
    from .cues import document_nouns, noun_cues
    from .indirect import noun_speaker
    comps = noun_cues()
    nouns = comps.keys() | document_nouns()
    sp = f.span
    doc = ctx.doc
    set_off = _noun_set_off_before(ctx, sp, nouns)
    holder = noun_speaker(ctx, set_off) if set_off is not None else \
        _possessed_words_noun(ctx, sp) or _reply_came_from(ctx, sp, nouns)
    if holder is not None:
        if holder.name or holder.kind is not None:
            f.has_cue = True
            return holder
    for t in doc[ctx.tok_at(sp.start):ctx.tok_at(sp.end)]:
        if sp.start <= t.head.idx < sp.end and t.head.i != t.i:
            continue  # only the quotation's top words
        came, a = t, t.head
        for _ in range(_NOUN_STEPS):
            if ctx.in_quote[a.i] or a.pos_ in ("VERB", "AUX") and is_speech_cue(a) and not (
                    a.dep_ == "acl" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in a.children)):
                break  # a reporting verb nearer the quotation speaks for it ("remarks calling
                # it 'weak'", a participle of the noun's own, does not)
            if a.pos_ == "NOUN" and a.lower_ in nouns:
                # only what the noun carries, after it: "her claim that ...", "his remarks
                # calling ...", not "denounced his remarks as '...'" nor "her 'work' emails"
                carried = came.i > a.i and (came.dep_ in ("acl", "ccomp", "relcl", "appos") or came.dep_ == "prep"
                                            and came.lower_ in comps.get(a.lower_, ()))
                holder = noun_speaker(ctx, a) if carried else None
                if holder is not None and (holder.name or holder.kind is not None):
                    f.has_cue = True
                    return holder
                break
            if a.head.i == a.i:
                break
            came, a = a, a.head
        return None
    return None


_CAME = frozenset({"came", "comes", "come"})


def _reply_came_from(ctx, sp, nouns) -> Speaker | None:
    """`"Next time in Moscow," came the reply from Putin`: a noun for words said (or a speech
    noun) that "came" right after the quotation, from someone; None otherwise."""
    if sp.close is None:
        return None
    doc = ctx.doc
    i = ctx.tok_at(sp.close + 1)
    while i < len(doc) and (doc[i].is_quote or doc[i].is_space or doc[i].text in _SET_OFF):
        i += 1
    if i + 3 >= len(doc) or doc[i].lower_ not in _CAME:
        return None
    j = i + 2 if doc[i + 1].lower_ in ("the", "a", "an") else i + 1
    noun = doc[j]
    if noun.lower_ not in _colon_nouns() and noun.lower_ not in nouns or j + 1 >= len(doc) or doc[j + 1].lower_ != "from":
        return None
    source = next((c for c in doc[j + 1].children if c.dep_ == "pobj"), None)
    if source is None:
        return None
    m = ctx.resolver.by_tok.get(source.i) or ctx.resolver._resolve(source, True, True)
    return ctx._speaker(m, noun) if m is not None and m.can_speak else None


def _noun_set_off_before(ctx, sp, nouns):
    """The speech noun or document whose phrase ends just before the quotation, with a dash
    or a comma between (`His reply — "..." — came within hours`, `Lee's message to voters,
    "...," was posted`): the quotation is its apposition, though the parse mostly hangs the
    quoted clause on the sentence's verb."""
    doc = ctx.doc
    mark = ctx.tok_at(sp.open)
    if mark < 2 or doc[mark - 1].text not in _SET_OFF or ctx.in_quote[mark - 2]:
        return None
    end = doc[mark - 2]
    noun = end
    while noun.lower_ not in nouns and noun.dep_ in ("pobj", "prep") and noun.head.i < noun.i:
        noun = noun.head  # "message to voters": the noun the phrase hangs on
    return noun if noun.pos_ == "NOUN" and noun.lower_ in nouns else None


_SET_OFF = {"-", "–", "—", ","}


def _possessed_words_noun(ctx, sp) -> Speaker | None:
    """`Putin's "Next time in Moscow" remark`, `her "ferries first" pledge`: a quotation of
    two words or more between a possessive and a noun for words said (_colon_nouns) is the
    possessor's, however the parse hangs it (not `her "work" emails`: one word, a label)."""
    from .indirect import possessor_speaker
    doc = ctx.doc
    mark, after = ctx.tok_at(sp.open), ctx.tok_at(sp.close + 1) if sp.close is not None else None
    if after is None or after >= len(doc) or mark < 1 or len(ctx.text[sp.start:sp.end].split()) < 2:
        return None
    noun, poss = doc[after], doc[mark - 1]
    if poss.text in ("'s", "’s", "'", "’") and mark >= 2:
        poss = doc[mark - 2]
    elif poss.tag_ != "PRP$":
        return None
    if noun.pos_ != "NOUN" or noun.lower_ not in _colon_nouns() or ctx.in_quote[poss.i]:
        return None
    return possessor_speaker(ctx, noun, poss)


def _heard(cue) -> bool:
    """`Officials were told the plan was "dead"`, `We're told it was "upbeat"`: the passive
    subject of tell, warn, assure (cues.toml [heard_passive]) heard the words and did not
    say them, as rules.speech_objects.told_unnamed has it for reported speech; an agent
    ("was told by aides") still speaks."""
    from .cues import heard_verbs
    return cue.lower_ in heard_verbs() and any(c.dep_ == "auxpass" for c in cue.children) \
        and not any(c.dep_ == "agent" for c in cue.children)


def _cue_and_subject(ctx, f, frame):
    """The cue that governs the quotation (the first of ctx.cues_for with a speaker, else the
    first) and its speaker's mention, or (None, None). A cue in the speaker's anonymity
    clause comes last, and gives only the speaker (its subject is the speaker's) when an
    earlier cue has none."""
    cue, mention = None, None
    cues = ctx.cues_for(f.span, frame.cues)
    # (a lone cue is the cue whatever its clause: no parse walk for it)
    anonymity = [c for c in cues if about_anonymity(c)] if len(cues) > 1 else []
    for c in [c for c in cues if c not in anonymity] + anonymity:
        m = ctx.according(c) if source_phrase(c) is not None else None if _heard(c) else ctx.resolver.subject_of(c)
        if cue is None or (m is not None and mention is None):
            cue, mention = (cue if cue is not None and c in anonymity else c), m
        if m is not None:
            break
    if cue is not None:
        f.has_cue = True
    return _report_of(ctx, cue, mention), mention


def _report_of(ctx, cue, mention):
    """The cue whose subject the speaker is: `cue` itself, or the report it sits in when the
    speaker is the subject of that report ('Trump wrote that he and European leaders had
    agreed "..."': the words are Trump's, and his verb is "wrote", not "agreed")."""
    if cue is None or mention is None or mention.tok is None or mention.via \
            or not any(c.dep_ in ("nsubj", "nsubjpass") for c in cue.children):
        return cue  # a participle shares its subject ('he said, adding "..."'): its own cue
    subj = ctx.doc[mention.tok]
    if subj.dep_ not in ("nsubj", "nsubjpass") or subj.head.i == cue.i:
        return cue
    v, passed = cue, None
    # (through "as saying": 'Lee was quoted as saying Russia had agreed to "robust" ...')
    while v.dep_ in ("ccomp", "conj", "xcomp", "advcl", "pcomp", "prep") and v.head.i != v.i:
        v = v.head
        if v.i == subj.head.i:
            return passed or (v if is_speech_cue(v) else cue)
        if passed is None and v.dep_ == "pcomp" and is_speech_cue(v):
            passed = v
    return cue


@speaker
def reporting_verb(ctx, f, frame):
    """The reporting verb (cue) that governs the quotation, and that verb's subject:
    `"We will win," she said`, `He told reporters: "..."`, `according to the minister`.
    A cue with no subject found still answers: the quotation has a cue, no speaker."""
    cue, mention = _cue_and_subject(ctx, f, frame)
    if cue is None:
        return None
    return ctx._speaker(None if mention is not None and mention.via else mention, cue)


@speaker
def speaker_beside_cue(ctx, f, frame):
    """The governing cue's speaker where the parse gave the cue no subject and it was taken
    from beside the verb (`Lee, an aide, said` with the name hung elsewhere, a participle
    after a clause, a name right before the verb: crosswire.attribution.verb_speakers.VerbSpeakers.subject_of):
    a rule of its own, so that its rate is fitted apart from reporting_verb's."""
    cue, mention = _cue_and_subject(ctx, f, frame)
    if cue is None or mention is None or not mention.via:
        return None
    return ctx._speaker(mention, cue)


@speaker
def in_their_words(ctx, f, frame):
    """`In his words, the issue "has not been discussed yet"`, `The plan is "dead," in the
    minister's view`: the possessor of the sentence's "In his words," (or view, opinion:
    rules.indirect.in_their_view) said it. The English of Ukrainian and Russian outlets
    translates "по его словам" so, and the sentence often has no reporting verb at all."""
    from .indirect import in_their_view, noun_speaker
    for t in frame.toks:
        if ctx.in_quote[t.i] or not in_their_view(t):
            continue
        sp = noun_speaker(ctx, t)
        if sp is not None:
            f.has_cue = True
            return sp
    return None


@speaker
def colon_intro(ctx, f, frame):
    """`X did not say which points: "..."` -> X; a headline `Name: "..."` -> Name."""
    sp = f.span
    if not ctx.text[frame.lo:sp.open].rstrip().endswith(":"):
        return None
    # not a run-in label before the intro ("HILL REAX: Rep. Ann Lee on X: ...")
    # on the quotation's own line: a list's items are lines the sentence frame may run over
    line = ctx.text.rfind("\n", frame.lo, sp.open) + 1
    head = [t for t in frame.toks if line <= t.idx < sp.open - 1 and not ctx.in_quote[t.i]
            and t.i not in ctx.resolver.set_apart]
    if head and (head[0].pos_ == "ADP" or head[0].lower_ in ("re", "regarding", "asked")
                 or _post_place().match(ctx.text, head[0].idx)):
        return None  # "Of Clinton:", "On trade:", "ON X:" (tagged a name): a label, not the speaker
    holder = _noun_holder(ctx, head)
    if holder is not None:
        return holder
    several = None if any(t.pos_ in ("VERB", "AUX") for t in head) else _several_named(ctx, head)
    if several is not None:
        return several
    named = _named_label(ctx, head, sp.open)
    if named is not None:
        return named
    words = [t for t in head if not t.is_punct]
    for t in head:
        m = ctx.resolver.by_tok.get(t.i)
        if t.dep_ == "nsubjpass" and _heard(t.head):
            continue  # "The mayor was warned:" heard the words
        if t.dep_ == "nsubj" and t.head.dep_ == "relcl" and t.lower_ in ("i", "we"):
            met = ctx.resolver._met_by_the_writer(t.head)  # "A pilot we met put it bluntly:"
            if met is not None:
                return met.speaker()
            continue
        # a body named outside a subject introduces nothing; a person does, named in few
        # words or in the whole of them ("- UK Prime Minister Keir Starmer:", a roundup's item)
        if m and (m.subject or m.kind == "person" and (len(head) <= 4 or words and m.start <= words[0].idx
                                                        and m.end >= words[-1].idx + len(words[-1]))):
            return m.speaker()
    return _posted_by(ctx, head, sp.open)


def _named_label(ctx, head, colon: int) -> Speaker | None:
    """A label that is a person's name and what qualifies it, no verb: the topic after it
    ("- Trump on the outcome:", a roundup's item), a party and state ("Rep. Ann Lee,
    D-Ore.:") or a description ("Tom Bell, a protester:"); quoted_phrases.toml
    [label_after_name]. The name speaks."""
    if not head or any(t.pos_ in ("VERB", "AUX") for t in head):
        return None
    first = next((t for t in head if not t.is_punct), None)
    m = next((ctx.resolver.by_tok[t.i] for t in head if t.i in ctx.resolver.by_tok), None)
    if first is None or m is None or m.kind != "person" or m.start > first.idx:
        return None
    rest = ctx.text[m.end:ctx.text.rfind(":", 0, colon)].strip()
    table = _phrases()["label_after_name"]
    words = rest.split()
    described = rest.startswith(",") and len(words) > 1 and words[1].lower() in table["description_openers"]
    if not rest or words[0].lower() in table["topic_prepositions"] or described \
            or re.match(table["affiliation"], rest):
        return m.speaker()
    return None


@cache
def _colon_nouns() -> frozenset[str]:
    from .cues import document_nouns, noun_cues
    words = _phrases()["colon_nouns"]
    return frozenset(words) | frozenset(w + "s" for w in words) | noun_cues().keys() | document_nouns()


def _noun_holder(ctx, head) -> Speaker | None:
    """`Trump's advice to Zelensky:`, `His message was clear:`: the possessor of a speech
    noun that heads the words before the colon, or is their subject (the noun itself, "His
    message", is what was said, not who said it)."""
    from .indirect import noun_speaker
    inside = {t.i for t in head}
    for t in head:
        if t.lower_ not in _colon_nouns() or not any(c.dep_ == "poss" for c in t.children):
            continue
        if t.head.i in inside and t.head.i != t.i and t.dep_ not in ("nsubj", "nsubjpass"):
            continue  # "Lee rejected Trump's advice:": the noun is not what the words are
        holder = noun_speaker(ctx, t)
        if holder is not None and (holder.name or holder.kind is not None):
            return holder
    return None


@cache
def _post_place() -> re.Pattern:
    """'on X', 'in a post on Truth Social': where the name before a colon posted
    (crosswire/data/quoted_phrases.toml [social_post])."""
    p = _phrases()["social_post"]
    on = "on (?:%s)" % "|".join(re.escape(w) for w in sorted(p["platforms"], key=len, reverse=True))
    return re.compile(r"\b(?:%s|in an? (?:%s)(?: %s)?)\b" % (on, "|".join(p["post_nouns"]), on), re.I)


def _posted_by(ctx, head, colon: int) -> Speaker | None:
    """`Sen. Ann Lee (D-Ore.) on X: "..."`: the name before where it posted, as a headline's
    label names its speaker (label_speaker), when no verb follows the place ("on X,
    overnight:" may; "on X said he was wrong:" is a sentence of its own)."""
    if not head:
        return None
    m = _post_place().search(ctx.text, head[0].idx, colon)
    if m is None or any(t.pos_ in ("VERB", "AUX") for t in head if t.idx >= m.end()):
        return None
    name, depth = [], 0
    for t in head:  # the name without a parenthesis ("(D-Ore.)") or punctuation
        if t.idx >= m.start():
            break
        depth += (t.text == "(") - (t.text == ")")
        if depth == 0 and not t.is_punct:
            name.append(t)
    return label_speaker(ctx, name) if name else None


_HEAD_WORD = re.compile(r"[A-Z][\w’'.-]*")


@speaker
def headline_label(ctx, f, frame):
    """A headline `Name: words ... "quoted" ...` (`Ryan: FBI decision 'defies explanation'`,
    `Obama on climate: the trends are 'terrifying'`): the name before the headline's colon
    says the quoted words, wherever they stand after it."""
    sp = f.span
    if ctx.section != "title" or sp.family == "turn":
        return None
    colon = ctx.text.find(":", frame.lo, sp.open)
    if colon < 0:
        return _subject_after_colon(ctx, f, frame) or _subject_before_cue_word(ctx, f, frame, frame.lo)
    return label_speaker(ctx, [t for t in frame.toks if t.idx < colon and not ctx.in_quote[t.i]]) \
        or _subject_before_cue_word(ctx, f, frame, colon)


@lru_cache(maxsize=1)
def _headline_cues() -> frozenset[str]:
    """The cue forms that make quoted words their subject's in a headline read word by word:
    a verb of speech ("says", "warns") or of calling something ("calls", "labels"), not of
    stance ("Bolton and Gorka Slam 'Neocons For Hillary'": a group's name)."""
    from .indirect import cue_forms
    return cue_forms("speech") | frozenset(read_toml("not_statements.toml")["characterising_verbs"])


def _subject_before_cue_word(ctx, f, frame, after: int) -> Speaker | None:
    """A headline whose parse lost its verb (`Trump calls talks 'extremely productive'`,
    "calls" read as a noun and "talks" as the verb), or the clause after a label that names
    no one (`LIVE: Trump calls ...`): the words from `after` to the first word that is a
    cue's form, read as a label is, when they open the headline or the clause."""
    toks = [t for t in frame.toks if after <= t.idx < f.span.open and not t.is_punct and not ctx.in_quote[t.i]]
    cue = next((t for t in toks[1:] if t.lower_ in _headline_cues() and t.pos_ != "VERB"), None)
    if cue is None:
        return None
    found = label_speaker(ctx, [t for t in toks if t.i < cue.i])
    return replace(found, cue=cue.text) if found is not None else None


def _subject_after_colon(ctx, f, frame) -> Speaker | None:
    """A headline that opens with the quotation and a colon (`"No deal": Trump sums up the
    talks`, the headline style of Ukrainian outlets' English): the subject of the clause
    after the colon, read as a label is (its words before the first verb)."""
    sp = f.span
    if sp.close is None or ctx.text[frame.lo:sp.open].strip() or not ctx.text[sp.close + 1:].lstrip().startswith(":"):
        return None
    colon = ctx.text.index(":", sp.close + 1)
    subject = []
    for t in frame.toks:
        if t.idx <= colon or ctx.in_quote[t.i]:
            continue
        if t.pos_ in ("VERB", "AUX") and t.i not in ctx.resolver.name_at and t.lower_ not in _colon_nouns():
            break  # (not a name the headline's parse took for a verb: "PM Modi On US Tariffs";
            # nor a noun for words: "Putin's parting shot to Trump")
        subject.append(t)
    return label_speaker(ctx, subject) if subject else None


def _several_named(ctx, toks) -> Speaker | None:
    """A label that names two people or more before any preposition ("Trump and Putin end
    summit", "Trump, Putin:"): the people together, a group as the resolver has "Trump and
    Putin said", not one of them ("Trump to Putin:" is Trump's); None for any other label."""
    named, names = set(), []
    for t in toks:
        if t.pos_ == "ADP":
            break
        if t.i in ctx.resolver.name_at:
            named.add(ctx.resolver.name_at[t.i])
            names.append(t)
    if len(named) < 2:
        return None
    lo, hi = names[0].idx, names[-1].idx + len(names[-1])
    return Speaker(None, ctx.text[lo:hi], "role", kind="group", at=(lo, hi))


def label_speaker(ctx, head) -> Speaker | None:
    """The speaker a headline's label names (`head`: its tokens before the colon): a
    person, a body or a group the article mentions, or a capitalised name the article
    gives in full; None for a topic label ("Of Clinton", "On trade") or a longer phrase."""
    # the name, with what it is about: "Obama on Climate Change", not "Of Clinton"
    name_part = []
    for t in head:
        if t.pos_ == "ADP" or t.lower_ in ("re", "regarding"):
            break
        name_part.append(t)
    if not name_part or len(name_part) > 4 or _topic_head(ctx, name_part[-1]):
        return None
    several = _several_named(ctx, name_part)
    if several is not None:
        return several
    head_noun = name_part[-1]
    if head_noun.pos_ == "NOUN" and singular(head_noun.lower_) in PERSON_NOUNS \
            and any(t.text[:1].isupper() for t in name_part[:-1]) \
            and head_noun.i not in ctx.resolver.name_at and head_noun.i not in ctx.resolver.by_tok:
        # "Kremlin aide:", "Trump spokesman:": someone of the body or the person named
        # before the head, not that body or person
        m = ctx.resolver._resolve(head_noun, True, True)
        if m is not None and m.kind in ("person", "unnamed"):
            lo, hi = name_part[0].idx, head_noun.idx + len(head_noun)
            return replace(m.speaker(), mention=ctx.text[lo:hi], at=(lo, hi))
    for t in reversed(name_part):  # the label's head first: "EU's Kallas" is Kallas
        # (a possessor the parse hung on a verb has no mention of its own: "Putin's
        # parting shot", "shot" read as the verb)
        m = ctx.resolver.by_tok.get(t.i) or (ctx.resolver.possessor_mention(t) if t.dep_ == "poss" else None)
        if m and m.kind in ("person", "organisation", "group") and (m.person or m.entity):
            # the label's words are the mention, title and all: a headline's parse may cut
            # them ("PM Modi On US Tariffs", "Modi" tagged a verb)
            lo, hi = name_part[0].idx, name_part[-1].idx + len(name_part[-1])
            one = all(not w.is_punct and ctx.resolver.name_at.get(w.i, m.person) == m.person for w in name_part)
            if one and lo <= m.start and m.end <= hi:  # (not "Trump, Putin End ...": two people)
                return replace(m.speaker(), mention=ctx.text[lo:hi], at=(lo, hi))
            return m.speaker()
    # a headline's capitalised words are no sure sign of a name: one the article names
    words = [t.text for t in name_part]
    if all(_HEAD_WORD.fullmatch(w) for w in words):
        base = re.sub(r"['’]s?$", "", words[-1]).lower()
        full = ctx.cast.full.get(base, set())
        if len(full) == 1:
            name = next(iter(full))
            return Speaker(name, " ".join(words), "name", kind="person", at=char_span(name_part))
    # a body or a group by its common noun ("Police: Gunman acted alone", "Officials: ..."), not
    # a document's ("Analysis: ...", "Review: ..." are the outlet's own labels)
    if len(name_part) == 1 and name_part[0].text[:1].isupper():
        plural = name_part[0].text.lower().endswith("s")
        kind = classify(name_part[0].text, plural=plural)
        if kind in ("organisation", "group") or kind == "unnamed" and plural:  # ("Officials: ...")
            return Speaker(None, name_part[0].text, "role", kind=kind, at=char_span(name_part))
    return None


def _topic_head(ctx, t) -> bool:
    """A label headed by a common noun that names no speaker ("Trump-Putin summit:", "Alaska
    talks:"): what the headline is about, though names stand before it; not a noun for
    words said ("Putin's parting words to Trump:" are his)."""
    return t.pos_ == "NOUN" and t.text[:1].islower() and t.lower_ not in _colon_nouns() \
        and t.i not in ctx.resolver.name_at and t.i not in ctx.resolver.by_tok \
        and classify(t.text, plural=t.tag_ == "NNS") is None


# --- the text around it --------------------------------------------------------------------

def _chain(quotes, k):
    lo = k
    while lo > 0 and quotes[lo].span.continued and quotes[lo - 1].span.continues:
        lo -= 1
    hi = k
    while hi + 1 < len(quotes) and quotes[hi + 1].span.continued and quotes[hi].span.continues:
        hi += 1
    return quotes[lo:hi + 1]


@context
def quotation_run(ctx, f, arg):
    """A quotation run over several paragraphs has one speaker: the best one its own
    sentences name."""
    k, quotes, _ = arg
    own = {r.name for r in _speaker_rules()}
    chain = _chain(quotes, k)
    named = sorted((g for g in chain if ctx.known(g.speaker) and g.rule in own), key=lambda g: -fitted_rate(g))
    if len(chain) > 1 and named:
        return speaker_copy(named[0].speaker)
    return None


@cache
def _named_after() -> re.Pattern:
    # the nouns that name what someone said before a colon ("His verdict: ...") name it here too
    nouns = "|".join(map(re.escape, sorted(_colon_nouns(), key=len, reverse=True)))
    be = r"(?:That|This|Those|These|Such)\s+(?:was|is|were|are|has\s+been|had\s+been)\s+"
    # "That was how Ann Lee, who chairs the board, put it / summed up the mood" (session 27)
    how = r"(?:put\s+it|summed\s+(?:it\s+)?up|described\s+it|saw\s+it|explained\s+it)"
    return re.compile(
        r"\s*(?:" + be + r"(?:the\s+(?:[a-z-]+\s+)?(?:" + nouns + r")\s+(?:of|from)\s+(?P<of>[^.!?]{1,80}?)"
        r"|(?P<poss>[A-Z][^.!?]{0,60}?)['’]s?\s+(?:[a-z-]+\s+)?(?:" + nouns + r"))"
        r"|(?:So|Thus)\s+(?:said|says|wrote)\s+(?P<so>[^.!?]{1,80}?)"
        r"|(?:That|This)\s+(?:was|is)\s+how\s+(?P<how>[^.!?]{1,120}?)\s+" + how + r"\b[^.!?]*?"
        # "With that, Vladimir Putin brought the press conference to a close." (session 38)
        r"|With\s+(?:that|those\s+words|these\s+words)\s*,\s+(?P<with>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"
        r"|the\s+[a-z-]+(?:\s+[a-z-]+)?)\s+[a-z][^.!?]*?)"
        r"(?:\s+(?:on|in|at|to)\s[^.!?]*)?[.!?]")


@context
def named_after(ctx, f, arg):
    """`"We will not give up our land." That was Zelensky's message on Saturday.`, `... So
    said the mayor.`, `That was how Ann Lee put it.`, `With that, Putin left the stage.`:
    the sentence right after a quotation of its own names whose words they were; after a
    quotation run over paragraphs, the sentence right after its last one, or opening the
    paragraph after it."""
    if not _open(ctx, f) or f.kind != "direct":
        return None
    k, quotes, _ = arg
    last = _chain(quotes, k)[-1]
    after = last.span.close + 1 if last.span.close is not None else last.span.end
    hi = ctx.para_bounds[last.para][1]
    m = _named_after().match(ctx.text, after, hi)
    if m is None and _own_paragraph(ctx, last) and last.para + 1 < len(ctx.para_bounds):
        lo, hi = ctx.para_bounds[last.para + 1]
        m = _named_after().match(ctx.text, lo, hi)
    if m is None:
        return None
    group = next(g for g in ("of", "poss", "so", "how", "with") if m.group(g))
    lo, end = m.span(group)
    for i in range(ctx.tok_at(lo), ctx.tok_at(end)):
        mention = ctx.resolver.by_tok.get(i)
        if mention is not None and mention.can_speak:
            return mention.speaker()
    return None


def _speaker_rules():
    from . import SPEAKER
    return SPEAKER


def _open(ctx, f) -> bool:
    """Only a quotation whose own sentence gave nothing (no cue, no colon) looks around."""
    return not f.rule and not ctx.known(f.speaker)


def _earlier_in_paragraph(ctx, f, found):
    return [g for g in found if g.para == f.para and g.start < f.start and ctx.known(g.speaker)]


@context
def same_paragraph_before(ctx, f, arg):
    """A full quotation with no cue of its own: the last speaker named earlier in the
    paragraph (`Smith said the deal was done. "We are happy."`)."""
    _, _, found = arg
    before = _earlier_in_paragraph(ctx, f, found)
    if _open(ctx, f) and f.kind == "direct" and before:
        return speaker_copy(before[-1].speaker)
    return None


@context
def same_paragraph_after(ctx, f, arg):
    """... or the speaker of the next quotation of the paragraph that has a cue
    (`"It works. "We hope," he said`)."""
    k, quotes, _ = arg
    later = [g for g in quotes[k + 1:] if g.para == f.para and g.has_cue]
    if _open(ctx, f) and f.kind == "direct" and later and ctx.known(later[0].speaker):
        return speaker_copy(later[0].speaker)
    return None


def _own_paragraph(ctx, f) -> bool:
    return f.span.continued or ctx._only_quotes(f.para)


@context
def introduced_paragraph(ctx, f, arg):
    """A paragraph of nothing but quotation after a paragraph that ends `Mr Smith said:`."""
    if _open(ctx, f) and _own_paragraph(ctx, f):
        return ctx._intro_speaker(f.para - 1, ctx.known)
    return None


@cache
def _post_time() -> re.Pattern:
    """', overnight:', ' on Sunday:': when, between where it was posted and the colon."""
    times = "|".join(re.escape(w) for w in _phrases()["social_post"]["times"])
    return re.compile(r"(?:\s*,?\s*(?:(?:late|early|on) )?(?:%s))?\s*:\s*$" % times, re.I)


def _posted_paragraph(ctx, f) -> bool:
    """`ON TRUTH SOCIAL, overnight: "..."`: a paragraph that says only where its quotation
    was posted (a newsletter's way to go on with the speaker of the paragraph before)."""
    lo = ctx.para_start(f.span.open)
    m = _post_place().match(ctx.text, lo)
    return m is not None and _post_time().match(ctx.text, m.end(), f.span.open) is not None


@context
def previous_paragraph(ctx, f, arg):
    """A paragraph of nothing but quotation (or only where it was posted, `ON X:`): the
    last speaker of the paragraph before."""
    _, _, found = arg
    if not (_open(ctx, f) and (_own_paragraph(ctx, f) or _posted_paragraph(ctx, f))):
        return None
    prev = [g for g in found if g.para == f.para - 1 and ctx.known(g.speaker)]
    return speaker_copy(prev[-1].speaker) if prev else None


@context
def sentence_subject_before(ctx, f, arg):
    """`Smith was defiant. "We will win."`: the subject of a sentence before, in the same
    paragraph."""
    if not _open(ctx, f) or f.kind != "direct" or _own_paragraph(ctx, f):
        return None
    _, _, found = arg
    if any(g.para == f.para and g.start < f.start and g.speaker.known for g in found):
        return None  # an earlier quotation of the paragraph has a speaker, named or not: its
        # speaker goes on ('"...," said one longtime aide. "..."'), not a subject before it
    lo = ctx.para_bounds[f.para][0]
    prior = [m for m in ctx.resolver.history if m.subject and m.person and lo <= m.start < f.span.open]
    if not prior:
        return None
    return prior[-1].speaker()


# --- last resort, once what is a statement is settled ---------------------------------------

@last_resort
def governing_subject(ctx, f, arg):
    """`Clinton supports "appropriate pay raises"`: with no reporting verb, the named
    subject of the verb the quotation hangs from."""
    if f.has_cue:
        return None
    m = ctx.resolver.governing_subject(ctx.tok_at(f.span.start), ctx.tok_at(f.span.end))
    return m.speaker() if m is not None else None
