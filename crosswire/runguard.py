"""Checks before a run touches datasets/: it is not inside raw/, and it is the datasets/
of this raw/.

Two runs with different raw folders on one datasets/ would publish alternately, each
release silently dropping the other's articles. So a datasets/ records the raw root its
releases were built from, in datasets/.raw-root (one line: the path relative to datasets/,
so that a checkout can move), and a run from another raw root is refused unless forced.
"""
from __future__ import annotations

import os
from pathlib import Path

RECORD = ".raw-root"


class RunRefused(ValueError):
    """A run that must not start; str() is the one-line reason."""


def recorded_raw(datasets: Path) -> Path | None:
    """The raw root datasets/ was built from, or None when it records none."""
    try:
        line = (Path(datasets) / RECORD).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    return (Path(datasets) / line).resolve() if line else None


def check(raw: Path, datasets: Path, force: bool = False) -> None:
    """RunRefused when datasets/ lies inside raw/, or records another raw root (unless force)."""
    raw_r, ds_r = Path(raw).resolve(), Path(datasets).resolve()
    if ds_r == raw_r or ds_r.is_relative_to(raw_r):
        raise RunRefused(f"--datasets {datasets} is inside --raw {raw}: releases would be read as input; "
                         "choose a datasets folder outside raw/")
    before = recorded_raw(datasets)
    if before is not None and before != raw_r and not force:
        raise RunRefused(f"{datasets} holds releases built from {before}, not {raw_r}; a release from another "
                         f"raw folder would drop their articles. Use another --datasets, or --force to switch "
                         f"this one to {raw} (recorded in {Path(datasets) / RECORD})")


def record(raw: Path, datasets: Path) -> None:
    """Write datasets/.raw-root (when datasets/ exists) naming raw as its raw root."""
    datasets = Path(datasets)
    if not datasets.is_dir():
        return
    rel = os.path.relpath(Path(raw).resolve(), datasets.resolve())
    path = datasets / RECORD
    if not path.exists() or path.read_text(encoding="utf-8").strip() != rel:
        tmp = datasets / (RECORD + ".tmp")
        tmp.write_text(rel + "\n", encoding="utf-8")
        os.replace(tmp, path)
