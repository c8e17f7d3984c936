"""The cross-source stage with its store (issue 11, one added article): each article's
statements are digested once (crosswire.eventinputs) and kept by their cache key, so a run
reads the statements only of what it works on; the events' parts the memo holds are read
only when asked for; the copy ids of known pairs are kept. Run after run of adds, removals,
edits and redates, the result equals the stage's without any store."""
import random
import shutil
from datetime import timedelta

import numpy as np
import pytest
from conftest import articles_and_statements

from crosswire import cache, copies, copystore, corroborate, eventinputs

CORPORA = __import__("pathlib").Path(__file__).parent / "corpora"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The press conference, the held-out, the ferry and the wire corpora together: events
    of several outlets, undated articles and shared copy (the wire corpus without its exact
    repost, which ingest rejects)."""
    wire = tmp_path_factory.mktemp("wire") / "raw"
    shutil.copytree(CORPORA / "wire", wire)
    for f in wire.glob("agency/repost.*"):
        f.unlink()
    arts, stmts = [], []
    for raw in (CORPORA / "presser", CORPORA / "heldout" / "raw", CORPORA / "ferry", wire):
        a, s = articles_and_statements(raw)
        arts += a
        stmts += s
    assert len({a["article_id"] for a in arts}) == len(arts)
    assert len({s["statement_id"] for s in stmts}) == len(stmts)
    return cache.canonical(arts), cache.canonical(stmts)


class Reads:
    """article_id -> its statements (a cache.StageRows stand-in), noting which were read."""

    def __init__(self, by_article: dict):
        self.by_article, self.read = by_article, set()
        self.keys = {aid: cache.digest("statements", rows) for aid, rows in by_article.items()}

    def __call__(self, article_id):
        self.read.add(article_id)
        return self.by_article.get(article_id, [])


def stream(arts, stmts, previous, root):
    by_article = {a["article_id"]: [] for a in arts}
    for s in stmts:
        by_article[s["article_id"]].append(s)
    reads = Reads(by_article)
    texts = {a["article_id"]: a["text"] for a in arts}
    memo = cache.Memo(cache.Cache(root), "events", "test-code")
    xs = corroborate.cross_source_stream([corroborate.slim_article(a) for a in arts], reads, texts.__getitem__,
                                         previous, memo=memo, store_root=root, statement_keys=reads.keys)
    return xs, reads


def as_lists(xs) -> tuple:
    """The stream's tables as cross_source's lists."""
    return (xs.articles, sorted(xs.statements(), key=lambda s: s["statement_id"]), xs.events,
            sorted(xs.agreements, key=lambda r: r["agreement_id"]), sorted(xs.utterances, key=lambda r: r["utterance_id"]),
            list(xs.copies), xs.warnings)


def without_text(lists: corroborate.CrossSource) -> tuple:
    return tuple(lists._replace(articles=[corroborate.slim_article(a) for a in lists.articles]))


@pytest.mark.parametrize("seed,compact", [(1, copystore.COMPACT), (2, copystore.COMPACT), (3, 0.01)])
def test_runs_with_the_store_equal_the_stage_without_it_and_read_only_what_changed(corpus, tmp_path, monkeypatch,
                                                                                     seed, compact):
    """compact=0.01: the copies' base is never rewritten after the first run (crosswire.copystore:
    what later runs add and remove is in its log only)."""
    monkeypatch.setattr(copystore, "COMPACT", compact)
    arts, stmts = corpus
    rng = random.Random(seed)
    pool = {a["article_id"]: a for a in arts}
    said = {aid: [s for s in stmts if s["article_id"] == aid] for aid in pool}
    held = set(rng.sample(sorted(pool), len(pool) // 4))
    now = {aid: pool[aid] for aid in pool if aid not in held}
    previous, keys_before = {}, {}
    for step in range(5):
        changed = set()
        if step:
            for aid in rng.sample(sorted(held), 2):       # two arrive
                held.discard(aid)
                now[aid] = pool[aid]
                changed.add(aid)
            gone = rng.choice(sorted(now))                 # one is withdrawn
            del now[gone]
            held.add(gone)
            edit = rng.choice(sorted(aid for aid in now if said[aid]))   # one statement corrected
            said[edit] = [dict(s, text=s["text"] + " again") if k == 0 else s for k, s in enumerate(said[edit])]
            redate = rng.choice(sorted(aid for aid in now if now[aid].get("published")))
            now[redate] = dict(now[redate], published=now[redate]["published"] + timedelta(days=1))
            changed |= {edit, redate}
        run = sorted(now.values(), key=lambda a: a["article_id"])
        run_stmts = [s for a in run for s in said[a["article_id"]]]
        xs, reads = stream(run, run_stmts, previous, tmp_path / "store")
        # nothing of the statements read but those of the changed articles and of the events aligned again
        aligned = {e for e, k in xs.event_keys.items() if keys_before.get(e) != k}
        event_of = {a["article_id"]: a["event_id"] for a in xs.articles}
        if step:
            assert reads.read <= changed | {aid for aid, e in event_of.items() if e in aligned}, f"step {step}"
            assert len(reads.read) < len(run)
        assert as_lists(xs) == without_text(corroborate.cross_source(run, run_stmts, previous)), f"step {step}"
        assert len(xs.agreements) == len(list(xs.agreements)) and len(xs.utterances) == len(list(xs.utterances))
        previous, keys_before = event_of, dict(xs.event_keys)


def test_an_event_part_lost_from_the_memo_is_made_again_when_asked(corpus, tmp_path):
    arts, stmts = corpus
    first, _ = stream(arts, stmts, {}, tmp_path)
    for entry in (tmp_path / "events").rglob("*"):
        if entry.is_file():
            entry.unlink()
    again, reads = stream(arts, stmts, {}, tmp_path)
    assert not reads.read   # nothing aligned while the stage ran: the parts are read when asked
    assert as_lists(again) == as_lists(first)


def test_summaries_are_kept_by_the_statements_key_and_made_again_for_a_new_key(corpus, tmp_path):
    arts, stmts = corpus
    by_article = {a["article_id"]: sorted((s for s in stmts if s["article_id"] == a["article_id"]),
                                          key=lambda s: s["statement_id"]) for a in arts}
    keys = {aid: cache.digest(rows) for aid, rows in by_article.items()}
    ids = sorted(by_article)
    counts = {}
    made = eventinputs.summaries(ids, by_article.__getitem__, keys, tmp_path, counts)
    assert counts["summarised"] == len(ids)
    assert made == {aid: eventinputs.summary(by_article[aid]) for aid in ids}
    assert eventinputs.summaries(ids, None, keys, tmp_path, counts) == made and counts["summarised"] == 0
    one = next(aid for aid in ids if by_article[aid])
    by_article[one] = by_article[one][1:]
    keys[one] = cache.digest(by_article[one])
    again = eventinputs.summaries(ids, by_article.__getitem__, keys, tmp_path, counts)
    assert counts["summarised"] == 1 and again[one] == eventinputs.summary(by_article[one])


def test_kept_copy_ids_are_the_ids_and_a_damaged_store_of_them_is_not_trusted(corpus, tmp_path):
    arts, stmts = corpus
    fresh = copies.copy_rows(arts, stmts)
    assert fresh
    assert copies.copy_rows(arts[1:], stmts, tmp_path) == copies.copy_rows(arts[1:], stmts)
    assert copies.copy_rows(arts, stmts, tmp_path) == fresh     # the known pairs' ids kept, the new made
    keys = sorted((tmp_path / "copies").glob("base-*-pair_key.npy"))
    assert keys
    for path in keys:   # damaged: the store is not trusted, the ids made again
        path.write_bytes(path.read_bytes()[:-7])
    counts = {}
    assert copies.copy_rows(arts, stmts, tmp_path, counts) == fresh and counts["indexed"] == len(arts)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_copy_ids_merged_into_the_kept_order_are_those_of_a_run_without_them(seed):
    """The pairs of the base keep their copy_id order, the others (added since, in any
    order) are sorted in, the dead left out: the order and ids are a fresh run's."""
    rng = random.Random(seed)
    ids = [f"desk{k:03d}" for k in range(80)]
    pairs = sorted({tuple(sorted(rng.sample(range(80), 2))) for _ in range(400)})
    keys = np.array([copies.copy_id(ids[i], ids[j]).encode("ascii") for i, j in pairs], "S20")
    in_base = rng.randrange(len(pairs))
    first = np.argsort(keys[:in_base], kind="stable")          # the base, in copy_id order
    rest = rng.sample(range(in_base, len(pairs)), len(pairs) - in_base)
    keys = np.concatenate([keys[:in_base][first], keys[rest]])
    live = np.array([rng.random() < .8 for _ in keys], bool)
    order = copystore.copy_order(keys, in_base, live)
    assert keys[order].tolist() == sorted(keys[live].tolist())
    assert sorted(order.tolist()) == np.flatnonzero(live).tolist()
