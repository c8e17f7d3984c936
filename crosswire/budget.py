"""A per-article CPU-time budget that really stops the work.

    with budget.limit(budget.seconds_for(words)):
        ...                       # raises OverBudget once the thread has used that much CPU

A watchdog thread reads the working thread's CPU clock (Linux: pthread_getcpuclockid;
elsewhere, wall time) every few tens of milliseconds and, once the allowance is spent,
raises OverBudget inside the working thread (CPython's PyThreadState_SetAsyncExc), so that
a pure-Python loop gone quadratic stops within its budget instead of finishing minutes
later. A long call into C (a regular expression in `re`, spaCy's parser) is interrupted
when it returns to Python; user regexes run on RE2 and spaCy works on bounded pieces.
The numbers are in crosswire/data/limits.toml.
"""
from __future__ import annotations

import ctypes
import os
import threading
import time
from contextlib import contextmanager

from .datafiles import read_toml

_LIMITS = read_toml("limits.toml")["budget"]
TICK = 0.02  # seconds between the watchdog's looks


class OverBudget(BaseException):
    """Raised in a thread whose allowance is spent. A BaseException, so that a stage's
    `except Exception` cannot swallow it."""


def seconds_for(words: int) -> float | None:
    """The allowance for an article of `words` words; None when budgets are switched off."""
    scale = float(os.environ.get("CROSSWIRE_TIME_BUDGET_SCALE", "1"))
    if scale <= 0:
        return None
    return scale * (_LIMITS["floor_seconds"] + _LIMITS["seconds_per_10k_words"] * words / 10_000)


def _cpu_clock(thread_id: int):
    """A function giving the thread's CPU seconds so far (wall seconds where the platform
    cannot read another thread's CPU clock)."""
    try:
        clock = time.pthread_getcpuclockid(thread_id)
        return lambda: time.clock_gettime(clock)
    except (AttributeError, OSError):
        return time.monotonic


class _Watchdog:
    def __init__(self):
        self.lock = threading.Lock()
        self.active: dict[int, tuple[object, float]] = {}  # thread id -> (its clock, deadline)
        self.thread = None

    def start(self, seconds: float) -> None:
        clock = _cpu_clock(threading.get_ident())
        with self.lock:
            self.active[threading.get_ident()] = (clock, clock() + seconds)
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name="crosswire-budget", daemon=True)
                self.thread.start()

    def stop(self) -> None:
        with self.lock:  # once removed here, no exception can be sent to this thread any more
            self.active.pop(threading.get_ident(), None)

    def _run(self) -> None:
        while True:
            time.sleep(TICK)
            with self.lock:
                for tid, (clock, deadline) in list(self.active.items()):
                    try:
                        spent = clock() >= deadline
                    except OSError:  # the thread is gone
                        del self.active[tid]
                        continue
                    if spent:
                        del self.active[tid]
                        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(tid), ctypes.py_object(OverBudget))


_WATCHDOG = _Watchdog()


@contextmanager
def limit(seconds: float | None):
    """Run the block with at most `seconds` of this thread's CPU time (None: no limit).
    OverBudget may also surface as the block ends, when the allowance ran out just then."""
    if seconds is None:
        yield
        return
    _WATCHDOG.start(seconds)
    try:
        yield
    finally:
        _WATCHDOG.stop()
