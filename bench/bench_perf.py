"""The rows of the performance issue's table, on a corpus given on the command line, all
measured in one sitting so that ratios hold on a contended machine:

- floor: bare spaCy (the installed en_core_web_sm, all its components, one process)
  `nlp.pipe` over the same texts the statements stage parses, model loading excluded
  (with --floor-sample N: timed on N texts drawn with a fixed seed and scaled to the
  corpus by words, for corpora whose full floor would take hours; the table says so);
- cold: `crosswire run` into an empty datasets/ (empty cache), wall time of the command;
- no-op: the same command again, nothing changed;
- one added: one article of the corpus held back from the cold run, then added;
- one added, resident: the same article added while `crosswire watch` (one long-lived
  process, its modules and spaCy loaded by an earlier check) watches the raw root; the
  seconds are the check's own (what the watch prints: polling latency left out), the peak
  memory is its process tree's while that check runs, and its CPU (user+sys, children
  included) is given in a note;
- one added, handed to a watch: the same article added while a `crosswire watch` (its first
  check made, its next one an hour away) serves the folders, then a fresh `crosswire run`:
  the run hands its run to the watch (crosswire/handoff.py), which publishes; the seconds
  are the `run` command's wall time, start-up included, the peak memory the watch's
  process tree's while it serves the run;
- no-op on the seeds: the checkout's raw/ (two articles), published once, then re-run;
- one long article (--long-kb, default 238,475,950: a quarter, half and all of the issue's
  950 KB): a raw root holding one article made of the corpus's own body paragraphs in a
  seeded order (reshuffled on each pass when the corpus is shorter, so that no run of
  paragraphs repeats for the cleaner to drop), published cold; seconds per 100 KB at each
  size show whether time is linear in size;
- peak memory of each command: the sum of the resident sizes of its process and all its
  children (NLP workers), sampled every 0.1 s; and the peak of the command's own process
  alone (the driver: what grows with the corpus when the NLP workers do not).

    .venv/bin/python bench/bench_perf.py /work/pn/dev/rawroot [--repeat 3] [--json out.json] [-- extra run options]

Each command runs as a user would run it (a fresh process: imports, start-up). Prints the
table with medians over --repeat (the cold run and the floor once unless --repeat-cold, the
long articles once each), every row with its ratio to the floor or the cold run, and the
machine (cores, CPU model, memory) and load average at start and end. --rows runs a subset.
"""
from __future__ import annotations

import argparse
import json
import os
import random
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


class CommandFailed(Exception):
    """A measured command exited non-zero or did not publish; str() says which and why."""


class PeakSampler:
    """The peak resident size of a process's tree and of the process alone, sampled every
    0.1 s on a thread between `with` and its end (the sampler shares the 2 cores)."""

    def __init__(self, pid: int):
        self.pid, self.peak, self._done = pid, [0, 0], threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self):
        while not self._done.is_set():
            self.peak = [max(self.peak[0], sum(rss_bytes(p) for p in descendants(self.pid))),
                         max(self.peak[1], rss_bytes(self.pid))]
            self._done.wait(0.1)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._done.set()
        self._thread.join()


def measured(cmd: list[str], env: dict, publishes: Path | None = None,
             says: str | None = None) -> tuple[float, int, str, int]:
    """-> (wall seconds, peak summed RSS of the process tree in bytes, stdout, peak RSS of
    the command's own process in bytes). With `publishes`, the command must print a release
    under that datasets folder; with `says`, its stderr must hold those words."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with PeakSampler(proc.pid) as sampler:
        out, err = proc.communicate()
        took = time.perf_counter() - start
    peak = sampler.peak
    if proc.returncode != 0:
        raise CommandFailed(f"{' '.join(cmd)} failed ({proc.returncode}): {err.strip()[-2000:]}")
    if publishes is not None and not out.strip().startswith(str(publishes)):
        raise CommandFailed(f"{' '.join(cmd)} published nothing: {out.strip()[-500:]} {err.strip()[-1500:]}")
    if says is not None and says not in err:
        raise CommandFailed(f"{' '.join(cmd)} did not say {says!r}: {err.strip()[-1500:]}")
    return took, peak[0], out, peak[1]


def row_of(result: tuple) -> tuple[float, int, int]:
    """A table row's figures from measured(): (seconds, peak of the tree, peak of the driver)."""
    took, tree, _, driver = result
    return took, tree, driver


