"""events.cluster with a store: redo step 1 only for the components changed articles touch.

A component is one of step 1's core groups (events.core_groups: the articles the links of
one kind that merged and a shared sidecar key hold together) with the undated group that
joined it. core_groups over a set of articles that is a union of its final groups, with the
links inside that set only, makes those groups (the links leaving it were all refused, and a
refused link changes nothing), so a component is regrouped from its own stored links. When
the regrouped part changes, a link from it to a component beyond was refused against the
old groups and could be accepted against the new: the part is grouped together with the
components its links reach (the border), and a border component that lands in a group with
the part joins it (and the border is taken again) until none does. Then every link between
the part and the border was refused with the border's groups growing as stored, so the
border's links further out are refused as they were: the rest stands. What reaches across
components is read from stored arrays instead of regrouping them:

- an undated group's choice (events.attach_targets) reads its links to dated articles
  (stored, crosswire.eventstore) and the step 1 groups they reach (stored per article);
  it is made again for the undated groups of the regrouped part, for the stored ones that
  link into it or lost a link, and when a stored group's choice moves, the components it
  leaves and joins are regrouped too (until nothing moves);
- step 2 (an article left alone joins the event carrying its quotations) runs over the
  whole corpus every run from each article's step 1 group and the stored index of
  statement runs, without profiles (it is cheap: only lone articles look).

So a run redoes step 1 for the changed articles (new, or whose profile key or date
changed; a removed article counts through its component), the components of the articles
a changed one can pair with of its own kind (they share one of its blocking keys within
the date window: found in the stored key index, no profiles read) or shares a sidecar key
with, those of the last grouping that held a removed or changed article, and the border
components that would merge with them; it scores only the pairs that touch a
changed article (those of the other kind too, for the choices) and reads the profiles of
the regrouped articles and of the events whose members changed (their tying terms and
label words; an unchanged event keeps its stored ones). Without a usable state the run
groups everything (and stores the state). Either way the result is events.cluster's
without a store (tests/test_events.py, tests/test_eventarrays.py compare them).
"""
from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
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
                 events._profiles_code() + f":window{window // timedelta(microseconds=1)}:components-5")


