"""The human- and machine-readable descriptions of a release: the Frictionless data
package, the data card (README.md) and the changelog entry."""
from __future__ import annotations

import json

import pyarrow as pa

from schemas import TABLES
from schemas.relations import FOREIGN_KEYS

from . import croissant, licenses

# Arrow type test -> Frictionless field type, first match wins. Lists are "any":
# frictionless 5 reads Parquet through pandas, which hands a list cell over as a NumPy
# array, and its "array" type accepts Python lists only (every list cell would fail).
_FRICTIONLESS = ((pa.types.is_string, "string"), (pa.types.is_integer, "integer"),
                 (pa.types.is_floating, "number"), (pa.types.is_boolean, "boolean"),
                 (pa.types.is_timestamp, "datetime"), (pa.types.is_date, "date"))


def _frictionless_type(t: pa.DataType) -> str:
    return next((name for test, name in _FRICTIONLESS if test(t)), "any")


def _field(c) -> dict:
    out = {"name": c.name, "type": _frictionless_type(c.type), "description": c.description,
           "constraints": {"required": not c.nullable}}
    if out["type"] == "any":
        out["description"] += f" (Parquet type {c.type})"
    return out


def _resources(name: str, entry: dict, whole: set[str]) -> list[dict]:
    """One resource per file: a partitioned table is one resource per part (frictionless
    cannot read several Parquet files as one), without its partition columns and keys to or
    from it (its rows are split over resources)."""
    spec = TABLES[name]
    fks = [{"fields": [col], "reference": {"resource": target, "fields": [key]}}
           for (table, col), (target, key) in FOREIGN_KEYS.items()
           if table == name and target in whole]
    columns = croissant.published_columns(name, entry)
    common = {"format": "parquet", "mediatype": "application/vnd.apache.parquet",
              "description": spec.description}
    if not entry.get("parts"):
        # the file's size is in manifest.json and croissant.json, not here: frictionless
        # reads Parquet through pyarrow, so it cannot count bytes and reports any `bytes`
        # as a mismatch ("actual is None"); the sha256 it leaves unchecked (as for every
        # hash it cannot compute), tests/test_datacard.py checks it.
        return [{"name": name, "path": entry["path"], "hash": f"sha256:{entry['sha256']}", **common,
                 "schema": {"fields": [_field(c) for c in columns], "primaryKey": [spec.primary_key],
                            "foreignKeys": fks}}]
    hive = set(croissant.partition_columns(entry))
    fields = [_field(c) for c in columns if c.name not in hive]
    key = {"primaryKey": [spec.primary_key]} if spec.primary_key not in hive else {}
    return [{"name": f"{name}-part-{i}", "path": p["path"], "hash": f"sha256:{p['sha256']}", **common,
             "description": f"{spec.description} Part {i + 1} of {len(entry['parts'])} ({p['path']}).",
             "schema": {"fields": fields, **key}}
            for i, p in enumerate(entry["parts"])]


def datapackage(manifest: dict, tables: dict[str, pa.Table]) -> dict:
    """datapackage.json (Frictionless Data Package 2.0): one resource per table file, with its
    sha256, column descriptions, primary and foreign keys; `frictionless validate` passes it."""
    whole = {n for n, e in manifest["tables"].items() if not e.get("parts")}  # tables in one file
    resources = [r for name, entry in manifest["tables"].items() for r in _resources(name, entry, whole)]
    outlets = [{"title": f"{s['name']} ({s['source_id']})", "path": s["homepage"]}
               for s in (tables["sources"].to_pylist() if "sources" in tables else [])]
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "crosswire",
        "title": "crosswire: how news outlets report the same events",
        "version": manifest["version"],
        "created": manifest["created"],
        "licenses": [{"name": licenses.PROJECT["id"], "path": licenses.PROJECT["url"],
                      "title": licenses.PROJECT["name"]}],
        "sources": outlets,
        "resources": resources,
    }


