"""Publishing a release: deterministic Parquet, manifest, data package, data card.

A release directory is built under a hidden temporary name, validated, then renamed into
place in one step, so readers see either the whole release or none of it. An existing
version is never written into.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from schemas import TABLES
from schemas._base import Table

from . import datacard
from . import diff as release_diff
from .lock import LockTimeout, datasets_lock  # noqa: F401  (LockTimeout: part of this API)
from .validate import columns_spec, sha256_file, validate_release, validate_tables

VERSION_DIR = re.compile(r"^v(\d+)\.(\d+)\.(\d+)$")
TMP_PREFIX = ".tmp-"


class PublishError(RuntimeError):
    pass


class PublishWriteError(PublishError, OSError):
    """Writing the release failed (disk full, read-only, ...): nothing was published.

    An OSError too, with the original errno, so callers can tell ENOSPC from EROFS.
    """

    def __init__(self, message: str, errno: int | None = None):
        super().__init__(message)
        self.errno = errno
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationFailed(PublishError):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__(f"the release does not validate ({len(errors)} problem(s)): " + "; ".join(errors))


# ---- tables ---------------------------------------------------------------------------

def to_arrow(spec: Table, rows: list[dict]) -> pa.Table:
    """Rows to an Arrow table of the published schema, sorted by primary key."""
    names = spec.arrow_schema.names
    rows = sorted(rows, key=lambda r: r[spec.primary_key])
    return pa.Table.from_pylist([{n: r.get(n) for n in names} for r in rows], schema=spec.arrow_schema)


def build_tables(rows: dict[str, list[dict]]) -> dict[str, pa.Table]:
    return {name: to_arrow(spec, rows.get(name, [])) for name, spec in TABLES.items()}


def write_parquet(table: pa.Table, path: Path) -> None:
    # One row group, fixed options: the same table gives the same bytes on every run.
    pq.write_table(table, path, compression="zstd", compression_level=3, row_group_size=max(1, table.num_rows),
                   use_dictionary=True, write_statistics=True, store_schema=True)


def row_hashes(table: pa.Table, key: str) -> dict[str, str]:
    """Primary key -> hash of the row's values: what 'changed' means between releases."""
    out = {}
    for row in table.to_pylist():
        out[row[key]] = hashlib.sha256(json.dumps(row, sort_keys=True, default=str, ensure_ascii=False)
                                       .encode()).hexdigest()
    return out


def content_digest(table: pa.Table, key: str) -> str:
    h = hashlib.sha256()
    for k, v in sorted(row_hashes(table, key).items()):
        h.update(f"{k}:{v}\n".encode())
    return h.hexdigest()


# ---- versions ----------------------------------------------------------------------------

def releases(datasets: Path) -> list[Path]:
    """Published releases, oldest first (by semantic version)."""
    if not Path(datasets).is_dir():
        return []
    found = [p for p in Path(datasets).iterdir() if p.is_dir() and VERSION_DIR.match(p.name)]
    return sorted(found, key=lambda p: tuple(int(x) for x in VERSION_DIR.match(p.name).groups()))


def latest(datasets: Path) -> Path | None:
    found = releases(datasets)
    return found[-1] if found else None


@dataclass
class Plan:
    version: str | None        # None: nothing changed, no release
    bump: str                  # "initial" | "major" | "minor" | "patch" | "none"
    changes: dict              # table -> {"added", "removed", "changed"}
    previous: str | None


def plan(tables: dict[str, pa.Table], previous: Path | None) -> Plan:
    """Compare with the previous release and choose the version bump (DESIGN.md)."""
    if previous is None:
        changes = {n: {"added": t.num_rows, "removed": 0, "changed": 0} for n, t in tables.items()}
        return Plan("1.0.0", "initial", changes, None)
    manifest = json.loads((previous / "manifest.json").read_text(encoding="utf-8"))
    old_tables = manifest["tables"]
    breaking = additive = False
    changes = {}
    for name, table in tables.items():
        key = TABLES[name].primary_key
        old = old_tables.get(name)
        if old is None:
            additive = True
            changes[name] = {"added": table.num_rows, "removed": 0, "changed": 0}
            continue
        old_cols = {c[0]: c for c in old["columns"]}
        new_cols = {c[0]: c for c in columns_spec(table.schema)}
        if any(c not in new_cols or new_cols[c][1] != old_cols[c][1] for c in old_cols):
            breaking = True
        if set(new_cols) - set(old_cols):
            additive = True
        if old.get("content_sha256") == content_digest(table, key):
            changes[name] = {"added": 0, "removed": 0, "changed": 0}
            continue
        from .validate import read_table
        before = row_hashes(read_table(previous, name), key)
        after = row_hashes(table, key)
        changes[name] = {
            "added": len(after.keys() - before.keys()),
            "removed": len(before.keys() - after.keys()),
            "changed": sum(1 for k in after.keys() & before.keys() if after[k] != before[k]),
        }
    breaking = breaking or any(n not in tables for n in old_tables)
    major, minor, patch = (int(x) for x in manifest["version"].split("."))
    if breaking:
        return Plan(f"{major + 1}.0.0", "major", changes, manifest["version"])
    if additive or any(c["added"] for c in changes.values()):
        return Plan(f"{major}.{minor + 1}.0", "minor", changes, manifest["version"])
    if any(c["removed"] or c["changed"] for c in changes.values()):
        return Plan(f"{major}.{minor}.{patch + 1}", "patch", changes, manifest["version"])
    return Plan(None, "none", changes, manifest["version"])


