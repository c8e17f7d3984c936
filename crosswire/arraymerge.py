"""Inserting a few values into a large array at sorted places, as np.insert does, in one
pass: np.insert with an array of places costs about 0.1 s for 1.8M values whatever their
number (it sorts and checks the places); one added article inserts hundreds. Pure."""
from __future__ import annotations

import numpy as np


def insert(values: np.ndarray, where: np.ndarray, extra: np.ndarray) -> np.ndarray:
    """np.insert(values, where, extra) for `where` non-decreasing (extra[k] goes before
    values[where[k]], several at one place in their order)."""
    extra = np.asarray(extra)
    out = np.empty(len(values) + len(extra), np.result_type(values, extra))
    at = np.asarray(where, np.int64) + np.arange(len(extra))
    old = np.ones(len(out), bool)
    old[at] = False
    out[old] = values
    out[at] = extra
    return out
