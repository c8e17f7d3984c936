"""Events on arrays (crosswire.eventarrays): the same evidence, links and tying terms as the
per-pair definitions in crosswire.events, to the last bit, and slim rows once stored."""
import hashlib
import random
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest
from conftest import articles_and_statements

from crosswire import align, copies, eventarrays, eventincremental, events, eventstore

CORPORA = Path(__file__).parent / "corpora"


@pytest.fixture(scope="module")
def repeated():
    """The press-conference and held-out corpora, the press conference four times over (each
    copy ten days later, so that terms every copy shares make long posting lists that the
    date window cuts), some articles undated."""
    arts, stmts = articles_and_statements(CORPORA / "presser")
    more_a, more_s = articles_and_statements(CORPORA / "heldout" / "raw")
    out_a, out_s = [dict(a, article_id="h" + a["article_id"]) for a in more_a], \
        [dict(s, article_id="h" + s["article_id"]) for s in more_s]
    for r in range(4):
        for k, a in enumerate(arts):
            b = dict(a, article_id=f"{a['article_id']}_{r}")
            if b.get("published") and (r, k) not in ((1, 2), (2, 5)):
                b["published"] += timedelta(days=10 * r)
            else:
                b["published"] = None
            out_a.append(b)
        out_s += [dict(s, article_id=f"{s['article_id']}_{r}") for s in stmts]
    return sorted(out_a, key=lambda a: a["article_id"]), out_s


def both(arts, stmts):
    cfg = events.settings()
    by = defaultdict(list)
    for s in stmts:
        by[s["article_id"]].append(s)
    corpus = events.article_profiles(arts, by, cfg["statement_ngram"])
    profiles = [events.profile(a, by[a["article_id"]], cfg["statement_ngram"]) for a in arts]
    return cfg, corpus, profiles


@pytest.mark.parametrize("window", [None, timedelta(days=3)])
def test_links_are_the_linked_evidence_of_the_per_pair_definition(repeated, window):
    arts, stmts = repeated
    cfg, corpus, profiles = both(arts, stmts)
    weights = events.feature_weights(profiles)
    idf = corpus.weights()
    assert all(idf[g] == weights[corpus.text(g)] for g in range(corpus.features))
    unit = corpus.unit_vectors(idf)
    for i, vec in enumerate(events.vectors(profiles, weights)):
        s = corpus.entries(i)
        assert dict(zip((corpus.text(g) for g in corpus.fid[s].tolist()), unit[s].tolist())) == vec
    expected = [e for e in events.evidence(profiles, cfg, window, weights) if events.linked(e, cfg)]
    got = events.links(corpus, [a["published"] for a in arts], cfg, window, unit)
    assert len(expected) > 100 and got.evidence() == expected        # the same pairs and the same floats


def old_tying_terms(members, weights, k):
    """events.tying_terms on profiles (as of v2.1.0), the reference."""
    df = Counter(f for p in members for f in p.tf)
    surface = defaultdict(Counter)
    for p in members:
        for f, c in p.surface.items():
            surface[f].update(c)
    ranked = sorted((f for f, c in df.items() if c >= 2), key=lambda f: (-df[f] * weights[f], f))
    name_words = {w for f in ranked if f[:2] in ("n:", "p:") for w in f[2:].lower().split()}
    out, seen = [], set()
    for f in ranked:
        text = events._display(f, surface[f])
        if f.startswith("w:") and text.lower() in name_words:
            continue
        if text.lower() not in seen:
            seen.add(text.lower())
            out.append(text)
        if len(out) == k:
            break
    quoted = next((f for f in ranked if f.startswith("q:")), None)
    if quoted and out and not any(t.startswith('"') for t in out):
        out[-1] = events._display(quoted, surface[quoted])
    return out


def test_tying_terms_are_those_of_the_profiles(repeated):
    arts, stmts = repeated
    cfg, corpus, profiles = both(arts, stmts)
    grouping = events.cluster(arts, stmts)
    index = {a["article_id"]: i for i, a in enumerate(arts)}
    weights, idf = events.feature_weights(profiles), corpus.weights()
    checked = 0
    for eid, ids in grouping.members.items():
        idx = [index[a] for a in ids]
        expected = old_tying_terms([profiles[i] for i in idx], weights, cfg["report_terms"])
        assert events.tying_terms(corpus, idx, idf, cfg["report_terms"]) == expected == grouping.tied[eid]
        checked += len(idx) > 1
    assert checked >= 4