# a re-run with nothing changed answers from the run record without starting the flow
# (crosswire/unchanged.py); when the code, inputs or release moved since the cold run, it
# goes the full way (and writes the record again), and its time is not a no-op's
NOOP_FULL_WAY = ("went the full way, not the no-op path: the code, the inputs or the newest release "
                 "changed after the run it repeats (editing the package during a bench voids the record)")


def run_records(datasets: Path) -> list[tuple[str, int]]:
    """The run records in the datasets' default cache (crosswire/unchanged.py) with their
    modification times: the no-op path reads them, a full run writes them again."""
    return sorted((p.name, p.stat().st_mtime_ns) for p in (datasets / ".cache" / "runs").glob("*"))


ROWS = ("floor", "cold", "noop", "added", "resident", "handoff", "seeds", "long")
LABELS = {"floor": "floor (bare spaCy nlp.pipe)", "cold": "cold", "noop": "no-op", "added": "one added",
          "resident": "one added, resident (`crosswire watch`)",
          "handoff": "one added, `crosswire run` handed to a watch", "seeds": "no-op, seeds"}


def cpu_seconds(pid: int) -> float:
    """User+sys CPU seconds of a process and of its children it waited for (/proc/PID/stat)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


class Watched:
    """A `crosswire watch ... -v` process: its check lines, CPU and memory. A context manager
    that ends the process on the way out."""

    def __init__(self, cmd: list[str], env: dict):
        self.cmd, self.lines = cmd, []
        self.proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    def next_check(self) -> tuple[str, float]:
        """The next check's line ("published", "no changes", ...) and its seconds as printed."""
        while True:
            line = self.proc.stderr.readline()
            if not line:
                raise CommandFailed(f"{' '.join(self.cmd)} ended ({self.proc.wait()}): {''.join(self.lines)[-1500:]}")
            self.lines.append(line)
            if line.startswith("crosswire watch: ") and line.rstrip().endswith(" s)"):
                return line.strip(), float(line.rsplit("(", 1)[1].split()[0])

    def cpu(self) -> float:
        """CPU seconds (user+sys) of the process and its live and waited-for children."""
        tree = descendants(self.proc.pid)
        return cpu_seconds(tree[0]) + sum(cpu_seconds(p) for p in tree[1:])

    def rss(self) -> tuple[int, int]:
        """(resident bytes of the process tree, of the process itself)."""
        return sum(rss_bytes(p) for p in descendants(self.proc.pid)), rss_bytes(self.proc.pid)


def watched_add(cmd: list[str], env: dict, put: list[tuple[Path, Path]]) -> tuple:
    """Start `cmd` (a `crosswire watch ... -v`), wait for its first check, copy each (src,
    dst) of `put`, wait for the check that publishes. -> ((seconds of that check as the watch
    printed them, peak RSS of its tree, peak RSS of its own process), CPU seconds of the
    tree in that check)."""
    with Watched(cmd, env) as w:
        w.next_check()   # the first check: a full run that publishes nothing (a copied datasets folder)
        cpu0 = w.cpu()
        with PeakSampler(w.proc.pid) as sampler:
            for src, dst in put:
                shutil.copy(src, dst)
            line, seconds = w.next_check()
            cpu = w.cpu() - cpu0
        if "published" not in line:
            raise CommandFailed(f"{' '.join(cmd)}: the added article's check published nothing: {line}")
        return (seconds, *sampler.peak), cpu


