"""Finding quotation spans in news English: pure functions over a string.

A span is the quoted words without their marks, so that `text[span.start:span.end]` is
exactly what the speaker is quoted as saying. Marks are read from their context rather
than their glyph alone, because published text mixes straight and curly marks, uses
single quotes as primary marks (British style), nests quotes, runs a quotation over
several paragraphs (each opens with a mark, only the last closes) and sometimes forgets a
closing mark. Apostrophes (don't, Putin's, Jones' car, the '90s) are not marks.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import datelines
from .datafiles import read_toml

DOUBLE_OPEN, DOUBLE_CLOSE, DOUBLE_AMBI = "“„«", "”»", '"'
SINGLE_OPEN, SINGLE_CLOSE, SINGLE_AMBI = "‘‚‹", "’›", "'"
MARKS = DOUBLE_OPEN + DOUBLE_CLOSE + DOUBLE_AMBI + SINGLE_OPEN + SINGLE_CLOSE + SINGLE_AMBI
_LEFT_BOUND = "([{—–-/" + MARKS
_RIGHT_BOUND = ".,;:!?)]}—–-…" + MARKS
_SENTENCE_END = ".!?…"
# Elisions that open with an apostrophe: the '90s, '22, rock 'n' roll, 'em, 'til.
_ELISION = re.compile(r"(\d0s|\d\d\b|n['’]|em\b|til\b|cause\b|tis\b|twas\b|bout\b|s\b)", re.I)
_PARAGRAPH = re.compile(r"[^\n]+")
_BEFORE_A_DIGIT = re.compile("[" + re.escape(SINGLE_OPEN + SINGLE_AMBI) + r"](?=\d)")


@dataclass(frozen=True)
class Span:
    start: int          # first character of the quoted words
    end: int            # one past the last quoted character (marks excluded)
    open: int           # index of the opening mark
    close: int | None   # index of the closing mark; None when the source never closes it
    family: str         # "double", "single", "turn" (a transcript's labelled paragraph),
                        # "post" (an embedded social-media post, see `embedded_posts`) or
                        # "dash" (a paragraph of words opened by a dash, see `dash_quotation`)
    continues: bool = False   # runs on into the next paragraph
    continued: bool = False   # continues a quotation from the previous paragraph

    @property
    def balanced(self) -> bool:
        return self.close is not None or self.continues


def _role(text: str, i: int) -> str:
    """'open', 'close', 'toggle' or '' (not a mark here) for the mark at text[i]."""
    c = text[i]
    prev = text[i - 1] if i > 0 else None
    nxt = text[i + 1] if i + 1 < len(text) else None
    left = prev is None or prev.isspace() or prev in _LEFT_BOUND
    right = nxt is None or nxt.isspace() or nxt in _RIGHT_BOUND
    can_open = left and nxt is not None and not nxt.isspace()
    can_close = prev is not None and not prev.isspace() and right
    if c in SINGLE_OPEN + SINGLE_CLOSE + SINGLE_AMBI:
        if prev is not None and nxt is not None and prev.isalnum() and nxt.isalnum():
            return ""  # don't, Putin’s
        if can_open and not can_close:
            return "" if _ELISION.match(text, i + 1) and c != "‹" else "open"
        if can_close and not can_open:
            return "close"
        if can_open and can_close:
            return "open" if c in SINGLE_OPEN else "close"
        return ""
    if c in DOUBLE_OPEN:
        return "close" if can_close and not can_open and c == "“" else "open"
    if c in DOUBLE_CLOSE:
        return "open" if can_open and not can_close and c == "”" else "close"
    if can_open and not can_close:
        return "open"
    if can_close and not can_open:
        return "close"
    return "toggle"


def _family(c: str) -> str:
    return "double" if c in DOUBLE_OPEN + DOUBLE_CLOSE + DOUBLE_AMBI else "single"


def _marks(text: str, lo: int, hi: int) -> list[tuple[int, str, str]]:
    """(index, family, role) of every quote mark in text[lo:hi]."""
    out = []
    for i in range(lo, hi):
        if text[i] in MARKS:
            role = _role(text, i)
            if role:
                out.append((i, _family(text[i]), role))
    return out


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _opens_with(text: str, lo: int, hi: int, family: str) -> bool:
    """Does the paragraph text[lo:hi] start with an opening mark of `family`?"""
    marks = _marks(text, lo, min(hi, lo + 1))
    return bool(marks) and marks[0][1] == family and marks[0][2] in ("open", "toggle")


def _scan_paragraph(text: str, lo: int, hi: int, next_para: tuple[int, int] | None,
                    continued_from: str | None) -> tuple[list[Span], str | None]:
    """Spans of one paragraph, and the family of a quotation left running into the next."""
    spans, running, unclosed = _scan(text, lo, hi, next_para, continued_from, True)
    if unclosed:  # the s' read as an apostrophe was a closing mark after all
        spans, running, _ = _scan(text, lo, hi, next_para, continued_from, False)
    return spans, running


def _scan(text, lo, hi, next_para, continued_from, possessive: bool):
    """One pass over the marks of text[lo:hi]. Linear in the paragraph's length whatever
    the arrangement of marks: each mark is pushed and popped at most once, and the open
    marks of each family are kept in their own stack of positions in `stack`."""
    marks = _marks(text, lo, hi)
    spans: list[Span] = []
    stack: list[tuple[int, str]] = []  # (index of opening mark, family)
    in_fam: dict[str, list[int]] = {"double": [], "single": []}  # positions in `stack`
    pending_continued = continued_from
    first = _first_nonspace(text, lo)

    def push(i: int, fam: str):
        in_fam[fam].append(len(stack))
        stack.append((i, fam))

    def cut(j: int):
        """Drop stack[j:] (and their places in in_fam)."""
        for _, f in stack[j:]:
            in_fam[f].pop()
        del stack[j:]

    def emit(open_i: int, fam: str, end: int, close: int | None, continues: bool = False):
        nonlocal pending_continued
        s, e = _strip(text, open_i + 1, end)
        cont = pending_continued == fam and open_i == first
        pending_continued = None
        if e > s and any(ch.isalnum() for ch in text[s:e]):
            spans.append(Span(s, e, open_i, close, fam, continues, cont))

    # A closing single mark after "s" followed by a word (the workers' union) is an
    # apostrophe when the open single quotation closes later on.
    last_single_close = max((i for i, fam, role in marks if fam == "single" and role == "close"),
                            default=-1)
    runs_on = bool(next_para) and _opens_with(text, *next_para, "single")
    # a mark before a number read as a year's apostrophe ('22) opened a quotation after all
    # when a single closing mark that nothing else opened follows it: '10 out of 10'
    elided = [m.start() for m in _BEFORE_A_DIGIT.finditer(text, lo, hi) if not _role(text, m.start())]
    floor = lo - 1  # the last closing mark taken
    for i, fam, role in marks:
        if fam == "double":
            if role == "toggle":
                role = "close" if in_fam[fam] else "open"
            if role == "open":
                if stack and stack[-1][1] == "double" and _ends_sentence(text, stack[-1][0] + 1, i):
                    # A quotation opens before the previous one closed (a mark lost in the
                    # source): the previous one ends where the new one starts.
                    open_i, _ = stack[-1]
                    cut(len(stack) - 1)
                    if not stack:
                        emit(open_i, fam, i, None)
                push(i, fam)
            elif in_fam[fam]:
                j = in_fam[fam][-1]
                open_i = stack[j][0]
                cut(j)  # unclosed single marks inside were apostrophes
                if not stack:
                    emit(open_i, fam, i, i)
        else:
            if role == "open":
                push(i, fam)
            elif role == "close" and stack and stack[-1][1] == "single":
                # ... or when the quotation runs on into the next paragraph
                if (possessive and text[i - 1] in "sS" and i + 2 < hi and text[i + 1] == " "
                        and text[i + 2].isalpha() and (last_single_close > i or runs_on)):
                    continue
                open_i, _ = stack[-1]
                cut(len(stack) - 1)
                floor = i
                if not stack:
                    emit(open_i, fam, i, i)
            elif role == "close" and not stack and not (text[i - 1] in "sS" and i + 2 < hi and text[i + 1] == " "
                                                         and text[i + 2].isalpha()):  # (Jones' car)
                after = max(floor, spans[-1].end if spans else floor)
                year = next((e for e in reversed(elided) if after < e < i), None)
                if year is not None and re.search(r"\s['‘]", text[year + 1:i]):
                    year = None  # another elision between ("the '90s and rock 'n' roll")
                if year is not None:
                    floor = i
                    emit(year, fam, i, i)
    # What is still open at the end of the paragraph.
    running = None
    unclosed = bool(in_fam["single"])
    if stack:
        open_i, fam = stack[0]
        if next_para and _opens_with(text, *next_para, fam):
            emit(open_i, fam, hi, None, continues=True)
            running = fam
        elif fam == "double":
            emit(open_i, fam, hi, None)  # the source never closes it: keep the words
    return spans, running, unclosed and not running


def _first_nonspace(text: str, lo: int) -> int:
    while lo < len(text) and text[lo].isspace():
        lo += 1
    return lo


def _ends_sentence(text: str, lo: int, hi: int) -> bool:
    """Does text[lo:hi] end, spaces aside, with a sentence stop? Reads back from hi over
    spaces only, so that asking it at every mark stays linear."""
    k = hi - 1
    while k >= lo and text[k].isspace():
        k -= 1
    return k >= lo and text[k] in _SENTENCE_END


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty line: body paragraphs, summary bullets, a title."""
    return [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text) if m.group().strip()]


