"""Creating users from the command line and the first administrator, and the rules user fields follow."""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

from werkzeug.security import generate_password_hash

from c360.roles import ROLES, role_of
from graph_model.store import GraphStore
from graph_model.users import count_users, find_branch, find_manager, save_user, users_of_manager

FIRST_ADMIN = "admin"
PASSWORD_FILE_NAME = "initial-admin-password"
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256
USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{2,64}$")
#: ``new`` is the address of the admin page that creates users (/admin/users/new).
RESERVED_USERNAMES = frozenset({"new"})


class InvalidUser(ValueError):
    """A user field that cannot be accepted; the message names the field and the rule."""


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def create_user(
    store: GraphStore,
    username: str,
    password: str,
    role: str,
    display_name: str,
    *,
    branch_code: str | None = None,
    manager_id: str | None = None,
) -> None:
    """Create a user, or reset an existing user's password, profile and active flag.

    :raises InvalidUser: for a bad username, password or role, or when the user lacks the branch
        code or manager id that the role needs, or has a manager id that the role does not take.
        Also for a branch or manager record that does not exist, is closed or does not fit the
        other fields.
    """
    if not USERNAME_PATTERN.match(username):
        raise InvalidUser(f"username {username!r} must be 2 to 64 letters, digits, '_', '.' or '-'")
    if username in RESERVED_USERNAMES:
        raise InvalidUser(f"username {username!r} is reserved; choose another")
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise InvalidUser(f"the password must have {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters")
    if role not in ROLES:
        raise InvalidUser(f"invalid role {role!r}; use one of {', '.join(ROLES)}")
    _check_role_needs(role, branch_code, manager_id)
    _check_assignment(store, username, branch_code, manager_id)

    save_user(
        store,
        username,
        hash_password(password),
        display_name or username,
        role,
        branch_code=branch_code,
        manager_id=manager_id,
    )


def needs_manager_id(role: str) -> bool:
    """Return whether users of ``role`` see customers through their manager record, and so need one."""
    return role_of(role).scope == "managed"


def needs_branch_code(role: str) -> bool:
    """Return whether users of ``role`` see the customers of their branch, and so need one."""
    return role_of(role).scope == "branch"


def _check_role_needs(role: str, branch_code: str | None, manager_id: str | None) -> None:
    if needs_manager_id(role) and not manager_id:
        raise InvalidUser(f"role {role!r} needs a manager id, because without one the user sees no customer")
    if needs_branch_code(role) and not branch_code:
        raise InvalidUser(f"role {role!r} needs a branch code, because without one the user sees no customer")
    if manager_id and not needs_manager_id(role):
        managed_roles = ", ".join(name for name in ROLES if needs_manager_id(name))
        raise InvalidUser(
            f"role {role!r} takes no manager id, which is only for {managed_roles}; leave it empty"
        )


def _check_assignment(
    store: GraphStore, username: str, branch_code: str | None, manager_id: str | None
) -> None:
    if branch_code:
        branch = find_branch(store, branch_code)
        if branch is None:
            raise InvalidUser(
                f"branch {branch_code!r} not found; check the code or load the org_branch feed first"
            )
        if branch.get("closed_on"):
            raise InvalidUser(
                f"branch {branch_code!r} was closed on {branch['closed_on']}; choose an open branch"
            )
    if not manager_id:
        return

    manager = find_manager(store, manager_id)
    if manager is None:
        raise InvalidUser(
            f"manager {manager_id!r} not found; check the id or load the crm_manager feed first"
        )
    if manager.get("closed_on"):
        raise InvalidUser(
            f"manager {manager_id!r} was closed on {manager['closed_on']} (no longer in the crm_manager feed)"
        )
    if branch_code and manager.get("branch_code") != branch_code:
        raise InvalidUser(
            f"manager {manager_id!r} works at branch {manager.get('branch_code')!r}, not {branch_code!r}; "
            "give the manager's branch"
        )
    others = [name for name in users_of_manager(store, manager_id) if name != username]
    if others:
        raise InvalidUser(f"manager {manager_id!r} is already assigned to user {others[0]!r}")


def ensure_first_admin(store: GraphStore, data_dir: Path) -> str | None:
    """Create user ``admin`` with a random password if the product has no user yet.

    Returns the new password, which is also written to a file readable by its owner only, or
    None when users already exist.
    """
    if count_users(store) > 0:
        return None
    password = secrets.token_urlsafe(12)
    save_user(store, FIRST_ADMIN, hash_password(password), "系统管理员", "admin")
    data_dir.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(password_file(data_dir), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(password + "\n")
    return password


def password_file(data_dir: Path) -> Path:
    return data_dir / PASSWORD_FILE_NAME
