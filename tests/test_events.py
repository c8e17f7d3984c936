"""Events: sidecar keys win; otherwise content clustering, with and without dates."""
import json
import tomllib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import numpy as np
import pytest
from conftest import articles_and_statements

from crosswire import align, cli, events
from schemas import events as events_schema

PRESSER = Path(__file__).parent / "corpora" / "presser"

BRIDGE = [
    ("Kessel Harbour bridge reopens after cable repairs",
     "The Kessel Harbour bridge reopened on Monday after engineers replaced two corroded "
     "suspension cables. Mayor Elena Marsh said the crossing was safe. Engineer Tom Okafor "
     "said the cables were checked twice. Traffic through the harbour tunnel eased."),
    ("Harbour bridge back open, mayor says cables safe",
     "Mayor Elena Marsh reopened the Kessel Harbour bridge, closed since March over corroded "
     "suspension cables. Tom Okafor, the chief engineer, said every cable was inspected. "
     "Commuters welcomed the end of the tunnel diversion."),
]
FOOTBALL = [("Rovers win derby in stoppage time",
             "Kessel Rovers beat Dunmore City two-one with a header in stoppage time. Coach "
             "Ana Ruiz praised her defenders and the crowd at the Marsh Road stadium.")]


def art(aid, title, text, published=None, key=None):
    return {"article_id": aid, "source_id": aid[-1], "title": title, "standfirst": None,
            "text": text, "published": published, "event_key": key}


def corpus(**kw):
    arts = [art(f"art_{i}{i}", t, x, **kw) for i, (t, x) in enumerate(BRIDGE)]
    return arts + [art("art_99", *FOOTBALL[0])]


def test_content_clusters_without_dates():
    ev = events.group(corpus(), [])
    assert ev["art_00"] == ev["art_11"] != ev["art_99"]


def test_sidecar_key_wins_and_keys_never_merge():
    arts = corpus()
    arts[2]["event_key"] = "bridge-reopening"         # football article forced in
    arts[0]["event_key"] = "bridge-reopening"
    arts[1]["event_key"] = "bridge-closure"            # same content, different key
    ev = events.group(arts, [])
    assert ev["art_00"] == ev["art_99"] != ev["art_11"]
    assert ev["art_00"] == events._id("key", "bridge-reopening")


def test_time_window_separates_same_topic_far_apart():
    t = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    arts = corpus()
    arts[0]["published"], arts[1]["published"] = t, t + timedelta(days=40)
    ev = events.group(arts, [])
    assert ev["art_00"] != ev["art_11"]
    arts[1]["published"] = t + timedelta(hours=5)
    assert events.group(arts, [])["art_11"] == events.group(arts, [])["art_00"]


def test_event_id_stable_when_a_later_article_joins():
    t = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    arts = corpus(published=t)
    before = events.group(arts[:2], [])["art_00"]
    late = art("art_00aa", "Kessel Harbour bridge traffic back to normal after cable repairs",
               "A week after Mayor Elena Marsh reopened the Kessel Harbour bridge, traffic over "
               "the repaired suspension cables is back to normal, engineer Tom Okafor said.",
               published=t + timedelta(days=1))
    assert events.group(arts + [late], [])["art_00"] == before == events.group(arts + [late], [])["art_00aa"]


