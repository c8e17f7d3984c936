"""The human- and machine-readable descriptions of a release: the Frictionless data
package, the data card (README.md) and the changelog entry."""
from __future__ import annotations

import pyarrow as pa

from schemas import TABLES
from schemas.relations import FOREIGN_KEYS

LICENSE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
           "title": "Creative Commons Attribution 4.0"}


# Arrow type test -> Frictionless field type, first match wins
_FRICTIONLESS = ((pa.types.is_string, "string"), (pa.types.is_integer, "integer"),
                 (pa.types.is_floating, "number"), (pa.types.is_boolean, "boolean"),
                 (pa.types.is_timestamp, "datetime"), (pa.types.is_date, "date"),
                 (pa.types.is_list, "array"))


def _frictionless_type(t: pa.DataType) -> str:
    return next((name for test, name in _FRICTIONLESS if test(t)), "any")


def datapackage(manifest: dict, tables: dict[str, pa.Table]) -> dict:
    resources = []
    for name, entry in manifest["tables"].items():
        spec = TABLES[name]
        fields = [{"name": c.name, "type": _frictionless_type(c.type), "description": c.description,
                   "constraints": {"required": not c.nullable}} for c in spec.columns]
        fks = [{"fields": col, "reference": {"resource": target, "fields": key}}
               for (table, col), (target, key) in FOREIGN_KEYS.items()
               if table == name and target in manifest["tables"]]
        where = {"path": [p["path"] for p in entry["parts"]]} if entry.get("parts") else \
            {"path": entry["path"], "hash": f"sha256:{entry['sha256']}"}
        resources.append({
            "name": name,
            **where,
            "format": "parquet",
            "mediatype": "application/vnd.apache.parquet",
            "bytes": entry["bytes"],
            "description": spec.description,
            "schema": {"fields": fields, "primaryKey": [spec.primary_key], "foreignKeys": fks},
        })
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "crosswire",
        "title": "crosswire: how news outlets report the same events",
        "version": manifest["version"],
        "created": manifest["created"],
        "licenses": [LICENSE],
        "resources": resources,
    }


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


def readme(manifest: dict, tables: dict[str, pa.Table]) -> str:
    sources = tables["sources"].to_pylist() if "sources" in tables else []
    out = [
        f"# crosswire v{manifest['version']}",
        "",
        "How news outlets report the same events: the clean text of each article with its metadata, "
        "the statements the articles report (who said what, where in the text) and the agreements "
        "between outlets that carry the same utterance.",
        "",
        "## Tables",
        "",
        "| table | rows | what a row is |",
        "|---|---:|---|",
    ]
    for name, entry in manifest["tables"].items():
        out.append(f"| `{entry['path']}` | {entry['rows']} | {TABLES[name].description} |")
    out += ["", "Column descriptions are in each Parquet file's schema metadata and in `datapackage.json`.",
            "Keys are content hashes and stay the same across releases; offsets count Unicode code points.",
            "", "## Sources", ""]
    out += [f"- **{s['name']}** (`{s['source_id']}`, {s['country']}, {s['kind']}): {s['homepage']}" for s in sources]
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
        "", "## Loading", "", "```python",
        "import duckdb",
        f"duckdb.sql(\"SELECT * FROM 'datasets/v{manifest['version']}/articles.parquet'\")",
        "import pandas as pd",
        f"pd.read_parquet('datasets/v{manifest['version']}/articles.parquet')",
        "```",
        "", "## Licence", "",
        "The dataset's structure, annotations and derived tables: CC BY 4.0. Article texts remain the "
        "copyright of their publishers and are included for research on news coverage; reuse beyond "
        "that needs the publisher's permission.",
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
        "rewritten sentence by sentence in new words is not found; `first` is null where either "
        "date is unknown. `agreements.independent` is false for a pair of articles listed there.",
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
        "", "## Changes", "", changelog_entry(manifest),
    ]
    return "\n".join(out)
