"""Shared copy: long runs of the same narrative, not shared quotations; wire copy kept as
two articles; the `copies` table end to end."""
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from crosswire import cli, copies, ingest, metadata, sources

WIRE_CORPUS = Path(__file__).parent / "corpora" / "wire"

WIRE = (
    "Engineers spent eleven weeks replacing two corroded suspension cables on the Kessel "
    "Harbour bridge, which carries about forty thousand vehicles a day.\n\n"
    "The crossing was closed in March after a routine inspection found rust beneath the "
    "protective sheathing near the northern tower.\n\n"
    "Traffic was diverted through the old tunnel, adding up to an hour to commutes and "
    "prompting complaints from hauliers and the regional chamber of commerce.\n\n"
    "The repair bill, shared between the city and the national roads agency, is expected to "
    "exceed the original estimate by a third."
)
QUOTE = '"We were not going to gamble with people\'s lives," Mayor Elena Marsh said.'
OWN = ("Local shop owners on Quay Street said the closure had cost them most of their "
       "spring trade, and several asked the council for rent relief.")
T0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)


def art(aid, text, source=None, published=None):
    return {"article_id": aid, "source_id": source or aid, "title": "t", "text": text,
            "published": published}


def test_republished_wire_story_is_a_copy_pair_with_shares_and_first():
    arts = [art("art_a", WIRE + "\n\n" + QUOTE, "wire", T0),
            art("art_b", OWN + "\n\n" + WIRE.replace("eleven weeks", "11 weeks"), "herald",
                T0 + timedelta(hours=3)),
            art("art_c", "A different story about the harbour festival, with boats, music and "
                         "food stalls along the waterfront from Friday to Sunday night. "
                         "Organisers expect record crowds if the weather holds.\n\n" + QUOTE, "post")]
    rows = copies.copy_rows(arts, [])
    assert [(r["article_a"], r["article_b"]) for r in rows] == [("art_a", "art_b")]
    row = rows[0]
    assert (row["source_a"], row["source_b"], row["first"]) == ("wire", "herald", "art_a")
    assert row["share_a"] > 0.9                      # nearly all of the wire story is in b
    assert 0.5 < row["share_b"] < row["share_a"]     # b added a paragraph of its own
    assert row["copy_id"] == copies.copy_id("art_b", "art_a")


def test_a_wire_story_inside_a_much_longer_article_is_found():
    """Containment, not resemblance: four paragraphs of wire copy in an article five times
    as long still make a pair."""
    own = "\n\n".join(f"Paragraph {n} of the outlet's own reporting describes the {w} of the "
                      f"waterfront district in the years before the closure, street by street."
                      for n, w in enumerate(["history", "shops", "ferries", "markets", "schools",
                                             "housing", "churches", "parks", "docks", "pubs",
                                             "theatres", "factories"]))
    rows = copies.copy_rows([art("art_a", WIRE), art("art_b", own + "\n\n" + WIRE)], [])
    assert len(rows) == 1 and rows[0]["share_a"] == 1.0 and rows[0]["share_b"] < 0.5


def test_shared_quotations_alone_are_not_copy():
    speech = ('"' + " ".join(["The bridge is safe, the cables are new, the inspections were "
                              "thorough and every bolt has been checked twice over."] * 4) + '"')
    arts = [art("art_a", "The mayor spoke at noon. " + speech),
            art("art_b", "Speaking to reporters on the quay, she repeated it. " + speech)]
    assert copies.copy_rows(arts, []) == []


def test_quotes_are_cut_by_statement_offsets():
    text = "Before. " + QUOTE + " After the quote the writer goes on."
    start = text.index("We were")
    st = {"article_id": "art_a", "section": "body", "char_start": start,
          "char_end": start + len("We were not going to gamble with people's lives,")}
    assert "gamble" not in copies.narrative(art("art_a", text), [st])


def test_first_is_null_without_both_dates():
    rows = copies.copy_rows([art("art_a", WIRE, published=T0), art("art_b", WIRE)], [])
    assert rows[0]["first"] is None and rows[0]["share_a"] == rows[0]["share_b"] == 1.0


def test_article_id_comes_from_the_outlet_and_the_content():
    assert metadata.article_id("wire", "ab" * 32) != metadata.article_id("herald", "ab" * 32)
    assert metadata.article_id("wire", "ab" * 32) == metadata.article_id("wire", "ab" * 32)


