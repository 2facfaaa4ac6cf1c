"""Creating users from the command line and the first administrator."""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

from werkzeug.security import generate_password_hash

from graph_model.store import GraphStore
from graph_model.users import count_users, save_user

FIRST_ADMIN = "admin"
PASSWORD_FILE_NAME = "initial-admin-password"
MIN_PASSWORD_LENGTH = 8
USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{2,64}$")


class InvalidUser(ValueError):
    """A username or password that cannot be accepted; the message names the rule."""


def create_user(store: GraphStore, username: str, password: str, role: str, display_name: str) -> None:
    """Create a user, or reset an existing user's password, role and display name."""
    if not USERNAME_PATTERN.match(username):
        raise InvalidUser(f"username {username!r} must be 2 to 64 letters, digits, '_', '.' or '-'")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidUser(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    save_user(store, username, generate_password_hash(password), display_name or username, role)


def ensure_first_admin(store: GraphStore, data_dir: Path) -> str | None:
    """Create user ``admin`` with a random password if the product has no user yet.

    Returns the new password, which is also written to a file readable by its owner only, or
    None when users already exist.
    """
    if count_users(store) > 0:
        return None
    password = secrets.token_urlsafe(12)
    save_user(store, FIRST_ADMIN, generate_password_hash(password), "系统管理员", "admin")
    data_dir.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(password_file(data_dir), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(password + "\n")
    return password


def password_file(data_dir: Path) -> Path:
    return data_dir / PASSWORD_FILE_NAME
