"""Knowing, without running the flow, that a run would publish nothing.

After every successful run `crosswire run` records what the result depended on:

- every entry under the raw root (path, kind, size, mtime, ctime, inode, and the sha256 of
  each regular file),
- the code (a digest of the crosswire, flows and schemas packages' files, the installed
  versions of the project's dependencies, the spaCy pipeline, CROSSWIRE_* settings),
- the newest release it left (its name and the sha256 of its manifest.json), and the files
  it rejected with their reasons.

The next run compares: when the code, the newest release and the list of entries are the
same, and every file is either stat-identical or, where its stats moved, hashes to the same
bytes, the full run would publish nothing; the command prints so without starting the flow,
reading a file, or loading spaCy. Anything else (a new, removed or edited file, a changed
source.toml or people.toml, another code version, a release published by someone else) goes
the full way. A file modified within RACY_NS of when its stats were taken is always hashed
again (a write in the same timestamp tick would not move its mtime: git's "racy clean").

The record is a JSON file under the cache directory, written atomically; deleting it is
always safe (the next run goes the full way). Pure library code: no Prefect here.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import time
from pathlib import Path

from crosswire.atomic import write_atomic

FORMAT = 1
RACY_NS = 2_000_000_000   # file systems with coarse timestamps (FAT: 2 s) tick this slowly
# rejection reasons that may not come back on a second try (they are not facts about the
# file), so a record holding one never answers for a run
RETRY_REASONS = ("time budget",)
PACKAGES = ("crosswire", "flows", "schemas")


# ---- what the result depends on ------------------------------------------------------------

def stat_entry(st: os.stat_result) -> list:
    kind = "f" if stat.S_ISREG(st.st_mode) else "d" if stat.S_ISDIR(st.st_mode) else "o"
    return [kind, st.st_size if kind != "d" else 0, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_mode]


def settled(st: os.stat_result, taken_ns: int) -> bool:
    """Had these stats stopped moving when `taken_ns` came: no change within RACY_NS of it
    (a write in the same timestamp tick would not move them), so they can vouch for the bytes."""
    return taken_ns - max(st.st_mtime_ns, st.st_ctime_ns) >= RACY_NS


def scan(raw: Path, skip: tuple[Path, ...] = ()) -> dict[str, list]:
    """Every entry under raw (symbolic links followed, loops cut), path -> its stats.
    An entry that cannot be stat'ed is recorded as such (kind "!")."""
    raw = Path(raw)
    skip_real = {os.path.realpath(p) for p in skip}
    out: dict[str, list] = {}
    seen: set[tuple[int, int]] = set()

    def walk(folder: str, prefix: str) -> None:
        try:
            st = os.stat(folder)
        except OSError:
            return
        if (st.st_dev, st.st_ino) in seen or os.path.realpath(folder) in skip_real:
            return
        seen.add((st.st_dev, st.st_ino))
        try:
            names = sorted(os.listdir(folder))
        except OSError as e:
            out[prefix or "."] = ["!", e.errno or 0, 0, 0, 0, 0]
            return
        for name in names:
            path, rel = os.path.join(folder, name), f"{prefix}{name}"
            try:
                st = os.stat(path)
            except OSError as e:  # a dangling link, a loop, no permission
                out[rel] = ["!", e.errno or 0, 0, 0, 0, 0]
                continue
            out[rel] = stat_entry(st)
            if stat.S_ISDIR(st.st_mode):
                walk(path, rel + "/")

    walk(str(raw), "")
    return out


def file_sha256(path: Path) -> str | None:
    """sha256 of a regular file's bytes; None when it cannot be read (never opens a FIFO)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        return h.hexdigest()
    except OSError:
        return None


def code_fingerprint() -> str:
    """Digest of everything besides raw/ that a run's output depends on."""
    import importlib.metadata as md

    h = hashlib.sha256(f"python {sys.version_info[:3]}".encode())
    root = Path(__file__).resolve().parents[1]
    for package in PACKAGES:
        folder = root / package
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix in (".py", ".toml", ".json", ".txt"):
                h.update(path.relative_to(root).as_posix().encode())
                h.update(path.read_bytes())
    try:
        wanted = md.requires("crosswire") or []
    except md.PackageNotFoundError:
        wanted = []
    names = sorted({_req_name(r) for r in wanted if "extra ==" not in r} | {"spacy", "pyarrow"})
    for name in names:
        try:
            h.update(f"{name}=={md.version(name)}".encode())
        except md.PackageNotFoundError:
            h.update(f"{name} missing".encode())
    from .cache import model_label
    h.update(str(model_label()).encode())
    for key, value in sorted(run_settings(os.environ).items()):
        h.update(f"{key}={value}".encode())
    return h.hexdigest()


def run_settings(environ) -> dict[str, str]:
    """The CROSSWIRE_* settings of an environment that change what a run makes
    (CROSSWIRE_LOCK_TIMEOUT only says how long to wait for another run)."""
    return {k: v for k, v in environ.items() if k.startswith("CROSSWIRE_") and k != "CROSSWIRE_LOCK_TIMEOUT"}


