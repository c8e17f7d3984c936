"""Where the content spans of reported-speech candidates miss PolNeAR's gold, by boundary.

For every gold indirect attribution that no kept candidate matches but an indirect
candidate (filter off) overlaps, the best-overlapping candidate is compared with the gold
edge by edge: does it start early or late, end early or late, and what text sits at the
gap (the first word after our end where the gold goes on: "and", "but", ",", a dash, a
parenthesis, a relative word, a sentence end; the first word of what we add past the gold's
end: a trailing "X said", a comma, a dash ...). Counts per (edge, boundary word), with
examples; the same for candidates kept as false positives whose span overlaps a gold.

--sentences counts instead the gold reported speech whose content runs over more than one
sentence (crosswire's own sentence frames of the content's extent: "X said A. B."; "X
warned: A. B."), and how the candidates fare on them: matched with the filter on, matched
only with it off, overlapped by a candidate that covers less than half of it (too short:
mostly the first sentence alone), overlapped otherwise, or no candidate. On all of PolNeAR
train (session 15, the rules of 7cac879): 77 of 13,336 gold indirect contents (26 matched,
3 matched with the filter off only, 35 too short, 13 with no candidate), too few for a rule
of their own: at most 35 more matched gold, recall +0.003; many are interview answers after
"NAME:", block quotations after a colon and tweets, not the writer's reported speech.

    python bench/span_misses.py CACHE POLNEAR_OUT [--examples N] [--cause CAUSE] [--sentences]

CACHE and POLNEAR_OUT as for bench/fit_indirect_filter.py (parse first). Train only.
"""
from __future__ import annotations

import argparse
import collections
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fit_confidence import DEFAULT_POLNEAR, load_polnear  # noqa: E402
from fit_indirect_filter import candidates_and_kept  # noqa: E402

_WORD = re.compile(r"\w+|[^\w\s]")
_BOUNDARY_WORDS = {
    "and": "and", "but": "but", "or": "or", "while": "while", "although": "although", "though": "though",
    "which": "relative", "who": "relative", "whom": "relative", "whose": "relative", "where": "relative",
    "when": "when", "because": "because", "as": "as", "if": "if", "that": "that", "to": "to",
    "(": "parenthesis", ")": "parenthesis", ";": "semicolon", ":": "colon", '"': "quote", "“": "quote",
    "”": "quote", "—": "dash", "–": "dash",
}


def gap_kind(gap: str) -> str:
    """A name for the first thing in `gap` (text between two edges): a sentence end, a
    dash, a comma with the word after it, or the first word's class."""
    g = gap.lstrip(" \t")
    if not g:
        return "(none)"
    if g[0] == "\n":
        return "paragraph break"
    if g[0] in ".!?":
        return "sentence end"
    if g.startswith(("--", " - ")) or g[0] == "-" and g[1:2] == " ":
        return "dash"
    words = _WORD.findall(g[:80].lower())
    if not words:
        return "(none)"
    if words[0] == ",":
        nxt = words[1] if len(words) > 1 else ""
        return ", " + _BOUNDARY_WORDS.get(nxt, "said-like" if nxt in _SAID else "other")
    return _BOUNDARY_WORDS.get(words[0], "said-like" if words[0] in _SAID else "other")


_SAID = {"said", "says", "say", "told", "added", "according", "wrote", "argued", "noted", "explained", "insisted"}


