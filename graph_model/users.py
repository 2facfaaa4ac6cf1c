"""Users of the product, kept as ``User`` nodes. Only password hashes are stored.

A user may belong to a branch (``branch_code``, empty for head office) and, as a relationship
manager, be one ``Manager`` record of the CRM feed (``manager_id``). Both are stored as plain
properties naming those nodes, so reloading the organisation feeds leaves users unchanged.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from graph_model.store import GraphStore

#: Properties an administrator edits, in the order pages and audit records list them.
PROFILE_FIELDS = ("display_name", "role", "branch_code", "manager_id", "active")

UPSERT_USER = """
MERGE (u:User {username: $username})
ON CREATE SET u.created_at = $now
SET u.password_hash = $password_hash, u.display_name = $display_name, u.role = $role,
    u.branch_code = $branch_code, u.manager_id = $manager_id, u.active = true
"""

# Counting first makes the check and the create one query, so an existing user is never overwritten.
INSERT_USER = """
OPTIONAL MATCH (existing:User {username: $username})
WITH count(existing) AS found
WHERE found = 0
CREATE (u:User)
SET u = $user
RETURN count(u) AS created
"""

UPDATE_PROFILE = """
MATCH (u:User {username: $username})
SET u.display_name = $display_name, u.role = $role, u.branch_code = $branch_code,
    u.manager_id = $manager_id, u.active = $active, u.updated_at = $now
RETURN count(u) AS updated
"""

SET_PASSWORD_HASH = """
MATCH (u:User {username: $username})
SET u.password_hash = $password_hash, u.password_changed_at = $now
RETURN count(u) AS updated
"""

RECORD_LOGIN = """
MATCH (u:User {username: $username})
SET u.last_login_at = $now
"""

USER_BY_NAME = """
MATCH (u:User {username: $username})
RETURN u {.*} AS user
"""

SET_DEFAULT_VIEW = """
MATCH (u:User {username: $username})
SET u.default_view = $view_id
RETURN u.username AS username
"""

USERS_BY_MANAGER = """
MATCH (u:User {manager_id: $manager_id})
RETURN u.username AS username
ORDER BY username
"""

LIST_USERS = """
MATCH (u:User)
OPTIONAL MATCH (b:Branch {branch_code: u.branch_code})
RETURN u {.username, .display_name, .role, .branch_code, .manager_id, .active, .last_login_at} AS user,
       b.name AS branch_name
ORDER BY u.username
"""

COUNT_USERS = """
MATCH (u:User)
RETURN count(u) AS count
"""

BRANCH_BY_CODE = """
MATCH (b:Branch {branch_code: $branch_code})
RETURN b {.branch_code, .name, .closed_on} AS branch
"""

MANAGER_BY_ID = """
MATCH (m:Manager {manager_id: $manager_id})
RETURN m {.manager_id, .name, .branch_code, .closed_on} AS manager
"""


def save_user(
    store: GraphStore,
    username: str,
    password_hash: str,
    display_name: str,
    role: str,
    *,
    branch_code: str | None = None,
    manager_id: str | None = None,
) -> None:
    """Create an active user, or overwrite an existing user's password hash, profile and active flag."""
    store.write(
        UPSERT_USER,
        {
            "username": username,
            "password_hash": password_hash,
            "display_name": display_name,
            "role": role,
            "branch_code": branch_code or None,
            "manager_id": manager_id or None,
            "now": _now(),
        },
    )


def insert_user(
    store: GraphStore,
    username: str,
    password_hash: str,
    *,
    display_name: str,
    role: str,
    branch_code: str | None,
    manager_id: str | None,
) -> bool:
    """Create an active user; return False, changing nothing, when the username is taken."""
    user = {
        "username": username,
        "password_hash": password_hash,
        "display_name": display_name,
        "role": role,
        "branch_code": branch_code or None,
        "manager_id": manager_id or None,
        "active": True,
        "created_at": _now(),
    }
    rows = store.write(INSERT_USER, {"username": username, "user": user})
    return bool(rows and rows[0]["created"])


def update_profile(
    store: GraphStore,
    username: str,
    *,
    display_name: str,
    role: str,
    branch_code: str | None,
    manager_id: str | None,
    active: bool,
) -> bool:
    """Overwrite the fields of ``PROFILE_FIELDS``; return False when the user does not exist."""
    rows = store.write(
        UPDATE_PROFILE,
        {
            "username": username,
            "display_name": display_name,
            "role": role,
            "branch_code": branch_code or None,
            "manager_id": manager_id or None,
            "active": active,
            "now": _now(),
        },
    )
    return bool(rows and rows[0]["updated"])


def set_password_hash(store: GraphStore, username: str, password_hash: str) -> bool:
    """Replace a user's password hash; return False when the user does not exist."""
    rows = store.write(
        SET_PASSWORD_HASH, {"username": username, "password_hash": password_hash, "now": _now()}
    )
    return bool(rows and rows[0]["updated"])


def record_login(store: GraphStore, username: str) -> None:
    store.write(RECORD_LOGIN, {"username": username, "now": _now()})


def find_user(store: GraphStore, username: str) -> dict[str, Any] | None:
    """Return every property of the user, the password hash included, or None."""
    rows = store.read(USER_BY_NAME, {"username": username})
    return rows[0]["user"] if rows else None


def set_default_view(store: GraphStore, username: str, view_id: str) -> bool:
    """Make ``view_id`` the view the user opens 360 pages in; returns False when there is no such user."""
    return bool(store.write(SET_DEFAULT_VIEW, {"username": username, "view_id": view_id}))


def users_of_manager(store: GraphStore, manager_id: str) -> list[str]:
    """Return the usernames that are the ``Manager`` record ``manager_id``."""
    return [row["username"] for row in store.read(USERS_BY_MANAGER, {"manager_id": manager_id})]


def list_users(store: GraphStore) -> list[dict[str, Any]]:
    """Return every user without the password hash, by username, with the name of the user's branch."""
    return [{**row["user"], "branch_name": row["branch_name"]} for row in store.read(LIST_USERS)]


def count_users(store: GraphStore) -> int:
    rows = store.read(COUNT_USERS)
    return rows[0]["count"] if rows else 0


def find_branch(store: GraphStore, branch_code: str) -> dict[str, Any] | None:
    """Return the ``Branch`` node's code, name and ``closed_on`` date, or None."""
    rows = store.read(BRANCH_BY_CODE, {"branch_code": branch_code})
    return rows[0]["branch"] if rows else None


def find_manager(store: GraphStore, manager_id: str) -> dict[str, Any] | None:
    """Return the ``Manager`` node's id, name, branch code and ``closed_on`` date, or None."""
    rows = store.read(MANAGER_BY_ID, {"manager_id": manager_id})
    return rows[0]["manager"] if rows else None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
