"""Fit the event-linking thresholds of crosswire/data/events.toml on labelled corpora.

    python bench/fit_events.py

Corpora (all written for crosswire's tests): tests/corpora/presser (labels in its
events.toml), tests/corpora/heldout (port strike: wire + herald; rates: daily + newswire;
every other article its own event), tests/corpora/wire (one event), raw/ (the two seeds:
one event). Articles from different corpora are different events.

For every pair of articles it prints the evidence (cosine, shared distinctive words,
shared statement runs, whether blocking proposes it), then the thresholds: quote_min is
one above the most quoted bigrams any two different events share; (link_min, words_min)
the pair in the middle of the region that links no different-event pair and the most
same-event pairs. (link_min, words_min): the middle of the region where no different-event
pair is linked and every true event stays connected through these links alone (without
the statement links, which connect the fixtures whatever link_min is). Last, the events `crosswire.events.cluster` makes with the data file's
values, scored by pairwise precision and recall.
"""
from __future__ import annotations

import itertools
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crosswire import events, ingest, metadata, sources, statements  # noqa: E402

HELDOUT_EVENTS = {"wire/port-strike.txt": "port-strike", "herald/port-strike-local.txt": "port-strike",
                  "daily/rate-cut-likely.txt": "rates", "newswire/rates-hold.txt": "rates"}


def load(root: Path) -> tuple[list[dict], list[dict]]:
    srcs, _ = sources.load_sources(root)
    raws, _ = ingest.ingest(root, srcs)
    by = {s.source_id: s for s in srcs}
    arts = [metadata.build_article(r, by[r.source_id]) for r in raws]
    return arts, statements.extract_statements(arts)


def labelled() -> tuple[list[dict], list[dict], dict[str, str]]:
    arts, stmts, label = [], [], {}
    presser = tomllib.loads((ROOT / "tests/corpora/presser/events.toml").read_text())["events"]
    truth = {"presser": {p: e for e, ps in presser.items() for p in ps}, "heldout": HELDOUT_EVENTS}
    for name, root in (("presser", ROOT / "tests/corpora/presser"), ("heldout", ROOT / "tests/corpora/heldout/raw"),
                       ("wire", ROOT / "tests/corpora/wire"), ("seeds", ROOT / "raw")):
        a, s = load(root)
        for x in a:
            x["article_id"] = f"{name}:{x['article_id']}"
            label[x["article_id"]] = f"{name}:" + truth.get(name, {}).get(x["raw_path"], name if name in ("wire", "seeds") else x["raw_path"])
        for x in s:
            x["article_id"] = f"{name}:{x['article_id']}"
        arts += a
        stmts += s
    return arts, stmts, label


def connected(links: list[tuple], pairs: list[tuple]) -> bool:
    """Whether the links join every pair of `pairs` (rows ending in the two paths)."""
    parent = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            x = parent[x]
        return x

    for r in links:
        parent[find(r[-2])] = find(r[-1])
    return all(find(r[-2]) == find(r[-1]) for r in pairs)


def main() -> None:
    cfg = events.settings()
    arts, stmts, label = labelled()
    arts.sort(key=lambda a: a["article_id"])
    by = {}
    for s in stmts:
        by.setdefault(s["article_id"], []).append(s)
    profiles = [events.profile(a, by.get(a["article_id"], [])) for a in arts]
    weights = events.feature_weights(profiles)
    vecs = events.vectors(profiles, weights)
    candidates = {(e.i, e.j): e for e in events.evidence(profiles, cfg)}
    same, other = [], []
    for i, j in itertools.combinations(range(len(arts)), 2):
        e = candidates.get((i, j))
        cos = events._cosine(vecs[i], vecs[j])
        row = (cos, events._cosine(vecs[i], vecs[j], "w:"), e.shared_quotes if e else len(events.shared_statements(profiles[i], profiles[j])),
               e is not None, arts[i]["raw_path"], arts[j]["raw_path"])
        (same if label[arts[i]["article_id"]] == label[arts[j]["article_id"]] else other).append(row)
    print("same-event pairs: cosine, its part from plain words, shared statement runs, candidate")
    for r in sorted(same, reverse=True):
        print(f"  {r[0]:.3f} {r[1]:.3f} {r[2]:3d} {'y' if r[3] else 'n'}  {r[4]} ~ {r[5]}")
    print("closest different-event pairs")
    for r in sorted(other, reverse=True)[:15]:
        print(f"  {r[0]:.3f} {r[1]:.3f} {r[2]:3d} {'y' if r[3] else 'n'}  {r[4]} ~ {r[5]}")
    quote_min = max(2, max(r[2] for r in other) + 1)
    print(f"\nquote_min: {quote_min} (most statement runs two different events share: {max(r[2] for r in other)})")
    # (link_min, words_min): no different-event pair linked, every true event connected by
    # its links (clustering is transitive, so a chain is enough); the middle of that region
    feasible = []
    for c in [x / 100 for x in range(5, 41)]:
        for w in [x / 100 for x in range(0, 21)]:
            if any(r[0] >= c and r[1] >= w for r in other):
                continue
            # connected without statement links: coverage that shares no statement must
            # still hold together on its words
            links = [r for r in same if r[0] >= c and r[1] >= w]
            if connected(links, same):
                feasible.append((c, w))
    if not feasible:
        print("no (link_min, words_min) keeps every event connected without a wrong link")
    else:
        cs, ws = sorted({c for c, _ in feasible}), sorted({w for _, w in feasible})
        w_mid = ws[len(ws) // 2]
        c_at = sorted(c for c, w in feasible if w == w_mid)
        print(f"(link_min, words_min) with no wrong link and every event connected by them alone: link_min "
              f"{cs[0]}..{cs[-1]}, words_min {ws[0]}..{ws[-1]}; middle: words_min {w_mid}, "
              f"link_min {c_at[len(c_at) // 2]}")

    grouping = events.cluster(arts, stmts)
    ev = grouping.event_of
    tp = fp = fn = 0
    for a, b in itertools.combinations(sorted(ev), 2):
        s, t = label[a] == label[b], ev[a] == ev[b]
        tp += s and t
        fp += t and not s
        fn += s and not t
    print(f"\nwith the data file (link_min {cfg['link_min']}, words_min {cfg['words_min']}, quote_min "
          f"{cfg['quote_min']}): {len(set(ev.values()))} events for {len(set(label.values()))} true; pairwise "
          f"precision {tp / max(1, tp + fp):.3f} recall {tp / max(1, tp + fn):.3f}")
    path = {a["article_id"]: a["raw_path"] for a in arts}
    for eid, ids in sorted(grouping.members.items(), key=lambda kv: -len(kv[1])):
        if len(ids) > 1 or any(label[x] != label[ids[0]] for x in ids):
            print(f"  {eid} {sorted(path[x] for x in ids)}")
    for w in events.date_warnings(arts, grouping):
        print(f"  warning: {w['path']}: {w['message']}")


if __name__ == "__main__":
    main()
