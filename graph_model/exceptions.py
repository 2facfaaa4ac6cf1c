"""Errors raised by the graph store, independent of the engine underneath.

GraphStoreError
 +-- GraphUnavailable   the engine cannot be reached or started
 +-- QueryTimedOut      a query ran past its time limit
 +-- ConstraintViolation  a write broke a uniqueness rule
 +-- QueryFailed        any other error the engine reported for a query
 +-- GraphChanged       the graph changed while a bulk replacement of it was built
"""


class GraphStoreError(Exception):
    """Base class of the graph store's errors."""


class GraphUnavailable(GraphStoreError):
    """The graph engine cannot be reached or started."""


class QueryTimedOut(GraphStoreError):
    """A query ran past its time limit and was stopped by the engine."""


class ConstraintViolation(GraphStoreError):
    """A write broke a uniqueness constraint."""


class QueryFailed(GraphStoreError):
    """The engine rejected or failed a query for another reason."""


class GraphChanged(GraphStoreError):
    """The graph changed while a replacement built from its contents was being prepared."""
