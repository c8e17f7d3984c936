"""Incremental cross-source work: an event is aligned again only when its inputs changed,
and the result is the one a full recompute gives (issue 13)."""
import shutil
from pathlib import Path

import pytest
from conftest import articles_and_statements, hold_back

from crosswire import cache, cli, corroborate

PRESSER = Path(__file__).parent / "corpora" / "presser"
LATE = "eveningstar/door-open.txt"  # joins the press conference, the corpus's largest event


class DictMemo:
    """corroborate.Memo over a dict, counting what it was asked for."""

    def __init__(self):
        self.entries, self.hits, self.misses = {}, 0, 0

    def get(self, key):
        value = self.entries.get(key)
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def put(self, key, value):
        self.entries[key] = value


@pytest.fixture(scope="module")
def presser():
    """tests/corpora/presser as the pipeline makes it: (articles, statements)."""
    arts, stmts = articles_and_statements(PRESSER)
    return cache.canonical(arts), cache.canonical(stmts)


def without(arts, stmts, path):
    gone = {a["article_id"] for a in arts if a["raw_path"] == path}
    assert len(gone) == 1
    return [a for a in arts if a["article_id"] not in gone], [s for s in stmts if s["article_id"] not in gone]


def per_event_bytes(xs) -> str:
    """The tables the per-event parts make, as the cache would write them."""
    return cache.dumps([xs.agreements, xs.utterances, xs.statements])


def events_with_statements(xs) -> set:
    event_of = {a["article_id"]: a["event_id"] for a in xs.articles}
    return {event_of[s["article_id"]] for s in xs.statements}


def test_one_new_article_recomputes_its_event_only_and_equals_a_full_recompute(presser):
    arts, stmts = presser
    first_arts, first_stmts = without(arts, stmts, LATE)
    memo = DictMemo()
    first = corroborate.cross_source(first_arts, first_stmts, memo=memo)
    parts = events_with_statements(first)
    assert len(parts) >= 3 and first.agreements
    assert (memo.misses, memo.hits) == (len(parts), 0)

    memo.misses = memo.hits = 0
    again = corroborate.cross_source(first_arts, first_stmts, memo=memo)
    assert (memo.misses, memo.hits) == (0, len(parts))
    assert again == first and per_event_bytes(again) == per_event_bytes(first)

    # the next release: event ids follow the previous one, as in the flow
    previous = {a["article_id"]: a["event_id"] for a in first.articles}
    memo.misses = memo.hits = 0
    second = corroborate.cross_source(arts, stmts, previous, memo=memo)
    # healthweek (misdated) was alone: the conference's other articles carried one of its
    # statements; the late article carries a second, so it joins too (events.toml
    # far_statements_min) and its own event is gone, not aligned again
    absorbed = {previous[a["article_id"]] for a in second.articles if a["raw_path"] == "healthweek/nurses-cautious.txt"}
    assert absorbed <= parts and absorbed.isdisjoint(a["event_id"] for a in second.articles)
    assert (memo.misses, memo.hits) == (1, len(parts) - 1 - len(absorbed))
    full = corroborate.cross_source(arts, stmts, previous)
    assert second == full
    assert per_event_bytes(second) == per_event_bytes(full)
    # and the recomputed event is the one the article joined, which did change
    late = next(a for a in second.articles if a["raw_path"] == LATE)
    changed = {r["event_id"] for r in second.utterances} - {r["event_id"] for r in first.utterances} | {
        e for e in parts if [r for r in second.utterances if r["event_id"] == e]
        != [r for r in first.utterances if r["event_id"] == e]}
    assert changed <= {late["event_id"]} | absorbed
    assert len([s for s in stmts if s["article_id"] == late["article_id"]]) > 0


def test_a_changed_statement_recomputes_only_its_event(presser):
    arts, stmts = presser
    memo = DictMemo()
    first = corroborate.cross_source(arts, stmts, memo=memo)
    event_of = {a["article_id"]: a["event_id"] for a in first.articles}
    small = sorted(events_with_statements(first), key=lambda e: sum(event_of[s["article_id"]] == e for s in stmts))[0]
    target = next(s for s in stmts if event_of[s["article_id"]] == small)
    edited = [dict(s, confidence=0.5 if s.get("confidence") != 0.5 else 0.25) if s is target else s for s in stmts]
    memo.misses = memo.hits = 0
    second = corroborate.cross_source(arts, edited, memo=memo)
    assert memo.misses == 1
    assert second == corroborate.cross_source(arts, edited)