def old_block_pairs(keys_of, max_posting=48, window=8):
    """align.block_pairs as a Python walk (as of v2.1.0), the reference."""
    postings = defaultdict(list)
    for item, keys in keys_of.items():
        for k in keys:
            postings[k].append(item)
    out = set()
    for k, items in postings.items():
        if len(items) <= max_posting:
            out |= {tuple(sorted((items[a], items[b]))) for a in range(len(items)) for b in range(a + 1, len(items))}
            continue
        ring = sorted(items, key=lambda it: align._salted(k, it))
        out |= {tuple(sorted((ring[a], ring[(a + s) % len(ring)]))) for a in range(len(ring))
                for s in range(1, window + 1)}
    return out


def test_block_pairs_are_the_pairs_of_the_posting_walk():
    rng = random.Random(5)
    vocab = [f"term{k}" for k in range(60)]
    keys_of = {i: set(rng.sample(vocab[:8], 2) + rng.sample(vocab, rng.randint(0, 6))) for i in range(300)}
    got = align.block_pairs(keys_of)
    assert set(map(tuple, got.tolist())) == old_block_pairs(keys_of)
    assert got.tolist() == sorted(got.tolist())
    # numbered keys salted by their text pair as the text did
    number = {t: k for k, t in enumerate(vocab)}
    numbered = {i: np.array(sorted(number[t] for t in ks)) for i, ks in keys_of.items()}
    assert align.block_pairs(numbered, salt_of=vocab.__getitem__).tolist() == got.tolist()


def test_a_stored_article_needs_no_text(repeated, tmp_path):
    arts, stmts = repeated
    arts = [dict(a, text_sha256=hashlib.sha256(a["text"].encode()).hexdigest()) for a in arts]
    fresh, fresh_copies = events.cluster(arts, stmts), copies.copy_rows(arts, stmts)
    new = next(a["article_id"] for a in arts if a["article_id"].startswith("h"))   # one of a kind
    events.cluster([a for a in arts if a["article_id"] != new], stmts, store_root=tmp_path)
    copies.copy_rows([a for a in arts if a["article_id"] != new], stmts, tmp_path)
    text = {a["article_id"]: a["text"] for a in arts}
    asked = []

    def text_of(aid):
        asked.append(aid)
        return text[aid]

    slim = [{k: v for k, v in a.items() if k != "text"} for a in arts]
    counts = {}
    assert events.cluster(slim, stmts, store_root=tmp_path, counts=counts, text_of=text_of) == fresh
    assert counts["profiled"] == 1 and asked == [new]
    assert copies.copy_rows(iter(slim), stmts, tmp_path, counts, text_of=text_of) == fresh_copies
    assert counts["indexed"] == 1 and asked == [new] * 2


def test_a_record_round_trips_what_tying_terms_read():
    p = events.profile({"article_id": "a", "title": "Harbour Bridge reopens", "standfirst": None,
                        "text": "Mayor Elena Marsh said the harbour bridges reopened."},
                       [{"speaker_name": "Elena Marsh", "text": "the cables were checked twice over",
                         "kind": "direct"}])
    record = eventarrays.encode(p.tf, p.runs, p.quotes, p.surface, {"harbour": 4}, events.feature_weight,
                                p.run_statement)
    assert eventarrays.is_record(record)
    corpus = eventarrays.Corpus([record])
    texts = [corpus.text(g) for g in corpus.fid.tolist()]
    assert texts == list(p.tf) and corpus.tf.tolist() == list(p.tf.values())
    for g, f in zip(corpus.fid.tolist(), texts):
        assert corpus.surface(0, g) == dict(p.surface[f])
    assert {corpus.text(g) for g in corpus.flagged(0, eventarrays.RUN).tolist()} == p.runs
    assert {corpus.text(g) for g in corpus.flagged(0, eventarrays.QUOTE).tolist()} == p.quotes
    assert {corpus.text(g): k for g, k in zip(corpus.fid.tolist(), corpus.statement.tolist()) if k >= 0} == \
        p.run_statement
    assert eventarrays.label_words(record) == {"harbour": 4}


