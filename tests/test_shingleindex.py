"""The copies' exact shingle index: every pair that meets the thresholds is found, and the
index kept between runs gives the rows a run from scratch gives, whatever was added,
removed or changed, while only the new or changed articles are shingled (issue 11)."""
import random
import shutil
from pathlib import Path

import numpy as np
import pytest

from crosswire import cli, copies, copystore, publish, shingleindex
from crosswire.blobs import Blobs
from crosswire.load import Release

WIRE_CORPUS = Path(__file__).parent / "corpora" / "wire"
VOCAB = ("harbour council ferry tunnel cable inspector budget river tower market school bridge "
         "crew engineer mayor storm quay rail station tender contract repair winter summer "
         "traffic closure report survey district museum theatre farmer orchard").split()


def story(seed: int, sentences: int = 8) -> str:
    """Sentences of random words (seeded): two stories share no 5-word run by chance."""
    rng = random.Random(seed)
    return " ".join(" ".join(rng.choice(VOCAB) for _ in range(12)).capitalize() + "." for _ in range(sentences))


def art(aid, text, source=None):
    return {"article_id": aid, "source_id": source or aid, "title": "t", "text": text, "published": None}


def corpus():
    """Four originals, a republication of one, a rewrite carrying half of another inside
    its own text, and one that shares a single sentence (not copy)."""
    a, b, c, d = (story(k) for k in range(4))
    return [art("art_a", a, "wire"), art("art_b", b, "wire"), art("art_c", c), art("art_d", d),
            art("art_e", a, "herald"),
            art("art_f", story(10, 12) + " " + " ".join(b.split(". ")[:4]) + ".", "post"),
            art("art_g", story(11) + " " + c.split(". ")[0] + ".", "gazette")]


def pairs_of(rows):
    return {(r["article_a"], r["article_b"]) for r in rows}


def test_the_pairs_are_the_exact_ones():
    rows = copies.copy_rows(corpus(), [])
    assert pairs_of(rows) == {("art_a", "art_e"), ("art_b", "art_f")}
    by = {(r["article_a"], r["article_b"]): r for r in rows}
    assert by[("art_a", "art_e")]["share_a"] == by[("art_a", "art_e")]["share_b"] == 1.0
    # the counts are the exact shingle intersections (string sets)
    arts = {a["article_id"]: a for a in corpus()}
    exact = len(copies.shingles(arts["art_b"]["text"]) & copies.shingles(arts["art_f"]["text"]))
    assert by[("art_b", "art_f")]["shared_shingles"] == exact


def test_a_pair_at_exactly_the_thresholds_is_found_and_one_below_is_not():
    cfg = copies.settings()
    assert shingleindex.is_copy(cfg["min_shared"], 40, 40, cfg["min_shared"], cfg["min_contained"])
    assert not shingleindex.is_copy(cfg["min_shared"] - 1, 40, 40, cfg["min_shared"], cfg["min_contained"])
    assert not shingleindex.is_copy(29, 100, 100, cfg["min_shared"], 0.3)
    assert shingleindex.is_copy(30, 100, 1000, cfg["min_shared"], 0.3)


def test_overlaps_counts_every_shared_hash_per_article():
    shingled = copies.Shingler()
    h = {k: shingled(story(k)) for k in range(3)}
    index, _ = shingleindex.ShingleIndex().update({"x": "1", "y": "1", "z": "1"},
                                                 {"x": h[0], "y": h[1], "z": np.union1d(h[0], h[2])}.get, 12, 0.3)
    counts = dict(zip(index.ids, index.overlaps(h[0]).tolist()))
    assert counts == {"x": len(h[0]), "y": 0, "z": len(h[0])}


@pytest.mark.parametrize("change", ["added", "removed", "changed", "all at once"])
def test_the_kept_index_gives_the_rows_of_a_run_from_scratch(tmp_path, change):
    arts = corpus()
    before = list(arts)
    if change in ("added", "all at once"):
        before = [a for a in before if a["article_id"] != "art_e"]           # e arrives later
    if change in ("removed", "all at once"):
        before.append(art("art_h", arts[2]["text"], "mirror"))               # h leaves later
    if change in ("changed", "all at once"):
        before = [art("art_f", story(12), "post") if a["article_id"] == "art_f" else a for a in before]
    counts = {}
    first = copies.copy_rows(before, [], tmp_path, counts)
    assert first == copies.copy_rows(before, [])
    assert counts["indexed"] == len(before)
    after = copies.copy_rows(arts, [], tmp_path, counts)
    assert after == copies.copy_rows(arts, [])
    expected_new = {"added": 1, "removed": 0, "changed": 1, "all at once": 2}[change]
    assert counts["indexed"] == expected_new   # only the new or changed articles are shingled
    assert copies.copy_rows(arts, [], tmp_path, counts) == after and counts["indexed"] == 0