def find_quotes(text: str, multi_paragraph: bool = True) -> list[Span]:
    """Every top-level quotation in `text`, in order. Nested quotes stay inside their
    outer quotation; a quotation over several paragraphs gives one span per paragraph.
    In a transcript (see `transcript_turns`) each labelled paragraph is one quotation, its
    marks inside it."""
    paras = paragraphs(text)
    turns = _turns(text, paras)  # paragraph start -> its turn
    posts = {lo: sp for lo, (sp, _) in embedded_posts(text).items()}
    spans: list[Span] = []
    running = None
    for k, (lo, hi) in enumerate(paras):
        if lo in turns or lo in posts:
            spans.append(turns.get(lo) or posts[lo])
            running = None
            continue
        dashed = dash_quotation(text, lo, hi)
        if dashed is not None:
            spans.append(dashed)
            running = None
            continue
        nxt = paras[k + 1] if multi_paragraph and k + 1 < len(paras) else None
        # A quotation runs over a paragraph break only across a blank line.
        if nxt and "\n\n" not in text[hi:nxt[0]] and text[hi:nxt[0]].count("\n") < 2:
            nxt = None
        found, running = _scan_paragraph(text, lo, hi, nxt, running)
        spans.extend(found)
    return spans


# --- quotations opened by a dash ---------------------------------------------------------------

