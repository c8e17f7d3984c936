"""Shared copy: which pairs of articles carry long runs of the same narrative.

Wire stories republished by other outlets, an outlet's own republication, lightly edited
rewrites. Quotations are removed first (two outlets quoting the same speech is
corroboration, not copying); what remains is shingled into word 5-grams (hashed on arrays:
`Shingler`), and an exact inverted index over the shingles (crosswire.shingleindex) counts,
for each new article, the shingles it shares with every other: a pair is copy when it
shares `min_shared` of them and `min_contained` of the smaller article's (containment, so
that a wire story inside a longer article is still found). No all-pairs step, no sampling:
every pair that passes is found.

Incremental: with a store (the cache directory) the index and the pairs' copy ids are kept
between runs (crosswire.copystore: a memory-mapped base and a log of what was added since),
and only articles that are new or whose narrative changed are shingled and queried; the
rows are the ones a run from scratch makes. Thresholds: crosswire/data/copies.toml.

Entry point: `copy_pairs(articles, statements, store_root)` -> the pairs as arrays
(`CopyPairs`), whose iteration gives the rows of the `copies` table one at a time and whose
`within(event_of)` gives each event's pairs: the independence that agreements report, and
the utterances' count of independent outlets (crosswire.utterances.independent_count)
groups articles by these pairs. `copy_rows` is the list of the rows.
"""
from __future__ import annotations

import hashlib
import math
import re
import sys
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime, timezone
from itertools import chain
from pathlib import Path

import numpy as np

from . import cache, copystore, shingleindex
from .align import line_tokens, spelt, words_by_line
from .blobs import Blobs
from .datafiles import read_toml

# the columns CopyPairs.arrow_table can order its rows by
ORDERABLE = ("copy_id", "article_a", "article_b", "source_a", "source_b", "first_published", "last_published")
_KEY_BITS = 63  # CopyPairs._ordered folds its columns' ranks into one int64 key within these
METHOD = "inverted shingle index; exact word 5-gram shingles of the narrative (quotations removed)"

_SENT = re.compile(r"(?<=[.!?])\s+|\n+")
_QUOTED = re.compile(r"[\"\u201c][^\"\u201c\u201d]*[\"\u201d]|\u2018[^\u2018\u2019]*\u2019(?!\w)")


def settings() -> dict:
    return read_toml("copies.toml")


def copy_id(a: str, b: str) -> str:
    a, b = sorted((a, b))
    return "cpy_" + hashlib.sha256(f"{a}\x00{b}".encode()).hexdigest()[:16]


NARRATIVE_FIELDS = ("section", "char_start", "char_end")   # what `narrative` reads of a statement


def _quotation_spans(statements: list[dict]) -> list[tuple[int, int]]:
    """The body statements' character spans, sorted: what `narrative` cuts out."""
    return sorted((s["char_start"], s["char_end"]) for s in statements
                  if s.get("section", "body") == "body" and s.get("char_start") is not None
                  and s.get("char_end") is not None and 0 <= s["char_start"] < s["char_end"])


def narrative(article: dict, statements: list[dict]) -> str:
    """The article's body without its quotations (by offsets where known, else by marks)."""
    text = article.get("text") or ""
    out, pos = [], 0
    for start, end in _quotation_spans(statements):
        if start >= pos:
            out.append(text[pos:start])
        pos = max(pos, end)
    out.append(text[pos:])
    return _QUOTED.sub(" \n ", "".join(out))


def narrative_key(article: dict, statements: list[dict]) -> str:
    """A digest of everything `narrative` reads: an article whose key is unchanged has the
    same shingles, and the index does not read it again. The text counts by the row's
    `text_sha256` when it carries one (a slim row without text has its full row's key)."""
    return narrative_key_of(article, spans_digest(statements))


def spans_digest(statements: list[dict]) -> str:
    """A digest of what `narrative` reads of an article's statements (their body spans): what
    a caller keeps per article so that its narrative key needs no statement read."""
    return hashlib.sha256(repr(_quotation_spans(statements)).encode()).hexdigest()[:32]


