"""A whole graph held in memory, so that an engine can build it in one pass.

The first day-end load into a graph without feed data is assembled here. The graph's current
contents (reference data, users) are read in, and the feed rows are merged by the same rules as
the Cypher writes. The engine's bulk path then creates the result.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from graph_model.schema import NODE_KEYS

KEY_OF_LABEL = {node_key.label: node_key.key for node_key in NODE_KEYS}


@dataclass
class GraphImage:
    """Nodes as (labels, properties) in creation order, relationships by their identity.

    A relationship's identity is its type, its two nodes' positions and the values of its key
    properties. Copied relationships carry their position in the source graph instead, so that
    parallel relationships survive.
    """

    node_labels: list[tuple[str, ...]] = field(default_factory=list)
    node_properties: list[dict[str, Any]] = field(default_factory=list)
    relationships: dict[tuple, dict[str, Any]] = field(default_factory=dict)
    #: Node and relationship counts of the graph the image was read from.
    copied_size: tuple[int, int] = (0, 0)
    _by_key: dict[str, dict[Any, int]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.node_labels)

    def add_node(self, labels: tuple[str, ...], properties: dict[str, Any]) -> int:
        """Append a node and index it under the business key of each of its labels."""
        index = len(self.node_labels)
        self.node_labels.append(labels)
        self.node_properties.append(properties)
        for label in labels:
            key = KEY_OF_LABEL.get(label)
            if key is not None and properties.get(key) is not None:
                self._by_key.setdefault(label, {})[properties[key]] = index
        return index

    def find_node(self, label: str, key_value: Any) -> int | None:
        return self._by_key.get(label, {}).get(key_value)

    def keys(self, label: str) -> Collection[Any]:
        """Return the business keys of the ``label`` nodes; the view follows later merges."""
        return self._by_key.setdefault(label, {}).keys()

    def merge_node(self, label: str, key: str, key_value: Any) -> tuple[int, bool]:
        """Return the position of the ``label`` node with this key, creating it if missing."""
        by_key = self._by_key.setdefault(label, {})
        index = by_key.get(key_value)
        if index is not None:
            return index, False
        index = by_key[key_value] = len(self.node_labels)
        self.node_labels.append((label,))
        self.node_properties.append({key: key_value})
        return index, True

    def merge_relationship(self, identity: tuple) -> tuple[dict[str, Any], bool]:
        """Return the properties of the relationship with this identity, creating it if missing."""
        properties = self.relationships.get(identity)
        if properties is not None:
            return properties, False
        properties = self.relationships[identity] = {}
        return properties, True


def set_properties(target: dict[str, Any], values: Mapping[str, Any]) -> None:
    """Apply ``values`` as Cypher's ``SET n += map`` does: a null value removes the property."""
    for name, value in values.items():
        if value is None:
            target.pop(name, None)
        else:
            target[name] = value
