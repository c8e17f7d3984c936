"""An exact inverted index over the articles' shingles, kept between runs, for the copies.

Each article's shingles (crosswire.copies.shingles) are hashed to 64-bit integers
(BLAKE2b, so the same in every process and run); the index holds every article's hashes
in one sorted array with the slot of the article that owns each. Querying an article
looks up each of its hashes (binary search) and counts, per other article, how many it
shares: the exact number of common shingles, for every article that has any, with no
sampling and no randomness (a collision of two 64-bit hashes, about one in 10^19 per
pair of shingles, is the only way a count could differ from the strings').

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


def hashed(shingles) -> np.ndarray:
    """The shingles' 64-bit hashes, sorted, each once."""
    values = np.fromiter((int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "little")
                          for s in shingles), dtype=np.uint64, count=len(shingles))
    return np.unique(values)


def is_copy(common: int, size_a: int, size_b: int, min_shared: int, min_contained: float) -> bool:
    """Two articles share copy: at least `min_shared` shingles, and at least `min_contained`
    of the smaller one's (crosswire/data/copies.toml)."""
    return common >= min_shared and common >= min_contained * min(size_a, size_b)


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
        hashes, owners = np.insert(self.hashes, at, self.more_hashes), np.insert(self.owners, at, self.more_owners)
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
        order = np.argsort(add_h, kind="stable")
        add_h, add_o = add_h[order], add_o[order]
        at = np.searchsorted(self.more_hashes, add_h)
        out = ShingleIndex(self.ids + new, self.keys + keys,
                           np.concatenate([self.sizes, np.array([len(h) for h in hashes], np.int64)]),
                           self.hashes, self.owners, alive=np.concatenate([self.alive, np.ones(len(new), bool)]),
                           more_hashes=np.insert(self.more_hashes, at, add_h),
                           more_owners=np.insert(self.more_owners, at, add_o))
        sizes = out.sizes
        found_a, found_b, found_c = [self.pair_a], [self.pair_b], [self.pair_common]
        for k, h in enumerate(hashes):
            slot = first + k
            if len(h) < min_shared:
                continue
            counts = out.overlaps(h)[:slot]    # a pair of two new articles is found from the later one
            others = np.flatnonzero(counts >= min_shared)
            common = counts[others]
            ok = [is_copy(int(c), int(sizes[slot]), int(sizes[o]), min_shared, min_contained)
                  for o, c in zip(others.tolist(), common.tolist())]
            others, common = others[np.array(ok, bool)], common[np.array(ok, bool)]
            found_a.append(others.astype(np.int32))
            found_b.append(np.full(len(others), slot, np.int32))
            found_c.append(common.astype(np.int64))
        out.pair_a, out.pair_b, out.pair_common = (np.concatenate(x) for x in (found_a, found_b, found_c))
        return out

    def overlaps(self, query: np.ndarray) -> np.ndarray:
        """For each slot, how many of the sorted unique hashes `query` it holds (0 for a dead one)."""
        counts = _overlaps(self.hashes, self.owners, query, len(self.ids))
        counts += _overlaps(self.more_hashes, self.more_owners, query, len(self.ids))
        counts[~self.alive] = 0
        return counts


def _overlaps(hashes: np.ndarray, owners: np.ndarray, query: np.ndarray, slots: int) -> np.ndarray:
    """For each of `slots` slots, how many of the sorted unique hashes `query` one sorted run
    (hashes, their owners) gives it: binary searches, so a memory-mapped run is read only
    where they land."""
    lo = np.searchsorted(hashes, query, "left")
    hi = np.searchsorted(hashes, query, "right")
    lens = hi - lo
    total = int(lens.sum())
    if not total:
        return np.zeros(slots, np.int64)
    offsets = np.cumsum(lens) - lens
    positions = np.arange(total) + np.repeat(lo - offsets, lens)
    return np.bincount(owners[positions], minlength=slots)
