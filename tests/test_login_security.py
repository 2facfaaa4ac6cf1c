"""Login hardening on the real embedded FalkorDB and its Redis: throttle, sessions, cookies, audit."""

from __future__ import annotations

import json
import re
import time
import uuid
from urllib.parse import urlencode

import pytest
from werkzeug.security import generate_password_hash

from app import create_app
from app.auth import SESSION_ID_KEY, auth_redis
from c360.login_throttle import LockScope, LoginThrottle
from c360.queue import queue_connection
from c360.sessions import LoginSessions, key_prefix
from c360.users import hash_password
from graph_model.users import find_user, save_user, update_profile

PASSWORD = "correct-horse-login"
WRONG_PASSWORD = "wrong-horse-login"
USERNAME_LOCK = "该用户名登录失败次数过多"
ADDRESS_LOCK = "您所在地址登录失败次数过多"
OTHER_LOOPBACK = "127.0.0.2"


@pytest.fixture
def web_app(scratch_settings, scratch_store):
    save_user(scratch_store, "li.na", hash_password(PASSWORD), "李娜", "relationship_manager")
    save_user(scratch_store, "zhou.bo", hash_password(PASSWORD), "周博", "relationship_manager")
    return create_app(scratch_settings, {"TESTING": True})


@pytest.fixture
def client(web_app):
    return web_app.test_client()


def _csrf(client, path="/login") -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


def _login(client, username="li.na", password=PASSWORD, next_path=None):
    url = "/login" if next_path is None else "/login?" + urlencode({"next": next_path})
    return client.post(url, data={"csrf_token": _csrf(client), "username": username, "password": password})


def _logout(client):
    return client.post("/logout", data={"csrf_token": _csrf(client, "/")})


def _alert(response) -> str:
    return re.search(r'<p class="alert" role="alert">(.*?)</p>', response.get_data(as_text=True)).group(1)


def _is_logged_in(client) -> bool:
    return client.get("/").status_code == 200


def _events(store, action: str) -> list[dict]:
    rows = store.read(
        "MATCH (e:AuditEvent {action: $action}) RETURN e {.*} AS event ORDER BY e.at", {"action": action}
    )
    return [row["event"] for row in rows]


def _session_id(client) -> str | None:
    with client.session_transaction() as session:
        return session.get(SESSION_ID_KEY)


def test_sixth_login_rejected_with_right_password(client, scratch_store):
    statuses = [_login(client, password=WRONG_PASSWORD).status_code for _ in range(5)]

    sixth = _login(client)

    assert statuses == [401, 401, 401, 401, 429]
    assert sixth.status_code == 429
    assert USERNAME_LOCK in _alert(sixth)
    assert "15 分钟" in _alert(sixth)
    assert not _is_logged_in(client)
    assert len(_events(scratch_store, "login_failed")) == 5
    assert len(_events(scratch_store, "login_locked")) == 1
    assert _events(scratch_store, "login") == []


def test_lock_message_ignores_password(client):
    for _ in range(5):
        _login(client, password=WRONG_PASSWORD)

    right = _login(client)
    wrong = _login(client, password=WRONG_PASSWORD)

    assert right.status_code == wrong.status_code == 429
    assert _alert(right) == _alert(wrong)


def test_username_lock_leaves_other_users_alone(client):
    for _ in range(5):
        _login(client, password=WRONG_PASSWORD)

    response = _login(client, username="zhou.bo")

    assert response.status_code == 302
    assert _is_logged_in(client)


def test_successful_login_resets_username_failures(client):
    for _ in range(4):
        _login(client, password=WRONG_PASSWORD)
    assert _login(client).status_code == 302
    _logout(client)

    statuses = [_login(client, password=WRONG_PASSWORD).status_code for _ in range(4)]

    assert statuses == [401, 401, 401, 401]


def test_address_limit_stops_unknown_usernames(web_app):
    guesser = web_app.test_client()
    guesser.environ_base["REMOTE_ADDR"] = OTHER_LOOPBACK
    statuses = [_login(guesser, username=f"guess{i}", password=WRONG_PASSWORD).status_code for i in range(20)]

    rejected = _login(guesser)
    elsewhere = web_app.test_client()

    assert statuses == [401] * 19 + [429]
    assert rejected.status_code == 429
    assert ADDRESS_LOCK in _alert(rejected)
    assert _login(elsewhere).status_code == 302


