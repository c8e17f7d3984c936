"""Open a published release without the pipeline: each table as an Arrow table, a pandas or
Polars frame or a DuckDB relation, and the denormalised `statement_view`.

    from crosswire.load import release
    r = release()                          # the newest release under ./datasets
    r = release("v1.1.0", datasets="datasets")   # or a named one, or a release folder
    r.tables                               # ['sources', 'articles', 'statements', ...]
    r.pandas("statements")                 # r.arrow(...), r.polars(...), r.duckdb(...)
    r.sql("SELECT outlet, count(*) FROM statement_view GROUP BY outlet").show()

Importing this module costs a few milliseconds: it needs nothing beyond the standard library
until a table is asked for, and then only the library that was asked for (pyarrow; pandas,
polars or duckdb on demand). It never imports the pipeline (Prefect, spaCy, trafilatura,
pandera). Where each table's file is comes from the release's manifest.json, never from
a naming convention, so the loader reads every release layout the project has published.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

from . import views

VERSION_DIR = re.compile(r"^v(\d+)\.(\d+)\.(\d+)$")
POINTER = "latest"  # datasets/latest: a text file naming the newest release ("v1.2.0")


class ReleaseNotFound(LookupError):
    """No release where one was asked for; the message says where it looked and why."""


def version_of(name: str) -> tuple[int, int, int]:
    """(major, minor, patch) of a release folder's name ("v1.2.0" -> (1, 2, 0))."""
    return tuple(int(x) for x in VERSION_DIR.match(name).groups())


def release_dirs(datasets: str | Path) -> list[Path]:
    """The folders under `datasets` named like a release (v<major>.<minor>.<patch>), complete
    or not, oldest first by version (not by name: v1.10.0 comes after v1.9.0)."""
    root = Path(datasets)
    if not root.is_dir():
        return []
    return sorted((p for p in root.iterdir() if VERSION_DIR.match(p.name) and p.is_dir()),
                  key=lambda p: version_of(p.name))


def read_pointer(datasets: str | Path) -> str | None:
    """The release `datasets/latest` names ("v1.2.0"; a bare "1.2.0" reads as "v1.2.0"), or
    None when the file is missing, unreadable or names no version."""
    try:
        name = (Path(datasets) / POINTER).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    name = name if name.startswith("v") else f"v{name}"
    return name if VERSION_DIR.match(name) else None


