"""What is not a statement, though it has quote marks or a reporting verb: names of works,
scare quotes, terms glossed by the writer, markup left over from embedded posts, subheads."""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from pathlib import Path

from . import not_statement
from .cues import forms_by_class
from ..attribution.cast import is_given_name
from ..datafiles import read_toml
from ..quotes import in_capitals, run_in_caps_head

DATA = Path(__file__).resolve().parent.parent / "data" / "not_statements.toml"
_WINDOW = 200  # characters before a quotation the rules read: enough for any clue they seek


def _words() -> dict:
    return read_toml(DATA)


@lru_cache(maxsize=1)
def _mention_before() -> re.Pattern:
    things = "|".join(map(re.escape, _words()["named_things"]))
    words = sorted(_words()["mention_before"], key=len, reverse=True)
    alts = "|".join(r"\s+".join(map(re.escape, w.split())) for w in words)
    alts += r"|(?:" + things + r")s?\s+(?:called|named|dubbed|titled)"
    return re.compile(r"\b(?:" + alts + r")\s*[,:]?\s*$", re.I)


def _quoted(f) -> bool:
    return f.kind != "indirect" and f.span is not None


@not_statement
def named_as_a_term(ctx, f) -> bool:
    """'the so-called "deal of the century"', 'the book "Fire and Fury"', 'signs reading
    "No war"', 'a campaign called "Fair Docks"': words introduced as a name or a term, with
    nobody named as saying them."""
    if not _quoted(f) or (f.speaker.name and f.speaker.kind == "person"):
        return False
    before = ctx.text[max(ctx.para_start(f.span.open), f.span.open - 40):f.span.open]
    return bool(_mention_before().search(before)) and not _verb_before(ctx, f)


def _verb_before(ctx, f) -> bool:
    """The word right before the quotation is a verb in its base or present form: 'would play
    "a constructive role"', 'shows "real progress"' (not the nouns "play" and "show" of the
    word list; the participles "dubbed", "titled" stay mentions)."""
    k = ctx.tok_at(f.span.open) - 1
    while k >= 0 and ctx.doc[k].is_punct and ctx.doc[k].text in ",:":
        k -= 1
    return k >= 0 and ctx.doc[k].tag_ in ("VB", "VBP", "VBZ")


# 'Benjamin "Benjie" Dela Paz': one or two capitalised words quoted between a name's words
_NICKNAME = re.compile(r"([A-Z][\w'’-]*)\s+$")
_AFTER_NICKNAME = re.compile(r"\s+[A-Z]")


@not_statement
def nickname(ctx, f) -> bool:
    """'Agriculture Secretary Benjamin "Benjie" Dela Paz': a nickname set inside a name."""
    if not _quoted(f) or f.span.close is None:
        return False
    words = ctx.text[f.span.start:f.span.end].split()
    if not 1 <= len(words) <= 2 or not all(w[:1].isupper() and w.replace("-", "").isalpha() for w in words):
        return False
    before = _NICKNAME.search(ctx.text[max(ctx.para_start(f.span.open), f.span.open - 40):f.span.open])
    # after a given name (given_names.tsv), not any capitalised word: a Title Case headline
    # quotes words between capitals too ('Trump "Would Love" To Run')
    return before is not None and is_given_name(before.group(1)) \
        and bool(_AFTER_NICKNAME.match(ctx.text, f.span.close + 1))


@not_statement
def writer_gloss(ctx, f) -> bool:
    """By "root causes," they mean ...: the writer glossing a term."""
    if not _quoted(f):
        return False
    lo = ctx.para_start(f.span.open)
    cut = max(lo, f.span.open - _WINDOW)  # a window: linear in the text however many quotes
    return bool(re.search(r"(?:^|[.!?]\s+)By\s*$" if cut == lo else r"[.!?]\s+By\s*$",
                          ctx.text[cut:f.span.open]))