def multi_sentence(gold, texts, all_by_file, hit_all, hit_kept):
    """{how the candidates fare: [(file, gold)]} for the gold indirect contents that run
    over more than one sentence (see the module's docstring), and the number of gold
    indirect contents."""
    from crosswire.quotes import sentences
    out, total = collections.defaultdict(list), 0
    for f, rs in gold.items():
        art = texts[f]
        for r in rs:
            if r["quoted"] != "indirect":
                continue
            total += 1
            if len(sentences(art.text[r["content_start"]:r["content_end"]], [])) < 2:
                continue
            G = set(art.word_ids(r["fragments"]))
            ind = [ids for st, ids in all_by_file.get(f, []) if st["kind"] == "indirect" and ids & G]
            if (f, r["id"]) in hit_kept:
                how = "matched"
            elif (f, r["id"]) in hit_all:
                how = "matched with the filter off only"
            elif not ind:
                how = "no candidate"
            else:
                best = max(ind, key=lambda ids: len(ids & G))
                how = "too short (covers < half)" if len(best & G) < len(G) / 2 else "overlapped otherwise"
            out[how].append((f, r))
    return out, total


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("cache")
    p.add_argument("polnear_out")
    p.add_argument("--examples", type=int, default=0)
    p.add_argument("--cause", default=None, help="print examples of this edge:kind only")
    p.add_argument("--sentences", action="store_true", help="gold contents over more than one sentence")
    a = p.parse_args(argv)
    pn = load_polnear(DEFAULT_POLNEAR)
    gold, texts, all_by_file, kept_by_file, (hit_all, used_all), (hit_kept, _) = \
        candidates_and_kept(pn, Path(a.cache), Path(a.polnear_out))
    if a.sentences:
        multi, total = multi_sentence(gold, texts, all_by_file, hit_all, hit_kept)
        print(f"gold indirect contents over more than one sentence: {sum(map(len, multi.values()))} of {total}")
        for how, rs in sorted(multi.items(), key=lambda kv: -len(kv[1])):
            print(f"  {how:<36}{len(rs):>6}")
            for f, r in rs[:a.examples]:
                print(f"     {f}: {r['content'][:160]!r} <- {r['source']!r} {r['cue']!r}")
        return
    by_rule = collections.Counter()
    edges = collections.Counter()
    examples = collections.defaultdict(list)
    n_span = 0
    for f, rs in gold.items():
        art = texts[f]
        for r in rs:
            if r["quoted"] != "indirect" or (f, r["id"]) in hit_all:
                continue  # matched, or matched by a candidate the filter drops: no span miss
            G = set(art.word_ids(r["fragments"]))
            ind = [(st, ids) for st, ids in all_by_file.get(f, []) if st["kind"] == "indirect" and ids & G]
            if not ind or not G:
                continue
            st, ids = max(ind, key=lambda x: len(x[1] & G))
            if id(st) in used_all and not ids <= G:  # a piece of this gold is a span miss
                rel = "gold inside ours" if G <= ids else "ours inside gold" if ids <= G else "crossing"
                edges[f"(our span matches another gold; {rel})"] += 1
                examples[f"nested: {rel}"].append((f, r, st, len(ids & G) / len(G), len(ids & G) / len(ids)))
                continue
            n_span += 1
            gs, ge = min(G), max(G)
            ps, pe = min(ids), max(ids)
            w = art.words
            kinds = []
            if pe < ge:
                kinds.append("ends early: " + gap_kind(art.text[w[pe][2]:w[ge][2]]))
            elif pe > ge:
                kinds.append("runs long: " + gap_kind(art.text[w[ge][2]:w[pe][2]]))
            if ps < gs:
                kinds.append("starts early: " + gap_kind(art.text[w[ps][1]:w[gs][1]]))
            elif ps > gs:
                kinds.append("starts late: " + gap_kind(art.text[w[gs][1]:w[ps][1]]))
            cover = len(ids & G) / len(G)
            inside = len(ids & G) / len(ids)
            main_kind = min(kinds, key=lambda k: 0) if kinds else "same edges (gaps inside)"
            if len(kinds) > 1:
                # the edge that loses more words decides
                lost = {"ends early": ge - pe, "runs long": pe - ge, "starts early": gs - ps, "starts late": ps - gs}
                main_kind = max(kinds, key=lambda k: lost[k.split(":")[0]])
            edges[main_kind] += 1
            by_rule[(main_kind.split(":")[0], st["rule"])] += 1
            examples[main_kind].append((f, r, st, cover, inside))
    print(f"span misses (gold unmatched, an indirect candidate overlaps): {n_span}")
    for k, n in edges.most_common():
        print(f"  {k:<40}{n:>6}")
    print("by edge and rule:")
    for k, n in by_rule.most_common(30):
        print(f"  {k[0]:<14}{k[1]:<26}{n:>6}")
    if a.examples:
        for k, exs in examples.items():
            if a.cause and a.cause != k:
                continue
            print(f"\n== {k}")
            for f, r, st, cover, inside in exs[:a.examples]:
                print(f"  {f} [{st['rule']}] cover {cover:.2f} inside {inside:.2f}\n"
                      f"     gold: {r['content'][:300]!r}\n     ours: {st['text'][:300]!r}")


if __name__ == "__main__":
    main()