def test_throttle_lock_expires(scratch_settings):
    connection = queue_connection(scratch_settings)
    throttle = LoginThrottle(connection, f"test-{uuid.uuid4().hex}", lock_s=1)
    try:
        locks = [throttle.record_failure("li.na", OTHER_LOOPBACK) for _ in range(5)]
        during = throttle.lock_for("li.na", OTHER_LOOPBACK)
        time.sleep(1.2)
        after = throttle.lock_for("li.na", OTHER_LOOPBACK)
    finally:
        connection.close()

    assert locks[:4] == [None] * 4
    assert locks[4].scope is LockScope.USERNAME
    assert during.scope is LockScope.USERNAME
    assert during.remaining_s == 1
    assert after is None


def test_throttle_forgets_failures_outside_window(scratch_settings):
    connection = queue_connection(scratch_settings)
    throttle = LoginThrottle(connection, f"test-{uuid.uuid4().hex}", window_s=1)
    try:
        for _ in range(4):
            throttle.record_failure("li.na", OTHER_LOOPBACK)
        time.sleep(1.2)
        fifth = throttle.record_failure("li.na", OTHER_LOOPBACK)
    finally:
        connection.close()

    assert fifth is None


def test_throttle_unlock_username_lifts_lock(scratch_settings):
    connection = queue_connection(scratch_settings)
    throttle = LoginThrottle(connection, f"test-{uuid.uuid4().hex}")
    try:
        for _ in range(5):
            throttle.record_failure("li.na", OTHER_LOOPBACK)
        locked = throttle.username_locks(["li.na", "zhou.bo"])
        lifted = throttle.unlock_username("li.na")
        after = throttle.lock_for("li.na", OTHER_LOOPBACK)
        lifted_again = throttle.unlock_username("li.na")
    finally:
        connection.close()

    assert list(locked) == ["li.na"]
    assert locked["li.na"].scope is LockScope.USERNAME
    assert locked["li.na"].remaining_minutes == 15
    assert lifted is True
    assert after is None
    assert lifted_again is False


def test_throttle_unlock_username_forgets_failures(scratch_settings):
    connection = queue_connection(scratch_settings)
    throttle = LoginThrottle(connection, f"test-{uuid.uuid4().hex}")
    try:
        for _ in range(4):
            throttle.record_failure("li.na", OTHER_LOOPBACK)
        lifted = throttle.unlock_username("li.na")
        next_four = [throttle.record_failure("li.na", OTHER_LOOPBACK) for _ in range(4)]
    finally:
        connection.close()

    assert lifted is False
    assert next_four == [None] * 4


def test_throttle_unlock_username_keeps_address_lock(scratch_settings):
    connection = queue_connection(scratch_settings)
    throttle = LoginThrottle(connection, f"test-{uuid.uuid4().hex}", max_address_failures=5)
    try:
        for _ in range(5):
            throttle.record_failure("li.na", OTHER_LOOPBACK)
        throttle.unlock_username("li.na")
        from_guessing_address = throttle.lock_for("li.na", OTHER_LOOPBACK)
        from_other_address = throttle.lock_for("li.na", "127.0.0.3")
    finally:
        connection.close()

    assert from_guessing_address.scope is LockScope.ADDRESS
    assert from_other_address is None


def test_throttle_username_locks_of_no_users(scratch_settings):
    connection = queue_connection(scratch_settings)
    try:
        locks = LoginThrottle(connection, f"test-{uuid.uuid4().hex}").username_locks([])
    finally:
        connection.close()

    assert locks == {}


def test_copied_cookie_rejected_after_logout(web_app, client):
    assert _login(client).status_code == 302
    copy = web_app.test_client()
    copy.set_cookie("c360_session", client.get_cookie("c360_session").value)
    assert _is_logged_in(copy)

    _logout(client)

    assert not _is_logged_in(copy)
    assert copy.get("/").headers["Location"].startswith("/login")


def test_login_rotates_session(web_app, client):
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "before-login"
    _login(client)
    first_id = _session_id(client)
    first_cookie = client.get_cookie("c360_session").value

    _login(client)

    with client.session_transaction() as session:
        assert "planted" not in session
    assert first_id is not None
    assert _session_id(client) not in (None, first_id)
    stale = web_app.test_client()
    stale.set_cookie("c360_session", first_cookie)
    assert not _is_logged_in(stale)
    assert _is_logged_in(client)


