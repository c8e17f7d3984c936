"""events.cluster with a store: regroup only the components that changed articles touch.

The grouping of crosswire.events is a function of each component's articles alone, a
component being the articles joined by what the rules read across articles: a link (a
function of its two articles), a shared sidecar key, and, for an article still alone after
step 1, every article holding one of its statement runs (step 2). So a run with the last
run's state (crosswire.eventstore) regroups

- the changed articles (new, or whose profile key or date changed; a removed article counts
  through its component),
- the components of the articles a changed one can pair with (they share one of its
  blocking keys within the date window: found in the stored key index, no profiles read),
- the components of the last grouping that held a removed or changed article,
- and, until there is none left, the components of the articles that hold a statement run
  of an article left alone in the regrouped part,

reading the profiles and stored links of those articles only and scoring only the pairs
that touch a changed article; every other article keeps its stored event, date span,
tying terms and label words. Without a usable state the run groups everything (and
stores the state). Either way the result is events.cluster's without a store
(tests/test_events.py, tests/test_eventarrays.py compare them).
"""
from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

import numpy as np

from . import eventarrays, events, eventstore
from .blobs import Blobs
from .unionfind import DisjointSet

_DAY_US = 86_400 * 10**6


def ident(article_id: str, pkey: bytes, published) -> bytes:
    """What a link and a grouping depend on of one article: its id, profile and date."""
    return hashlib.sha256(pkey + repr((article_id, published)).encode()).digest()[:16]


def _store(store_root: Path, window: timedelta) -> Blobs:
    return Blobs(store_root, "event-links",
                 events._profiles_code() + f":window{window // timedelta(microseconds=1)}:components-1")


