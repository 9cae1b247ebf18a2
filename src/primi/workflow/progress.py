"""Progress of a background check or load, readable from any process.

The load writes inside one database transaction, invisible to other connections until it commits,
so progress goes through a small JSON file in PRIMI_HOME that the web process reads.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from django.conf import settings

READ, CHECK, LOAD, DONE = "read", "check", "load", "done"


def _path(key: str) -> Path:
    return Path(settings.PRIMI_HOME) / "progress" / f"{key}.json"


def report_progress(key: str, stage: str, done: int = 0, total: int = 0) -> None:
    """Record where the work stands; written atomically so a reader never sees half a file."""
    path = _path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"stage": stage, "done": done, "total": total}))
    os.replace(tmp, path)


def read_progress(key: str) -> dict:
    """The last recorded stage and counts; a queued job has none yet."""
    try:
        return json.loads(_path(key).read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return {"stage": "queued", "done": 0, "total": 0}