def test_event_rows_label_and_counts():
    t = datetime(2026, 3, 2, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    arts = corpus(published=t)
    stmts = [{"statement_id": "stm_1", "article_id": "art_00", "text": "safe",
              "speaker_name": "Elena Marsh"}]
    grouping = events.cluster(arts, stmts)
    ev = grouping.event_of
    rows = events.event_rows(arts, stmts, grouping)
    bridge = next(r for r in rows if r["event_id"] == ev["art_00"])
    assert bridge["article_count"] == 2 and bridge["source_count"] == 2 and bridge["sources"] == ["0", "1"]
    assert bridge["date"].isoformat() == "2026-03-03"     # UTC date
    assert bridge["date_start"] == bridge["date_end"] == t
    # ranked by rarity in English (fixed weights): the names before a common word like "bridge"
    assert "Elena Marsh" in bridge["terms"] and "Kessel Harbour" in bridge["terms"]
    assert "elena" not in bridge["terms"]                  # the name, not its words again
    football = next(r for r in rows if r["event_id"] == ev["art_99"])
    assert football["terms"] == [] and football["article_count"] == 1
    assert bridge["label"].startswith("Elena Marsh: ") and "2026-03-03" in bridge["label"]
    assert "bridge" in bridge["label"] or "harbour" in bridge["label"]


def test_an_event_keeps_its_id_when_an_earlier_dated_article_joins():
    first = events.group(corpus(), [])
    late = art("art_55", "Kessel Harbour bridge: cables replaced, mayor Elena Marsh says it is safe",
               "Engineers replaced corroded suspension cables on the Kessel Harbour bridge. Mayor "
               "Elena Marsh said it was safe and Tom Okafor said every cable was checked.",
               published=datetime(2025, 3, 1, tzinfo=timezone.utc))
    again = events.group(corpus() + [late], [])
    assert again["art_55"] == again["art_00"]
    assert again["art_00"] != first["art_00"]                # the dated article is the new anchor...
    kept = events.group(corpus() + [late], [], previous=first)
    assert kept["art_00"] == kept["art_55"] == first["art_00"]  # ...unless the last release's ids are given
    assert kept["art_99"] == first["art_99"]


# ---------------------------------------------------------------- dates and quotations

def quote(aid, text, sid=None):
    return {"statement_id": sid or f"stm_{aid}_{len(text)}", "article_id": aid, "kind": "direct",
            "text": text, "speaker_name": None}


def test_an_undated_article_never_bridges_two_dated_events():
    """The bridge reopening and, 40 days later, a second closure of the same bridge; an
    undated piece that reads like both joins one of them, not both."""
    t = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    arts = corpus()
    arts[0]["published"], arts[1]["published"] = t, t + timedelta(days=40)
    undated = art("art_55", "Kessel Harbour bridge: the cables, the mayor and the engineer",
                  "Mayor Elena Marsh and engineer Tom Okafor on the Kessel Harbour bridge "
                  "suspension cables, the harbour tunnel and the corroded crossing.")
    ev = events.group(arts + [undated], [])
    assert ev["art_00"] != ev["art_11"]
    assert ev["art_55"] in (ev["art_00"], ev["art_11"])


def _misdated(said: list[str], published: datetime):
    """A council notes piece with words of its own that repeats the mayor's quotations."""
    repeated = " ".join(f'The mayor said: "{q}."' for q in said)
    return art("art_77", "Council meeting notes", f"The council met on Thursday. {repeated} "
               "Other business was adjourned.", published=published)


def test_a_misdated_article_joins_by_its_quotations_with_a_warning():
    t = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    arts = corpus(published=t)
    said = ["We were not going to gamble with the lives of commuters on a corroded cable",
            "Every single suspension cable has been inspected twice by independent engineers"]
    stmts = [quote(aid, q) for aid in ("art_00", "art_11") for q in said]
    # a CMS default date and words of its own: only the quotations tie it to the bridge
    misdated = _misdated(said, datetime(1970, 1, 1, tzinfo=timezone.utc))
    grouping = events.cluster(arts + [misdated], stmts + [quote("art_77", q) for q in said])
    ev = grouping.event_of
    assert ev["art_77"] == ev["art_00"] == ev["art_11"]
    assert grouping.outliers == {"art_77": ev["art_00"]}
    assert grouping.dated[ev["art_00"]] == (t, t)       # the 1970 date does not stretch the event
    (warning,) = events.date_warnings(arts + [misdated], grouping)
    assert warning["article_id"] == "art_77" and "1970-01-01" in warning["message"]
    # without the quotations it stays alone
    assert events.group(arts + [misdated], stmts)["art_77"] != ev["art_00"]


def test_one_remark_quoted_again_months_later_is_another_event():
    """A later piece that quotes one remark of the bridge's reopening again (its date
    believed) is coverage of something else: it stays its own event, with no warning; within
    the window the same one quotation still joins it."""
    t = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    arts = corpus(published=t)
    said = "We were not going to gamble with the lives of commuters on a corroded cable"
    stmts = [quote("art_00", said), quote("art_11", said)]
    later = _misdated([said], t + timedelta(days=120))
    grouping = events.cluster(arts + [later], stmts + [quote("art_77", said)])
    assert grouping.event_of["art_77"] != grouping.event_of["art_00"]
    assert grouping.outliers == {} and events.date_warnings(arts + [later], grouping) == []
    same_week = _misdated([said], t + timedelta(days=1))
    assert events.group(arts + [same_week], stmts + [quote("art_77", said)])["art_77"] == grouping.event_of["art_00"]


def test_statements_carried_counts_a_quotation_and_its_paraphrase_once():
    said = "every single suspension cable has been inspected twice by independent engineers"
    other = "the harbour tunnel will stay closed for the whole of next winter"
    mine = events.profile(art("art_77", "Notes", "Notes."), [
        quote("art_77", said), dict(quote("art_77", "that " + said), kind="indirect"), quote("art_77", other)])
    one = events.profile(art("art_00", "Bridge", "Bridge."), [quote("art_00", said)])
    both = events.profile(art("art_00", "Bridge", "Bridge."), [quote("art_00", said), quote("art_00", other)])
    assert events.statements_carried(events.shared_statements(mine, one), mine.run_statement, 2) == 1
    assert events.statements_carried(events.shared_statements(mine, both), mine.run_statement, 2) == 2
    # a single run in common is not a statement carried
    assert events.statements_carried(events.shared_statements(mine, one), mine.run_statement, 20) == 0


def test_the_window_is_a_setting():
    t = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    arts = corpus()
    arts[0]["published"], arts[1]["published"] = t, t + timedelta(days=5)
    assert events.group(arts, [])["art_00"] != events.group(arts, [])["art_11"]       # 3 days
    wide = events.group(arts, [], window_days=7)
    assert wide["art_00"] == wide["art_11"]


# ---------------------------------------------------------------- one press conference

@pytest.fixture(scope="module")
def presser():
    """tests/corpora/presser: articles and statements as the pipeline makes them."""
    arts, stmts = articles_and_statements(PRESSER)
    truth = tomllib.loads((PRESSER / "events.toml").read_text(encoding="utf-8"))["events"]
    return arts, stmts, truth


def events_by_path(arts, event_of):
    path = {a["article_id"]: a["raw_path"] for a in arts}
    out = {}
    for aid, eid in event_of.items():
        out.setdefault(eid, set()).add(path[aid])
    return sorted(out.values(), key=lambda s: (-len(s), sorted(s)))


def test_one_press_conference_is_one_event(presser):
    """Ten outlets, different framings, one article undated and three misdated; two other
    events of the same day with the same people stay apart."""
    arts, stmts, truth = presser
    grouping = events.cluster(arts, stmts)
    assert events_by_path(arts, grouping.event_of) == sorted(
        (set(v) for v in truth.values()), key=lambda s: (-len(s), sorted(s)))
    path = {a["article_id"]: a["raw_path"] for a in arts}
    assert sorted(path[a] for a in grouping.outliers) == [
        "globalnews/surgery-queues.txt", "healthweek/nurses-cautious.txt", "radiofm/bulletin.txt"]
    rows = {r["article_count"]: r for r in events.event_rows(arts, stmts, grouping)}
    conference = rows[10]
    assert conference["source_count"] == 10 and len(conference["sources"]) == 10
    assert (conference["date_start"].isoformat(), conference["date_end"].isoformat()) == \
        ("2026-04-14T13:05:00+00:00", "2026-04-16T05:00:00+00:00")
    assert any(t.startswith('"') for t in conference["terms"])          # a shared quotation tied it
    table = pa.Table.from_pylist(list(rows.values()), schema=events_schema.TABLE.arrow_schema)
    events_schema.TABLE.model.validate(table.to_pandas(types_mapper=pd.ArrowDtype))


def test_the_press_conference_does_not_depend_on_input_order(presser):
    arts, stmts, _ = presser
    one = events.cluster(arts, stmts)
    two = events.cluster(list(reversed(arts)), list(reversed(stmts)))
    assert one == two


def test_event_id_stays_when_the_event_grows(presser):
    """Without any previous release: later and undated articles joining keep the id."""
    arts, stmts, truth = presser
    late = {"sundayreview/analysis.txt", "dailyledger/what-the-money-buys.txt", "citywire/health-plan.txt",
            "healthweek/nurses-cautious.txt", "radiofm/bulletin.txt", "globalnews/surgery-queues.txt",
            "eveningstar/door-open.txt"}
    first = [a for a in arts if a["raw_path"] not in late]
    kept = {a["article_id"] for a in first}
    before = events.group(first, [s for s in stmts if s["article_id"] in kept])
    after = events.group(arts, stmts)
    conference = {a["article_id"] for a in arts if a["raw_path"] in truth["press-conference"]}
    assert len({before[a] for a in conference & kept}) == 1
    assert {after[a] for a in conference} == {before[a] for a in conference & kept}


def test_the_manifest_warns_of_misdated_articles(prefect_harness, tmp_path):
    datasets = tmp_path / "datasets"
    assert cli.main(["run", "--raw", str(PRESSER), "--datasets", str(datasets)]) == 0
    release = datasets / "v1.0.0"
    manifest = json.loads((release / "manifest.json").read_text())
    assert sorted(w["path"] for w in manifest["warnings"]) == [
        "globalnews/surgery-queues.txt", "healthweek/nurses-cautious.txt", "radiofm/bulletin.txt"]
    table = pq.read_table(release / "data" / "events.parquet").to_pylist()
    assert sorted(r["article_count"] for r in table) == [2, 2, 10]


def test_stored_profiles_give_the_events_of_a_run_from_scratch(presser, tmp_path):
    """Profiles kept between runs (issue 11): one article added, one removed and one whose
    statements changed; the grouping, event rows and ids equal those computed afresh, and
    only the new or changed articles are profiled."""
    arts, stmts, _ = presser
    by_path = {a["raw_path"]: a["article_id"] for a in arts}
    late, gone = by_path["eveningstar/door-open.txt"], by_path["radiofm/bulletin.txt"]
    edited = by_path["citywire/health-plan.txt"]
    first_arts = [a for a in arts if a["article_id"] != late]
    first_stmts = [s for s in stmts if s["article_id"] != late]
    first_stmts = [dict(s, speaker_name="Someone Else") if s["article_id"] == edited else s for s in first_stmts]
    counts = {}
    before = events.cluster(first_arts, first_stmts, store_root=tmp_path, counts=counts)
    assert before == events.cluster(first_arts, first_stmts) and counts["profiled"] == len(first_arts)
    now_arts = [a for a in arts if a["article_id"] != gone]
    now_stmts = [s for s in stmts if s["article_id"] != gone]
    previous = before.event_of
    kept = events.cluster(now_arts, now_stmts, previous, store_root=tmp_path, counts=counts)
    assert counts["profiled"] == 2          # the added article and the edited one
    fresh = events.cluster(now_arts, now_stmts, previous)
    assert kept == fresh
    assert events.event_rows(now_arts, now_stmts, kept) == events.event_rows(now_arts, now_stmts, fresh)
    # an added article rewrites the shards of its own profile and the one it replaced, no more
    blobs = {b: b.stat().st_mtime_ns for b in (tmp_path / "event-profiles").glob("profiles-*.bin")}
    assert len(blobs) > 2
    one = now_arts[0]
    moved = dict(one, title=one["title"] + " (updated)")
    events.cluster([moved] + now_arts[1:], now_stmts, store_root=tmp_path, counts=counts)
    assert counts["profiled"] == 1
    assert sum(b.stat().st_mtime_ns != t for b, t in blobs.items()) <= 2
    # a damaged shard is recomputed, not trusted
    blob = max(blobs, key=lambda b: b.stat().st_size)
    blob.write_bytes(blob.read_bytes()[:-5])
    assert events.cluster(now_arts, now_stmts, previous, store_root=tmp_path, counts=counts) == fresh
    assert 0 < counts["profiled"] < len(now_arts)


def test_a_stored_run_removes_the_profiles_and_links_of_other_events_code(presser, tmp_path):
    """Blobs of other code are never read (their names hold the code): after a run they are
    gone, this code's and other files stay, so the cache does not grow at every upgrade."""
    arts, stmts, _ = presser
    stale = []
    for stage in ("event-profiles", "event-links"):
        (tmp_path / stage).mkdir()
        for name in ("profiles-0001-0123456789abcdef.bin", "state-fedcba9876543210.bin"):
            stale.append(tmp_path / stage / name)
            stale[-1].write_bytes(b"old code")
        (tmp_path / stage / "state-0123456789abcdef.bin.tmp1234").write_bytes(b"being written")
        (tmp_path / stage / "notes.txt").write_text("not a blob")
    grouping = events.cluster(arts, stmts, store_root=tmp_path)
    assert not [p for p in stale if p.exists()]
    for stage in ("event-profiles", "event-links"):
        left = sorted(p.name for p in (tmp_path / stage).iterdir())
        assert "notes.txt" in left and "state-0123456789abcdef.bin.tmp1234" in left
        assert len(left) > 2  # this code's blobs
    assert events.cluster(arts, stmts, store_root=tmp_path) == grouping  # read back, nothing recomputed wrongly


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_attach_targets_on_arrays_sum_link_by_link_strongest_first(seed):
    """The choice of each undated group: the dated group its links' cosines (added one by
    one, strongest first) weigh most, ties to the larger group, then the smaller root; the
    sums are the ones a Counter makes link by link, to the last bit."""
    import random
    from collections import Counter, defaultdict

    rng = random.Random(seed)
    size = {d: rng.randint(1, 4) for d in range(20, 40)}
    links = sorted(((rng.randrange(5), rng.randrange(20, 40), rng.choice([0.3, 0.1 + rng.random() / 3]))
                    for _ in range(300)), key=lambda x: -x[2])
    pull = defaultdict(Counter)
    for u, d, c in links:
        pull[u][d] += c
    expected = {u: -max((round(w, 9), size[d], -d) for d, w in ws.items())[2] for u, ws in pull.items()}
    got = events.attach_targets([u for u, _, _ in links], [d for _, d, _ in links], [c for _, _, c in links],
                                size.__getitem__)
    assert got == expected


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_links_between_the_kinds_merged_in_are_in_the_order_of_sorting_them_all(seed):
    """The stored undated-dated links stay strongest first and the new ones are merged in:
    the same order as sorting all of them (ties on the cosine included)."""
    from crosswire.eventincremental import _Cross

    rng = np.random.default_rng(seed)
    pairs = {tuple(sorted((int(u), int(d)))) for u, d in rng.integers(0, 300, (900, 2)) if u != d}
    u, d = (np.array(x, np.int64) for x in zip(*sorted(pairs)))
    flip = rng.random(len(u)) < 0.5                  # either end may be the undated one
    u, d = np.where(flip, d, u), np.where(flip, u, d)
    cos = rng.choice([0.2, 0.35, 0.5, 0.75], len(u)) if seed == 1 else rng.random(len(u)).round(2)
    every = _Cross(u, d, cos, cos / 2, np.arange(len(u)))
    new = rng.random(len(u)) < 0.1
    old, added = (_Cross(*(getattr(every, f)[m] for f in ("u", "d", "cos", "words", "shared"))).sorted()
                  for m in (~new, new))
    assert old.in_order() and added.in_order() and not every.in_order()
    for merged in (old + added, added + old):
        whole = every.sorted()
        assert merged.in_order()
        for f in ("u", "d", "cos", "words", "shared"):
            assert getattr(merged, f).tolist() == getattr(whole, f).tolist()


def test_feature_weights_are_the_same_in_every_process():
    """A stem's weight sums the frequencies of its words: summed in set order, the last bits
    of the sum (and so the events' cosines) would follow each process's hash seed."""
    import os
    import subprocess
    import sys

    words = ("state states stated statement meet meeting announce announced announcement nation national "
             "talk talks said saying official agree agreement peace sanctions president ceasefire "
             "territory security guarantees negotiate negotiation").split()
    probe = ("import sys\nfrom crosswire import align, events\n"
             "stems = sorted({align.stem(w) for w in sys.argv[1:]})\n"
             "print([events.feature_weight('w:' + s).hex() for s in stems], "
             "events.feature_weight('q:' + ' '.join(stems)).hex())")
    seen = {subprocess.run([sys.executable, "-c", probe, *words], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout
            for seed in range(1, 7)}
    assert len(seen) == 1, seen


def test_label_words_are_the_headline_thrice_and_the_text_once():
    """Profile.label, made in profile's pass over the words: plain words of more than three
    letters, not stop words or numbers, of the headline (three times) and the text (once),
    not of the standfirst, in the order first met."""
    article = {"article_id": "x", "title": "Ferry strike halts ferry crossings", "standfirst": "Unions walk out",
               "text": "The ferry unions said 2024 crossings would stop. Talks resume Monday."}
    p = events.profile(article, [], 3)
    expected = {}
    for text, w in ((article["title"], 3), (article["text"], 1)):
        for t in align.words(text):
            if t not in events._LABEL_STOP and len(t) > 3 and not t.isdigit():
                expected[t] = expected.get(t, 0) + w
    assert list(p.label.items()) == list(expected.items())
    assert p.label["ferry"] == 7 and p.label["crossings"] == 4 and "unions" in p.label and "walk" not in p.label
    assert "2024" not in p.label and "said" not in p.label


@pytest.mark.parametrize("seed", [1, 2])
def test_links_strongest_first_is_the_order_of_sorting_their_evidence(seed):
    """Links.strongest_first (step 1's merge order on arrays) is the order of sorting the
    per-pair Evidence by (-cosine, i, j), ties on the cosine and -0.0 among them."""
    import random

    rng = random.Random(seed)
    rows = {(rng.randrange(60), rng.randrange(60)) for _ in range(400)}
    rows = [(min(p), max(p)) for p in rows if p[0] != p[1]]
    cos = [rng.choice([0.0, -0.0, 0.3, 0.5, rng.random()]) for _ in rows]
    found = events.Links([i for i, _ in rows], [j for _, j in rows], cos, [c / 2 for c in cos],
                         [rng.randrange(3) for _ in rows])
    expected = sorted(found.evidence(), key=lambda e: (-e.cosine, e.i, e.j))
    assert found.take(found.strongest_first()).evidence() == expected


def test_names_are_read_in_any_script_and_without_their_accents():
    # session 30: the ASCII-only name pattern cut "Albarán" to "Albar" and skipped "Šimek"
    # (a cup final and a club's other match became one event on their plain words)
    names = lambda text: sorted(f for f in events.profile(art("art_1", "", text), [], 3).tf if f.startswith("n:"))
    assert names("On a cold night, Deportivo Albarán hosted Tomáš Šimek in Zürich.") == \
        ["n:deportivo albaran", "n:tomas simek", "n:zurich"]
    assert names("Then Mr Orbán spoke.") == names("Then Mr Orban spoke.") == ["n:mr orban"]