def test_unknown_session_id_rejected(client):
    _login(client)
    assert _is_logged_in(client)

    with client.session_transaction() as session:
        session[SESSION_ID_KEY] = "not-a-session-the-server-started"

    assert not _is_logged_in(client)


def test_session_stored_with_idle_expiry(web_app, client, scratch_settings):
    _login(client)
    session_id = _session_id(client)
    with web_app.app_context():
        connection = auth_redis()
        ttl = connection.ttl(f"{key_prefix(scratch_settings)}:session:{session_id}")
        owner = connection.get(f"{key_prefix(scratch_settings)}:session:{session_id}")

    assert owner == b"li.na"
    assert 8 * 3600 - 60 < ttl <= 8 * 3600


def test_end_all_sessions_logs_out_everywhere(web_app, scratch_settings):
    first, second = web_app.test_client(), web_app.test_client()
    _login(first)
    _login(second)

    with web_app.app_context():
        ended = LoginSessions(auth_redis(), key_prefix(scratch_settings)).end_all("li.na")

    assert ended == 2
    assert not _is_logged_in(first)
    assert not _is_logged_in(second)


def test_deactivated_user_is_logged_out(client, scratch_store):
    _login(client)

    update_profile(
        scratch_store,
        "li.na",
        display_name="李娜",
        role="relationship_manager",
        branch_code=None,
        manager_id=None,
        active=False,
    )

    assert not _is_logged_in(client)


def test_inactive_user_cannot_log_in(client, scratch_store):
    update_profile(
        scratch_store,
        "li.na",
        display_name="李娜",
        role="relationship_manager",
        branch_code=None,
        manager_id=None,
        active=False,
    )

    response = _login(client)

    assert response.status_code == 403
    assert "该账号已停用" in _alert(response)
    assert not _is_logged_in(client)
    assert json.loads(_events(scratch_store, "login_failed")[0]["after"])["reason"] == "inactive"


@pytest.mark.parametrize(
    "next_path",
    ["//evil.example", "https://evil.example", "/\\evil.example", "/\t/evil.example", "javascript:alert(1)"],
)
def test_login_sends_foreign_next_home(client, next_path):
    response = _login(client, next_path=next_path)

    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_follows_own_next_path(client):
    response = _login(client, next_path="/customers/2?tab=graph")

    assert response.headers["Location"] == "/customers/2?tab=graph"


def test_session_cookie_flags(client):
    cookie = _login(client).headers["Set-Cookie"]

    assert cookie.startswith("c360_session=")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_session_cookie_secure_when_set(scratch_settings, web_app):
    secure_app = create_app(scratch_settings.with_overrides(cookie_secure=True), {"TESTING": True})
    client = secure_app.test_client()

    cookie = client.post(
        "/login",
        base_url="https://localhost",
        data={"csrf_token": _csrf(client), "username": "li.na", "password": PASSWORD},
    ).headers["Set-Cookie"]

    assert "Secure" in cookie


def test_login_events_audited_without_password(client, scratch_store):
    _login(client, password=WRONG_PASSWORD)
    _login(client)
    _logout(client)

    events = {action: _events(scratch_store, action) for action in ("login_failed", "login", "logout")}

    for action, found in events.items():
        assert len(found) == 1, action
        assert found[0]["subject"] == "li.na"
        assert found[0]["user"] == "li.na"
    assert json.loads(events["login_failed"][0]["after"]) == {
        "address": "127.0.0.1",
        "reason": "wrong_password",
    }
    assert json.loads(events["login"][0]["after"]) == {"address": "127.0.0.1"}
    stored = json.dumps(events, ensure_ascii=False)
    assert PASSWORD not in stored
    assert WRONG_PASSWORD not in stored


def test_unknown_username_failure_is_audited(client, scratch_store):
    response = _login(client, username="nobody")

    assert response.status_code == 401
    assert "用户名或密码错误" in _alert(response)
    assert json.loads(_events(scratch_store, "login_failed")[0]["after"])["reason"] == "unknown_user"


def test_login_records_last_login(client, scratch_store):
    _login(client)

    assert find_user(scratch_store, "li.na")["last_login_at"]


def test_older_hash_rehashed_with_scrypt(client, scratch_store):
    save_user(
        scratch_store,
        "li.na",
        generate_password_hash(PASSWORD, method="pbkdf2:sha256"),
        "李娜",
        "relationship_manager",
    )

    assert _login(client).status_code == 302

    assert find_user(scratch_store, "li.na")["password_hash"].startswith("scrypt:")
