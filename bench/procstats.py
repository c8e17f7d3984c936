"""This process's figures as the benches read them (Linux): resident size, its peak (which
`reset_peak` restarts from the current size), and CPU time. In bytes and seconds."""
from __future__ import annotations

import os
import resource

PAGE = os.sysconf("SC_PAGE_SIZE")
MB = 2 ** 20


def rss() -> int:
    """Resident size now."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


def peak() -> int:
    """Peak resident size since the process began or since reset_peak (ru_maxrss)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def reset_peak() -> None:
    """Restart the peak (VmHWM, ru_maxrss) from the current size: clear_refs' 5."""
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def cpu() -> float:
    """User and system CPU seconds of this process."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
