"""An exact inverted index over the articles' shingles, kept between runs, for the copies.

Each article's shingles (crosswire.copies.shingles) are hashed to 64-bit integers
(BLAKE2b, so the same in every process and run); the index holds every article's hashes
in one sorted array with the slot of the article that owns each. Querying an article
looks up each of its hashes (binary search) and counts, per other article, how many it
shares: the exact number of common shingles, for every article that has any, with no
sampling and no randomness (a collision of two 64-bit hashes, about one in 10^19 per
pair of shingles, is the only way a count could differ from the strings').

Incremental by construction: `update` drops the articles whose content changed or that
left the corpus (with their pairs), then adds the new ones and queries only those. The
pairs among articles that did not change stay as the index holds them, and a pair's test
depends on its two articles alone, so the result is the one an index built from scratch
gives; a run from scratch is the same `update` on an empty index.

Pure: the caller stores the index (to_bytes / from_bytes) where it likes.
"""
from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field

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

    def size_of(self) -> dict[str, int]:
        return dict(zip(self.ids, self.sizes.tolist()))

    @property
    def pairs(self) -> dict:
        """{(a, b): common shingles} with article ids a < b, for every pair that shares copy."""
        ids = self.ids
        return {tuple(sorted((ids[a], ids[b]))): c for a, b, c in
                zip(self.pair_a.tolist(), self.pair_b.tolist(), self.pair_common.tolist())}

    def update(self, current: dict[str, str], hashes_of: Callable[[str], np.ndarray],
               min_shared: int, min_contained: float) -> tuple[ShingleIndex, int]:
        """The index of the articles `current` ({article_id: content key}) -> (index, how
        many articles were hashed and queried). `hashes_of(article_id)` gives the hashed
        shingles of an article that is new or whose key changed; no other is read."""
        kept = [s for s, (aid, key) in enumerate(zip(self.ids, self.keys)) if current.get(aid) == key]
        index = self if len(kept) == len(self.ids) else self._only(kept)
        have = set(index.ids)
        new = sorted(aid for aid in current if aid not in have)
        if not new:
            return index, 0
        return index._added(new, [current[aid] for aid in new], [hashes_of(aid) for aid in new],
                            min_shared, min_contained), len(new)

    def _only(self, slots: list[int]) -> ShingleIndex:
        remap = np.full(len(self.ids), -1, np.int64)
        remap[slots] = np.arange(len(slots))
        keep = remap[self.owners] >= 0
        ids = [self.ids[s] for s in slots]
        a, b = remap[self.pair_a], remap[self.pair_b]
        alive = (a >= 0) & (b >= 0)
        return ShingleIndex(ids, [self.keys[s] for s in slots], self.sizes[slots], self.hashes[keep],
                            remap[self.owners[keep]].astype(np.int32), a[alive].astype(np.int32),
                            b[alive].astype(np.int32), self.pair_common[alive])

    def _added(self, new: list[str], keys: list[str], hashes: list[np.ndarray], min_shared: int,
               min_contained: float) -> ShingleIndex:
        first = len(self.ids)
        add_h = np.concatenate(hashes) if hashes else np.zeros(0, np.uint64)
        add_o = np.concatenate([np.full(len(h), first + k, np.int32) for k, h in enumerate(hashes)])
        order = np.argsort(add_h, kind="stable")
        add_h, add_o = add_h[order], add_o[order]
        at = np.searchsorted(self.hashes, add_h)
        out = ShingleIndex(self.ids + new, self.keys + keys,
                           np.concatenate([self.sizes, np.array([len(h) for h in hashes], np.int64)]),
                           np.insert(self.hashes, at, add_h), np.insert(self.owners, at, add_o))
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
        """For each slot, how many of the sorted unique hashes `query` it holds."""
        lo = np.searchsorted(self.hashes, query, "left")
        hi = np.searchsorted(self.hashes, query, "right")
        lens = hi - lo
        total = int(lens.sum())
        if not total:
            return np.zeros(len(self.ids), np.int64)
        offsets = np.cumsum(lens) - lens
        positions = np.arange(total) + np.repeat(lo - offsets, lens)
        return np.bincount(self.owners[positions], minlength=len(self.ids))

    # ---- stored form ---------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        np.savez(buf, ids=np.array(self.ids, dtype=str), keys=np.array(self.keys, dtype=str), sizes=self.sizes,
                 hashes=self.hashes, owners=self.owners, pair_a=self.pair_a, pair_b=self.pair_b,
                 pair_common=self.pair_common)
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes | None) -> ShingleIndex:
        """The stored index; an empty one when there is none or it does not hold together."""
        if not data:
            return cls()
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as z:
                ids, keys = z["ids"].tolist(), z["keys"].tolist()
                sizes, hashes, owners = z["sizes"], z["hashes"], z["owners"]
                pa, pb, pc = z["pair_a"], z["pair_b"], z["pair_common"]
            if not (len(ids) == len(keys) == len(sizes) and len(hashes) == len(owners)
                    and len(pa) == len(pb) == len(pc)) or (len(pa) and max(pa.max(), pb.max()) >= len(ids)):
                return cls()
            return cls(ids, keys, sizes.astype(np.int64), hashes.astype(np.uint64), owners.astype(np.int32),
                       pa.astype(np.int32), pb.astype(np.int32), pc.astype(np.int64))
        except (ValueError, KeyError, OSError, IndexError):
            return cls()