@pytest.mark.parametrize("days", [None, 3])
def test_pairs_made_in_small_blocks_are_the_pairs_of_one_pass(monkeypatch, days):
    """pairs_sharing makes its pairs a block of entries at a time (memory): the block size
    changes nothing, whatever keys many articles share."""
    rng = np.random.default_rng(3)
    n = 400
    keys = [np.unique(rng.integers(0, 50, rng.integers(0, 12))) for _ in range(n)]
    day = rng.integers(20_000, 20_030, n)
    dated = rng.random(n) > 0.2
    whole = eventarrays.pairs_sharing(keys, day, dated, days)
    assert len(whole) > 5_000
    held = [set(k.tolist()) for k in keys]     # the definition, pair by pair
    expected = [i * n + j for i in range(n) for j in range(i + 1, n) if held[i] & held[j]
                and (days is None or not (dated[i] and dated[j]) or abs(int(day[i]) - int(day[j])) <= days)]
    assert whole.tolist() == expected
    for block in (1, 97, 4_096):
        monkeypatch.setattr(eventarrays, "PAIRS_BLOCK", block)
        assert eventarrays.pairs_sharing(keys, day, dated, days).tolist() == whole.tolist()
    assert eventarrays.pairs_sharing([np.zeros(0, np.int64)] * 3, day[:3], dated[:3], days).tolist() == []


def test_stored_links_are_the_links_and_an_added_article_scores_only_its_pairs(repeated, tmp_path):
    """The link store: after a run on all but one article, the run with it scores only the
    pairs that touch it and finds the links a run without a store finds, to the last bit;
    the grouping is the cold run's."""
    arts, stmts = repeated
    cfg, corpus, _ = both(arts, stmts)
    published = [a["published"] for a in arts]
    window = timedelta(days=cfg["window_days"])
    unit = corpus.unit_vectors(corpus.weights())
    cold = events.links(corpus, published, cfg, window, unit)
    new = len(arts) // 2
    events.cluster(arts[:new] + arts[new + 1:], stmts, store_root=tmp_path)
    counts = {}
    warm = events.cluster(arts, stmts, store_root=tmp_path, counts=counts)
    assert counts["profiled"] <= 1            # (a copy of the article may be stored already)
    first = {}
    events.links(corpus, published, cfg, window, unit, np.arange(len(arts)) == new, first)
    assert counts["pairs_scored"] == first["pairs_scored"] > 0
    by = defaultdict(list)
    for s in stmts:
        by[s["article_id"]].append(s)
    keys = [events.profile_key(a, by[a["article_id"]], cfg["statement_ngram"]) for a in arts]
    idents = [eventincremental.ident(a["article_id"], k, a["published"]) for a, k in zip(arts, keys)]
    assert eventincremental.stored_links(tmp_path, window) == \
        {(idents[e.i], idents[e.j], e.cosine, e.words, e.shared_quotes) for e in cold.evidence()}
    assert warm == events.cluster(arts, stmts)
    assert 0 < counts["regrouped"] < len(arts)      # the other stories kept their events unread


def test_an_added_article_changes_only_the_event_it_joins(repeated):
    """Links depend on the two articles alone: adding an article leaves every event it does
    not touch as it was, with its id: the one it joins, and those that held an article of
    that one (here one that had joined a later copy by its quotations, alone without the
    added article, and comes back to it; the held-out stories beside four press-conference
    copies)."""
    arts, stmts = repeated
    before = events.cluster(arts[1:], stmts)
    after = events.cluster(arts, stmts, previous=before.event_of)
    joined = set(after.members[after.event_of[arts[0]["article_id"]]])
    near = joined.union(*(m for m in before.members.values() if joined & set(m)))
    assert sum(map(len, after.members.values())) == len(arts)
    assert {e: m for e, m in before.members.items() if not near & set(m)} == \
        {e: m for e, m in after.members.items() if not near & set(m)}


def stored_keys(root) -> set:
    """(article ident, key hash, flag) of the blocking keys a store's state holds."""
    state = eventstore.load_state(eventincremental._store(root, timedelta(days=events.settings()["window_days"]))
                                  .get("state"))
    return {(state.idents[o], h, f) for o, h, f in
            zip(state.key_owner.tolist(), state.key_hash.tolist(), state.key_flag.tolist())}