def _manifest(folder: Path) -> dict | None:
    """The release's manifest, or None when it is missing or unreadable."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and isinstance(manifest.get("tables"), dict) else None


def release_problem(folder: Path) -> str | None:
    """Why a folder named v<semver> is not a (complete) release, or None when it is one:
    a manifest.json that parses, lists tables and names the folder's version. The one
    test of completeness (publish, validate and the no-op check use it too). Kept per
    manifest and stats (kept_by_stats): a run asks it of every release several times."""
    try:
        return kept_by_stats(Path(folder) / "manifest.json", _manifest_problem)
    except FileNotFoundError:
        return "no manifest.json (an incomplete release?)"
    except OSError as e:
        return f"manifest.json unreadable ({type(e).__name__})"


def kept_by_stats(path: Path, make):
    """make(path), computed once per file and its stats in this process (the stat's OSError
    raised; what make raises is not kept). For what a run reads of every release's manifest
    (several MB at 10k articles: every input file's digest) again and again, so that a
    long-lived `crosswire watch` does not pay more with each release it publishes. A
    manifest is written once, by a rename; a rewrite moves its inode or ctime."""
    st = os.stat(path)
    seen = (make.__module__, make.__qualname__, os.fspath(path), st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    if seen not in _KEPT:
        value = make(path)
        if len(_KEPT) >= 4096:
            _KEPT.clear()
        _KEPT[seen] = value
    return _KEPT[seen]


_KEPT: dict[tuple, object] = {}


def _manifest_problem(path: Path) -> str | None:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise  # gone since its stat: said as when it was never there
    except (OSError, UnicodeDecodeError, ValueError) as e:
        return f"manifest.json unreadable ({type(e).__name__})"
    if not isinstance(manifest, dict) or not isinstance(manifest.get("tables"), dict) or not manifest["tables"]:
        return "manifest.json lists no tables"
    if f"v{manifest.get('version')}" != path.parent.name:
        return f"manifest.json says version {manifest.get('version')!r}"
    return None


def published(datasets: str | Path) -> list[Path]:
    """The release folders under `datasets` with a readable manifest, oldest first."""
    return [p for p in release_dirs(datasets) if release_problem(p) is None]


def newest(datasets: str | Path) -> Path:
    """The newest release under `datasets`. `datasets/latest` names it; when that file is
    missing, unreadable or names anything but the newest release with a valid manifest
    (a stale pointer), the newest such folder wins."""
    found = published(datasets)
    if not found:
        raise ReleaseNotFound(f"no release (v<major>.<minor>.<patch>/ with a manifest.json) under {datasets}")
    named = read_pointer(datasets)
    pointed = [p for p in found if p.name == named]
    return pointed[0] if pointed and pointed[0] == found[-1] else found[-1]


def locate(which: str | Path | None = None, datasets: str | Path = "datasets") -> Path:
    """The release folder meant by `which`: None or 'latest' (the newest under `datasets`),
    a version ('v1.1.0' or '1.1.0') under `datasets`, or a release folder's path."""
    if which is None or str(which) == POINTER:
        return newest(datasets)
    path = Path(which)
    if (path / "manifest.json").is_file():
        return path
    name = str(which) if str(which).startswith("v") else f"v{which}"
    if VERSION_DIR.match(name) and (Path(datasets) / name / "manifest.json").is_file():
        return Path(datasets) / name
    have = ", ".join(p.name for p in published(datasets)) or "none"
    raise ReleaseNotFound(f"{which}: neither a release folder nor a release under {datasets} "
                          f"(releases there: {have})")


def release(which: str | Path | None = None, datasets: str | Path = "datasets") -> "Release":
    """Open a release: the newest under `datasets` by default (see `locate`)."""
    return Release(locate(which, datasets))


class Release:
    """One published release folder, read through its manifest.json."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        manifest = _manifest(self.path)
        if manifest is None:
            raise ReleaseNotFound(f"{self.path}: no readable manifest.json with a 'tables' object")
        self.manifest = manifest
        self.version = manifest.get("version") or self.path.name.lstrip("v")
        self._con = None

    def __repr__(self) -> str:
        return f"Release({str(self.path)!r}, version={self.version!r})"

    @property
    def tables(self) -> list[str]:
        """The release's tables, in publishing order."""
        return list(self.manifest["tables"])

    @property
    def views(self) -> list[str]:
        """The views `duckdb`/`sql` (and the frame readers) offer besides the tables: those
        whose tables this release has (v1.0.0 has no utterances, so no statement_view)."""
        return [v for v, (_, needs) in views.VIEWS.items() if all(t in self.manifest["tables"] for t in needs)]

    def _entry(self, name: str) -> dict:
        try:
            return self.manifest["tables"][name]
        except KeyError:
            raise KeyError(f"{self.path}: no table {name!r}; tables: {', '.join(self.tables)}; "
                           f"views: {', '.join(self.views) or 'none'}") from None

    def files(self, name: str) -> list[Path]:
        """The Parquet file(s) of a table, as the manifest lists them."""
        return views.table_files(self.path, self._entry(name))

    def columns(self, name: str) -> list[str]:
        """A table's column names, in their published order (from the manifest)."""
        return [c[0] for c in self._entry(name).get("columns", [])]

    # ---- readers --------------------------------------------------------------------

    def arrow(self, name: str):
        """A table (or view) as a pyarrow.Table, rows in the order the release stores them."""
        if name in self.views and name not in self.manifest["tables"]:
            return self.duckdb(name).fetch_arrow_table()  # a Table in DuckDB 1.x and 2.x alike
        return read_arrow(self.path, self._entry(name))

    def pandas(self, name: str, **to_pandas):
        """A table (or view) as a pandas DataFrame (keyword arguments go to Arrow's
        to_pandas, e.g. types_mapper=pandas.ArrowDtype)."""
        return self.arrow(name).to_pandas(**to_pandas)

    def polars(self, name: str):
        """A table (or view) as a Polars DataFrame."""
        try:
            import polars as pl
        except ImportError as e:
            raise ImportError("Release.polars needs the polars package (pip install polars)") from e
        return pl.from_arrow(self.arrow(name))

    def connect(self):
        """This release's DuckDB connection: a view per table and the views of
        crosswire.views (statement_view), made once."""
        if self._con is None:
            self._con = views.connect(self.path)
        return self._con

    def duckdb(self, name: str):
        """A table or view as a DuckDB relation (lazy: nothing is read until it is used)."""
        if name not in self.manifest["tables"] and name not in self.views:
            self._entry(name)  # raises, naming the tables and views there are
        return self.connect().table(name)

    def sql(self, query: str, params: dict | list | None = None):
        """A DuckDB relation of `query` over the release's tables and views."""
        con = self.connect()
        return con.sql(query, params=params) if params is not None else con.sql(query)


def read_arrow(folder: Path, entry: dict):
    """One table of a release as a pyarrow.Table from its manifest entry: a single Parquet
    file, or its parts in the manifest's order. Parts that leave a column to their folder
    names (v1's hive layout, `<table>/source_id=<id>/part-0.parquet`) get it back, in its
    published place and type. Rows come in the order the release stores them."""
    import pyarrow as pa
    import pyarrow.dataset as ds

    files = [str(p) for p in views.table_files(folder, entry)]
    if not entry.get("parts"):
        return ds.dataset(files, format="parquet").to_table()
    root = str(Path(folder) / entry["path"])
    table = ds.dataset(files, format="parquet", partitioning="hive", partition_base_dir=root).to_table()
    recorded = [(c[0], c[1]) for c in entry.get("columns", [])]
    if not recorded or [n for n, _ in recorded] == table.schema.names:
        return table
    stored = set(ds.dataset(files[:1], format="parquet").schema.names)
    cols = []
    for name, type_name in recorded:
        col = table.column(name)
        if name not in stored and str(col.type) != type_name:  # a value from a folder name
            col = col.cast(pa.type_for_alias(type_name))
        cols.append(col)
    return pa.Table.from_arrays(cols, names=[n for n, _ in recorded])
