"""Users created from the command line, the rules their fields follow, and the first administrator."""

from __future__ import annotations

import re
import stat

import pytest
from click.testing import CliRunner
from werkzeug.security import check_password_hash

from c360.cli import main
from c360.queue import queue_connection
from c360.sessions import LoginSessions, key_prefix
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
    create_user(scratch_store, "li.wang", "long-enough-1", "head_office_analyst", "")

    assert find_user(scratch_store, "li.wang")["display_name"] == "li.wang"


BRANCHES_AND_MANAGERS = """
CREATE (:Branch {branch_code: 'B01', name: '城东支行'}),
       (:Branch {branch_code: 'B02', name: '城西支行'}),
       (:Branch {branch_code: 'B09', name: '旧城支行', closed_on: '2026-06-30'}),
       (:Manager {manager_id: 'M001', name: '赵敏', branch_code: 'B01'}),
       (:Manager {manager_id: 'M002', name: '钱坤', branch_code: 'B02'})
"""


@pytest.fixture
def organisation(scratch_store):
    scratch_store.write(BRANCHES_AND_MANAGERS)
    return scratch_store


def test_created_user_password_is_scrypt_hashed(scratch_store):
    create_user(scratch_store, "li.wang", "long-enough-1", "head_office_analyst", "")

    password_hash = find_user(scratch_store, "li.wang")["password_hash"]

    assert password_hash.startswith("scrypt:")
    assert check_password_hash(password_hash, "long-enough-1")


def test_first_admin_password_is_scrypt_hashed(scratch_store, tmp_path):
    ensure_first_admin(scratch_store, tmp_path)

    assert find_user(scratch_store, "admin")["password_hash"].startswith("scrypt:")


def test_user_with_branch_and_manager_is_saved(organisation):
    create_user(
        organisation,
        "zhao.min",
        "long-enough-1",
        "relationship_manager",
        "赵敏",
        branch_code="B01",
        manager_id="M001",
    )

    user = find_user(organisation, "zhao.min")

    assert user["branch_code"] == "B01"
    assert user["manager_id"] == "M001"
    assert user["active"] is True


@pytest.mark.parametrize(
    ("role", "branch_code", "manager_id", "message"),
    [
        ("no_such_role", None, None, "invalid role 'no_such_role'"),
        ("branch_manager", "B77", None, "branch 'B77' not found"),
        ("branch_manager", "B09", None, "branch 'B09' was closed on 2026-06-30"),
        ("relationship_manager", None, "M999", "manager 'M999' not found"),
        ("relationship_manager", "B01", "M002", "manager 'M002' works at branch 'B02', not 'B01'"),
    ],
)
def test_invalid_role_or_assignment_rejected(organisation, role, branch_code, manager_id, message):
    with pytest.raises(InvalidUser, match=re.escape(message)):
        create_user(
            organisation, "qian.li", "long-enough-1", role, "", branch_code=branch_code, manager_id=manager_id
        )

    assert find_user(organisation, "qian.li") is None


@pytest.mark.parametrize(
    ("role", "branch_code", "manager_id", "message"),
    [
        ("relationship_manager", None, None, "role 'relationship_manager' needs a manager id"),
        ("relationship_manager", "B01", None, "role 'relationship_manager' needs a manager id"),
        ("branch_manager", None, None, "role 'branch_manager' needs a branch code"),
        ("branch_manager", "B01", "M001", "role 'branch_manager' takes no manager id"),
        ("head_office_manager", None, "M001", "role 'head_office_manager' takes no manager id"),
        ("auditor", None, "M001", "role 'auditor' takes no manager id"),
    ],
)
def test_role_without_customer_scope_rejected(organisation, role, branch_code, manager_id, message):
    with pytest.raises(InvalidUser, match=re.escape(message)):
        create_user(
            organisation, "qian.li", "long-enough-1", role, "", branch_code=branch_code, manager_id=manager_id
        )

    assert find_user(organisation, "qian.li") is None


@pytest.mark.parametrize(
    ("role", "branch_code"),
    [("branch_manager", "B01"), ("head_office_manager", None), ("risk_officer", "B02"), ("admin", None)],
)
def test_role_with_its_assignment_is_saved(organisation, role, branch_code):
    create_user(organisation, "qian.li", "long-enough-1", role, "", branch_code=branch_code)

    user = find_user(organisation, "qian.li")

    assert (user["role"], user.get("branch_code"), user.get("manager_id")) == (role, branch_code, None)


