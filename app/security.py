"""Request hardening: a CSRF token on every form, and response headers that keep pages local.

The Content-Security-Policy allows scripts, styles, images and connections from this server only,
so a page cannot load anything from a CDN or send data elsewhere. Inline styles are allowed
because vis-network and ECharts set element styles at run time.
"""

from __future__ import annotations

import hmac
import logging
import secrets

from flask import Flask, abort, request, session

logger = logging.getLogger(__name__)

CSRF_SESSION_KEY = "_csrf_token"
CSRF_FORM_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def csrf_token() -> str:
    """Return this session's CSRF token, creating it on first use."""
    if CSRF_SESSION_KEY not in session:
        session[CSRF_SESSION_KEY] = secrets.token_urlsafe(32)
    return session[CSRF_SESSION_KEY]


def _check_csrf() -> None:
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    sent = request.form.get(CSRF_FORM_FIELD) or request.headers.get(CSRF_HEADER) or ""
    expected = session.get(CSRF_SESSION_KEY, "")
    if not expected or not hmac.compare_digest(sent, expected):
        logger.warning("Rejected %s %s: missing or wrong CSRF token", request.method, request.path)
        abort(400, description="csrf")


def _add_security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.endpoint != "static":
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    app.before_request(_check_csrf)
    app.after_request(_add_security_headers)
    app.jinja_env.globals["csrf_token"] = csrf_token