# ---- writing -----------------------------------------------------------------------------

def publish(rows: dict[str, list[dict]], datasets: Path, *, inputs: list[dict], rejected: list[dict],
            code: dict, validate=validate_tables, lock_timeout: float | None = None,
            warnings: list[dict] = ()) -> tuple[Path | None, Plan]:
    """Validate and publish the tables as the next release; (None, plan) when nothing changed.
    `warnings` (e.g. articles dated far outside their event) go into the manifest.

    Raises ValidationFailed (nothing written) when the tables break their schemas,
    LockTimeout when another run keeps datasets/ locked, and PublishError (nothing
    published, the previous releases untouched) when writing fails.
    """
    datasets = Path(datasets)
    tables = build_tables(rows)
    errors = validate(tables)
    if errors:
        raise ValidationFailed(errors)
    try:
        with datasets_lock(datasets, lock_timeout):
            clean_stale(datasets)
            return _publish_locked(tables, datasets, inputs=inputs, rejected=rejected, code=code,
                                   warnings=warnings)
    except PublishWriteError:
        raise
    except OSError as e:
        raise PublishWriteError(_write_error(datasets, e), e.errno) from e


def _write_error(datasets: Path, e: OSError) -> str:
    where = f" ({e.filename})" if getattr(e, "filename", None) else ""
    return f"cannot write to {datasets}: {e.strerror or e}{where}; nothing was published"


def _publish_locked(tables, datasets: Path, *, inputs, rejected, code, warnings=()) -> tuple[Path | None, Plan]:
    p = plan(tables, latest(datasets))
    if p.version is None:
        _refresh_changelog(datasets)  # a run killed between rename and changelog left it behind
        return None, p
    final = datasets / f"v{p.version}"
    if final.exists():
        raise PublishError(f"{final} already exists; a published release is never overwritten")
    tmp = datasets / f"{TMP_PREFIX}v{p.version}-{uuid.uuid4().hex[:8]}"
    try:
        tmp.mkdir()
        manifest = _write_release(tmp, tables, p, inputs=inputs, rejected=rejected, code=code, warnings=warnings)
        problems = validate_release_dir(tmp, p.version)
        if problems:
            raise ValidationFailed(problems)
        _fsync_tree(tmp)
        os.rename(tmp, final)  # atomic on one file system; fails if the version appeared meanwhile
        _fsync_dir(datasets)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    write_changelog(datasets)
    return final, p


def clean_stale(datasets: Path) -> list[str]:
    """Remove what a killed run left behind: hidden temporary release dirs and changelog temps.

    Called with the datasets/ lock held, so nothing here belongs to a live run.
    """
    removed = []
    for p in Path(datasets).iterdir():
        if p.name.startswith(TMP_PREFIX) and p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p.name)
        elif p.name.startswith(".CHANGELOG.md.") and p.is_file():
            p.unlink(missing_ok=True)
            removed.append(p.name)
    return sorted(removed)


def _refresh_changelog(datasets: Path) -> None:
    path = Path(datasets) / "CHANGELOG.md"
    if not releases(datasets):
        return
    newest = latest(datasets).name
    try:
        current = path.read_text(encoding="utf-8")
    except OSError:
        current = ""
    if f"## {newest} (" not in current:
        write_changelog(datasets)


def validate_release_dir(path: Path, version: str) -> list[str]:
    # the tables were validated before writing: check what writing can get wrong. The
    # temporary name is not v<semver>; check it as if it were already in place.
    return [e for e in validate_release(path, deep=False) if not e.endswith(f"manifest says version {version}")]


