"""Server-side login sessions in Redis, shared by every web process.

At login the signed cookie session receives a random session id. Redis maps that id to the
username until 8 hours pass without a request, and keeps a set of each user's session ids so
that all of them can be ended at once. A request whose session id is not in Redis is not logged
in, so a copied cookie stops working at logout, after 8 idle hours, or when the user's sessions
are ended.
"""

from __future__ import annotations

import logging
import secrets

import redis

from c360.config import Settings

logger = logging.getLogger(__name__)

#: Seconds a session lives after its last request.
SESSION_IDLE_TTL_S = 8 * 60 * 60


def key_prefix(settings: Settings) -> str:
    """Return the Redis key prefix for login data of the user base in the settings' graph.

    Users are nodes of one graph, so two graphs on one server have separate sessions and throttles.
    """
    return f"c360:{settings.graph_name}"


class LoginSessions:
    """The login sessions of one user base, kept in Redis with an idle expiry."""

    def __init__(self, connection: redis.Redis, prefix: str) -> None:
        self.connection = connection
        self.prefix = prefix

    def start(self, username: str) -> str:
        """Create a session for ``username`` and return its new random id."""
        session_id = secrets.token_urlsafe(32)
        user_key = self._user_key(username)
        with self.connection.pipeline(transaction=True) as pipeline:
            pipeline.set(self._session_key(session_id), username, ex=SESSION_IDLE_TTL_S)
            pipeline.sadd(user_key, session_id)
            pipeline.expire(user_key, SESSION_IDLE_TTL_S)
            pipeline.execute()
        self._forget_expired(username)
        return session_id

    def touch(self, session_id: str | None, username: str) -> bool:
        """Return whether the session exists and belongs to ``username``; restart its idle time if so."""
        if not session_id:
            return False
        session_key = self._session_key(session_id)
        owner = self.connection.get(session_key)
        if owner is None or owner.decode() != username:
            return False
        with self.connection.pipeline(transaction=True) as pipeline:
            pipeline.expire(session_key, SESSION_IDLE_TTL_S)
            # The user's set must outlive every session in it, or ending them all would miss one.
            pipeline.expire(self._user_key(username), SESSION_IDLE_TTL_S)
            pipeline.execute()
        return True

    def end(self, session_id: str | None) -> None:
        """End one session; an unknown or expired id is ignored."""
        if not session_id:
            return
        session_key = self._session_key(session_id)
        owner = self.connection.getdel(session_key)
        if owner is not None:
            self.connection.srem(self._user_key(owner.decode()), session_id)

    def end_all(self, username: str) -> int:
        """End every session of ``username`` and return how many were still open."""
        user_key = self._user_key(username)
        with self.connection.pipeline(transaction=True) as pipeline:
            pipeline.smembers(user_key)
            pipeline.delete(user_key)
            members, _ = pipeline.execute()
        ended = 0
        if members:
            ended = self.connection.delete(*(self._session_key(member.decode()) for member in members))
        if ended:
            logger.info("Ended %d sessions of user %s", ended, username)
        return ended

    def _forget_expired(self, username: str) -> None:
        user_key = self._user_key(username)
        session_ids = [member.decode() for member in self.connection.smembers(user_key)]
        with self.connection.pipeline(transaction=False) as pipeline:
            for session_id in session_ids:
                pipeline.exists(self._session_key(session_id))
            alive = pipeline.execute()
        expired = [session_id for session_id, exists in zip(session_ids, alive, strict=True) if not exists]
        if expired:
            self.connection.srem(user_key, *expired)

    def _session_key(self, session_id: str) -> str:
        return f"{self.prefix}:session:{session_id}"

    def _user_key(self, username: str) -> str:
        return f"{self.prefix}:user-sessions:{username}"
