"""Group articles into events: the articles of several outlets that cover one happening.

Evidence (thresholds in crosswire/data/events.toml, fitted by bench/fit_events.py):
- a profile per article: its words (headline and standfirst count more), the names in
  its text, the people its statements quote, and its statements' runs of `statement_ngram`
  content words (names left out), each weighed by its rarity in English (`feature_weight`:
  -log of its frequency in the `wordfreq` reference, not in the corpus);
- candidate pairs: two articles that share one of their own `top_terms` heaviest features
  or a statement run (an inverted index, every pair of a posting list within the date
  window; no all-pairs step);
- two articles are linked when they carry the same statements (`quote_min` runs in common,
  at least one side in quotation marks: `shared_statements`) or when their profiles are
  close (`link_min` cosine) on more than the names they share (`words_min` of the cosine
  from plain words): the same people on the same day at two happenings are two events.

Locality: a link is a function of its two articles alone (their profiles and dates),
never of the rest of the corpus. Adding an article adds only links that touch it, so it
changes only the events it joins (and, through the window and the merge order, at most
their neighbours); a cold run and an incremental one on the same articles group alike.

Dates (`window_days`):
1. Links between dated articles merge their groups, strongest first, only while all the
   group's dates fit in the window; undated articles link among themselves freely; then
   each undated group (without a sidecar key) joins the one dated group its links weigh
   most towards, so an undated article never bridges two dated groups. Its choice reads
   its own links and the dated groups as they stand before any undated group joins, so a
   link between a dated and an undated article never couples two dated groups' grouping
   (crosswire.eventincremental keeps such links apart).
2. An article left alone that shares statements (`quote_min` runs) with another event
   joins the event it shares most with: no event is a singleton when another carries its
   quotations. From an event dated outside the window it joins only when that event's
   articles carry `far_statements_min` distinct statements of it: this is how a misdated
   article (a CMS default of 1970, a wrong year) lands in its event, while one remark
   quoted again in later coverage of something else does not make it the same happening.
   Its date never stretches the event past the window.
3. An article dated more than the window outside its event's dates is reported as a
   warning (`date_warnings`, in the release manifest) and left out of the event's
   date_start/date_end.

How it is computed: `profile`, `feature_weights`, `vectors`, `evidence` and `shared_statements` are the
per-pair definitions (bench/fit_events.py fits on them); `cluster` runs the same on flat
arrays (crosswire.eventarrays: features interned to numbers, the same sums in the same
order, so the same floats; tests/test_eventarrays.py compares the two; its links are `Links`,
arrays, not an `Evidence` per pair: undated articles link to thousands each), with the profiles
stored between runs as a few bytes objects per article, keyed on what a slim article row
carries (title, standfirst, text_sha256, event_key, its statements), and the links stored
too (`stored_links`): a run scores only the candidate pairs that touch a new or changed
article.

Sidecar `event` keys win: articles with one key are one event whatever the evidence, and
two different keys never merge.

event_id, in this order:
1. from the sidecar key when the event has one;
2. else the id most of its articles had in the last release (`previous`), so an event
   keeps its id however it grows or whatever earlier article joins;
3. else from the event's anchor article: its earliest article among those whose dates
   count (step 3 above), then the smallest article_id; with no dates, the smallest
   article_id. An article joining later keeps the id, unless it is dated before the anchor
   (or has a smaller id in an undated event) and no previous release is given.
"""
from __future__ import annotations

import hashlib
import heapq
import marshal
import math
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np

from . import eventarrays
from .align import STOP, SYNONYMS, stem, suffix_strip, words
from .blobs import Blobs
from .spelling import unaccented
from .datafiles import read_toml

# capitalised words in any Latin, Greek or Cyrillic script ("Albarán", "Šimek", "Øyen"),
# not only ASCII, which cut "Albarán" to "Albar" and missed "Šimek"
_UPPER = "".join(c for c in map(chr, range(0x530)) if c.isupper() and c.isalpha())
_LOWER = "".join(c for c in map(chr, range(0x530)) if c.islower() and c.isalpha())
_NAME = re.compile(rf"(?<![.!?]\s)(?<!^)\b([{_UPPER}][{_LOWER}]+(?:[- ][{_UPPER}][{_LOWER}]+)*)")
QUOTED_KINDS = {"direct", "partial"}
_LABEL_STOP = STOP | {"said", "say", "says", "told", "mr", "ms", "mrs", "president", "new", "year",
                      "would", "one", "two", "after", "not", "no", "more", "most"}


def settings() -> dict:
    return read_toml("events.toml")


def _id(kind: str, value: str) -> str:
    return "evt_" + hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()[:16]


# ---------------------------------------------------------------- profiles

@dataclass
class Profile:
    article_id: str
    published: datetime | None
    key: str | None
    tf: Counter                                    # feature -> weighted count
    runs: set                                      # "q:" features: its statements' word runs
    quotes: set                                    # ... of those in quotation marks (direct, partial)
    surface: dict = field(default_factory=dict)    # feature -> {word as written: count}
    label: Counter = field(default_factory=Counter)  # plain words (not stems) for a readable label
    run_statement: dict = field(default_factory=dict)  # run -> the first of its statements that has it


_TOKEN = re.compile(r"[\w'\u2019]+")


def _seen(surface: dict, feature: str, text: str) -> None:
    """Count one more `text` written for `feature` (plain dicts: a Counter per feature and
    article cost more to make than the counting)."""
    counts = surface.get(feature)
    if counts is None:
        surface[feature] = {text: 1}
    else:
        counts[text] = counts.get(text, 0) + 1


