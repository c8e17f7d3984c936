"""Incremental runs: a cold run over N synthetic articles, a no-op re-run, and adding one article.

    .venv/bin/python bench/bench_incremental.py [--articles 1000] [--reps 3] [--out FILE]

Generates N articles (own text templates: ten invented outlets, events covered by several
of them, direct, partial and reported quotes by invented people) under a temporary raw/,
then per repetition, with a fresh datasets/ and cache:

- cold: the release flow with an empty cache (every article cleaned and run through spaCy),
- no-op: the same flow again, nothing new (every article from the cache, no NLP),
- add one: one new article added, the flow again (one article processed; in the cross-source
  stage only the event it joins is aligned again, the others come from the cache).

Times are wall-clock seconds of the `release_flow` call in one process with a warm Prefect
backend and spaCy already loaded (so the figures are the pipeline's, not start-up's);
medians over the repetitions, with the ratios to the cold run. Within each run the
cross-source stage (corroborate.cross_source_stream) is timed too, and the part of it spent on
the per-event work (alignment and utterances, served from the cache when an event's inputs
did not change); the rest of the stage (events, wire copy) is redone over all articles.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

OUTLETS = [("wirea", "Wire A", "wire"), ("dailyb", "The Daily B", "national"), ("heraldc", "Herald C", "regional"),
           ("postd", "Post D", "national"), ("timese", "Times E", "national"), ("courierf", "Courier F", "regional"),
           ("gazetteg", "Gazette G", "regional"), ("newsh", "News H", "other"), ("journali", "Journal I", "national"),
           ("expressj", "Express J", "national")]
PEOPLE = [("Maria Okafor", "the finance minister"), ("Tomas Lindqvist", "the prime minister"),
          ("Aiko Tanaka", "the foreign secretary"), ("Rafael Duarte", "the opposition leader"),
          ("Helen Mbeki", "the central bank governor"), ("Jonas Weber", "the union chief"),
          ("Priya Raman", "the health minister"), ("Samuel Osei", "the mayor")]
TOPICS = ["the budget", "the trade deal", "the rail strike", "the flood defences", "the energy prices",
          "the hospital plan", "the border talks", "the housing bill", "the water shortage", "the school reform"]
VERBS = ["said", "told reporters", "added", "warned", "insisted", "argued"]
CLAIMS = ["we will not accept {t} in its current form", "{t} is the best chance we have had in a decade",
          "nobody should be surprised by what happened with {t}", "the government has failed to explain {t}",
          "there is still time to fix {t} before the winter", "we need a fair balance on {t}",
          "families cannot wait any longer for {t}", "the numbers behind {t} simply do not add up"]
FILLER = ["Officials met for several hours on {d} to discuss {t}, according to people familiar with the talks.",
          "The debate over {t} has divided the coalition for months, and polls suggest voters are unsure.",
          "Analysts said the outcome would depend on how quickly the details of {t} could be agreed.",
          "Earlier this year, a similar proposal on {t} was withdrawn after protests in several cities.",
          "The next round of discussions on {t} is expected later this month, officials said.",
          "Critics have pointed to the cost of {t}, which some estimates put at several billion.",
          "Local groups gathered outside the ministry as the meeting on {t} went on into the evening."]


def article(rng: random.Random, event: int, n: int) -> tuple[str, dict]:
    topic = TOPICS[event % len(TOPICS)]
    day = 1 + event % 28
    date = f"2026-03-{day:02d}"
    people = rng.sample(PEOPLE, 3)
    title = f"{people[0][0].split()[1]} speaks out on {topic} as talks continue ({event}-{n})"
    paras = [f"{people[0][1].capitalize()}, {people[0][0]}, spoke on {date} about {topic} as pressure grew."]
    for i in range(4):
        name, role = people[i % 3]
        claim = rng.choice(CLAIMS).format(t=topic)
        verb = rng.choice(VERBS)
        form = rng.randrange(4)
        if form == 0:
            q = f"\u201c{claim.capitalize()},\u201d {name} {verb}."
        elif form == 1:
            q = f"{name}, {role}, {verb}: \u201c{claim.capitalize()}.\u201d"
        elif form == 2:
            q = f"{name.split()[1]} {verb} that {claim}."
        else:
            q = f"\u201c{claim.capitalize()},\u201d {verb} {role}, adding that talks would go on."
        paras.append(q + " " + rng.choice(FILLER).format(t=topic, d=date))
        paras.append(rng.choice(FILLER).format(t=topic, d=date))
    text = title + "\n\n" + "\n\n".join(paras) + "\n"
    meta = {"published": f"{date}T{8 + n % 10:02d}:00:00Z", "event": f"event-{event:04d}",
            "url": f"https://example.org/{event}/{n}"}
    return text, meta


def make_raw(root: Path, n_articles: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    for sid, name, kind in OUTLETS:
        (root / sid).mkdir(parents=True)
        (root / sid / "source.toml").write_text(
            f'name = "{name}"\nhomepage = "https://{sid}.example.org"\ncountry = "GB"\nlanguage = "en"\nkind = "{kind}"\n')
    for i in range(n_articles):
        sid = OUTLETS[i % len(OUTLETS)][0]
        text, meta = article(rng, event=i // 8, n=i)
        (root / sid / f"story-{i:05d}.txt").write_text(text, encoding="utf-8")
        (root / sid / f"story-{i:05d}.meta.json").write_text(json.dumps(meta), encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--out", help="write the figures as JSON here too")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="crosswire-bench-"))
    os.environ.setdefault("PREFECT_HOME", str(work / "prefect"))
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "CRITICAL")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from crosswire import corroborate, nlp
    from flows.release import release_flow

    stage = {"cross_source": 0.0, "event_parts": 0.0}

    def timed(name, fn):
        def wrapper(*a, **k):
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                stage[name] += time.perf_counter() - t
        return wrapper
    # the task looks these up at call time, so the wrappers see every call
    corroborate.cross_source_stream = timed("cross_source", corroborate.cross_source_stream)
    corroborate._event_part_memoised = timed("event_parts", corroborate._event_part_memoised)

    raw = work / "raw"
    make_raw(raw, args.articles)
    words = sum(len(p.read_text().split()) for p in raw.rglob("*.txt"))
    print(f"{args.articles} articles, {words:,} words, in {raw}", flush=True)
    nlp.load()  # spaCy loaded once, outside the timings
    extra_text, extra_meta = article(random.Random(99), event=3, n=args.articles)

    warm = work / "warm"  # one tiny run so the Prefect backend is up before timing
    make_raw(warm / "raw", 2)
    release_flow(raw=str(warm / "raw"), datasets=str(warm / "ds"))

    times: dict[str, list[float]] = {"cold": [], "noop": [], "add_one": []}
    xs_times: dict[str, list[float]] = {k: [] for k in times}
    part_times: dict[str, list[float]] = {k: [] for k in times}
    processed = {}
    for rep in range(args.reps):
        ds = work / f"ds-{rep}"
        for name in ("cold", "noop", "add_one"):
            if name == "add_one":
                (raw / "wirea" / "extra.txt").write_text(extra_text, encoding="utf-8")
                (raw / "wirea" / "extra.meta.json").write_text(json.dumps(extra_meta), encoding="utf-8")
            stage.update(cross_source=0.0, event_parts=0.0)
            t0 = time.perf_counter()
            result = release_flow(raw=str(raw), datasets=str(ds))
            times[name].append(time.perf_counter() - t0)
            xs_times[name].append(stage["cross_source"])
            part_times[name].append(stage["event_parts"])
            processed[name] = result["processed"]
            print(f"rep {rep + 1} {name:8s} {times[name][-1]:7.2f} s  cross-source {stage['cross_source']:6.2f} s "
                  f"(events {stage['event_parts']:6.2f} s)  processed {result['processed']}  "
                  f"release {result['release']}", flush=True)
        (raw / "wirea" / "extra.txt").unlink()
        (raw / "wirea" / "extra.meta.json").unlink()
        shutil.rmtree(ds)

    med = {k: statistics.median(v) for k, v in times.items()}
    xs_med = {k: statistics.median(v) for k, v in xs_times.items()}
    part_med = {k: statistics.median(v) for k, v in part_times.items()}
    figures = {"articles": args.articles, "words": words, "reps": args.reps, "median_seconds": med,
               "ratio_to_cold": {k: med[k] / med["cold"] for k in ("noop", "add_one")},
               "cross_source_median_seconds": xs_med, "event_parts_median_seconds": part_med,
               "processed": processed, "all_seconds": times, "cross_source_seconds": xs_times,
               "event_parts_seconds": part_times}
    print(f"\nmedian over {args.reps}: cold {med['cold']:.2f} s | no-op {med['noop']:.2f} s "
          f"({med['noop'] / med['cold']:.1%} of cold) | add one {med['add_one']:.2f} s "
          f"({med['add_one'] / med['cold']:.1%} of cold)")
    print(f"cross-source stage, median: cold {xs_med['cold']:.2f} s (events {part_med['cold']:.2f} s) | "
          f"no-op {xs_med['noop']:.2f} s (events {part_med['noop']:.2f} s) | "
          f"add one {xs_med['add_one']:.2f} s (events {part_med['add_one']:.2f} s)")
    if args.out:
        Path(args.out).write_text(json.dumps(figures, indent=2))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