def handed_add(watch_cmd: list[str], run_cmd: list[str], env: dict, put: list[tuple[Path, Path]],
               datasets: Path) -> tuple[float, int, int]:
    """Start `watch_cmd` (a `crosswire watch ... -v` whose checks are far apart), wait for its
    first check, copy each (src, dst) of `put`, then time `run_cmd` (a `crosswire run ... -v`),
    which must be handed to the watch and print the release it published. -> (the run's
    seconds, peak RSS of the watch's tree meanwhile, peak RSS of the run's own process)."""
    with Watched(watch_cmd, env) as w:
        w.next_check()
        for src, dst in put:
            shutil.copy(src, dst)
        with PeakSampler(w.proc.pid) as sampler:
            took, _, _, client = measured(run_cmd, env, datasets, says="handed to crosswire watch")
        line, _ = w.next_check()
        if "published" not in line:
            raise CommandFailed(f"{' '.join(watch_cmd)}: the handed run published nothing: {line}")
        return took, sampler.peak[0], client


def corpus_articles(raw: Path) -> list[dict]:
    """The `articles` rows the pipeline builds from a raw root (articles it rejects left out)."""
    from crosswire import ingest, metadata, sources

    srcs, _ = sources.load_sources(raw)
    by = {s.source_id: s for s in srcs}
    raws, _ = ingest.ingest(raw, srcs)
    arts = []
    for r in raws:
        try:
            arts.append(metadata.build_article(r, by[r.source_id]))
        except Exception:
            continue
    return arts


def corpus_texts(arts: list[dict]) -> tuple[list[str], int]:
    """The texts the statements stage parses (title, standfirst, summary, body of every
    article) and their word count."""
    from crosswire.statements import SECTIONS

    texts = [art[f] for art in arts for _, f in SECTIONS if isinstance(art.get(f), str) and art[f].strip()]
    return texts, sum(len(t.split()) for t in texts)


def load_nlp():
    import spacy

    from crosswire.nlp import DEFAULT_MODELS
    for name in DEFAULT_MODELS:
        try:
            return spacy.load(name)
        except OSError:
            continue
    sys.exit(f"none of the spaCy models {', '.join(DEFAULT_MODELS)} is installed")


def floor_seconds(texts: list[str], sample: int | None, words: int) -> float:
    """Seconds of bare `nlp.pipe` over `texts`; with `sample`, over that many texts drawn
    with a fixed seed, scaled to all `words`."""
    nlp = load_nlp()
    if sample and sample < len(texts):
        texts = random.Random(0).sample(texts, sample)
    start = time.perf_counter()
    for _ in nlp.pipe(texts):
        pass
    took = time.perf_counter() - start
    timed = sum(len(t.split()) for t in texts)
    return took * words / timed


def long_article_root(arts: list[dict], size_bytes: int, dest: Path) -> tuple[Path, int, int]:
    """A raw root with one source and one article of about `size_bytes` UTF-8 bytes: a
    headline, then the corpus's body paragraphs in a seeded order, reshuffled on each pass.
    -> (raw root, bytes written, passes over the corpus)."""
    paras = [p for a in arts for p in a["text"].split("\n\n") if len(p.split()) >= 5]
    if not paras:
        sys.exit("the corpus has no body paragraphs to build a long article from")
    rng = random.Random(size_bytes)
    out = ["A long article for the benchmark, built from the corpus's own paragraphs", ""]
    size, passes = len(out[0].encode()) + 1, 0
    while size < size_bytes:
        order = paras[:]
        rng.shuffle(order)
        passes += 1
        for para in order:
            if size >= size_bytes:
                break
            out += [para, ""]
            size += len(para.encode()) + 2
    src = dest / "longform"
    src.mkdir(parents=True)
    (src / "source.toml").write_text('name = "Long Form"\nhomepage = "https://longform.example.org"\n'
                                     'country = "GB"\nlanguage = "en"\nkind = "other"\n', encoding="utf-8")
    text = "\n".join(out)
    (src / "long.txt").write_text(text, encoding="utf-8")
    return dest, len(text.encode()), passes


