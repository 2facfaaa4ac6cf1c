"""Named view configurations of the 360 pages: which modules a page shows, and in which order.

A ``ViewConfig`` node has a ``view_id``, a Chinese ``name``, the ``page`` it configures (``retail``
for now) and ``modules``, a list of module ids from MODULES.md in display order. A built-in view
follows the product's definition until an administrator edits it; from then on the edit stays.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graph_model.store import GraphStore

# A built-in view follows the product's current definition until an administrator edits it.
WRITE_BUILT_IN_VIEW = """
MERGE (v:ViewConfig {view_id: $view_id})
ON CREATE SET v.page = $page, v.built_in = true, v.updated_by = 'system'
WITH v
WHERE v.updated_by = 'system'
SET v.name = $name, v.modules = $modules, v.updated_at = $at
"""

VIEWS_OF_PAGE = """
MATCH (v:ViewConfig {page: $page})
RETURN v {.*} AS view
ORDER BY v.built_in DESC, v.view_id
"""

VIEW_BY_ID = """
MATCH (v:ViewConfig {view_id: $view_id})
RETURN v {.*} AS view
"""

UPDATE_VIEW = """
MATCH (v:ViewConfig {view_id: $view_id})
WITH v, v {.name, .modules} AS before
SET v.name = $name, v.modules = $modules, v.updated_by = $user, v.updated_at = $at
RETURN before
"""

# FalkorDB 4.22 still creates the node when a leading OPTIONAL MATCH found one and WHERE tests it
# for null; a count filters on both engines.
ADD_VIEW = """
OPTIONAL MATCH (existing:ViewConfig {view_id: $view_id})
WITH count(existing) AS taken
WHERE taken = 0
CREATE (v:ViewConfig {view_id: $view_id})
SET v.name = $name, v.page = $page, v.modules = $modules, v.built_in = false,
    v.updated_by = $user, v.updated_at = $at
RETURN v.view_id AS view_id
"""


def ensure_views(
    store: GraphStore, page: str, views: Sequence[tuple[str, str, Sequence[str]]], *, at: str
) -> None:
    """Write each built-in (view id, name, modules) of ``views`` that is missing or was never edited."""
    for view_id, name, modules in views:
        params = {"view_id": view_id, "name": name, "page": page, "modules": list(modules), "at": at}
        store.write(WRITE_BUILT_IN_VIEW, params)


def views_of_page(store: GraphStore, page: str) -> list[dict[str, Any]]:
    return [row["view"] for row in store.read(VIEWS_OF_PAGE, {"page": page})]


def find_view(store: GraphStore, view_id: str) -> dict[str, Any] | None:
    rows = store.read(VIEW_BY_ID, {"view_id": view_id})
    return rows[0]["view"] if rows else None


def update_view(
    store: GraphStore, view_id: str, *, name: str, modules: Sequence[str], user: str, at: str
) -> dict[str, Any] | None:
    """Rename a view and set its modules; returns its name and modules before, or None if unknown."""
    params = {"view_id": view_id, "name": name, "modules": list(modules), "user": user, "at": at}
    rows = store.write(UPDATE_VIEW, params)
    return rows[0]["before"] if rows else None


def add_view(
    store: GraphStore, view_id: str, *, page: str, name: str, modules: Sequence[str], user: str, at: str
) -> bool:
    """Create a view; returns False, changing nothing, when the id is taken."""
    params = {
        "view_id": view_id,
        "page": page,
        "name": name,
        "modules": list(modules),
        "user": user,
        "at": at,
    }
    return bool(store.write(ADD_VIEW, params))
