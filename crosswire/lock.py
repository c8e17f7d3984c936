"""One writer at a time on a datasets/ directory.

`datasets/.lock` is held with an OS-level lock (flock on POSIX, through filelock), which
the kernel drops when the holding process ends, however it ends: a run killed with SIGKILL
leaves no stale lock behind. `datasets/.lock.owner` says who holds it, for the message a
waiting run prints; it is only ever read while the lock is busy, so a left-over owner file
from a killed run is harmless (the next holder overwrites it).
"""
from __future__ import annotations

import json
import os
import socket
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import filelock

LOCK_NAME = ".lock"
OWNER_NAME = ".lock.owner"
# how long a run waits for another run's publishing before giving up (seconds);
# CROSSWIRE_LOCK_TIMEOUT overrides it (0: refuse at once; negative: wait forever)
DEFAULT_TIMEOUT = 600.0


class LockTimeout(RuntimeError):
    """Another run holds the datasets/ lock; str() is the one-line reason."""


def timeout_from_env(default: float = DEFAULT_TIMEOUT) -> float:
    value = os.environ.get("CROSSWIRE_LOCK_TIMEOUT", "").strip()
    try:
        return float(value) if value else default
    except ValueError:
        return default


def owner(datasets: Path) -> dict:
    try:
        return json.loads((Path(datasets) / OWNER_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _describe(info: dict) -> str:
    if not info:
        return "another crosswire run"
    return (f"another crosswire run (pid {info.get('pid')} on {info.get('host')}, "
            f"since {info.get('since')})")


@contextmanager
def datasets_lock(datasets: Path, timeout: float | None = None, what: str = "publish"):
    """Hold the datasets/ lock for the block; LockTimeout if it stays busy for `timeout` s."""
    datasets = Path(datasets)
    timeout = timeout_from_env() if timeout is None else timeout
    datasets.mkdir(parents=True, exist_ok=True)
    lock = filelock.FileLock(str(datasets / LOCK_NAME), timeout=-1)
    start = time.monotonic()
    try:
        lock.acquire(timeout=timeout, poll_interval=0.1)
    except filelock.Timeout:
        waited = time.monotonic() - start
        raise LockTimeout(
            f"{datasets} is locked by {_describe(owner(datasets))}; gave up after {waited:.0f} s "
            f"(set CROSSWIRE_LOCK_TIMEOUT to wait longer)") from None
    try:
        info = {"pid": os.getpid(), "host": socket.gethostname(), "what": what,
                "since": datetime.now(timezone.utc).replace(microsecond=0).isoformat()}
        try:
            (datasets / OWNER_NAME).write_text(json.dumps(info) + "\n", encoding="utf-8")
        except OSError:
            pass  # the owner note is a courtesy; the lock itself is what protects
        yield
    finally:
        lock.release()