def _statement_ngrams(text: str, n: int, surface: dict) -> list[str]:
    """Runs of n content words of a statement, names left out: two articles sharing one
    carry the same words in the same order, which generic phrases ("the presidential
    nominee Donald Trump") and names alone do not make."""
    toks = _TOKEN.findall(text or "")
    kept = [t.replace("\u2019", "'").lower() for k, t in enumerate(toks) if k == 0 or not t[0].isupper()]
    content = [t.strip("'") for t in kept if t.strip("'") and t.strip("'") not in STOP]
    out = []
    for k in range(len(content) - n + 1):
        run = content[k:k + n]
        f = "q:" + " ".join(stem(t) for t in run)
        _seen(surface, f, " ".join(run))
        out.append(f)
    return out


PROFILE_FIELDS = ("speaker_name", "text", "kind")   # what `profile` and `profile_key` read of a statement


def profile(article: dict, statements: list[dict], n: int | None = None) -> Profile:
    """An article's evidence: weighted words, names, quoted people and statement n-grams;
    and its label words (the words of more than three letters of its headline, counted
    three times, and of its text; the standfirst not), read in the same pass over its words."""
    n = n or settings()["statement_ngram"]
    tf: Counter = Counter()
    label: Counter = Counter()
    surface: dict = {}
    fields = [(article.get("title"), 3, 3), (article.get("standfirst"), 2, 0), (article.get("text"), 1, 1)]
    for text, w, in_label in fields:
        for t in words(text or ""):
            if t not in _LABEL_STOP and len(t) > 2 and not t.isdigit():
                f = "w:" + stem(t)
                tf[f] += w
                _seen(surface, f, t)
                if in_label and len(t) > 3:
                    label[t] += in_label
        for name in _NAME.findall(text or ""):
            if name.lower() not in _LABEL_STOP:
                f = "n:" + unaccented(name.lower())  # "Orbán" and "Orban" are one name
                tf[f] += 2 * w
                _seen(surface, f, name)
    runs, quotes, run_statement = set(), set(), {}
    for k, s in enumerate(statements):
        if s.get("speaker_name"):
            f = "p:" + s["speaker_name"]
            tf[f] += 2
            _seen(surface, f, s["speaker_name"])
        for f in _statement_ngrams(s.get("text", ""), n, surface):
            tf[f] += 2
            runs.add(f)
            run_statement.setdefault(f, k)
            if (s.get("kind") or "direct") in QUOTED_KINDS:
                quotes.add(f)
    key = (article.get("event_key") or "").strip() or None
    return Profile(article["article_id"], article.get("published"), key, tf, runs, quotes, surface, label,
                   run_statement)


def profile_key(article: dict, statements: list[dict], n: int) -> bytes:
    """A digest of everything `profile` reads of one article: its text by
    `text_sha256` when the row carries it (a slim row without text has the key its full
    row has), else by the text's own digest; its statements by `statements_digest`."""
    return profile_key_of(article, statements_digest(statements), n)


def statements_digest(statements: list[dict]) -> bytes:
    """A digest of what `profile` reads of an article's statements (PROFILE_FIELDS, in order):
    what a caller keeps per article so that an article's profile key needs no statement read."""
    return hashlib.sha256(marshal.dumps([tuple(st.get(k) for k in PROFILE_FIELDS) for st in statements])).digest()[:16]


def profile_key_of(article: dict, statements: bytes, n: int) -> bytes:
    """profile_key given its statements' `statements_digest`."""
    digest = article.get("text_sha256") or hashlib.sha256((article.get("text") or "").encode("utf-8")).hexdigest()
    parts = (article.get("title"), article.get("standfirst"), digest, article.get("event_key"), n, statements)
    return hashlib.sha256(marshal.dumps(parts)).digest()[:16]


class ByArticle:
    """What the grouping reads of each article's statements (PROFILE_FIELDS, `[article_id]`)
    and their `statements_digest` (`digest(article_id)`). Over a reader by article that keeps
    the digests (one with `of(article_id)` and `profile_digest(article_id)`, such as
    corroborate.StatementsView), an article's statements are read only when it is profiled;
    over statement rows (any iterable) or a dict of lists by article, they are gathered here."""

    def __init__(self, statements):
        if hasattr(statements, "profile_digest"):
            self._of, self._digest = statements.of, statements.profile_digest
            return
        if not isinstance(statements, dict):
            rows = defaultdict(list)
            for s in statements:   # only what profiles read: the corpus's statement rows are not held here
                rows[s["article_id"]].append({k: s[k] for k in PROFILE_FIELDS if k in s})
            statements = rows
        digests = {}
        self._of = lambda aid: statements.get(aid, [])
        self._digest = lambda aid: digests[aid] if aid in digests else \
            digests.setdefault(aid, statements_digest(statements.get(aid, [])))

    def __getitem__(self, article_id: str) -> list[dict]:
        return self._of(article_id)

    def digest(self, article_id: str) -> bytes:
        return self._digest(article_id)


def _profiles_code() -> str:
    """What stored profiles depend on besides the article: this code, align's words and
    stems (their modules and data files) and Python's marshal format."""
    from . import align, cache

    data = Path(__file__).parent / "data"
    return cache.code_version("profiles-4", [sys.modules[__name__], align, eventarrays]) + ":" + \
        cache.files_digest(sorted(data.glob("*.toml")))[:16] + f":py{sys.version_info[0]}.{sys.version_info[1]}" + \
        f":wordfreq{_package_version('wordfreq')}"


