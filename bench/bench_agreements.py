"""Benchmark: cost of the cross-source stage as one event grows.

A synthetic event (one sidecar event key) of N articles, one outlet each, ~8 statements per
article drawn from a pool of utterances: full quotes with small edits, 2-6 word fragments,
reported speech; some articles republish one of a few wire stories. Times
`corroborate.cross_source` (events, wire copy, alignment, attribution) at several sizes,
median CPU time of repeated runs, and an all-pairs scoring baseline at the smaller sizes.

    .venv/bin/python bench/bench_agreements.py [--sizes 125 250 500 1000 2000] [--repeat 3]
"""
from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crosswire import align, corroborate  # noqa: E402

FUNCTION = ("the of and to in that we is for on it with as was this have are be at not by "
            "but from they will our there has all been would their which".split())


def vocabulary(rng: random.Random, n: int = 4000) -> tuple[list[str], list[float]]:
    syl = ["ka", "lo", "mi", "ver", "tan", "sol", "rek", "dun", "pra", "ist", "mon", "bel",
           "gar", "tor", "vin", "ash", "el", "ur", "quo", "zen"]
    words = sorted({"".join(rng.choice(syl) for _ in range(rng.randint(2, 4))) for _ in range(n * 2)})
    rng.shuffle(words)
    words = words[:n]
    return words, [1 / (r + 1) for r in range(len(words))]   # Zipf


class Gen:
    def __init__(self, seed: int = 7, utterances: int = 300, speakers: int = 25):
        self.rng = random.Random(seed)
        self.words, self.weights = vocabulary(self.rng)
        self.speakers = [f"Speaker {chr(65 + i % 26)}{i}" for i in range(speakers)]
        self.pool = [(self.sentence(self.rng.randint(25, 70)), self.rng.choice(self.speakers))
                     for _ in range(utterances)]
        self.wires = [self.paragraphs(5, 50) for _ in range(6)]

    def sentence(self, n: int) -> list[str]:
        out = []
        while len(out) < n:
            out.append(self.rng.choice(FUNCTION) if self.rng.random() < 0.45 else
                       self.rng.choices(self.words, self.weights)[0])
        return out

    def paragraphs(self, k: int, n: int) -> list[str]:
        return [" ".join(self.sentence(n)).capitalize() + "." for _ in range(k)]

    def article(self, i: int):
        rng = self.rng
        aid = "art_" + hashlib.sha256(f"a{i}".encode()).hexdigest()[:16]
        paras = self.paragraphs(6, 45)
        if rng.random() < 0.2:
            paras = rng.choice(self.wires) + paras[:2]
        statements = []
        for u in rng.sample(range(len(self.pool)), 8):
            words, speaker = self.pool[u]
            kind = rng.choices(["direct", "partial", "indirect"], [0.5, 0.3, 0.2])[0]
            if kind == "direct":
                quote = list(words)
                for _ in range(rng.randint(0, 3)):   # small edits: a translator, a typo
                    quote[rng.randrange(len(quote))] = rng.choice(self.words)
            elif kind == "partial":
                n = rng.randint(2, 6)
                s = rng.randrange(len(words) - n)
                quote = words[s:s + n]
            else:
                quote = rng.sample(words, len(words) // 2)
            named = rng.random()
            name = speaker if named < 0.85 else None
            text = " ".join(quote)
            para = f'{name or "An official"} said: "{text}."' if kind != "indirect" else \
                f"{name or 'An official'} said that {text}."
            pos = rng.randrange(len(paras) + 1)
            paras.insert(pos, para)
            statements.append((aid, kind, text, name, "name" if name else
                               rng.choice(["none", "role"])))
        body = "\n\n".join(paras)
        stmts = []
        for k, (aid_, kind, text, name, res) in enumerate(statements):
            start = body.index(text)
            stmts.append({
                "statement_id": "stm_" + hashlib.sha256(f"{aid}{k}".encode()).hexdigest()[:16],
                "article_id": aid, "kind": kind, "text": text, "char_start": start,
                "char_end": start + len(text), "section": "body",
                "speaker_id": ("spk_" + hashlib.sha256(name.lower().encode()).hexdigest()[:16])
                if name else None, "speaker_name": name, "speaker_mention": name or "an official",
                "resolution": res, "cue": "said", "confidence": 0.8})
        art = {"article_id": aid, "source_id": f"src{i}", "title": " ".join(self.sentence(9)),
               "standfirst": None, "summary": None, "text": body, "published": None,
               "event_key": "bench-event", "event_id": None}
        return art, stmts


def corpus(n: int, seed: int = 7):
    g = Gen(seed)
    arts, stmts = [], []
    for i in range(n):
        a, s = g.article(i)
        arts.append(a)
        stmts += s
    return arts, stmts


def all_pairs(articles, statements) -> int:
    """Baseline: score every cross-source pair of statements (strong relations and the
    paraphrase score), as the stage would without blocking."""
    source_of = {a["article_id"]: a["source_id"] for a in articles}
    prepared = [align.prepare(i, s, source_of) for i, s in enumerate(statements)]
    idf = align.weigh(prepared, align.idf_table(prepared))
    found = 0
    for i, a in enumerate(prepared):
        for b in prepared[i + 1:]:
            if a.source_id != b.source_id:
                found += bool(align.score_strong(a, b, idf)) or align.paraphrase_score(a, b, idf) > 0
    return found


def timed(fn, repeat: int) -> float:
    """Median CPU seconds of this process (the stage is single-threaded; CPU time is
    steadier than wall time on a shared machine)."""
    times = []
    for _ in range(repeat):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[125, 250, 500, 1000, 2000])
    ap.add_argument("--baseline-max", type=int, default=500)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    print(f"{'articles':>8} {'statements':>10} {'agreements':>10} {'stage s':>8} "
          f"{'ms/stmt':>8} {'all-pairs s':>11} {'ratio':>6}")
    for n in a.sizes:
        arts, stmts = corpus(n)
        result = corroborate.cross_source(arts, stmts)
        t = timed(lambda: corroborate.cross_source(arts, stmts), a.repeat)
        base = ratio = ""
        if n <= a.baseline_max:
            tb = timed(lambda: all_pairs(arts, stmts), max(1, a.repeat // 2))
            base, ratio = f"{tb:11.2f}", f"{tb / t:6.1f}"
        print(f"{n:8d} {len(stmts):10d} {len(result[3]):10d} {t:8.2f} "
              f"{1000 * t / len(stmts):8.3f} {base:>11} {ratio:>6}", flush=True)


if __name__ == "__main__":
    main()
