"""Users of the product, kept as ``User`` nodes. Only password hashes are stored."""

from __future__ import annotations

from typing import Any

from graph_model.store import GraphStore

UPSERT_USER = """
MERGE (u:User {username: $username})
SET u.password_hash = $password_hash, u.display_name = $display_name, u.role = $role, u.active = true
"""

USER_BY_NAME = """
MATCH (u:User {username: $username})
RETURN u {.*} AS user
"""

COUNT_USERS = """
MATCH (u:User)
RETURN count(u) AS count
"""


def save_user(store: GraphStore, username: str, password_hash: str, display_name: str, role: str) -> None:
    store.write(
        UPSERT_USER,
        {"username": username, "password_hash": password_hash, "display_name": display_name, "role": role},
    )


def find_user(store: GraphStore, username: str) -> dict[str, Any] | None:
    rows = store.read(USER_BY_NAME, {"username": username})
    return rows[0]["user"] if rows else None


def count_users(store: GraphStore) -> int:
    rows = store.read(COUNT_USERS)
    return rows[0]["count"] if rows else 0