def _package_version(name: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "missing"


# blobs the stored profiles are spread over (by a key's first two bytes): a run reads the shards
# of the articles it profiles and an added article rewrites one. An added article at 10k is
# weighed against ~410 others spread over nearly every one of 256 shards (200 MB of profiles
# read); over 4,096 shards it reads ~410 of ~60 kB each
PROFILE_SHARDS = 4096


def _shard(key: bytes) -> int:
    return int.from_bytes(key[:2], "big") % PROFILE_SHARDS


def _stored_profiles(store: Blobs, shards) -> dict:
    """{profile_key: stored entry} from those of the shards that can be read."""
    out = {}
    for shard in sorted(shards):
        data = store.get(f"profiles-{shard:04d}")
        try:
            entries = marshal.loads(data) if data else {}
        except (ValueError, EOFError, TypeError):
            continue
        if isinstance(entries, dict):
            out.update((k, v) for k, v in entries.items() if isinstance(k, bytes) and _shard(k) == shard)
    return out


def article_profiles(arts: list[dict], by_article: dict[str, list[dict]], n: int, store_root: Path | None = None,
                     counts: dict | None = None, text_of=None, keys: list | None = None,
                     keep: set | None = None, known: dict | None = None,
                     drop=()) -> eventarrays.Corpus:
    """The profiles of the articles as one eventarrays.Corpus (in order), each record with
    its label words (`Profile.label`, read by eventarrays.label_words). With a `store_root` (the cache directory), the records of the
    last run are read from there (marshal blobs of bytes: a few objects per article, not
    one per feature) and only new or changed articles are profiled. The blobs are spread
    over PROFILE_SHARDS files by key. Without `keep`, they are written back holding exactly
    these articles (every shard is read); with `keep` (the profile keys of the whole
    corpus, of which `arts` is a part), only the shards of these articles are read and only
    those that gain a record are written back, without the records `keep` lacks. `known`:
    records already at hand, by key; `drop`: keys of records gone from the corpus, whose
    shards are rewritten without them. An article the store does not hold is read whole: its
    "text", or `text_of(article_id)` when the row comes without it. `counts` gets
    "profiled": how many were computed; `keys`, when given, the articles' profile keys."""
    store = profile_blobs(store_root) if store_root else None
    all_shards = keep is None
    by_article = by_article if isinstance(by_article, ByArticle) else ByArticle(by_article)
    mine = [profile_key_of(a, by_article.digest(a["article_id"]), n) for a in arts]
    wanted = [k for k in mine if not (known and k in known)]
    dropped = {_shard(k) for k in drop if k not in (keep or ())}
    shards = range(PROFILE_SHARDS) if all_shards else {_shard(k) for k in wanted} | dropped
    stored = _stored_profiles(store, shards) if store is not None and shards else {}
    records, kept, touched, computed = [], {}, set(dropped), 0
    for a, key in zip(arts, mine):
        hit = (known or {}).get(key) or stored.get(key)
        if not eventarrays.is_record(hit):   # its statements read only now
            full = a if "text" in a or text_of is None else dict(a, text=text_of(a["article_id"]))
            p = profile(full, by_article[a["article_id"]], n)
            hit = eventarrays.encode(p.tf, p.runs, p.quotes, p.surface, dict(p.label), feature_weight,
                                     p.run_statement)
            touched.add(_shard(key))
            computed += 1
        kept[key] = hit
        records.append(hit)
    if all_shards:
        touched |= {_shard(k) for k in stored.keys() - kept.keys()}
        keep = kept.keys()
    if store is not None:
        for shard in sorted(touched):
            entries = {k: v for k, v in stored.items() if _shard(k) == shard and k in keep}
            entries.update((k, v) for k, v in kept.items() if _shard(k) == shard)
            store.put(f"profiles-{shard:04d}", marshal.dumps(entries))
    if counts is not None:
        counts["profiled"] = counts.get("profiled", 0) + computed
    if keys is not None:
        keys.extend(mine)
    return eventarrays.Corpus(records)


def profile_blobs(store_root: Path) -> Blobs:
    """Where the article profiles of this code are kept under a cache root."""
    return Blobs(store_root, "event-profiles", _profiles_code())


def shared_statements(a: Profile, b: Profile) -> set[str]:
    """Statement runs two articles share, at least one of them inside quotation marks: a
    quotation carried by both, or one outlet's reported speech in the other's quoted words
    (two writers' own phrasings meeting on a stock phrase do not count)."""
    return (a.quotes & b.runs) | (a.runs & b.quotes)


def statements_carried(shared, run_statement: dict, quote_min: int) -> int:
    """How many distinct statements of an article `shared` (runs it shares with others, as
    `shared_statements` counts them) carries: the statements with at least `quote_min` of
    those runs, each run counted for the first statement of the article that has it
    (`Profile.run_statement`), so that a quotation and the reported speech around the same
    words are one."""
    per = Counter(run_statement[f] for f in shared if f in run_statement)
    return sum(1 for c in per.values() if c >= quote_min)


def feature_weights(profiles: list[Profile]) -> dict[str, float]:
    """`feature_weight` of every feature of the profiles."""
    return {f: feature_weight(f) for p in profiles for f in p.tf}


@lru_cache(maxsize=1 << 18)
def feature_weight(feature: str) -> float:
    """A feature's weight, from the feature alone: -log of its frequency in English
    (`wordfreq`, a fixed reference), so that two articles' similarity does not depend on
    the rest of the corpus (an added article moves no other pair's cosine). A word's stem
    counts the frequencies of all the words with that stem; a name or a speaker, the
    frequency of the name as a phrase; a statement run, the combined frequency of its
    stems (1/f summed, as wordfreq combines a phrase's words). Rarer than the reference
    knows: `unknown_frequency`."""
    kind, text = feature[:2], feature[2:]
    if kind == "w:":
        f = _stem_frequency(text)
    elif kind == "q:":
        parts = [_stem_frequency(t) for t in text.split()]
        f = 1 / sum(1 / max(x, _floor()) for x in parts) if parts else 0.0
    else:
        return word_weight(text)
    return -math.log(max(f, _floor()))


@lru_cache(maxsize=1 << 18)
def word_weight(text: str) -> float:
    """-log of a word's (or a phrase's) frequency in English, as written."""
    return -math.log(max(_wordfreq().word_frequency(text, "en"), _floor()))


@lru_cache(maxsize=1)
def _floor() -> float:
    return float(settings()["unknown_frequency"])


def _wordfreq():
    import wordfreq  # only when a new article is profiled: a warm run reads stored weights

    return wordfreq


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, float]:
    return _wordfreq().get_frequency_dict("en")


