"""SIGTERM and SIGINT at random moments of `crosswire run`: does every try stop soon, leave no
process behind, publish nothing partial, and let the next run publish? (issue 10's target:
zero orphaned processes after SIGTERM in 20 tries at random moments.)

Each try starts a cold run (its own datasets/ and Prefect home) in a new session, follows its
process tree while it runs, sends the signal after a random delay (seeded, printed), and then
records: seconds from the signal to the exit, the exit status, the processes of the run's
tree or process group still alive 3 s after it exited, the release folders that appeared
(each validated), and whether the next run on the same datasets/ publishes a valid release.
SIGTERM goes to the run's process (as `kill PID`), SIGINT to its whole process group (as
Ctrl-C in a terminal). The delays are drawn over the length of one uninterrupted run, measured
first, so tries land in every stage, some after the run has already finished.

    .venv/bin/python bench/bench_signals.py                       # 20 tries, own corpus of 40 articles
    .venv/bin/python bench/bench_signals.py --raw RAW --tries 20 --seed 7
"""
from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from crosswire.publish import TMP_PREFIX

BIN = Path(sys.executable).parent  # the venv's console scripts
GRACE = 3.0      # how long a child may take to follow the run out before it counts as left behind
STOP_LIMIT = 5.0  # the "stop within 5 s"

SPEAKERS = [("Mara Quist", "harbour commissioner"), ("Tobias Wren", "finance minister"),
            ("Ilse Moreau", "union leader"), ("Daniel Okoro", "port director"), ("Priya Anand", "mayor")]
TOPICS = ["the ferry timetable", "the new sea wall", "wages at the docks", "the fishing quota", "the tram line"]


def write_corpus(raw: Path, n: int) -> None:
    """n short articles of my own writing over two outlets, each with quotes and reported speech."""
    for source in ("gullpost", "tidewire"):
        folder = raw / source
        folder.mkdir(parents=True)
        (folder / "source.toml").write_text(
            f'name = "{source.title()}"\nhomepage = "https://{source}.example.org"\ncountry = "GB"\n'
            f'language = "en"\nkind = "regional"\n', encoding="utf-8")
    for i in range(n):
        name, role = SPEAKERS[i % len(SPEAKERS)]
        topic, other = TOPICS[i % len(TOPICS)], TOPICS[(i + 2) % len(TOPICS)]
        paragraphs = [f"Council row number {i} over {topic}",
                      f'"We will not accept {topic} as it stands," said {name}, the {role}, on day {i}.',
                      f"{name.split()[1]} told reporters that {other} would be reviewed before the vote.",
                      f'The {role} added that the plan was "rushed and unfair" to families on the coast.',
                      f"Officials said talks on {topic} would resume next week, according to a statement."]
        paragraphs += [f"Residents of ward {k} said the changes to {topic} had come without warning." for k in range(4)]
        source = ("gullpost", "tidewire")[i % 2]
        (raw / source / f"story-{i:03d}.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")


# ---- processes (Linux /proc) ------------------------------------------------------------

