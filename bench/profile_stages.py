"""Where a run's time and memory go, stage by stage, in one process.

    .venv/bin/python bench/profile_stages.py --raw RAW --datasets DS [--add HELD] [--prof out.prof] [--json out.json] [--trace N]

Runs the release flow without a Prefect API (flows.release.local_release, as `crosswire run`
does when no server is configured), in this process, with the flow's stage functions wrapped:
for each stage, its wall time, the process's resident size when it starts and ends and its
peak inside (sampled every 5 ms by a thread; VmHWM cannot be reset per stage everywhere), and
Arrow's allocated bytes at the same points. Nested stages (publish's plan, validation, write,
...) are indented under theirs. The import of the flow is the first row.

--add HELD: a folder laid out like the raw root (<outlet>/<file>) whose files are copied into
RAW before the run and removed after it: the "one article added" trial. The datasets folder
is copied to a temporary sibling first (--keep-datasets to run in place), so that every trial
starts from the same release and cache.

--resident: `crosswire watch`'s start (flows.release.preload: spaCy, the language identifier,
the events' word frequencies, pandera) and its first check (a run with nothing added, in
DATASETS itself: use it with --keep-datasets) are done before the run, outside its figures: a
check of a resident process, not a fresh `crosswire run`.

--trace N: allocations traced (tracemalloc; the run is slower): each stage's traced size at
its end and its traced peak, and for the stages that grew the resident size by 10 MB or more
the N source lines holding the most memory at their end (Python objects and numpy arrays;
Arrow's pool is not traced): which objects a stage's memory is.

A run that is cold except for the NLP: a datasets folder holding only `.cache/articles` and
`.cache/statements` of an earlier run (its releases and cross-source state left out).

Pure measurement: nothing of the flow is changed, only timed.
"""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import shutil
import sys
import threading
import time
from pathlib import Path

# the code tree measured: this checkout, or another one's (CROSSWIRE_BENCH_CODE: a folder of
# `git archive`, say), instrumented alike (bench/compare_add_one.py)
ROOT = Path(os.environ.get("CROSSWIRE_BENCH_CODE") or Path(__file__).resolve().parents[1]).resolve()
sys.path.insert(0, str(ROOT))

import procstats  # noqa: E402  (this checkout's bench/, the script's folder)
from procstats import rss  # noqa: E402


class Sampler(threading.Thread):
    """The resident size every `every` seconds; `peak_since(mark)` is the largest sample (or
    the current size) since the mark was taken."""

    def __init__(self, every: float = 0.005):
        super().__init__(daemon=True)
        self.every, self.samples, self.stop = every, [], threading.Event()

    def run(self):
        while not self.stop.is_set():
            self.samples.append(rss())
            time.sleep(self.every)

    def mark(self) -> int:
        return len(self.samples)

    def peak_since(self, mark: int) -> int:
        return max([rss(), *self.samples[mark:]])


RECORDS: list[dict] = []
DEPTH = [0]
TRACE = {"top": 0}   # --trace N: the N largest allocation sites live at each stage's end (tracemalloc)


def traced_sites(top: int) -> list[str]:
    """The `top` source lines holding the most memory now (Python objects and numpy arrays;
    not Arrow's pool), as "MB file:line"."""
    import tracemalloc

    stats = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)]) \
        .statistics("lineno")
    return [f"{st.size / 2**20:7.1f} MB {st.traceback[0].filename.rsplit('/', 2)[-1]}:{st.traceback[0].lineno}"
            for st in stats[:top]]


def arrow_bytes() -> int:
    import pyarrow as pa
    return pa.total_allocated_bytes()


def wrapped(label, fn, sampler: Sampler, label_of=None):
    def inner(*args, **kwargs):
        name = label_of(*args, **kwargs) if label_of else label
        rec = {"stage": name, "depth": DEPTH[0], "rss_start": rss(), "arrow_start": arrow_bytes()}
        RECORDS.append(rec)
        if TRACE["top"]:
            import tracemalloc

            tracemalloc.reset_peak()
        mark, t0, c0 = sampler.mark(), time.perf_counter(), time.process_time()
        rec["start"] = t0
        DEPTH[0] += 1
        try:
            return fn(*args, **kwargs)
        finally:
            DEPTH[0] -= 1
            rec.update(seconds=time.perf_counter() - t0, cpu=time.process_time() - c0, rss_end=rss(),
                       rss_peak=sampler.peak_since(mark), arrow_end=arrow_bytes())
            if TRACE["top"]:
                import tracemalloc

                rec["traced_end"], rec["traced_peak"] = tracemalloc.get_traced_memory()
                rec["sites"] = traced_sites(TRACE["top"])
    inner.__wrapped__ = fn
    return inner


