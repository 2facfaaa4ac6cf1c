"""Login: users are ``User`` nodes in the graph, and sessions and failed-login counts are in Redis.

A request is logged in only while the session id in its cookie is a live session in Redis (see
``c360.sessions``) and the user exists and is active. Logging out, deactivating a user or
resetting a password therefore takes effect on the next request to every web process.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import redis
from flask import Flask, current_app, session
from flask_login import LoginManager, UserMixin

from app.database import graph_store
from c360.login_throttle import LoginThrottle
from c360.queue import queue_connection
from c360.roles import has_permission, role_of
from c360.sessions import LoginSessions, key_prefix
from graph_model.users import find_user

#: Name of the session cookie, so that it is not mistaken for another application's on the same host.
SESSION_COOKIE_NAME = "c360_session"
#: Key of the server-side session id in the signed cookie session.
SESSION_ID_KEY = "login_session_id"
REDIS_EXTENSION_KEY = "c360_auth_redis"


class ServerSessionLoginManager(LoginManager):
    """flask-login's manager that also sets the session cookie's flags and the Redis for sessions."""

    def init_app(self, app: Flask, add_context_processor: bool = True) -> None:
        super().init_app(app, add_context_processor)
        settings = app.config["C360_SETTINGS"]
        app.config.update(
            SESSION_COOKIE_NAME=SESSION_COOKIE_NAME,
            SESSION_COOKIE_HTTPONLY=True,
            SESSION_COOKIE_SAMESITE="Lax",
            SESSION_COOKIE_SECURE=settings.cookie_secure,
        )
        # The client connects on first use; the embedded server is up because the store opened first.
        app.extensions[REDIS_EXTENSION_KEY] = queue_connection(settings)


login_manager = ServerSessionLoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "请先登录。"
login_manager.session_protection = "strong"


@dataclass
class User(UserMixin):
    username: str
    display_name: str
    role: str
    active: bool = True
    #: Code of the ``Branch`` the user belongs to; None for head office.
    branch_code: str | None = None
    #: Id of the ``Manager`` record that is this user, for relationship managers.
    manager_id: str | None = None
    #: View of the retail 360 page the user opens customers in, unless they choose another.
    default_view: str | None = None

    def get_id(self) -> str:
        return self.username

    @property
    def is_active(self) -> bool:
        return self.active

    def can(self, permission: str) -> bool:
        """Return whether the user's role grants ``permission`` (a name from ``c360.roles``)."""
        return has_permission(self.role, permission)

    @property
    def can_see_customers(self) -> bool:
        return role_of(self.role).scope != "none"


def user_from_record(record: dict[str, Any]) -> User:
    return User(
        username=record["username"],
        display_name=record.get("display_name") or record["username"],
        role=record["role"],
        active=record.get("active", True),
        branch_code=record.get("branch_code"),
        manager_id=record.get("manager_id"),
        default_view=record.get("default_view"),
    )


@login_manager.user_loader
def load_user(username: str) -> User | None:
    if not login_sessions().touch(session.get(SESSION_ID_KEY), username):
        return None
    record = find_user(graph_store(), username)
    if record is None or not record.get("active", True):
        return None
    return user_from_record(record)


def auth_redis() -> redis.Redis:
    return current_app.extensions[REDIS_EXTENSION_KEY]


def login_sessions() -> LoginSessions:
    return LoginSessions(auth_redis(), key_prefix(current_app.config["C360_SETTINGS"]))


def login_throttle() -> LoginThrottle:
    return LoginThrottle(auth_redis(), key_prefix(current_app.config["C360_SETTINGS"]))
