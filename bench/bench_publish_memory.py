"""A cold publish's peak memory and CPU: a release's tables published again from scratch.

    python bench/bench_publish_memory.py RELEASE [--code CHECKOUT] [--reps 3]

Each trial is a fresh process that reads every table of RELEASE into Arrow (as take_tables
hands them to publishing), gives the memory reading freed back to the system (as the flow
does before publishing), then calls `crosswire.publish.publish` into an empty datasets
folder with a row-hash store (as `crosswire run` does): validation, row hashes, writing,
the hash store. Printed per code tree: the resident size when publishing starts, the peak
rise above it (VmHWM after a clear_refs reset, Linux), CPU seconds (user+sys) of the
publish call, and the sha256 of the new release's data files (they must be the same for
both trees). `--code CHECKOUT`: a second tree (e.g. `git archive main | tar -x -C DIR`),
alternated with this checkout's, medians and ratios against it.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

WORKER = r"""
import hashlib, json, sys, tempfile
from pathlib import Path
sys.path.insert(0, sys.argv[1])
sys.path.insert(1, sys.argv[4])  # this checkout's bench/, for procstats
import pyarrow.dataset as ds
import procstats
from crosswire import publish
from crosswire.cache import Cache
from schemas import TABLES

release = Path(sys.argv[2])
tables = {}
for name in TABLES:
    p = release / "data" / name
    src = p if p.is_dir() else p.with_suffix(".parquet")
    tables[name] = publish.to_arrow(TABLES[name], ds.dataset(src, format="parquet", partitioning="hive").to_table())
manifest = json.loads((release / "manifest.json").read_text())
# what reading left free goes back to the system first, as the flow's give_back_memory does
# before publishing: else publishing reuses it and its own rise does not show
import ctypes, gc
import pyarrow as pa
gc.collect()
pa.default_memory_pool().release_unused()
ctypes.CDLL("libc.so.6").malloc_trim(0)
with tempfile.TemporaryDirectory(dir=sys.argv[3]) as tmp:
    procstats.reset_peak()
    base, cpu = procstats.rss() / procstats.MB, procstats.cpu()
    out, _ = publish.publish(tables, Path(tmp) / "datasets", inputs=[], rejected=[], code=manifest.get("code") or {},
                             hash_store=Cache(Path(tmp) / "cache"))
    cpu, peak = procstats.cpu() - cpu, procstats.peak() / procstats.MB
    digest = hashlib.sha256()
    for f in sorted((out / "data").rglob("*.parquet")):
        digest.update(f.relative_to(out).as_posix().encode() + f.read_bytes())
    print(json.dumps({"base": base, "rise": peak - base, "peak": peak,
                      "cpu": cpu,
                      "data": digest.hexdigest()}))
"""


def trial(code: Path, release: Path, scratch: Path) -> dict:
    run = subprocess.run([sys.executable, "-c", WORKER, str(code), str(release), str(scratch), str(ROOT / "bench")],
                         capture_output=True, text=True, cwd=code)
    if run.returncode:
        sys.exit(f"trial of {code} failed:\n{run.stderr[-3000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("release", type=Path)
    ap.add_argument("--code", type=Path, help="a second code tree, the baseline")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--scratch", type=Path, default=Path("/tmp"), help="where the trial releases are written")
    args = ap.parse_args(argv)
    trees = ([("baseline", args.code.resolve())] if args.code else []) + [("this checkout", ROOT)]
    got = {name: [] for name, _ in trees}
    for rep in range(args.reps):
        for name, tree in trees:  # alternated, so that the machine's load falls on both
            got[name].append(trial(tree, args.release.resolve(), args.scratch))
            r = got[name][-1]
            print(f"  rep {rep + 1} {name:14s} base {r['base']:7.0f} MB  rise {r['rise']:6.0f} MB  "
                  f"peak {r['peak']:7.0f} MB  cpu {r['cpu']:6.2f} s", flush=True)
    print(f"{'code':14s} {'base MB':>8s} {'rise MB':>8s} {'peak MB':>8s} {'cpu s':>7s}  data sha256 (medians of {args.reps})")
    med = {}
    for name, rs in got.items():
        med[name] = {k: statistics.median(r[k] for r in rs) for k in ("base", "rise", "peak", "cpu")}
        print(f"{name:14s} {med[name]['base']:8.0f} {med[name]['rise']:8.0f} {med[name]['peak']:8.0f} "
              f"{med[name]['cpu']:7.2f}  {', '.join(sorted({r['data'][:16] for r in rs}))}")
    if args.code:
        b, t = med["baseline"], med["this checkout"]
        print(f"ratio (this / baseline): rise {t['rise'] / b['rise']:.2f}, peak {t['peak'] / b['peak']:.2f}, "
              f"cpu {t['cpu'] / b['cpu']:.2f}; same data: "
              f"{len({r['data'] for rs in got.values() for r in rs}) == 1}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
