"""Group articles into events.

An article's sidecar `event_key` wins. Other articles join by content: TF-IDF over their
words with named people and quoted words weighted up, candidate pairs from an inverted
index on each article's most distinctive terms (no all-pairs step), linked when their
cosine is high enough and, where both dates are known, they are close in time. Events
are the connected components; two different sidecar keys never merge.

event_id: from the sidecar key when given; otherwise from the event's anchor article
(the earliest published, then the smallest article_id). A later article joining an
existing event keeps its id; the id changes only if an article published before the
anchor arrives or two events merge, and even then not when the caller passes the ids of
the last release (`previous`): an event keeps the id most of its articles had. Pin an id
with a sidecar `event` key.
"""
from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from datetime import timedelta, timezone

from .align import STOP, block_pairs, stem, words

LINK_MIN = 0.15        # cosine: same-event pairs measured 0.19-0.44, different events <= 0.05
TIME_WINDOW = timedelta(days=3)
TOP_TERMS = 25         # blocking keys per article
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]+(?:[- ][A-Z][a-z]+)*)")
_LABEL_STOP = STOP | {"said", "say", "told", "mr", "ms", "mrs", "president", "new", "year",
                      "would", "one", "two", "after", "not", "no", "more", "most"}


def _id(kind: str, value: str) -> str:
    return "evt_" + hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()[:16]


def _terms(article: dict, statements: list[dict]) -> Counter:
    """Weighted term counts: headline and people count more; quoted words add evidence
    that two articles carry the same statements."""
    tf: Counter = Counter()
    fields = [(article.get("title"), 3), (article.get("standfirst"), 2), (article.get("text"), 1)]
    for text, w in fields:
        for t in words(text or ""):
            if t not in _LABEL_STOP and len(t) > 2 and not t.isdigit():
                tf["w:" + stem(t)] += w
        for name in _NAME.findall(text or ""):
            if name.lower() not in _LABEL_STOP:
                tf["n:" + name.lower()] += 2 * w
    for s in statements:
        if s.get("speaker_name"):
            tf["p:" + s["speaker_name"]] += 2
        content = [stem(t) for t in words(s.get("text", "")) if t not in STOP]
        for x, y in zip(content, content[1:]):
            tf[f"q:{x} {y}"] += 2
    return tf


