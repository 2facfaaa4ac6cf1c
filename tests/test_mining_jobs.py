"""Mining jobs: listing, retrying, and a worker killed in the middle of writing links."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from rq.job import Job
from werkzeug.security import generate_password_hash

from app import create_app
from c360.mining_jobs import JobNotRetryable, UnknownMiner, queue_miners, recent_jobs, retry_job
from c360.mining_run import mine_flow_links
from c360.queue import QueueWorker, job_queue
from graph_model.users import save_user
from loaders.feeds.runner import load_feed_folder
from synthetic.bank import generate_bank
from synthetic.vocabulary import county_divisions, small_industries
from synthetic.writer import write_feed_files
from tests.conftest import SHARED_DATA

ALL_MINED = """
MATCH (a:Customer)-[r:RELATED_TO]->(b)
WHERE r.origin = 'mined'
RETURN a.customer_id AS source, coalesce(b.customer_id, b.account_key, b.community_id) AS target,
       r.link_type AS link_type, r.confidence AS confidence, r.evidence_count AS evidence_count,
       r.evidence_amount AS evidence_amount, r.basis AS basis
"""


def test_cancelled_job_is_listed_and_retried(scratch_settings, scratch_store):
    queue = job_queue(scratch_settings)
    try:
        (job,) = queue_miners(queue, ("guarantees",))
        job.cancel()

        listed = {summary.job_id: summary for summary in recent_jobs(queue, 500)}
        assert listed[job.id].status == "canceled"
        assert listed[job.id].miner == "guarantees"

        retried = retry_job(queue, job.id)
        QueueWorker([queue], connection=queue.connection).work(burst=True)
        assert retried.get_status(refresh=True) == "finished"
        summary = {summary.job_id: summary for summary in recent_jobs(queue, 500)}[retried.id]
        assert summary.result == {}
        assert summary.duration_s is not None
        with pytest.raises(JobNotRetryable, match="finished"):
            retry_job(queue, retried.id)
        page = _admin_page(scratch_settings, scratch_store, "/admin/jobs")
        row = re.search(rf"<tr>\s*<td[^>]*>{retried.id}</td>.*?</tr>", page, re.S).group(0)
        assert "担保圈" in row
        assert "已完成" in row
        assert "未发现关系" in row
        with pytest.raises(UnknownMiner, match="nope"):
            queue_miners(queue, ("nope",))
    finally:
        queue.connection.close()


def test_killed_worker_job_completes_on_restart(scratch_settings, scratch_store, tmp_path):
    feeds = tmp_path / "feeds"
    bank = generate_bank(
        1000,
        seed=3,
        business_date=date(2026, 12, 3),
        divisions=county_divisions(SHARED_DATA / "cn-areacodes"),
        industries=small_industries(SHARED_DATA / "cn-industry-gbt4754"),
    )
    write_feed_files(bank, feeds)
    load_feed_folder(scratch_store, feeds, runs_dir=tmp_path / "runs", batch_size=2000, max_reject_ratio=0.05)
    mine_flow_links(scratch_store, batch_size=2000)
    uninterrupted = _mined(scratch_store)
    scratch_store.write("MATCH (:Customer)-[r:RELATED_TO]->() DELETE r")
    scratch_store.write("MATCH (c:Community) DETACH DELETE c")

    queue = job_queue(scratch_settings)
    environment = {**os.environ, "C360_GRAPH_NAME": scratch_settings.graph_name, "C360_BATCH_SIZE": "1"}
    try:
        (job,) = queue_miners(queue, ("flows",))
        worker = _start_worker(environment, tmp_path / "worker-1.log", burst=False)
        _wait_until_writing(job, worker, scratch_store, tmp_path / "worker-1.log")
        _kill_with_work_horse(worker)

        partial = _mined(scratch_store)
        assert 0 < len(partial) < len(uninterrupted), "the worker was not killed while writing"
        assert Job.fetch(job.id, connection=queue.connection).get_status() == "started"

        restarted = _start_worker(environment, tmp_path / "worker-2.log", burst=True)
        assert restarted.wait(timeout=300) == 0, (tmp_path / "worker-2.log").read_text()
        assert "queued again" in (tmp_path / "worker-2.log").read_text()
        assert job.get_status(refresh=True) == "finished"
    finally:
        queue.connection.close()

    assert _mined(scratch_store) == uninterrupted


def _admin_page(settings, store, path: str) -> str:
    save_user(store, "admin_jobs", generate_password_hash("correct-horse-jobs"), "管理员", "admin")
    client = create_app(settings, {"TESTING": True}).test_client()
    token = re.search(
        r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True)
    ).group(1)
    client.post(
        "/login", data={"csrf_token": token, "username": "admin_jobs", "password": "correct-horse-jobs"}
    )
    return client.get(path).get_data(as_text=True)


def _mined(store) -> list[str]:
    return sorted(json.dumps(row, sort_keys=True, ensure_ascii=False) for row in store.read(ALL_MINED))


def _start_worker(environment: dict, log_path: Path, *, burst: bool) -> subprocess.Popen:
    command = [sys.executable, "-m", "c360", "worker", *(["--burst"] if burst else [])]
    with open(log_path, "w") as log:
        return subprocess.Popen(command, env=environment, stdout=log, stderr=subprocess.STDOUT)


def _wait_until_writing(job, worker: subprocess.Popen, store, log_path: Path) -> None:
    """Return once the job has written some of its links, one link per query."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            pytest.fail(f"the worker exited before writing:\n{log_path.read_text()}")
        progress = job.get_meta(refresh=True).get("progress") or {}
        if progress.get("stage") == "writing":
            written = store.read("MATCH (:Customer)-[r:RELATED_TO]->() RETURN count(r) AS n")[0]["n"]
            if written >= 20:
                return
        time.sleep(0.005)
    pytest.fail(f"the job did not write within 120 s:\n{log_path.read_text()}")


def _kill_with_work_horse(worker: subprocess.Popen) -> None:
    """Kill the worker and the work horse it forked, as a crash or the OOM killer would."""
    for pid in [*_children(worker.pid), worker.pid]:
        os.kill(pid, signal.SIGKILL)
    worker.wait(timeout=30)


def _children(pid: int) -> list[int]:
    children = []
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(status.parent.name))
    return children
