from crosswire.unionfind import DisjointSet


def test_groups_are_transitive_and_named_by_their_smallest_item_whatever_the_order():
    for order in ([("b", "c"), ("a", "b"), ("x", "y")], [("x", "y"), ("a", "b"), ("b", "c")]):
        d = DisjointSet(["z"])
        for a, b in order:
            d.union(a, b)
        assert {k: d.find(k) for k in "abcxyz"} == {"a": "a", "b": "a", "c": "a", "x": "x", "y": "x", "z": "z"}
