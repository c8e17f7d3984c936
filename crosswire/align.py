"""Align statements of different outlets within one event: which ones report the same
utterance, and how their wordings relate.

Pipeline per event (cost about linear in the number of statements plus the pairs found):
1. normalise every statement once (brackets and ellipses dropped, contractions expanded,
   light stemming);
2. block without caps: prefix filtering (Chaudhuri et al. 2006; Bayardo et al. 2007). Every
   statement indexes all its content bigrams; each statement probes the index with its
   rarest bigrams only, as many as the `bigram_share` condition of a strong link allows to
   miss, plus one. A pair that shares that share of the shorter's bigrams is always proposed,
   whatever the number of outlets; a pair that shares none of a statement's rarer bigrams
   cannot reach that share and is never scored;
3. score the candidate pairs: verbatim, near_verbatim, containment (the strong relations);
   a wording contained in quotations that are not the same utterance links to none of them
   (its words do not tell which one it quotes); a short fragment (two or three content
   words) keeps one partner per other article (its best container);
4. cross-source attribution from the strong links (see `attribute`);
5. paraphrase links between statements of the same named speaker, proposed by a weighted
   prefix filter that is exact for the paraphrase threshold, kept where each is the other's
   best candidate in the other article (mutual best).

Thresholds and word lists: crosswire/data/align.toml (fitted by bench/fit_align.py).
"""
from __future__ import annotations

import hashlib
import math
import re
import tomllib
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np
from rapidfuzz.distance import Indel

from . import speaker_kinds
from .speakers import PERSON_NOUNS, PERSONAL_PRONOUNS, role_key


