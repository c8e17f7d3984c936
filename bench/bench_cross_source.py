"""Benchmark: cost of the cross-source work of one event against its number of statements.

A synthetic event (one sidecar event key) whose coverage grows the way real coverage grows:
more outlets, more people quoted, more things said, each thing carried by a bounded number of
outlets (a press conference line by up to ~25 outlets, most lines by a few). Statements are
drawn from a pool of utterances of 1-3 sentences over a Zipf-Mandelbrot vocabulary: full quotations
(some with contractions spelt out, a word changed by a translator, a sentence dropped), one
sentence of one, 3-6 word fragments, reported speech, and lines only one outlet carries.
Every outlet names the speaker most of the time; a few articles republish wire copy.

Times, in one run, the median CPU seconds of repeated calls of
- `align`: crosswire.align.align_event over the event (blocking, scoring, attribution,
  paraphrases), and
- `utterances`: crosswire.utterances.event_utterances given those links, and
- `links`: crosswire.align.utterance_links, the agreements the utterances complete (on
  the event as align.prepare_event made it for both steps),
and prints per size the medians, the cost per statement and the ratio of that cost to the
smallest size's (1.0 = exactly linear; a quadratic step would double it at every doubling),
and the work per statement that the blocking leaves: candidate pairs scored and posting
entries scanned (flat when the blocking scales: what grows beyond that is the machine's
memory hierarchy, not the algorithm).

    .venv/bin/python bench/bench_cross_source.py [--sizes 625 1250 2500 5000 10000] [--repeat 3]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crosswire import align, utterances  # noqa: E402

FUNCTION = ("the of and to in that we is for on it with as was this have are be at not by but "
            "from they will our there has all been would their which".split())
SWAPS = {"do not": "don't", "will not": "won't", "it is": "it's", "we are": "we're",
         "we have": "we've", "is not": "isn't"}
STATEMENTS_PER_ARTICLE = 8
CARRIERS = 10          # mean outlets per utterance (bounded: the pool grows with the event)


class Event:
    """A generator of one event's articles and statements, deterministic for a seed."""

    def __init__(self, statements: int, seed: int = 11):
        self.rng = random.Random(seed)
        syl = ["ka", "lo", "mi", "ver", "tan", "sol", "rek", "dun", "pra", "ist", "mon", "bel",
               "gar", "tor", "vin", "ash", "el", "ur", "quo", "zen"]
        words = sorted({"".join(self.rng.choice(syl) for _ in range(self.rng.randint(2, 4)))
                        for _ in range(12000)})
        self.rng.shuffle(words)
        self.words = words[:5000]
        # Zipf-Mandelbrot (rank + 50): the commonest content word is ~0.4% of content
        # words, as in English news once function words are set aside (plain Zipf over a
        # content vocabulary would make it 11%)
        self.weights = [1 / (r + 50) for r in range(len(self.words))]
        articles = max(2, statements // STATEMENTS_PER_ARTICLE)
        self.speakers = [f"Speaker {i}" for i in range(max(8, articles // 20))]
        n_utt = max(4, statements * 3 // (4 * CARRIERS))
        self.pool = [([self.sentence() for _ in range(self.rng.choice((1, 1, 2, 3)))],
                      self.rng.choice(self.speakers)) for _ in range(n_utt)]
        # popularity: in every hundred lines a few are carried by many outlets, most by a
        # few; the most carried line has about as many outlets at every size
        self.pop = [1 / (r % 100 + 1) ** 0.6 for r in range(n_utt)]
        self.articles = articles

    def sentence(self) -> str:
        out = []
        for _ in range(self.rng.randint(8, 24)):
            if self.rng.random() < 0.45:
                out.append(self.rng.choice(FUNCTION))
            else:
                out.append(self.rng.choices(self.words, self.weights)[0])
        return " ".join(out).capitalize() + "."

    def wording(self, sentences: list[str]) -> tuple[str, str]:
        """(kind, text) of one outlet's version of an utterance."""
        rng = self.rng
        form = rng.choices(["full", "sentence", "fragment", "indirect"], [0.45, 0.25, 0.2, 0.1])[0]
        if form == "full":
            text = " ".join(sentences)
            if rng.random() < 0.3:
                ws = text.split()
                ws[rng.randrange(len(ws))] = rng.choice(self.words)   # a translator's word
                text = " ".join(ws)
            for long, short in SWAPS.items():
                if rng.random() < 0.5:
                    text = text.replace(long, short)
            return "direct", text
        if form == "sentence":
            return "direct", rng.choice(sentences)
        ws = rng.choice(sentences).rstrip(".").split()
        if form == "fragment":
            n = min(len(ws), rng.randint(3, 6))
            s = rng.randrange(len(ws) - n + 1)
            return "partial", " ".join(ws[s:s + n])
        return "indirect", " ".join(rng.sample(ws, max(3, len(ws) // 2)))

    def build(self):
        rng = self.rng
        arts, stmts = [], []
        for i in range(self.articles):
            aid = "art_" + hashlib.sha256(f"a{i}".encode()).hexdigest()[:16]
            paras, rows = [self.sentence()], []
            for k in range(STATEMENTS_PER_ARTICLE):
                if rng.random() < 0.25:   # a line only this outlet carries
                    sentences, speaker = [self.sentence()], rng.choice(self.speakers)
                else:
                    sentences, speaker = rng.choices(self.pool, self.pop)[0]
                kind, text = self.wording(sentences)
                name = speaker if rng.random() < 0.85 else None
                paras.append(f'{name or "An official"} said: "{text}"' if kind != "indirect"
                             else f"{name or 'An official'} said that {text}.")
                rows.append((kind, text, name))
            body = "\n\n".join(paras)
            for k, (kind, text, name) in enumerate(rows):
                start = body.index(text)
                stmts.append({
                    "statement_id": "st_" + hashlib.sha256(f"{aid}{k}".encode()).hexdigest()[:16],
                    "article_id": aid, "kind": kind, "text": text, "char_start": start,
                    "char_end": start + len(text), "section": "body",
                    "speaker_id": "spk_" + hashlib.sha256(name.lower().encode()).hexdigest()[:16]
                    if name else None, "speaker_name": name,
                    "speaker_mention": name or "an official",
                    "resolution": "name" if name else rng.choice(["none", "role"]),
                    "cue": "said", "confidence": 0.8})
            arts.append({"article_id": aid, "source_id": f"outlet{i}", "title": self.sentence(),
                         "standfirst": None, "summary": None, "text": body, "published": None,
                         "event_key": "bench", "event_id": None})
        return arts, stmts


def cold() -> None:
    """Empty the word caches, so that every call pays for its own tokenising (the bounded
    caches would otherwise favour the small sizes, whose words all stay cached)."""
    for fn in (align._short_tokens, align._long_tokens, align.expand, align.stem):
        fn.cache_clear()


def median_cpu(fn, repeat: int):
    """Median CPU seconds of this process over `repeat` calls from cold word caches
    (steadier than wall time on a shared machine; the work is single-threaded), and the
    last result."""
    times, out = [], None
    for _ in range(repeat):
        cold()
        t = time.process_time()
        out = fn()
        times.append(time.process_time() - t)
    return statistics.median(times), out


def work(stmts: list[dict], source_of: dict[str, str]) -> tuple[int, int]:
    """(candidate pairs, posting entries scanned) of the strong and paraphrase blocking."""
    preps = [align.prepare(i, s, source_of) for i, s in enumerate(stmts)]
    idf = align.weigh(preps, align.idf_table(preps))
    speakers = {p.idx: p.speaker_id for p in preps}
    cands = len(align.strong_candidates(preps)) + \
        len(align.paraphrase_candidates(preps, speakers, idf, set()))
    df = Counter(b for p in preps for b in p.bigrams)
    wdf = Counter((p.speaker_id, w) for p in preps if p.speaker_id for w in p.cset)
    scanned = 0
    for p in preps:
        ranked = sorted(p.bigrams, key=lambda b: (df[b], b))
        keep = len(ranked) - math.ceil(align.BIGRAM_SHARE * len(ranked)) + 1 if ranked else 0
        scanned += sum(df[b] for b in ranked[:keep])
        if p.speaker_id:
            scanned += sum(wdf[(p.speaker_id, w)] for w in align.paraphrase_prefix(p, idf))
    return cands, scanned


def measure(n: int, repeat: int) -> dict:
    arts, stmts = Event(n).build()
    source_of = {x["article_id"]: x["source_id"] for x in arts}
    by_id = {x["article_id"]: x for x in arts}
    t_align, (links, _) = median_cpu(lambda: align.align_event(stmts, source_of), repeat)
    pairs = [(link.a.sid, link.b.sid) for link in links]
    t_utt, (rows, _, every) = median_cpu(
        lambda: utterances.event_utterances("evt_" + "0" * 16, stmts, pairs, by_id,
                                            lambda x, y: False), repeat)
    # the flow prepares the event once for both steps: the links step is timed without it
    event = align.prepare_event(stmts, source_of)
    speaker_of = {x["statement_id"]: x.get("speaker_id") for x in stmts}
    t_links, more = median_cpu(lambda: align.utterance_links(event, speaker_of, every, links), repeat)
    cands, scanned = work(stmts, source_of)
    return {"statements": len(stmts), "outlets": len(arts), "agreements": len(links) + len(more),
            "utterances": len(rows), "cands": cands, "scanned": scanned,
            "align": t_align, "utter": t_utt, "links": t_links}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[625, 1250, 2500, 5000, 10000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)  # one size, as JSON (internal)
    a = ap.parse_args()
    if a.one:
        print(json.dumps(measure(a.one, a.repeat)))
        return
    print(f"{'statements':>10} {'outlets':>7} {'agreements':>10} {'utterances':>10} "
          f"{'cand/st':>7} {'scan/st':>7} {'align s':>8} {'utter s':>8} {'links s':>8} {'total s':>8} "
          f"{'ms/stmt':>8} {'vs first':>8}")
    first = None
    for n in a.sizes:
        # each size in a fresh interpreter: no heap or cache state carried between sizes
        out = subprocess.run([sys.executable, __file__, "--one", str(n), "--repeat", str(a.repeat)],
                             capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        total = r["align"] + r["utter"] + r["links"]
        per = 1000 * total / r["statements"]
        first = first or per
        print(f"{r['statements']:10d} {r['outlets']:7d} {r['agreements']:10d} {r['utterances']:10d} "
              f"{r['cands'] / r['statements']:7.1f} {r['scanned'] / r['statements']:7.1f} "
              f"{r['align']:8.2f} {r['utter']:8.2f} {r['links']:8.2f} {total:8.2f} {per:8.3f} {per / first:8.2f}",
              flush=True)


if __name__ == "__main__":
    main()