# A paragraph a dash opens, as Scandinavian, Slavic and Romance outlets (and their English
# editions) print speech: "– Norway does nothing by halves, said Støre." The quoted words
# run from the dash to the last comma before a short closing clause with a cue.
_DASH_OPEN = re.compile(r"(?:[–—]|-(?=\s))\s+")  # (a hyphen typed for the dash too: "- Our position ...")
_DASH_TAIL_WORDS = 14  # the closing clause: a cue, a name with its title, where and to whom


def dash_quotation(text: str, lo: int, hi: int) -> Span | None:
    """The quoted words of a paragraph text[lo:hi] that a dash opens and a closing clause
    with a cue ends (", said Støre.", ", Listhaug told NRK."), as a span of family "dash"
    (`close` at the comma); None for any other paragraph (a list item, a dash with no cue
    after it, a paragraph with quote marks of its own)."""
    m = _DASH_OPEN.match(text, lo, hi)
    if m is None or any(c in DOUBLE_OPEN + DOUBLE_CLOSE + DOUBLE_AMBI for c in text[lo:hi]):
        return None
    from .rules.cues import forms_by_class  # (the cue lists; rules import this module)
    cues = forms_by_class()["speech"] | forms_by_class()["quote_only"]
    comma = text.rfind(", ", m.end(), hi)
    while comma > m.end():
        tail = [w.lower() for w in re.findall(r"[\w’'-]+", text[comma + 2:hi])]
        # (a cue, not "said to be": what something is said to be is no one's words)
        if len(tail) <= _DASH_TAIL_WORDS and any(w in cues and tail[k + 1:k + 2] != ["to"] for k, w in enumerate(tail)):
            s, e = _strip(text, m.end(), comma)
            if e > s and any(ch.isalnum() for ch in text[s:e]) and not _a_name(text[s:e]):
                return Span(s, e, m.start(), comma, "dash")
            return None  # ("— Ilya Brenner, reporting from Anchorage": a live blog's credit)
        comma = text.rfind(", ", m.end(), comma)
    return None


