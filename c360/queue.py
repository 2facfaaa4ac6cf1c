"""The job queue: RQ on the embedded server's Redis, or on C360_REDIS_URL with Neo4j."""

from __future__ import annotations

import logging

import redis
from rq import Queue, Worker

from c360.config import Settings
from graph_model.embedded_server import EmbeddedServer

logger = logging.getLogger(__name__)

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


class QueueWorker(Worker):
    """RQ's worker, polling its command channel every second instead of every minute.

    With redis-py 8, stopping the pub/sub thread waits for its current poll to end, so RQ 3.0's
    60-second poll made every worker shutdown (and every burst run) take up to a minute.
    """

    def subscribe(self) -> None:
        logger.debug("Worker %s subscribing to %s", self.name, self.pubsub_channel_name)
        self.pubsub = self.connection.pubsub()
        self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
        self.pubsub_thread = self.pubsub.run_in_thread(
            sleep_time=1, daemon=True, exception_handler=self._pubsub_exception_handler
        )
