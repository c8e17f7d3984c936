"""The synthetic corpus generator (bench/make_corpus.py): deterministic, in crosswire's raw
layout, accepted whole by the pipeline, and its statements found by the extractors."""
import statistics
import sys
from pathlib import Path

import pandas as pd
import pytest

from crosswire import cli

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import make_corpus  # noqa: E402

from conftest import articles_and_statements  # noqa: E402


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, list[dict]]:
    out = tmp_path_factory.mktemp("synthetic") / "raw"
    return out, make_corpus.generate(out, 30, seed=7)


def test_the_same_seed_gives_the_same_bytes_and_another_seed_another_corpus(corpus, tmp_path):
    out, _ = corpus
    make_corpus.generate(tmp_path / "again", 30, seed=7)
    make_corpus.generate(tmp_path / "other", 30, seed=8)
    assert files(tmp_path / "again") == files(out)
    assert files(tmp_path / "other") != files(out)


def test_it_refuses_to_write_into_a_folder_that_holds_files(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "keep.txt").write_text("mine")
    with pytest.raises(SystemExit, match="not empty"):
        make_corpus.generate(tmp_path / "raw", 5)


def test_lengths_outlets_wire_copy_and_kinds_of_statement():
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        truth = make_corpus.generate(Path(tmp) / "raw", 400, seed=1)
    words = [t["words"] for t in truth]
    assert len(truth) == 400
    assert 500 <= statistics.median(words) <= 720
    assert min(words) >= 100 and max(words) <= 1600
    assert len({t["source_id"] for t in truth}) >= 12
    assert statistics.mean(len({u["source_id"] for u in truth if u["event"] == t["event"]}) for t in truth) > 2
    assert sum(1 for t in truth if t["wire_of"]) > 40
    kinds = {s["kind"] for t in truth for s in t["statements"]}
    assert kinds == {"direct", "partial", "indirect"}
    assert {s["speaker_kind"] for t in truth for s in t["statements"]} == {"person", "org", "unnamed"}


def test_every_article_is_accepted_and_its_quotations_are_found(tmp_path):
    out = tmp_path / "raw"
    truth = make_corpus.generate(out, 10, seed=5)
    arts, statements = articles_and_statements(out)   # asserts that nothing is rejected
    assert len(arts) == 10
    by_path = {a["raw_path"]: a for a in arts}
    found = {(s["article_id"], s["kind"]): [] for s in statements}
    for s in statements:
        found[(s["article_id"], s["kind"])].append(s["text"])
    quoted = hits = 0
    for t in truth:
        art = by_path[t["path"]]
        for s in t["statements"]:
            assert s["text"] in art["text"] or s["text"] in art["title"], (t["path"], s["text"])
            if s["kind"] == "direct":
                quoted += 1
                hits += any(s["text"] in x or x in s["text"] for x in found.get((art["article_id"], "direct"), []))
    assert quoted > 25
    assert hits / quoted >= 0.9, f"{hits} of {quoted} generated direct quotes found"


def test_a_small_corpus_runs_through_crosswire_end_to_end(prefect_harness, tmp_path):
    raw = tmp_path / "raw"
    make_corpus.generate(raw, 10, seed=3)
    assert cli.main(["run", "--raw", str(raw), "--datasets", str(tmp_path / "ds")]) == 0
    data = tmp_path / "ds" / "v1.0.0" / "data"
    assert len(pd.read_parquet(data / "articles.parquet")) == 10
    statements = pd.read_parquet(data / "statements.parquet")
    assert set(statements.kind) >= {"direct", "indirect"}
    assert len(pd.read_parquet(data / "events.parquet")) < 10   # outlets cover the same events
