"""gunicorn's configuration for PRIMI (`gunicorn -c python:primi.operations.gunicorn_conf
primi.wsgi`), from the environment.

PRIMI_BIND (default 127.0.0.1:8000, behind a reverse proxy), PRIMI_WEB_WORKERS (default 2 x
cores + 1), PRIMI_WEB_TIMEOUT (seconds a request may take before its worker is replaced; a
whole dataflow as SDMX-CSV can take minutes). Each worker is replaced after about a thousand
requests, so a slow leak cannot grow for ever; the jitter keeps them from restarting together.
No access log: `RequestLogMiddleware` writes one structured line per request. Workers load the
application themselves (no preload), so a replaced worker runs the code on disk and no database
connection or lock is shared across a fork.
"""

import multiprocessing
import os

from primi.operations.logging_config import logging_config

bind = os.environ.get("PRIMI_BIND", "127.0.0.1:8000").split(",")
workers = int(os.environ.get("PRIMI_WEB_WORKERS", str(2 * multiprocessing.cpu_count() + 1)))
timeout = int(os.environ.get("PRIMI_WEB_TIMEOUT", "300"))
graceful_timeout = int(os.environ.get("PRIMI_WEB_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
max_requests = int(os.environ.get("PRIMI_WEB_MAX_REQUESTS", "1000"))
max_requests_jitter = max(1, max_requests // 10)
accesslog = None
preload_app = False
# The workers' heartbeat files: in memory, so a slow or full disk cannot get them killed.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# gunicorn's control socket (`gunicornc`) only where asked for: by default every gunicorn of the
# user would share one path, and a second server on the machine would take the first's.
control_socket_disable = not os.environ.get("PRIMI_WEB_CONTROL_SOCKET")
if not control_socket_disable:
    control_socket = os.environ["PRIMI_WEB_CONTROL_SOCKET"]
# gunicorn's own messages (workers started, killed, timed out) in the site's log format.
logconfig_dict = logging_config(
    {"PRIMI_LOG_FORMAT": "json", "PRIMI_LOG_LEVEL": "INFO", **os.environ}
) | {"loggers": {"gunicorn.error": {"level": "INFO", "propagate": True}}}