def _a_name(words: str) -> bool:
    """Names and nothing else, each two to four capitalised words ("Jane Morrow and Tom
    Bell"): a credit, not a quotation."""
    def one(name: str) -> bool:
        parts = name.split()
        return 2 <= len(parts) <= 4 and all(p[:1].isupper() and p.strip(".").replace("-", "").isalpha()
                                            for p in parts)
    return all(one(name) for name in re.split(r",? and |, ", words))


# --- embedded posts --------------------------------------------------------------------------

# An embedded post as a page's text gives it: the post's words, then its signature on the
# same line or the next, "— Ann Lee (@annlee) March 3, 2025" (X/Twitter's embed markup).
_POST_SIGNATURE = re.compile(r"[—–-]{1,2}\s*(?P<name>[^\s()@—–][^()\n@]{0,58}?)\s*\(@(?P<handle>\w{1,30})\)\s*"
                             r"(?P<date>[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4})\s*$")
# a link the embed leaves at the end of the post's words
_POST_LINKS = re.compile(r"(?:\s+(?:pic\.twitter\.com/\w+|https?://\S+))+\s*$")


@lru_cache(maxsize=4)  # find_quotes and, for each post, rules/quoted.py post_signature
def embedded_posts(text: str) -> dict[int, tuple[Span, re.Match]]:
    """{paragraph start: (the post's words as a span of family "post", its signature)} for
    every embedded post: the words before a signature on its line, or the line before a
    signature that stands alone. The words are the post's author's, said in full."""
    out = {}
    if "(@" not in text:  # no signature: most texts, read by find_quotes for every field
        return out
    paras = paragraphs(text)
    for k, (lo, hi) in enumerate(paras):
        m = _POST_SIGNATURE.search(text, lo, hi)
        if m is None or (m.start() > lo and not text[m.start() - 1].isspace()):
            continue
        if m.start() > lo and text[lo:m.start()].strip():
            wlo, whi = lo, m.start()
        elif k > 0 and paras[k - 1][0] not in out:
            wlo, whi = paras[k - 1]
        else:
            continue
        whi = wlo + len(_POST_LINKS.sub("", text[wlo:whi]))
        start, end = _strip(text, wlo, whi)
        if end > start and any(c.isalpha() for c in text[start:end]):
            out[wlo] = (Span(start, end, start, None, "post"), m)
    return out


# --- transcripts ---------------------------------------------------------------------------