def _vectors(tfs: dict[str, Counter]) -> dict[str, dict[str, float]]:
    df = Counter(t for tf in tfs.values() for t in tf)
    n = len(tfs)
    out = {}
    for aid, tf in tfs.items():
        vec = {t: (1 + math.log(c)) * (math.log((n + 1) / (df[t] + 1)) + 1) for t, c in tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        out[aid] = {t: v / norm for t, v in vec.items()}
    return out


def _cosine(a: dict, b: dict) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def _close(a: dict, b: dict) -> bool:
    pa, pb = a.get("published"), b.get("published")
    return pa is None or pb is None or abs(pa - pb) <= TIME_WINDOW


def group(articles: list[dict], statements: list[dict],
          previous: dict[str, str] | None = None) -> dict[str, str]:
    """{article_id: event_id}. `previous` maps article_id to the event_id it had in the
    last release: an event keeps that id (the one most of its members had), so ids stay
    put when an earlier-dated article joins later."""
    by_article = defaultdict(list)
    for s in statements:
        by_article[s["article_id"]].append(s)
    arts = sorted(articles, key=lambda a: a["article_id"])
    ids = [a["article_id"] for a in arts]
    vecs = _vectors({a["article_id"]: _terms(a, by_article[a["article_id"]]) for a in arts})

    parent = list(range(len(arts)))
    key_of = {i: (a.get("event_key") or "").strip() or None for i, a in enumerate(arts)}

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i, j):
        ri, rj = find(i), find(j)
        if ri == rj or (key_of[ri] and key_of[rj] and key_of[ri] != key_of[rj]):
            return
        lo, hi = min(ri, rj), max(ri, rj)
        parent[hi] = lo
        key_of[lo] = key_of[lo] or key_of[hi]

    first_with_key: dict[str, int] = {}
    for i in range(len(arts)):
        k = key_of[i]
        if k:
            union(first_with_key.setdefault(k, i), i)
    # blocking keys: an article's most distinctive terms among those another article also
    # has (a term no other article has cannot pair it with anything; in a small corpus such
    # terms would crowd out every shared one)
    df = Counter(t for v in vecs.values() for t in v)
    keys = {i: set(sorted((t for t in vecs[aid] if df[t] > 1), key=lambda t: (-vecs[aid][t], t))[:TOP_TERMS])
            for i, aid in enumerate(ids)}
    for (i, j), n in sorted(block_pairs(keys).items()):
        if n >= 2 and _close(arts[i], arts[j]) and _cosine(vecs[ids[i]], vecs[ids[j]]) >= LINK_MIN:
            union(i, j)

    members = defaultdict(list)
    for i in range(len(arts)):
        members[find(i)].append(i)
    out, taken = {}, set()
    previous = previous or {}
    # larger events first, so that a split event's id stays with its larger part
    for root, idx in sorted(members.items(), key=lambda kv: (-len(kv[1]), kv[1][0])):
        key = key_of[root]
        held = Counter(previous[ids[i]] for i in idx if previous.get(ids[i]))
        held = [e for e, _ in sorted(held.items(), key=lambda x: (-x[1], x[0])) if e not in taken]
        if key:
            eid = _id("key", key)
        elif held:
            eid = held[0]
        else:
            anchor = min(idx, key=lambda i: (arts[i].get("published") is None,
                                             arts[i].get("published") or 0, ids[i]))
            eid = _id("article", ids[anchor])
        taken.add(eid)
        for i in idx:
            out[ids[i]] = eid
    return out


def _label_words(article: dict) -> Counter:
    """Plain words (not stems) for a readable label; the headline counts three times."""
    tf: Counter = Counter()
    for text, w in ((article.get("title"), 3), (article.get("text"), 1)):
        for t in words(text or ""):
            if t not in _LABEL_STOP and len(t) > 3 and not t.isdigit():
                tf[t] += w
    return tf


def event_rows(articles: list[dict], statements: list[dict], event_of: dict[str, str]) -> list[dict]:
    """One row per event: label from the most quoted people and distinctive terms."""
    by_event = defaultdict(list)
    for a in articles:
        by_event[event_of[a["article_id"]]].append(a)
    speakers_by_article = defaultdict(Counter)
    for s in statements:
        if s.get("speaker_name"):
            speakers_by_article[s["article_id"]][s["speaker_name"]] += 1
    tfs = {a["article_id"]: _label_words(a) for a in articles}
    vecs = _vectors(tfs)
    rows = []
    for eid, arts in sorted(by_event.items()):
        people: Counter = Counter()
        for a in arts:
            people.update(speakers_by_article[a["article_id"]])
        top_people = [p for p, _ in sorted(people.items(), key=lambda x: (-x[1], x[0]))[:2]]
        weight: Counter = Counter()
        for a in arts:
            weight.update(vecs[a["article_id"]])
        surnames = {p.split()[-1].lower() for p in top_people}
        terms = [t for t, _ in sorted(weight.items(), key=lambda x: (-x[1], x[0]))
                 if t not in surnames][:3]
        dates = sorted(a["published"] for a in arts if a.get("published") is not None)
        day = dates[0].astimezone(timezone.utc).date() if dates else None
        label = ", ".join(top_people) + (": " if top_people and terms else "") + ", ".join(terms)
        label = (label or "untitled") + (f" ({day.isoformat()})" if day else "")
        rows.append({"event_id": eid, "label": label, "date": day, "article_count": len(arts),
                     "source_count": len({a["source_id"] for a in arts})})
    return rows
