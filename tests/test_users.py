"""Users created from the command line, and the first administrator."""

from __future__ import annotations

import stat

import pytest
from werkzeug.security import check_password_hash

from c360.users import InvalidUser, create_user, ensure_first_admin, password_file
from graph_model.users import find_user


def test_first_admin_is_created_once(scratch_store, tmp_path):
    password = ensure_first_admin(scratch_store, tmp_path)

    assert password is not None
    assert check_password_hash(find_user(scratch_store, "admin")["password_hash"], password)
    assert password_file(tmp_path).read_text().strip() == password
    assert stat.S_IMODE(password_file(tmp_path).stat().st_mode) == 0o600
    assert ensure_first_admin(scratch_store, tmp_path) is None


@pytest.mark.parametrize(
    ("username", "password"), [("bad name<>", "long-enough-1"), ("x", "long-enough-1"), ("ok_user", "short")]
)
def test_invalid_users_are_rejected(scratch_store, username, password):
    with pytest.raises(InvalidUser):
        create_user(scratch_store, username, password, "relationship_manager", "")

    assert find_user(scratch_store, username) is None


def test_user_display_name_defaults_to_username(scratch_store):
    create_user(scratch_store, "li.wang", "long-enough-1", "relationship_manager", "")

    assert find_user(scratch_store, "li.wang")["display_name"] == "li.wang"
