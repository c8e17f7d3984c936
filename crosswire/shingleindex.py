"""An exact inverted index over the articles' shingles, kept between runs, for the copies.

Each article's shingles (crosswire.copies.shingles) are hashed to 64-bit integers (each
word by BLAKE2b, a shingle's words chained by a 64-bit mix: `gram_hashes`, the same in every
process and run); the index holds every article's hashes in one sorted array with the slot
of the article that owns each. The new articles' pairs are found by one join (`new_pairs`):
the entries of their hashes, sorted by hash and owner, give for every pair the exact number
of common shingles, for every pair that has any, with no sampling and no randomness (a
collision of two 64-bit hashes, about one in 10^19 per pair of shingles, is the only way a
count could differ from the strings'). `overlaps` answers one article's query.

Incremental by construction: `update` marks dead the articles whose content changed or that
left the corpus (with their pairs), then adds the new ones and queries only those. The
pairs among articles that did not change stay as the index holds them, and a pair's test
depends on its two articles alone, so the result is the one an index built from scratch
gives; a run from scratch is the same `update` on an empty index.

Append-only between compactions: nothing `update` keeps moves (dead slots stay, the new
hashes are a second sorted run), so a store can map the first run from disk and write only
what was added (crosswire.copystore); `compacted` drops the dead and merges the runs.

Pure: the caller stores the index where it likes.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from .datafiles import read_toml


# how a shingle becomes a 64-bit integer (a stored index holds these: copies.index_code names it)
HASHING = "words BLAKE2b-64 (odd), k-word chain by splitmix64's finaliser"
_MIX1, _MIX2, _CHAIN = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB), np.uint64(0x9E3779B97F4A7C15)


def word_hash(word: str) -> int:
    """A word's 64-bit hash, the same in every process and run; odd, so never 0 (a line's end)."""
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little") | 1


def _mix(z: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, elementwise (a bijection of 64-bit integers; numpy wraps)."""
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    return z ^ (z >> np.uint64(31))


def gram_hashes(words: np.ndarray, k: int) -> np.ndarray:
    """The 64-bit hashes of every run of `k` consecutive words (`words`: their `word_hash`es,
    0 at a line's end: no run crosses one), sorted, each once. Vectorised over the runs: the
    words are hashed once each, not a string per run; two different runs collide with odds
    of about one in 2^64, as two strings' 64-bit hashes do."""
    words = np.asarray(words, np.uint64)
    n = len(words) - k + 1
    if n <= 0:
        return np.zeros(0, np.uint64)
    ends = np.concatenate([[0], np.cumsum(words == 0)])
    whole = ends[k:] == ends[:n]                   # no line's end among the run's words
    h = np.zeros(n, np.uint64)
    for j in range(k):
        h = _mix(h * _CHAIN + words[j:j + n])
    return np.unique(h[whole])


def is_copy(common, size_a, size_b, min_shared: int, min_contained: float):
    """Two articles share copy: at least `min_shared` shingles, and at least `min_contained`
    of the smaller one's (crosswire/data/copies.toml). Numbers or arrays (elementwise)."""
    return (common >= min_shared) & (common >= min_contained * np.minimum(size_a, size_b))