def partition_rows() -> int:
    """Above this many rows a table with a source_id column is written as a directory of
    hive-partitioned parts, one per outlet (CROSSWIRE_PARTITION_ROWS overrides)."""
    return int(os.environ.get("CROSSWIRE_PARTITION_ROWS", "1000000"))


def write_table(table: pa.Table, folder: Path, name: str) -> dict:
    """One Parquet file, or for a large table `<name>/source_id=<id>/part-0.parquet` parts;
    returns the manifest's path, bytes and sha256 (for parts: a digest of their digests)."""
    if table.num_rows <= partition_rows() or "source_id" not in table.schema.names:
        path = folder / f"{name}.parquet"
        write_parquet(table, path)
        return {"path": path.name, "bytes": path.stat().st_size, "sha256": sha256_file(path)}
    import pyarrow.compute as pc

    parts = []
    for sid in sorted(set(table.column("source_id").to_pylist())):
        part = table.filter(pc.equal(table["source_id"], sid)).drop_columns(["source_id"])
        path = folder / name / f"source_id={sid}" / "part-0.parquet"
        path.parent.mkdir(parents=True)
        write_parquet(part, path)
        parts.append({"path": path.relative_to(folder).as_posix(), "bytes": path.stat().st_size,
                      "sha256": sha256_file(path)})
    return {"path": name, "bytes": sum(x["bytes"] for x in parts), "sha256": parts_digest(parts), "parts": parts}


def parts_digest(parts: list[dict]) -> str:
    return hashlib.sha256("".join(f"{x['path']} {x['sha256']}\n" for x in parts).encode()).hexdigest()


def _write_release(folder: Path, tables: dict[str, pa.Table], p: Plan, *, inputs, rejected, code,
                   warnings=()) -> dict:
    entries = {}
    for name, table in tables.items():
        spec = TABLES[name]
        entries[name] = {
            **write_table(table, folder, name),
            "rows": table.num_rows,
            "content_sha256": content_digest(table, spec.primary_key),
            "schema_fingerprint": spec.fingerprint,
            "primary_key": spec.primary_key,
            "columns": columns_spec(table.schema),
        }
    manifest = {
        "name": "crosswire",
        "version": p.version,
        "previous": p.previous,
        "bump": p.bump,
        "created": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "code": code,
        "inputs": sorted(inputs, key=lambda i: i["path"]),
        "rejected": sorted(rejected, key=lambda r: r["path"]),
        "warnings": sorted(warnings, key=lambda w: (w.get("path") or "", w.get("kind", ""), w.get("message", ""))),
        "tables": entries,
        "changes": p.changes,
    }
    _write_json(folder / "manifest.json", manifest)
    _write_json(folder / "datapackage.json", datacard.datapackage(manifest, tables))
    (folder / "README.md").write_text(datacard.readme(manifest, tables), encoding="utf-8")
    return manifest


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8")


def write_changelog(datasets: Path) -> Path:
    """datasets/CHANGELOG.md, rebuilt from every release's manifest (so it can never miss one)."""
    parts = ["# Data releases\n\nWritten by `crosswire run` from each release's manifest.json; "
             "rows added, removed and changed per table against the previous release.\n"]
    for rel in reversed(releases(datasets)):
        try:
            m = json.loads((rel / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        parts.append(datacard.changelog_entry(m) + release_diff.changelog_details(rel, m))
    path = Path(datasets) / "CHANGELOG.md"
    tmp = path.with_name(f".CHANGELOG.md.{uuid.uuid4().hex[:8]}")
    tmp.write_text("\n".join(parts), encoding="utf-8")
    os.replace(tmp, path)
    return path


def _fsync_tree(folder: Path) -> None:
    for p in folder.rglob("*"):
        if p.is_file():
            with open(p, "rb") as f:
                os.fsync(f.fileno())
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def last_values(datasets: Path, table: str, key: str, column: str) -> dict:
    """{key: column} from the newest release (empty when there is none or it cannot be
    read): what a stage needs to keep its ids stable across releases."""
    from .validate import read_table

    release = latest(datasets)
    if release is None:
        return {}
    try:
        t = read_table(release, table).select([key, column])
    except (OSError, pa.ArrowInvalid, KeyError):
        return {}
    return {k: v for k, v in zip(t.column(key).to_pylist(), t.column(column).to_pylist()) if v is not None}
