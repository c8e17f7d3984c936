"""pandera models of the published tables, one module per table.

`TABLES` is the release's table list, in publishing order.
"""
from . import agreements, articles, copies, events, sources, speakers, statements, utterances
from ._base import Col, Table

TABLES: dict[str, Table] = {
    m.TABLE.name: m.TABLE
    for m in (sources, articles, statements, speakers, events, agreements, utterances, copies)
}

__all__ = ["TABLES", "Table", "Col"]
