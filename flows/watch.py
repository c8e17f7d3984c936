"""Keeping releases up to date from one long-lived process (`crosswire watch`).

A scheduled `crosswire run` is a fresh process each time: it imports the flow (about 0.8 s)
and loads spaCy (about 1.2 s) before it looks at one new article, and Prefect's own
deployments start a process per run as well. `watch` checks raw/ every few seconds in one
process instead: a check that finds nothing changed is the no-op record's answer
(crosswire/unchanged.py: file stats, no flow, no Prefect run, no parsing), and a check that
finds a change runs the release flow in this process, with the modules and the spaCy
pipeline (crosswire.nlp.load, cached per process) already loaded.

What the loop decides, and why:
- The code a resident process runs is the code it imported. When the files on disk change
  (a deploy, a `git pull`), the no-op record would say "other code" and the run would go the
  full way with the old code in memory and record the new code's fingerprint: so the watch
  stops instead, saying to restart it.
- A failed run (a bad raw root, another run holding the lock, a crash) is reported in one
  line and tried again at the next check; after `max_failures` failures in a row the watch
  stops with exit status 1, for the supervisor (systemd, cron, a Prefect worker) to see.

Orchestration only, with its pieces given: what a check does, how the code is fingerprinted,
how time passes and where the lines go come from the caller (crosswire/cli.py wires the
flow in), so that the loop is tested without one. No Prefect here: a run reports to
Prefect when the check's run does.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Outcome:
    """What one check did: `ran` the release flow (False: the no-op record answered),
    the new release's path or None, the files set aside with their reasons."""
    ran: bool
    release: str | None
    rejected: tuple[dict, ...] = ()


class CodeChanged(RuntimeError):
    def __init__(self, message: str = "the code on disk changed since this watch started: restart it to run "
                                      "the new code"):
        super().__init__(message)


def watch(check: Callable[[], Outcome], started_with: str, code: Callable[[], str], every: float, *,
          checks: int | None = None, max_failures: int = 3,
          sleep: Callable[[float], None] | None = None,
          report: Callable[[Outcome, float], None] = lambda outcome, seconds: None,
          failed: Callable[[BaseException], None] = lambda error: None,
          after: Callable[[Outcome], None] = lambda outcome: None) -> int:
    """Run `check` every `every` seconds (the interval counts from the end of one check to the
    start of the next) until `checks` checks were made (None: until interrupted), the code
    on disk (`code()`) moved from `started_with` (what this process runs) or a check raised
    CodeChanged (it found so itself), or `max_failures` checks failed in a row.
    `report(outcome, seconds)` is told every check that succeeded, `failed(error)` every one
    that raised. `after(outcome)` is called once a succeeded check is reported, outside its
    seconds: housekeeping that need not delay a release (the caller's). `sleep` waits between
    checks (time.sleep). Returns the exit status: 0, or 1 after too many failures or a code
    change."""
    sleep = sleep or time.sleep
    if every < 0:
        raise ValueError(f"--every must be 0 or more seconds, not {every}")
    made = failures = 0
    while checks is None or made < checks:
        if made:
            sleep(every)
        if code() != started_with:
            failed(CodeChanged())
            return 1
        made += 1
        t0 = time.perf_counter()
        try:
            outcome = check()
        except CodeChanged as e:
            failed(e)
            return 1
        except Exception as e:  # a run that failed: said, and tried again at the next check
            failures += 1
            failed(e)
            if failures >= max_failures:
                return 1
            continue
        failures = 0
        report(outcome, time.perf_counter() - t0)
        after(outcome)
    return 0