def title_case(quoted: str) -> bool:
    """Capitalised like the title of a work: 'The Art of the Deal', 'Make America Great'."""
    minor = set(_words()["minor_words"])
    words = [w.strip("’'") for w in re.findall(r"[\w’']+", quoted)]
    words = [w for w in words if w]
    major = [w for w in words if w.lower() not in minor]
    return len(words) >= 2 and len(major) >= 2 and all(w[0].isupper() for w in major) \
        and (any(w.lower() in minor for w in words[1:]) or len(words) <= 4)


_NAME_CALLING = {f"{v}{e}" for v in ("call", "label", "brand", "dub", "nickname", "mock")
                 for e in ("", "s", "ed", "ing", "bed", "bing")}
# right before a title: a preposition or 'told', then the owner's name ('on CNN's', 'with
# Sirius XM's', 'to the tune of'), or a programme's star or host
_BEFORE_A_NAME = re.compile(r"\b(?i:on|in|of|to|from|with|at|during|for|about|told|star|host|hosts|"
                            r"hosted|watch|watched|appeared|appearance|interview)"
                            r"(?P<owner>(?:\s+[A-Z][\w.&-]*)+['’]s?)?\s*$")
# a one-word name after "on" is the show the words were said on ('told Fox on "Hannity"')
_BROADCAST_ON = re.compile(r"\b(?i:on|watch|watched)\s*$")
# right after one: '"Broad Street" star Ann Lee', '"Harbour Nights" host'
_AFTER_A_NAME = re.compile(r"[\"”’']?\s*(?:star|stars|co-star|actor|actress|host|hosts|creator|"
                           r"producer|producers|author|episode|episodes|fans|cast)\b", re.I)
_TITLE_WORDS = 8  # a full quotation this short, capitalised as a title, after the above


def _ends_with_a_work(quoted: str) -> bool:
    """'The Ann Reyes Morning Show', 'Harbour Nights Podcast': a name ending in a kind of work."""
    words = re.findall(r"[\w’']+", quoted)
    return len(words) >= 2 and words[-1].lower() in set(_words()["work_names"])


def _name_like(quoted: str) -> bool:
    """Capitalised like a name, one word or several: 'Hannity', 'The Apprentice'; a word
    that opens with a figure counts as capitalised ('13th', '1984', 'Apollo 13')."""
    minor = set(_words()["minor_words"])
    words = [w.strip("’'") for w in re.findall(r"[\w’']+", quoted)]
    words = [w for w in words if w]
    return 0 < len(words) <= _TITLE_WORDS and all(w[0].isupper() or w[0].isdigit() or w.lower() in minor
                                                  for w in words) and not words[0][0].islower()


def _object_of_authoring(before: str, after: str, quoted: str) -> bool:
    """A title-case quotation (not in capitals, not an exclamation: a post) right after a
    verb that takes a work, with the sentence going on in lower case after it: the work's
    name."""
    last = before.split()[-1].lower() if before.split() else ""
    goes_on = bool(re.match(r"[\"”’']?\s+[a-z0-9]", after))
    quoted = quoted.strip()
    return last in set(_words()["authoring_verbs"]) and goes_on and not quoted.isupper() \
        and not quoted.rstrip(",.;:").endswith("!")


