"""The web application: a Flask app factory wiring the graph store, login and the blueprints."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask

from c360.config import Settings, ensure_secret_key, load_settings
from c360.masking import load_masking_rules
from c360.reminder_thresholds import load_reminder_thresholds

logger = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(settings: Settings | None = None, config_overrides: dict[str, Any] | None = None) -> Flask:
    """Build the application; importing this package connects to nothing."""
    settings = ensure_secret_key(settings or load_settings())
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        MAX_CONTENT_LENGTH=1024 * 1024,
        C360_SETTINGS=settings,
        C360_MASKING_RULES=load_masking_rules(settings.masking_file),
        C360_REMINDER_THRESHOLDS=load_reminder_thresholds(settings.reminders_file),
    )
    app.config.update(config_overrides or {})

    # Order matters: the store first, because login loads users from it.
    from app import database, errors, filters, security
    from app.auth import login_manager

    database.init_app(app, settings)
    login_manager.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    filters.init_app(app)

    from app.admin.routes import bp as admin_bp
    from app.auth.routes import bp as auth_bp
    from app.links.routes import bp as links_bp
    from app.retail.routes import bp as retail_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(retail_bp)
    app.register_blueprint(links_bp)
    app.register_blueprint(admin_bp)
    return app
