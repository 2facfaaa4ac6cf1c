"""The declaration of a day-end feed: its file, columns, business key and what each row writes."""

from __future__ import annotations

import re
from collections.abc import Callable, Container
from dataclasses import dataclass, field
from enum import StrEnum

from loaders.feeds.fields import Column


class FeedMode(StrEnum):
    #: The file lists every current record; records missing from it are closed, never deleted.
    SNAPSHOT = "snapshot"
    #: The file lists new or changed records only; nothing is closed.
    INCREMENTAL = "incremental"


@dataclass(frozen=True)
class NodeTarget:
    """The node a row writes: its label and the property that is its business key."""

    label: str
    key: str


@dataclass(frozen=True)
class LinkTarget:
    """A relationship a row writes from one node to another.

    ``source_property`` and ``target_property`` name the row properties holding the two nodes'
    keys. A
    target created on the fly (``create_target``) is merged instead of matched, which suits nodes
    that only links reveal, such as counterparty accounts. ``key_properties`` are relationship
    properties that, with the two nodes, identify the relationship (for example the role).
    """

    rel_type: str
    source: NodeTarget
    source_property: str
    target: NodeTarget
    target_property: str
    key_properties: tuple[str, ...] = ()
    properties: tuple[str, ...] = ()
    create_target: bool = False
    #: Properties set on a target node that this link creates, from row properties of the same names.
    target_properties: tuple[str, ...] = ()
    #: A row whose link points at a missing node is rejected; an optional link is just not drawn.
    required: bool = True


@dataclass(frozen=True)
class FeedSpec:
    """One feed of the day-end batch, as the source system delivers it."""

    name: str
    system: str
    description: str
    columns: tuple[Column, ...]
    mode: FeedMode
    node: NodeTarget | None = None
    links: tuple[LinkTarget, ...] = ()
    encoding: str = "utf-8"
    delimiter: str = "|"
    has_header: bool = True
    #: Adds properties computed from a converted row, such as gender from an identity number. It
    #: gets the row and the known division codes (or None) and may raise FieldRejected.
    derive: Callable[[dict, Container[str] | None], dict] | None = None
    #: Properties of the node written for each row; all mapped columns unless given.
    node_properties: tuple[str, ...] | None = field(default=None)
    #: Rows may repeat a node key, as a tag row does for each customer carrying the tag.
    duplicates_allowed: bool = False

    @property
    def file_pattern(self) -> re.Pattern[str]:
        """Return the pattern of this feed's file names: ``<name>[_<YYYYMMDD>].<csv|txt|dat>``.

        The date, when present, is the business date of the file.
        """
        return re.compile(rf"^{re.escape(self.name)}(?:_(?P<date>\d{{8}}))?\.(?:csv|txt|dat)$")

    @property
    def python_encoding(self) -> str:
        """Return the codec to read with; GBK files are read as GB18030, which contains GBK."""
        return "gb18030" if self.encoding.lower() in ("gbk", "gb2312", "gb18030") else self.encoding

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)
