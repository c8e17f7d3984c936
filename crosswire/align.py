"""Align statements of different outlets within one event: which ones report the same
utterance, and how their wordings relate.

Pipeline per event (cost about linear in the number of statements):
1. normalise every statement once (brackets and ellipses dropped, light stemming);
2. block: an inverted index on content-word bigrams and unigrams; a posting list longer
   than `MAX_POSTING` is walked as a sorted neighbourhood (each entry against its next
   `WINDOW` entries in a key-salted hash order) instead of all pairs;
3. score the candidate pairs: verbatim, near_verbatim, containment (the strong relations);
4. cross-source attribution from the strong links (see `attribute`);
5. paraphrase links, only between statements of the same named speaker and only where
   each is the other's best candidate in the other article (mutual best).
"""
from __future__ import annotations

import hashlib
import heapq
import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import Indel


MAX_POSTING = 48     # posting lists up to this size are expanded to all pairs
WINDOW = 8           # neighbours per entry in a longer posting list
MAX_PARTNERS = 24    # candidates scored per statement: an utterance carried by more
                     # outlets gets a connected graph of agreements, not a full clique
MIN_FRAGMENT = 2     # a fragment needs this many content words to link at all
CONTAIN_MIN = 0.75   # share of the shorter wording found in a window of the longer
NEAR_LONG_MIN = 0.7  # ... and of the longer in the shorter, for near_verbatim
PARA_MIN = 0.35      # IDF-weighted Dice for a paraphrase (same speaker, mutual best)
PARA_SHARED = 3      # content words a paraphrase must share
STRONG_WORDS = 4     # content words that make a containment strong enough to overrule speakers

# Display copies of a body quote (headline, standfirst, summary box) are not linked
# separately: the body statement carries the agreement.
DISPLAY_SECTIONS = {"title", "standfirst", "summary"}
# Resolutions that rest on the article's weaker evidence; a speaker found this way may be
# overruled by other outlets (cross_source).
WEAK_RESOLUTIONS = {"none", "role", "pronoun", None}

_FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                       "\u2013": "-", "\u2014": "-", "\u2026": " ... "})
_BRACKET = re.compile(r"\[[^\]]*\]")   # editorial insertions and [...] elisions
_WORD = re.compile(r"[\w']+")

# Function words only: quantifiers and negations (many, few, no, not) carry meaning here.
STOP = frozenset("""
a an the and or but so yet nor of to in on at for with by from as into onto upon about
over under than then if that this these those there here it its it's i i'm i've i'll i'd
me my we we're we've we'll us our you your he he's him his she her they they're them their
is are was were be been being am do does did have has had having will would shall should
can could may might must also just very really quite which who whom whose what when where
while how all any each both such own same too only even still again further once s t
""".split())

# Translation variants: one outlet's translator writes "issues", another "points". A
# small stand-in for sentence embeddings; each tuple maps to its first entry.
SYNONYMS = {w: grp[0] for grp in (
    ("point", "issu", "question", "matter", "topic"),
    ("left", "remain"),
    ("few", "coupl"),
    ("talk", "negoti", "negotiat"),
    ("big", "major", "larg"),
    ("peopl", "nation"),
    ("important", "significant", "key", "crucial"),
    ("war", "conflict"),
    ("begin", "start"),
    ("end", "finish", "stop"),
    ("quick", "fast", "rapid", "swift"),
    ("problem", "difficulty"),
) for w in grp}


@lru_cache(maxsize=1 << 16)
def _tokens(text: str) -> tuple[str, ...]:
    text = unicodedata.normalize("NFKC", text or "").translate(_FOLD)
    text = _BRACKET.sub(" ", text).replace("...", " ")
    return tuple(w.strip("'") for w in _WORD.findall(text) if w.strip("'"))


def words(text: str) -> list[str]:
    """The speaker's words, normalised: NFKC, folded quotes, no editorial brackets, lower."""
    return [w.lower() for w in _tokens(text)]


@lru_cache(maxsize=1 << 17)
def stem(word: str) -> str:
    """Crude suffix stripping: enough to meet "agreed"/"agree", "issues"/"issue"."""
    if word.endswith("'s"):
        word = word[:-2]
    for suf in ("ations", "ation", "ments", "ment", "ingly", "ing", "edly", "ed", "ies", "es",
                "ly", "s"):
        if word.endswith(suf) and len(word) - len(suf) >= 3:
            word = word[: -len(suf)] + ("y" if suf == "ies" else "")
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return SYNONYMS.get(word, word)


