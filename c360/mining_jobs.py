"""Mining jobs on the queue: queueing them, listing their state, retrying and recovering them.

A job whose worker died (killed, out of memory, machine restarted) stays "started" in RQ until
its heartbeat expires. ``requeue_abandoned`` puts such jobs back on the queue when a worker
starts, and the rerun completes what the dead one began: a run writes its links under its own
run id and removes the older ones only at its end.
"""

from __future__ import annotations

import logging
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from rq import Queue, Worker
from rq.job import Job, JobStatus
from rq.registry import CanceledJobRegistry, FailedJobRegistry, FinishedJobRegistry, StartedJobRegistry

from c360.jobs import MINING_TIMEOUT_S, RESULT_TTL_S, run_miner_job
from c360.mining_run import MINERS
from graph_model.embedded_server import process_alive

logger = logging.getLogger(__name__)

#: A worker on another machine whose last heartbeat is older than this is taken for dead.
HEARTBEAT_GRACE_S = 120


class UnknownMiner(ValueError):
    """A miner name that ``MINERS`` does not list."""


class JobNotRetryable(ValueError):
    """A job that does not exist, or has not failed or stopped."""


@dataclass(frozen=True)
class JobSummary:
    job_id: str
    miner: str
    status: str
    enqueued_at: datetime | None
    started_at: datetime | None
    ended_at: datetime | None
    progress: dict | None
    result: dict | None
    error: str | None

    @property
    def duration_s(self) -> float | None:
        if self.started_at is None or self.ended_at is None:
            return None
        return round((self.ended_at - self.started_at).total_seconds(), 1)


def queue_miners(queue: Queue, miners: tuple[str, ...] = ()) -> list[Job]:
    """Queue one job per miner, all miners when none are named.

    :raises UnknownMiner: for a name that is not a miner.
    """
    unknown = sorted(set(miners) - set(MINERS))
    if unknown:
        raise UnknownMiner(f"unknown miner {', '.join(unknown)}; choose from {', '.join(MINERS)}")
    return [
        queue.enqueue(
            run_miner_job, miner, job_timeout=MINING_TIMEOUT_S, result_ttl=RESULT_TTL_S, description=miner
        )
        for miner in (miners or tuple(MINERS))
    ]


def recent_jobs(queue: Queue, limit: int = 50) -> list[JobSummary]:
    """Return the queued, running, finished, failed and cancelled jobs, newest first."""
    ids = set(queue.job_ids)
    for registry in (StartedJobRegistry, FinishedJobRegistry, FailedJobRegistry, CanceledJobRegistry):
        ids.update(registry(queue=queue).get_job_ids())
    jobs = [job for job in Job.fetch_many(sorted(ids), connection=queue.connection) if job is not None]
    summaries = [_summary(job) for job in jobs]
    summaries.sort(key=lambda summary: summary.enqueued_at or datetime.min, reverse=True)
    return summaries[:limit]


def retry_job(queue: Queue, job_id: str) -> Job:
    """Queue a failed or stopped job again under a new id.

    :raises JobNotRetryable: when the job is unknown, or is queued, running or finished.
    """
    job = Job.fetch_many([job_id], connection=queue.connection)[0]
    if job is None:
        raise JobNotRetryable(f"job {job_id} not found; it may have expired")
    status = job.get_status(refresh=True)
    if status not in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED):
        raise JobNotRetryable(
            f"job {job_id} is {_status_name(status)}; only failed, stopped or cancelled jobs can be retried"
        )
    (new_job,) = queue_miners(queue, (job.description,))
    logger.info("Job %s (%s) retried as %s", job_id, job.description, new_job.id)
    return new_job


def requeue_abandoned(queue: Queue) -> list[str]:
    """Queue again the started jobs whose worker no longer runs; returns their ids.

    NOTE: a work horse outlives its worker when only the worker's own process is killed, so its
    job then runs twice at once. The run that ends first may remove links the other just wrote.
    The next run puts them back.
    """
    alive = {worker.name for worker in Worker.all(queue=queue) if _worker_alive(worker)}
    registry = StartedJobRegistry(queue=queue)
    requeued = []
    for job in Job.fetch_many(registry.get_job_ids(), connection=queue.connection):
        if job is None or job.worker_name in alive:
            continue
        registry.remove_executions(job)
        queue.enqueue_job(job)
        requeued.append(job.id)
        logger.warning(
            "Job %s (%s) of worker %s, which stopped, queued again", job.id, job.description, job.worker_name
        )
    return requeued


def _status_name(status: JobStatus | str | None) -> str:
    if status is None:
        return ""
    return status.value if isinstance(status, JobStatus) else str(status)


def _worker_alive(worker: Worker) -> bool:
    """Check a worker's process on this machine; elsewhere, trust a recent heartbeat."""
    if worker.hostname == socket.gethostname() and worker.pid:
        return process_alive(worker.pid)
    if worker.last_heartbeat is None:
        return False
    heartbeat = worker.last_heartbeat
    if heartbeat.tzinfo is None:
        heartbeat = heartbeat.replace(tzinfo=UTC)
    return datetime.now(UTC) - heartbeat < timedelta(seconds=HEARTBEAT_GRACE_S)


def _summary(job: Job) -> JobSummary:
    result = job.latest_result()
    error = None
    if result is not None and result.exc_string:
        error = result.exc_string.strip().splitlines()[-1]
    return JobSummary(
        job_id=job.id,
        miner=job.description or "",
        status=_status_name(job.get_status(refresh=False)),
        enqueued_at=job.enqueued_at,
        started_at=job.started_at,
        ended_at=job.ended_at,
        progress=job.meta.get("progress"),
        result=job.return_value() if result is not None and result.type == result.Type.SUCCESSFUL else None,
        error=error,
    )