def narrative_key_of(article: dict, spans: str) -> str:
    """narrative_key given its statements' `spans_digest`."""
    h = hashlib.sha256((article.get("text_sha256") or article.get("text") or "").encode("utf-8"))
    h.update(spans.encode())
    return h.hexdigest()[:32]


def shingles(text: str, k: int | None = None) -> set[str]:
    """Word k-grams within sentences, so that a shingle never spans a removed quotation."""
    k = k or settings()["shingle"]
    return {" ".join(ws[i:i + k]) for ws in words_by_line(_SENT.sub("\n", text)) for i in range(len(ws) - k + 1)}


class Shingler:
    """`shingles` of texts as the index holds them (shingleindex.gram_hashes): sorted unique
    64-bit hashes, made on arrays, not a string per shingle. Each distinct token is spelt and
    its words hashed once per Shingler (one per run: its memory is the run's vocabulary)."""

    def __init__(self, k: int | None = None):
        self.k = k or settings()["shingle"]
        self.words = _TokenWords({"\n": (0,)})     # a sentence's end: a 0 no shingle crosses

    def __call__(self, text: str) -> np.ndarray:
        tokens = line_tokens(_SENT.sub("\n", text))
        hashes = np.fromiter(chain.from_iterable(map(self.words.__getitem__, tokens)), np.uint64)
        return shingleindex.gram_hashes(hashes, self.k)


class _TokenWords(dict):
    """token -> its words' shingleindex.word_hash values, made when first asked for."""

    def __missing__(self, token: str) -> tuple[int, ...]:
        got = self[token] = tuple(shingleindex.word_hash(w) for w in spelt(token))
        return got


def index_code() -> str:
    """What a stored index depends on besides the articles: the method and the thresholds."""
    return f"{METHOD}|{shingleindex.HASHING}|{sorted(settings().items())}"


def rows_code() -> str:
    """What a copy pair's row depends on besides its two articles: the method, the thresholds
    and the code that finds and measures the pairs."""
    return cache.code_version(index_code(), [sys.modules[__name__], shingleindex])


def copy_rows(articles, statements: list[dict], store_root: Path | None = None,
              counts: dict | None = None, text_of=None) -> list[dict]:
    """One row per pair of articles (any iterable of article dicts) sharing copy, sorted by
    copy_id: `copy_pairs` as a list."""
    return list(copy_pairs(articles, statements, store_root, counts, text_of))