def citation(manifest: dict) -> str:
    """CITATION.cff (Citation File Format 1.2.0) for the release."""
    title = f"crosswire: how news outlets report the same events (v{manifest['version']})"
    lines = ["cff-version: 1.2.0",
             f"message: {_yaml('If you use this dataset, please cite it as below.')}",
             "type: dataset",
             f"title: {_yaml(title)}",
             "authors:",
             f"  - name: {_yaml('The crosswire contributors')}",
             f"version: {_yaml(manifest['version'])}",
             f"date-released: {_yaml(manifest['created'][:10])}",
             f"license: {_yaml(licenses.PROJECT['id'])}",
             f"abstract: {_yaml(croissant.DESCRIPTION)}",
             "keywords:", *[f"  - {_yaml(t)}" for t in TAGS]]
    return "\n".join(lines) + "\n"


def release_files(manifest: dict, tables: dict[str, pa.Table]) -> dict[str, str]:
    """The card's files besides datapackage.json and README.md: path in the release -> text."""
    return {"croissant.json": json.dumps(croissant.croissant(manifest, tables), indent=2, ensure_ascii=False) + "\n",
            "CITATION.cff": citation(manifest), **licenses.licenses(manifest, tables)}


def changelog_entry(manifest: dict) -> str:
    lines = [f"## v{manifest['version']} ({manifest['created'][:10]}, {manifest['bump']})", ""]
    if manifest.get("previous"):
        lines.append(f"Against v{manifest['previous']}:")
        lines.append("")
    lines.append("| table | rows | added | removed | changed |")
    lines.append("|---|---:|---:|---:|---:|")
    for name, entry in manifest["tables"].items():
        c = manifest["changes"].get(name, {})
        lines.append(f"| {name} | {entry['rows']} | {c.get('added', 0)} | {c.get('removed', 0)} | {c.get('changed', 0)} |")
    if manifest.get("rejected"):
        lines += ["", f"{len(manifest['rejected'])} input file(s) set aside:"]
        lines += [f"- `{r['path']}`: {r['reason']}" for r in manifest["rejected"]]
    return "\n".join(lines) + "\n"