def machine() -> dict:
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), cpu)
    except OSError:
        pass
    try:
        ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        ram = 0
    return {"cores": os.cpu_count(), "cpu": cpu, "ram_gb": round(ram / 2**30, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("raw", help="a raw root (raw/<source>/source.toml + articles)")
    ap.add_argument("--repeat", type=int, default=3, help="repetitions of the cheap rows (median)")
    ap.add_argument("--repeat-cold", type=int, default=1, help="repetitions of the floor and the cold run")
    ap.add_argument("--seeds", default=str(ROOT / "raw"))
    ap.add_argument("--rows", default=",".join(ROWS),
                    help=f"comma-separated rows to run (default all: {','.join(ROWS)}); the cold run "
                         "is made whenever no-op or one added (resident or not) is asked for")
    ap.add_argument("--floor-sample", type=int, metavar="N",
                    help="time the floor on N texts (fixed seed) and scale it to the corpus by words")
    ap.add_argument("--long-kb", default="238,475,950", help="sizes of the long articles, in KB (1,000 bytes)")
    ap.add_argument("--json", metavar="PATH", help="also write the figures as JSON to PATH")
    ap.add_argument("extra", nargs="*", help="further `crosswire run` options (after --)")
    a = ap.parse_args()
    want = {r.strip() for r in a.rows.split(",") if r.strip()}
    if want - set(ROWS):
        ap.error(f"unknown rows: {', '.join(sorted(want - set(ROWS)))} (choose from {', '.join(ROWS)})")
    raw_in = Path(a.raw)
    if not raw_in.is_dir():
        ap.error(f"{raw_in}: not a directory")
    load_start = os.getloadavg()
    started = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    arts = corpus_articles(raw_in)
    texts, words = corpus_texts(arts)
    rows: dict[str, list[tuple[float, int, int]]] = {}
    long_sizes: dict[str, int] = {}
    long_passes: dict[str, int] = {}
    failures: dict[str, str] = {}
    notes: dict[str, str] = {}

    def add(name, value):
        rows.setdefault(name, []).append(value)
        print(f"{LABELS.get(name, name)}: {value[0]:.2f} s, {value[1] / 2**20:,.0f} MB "
              f"(driver {value[2] / 2**20:,.0f} MB)", file=sys.stderr, flush=True)

    try:
        if "floor" in want:
            for _ in range(a.repeat_cold):
                add("floor", (floor_seconds(texts, a.floor_sample, words), 0, 0))
        with tempfile.TemporaryDirectory(prefix="bench-perf-") as tmp:
            tmp = Path(tmp)
            env = dict(os.environ, PREFECT_HOME=str(tmp / "prefect"), PREFECT_SERVER_ANALYTICS_ENABLED="false",
                       PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="180")
            run = [str(BIN / "crosswire"), "run", *a.extra]
            if want & {"cold", "noop", "added", "resident", "handoff"}:
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
                    add("cold", row_of(measured([*run, "--raw", str(raw), "--datasets", str(ds)], env)))
                ds = tmp / "ds-cold-0"
                if "noop" in want:
                    for _ in range(a.repeat):
                        before = run_records(ds)
                        result = measured([*run, "--raw", str(raw), "--datasets", str(ds)], env)
                        if before and run_records(ds) != before:
                            notes["noop"] = NOOP_FULL_WAY
                        add("noop", row_of(result))
                if "added" in want:
                    for i in range(a.repeat):
                        # the cold run's datasets (and cache) copied, so each repetition starts from the
                        # same state; the article goes back into the same raw root (a datasets folder
                        # belongs to one raw root), and out again after
                        ds_i = tmp / f"ds-add-{i}"
                        shutil.copytree(ds, ds_i, symlinks=True)
                        back = [raw / held.parent.name / p.name for p in keep.iterdir()]
                        for p in keep.iterdir():
                            shutil.copy(p, raw / held.parent.name / p.name)
                        add("added", row_of(measured([*run, "--raw", str(raw), "--datasets", str(ds_i)], env, ds_i)))
                        for p in back:
                            p.unlink()
                        shutil.rmtree(ds_i)
                if "resident" in want:
                    cpus = []
                    for i in range(a.repeat):
                        ds_i = tmp / f"ds-watch-{i}"
                        shutil.copytree(ds, ds_i, symlinks=True)
                        put = [(p, raw / held.parent.name / p.name) for p in keep.iterdir()]
                        watch = [str(BIN / "crosswire"), "watch", *a.extra, "--raw", str(raw), "--datasets", str(ds_i),
                                 "--every", "0.2", "-v"]
                        figures_i, cpu = watched_add(watch, env, put)
                        add("resident", figures_i)
                        cpus.append(cpu)
                        for _, dst in put:
                            dst.unlink()
                        shutil.rmtree(ds_i)
                    notes["resident"] = (f"CPU (user+sys) of the watch's process tree in the publishing check: median "
                                         f"{statistics.median(cpus):.2f} s ({', '.join(f'{c:.2f}' for c in cpus)})")
                if "handoff" in want:
                    for i in range(a.repeat):
                        ds_i = tmp / f"ds-handoff-{i}"
                        shutil.copytree(ds, ds_i, symlinks=True)
                        put = [(p, raw / held.parent.name / p.name) for p in keep.iterdir()]
                        where = ["--raw", str(raw), "--datasets", str(ds_i)]
                        watch = [str(BIN / "crosswire"), "watch", *a.extra, *where, "--every", "3600", "-v"]
                        add("handoff", handed_add(watch, [*run, *where, "-v"], env, put, ds_i))
                        for _, dst in put:
                            dst.unlink()
                        shutil.rmtree(ds_i)
                shutil.rmtree(raw)
            if "seeds" in want:
                seeds_ds = tmp / "ds-seeds"
                measured([*run, "--raw", a.seeds, "--datasets", str(seeds_ds)], env)
                for _ in range(a.repeat):
                    before = run_records(seeds_ds)
                    result = measured([*run, "--raw", a.seeds, "--datasets", str(seeds_ds)], env)
                    if before and run_records(seeds_ds) != before:
                        notes["seeds"] = NOOP_FULL_WAY
                    add("seeds", row_of(result))
            if "long" in want:
                for kb in sorted(int(k) for k in a.long_kb.split(",") if k.strip()):
                    root, size, passes = long_article_root(arts, kb * 1000, tmp / f"raw-long-{kb}")
                    name = f"one {size / 1000:,.0f} KB article"
                    try:
                        add(name, row_of(measured([*run, "--raw", str(root), "--datasets", str(tmp / f"ds-long-{kb}")],
                                                  env, tmp / f"ds-long-{kb}")))
                        long_sizes[name] = size
                    except CommandFailed as e:   # the other sizes still tell
                        failures[name] = str(e)
                    long_passes[name] = passes
                    shutil.rmtree(root)
    except CommandFailed as e:   # what was measured is still printed
        failures["stopped"] = str(e)

    n_articles = sum(1 for p in raw_in.glob("*/*") if p.suffix in (".txt", ".html", ".htm"))
    report = figures(rows, words, long_sizes)
    for name, passes in long_passes.items():
        if name in report["rows"]:
            report["rows"][name]["corpus_passes"] = passes
    report.update(corpus=str(raw_in), article_files=n_articles, articles=len(arts), words=words, texts=len(texts),
                  machine=machine(), started=started, load_start=[round(x, 2) for x in load_start],
                  load_end=[round(x, 2) for x in os.getloadavg()], repeat=a.repeat, repeat_cold=a.repeat_cold,
                  floor_sample=a.floor_sample, run_options=a.extra, failures=failures, notes=notes)
    print(table(report))
    if a.json:
        Path(a.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    if failures:
        sys.exit(1)


def figures(rows: dict[str, list[tuple[float, int, int]]], words: int, long_sizes: dict[str, int]) -> dict:
    """Median seconds, words/s, peak memory and the ratio of every row: speed as a share of
    the floor's (floor, cold), time as a share of the cold run's (no-op, one added, seeds),
    seconds per 100 KB for the long articles with the largest's as the linearity reference,
    and the seconds each 100 KB added over the next smaller article cost (start-up left out:
    equal figures mean time linear in size)."""
    med = {k: statistics.median(x[0] for x in v) for k, v in rows.items()}
    out = {}
    largest = max(long_sizes, key=long_sizes.get, default=None)
    per_100kb = {k: med[k] / (long_sizes[k] / 100_000) for k in long_sizes}
    for k, v in rows.items():
        row = {"seconds": [round(x[0], 3) for x in v], "median_s": round(med[k], 3),
               "peak_mb": round(max(x[1] for x in v) / 2**20) if any(x[1] for x in v) else None,
               "driver_peak_mb": round(max(x[2] for x in v) / 2**20) if any(x[2] for x in v) else None}
        if k in ("floor", "cold"):
            row["words_per_s"] = round(words / med[k])
            if "floor" in med:
                row["x_floor"] = round(med["floor"] / med[k], 3)
        elif k in long_sizes:
            row["bytes"] = long_sizes[k]
            row["s_per_100kb"] = round(per_100kb[k], 3)
            row["vs_largest"] = round(per_100kb[k] / per_100kb[largest], 3)
            smaller = [j for j in long_sizes if long_sizes[j] < long_sizes[k]]
            if smaller:  # the cost of the extra bytes over the next smaller article: flat when linear
                j = max(smaller, key=long_sizes.get)
                row["marginal_s_per_100kb"] = round((med[k] - med[j]) / ((long_sizes[k] - long_sizes[j]) / 100_000), 3)
        if k in ("noop", "added", "resident", "handoff", "seeds") and "cold" in med:
            row["share_of_cold"] = round(med[k] / med["cold"], 4)
        out[k] = row
    return {"rows": out}


def table(report: dict) -> str:
    m, rows = report["machine"], report["rows"]
    floor_note = (f"floor timed on {report['floor_sample']} texts, scaled by words"
                  if report["floor_sample"] and "floor" in rows else "floor on every text")
    lines = [f"corpus {report['corpus']}: {report['article_files']} article files ({report['articles']} accepted), "
             f"{report['words']:,} words in {report['texts']} texts",
             f"machine: {m['cores']} cores, {m['cpu']}, {m['ram_gb']} GB RAM; load average "
             f"{' '.join(map(str, report['load_start']))} at start ({report['started']}), "
             f"{' '.join(map(str, report['load_end']))} at end",
             f"medians of {report['repeat']} (cold and floor: {report['repeat_cold']}; long articles: 1), "
             f"one sitting; {floor_note}; run options: {' '.join(report['run_options']) or '-'}",
             "| | seconds | words/s | ratio | peak memory | of which the driver |", "|---|---:|---:|---:|---:|---:|"]
    for k, r in rows.items():
        if "x_floor" in r:
            ratio = f"{r['x_floor']:.2f} x floor (speed)"
        elif "share_of_cold" in r:
            ratio = f"{r['share_of_cold']:.1%} of cold"
        elif "s_per_100kb" in r:
            ratio = f"{r['s_per_100kb']:.2f} s per 100 KB ({r['vs_largest']:.2f} x the largest's)"
            if "marginal_s_per_100kb" in r:
                ratio += f"; {r['marginal_s_per_100kb']:.2f} s per 100 KB over the next smaller"
        else:
            ratio = "-"
        wps = f"{r['words_per_s']:,}" if "words_per_s" in r else "-"
        mem = f"{r['peak_mb']:,} MB" if r["peak_mb"] else "-"
        driver = f"{r['driver_peak_mb']:,} MB" if r.get("driver_peak_mb") else "-"
        lines.append(f"| {LABELS.get(k, k)} | {r['median_s']:.2f} | {wps} | {ratio} | {mem} | {driver} |")
    lines += [f"FAILED {k}: {v}" for k, v in report.get("failures", {}).items()]
    lines += [f"NOTE {LABELS.get(k, k)}: {v}" for k, v in report.get("notes", {}).items()]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