@dataclass
class ShingleIndex:
    ids: list[str] = field(default_factory=list)          # slot -> article_id
    keys: list[str] = field(default_factory=list)         # slot -> the content key its shingles came from
    sizes: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))     # slot -> shingles
    hashes: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))   # sorted
    owners: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))    # slot of each hash
    # the pairs that share copy, as slots (pair_a < pair_b) and their common shingles: arrays,
    # not a tuple per pair (a 10k-article corpus has more than a million)
    pair_a: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    pair_b: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    pair_common: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    # append-only between compactions (`compacted`): an article that left or changed keeps its
    # slot, hashes and pairs, marked dead (so a stored index is extended, not rewritten); the
    # hashes added since the last compaction are a second sorted run (`more_*`), so adding an
    # article never moves the first run (which a store may memory-map)
    alive: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))         # slot -> still in the corpus
    more_hashes: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))
    more_owners: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))

    def size_of(self) -> dict[str, int]:
        return {aid: n for aid, n, ok in zip(self.ids, self.sizes.tolist(), self.alive.tolist()) if ok}

    def live_pairs(self) -> np.ndarray:
        """Mask of the pairs whose two articles are alive."""
        return self.alive[self.pair_a] & self.alive[self.pair_b] if len(self.pair_a) else np.zeros(0, bool)

    @property
    def pairs(self) -> dict:
        """{(a, b): common shingles} with article ids a < b, for every pair that shares copy."""
        ids, live = self.ids, self.live_pairs()
        return {tuple(sorted((ids[a], ids[b]))): c for a, b, c in
                zip(self.pair_a[live].tolist(), self.pair_b[live].tolist(), self.pair_common[live].tolist())}

    def update(self, current: dict[str, str], hashes_of: Callable[[str], np.ndarray],
               min_shared: int, min_contained: float) -> tuple[ShingleIndex, int]:
        """The index of the articles `current` ({article_id: content key}) -> (index, how
        many articles were hashed and queried). `hashes_of(article_id)` gives the hashed
        shingles of an article that is new or whose key changed; no other is read. The slots,
        hashes and pairs of this index stay where they are (a gone or changed article's
        marked dead); the new articles' are appended."""
        alive = self.alive & np.array([current.get(aid) == key for aid, key in zip(self.ids, self.keys)], bool)
        index = self if alive.sum() == self.alive.sum() else replace(self, alive=alive)
        have = {aid for aid, ok in zip(index.ids, alive.tolist()) if ok}
        new = sorted(aid for aid in current if aid not in have)
        if not new:
            return index, 0
        return index._added(new, [current[aid] for aid in new], [hashes_of(aid) for aid in new],
                            min_shared, min_contained), len(new)

    def compacted(self) -> ShingleIndex:
        """The same index with the dead slots and their hashes and pairs dropped and the hashes
        in one sorted run: slots renumbered (alive ones keep their order)."""
        slots = np.flatnonzero(self.alive)
        remap = np.full(len(self.ids), -1, np.int64)
        remap[slots] = np.arange(len(slots))
        at = np.searchsorted(self.hashes, self.more_hashes)
        hashes, owners = _inserted(self.hashes, at, self.more_hashes), _inserted(self.owners, at, self.more_owners)
        keep = remap[owners] >= 0
        a, b = remap[self.pair_a], remap[self.pair_b]
        live = (a >= 0) & (b >= 0)
        return ShingleIndex([self.ids[s] for s in slots.tolist()], [self.keys[s] for s in slots.tolist()],
                            np.asarray(self.sizes)[slots], hashes[keep], remap[owners[keep]].astype(np.int32),
                            a[live].astype(np.int32), b[live].astype(np.int32), np.asarray(self.pair_common)[live],
                            np.ones(len(slots), bool))

    def _added(self, new: list[str], keys: list[str], hashes: list[np.ndarray], min_shared: int,
               min_contained: float) -> ShingleIndex:
        first = len(self.ids)
        add_h = np.concatenate(hashes) if hashes else np.zeros(0, np.uint64)
        add_o = np.concatenate([np.full(len(h), first + k, np.int32) for k, h in enumerate(hashes)])
        order = np.lexsort((add_o, add_h))     # by hash, then owner (new_pairs reads the new ones so)
        add_h, add_o = add_h[order], add_o[order]
        at = np.searchsorted(self.more_hashes, add_h)
        out = ShingleIndex(self.ids + new, self.keys + keys,
                           np.concatenate([self.sizes, np.array([len(h) for h in hashes], np.int64)]),
                           self.hashes, self.owners, alive=np.concatenate([self.alive, np.ones(len(new), bool)]),
                           more_hashes=_inserted(self.more_hashes, at, add_h),
                           more_owners=_inserted(self.more_owners, at, add_o))
        a, b, common = new_pairs([(self.hashes, self.owners), (self.more_hashes, self.more_owners)], add_h, add_o,
                                 self.alive, out.sizes, min_shared, min_contained)
        found_a, found_b, found_c = [self.pair_a, a], [self.pair_b, b], [self.pair_common, common]
        out.pair_a, out.pair_b, out.pair_common = (np.concatenate(x) for x in (found_a, found_b, found_c))
        return out

    def overlaps(self, query: np.ndarray) -> np.ndarray:
        """For each slot, how many of the sorted unique hashes `query` it holds (0 for a dead one)."""
        counts = _overlaps(self.hashes, self.owners, query, len(self.ids))
        counts += _overlaps(self.more_hashes, self.more_owners, query, len(self.ids))
        counts[~self.alive] = 0
        return counts