def test_a_quotation_cut_by_new_offsets_changes_the_narrative_key():
    a = art("art_a", story(1))
    st = {"article_id": "art_a", "section": "body", "char_start": 0, "char_end": 20}
    assert copies.narrative_key(a, []) != copies.narrative_key(a, [st])
    assert copies.narrative_key(a, [st]) == copies.narrative_key(dict(a), [dict(st)])


def test_a_damaged_or_foreign_index_is_rebuilt_not_trusted(tmp_path):
    arts = corpus()
    fresh = copies.copy_rows(arts, [])
    copies.copy_rows(arts, [], tmp_path)
    (path,) = (tmp_path / "copies").glob("log-*.bin")
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF
    path.write_bytes(bytes(data))
    counts = {}
    assert copies.copy_rows(arts, [], tmp_path, counts) == fresh and counts["indexed"] == len(arts)
    # a log the seal accepts but that is not one
    Blobs(tmp_path, "copies", copies.index_code()).put("log", b"not an npz file")
    assert copies.copy_rows(arts, [], tmp_path, counts) == fresh and counts["indexed"] == len(arts)
    # a base file missing: the log names it, the store is not used
    next((tmp_path / "copies").glob("base-*-hashes.npy")).unlink()
    assert copies.copy_rows(arts, [], tmp_path, counts) == fresh and counts["indexed"] == len(arts)


def test_other_thresholds_never_read_the_index_of_these(tmp_path, monkeypatch):
    arts = corpus()
    copies.copy_rows(arts, [], tmp_path)
    monkeypatch.setattr(copies, "settings", lambda: {"shingle": 5, "min_shared": 12, "min_contained": 0.9})
    counts = {}
    rows = copies.copy_rows(arts, [], tmp_path, counts)
    assert counts["indexed"] == len(arts) and pairs_of(rows) == {("art_a", "art_e")}


def test_the_flow_keeps_copies_equal_to_a_cold_run_when_articles_come_and_go(prefect_harness, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(WIRE_CORPUS, raw)
    (raw / "agency" / "repost.txt").unlink()     # the corpus's deliberate duplicate, rejected either way
    datasets = tmp_path / "datasets"
    assert cli.main(["run", "--raw", str(raw), "--datasets", str(datasets)]) == 0
    # one republication added (the wire story at a third outlet), one article removed
    third = raw / "metrodaily" / "fine-again.txt"
    third.write_text("Regional desk\n\n" + (raw / "agency" / "fine.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (raw / "metrodaily" / "cragside.txt").unlink()
    assert cli.main(["run", "--raw", str(raw), "--datasets", str(datasets)]) == 0
    fresh = tmp_path / "fresh"
    assert cli.main(["run", "--raw", str(raw), "--datasets", str(fresh), "--no-cache"]) == 0
    kept = Release(publish.latest(datasets)).arrow("copies").to_pylist()
    cold = Release(publish.latest(fresh)).arrow("copies").to_pylist()
    assert kept == cold and len(cold) == 3   # agency, valleytimes and metrodaily all carry it


@pytest.mark.parametrize("compact", [10**9, 0.01])
def test_the_log_and_its_compactions_give_the_rows_of_a_run_from_scratch(tmp_path, monkeypatch, compact):
    """Run after run of arrivals, withdrawals and rewrites: with the base rewritten at every
    run (compact=1) or never after the first (1000: everything after it in the log), the
    rows are those of a run from scratch; while the log grows, the base is not written."""
    every_run = compact > 1
    monkeypatch.setattr(copystore, "COMPACT", compact)
    rng = random.Random(compact)
    pool = [art(f"art_{k:02d}", story(k % 9) if k % 3 else story(k), f"desk{k % 4}") for k in range(30)]
    pool += [art(f"art_w{k}", story(40 + k, 4) + " " + story(k % 9, 4), "wire") for k in range(6)]
    now = rng.sample(pool, 20)
    copies.copy_rows(now, [], tmp_path)
    base = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "copies").glob("base-*.npy")}
    assert len(base) == 6
    for step in range(6):
        out = {a["article_id"] for a in now}
        gone = rng.choice(now)
        now = [a for a in now if a is not gone]                                    # one withdrawn
        k = rng.randrange(len(now))
        now += rng.sample([a for a in pool if a["article_id"] not in out], 2)       # two arrive
        now[k] = dict(now[k], text=story(100 + step) + " " + now[k]["text"])        # one rewritten
        counts = {}
        assert copies.copy_rows(now, [], tmp_path, counts) == copies.copy_rows(now, []), f"step {step}"
        assert counts["indexed"] == 3
        written = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "copies").glob("base-*.npy")}
        assert (written != base) == every_run and len(written) == 6
    assert copies.copy_rows(now, [], tmp_path, counts) == copies.copy_rows(now, []) and counts["indexed"] == 0


