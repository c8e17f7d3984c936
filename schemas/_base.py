"""One description per table, from which both the Arrow schema (what is written to
Parquet, with column descriptions) and the pandera model (what is checked) are derived,
so that the two can never drift apart."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

import pandas as pd
from ._pandera import pdx
import pyarrow as pa

STRING = pa.string()
INT = pa.int64()
FLOAT = pa.float64()
BOOL = pa.bool_()
STRINGS = pa.list_(pa.string())
TIMESTAMP = pa.timestamp("us", tz="UTC")  # microseconds, UTC: what Spark reads
DATE = pa.date32()


@dataclass(frozen=True)
class Col:
    name: str
    type: pa.DataType
    description: str
    nullable: bool = False
    checks: tuple = ()
    unique: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Col, ...]
    primary_key: str
    checks: tuple = field(default=())  # dataframe-wide pandera checks
    # every check looks at one row at a time (besides the key's and `unique` columns'
    # uniqueness): a release may then check only the rows it adds or changes
    rows_alone: bool = False
    # the columns the rows are ordered by before the primary key, where not the release's
    # usual order (outlet, date, event, article: publish.FILTER_ORDER); a large table is cut
    # into parts by the first of them (publish.part_column)
    order: tuple = ()

    @property
    def arrow_schema(self) -> pa.Schema:
        fields = [
            pa.field(c.name, c.type, nullable=c.nullable,
                     metadata={"description": c.description})
            for c in self.columns
        ]
        return pa.schema(fields, metadata={"table": self.name, "description": self.description})

    @property
    def model(self) -> pdx.DataFrameSchema:
        cols = {
            c.name: pdx.Column(
                pd.ArrowDtype(c.type), nullable=c.nullable, checks=list(c.checks),
                unique=c.unique or c.name == self.primary_key,
            )
            for c in self.columns
        }
        return pdx.DataFrameSchema(cols, checks=list(self.checks), strict=True, ordered=True,
                                   name=self.name)

    @property
    def fingerprint(self) -> str:
        """A hash of column names, types and nullability: what readers depend on."""
        spec = [[c.name, str(c.type), c.nullable] for c in self.columns]
        return hashlib.sha256(json.dumps(spec).encode()).hexdigest()[:16]

    def earlier_format(self, names: list[str]) -> "Table | None":
        """This table as an earlier minor release wrote it, when `names` are its columns
        with some of today's left out (columns are only ever added in a minor release):
        the same column checks, without the table-wide checks, which may read a column
        that did not exist yet (they ran when that release was published). None when
        `names` are not such a subset, in today's order."""
        present = [c for c in self.columns if c.name in names]
        if [c.name for c in present] != list(names) or len(present) == len(self.columns) \
                or self.primary_key not in names:
            return None
        return Table(self.name, self.description, tuple(present), self.primary_key)

    def empty(self) -> pa.Table:
        return self.arrow_schema.empty_table()


def id_pattern(prefix: str) -> pdx.Check:
    """Content-derived keys look like `<prefix>_<16 hex digits>`."""
    return pdx.Check.str_matches(rf"^{prefix}_[0-9a-f]{{16}}$")


NFC = pdx.Check(
    lambda s: s.dropna().map(lambda v: __import__("unicodedata").is_normalized("NFC", v)),
    element_wise=False, name="unicode_nfc",
)