def instrument(sampler: Sampler) -> None:
    """Wrap the stages the flow calls (module globals, looked up at call time)."""
    from dataclasses import replace

    import flows.release as fr
    from crosswire import cache, corroborate, datacard, diff, nlp, publish, statements, validate

    def patch(module, name, label=None, label_of=None):
        setattr(module, name, wrapped(label or name, getattr(module, name), sampler, label_of))

    for name in ("load_sources_task", "ingest_task", "cross_source_task", "publish_task"):
        step = getattr(fr, name)
        setattr(fr, name, replace(step, fn=wrapped(step.name, step.fn, sampler)))
    patch(fr, "_map_cached", label_of=lambda store, bar, stage, *a, **k: f"cached {stage} (read + compute)")
    patch(fr, "registry_path")
    patch(fr, "_article_rows")
    patch(fr, "changed_inputs")
    patch(fr, "nlp_workers")
    patch(fr, "give_back_memory")
    if hasattr(fr, "_tables"):  # the tables built from the stages' results (older code: inline in the flow)
        patch(fr, "_tables", "build tables")
    patch(fr.publish, "last_values", "previous event ids (last_values)")
    patch(fr.publish, "take_tables")
    patch(fr.statements, "build_speakers")
    patch(fr.corroborate, "cross_source_stream")
    from crosswire import copies, events
    patch(events, "cluster", "events.cluster")
    patch(events, "event_rows", "events.event_rows")
    patch(copies, "copy_pairs" if hasattr(copies, "copy_pairs") else "copy_rows", "copies.copy_pairs")
    # inside event clustering: profiles, candidate pairs and links, the state it stores
    from crosswire import eventarrays, eventincremental
    patch(events, "article_profiles", "events.article_profiles")
    patch(events, "links", "events.links")
    patch(events, "step_one", "events.step_one")
    patch(events, "step_two", "events.step_two")
    patch(eventarrays, "pairs_sharing", "eventarrays.pairs_sharing")
    eventarrays.Corpus.pair_evidence = wrapped("Corpus.pair_evidence", eventarrays.Corpus.pair_evidence, sampler)
    for name in ("_cold", "_incremental", "_next_state", "_grouping"):
        patch(eventincremental, name, f"eventincremental.{name}")
    fr.corroborate.StatementsView.names = wrapped("statement names", fr.corroborate.StatementsView.names, sampler)
    patch(nlp, "load", "spaCy load")
    # inside publish
    for name in ("plan", "reusable", "_write_release", "write_sums", "validate_release_dir", "_fsync_tree",
                 "write_changelog", "clean_stale", "incomplete", "latest", "with_article_inputs"):
        patch(publish, name)
    original_validate = publish.validate_tables
    publish.validate_tables = wrapped("validate_tables", original_validate, sampler)
    publish.publish.__kwdefaults__["validate"] = publish.validate_tables
    patch(publish, "inspect_release")
    patch(publish, "write_table")
    for name in ("changelog_details",):
        patch(diff, name)
    for name in ("datapackage", "readme", "release_files"):
        patch(datacard, name)
    del cache, corroborate, statements, validate


def report(records: list[dict], total: float) -> str:
    mb = 2 ** 20
    lines = [f"{'stage':<46} {'s':>7} {'cpu s':>7} {'rss start':>9} {'peak':>7} {'end':>7} {'peak-start':>10} {'arrow end':>9}"]
    for r in records:
        if "seconds" not in r or (r["seconds"] < 0.005 and r["rss_peak"] - r["rss_start"] < 2 * mb):
            continue
        lines.append(f"{'  ' * r['depth'] + r['stage']:<46} {r['seconds']:7.2f} {r.get('cpu', 0):7.2f} {r['rss_start'] / mb:9.0f} "
                     f"{r['rss_peak'] / mb:7.0f} {r['rss_end'] / mb:7.0f} {(r['rss_peak'] - r['rss_start']) / mb:10.0f} "
                     f"{r['arrow_end'] / mb:9.0f}")
    lines.append(f"{'total (import + run)':<46} {total:7.2f}")
    for r in records:
        if r.get("sites") and r["rss_peak"] - r["rss_start"] >= 10 * mb:
            lines.append(f"{'  ' * r['depth'] + r['stage']}: traced {r['traced_end'] / mb:.0f} MB at its end, "
                         f"peak {r['traced_peak'] / mb:.0f} MB (since its start or its last inner stage's end)")
            lines += [f"{'  ' * r['depth']}  {site}" for site in r["sites"]]
    tables = tables_and_publish(records)
    if tables is not None:
        lines.append(f"{'tables + publish (cross-source end to publish end)':<46} {tables:7.2f}")
    return "\n".join(lines)