# Hugging Face's size_categories, by the row count of the largest table
SIZE_CATEGORIES = ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
                   (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M"), (1_000_000_000, "100M<n<1B"))
TAGS = ("news", "journalism", "quotations", "reported-speech", "media-analysis", "parquet")
DEFAULT_CONFIG = "statements"  # what `load_dataset` gives without a config name


def size_category(rows: int) -> str:
    return next((label for limit, label in SIZE_CATEGORIES if rows < limit), "n>1B")


def _yaml(value) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML flow scalar


def card_header(manifest: dict, tables: dict[str, pa.Table]) -> dict:
    """The Hugging Face dataset card metadata (the README's YAML header), as data."""
    languages = sorted({lang.split("-")[0] for name in ("sources", "articles") if name in tables
                        for lang in tables[name].column("language").to_pylist() if lang})
    largest = max((e["rows"] for e in manifest["tables"].values()), default=0)
    public = licenses.is_public(tables)
    head = {"pretty_name": f"crosswire v{manifest['version']}",
            "license": licenses.PROJECT["id"].lower() if public else "other"}
    if not public:
        head |= {"license_name": "crosswire-mixed", "license_link": "LICENSE"}
    head |= {"language": languages, "size_categories": [size_category(largest)], "tags": list(TAGS),
             "configs": [{"config_name": name, "data_files": croissant.files_glob(entry)}
                         for name, entry in manifest["tables"].items() if entry["rows"]]}
    # an empty table has no config: `datasets` refuses to load one ("corresponds to no data")
    names = [c["config_name"] for c in head["configs"]]
    default = DEFAULT_CONFIG if DEFAULT_CONFIG in names else next(iter(names), None)
    for c in head["configs"]:
        if c["config_name"] == default:
            c["default"] = True
    return head


def _header_yaml(head: dict) -> list[str]:
    lines = ["---"]
    for key, value in head.items():
        if key == "configs":
            lines.append("configs:")
            for c in value:
                lines.append(f"- config_name: {_yaml(c['config_name'])}")
                lines.append(f"  data_files: {_yaml(c['data_files'])}")
                if c.get("default"):
                    lines.append("  default: true")
        elif isinstance(value, list):
            lines.append(f"{key}:")
            lines += [f"- {_yaml(v)}" for v in value]
        else:
            lines.append(f"{key}: {_yaml(value)}")
    return lines + ["---", ""]


def _column_lines(manifest: dict) -> list[str]:
    out = []
    for name, entry in manifest["tables"].items():
        spec = TABLES[name]
        out += ["", f"### {name}", "", f"{spec.description} Key: `{spec.primary_key}`. File: `{croissant.files_glob(entry)}`.",
                "", "| column | type | null | description |", "|---|---|---|---|"]
        out += [f"| `{c.name}` | {c.type} | {'yes' if c.nullable else 'no'} | "
                f"{c.description.replace('|', '&#124;')} |" for c in spec.columns]
    return out


def _licence_lines(tables: dict[str, pa.Table]) -> list[str]:
    per_table = licenses.table_licenses(tables)
    outlets = licenses.source_licenses(tables)
    withheld = [s for s in outlets if s["withheld"]]
    out = ["| table | licence |", "|---|---|"]
    out += [f"| {name} | {line.replace('|', '&#124;')} |" for name, line in per_table.items()]
    out += ["", "Article text per outlet:", ""]
    out += [f"- {line[2:]}" for line in licenses.outlet_lines(outlets)[2:]]
    if withheld:
        out += ["", "Text withheld in this release (`articles.text` is null; `text_sha256`, `word_count` and "
                "every statement's offsets are kept, so a reader with their own copy of an article can check "
                "it against `text_sha256` and use the offsets): "
                + ", ".join(f"{s['name']} (`{s['source_id']}`)" for s in withheld) + "."]
    if not licenses.is_public(tables):
        out += ["", "**This is a local release**: it carries the full text of outlets whose licence does not "
                "allow redistributing it. Do not publish it; `crosswire run --public` builds one that can be."]
    out += ["", "The licence of every table, and of every outlet's text, is in `LICENSE`; cite the release with "
            "`CITATION.cff`."]
    return out


def _loading_lines(manifest: dict) -> list[str]:
    """Reading the release's first table with DuckDB, pandas and Hugging Face datasets."""
    name = next((n for n in (DEFAULT_CONFIG, "articles") if n in manifest["tables"]), next(iter(manifest["tables"])))
    files = croissant.files_glob(manifest["tables"][name])
    return ["```python", "import duckdb", f"duckdb.sql(\"SELECT * FROM '{files}'\")", "",
            "import pandas as pd", f"pd.read_parquet('{manifest['tables'][name]['path']}')", "",
            "from datasets import load_dataset", f"load_dataset('parquet', data_files='{files}')",
            "```", "", "Paths are relative to this folder; `manifest.json` lists every table's file(s). On the "
            "Hugging Face Hub, `load_dataset(REPO, 'articles')` picks a table by its config name."]


def readme(manifest: dict, tables: dict[str, pa.Table]) -> str:
    sources = tables["sources"].to_pylist() if "sources" in tables else []
    out = _header_yaml(card_header(manifest, tables)) + [
        f"# crosswire v{manifest['version']}",
        "",
        "How news outlets report the same events: the clean text of each article with its metadata, "
        "the statements the articles report (who said what, where in the text) and the agreements "
        "between outlets that carry the same utterance.",
        "",
        "## Tables",
        "",
        "| table | file | rows | what a row is |",
        "|---|---|---:|---|",
    ]
    for name, entry in manifest["tables"].items():
        out.append(f"| {name} | `{croissant.files_glob(entry)}` | {entry['rows']} | {TABLES[name].description} |")
    if any(not e["rows"] for e in manifest["tables"].values()):
        out += ["", "An empty table has no config in the header above (Hugging Face `datasets` cannot "
                "load an empty split); its file is there all the same."]
    out += ["", "Column descriptions are below, in each Parquet file's schema metadata, in `datapackage.json` "
            "(Frictionless) and in `croissant.json` (Croissant 1.0).",
            "Keys are content hashes and stay the same across releases; offsets count Unicode code points.",
            "", "## Sources", ""]
    out += [f"- **{s['name']}** (`{s['source_id']}`, {s['country']}, {s['kind']}): {s['homepage']}; licence: "
            f"{s.get('license') or licenses.UNKNOWN}" for s in sources]
    out += [
        "", "## How it was made", "",
        f"Built by crosswire {manifest['code'].get('version', '?')} from {len(manifest['inputs'])} raw file(s) "
        "(listed with their SHA-256 in `manifest.json`): page furniture removed by generic and per-outlet "
        "rules; metadata from sidecars and the pages; quotations and reported speech found by rules over "
        "the text and attributed with spaCy's English pipeline "
        f"({manifest['code'].get('spacy_model', 'en_core_web_sm')}) and a registry of known people; "
        "articles grouped into events and statements of different outlets aligned by lexical "
        "similarity; quotations cut into sentence-level units and the units of one event grouped "
        "into utterances (the same words, or one wording inside another; a short fragment joins "
        "only its best container, so it never chains two utterances together); every table validated against its pandera schema before publishing. The same "
        "inputs and code give byte-identical Parquet.",
        "", "## Loading", "", *_loading_lines(manifest),
        "", "## Licence", "", *_licence_lines(tables),
        "", "## Known limits", "",
        "- Cleaning rules are heuristics for English-language news pages; unusual page furniture can remain.",
        "- Dates are null where neither the sidecar nor the page says when an article was published.",
        "- Statements are found by rules: a quotation whose marks the page garbled, or a speaker named "
        "far from the quote, can be missed or left unattributed (`speaker_name` null); `confidence` "
        "is lower where attribution rests on a pronoun, a description or a neighbouring quote.",
        "- `indirect` statements end where spaCy's parser ends the reported clause.",
        "- `resolution = cross_source` means the speaker comes from other outlets' attribution of the "
        "same words, not from the article itself (its own wording is kept in `speaker_mention`).",
        "- Paraphrase links rest on shared words (with a general table of near-synonyms), not "
        "on meaning: paraphrases in entirely different words are not linked.",
        "- `copies` compares narratives (the text outside quotations) by word 5-grams: a wire story "
        "rewritten sentence by sentence in new words is not found; `first`, `first_published` and "
        "`last_published` are null where either date is unknown (such pairs are last, in parts of "
        "their own). "
        "`agreements.independent` is false for a pair of articles listed there.",
        "- Events rest on shared statements, names and distinctive words within a few days' window "
        "(`events.terms` lists what tied each one): coverage that shares none of these with the rest "
        "stays a separate event. An article dated far outside its event joins only by its "
        "quotations and is listed in the manifest's `warnings`; its date is left out of the "
        "event's date_start/date_end.",
        "- `statements.utterance_id` is one utterance per statement: a long quotation of several "
        "utterances has its primary one (the one its agreements support most, then the one most "
        "outlets carry); every statement of an utterance is in `utterances.statement_ids`. A "
        "headline or summary line that copies a body quotation of its own article has none (its "
        "body statement carries it).",
        "- `utterances.independent_source_count` groups outlets whose articles share copy (wire).",
        "- Event ids follow the previous release's grouping, so a release rebuilt from scratch can "
        "number an event differently from one built on top of earlier releases.",
        "- A public release withholds `articles.text` only: headlines, standfirsts, summaries, captions "
        "and the quoted words of statements stay, as short excerpts.",
        "", "## Columns", *_column_lines(manifest),
        "", "## Changes", "", changelog_entry(manifest),
    ]
    return "\n".join(out)
