"""Login throttle: too many failed logins lock a username, or a client address, for a while.

Failures are counted in Redis, so every web process reads the same counts. Each username and
each client address has a sorted set of failure times that covers the last 15 minutes (a sliding
window). When a username reaches 5 failures, or an address 20, a lock key with a 15-minute
expiry is set and the count starts again. Logins are refused while a lock key exists, whether or
not the password is right. An administrator may lift a username's lock early; an address's lock
always runs its course.
"""

from __future__ import annotations

import logging
import math
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import redis

logger = logging.getLogger(__name__)

MAX_USERNAME_FAILURES = 5
MAX_ADDRESS_FAILURES = 20
FAILURE_WINDOW_S = 15 * 60
LOCK_S = 15 * 60


class LockScope(StrEnum):
    USERNAME = "username"
    ADDRESS = "address"


@dataclass(frozen=True)
class Lock:
    """A lock in force: what it covers and the seconds left until it ends."""

    scope: LockScope
    remaining_s: int

    @property
    def remaining_minutes(self) -> int:
        return math.ceil(self.remaining_s / 60)


class LoginThrottle:
    """Counts failed logins per username and per client address, and locks out either."""

    def __init__(
        self,
        connection: redis.Redis,
        prefix: str,
        *,
        max_username_failures: int = MAX_USERNAME_FAILURES,
        max_address_failures: int = MAX_ADDRESS_FAILURES,
        window_s: int = FAILURE_WINDOW_S,
        lock_s: int = LOCK_S,
    ) -> None:
        self.connection = connection
        self.prefix = prefix
        self.limits = {LockScope.ADDRESS: max_address_failures, LockScope.USERNAME: max_username_failures}
        self.window_s = window_s
        self.lock_s = lock_s

    def lock_for(self, username: str, address: str) -> Lock | None:
        """Return the lock in force on the address, else on the username, else None."""
        with self.connection.pipeline(transaction=False) as pipeline:
            pipeline.pttl(self._lock_key(LockScope.ADDRESS, address))
            pipeline.pttl(self._lock_key(LockScope.USERNAME, username))
            address_ttl_ms, username_ttl_ms = pipeline.execute()
        address_lock = _lock_from_ttl(LockScope.ADDRESS, address_ttl_ms)
        return address_lock or _lock_from_ttl(LockScope.USERNAME, username_ttl_ms)

    def username_locks(self, usernames: Sequence[str]) -> dict[str, Lock]:
        """Return the username locks in force among ``usernames``, by username."""
        with self.connection.pipeline(transaction=False) as pipeline:
            for username in usernames:
                pipeline.pttl(self._lock_key(LockScope.USERNAME, username))
            ttls_ms = pipeline.execute()
        locks = {
            username: _lock_from_ttl(LockScope.USERNAME, ttl_ms)
            for username, ttl_ms in zip(usernames, ttls_ms, strict=True)
        }
        return {username: lock for username, lock in locks.items() if lock is not None}

    def record_failure(self, username: str, address: str) -> Lock | None:
        """Count a failed login; return the lock it set when the address or username reached its limit."""
        now = time.time()
        counts = {
            scope: self._count_failure(scope, value, now)
            for scope, value in self._subjects(username, address)
        }

        new_lock = None
        for scope, value in self._subjects(username, address):
            if counts[scope] >= self.limits[scope]:
                self._lock(scope, value, counts[scope])
                new_lock = new_lock or Lock(scope, self.lock_s)
        return new_lock

    def clear_username(self, username: str) -> None:
        """Forget a username's failures after a successful login; its address keeps its count."""
        self.connection.delete(self._failures_key(LockScope.USERNAME, username))

    def unlock_username(self, username: str) -> bool:
        """Lift a username's lock and forget its failures; return whether a lock was in force.

        Locks on client addresses stay, so an address that guessed passwords stays locked.
        """
        with self.connection.pipeline(transaction=True) as pipeline:
            pipeline.delete(self._lock_key(LockScope.USERNAME, username))
            pipeline.delete(self._failures_key(LockScope.USERNAME, username))
            lifted, _ = pipeline.execute()
        return lifted > 0

    def _subjects(self, username: str, address: str) -> tuple[tuple[LockScope, str], ...]:
        # The address comes first: when both reach their limit, the wider lock is the one reported.
        return (LockScope.ADDRESS, address), (LockScope.USERNAME, username)

    def _count_failure(self, scope: LockScope, value: str, now: float) -> int:
        key = self._failures_key(scope, value)
        # The random suffix keeps two failures in the same microsecond apart.
        member = f"{now:.6f}:{secrets.token_hex(4)}"
        with self.connection.pipeline(transaction=True) as pipeline:
            pipeline.zremrangebyscore(key, "-inf", now - self.window_s)
            pipeline.zadd(key, {member: now})
            pipeline.zcard(key)
            pipeline.expire(key, self.window_s)
            _, _, count, _ = pipeline.execute()
        return count

    def _lock(self, scope: LockScope, value: str, failures: int) -> None:
        with self.connection.pipeline(transaction=True) as pipeline:
            pipeline.set(self._lock_key(scope, value), failures, ex=self.lock_s)
            pipeline.delete(self._failures_key(scope, value))
            pipeline.execute()
        logger.warning(
            "Locked %s %r for %d s after %d failed logins in %d s",
            scope.value,
            value,
            self.lock_s,
            failures,
            self.window_s,
        )

    def _failures_key(self, scope: LockScope, value: str) -> str:
        return f"{self.prefix}:login-failures:{scope.value}:{value}"

    def _lock_key(self, scope: LockScope, value: str) -> str:
        return f"{self.prefix}:login-lock:{scope.value}:{value}"


def _lock_from_ttl(scope: LockScope, ttl_ms: int) -> Lock | None:
    # PTTL is -2 for a missing key and -1 for a key without expiry; lock keys always have one.
    if ttl_ms > 0:
        return Lock(scope, math.ceil(ttl_ms / 1000))
    return None