def test_rejected_reset_leaves_user_unchanged(organisation):
    create_user(organisation, "zhao.min", "long-enough-1", "relationship_manager", "", manager_id="M001")

    with pytest.raises(InvalidUser, match="needs a manager id"):
        create_user(organisation, "zhao.min", "long-enough-2", "relationship_manager", "")

    user = find_user(organisation, "zhao.min")
    assert user["manager_id"] == "M001"
    assert check_password_hash(user["password_hash"], "long-enough-1")


def test_manager_record_is_one_user_only(organisation):
    create_user(organisation, "zhao.min", "long-enough-1", "relationship_manager", "", manager_id="M001")

    with pytest.raises(InvalidUser, match="manager 'M001' is already assigned to user 'zhao.min'"):
        create_user(organisation, "zhao.min2", "long-enough-1", "relationship_manager", "", manager_id="M001")

    assert find_user(organisation, "zhao.min2") is None


def test_reserved_username_is_rejected(scratch_store):
    with pytest.raises(InvalidUser, match="reserved"):
        create_user(scratch_store, "new", "long-enough-1", "relationship_manager", "")


def test_cli_creates_user_with_branch_and_manager(organisation, scratch_settings):
    result = CliRunner().invoke(
        main,
        [
            "create-user",
            "zhao.min",
            "--role",
            "relationship_manager",
            "--branch",
            "B01",
            "--manager-id",
            "M001",
            "--password",
            "long-enough-1",
        ],
    )

    assert result.exit_code == 0, result.output
    user = find_user(organisation, "zhao.min")
    assert (user["role"], user["branch_code"], user["manager_id"]) == ("relationship_manager", "B01", "M001")


def test_cli_rejects_unknown_role(scratch_store, scratch_settings):
    result = CliRunner().invoke(
        main, ["create-user", "zhao.min", "--role", "superuser", "--password", "long-enough-1"]
    )

    assert result.exit_code == 2
    assert "superuser" in result.output
    assert find_user(scratch_store, "zhao.min") is None


def test_cli_rejects_unknown_branch(scratch_store, scratch_settings):
    result = CliRunner().invoke(
        main,
        [
            "create-user",
            "zhao.min",
            "--role",
            "branch_manager",
            "--branch",
            "B77",
            "--password",
            "long-enough-1",
        ],
    )

    assert result.exit_code == 2
    assert "branch 'B77' not found" in result.output
    assert find_user(scratch_store, "zhao.min") is None


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--role", "relationship_manager", "--branch", "B01"],
            "role 'relationship_manager' needs a manager id",
        ),
        (["--role", "branch_manager"], "role 'branch_manager' needs a branch code"),
        (["--role", "risk_officer", "--manager-id", "M001"], "role 'risk_officer' takes no manager id"),
    ],
)
def test_cli_rejects_role_without_customer_scope(organisation, scratch_settings, options, message):
    result = CliRunner().invoke(main, ["create-user", "zhao.min", *options, "--password", "long-enough-1"])

    assert result.exit_code == 2
    assert message in result.output
    assert find_user(organisation, "zhao.min") is None


def test_cli_creates_branch_manager(organisation, scratch_settings):
    result = CliRunner().invoke(
        main,
        [
            "create-user",
            "wu.lei",
            "--role",
            "branch_manager",
            "--branch",
            "B02",
            "--password",
            "long-enough-1",
        ],
    )

    assert result.exit_code == 0, result.output
    user = find_user(organisation, "wu.lei")
    assert (user["role"], user["branch_code"], user.get("manager_id")) == ("branch_manager", "B02", None)


def test_cli_password_reset_ends_sessions(scratch_store, scratch_settings):
    create_user(scratch_store, "zhao.min", "long-enough-1", "head_office_analyst", "")
    connection = queue_connection(scratch_settings)
    sessions = LoginSessions(connection, key_prefix(scratch_settings))
    try:
        session_id = sessions.start("zhao.min")

        result = CliRunner().invoke(
            main, ["create-user", "zhao.min", "--role", "head_office_analyst", "--password", "long-enough-2"]
        )

        assert result.exit_code == 0, result.output
        assert "Ended 1 open sessions" in result.output
        assert not sessions.touch(session_id, "zhao.min")
    finally:
        connection.close()