def tables_and_publish(records: list[dict]) -> float | None:
    """Seconds from the end of the cross-source stage to the end of publishing: building the
    tables and publishing them, whether the flow builds its tables in a function or inline."""
    ends = {r["stage"]: r["start"] + r["seconds"] for r in records if r["depth"] == 0 and "start" in r}
    if "cross-source" not in ends or "publish" not in ends:
        return None
    return ends["publish"] - ends["cross-source"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--raw", required=True)
    ap.add_argument("--datasets", required=True)
    ap.add_argument("--add", help="folder of files to add to RAW for this run (removed after)")
    ap.add_argument("--keep-datasets", action="store_true", help="run in DATASETS itself, not a copy")
    ap.add_argument("--resident", action="store_true",
                    help="load first what `crosswire watch` loads at its start (flows.release.preload), untimed: "
                         "the run as a resident process's check makes it")
    ap.add_argument("--prof", help="write a cProfile of the run here")
    ap.add_argument("--json", help="write the stage records here")
    ap.add_argument("--trace", type=int, default=0, metavar="N",
                    help="trace allocations (tracemalloc: slower) and list each stage's N largest live sites")
    a = ap.parse_args()
    if a.trace:
        import tracemalloc

        tracemalloc.start()
        TRACE["top"] = a.trace
    sampler = Sampler()
    sampler.start()
    t_all, c_all = time.perf_counter(), time.process_time()
    rec = {"stage": "import flows.release", "depth": 0, "rss_start": rss(), "arrow_start": 0}
    mark = sampler.mark()
    import flows.release as fr  # noqa: E402
    rec.update(seconds=time.perf_counter() - t_all, cpu=time.process_time() - c_all, rss_end=rss(), rss_peak=sampler.peak_since(mark),
               arrow_end=arrow_bytes())
    RECORDS.append(rec)
    instrument(sampler)
    raw, ds = Path(a.raw), Path(a.datasets)
    if a.resident:  # as a watch starts: its preload, then its first check (a run with nothing added)
        fr.preload(ds)  # with the releases' manifests, as `crosswire watch` starts
        fr.local_release(str(raw), str(ds), nlp_processes=None)
        if hasattr(fr, "keep_long_lived_out_of_gc"):  # as the watch does after a check (older trees: not)
            fr.keep_long_lived_out_of_gc()
        del RECORDS[1:]  # the import stays

    added = []
    if a.add:
        for p in sorted(Path(a.add).rglob("*")):
            if p.is_file():
                dest = raw / p.relative_to(a.add)
                if dest.exists():
                    sys.exit(f"{dest} exists already: not adding it")
                shutil.copy(p, dest)
                added.append(dest)
    run_ds = ds
    if not a.keep_datasets:
        run_ds = ds.with_name(ds.name + f"-trial-{os.getpid()}")
        shutil.copytree(ds, run_ds, symlinks=True)
    prof = cProfile.Profile() if a.prof else None
    try:
        t0, c0 = time.perf_counter(), time.process_time()
        if prof:
            prof.enable()
        result = fr.local_release(str(raw), str(run_ds), nlp_processes=None)
        if prof:
            prof.disable()
        run_seconds, run_cpu = time.perf_counter() - t0, time.process_time() - c0
    finally:
        for p in added:
            p.unlink()
        if not a.keep_datasets:
            shutil.rmtree(run_ds, ignore_errors=True)
        fr.stop_children()
    total = time.perf_counter() - t_all
    sampler.stop.set()
    print(report(RECORDS, total))
    peak = procstats.peak() / procstats.MB
    print(f"run {run_seconds:.2f} s, cpu {run_cpu:.2f} s (user+sys, this process); peak RSS {peak:.0f} MB; release {result['release']}; processed {result['processed']}; "
          f"max RSS {max(sampler.samples) / 2**20:.0f} MB")
    if prof:
        prof.dump_stats(a.prof)
    if a.json:
        Path(a.json).write_text(json.dumps({"records": RECORDS, "total": total, "run": run_seconds, "run_cpu": run_cpu, "peak_mb": peak,
                                            "tables_and_publish": tables_and_publish(RECORDS),
                                            "max_rss": max(sampler.samples),
                                            "processed": result["processed"]}, indent=1, default=str) + "\n")


if __name__ == "__main__":
    main()