class CopyPairs:
    """The pairs of articles that share copy as arrays (slots into `ids`), not a dict per
    pair: a synthetic 10k-article corpus has more than a million. Iterating gives the rows
    of the `copies` table in copy_id order, made as they are read."""

    def __init__(self, ids: list[str], a: np.ndarray, b: np.ndarray, common: np.ndarray, sizes: np.ndarray,
                 source: list[str], published: list, keys: np.ndarray | None = None):
        rank = _ranks(ids)
        swap = rank[a] > rank[b] if len(a) else np.zeros(0, bool)
        self.a, self.b = np.where(swap, b, a), np.where(swap, a, b)    # article_a < article_b
        self.rank = rank
        self.ids, self.common, self.sizes, self.source, self.published = ids, common, sizes, source, published
        self.when = [_moment(p) for p in published]   # the dates as UTC times, compared as times
        if keys is None:   # the copy ids made here and sorted
            keys = _copy_ids(ids, a, b)
            self.order = np.argsort(keys, kind="stable")
            self.keys = keys[self.order]
        else:              # `keys`: the pairs' copy ids, the pairs given in their order
            self.order, self.keys = np.arange(len(a)), np.asarray(keys, "S20")

    def __len__(self) -> int:
        return len(self.a)

    def __iter__(self) -> Iterator[dict]:
        ids, size = self.ids, self.sizes
        for k, cid in zip(self.order.tolist(), self.keys.tolist()):
            sa, sb, common = int(self.a[k]), int(self.b[k]), int(self.common[k])
            yield {
                "copy_id": cid.decode("ascii"),
                "article_a": ids[sa],
                "article_b": ids[sb],
                "source_a": self.source[sa],
                "source_b": self.source[sb],
                "share_a": round(common / int(size[sa]), 4),
                "share_b": round(common / int(size[sb]), 4),
                "shared_shingles": common,
                "first": _first(ids[sa], self.when[sa], ids[sb], self.when[sb]),
                "method": METHOD,
                "first_published": _pair_time(min, self.when[sa], self.when[sb]),
                "last_published": _pair_time(max, self.when[sa], self.when[sb]),
            }

    def arrow_table(self, schema, by: list[str] = ()):
        """The rows iteration gives (same values) as an Arrow table of `schema` (the copies
        table's), made column by column: a 10k-article corpus has over a million pairs, whose
        dicts cost seconds and hundreds of MB to make and convert. Rows in copy_id order, or
        ordered by the columns `by` (those ORDERABLE names; ties in copy_id order) when it
        names no other: then the caller need not sort (and copy) a million rows again."""
        return self.arrow_rows(schema, by)(0, len(self))

    def arrow_rows(self, schema, by: list[str] = ()):
        """arrow_table a range of rows at a time: a function (start, stop, names=None) -> rows
        [start, stop) of arrow_table(schema, by) (only the columns `names`, when given), made
        when asked for, so that a caller can hold one part of a million pairs, not all; its
        `at(indices, names=None)` makes the rows at those places (a few changed pairs)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        perm = self._ordered(by) if by and set(by) <= set(ORDERABLE) else slice(None)
        order, keys = self.order[perm], self.keys[perm]
        ids, sources = pa.array(self.ids, pa.string()), pa.array(self.source, pa.string())
        size, dates = np.asarray(self.sizes, np.int64), _date_ranks(self.when)
        micros, unknown = _micros(self.when)
        makers = {
            "copy_id": lambda k, a, b: _id_strings(keys[k]),
            "article_a": lambda k, a, b: ids.take(a), "article_b": lambda k, a, b: ids.take(b),
            "source_a": lambda k, a, b: sources.take(a), "source_b": lambda k, a, b: sources.take(b),
            "share_a": lambda k, a, b: pa.array(_shares(self.common[order[k]].astype(np.int64), size[a]), pa.float64()),
            "share_b": lambda k, a, b: pa.array(_shares(self.common[order[k]].astype(np.int64), size[b]), pa.float64()),
            "shared_shingles": lambda k, a, b: pa.array(self.common[order[k]].astype(np.int64), pa.int64()),
            "first": lambda k, a, b: _firsts(ids, dates, a, b),
            "method": lambda k, a, b: pa.array([METHOD], pa.string()).take(np.zeros(len(a), np.int64)),
            "first_published": lambda k, a, b: _pair_times(np.minimum, micros, unknown, a, b),
            "last_published": lambda k, a, b: _pair_times(np.maximum, micros, unknown, a, b),
        }

        def made(k, names: list[str] | None = None):
            a, b = self.a[order[k]], self.b[order[k]]
            fields = [f for f in schema if names is None or f.name in names]
            return pa.table([makers[f.name](k, a, b) for f in fields], schema=pa.schema(fields, schema.metadata))

        def rows(start: int, stop: int, names: list[str] | None = None):
            return made(slice(start, stop), names)
        ends = {"article_a": (ids, self.a), "article_b": (ids, self.b), "source_a": (sources, self.a),
                "source_b": (sources, self.b)}

        def is_in(name: str, value_set):
            """Which pairs' article or outlet at one end is in `value_set`: asked of the
            articles (thousands), then spread over the pairs (a million) by index."""
            if name not in ends:
                return None
            values, end = ends[name]
            member = pc.is_in(values, value_set=value_set).to_numpy(zero_copy_only=False)
            return pa.array(member[end[order]], pa.bool_())
        rows.at = made  # the rows at given places (an integer array): tableparts.TableParts.take
        rows.is_in = is_in  # tableparts.TableParts.is_in
        return rows

    def _ordered(self, by: list[str]) -> np.ndarray:
        """Positions (into copy_id order) of the pairs ordered by the columns `by`, ties in
        copy_id order: each column as integer ranks (ids and outlets ranked as strings compare,
        dates as times), folded into one integer key when their ranges fit in 63 bits (one
        sort of a million keys, not a lexsort of four), else sorted column by column."""
        at = {s: k for k, s in enumerate(sorted(set(self.source)))}
        outlet_rank = np.array([at[s] for s in self.source], np.int64)
        a, b = self.a[self.order], self.b[self.order]
        ranks = {"copy_id": (np.arange(len(self)), len(self)), "article_a": (self.rank[a], len(self.ids)),
                 "article_b": (self.rank[b], len(self.ids)), "source_a": (outlet_rank[a], len(at)),
                 "source_b": (outlet_rank[b], len(at))}
        for name, pick in (("first_published", np.minimum), ("last_published", np.maximum)):
            if name in by:   # an unknown one after every date, as Arrow sorts nulls
                ranks[name] = self._time_ranks(pick, a, b)
        columns = [ranks[c] for c in by]
        if math.prod(max(1, n) for _, n in columns) <= 2 ** _KEY_BITS:  # the largest key fits
            key = np.zeros(len(self), np.int64)
            for values, n in columns:
                key = key * max(1, n) + values
            return np.argsort(key, kind="stable")  # stable: ties keep copy_id order
        return np.lexsort([values for values, _ in reversed(columns)])

    def _time_ranks(self, pick, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, int]:
        """(each pair's earlier (`pick` np.minimum) or later (np.maximum) publication time as
        its place among the articles' distinct times, the number of places): unknown, where
        either time is, the last place."""
        micros, unknown = _micros(self.when)
        times, place = np.unique(micros[~unknown], return_inverse=True)
        rank = np.full(len(self.when), len(times), np.int64)
        rank[~unknown] = place.reshape(-1)
        return np.where(unknown[a] | unknown[b], len(times), pick(rank[a], rank[b])), len(times) + 1

    def within(self, group_of: dict[str, str]) -> dict[str, set[frozenset]]:
        """{group: its pairs (frozensets of two article ids)} of the pairs whose two articles
        are in one group (`group_of`: article_id -> group, e.g. its event)."""
        names = sorted(set(group_of.values()))
        at = {g: k for k, g in enumerate(names)}
        group = np.array([at.get(group_of.get(aid), -1) for aid in self.ids], np.int64)
        same = np.flatnonzero((group[self.a] == group[self.b]) & (group[self.a] >= 0)) if len(self) else []
        out = defaultdict(set)
        for k in np.asarray(same, np.int64).tolist():
            out[names[group[self.a[k]]]].add(frozenset((self.ids[self.a[k]], self.ids[self.b[k]])))
        return out


def copy_pairs(articles, statements, store_root: Path | None = None, counts: dict | None = None,
               text_of=None) -> CopyPairs:
    """The pairs of articles (any iterable of article dicts) sharing copy. With a
    `store_root` (the cache directory), the shingle index of the last run is read from there
    and the updated one written back (crosswire.copystore); only articles new to it are read
    whole: their "text", or `text_of(article_id)` when the row comes without it. `counts`,
    when given, gets "indexed": how many articles were shingled. `statements`: statement
    rows, or a reader by article that keeps each article's `spans_digest` (`of(article_id)`
    and `spans_digest(article_id)`, corroborate.StatementsView: an article's statements are
    read only when it is shingled)."""
    cfg = settings()
    if hasattr(statements, "spans_digest"):
        statements_of, spans_of = statements.of, statements.spans_digest
    else:
        by_article = defaultdict(list)
        for s in statements:   # only what `narrative` reads: the corpus's statement rows are not held here
            by_article[s["article_id"]].append({k: s[k] for k in NARRATIVE_FIELDS if k in s})
        statements_of = lambda aid: by_article.get(aid, [])  # noqa: E731
        spans_of = lambda aid: spans_digest(by_article.get(aid, []))  # noqa: E731
    art = {a["article_id"]: a for a in articles}
    current = {aid: narrative_key_of(a, spans_of(aid)) for aid, a in art.items()}
    store = Blobs(store_root, "copies", index_code())
    before = copystore.load(store)

    def whole(aid: str) -> dict:
        a = art[aid]
        return a if "text" in a or text_of is None else dict(a, text=text_of(aid))

    shingled = Shingler(cfg["shingle"])
    index, indexed = before.index.update(
        current, lambda aid: shingled(narrative(whole(aid), statements_of(aid))),
        cfg["min_shared"], cfg["min_contained"])
    if counts is not None:
        counts["indexed"] = indexed
    # the copy ids of the pairs the store knows are kept: only new pairs' are hashed
    known = len(before.keys)
    keys = np.concatenate([before.keys, _copy_ids(index.ids, index.pair_a[known:], index.pair_b[known:])])
    if store_root is not None and (indexed or index is not before.index):
        stored = copystore.save(store, before, index, keys)
    else:
        stored = copystore.Stored(index, keys, before.in_base, before.token)
    index = stored.index
    order = copystore.copy_order(stored.keys, stored.in_base, index.live_pairs())
    slots = [art.get(aid) for aid in index.ids]    # a dead slot's article may be gone: it has no live pair
    return CopyPairs(index.ids, index.pair_a[order].astype(np.int64), index.pair_b[order].astype(np.int64),
                     index.pair_common[order].astype(np.int64), index.sizes,
                     [a["source_id"] if a else "" for a in slots], [a.get("published") if a else None for a in slots],
                     stored.keys[order])


_HEX = np.frombuffer(b"".join(b"%02x" % v for v in range(256)), np.uint8).reshape(256, 2)


def _copy_ids(ids: list[str], a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The copy ids (S20) of the pairs (slots into `ids`): `copy_id` of each, the digests
    taken in one pass and spelt in hex on arrays (a 10k-article corpus has a million pairs)."""
    if not len(a):
        return np.zeros(0, "S20")
    rank = _ranks(ids)
    first = np.where(rank[a] < rank[b], a, b)        # the smaller id first, as copy_id sorts them
    second = np.where(rank[a] < rank[b], b, a)
    encoded = [i.encode("utf-8") for i in ids]
    out = np.empty((len(a), 20), np.uint8)
    out[:, :4] = np.frombuffer(b"cpy_", np.uint8)
    for start in range(0, len(a), _ID_ROWS):  # the pairs' Python ints and digests a slice at a time
        digests = b"".join([hashlib.sha256(encoded[i] + b"\x00" + encoded[j]).digest()[:8]
                            for i, j in zip(first[start:start + _ID_ROWS].tolist(),
                                            second[start:start + _ID_ROWS].tolist())])
        out[start:start + _ID_ROWS, 4:] = _HEX[np.frombuffer(digests, np.uint8)].reshape(-1, 16)
    return out.view("S20").ravel()


