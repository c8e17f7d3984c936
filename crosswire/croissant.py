"""The release as Croissant 1.0 metadata (croissant.json, JSON-LD): the files with their
SHA-256, and one record set per table with its fields, types, descriptions and keys.

Spec: http://mlcommons.org/croissant/1.0 (checked with `mlcroissant validate --jsonld`).
Paths come from the manifest, so the same code describes a release whatever its layout.

Foreign keys are in datapackage.json, not here: mlcroissant 1.1 reads a field's
`references` as an inner join to do before yielding records, which drops the rows whose key
is null (most utterances have no speaker) and fails on chains of references.
"""
from __future__ import annotations

import re

import pyarrow as pa

from schemas import TABLES

from . import licenses

# The JSON-LD context of Croissant 1.0 datasets, as mlcroissant 1.1 writes it for 1.0.
CONTEXT = {
    "@language": "en", "@vocab": "https://schema.org/", "citeAs": "cr:citeAs", "column": "cr:column",
    "conformsTo": "dct:conformsTo", "equivalentProperty": "cr:equivalentProperty", "samplingRate": "cr:samplingRate", "cr": "http://mlcommons.org/croissant/", "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"}, "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/", "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract", "field": "cr:field", "fileProperty": "cr:fileProperty", "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet", "format": "cr:format", "includes": "cr:includes", "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath", "key": "cr:key", "md5": "cr:md5", "parentField": "cr:parentField", "path": "cr:path",
    "recordSet": "cr:recordSet", "references": "cr:references", "regex": "cr:regex", "repeated": "cr:repeated",
    "replace": "cr:replace", "sc": "https://schema.org/", "separator": "cr:separator", "source": "cr:source",
    "subField": "cr:subField", "transform": "cr:transform",
}
DESCRIPTION = ("How news outlets report the same events: clean article text with metadata, the statements "
               "the articles report (who said what, where in the text) and the agreements between outlets "
               "that carry the same utterance.")
PARQUET = "application/x-parquet"  # the encoding format mlcroissant reads Parquet by

# Arrow type test -> Croissant dataType (a list's items give its type; the field is repeated)
_DATA_TYPES = ((pa.types.is_string, "sc:Text"), (pa.types.is_integer, "sc:Integer"),
               (pa.types.is_floating, "sc:Float"), (pa.types.is_boolean, "sc:Boolean"),
               (pa.types.is_timestamp, "sc:DateTime"), (pa.types.is_date, "sc:Date"))
HIVE_SEGMENT = re.compile(r"(?:^|/)([A-Za-z_][A-Za-z0-9_]*)=[^/]+(?=/)")


def data_type(t: pa.DataType) -> str:
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        t = t.value_type
    return next((name for test, name in _DATA_TYPES if test(t)), "sc:Text")


def partition_columns(entry: dict) -> list[str]:
    """Columns a partitioned table keeps in its parts' paths (hive `name=value` folders)."""
    return sorted({m.group(1) for p in entry.get("parts") or () for m in HIVE_SEGMENT.finditer(p["path"])})


def files_glob(entry: dict) -> str:
    """A table's file, or a glob over its parts, relative to the release folder."""
    if not entry.get("parts"):
        return entry["path"]
    deep = "**/" if partition_columns(entry) else ""
    return f"{entry['path'].rstrip('/')}/{deep}*.parquet"


def published_columns(name: str, entry: dict) -> list:
    """The table's column descriptions (schemas/), for the columns its manifest entry lists
    (a release made before a column was added lacks it)."""
    listed = {c[0] for c in entry.get("columns") or ()}
    return [c for c in TABLES[name].columns if not listed or c.name in listed]


def _distribution(name: str, entry: dict) -> tuple[list[dict], dict]:
    """The table's FileObjects (and FileSet for parts) and the source its fields read."""
    if not entry.get("parts"):
        return ([{"@type": "cr:FileObject", "@id": entry["path"], "name": entry["path"], "contentUrl": entry["path"],
                  "contentSize": f"{entry['bytes']} B", "encodingFormat": PARQUET, "sha256": entry["sha256"]}],
                {"fileObject": {"@id": entry["path"]}})
    files = [{"@type": "cr:FileObject", "@id": p["path"], "name": p["path"], "contentUrl": p["path"],
              "contentSize": f"{p['bytes']} B", "encodingFormat": PARQUET, "sha256": p["sha256"]}
             for p in entry["parts"]]
    files.append({"@type": "cr:FileSet", "@id": f"{name}-parts", "name": f"{name}-parts",
                  "description": f"The parts of {name}, one folder per value of "
                                 f"{', '.join(partition_columns(entry))}.",
                  "encodingFormat": PARQUET, "includes": files_glob(entry)})
    return files, {"fileSet": {"@id": f"{name}-parts"}}


def _field(table: str, col, source: dict, partitioned: set[str]) -> dict:
    if col.name in partitioned:  # the value is in the part's path, not in its columns
        extract = {"fileProperty": "fullpath"}
        transform = {"transform": {"regex": rf"^.*{col.name}=([^/]+)/.*$"}}
    else:
        extract, transform = {"column": col.name}, {}
    out = {"@type": "cr:Field", "@id": f"{table}/{col.name}", "name": col.name,
           "description": col.description + ("" if col.nullable else " (never null)"),
           "dataType": data_type(col.type),
           "source": {**source, "extract": extract, **transform}}
    if pa.types.is_list(col.type):
        out["repeated"] = True
    return out


def croissant(manifest: dict, tables: dict[str, pa.Table]) -> dict:
    """croissant.json's content for the release the manifest describes."""
    distribution, record_sets = [], []
    for name, entry in manifest["tables"].items():
        spec = TABLES[name]
        files, source = _distribution(name, entry)
        distribution += files
        partitioned = set(partition_columns(entry))
        fields = [_field(name, c, source, partitioned) for c in published_columns(name, entry)]
        record_sets.append({"@type": "cr:RecordSet", "@id": name, "name": name,
                            "description": f"{spec.description} ({entry['rows']} rows)",
                            "key": {"@id": f"{name}/{spec.primary_key}"}, "field": fields})
    version = manifest["version"]
    return {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": "http://mlcommons.org/croissant/1.0",
        "name": "crosswire",
        "description": DESCRIPTION,
        "version": version,
        "datePublished": manifest["created"],
        "license": licenses.PROJECT["url"],
        "url": "README.md",
        "citeAs": f"crosswire v{version}: how news outlets report the same events (dataset), {manifest['created'][:4]}.",
        "keywords": ["news", "quotations", "reported speech", "media analysis", "cross-source agreement"],
        "inLanguage": sorted({s["language"] for s in tables["sources"].to_pylist()}) if "sources" in tables else [],
        "distribution": distribution,
        "recordSet": record_sets,
    }