def _inserted(run: np.ndarray, at: np.ndarray, values: np.ndarray) -> np.ndarray:
    """np.insert(run, at, values) for positions `at` in order (a sorted run's searchsorted of
    sorted values), without the sort of the positions np.insert makes."""
    out = np.empty(len(run) + len(values), np.result_type(run, values))
    placed = np.asarray(at, np.int64) + np.arange(len(values))
    rest = np.ones(len(out), bool)
    rest[placed] = False
    out[placed] = values
    out[rest] = run
    return out


def _postings(hashes: np.ndarray, query: np.ndarray) -> np.ndarray:
    """The positions in one sorted run of the entries holding one of the sorted unique hashes
    `query`: binary searches, so a memory-mapped run is read only where they land."""
    lo = np.searchsorted(hashes, query, "left")
    lens = np.searchsorted(hashes, query, "right") - lo
    total = int(lens.sum())
    return np.arange(total, dtype=np.int64) + np.repeat(lo - (np.cumsum(lens) - lens), lens)


def _overlaps(hashes: np.ndarray, owners: np.ndarray, query: np.ndarray, slots: int) -> np.ndarray:
    """For each of `slots` slots, how many of the sorted unique hashes `query` one sorted run
    (hashes, their owners) gives it."""
    return np.bincount(np.asarray(owners)[_postings(hashes, query)], minlength=slots)


def _speed() -> dict:
    return read_toml("shingleindex.toml")