def _id_strings(keys: np.ndarray):
    """Copy ids (S20: "cpy_" and 16 hex digits, ASCII) as an Arrow string array, on their bytes
    as they lie: 20 bytes apart. (Converted as fixed-size binary then cast, 1.5M ids took
    0.4 s; a run against a previous release makes the column several times.)"""
    import pyarrow as pa

    data = np.ascontiguousarray(keys, "S20")
    offsets = np.arange(0, 20 * (len(data) + 1), 20, dtype=np.int32)
    return pa.Array.from_buffers(pa.string(), len(data), [None, pa.py_buffer(offsets), pa.py_buffer(data)])


# pairs whose copy ids are made at a time: 1.5M pairs' slots as Python ints and their digests
# as bytes objects held about 180 MB at once (a 10k corpus's cold run)
_ID_ROWS = 65_536


def _ranks(ids: list[str]) -> np.ndarray:
    """Each slot's place among the ids in string order."""
    rank = np.empty(len(ids), np.int64)
    rank[sorted(range(len(ids)), key=ids.__getitem__)] = np.arange(len(ids))
    return rank


def _shares(common: np.ndarray, size: np.ndarray) -> np.ndarray:
    """round(common / size, 4) of each pair, as iteration computes it. numpy rounds by
    scaling (rint(x * 1e4) / 1e4), which is Python's exact decimal rounding except next to a
    tie: those few are rounded by Python's round."""
    x = common / size
    scaled = x * 1e4
    out = np.rint(scaled) / 1e4
    near = np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6)
    out[near] = [round(int(c) / int(s), 4) for c, s in zip(common[near].tolist(), size[near].tolist())]
    return out