def _cold_store(arts, stmts, previous, root):
    events.cluster(arts, stmts, previous, store_root=root)
    return root


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_regrouping_what_changed_is_the_cold_grouping_run_after_run(repeated, tmp_path, seed):
    """A run with the store regroups only the components that changed articles touch; over
    runs that add, remove, edit and redate articles (some with a sidecar key, a damaged link
    shard once), and that add and remove undated articles and take an article's date away
    or give it one, each grouping equals the grouping from scratch with the same
    `previous`, and an added article leaves most articles unregrouped."""
    arts, stmts = repeated
    rng = random.Random(seed)
    pool = [dict(a, event_key="k-desk") if k % 17 == 3 else a for k, a in enumerate(arts)]
    held = set(rng.sample(range(len(pool)), len(pool) // 3))
    now = {k: pool[k] for k in range(len(pool)) if k not in held}
    dates = sorted(a["published"] for a in pool if a["published"])
    previous, regrouped, attached = {}, [], 0
    for step in range(6):
        if step:
            for k in rng.sample(sorted(held), 2):
                held.discard(k)
                now[k] = pool[k]
            gone = rng.choice(sorted(now))
            del now[gone]
            held.add(gone)
            edit = rng.choice(sorted(now))
            when = now[edit]["published"]
            now[edit] = dict(now[edit], title=now[edit]["title"] + " (update)",
                             published=when + timedelta(days=2) if when and step % 2 else when)
            undated_held = [k for k in sorted(held) if pool[k]["published"] is None]
            if undated_held:
                k = rng.choice(undated_held)
                held.discard(k)
                now[k] = pool[k]
            undated_now = [k for k in sorted(now) if now[k]["published"] is None and k != edit]
            if undated_now:
                k = rng.choice(undated_now)
                del now[k]
                held.add(k)
            flip = rng.choice(sorted(set(now) - {edit}))
            now[flip] = dict(now[flip], published=None if now[flip]["published"] else dates[flip % len(dates)])
        if step == 4:
            shard = max((tmp_path / "event-links").glob("links-*.bin"), key=lambda b: b.stat().st_size)
            shard.write_bytes(shard.read_bytes()[:-3])
        run = sorted(now.values(), key=lambda a: a["article_id"])
        counts = {}
        warm = events.cluster(run, stmts, previous, store_root=tmp_path, counts=counts)
        assert warm == events.cluster(run, stmts, previous), f"step {step}"
        # the key index a later run finds candidates in is the one a run from scratch stores
        # (the regrouped articles' stored keys carried, the changed ones' made)
        assert stored_keys(tmp_path) == stored_keys(_cold_store(run, stmts, previous, tmp_path / f"cold{step}")), \
            f"step {step}"
        regrouped.append(counts["regrouped"] / len(run))
        previous = warm.event_of
        state = eventstore.load_state(eventincremental._store(tmp_path, timedelta(days=events.settings()["window_days"]))
                                      .get("state"))
        attached += int((state.target >= 0).sum())
    assert attached   # undated groups did join dated ones
    # the first run and the one after the damaged shard group everything; the others do not
    assert regrouped[0] == regrouped[4] == 1.0
    assert max(regrouped[1:4] + regrouped[5:]) < 1.0


def test_an_article_alone_reaches_the_stored_holders_of_its_runs(tmp_path):
    """Step 2 across stored components: an article dated far from everything shares two
    quotations with a stored event; it joins as a cold run joins it, through the stored run
    index and step 1 groups (and the statements of that event's articles, read to count what
    they carry), without regrouping that event's component (nor the museum)."""
    said = ["the new harbour ferries will carry twice the passengers from next spring onwards",
            "ticket prices for island residents stay frozen until the end of the decade"]

    def art(aid, day, title):
        return {"article_id": aid, "source_id": aid[:3], "title": title, "standfirst": None,
                "text": f"{title}. Officials spoke on the quay.", "raw_path": aid,
                "published": datetime(2026, 3, day, 9, tzinfo=timezone.utc), "event_key": None}

    def quotes(aid, k=2):
        return [{"statement_id": f"{aid}-s{n}", "article_id": aid, "speaker_name": "Ines Varga",
                 "speaker_id": "ines-varga", "text": q, "kind": "direct"} for n, q in enumerate(said[:k])]

    first = [art("aaa1", 2, "Ferry fleet doubles"), art("bbb1", 2, "Harbour ferries expand service"),
             art("ccc1", 20, "Museum reopens its glass wing")]
    stmts = quotes("aaa1") + quotes("bbb1")
    events.cluster(first, stmts, store_root=tmp_path)
    late = dict(art("ddd1", 2, "Island letters page"), published=datetime(2025, 1, 1, tzinfo=timezone.utc))
    counts = {}
    warm = events.cluster(first + [late], stmts + quotes("ddd1"), store_root=tmp_path, counts=counts)
    cold = events.cluster(first + [late], stmts + quotes("ddd1"))
    assert warm == cold and warm.event_of["ddd1"] == warm.event_of["aaa1"]
    assert counts["regrouped"] == 1               # step 1 on the new article alone
    # one quotation carried again is not enough from that far: it stays alone, warm as cold
    one = events.cluster(first + [late], stmts + quotes("ddd1", 1), store_root=tmp_path)
    assert one == events.cluster(first + [late], stmts + quotes("ddd1", 1))
    assert one.event_of["ddd1"] != one.event_of["aaa1"]


def test_a_run_with_nothing_changed_regroups_nothing(repeated, tmp_path):
    arts, stmts = repeated
    cold = events.cluster(arts, stmts, store_root=tmp_path)
    counts = {}
    assert events.cluster(arts, stmts, cold.event_of, store_root=tmp_path, counts=counts) == \
        events.cluster(arts, stmts, cold.event_of)
    assert counts["regrouped"] == counts["profiled"] == 0


def test_an_undated_group_outside_the_regrouped_part_chooses_again(repeated, tmp_path):
    """An undated copy of a story reads like its dated copies in every ten-day block; it
    joins the block its links weigh most towards. Without its twin in that block it joins
    another; adding the twin (whose block alone is regrouped) moves it back, as a cold run
    places it, although its own component was not regrouped."""
    arts, stmts = repeated
    by_id = {a["article_id"]: a for a in arts}
    u = next(aid for aid, a in by_id.items() if not aid.startswith("h") and a["published"] is None
             and any((by_id.get(f"{aid[:-2]}_{r}") or {}).get("published") for r in range(4)))

    def block(g):   # the copy whose dates its event spans
        start = g.dated[g.event_of[u]][0]
        return next(r for r in range(4) if (by_id.get(f"{u[:-2]}_{r}") or {}).get("published")
                    and abs(by_id[f"{u[:-2]}_{r}"]["published"] - start) < timedelta(days=5))

    full = events.cluster(arts, stmts)
    home = block(full)
    twin = f"{u[:-2]}_{home}"
    before = events.cluster([a for a in arts if a["article_id"] != twin], stmts, store_root=tmp_path)
    assert block(before) != home
    counts = {}
    warm = events.cluster(arts, stmts, before.event_of, store_root=tmp_path, counts=counts)
    assert warm == events.cluster(arts, stmts, before.event_of)
    assert sorted(full.members.values()) == sorted(warm.members.values()), [sorted(m) for m in full.members.values() if u in m]
    assert block(warm) == home
    assert counts["regrouped"] < len(arts) // 2


def test_a_link_refused_before_merges_once_the_group_at_its_end_changes(tmp_path):
    """Two components joined only by a refused link: the barrier story (day 3) went with its
    twin of day 1, so its weaker link to the moorings story (day 6) would have stretched the
    event past the window. Without the twin, the link merges the two: the component beyond
    the regrouped one is taken in, as a run from scratch groups them."""
    barrier = "The tidal barrier across the estuary will close its sluice gates during spring floods, engineers said."
    ferry = "Ferry crews warned the dredging schedule would strand the pontoon moorings until autumn."

    def art(aid, day, title, text):
        return {"article_id": aid, "source_id": aid[:3], "title": title, "standfirst": None, "text": text,
                "raw_path": aid, "published": datetime(2026, 3, day, 9, tzinfo=timezone.utc), "event_key": None}

    twin = art("xxx1", 1, "Estuary barrier approved", barrier + " " + barrier.replace("engineers", "surveyors"))
    story = art("aaa1", 3, "Estuary barrier approved", barrier + " " + ferry)
    moorings = art("bbb1", 6, "Pontoon moorings stranded", ferry + " " + ferry.replace("crews", "skippers"))
    before = events.cluster([story, moorings, twin], [], store_root=tmp_path)
    assert sorted(before.members.values()) == [["aaa1", "xxx1"], ["bbb1"]]
    counts = {}
    after = events.cluster([story, moorings], [], before.event_of, store_root=tmp_path, counts=counts)
    assert after == events.cluster([story, moorings], [], before.event_of)
    assert sorted(after.members.values()) == [["aaa1", "bbb1"]] and counts["regrouped"] == 2
    again = events.cluster([story, moorings, twin], [], after.event_of, store_root=tmp_path)
    assert again == events.cluster([story, moorings, twin], [], after.event_of)
    assert sorted(again.members.values()) == [["aaa1", "xxx1"], ["bbb1"]]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_merged_distinct_values_are_the_union(seed):
    """merge_distinct (pairs_sharing's blocks merged one by one) is the sorted union, each
    value once, whatever the two arrays overlap, in the arrays' own type."""
    rng = np.random.default_rng(seed)
    for size_a, size_b in ((0, 0), (0, 7), (9, 0), (300, 40), (40, 300), (1_000, 1_000)):
        a = np.unique(rng.integers(0, 2_000, size_a)).astype(np.int32)
        b = np.unique(rng.integers(0, 2_000, size_b)).astype(np.int32)
        got = eventarrays.merge_distinct(a, b)
        assert got.tolist() == np.union1d(a, b).tolist() and got.dtype == np.int32
