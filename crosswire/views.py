"""The analyst's view of a release in DuckDB: one row per statement and utterance it carries,
with the speaker, the outlet, the article's title and date, so that the questions the
dataset is for are one query each (`QUESTIONS`).

    from crosswire import views
    con = views.connect("datasets/v1.2.0")            # needs the duckdb package
    con.sql(views.QUESTIONS["carried_by"], params={"utterance_id": "utt_..."}).show()

The same SQL runs in any DuckDB session once the tables are views named after the tables
(`connect` does that from the release's manifest.json, whatever the release's layout).
`crosswire.load.release(...).sql(...)` and `crosswire sql` open the same connection. This
module imports DuckDB only inside `connect`, and nothing of the pipeline.
"""
from __future__ import annotations

import json
from pathlib import Path

# A statement appears once per utterance it carries (a long quotation of three sentences that
# other outlets quote separately: three rows), and once with utterance_id null when it
# carries none (a headline copy of its body quotation). `is_primary` marks the row of
# statements.utterance_id; `is_first` the utterance's first statement.
STATEMENT_VIEW = """
CREATE OR REPLACE VIEW statement_view AS
WITH membership AS (
    SELECT utterance_id, unnest(statement_ids) AS statement_id FROM utterances
)
SELECT
    s.statement_id,
    m.utterance_id,
    coalesce(s.utterance_id = m.utterance_id, false) AS is_primary,
    coalesce(u.first_statement_id = s.statement_id, false) AS is_first,
    s.kind,
    s.text AS wording,
    s.section,
    s.speaker_id,
    s.speaker_name,
    s.speaker_mention,
    s.resolution,
    a.source_id,
    src.name AS outlet,
    a.article_id,
    a.title,
    a.published,
    a.url,
    a.event_id,
    u.text AS utterance_text,
    u.speaker_name AS utterance_speaker,
    u.first_source_id,
    u.first_published,
    u.source_count,
    u.independent_source_count,
    u.wording_count
FROM statements AS s
JOIN articles AS a ON a.article_id = s.article_id
JOIN sources AS src ON src.source_id = a.source_id
LEFT JOIN membership AS m ON m.statement_id = s.statement_id
LEFT JOIN utterances AS u ON u.utterance_id = m.utterance_id
"""

QUESTIONS = {
    # Which outlets carried this utterance, in which wording, first where?
    "carried_by": """
SELECT outlet, published, kind, wording, is_first
FROM statement_view
WHERE utterance_id = $utterance_id
ORDER BY published NULLS LAST, outlet, wording
""",
    # Which claims did only one outlet report?
    "only_one_outlet": """
SELECT DISTINCT utterance_id, utterance_speaker, utterance_text, outlet
FROM statement_view
WHERE source_count = 1
ORDER BY outlet, utterance_id
""",
    # Who paraphrased whom? Outlets whose wording of an utterance is neither the first
    # outlet's words nor a part of them (compared without case and punctuation).
    "who_paraphrased_whom": r"""
WITH w AS (
    SELECT *, trim(regexp_replace(regexp_replace(lower(wording), '[^\w\s]+', ' ', 'g'),
                                  '\s+', ' ', 'g')) AS norm
    FROM statement_view WHERE utterance_id IS NOT NULL
)
SELECT later.outlet AS who, earlier.outlet AS whom, later.utterance_id,
       earlier.wording AS original, later.wording AS their_wording
FROM w AS later
JOIN w AS earlier ON earlier.utterance_id = later.utterance_id AND earlier.is_first
WHERE later.source_id <> earlier.source_id
  AND position(later.norm IN earlier.norm) = 0 AND position(earlier.norm IN later.norm) = 0
ORDER BY who, whom, later.utterance_id
""",
}


# The views a release connection has besides its tables: name -> (SQL, the tables it reads).
# A release older than a view's tables (v1.0.0 has no utterances) just goes without it.
VIEWS = {"statement_view": (STATEMENT_VIEW, ("statements", "articles", "sources", "utterances"))}


def table_files(release: Path, entry: dict) -> list[Path]:
    """The Parquet file(s) of one table from its manifest.json entry: `path`, or for a
    table written in parts, each of its `parts`. Always the manifest's paths, never a
    naming convention: releases differ in where their tables live."""
    release = Path(release)
    paths = [p["path"] for p in entry["parts"]] if entry.get("parts") else [entry["path"]]
    for p in paths:
        if Path(p).is_absolute() or ".." in Path(p).parts:
            raise ValueError(f"{release / 'manifest.json'}: table path {p!r} points outside the release")
    return [release / p for p in paths]


def _sql_string(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _sql_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_sql(release: Path, entry: dict) -> str:
    """A SELECT of one table over its files, columns in their published order. Parts are
    hive-partitioned (source_id=<id>/part-0.parquet): the partition column comes back from
    the folder names, as text."""
    files = "[" + ", ".join(_sql_string(p.as_posix()) for p in table_files(release, entry)) + "]"
    names = [c[0] for c in entry.get("columns") or []]
    select = ", ".join(_sql_name(n) for n in names) or "*"
    if entry.get("parts"):
        return (f"SELECT {select} FROM read_parquet({files}, hive_partitioning = true, "
                f"hive_types_autocast = false)")
    return f"SELECT {select} FROM read_parquet({files}, hive_partitioning = false)"


def connect(release: str | Path, con=None):
    """A DuckDB connection with one view per table of the release and the views of VIEWS
    whose tables it has (statement_view)."""
    try:
        import duckdb
    except ImportError as e:  # optional: the release itself needs no DuckDB
        raise ImportError("crosswire.views needs the duckdb package (pip install duckdb)") from e
    release = Path(release)
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    con = con or duckdb.connect()
    for name, entry in manifest["tables"].items():
        con.execute(f"CREATE OR REPLACE VIEW {_sql_name(name)} AS {table_sql(release, entry)}")
    for sql, needs in VIEWS.values():
        if all(t in manifest["tables"] for t in needs):
            con.execute(sql)
    return con
