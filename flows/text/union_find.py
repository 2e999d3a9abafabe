"""Union-find with the smallest element as each component's root (so roots do not depend on the
order in which pairs are joined): shared by the link step and the claim clustering."""

from __future__ import annotations

from collections.abc import Hashable


class UnionFind:
    """Disjoint sets over any comparable keys; an element never joined is its own root."""

    def __init__(self) -> None:
        self.parent: dict[Hashable, Hashable] = {}

    def find(self, x):
        parent = self.parent
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    def union(self, a, b) -> bool:
        """Join the sets of `a` and `b`; True when they were apart."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        self.parent[max(ra, rb)] = min(ra, rb)
        return True