@dataclass
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
    weight: float = 0.0               # IDF weight of cset, set by `weigh`


def prepare(i: int, st: dict, source_of: dict[str, str]) -> Prepared:
    toks = words(st.get("text", ""))
    stems = ["" if t in STOP else stem(t) for t in toks]
    content = [s for s in stems if s]
    return Prepared(i, st["statement_id"], st["article_id"], source_of.get(st["article_id"], ""),
                    st.get("kind") or "direct", st.get("section") or "body",
                    st.get("speaker_id"), st.get("resolution"), toks, stems, content,
                    frozenset(content))


# ---------------------------------------------------------------- blocking

def _salted(key, item: int) -> str:
    return hashlib.blake2b(f"{key}\x00{item}".encode(), digest_size=8).hexdigest()


def block_pairs(keys_of: dict[int, set], max_posting: int = MAX_POSTING,
                window: int = WINDOW) -> Counter:
    """Candidate pairs (i, j), i < j, with the number of keys they share. Long posting
    lists are walked as a sorted neighbourhood so that cost stays linear in the items."""
    postings: dict = defaultdict(list)
    for item, keys in keys_of.items():
        for k in keys:
            postings[k].append(item)
    shared: Counter = Counter()
    for k, items in postings.items():
        if len(items) < 2:
            continue
        if len(items) <= max_posting:
            for a in range(len(items)):
                for b in range(a + 1, len(items)):
                    i, j = items[a], items[b]
                    shared[(i, j) if i < j else (j, i)] += 1
            continue
        ring = sorted(items, key=lambda it: _salted(k, it))
        n = len(ring)
        for a in range(n):
            for step in range(1, window + 1):
                i, j = ring[a], ring[(a + step) % n]
                if i != j:
                    shared[(i, j) if i < j else (j, i)] += 1
    return shared


def _mix(i: int, j: int) -> int:
    return ((i * 2654435761) ^ (j * 40503)) & 0xFFFFFFFF


def cap_partners(shared: dict[tuple, int], k: int = MAX_PARTNERS) -> list[tuple]:
    """Keep each item's k candidates sharing the most keys (ties broken by a hash, not by
    order, so that large groups spread their links): scoring cost stays linear."""
    ranked = defaultdict(list)
    for (i, j), n in shared.items():
        ranked[i].append((-n, _mix(i, j), j))
        ranked[j].append((-n, _mix(j, i), i))
    keep = set()
    for i, lst in ranked.items():
        for _, _, j in heapq.nsmallest(k, lst) if len(lst) > k else lst:
            keep.add((i, j) if i < j else (j, i))
    return sorted(keep)


def bigram_keys(p: Prepared) -> set:
    return set(zip(p.content, p.content[1:]))


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
    if len(short.content) < 2:
        return False
    pairs = set(zip(long.content, long.content[1:]))
    return any(pr in pairs for pr in zip(short.content, short.content[1:]))


@dataclass
class Link:
    a: Prepared
    b: Prepared
    relation: str
    similarity: float


def score_strong(a: Prepared, b: Prepared, idf) -> Link | None:
    """verbatim, near_verbatim or containment, or None."""
    if a.tokens == b.tokens and len(a.content) >= MIN_FRAGMENT:
        return Link(a, b, "verbatim", 1.0)
    short, long = (a, b) if a.weight <= b.weight else (b, a)
    if len(short.cset) < MIN_FRAGMENT or not _adjacent_shared(short, long):
        return None
    cover, n = _window_cover(short, long, idf)
    if cover < CONTAIN_MIN or n < MIN_FRAGMENT:
        return None
    common = short.cset & long.cset
    shared = _weight(common, idf)
    if shared / (long.weight or 1.0) >= NEAR_LONG_MIN:
        dice = 2 * shared / (a.weight + b.weight)
        return Link(a, b, "near_verbatim", round(min(0.99, dice), 4))
    return Link(a, b, "containment", round(min(1.0, cover), 4))


def paraphrase_score(a: Prepared, b: Prepared, idf) -> float:
    common = a.cset & b.cset
    if len(common) < PARA_SHARED:
        return 0.0
    return 2 * _weight(common, idf) / (a.weight + b.weight)


# ---------------------------------------------------------------- speakers

