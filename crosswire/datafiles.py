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


@lru_cache(maxsize=None)
def read_pairs(name: str) -> dict[str, str]:
    """The two tab-separated columns of a data file under crosswire/data/ as a mapping, its
    "#" lines left out (crosswire/data/given_names.tsv)."""
    path = DATA / name
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise ValueError(f"{path}: cannot read this data file ({e})") from e
    out = {}
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2:
            raise ValueError(f"{path}:{n}: expected two tab-separated columns, got {line!r}")
        out[parts[0]] = parts[1]
    return out
