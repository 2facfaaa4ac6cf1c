"""The job queue: RQ on the embedded server's Redis, or on C360_REDIS_URL with Neo4j."""

from __future__ import annotations

import redis
from rq import Queue

from c360.config import Settings
from graph_model.embedded_server import EmbeddedServer

QUEUE_NAME = "c360"


def queue_connection(settings: Settings) -> redis.Redis:
    """Return a Redis connection for RQ, which needs raw bytes rather than decoded strings.

    With the embedded engine the caller must hold a lease on the server (open a store first).
    """
    if settings.uses_embedded_graph:
        return EmbeddedServer(settings.data_dir).client(decode_responses=False)
    return redis.Redis.from_url(settings.redis_url)


def job_queue(settings: Settings) -> Queue:
    return Queue(QUEUE_NAME, connection=queue_connection(settings))