def compatible(link: Link, speakers: dict[int, str | None], ambiguous: set[str]) -> bool:
    """Same person, or one side unattributed or attributed on weak evidence while the
    wording agrees strongly. A short fragment whose words several named people said
    (`ambiguous`) is linked only between statements of the same named person."""
    a, b = link.a, link.b
    sa, sb = speakers[a.idx], speakers[b.idx]
    short = a if len(a.content) <= len(b.content) else b
    if sa and sb and sa == sb:
        return True
    if short.sid in ambiguous:
        return False
    if not sa or not sb:
        return True
    strong = link.relation in ("verbatim", "near_verbatim") or len(short.content) >= STRONG_WORDS
    return strong and (a.resolution in WEAK_RESOLUTIONS or b.resolution in WEAK_RESOLUTIONS)


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


def align_event(statements: list[dict], source_of: dict[str, str]) -> tuple[list[Link], dict[str, str]]:
    """Links between statements of different sources in one event, and the cross-source
    speaker overrides {statement_id: speaker_id}."""
    prepared = [prepare(i, st, source_of) for i, st in enumerate(statements)]
    by_article: dict[str, list[Prepared]] = defaultdict(list)
    for p in prepared:
        by_article[p.article_id].append(p)
    eligible = []
    for p in prepared:
        body = [o for o in by_article[p.article_id] if o is not p]
        if p.section in DISPLAY_SECTIONS and _covered(p, body):
            continue
        if p.kind == "indirect" and any(o.kind != "indirect" and _overlaps(statements[p.idx],
                                        statements[o.idx]) for o in body):
            continue  # reported speech wrapped around a quote: the quote carries it
        eligible.append(p)
    idf = weigh(prepared, idf_table(prepared))
    # a shared adjacent pair of content words proposes a strong link; paraphrases need
    # PARA_SHARED shared words anyway, so fewer shared words propose nothing
    by_bigram = block_pairs({p.idx: bigram_keys(p) for p in eligible})
    by_word = block_pairs({p.idx: set(p.cset) for p in eligible})
    cands = cap_partners(
        {(i, j): by_bigram.get((i, j), 0) + n for (i, j), n in by_word.items()
         if (n >= PARA_SHARED or (i, j) in by_bigram)
         and prepared[i].source_id != prepared[j].source_id})
    ambiguous = ambiguous_fragments(prepared, cands)
    speakers = {p.idx: p.speaker_id for p in prepared}

    strong, rest = [], []
    for i, j in cands:
        a, b = prepared[i], prepared[j]
        link = score_strong(a, b, idf)
        if link and "indirect" in (a.kind, b.kind) and not (speakers[i] and speakers[i] == speakers[j]):
            link = None  # reported speech is the writer's wording: only with the same speaker
        if link and compatible(link, speakers, ambiguous):
            strong.append(link)
        elif link is None:
            rest.append((a, b))
    overrides = attribute(strong, prepared, statements)
    for sid_idx, spk in overrides.items():
        speakers[sid_idx] = spk
    return strong + paraphrases(rest, speakers, idf, [(l.a, l.b) for l in strong]), {prepared[i].sid: s for i, s in overrides.items()}


def _overlaps(x: dict, y: dict) -> bool:
    return (x.get("section") == y.get("section") and x.get("char_start") is not None
            and y.get("char_start") is not None
            and x["char_start"] < y["char_end"] and y["char_start"] < x["char_end"])


def attribute(strong: list[Link], prepared: list[Prepared], statements: list[dict]) -> dict[int, str]:
    """Cross-source attribution: a statement its outlet attributes on weak evidence (a
    role, a pronoun) or to no one, that agrees strongly with statements other outlets
    attribute by name to one person, is given to that person."""
    votes: dict[int, set] = defaultdict(set)
    for link in strong:
        short = link.a if len(link.a.content) <= len(link.b.content) else link.b
        if link.relation == "containment" and len(short.content) < STRONG_WORDS:
            continue  # a 2-3 word fragment is evidence enough for a link, not for a speaker
        for x, y in ((link.a, link.b), (link.b, link.a)):
            if y.speaker_id and y.resolution not in WEAK_RESOLUTIONS and x.resolution in WEAK_RESOLUTIONS:
                votes[x.idx].add(y.speaker_id)
    return {i: next(iter(v)) for i, v in votes.items()
            if len(v) == 1 and next(iter(v)) != prepared[i].speaker_id}


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
