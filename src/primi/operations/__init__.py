"""Running PRIMI for years: background workers that survive crashes, backups, health, logs and
rate limits."""