@not_statement
def title_of_a_work(ctx, f) -> bool:
    """A quotation capitalised like a title ("The Apprentice", "Art of the Deal") inside the
    writer's sentence; one capitalised like a name right after the name of a kind of work ('the
    reality show, "Survivors,"', 'her memoir, "Tough Choices"') or after the name of its
    owner ('on HRB's "Dockside,"', 'an interview with Sirius XM's "Morning Report."'); a
    short title-case one after a preposition or 'told' ('said on "Meet the Press."'), or
    before 'star' or 'host' ('"Broad City" star'): the name of a work, a show, a campaign."""
    if not _quoted(f) or ctx.section == "title":
        return False
    quoted = ctx.text[f.span.start:f.span.end]
    if f.speaker.name and (f.speaker.cue or "") in _NAME_CALLING:
        return False  # 'Friedan called her an "Aunt Tom"': what someone called someone
    before = ctx.text[max(ctx.para_start(f.span.open), f.span.open - _WINDOW):f.span.open].rstrip()
    prep = _BEFORE_A_NAME.search(before)
    if (_name_like(quoted) or title_case(quoted)) and (_mention_before().search(before[-40:]) or prep and prep.group("owner")):
        return True
    if prep and _name_like(quoted) and (_ends_with_a_work(quoted) or _BROADCAST_ON.search(before)
                                        and len(quoted.strip(" ,.;:!?").split()) == 1):
        return True  # 'said on "The Ann Reyes Morning Show,"', 'said on "Hannity"
    if not title_case(quoted) or characterised(ctx, f):
        return False  # 'hailed Trump as "The Comeback Kid"', 'as "Miss Piggy" and "Miss Housekeeping"'
    inner = quoted.strip(" ,.;:!?")
    if f.kind == "partial" or (len(inner) > 2 and inner[0] in "'‘" and inner[-1] in "'’"):
        return True  # a fragment, or a title in inner marks: "'Monday Night Football,'"
    if _object_of_authoring(before, ctx.text[f.span.end:f.span.end + 3], quoted):
        return True  # 'who wrote "The Art of the Deal" in 1987'

    after = ctx.text[f.span.end:f.span.end + 20]
    return len(quoted.split()) <= _TITLE_WORDS and bool(prep or _AFTER_A_NAME.match(after))


@lru_cache(maxsize=1)
def _characterising() -> re.Pattern:
    words = _words()
    verbs = "|".join(map(re.escape, sorted(words["characterising_verbs"], key=len, reverse=True)))
    likening = "|".join(map(re.escape, sorted(words["likening_verbs"], key=len, reverse=True)))
    # '... as a "disgrace"' (not 'such as', 'as well as'), 'called Trump "unhinged"',
    # 'likened him to a "snake"'
    return re.compile(r"(?:(?<!such )(?<!well )(?<!same )\bas(?:\s+(?:an?|the))?"
                      r"|\b(?:" + verbs + r")(?:\s+(?!(?:to|for|on|in|at|with|from|of|by|into)\b)[\w’'.-]+){1,3}"
                      r"|\b(?:" + likening + r")\b[^.!?;:]{0,40}?\bto(?:\s+(?:an?|the))?)\s*$", re.I)


_KNOWN_AS = re.compile(r"\bknown\b[^.!?;]{0,30}\bas(?:\s+(?:an?|the))?\s*$", re.I)
# 'as "false" or "pants on fire"': a quotation joined to the one before it
_JOINED = re.compile(r"[\"”’']\s*,?\s+(?:and|or)(?:\s+(?:an?|the))?\s*$", re.I)


def characterised(ctx, f) -> bool:
    """The quoted words are what the writer reports someone calling something: right after
    'as' ('blasted Clinton as a "disgrace"', 'dismissed the idea as "ludicrous"'), after a
    verb of calling and its object ('called Trump "unhinged"'), after a verb of likening
    ('likened him to a "snake"'), or joined by 'and' or 'or' to quoted words that are
    ('rated it as "false" or "pants on fire"')."""
    open_ = f.span.open
    for _ in range(4):
        lo = max(ctx.para_start(open_), open_ - 60)
        before = ctx.text[lo:open_]
        if _characterising().search(before):
            return not _KNOWN_AS.search(before)  # 'known to staff as "the beast"': a name
        joined = _JOINED.search(before)
        if joined is None:
            return False
        close = lo + joined.start()  # the closing mark of the quotation before
        k = bisect_right(ctx.spans, close, key=lambda sp: sp.open) - 1
        prev = ctx.spans[k] if k >= 0 and ctx.spans[k].close == close else None
        if prev is None:
            return False
        open_ = prev.open
    return False


@lru_cache(maxsize=1)
def _asked_for() -> re.Pattern:
    verbs = "|".join(r"\s+".join(map(re.escape, w.split())) for w in sorted(_words()["asking_verbs"], key=len, reverse=True))
    return re.compile(r"\b(?:" + verbs + r")(?:\s+(?:an?|the|more|new))?\s*$", re.I)