def load_frequencies() -> None:
    """Load now the English word frequencies a new article's profile is weighed by (wordfreq
    and its list: about 0.6 s, once per process); for a process that runs many flows."""
    _frequencies()


@lru_cache(maxsize=1)
def _unfolded() -> dict[str, list[str]]:
    """align's near-synonym folding reversed: group stem -> the stripped words folded to it."""
    out = defaultdict(list)
    for stripped, folded in SYNONYMS.items():
        out[folded].append(stripped)
    return out


_SUFFIXES = ("ations", "ation", "ments", "ment", "ingly", "ing", "edly", "ed", "ies", "es", "ly", "s")


@lru_cache(maxsize=1 << 18)
def _stem_frequency(stemmed: str) -> float:
    """The summed English frequency of the words whose `stem` is `stemmed`: the words that
    can strip to it (checked by stripping them), without listing the whole vocabulary."""
    freq = _frequencies()
    sources = _unfolded().get(stemmed, []) + ([stemmed] if SYNONYMS.get(stemmed, stemmed) == stemmed else [])
    total = 0.0
    # sorted, not set order: a float sum depends on its order, and set order on the
    # process's hash seed, so the same feature would weigh differently from run to run
    for x in sorted(set(sources)):
        bases = {x, x + "e"}
        found = set(bases) | {b + suf for b in bases for suf in _SUFFIXES}
        if x.endswith("y"):
            found.add(x[:-1] + "ies")
        total += sum(freq.get(w, 0.0) for w in sorted(found) if suffix_strip(w) == x)
    return total