def test_ingest_keeps_the_same_bytes_at_two_outlets_and_rejects_them_twice_at_one():
    srcs, bad = sources.load_sources(WIRE_CORPUS)
    assert bad == []
    raws, rejected = ingest.ingest(WIRE_CORPUS, srcs)
    assert sorted(r.raw_path for r in raws) == ["agency/fine.txt", "metrodaily/cragside.txt",
                                                "valleytimes/reservoir-fine.txt"]
    assert rejected == [{"path": "agency/repost.txt", "reason": "same content as agency/fine.txt"}]


def test_wire_story_in_two_outlets_end_to_end(prefect_harness, tmp_path, capsys):
    """A wire story republished byte for byte by a regional paper: two articles, one copy
    pair (the agency first), their agreements not independent; the feature that quotes the
    same regulator but writes its own story is no copy."""
    datasets = tmp_path / "datasets"
    assert cli.main(["run", "--raw", str(WIRE_CORPUS), "--datasets", str(datasets)]) == 0
    release = datasets / "v1.0.0"
    manifest = json.loads((release / "manifest.json").read_text())
    assert manifest["tables"]["copies"]["rows"] == 1
    assert [r["path"] for r in manifest["rejected"]] == ["agency/repost.txt"]
    arts = {a["raw_path"]: a for a in pq.read_table(release / "data" / "articles.parquet").to_pylist()}
    assert len(arts) == 3
    wire, regional = arts["agency/fine.txt"], arts["valleytimes/reservoir-fine.txt"]
    assert wire["raw_sha256"] == regional["raw_sha256"] and wire["article_id"] != regional["article_id"]
    (row,) = pq.read_table(release / "data" / "copies.parquet").to_pylist()
    assert {row["article_a"], row["article_b"]} == {wire["article_id"], regional["article_id"]}
    assert row["share_a"] == row["share_b"] == 1.0 and row["first"] == wire["article_id"]
    stmts = {s["statement_id"]: s["article_id"] for s in pq.read_table(release / "data" / "statements.parquet").to_pylist()}
    agreements = pq.read_table(release / "data" / "agreements.parquet").to_pylist()
    pair = {wire["article_id"], regional["article_id"]}
    copied = [a for a in agreements if {stmts[a["statement_a"]], stmts[a["statement_b"]]} == pair]
    others = [a for a in agreements if {stmts[a["statement_a"]], stmts[a["statement_b"]]} != pair]
    assert copied and not any(a["independent"] for a in copied)
    assert others and all(a["independent"] for a in others)   # the feature quotes Natarajan itself


def test_the_shingler_hashes_the_shingles_one_for_one():
    """Shingler's hashes are `shingles` hashed one by one (each shingle's words chained by
    shingleindex.gram_hashes): as many, no shingle across a sentence, and two texts share as
    many hashes as shingles."""
    from crosswire import shingleindex

    def one_by_one(text):
        def hashed(shingle):
            return int(shingleindex.gram_hashes(np.array([shingleindex.word_hash(w) for w in shingle.split(" ")],
                                                         np.uint64), 5)[0])
        return {hashed(s) for s in copies.shingles(text, 5)}

    other = OWN + " The crossing was closed in March after a routine inspection found rust. Then \u201cnothing\u201d."
    shingled = copies.Shingler(5)
    for text in (WIRE, other, WIRE + "\n\n" + QUOTE, "Too short. Five words is one shingle.", ""):
        got = shingled(text)
        assert set(got.tolist()) == one_by_one(text) and len(got) == len(copies.shingles(text, 5))
        assert (np.diff(got.astype(np.float64)) > 0).all()       # sorted, each once
    shared = copies.shingles(WIRE, 5) & copies.shingles(other, 5)
    assert len(np.intersect1d(shingled(WIRE), shingled(other))) == len(shared) > 0
    assert len(shingled("One two three four. Five six seven eight nine.")) == 1   # not across the full stop


def test_copy_ids_made_together_are_copy_id_of_each_pair(monkeypatch):
    ids = ["art_b", "art_a", "art_\u00e9t\u00e9", "art_z", "art_a"]
    a, b = np.array([0, 1, 2, 3, 2, 4]), np.array([1, 0, 3, 2, 0, 3])
    assert copies._copy_ids(ids, a, b).tolist() == [copy_id_bytes(ids[i], ids[j]) for i, j in zip(a, b)]
    assert copies._copy_ids(ids, a[:0], b[:0]).dtype == np.dtype("S20")
    monkeypatch.setattr(copies, "_ID_ROWS", 4)  # made a slice at a time: the last one short
    assert copies._copy_ids(ids, a, b).tolist() == [copy_id_bytes(ids[i], ids[j]) for i, j in zip(a, b)]


def copy_id_bytes(a, b):
    return copies.copy_id(a, b).encode("ascii")
