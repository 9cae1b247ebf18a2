"""WSGI entry point for production servers.

The URLconf (and the JSON API, pysdmx... it imports) and the standard are loaded here rather
than on each worker's first request, which then took 3-7 s; with `gunicorn --preload` they are
loaded once, before the workers fork. No database connection is left open for them to share.

What is loaded then stays for the process's life, so it is frozen out of the garbage
collector's reach: a full collection walked those ~180,000 objects every few requests, 70-80 ms
each time (a quarter of the explorer's answer for 10,000 observations).
"""

import atexit
import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "primi.settings")
application = get_wsgi_application()


def _warm_up() -> None:
    from django.db import connections
    from django.urls import get_resolver

    from primi.standard.catalogue import load_standard

    get_resolver().url_patterns  # noqa: B018 - imports every view module
    load_standard()
    connections.close_all()
    gc.freeze()
    # Unfrozen at exit so the interpreter frees them as usual (extension modules check).
    atexit.register(gc.unfreeze)


_warm_up()
