"""Administration: the record of load runs."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from app.database import graph_store
from graph_model.bookkeeping import recent_load_runs

bp = Blueprint("admin", __name__, url_prefix="/admin")

LOAD_RUNS_SHOWN = 200


def admin_required(view):
    """Allow the view to administrators only; others get a 403 page."""

    @wraps(view)
    @login_required
    def guarded(*args, **kwargs):
        if current_user.role != "admin":
            abort(403)
        return view(*args, **kwargs)

    return guarded


@bp.route("/load-runs")
@admin_required
def load_runs():
    runs = recent_load_runs(graph_store(), limit=LOAD_RUNS_SHOWN)
    return render_template("admin/load_runs.html", runs=runs, limit=LOAD_RUNS_SHOWN)