def _micros(when: list) -> tuple[np.ndarray, np.ndarray]:
    """(each article's publication time in microseconds since the epoch (0 where unknown),
    whether it is unknown), from the UTC times `when`, as Arrow makes timestamps of them."""
    import pyarrow as pa

    from schemas._base import TIMESTAMP

    times = pa.array(when, TIMESTAMP)
    return np.asarray(times.cast(pa.int64()).fill_null(0), np.int64), np.asarray(times.is_null(), bool)


def _pair_times(pick, micros: np.ndarray, unknown: np.ndarray, a: np.ndarray, b: np.ndarray):
    """The earlier (`pick` np.minimum) or later (np.maximum) publication time of each pair
    (a, b: slots into the articles of `_micros`), as an Arrow timestamp array: null where
    either is unknown."""
    import pyarrow as pa

    from schemas._base import TIMESTAMP

    return pa.array(pick(micros[a], micros[b]), pa.int64(), mask=unknown[a] | unknown[b]).cast(TIMESTAMP)


def _date_ranks(published: list) -> np.ndarray:
    """Each article's place among the distinct publication dates (-1: unknown), so that
    comparing ranks is comparing the dates as _first does."""
    known = sorted({p for p in published if p is not None})
    at = {p: k for k, p in enumerate(known)}
    return np.array([at[p] if p is not None else -1 for p in published], np.int64)