# the speed settings of shingleindex.new_pairs: none may change a count or a pair
SPEEDS = {"expanded": dict(dense_min_new=10**9),
          "all dense": dict(dense_min_new=1, dense_ratio=0.0),
          "some dense, tiny blocks": dict(dense_min_new=1, dense_ratio=0.05, dense_bytes=4 * 60 * 3,
                                          block_cells=60 * 7, block_pairs=50)}


def phrase_corpus(seed: int, n: int = 60) -> list[dict]:
    """Articles of a few stock phrases (long postings, as one topic's coverage has) and
    whole stories shared by some (republications), from a seeded random choice."""
    rng = random.Random(seed)
    phrases = [story(1000 + k, 2) for k in range(12)]
    stories = [story(2000 + k, 6) for k in range(5)]
    out = []
    for k in range(n):
        parts = rng.sample(phrases, rng.randint(1, 5)) + [story(3000 + 100 * seed + k, rng.randint(0, 3))]
        if rng.random() < 0.4:
            parts.append(rng.choice(stories))
        rng.shuffle(parts)
        out.append(art(f"art_{k:03d}", " ".join(parts), f"desk{k % 5}"))
    return out


def pairwise(hashes: dict[str, np.ndarray], cfg: dict) -> dict:
    """The pairs found by intersecting every two articles' hashes: what the index must give."""
    ids = sorted(hashes)
    out = {}
    for x, a in enumerate(ids):
        for b in ids[x + 1:]:
            common = len(np.intersect1d(hashes[a], hashes[b]))
            if shingleindex.is_copy(common, len(hashes[a]), len(hashes[b]), cfg["min_shared"], cfg["min_contained"]):
                out[(a, b)] = common
    return out


@pytest.mark.parametrize("speed", sorted(SPEEDS))
def test_the_joined_pairs_are_those_of_every_two_articles_intersected(monkeypatch, speed):
    settings = dict(shingleindex._speed(), **SPEEDS[speed])
    monkeypatch.setattr(shingleindex, "_speed", lambda: settings)
    cfg, shingled = copies.settings(), copies.Shingler()
    for seed in range(3):
        arts = phrase_corpus(seed)
        hashes = {a["article_id"]: shingled(a["text"]) for a in arts}
        index, _ = shingleindex.ShingleIndex().update({aid: "1" for aid in hashes}, hashes.get,
                                                      cfg["min_shared"], cfg["min_contained"])
        expected = pairwise(hashes, cfg)
        assert index.pairs == expected and 20 < len(expected) < 60 * 59 / 2
        # each pair once, found from its later slot, in the order one query per article gave
        assert (index.pair_a < index.pair_b).all()
        assert np.lexsort((index.pair_a, index.pair_b)).tolist() == list(range(len(index.pair_a)))


@pytest.mark.parametrize("speed", sorted(SPEEDS))
def test_added_articles_pair_with_the_live_ones_only(monkeypatch, speed):
    """An index updated twice (some articles gone, some rewritten, more than a block of new
    ones) holds the pairs of an index built once from what is left."""
    settings = dict(shingleindex._speed(), **SPEEDS[speed])
    monkeypatch.setattr(shingleindex, "_speed", lambda: settings)
    cfg, shingled = copies.settings(), copies.Shingler()
    arts = phrase_corpus(7, 80)
    text = {a["article_id"]: a["text"] for a in arts}
    hashes = lambda aid: shingled(text[aid])  # noqa: E731
    before, _ = shingleindex.ShingleIndex().update({aid: "1" for aid in list(text)[:50]}, hashes,
                                                   cfg["min_shared"], cfg["min_contained"])
    now = {aid: "1" for aid in list(text)[10:]}                  # ten gone, thirty new
    for aid in list(text)[20:25]:                                # five rewritten
        now[aid] = "2"
        text[aid] = story(5000 + int(aid[4:]), 3) + " " + text[aid]
    after, indexed = before.update(now, hashes, cfg["min_shared"], cfg["min_contained"])
    assert indexed == 35
    assert after.pairs == pairwise({aid: hashes(aid) for aid in now}, cfg)


def test_inserted_is_np_insert_of_sorted_values():
    rng = np.random.default_rng(3)
    for _ in range(100):
        run = np.sort(rng.integers(0, 40, rng.integers(0, 25))).astype(np.uint64)
        add = np.sort(rng.integers(0, 40, rng.integers(0, 25))).astype(np.uint64)
        at = np.searchsorted(run, add)
        owners, added = rng.integers(0, 9, len(run)).astype(np.int32), rng.integers(0, 9, len(add)).astype(np.int32)
        for a, b in ((run, add), (owners, added)):
            want, got = np.insert(a, at, b), shingleindex._inserted(a, at, b)
            assert got.dtype == want.dtype and got.tolist() == want.tolist()
