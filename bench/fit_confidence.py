"""Fit `confidence` per attribution rule on PolNeAR train and measure its calibration.

A statement is *right* when PolNeAR's scorer matches it to a gold attribution of its kind
(a quotation to a quoted gold, reported speech to an indirect one: the matching of
polnear.py, pairs and pieces) and, where the gold names a source, the speaker is right by
the scorer's test (speaker_ok). The estimate for a statement is the rate of right ones
among statements alike, shrunk step by step from the coarse to the fine (empirical Bayes
with a Beta prior of weight M):

    kind (quoted | indirect)  ->  rule  ->  rule + how the speaker was found (resolution)

    p_kind = (right + 1) / (n + 2)
    p_rule = (right_rule + M * p_kind) / (n_rule + M)
    p_cell = (right_cell + M * p_rule) / (n_cell + M)

so that a rule seen a few times keeps close to its kind, and a resolution seen a few
times within a rule close to the rule. A limit of the measure: PolNeAR's scorer checks a
pronoun speaker by its words ("he" against a gold "he"), not by the person it was
resolved to, so rows resolved by pronoun are scored on their mention only. Written to crosswire/data/confidence.toml with its
provenance; crosswire.statements reads it.

    fit:      python bench/fit_confidence.py fit RELEASE POLNEAR_OUT [--out crosswire/data/confidence.toml]
    measure:  python bench/fit_confidence.py ece RELEASE POLNEAR_OUT

RELEASE is a crosswire release of the prepared split (`crosswire run --raw OUT/rawroot`);
POLNEAR_OUT the folder `polnear.py prepare` wrote (gold.json, rawroot/). The matching
functions are imported at run time from polnear.py (default ../shared/eval/polnear.py,
or --polnear PATH). Fit on train only; measure on dev.
"""
from __future__ import annotations

import argparse
import collections
import datetime as dt
import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_POLNEAR = ROOT.parent / "shared" / "eval" / "polnear.py"
M = 10.0  # prior weight (pseudo-statements) of the coarser estimate
BINS = 10