class _Corpus:
    """The run's articles: rows in article_id order and what the grouping reads of them."""

    def __init__(self, arts, by_article, cfg, window, store_root, counts, text_of):
        self.arts, self.by_article, self.cfg, self.window = arts, by_article, cfg, window
        self.store_root, self.counts, self.text_of = store_root, counts, text_of
        self.n = cfg["statement_ngram"]
        self.ids = [a["article_id"] for a in arts]
        self.published = [a.get("published") for a in arts]
        self.keys = [(a.get("event_key") or "").strip() or None for a in arts]
        self.pkeys = [events.profile_key_of(a, by_article.digest(a["article_id"]), self.n) for a in arts]
        self.idents = [ident(a, k, p) for a, k, p in zip(self.ids, self.pkeys, self.published)]
        self.dated, us = events._micros(self.published)
        self.day = np.where(self.dated, us // _DAY_US, 0)
        self.days = math.ceil(window / timedelta(days=1))
        self.keep = set(self.pkeys)
        self.known: dict = {}

    def profiles(self, idx: list[int], drop=()):
        corpus = events.article_profiles([self.arts[i] for i in idx], self.by_article, self.n,
                                         self.store_root, self.counts, self.text_of,
                                         keep=self.keep, known=self.known, drop=drop)
        self.known.update(zip((self.pkeys[i] for i in idx), corpus.records))
        return corpus


def cluster_stored(arts: list[dict], by_article: dict, previous: dict[str, str], cfg: dict, window: timedelta,
                   store_root: Path, counts: dict | None, text_of) -> events.Grouping:
    run = _Corpus(arts, by_article, cfg, window, store_root, counts, text_of)
    store = _store(store_root, window)
    shards = eventstore.LinkShards(store)
    state = eventstore.load_state(store.get("state"))
    plan = _incremental(run, state, shards) if state is not None else None
    if plan is None:
        state = None
        shards.clear()
        plan = _cold(run)
    else:
        for c in sorted(plan.comps):
            shards.drop(state.names[c])
    new_state = _next_state(run, state, plan, shards)
    if counts is not None:
        counts["regrouped"] = len(plan.region)
    # the profiles are not read again: their arrays go before the state's bytes are made and
    # sealed (two copies of it, the run's peak on a large cold run)
    del plan, state
    run.known.clear()
    shards.flush()
    store.put("state", eventstore.dump_state(new_state))
    # the profiles and links of other events code are never read again: they only take space
    # (the links' code holds window_days too: a window changed and changed back regroups once)
    store.prune()
    events.profile_blobs(store_root).prune()
    return _grouping(run, new_state, previous)


@dataclass
class _Plan:
    region: list[int]          # the articles step 1 regrouped (current numbers)
    keyed: list[int]           # the articles whose blocking keys are made (the others' are stored)
    corpus: object             # their profiles (eventarrays.Corpus)
    first: events.StepOne      # step 1 on them, numbered in the region
    found: events.Links        # their links of one kind, numbered in the region
    cross: "_Cross"            # every link between the two kinds
    comps: set                 # the old components the region replaces
    edge: "_Edge"              # its links of one kind to articles outside it


class _Cross:
    """Links between an undated and a dated article (current article numbers), as arrays
    kept strongest first (events.Evidence order: cosine descending, then the lower and the
    higher article): the order events.attach_targets reads them in. A run renumbers the
    kept articles in the same order (article_id), so the stored links stay in order; the
    few new ones are merged in, not the whole sorted again (1.8M links at 10k articles)."""

    def __init__(self, u, d, cos, words, shared):
        self.u, self.d, self.cos, self.words, self.shared = (np.asarray(x) for x in (u, d, cos, words, shared))

    def _order(self) -> np.ndarray:
        return np.lexsort((np.maximum(self.u, self.d), np.minimum(self.u, self.d), -self.cos))

    def in_order(self) -> bool:
        """Whether the links are strongest first (a state stored by earlier code may not be)."""
        if len(self.u) < 2:
            return True
        lo, hi, c = np.minimum(self.u, self.d), np.maximum(self.u, self.d), self.cos
        later = (c[1:] < c[:-1]) | ((c[1:] == c[:-1]) & ((lo[1:] > lo[:-1]) | ((lo[1:] == lo[:-1]) & (hi[1:] > hi[:-1]))))
        return bool(later.all())

    def sorted(self) -> "_Cross":
        return self._take(self._order())

    def _take(self, at: np.ndarray) -> "_Cross":
        return _Cross(*(getattr(self, f)[at] for f in _CROSS))

    def strongest_first(self, sel: np.ndarray) -> np.ndarray:
        """The positions `sel` (a mask) picks, in events.Evidence order (strongest first)."""
        return np.flatnonzero(sel)

    @classmethod
    def of(cls, found: events.Links, dated: np.ndarray, at=None) -> "_Cross":
        """The links of `found` between the two kinds (numbered by `at` when given), strongest first."""
        if at is not None:
            found = found.renumbered(at)
        e = found.take(dated[found.i] != dated[found.j])
        i, j = e.i.astype(np.int64), e.j.astype(np.int64)
        undated_first = ~dated[i]
        return cls(np.where(undated_first, i, j), np.where(undated_first, j, i), e.cosine, e.words,
                   e.shared.astype(np.int64)).sorted()

    def __add__(self, other: "_Cross") -> "_Cross":
        """Both in order -> the links of both in order: `other`'s merged in by binary search
        (on the cosine; among equal cosines, on the two articles)."""
        if len(other.u) > len(self.u):
            return other + self
        neg = -self.cos
        lo = np.minimum(self.u, self.d)
        hi = np.maximum(self.u, self.d)
        first = np.searchsorted(neg, -other.cos, "left")
        last = np.searchsorted(neg, -other.cos, "right")
        where = first.copy()
        for k in np.flatnonzero(last > first).tolist():   # ties on the cosine: by the articles
            key = (min(int(other.u[k]), int(other.d[k])), max(int(other.u[k]), int(other.d[k])))
            a, b = int(first[k]), int(last[k])
            while a < b:
                m = (a + b) // 2
                if (int(lo[m]), int(hi[m])) < key:
                    a = m + 1
                else:
                    b = m
            where[k] = a
        return _Cross(*(np.insert(getattr(self, f), where, getattr(other, f)) for f in _CROSS))


_CROSS = ("u", "d", "cos", "words", "shared")


def _cold(run: _Corpus) -> _Plan:
    region = list(range(len(run.arts)))
    corpus = run.profiles(region)
    unit = corpus.unit_vectors(corpus.weights())
    found = events.links(corpus, run.published, run.cfg, run.window, unit, None, run.counts)
    first = events.step_one(run.published, run.keys, found, run.window)
    same = found.take(run.dated[found.i] == run.dated[found.j])
    return _Plan(region, region, corpus, first, same, _Cross.of(found, run.dated), set(), _Edge.none())


def _incremental(run: _Corpus, state: eventstore.State, shards: eventstore.LinkShards):
    """What step 1 regroups and how, or None when the stored links cannot be read (the
    caller groups everything)."""
    old_at = {x: k for k, x in enumerate(state.idents)}
    old_of = np.array([old_at.get(x, -1) for x in run.idents], np.int64)
    cur_of = np.full(len(state.idents), -1, np.int64)
    cur_of[old_of[old_of >= 0]] = np.flatnonzero(old_of >= 0)
    changed = np.flatnonzero(old_of < 0).tolist()
    comps = set(state.component[cur_of < 0].tolist())
    gone = [state.pkeys[k] for k in np.flatnonzero(cur_of < 0).tolist()]
    near = set(changed)
    if changed or gone:   # the components of the articles a changed one can pair with
        corpus = run.profiles(changed, gone)
        unit = corpus.unit_vectors(corpus.weights())
        for x, (hashes, _flags, _statements) in zip(changed, corpus.blocking_keys(unit, run.cfg["top_terms"])):
            owners = state.key_owner[np.isin(state.key_hash, hashes)]
            if run.dated[x]:
                owners = owners[~state.dated[owners] | (np.abs(state.day[owners] - run.day[x]) <= run.days)]
            owners = owners[cur_of[owners] >= 0]
            comps |= set(state.component[owners[state.dated[owners] == run.dated[x]]].tolist())
            near |= set(cur_of[owners].tolist())   # (one of the other kind: a link to weigh, not to regroup)
    near = sorted(near)
    new = _new_links(run, near, set(changed))
    # the links between the two kinds: the stored ones between kept articles and the new ones
    keep = (cur_of[state.cross_u] >= 0) & (cur_of[state.cross_d] >= 0)
    kept = _Cross(cur_of[state.cross_u[keep]], cur_of[state.cross_d[keep]], state.cross_cos[keep],
                  state.cross_words[keep], state.cross_shared[keep])
    cross = (kept if kept.in_order() else kept.sorted()) + _Cross.of(new, run.dated, near)
    new = new.renumbered(near)
    new = new.take(run.dated[new.i] == run.dated[new.j])
    # undated groups one of whose links was lost choose again
    lost = set(cur_of[state.cross_u[~keep]][cur_of[state.cross_u[~keep]] >= 0].tolist())

    of_component = defaultdict(list)
    for k, c in enumerate(state.component.tolist()):
        if cur_of[k] >= 0:
            of_component[c].append(int(cur_of[k]))
    comps |= _keyed_components(run, state, old_of, changed)
    stored = _StoredCores(state, cur_of, old_of)
    links_of = {}
    at_ident = {x: i for i, x in enumerate(run.idents)}

    def load(wanted) -> bool:
        for c in sorted(set(wanted) - links_of.keys()):
            payload = shards.get(state.names[c], state.digests[c])
            unpacked = eventstore.unpack_links(payload) if payload is not None else None
            if unpacked is None:
                return False
            links_of[c] = unpacked
        return True

    while True:
        if not load(comps):
            return None
        region = sorted(set(changed).union(*(of_component[c] for c in comps)))
        inside = np.zeros(len(run.arts), bool)
        inside[region] = True
        found = _region_links(run, region, set(changed), [links_of[c] for c in sorted(comps)], new)
        edge = _edge_links(run, inside, at_ident, [links_of[c] for c in sorted(comps)], set(changed))
        published, keys = [run.published[i] for i in region], [run.keys[i] for i in region]
        groups = events.core_groups(published, keys, found, run.window)
        # the components beyond the region that a link from it could now merge with
        border = {int(state.component[old_of[j]]) for j in edge.outside} - comps
        if not load(border):
            return None
        more = _merging(run, region, set(changed), comps, border, of_component, links_of, new)
        if not more:
            targets, more = _choose(state, stored, region, inside, groups, cross, lost)
        if not more - comps:
            break
        comps |= more
    local = {g: r for r, g in enumerate(region)}
    first = events.step_one(published, keys, found, run.window, groups,
                            {local[u]: local[d] for u, d in targets.items()})
    # the region's other articles keep their stored blocking keys (a function of their own
    # profile): only the changed ones' profiles are at hand for _next_state
    return _Plan(region, changed, run.profiles(changed), first, found, cross, comps, edge)


class _StoredCores:
    """The stored core groups (events.core_groups) in current article numbers: a kept
    article's group (its first article), the groups' sizes, the members of the loose ones."""

    def __init__(self, state: eventstore.State, cur_of: np.ndarray, old_of: np.ndarray):
        self.old_of, self.cur_of = old_of, cur_of
        kept = old_of >= 0
        self.root = np.full(len(old_of), -1, np.int64)
        self.root[kept] = cur_of[state.core[old_of[kept]]]
        self.size = np.bincount(state.core, minlength=len(state.core))
        self.members = defaultdict(list)
        for i in np.flatnonzero(kept & state.loose[np.maximum(old_of, 0)]).tolist():
            self.members[int(self.root[i])].append(i)


def _choose(state: eventstore.State, stored: _StoredCores, region: list[int], inside: np.ndarray,
            groups, cross: _Cross, lost: set) -> tuple[dict[int, int], set]:
    """events.attach_targets for the undated groups of the region and for the stored ones
    that link into it or lost a link (current article numbers): the region's groups as
    `groups` made them, the others as stored. -> (the region's undated groups' choices, the
    old components to regroup: those of a choice of the region's outside it, and those of a
    stored group whose choice moved and of the group it moves to)."""
    loose_of = {region[r]: region[g] for r, g in events.loose_groups(groups, len(region)).items()}
    outer = set(cross.u[inside[cross.d] & ~inside[cross.u]].tolist()) | {u for u in lost if not inside[u]}
    for u in sorted(outer):
        root = int(stored.root[u])
        if root in stored.members:
            loose_of.update((m, root) for m in stored.members[root])
    size = Counter(region[groups.find(r)] for r in range(len(region)))
    group_of = stored.root.copy()    # each article's core group: the region's as regrouped, the others' as stored
    group_of[region] = [region[groups.find(r)] for r in range(len(region))]
    loose = np.full(len(group_of), -1, np.int64)
    loose[np.fromiter(loose_of, np.int64, len(loose_of))] = np.fromiter(loose_of.values(), np.int64, len(loose_of))

    def size_of(g: int) -> int:
        return size[g] if inside[g] else int(stored.size[stored.old_of[g]])

    sel = cross.strongest_first(loose[cross.u] >= 0)
    choice = events.attach_targets(loose[cross.u[sel]], group_of[cross.d[sel]], cross.cos[sel], size_of)
    component = lambda g: int(state.component[stored.old_of[g]])   # noqa: E731 (a kept article's old component)
    mine = {u: d for u, d in choice.items() if inside[u]}
    more = {component(d) for d in mine.values() if not inside[d]}
    for u in sorted({g for m, g in loose_of.items() if not inside[m]}):
        was = int(state.target[stored.old_of[u]])
        now = choice.get(u, -1)
        if now != (int(stored.cur_of[was]) if was >= 0 else -1):
            more.add(component(u))
            if now >= 0 and not inside[now]:
                more.add(component(now))
    return mine, more


def _new_links(run: _Corpus, near: list[int], changed: set) -> events.Links:
    """The links that touch a changed article, numbered in `near` (the changed articles and
    every article they can pair with)."""
    if not changed:
        return events.Links.none()
    corpus = run.profiles(near)
    unit = corpus.unit_vectors(corpus.weights())
    touching = np.array([i in changed for i in near], bool)
    return events.links(corpus, [run.published[i] for i in near], run.cfg, run.window, unit, touching, run.counts)


def _region_links(run: _Corpus, region: list[int], changed: set, stored: list, new: events.Links) -> events.Links:
    """The region's links of one kind (numbered in the region), in (i, j) order: the stored
    ones of its components (a link between two of them is stored with both: kept once) and
    the new ones (current numbers, both ends in the region)."""
    local = {run.idents[i]: r for r, i in enumerate(region) if i not in changed}
    at = np.full(len(run.arts), -1, np.int64)
    at[region] = np.arange(len(region))
    parts = [new.renumbered(at).take((at[new.i] >= 0) & (at[new.j] >= 0))]
    for members, (li, lj, cos, words, shared) in stored:
        pos = np.array([local.get(x, -1) for x in members], np.int64)
        i, j = pos[li], pos[lj]
        ok = (i >= 0) & (j >= 0)
        parts.append(events.Links(i[ok], j[ok], cos[ok], words[ok], shared[ok]))
    found = events.Links.joined(parts)
    found = found.take(np.lexsort((found.j, found.i)))   # stable: the first of equal pairs stays first
    first = np.ones(len(found), bool)
    first[1:] = (found.i[1:] != found.i[:-1]) | (found.j[1:] != found.j[:-1])
    return found.take(first)


@dataclass
class _Edge:
    """The stored links of one kind from the region to kept articles outside it (current
    article numbers, lo < hi), with the end inside and the one outside."""
    lo: np.ndarray
    hi: np.ndarray
    cos: np.ndarray
    words: np.ndarray
    shared: np.ndarray
    inner: np.ndarray
    outside: np.ndarray

    @classmethod
    def none(cls) -> "_Edge":
        return cls(*(np.zeros(0, t) for t in (np.int64, np.int64, np.float64, np.float64, np.int64, np.int64,
                                               np.int64)))


def _edge_links(run: _Corpus, inside: np.ndarray, at_ident: dict, stored: list, changed: set) -> _Edge:
    """The links of `stored` (components' payloads) with one end in the region and the other
    a kept article outside it (a changed article's links are all new, and inside)."""
    rows = {}
    for members, (li, lj, cos, words, shared) in stored:
        pos = np.array([-1 if at_ident.get(x, -1) in changed else at_ident.get(x, -1) for x in members], np.int64)
        i, j = pos[li], pos[lj]
        ok = (i >= 0) & (j >= 0)
        ok &= inside[np.maximum(i, 0)] != inside[np.maximum(j, 0)]
        for e in zip(i[ok].tolist(), j[ok].tolist(), cos[ok].tolist(), words[ok].tolist(), shared[ok].tolist()):
            rows[e[:2]] = e
    if not rows:
        return _Edge.none()
    lo, hi, cos, words, shared = (np.array(x) for x in zip(*(rows[k] for k in sorted(rows))))
    inner = np.where(inside[lo], lo, hi)
    return _Edge(lo, hi, cos, words, shared, inner, np.where(inside[lo], hi, lo))


def _keyed_components(run: _Corpus, state: eventstore.State, old_of: np.ndarray, changed: list[int]) -> set:
    """The old components of the kept articles that carry a changed article's sidecar key
    (one key is one group, whatever the links)."""
    wanted = {run.keys[x] for x in changed} - {None}
    return {int(state.component[old_of[i]]) for i, k in enumerate(run.keys) if k in wanted and old_of[i] >= 0}


def _merging(run: _Corpus, region: list[int], changed: set, comps: set, border: set, of_component: dict,
             links_of: dict, new: list) -> set:
    """The components of `border` (beyond the region, reached by its links) that the region's
    new grouping could merge with: step 1's core groups over the region and the border
    together, and the border components that share a group with the region. With none,
    every link between the two was refused: the border's groups grow as stored (its own
    links alone make them) and the region's as regrouped, so a link from the border to
    further out is refused as it was, and the region is what changed."""
    if not border:
        return set()
    union = sorted(set(region).union(*(of_component[c] for c in border)))
    found = _region_links(run, union, changed, [links_of[c] for c in sorted(comps | border)], new)
    groups = events.core_groups([run.published[i] for i in union], [run.keys[i] for i in union], found, run.window)
    inside = set(region)
    holds_region = {groups.find(r) for r, i in enumerate(union) if i in inside}
    comp_of = {i: c for c in border for i in of_component[c]}
    return {comp_of[i] for r, i in enumerate(union) if i not in inside and groups.find(r) in holds_region}


def _components(core: list[int], coupled: list) -> dict[int, list[int]]:
    """The region's components (sorted members, by their first): its core groups (step 1's
    groups before undated ones attach: the links that merged and the sidecar keys) joined by
    the (undated group, dated group it joined) pairs."""
    sets = DisjointSet(range(len(core)))
    for r, root in enumerate(core):
        sets.union(root, r)
    for s, t in coupled:
        sets.union(s, t)
    out = defaultdict(list)
    for i in range(len(core)):
        out[sets.find(i)].append(i)
    return dict(out)


def _payloads(run: _Corpus, plan: _Plan, comps: dict[int, list[int]]):
    """(name, payload) of each of the region's components: the links of one kind with an end
    in it (a link between two components is stored with both, so that regrouping one finds
    every link that could merge it with another)."""
    region = plan.region
    first_of = {r: f for f, m in comps.items() for r in m}
    local = {g: r for r, g in enumerate(region)}
    rows = defaultdict(list)
    found = plan.found
    for i, j, c, w, q in zip(found.i.tolist(), found.j.tolist(), found.cosine.tolist(), found.words.tolist(),
                             found.shared.tolist()):
        row = (run.idents[region[i]], run.idents[region[j]], c, w, q)
        rows[first_of[i]].append(row)
        if first_of[j] != first_of[i]:
            rows[first_of[j]].append(row)
    edge = plan.edge
    for lo, hi, inner, c, w, q in zip(edge.lo.tolist(), edge.hi.tolist(), edge.inner.tolist(), edge.cos.tolist(),
                                      edge.words.tolist(), edge.shared.tolist()):
        rows[first_of[local[inner]]].append((run.idents[lo], run.idents[hi], c, w, q))
    for f, m in sorted(comps.items()):
        idents = [run.idents[region[r]] for r in m]
        mine = rows[f]
        members = idents + sorted({x for row in mine for x in row[:2]} - set(idents))
        pos = {x: k for k, x in enumerate(members)}
        payload = eventstore.pack_links(members, np.array([pos[r[0]] for r in mine], np.int64),
                                        np.array([pos[r[1]] for r in mine], np.int64),
                                        np.array([r[2] for r in mine], np.float64),
                                        np.array([r[3] for r in mine], np.float64),
                                        np.array([r[4] for r in mine], np.int64))
        yield f, min(idents), payload


def _span_ends(members: list[int], span, published: list) -> tuple[int, int]:
    """The members whose dates are the span's ends (a span is made of members' dates)."""
    if not span:
        return -1, -1
    return (next(i for i in members if published[i] == span[0]), next(i for i in members if published[i] == span[1]))


def _next_state(run: _Corpus, state: eventstore.State | None, plan: _Plan,
                shards: eventstore.LinkShards) -> eventstore.State:
    """The state after this run: the kept articles' step 1 entries carried over, the
    region's new, the region's components' links (of one kind) written to `shards`; then
    step 2 over the whole corpus from those and the run index, and the events (an event
    whose members are unchanged keeps its stored tying terms and label words)."""
    n, region, first = len(run.arts), plan.region, plan.first
    component, core, target, group1 = (np.full(n, -1, np.int64) for _ in range(4))
    loose = np.zeros(n, bool)
    names, digests = [], []
    owners, hashes, flags, statements = [], [], [], []
    terms_of = {}
    if state is not None:
        in_region = np.zeros(n, bool)
        in_region[region] = True
        old_at = {x: k for k, x in enumerate(state.idents)}
        kept = np.array([i for i in range(n) if not in_region[i]], np.int64)
        old = np.array([old_at[run.idents[i]] for i in kept.tolist()], np.int64)
        cur_of = np.full(len(state.idents), -1, np.int64)
        cur_of[old] = kept
        comp_map = {}
        for c in state.component[old].tolist():
            if c not in comp_map:
                comp_map[c] = len(names)
                names.append(state.names[c])
                digests.append(state.digests[c])
        component[kept] = [comp_map[c] for c in state.component[old].tolist()]
        core[kept], group1[kept], loose[kept] = cur_of[state.core[old]], cur_of[state.group1[old]], state.loose[old]
        was = state.target[old]
        target[kept] = np.where(was >= 0, cur_of[np.maximum(was, 0)], -1)
        same_of = np.full(len(state.idents), -1, np.int64)   # every unchanged article, in the region or not
        at_old = np.array([old_at.get(x, -1) for x in run.idents], np.int64)
        same_of[at_old[at_old >= 0]] = np.flatnonzero(at_old >= 0)
        keep = same_of[state.key_owner] >= 0
        owners.append(same_of[state.key_owner[keep]])
        hashes.append(state.key_hash[keep])
        flags.append(state.key_flag[keep])
        statements.append(state.key_statement[keep])
        before = defaultdict(list)
        for k, e in enumerate(state.event.tolist()):
            before[e].append(state.idents[k])
        terms_of = {frozenset(m): state.events[e][2:] for e, m in before.items()}
    gl = np.array(region, np.int64)
    core[gl] = gl[first.core]
    group1[gl] = gl[[first.groups.find(r) for r in range(len(region))]]
    loose[gl[sorted(first.loose)]] = True
    chosen = {u: region[d] for u, d in first.targets.items()}
    target[gl] = [chosen.get(root, -1) for root in first.core]
    unit = plan.corpus.unit_vectors(plan.corpus.weights())
    for r, (h, f, st) in enumerate(plan.corpus.blocking_keys(unit, run.cfg["top_terms"])):
        owners.append(np.full(len(h), plan.keyed[r], np.int64))
        hashes.append(h)
        flags.append(f)
        statements.append(st)
    key_owner = np.concatenate(owners) if owners else np.zeros(0, np.int64)
    key_hash = np.concatenate(hashes) if hashes else np.zeros(0, np.uint64)
    key_flag = np.concatenate(flags) if flags else np.zeros(0, np.uint8)
    key_statement = np.concatenate(statements) if statements else np.zeros(0, np.int32)

    # step 2, whole: every article's step 1 group and statement runs are at hand
    runs = (key_flag & eventarrays.RUN) != 0
    postings = key_owner[runs], key_hash[runs], (key_flag[runs] & eventarrays.QUOTE) != 0, key_statement[runs]
    members, span, far_set = events.step_two(group1.tolist(), postings, run.published, run.keys, run.cfg, run.window)
    event = np.full(n, -1, np.int64)
    far = np.zeros(n, bool)
    far[sorted(far_set)] = True
    fresh = {root: idx for root, idx in members.items()
             if frozenset(run.idents[i] for i in idx) not in terms_of}
    if fresh:   # the profiles of the events whose members changed
        need = sorted(set().union(*fresh.values()))
        corpus = run.profiles(need)
        at = {i: r for r, i in enumerate(need)}
        made = {root: events.event_terms(corpus, [at[i] for i in idx], run.cfg) for root, idx in fresh.items()}
    evs = []
    for root, idx in sorted(members.items()):
        lo, hi = _span_ends(idx, span.get(root), run.published)
        tied, terms = made[root] if root in fresh else terms_of[frozenset(run.idents[i] for i in idx)]
        event[idx] = len(evs)
        evs.append((lo, hi, tied, terms))

    comps = _components(first.core, sorted(first.targets.items()))
    for f, name, payload in _payloads(run, plan, comps):
        component[gl[comps[f]]] = len(names)
        names.append(name)
        digests.append(eventstore.digest(payload))
        shards.put(name, payload)
    cross = plan.cross
    return eventstore.State(
        idents=list(run.idents), pkeys=list(run.pkeys), event=event, component=component, far=far,
        dated=run.dated, day=run.day.astype(np.int64), key_owner=key_owner, key_hash=key_hash, key_flag=key_flag,
        key_statement=key_statement,
        core=core, loose=loose, target=target, group1=group1, cross_u=np.asarray(cross.u, np.int64),
        cross_d=np.asarray(cross.d, np.int64), cross_cos=np.asarray(cross.cos, np.float64),
        cross_words=np.asarray(cross.words, np.float64), cross_shared=np.asarray(cross.shared, np.int64),
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
    """Every link the store holds between the last run's articles, as (ident, ident, cosine,
    words, shared) (for tests and benches): None when the state or a component's links
    cannot be read. (A component keeps a link to an article a later run removed until it is
    regrouped: a link is a function of its two articles, so it holds again if it comes back.)"""
    store = _store(store_root, window)
    state = eventstore.load_state(store.get("state"))
    if state is None:
        return None
    shards, out, current = eventstore.LinkShards(store), set(), set(state.idents)
    for name, expected in zip(state.names, state.digests):
        payload = shards.get(name, expected)
        if payload is None:
            return None
        members, (li, lj, cos, words, shared) = eventstore.unpack_links(payload)
        out |= {(members[i], members[j], c, w, q) for i, j, c, w, q in
                zip(li.tolist(), lj.tolist(), cos.tolist(), words.tolist(), shared.tolist())
                if members[i] in current and members[j] in current}
    lo, hi = np.minimum(state.cross_u, state.cross_d).tolist(), np.maximum(state.cross_u, state.cross_d).tolist()
    out |= {(state.idents[i], state.idents[j], c, w, q) for i, j, c, w, q in
            zip(lo, hi, state.cross_cos.tolist(), state.cross_words.tolist(), state.cross_shared.tolist())}
    return out
