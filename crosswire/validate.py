"""Checking tables and published releases: schemas, keys across tables, checksums."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pandera.pandas as pdx
import pyarrow as pa
import pyarrow.dataset as ds

from schemas import TABLES
from schemas.relations import check_relations


def validate_tables(tables: dict[str, pa.Table], only: set[str] | None = None) -> list[str]:
    """Every problem found, one line each (an empty list means valid)."""
    errors = []
    for name, spec in TABLES.items():
        if only is not None and name not in only:
            continue
        table = tables.get(name)
        if table is None:
            errors.append(f"{name}: table missing")
            continue
        if only is not None:  # a published release may predate columns added since
            spec = spec.earlier_format(table.schema.names) or spec
        errors += _schema_differences(name, table.schema, spec.arrow_schema)
        try:
            spec.model.validate(table.to_pandas(types_mapper=pd.ArrowDtype), lazy=True)
        except pdx.errors.SchemaErrors as e:
            errors += _describe(name, e.failure_cases)
        except pdx.errors.SchemaError as e:  # raised eagerly for some dtype problems
            errors.append(f"{name}: {e}")
    for name in sorted(set(tables) - set(TABLES)):
        errors.append(f"{name}: not a table of this release format")
    return errors + check_relations(tables)


def _schema_differences(name: str, got: pa.Schema, want: pa.Schema) -> list[str]:
    out = []
    if got.names != want.names:
        missing = [c for c in want.names if c not in got.names]
        extra = [c for c in got.names if c not in want.names]
        out.append(f"{name}: columns differ (missing {missing}, unexpected {extra})")
        return out
    for g, w in zip(got, want):
        if not g.type.equals(w.type):
            out.append(f"{name}.{g.name}: type {g.type}, expected {w.type}")
    return out


def _describe(table: str, failures: pd.DataFrame) -> list[str]:
    """pandera's failure cases grouped by column and check, with counts and examples."""
    lines = []
    failures = failures.astype({"column": str, "check": str})
    for (column, check), group in failures.groupby(["column", "check"], sort=True, dropna=False):
        examples = ", ".join(repr(v)[:60] for v in group["failure_case"].head(3))
        lines.append(f"{table}.{column}: {len(group)} row(s) fail {check} (e.g. {examples})")
    return lines


def columns_spec(schema: pa.Schema) -> list[list]:
    """[name, type, nullable] per column: what manifest.json records of each table."""
    return [[f.name, str(f.type), f.nullable] for f in schema]


def _names(spec: list) -> list[str]:
    """Column names of a columns_spec (types are checked against the table's schema)."""
    return [c[0] for c in spec if isinstance(c, list) and c]


def _format_of(name: str, table: pa.Table):
    """Today's description of the table, or the earlier minor format it was published in."""
    return TABLES[name].earlier_format(table.schema.names) or TABLES[name]


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_table(release: Path, name: str) -> pa.Table:
    path = release / f"{name}.parquet"
    if path.exists():
        return ds.dataset(path, format="parquet").to_table()
    # a large table is a directory of parts, hive-partitioned by source_id: put the
    # partition column back in its place, rows in key order
    spec = TABLES[name]
    parts = ds.partitioning(pa.schema([("source_id", pa.string())]), flavor="hive")
    table = ds.dataset(release / name, format="parquet", partitioning=parts).to_table()
    return table.select(spec.arrow_schema.names).cast(spec.arrow_schema).sort_by(spec.primary_key)


def _check_parts(release: Path, name: str, entry: dict) -> list[str]:
    """A partitioned table: every listed part present and unchanged, and no other part."""
    parts = entry.get("parts") or []
    listed = {p.get("path") for p in parts}
    found = {p.relative_to(release).as_posix() for p in (release / entry["path"]).rglob("*.parquet")}
    errors = [f"{name}: part {p} missing" for p in sorted(listed - found)]
    errors += [f"{name}: part {p} is not listed in manifest.json" for p in sorted(found - listed)]
    for p in parts:
        if p["path"] in found and sha256_file(release / p["path"]) != p.get("sha256"):
            errors.append(f"{name}: {p['path']} does not match its sha256 in manifest.json (changed after publishing)")
    return errors


def validate_release(release: Path, deep: bool = True) -> list[str]:
    """Re-check a published release: its manifest, every file's checksum, schemas and keys.
    `deep=False` stops at what the files on disk can get wrong (manifest, checksums, row
    counts, column types): for a release just written from tables already validated."""
    release = Path(release)
    try:
        manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return [f"{release.name}: manifest.json missing"]
    except json.JSONDecodeError as e:
        return [f"{release.name}: manifest.json is not valid JSON: {e}"]
    if not isinstance(manifest, dict) or not isinstance(manifest.get("tables"), dict):
        return [f"{release.name}: manifest.json has no 'tables' object"]
    errors, tables = [], {}
    if manifest.get("version") and f"v{manifest['version']}" != release.name:
        errors.append(f"{release.name}: manifest says version {manifest['version']}")
    for name, entry in sorted(manifest["tables"].items()):
        if name not in TABLES:
            errors.append(f"{name}: listed in manifest.json but not a table of this release format")
            continue
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str) or "sha256" not in entry:
            errors.append(f"{name}: manifest.json entry lacks 'path' or 'sha256'")
            continue
        path = release / entry["path"]
        if Path(entry["path"]).is_absolute() or ".." in Path(entry["path"]).parts \
                or not path.resolve().is_relative_to(release.resolve()):
            errors.append(f"{name}: manifest.json path {entry['path']!r} points outside the release")
            continue
        if not path.exists():
            errors.append(f"{name}: file {entry['path']} missing")
            continue
        if path.is_file() and sha256_file(path) != entry["sha256"]:
            errors.append(f"{name}: {entry['path']} does not match its sha256 in manifest.json (changed after publishing)")
            continue
        if path.is_dir():
            problems = _check_parts(release, name, entry)
            if problems:
                errors += problems
                continue
        try:
            tables[name] = read_table(release, name)
        except (pa.ArrowException, OSError, ValueError) as e:
            errors.append(f"{name}: {entry['path']} cannot be read: {e}")
            continue
        recorded = entry.get("columns")
        if isinstance(recorded, list) and _names(recorded) \
                != _names(columns_spec(tables[name].schema)):
            errors.append(f"{name}: columns differ from those manifest.json records")
        if tables[name].num_rows != entry.get("rows"):
            errors.append(f"{name}: {tables[name].num_rows} rows, manifest.json says {entry.get('rows')}")
    for extra in ("datapackage.json", "README.md"):
        if not (release / extra).is_file():
            errors.append(f"{release.name}: {extra} missing")
    for name in ("sources", "articles"):
        if name not in manifest.get("tables", {}):
            errors.append(f"{name}: not listed in manifest.json")
    if errors:
        return errors
    if not deep:
        return [e for name, t in tables.items()
                for e in _schema_differences(name, t.schema, _format_of(name, t).arrow_schema)]
    # a release made before a table existed is checked for the tables it has
    return validate_tables(tables, only=set(tables))
