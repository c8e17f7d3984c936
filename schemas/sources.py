from ._pandera import pdx

from ._base import STRING, Col, Table

TABLE = Table(
    name="sources",
    description="One row per outlet whose coverage is in the release.",
    primary_key="source_id",
    columns=(
        Col("source_id", STRING, "Outlet key: the folder name under raw/ (lowercase slug).",
            checks=(pdx.Check.str_matches(r"^[a-z0-9][a-z0-9_-]{0,63}$"),)),
        Col("name", STRING, "Display name of the outlet.", checks=(pdx.Check.str_length(min_value=1),)),
        Col("homepage", STRING, "Outlet home page URL.", checks=(pdx.Check.str_matches(r"^https?://"),)),
        Col("country", STRING, "ISO 3166-1 alpha-2 country code of the outlet.",
            checks=(pdx.Check.str_matches(r"^[A-Z]{2}$"),)),
        Col("language", STRING, "BCP 47 language tag of the outlet's edition.",
            checks=(pdx.Check.str_matches(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"),)),
        Col("kind", STRING, "wire | national | regional | state | other.",
            checks=(pdx.Check.isin(["wire", "national", "regional", "state", "other"]),)),
        Col("license", STRING, "Licence of the outlet's articles as its source.toml gives it (an SPDX id such "
            "as CC-BY-4.0, or a licence's name); null: all rights reserved or unknown. Decides whether a "
            "public release carries articles.text (see the release's README.md).", nullable=True,
            checks=(pdx.Check.str_length(min_value=1),)),
    ),
)