def processes() -> dict[int, tuple[int, int, str, str]]:
    """pid -> (parent pid, process group, start time in clock ticks, state) of every process."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        table[int(entry)] = (int(fields[1]), int(fields[2]), fields[19], fields[0])
    return table


def descendants(root: int, table: dict) -> set[tuple[int, str]]:
    """(pid, start time) of every process below root."""
    children: dict[int, list[int]] = {}
    for pid, (ppid, *_rest) in table.items():
        children.setdefault(ppid, []).append(pid)
    found, todo = set(), list(children.get(root, []))
    while todo:
        pid = todo.pop()
        found.add((pid, table[pid][2]))
        todo += children.get(pid, [])
    return found


def alive(seen: set[tuple[int, str]], pgid: int) -> list[str]:
    """What is still running of the processes seen below the run (same pid and start time,
    not a zombie) or of its process group; one line per process."""
    table = processes()
    left = {pid for pid, start in seen if pid in table and table[pid][2] == start and table[pid][3] != "Z"}
    left |= {pid for pid, (_p, group, _s, state) in table.items() if group == pgid and state != "Z"}
    lines = []
    for pid in sorted(left):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        lines.append(f"{pid} {cmd[:120]}")
    return lines


# ---- one try ------------------------------------------------------------------------------

@dataclass
class Try:
    signal: str
    delay: float
    took: float = 0.0            # seconds from the signal to the exit
    status: int | None = None    # exit status (negative: ended by the signal before a handler was set)
    left: list[str] = field(default_factory=list)   # processes alive GRACE s after the exit
    children: int = 0            # processes seen below the run
    releases: list[str] = field(default_factory=list)  # release folders after the stopped run
    debris: list[str] = field(default_factory=list)    # temporary release folders left behind
    invalid: list[str] = field(default_factory=list)   # releases `crosswire validate` refused
    misled: bool = False         # said "nothing was published" though a release appeared
    cached: int = 0              # articles' statements kept in the cache
    next_ok: bool = False        # the next run exited 0 and left a valid release
    note: str = ""

    @property
    def finished_first(self) -> bool:
        return self.status == 0

    @property
    def ok(self) -> bool:
        stopped = self.finished_first or self.status in (128 + signal.Signals[self.signal].value,
                                                         -signal.Signals[self.signal].value)
        return (stopped and self.took < STOP_LIMIT and not self.left and not self.debris and not self.invalid
                and not self.misled and self.next_ok)


def run_env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}  # the server-less path
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false",
               PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="180")
    return env


def run_command(raw: Path, datasets: Path, extra: list[str]) -> list[str]:
    return [str(BIN / "crosswire"), "run", "--raw", str(raw), "--datasets", str(datasets), *extra]


def release_folders(datasets: Path) -> list[Path]:
    """Published releases and the temporary folders a publish builds them in."""
    return sorted(p for p in datasets.iterdir() if p.name.startswith(("v", TMP_PREFIX))) if datasets.exists() else []


def invalid_releases(datasets: Path, env: dict) -> list[str]:
    """Release folders `crosswire validate` refuses (every release, and any folder a crash left)."""
    bad = []
    for folder in release_folders(datasets):
        done = subprocess.run([str(BIN / "crosswire"), "validate", str(folder)], capture_output=True, text=True,
                              env=env)
        if done.returncode != 0:
            bad.append(f"{folder.name}: {(done.stdout + done.stderr).strip()[-300:]}")
    return bad


def cached_statements(datasets: Path) -> int:
    return len(list((datasets / ".cache" / "statements").glob("*/*.json")))


def one_try(raw: Path, work: Path, sig: signal.Signals, delay: float, extra: list[str]) -> Try:
    """A cold run stopped by sig after delay seconds, then the next run on the same datasets/."""
    datasets, env = work / "ds", run_env(work / "prefect")
    t = Try(sig.name, delay)
    proc = subprocess.Popen(run_command(raw, datasets, extra), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env, start_new_session=True)
    seen: set[tuple[int, str]] = set()
    fire = time.monotonic() + delay
    while proc.poll() is None and time.monotonic() < fire:
        seen |= descendants(proc.pid, processes())
        time.sleep(0.02)
    sent = time.monotonic()
    if proc.poll() is None:
        seen |= descendants(proc.pid, processes())
        os.killpg(proc.pid, sig) if sig == signal.SIGINT else proc.send_signal(sig)
        while proc.poll() is None and time.monotonic() - sent < 30:
            seen |= descendants(proc.pid, processes())
            time.sleep(0.02)
        if proc.poll() is None:
            t.note = "hung: killed after 30 s"
            os.killpg(proc.pid, signal.SIGKILL)
        t.took = time.monotonic() - sent
    out, err = proc.communicate()
    t.status, t.children = proc.returncode, len(seen)
    deadline = time.monotonic() + GRACE
    while True:
        t.left = alive(seen, proc.pid)
        if not t.left or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    if t.left:  # clean up for the next try, after recording them
        for line in t.left:
            try:
                os.kill(int(line.split()[0]), signal.SIGKILL)
            except ProcessLookupError:
                pass
    if t.status not in (0, 128 + sig.value, -sig.value):
        last = err.decode(errors="replace").strip().splitlines()[-1:]
        t.note = t.note or (last[0][:100] if last else "")
    folders = [p.name for p in release_folders(datasets)]
    t.releases = [name for name in folders if not name.startswith(TMP_PREFIX)]
    t.debris = [name for name in folders if name.startswith(TMP_PREFIX)]
    t.misled = bool(t.releases) and b"nothing was published" in err
    t.invalid = invalid_releases(datasets, env)
    t.cached = cached_statements(datasets)
    nxt = subprocess.run(run_command(raw, datasets, extra), capture_output=True, text=True, env=env, timeout=900)
    t.next_ok = nxt.returncode == 0 and not invalid_releases(datasets, env) and bool(
        [p for p in release_folders(datasets) if p.name.startswith("v")])
    if not t.next_ok:
        t.note = (t.note + " next run: " + nxt.stderr.strip()[-200:]).strip()
    return t


def full_run_seconds(raw: Path, work: Path, extra: list[str]) -> float:
    """The length of one uninterrupted cold run: the window the signals are drawn over."""
    start = time.monotonic()
    done = subprocess.run(run_command(raw, work / "ds", extra), capture_output=True, text=True,
                          env=run_env(work / "prefect"))
    if done.returncode != 0:
        sys.exit(f"the uninterrupted run failed: {done.stderr[-2000:]}")
    return time.monotonic() - start


def tries(raw: Path, n: int, seed: int, work: Path, extra: list[str], window: float,
          report=print) -> list[Try]:
    """n tries, signals alternating SIGTERM and SIGINT, delays uniform over (0.1 s, window)."""
    rng = random.Random(seed)
    found = []
    for i in range(n):
        sig = (signal.SIGTERM, signal.SIGINT)[i % 2]
        t = one_try(raw, work / f"try-{i:02d}", sig, rng.uniform(0.1, window), extra)
        found.append(t)
        report(row(i, t))
    return found


HEADER = (f"{'try':>3} {'signal':7} {'at s':>6} {'exit s':>6} {'status':>6} {'kids':>4} {'left':>4} "
          f"{'cached':>6} {'releases':10} {'valid':5} {'next':4} {'ok':3} note")


def row(i: int, t: Try) -> str:
    took = "-" if t.finished_first else f"{t.took:.2f}"
    return (f"{i:>3} {t.signal:7} {t.delay:6.2f} {took:>6} {t.status:>6} {t.children:>4} {len(t.left):>4} "
            f"{t.cached:>6} {','.join(t.releases + t.debris) or '-':10} {'no' if t.invalid else 'yes':5} "
            f"{'yes' if t.next_ok else 'no':4} {'yes' if t.ok else 'NO':3} {t.note}"
            + "".join(f"\n      left: {line}" for line in t.left))


def totals(found: list[Try]) -> str:
    stopped = [t for t in found if not t.finished_first]
    took = sorted(t.took for t in stopped)
    return "\n".join([
        f"tries: {len(found)} ({sum(t.signal == 'SIGTERM' for t in found)} SIGTERM, "
        f"{sum(t.signal == 'SIGINT' for t in found)} SIGINT); stopped by the signal: {len(stopped)}, "
        f"finished before it: {len(found) - len(stopped)}",
        f"seconds to exit after the signal: max {took[-1]:.2f}, median {took[len(took) // 2]:.2f}" if took else
        "seconds to exit: no try was stopped",
        f"tries leaving a process behind: {sum(bool(t.left) for t in found)} "
        f"({sum(len(t.left) for t in found)} processes); child processes seen: {sum(t.children for t in found)}",
        f"releases published by a stopped run: {sum(bool(t.releases) and not t.finished_first for t in found)} "
        f"(said nothing was published: {sum(t.misled for t in found)}); temporary folders left: "
        f"{sum(bool(t.debris) for t in found)}; invalid releases: {sum(bool(t.invalid) for t in found)}",
        f"next run published a valid release: {sum(t.next_ok for t in found)}/{len(found)}",
        f"tries meeting every condition: {sum(t.ok for t in found)}/{len(found)}"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--raw", help="corpus to run on (default: 40 articles of this script's own writing)")
    ap.add_argument("--articles", type=int, default=40, help="size of the generated corpus")
    ap.add_argument("--tries", type=int, default=20)
    ap.add_argument("--seed", type=int, default=None, help="default: drawn and printed")
    ap.add_argument("--nlp-processes", type=int, default=2, help="passed to crosswire run (2: worker processes)")
    ap.add_argument("--batch-size", type=int, default=4, help="passed to crosswire run")
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else random.SystemRandom().randrange(1, 10_000)
    extra = ["--nlp-processes", str(a.nlp_processes), "--batch-size", str(a.batch_size)]
    with tempfile.TemporaryDirectory(prefix="bench-signals-") as tmp:
        work = Path(tmp)
        raw = Path(a.raw) if a.raw else work / "raw"
        if not a.raw:
            write_corpus(raw, a.articles)
        window = full_run_seconds(raw, work / "full", extra)
        print(f"seed {seed}; corpus {raw} ({'own' if not a.raw else 'given'}); one uninterrupted run "
              f"{window:.1f} s: signals drawn over (0.1, {window:.1f}) s", flush=True)
        print(HEADER, flush=True)
        found = tries(raw, a.tries, seed, work, extra, window, report=lambda line: print(line, flush=True))
        print(totals(found))


if __name__ == "__main__":
    main()