def load_config() -> dict:
    text = resources.files("crosswire").joinpath("data/align.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


CONFIG = load_config()
_T = CONFIG["thresholds"]
MIN_FRAGMENT = _T["min_fragment"]
STRONG_WORDS = _T["strong_words"]
MISATTRIBUTED_WORDS = _T["misattributed_words"]
MISATTRIBUTED_COVER = _T["misattributed_cover"]
CONTAIN_MIN = _T["contain_min"]
NEAR_LONG_MIN = _T["near_long_min"]
BIGRAM_SHARE = _T["bigram_share"]
PARA_MIN = _T["para_min"]
PARA_SHARED = _T["para_shared"]
STOP = frozenset(CONFIG["words"]["stop"].split())
CONTRACTIONS = CONFIG["words"]["contractions"]
IRREGULAR = {k: v.split() for k, v in CONFIG["words"]["irregular"].items()}

# Display copies of a body quote (headline, standfirst, summary box) are not linked
# separately: the body statement carries the agreement.
DISPLAY_SECTIONS = {"title", "standfirst", "summary"}
# Resolutions that rest on the article's weaker evidence; a speaker found this way may be
# overruled by other outlets (cross_source).
WEAK_RESOLUTIONS = {"none", "role", "pronoun", None}
_DETERMINERS = {"the", "a", "an"}

# folded one by one with str.replace (many times faster than str.translate with a dict; the
# same text: no replacement holds a character that is folded)
_FOLD = (("\u2018", "'"), ("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"'), ("\u2013", "-"), ("\u2014", "-"),
         ("\u2026", " ... "), ("%", " percent "))  # "4.1%" is "4.1 percent" in another outlet's style
_BRACKET = re.compile(r"\[[^\]]*\]")   # editorial insertions and [...] elisions
_WORD = re.compile(r"[\w']+")


# texts longer than this (article bodies, not statements) keep no tokens between calls but
# the last few: a cache of 65,536 article bodies' tokens grew with the corpus (70 MB at 2k)
LONG_TEXT = 2_000


def _tokens(text: str) -> tuple[str, ...]:
    text = text or ""
    return _short_tokens(text) if len(text) <= LONG_TEXT else _long_tokens(text)


def _normalised(text: str, bracket: re.Pattern = _BRACKET) -> str:
    """NFKC, folded quotes and dashes, no editorial brackets or ellipses: what words are read from."""
    text = unicodedata.normalize("NFKC", text)
    for mark, plain in _FOLD:
        text = text.replace(mark, plain)
    return bracket.sub(" ", text).replace("...", " ")


def _tokenized(text: str) -> tuple[str, ...]:
    return tuple(w.strip("'") for w in _WORD.findall(_normalised(text)) if w.strip("'"))


_short_tokens = lru_cache(maxsize=1 << 16)(_tokenized)   # statements: compared many times
_long_tokens = lru_cache(maxsize=4)(_tokenized)          # an article's body: read by its profile and label words


@lru_cache(maxsize=1 << 16)
def expand(word: str) -> tuple[str, ...]:
    """A lower-cased word with its clitic spelt out: "didn't" -> ("did", "not"),
    "we're" -> ("we", "are"), "people's" -> ("people",)."""
    if word in IRREGULAR:
        return tuple(IRREGULAR[word])
    for clitic, full in CONTRACTIONS.items():
        if word.endswith(clitic) and len(word) > len(clitic):
            return (word[: -len(clitic)], full)
    if word.endswith("'s") and len(word) > 2:
        return (word[:-2],)
    return (word,)


def words(text: str) -> list[str]:
    """The speaker's words, normalised: NFKC, folded quotes, no editorial brackets, lower,
    contractions spelt out, "%" and "per cent" written "percent"."""
    out = [p for w in _tokens(text) for p in expand(w.lower())]
    if "cent" in out:  # British "per cent" is American "percent"
        for k in range(len(out) - 1, 0, -1):
            if out[k] == "cent" and out[k - 1] == "per":
                out[k - 1:k + 1] = ["percent"]
    return out


# a bracket that does not run past a line's end, and a word or a line's end: for line_tokens
_LINE_BRACKET = re.compile(r"\[[^\]\n]*\]")
_WORD_OR_LINE = re.compile(r"[\w']+|\n")


# ASCII text's characters that are neither word characters (as \w reads them), "'" nor "\n": spaces
_ASCII_GAPS = str.maketrans({chr(c): " " for c in range(128) if not (chr(c).isalnum() or chr(c) in "_'\n")})


def line_tokens(text: str) -> list[str]:
    """The tokens of every line of `text` (its "\n"-separated parts) in one pass, each line's
    end a "\n" token (and maybe empty strings, which spell no word): `spelt` of each gives
    `words` of its line. One pass, not one call per line, and the same words: NFKC neither
    moves nor composes across a "\n" (a starter that composes with nothing) and never makes
    one, and no bracket, ellipsis or word here runs over one. ASCII text is cut by str
    methods, three times faster than the regex (the same runs of word characters and "'")."""
    text = _normalised(text, _LINE_BRACKET)
    if text.isascii():
        return text.translate(_ASCII_GAPS).replace("\n", " \n ").split(" ")
    return _WORD_OR_LINE.findall(text)


def spelt(token: str) -> tuple[str, ...]:
    """The words (as `words` gives them) of one token of `line_tokens` other than "\n"."""
    bare = token.strip("'")
    return expand(bare.lower()) if bare else ()


def words_by_line(text: str) -> list[list[str]]:
    """`words` of each line of `text`, from `line_tokens`."""
    out, line = [], []
    for tok in line_tokens(text):
        if tok == "\n":
            out.append(line)
            line = []
        else:
            line.extend(spelt(tok))
    out.append(line)
    return out


def suffix_strip(word: str) -> str:
    """Crude suffix stripping: enough to meet "agreed"/"agree", "issues"/"issue"."""
    for suf in ("ations", "ation", "ments", "ment", "ingly", "ing", "edly", "ed", "ies", "es",
                "ly", "s"):
        if word.endswith(suf) and len(word) - len(suf) >= 3:
            word = word[: -len(suf)] + ("y" if suf == "ies" else "")
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


# near-synonym groups (align.toml): each stemmed word -> the stem of its group's first word
SYNONYMS = {suffix_strip(w): suffix_strip(group[0])
            for group in reversed(CONFIG["synonyms"]["groups"]) for w in group}


@lru_cache(maxsize=1 << 17)
def stem(word: str) -> str:
    """The word's stem, folded to its near-synonym group's: "issues" and "points" meet."""
    s = suffix_strip(word)
    return SYNONYMS.get(s, s)


@dataclass(slots=True)
class Prepared:
    idx: int
    sid: str
    article_id: str
    source_id: str
    kind: str
    section: str
    speaker_id: str | None
    resolution: str | None
    tokens: list[str]                 # normalised words
    stems: list[str]                  # stem of each token ("" for stop words)
    content: list[str] = field(default_factory=list)  # content stems in order
    cset: frozenset = frozenset()
    bigrams: frozenset = frozenset()  # adjacent pairs of content stems
    weight: float = 0.0               # IDF weight of cset, set by `weigh`
    voice: str | None = None          # who it is credited to (speaker_voice)
    named: bool = False               # whether its article names someone for it (names_someone)
    person: bool = False              # ... and that someone is a person or a person's office (names_a_person)
    figures: frozenset = frozenset()  # the numbers written in figures ("6,000" -> "6000")
    anonymous: bool = False           # credited to an anonymous source ("an EU official"; anonymous())
    body: bool = False                # credited to a body or a group its article names (names_a_body)


def prepare(i: int, st: dict, source_of: dict[str, str]) -> Prepared:
    toks = words(st.get("text", ""))
    stems = ["" if t in STOP else stem(t) for t in toks]
    content = [s for s in stems if s]
    return Prepared(i, st["statement_id"], st["article_id"], source_of.get(st["article_id"], ""),
                    st.get("kind") or "direct", st.get("section") or "body",
                    st.get("speaker_id"), st.get("resolution"), toks, stems, content,
                    frozenset(content), frozenset(zip(content, content[1:])), voice=speaker_voice(st),
                    named=names_someone(st), person=names_a_person(st), figures=figures(st.get("text", "")),
                    anonymous=anonymous(st), body=names_a_body(st))


def speaker_voice(st: dict) -> str | None:
    """Who a statement is credited to, as alignment compares speakers: the person's id, or
    else the words that name a body, a document or an unnamed source ("police", "the
    ministry": bodies have no speaker id), so that two outlets' "Police said ..." are one
    speaker's and a body's fragment is not another person's words. None for no one or a
    bare pronoun the article did not resolve ("she" names no one). A statement dict that
    carries `event_voice` (event_names.body_voices: the fuller form of a body's name the
    event gives) is compared by it."""
    if st.get("speaker_id"):
        return st["speaker_id"]
    if st.get("event_voice"):
        return st["event_voice"]
    words = (st.get("speaker_name") or st.get("speaker_mention") or "").lower().split()
    while words and words[0] in _DETERMINERS:
        words = words[1:]
    if not words or (len(words) == 1 and words[0] in PERSONAL_PRONOUNS):
        return None
    return "~" + " ".join(words)


def names_someone(st: dict) -> bool:
    """The article names someone for this statement (a person, a body, an office, a pronoun
    it resolved). An unresolved "she" names no one, nor does an unresolved description that
    is no office ("the centre-back", "the 34-year-old"): neither is a conflict with another
    outlet's name, nor keeps its reported speech from another outlet's; "the US chief of
    staff" for Trump's words is one."""
    if speaker_voice(st) is None:
        return False
    if st.get("speaker_id") or st.get("speaker_kind") not in (None, "person"):
        return True
    key = role_key(st.get("speaker_mention") or "")
    return key is not None and key.head in PERSON_NOUNS


def anonymous(st: dict) -> bool:
    """The statement's article keeps its source anonymous: an unnamed official, source,
    diplomat ... (speaker_kinds.toml anonymous_heads), or one "who spoke on condition of
    anonymity" ([unnamed] after); not "one fishmonger" or "a spokesman", whom another outlet
    may name."""
    if st.get("speaker_kind") != "unnamed":
        return False
    lists = speaker_kinds.lists()
    mention = (st.get("speaker_mention") or "").lower()
    key = role_key(mention)
    return key is not None and speaker_kinds.singular(key.head) in lists.anonymous_heads \
        or any(phrase in mention for phrase in lists.unnamed_after)


def names_a_body(st: dict) -> bool:
    """The statement's article credits it to a body ("the ministry") or to a group named in
    the plural ("Forecasters say ..."): its words, which cross-source attribution does not
    give to one person. Not a document ("the statement said", whose author other outlets
    may name) nor a person the tagger made a group ("The veteran centre-half")."""
    kind = st.get("speaker_kind")
    if kind == "organisation":
        return True
    key = role_key(st.get("speaker_mention") or "") if kind == "group" else None
    return key is not None and speaker_kinds.singular(key.head) != key.head


def names_a_person(st: dict) -> bool:
    """names_someone, and a person or a person's office ("Ms Lee", "the city spokesman"),
    not a body, a document, an unnamed source or a group: two such statements that name
    different people are two people's words."""
    return names_someone(st) and st.get("speaker_kind") in (None, "person")


# ---------------------------------------------------------------- blocking

def prefix_pairs(keys_of: dict[int, list], probe_of: dict[int, list], allowed) -> set[tuple]:
    """Pairs (i, j), i < j, where one's probe keys meet the other's keys, and `allowed(i, j)`.
    Cost: the sum, over probe keys, of their posting lengths; nothing is capped."""
    postings: dict = defaultdict(list)
    for item, keys in keys_of.items():
        for k in keys:
            postings[k].append(item)
    pairs = set()
    for item, probes in probe_of.items():
        for k in probes:
            for other in postings.get(k, ()):
                if other != item:
                    pair = (item, other) if item < other else (other, item)
                    if pair not in pairs and allowed(*pair):
                        pairs.add(pair)
    return pairs


def _salted(key, item: int) -> str:
    return hashlib.blake2b(f"{key}\x00{item}".encode(), digest_size=8).hexdigest()


def block_pairs(keys_of: dict[int, set], max_posting: int = 48, window: int = 8, salt_of=None) -> np.ndarray:
    """Candidate pairs (i, j), i < j, that share a key, as a sorted (pairs x 2) int64 array;
    a posting list longer than `max_posting` is walked as a sorted neighbourhood (each
    entry against its next `window` entries in a key-salted hash order; `salt_of(key)`
    gives the text a key is salted with, default the key itself, so that keys interned to
    numbers pair as their text did). Used by crosswire.events to propose articles to
    cluster (approximate there by design); alignment uses `prefix_pairs`. Vectorised: the
    pairs of all short postings of one length are made at once."""
    if all(isinstance(ks, np.ndarray) for ks in keys_of.values()):   # keys already numbers
        key = np.concatenate([np.zeros(0, np.int64), *(ks.astype(np.int64) for ks in keys_of.values())])
        item = np.repeat(np.fromiter(keys_of, np.int64, len(keys_of)), [len(ks) for ks in keys_of.values()])
        spelled = None
    else:
        names: dict = {}
        item = np.array([i for i, ks in keys_of.items() for _ in ks], np.int64)
        key = np.array([names.setdefault(k, len(names)) for ks in keys_of.values() for k in ks], np.int64)
        spelled = list(names)
    if not len(item):
        return np.zeros((0, 2), np.int64)
    order = np.lexsort((np.arange(len(key)), key))    # by key, then as keys_of lists them
    key, item = key[order], item[order]
    cuts = np.flatnonzero(np.diff(key)) + 1
    starts = np.concatenate([[0], cuts])
    lens = np.diff(np.concatenate([starts, [len(key)]]))
    out = []
    for n in np.unique(lens[(lens >= 2) & (lens <= max_posting)]).tolist():
        first = starts[lens == n]
        members = _distinct_rows(item[first[:, None] + np.arange(n)])   # a posting list once
        a, b = np.triu_indices(n, 1)
        out.append(np.stack([members[:, a].ravel(), members[:, b].ravel()], 1))
    for s, n in zip(starts[lens > max_posting].tolist(), lens[lens > max_posting].tolist()):
        k = int(key[s]) if spelled is None else spelled[int(key[s])]
        salt = salt_of(k) if salt_of else k
        ring = np.array(sorted(item[s:s + n].tolist(), key=lambda it: _salted(salt, it)), np.int64)
        step = np.arange(1, window + 1)
        out.append(np.stack([np.repeat(ring, window), ring[(np.arange(n)[:, None] + step).ravel() % n]], 1))
    pairs = np.concatenate(out) if out else np.zeros((0, 2), np.int64)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    lo, hi = pairs.min(axis=1), pairs.max(axis=1)
    width = int(item.max()) + 1
    codes = sorted_distinct(lo * width + hi)
    return np.stack([codes // width, codes % width], 1)


def sorted_distinct(values: np.ndarray) -> np.ndarray:
    """Sorted, each once (a sort: np.unique's hashing is slower on millions of ints)."""
    values = np.sort(values)
    return values[np.concatenate([[True], values[1:] != values[:-1]])] if len(values) else values


def _distinct_rows(rows: np.ndarray) -> np.ndarray:
    """The distinct rows of a 2-d array (in lexicographic order)."""
    if len(rows) < 2:
        return rows
    rows = rows[np.lexsort(rows.T[::-1])]
    return rows[np.concatenate([[True], (rows[1:] != rows[:-1]).any(axis=1)])]


def strong_candidates(items: list[Prepared], allowed=None) -> set[tuple]:
    """Every pair (of different sources, or as `allowed(i, j)` says) in which one statement
    holds at least `BIGRAM_SHARE` of the other's content bigrams (the necessary condition of
    a strong link). Each statement probes with its rarest bigrams: if a partner holds that
    share, it holds one of them."""
    df = Counter(b for p in items for b in p.bigrams)
    probe = {}
    for p in items:
        ranked = sorted(p.bigrams, key=lambda b: (df[b], b))
        need = math.ceil(BIGRAM_SHARE * len(ranked)) if ranked else 0
        probe[p.idx] = ranked[: len(ranked) - need + 1] if ranked else []
    src = {p.idx: p.source_id for p in items}
    return prefix_pairs({p.idx: p.bigrams for p in items}, probe,
                        allowed or (lambda i, j: src[i] != src[j]))


def one_word_pairs(items: list[Prepared]) -> list[tuple[Prepared, Prepared]]:
    """Quotations of one content word ("positive", "a 10") that two sources credit to the
    same named person: pairs with the same word. Too short for the bigram blocking and for
    MIN_FRAGMENT, they are the same utterance only on the speaker's evidence."""
    by_key: dict[tuple, list[Prepared]] = defaultdict(list)
    for p in items:
        if len(p.content) == 1 and p.kind != "indirect" and p.speaker_id:
            by_key[(p.content[0], p.speaker_id)].append(p)
    return [(a, b) for ps in by_key.values() for x, a in enumerate(ps) for b in ps[x + 1:]
            if a.source_id != b.source_id]


def paraphrase_prefix(p: Prepared, idf) -> list[str]:
    """The rarest content stems of p that any paraphrase partner must share one of: with
    Dice >= PARA_MIN, the shared weight is at least t/(1-t) of p's weight (t = PARA_MIN/2),
    so the words left out of the prefix must weigh less than that."""
    t = PARA_MIN / 2
    bound = t / (1 - t) * p.weight
    ranked = sorted(p.cset, key=lambda w: (-idf.get(w, 1.0), w))
    rest, out = p.weight, []
    for w in ranked:
        if rest < bound:
            break
        out.append(w)
        rest -= idf.get(w, 1.0)
    return out


def paraphrase_candidates(items: list[Prepared], speakers: dict[int, str | None], idf,
                          linked: set[tuple]) -> set[tuple]:
    """Pairs of different sources with the same named speaker that may reach PARA_MIN."""
    named = [p for p in items if speakers[p.idx]]
    keys = {p.idx: {(speakers[p.idx], w) for w in p.cset} for p in named}
    probe = {p.idx: [(speakers[p.idx], w) for w in paraphrase_prefix(p, idf)] for p in named}
    src = {p.idx: p.source_id for p in items}
    return prefix_pairs(keys, probe, lambda i, j: src[i] != src[j] and (i, j) not in linked)


# ---------------------------------------------------------------- scoring

def idf_table(prepared: list[Prepared]) -> dict[str, float]:
    """IDF of content stems over the event's articles' statements (a word counts once per
    article): words every outlet quotes weigh less than distinctive ones."""
    per_article: dict[str, set] = defaultdict(set)
    for p in prepared:
        per_article[p.article_id] |= p.cset
    df = Counter(w for ws in per_article.values() for w in ws)
    n = len(per_article)
    # softened: in a small event the words that differ are the rare ones, and must not
    # outweigh everything the two wordings share
    return {w: 1.0 + 0.5 * math.log((n + 1) / (c + 1)) for w, c in df.items()}


def _weight(ws, idf) -> float:
    return sum(idf.get(w, 1.0) for w in ws)


def weigh(prepared: list[Prepared], idf) -> dict[str, float]:
    for p in prepared:
        p.weight = _weight(p.cset, idf)
    return idf


def _window_cover(short: Prepared, long: Prepared, idf) -> tuple[float, int]:
    """Best share (IDF-weighted) of the shorter's content words found together in one
    window of the longer (about twice the shorter's length): containment, robust to
    reordering such as "must be restored" / "restore"."""
    want = short.cset
    total = short.weight
    if not total:
        return 0.0, 0
    pos = [(i, s) for i, s in enumerate(long.content) if s in want]
    span = 2 * len(short.content) + 2
    best, best_n, lo, w = 0.0, 0, 0, 0.0
    counts: Counter = Counter()
    for i, s in pos:   # a sliding window with a running weight
        if not counts[s]:
            w += idf.get(s, 1.0)
        counts[s] += 1
        while pos[lo][0] < i - span:
            old = pos[lo][1]
            counts[old] -= 1
            if not counts[old]:
                w -= idf.get(old, 1.0)
                del counts[old]
            lo += 1
        if w > best + 1e-9:
            best, best_n = w, len(counts)
    return min(1.0, best / total), best_n


def _adjacent_shared(short: Prepared, long: Prepared) -> bool:
    """A short fragment must share an adjacent pair of content words with the other
    wording, not just two words scattered through it."""
    return bool(short.bigrams & long.bigrams)


def bigram_share(short: Prepared, long: Prepared) -> float:
    return len(short.bigrams & long.bigrams) / len(short.bigrams) if short.bigrams else 0.0


@dataclass(slots=True)
class Link:
    a: Prepared
    b: Prepared
    relation: str
    similarity: float


_FIGURE = re.compile(r"\d+(?:[,.]\d+)*")


def figures(text: str) -> frozenset:
    """The numbers `text` writes in figures, without thousands separators ("6,000" and
    "6000" alike; "71.4" kept)."""
    return frozenset(re.sub(r",(?=\d{3}\b)", "", m) for m in _FIGURE.findall(text))


def other_figures(a: Prepared, b: Prepared) -> bool:
    """Both wordings give figures and share none ("38 shelters housing 6,000 people", "about
    5,000 people in shelters"): a later count or another claim, not another wording of one."""
    return bool(a.figures) and bool(b.figures) and not a.figures & b.figures


def score_strong(a: Prepared, b: Prepared, idf) -> Link | None:
    """verbatim, near_verbatim or containment, or None."""
    if a.tokens == b.tokens and len(a.content) >= MIN_FRAGMENT:
        return Link(a, b, "verbatim", 1.0)
    short, long = (a, b) if (a.weight, len(a.content)) <= (b.weight, len(b.content)) else (b, a)
    if len(short.cset) < MIN_FRAGMENT or bigram_share(short, long) < BIGRAM_SHARE:
        return None
    cover, n = _window_cover(short, long, idf)
    if cover < CONTAIN_MIN or n < MIN_FRAGMENT:
        return None
    common = short.cset & long.cset
    shared = _weight(common, idf)
    if shared / (long.weight or 1.0) >= NEAR_LONG_MIN:
        if other_figures(a, b):
            return None
        dice = 2 * shared / (a.weight + b.weight)
        return Link(a, b, "near_verbatim", round(min(0.99, dice), 4))
    if short.figures - long.figures:
        return None  # a figure the longer does not give: not inside it
    return Link(a, b, "containment", round(min(1.0, cover), 4))


def paraphrase_score(a: Prepared, b: Prepared, idf) -> float:
    common = a.cset & b.cset
    if len(common) < PARA_SHARED or other_figures(a, b):
        return 0.0
    return 2 * _weight(common, idf) / (a.weight + b.weight)


# ---------------------------------------------------------------- speakers

def _short(link: Link) -> Prepared:
    return link.a if len(link.a.content) <= len(link.b.content) else link.b


def compatible(link: Link, speakers: dict[int, str | None], ambiguous: set[str]) -> bool:
    """Same speaker (speaker_voice), or one side unattributed or attributed on weak evidence while the
    wording agrees strongly, or a long quotation in (nearly) the same words or contained in
    the other whoever each side names (MISATTRIBUTED_WORDS). A short fragment whose words several named people said
    (`ambiguous`) is linked only between statements of the same named person."""
    a, b = link.a, link.b
    sa, sb = speakers[a.idx], speakers[b.idx]
    short = _short(link)
    if sa and sb and sa == sb:
        return True
    if short.sid in ambiguous:
        return False
    if not sa or not sb:
        return True
    if len(short.content) >= MISATTRIBUTED_WORDS and _word_for_word(link):
        # one sentence, two names, in (nearly) the same words or word for word inside the
        # other outlet's longer quotation: a misattribution (speaker_conflict)
        return True
    strong = link.relation in ("verbatim", "near_verbatim") or len(short.content) >= STRONG_WORDS
    # a body's words and a person's ("the ministry said", "Lee said"): its spokesperson's,
    # when the wording agrees strongly; a short fragment is the body's own
    return strong and (a.resolution in WEAK_RESOLUTIONS or b.resolution in WEAK_RESOLUTIONS
                       or not (a.speaker_id and b.speaker_id))


def ambiguous_fragments(prepared: list[Prepared], pairs) -> set[str]:
    """Short fragments (< STRONG_WORDS content words) whose words appear in statements of
    two or more different named speakers: no evidence which utterance they belong to."""
    seen: dict[int, set] = defaultdict(set)
    for i, j in pairs:
        for x, y in ((prepared[i], prepared[j]), (prepared[j], prepared[i])):
            if len(x.content) < STRONG_WORDS and y.speaker_id and x.cset <= y.cset \
                    and _adjacent_shared(x, y):
                seen[x.idx].add(y.speaker_id)
    return {prepared[i].sid for i, spk in seen.items() if len(spk) >= 2}


def unsettled_fragments(links: list[Link]) -> set[int]:
    """Statements contained in two or more others that are not the same utterance: their
    words do not tell which utterance they quote. Wordings linked as (near) verbatim are one
    utterance; a contained wording joins its containers' utterance when they are one, longer
    ones first, so that its containers have settled before it."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    containers: dict[int, set] = defaultdict(set)
    size: dict[int, int] = {}
    for link in links:
        if link.relation in ("verbatim", "near_verbatim") \
                and min(len(link.a.content), len(link.b.content)) >= STRONG_WORDS:
            parent[find(link.a.idx)] = find(link.b.idx)
        elif link.relation != "verbatim":
            short = _short(link)
            containers[short.idx].add((link.b if short is link.a else link.a).idx)
            size[short.idx] = len(short.content)
    unsettled = set()
    for x in sorted(containers, key=lambda i: (-size[i], i)):
        roots = {find(c) for c in containers[x]}
        if len(roots) == 1:
            parent[find(x)] = roots.pop()
        else:
            unsettled.add(x)
    return unsettled


def one_container_per_article(links: list[Link]) -> list[Link]:
    """A short fragment (< STRONG_WORDS content words) is linked to its best container in
    each other article only: two common words found in several quotations of one article
    are evidence for one of them at most."""
    best: dict[tuple, Link] = {}
    keep = []
    for link in links:
        short = _short(link)
        if link.relation == "verbatim" or len(short.content) >= STRONG_WORDS:
            keep.append(link)
            continue
        other = link.b if short is link.a else link.a
        key = (short.idx, other.article_id)
        rank = (link.similarity, -len(other.content), other.sid)
        if key not in best or rank > best[key][0]:
            best[key] = (rank, link)
    return keep + [link for _, link in best.values()]


# ---------------------------------------------------------------- diff

def _runs(tokens: list[str], limit: int) -> str:
    if len(tokens) <= limit:
        return " ".join(tokens)
    h = max(1, limit // 2 - 1)
    return " ".join(tokens[:h]) + " … " + " ".join(tokens[-h:])


def word_diff(a_text: str, b_text: str) -> str:
    """Compact word-level diff from a to b: [-removed-] {+added+}, compared without case
    or punctuation; unchanged runs over six words and changed runs over eight are
    shortened to their ends around '…'."""
    a, b = list(_tokens(a_text)), list(_tokens(b_text))
    la, lb = [w.lower() for w in a], [w.lower() for w in b]
    out, dele, ins = [], [], []

    def flush():
        if dele:
            out.append("[-" + _runs(dele, 8) + "-]")
        if ins:
            out.append("{+" + _runs(ins, 8) + "+}")
        dele.clear()
        ins.clear()

    for op in Indel.opcodes(la, lb):   # LCS alignment, in C
        if op.tag == "equal":
            flush()
            out.append(_runs(b[op.dest_start:op.dest_end], 6))
        else:
            dele += a[op.src_start:op.src_end]
            ins += b[op.dest_start:op.dest_end]
    flush()
    return " ".join(out)


# ---------------------------------------------------------------- the event

def _covered(p: Prepared, others: list[Prepared]) -> bool:
    """A display copy (headline, summary bullet) of one of its article's body statements."""
    return any(o.section not in DISPLAY_SECTIONS and p.cset and p.cset <= o.cset
               and (len(p.content) < 2 or _adjacent_shared(p, o)) for o in others)


def display_copies(prepared: list[Prepared]) -> set[int]:
    """Indexes of the headline, standfirst and summary statements that copy a body statement
    of their own article: the body statement carries their links and their utterance."""
    by_article: dict[str, list[Prepared]] = defaultdict(list)
    for p in prepared:
        by_article[p.article_id].append(p)
    return {p.idx for p in prepared if p.section in DISPLAY_SECTIONS
            and _covered(p, [o for o in by_article[p.article_id] if o is not p])}


def eligible_statements(prepared: list[Prepared], statements: list[dict]) -> list[Prepared]:
    """The statements that are linked: not a display copy of a body quote of the same
    article, not reported speech wrapped around one of its quotations."""
    by_article: dict[str, list[Prepared]] = defaultdict(list)
    for p in prepared:
        by_article[p.article_id].append(p)
    copies = display_copies(prepared)
    eligible = []
    for p in prepared:
        body = [o for o in by_article[p.article_id] if o is not p]
        if p.idx in copies:
            continue
        if p.kind == "indirect" and any(o.kind != "indirect" and _overlaps(statements[p.idx],
                                        statements[o.idx]) for o in body):
            continue  # reported speech wrapped around a quote: the quote carries it
        eligible.append(p)
    return eligible


def prepare_event(statements: list[dict], source_of: dict[str, str]) -> tuple[list[Prepared], dict[str, float]]:
    """The event's statements prepared, and the IDF of their words (weights set): what
    align_event and utterance_links both read, made once."""
    prepared = [prepare(i, st, source_of) for i, st in enumerate(statements)]
    return prepared, weigh(prepared, idf_table(prepared))


def align_event(statements: list[dict], source_of: dict[str, str],
                event: tuple[list[Prepared], dict[str, float]] | None = None) -> tuple[list[Link], dict[str, str]]:
    """Links between statements of different sources in one event, and the cross-source
    speaker overrides {statement_id: speaker_id}. `event`: prepare_event's result, if the
    caller has it."""
    prepared, idf = event or prepare_event(statements, source_of)
    eligible = eligible_statements(prepared, statements)
    cands = sorted(strong_candidates(eligible))
    ambiguous = ambiguous_fragments(prepared, cands)
    speakers = {p.idx: p.voice for p in prepared}

    strong = []
    for i, j in cands:
        a, b = prepared[i], prepared[j]
        link = score_strong(a, b, idf)
        if link and "indirect" in (a.kind, b.kind) and not _same_report(link, speakers):
            link = None
        if link and compatible(link, speakers, ambiguous):
            strong.append(link)
    strong += [Link(a, b, "verbatim", 1.0) for a, b in one_word_pairs(eligible)]
    unsettled = unsettled_fragments(strong)
    strong = one_container_per_article([l for l in strong if _short(l).idx not in unsettled
                                        or l.relation == "verbatim"])
    overrides = attribute(strong, prepared, statements)
    for sid_idx, spk in overrides.items():
        speakers[sid_idx] = spk
    linked = {(min(l.a.idx, l.b.idx), max(l.a.idx, l.b.idx)) for l in strong}
    rest = [(prepared[i], prepared[j])
            for i, j in sorted(paraphrase_candidates(eligible, speakers, idf, linked))]
    links = strong + paraphrases(rest, speakers, idf, [(l.a, l.b) for l in strong])
    return links, {prepared[i].sid: s for i, s in overrides.items()}


def _same_report(link: Link, speakers: dict[int, str | None]) -> bool:
    """Whether a strong link that holds reported speech joins one report: reported speech is
    the writer's wording, so only the same speaker's, or a sentence of MISATTRIBUTED_WORDS
    content words in (nearly) the same words or inside the other's where an article names
    no one for it ("he said", unresolved: its speaker comes from the other outlet,
    attribute; "The court heard that ..." in two outlets), or one names a person and the
    other a body, a document or an unnamed source
    ("According to the institute, ..." and its forecaster's quotation), or one quotes it
    word for word (_quoted_as_reported). Otherwise two people, or two bodies, are two
    reports."""
    a, b = link.a, link.b
    if speakers[a.idx] and speakers[a.idx] == speakers[b.idx]:
        return True
    return len(_short(link).content) >= MISATTRIBUTED_WORDS and (
        not (a.named and b.named) or a.person != b.person or _quoted_as_reported(link))


def _quoted_as_reported(link: Link) -> bool:
    """One outlet quotes, word for word, the sentence another reports: the same utterance,
    whoever each names (one of them misattributes it, which speaker_conflict flags), as
    compatible() holds for two quotations."""
    kinds = {link.a.kind, link.b.kind}
    return "indirect" in kinds and len(kinds) == 2 and _word_for_word(link)


def _word_for_word(link: Link) -> bool:
    """The two wordings are one sentence: (nearly) the same words, or one printed word for
    word inside the other (containment of at least MISATTRIBUTED_COVER)."""
    return link.relation in ("verbatim", "near_verbatim") \
        or link.relation == "containment" and link.similarity >= MISATTRIBUTED_COVER


def utterance_links(event: tuple[list[Prepared], dict[str, float]], speaker_of: dict[str, str | None],
                    utterances_of: dict[str, list[str]], links: list[Link]) -> list[Link]:
    """Links the alignment left out between two statements of different articles and
    sources that are parts of one utterance (`utterances_of`: statement_id -> its
    utterance ids) and whose wordings are the same or one holds the other (score_strong):
    a fragment whose other container in that article won the one link per article
    (one_container_per_article), two outlets' fragments of one sentence. Parts of one
    utterance that share no wording ("extremely productive" and "many points were agreed
    to", two clauses of one sentence) are not linked; reported speech only with the same
    speaker, as in align_event; never two statements naming different people.
    `event`: prepare_event's result; `speaker_of`: each statement's final speaker_id (after
    the cross-source overrides)."""
    prepared, idf = event
    done = {frozenset((l.a.sid, l.b.sid)) for l in links}
    members: dict[str, list[Prepared]] = defaultdict(list)
    for p in prepared:
        for u in utterances_of.get(p.sid, ()):
            members[u].append(p)
    out, seen = [], set()
    for group in members.values():
        for x, a in enumerate(group):
            for b in group[x + 1:]:
                pair = frozenset((a.sid, b.sid))
                if pair in done or pair in seen or a.article_id == b.article_id or a.source_id == b.source_id:
                    continue
                seen.add(pair)
                sa, sb = speaker_of.get(a.sid) or a.voice, speaker_of.get(b.sid) or b.voice
                if sa and sb and sa != sb:
                    continue
                if "indirect" in (a.kind, b.kind) and not (sa and sa == sb):
                    continue
                link = score_strong(a, b, idf)
                if link is not None:
                    out.append(link)
    return out


def _overlaps(x: dict, y: dict) -> bool:
    return (x.get("section") == y.get("section") and x.get("char_start") is not None
            and y.get("char_start") is not None
            and x["char_start"] < y["char_end"] and y["char_start"] < x["char_end"])


def attribute(strong: list[Link], prepared: list[Prepared], statements: list[dict]) -> dict[int, str]:
    """Cross-source attribution: a statement its outlet attributes on weak evidence (a
    role, a pronoun) or to no one, that agrees strongly with statements other outlets
    attribute by name to one person (or, for one that names no one and that no outlet
    names, by a pronoun their article resolved: "He added: ..." after the name), is given
    to that person; but not when the outlets
    that read it as the statement's own speaker (its own and the linked ones, by any
    evidence) are as many as those naming the other: one outlet's misattribution by name
    does not overrule several outlets' pronouns."""
    votes: dict[int, set] = defaultdict(set)
    resolved: dict[int, set] = defaultdict(set)  # (pronoun votes: heard only when no name votes)
    # every outlet's speaker for the words each statement is linked to, however attributed
    # (a pronoun the article resolved counts for its own outlet)
    backing: dict[int, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for link in strong:
        short = link.a if len(link.a.content) <= len(link.b.content) else link.b
        if link.relation == "containment" and len(short.content) < STRONG_WORDS:
            continue  # a 2-3 word fragment is evidence enough for a link, not for a speaker
        for x, y in ((link.a, link.b), (link.b, link.a)):
            if y.speaker_id:
                backing[x.idx][y.speaker_id].add(y.source_id)
            if x.anonymous or x.body:
                continue  # a source its article keeps anonymous, or a body or a group it
                # names ("Forecasters say ..."), is not another outlet's person
            if y.speaker_id and y.resolution not in WEAK_RESOLUTIONS and x.resolution in WEAK_RESOLUTIONS:
                votes[x.idx].add(y.speaker_id)
            elif y.speaker_id and y.resolution == "pronoun" and x.voice is None:
                resolved[x.idx].add(y.speaker_id)
    out = {}
    for i, v in [*votes.items(), *((i, v) for i, v in resolved.items() if i not in votes)]:
        mine, named = prepared[i].speaker_id, next(iter(v))
        if len(v) != 1 or named == mine:
            continue
        if mine:  # one outlet's name against the article's own reading that more outlets share
            theirs = backing[i][named]
            ours = backing[i][mine] | {prepared[i].source_id}
            if len(theirs) <= len(ours):
                continue
        out[i] = named
    return out


def paraphrases(pairs, speakers: dict[int, str | None], idf, strong=()) -> list[Link]:
    """Same named speaker, enough shared content words, and mutual best per article pair."""
    scored = []
    for a, b in pairs:
        if not speakers[a.idx] or speakers[a.idx] != speakers[b.idx]:
            continue
        s = paraphrase_score(a, b, idf)
        if s >= PARA_MIN:
            scored.append((s, a, b))
    best: dict[tuple, tuple] = {}
    for a, b in strong:  # already linked to a statement of that article: no second link
        best[(a.idx, b.article_id)] = best[(b.idx, a.article_id)] = (2.0, "")
    for s, a, b in scored:
        for x, y in ((a, b), (b, a)):
            key = (x.idx, y.article_id)
            if key not in best or (s, y.sid) > best[key][:2]:
                best[key] = (s, y.sid)
    return [Link(a, b, "paraphrase", round(s, 4)) for s, a, b in scored
            if best[(a.idx, b.article_id)][1] == b.sid and best[(b.idx, a.article_id)][1] == a.sid]