def _req_name(requirement: str) -> str:
    import re

    return re.split(r"[\s<>=!~;\[(]", requirement.strip(), maxsplit=1)[0].lower()


def release_id(datasets: Path) -> dict | None:
    """The newest release under datasets: its folder name and its manifest's sha256."""
    newest = newest_release(Path(datasets))
    if newest is None:
        return None
    return {"name": newest.name, "manifest_sha256": file_sha256(newest / "manifest.json")}


def newest_release(datasets: Path) -> Path | None:
    """The newest complete release (crosswire.load, which imports neither pyarrow nor
    pandera: publish would cost seconds of a no-op run)."""
    from .load import published

    try:
        found = published(datasets)
    except OSError:
        return None
    return found[-1] if found else None


# ---- the record -----------------------------------------------------------------------------

def record_path(cache_root: Path, raw: Path, datasets: Path) -> Path:
    """One record per (raw root, datasets) pair, under the cache directory."""
    pair = f"{os.path.realpath(raw)}\n{os.path.realpath(datasets)}".encode("utf-8", "surrogateescape")
    return Path(cache_root) / "runs" / f"{hashlib.sha256(pair).hexdigest()}.json"


class Snapshot:
    """The raw tree's stats and hashes, taken before a full run reads it. `previous`: the
    record of the run before (read_record), whose hash of a file is taken again when the
    file's stats are the ones recorded and were settled then (as `check` trusts them):
    a run that one added article starts hashes that file, not the 20k of a 10k corpus."""

    def __init__(self, raw: Path, skip: tuple[Path, ...] = (), previous: dict | None = None):
        self.taken_ns = time.time_ns()
        self.code = code_fingerprint()
        self.entries = scan(raw, skip)
        known = _settled_hashes(previous) if previous is not None else {}
        root = os.fspath(raw)
        for rel, e in self.entries.items():
            if e[0] == "f":
                old = known.get(rel)
                e.append(old[1] if old is not None and old[0] == e else file_sha256(Path(f"{root}/{rel}")))


def _settled_hashes(data: dict) -> dict[str, tuple[list, str]]:
    """{path: (its stats, its sha256)} of a record's files whose stats were settled when it
    was taken (a write within RACY_NS of it might not have moved them)."""
    taken = int(data["taken_ns"])
    return {rel: (e[:-1], e[-1]) for rel, e in data["entries"].items()
            if isinstance(e, list) and e and e[0] == "f" and e[-1] is not None and e[2] < taken - RACY_NS}


def read_record(path: Path) -> dict | None:
    """The record at `path` (record_path), or None when there is none of this format: read
    once by a run for its check and its snapshot."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if not isinstance(data["entries"], dict):
            return None
        int(data["taken_ns"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return data if data.get("format") == FORMAT else None


def record(path: Path, snap: Snapshot, datasets: Path, result: dict) -> None:
    """Write the record of a successful run (atomically); a failure to write only costs speed."""
    data = {"format": FORMAT, "taken_ns": snap.taken_ns, "code": snap.code,
            "release": release_id(datasets), "entries": snap.entries,
            "rejected": sorted(result.get("rejected", []), key=lambda r: r["path"])}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(data, separators=(",", ":")).encode("utf-8"))
    except OSError:
        pass


def check(path: Path, raw: Path, datasets: Path, skip: tuple[Path, ...] = (), data: dict | None = None) -> dict | None:
    """The recorded outcome {"release": name, "rejected": [...]} when a full run would change
    nothing; None when it must run (no record, or anything it depends on moved). `data`: the
    record at `path` when the caller read it already (read_record)."""
    data = data if data is not None else read_record(path)
    if data is None or not data.get("release"):
        return None
    entries, taken = data["entries"], int(data["taken_ns"])
    if any(str(r.get("reason", "")).startswith(RETRY_REASONS) for r in data.get("rejected", [])):
        return None
    if release_id(datasets) != data["release"]:
        return None
    now = scan(raw, skip)
    if now.keys() != entries.keys():
        return None
    moved = False
    for rel, e in now.items():
        old = entries[rel]
        if e[0] != old[0]:
            return None
        if e[0] == "d":
            continue  # a folder's own stats move with its entries, which are compared one by one
        racy = old[0] == "f" and old[2] >= taken - RACY_NS
        if e == old[:len(e)] and not racy:
            continue
        if e[0] != "f" or old[-1] is None or file_sha256(Path(raw) / rel) != old[-1]:
            return None  # a directory or special file whose stats moved, or other bytes
        moved = True
    if data["code"] != code_fingerprint():
        return None
    if moved:  # same bytes under new stats: remember them, so the next run need not hash
        snap = Snapshot.__new__(Snapshot)
        snap.taken_ns, snap.code = time.time_ns(), data["code"]
        snap.entries = {rel: e + [entries[rel][-1]] if e[0] == "f" else e for rel, e in now.items()}
        record(path, snap, datasets, {"rejected": data.get("rejected", [])})
    return {"release": data["release"]["name"], "rejected": data.get("rejected", [])}
