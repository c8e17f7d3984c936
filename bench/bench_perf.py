"""The rows of the performance issue's table, on a corpus given on the command line, all
measured in one sitting so that ratios hold on a contended machine:

- floor: bare spaCy (the installed en_core_web_sm, all its components, one process)
  `nlp.pipe` over the same texts the statements stage parses, model loading excluded;
- cold: `crosswire run` into an empty datasets/ (empty cache), wall time of the command;
- no-op: the same command again, nothing changed;
- one added: one article of the corpus held back from the cold run, then added;
- no-op on the seeds: the checkout's raw/ (two articles), published once, then re-run;
- peak memory of each command: the sum of the resident sizes of its process and all its
  children (NLP workers), sampled every 0.1 s.

    .venv/bin/python bench/bench_perf.py /work/pn/dev/rawroot [--repeat 3] [-- extra run options]

Each command runs as a user would run it (a fresh process: imports, start-up). Prints the
table with medians over --repeat (the cold run and the floor once unless --repeat-cold).
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


def measured(cmd: list[str], env: dict) -> tuple[float, int, str]:
    """-> (wall seconds, peak summed RSS of the process tree in bytes, stdout)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]

    def sample():
        while proc.poll() is None:
            peak[0] = max(peak[0], sum(rss_bytes(p) for p in descendants(proc.pid)))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    took = time.perf_counter() - start
    sampler.join()
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}): {err[-2000:]}")
    return took, peak[0], out


def corpus_texts(raw: Path) -> tuple[list[str], int]:
    """The texts the statements stage parses (title, standfirst, summary, body of every
    article the pipeline accepts) and their word count."""
    from crosswire import ingest, metadata, sources
    from crosswire.statements import SECTIONS

    srcs, _ = sources.load_sources(raw)
    by = {s.source_id: s for s in srcs}
    raws, _ = ingest.ingest(raw, srcs)
    texts = []
    for r in raws:
        try:
            art = metadata.build_article(r, by[r.source_id])
        except Exception:
            continue
        texts += [art[f] for _, f in SECTIONS if isinstance(art.get(f), str) and art[f].strip()]
    return texts, sum(len(t.split()) for t in texts)


def floor_seconds(texts: list[str]) -> float:
    import spacy

    from crosswire.nlp import DEFAULT_MODELS
    for name in DEFAULT_MODELS:
        try:
            nlp = spacy.load(name)
            break
        except OSError:
            continue
    start = time.perf_counter()
    for _ in nlp.pipe(texts):
        pass
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("raw", help="a raw root (raw/<source>/source.toml + articles)")
    ap.add_argument("--repeat", type=int, default=3, help="repetitions of the cheap rows (median)")
    ap.add_argument("--repeat-cold", type=int, default=1, help="repetitions of the floor and the cold run")
    ap.add_argument("--seeds", default=str(ROOT / "raw"))
    ap.add_argument("extra", nargs="*", help="further `crosswire run` options (after --)")
    a = ap.parse_args()
    raw_in = Path(a.raw)
    texts, words = corpus_texts(raw_in)
    rows: dict[str, list[tuple[float, int]]] = {}

    def add(name, value):
        rows.setdefault(name, []).append(value)

    for _ in range(a.repeat_cold):
        add("floor", (floor_seconds(texts), 0))
    with tempfile.TemporaryDirectory(prefix="bench-perf-") as tmp:
        tmp = Path(tmp)
        env = dict(os.environ, PREFECT_HOME=str(tmp / "prefect"), PREFECT_SERVER_ANALYTICS_ENABLED="false",
                   PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="180")
        run = [str(BIN / "crosswire"), "run", *a.extra]
        # hold one article back (the last file in sorted order with its sidecar) for "one added"
        raw = tmp / "raw"
        shutil.copytree(raw_in, raw)
        held = sorted(p for p in raw.glob("*/*") if p.suffix in (".txt", ".html", ".htm"))[-1]
        side = held.with_name(held.name[: -len(held.suffix)] + ".meta.json")
        keep = tmp / "held"
        keep.mkdir()
        shutil.move(held, keep / held.name)
        if side.exists():
            shutil.move(side, keep / side.name)
        for i in range(a.repeat_cold):
            ds = tmp / f"ds-cold-{i}"
            add("cold", measured([*run, "--raw", str(raw), "--datasets", str(ds)], env)[:2])
        ds = tmp / "ds-cold-0"
        for _ in range(a.repeat):
            add("noop", measured([*run, "--raw", str(raw), "--datasets", str(ds)], env)[:2])
        for i in range(a.repeat):
            ds_i = tmp / f"ds-add-{i}"
            shutil.copytree(ds, ds_i, symlinks=True)
            raw_i = tmp / f"raw-add-{i}"
            shutil.copytree(raw, raw_i)
            for p in keep.iterdir():
                shutil.copy(p, raw_i / held.parent.name / p.name)
            # the copy's own cache (the cold run's): each repetition starts from the same state
            took, peak, out = measured([*run, "--raw", str(raw_i), "--datasets", str(ds_i)], env)
            assert out.strip().startswith(str(ds_i)), out
            add("one added", (took, peak))
            shutil.rmtree(ds_i)
            shutil.rmtree(raw_i)
        seeds_ds = tmp / "ds-seeds"
        measured([*run, "--raw", a.seeds, "--datasets", str(seeds_ds)], env)
        for _ in range(a.repeat):
            add("no-op, seeds", measured([*run, "--raw", a.seeds, "--datasets", str(seeds_ds)], env)[:2])

    med = {k: statistics.median(t for t, _ in v) for k, v in rows.items()}
    peak = {k: max(m for _, m in v) for k, v in rows.items()}
    n_articles = sum(1 for p in raw_in.glob("*/*") if p.suffix in (".txt", ".html", ".htm"))
    print(f"corpus {raw_in}: {n_articles} article files, {words:,} words in {len(texts)} texts; "
          f"{os.cpu_count()} cores; medians of {a.repeat} (cold and floor: {a.repeat_cold}), one sitting")
    print(f"| | seconds | words/s | ratio | peak memory |\n|---|---:|---:|---:|---:|")
    notes = {"floor": "1.00 x floor (speed)", "cold": f"{med['floor'] / med['cold']:.2f} x floor (speed)"}
    for k in ("noop", "one added"):
        notes[k] = f"{med[k] / med['cold']:.1%} of cold"
    notes["no-op, seeds"] = "-"
    for k in ("floor", "cold", "noop", "one added", "no-op, seeds"):
        wps = f"{words / med[k]:,.0f}" if k in ("floor", "cold") else "-"
        mem = f"{peak[k] / 2**20:,.0f} MB" if peak[k] else "-"
        print(f"| {k} | {med[k]:.2f} | {wps} | {notes[k]} | {mem} |")


if __name__ == "__main__":
    main()
