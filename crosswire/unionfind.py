"""Union-find (disjoint sets) over hashable items, for grouping that is transitive:
statements into utterances, articles into witnesses, articles that share copy.

The smaller item of two sets names the merged one, so the groups (and anything keyed by
their names) do not depend on the order of the unions."""
from __future__ import annotations


class DisjointSet:
    def __init__(self, items=()):
        self.parent: dict = {x: x for x in items}

    def find(self, x):
        parent = self.parent
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)
