"""The logging configuration, from the environment."""

from collections.abc import Mapping


def logging_config(environ: Mapping[str, str]) -> dict:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "handlers": {"console": {"class": "logging.StreamHandler"}},
        "root": {"handlers": ["console"], "level": environ.get("PRIMI_LOG_LEVEL", "WARNING")},
    }
