"""FalkorDB's bulk path: a ``GraphImage`` sent as ``GRAPH.BULK`` commands that build a new graph.

``GRAPH.BULK`` creates a graph that does not exist yet; it cannot add to one. Each command gives
how many nodes and relationships it carries and how many blocks of each. A block is the label
(or relationship type) and its property names, then one entry per entity: each property as a
type byte and a value, a relationship entry starting with its two node ids. Nodes are numbered
from 0 in the order they are sent, so all nodes go before any relationship.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import Any

from graph_model.graph_image import GraphImage

#: Redis takes arguments of up to 512 MB by default (proto-max-bulk-len). Commands stay far smaller
#: so that memory stays flat on both sides.
MAX_COMMAND_BYTES = 32_000_000

NULL, BOOL, DOUBLE, STRING, LONG, ARRAY = 0, 1, 2, 3, 4, 5
_TYPED_BOOL = struct.Struct("=B?")
_TYPED_DOUBLE = struct.Struct("=Bd")
_TYPED_LONG = struct.Struct("=Bq")
_COUNT = struct.Struct("=I")
_NODE_PAIR = struct.Struct("=QQ")


class BulkUnsupported(ValueError):
    """A value in the graph that the bulk format cannot carry."""


def encoded_value(value: Any) -> bytes:
    try:
        return _ENCODERS[type(value)](value)
    except KeyError:
        raise BulkUnsupported(f"a {type(value).__name__} value cannot be bulk loaded") from None


def _encoded_string(value: str) -> bytes:
    if "\x00" in value:
        raise BulkUnsupported(f"{value!r} contains a NUL character")
    return b"\x03" + value.encode() + b"\x00"


def _encoded_integer(value: int) -> bytes:
    if not -(2**63) <= value < 2**63:
        raise BulkUnsupported(f"{value} is beyond the 64-bit range")
    return _TYPED_LONG.pack(LONG, value)


def _encoded_list(value: list) -> bytes:
    return _TYPED_LONG.pack(ARRAY, len(value)) + b"".join([encoded_value(item) for item in value])


_ENCODERS = {
    str: _encoded_string,
    float: lambda value: _TYPED_DOUBLE.pack(DOUBLE, value),
    int: _encoded_integer,
    bool: lambda value: _TYPED_BOOL.pack(BOOL, value),
    type(None): lambda _value: b"\x00",
    list: _encoded_list,
}


def bulk_commands(image: GraphImage) -> Iterator[list[Any]]:
    """Yield the arguments that follow the graph name in each ``GRAPH.BULK`` command."""
    command = _Command()
    bulk_id: dict[int, int] = {}
    node_groups: dict[tuple[str, ...], list[int]] = {}
    for index, labels in enumerate(image.node_labels):
        node_groups.setdefault(labels, []).append(index)
    for labels, indexes in node_groups.items():
        if not labels:
            raise BulkUnsupported("a node without a label cannot be bulk loaded")
        names = _property_names(image.node_properties[index] for index in indexes)
        block = _Block(":".join(labels), names)
        for index in indexes:
            properties = image.node_properties[index]
            entry = b"".join([encoded_value(properties.get(name)) for name in names])
            yield from command.add(block, entry, is_node=True)
            bulk_id[index] = len(bulk_id)
        command.close_block(block, is_node=True)

    type_groups: dict[str, list[tuple]] = {}
    for identity in image.relationships:
        type_groups.setdefault(identity[0], []).append(identity)
    for rel_type, identities in type_groups.items():
        names = _property_names(image.relationships[identity] for identity in identities)
        block = _Block(rel_type, names)
        for identity in identities:
            properties = image.relationships[identity]
            entry = _NODE_PAIR.pack(bulk_id[identity[1]], bulk_id[identity[2]]) + b"".join(
                [encoded_value(properties.get(name)) for name in names]
            )
            yield from command.add(block, entry, is_node=False)
        command.close_block(block, is_node=False)
    yield from command.flush()


def _property_names(all_properties) -> list[str]:
    names: dict[str, None] = {}
    for properties in all_properties:
        names.update(dict.fromkeys(properties))
    return sorted(names)


class _Block:
    """The entries of one label or type that go into the current command."""

    def __init__(self, name: str, property_names: list[str]):
        self.header = (
            name.encode()
            + b"\x00"
            + _COUNT.pack(len(property_names))
            + b"".join(prop.encode() + b"\x00" for prop in property_names)
        )
        self.entries: list[bytes] = []
        self.size = len(self.header)

    def take(self) -> bytes:
        data = self.header + b"".join(self.entries)
        self.entries = []
        self.size = len(self.header)
        return data


class _Command:
    """Collects blocks until a command would pass ``MAX_COMMAND_BYTES``."""

    def __init__(self) -> None:
        self.first = True
        self.nodes = self.relationships = 0
        self.node_blocks: list[bytes] = []
        self.type_blocks: list[bytes] = []
        self.size = 0

    def add(self, block: _Block, entry: bytes, *, is_node: bool) -> Iterator[list[Any]]:
        if self.size + block.size + len(entry) > MAX_COMMAND_BYTES and (block.entries or self.size):
            self.close_block(block, is_node=is_node)
            yield from self.flush()
        block.entries.append(entry)
        block.size += len(entry)
        if is_node:
            self.nodes += 1
        else:
            self.relationships += 1

    def close_block(self, block: _Block, *, is_node: bool) -> None:
        if not block.entries:
            return
        data = block.take()
        self.size += len(data)
        (self.node_blocks if is_node else self.type_blocks).append(data)

    def flush(self) -> Iterator[list[Any]]:
        if not self.nodes and not self.relationships:
            return
        counts = [self.nodes, self.relationships, len(self.node_blocks), len(self.type_blocks)]
        yield (["BEGIN"] if self.first else []) + counts + self.node_blocks + self.type_blocks
        self.first = False
        self.nodes = self.relationships = 0
        self.node_blocks, self.type_blocks = [], []
        self.size = 0