def new_pairs(runs, add_h: np.ndarray, add_o: np.ndarray, alive: np.ndarray, sizes: np.ndarray,
              min_shared: int, min_contained: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pairs (a, b, common shingles) that share copy with b one of the new slots (the
    owners `add_o` of the hashes `add_h`, sorted by hash: the slots from len(alive) on) and a
    an older slot alive or a new one before b: ordered by b, then a (as one query per new
    article found them). `runs`: the index's sorted runs (hashes, owners).

    One join, not a query per article: every (hash, owner) entry of the new articles' hashes
    (theirs and the live old ones') sorted once by hash, so that each hash's posting lists
    the old owners, then the new ones in slot order; a new entry pairs with the entries
    before it in its posting. The counts are made for a block of new slots at a time (a row of counts per
    slot, np.bincount over the block's expanded pairs); the postings that would expand to
    the most pairs (L owners make about L^2/2) are counted instead by a dense 0/1 matrix
    product (BLAS), where shingleindex.toml's `dense_ratio` says a matrix column is cheaper."""
    first, slots = len(alive), len(sizes)
    found = [(np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.int64))]
    h, o = _entries(runs, add_h, add_o, alive)
    head = np.concatenate([[True], h[1:] != h[:-1]]) if len(h) else np.zeros(0, bool)
    del h
    starts = np.flatnonzero(head)
    posting = np.cumsum(head, dtype=np.int32) - 1
    del head
    rank = (np.arange(len(o), dtype=np.int64) - starts[posting]).astype(np.int32)   # owners before it in its posting
    emits = np.where(o >= first, rank, 0)                     # the pairs each entry makes (new ones only)
    speed = _speed()
    made = np.add.reduceat(emits, starts, dtype=np.int64) if len(o) else np.zeros(0, np.int64)   # by each posting
    dense = _dense(made, slots - first, slots, speed)
    matrix = None
    if dense.any():
        column = np.cumsum(dense) - 1
        inside = dense[posting]
        matrix = np.zeros((slots, int(dense.sum())), np.float32)
        matrix[o[inside], column[posting[inside]]] = 1.0
        del inside
    emitters = np.flatnonzero((emits > 0) & ~dense[posting])
    del emits
    emitters = emitters[np.argsort(o[emitters], kind="stable")]
    by_slot, made_by, start_of = o[emitters], rank[emitters], starts[posting[emitters]]
    del emitters, rank, posting, starts
    upto = np.concatenate([[0], np.cumsum(np.bincount(by_slot - first, weights=made_by,
                                                      minlength=slots - first).astype(np.int64))])
    rows = max(1, speed["block_cells"] // slots)
    # the product for many blocks at once: BLAS's threads spin a while after each call
    product_rows = slots if matrix is None else max(1, speed["dense_bytes"] // (4 * slots))
    for d0 in range(first, slots, product_rows):
        d1 = min(slots, d0 + product_rows)
        product = None if matrix is None else matrix[d0:d1] @ matrix[:d1].T
        r0 = d0
        while r0 < d1:
            reach = int(np.searchsorted(upto, upto[r0 - first] + speed["block_pairs"], "right")) - 1
            r1 = min(d1, r0 + rows, max(r0 + 1, first + reach))
            lo, hi = np.searchsorted(by_slot, np.array([r0, r1], by_slot.dtype))   # not a cast copy of by_slot
            lens = made_by[lo:hi]
            skip = start_of[lo:hi] - (np.cumsum(lens) - lens)   # each emitter's pairs: its posting's first entries
            before = np.arange(int(lens.sum()), dtype=np.int64) + np.repeat(skip, lens)
            row = np.repeat((by_slot[lo:hi] - r0).astype(np.int64) * r1, lens)   # int64: bincount's own type
            counts = np.bincount(row + o[before], minlength=(r1 - r0) * r1)
            del before
            counts = counts.reshape(r1 - r0, r1)
            if product is not None:
                counts += product[r0 - d0:r1 - d0, :r1].astype(np.int64)   # whole numbers below 2^24: exact
            i, j = np.nonzero(counts >= min_shared)
            below = j < r0 + i                             # a < b (the matrix counts both ways)
            i, j = i[below], j[below]
            common = counts[i, j]
            ok = is_copy(common, sizes[r0 + i], sizes[j], min_shared, min_contained)
            found.append((j[ok].astype(np.int32), (r0 + i[ok]).astype(np.int32), common[ok].astype(np.int64)))
            r0 = r1
    return tuple(np.concatenate(x) for x in zip(*found))


def _entries(runs, add_h: np.ndarray, add_o: np.ndarray, alive: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(hash, owner) of every entry holding one of the hashes `add_h` (the new slots', sorted
    by hash, then owner): the runs' live ones, then the new ones, in each hash's posting (sorted
    by hash, stably: the new ones, whose slots come after every old one, last and in order;
    the old ones never pair among themselves, so their order does not matter)."""
    query = add_h[np.concatenate([[True], add_h[1:] != add_h[:-1]])] if len(add_h) else add_h
    hs, os = [], []
    for hashes, owners in runs:
        at = _postings(hashes, query)
        o = np.asarray(owners[at], np.int32)
        live = alive[o]
        hs.append(np.asarray(hashes[at])[live])
        os.append(o[live])
    if not sum(map(len, hs)):
        return add_h, np.asarray(add_o, np.int32)
    h, o = np.concatenate(hs + [add_h]), np.concatenate(os + [np.asarray(add_o, np.int32)])
    order = np.argsort(h, kind="stable")     # sorted runs one after another: merged, not sorted anew
    return h[order], o[order]


def _dense(made: np.ndarray, new: int, slots: int, speed: dict) -> np.ndarray:
    """Mask of the postings (each making `made` pairs) that the matrix product counts: those
    past `dense_ratio` of a column's cost, the ones making most first, as many as
    `dense_bytes` of float32 columns hold; none for fewer than `dense_min_new` new slots."""
    dense = np.zeros(len(made), bool)
    if new >= speed["dense_min_new"]:
        worth = np.flatnonzero(made > speed["dense_ratio"] * new * slots)
        dense[worth[np.argsort(-made[worth], kind="stable")[:speed["dense_bytes"] // (4 * slots)]]] = True
    return dense