# A paragraph that opens with a speaker's label: a name in capitals ("WALLACE:", "MIKE
# PENCE:", "O'REILLY:") or as it is written ("Vladimir Putin:", "President of Russia Vladimir
# Putin:", the transcripts of official sites), then a colon and the words; or a label alone
# on its line, with the time of the recording at most ("Donald Trump: (02:31)"), whose words
# are the paragraph after it. A transcript quoted as a whole opens each paragraph with a
# quotation mark (“WALLACE: ...), and closes the last.
_TRANSCRIPT = read_toml("quoted_phrases.toml")["transcript"]
# capitals and small letters of the Latin scripts' names ("ORDOÑEZ", "José Müller", "ŁUKASZ")
_UP = "A-Z" + "".join(c for c in map(chr, range(0xC0, 0x250)) if c.isupper())
_LOW = "a-z" + "".join(c for c in map(chr, range(0xC0, 0x250)) if c.islower())
_CAPS = rf"[{_UP}][{_UP}'’.\-]*[{_UP}.](?:[ \t]+[{_UP}][{_UP}'’.\-]*[{_UP}.]){{0,3}}"
_WRITTEN = (rf"[{_UP}][{_UP}{_LOW}'’.\-]*[{_UP}{_LOW}.](?:[ \t]+(?:(?:" + "|".join(map(re.escape, _TRANSCRIPT["name_particles"]))
            + rf")[ \t]+)?[{_UP}][{_UP}{_LOW}'’.\-]*[{_UP}{_LOW}.]){{0,4}}")
# a broadcast transcript's role after the name ("STEVE LEE, HOST:", "ANN BELL, BYLINE:")
_CAPS_ROLE = rf"(?:,[ \t]+[{_UP}][{_UP}'’.\-]*[{_UP}.](?:[ \t]+[{_UP}][{_UP}'’.\-]*[{_UP}.]){{0,2}})?"
_LABEL = re.compile(r"[ \t]*(?P<mark>[“\"‘']?)(?P<label>" + _CAPS + "|" + _WRITTEN + r")" + _CAPS_ROLE + r"[ \t]*:"
                    r"(?:(?P<alone>[ \t]*(?:\(\d{1,2}(?::\d{2}){1,2}\))?[ \t]*$)|[ \t]+(?=\S))")
_CLOSING = {"“": "”\"", '"': '"”', "‘": "’'", "'": "'’"}
_LETTER = re.compile(r"[^\W\d_]")
# a paragraph of a transcript that is nobody's words: a stage direction in brackets, or no
# letters at all
_STAGE = re.compile(r"\s*(?:\([^()]*\)|\[[^\[\]]*\])[.\s]*|[^A-Za-z]*")
# a stage direction opening a turn ("PUTIN: (As interpreted.) Dear Mr. President", "(Through
# an interpreter)", "[Laughter]"): the transcriber's words, before the speaker's
_LEADING_STAGE = re.compile(r"(?:\([^()\n]{1,40}\)|\[[^\[\]\n]{1,40}\])[.]?[ \t]*(?=\S)")
_NOT_LABELS = Path(__file__).resolve().parent / "data" / "not_statements.toml"


@lru_cache(maxsize=1)
def _not_labels() -> frozenset[str]:
    try:
        words = read_toml(_NOT_LABELS)["not_speaker_labels"]
    except KeyError as e:
        raise ValueError(f"{_NOT_LABELS}: no not_speaker_labels ({e})") from e
    return frozenset(w.upper() for w in words)


def in_capitals(s: str) -> bool:
    """Set in capitals: six letters or more, nine in ten of them upper case."""
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 6 and sum(c.isupper() for c in letters) >= 0.9 * len(letters)


# three words or more in capitals opening a paragraph up to a dash, the paragraph going on
# in lower case (not a colon: "WALLACE: Let's start ..." is a transcript's speaker label)
_RUN_IN_CAPS = re.compile(r"((?:[^a-z\s]+\s+){2,}?[^a-z\s]+)\s+[-–—]\s+(?=[A-Z][a-z])")


def run_in_caps_head(text: str, lo: int, hi: int) -> int | None:
    """Where the run-in head in capitals that opens the paragraph text[lo:hi] ends ("LEE'S
    BOSS THINKS SO — The chief said ..."), or None when it has none."""
    m = _RUN_IN_CAPS.match(text, lo, min(hi, lo + 300))
    return m.end(1) if m and in_capitals(m.group(1)) else None


