"""Job entry points run by the RQ worker.

Each job opens its own graph store: RQ runs a job in a forked work horse, and neither a Neo4j
driver nor a socket pool may cross a fork.
"""

from __future__ import annotations

import logging

from rq import get_current_job

from c360.config import load_settings
from c360.mining_run import MINERS
from graph_model.store import open_store

logger = logging.getLogger(__name__)

#: Maximum run time of a mining job before RQ stops it, in seconds.
MINING_TIMEOUT_S = 3600
#: How long the result of a finished job is kept, in seconds.
RESULT_TTL_S = 7 * 24 * 3600


def run_miner_job(miner: str) -> dict[str, int]:
    """Run one miner over the whole graph; the result is the link count per type."""
    settings = load_settings()
    job = get_current_job()
    logger.info("Mining job %s (%s) started", job.id if job else "-", miner)
    store = open_store(settings)
    try:
        return MINERS[miner](store, batch_size=settings.batch_size, progress=_report_progress)
    finally:
        store.close()


def _report_progress(stage: str, done: int, total: int) -> None:
    job = get_current_job()
    if job is None:
        return
    job.meta["progress"] = {"stage": stage, "done": done, "total": total}
    job.save_meta()
