"""One load run: its id, its rejects file, its counts, and its record in the graph."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from graph_model.bookkeeping import record_load_run
from graph_model.store import GraphStore
from loaders.rejects import RejectsFile


class SourceFilesMissing(FileNotFoundError):
    """A file the loader needs is not in the given folder."""


@dataclass
class LoadReport:
    """Counts of one run per entity; rejected rows are listed in ``rejects_path``."""

    run_id: str
    source: str
    source_path: str
    started_at: datetime
    rejects: RejectsFile
    loaded: dict[str, int] = field(default_factory=dict)
    rejected: dict[str, int] = field(default_factory=dict)
    rejects_path: Path | None = None
    duration_s: float = 0.0
    _started: float = field(default_factory=time.monotonic, repr=False)


def begin_run(source: str, source_path: Path, runs_dir: Path) -> LoadReport:
    """Start a run of ``source``; its rejected rows will go to ``runs_dir/<run id>/rejects.csv``."""
    started_at = datetime.now(UTC)
    run_id = f"{source}-{started_at:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
    return LoadReport(run_id, source, str(source_path), started_at, RejectsFile(runs_dir / run_id))


def finish_run(store: GraphStore, report: LoadReport, **details: str | int | float) -> LoadReport:
    """Close the rejects file, take the duration and record the run in the graph.

    ``details`` are stored on the run as well, such as its business date. ``status`` is
    ``loaded`` unless ``details`` gives another.
    """
    report.rejects.close()
    report.duration_s = round(time.monotonic() - report._started, 2)
    report.rejects_path = report.rejects.path if report.rejects.total else None
    record = {
        "run_id": report.run_id,
        "source": report.source,
        "source_path": report.source_path,
        "started_at": report.started_at.isoformat(timespec="seconds"),
        "duration_s": report.duration_s,
        "rows_loaded": sum(report.loaded.values()),
        "rows_rejected": sum(report.rejected.values()),
        "rejects_path": str(report.rejects_path or ""),
        "status": "loaded",
        **details,
    }
    for entity, count in report.loaded.items():
        record[f"loaded_{entity}"] = count
        record[f"rejected_{entity}"] = report.rejected.get(entity, 0)
    record_load_run(store, record)
    return report