def load_polnear(path: Path):
    if not path.is_file():
        sys.exit(f"{path}: polnear.py not found (give --polnear PATH)")
    spec = importlib.util.spec_from_file_location("polnear", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def outcomes(pn, release: Path, out: Path) -> list[tuple[dict, bool]]:
    """(statement row, right?) for every statement of the release on an article of gold.json."""
    _, arts, sts, _ = pn.load_release(release)
    return outcomes_of(pn, arts, sts, out)


def located_by_file(pn, arts: list[dict], sts: list[dict], out: Path) -> tuple[dict, dict, dict]:
    """(gold.json, {file: polnear Article}, {file: [(index, statement, gold word ids it covers)]})
    for the statements on articles of gold.json."""
    gold = json.loads((out / "gold.json").read_text(encoding="utf-8"))
    by_id = {a["article_id"]: a for a in arts}
    texts = {f: pn.Article((out / "rawroot" / f).read_text(encoding="utf-8")) for f in gold}
    per_file = collections.defaultdict(list)
    for i, st in enumerate(sts):
        art = by_id.get(st["article_id"])
        if art is None or art["raw_path"] not in gold:
            continue
        f = art["raw_path"]
        sec = st.get("section") or "body"
        ids = pn.locate(texts[f], st, art.get("text" if sec == "body" else sec))
        per_file[f].append((i, st, set(ids or ())))
    return gold, texts, per_file


def outcomes_of(pn, arts: list[dict], sts: list[dict], out: Path, with_match: bool = False) -> list[tuple]:
    """outcomes() of article and statement rows; with_match adds a third item, whether the
    statement matched a gold of its kind at all (the scorer's precision), speaker aside."""
    gold, texts, per_file = located_by_file(pn, arts, sts, out)
    result = []
    tasks = ((("direct", "partial"), ("direct", "mixed")), (("indirect",), ("indirect",)))
    for f, preds in per_file.items():
        art = texts[f]
        golds = [(r["id"], set(art.word_ids(r["fragments"])), r) for r in gold[f]]
        quoted = {r["id"]: {k for k in art.word_ids(r["fragments"]) if art.quoted[k]} for r in gold[f]}
        for p_kinds, g_kinds in tasks:
            P = [(i, ids) for i, st, ids in preds if st["kind"] in p_kinds and ids]
            G = [g for g in golds if g[2]["quoted"] in g_kinds]
            is_quote = p_kinds[0] != "indirect"

            def target(pk, g):
                return (quoted[g["id"]] or None) if is_quote else None
            pairs, _ = pn.match(P, G, target)
            gmap = {gk: g for gk, _, g in G}
            for i, st, ids in preds:
                if st["kind"] not in p_kinds:
                    continue
                hit = pairs.get(i)
                right = False
                if hit:
                    g = gmap[hit[0]]
                    right = g["source"] is None or bool(pn.speaker_ok(
                        g["source"], st.get("speaker_name"), st.get("speaker_mention")))
                result.append((st, right, bool(hit)) if with_match else (st, right))
    return result


def kind_of(st: dict) -> str:
    return "indirect" if st["kind"] == "indirect" else "quoted"


def fit(rows: list[tuple[dict, bool]]) -> dict:
    count = collections.defaultdict(lambda: [0, 0])  # key -> [n, right]
    for st, right in rows:
        for key in (("kind", kind_of(st)), ("rule", st["rule"]),
                    ("cell", f"{st['rule']}|{st['resolution']}")):
            count[key][0] += 1
            count[key][1] += right
    kind_of_rule = {st["rule"]: kind_of(st) for st, _ in rows}
    table = {"kind": {}, "rule": {}, "cell": {}}
    for (level, key), (n, r) in sorted(count.items()):
        if level == "kind":
            p = (r + 1) / (n + 2)
        elif level == "rule":
            prior = table["kind"].get(kind_of_rule[key]) or _kind_p(count, kind_of_rule[key])
            p = (r + M * prior["p"]) / (n + M)
        else:
            rule = key.split("|")[0]
            prior_rule = _rule_p(count, kind_of_rule, rule)
            p = (r + M * prior_rule) / (n + M)
        table[level][key] = {"p": round(p, 4), "n": n, "right": r}
    return table


def _kind_p(count, kind) -> dict:
    n, r = count[("kind", kind)]
    return {"p": (r + 1) / (n + 2)}


def _rule_p(count, kind_of_rule, rule) -> float:
    n, r = count[("rule", rule)]
    return (r + M * _kind_p(count, kind_of_rule[rule])["p"]) / (n + M)


def ece(rows: list[tuple[dict, bool]]) -> tuple[float, list]:
    """Expected calibration error: |mean confidence - share right| per equal-width bin of
    confidence, weighted by the bin's share of statements."""
    bins = [[] for _ in range(BINS)]
    for st, right in rows:
        c = st["confidence"]
        bins[min(int(c * BINS), BINS - 1)].append((c, right))
    total = sum(len(b) for b in bins)
    err, report = 0.0, []
    for k, b in enumerate(bins):
        if not b:
            continue
        conf = sum(c for c, _ in b) / len(b)
        acc = sum(r for _, r in b) / len(b)
        err += len(b) / total * abs(conf - acc)
        report.append((k / BINS, (k + 1) / BINS, len(b), conf, acc))
    return err, report


def write_toml(table: dict, path: Path, source: str, n: int) -> None:
    lines = [
        "# Confidence of a statement, per attribution rule: the estimated chance that it is",
        "# right (PolNeAR's scorer matches it to a gold attribution of its kind and, where the",
        "# gold names a source, the speaker is right).",
        "# Fitted by bench/fit_confidence.py (empirical Bayes: kind -> rule -> rule|resolution,",
        f"# prior weight {M:g}); do not edit by hand, refit. Pronoun rows are scored on their",
        "# mention (the scorer does not check whom a pronoun was resolved to).",
        f"# source: {source}",
        f"# statements: {n}; fitted: {dt.date.today().isoformat()}",
        "",
    ]
    for level in ("kind", "rule", "cell"):
        lines.append(f"[{level}]")
        for key, v in table[level].items():
            lines.append(f'"{key}" = {{ p = {v["p"]}, n = {v["n"]}, right = {v["right"]} }}')
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("cmd", choices=["fit", "ece"])
    ap.add_argument("release")
    ap.add_argument("polnear_out")
    ap.add_argument("--out", default=str(ROOT / "crosswire" / "data" / "confidence.toml"))
    ap.add_argument("--polnear", default=str(DEFAULT_POLNEAR))
    a = ap.parse_args(argv)
    pn = load_polnear(Path(a.polnear))
    rows = outcomes(pn, Path(a.release), Path(a.polnear_out))
    if not rows:
        sys.exit(f"{a.release}: no statement on an article of {a.polnear_out}/gold.json")
    if a.cmd == "fit":
        prep = json.loads((Path(a.polnear_out) / "prepare.json").read_text())
        source = (f"PolNeAR {prep['split']} split, {prep['articles']} of {prep['articles_in_split']} "
                  f"articles (polnear.py prepare --limit), crosswire release {Path(a.release).name}")
        if prep["split"] != "train":
            sys.exit("fit on the train split only")
        write_toml(fit(rows), Path(a.out), source, len(rows))
        print(f"fitted on {len(rows)} statements -> {a.out}")
    err, report = ece(rows)
    for lo, hi, n, conf, acc in report:
        print(f"  [{lo:.1f}, {hi:.1f})  n={n:<5} mean confidence {conf:.3f}  right {acc:.3f}")
    print(f"ECE {err:.4f} over {len(rows)} statements ({BINS} equal-width bins)")


if __name__ == "__main__":
    main()
