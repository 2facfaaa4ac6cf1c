"""Administration: the record of load runs and the mining jobs."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, current_app, flash, redirect, render_template, url_for

from app import labels
from app.access import permission_required
from app.database import graph_store
from c360.mining_jobs import JobNotRetryable, recent_jobs, retry_job
from c360.queue import job_queue
from c360.roles import ADMINISTER
from graph_model.bookkeeping import recent_load_runs

bp = Blueprint("admin", __name__, url_prefix="/admin")

LOAD_RUNS_SHOWN = 200
JOBS_SHOWN = 100


#: Guards the administration pages: users, load runs and mining jobs.
admin_required = permission_required(ADMINISTER)


@bp.route("/load-runs")
@admin_required
def load_runs():
    runs = recent_load_runs(graph_store(), limit=LOAD_RUNS_SHOWN)
    return render_template("admin/load_runs.html", runs=runs, limit=LOAD_RUNS_SHOWN)


@bp.route("/jobs")
@admin_required
def mining_jobs():
    queue = job_queue(current_app.config["C360_SETTINGS"])
    try:
        jobs = recent_jobs(queue, JOBS_SHOWN)
    finally:
        queue.connection.close()
    return render_template(
        "admin/jobs.html",
        jobs=jobs,
        limit=JOBS_SHOWN,
        iso=_iso_utc,
        miner_names=labels.MINERS,
        job_statuses=labels.JOB_STATUSES,
        link_labels=labels.LINK_TYPES,
    )


@bp.route("/jobs/<job_id>/retry", methods=["POST"])
@admin_required
def retry_mining_job(job_id: str):
    queue = job_queue(current_app.config["C360_SETTINGS"])
    try:
        job = retry_job(queue, job_id)
    except JobNotRetryable:
        flash("该作业不存在，或尚未失败，无需重试。", "error")
    else:
        flash(f"已重新提交作业，新作业号 {job.id}。", "info")
    finally:
        queue.connection.close()
    return redirect(url_for("admin.mining_jobs"))


def _iso_utc(moment: datetime | None) -> str | None:
    """RQ keeps its times in UTC, without a zone in some versions; the page shows Beijing time."""
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


# Views in other modules attach to this blueprint when imported.
from app.admin import audit as _audit_views  # noqa: E402, F401
from app.admin import recommendation_rules as _recommendation_rule_views  # noqa: E402, F401
from app.admin import users as _user_views  # noqa: E402, F401
from app.admin import view_configs as _view_config_views  # noqa: E402, F401