@not_statement
def scare_quote(ctx, f) -> bool:
    """Up to three quoted words with no reporting verb and nobody said to have said them,
    unless the sentence reports someone calling something by them (`characterised`) or
    asking for it ('called for a "European awakening"')."""
    if not _quoted(f) or f.speaker.name or f.speaker.mention or f.has_cue or _sentence_after_colon(ctx, f):
        return False
    if _asked_for().search(ctx.text[max(ctx.para_start(f.span.open), f.span.open - 40):f.span.open]):
        return False
    return len(re.findall(r"\w+", ctx.text[f.span.start:f.span.end])) <= 3 and not characterised(ctx, f) \
        and not _in_a_held_clause(ctx, f) and not _a_sentence_of_its_own(ctx, f)


def _a_sentence_of_its_own(ctx, f) -> bool:
    """The quotation is a whole sentence standing alone: it opens a sentence with a capital
    and closes with its stop inside the marks ('"It is a sea of red," a trader said.
    "Nobody wants airlines."'), which no writer puts scare quotes around."""
    words = ctx.text[f.span.start:f.span.end].strip()
    before = ctx.text[ctx.para_start(f.span.open):f.span.open].rstrip()
    return bool(_FULL_SENTENCE.match(words)) and (not before or before[-1] in ".!?\"”’'")


@lru_cache(maxsize=1)
def _held_clause_verbs() -> frozenset[str]:
    return forms_by_class()["belief"] | forms_by_class()["evidence"]


def _in_a_held_clause(ctx, f) -> bool:
    """The quoted words stand in the clause of a verb of belief or finding whose subject
    someone named: "Ana Ruiz believes the plan is 'deeply flawed'", "The audit found that
    the fees were 'unlawful'": hers, its (verb_speakers.governing_subject credits them)."""
    verbs = _held_clause_verbs()
    k = ctx.tok_at(f.span.start)
    if k >= len(ctx.doc):
        return False  # (no token starts in the quoted words)
    t = ctx.doc[k]
    for _ in range(6):
        if t.head.i == t.i:
            return False
        if t.dep_ == "ccomp" and t.head.lower_ in verbs and t.head.pos_ == "VERB":
            subj = next((c for c in t.head.children if c.dep_ == "nsubj"), None)
            m = ctx.resolver.by_tok.get(subj.i) if subj is not None else None
            return m is not None and bool(m.person or m.entity or m.kind == "document")
        t = t.head
    return False


_FULL_SENTENCE = re.compile(r"[A-Z].*[.!?][\"”’']?\s*$", re.S)


def _sentence_after_colon(ctx, f) -> bool:
    """`His advice was blunt: "Make a deal."`: a short quotation that a colon introduces and
    that is a sentence of its own (capital to full stop) was said, not a word held at arm's
    length."""
    before = ctx.text[ctx.para_start(f.span.open):f.span.open].rstrip()
    return before.endswith(":") and bool(_FULL_SENTENCE.match(ctx.text, f.span.start, f.span.end))


_EMBED = re.compile(r"^\s*Follow\b.{0,60}\bon (?:Twitter|Facebook|Instagram)\b|</?[a-z][^>]*>|\(@\w+\)\s+\w+ \d{1,2}, \d{4}", re.I)
_NOT_WORDS = re.compile(r"pic\.twitter\.com/\S*|https?://\S*|www\.\S*|&(?:amp|quot|lt|gt|nbsp|#\d+);|[@#]\w+", re.I)


@not_statement
def markup_remnant(ctx, f) -> bool:
    """Leftovers of an embedded post or of HTML: a link, 'pic.twitter.com/…', an entity
    like '&amp;', a tag or a value inside one, the '— Name (@handle) June 5, 2016' signature
    of a tweet: words that are little but links, @handles, #hashtags and entities, or hold
    an embed's tag or signature. A quoted post with a link or a handle in it still counts."""
    text = ctx.text[f.start:f.end]
    if _EMBED.search(text):
        return True
    line_before = ctx.text[max(ctx.para_start(f.start), f.start - _WINDOW):f.start]
    if line_before.rfind("<") > line_before.rfind(">"):
        return True  # an attribute inside a tag: <tweet tweet-id="...">
    rest = _NOT_WORDS.sub(" ", text)
    return bool(_NOT_WORDS.search(text)) and len(re.findall(r"[^\W\d_]{2,}", rest)) < 3


