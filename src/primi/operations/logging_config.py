"""The logging configuration, from the environment.

PRIMI_LOG_FORMAT=json writes one JSON object per line (what a log collector reads without
parsing rules); anything else writes plain text for a person at a terminal. PRIMI_LOG_LEVEL sets
the level (WARNING unless given; the production settings default to INFO so that every request
leaves its line). Every line written while a request is served carries that request's id.
"""

from collections.abc import Mapping

JSON_FIELDS = "%(levelname)s %(name)s %(process)d %(message)s"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def logging_config(environ: Mapping[str, str]) -> dict:
    """Django's LOGGING for the format and level the environment asks for."""
    json_lines = environ.get("PRIMI_LOG_FORMAT", "text").strip().lower() == "json"
    level = environ.get("PRIMI_LOG_LEVEL", "WARNING").strip().upper() or "WARNING"
    formatter = (
        {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": JSON_FIELDS,
            "timestamp": "time",
            "rename_fields": {"levelname": "level", "name": "logger", "process": "pid"},
        }
        if json_lines
        else {"format": TEXT_FORMAT}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "primi.operations.request_log.RequestIdFilter"}},
        "formatters": {"primi": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "primi",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
    }
