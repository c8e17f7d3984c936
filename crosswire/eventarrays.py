"""The events stage's article profiles as flat arrays: compact to keep, fast to compare.

crosswire.events defines an article's profile (`events.profile`: weighted features, its
statement runs, the words as written) and the evidence two profiles make (TF-IDF cosine,
the part plain words make, the statement runs they share). This module holds the profiles
of a whole corpus as a few numpy arrays and computes that evidence for many pairs at once,
with results equal to the per-pair definition:

- features are interned: each feature's text is hashed to 64 bits (BLAKE2b, the same in
  every process and run) and the corpus's distinct hashes numbered (`fid`); a collision of
  two features' hashes (about one in 10^19 per pair of features) is the only way two
  different features could count as one;
- an article's entries keep the order its profile had (so sums run in the same order and
  give the same floats) and a `rank` (its features' order as text) for the tie rules that
  sort by text;
- the text of a feature and the words as written (`surface`) stay as bytes in the stored
  record and are decoded only for the features a tie rule or an event's tying terms read.

Stored form (`encode`): one tuple of bytes per article (its label words marshalled too: bytes
are a tenth of the dict's size), marshalled by crosswire.events into sharded blobs; a run
holds the records of the articles it profiles in this form. Pure: no I/O, no Prefect.
"""
from __future__ import annotations

import hashlib
import marshal
import math

import numpy as np

from .align import sorted_distinct

RUN, QUOTE, WORD, STATEMENT, NAME = 1, 2, 4, 8, 16   # entry flags
_KIND_FLAG = {"w:": WORD, "q:": STATEMENT, "n:": NAME, "p:": NAME}
RECORD_FIELDS = 13   # hashes, tf, flags, rank, text offsets, text, surface entry, count, offsets, text, weights,
                     # run statements, label


def feature_hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


def _packed(texts: list[str]) -> tuple[bytes, bytes]:
    """(offsets as int64 bytes, the UTF-8 texts concatenated)."""
    enc = [t.encode("utf-8") for t in texts]
    offsets = np.zeros(len(enc) + 1, np.int64)
    np.cumsum([len(e) for e in enc], out=offsets[1:])
    return offsets.tobytes(), b"".join(enc)


def _unpacked(offsets: bytes, blob: bytes, k: int) -> str:
    off = np.frombuffer(offsets, np.int64)
    return blob[off[k]:off[k + 1]].decode("utf-8")


def encode(tf: dict, runs: set, quotes: set, surface: dict, label: dict, weight_of, run_statement: dict) -> tuple:
    """One article's profile (crosswire.events.Profile's fields), its features' weights
    (`weight_of(feature)`, a function of the feature alone) and label words as the stored
    record: bytes of arrays in the profile's own feature order (`run_statement`: a run's
    first statement, -1 for a feature that is no run)."""
    feats = list(tf)
    hashes = np.fromiter((feature_hash(f) for f in feats), np.uint64, len(feats))
    flags = np.fromiter(((RUN if f in runs else 0) | (QUOTE if f in quotes else 0) | _KIND_FLAG.get(f[:2], 0)
                         for f in feats), np.uint8, len(feats))
    rank = np.empty(len(feats), np.int32)
    rank[sorted(range(len(feats)), key=feats.__getitem__)] = np.arange(len(feats), dtype=np.int32)
    s_feat, s_count, s_text = [], [], []
    for k, f in enumerate(feats):
        for text, c in (surface.get(f) or {}).items():
            s_feat.append(k)
            s_count.append(c)
            s_text.append(text)
    return (hashes.tobytes(), np.fromiter(tf.values(), np.int64, len(feats)).tobytes(), flags.tobytes(),
            rank.tobytes(), *_packed(feats), np.array(s_feat, np.int32).tobytes(),
            np.array(s_count, np.int64).tobytes(), *_packed(s_text),
            np.fromiter((weight_of(f) for f in feats), np.float64, len(feats)).tobytes(),
            np.fromiter((run_statement.get(f, -1) for f in feats), np.int32, len(feats)).tobytes(), marshal.dumps(label))


