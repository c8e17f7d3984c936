"""Shared copy: which pairs of articles carry long runs of the same narrative.

Wire stories republished by other outlets, an outlet's own republication, lightly edited
rewrites. Quotations are removed first (two outlets quoting the same speech is
corroboration, not copying); what remains is shingled into word 5-grams, each article gets
a MinHash, and a MinHash LSH Ensemble (containment search, so that a wire story inside a
longer article is still found) proposes candidate pairs, which are then checked exactly.
No all-pairs step. Thresholds: crosswire/data/copies.toml.

Entry point: `copy_rows(articles, statements)` -> rows of the `copies` table; `pairs(rows)`
is the independence that agreements report, and the utterances' count of independent
outlets (crosswire.utterances.independent_count) groups articles by these pairs.
"""
from __future__ import annotations

import hashlib
import re
from collections import defaultdict

from .align import words
from .datafiles import read_toml

METHOD = "minhash-lsh-ensemble; exact word 5-gram shingles of the narrative (quotations removed)"

_SENT = re.compile(r"(?<=[.!?])\s+|\n+")
_QUOTED = re.compile(r"[\"\u201c][^\"\u201c\u201d]*[\"\u201d]|\u2018[^\u2018\u2019]*\u2019(?!\w)")


def settings() -> dict:
    return read_toml("copies.toml")


def copy_id(a: str, b: str) -> str:
    a, b = sorted((a, b))
    return "cpy_" + hashlib.sha256(f"{a}\x00{b}".encode()).hexdigest()[:16]


def narrative(article: dict, statements: list[dict]) -> str:
    """The article's body without its quotations (by offsets where known, else by marks)."""
    text = article.get("text") or ""
    spans = sorted((s["char_start"], s["char_end"]) for s in statements
                   if s.get("section", "body") == "body" and s.get("char_start") is not None
                   and s.get("char_end") is not None and 0 <= s["char_start"] < s["char_end"])
    out, pos = [], 0
    for start, end in spans:
        if start >= pos:
            out.append(text[pos:start])
        pos = max(pos, end)
    out.append(text[pos:])
    return _QUOTED.sub(" \n ", "".join(out))


def shingles(text: str, k: int | None = None) -> set[str]:
    """Word k-grams within sentences, so that a shingle never spans a removed quotation."""
    k = k or settings()["shingle"]
    out = set()
    for sent in _SENT.split(text):
        ws = words(sent)
        out.update(" ".join(ws[i:i + k]) for i in range(len(ws) - k + 1))
    return out


def _candidates(sh: dict[str, set[str]]) -> set[tuple[str, str]]:
    """Pairs (a, b), a < b, whose smaller side may be contained in the other (LSH Ensemble)."""
    from datasketch import MinHash, MinHashLSHEnsemble

    cfg = settings()
    ids = sorted(sh)
    if len(ids) < 2:
        return set()
    hashes = MinHash.bulk([[s.encode() for s in sorted(sh[i])] for i in ids], num_perm=cfg["num_perm"])
    index = MinHashLSHEnsemble(threshold=cfg["min_contained"], num_perm=cfg["num_perm"],
                               num_part=min(cfg["num_part"], len(ids)))
    index.index((i, m, len(sh[i])) for i, m in zip(ids, hashes))
    pairs = set()
    for i, m in zip(ids, hashes):
        for j in index.query(m, len(sh[i])):
            if j != i:
                pairs.add((i, j) if i < j else (j, i))
    return pairs


def copy_rows(articles: list[dict], statements: list[dict]) -> list[dict]:
    """One row per pair of articles sharing copy, sorted by copy_id."""
    cfg = settings()
    by_article = defaultdict(list)
    for s in statements:
        by_article[s["article_id"]].append(s)
    art = {a["article_id"]: a for a in articles}
    sh = {aid: shingles(narrative(a, by_article[aid])) for aid, a in art.items()}
    sh = {k: v for k, v in sh.items() if len(v) >= cfg["min_shared"]}
    rows = []
    for a, b in sorted(_candidates(sh)):
        common = len(sh[a] & sh[b])
        if common < cfg["min_shared"] or common < cfg["min_contained"] * min(len(sh[a]), len(sh[b])):
            continue
        rows.append({
            "copy_id": copy_id(a, b),
            "article_a": a,
            "article_b": b,
            "source_a": art[a]["source_id"],
            "source_b": art[b]["source_id"],
            "share_a": round(common / len(sh[a]), 4),
            "share_b": round(common / len(sh[b]), 4),
            "shared_shingles": common,
            "first": first_published(art[a], art[b]),
            "method": METHOD,
        })
    return sorted(rows, key=lambda r: r["copy_id"])


def first_published(a: dict, b: dict) -> str | None:
    """The article published first, where both dates are known and differ."""
    pa, pb = a.get("published"), b.get("published")
    if pa is None or pb is None or pa == pb:
        return None
    return a["article_id"] if pa < pb else b["article_id"]


def pairs(rows: list[dict]) -> set[frozenset]:
    """The copy pairs as frozensets of two article ids."""
    return {frozenset((r["article_a"], r["article_b"])) for r in rows}
