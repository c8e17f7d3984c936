"""The project's data files (crosswire/data/*.toml: word lists, thresholds, fitted numbers),
read once per process, with an error that names the file when one cannot be read."""
from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@lru_cache(maxsize=None)
def read_toml(path: str | Path) -> dict:
    """The parsed TOML at `path` (a path, or a name under crosswire/data/). Callers treat the
    result as read-only: it is shared."""
    path = Path(path) if Path(path).is_absolute() else DATA / path
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise ValueError(f"{path}: cannot read this data file ({e})") from e