def furniture_label(label: str) -> bool:
    """A run-in label that is page furniture or a section's kind ("UPDATE", "Analysis",
    "Watch"), not a speaker's name (not_statements.toml not_speaker_labels)."""
    return label.strip().rstrip(".").upper() in _not_labels() or _time_label().fullmatch(label.strip()) is not None


@lru_cache(maxsize=1)
def _time_label() -> re.Pattern:
    return re.compile(read_toml(_NOT_LABELS)["time_label"])


def speaker_label(text: str, lo: int, hi: int) -> re.Match | None:
    """The speaker's label opening the paragraph text[lo:hi], if it has one (`alone`: the
    paragraph is the label)."""
    m = _LABEL.match(text, lo, hi)
    if m is None or furniture_label(m.group("label")):
        return None
    if not _alone(m) and not _LETTER.search(text, m.end(), hi):
        return None  # "Clinton: 1,769.": a table's row, no one speaking
    return m


# An interview printed as questions and answers ("Q: What now?" / "A. We wait."; the labels:
# crosswire/data/quoted_phrases.toml [interview]): its answers are turns, its questions the
# writer's text, where the text has two of each, since one paragraph opening "A. Lee said" or
# "Q: " alone is no interview (rules/interviews.py gives the answers their speaker).
_INTERVIEW = read_toml("quoted_phrases.toml")["interview"]
_QA_LABEL = re.compile(r"[ \t]*(?P<mark>[“\"‘']?)(?P<label>" + "|".join(
    map(re.escape, sorted(_INTERVIEW["ask"] + _INTERVIEW["answer"], key=len, reverse=True))) + r")"
    # the stop or colon; or, after a bare label ("Q Mr. President, ..."), a space and a capital
    + r"(?:[.:][ \t]+(?=\S)|(?:" + "|".join(f"(?<=\\b{re.escape(w)})" for w in _INTERVIEW["ask_bare"])
    + r")[ \t]+(?=[A-Z(]))")
_QA_MIN = 2  # questions, and answers, in a text printed as an interview
_ANSWERS = frozenset(w.lower() for w in _INTERVIEW["answer"])


def is_answer(label: str) -> bool:
    """Whether a turn's label is an interview's answering label ("A", "Answer", "ANSWER:")."""
    return label.strip().rstrip(".").lower() in _ANSWERS


@lru_cache(maxsize=4)  # read by turn_labels and, for each answer, by rules/interviews.py
def interview_labels(text: str) -> dict[int, re.Match]:
    """{paragraph start: its Q or A label} of a text printed as questions and answers; empty
    for any other text."""
    found = {lo: m for lo, hi in paragraphs(text) if (m := _QA_LABEL.match(text, lo, hi))}
    answers = sum(1 for m in found.values() if is_answer(m.group("label")))
    if answers < _QA_MIN or len(found) - answers < _QA_MIN:
        return {}
    return found


def transcript_turns(text: str) -> list[Span]:
    """The turns of a transcript: paragraphs that open with a speaker's label, when the
    text has at least three of them and some label speaks twice (speakers take turns; a
    subhead like "WHAT'S NEXT:" is not repeated; labels written as names, not in capitals,
    only where the turns make up most of the text: a live blog's run-in "Zelensky: ..." lines
    are no transcript), and the answers of an interview printed as questions and answers
    (interview_labels). A turn goes on over the paragraphs without a label after it up to the
    next label (those after the last turn may be the writer's closing lines, and stay the
    writer's). Each turn paragraph is a span of family "turn"; `open` is at the label's
    colon (or stop), or at the paragraph's start where the label stands before it."""
    return list(_turns(text, paragraphs(text)).values())


