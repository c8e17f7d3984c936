from ._pandera import pdx

from ._base import DATE, INT, NFC, STRING, STRINGS, TIMESTAMP, Col, Table, id_pattern

TABLE = Table(
    name="events",
    description="One row per event: a group of articles from one or more outlets covering "
                "the same happening. An article's sidecar `event` key wins; other articles are "
                "grouped by content (shared statements, people, distinctive terms) within a "
                "date window; undated articles join by content alone and an article dated far "
                "outside its event joins only by its quotations (a warning in the manifest).",
    primary_key="event_id",
    columns=(
        Col("event_id", STRING, "Stable key: from the sidecar event key when one is given, else "
            "the id most of its articles had in the previous release, else from the event's "
            "anchor article (earliest published among those whose dates count, then smallest "
            "article_id), so that articles joining later keep the id.",
            checks=(id_pattern("evt"),)),
        Col("label", STRING, "Readable label: the most named people and distinctive terms, "
            "and the date when known.", checks=(NFC, pdx.Check.str_length(min_value=1))),
        Col("date", DATE, "UTC date of date_start; null when no article's date counts.", nullable=True),
        Col("article_count", INT, "Articles in the event.", checks=(pdx.Check.ge(1),)),
        Col("source_count", INT, "Distinct outlets in the event.", checks=(pdx.Check.ge(1),)),
        Col("sources", STRINGS, "The outlets (sources.source_id), sorted."),
        Col("date_start", TIMESTAMP, "Earliest publication time of the event's articles, leaving "
            "out articles dated far outside the event (reported in the manifest's warnings); null "
            "when none is dated.", nullable=True),
        Col("date_end", TIMESTAMP, "Latest publication time, on the same terms.", nullable=True),
        Col("terms", STRINGS, "What tied the articles together: the words, names, people and "
            "quoted phrases (in double quotes) most of them share, rarest first; empty for a "
            "single article."),
    ),
    checks=(pdx.Check(lambda df: df["source_count"] <= df["article_count"], name="sources_le_articles"),
            pdx.Check(lambda df: df["sources"].map(len) == df["source_count"], name="sources_listed"),
            pdx.Check(lambda df: df["date_start"].isna() | (df["date_start"] <= df["date_end"]),
                      name="date_span_ordered")),
)