def _firsts(ids, rank: np.ndarray, a: np.ndarray, b: np.ndarray):
    """_first of each pair (a, b: slots into `ids`, an Arrow array), as an Arrow array."""
    import pyarrow as pa

    ra, rb = rank[a], rank[b]
    first = np.where(ra < rb, a, b)
    unknown = (ra < 0) | (rb < 0) | (ra == rb)
    return ids.take(pa.array(first, pa.int64(), mask=unknown))


def _moment(published) -> datetime | None:
    """An article's publication time as a UTC datetime (the rows carry it as one or as ISO
    8601 text); a time without a zone is UTC, as the articles table reads it. In UTC because
    text times compare as text, and because pyarrow takes an aware datetime's wall clock as
    UTC when PYARROW_IGNORE_TIMEZONE is set (pandera sets it on import unless
    schemas._pandera imported it first)."""
    when = datetime.fromisoformat(published) if isinstance(published, str) else published
    if when is None:
        return None
    return when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when.astimezone(timezone.utc)


def _pair_time(pick, a: datetime | None, b: datetime | None) -> datetime | None:
    """The earlier (`pick` min) or later (max) of two times, None when either is unknown
    (which one it is is then unknown too): a row's _pair_times."""
    return None if a is None or b is None else pick(a, b)


def _first(a: str, pa, b: str, pb) -> str | None:
    """The article published first (a or b), where both dates are known and differ."""
    if pa is None or pb is None or pa == pb:
        return None
    return a if pa < pb else b
