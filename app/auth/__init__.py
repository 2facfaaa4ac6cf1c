"""Login: users are ``User`` nodes in the graph; passwords are checked against stored hashes."""

from __future__ import annotations

from dataclasses import dataclass

from flask_login import LoginManager, UserMixin

from app.database import graph_store
from graph_model.users import find_user

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "请先登录。"
login_manager.session_protection = "strong"


@dataclass
class User(UserMixin):
    username: str
    display_name: str
    role: str
    active: bool = True

    def get_id(self) -> str:
        return self.username

    @property
    def is_active(self) -> bool:
        return self.active


@login_manager.user_loader
def load_user(username: str) -> User | None:
    record = find_user(graph_store(), username)
    if record is None:
        return None
    return User(
        record["username"], record.get("display_name") or username, record["role"], record.get("active", True)
    )