def vectors(profiles: list[Profile], weights: dict[str, float]) -> list[dict[str, float]]:
    out = []
    for p in profiles:
        vec = {f: (1 + math.log(c)) * weights[f] for f, c in p.tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        out.append({f: v / norm for f, v in vec.items()})
    return out


def _cosine(a: dict, b: dict, prefix: str = "") -> float:
    """Cosine of two unit vectors; with a prefix, only the part its features make."""
    return _cosines(a, b, prefix)[1 if prefix else 0]


def _cosines(a: dict, b: dict, prefix: str) -> tuple[float, float]:
    """(cosine, the part of it that features with the prefix make), in one pass."""
    if len(a) > len(b):
        a, b = b, a
    whole = part = 0.0
    for t, v in a.items():
        w = b.get(t)
        if w is not None:
            whole += v * w
            if t.startswith(prefix):
                part += v * w
    return whole, part


# ---------------------------------------------------------------- links

@dataclass(frozen=True)
class Evidence:
    i: int
    j: int
    cosine: float
    words: float          # the part of the cosine that plain words (not names, people or
                          # quotations) make: the same people alone do not make one event
    shared_quotes: int    # statement n-grams (runs of content words) in common


def evidence(profiles: list[Profile], cfg: dict | None = None, window: timedelta | None = None,
             weights: dict[str, float] | None = None) -> list[Evidence]:
    """The candidate pairs (blocking, no all-pairs step) with what they share; with a
    window, not the pairs of dated articles further apart (step 1 cannot link them)."""
    cfg = cfg or settings()
    weights = weights or feature_weights(profiles)
    vecs = vectors(profiles, weights)
    # an article's most distinctive terms and its statement runs: two articles that share
    # one are a candidate pair, whatever the other articles hold
    keys = [set(sorted(vecs[i], key=lambda f: (-vecs[i][f], f))[:cfg["top_terms"]]) | p.runs
            for i, p in enumerate(profiles)]
    holders = defaultdict(set)
    for i, ks in enumerate(keys):
        for k in ks:
            holders[k].add(i)
    candidates = {(i, j) for held in holders.values() for i in held for j in held if i < j}
    out = []
    for i, j in sorted(candidates):
        pi, pj = profiles[i].published, profiles[j].published
        if window is not None and pi and pj and abs(pi - pj) > window:
            continue
        out.append(Evidence(i, j, *_cosines(vecs[i], vecs[j], "w:"),
                            len(shared_statements(profiles[i], profiles[j]))))
    return out


def linked(e: Evidence, cfg: dict) -> bool:
    return e.shared_quotes >= cfg["quote_min"] or (e.cosine >= cfg["link_min"] and e.words >= cfg["words_min"])


def _micros(published: list) -> tuple[np.ndarray, np.ndarray]:
    """(dated, microseconds since the epoch) per article: exact, as timedelta compares."""
    epoch = datetime(1970, 1, 1, tzinfo=timezone.utc)
    dated = np.array([p is not None for p in published], bool)
    us = np.array([(p - epoch) // timedelta(microseconds=1) if p is not None else 0 for p in published], np.int64)
    return dated, us


@dataclass
class Links:
    """Links as arrays, one entry per pair (i < j): what `Evidence` holds, without an object
    per pair (a corpus with undated articles links millions of pairs). `evidence()` gives the
    per-pair objects."""
    i: np.ndarray          # int32
    j: np.ndarray          # int32
    cosine: np.ndarray     # float64
    words: np.ndarray      # float64
    shared: np.ndarray     # int32: shared_quotes

    FIELDS = ("i", "j", "cosine", "words", "shared")

    def __post_init__(self):
        self.i, self.j = np.asarray(self.i, np.int32), np.asarray(self.j, np.int32)
        self.cosine, self.words = np.asarray(self.cosine, np.float64), np.asarray(self.words, np.float64)
        self.shared = np.asarray(self.shared, np.int32)

    @classmethod
    def none(cls) -> "Links":
        return cls(*(np.zeros(0) for _ in cls.FIELDS))

    @classmethod
    def joined(cls, parts: list["Links"]) -> "Links":
        return cls(*(np.concatenate([getattr(p, f) for p in parts]) for f in cls.FIELDS)) if parts else cls.none()

    def __len__(self) -> int:
        return len(self.i)

    def take(self, at: np.ndarray) -> "Links":
        """The links at these positions (or where this mask holds), in that order."""
        return Links(*(getattr(self, f)[at] for f in self.FIELDS))

    def renumbered(self, at: np.ndarray) -> "Links":
        """The same links with article k numbered at[k]."""
        at = np.asarray(at, np.int64)
        return Links(at[self.i], at[self.j], self.cosine, self.words, self.shared)

    def strongest_first(self) -> np.ndarray:
        """Positions in `Evidence` strength order: cosine descending, then i, then j."""
        return np.lexsort((self.j, self.i, -self.cosine))

    def evidence(self) -> list[Evidence]:
        return [Evidence(*e) for e in zip(self.i.tolist(), self.j.tolist(), self.cosine.tolist(),
                                          self.words.tolist(), self.shared.tolist())]


def links(corpus: eventarrays.Corpus, published: list, cfg: dict, window: timedelta | None,
          unit: np.ndarray, touching: np.ndarray | None = None, counts: dict | None = None) -> Links:
    """`evidence` on the corpus's arrays, only the pairs that are `linked`, in (i, j) order:
    the same candidates (two articles sharing one of their own top terms or statement runs,
    `eventarrays.pairs_sharing`), the same cosines. With `touching` (a mask of articles),
    only the pairs with at least one of them. `counts` gets "pairs_scored"."""
    width = max(len(published), 1)
    dated, us = _micros(published)
    keys = [np.union1d(top, corpus.flagged(i, eventarrays.RUN))
            for i, top in enumerate(corpus.top_terms(unit, cfg["top_terms"]))]
    days = None if window is None else math.ceil(window / timedelta(days=1))
    codes = eventarrays.pairs_sharing(keys, us // (86_400 * 10**6), dated, days)
    left, right = (codes // width).astype(np.int32), (codes % width).astype(np.int32)
    del codes
    if window is not None:
        both = dated[left] & dated[right]
        keep = ~both | (np.abs(us[left] - us[right]) <= window // timedelta(microseconds=1))
        left, right = left[keep], right[keep]
    if touching is not None:      # only the pairs with at least one of these articles
        keep = touching[left] | touching[right]
        left, right = left[keep], right[keep]
    if counts is not None:
        counts["pairs_scored"] = len(left)
    cos, part, shared = corpus.pair_evidence(unit, left, right)
    ok = (shared >= cfg["quote_min"]) | ((cos >= cfg["link_min"]) & (part >= cfg["words_min"]))
    return Links(left[ok], right[ok], cos[ok], part[ok], shared[ok])


# ---------------------------------------------------------------- clustering

@dataclass
class Grouping:
    event_of: dict[str, str]                      # article_id -> event_id
    members: dict[str, list[str]]                 # event_id -> article ids (sorted)
    dated: dict[str, tuple]                       # event_id -> (date_start, date_end) or absent
    outliers: dict[str, str]                      # article_id -> event_id: dated far outside it
    tied: dict[str, list[str]]                    # event_id -> terms that tied it
    terms: dict[str, list[str]] = field(default_factory=dict)   # event_id -> its heaviest label words (label_terms)


class _Groups:
    """Union-find over articles that tracks each group's sidecar key and date span."""

    def __init__(self, keys: list, published: list):
        self.parent = list(range(len(keys)))
        self.key = list(keys)
        self.span = [(p, p) if p else None for p in published]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def can_merge(self, ri: int, rj: int) -> bool:
        return ri != rj and not (self.key[ri] and self.key[rj] and self.key[ri] != self.key[rj])

    def merged_span(self, ri: int, rj: int):
        a, b = self.span[ri], self.span[rj]
        if a is None or b is None:
            return a or b
        return (min(a[0], b[0]), max(a[1], b[1]))

    def merge(self, ri: int, rj: int, span=None) -> None:
        lo, hi = min(ri, rj), max(ri, rj)
        self.span[lo] = span if span is not None else self.merged_span(ri, rj)
        self.parent[hi] = lo
        self.key[lo] = self.key[lo] or self.key[hi]


@dataclass
class StepOne:
    """Step 1's grouping of some articles (all of a corpus, or the components a store's run
    regroups), in their own numbering."""
    groups: _Groups                     # after undated groups attached (each group's root: its first article)
    core: list[int]                     # each article's core_groups group
    loose: set[int]                     # articles of loose_groups
    targets: dict[int, int]             # attach_targets' choices


def cluster(articles, statements: list[dict], previous: dict[str, str] | None = None,
            window_days: float | None = None, store_root: Path | None = None,
            counts: dict | None = None, text_of=None) -> Grouping:
    """Events of the articles (any iterable of article dicts; see the module docstring for
    the rules). With a `store_root`, the last run's grouping, profiles and links are kept
    there (crosswire.eventstore): only the components that new, removed or changed articles
    touch are grouped again, and the result is the same as without a store; an article
    whose profile the store holds needs no "text" (one it does not hold is read by
    `text_of(article_id)` when its row has none)."""
    cfg = settings()
    window = timedelta(days=cfg["window_days"] if window_days is None else window_days)
    by_article = ByArticle(statements)
    arts = sorted(articles, key=lambda a: a["article_id"])
    if counts is not None:
        counts["profiled"] = 0
    if store_root is not None:
        from . import eventincremental

        return eventincremental.cluster_stored(arts, by_article, previous or {}, cfg, window, store_root,
                                               counts, text_of)
    corpus = article_profiles(arts, by_article, cfg["statement_ngram"], None, counts, text_of)
    published = [a.get("published") for a in arts]
    keys = [(a.get("event_key") or "").strip() or None for a in arts]
    unit = corpus.unit_vectors(corpus.weights())
    found = links(corpus, published, cfg, window, unit, counts=counts)
    first = step_one(published, keys, found, window).groups
    members, span, far = step_two([first.find(i) for i in range(len(arts))], run_postings(corpus), published, keys,
                                  cfg, window)
    terms = {r: event_terms(corpus, idx, cfg) for r, idx in members.items()}
    return grouping_of([a["article_id"] for a in arts], published, keys, members, span, far,
                       {r: t[0] for r, t in terms.items()}, {r: t[1] for r, t in terms.items()}, previous or {})


def grouping_of(ids: list[str], published: list, keys: list, members: dict[int, list[int]], span: dict,
                far: set[int], tied: dict, terms: dict, previous: dict[str, str]) -> Grouping:
    """The Grouping of events given by their members (sorted article numbers), each keyed
    by its smallest article, with their spans, tying terms and label words by the same key."""
    key_of = {root: next((keys[i] for i in idx if keys[i]), None) for root, idx in members.items()}
    event_ids = _name_events(members, ids, published, key_of, far, previous)
    root_of = {i: root for root, idx in members.items() for i in idx if i in far}
    return Grouping(
        event_of={ids[i]: event_ids[root] for root, idx in members.items() for i in idx},
        members={event_ids[root]: [ids[i] for i in idx] for root, idx in sorted(members.items())},
        dated={event_ids[root]: span[root] for root in sorted(members) if span.get(root)},
        outliers={ids[i]: event_ids[root_of[i]] for i in sorted(far)},
        tied={event_ids[root]: tied[root] for root in sorted(members)},
        terms={event_ids[root]: terms[root] for root in sorted(members)},
    )


def step_one(published: list, keys: list, found: Links, window: timedelta, groups: _Groups | None = None,
             targets: dict[int, int] | None = None) -> StepOne:
    """Step 1 of the module docstring on these articles and their links. `groups` and
    `targets`: its `core_groups` and `attach_targets`, when the caller worked them out with
    articles beyond these (a store's run); by default both come from `found`."""
    groups = groups or core_groups(published, keys, found, window)
    n = len(published)
    core = [groups.find(i) for i in range(n)]
    loose = loose_groups(groups, n)
    if targets is None:
        dated = np.array([p is not None for p in published], bool)
        size = Counter(core)
        group_of = np.full(n, -1, np.int64)      # an article of a loose group -> its group
        group_of[list(loose)] = list(loose.values())
        u = np.where(dated[found.i], found.j, found.i)   # a link's undated end, when it has one
        cross = found.take((dated[found.i] != dated[found.j]) & (group_of[u] >= 0))
        cross = cross.take(cross.strongest_first())
        u, d = np.where(dated[cross.i], cross.j, cross.i), np.where(dated[cross.i], cross.i, cross.j)
        targets = attach_targets(group_of[u], np.asarray(core, np.int64)[d], cross.cosine, size.__getitem__)
    for ru, rd in sorted(targets.items()):   # an undated group joins the dated group it chose
        groups.merge(groups.find(rd), groups.find(ru))
    return StepOne(groups=groups, core=core, loose=set(loose), targets=targets)


def step_two(step1: list[int], postings: tuple, published: list, keys: list, cfg: dict,
             window: timedelta) -> tuple[dict[int, list[int]], dict[int, tuple], set[int]]:
    """Step 2 of the module docstring over the whole corpus, from each article's step 1
    group (its first article) and every article's statement runs (`run_postings`): -> each
    event's members (by its first article), the dated events' spans, the articles dated far
    outside theirs. It reads no profile, so a store's run makes it whole from stored arrays."""
    groups = _Groups(keys, published)
    for i, root in enumerate(step1):
        if root != i:
            groups.parent[i] = root
            groups.span[root] = groups.merged_span(root, i)
            groups.key[root] = groups.key[root] or groups.key[i]
    far = _join_singletons(postings, published, keys, groups, cfg, window)
    members = defaultdict(list)
    for i in range(len(published)):
        members[groups.find(i)].append(i)
    return dict(members), {r: groups.span[r] for r in members if groups.span[r]}, far


def run_postings(corpus: eventarrays.Corpus, at=None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(article, feature hash, in quotation marks, the article's statement it is first in)
    of every statement run of the corpus's articles (numbered by `at` when given): what
    step 2 reads."""
    is_run = (corpus.flags & eventarrays.RUN) != 0
    owner = corpus.owner[is_run] if at is None else np.asarray(at, np.int64)[corpus.owner[is_run]]
    return (owner, corpus.hashes[corpus.fid[is_run]], (corpus.flags[is_run] & eventarrays.QUOTE) != 0,
            corpus.statement[is_run])


def event_terms(corpus: eventarrays.Corpus, members: list[int], cfg: dict) -> tuple[list, list]:
    """(tying terms, label words) of an event of these articles (numbered in the corpus)."""
    return (tying_terms(corpus, members, corpus.weights(), cfg["report_terms"]),
            label_terms([eventarrays.label_words(corpus.records[i]) for i in members]))


def core_groups(published: list, keys: list, found: Links, window: timedelta) -> _Groups:
    """Step 1 before any undated group attaches: sidecar keys, then the links between two
    dated articles (within the window) or two undated ones, strongest first. A link between
    a dated and an undated article plays no part here, so this grouping is a function of
    the articles joined by links of one kind and keys alone (a store regroups it per such
    component, however widely undated articles link)."""
    groups = _Groups(keys, published)
    first_with_key: dict[str, int] = {}
    for i, key in enumerate(keys):
        if key:
            root = groups.find(first_with_key.setdefault(key, i))
            if root != i:
                groups.merge(root, i)
    dated = np.array([p is not None for p in published], bool)
    same = found.take(dated[found.i] == dated[found.j])
    order = same.strongest_first()
    for i, j in zip(same.i[order].tolist(), same.j[order].tolist()):
        ri, rj = groups.find(i), groups.find(j)
        if not groups.can_merge(ri, rj):
            continue
        if groups.span[ri] and groups.span[rj]:
            lo, hi = groups.merged_span(ri, rj)
            if hi - lo > window:
                continue
        groups.merge(ri, rj)
    return groups


def loose_groups(groups: _Groups, n: int) -> dict[int, int]:
    """{article: its group} of the articles whose `core_groups` group has no date and no
    sidecar key: the groups that attach to a dated one by their links. (A keyed group is its
    key's event: content does not carry it into another.)"""
    roots = {i: groups.find(i) for i in range(n)}
    return {i: r for i, r in roots.items() if groups.span[r] is None and not groups.key[r]}


def attach_targets(ru: np.ndarray, rd: np.ndarray, cos: np.ndarray, size_of) -> dict[int, int]:
    """{undated group: the dated group it joins}: the one its links weigh most towards (the
    sum of their cosines; ties: the larger group, then the smaller root), so an undated
    article never bridges two dated groups. Per link between an undated article of a group
    that attaches (`loose_groups`) and a dated article, strongest first (the order the sums
    are made in: np.add.at adds in that order): `ru` the undated group, `rd` the
    `core_groups` group of the dated article, `cos` the cosine; `size_of(group)` the dated
    group's size. Each choice reads only its own group's links and the groups they reach,
    not the other undated groups' choices. (Arrays: an undated group can link to every
    dated article of a large corpus.)"""
    if not len(ru):
        return {}
    ru, rd = np.asarray(ru, np.int64), np.asarray(rd, np.int64)
    width = int(rd.max()) + 1
    pairs, at = np.unique(ru * width + rd, return_inverse=True)   # one number per (group, group): a 1-d sort
    sums = np.zeros(len(pairs))
    np.add.at(sums, at.reshape(-1), np.asarray(cos, np.float64))
    best = {}
    for u, d, w in zip((pairs // width).tolist(), (pairs % width).tolist(), sums.tolist()):
        rank = (round(w, 9), size_of(d), -d)
        if u not in best or rank > best[u]:
            best[u] = rank
    return {u: -rank[2] for u, rank in best.items()}


def _join_singletons(postings: tuple, published: list, keys: list, groups: _Groups, cfg: dict,
                     window: timedelta) -> set[int]:
    """Step 2: each article still alone (and without a sidecar key) joins the event whose
    articles share the most of its statement runs, if at least `quote_min` (a run counts
    once, when one of the two carries it in quotation marks); an event dated more than the
    window from the article only if its articles carry `far_statements_min` of the
    article's statements (`statements_carried`), else the next event that qualifies.
    -> the articles that joined dated far outside their event (their dates do not widen it)."""
    n = len(published)
    size = Counter(groups.find(i) for i in range(n))
    owner, hashes, quoted, statement = postings
    by_hash = np.lexsort((owner, hashes))
    h_sorted, h_owner, h_quoted = hashes[by_hash], owner[by_hash], quoted[by_hash]
    by_owner = np.argsort(owner, kind="stable")
    starts = np.searchsorted(owner[by_owner], np.arange(n + 1))
    far = set()
    for s in range(n):
        root = groups.find(s)
        mine = by_owner[starts[s]:starts[s + 1]]
        if size[root] != 1 or keys[s] or not len(mine):
            continue
        runs = np.unique(hashes[mine])
        quotes = np.unique(hashes[mine][quoted[mine]])
        lo, hi = np.searchsorted(h_sorted, runs, "left"), np.searchsorted(h_sorted, runs, "right")
        rows = np.concatenate([np.arange(a, b) for a, b in zip(lo.tolist(), hi.tolist())])
        shared = defaultdict(set)   # group -> the runs it shares, at least one side quoted
        for t, f, q in zip(h_owner[rows].tolist(), h_sorted[rows].tolist(),
                           (h_quoted[rows] | np.isin(h_sorted[rows], quotes)).tolist()):
            rt = groups.find(t)
            if rt != root and q:
                shared[rt].add(f)
        best = sorted(((len(fs), size[rt], -rt) for rt, fs in shared.items()
                       if len(fs) >= cfg["quote_min"] and groups.can_merge(rt, root)), reverse=True)
        p = published[s]
        run_statement = None   # made once, for the first event dated far from it
        for _, _, neg in best:
            target = -neg
            span = groups.span[target]
            outside = bool(p and span and not (span[0] - window <= p <= span[1] + window))
            # one remark quoted again weeks later is another event's coverage; a misdated
            # article of the same happening carries several of its statements
            if outside:
                if run_statement is None:
                    run_statement = dict(zip(hashes[mine].tolist(), statement[mine].tolist()))
                if statements_carried(shared[target], run_statement, cfg["quote_min"]) < cfg["far_statements_min"]:
                    continue
            widened = groups.merged_span(target, root)
            if span and widened and widened[1] - widened[0] > window:
                widened = span  # joins, but does not stretch the event past the window
            groups.merge(target, root, span=widened)
            size[groups.find(s)] = size.pop(target) + size.pop(root)
            if outside:
                far.add(s)
            break
    return far


def _name_events(members: dict[int, list[int]], ids: list[str], published: list, keys: dict, far: set[int],
                 previous: dict[str, str]) -> dict[int, str]:
    """root -> event_id, by the rule of the module docstring."""
    out, taken = {}, set()
    # larger events first, so that a split event's id stays with its larger part
    for root, idx in sorted(members.items(), key=lambda kv: (-len(kv[1]), kv[1][0])):
        held = Counter(previous[ids[i]] for i in idx if previous.get(ids[i]))
        held = [e for e, _ in sorted(held.items(), key=lambda x: (-x[1], x[0])) if e not in taken]
        if keys[root]:
            eid = _id("key", keys[root])
        elif held:
            eid = held[0]
        else:   # the anchor, or the next article in anchor order whose id no other event holds
            order = sorted(idx, key=lambda i: (published[i] is None or i in far,
                                               published[i] or datetime.min.replace(tzinfo=timezone.utc), ids[i]))
            eid = next((x for x in (_id("article", ids[i]) for i in order) if x not in taken),
                       _id("article", f"{ids[order[0]]}#{len(taken)}"))
        taken.add(eid)
        out[root] = eid
    return out


def group(articles: list[dict], statements: list[dict], previous: dict[str, str] | None = None,
          window_days: float | None = None) -> dict[str, str]:
    """{article_id: event_id}: `cluster` without the report."""
    return cluster(articles, statements, previous, window_days).event_of


# ---------------------------------------------------------------- report

def _display(feature: str, surface: Counter) -> str:
    text = sorted(surface.items(), key=lambda x: (-x[1], x[0]))[0][0] if surface else feature[2:]
    return f'"{text}"' if feature.startswith("q:") else text


def tying_terms(corpus: eventarrays.Corpus, members: list[int], weights: np.ndarray, k: int) -> list[str]:
    """The features most of the event's articles share, rarest in the corpus first: the
    words, names, people and quoted phrases that tied it. Empty for a single article.
    Only the shared features' texts are decoded, and the words as written only of those
    the list shows."""
    if len(members) < 2:
        return []
    fids = np.concatenate([corpus.fid[corpus.entries(i)] for i in members])
    shared, df = np.unique(fids, return_counts=True)
    keep = df >= 2
    shared, df = shared[keep].tolist(), df[keep].tolist()
    text = {g: corpus.text(g) for g in shared}
    score = {g: c * float(weights[g]) for g, c in zip(shared, df)}
    ranked = sorted(shared, key=lambda g: (-score[g], text[g]))

    def display(g: int) -> str:
        surface: Counter = Counter()
        for i in members:
            surface.update(corpus.surface(i, g))
        return _display(text[g], surface)

    # a word of a shared name ("elena" of "Elena Marsh") is the name again
    name_words = {unaccented(w) for g in ranked if text[g][:2] in ("n:", "p:") for w in text[g][2:].lower().split()}
    out, seen = [], set()
    for g in ranked:
        shown = display(g)
        if text[g].startswith("w:") and unaccented(shown.lower()) in name_words:
            continue
        if shown.lower() not in seen:
            seen.add(shown.lower())
            out.append(shown)
        if len(out) == k:
            break
    # the statement the outlets share most is always among them when there is one
    quoted = next((g for g in ranked if text[g].startswith("q:")), None)
    if quoted is not None and out and not any(t.startswith('"') for t in out):
        out[-1] = display(quoted)
    return out


LABEL_TERMS, LABEL_PEOPLE = 3, 2   # an event's label: its most quoted people, then its heaviest words


def label_terms(labels: list[dict]) -> list[str]:
    """An event's heaviest label words, from its articles' label words (`Profile.label`, in
    article_id order): each weighed by its rarity in English (`word_weight`, not in the
    corpus: an added article changes no other event's label), enough of them that the
    label still has LABEL_TERMS after its people's surnames are left out."""
    weight: Counter = Counter()
    for tf in labels:
        weight.update({t: (1 + math.log(c)) * word_weight(t) for t, c in tf.items()})
    return [t for t, _ in heapq.nsmallest(LABEL_TERMS + LABEL_PEOPLE, weight.items(), key=lambda x: (-x[1], x[0]))]


def event_rows(articles: list[dict], statements: list[dict], grouping: Grouping) -> list[dict]:
    """One row per event: label from the most quoted people and distinctive terms, the
    outlets, the date span (without articles dated far outside it) and the tying terms.
    `statements`: statement rows, or a reader by article that counts each article's quoted
    people (`people(article_id)` -> {speaker_name: statements}, corroborate.StatementsView:
    no statement read)."""
    by_event = defaultdict(list)
    for a in articles:
        by_event[grouping.event_of[a["article_id"]]].append(a)
    if hasattr(statements, "people"):
        people_of = statements.people
    else:
        speakers_by_article = defaultdict(Counter)
        for s in statements:
            if s.get("speaker_name"):
                speakers_by_article[s["article_id"]][s["speaker_name"]] += 1
        people_of = speakers_by_article.__getitem__
    rows = []
    for eid, arts in sorted(by_event.items()):
        people: Counter = Counter()
        for a in arts:
            people.update(people_of(a["article_id"]))
        top_people = [p for p, _ in sorted(people.items(), key=lambda x: (-x[1], x[0]))[:LABEL_PEOPLE]]
        surnames = {p.split()[-1].lower() for p in top_people}
        # the heaviest words that are not a top person's surname
        terms = [t for t in grouping.terms.get(eid, []) if t not in surnames][:LABEL_TERMS]
        start, end = grouping.dated.get(eid, (None, None))
        day = start.astimezone(timezone.utc).date() if start else None
        label = ", ".join(top_people) + (": " if top_people and terms else "") + ", ".join(terms)
        label = (label or "untitled") + (f" ({day.isoformat()})" if day else "")
        rows.append({"event_id": eid, "label": label, "date": day, "article_count": len(arts),
                     "source_count": len({a["source_id"] for a in arts}),
                     "sources": sorted({a["source_id"] for a in arts}),
                     "date_start": start, "date_end": end, "terms": grouping.tied.get(eid, [])})
    return rows


def date_warnings(articles: list[dict], grouping: Grouping) -> list[dict]:
    """One warning per article dated far outside its event (step 3 of the module docstring),
    for the release manifest: the date is probably wrong."""
    out = []
    for a in sorted(articles, key=lambda a: a["article_id"]):
        eid = grouping.outliers.get(a["article_id"])
        if eid is None:
            continue
        start, end = grouping.dated[eid]
        out.append({"kind": "event_date", "article_id": a["article_id"], "path": a.get("raw_path"),
                    "event_id": eid,
                    "message": f"dated {a['published'].date().isoformat()}, outside its event's "
                               f"{start.date().isoformat()} to {end.date().isoformat()}: it joined by "
                               f"its quotations; its date is probably wrong and does not count"})
    return out