def is_record(value) -> bool:
    return isinstance(value, tuple) and len(value) == RECORD_FIELDS and all(isinstance(x, bytes) for x in value)


def label_words(record: tuple) -> dict:
    """The label words of a record ({word: weighted count}). Kept marshalled in the record:
    as a dict they took half of a profile's memory, and only an event's label reads them."""
    return marshal.loads(record[-1])


class Corpus:
    """The profiles of a corpus's articles (in the order given) as flat arrays."""

    def __init__(self, records: list[tuple]):
        self.records = records
        n = len(records)
        lens = np.array([len(r[0]) // 8 for r in records], np.int64)
        self.start = np.zeros(n + 1, np.int64)
        np.cumsum(lens, out=self.start[1:])
        self.lens = lens

        def cat(k, dtype):
            return np.concatenate([np.frombuffer(r[k], dtype) for r in records]) if n else np.zeros(0, dtype)

        hashes = cat(0, np.uint64)
        self.tf = cat(1, np.int64)
        self.flags = cat(2, np.uint8)
        self.rank = cat(3, np.int32)
        self.weight = cat(10, np.float64)
        self.statement = cat(11, np.int32)   # a run's first statement in its article, else -1
        self.hashes, self.first, inverse = np.unique(hashes, return_index=True, return_inverse=True)
        self.fid = inverse.reshape(-1).astype(np.int32)      # 32-bit: feature and article numbers fit,
        self.owner = np.repeat(np.arange(n, dtype=np.int32), lens)   # and they are two arrays per entry

    @property
    def features(self) -> int:
        return len(self.first)

    def entries(self, i: int) -> slice:
        return slice(int(self.start[i]), int(self.start[i + 1]))

    def text(self, g: int) -> str:
        """The text of feature number g ("w:...", "q:...")."""
        e = int(self.first[g])
        a = int(self.owner[e])
        r = self.records[a]
        return _unpacked(r[4], r[5], e - int(self.start[a]))

    def surface(self, i: int, g: int) -> dict[str, int]:
        """The words as written that article i's feature g stands for, with their counts."""
        local = np.flatnonzero(self.fid[self.entries(i)] == g)
        if not len(local):
            return {}
        r = self.records[i]
        at = np.flatnonzero(np.frombuffer(r[6], np.int32) == int(local[0]))
        counts = np.frombuffer(r[7], np.int64)
        return {_unpacked(r[8], r[9], int(k)): int(counts[k]) for k in at}

    def blocking_keys(self, unit: np.ndarray, k: int) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Per article, the keys that make its candidate pairs (its k top terms and its
        statement runs, events.links) as (feature hashes, their RUN/QUOTE flags, a run's first
        statement or -1): what finds the articles a new one pairs with, and what step 2
        reads, without their profiles."""
        out = []
        for i, top in enumerate(self.top_terms(unit, k)):
            s = self.entries(i)
            fids = np.union1d(top, self.flagged(i, RUN))
            order = np.argsort(self.fid[s], kind="stable")
            at = order[np.searchsorted(self.fid[s][order], fids)]
            out.append((self.hashes[fids], self.flags[s][at] & (RUN | QUOTE), self.statement[s][at]))
        return out

    def flagged(self, i: int, flag: int) -> np.ndarray:
        """Article i's feature numbers that carry the flag, sorted."""
        s = self.entries(i)
        return np.sort(self.fid[s][(self.flags[s] & flag) != 0])

    # ---- TF-IDF ------------------------------------------------------------------------

    def weights(self) -> np.ndarray:
        """events.feature_weight per feature number, as stored with its first article."""
        return self.weight[self.first]

    def unit_vectors(self, weights: np.ndarray) -> np.ndarray:
        """events.vectors per entry: (1 + log tf) * idf, divided by the article's norm, the
        norm summed in the profile's feature order as events.vectors sums it."""
        values, at = np.unique(self.tf, return_inverse=True)
        damped = np.array([1 + math.log(int(c)) for c in values.tolist()], np.float64)
        vec = damped[at.reshape(-1)] * weights[self.fid] if len(values) else np.zeros(0)
        sq = vec * vec
        out = np.empty_like(vec)
        for i in range(len(self.records)):
            s = self.entries(i)
            norm = math.sqrt(sum(sq[s].tolist())) or 1.0
            out[s] = vec[s] / norm
        return out

    def top_terms(self, unit: np.ndarray, k: int) -> list[np.ndarray]:
        """Each article's k most distinctive features: largest value first, ties by the
        feature's text (events.evidence's rule). The article's own: no corpus count."""
        out = []
        for i in range(len(self.records)):
            s = self.entries(i)
            order = np.lexsort((self.rank[s], -unit[s]))[:k]
            out.append(self.fid[s][order])
        return out

    def pair_evidence(self, unit: np.ndarray, left: np.ndarray,
                      right: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For pairs (left[p], right[p]): (cosine, the part "w:" features make, statement
        runs shared with at least one side quoted), equal to events._cosines and
        events.shared_statements: each sum runs over the smaller article's features in its
        order (the first article's when they are as long), as those functions sum. Pairs
        are taken by their larger article, whose features are spread over a table by
        number; the smaller ones' entries are looked up there."""
        n = len(left)
        numbers = np.int32 if n <= np.iinfo(np.int32).max else np.int64   # 32-bit when they fit: half the memory
        left, right = np.asarray(left, np.int32), np.asarray(right, np.int32)
        sums = np.zeros(n), np.zeros(n)
        shared = np.zeros(n, np.int32)
        swap = self.lens[left] > self.lens[right]
        small, large = np.where(swap, right, left), np.where(swap, left, right)
        del swap
        by_large = np.argsort(large, kind="stable").astype(numbers)
        cuts = np.flatnonzero(np.diff(large[by_large])) + 1
        value = np.zeros(self.features)
        flag = np.zeros(self.features, np.uint8)
        present = np.zeros(self.features, bool)
        for group in np.split(by_large, cuts) if n else []:
            s = self.entries(int(large[group[0]]))
            f = self.fid[s]
            present[f], value[f], flag[f] = True, unit[s], self.flags[s]
            pair, entry = self._expand(small[group])
            hit = present[self.fid[entry]]
            pair, entry = pair[hit], entry[hit]          # each pair's matches in the smaller one's order
            g = self.fid[entry]
            _add(group, pair, unit[entry] * value[g], self.flags[entry], flag[g], sums, shared)
            present[f] = False
        return sums[0], sums[1], shared

    def _expand(self, items: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(item number, entry index) of every entry of each item's article, in order."""
        lens = self.lens[items]
        item = np.repeat(np.arange(len(items), dtype=np.int64), lens)
        offsets = np.cumsum(lens) - lens
        entry = np.arange(int(lens.sum()), dtype=np.int64) - np.repeat(offsets - self.start[items], lens)
        return item, entry


def _add(group: np.ndarray, pair: np.ndarray, prod: np.ndarray, fa: np.ndarray, fb: np.ndarray,
         sums: tuple[np.ndarray, np.ndarray], shared: np.ndarray) -> None:
    """Add the matched entries of a group of pairs (`pair` numbers them within `group`):
    products to the cosines, the "w:" ones to the word parts, quoted runs to the shared
    counts. np.bincount adds each bin's weights one at a time in the order given, from
    0.0, as a Python loop does: the same floats."""
    n = len(group)
    sums[0][group] = np.bincount(pair, weights=prod, minlength=n)
    sums[1][group] = np.bincount(pair, weights=np.where((fa & WORD) != 0, prod, 0.0), minlength=n)  # + 0.0 no change
    quoted = (((fa & QUOTE) != 0) & ((fb & RUN) != 0)) | (((fa & RUN) != 0) & ((fb & QUOTE) != 0))
    shared[group] = np.bincount(pair[quoted], minlength=n)


PAIRS_BLOCK = 1 << 20   # candidate pairs made at once by pairs_sharing (4 to 8 bytes each, in a few arrays)


def pairs_sharing(keys: list[np.ndarray], day: np.ndarray, dated: np.ndarray, days: int | None) -> np.ndarray:
    """Every pair (i, j), i < j, of articles that share a key, as sorted codes i * n + j:
    all of them, so that whether two articles pair depends on the two alone. With `days`,
    two dated articles pair only when their `day` numbers (whole days) are at most `days`
    apart (a superset of a window of `days` days for the caller to cut exactly); an
    undated article pairs with every article that shares a key."""
    n = len(keys)
    if not n:
        return np.zeros(0, np.int64)
    # codes (and the article numbers they are made of) 32-bit when n * n fits: half the
    # memory of the pairs, the same values
    code = np.int32 if n * n <= np.iinfo(np.int32).max else np.int64
    item = np.repeat(np.arange(n, dtype=code), [len(k) for k in keys])
    if not len(item):   # no article has a key (e.g. all empty): no pairs
        return np.zeros(0, np.int64)
    key = np.concatenate([np.asarray(k, np.int64) for k in keys])
    when = np.where(dated[item], day[item], 0).astype(np.int64) if days is not None else np.zeros(len(item), np.int64)
    und = ~dated[item] if days is not None else np.zeros(len(item), bool)
    order = np.lexsort((item, when, und, key))      # by key; in it dated by day, then undated
    key, item, when, und = key[order], item[order], when[order], und[order]
    span = int(when.max() - when.min()) + (days or 0) + 2
    start = np.searchsorted(key, key, "left")
    end = np.searchsorted(key, key, "right")
    if days is None:
        hi = end
    else:
        # dated entries: the key's entries up to `days` later (the undated sort after them)
        comp = key * 2 * span + np.where(und, span, when - when.min())
        hi = np.searchsorted(comp, comp + np.where(und, 0, days), "right")
        hi = np.minimum(hi, end)
        # an undated entry pairs with all of its key's entries
        hi = np.where(und, end, hi)
    lo = np.where(und, start, np.arange(len(key)) + 1) if days is not None else np.arange(len(key)) + 1
    counts = np.maximum(hi - lo, 0)
    # the pairs made a block of entries at a time (about PAIRS_BLOCK each), each block's
    # distinct codes merged into those of the blocks before: neither the pairs before
    # deduplication (a key shared by many articles makes many) nor every block's distinct
    # pairs (a pair sharing k keys is in up to k blocks) are ever all held.
    ends = np.cumsum(counts)
    if not ends[-1]:
        return np.zeros(0, code)
    cuts = np.searchsorted(ends, np.arange(PAIRS_BLOCK, int(ends[-1]) + PAIRS_BLOCK, PAIRS_BLOCK), "left") + 1
    out, begin = np.zeros(0, code), 0
    for stop in sorted(set(np.minimum(cuts, len(counts)).tolist())):
        if stop <= begin:
            continue
        c, low = counts[begin:stop], lo[begin:stop]
        first = np.repeat(item[begin:stop], c)
        at = np.arange(int(c.sum()), dtype=np.int64) - np.repeat(np.cumsum(c) - c - low, c)
        second = item[at]
        a, b = np.minimum(first, second), np.maximum(first, second)
        del first, second, at
        codes = (a * n + b)[a != b]
        del a, b
        out = merge_distinct(out, sorted_distinct(codes))
        begin = stop
    return out


def merge_distinct(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Two sorted arrays of distinct values -> their union, sorted, each once: b's values
    that a lacks inserted where they go (no sort of the two together)."""
    if not len(a) or not len(b):
        return b if not len(a) else a
    at = np.searchsorted(a, b)
    new = a[np.minimum(at, len(a) - 1)] != b
    return np.insert(a, at[new], b[new])