@not_statement
def all_caps_subhead(ctx, f) -> bool:
    """A statement in a line set in capitals ('TRUMP: WE WILL WIN'), or in the capitals
    that open a paragraph as its run-in head ('LEE'S BOSS SAYS SHE IS RIGHT — The head of
    ...'): a subhead or a label of the page, not the article's report."""
    if ctx.section == "title":
        return False
    k = bisect_right(ctx.para_bounds, (f.start, float("inf"))) - 1
    lo, hi = ctx.para_bounds[k] if k >= 0 else (0, f.end)
    head_end = run_in_caps_head(ctx.text, lo, hi)
    if head_end is not None and (f.end <= head_end or f.kind == "indirect" and f.speaker.at
                                 and lo <= f.speaker.at[0] and f.speaker.at[1] <= head_end):
        # the head's words, or reported speech whose speaker is the head's ("LEE'S BOSS THINKS
        # SO — The chief said ..."); a quotation keeps its place, though the head took its speaker
        return True
    if hi - lo > 300:
        return False  # longer than a subhead of 15 words
    line = ctx.text[lo:hi]
    return in_capitals(line) and len(line.split()) <= 15



# a section break set between dashes, AFP's house style ("- 'Productive' -", "- Pressure -")
_DASHED_LINE = re.compile(r"^\s*[-–—]\s+\S.{0,120}?\s[-–—]\s*$")


@not_statement
def dashed_subhead(ctx, f) -> bool:
    """A quotation in a paragraph that is only a line between dashes ("- 'Next time in
    Moscow' -"): a wire story's section break, whose quoted words repeat the text below it."""
    if ctx.section == "title":
        return False
    k = bisect_right(ctx.para_bounds, (f.start, float("inf"))) - 1
    lo, hi = ctx.para_bounds[k] if k >= 0 else (0, f.end)
    return bool(_DASHED_LINE.match(ctx.text[lo:hi]))


_QUESTION_AUX = "did|does|do|has|have|had|will|would|could|can"
_ASKED_IF_SAID = re.compile(r"^(?:[^:]{1,40}:\s+)?(?:" + _QUESTION_AUX + r")\s", re.I)
# ... and for reported speech, whose cue is the question's own verb ("Is Lee saying ...?")
_ASKED_IF_REPORTED = re.compile(r"^(?:[^:]{1,40}:\s+)?(?:" + _QUESTION_AUX
                                + r"|is|are|was|were|should|shall|may|might|must)\s", re.I)


@not_statement
def asked_whether_said(ctx, f) -> bool:
    """A quotation inside the writer's yes/no question ('Fact check: Did Putin really say
    Alaska was "Russian land"?'): the sentence asks whether the words were said, it does not
    report them. Only the writer's question: a "?" after the quotation closes, the sentence
    opening with an auxiliary."""
    if not _quoted(f) or f.span.close is None:
        return False
    k = bisect_right(ctx.frames, (f.span.open, float("inf"))) - 1
    if k < 0:
        return False
    lo, hi = ctx.frames[k]
    after = ctx.text[f.span.close + 1:hi].strip()
    return after.endswith("?") and bool(_ASKED_IF_SAID.match(ctx.text[lo:f.span.open]))


@not_statement
def reported_in_a_question(ctx, f) -> bool:
    """Reported speech inside the writer's yes/no question ('Did Putin say the war would
    end?', 'Q: Will Ukraine be asked to give up territory?'): the sentence asks whether it
    was said or will be, and reports nothing. A wh-question ('Why did the Kremlin claim the
    talks were a success?') takes the saying as given and keeps it."""
    if f.kind != "indirect" or f.cue_at is None:
        return False
    at = ctx.doc[f.cue_at].idx
    k = bisect_right(ctx.frames, (at, float("inf"))) - 1
    if k < 0:
        return False
    lo, hi = ctx.frames[k]
    sentence = ctx.text[lo:hi].rstrip().rstrip("\"”’'").rstrip()
    return sentence.endswith("?") and bool(_ASKED_IF_REPORTED.match(ctx.text[lo:hi]))
