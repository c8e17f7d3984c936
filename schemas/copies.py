from ._pandera import pdx

from ._base import FLOAT, INT, STRING, TIMESTAMP, Col, Table, id_pattern

TABLE = Table(
    name="copies",
    description="One row per pair of articles that share copy (a wire story carried by two "
                "outlets, a republication, a lightly edited rewrite): how much of each text "
                "the other holds and, where dates say so, which came first. Quotations are "
                "left out of the comparison: quoting the same speech is not copying.",
    primary_key="copy_id",
    columns=(
        Col("copy_id", STRING, "Stable key derived from the two article ids.", checks=(id_pattern("cpy"),)),
        Col("article_a", STRING, "The smaller of the two article ids (articles.article_id).",
            checks=(id_pattern("art"),)),
        Col("article_b", STRING, "The larger of the two article ids.", checks=(id_pattern("art"),)),
        Col("source_a", STRING, "article_a's outlet (sources.source_id)."),
        Col("source_b", STRING, "article_b's outlet; may equal source_a (an outlet reusing its own copy)."),
        Col("share_a", FLOAT, "0-1: share of article_a's narrative (word 5-grams outside quotations) "
            "found in article_b.", checks=(pdx.Check.in_range(0.0, 1.0),)),
        Col("share_b", FLOAT, "0-1: share of article_b's narrative found in article_a.",
            checks=(pdx.Check.in_range(0.0, 1.0),)),
        Col("shared_shingles", INT, "Word 5-grams the two narratives share.", checks=(pdx.Check.ge(1),)),
        Col("first", STRING, "The article published first (article_a or article_b) where both dates "
            "are known and differ; null otherwise.", nullable=True, checks=(id_pattern("art"),)),
        Col("method", STRING, "How the pair was found and measured."),
        Col("first_published", TIMESTAMP, "The earlier of the two articles' publication times (UTC): "
            "when the shared copy is first known to be out. Null when either date is unknown (the "
            "earlier one is then unknown too).", nullable=True),
        Col("last_published", TIMESTAMP, "The later of the two articles' publication times (UTC): "
            "when the pair came to be, the second article's publication. Null when either date is "
            "unknown. The rows are ordered by it and a large table is cut into one part per month "
            "of it (undated pairs last, in parts of their own).", nullable=True),
    ),
    checks=(pdx.Check(lambda df: df["article_a"] < df["article_b"], name="ordered_pair"),
            pdx.Check(lambda df: df["first"].isna() | (df["first"] == df["article_a"])
                      | (df["first"] == df["article_b"]), name="first_is_one_of_the_pair"),
            pdx.Check(lambda df: df["first"].isna() | df["first_published"].notna(),
                      name="first_has_a_date"),
            pdx.Check(lambda df: df["first_published"].isna() | (df["first_published"] <= df["last_published"]),
                      name="first_published_not_after_last")),
    rows_alone=True,
    # by the later date first: the pairs a newly published article brings, with articles of
    # any date, fall into its own month's part (and the undated part), and a release links
    # every other part from the previous one (by the earlier date they fell into the months
    # of all its partners: an article sharing copy with 81 others across a 10k corpus
    # changed every part; docs/performance.md, session 32)
    order=("last_published", "source_a", "article_a"),
)