def test_a_damaged_memo_entry_is_computed_again_not_trusted(presser):
    arts, stmts = presser
    memo = DictMemo()
    full = corroborate.cross_source(arts, stmts, memo=memo)
    memo.entries = {k: {"agreements": []} for k in memo.entries}
    assert corroborate.cross_source(arts, stmts, memo=memo) == full
    assert all(set(v) == set(corroborate.EventPart._fields) for v in memo.entries.values())


def test_an_events_inputs_hold_only_that_event(presser):
    """The key covers exactly what event_part reads: a name or copy pair of another event
    never invalidates it, and nothing it reads is left out of the key."""
    arts, stmts = presser
    xs = corroborate.cross_source(arts, stmts)
    event_of = {a["article_id"]: a["event_id"] for a in xs.articles}
    article_of = {a["article_id"]: a for a in arts}
    names = corroborate._names(stmts)
    everywhere = {frozenset((r["article_a"], r["article_b"])) for r in xs.copies}
    for eid in events_with_statements(xs):
        mine = [s for s in sorted(stmts, key=lambda s: s["statement_id"]) if event_of[s["article_id"]] == eid]
        inputs = corroborate.event_inputs(eid, mine, article_of, everywhere, names)
        members = {s["article_id"] for s in mine}
        assert set(inputs["articles"]) == members
        assert all(set(p) <= members for p in inputs["copy_pairs"])
        assert set(inputs["names"]) <= {s["speaker_id"] for s in mine}
        part = corroborate.event_part(**cache.canonical(inputs))
        assert {r["event_id"] for r in part.agreements + part.utterances} <= {eid}
        assert set(part.primary) <= {s["statement_id"] for s in mine}


# ---- through the flow -------------------------------------------------------------------

def _result(monkeypatch):
    """Capture the flow's result dict from a CLI run."""
    import flows.release as release
    seen = {}
    real = release.release_flow

    class Spy:
        def __call__(self, **kw):
            seen.clear()
            seen.update(real(**kw))
            return seen

        def with_options(self, **kw):
            return real.with_options(**kw)
    monkeypatch.setattr(release, "release_flow", Spy())
    return seen


def run(raw, datasets, *extra):
    return cli.main(["run", "--raw", str(raw), "--datasets", str(datasets), *extra])


def parquet_bytes(release: Path) -> dict:
    return {p.name: p.read_bytes() for p in sorted(release.glob("data/*.parquet"))}


def test_the_flow_aligns_again_only_the_event_an_article_joined(prefect_harness, tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    shutil.copytree(PRESSER, raw)
    put_back = hold_back(raw, LATE, tmp_path / "parked")
    datasets = tmp_path / "datasets"
    seen = _result(monkeypatch)
    assert run(raw, datasets) == 0
    events = seen["processed"]["events"]
    assert events >= 3 and seen["cached"]["events"] == 0

    assert run(raw, datasets, "--recheck") == 0  # nothing new (--recheck: through the flow, not the no-op record)
    assert (seen["processed"]["events"], seen["cached"]["events"]) == (0, events)

    put_back()
    assert run(raw, datasets) == 0
    assert seen["processed"] == {"articles": 1, "statements": 1, "events": 1}
    assert seen["cached"]["events"] == events - 2   # and the misdated article it brings in (above)
    assert seen["version"] == "1.1.0"

    fresh = tmp_path / "fresh"
    fresh.mkdir()
    shutil.copytree(datasets / "v1.0.0", fresh / "v1.0.0")
    assert run(raw, fresh, "--no-cache") == 0
    assert (seen["processed"]["events"], seen["cached"]["events"]) == (events - 1, 0)   # one event fewer now
    assert parquet_bytes(datasets / "v1.1.0") == parquet_bytes(fresh / "v1.1.0")