@lru_cache(maxsize=4)  # the attribution rules ask for each turn of a text in turn
def turn_labels(text: str) -> dict[int, re.Match]:
    """{paragraph start: the label its turn is under} of every turn paragraph of the text
    (transcript_turns)."""
    paras = paragraphs(text)
    named = {lo: m for lo, hi in paras if (m := speaker_label(text, lo, hi))}
    caps = {lo: m for lo, m in named.items() if m.group("label").upper() == m.group("label")}
    # a label written as a name opens a turn of sentences, not a headline's run-in summary
    # ("Lee: port to reopen")
    bounds = dict(paras)
    named = {lo: m for lo, m in named.items() if lo in caps or _alone(m) or _ends_sentence(text, lo, bounds[lo])}
    interview = interview_labels(text)
    answered = {lo: m for lo, m in interview.items() if is_answer(m.group("label"))}
    # what ends a turn besides another's label: an interview's question (also where the
    # answers are labelled with the name: "Q: ..." / "Achterberg: ..."), a line of page
    # furniture ("VIDEO: ...", "UPDATE: ...")
    asked = {lo for lo, hi in paras if (m := _QA_LABEL.match(text, lo, hi)) and not is_answer(m.group("label"))}
    ends = {lo for lo in interview if lo not in answered} | asked | {
        lo for lo, hi in paras if (m := _LABEL.match(text, lo, hi)) and lo not in named}
    for labels, share in ((named, _TRANSCRIPT["written_share"]), (caps, 0.0)):
        if _takes_turns(labels):
            out = _under_labels(text, paras, {**labels, **answered}, ends)
            # the questions are the transcript's too, though no one named speaks them
            if len(out) + len(asked) + sum(1 for m in labels.values() if _alone(m)) >= share * len(paras):
                return out
    return _under_labels(text, paras, answered, ends)


def _alone(m: re.Match) -> bool:
    """A label that stands alone on its line (its words are the next paragraph)."""
    return "alone" in m.re.groupindex and m.group("alone") is not None


def _takes_turns(labels: dict[int, re.Match]) -> bool:
    """Three labels or more, one of them twice: speakers taking turns."""
    seen = Counter(m.group("label") for m in labels.values())
    return len(labels) >= 3 and max(seen.values(), default=0) >= 2


def _under_labels(text: str, paras, labels: dict[int, re.Match], ends: set[int]) -> dict[int, re.Match]:
    """{paragraph start: label} of each labelled paragraph with words, the paragraph after a
    label that stands alone, and the paragraphs between a turn and the next label (`labels`'
    or one of `ends`), but stage directions."""
    out, label, later, alone = {}, None, [], False
    for lo, hi in paras:
        m = labels.get(lo)
        if m is None and lo not in ends and _STAGE.fullmatch(text, lo, hi):
            continue  # "(BEGIN VIDEO CLIP.)", "[Applause]", "….": nobody's words
        if m is None and lo not in ends:
            if label is not None and alone:
                out[lo], alone = label, False
            elif label is not None:
                later.append(lo)
            continue
        out.update((k, label) for k in later)  # a label follows: they were the turn's
        later, label = [], m
        alone = m is not None and _alone(m)
        if m is not None and not alone:
            out[lo] = m
    return out


def _turns(text: str, paras: list[tuple[int, int]]) -> dict[int, Span]:
    turns = {}
    bounds = dict(paras)
    for lo, m in turn_labels(text).items():
        hi = bounds[lo]
        if m.start() != lo:  # a turn's paragraph after its label's: all of it
            start, end = _strip(text, lo, hi)
            turns[lo] = Span(start, end, start, None, "turn")
            continue
        start, end = _strip(text, m.end(), hi)
        while (stage := _LEADING_STAGE.match(text, start, end)) is not None:
            start = stage.end()
        if m.group("mark") and end > start and text[end - 1] in _CLOSING[m.group("mark")]:
            end = _strip(text, start, end - 1)[1]  # the transcript's closing mark
        after = text[m.end("label"):m.end()]
        colon = m.end("label") + len(after) - len(after.lstrip(" \t"))  # its colon, or the stop of "A."
        turns[lo] = Span(start, end, colon, None, "turn")
    return dict(sorted(turns.items()))


