"""Shared wire copy: which pairs of articles carry long runs of the same narrative.

Quotations are removed first (two outlets quoting the same speech is corroboration, not
copying); what remains is shingled into word 5-grams, each article gets a MinHash, and
MinHash LSH proposes candidate pairs, which are then checked exactly. No all-pairs step.
"""
from __future__ import annotations

import re
from collections import defaultdict

from datasketch import MinHash, MinHashLSH

from .align import words

SHINGLE = 5          # words per shingle
NUM_PERM = 128
LSH_THRESHOLD = 0.2  # loose, for candidates: copy plus an outlet's own paragraphs
MIN_SHARED = 12      # shingles: a couple of sentences of the same words in the same order
MIN_CONTAINED = 0.3  # share of the smaller article's narrative found in the other

_SENT = re.compile(r"(?<=[.!?])\s+|\n+")
_QUOTED = re.compile(r"[\"\u201c][^\"\u201c\u201d]*[\"\u201d]|\u2018[^\u2018\u2019]*\u2019(?!\w)")


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


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    """Word k-grams within sentences, so that a shingle never spans a removed quotation."""
    out = set()
    for sent in _SENT.split(text):
        ws = words(sent)
        out.update(" ".join(ws[i:i + k]) for i in range(len(ws) - k + 1))
    return out


def wire_pairs(articles: list[dict], statements: list[dict]) -> set[frozenset]:
    """Pairs of article ids (as frozensets) that share wire copy."""
    by_article = defaultdict(list)
    for s in statements:
        by_article[s["article_id"]].append(s)
    sh = {a["article_id"]: shingles(narrative(a, by_article[a["article_id"]]))
          for a in articles}
    sh = {k: v for k, v in sh.items() if len(v) >= MIN_SHARED}
    ids = sorted(sh)
    hashes = MinHash.bulk([[s.encode() for s in sorted(sh[i])] for i in ids], num_perm=NUM_PERM)
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    for i, m in zip(ids, hashes):
        lsh.insert(i, m)
    pairs = set()
    for i, m in zip(ids, hashes):
        for j in lsh.query(m):
            if j <= i:
                continue
            common = len(sh[i] & sh[j])
            if common >= MIN_SHARED and common >= MIN_CONTAINED * min(len(sh[i]), len(sh[j])):
                pairs.add(frozenset((i, j)))
    return pairs
