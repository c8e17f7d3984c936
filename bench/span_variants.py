"""Which phrases after a noun-phrase content belong to it: the choice in crosswire/data/spans.toml,
measured on PolNeAR train.

The rules run twice over the cached parses, the filter off (every candidate): once with
spans.toml as it is ("narrow") and once with every kind of phrase after the object taken
in and the object's appositive kept ("wide", WIDE below), or with the settings given by
--set (e.g. --set aside.keep_dash_pair=true; a span the setting cuts is counted under
"cut:" and the first word it loses). Candidates of the two runs are
paired by article, section, rule and start; for each pair whose end moved, the first
phrase the wide span adds is named by its kind (rules.indirect.tail_kind, or
"appositive" after a comma) and the table counts, per spans.toml part and kind, how many
such candidates match a gold indirect attribution (the scorer's own match) narrow and
wide. A kind goes into spans.toml when the wide span matches clearly more often
(the net is printed; a kind whose gain is within a few candidates stays out).

    python bench/span_variants.py CACHE POLNEAR_OUT [--examples N] [--kind KIND]

CACHE and POLNEAR_OUT as for bench/fit_indirect_filter.py (parse first). Train only.

Tried on train400 (2026-12-02) besides what spans.toml records, each against 4479 matched
of 8450 candidates, all left out: keeping a dash-enclosed phrase in a clause 4477; no dash
ending a clause 4451; keeping ", and <clause with its own subject>" 4474; ending an object
at a verb the parse coordinates with it 4479 (no change).
"""
from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fit_confidence import DEFAULT_POLNEAR, load_polnear  # noqa: E402
from fit_indirect_filter import _gold_matched, _located, run_rules  # noqa: E402

# Every kind tail_kind names, for the wide run: the prepositions of English news text
# with a phrase of their own, the dative, the infinitive, the predicate and the noun adverbial.
PREPS = ("about", "across", "after", "against", "ahead", "along", "amid", "among", "around", "as", "at",
         "because", "before", "behind", "between", "beyond", "by", "despite", "during", "for", "from",
         "in", "including", "inside", "instead", "into", "like", "near", "of", "off", "on", "onto", "out",
         "outside", "over", "per", "since", "than", "through", "throughout", "to", "toward", "towards",
         "under", "until", "up", "upon", "via", "with", "within", "without")
ALL_KINDS = [f"prep:{p}" for p in PREPS] + ["dative", "infinitive", "oprd", "npadvmod"]
WIDE = {part: {"tail": ALL_KINDS, "keep_appositive": True} for part in ("object", "prep_object")}
# the rules whose spans read each part of spans.toml
PART_OF = {"any_verb_prep": "prep_object", "topic_of": "prep_object", "adjective_prep": "prep_object"}


def _merged(variant: dict) -> dict:
    """spans.toml as it is, with the variant's settings over it."""
    from crosswire.rules import indirect
    base = indirect.span_data()
    return {part: dict(base[part], **variant.get(part, {})) for part in base}


def _rows(cache, variant):
    from crosswire.rules import indirect
    orig = indirect.span_data
    if variant is not None:
        data = _merged(variant)
        indirect.span_data = lambda: data
    try:
        return run_rules(cache, keep_all=True)[:2]
    finally:
        indirect.span_data = orig


def _first_added(text_wide: str, narrow_len: int) -> str:
    """The first word the wide span adds past the narrow one ("to", "with", "," ...)."""
    rest = text_wide[narrow_len:].lstrip()
    if rest.startswith(","):
        return ","
    return (rest.split() or [""])[0].lower().strip(",.;:")


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("cache")
    ap.add_argument("polnear_out")
    ap.add_argument("--examples", type=int, default=0)
    ap.add_argument("--kind", default=None)
    ap.add_argument("--set", action="append", default=[],
                    help="PART.KEY=JSON: this setting instead of the wide run (repeatable)")
    ap.add_argument("--by-rule", action="store_true", help="count each rule apart")
    ap.add_argument("--polnear", default=str(DEFAULT_POLNEAR))
    a = ap.parse_args(argv)
    pn = load_polnear(Path(a.polnear))
    cache, out = Path(a.cache), Path(a.polnear_out)
    runs = {}
    variant = WIDE
    if a.set:
        variant = collections.defaultdict(dict)
        for kv in a.set:
            k, v = kv.split("=", 1)
            part, key = k.split(".")
            variant[part][key] = json.loads(v)
    for name, data in (("narrow", None), ("wide", variant)):
        arts, rows = _rows(cache, data)
        gold, texts, per_file = _located(pn, arts, rows, out)
        _, used = _gold_matched(pn, gold, texts, per_file)
        runs[name] = {(st["article_id"], st["section"], st["rule"], st["char_start"]): (st, id(st) in used)
                      for sts in per_file.values() for st, _ in sts if st["kind"] == "indirect"}
        print(f"{name}: {len(runs[name])} indirect candidates, {sum(m for _, m in runs[name].values())} matched")
    table = collections.defaultdict(lambda: [0, 0, 0])
    examples = collections.defaultdict(list)
    for key, (wst, wm) in runs["wide"].items():
        if key not in runs["narrow"]:
            continue
        nst, nm = runs["narrow"][key]
        if wst["char_end"] == nst["char_end"]:
            continue
        if wst["char_end"] < nst["char_end"]:
            word = "cut:" + _first_added(nst["text"], len(wst["text"]))
        else:
            word = _first_added(wst["text"], len(nst["text"]))
        kind = (f"{PART_OF.get(key[2], 'object')}/{key[2]}" if a.by_rule else PART_OF.get(key[2], "object"),
                "appositive" if word == "," else word)
        t = table[kind]
        t[0] += 1
        t[1] += nm
        t[2] += wm
        examples[kind].append((nst["text"], wst["text"], nm, wm))
    print(f"{'part':<{36 if a.by_rule else 12}}{'first word added':<18}{'changed':>8}{'narrow':>8}{'wide':>8}{'net':>6}")
    for kind, (n, nm, wm) in sorted(table.items(), key=lambda kv: -(kv[1][2] - kv[1][1])):
        print(f"{kind[0]:<{36 if a.by_rule else 12}}{kind[1]:<18}{n:>8}{nm:>8}{wm:>8}{wm - nm:>6}")
        if a.examples and (a.kind is None or a.kind == kind[1]):
            for nt, wt, nm_, wm_ in examples[kind][:a.examples]:
                print(f"      {int(nm_)}->{int(wm_)} {nt[:80]!r} => {wt[:160]!r}")


if __name__ == "__main__":
    main()