# --- sentences outside quotations ------------------------------------------------------

_WORD_CHARS = 24  # longer than any abbreviation in _ABBREV
_ABBREV = frozenset(read_toml("sentences.toml")["abbreviations"])  # where they came from: that file
NOT_INITIALS = frozenset(read_toml("sentences.toml")["not_initials"])
# Tried only where a run of stops begins, and without giving back what it took, so that a
# long run of stops or spaces costs linear time.
# (German-style „...“ and guillemets open and close sentences as the other quotation marks do)
_BOUNDARY = re.compile(r"(?<![.!?…])[.!?…]++[\"”’'»“]*+\s++(?=[\"“‘'«„‚(\[]?[A-Z0-9])")
_LAST_WORD = re.compile(r"(?<![\w.])([\w.]+)$")
_INITIALS = re.compile(r"(?:[A-Z]\.)*[A-Z]")  # "F" of "John F. Kennedy", "H.W" of "George H.W. Bush"


# what follows a quotation that ends in ? or ! and still belongs to its sentence: a short
# attribution ('"Why now?" Smith asked.', '"Enough!" shouted the mayor.')
_TAIL = re.compile(r"\s*((?:[\w’'.-]+\s+){0,7}?[\w’'.-]+)\s*[.,;:]")
_TAIL_CHARS = 200  # eight words of an attribution fit in this; bounds the match's work


def _attribution_tail(masked: str, m: re.Match, hi: int) -> bool:
    """True when the boundary m is a ? or ! closing a quotation and the words after it,
    up to the next stop, are a short clause with a reporting verb."""
    if not re.match(r"[!?]+[\"”’']", m.group()):
        return False
    at = m.end() - len(m.group()) + len(m.group().rstrip())
    tail = _TAIL.match(masked, at, min(hi, at + _TAIL_CHARS))
    if tail is None:
        return False
    from .rules.cues import aspectual_verbs, forms_by_class  # cue lists are data (crosswire/data/cues.toml)
    cues = forms_by_class()["speech"] | forms_by_class()["quote_only"]
    words = [w.lower() for w in re.findall(r"[\w’'-]+", tail.group(1))]
    # an aspectual verb only as the tail's last word: '"Why?" she began.', not "The crowd began to leave."
    return any(w in cues and (w not in aspectual_verbs() or k == len(words) - 1) for k, w in enumerate(words))


def sentences(text: str, spans: list[Span]) -> list[tuple[int, int]]:
    """Sentence frames: sentences of the writer's text, never split inside a quotation,
    never spanning a paragraph break. A quotation belongs to the frame holding its start."""
    chars = list(text)
    for sp in spans:  # mask quoted words, keeping a final stop visible
        last = sp.end - 1 if text[sp.end - 1] in _SENTENCE_END else sp.end
        for i in range(sp.start, last):
            if chars[i] != "\n":
                chars[i] = "X"
    masked = "".join(chars)
    # "RENO, Nev. (AP) -", "MOSCOW. Aug 16 (Interfax) -" open a story: one dateline, not two
    # sentences (a colon ends no sentence: the capitals-and-colon style is not asked for)
    opening = datelines.match(text)
    out = []
    for lo, hi in paragraphs(text):
        start = lo
        for m in _BOUNDARY.finditer(masked, opening.end if opening and lo == 0 else lo, hi):
            # the word before the stop, read from a short window (an abbreviation is short)
            word = _LAST_WORD.search(masked, max(start, m.start() - _WORD_CHARS), m.start())
            if word and m.group()[0] == "." and (
                    word.group(1).lower() in _ABBREV
                    or _INITIALS.fullmatch(word.group(1)) and word.group(1) not in NOT_INITIALS):
                continue
            if _attribution_tail(masked, m, hi):
                continue
            out.append(_strip(text, start, m.start() + len(m.group().rstrip())))
            start = m.end()
        out.append(_strip(text, start, hi))
    return [f for f in out if f[1] > f[0]]
