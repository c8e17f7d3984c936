import pandera.pandas as pdx

from ._base import DATE, INT, NFC, STRING, Col, Table, id_pattern

TABLE = Table(
    name="events",
    description="One row per event: a group of articles from one or more outlets covering "
                "the same happening. An article's sidecar `event` key wins; other articles are "
                "grouped by content (shared quotations, people, distinctive terms) within a "
                "time window.",
    primary_key="event_id",
    columns=(
        Col("event_id", STRING, "Stable key: from the sidecar event key when one is given, "
            "else from the event's anchor article (earliest published, then smallest "
            "article_id), so that articles joining later keep the id.",
            checks=(id_pattern("evt"),)),
        Col("label", STRING, "Readable label: the most named people and distinctive terms, "
            "and the date when known.", checks=(NFC, pdx.Check.str_length(min_value=1))),
        Col("date", DATE, "Earliest publication date (UTC) of the event's articles; null when "
            "none has a date.", nullable=True),
        Col("article_count", INT, "Articles in the event.", checks=(pdx.Check.ge(1),)),
        Col("source_count", INT, "Distinct outlets in the event.", checks=(pdx.Check.ge(1),)),
    ),
    checks=(pdx.Check(lambda df: df["source_count"] <= df["article_count"],
                      name="sources_le_articles"),),
)