class _Corpus:
    """The run's articles: rows in article_id order and what the grouping reads of them."""

    def __init__(self, arts, by_article, cfg, window, store_root, counts, text_of):
        self.arts, self.by_article, self.cfg, self.window = arts, by_article, cfg, window
        self.store_root, self.counts, self.text_of = store_root, counts, text_of
        self.n = cfg["statement_ngram"]
        self.ids = [a["article_id"] for a in arts]
        self.published = [a.get("published") for a in arts]
        self.keys = [(a.get("event_key") or "").strip() or None for a in arts]
        self.pkeys = [events.profile_key(a, by_article[a["article_id"]], self.n) for a in arts]
        self.idents = [ident(a, k, p) for a, k, p in zip(self.ids, self.pkeys, self.published)]
        self.dated, us = events._micros(self.published)
        self.day = np.where(self.dated, us // _DAY_US, 0)
        self.days = math.ceil(window / timedelta(days=1))
        self.keep = set(self.pkeys)
        self.known: dict = {}

    def profiles(self, idx: list[int], drop=()):
        corpus, labels = events.article_profiles([self.arts[i] for i in idx], self.by_article, self.n,
                                                 self.store_root, self.counts, self.text_of,
                                                 keep=self.keep, known=self.known, drop=drop)
        self.known.update(zip((self.pkeys[i] for i in idx), corpus.records))
        return corpus, labels


def cluster_stored(arts: list[dict], by_article: dict, previous: dict[str, str], cfg: dict, window: timedelta,
                   store_root: Path, counts: dict | None, text_of) -> events.Grouping:
    run = _Corpus(arts, by_article, cfg, window, store_root, counts, text_of)
    store = _store(store_root, window)
    shards = eventstore.LinkShards(store)
    state = eventstore.load_state(store.get("state"))
    plan = _incremental(run, state, shards) if state is not None else None
    if plan is None:
        state, region_idx, changed = None, list(range(len(arts))), None
        shards.clear()
        result = _group(run, region_idx, changed, [])
    else:
        region_idx, result, comps = plan
        for c in sorted(comps):
            shards.drop(state.names[c])
    new_state = _next_state(run, state, region_idx, *result, shards)
    shards.flush()
    store.put("state", eventstore.dump_state(new_state))
    if counts is not None:
        counts["regrouped"] = len(region_idx)
    return _grouping(run, new_state, previous)


def _incremental(run: _Corpus, state: eventstore.State, shards: eventstore.LinkShards):
    """(the regrouped articles, _group's result for them, the old components they replace),
    or None when the stored links cannot be read (the caller groups everything)."""
    old_at = {x: k for k, x in enumerate(state.idents)}
    old_of = np.array([old_at.get(x, -1) for x in run.idents], np.int64)
    cur_of = np.full(len(state.idents), -1, np.int64)
    cur_of[old_of[old_of >= 0]] = np.flatnonzero(old_of >= 0)
    changed = np.flatnonzero(old_of < 0).tolist()
    comps = set(state.component[cur_of < 0].tolist())
    gone = [state.pkeys[k] for k in np.flatnonzero(cur_of < 0).tolist()]
    if changed or gone:   # the components of the articles a changed one can pair with
        corpus, _ = run.profiles(changed, gone)
        unit = corpus.unit_vectors(corpus.weights())
        for x, (hashes, _flags) in zip(changed, corpus.blocking_keys(unit, run.cfg["top_terms"])):
            owners = state.key_owner[np.isin(state.key_hash, hashes)]
            if run.dated[x]:
                owners = owners[~state.dated[owners] | (np.abs(state.day[owners] - run.day[x]) <= run.days)]
            comps |= set(state.component[owners].tolist())
    of_component = defaultdict(list)
    for k, c in enumerate(state.component.tolist()):
        if cur_of[k] >= 0:
            of_component[c].append(int(cur_of[k]))
    before = defaultdict(list)
    for k, e in enumerate(state.event.tolist()):
        before[e].append(state.idents[k])
    terms_of = {frozenset(m): state.events[e][2:] for e, m in before.items()}

    def known(region: list[int]):
        return lambda idx: terms_of.get(frozenset(run.idents[region[r]] for r in idx))

    links_of = {}
    while True:
        for c in sorted(comps - links_of.keys()):
            payload = shards.get(state.names[c], state.digests[c])
            unpacked = eventstore.unpack_links(payload) if payload is not None else None
            if unpacked is None:
                return None
            links_of[c] = unpacked
        region = sorted(set(changed).union(*(of_component[c] for c in comps)))
        result = _group(run, region, set(changed), [links_of[c] for c in sorted(comps)], known(region))
        corpus, inside = result[0], np.zeros(len(run.arts), bool)
        inside[region] = True
        more = set()
        for s in result[1].singletons:   # an article left alone read every holder of its runs
            runs = corpus.hashes[corpus.flagged(s, eventarrays.RUN)]
            hit = np.isin(state.key_hash, runs) & ((state.key_flag & eventarrays.RUN) != 0)
            holders = cur_of[state.key_owner[hit]]
            outside = state.key_owner[hit][(holders >= 0) & ~inside[np.maximum(holders, 0)]]
            more |= set(state.component[outside].tolist())
        if not more - comps:
            return region, result, comps
        comps |= more


def _group(run: _Corpus, region: list[int], changed: set | None, stored: list, known=None):
    """-> (profiles, events.Region, links found) of the region's articles (numbered in the
    region): the stored links among them and the pairs that touch a changed article
    (all pairs when `changed` is None)."""
    corpus, labels = run.profiles(region)
    published = [run.published[i] for i in region]
    keys = [run.keys[i] for i in region]
    unit = corpus.unit_vectors(corpus.weights())
    touching = None if changed is None else np.array([i in changed for i in region], bool)
    found = events.links(corpus, published, run.cfg, run.window, unit, touching, run.counts)
    if stored:
        local = {run.idents[i]: r for r, i in enumerate(region) if i not in changed}
        for members, (li, lj, cos, words, shared) in stored:
            at = np.array([local.get(x, -1) for x in members], np.int64)
            i, j = at[li], at[lj]
            ok = (i >= 0) & (j >= 0)
            found += [events.Evidence(*e) for e in zip(i[ok].tolist(), j[ok].tolist(), cos[ok].tolist(),
                                                         words[ok].tolist(), shared[ok].tolist())]
        found.sort(key=lambda e: (e.i, e.j))
    region_result = events.group_region(corpus, labels, published, keys, found, run.cfg, run.window, known)
    return corpus, region_result, found


def _components(size: int, found: list, keys: list, coupled: list) -> dict[int, list[int]]:
    """The region's components (sorted members, by their first), by links, sidecar keys and
    step 2's pairs."""
    sets = DisjointSet(range(size))
    for e in found:
        sets.union(e.i, e.j)
    first = {}
    for i, k in enumerate(keys):
        if k:
            sets.union(first.setdefault(k, i), i)
    for s, t in coupled:
        sets.union(s, t)
    out = defaultdict(list)
    for i in range(size):
        out[sets.find(i)].append(i)
    return dict(out)


def _span_ends(members: list[int], span, published: list) -> tuple[int, int]:
    """The members whose dates are the span's ends (a span is made of members' dates)."""
    if not span:
        return -1, -1
    return (next(i for i in members if published[i] == span[0]), next(i for i in members if published[i] == span[1]))


def _next_state(run: _Corpus, state: eventstore.State | None, region: list[int], corpus, result: events.Region,
                found: list, shards: eventstore.LinkShards) -> eventstore.State:
    """The state after this run: the kept articles' entries carried over, the region's
    new; the region's components' links written to `shards`."""
    n = len(run.arts)
    event = np.full(n, -1, np.int64)
    component = np.full(n, -1, np.int64)
    far = np.zeros(n, bool)
    evs, names, digests = [], [], []
    in_region = np.zeros(n, bool)
    in_region[region] = True
    owners, hashes, flags = [], [], []
    if state is not None:
        old_at = {x: k for k, x in enumerate(state.idents)}
        kept = [i for i in range(n) if not in_region[i]]
        old = np.array([old_at[run.idents[i]] for i in kept], np.int64)
        cur_of = np.full(len(state.idents), -1, np.int64)
        cur_of[old] = kept
        ev_map, comp_map = {}, {}
        for i, k in zip(kept, old.tolist()):
            e, c = int(state.event[k]), int(state.component[k])
            if e not in ev_map:
                lo, hi, tied, terms = state.events[e]
                ev_map[e] = len(evs)
                evs.append((int(cur_of[lo]) if lo >= 0 else -1, int(cur_of[hi]) if hi >= 0 else -1, tied, terms))
            if c not in comp_map:
                comp_map[c] = len(names)
                names.append(state.names[c])
                digests.append(state.digests[c])
            event[i], component[i], far[i] = ev_map[e], comp_map[c], state.far[k]
        keep = cur_of[state.key_owner] >= 0
        owners.append(cur_of[state.key_owner[keep]])
        hashes.append(state.key_hash[keep])
        flags.append(state.key_flag[keep])
    gl = np.array(region, np.int64)
    for root, idx in sorted(result.members.items()):
        members = [region[r] for r in idx]
        lo, hi = _span_ends(members, result.span.get(root), run.published)
        event[members] = len(evs)
        evs.append((lo, hi, result.tied[root], result.terms[root]))
    far[[region[r] for r in result.far]] = True
    unit = corpus.unit_vectors(corpus.weights())
    for r, (h, f) in enumerate(corpus.blocking_keys(unit, run.cfg["top_terms"])):
        owners.append(np.full(len(h), region[r], np.int64))
        hashes.append(h)
        flags.append(f)
    keys = [run.keys[i] for i in region]
    comps = _components(len(region), found, keys, result.coupled)
    first_of = {r: first for first, members in comps.items() for r in members}
    links_of = defaultdict(list)
    for e in found:
        links_of[first_of[e.i]].append(e)
    for first, members in sorted(comps.items()):
        idents = [run.idents[region[r]] for r in members]
        pos = {r: p for p, r in enumerate(members)}
        mine = links_of[first]
        payload = eventstore.pack_links(idents, np.array([pos[e.i] for e in mine], np.int64),
                                        np.array([pos[e.j] for e in mine], np.int64),
                                        np.array([e.cosine for e in mine], np.float64),
                                        np.array([e.words for e in mine], np.float64),
                                        np.array([e.shared_quotes for e in mine], np.int64))
        name = min(idents)
        component[gl[members]] = len(names)
        names.append(name)
        digests.append(eventstore.digest(payload))
        shards.put(name, payload)
    return eventstore.State(
        idents=list(run.idents), pkeys=list(run.pkeys), event=event, component=component, far=far,
        dated=run.dated, day=run.day.astype(np.int64),
        key_owner=np.concatenate(owners) if owners else np.zeros(0, np.int64),
        key_hash=np.concatenate(hashes) if hashes else np.zeros(0, np.uint64),
        key_flag=np.concatenate(flags) if flags else np.zeros(0, np.uint8),
        events=evs, names=names, digests=digests)


def _grouping(run: _Corpus, state: eventstore.State, previous: dict[str, str]) -> events.Grouping:
    """events.Grouping of the stored state (each event keyed by its smallest article)."""
    by_event = defaultdict(list)
    for i, e in enumerate(state.event.tolist()):
        by_event[e].append(i)
    members, span, tied, terms = {}, {}, {}, {}
    for e, idx in by_event.items():
        root = idx[0]
        lo, hi, tied[root], terms[root] = state.events[e]
        members[root] = idx
        if lo >= 0:
            span[root] = (run.published[lo], run.published[hi])
    far = set(np.flatnonzero(state.far).tolist())
    return events.grouping_of(run.ids, run.published, run.keys, members, span, far, tied, terms, previous)


def stored_links(store_root: Path, window: timedelta) -> set[tuple] | None:
    """Every link the store holds, as (ident, ident, cosine, words, shared) (for tests and
    benches): None when the state or a component's links cannot be read."""
    store = _store(store_root, window)
    state = eventstore.load_state(store.get("state"))
    if state is None:
        return None
    shards, out = eventstore.LinkShards(store), set()
    for name, expected in zip(state.names, state.digests):
        payload = shards.get(name, expected)
        if payload is None:
            return None
        members, (li, lj, cos, words, shared) = eventstore.unpack_links(payload)
        out |= {(members[i], members[j], c, w, q) for i, j, c, w, q in
                zip(li.tolist(), lj.tolist(), cos.tolist(), words.tolist(), shared.tolist())}
    return out
