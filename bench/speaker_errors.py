"""Classify the speaker errors of a release against PolNeAR gold by cause (train only).

Statements are matched to gold attributions by polnear.py's own matching (as in
bench/fit_confidence.outcomes_of); a matched statement whose gold names a source and whose
speaker polnear.speaker_ok rejects is an error, put in the first cause that fits:

    gold_function_word         the gold source is only function words ("who", "which", "his"):
                               no speaker can match it
    nested/ours_inner          our speaker's mention lies inside the gold content: the gold is
                               the outer attribution ("According to a poll, 51 percent said X":
                               source the poll, content "51 percent said X") and our statement
                               the inner one (X, said by "51 percent"), matched to the outer
                               gold because PolNeAR rarely annotates the inner one as well
    gold_pronoun/ours_none     the gold is a pronoun ("he"), we have no speaker
    gold_pronoun/ours_named    ... we have a named mention (another mention of the person, or
                               another person)
    gold_pronoun/ours_pronoun  ... we have another pronoun
    ours_none                  the gold names someone, we have no speaker
    possessive_surname         our mention holds the gold surname with a possessive clitic
                               ("Tuttle's article"), a word the scorer does not split
    surname/ours_unresolved    the gold has a surname, we have a mention resolved to nobody
    surname/ours_pronoun       ... we have a pronoun resolved to someone else
    surname/ours_other_named   ... we name someone else (nested attribution, wrong mention)
    common/ours_other          the gold is a common noun phrase, ours shares no content word

    python bench/speaker_errors.py RELEASE POLNEAR_OUT [--show CAUSE] [--json OUT]

RELEASE: a release of the prepared split (crosswire run, or bench/fit_indirect_filter.py
score's CACHE/release/v1.0.0); POLNEAR_OUT: the folder polnear.py prepare wrote.
"""
from __future__ import annotations

import argparse
import collections
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fit_confidence import DEFAULT_POLNEAR, load_polnear, located_by_file  # noqa: E402

PRONOUNS = {"he", "she", "they", "i", "we", "him", "her", "them", "you", "it", "me", "us"}


def matched_rows(pn, release: Path, out: Path) -> list[dict]:
    """Every statement matched to a gold attribution with a source: file, task, gold, row, ok."""
    _, arts, sts, _ = pn.load_release(release)
    gold, texts, per_file = located_by_file(pn, arts, sts, out)
    rows = []
    for f, preds in per_file.items():
        art = texts[f]
        golds = [(r["id"], set(art.word_ids(r["fragments"])), r) for r in gold[f]]
        quoted = {r["id"]: {k for k in art.word_ids(r["fragments"]) if art.quoted[k]} for r in gold[f]}
        stm = {i: st for i, st, _ in preds}
        for p_kinds, g_kinds in ((("direct", "partial"), ("direct", "mixed")), (("indirect",), ("indirect",))):
            is_quote = p_kinds[0] != "indirect"
            P = [(i, ids) for i, st, ids in preds if st["kind"] in p_kinds and ids]
            G = [g for g in golds if g[2]["quoted"] in g_kinds]
            pairs, _ = pn.match(P, G, lambda pk, g: (quoted[g["id"]] or None) if is_quote else None)
            gmap = {gk: g for gk, _, g in G}
            for i, (gk, _) in pairs.items():
                g, st = gmap[gk], stm[i]
                if g["source"] is None:
                    continue
                ok = bool(pn.speaker_ok(g["source"], st.get("speaker_name"), st.get("speaker_mention")))
                rows.append(dict(file=f, task="quoted" if is_quote else "indirect", gold=g, st=st, ok=ok))
    return rows


def cause(pn, r: dict) -> str:
    src, st = r["gold"]["source"], r["st"]
    name, mention = st.get("speaker_name") or "", st.get("speaker_mention") or ""
    words = {w for w, _, _ in pn.tokens(src)}
    ours = {w for w, _, _ in pn.tokens(mention)}
    sn = pn.surname(src)
    if not sn and not words - pn.FUNCTION:
        return "gold_function_word"
    if mention and _words_inside(pn, mention, r["gold"]["content"]):
        return "nested/ours_inner"
    if not sn and words <= PRONOUNS | pn.FUNCTION:
        if not name and not mention:
            return "gold_pronoun/ours_none"
        return "gold_pronoun/ours_pronoun" if ours & PRONOUNS else "gold_pronoun/ours_named"
    if not name and not mention:
        return "ours_none"
    if sn:
        if re.search(rf"\b{re.escape(sn)}['’]s?\b", f"{name} {mention}".lower()):
            return "possessive_surname"
        if mention and not name:
            return "surname/ours_unresolved"
        return "surname/ours_pronoun" if ours & PRONOUNS else "surname/ours_other_named"
    return "common/ours_other"


def _words_inside(pn, mention: str, content: str) -> bool:
    """Is the mention's word sequence a run of the content's words?"""
    m = [w for w, _, _ in pn.tokens(mention)]
    c = [w for w, _, _ in pn.tokens(content)]
    return bool(m) and any(c[k:k + len(m)] == m for k in range(len(c) - len(m) + 1))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("release")
    ap.add_argument("polnear_out")
    ap.add_argument("--polnear", default=str(DEFAULT_POLNEAR))
    ap.add_argument("--show", metavar="CAUSE", help="print the errors of causes starting with CAUSE")
    ap.add_argument("--json", help="write every matched row with its cause here")
    a = ap.parse_args(argv)
    pn = load_polnear(Path(a.polnear))
    rows = matched_rows(pn, Path(a.release), Path(a.polnear_out))
    for r in rows:
        r["cause"] = "" if r["ok"] else cause(pn, r)
    for task in ("quoted", "indirect"):
        rs = [r for r in rows if r["task"] == task]
        errs = [r for r in rs if not r["ok"]]
        print(f"== {task}: speaker right {len(rs) - len(errs)}/{len(rs)}; {len(errs)} errors")
        for k, v in collections.Counter(r["cause"] for r in errs).most_common():
            print(f"   {v:5d}  {k}")
        print("   by rule:", collections.Counter(r["st"]["rule"] for r in errs).most_common(10))
    if a.show:
        for r in rows:
            if not r["ok"] and r["cause"].startswith(a.show):
                st = r["st"]
                print(f"  {r['task']} [{st['rule']}/{st['resolution']}] gold {r['gold']['source'][:70]!r} | "
                      f"ours {st.get('speaker_name')!r} / {st.get('speaker_mention')!r} | {r['file']}")
    if a.json:
        Path(a.json).write_text(json.dumps([dict(file=r["file"], task=r["task"], ok=r["ok"], cause=r["cause"],
                                                 gold_source=r["gold"]["source"], rule=r["st"]["rule"],
                                                 name=r["st"].get("speaker_name"),
                                                 mention=r["st"].get("speaker_mention")) for r in rows],
                                           indent=0, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
